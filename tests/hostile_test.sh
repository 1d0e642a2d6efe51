#!/bin/sh
# Hostile and damaged input (issue 13): each check is the reproduction of a
# finding, and asserts what must happen instead: one clear line naming the
# file (and the limit or byte), the rest of the batch stored, no crash (the
# suite runs again under ASan and UBSan), and nothing lost without a word.
# Inputs are made by tests/hostile_gen.py. Prints one line per check and
# ends with "N passed, N failed".
#   usage: hostile_test.sh BAOGAO SRCDIR
set -u
bg=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: the test cds
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
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
check "search \"\" says the query is empty" has "$tmp/err" "the query is empty"
"$bg" --db "$tmp/g.db" kwic "$(printf '\342\200\213')" 2>"$tmp/err"
check "kwic U+200B exits 2: nothing to search for once normalised" \
    sh -c "test $? -eq 2 && grep -q 'has nothing to search for' '$tmp/err'"
"$bg" --db "$tmp/g.db" search "👍" >"$tmp/emoji" 2>"$tmp/err"
check "search 👍 is searched (symbols and emoji are), not refused" \
    sh -c "test $? -eq 0 && test ! -s '$tmp/err' && grep -q '0 occurrences' '$tmp/emoji'"
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

# ---- limits: nesting, file size -------------------------------------------
truncate -s 1100M huge.txt # sparse: no disk used
"$bg" --db "$tmp/lim.db" ingest deep.json deep.jsonl deep-ok.json huge.txt \
    2>"$tmp/err"
rm -f huge.txt
check "JSON nested 2,000 deep: one line naming the file and cJSON's limit" \
    has "$tmp/err" "deep.json: arrays and objects nested deeper than the limit of 1000 (file skipped)"
check "JSON Lines likewise, with the line" \
    has "$tmp/err" "deep.jsonl:1: arrays and objects nested deeper than the limit of 1000"
check "a file over 1 GB: one line naming the file and the limit" \
    has "$tmp/err" "huge.txt: 1100 MB, over the limit of 1024 MB for one file"
check "... and the batch goes on (900 deep is read)" \
    test "$(sqlite3 "$tmp/lim.db" "select count(*) from document")" -eq 1

# ---- out of memory (R10: the message did not name the file) --------------
# 300 MB of address space, one worker: a 20 MB text (its stages need some
# 40 bytes a byte) runs out, a small one does not. Not under ASan, which
# reserves terabytes of address space.
if ldd "$bg" 2>/dev/null | grep -q -E 'libasan|libtsan'; then
    echo "skip: out of memory (a sanitizer build)"
else
    python3 -c "
with open('oom.txt', 'w', encoding='utf-8') as f:
    for k in range(400000):
        f.write('第%d项工作要加强学习,做好宣传。' % k)
"
    (
        ulimit -v 300000
        BAOGAO_THREADS=1 "$bg" --db "$tmp/oom.db" ingest good.txt oom.txt
    ) 2>"$tmp/err"
    st=$?
    rm -f oom.txt
    check "out of memory: exit 1" test "$st" -eq 1
    check "... one line naming the file and 'out of memory'" \
        grep -q -E '^baogao: oom.txt: .*out of memory \(file skipped\)$' \
        "$tmp/err"
    check "... and the other file is stored" \
        test "$(sqlite3 "$tmp/oom.db" "select count(*) from source")" -eq 1
fi

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
    id = -5; update sentence set doc_id = -5; update doc_vector set doc_id = -5"
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

# ---- the field catalogue's findings ---------------------------------------
"$bg" --db "$tmp/t.db" ingest tags.txt 2>"$tmp/err"
check "HTML tags in a .txt are repairs of their own, listed" \
    has "$tmp/err" 'tags.txt: warning: repairs (markup): 0-3="\u000a"'
"$bg" --db "$tmp/t.db" --format csv keywords --method textrank --top 3 \
    >"$tmp/kw" 2>/dev/null
check "... no tag name is a keyword (TextRank's first was div)" \
    sh -c "! grep -E ',(div|span|br|p|b|class|style),' '$tmp/kw'"
check "... nor a term" test "$(sqlite3 "$tmp/t.db" "select count(*) from \
    term where term in ('div', 'span', 'br', 'p', 'b', 'class', 'style')")" -eq 0
check "... and <<人民日报>> or <5% stay text" sh -c "'$bg' --db '$tmp/t.db' \
    --format csv show 1 | grep -q '<<人民日报>>报道了这件事' && '$bg' --db \
    '$tmp/t.db' --format csv show 1 | grep -q '增速<5%'"
"$bg" --db "$tmp/w.db" ingest wrap-short.txt 2>/dev/null
check "a CRLF hard wrap in a short file is rejoined: search 改革 finds it" \
    sh -c "'$bg' --db '$tmp/w.db' --format csv search 改革 | grep -q 结构性改革"
"$bg" --db "$tmp/rf.db" ingest repeat-first.txt 2>"$tmp/err"
check "a first line written again right after it is named, not dropped silently" \
    has "$tmp/err" "repeat-first.txt: warning: title written twice: the copy at 12-23 is not a sentence"
check "... and the third copy is a sentence" test "$(sqlite3 "$tmp/rf.db" \
    "select count(*) from sentence where text = 'alpha beta.'")" -eq 2
"$bg" --db "$tmp/pt.db" ingest punct-title.txt 2>/dev/null
check "a punctuation-only first line is no title (the file name is)" \
    test "$(sqlite3 "$tmp/pt.db" "select title from document")" = punct-title
check "... and no theme" test "$(sqlite3 "$tmp/pt.db" "select count(*) from \
    extraction e join sentence s on s.id = e.sentence_id where s.text = \
    '——————'")" -eq 0
printf '我们一家\360\237\221\250\342\200\215\360\237\221\251\342\200\215\360\237\221\247很幸福\n' |
    "$bg" segment >"$tmp/seg" 2>&1
check "a ZWJ emoji sequence is one token" grep -q "$(printf '  \360\237\221\250\342\200\215\360\237\221\251\342\200\215\360\237\221\247  ')" "$tmp/seg"
"$bg" --db "$tmp/z.db" ingest zwj.txt 2>/dev/null
check "... and its ZWJs stay in the sentence's text" test "$(sqlite3 \
    "$tmp/z.db" "select instr(hex(text), 'E2808D') > 0 from sentence")" = 1
printf '\357\273\277我们要加强学习\n' | "$bg" segment >"$tmp/seg" 2>&1
check "segment: a BOM opening the input is not in the first token" \
    test "$(head -c 3 "$tmp/seg" | od -An -tx1 | tr -d ' ')" = e68891
echo "我们通过ISO 9001认证，执行GB/T 19001标准" |
    "$bg" segment --dict dict-list.txt >"$tmp/seg" 2>"$tmp/err"
check "a user dictionary reports the entries it loaded" \
    has "$tmp/err" "dict-list.txt: 4 entries loaded"
check "... ISO 9001 in a word list is one word, and said" sh -c "grep -q \
    'dict-list.txt:2: \"ISO 9001\" read as one word' '$tmp/err' && \
    grep -q '  ISO 9001  ' '$tmp/seg'"
echo "我们通过ISO 9001认证" |
    "$bg" segment --dict dict-freq.txt >"$tmp/seg" 2>"$tmp/err"
check "... ISO 9001 in a file with frequencies is read as jieba does, and said" \
    has "$tmp/err" 'dict-freq.txt:2: "ISO 9001" read as the word "ISO" with frequency 9001'
python3 -c "
import random; random.seed(3)
words = [l.split()[0] for l in open('$src/dict/domain.txt', encoding='utf-8')
         if l.strip() and not l.startswith('#')]
print(' '.join(random.choice(words) for _ in range(4000)))" >"$tmp/q4000"
timeout 60 "$bg" --db "$tmp/g.db" search "$(cat "$tmp/q4000")" \
    >/dev/null 2>"$tmp/err"
check "R14: a search of 4,000 words answers (no hit) well within a minute" \
    test $? -eq 0
"$bg" --db "$tmp/nl.db" ingest nul-late.txt nul.jsonl 2>"$tmp/err"
check "a NUL past the first 8 KB is named" \
    has "$tmp/err" "nul-late.txt: warning: 1 NUL byte (the first at byte 12015)"
check "... and cut from the sentence's text as from its terms" \
    test "$(sqlite3 "$tmp/nl.db" "select count(*) from sentence where \
        text = '这是一句有空字符的话，后面还有文字。'")" -eq 1
check "a \\u0000 in a JSON string (cJSON ends it there) is named" \
    has "$tmp/err" 'nul.jsonl: warning: 1 \u0000 escape in JSON strings'
timeout 300 "$bg" --db "$tmp/ll.db" ingest long-line.txt 2>"$tmp/err"
check "a 2 MB line without a sentence end is ingested (exit 0)" test $? -eq 0
check "... in sentences of at most 8,192 bytes" test "$(python3 -c "
import sqlite3, sys
sys.path.insert(0, '$src/tests')
import bgterms
n = bgterms.register(sqlite3.connect(sys.argv[1])).execute(
    'select bg_norm(text, norm_edit) from sentence')
lines = [d for (d,) in n]
print(int(max(len(l.encode()) for l in lines) <= 8192 and len(lines) > 200))
" "$tmp/ll.db")" = 1
mkdir "$tmp/rules"
cp "$src"/dict/rules/*.jsonl "$tmp/rules/" && rm "$tmp/rules/theme.jsonl"
"$bg" --db "$tmp/rn.db" ingest --rules "$tmp/rules" good.txt 2>"$tmp/err"
check "a rule set without theme.jsonl says no theme will be found" \
    has "$tmp/err" "no theme rules (theme.jsonl missing?)"
mkdir "$tmp/dict"
cp -r "$src"/dict/* "$tmp/dict/" && rm "$tmp/dict/taxonomy.jsonl"
BAOGAO_DICT="$tmp/dict" "$bg" --db "$tmp/tx.db" ingest good.txt 2>"$tmp/err"
check "a missing taxonomy.jsonl says problems get no category" \
    has "$tmp/err" "taxonomy.jsonl is missing: problems get no category"

# ---- damaged workbooks and zips: refused by name and place, never read
# with cells missing; the whole one beside them goes in ------------------
"$bg" --db "$tmp/xl.db" ingest sheet-ok.xlsx sheet-sst-index.xlsx \
    sheet-no-sst.xlsx sheet-column.xlsx cut.docx crc.docx old-word.docx \
    2>"$tmp/err"
check "damaged workbooks and zips: exit 1" test $? -eq 1
check "a shared string the workbook does not hold: file, sheet, cell" \
    has "$tmp/err" 'sheet-sst-index.xlsx: sheet "报告" (xl/worksheets/sheet1.xml) cell B2: shared string "2" is not one of the 2 in xl/sharedStrings.xml'
check "no xl/sharedStrings.xml: the first cell that needs it" \
    has "$tmp/err" 'sheet-no-sst.xlsx: sheet "报告" (xl/worksheets/sheet1.xml) cell B1: shared string "0", but xl/sharedStrings.xml is missing'
check "a cell past column XFD is named, not dropped" \
    has "$tmp/err" 'sheet-column.xlsx: sheet "报告" (xl/worksheets/sheet1.xml) cell XFE2: not a cell reference'
check "a zip cut in half is called truncated or damaged, with its size" \
    grep -q -E 'cut.docx: not read as a docx: a truncated or damaged zip archive \([0-9]+ bytes' "$tmp/err"
check "a CRC error is a damaged entry, not a missing one" \
    has "$tmp/err" "crc.docx: word/document.xml does not read: a damaged zip entry"
check "a .doc named .docx is called an OLE2 file, to save as .docx" \
    has "$tmp/err" "old-word.docx: not a docx: an OLE2 compound file (a Word or Excel 97-2003 .doc or .xls under another name)"
check "... and the whole workbook is stored, its text whole" \
    test "$(sqlite3 "$tmp/xl.db" "select group_concat(text) from sentence")" = \
    "我们要加强学习，提高认识。"

check_done
