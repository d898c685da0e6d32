#!/usr/bin/env bash
# Throughput and latency of healthpress against nginx serving the same page: the bytes healthpress
# serves, written where nginx's gzip_static finds them (the static export's own page differs: it has
# no search form, which needs the server).
# Both servers get one worker pinned to CPU 0; wrk runs pinned to CPU 1; runs are interleaved.
#
# usage: scripts/bench.sh [SECONDS_PER_RUN] [ROUNDS]      (needs nginx and wrk: apt-get install -y nginx wrk)
#
# With LOGS=1 both log every request to a file: nginx its access log (the default "combined"
# format), healthpress its default configuration (RUST_LOG unset: a line per request).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
rounds=${2:-3}
page=${PAGE:-/articles/leg-cramps/patient}
logs=${LOGS:-0}
work=$(mktemp -d /tmp/healthpress-bench.XXXXXX)
chmod 755 "$work"   # nginx workers run as an unprivileged user
trap 'kill $(jobs -p) 2>/dev/null; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT

command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install -y nginx)"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)"; exit 1; }

cargo build --release -q
./target/release/healthpress build --content content --out "$work/site" 2>/dev/null

cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
worker_cpu_affinity 01;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log $( [ "$logs" = 1 ] && echo "$work/nginx-access.log" || echo off );
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 100000;
  gzip_static on;
  # The same headers healthpress sends, so both responses carry the same bytes.
  add_header Content-Security-Policy "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  add_header X-Content-Type-Options nosniff;
  add_header Referrer-Policy strict-origin-when-cross-origin;
  add_header Permissions-Policy "camera=(), microphone=(), geolocation=(), interest-cohort=()";
  add_header X-Frame-Options DENY;
  add_header Cross-Origin-Opener-Policy same-origin;
  add_header Cache-Control "public, max-age=300, stale-while-revalidate=86400";
  add_header Vary Accept-Encoding;
  types { text/html html; text/css css; image/svg+xml svg; }
  server {
    listen 127.0.0.1:8090;
    root $work/site;
    location / { try_files \$uri \$uri/index.html =404; }
  }
}
NGINX
nginx -c "$work/nginx.conf"
if [ "$logs" = 1 ]; then
  (unset RUST_LOG; exec taskset -c 0 ./target/release/healthpress serve --content content --addr 127.0.0.1:8091 --workers 1 --max-connections-per-client 0 2>"$work/healthpress.log") &
else
  RUST_LOG=warn taskset -c 0 ./target/release/healthpress serve --content content --addr 127.0.0.1:8091 --workers 1 --max-connections-per-client 0 &
fi
until curl -sf -o /dev/null http://127.0.0.1:8091/healthz; do sleep 0.1; done
sleep 1   # let the background compression finish
# nginx serves the very page healthpress sends, and its gzip copy.
file="$work/site${page%/}/index.html"
mkdir -p "$(dirname "$file")"
curl -sf http://127.0.0.1:8091$page -o "$file"
curl -sf -H 'Accept-Encoding: gzip' http://127.0.0.1:8091$page -o "$file.gz"
rm -f "$file.br"
chmod -R a+rX "$work/site"

# Same bytes from both?
a=$(curl -s --compressed http://127.0.0.1:8090$page | sha256sum)
b=$(curl -s --compressed http://127.0.0.1:8091$page | sha256sum)
[ "$a" = "$b" ] || { echo "the two servers send different pages"; curl -sv --compressed http://127.0.0.1:8090$page 2>&1 | head -20; exit 1; }

run() { # name url conns
  taskset -c 1 wrk -t1 -c"$3" -d"${secs}s" --latency -H 'Accept-Encoding: gzip' "$2" |
    awk -v n="$1" -v c="$3" '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} /Non-2xx|Socket errors/ {err=err" "$0} END {printf "%s c=%s rps=%s p99=%s%s\n", n, c, rps, p99, err}'
}
results="$work/results"
for round in $(seq "$rounds"); do
  for c in 64 256; do
    run nginx "http://127.0.0.1:8090$page" "$c" | tee -a "$results"
    run healthpress "http://127.0.0.1:8091$page" "$c" | tee -a "$results"
  done
done
echo
[ "$logs" = 1 ] && echo "logged: nginx $(wc -l < "$work/nginx-access.log") lines, healthpress $(grep -c 'healthpress::request' "$work/healthpress.log") lines"
echo "median over $rounds rounds (requests/s, p99)$( [ "$logs" = 1 ] && echo ', both logging every request'):"
python3 - "$results" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) c=(\d+) rps=([\d.]+) p99=(\S+)", line)
    if not m:
        continue
    name, c, rps, p99 = m.groups()
    unit = {"us": 1e-3, "ms": 1, "s": 1e3}
    v = re.match(r"([\d.]+)(us|ms|s)", p99)
    rows.setdefault((name, int(c)), []).append((float(rps), float(v.group(1)) * unit[v.group(2)]))
for c in (64, 256):
    n = rows.get(("nginx", c), [])
    h = rows.get(("healthpress", c), [])
    if not n or not h:
        continue
    nr, hr = statistics.median(r for r, _ in n), statistics.median(r for r, _ in h)
    np, hp = statistics.median(p for _, p in n), statistics.median(p for _, p in h)
    print(f"c={c}: nginx {nr:.0f} rps p99 {np:.2f} ms | healthpress {hr:.0f} rps p99 {hp:.2f} ms | ratio {hr/nr:.2f}")
PY
