#!/usr/bin/env python3
"""Helpers of bench/fleet.sh: fleet files, process samples, the fake fleet's request log, the table.

  fleet_report.py files DIR N PORT TOKEN_FILE INTERVAL_S PORTS   fleet.yml, names, healthy names, blackbox URLs
  fleet_report.py clock FAKE_URL                 the fake's clock (ms) and next log entry: "MS K"
  fleet_report.py wait-polled FAKE_URL N FROM_K TIMEOUT_S  until every homeserver had a request (o)
  fleet_report.py cpu PID                        utime + stime of PID in seconds
  fleet_report.py sample PID OUT                 VmRSS (KiB) once a second into OUT until PID exits
  fleet_report.py analyse LOG PHASES_JSON        one result (JSON) from the fake's log and the phases
  fleet_report.py table RESULTS_JSONL            the Markdown table of bench/README.md
"""
import json
import os
import statistics
import sys
import time
import urllib.parse
import urllib.request

STATUS = "/_synapse/admin/v1/background_updates/status"


def name(i):
    return "hs%05d" % i


def healthy(i):
    # FakeFleet: i % 10 == 9 hangs, i % 20 == 4 fails (500); the others answer 200.
    return i % 10 != 9 and i % 20 != 4


def files(d, n, port, token_file, interval, ports="1"):
    n, port, ports = int(n), int(port), int(ports)
    at = lambda i: port + i % ports
    with open(os.path.join(d, "fleet.yml"), "w") as f:
        f.write("defaults:\n  poll_interval: %ss\n  timeout: 5s\n  stale_after: 5m\n" % interval)
        f.write("homeservers:\n")
        for i in range(n):
            f.write("  %s:\n    url: http://127.0.0.1:%d/hs/%s\n    token_file: %s\n"
                    % (name(i), at(i), name(i), token_file))
    with open(os.path.join(d, "names"), "w") as f:
        f.writelines(name(i) + "\n" for i in range(n))
    with open(os.path.join(d, "healthy-names"), "w") as f:
        f.writelines(name(i) + "\n" for i in range(n) if healthy(i))
    url = lambda i: urllib.parse.quote("http://127.0.0.1:%d/hs/%s%s" % (at(i), name(i), STATUS), safe="")
    with open(os.path.join(d, "urls"), "w") as f:
        f.writelines(url(i) + "\n" for i in range(n))
    with open(os.path.join(d, "healthy-urls"), "w") as f:
        f.writelines(url(i) + "\n" for i in range(n) if healthy(i))


def fetch_log(fake_url, start=0):
    with urllib.request.urlopen("%s/-/log?from=%d" % (fake_url, start), timeout=30) as r:
        lines = r.read().decode().splitlines()
    head = lines[0].split()  # "# next K dropped D now_ms MS"
    meta = {"next": int(head[2]), "dropped": int(head[4]), "now_ms": int(head[6])}
    entries = []
    for line in lines[1:]:
        ms, idx, who = line.split()
        entries.append((int(ms), int(idx), who))
    return meta, entries


def clock(fake_url):
    meta, _ = fetch_log(fake_url, 1 << 30)
    print(meta["now_ms"], meta["next"])


def wait_polled(fake_url, n, start, timeout):
    n, start, deadline = int(n), int(start), time.time() + float(timeout)
    seen = set()
    while time.time() < deadline:
        meta, entries = fetch_log(fake_url, start)
        start = meta["next"]
        seen.update(idx for _, idx, who in entries if who == "o")
        if len(seen) >= n:
            print(meta["now_ms"])
            return
        time.sleep(0.5)
    sys.exit("only %d of %d homeservers polled within %s s" % (len(seen), n, timeout))


def cpu(pid):
    with open("/proc/%s/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    print((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))


def sample(pid, out):
    with open(out, "w") as f:
        while True:
            try:
                with open("/proc/%s/status" % pid) as s:
                    rss = next(l for l in s if l.startswith("VmRSS:")).split()[1]
            except (OSError, StopIteration):
                return
            f.write(rss + "\n")
            f.flush()
            time.sleep(1)


def pct(values, q):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def analyse(log_file, phases_file):
    p = json.load(open(phases_file))
    n, interval_ms = p["n"], p["interval_s"] * 1000
    entries = [tuple(int(x) if k < 2 else x for k, x in enumerate(l.split()))
               for l in open(log_file) if not l.startswith("#")]
    r = {"n": n, "interval_s": p["interval_s"]}
    ours = [(ms, idx) for ms, idx, who in entries if who == "o" and ms >= p["ours_start_ms"]]
    # Time from the exporter's start to the first request of every homeserver.
    first = {}
    for ms, idx in ours:
        first.setdefault(idx, ms)
    r["all_polled_s"] = round((max(first.values()) - p["ours_start_ms"]) / 1000, 1) if len(first) == n else None
    # Upstream calls per healthy homeserver per interval while two replicas probe. Ours polls on its
    # own schedule: calls in the probe phase over its length in intervals. Blackbox calls only when
    # probed: all its calls over the number of rounds the replicas scheduled.
    for who, a, b, rounds in (("ours", p["probe_start_ms"], p["probe_end_ms"], (p["probe_end_ms"] - p["probe_start_ms"]) / interval_ms),
                              ("blackbox", p["bb_start_ms"], p["bb_end_ms"], p["probe_rounds"])):
        counts = [0] * n
        for ms, idx, w in entries:
            if w == ("o" if who == "ours" else "b") and a <= ms < b:
                counts[idx] += 1
        healthy_counts = [c for i, c in enumerate(counts) if healthy(i)]
        r[who + "_calls_per_interval"] = round(sum(healthy_counts) / len(healthy_counts) / rounds, 3)
        r[who + "_calls_per_interval_max"] = round(max(healthy_counts) / rounds, 3)
    # The rule itself: never two polls of one homeserver closer than 90% of the interval.
    last, close = {}, 0
    for ms, idx in ours:
        if idx in last and ms - last[idx] < 0.9 * interval_ms:
            close += 1
        last[idx] = ms
    r["ours_polls_closer_than_interval"] = close
    # Polls of healthy homeservers: gaps between consecutive polls, from the first full round on.
    by_hs = {}
    for ms, idx in ours:
        if healthy(idx) and ms >= p["all_polled_ms"] and ms < p["probe_end_ms"]:
            by_hs.setdefault(idx, []).append(ms)
    gaps = [(b - a) / 1000 for t in by_hs.values() for a, b in zip(t, t[1:])]
    r["healthy_gap_s"] = {"n": len(gaps), "p50": pct(gaps, 0.5), "p99": pct(gaps, 0.99), "max": max(gaps) if gaps else None}
    r["healthy_late_fraction"] = round(sum(g > p["interval_s"] + 1 for g in gaps) / len(gaps), 4) if gaps else None
    idle_polls = sum(1 for ms, _ in ours if p["idle_start_ms"] <= ms < p["idle_end_ms"])
    r["idle_polls"] = idle_polls
    r["cpu_ms_per_poll"] = round(1000 * p["idle_cpu_s"] / idle_polls, 3) if idle_polls else None
    for k in ("ours_load", "bb_load", "ours_rss_kib", "ours_hwm_kib", "bb_rss_kib", "ours_heap_used_kib",
              "probe_cpu_s", "bb_cpu_s", "load_before", "load_after", "dropped"):
        if k in p:
            r[k] = p[k]
    if "ours_load" in p and p["ours_load"].get("scrapes"):
        r["ours_cpu_ms_per_probe"] = round(1000 * p["probe_cpu_s"] / p["ours_load"]["scrapes"], 3)
    if "bb_load" in p and p["bb_load"].get("scrapes"):
        r["bb_cpu_ms_per_probe"] = round(1000 * p["bb_cpu_s"] / p["bb_load"]["scrapes"], 3)
    print(json.dumps(r))


def mib(kib):
    return "%.0f" % (kib / 1024) if kib is not None else "-"


def table(results_file):
    rs = [json.loads(l) for l in open(results_file) if l.strip()]
    rs.sort(key=lambda r: r["n"])
    cols = ["homeservers"] + ["%d" % r["n"] for r in rs]
    rows = []

    def row(label, f):
        out = []
        for r in rs:
            try:
                out.append(f(r))
            except (KeyError, TypeError, ZeroDivisionError):
                out.append("-")
        rows.append([label] + out)

    row("RSS, ours (MiB; peak during probes)", lambda r: "%s (%s)" % (mib(r["ours_rss_kib"]), mib(r["ours_hwm_kib"])))
    row("RSS, blackbox_exporter (MiB)", lambda r: mib(r["bb_rss_kib"]))
    row("live heap after GC, ours (MiB)", lambda r: "%.1f" % (r["ours_heap_used_kib"] / 1024))
    row("CPU per homeserver per poll, ours (ms)", lambda r: "%.3f" % r["cpu_ms_per_poll"])
    row("CPU per probe: ours / blackbox (ms)", lambda r: "%.3f / %.3f" % (r["ours_cpu_ms_per_probe"], r["bb_cpu_ms_per_probe"]))
    row("/probe p50 / p99, ours (ms)", lambda r: "%.2f / %.2f" % (r["ours_load"]["all_ms"]["p50"], r["ours_load"]["all_ms"]["p99"]))
    row("/probe p50 / p99, blackbox, healthy targets (ms)", lambda r: "%.2f / %.2f" % (r["bb_load"]["healthy_ms"]["p50"], r["bb_load"]["healthy_ms"]["p99"]))
    row("/probe p99, blackbox, all targets (ms)", lambda r: "%.0f" % r["bb_load"]["all_ms"]["p99"])
    row("polls of one homeserver < 0.9 interval apart, ours", lambda r: "%d" % r["ours_polls_closer_than_interval"])
    row("upstream calls per healthy homeserver per interval: ours (max)", lambda r: "%.2f (%.2f)" % (r["ours_calls_per_interval"], r["ours_calls_per_interval_max"]))
    row("upstream calls per healthy homeserver per interval: blackbox (max)", lambda r: "%.2f (%.2f)" % (r["blackbox_calls_per_interval"], r["blackbox_calls_per_interval_max"]))
    row("start to every homeserver polled once (s)", lambda r: "%.1f" % r["all_polled_s"])
    row("healthy polls' gap p50 / p99 / max (s), 10% hanging", lambda r: "%.1f / %.1f / %.1f" % (r["healthy_gap_s"]["p50"], r["healthy_gap_s"]["p99"], r["healthy_gap_s"]["max"]))
    row("healthy polls late by > 1 s", lambda r: "%.2f%%" % (100 * r["healthy_late_fraction"]))
    row("scrapes answered 200: ours / blackbox", lambda r: "%d/%d / %d/%d" % (r["ours_load"]["ok"], r["ours_load"]["scrapes"], r["bb_load"]["ok"], r["bb_load"]["scrapes"]))
    row("load average before / after", lambda r: "%s / %s" % (r["load_before"], r["load_after"]))
    print("| " + " | ".join(cols) + " |")
    print("|---" + "|---:" * len(rs) + "|")
    for row_ in rows:
        print("| " + " | ".join(row_) + " |")
    if len(rs) >= 2:
        lo, hi = rs[0], rs[-1]
        try:
            per = (hi["ours_rss_kib"] - lo["ours_rss_kib"]) * 1024 / (hi["n"] - lo["n"])
            heap = (hi["ours_heap_used_kib"] - lo["ours_heap_used_kib"]) * 1024 / (hi["n"] - lo["n"])
            print("\nBytes per homeserver (from %d to %d homeservers): RSS %.0f, live heap %.0f."
                  % (lo["n"], hi["n"], per, heap))
        except (KeyError, TypeError):
            pass


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"files": files, "clock": clock, "wait-polled": wait_polled, "cpu": cpu, "sample": sample,
     "analyse": analyse, "table": table}[cmd](*args)
