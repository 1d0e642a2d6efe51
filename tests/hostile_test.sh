#!/bin/sh
# Hostile and damaged input (issue 13): each check is the reproduction of a
# finding, and asserts what must happen instead: one clear line naming the
# file (and the limit or byte), the rest of the batch stored, no crash (the
# suite runs again under ASan and UBSan), and nothing lost without a word.
# Inputs are made by tests/hostile_gen.py. Prints one line per check and
# ends with "N passed, N failed".
#   usage: hostile_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
no() { fail=$((fail + 1)); echo "FAIL: $1"; }
check() { # description, then a command that must succeed
    d=$1
    shift
    if "$@" >"$tmp/out" 2>&1; then ok "$d"; else no "$d"; cat "$tmp/out"; fi
}
has() { grep -q -F -- "$2" "$1"; } # file, fixed string
h="$tmp/in"
python3 "$src/tests/hostile_gen.py" "$h" >/dev/null || {
    echo "FAIL: hostile_gen.py"
    exit 1
}
cd "$h" || exit 1
dbcheck() { sh "$src/tests/db_check.sh" "$1"; }

# ---- memory errors: inputs that normalise to nothing (R11) --------------
"$bg" --db "$tmp/g.db" ingest good.txt 2>/dev/null
"$bg" --db "$tmp/g.db" search "" 2>"$tmp/err"
check "search \"\" exits 2" test $? -eq 2
check "search \"\" says the query has no words" has "$tmp/err" "has no words"
"$bg" --db "$tmp/g.db" kwic "$(printf '\342\200\213')" 2>"$tmp/err"
check "kwic U+200B exits 2 with the same message" \
    sh -c "test $? -eq 2 && grep -q 'has no words' '$tmp/err'"
"$bg" --db "$tmp/g.db" search "👍" 2>"$tmp/err"
check "search 👍 names emoji among what is not indexed" \
    has "$tmp/err" "punctuation, symbols, emoji and space are not indexed"
for d in dict-zwsp.txt dict-shy.txt; do
    echo 你好 | "$bg" segment --dict "$d" 2>"$tmp/err" >/dev/null
    check "a user dictionary line of only $d's character is refused by line" \
        sh -c "test $? -eq 1 && grep -q '$d:1: no word on this line' '$tmp/err'"
done

# ---- decoding ------------------------------------------------------------
"$bg" --db "$tmp/d.db" ingest bad-byte-52.txt 2>"$tmp/err"
check "a stray byte in UTF-8 is reported at its own offset, as UTF-8" \
    has "$tmp/err" "bad-byte-52.txt: byte 51 (0x80): not valid UTF-8"
"$bg" --db "$tmp/d.db" ingest --on-invalid replace bad-byte-52.txt 2>"$tmp/err"
check "--on-invalid replace keeps it UTF-8 (no GB18030 mojibake)" \
    test "$(sqlite3 "$tmp/d.db" "select encoding from source")" = UTF-8
check "... and U+FFFD stands where the byte was" \
    sh -c "'$bg' --db '$tmp/d.db' --format csv search 工作 | grep -q '成绩，各�项'"
"$bg" --db "$tmp/r7.db" ingest r7-truncated.txt 2>"$tmp/err"
check "R7: a truncated last GB18030 character is reported where it is" \
    has "$tmp/err" "r7-truncated.txt: byte 90 (0x95 32 82): not valid GB18030"
"$bg" --db "$tmp/r7.db" ingest --on-invalid replace r7-truncated.txt \
    2>"$tmp/err"
check "R7: with --on-invalid replace it is GB18030, not EUC-KR" \
    test "$(sqlite3 "$tmp/r7.db" "select encoding from source")" = GB18030
check "R7: ... and search 工作 finds it" \
    sh -c "'$bg' --db '$tmp/r7.db' --format csv search 工作 | grep -q 下一步"

# ---- docx, HTML: depth, entities, zip bombs (R4, R8, R9, R10) ------------
timeout 60 "$bg" --db "$tmp/x.db" ingest r4-nested.docx r9-laughs.docx \
    r10-bomb.docx props.docx good.txt 2>"$tmp/err"
st=$?
check "the hostile docx batch ends (no crash, no hang) with status 1" \
    test "$st" -eq 1
check "R4: 150,000 nested elements: one line naming the file and limit" \
    has "$tmp/err" "r4-nested.docx: word/document.xml:1: elements nested deeper than the limit of 256 (file skipped)"
check "R9: billion laughs: one line naming the file, nothing stored" \
    has "$tmp/err" "r9-laughs.docx: word/document.xml:1: not well-formed XML (Detected an entity reference loop) (file skipped)"
check "R10: zip bomb: one line naming the file and the limit" \
    has "$tmp/err" "r10-bomb.docx: word/document.xml inflates to more than the limit of 256 MB (a zip bomb?) (file skipped)"
check "the rest of the batch is stored (props.docx, good.txt)" \
    test "$(sqlite3 "$tmp/x.db" "select count(*) from source")" -eq 2
check "docProps/core.xml gives the title and, lacking any other, the date" \
    test "$(sqlite3 "$tmp/x.db" "select title || '|' || date || '|' || \
        coalesce(author, '-') from document where title like '关于%'")" = \
    "关于测试的报告|2021-03-09|-"
check "the batch's database is sound" dbcheck "$tmp/x.db"
"$bg" --db "$tmp/h.db" ingest r8-deep.html 2>"$tmp/err"
check "R8: HTML nested 300 deep keeps its text after the depth" \
    sh -c "'$bg' --db '$tmp/h.db' --format csv search 结尾 | grep -q 结尾的文字"

# ---- records: CSV and JSON Lines (R6, R13, 1e309) ------------------------
"$bg" --db "$tmp/c.db" ingest --meta-field region,note r6.csv r6-empty.csv \
    2>"$tmp/err"
check "R6: CSV and an empty CSV are ingested (exit 0)" test $? -eq 0
check "R6: an empty cell stays empty (not the previous cell's text)" \
    test "$(sqlite3 "$tmp/c.db" "select group_concat(meta, ';') from \
        (select meta from document order by id)")" = \
    '{"id":"1","region":"福建","note":""};{"id":"2","region":"","note":"备注"}'
timeout 60 "$bg" --db "$tmp/w.db" ingest r13-wide.csv 2>"$tmp/err"
check "R13: a 20,000-column CSV goes in well within a minute" test $? -eq 0
check "R13: ... as its 5 records" \
    test "$(sqlite3 "$tmp/w.db" "select count(*) from document")" -eq 5
"$bg" --db "$tmp/j.db" ingest --meta-field n big-number.jsonl 2>"$tmp/err"
check "JSONL 1e309, -1e400 and 1e19 are kept as numbers (no UB cast)" \
    test "$(sqlite3 "$tmp/j.db" "select group_concat(meta, ';') from \
        (select meta from document order by id)")" = \
    '{"n":"inf"};{"n":"-inf"};{"n":"1e+19"}'

# ---- databases another program or an attacker wrote (R5, R12) -----------
cp "$tmp/g.db" "$tmp/r5a.db"
sqlite3 "$tmp/r5a.db" "insert into term(id, term, kind) values \
    (4611686018427387904, 'x', 'word')"
"$bg" --db "$tmp/r5a.db" freq 2>"$tmp/err" >/dev/null
check "R5: a term id of 2^62 is refused with a clear line, exit 1" \
    sh -c "test $? -eq 1 && grep -q 'term id 4611686018427387904 out of range' '$tmp/err'"
cp "$tmp/g.db" "$tmp/r5b.db"
sqlite3 "$tmp/r5b.db" "pragma foreign_keys = off; update document set \
    id = -5; update sentence set doc_id = -5; update doc_term set doc_id = -5"
"$bg" --db "$tmp/r5b.db" freq 2>"$tmp/err" >/dev/null
check "R5: a negative document id is refused with a clear line, exit 1" \
    sh -c "test $? -eq 1 && grep -q 'document id -5 out of range' '$tmp/err'"
cp "$tmp/g.db" "$tmp/r12.db"
sqlite3 "$tmp/r12.db" "update document set title = \
    cast(x'e694b9e99d1b5b33316d726564' as text)"
"$bg" --db "$tmp/r12.db" docs >"$tmp/out12" 2>&1
check "R12: invalid UTF-8 in a title is printed as U+FFFD" \
    grep -q "改��" "$tmp/out12"
check "R12: ... and ESC in it is not sent to the terminal" \
    sh -c "! grep -q \"\$(printf '\\033')\" '$tmp/out12'"

# ---- messages: names that would forge a line or drive the terminal -------
"$bg" --db "$tmp/n.db" ingest forged* esc* 2>"$tmp/err" >/dev/null
check "a file name with a line end is printed on one line, escaped" \
    has "$tmp/err" 'forged\nbaogao: ingested 0 files.txt: refused: binary'
check "a file name with ESC is printed escaped, never raw" \
    sh -c "grep -q 'esc.x1B\\[31mred.txt' '$tmp/err' && ! grep -q \"\$(printf '\\033')\" '$tmp/err'"

echo "$pass passed, $fail failed"
test "$fail" -eq 0
