#!/usr/bin/env python3
"""schema10.py DB: turns a database of this baogao back into the layout of
schema 10 in what schemas 11 to 15 changed, for the tests of the steps
that bring an older database up (tests/bulk_test.sh; tests/schema8.py runs
it first): each document's analysis forms are in document_norm again, one
a line (schema 11 keeps them as sentence.norm_edit, bg_norm in
tests/bgterms.py), every cue whose text schema 12 takes from an earlier
sentence (extraction_cue.back) holds it again, doc_term is a table
again with its trigger doc_term_ad (schema 13 makes it a view of
doc_vector), and so is extraction_cue (schema 14 packs a label's cues in
extraction_detail.cues, cue_rule), and extraction.kind is a stored word
again (schema 15 stores kind_code and generates kind). Sets schema_version
to 10."""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bgterms  # noqa: E402


def undo_13(con):
    """The schema 13 step undone on con: the doc_term view's rows (read in
    plain SQL) put in a doc_term table again, with schema 12's trigger."""
    rows = con.execute("SELECT doc_id, term_id, tf FROM doc_term").fetchall()
    con.executescript("""
DROP VIEW doc_term; DROP TRIGGER doc_vector_ad;
CREATE TABLE doc_term(
  doc_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
  term_id INTEGER NOT NULL REFERENCES term(id),
  tf INTEGER NOT NULL, PRIMARY KEY(doc_id, term_id)) WITHOUT ROWID;
CREATE TRIGGER doc_term_ad AFTER DELETE ON doc_term BEGIN
  UPDATE term SET freq = freq - old.tf, df = df - 1 WHERE id = old.term_id;
END;
""")
    con.executemany("INSERT INTO doc_term VALUES (?1, ?2, ?3)", rows)


def undo_14(con):
    """The schema 14 step undone on con: the extraction_cue view's rows (read
    in plain SQL) put in schema 12's table again; extraction_detail.cues and
    cue_rule dropped."""
    rows = con.execute("SELECT * FROM extraction_cue").fetchall()
    con.executescript("""
DROP VIEW extraction_cue;
CREATE TABLE extraction_cue(
  extraction_id INTEGER NOT NULL REFERENCES extraction(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, rule_id INTEGER NOT NULL REFERENCES rule(id),
  weight REAL NOT NULL, context INTEGER NOT NULL, start INTEGER NOT NULL,
  end INTEGER NOT NULL, text TEXT, back INTEGER,
  PRIMARY KEY(extraction_id, seq)) WITHOUT ROWID;
ALTER TABLE extraction_detail DROP COLUMN cues;
DROP TABLE cue_rule;
""")
    con.executemany("INSERT INTO extraction_cue VALUES (?1, ?2, ?3, ?4, ?5, "
                    "?6, ?7, ?8, ?9)", rows)


def undo_15(con):
    """The schema 15 step undone on con: extraction.kind a stored word again
    (its index and extraction_view made again over it), no kind_code."""
    view = con.execute("SELECT sql FROM sqlite_master WHERE name = "
                       "'extraction_view'").fetchone()[0]
    con.executescript("""
DROP VIEW extraction_view; DROP INDEX extraction_kind;
ALTER TABLE extraction DROP COLUMN kind;
ALTER TABLE extraction ADD COLUMN kind TEXT NOT NULL DEFAULT '';
UPDATE extraction SET kind = CASE kind_code WHEN 0 THEN 'theme'
  WHEN 1 THEN 'problem' WHEN 2 THEN 'commitment' END;
ALTER TABLE extraction DROP COLUMN kind_code;
CREATE INDEX extraction_kind ON extraction(kind, doc_id);
""")
    con.executescript(view + ";")


def undo_11_12(con):
    """The schema 11 to 15 steps undone on con (bgterms registered)."""
    undo_15(con)
    undo_14(con)
    undo_13(con)
    norms = {}
    for d, n in con.execute("SELECT doc_id, bg_norm(text, norm_edit) FROM "
                            "sentence ORDER BY doc_id, seq"):
        norms.setdefault(d, []).append(n)
    con.execute("CREATE TABLE document_norm(doc_id INTEGER PRIMARY KEY "
                "REFERENCES document(id) ON DELETE CASCADE, norm TEXT NOT "
                "NULL)")
    con.executemany("INSERT INTO document_norm VALUES (?1, ?2)",
                    [(d, "\n".join(v)) for d, v in norms.items()])
    con.execute("ALTER TABLE sentence DROP COLUMN norm_edit")
    con.execute("""UPDATE extraction_cue AS c SET text = (SELECT CAST(substr(
      CAST(x.text AS BLOB), c.start - x.start + 1, c.end - c.start) AS TEXT)
      FROM extraction e JOIN sentence s ON s.id = e.sentence_id JOIN sentence
      x ON x.doc_id = s.doc_id AND x.seq = s.seq - c.back
      WHERE e.id = c.extraction_id) WHERE back IS NOT NULL""")
    con.execute("ALTER TABLE extraction_cue DROP COLUMN back")


if __name__ == "__main__":
    con = bgterms.register(sqlite3.connect(sys.argv[1]))
    undo_11_12(con)
    con.execute("UPDATE meta SET value = '10' WHERE key = 'schema_version'")
    con.commit()
