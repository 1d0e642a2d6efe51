#!/bin/sh
# Ingest benchmark (not a CTest test): unpacks ../shared/bench/
# lawrefbook-laws.tar.xz, ingests it end to end into a fresh database and
# prints MB/s, peak RSS (/usr/bin/time -v), the database size, and the time
# Python jieba (Debian python3-jieba) alone takes to segment the same text.
#   usage: tests/bench/ingest.sh BAOGAO [TARBALL]
set -eu
bg=$1
tarball=${2:-$(dirname "$0")/../../../shared/bench/lawrefbook-laws.tar.xz}
if [ ! -f "$tarball" ]; then
    echo "ingest benchmark skipped: no $tarball (give its path as the second argument)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xJf "$tarball"
bytes=$(find "$tmp" -type f -name '*.md' -exec cat {} + | wc -c)
files=$(find "$tmp" -type f -name '*.md' | wc -l)
/usr/bin/time -v "$bg" --db "$tmp/bench.db" ingest "$tmp" 2>"$tmp/time" >/dev/null || true
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tmp/time")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time")
cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' "$tmp/time")
grep '^baogao: ingested' "$tmp/time" || true
echo "files: $files, $(echo "$bytes" | awk '{printf "%.2f", $1/1e6}') MB of .md"
echo "baogao ingest: $secs s, $(awk -v b="$bytes" -v s="$secs" 'BEGIN{printf "%.2f", b/1e6/s}') MB/s, CPU $cpu"
echo "peak RSS: $(awk -v k="$rss" 'BEGIN{printf "%.0f", k/1024}') MB"
echo "database: $(du -m "$tmp/bench.db" | cut -f1) MB"
find "$tmp" -type f -name '*.md' -exec cat {} + >"$tmp/all.txt"
/usr/bin/python3 - "$tmp/all.txt" <<'PY'
import sys, time, logging
import jieba
jieba.setLogLevel(logging.WARNING)
jieba.initialize()
text = open(sys.argv[1], encoding='utf-8').read()
t = time.time()
n = sum(1 for _ in jieba.cut(text))
dt = time.time() - t
print(f"python jieba.cut (default mode, dictionary loaded first): {dt:.1f} s, "
      f"{len(text.encode()) / 1e6 / dt:.2f} MB/s, {n} tokens")
PY
