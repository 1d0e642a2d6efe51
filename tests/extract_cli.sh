#!/bin/sh
# The extraction commands end to end on real text (tests/data/extraction/
# docs) and a two-report corpus (tests/data/recurring): outline, --explain,
# exports with document metadata, extract --rules, problems --recurring.
#   usage: extract_cli.sh BAOGAO SRCDIR
set -u
baogao=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
db="$tmp/x.db"
"$baogao" --db "$db" ingest "$src/tests/data/extraction/docs" 2>/dev/null
doc=$("$baogao" --db "$db" --format csv docs | awk -F, '/seed-03/ { print $1 }')
# the outline of seed-03: four top headings, the last a plan section whose
# points lie in it (GUIDELINES: a plan section's points are commitments)
"$baogao" --db "$db" --format csv outline "$doc" >"$tmp/outline.csv"
check "outline lists the title, the subtitle and 10 headings" \
    test "$(wc -l <"$tmp/outline.csv")" -eq 13
check "outline: 下一步的工作打算 at depth 1" \
    grep -q '^1,1,[0-9]*,[0-9]*,[0-9]*,下一步的工作打算,' "$tmp/outline.csv"
check "outline: its points at depth 2 in the plan context" \
    grep -q '^2,6,[0-9]*,[0-9]*,[0-9]*,  加强统筹安排,加强统筹安排,plan,' \
    "$tmp/outline.csv"
# --explain names the context and the cues
"$baogao" --db "$db" --format jsonl commitments --doc "$doc" --explain \
    >"$tmp/c.jsonl"
# (the point 一要加強統籌安排。: its context first, the model's probability,
# then the rules' cues)
grep '"text":"一要加強統籌安排。"' "$tmp/c.jsonl" >"$tmp/point.jsonl"
check "explain: the point's plan context" grep -q \
    '"explain":"context plan (context.plan-lead): 根據初步的摸底調查情況,我們擬做好以下幾方面工作。; model.commitment p=0\.[0-9]\{4\}; ' \
    "$tmp/point.jsonl"
check "explain: the point's cues, plan-point among them" grep -q \
    'commitment.yao (+1) 「要」;.*commitment.plan-point (+1) 「」"' \
    "$tmp/point.jsonl"
check "commitments carry actor and mode" grep -q \
    '"actor":"我们","horizon":null,"mode":"pledge"' "$tmp/c.jsonl"
# CSV export: metadata columns and problem categories
"$baogao" --db "$db" --format csv problems >"$tmp/p.csv"
check "problems CSV header" grep -q \
    '^file,doc,title,.*start,end,kind,rule,score,clause_start,clause_end,clause,category,context,text$' \
    "$tmp/p.csv"
# extract --rules: another rule set replaces the labels; the shipped one
# gives back exactly what ingest stored
"$baogao" --db "$db" --format jsonl problems >"$tmp/before.jsonl"
"$baogao" --db "$db" --format jsonl commitments --explain >"$tmp/before-c.jsonl"
check "extract --rules DIR" "$baogao" --db "$db" extract --rules \
    "$src/tests/data/rules-context"
check "another rule set, other problems" sh -c \
    "! \"$baogao\" --db \"$db\" --format jsonl problems | cmp -s - \"$tmp/before.jsonl\""
check "extract with the shipped rules" "$baogao" --db "$db" extract
check "the shipped rules again: the same problems" sh -c \
    "\"$baogao\" --db \"$db\" --format jsonl problems | cmp -s - \"$tmp/before.jsonl\""
# (extract stores a context cue's text as its sentence's place, schema 12,
# as ingest does: --explain reads the same)
check "the shipped rules again: the same commitments, cues and contexts" sh -c \
    "\"$baogao\" --db \"$db\" --format jsonl commitments --explain | cmp -s - \"$tmp/before-c.jsonl\""
check "extract: context cues' texts taken from their sentences (back)" test \
    "$(sqlite3 "$db" "SELECT COUNT(*) > 0 FROM extraction_cue WHERE back > 0
        AND text IS NULL")" = 1
check "a bad rule set is refused" sh -c \
    "! \"$baogao\" --db \"$db\" extract --rules \"$src/tests/data/rules-bad\""
# extract reads the text ingest stored (index.h bg_index_source_text): a
# decoded file may be gone; a file that is its own text must be unchanged
gdb="$tmp/g.db"
mkdir "$tmp/g"
cp "$src/tests/data/ingest/gbk-shuzhi.txt" \
    "$src/tests/data/extraction/docs/seed-01.txt" "$tmp/g/"
"$baogao" --db "$gdb" ingest "$tmp/g" 2>/dev/null
"$baogao" --db "$gdb" --format jsonl problems >"$tmp/g-before.jsonl"
rm "$tmp/g/gbk-shuzhi.txt"
printf '\n' >>"$tmp/g/seed-01.txt"
"$baogao" --db "$gdb" extract 2>"$tmp/g.err"
check "extract: a file changed since ingest fails it (exit 1)" test $? -eq 1
check "... named, with what to do" grep -q \
    "seed-01.txt: changed since it was ingested; ingest it again (skipped)" \
    "$tmp/g.err"
check "... the decoded file, gone, is labelled again from its stored text" \
    grep -q "labelled 1 document again" "$tmp/g.err"
check "... and every label is as before" sh -c \
    "\"$baogao\" --db \"$gdb\" --format jsonl problems | cmp -s - \"$tmp/g-before.jsonl\""
check "... problems of both files among them" test \
    "$(grep -c seed-01 "$tmp/g-before.jsonl")" -gt 0 -a \
    "$(grep -c gbk-shuzhi "$tmp/g-before.jsonl")" -gt 0

# recurring: the same complaint in two reports of two years
rdb="$tmp/r.db"
"$baogao" --db "$rdb" ingest "$src/tests/data/recurring" 2>/dev/null
# (two short clauses share 小区 停车位 of three content words each: cosine
# 0.33 with idf over four clauses, so the threshold is lowered)
"$baogao" --db "$rdb" --format csv problems --recurring --threshold 0.3 \
    >"$tmp/r.csv"
check "recurring: one group of two documents and two years" \
    test "$(grep -c '^1,2,0,2,' "$tmp/r.csv")" -eq 2
check "recurring: shared key terms" grep -q '^1,2,0,2,小区 停车位,' "$tmp/r.csv"
check "recurring: a higher threshold splits it" sh -c \
    "test \$(\"$baogao\" --db \"$rdb\" --format csv problems --recurring --threshold 0.99 | wc -l) -eq 1"

# problem clauses (extract.h, "Problem clauses"): made-up reports, each
# with a ritual admission, a coordinated pair of problems or a list of
# fields with one problem
cdir="$src/tests/data/recurring-clauses"
cdb="$tmp/c.db"
"$baogao" --db "$cdb" ingest "$cdir" 2>/dev/null
"$baogao" --db "$cdb" --format csv problems --clauses >"$tmp/cl.csv"
# the byte offsets of a string in a file (a plain count: grep -b)
at() { grep -bo "$1" "$2" | head -1 | cut -d: -f1; }
c1=$(at 一些单位形式主义 "$cdir/c-2021.txt")
c2=$(at 官僚主义问题仍然突出 "$cdir/c-2021.txt")
check "clauses: 形式主义、官僚主义 gives two, with their bytes and category" \
    grep -q ",1,$c1,$((c1 + 24)),作风,0,一些单位形式主义,一些单位形式主义、" "$tmp/cl.csv"
check "clauses: ... the second one" \
    grep -q ",2,$c2,$((c2 + 30)),作风,0,官僚主义问题仍然突出," "$tmp/cl.csv"
check "clauses: a list of fields with one problem stays one clause" \
    test "$(grep -c ',在教育、医疗、住房等方面还有不少难题,' "$tmp/cl.csv")" -eq 1
check "clauses: the three ritual admissions are generic, nothing else" sh -c \
    "test \$(grep -c ',1,[^,]*工作[^,]*,[^,]*。$' \"$tmp/cl.csv\") -eq 3 &&
     test \$(grep -c ',0,' \"$tmp/cl.csv\") -eq 5"
# recurring on clauses: 形式主义 and 官僚主义 recur in two reports each;
# the ritual admissions, in all three, form no group
"$baogao" --db "$cdb" --format csv problems --recurring --threshold 0.25 \
    >"$tmp/rc.csv"
check "recurring clauses: two groups of two documents, four instances" \
    test "$(grep -c '^[12],2,0,2,' "$tmp/rc.csv")" -eq 4
check "recurring clauses: 形式主义 and 官僚主义 apart" sh -c \
    "grep -q '^1,2,0,2,形式主义,' \"$tmp/rc.csv\" &&
     grep -q '^2,2,0,2,官僚主义 问题,' \"$tmp/rc.csv\""
check "recurring clauses: instances carry the clause's bytes" \
    grep -q ",$c2,$((c2 + 30)),[0-9.]*,官僚主义问题仍然突出\$" "$tmp/rc.csv"
check "recurring clauses: no generic clause grouped" sh -c \
    "! grep -q '存在一些\\|困难和问题' \"$tmp/rc.csv\""
# the same rules without their generic words: the admissions group first
mkdir "$tmp/nogeneric"
for f in "$src"/dict/rules/*.jsonl; do
    grep -v '"kind": "generic"' "$f" >"$tmp/nogeneric/${f##*/}"
done
"$baogao" --db "$cdb" extract --rules "$tmp/nogeneric" 2>/dev/null
check "without generic rules the admissions are a group of three" sh -c \
    "\"$baogao\" --db \"$cdb\" --format csv problems --recurring --threshold 0.25 |
     grep -q '^1,3,0,3,.*政府工作还存在一些不足\$'"
# --by year: one row per group and year
"$baogao" --db "$cdb" extract 2>/dev/null
"$baogao" --db "$cdb" --format csv problems --recurring --threshold 0.25 \
    --by year >"$tmp/by.csv"
check "recurring --by year: a row per group and year" sh -c \
    "grep -q '^1,2,0,2,形式主义,一些单位形式主义,2021,1,1,一些单位形式主义\$' \"$tmp/by.csv\" &&
     grep -q '^1,2,0,2,形式主义,一些单位形式主义,2022,1,1,个别部门形式主义\$' \"$tmp/by.csv\" &&
     test \$(wc -l <\"$tmp/by.csv\") -eq 5"
check "recurring --by: org or year only" sh -c \
    "! \"$baogao\" --db \"$cdb\" problems --recurring --by author"

# a damaged database: --explain reads back every cue stored, or says which
# label of which document it cannot (review-5: a cue naming a cue_rule id
# the database lacks was left out in silence; cues that are no JSON gave
# "malformed JSON" naming no label). Damaged by hand in a copy: the first
# cue of a commitment named cue_rule 99999, then that label's cues cut.
ddb="$tmp/damaged.db"
sqlite3 "$db" ".backup '$ddb'"
lab=$(sqlite3 "$ddb" "SELECT d.extraction_id FROM extraction_detail d JOIN
    extraction e ON e.id = d.extraction_id WHERE e.kind = 'commitment' AND
    json_array_length(d.cues) > 1 ORDER BY d.extraction_id LIMIT 1")
ldoc=$(sqlite3 "$ddb" "SELECT doc_id FROM extraction WHERE id = $lab")
ncues=$(sqlite3 "$ddb" "SELECT json_array_length(cues) FROM
    extraction_detail WHERE extraction_id = $lab")
sqlite3 "$ddb" "UPDATE extraction_detail SET cues = json_set(cues, '\$[0][0]',
    99999) WHERE extraction_id = $lab"
"$baogao" --db "$ddb" --format jsonl commitments --explain >/dev/null \
    2>"$tmp/d.err"
check "explain: a cue naming a missing cue_rule fails (exit 1)" test $? -eq 1
check "... naming the label, its document, the cue and the id" grep -q \
    "explain: label $lab of document $ldoc: cue 1 names cue_rule 99999, which the database lacks (1 of its $ncues cues unreadable" \
    "$tmp/d.err"
sqlite3 "$ddb" "UPDATE extraction_detail SET cues = substr(cues, 1, 5) WHERE
    extraction_id = $lab"
"$baogao" --db "$ddb" --format jsonl commitments --explain >/dev/null \
    2>"$tmp/d.err"
check "explain: cues that are no JSON fail (exit 1)" test $? -eq 1
check "... naming the label and its document" grep -q \
    "explain: label $lab of document $ldoc: its cues (extraction_detail.cues) are not valid JSON" \
    "$tmp/d.err"
check "... and without --explain the commitments are listed" sh -c \
    "\"$baogao\" --db \"$ddb\" --format jsonl commitments >/dev/null"
rm -f "$ddb" "$ddb-wal" "$ddb-shm"

# every database this test built: SQLite's and FTS5's integrity checks
check_dbs "$tmp"
check_done
