#!/bin/sh
# Checks a database baogao built: SQLite's integrity_check and
# foreign_key_check, and FTS5's own integrity-check of sentence_fts (which
# integrity_check does not look into: issue 13, R2). Prints what is wrong
# and exits 1, or exits 0 silently.
#   usage: db_check.sh DB
set -u
db=$1
out=$(sqlite3 "$db" "PRAGMA integrity_check; PRAGMA foreign_key_check;
    INSERT INTO sentence_fts(sentence_fts, rank) VALUES ('integrity-check', 1);
    SELECT 'fts ok';" 2>&1)
if [ "$out" != "ok
fts ok" ]; then
    echo "db_check: $db: $out"
    exit 1
fi
