# shellcheck shell=bash
# Issue 5: every query of the Grafana dashboard, variables substituted (scripts/deploy/dashboard-queries.sh), through
# the suite's real Prometheus, with what each panel must show in this run.
#
# Every panel is expected to have data: the check makes the conditions some panels need. It queues a job on master
# and waits until Synapse reports a rate for it (the table panel is an instant query: it shows only what runs at
# that moment, and the rate column only once the rate is not null), then pauses updates for 5 minutes through the
# admin API (the "Timed pause ends in" panel; the pause also freezes the update, so the table can be compared
# value for value with Synapse's own answer). Poll errors come from the three failing exporters of the setup, the
# admin API requests from 20-admin.sh's listener and this check's own pause. Range panels are evaluated the way
# Grafana does, as range queries over the run; the table's targets as instant queries at the end of that range.
#
# Two more evaluations prove that the job and instance variables filter every query: with instance set to the
# master exporter's, each query must return exactly the master series of the unfiltered evaluation; with a job that
# does not exist, nothing at all.
#
# The Fleet row (issue 15) counts homeservers (here the five exporters) by state and lists those not safe to upgrade.
# Its expectations are computed in Python from the values the per-homeserver panels show at the end (themselves
# checked against Synapse's recorded answers), in the status page's order, plus the run's facts: the three failing
# exporters are failing, master is paused, split runs while Synapse reports an update. Its counts carry no instance
# label: filtered by instance they must count master alone, with a job that does not exist 0 (`or vector(0)`).

register_checks_dashboard() {
  add_check dash-1 "dashboard: every panel query via the real Prometheus returns the data this run must show" check_dashboard_then_resume
}

# dash_wait_rate: waits (up to 40 s) until Synapse master reports a current update with a rate, queueing
# populate_stats_process_rooms through the admin API whenever master has nothing left to run. The status: DASH_STATUS.
DASH_STATUS=
dash_wait_rate() {
  local _
  for _ in $(seq 1 80); do
    DASH_STATUS=$(hs_api master admin GET /_synapse/admin/v1/background_updates/status)
    DASH_STATUS=${DASH_STATUS#200 }
    jq -e '.current_updates.master.average_items_per_ms != null' >/dev/null 2>&1 <<<"$DASH_STATUS" && return 0
    if jq -e '.current_updates == {}' >/dev/null 2>&1 <<<"$DASH_STATUS" && [ "$(hs_queued_updates master)" = 0 ]; then
      note "master has nothing to run: queueing populate_stats_process_rooms: $(admin_api POST /api/v1/jobs '{"job_name": "populate_stats_process_rooms"}')"
    fi
    sleep 0.5
  done
  return 1
}

check_dashboard_then_resume() {
  check_dashboard
  local rc=$?
  admin_resume_if_paused
  return $rc
}

check_dashboard() {
  local out resume_at resume_ts t_end t_start instances dash tsv_all tsv_inst tsv_job ctx res drain expr t_now
  [ -n "${ADMIN_URL:-}" ] || { fail "needs the admin API of 20-admin.sh (for the timed pause panel)"; return 1; }
  dash=grafana/synapse-bgu-exporter.json
  # An update with a rate, still listed after the pause took hold. Synapse finishes the batch in flight when paused,
  # and when that batch completes the update, it lists none: then resume and try again with the next update.
  local attempt running='(s["current_updates"].get("master") or {}).get("average_items_per_ms") is not None'
  for attempt in 1 2 3 4; do
    dash_wait_rate || { fail "no update with a rate on master within 40 s"; return 1; }
    out=$(admin_api POST /api/v1/enabled '{"enabled": false, "for": "5m"}')
    note "attempt $attempt: Synapse master ran $(jq -c '.current_updates.master' <<<"$DASH_STATUS"); timed pause: $out"
    [ "${out%% *}" = 200 ] || { fail "timed pause refused"; return 1; }
    resume_at=$(jq -r .resume_at <<<"${out#* }")
    sleep 2.5 # the batch in flight (sleep_duration_ms 2000, then ~50 ms of work)
    out=$(hs_wait_status master 1 "$running" 2>/dev/null) && break
    note "the paused batch completed the update; resuming to try the next one"
    out=$(admin_api POST /api/v1/enabled '{"enabled": true}')
    resume_at=
  done
  [ -n "$resume_at" ] || { fail "no update stayed listed while paused in 4 attempts"; return 1; }
  note "paused with $(jq -c '.current_updates.master' <<<"$out") listed"
  resume_ts=$(iso_epoch "$resume_at")
  # Prometheus must have scraped the paused state a few times before the end of the evaluated range.
  for _ in $(seq 1 50); do
    [ "$(promql 'synapse_background_updates_pause_expiry_timestamp_seconds{exporter="master"}' | jq length)" = 1 ] && break
    sleep 0.2
  done
  sleep 2
  t_end=$(python3 -c "print(round($(now) - 1.5, 3))")
  t_start=$E2E_T_EXPORTERS
  instances=$(promql 'up' | jq -c 'map({(.metric.exporter): .metric.instance}) | add')
  note "instances: $instances; range $(python3 -c "print(round($t_end - $t_start))")s, step 2s, end = now - 1.5 s"
  tsv_all=$(bash scripts/deploy/dashboard-queries.sh --tsv "$dash") || { fail "dashboard-queries.sh failed"; return 1; }
  jq --arg i "$(jq -r .master <<<"$instances")" '(.templating.list[] | select(.name == "instance")).allValue = $i' \
    "$dash" >"$E2E_RUN/dashboard-instance.json"
  jq '(.templating.list[] | select(.name == "job")).allValue = "no-such-job"' "$dash" >"$E2E_RUN/dashboard-job.json"
  tsv_inst=$(bash scripts/deploy/dashboard-queries.sh --tsv "$E2E_RUN/dashboard-instance.json") || { fail "dashboard-queries.sh failed"; return 1; }
  tsv_job=$(bash scripts/deploy/dashboard-queries.sh --tsv "$E2E_RUN/dashboard-job.json") || { fail "dashboard-queries.sh failed"; return 1; }
  ctx=$E2E_RUN/dashboard-context.json
  drain={}
  [ -n "${HS_DRAIN_FROM[master]:-}" ] && drain="{\"master\": [${HS_DRAIN_FROM[master]}, ${HS_DRAIN_TO[master]}]}"
  jq -n --arg all "$tsv_all" --arg inst "$tsv_inst" --arg job "$tsv_job" --slurpfile dash "$dash" \
    --argjson instances "$instances" --argjson t0 "$t_start" --argjson t1 "$t_end" --argjson resume "$resume_ts" \
    --arg run "$E2E_RUN" --arg prom "$PROM_URL" --argjson drain "$drain" --argjson stale "${E2E_STALE_AFTER%s}" \
    '{tsv: {all: $all, instance: $inst, job: $job}, dashboard: $dash[0], instances: $instances, start: $t0,
      "end": $t1, step: 2, resume_ts: $resume, run: $run, prom: $prom, drain: $drain, stale: $stale}' >"$ctx"
  sleep 1 # every scrape that started before the end of the range has been stored (scrape timeout 1 s)
  res=$(python3 - "$ctx" <<'EOF'
import json, os, sys, urllib.parse, urllib.request

ctx = json.load(open(sys.argv[1]))
END, STEP, PROM = ctx["end"], ctx["step"], ctx["prom"]
STALE = ctx["stale"]  # --poll.stale-after of the exporters, in seconds: the oldest data a panel may show
# A whole number of steps, so that the last point of every range query is at END, like the instant queries.
START = END - STEP * int((END - ctx["start"]) // STEP)
INST = ctx["instances"]  # exporter name -> instance label
NAME = {v: k for k, v in INST.items()}
ALL5 = set(INST)
BAD = {"forbidden": "forbidden", "unauthorized": "unauthorized", "notfound": "not_found"}
problems, lines = [], []


def query(path, **params):
    url = PROM + path + "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=10) as r:
        body = json.load(r)
    if body.get("status") != "success":
        raise RuntimeError(f"{path} {params}: {body}")
    return body["data"]


def load(name):
    return [json.loads(l) for l in open(f"{ctx['run']}/{name}") if l.strip()]


# ---- what Synapse and the exporters did during the range, from the suite's recordings -----------------------
status = {hs: [r for r in load(f"status-{hs}.jsonl") if r["code"] == 200] for hs in ("master", "split")}


def synapse_at(hs, t):
    before = [r for r in status[hs] if r["t"] <= t]
    return before[-1]["body"] if before else None


names = {hs: {u["name"] for r in status[hs] if START - 5 <= r["t"] <= END + 2 for u in r["body"]["current_updates"].values()}
         for hs in status}
# hs_drain (check 2) runs master's updates at full speed: states of a few ms, which the exporter's poll can catch
# and the recorder (4 polls a second) miss. Names the exporter served only inside that window are allowed too.
for hs, (d0, d1) in ctx["drain"].items():
    for r in load(f"metrics-{hs}.jsonl"):
        if d0 <= r["t"] <= d1 + 2 and r["code"] == 200:
            names[hs] |= {l.split('update="')[1].split('"')[0] for l in r["lines"] if 'update="' in l}


def error_reasons(exp, until):
    """Reasons whose poll_errors_total grew between the first recorded scrape of EXP and the last one <= until."""
    recs = [r for r in load(f"metrics-{exp}.jsonl") if r["code"] == 200 and r["t"] <= until]
    def counts(r):
        out = {}
        for l in r["lines"]:
            if l.startswith('synapse_background_updates_poll_errors_total{reason="'):
                out[l.split('"')[1]] = float(l.rsplit(" ", 1)[1])
        return out
    if len(recs) < 2:
        return set()
    a, b = counts(recs[0]), counts(recs[-1])
    return {k for k in b if b[k] > a.get(k, 0)}


# ---- the queries -------------------------------------------------------------------------------------------
mode = {}
for p in ctx["dashboard"]["panels"]:
    for q in [p] + p.get("panels", []):
        for t in q.get("targets") or []:
            mode[f"{q['id']}/{t['refId']}"] = "instant" if t.get("instant") else "range"


def evaluate(tsv):
    out = {}
    for line in tsv.splitlines():
        pid, title, ref, expr = line.split("\t")
        key = f"{pid}/{ref}"
        if mode[key] == "instant":
            data = query("/api/v1/query", query=expr, time=END)
            series = [{"labels": s["metric"], "points": [(float(s["value"][0]), float(s["value"][1]))]} for s in data["result"]]
        else:
            data = query("/api/v1/query_range", query=expr, start=START, end=END, step=STEP)
            series = [{"labels": s["metric"], "points": [(float(t), float(v)) for t, v in s["values"]]} for s in data["result"]]
        out[key] = {"title": title, "expr": expr, "mode": mode[key], "series": series}
    return out


results = evaluate(ctx["tsv"]["all"])


def exporter(s):
    return NAME.get(s["labels"].get("instance"), "?" + s["labels"].get("instance", ""))


def exporters(r):
    return {exporter(s) for s in r["series"]}


def last(r, exp):
    """The value at the end of the range (None when the series has no point there), per exporter (one series)."""
    ss = [s for s in r["series"] if exporter(s) == exp]
    if len(ss) != 1:
        return None
    t, v = ss[0]["points"][-1]
    return v if abs(t - END) < 0.01 else None


def updates(r, exp):
    return {(s["labels"].get("database"), s["labels"].get("update")) for s in r["series"] if exporter(s) == exp}


def near(a, b, tol):
    return a is not None and b is not None and abs(a - b) <= tol


# ---- per panel: what this run must show ---------------------------------------------------------------------
def exp_up(r):
    yield exporters(r) == ALL5, f"all 5 targets (got {sorted(exporters(r))})"
    yield all(last(r, e) == 1 for e in ALL5), "1 at the end for each"


def exp_synapse_up(r):
    yield exporters(r) == ALL5, f"all 5 exporters (got {sorted(exporters(r))})"
    want = {e: (1 if e in ("master", "split") else 0) for e in ALL5}
    got = {e: last(r, e) for e in ALL5}
    yield got == want, f"at the end master/split 1, the failing three 0 (got {got})"


def exp_enabled(r):
    yield exporters(r) == {"master", "split"}, f"only master and split, the exporters with data (got {sorted(exporters(r))})"
    yield last(r, "master") == 0 and last(r, "split") == 1, \
        f"master 0 (the timed pause), split 1 (got {last(r, 'master')}, {last(r, 'split')})"


def answers_before_end(hs, secs):
    """Synapse's answers the value at END may come from: a poll and a scrape back, longer when the machine is busy."""
    return [x["body"] for x in status[hs] if END - secs <= x["t"] <= END] or [synapse_at(hs, END)]


def exp_in_progress(r):
    yield exporters(r) == {"master", "split"}, f"only master and split (got {sorted(exporters(r))})"
    for hs in ("master", "split"):
        counts = sorted({float(len(a["current_updates"])) for a in answers_before_end(hs, STALE)})
        yield last(r, hs) in counts, f"{hs}: at the end as many as Synapse reported in the last {STALE} s (got {last(r, hs)}, Synapse {counts})"


def exp_last_poll(r):
    yield exporters(r) == ALL5, f"all 5 exporters (got {sorted(exporters(r))})"
    yield all(0 <= (last(r, e) or -1) <= STALE for e in ("master", "split")), \
        f"master and split polled within stale-after (got {last(r, 'master')}, {last(r, 'split')})"
    # Never a successful poll: the exporter serves last_poll_success_timestamp_seconds 0, so the query gives time(),
    # which the panel's range mapping shows as "No successful poll" (DashboardLintTest checks the mapping).
    yield all(near(last(r, e), END, 0.01) for e in BAD), \
        f"the failing three never polled: time() - 0 (got {[last(r, e) for e in BAD]})"


def exp_pause(r):
    yield exporters(r) == {"master"}, f"only master, the exporter with the timed pause (got {sorted(exporters(r))})"
    yield near(last(r, "master"), ctx["resume_ts"] - END, 0.01), \
        f"resume_at - now at the end ({last(r, 'master')} vs {round(ctx['resume_ts'] - END, 3)})"


def table(metric_of_status, rate=False):
    def check(r):
        for hs in ("master", "split"):
            got = {(s["labels"]["database"], s["labels"]["update"]): s["points"][0][1]
                   for s in r["series"] if exporter(s) == hs}
            # Equal to one of Synapse's answers within stale-after (master is paused: all the same).
            wants = []
            for a in answers_before_end(hs, STALE):
                want = {(db, u["name"]): (metric_of_status(u) if metric_of_status else None)
                        for db, u in a["current_updates"].items() if not rate or u["average_items_per_ms"] is not None}
                wants.append(want)
                if metric_of_status is None:
                    ok = set(got) == set(want) and all(v >= 0 for v in got.values())
                else:
                    ok = set(got) == set(want) and all(near(got[k], want[k], 1e-6 * max(1, abs(want[k]))) for k in want)
                if ok:
                    break
            yield ok, f"{hs}: as Synapse reports at the end (got {got}, Synapse {wants[-1]})"
        yield exporters(r) <= {"master", "split"}, f"no other exporter (got {sorted(exporters(r))})"
        yield len(r["series"]) >= 1, "not empty"
    return check


def exp_over_time(r):
    for hs in ("master", "split"):
        got = {u for _, u in updates(r, hs)}
        yield got and got <= names[hs], f"{hs}: {len(got)} update labels, all among Synapse's ({sorted(got - names[hs])} unknown)"
    cur = (synapse_at("master", END)["current_updates"].get("master") or {}).get("name")
    yield ("master", cur) in updates(r, "master"), f"master's current update {cur} among them"
    yield exporters(r) <= {"master", "split"}, f"no other exporter (got {sorted(exporters(r))})"


def exp_since_progress(r):
    yield from exp_over_time(r)
    yield all(v >= -1 for s in r["series"] for _, v in s["points"]), "never negative"


def down_periods(hs):
    """[(from, to)] in which the recorder got no answer from homeserver HS (stopped or restarting)."""
    out, since = [], None
    for r in load(f"status-{hs}.jsonl"):
        if r["code"] != 200 and since is None:
            since = r["t"]
        elif r["code"] == 200 and since is not None:
            out.append((since, r["t"]))
            since = None
    return out + ([(since, END + 60)] if since is not None else [])


def exp_errors(r):
    got = {(exporter(s), s["labels"].get("reason")) for s in r["series"]}
    must = {(e, reason) for e, reason in BAD.items()}
    may = set(must)
    # The three failing exporters poll master too: while master is down (check 6 stops it for ~15 s, restarts take
    # a few seconds), they fail with connect instead.
    down = [(a, b) for a, b in down_periods("master") if b >= START and a <= END]
    if any(b - a >= 3 and a <= END - 5 for a, b in down):
        must |= {(e, "connect") for e in BAD}
    if down:
        may |= {(e, "connect") for e in BAD}
    for e in ("master", "split"):
        # Grown in the range (e.g. connect while 10-core.sh stopped master): must show; grown at its very end: may.
        must |= {(e, x) for x in error_reasons(e, END - 3)}
        may |= {(e, x) for x in error_reasons(e, END + 60)}
    yield must <= got <= may, (f"(exporter, reason) pairs {sorted(got)}; must {sorted(must)}, may {sorted(may - must)}; "
                               f"master down {[round(b - a, 1) for a, b in down]} s")
    yield all(v > 0 for s in r["series"] for _, v in s["points"]), "only rates > 0"


def exp_polls(r):
    yield exporters(r) == ALL5, f"all 5 exporters (got {sorted(exporters(r))})"
    got = {e: last(r, e) for e in ALL5}
    # About 1 (--poll.interval 1s), never more. Less with E2E_ONLY, when rate()'s 1m window reaches back before the
    # first scrape, and on an overloaded machine (0.25 seen at load average 33): then only "some".
    busy = os.getloadavg()[0] > 2 * os.cpu_count()
    low = 0.5 if END - START >= 65 and not busy else 0
    yield all(low < (v or 0) <= 1.5 for v in got.values()), \
        f"between {low} and 1.5 polls a second for each (got {got}; load average {os.getloadavg()[0]:.1f})"


def exp_poll_duration(r):
    yield exporters(r) == ALL5, f"all 5 exporters (got {sorted(exporters(r))})"
    # 0 until an exporter's first poll has finished (Prometheus may scrape it before that). No upper bound: the
    # request deadline is --synapse.timeout (10 s), but on an overloaded machine polls were seen taking 15 s.
    odd = [(exporter(s), v) for s in r["series"] for _, v in s["points"] if not v >= 0]
    yield not odd, f"never negative ({odd[:5]})"
    yield all((last(r, e) or 0) > 0 for e in ALL5), f"a real duration at the end ({[last(r, e) for e in ALL5]})"


def exp_admin(r):
    yield exporters(r) == {"master"}, f"only master, the exporter with the admin API (got {sorted(exporters(r))})"
    pairs = {(s["labels"].get("action"), s["labels"].get("outcome")) for s in r["series"]}
    yield len(pairs) == 16, f"every action x outcome pair, from 0 ({len(pairs)})"
    disable_ok = [s for s in r["series"] if s["labels"].get("action") == "disable" and s["labels"].get("outcome") == "ok"]
    v = disable_ok[0]["points"][-1][1] if disable_ok else None
    yield v is not None and v >= 1, f"this check's pause in the last minute: increase of disable/ok >= 1 (got {v})"


# ---- the optional sources' panels (issue 13): master and split read their SQLite tables and Synapse's metrics ----
SRC = {"master", "split"}


def at_end(r):
    """{(exporter, labels without job/instance): value at END} of every series with a point at the end."""
    out = {}
    for s in r["series"]:
        t, v = s["points"][-1]
        if abs(t - END) < 0.01:
            key = tuple(sorted((k, x) for k, x in s["labels"].items() if k not in ("job", "instance", "__name__")))
            out[(exporter(s), key)] = v
    return out


def queue_keys(r):
    return {(exporter(s), s["labels"].get("database"), s["labels"].get("update")) for s in r["series"]}


def exp_updater_state(r):
    yield exporters(r) == SRC, f"master and split, the exporters with Synapse's metrics (got {sorted(exporters(r))})"
    per_db = {}
    for s in r["series"]:
        per_db.setdefault((exporter(s), s["labels"].get("database")), []).append(s["labels"].get("state"))
    yield all(len(v) == 1 for v in per_db.values()), f"one state per database (got {per_db})"
    # Synapse's own gauge says 0 (disabled) while updates are paused, as measured on 1.160: master is paused here.
    yield all(v == ["disabled"] for (e, _), v in per_db.items() if e == "master"), f"master disabled while paused (got {per_db})"


def exp_queue_position(r):
    yield exporters(r) <= SRC and "master" in exporters(r), f"master (and split) only (got {sorted(exporters(r))})"
    cur = (synapse_at("master", END)["current_updates"].get("master") or {}).get("name")
    first = [s["labels"].get("update") for s in r["series"]
             if exporter(s) == "master" and s["labels"].get("database") == "master" and s["points"][0][1] == 0]
    yield first == [cur], f"master's position 0 is the update the admin API names ({cur}; got {first})"
    for e in SRC:
        for db in {s["labels"].get("database") for s in r["series"] if exporter(s) == e}:
            pos = sorted(s["points"][0][1] for s in r["series"] if exporter(s) == e and s["labels"].get("database") == db)
            yield pos == [float(i) for i in range(len(pos))], f"{e}/{db}: positions 0..n-1 (got {pos})"


def same_keys_as_queue(r, minimum=None):
    want = queue_keys(results["22/A"])
    got = queue_keys(r)
    yield got == want, f"the queue's (exporter, database, update) keys ({len(got)} vs {len(want)})"
    if minimum is not None:
        yield all(s["points"][0][1] >= minimum for s in r["series"]), f"values >= {minimum}"


def subset_of_queue(r):
    want = {(e, db, u) for e, db, u in queue_keys(results["22/A"])}
    got = {k for k in queue_keys(r)}
    # A range panel may hold updates that finished during the range: checked at the end only.
    end_keys = {(exporter(s), s["labels"].get("database"), s["labels"].get("update"))
                for s in r["series"] if abs(s["points"][-1][0] - END) < 0.01}
    yield end_keys <= want, f"at the end only updates in the queue ({sorted(end_keys - want)} are not)"
    yield all(v >= 0 for s in r["series"] for _, v in s["points"]), "never negative"
    yield exporters(r) <= SRC, f"no other exporter (got {sorted(exporters(r))})"


def exp_pending(r):
    yield exporters(r) == SRC, f"master and split (got {sorted(exporters(r))})"
    queued = {}
    for e, db, _ in queue_keys(results["22/A"]):
        queued[(e, db)] = queued.get((e, db), 0) + 1
    end = {(e, dict(k).get("database")): v for (e, k), v in at_end(r).items()}
    yield all(end.get(k) == float(n) for k, n in queued.items() if k[0] == "master"), \
        f"master: as many as its queue at the end (pending {end}, queue {queued})"
    yield end.get(("master", "master"), 0) >= 1, "master has at least its paused update pending"


def exp_no_index_build(r):
    # Index builds are read from pg_stat_progress_create_index: the scraped exporters read SQLite, which has none
    # (45-queue.sh's src-4 checks a real one on the PostgreSQL homeserver).
    yield not r["series"], f"no series: SQLite has no index-build progress (got {len(r['series'])})"


def exp_sources_up(r):
    yield exporters(r) == SRC, f"master and split (got {sorted(exporters(r))})"
    end = at_end(r)
    srcs = {(e, dict(k).get("source")) for e, k in end}
    yield {("master", "synapse_metrics"), ("master", "database"), ("split", "synapse_metrics"), ("split", "database")} <= srcs, \
        f"both sources of both exporters (got {sorted(srcs)})"
    yield all(v == 1 for v in end.values()), f"all up at the end (got {end})"


def exp_source_errors(r):
    yield exporters(r) <= SRC, f"no other exporter (got {sorted(exporters(r))})"
    yield all(s["labels"].get("source") in ("synapse_metrics", "database") for s in r["series"]), "only the two sources"
    yield all(v >= 0 for s in r["series"] for _, v in s["points"]), "rates >= 0"




# ---- the Fleet row (issue 15): one state per homeserver (here: per exporter), in the status page's order ---------
FLEET_PANELS = {"31", "32", "33", "34", "35", "36", "37"}
CODE = {"failing": 4, "aborted": 3, "paused": 2, "running": 1, "safe": 0}


def fleet_state(e):
    """EXPORTER's state at the end, computed here from the values the per-homeserver panels show at the end (each
    checked above against Synapse's recorded answers): failing, aborted, paused, running, safe, or None (no data)."""
    src = [v for (x, _), v in at_end(results["28/A"]).items() if x == e]
    states = [s["labels"].get("state") for s in results["21/A"]["series"] if exporter(s) == e]
    pending = [v for (x, _), v in at_end(results["23/A"]).items() if x == e]
    if last(results["2/A"], e) == 0 or last(results["3/A"], e) == 0 or 0 in src:
        return "failing"
    if "aborted" in states:
        return "aborted"
    if last(results["4/A"], e) == 0:
        return "paused"
    progress = last(results["5/A"], e)
    if (progress or 0) > 0 or any(v > 0 for v in pending) or any(x != "complete" for x in states):
        return "running"
    return "safe" if progress == 0 else None


def exp_fleet_facts(r):
    """What the run itself says, independently of the PromQL: the three failing exporters fail, master is paused
    (its timed pause), and split runs while Synapse reported an update in all its answers of the last stale-after."""
    yield all(fleet_state(e) == "failing" for e in BAD), f"the three failing exporters: failing (got {[fleet_state(e) for e in BAD]})"
    yield fleet_state("master") == "paused", f"master: paused (got {fleet_state('master')})"
    if all(a["current_updates"] for a in answers_before_end("split", STALE)):
        yield fleet_state("split") == "running", f"split: running, Synapse reports an update (got {fleet_state('split')})"
    else:
        yield fleet_state("split") in ("running", "safe"), f"split: running or safe (got {fleet_state('split')})"


def fleet_count(state):
    """A count panel: one series without labels (count(...) or vector(0)), equal to the exporters in that state."""
    def check(r, exps=ALL5):
        yield from exp_fleet_facts(r)
        want = sum(1 for e in exps if fleet_state(e) is not None and (state is None or fleet_state(e) == state))
        got = [(s["labels"], s["points"][-1][1]) for s in r["series"]]
        yield len(got) == 1 and got[0][0] == {} and got[0][1] == want, \
            f"{want} of {sorted(exps)} ({ {e: fleet_state(e) for e in sorted(exps)} }; got {got})"
    return check


def exp_fleet_table(r, exps=ALL5):
    """Each exporter not safe, its state as the value: a row per current update (9/A at the end), else one row."""
    want = set()
    for e in exps:
        if fleet_state(e) in (None, "safe"):
            continue
        ups = updates(results["9/A"], e)
        want |= {(e, db, u, float(CODE[fleet_state(e)])) for db, u in ups} or {(e, None, None, float(CODE[fleet_state(e)]))}
    got = {(exporter(s), s["labels"].get("database"), s["labels"].get("update"), s["points"][-1][1]) for s in r["series"]}
    yield got == want, f"rows (exporter, database, update, state) {sorted(got, key=str)}, want {sorted(want, key=str)}"
    yield len(r["series"]) == len(got), "no duplicate row"



EXPECT = {
    "2/A": exp_up, "3/A": exp_synapse_up, "4/A": exp_enabled, "5/A": exp_in_progress, "6/A": exp_last_poll,
    "7/A": exp_pause,
    "9/A": table(lambda u: u["total_item_count"]), "9/B": table(lambda u: u["total_duration_ms"] / 1000),
    "9/C": table(lambda u: u["average_items_per_ms"] * 1000, rate=True), "9/D": table(None),
    "11/A": exp_over_time, "12/A": exp_over_time, "13/A": exp_since_progress, "14/A": exp_over_time,
    "16/A": exp_synapse_up, "16/B": exp_enabled, "17/A": exp_errors, "17/B": exp_polls, "18/A": exp_poll_duration,
    "19/A": exp_admin,
    "21/A": exp_updater_state, "22/A": exp_queue_position, "22/B": lambda r: same_keys_as_queue(r),
    "22/C": lambda r: same_keys_as_queue(r, minimum=0), "22/D": subset_of_queue, "23/A": exp_pending,
    "24/A": subset_of_queue, "25/A": subset_of_queue, "26/A": exp_no_index_build, "26/B": exp_no_index_build,
    "27/A": exp_no_index_build, "27/B": exp_no_index_build, "27/C": exp_no_index_build, "28/A": exp_sources_up,
    "29/A": exp_source_errors,
    "31/A": fleet_count(None), "32/A": fleet_count("safe"), "33/A": fleet_count("running"), "34/A": fleet_count("paused"),
    "35/A": fleet_count("failing"), "36/A": fleet_count("aborted"), "37/A": exp_fleet_table,
}

for key in sorted(set(results) | set(EXPECT), key=lambda k: [int(x) if x.isdigit() else x for x in k.split("/")]):
    if key not in EXPECT:
        problems.append(f"panel {key} ({results[key]['title']}): no expectation in 40-dashboard.sh: add one")
        continue
    if key not in results:
        problems.append(f"panel {key}: expected by 40-dashboard.sh but not in the dashboard")
        continue
    r = results[key]
    fails = [msg for ok, msg in EXPECT[key](r) if not ok]
    n = sum(len(s["points"]) for s in r["series"])
    lines.append(f"{'ok' if not fails else 'FAILED'}: {key} {r['title']} [{r['mode']}]: {len(r['series'])} series, {n} points"
                 + ("" if not fails else ": " + "; ".join(fails)))
    problems += [f"{key} {r['title']}: {m}" for m in fails]

# ---- the variables: their own queries, and every query filtered by them ---------------------------------------
jobs = query("/api/v1/label/job/values", **{"match[]": "synapse_background_updates_up"})
insts = query("/api/v1/label/instance/values", **{"match[]": 'synapse_background_updates_up{job=~".+"}'})
lines.append(f"variables: job {jobs}, instance {len(insts)} values")
if jobs != ["synapse-bgu-exporter"] or set(insts) != set(INST.values()):
    problems.append(f"variables: job {jobs}, instance {insts}")
only_master = evaluate(ctx["tsv"]["instance"])
no_job = evaluate(ctx["tsv"]["job"])
canon = lambda ss: sorted(json.dumps(s, sort_keys=True) for s in ss)
# The Fleet row aggregates over the homeservers (no instance label): filtered, it must count only the selected ones.
FLEET = {k for k in results if k.split("/")[0] in FLEET_PANELS}
bad_inst = [k for k in results if k not in FLEET and canon(only_master[k]["series"]) != canon([s for s in results[k]["series"] if exporter(s) == "master"])]
bad_job = [k for k in results if k not in FLEET and no_job[k]["series"]]
for k in sorted(FLEET):
    fails = [m for ok, m in EXPECT[k](only_master[k], {"master"}) if not ok]
    bad_inst += [f"{k} ({'; '.join(fails)})"] if fails else []
    fails = [m for ok, m in EXPECT[k](no_job[k], set()) if not ok]
    bad_job += [f"{k} ({'; '.join(fails)})"] if fails else []
lines.append(f"instance = master's: {len(results) - len(bad_inst)}/{len(results)} queries return exactly master's series "
             f"({sum(1 for k in only_master if only_master[k]['series'])} not empty); job = no-such-job: "
             f"{len(results) - len(bad_job)}/{len(results)} return nothing")
problems += [f"{k}: not filtered by $instance" for k in bad_inst] + [f"{k}: not filtered by $job" for k in bad_job]
print(json.dumps({"lines": lines, "problems": problems}))
EOF
) || { fail "the evaluation failed"; return 1; }
  jq -r '.lines[], (.problems[] | "problem: " + .)' <<<"$res" | while IFS= read -r l; do note "$l"; done
  expect_json "$res" '.problems == []' "every panel shows what it must ($(jq -r '.problems | length' <<<"$res") problems)"

  # Resume, then: what does the "Timed pause ends in" stat show once the pause is over?
  out=$(admin_api POST /api/v1/enabled '{"enabled": true}')
  note "resume: $out"
  expect_json "${out#* }" ".enabled == true and .cancelled_resume_at == \"$resume_at\"" "resumed, timed pause cancelled"
  sleep 3
  # Evidence, not (yet) a pass/fail criterion: the stat panel reduces a range query with lastNotNull, so once the
  # pause is over it keeps showing the range's last value instead of "No timed pause" (an instant query would not).
  t_now=$(now)
  expr=$(awk -F'\t' '$1 == 7 { print $4 }' <<<"$tsv_all")
  out=$(curl -fsS --max-time 10 --get "$PROM_URL/api/v1/query_range" --data-urlencode "query=$expr" \
    --data-urlencode "start=$(python3 -c "print($t_now - 600)")" --data-urlencode "end=$t_now" --data-urlencode step=2 \
    | jq -c "[.data.result[] | {instance: .metric.instance, last_point_age_s: ($t_now - (.values | last | .[0]) | floor), last_value: (.values | last | .[1])}]")
  note "panel 7 (Timed pause ends in) 3 s after the resume: instant query $(promql "$expr" | jq length) series; range query as the stat panel runs it: $out"
  jq -e 'length > 0' >/dev/null <<<"$out" \
    && note "FINDING: Grafana would still show the last value above (lastNotNull of the range), not \"No timed pause\""
}
