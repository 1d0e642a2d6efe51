#!/bin/sh
# Bulk loads (index.h, bg_index_bulk_begin): an ingest at least as large as
# the database (and at least 1 MB) of sources all new drops the extraction
# indexes and foreign key checks, and builds the indexes again at the end.
# The database must come out the same as one made file by
# file (small loads, never bulk), term totals included, with the indexes
# back, no foreign key violations, cascades working again for a replaced
# file, and term.freq/term.df equal to the sums over doc_term throughout;
# and the same, row ids included, whatever BAOGAO_THREADS is (1, 2, 4).
# Input: the .txt files of corpus/ three times over (1.35 MB), each copy
# made distinct by a last line naming it (else they would be duplicates).
#   usage: bulk_test.sh BAOGAO SRCDIR
set -eu
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
mkdir "$tmp/in"
for copy in 1 2 3; do
    find "$src/corpus" -name '*.txt' | LC_ALL=C sort | while read -r f; do
        out="$tmp/in/$copy-$(basename "$f")"
        { cat "$f"; printf '\n第%s份副本。\n' "$copy"; } >"$out"
    done
done
files=$(find "$tmp/in" -type f | wc -l)

"$bg" --db "$tmp/bulk.db" ingest "$tmp/in" 2>"$tmp/bulk.log" ||
    { cat "$tmp/bulk.log"; exit 1; }
for f in $(cd "$tmp/in" && ls | LC_ALL=C sort); do
    "$bg" --db "$tmp/single.db" ingest "$tmp/in/$f" 2>>"$tmp/single.log" ||
        { cat "$tmp/single.log"; exit 1; }
done

# term.freq and term.df (index.h): the sums over doc_term, kept by the
# writer and the trigger doc_term_ad whatever was loaded or deleted
totals() {
    q "$1" "SELECT COUNT(*) FROM term t LEFT JOIN (SELECT term_id,
            SUM(tf) AS f, COUNT(*) AS d FROM doc_term GROUP BY term_id) c
            ON c.term_id = t.id WHERE t.freq <> COALESCE(c.f, 0)
            OR t.df <> COALESCE(c.d, 0)"
}
q() { sqlite3 "$1" "$2"; }
# q with bg_terms (sentence.terms' text, tests/bgterms.py)
qt() { python3 "$src/tests/bgterms.py" "$1" "$2"; }
# the documents whose doc_vector row (varints decoded here, as index.h
# describes them) is not their doc_term rows
vectors() {
    python3 - "$1" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
want = {}
for d, t, tf in con.execute("SELECT doc_id, term_id, tf FROM doc_term"):
    want.setdefault(d, []).append((t, tf))
got = {}
for d, b in con.execute("SELECT doc_id, terms FROM doc_vector"):
    vals, x, shift = [], 0, 0
    for byte in b:
        x |= (byte & 0x7f) << shift
        shift += 7
        if not byte & 0x80:
            vals.append(x)
            x, shift = 0, 0
    tid, pairs = 0, []
    for i in range(0, len(vals), 2):
        tid += vals[i]
        pairs.append((tid, vals[i + 1]))
    if pairs:
        got[d] = pairs
print(sum(1 for d in set(want) | set(got)
          if sorted(want.get(d, [])) != got.get(d)))
PY
}
dump() { # what a bulk load may not change, without row ids of terms
    qt "$1" "SELECT s.path, d.seq, d.n_sentences, d.n_tokens, d.dup_of IS NULL
           FROM document d JOIN source s ON s.id = d.source_id ORDER BY d.id;
         SELECT doc_id, seq, start, end, bg_terms(terms) FROM sentence ORDER BY id;
         SELECT dt.doc_id, t.term, dt.tf FROM doc_term dt
           JOIN term t ON t.id = dt.term_id ORDER BY dt.doc_id, t.term;
         SELECT term, freq, df FROM term ORDER BY term;
         SELECT e.doc_id, e.sentence_id, e.kind, r.name, e.score, e.phrase,
           e.model FROM extraction e JOIN rule r ON r.id = e.rule_id
           ORDER BY e.id;
         SELECT rowid FROM sentence_fts WHERE sentence_fts MATCH '改革'
           ORDER BY rowid;" | md5sum
}
check_same "$files files: same database in bulk and file by file" \
    "$(dump "$tmp/bulk.db")" "$(dump "$tmp/single.db")"
# the number of threads changes nothing (cmd_ingest.c): every table with
# its row ids (term ids included) as 1 thread stores it, at 2 (a worker and
# the writer) and 4; FTS5's own segment layout aside (sentence_fts_*,
# which follows batch boundaries; its matches are compared), and
# source.ingested_at (a clock)
full() {
    for t in $(q "$1" "SELECT name FROM sqlite_master WHERE type = 'table'
                       AND name NOT LIKE 'sentence_fts%'
                       AND name NOT LIKE 'sqlite_%' ORDER BY name"); do
        echo "== $t"
        if [ "$t" = source ]; then
            q "$1" "SELECT id, path, size, hash, format, encoding, confidence,
                    text, warnings FROM source ORDER BY id"
        else
            q "$1" "SELECT * FROM \"$t\" ORDER BY 1, 2"
        fi
    done
    q "$1" "SELECT rowid FROM sentence_fts WHERE sentence_fts MATCH '改革'
            ORDER BY rowid"
}
for n in 1 2 4; do
    BAOGAO_THREADS=$n "$bg" --db "$tmp/threads$n.db" ingest "$tmp/in" \
        2>"$tmp/threads$n.log" || { cat "$tmp/threads$n.log"; exit 1; }
    full "$tmp/threads$n.db" >"$tmp/threads$n.dump"
done
check_same "threads: the dump holds every table" \
    "$(grep -c '^== ' "$tmp/threads1.dump")" \
    "$(q "$tmp/threads1.db" "SELECT COUNT(*) FROM sqlite_master WHERE
        type = 'table' AND name NOT LIKE 'sentence_fts%'
        AND name NOT LIKE 'sqlite_%'")"
check_same "threads: 2 store the same database as 1, row ids included" \
    "$(md5sum <"$tmp/threads2.dump")" "$(md5sum <"$tmp/threads1.dump")"
check_same "threads: 4 store the same database as 1, row ids included" \
    "$(md5sum <"$tmp/threads4.dump")" "$(md5sum <"$tmp/threads1.dump")"
check_same "threads: the same summary line" \
    "$(tail -n 1 "$tmp/threads4.log" | sed 's/ into .*;/;/')" \
    "$(tail -n 1 "$tmp/threads1.log" | sed 's/ into .*;/;/')"
rm -f "$tmp"/threads*.db*

check_same "documents stored: at least one a file" \
    "$(q "$tmp/bulk.db" "SELECT COUNT(*) >= $files FROM document")" 1
check_same "the extraction indexes back after the bulk load, none on doc_term by term (schema 10)" \
    "$(q "$tmp/bulk.db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM
        sqlite_master WHERE type = 'index' AND name LIKE 'extraction%' OR
        name = 'doc_term_term' ORDER BY name)")" \
    "extraction_doc extraction_kind extraction_sentence"
# freq's DP (Gries 2008) from doc_vector: the same figures as worked here
# from doc_term rows and document.n_tokens, whole corpus and by file
dp_check() { # DB, then freq's options
    db=$1
    shift
    "$bg" --db "$db" --format csv freq --top 30 "$@" >"$tmp/dp.csv"
    python3 - "$db" "$tmp/dp.csv" "$@" <<'PY'
import csv, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
by = "--by" in sys.argv
tokens = dict(con.execute("SELECT id, n_tokens FROM document WHERE dup_of IS NULL"))
group = {d: (f if by else "") for d, f in con.execute(
    "SELECT d.id, s.path FROM document d JOIN source s ON s.id = d.source_id")}
tf = {}
for d, t, n in con.execute("SELECT doc_id, t.term, tf FROM doc_term JOIN term t ON t.id = term_id"):
    if d in tokens:
        tf.setdefault((group[d], t), []).append((d, n))
gtok = {}
for d, n in tokens.items():
    gtok[group[d]] = gtok.get(group[d], 0) + n
bad = rows = 0
for row in csv.DictReader(open(sys.argv[2], encoding="utf-8")):
    g = row["file"] if by else ""
    f = float(row["freq"])
    hits = tf[(g, row["term"])]
    assert sum(n for _, n in hits) == f, row
    s_hit = sum(tokens[d] / gtok[g] for d, _ in hits)
    dp = (sum(abs(n / f - tokens[d] / gtok[g]) for d, n in hits) + 1 - s_hit) / 2
    rows += 1
    if abs(dp - float(row["dp"])) > 1e-9:
        bad += 1
        print(row["term"], row["dp"], dp)
print(bad if rows >= 30 else "too few rows: %d" % rows)
PY
}
check_same "freq: DP as worked from doc_term (whole corpus)" "$(dp_check "$tmp/bulk.db")" 0
check_same "freq: DP as worked from doc_term (by file)" "$(dp_check "$tmp/bulk.db" --by file)" 0
check_same "term totals: the sums over doc_term (bulk)" "$(totals "$tmp/bulk.db")" 0
check_same "term totals: the sums over doc_term (file by file)" \
    "$(totals "$tmp/single.db")" 0
check_same "term totals of a word: bulk = file by file" \
    "$(q "$tmp/bulk.db" "SELECT freq, df FROM term WHERE term = '改革'")" \
    "$(q "$tmp/single.db" "SELECT freq, df FROM term WHERE term = '改革'")"
check_same "no foreign key violations" \
    "$(q "$tmp/bulk.db" 'PRAGMA foreign_key_check')" ""
check_same "integrity" "$(q "$tmp/bulk.db" 'PRAGMA integrity_check')" ok

# a changed file after the bulk load: its old rows go (foreign keys on)
victim="$tmp/in/1-seed-compilation.txt"
before=$(q "$tmp/bulk.db" 'SELECT COUNT(*) FROM sentence')
old=$(q "$tmp/bulk.db" "SELECT COUNT(*) FROM sentence s JOIN document d
      ON d.id = s.doc_id JOIN source src ON src.id = d.source_id
      WHERE src.path = '$victim'")
printf '追加的一句话。\n' >>"$victim"
"$bg" --db "$tmp/bulk.db" ingest "$victim" 2>/dev/null
after=$(q "$tmp/bulk.db" 'SELECT COUNT(*) FROM sentence')
check_same "a replaced file's old sentences are deleted (cascade)" \
    "$after" "$((before + 1))"
check_same "one source row for the replaced file" \
    "$(q "$tmp/bulk.db" "SELECT COUNT(*) FROM source WHERE path = '$victim'")" 1
check_same "no orphans after the replacement" \
    "$(q "$tmp/bulk.db" 'PRAGMA foreign_key_check')" ""
check_same "the replaced file had sentences" "$([ "$old" -gt 100 ] && echo yes)" yes
check_same "term totals after the replacement" "$(totals "$tmp/bulk.db")" 0
check_same "doc_vector is each document's doc_term rows, packed" \
    "$(vectors "$tmp/bulk.db")" 0

# a second large load over stored paths stays bulk with foreign keys on
printf '再追加一句。\n' >>"$tmp/in/2-seed-compilation.txt"
"$bg" --db "$tmp/bulk.db" ingest "$tmp/in" 2>"$tmp/again.log" ||
    { cat "$tmp/again.log"; exit 1; }
check_same "re-ingest: only the changed file replaced" \
    "$(grep -c 'unchanged' "$tmp/again.log")" 1
check_same "re-ingest: no foreign key violations" \
    "$(q "$tmp/bulk.db" 'PRAGMA foreign_key_check')" ""
check_same "re-ingest: no doc_term_term" \
    "$(q "$tmp/bulk.db" "SELECT COUNT(*) FROM sqlite_master
                         WHERE name = 'doc_term_term'")" 0

# a database of schema version 3 (no totals; term index (term_id); no
# document_norm; sentence.norm; cues by rowid; rule names as text, a
# model.KIND cue per label) gets the totals, the covering index and the
# new term_freq (4), then loses sentence.norm and gets its cues keyed (7),
# then rule ids and the model's probability in the label (8), then its
# analysis forms as sentence.norm_edit (11) at the next ingest
cp "$tmp/single.db" "$tmp/v3.db"
# each sentence's analysis form (schema 11: bg_norm, tests/bgterms.py)
norms() {
    python3 "$(dirname "$0")/bgterms.py" "$1" "SELECT doc_id, seq,
        bg_norm(text, norm_edit) FROM sentence WHERE doc_id <= $2
        ORDER BY doc_id, seq"
}
last=$(q "$tmp/single.db" "SELECT MAX(id) FROM document")
norms "$tmp/single.db" "$last" >"$tmp/norm-before.txt"
# the labels of documents up to id $2: rule, model probability and cues,
# rules by name (ids are numbered again by the step), a cue's text as
# index.h says to read it (stored, else its sentence's bytes, or with back
# set the bytes of the sentence back before it: schema 12)
labels() {
    q "$1" "SELECT e.id, r.name, e.model FROM extraction e JOIN rule r ON
        r.id = e.rule_id WHERE e.doc_id <= $2 ORDER BY e.id"
    q "$1" "SELECT c.extraction_id, c.seq, r.name, c.weight, c.context,
        c.start, c.end, COALESCE(c.text, CAST(substr(CAST(x.text AS BLOB),
        c.start - x.start + 1, c.end - c.start) AS TEXT)) FROM
        extraction_cue c JOIN rule r ON r.id = c.rule_id JOIN extraction e
        ON e.id = c.extraction_id JOIN sentence s ON s.id = e.sentence_id
        JOIN sentence x ON x.doc_id = s.doc_id AND x.seq = s.seq -
        COALESCE(c.back, 0) WHERE e.doc_id <= $2 ORDER BY 1, 2"
}
labels "$tmp/single.db" "$last" >"$tmp/cue-before.txt"
python3 "$(dirname "$0")/schema8.py" "$tmp/v3.db"
sqlite3 "$tmp/v3.db" <"$(dirname "$0")/schema6.sql"
q "$tmp/v3.db" "DROP TABLE doc_vector; DROP TABLE document_norm; DROP TRIGGER doc_term_ad; DROP VIEW term_freq;
    ALTER TABLE term DROP COLUMN freq; ALTER TABLE term DROP COLUMN df;
    DROP INDEX doc_term_term; CREATE INDEX doc_term_term ON doc_term(term_id);
    UPDATE meta SET value = '3' WHERE key = 'schema_version'"
printf '旧库追加一句。\n' >"$tmp/v3-extra.txt"
"$bg" --db "$tmp/v3.db" ingest "$tmp/v3-extra.txt" 2>/dev/null
check_same "version 3 -> now: schema version (this baogao's)" \
    "$(q "$tmp/v3.db" "SELECT value FROM meta WHERE key = 'schema_version'")" 16
check_same "version 3 -> 4: term totals are the sums over doc_term" \
    "$(totals "$tmp/v3.db")" 0
check_same "version 3 -> 4: term_freq from the totals; -> 10: no doc_term_term" \
    "$(q "$tmp/v3.db" "SELECT COUNT(*) FROM sqlite_master WHERE
        name = 'term_freq' AND sql LIKE '%FROM term WHERE df > 0%'")$(q "$tmp/v3.db" "SELECT COUNT(*) FROM sqlite_master WHERE
        name = 'doc_term_term'")" 10
# (the extra file is the last document: the ones before are the old ones)
check_same "version 3 -> 11: each sentence's analysis form from sentence.norm, as stored" \
    "$(norms "$tmp/v3.db" "$last" | cmp - "$tmp/norm-before.txt" && echo same)" same
check_same "version 3 -> 11: no document_norm, sentence.norm_edit NULL where the form is the text" \
    "$(q "$tmp/v3.db" "SELECT COUNT(*) FROM sqlite_master WHERE name =
        'document_norm'; SELECT COUNT(*) > 0, SUM(norm_edit IS NULL) > 0 FROM
        sentence")" "0
1|1"
check_same "version 6 -> 7: doc_vector packed from doc_term" "$(vectors "$tmp/v3.db")" 0
check_same "version 6 -> 7: sentence.norm dropped" \
    "$(q "$tmp/v3.db" "SELECT COUNT(*) FROM pragma_table_info('sentence')
        WHERE name = 'norm'")" 0
check_same "version 6 -> 8 -> 14: extraction_cue keyed by (extraction_id, seq), rule ids, the model's probability in the label, same rows; packed in extraction_detail.cues, a view" \
    "$(labels "$tmp/v3.db" "$last" | cmp - "$tmp/cue-before.txt" &&
        q "$tmp/v3.db" "SELECT COUNT(*) FROM
        sqlite_master WHERE name = 'extraction_cue_x' OR (name =
        'extraction_cue' AND type = 'view')")" 1
check_same "version 7 -> 8: cue texts that are their sentence's bytes not stored" \
    "$(q "$tmp/v3.db" "SELECT COUNT(*) > 0 FROM extraction_cue WHERE text IS
        NULL")$(q "$tmp/v3.db" "SELECT \"notnull\" FROM
        pragma_table_info('extraction_cue') WHERE name = 'text'")" 10
check_same "version 7 -> 8: extraction.rule gone, no model cue rows" \
    "$(q "$tmp/v3.db" "SELECT COUNT(*) FROM pragma_table_info('extraction')
        WHERE name = 'rule'")$(q "$tmp/v3.db" "SELECT COUNT(*) FROM
        extraction_cue c JOIN rule r ON r.id = c.rule_id WHERE r.name LIKE
        'model.%'")" 00
# schema 12: the old cues keep their texts (back NULL; the same rows
# read back above)
check_same "version 11 -> 12: extraction_cue.back, NULL in the old rows" \
    "$(q "$tmp/v3.db" "SELECT COUNT(*) FROM extraction_cue WHERE back IS NOT
        NULL")" 0

# a database of schema 10 (document_norm; cue texts stored) gets each
# sentence's analysis form as norm_edit, the same forms (11), and the
# column back (12); one whose document_norm lacks a sentence's line (a
# damaged database) is refused, naming the document, and left as it was
cp "$tmp/single.db" "$tmp/v10.db"
python3 "$(dirname "$0")/schema10.py" "$tmp/v10.db"
cp "$tmp/v10.db" "$tmp/v10bad.db"
"$bg" --db "$tmp/v10.db" ingest "$tmp/v3-extra.txt" 2>/dev/null
check_same "version 10 -> 16: version, no document_norm, the same analysis forms and cues, doc_term a view" \
    "$(q "$tmp/v10.db" "SELECT value FROM meta WHERE key = 'schema_version';
        SELECT COUNT(*) FROM sqlite_master WHERE name = 'document_norm';
        SELECT type FROM sqlite_master WHERE name = 'doc_term'")
$(norms "$tmp/v10.db" "$last" | cmp - "$tmp/norm-before.txt" && echo same)
$(labels "$tmp/v10.db" "$last" | cmp - "$tmp/cue-before.txt" && echo same)" "16
0
view
same
same"
# a database of schema 15 (extraction_kind on the generated word kind)
# gets the index on kind_code (16)
cp "$tmp/single.db" "$tmp/v15.db"
q "$tmp/v15.db" "DROP INDEX extraction_kind; CREATE INDEX extraction_kind ON
    extraction(kind, doc_id); UPDATE meta SET value = '15' WHERE key =
    'schema_version'"
"$bg" --db "$tmp/v15.db" ingest "$tmp/v3-extra.txt" 2>/dev/null
check_same "version 15 -> 16: extraction_kind on (kind_code, doc_id)" \
    "$(q "$tmp/v15.db" "SELECT value FROM meta WHERE key = 'schema_version';
        SELECT sql LIKE '%(kind_code, doc_id)%' FROM sqlite_master WHERE
        name = 'extraction_kind'")" "16
1"
bad=$(q "$tmp/v10bad.db" "SELECT MIN(doc_id) FROM document_norm WHERE
    instr(norm, char(10)) > 0")
q "$tmp/v10bad.db" "UPDATE document_norm SET norm = substr(norm, 1,
    instr(norm, char(10)) - 1) WHERE doc_id = $bad"
st=0
"$bg" --db "$tmp/v10bad.db" ingest "$tmp/v3-extra.txt" 2>"$tmp/v10bad.err" ||
    st=$?
check_same "version 10 -> 11: a sentence without its document_norm line is refused, naming the document; nothing changed" \
    "$(test "$st" -ne 0 && grep -c "document $bad: sentence [0-9]* has no analysis form in document_norm" "$tmp/v10bad.err")$(q "$tmp/v10bad.db" "SELECT value FROM
        meta WHERE key = 'schema_version'")" 110

# removing the file the other copies repeat: their files are read again
# by the next ingest, and the database ends as a fresh load of the same
"$bg" --db "$tmp/bulk.db" remove "$victim" 2>/dev/null
check_same "after remove: the repeating files are marked to be read again" \
    "$(q "$tmp/bulk.db" 'SELECT COUNT(*) > 0 FROM source WHERE hash IS NULL')" 1
"$bg" --db "$tmp/bulk.db" ingest "$tmp/in" 2>/dev/null
"$bg" --db "$tmp/fresh.db" ingest "$tmp/in" 2>/dev/null
count() {
    q "$1" "SELECT COUNT(*), SUM(n_sentences), SUM(dup_of IS NOT NULL)
            FROM document"
}
check_same "after remove and ingest: documents, sentences, duplicates" \
    "$(count "$tmp/bulk.db")" "$(count "$tmp/fresh.db")"
check_same "after remove and ingest: term totals" "$(totals "$tmp/bulk.db")" 0
check_same "after remove and ingest: the totals of a fresh load" \
    "$(q "$tmp/bulk.db" "SELECT SUM(freq), SUM(df) FROM term")" \
    "$(q "$tmp/fresh.db" "SELECT SUM(freq), SUM(df) FROM term")"
check_same "every duplicate points at a document that holds its text" \
    "$(q "$tmp/bulk.db" 'SELECT COUNT(*) FROM document d JOIN document o
                         ON o.id = d.dup_of WHERE o.n_sentences = 0')" 0

# one document twice in one file, the original removed by id: the file is
# read again by the next ingest (its repeat had no text of its own)
mkdir "$tmp/twice"
head -c 4687 "$src/corpus/seed/seed-compilation.txt" >"$tmp/one.txt"
cat "$tmp/one.txt" "$tmp/one.txt" >"$tmp/twice/a.txt"
"$bg" --db "$tmp/twice.db" ingest "$tmp/twice" 2>/dev/null
check_same "a file holding one document twice: the second is its duplicate" \
    "$(q "$tmp/twice.db" 'SELECT COUNT(*), SUM(dup_of IS NOT NULL),
                          SUM(n_sentences > 0) FROM document')" "2|1|1"
first=$(q "$tmp/twice.db" 'SELECT id FROM document WHERE dup_of IS NULL')
"$bg" --db "$tmp/twice.db" remove "$first" 2>/dev/null
"$bg" --db "$tmp/twice.db" ingest "$tmp/twice" 2>"$tmp/twice.log"
check_same "after remove ID: the file is read again, not left unchanged" \
    "$(grep -c unchanged "$tmp/twice.log")" 0
check_same "after remove ID and ingest: one original with its text, one repeat" \
    "$(q "$tmp/twice.db" 'SELECT COUNT(*), SUM(dup_of IS NOT NULL),
                          SUM(n_sentences > 0) FROM document')" "2|1|1"

# a document removed by id comes back when its file is ingested again
n0=$(q "$tmp/fresh.db" 'SELECT COUNT(*) FROM document')
some=$(q "$tmp/fresh.db" 'SELECT MIN(id) FROM document WHERE n_sentences > 0')
"$bg" --db "$tmp/fresh.db" remove "$some" 2>/dev/null
"$bg" --db "$tmp/fresh.db" ingest "$tmp/in" 2>/dev/null
check_same "remove ID, then ingest: the document is back" \
    "$(q "$tmp/fresh.db" 'SELECT COUNT(*) FROM document')" "$n0"

# a duplicate holds nothing of its own: commands taking its id say whose
# text it repeats
dup=$(q "$tmp/fresh.db" 'SELECT id || " " || dup_of FROM document
                         WHERE dup_of IS NOT NULL LIMIT 1')
for c in "show ${dup% *}" "outline ${dup% *}" "freq --doc ${dup% *}" \
    "problems --doc ${dup% *}"; do
    st=0
    "$bg" --db "$tmp/fresh.db" $c >/dev/null 2>"$tmp/dup.err" || st=$?
    check_same "$c (a duplicate): names document ${dup#* }, exit 1" \
        "$st $(grep -c "repeats document ${dup#* } word for word" "$tmp/dup.err")" \
        "1 1"
done

# every database this test built: SQLite's and FTS5's integrity checks
check_dbs "$tmp"

check_done
