#!/bin/sh
# Crash safety of ingest (issue 13): an ingest killed with SIGKILL at
# several points (after N files, inside a file's transaction, right after a
# batch commits, during the bulk build of the term index, and at random
# moments from outside) must leave a sound database (integrity_check,
# foreign_key_check, FTS5's integrity-check), every file wholly present or
# absent, and the next ingest must reach exactly the state of a clean one:
# the same documents, sentences, term totals, labels and FTS hits.
# Points inside the program are hit with BAOGAO_TEST_KILL (cmd_ingest.c).
# Input: the corpus texts cut into files of 16 lines, three times over
# (about 270 files, 1.4 MB: a bulk load, in five batches of 64 files).
#   usage: crash_test.sh BAOGAO SRCDIR
set -u
bg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check.sh"
python3 - "$src/corpus" "$tmp/in" <<'PY'
import os, sys
corpus, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
texts = []
for d, _, fs in sorted(os.walk(corpus)):
    for f in sorted(fs):
        if f.endswith('.txt') and f != 'README.md':
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
            with open(os.path.join(out, 'part%04d.txt' % n), 'w',
                      encoding='utf-8') as f:
                f.write(part + '\n第%d份第%d段。\n' % (copy + 1, n))
PY
nfiles=$(ls "$tmp/in" | wc -l)
export BAOGAO_THREADS=2

# what a crash may not change (no row ids: files, documents by position)
dump() {
    python3 "$src/tests/bgterms.py" "$1" "
      SELECT s.path, d.seq, d.title, d.n_sentences, d.n_tokens,
             d.dup_of IS NULL, d.norm_hash
        FROM document d JOIN source s ON s.id = d.source_id
        ORDER BY s.path, d.seq;
      SELECT s.path, d.seq, x.seq, x.start, x.end, bg_terms(x.terms)
        FROM sentence x JOIN document d ON d.id = x.doc_id
        JOIN source s ON s.id = d.source_id ORDER BY s.path, d.seq, x.seq;
      SELECT term, freq, df FROM term_freq ORDER BY term;
      SELECT s.path, d.seq, x.seq, e.kind, r.name, e.score, e.phrase, e.model
        FROM extraction e JOIN rule r ON r.id = e.rule_id
        JOIN sentence x ON x.id = e.sentence_id
        JOIN document d ON d.id = e.doc_id JOIN source s ON s.id = d.source_id
        ORDER BY s.path, d.seq, x.seq, e.kind;
      SELECT src.path, x.seq FROM sentence_fts
        JOIN sentence x ON x.id = sentence_fts.rowid
        JOIN document d ON d.id = x.doc_id JOIN source src ON src.id = d.source_id
        WHERE sentence_fts MATCH '改革 OR 发展 OR 加强'
        ORDER BY src.path, x.seq;
      SELECT count(*) FROM sqlite_master WHERE name = 'doc_term_term';"
}
# every file stored wholly or not at all: per file, its documents and
# sentences as in the clean database, or no row at all
whole() { # DB
    sqlite3 "$1" "ATTACH '$tmp/ref.db' AS ref;
      SELECT s.path FROM source s WHERE
        (SELECT count(*) FROM document d WHERE d.source_id = s.id) <>
        (SELECT count(*) FROM ref.document d JOIN ref.source r
           ON r.id = d.source_id WHERE r.path = s.path)
        OR (SELECT count(*) FROM sentence x JOIN document d ON d.id = x.doc_id
            WHERE d.source_id = s.id) <>
        (SELECT count(*) FROM ref.sentence x JOIN ref.document d
           ON d.id = x.doc_id JOIN ref.source r ON r.id = d.source_id
           WHERE r.path = s.path)
        OR s.hash IS NULL
        OR EXISTS (SELECT 1 FROM document d WHERE d.source_id = s.id AND
           d.n_sentences <> (SELECT count(*) FROM sentence x
                             WHERE x.doc_id = d.id))
        OR EXISTS (SELECT 1 FROM document d WHERE d.source_id = s.id AND
           d.dup_of IS NULL AND d.n_tokens <>
           (SELECT coalesce(sum(tf), 0) FROM doc_term t WHERE t.doc_id = d.id));"
}

t0=$(date +%s%N)
"$bg" --db "$tmp/ref.db" ingest "$tmp/in" 2>"$tmp/ref.log" ||
    { cat "$tmp/ref.log"; exit 1; }
ms=$((($(date +%s%N) - t0) / 1000000))
check "the clean ingest of $nfiles files is sound" \
    sh "$src/tests/db_check.sh" "$tmp/ref.db"
dump "$tmp/ref.db" >"$tmp/ref.dump"

# one killed ingest, then a resumed one; CUT names the point
crash() { # NAME, then how to kill (env: a BAOGAO_TEST_KILL value, or sleep)
    name=$1
    how=$2
    db="$tmp/$name.db"
    rm -f "$db" "$db-wal" "$db-shm"
    case $how in
    sleep:*)
        "$bg" --db "$db" ingest "$tmp/in" 2>"$tmp/$name.log" &
        pid=$!
        sleep "$(python3 -c "print($ms * ${how#sleep:} / 1000)")"
        kill -9 "$pid" 2>/dev/null
        wait "$pid"
        st=$?
        ;;
    *)
        BAOGAO_TEST_KILL=$how "$bg" --db "$db" ingest "$tmp/in" \
            2>"$tmp/$name.log"
        st=$?
        check "$name: the ingest was killed (status 137)" test "$st" -eq 137
        ;;
    esac
    if [ -f "$db" ]; then
        check "$name: after the kill the database is sound" \
            sh "$src/tests/db_check.sh" "$db"
        check "$name: after the kill every file is whole or absent" \
            test -z "$(whole "$db")"
        stored=$(sqlite3 "$db" "select count(*) from source")
        echo "   ($name: $stored of $nfiles files stored at the kill)"
    fi
    "$bg" --db "$db" ingest "$tmp/in" 2>"$tmp/$name.resume.log"
    check "$name: the next ingest succeeds" test $? -eq 0
    check "$name: ... and its database is sound" \
        sh "$src/tests/db_check.sh" "$db"
    dump "$db" >"$tmp/$name.dump"
    check "$name: ... and equals the clean one" \
        cmp "$tmp/ref.dump" "$tmp/$name.dump"
}

crash unit-3 unit:3            # inside the transaction of the 3rd file
crash stored-70 stored:70      # batch 2 open, 6 files into it
crash commit-1 commit:1        # right after the first batch commits
crash unit-200 unit:200        # inside batch 4
crash bulk-index bulk-index    # before the index builds at the end
# from outside, wherever the ingest is at a quarter, half and three
# quarters of the clean ingest's time
for f in 0.25 0.5 0.75; do
    crash "kill9-at-$f" "sleep:$f"
done

check_done
