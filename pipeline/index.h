/*
 * index.h - stage 7: the SQLite index (write side).
 *
 * One database file holds everything a query needs; its schema, documented
 * in README.md ("The database"), is meant to be read from any SQLite client:
 *
 *   meta(key, value)                       schema version, segmenter, ...
 *   source(id, path, size, ingested_at)    one row per file ingested
 *   document(id, source_id, seq, start, end, title, n_sentences, n_tokens)
 *   sentence(id, doc_id, seq, start, end, line, outline, text, norm, terms)
 *   term(id, term, kind)                   kind 'word' or 'number'
 *   doc_term(doc_id, term_id, tf)          raw counts per document
 *   extraction(id, sentence_id, doc_id, kind, rule, score, phrase)
 *   sentence_fts                           FTS5 over sentence.terms
 *
 * start/end are byte offsets into the source file as stored on disk;
 * sentence.text is the original sentence minus pinyin/CR/zero-width debris,
 * sentence.norm its analysis form, sentence.terms its terms joined by one
 * space: FTS5's built-in unicode61 tokenizer indexes that column, so the
 * table can be searched from the plain sqlite3 shell with a term as query.
 * Deleting a source cascades to everything derived from it (foreign keys
 * are on in every connection baogao opens). New sentences enter
 * sentence_fts in bulk when a batch commits; triggers keep it in step when
 * sentences are deleted or their terms change.
 *
 * Threading: one bg_index per thread; writes are grouped into units (one
 * per source file) inside batch transactions (bg_index_begin).
 */
#ifndef BG_INDEX_H
#define BG_INDEX_H

#include "extract.h"
#include "keywords.h"

#include <sqlite3.h>

#define BG_SCHEMA_VERSION 3

typedef struct bg_index bg_index;

/* Opens (creating when absent) the database at path, with the schema.
 * Returns 0, BG_ESQLITE (err has SQLite's message and the path; also when
 * the file is a baogao database of another schema version) or BG_ENOMEM;
 * *out NULL on failure. */
int bg_index_open(bg_index **out, const char *path, unsigned flags,
                  bg_err *err);

/* bg_index_open flags. BG_INDEX_TAKE_OVER: a database that holds tables
 * but no baogao schema_version (another program's) is taken over (the
 * schema added, WAL switched on); without it such a database is refused
 * with BG_EINVAL, unchanged. */
#define BG_INDEX_TAKE_OVER 1u

/* How long a writer waits for another process's write lock (SQLite's busy
 * timeout) before failing with a message saying so. Writers hold the lock
 * for one batch (up to 64 files or 2 seconds, plus the file being stored)
 * or, at the end of a bulk load, for the term index build. */
#define BG_INDEX_BUSY_MS 60000

void bg_index_close(bg_index *ix);

/* The connection, for readers in the same process (query.h). Borrowed. */
sqlite3 *bg_index_db(bg_index *ix);

/* Units of work (one source file, one document in reindex): begin opens a
 * savepoint, inside a batch transaction that begin opens when none is;
 * commit releases the savepoint and commits the batch after 64 units or 2
 * seconds; rollback undoes only the current unit. So a failing file never
 * loses the others' work, and a process that dies loses at most the
 * uncommitted batch while the database stays consistent. Call
 * bg_index_flush before closing. Return 0 or BG_ESQLITE.
 * Concurrency: a batch holds SQLite's write lock (BEGIN IMMEDIATE); another
 * writer (a second ingest, a remove) waits up to BG_INDEX_BUSY_MS for it;
 * readers (WAL) see the last committed batch. What is indexed in
 * sentence_fts is worked out anew when a batch starts, so writers in
 * several processes keep it whole.
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

/* 1 when a source is stored under path, else 0. */
int bg_index_has_source(bg_index *ix, const char *path);

/* Stores the source recorded under path `from` under path `to` instead
 * (databases of earlier versions stored paths as typed; ingest moves them
 * to the absolute form). Nothing when `to` is taken. Returns 0 or
 * BG_ESQLITE. */
int bg_index_rename_source(bg_index *ix, const char *from, const char *to,
                           bg_err *err);

/* Bytes of source text the database holds (sum of its documents' spans),
 * for deciding whether a load is bulk. Returns 0 or BG_ESQLITE. */
int bg_index_text_bytes(bg_index *ix, int64_t *out, bg_err *err);

/* Bulk loading: bg_index_bulk_begin drops the index doc_term(term_id)
 * (doc_term_term), which a large load would otherwise grow by millions of
 * random inserts, and bg_index_bulk_end (after the last flush) builds it
 * again in one sorted pass: on the 58 MB benchmark 0.7 s against 4-5 s.
 * Lookups by term are slow while it is missing. A process that dies in
 * between leaves it missing until the next bg_index_open, which creates it.
 * new_only: the caller will add no source that is already stored (check
 * with bg_index_has_source); foreign key checks are then off until
 * bulk_end, since every row added refers to rows added before it (a
 * quarter of the writer's time on the benchmark), and bg_index_add_source
 * refuses a stored path; the four extraction indexes (which only deletes
 * and queries use) are dropped too and built again by bulk_end (or the
 * next bg_index_open). Call begin outside a batch. Return 0 or
 * BG_ESQLITE. */
int bg_index_bulk_begin(bg_index *ix, int new_only, bg_err *err);
int bg_index_bulk_end(bg_index *ix, bg_err *err);

/* Deletes the source stored under path and everything derived from it (no
 * error when there is none), then records it anew; *out is its id.
 * Returns 0 or BG_ESQLITE. */
int bg_index_add_source(bg_index *ix, const char *path, size_t size,
                        int64_t *out, bg_err *err);

/* Records document seq (1-based) of a source: [start, end) in the file and
 * its display title (may be ""). Returns 0 or BG_ESQLITE. */
int bg_index_add_document(bg_index *ix, int64_t source, int seq, size_t start,
                          size_t end, const char *title, int64_t *out,
                          bg_err *err);

/* Sets the counts of a document after its sentences are stored. */
int bg_index_finish_document(bg_index *ix, int64_t doc, size_t n_sentences,
                             size_t n_tokens, bg_err *err);

/* Records sentence seq (1-based) of a document: s gives offsets, line and
 * outline level; text is the display form, norm the analysis form, terms
 * the terms joined by single spaces. Returns 0 or BG_ESQLITE. */
int bg_index_add_sentence(bg_index *ix, int64_t doc, int seq,
                          const bg_sentence *s, const char *text,
                          const char *norm, const char *terms, int64_t *out,
                          bg_err *err);

/* Replaces the terms of sentence id (reindex); sentence_fts follows by
 * trigger. Returns 0 or BG_ESQLITE. */
int bg_index_set_terms(bg_index *ix, int64_t sentence, const char *terms,
                       bg_err *err);

/* Deletes the term counts of document doc (before bg_index_add_terms
 * records new ones). Returns 0 or BG_ESQLITE. */
int bg_index_clear_terms(bg_index *ix, int64_t doc, bg_err *err);

/* The value of meta key in *out (malloc'd, caller frees; NULL when the key
 * is absent). Returns 0, BG_ESQLITE or BG_ENOMEM. */
int bg_index_get_meta(bg_index *ix, const char *key, char **out, bg_err *err);

/* Records the term counts of a document (c finished). Returns 0 or
 * BG_ESQLITE. */
int bg_index_add_terms(bg_index *ix, int64_t doc, const bg_counter *c,
                       bg_err *err);

/* Records one label of a sentence; phrase is the theme phrase (NULL for
 * other kinds). Returns 0 or BG_ESQLITE. */
int bg_index_add_label(bg_index *ix, int64_t sentence, int64_t doc,
                       const bg_label *l, const char *phrase, bg_err *err);

/* ---- ingest metadata, duplicates, removal ---- */

/* 1 when a source is stored under path with this content hash (the
 * file's bytes and the options it was read with), else 0. */
int bg_index_source_unchanged(bg_index *ix, const char *path, const char *hash);

/* Records how a source was read: content hash, format, encoding and the
 * detector's confidence, its text when it is not the file's bytes (decoded
 * or extracted; NULL otherwise) and warnings (NULL: none). Returns 0 or
 * BG_ESQLITE. */
int bg_index_source_info(bg_index *ix, int64_t source, const char *hash,
                         const char *format, const char *encoding,
                         int confidence, const char *text, size_t text_len,
                         const char *warnings, bg_err *err);

/* A document's metadata (strings may be NULL; year 0: unknown); norm_hash
 * the hex hash of its normalised text, minhash its MinHash signature
 * (minhash_len bytes), dup_of the document it duplicates (0: none). */
typedef struct bg_doc_meta {
    const char *author, *org, *date, *meta, *norm_hash;
    int year;
    const void *minhash;
    size_t minhash_len;
    int64_t dup_of;
} bg_doc_meta;

/* Stores m on document doc. Returns 0 or BG_ESQLITE. */
int bg_index_document_meta(bg_index *ix, int64_t doc, const bg_doc_meta *m,
                           bg_err *err);

/* The first document other than self whose normalised text has this hash,
 * that is not itself a duplicate and whose sentences are stored; 0 when
 * none. */
int64_t bg_index_find_duplicate(bg_index *ix, const char *norm_hash,
                                int64_t self);

/* Makes document doc (just stored with its sentences) the original of the
 * documents with the same hash left without one: repeats of a document
 * that was deleted (schema trigger document_bd), which hold no sentences.
 * Returns 0 or BG_ESQLITE. */
int bg_index_adopt_duplicates(bg_index *ix, int64_t doc, const char *norm_hash,
                              bg_err *err);

/* Deletes, in one transaction, document `what` (a number) or the source
 * stored under path `what` and every source under it as a directory, with
 * everything derived from them; counts what went. Returns 0 or
 * BG_ESQLITE. */
int bg_index_remove(bg_index *ix, const char *what, size_t *n_sources,
                    size_t *n_docs, bg_err *err);

/* The row id of the last insert on ix (e.g. the label bg_index_add_label
 * just stored). */
int64_t bg_index_last_id(bg_index *ix);

/* The details of extraction row `extraction` (extraction_detail): the
 * clause [clause_start, clause_end) in file offsets with its text (NULL:
 * none), and the section context, problem category, commitment actor,
 * horizon and mode (each NULL when absent). Returns 0 or BG_ESQLITE. */
int bg_index_add_detail(bg_index *ix, int64_t extraction, const char *clause,
                        size_t clause_start, size_t clause_end,
                        const char *context, const char *category,
                        const char *actor, const char *horizon,
                        const char *mode, bg_err *err);

/* One cue of extraction row `extraction` (extraction_cue): the rule, its
 * weight, whether it is the section context (context 1) and the cue's text
 * at file offsets [start, end). Returns 0 or BG_ESQLITE. */
int bg_index_add_cue(bg_index *ix, int64_t extraction, const char *rule,
                     double weight, int context, size_t start, size_t end,
                     const char *text, bg_err *err);

/* Sets meta key to value. Returns 0 or BG_ESQLITE. */
int bg_index_set_meta(bg_index *ix, const char *key, const char *value,
                      bg_err *err);

#endif
