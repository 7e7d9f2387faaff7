#!/usr/bin/env python3
"""Self-test of the harness' comparator (e2e.py match/outage): it must reject what a wrong exporter would serve.

e2e.sh runs this first; a comparator that cannot fail would make every end-to-end check meaningless.
"""

import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402


def status(t, updates, enabled=True, code=200):
    body = {"enabled": enabled, "current_updates": {
        db: {"name": n, "total_item_count": i, "total_duration_ms": d, "average_items_per_ms": r}
        for db, (n, i, d, r) in updates.items()}}
    return {"t": t, "code": code, "body": body if code == 200 else None}


def scrape(t, updates, enabled=1, up=1, in_progress=None, unit=1000.0, last_success=None):
    lines = [f"synapse_background_updates_up {up}"]
    if enabled is not None:
        lines.append(f"synapse_background_updates_enabled {enabled}")
    lines.append(f"synapse_background_updates_in_progress {len(updates) if in_progress is None else in_progress}")
    if last_success is not None:
        lines.append(f"synapse_background_updates_last_poll_success_timestamp_seconds {last_success}")
    for db, (n, i, d, r) in updates.items():
        lab = f'{{database="{db}",update="{n}"}}'
        lines.append(f"synapse_background_update_items_processed{lab} {i}")
        lines.append(f"synapse_background_update_duration_seconds{lab} {d / unit}")
        if r is not None:
            lines.append(f"synapse_background_update_items_per_second{lab} {r * 1000}")
    return {"t": t, "code": 200, "lines": lines}


A = {"master": ("upd_a", 3, 4.0, 0.5)}
B = {"master": ("upd_a", 7, 9.0, 0.6)}
# Synapse reports A for 5 s, then B (status recorded 4x a second).
TIMELINE = [status(t / 4, A) for t in range(0, 20)] + [status(5 + t / 4, B) for t in range(0, 20)]


class Comparator(unittest.TestCase):
    def run_cmd(self, fn, statuses, scrapes, *args):
        with tempfile.TemporaryDirectory() as d:
            s, m = os.path.join(d, "s.jsonl"), os.path.join(d, "m.jsonl")
            for path, recs in ((s, statuses), (m, scrapes)):
                with open(path, "w") as f:
                    f.writelines(json.dumps(r) + "\n" for r in recs)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                if fn == "match":
                    e2e.cmd_match(s, m, *args)
                else:
                    e2e.cmd_outage(m, *args)
            return json.loads(out.getvalue())

    def match(self, statuses, scrapes):
        return self.run_cmd("match", statuses, scrapes, 0, 100, 1.5)

    A = A
    B = B
    timeline = TIMELINE

    def test_accepts_the_status_of_the_last_poll_interval(self):
        r = self.match(self.timeline, [scrape(3.0, self.A), scrape(5.6, self.A), scrape(7.0, self.B)])
        self.assertEqual((r["exact"], r["violations"]), (3, []))

    def test_rejects_other_item_counts(self):
        r = self.match(self.timeline, [scrape(3.0, {"master": ("upd_a", 4, 4.0, 0.5)})])
        self.assertEqual(len(r["violations"]), 1)

    def test_rejects_durations_in_the_wrong_unit(self):
        r = self.match(self.timeline, [scrape(3.0, self.A, unit=1.0)])
        self.assertEqual(len(r["violations"]), 1)

    def test_rejects_a_rate_while_synapse_reports_null(self):
        st = [status(t / 4, {"master": ("upd_a", 0, 0.0, None)}) for t in range(0, 20)]
        r = self.match(st, [scrape(3.0, {"master": ("upd_a", 0, 0.0, 0.0)})])
        self.assertEqual(len(r["violations"]), 1)

    def test_rejects_values_older_than_one_poll_interval(self):
        r = self.match(self.timeline, [scrape(8.0, self.A)])
        self.assertEqual(len(r["violations"]), 1)

    def test_rejects_a_wrong_in_progress(self):
        r = self.match(self.timeline, [scrape(3.0, self.A, in_progress=2)])
        self.assertEqual(len(r["violations"]), 1)

    def test_rejects_a_wrong_database_label(self):
        r = self.match(self.timeline, [scrape(3.0, {"main": self.A["master"]})])
        self.assertEqual(len(r["violations"]), 1)

    def test_rejects_answers_from_before_an_outage(self):
        st = [status(t / 4, self.A) for t in range(0, 20)] + [{"t": 5 + t / 4, "code": 0} for t in range(0, 20)]
        st += [status(10 + t / 4, {"master": ("upd_b", 0, 0.0, None)}) for t in range(0, 20)]
        r = self.match(st, [scrape(10.3, self.A)])
        self.assertEqual(len(r["violations"]), 1)

    def test_accepts_a_database_missing_while_synapse_switches_updates(self):
        st = [status(t / 4, self.A) for t in range(0, 8)] + [
            status(2 + t / 4, {"master": ("upd_b", 0, 0.0, None)}) for t in range(0, 8)]
        r = self.match(st, [scrape(2.2, {})])
        self.assertEqual((r["per_database"], r["violations"]), (1, []))

    def test_outage_reports_kept_values_that_changed(self):
        scrapes = [scrape(1.0, self.A, last_success=1.0),
                   scrape(2.0, self.A, up=0, last_success=1.0),
                   scrape(3.0, self.B, up=0, last_success=1.0),
                   scrape(12.0, {}, up=0, enabled=None, in_progress=0, last_success=1.0)]
        r = self.run_cmd("outage", [], scrapes, 1.5, 20)
        self.assertEqual((r["kept"], len(r["kept_differs"]), r["first_gone_t"], r["last_success_ts"]),
                         (2, 1, 12.0, 1.0))


# regenerate_directory as Synapse queues it (each waits for the one before), plus an update of a schema version.
REGEN = [["populate_user_directory_cleanup", 0, "populate_user_directory_process_users", "{}"],
         ["populate_user_directory_createtables", 0, None, "{}"],
         ["populate_user_directory_process_rooms", 0, "populate_user_directory_createtables", "{}"],
         ["populate_user_directory_process_users", 0, "populate_user_directory_process_rooms", "{}"],
         ["event_arbitrary_relations", 7002, None, "{}"]]
REGEN_ORDER = ["populate_user_directory_createtables", "populate_user_directory_process_rooms",
               "populate_user_directory_process_users", "populate_user_directory_cleanup", "event_arbitrary_relations"]


def queue_lines(order, rows, pending=None, db="master"):
    info = {r[0]: r for r in rows}
    lines = [f'synapse_background_updates_pending{{database="{db}"}} {len(order) if pending is None else pending}']
    for i, u in enumerate(order):
        lines.append(f'synapse_background_update_queue_position{{database="{db}",update="{u}"}} {i}')
        lines.append(f'synapse_background_update_info{{database="{db}",update="{u}",ordering="{info[u][1]}",'
                     f'depends_on="{info[u][2] or ""}"}} 1')
    return lines


class QueueComparator(unittest.TestCase):
    def compare(self, lines, tables):
        with tempfile.TemporaryDirectory() as d:
            m = os.path.join(d, "m.prom")
            with open(m, "w") as f:
                f.write("\n".join(lines) + "\n")
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                e2e.cmd_queue_compare(m, json.dumps(dict(tables, t=1.0)))
            return json.loads(out.getvalue())["problems"]

    def test_synapse_order_follows_depends_on_not_the_names(self):
        self.assertEqual([r[0] for r in e2e.synapse_order(REGEN)], REGEN_ORDER)

    def test_accepts_the_queue_in_synapse_order(self):
        self.assertEqual(self.compare(queue_lines(REGEN_ORDER, REGEN), {"master": REGEN}), [])

    def test_rejects_positions_by_name_alone(self):
        by_name = [r[0] for r in REGEN]
        self.assertEqual(len(self.compare(queue_lines(by_name, REGEN), {"master": REGEN})), 1)

    def test_rejects_a_wrong_pending_count(self):
        self.assertEqual(len(self.compare(queue_lines(REGEN_ORDER, REGEN, pending=4), {"master": REGEN})), 1)

    def test_rejects_a_wrong_depends_on(self):
        rows = [list(r) for r in REGEN]
        rows[0][2] = None
        self.assertEqual(len(self.compare(queue_lines(REGEN_ORDER, rows), {"master": REGEN})), 1)

    def test_rejects_a_missing_database(self):
        self.assertEqual(len(self.compare(queue_lines(REGEN_ORDER, REGEN), {"master": REGEN, "state_db": []})), 1)


class PendingComparator(unittest.TestCase):
    """pending-match: each scrape's queue against the table reads of the last poll interval."""

    ROWS = [r[:3] for r in REGEN[:4]]  # the four of regenerate_directory, in ORDER BY order
    DONE_FIRST = [r for r in ROWS if r[0] != "populate_user_directory_createtables"]

    def run_match(self, reads, scrapes):
        with tempfile.TemporaryDirectory() as d:
            t, m = os.path.join(d, "t.jsonl"), os.path.join(d, "m.jsonl")
            with open(t, "w") as f:
                f.writelines(json.dumps({"t": tt, "tables": {"master": rows}}) + "\n" for tt, rows in reads)
            with open(m, "w") as f:
                f.writelines(json.dumps({"t": tt, "code": 200, "lines": lines}) + "\n" for tt, lines in scrapes)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                e2e.cmd_pending_match(m, t, 0, 100, 1.5)
            return json.loads(out.getvalue())

    def reads(self):
        return [(i / 10, self.ROWS) for i in range(0, 30)] + [(3 + i / 10, self.DONE_FIRST) for i in range(0, 30)]

    def test_accepts_the_queue_of_the_last_poll_interval(self):
        r = self.run_match(self.reads(), [(2.0, queue_lines(REGEN_ORDER[:4], REGEN)),
                                          (3.5, queue_lines(REGEN_ORDER[:4], REGEN)),
                                          (5.0, queue_lines(REGEN_ORDER[1:4], REGEN))])
        self.assertEqual((r["scrapes"], r["violations"]), (3, []))

    def test_rejects_a_queue_older_than_one_poll_interval(self):
        r = self.run_match(self.reads(), [(5.0, queue_lines(REGEN_ORDER[:4], REGEN))])
        self.assertEqual(len(r["violations"]), 1)

    def test_accepts_the_next_update_at_the_head_when_the_first_finished_right_after_the_read(self):
        # The admin API's poll saw process_rooms running while the database poll's read still held createtables.
        head_moved = [REGEN_ORDER[1], REGEN_ORDER[0]] + REGEN_ORDER[2:4]
        r = self.run_match(self.reads(), [(2.95, queue_lines(head_moved, REGEN))])
        self.assertEqual((r["scrapes"], r["violations"]), (1, []))

    def test_rejects_a_wrong_head_of_the_queue(self):
        r = self.run_match(self.reads(), [(5.0, queue_lines(REGEN_ORDER[2:4] + REGEN_ORDER[1:2], REGEN))])
        self.assertEqual(len(r["violations"]), 1)


if __name__ == "__main__":
    unittest.main()
