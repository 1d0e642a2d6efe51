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

/* ---- ingest ------------------------------------------------------------- */

typedef struct ingest_ctx {
    bg_index *ix;
    bg_normaliser *norm;
    bg_segmenter *seg;
    bg_extractor *ext;
    size_t files, docs, sentences, failed, skipped;
    const bg_ingest_opts *opts;
    size_t unchanged, duplicates, warned;
    int tty, shown; /* progress bar */
    double t0, last, bytes;
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
    int64_t *sids = NULL;
    size_t ns = 0, ntokens = 0;
    bg_buf title = {0}, text = {0}, norm = {0}, terms = {0}, phrase = {0};
    bg_counter counter = {0};
    int64_t doc;
    int rc;
    if ((rc = bg_normalise_run(cx->norm, base_ptr, d->end - d->start, d->start,
                               &t, err)))
        goto cleanup;
    if (d->title ? bg_buf_puts(&title, d->title)
                 : bg_text_display(&t, base_ptr, d->start, d->title_start,
                                   d->title_end, &title))
        goto oom;
    if ((rc = bg_index_add_document(cx->ix, source_id, seq, d->start, d->end,
                                    title.data ? title.data : "", &doc, err)))
        goto cleanup;
    /* metadata; a document whose normalised text is already stored is
     * recorded as its duplicate, without sentences or terms */
    {
        char hex[17];
        uint32_t sig[BG_MINHASH_K];
        snprintf(hex, sizeof hex, "%016llx",
                 (unsigned long long)bg_ingest_hash(t.analysis, t.len,
                                                    BG_INGEST_HASH_INIT));
        bg_ingest_minhash(t.analysis, t.len, sig);
        bg_doc_meta m = {d->author, d->org, d->date,    d->meta, hex,
                         d->year,   sig,    sizeof sig, 0};
        if (t.len)
            m.dup_of = bg_index_find_duplicate(cx->ix, hex, doc);
        if ((rc = bg_index_document_meta(cx->ix, doc, &m, err)))
            goto cleanup;
        if (m.dup_of) {
            cx->duplicates++;
            goto cleanup;
        }
    }
    if ((rc = bg_sentence_split(&t, base_ptr, d->start, d->title_start,
                                d->title_end, &sv, &ns, err)))
        goto cleanup;
    size_t kept = 0;
    if (!(sids = malloc((ns ? ns : 1) * sizeof *sids)))
        goto oom;
    for (size_t i = 0; i < ns; i++) {
        bg_sentence sc = sv[i];
        const bg_sentence *s = &sc;
        /* sign-off, byline and export-debris lines are metadata */
        int meta_line = 0;
        for (size_t k = 0; k < d->nskip && !meta_line; k++)
            meta_line =
                s->start >= d->skip[k].start && s->end <= d->skip[k].end + 1;
        if (meta_line)
            continue;
        /* docx heading paragraphs keep their Word outline level */
        for (size_t k = 0; k < d->nheadings && !sc.outline; k++)
            if (s->start >= d->headings[k].start &&
                s->start < d->headings[k].end)
                sc.outline = d->levels[k];
        kept++;
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
        if ((rc = bg_index_add_sentence(cx->ix, doc, (int)kept, s, text.data,
                                        norm.data, terms.data, &sid, err)))
            goto cleanup;
        /* the kept sentences, in place, for the extract stage */
        sv[kept - 1] = sc;
        sids[kept - 1] = sid;
    }
    if ((rc = bg_extract_store(cx->ext, cx->norm, cx->ix, &t, base_ptr,
                               d->start, sv, kept, sids, doc, err)))
        goto cleanup;
    if ((rc = bg_counter_finish(&counter)))
        goto oom;
    if ((rc = bg_index_add_terms(cx->ix, doc, &counter, err)) ||
        (rc = bg_index_finish_document(cx->ix, doc, kept, ntokens, err)))
        goto cleanup;
    cx->sentences += kept;
    goto cleanup;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
cleanup:
    bg_text_free(&t);
    free(sv);
    free(sids);
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
    char hash[17];
    int rc = bg_ingest_load_opts(path, cx->opts, &src, err);
    if (rc)
        return rc;
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)src->file_hash);
    if (bg_index_source_unchanged(cx->ix, path, hash)) {
        cx->unchanged++;
        goto cleanup;
    }
    if (src->warnings) {
        /* one line per warning, naming the file */
        for (const char *w = src->warnings; *w;) {
            size_t n = strcspn(w, "\n");
            fprintf(stderr, "baogao: %s: warning: %.*s\n", path, (int)n, w);
            w += n + (w[n] == '\n');
        }
        cx->warned++;
    }
    if ((rc = bg_index_begin(cx->ix, err)))
        goto cleanup;
    if ((rc = bg_index_add_source(cx->ix, path, src->file_size, &source_id,
                                  err)) ||
        (rc = bg_index_source_info(cx->ix, source_id, hash, src->format,
                                   src->encoding, src->confidence,
                                   src->derived ? src->bytes : NULL, src->len,
                                   src->warnings, err)))
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

/* On a terminal, one self-overwriting line on stderr: files and MB done,
 * MB/s; at most five updates a second. Nothing when stderr is not a
 * terminal. clear: erase the line (before a message is printed). */
static void progress(ingest_ctx *cx, const char *path, int clear)
{
    struct timespec now;
    if (!cx->tty)
        return;
    if (clear) {
        if (cx->shown)
            fputs("\r\033[K", stderr);
        cx->shown = 0;
        return;
    }
    struct stat st;
    if (path && stat(path, &st) == 0)
        cx->bytes += (double)st.st_size;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double t = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
    if (cx->t0 == 0)
        cx->t0 = t;
    if (t - cx->last < 0.2)
        return;
    cx->last = t;
    fprintf(stderr, "\r\033[K%zu files, %.1f MB, %.1f MB/s", cx->files,
            cx->bytes / 1e6, t > cx->t0 ? cx->bytes / 1e6 / (t - cx->t0) : 0);
    cx->shown = 1;
}

static int walk_cb(const char *path, const bg_err *problem, void *payload)
{
    ingest_ctx *cx = payload;
    bg_err err = {0};
    if (problem) {
        progress(cx, NULL, 1);
        fprintf(stderr, "baogao: %s\n", problem->msg);
        if (problem->code == BG_EINVAL)
            cx->skipped++;
        else
            cx->failed++;
        return problem->code == BG_ENOMEM ? BG_ENOMEM : 0;
    }
    if (ingest_file(cx, path, &err)) {
        progress(cx, NULL, 1);
        if (err.code == BG_EINVAL && strstr(err.msg, ": skipped: ")) {
            fprintf(stderr, "baogao: %s\n", err.msg); /* binary: refused */
            cx->skipped++;
            return 0;
        }
        fprintf(stderr, "baogao: %s (file skipped)\n", err.msg);
        cx->failed++;
        return err.code == BG_ENOMEM ? BG_ENOMEM : 0;
    }
    cx->files++;
    progress(cx, path, 0);
    return 0;
}

/* ---- dictionaries ------------------------------------------------------ */

/* Opens the segmenter of a command that writes the index: with the --dict
 * files when given (recorded, as absolute paths, in meta user_dicts), else
 * with the user dictionaries recorded by an earlier ingest. */
static int open_write_segmenter(const bg_options *o, bg_index *ix,
                                bg_normaliser *norm, bg_segmenter **seg,
                                bg_err *err)
{
    char *recorded = NULL, *joined = NULL;
    const char *v[64];
    size_t n = 0;
    bg_buf paths = {0};
    int rc;
    if (o->ndicts > 64)
        return bg_err_set(err, BG_EUSAGE, "at most 64 --dict files");
    if (o->ndicts) {
        for (size_t i = 0; i < o->ndicts; i++) {
            char *abs = realpath(o->dicts[i], NULL);
            if (!abs) {
                rc = bg_err_set(err, BG_EIO, "%s: %s", o->dicts[i],
                                strerror(errno));
                goto cleanup;
            }
            rc = bg_buf_printf(&paths, "%s%s", i ? "\n" : "", abs);
            free(abs);
            if (rc) {
                rc = bg_err_set(err, BG_ENOMEM, "out of memory");
                goto cleanup;
            }
        }
    } else if ((rc = bg_index_get_meta(ix, "user_dicts", &recorded, err))) {
        goto cleanup;
    } else if (recorded && bg_buf_puts(&paths, recorded)) {
        rc = bg_err_set(err, BG_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (paths.data && !(joined = strdup(paths.data))) {
        rc = bg_err_set(err, BG_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (char *p = paths.data; p && *p && n < 64;) {
        char *nl = strchr(p, '\n');
        v[n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    bg_segment_opts so = {NULL, v, n, 0, norm};
    if ((rc = bg_segment_open_with(seg, &so, err)))
        goto cleanup;
    rc = bg_index_set_meta(ix, "user_dicts", joined ? joined : "", err);
cleanup:
    free(joined);
    free(recorded);
    bg_buf_free(&paths);
    return rc;
}

/* Records the segmenter's dictionaries, or warns when they differ from
 * those that made the terms already stored (keeping the old record, so the
 * warning stays until `baogao reindex`). */
static int record_dicts(bg_index *ix, bg_segmenter *seg, int force, bg_err *err)
{
    char *old = NULL;
    int rc = bg_index_get_meta(ix, "dict_id", &old, err);
    if (rc)
        return rc;
    const char *now = bg_segment_dict_id(seg);
    if (old && !force && strcmp(old, now) != 0)
        fprintf(stderr,
                "baogao: warning: the index was segmented with dictionaries "
                "%s, the current ones are %s: run `baogao reindex`\n",
                old, now);
    else
        rc = bg_index_set_meta(ix, "dict_id", now, err);
    free(old);
    if (rc == 0)
        rc = bg_index_set_meta(ix, "segmenter",
                               "lattice: jieba dict.txt + dict/domain.txt "
                               "(+ user dictionaries), ICU word break",
                               err);
    return rc;
}

/* ---- reindex ----------------------------------------------------------- */

/* Re-segments every stored sentence (its analysis form, sentence.norm)
 * with the current dictionaries: terms, term counts and the FTS index are
 * rebuilt, one transaction per document. */
static int cmd_reindex(const bg_options *o)
{
    bg_index *ix = NULL;
    bg_normaliser *norm = NULL;
    bg_segmenter *seg = NULL;
    bg_err err = {0};
    sqlite3_stmt *docs = NULL, *sents = NULL;
    bg_buf terms = {0};
    size_t ndocs = 0, nsent = 0;
    int status = 1, rc;
    struct stat sb;
    if (stat(o->db, &sb) != 0) {
        fprintf(stderr, "baogao: %s: no database here\n", o->db);
        return 1;
    }
    if (bg_index_open(&ix, o->db, &err) || bg_normalise_open(&norm, &err) ||
        open_write_segmenter(o, ix, norm, &seg, &err))
        goto fail;
    sqlite3 *db = bg_index_db(ix);
    if (sqlite3_prepare_v2(db, "SELECT id FROM document ORDER BY id", -1, &docs,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT id, norm FROM sentence WHERE doc_id = ?1 "
                           "ORDER BY seq",
                           -1, &sents, NULL) != SQLITE_OK) {
        bg_err_set(&err, BG_ESQLITE, "%s: %s", o->db, sqlite3_errmsg(db));
        goto fail;
    }
    while (sqlite3_step(docs) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(docs, 0);
        bg_counter counter = {0};
        size_t ntok = 0, ns = 0;
        if (bg_index_begin(ix, &err) || bg_index_clear_terms(ix, doc, &err))
            goto fail;
        sqlite3_bind_int64(sents, 1, doc);
        rc = 0;
        while (rc == 0 && sqlite3_step(sents) == SQLITE_ROW) {
            int64_t sid = sqlite3_column_int64(sents, 0);
            const char *nt = (const char *)sqlite3_column_text(sents, 1);
            size_t nl = (size_t)sqlite3_column_bytes(sents, 1);
            terms.len = 0;
            if (bg_buf_reserve(&terms, 0)) {
                rc = bg_err_set(&err, BG_ENOMEM, "out of memory");
                break;
            }
            terms.data[0] = '\0';
            sent_terms acc = {nt ? nt : "", &terms, &counter, 0};
            rc = bg_segment_run(seg, acc.text, nl, term_cb, &acc, &err);
            if (rc == BG_ENOMEM)
                bg_err_set(&err, BG_ENOMEM, "out of memory");
            if (rc == 0)
                rc = bg_index_set_terms(ix, sid, terms.data, &err);
            ntok += acc.ntokens;
            ns++;
        }
        sqlite3_reset(sents);
        if (rc == 0 && bg_counter_finish(&counter))
            rc = bg_err_set(&err, BG_ENOMEM, "out of memory");
        if (rc == 0)
            rc = bg_index_add_terms(ix, doc, &counter, &err);
        if (rc == 0)
            rc = bg_index_finish_document(ix, doc, ns, ntok, &err);
        bg_counter_free(&counter);
        if (rc || bg_index_commit(ix, &err)) {
            bg_index_rollback(ix);
            goto fail;
        }
        ndocs++;
        nsent += ns;
    }
    if (bg_index_flush(ix, &err) || record_dicts(ix, seg, 1, &err))
        goto fail;
    fprintf(stderr,
            "baogao: re-segmented %zu documents (%zu sentences) with "
            "dictionaries %s\n",
            ndocs, nsent, bg_segment_dict_id(seg));
    status = 0;
    goto cleanup;
fail:
    fprintf(stderr, "baogao reindex: %s\n", err.msg);
cleanup:
    sqlite3_finalize(docs);
    sqlite3_finalize(sents);
    bg_buf_free(&terms);
    bg_segment_close(seg);
    bg_normalise_close(norm);
    bg_index_close(ix);
    return status;
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
        bg_normalise_open(&cx.norm, &err) ||
        open_write_segmenter(o, cx.ix, cx.norm, &cx.seg, &err) ||
        record_dicts(cx.ix, cx.seg, 0, &err) ||
        bg_extract_load(&cx.ext, rules_dir, &err) ||
        bg_index_set_meta(cx.ix, "normaliser",
                          "pinyin-cut+nfkc_cf+Traditional-Simplified", &err)) {
        fprintf(stderr, "baogao: %s\n", err.msg);
        status = 1;
        goto cleanup;
    }
    cx.opts = &o->ingest;
    cx.tty = isatty(2);
    for (int i = 0; i < o->nargs; i++)
        if (bg_ingest_walk(o->args[i], walk_cb, &cx) == BG_ENOMEM)
            break;
    progress(&cx, NULL, 1);
    if (bg_index_flush(cx.ix, &err)) {
        fprintf(stderr, "baogao: %s\n", err.msg);
        cx.failed++;
    }
    cx.files -= cx.unchanged;
    fprintf(stderr,
            "baogao: ingested %zu file%s (%zu documents, %zu sentences) into "
            "%s; %zu failed, %zu skipped",
            cx.files, cx.files == 1 ? "" : "s", cx.docs, cx.sentences, o->db,
            cx.failed, cx.skipped);
    if (cx.unchanged)
        fprintf(stderr, ", %zu unchanged", cx.unchanged);
    if (cx.duplicates)
        fprintf(stderr, ", %zu duplicate document%s (not counted again)",
                cx.duplicates, cx.duplicates == 1 ? "" : "s");
    fputc('\n', stderr);
    status = cx.failed ? 1 : 0;
cleanup:
    bg_extract_close(cx.ext);
    bg_segment_close(cx.seg);
    bg_normalise_close(cx.norm);
    bg_index_close(cx.ix);
    bg_buf_free(&rules);
    return status;
}

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
        if (bg_index_remove(ix, o->args[i], &ns, &nd, &err)) {
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
    if (strcmp(c, "docs") == 0 && o->duplicates)
        rc = bg_query_duplicates(q, 0.5, &rows, &err);
    else if (strcmp(c, "docs") == 0)
        rc = bg_query_docs(q, &rows, &err);
    else if (strcmp(c, "show") == 0)
        rc = bg_query_show(q, o->doc, &rows, &err);
    else if (strcmp(c, "search") == 0)
        rc = bg_query_search(q, o->args[0], o->limit, &rows, &err);
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
        if (o->recurring && strcmp(kind, "problem") == 0)
            rc = bg_query_recurring(q, o->threshold, o->min_docs, o->top, &rows,
                                    &err);
        else
            rc = bg_query_items(q, kind, o->doc, o->explain, &rows, &err);
    } else if (strcmp(c, "outline") == 0) {
        rc = bg_query_outline(q, o->doc, &rows, &err);
    } else if (strcmp(c, "summary") == 0) {
        rc = summary_rows(q, &rows, &err);
    }
    if (rc) {
        fprintf(stderr, "baogao %s: %s\n", c, err.msg);
        status = rc == BG_EINVAL || rc == BG_ENOTFOUND ? 2 : 1;
    } else {
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
    if (strcmp(o->command, "segment") == 0)
        return cmd_segment(o);
    if (strcmp(o->command, "reindex") == 0)
        return cmd_reindex(o);
    if (strcmp(o->command, "ingest") == 0)
        return cmd_ingest(o);
    if (strcmp(o->command, "remove") == 0)
        return cmd_remove(o);
    if (strcmp(o->command, "extract") == 0)
        return bg_operate_extract(o);
    return cmd_query(o);
}
