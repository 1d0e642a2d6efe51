#!/bin/sh
# `make demo` as a user runs it, in a scratch copy of the tree's Makefile,
# tests/deps.sh and corpus/ next to an existing ./baogao.db (the command's
# default database, which may hold the user's own documents):
#   - baogao.db is left byte for byte as it was (sha256 before and after);
#   - the demo's database is demo.db, holding the corpus (14 documents, as
#     `baogao ingest corpus` gives), and a second run replaces it;
#   - the output is quiet: no build lines (cmake's [ NN%] or -- lines), the
#     ingest's last line, then the summary, whose totals line ends it.
# The build directory is the one under test (already built: the demo's
# build step has nothing to do). Prints "N passed, N failed".
#   usage: demo_test.sh SRCDIR BUILDDIR
set -u
# a make of its own, not a child of the make that may run this test
unset MAKEFLAGS MFLAGS MAKELEVEL
src=$1
build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
mkdir -p "$tmp/tree/tests"
cp "$src/Makefile" "$tmp/tree/"
cp "$src/tests/deps.sh" "$tmp/tree/tests/"
cp -r "$src/corpus" "$tmp/tree/"
cd "$tmp/tree" || exit 1
"$build/baogao" --db baogao.db ingest corpus/seed 2>/dev/null
before=$(sha256sum baogao.db | cut -d' ' -f1)
docs_before=$(sqlite3 baogao.db "select count(*) from document")
for run in 1 2; do
    make --no-print-directory demo BUILD="$build" >out.txt 2>&1
    check_status $? "make demo (run $run) exits 0"
    check_status "$([ "$(sha256sum baogao.db | cut -d' ' -f1)" = "$before" ]; echo $?)" \
        "run $run: baogao.db untouched ($docs_before documents)"
    n=$(sqlite3 demo.db "select count(*) from document" 2>&1)
    check_status "$([ "$n" = 14 ]; echo $?)" "run $run: demo.db holds the corpus's 14 documents (got $n)"
done
noise=$(grep -c '^\[ *[0-9]*%\]\|^-- \|warning:\|^gmake\|^make\[' out.txt)
check_status "$([ "$noise" = 0 ]; echo $?)" "no build or warning lines in the output ($noise)"
grep -q '^baogao: ingested 10 files (14 documents' out.txt
check_status $? "the ingest's summary line is printed"
tail -n 1 out.txt | grep -q '^corpus: 14 documents'
check_status $? "the summary's totals line ends the output"
lines=$(wc -l <out.txt)
check_status "$([ "$lines" -le 24 ]; echo $?)" "$lines lines in all (3 of the demo, 16 of the summary)"
# every database this test built: SQLite's and FTS5's integrity checks
check_dbs "$tmp"/tree
[ "$fail" -eq 0 ] || cat out.txt
check_done
