-- schema6.sql: turns a database of this baogao back into the layout of
-- schema 6 and before in what schema 7 changed, for the tests of the
-- steps that bring an older database up (tests/bulk_test.sh,
-- tests/granularity_test.sh): sentence.norm again holds each sentence's
-- analysis form (line seq of document_norm), and extraction_cue is a rowid
-- table with its index extraction_cue_x, rows in (extraction_id, seq)
-- order. The caller sets meta's schema_version (and drops doc_vector,
-- which schema 7 added, when it wants it made again).
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
