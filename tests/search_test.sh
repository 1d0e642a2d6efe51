#!/bin/sh
# Every-occurrence search and kwic and the query syntax (issue 12), end to
# end: three national work reports (tests/data/search, real text with its
# page debris) and a Traditional seed report are ingested, then
# tests/search_check.py compares search and kwic with Python's str.count over
# the stored analysis forms, the stored terms and a Python reading of the
# query grammar, and throws hostile queries at both. Ends with "N passed, N
# failed".
#   usage: search_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/search.db"
"$bg" --db "$db" ingest "$src/tests/data/search" \
    "$src/tests/data/seed/seed-report-02.txt" 2>"$tmp/err" || {
    cat "$tmp/err"
    echo "0 passed, 1 failed"
    exit 1
}
sh "$src/tests/db_check.sh" "$db" || {
    echo "0 passed, 1 failed"
    exit 1
}
python3 "$src/tests/search_check.py" "$bg" "$db"
