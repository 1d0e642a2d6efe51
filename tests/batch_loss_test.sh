#!/bin/sh
# When a file's writes fail so that SQLite undoes the whole batch
# transaction (a full disk, an I/O error; here an interrupt of the 5th
# file's statements, BAOGAO_TEST_INTERRUPT=unit:5, cmd_ingest.c), the files
# stored before it in that batch are lost too: each must be named as not
# stored and left out of the summary's count, never counted as ingested
# (they were, at the next commit: 9 of 10 files said ingested, 5 in the
# database). Input: 10 small text files, one batch (64 files or 2 s).
#   usage: batch_loss_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/check.sh"
mkdir "$tmp/in"
for i in 01 02 03 04 05 06 07 08 09 10; do
    printf '第%s份材料。\n我们要加强学习，提高本领%s。\n' "$i" "$i" \
        >"$tmp/in/f$i.txt"
done
BAOGAO_TEST_INTERRUPT=unit:5 BAOGAO_THREADS=1 \
    "$bg" --db "$tmp/a.db" ingest "$tmp/in" 2>"$tmp/err"
st=$?
stored=$(sqlite3 "$tmp/a.db" "select count(*) from source")
named=$(grep -c ": not stored: " "$tmp/err")
check "exit 1 (files failed)" test "$st" -eq 1
check "the 5th file fails, named" \
    grep -q "f05.txt: not stored: .*interrupt" "$tmp/err"
check "files stored ($stored) + named as not stored ($named) = 10" \
    test $((stored + named)) -eq 10
check "the summary counts only the files stored" \
    grep -q "ingested $stored files .*; $named failed" "$tmp/err"
check "the four before it in its batch are named with it" \
    test "$named" -eq 5
check_dbs "$tmp"
"$bg" --db "$tmp/a.db" ingest "$tmp/in" 2>/dev/null
check "the next ingest completes it" \
    test "$(sqlite3 "$tmp/a.db" "select count(*) from source")" -eq 10
check_done
