#!/usr/bin/env python3
"""schema8.py DB: turns a database of this baogao back into the layout of
schema 8 in what schemas 9 to 15 changed (those of 11 to 15 by
tests/schema10.py), for the tests of the steps that bring an
older database up (tests/bulk_test.sh, tests/granularity_test.sh; run it
before tests/schema6.sql): sentence.terms holds each sentence's terms text
again (decoded by tests/bgterms.py), and sentence_fts is the external-content
FTS5 table over it with schema 8's triggers, and doc_term has its index by
term (doc_term_term, dropped by schema 10), and each document's analysis
forms are in document_norm again, one a line (schema 11 keeps them as
sentence.norm_edit, bg_norm in tests/bgterms.py), and every cue whose text
schema 12 takes from an earlier sentence (extraction_cue.back) holds it
again. Sets schema_version to 8."""
import sqlite3
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
import bgterms  # noqa: E402
import schema10  # noqa: E402

con = bgterms.register(sqlite3.connect(sys.argv[1]))
con.executescript("""
DROP TRIGGER IF EXISTS sentence_au; DROP TRIGGER IF EXISTS sentence_ad;
DROP TABLE IF EXISTS sentence_fts;
""")
schema10.undo_11_12(con)  # schema 10 first
rows = con.execute("SELECT id, bg_terms(terms) FROM sentence").fetchall()
con.executemany("UPDATE sentence SET terms = ?2 WHERE id = ?1", rows)
con.executescript("""
CREATE VIRTUAL TABLE sentence_fts USING fts5(
  terms, content='sentence', content_rowid='id',
  tokenize="unicode61 remove_diacritics 0 tokenchars '.'");
INSERT INTO sentence_fts(sentence_fts) VALUES ('rebuild');
CREATE TRIGGER sentence_au AFTER UPDATE OF terms ON sentence BEGIN
  INSERT INTO sentence_fts(sentence_fts, rowid, terms)
  VALUES ('delete', old.id, old.terms);
  INSERT INTO sentence_fts(rowid, terms) VALUES (new.id, new.terms);
END;
CREATE TRIGGER sentence_ad AFTER DELETE ON sentence BEGIN
  INSERT INTO sentence_fts(sentence_fts, rowid, terms)
  VALUES ('delete', old.id, old.terms);
END;
CREATE INDEX IF NOT EXISTS doc_term_term ON doc_term(term_id, tf);
UPDATE meta SET value = '8' WHERE key = 'schema_version';
""")
con.commit()
