/*
 * query_keyness.c - keyness of a target against a reference (documents of
 * a facet, or a word list file): G2 (4-term or 2-term), p, Log Ratio and
 * %DIFF (keywords.h), each direction ranked.
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct key_row {
    size_t id;
    double a, b, g2, p, lr, pd, strength;
    int sign;
    const char *term;
} key_row;

static int by_strength(const void *x, const void *y)
{
    const key_row *a = x, *b = y;
    if (a->strength != b->strength)
        return a->strength < b->strength ? 1 : -1;
    if (a->g2 != b->g2)
        return a->g2 < b->g2 ? 1 : -1;
    return strcmp(a->term, b->term);
}

/* Reads a reference word list (word<TAB>frequency a line, # comments) into
 * c, interning its words. */
static int read_reference_list(bg_query *q, const char *path, bg_vocab *v,
                               int64_t **freq, int64_t *total, bg_err *err)
{
    bg_lines lr;
    char *p;
    size_t l, cap = 0;
    int rc = bg_lines_open(&lr, path, err);
    *freq = NULL;
    *total = 0;
    while (rc == 0 && bg_lines_next(&lr, &p, &l)) {
        if (!*p || *p == '#')
            continue;
        char *tab = strchr(p, '\t'), *end;
        long long n = tab ? strtoll(tab + 1, &end, 10) : -1;
        if (!tab || n < 0 || end == tab + 1 || *end ||
            bg_utf8_valid_prefix(p, (size_t)(tab - p)) != (size_t)(tab - p)) {
            rc = bg_lines_fail(&lr, err, BG_EDATA,
                               "write word<TAB>frequency (UTF-8, a whole "
                               "number)");
            break;
        }
        char *w = NULL;
        size_t id;
        if ((rc = bg_normalise_string(q->norm, p, (size_t)(tab - p), &w, err)))
            break;
        rc = bg_vocab_intern(v, w, &id);
        free(w);
        if (rc) {
            rc = bg_query_oom(err);
            break;
        }
        if (BG_RESERVE_ZERO(*freq, cap, id + 1)) {
            rc = bg_query_oom(err);
            break;
        }
        (*freq)[id] += n;
        *total += n;
    }
    bg_lines_close(&lr);
    if (rc == 0 && *total == 0)
        rc = bg_err_set(err, BG_EDATA, "%s: no word frequencies", path);
    /* cover every id, the corpus-only words with 0 */
    if (rc == 0 && BG_RESERVE_ZERO(*freq, cap, v->n + 1))
        rc = bg_query_oom(err);
    if (rc) {
        free(*freq);
        *freq = NULL;
    }
    return rc;
}

/* The state of one bg_query_keyness call. */
typedef struct keyrun {
    bg_query *q;
    const bg_stats_opts *o;
    bg_vocab v;
    bg_facet ft, fr;
    bg_docset dt, dr;
    bg_tally ct, cr;
    bg_reader rt, rr;
    int64_t *list, list_total; /* --reference-list: frequencies by id */
    key_row *kr;
    size_t n;
    double n1, n2; /* target and reference sizes in tokens */
} keyrun;

static void keyrun_free(keyrun *K)
{
    free(K->kr);
    free(K->list);
    sqlite3_finalize(K->rt.st);
    sqlite3_finalize(K->rr.st);
    bg_tally_free(&K->ct);
    bg_tally_free(&K->cr);
    bg_docset_free(&K->dt);
    bg_docset_free(&K->dr);
    bg_facet_free(&K->ft);
    bg_facet_free(&K->fr);
    bg_vocab_free(&K->v);
}

/* The reference documents: those of the facet reference, or every
 * document not in the target (with a kind filter on the target: the whole
 * corpus, every sentence). */
static int load_reference(keyrun *K, const char *reference, bg_err *err)
{
    int rc;
    if ((rc = bg_facet_parse(K->q, reference, &K->fr, err)) ||
        (rc = bg_docset_load(K->q, &K->fr, NULL, NULL, &K->dr, err)))
        return rc;
    if ((!reference || !*reference) && !K->ft.kind) {
        size_t k = 0;
        for (size_t i = 0; i < K->dr.n; i++)
            if (!bg_docset_has(&K->dt, K->dr.id[i]))
                K->dr.id[k++] = K->dr.id[i];
            else
                K->dr.of[K->dr.id[i]] = 0; /* bg_docset_has agrees */
        K->dr.n = k;
    }
    if (K->dr.n == 0)
        return bg_err_id(err, BG_ENOTFOUND, "keyness.no-reference",
                         "no document in the reference (--reference %s)",
                         reference ? reference : "(the rest)");
    return 0;
}

/* Counts the target and the reference documents. */
static int count_both(keyrun *K, int list, bg_err *err)
{
    bg_query *q = K->q;
    int rc;
    if ((rc = bg_vocab_exclude(q, K->o, &K->v, K->o->drop_stopwords, 0, err)) ||
        (rc = bg_reader_open(q, &K->ft, &K->v, &K->rt, err)) ||
        (!list && (rc = bg_reader_open(q, &K->fr, &K->v, &K->rr, err))))
        return rc;
    if (bg_tally_init(&K->ct, K->v.n) || bg_tally_init(&K->cr, K->v.n))
        return bg_query_oom(err);
    if ((rc = bg_count_docset(q, &K->rt, &K->dt, NULL, NULL, &K->ct, err)))
        return rc;
    if (!list) {
        /* a reference disjoint from a target counted by document: the
         * totals minus the target minus the rest, when the rest is the
         * smaller read (the default reference, every other document, reads
         * nothing more) */
        int disjoint = !K->ft.kind;
        for (size_t i = 0; disjoint && i < K->dt.n; i++)
            disjoint = !bg_docset_has(&K->dr, K->dt.id[i]);
        rc = bg_count_docset(q, &K->rr, &K->dr, disjoint ? &K->dt : NULL,
                             disjoint ? &K->ct : NULL, &K->cr, err);
        if (rc)
            return rc;
    }
    K->n1 = (double)K->ct.tokens;
    K->n2 = (double)(list ? K->list_total : K->cr.tokens);
    if (K->n1 <= 0 || K->n2 <= 0)
        return K->n1 <= 0
                   ? bg_err_id(err, BG_ENOTFOUND, "keyness.empty-target",
                               "the target holds no tokens")
                   : bg_err_id(err, BG_ENOTFOUND, "keyness.empty-reference",
                               "the reference holds no tokens");
    return 0;
}

/* The keyness of every kept term into K->kr, strongest first by sort. */
static int score(keyrun *K, const char *sort, int two_term)
{
    double n1 = K->n1, n2 = K->n2;
    if (!(K->kr = malloc((K->v.n + 1) * sizeof *K->kr)))
        return BG_ENOMEM;
    for (size_t id = 0; id < K->v.n; id++) {
        if (K->v.excl[id])
            continue;
        key_row k = {id, (double)K->ct.freq[id], 0, 0, 0, 0, 0, 0,
                     0,  K->v.term[id]};
        k.b = K->list ? (double)K->list[id] : (double)K->cr.freq[id];
        if (k.a + k.b <= 0 || k.a + k.b < (double)K->o->min_freq)
            continue;
        k.sign = bg_keyness_sign(k.a, k.b, n1, n2);
        if (k.sign == 0)
            continue;
        k.g2 = two_term ? bg_g2_2term(k.a, k.b, n1, n2)
                        : bg_g2_4term(k.a, k.b, n1, n2);
        k.p = bg_chi2_sf1(k.g2);
        k.lr = bg_log_ratio(k.a, k.b, n1, n2);
        k.pd = bg_pct_diff(k.a, k.b, n1, n2);
        k.strength = strcmp(sort, "log_ratio") == 0  ? fabs(k.lr)
                     : strcmp(sort, "pct_diff") == 0 ? fabs(k.pd)
                     : strcmp(sort, "p") == 0        ? -k.p
                                                     : k.g2;
        K->kr[K->n++] = k;
    }
    if (K->n)
        qsort(K->kr, K->n, sizeof *K->kr, by_strength);
    return 0;
}

/* The top rows of each direction, overused (+) first. */
static int emit(const keyrun *K, int two_term, bg_rows *out)
{
    const char *cols[] = {"rank:i",
                          "term:s",
                          "direction:s",
                          "freq_target:i",
                          "freq_reference:i",
                          "pm_target:r",
                          "pm_reference:r",
                          two_term ? "g2_2term:r" : "g2_4term:r",
                          "p:r",
                          "log_ratio_zero_half:r",
                          "pct_diff:r"};
    if (bg_query_rows_init(out, cols, 11))
        return BG_ENOMEM;
    for (int dir = 1; dir >= -1; dir -= 2) {
        size_t rank = 0;
        for (size_t i = 0; i < K->n; i++) {
            const key_row *k = &K->kr[i];
            if (k->sign != dir || (K->o->top && rank >= K->o->top))
                continue;
            bg_cell *row = bg_query_rows_add(out);
            if (!row || bg_query_cell_text(&row[1], k->term) ||
                bg_query_cell_text(&row[2], dir > 0 ? "+" : "-"))
                return BG_ENOMEM;
            bg_query_cell_int(&row[0], (int64_t)++rank);
            bg_query_cell_int(&row[3], (int64_t)k->a);
            bg_query_cell_int(&row[4], (int64_t)k->b);
            bg_query_cell_real(&row[5], k->a * 1e6 / K->n1);
            bg_query_cell_real(&row[6], k->b * 1e6 / K->n2);
            bg_query_cell_real(&row[7], k->sign * k->g2);
            bg_query_cell_real(&row[8], k->p);
            bg_query_cell_real(&row[9], k->lr);
            bg_query_cell_real(&row[10], k->pd);
        }
    }
    return 0;
}

int bg_query_keyness(bg_query *q, const bg_stats_opts *o, const char *target,
                     const char *reference, const char *reference_list,
                     int two_term, bg_rows *out, bg_err *err)
{
    keyrun K = {0};
    int rc;
    K.q = q;
    K.o = o;
    memset(out, 0, sizeof *out);
    const char *sort = o->sort ? o->sort : "g2";
    if (strcmp(sort, "g2") && strcmp(sort, "log_ratio") &&
        strcmp(sort, "pct_diff") && strcmp(sort, "p"))
        return bg_err_set(err, BG_EINVAL,
                          "keyness sorts by g2, log_ratio, pct_diff or p, "
                          "not \"%s\"",
                          sort);
    if (!target || !*target)
        return bg_err_set(err, BG_EINVAL,
                          "keyness needs --target FACETS (e.g. doc=3, "
                          "year>=2000)");
    if ((rc = bg_facet_parse(q, target, &K.ft, err)) ||
        (rc = bg_docset_load(q, &K.ft, NULL, NULL, &K.dt, err)) ||
        (rc = bg_vocab_load(q, o->granularity, &K.v, err)))
        goto cleanup;
    if (K.dt.n == 0) {
        rc = bg_err_id(err, BG_ENOTFOUND, "keyness.no-target",
                       "no document matches --target %s", target);
        goto cleanup;
    }
    if ((rc = reference_list ? read_reference_list(q, reference_list, &K.v,
                                                   &K.list, &K.list_total, err)
                             : load_reference(&K, reference, err)) ||
        (rc = count_both(&K, reference_list != NULL, err)))
        goto cleanup;
    if (score(&K, sort, two_term) || emit(&K, two_term, out))
        rc = bg_query_oom(err);
cleanup:
    keyrun_free(&K);
    return rc;
}
