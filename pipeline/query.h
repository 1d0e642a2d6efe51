/*
 * query.h - stage 8: questions asked of the index (read side).
 *
 * Every query returns a bg_rows table (named, typed columns) that the CLI
 * prints as a table, CSV, JSON or JSON Lines (output.h). Queries only read
 * the database; the query text is normalised and segmented exactly like
 * documents were (normalise.h, segment.h), so a Simplified query finds
 * Traditional text.
 *
 * Offsets in results are byte offsets into the source file (`file`) as it
 * lies on disk; `text` is the original sentence without pinyin debris.
 *
 * Threading: a bg_query is used by one thread at a time.
 */
#ifndef BG_QUERY_H
#define BG_QUERY_H

#include "keywords.h"
#include "segment.h"

#include <stdint.h>

typedef enum bg_coltype { BG_COL_TEXT, BG_COL_INT, BG_COL_REAL } bg_coltype;

typedef struct bg_cell {
    int null;
    int64_t i;
    double r;
    char *s; /* owned */
} bg_cell;

/* A result table: ncols named columns of fixed type, nrows rows, cells in
 * row-major order. Free with bg_rows_free. */
typedef struct bg_rows {
    size_t ncols, nrows, cap;
    char **names;
    bg_coltype *types;
    bg_cell *cells;
} bg_rows;

void bg_rows_free(bg_rows *r);

typedef struct bg_query bg_query;

/* Opens the database at path read-only, with a normaliser, segmenter and
 * the stopword list at stopwords_path (NULL: none). Returns 0, BG_ENOTFOUND
 * (no database there), BG_ESQLITE (not a baogao database), BG_EICU,
 * BG_EIO/BG_EDATA (stopword file) or BG_ENOMEM; *out NULL on failure. */
int bg_query_open(bg_query **out, const char *path, const char *stopwords_path,
                  bg_err *err);

void bg_query_close(bg_query *q);

/* Documents: doc, file, seq, start, end, title, sentences, tokens.
 * Returns 0, BG_ESQLITE or BG_ENOMEM (also for every query below). */
int bg_query_docs(bg_query *q, bg_rows *out, bg_err *err);

/* Sentences of document doc with their labels: doc, sentence, start, end,
 * line, outline, labels (comma-separated kinds), text. BG_ENOTFOUND when
 * there is no such document. */
int bg_query_show(bg_query *q, int64_t doc, bg_rows *out, bg_err *err);

/* Sentences matching query, best first (FTS5 bm25 over the segmented
 * terms; space-separated parts of the query must all occur, each as a
 * phrase). When the term search finds nothing, sentences whose analysis
 * form contains the query as a substring are returned instead (column
 * `match` says "terms" or "substring"). Columns: doc, file, start, end,
 * match, score (bm25, lower is better; NULL for substring hits), text,
 * snippet (the first occurrence of the query in 【】 with up to 24
 * characters of the sentence on each side, … where cut). At most
 * limit rows (0: no limit). BG_EINVAL for a query with no term. */
int bg_query_search(bg_query *q, const char *query, size_t limit, bg_rows *out,
                    bg_err *err);

/* Word list over the corpus: rank, term, freq (raw count), per_million
 * (freq / total term tokens * 1e6), df (documents containing it). Only
 * words (not numbers) are listed; stopwords too unless drop_stopwords.
 * Sorted by freq descending, then term; at most top rows (0: all). */
int bg_query_freq(bg_query *q, size_t top, int drop_stopwords, bg_rows *out,
                  bg_err *err);

/* TF-IDF keywords of document doc (or of every document when doc is 0):
 * doc, rank, term, tf, df, tfidf, with tfidf = bg_tfidf_jieba(tf, T,
 * bg_idf_plain(N, df)) where T is the document's count of candidate tokens
 * and N the number of documents. Candidates follow jieba's extract_tags:
 * words of at least two characters that are not stopwords; numbers are
 * excluded. At most top rows per document. BG_ENOTFOUND for an unknown
 * doc. */
int bg_query_keywords(bg_query *q, int64_t doc, size_t top, bg_rows *out,
                      bg_err *err);

/* Extracted items of kind ("theme", "problem", "commitment") in document
 * doc (0: all), in document and text order: file, doc, title, start, end,
 * kind, rule, score, phrase (themes; NULL otherwise), text. */
int bg_query_extractions(bg_query *q, const char *kind, int64_t doc,
                         bg_rows *out, bg_err *err);

/* Counts for a summary: documents, sentences, term tokens, distinct terms,
 * themes, problems, commitments (one row). */
int bg_query_counts(bg_query *q, bg_rows *out, bg_err *err);

#endif
