/*
 * operate.c - the ingest driver and the query commands.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "operate.h"

#include "extract.h"
#include "index.h"
#include "ingest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/types.h>
#include <unistd.h>

/* Deletes each argument (document id, source path or directory). */
static int cmd_remove(const bg_options *o)
{
    bg_index *ix = NULL;
    bg_err err = {0};
    int status = 0;
    struct stat sb;
    if (stat(o->db, &sb) != 0) {
        fprintf(stderr, "baogao: %s: no database here\n", o->db);
        return 1;
    }
    if (bg_index_open(&ix, o->db, &err)) {
        fprintf(stderr, "baogao: %s\n", err.msg);
        return 1;
    }
    for (int i = 0; i < o->nargs; i++) {
        size_t ns, nd;
        if (!*o->args[i]) { /* an unset variable: never "everything here" */
            fprintf(stderr, "baogao remove: an empty argument names "
                            "nothing; give a document id or a path\n");
            status = 1;
            continue;
        }
        /* a path as stored (absolute), else as typed (databases of
         * earlier versions stored it so) */
        char *abs = bg_path_absolute(o->args[i]);
        int rc = bg_index_remove(ix, abs ? abs : o->args[i], &ns, &nd, &err);
        if (rc == 0 && nd == 0 && ns == 0 && abs)
            rc = bg_index_remove(ix, o->args[i], &ns, &nd, &err);
        free(abs);
        if (rc) {
            fprintf(stderr, "baogao: %s\n", err.msg);
            status = 1;
        } else if (nd == 0 && ns == 0) {
            fprintf(stderr, "baogao: %s: no such document or source\n",
                    o->args[i]);
            status = 1;
        } else {
            fprintf(stderr,
                    "baogao: removed %s: %zu source%s, %zu document%s\n",
                    o->args[i], ns, ns == 1 ? "" : "s", nd, nd == 1 ? "" : "s");
        }
    }
    bg_index_close(ix);
    return status;
}

/* ---- queries ------------------------------------------------------------ */

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
    int rc = bg_query_open(q, o->db, stop, &err);
    bg_buf_free(&sw);
    if (rc)
        fprintf(stderr, "baogao: %s\n", err.msg);
    else if (bg_query_dict_note(*q))
        fprintf(stderr, "baogao: warning: %s\n", bg_query_dict_note(*q));
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
            fprintf(stderr,
                    "baogao: warning: %s %s since it was ingested (%lld "
                    "bytes then%s): offsets point into the ingested version; "
                    "baogao ingest it again\n",
                    bg_path_below(p, dir), now < 0 ? "is gone" : "changed",
                    (long long)then, now < 0 ? "" : ", other now");
    }
}

static int emit(const bg_options *o, bg_rows *r)
{
    display_paths(r);
    int rc = bg_output_rows(stdout, r, o->format, o->width);
    if (rc)
        fprintf(stderr, "baogao: writing output: %s\n", bg_strerror(rc));
    return rc ? 1 : 0;
}

/* Adds the per-document extraction counts and top keywords to docs. */
static int summary_rows(bg_query *q, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {
        "doc:i",      "title:s",       "sentences:i", "themes:i",
        "problems:i", "commitments:i", "keywords:s"};
    bg_rows docs = {0}, kw = {0}, ex = {0};
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = bg_query_docs(q, &docs, err)) ||
        (rc = bg_query_keywords(q, 0, 5, &kw, err)))
        goto cleanup;
    out->names = calloc(7, sizeof *out->names);
    out->types = calloc(7, sizeof *out->types);
    out->cells = calloc(docs.nrows ? docs.nrows * 7 : 1, sizeof *out->cells);
    if (!out->names || !out->types || !out->cells)
        goto oom;
    out->ncols = 7;
    for (size_t c = 0; c < 7; c++) {
        const char *colon = strchr(cols[c], ':');
        if (!(out->names[c] = strndup(cols[c], (size_t)(colon - cols[c]))))
            goto oom;
        out->types[c] = colon[1] == 's' ? BG_COL_TEXT : BG_COL_INT;
    }
    out->nrows = out->cap = docs.nrows;
    for (size_t i = 0; i < docs.nrows; i++) {
        bg_cell *row = &out->cells[i * 7], *d = &docs.cells[i * docs.ncols];
        row[0] = (bg_cell){0, d[0].i, 0, NULL};
        row[1] = (bg_cell){0, 0, 0, strdup(d[5].s ? d[5].s : "")};
        row[2] = (bg_cell){0, d[6].i, 0, NULL};
        for (int k = 0; k < 3; k++)
            row[3 + k] = (bg_cell){0, 0, 0, NULL};
        bg_buf words = {0};
        for (size_t j = 0; j < kw.nrows; j++) {
            bg_cell *r = &kw.cells[j * kw.ncols];
            if (r[0].i == d[0].i &&
                (bg_buf_puts(&words, words.len ? "、" : "") ||
                 bg_buf_puts(&words, r[2].s)))
                goto oom;
        }
        row[6] = (bg_cell){0, 0, 0, words.data ? words.data : strdup("")};
        if (!row[1].s || !row[6].s)
            goto oom;
    }
    for (int k = 0; k < 3; k++) {
        bg_rows_free(&ex);
        if ((rc = bg_query_extractions(q, bg_kind_name((bg_kind)k), 0, &ex,
                                       err)))
            goto cleanup;
        for (size_t j = 0; j < ex.nrows; j++)
            for (size_t i = 0; i < out->nrows; i++)
                if (out->cells[i * 7].i == ex.cells[j * ex.ncols + 1].i)
                    out->cells[i * 7 + 3 + k].i++;
    }
    goto cleanup;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "summary: out of memory");
cleanup:
    bg_rows_free(&docs);
    bg_rows_free(&kw);
    bg_rows_free(&ex);
    return rc;
}

/* ---- statistics (query.h "corpus statistics") ---------------------------
 * freq, keyness, kwic, collocates, ngrams, trend, cooc and keywords. */

static int is_stats_command(const char *c)
{
    static const char *const names[] = {"freq",       "keyness", "kwic",
                                        "collocates", "ngrams",  "trend",
                                        "cooc",       "keywords"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(c, names[i]) == 0)
            return 1;
    return 0;
}

static int stats_rows(bg_query *q, const bg_options *o, bg_rows *rows,
                      bg_err *err)
{
    const char *c = o->command;
    char docw[32];
    bg_stats_opts so = {o->where,
                        o->by,
                        o->top,
                        o->min_freq,
                        o->drop_stopwords,
                        o->drop_boilerplate,
                        o->stop_files,
                        o->nstop_files,
                        o->numbers,
                        o->wide,
                        o->sort};
    if (o->doc) {
        /* --doc ID is the facet doc=ID */
        if (o->where) {
            return bg_err_set(err, BG_EINVAL,
                              "give --doc ID or --where, not both");
        }
        snprintf(docw, sizeof docw, "doc=%lld", (long long)o->doc);
        so.where = docw;
    }
    if (strcmp(c, "freq") == 0)
        return bg_query_freq_stats(q, &so, rows, err);
    if (strcmp(c, "keyness") == 0)
        return bg_query_keyness(q, &so, o->target, o->reference,
                                o->reference_list, o->two_term, rows, err);
    if (strcmp(c, "kwic") == 0)
        return bg_query_kwic(q, &so, o->args[0], o->have_width ? o->width : 20,
                             o->limit, rows, err);
    if (strcmp(c, "collocates") == 0)
        return bg_query_collocates(
            q, &so, o->args[0],
            o->window_left + o->window_right ? o->window_left : 5,
            o->window_left + o->window_right ? o->window_right : 5,
            o->adjust_window, rows, err);
    if (strcmp(c, "ngrams") == 0)
        return bg_query_ngrams(q, &so, o->ngram_min ? o->ngram_min : 2,
                               o->ngram_max ? o->ngram_max : 2, rows, err);
    if (strcmp(c, "trend") == 0)
        return bg_query_trend(q, &so, (const char *const *)o->args,
                              (size_t)o->nargs, rows, err);
    if (strcmp(c, "cooc") == 0)
        return bg_query_cooc(q, &so, rows, err);
    so.drop_stopwords = 1; /* keywords: candidates are never stopwords */
    return bg_query_keywords_stats(q, &so, o->method ? o->method : "jieba",
                                   rows, err);
}

/* kwic cells are already cut to the context width; cooc --graphml. */
static int stats_emit(const bg_options *o, bg_rows *rows)
{
    int rc;
    display_paths(rows);
    if (o->graphml)
        rc = bg_output_graphml(stdout, rows);
    else
        rc = bg_output_rows(stdout, rows, o->format,
                            strcmp(o->command, "kwic") == 0 ? 0 : o->width);
    if (rc)
        fprintf(stderr, "baogao: writing output: %s\n", bg_strerror(rc));
    return rc ? 1 : 0;
}

static int cmd_query(const bg_options *o)
{
    bg_query *q = NULL;
    bg_rows rows = {0};
    bg_err err = {0};
    int rc = 0, status;
    const char *c = o->command;
    if ((status = open_query(o, &q)))
        return status;
    int64_t orig = o->doc ? bg_query_dup_of(q, o->doc) : 0;
    if (orig) {
        /* an exact duplicate holds nothing of its own: never an empty
         * table or "no document" */
        fprintf(stderr,
                "baogao %s: document %lld repeats document %lld word for "
                "word and stores no sentences, terms or labels of its own: "
                "use %lld\n",
                c, (long long)o->doc, (long long)orig, (long long)orig);
        bg_query_close(q);
        return 1;
    }
    if (strcmp(c, "docs") == 0 && o->duplicates)
        rc = bg_query_duplicates(q, 0.5, &rows, &err);
    else if (strcmp(c, "docs") == 0)
        rc = bg_query_docs(q, &rows, &err);
    else if (strcmp(c, "show") == 0)
        rc = bg_query_show(q, o->doc, &rows, &err);
    else if (strcmp(c, "search") == 0)
        rc = bg_query_search(q, o->args[0], o->where, o->limit, &rows, &err);
    else if (is_stats_command(c))
        rc = stats_rows(q, o, &rows, &err);
    else if (strcmp(c, "themes") == 0 || strcmp(c, "problems") == 0 ||
             strcmp(c, "commitments") == 0) {
        char kind[16];
        snprintf(kind, sizeof kind, "%.*s",
                 strcmp(c, "themes") == 0     ? 5
                 : strcmp(c, "problems") == 0 ? 7
                                              : 10,
                 c);
        char docw[32];
        snprintf(docw, sizeof docw, "doc=%lld", (long long)o->doc);
        if (o->recurring && o->doc && o->where)
            rc = bg_err_set(&err, BG_EINVAL,
                            "give --doc ID or --where, not both");
        else if (o->recurring && strcmp(kind, "problem") == 0)
            rc = bg_query_recurring(q, o->doc ? docw : o->where, o->threshold,
                                    o->min_docs, o->top, &rows, &err);
        else
            rc = bg_query_items(q, kind, o->doc, o->where, o->explain, &rows,
                                &err);
    } else if (strcmp(c, "outline") == 0) {
        rc = bg_query_outline(q, o->doc, &rows, &err);
    } else if (strcmp(c, "summary") == 0) {
        rc = summary_rows(q, &rows, &err);
    }
    if (rc) {
        fprintf(stderr, "baogao %s: %s\n", c, err.msg);
        status = rc == BG_EINVAL || rc == BG_ENOTFOUND ? 2 : 1;
    } else {
        check_sources(q, &rows);
        status = is_stats_command(c) ? stats_emit(o, &rows) : emit(o, &rows);
        if (status == 0 && strcmp(c, "summary") == 0 &&
            o->format == BG_FMT_TABLE) {
            bg_rows counts = {0};
            if (bg_query_counts(q, &counts, &err) == 0 && counts.nrows == 1) {
                bg_cell *r = counts.cells;
                printf("\ncorpus: %lld documents, %lld sentences, %lld term "
                       "tokens, %lld distinct terms; %lld themes, %lld "
                       "problems, %lld commitments\n",
                       (long long)r[0].i, (long long)r[1].i, (long long)r[2].i,
                       (long long)r[3].i, (long long)r[4].i, (long long)r[5].i,
                       (long long)r[6].i);
            }
            bg_rows_free(&counts);
        }
    }
    bg_rows_free(&rows);
    bg_query_close(q);
    return status;
}

/* ---- segment ----------------------------------------------------------- */

typedef struct seg_out {
    const bg_text *t;
    const char *line;
    bg_buf *out;
    size_t done; /* original bytes already written */
    int words;
} seg_out;

/* Writes each token as its original characters; characters the normaliser
 * cut (pinyin, CR, zero-width) go with the token before them, so every
 * character of the line is kept. White space only separates. */
static int seg_token(const bg_token *tok, void *payload)
{
    seg_out *so = payload;
    size_t os = so->t->orig_start[tok->start];
    size_t oe = so->t->orig_end[tok->end - 1];
    if (tok->kind == BG_TOK_OTHER) {
        int blank = 1;
        for (size_t i = tok->start; i < tok->end; i++)
            if (so->t->analysis[i] != ' ' && so->t->analysis[i] != '\t')
                blank = 0;
        if (blank) {
            if (bg_buf_add(so->out, so->line + so->done, os - so->done))
                return BG_ENOMEM;
            so->done = oe;
            return 0;
        }
    }
    if (so->words && bg_buf_puts(so->out, "  "))
        return BG_ENOMEM;
    if (bg_buf_add(so->out, so->line + so->done, oe - so->done))
        return BG_ENOMEM;
    so->done = oe;
    so->words++;
    return 0;
}

static int cmd_segment(const bg_options *o)
{
    bg_normaliser *norm = NULL;
    bg_segmenter *seg = NULL;
    bg_err err = {0};
    bg_buf out = {0};
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int status = 1;
    bg_segment_opts so = {NULL, o->dicts, o->ndicts, o->only_dict, NULL};
    if (bg_normalise_open(&norm, &err))
        goto fail;
    so.norm = norm;
    if (bg_segment_open_with(&seg, &so, &err))
        goto fail;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        size_t len = (size_t)n;
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (bg_utf8_valid_prefix(line, len) != len) {
            bg_err_set(&err, BG_EUTF8, "stdin:%zu: byte %zu: not valid UTF-8",
                       lineno, bg_utf8_valid_prefix(line, len));
            goto fail;
        }
        bg_text t;
        if (bg_normalise_run(norm, line, len, 0, &t, &err))
            goto fail;
        seg_out st = {&t, line, &out, 0, 0};
        out.len = 0;
        int rc = bg_segment_run(seg, t.analysis, t.len, seg_token, &st, &err);
        if (rc == 0 && bg_buf_add(&out, line + st.done, len - st.done))
            rc = bg_err_set(&err, BG_ENOMEM, "segment: out of memory");
        bg_text_free(&t);
        if (rc)
            goto fail;
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        fputc('\n', stdout);
    }
    status = 0;
    goto cleanup;
fail:
    fprintf(stderr, "baogao segment: %s\n", err.msg);
cleanup:
    free(line);
    bg_buf_free(&out);
    bg_segment_close(seg);
    bg_normalise_close(norm);
    return status;
}

int bg_operate(const bg_options *o)
{
    const char *c = o->command;
    if (o->where && !is_stats_command(c) && strcmp(c, "search") != 0 &&
        strcmp(c, "themes") != 0 && strcmp(c, "problems") != 0 &&
        strcmp(c, "commitments") != 0) {
        /* never a filter silently dropped */
        fprintf(stderr,
                "baogao %s: --where applies to search, themes, problems, "
                "commitments and the statistics commands (freq, keyness, "
                "kwic, collocates, ngrams, trend, cooc, keywords)\n",
                c);
        return 2;
    }
    if (strcmp(o->command, "segment") == 0)
        return cmd_segment(o);
    if (strcmp(o->command, "reindex") == 0)
        return bg_operate_reindex(o);
    if (strcmp(o->command, "ingest") == 0)
        return bg_operate_ingest(o);
    if (strcmp(o->command, "remove") == 0)
        return cmd_remove(o);
    if (strcmp(o->command, "extract") == 0)
        return bg_operate_extract(o);
    return cmd_query(o);
}
