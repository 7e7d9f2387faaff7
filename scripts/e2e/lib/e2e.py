#!/usr/bin/env python3
"""Helpers of the end-to-end harness that are easier in Python than in bash.

Secrets (passwords, tokens) are only ever read from files named on the command line, never passed as arguments.

Subcommands:
  login URL USER PASSWORD_FILE TOKEN_FILE HEADER_FILE   log in with Synapse's client API, write the token files
  api URL HEADER_FILE METHOD PATH [JSON]                 call Synapse, print "CODE BODY" on one line
  record-status URL HEADER_FILE OUT INTERVAL             append timestamped status API answers to OUT (JSON lines)
  record-metrics URL OUT INTERVAL                        append timestamped synapse_* lines of /metrics to OUT
  view METRICS_FILE                                      print the exporter's background-update view as JSON
  value METRICS_FILE NAME [LABEL=VALUE ...]              print one sample's value (exit 1 when absent)
  labels METRICS_FILE NAME                               print the labels of a metric's only sample as JSON
  match STATUS_LOG METRICS_LOG FROM TO WINDOW            compare every scrape in [FROM, TO] with Synapse's status
  wait-status URL HEADER_FILE TIMEOUT EXPR               wait until a Python EXPR over the status JSON `s` is true
  wait-metric URL TIMEOUT PYEXPR NAME [LABEL=VALUE ...]  scrape URL until the sample's value `v` (None when
                                                         absent) satisfies PYEXPR; print the seconds it took
  outage METRICS_LOG T_STOP T_END                        what the exporter showed while Synapse was down
  longest METRICS_LOG FROM TO MIN_SECONDS                per database/update: the largest item count that stayed
                                                         on /metrics for at least MIN_SECONDS
  promql PROM_URL EXPR                                   instant query, print the result vector as JSON
  updater-status METRICS_URL                             Synapse's own synapse_background_update_status per
                                                         database (its metrics listener) as JSON {db: value}
  exporter-states METRICS_FILE                           the exporter's updater_state as JSON {db: [states at 1]}
  queue-compare METRICS_FILE TABLE_JSON                  the exporter's queue series against the tables read
                                                         directly (hs_table): pending, positions, ordering,
                                                         depends_on; prints the comparison as JSON
  wait-states EXPORTER_URL TIMEOUT EXPECTED_JSON         scrape until updater_state is EXPECTED ({db: state}, every
                                                         database, one-hot); print the seconds it took
  watch-sqlite OUT TIMEOUT NAME=PATH...                  read the tables' rows 20x a second into OUT (JSON lines)
                                                         until all are empty (exit 1 at TIMEOUT, after one read at
                                                         least); print when
  pending-match METRICS_LOG TABLE_LOG FROM TO WINDOW     every scrape's pending and head of the queue against the
                                                         table reads of the last WINDOW seconds
  rule-for RULES_IN RULES_OUT ALERT FOR                  copy a rule file with only that alert's `for:` changed
"""

import json
import math
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

STATUS_PATH = "/_synapse/admin/v1/background_updates/status"


def read_secret(path):
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def auth_header(header_file):
    # The header file holds one line "Authorization: Bearer ..." (curl -H @file reads the same file).
    name, _, value = read_secret(header_file).partition(":")
    return {name.strip(): value.strip()}


def http(method, url, headers=None, body=None, timeout=5):
    data = None if body is None else body.encode("utf-8")
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def cmd_login(url, user, password_file, token_file, header_file):
    body = json.dumps(
        {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user},
            "password": read_secret(password_file),
        }
    )
    code, text = http("POST", url.rstrip("/") + "/_matrix/client/v3/login", body=body)
    if code != 200:
        sys.exit(f"login of {user} failed with HTTP {code}")
    token = json.loads(text)["access_token"]
    for path, content in ((token_file, token), (header_file, "Authorization: Bearer " + token)):
        with open(path, "w", encoding="utf-8") as f:
            f.write(content + "\n")


def cmd_api(url, header_file, method, path, body=None):
    code, text = http(method, url.rstrip("/") + path, auth_header(header_file), body)
    print(code, text.replace("\n", " "))


def cmd_record_status(url, header_file, out, interval):
    headers = auth_header(header_file)
    with open(out, "a", encoding="utf-8") as f:
        while True:
            try:
                code, text = http("GET", url.rstrip("/") + STATUS_PATH, headers, timeout=2)
                rec = {"t": time.time(), "code": code}
                rec["body"] = json.loads(text) if code == 200 else None
            except Exception as e:  # connection refused while Synapse is stopped: keep recording
                rec = {"t": time.time(), "code": 0, "error": type(e).__name__}
            f.write(json.dumps(rec) + "\n")
            f.flush()
            time.sleep(float(interval))


def cmd_record_metrics(url, out, interval):
    with open(out, "a", encoding="utf-8") as f:
        while True:
            try:
                code, text = http("GET", url, timeout=2)
                lines = [l for l in text.splitlines() if l.startswith("synapse_")]
                rec = {"t": time.time(), "code": code, "lines": lines}
            except Exception as e:
                rec = {"t": time.time(), "code": 0, "error": type(e).__name__}
            f.write(json.dumps(rec) + "\n")
            f.flush()
            time.sleep(float(interval))


# ---- exposition format ------------------------------------------------------------------------------------
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$")
LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?')


def parse_metrics(lines):
    """Returns [(name, {label: value}, float)] for every sample line."""
    out = []
    for line in lines:
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise ValueError("unparsable exposition line: " + line)
        labels = {}
        if m.group(3):
            for lm in LABEL.finditer(m.group(3)):
                labels[lm.group(1)] = bytes(lm.group(2), "utf-8").decode("unicode_escape")
        out.append((m.group(1), labels, float(m.group(4))))
    return out


def samples(parsed, name, **labels):
    return [(l, v) for n, l, v in parsed if n == name and all(l.get(k) == w for k, w in labels.items())]


def exporter_view(parsed):
    """The exporter's picture of Synapse, in the status API's own shape (units converted back)."""
    up = samples(parsed, "synapse_background_updates_up")
    enabled = samples(parsed, "synapse_background_updates_enabled")
    in_progress = samples(parsed, "synapse_background_updates_in_progress")
    last_success = samples(parsed, "synapse_background_updates_last_poll_success_timestamp_seconds")
    updates, problems = {}, []
    for labels, items in samples(parsed, "synapse_background_update_items_processed"):
        db, name = labels.get("database"), labels.get("update")
        if db in updates:
            problems.append(f"two updates for database {db}")
        dur = samples(parsed, "synapse_background_update_duration_seconds", database=db, update=name)
        ips = samples(parsed, "synapse_background_update_items_per_second", database=db, update=name)
        last = samples(parsed, "synapse_background_update_last_progress_timestamp_seconds", database=db, update=name)
        if len(dur) != 1:
            problems.append(f"{db}/{name}: {len(dur)} duration series")
        updates[db] = {
            "name": name,
            "total_item_count": items,
            "total_duration_ms": dur[0][1] * 1000 if dur else None,
            "average_items_per_ms": ips[0][1] / 1000 if ips else None,
            "last_progress": last[0][1] if last else None,
        }
    for metric in (
        "synapse_background_update_duration_seconds",
        "synapse_background_update_items_per_second",
        "synapse_background_update_last_progress_timestamp_seconds",
    ):
        for labels, _ in samples(parsed, metric):
            if updates.get(labels.get("database"), {}).get("name") != labels.get("update"):
                problems.append(f"orphan series {metric}{labels}")
    return {
        "up": up[0][1] if up else None,
        "enabled": enabled[0][1] if enabled else None,
        "in_progress": in_progress[0][1] if in_progress else None,
        "last_success": last_success[0][1] if last_success else None,
        "updates": updates,
        "problems": problems,
    }


def close(a, b):
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def db_matches(mine, theirs):
    """True when the exporter's series for one database say exactly what Synapse's status said."""
    if mine is None or theirs is None:
        return mine is None and theirs is None
    if mine["name"] != theirs["name"] or not close(mine["total_item_count"], theirs["total_item_count"]):
        return False
    if not close(mine["total_duration_ms"], float(theirs["total_duration_ms"])):
        return False
    rate = theirs["average_items_per_ms"]
    if rate is None:
        return mine["average_items_per_ms"] is None  # absent while Synapse reports null
    return close(mine["average_items_per_ms"], float(rate))


def cmd_view(metrics_file):
    with open(metrics_file, encoding="utf-8") as f:
        print(json.dumps(exporter_view(parse_metrics(f.read().splitlines()))))


def cmd_value(metrics_file, name, *pairs):
    with open(metrics_file, encoding="utf-8") as f:
        parsed = parse_metrics(f.read().splitlines())
    found = samples(parsed, name, **dict(p.split("=", 1) for p in pairs))
    if len(found) != 1:
        sys.exit(1)
    v = found[0][1]
    print(int(v) if v.is_integer() else repr(v))


def cmd_labels(metrics_file, name):
    with open(metrics_file, encoding="utf-8") as f:
        found = samples(parse_metrics(f.read().splitlines()), name)
    if len(found) != 1:
        sys.exit(f"{name}: {len(found)} samples")
    print(json.dumps(found[0][0], sort_keys=True))


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def cmd_match(status_log, metrics_log, t_from, t_to, window):
    """Checks each scrape in [t_from, t_to] against the Synapse states recorded in the window before it.

    The exporter's answer at time tm comes from a poll made at most one poll interval (plus slack: WINDOW) before
    tm, so it must equal one of the status answers recorded in [tm - WINDOW, tm], widened by one recorded answer on
    each side because the recorder samples too. A database missing from the scrape is accepted only where Synapse
    switched updates on it inside that window: between two updates Synapse lists no update for a few ms.
    """
    t_from, t_to, window = float(t_from), float(t_to), float(window)
    # All answers, failed ones too: an outage must end the window (no pre-outage answer may vouch for a scrape).
    status = load_jsonl(status_log)
    scrapes = [r for r in load_jsonl(metrics_log) if t_from <= r["t"] <= t_to and r["code"] == 200]
    result = {"scrapes": 0, "exact": 0, "per_database": 0, "violations": [], "databases": [], "updates": [],
              "rate_absent_on_null": 0, "rate_present": 0, "in_progress_values": [], "enabled_values": [],
              "history": {}}
    dbs, names = set(), set()
    for s in scrapes:
        view = exporter_view(parse_metrics(s["lines"]))
        if view["up"] != 1:
            continue
        result["scrapes"] += 1
        tm = s["t"]
        before = [r for r in status if r["t"] <= tm - window]
        cands = before[-1:] + [r for r in status if tm - window < r["t"] <= tm]
        after = [r for r in status if r["t"] > tm]
        if not after:
            result["violations"].append(f"t={tm:.2f}: no status recorded after the scrape")
            continue
        cands.append(after[0])
        bodies = [c["body"] for c in cands if c["code"] == 200]
        if not bodies:
            result["violations"].append(f"t={tm:.2f}: up 1 but Synapse answered no status in the window")
            continue
        mine = view["updates"]
        dbs.update(mine)
        for db, u in mine.items():
            names.add(u["name"])
            hist = result["history"].setdefault(f"{db}/{u['name']}", [])
            if not hist or hist[-1] != u["total_item_count"]:
                hist.append(u["total_item_count"])
        problems = list(view["problems"])
        if view["in_progress"] != len(mine):
            problems.append(f"in_progress {view['in_progress']} but {len(mine)} databases have series")
        if view["enabled"] not in {1.0 if b["enabled"] else 0.0 for b in bodies}:
            problems.append(f"enabled {view['enabled']} never reported by Synapse in the window")
        exact = any(
            set(mine) == set(b["current_updates"])
            and all(db_matches(mine[db], b["current_updates"][db]) for db in mine)
            and view["enabled"] == (1.0 if b["enabled"] else 0.0)
            for b in bodies
        )
        if exact:
            result["exact"] += 1
        else:
            for db in set(mine) | {d for b in bodies for d in b["current_updates"]}:
                theirs = [b["current_updates"].get(db) for b in bodies]
                if db in mine:
                    if not any(db_matches(mine[db], t) for t in theirs):
                        problems.append(f"{db}: exporter says {mine[db]}, Synapse said {theirs}")
                elif None not in theirs and len({t['name'] for t in theirs}) < 2:
                    problems.append(f"{db}: missing from the exporter, Synapse said {theirs}")
            if not problems:
                result["per_database"] += 1
        for db, u in mine.items():
            if u["average_items_per_ms"] is None and u["total_item_count"] == 0:
                result["rate_absent_on_null"] += 1
            elif u["average_items_per_ms"] is not None:
                result["rate_present"] += 1
        if view["in_progress"] not in result["in_progress_values"]:
            result["in_progress_values"].append(view["in_progress"])
        if view["enabled"] not in result["enabled_values"]:
            result["enabled_values"].append(view["enabled"])
        if problems:
            result["violations"].append(f"t={tm:.2f}: " + "; ".join(problems))
    result["databases"] = sorted(dbs)
    result["updates"] = sorted(names)
    print(json.dumps(result))


def cmd_wait_status(url, header_file, timeout, expr):
    headers = auth_header(header_file)
    deadline = time.time() + float(timeout)
    last = None
    while time.time() < deadline:
        try:
            code, text = http("GET", url.rstrip("/") + STATUS_PATH, headers, timeout=2)
            if code == 200:
                last = json.loads(text)
                if eval(expr, {}, {"s": last}):  # noqa: S307 - expressions are the harness's own
                    print(json.dumps(last))
                    return
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    sys.exit(f"status never satisfied {expr!r} within {timeout}s; last: {json.dumps(last)}")


def views(metrics_log, t_from=0.0, t_to=float("inf")):
    for r in load_jsonl(metrics_log):
        if r["code"] == 200 and float(t_from) <= r["t"] <= float(t_to):
            yield r["t"], exporter_view(parse_metrics(r["lines"]))


def shown(view):
    """What the exporter says about Synapse itself (not about its own polling)."""
    return {"enabled": view["enabled"], "updates": {db: {k: u[k] for k in u if k != "last_progress"}
                                                    for db, u in view["updates"].items()}}


def cmd_outage(metrics_log, t_stop, t_end):
    """Splits the scrapes around a Synapse outage: the last good view, the kept views, the gone views."""
    t_stop = float(t_stop)
    out = {"last_up": None, "first_down_t": None, "kept": 0, "kept_differs": [], "first_gone_t": None,
           "gone_not_empty": [], "back_after_gone": [], "last_success_ts": None}
    last_up = None
    for t, v in views(metrics_log, 0, t_end):
        if t < t_stop:
            if v["up"] == 1:
                last_up = (t, shown(v))
            continue
        if v["up"] == 1:
            continue  # the last poll before the stop can still be served for up to one interval
        if out["first_down_t"] is None:
            out["first_down_t"] = t
        if out["first_gone_t"] is None:
            # The exporter's own clock of its last good poll: staleness is measured from it.
            out["last_success_ts"] = v["last_success"]
        gone = v["enabled"] is None and not v["updates"]
        if gone:
            if out["first_gone_t"] is None:
                out["first_gone_t"] = t
            if v["in_progress"] not in (None, 0):
                out["gone_not_empty"].append(f"t={t:.2f}: in_progress {v['in_progress']}")
        elif out["first_gone_t"] is not None:
            out["back_after_gone"].append(f"t={t:.2f}: {shown(v)}")
        else:
            out["kept"] += 1
            if last_up is None or shown(v) != last_up[1]:
                out["kept_differs"].append(f"t={t:.2f}: {shown(v)} vs last good {last_up and last_up[1]}")
    out["last_up"] = last_up and {"t": last_up[0], "view": last_up[1]}
    print(json.dumps(out))


def cmd_longest(metrics_log, t_from, t_to, min_seconds):
    """For each database/update: the highest item count the exporter kept showing for MIN_SECONDS or more."""
    runs = {}  # (db, update) -> [(items, first_t, last_t)]
    for t, v in views(metrics_log, t_from, t_to):
        for db, u in v["updates"].items():
            seq = runs.setdefault(f"{db}/{u['name']}", [])
            if seq and seq[-1][0] == u["total_item_count"]:
                seq[-1][2] = t
            else:
                seq.append([u["total_item_count"], t, t])
    out = {}
    for key, seq in runs.items():
        long = [items for items, a, b in seq if b - a >= float(min_seconds)]
        out[key] = {"max_long": max(long) if long else None, "max_any": max(items for items, _, _ in seq)}
    print(json.dumps(out))


def cmd_wait_metric(url, timeout, expr, name, *pairs):
    labels = dict(p.split("=", 1) for p in pairs)
    t0 = time.time()
    v = None
    while time.time() < t0 + float(timeout):
        try:
            code, text = http("GET", url, timeout=2)
            found = samples(parse_metrics(text.splitlines()), name, **labels) if code == 200 else []
            v = found[0][1] if len(found) == 1 else None
            if eval(expr, {}, {"v": v}):  # noqa: S307 - expressions are the harness's own
                print(round(time.time() - t0, 2))
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    sys.exit(f"{name}{labels} never satisfied {expr!r} within {timeout}s (last value: {v})")


def cmd_promql(prom_url, expr):
    q = urllib.parse.urlencode({"query": expr})
    code, text = http("GET", prom_url.rstrip("/") + "/api/v1/query?" + q)
    body = json.loads(text)
    if code != 200 or body.get("status") != "success":
        sys.exit(f"query {expr!r} failed: HTTP {code} {text[:300]}")
    print(json.dumps(body["data"]["result"]))


# Synapse's synapse_background_update_status values and the exporter's state label for each.
UPDATER_STATES = {-1: "aborted", 0: "disabled", 1: "not_started", 2: "running", 3: "complete"}


def cmd_updater_status(url):
    code, text = http("GET", url, timeout=5)
    if code != 200:
        sys.exit(f"{url}: HTTP {code}")
    lines = [l for l in text.splitlines() if l.startswith("synapse_background_update_status")]
    print(json.dumps({l["database_name"]: int(v) for _, l, v in parse_metrics(lines)}, sort_keys=True))


def exporter_states(parsed):
    """{database: [states whose series is 1]}, plus the problems of the one-hot encoding."""
    out, problems = {}, []
    series = samples(parsed, "synapse_background_updates_updater_state")
    for labels, v in series:
        out.setdefault(labels["database"], [])
        if v == 1:
            out[labels["database"]].append(labels["state"])
        elif v != 0:
            problems.append(f"{labels}: {v}")
    for db in out:
        states = sorted(l["state"] for l, _ in series if l["database"] == db)
        if states != sorted(UPDATER_STATES.values()):
            problems.append(f"{db}: states {states}")
    return out, problems


def cmd_exporter_states(metrics_file):
    with open(metrics_file, encoding="utf-8") as f:
        states, problems = exporter_states(parse_metrics(f.read().splitlines()))
    print(json.dumps({"states": states, "problems": problems}, sort_keys=True))


def synapse_order(rows):
    """The order Synapse runs a table's rows in: again and again the first (ORDER BY ordering, update_name) whose
    depends_on is empty or no longer pending (storage/background_updates.py, do_next_background_update)."""
    rest, order = list(rows), []
    while rest:
        pending = {r[0] for r in rest}
        nxt = next((r for r in rest if not r[2] or r[2] not in pending), None)
        if nxt is None:
            break  # a dependency cycle: Synapse raises; the rest has no position
        order.append(nxt)
        rest.remove(nxt)
    return order


def queue_view(parsed):
    """The exporter's queue per database: pending, [(position, update)], {update: (ordering, depends_on)}."""
    view = {}
    for labels, v in samples(parsed, "synapse_background_updates_pending"):
        view.setdefault(labels["database"], {"positions": [], "info": {}})["pending"] = int(v)
    for labels, v in samples(parsed, "synapse_background_update_queue_position"):
        view.setdefault(labels["database"], {"positions": [], "info": {}})["positions"].append((int(v), labels["update"]))
    for labels, _ in samples(parsed, "synapse_background_update_info"):
        d = view.setdefault(labels["database"], {"positions": [], "info": {}})
        d["info"][labels["update"]] = (int(labels["ordering"]), labels["depends_on"] or None)
    for d in view.values():
        d["positions"].sort()
    return view


def cmd_queue_compare(metrics_file, table_json):
    with open(metrics_file, encoding="utf-8") as f:
        view = queue_view(parse_metrics(f.read().splitlines()))
    tables = json.loads(table_json)
    tables.pop("t", None)
    result = {"databases": {}, "problems": []}
    for db in sorted(set(tables) | set(view)):
        rows = tables.get(db)
        mine = view.get(db)
        if rows is None or mine is None:
            result["problems"].append(f"{db}: {'not on /metrics' if mine is None else 'no such table'}")
            continue
        want = [(i, r[0]) for i, r in enumerate(synapse_order(rows))]
        want_info = {r[0]: (int(r[1]), r[2] or None) for r in rows}
        result["databases"][db] = {"pending": mine.get("pending"), "rows": len(rows),
                                   "positions": [u for _, u in mine["positions"]]}
        if mine.get("pending") != len(rows):
            result["problems"].append(f"{db}: pending {mine.get('pending')}, table has {len(rows)} rows")
        if mine["positions"] != want:
            result["problems"].append(f"{db}: queue_position {mine['positions']}, Synapse's order {want}")
        if mine["info"] != want_info:
            result["problems"].append(f"{db}: info (ordering, depends_on) {mine['info']}, table {want_info}")
    print(json.dumps(result, sort_keys=True))


def cmd_wait_states(url, timeout, expected):
    want = {db: [state] for db, state in json.loads(expected).items()}
    t0, got = time.time(), None
    while time.time() < t0 + float(timeout):
        try:
            code, text = http("GET", url, timeout=2)
            if code == 200:
                got, problems = exporter_states(parse_metrics(text.splitlines()))
                if got == want and not problems:
                    print(round(time.time() - t0, 2))
                    return
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    sys.exit(f"updater_state never {want} within {timeout}s (last: {got})")


def cmd_watch_sqlite(out, timeout, *dbs):
    import sqlite3

    deadline = time.time() + float(timeout)
    with open(out, "a", encoding="utf-8") as f:
        while True:  # at least one read (TIMEOUT 0: exactly one)
            tables = {}
            for spec in dbs:
                name, path = spec.split("=", 1)
                con = sqlite3.connect("file:" + path + "?mode=ro", uri=True, timeout=5)
                tables[name] = [list(r) for r in con.execute(
                    "SELECT update_name, ordering, depends_on FROM background_updates ORDER BY ordering, update_name")]
                con.close()
            t = time.time()
            f.write(json.dumps({"t": t, "tables": tables}) + "\n")
            f.flush()
            if not any(tables.values()):
                print(t)
                return
            if time.time() >= deadline:
                break
            time.sleep(0.05)
    sys.exit(f"tables not empty within {timeout}s")


def cmd_pending_match(metrics_log, table_log, t_from, t_to, window):
    """Like match, for the queue: a scrape at tm must show, per database, the row count and head of one table read
    in [tm - WINDOW, tm] (widened by one read on each side); the head is the first update in Synapse's order, or the
    second when the first's row is gone within the next reads: position 0 is the update the admin API names as
    running, read by its own poll, which may already have moved on to the next update while the database poll's
    table read still held the finished one's row."""
    t_from, t_to, window = float(t_from), float(t_to), float(window)
    reads = load_jsonl(table_log)
    result = {"scrapes": 0, "violations": [], "pending_seen": {}}
    for r in load_jsonl(metrics_log):
        if not (t_from <= r["t"] <= t_to) or r["code"] != 200:
            continue
        tm = r["t"]
        view = queue_view(parse_metrics(r["lines"]))
        if not view:
            continue
        before = [x for x in reads if x["t"] <= tm - window]
        cands = before[-1:] + [x for x in reads if tm - window < x["t"] <= tm]
        after = [x for x in reads if x["t"] > tm]
        if not cands or not after:
            continue  # outside the reads: nothing to compare with
        cands.append(after[0])
        result["scrapes"] += 1
        for db, q in view.items():
            seen = result["pending_seen"].setdefault(db, [])
            if not seen or seen[-1] != q.get("pending"):
                seen.append(q.get("pending"))
            head = q["positions"][0][1] if q["positions"] else None
            def head_ok(c):
                order = [r[0] for r in synapse_order(c["tables"].get(db, []))] or [None]
                if head == order[0]:
                    return True
                # The second, only when the first really finished right after that read.
                return (len(order) > 1 and head == order[1]
                        and any(x["t"] > c["t"] and order[0] not in [r[0] for r in x["tables"].get(db, [])]
                                for x in after[:3]))
            ok = any(len(c["tables"].get(db, [])) == q.get("pending") and head_ok(c) for c in cands)
            if not ok:
                result["violations"].append(
                    f"t={tm:.2f} {db}: pending {q.get('pending')} head {head}; table reads "
                    f"{[len(c['tables'].get(db, [])) for c in cands]}")
    print(json.dumps(result))


def cmd_rule_for(rules_in, rules_out, alert, new_for):
    """A copy of the rule file in which only ALERT's `for:` differs (checked by parsing both), comments kept."""
    import yaml

    text = open(rules_in, encoding="utf-8").read()
    lines = text.split("\n")
    start = [i for i, l in enumerate(lines) if l.strip() == f"- alert: {alert}"]
    if len(start) != 1:
        sys.exit(f"{rules_in}: {len(start)} rules named {alert}")
    i = start[0] + 1
    while i < len(lines) and not lines[i].strip().startswith("- alert:") and not re.match(r"\s*for:", lines[i]):
        i += 1
    if i == len(lines) or not re.match(r"\s*for:", lines[i]):
        sys.exit(f"{alert}: no for: line")
    lines[i] = re.sub(r"for:.*", f"for: {new_for}", lines[i])
    out = "\n".join(lines)
    a, b = yaml.safe_load(text), yaml.safe_load(out)
    changed = [(g["name"], ra.get("alert"), k) for g, gb in zip(a["groups"], b["groups"])
               for ra, rb in zip(g["rules"], gb["rules"]) for k in set(ra) | set(rb) if ra.get(k) != rb.get(k)]
    if changed != [(a["groups"][0]["name"], alert, "for")] and not (len(changed) == 1 and changed[0][1:] == (alert, "for")):
        sys.exit(f"the copy differs in more than {alert}'s for: {changed}")
    with open(rules_out, "w", encoding="utf-8") as f:
        f.write(out)


COMMANDS = {
    "wait-states": cmd_wait_states,
    "watch-sqlite": cmd_watch_sqlite,
    "pending-match": cmd_pending_match,
    "rule-for": cmd_rule_for,
    "updater-status": cmd_updater_status,
    "exporter-states": cmd_exporter_states,
    "queue-compare": cmd_queue_compare,
    "login": cmd_login,
    "api": cmd_api,
    "record-status": cmd_record_status,
    "record-metrics": cmd_record_metrics,
    "view": cmd_view,
    "value": cmd_value,
    "labels": cmd_labels,
    "match": cmd_match,
    "wait-status": cmd_wait_status,
    "wait-metric": cmd_wait_metric,
    "outage": cmd_outage,
    "longest": cmd_longest,
    "promql": cmd_promql,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
