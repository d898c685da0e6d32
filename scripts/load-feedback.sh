#!/usr/bin/env bash
# Reader feedback under load: page reads with wrk for SECONDS (default 30) without feedback, then the
# same reads while scripts/load-feedback.py sends feedback POSTs at a steady RATE per second (default
# 20, each from its own client address through X-Forwarded-For, so the per-client limit does not
# refuse them); then counts the answers in the database. Prints both runs' page latency (p50, p99)
# and "accepted = in database". The server runs pinned to CPU 0, wrk and the POST script to CPU 1 (as
# in scripts/bench.sh).
#
# usage: [ROUNDS=N] scripts/load-feedback.sh [SECONDS] [RATE] [BINARY] [POSTGRES_URL]
#   without POSTGRES_URL the data is kept in SQLite in a temporary folder (a PostgreSQL database
#   should be empty: the count is of the comments this script sends). ROUNDS (default 1) repeats
#   both runs, alternating, on the same server.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
rate=${2:-20}
bin=${3:-}
database=${4:-}
rounds=${ROUNDS:-1}
if [ -z "$bin" ]; then cargo build --release -q; bin=${CARGO_TARGET_DIR:-target}/release/healthpress; fi
work=$(mktemp -d /tmp/healthpress-load.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
addr=127.0.0.1:$port
store_args=(--data "$work/data")
if [ -n "$database" ]; then
  (umask 077; openssl rand -hex 32 >"$work/client-key")
  store_args=(--database "$database" --client-key "$work/client-key")
fi
RUST_LOG=warn taskset -c 0 "$bin" serve --content content --addr "$addr" --workers 1 --trusted-proxy 127.0.0.1 \
  "${store_args[@]}" 2>"$work/server.log" &
server=$!
for _ in $(seq 100); do curl -fs "http://$addr/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
page="http://$addr/articles/leg-cramps/patient"
reads() {
  taskset -c 1 wrk -t1 -c8 -d"${seconds}s" --latency -H 'Accept-Encoding: gzip' "$page" \
    | awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {printf "%s req/s, p50 %s, p99 %s", rps, p50, p99}'
}
curl -fs "$page" >/dev/null
accepted=0
for round in $(seq "$rounds"); do
  echo "round $round: page reads alone:          $(reads)"
  taskset -c 1 python3 scripts/load-feedback.py "$addr" "$seconds" "$rate" "$round" >"$work/posts.txt" &
  posts=$!
  echo "round $round: page reads with feedback:  $(reads)"
  wait $posts
  sed "s/^/round $round: /" "$work/posts.txt"
  accepted=$((accepted + $(awk '/^accepted/ {print $2}' "$work/posts.txt")))
done
if ! kill -0 "$server" 2>/dev/null; then
  echo "the server stopped during the run:"
  tail -20 "$work/server.log"
  exit 1
fi
count_sql="SELECT COUNT(*), COUNT(DISTINCT comment) FROM feedback WHERE comment LIKE 'load test %'"
if [ -n "$database" ]; then
  psql=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/psql
  [ -x "$psql" ] || psql=psql
  counts=$("$psql" "$database" -Atc "$count_sql")
else
  counts=$(python3 -c "import sqlite3,sys; print('|'.join(map(str, sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())))" \
    "$work/data/healthpress.db" "$count_sql")
fi
stored=${counts%|*}
distinct=${counts#*|}
echo "accepted in all: $accepted; in the database: $stored ($distinct different)"
if [ "$accepted" = "$stored" ] && [ "$stored" = "$distinct" ]; then
  echo "accepted = in database, each once: none lost"
else
  echo "MISMATCH: accepted $accepted, stored $stored, different $distinct"
  exit 1
fi
