/*
 * cmd_query.c - the read commands: each maps the options onto the query.h
 * function answering it (bg_read_*, named in the command table), and one
 * runner opens the index, asks, and prints the table (output.h) with the
 * paths shown relative to the current directory.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the runner -----------------------------------------------------------
 */

static int open_query(const bg_options *o, bg_query **q)
{
    bg_err err = {0};
    bg_buf sw = {0};
    const char *stop = o->stopwords;
    if (!stop) {
        if (bg_buf_printf(&sw, "%s/stopwords.txt", bg_dict_dir()))
            return 1;
        stop = sw.data;
    }
    int rc = bg_query_open_once(q, o->db, stop, &err);
    bg_buf_free(&sw);
    /* one command reads one committed state (an ingest may be running) */
    if (rc == 0 && (rc = bg_query_begin(*q, &err))) {
        bg_query_close(*q);
        *q = NULL;
    }
    if (rc)
        bg_output_message(stderr, "baogao: %s", err.msg);
    else if (bg_query_dict_note(*q))
        bg_output_message(stderr, "baogao: warning: %s",
                          bg_query_dict_note(*q));
    return rc ? 1 : 0;
}

/* Source paths are stored absolute (ingest); shown relative to the
 * current directory when they lie below it, as typed at ingest there. */
static void display_paths(bg_rows *r)
{
    char cwd[4096];
    const char *dir = getcwd(cwd, sizeof cwd);
    for (size_t c = 0; c < r->ncols; c++) { /* group columns of --wide */
        const char *d = bg_path_below(r->names[c], dir);
        if (d != r->names[c] && r->names[c][0] == '/')
            memmove(r->names[c], d, strlen(d) + 1);
    }
    for (size_t c = 0; c < r->ncols; c++) {
        if (strcmp(r->names[c], "file") != 0 && strcmp(r->names[c], "path"))
            continue;
        for (size_t i = 0; i < r->nrows; i++) {
            char *s = r->cells[i * r->ncols + c].s;
            const char *d = s ? bg_path_below(s, dir) : NULL;
            if (d && d != s)
                memmove(s, d, strlen(d) + 1);
        }
    }
}

/* Results point at byte offsets of files as they were ingested: a file
 * whose size changed since is named once on stderr. */
static void check_sources(bg_query *q, const bg_rows *r)
{
    long fc = -1;
    for (size_t c = 0; c < r->ncols; c++)
        if (strcmp(r->names[c], "file") == 0)
            fc = (long)c;
    if (fc < 0)
        return;
    const char *seen[64];
    size_t nseen = 0;
    char cwd[4096];
    const char *dir = getcwd(cwd, sizeof cwd);
    for (size_t i = 0; i < r->nrows && nseen < 64; i++) {
        const char *p = r->cells[i * r->ncols + (size_t)fc].s;
        int dup = !p;
        for (size_t k = 0; k < nseen && !dup; k++)
            dup = strcmp(seen[k], p) == 0;
        if (dup)
            continue;
        seen[nseen++] = p;
        int64_t then, now;
        if (bg_query_source_current(q, p, &then, &now) == 0)
            bg_output_message(
                stderr,
                "baogao: warning: %s %s since it was ingested (%lld "
                "bytes then%s): offsets point into the ingested version; "
                "baogao ingest it again",
                bg_path_below(p, dir), now < 0 ? "is gone" : "changed",
                (long long)then, now < 0 ? "" : ", other now");
    }
}

/* Prints rows in o's format: GraphML for a statistics command with
 * --graphml, table cells cut at --width unless the command says not. */
static int emit(const bg_options *o, const bg_command *cmd, bg_rows *r)
{
    int rc;
    display_paths(r);
    if (o->format == BG_FMT_XLSX && !o->graphml && isatty(STDOUT_FILENO)) {
        bg_output_message(stderr,
                          "baogao %s: --format xlsx writes a workbook: "
                          "redirect it to a file (> out.xlsx)",
                          o->command);
        return 2;
    }
    if (o->graphml && (cmd->flags & BG_CMD_STATS))
        rc = bg_output_graphml(stdout, r);
    else
        rc = bg_output_rows(
            stdout, r, o->format,
            cmd->flags & BG_CMD_UNCUT && !o->have_width ? 0 : o->width);
    if (rc)
        bg_output_message(stderr, "baogao: writing output: %s",
                          bg_strerror(rc));
    return rc ? 1 : 0;
}

/* An empty table under a --where that matches no document (a mistyped
 * organisation, a year the corpus lacks) is said on stderr, so that it is
 * not read as "the words never occur"; the exit status stays 0. */
static void where_matches_none(bg_query *q, const bg_options *o,
                               const bg_rows *r)
{
    int64_t n = 0;
    bg_err err = {0};
    if (r->nrows || !o->where || !*o->where ||
        bg_query_where_count(q, o->where, &n, &err) || n)
        return;
    bg_output_message(stderr, "baogao %s: --where %s: no document matches",
                      o->command, o->where);
}

/* Corpus totals after summary's table (table format only). */
static void print_totals(bg_query *q)
{
    bg_rows counts = {0};
    bg_err err = {0};
    if (bg_query_counts(q, &counts, &err) == 0 && counts.nrows == 1) {
        bg_cell *r = counts.cells;
        printf("\ncorpus: %lld documents, %lld sentences, %lld term tokens, "
               "%lld distinct terms; %lld themes, %lld problems, %lld "
               "commitments\n",
               (long long)r[0].i, (long long)r[1].i, (long long)r[2].i,
               (long long)r[3].i, (long long)r[4].i, (long long)r[5].i,
               (long long)r[6].i);
    }
    bg_rows_free(&counts);
}

/* Opens the index, computes the command's table, prints it; with totals,
 * the corpus totals after it. Returns the exit status. */
static int run_read(const bg_command *cmd, const bg_options *o, int totals)
{
    bg_query *q = NULL;
    bg_rows rows = {0};
    bg_err err = {0};
    int rc, status;
    assert(cmd && cmd->rows);
    if ((status = open_query(o, &q)))
        return status;
    int64_t orig = o->doc ? bg_query_dup_of(q, o->doc) : 0;
    if (orig) {
        /* an exact duplicate holds nothing of its own: never an empty
         * table or "no document" */
        bg_output_message(
            stderr,
            "baogao %s: document %lld repeats document %lld word for "
            "word and stores no sentences, terms or labels of its own: "
            "use %lld",
            o->command, (long long)o->doc, (long long)orig, (long long)orig);
        bg_query_close(q);
        return 1;
    }
    if ((rc = cmd->rows(q, o, &rows, &err))) {
        bg_output_message(stderr, "baogao %s: %s", o->command, err.msg);
        status =
            rc == BG_EINVAL || rc == BG_ENOTFOUND || rc == BG_EUSAGE ? 2 : 1;
    } else {
        check_sources(q, &rows);
        status = emit(o, cmd, &rows);
        where_matches_none(q, o, &rows);
        if (status == 0 && totals && o->format == BG_FMT_TABLE)
            print_totals(q);
    }
    bg_rows_free(&rows);
    bg_query_close(q);
    return status;
}

int bg_cmd_read(const bg_command *cmd, const bg_options *o)
{
    return run_read(cmd, o, 0);
}

int bg_cmd_summary(const bg_command *cmd, const bg_options *o)
{
    return run_read(cmd, o, 1);
}

/* ---- documents ------------------------------------------------------------
 */

int bg_read_docs(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err)
{
    return o->duplicates ? bg_query_duplicates(q, 0.5, out, err)
                         : bg_query_docs(q, out, err);
}

int bg_read_show(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err)
{
    return bg_query_show(q, o->doc, out, err);
}

/* The line under a search or kwic table: what was found, shown, and found
 * as whole words; every figure exact, and those not counted said so. */
static int count_note(bg_rows *out, const bg_options *o,
                      const bg_match_counts *c)
{
    char buf[400];
    const char *plural = out->nrows == 1 ? "" : "s";
    int n;
    if (o->word)
        n = snprintf(buf, sizeof buf,
                     "%lld whole-word occurrences in %lld sentences (%zu "
                     "row%s shown)",
                     (long long)c->occurrences, (long long)c->sentences,
                     out->nrows, plural);
    else if (c->sentences < 0)
        n = snprintf(buf, sizeof buf,
                     "%zu row%s shown; as whole words: %lld occurrences in "
                     "%lld sentences (--word); occurrences as text, inside "
                     "longer words too, not counted (--count)",
                     out->nrows, plural, (long long)c->word_occurrences,
                     (long long)c->word_sentences);
    else
        n = snprintf(buf, sizeof buf,
                     "%lld occurrences in %lld sentences (%zu row%s shown); as "
                     "whole words: %lld in %lld sentences (--word)",
                     (long long)c->occurrences, (long long)c->sentences,
                     out->nrows, plural, (long long)c->word_occurrences,
                     (long long)c->word_sentences);
    return n > 0 && !(out->note = strdup(buf)) ? BG_ENOMEM : 0;
}

/* The query of search and kwic: their arguments joined by spaces, so that
 * `search 改革 OR 创新` is `search "改革 OR 创新"`. malloc'd; NULL when out
 * of memory. */
static char *query_text(const bg_options *o)
{
    bg_buf b = {0};
    int bad = bg_buf_reserve(&b, 0);
    for (int i = 0; i < o->nargs && !bad; i++)
        bad = bg_buf_puts(&b, i ? " " : "") || bg_buf_puts(&b, o->args[i]);
    if (bad)
        bg_buf_free(&b);
    return b.data;
}

int bg_read_search(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err)
{
    bg_search_opts so = {o->where, o->limit, SIZE_MAX, o->word, o->count};
    bg_match_counts c;
    char *query = query_text(o);
    int rc = query ? bg_query_search_with(q, query, &so, out, &c, err)
                   : bg_err_set(err, BG_ENOMEM, "out of memory");
    if (rc == 0 && count_note(out, o, &c))
        rc = bg_err_set(err, BG_ENOMEM, "out of memory");
    free(query);
    return rc;
}

int bg_read_summary(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err)
{
    (void)o;
    return bg_query_summary(q, 5, out, err);
}

/* ---- statistics (query.h "corpus statistics") ---------------------------- */

/* The options the statistics share; --doc ID is the facet doc=ID (written
 * into docw). Returns 0 or BG_EINVAL (--doc and --where both given). */
static int stats_opts(const bg_options *o, bg_stats_opts *so, char *docw,
                      size_t n, bg_err *err)
{
    *so = (bg_stats_opts){o->where,
                          o->by,
                          o->top,
                          o->min_freq,
                          o->drop_stopwords,
                          o->drop_boilerplate,
                          o->stop_files,
                          o->nstop_files,
                          o->numbers,
                          o->wide,
                          o->sort,
                          o->bins,
                          o->min_len,
                          o->word,
                          o->count,
                          o->idf,
                          o->granularity};
    if (o->doc) {
        if (o->where)
            return bg_err_set(err, BG_EINVAL,
                              "give --doc ID or --where, not both");
        snprintf(docw, n, "doc=%lld", (long long)o->doc);
        so->where = docw;
    }
    return 0;
}

int bg_read_freq(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err)
{
    bg_stats_opts so;
    char docw[32];
    int rc = stats_opts(o, &so, docw, sizeof docw, err);
    return rc ? rc : bg_query_freq_stats(q, &so, out, err);
}

int bg_read_keyness(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err)
{
    bg_stats_opts so;
    char docw[32];
    int rc = stats_opts(o, &so, docw, sizeof docw, err);
    return rc ? rc
              : bg_query_keyness(q, &so, o->target, o->reference,
                                 o->reference_list, o->two_term, out, err);
}

int bg_read_kwic(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err)
{
    bg_stats_opts so;
    char docw[32];
    bg_match_counts c;
    char *query = query_text(o);
    int rc = query ? stats_opts(o, &so, docw, sizeof docw, err)
                   : bg_err_set(err, BG_ENOMEM, "out of memory");
    if (rc == 0)
        rc =
            bg_query_kwic_with(q, &so, query, o->have_context ? o->context : 20,
                               o->limit, out, &c, err);
    if (rc == 0 && count_note(out, o, &c))
        rc = bg_err_set(err, BG_ENOMEM, "out of memory");
    free(query);
    /* a table cut at --width: the left context keeps the words next to
     * the node */
    for (size_t k = 0; rc == 0 && k < out->ncols; k++)
        if (o->format == BG_FMT_TABLE && o->have_width && o->width >= 2 &&
            strcmp(out->names[k], "left") == 0 &&
            (rc = bg_output_cut_start(out, k, o->width)))
            return bg_err_set(err, rc, "kwic: %s", bg_strerror(rc));
    return rc;
}

int bg_read_collocates(bg_query *q, const bg_options *o, bg_rows *out,
                       bg_err *err)
{
    bg_stats_opts so;
    char docw[32];
    int rc = stats_opts(o, &so, docw, sizeof docw, err);
    int given = o->window_left + o->window_right > 0; /* else 5,5 */
    return rc ? rc
              : bg_query_collocates(
                    q, &so, o->args[0], given ? o->window_left : 5,
                    given ? o->window_right : 5, o->adjust_window, out, err);
}

int bg_read_ngrams(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err)
{
    bg_stats_opts so;
    char docw[32];
    int rc = stats_opts(o, &so, docw, sizeof docw, err);
    return rc ? rc
              : bg_query_ngrams(q, &so, o->ngram_min ? o->ngram_min : 2,
                                o->ngram_max ? o->ngram_max : 2, out, err);
}

int bg_read_trend(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err)
{
    bg_stats_opts so;
    char docw[32];
    int rc = stats_opts(o, &so, docw, sizeof docw, err);
    return rc ? rc
              : bg_query_trend(q, &so, (const char *const *)o->args,
                               (size_t)o->nargs, out, err);
}

int bg_read_cooc(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err)
{
    bg_stats_opts so;
    char docw[32];
    int rc = stats_opts(o, &so, docw, sizeof docw, err);
    return rc ? rc : bg_query_cooc(q, &so, out, err);
}

int bg_read_keywords(bg_query *q, const bg_options *o, bg_rows *out,
                     bg_err *err)
{
    bg_stats_opts so;
    char docw[32];
    bg_kw_method m = BG_KW_JIEBA;
    int rc = stats_opts(o, &so, docw, sizeof docw, err);
    if (rc)
        return rc;
    if (o->method && bg_kw_method_parse(o->method, &m))
        return bg_err_set(err, BG_EINVAL,
                          "--method is jieba, sklearn, plain or textrank, not "
                          "\"%s\"",
                          o->method);
    so.drop_stopwords = 1; /* keywords: candidates are never stopwords */
    return bg_query_keywords_stats(q, &so, m, out, err);
}

int bg_cmd_idf(const bg_command *cmd, const bg_options *o)
{
    bg_query *q = NULL;
    bg_rows rows = {0};
    bg_err err = {0};
    int status;
    (void)cmd;
    if ((status = open_query(o, &q)))
        return status;
    int rc = bg_query_idf(q, o->where, &rows, &err);
    if (rc) {
        bg_output_message(stderr, "baogao idf: %s", err.msg);
        status = rc == BG_EINVAL ? 2 : 1;
    }
    /* jieba's idf.txt format: `word idf`, nine decimals */
    for (size_t i = 0; rc == 0 && i < rows.nrows; i++) {
        const bg_cell *r = &rows.cells[i * rows.ncols];
        if (printf("%s %.9f\n", r[0].s ? r[0].s : "", r[2].r) < 0) {
            bg_output_message(stderr, "baogao: writing output: %s",
                              bg_strerror(BG_EIO));
            status = 1;
            break;
        }
    }
    if (status == 0 && fflush(stdout) != 0) {
        bg_output_message(stderr, "baogao: writing output: %s",
                          bg_strerror(BG_EIO));
        status = 1;
    }
    bg_rows_free(&rows);
    bg_query_close(q);
    return status;
}

/* ---- extraction -----------------------------------------------------------
 */

/* The items of kind; for problems --recurring, the recurring problems. */
static int items(bg_query *q, const bg_options *o, const char *kind,
                 bg_rows *out, bg_err *err)
{
    char docw[32];
    snprintf(docw, sizeof docw, "doc=%lld", (long long)o->doc);
    if (o->recurring && o->doc && o->where)
        return bg_err_set(err, BG_EINVAL, "give --doc ID or --where, not both");
    if (o->clauses && strcmp(kind, "problem") == 0)
        return bg_query_clauses(q, o->doc, o->where, out, err);
    if (o->recurring && strcmp(kind, "problem") == 0)
        return bg_query_recurring_by(q, o->doc ? docw : o->where, o->threshold,
                                     o->min_docs, o->top, o->by, out, err);
    return bg_query_items(q, kind, o->doc, o->where, o->explain, out, err);
}

int bg_read_themes(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err)
{
    return items(q, o, "theme", out, err);
}

int bg_read_problems(bg_query *q, const bg_options *o, bg_rows *out,
                     bg_err *err)
{
    return items(q, o, "problem", out, err);
}

int bg_read_commitments(bg_query *q, const bg_options *o, bg_rows *out,
                        bg_err *err)
{
    return items(q, o, "commitment", out, err);
}

int bg_read_outline(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err)
{
    return bg_query_outline(q, o->doc, out, err);
}
