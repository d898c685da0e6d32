#!/usr/bin/env bash
# Load and fault run on loopback: 256 connections for a bounded time must see zero errors; the server
# answers normally afterwards; content reloads during load serve no errors; SIGTERM during load exits cleanly.
#
# usage: scripts/load-test.sh [SECONDS]      (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
work=$(mktemp -d /tmp/healthpress-load.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)"; exit 1; }
cargo build --release -q
cp -r content "$work/content"
port=8097
url=http://127.0.0.1:$port

# Every connection comes from loopback: lift the per-address connection cap.
RUST_LOG=warn ./target/release/healthpress serve --content "$work/content" --addr 127.0.0.1:$port --watch \
  --max-connections-per-client 0 &
pid=$!
until curl -sf -o /dev/null $url/healthz; do sleep 0.05; done

check() { # name, wrk output: fails on any socket error or non-2xx/3xx response
  echo "$2" | awk -v n="$1" '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} /requests in/ {reqs=$1}
    /Socket errors/ {errs=$0} /Non-2xx/ {non2xx=$NF}
    END {printf "%s: %s requests, %s rps, p99 %s, socket errors: %s, non-2xx: %s\n", n, reqs, rps, p99, (errs==""?"none":errs), (non2xx==""?0:non2xx)}'
  if echo "$2" | grep -qE "Socket errors|Non-2xx"; then echo "FAIL: $1 had errors"; exit 1; fi
}

echo "== $secs s, 256 connections, mixed pages"
cat > "$work/mixed.lua" <<'LUA'
local paths = {"/", "/articles/leg-cramps/patient", "/articles/leg-cramps/professional", "/articles/pad-claudication/patient",
  "/topics", "/articles", "/search?q=cramp&audience=patient", "/pages/editorial-policy", "/sitemap.xml"}
local i = 0
request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1], {["Accept-Encoding"] = "gzip, br"}) end
LUA
out=$(wrk -t2 -c256 -d"${secs}s" --latency -s "$work/mixed.lua" $url)
check "mixed load" "$out"
[ "$(curl -s -o /dev/null -w '%{http_code}' $url/articles/leg-cramps/patient)" = 200 ] && echo "after load: answers normally"

echo "== reloads during load"
toml="$work/content/articles/leg-cramps/article.toml"
( for i in $(seq 1 20); do sed -i "s/^summary = \"\(.*\)\"$/summary = \"\1 \"/" "$toml"; sleep 0.25; done ) &
out=$(wrk -t2 -c256 -d6s --latency -H 'Accept-Encoding: gzip' $url/articles/leg-cramps/patient)
wait %2 2>/dev/null || true
check "load with 20 reloads" "$out"

echo "== SIGTERM during load"
( sleep 2; kill -TERM $pid ) &
wrk -t2 -c256 -d5s $url/articles/leg-cramps/patient > "$work/term.txt" 2>&1 || true
if wait $pid; then echo "server exited cleanly (status 0) after SIGTERM"; else echo "FAIL: server exit status $?"; exit 1; fi
grep -E "requests in|Socket errors" "$work/term.txt" | sed 's/^/  /'
echo "(connections refused after shutdown are expected; requests in flight completed)"
