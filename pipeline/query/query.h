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
    char *note; /* a line a front end shows under the table (its totals);
                   NULL: none; owned */
} bg_rows;

void bg_rows_free(bg_rows *r);

/* Building a result table (the queries' own, and any layer above that
 * derives a table from theirs). */
/* Sets up r with columns "name:t" (t: s text, i int, r real; the type is
 * after the last colon). Returns 0 or BG_ENOMEM (free r with bg_rows_free
 * either way). */
int bg_query_rows_init(bg_rows *r, const char *const *cols, size_t n);

/* Appends a row of NULL cells; returns it or NULL (out of memory). */
bg_cell *bg_query_rows_add(bg_rows *r);

/* Cell setters: text is copied (NULL leaves the cell NULL); 0 or
 * BG_ENOMEM. */
int bg_query_cell_text(bg_cell *c, const char *s);
void bg_query_cell_int(bg_cell *c, int64_t v);
void bg_query_cell_real(bg_cell *c, double v);

typedef struct bg_query bg_query;

/* Opens the database at path read-only, with a normaliser, segmenter and
 * the stopword list at stopwords_path (NULL: none). Returns 0, BG_ENOTFOUND
 * (no database there), BG_ESQLITE (not a baogao database), BG_EICU,
 * BG_EIO/BG_EDATA (stopword file) or BG_ENOMEM; *out NULL on failure. */
int bg_query_open(bg_query **out, const char *path, const char *stopwords_path,
                  bg_err *err);

/* bg_query_open for a process that runs one command and exits (the CLI):
 * the database read through the read-ahead VFS (util_sql.h) with a small
 * page cache, not a memory map. Same results and errors. */
int bg_query_open_once(bg_query **out, const char *path,
                       const char *stopwords_path, bg_err *err);

void bg_query_close(bg_query *q);

/* Reads every later query of q from one committed state of the database
 * (an SQLite read transaction, taken at the first read after this call)
 * until bg_query_end, so that a command's several statements agree while
 * an ingest commits batches in another process (WAL: readers never wait
 * for writers). Hold it for one command or request only: a reader's
 * snapshot keeps the write-ahead log from being checkpointed. Returns 0
 * or BG_ESQLITE. bg_query_end ends it (nothing when none is open);
 * bg_query_close ends it too. */
int bg_query_begin(bg_query *q, bg_err *err);
void bg_query_end(bg_query *q);

/* NULL, or a one-line note that the dictionaries the segmenter uses now
 * differ from those recorded when the index was made (run `baogao
 * reindex`). Queries are segmented with the user dictionaries recorded in
 * the index (meta key user_dicts). Valid until bg_query_close. */
const char *bg_query_dict_note(const bg_query *q);

/* The document that document doc repeats word for word (its exact
 * duplicate's original, which holds the sentences, terms and labels), or
 * 0 when doc is no duplicate or does not exist. */
int64_t bg_query_dup_of(bg_query *q, int64_t doc);

/* Whether the file of source path (as stored) still has the size it had
 * when ingested: 1 yes, 0 it changed or is gone (*now its size, -1 when
 * gone; *then the stored size), -1 no such source. Offsets of results
 * point into the ingested version of a file. */
int bg_query_source_current(bg_query *q, const char *path, int64_t *then,
                            int64_t *now);

/* Documents, by id: doc, file, seq, start, end, title, sentences, tokens,
 * author, org, date, year, format, encoding, confidence, dup_of.
 * Returns 0, BG_ESQLITE or BG_ENOMEM (also for every query below). */
int bg_query_docs(bg_query *q, bg_rows *out, bg_err *err);

/* Duplicate documents: doc, other, similarity, exact, title, other_title.
 * exact 1 when both hold the same normalised text as stored (one is the
 * exact duplicate of the other, or both of the same document; similarity
 * 1); otherwise similarity is the estimated
 * Jaccard similarity of their MinHash signatures (ingest.h), listed when
 * >= min_sim. Most similar first. */
int bg_query_duplicates(bg_query *q, double min_sim, bg_rows *out, bg_err *err);

/* Sentences of document doc with their labels: doc, sentence, start, end,
 * line, outline, labels (comma-separated kinds), repairs, text. repairs
 * names the kinds of the text repairs recorded in table repair (wrap,
 * page-number, repeat, entity, mojibake; comma-separated, NULL for none)
 * that changed the sentence's byte range [start, end) or removed text
 * right after it (the second copy of a repeated phrase). BG_ENOTFOUND when
 * there is no such document, or when it is an exact duplicate (the message
 * names the document holding its sentences). */
int bg_query_show(bg_query *q, int64_t doc, bg_rows *out, bg_err *err);

/* How many sentences and occurrences a query found, as text and as whole
 * words (what --word finds): search and kwic say it beside their rows.
 * Every figure is exact; sentences and occurrences are -1 when they were
 * not counted: matching as text (not --word) without o->count, a page
 * found without reading every document (the whole-word figures, from
 * sentence_fts, are always counted). */
typedef struct bg_match_counts {
    int64_t sentences, occurrences; /* matching as the command matched */
    int64_t word_sentences;         /* matching as whole words */
    int64_t word_occurrences;       /* whole-word occurrences in them */
} bg_match_counts;

typedef struct bg_search_opts {
    const char *where; /* facets (NULL: every document) */
    size_t limit;      /* rows (0: all) */
    size_t snippets;   /* snippets for the first N rows (SIZE_MAX: all) */
    int word;          /* whole words only (--word) */
    int count;         /* count every occurrence as text (--count): every
                          document is read; else only when the page needs
                          it */
} bg_search_opts;

/* Sentences matching query (query syntax, below), best first. A word or
 * phrase matches wherever its analysis form (normalised like the text:
 * Simplified, folded) occurs, inside a longer word or across words too;
 * with o->word only where its terms are whole tokens (segmented like the
 * text; FTS5 phrases over sentence_fts). Ranking: the sentences matching
 * as whole words by FTS5's BM25 over the terms (lower is better), then
 * those matching only as text, in text order. Columns: doc, file, start,
 * end, match ("word": it matches as whole words; "text": only inside or
 * across words), score (BM25; NULL for "text"), text, snippet (the sentence
 * from 24 characters before to 24 after the first occurrence of each word
 * or phrase searched for that it holds, stretches that meet joined, others
 * separated by …, extended to whole occurrences; every occurrence in them
 * marked 【】 (whole words only with o->word), … where cut). At most
 * o->limit rows; counts (NULL: not wanted) as bg_match_counts says.
 * Work: a page (o->limit > 0) of whole-word hits, or of a query whose
 * whole-word matches all match as text too (words that are single terms,
 * no NOT or NEAR), is read from sentence_fts alone when those hits fill
 * it, BM25 computed only for the rows that may rank among the best
 * o->limit; else (and with o->count) every document's analysis form is
 * scanned, a scan that stops once the page is full unless o->count.
 * o->where keeps the sentences of documents matching a --where spec (the
 * statistics' facets; kind=... keeps sentences holding such a label).
 * Returns 0, BG_EUSAGE (the query: err says what and where), BG_EINVAL (a
 * bad facet), BG_ESQLITE, BG_EICU or BG_ENOMEM. */
int bg_query_search_with(bg_query *q, const char *query,
                         const bg_search_opts *o, bg_rows *out,
                         bg_match_counts *counts, bg_err *err);

/* bg_query_search_with with where and limit, as text, snippets for every
 * row. */
int bg_query_search(bg_query *q, const char *query, const char *where,
                    size_t limit, bg_rows *out, bg_err *err);

/* bg_query_search with snippets made for the first `snippets` rows only
 * (the others' snippet NULL): a snippet normalises its sentence again,
 * which costs more than finding it, so a caller that counts many hits and
 * shows a few asks for those few. Same returns. */
int bg_query_search_hits(bg_query *q, const char *query, const char *where,
                         size_t limit, size_t snippets, bg_rows *out,
                         bg_err *err);

/* One row per document: doc, title, sentences, themes, problems,
 * commitments (counts of its items) and keywords: its top nkeywords
 * keywords, joined by "、", exactly as bg_query_keywords_stats gives them
 * with method BG_KW_JIEBA and the query's stopwords dropped (`baogao summary`
 * and `baogao keywords` agree). */
int bg_query_summary(bg_query *q, size_t nkeywords, bg_rows *out, bg_err *err);

/* Counts for a summary: documents, sentences, term tokens, distinct terms,
 * themes, problems, commitments (one row). */
int bg_query_counts(bg_query *q, bg_rows *out, bg_err *err);

/* The number of documents (exact duplicates not counted: they hold no
 * terms) matching where, a --where spec (facets, below; NULL or "": all),
 * in *n. Returns 0, BG_EINVAL (a bad facet, named in err), BG_ESQLITE or
 * BG_ENOMEM. */
int bg_query_where_count(bg_query *q, const char *where, int64_t *n,
                         bg_err *err);

/* ---- corpus statistics (query_freq.c ... query_keywords.c) ---------------
 *
 * Counts come from the index: doc_term (raw term frequency per document,
 * stored at ingest) for word lists and keyness, sentence.terms (each
 * sentence's terms, one space apart) for windows and n-grams, and
 * sentence_fts to find the sentences holding a word. A token is a term
 * (punctuation and white space are not terms); "per million" is per million
 * term tokens, numbers included. The formulas are in keywords.h, each with
 * its source.
 *
 * Facets. A filter is a list of conditions `NAME OP VALUE`, separated by
 * commas and all required: OP is = != < <= > >= or ~ (VALUE is a
 * substring); NAME is `doc` (document id), `file` (source path), `kind`
 * (theme, problem or commitment: count only inside sentences with that
 * label; = only) or any column of the document table (`title`, and the
 * metadata columns ingest stores, such as year or org; checked against the
 * table itself) or a field of the records' meta (ingest --meta-field; a
 * column name wins over a meta field of the same name). A VALUE that is a
 * number compares as a number (a meta field's value read as one). Grouping
 * (`by`) takes the same names except kind. */

typedef struct bg_stats_opts {
    const char *where;    /* filter (above); NULL or "": every document */
    const char *by;       /* facet to group by (below); NULL: no groups */
    size_t top;           /* rows (per group, per direction); 0: all */
    int64_t min_freq;     /* leave out rows counted fewer times */
    int drop_stopwords;   /* the query's stopword list (bg_query_open) */
    int drop_boilerplate; /* also dict/boilerplate.txt */
    const char *const *stop_files; /* more stopword lists (user files) */
    size_t nstop_files;
    int numbers;      /* keep terms that are numbers */
    int wide;         /* freq --by: a column per group; trend: per word */
    const char *sort; /* column to sort by; NULL: the command's default */
    const char *bins; /* periods of the --by facet (below); NULL: none */
    size_t min_len;   /* leave out words of fewer characters; 0/1: none */
    int word;         /* kwic: whole words only (--word) */
    int count;        /* kwic: count every occurrence as text (--count;
                         every document is read) */
    const char *idf;  /* keywords: where idf comes from: "corpus" (this
                         database's documents), "jieba" (bg_idf_default) or
                         a background table file (keywords.h); NULL: the
                         corpus with at least BG_KW_MIN_UNITS units, else
                         "jieba" */
    bg_granularity granularity; /* the words counted: BG_COARSE (the zero
                                   value: established compounds whole) or
                                   BG_FINE (their parts, the segmentation
                                   standard's words); segment.h */
} bg_stats_opts;

/* The fewest documents (or groups) whose own idf keywords use by default;
 * below it idf comes from a background table. */
#define BG_KW_MIN_UNITS 20

/* Groups (by, bins). by names a facet (as in a filter: doc, file, a
 * document column, or a --meta-field of the records); NAME:N groups its
 * numbers in bins of N (year:10: 1950-1959, 1960-1969, ...: floor(v / N)
 * * N to that + N - 1; documents without a number form the group "").
 * bins ("1954-1977,1978-2012,2013-": A-B, A- or -B, inclusive, the
 * first that holds a value wins) groups the facet's numbers (by, else
 * year) into those periods, named as written; documents in no period
 * are left out. A group column is named after the facet (year, not
 * year:10). */

/* Word list over the documents of o->where: rank, term, freq, per_million,
 * range (documents containing the term), and dp (Gries 2008 DP over the
 * documents, bg_disp_dp). With o->by, a `group` column (named after the
 * facet) leads and the top rows are per group (range and per_million
 * within the group); with o->wide as well, one row per term (the top
 * terms overall) with total and one count column per group value. Sorted by
 * freq, then term. BG_EINVAL (err says why) for a bad facet. Every stats
 * function returns 0, BG_EINVAL, BG_ENOTFOUND (named word or file absent),
 * BG_EIO/BG_EDATA (list files), BG_ESQLITE or BG_ENOMEM; out is empty on
 * failure and freed by the caller with bg_rows_free either way. */
int bg_query_freq_stats(bg_query *q, const bg_stats_opts *o, bg_rows *out,
                        bg_err *err);

/* Keyness of the target (filter `target`) against the reference (filter
 * `reference`; NULL: every document not in the target, or every document
 * when the target has a kind filter) or, when
 * reference_list is given, a word list file of `word<TAB>frequency` lines
 * (its corpus size is the sum of the frequencies). Columns: rank, term,
 * direction (+ overused in the target, - underused), freq_target,
 * freq_reference, pm_target, pm_reference, g2_4term (Dunning 1993) or, with
 * two_term, g2_2term (Rayson & Garside 2000), signed; p (chi-square, 1 df);
 * log_ratio_zero_half (Hardie 2014, a zero count taken as 0.5), pct_diff.
 * o->sort: g2 (default), log_ratio, pct_diff or p; top rows are per
 * direction, strongest first. Words with freq_target + freq_reference <
 * o->min_freq are left out. */
int bg_query_keyness(bg_query *q, const bg_stats_opts *o, const char *target,
                     const char *reference, const char *reference_list,
                     int two_term, bg_rows *out, bg_err *err);

/* Concordance of query (query syntax, below; as search matches it: every
 * occurrence as text, or whole words only with o->word), one row per
 * occurrence of its words and phrases that are not under a NOT, in the
 * sentences it matches: doc, sentence (seq), file, start, end (the node's
 * bytes in the source file; NULL when the file no longer matches the
 * index), left, node, right (the sentence as written, at most width
 * characters of context each side), word (1: a whole-word occurrence, the
 * word's terms are the tokens there; 0: inside a longer word or across
 * words). o->sort: left (by the characters before the node, nearest
 * first), right (after it), or NULL (text order). At most limit rows (0:
 * all); counts (NULL: not wanted) as bg_match_counts says: in text order
 * without o->count the scan of the documents stops once limit lines are
 * found (the first lines of every document's order), and the figures as
 * text are then -1. Returns as bg_query_search_with, plus BG_EINVAL for a
 * bad sort. */
int bg_query_kwic_with(bg_query *q, const bg_stats_opts *o, const char *query,
                       size_t width, size_t limit, bg_rows *out,
                       bg_match_counts *counts, bg_err *err);

/* bg_query_kwic_with without counts. */
int bg_query_kwic(bg_query *q, const bg_stats_opts *o, const char *query,
                  size_t width, size_t limit, bg_rows *out, bg_err *err);

/* Collocates of word within `left` terms before and `right` after each
 * occurrence, inside its sentence: rank, collocate, o11, left, right,
 * f_node, f_collocate, e11 (r1 c1 / N; with adjust, e11_window = r1 c1
 * (left + right) / N), mi, t_score, log_dice, g2 (keywords.h). o->sort:
 * log_dice (default), mi, t_score, g2, o11. */
int bg_query_collocates(bg_query *q, const bg_stats_opts *o, const char *word,
                        size_t left, size_t right, int adjust, bg_rows *out,
                        bg_err *err);

/* Word n-grams for n in [nmin, nmax] (2 <= nmin <= nmax <= 5) inside
 * clauses: rank, ngram (terms one space apart), n, freq, range. No n-gram
 * crosses clause or sentence punctuation (， 、 ； ： 。 ！ ？ ． and
 * , ; : ! ? .) of the sentence's text; a sentence whose text and terms do
 * not line up character for character is one clause. N-grams holding an
 * excluded term (number, dropped stopword) are left out. */
int bg_query_ngrams(bg_query *q, const bg_stats_opts *o, int nmin, int nmax,
                    bg_rows *out, bg_err *err);

/* Counts of each of words[0, n) per group of o->by (default: year when the
 * document table has it, or o->bins are given, else doc), every group
 * listed even with 0: the group column, term, freq, per_million (of the
 * group's tokens), range, documents (in the group), tokens. With o->wide,
 * one row per group: the group column, documents, tokens, then for each
 * word (in the order given) a column named after it (its count) and one
 * named WORD_per_million. */
int bg_query_trend(bg_query *q, const bg_stats_opts *o,
                   const char *const *words, size_t n, bg_rows *out,
                   bg_err *err);

/* Co-occurrence in sentences of the o->top (default 50) words found in
 * most sentences (candidates as keywords: words of 2+ characters, not
 * stopwords): source, target, count (sentences holding both), jaccard
 * (count / sentences holding either), source_freq, target_freq (sentences
 * holding each). Pairs with count < o->min_freq are left out. */
int bg_query_cooc(bg_query *q, const bg_stats_opts *o, bg_rows *out,
                  bg_err *err);

/* Keywords of each document (or each group of o->by, taken as one
 * document) by method: BG_KW_JIEBA (tf / T x ln(N / df), jieba's
 * extract_tags weighting), BG_KW_SKLEARN (raw tf x (ln((1 + N) / (1 + df))
 * + 1), rows l2 normalised: scikit-learn's TfidfTransformer defaults),
 * BG_KW_PLAIN (tf x ln(N / df)) or BG_KW_TEXTRANK (bg_textrank with
 * jieba's defaults over the document's terms in order). N and df count the
 * documents (groups) of the index. With a background table (o->idf; by
 * default when there are fewer than BG_KW_MIN_UNITS units) the idf of a
 * term is the table's (its upper median for a term it lacks, as jieba
 * does): jieba tf / T x idf, plain tf x idf, sklearn tf x (idf + 1)
 * l2-normalised. Candidates: words of 2+ characters that are not stopwords
 * (numbers only with o->numbers). Columns: the unit (doc or the facet),
 * rank, term, tf, df (in the index), and the score named after the method
 * and, for a background, its table: tfidf_jieba(idf:jieba) or
 * tfidf_jieba(idf:FILE) with FILE's base name. BG_EIO/BG_EDATA for a table
 * that cannot be read. */
/* An idf table from the documents of where (a --where spec, NULL: all;
 * exact duplicates left out; kind= does not apply: BG_EINVAL): term, df,
 * idf = ln(N / df) (bg_idf_plain) for every word (not numbers) of those
 * documents, by term: what jieba's idf.txt holds, for keywords of smaller
 * collections (o->idf). */
int bg_query_idf(bg_query *q, const char *where, bg_rows *out, bg_err *err);

int bg_query_keywords_stats(bg_query *q, const bg_stats_opts *o,
                            bg_kw_method method, bg_rows *out, bg_err *err);

/* ---- extraction (query_items.c, query_recurring.c) -----------------------
 *
 * Themes, problems and commitments as stored by the extract stage
 * (extract.h): the label, its details (table extraction_detail) and the
 * rules that fired (extraction_cue). Document metadata columns (author,
 * org, date, year) are listed when the document table has them. */

/* The heading tree of document doc: depth (1 under the title), level (the
 * enumerator's outline level, 0 for the title and unnumbered headings), seq
 * (sentence), start, end, heading (the theme phrase indented two spaces a
 * depth), phrase, context (the section context the heading lies in), text.
 * The title is the first row at depth 0 when it is a theme; a heading
 * repeated without enumerator (sentence.h) is listed once. BG_ENOTFOUND
 * for an unknown doc. */
int bg_query_outline(bg_query *q, int64_t doc, bg_rows *out, bg_err *err);

/* Items of kind ("theme", "problem", "commitment") in document doc (0:
 * all) and the documents matching where (a --where spec, NULL: all; its
 * kind=K keeps sentences also labelled K), in document and text order: file,
 * doc, title, the metadata columns, start, end, kind, rule, score, then by
 * kind: phrase (theme); clause_start, clause_end, clause, category (problem:
 * the clause that states it and its taxonomy category); clause (the action),
 * actor, horizon, mode (commitment); then context and text. With explain, a
 * last column `explain`: every rule that fired, `rule (weight) 「match」`
 * joined by "; ", the section context first as `context NAME: heading`. */
int bg_query_items(bg_query *q, const char *kind, int64_t doc,
                   const char *where, int explain, bg_rows *out, bg_err *err);

/* The problem clauses (table extraction_clause; extract.h, "Problem
 * clauses") of document doc (0: all) and the documents matching where (as
 * bg_query_items), in document and text order, one row per clause: file,
 * doc, title, the metadata columns, sentence_start (the sentence's first
 * byte in the file), seq (the clause's number in its sentence, from 1),
 * start, end (the clause's bytes in the file), category, generic (1: names
 * no particular problem), clause, text (the sentence). BG_EINVAL when the
 * database has no clause table (labelled by an older baogao),
 * BG_ENOTFOUND for an unknown doc. */
int bg_query_clauses(bg_query *q, int64_t doc, const char *where, bg_rows *out,
                     bg_err *err);

/* Recurring problems: the problem clauses (table extraction_clause, one
 * row per problem a sentence states: extract.h, "Problem clauses") of all
 * documents (or of those matching where, a --where spec; NULL: all), as
 * TF-IDF vectors over their content words (terms of 2+ characters that
 * are neither stopwords nor numbers; idf = ln(N / df) over the N problem
 * clauses, terms in more than half of them dropped), grouped greedily in
 * text order: a clause joins the group whose centroid is most similar
 * (cosine) when that is >= threshold, else starts one. Generic clauses
 * (lead-ins and ritual formulas such as 政府工作还存在一些不足) are left
 * out of the groups, so no group of them forms. A database labelled
 * before the clause table existed gives each problem's detail clause,
 * none of them generic. Groups spanning at
 * least min_docs documents are ranked by distinct documents, then
 * organisations, then years, then instances. One row per instance: group
 * (rank), docs, orgs, years (distinct counts; orgs and years from the
 * document table when it has them, years else from a 19xx/20xx in the
 * title or file name), key_terms (the terms most of the group's
 * documents share, by centroid weight, at most 6), representative (the
 * clause nearest the centroid), doc, file, title, year, start, end (the
 * clause's bytes in the file), similarity (to the centroid), clause. At
 * most top groups (0: all). */
int bg_query_recurring(bg_query *q, const char *where, double threshold,
                       size_t min_docs, size_t top, bg_rows *out, bg_err *err);

/* bg_query_recurring with a view: by NULL is bg_query_recurring; "org"
 * or "year" gives one row per group and organisation (or year) among its
 * clauses instead of one per clause: group, docs, orgs, years, key_terms,
 * representative (as above), org (or year; empty when unknown), n_docs
 * and instances (the group's documents and clauses of that organisation
 * or year) and example (its first clause); years in order, organisations
 * by n_docs then name. BG_EINVAL for another by. */
int bg_query_recurring_by(bg_query *q, const char *where, double threshold,
                          size_t min_docs, size_t top, const char *by,
                          bg_rows *out, bg_err *err);

/* ---- query syntax (query_parse.c) ----------------------------------------
 *
 * What search and kwic accept, parsed by hand into a tree (user text never
 * reaches FTS5's syntax; each word becomes quoted terms later):
 *
 *   word               a run of characters up to white space (ASCII, U+00A0,
 *                      U+3000), a parenthesis or a quote
 *   "a phrase"         everything between the quotes, white space and
 *                      operators included ("" is a quote inside); also
 *                      “a phrase” (U+201C ... U+201D)
 *   a b, a AND b       both (AND is optional)
 *   a OR b             either; binds tighter than AND: 扶贫 脱贫 OR 减贫 is
 *                      扶贫 AND (脱贫 OR 减贫)
 *   NOT a, -a          without a (a - glued to a word, phrase or "(")
 *   a NEAR/N b         a and b in one sentence with at most N words between
 *                      them, in either order (NEAR alone: N = 10); each
 *                      side a word or a phrase
 *   ( ... )            grouping
 *
 * Operators are upper case (or, and, not, near are words). A query must
 * find something by itself: NOT needs a word or phrase beside it outside
 * the NOT, and every branch of an OR must find something; what NOT
 * excludes must itself find something (no NOT NOT). */

#define BG_QUERY_MAX_DEPTH 32     /* parentheses and NOTs nested */
#define BG_QUERY_MAX_LEAVES 10000 /* words and phrases in one query */
#define BG_QUERY_MAX_NEAR 1000    /* the largest N of NEAR/N */
#define BG_QUERY_NEAR_DEFAULT 10

typedef enum bg_qnode_kind {
    BG_Q_TEXT, /* a word or phrase: text */
    BG_Q_AND,  /* kids[0..nkids) all (nkids >= 2) */
    BG_Q_OR,   /* any of kids[0..nkids) (nkids >= 2) */
    BG_Q_NOT,  /* not kids[0] (nkids 1) */
    BG_Q_NEAR, /* kids[0] and kids[1], both BG_Q_TEXT, at most near words
                  apart */
} bg_qnode_kind;

/* A node of a parsed query. */
typedef struct bg_qnode {
    bg_qnode_kind kind;
    size_t pos;  /* byte offset in the query where it starts */
    char *text;  /* BG_Q_TEXT: as typed (quotes removed, "" read as "),
                    NUL-terminated, owned; NULL otherwise */
    size_t len;  /* strlen(text) */
    int quoted;  /* BG_Q_TEXT from quotes */
    size_t leaf; /* BG_Q_TEXT: its number among the query's words and
                    phrases, from 0 in the order typed */
    int near;    /* BG_Q_NEAR: N */
    struct bg_qnode **kids;
    size_t nkids;
} bg_qnode;

/* Parses query[0, len) (any bytes) into *out (free with bg_qnode_free).
 * Returns 0; BG_EUSAGE with err saying what and at which byte: not UTF-8,
 * a NUL byte, empty, a quote or parenthesis never closed, an operator
 * missing its word, NEAR beside a group, nothing to find (only NOT), over
 * the limits above; or BG_ENOMEM. *out is NULL on failure. Pure: no
 * normalisation (the words are as typed), no I/O, no global state. */
int bg_query_parse(const char *query, size_t len, bg_qnode **out, bg_err *err);

/* Frees a tree from bg_query_parse; NULL is harmless. */
void bg_qnode_free(bg_qnode *n);

/* Appends n as an S-expression to out: «word», "phrase" (quotes doubled
 * inside), (AND ...), (OR ...), (NOT x), (NEAR/N a b). Returns 0 or
 * BG_ENOMEM. For tests and messages. */
int bg_qnode_print(const bg_qnode *n, bg_buf *out);

#endif
