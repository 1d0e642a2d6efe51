#!/bin/sh
# Granularity and numbers end to end (issue 12, items 2 and 3), on real
# report text: corpus/gwr (four national work reports) and
# data/granularity/numbers.txt (ten sentences of national work reports
# 1954-2023 holding numbers; provenance in data/granularity/README.md).
#  - coarse counts (freq, the default) equal jieba's: jieba 0.42.1 (Debian
#    python3-jieba) cutting the stored sentences' analysis forms with HMM
#    off and dict/domain.txt loaded, for the established compounds and the
#    words the issue names;
#  - fine counts (freq --granularity fine), derived from the coarse counts
#    and term_part, equal the counts of `baogao segment --granularity fine`
#    over the same sentences; a compound has no fine count;
#  - search and kwic find both: their whole words (--word) are fine words,
#    so a word is a whole word alone and inside compounds;
#  - every number of numbers.txt is one term of kind number with the value
#    worked by hand from its numeral, kept out of word lists unless
#    --numbers.
# Ends with "N passed, N failed".
#   usage: granularity_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
py=/usr/bin/python3
[ -x "$py" ] || py=python3
db="$tmp/g.db"
"$bg" --db "$db" ingest "$src/corpus/gwr" "$src/tests/data/granularity" \
    2>/dev/null
# the analysis forms, a sentence a line (schema 11: bg_norm)
$py "$src/tests/bgterms.py" "$db" "SELECT bg_norm(text, norm_edit) FROM sentence
    ORDER BY doc_id, seq" >"$tmp/norm.txt"
"$bg" segment --granularity fine <"$tmp/norm.txt" >"$tmp/fine.txt"
for g in coarse fine; do
    "$bg" --db "$db" --format csv freq --granularity $g --top 0 \
        >"$tmp/freq-$g.csv"
done

# coarse = jieba with the same dictionary
if $py -c 'import jieba' 2>/dev/null; then
    check "coarse counts equal jieba's (HMM off, domain.txt loaded)" \
        $py - "$tmp/norm.txt" "$tmp/freq-coarse.csv" "$src/dict/domain.txt" <<'PY'
import collections, csv, logging, sys
import jieba
jieba.setLogLevel(logging.WARNING)
jieba.load_userdict(sys.argv[3])
want = collections.Counter()
for line in open(sys.argv[1], encoding='utf-8'):
    want.update(jieba.cut(line.rstrip('\n'), HMM=False))
got = {r['term']: int(r['freq']) for r in csv.DictReader(open(sys.argv[2]))}
words = ['体制改革', '国有企业', '宏观调控', '小康社会', '改革开放', '深化改革',
         '财政政策', '货币政策', '市场经济', '改革', '政策', '市场', '发展',
         '经济']
bad = [(w, got.get(w, 0), want[w]) for w in words if got.get(w, 0) != want[w]]
print('word, baogao coarse, jieba:', bad or 'all equal')
assert not bad and all(want[w] > 0 for w in words)
PY
else
    echo "skipped: python3-jieba missing (the coarse anchor)"
fi

check "fine counts (coarse counts through term_part) equal the fine segmentation's" \
    $py - "$tmp/fine.txt" "$tmp/freq-fine.csv" "$tmp/freq-coarse.csv" <<'PY'
import collections, csv, re, sys
seg = collections.Counter()
for line in open(sys.argv[1], encoding='utf-8'):
    for t in line.rstrip('\n').split('  '):
        if re.search(r'\w', t):
            seg[t] += 1
fine = {r['term']: int(r['freq']) for r in csv.DictReader(open(sys.argv[2]))}
coarse = {r['term']: int(r['freq']) for r in csv.DictReader(open(sys.argv[3]))}
words = ['改革', '政策', '市场', '企业', '国有', '体制', '调控', '社会', '发展']
bad = [(w, fine.get(w), seg[w]) for w in words if fine.get(w) != seg[w]]
print('word, fine freq, fine segmentation:', bad or 'all equal')
assert not bad
# the compounds are not fine words, and their parts count more
for c in ['体制改革', '国有企业', '宏观调控', '小康社会']:
    assert c not in fine and coarse.get(c, 0) > 0, c
assert fine['改革'] > coarse['改革'] and fine['企业'] > coarse['企业']
PY

check "term_part: a compound's fine parts in order" test \
    "$(sqlite3 "$db" "SELECT group_concat(p.term, ' ') FROM term_part tp
        JOIN term t ON t.id = tp.term_id JOIN term p ON p.id = tp.part_id
        WHERE t.term IN ('体制改革', '国有企业', '宏观调控')
        GROUP BY t.id ORDER BY t.term")" = "$(printf '体制 改革\n国有 企业\n宏观 调控')"

check "the fine view agrees with freq --granularity fine (freq, range)" test \
    "$(sqlite3 -csv "$db" "SELECT freq, df FROM term_freq_fine
        WHERE term = '改革'")" = \
    "$(grep '^[0-9]*,改革,' "$tmp/freq-fine.csv" | cut -d, -f3,5)"

# search and kwic --word: fine words, inside compounds too
check "search --word 改革 finds every sentence holding it as a fine word" \
    $py - "$tmp/fine.txt" "$bg" "$db" <<'PY'
import json, subprocess, sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
want = sum(1 for l in lines if '改革' in l.split('  '))
both = sum(1 for l in lines
           if any(a == '体制' and b == '改革'
                  for a, b in zip(l.split('  '), l.split('  ')[1:])))
def hits(q):
    out = subprocess.run([sys.argv[2], '--db', sys.argv[3], '--format',
                          'json', 'search', '--word', q, '--limit', '0'],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)
got = hits('改革')
print('search --word 改革:', len(got), 'sentences; fine segmentation:',
      want)
assert len(got) == want
assert any('体制改革' in h['text'] for h in got)
got = hits('体制改革')
print('search --word 体制改革:', len(got), 'sentences; 体制 改革 in the fine '
      'segmentation:', both)
assert len(got) == both > 0
PY

check "kwic --word 改革 gives every fine occurrence, inside compounds too" \
    test "$("$bg" --db "$db" --format csv kwic --word 改革 --limit 0 2>/dev/null |
        tail -n +2 | wc -l)" \
    = "$(grep '^[0-9]*,改革,' "$tmp/freq-fine.csv" | cut -d, -f3)"

# numbers: one term each, the value worked by hand
check "numbers: type, value and unit of each, by hand" $py - "$db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
want = {  # term (analysis form): type, value, unit
    '16.3万亿元': ('quantity', 16.3e12, '元'),     # 16.3 x 10^4 x 10^8
    '43800亿元': ('quantity', 4.38e12, '元'),      # ４３８００亿元, NFKC
    '五千三百亿元': ('quantity', 5.3e11, '元'),    # 5300 x 10^8
    '三千八百八十亿元': ('quantity', 3.88e11, '元'),
    '一千八百二十九亿元': ('quantity', 1.829e11, '元'),
    '两亿零七百万': ('quantity', 207000000.0, ''),  # 2 x 10^8 + 700 x 10^4
    '百分之十一点八': ('quantity', 11.8, '%'),
    '百分之三十六点九': ('quantity', 36.9, '%'),    # 百分之三十六點九
    '三分之一': ('quantity', 1 / 3, ''),
    '几百亿元': ('quantity', None, '元'),          # approximate: no value
    '一九八三年': ('date', '1983', None),
    '一九五四年七月二十五日': ('date', '1954-07-25', None),
}
bad = []
for t, (ty, v, u) in want.items():
    r = db.execute("SELECT t.kind, n.type, n.value, n.unit FROM term t "
                   "JOIN number n ON n.term_id = t.id WHERE t.term = ?",
                   (t,)).fetchone()
    ok = r is not None and r[0] == 'number' and r[1] == ty and r[3] == u
    if ok and isinstance(v, float):
        ok = abs(r[2] - v) <= 1e-9 * v
    elif ok:
        ok = r[2] == v
    if not ok:
        bad.append((t, r))
print('wrong or missing:', bad or 'none')
assert not bad
PY

check "numbers stay out of word lists unless --numbers" sh -c "
    ! grep -q ',五千三百亿元,' '$tmp/freq-coarse.csv' &&
    '$bg' --db '$db' --format csv freq --numbers --top 0 |
        grep -q ',五千三百亿元,1,'"

# an older database (schema 5: no term_part, no number, kinds unset,
# sentence.norm) is brought up to this version when a writer opens it, and
# reindex restores term_part
old="$tmp/old.db"
sqlite3 "$db" "SELECT t.term, group_concat(p.term, ' ') FROM term_part tp
    JOIN term t ON t.id = tp.term_id JOIN term p ON p.id = tp.part_id
    GROUP BY t.id ORDER BY t.term" >"$tmp/parts.txt"
sqlite3 "$db" "SELECT t.term, n.type, n.value, n.unit FROM number n
    JOIN term t ON t.id = n.term_id ORDER BY t.term" >"$tmp/numbers.txt"
sqlite3 "$db" "VACUUM INTO '$old'"
python3 "$src/tests/schema8.py" "$old"
sqlite3 "$old" <"$src/tests/schema6.sql"
sqlite3 "$old" "DROP VIEW term_freq_fine; DROP VIEW doc_term_fine;
    DROP TABLE number; DROP TABLE term_part; UPDATE term SET kind = 'word';
    UPDATE meta SET value = '5' WHERE key = 'schema_version'"
printf '新的一句话。\n' >"$tmp/new.txt"
"$bg" --db "$old" ingest "$tmp/new.txt" >/dev/null 2>&1
check "schema 5 -> 16: version, number rows as a new ingest's" test \
    "$(sqlite3 "$old" "SELECT value FROM meta WHERE key = 'schema_version'")
$(sqlite3 "$old" "SELECT t.term, n.type, n.value, n.unit FROM number n
    JOIN term t ON t.id = n.term_id ORDER BY t.term")" = \
    "16
$(cat "$tmp/numbers.txt")"
check "schema 5 -> 16: the queries ask for reindex (terms not coarse yet)" \
    sh -c "'$bg' --db '$old' freq --top 1 2>&1 >/dev/null |
        grep -q 'fine-terms.*baogao reindex'"
"$bg" --db "$old" reindex >/dev/null 2>&1
check "reindex writes term_part again (terms stored before as words)" test \
    "$(sqlite3 "$old" "SELECT t.term, group_concat(p.term, ' ')
        FROM term_part tp JOIN term t ON t.id = tp.term_id
        JOIN term p ON p.id = tp.part_id GROUP BY t.id ORDER BY t.term")" = \
    "$(cat "$tmp/parts.txt")"
check "reindex: no note any more" sh -c \
    "! '$bg' --db '$old' freq --top 1 2>&1 >/dev/null | grep -q reindex"

# schema 3 (no term totals, no document_norm either) goes through every
# step
old3="$tmp/old3.db"
sqlite3 "$db" "VACUUM INTO '$old3'"
python3 "$src/tests/schema8.py" "$old3"
sqlite3 "$old3" <"$src/tests/schema6.sql"
sqlite3 "$old3" "DROP VIEW term_freq_fine; DROP VIEW doc_term_fine;
    DROP TABLE number; DROP TABLE term_part; DROP TABLE document_norm;
    DROP TRIGGER doc_term_ad;
    DROP VIEW term_freq; ALTER TABLE term DROP COLUMN freq;
    ALTER TABLE term DROP COLUMN df; UPDATE term SET kind = 'word';
    UPDATE meta SET value = '3' WHERE key = 'schema_version'"
"$bg" --db "$old3" ingest "$tmp/new.txt" >/dev/null 2>&1
check "schema 3 -> 16: totals, norm_edit (no document_norm), number rows, no sentence.norm" \
    test "$(sqlite3 "$old3" "SELECT value FROM meta WHERE key = 'schema_version';
        SELECT SUM(freq) = (SELECT SUM(tf) FROM doc_term) FROM term;
        SELECT COUNT(norm_edit) > 0 AND NOT EXISTS (SELECT 1 FROM sqlite_master
        WHERE name = 'document_norm') FROM sentence;
        SELECT COUNT(*) FROM number;
        SELECT COUNT(*) FROM pragma_table_info('sentence') WHERE name = 'norm'")" = \
    "$(printf '16\n1\n1\n%s\n0' "$(wc -l <"$tmp/numbers.txt" | tr -d ' ')")"

check_done
