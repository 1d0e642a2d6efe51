#!/bin/sh
# Robustness of `baogao ingest` on awkward inputs, generated in a temp dir:
# an empty file, a BOM-only file (each one warning, "no text", and no
# document), an unreadable entry, a symlink loop, and
# (with --slow) a file holding one 100 MB line and a directory of 10,000
# small files (the line is cut into documents of at most 4 MiB). Each
# input is ingested or reported in one clear line, the
# batch goes on, and the exit status says whether anything failed.
#
# Tests run as root, for whom chmod 000 does not make a file unreadable, so
# unreadability is simulated by a dangling symlink (open fails: ENOENT) and
# a FIFO (not a regular file: skipped without blocking on open).
#   usage: robust_test.sh BAOGAO [--slow]
set -u
bg=$1
slow=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
# lines of stderr naming a path (one clear line per input)
lines_for() { grep -c -F "$1" "$tmp/err"; }

if [ "$slow" != --slow ]; then
    d="$tmp/batch"
    mkdir -p "$d/loop"
    printf '' >"$d/a-empty.txt"
    printf '\357\273\277' >"$d/b-bom-only.txt"
    ln -s "$d/does-not-exist.txt" "$d/c-dangling.txt"
    mkfifo "$d/d-fifo.txt"
    ln -s .. "$d/loop/e-up"
    printf '第一篇:测试报告\n我们要加强学习。\n' >"$d/f-good.txt"
    timeout 20 "$bg" --db "$tmp/b.db" ingest "$d" 2>"$tmp/err"
    st=$?
    check "a batch with an unreadable entry exits 1" test "$st" -eq 1
    check "the empty file is one warning: no text (0 bytes), no document" \
        sh -c "test \"\$(grep -c 'a-empty.txt: warning: no text (0 bytes): no document' '$tmp/err')\" -eq 1"
    check "... and no other line names it" test "$(lines_for a-empty.txt)" -eq 1
    check "the BOM-only file is one warning: no text (only white space)" \
        sh -c "test \"\$(grep -c 'b-bom-only.txt: warning: no text (only white space): no document' '$tmp/err')\" -eq 1"
    check "... and no other line names it" test "$(lines_for b-bom-only.txt)" -eq 1
    check "the dangling symlink is one line: No such file or directory" \
        sh -c "test \"\$(grep -c 'c-dangling.txt: No such file or directory' '$tmp/err')\" -eq 1"
    check "the FIFO is one line: skipped, not a regular file" \
        sh -c "test \"\$(grep -c 'd-fifo.txt: skipped: not a regular file' '$tmp/err')\" -eq 1"
    check "the symlink loop is one line: skipped" \
        sh -c "test \"\$(grep -c 'e-up: skipped: symlink loop' '$tmp/err')\" -eq 1"
    check "the batch goes on: the good file is ingested" \
        sh -c "'$bg' --db '$tmp/b.db' --format csv docs | grep -q 测试报告"
    "$bg" --db "$tmp/b.db" --format csv docs | tail -n +2 | wc -l >"$tmp/n"
    check "the empty and BOM-only files give no document; the loop adds none" \
        test "$(cat "$tmp/n")" -eq 1
    check "the summary counts 1 failed and 2 skipped" \
        grep -q "1 failed, 2 skipped" "$tmp/err"
    # only paths that do not exist (a mistyped directory): each named,
    # exit 1, and no database made where there was none
    abs=$(cd "$(dirname "$bg")" && pwd)/$(basename "$bg")
    (cd "$tmp" && timeout 20 "$abs" ingest no-such-dir no-such.txt 2>"$tmp/err")
    check "paths that do not exist: exit 1" test $? -eq 1
    check "... each named" sh -c "grep -q 'no-such-dir: No such file or directory' '$tmp/err' && grep -q 'no-such.txt: No such file or directory' '$tmp/err'"
    check "... and no baogao.db made" test ! -e "$tmp/baogao.db"
    # a batch of only awkward-but-valid inputs exits 0
    mkdir "$tmp/fine"
    printf '' >"$tmp/fine/empty.txt"
    printf '\357\273\277' >"$tmp/fine/bom.txt"
    printf '<html><body> <p>\n</p></body></html>' >"$tmp/fine/blank.html"
    timeout 20 "$bg" --db "$tmp/f.db" ingest "$tmp/fine" 2>"$tmp/err"
    check "empty and BOM-only files alone exit 0 (warnings only)" test $? -eq 0
    check "an HTML page without a word is no document either, and says so" \
        grep -q 'blank.html: warning: no text (only white space): no document' "$tmp/err"
    check "... none of the three gives a document" \
        test "$("$bg" --db "$tmp/f.db" --format csv docs | tail -n +2 | wc -l)" -eq 0
    check "... each is a source, with its warning stored" \
        test "$(sqlite3 "$tmp/f.db" "select count(*) from source where warnings like '%no text (%'")" -eq 3
else
    # one line of 100 MB (sentences, no line end): cut into documents of at
    # most 4 MiB (BG_INGEST_PART_MAX) after a sentence end, the text whole
    # (the parts' spans follow each other from 0 to the file's size)
    python3 -c "
import sys
n = 0
with open(sys.argv[1], 'wb') as f:
    while n < 100 * 1000 * 1000:
        b = ''.join('第%d项工作要加强学习,做好宣传。' % (n + k)
                    for k in range(1000)).encode()
        f.write(b)
        n += len(b)
" "$tmp/long.txt"
    start=$(date +%s)
    timeout 600 "$bg" --db "$tmp/l.db" ingest "$tmp/long.txt" 2>"$tmp/err"
    st=$?
    echo "100 MB line: $(($(date +%s) - start)) s, exit $st"
    check "the 100 MB line is ingested (exit 0)" test "$st" -eq 0
    "$bg" --db "$tmp/l.db" --format csv docs | python3 -c "
import csv, os, sys
rows = list(csv.DictReader(sys.stdin))
at = 0
for r in rows:
    s, e = int(r['start']), int(r['end'])
    assert s == at and 0 < e - s <= 4 << 20, (s, e, at)
    assert r['title'].endswith('/%d）' % len(rows)), r['title']
    at = e
assert at == os.path.getsize(sys.argv[1]) and len(rows) > 20, (at, len(rows))
" "$tmp/long.txt"
    check "... as documents of at most 4 MiB, one after the other, the text whole" \
        test $? -eq 0
    check "... and a warning says it was cut" \
        grep -q "long.txt: warning: document 1 is 9[0-9].[0-9] MB: cut into" "$tmp/err"
    mkdir "$tmp/many"
    python3 -c "
import sys
for i in range(10000):
    with open('%s/r%05d.txt' % (sys.argv[1], i), 'w') as f:
        f.write('第%d号报告\n今年我们完成了第%d项任务。\n' % (i, i))
" "$tmp/many"
    start=$(date +%s)
    timeout 600 "$bg" --db "$tmp/m.db" ingest "$tmp/many" 2>"$tmp/err"
    st=$?
    echo "10,000 files: $(($(date +%s) - start)) s, exit $st"
    check "10,000 small files are ingested (exit 0)" test "$st" -eq 0
    check "10,000 small files give 10,000 documents" \
        test "$("$bg" --db "$tmp/m.db" --format csv docs | tail -n +2 | wc -l)" -eq 10000
fi

# every database this test built: SQLite's and FTS5's integrity checks
check_dbs "$tmp"

check_done
