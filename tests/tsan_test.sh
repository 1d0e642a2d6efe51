#!/bin/sh
# make tsan: the threaded ingest (cmd_ingest.c: worker threads run stages
# 1-6, the calling thread writes and runs them too when it waits) under
# ThreadSanitizer, with 4 threads (3 workers and the writer) on
# inputs of every format (the corpus texts, and tests/data/ingest's HTML,
# docx, xlsx, CSV, TSV, JSON Lines and legacy encodings, three copies
# each), then a re-ingest of the changed half. A ThreadSanitizer report
# fails it (exit code 66). Suppressions of reports inside uninstrumented
# system libraries, each explained: tests/tsan.supp.
#   usage: tsan_test.sh BAOGAO (built with -DBG_TSAN=ON) SRCDIR
set -u
bg=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 suppressions=$src/tests/tsan.supp"
export BAOGAO_THREADS=4
. "$(dirname "$0")/check.sh"
mkdir "$tmp/in"
cp -r "$src/corpus" "$tmp/in/corpus"
for i in 1 2 3; do
    for f in "$src"/tests/data/ingest/*; do
        case $f in *.expected | *README.md | */cases.tsv) continue ;; esac
        cp "$f" "$tmp/in/$i-$(basename "$f")"
    done
done
run() { # description, then the ingest's arguments
    d=$1
    shift
    "$bg" --db "$tmp/t.db" ingest "$@" >"$tmp/out" 2>&1
    st=$?
    if [ "$st" -eq 66 ] || grep -q "ThreadSanitizer" "$tmp/out"; then
        no "$d"
        grep -A30 "WARNING: ThreadSanitizer" "$tmp/out" | head -n 40
    elif [ "$st" -ne 0 ]; then
        no "$d (exit $st)"
        grep -v ": warning: " "$tmp/out" | tail -n 5
    else
        ok "$d"
    fi
}
# a record file of several chunks (cmd_ingest.c CHUNK_DOCS), whose chunks
# any thread builds: 5,000 one-line records, each distinct
python3 -c '
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i in range(5000):
        f.write("{\"title\": \"第%d号\", \"text\": \"第%d号来信反映路灯损坏已经%d天，希望尽快修好。\"}\n" % (i, i, i % 97 + 2))
' "$tmp/in/chunks.jsonl"
run "$(ls "$tmp/in" | wc -l) inputs of every format, 4 threads" "$tmp/in"
for f in "$tmp"/in/corpus/*/*.txt "$tmp"/in/2-*.csv "$tmp"/in/2-*.html; do
    printf '\n' >>"$f" # UTF-8 files: still valid
done
run "changed files again (replacing stored sources)" "$tmp/in"
# the database the threads wrote: SQLite's and FTS5's integrity checks
check "the database is sound (integrity, FTS5)" \
    sh "$src/tests/db_check.sh" "$tmp/t.db"
check_done
