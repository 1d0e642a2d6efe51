/*
 * operate.c - the ingest driver and the query commands.
 */
#include "operate.h"

#include "extract.h"
#include "index.h"
#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- ingest ------------------------------------------------------------- */

typedef struct ingest_ctx {
    bg_index *ix;
    bg_normaliser *norm;
    bg_segmenter *seg;
    bg_extractor *ext;
    size_t files, docs, sentences, failed, skipped;
} ingest_ctx;

typedef struct sent_terms {
    const char *text;
    bg_buf *terms;
    bg_counter *counter;
    size_t ntokens;
} sent_terms;

static int term_cb(const bg_token *tok, void *payload)
{
    sent_terms *st = payload;
    if (tok->kind == BG_TOK_OTHER)
        return 0;
    if ((st->terms->len && bg_buf_add(st->terms, " ", 1)) ||
        bg_buf_add(st->terms, st->text + tok->start, tok->end - tok->start) ||
        bg_counter_add(st->counter, st->text + tok->start,
                       tok->end - tok->start))
        return BG_ENOMEM;
    st->ntokens++;
    return 0;
}

static int ingest_document(ingest_ctx *cx, const bg_source *src,
                           int64_t source_id, int seq, const bg_docspan *d,
                           bg_err *err)
{
    const char *base_ptr = src->bytes + d->start;
    bg_text t = {0};
    bg_sentence *sv = NULL;
    size_t ns = 0, ntokens = 0;
    bg_buf title = {0}, text = {0}, norm = {0}, terms = {0}, phrase = {0};
    bg_counter counter = {0};
    int64_t doc;
    int rc;
    if ((rc = bg_normalise_run(cx->norm, base_ptr, d->end - d->start, d->start,
                               &t, err)))
        goto cleanup;
    if ((rc = bg_text_display(&t, base_ptr, d->start, d->title_start,
                              d->title_end, &title)))
        goto oom;
    if ((rc = bg_index_add_document(cx->ix, source_id, seq, d->start, d->end,
                                    title.data, &doc, err)))
        goto cleanup;
    if ((rc = bg_sentence_split(&t, base_ptr, d->start, d->title_start,
                                d->title_end, &sv, &ns, err)))
        goto cleanup;
    size_t first_line = ns ? sv[0].line : 0;
    for (size_t i = 0; i < ns; i++) {
        const bg_sentence *s = &sv[i];
        text.len = norm.len = terms.len = 0;
        if (bg_text_display(&t, base_ptr, d->start, s->start, s->end, &text) ||
            bg_buf_add(&norm, t.analysis + s->a_start, s->a_end - s->a_start))
            goto oom;
        sent_terms acc = {norm.data, &terms, &counter, 0};
        if ((rc = bg_buf_reserve(&terms, 0)))
            goto oom;
        terms.data[0] = '\0';
        rc = bg_segment_run(cx->seg, norm.data, norm.len, term_cb, &acc, err);
        if (rc == BG_ENOMEM)
            goto oom;
        if (rc)
            goto cleanup;
        ntokens += acc.ntokens;
        int64_t sid;
        if ((rc = bg_index_add_sentence(cx->ix, doc, (int)i + 1, s, text.data,
                                        norm.data, terms.data, &sid, err)))
            goto cleanup;
        bg_label labels[BG_NKINDS];
        size_t nl;
        if ((rc = bg_extract_sentence(cx->ext, &t, s, s->line == first_line,
                                      labels, &nl, err)))
            goto cleanup;
        for (size_t k = 0; k < nl; k++) {
            phrase.len = 0;
            if (labels[k].kind == BG_KIND_THEME &&
                (rc = bg_extract_phrase(cx->norm, &t, base_ptr, d->start,
                                        &labels[k], &phrase, err)))
                goto cleanup;
            if ((rc = bg_index_add_label(
                     cx->ix, sid, doc, &labels[k],
                     labels[k].kind == BG_KIND_THEME ? phrase.data : NULL,
                     err)))
                goto cleanup;
        }
    }
    if ((rc = bg_counter_finish(&counter)))
        goto oom;
    if ((rc = bg_index_add_terms(cx->ix, doc, &counter, err)) ||
        (rc = bg_index_finish_document(cx->ix, doc, ns, ntokens, err)))
        goto cleanup;
    cx->sentences += ns;
    goto cleanup;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
cleanup:
    bg_text_free(&t);
    free(sv);
    bg_buf_free(&title);
    bg_buf_free(&text);
    bg_buf_free(&norm);
    bg_buf_free(&terms);
    bg_buf_free(&phrase);
    bg_counter_free(&counter);
    return rc;
}

static int ingest_file(ingest_ctx *cx, const char *path, bg_err *err)
{
    bg_source *src = NULL;
    int64_t source_id;
    int rc = bg_ingest_load(path, &src, err);
    if (rc)
        return rc;
    if ((rc = bg_index_begin(cx->ix, err)))
        goto cleanup;
    if ((rc = bg_index_add_source(cx->ix, path, src->len, &source_id, err)))
        goto cleanup;
    for (size_t i = 0; i < src->ndocs; i++)
        if ((rc = ingest_document(cx, src, source_id, (int)i + 1, &src->docs[i],
                                  err)))
            goto cleanup;
    rc = bg_index_commit(cx->ix, err);
    if (rc == 0)
        cx->docs += src->ndocs;
cleanup:
    if (rc)
        bg_index_rollback(cx->ix);
    bg_ingest_free(src);
    return rc;
}

static int walk_cb(const char *path, const bg_err *problem, void *payload)
{
    ingest_ctx *cx = payload;
    bg_err err = {0};
    if (problem) {
        fprintf(stderr, "baogao: %s\n", problem->msg);
        if (problem->code == BG_EINVAL)
            cx->skipped++;
        else
            cx->failed++;
        return problem->code == BG_ENOMEM ? BG_ENOMEM : 0;
    }
    if (ingest_file(cx, path, &err)) {
        fprintf(stderr, "baogao: %s (file skipped)\n", err.msg);
        cx->failed++;
        return err.code == BG_ENOMEM ? BG_ENOMEM : 0;
    }
    cx->files++;
    return 0;
}

static int cmd_ingest(const bg_options *o)
{
    ingest_ctx cx = {0};
    bg_err err = {0};
    int status = 0;
    bg_buf rules = {0};
    if (o->nargs < 1) {
        fprintf(stderr, "baogao ingest: give at least one file or directory "
                        "(see baogao ingest --help)\n");
        return 2;
    }
    const char *rules_dir = o->rules_dir;
    if (!rules_dir) {
        if (bg_buf_printf(&rules, "%s/rules", bg_dict_dir()))
            return 1;
        rules_dir = rules.data;
    }
    if (bg_index_open(&cx.ix, o->db, &err) ||
        bg_normalise_open(&cx.norm, &err) || bg_segment_open(&cx.seg, &err) ||
        bg_extract_open(&cx.ext, rules_dir, &err) ||
        bg_index_set_meta(cx.ix, "segmenter", "icu-word-break-zh", &err) ||
        bg_index_set_meta(cx.ix, "normaliser",
                          "pinyin-cut+nfkc_cf+Traditional-Simplified", &err)) {
        fprintf(stderr, "baogao: %s\n", err.msg);
        status = 1;
        goto cleanup;
    }
    for (int i = 0; i < o->nargs; i++)
        if (bg_ingest_walk(o->args[i], walk_cb, &cx) == BG_ENOMEM)
            break;
    fprintf(stderr,
            "baogao: ingested %zu file%s (%zu documents, %zu sentences) into "
            "%s; %zu failed, %zu skipped\n",
            cx.files, cx.files == 1 ? "" : "s", cx.docs, cx.sentences, o->db,
            cx.failed, cx.skipped);
    status = cx.failed ? 1 : 0;
cleanup:
    bg_extract_close(cx.ext);
    bg_segment_close(cx.seg);
    bg_normalise_close(cx.norm);
    bg_index_close(cx.ix);
    bg_buf_free(&rules);
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
    return rc ? 1 : 0;
}

static int emit(const bg_options *o, bg_rows *r)
{
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

static int cmd_query(const bg_options *o)
{
    bg_query *q = NULL;
    bg_rows rows = {0};
    bg_err err = {0};
    int rc = 0, status;
    const char *c = o->command;
    if ((status = open_query(o, &q)))
        return status;
    if (strcmp(c, "docs") == 0)
        rc = bg_query_docs(q, &rows, &err);
    else if (strcmp(c, "show") == 0)
        rc = bg_query_show(q, o->doc, &rows, &err);
    else if (strcmp(c, "search") == 0)
        rc = bg_query_search(q, o->args[0], o->limit, &rows, &err);
    else if (strcmp(c, "freq") == 0)
        rc = bg_query_freq(q, o->top, o->drop_stopwords, &rows, &err);
    else if (strcmp(c, "keywords") == 0)
        rc = bg_query_keywords(q, o->doc, o->top, &rows, &err);
    else if (strcmp(c, "themes") == 0 || strcmp(c, "problems") == 0 ||
             strcmp(c, "commitments") == 0) {
        char kind[16];
        snprintf(kind, sizeof kind, "%.*s",
                 strcmp(c, "themes") == 0     ? 5
                 : strcmp(c, "problems") == 0 ? 7
                                              : 10,
                 c);
        rc = bg_query_extractions(q, kind, o->doc, &rows, &err);
    } else if (strcmp(c, "summary") == 0) {
        rc = summary_rows(q, &rows, &err);
    }
    if (rc) {
        fprintf(stderr, "baogao %s: %s\n", c, err.msg);
        status = rc == BG_EINVAL || rc == BG_ENOTFOUND ? 2 : 1;
    } else {
        status = emit(o, &rows);
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

int bg_operate(const bg_options *o)
{
    if (strcmp(o->command, "ingest") == 0)
        return cmd_ingest(o);
    return cmd_query(o);
}
