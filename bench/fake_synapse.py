#!/usr/bin/env python3
"""A fake Synapse for the benchmark: serves a fixed background-updates status on loopback.

Only 127.0.0.1. It counts status requests (so the benchmark can check that scrapes do not reach
Synapse), can be told to stall (a hung homeserver), and exits by itself after --lifetime seconds
so a benchmark killed without cleanup does not leave it behind for long.

Control endpoints (bench only):
  GET  /__bench/count   -> number of status requests answered or stalled so far
  POST /__bench/hang    -> from now on, status requests stall (until /__bench/unhang or --max-stall)
  POST /__bench/unhang  -> answer normally again; stalled requests are answered at once
"""

import argparse
import http.server
import json
import os
import signal
import sys
import threading
import time

STATUS_PATH = "/_synapse/admin/v1/background_updates/status"

# Two databases, both with a rate, as a split-database Synapse reports it mid-migration.
STATUS = {
    "enabled": True,
    "current_updates": {
        "main": {
            "name": "populate_stats_process_rooms",
            "total_item_count": 123456,
            "total_duration_ms": 98765.4,
            "average_items_per_ms": 1.2345,
        },
        "state": {
            "name": "state_group_state_deduplication",
            "total_item_count": 4242,
            "total_duration_ms": 5000.0,
            "average_items_per_ms": 0.8484,
        },
    },
}
BODY = json.dumps(STATUS, separators=(",", ":")).encode()


class State:
    def __init__(self, token, max_stall):
        self.token = token
        self.max_stall = max_stall
        self.count = 0
        self.lock = threading.Lock()
        self.unhung = threading.Event()
        self.unhung.set()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None  # set in main

    def log_message(self, *args):  # quiet: the benchmark prints its own summary
        pass

    def _send(self, status, body, content_type="application/json"):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The exporter gave up (its --synapse.timeout) while we stalled: expected.
            self.close_connection = True

    def do_GET(self):
        st = self.state
        if self.path == "/__bench/count":
            with st.lock:
                n = st.count
            self._send(200, f"{n}\n".encode(), "text/plain")
            return
        if self.path != STATUS_PATH:
            self._send(404, b'{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}')
            return
        if self.headers.get("Authorization") != "Bearer " + st.token:
            self._send(401, b'{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token passed."}')
            return
        with st.lock:
            st.count += 1
        if not st.unhung.is_set():
            st.unhung.wait(st.max_stall)
        self._send(200, BODY)

    def do_POST(self):
        st = self.state
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.path == "/__bench/hang":
            st.unhung.clear()
        elif self.path == "/__bench/unhang":
            st.unhung.set()
        else:
            self._send(404, b"")
            return
        self._send(200, b"ok\n", "text/plain")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True, help="the bound port is written here")
    p.add_argument("--lifetime", type=float, default=1800, help="exit after this many seconds")
    p.add_argument("--max-stall", type=float, default=60, help="longest a request stalls")
    args = p.parse_args()
    token = os.environ.get("FAKE_SYNAPSE_TOKEN")
    if not token:
        sys.exit("fake_synapse: FAKE_SYNAPSE_TOKEN must be set")
    Handler.state = State(token, args.max_stall)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Bounded: never outlive a benchmark that was killed without its cleanup.
    timer = threading.Timer(args.lifetime, lambda: os.kill(os.getpid(), signal.SIGTERM))
    timer.daemon = True
    timer.start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        Handler.state.unhung.set()
        server.server_close()


if __name__ == "__main__":
    main()
