#!/usr/bin/env bash
# Reader feedback under load: page reads with wrk for SECONDS (default 30) without feedback, then the
# same reads while scripts/load-feedback.py sends feedback POSTs at a steady RATE per second (default
# 20, each from its own client address through X-Forwarded-For, so the per-client limit does not
# refuse them); then counts the answers in the database. Prints both runs' page latency (p50, p99)
# and "accepted = in database".
#
# usage: scripts/load-feedback.sh [SECONDS] [RATE] [BINARY] [POSTGRES_URL]
#   without POSTGRES_URL the data is kept in SQLite in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
rate=${2:-20}
bin=${3:-}
database=${4:-}
if [ -z "$bin" ]; then cargo build --release -q; bin=${CARGO_TARGET_DIR:-target}/release/healthpress; fi
work=$(mktemp -d /tmp/healthpress-load.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
addr=127.0.0.1:$port
store_args=(--data "$work/data")
[ -n "$database" ] && store_args=(--database "$database")
RUST_LOG=warn "$bin" serve --content content --addr "$addr" --workers 1 --trusted-proxy 127.0.0.1 \
  "${store_args[@]}" &
for _ in $(seq 100); do curl -fs "http://$addr/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
page="http://$addr/articles/leg-cramps/patient"
reads() {
  wrk -t1 -c8 -d"${seconds}s" --latency -H 'Accept-Encoding: gzip' "$page" \
    | awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {printf "%s req/s, p50 %s, p99 %s", rps, p50, p99}'
}
curl -fs "$page" >/dev/null
echo "page reads alone:          $(reads)"
python3 scripts/load-feedback.py "$addr" "$seconds" "$rate" >"$work/posts.txt" &
posts=$!
echo "page reads with feedback:  $(reads)"
wait $posts
cat "$work/posts.txt"
if [ -n "$database" ]; then
  psql=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/psql
  [ -x "$psql" ] || psql=psql
  stored=$("$psql" "$database" -Atc "SELECT COUNT(*) FROM feedback WHERE comment LIKE 'load test %'")
else
  stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT COUNT(*) FROM feedback WHERE comment LIKE 'load test %'\").fetchone()[0])" "$work/data/healthpress.db")
fi
accepted=$(awk '/^accepted/ {print $2}' "$work/posts.txt")
echo "in the database: $stored"
if [ "$accepted" = "$stored" ]; then echo "accepted = in database: none lost"; else echo "MISMATCH: accepted $accepted, stored $stored"; exit 1; fi
