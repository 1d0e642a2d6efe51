/*
 * index.c - schema and prepared inserts.
 */
#include "index.h"
#include "segment.h"

#include "util_sql.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* the extraction indexes, dropped too in bulk loads of new sources only
 * (nothing is deleted then, so no cascade needs them) */
#define EXTRACTION_INDEXES                                                     \
    "CREATE INDEX IF NOT EXISTS extraction_kind ON extraction(kind_code, "     \
    "doc_id);\n"                                                               \
    "CREATE INDEX IF NOT EXISTS extraction_sentence ON "                       \
    "extraction(sentence_id);\n"                                               \
    "CREATE INDEX IF NOT EXISTS extraction_doc ON extraction(doc_id);\n"
#define DROP_EXTRACTION_INDEXES                                                \
    "DROP INDEX IF EXISTS extraction_kind; DROP INDEX IF EXISTS "              \
    "extraction_sentence; DROP INDEX IF EXISTS extraction_doc;"
/* a label's kind as extraction.kind_code stores it (schema 15: 0 theme,
 * 1 problem, 2 commitment) and back; the column kind is generated from
 * kind_code, so that SQL reads and compares the words */
#define KIND_OF_CODE(c) BG_SQL_KIND_OF_CODE(c)
#define CODE_OF_KIND(k) BG_SQL_CODE_OF_KIND(k)
#define KIND_CODE_CHECK "CHECK(kind_code >= 0 AND kind_code <= 2)"
/* extraction_cue's columns after the rule (the table, and its rewrites by
 * the steps of schema 7 and 8) */
#define EXTRACTION_CUE_KEY                                                     \
    "\n  extraction_id INTEGER NOT NULL REFERENCES extraction(id) ON DELETE "  \
    "CASCADE,\n  seq INTEGER NOT NULL, "
#define EXTRACTION_CUE_REST                                                    \
    " weight REAL NOT NULL,\n  context INTEGER NOT NULL, start INTEGER NOT "   \
    "NULL, end INTEGER NOT NULL,\n  text TEXT, PRIMARY KEY(extraction_id, "    \
    "seq)"
/* schema 7's extraction_cue (rule names as text), schema 8's (rule ids) */
#define EXTRACTION_CUE_COLUMNS_7                                               \
    EXTRACTION_CUE_KEY "rule TEXT NOT NULL," EXTRACTION_CUE_REST
#define EXTRACTION_CUE_COLUMNS                                                 \
    EXTRACTION_CUE_KEY                                                         \
    "rule_id INTEGER NOT NULL REFERENCES rule(id)," EXTRACTION_CUE_REST
/* extraction_cue (schema 14): a view of each label's cues, packed in
 * extraction_detail.cues (index.h: a JSON array, an element a cue: its
 * cue_rule id, start minus the label's sentence's start, end minus start,
 * then back or 0 and the text when stored), read by SQLite's json_each in
 * any client; the columns as schema 12's table had them */
/* clang-format off */
#define EXTRACTION_CUE_VIEW                                                    \
    "CREATE VIEW IF NOT EXISTS extraction_cue(extraction_id, seq, rule_id,\n" \
    "    weight, context, start, end, text, back) AS\n"                       \
    "  SELECT d.extraction_id, j.key + 1, k.rule_id, k.weight, k.context,\n"  \
    "         s.start + json_extract(j.value, '$[1]'),\n"                     \
    "         s.start + json_extract(j.value, '$[1]') +\n"                    \
    "           json_extract(j.value, '$[2]'),\n"                             \
    "         json_extract(j.value, '$[4]'),\n"                               \
    "         NULLIF(json_extract(j.value, '$[3]'), 0)\n"                     \
    "  FROM extraction_detail d JOIN json_each(d.cues) j\n"                   \
    "  JOIN cue_rule k ON k.id = json_extract(j.value, '$[0]')\n"             \
    "  JOIN extraction e ON e.id = d.extraction_id\n"                         \
    "  JOIN sentence s ON s.id = e.sentence_id;\n"
/* clang-format on */
/* a cue's text as stored by schema 8: NULL when it is its sentence's
 * bytes at its place (c: extraction_cue, s: the label's sentence) */
#define CUE_TEXT_STORED                                                        \
    "CASE WHEN c.text = CAST(substr(CAST(s.text AS BLOB), c.start - s.start "  \
    "+ 1, c.end - c.start) AS TEXT) AND c.start >= s.start AND c.end >= "      \
    "c.start THEN NULL ELSE c.text END"
/* labels with their rule's name (schema 8: extraction holds its id) */
#define EXTRACTION_VIEW                                                        \
    "CREATE VIEW IF NOT EXISTS extraction_view AS\n"                           \
    "  SELECT e.kind, e.doc_id, d.title, src.path AS file, s.start, s.end,\n"  \
    "         s.text, r.name AS rule, e.phrase\n"                              \
    "  FROM extraction e JOIN sentence s ON s.id = e.sentence_id\n"            \
    "  JOIN rule r ON r.id = e.rule_id\n"                                      \
    "  JOIN document d ON d.id = e.doc_id JOIN source src ON src.id = "        \
    "d.source_id;\n"

/* term totals follow deleted doc_vector rows (cascades from a deleted
 * source or document, a reindex clearing a document's counts): its pairs
 * read by bg_vector (util_sql.h: JSON [[term_id, tf], ...]), so that a
 * connection without that function (the sqlite3 shell's) cannot delete
 * them, as it cannot delete sentences (a function, not a table-valued one:
 * such a client's ALTER TABLE checks the tables a trigger names) */
#define DOC_VECTOR_TRIGGER                                                     \
    "CREATE TRIGGER IF NOT EXISTS doc_vector_ad AFTER DELETE ON doc_vector "   \
    "BEGIN\n"                                                                  \
    "  UPDATE term SET freq = freq - json_extract(p.value, '$[1]'), df = df "  \
    "- 1 FROM json_each(bg_vector(old.terms)) p WHERE term.id = "              \
    "json_extract(p.value, '$[0]');\n"                                         \
    "END;\n"
/* doc_term (schema 13): each document's counts as rows, read from its
 * doc_vector row in plain SQL, so that any SQLite client reads them (the
 * sqlite3 shell, Python's sqlite3): the varints (util_sql.h) decoded a byte
 * a step, b the byte at k (its hex digits), acc/sh the varint so far, ph
 * 0 while reading the id's varint and 1 the tf's. Every document is
 * decoded whatever the WHERE clause (about 2 us a byte: seconds for the
 * 1x benchmark); baogao's own statistics read doc_vector in C. */
/* clang-format off */
#define HEX_BYTE(k)                                                            \
    "(instr('123456789ABCDEF', substr(hex(substr(v.terms, " k ", 1)), 1, 1))"  \
    " * 16 + instr('123456789ABCDEF', substr(hex(substr(v.terms, " k ", 1)),"  \
    " 2, 1)))"
#define DOC_TERM_VIEW                                                          \
    "CREATE VIEW IF NOT EXISTS doc_term(doc_id, term_id, tf) AS\n"             \
    "  WITH RECURSIVE p(doc_id, k, n, b, acc, sh, ph, id, tf) AS (\n"         \
    "    SELECT v.doc_id, 1, length(v.terms), " HEX_BYTE("1") ",\n"           \
    "           0, 0, 0, 0, NULL FROM doc_vector v\n"                          \
    "    UNION ALL\n"                                                          \
    "    SELECT p.doc_id, k + 1, n, " HEX_BYTE("k + 1") ",\n"                  \
    "      CASE WHEN b >= 128 THEN acc + ((b - 128) << sh) ELSE 0 END,\n"     \
    "      CASE WHEN b >= 128 THEN sh + 7 ELSE 0 END,\n"                      \
    "      CASE WHEN b >= 128 THEN ph ELSE 1 - ph END,\n"                     \
    "      CASE WHEN b < 128 AND ph = 0 THEN id + acc + (b << sh) ELSE id "    \
    "END,\n"                                                                   \
    "      CASE WHEN b < 128 AND ph = 1 THEN acc + (b << sh) END\n"           \
    "    FROM p JOIN doc_vector v ON v.doc_id = p.doc_id WHERE k <= n)\n"     \
    "  SELECT doc_id, id, tf FROM p WHERE tf IS NOT NULL;\n"
/* clang-format on */
#define TERM_FREQ_VIEW                                                         \
    "CREATE VIEW IF NOT EXISTS term_freq AS\n"                                 \
    "  SELECT term, kind, freq, df FROM term WHERE df > 0;\n"

/* sentence_fts (schema 9): contentless, the terms text of each sentence
 * (util_sql.h, bg_terms) given to it by the writer, so that the text is
 * not stored twice; made after an older database's sentences are packed
 * (pack_sentences) */
#define FTS_TABLE                                                              \
    "CREATE VIRTUAL TABLE IF NOT EXISTS sentence_fts USING fts5(\n"            \
    "  terms, content='',\n"                                                   \
    "  tokenize=\"unicode61 remove_diacritics 0 tokenchars '.'\");\n"
/* new sentences enter sentence_fts in bulk when a batch commits
 * (fts_sync): per-row trigger inserts cost five times as much. FTS5's
 * 'delete' of a contentless row must be given the tokens it indexed
 * (SQLite 3.40 has no contentless_delete): bg_terms gives them, and only
 * baogao's connections have that function, so a plain sqlite3 shell's
 * DELETE of sentences (or of the sources and documents that cascade to
 * them) fails with "no such function: bg_terms" and changes nothing:
 * `baogao remove` is the way to delete */
/* FTS5's merges during a bulk load (bg_index_bulk_begin): 16 segments of a
 * level merged at once instead of 4 (a token is written again once per
 * level it passes: log16 of the batches instead of log4), crisismerge
 * above it: sentence_fts filled in 2.06 s instead of 2.58 s of CPU on the
 * 1x benchmark, 12 segments instead of 6, queries as fast (MATCH, bm25
 * top 20, a phrase: medians within 4%). FTS5 keeps the settings in
 * sentence_fts_config (no row: its defaults, automerge 4 and crisismerge
 * 16). A user may have set their own (INSERT INTO sentence_fts(sentence_fts,
 * rank) VALUES ('automerge', 8)): what the table held is saved in meta
 * (keys fts_saved_automerge and fts_saved_crisismerge, value NULL for no
 * row; a saved value is kept when another load saved one first) in the
 * transaction that sets the load's, and FTS_MERGE_RESTORE puts it back
 * when the last live load ends, or, after loads that died, at the next
 * bg_index_open (settle_merges). Each load has its own row in meta, key
 * "fts_bulk_owner:PID START N", value "PID START" (its process id and
 * start time, /proc/PID/stat's 22nd field, 0 where there is none; N tells
 * the loads of one process apart): a load that ends, or an open, deletes
 * its own row and those of processes that are gone, and restores only
 * when no row is left (two ingests' bulk loads at once: the first to end
 * left the second's settings alone; review-5). An older database's one
 * row, key "fts_bulk_owner", is read alike. FTS_BULK_MERGE is a printf
 * format: the owner's key suffix and value are its values. */
#define FTS_BULK_MERGE                                                         \
    "SAVEPOINT fts_merge;"                                                     \
    "INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_bulk_owner:%s', "    \
    "'%s');"                                                                   \
    "INSERT OR IGNORE INTO meta(key, value) SELECT 'fts_saved_' || k.k, "      \
    "(SELECT v FROM sentence_fts_config c WHERE c.k = k.k) FROM (SELECT "      \
    "'automerge' AS k UNION ALL SELECT 'crisismerge') k;"                      \
    "INSERT INTO sentence_fts(sentence_fts, rank) VALUES ('automerge', 16);"   \
    "INSERT INTO sentence_fts(sentence_fts, rank) VALUES ('crisismerge', "     \
    "64);"                                                                     \
    "RELEASE fts_merge;"
/* each saved setting given back to FTS5 (so that this connection's copy
 * follows), a saved "no row" as FTS5's default, whose row then goes */
#define FTS_MERGE_RESTORE_1(K, DEFAULT)                                        \
    "INSERT INTO sentence_fts(sentence_fts, rank) SELECT '" K "', "            \
    "COALESCE(CAST(value AS INTEGER), " DEFAULT ") FROM meta WHERE key = "     \
    "'fts_saved_" K "';"                                                       \
    "DELETE FROM sentence_fts_config WHERE k = '" K "' AND EXISTS (SELECT 1 "  \
    "FROM meta WHERE key = 'fts_saved_" K "' AND value IS NULL);"              \
    "DELETE FROM meta WHERE key = 'fts_saved_" K "';"
#define FTS_MERGE_RESTORE                                                      \
    FTS_MERGE_RESTORE_1("automerge", "4")                                      \
    FTS_MERGE_RESTORE_1("crisismerge", "16")
/* the owners' rows (FTS_BULK_MERGE) */
#define FTS_BULK_OWNERS                                                        \
    "SELECT key, value FROM meta WHERE key = 'fts_bulk_owner' OR key GLOB "    \
    "'fts_bulk_owner:*'"

#define FTS_TRIGGERS                                                           \
    "CREATE TRIGGER IF NOT EXISTS sentence_au AFTER UPDATE OF terms ON "       \
    "sentence BEGIN\n"                                                         \
    "  INSERT INTO sentence_fts(sentence_fts, rowid, terms)\n"                 \
    "  VALUES ('delete', old.id, bg_terms(old.terms));\n"                      \
    "  INSERT INTO sentence_fts(rowid, terms) VALUES (new.id, "                \
    "bg_terms(new.terms));\n"                                                  \
    "END;\n"                                                                   \
    "CREATE TRIGGER IF NOT EXISTS sentence_ad AFTER DELETE ON sentence "       \
    "BEGIN\n"                                                                  \
    "  INSERT INTO sentence_fts(sentence_fts, rowid, terms)\n"                 \
    "  VALUES ('delete', old.id, bg_terms(old.terms));\n"                      \
    "END;\n"

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);\n"
    "CREATE TABLE IF NOT EXISTS source(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL UNIQUE,\n"
    "  size INTEGER NOT NULL, ingested_at TEXT NOT NULL,\n"
    "  hash TEXT, format TEXT, encoding TEXT, confidence INTEGER,\n"
    "  text TEXT, warnings TEXT);\n"
    "CREATE TABLE IF NOT EXISTS document(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,\n"
    "  title TEXT NOT NULL, n_sentences INTEGER NOT NULL DEFAULT 0,\n"
    "  n_tokens INTEGER NOT NULL DEFAULT 0,\n"
    "  author TEXT, org TEXT, date TEXT, year INTEGER, meta TEXT,\n"
    "  norm_hash TEXT, minhash BLOB,\n"
    "  dup_of INTEGER REFERENCES document(id) ON DELETE SET NULL,\n"
    "  genre TEXT);\n"
    "CREATE INDEX IF NOT EXISTS document_source ON document(source_id);\n"
    "CREATE INDEX IF NOT EXISTS document_hash ON document(norm_hash);\n"
    /* the documents that repeat one: found by its deletion (ON DELETE SET
     * NULL and the trigger below) without a scan of the table per row */
    "CREATE INDEX IF NOT EXISTS document_dup ON document(dup_of);\n"
    /* a deleted document's file, and the files of its repeats (which lose
     * the text they pointed at), are marked to be read again by the next
     * ingest (hash NULL is never \"unchanged\"): a document removed by id
     * comes back when its file is ingested again, and a stored copy of the
     * same text adopts the repeats meanwhile (adopt_duplicates) */
    "DROP TRIGGER IF EXISTS document_bd;\n"
    "CREATE TRIGGER document_bd BEFORE DELETE ON document BEGIN\n"
    "  UPDATE source SET hash = NULL WHERE id = old.source_id OR id IN "
    "(SELECT source_id FROM document WHERE dup_of = old.id);\n"
    "END;\n"
    /* the text repairs ingest found in each source (repair.h), as data:
     * "with" the replacement, NULL for a range removed */
    "CREATE TABLE IF NOT EXISTS repair(\n"
    "  source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,\n"
    "  kind TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,\n"
    "  \"with\" TEXT);\n"
    "CREATE INDEX IF NOT EXISTS repair_source ON repair(source_id, start);\n"
    "CREATE TABLE IF NOT EXISTS sentence(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  doc_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,\n"
    "  line INTEGER NOT NULL, outline INTEGER NOT NULL,\n"
    "  text TEXT NOT NULL, terms BLOB NOT NULL,\n"
    "  flags INTEGER, marker INTEGER, norm_edit BLOB);\n"
    "CREATE INDEX IF NOT EXISTS sentence_doc ON sentence(doc_id, seq);\n"
    /* freq and df: the corpus totals of the term (tokens, documents),
     * added by the writer when a batch commits (write_totals) and taken
     * back by doc_vector_ad as doc_vector rows go */
    "CREATE TABLE IF NOT EXISTS term(\n"
    "  id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE,\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('word','number')),\n"
    "  freq INTEGER NOT NULL DEFAULT 0, df INTEGER NOT NULL DEFAULT 0);\n"
    /* each document's counts, one row a document, packed (index.h): what
     * the statistics read for a set of documents, 5 ns a term where a row
     * of the former doc_term table cost 100; the view doc_term shows them
     * as rows (schema 13: the table, 27 MB of the 1x benchmark, is gone) */
    "CREATE TABLE IF NOT EXISTS doc_vector(\n"
    "  doc_id INTEGER PRIMARY KEY REFERENCES document(id) ON DELETE "
    "CASCADE,\n"
    "  terms BLOB NOT NULL);\n" DOC_VECTOR_TRIGGER DOC_TERM_VIEW
    /* the names of the rules labels and cues cite (extract.h: a rule's
     * id, model.KIND, rules.force), each stored once (schema 8) */
    "CREATE TABLE IF NOT EXISTS rule(\n"
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE IF NOT EXISTS extraction(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  sentence_id INTEGER NOT NULL REFERENCES sentence(id) ON DELETE "
    "CASCADE,\n"
    "  doc_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,\n"
    /* the kind as a small integer (schema 15: 0 or 1 take no byte of the
     * row, a word 5 to 10), kind the word, computed when read */
    "  kind_code INTEGER NOT NULL " KIND_CODE_CHECK ",\n"
    "  rule_id INTEGER NOT NULL REFERENCES rule(id), score REAL NOT NULL,\n"
    "  phrase TEXT, model REAL,\n"
    "  kind TEXT GENERATED ALWAYS AS (" KIND_OF_CODE(
        "kind_code") ") "
                     "VIRTUAL);\n"
                     /* extract stage details (extract.h): the clause of the
                      * strongest cue, section context, problem category,
                      * commitment attributes; and every rule that fired
                      * (--explain) */
                     "CREATE TABLE IF NOT EXISTS extraction_detail(\n"
                     "  extraction_id INTEGER PRIMARY KEY REFERENCES "
                     "extraction(id) ON DELETE "
                     "CASCADE,\n"
                     "  clause_start INTEGER, clause_end INTEGER, clause TEXT, "
                     "context TEXT,\n"
                     "  category TEXT, actor TEXT, horizon TEXT, mode TEXT, "
                     "cues TEXT);\n"
                     /* what a cue's rule gave it, each combination stored once
                      * (schema 14: a cue names it by id in
                      * extraction_detail.cues) */
                     "CREATE TABLE IF NOT EXISTS cue_rule(\n"
                     "  id INTEGER PRIMARY KEY, rule_id INTEGER NOT NULL "
                     "REFERENCES rule(id),\n"
                     "  weight REAL NOT NULL, context INTEGER NOT NULL,\n"
                     "  UNIQUE(rule_id, weight, context));\n"
    /* a label's cues in its extraction_detail row (schema 14; a table
     * keyed by (extraction_id, seq) from 7 to 13, 24 MB of the 1x
     * benchmark), shown as rows by this view */
    EXTRACTION_CUE_VIEW
                     /* each problem clause of a problem label (extract.h
                      * bg_clause), in file offsets: a sentence may state
                      * several problems; its display text, and generic 1 for a
                      * lead-in or ritual formula (recurring problems leave
                      * those out) */
                     "CREATE TABLE IF NOT EXISTS extraction_clause(\n"
                     "  extraction_id INTEGER NOT NULL REFERENCES "
                     "extraction(id) ON DELETE "
                     "CASCADE,\n"
                     "  seq INTEGER NOT NULL, start INTEGER NOT NULL, end "
                     "INTEGER NOT NULL,\n"
                     "  category TEXT, clause TEXT, generic INTEGER NOT NULL "
                     "DEFAULT 0,\n"
                     "  PRIMARY KEY(extraction_id, seq)) WITHOUT ROWID;\n"
                     "DROP TRIGGER IF EXISTS sentence_ai;\n" TERM_FREQ_VIEW
                     /* granularity (segment.h): terms and doc_term are coarse;
                      * a compound's fine parts in order (vocabulary-sized: only
                      * compounds met), from which fine counts follow */
                     "CREATE TABLE IF NOT EXISTS term_part(\n"
                     "  term_id INTEGER NOT NULL REFERENCES term(id), seq "
                     "INTEGER NOT NULL,\n"
                     "  part_id INTEGER NOT NULL REFERENCES term(id),\n"
                     "  PRIMARY KEY(term_id, seq)) WITHOUT ROWID;\n"
                     "CREATE VIEW IF NOT EXISTS doc_term_fine AS\n"
                     "  SELECT dt.doc_id, COALESCE(tp.part_id, dt.term_id) AS "
                     "term_id,\n"
                     "         SUM(dt.tf) AS tf\n"
                     "  FROM doc_term dt LEFT JOIN term_part tp ON tp.term_id "
                     "= dt.term_id\n"
                     "  GROUP BY dt.doc_id, COALESCE(tp.part_id, dt.term_id);\n"
                     "CREATE VIEW IF NOT EXISTS term_freq_fine AS\n"
                     "  SELECT t.term, t.kind, SUM(f.tf) AS freq, COUNT(*) AS "
                     "df\n"
                     "  FROM doc_term_fine f JOIN term t ON t.id = f.term_id\n"
                     "  GROUP BY f.term_id;\n"
                     /* the value of each number term (bg_number_parse) */
                     "CREATE TABLE IF NOT EXISTS number(\n"
                     "  term_id INTEGER PRIMARY KEY REFERENCES term(id),\n"
                     "  type TEXT NOT NULL, value, unit "
                     "TEXT);\n" EXTRACTION_VIEW;

enum {
    ST_DEL_SOURCE,
    ST_ADD_SOURCE,
    ST_ADD_DOC,
    ST_FINISH_DOC,
    ST_ADD_SENT,
    ST_TERMS_AFTER,
    ST_ADD_TERM,
    ST_ADD_PART,
    ST_ADD_NUMBER,
    ST_ADD_LABEL,
    ST_SET_META,
    ST_ADD_DETAIL,
    ST_ADD_CUE_RULE,
    ST_SET_TERMS,
    ST_CLEAR_TERMS,
    ST_GET_META,
    ST_HAS_SOURCE,
    ST_FTS_ADD,
    ST_FIND_DUP,
    ST_ADOPT_DUPS,
    ST_UNCHANGED,
    ST_SOURCE_INFO,
    ST_DOC_META,
    ST_RENAME_SOURCE,
    ST_CLEAR_LABELS,
    ST_ADD_CLAUSE,
    ST_ADD_TOTALS,
    ST_ADD_REPAIR,
    ST_ADD_DOC_VECTOR,
    ST_ADD_RULE,
    ST_GET_RULE,
    ST_SET_GENRE,
    ST_GET_CUE_RULE,
    NSTMT
};

static const char *const SQL[NSTMT] = {
    "DELETE FROM source WHERE path = ?1",
    "INSERT INTO source(path, size, ingested_at) VALUES "
    "(?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
    "INSERT INTO document(source_id, seq, start, end, title) VALUES "
    "(?1, ?2, ?3, ?4, ?5)",
    "UPDATE document SET n_sentences = ?2, n_tokens = ?3 WHERE id = ?1",
    "INSERT INTO sentence(doc_id, seq, start, end, line, outline, text, "
    "terms, flags, marker, norm_edit) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9, ?10, ?11)",
    "SELECT id, term FROM term WHERE id > ?1",
    "INSERT INTO term(term, kind) VALUES (?1, ?2)",
    "INSERT OR IGNORE INTO term_part(term_id, seq, part_id) VALUES (?1, ?2, "
    "?3)",
    "INSERT OR REPLACE INTO number(term_id, type, value, unit) VALUES (?1, "
    "?2, ?3, ?4)",
    "INSERT INTO extraction(sentence_id, doc_id, kind_code, rule_id, score, "
    "phrase, model) VALUES (?1, ?2, " CODE_OF_KIND("?3") ", ?4, ?5, ?6, ?7)",
    "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE "
    "SET value = excluded.value",
    "INSERT INTO extraction_detail(extraction_id, clause_start, clause_end, "
    "clause, context, category, actor, horizon, mode, cues) VALUES (?1, ?2, "
    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    "INSERT INTO cue_rule(rule_id, weight, context) VALUES (?1, ?2, ?3) ON "
    "CONFLICT DO NOTHING",
    "UPDATE sentence SET terms = ?2 WHERE id = ?1",
    "DELETE FROM doc_vector WHERE doc_id = ?1",
    "SELECT value FROM meta WHERE key = ?1",
    "SELECT 1 FROM source WHERE path = ?1",
    "INSERT INTO sentence_fts(rowid, terms) VALUES (?1, ?2)",
    "SELECT min(id) FROM document WHERE norm_hash = ?1 AND id <> ?2 AND "
    "dup_of IS NULL AND n_sentences > 0",
    "UPDATE document SET dup_of = ?1 WHERE norm_hash = ?2 AND id <> ?1 AND "
    "dup_of IS NULL AND n_sentences = 0",
    "SELECT 1 FROM source WHERE path = ?1 AND hash = ?2",
    "UPDATE source SET hash = ?2, format = ?3, encoding = ?4, confidence = "
    "?5, text = ?6, warnings = ?7 WHERE id = ?1",
    "UPDATE document SET author = ?2, org = ?3, date = ?4, year = ?5, meta = "
    "?6, norm_hash = ?7, minhash = ?8, dup_of = ?9, genre = ?10 WHERE id = ?1",
    "UPDATE source SET path = ?2 WHERE path = ?1",
    "DELETE FROM extraction WHERE doc_id = ?1",
    "INSERT INTO extraction_clause(extraction_id, seq, start, end, category, "
    "clause, generic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "UPDATE term SET freq = freq + ?2, df = df + ?3 WHERE id = ?1",
    "INSERT INTO repair(source_id, kind, start, end, \"with\") VALUES (?1, "
    "?2, ?3, ?4, ?5)",
    "INSERT OR REPLACE INTO doc_vector(doc_id, terms) VALUES (?1, ?2)",
    "INSERT INTO rule(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
    "SELECT id FROM rule WHERE name = ?1",
    "UPDATE document SET genre = ?2 WHERE id = ?1",
    "SELECT id FROM cue_rule WHERE rule_id = ?1 AND weight = ?2 AND context "
    "= ?3",
};

/* bytes of terms text a batch keeps for sentence_fts (fts_keep) before it
 * commits at the end of the file that passed them */
#define FTS_TEXT_MAX (32u << 20)

/* what a unit keeps for sentence_fts and the totals at most (unit_bound):
 * 8 MB of terms text, 16 MB of pairs */
#define UNIT_FTS_MAX (8u << 20)
#define UNIT_PAIRS_MAX (1u << 20)

/* dist_flag bits: the term holds a TAB (a compound's parts), its parts are
 * term_part's, it is packed as it is (not empty, no space: what
 * pack_terms would read as one term) */
#define DIST_CUT 1u
#define DIST_SAME 2u
#define DIST_PLAIN 4u

/* a (term id, tf) pair of a document's counts (its doc_vector row) */
typedef struct bg_term_tf {
    int64_t id, tf;
} bg_term_tf;

struct bg_index {
    /* the sentences of this batch not yet in sentence_fts (fts_sync): ids
     * and terms text (the worker's, NUL-terminated in fts_text), the first
     * fts_synced of them given to it already; at the unit's start: */
    struct fts_row {
        int64_t id;
        size_t off;
    } * fts;
    size_t nfts, fts_cap, fts_synced, unit_nfts, unit_fts_synced;
    bg_buf fts_text;
    bg_buf edit;                /* a sentence's norm_edit (add_sentence) */
    struct doc_sentence *dsent; /* the stored document's sentences */
    size_t dsent_cap;
    int batch_open, unit_open, bulk, fk_off, ext_off, sync_off, fts_bulk;
    char fts_owner[96]; /* this load's owner key in meta (FTS_BULK_MERGE) */
    /* term -> id of the term rows, so that storing a document's counts
     * asks SQLite nothing about its terms: loaded on first use, extended
     * by this handle's inserts and, once per batch (under the write
     * lock), by the rows other writers added (ids only grow: term rows
     * are never deleted); forgotten on a rollback, which may take rows
     * back */
    bg_strmap term_ids;
    char **term_keys; /* the map's keys, malloc'd */
    size_t nterm_keys, term_keys_cap;
    int64_t term_max; /* largest id in term_ids */
    /* the connection's decoder of sentence.terms (util_sql.h): what
     * sentence_fts is given, and the term_part rows of each term */
    bg_terms_dec *dec;
    int64_t *cut; /* a term's part ids (cut_ids) */
    size_t cut_cap;
    bg_buf tok;          /* a token of a sentence's terms text (pack_terms) */
    bg_buf packed_terms; /* a sentence's packed terms (pack_terms) */
    int terms_loaded, terms_synced; /* synced: in this batch */
    /* rule name -> id of the rule rows this handle has read or written
     * (rule rows are never deleted; forgotten with the term map on a
     * rollback, which may take rows back) */
    bg_strmap rule_ids; /* and cue_rule keys (cue_rule_id) */
    char **rule_keys;   /* the map's keys, malloc'd */
    bg_buf cues;        /* a label's extraction_detail.cues (store_labels) */
    size_t nrule_keys, rule_keys_cap;
    /* the (term id, tf) pairs of the documents stored in this batch,
     * whose totals term.freq and term.df are owed (write_totals, when the
     * batch commits); a rolled back unit takes its pairs back */
    bg_term_tf *pairs;
    size_t npairs, pairs_cap, unit_pairs; /* unit_pairs: at the unit's start */
    int64_t *seen_doc; /* by term id: the last document given it a pair */
    size_t seen_cap;
    bg_term_tf *vec; /* a document's pairs by id, for its doc_vector row */
    size_t vec_cap;
    bg_buf packed; /* that row */
    /* the ids of the distinct terms of the counter dist_of (the one
     * bg_index_add_terms stored last), with DIST_* flags: a sentence's
     * terms are packed from them (pack_ids), not looked up again */
    const bg_counter *dist_of;
    sqlite3_int64 *dist_id;
    unsigned char *dist_flag;
    size_t dist_id_cap, dist_flag_cap;
    size_t batch_units;
    double batch_t0;
    /* the busy handler's wait (busy_wait): its limit without progress
     * (ms), when it began or last saw progress (seconds, now_seconds),
     * and the state of the WAL file then */
    int busy_ms;
    double busy_t0;
    struct wal_state {
        long long size, sec, nsec;
        int exists;
    } busy_wal;
    sqlite3 *db;
    char *path;
    sqlite3_stmt *st[NSTMT];
};

static int db_err(bg_index *ix, bg_err *err, const char *what)
{
    return bg_sql_err(ix->db, ix->path, err, what);
}

static void terms_forget(bg_index *ix);
static int pack_terms(bg_index *ix, const char *terms, bg_err *err);
static int pack_ids(bg_index *ix, const bg_counter *c, size_t tok0, size_t n,
                    bg_err *err);
static int prep(bg_index *ix, const char *sql, sqlite3_stmt **st, bg_err *err);
static int has_table(bg_index *ix, const char *name);
static int run(bg_index *ix, sqlite3_stmt *st, bg_err *err, const char *what);

/* db_err, with a plainer message when another process held the write lock
 * for ix->busy_ms without writing anything (busy_wait). */
static int busy_err(bg_index *ix, bg_err *err, const char *what)
{
    int code = sqlite3_errcode(ix->db);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return bg_err_set(err, BG_ESQLITE,
                          "%s: %s: another process held the database's write "
                          "lock for %.1f s without writing to it (stopped or "
                          "hung?); nothing was changed: try again when it has "
                          "finished, or end it",
                          ix->path, what, ix->busy_ms / 1000.0);
    return db_err(ix, err, what);
}

static double now_seconds(void);

/* The state of the database's WAL file (absent: exists 0). */
static struct wal_state wal_state(bg_index *ix)
{
    struct wal_state w = {0, 0, 0, 0};
    struct stat sb;
    const char *wal = sqlite3_filename_wal(sqlite3_db_filename(ix->db, "main"));
    if (wal && stat(wal, &sb) == 0) {
        w.exists = 1;
        w.size = (long long)sb.st_size;
        w.sec = (long long)sb.st_mtim.tv_sec;
        w.nsec = (long long)sb.st_mtim.tv_nsec;
    }
    return w;
}

/* SQLite's busy handler (sqlite3_busy_handler) of a writer's connection:
 * another connection holds the lock it needs. SQLite's own busy timeout
 * counts from the first try, so a writer that commits batch after batch
 * (taking the lock again at once) made another writer's wait run out
 * while it was working (R2 of concurrency_test.sh, a flake). Here the
 * wait starts again whenever the holder is seen to make progress: the
 * WAL file, which every commit (and every page a large transaction
 * spills) writes to, changed since the last look. So a live writer never
 * makes another fail, and one that holds the lock and writes nothing (a
 * stopped or hung process) does after busy_ms. Sleeps 1, 2, 5, then 10
 * ms between tries (short, as the holder's gaps between batches are).
 * Returns nonzero to try again, 0 to give up (SQLITE_BUSY). */
static int busy_wait(void *payload, int count)
{
    bg_index *ix = payload;
    if (ix->busy_ms <= 0)
        return 0; /* no wait (bg_index_busy_timeout): fail at once */
    double t = now_seconds();
    struct wal_state w = wal_state(ix);
    const struct wal_state *o = &ix->busy_wal;
    if (count == 0 || w.exists != o->exists || w.size != o->size ||
        w.sec != o->sec || w.nsec != o->nsec) {
        ix->busy_t0 = t;
        ix->busy_wal = w;
    } else if ((t - ix->busy_t0) * 1000.0 >= ix->busy_ms) {
        return 0;
    }
    static const int ms[] = {1, 2, 5, 10};
    sqlite3_sleep(ms[count < 3 ? count : 3]);
    return 1;
}

void bg_index_busy_timeout(bg_index *ix, int ms)
{
    ix->busy_ms = ms > 0 ? ms : 0;
    sqlite3_busy_handler(ix->db, busy_wait, ix);
}

int bg_index_in_batch(const bg_index *ix)
{
    return ix->batch_open;
}

void bg_index_close(bg_index *ix)
{
    if (!ix)
        return;
    bg_index_flush(ix, NULL); /* callers flush first to see errors */
    bg_index_bulk_end(ix, NULL);
    for (int i = 0; i < NSTMT; i++)
        sqlite3_finalize(ix->st[i]);
    terms_forget(ix);
    free(ix->pairs);
    free(ix->seen_doc);
    free(ix->vec);
    bg_buf_free(&ix->packed);
    bg_buf_free(&ix->cues);
    free(ix->dist_id);
    free(ix->dist_flag);
    free(ix->cut);
    bg_buf_free(&ix->tok);
    bg_buf_free(&ix->packed_terms);
    bg_terms_close(ix->dec);
    sqlite3_close(ix->db);
    bg_buf_free(&ix->edit);
    free(ix->dsent);
    free(ix->fts);
    bg_buf_free(&ix->fts_text);
    free(ix->path);
    free(ix);
}

/* Runs sql, statements in savepoint `savepoint` (its first statement opens
 * it, its last releases it); when one fails, what the others did is undone
 * and the savepoint closed, so that no transaction is left open. Returns 0
 * or BG_ESQLITE (err: SQLite's message, with what). */
static int exec_undone(bg_index *ix, const char *sql, const char *savepoint,
                       bg_err *err, const char *what)
{
    if (sqlite3_exec(ix->db, sql, NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    int rc = db_err(ix, err, what);
    char undo[96];
    snprintf(undo, sizeof undo, "ROLLBACK TO %s; RELEASE %s", savepoint,
             savepoint);
    sqlite3_exec(ix->db, undo, NULL, NULL, NULL);
    return rc;
}

/* The start time of process pid (/proc/PID/stat's 22nd field, clock ticks
 * after boot), 0 where it cannot be read. */
static unsigned long long process_start(long pid)
{
    char path[64], buf[1024];
    unsigned long long start = 0;
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    /* after the command name, in parentheses (which may hold any byte),
     * field 3 on; the start time is field 22 */
    char *p = strrchr(buf, ')');
    for (int field = 2; p && *p && field < 22; field++)
        p = strchr(p + 1, ' ');
    if (p && *p)
        start = strtoull(p + 1, NULL, 10);
    return start;
}

/* Whether the load whose owner value (FTS_BULK_MERGE: "PID START") is
 * owner still runs: its process exists (kill 0) and, where both are known,
 * started when the owner says (else its id was given to another). 0 when
 * the value cannot be read. */
static int bulk_owner_alive(const char *owner)
{
    long pid = 0;
    unsigned long long start = 0;
    if (!owner || sscanf(owner, "%ld %llu", &pid, &start) != 2 || pid <= 0 ||
        (kill((pid_t)pid, 0) != 0 && errno != EPERM))
        return 0;
    unsigned long long now = process_start(pid);
    return !(start && now && start != now);
}

/* The FTS5 merge settings when a bulk load ends (self: its owner key) or
 * at an open (self NULL): the owner rows of self and of processes gone are
 * deleted, and when no live load's row is left the saved settings are put
 * back (FTS_MERGE_RESTORE). In one write transaction (the caller's, or
 * BEGIN IMMEDIATE here), so that a load another process begins meanwhile
 * is either seen or saves what this restores. Returns 0, BG_ESQLITE or
 * BG_ENOMEM (rolled back to where it began). */
static int settle_merges(bg_index *ix, const char *self, bg_err *err)
{
    int own = sqlite3_get_autocommit(ix->db), live = 0, rc = 0, r;
    sqlite3_stmt *st = NULL, *del = NULL;
    bg_buf gone = {0}; /* the keys to delete, NUL-separated (once read) */
    if (own &&
        sqlite3_exec(ix->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return busy_err(ix, err, "sentence_fts merges");
    if (sqlite3_exec(ix->db, "SAVEPOINT fts_merge", NULL, NULL, NULL) !=
        SQLITE_OK) {
        rc = db_err(ix, err, "sentence_fts merges");
        if (own)
            sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    if (sqlite3_prepare_v2(ix->db, FTS_BULK_OWNERS, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(ix->db, "DELETE FROM meta WHERE key = ?1", -1, &del,
                           NULL) != SQLITE_OK) {
        rc = db_err(ix, err, "sentence_fts merges");
        goto done;
    }
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        const char *value = (const char *)sqlite3_column_text(st, 1);
        if (!key)
            continue;
        if ((self && strcmp(key, self) == 0) || !bulk_owner_alive(value)) {
            if (bg_buf_add(&gone, key, strlen(key) + 1)) {
                rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
                goto done;
            }
        } else {
            live++;
        }
    }
    for (size_t i = 0; r == SQLITE_DONE && i < gone.len;
         i += strlen(gone.data + i) + 1) {
        sqlite3_bind_text(del, 1, gone.data + i, -1, SQLITE_STATIC);
        if (sqlite3_step(del) != SQLITE_DONE)
            r = SQLITE_ERROR;
        sqlite3_reset(del);
        sqlite3_clear_bindings(del);
    }
    if (r != SQLITE_DONE)
        rc = db_err(ix, err, "sentence_fts merges");
    else if (!live && sqlite3_exec(ix->db, FTS_MERGE_RESTORE, NULL, NULL,
                                   NULL) != SQLITE_OK)
        rc = db_err(ix, err, "sentence_fts merges");
done:
    bg_buf_free(&gone);
    sqlite3_finalize(st);
    sqlite3_finalize(del);
    if (rc)
        sqlite3_exec(ix->db, "ROLLBACK TO fts_merge", NULL, NULL, NULL);
    sqlite3_exec(ix->db, "RELEASE fts_merge", NULL, NULL, NULL);
    if (own &&
        sqlite3_exec(ix->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL) !=
            SQLITE_OK &&
        rc == 0)
        rc = db_err(ix, err, "sentence_fts merges");
    return rc;
}

/* Whether the database holds tables but no baogao schema_version: a
 * database another program made. Sets *foreign and names up to three of
 * its tables in names. Returns 0 or BG_ESQLITE. */
static int check_foreign(bg_index *ix, int *foreign, char *names, size_t cap,
                         bg_err *err)
{
    sqlite3_stmt *q;
    int ours = 0, tables = 0;
    *foreign = 0;
    names[0] = '\0';
    if (sqlite3_prepare_v2(ix->db,
                           "SELECT name FROM sqlite_master WHERE type = "
                           "'table' ORDER BY name",
                           -1, &q, NULL) != SQLITE_OK)
        return db_err(ix, err, "open");
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        const char *n = (const char *)sqlite3_column_text(q, 0);
        if (tables++ < 3 && n)
            snprintf(names + strlen(names), cap - strlen(names), "%s%s",
                     tables > 1 ? ", " : "", n);
        ours |= n && strcmp(n, "meta") == 0;
    }
    sqlite3_finalize(q);
    if (r != SQLITE_DONE)
        return db_err(ix, err, "open");
    if (!tables)
        return 0; /* new or empty: baogao's to make */
    if (ours) {
        ours = 0;
        if (sqlite3_prepare_v2(ix->db,
                               "SELECT 1 FROM meta WHERE key = "
                               "'schema_version'",
                               -1, &q, NULL) == SQLITE_OK) {
            ours = sqlite3_step(q) == SQLITE_ROW;
            sqlite3_finalize(q);
        }
    }
    *foreign = !ours;
    return 0;
}

/* Columns added to a table made before them, each step probed by one of
 * the columns it adds (the steps may come in any order):
 * - sentence flags, marker (schema 3's sentences were first stored without
 *   them: NULL in old rows; `baogao extract` asks to ingest such documents
 *   again);
 * - sentence.norm_edit (schema 11: NULL, the text, until norm_edits fills
 *   it);
 * - extraction_clause's clause and generic (empty until the documents are
 *   labelled again);
 * - document.genre (NULL until the documents are labelled again: baogao
 *   extract). */
static const struct added_columns {
    const char *table, *probe, *sql;
} ADDED_COLUMNS[] = {
    {"sentence", "flags",
     "ALTER TABLE sentence ADD COLUMN flags INTEGER; "
     "ALTER TABLE sentence ADD COLUMN marker INTEGER"},
    {"sentence", "norm_edit", "ALTER TABLE sentence ADD COLUMN norm_edit BLOB"},
    {"extraction_clause", "generic",
     "ALTER TABLE extraction_clause ADD COLUMN clause TEXT; "
     "ALTER TABLE extraction_clause ADD COLUMN generic INTEGER NOT NULL "
     "DEFAULT 0"},
    {"document", "genre", "ALTER TABLE document ADD COLUMN genre TEXT"},
    {"extraction_detail", "cues",
     "ALTER TABLE extraction_detail ADD COLUMN cues TEXT"},
};

/* Adds each of ADDED_COLUMNS that the database lacks. Returns an SQLite
 * result code (the first failure). */
static int add_columns(bg_index *ix)
{
    for (size_t i = 0; i < sizeof ADDED_COLUMNS / sizeof *ADDED_COLUMNS; i++) {
        const struct added_columns *c = &ADDED_COLUMNS[i];
        int rc;
        if (!bg_sql_has_column(ix->db, c->table, c->probe) &&
            (rc = sqlite3_exec(ix->db, c->sql, NULL, NULL, NULL)) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* Schema 4's step (from 3): term gets its corpus totals, term_freq reads
 * the totals. Runs inside
 * bg_index_open's transaction, after SCHEMA, before schema 13's step, on
 * a database whose term table lacks freq (so that the steps of other
 * versions may come in any order). */
static int add_term_totals(bg_index *ix, bg_err *err)
{
    if (bg_sql_has_column(ix->db, "term", "freq"))
        return 0;
    static const char sql[] =
        "ALTER TABLE term ADD COLUMN freq INTEGER NOT NULL DEFAULT 0;\n"
        "ALTER TABLE term ADD COLUMN df INTEGER NOT NULL DEFAULT 0;\n"
        "UPDATE term SET freq = c.f, df = c.d FROM\n"
        "  (SELECT term_id, SUM(tf) AS f, COUNT(*) AS d FROM doc_term\n"
        "   GROUP BY term_id) c WHERE term.id = c.term_id;\n"
        "DROP VIEW IF EXISTS term_freq;\n" TERM_FREQ_VIEW;
    if (sqlite3_exec(ix->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_err(ix, err, "add term totals");
    return 0;
}

/* Schema 11's step (from 3 to 10): each sentence's analysis form, held by
 * sentence.norm (3 to 6) or as line seq of its document's document_norm row
 * (5 to 10), stored as the edits of its text in sentence.norm_edit (NULL
 * when they are equal); document_norm is dropped (its pages free until a
 * VACUUM). A sentence whose line document_norm lacks (a damaged database)
 * fails the step with BG_EDATA naming its document, as reading it did
 * before. Document by document: each one's sentences read, then updated. */
static int norm_edits(bg_index *ix, bg_err *err)
{
    int by_row = bg_sql_has_column(ix->db, "sentence", "norm");
    if (!by_row && !has_table(ix, "document_norm"))
        return 0;
    sqlite3_stmt *docs = NULL, *sents = NULL, *upd = NULL;
    bg_buf lines = {0}, edits = {0};
    struct edit_row {
        int64_t id;
        size_t off, len;
    } *rows = NULL;
    size_t cap = 0;
    int rc = prep(ix,
                  by_row ? "SELECT id, NULL FROM document ORDER BY id"
                         : "SELECT d.id, n.norm FROM document d LEFT JOIN "
                           "document_norm n ON n.doc_id = d.id ORDER BY d.id",
                  &docs, err);
    if (rc == 0)
        rc = prep(ix,
                  by_row ? "SELECT id, seq, text, norm FROM sentence WHERE "
                           "doc_id = ?1 ORDER BY seq"
                         : "SELECT id, seq, text, NULL FROM sentence WHERE "
                           "doc_id = ?1 ORDER BY seq",
                  &sents, err);
    if (rc == 0)
        rc = prep(ix, "UPDATE sentence SET norm_edit = ?2 WHERE id = ?1", &upd,
                  err);
    int r = SQLITE_DONE;
    while (rc == 0 && (r = sqlite3_step(docs)) == SQLITE_ROW) {
        /* the document's lines (document_norm), NUL at each LF */
        const char *dn = (const char *)sqlite3_column_text(docs, 1);
        size_t nrows = 0, nline = 0;
        lines.len = 0;
        edits.len = 0;
        if (!by_row && (bg_buf_add(&lines, dn ? dn : "",
                                   (size_t)sqlite3_column_bytes(docs, 1)) ||
                        bg_buf_reserve(&lines, 0))) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
            break;
        }
        if (!by_row && dn) {
            nline = 1;
            for (size_t k = 0; k < lines.len; k++)
                if (lines.data[k] == '\n') {
                    lines.data[k] = '\0';
                    nline++;
                }
        }
        sqlite3_bind_int64(sents, 1, sqlite3_column_int64(docs, 0));
        size_t at = 0, line = 1; /* the byte where line `line` starts */
        while (rc == 0 && (r = sqlite3_step(sents)) == SQLITE_ROW) {
            int64_t seq = sqlite3_column_int64(sents, 1);
            const char *t = (const char *)sqlite3_column_text(sents, 2);
            size_t tn = (size_t)sqlite3_column_bytes(sents, 2);
            const char *nm;
            size_t nn;
            if (by_row) {
                nm = (const char *)sqlite3_column_text(sents, 3);
                nn = (size_t)sqlite3_column_bytes(sents, 3);
            } else {
                while (line < (size_t)seq && line < nline) {
                    at += strlen(lines.data + at) + 1;
                    line++;
                }
                if (seq < 1 || (size_t)seq > nline || line != (size_t)seq) {
                    rc = bg_err_set(
                        err, BG_EDATA,
                        "%s: document %lld: sentence %lld has no analysis "
                        "form in document_norm (a damaged database; ingest "
                        "its files into a new database)",
                        ix->path, (long long)sqlite3_column_int64(docs, 0),
                        (long long)sqlite3_column_int64(sents, 0));
                    break;
                }
                nm = lines.data + at;
                nn = strlen(nm);
            }
            if (!t || !nm)
                continue;
            size_t off = edits.len;
            if (bg_edits_make(t, tn, nm, nn, &edits) ||
                BG_RESERVE(rows, cap, nrows + 1)) {
                rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
                break;
            }
            if (edits.len > off)
                rows[nrows++] = (struct edit_row){
                    sqlite3_column_int64(sents, 0), off, edits.len - off};
        }
        if (rc == 0 && r != SQLITE_DONE)
            rc = db_err(ix, err, "schema 11: sentences");
        sqlite3_reset(sents);
        for (size_t k = 0; k < nrows && rc == 0; k++) {
            sqlite3_bind_int64(upd, 1, rows[k].id);
            sqlite3_bind_blob(upd, 2, edits.data + rows[k].off,
                              (int)rows[k].len, SQLITE_STATIC);
            rc = run(ix, upd, err, "schema 11: sentence.norm_edit");
        }
        r = SQLITE_DONE;
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = db_err(ix, err, "schema 11: documents");
    sqlite3_finalize(docs);
    sqlite3_finalize(sents);
    sqlite3_finalize(upd);
    free(rows);
    bg_buf_free(&lines);
    bg_buf_free(&edits);
    if (rc == 0 && sqlite3_exec(ix->db, "DROP TABLE IF EXISTS document_norm",
                                NULL, NULL, NULL) != SQLITE_OK)
        rc = db_err(ix, err, "schema 11: drop document_norm");
    return rc;
}

/* Schema 7's step (from 3 to 6, after norm_edits): the analysis form is
 * stored once (since schema 11 as sentence.norm_edit); sentence.norm, its copy
 * sentence by sentence (222 MB of a 2.0 GB database of the 4x benchmark),
 * goes. The table is rewritten without it; the pages it freed stay in the
 * file for later rows (VACUUM gives them back to the file system). Runs
 * when sentence has the column, so that the steps may come in any
 * order. */
static int drop_sentence_norm(bg_index *ix, bg_err *err)
{
    if (!bg_sql_has_column(ix->db, "sentence", "norm"))
        return 0;
    if (sqlite3_exec(ix->db, "ALTER TABLE sentence DROP COLUMN norm", NULL,
                     NULL, NULL) != SQLITE_OK)
        return db_err(ix, err, "drop sentence.norm");
    return 0;
}

static int add_vector(bg_index *ix, int64_t doc, const bg_term_tf *p, size_t n,
                      bg_err *err);

/* Schema 15's step (from 3 to 14): extraction.kind, a word, becomes
 * kind_code (KIND_OF_CODE) and kind a column generated from it; the index
 * extraction_kind and extraction_view, which name kind, are made again.
 * After schema 8's step (which rewrites extraction), before the statements
 * are prepared (the insert names kind_code). */
static int kind_codes(bg_index *ix, bg_err *err)
{
    if (bg_sql_has_column(ix->db, "extraction", "kind_code"))
        return 0;
    static const char sql[] =
        "DROP VIEW IF EXISTS extraction_view;\n"
        "DROP INDEX IF EXISTS extraction_kind;\n"
        "ALTER TABLE extraction ADD COLUMN kind_code INTEGER NOT NULL DEFAULT "
        "0 " KIND_CODE_CHECK ";\n"
        "UPDATE extraction SET kind_code = " CODE_OF_KIND(
            "kind") ";\n"
                    "ALTER TABLE extraction DROP COLUMN kind;\n"
                    "ALTER TABLE extraction ADD COLUMN kind TEXT GENERATED "
                    "ALWAYS AS "
                    "(" KIND_OF_CODE(
                        "kind_code") ") VIRTUAL;\n" EXTRACTION_INDEXES
                        EXTRACTION_VIEW;
    if (sqlite3_exec(ix->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_err(ix, err, "schema 15: extraction.kind_code");
    return 0;
}

/* Schema 14's step (from 3 to 13): each label's cues packed into its
 * extraction_detail row (a row made for a label that had cues and none),
 * their (rule, weight, context) into cue_rule; the table extraction_cue is
 * dropped (its pages free until a VACUUM) and the view made in its place.
 * After the steps that rewrite that table (7, 8, 12). */
static int pack_cues(bg_index *ix, bg_err *err)
{
    if (!has_table(ix, "extraction_cue"))
        return 0;
    static const char sql[] =
        "INSERT OR IGNORE INTO cue_rule(rule_id, weight, context) SELECT "
        "DISTINCT rule_id, weight, context FROM extraction_cue ORDER BY 1, 2, "
        "3;\n"
        "INSERT INTO extraction_detail(extraction_id) SELECT DISTINCT "
        "extraction_id FROM extraction_cue WHERE extraction_id NOT IN (SELECT "
        "extraction_id FROM extraction_detail);\n"
        "CREATE TEMP TABLE cues_14 AS SELECT extraction_id, "
        "json_group_array(CASE WHEN text IS NOT NULL THEN json_array(k, at, "
        "len, COALESCE(back, 0), text) WHEN back IS NOT NULL THEN "
        "json_array(k, at, len, back) ELSE json_array(k, at, len) END) AS "
        "cues FROM (SELECT c.extraction_id, k.id AS k, c.start - s.start AS "
        "at, c.end - c.start AS len, c.back, c.text FROM extraction_cue c "
        "JOIN cue_rule k ON k.rule_id = c.rule_id AND k.weight = c.weight AND "
        "k.context = c.context JOIN extraction e ON e.id = c.extraction_id "
        "JOIN sentence s ON s.id = e.sentence_id ORDER BY c.extraction_id, "
        "c.seq) GROUP BY extraction_id;\n"
        "UPDATE extraction_detail SET cues = p.cues FROM cues_14 p WHERE "
        "p.extraction_id = extraction_detail.extraction_id;\n"
        "DROP TABLE cues_14;\n"
        "DROP TABLE extraction_cue;\n" EXTRACTION_CUE_VIEW;
    if (sqlite3_exec(ix->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_err(ix, err, "schema 14: extraction_cue");
    return 0;
}

/* Schema 13's step (from 3 to 12): the doc_term table, whose rows
 * doc_vector holds (filled from it by schema 7's step when it was made
 * later), is dropped with its trigger doc_term_ad, and the view doc_term
 * made in its place (its pages free until a VACUUM). Term totals stay as
 * they are (they equal the sums over either). */
static int doc_term_view(bg_index *ix, bg_err *err)
{
    if (!has_table(ix, "doc_term"))
        return 0;
    if (sqlite3_exec(ix->db, "DROP TABLE doc_term;\n" DOC_TERM_VIEW, NULL, NULL,
                     NULL) != SQLITE_OK)
        return db_err(ix, err, "schema 13: doc_term");
    return 0;
}

/* Schema 7's step for doc_vector (a database made without it): each
 * document's row packed from its doc_term rows, read in key order. */
static int fill_doc_vector(bg_index *ix, bg_err *err)
{
    sqlite3_stmt *st = NULL;
    bg_term_tf *p = NULL;
    size_t n = 0, cap = 0;
    int64_t doc = 0;
    int rc = 0, r;
    if (sqlite3_prepare_v2(ix->db,
                           "SELECT doc_id, term_id, tf FROM doc_term ORDER BY "
                           "doc_id, term_id",
                           -1, &st, NULL) != SQLITE_OK)
        return db_err(ix, err, "doc_vector");
    for (;;) {
        r = sqlite3_step(st);
        int64_t d = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        if (doc && d != doc) {
            if ((rc = add_vector(ix, doc, p, n, err)))
                break;
            n = 0;
        }
        if (r != SQLITE_ROW)
            break;
        if (BG_RESERVE(p, cap, n + 1)) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
            break;
        }
        p[n++] = (bg_term_tf){sqlite3_column_int64(st, 1),
                              sqlite3_column_int64(st, 2)};
        doc = d;
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = db_err(ix, err, "doc_vector");
    sqlite3_finalize(st);
    free(p);
    return rc;
}

/* Schema 7's step for extraction_cue (made before it had seq): the rows
 * copied into the table keyed by (extraction_id, seq), seq numbering each
 * label's cues in their old rowid order (the order they were stored in);
 * the index extraction_cue_x goes with the old table. */
static int key_cues(bg_index *ix, bg_err *err)
{
    if (bg_sql_has_column(ix->db, "extraction_cue", "seq"))
        return 0;
    static const char sql[] =
        "CREATE TABLE extraction_cue_7(" EXTRACTION_CUE_COLUMNS_7
        ") WITHOUT ROWID;\n"
        "INSERT INTO extraction_cue_7 SELECT extraction_id, row_number() "
        "OVER (PARTITION BY extraction_id ORDER BY rowid), rule, weight, "
        "context, start, end, text FROM extraction_cue ORDER BY "
        "extraction_id, rowid;\n"
        "DROP TABLE extraction_cue;\n"
        "ALTER TABLE extraction_cue_7 RENAME TO extraction_cue;\n";
    if (sqlite3_exec(ix->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_err(ix, err, "key extraction_cue");
    return 0;
}

/* Schema 8's step (a database whose labels name their rule as text): the
 * names go into table rule, extraction gets rule_id (nullable, as ALTER
 * TABLE adds it) and model (the probability its model.KIND cue held), and
 * loses rule; extraction_cue is rewritten with rule_id and without the
 * model rows, each label's other cues numbered again from 1 in their
 * order. Runs when extraction has the column rule. */
static int rule_ids(bg_index *ix, bg_err *err)
{
    if (!bg_sql_has_column(ix->db, "extraction", "rule"))
        return 0;
    static const char sql[] =
        "INSERT OR IGNORE INTO rule(name) SELECT rule FROM extraction UNION "
        "SELECT rule FROM extraction_cue WHERE substr(rule, 1, 6) <> "
        "'model.' ORDER BY 1;\n"
        "ALTER TABLE extraction ADD COLUMN rule_id INTEGER REFERENCES "
        "rule(id);\n"
        "ALTER TABLE extraction ADD COLUMN model REAL;\n"
        "UPDATE extraction SET rule_id = (SELECT id FROM rule WHERE name = "
        "extraction.rule), model = (SELECT weight FROM extraction_cue c "
        "WHERE c.extraction_id = extraction.id AND substr(c.rule, 1, 6) = "
        "'model.');\n"
        "DROP VIEW IF EXISTS extraction_view;\n"
        "ALTER TABLE extraction DROP COLUMN rule;\n" EXTRACTION_VIEW
        "CREATE TABLE extraction_cue_8(" EXTRACTION_CUE_COLUMNS
        ") WITHOUT ROWID;\n"
        "INSERT INTO extraction_cue_8 SELECT c.extraction_id, row_number() "
        "OVER (PARTITION BY c.extraction_id ORDER BY c.seq), r.id, c.weight, "
        "c.context, c.start, c.end, " CUE_TEXT_STORED " FROM extraction_cue "
        "c JOIN rule r ON r.name = c.rule JOIN extraction e ON e.id = "
        "c.extraction_id JOIN sentence s ON s.id = e.sentence_id WHERE "
        "substr(c.rule, 1, 6) <> 'model.' ORDER BY c.extraction_id, c.seq;\n"
        "DROP TABLE extraction_cue;\n"
        "ALTER TABLE extraction_cue_8 RENAME TO extraction_cue;\n";
    if (sqlite3_exec(ix->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_err(ix, err, "rule ids");
    return 0;
}

/* The step for extraction_cue made by schema 8 before its text could be
 * NULL (the first builds of 8): the table rewritten, each cue's text NULL
 * where it is its sentence's bytes. Runs when extraction_cue.text is NOT
 * NULL. */
static int cue_text_nullable(bg_index *ix, bg_err *err)
{
    sqlite3_stmt *q;
    int notnull = 0;
    if (sqlite3_prepare_v2(ix->db,
                           "SELECT \"notnull\" FROM "
                           "pragma_table_info('extraction_cue') WHERE name = "
                           "'text'",
                           -1, &q, NULL) != SQLITE_OK)
        return db_err(ix, err, "extraction_cue");
    if (sqlite3_step(q) == SQLITE_ROW)
        notnull = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (!notnull)
        return 0;
    static const char sql[] =
        "CREATE TABLE extraction_cue_8(" EXTRACTION_CUE_COLUMNS
        ") WITHOUT ROWID;\n"
        "INSERT INTO extraction_cue_8 SELECT c.extraction_id, c.seq, "
        "c.rule_id, c.weight, c.context, c.start, c.end, " CUE_TEXT_STORED
        " FROM extraction_cue c JOIN extraction e ON e.id = c.extraction_id "
        "JOIN sentence s ON s.id = e.sentence_id ORDER BY c.extraction_id, "
        "c.seq;\n"
        "DROP TABLE extraction_cue;\n"
        "ALTER TABLE extraction_cue_8 RENAME TO extraction_cue;\n";
    if (sqlite3_exec(ix->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_err(ix, err, "extraction_cue text");
    return 0;
}

static int add_numbers(bg_index *ix, bg_err *err);

/* appended to the dict_id of a database whose terms are fine (add_numbers) */
#define BG_INDEX_FINE_MARK "+fine-terms"

/* 1 when the database has table name (0 also when the look-up fails). */
static int has_table(bg_index *ix, const char *name)
{
    sqlite3_stmt *q;
    int have = 0;
    if (sqlite3_prepare_v2(ix->db,
                           "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                           "AND name = ?1",
                           -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
        have = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
    }
    return have;
}

/* Schema 9's step: every sentence's terms text packed into term ids
 * (pack_terms; a term the table lacks is added), a thousand rows a
 * statement, then sentence_fts (made again, contentless and empty) given
 * every sentence's terms. Returns 0 or an error. */
static int pack_sentences(bg_index *ix, bg_err *err)
{
    sqlite3_stmt *sel = NULL, *upd = NULL;
    int rc = prep(ix,
                  "SELECT id, terms FROM sentence WHERE id > ?1 AND "
                  "typeof(terms) = 'text' ORDER BY id LIMIT 1000",
                  &sel, err);
    if (rc == 0)
        rc =
            prep(ix, "UPDATE sentence SET terms = ?2 WHERE id = ?1", &upd, err);
    bg_buf texts = {0};
    int64_t ids[1000], last = 0;
    for (size_t n = 1; rc == 0 && n;) {
        size_t at[1000];
        int r;
        n = 0;
        texts.len = 0;
        sqlite3_bind_int64(sel, 1, last);
        while (rc == 0 && (r = sqlite3_step(sel)) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(sel, 1);
            ids[n] = last = sqlite3_column_int64(sel, 0);
            at[n++] = texts.len;
            if (bg_buf_add(&texts, t ? t : "", strlen(t ? t : "") + 1))
                rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
        }
        if (rc == 0 && r != SQLITE_DONE)
            rc = db_err(ix, err, "schema 9: sentences");
        sqlite3_reset(sel);
        for (size_t i = 0; i < n && rc == 0; i++) {
            if ((rc = pack_terms(ix, texts.data + at[i], err)))
                break;
            sqlite3_bind_int64(upd, 1, ids[i]);
            sqlite3_bind_blob(
                upd, 2, ix->packed_terms.data ? ix->packed_terms.data : "",
                (int)ix->packed_terms.len, SQLITE_STATIC);
            rc = run(ix, upd, err, "schema 9: pack sentence.terms");
        }
    }
    bg_buf_free(&texts);
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    if (rc == 0 && sqlite3_exec(ix->db,
                                "INSERT INTO sentence_fts(rowid, terms) "
                                "SELECT id, bg_terms(terms) FROM sentence",
                                NULL, NULL, NULL) != SQLITE_OK)
        rc = db_err(ix, err, "schema 9: sentence_fts");
    return rc;
}

/* The schema version in meta (0: none yet, a new database) into *have;
 * BG_ESQLITE when it is not one this baogao can bring up to
 * BG_SCHEMA_VERSION (below 3, or newer). Returns 0 or BG_ESQLITE. */
static int stored_version(bg_index *ix, int *have, bg_err *err)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ix->db,
                           "SELECT value FROM meta WHERE key = "
                           "'schema_version'",
                           -1, &q, NULL) != SQLITE_OK)
        return db_err(ix, err, "meta");
    int r = sqlite3_step(q);
    *have = r == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    /* a failed read is no "new database" (the schema would be stamped
     * with this version over an older one) */
    if (r != SQLITE_ROW && r != SQLITE_DONE) {
        int rc = db_err(ix, err, "meta");
        sqlite3_finalize(q);
        return rc;
    }
    sqlite3_finalize(q);
    if (*have && (*have < 3 || *have > BG_SCHEMA_VERSION))
        return bg_err_set(err, BG_ESQLITE,
                          "%s: schema version %d, this baogao writes %d; "
                          "ingest into a new database",
                          ix->path, *have, BG_SCHEMA_VERSION);
    return 0;
}

/* The schema made, an older database (version 3 on) brought up to
 * BG_SCHEMA_VERSION step by step, and the statements prepared, in one
 * transaction: a writer in another process never sees it half made (the
 * trigger document_bd is dropped and made again). Returns 0 or an error
 * (rolled back). */
static int make_schema(bg_index *ix, bg_err *err)
{
    if (sqlite3_exec(ix->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return busy_err(ix, err, "open");
    /* the number and doc_vector tables are made below: were they there
     * before? (add_numbers, fill_doc_vector) */
    int had_numbers = has_table(ix, "number");
    int had_vector = has_table(ix, "doc_vector");
    int have = 0, rc = 0;
    if (sqlite3_exec(ix->db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK ||
        add_columns(ix))
        rc = db_err(ix, err, "schema");
    else
        rc = stored_version(ix, &have, err);
    /* before 9, sentence_fts had sentence.terms (text) as its content: it
     * is made again, contentless, once the terms are packed (below) */
    if (rc == 0 && have && have < 9 &&
        sqlite3_exec(ix->db,
                     "DROP TRIGGER IF EXISTS sentence_au; DROP TRIGGER IF "
                     "EXISTS sentence_ad; DROP TABLE IF EXISTS sentence_fts",
                     NULL, NULL, NULL) != SQLITE_OK)
        rc = db_err(ix, err, "schema 9: sentence_fts");
    if (rc == 0 &&
        sqlite3_exec(ix->db, FTS_TABLE, NULL, NULL, NULL) != SQLITE_OK)
        rc = db_err(ix, err, "schema: sentence_fts");
    /* bulk loads that died left their merge settings (FTS_BULK_MERGE): the
     * saved ones are put back unless a load is under way (settle_merges) */
    if (rc == 0)
        rc = settle_merges(ix, NULL, err);
    /* an older database is brought up to this version, step by step */
    if (rc == 0 && have)
        rc = add_term_totals(ix, err);
    /* schema 10: doc_term's index by term (doc_term_term, 24 MB of the
     * 1x benchmark's 334) is gone: freq's DP reads doc_vector. Its pages
     * are free pages of the file until a VACUUM. */
    if (rc == 0 && have && have < 10 &&
        sqlite3_exec(ix->db, "DROP INDEX IF EXISTS doc_term_term", NULL, NULL,
                     NULL) != SQLITE_OK)
        rc = db_err(ix, err, "schema 10: doc_term_term");
    /* schema 11: the analysis forms as edits of the sentence texts
     * (before sentence.norm goes: 3 to 6 hold them there) */
    if (rc == 0 && have && have < 11)
        rc = norm_edits(ix, err);
    if (rc == 0 && have && (rc = drop_sentence_norm(ix, err)) == 0 &&
        (rc = key_cues(ix, err)) == 0 && (rc = rule_ids(ix, err)) == 0)
        rc = cue_text_nullable(ix, err);
    /* schema 12: extraction_cue.back (after the steps above, which make
     * the table again without it) */
    if (rc == 0 && !bg_sql_has_column(ix->db, "extraction_cue", "back") &&
        sqlite3_exec(ix->db,
                     "ALTER TABLE extraction_cue ADD COLUMN back INTEGER", NULL,
                     NULL, NULL) != SQLITE_OK)
        rc = db_err(ix, err, "schema 12: extraction_cue.back");
    /* schema 15: extraction.kind_code */
    if (rc == 0 && have)
        rc = kind_codes(ix, err);
    /* schema 16: extraction_kind on kind_code (15 made it on the word
     * kind, generated: 9.1 MB of the 1x benchmark instead of 5.4); the
     * extraction indexes after the steps above, which give an older
     * database kind_code (a bulk load that died left none) */
    int64_t on_word = 0;
    if (rc == 0 && have)
        rc = bg_sql_int(ix->db, ix->path,
                        "SELECT COUNT(*) FROM sqlite_master WHERE name = "
                        "'extraction_kind' AND sql NOT LIKE '%kind_code%'",
                        &on_word, err);
    if (rc == 0 && on_word &&
        sqlite3_exec(ix->db, "DROP INDEX extraction_kind", NULL, NULL, NULL) !=
            SQLITE_OK)
        rc = db_err(ix, err, "schema 16: extraction_kind");
    if (rc == 0 &&
        sqlite3_exec(ix->db, EXTRACTION_INDEXES, NULL, NULL, NULL) != SQLITE_OK)
        rc = db_err(ix, err, "schema: extraction indexes");
    for (int i = 0; i < NSTMT && rc == 0; i++)
        if (sqlite3_prepare_v3(ix->db, SQL[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &ix->st[i], NULL) != SQLITE_OK)
            rc = db_err(ix, err, "prepare");
    /* schema 6's step (term kinds and number rows) on a database made
     * without the number table */
    if (rc == 0 && have && !had_numbers)
        rc = add_numbers(ix, err);
    /* schema 7's doc_vector (made above, empty) on a database without it */
    if (rc == 0 && have && !had_vector)
        rc = fill_doc_vector(ix, err);
    /* schema 9's packed sentence.terms and contentless sentence_fts */
    if (rc == 0 && have && have < 9)
        rc = pack_sentences(ix, err);
    /* schema 13: the doc_term table gives way to its view (after the
     * steps that read it: term totals, doc_vector) */
    if (rc == 0 && have)
        rc = doc_term_view(ix, err);
    /* schema 14: the cues packed (after the steps above that rewrite
     * extraction_cue) */
    if (rc == 0 && have)
        rc = pack_cues(ix, err);
    if (rc == 0 &&
        sqlite3_exec(ix->db, FTS_TRIGGERS, NULL, NULL, NULL) != SQLITE_OK)
        rc = db_err(ix, err, "schema: sentence_fts triggers");
    char ver[16];
    snprintf(ver, sizeof ver, "%d", BG_SCHEMA_VERSION);
    if (rc == 0)
        rc = bg_index_set_meta(ix, "schema_version", ver, err);
    if (rc == 0 &&
        sqlite3_exec(ix->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = db_err(ix, err, "commit");
    if (rc)
        sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int bg_index_open(bg_index **out, const char *path, unsigned flags, bg_err *err)
{
    int rc = 0;
    bg_index *ix = calloc(1, sizeof *ix);
    *out = NULL;
    if (!ix || !(ix->path = strdup(path))) {
        free(ix);
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
    }
    /* one thread per handle (banner): no SQLite mutex needed */
    if (sqlite3_open_v2(path, &ix->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = ix->db ? db_err(ix, err, "open")
                    : bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
        goto cleanup;
    }
    bg_index_busy_timeout(ix, BG_INDEX_BUSY_MS);
    /* a database another program made is not changed (no tables added,
     * no WAL switched on) unless the caller takes it over */
    int foreign;
    char names[200];
    if ((rc = check_foreign(ix, &foreign, names, sizeof names, err)))
        goto cleanup;
    if (foreign && !(flags & BG_INDEX_TAKE_OVER)) {
        rc = bg_err_set(err, BG_EINVAL,
                        "%s: not a baogao database (it holds tables %s...): "
                        "name a new file, or give --take-over to add "
                        "baogao's tables to it",
                        path, names);
        goto cleanup;
    }
    /* the connection's settings, then the schema in one transaction
     * (make_schema) */
    if (sqlite3_exec(ix->db,
                     "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
                     "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; "
                     "PRAGMA temp_store = FILE;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_err(ix, err, "open");
        goto cleanup;
    }
    if ((rc = bg_terms_register(ix->db, path, &ix->dec, err)) ||
        (rc = make_schema(ix, err)))
        goto cleanup;
    /* the steps above sort whole tables (schema 7's copies of a 4x
     * benchmark database: 893 MB with temporary data in memory), so the
     * handle starts with it in files; a writer's own sorts are small */
    if (sqlite3_exec(ix->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL) !=
        SQLITE_OK) {
        rc = db_err(ix, err, "temp_store");
        goto cleanup;
    }
    *out = ix;
    ix = NULL;
cleanup:
    bg_index_close(ix);
    return rc;
}

/* Steps a prepared insert to completion and resets it. */
static int run(bg_index *ix, sqlite3_stmt *st, bg_err *err, const char *what)
{
    return bg_sql_run(ix->db, ix->path, st, err, what);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Adds the batch's sentences not yet indexed to sentence_fts, each with
 * the terms text its worker made (what bg_terms decodes from its packed
 * ids: the same tokens, so the delete trigger gives FTS5 back what it was
 * given; decoding them here again was 3% of the writer's time). Called
 * before a batch commits and before sentences are deleted (the delete
 * trigger expects every row to be indexed). Not in add_sentence: FTS5
 * writes its pending tokens out as a segment at every savepoint (one per
 * file) once the table is in the transaction. */
static int fts_sync(bg_index *ix, bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_FTS_ADD];
    int rc = 0;
    for (; ix->fts_synced < ix->nfts && rc == 0; ix->fts_synced++) {
        size_t k = ix->fts_synced;
        sqlite3_bind_int64(st, 1, ix->fts[k].id);
        sqlite3_bind_text(st, 2, ix->fts_text.data + ix->fts[k].off, -1,
                          SQLITE_STATIC);
        rc = run(ix, st, err, "index sentences (FTS5)");
    }
    return rc;
}

/* Forgets the batch's sentences for sentence_fts (a batch committed or
 * rolled back). */
static void fts_clear(bg_index *ix)
{
    ix->nfts = ix->fts_synced = ix->unit_nfts = ix->unit_fts_synced = 0;
    ix->fts_text.len = 0;
}

/* Keeps sentence id's terms text for fts_sync. Returns 0 or BG_ENOMEM. */
static int fts_keep(bg_index *ix, int64_t id, const char *terms)
{
    if (BG_RESERVE(ix->fts, ix->fts_cap, ix->nfts + 1))
        return BG_ENOMEM;
    ix->fts[ix->nfts].id = id;
    ix->fts[ix->nfts].off = ix->fts_text.len;
    if (bg_buf_puts(&ix->fts_text, terms) || bg_buf_add(&ix->fts_text, "", 1))
        return BG_ENOMEM;
    ix->nfts++;
    return 0;
}

int bg_index_begin(bg_index *ix, bg_err *err)
{
    if (!ix->batch_open) {
        if (sqlite3_exec(ix->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
            SQLITE_OK)
            return busy_err(ix, err, "begin");
        ix->batch_open = 1;
        ix->batch_units = 0;
        ix->batch_t0 = now_seconds();
        ix->terms_synced = 0; /* other writers may have added terms */
        fts_clear(ix);
    }
    if (sqlite3_exec(ix->db, "SAVEPOINT unit", NULL, NULL, NULL) != SQLITE_OK)
        return db_err(ix, err, "savepoint");
    ix->unit_open = 1;
    ix->unit_pairs = ix->npairs;
    ix->unit_nfts = ix->nfts;
    ix->unit_fts_synced = ix->fts_synced;
    return 0;
}

static int by_term_id(const void *a, const void *b)
{
    const bg_term_tf *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Adds the pairs from `from` on to the corpus totals
 * of their terms, and forgets those pairs: one UPDATE a distinct term (a
 * batch of 64 benchmark files touches about 10k of its 40k terms), not
 * one a row. */
static int write_totals_from(bg_index *ix, size_t from, bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_ADD_TOTALS];
    int rc = 0;
    if (ix->npairs > from)
        qsort(ix->pairs + from, ix->npairs - from, sizeof *ix->pairs,
              by_term_id);
    for (size_t i = from; i < ix->npairs && rc == 0;) {
        int64_t id = ix->pairs[i].id, freq = 0, df = 0;
        for (; i < ix->npairs && ix->pairs[i].id == id; i++) {
            freq += ix->pairs[i].tf;
            df++;
        }
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, freq);
        sqlite3_bind_int64(st, 3, df);
        rc = run(ix, st, err, "term totals");
    }
    ix->npairs = from;
    return rc;
}

/* The batch's totals (write_totals_from), when it commits. */
static int write_totals(bg_index *ix, bg_err *err)
{
    int rc = write_totals_from(ix, 0, err);
    ix->unit_pairs = 0;
    return rc;
}

/* A unit of many documents (a record file of 200,000 records is one)
 * keeps what the index holds for it bounded: once its sentences' terms
 * text passes UNIT_FTS_MAX they go to sentence_fts, and once its pairs
 * pass UNIT_PAIRS_MAX their totals are written, inside the unit (a
 * rollback of it takes both back; what earlier units of the batch left
 * for sentence_fts, synced too, is synced again after such a rollback:
 * bg_index_rollback). Between documents. Returns 0 or BG_ESQLITE. */
static int unit_bound(bg_index *ix, bg_err *err)
{
    int rc = 0;
    if (!ix->unit_open)
        return 0;
    if (ix->unit_nfts < ix->nfts &&
        ix->fts_text.len - ix->fts[ix->unit_nfts].off > UNIT_FTS_MAX &&
        (rc = fts_sync(ix, err)) == 0) {
        /* the unit's rows are in sentence_fts: their text goes */
        ix->fts_text.len = ix->fts[ix->unit_nfts].off;
        ix->nfts = ix->fts_synced = ix->unit_nfts;
    }
    if (rc == 0 && ix->npairs - ix->unit_pairs > UNIT_PAIRS_MAX)
        rc = write_totals_from(ix, ix->unit_pairs, err);
    return rc;
}

int bg_index_flush(bg_index *ix, bg_err *err)
{
    if (!ix->batch_open)
        return 0;
    int rc = write_totals(ix, err);
    if (rc == 0)
        rc = fts_sync(ix, err);
    if (rc) {
        bg_index_rollback(ix);
        sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
        ix->batch_open = 0;
        ix->npairs = ix->unit_pairs = 0;
        fts_clear(ix);
        terms_forget(ix);
        return rc;
    }
    ix->batch_open = 0;
    fts_clear(ix);
    if (sqlite3_exec(ix->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        /* a full disk or an I/O error: the batch is lost, and SQLite may
         * or may not have rolled it back already */
        rc = busy_err(ix, err, "commit");
        sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
        terms_forget(ix);
        return rc;
    }
    return 0;
}

int bg_index_text_bytes(bg_index *ix, int64_t *out, bg_err *err)
{
    sqlite3_stmt *st;
    *out = 0;
    if (sqlite3_prepare_v2(ix->db,
                           "SELECT COALESCE(SUM(end - start), 0) FROM document",
                           -1, &st, NULL) != SQLITE_OK)
        return db_err(ix, err, "text size");
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return r == SQLITE_ROW ? 0 : db_err(ix, err, "text size");
}

int bg_index_has_source(bg_index *ix, const char *path)
{
    sqlite3_stmt *q = ix->st[ST_HAS_SOURCE];
    sqlite3_bind_text(q, 1, path, -1, SQLITE_TRANSIENT);
    int exists = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_reset(q);
    return exists;
}

int bg_index_rename_source(bg_index *ix, const char *from, const char *to,
                           bg_err *err)
{
    if (bg_index_has_source(ix, to) || !bg_index_has_source(ix, from))
        return 0;
    sqlite3_stmt *st = ix->st[ST_RENAME_SOURCE];
    sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
    return run(ix, st, err, "rename source");
}

int bg_index_bulk_begin(bg_index *ix, int new_only, bg_err *err)
{
    if (ix->bulk)
        return 0;
    ix->bulk = 1;
    int64_t sources = 0;
    if (bg_sql_int(ix->db, ix->path, "SELECT COUNT(*) FROM source", &sources,
                   err))
        return BG_ESQLITE;
    /* the loads of this process told apart (handles on several threads) */
    static unsigned long loads;
    unsigned long n = __atomic_add_fetch(&loads, 1, __ATOMIC_RELAXED);
    char owner[48], sql[sizeof FTS_BULK_MERGE + 160];
    snprintf(owner, sizeof owner, "%ld %llu", (long)getpid(),
             process_start((long)getpid()));
    snprintf(ix->fts_owner, sizeof ix->fts_owner, "fts_bulk_owner:%s %lu",
             owner, n);
    snprintf(sql, sizeof sql, FTS_BULK_MERGE,
             ix->fts_owner + strlen("fts_bulk_owner:"), owner);
    if (exec_undone(ix, sql, "fts_merge", err, "sentence_fts merges"))
        return BG_ESQLITE;
    ix->fts_bulk = 1;
    if (new_only) {
        if (sqlite3_exec(ix->db, "PRAGMA foreign_keys = OFF", NULL, NULL,
                         NULL) != SQLITE_OK)
            return db_err(ix, err, "foreign keys off");
        ix->fk_off = 1;
        if (sqlite3_exec(ix->db, DROP_EXTRACTION_INDEXES, NULL, NULL, NULL) !=
            SQLITE_OK)
            return db_err(ix, err, "drop extraction indexes");
        ix->ext_off = 1;
        /* a database with no source yet: no fsync until bulk_end (the
         * recovery rule in index.h) */
        if (sources == 0) {
            if (sqlite3_exec(ix->db, "PRAGMA synchronous = OFF", NULL, NULL,
                             NULL) != SQLITE_OK)
                return db_err(ix, err, "synchronous off");
            ix->sync_off = 1;
        }
    }
    return 0;
}

int bg_index_bulk_end(bg_index *ix, bg_err *err)
{
    if (!ix->bulk)
        return 0;
    ix->bulk = 0;
    if (ix->fk_off) {
        ix->fk_off = 0;
        if (sqlite3_exec(ix->db, "PRAGMA foreign_keys = ON", NULL, NULL,
                         NULL) != SQLITE_OK)
            return db_err(ix, err, "foreign keys on");
    }
    if (ix->sync_off) {
        ix->sync_off = 0;
        /* durable again from here: the next checkpoint (the builds below
         * make some, closing makes the last) syncs the WAL and the
         * database file, and with them everything the load wrote */
        if (sqlite3_exec(ix->db, "PRAGMA synchronous = NORMAL", NULL, NULL,
                         NULL) != SQLITE_OK)
            return db_err(ix, err, "synchronous on");
    }
    int rc = 0;
    if (ix->fts_bulk) {
        ix->fts_bulk = 0;
        if (settle_merges(ix, ix->fts_owner, err))
            return BG_ESQLITE;
    }
    /* the builds sort millions of keys: in temporary files, not in memory
     * (measured on doc_term's former term index, 8.4 M rows of the 4x
     * benchmark: temp_store MEMORY took 467 MB and 18.2 s CPU, FILE 139 MB
     * and 6.1 s), on two threads (SQLite's sorter: the workers are done by
     * now, and their core idle) */
    if (sqlite3_exec(ix->db, "PRAGMA temp_store = FILE; PRAGMA threads = 2",
                     NULL, NULL, NULL) != SQLITE_OK)
        return db_err(ix, err, "temp_store");
    if (ix->ext_off) {
        ix->ext_off = 0;
        if (sqlite3_exec(ix->db, EXTRACTION_INDEXES, NULL, NULL, NULL) !=
            SQLITE_OK)
            rc = db_err(ix, err, "create extraction indexes");
    }
    sqlite3_exec(ix->db, "PRAGMA temp_store = MEMORY; PRAGMA threads = 0", NULL,
                 NULL, NULL);
    return rc;
}

int bg_index_commit(bg_index *ix, bg_err *err)
{
    if (ix->unit_open) {
        ix->unit_open = 0;
        if (sqlite3_exec(ix->db, "RELEASE unit", NULL, NULL, NULL) != SQLITE_OK)
            return db_err(ix, err, "release");
    }
    /* (the terms text kept for sentence_fts bounded too) */
    if (++ix->batch_units >= 64 || now_seconds() - ix->batch_t0 > 2.0 ||
        ix->fts_text.len > FTS_TEXT_MAX)
        return bg_index_flush(ix, err);
    return 0;
}

void bg_index_rollback(bg_index *ix)
{
    terms_forget(ix); /* the unit's new terms are gone */
    if (ix->unit_open) {
        ix->unit_open = 0;
        ix->npairs = ix->unit_pairs; /* and its counts */
        /* and its sentences; a sync during the unit is undone too */
        if (ix->unit_nfts < ix->nfts)
            ix->fts_text.len = ix->fts[ix->unit_nfts].off;
        ix->nfts = ix->unit_nfts;
        ix->fts_synced = ix->unit_fts_synced;
        sqlite3_exec(ix->db, "ROLLBACK TO unit; RELEASE unit", NULL, NULL,
                     NULL);
    }
    if (sqlite3_get_autocommit(ix->db)) {
        ix->batch_open = 0; /* SQLite ended the transaction itself */
        ix->npairs = ix->unit_pairs = 0;
        fts_clear(ix);
    }
}

int bg_index_add_source(bg_index *ix, const char *path, size_t size,
                        int64_t *out, bg_err *err)
{
    int rc;
    if (bg_index_has_source(ix, path)) {
        if (ix->fk_off) /* the cascade below needs foreign keys */
            return bg_err_set(err, BG_ESQLITE,
                              "%s: %s: already stored (a bulk load of new "
                              "sources only)",
                              ix->path, path);
        /* replacing: index what is pending first (the delete trigger
         * expects every row to be indexed) */
        if ((rc = fts_sync(ix, err)))
            return rc;
        sqlite3_bind_text(ix->st[ST_DEL_SOURCE], 1, path, -1, SQLITE_TRANSIENT);
        if ((rc = run(ix, ix->st[ST_DEL_SOURCE], err, "delete source")))
            return rc;
    }
    sqlite3_stmt *st = ix->st[ST_ADD_SOURCE];
    sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)size);
    if ((rc = run(ix, st, err, "insert source")))
        return rc;
    *out = sqlite3_last_insert_rowid(ix->db);
    return 0;
}

static int add_document(bg_index *ix, int64_t source, int seq, size_t start,
                        size_t end, const char *title, int64_t *out,
                        bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_ADD_DOC];
    sqlite3_bind_int64(st, 1, source);
    sqlite3_bind_int(st, 2, seq);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)start);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)end);
    sqlite3_bind_text(st, 5, title, -1, SQLITE_TRANSIENT);
    int rc = run(ix, st, err, "insert document");
    if (rc == 0)
        *out = sqlite3_last_insert_rowid(ix->db);
    return rc;
}

int bg_index_finish_document(bg_index *ix, int64_t doc, size_t n_sentences,
                             size_t n_tokens, bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_FINISH_DOC];
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)n_sentences);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)n_tokens);
    return run(ix, st, err, "update document");
}

/* Inserts sentence r (number seq of document doc) of a document whose
 * terms c bg_index_add_terms has just stored; *out gets its id. */
static int add_sentence(bg_index *ix, int64_t doc, int seq,
                        const bg_sent_rec *r, const bg_counter *c, int64_t *out,
                        bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_ADD_SENT];
    const bg_sentence *s = &r->s;
    const char *text = r->text, *norm = r->norm, *terms = r->terms;
    int rc = 1;
    if (ix->dist_of == c && r->tok0 + r->ntok <= c->n && (r->ntok || !*terms))
        rc = pack_ids(ix, c, r->tok0, r->ntok, err);
    if (rc == 1)
        rc = pack_terms(ix, terms, err);
    /* its analysis form as the edits of its text (schema 11), made by the
     * record's builder (docrec.h) or else here */
    const unsigned char *edit = r->edit;
    size_t edit_len = r->edit_len;
    if (rc == 0 && !edit) {
        ix->edit.len = 0;
        if (bg_edits_make(text, strlen(text), norm, strlen(norm), &ix->edit))
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
        edit = (const unsigned char *)ix->edit.data;
        edit_len = ix->edit.len;
    }
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_int(st, 2, seq);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)s->start);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)s->end);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)s->line);
    sqlite3_bind_int(st, 6, s->outline);
    sqlite3_bind_text(st, 7, text, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 8, ix->packed_terms.data ? ix->packed_terms.data : "",
                      (int)ix->packed_terms.len, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, bg_index_sentence_flags(s));
    sqlite3_bind_int64(st, 10, (sqlite3_int64)(s->marker_end - s->a_start));
    if (edit_len)
        sqlite3_bind_blob(st, 11, edit, (int)edit_len, SQLITE_STATIC);
    rc = run(ix, st, err, "insert sentence");
    if (rc == 0) {
        *out = sqlite3_last_insert_rowid(ix->db);
        if (fts_keep(ix, *out, terms))
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    }
    return rc;
}

/* Records the value of number term id (its text t) in the number table. */
static int add_number(bg_index *ix, sqlite3_int64 id, const char *t,
                      const bg_number *num, bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_ADD_NUMBER];
    (void)t;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, bg_number_type_name(num->type), -1, SQLITE_STATIC);
    if (num->type == BG_NUM_QUANTITY && num->value == num->value)
        sqlite3_bind_double(st, 3, num->value);
    else if (num->type != BG_NUM_QUANTITY && num->iso[0])
        sqlite3_bind_text(st, 3, num->iso, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 3);
    if (num->type == BG_NUM_QUANTITY || num->type == BG_NUM_RANGE)
        sqlite3_bind_text(st, 4, num->unit, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 4);
    return run(ix, st, err, "insert number");
}

/* Drops the term map (it is loaded again when next needed), and the rule
 * map. */
static void terms_forget(bg_index *ix)
{
    for (size_t i = 0; i < ix->nrule_keys; i++)
        free(ix->rule_keys[i]);
    free(ix->rule_keys);
    bg_strmap_free(&ix->rule_ids);
    ix->rule_keys = NULL;
    ix->nrule_keys = ix->rule_keys_cap = 0;
    for (size_t i = 0; i < ix->nterm_keys; i++)
        free(ix->term_keys[i]);
    free(ix->term_keys);
    bg_strmap_free(&ix->term_ids);
    bg_terms_forget(ix->dec);
    ix->term_keys = NULL;
    ix->nterm_keys = ix->term_keys_cap = 0;
    ix->term_max = 0;
    ix->terms_loaded = ix->terms_synced = 0;
}

/* Adds term t (copied) with id to the map. Returns 0 or BG_ENOMEM. */
static int terms_put(bg_index *ix, const char *t, int64_t id)
{
    char *k;
    if (BG_RESERVE(ix->term_keys, ix->term_keys_cap, ix->nterm_keys + 1) ||
        !(k = strdup(t)))
        return BG_ENOMEM;
    if (bg_strmap_put(&ix->term_ids, k, (size_t)id)) {
        free(k);
        return BG_ENOMEM;
    }
    ix->term_keys[ix->nterm_keys++] = k;
    if (id > ix->term_max)
        ix->term_max = id;
    return 0;
}

/* Brings the term map up to date: every row when it is not loaded, else
 * the rows added since (by other writers, before this batch took the
 * lock). Returns 0, BG_ESQLITE or BG_ENOMEM. */
static int terms_sync(bg_index *ix, bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_TERMS_AFTER];
    int r, rc = 0;
    if (!ix->terms_loaded)
        terms_forget(ix);
    sqlite3_bind_int64(st, 1, ix->term_max);
    while (rc == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 1);
        if (t && terms_put(ix, t, sqlite3_column_int64(st, 0)))
            rc = bg_err_set(err, BG_ENOMEM, "%s: terms: out of memory",
                            ix->path);
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = db_err(ix, err, "terms");
    sqlite3_reset(st);
    if (rc) {
        terms_forget(ix);
        return rc;
    }
    ix->terms_loaded = ix->terms_synced = 1;
    return 0;
}

/* The id of term t, inserting it when new (with its value when it is a
 * number); *added says whether it was new. */
static int term_id(bg_index *ix, const char *t, sqlite3_int64 *id, int *added,
                   bg_err *err)
{
    int rc;
    *added = 0;
    if (!ix->terms_synced && (rc = terms_sync(ix, err)))
        return rc;
    size_t v = bg_strmap_get(&ix->term_ids, t, strlen(t));
    if (v != BG_STRMAP_ABSENT) {
        *id = (sqlite3_int64)v;
        return 0;
    }
    bg_number num;
    int isnum = bg_number_parse(t, strlen(t), &num);
    sqlite3_stmt *st = ix->st[ST_ADD_TERM];
    sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, isnum ? "number" : "word", -1, SQLITE_STATIC);
    if ((rc = run(ix, st, err, "insert term")))
        return rc;
    *id = sqlite3_last_insert_rowid(ix->db);
    *added = 1;
    if (terms_put(ix, t, *id)) {
        terms_forget(ix); /* the row is stored: the next sync finds it */
        return bg_err_set(err, BG_ENOMEM, "%s: terms: out of memory", ix->path);
    }
    return isnum ? add_number(ix, *id, t, &num, err) : 0;
}

/* The ids of the fine parts of s (a coarse term's stored form: parts
 * apart by TABs) into ix->cut, inserting new terms; their count in *n.
 * Returns 0 or an error. */
static int cut_ids(bg_index *ix, const char *s, size_t *n, bg_err *err)
{
    size_t len = strlen(s);
    int rc = 0;
    *n = 0;
    char *part = malloc(len + 1);
    if (!part)
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    for (size_t a = 0; rc == 0 && a <= len;) {
        size_t e = a;
        while (e < len && s[e] != '\t')
            e++;
        memcpy(part, s + a, e - a);
        part[e - a] = '\0';
        sqlite3_int64 pid;
        int added;
        if (BG_RESERVE(ix->cut, ix->cut_cap, *n + 1))
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
        else if ((rc = term_id(ix, part, &pid, &added, err)) == 0)
            ix->cut[(*n)++] = pid;
        a = e + 1;
    }
    free(part);
    return rc;
}

/* The id of the coarse term whose stored form is s (fine parts apart by
 * tabs: segment.h, bg_token_term), inserting it when new; a compound's
 * parts (terms too) and term_part rows are written when the database
 * holds none for it (a term stored before as a word of its own gets its
 * parts once), and never changed after: sentence.terms' packed form refers
 * to them (util_sql.h). *same (may be NULL): 1 when s has parts and they
 * are term_part's (ix->cut holds s's part ids whenever s has parts). */
static int coarse_term_id(bg_index *ix, const char *s, sqlite3_int64 *id,
                          int *same, bg_err *err)
{
    int added;
    if (same)
        *same = 0;
    if (!strchr(s, '\t'))
        return term_id(ix, s, id, &added, err);
    size_t n = strlen(s), k = 0, ncut, nparts;
    char *t = malloc(n + 1);
    if (!t)
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\t')
            t[k++] = s[i];
    t[k] = '\0';
    int rc = term_id(ix, t, id, &added, err);
    free(t);
    const int64_t *parts;
    if (rc || (rc = cut_ids(ix, s, &ncut, err)) ||
        (rc = bg_terms_parts(ix->dec, *id, &parts, &nparts, err)))
        return rc;
    if (nparts) {
        if (same)
            *same = nparts == ncut &&
                    memcmp(parts, ix->cut, ncut * sizeof *parts) == 0;
        return 0;
    }
    for (size_t seq = 1; rc == 0 && seq <= ncut; seq++) {
        sqlite3_stmt *st = ix->st[ST_ADD_PART];
        sqlite3_bind_int64(st, 1, *id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
        sqlite3_bind_int64(st, 3, ix->cut[seq - 1]);
        rc = run(ix, st, err, "insert term_part");
    }
    /* what the database holds now (another writer's parts, had it written
     * some since: INSERT OR IGNORE kept theirs) */
    if (rc == 0 && same &&
        (rc = bg_terms_parts(ix->dec, *id, &parts, &nparts, err)) == 0)
        *same =
            nparts == ncut && memcmp(parts, ix->cut, ncut * sizeof *parts) == 0;
    return rc;
}

/* The packed form (util_sql.h) of terms, a sentence's terms text (terms
 * apart by spaces, a compound's parts by TABs), into ix->packed_terms,
 * inserting terms the table lacks. Returns 0 or an error. */
static int pack_terms(bg_index *ix, const char *terms, bg_err *err)
{
    bg_buf *out = &ix->packed_terms;
    int rc = 0;
    out->len = 0;
    if (bg_buf_reserve(out, 16))
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    for (const char *p = terms; *p && rc == 0;) {
        size_t n = strcspn(p, " ");
        if (n == 0) {
            p++;
            continue;
        }
        ix->tok.len = 0;
        if (bg_buf_add(&ix->tok, p, n) || bg_buf_reserve(&ix->tok, 1))
            return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
        ix->tok.data[n] = '\0';
        p += n;
        sqlite3_int64 id;
        int same;
        if ((rc = coarse_term_id(ix, ix->tok.data, &id, &same, err)))
            break;
        unsigned char v[BG_VARINT_MAX];
        int cut = memchr(ix->tok.data, '\t', n) != NULL;
        if (!cut || same) {
            rc = bg_buf_add(out, v,
                            bg_varint_put(2 * (uint64_t)id + (uint64_t)cut, v));
        } else {
            /* cut here unlike term_part: the escape, then its parts */
            size_t ncut;
            if ((rc = cut_ids(ix, ix->tok.data, &ncut, err)))
                break;
            rc = bg_buf_add(out, v, bg_varint_put(1, v)) ||
                 bg_buf_add(out, v, bg_varint_put((uint64_t)id, v)) ||
                 bg_buf_add(out, v, bg_varint_put(ncut, v));
            for (size_t i = 0; i < ncut && rc == 0; i++)
                rc = bg_buf_add(out, v, bg_varint_put((uint64_t)ix->cut[i], v));
        }
        if (rc)
            return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    }
    return rc;
}

/* The packed form of a sentence's terms from their ids: the terms c added
 * as tok0 .. tok0 + n - 1, whose distinct terms bg_index_add_terms has just
 * stored (ix->dist_of == c), into ix->packed_terms, as pack_terms packs
 * their text but with no look-up for a whole term. Returns 0, 1 when a
 * term is not plain (the caller packs the text) or an error. */
static int pack_ids(bg_index *ix, const bg_counter *c, size_t tok0, size_t n,
                    bg_err *err)
{
    bg_buf *out = &ix->packed_terms;
    out->len = 0;
    if (bg_buf_reserve(out, 16))
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    for (size_t k = tok0; k < tok0 + n; k++)
        if (!(ix->dist_flag[c->index[k]] & DIST_PLAIN))
            return 1;
    for (size_t k = tok0; k < tok0 + n; k++) {
        size_t d = c->index[k];
        uint64_t id = (uint64_t)ix->dist_id[d];
        unsigned f = ix->dist_flag[d];
        unsigned char v[BG_VARINT_MAX];
        int rc = 0;
        if (!(f & DIST_CUT) || (f & DIST_SAME)) {
            rc =
                bg_buf_add(out, v, bg_varint_put(2 * id + !!(f & DIST_CUT), v));
        } else {
            /* cut here unlike term_part: the escape, then its parts */
            size_t ncut;
            if ((rc = cut_ids(ix, c->text.data + c->offs[d], &ncut, err)))
                return rc;
            rc = bg_buf_add(out, v, bg_varint_put(1, v)) ||
                 bg_buf_add(out, v, bg_varint_put(id, v)) ||
                 bg_buf_add(out, v, bg_varint_put(ncut, v));
            for (size_t i = 0; i < ncut && rc == 0; i++)
                rc = bg_buf_add(out, v, bg_varint_put((uint64_t)ix->cut[i], v));
        }
        if (rc)
            return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    }
    return 0;
}

/* Schema 6's step (issue 12: coarse terms, term_part, number), on a
 * database made without the number table (whatever its version, so that
 * the steps of other versions may come in any order): every term's kind by
 * bg_number_parse and the number rows of its number terms. Its stored terms
 * stay fine (no term_part: the coarse granularity reads them as they are) until
 * `baogao reindex`, which the dictionary note asks for: dict_id is marked so
 * that it differs from every segmenter's. */
static int add_numbers(bg_index *ix, bg_err *err)
{
    sqlite3_stmt *q = NULL, *u = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(ix->db, "SELECT id, term FROM term", -1, &q, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(ix->db, "UPDATE term SET kind = ?2 WHERE id = ?1",
                           -1, &u, NULL) != SQLITE_OK)
        rc = db_err(ix, err, "number values");
    int s = SQLITE_DONE;
    while (rc == 0 && (s = sqlite3_step(q)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(q, 0);
        const char *t = (const char *)sqlite3_column_text(q, 1);
        bg_number num;
        int isnum = t && bg_number_parse(t, strlen(t), &num);
        sqlite3_bind_int64(u, 1, id);
        sqlite3_bind_text(u, 2, isnum ? "number" : "word", -1, SQLITE_STATIC);
        rc = run(ix, u, err, "set term kind");
        if (rc == 0 && isnum)
            rc = add_number(ix, id, t, &num, err);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = db_err(ix, err, "number values");
    sqlite3_finalize(q);
    sqlite3_finalize(u);
    char *id = NULL;
    if (rc == 0 && (rc = bg_index_get_meta(ix, "dict_id", &id, err)) == 0 &&
        id && !strstr(id, BG_INDEX_FINE_MARK)) {
        char *marked = sqlite3_mprintf("%s%s", id, BG_INDEX_FINE_MARK);
        rc = marked ? bg_index_set_meta(ix, "dict_id", marked, err)
                    : bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
        sqlite3_free(marked);
    }
    free(id);
    return rc;
}

/* Whether term id already has a pair of document doc (pairs from first
 * on): two keys of the counter can be one term (a compound met as a word
 * of its own too, "AB" and "A<TAB>B"), whose counts add up in its one
 * pair, which must stay one for df and doc_vector. Returns
 * 1 (tf added to that pair), 0 (none: the caller adds one) or -1 (out of
 * memory). */
static int seen_in_doc(bg_index *ix, sqlite3_int64 id, int64_t doc,
                       size_t first, size_t tf)
{
    size_t cap = ix->seen_cap;
    if (BG_RESERVE_ZERO(ix->seen_doc, cap, (size_t)id + 1))
        return -1;
    ix->seen_cap = cap;
    if (ix->seen_doc[id] == doc)
        for (size_t k = first; k < ix->npairs; k++)
            if (ix->pairs[k].id == id) {
                ix->pairs[k].tf += (int64_t)tf;
                return 1;
            }
    ix->seen_doc[id] = doc;
    return 0;
}

static int by_term_id(const void *a, const void *b);

/* Packs the pairs p[0, n) (one a term) into b, the doc_vector form. */
static int pack_vector(bg_buf *b, bg_term_tf *p, size_t n)
{
    unsigned char v[2 * BG_VARINT_MAX];
    int64_t prev = 0;
    b->len = 0;
    if (bg_buf_reserve(b, n * 3 + 1))
        return BG_ENOMEM;
    if (n > 1)
        qsort(p, n, sizeof *p, by_term_id);
    for (size_t i = 0; i < n; i++) {
        size_t k = bg_varint_put((uint64_t)(p[i].id - prev), v);
        k += bg_varint_put((uint64_t)p[i].tf, v + k);
        if (bg_buf_add(b, v, k))
            return BG_ENOMEM;
        prev = p[i].id;
    }
    return 0;
}

/* Writes document doc's doc_vector row from its pairs p[0, n)
 * (p unchanged; sorted in a copy). */
static int add_vector(bg_index *ix, int64_t doc, const bg_term_tf *p, size_t n,
                      bg_err *err)
{
    if (BG_RESERVE(ix->vec, ix->vec_cap, n + 1))
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    if (n)
        memcpy(ix->vec, p, n * sizeof *p);
    if (pack_vector(&ix->packed, ix->vec, n))
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    sqlite3_stmt *st = ix->st[ST_ADD_DOC_VECTOR];
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_blob(st, 2, ix->packed.data ? ix->packed.data : "",
                      (int)ix->packed.len, SQLITE_STATIC);
    return run(ix, st, err, "insert doc_vector");
}

int bg_index_add_terms(bg_index *ix, int64_t doc, const bg_counter *c,
                       bg_err *err)
{
    size_t first = ix->npairs;
    int rc = 0;
    ix->dist_of = NULL;
    if (BG_RESERVE(ix->pairs, ix->pairs_cap, ix->npairs + c->ndistinct + 1) ||
        BG_RESERVE(ix->dist_id, ix->dist_id_cap, c->ndistinct + 1) ||
        BG_RESERVE(ix->dist_flag, ix->dist_flag_cap, c->ndistinct + 1))
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    for (size_t i = 0; i < c->ndistinct && rc == 0; i++) {
        sqlite3_int64 id;
        const char *t = c->text.data + c->offs[i];
        int same;
        if ((rc = coarse_term_id(ix, t, &id, &same, err)))
            break;
        ix->dist_id[i] = id;
        ix->dist_flag[i] =
            (unsigned char)((strchr(t, '\t') ? DIST_CUT : 0) |
                            (same ? DIST_SAME : 0) |
                            (*t && !strchr(t, ' ') ? DIST_PLAIN : 0));
        int seen = seen_in_doc(ix, id, doc, first, c->counts[i]);
        if (seen < 0) /* (> 0: a second form of a term of this document) */
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
        else if (seen == 0)
            ix->pairs[ix->npairs++] = (bg_term_tf){id, (int64_t)c->counts[i]};
    }
    if (rc) {
        ix->npairs = first;
        return rc;
    }
    if (c->index)
        ix->dist_of = c;
    return add_vector(ix, doc, ix->pairs + first, ix->npairs - first, err);
}

/* The id of the rule row named name into *id, inserting it when new.
 * Returns 0, BG_ESQLITE or BG_ENOMEM. */
/* Keeps name -> id in ix->rule_ids (name copied). Returns 0 or BG_ENOMEM. */
static int remember_rule(bg_index *ix, const char *name, sqlite3_int64 id,
                         bg_err *err)
{
    char *k;
    if (BG_RESERVE(ix->rule_keys, ix->rule_keys_cap, ix->nrule_keys + 1) ||
        !(k = strdup(name)))
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    if (bg_strmap_put(&ix->rule_ids, k, (size_t)id)) {
        free(k);
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    }
    ix->rule_keys[ix->nrule_keys++] = k;
    return 0;
}

static int rule_id(bg_index *ix, const char *name, sqlite3_int64 *id,
                   bg_err *err)
{
    size_t v = bg_strmap_get(&ix->rule_ids, name, strlen(name));
    if (v != BG_STRMAP_ABSENT) {
        *id = (sqlite3_int64)v;
        return 0;
    }
    sqlite3_stmt *st = ix->st[ST_ADD_RULE];
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = run(ix, st, err, "insert rule");
    if (rc)
        return rc;
    st = ix->st[ST_GET_RULE];
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    *id = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (r != SQLITE_ROW)
        return db_err(ix, err, "rule");
    return remember_rule(ix, name, *id, err);
}

/* The id of the cue_rule row of cue q's rule, weight and context into
 * *id, inserting it when new (schema 14); kept in ix->rule_ids under the
 * key "\1RULE-ID WEIGHT CONTEXT" (the weight in C's %a, exact), which no
 * rule name is. Returns 0, BG_ESQLITE or BG_ENOMEM. */
static int cue_rule_id(bg_index *ix, const bg_cue_rec *q, sqlite3_int64 *id,
                       bg_err *err)
{
    sqlite3_int64 rule;
    int rc = rule_id(ix, q->rule, &rule, err);
    if (rc)
        return rc;
    char key[96];
    int n = snprintf(key, sizeof key, "\1%lld %a %d", (long long)rule,
                     q->weight, q->context);
    size_t v = bg_strmap_get(&ix->rule_ids, key, (size_t)n);
    if (v != BG_STRMAP_ABSENT) {
        *id = (sqlite3_int64)v;
        return 0;
    }
    for (int k = 0; k < 2 && rc == 0; k++) {
        sqlite3_stmt *st = ix->st[k ? ST_GET_CUE_RULE : ST_ADD_CUE_RULE];
        sqlite3_bind_int64(st, 1, rule);
        sqlite3_bind_double(st, 2, q->weight);
        sqlite3_bind_int(st, 3, q->context);
        if (k == 0) {
            rc = run(ix, st, err, "insert cue_rule");
            continue;
        }
        int r = sqlite3_step(st);
        *id = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (r != SQLITE_ROW)
            rc = db_err(ix, err, "cue_rule");
    }
    return rc ? rc : remember_rule(ix, key, *id, err);
}

/* Inserts label l of sentence row `sentence`; model: the learned layer's
 * probability, or NULL (a label of the rules alone). */
static int add_label(bg_index *ix, int64_t sentence, int64_t doc,
                     const bg_label *l, const char *phrase, const double *model,
                     bg_err *err)
{
    sqlite3_int64 rule;
    int rc = rule_id(ix, l->rule, &rule, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = ix->st[ST_ADD_LABEL];
    sqlite3_bind_int64(st, 1, sentence);
    sqlite3_bind_int64(st, 2, doc);
    sqlite3_bind_text(st, 3, bg_kind_name(l->kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, rule);
    sqlite3_bind_double(st, 5, l->score);
    if (phrase)
        sqlite3_bind_text(st, 6, phrase, -1, SQLITE_STATIC);
    if (model)
        sqlite3_bind_double(st, 7, *model);
    return run(ix, st, err, "insert extraction");
}

int bg_index_set_meta(bg_index *ix, const char *key, const char *value,
                      bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_SET_META];
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    return run(ix, st, err, "set meta");
}

/* ---- ingest metadata, duplicates, removal (issue 3) ---------------------
 * Statements run for every file stay prepared (ix->st); those of rare
 * commands (remove) are prepared per call. */

static int prep(bg_index *ix, const char *sql, sqlite3_stmt **st, bg_err *err)
{
    return bg_sql_prepare(ix->db, ix->path, sql, st, err);
}

int bg_index_source_unchanged(bg_index *ix, const char *path, const char *hash)
{
    sqlite3_stmt *st = ix->st[ST_UNCHANGED];
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    int same = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return same;
}

int bg_index_source_info(bg_index *ix, int64_t source, const char *hash,
                         const char *format, const char *encoding,
                         int confidence, const char *text, size_t text_len,
                         const char *warnings, bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_SOURCE_INFO];
    sqlite3_bind_int64(st, 1, source);
    bg_sql_bind_text(st, 2, hash);
    bg_sql_bind_text(st, 3, format);
    bg_sql_bind_text(st, 4, encoding);
    sqlite3_bind_int(st, 5, confidence);
    if (text)
        sqlite3_bind_text64(st, 6, text, text_len, SQLITE_STATIC, SQLITE_UTF8);
    bg_sql_bind_text(st, 7, warnings);
    return run(ix, st, err, "source info");
}

/* A document's metadata (strings may be NULL; year 0: unknown); norm_hash
 * the hex hash of its normalised text, minhash its MinHash signature
 * (minhash_len bytes), dup_of the document it duplicates (0: none), genre
 * the extractor's (NULL: none). */
typedef struct doc_meta {
    const char *author, *org, *date, *meta, *norm_hash;
    int year;
    const void *minhash;
    size_t minhash_len;
    int64_t dup_of;
    const char *genre;
} doc_meta;

static int document_meta(bg_index *ix, int64_t doc, const doc_meta *m,
                         bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_DOC_META];
    sqlite3_bind_int64(st, 1, doc);
    bg_sql_bind_text(st, 2, m->author);
    bg_sql_bind_text(st, 3, m->org);
    bg_sql_bind_text(st, 4, m->date);
    if (m->year)
        sqlite3_bind_int(st, 5, m->year);
    bg_sql_bind_text(st, 6, m->meta);
    bg_sql_bind_text(st, 7, m->norm_hash);
    if (m->minhash)
        sqlite3_bind_blob(st, 8, m->minhash, (int)m->minhash_len,
                          SQLITE_TRANSIENT);
    if (m->dup_of)
        sqlite3_bind_int64(st, 9, m->dup_of);
    bg_sql_bind_text(st, 10, m->genre);
    return run(ix, st, err, "document meta");
}

/* The stored original whose analysis form has norm_hash (not self) into
 * *out, 0 when none. Returns 0 or BG_ESQLITE (a failed look-up is no
 * "none": the document would be stored as an original). */
static int find_duplicate(bg_index *ix, const char *norm_hash, int64_t self,
                          int64_t *out, bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_FIND_DUP];
    sqlite3_bind_text(st, 1, norm_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, self);
    int r = sqlite3_step(st);
    *out = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    int rc = r == SQLITE_ROW || r == SQLITE_DONE
                 ? 0
                 : db_err(ix, err, "find duplicate");
    sqlite3_reset(st);
    return rc;
}

static int adopt_duplicates(bg_index *ix, int64_t doc, const char *norm_hash,
                            bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_ADOPT_DUPS];
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_text(st, 2, norm_hash, -1, SQLITE_STATIC);
    return run(ix, st, err, "adopt duplicates");
}

int bg_index_remove(bg_index *ix, const char *what, size_t *n_sources,
                    size_t *n_docs, bg_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    char *end;
    long long id = strtoll(what, &end, 10);
    *n_sources = *n_docs = 0;
    if ((rc = bg_index_begin(ix, err)))
        return rc;
    rc = fts_sync(ix, err); /* (failing: the unit is undone below) */
    if (rc == 0 && *what && !*end && id > 0) {
        rc = prep(ix, "DELETE FROM document WHERE id = ?1", &st, err);
        if (!rc) {
            sqlite3_bind_int64(st, 1, id);
            rc =
                sqlite3_step(st) == SQLITE_DONE ? 0 : db_err(ix, err, "remove");
            *n_docs = (size_t)sqlite3_changes(ix->db);
        }
    } else if (rc == 0) {
        /* the path itself, or every source under it as a directory */
        size_t n = strlen(what);
        while (n > 1 && what[n - 1] == '/')
            n--;
        rc = prep(ix,
                  "SELECT count(*), (SELECT count(*) FROM document d WHERE "
                  "d.source_id IN (SELECT id FROM source WHERE path = ?1 OR "
                  "substr(path, 1, length(?1) + 1) = ?1 || '/')) FROM source "
                  "WHERE path = ?1 OR substr(path, 1, length(?1) + 1) = ?1 || "
                  "'/'",
                  &st, err);
        if (!rc) {
            sqlite3_bind_text(st, 1, what, (int)n, SQLITE_TRANSIENT);
            if (sqlite3_step(st) == SQLITE_ROW) {
                *n_sources = (size_t)sqlite3_column_int64(st, 0);
                *n_docs = (size_t)sqlite3_column_int64(st, 1);
            } else {
                rc = db_err(ix, err, "remove");
            }
            sqlite3_finalize(st);
            st = NULL;
        }
        if (!rc) {
            rc = prep(ix,
                      "DELETE FROM source WHERE path = ?1 OR substr(path, 1, "
                      "length(?1) + 1) = ?1 || '/'",
                      &st, err);
        }
        if (!rc) {
            sqlite3_bind_text(st, 1, what, (int)n, SQLITE_TRANSIENT);
            rc =
                sqlite3_step(st) == SQLITE_DONE ? 0 : db_err(ix, err, "remove");
        }
    }
    sqlite3_finalize(st);
    if (rc) {
        bg_index_rollback(ix);
        return rc;
    }
    return bg_index_commit(ix, err);
}

int bg_index_set_terms(bg_index *ix, int64_t sentence, const char *terms,
                       bg_err *err)
{
    int rc = 0;
    if (ix->fts_synced < ix->nfts && (rc = fts_sync(ix, err)))
        return rc;
    if ((rc = pack_terms(ix, terms, err)))
        return rc;
    sqlite3_stmt *st = ix->st[ST_SET_TERMS];
    sqlite3_bind_int64(st, 1, sentence);
    sqlite3_bind_blob(st, 2, ix->packed_terms.data ? ix->packed_terms.data : "",
                      (int)ix->packed_terms.len, SQLITE_STATIC);
    return run(ix, st, err, "update terms");
}

int bg_index_clear_terms(bg_index *ix, int64_t doc, bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_CLEAR_TERMS];
    sqlite3_bind_int64(st, 1, doc);
    return run(ix, st, err, "delete doc_vector");
}

int bg_index_get_meta(bg_index *ix, const char *key, char **out, bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_GET_META];
    int rc = 0;
    *out = NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (v && !(*out = strdup(v)))
            rc = bg_err_set(err, BG_ENOMEM, "meta: out of memory");
    } else if (r != SQLITE_DONE)
        rc = db_err(ix, err, "get meta");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* A sentence of the document whose labels are stored: seq, start (file
 * offset) and display text, what a cue found in an earlier sentence than
 * its label's is checked against (cue_back). */
typedef struct doc_sentence {
    int64_t seq;
    size_t start;
    const char *text;
} doc_sentence;

/* The sentence a label is stored for: its row, display text and start
 * (file offsets), what a clause is checked against (add_detail); and the
 * document's sentences all[0, at) before it (all NULL: not known). */
typedef struct label_sentence {
    int64_t id, doc;
    const char *text; /* NULL: unknown (the clause is stored) */
    size_t start;
    const doc_sentence *all;
    size_t at; /* all[at] is this sentence */
} label_sentence;

/* Whether clause, at [cs, ce) of the file, is the bytes of the sentence's
 * text at [cs - start, ce - start): then readers take it from there
 * (index.h) and extraction_detail.clause (extraction_cue.text) stays
 * NULL. */
static int clause_in_text(const label_sentence *ls, const char *clause,
                          size_t cs, size_t ce)
{
    if (!ls->text || cs < ls->start || ce < cs)
        return 0;
    size_t n = strlen(clause), len = strlen(ls->text), at = cs - ls->start;
    return n == ce - cs && at <= len && n <= len - at &&
           memcmp(ls->text + at, clause, n) == 0;
}

static int add_detail(bg_index *ix, int64_t extraction,
                      const label_sentence *ls, const char *clause,
                      size_t clause_start, size_t clause_end,
                      const char *context, const char *category,
                      const char *actor, const char *horizon, const char *mode,
                      const bg_buf *cues, bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_ADD_DETAIL];
    sqlite3_bind_int64(st, 1, extraction);
    if (clause) {
        sqlite3_bind_int64(st, 2, (sqlite3_int64)clause_start);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)clause_end);
        if (!clause_in_text(ls, clause, clause_start, clause_end))
            sqlite3_bind_text(st, 4, clause, -1, SQLITE_STATIC);
    }
    bg_sql_bind_text(st, 5, context);
    bg_sql_bind_text(st, 6, category);
    bg_sql_bind_text(st, 7, actor);
    bg_sql_bind_text(st, 8, horizon);
    bg_sql_bind_text(st, 9, mode);
    if (cues->len)
        sqlite3_bind_text(st, 10, cues->data, (int)cues->len, SQLITE_STATIC);
    return run(ix, st, err, "insert extraction_detail");
}

/* Schema 12: a cue found in an earlier sentence of the document (the
 * heading or lead a context cue cites) whose text holds the cue's bytes at
 * its place: *back gets the label's seq minus that sentence's (readers
 * take the text from there, index.h). The sentence is the last one before
 * the label's starting at or before the cue (sentences lie in file order).
 * Returns 1 when found, else 0 (the text is stored). */
static int cue_back(const label_sentence *ls, const bg_cue_rec *q,
                    int64_t *back)
{
    if (!ls->all || !q->text)
        return 0;
    size_t lo = 0, hi = ls->at;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ls->all[mid].start <= q->start)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    const doc_sentence *x = &ls->all[lo - 1];
    label_sentence in = {0, 0, x->text, x->start, NULL, 0};
    if (!clause_in_text(&in, q->text, q->start, q->end))
        return 0;
    *back = ls->all[ls->at].seq - x->seq;
    return *back > 0;
}

/* Appends s as a JSON string to b (", \\ and control bytes escaped, the
 * rest as it is). Returns 0 or BG_ENOMEM. */
static int json_string(bg_buf *b, const char *s)
{
    int oom = bg_buf_add(b, "\"", 1);
    for (; *s && !oom; s++) {
        unsigned char c = (unsigned char)*s;
        char e[8];
        if (c == '"' || c == '\\')
            oom = bg_buf_add(b, (char[]){'\\', (char)c}, 2);
        else if (c < 0x20)
            oom = bg_buf_add(b, e, (size_t)snprintf(e, sizeof e, "\\u%04x", c));
        else
            oom = bg_buf_add(b, s, 1);
    }
    return oom || bg_buf_add(b, "\"", 1) ? BG_ENOMEM : 0;
}

/* Appends cue q of the label of sentence ls to b, the label's cues as
 * extraction_detail.cues holds them (schema 14, index.h): "[" before the
 * first, then [cue_rule id, start minus the sentence's start, end minus
 * start], with back (cue_back, schema 12) and, when its text is neither
 * the sentence's bytes at its place nor an earlier sentence's, 0 and the
 * text. BG_EDATA when the label's sentence is unknown (its start is what
 * the offsets count from). */
static int add_cue(bg_index *ix, bg_buf *b, const label_sentence *ls,
                   const bg_cue_rec *q, bg_err *err)
{
    sqlite3_int64 rule;
    if (!ls->text)
        return bg_err_set(err, BG_EDATA,
                          "%s: label of sentence %lld: the sentence is not "
                          "one of document %lld's",
                          ix->path, (long long)ls->id, (long long)ls->doc);
    int rc = cue_rule_id(ix, q, &rule, err);
    if (rc)
        return rc;
    char v[96];
    int64_t back = 0;
    int n =
        snprintf(v, sizeof v, "%s[%lld,%lld,%lld", b->len ? "," : "[",
                 (long long)rule, (long long)q->start - (long long)ls->start,
                 (long long)q->end - (long long)q->start);
    int oom = bg_buf_add(b, v, (size_t)n);
    if (oom || clause_in_text(ls, q->text, q->start, q->end))
        ;
    else if (cue_back(ls, q, &back))
        oom = bg_buf_add(
            b, v, (size_t)snprintf(v, sizeof v, ",%lld", (long long)back));
    else
        oom = bg_buf_add(b, ",0,", 3) || json_string(b, q->text ? q->text : "");
    if (oom || bg_buf_add(b, "]", 1))
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    return 0;
}

static int add_clause(bg_index *ix, int64_t extraction, size_t seq,
                      const bg_clause_rec *c, bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_ADD_CLAUSE];
    sqlite3_bind_int64(st, 1, extraction);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)c->start);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)c->end);
    bg_sql_bind_text(st, 5, c->category);
    bg_sql_bind_text(st, 6, c->text);
    sqlite3_bind_int(st, 7, c->generic != 0);
    return run(ix, st, err, "insert extraction_clause");
}

/* ---- documents and labels: the one writer of a record ------------------- */

int bg_index_sentence_flags(const bg_sentence *s)
{
    return (int)(s->line_start | s->line_end << 1 | s->terminated << 2 |
                 s->title << 3 | s->repeat << 4);
}

/* Whether cue q is the learned layer's, "model.KIND" (extract.h: no rule
 * id begins with "model."). */
static int model_cue(const bg_cue_rec *q)
{
    return strncmp(q->rule, "model.", 6) == 0;
}

/* Stores the labels l[0, n) of sentence ls with their details and cues;
 * the model's cue is the label's column model (schema 8), not a cue row,
 * and the other cues are numbered from 1. */
static int store_labels(bg_index *ix, const label_sentence *ls,
                        const bg_label_rec *l, size_t n, bg_err *err)
{
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        const bg_label_rec *x = &l[k];
        const double *model = NULL;
        for (size_t c = 0; c < x->ncues && !model; c++)
            if (model_cue(&x->cues[c]))
                model = &x->cues[c].weight;
        if ((rc = add_label(ix, ls->id, ls->doc, &x->l, x->phrase, model, err)))
            break;
        int64_t id = sqlite3_last_insert_rowid(ix->db);
        ix->cues.len = 0;
        for (size_t c = 0; c < x->ncues && rc == 0; c++)
            if (!model_cue(&x->cues[c]))
                rc = add_cue(ix, &ix->cues, ls, &x->cues[c], err);
        if (rc == 0 && ix->cues.len && bg_buf_add(&ix->cues, "]", 1))
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
        if (rc == 0)
            rc = add_detail(ix, id, ls, x->clause, x->clause_start,
                            x->clause_end, x->l.context, x->l.category,
                            x->actor, x->horizon, x->l.mode, &ix->cues, err);
        for (size_t c = 0; c < x->nclauses && rc == 0; c++)
            rc = add_clause(ix, id, c + 1, &x->clauses[c], err);
    }
    return rc;
}

int bg_index_store_document(bg_index *ix, int64_t source, int seq,
                            const bg_doc_rec *r, int *duplicate, bg_err *err)
{
    const bg_docspan *d = r->d;
    int64_t doc;
    int rc;
    *duplicate = 0;
    if ((rc = add_document(ix, source, seq, d->start, d->end, r->title, &doc,
                           err)))
        return rc;
    doc_meta m = {d->author, d->org, d->date,       d->meta, r->hash,
                  d->year,   r->sig, sizeof r->sig, 0,       r->genre};
    if (!r->empty && (rc = find_duplicate(ix, r->hash, doc, &m.dup_of, err)))
        return rc;
    if ((rc = document_meta(ix, doc, &m, err)))
        return rc;
    if (m.dup_of) {
        *duplicate = 1;
        return 0;
    }
    /* the terms first: the sentences refer to their ids */
    rc = bg_index_add_terms(ix, doc, &r->counter, err);
    /* the sentences, for the cues found in an earlier one (cue_back) */
    if (rc == 0 && BG_RESERVE(ix->dsent, ix->dsent_cap, r->ns + 1))
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
    for (size_t i = 0; i < r->ns && rc == 0; i++)
        ix->dsent[i] =
            (doc_sentence){(int64_t)i + 1, r->sv[i].s.start, r->sv[i].text};
    for (size_t i = 0; i < r->ns && rc == 0; i++) {
        const bg_sent_rec *s = &r->sv[i];
        int64_t sid;
        if ((rc = add_sentence(ix, doc, (int)i + 1, s, &r->counter, &sid,
                               err)) == 0) {
            label_sentence ls = {sid, doc, s->text, s->s.start, ix->dsent, i};
            rc = store_labels(ix, &ls, s->labels, s->nlabels, err);
        }
    }
    ix->dist_of = NULL;
    if (rc == 0)
        rc = bg_index_finish_document(ix, doc, r->ns, r->ntokens, err);
    if (rc == 0 && r->ns && !r->empty)
        rc = adopt_duplicates(ix, doc, r->hash, err);
    if (rc == 0)
        rc = unit_bound(ix, err);
    return rc;
}

int bg_index_replace_labels(bg_index *ix, int64_t doc, const char *genre,
                            const int64_t *sids, const bg_sent_rec *sv,
                            size_t ns, bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_CLEAR_LABELS], *text = NULL;
    sqlite3_bind_int64(st, 1, doc);
    int rc = run(ix, st, err, "delete extraction");
    if (rc == 0) {
        st = ix->st[ST_SET_GENRE];
        sqlite3_bind_int64(st, 1, doc);
        bg_sql_bind_text(st, 2, genre);
        rc = run(ix, st, err, "document genre");
    }
    /* the document's stored sentences: each label's, and the earlier ones
     * its cues may cite (cue_back) */
    int64_t *ids = NULL;
    size_t n = 0, cap = 0, *off = NULL, ocap = 0;
    bg_buf texts = {0};
    int r = SQLITE_DONE;
    if (rc == 0)
        rc = prep(ix,
                  "SELECT id, seq, start, text FROM sentence WHERE doc_id = "
                  "?1 ORDER BY seq",
                  &text, err);
    if (rc == 0)
        sqlite3_bind_int64(text, 1, doc);
    while (rc == 0 && (r = sqlite3_step(text)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(text, 3);
        if (BG_RESERVE(ids, cap, n + 1) || BG_RESERVE(off, ocap, n + 1) ||
            BG_RESERVE(ix->dsent, ix->dsent_cap, n + 1) ||
            bg_buf_add(&texts, t ? t : "", strlen(t ? t : "") + 1)) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
            break;
        }
        ids[n] = sqlite3_column_int64(text, 0);
        ix->dsent[n] =
            (doc_sentence){sqlite3_column_int64(text, 1),
                           (size_t)sqlite3_column_int64(text, 2), NULL};
        off[n++] = texts.len - strlen(t ? t : "") - 1;
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = db_err(ix, err, "sentences");
    for (size_t k = 0; k < n; k++)
        ix->dsent[k].text = texts.data + off[k];
    for (size_t i = 0, k = 0; i < ns && rc == 0; i++) {
        label_sentence ls = {sids[i], doc, NULL, 0, NULL, 0};
        /* (the labels come in sentence order: the search goes on from the
         * last one, round once) */
        for (size_t j = 0; j < n; j++, k = (k + 1) % n)
            if (ids[k] == sids[i]) {
                ls = (label_sentence){sids[i],           doc,
                                      ix->dsent[k].text, ix->dsent[k].start,
                                      ix->dsent,         k};
                break;
            }
        rc = store_labels(ix, &ls, sv[i].labels, sv[i].nlabels, err);
    }
    sqlite3_finalize(text);
    free(ids);
    free(off);
    bg_buf_free(&texts);
    return rc;
}

/* ---- what the writing commands read back -------------------------------- */

void bg_index_sources_free(bg_stored_source *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].path);
    free(v);
}

int bg_index_sources(bg_index *ix, int64_t doc, bg_stored_source **out,
                     size_t *n, bg_err *err)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    int r, rc = prep(ix,
                     "SELECT id, path FROM source WHERE ?1 = 0 OR id = (SELECT "
                     "source_id FROM document WHERE id = ?1) ORDER BY id",
                     &st, err);
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, doc);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(st, 1);
        if (BG_RESERVE(*out, cap, *n + 1) ||
            !((*out)[*n].path = strdup(p ? p : ""))) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
            break;
        }
        (*out)[(*n)++].id = sqlite3_column_int64(st, 0);
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = db_err(ix, err, "sources");
    sqlite3_finalize(st);
    if (rc) {
        bg_index_sources_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int bg_index_source_text(bg_index *ix, int64_t source, char **text, size_t *len,
                         bg_repairs *rp, bg_err *err)
{
    sqlite3_stmt *st;
    int r, rc = prep(ix, "SELECT path, hash, text FROM source WHERE id = ?1",
                     &st, err);
    *text = NULL;
    *len = 0;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, source);
    if ((r = sqlite3_step(st)) != SQLITE_ROW) {
        rc = r == SQLITE_DONE
                 ? bg_err_set(err, BG_ENOTFOUND, "%s: no source %lld", ix->path,
                              (long long)source)
                 : db_err(ix, err, "source text");
        goto done;
    }
    const char *path = (const char *)sqlite3_column_text(st, 0);
    const char *hash = (const char *)sqlite3_column_text(st, 1);
    if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
        /* decoded or extracted: the text ingest kept */
        size_t n = (size_t)sqlite3_column_bytes(st, 2);
        if (!(*text = malloc(n + 1))) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
            goto done;
        }
        memcpy(*text, sqlite3_column_blob(st, 2), n);
        (*text)[n] = '\0';
        *len = n;
    } else if ((rc = bg_read_file(path ? path : "", text, len, err)) == 0) {
        /* the file is the text: it must be the file ingest read */
        char now[17];
        snprintf(now, sizeof now, "%016llx",
                 (unsigned long long)bg_hash(*text, *len, BG_HASH_INIT));
        if (!hash || strcmp(hash, now) != 0)
            rc = bg_err_set(err, BG_EDATA,
                            "%s: changed since it was ingested; ingest it "
                            "again",
                            path);
    }
done:
    sqlite3_finalize(st);
    if (rc == 0)
        rc = bg_sql_repairs(ix->db, ix->path, source, 0, INT64_MAX, rp, err);
    return rc;
}

int bg_index_documents(bg_index *ix, int64_t source, int64_t doc, int sentences,
                       bg_stored_doc **out, size_t *n, bg_err *err)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    int r, rc = prep(ix,
                     "SELECT d.id, d.start, d.end FROM document d WHERE (?1 = "
                     "0 OR d.source_id = ?1) AND (?2 = 0 OR d.id = ?2) AND (?3 "
                     "= 0 OR EXISTS (SELECT 1 FROM sentence s WHERE s.doc_id "
                     "= d.id)) ORDER BY CASE WHEN ?1 = 0 THEN d.id ELSE d.seq "
                     "END",
                     &st, err);
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, source);
    sqlite3_bind_int64(st, 2, doc);
    sqlite3_bind_int(st, 3, sentences);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (BG_RESERVE(*out, cap, *n + 1)) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
            break;
        }
        bg_stored_doc *x = &(*out)[(*n)++];
        x->id = sqlite3_column_int64(st, 0);
        x->start = (size_t)sqlite3_column_int64(st, 1);
        x->end = (size_t)sqlite3_column_int64(st, 2);
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = db_err(ix, err, "documents");
    sqlite3_finalize(st);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int bg_index_each_sentence(bg_index *ix, int64_t doc, bg_stored_sentence_cb cb,
                           void *payload, bg_err *err)
{
    sqlite3_stmt *st = NULL;
    bg_buf b = {0};
    int r = SQLITE_DONE,
        rc = prep(ix,
                  "SELECT id, start, end, line, outline, seq, flags, "
                  "marker, text, norm_edit FROM sentence WHERE doc_id = ?1 "
                  "ORDER BY seq",
                  &st, err);
    if (rc)
        goto cleanup;
    sqlite3_bind_int64(st, 1, doc);
    while (rc == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
        bg_stored_sentence x;
        memset(&x, 0, sizeof x);
        x.id = sqlite3_column_int64(st, 0);
        x.s.start = (size_t)sqlite3_column_int64(st, 1);
        x.s.end = (size_t)sqlite3_column_int64(st, 2);
        x.s.line = (size_t)sqlite3_column_int64(st, 3);
        x.s.outline = sqlite3_column_int(st, 4);
        /* the analysis form: the text with its edits (schema 11) */
        const char *t = (const char *)sqlite3_column_text(st, 8);
        size_t tn = (size_t)sqlite3_column_bytes(st, 8);
        b.len = 0;
        int e =
            bg_edits_apply(t ? t : "", t ? tn : 0, sqlite3_column_blob(st, 9),
                           (size_t)sqlite3_column_bytes(st, 9), &b);
        if (e == 0 && bg_buf_reserve(&b, 0))
            e = BG_ENOMEM;
        if (e == BG_ENOMEM) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", ix->path);
            break;
        }
        if (e) {
            rc = bg_err_set(err, BG_EDATA,
                            "%s: document %lld: sentence %lld: its "
                            "norm_edit is damaged (a damaged database; "
                            "ingest the file again)",
                            ix->path, (long long)doc, (long long)x.id);
            break;
        }
        x.norm = b.data;
        x.norm_len = b.len;
        x.props = sqlite3_column_type(st, 6) != SQLITE_NULL;
        int f = sqlite3_column_int(st, 6);
        x.s.line_start = (unsigned)f & 1;
        x.s.line_end = (unsigned)(f >> 1) & 1;
        x.s.terminated = (unsigned)(f >> 2) & 1;
        x.s.title = (unsigned)(f >> 3) & 1;
        x.s.repeat = (unsigned)(f >> 4) & 1;
        x.s.marker_end = (size_t)sqlite3_column_int64(st, 7);
        rc = cb(&x, payload);
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = db_err(ix, err, "sentences");
cleanup:
    sqlite3_finalize(st);
    bg_buf_free(&b);
    return rc;
}

int bg_index_count_labels(bg_index *ix, int64_t *out, bg_err *err)
{
    return bg_sql_int(ix->db, ix->path, "SELECT COUNT(*) FROM extraction", out,
                      err);
}

void bg_index_progress(bg_index *ix, int every, int (*cb)(void *), void *arg)
{
    sqlite3_progress_handler(ix->db, every, cb, arg);
}

int bg_index_add_repairs(bg_index *ix, int64_t source, const bg_repairs *r,
                         bg_err *err)
{
    sqlite3_stmt *st = ix->st[ST_ADD_REPAIR];
    int rc = 0;
    for (size_t i = 0; r && i < r->n && rc == 0; i++) {
        const bg_repair *x = &r->v[i];
        sqlite3_bind_int64(st, 1, source);
        sqlite3_bind_text(st, 2, bg_repair_name(x->kind), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)x->start);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)x->end);
        if (x->with_len)
            sqlite3_bind_text(st, 5, r->with.data + x->with_off,
                              (int)x->with_len, SQLITE_STATIC);
        rc = run(ix, st, err, "insert repair");
    }
    return rc;
}
