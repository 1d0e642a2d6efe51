/*
 * util_sql.h - the SQLite helpers of the two sides that open the database,
 * the index (index.c) and the read side (query*.c): preparing, stepping
 * and binding with errors reported one way, "PATH: WHAT: SQLite's
 * message" (the message copied at once, as sqlite3_errmsg's text lasts
 * only until the next call).
 *
 * Threading: as the connection's (one thread at a time).
 */
#ifndef BG_UTIL_SQL_H
#define BG_UTIL_SQL_H

#include "repair.h"
#include "util.h"

#include <sqlite3.h>

/* Fills err with BG_ESQLITE, "path: what: " and the connection's last
 * message; returns BG_ESQLITE. */
int bg_sql_err(sqlite3 *db, const char *path, bg_err *err, const char *what);

/* Prepares sql into *st (NULL on failure). Returns 0 or BG_ESQLITE
 * ("path: prepare: ..."). */
int bg_sql_prepare(sqlite3 *db, const char *path, const char *sql,
                   sqlite3_stmt **st, bg_err *err);

/* Steps st once (a statement run for its effect, or whose first row is
 * not read), then resets it and clears its bindings. Returns 0 (done or a
 * row) or BG_ESQLITE named by what. */
int bg_sql_run(sqlite3 *db, const char *path, sqlite3_stmt *st, bg_err *err,
               const char *what);

/* Binds text s (copied) to parameter i, or NULL when s is NULL. */
void bg_sql_bind_text(sqlite3_stmt *st, int i, const char *s);

/* ---- binding: every failure seen -------------------------------------------
 * A sqlite3_bind_* call that fails (SQLITE_TOOBIG: a text or blob over the
 * connection's length limit, 1,000,000,000 bytes by default, which a
 * record file's text of up to BG_INGEST_FILE_MAX can pass; SQLITE_NOMEM;
 * SQLITE_RANGE; SQLITE_MISUSE) leaves its parameter as it was, NULL after
 * a clear: a step after it would store or match NULL in silence. So in
 * every file that includes this header each sqlite3_bind_* call is
 * bg_sql_bound, which notes a failure on the calling thread: for every
 * statement with one, its first (parameter, SQLite's code) is kept and
 * the later ones counted, however many statements hold one at once. Each
 * sqlite3_step is bg_sql_step, which does not run a statement with a
 * failed binding: it returns the first failed bind's code, so the
 * caller's error path runs as for a step that failed, and bg_sql_err's
 * message names the parameter, the statement and the cause, and how many
 * other bindings failed ("PATH: WHAT: parameter 6 of INSERT INTO ... not
 * bound: string or blob too big (and 1 other binding failed)"). A
 * statement's failures are forgotten once reported (bg_sql_err) or once
 * it is stepped again, finalized or its bindings cleared; those of other
 * statements stay until their own step. (A failure that cannot be noted,
 * out of memory, refuses every step until bg_sql_err reports it.) */

/* Notes rc, the result of binding parameter i of st (a failure is kept or
 * counted as above); returns rc. */
int bg_sql_bound(sqlite3_stmt *st, int i, int rc);

/* sqlite3_step(st), unless a binding of st failed since it was last
 * stepped: then that bind's SQLite code, without stepping. */
int bg_sql_step(sqlite3_stmt *st);

/* sqlite3_clear_bindings(st), forgetting a failed binding of st. */
int bg_sql_clear_bindings(sqlite3_stmt *st);

/* sqlite3_finalize(st), forgetting a failed binding of st. */
int bg_sql_finalize(sqlite3_stmt *st);

#define BG_SQL_BIND(f, st, i, ...)                                             \
    bg_sql_bound((st), (i), f((st), (i), __VA_ARGS__))
#define sqlite3_bind_blob(st, i, ...)                                          \
    BG_SQL_BIND(sqlite3_bind_blob, st, i, __VA_ARGS__)
#define sqlite3_bind_blob64(st, i, ...)                                        \
    BG_SQL_BIND(sqlite3_bind_blob64, st, i, __VA_ARGS__)
#define sqlite3_bind_double(st, i, ...)                                        \
    BG_SQL_BIND(sqlite3_bind_double, st, i, __VA_ARGS__)
#define sqlite3_bind_int(st, i, ...)                                           \
    BG_SQL_BIND(sqlite3_bind_int, st, i, __VA_ARGS__)
#define sqlite3_bind_int64(st, i, ...)                                         \
    BG_SQL_BIND(sqlite3_bind_int64, st, i, __VA_ARGS__)
#define sqlite3_bind_null(st, i)                                               \
    bg_sql_bound((st), (i), sqlite3_bind_null((st), (i)))
#define sqlite3_bind_pointer(st, i, ...)                                       \
    BG_SQL_BIND(sqlite3_bind_pointer, st, i, __VA_ARGS__)
#define sqlite3_bind_text(st, i, ...)                                          \
    BG_SQL_BIND(sqlite3_bind_text, st, i, __VA_ARGS__)
#define sqlite3_bind_text64(st, i, ...)                                        \
    BG_SQL_BIND(sqlite3_bind_text64, st, i, __VA_ARGS__)
#define sqlite3_bind_value(st, i, ...)                                         \
    BG_SQL_BIND(sqlite3_bind_value, st, i, __VA_ARGS__)
#define sqlite3_bind_zeroblob(st, i, ...)                                      \
    BG_SQL_BIND(sqlite3_bind_zeroblob, st, i, __VA_ARGS__)
#define sqlite3_step(st) bg_sql_step(st)
#define sqlite3_clear_bindings(st) bg_sql_clear_bindings(st)
#define sqlite3_finalize(st) bg_sql_finalize(st)

/* The integer in the first column of the first row of sql (0 when there
 * is no row) in *out. Returns 0 or BG_ESQLITE. */
int bg_sql_int(sqlite3 *db, const char *path, const char *sql, int64_t *out,
               bg_err *err);

/* 1 when table has column name, else 0 (also when the table is missing
 * or the look-up fails). */
int bg_sql_has_column(sqlite3 *db, const char *table, const char *name);

/* ---- the read-ahead VFS (util_vfs.c) ---------------------------------------
 * A VFS named BG_READAHEAD_VFS over SQLite's default one, for a read-only
 * connection that reads a database once (one command of a process): its
 * main database file is read in aligned 64 KB chunks, 16 of them kept, the
 * pages SQLite asks for copied out of them (a chunk is read whole at the
 * second read in it, the first read as asked: a table scattered among
 * others is read a page at a time); a chunk lives until the next lock
 * change (the next transaction). Where the kernel's cost is per call
 * and per page mapped, not per byte, that reads a table's leaves a sixteenth
 * as often as read() a page or a memory map's faults (util_vfs.c says what
 * was measured). Every other file and call goes to the default VFS. Opening
 * with it: sqlite3_open_v2(path, &db, flags, BG_READAHEAD_VFS), and no
 * memory map (its files decline xFetch). */
#define BG_READAHEAD_VFS "bg-readahead"

/* Registers the read-ahead VFS (once per process, any thread; not as the
 * default). Returns 0, or BG_ESQLITE when it could not be (no default VFS
 * of version 2 or later, or SQLite's registration failed). */
int bg_readahead_register(void);

/* The one reader of table repair (index.h), for both sides: the repairs of
 * source lying wholly in [start, end) appended to rp by start, as ingest
 * found them (repair.h). Returns 0, BG_ENOMEM or BG_ESQLITE. */
int bg_sql_repairs(sqlite3 *db, const char *path, int64_t source, int64_t start,
                   int64_t end, bg_repairs *rp, bg_err *err);

/* ---- sentence.terms (schema 9) ---------------------------------------------
 * A sentence's terms are stored as its COARSE term ids in text order, each
 * an unsigned LEB128 varint (util.h) of v = 2 * id + split:
 *   split 0  the term whole (no fine parts in this place);
 *   split 1  the term cut into its fine parts as term_part lists them
 *            (term_part rows of a term, once written, never change);
 *   v = 1    (id 0, split 1) an escape: the varints id, n (2 or more) and
 *            n part ids follow: the term cut, in this place, unlike
 *            term_part (a number cut by its context: 六百五十 is 六百+五十 in
 *            第六百五十条 and one token in 六百五十名).
 * Its text (what sentence_fts indexes and readers split) is the terms
 * joined by one space, a cut term's parts joined by a TAB (index.h). This
 * decoder is the one reader of that form: the SQL function bg_terms(blob)
 * on each connection baogao opens, and bg_terms_decode for C readers. */
typedef struct bg_terms_dec bg_terms_dec;

/* One term of a packed value, as bg_terms_next reads it. */
typedef struct bg_terms_tok {
    uint64_t id; /* the coarse term's id */
    int cut;     /* 0 whole; 1 cut as term_part lists its parts; 2 cut
                    into the nparts ids at parts (varints) */
    uint64_t nparts;
    const unsigned char *parts;
} bg_terms_tok;

/* Reads the term at p[0, n) into *t: the one reader of the format (the
 * decoder and the readers by id use it). Returns the bytes read, 0 when p
 * is damaged there (n 0 included). */
size_t bg_terms_next(const unsigned char *p, size_t n, bg_terms_tok *t);

/* Registers the SQL functions bg_norm(TEXT, BLOB) -> TEXT (sentence.text
 * with sentence.norm_edit applied, bg_edits_apply in util.h: the analysis
 * form, schema 11; NULL edits give the text; an error for damaged edits) and
 * bg_terms(BLOB) -> TEXT (the terms text above;
 * NULL for NULL, a TEXT value as it is (schema 8 and before); an error for a
 * damaged value or an id the term table lacks), and bg_vector(BLOB) -> TEXT
 * (doc_vector.terms' pairs as JSON, below; NULL for NULL, an error for a
 * damaged value) on db, with a decoder that reads
 * db's term and term_part tables as it meets ids (the connection owns it: freed
 * when db closes). *out gets the decoder (bg_terms_close it before closing db).
 * Returns 0 or BG_ENOMEM / BG_ESQLITE. */
int bg_terms_register(sqlite3 *db, const char *path, bg_terms_dec **out,
                      bg_err *err);

/* ---- extraction.kind_code (schema 15) --------------------------------------
 * A label's kind as extraction.kind_code stores it, 0 theme, 1 problem, 2
 * commitment, and back, as SQL CASE expressions of the SQL c (a code) or k
 * (a word); extraction.kind is generated from kind_code by the first, and
 * what seeks the index extraction_kind (kind_code, doc_id) by a kind compares
 * kind_code with the second (bg_query_kind_test). */
#define BG_SQL_KIND_OF_CODE(c)                                                 \
    "CASE " c " WHEN 0 THEN 'theme' WHEN 1 THEN 'problem' WHEN 2 THEN "        \
    "'commitment' END"
#define BG_SQL_CODE_OF_KIND(k)                                                 \
    "CASE " k " WHEN 'theme' THEN 0 WHEN 'problem' THEN 1 WHEN 'commitment' "  \
    "THEN 2 END"

/* ---- doc_vector.terms (schema 7) -------------------------------------------
 * A document's term counts, one row a document: for each coarse term by id,
 * the unsigned LEB128 varints (util.h) of its id minus the previous one (the
 * first: minus 0), then its tf. bg_vector_next is the one C reader; the
 * SQL function bg_vector(terms) -> TEXT, on each connection baogao opens
 * (bg_terms_register), gives its pairs to SQL as the JSON array
 * [[term_id, tf], ...], rows by json_each (the trigger that takes a deleted
 * row's counts from the term totals, index.h). */

/* The next pair of a doc_vector value p[0, n) from byte *i: *id holds the
 * previous id on entry (0 before the first) and the pair's id on return,
 * *tf its count; *i advances past the pair. Returns 1 for a pair, 0 at the
 * end, -1 when the value is damaged there (a varint cut short, an id past
 * INT64_MAX or a tf past INT64_MAX). */
int bg_vector_next(const unsigned char *p, size_t n, size_t *i, uint64_t *id,
                   uint64_t *tf);

/* Appends the terms text of the packed value p[0, n) to out (no NUL
 * added). Returns 0, BG_ENOMEM, BG_ESQLITE or BG_EINVAL (a damaged value,
 * or an id not in the term table: err says which). */
int bg_terms_decode(bg_terms_dec *d, const unsigned char *p, size_t n,
                    bg_buf *out, bg_err *err);

/* The fine parts of term id as term_part lists them, in order: *parts
 * (owned by d, valid until its next call) and *n (0: none). Parts once
 * found are kept; none found is asked again at the next call (a writer may
 * add them). Returns 0, BG_ENOMEM or BG_ESQLITE. */
int bg_terms_parts(bg_terms_dec *d, int64_t id, const int64_t **parts,
                   size_t *n, bg_err *err);

/* Finalizes the statements d has prepared on its connection (call it
 * before sqlite3_close, which leaves a connection with statements open
 * unclosed); d stays usable. NULL is harmless. */
void bg_terms_close(bg_terms_dec *d);

/* Forgets every term and part read so far (a writer whose transaction
 * rolled back: ids may be reused); they are read again when met. */
void bg_terms_forget(bg_terms_dec *d);

#endif
