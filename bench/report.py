#!/usr/bin/env python3
"""Prints the benchmark's one table (Markdown, so it can go into the README as is) from the
results file bench/run.sh wrote, and checks the targets of issues 7 and 17.

Exit status: 0 all targets met (or a quick run), 3 a target missed in a full run.
"""

import math
import statistics
import sys

TARGETS = ["ours", "ours_jvm", "nginx", "jdk", "node", "pushgw"]
HEAD = {
    "ours": "ours",
    "ours_jvm": "ours + JVM metrics",
    "nginx": "nginx (static)",
    "jdk": "JDK HttpServer (static)",
    "node": "node_exporter",
    "pushgw": "pushgateway",
}
PEERS = ["nginx", "jdk", "node", "pushgw"]


def load(path):
    r = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("\t")
            r[key] = value
    return r


class Results:
    def __init__(self, raw):
        self.raw = raw

    def num(self, key):
        v = self.raw.get(key)
        return float(v) if v not in (None, "") else math.nan

    def mean(self, t, kind, field):
        vals = [self.num(f"{t}.{kind}.{i}.{field}") for i in (1, 2)]
        return statistics.fmean(vals)

    def runs(self, t, kind, field):
        return [self.num(f"{t}.{kind}.{i}.{field}") for i in (1, 2)]

    def mib(self, t, key):
        return self.num(f"{t}.{key}") / 1024.0

    def startup(self, t):
        rows = [x.split() for x in self.raw.get(f"{t}.startup_runs", "").split(";") if x.strip()]
        if not rows:
            return math.nan, math.nan, math.nan
        return tuple(statistics.median(float(r[i]) for r in rows) for i in range(3))

    def errors(self):
        return {k: v for k, v in self.raw.items() if k.endswith(".errors") and v != "0"}


def fmt(v, digits=2):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    if float(v).is_integer() and abs(v) < 1000:
        return f"{v:.0f}"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.{digits}f}" if abs(v) >= 0.1 or v == 0 else f"{v:.3f}"


def ratio(a, b):
    if math.isnan(a) or math.isnan(b) or b == 0:
        return "n/a"
    return f"{a / b:.2f}x"


def main():
    r = Results(load(sys.argv[1]))
    raw = r.raw
    quick = raw.get("mode") == "quick"
    rows = []

    def row(label, values, with_ratios=True):
        cells = [fmt(values[t]) if t in values else "" for t in TARGETS]
        ratios = [ratio(values["ours"], values[p]) if with_ratios else "" for p in PEERS]
        rows.append([label] + cells + ratios)

    row("/metrics body, bytes", {t: r.num(f"{t}.body_bytes") for t in TARGETS}, False)
    row("samples in body", {t: r.num(f"{t}.series") for t in TARGETS}, False)
    row("1 conn: p50 latency, ms", {t: r.mean(t, "c1", "p50_ms") for t in TARGETS})
    row("1 conn: p99 latency, ms", {t: r.mean(t, "c1", "p99_ms") for t in TARGETS})
    row("1 conn: req/s", {t: r.mean(t, "c1", "rps") for t in TARGETS})
    row("16 conns: req/s", {t: r.mean(t, "c16", "rps") for t in TARGETS})
    row("16 conns: p50 latency, ms", {t: r.mean(t, "c16", "p50_ms") for t in TARGETS})
    row("16 conns: p99 latency, ms", {t: r.mean(t, "c16", "p99_ms") for t in TARGETS})
    if raw.get("ours.prom.1.rps"):
        row(
            "16 conns, Prometheus' Accept + gzip: req/s",
            {t: r.mean(t, "prom", "rps") for t in TARGETS},
        )
    row("RSS idle (VmRSS), MiB", {t: r.mib(t, "rss_idle_kib") for t in TARGETS})
    load_s = raw.get("load_s", "60")
    row(f"RSS after {load_s} s load (VmRSS), MiB", {t: r.mib(t, "rss_load_kib") for t in TARGETS})
    row(f"peak RSS (VmHWM) after load, MiB", {t: r.mib(t, "hwm_load_kib") for t in TARGETS})
    so = {t: r.startup(t) for t in ("ours", "ours_jvm", "jdk")}
    n = raw.get("starts", "?")
    row(f"start -> first 200 on /metrics, ms (median of {n})", {t: so[t][0] for t in so}, False)
    row(f"start -> /-/ready 200, ms (median of {n})", {t: so[t][1] for t in so}, False)
    row("CPU time used by then, ms (median)", {t: so[t][2] for t in so}, False)

    header = ["", *[HEAD[t] for t in TARGETS], *[f"ours / {HEAD[p]}" for p in PEERS]]
    mem_gib = r.num("mem_kib") / 1024 / 1024
    print(f"## synapse-bgu-exporter benchmark, {raw.get('date')} ({raw.get('mode')} run)")
    print()
    print(
        f"Machine: {raw.get('nproc')} CPUs ({raw.get('cpu')}), {mem_gib:.1f} GiB RAM, "
        f"{raw.get('os')}, Linux {raw.get('kernel')}; {raw.get('java')}. "
        f"Load average at start {raw.get('load_start')}, at end {raw.get('load_end')}."
    )
    print(f"Peers: {raw.get('versions')}. JVM flags: `{raw.get('jvm_options', '').strip()}`.")
    print(f"Class-data archive: {raw.get('cds', 'n/a')}.")
    print(
        f"wrk runs of {raw.get('run_s')} s, two per figure (mean shown), 1 connection (1 thread) "
        f"and 16 connections (2 threads), all on 127.0.0.1. \"ours\" runs with "
        f"--web.disable-exporter-metrics (same series as the peers); ratios compare it to each peer "
        f"(req/s: higher is better; latency and memory: lower is better)."
    )
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
    for line in rows:
        print("| " + " | ".join(line) + " |")
    print()

    interval = r.num("storm.interval_s")
    storm_s = r.num("storm_s")
    # Polls run at fixed times interval apart: a window of w seconds can hold floor(w / i) + 1.
    window = r.num("storm.window_s")
    allowed = math.floor(window / interval) + 1
    polls = r.num("storm.polls")
    scrapes = r.num("storm.scrapes.requests")
    print(
        f"Scrape storm: {fmt(scrapes)} scrapes in {storm_s:.0f} s (16 connections) against an instance "
        f"polling every {interval:.0f} s made {polls:.0f} requests to the homeserver "
        f"(the interval allows at most {allowed} in the {window:.2f} s between the two counts)."
    )
    hang = {}
    for c in ("c1", "c16"):
        hang[c] = (r.num(f"hang.{c}.before.p99_ms"), r.num(f"hang.{c}.during.p99_ms"))
        hang[c + "rps"] = (r.num(f"hang.{c}.before.rps"), r.num(f"hang.{c}.during.rps"))
    print(
        "Hung homeserver (it accepts the poll and never answers): p99 at 1 connection "
        f"{fmt(hang['c1'][0])} ms before, {fmt(hang['c1'][1])} ms during; at 16 connections "
        f"{fmt(hang['c16'][0])} ms before, {fmt(hang['c16'][1])} ms during "
        f"(req/s {fmt(hang['c16rps'][0])} before, {fmt(hang['c16rps'][1])} during)."
    )
    print()
    print("Each run (two rounds, visiting every target in turn):")
    for t in TARGETS:
        c1 = ", ".join(f"{fmt(a)}/{fmt(b)}" for a, b in zip(r.runs(t, "c1", "p50_ms"), r.runs(t, "c1", "p99_ms")))
        c16 = ", ".join(fmt(v) for v in r.runs(t, "c16", "rps"))
        print(f"- {HEAD[t]}: 1 conn p50/p99 ms {c1}; 16 conns req/s {c16}")
    for t in ("ours", "ours_jvm", "jdk"):
        print(f"- {HEAD[t]} starts (ms to /metrics, ms to ready, CPU ms): {raw.get(t + '.startup_runs')}")
    print()

    checks = []

    def check(name, ok, figure):
        checks.append((name, ok, figure))

    o = {
        "c1p50": r.mean("ours", "c1", "p50_ms"),
        "rps": r.mean("ours", "c16", "rps"),
    }
    check("1 conn /metrics p50 <= 0.2 ms", o["c1p50"] <= 0.2, f"{fmt(o['c1p50'])} ms")
    for peer, need in (("pushgw", 5.0), ("node", 5.0), ("nginx", 0.35)):
        peer_rps = r.mean(peer, "c16", "rps")
        check(
            f"16 conns req/s >= {need}x {HEAD[peer]}",
            o["rps"] >= need * peer_rps,
            f"{o['rps'] / peer_rps:.2f}x",
        )
    for t in ("ours", "ours_jvm"):
        rss = r.mib(t, "rss_load_kib")
        check(f"{HEAD[t]}: RSS after {load_s} s load <= 64 MiB", rss <= 64, f"{fmt(rss)} MiB")
    for t in ("ours", "ours_jvm"):
        check(f"{HEAD[t]}: start -> first 200 <= 300 ms", so[t][0] <= 300, f"{fmt(so[t][0])} ms")
        check(f"{HEAD[t]}: start -> ready <= 500 ms", so[t][1] <= 500, f"{fmt(so[t][1])} ms")
    check("storm: polls <= what the interval allows", polls <= allowed, f"{polls:.0f} <= {allowed}")
    for c, label in (("c1", "1 conn"), ("c16", "16 conns")):
        before, during = hang[c]
        check(f"hung upstream: {label} p99 within 2x", during <= 2 * before, f"{during / before:.2f}x")
    # Issue 17: ours against the JDK's own server answering from memory, same JVM flags.
    jdk_idle, jdk_load = r.mib("jdk", "rss_idle_kib"), r.mib("jdk", "rss_load_kib")
    # Judged on "ours" (the peers' series); "ours + JVM metrics" is measured and shown alongside.
    for t in ("ours",):
        idle, rss = r.mib(t, "rss_idle_kib"), r.mib(t, "rss_load_kib")
        check(
            f"{HEAD[t]}: RSS idle <= JDK HttpServer's + 12 MiB",
            idle <= jdk_idle + 12,
            f"{fmt(idle)} vs {fmt(jdk_idle)} MiB (+{fmt(idle - jdk_idle)})",
        )
        check(
            f"{HEAD[t]}: RSS after {load_s} s load <= JDK HttpServer's + 8 MiB",
            rss <= jdk_load + 8,
            f"{fmt(rss)} vs {fmt(jdk_load)} MiB (+{fmt(rss - jdk_load)})",
        )
    for t in ("ours", "ours_jvm"):
        check(
            f"{HEAD[t]}: start -> first 200 <= 1.3x JDK HttpServer's",
            so[t][0] <= 1.3 * so["jdk"][0],
            f"{ratio(so[t][0], so['jdk'][0])} ({fmt(so[t][0])} vs {fmt(so['jdk'][0])} ms)",
        )
    jdk_rps = r.mean("jdk", "c16", "rps")
    check("16 conns req/s >= 0.9x JDK HttpServer", o["rps"] >= 0.9 * jdk_rps, f"{o['rps'] / jdk_rps:.2f}x")
    errs = r.errors()
    check("no failed scrape in any run", not errs, ", ".join(f"{k}={v}" for k, v in errs.items()) or "0")

    print("Targets (issues 7 and 17)" + (" - quick run: indicative only, judged on a full run" if quick else "") + ":")
    for name, ok, figure in checks:
        print(f"- {'PASS' if ok else 'MISS'} {name}: {figure}")
    t = "ours_jvm"
    print(
        f"- (shown, not judged) {HEAD[t]}: RSS idle {fmt(r.mib(t, 'rss_idle_kib'))} MiB "
        f"(+{fmt(r.mib(t, 'rss_idle_kib') - jdk_idle)} over the JDK HttpServer), after {load_s} s "
        f"load {fmt(r.mib(t, 'rss_load_kib'))} MiB (+{fmt(r.mib(t, 'rss_load_kib') - jdk_load)})"
    )
    missed = [c for c in checks if not c[1]]
    if missed and not quick:
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
