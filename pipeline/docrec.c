/*
 * docrec.c - document records (docrec.h): stages 2-6 over one document,
 * and the one label builder.
 *
 * Threading: as docrec.h. Offsets: byte offsets into the source's text.
 */
#include "docrec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bg_docrec_free(bg_doc_rec *r)
{
    if (r)
        bg_counter_free(&r->counter);
}

int bg_docrec_normalise(bg_normaliser *n, const char *text, size_t len,
                        size_t base, bg_text *out, bg_err *err)
{
    bg_repairs rp = {0};
    int rc = bg_ingest_repairs(text, len, base, &rp);
    if (rc) {
        memset(out, 0, sizeof *out);
        rc = bg_err_set(err, rc, "normalise: out of memory");
    } else {
        rc = bg_normalise_run(n, text, len, base, &rp, out, err);
    }
    bg_repairs_free(&rp);
    return rc;
}

/* ---- terms -------------------------------------------------------------- */

typedef struct sent_terms {
    const char *text;
    bg_buf *terms;
    bg_counter *counter;
    size_t ntokens;
} sent_terms;

/* Each coarse token is a term, in the form sentence.terms stores: its fine
 * parts apart by TABs (index.h). */
static int term_cb(const bg_token *tok, void *payload)
{
    sent_terms *st = payload;
    if (tok->kind == BG_TOK_OTHER)
        return 0;
    size_t from = st->terms->len + (st->terms->len > 0);
    if ((st->terms->len && bg_buf_add(st->terms, " ", 1)) ||
        bg_token_term(tok, "\t", st->terms) ||
        (st->counter && bg_counter_add(st->counter, st->terms->data + from,
                                       st->terms->len - from)))
        return BG_ENOMEM;
    st->ntokens++;
    return 0;
}

int bg_docrec_terms(bg_segmenter *seg, const char *s, size_t len, bg_buf *terms,
                    bg_counter *c, size_t *ntokens, bg_err *err)
{
    terms->len = 0;
    if (bg_buf_add(terms, "", 0))
        return bg_err_set(err, BG_ENOMEM, "terms: out of memory");
    sent_terms acc = {s, terms, c, 0};
    int rc = bg_segment_run(seg, s, len, term_cb, &acc, err);
    if (rc == BG_ENOMEM)
        rc = bg_err_set(err, BG_ENOMEM, "terms: out of memory");
    *ntokens = acc.ntokens;
    return rc;
}

/* ---- labels ------------------------------------------------------------- */

/* Display form of analysis range [a, b) of t in the arena ("" when
 * empty). */
static char *display_dup(bg_arena *m, const bg_text *t, const char *src,
                         size_t base, size_t a, size_t b, bg_buf *tmp)
{
    tmp->len = 0;
    if (b > a && bg_text_display(t, src, base, t->orig_start[a],
                                 t->orig_end[b - 1], tmp))
        return NULL;
    return bg_arena_strndup(m, tmp->data ? tmp->data : "", tmp->len);
}

/* The cues of l into r, in file offsets with their display text. */
static int cue_records(bg_arena *m, const bg_text *t, const char *src,
                       size_t base, const bg_label *l, bg_label_rec *r,
                       bg_buf *tmp)
{
    if (l->ncues && !(r->cues = bg_arena_alloc(m, l->ncues * sizeof *r->cues)))
        return BG_ENOMEM;
    for (size_t c = 0; c < l->ncues; c++) {
        const bg_cue *q = &l->cues[c];
        bg_cue_rec *o = &r->cues[c];
        o->rule = q->rule;
        o->weight = q->weight;
        o->context = q->context;
        /* an empty cue (a context's) sits at its place, or the text's end */
        o->start = q->a_end > q->a_start ? t->orig_start[q->a_start]
                   : q->a_start < t->len ? t->orig_start[q->a_start]
                   : t->len              ? t->orig_end[t->len - 1]
                                         : base;
        o->end = q->a_end > q->a_start ? t->orig_end[q->a_end - 1] : o->start;
        if (!(o->text =
                  display_dup(m, t, src, base, q->a_start, q->a_end, tmp)))
            return BG_ENOMEM;
    }
    r->ncues = l->ncues;
    return 0;
}

/* The problem clauses of l into r, in file offsets (an empty one is
 * left out). */
static int clause_records(bg_arena *m, const bg_text *t, const char *src,
                          size_t base, const bg_label *l, bg_label_rec *r,
                          bg_buf *tmp)
{
    if (l->nclauses &&
        !(r->clauses = bg_arena_alloc(m, l->nclauses * sizeof *r->clauses)))
        return BG_ENOMEM;
    for (size_t c = 0; c < l->nclauses; c++) {
        const bg_clause *q = &l->clauses[c];
        if (q->end <= q->start || q->end > t->len)
            continue;
        bg_clause_rec *o = &r->clauses[r->nclauses++];
        o->start = t->orig_start[q->start];
        o->end = t->orig_end[q->end - 1];
        o->category = q->category;
        o->generic = q->generic;
        if (!(o->text = display_dup(m, t, src, base, q->start, q->end, tmp)))
            return BG_ENOMEM;
    }
    return 0;
}

static int label_record(bg_stages *sg, bg_arena *m, const bg_text *t,
                        const char *src, size_t base, const bg_label *l,
                        bg_label_rec *r, bg_buf *tmp, bg_err *err)
{
    memset(r, 0, sizeof *r);
    r->l = *l;
    r->l.cues = NULL;
    r->l.clauses = NULL;
    r->l.nclauses = 0;
    r->l.actor = r->l.horizon = NULL;
    if (l->kind == BG_KIND_THEME) {
        tmp->len = 0;
        int rc = bg_extract_phrase(sg->norm, t, src, base, l, tmp, err);
        if (rc)
            return rc;
        if (!(r->phrase =
                  bg_arena_strndup(m, tmp->data ? tmp->data : "", tmp->len)))
            goto oom;
    } else if (l->clause_end > l->clause_start) {
        r->clause_start = t->orig_start[l->clause_start];
        r->clause_end = t->orig_end[l->clause_end - 1];
        if (!(r->clause = display_dup(m, t, src, base, l->clause_start,
                                      l->clause_end, tmp)))
            goto oom;
    }
    if ((l->actor &&
         !(r->actor = bg_arena_strndup(m, l->actor, strlen(l->actor)))) ||
        (l->horizon &&
         !(r->horizon = bg_arena_strndup(m, l->horizon, strlen(l->horizon)))) ||
        cue_records(m, t, src, base, l, r, tmp) ||
        clause_records(m, t, src, base, l, r, tmp))
        goto oom;
    return 0;
oom:
    return bg_err_set(err, BG_ENOMEM, "extract: out of memory");
}

int bg_docrec_labels(bg_stages *sg, bg_arena *m, const bg_text *t,
                     const char *text, size_t base, const bg_sentence *sv,
                     size_t ns, bg_sent_rec *out, const char **genre,
                     bg_err *err)
{
    bg_buf tmp = {0};
    int rc = bg_extract_document(sg->ext, t, sv, ns, err);
    *genre = rc == 0 ? bg_extract_genre(sg->ext) : NULL;
    for (size_t i = 0; i < ns && rc == 0; i++) {
        bg_label labels[BG_NKINDS];
        size_t nl;
        out[i].labels = NULL;
        out[i].nlabels = 0;
        if ((rc = bg_extract_sentence(sg->ext, i, labels, &nl, err)))
            break;
        if (nl &&
            !(out[i].labels = bg_arena_alloc(m, nl * sizeof *out[i].labels))) {
            rc = bg_err_set(err, BG_ENOMEM, "extract: out of memory");
            break;
        }
        for (size_t k = 0; k < nl && rc == 0; k++)
            rc = label_record(sg, m, t, text, base, &labels[k],
                              &out[i].labels[k], &tmp, err);
        out[i].nlabels = nl;
    }
    bg_buf_free(&tmp);
    return rc;
}

/* ---- documents ---------------------------------------------------------- */

/* The sentences of d kept as sentences: sign-off, byline and export-debris
 * lines are metadata; docx heading paragraphs keep their Word outline
 * level. Compacts sv in place; returns how many are kept. */
static size_t keep_sentences(const bg_docspan *d, bg_sentence *sv, size_t ns)
{
    size_t kept = 0;
    for (size_t i = 0; i < ns; i++) {
        bg_sentence sc = sv[i];
        int meta_line = 0;
        for (size_t k = 0; k < d->nskip && !meta_line; k++)
            meta_line =
                sc.start >= d->skip[k].start && sc.end <= d->skip[k].end + 1;
        if (meta_line)
            continue;
        for (size_t k = 0; k < d->nheadings && !sc.outline; k++)
            if (sc.start >= d->headings[k].start &&
                sc.start < d->headings[k].end)
                sc.outline = d->levels[k];
        sv[kept++] = sc;
    }
    return kept;
}

int bg_docrec_sentences(bg_normaliser *norm, const bg_source *src,
                        const bg_docspan *d, bg_text *t, bg_sentence **sv,
                        size_t *ns, bg_err *err)
{
    const char *text = src->bytes + d->start;
    int rc;
    *sv = NULL;
    *ns = 0;
    if ((rc = bg_normalise_run(norm, text, d->end - d->start, d->start,
                               &src->repairs, t, err)) ||
        (rc = bg_sentence_split(t, text, d->start, d->title_start, d->title_end,
                                sv, ns, err)))
        return rc;
    *ns = keep_sentences(d, *sv, *ns);
    return 0;
}

/* The sentence records of sv[0, ns): display and analysis text, terms. */
static int sentence_records(bg_stages *sg, bg_arena *m, const bg_text *t,
                            const char *text, size_t base,
                            const bg_sentence *sv, size_t ns, bg_doc_rec *r,
                            bg_err *err)
{
    bg_buf disp = {0}, terms = {0}, edit = {0};
    int rc = 0;
    if (ns && !(r->sv = bg_arena_alloc(m, ns * sizeof *r->sv)))
        rc = BG_ENOMEM;
    r->ns = ns;
    for (size_t i = 0; i < ns && rc == 0; i++) {
        const bg_sentence *s = &sv[i];
        bg_sent_rec *o = &r->sv[i];
        size_t ntok = 0;
        memset(o, 0, sizeof *o);
        o->s = *s;
        disp.len = 0;
        if (bg_text_display(t, text, base, s->start, s->end, &disp) ||
            !(o->text =
                  bg_arena_strndup(m, disp.data ? disp.data : "", disp.len)) ||
            !(o->norm = bg_arena_strndup(m, t->analysis + s->a_start,
                                         s->a_end - s->a_start))) {
            rc = BG_ENOMEM;
            break;
        }
        /* made here, on the worker's thread, not by the index's writer */
        edit.len = 0;
        if (bg_edits_make(o->text, strlen(o->text), o->norm, strlen(o->norm),
                          &edit) ||
            !(o->edit = (unsigned char *)bg_arena_strndup(
                  m, edit.data ? edit.data : "", edit.len))) {
            rc = BG_ENOMEM;
            break;
        }
        o->edit_len = edit.len;
        o->tok0 = r->counter.n;
        if ((rc = bg_docrec_terms(sg->seg, o->norm, s->a_end - s->a_start,
                                  &terms, &r->counter, &ntok, err)))
            break;
        o->ntok = r->counter.n - o->tok0;
        r->ntokens += ntok;
        if (!(o->terms = bg_arena_strndup(m, terms.data, terms.len)))
            rc = BG_ENOMEM;
    }
    bg_buf_free(&disp);
    bg_buf_free(&terms);
    bg_buf_free(&edit);
    return rc == BG_ENOMEM ? bg_err_set(err, rc, "records: out of memory") : rc;
}

int bg_docrec_build(bg_stages *sg, const bg_source *src, const bg_docspan *d,
                    bg_arena *m, bg_doc_rec *r, bg_err *err)
{
    const char *text = src->bytes + d->start;
    bg_text t = {0};
    bg_sentence *sv = NULL;
    size_t ns = 0;
    bg_buf title = {0};
    int rc;
    r->d = d;
    if ((rc = bg_docrec_sentences(sg->norm, src, d, &t, &sv, &ns, err)))
        goto cleanup;
    if (d->title ? bg_buf_puts(&title, d->title)
                 : bg_text_display(&t, text, d->start, d->title_start,
                                   d->title_end, &title))
        goto oom;
    if (!(r->title =
              bg_arena_strndup(m, title.data ? title.data : "", title.len)))
        goto oom;
    snprintf(r->hash, sizeof r->hash, "%016llx",
             (unsigned long long)bg_hash(t.analysis, t.len, BG_HASH_INIT));
    bg_minhash(t.analysis, t.len, r->sig);
    r->empty = t.len == 0;
    if ((rc = sentence_records(sg, m, &t, text, d->start, sv, ns, r, err)) ||
        (rc = bg_docrec_labels(sg, m, &t, text, d->start, sv, ns, r->sv,
                               &r->genre, err)))
        goto cleanup;
    if (bg_counter_finish(&r->counter))
        goto oom;
    goto cleanup;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
cleanup:
    bg_text_free(&t);
    free(sv);
    bg_buf_free(&title);
    return rc;
}
