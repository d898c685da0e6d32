#!/usr/bin/env bash
# Start time, memory and latency with a large synthetic site (default 10,000 articles x 2 wordings of ~6 KB).
#
# usage: scripts/bench-large.sh [ARTICLES]      (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=$(mktemp -d /tmp/healthpress-large.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
cargo build --release -q
python3 scripts/generate-content.py "$n" "$work/content"
echo "content: $n articles, $(du -sh "$work/content" | cut -f1)"

measure() { # content port -> prints start time, then RSS once background compression settles
  local start end pid
  start=$(date +%s%N)
  # Loading uses every core; once serving, the server is pinned to CPU 0 and wrk to CPU 1.
  RUST_LOG=warn ./target/release/healthpress serve --content "$1" --addr "127.0.0.1:$2" --workers 1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$2/healthz"; do sleep 0.01; done
  end=$(date +%s%N)
  taskset -a -pc 0 "$pid" >/dev/null
  echo "start to serving: $(( (end - start) / 1000000 )) ms"
  local prev=0 rss
  while :; do
    sleep 2
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    [ "$rss" = "$prev" ] && break
    prev=$rss
  done
  echo "resident memory after compression settles: $(( rss / 1024 )) MiB"
}

latency() { # port page
  taskset -c 1 wrk -t1 -c64 -d10s --latency -H 'Accept-Encoding: gzip' "http://127.0.0.1:$1$2" |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "  %s rps, p50 %s, p99 %s\n", rps, p50, p99}'
}

echo "== $n articles"
measure "$work/content" 8095
echo "latency, one article page:"
latency 8095 /articles/article-00042/patient
kill %1; wait 2>/dev/null || true

echo "== bundled content (small site)"
measure content 8096
echo "latency, one article page:"
latency 8096 /articles/leg-cramps/patient
