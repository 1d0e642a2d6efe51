/*
 * cmd_extract.c - `baogao extract`: the stored documents labelled again
 * with a rule set. Each source's text and repairs are what ingest stored
 * (index.h bg_index_source_text: nothing is decoded, extracted or looked
 * for again); each document is normalised with those repairs for the map
 * from its analysis form to file offsets (the one thing the index does not
 * keep); its sentences are the ones the index holds, with the properties
 * stored at ingest, never cut again; the labels are built by the function
 * ingest builds them with (docrec.h bg_docrec_labels) and replace the
 * stored ones (index.h bg_index_replace_labels).
 *
 * Offsets stored are byte offsets into the source file, like everywhere in
 * the index. Threading: one run per thread.
 */
#include "cli.h"
#include "docrec.h"
#include "index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct rerun {
    bg_index *ix;
    bg_stages sg;
    size_t docs, failed;
} rerun;

/* The stored sentences of one document, mapped into its analysis form. */
typedef struct mapped {
    const bg_text *t;
    const char *path;
    int64_t doc;
    bg_sentence *sv;
    int64_t *sids;
    size_t n, cap, scap;
    size_t from; /* analysis byte after the last sentence mapped */
    bg_err *err;
} mapped;

/* Maps stored sentence x into the analysis form: its first byte is the
 * first from m->from on whose original starts at x's start and whose
 * analysis text is x's norm (several analysis characters can share an
 * original, as a repair's replacement does). */
static int map_sentence(const bg_stored_sentence *x, void *payload)
{
    mapped *m = payload;
    const bg_text *t = m->t;
    size_t a = m->from;
    if (!x->props)
        return bg_err_set(m->err, BG_EDATA,
                          "%s: document %lld was stored before sentence "
                          "properties were recorded; ingest it again",
                          m->path, (long long)m->doc);
    while (a < t->len && t->orig_start[a] < x->s.start)
        a++;
    while (a < t->len && t->orig_start[a] == x->s.start &&
           (x->norm_len > t->len - a ||
            memcmp(t->analysis + a, x->norm, x->norm_len) != 0))
        a++;
    if (a >= t->len || t->orig_start[a] != x->s.start || x->norm_len == 0 ||
        t->orig_end[a + x->norm_len - 1] != x->s.end)
        return bg_err_set(m->err, BG_EDATA,
                          "%s: document %lld no longer matches the index "
                          "(sentence at byte %zu); ingest it again",
                          m->path, (long long)m->doc, x->s.start);
    if (BG_RESERVE(m->sv, m->cap, m->n + 1) ||
        BG_RESERVE(m->sids, m->scap, m->n + 1))
        return bg_err_set(m->err, BG_ENOMEM, "extract: out of memory");
    bg_sentence *s = &m->sv[m->n];
    *s = x->s;
    s->a_start = a;
    s->a_end = a + x->norm_len;
    s->marker_end = a + x->s.marker_end;
    m->sids[m->n++] = x->id;
    m->from = s->a_end;
    return 0;
}

/* A source's text and repairs as ingest stored them. */
typedef struct stored_text {
    const char *path;
    char *bytes;
    size_t len;
    bg_repairs repairs;
} stored_text;

/* Labels stored document d of src again. */
static int rerun_document(rerun *r, const stored_text *src,
                          const bg_stored_doc *d, bg_err *err)
{
    const char *text = src->bytes + d->start;
    bg_text t = {0};
    bg_arena mem = {0};
    bg_sent_rec *recs = NULL;
    mapped m = {&t, src->path, d->id, NULL, NULL, 0, 0, 0, 0, err};
    int rc;
    if (d->end > src->len || d->end < d->start)
        return bg_err_set(err, BG_EDATA,
                          "%s: document %lld no longer matches the file; "
                          "ingest it again",
                          src->path, (long long)d->id);
    if ((rc = bg_normalise_run(r->sg.norm, text, d->end - d->start, d->start,
                               &src->repairs, &t, err)) ||
        (rc = bg_index_each_sentence(r->ix, d->id, map_sentence, &m, err)))
        goto cleanup;
    if (m.n && !(recs = calloc(m.n, sizeof *recs))) {
        rc = bg_err_set(err, BG_ENOMEM, "extract: out of memory");
        goto cleanup;
    }
    const char *genre = NULL;
    if ((rc = bg_docrec_labels(&r->sg, &mem, &t, text, d->start, m.sv, m.n,
                               recs, &genre, err)) ||
        (rc = bg_index_replace_labels(r->ix, d->id, genre, m.sids, recs, m.n,
                                      err)))
        goto cleanup;
    r->docs++;
cleanup:
    free(recs);
    free(m.sv);
    free(m.sids);
    bg_arena_free(&mem);
    bg_text_free(&t);
    return rc;
}

/* Labels the stored documents of source (only doc when doc > 0) again, in
 * one unit. */
static int rerun_source(rerun *r, const bg_options *o,
                        const bg_stored_source *s, bg_err *err)
{
    stored_text src = {s->path, NULL, 0, {0}};
    bg_stored_doc *docs = NULL;
    size_t n = 0;
    int rc;
    if ((rc = bg_index_source_text(r->ix, s->id, &src.bytes, &src.len,
                                   &src.repairs, err)) ||
        (rc = bg_index_documents(r->ix, s->id, o->doc, 1, &docs, &n, err)) ||
        (rc = bg_index_begin(r->ix, err)))
        goto cleanup;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = rerun_document(r, &src, &docs[i], err);
    if (rc == 0)
        rc = bg_index_commit(r->ix, err);
    if (rc)
        bg_index_rollback(r->ix);
cleanup:
    free(docs);
    free(src.bytes);
    bg_repairs_free(&src.repairs);
    return rc;
}

int bg_cmd_extract(const bg_command *cmd, const bg_options *o)
{
    (void)cmd;
    rerun r = {0};
    bg_buf notes = {0};
    bg_err err = {0};
    bg_stored_source *srcs = NULL;
    size_t nsrc = 0;
    int64_t items = 0;
    int status = 1;
    struct stat sb;
    if (stat(o->db, &sb) != 0) {
        bg_output_message(
            stderr,
            "baogao extract: %s: no database here (run `baogao ingest "
            "PATH` first, or pass --db FILE)",
            o->db);
        return 1;
    }
    if (bg_index_open(&r.ix, o->db, o->take_over ? BG_INDEX_TAKE_OVER : 0,
                      &err) ||
        bg_normalise_open(&r.sg.norm, &err) ||
        bg_extract_load(&r.sg.ext, o->rules_dir, &notes, &err) ||
        bg_index_set_meta(r.ix, "rules",
                          o->rules_dir ? o->rules_dir : "dict/rules", &err) ||
        bg_index_sources(r.ix, o->doc, &srcs, &nsrc, &err)) {
        bg_output_message(stderr, "baogao extract: %s", err.msg);
        goto cleanup;
    }
    bg_output_lines(stderr, "baogao extract: warning: ", notes.data);
    for (size_t i = 0; i < nsrc; i++) {
        err = (bg_err){0};
        if (rerun_source(&r, o, &srcs[i], &err)) {
            bg_output_message(stderr, "baogao extract: %s (skipped)", err.msg);
            r.failed++;
        }
    }
    err = (bg_err){0};
    if (bg_index_flush(r.ix, &err)) {
        bg_output_message(stderr, "baogao extract: %s", err.msg);
        r.failed++;
    }
    (void)bg_index_count_labels(r.ix, &items, &err);
    bg_output_message(stderr,
                      "baogao: labelled %zu document%s again with %zu rules "
                      "(%lld items in %s); %zu failed",
                      r.docs, r.docs == 1 ? "" : "s",
                      bg_extract_nrules(r.sg.ext), (long long)items, o->db,
                      r.failed);
    status = r.failed ? 1 : 0;
cleanup:
    bg_buf_free(&notes);
    bg_index_sources_free(srcs, nsrc);
    bg_extract_close(r.sg.ext);
    bg_normalise_close(r.sg.norm);
    bg_index_close(r.ix);
    return status;
}

/* ---- baogao train -------------------------------------------------------- */

int bg_cmd_train(const bg_command *cmd, const bg_options *o)
{
    (void)cmd;
    static const char *const fams[] = {
        "rules",      "struct",      "rules,struct",     "text",
        "rules,text", "struct,text", "rules,struct,text"};
    bg_train_opts t = {(const char *const *)o->args,
                       (size_t)o->nargs,
                       o->rules_dir,
                       o->exclude,
                       o->folds,
                       o->predictions,
                       o->out,
                       0};
    bg_train_report rep;
    bg_err err = {0};
    if (o->families) {
        for (unsigned v = 1; v <= 7 && !t.families; v++)
            if (strcmp(fams[v - 1], o->families) == 0)
                t.families = v;
        if (!t.families) {
            bg_output_message(stderr,
                              "baogao train: --families is a comma list of "
                              "rules, struct, text in that order, not \"%s\"",
                              o->families);
            return 2;
        }
    }
    if (!!o->folds != !!o->predictions) {
        bg_output_message(stderr, "baogao train: --folds and --predictions "
                                  "go together");
        return 2;
    }
    if (bg_extract_train(&t, &rep, &err)) {
        bg_output_message(stderr, "baogao train: %s", err.msg);
        return 1;
    }
    if (o->folds)
        bg_output_message(stderr,
                          "baogao train: %zu documents, %zu sentences, %zu "
                          "folds; items in %s",
                          rep.docs, rep.sentences, rep.folds, o->predictions);
    else
        bg_output_message(
            stderr,
            "baogao train: %zu documents, %zu sentences, %zu "
            "features, thresholds %.3f %.3f %.3f; wrote %s and %s",
            rep.docs, rep.sentences, rep.features, rep.threshold[0],
            rep.threshold[1], rep.threshold[2], rep.model_path,
            rep.figures_path);
    return 0;
}
