/*
 * query_int.h - what the files of the read side share among themselves
 * (as FTS5's fts5Int.h does for its fts5_*.c): the bg_query handle, result
 * tables, facets and document sets, corpus counting, and the words of a
 * query. Not part of the query.h contract; nothing outside
 * pipeline/query/ includes it.
 *
 * Reading order: query_rows.c (result tables), query_open.c (the handle),
 * query_facet.c (--where facets, document sets), query_count.c (the term
 * vocabulary, exclusions, counts per document), query_terms.c (a query's
 * words, the sentences holding them), then one file per command family:
 * query_docs.c, query_search.c, query_freq.c, query_keyness.c,
 * query_kwic.c, query_colloc.c, query_ngrams.c, query_trend.c,
 * query_cooc.c, query_keywords.c, query_items.c, query_recurring.c, and
 * query_summary.c on top of them. A file calls only files before it.
 *
 * Threading: as query.h. Offsets: byte offsets.
 */
#ifndef BG_QUERY_INT_H
#define BG_QUERY_INT_H

#include "query.h"
#include "util_sql.h"

#include <sqlite3.h>

struct bg_query {
    sqlite3 *db;
    char *path;
    bg_normaliser *norm;
    bg_segmenter *seg;
    bg_stopwords *stop;
    char dict_note[512]; /* non-empty: the dictionaries changed */
    int instances_fn;    /* bg_instances registered (query_match.c) */
    bg_terms_dec *dec;   /* bg_terms (util_sql.h), owned by db */
};

/* ---- result tables (query_rows.c) ---------------------------------------- */

/* bg_query_rows_init, bg_query_rows_add and the cell setters: query.h. */

/* Index of the column named name in r; r must have it. */
size_t bg_query_col(const bg_rows *r, const char *name);

/* Sets c to the text s[0, n) (copied). Returns 0 or BG_ENOMEM. */
int bg_query_cell_textn(bg_cell *c, const char *s, size_t n);

/* Copies column i of the current row of st into c by its declared type.
 * Returns 0 or BG_ENOMEM. */
int bg_query_cell_from(bg_cell *c, bg_coltype t, sqlite3_stmt *st, int i);

/* Fills err with BG_ENOMEM, "query: out of memory"; returns BG_ENOMEM. */
int bg_query_oom(bg_err *err);

/* ---- the handle (query_open.c) ------------------------------------------- */

/* Fills err with BG_ESQLITE: the database path, what failed and SQLite's
 * message; returns BG_ESQLITE. */
int bg_query_err(bg_query *q, bg_err *err, const char *what);

/* Prepares sql on the index. Returns 0 or BG_ESQLITE; *st NULL on
 * failure. */
int bg_query_prepare(bg_query *q, const char *sql, sqlite3_stmt **st,
                     bg_err *err);

/* Prepares sql, a string from sqlite3_mprintf (NULL: it ran out of
 * memory), on the index and frees it. Returns 0, BG_ENOMEM or BG_ESQLITE;
 * *st NULL on failure. */
int bg_query_prepare_take(bg_query *q, char *sql, sqlite3_stmt **st,
                          bg_err *err);

/* Runs st to the end, one row of r per result row, columns in order.
 * Returns 0, BG_ENOMEM or BG_ESQLITE. */
int bg_query_fill(bg_query *q, sqlite3_stmt *st, bg_rows *r, bg_err *err);

/* The integer the query sql gives (0 for no row) in *out. Returns 0 or
 * BG_ESQLITE. */
int bg_query_int(bg_query *q, const char *sql, int64_t *out, bg_err *err);

/* 1 when table (of the index) has column name, else 0 (also on error):
 * the schema grew over versions, so queries ask before using a column. */
int bg_query_has_column(bg_query *q, const char *table, const char *name);

/* The SQL condition that label a (an alias of extraction, or the table's
 * name) is of kind v (SQL: a parameter such as "?1", or a quoted word),
 * written into out[0, n) (truncated past n; 160 bytes suffice): on
 * kind_code (BG_SQL_CODE_OF_KIND, util_sql.h) when the database has it
 * (schema 15; what the index extraction_kind holds since 16, so that the
 * condition seeks it), else on the word kind. Returns out. */
const char *bg_query_kind_test(bg_query *q, const char *a, const char *v,
                               char *out, size_t n);

/* 0 when document doc exists, else BG_ENOTFOUND ("no document N (see
 * `baogao docs`)") or BG_ESQLITE. */
int bg_query_doc_exists(bg_query *q, int64_t doc, bg_err *err);

/* The largest term or document id the statistics accept: they index
 * arrays by id (SQLite's rowids are dense unless a database was crafted;
 * 2^28 is 268 million, far above any corpus baogao reads). */
#define BG_QUERY_MAX_ID ((int64_t)1 << 28)

/* ---- facets and document sets (query_facet.c) ---------------------------
 * A filter (query.h, "facets") becomes SQL over `document d JOIN source
 * src`: names are checked against PRAGMA table_info(document), values are
 * quoted by sqlite3_mprintf ("%Q") or written as numbers. */

typedef struct bg_facet {
    char *cond; /* SQL condition on d/src ("1": all); sqlite3_malloc'd */
    char *kind; /* kind=... or NULL; malloc'd */
} bg_facet;

/* Parses a --where spec (NULL or "": every document) into *f. Returns 0,
 * BG_EINVAL (a bad facet, named in err) or BG_ENOMEM; f is empty on
 * failure and freed by bg_facet_free either way. */
int bg_facet_parse(bg_query *q, const char *spec, bg_facet *f, bg_err *err);
void bg_facet_free(bg_facet *f);

/* The SQL of a label's clause text (extraction_detail alias dt, its
 * sentence alias s): the clause stored, or, when it is NULL with
 * clause_start set, the bytes of the sentence text at [clause_start,
 * clause_end) of the file (the writer stores the clause only when it is
 * not that: index.h); NULL for a label without a clause. */
#define BG_DETAIL_CLAUSE_SQL                                                   \
    "COALESCE(dt.clause, CAST(substr(CAST(s.text AS BLOB), dt.clause_start "   \
    "- s.start + 1, dt.clause_end - dt.clause_start) AS TEXT))"

/* The SQL of a cue's text (extraction_cue alias c, its label's sentence
 * alias s): the text stored, or when NULL the sentence text's bytes at
 * [start, end) of the file (index.h). */
#define BG_CUE_TEXT_SQL                                                        \
    "COALESCE(c.text, CAST(substr(CAST(s.text AS BLOB), c.start - s.start + "  \
    "1, c.end - c.start) AS TEXT))"
/* The same since schema 12: a cue with back set takes its bytes from the
 * sentence back before the label's (index.h) */
#define BG_CUE_TEXT_SQL_12                                                     \
    "COALESCE(c.text, CASE WHEN c.back IS NULL THEN CAST(substr(CAST(s.text "  \
    "AS BLOB), c.start - s.start + 1, c.end - c.start) AS TEXT) ELSE (SELECT " \
    "CAST(substr(CAST(x.text AS BLOB), c.start - x.start + 1, c.end - "        \
    "c.start) AS TEXT) FROM sentence x WHERE x.doc_id = s.doc_id AND x.seq = " \
    "s.seq - c.back) END)"

/* The condition that keeps the sentences s (alias s in the caller's SQL)
 * labelled f->kind, as " AND EXISTS (...)" with the kind bound to
 * parameter ?param (1 to 3); "" when f has no kind. Static storage. */
const char *bg_facet_kind_sql(const bg_facet *f, int param);

/* The SQL expression of facet name (doc, file, a document column or a
 * field of document.meta) in out[0, n). Returns 0, BG_EINVAL (not a
 * facet: err lists them) or BG_ESQLITE. */
int bg_facet_column(bg_query *q, const char *name, char *out, size_t n,
                    bg_err *err);

/* The facet a --by spec names (year for year:10) in out[0, n). */
const char *bg_by_name(const char *by, char *out, size_t n);

/* The documents of a filter, grouped by a facet. Exact duplicates
 * (document.dup_of) hold no terms and are no documents of the corpus. */
typedef struct bg_docset {
    int64_t *id;   /* documents of the filter, by group then id */
    size_t *group; /* group index of each */
    size_t n;
    char **gname; /* group values as text */
    size_t ngroups;
    int gint;   /* every group value is an integer */
    size_t *of; /* by document id: group + 1, 0 when not in the set */
    int64_t maxid;
} bg_docset;

/* Documents matching f, grouped by facet `by` (NULL: one group; NAME:N
 * bins of N) and the periods bins (NULL: none; query.h, "Groups").
 * Returns 0, BG_EINVAL (a bad facet, N or period), BG_ESQLITE or
 * BG_ENOMEM; d empty on failure. */
int bg_docset_load(bg_query *q, const bg_facet *f, const char *by,
                   const char *bins, bg_docset *d, bg_err *err);
void bg_docset_free(bg_docset *d);

/* 1 when document doc is in d. */
int bg_docset_has(const bg_docset *d, int64_t doc);

/* Sets c to group g's value (an integer when every value is one). Sets
 * *rc to BG_ENOMEM when out of memory. */
void bg_docset_put_group(bg_cell *c, const bg_docset *d, size_t g, int *rc);

/* ---- corpus counting (query_count.c) ------------------------------------- */

/* The term table by id, plus terms met only in a reference list. Terms
 * are coarse (index.h); a compound's fine parts are term ids too. At the
 * fine granularity a compound counts as its parts and is itself excluded. */
/* A vocabulary's map, made at its first look-up (bg_vocab_get), so
 * allocated apart: a look-up through a const bg_vocab makes it. */
typedef struct bg_vocab_map {
    bg_strmap m; /* term -> id */
    int state;   /* made: 1; 0 not yet; -1 out of memory */
    int scans;   /* look-ups made without it */
} bg_vocab_map;

typedef struct bg_vocab {
    char **term;              /* by id; NULL for unused ids */
    unsigned char *num;       /* number terms (term.kind) */
    unsigned char *excl;      /* excluded by the options (bg_vocab_exclude) */
    unsigned char *nparts;    /* by id: fine parts of a compound, 0 none */
    size_t *part_at;          /* by id: its first part in parts */
    size_t *parts, nall;      /* every compound's part ids, in order */
    size_t n, cap;            /* ids are < n */
    struct bg_vocab_map *map; /* term -> id, made at the first look-up */
    char **blk;               /* the terms' bytes, in blocks (vocab_copy) */
    size_t nblk, blkcap, blk_used, blk_size;
    bg_granularity gran; /* what is counted */
} bg_vocab;

/* Reads the term table and term_part into v, to be counted at granularity
 * g. Returns 0, BG_ESQLITE or BG_ENOMEM. */
int bg_vocab_load(bg_query *q, bg_granularity g, bg_vocab *v, bg_err *err);

/* The id of the term of a stored form t[0, len) (a coarse term, its fine
 * parts apart by tabs: sentence.terms), BG_STRMAP_ABSENT when unknown. */
size_t bg_vocab_find(const bg_vocab *v, const char *t, size_t len);

/* The id of the term t[0, len) itself (no tabs), BG_STRMAP_ABSENT when
 * unknown. The first BG_VOCAB_SCANS look-ups of v (this, bg_vocab_find,
 * bg_vocab_intern) compare the terms in turn (a query's few words: 45,000
 * compares take about 0.3 ms, where the map's 4 MB of slots cost 10-15 ms
 * of page faults here, and a word list of the whole corpus looks up
 * nothing); the next makes v's map (term -> id). Should that run out of
 * memory, the terms are compared in turn: slower, the same answers. */
#define BG_VOCAB_SCANS 8
size_t bg_vocab_get(const bg_vocab *v, const char *t, size_t len);

/* The id of t in *id, added when absent (reference-list words). Returns 0
 * or BG_ENOMEM. */
int bg_vocab_intern(bg_vocab *v, const char *t, size_t *id);

/* Marks the excluded terms: numbers (unless o->numbers), stopwords (when
 * stopwords), the boilerplate list, the user lists; words shorter than
 * min_chars or o->min_len characters (the larger). Returns 0, BG_EIO/BG_EDATA
 * (a list) or BG_ENOMEM. */
int bg_vocab_exclude(bg_query *q, const bg_stats_opts *o, bg_vocab *v,
                     int stopwords, size_t min_chars, bg_err *err);
void bg_vocab_free(bg_vocab *v);

/* Counts by term id over some documents. */
typedef struct bg_tally {
    int64_t *freq, *range, *last; /* by term id; last: last doc counted */
    size_t *touched, ntouched;    /* ids with freq > 0 */
    size_t n;
    int64_t tokens, docs;
} bg_tally;

int bg_tally_init(bg_tally *c, size_t n); /* 0 or BG_ENOMEM */
void bg_tally_reset(bg_tally *c);         /* back to no document */
void bg_tally_free(bg_tally *c);

/* Reads one document's counts into a tally: from doc_vector (doc_term
 * packed one row a document; doc_term itself in a database made before
 * it), or, for a facet with a kind, from the terms of its sentences with
 * that label. */
typedef struct bg_reader {
    sqlite3_stmt *st;
    const char *kind;
    const bg_vocab *v;
    int packed; /* st reads doc_vector (index.h), not doc_term */
} bg_reader;

/* Opens r for facet f (borrowed with v until r.st is finalised). Returns
 * 0 or BG_ESQLITE. */
int bg_reader_open(bg_query *q, const bg_facet *f, const bg_vocab *v,
                   bg_reader *r, bg_err *err);

/* Adds the counts of document doc to c. Returns 0 or BG_ESQLITE. */
int bg_reader_count(bg_query *q, bg_reader *r, int64_t doc, bg_tally *c,
                    bg_err *err);

/* Called with each stored count of a document: term id, tf. */
typedef void (*bg_pair_fn)(void *ctx, size_t id, int64_t tf);

/* Calls fn(ctx, id, tf) for each (term id, tf) that document doc's stored
 * counts hold (coarse ids as stored, index.h: its doc_vector row in term
 * id order, or its doc_term rows in a database made before doc_vector),
 * through r, opened for a facet without a kind. Returns 0, BG_EINVAL (r
 * has a kind: no stored counts), BG_EDATA (a damaged doc_vector row) or
 * BG_ESQLITE. */
int bg_reader_each(bg_query *q, bg_reader *r, int64_t doc, bg_pair_fn fn,
                   void *ctx, bg_err *err);

/* Adds the counts of the documents of d to c (empty: initialised or
 * reset). With counts by document (r without a kind) and a database with
 * term totals (term.freq, term.df), when fewer documents of the corpus lie
 * outside d than in it, c is the totals minus those outside: minus kc, the
 * counts of the documents of known (NULL: none; disjoint from d), and
 * minus the counts of the rest, read; else d's documents are read one by
 * one. Either way the same counts (ids with freq 0 are not in
 * c->touched). Returns 0, BG_ESQLITE or BG_ENOMEM. */
int bg_count_docset(bg_query *q, bg_reader *r, const bg_docset *d,
                    const bg_docset *known, const bg_tally *kc, bg_tally *c,
                    bg_err *err);

/* Adds the corpus totals of every term (term.freq, term.df) to c, and
 * their sum to c->tokens. Returns 0, BG_ENOTFOUND (a database without
 * totals: nothing added), BG_ESQLITE. */
int bg_count_totals(bg_query *q, bg_tally *c, bg_err *err);

/* Counts every document of f into c (initialised here), d its documents:
 * the corpus frequencies and N of windows and collocations. Returns 0 or
 * an error as above. */
int bg_count_all(bg_query *q, const bg_facet *f, const bg_vocab *v, bg_tally *c,
                 bg_docset *d, bg_err *err);

/* A term with a count; sorted records carry their term, so that
 * comparators need no context. */
typedef struct bg_ranked_id {
    size_t id;
    int64_t f;
    const char *term;
} bg_ranked_id;

/* qsort order: count descending, then term. */
int bg_ranked_cmp(const void *a, const void *b);

/* The kept terms of c with a count >= min_freq by count, then term, in
 * *out (malloc'd), *n of them. Returns 0 or BG_ENOMEM. */
int bg_top_terms(const bg_tally *c, const bg_vocab *v, int64_t min_freq,
                 bg_ranked_id **out, size_t *n);

/* ---- a query's words, the sentences holding them (query_terms.c) --------- */

typedef struct bg_qterms {
    char **t; /* the terms at gran, malloc'd */
    size_t n, cap;
    bg_buf fts;    /* one FTS5 phrase of the fine terms: "t1 t2 ..." (the
                      terms sentence_fts indexes) */
    bg_buf joined; /* the query's words without spaces (analysis form) */
    bg_granularity gran;
} bg_qterms;

/* The terms of query at granularity g, normalised and segmented like
 * documents. Returns 0, BG_EINVAL (no term: only punctuation or space),
 * BG_EICU or BG_ENOMEM. */
int bg_qterms_parse(bg_query *q, const char *query, bg_granularity g,
                    bg_qterms *w, bg_err *err);
void bg_qterms_free(bg_qterms *w);

/* A sentence's terms split in place at the spaces. */
typedef struct bg_toks {
    char **t;
    size_t n, cap;
} bg_toks;

/* Splits terms (a sentence.terms value, modified) into k at granularity
 * g: coarse terms (the tabs between a compound's parts taken out) or fine
 * ones (split at the tabs too). Returns 0 or BG_ENOMEM. */
int bg_toks_split(bg_toks *k, char *terms, bg_granularity g);

/* A sentence's terms as ids of a vocabulary, in text order. */
typedef struct bg_ids {
    size_t *id; /* BG_STRMAP_ABSENT: a token the vocabulary lacks */
    size_t n, cap;
} bg_ids;

/* The terms of a sentence.terms value (column col of st's row: packed
 * term ids, util_sql.h, or the text of a database of schema 8 or before,
 * which is split and looked up) into k as ids of v at v's granularity:
 * coarse terms, or fine ones (a term cut here as its parts, one whole
 * here as itself), what splitting its text (bg_toks_split) and looking
 * each token up in v gives, without the text. scratch: the text's copy.
 * Returns 0, BG_ENOMEM or BG_EDATA (a damaged value). */
int bg_sentence_ids(const bg_vocab *v, sqlite3_stmt *st, int col, bg_ids *k,
                    bg_buf *scratch);

/* Prepares the reading of (doc_id, id, terms) of the sentences holding the
 * phrase of w in the documents of f, in text order. Returns 0, BG_ESQLITE
 * or BG_ENOMEM. */
int bg_query_prep_fts(bg_query *q, const bg_facet *f, const bg_qterms *w,
                      sqlite3_stmt **st, bg_err *err);

/* Calls cb for every occurrence of w in the sentences that st reads
 * ((doc_id, id, terms) rows, bg_query_prep_fts; terms packed): k the
 * sentence's terms as ids of v (bg_sentence_ids), i the position of the
 * occurrence, occ its number in the sentence, st at the sentence's row. cb
 * returns 0 to go on, a positive value to stop (not an error) or
 * BG_ENOMEM. Returns 0, BG_ENOMEM, BG_EDATA or BG_ESQLITE (named by
 * what). */
typedef int (*bg_node_cb)(const bg_ids *k, size_t i, size_t occ,
                          sqlite3_stmt *st, void *payload);
int bg_query_each_node(bg_query *q, sqlite3_stmt *st, const bg_vocab *v,
                       const bg_qterms *w, bg_node_cb cb, void *payload,
                       const char *what, bg_err *err);

/* Prepares the reading of (doc_id, id, terms), and with with_text the
 * sentence's text as a fourth column, of every sentence in the documents
 * of f, by document and sequence. */
int bg_query_prep_sentences(bg_query *q, const bg_facet *f, int with_text,
                            sqlite3_stmt **st, bg_err *err);

/* Calls cb with the distinct kept term ids of each sentence of f; mark
 * (by id, zeroed) is scratch. Returns 0, cb's non-zero value or an error
 * as above. */
typedef int (*bg_sent_ids_cb)(const size_t *ids, size_t n, void *payload);
int bg_query_each_sentence(bg_query *q, const bg_facet *f, const bg_vocab *v,
                           int64_t *mark, bg_sent_ids_cb cb, void *payload,
                           bg_err *err);

/* ---- every occurrence of a query (query_match.c) --------------------------
 * A query (query.h, "query syntax") matches a sentence as text (its words
 * and phrases occur in the analysis form, anywhere) or as whole words
 * (their terms as FTS5 phrases, as --word and the ranking use them). */

/* One written form of a word or phrase. */
typedef struct bg_form {
    char *norm;  /* analysis form, white space runs one space, none at the
                    ends; malloc'd */
    size_t len;  /* strlen(norm) */
    char **term; /* its terms (fine granularity, as sentence_fts indexes) */
    size_t nterms, cap;
} bg_form;

/* A word or phrase of a query: the form typed, then, for a number, the
 * index's other forms of its value (二〇三五年 for 2035年). */
typedef struct bg_leaf {
    const bg_qnode *node;
    bg_form *form; /* form[0]: as typed */
    size_t nforms;
    int has_terms; /* some form has terms (an emoji has none) */
    int negated;   /* under a NOT */
} bg_leaf;

typedef struct bg_match {
    bg_qnode *tree;
    bg_leaf *leaf; /* by bg_qnode.leaf */
    size_t nleaves;
    char *fts; /* the whole-word FTS5 expression, every term quoted; NULL
                  when no sentence can match it (no word has a term) */
    unsigned char *must; /* by leaf: 1 when every matching sentence holds
                            it (the query, or an operand of its top AND) */
} bg_match;

/* Parses and resolves query into m (free with bg_match_free). Returns 0,
 * BG_EUSAGE (the syntax, or a word with nothing to search for: only
 * punctuation and white space), BG_EICU or BG_ENOMEM; m empty on
 * failure. */
int bg_match_compile(bg_query *q, const char *query, bg_match *m, bg_err *err);
void bg_match_free(bg_match *m);

/* An occurrence of word or phrase `leaf`: bytes [start, end) of a
 * sentence's analysis form; word 1 when it is a whole-word occurrence (the
 * word's terms are the tokens there). */
typedef struct bg_occ {
    size_t leaf, start, end;
    int word;
} bg_occ;

/* Occurrences of m's words and phrases that are not under a NOT in the
 * analysis form s[0, len), by start: every one as text with word set for
 * the whole-word ones (word 0), or only the whole-word ones (word 1). *out
 * malloc'd (NULL when none). Returns 0, BG_EICU or BG_ENOMEM. */
int bg_match_find(bg_query *q, const bg_match *m, const char *s, size_t len,
                  int word, bg_occ **out, size_t *n, bg_err *err);

/* A sentence matching as text. */
typedef struct bg_line {
    int64_t sid, doc;
    size_t seq;
    const char *s; /* its analysis form, len bytes (not NUL-terminated) */
    size_t len;
    const bg_occ *occ; /* occurrences of the words not under NOT, by start
                          (word not set) */
    size_t nocc;
} bg_line;

/* Receives a matching sentence, valid during the call; returns 0 to go on,
 * BG_SCAN_STOP to end the scan there (no error: the caller has what it
 * wanted), or an error. */
typedef int (*bg_line_cb)(const bg_line *l, void *payload);
#define BG_SCAN_STOP 1

/* Calls cb for every sentence of the documents of f (and its kind) that m
 * matches as text, by document and sequence: every occurrence counted, in
 * each sentence's analysis form (schema 11: its text with norm_edit
 * applied; schema 5 to 10: document_norm; before: sentence.norm), until
 * cb returns BG_SCAN_STOP (*stopped, when not NULL, says whether it did:
 * a scan that ran to its end has seen every match). Returns 0, cb's error,
 * BG_EINVAL (a bad facet), BG_ESQLITE or BG_ENOMEM. */
int bg_match_scan(bg_query *q, const bg_match *m, const bg_facet *f,
                  bg_line_cb cb, void *payload, int *stopped, bg_err *err);

/* Calls cb for every sentence of f (and its kind) matching m's whole-word
 * expression, by document and sequence, with its whole-word occurrences
 * (word set; found by segmenting its analysis form). Returns as
 * bg_match_scan. */
int bg_match_word_lines(bg_query *q, const bg_match *m, const bg_facet *f,
                        bg_line_cb cb, void *payload, bg_err *err);

/* A sentence matching as whole words: FTS5's BM25 (lower is better) and
 * its phrase instances (whole-word occurrences). */
typedef struct bg_scored {
    int64_t sid;
    double score;
    int64_t instances;
} bg_scored;

typedef enum bg_words_mode {
    BG_WORDS_COUNT,  /* only *n and *instances */
    BG_WORDS_ROWS,   /* the sentences too, score 0 */
    BG_WORDS_RANKED, /* the sentences with their BM25 */
    BG_WORDS_BEST,   /* only the best `keep` by BM25, then id */
} bg_words_mode;

/* The sentences of f matching m's whole-word expression in *out
 * (malloc'd; NULL when none or BG_WORDS_COUNT): by id, or for
 * BG_WORDS_BEST the best min(keep, *n) by (BM25, id) in that order, in
 * *nout; how many sentences match in *n (all of them, in every mode), and
 * their phrase instances in *instances. One pass over FTS5's matches;
 * BG_WORDS_BEST holds at most 2 * keep rows (O(n log keep)). Returns 0,
 * BG_ESQLITE or BG_ENOMEM. */
int bg_match_words(bg_query *q, const bg_match *m, const bg_facet *f,
                   bg_words_mode mode, size_t keep, bg_scored **out,
                   size_t *nout, size_t *n, int64_t *instances, bg_err *err);

/* 1 when every sentence m matches as whole words also matches it as text,
 * so that its whole-word hits are the ranked hits of search without a
 * scan: no NOT, no NEAR, and each word a single form that is one term
 * FTS5 indexes as written (Han characters, a-z, 0-9 and '.'), found as
 * text wherever it is a token. */
int bg_match_words_are_text(const bg_match *m);

/* Sorts v[0, n) by (BM25, id): search's order of whole-word hits. */
void bg_scored_rank(bg_scored *v, size_t n);

/* The entry of v[0, n) (by id) for sentence sid, or NULL. */
const bg_scored *bg_match_score(const bg_scored *v, size_t n, int64_t sid);

#endif
