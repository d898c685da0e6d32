#!/usr/bin/env bash
# Start time, memory and latency with a large synthetic site (default 10,000 articles x 2 wordings of ~6 KB).
#
# usage: scripts/bench-large.sh [ARTICLES] [--approved | --spanish]      (needs wrk: apt-get install -y wrk)
#
# With --spanish the site is in English and Spanish, every article translated and approved
# (scripts/generate-content.py --spanish); --approved gives every article an approval record without
# translations: the two compared give the cost of a second language.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
languages=${2:-}
work=$(mktemp -d /tmp/healthpress-large.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
cargo build --release -q
python3 scripts/generate-content.py "$n" "$work/content" $languages
echo "content: $n articles${languages:+ ($languages)}, $(du -sh "$work/content" | cut -f1)"

starts() { # content port -> start-to-serving time of 5 starts (median), with the CPU time each used
  local times=() start end pid
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    RUST_LOG=warn ./target/release/healthpress serve --content "$1" --addr "127.0.0.1:$2" --workers 1 >/dev/null 2>&1 &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$2/healthz"; do sleep 0.005; done
    end=$(date +%s%N)
    read -r ut st < <(awk '{print $14, $15}' "/proc/$pid/stat")
    times+=($(( (end - start) / 1000000 )))
    echo "  start to serving $(( (end - start) / 1000000 )) ms (CPU $(( (ut + st) * 1000 / $(getconf CLK_TCK) )) ms)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "  median start to serving: " a[int((NR+1)/2)] " ms"}'
}

measure() { # content port -> resident memory once background work settles (server left running)
  local pid prev=0 rss
  RUST_LOG=warn ./target/release/healthpress serve --content "$1" --addr "127.0.0.1:$2" --workers 1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$2/healthz"; do sleep 0.01; done
  echo "  resident memory when serving starts: $(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 )) MiB"
  # Loading uses every core; once serving, the server is pinned to CPU 0 and wrk to CPU 1.
  taskset -a -pc 0 "$pid" >/dev/null
  while :; do
    sleep 2
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    [ "$rss" = "$prev" ] && break
    prev=$rss
  done
  echo "  resident memory once compression and the search index settle: $(( rss / 1024 )) MiB (peak $(( $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024 )) MiB)"
}

latency() { # port page
  taskset -c 1 wrk -t1 -c64 -d10s --latency -H 'Accept-Encoding: gzip' "http://127.0.0.1:$1$2" |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "  %s rps, p50 %s, p99 %s\n", rps, p50, p99}'
}

echo "== $n articles"
starts "$work/content" 8095
measure "$work/content" 8095
echo "latency, one article page:"
latency 8095 /articles/article-00042/patient
kill %%; wait 2>/dev/null || true

echo "== bundled content (small site)"
starts content 8096
measure content 8096
echo "latency, one article page:"
latency 8096 /articles/leg-cramps/patient
