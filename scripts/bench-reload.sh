#!/usr/bin/env bash
# Edit-to-visible times and memory of `serve --watch` on a large synthetic site (default 10,000
# articles x 2 wordings). See scripts/bench-reload.py for what is measured.
#
# usage: scripts/bench-reload.sh [ARTICLES] [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
bin=${2:-}
if [ -z "$bin" ]; then cargo build --release -q; bin=./target/release/healthpress; fi
work=$(mktemp -d /tmp/healthpress-reload.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
python3 scripts/generate-content.py "$n" "$work/content" >/dev/null
echo "content: $n articles, $(du -sh "$work/content" | cut -f1)"
python3 scripts/bench-reload.py "$bin" "$work/content"
