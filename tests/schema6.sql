-- schema6.sql: turns a database of this baogao back into the layout of
-- schema 6 and before in what schemas 7 and 8 changed, for the tests of
-- the steps that bring an older database up (tests/bulk_test.sh,
-- tests/granularity_test.sh): labels and cues name their rule as text
-- (no table rule) and every cue holds its text, each label with a model's probability has its cue
-- model.KIND again (after its context cue, before the others: where the
-- extract stage puts it), sentence.norm again holds each sentence's
-- analysis form (line seq of document_norm), and extraction_cue is a rowid
-- table with its index extraction_cue_x, rows in (extraction_id, seq)
-- order. The caller sets meta's schema_version (and drops doc_vector,
-- which schema 7 added, when it wants it made again). Run it in the
-- sqlite3 shell (foreign keys off: the tables are made again).
CREATE TABLE extraction_7(
  id INTEGER PRIMARY KEY,
  sentence_id INTEGER NOT NULL REFERENCES sentence(id) ON DELETE CASCADE,
  doc_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK(kind = 'theme' OR kind = 'problem' OR kind = 'commitment'),
  rule TEXT NOT NULL, score REAL NOT NULL, phrase TEXT);
INSERT INTO extraction_7 SELECT e.id, e.sentence_id, e.doc_id, e.kind, r.name,
  e.score, e.phrase FROM extraction e JOIN rule r ON r.id = e.rule_id;
CREATE TEMP TABLE cue_7 AS
  SELECT c.extraction_id AS extraction_id, c.seq AS at, r.name AS rule,
         c.weight AS weight, c.context AS context, c.start AS start,
         c.end AS end, COALESCE(c.text, CAST(substr(CAST(s.text AS BLOB),
         c.start - s.start + 1, c.end - c.start) AS TEXT)) AS text
  FROM extraction_cue c JOIN rule r ON r.id = c.rule_id
  JOIN extraction e ON e.id = c.extraction_id
  JOIN sentence s ON s.id = e.sentence_id
  UNION ALL
  SELECT e.id, (SELECT COUNT(*) FROM extraction_cue c WHERE c.extraction_id =
         e.id AND c.context = 1) + 0.5, 'model.' || e.kind, e.model, 0,
         s.start, s.start, ''
  FROM extraction e JOIN sentence s ON s.id = e.sentence_id
  WHERE e.model IS NOT NULL;
DROP VIEW extraction_view;
DROP TABLE extraction_cue;
DROP TABLE extraction;
ALTER TABLE extraction_7 RENAME TO extraction;
CREATE INDEX extraction_kind ON extraction(kind, doc_id);
CREATE INDEX extraction_sentence ON extraction(sentence_id);
CREATE INDEX extraction_doc ON extraction(doc_id);
CREATE VIEW extraction_view AS
  SELECT e.kind, e.doc_id, d.title, src.path AS file, s.start, s.end,
         s.text, e.rule, e.phrase
  FROM extraction e JOIN sentence s ON s.id = e.sentence_id
  JOIN document d ON d.id = e.doc_id JOIN source src ON src.id = d.source_id;
CREATE TABLE extraction_cue(
  extraction_id INTEGER NOT NULL REFERENCES extraction(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, rule TEXT NOT NULL, weight REAL NOT NULL,
  context INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
  text TEXT NOT NULL, PRIMARY KEY(extraction_id, seq)) WITHOUT ROWID;
INSERT INTO extraction_cue SELECT extraction_id,
  row_number() OVER (PARTITION BY extraction_id ORDER BY at), rule, weight,
  context, start, end, text FROM cue_7 ORDER BY extraction_id, at;
DROP TABLE rule;
ALTER TABLE sentence ADD COLUMN norm TEXT;
CREATE TEMP TABLE norm_line(doc_id, seq, line, PRIMARY KEY(doc_id, seq));
WITH RECURSIVE split(doc_id, seq, rest, line) AS (
  SELECT doc_id, 0, norm || char(10), NULL FROM document_norm
  UNION ALL
  SELECT doc_id, seq + 1, substr(rest, instr(rest, char(10)) + 1),
         substr(rest, 1, instr(rest, char(10)) - 1)
  FROM split WHERE rest <> '')
INSERT INTO norm_line SELECT doc_id, seq, line FROM split WHERE seq > 0;
UPDATE sentence SET norm = (SELECT line FROM norm_line l
  WHERE l.doc_id = sentence.doc_id AND l.seq = sentence.seq);
CREATE TABLE cue_6(
  extraction_id INTEGER NOT NULL REFERENCES extraction(id) ON DELETE CASCADE,
  rule TEXT NOT NULL, weight REAL NOT NULL, context INTEGER NOT NULL,
  start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL);
INSERT INTO cue_6 SELECT extraction_id, rule, weight, context, start, end, text
  FROM extraction_cue ORDER BY extraction_id, seq;
DROP TABLE extraction_cue;
ALTER TABLE cue_6 RENAME TO extraction_cue;
CREATE INDEX extraction_cue_x ON extraction_cue(extraction_id);
