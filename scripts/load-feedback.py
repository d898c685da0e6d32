"""Feedback POSTs at a steady rate, as scripts/load-feedback.sh runs them.

usage: load-feedback.py HOST:PORT SECONDS RATE [ROUND]

Each POST comes "through a proxy" from its own client address (X-Forwarded-For, trusted by the server
under test), answers Yes or No on one of the bundled wordings, with a numbered comment. Prints how many
were accepted (303), refused, or failed, and the POST latency.
"""

import http.client
import sys
import time
import urllib.parse

host, seconds, rate = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
# Each round uses its own block of client addresses, so the per-client limit never refuses them.
first = (int(sys.argv[4]) if len(sys.argv) > 4 else 1) * 100_000
pages = [("leg-cramps", "patient"), ("leg-cramps", "professional"),
         ("statins-and-muscle-symptoms", "patient"), ("pad-claudication", "professional")]
statuses = {}
latencies = []
start = time.monotonic()
n = 0
conn = None
while True:
    due = start + n / rate
    now = time.monotonic()
    if due - start >= seconds:
        break
    if due > now:
        time.sleep(due - now)
    slug, audience = pages[n % len(pages)]
    body = urllib.parse.urlencode({
        "slug": slug, "audience": audience, "helpful": "yes" if n % 3 else "no",
        "comment": f"load test {first + n}", "website": "",
    })
    c = first + n
    client = f"10.{(c >> 16) & 255}.{(c >> 8) & 255}.{c & 255}"
    sent = time.monotonic()
    try:
        conn = http.client.HTTPConnection(host, timeout=10)
        conn.request("POST", "/feedback", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://{host}", "X-Forwarded-For": client,
        })
        status = conn.getresponse().status
        conn.close()
    except OSError:
        status = "error"
    latencies.append(time.monotonic() - sent)
    statuses[status] = statuses.get(status, 0) + 1
    n += 1
latencies.sort()
p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0
print(f"sent {n} feedback POSTs in {time.monotonic() - start:.1f} s ({rate:g}/s)")
print(f"accepted {statuses.get(303, 0)}")
print("answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str)))
print(f"POST latency p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
