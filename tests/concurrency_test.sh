#!/bin/sh
# Concurrency, as index.h defines it (issue 13): two ingests at once into
# one database (R2), and a remove during an ingest (R1), end as sound
# databases (FTS5's integrity-check included) equal to the same work done
# one after the other; the second writer waits for the first. Readers
# during an ingest never fail and see only committed states (a prefix of
# the files, each whole). A full disk (a file size limit) fails the files
# it could not store, each by name, and the summary counts only what was
# stored (R3). A database another program made is refused unless
# --take-over is given.
# Input: the corpus texts cut into files of 16 lines, three times over (246
# files, 1.4 MB; sets a and b take every other one), each marked at both
# ends so that no two documents are duplicates.
#   usage: concurrency_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
python3 - "$src/corpus" "$tmp" <<'PY'
import os, sys
corpus, out = sys.argv[1], sys.argv[2]
texts = []
for d, _, fs in sorted(os.walk(corpus)):
    for f in sorted(fs):
        if f.endswith('.txt'):
            texts.append(open(os.path.join(d, f), encoding='utf-8').read())
n = 0
for copy in range(3):
    for t in texts:
        lines = t.split('\n')
        for k in range(0, len(lines), 16):
            part = '\n'.join(lines[k:k + 16]).strip()
            if not part:
                continue
            n += 1
            sub = ('a', 'b')[n % 2]  # two disjoint sets
            for d in (sub, 'all'):
                os.makedirs(os.path.join(out, d), exist_ok=True)
                with open(os.path.join(out, d, 'part%04d.txt' % n), 'w',
                          encoding='utf-8') as f:
                    f.write('第%d段。\n%s\n第%d段完。\n' % (n, part, n))
PY
sound() { sh "$src/tests/db_check.sh" "$1"; }
dump() { # the content, by file path (row ids differ with the order)
    python3 "$src/tests/bgterms.py" "$1" "
      SELECT s.path, d.seq, d.title, d.n_sentences, d.n_tokens,
             d.dup_of IS NULL FROM document d
        JOIN source s ON s.id = d.source_id ORDER BY s.path, d.seq;
      SELECT s.path, d.seq, x.seq, x.start, x.end, bg_terms(x.terms) FROM sentence x
        JOIN document d ON d.id = x.doc_id JOIN source s ON s.id = d.source_id
        ORDER BY s.path, d.seq, x.seq;
      SELECT term, freq, df FROM term_freq ORDER BY term;
      SELECT s.path, x.seq, e.kind, r.name, e.score, e.phrase, e.model FROM extraction e
        JOIN rule r ON r.id = e.rule_id
        JOIN sentence x ON x.id = e.sentence_id JOIN document d
        ON d.id = e.doc_id JOIN source s ON s.id = d.source_id
        ORDER BY s.path, x.seq, e.kind;
      SELECT src.path, x.seq FROM sentence_fts
        JOIN sentence x ON x.id = sentence_fts.rowid
        JOIN document d ON d.id = x.doc_id JOIN source src ON src.id = d.source_id
        WHERE sentence_fts MATCH '改革 OR 发展 OR 存款 OR 加强'
        ORDER BY src.path, x.seq;"
}
# the same work one after the other
"$bg" --db "$tmp/seq.db" ingest "$tmp/a" 2>/dev/null
"$bg" --db "$tmp/seq.db" ingest "$tmp/b" 2>/dev/null
dump "$tmp/seq.db" >"$tmp/seq.dump"
"$bg" --db "$tmp/b.db" ingest "$tmp/b" 2>/dev/null
dump "$tmp/b.db" >"$tmp/b.dump"

# R2: two ingests at once
"$bg" --db "$tmp/two.db" ingest "$tmp/a" 2>"$tmp/two-a.log" &
pa=$!
"$bg" --db "$tmp/two.db" ingest "$tmp/b" 2>"$tmp/two-b.log" &
pb=$!
wait "$pa"
sa=$?
wait "$pb"
sb=$?
check "R2: two ingests at once both succeed (the second waits)" \
    test "$sa$sb" = 00
check "R2: ... and leave a sound database (FTS5 integrity-check)" \
    sound "$tmp/two.db"
dump "$tmp/two.db" >"$tmp/two.dump"
check "R2: ... equal to the two ingests one after the other" \
    cmp "$tmp/seq.dump" "$tmp/two.dump"
check "R2: FTS rows equal sentences" test "$(sqlite3 "$tmp/two.db" \
    "select (select count(*) from sentence_fts) = (select count(*) from sentence)")" = 1

# R1: remove during an ingest (ids of removed sentences are reused)
# (the remove deletes the sentences with the highest ids; the ingest,
# already open, then stores sentences under those ids again)
for round in 1 2 3 4 5; do
    db="$tmp/rm$round.db"
    "$bg" --db "$db" ingest "$tmp/a" 2>/dev/null
    "$bg" --db "$db" ingest "$tmp/b" 2>"$tmp/rm-b.log" &
    pb=$!
    sleep "$(echo "0 0.02 0.05 0.1 0.3" | cut -d' ' -f$round)"
    "$bg" --db "$db" remove "$tmp/a" 2>"$tmp/rm.log"
    sr=$?
    wait "$pb"
    sb=$?
    check "R1 ($round): remove during an ingest: both succeed" \
        test "$sr$sb" = 00
    check "R1 ($round): ... and leave a sound database" sound "$db"
    dump "$db" >"$tmp/rm.dump"
    check "R1 ($round): ... equal to ingesting b alone (search finds all)" \
        cmp "$tmp/b.dump" "$tmp/rm.dump"
done

# readers during an ingest: never an error, only committed states (files
# commit whole and in input order: what a reader lists is a prefix of the
# final list, row for row)
"$bg" --db "$tmp/r.db" ingest "$tmp/b/part0001.txt" 2>/dev/null
"$bg" --db "$tmp/r.db" ingest "$tmp/all" 2>/dev/null &
pi=$!
bad=0
reads=0
mkdir "$tmp/seen"
while kill -0 "$pi" 2>/dev/null; do
    for c in docs "search 改革 --limit 0" "freq --top 5" "kwic 发展 --limit 0"; do
        # shellcheck disable=SC2086
        if ! "$bg" --db "$tmp/r.db" --format csv $c >"$tmp/r.out" \
            2>"$tmp/r.err" || [ -s "$tmp/r.err" ]; then
            bad=$((bad + 1))
            cat "$tmp/r.err"
        fi
        reads=$((reads + 1))
        [ "$c" = docs ] && cp "$tmp/r.out" "$tmp/seen/$reads"
    done
done
wait "$pi"
"$bg" --db "$tmp/r.db" --format csv docs >"$tmp/final.csv"
for f in "$tmp"/seen/*; do
    [ -f "$f" ] || continue
    n=$(wc -l <"$f")
    if ! head -n "$n" "$tmp/final.csv" | cmp -s - "$f"; then
        echo "a reader saw $((n - 1)) documents that are not a prefix of the final list"
        bad=$((bad + 1))
    fi
done
check "readers during an ingest ($reads reads): no error, committed states" \
    test "$bad" -eq 0
check "the read-during database is sound" sound "$tmp/r.db"

# R3: a full disk (here a file size limit: writes fail with EFBIG)
(
    trap '' XFSZ
    ulimit -f 6000 # 512-byte blocks: 3 MB
    exec "$bg" --db "$tmp/full.db" ingest "$tmp/all" 2>"$tmp/full.log"
)
st=$?
check "R3: a full disk makes the ingest exit 1" test "$st" -eq 1
stored=$(sqlite3 "$tmp/full.db" "select count(*) from source")
named=$(grep -c ": not stored: " "$tmp/full.log")
check "R3: files stored ($stored) + files named as not stored ($named) = 246" \
    test $((stored + named)) -eq 246
check "R3: some files were not stored (the limit is hit)" test "$named" -gt 0
check "R3: the summary counts only the files stored" \
    grep -q "ingested $stored files .*; $named failed" "$tmp/full.log"
check "R3: the database is sound" sound "$tmp/full.db"
for f in $(sqlite3 "$tmp/full.db" "select path from source"); do
    if grep -q -F "$(basename "$f"): not stored" "$tmp/full.log"; then
        echo "stored but named as not stored: $f"
    fi
done >"$tmp/both"
check "R3: no stored file is named as not stored" test ! -s "$tmp/both"
"$bg" --db "$tmp/full.db" ingest "$tmp/all" 2>/dev/null
check "R3: with room again, the next ingest completes it" \
    test "$(sqlite3 "$tmp/full.db" "select count(*) from source")" -eq 246

# a database another program made
sqlite3 "$tmp/other.db" "create table notes(id integer primary key, t text);
    insert into notes(t) values ('mine')"
cp "$tmp/other.db" "$tmp/other.orig"
"$bg" --db "$tmp/other.db" ingest "$tmp/b/part0001.txt" 2>"$tmp/err"
st=$?
check "another program's database is refused (exit 1) with a clear line" \
    sh -c "test $st -eq 1 && grep -q 'not a baogao database (it holds tables notes' '$tmp/err'"
check "... and left byte for byte as it was (no tables, no WAL)" \
    cmp "$tmp/other.db" "$tmp/other.orig"
"$bg" --db "$tmp/other.db" docs 2>"$tmp/err" >/dev/null
check "a query of it says it is not a baogao database" \
    grep -q "not a baogao database" "$tmp/err"
"$bg" --db "$tmp/other.db" --take-over ingest "$tmp/b/part0001.txt" \
    2>"$tmp/err"
check "--take-over ingests into it, keeping its table" \
    test "$(sqlite3 "$tmp/other.db" "select t from notes")" = mine
check "... and it is then baogao's" \
    test "$(sqlite3 "$tmp/other.db" "select count(*) from source")" -eq 1

check_done
