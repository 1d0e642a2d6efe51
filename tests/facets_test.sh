#!/bin/sh
# Groups and filters of the statistics over real records (issue 16):
#   - the fields ingest keeps with --meta-field are facets of --where and
#     --by (cpc-congress.jsonl: five CPC congress reports with their
#     congress number and type), compared as numbers when they are ones;
#   - --by FACET:N (bins of N) and --bins A-B,C-,-D (periods) over the
#     years of nine national government work reports;
#   - --min-len N and trend --wide;
#   - genre (the extraction rules' genre of a document) in --where and --by,
#     and on a database made before the column.
# The expected groups and counts are computed here by Python from the
# records themselves (their fields) and from baogao's ungrouped tables
# (docs, trend --by doc, freq), never written in.
# Prints "N passed, N failed".
#   usage: facets_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
data="$src/tests/data/ingest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
. "$(dirname "$0")/check.sh"
cd "$tmp" || exit 1

# ---- meta fields as facets -------------------------------------------------
"$bg" --db m.db ingest --meta-field congress,type "$data/cpc-congress.jsonl" \
    >/dev/null 2>err
check_status $? "ingest cpc-congress.jsonl with --meta-field congress,type"

# groups of --by congress: the distinct congress numbers of the records in
# numeric order (as text, 10 would sort before 3), with their record counts
"$bg" --db m.db trend 代表 --by congress --format csv >by.csv 2>err
check_status $? "trend --by congress (a meta field)"
$py - "$data/cpc-congress.jsonl" by.csv >err 2>&1 <<'EOF'
import csv, json, sys, collections
n = collections.Counter(json.loads(l)["congress"] for l in open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
got = [(int(r["congress"]), int(r["documents"])) for r in rows]
want = sorted(n.items())
if got != want:
    sys.exit("groups %s, want %s" % (got, want))
EOF
check_status $? "... one group per congress number, in numeric order, each with its records"

"$bg" --db m.db trend 代表 --by doc --format csv >doc.csv 2>err
for spec in "congress=1" "congress>=3" "congress<10" "congress!=7" \
    "type=cpc_congress_report" "type~congress"; do
    "$bg" --db m.db trend 代表 --by doc --where "$spec" --format csv \
        >w.csv 2>err
    $py - "$data/cpc-congress.jsonl" w.csv doc.csv "$spec" >err 2>&1 <<'EOF'
import csv, json, operator, re, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
spec = sys.argv[4]
name, op, val = re.match(r"(\w+)(>=|<=|!=|=|<|>|~)(.*)", spec).groups()
ops = {"=": operator.eq, "!=": operator.ne, ">=": operator.ge,
       "<=": operator.le, "<": operator.lt, ">": operator.gt,
       "~": lambda a, b: b in a}
def hit(r):
    v = r[name]
    if isinstance(v, int) and op != "~":
        return ops[op](v, int(val))
    return ops[op](str(v), val)
# documents are numbered in record order
want = [i + 1 for i, r in enumerate(recs) if hit(r)]
got = [int(r["doc"]) for r in csv.DictReader(open(sys.argv[2]))]
if got != want:
    sys.exit("%s: documents %s, want %s" % (spec, got, want))
every = {int(r["doc"]): r["freq"] for r in csv.DictReader(open(sys.argv[3]))}
for r in csv.DictReader(open(sys.argv[2])):
    if every[int(r["doc"])] != r["freq"]:
        sys.exit("%s: doc %s counts %s, unfiltered %s"
                 % (spec, r["doc"], r["freq"], every[int(r["doc"])]))
EOF
    check_status $? "--where $spec: the records whose field matches (as a number when one), counts unchanged"
done

"$bg" --db m.db trend 代表 --by congress:5 --format csv >b5.csv 2>err
check_status $? "trend --by congress:5"
$py - "$data/cpc-congress.jsonl" b5.csv >err 2>&1 <<'EOF'
import csv, json, sys, collections
n = collections.Counter(json.loads(l)["congress"] // 5 * 5
                        for l in open(sys.argv[1]))
want = [("%d-%d" % (k, k + 4), c) for k, c in sorted(n.items())]
got = [(r["congress"], int(r["documents"]))
       for r in csv.DictReader(open(sys.argv[2]))]
if got != want:
    sys.exit("groups %s, want %s" % (got, want))
EOF
check_status $? "... bins of 5 named lo-hi, in numeric order, with their records"

"$bg" --db m.db trend 代表 --by nosuch >/dev/null 2>err
st=$?
check_status "$([ $st -eq 2 ] && grep -q 'unknown facet "nosuch".*congress.*type' err; echo $?)" \
    "an unknown facet is an error listing the meta fields too"

# ---- periods ----------------------------------------------------------------
"$bg" --db y.db ingest "$data/1964政府工作报告_周恩来_摘要.txt" \
    "$data/1991政府工作报告_李鹏.txt" "$data/gwr-1956-head.txt" \
    "$data/gwr-1958-head.txt" "$data/gwr-1984-wikisource.txt" \
    "$data/gwr-2024-wikisource.txt" "$data/2017政府工作报告_李克强.txt" \
    >/dev/null 2>err &&
    "$bg" --db y.db ingest --columns year,text "$data/gwr-reports.tsv" \
        >/dev/null 2>err
check_status $? "ingest nine national reports (text files and a TSV of year, text)"
"$bg" --db y.db docs --format csv >docs.csv 2>err
"$bg" --db y.db trend 人民 发展 --by year --format csv >year.csv 2>err
check_status $? "trend --by year"
# a number column against a word (a typed O for 0, a unit) is an error, not
# an empty table; the years >= 1990 are the documents docs lists so
"$bg" --db y.db freq --where "year>=199O" >/dev/null 2>err
st=$?
check_status "$([ $st -eq 2 ] && grep -q 'facet "year>=199O": year holds numbers, and "199O" is not one' err; echo $?)" \
    "--where year>=199O is an error naming the facet (a number column)"
"$bg" --db y.db trend 人民 --where "year=2017年" >/dev/null 2>err
check_status "$([ $? -eq 2 ] && grep -q '"2017年" is not one' err; echo $?)" \
    "--where year=2017年 likewise"
n=$("$bg" --db y.db --format csv trend 人民 --by doc --where "year>=1990" | tail -n +2 | wc -l)
check_status "$([ "$n" -eq "$($py -c "import csv, sys; print(sum(int(r['year']) >= 1990 for r in csv.DictReader(open('docs.csv'))))")" ] && [ "$n" -gt 0 ]; echo $?)" \
    "--where year>=1990 keeps the $n documents of 1990 on"

# $1: the grouping options, $2: a Python expression of the group name of
# year y (None: left out), $3: the column of the group
periods() {
    "$bg" --db y.db trend 人民 发展 $1 --format csv >p.csv 2>err
    st=$?
    [ $st -eq 0 ] || return $st
    $py - docs.csv year.csv p.csv "$2" "$3" >err 2>&1 <<'EOF'
import csv, sys, collections
docs, year, got, expr, col = sys.argv[1:]
group = eval("lambda y: " + expr)
want_docs = collections.Counter(group(int(r["year"]))
                                for r in csv.DictReader(open(docs)))
want_docs.pop(None, None)
# each group's counts: the sum over its years of trend --by year
want = collections.defaultdict(int)
for r in csv.DictReader(open(year)):
    g = group(int(r["year"]))
    if g is not None:
        want[(g, r["term"])] += int(r["freq"])
rows = list(csv.DictReader(open(got)))
seen = [r[col] for r in rows if r["term"] == "人民"]
order = sorted(want_docs, key=lambda g: int(g.split("-")[0] or -1))
if seen != order:
    sys.exit("groups %s, want %s" % (seen, order))
for r in rows:
    if int(r["documents"]) != want_docs[r[col]]:
        sys.exit("%s: %s documents, want %d"
                 % (r[col], r["documents"], want_docs[r[col]]))
    if int(r["freq"]) != want[(r[col], r["term"])]:
        sys.exit("%s %s: freq %s, want %d" % (r[col], r["term"], r["freq"],
                                              want[(r[col], r["term"])]))
EOF
}
periods "--by year:10" '"%d-%d" % (y // 10 * 10, y // 10 * 10 + 9)' year
check_status $? "--by year:10: decades, each the sum of its years"
periods "--bins 1954-1977,1978-2012,2013-" \
    '"1954-1977" if 1954 <= y <= 1977 else "1978-2012" if 1978 <= y <= 2012 else "2013-" if y >= 2013 else None' year
check_status $? "--bins 1954-1977,1978-2012,2013-: periods named as written, each the sum of its years"
periods "--bins -1959,2017-" \
    '"-1959" if y <= 1959 else "2017-" if y >= 2017 else None' year
check_status $? "--bins -1959,2017-: the years in no period are left out"

"$bg" --db y.db freq --bins 1954-1977,1978- --format csv >f.csv 2>err &&
    head -1 f.csv | grep -q '^year,rank,term'
check_status $? "freq --bins: grouped by year into the periods (long table)"
"$bg" --db y.db keywords --bins 1954-1977,1978- --top 3 --format csv \
    >k.csv 2>err &&
    [ "$(cut -d, -f1 k.csv | sort -u | tr '\n' ' ')" = "1954-1977 1978- year " ]
check_status $? "keywords --bins: one keyword list per period"
for bad in "--bins 1977" "--bins 1990-1980" "--by year:0" "--by year:x" \
    "--by year:10 --bins 1950-"; do
    "$bg" --db y.db trend 人民 $bad >/dev/null 2>err
    check_status "$([ $? -eq 2 ] && [ -s err ]; echo $?)" "$bad is a usage error (exit 2, said)"
done

# ---- --min-len, trend --wide -------------------------------------------------
"$bg" --db y.db freq --top 0 --format csv >all.csv 2>err &&
    "$bg" --db y.db freq --top 0 --min-len 3 --format csv >m3.csv 2>err
check_status $? "freq --min-len 3"
$py - all.csv m3.csv >err 2>&1 <<'EOF'
import csv, sys
every = {r["term"]: r["freq"] for r in csv.DictReader(open(sys.argv[1]))}
got = {r["term"]: r["freq"] for r in csv.DictReader(open(sys.argv[2]))}
want = {t: f for t, f in every.items() if len(t) >= 3}
if not want or got != want:
    sys.exit("%d words, want the %d of 3+ characters (%s)"
             % (len(got), len(want), sorted(set(got) ^ set(want))[:5]))
EOF
check_status $? "... exactly the words of 3+ characters, counts unchanged"

"$bg" --db y.db trend 人民 发展 --bins 1954-1977,1978- --wide --format csv \
    >wide.csv 2>err &&
    "$bg" --db y.db trend 人民 发展 --bins 1954-1977,1978- --format csv \
        >long.csv 2>err
check_status $? "trend --wide"
$py - wide.csv long.csv >err 2>&1 <<'EOF'
import csv, sys
wide = list(csv.DictReader(open(sys.argv[1])))
cols = list(wide[0])
if cols != ["year", "documents", "tokens", "人民", "人民_per_million",
            "发展", "发展_per_million"]:
    sys.exit("columns %s" % cols)
long = {(r["year"], r["term"]): r for r in csv.DictReader(open(sys.argv[2]))}
if len(long) != 2 * len(wide):
    sys.exit("%d groups wide, %d rows long" % (len(wide), len(long)))
for w in wide:
    for t in ("人民", "发展"):
        l = long[(w["year"], t)]
        if (w[t], w[t + "_per_million"], w["documents"], w["tokens"]) != \
           (l["freq"], l["per_million"], l["documents"], l["tokens"]):
            sys.exit("%s %s differs from the long table" % (w["year"], t))
EOF
check_status $? "... one row per period, each word's count and per million as in the long table"

# ---- genre: the extraction rules' genre of each document ----------------
# The extraction test documents (data/extraction/docs: bulletins, work
# reports, notices, first-person reports, complaint letters with replies).
# Groups and selections are checked against `docs`' genre column; the
# government work reports (政府工作报告 in their titles) against the
# workreport genre their titles make (dict/rules/structure.jsonl).
"$bg" --db g.db ingest "$src/tests/data/extraction/docs" >/dev/null 2>err
check_status $? "ingest the extraction test documents"
"$bg" --db g.db docs --format csv >gdocs.csv 2>err &&
    "$bg" --db g.db trend 问题 --by doc --format csv >gdoc.csv 2>err &&
    "$bg" --db g.db trend 问题 --by genre --format csv >gby.csv 2>err
check_status $? "docs, trend --by doc, trend --by genre"
$py - gdocs.csv gdoc.csv gby.csv >err 2>&1 <<'EOF'
import csv, sys, collections
docs = list(csv.DictReader(open(sys.argv[1])))
genre = {int(d["doc"]): d["genre"] for d in docs}
if len(set(genre.values()) - {""}) < 4:
    sys.exit("genres %s: want four or more" % sorted(set(genre.values())))
for d in docs:
    if "政府工作报告" in d["title"] and d["genre"] != "workreport":
        sys.exit("%s: genre %r, want workreport" % (d["title"], d["genre"]))
freq = {int(r["doc"]): int(r["freq"]) for r in csv.DictReader(open(sys.argv[2]))}
want_docs = collections.Counter(g for g in genre.values() if g)
want_freq = collections.Counter()
for doc, g in genre.items():
    want_freq[g] += freq.get(doc, 0)
got = {r["genre"]: (int(r["documents"]), int(r["freq"]))
       for r in csv.DictReader(open(sys.argv[3])) if r["genre"]}
want = {g: (n, want_freq[g]) for g, n in want_docs.items()}
if got != want:
    sys.exit("--by genre %s, want %s" % (sorted(got.items()), sorted(want.items())))
EOF
check_status $? "--by genre: one group per genre of docs, its documents and the sum of their counts"
check_same "docs: genre is the 13th column" "$(head -1 gdocs.csv | cut -d, -f13)" genre
for g in $(cut -d, -f13 gdocs.csv | sed 1d | sort -u); do
    "$bg" --db g.db trend 问题 --by doc --where "genre=$g" --format csv \
        >gw.csv 2>err
    $py - gdocs.csv gw.csv "$g" >err 2>&1 <<'EOF'
import csv, sys
want = [int(d["doc"]) for d in csv.DictReader(open(sys.argv[1]))
        if d["genre"] == sys.argv[3]]
got = [int(r["doc"]) for r in csv.DictReader(open(sys.argv[2]))]
if not want or got != want:
    sys.exit("documents %s, want %s" % (got, want))
EOF
    check_status $? "--where genre=$g: exactly the documents of that genre"
done

# a database made before document.genre: read as it is (genre empty), the
# column added when a writer opens it, filled again by `baogao extract`
cp g.db old.db
$py - old.db >err 2>&1 <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("ALTER TABLE document DROP COLUMN genre")
db.commit()
EOF
"$bg" --db old.db docs --format csv >odocs.csv 2>err &&
    $py -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); sys.exit(not r or any(d["genre"] for d in r))' odocs.csv
check_status $? "a database without the column lists its documents, genre empty"
"$bg" --db old.db extract >/dev/null 2>err &&
    "$bg" --db old.db docs --format csv >odocs.csv 2>err
check_status $? "baogao extract on it"
check_same "... gives every document its genre again" \
    "$(cut -d, -f1,13 odocs.csv)" "$(cut -d, -f1,13 gdocs.csv)"

# every database this test built: SQLite's and FTS5's integrity checks
check_dbs "$tmp"
check_done
