#!/bin/sh
# The golden run: every command of baogao's command table, with
# representative options and in every output format where it matters, on
# a database built from corpus/ (plus a few of tests/data), each command's
# standard output, standard error and exit status written to one file of
# OUTDIR, and the tables of the databases that the writing commands leave
# (ingest, extract, reindex, remove) dumped as CSV. Two builds are compared
# with `diff -r OUT1 OUT2`: a restructuring must leave every byte the same,
# except where it fixes a bug on purpose.
#
# The work happens in WORKDIR (default /tmp/baogao-golden; emptied first),
# to which corpus/ and the inputs are copied, so that the absolute source
# paths stored in the database are the same for every build compared.
#   usage: golden.sh BAOGAO SRCDIR OUTDIR [WORKDIR]
set -u
bg=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
mkdir -p "$3"
out=$(cd "$3" && pwd)
work=${4:-/tmp/baogao-golden}
rm -rf "$work" "$out"/*
mkdir -p "$work"
cp -r "$src/corpus" "$work/corpus"
mkdir -p "$work/more"
cp "$src/tests/data/ingest/entities.txt" "$src/tests/data/ingest/policy-wrapped.txt" \
    "$src/tests/data/ingest/ccdi-reports.csv" "$src/tests/data/ingest/gwr-wikisource.jsonl" \
    "$src/tests/data/ingest/ccdi-t20230808_281355.html" \
    "$src/tests/data/ingest/gbk-shuzhi.txt" "$work/more/"
cp "$src/tests/data/stats/reference-list.tsv" "$work/reference-list.tsv"
cp "$src/tests/data/userdict-test.txt" "$work/user.dict"
cd "$work" || exit 1
n=0

# run NAME ARGS...: one case; stdin from /dev/null unless IN is set
run() {
    name=$1
    shift
    n=$((n + 1))
    f=$(printf '%s/%03d-%s.out' "$out" "$n" "$name")
    {
        printf '$ baogao'
        printf ' %s' "$@"
        printf '\n'
    } >"$f"
    "$bg" "$@" <"${IN:-/dev/null}" >>"$f" 2>"$f.err"
    status=$?
    printf -- '--- stderr\n' >>"$f"
    cat "$f.err" >>"$f"
    rm -f "$f.err"
    printf -- '--- exit %s\n' "$status" >>"$f"
}

# dump DB NAME: every table of DB as CSV (source.ingested_at left out: a
# clock), one file per table, rows in id order
dump() {
    for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = \
        'table' AND name NOT LIKE 'sentence_fts%' AND name NOT LIKE \
        'sqlite_%' ORDER BY name"); do
        cols=$(sqlite3 "$1" "SELECT group_concat(name, ', ') FROM \
            pragma_table_info('$t') WHERE name <> 'ingested_at'")
        if [ "$t" = sentence ]; then # terms packed (schema 9): their text
            python3 "$src/tests/bgterms.py" --csv "$1" "SELECT \
                $(echo "$cols" | sed 's/terms/bg_terms(terms) AS terms/') \
                FROM $t ORDER BY $cols" >"$out/db-$2-$t.csv"
        else
            sqlite3 -header -csv "$1" "SELECT $cols FROM $t ORDER BY $cols" \
                >"$out/db-$2-$t.csv"
        fi
    done
    python3 "$src/tests/bgterms.py" "$1" "SELECT f.rowid, bg_terms(s.terms) \
        FROM sentence_fts f JOIN sentence s ON s.id = f.rowid WHERE \
        sentence_fts MATCH '改革 OR 贫困户 OR rcep' ORDER BY f.rowid" \
        >"$out/db-$2-fts.csv"
}

db="--db g.db"
# ---- usage and help
run usage
run help --help
run unknown-command bogus
run unknown-option --bogus docs
run no-db $db docs
for c in ingest search keywords freq keyness kwic collocates ngrams trend \
    cooc themes problems commitments outline extract segment docs reindex \
    remove show summary; do
    run "help-$c" "$c" --help
done

# ---- ingest
run ingest $db ingest corpus
run ingest-more $db ingest more
run ingest-again $db ingest corpus
run ingest-bad-option $db ingest --on-invalid maybe corpus
run ingest-none $db ingest
dump g.db ingest
cp g.db base.db

# ---- documents
for fmt in table csv json jsonl; do
    run "docs-$fmt" $db --format "$fmt" docs --width 30
done
run docs-duplicates $db docs --duplicates
run docs-where $db docs --where year=2017
for d in 1 6 10 13 16; do
    run "show-$d" $db show "$d" --width 40
done
run show-json $db --format json show 13
run show-none $db show 999
run show-bad $db show x

# ---- search
run search $db search 贫困户 --limit 5
run search-jsonl $db search 贫困户 --limit 2 --format jsonl
run search-and $db search "改革 开放" --limit 5
run search-where $db search 整改 --where "year>=2017,kind=problem"
run search-substring $db search 困户为 --limit 3
run search-traditional $db search 聯繫 --limit 3
run search-punct $db search "，。"
run search-all $db search 发展 --limit 0 --format csv

# ---- statistics
run keywords-doc $db keywords --doc 6 --top 3
run keywords $db keywords --top 5
for m in sklearn plain textrank; do
    run "keywords-$m" $db keywords --method "$m" --top 4
done
run keywords-by $db keywords --by year --top 3 --format csv
run keywords-where $db keywords --where "year>=2017" --top 3 --numbers
run keywords-kind $db keywords --where kind=problem --top 3
run keywords-bad-method $db keywords --method bm25
run keywords-doc-where $db keywords --doc 2 --where year=1998
run keywords-dup $db keywords --doc 999
run freq $db freq --top 10 --drop-stopwords
run freq-all $db freq --top 0 --format csv
run freq-by $db --format csv freq --by year --where "year>=1987" --top 2 --drop-stopwords
run freq-wide $db freq --by year --wide --top 5 --drop-boilerplate
run freq-kind $db freq --where kind=commitment --top 5 --add-stopwords reference-list.tsv
run freq-numbers $db freq --numbers --top 5 --min-freq 3 --format json
run freq-bad-facet $db freq --where "colour=red"
run freq-by-kind $db freq --by kind
run keyness $db keyness --target "year<=1998" --reference "year>=2017" --top 2 --drop-stopwords
run keyness-rest $db keyness --target doc=6 --top 3 --format csv
run keyness-2term $db keyness --target "year<=1998" --g2-2term --top 3 --sort log_ratio
run keyness-pct $db keyness --target "org~国务院" --sort pct_diff --top 2 --min-freq 5
run keyness-p $db keyness --target "kind=problem" --sort p --top 2
run keyness-list $db keyness --target doc=1 --reference-list reference-list.tsv --top 3
run keyness-none $db keyness
run keyness-bad-sort $db keyness --target doc=1 --sort size
run kwic $db kwic 贫困户 --width 12 --limit 3 --sort right
run kwic-left $db kwic 改革 --width 8 --limit 5 --sort left
run kwic-text $db kwic 联村 --limit 4 --format json
run kwic-where $db kwic 发展 --where "doc=13" --limit 0
run kwic-bad-sort $db kwic 发展 --sort up
run collocates $db collocates 改革 --window 3,3 --top 3 --drop-stopwords --min-freq 3
run collocates-adjust $db collocates 发展 --window 2,1 --adjust-window --sort mi --top 5
for s in t_score g2 o11; do
    run "collocates-$s" $db collocates 经济 --sort "$s" --top 3 --format csv
done
run collocates-absent $db collocates 不存在的词
run collocates-bad-window $db collocates 改革 --window 99
run ngrams $db ngrams -n 2..3 --top 3 --drop-stopwords
run ngrams-5 $db ngrams -n 5 --top 5 --where kind=theme
run ngrams-bad $db ngrams -n 7
run trend $db trend 创新 --where "year>=1987"
run trend-many $db trend 改革 发展 --by doc --format csv
run trend-org $db trend 贫困户 --by org
run cooc $db --format csv cooc --top 20 --min-freq 5
run cooc-graphml $db cooc --top 8 --graphml
run cooc-where $db cooc --top 10 --where "year<2000" --numbers

# ---- extraction
for k in themes problems commitments; do
    run "$k" $db "$k" --width 40
    run "$k-doc" $db --format jsonl "$k" --doc 12 --explain
    run "$k-csv" $db --format csv "$k" --where "year>=2017"
done
run commitments-kind $db commitments --where kind=problem --format json
run problems-recurring $db problems --recurring --threshold 0.3 --top 5
run problems-recurring-where $db problems --recurring --where "year>=2000" --min-docs 2 --format csv
run problems-recurring-doc $db problems --recurring --doc 13
run problems-doc-where $db problems --doc 2 --where year=1998
for d in 1 12 13 16; do
    run "outline-$d" $db outline "$d" --width 30
done
run outline-none $db outline 999
run summary $db summary
run summary-json $db --format json summary
run summary-csv $db --format csv summary --width 0

# ---- granularity, query syntax, problem clauses, idf, report, train
run freq-fine $db freq --granularity fine --top 5
run keywords-fine $db keywords --granularity fine --top 3
run search-syntax $db search '"改革 开放" OR 贫困户 -整改' --limit 3
run kwic-word $db kwic 改革 --word --limit 3
run problems-clauses $db problems --clauses --width 30
run problems-recurring-by $db problems --recurring --by year --top 3
run idf $db idf
run idf-where $db idf --where "year>=2017"
run report $db report --out report.html --lang en
cp report.html "$out/report.html" 2>/dev/null
mkdir -p train/docs train/rules
for d in seed-01 seed-02 shuzhi-kefu notice-新疆; do
    cp "$src/tests/data/extraction/docs/$d.txt" train/docs/
    grep "\"doc\": \"$d\"" "$src/tests/data/extraction/gold-dev.jsonl" \
        >>train/gold.jsonl
done
cp "$src"/dict/rules/*.jsonl train/rules/
run train train --rules train/rules train/gold.jsonl
cp train/rules/model.txt "$out/train-model.txt" 2>/dev/null
cp train/rules/model.json "$out/train-model.json" 2>/dev/null

# ---- segment
printf '我聯系西坡村1名貧困戶，聯(lián)村聯(lián)戶為民富民。增长6.1%%，达到3.5万元\n\n  space  and Latin, COVID-19 2013.4.15\r\n' >seg.in
IN=seg.in run segment segment
IN=seg.in run segment-dict segment --dict user.dict
IN=seg.in run segment-only segment --dict user.dict --only-dict
IN=seg.in run segment-fine segment --granularity fine
printf 'ok\n\377bad\n' >bad.in
IN=bad.in run segment-bad segment

# ---- writing commands, each on a copy of the database
cp base.db g.db
run extract $db extract
dump g.db extract
cp base.db g.db
run extract-doc $db extract --doc 13 --rules "$src/tests/data/rules-test"
dump g.db extract-doc
cp base.db g.db
run reindex $db reindex --dict user.dict
run reindex-search $db search 聯繫 --limit 3
dump g.db reindex
cp base.db g.db
run remove $db remove 10 corpus/gwr corpus/nothing ""
run remove-docs $db docs --width 20
dump g.db remove
run where-refused $db docs --where year=1
exit 0
