#!/bin/sh
# End-to-end checks of the statistics commands (freq, keyness, kwic,
# collocates, ngrams, trend, cooc, keywords) through the CLI, on the
# hand-worked corpus in data/stats/corpus (counts in data/stats/README.md)
# and on the seed compilation (Traditional text with pinyin debris: KWIC
# byte offsets). Expected values are computed in Python from the hand
# counts with the published formulas, independently of the C code.
# Ends with "N passed, N failed".
#   usage: stats_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
db="$tmp/hand.db"
data="$src/tests/data/stats"
"$bg" --db "$db" ingest "$data/corpus/a.txt" "$data/corpus/b.txt" 2>/dev/null
q() { "$bg" --db "$db" --format json "$@"; }

# expect FILE PYTHON: rows = the JSON output; PYTHON asserts on them
expect() {
    python3 - "$1" <<PY
import json, math, sys
rows = json.load(open(sys.argv[1]))
def near(a, b): return abs(a - b) <= 1e-9 * max(1.0, abs(b))
def by(key, val): return [r for r in rows if r[key] == val][0]
ln, log2 = math.log, math.log2
def g2(a, b, n1, n2):  # Dunning 1993, 4 cells, O ln(O/E), 0 ln 0 = 0
    n = n1 + n2
    cells = [(a, (a + b) * n1 / n), (b, (a + b) * n2 / n),
             (n1 - a, (n - a - b) * n1 / n), (n2 - b, (n - a - b) * n2 / n)]
    return 2 * sum(o * ln(o / e) for o, e in cells if o > 0)
def lr(a, b, n1, n2): return log2(((a or 0.5) / n1) / ((b or 0.5) / n2))
$2
PY
}

q freq >"$tmp/freq"
check "freq: counts, per million, range, DP by hand" expect "$tmp/freq" '
assert [(r["term"], r["freq"], r["range"]) for r in rows] == [
    ("gamma", 5, 2), ("beta", 4, 2), ("alpha", 3, 1), ("delta", 2, 2),
    ("epsilon", 1, 1)], rows
assert near(by("term", "gamma")["per_million"], 5e6 / 15)
# DP (Gries 2008): parts 7 and 8 tokens; gamma 1 and 4 of 5
assert near(by("term", "gamma")["dp"], (abs(1/5 - 7/15) + abs(4/5 - 8/15)) / 2)
assert near(by("term", "alpha")["dp"], (abs(1 - 7/15) + 8/15) / 2)'

q freq --by doc >"$tmp/freqby"
check "freq --by doc: per-group counts and per million" expect "$tmp/freqby" '
g = [r for r in rows if r["doc"] == 2]
assert [(r["term"], r["freq"]) for r in g] == [
    ("gamma", 4), ("beta", 2), ("delta", 1), ("epsilon", 1)], g
assert near(g[0]["per_million"], 4e6 / 8)'

"$bg" --db "$db" --format csv freq --by doc --wide >"$tmp/wide.csv"
check "freq --by doc --wide --format csv: one column per group" \
    python3 -c "
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0] == ['rank', 'term', 'freq', 'range', '1', '2'], rows[0]
assert rows[1] == ['1', 'gamma', '5', '2', '1', '4'], rows[1]
assert all(len(r) == 6 for r in rows)" "$tmp/wide.csv"

q --where doc=2 freq >"$tmp/where"
check "freq --where doc=2" expect "$tmp/where" '
assert [r["term"] for r in rows] == ["gamma", "beta", "delta", "epsilon"]'

q keyness --target doc=1 --top 0 >"$tmp/key"
check "keyness doc=1 vs the rest: G2, p, log ratio, %DIFF by hand" \
    expect "$tmp/key" '
a = by("term", "alpha")
assert a["direction"] == "+" and a["freq_target"] == 3
assert a["freq_reference"] == 0
assert near(a["g2_4term"], g2(3, 0, 7, 8))
assert near(a["p"], math.erfc(math.sqrt(g2(3, 0, 7, 8) / 2)))
assert near(a["log_ratio_zero_half"], lr(3, 0, 7, 8))
assert near(a["pct_diff"], 100 * (3 / 7) / 1e-18)
gm = by("term", "gamma")
assert gm["direction"] == "-" and near(gm["g2_4term"], -g2(1, 4, 7, 8))
assert near(gm["pct_diff"], 100 * (1/7 - 4/8) / (4/8))
assert [r["term"] for r in rows if r["direction"] == "+"] == ["alpha", "beta", "delta"]'

q keyness --target doc=1 --reference doc=2 --g2-2term --top 0 >"$tmp/key2"
check "keyness --g2-2term (Rayson & Garside)" expect "$tmp/key2" '
e1, e2 = 7 * 3 / 15, 8 * 3 / 15
assert near(by("term", "alpha")["g2_2term"], 2 * 3 * ln(3 / e1))'

q keyness --target doc=1 --reference-list "$data/reference-list.tsv" \
    --top 0 >"$tmp/keyl"
check "keyness --reference-list (n2 = 20)" expect "$tmp/keyl" '
assert near(by("term", "beta")["g2_4term"], -g2(2, 10, 7, 20))
z = by("term", "zeta")
assert z["freq_target"] == 0 and near(z["log_ratio_zero_half"], lr(0, 5, 7, 20))'

q kwic alpha --limit 0 >"$tmp/kwic"
check "kwic: every node at its file bytes, contexts" python3 -c "
import json, sys
rows = json.load(open(sys.argv[1]))
assert [(r['doc'], r['sentence'], r['start'], r['end']) for r in rows] == [
    (1, 1, 0, 5), (1, 1, 11, 16), (1, 2, 26, 31)], rows
assert rows[1]['left'] == 'alpha beta ' and rows[1]['right'] == ' gamma。'
for r in rows:
    assert open(r['file'], 'rb').read()[r['start']:r['end']] == b'alpha'
" "$tmp/kwic"
q kwic alpha --sort right >"$tmp/kwicr"
check "kwic --sort right: beta < delta < gamma" python3 -c "
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r['start'] for r in rows] == [0, 26, 11], rows" "$tmp/kwicr"

q collocates alpha --window 1,1 >"$tmp/coll"
check "collocates alpha --window 1,1: o11, MI, t, logDice, G2 by hand" \
    expect "$tmp/coll" '
b = by("collocate", "beta")
assert (b["o11"], b["left"], b["right"], b["f_node"], b["f_collocate"]) == (2, 1, 1, 3, 4)
e = 3 * 4 / 15
assert near(b["e11"], e) and near(b["mi"], log2(2 / e))
assert near(b["t_score"], (2 - e) / math.sqrt(2))
assert near(b["log_dice"], 14 + log2(2 * 2 / (3 + 4)))
# G2 of the table (o11, c1 - o11, r1 - o11, N - r1 - c1 + o11)
t = [2, 2, 1, 10]
rs, cs = [t[0] + t[1], t[2] + t[3]], [t[0] + t[2], t[1] + t[3]]
assert near(b["g2"], 2 * sum(t[i] * ln(t[i] * 15 / (rs[i // 2] * cs[i % 2])) for i in range(4)))
assert by("collocate", "gamma")["o11"] == 1 and by("collocate", "delta")["o11"] == 1'

q collocates alpha --window 1,1 --adjust-window >"$tmp/collw"
check "collocates --adjust-window: e11_window = r1 c1 (L + R) / N" \
    expect "$tmp/collw" '
assert near(by("collocate", "beta")["e11_window"], 3 * 4 * 2 / 15)'

q ngrams -n 2 --top 0 >"$tmp/ng"
check "ngrams -n 2: frequency and range" expect "$tmp/ng" '
assert (rows[0]["ngram"], rows[0]["freq"], rows[0]["range"]) == ("beta gamma", 2, 1)
assert len(rows) == 10 and all(r["freq"] == 1 for r in rows[1:])'

# n-grams stop at clause punctuation (， 、 ； and the like), as WordSmith
# Tools' clusters stop at ;,.!?: the expected pairs are a plain count of
# adjacent words inside the text's clauses (split at the marks, in Python)
printf 'alpha beta、gamma delta，alpha beta；delta epsilon: alpha beta gamma。\n' \
    >"$tmp/clauses.txt"
"$bg" --db "$tmp/clauses.db" ingest "$tmp/clauses.txt" 2>/dev/null
"$bg" --db "$tmp/clauses.db" --format json ngrams -n 2 --top 0 >"$tmp/ngc"
check "ngrams do not cross 、 ， ； :" expect "$tmp/ngc" '
import collections, re
text = open(sys.argv[1].replace("ngc", "clauses.txt"), encoding="utf-8").read()
want = collections.Counter()
for clause in re.split("[，、；：。！？,;:!?.]", text):
    w = clause.split()
    want.update(" ".join(w[i:i + 2]) for i in range(len(w) - 1))
got = {r["ngram"]: r["freq"] for r in rows}
assert got == dict(want), (got, want)
assert "beta gamma" in got and "delta alpha" not in got'

q trend gamma --by doc >"$tmp/trend"
check "trend gamma --by doc" expect "$tmp/trend" '
assert [(r["doc"], r["freq"]) for r in rows] == [(1, 1), (2, 4)]
assert near(rows[0]["per_million"], 1e6 / 7) and rows[1]["tokens"] == 8'

q cooc --top 5 >"$tmp/cooc"
check "cooc: sentence pairs and Jaccard" expect "$tmp/cooc" '
r = rows[0]
assert (r["source"], r["target"], r["count"]) == ("beta", "gamma", 3), r
assert near(r["jaccard"], 3 / (4 + 3 - 3))
assert len(rows) == 8'
"$bg" --db "$db" cooc --top 5 --graphml >"$tmp/g.graphml"
check "cooc --graphml is GraphML with 5 nodes and 8 edges" python3 -c "
import sys, xml.etree.ElementTree as ET
ns = {'g': 'http://graphml.graphdrawing.org/xmlns'}
g = ET.parse(sys.argv[1]).getroot().find('g:graph', ns)
assert len(g.findall('g:node', ns)) == 5 and len(g.findall('g:edge', ns)) == 8
" "$tmp/g.graphml"

# the corpus's own idf (two documents would take jieba's table by default)
q keywords --top 0 --method jieba --idf corpus >"$tmp/kwj"
check "keywords jieba: tf / T x ln(N / df)" expect "$tmp/kwj" '
a = [r for r in rows if r["doc"] == 1 and r["term"] == "alpha"][0]
assert near(a["tfidf_jieba"], 3 / 7 * ln(2 / 1))'
q keywords --top 0 --method sklearn --idf corpus >"$tmp/kws"
check "keywords sklearn: smooth idf, l2 rows" expect "$tmp/kws" '
idf_a, idf_o = ln(3 / 2) + 1, ln(3 / 3) + 1
row = [3 * idf_a, 2 * idf_o, 1 * idf_o, 1 * idf_o]
a = [r for r in rows if r["doc"] == 1 and r["term"] == "alpha"][0]
assert near(a["tfidf_sklearn"], row[0] / math.sqrt(sum(x * x for x in row)))'
q keywords --doc 1 --method textrank >"$tmp/kwt"
check "keywords textrank: the top word scores 1" expect "$tmp/kwt" '
assert rows[0]["textrank"] == 1.0 and all(r["doc"] == 1 for r in rows)'

# fewer than 20 documents: idf from jieba's idf.txt (python3-jieba), its
# upper median for a word it lacks, as jieba's own TFIDF class loads it
odb="$tmp/one.db"
"$bg" --db "$odb" ingest "$src/tests/data/search/2021政府工作报告.txt" 2>/dev/null
"$bg" --db "$odb" --format json keywords --top 0 >"$tmp/kwbg"
# Debian's python3 holds python3-jieba (a python3 earlier on PATH may not)
dpy=/usr/bin/python3
[ -x "$dpy" ] || dpy=python3
check "keywords of one document: tf / T x jieba's idf, named in the header" \
    "$dpy" - "$tmp/kwbg" "$odb" "$src/dict/stopwords.txt" <<'PY'
import json, math, sqlite3, sys
from jieba.analyse.tfidf import TFIDF
rows = json.load(open(sys.argv[1]))
col = "tfidf_jieba(idf:jieba)"
assert rows and all(col in r for r in rows), list(rows[0])
t = TFIDF()  # jieba 0.42.1's idf.txt and median, as extract_tags uses them
c = sqlite3.connect(sys.argv[2])
stop = {w.strip() for w in open(sys.argv[3], encoding="utf-8")}
tf = dict(c.execute("SELECT t.term, dt.tf FROM doc_term dt JOIN term t ON "
                    "t.id = dt.term_id"))
# numbers (term.kind, bg_number_parse: 2035年, 二〇三五年, 一百) are no
# keywords
num = {w for (w,) in c.execute("SELECT term FROM term WHERE kind = 'number'")}
words = {w for w in tf if len(w) >= 2 and w not in stop and w not in num}
got = {r["term"]: r[col] for r in rows}
assert words <= got.keys(), sorted(words - got.keys())[:5]
assert not got.keys() & num, sorted(got.keys() & num)[:5]
# T: the document's candidate tokens (the rows with --top 0)
total = sum(tf[w] for w in got)
want = {w: tf[w] / total * t.idf_freq.get(w, t.median_idf) for w in got}
assert all(abs(got[w] - want[w]) <= 1e-9 * want[w] for w in want)
scores = [r[col] for r in rows]
assert scores == sorted(scores, reverse=True) and scores[0] > 0
assert [r["term"] for r in rows[:3]] == sorted(want, key=lambda w: (-want[w], w))[:3]
PY
"$bg" --db "$db" idf >"$tmp/hand-idf.txt"
check "idf writes ln(N / df) of every word of the hand corpus, jieba's format" \
    python3 - "$tmp/hand-idf.txt" "$db" <<'PY'
import math, sqlite3, sys
lines = [l.split(" ") for l in open(sys.argv[1], encoding="utf-8").read().splitlines()]
c = sqlite3.connect(sys.argv[2])
n = c.execute("SELECT count(*) FROM document WHERE dup_of IS NULL").fetchone()[0]
df = dict(c.execute("SELECT t.term, count(*) FROM doc_term dt JOIN term t "
                    "ON t.id = dt.term_id WHERE t.kind = 'word' GROUP BY t.id"))
assert [w for w, _ in lines] == sorted(df), lines
assert all(abs(float(v) - math.log(n / df[w])) < 1e-9 for w, v in lines)
PY
q keywords --doc 1 --top 0 --idf "$tmp/hand-idf.txt" >"$tmp/kwf"
check "keywords --idf FILE: tf / T x the file's idf, the file named" expect "$tmp/kwf" '
a = [r for r in rows if r["term"] == "alpha"][0]
assert near(a["tfidf_jieba(idf:hand-idf.txt)"], 3 / 7 * ln(2 / 1))'
printf 'alpha 1.5\nbeta one\n' >"$tmp/bad-idf.txt"
check "keywords --idf with a bad line names the file and line" sh -c \
    "! '$bg' --db '$db' keywords --idf '$tmp/bad-idf.txt' 2>'$tmp/err' && grep -q 'bad-idf.txt:2: \"one\" is no idf' '$tmp/err'"

# summary's keywords are keywords' (one implementation, issue 11): the same
# top five per document, so no number (2016年) and N without duplicates
sdb="$tmp/summary.db"
cp "$data/corpus/a.txt" "$tmp/a-copy.txt"
"$bg" --db "$sdb" ingest "$data/corpus/a.txt" "$data/corpus/b.txt" \
    "$tmp/a-copy.txt" "$src/tests/data/ingest/entities.txt" 2>/dev/null
"$bg" --db "$sdb" --format json summary >"$tmp/summary"
"$bg" --db "$sdb" --format json keywords --top 5 >"$tmp/kw5"
check "summary lists each document's top five keywords of keywords" python3 -c "
import json, sys
summ = json.load(open(sys.argv[1]))
kw = json.load(open(sys.argv[2]))
assert len(summ) == 4, summ
for d in summ:
    want = [r['term'] for r in kw if r['doc'] == d['doc']]
    got = d['keywords'].split('、') if d['keywords'] else []
    assert got == want, (d['doc'], got, want)
    assert not any(c.isdigit() for c in d['keywords']), d
" "$tmp/summary" "$tmp/kw5"

check "an unknown facet is a usage error naming the facets" sh -c \
    "! '$bg' --db '$db' freq --where colour=red 2>'$tmp/err' && grep -q 'unknown facet \"colour\"' '$tmp/err'"

# KWIC offsets in a file with Traditional text and pinyin debris: the node
# is at its bytes in the file as written
seed="$tmp/seed.db"
"$bg" --db "$seed" ingest "$src/tests/data/seed/seed-compilation.txt" 2>/dev/null
"$bg" --db "$seed" --format json kwic 贫困户 --limit 0 >"$tmp/kseed"
check "kwic 贫困户 on the seed: every node's bytes are 貧困戶 in the file" \
    python3 -c "
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) > 0
data = open(rows[0]['file'], 'rb').read()
for r in rows:
    assert r['node'] == '貧困戶', r
    assert data[r['start']:r['end']].decode() == r['node'], r
" "$tmp/kseed"

# Counts from the corpus totals (term.freq, term.df: a set of most of the
# corpus is the totals minus the documents left out) against counts read
# document by document: the same database without the totals columns
# (query_count.c then reads every document) must print the same tables.
tot="$tmp/totals.db"
"$bg" --db "$tot" ingest "$src/corpus/gwr" 2>/dev/null
cp "$tot" "$tmp/nototals.sqlite"
sqlite3 "$tmp/nototals.sqlite" "DROP TRIGGER doc_vector_ad; DROP VIEW term_freq;
    ALTER TABLE term DROP COLUMN freq; ALTER TABLE term DROP COLUMN df"
for args in "freq --top 40" "freq --top 40 --where doc>=2" \
    "keyness --target doc=1" "keyness --target doc<=3 --reference doc=4" \
    "keyness --target doc<=2 --reference doc>=3" "collocates 发展" \
    "collocates 发展 --where doc>=2"; do
    # shellcheck disable=SC2086
    "$bg" --db "$tot" $args >"$tmp/with" 2>&1
    # shellcheck disable=SC2086
    "$bg" --db "$tmp/nototals.sqlite" $args >"$tmp/without" 2>&1
    check "$args: from the totals = document by document" sh -c \
        "test \$(wc -l <'$tmp/with') -gt 5 && cmp '$tmp/with' '$tmp/without'"
done
check "totals: a word's freq and df are its sums over doc_term" sh -c \
    "test \"\$(sqlite3 '$tot' \"SELECT freq, df FROM term WHERE term = '发展'\")\" = \
     \"\$(sqlite3 '$tot' \"SELECT SUM(tf), COUNT(*) FROM doc_term JOIN term t
        ON t.id = term_id WHERE t.term = '发展'\")\""

# every database this test built: SQLite's and FTS5's integrity checks
check_dbs "$tmp"

# KWIC offsets in a hard-wrapped text: the sentence is read again with the
# repairs stored at ingest (issue 11: the repairs were found again on the
# sentence alone, which holds no wrap, so the offsets were null)
wdb="$tmp/wrap.db"
"$bg" --db "$wdb" ingest "$src/tests/data/ingest/policy-wrapped.txt" 2>/dev/null
"$bg" --db "$wdb" --format json kwic 数字 --limit 0 >"$tmp/kwrap"
check "kwic in a hard-wrapped text: every node's bytes are in the file" \
    python3 -c "
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) >= 3, rows
data = open(rows[0]['file'], 'rb').read()
for r in rows:
    assert r['start'] is not None, r
    assert data[r['start']:r['end']].decode().replace('\\n', '') == r['node'], r
" "$tmp/kwrap"

check_done
