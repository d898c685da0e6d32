#!/usr/bin/env python3
"""Connections that pipeline requests and never read the answers: how much memory does the server hold?

Starts nothing: point it at a running server and its process id.

    cargo build --release
    target/release/healthpress serve --content content --addr 127.0.0.1:8099 --workers 2 &
    python3 scripts/probe-pipelining.py --addr 127.0.0.1:8099 --pid $!

Opens --connections connections (100), and on each writes up to --megabytes (5) of pipelined
`GET / HTTP/1.1` requests, never reading. Writes are non-blocking: a connection the server has
stopped reading from (or has closed) simply takes no more. Prints the server's resident memory
(VmRSS from /proc/PID/status) before, while the connections are open, and after they are closed.
Standard library only (Python 3.11).
"""

import argparse
import selectors
import socket
import time


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--addr", default="127.0.0.1:8099")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--connections", type=int, default=100)
    p.add_argument("--megabytes", type=float, default=5)
    p.add_argument("--seconds", type=float, default=20, help="how long to keep writing")
    p.add_argument("--path", default="/")
    args = p.parse_args()
    host, port = args.addr.rsplit(":", 1)
    request = f"GET {args.path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    chunk = request * (65536 // len(request))
    budget = int(args.megabytes * 1024 * 1024)

    print(f"before: {rss_mb(args.pid):.1f} MB")
    sel = selectors.DefaultSelector()
    socks = []
    refused = 0
    for _ in range(args.connections):
        s = socket.socket()
        try:
            s.connect((host, int(port)))
        except OSError:
            refused += 1
            continue
        s.setblocking(False)
        socks.append(s)
        sel.register(s, selectors.EVENT_WRITE, [0])
    sent_total = 0
    closed = 0
    peak = 0.0
    start = time.monotonic()
    last_print = start
    while time.monotonic() - start < args.seconds and sel.get_map():
        for key, _ in sel.select(timeout=0.2):
            s, state = key.fileobj, key.data
            try:
                n = s.send(chunk[: min(len(chunk), budget - state[0])])
            except BlockingIOError:
                continue
            except OSError:
                sel.unregister(s)
                closed += 1
                continue
            state[0] += n
            sent_total += n
            if state[0] >= budget:
                sel.unregister(s)
        now = time.monotonic()
        if now - last_print >= 2:
            rss = rss_mb(args.pid)
            peak = max(peak, rss)
            print(
                f"  t={now - start:4.0f}s rss={rss:7.1f} MB sent={sent_total / 1e6:7.1f} MB "
                f"closed-by-server={closed}"
            )
            last_print = now
    # Keep the connections open a little longer, then measure once more.
    time.sleep(2)
    rss = rss_mb(args.pid)
    peak = max(peak, rss)
    still_open = 0
    for s in socks:
        try:
            s.setblocking(False)
            if s.recv(1, socket.MSG_PEEK) == b"":
                continue
            still_open += 1
        except BlockingIOError:
            still_open += 1
        except OSError:
            pass
    print(
        f"during: {rss:.1f} MB (peak {peak:.1f} MB); sent {sent_total / 1e6:.1f} MB; "
        f"refused {refused}; closed by the server while writing {closed}; "
        f"still open (or with unread answers) {still_open}"
    )
    for s in socks:
        s.close()
    for wait in (2, 5, 10):
        time.sleep(wait if wait == 2 else wait - (5 if wait == 10 else 2))
        print(f"after closing +{wait}s: {rss_mb(args.pid):.1f} MB")


if __name__ == "__main__":
    main()
