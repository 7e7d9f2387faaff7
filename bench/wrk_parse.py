#!/usr/bin/env python3
"""Reads wrk --latency output on stdin; prints KEY.field<TAB>value lines for bench/run.sh.

Fields: p50_ms, p99_ms, rps, requests, errors (non-2xx/3xx answers plus socket errors).
"""

import re
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(f"not a wrk duration: {text}")
    return float(m.group(1)) * UNITS[m.group(2)]


def main():
    key = sys.argv[1]
    out = sys.stdin.read()
    pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    total = re.search(r"^\s+(\d+) requests in", out, re.M)
    if not (rps and total and "50" in pct and "99" in pct):
        sys.exit(f"wrk_parse: unexpected wrk output for {key}:\n{out}")
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if sock:
        errors += sum(int(g) for g in sock.groups())
    print(f"{key}.p50_ms\t{ms(pct['50']):.4f}")
    print(f"{key}.p99_ms\t{ms(pct['99']):.4f}")
    print(f"{key}.rps\t{float(rps.group(1)):.1f}")
    print(f"{key}.requests\t{total.group(1)}")
    print(f"{key}.errors\t{errors}")


if __name__ == "__main__":
    main()
