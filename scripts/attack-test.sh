#!/usr/bin/env bash
# Attacks from the security review, run on loopback against a release build, with figures:
#  1. readers' latency alone, then with 14 costly searches kept in flight (a quoted phrase of 16 common
#     words with a slop of 1000), probing /healthz every 0.25 s meanwhile;
#  2. resident memory while 100 wrong sign-ins arrive at once from 100 clients (behind a trusted proxy).
#
# usage: scripts/attack-test.sh [SECONDS] [BINARY] [CONTENT]   (needs wrk: apt-get install -y wrk)
# BINARY defaults to ./target/release/healthpress (built first), CONTENT to ./content; pass another
# build (and the content it reads) to compare.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
bin=${2:-}
content=${3:-content}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)"; exit 1; }
if [ -z "$bin" ]; then cargo build --release -q; bin=./target/release/healthpress; fi
work=$(mktemp -d /tmp/healthpress-attack.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
port=8098
url=http://127.0.0.1:$port
hash=$(echo 'a long passphrase' | "$bin" hash-password)
printf '[editors]\nalice = "%s"\n' "$hash" > "$work/editors.toml"
extra=()
if "$bin" serve --help | grep -q trusted-proxy; then extra=(--trusted-proxy 127.0.0.1); fi
RUST_LOG=warn "$bin" serve --content "$content" --addr 127.0.0.1:$port --workers 2 --editors "$work/editors.toml" "${extra[@]}" &
pid=$!
until curl -sf -o /dev/null $url/healthz; do sleep 0.05; done

readers() { # label: wrk on an article page, prints rps and p99
  wrk -t1 -c32 -d"${secs}s" --latency -H 'Accept-Encoding: gzip' $url/articles/leg-cramps/patient |
    awk -v n="$1" '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} /^ +50%/ {p50=$2}
      END {printf "%s: %s req/s, p50 %s, p99 %s\n", n, rps, p50, p99}'
}

echo "== readers alone"
readers "readers"

echo "== readers with 14 costly searches in flight"
q='%22the+and+of+to+a+in+is+or+for+with+your+it+can+be+that+are%22~1000'
wrk -t1 -c14 -d"$((secs + 2))s" --timeout 60s --latency "$url/search?q=$q&audience=patient" > "$work/search.txt" &
attack=$!
( while true; do curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}\n' $url/healthz >> "$work/healthz.txt" || echo "fail 10" >> "$work/healthz.txt"; sleep 0.25; done ) &
probe=$!
sleep 1
readers "readers under attack"
kill $probe 2>/dev/null || true
wait $attack || true
awk '{n++; if ($1!=200) bad++; if ($2>max) max=$2} END {printf "/healthz: %d probes, %d not 200, slowest %.3f s\n", n, bad, max}' "$work/healthz.txt"
awk '/requests in/ {reqs=$1} /Non-2xx/ {bad=$NF} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
  END {printf "costly searches: %s answered (%s not 200), p50 %s, p99 %s\n", reqs, (bad==""?0:bad), p50, p99}' "$work/search.txt"

echo "== 100 wrong sign-ins at once"
python3 - "$port" "$pid" <<'PY'
import socket, sys, threading, time, urllib.parse
port, pid = int(sys.argv[1]), sys.argv[2]
body = urllib.parse.urlencode({"username": "alice", "password": "guess", "csrf": "t"}).encode()
statuses, peak = [], [0]
def attempt(n):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(b"POST /editor/login HTTP/1.0\r\nHost: 127.0.0.1\r\nCookie: hp_login_csrf=t\r\n"
              b"X-Forwarded-For: 198.51.%d.%d\r\nContent-Type: application/x-www-form-urlencoded\r\n"
              b"Content-Length: %d\r\n\r\n" % (n // 250, n % 250 + 1, len(body)) + body)
    data = s.recv(100)
    statuses.append(data.split(b" ")[1].decode() if data else "none")
def rss():
    with open(f"/proc/{pid}/status") as f:
        return int(next(l for l in f if l.startswith("VmRSS")).split()[1])
done = [False]
def sample():
    while not done[0]:
        peak[0] = max(peak[0], rss()); time.sleep(0.01)
before = rss()
sampler = threading.Thread(target=sample); sampler.start()
started = time.time()
threads = [threading.Thread(target=attempt, args=(n,)) for n in range(100)]
for t in threads: t.start()
for t in threads: t.join()
took = time.time() - started
done[0] = True; sampler.join()
time.sleep(1)
counts = {s: statuses.count(s) for s in set(statuses)}
print(f"statuses {counts}, {took:.1f} s; resident memory: before {before/1024:.0f} MiB, "
      f"peak {peak[0]/1024:.0f} MiB, after {rss()/1024:.0f} MiB")
PY
