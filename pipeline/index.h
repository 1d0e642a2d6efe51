/*
 * index.h - stage 7: the SQLite index (write side). Every statement on its
 * tables is prepared here (as FTS5's fts5_storage.c holds its own): the
 * stages hand over records (docrec.h), and the commands that write read
 * back through this contract; only the read side (query.h) has SQL of its
 * own, on its own read-only connection.
 *
 * One database file holds everything a query needs; its schema, documented
 * in README.md ("The database"), is meant to be read from any SQLite client:
 *
 *   meta(key, value)                       schema version, segmenter, ...
 *   source(id, path, size, ingested_at)    one row per file ingested
 *   document(id, source_id, seq, start, end, title, n_sentences, n_tokens,
 *            ..., genre)                   genre: the name of the extraction
 *                                          rules' genre (extract.h), NULL
 *                                          when none holds
 *   repair(source_id, kind, start, end, with)  text repairs (repair.h)
 *   sentence(id, doc_id, seq, start, end, line, outline, text, terms, flags,
 *            marker, norm_edit)
 *   term(id, term, kind, freq, df)         kind 'word' or 'number'; freq
 *                                          and df its corpus totals (tokens,
 *                                          documents)
 *   doc_vector(doc_id, terms)              raw counts per document (coarse),
 *                                          one row a document: terms a BLOB
 *                                          of varint pairs (util_sql.h:
 *                                          LEB128), term id minus the
 *                                          previous one (from 0), then tf,
 *                                          by term id
 *   view doc_term(doc_id, term_id, tf)     the same as rows (schema 13: a
 *                                          view in plain SQL, decoding every
 *                                          row it reads)
 *   term_part(term_id, seq, part_id)       a compound's fine parts in order
 *   number(term_id, type, value, unit)     the value of a number term
 *   rule(id, name)                         the rule names labels cite
 *   extraction(id, sentence_id, doc_id, kind_code, rule_id, score, phrase,
 *              model, kind)                model: the learned layer's
 *                                          probability (NULL: none);
 *                                          kind_code 0 theme, 1 problem, 2
 *                                          commitment, kind the word,
 *                                          generated from it (schema 15)
 *   extraction_detail, extraction_cue, extraction_clause   per label
 *                                          (extraction_cue: rule_id, and
 *                                          no row for the model;
 *                                          extraction_detail.clause NULL
 *                                          with clause_start set: the
 *                                          sentence text's bytes at
 *                                          [clause_start - sentence.start,
 *                                          clause_end - sentence.start),
 *                                          the clause not stored twice;
 *                                          extraction_cue.text NULL: the
 *                                          same for [start, end), of the
 *                                          sentence of seq label's seq -
 *                                          back when back is set (schema
 *                                          12: the heading or lead a
 *                                          context cue cites); extraction_cue
 *                                          a view (schema 14) of
 *                                          extraction_detail.cues, a JSON
 *                                          array, an element a cue:
 *                                          [cue_rule id, start minus the
 *                                          label's sentence's start, end
 *                                          minus start], then back or 0,
 *                                          then the text when stored
 *   cue_rule(id, rule_id, weight, context) a cue's rule, weight and
 *                                          context, each set stored once
 *   sentence_fts                           FTS5 over sentence.terms' text,
 *                                          contentless (content='')
 *
 * start/end are byte offsets into the source file as stored on disk;
 * sentence.text is the original sentence minus pinyin/CR/zero-width debris,
 * its analysis form is the text with sentence.norm_edit applied (schema 11:
 * the edits of util.h, NULL when the two are equal; the SQL function
 * bg_norm(text, norm_edit), util_sql.h, on every connection baogao opens;
 * schema 5 to 10 kept each document's analysis forms whole in
 * document_norm, 58.6 of the 1x benchmark's 315 MB), sentence.terms its coarse
 * term ids packed (schema 9; the format and its one decoder, the SQL function
 * bg_terms, in util_sql.h), whose text is its terms joined by one space:
 * FTS5's built-in unicode61 tokenizer indexes that text, so the table can
 * be searched from the plain sqlite3 shell with a term as query.
 *
 * Granularity (segment.h, issue 12): the terms are COARSE (established
 * compounds whole: 体制改革, 国有企业), and in sentence.terms' text a
 * compound's fine parts stand apart by a TAB ('深化 体制<TAB>改革'), so
 * unicode61 (which splits at the TAB too) indexes the FINE terms, and a reader
 * gets coarse terms by splitting at spaces (taking the TABs out), fine ones by
 * splitting at both. A term never holds a space (white space inside one,
 * as in a user word 'new york' or the code 'gb/t 19001-2016', is written
 * U+00A0). term and doc_term hold coarse terms and counts; term_part
 * gives each compound's fine parts (term ids, seq from 1), so fine counts
 * are derived: views doc_term_fine(doc_id, term_id, tf) and
 * term_freq_fine(term, kind, freq, df), next to term_freq. number holds,
 * for each term of kind 'number' (bg_number_parse), type 'quantity',
 * 'date', 'time', 'range' or 'code'; value a REAL for a quantity (NULL
 * when approximate: 几百亿元), ISO 8601 text for a date, time or range
 * (1954, 2013-04-15, --04-15, 14:30, 2013/2016; NULL when the century is
 * not written), NULL for a code; unit for a quantity or range ('' bare,
 * '%', '‰', '年', '元', ...), else NULL.
 * Deleting a source cascades to everything derived from it (foreign keys
 * are on in every connection baogao opens). New sentences enter
 * sentence_fts when a batch commits, with the terms text they were stored
 * from (the tokens bg_terms decodes from their ids); triggers keep it in
 * step when
 * sentences are deleted or their terms change, giving FTS5's 'delete' the
 * tokens bg_terms decodes (a connection without that function, such as the
 * sqlite3 shell's, cannot delete sentences: `baogao remove`). A term's
 * term_part rows, once written, never change (the packed ids refer to
 * them). term.freq and term.df are
 * added to when a batch commits (one UPDATE a term the batch touched) and
 * taken from by the trigger doc_vector_ad as doc_vector rows go (it reads
 * them with bg_vector, util_sql.h, so a connection without it cannot delete
 * documents either), so that they always equal the sums over doc_term: a
 * word list of the whole corpus reads the vocabulary, not every document.
 * A database of version 3 gets them at bg_index_open. What reads counts
 * (freq's DP, the statistics) reads doc_vector.
 *
 * Threading: one bg_index per thread; writes are grouped into units (one
 * per source file) inside batch transactions (bg_index_begin).
 */
#ifndef BG_INDEX_H
#define BG_INDEX_H

#include "docrec.h"
#include "extract.h"
#include "keywords.h"

/* 6: coarse terms, term_part, number (issue 12); 7: sentence.norm gone
 * (document_norm holds the analysis forms), extraction_cue keyed by
 * (extraction_id, seq), doc_vector (issue 14); 8: rule names in table
 * rule, extraction and extraction_cue hold rule_id, the model's
 * probability is extraction.model, not a cue row (issue 14); 9:
 * sentence.terms packed term ids (util_sql.h), sentence_fts contentless
 * (issue 14); 10: doc_term_term (doc_term's index by term) dropped (issue
 * 14); 11: the analysis forms stored as sentence.norm_edit, document_norm
 * dropped (issue 14); 12: extraction_cue.back, a cue's text taken from an
 * earlier sentence instead of stored (issue 14); 13: the doc_term table
 * gone, a view of the same name reads doc_vector (issue 14); 14: the
 * cues packed in extraction_detail.cues, extraction_cue a view (issue 14);
 * 15: extraction.kind_code stored, kind generated from it (issue 14); 16:
 * the index extraction_kind on (kind_code, doc_id), not the word (issue
 * 14) */
#define BG_SCHEMA_VERSION 16

typedef struct bg_index bg_index;

/* Opens (creating when absent) the database at path, with the schema.
 * An older database (3 to 15) is brought up to this version in one
 * transaction, each step made when what it adds is missing: term totals
 * (term.freq, df); sentence.norm_edit, written from sentence.norm or
 * document_norm, after which those are dropped (sentence.norm: the table
 * rewritten, a minute on the 2 GB database of the 4x benchmark); extraction_cue
 * rewritten with its key, then with rule ids and without the model's rows
 * (extraction gets rule_id and model, loses rule); doc_vector packed from
 * doc_term; the number table, whose step sets every term's kind by
 * bg_number_parse and writes its number rows, while the database's terms stay
 * fine until `baogao reindex` (its dict_id is marked so that queries say so);
 * sentence.terms packed into ids and sentence_fts made again, contentless
 * (schema 9: every sentence row rewritten); the index doc_term_term dropped
 * (schema 10: the file keeps its size until a VACUUM); the doc_term table
 * dropped for its view (schema 13, after the steps that read it; the file
 * keeps its size until a VACUUM); extraction_cue packed into
 * extraction_detail.cues and made a view (schema 14, last; the same);
 * extraction.kind stored as kind_code, the column kind generated from it
 * (schema 15, before the statements are prepared; the table rewritten);
 * extraction_kind made on kind_code (schema 16).
 * Returns 0, BG_ESQLITE
 * (err has SQLite's message and the path; also when the file is a baogao
 * database of another schema version) or BG_ENOMEM; *out NULL on failure. */
int bg_index_open(bg_index **out, const char *path, unsigned flags,
                  bg_err *err);

/* bg_index_open flags. BG_INDEX_TAKE_OVER: a database that holds tables
 * but no baogao schema_version (another program's) is taken over (the
 * schema added, WAL switched on); without it such a database is refused
 * with BG_EINVAL, unchanged. */
#define BG_INDEX_TAKE_OVER 1u

/* How long a writer waits for another process's write lock while that
 * process writes nothing before failing with a message saying so. The
 * wait starts again each time the holder is seen writing (its commits, or
 * the pages a large transaction spills: the WAL file changes), so a
 * writer that commits batch after batch never makes another fail, while
 * a stopped or hung one does. Writers hold the lock for one batch (up to
 * 64 files or 2 seconds, plus the file being stored) or, at the end of a
 * bulk load, for the index builds. */
#define BG_INDEX_BUSY_MS 60000

/* Sets ix's wait for another writer's lock, as BG_INDEX_BUSY_MS describes,
 * to ms milliseconds without progress (bg_index_open sets
 * BG_INDEX_BUSY_MS; ms <= 0: fail at once). Installs the index's busy
 * handler on its connection (SQLite's sqlite3_busy_handler). */
void bg_index_busy_timeout(bg_index *ix, int ms);

/* Commits the open batch (its error is lost: call bg_index_flush first to
 * see it), ends a bulk load (bg_index_bulk_end), finalises the statements
 * and closes the connection; frees ix. NULL is harmless. */
void bg_index_close(bg_index *ix);

/* Units of work (one source file, one document in reindex): begin opens a
 * savepoint, inside a batch transaction that begin opens when none is;
 * commit releases the savepoint and commits the batch after 64 units or 2
 * seconds; rollback undoes only the current unit. So a failing file never
 * loses the others' work, and a process that dies loses at most the
 * uncommitted batch while the database stays consistent. Call
 * bg_index_flush before closing. Return 0 or BG_ESQLITE.
 * Concurrency: a batch holds SQLite's write lock (BEGIN IMMEDIATE); another
 * writer (a second ingest, a remove) waits for it (BG_INDEX_BUSY_MS);
 * readers (WAL) see the last committed batch. What is indexed in
 * sentence_fts is worked out anew when a batch starts, so writers in
 * several processes keep it whole.
 * A unit of many documents (a record file) stays bounded in memory: once
 * it holds 8 MB of terms text for sentence_fts or 1 M pairs owed to the
 * term totals, they are written inside the unit (index.c unit_bound).
 * A failed commit (a full disk, an I/O error) loses the whole batch: the
 * caller learns it from bg_index_in_batch, which is 0 after every commit
 * that ended a batch, successful or not. */
int bg_index_begin(bg_index *ix, bg_err *err);
int bg_index_commit(bg_index *ix, bg_err *err);
/* Rolls the current unit back; safe to call when none is open. */
void bg_index_rollback(bg_index *ix);
/* Commits the open batch, if any. Returns 0 or BG_ESQLITE (the batch is
 * then rolled back). */
int bg_index_flush(bg_index *ix, bg_err *err);
/* 1 while a batch transaction is open (units stored since the last
 * commit), else 0. */
int bg_index_in_batch(const bg_index *ix);

/* 1 when a source is stored under path, else 0 (also when the look-up
 * fails: storing the path then fails, with the error). path is borrowed
 * for the call. */
int bg_index_has_source(bg_index *ix, const char *path);

/* Stores the source recorded under path `from` under path `to` instead
 * (both borrowed for the call)
 * (databases of earlier versions stored paths as typed; ingest moves them
 * to the absolute form). Nothing when `to` is taken. Returns 0 or
 * BG_ESQLITE. */
int bg_index_rename_source(bg_index *ix, const char *from, const char *to,
                           bg_err *err);

/* Bytes of source text the database holds (sum of its documents' spans),
 * for deciding whether a load is bulk. Returns 0 or BG_ESQLITE. */
int bg_index_text_bytes(bg_index *ix, int64_t *out, bg_err *err);

/* Bulk loading: bg_index_bulk_begin marks the start of a large load and
 * bg_index_bulk_end (after the last flush) its end; without new_only
 * they change nothing (before schema 10 they dropped and built again
 * doc_term's index by term).
 * new_only: the caller will add no source that is already stored (check
 * with bg_index_has_source); foreign key checks are then off until
 * bulk_end, since every row added refers to rows added before it (a
 * quarter of the writer's time on the benchmark), and bg_index_add_source
 * refuses a stored path; the four extraction indexes (which only deletes
 * and queries use) are dropped too and built again by bulk_end (or the
 * next bg_index_open). When, besides, the database holds no source yet,
 * SQLite's synchronous is OFF until bulk_end (no fsync at checkpoints).
 * FTS5 merges 16 segments at a time instead of 4 until bulk_end (index.c
 * FTS_BULK_MERGE), whose index builds sort on two threads; the merge
 * settings sentence_fts had (a user's own, or none) are saved in meta and
 * given back by bulk_end, or by the next bg_index_open after a load that
 * died.
 * Recovery rule: a process that dies (kill -9, a crash) loses nothing
 * more than without it (the operating system still holds every write);
 * an operating-system crash or a power cut during such a load may leave
 * the new database corrupt: delete it and run the ingest again (it held
 * nothing before the load). Call begin outside a batch. Return 0 or
 * BG_ESQLITE. */
int bg_index_bulk_begin(bg_index *ix, int new_only, bg_err *err);
int bg_index_bulk_end(bg_index *ix, bg_err *err);

/* Deletes the source stored under path and everything derived from it (no
 * error when there is none), then records it anew; *out is its id.
 * Returns 0 or BG_ESQLITE. */
int bg_index_add_source(bg_index *ix, const char *path, size_t size,
                        int64_t *out, bg_err *err);

/* Sets the counts of a document after its sentences are stored. Returns 0
 * or BG_ESQLITE. */
int bg_index_finish_document(bg_index *ix, int64_t doc, size_t n_sentences,
                             size_t n_tokens, bg_err *err);

/* Replaces the terms of sentence id (reindex) with terms, in
 * sentence.terms' text form (packed here: terms the table lacks are
 * added; call it after bg_index_add_terms of the document, so that new
 * terms get their ids in the order a first ingest gives them);
 * sentence_fts follows by trigger. Returns 0, BG_ENOMEM or BG_ESQLITE. */
int bg_index_set_terms(bg_index *ix, int64_t sentence, const char *terms,
                       bg_err *err);

/* Deletes the term counts of document doc (before bg_index_add_terms
 * records new ones). Returns 0 or BG_ESQLITE. */
int bg_index_clear_terms(bg_index *ix, int64_t doc, bg_err *err);

/* The value of meta key in *out (malloc'd, caller frees; NULL when the key
 * is absent). Returns 0, BG_ESQLITE or BG_ENOMEM. */
int bg_index_get_meta(bg_index *ix, const char *key, char **out, bg_err *err);

/* Records the term counts of a document (c finished; its keys are coarse
 * terms in sentence.terms' form, a compound's parts apart by TABs: docrec.h
 * bg_docrec_terms): its doc_term rows, term rows for new terms (ids from
 * the writer's map of the term table; the kind by bg_number_parse, and a
 * number row for a number), a compound's term_part rows (its parts being
 * terms too; the stored term is the key without its TABs, and two keys
 * that are one term add up), and the totals owed to term.freq/term.df,
 * written when the batch commits (bg_index_flush). Returns 0, BG_ESQLITE
 * or BG_ENOMEM. */
int bg_index_add_terms(bg_index *ix, int64_t doc, const bg_counter *c,
                       bg_err *err);

/* ---- ingest metadata, duplicates, removal ---- */

/* 1 when a source is stored under path with this content hash (the
 * file's bytes and the options it was read with), else 0 (also when the
 * look-up fails: the file is then read again). Strings borrowed for the
 * call. */
int bg_index_source_unchanged(bg_index *ix, const char *path, const char *hash);

/* Records how a source was read: content hash, format, encoding and the
 * detector's confidence, its text when it is not the file's bytes (decoded
 * or extracted; NULL otherwise) and warnings (NULL: none). Returns 0 or
 * BG_ESQLITE. */
int bg_index_source_info(bg_index *ix, int64_t source, const char *hash,
                         const char *format, const char *encoding,
                         int confidence, const char *text, size_t text_len,
                         const char *warnings, bg_err *err);

/* Deletes, in one transaction, document `what` (a number) or the source
 * stored under path `what` and every source under it as a directory, with
 * everything derived from them; counts what went. Returns 0 or
 * BG_ESQLITE. */
int bg_index_remove(bg_index *ix, const char *what, size_t *n_sources,
                    size_t *n_docs, bg_err *err);

/* Sets meta key to value (both borrowed for the call). Returns 0 or
 * BG_ESQLITE. */
int bg_index_set_meta(bg_index *ix, const char *key, const char *value,
                      bg_err *err);

/* Records the text repairs of source (ingest.h bg_source.repairs; NULL:
 * none) in table repair. Returns 0 or BG_ESQLITE. */
int bg_index_add_repairs(bg_index *ix, int64_t source, const bg_repairs *r,
                         bg_err *err);

/* ---- documents and labels: the one writer of a record -------------------
 * Every statement on the index's tables is prepared here; the stages and
 * commands hand over records (docrec.h) and read back through the
 * functions below. */

/* Stores document r (seq 1-based in source): the document with its
 * metadata, then, unless its analysis form repeats a stored document's
 * (then *duplicate is set to 1 and it is recorded as that one's duplicate,
 * document.dup_of, without sentences or terms), its sentences with their
 * properties (bg_index_sentence_flags), labels with details and cues, and
 * term counts; finally it becomes the original of stored repeats left
 * without one. Call inside a unit (bg_index_begin). r is borrowed for the
 * call. Returns 0 or BG_ESQLITE (every failed statement, the look-up of
 * the original included: the caller rolls the unit back). */
int bg_index_store_document(bg_index *ix, int64_t source, int seq,
                            const bg_doc_rec *r, int *duplicate, bg_err *err);

/* Replaces the labels of document doc (with their details and cues) by
 * sv[i].labels of sentence row sids[i], i < ns, and its genre by genre
 * (NULL: none; docrec.h bg_docrec_labels gives both). Call inside a unit.
 * Returns 0 or BG_ESQLITE. */
int bg_index_replace_labels(bg_index *ix, int64_t doc, const char *genre,
                            const int64_t *sids, const bg_sent_rec *sv,
                            size_t ns, bg_err *err);

/* The properties of a sentence that sentence.flags stores (its other
 * fields have columns of their own): bit 0 line_start, 1 line_end, 2
 * terminated, 3 title, 4 repeat (sentence.h). sentence.marker stores
 * marker_end - a_start, the bytes of the enumerator in sentence.norm. */
int bg_index_sentence_flags(const bg_sentence *s);

/* ---- what the writing commands read back --------------------------------- */

/* A source as stored: id and path (malloc'd). */
typedef struct bg_stored_source {
    int64_t id;
    char *path;
} bg_stored_source;

/* The sources, by id; only the source of document doc when doc > 0. *out
 * is malloc'd (free each path, then it: bg_index_sources_free). Returns
 * 0, BG_ESQLITE or BG_ENOMEM. */
int bg_index_sources(bg_index *ix, int64_t doc, bg_stored_source **out,
                     size_t *n, bg_err *err);
void bg_index_sources_free(bg_stored_source *v, size_t n);

/* The text of stored source as ingest read it (ingest.h, "The text"):
 * source.text when ingest kept one (decoded or extracted), else the bytes
 * of the file at source.path, which must still be the file ingest read
 * (its bg_hash is source.hash); and its repairs (table repair) appended to
 * rp by start, as ingest found them. *text is malloc'd and NUL-terminated
 * (the caller frees it, also on failure; NULL when none was read); free rp
 * with bg_repairs_free either way. Returns 0, BG_ENOMEM, BG_EIO (the file
 * does not read), BG_EDATA (the file changed since it was ingested: err
 * says to ingest it again), BG_ENOTFOUND (no such source) or
 * BG_ESQLITE. */
int bg_index_source_text(bg_index *ix, int64_t source, char **text, size_t *len,
                         bg_repairs *rp, bg_err *err);

/* A document as stored: id and its bytes [start, end) in the source. */
typedef struct bg_stored_doc {
    int64_t id;
    size_t start, end;
} bg_stored_doc;

/* The documents of source (by seq), or with source 0 every document (by
 * id); with doc > 0 only that one; with sentences, only documents that
 * hold sentences (an exact duplicate holds none). *out malloc'd. Returns
 * 0, BG_ESQLITE or BG_ENOMEM. */
int bg_index_documents(bg_index *ix, int64_t source, int64_t doc, int sentences,
                       bg_stored_doc **out, size_t *n, bg_err *err);

/* A sentence as stored. s has start, end, line, outline and the flags of
 * bg_index_sentence_flags; a_start and a_end are 0 and marker_end is the
 * length of the enumerator in norm (the caller maps them into its
 * analysis form). props is 0 when the row has no flags (stored by a
 * baogao before they were recorded). norm (norm_len bytes, NUL-terminated)
 * is its analysis form (its text with sentence.norm_edit applied); valid
 * during the call. */
typedef struct bg_stored_sentence {
    int64_t id;
    bg_sentence s;
    int props;
    const char *norm;
    size_t norm_len;
} bg_stored_sentence;

/* Calls cb for each sentence of document doc in order; cb returns 0 to
 * go on, anything else to stop (returned). The callback may write to the
 * index (bg_index_set_terms). Returns 0, cb's value, BG_EDATA (a sentence
 * whose norm_edit is damaged), BG_ENOMEM or BG_ESQLITE. */
typedef int (*bg_stored_sentence_cb)(const bg_stored_sentence *s,
                                     void *payload);
int bg_index_each_sentence(bg_index *ix, int64_t doc, bg_stored_sentence_cb cb,
                           void *payload, bg_err *err);

/* The number of labels stored in *out. Returns 0 or BG_ESQLITE. */
int bg_index_count_labels(bg_index *ix, int64_t *out, bg_err *err);

/* Calls cb(arg) about every `every` virtual-machine steps of the index's
 * statements (SQLite's progress handler; cb NULL removes it): the crash
 * tests' way to stop a process in the middle of a write. */
void bg_index_progress(bg_index *ix, int every, int (*cb)(void *), void *arg);

#endif
