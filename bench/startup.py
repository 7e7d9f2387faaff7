#!/usr/bin/env python3
"""Time from process start to the first 200 on /metrics and on /-/ready.

Usage: startup.py --runs N --log FILE -- COMMAND... (every "{port}" in COMMAND is replaced by a
fresh free loopback port for each run).

Each run starts COMMAND, polls http://127.0.0.1:PORT/metrics every millisecond until it answers
200, then /-/ready the same way, reads the CPU time the process used by then, then stops the process it started (SIGTERM, SIGKILL after 10 s)
and waits for it. Prints one line per run: "metrics_ms ready_ms cpu_ms". Gives up on a run after
--deadline seconds (printed as "nan"), so it is bounded.
"""

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except OSError:
        return None
    finally:
        conn.close()


def wait_for_200(proc, port, path, deadline):
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {path} answered")
        if status(port, path) == 200:
            return time.monotonic()
        time.sleep(0.001)
    return None


def cpu_ms(pid):
    """User+system CPU time the process has used so far: less sensitive to a busy machine."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def one_run(command, log, deadline_s):
    port = free_port()
    argv = [a.replace("{port}", str(port)) for a in command]
    with open(log, "ab") as out:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = start + deadline_s
        t_metrics = wait_for_200(proc, port, "/metrics", deadline)
        t_ready = wait_for_200(proc, port, "/-/ready", deadline) if t_metrics else None
        ms = lambda t: float("nan") if t is None else (t - start) * 1000.0
        return ms(t_metrics), ms(t_ready), cpu_ms(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--log", default=os.devnull)
    p.add_argument("--deadline", type=float, default=20)
    p.add_argument("command", nargs="+")
    args = p.parse_args()
    for _ in range(args.runs):
        m, r, c = one_run(args.command, args.log, args.deadline)
        print(f"{m:.1f} {r:.1f} {c:.0f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
