#!/bin/sh
# End-to-end checks of the baogao command on real text (the seed compilation
# in tests/data/seed, a copy of ../shared/corpus/seed). Prints one line per
# check and ends with "N passed, N failed".
#   usage: cli_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
seed="$src/tests/data/seed/seed-compilation.txt"
db="$tmp/seed.db"

check "ingest the seed compilation" "$bg" --db "$db" ingest "$seed"
"$bg" --db "$db" --format csv docs >"$tmp/docs.csv"
check "the compilation holds five documents" \
    test "$(tail -n +2 "$tmp/docs.csv" | wc -l)" -eq 5

# Simplified and Traditional queries find the same sentences, each holding
# 貧困戶, shown in the original script
"$bg" --db "$db" --format jsonl --limit 0 search 贫困户 >"$tmp/s1"
"$bg" --db "$db" --format jsonl --limit 0 search 貧困戶 >"$tmp/s2"
n1=$(wc -l <"$tmp/s1")
check "search 贫困户 finds sentences" test "$n1" -gt 0
check "search 貧困戶 finds the same sentences" cmp "$tmp/s1" "$tmp/s2"
check "every hit's text holds 貧困戶" \
    test "$(grep -c '"text":"[^"]*貧困戶' "$tmp/s1")" -eq "$n1"
check "every snippet marks 【貧困戶】" \
    test "$(grep -c '"snippet":"[^"]*【貧困戶】' "$tmp/s1")" -eq "$n1"
grep -c 貧困戶 "$seed" >/dev/null
want=$(python3 -c "
import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
print(c.execute(\"select count(*) from sentence where text like '%貧困戶%'\").fetchone()[0])" "$db")
check "search finds all $want sentences holding 貧困戶" test "$n1" -eq "$want"

# no pinyin debris in terms, keywords or snippets
tones='[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]'
python3 - "$db" >"$tmp/terms" <<'PY'
import sqlite3, sys
for (t,) in sqlite3.connect(sys.argv[1]).execute("select term from term"):
    print(t)
PY
check "no term carries a pinyin tone mark" sh -c "! grep -q '$tones' '$tmp/terms'"
"$bg" --db "$db" --top 0 keywords >"$tmp/kw"
check "no keyword carries a pinyin tone mark" sh -c "! grep -q '$tones' '$tmp/kw'"
"$bg" --db "$db" --format jsonl --limit 0 search 联村联户 >"$tmp/s3"
check "no snippet carries a pinyin reading" sh -c \
    "test -s '$tmp/s3' && ! grep -q '($tones\\|[a-z]*$tones[a-z]*)' '$tmp/s3'"

check "sentence offsets point at the original bytes" \
    python3 "$src/tests/check_offsets.py" "$db"

# extraction JSON carries the documented fields
"$bg" --db "$db" --format jsonl themes >"$tmp/themes"
check "themes jsonl has file, doc, start, end, text, kind, rule, phrase" \
    python3 -c "
import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
assert rows
for r in rows:
    for k in ('file','doc','start','end','text','kind','rule','phrase'):
        assert k in r, k
    assert r['kind']=='theme' and r['phrase']
" "$tmp/themes"
check "seed byline 袁 睿 is not a theme" sh -c "! grep -q '\"text\":\"袁 睿\"' '$tmp/themes'"

# a file that is not UTF-8: reported with name and offset, skipped, the rest
# of the batch ingested, exit status 1; nothing already stored is lost
mkdir "$tmp/batch"
cp "$src/tests/data/seed/seed-report-02.txt" "$tmp/batch/a.txt"
printf 'abc\n\201 ok\n' >"$tmp/batch/b.txt" # 0x81 0x20: no encoding fits
cp "$src/tests/data/seed/seed-report-04.txt" "$tmp/batch/c.txt"
"$bg" --db "$tmp/batch.db" ingest "$tmp/batch" 2>"$tmp/err"
check "a batch with a bad file exits 1" test $? -eq 1
check "the error names the file and the byte offset" \
    grep -q "b.txt: byte 4 (0x81): not valid UTF-8" "$tmp/err"
check "the other files of the batch are ingested" \
    test "$("$bg" --db "$tmp/batch.db" --format csv docs | tail -n +2 | wc -l)" -eq 2
"$bg" --db "$tmp/batch.db" ingest "$tmp/batch/b.txt" 2>/dev/null
check "a failed ingest loses nothing already stored" \
    test "$("$bg" --db "$tmp/batch.db" --format csv docs | tail -n +2 | wc -l)" -eq 2
"$bg" --db "$tmp/batch.db" ingest "$tmp/batch/a.txt" 2>/dev/null
check "re-ingesting a file replaces its documents" \
    test "$("$bg" --db "$tmp/batch.db" --format csv docs | tail -n +2 | wc -l)" -eq 2


# dictionaries: a user word changes segmentation only after reindex, and the
# database warns until then
printf '西坡村\n' >"$tmp/ud.txt"
"$bg" --db "$tmp/dict.db" ingest "$src/tests/data/seed/seed-report-01.txt" 2>/dev/null
termcount() {
    python3 -c "
import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
print(c.execute(\"select count(*) from term where term=?\",(sys.argv[2],)).fetchone()[0])" "$tmp/dict.db" "$1"
}
check "without the user word, 西坡村 is not a term" test "$(termcount 西坡村)" -eq 0
"$bg" --db "$tmp/dict.db" ingest --dict "$tmp/ud.txt" "$src/tests/data/seed/seed-report-02.txt" 2>"$tmp/err"
check "ingesting with other dictionaries warns" grep -q "run \`baogao reindex\`" "$tmp/err"
check "reindex re-segments with the user dictionary" \
    "$bg" --db "$tmp/dict.db" reindex --dict "$tmp/ud.txt"
check "after reindex, 西坡村 is a term" test "$(termcount 西坡村)" -eq 1
"$bg" --db "$tmp/dict.db" search 西坡村 >/dev/null 2>"$tmp/err"
check "after reindex, no dictionary warning" test ! -s "$tmp/err"
check "search uses the recorded user dictionary" \
    sh -c "'$bg' --db '$tmp/dict.db' --format jsonl search 西坡村 | grep -q '\"match\":\"word\"'"


# the FTS5 index stays consistent through replace, remove and reindex
# (sentences enter it in bulk at commit; triggers handle deletes and updates)
fts_ok() {
    python3 -c "
import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
c.execute(\"INSERT INTO sentence_fts(sentence_fts) VALUES('integrity-check')\")
n=c.execute('select count(*) from sentence').fetchone()[0]
m=c.execute('select count(*) from sentence_fts').fetchone()[0]
assert n==m,(n,m)" "$1"
}
mkdir -p "$tmp/fts"
cp "$src/tests/data/seed/seed-report-01.txt" "$src/tests/data/seed/seed-report-03.txt" "$tmp/fts/"
"$bg" --db "$tmp/fts.db" ingest "$tmp/fts" 2>/dev/null
check "FTS index consistent after ingest" fts_ok "$tmp/fts.db"
printf '\n新增一句：我们将继续做好联村联户工作。\n' >>"$tmp/fts/seed-report-01.txt"
"$bg" --db "$tmp/fts.db" ingest "$tmp/fts" 2>/dev/null
check "FTS index consistent after a changed file replaced its documents" fts_ok "$tmp/fts.db"
check "the replaced file's new sentence is searchable" \
    sh -c "'$bg' --db '$tmp/fts.db' --format jsonl search 新增一句 | grep -q 新增一句"
"$bg" --db "$tmp/fts.db" remove "$tmp/fts/seed-report-03.txt" 2>/dev/null
check "FTS index consistent after remove" fts_ok "$tmp/fts.db"
"$bg" --db "$tmp/fts.db" reindex 2>/dev/null
check "FTS index consistent after reindex" fts_ok "$tmp/fts.db"

# schema 9 (pipeline/util_sql.h): sentence.terms holds term ids and
# sentence_fts is contentless, so FTS5's 'delete' is given the tokens
# bg_terms decodes: they must be the ones it indexed, also where a term is
# cut in one place and whole in another (a number's parts depend on its
# context: `baogao segment --granularity fine` cuts 六百五十 in 第六百五十条
# and not in 六百五十名)
fine() { printf '%s\n' "$1" | "$bg" segment --granularity fine | sed 's/  。$//; s/  / /g'; }
stored() { # each sentence's fine terms, as bg_terms gives them
    python3 "$src/tests/bgterms.py" "$1" "SELECT replace(bg_terms(terms),
        char(9), ' ') FROM sentence ORDER BY id"
}
mkdir -p "$tmp/cut"
printf '依照第六百五十条规定。\n' >"$tmp/cut/a.txt"
printf '不得超过六百五十名。\n' >"$tmp/cut/b.txt"
"$bg" --db "$tmp/cut.db" ingest "$tmp/cut" 2>/dev/null
check "schema 9: the stored terms are the segmenter's, cut or whole as there" \
    test "$(stored "$tmp/cut.db")" = "$(fine 依照第六百五十条规定。)
$(fine 不得超过六百五十名。)"
check "schema 9: FTS index consistent" fts_ok "$tmp/cut.db"
st=0
sqlite3 "$tmp/cut.db" "PRAGMA foreign_keys = ON; DELETE FROM source" \
    2>"$tmp/err" || st=$?
check "a plain sqlite3 DELETE of sentences is refused (no bg_terms, bg_vector), nothing deleted" \
    sh -c "test $st -ne 0 && grep -Eq 'no such function: bg_(terms|vector)' '$tmp/err' &&
        test \$(sqlite3 '$tmp/cut.db' 'SELECT COUNT(*) FROM sentence') -eq 2"
cp "$tmp/cut.db" "$tmp/cut2.db"
"$bg" --db "$tmp/cut.db" remove "$tmp/cut/b.txt" 2>/dev/null
check "schema 9: FTS index consistent after removing the whole 六百五十" \
    fts_ok "$tmp/cut.db"
"$bg" --db "$tmp/cut.db" remove "$tmp/cut/a.txt" 2>/dev/null
check "schema 9: FTS index consistent after removing the cut one" \
    fts_ok "$tmp/cut.db"
# a schema 8 database (terms as text) whose sentence holds a cut that
# term_part does not list (六 + 百五十) is packed with the cut written out
# (the escape of util_sql.h) and gives back the same text
python3 "$src/tests/schema8.py" "$tmp/cut2.db"
sqlite3 "$tmp/cut2.db" "UPDATE sentence SET terms = replace(terms, '六百五十',
    '六' || char(9) || '百五十') WHERE terms LIKE '%名'"
before=$(stored "$tmp/cut2.db")
"$bg" --db "$tmp/cut2.db" ingest "$tmp/cut" 2>/dev/null
check "schema 8 -> 16: version, terms packed (blobs), the same terms text" \
    test "$(sqlite3 "$tmp/cut2.db" "SELECT value FROM meta WHERE key =
        'schema_version'; SELECT DISTINCT typeof(terms) FROM sentence")
$(stored "$tmp/cut2.db")" = "16
blob
$before"
check "schema 8 -> 9: FTS index consistent" fts_ok "$tmp/cut2.db"
"$bg" --db "$tmp/cut2.db" remove "$tmp/cut/b.txt" 2>/dev/null
check "schema 8 -> 9: FTS index consistent after removing the escaped cut" \
    fts_ok "$tmp/cut2.db"


# a UTF-8 file with one damaged byte stays UTF-8: the error names that
# byte, and --on-invalid replace keeps the rest of the text intact
python3 -c "
import sys
d=bytearray(open(sys.argv[1],'rb').read()); d[700]=0xFF
open(sys.argv[2],'wb').write(d)" "$src/tests/data/seed/seed-report-01.txt" "$tmp/damaged.txt"
"$bg" --db "$tmp/dmg.db" ingest "$tmp/damaged.txt" 2>"$tmp/err"
check "a damaged UTF-8 file is reported at its first bad byte" \
    grep -Eq "damaged.txt: byte (69[0-9]|700) \(0x[0-9A-F ]*\): not valid UTF-8" "$tmp/err"
"$bg" --db "$tmp/dmg.db" ingest --on-invalid replace "$tmp/damaged.txt" 2>/dev/null
check "with --on-invalid replace it is ingested as UTF-8" \
    test "$(python3 -c "
import sqlite3,sys
print(sqlite3.connect(sys.argv[1]).execute('select encoding from source').fetchone()[0])" "$tmp/dmg.db")" = UTF-8
st=0
"$bg" --db "$tmp/dmg.db" ingest "$tmp/damaged.txt" 2>"$tmp/err2" || st=$?
check "re-ingesting it unchanged without the option: unchanged, exit 0" \
    sh -c "test $st -eq 0 && grep -q '1 unchanged' '$tmp/err2'"

# search: every space-separated part must occur, in the term search and in
# its substring fallback; --where keeps the hits of matching documents
"$bg" --db "$db" --format csv search '贫困户 XYZQ' --limit 0 >"$tmp/and" 2>&1
check "search: a part found nowhere leaves no hit (substring fallback too)" \
    test "$(wc -l <"$tmp/and")" -eq 1
"$bg" --db "$db" --format csv search '貧困' --limit 0 >"$tmp/all" 2>/dev/null
d=$(sed -n 2p "$tmp/all" | cut -d, -f1)
"$bg" --db "$db" --format csv search '貧困' --limit 0 --where "doc=$d" \
    >"$tmp/one" 2>/dev/null
check "search --where doc=$d: the unfiltered hits of document $d, no other" \
    test "$(awk -F, -v d="$d" 'NR > 1 && $1 == d' "$tmp/all" | wc -l)" -eq \
    "$(($(wc -l <"$tmp/one") - 1))" -a \
    "$(awk -F, -v d="$d" 'NR > 1 && $1 != d' "$tmp/one" | wc -l)" -eq 0
"$bg" --db "$db" --format csv search '貧困' --limit 0 --where kind=problem \
    >"$tmp/kind" 2>/dev/null
python3 - "$db" "$tmp/kind" >"$tmp/kindcheck" <<'PY'
import csv, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = list(csv.DictReader(open(sys.argv[2])))
ok = all(c.execute("SELECT 1 FROM sentence s JOIN extraction e ON e.sentence_id"
                   " = s.id WHERE s.doc_id = ? AND s.start = ? AND e.kind ="
                   " 'problem'", (r["doc"], r["start"])).fetchone()
         for r in rows)
print("ok" if rows and ok else "bad %d" % len(rows))
PY
check "search --where kind=problem: every hit is a problem sentence" \
    grep -qx ok "$tmp/kindcheck"
"$bg" --db "$db" search '貧困' --where 'colour=red' 2>"$tmp/err" >/dev/null
check "search --where with an unknown facet is a clear error" \
    grep -q 'unknown facet "colour"' "$tmp/err"

# source paths are stored absolute: queries, extract and remove work from
# any directory; below the current directory they are shown relative
mkdir "$tmp/rel"
cp "$seed" "$tmp/rel/s.txt"
(cd "$tmp" && "$bg" --db rel.db ingest rel 2>/dev/null)
check "a relative path is stored absolute" test "$(python3 -c "
import sqlite3,sys
print(sqlite3.connect(sys.argv[1]).execute('select path from source').fetchone()[0])" "$tmp/rel.db")" = "$tmp/rel/s.txt"
check "below the current directory a path is shown relative" test \
    "$(cd "$tmp/rel" && "$bg" --db ../rel.db --format csv docs | sed -n 2p | cut -d, -f2)" = s.txt
check "extract from another directory reads the sources" \
    sh -c "cd / && '$bg' --db '$tmp/rel.db' extract 2>/dev/null"
check "remove with a path relative to another directory" \
    sh -c "cd '$tmp/rel' && '$bg' --db ../rel.db remove s.txt 2>&1 | grep -q '1 source'"

# themes/problems/commitments and problems --recurring take --where
"$bg" --db "$db" --format csv problems --doc 3 >"$tmp/p1" 2>/dev/null
"$bg" --db "$db" --format csv problems --where doc=3 >"$tmp/p2" 2>/dev/null
check "problems --where doc=3 is problems --doc 3" cmp "$tmp/p1" "$tmp/p2"
check "  (and has rows)" test "$(wc -l <"$tmp/p1")" -gt 1
"$bg" --db "$db" --format csv commitments --where kind=problem >"$tmp/cp" \
    2>/dev/null
python3 - "$db" "$tmp/cp" >"$tmp/cpcheck" <<'PY'
import csv, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = list(csv.DictReader(open(sys.argv[2])))
want = c.execute("SELECT COUNT(*) FROM extraction a JOIN extraction b ON "
                 "a.sentence_id = b.sentence_id WHERE a.kind = 'commitment' "
                 "AND b.kind = 'problem'").fetchone()[0]
print("ok" if len(rows) == want else "bad %d %d" % (len(rows), want))
PY
check "commitments --where kind=problem: the commitment sentences also problems" \
    grep -qx ok "$tmp/cpcheck"
"$bg" --db "$db" docs --where year=2013 2>"$tmp/err" >/dev/null
check "docs --where is refused, not ignored" grep -q "where applies to" "$tmp/err"

# bytes that decode as GB18030 but read as no Chinese: a warning names the
# guess; real GBK/Big5 files (the seed's, tests/data/ingest) score 100
python3 -c "
import random; random.seed(1)
open('$tmp/noise.txt','wb').write(bytes(random.choice(range(0x81, 0xFF)) for _ in range(4000)))"
"$bg" --db "$tmp/noise.db" ingest "$tmp/noise.txt" 2>"$tmp/err" >/dev/null
check "a low-confidence encoding guess is a warning" \
    grep -q "guessed with confidence [0-9]* of 100" "$tmp/err"
"$bg" --db "$tmp/gbk.db" ingest "$src/tests/data/ingest/gbk-shuzhi.txt" \
    2>"$tmp/err" >/dev/null
check "a real GBK file is no such guess" \
    sh -c "! grep -q 'guessed with confidence' '$tmp/err'"

# a second review's cases
"$bg" --db "$db" remove "" 2>"$tmp/err"
check "remove \"\" names nothing and removes nothing" \
    sh -c "grep -q 'empty argument' '$tmp/err' && '$bg' --db '$db' docs | grep -q ."
"$bg" --db "$db" extract --where doc=1 2>"$tmp/err"
check "extract --where is refused" grep -q "where applies to" "$tmp/err"
"$bg" --db "$db" freq --where "kind=problem,kind=theme" 2>"$tmp/err"
check "a second kind facet is an error" grep -q "kind given twice" "$tmp/err"
mkdir -p "$tmp/old"
cp "$seed" "$tmp/old/s.txt"
(cd "$tmp/old" && "$bg" --db o.db ingest s.txt 2>/dev/null)
python3 -c "
import sqlite3,sys
c=sqlite3.connect(sys.argv[1]); c.execute(\"update source set path='s.txt'\"); c.commit()" \
    "$tmp/old/o.db"
(cd "$tmp/old" && "$bg" --db o.db ingest s.txt 2>"$tmp/err")
check "a path stored as typed (earlier versions) is taken over, not doubled" \
    sh -c "grep -q '1 unchanged' '$tmp/err' && test \"\$(cd '$tmp/old' && '$bg' --db o.db --format csv docs | wc -l)\" -eq 6"
check "  and is stored absolute from then on" \
    test "$(cd "$tmp/old" && "$bg" --db o.db --format csv docs | sed -n 2p | cut -d, -f2)" = s.txt
"$bg" --db "$db" --format csv freq --where "file~seed" --top 1 >"$tmp/f1" 2>/dev/null
(cd "$src/tests/data/seed" && "$bg" --db "$db" --format csv freq \
    --where "file=seed-compilation.txt" --top 1 >"$tmp/f2" 2>/dev/null)
check "file=NAME names the file of the current directory" cmp "$tmp/f1" "$tmp/f2"
mkdir -p "$tmp/html"
printf '<html><head><meta name="ArticleTitle" content="增速&lt;5%%与x&lt;y的关系"></head><body><p>正文一句。</p></body></html>\n' >"$tmp/html/t.html"
"$bg" --db "$tmp/html.db" ingest "$tmp/html" 2>/dev/null
check "a title with a literal < keeps its text" \
    test "$("$bg" --db "$tmp/html.db" --format csv docs | sed -n 2p | cut -d, -f6)" = "增速<5%与x<y的关系"

# results point into files as they were ingested: a changed file is named
mkdir "$tmp/chg"
cp "$seed" "$tmp/chg/s.txt"
"$bg" --db "$tmp/chg.db" ingest "$tmp/chg" 2>/dev/null
"$bg" --db "$tmp/chg.db" search 貧困戶 >/dev/null 2>"$tmp/err"
check "no warning for an unchanged file" test ! -s "$tmp/err"
printf '新的一行。\n' >>"$tmp/chg/s.txt"
"$bg" --db "$tmp/chg.db" search 貧困戶 >/dev/null 2>"$tmp/err"
check "search names a file changed since ingest" \
    grep -q "s.txt changed since it was ingested" "$tmp/err"

# show names the repairs of each sentence: its rows against the ranges the
# seed's source.warnings lists (checked byte by byte by check_offsets.py)
python3 - "$db" "$bg" >"$tmp/repairs" <<'PY'
import csv, io, re, sqlite3, subprocess, sys
db, bg = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
ranges = []
for w in c.execute("SELECT warnings FROM source WHERE warnings IS NOT NULL"):
    for line in w[0].split("\n"):
        m = re.match(r"repairs \(([a-z-]+)\): (.*)", line)
        if m:
            for a, b in re.findall(r"(\d+)-(\d+)", re.sub(r'="(?:[^"\\]|\\.)*"', "", m.group(2))):
                ranges.append((m.group(1), int(a), int(b)))
bad = 0
for (doc,) in c.execute("SELECT id FROM document ORDER BY id"):
    out = subprocess.run([bg, "--db", db, "--format", "csv", "show", str(doc)],
                         capture_output=True, text=True, check=True).stdout
    for r in csv.DictReader(io.StringIO(out)):
        s, e = int(r["start"]), int(r["end"])
        want = []
        for k, a, b in ranges:
            if ((a < e and b > s) or a == e) and k not in want:
                want.append(k)
        if sorted(want) != sorted(filter(None, r["repairs"].split(","))):
            bad += 1
        if r["repairs"]:
            print(r["repairs"])
print("bad", bad)
PY
check "show: every sentence's repairs match source.warnings" \
    grep -qx "bad 0" "$tmp/repairs"
check "show: the seed's repeated lead phrases, mojibake and page number" \
    sh -c "grep -c repeat '$tmp/repairs' | grep -qx 3 &&
           grep -q mojibake '$tmp/repairs' && grep -q page-number '$tmp/repairs'"

for c in ingest search keywords freq themes problems commitments docs show \
    summary segment reindex; do
    check "$c --help" "$bg" "$c" --help
done
"$bg" --db "$tmp/none.db" docs 2>"$tmp/err"
check "a missing database is a clear error" grep -q "no database here" "$tmp/err"
"$bg" --db "$db" show 99 2>"$tmp/err"
check "an unknown document is a clear error" grep -q "no document 99" "$tmp/err"
for c in show outline; do
    # was exit 2 without a word (issue 11)
    "$bg" --db "$db" "$c" 0 2>"$tmp/err"
    check "$c 0 is a usage error that says why" sh -c "test $? -eq 2 &&
        grep -q '$c needs a document id' '$tmp/err'"
done
"$bg" --db "$db" docs --where year=1 2>"$tmp/err"
check "--where on docs names the commands that take it, from the table" \
    grep -q "applies to search, keywords, idf, freq, kwic, collocates, ngrams, trend, cooc, themes, problems, commitments" "$tmp/err"

# a report that cannot be written says why (the C library's strerror)
"$bg" --db "$db" report --out "$tmp/no-such-dir/r.html" 2>"$tmp/err"
check "report --out into a missing directory: exit 1 and the reason" \
    sh -c "test $? -eq 1 && grep -q 'no-such-dir/r.html: cannot write: No such file or directory' '$tmp/err'"
if [ -w /dev/full ]; then
    "$bg" --db "$db" report --out /dev/full 2>"$tmp/err"
    check "report --out on a full disk (/dev/full): exit 1 and the reason" \
        sh -c "test $? -eq 1 && grep -q '/dev/full: write failed: No space left on device' '$tmp/err'"
fi

# a directory that holds the database itself: the walk passes over the
# database and SQLite's files beside it without a word (one text file in
# it; the second ingest finds it unchanged and skips nothing)
mkdir "$tmp/here"
cp "$seed" "$tmp/here/a.txt"
(cd "$tmp/here" && "$bg" --db own.db ingest . 2>/dev/null &&
    "$bg" --db own.db ingest . 2>"$tmp/err")
check "ingest . beside its database: it is not named, 0 skipped" \
    sh -c "! grep -q 'own.db[-a-z]*: skipped' '$tmp/err' && grep -q '0 skipped' '$tmp/err'"

# report over a filter that matches no document: an error and exit 1,
# nothing written; a year the seed holds writes the report (the years from
# the docs table)
years=$("$bg" --db "$db" --format csv docs | python3 -c "
import csv, sys
print(' '.join(sorted({r['year'] for r in csv.DictReader(sys.stdin) if r['year']})))")
first=${years%% *}
none=$((${years##* } + 1))
"$bg" --db "$db" report --where "year=$none" --out "$tmp/none.html" 2>"$tmp/err"
check_same "report --where year=$none (no document): exit 1" "$?" 1
check "report on no document says so and writes nothing" \
    sh -c "grep -q 'year=$none: no document matches' '$tmp/err' && test ! -e '$tmp/none.html'"
"$bg" --db "$db" freq --where "year=$none" >"$tmp/out" 2>"$tmp/err"
check_status $? "freq --where year=$none (no document): exit 0, an empty table"
check "... and stderr says no document matches" \
    sh -c "grep -q 'freq: --where year=$none: no document matches' '$tmp/err' && test \$(wc -l <'$tmp/out') -eq 1"
"$bg" --db "$db" freq --where "year=$first" --top 1 >"$tmp/out" 2>"$tmp/err"
check "freq --where year=$first (documents match): nothing on stderr" \
    test ! -s "$tmp/err"
"$bg" --db "$db" report --where "year=$first" --out "$tmp/one.html" 2>"$tmp/err"
check_status $? "report --where year=$first (a year of the seed) writes the page"

# every database this test built: SQLite's and FTS5's integrity checks
check_dbs "$tmp"

check_done
