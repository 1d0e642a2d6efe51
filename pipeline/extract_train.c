/*
 * extract_train.c - `baogao train`: the learned layer's per-kind logistic
 * regression, fitted with liblinear on gold files, and its
 * cross-validation.
 *
 * Input: gold files in the format of ../shared/eval/extraction (one unit a
 * line, {"doc", "start", "end", "labels"}), each with its documents in
 * docs/NAME.txt beside it. Every document is read as `baogao ingest`
 * reads it (ingest, normalise, sentences without the metadata lines,
 * extract with the rules alone); each sentence takes the labels of the
 * gold unit it overlaps by at least half of the shorter of the two (the
 * scorer's criterion); sentences overlapping none are left out.
 *
 * Features (extract_int.h, bg_model_features) are kept when they occur in
 * at least MIN_DF training documents (MIN_DF_TEXT for character n-grams):
 * a feature of one document is that document's wording, not its kind's.
 * Per kind, liblinear fits L2-regularised logistic regression (solver
 * L2R_LR, bias feature 1, eps 0.01: liblinear's defaults for that solver)
 * on the sentences where the kind's probability decides (no absolute veto,
 * no decisive cue, and a cue of the kind when it needs one). Every
 * hyper-parameter is chosen inside the training documents only, by an
 * inner cross-validation (INNER_FOLDS folds, documents dealt in name
 * order), so a held-out document never chooses one: per kind the most
 * regularised C of C_GRID whose out-of-fold probabilities have a
 * log-loss within C_TOL of the least; then the
 * rule score that labels alone (force) whose best cut reaches the highest
 * F1, F*; and the threshold F* / 2 (fit_model, best_decision: the
 * F1-optimal threshold of calibrated probabilities; it moved by under 0.02
 * over the 60 leave-one-document-out fits where the best cut itself moved
 * from 0.32 to 0.81). The model written is the committee of the inner
 * fits at that C (the mean of their weights: committee), which a small
 * change of the gold or the rules moves less than a single fit.
 *
 * Modes:
 *   - default: fit on every document not --exclude'd, write RULES/model.txt
 *     (format: extract_model.c) and RULES/model.json (training figures:
 *     counts, thresholds, inner cross-validation P/R/F1, and the
 *     probabilities of the first two documents' sentences, recomputed from
 *     the written file, which `make test` checks ingest reproduces);
 *     --out DIR writes them elsewhere.
 *   - --folds FILE --predictions OUT: FILE has `doc<TAB>fold` lines; for
 *     each fold the documents of the other folds and those of no fold are
 *     the training set and the fold's documents are predicted; OUT gets one
 *     JSON line per predicted item, {"variant", "file", "kind", "start",
 *     "end", "phrase"?, "p"?}, for three variants: "rules" (the rules
 *     alone), "model" (structure and text features) and "both" (the rules'
 *     cues too), and one line per fold and learned variant with the
 *     hyper-parameters its training set chose, {"variant", "fit": FOLD,
 *     "C", "threshold", "force": [per kind]} (print_fit). No model is
 *     written.
 *
 * Output is deterministic: documents in name order, features in first-seen
 * order, liblinear's trust-region solver (no random permutation), numbers
 * printed with %.9g.
 */
#include "docrec.h"
#include "extract_int.h"
#include "ingest.h"
#include "normalise.h"
#include "sentence.h"

#include <cjson/cJSON.h>
#include <linear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_DF 2
#define MIN_DF_TEXT 3
/* The regularisation constants tried, per kind (liblinear's C: the weight
 * of the training loss against the L2 penalty; 1 is its default). */
static const double C_GRID[] = {0.0625, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0};
#define N_C (sizeof C_GRID / sizeof *C_GRID)
/* How far above the least inner-cross-validated log-loss (nats per
 * sentence) a smaller C's may be and still be chosen (fit_model): the
 * log-loss is flat near its least (commitments, on the 60 documents:
 * 0.23913 at C 0.125, 0.23886 at 0.25), so the least alone flips between
 * neighbours with any change of the gold or the rules, and every
 * probability with it. */
#define C_TOL 0.002
#define INNER_FOLDS 5
#define CHECK_DOCS 2
#define FORCE_NONE 1e9

typedef struct unit {
    size_t start, end;
    unsigned labels; /* bit per kind */
} unit;

typedef struct gdoc {
    char *name, *path;
    unit *u;
    size_t nu, cap;
    int fold; /* -1: in no fold (always training) */
} gdoc;

typedef struct sent {
    size_t doc;
    size_t start, end;       /* original bytes */
    int y;                   /* label bits; -1: no gold unit */
    unsigned rules;          /* the rules' label bits */
    double score[BG_NKINDS]; /* the rules' scores */
    unsigned hard;           /* kinds an absolute veto excludes */
    unsigned decisive;       /* kinds the rules decide (bg_extract_decided) */
    char *phrase;            /* theme phrase, or NULL */
    uint32_t *f;             /* feature ids, sorted, distinct */
    size_t nf;
} sent;

typedef struct feat {
    char *key;
    size_t len;
    uint32_t id;
} feat;

typedef struct trainer {
    gdoc *docs;
    size_t ndocs, capdocs;
    char **folds;
    size_t nfolds;
    sent *sv;
    size_t ns, caps;
    bg_strmap ids; /* feature key -> id */
    feat **feats;
    size_t nfeats, capfeats;
    /* per sentence being extracted */
    uint32_t *tmp;
    size_t ntmp, captmp;
    int oom;
    /* per feature: family bit, document frequency scratch */
    unsigned char *fam;
    uint32_t *df, *lastdoc;
} trainer;

/* ---- gold files -----------------------------------------------------------
 */

static int doc_cmp(const void *a, const void *b)
{
    return strcmp(((const gdoc *)a)->name, ((const gdoc *)b)->name);
}

static gdoc *find_doc(trainer *t, const char *name)
{
    for (size_t i = 0; i < t->ndocs; i++)
        if (strcmp(t->docs[i].name, name) == 0)
            return &t->docs[i];
    return NULL;
}

static int listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l == n && strncmp(p, name, n) == 0)
            return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

/* Reads gold file path: its units, grouped by document. */
static int read_gold(trainer *t, const char *path, const char *exclude,
                     bg_err *err)
{
    char *data;
    size_t len, lineno = 0;
    int rc = bg_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    bg_buf dir = {0};
    const char *slash = strrchr(path, '/');
    if (bg_buf_printf(&dir, "%.*s", slash ? (int)(slash - path) : 1,
                      slash ? path : "."))
        goto oom;
    char *save = NULL;
    for (char *line = strtok_r(data, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        cJSON *o = cJSON_Parse(line);
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "doc");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "start");
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "end");
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(o, "labels");
        if (!cJSON_IsString(d) || !cJSON_IsNumber(s) || !cJSON_IsNumber(e) ||
            !cJSON_IsArray(l) || s->valuedouble < 0 ||
            e->valuedouble < s->valuedouble) {
            cJSON_Delete(o);
            rc = bg_err_set(err, BG_EDATA,
                            "%s:%zu: not a gold unit (doc, start, end, labels)",
                            path, lineno);
            goto done;
        }
        if (listed(exclude, d->valuestring)) {
            cJSON_Delete(o);
            continue;
        }
        gdoc *g = find_doc(t, d->valuestring);
        if (!g) {
            if (BG_RESERVE(t->docs, t->capdocs, t->ndocs + 1)) {
                cJSON_Delete(o);
                goto oom;
            }
            g = &t->docs[t->ndocs];
            memset(g, 0, sizeof *g);
            g->fold = -1;
            bg_buf p = {0};
            if (!(g->name = strdup(d->valuestring)) ||
                bg_buf_printf(&p, "%s/docs/%s.txt", dir.data, d->valuestring)) {
                free(g->name);
                bg_buf_free(&p);
                cJSON_Delete(o);
                goto oom;
            }
            g->path = p.data;
            t->ndocs++;
        } else if (g->nu && strncmp(g->path, dir.data, dir.len) != 0) {
            cJSON_Delete(o);
            rc = bg_err_set(err, BG_EDATA,
                            "%s:%zu: document %s is in two gold files", path,
                            lineno, d->valuestring);
            goto done;
        }
        unit u = {(size_t)s->valuedouble, (size_t)e->valuedouble, 0};
        const cJSON *it;
        cJSON_ArrayForEach(it, l)
        {
            for (int k = 0; k < BG_NKINDS; k++)
                if (cJSON_IsString(it) &&
                    strcmp(it->valuestring, bg_kind_name((bg_kind)k)) == 0)
                    u.labels |= 1u << k;
        }
        cJSON_Delete(o);
        if (BG_RESERVE(g->u, g->cap, g->nu + 1))
            goto oom;
        g->u[g->nu++] = u;
    }
    goto done;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "train: out of memory");
done:
    bg_buf_free(&dir);
    free(data);
    return rc;
}

/* Reads the folds file: `doc<TAB>fold` lines. */
static int read_folds(trainer *t, const char *path, bg_err *err)
{
    char *data;
    size_t len, lineno = 0;
    int rc = bg_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    char *save = NULL;
    for (char *line = strtok_r(data, "\n", &save); line && !rc;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *tab = strchr(line, '\t');
        if (!tab || !tab[1]) {
            rc = bg_err_set(err, BG_EDATA, "%s:%zu: not doc<TAB>fold", path,
                            lineno);
            break;
        }
        *tab = '\0';
        char *fold = tab + 1, *cr = strchr(fold, '\r');
        if (cr)
            *cr = '\0';
        gdoc *g = find_doc(t, line);
        if (!g) {
            rc = bg_err_set(err, BG_EDATA,
                            "%s:%zu: document %s is in no gold file (or "
                            "excluded)",
                            path, lineno, line);
            break;
        }
        size_t f;
        for (f = 0; f < t->nfolds && strcmp(t->folds[f], fold) != 0; f++)
            ;
        if (f == t->nfolds) {
            char **p = realloc(t->folds, (t->nfolds + 1) * sizeof *p);
            if (!p || !(p[t->nfolds] = strdup(fold))) {
                if (p)
                    t->folds = p;
                rc = bg_err_set(err, BG_ENOMEM, "train: out of memory");
                break;
            }
            t->folds = p;
            t->nfolds++;
        }
        g->fold = (int)f;
    }
    free(data);
    return rc;
}

/* ---- features -------------------------------------------------------------
 */

/* Orders features by key bytes (the model file's order). */
static int feat_cmp(const void *a, const void *b)
{
    const feat *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    return c ? c : x->len < y->len ? -1 : x->len > y->len;
}

static unsigned family_of(char c)
{
    return c == 'R' ? BG_F_RULES : c == 'S' ? BG_F_STRUCT : BG_F_TEXT;
}

/* bg_feature_fn: interns a feature and adds its id to t->tmp. */
static void collect(const char *key, size_t len, void *arg)
{
    trainer *t = arg;
    if (t->oom)
        return;
    size_t id = bg_strmap_get(&t->ids, key, len);
    if (id == BG_STRMAP_ABSENT) {
        feat *f = malloc(sizeof *f);
        if (!f || !(f->key = malloc(len + 1))) {
            free(f);
            t->oom = 1;
            return;
        }
        memcpy(f->key, key, len);
        f->key[len] = '\0';
        f->len = len;
        f->id = (uint32_t)t->nfeats;
        if (BG_RESERVE(t->feats, t->capfeats, t->nfeats + 1) ||
            bg_strmap_put(&t->ids, f->key, t->nfeats)) {
            free(f->key);
            free(f);
            t->oom = 1;
            return;
        }
        t->feats[t->nfeats++] = f;
        id = f->id;
    }
    if (BG_RESERVE(t->tmp, t->captmp, t->ntmp + 1)) {
        t->oom = 1;
        return;
    }
    t->tmp[t->ntmp++] = (uint32_t)id;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- reading the documents ---------------------------------------------- */

static int overlaps(size_t a0, size_t a1, size_t b0, size_t b1)
{
    size_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    if (hi <= lo)
        return 0;
    size_t la = a1 - a0, lb = b1 - b0;
    return 2 * (hi - lo) >= (la < lb ? la : lb);
}

/* The driver's view of one document: what bg_extract_document needs. */
typedef struct docrun {
    bg_source *src;
    bg_text t;
    bg_sentence *sv;
    size_t ns;
} docrun;

static void docrun_free(docrun *r)
{
    bg_ingest_free(r->src);
    bg_text_free(&r->t);
    free(r->sv);
    memset(r, 0, sizeof *r);
}

/* Reads document g as ingest does (docrec.h) and prepares it in x. */
static int prepare(bg_extractor *x, bg_normaliser *norm, const gdoc *g,
                   docrun *r, bg_err *err)
{
    int rc;
    memset(r, 0, sizeof *r);
    if ((rc = bg_ingest_load(g->path, &r->src, err)))
        return rc;
    if (r->src->ndocs != 1) {
        rc = bg_err_set(err, BG_EDATA, "%s: %zu documents, not one", g->path,
                        r->src->ndocs);
        goto fail;
    }
    if ((rc = bg_docrec_sentences(norm, r->src, &r->src->docs[0], &r->t, &r->sv,
                                  &r->ns, err)))
        goto fail;
    if ((rc = bg_extract_document(x, &r->t, r->sv, r->ns, err)))
        goto fail;
    return 0;
fail:
    docrun_free(r);
    return rc;
}

/* Reads every document: sentences, their gold labels, the rules' labels
 * and theme phrases, and features of every family. */
static int read_docs(trainer *t, bg_extractor *x, bg_normaliser *norm,
                     bg_err *err)
{
    bg_buf tmp = {0};
    int rc = 0;
    for (size_t d = 0; d < t->ndocs && rc == 0; d++) {
        const gdoc *g = &t->docs[d];
        docrun r;
        if ((rc = prepare(x, norm, g, &r, err)))
            break;
        const bg_docspan *ds = &r.src->docs[0];
        for (size_t i = 0; i < r.ns && rc == 0; i++) {
            const bg_sentence *s = &r.sv[i];
            bg_label l[BG_NKINDS];
            size_t nl;
            if ((rc = bg_extract_sentence(x, i, l, &nl, err)))
                break;
            if (BG_RESERVE(t->sv, t->caps, t->ns + 1))
                goto oom;
            sent *o = &t->sv[t->ns];
            memset(o, 0, sizeof *o);
            o->doc = d;
            o->start = s->start;
            o->end = s->end;
            o->y = -1;
            for (size_t u = 0; u < g->nu; u++)
                if (overlaps(s->start, s->end, g->u[u].start, g->u[u].end)) {
                    o->y = (int)g->u[u].labels;
                    break;
                }
            for (int k = 0; k < BG_NKINDS; k++)
                o->score[k] = x->ss[i].score[k];
            for (size_t c = x->ss[i].raw0; c < x->ss[i].raw0 + x->ss[i].nraw;
                 c++)
                if (x->rules[x->raw[c].rule].weight <= BG_HARD_VETO)
                    o->hard |= 1u << x->raw[c].kind;
            o->decisive = bg_extract_decided(x, i);
            for (size_t k = 0; k < nl; k++) {
                o->rules |= 1u << l[k].kind;
                if (l[k].kind != BG_KIND_THEME)
                    continue;
                tmp.len = 0;
                if ((rc =
                         bg_extract_phrase(norm, &r.t, r.src->bytes + ds->start,
                                           ds->start, &l[k], &tmp, err)))
                    break;
                if (!(o->phrase = strdup(tmp.data ? tmp.data : "")))
                    goto oom;
            }
            t->ntmp = 0;
            bg_model_features(x, i, BG_F_RULES | BG_F_STRUCT | BG_F_TEXT,
                              collect, t);
            if (t->oom)
                goto oom;
            qsort(t->tmp, t->ntmp, sizeof *t->tmp, u32_cmp);
            size_t n = 0;
            for (size_t j = 0; j < t->ntmp; j++)
                if (n == 0 || t->tmp[j] != t->tmp[n - 1])
                    t->tmp[n++] = t->tmp[j];
            if (!(o->f = malloc((n ? n : 1) * sizeof *o->f)))
                goto oom;
            memcpy(o->f, t->tmp, n * sizeof *o->f);
            o->nf = n;
            t->ns++;
        }
        docrun_free(&r);
        continue;
    oom:
        docrun_free(&r);
        rc = bg_err_set(err, BG_ENOMEM, "train: out of memory");
    }
    bg_buf_free(&tmp);
    return rc;
}

/* ---- fitting --------------------------------------------------------------
 */

/* A fitted model: per kind a weight for every feature id (0 outside its
 * vocabulary), a bias and a threshold. */
typedef struct fit {
    double *w[BG_NKINDS];
    double bias[BG_NKINDS], thr[BG_NKINDS];
    double force[BG_NKINDS]; /* rule score that labels alone */
    double C[BG_NKINDS];     /* the regularisation constant fitted with */
    unsigned char *vocab;    /* per feature id: in the vocabulary */
    int members;             /* fits averaged (committee); 0: one fit */
    size_t nvocab;
    /* inner cross-validation: at the chosen C, threshold and force; the
     * mean log-loss of the chosen C */
    double cv_p[BG_NKINDS], cv_r[BG_NKINDS], cv_f[BG_NKINDS];
    double cv_ll[BG_NKINDS];
} fit;

static void fit_free(fit *f)
{
    free(f->vocab);
    for (int k = 0; k < BG_NKINDS; k++)
        free(f->w[k]);
    memset(f, 0, sizeof *f);
}

static void quiet(const char *s)
{
    (void)s;
}

/* Whether the rules label kind k of s alone: a decisive cue or part, or a score
 * reaching force (extract_int.h). */
static int forced(const sent *s, int k, double force)
{
    return (s->decisive >> k & 1) || s->score[k] >= force;
}

/* Whether kind k of s may be labelled by the model at all: no absolute
 * veto, and a cue when the kind needs one (as bg_extract_sentence
 * decides). */
static int model_may_label(const sent *s, int k)
{
    return !(s->hard >> k & 1) &&
           !((BG_MODEL_NEEDS_CUE >> k & 1) && s->score[k] <= 0);
}

/* The probability of kind k for s under f; 0 when the model may not label
 * k there (model_may_label). */
static double fit_predict(const fit *f, const sent *s, int k)
{
    if (!model_may_label(s, k))
        return 0.0;
    double z = f->bias[k];
    for (size_t j = 0; j < s->nf; j++)
        z += f->w[k][s->f[j]];
    return 1.0 / (1.0 + exp(-z));
}

/* Whether the model's probability decides kind k of s at all: no absolute
 * veto, a cue when the kind needs one, and no decisive cue or part. */
static int consulted(const sent *s, int k)
{
    return model_may_label(s, k) && !(s->decisive >> k & 1);
}

/* Counts each feature's document frequency in the training documents
 * (use[doc] set) into t->df; returns the number of aligned sentences
 * there. */
static size_t count_df(trainer *t, const unsigned char *use)
{
    size_t l = 0;
    for (size_t f = 0; f < t->nfeats; f++) {
        t->df[f] = 0;
        t->lastdoc[f] = UINT32_MAX;
    }
    for (size_t i = 0; i < t->ns; i++) {
        const sent *s = &t->sv[i];
        if (!use[s->doc] || s->y < 0)
            continue;
        l++;
        for (size_t j = 0; j < s->nf; j++) {
            uint32_t f = s->f[j];
            if (t->lastdoc[f] != s->doc) {
                t->lastdoc[f] = (uint32_t)s->doc;
                t->df[f]++;
            }
        }
    }
    return l;
}

/* Fits the weights on the aligned sentences of the documents with
 * use[doc] set, over the features of the families given, kind k with the
 * regularisation constant C[k] and only on the sentences where its
 * probability will be read (consulted): a kind that needs a cue learns
 * among the sentences with one, so its probabilities are calibrated where
 * they decide. */
static int fit_weights(trainer *t, const unsigned char *use, unsigned families,
                       const double *C, fit *out, bg_err *err)
{
    int rc = 0;
    size_t nf = t->nfeats;
    uint32_t *map = calloc(nf ? nf : 1, sizeof *map);
    struct feature_node **xs = NULL, **xk = NULL, *pool = NULL;
    double *y = NULL;
    memset(out, 0, sizeof *out);
    for (int k = 0; k < BG_NKINDS; k++) {
        out->force[k] = FORCE_NONE;
        out->C[k] = C[k];
    }
    if (!map)
        goto oom;
    size_t l = count_df(t, use), nodes = 0;
    uint32_t nv = 0;
    for (size_t f = 0; f < nf; f++) {
        unsigned fam = t->fam[f];
        uint32_t min = fam == BG_F_TEXT ? MIN_DF_TEXT : MIN_DF;
        if ((fam & families) && t->df[f] >= min)
            map[f] = ++nv;
    }
    out->nvocab = nv;
    if (!(out->vocab = malloc(nf ? nf : 1)))
        goto oom;
    for (size_t f = 0; f < nf; f++)
        out->vocab[f] = map[f] != 0;
    for (size_t i = 0; i < t->ns; i++) {
        const sent *s = &t->sv[i];
        if (!use[s->doc] || s->y < 0)
            continue;
        for (size_t j = 0; j < s->nf; j++)
            nodes += map[s->f[j]] != 0;
        nodes += 2; /* bias, terminator */
    }
    xs = malloc((l ? l : 1) * sizeof *xs);
    xk = malloc((l ? l : 1) * sizeof *xk);
    pool = malloc((nodes ? nodes : 1) * sizeof *pool);
    y = malloc((l ? l : 1) * sizeof *y);
    for (int k = 0; k < BG_NKINDS; k++)
        if (!(out->w[k] = calloc(nf ? nf : 1, sizeof **out->w)))
            goto oom;
    if (!xs || !xk || !pool || !y)
        goto oom;
    size_t at = 0, row = 0;
    for (size_t i = 0; i < t->ns; i++) {
        const sent *s = &t->sv[i];
        if (!use[s->doc] || s->y < 0)
            continue;
        xs[row++] = pool + at;
        /* ids are in increasing order and map keeps it */
        for (size_t j = 0; j < s->nf; j++)
            if (map[s->f[j]])
                pool[at++] = (struct feature_node){(int)map[s->f[j]], 1.0};
        pool[at++] = (struct feature_node){(int)nv + 1, 1.0};
        pool[at++] = (struct feature_node){-1, 0.0};
    }
    for (int k = 0; k < BG_NKINDS; k++) {
        size_t pos = 0, lk = 0;
        row = 0;
        for (size_t i = 0; i < t->ns; i++) {
            const sent *s = &t->sv[i];
            if (!use[s->doc] || s->y < 0)
                continue;
            row++;
            if (!consulted(s, k))
                continue;
            y[lk] = (s->y >> k) & 1 ? 1.0 : -1.0;
            xk[lk] = xs[row - 1];
            pos += y[lk] > 0;
            lk++;
        }
        if (pos == 0 || pos == lk) { /* nothing to learn: a constant */
            out->bias[k] = pos ? 10.0 : -10.0;
            continue;
        }
        struct problem prob = {(int)lk, (int)nv + 1, y, xk, 1.0};
        struct parameter par = {0};
        par.solver_type = L2R_LR;
        par.eps = 0.01;
        par.C = C[k];
        const char *bad = check_parameter(&prob, &par);
        if (bad) {
            rc = bg_err_set(err, BG_EINVAL, "train: liblinear: %s", bad);
            goto done;
        }
        struct model *m = train(&prob, &par);
        if (!m)
            goto oom;
        /* liblinear's first label is the positive side of w */
        double sign = m->label[0] == 1 ? 1.0 : -1.0;
        for (size_t f = 0; f < nf; f++)
            if (map[f])
                out->w[k][f] = sign * m->w[map[f] - 1];
        out->bias[k] = sign * m->w[nv];
        free_and_destroy_model(&m);
    }
    goto done;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "train: out of memory");
done:
    if (rc)
        fit_free(out);
    free(map);
    free(xs);
    free(xk);
    free(pool);
    free(y);
    return rc;
}

typedef struct scored {
    double p;     /* the model's probability */
    double score; /* the rules' score */
    int y;
} scored;

static int scored_cmp(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    return x->p > y->p ? -1 : x->p < y->p ? 1 : y->y - x->y;
}

/* The rules' scores from which a label stands whatever the model says
 * (FORCE_NONE: never); the inner cross-validation picks one per kind. */
static const double FORCE[] = {FORCE_NONE, 1.5, 2.0, 2.5, 3.0};

/* How far below the highest F* another force's F* may be and still be
 * chosen for letting more of the rules' labels stand (best_decision). */
#define FORCE_TOL 0.005

/* Chooses the forcing rule score (with_rules: the model sees the rules;
 * else none) and the threshold on p for the predictions v (sorted here): an
 * item is predicted when p >= threshold or its rule score >= force. Each
 * force's best cut reaches an F1; the force chosen is the lowest whose F1
 * is within FORCE_TOL of the highest (a tie or near tie between forces
 * over a few hundred inner-validated items is noise, and the lowest lets
 * the most rule labels stand, which carry over from one genre to another
 * better than the learned layer: README, Extraction quality), and F* is
 * its F1; the threshold
 * is then F* / 2, not the best cut itself: for calibrated probabilities the
 * threshold that maximises expected F1 is half the F1 reached (Lipton,
 * Elkan and Naryanaswamy, "Optimal thresholding of classifiers to maximize
 * F1 measure", ECML PKDD 2014, sec. 4: adding an item of probability p
 * raises F1 exactly when p > F1 / 2), and F* moves little where the best
 * cut of a flat F1 curve jumps. Sets *thr, *force and the P, R, F1
 * reached at them. */
static void best_decision(scored *v, size_t n, int with_rules, double *thr,
                          double *force, double *P, double *R, double *F)
{
    double fc[sizeof FORCE / sizeof *FORCE], best = -1;
    size_t nc = with_rules ? sizeof FORCE / sizeof *FORCE : 1;
    qsort(v, n, sizeof *v, scored_cmp);
    *thr = 0.5;
    *force = FORCE_NONE;
    *P = *R = *F = 0;
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += (size_t)v[i].y;
    if (n == 0 || pos == 0)
        return;
    for (size_t c = 0; c < nc; c++) {
        fc[c] = -1;
        /* forced items count whatever the cut */
        size_t ftp = 0, fn = 0, tp = 0, np = 0;
        for (size_t i = 0; i < n; i++)
            if (v[i].score >= FORCE[c]) {
                fn++;
                ftp += (size_t)v[i].y;
            }
        for (size_t i = 0; i < n; i++) {
            if (v[i].score < FORCE[c]) {
                tp += (size_t)v[i].y;
                np++;
            }
            /* a cut only between distinct probabilities */
            if (i + 1 < n && v[i + 1].p == v[i].p)
                continue;
            double p = (double)(tp + ftp) / (double)(np + fn);
            double r = (double)(tp + ftp) / (double)pos;
            double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
            if (f > fc[c])
                fc[c] = f;
        }
        if (fc[c] > best)
            best = fc[c];
    }
    /* the lowest force near the best (FORCE[0], none, is the highest: it
     * is chosen only when no other force comes near it) */
    size_t pick = 0;
    for (size_t c = 1; c < nc; c++)
        if (fc[c] >= best - FORCE_TOL) {
            pick = c;
            break;
        }
    *force = FORCE[pick];
    *thr = fc[pick] / 2;
    size_t tp = 0, np = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].p >= *thr || v[i].score >= *force) {
            np++;
            tp += (size_t)v[i].y;
        }
    *P = np ? (double)tp / (double)np : 0;
    *R = (double)tp / (double)pos;
    *F = *P + *R > 0 ? 2 * *P * *R / (*P + *R) : 0;
}

/* The committee of fit_model: the documents of use[] dealt into
 * INNER_FOLDS folds (infold[doc]), a fit on each fold's complement with
 * the regularisation constants C (per kind), and as the model the mean of
 * their weights and biases (the logit of every sentence the mean of the
 * members' logits). Its vocabulary is every feature a member kept. The
 * mean of fits on overlapping subsets moves less than one fit when the
 * gold or the rules change a little (bagging: Breiman, "Bagging
 * predictors", Machine Learning 24, 1996; here the subsets are the inner
 * cross-validation's, so the same gold gives the same model): refitted
 * on 1,028 unseen documents after a rule change, 30 commitment labels
 * changed instead of 46 (tests/model_flips.py, README). */
static int committee(trainer *t, const unsigned char *use, const int *infold,
                     unsigned families, const double *C, fit *out, bg_err *err)
{
    size_t nf = t->nfeats ? t->nfeats : 1;
    unsigned char *inner = malloc(t->ndocs ? t->ndocs : 1);
    int rc = 0;
    memset(out, 0, sizeof *out);
    for (int k = 0; k < BG_NKINDS; k++) {
        out->force[k] = FORCE_NONE;
        out->C[k] = C[k];
        if (!(out->w[k] = calloc(nf, sizeof **out->w)))
            goto oom;
    }
    if (!inner || !(out->vocab = calloc(nf, 1)))
        goto oom;
    out->members = INNER_FOLDS;
    for (int f = 0; f < INNER_FOLDS; f++) {
        fit in;
        for (size_t d = 0; d < t->ndocs; d++)
            inner[d] = use[d] && infold[d] != f;
        if ((rc = fit_weights(t, inner, families, C, &in, err)))
            goto done;
        for (int k = 0; k < BG_NKINDS; k++) {
            for (size_t j = 0; j < t->nfeats; j++)
                out->w[k][j] += in.w[k][j];
            out->bias[k] += in.bias[k];
        }
        for (size_t j = 0; j < t->nfeats; j++)
            out->vocab[j] |= in.vocab[j];
        fit_free(&in);
    }
    for (int k = 0; k < BG_NKINDS; k++) {
        for (size_t j = 0; j < t->nfeats; j++)
            out->w[k][j] /= INNER_FOLDS;
        out->bias[k] /= INNER_FOLDS;
    }
    for (size_t j = 0; j < t->nfeats; j++)
        out->nvocab += out->vocab[j];
    goto done;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "train: out of memory");
done:
    if (rc)
        fit_free(out);
    free(inner);
    return rc;
}

/* Fits on use[] with, per kind, the C of C_GRID and the threshold and
 * force chosen by an inner cross-validation over the same documents only
 * (INNER_FOLDS folds, documents dealt in name order): every C is fitted
 * on each fold's complement, and each kind takes the smallest (most
 * regularised) C whose out-of-fold probabilities have a mean log-loss
 * over the sentences where the model decides within C_TOL of the least (a
 * proper scoring rule: it rewards calibrated probabilities, which the
 * F1 / 2 threshold assumes). The model is the committee of the fits on
 * the folds' complements at those C (committee: the mean of their
 * weights), and the threshold and force are chosen on that C's
 * out-of-fold probabilities (best_decision). Class weights are left at 1:
 * weighting the positives only shifts the probabilities the threshold
 * already places. With fewer than two documents there is no inner
 * cross-validation: one fit on them with C 1. */
static int fit_model(trainer *t, const unsigned char *use, unsigned families,
                     fit *out, bg_err *err)
{
    int rc = 0;
    size_t nuse = 0, ns = t->ns ? t->ns : 1;
    for (size_t d = 0; d < t->ndocs; d++)
        nuse += use[d];
    unsigned char *inner = malloc(t->ndocs ? t->ndocs : 1);
    int *infold = malloc((t->ndocs ? t->ndocs : 1) * sizeof *infold);
    double *oof = malloc(N_C * BG_NKINDS * ns * sizeof *oof);
    scored *v = malloc(ns * sizeof *v);
    double best_c[BG_NKINDS];
    if (!inner || !infold || !oof || !v) {
        rc = bg_err_set(err, BG_ENOMEM, "train: out of memory");
        goto done;
    }
    /* documents dealt into the inner folds in name order */
    for (size_t d = 0, j = 0; d < t->ndocs; d++)
        infold[d] = use[d] ? (int)(j++ % INNER_FOLDS) : -1;
    int cv = nuse >= 2;
    for (int f = 0; f < INNER_FOLDS && cv; f++) {
        for (size_t d = 0; d < t->ndocs; d++)
            inner[d] = use[d] && infold[d] != f;
        for (size_t c = 0; c < N_C; c++) {
            double cs[BG_NKINDS];
            fit in;
            for (int k = 0; k < BG_NKINDS; k++)
                cs[k] = C_GRID[c];
            if ((rc = fit_weights(t, inner, families, cs, &in, err)))
                goto done;
            for (size_t i = 0; i < t->ns; i++) {
                const sent *s = &t->sv[i];
                if (infold[s->doc] != f || s->y < 0)
                    continue;
                for (int k = 0; k < BG_NKINDS; k++)
                    oof[(c * BG_NKINDS + (size_t)k) * ns + i] =
                        fit_predict(&in, s, k);
            }
            fit_free(&in);
        }
    }
    size_t ci[BG_NKINDS];
    double ll[BG_NKINDS];
    for (int k = 0; k < BG_NKINDS; k++) {
        double llc[N_C];
        for (size_t c = 0; c < N_C; c++)
            llc[c] = HUGE_VAL;
        ci[k] = N_C; /* none yet */
        ll[k] = 0;
        for (size_t c = 0; c < N_C && cv; c++) {
            double sum = 0;
            size_t m = 0;
            for (size_t i = 0; i < t->ns; i++) {
                const sent *s = &t->sv[i];
                if (!use[s->doc] || s->y < 0 || !consulted(s, k))
                    continue;
                double p = oof[(c * BG_NKINDS + (size_t)k) * ns + i];
                p = p < 1e-12 ? 1e-12 : p > 1 - 1e-12 ? 1 - 1e-12 : p;
                sum -= (s->y >> k & 1) ? log(p) : log(1 - p);
                m++;
            }
            llc[c] = m ? sum / (double)m : HUGE_VAL;
            if (m && (ci[k] == N_C || llc[c] < ll[k])) {
                ci[k] = c;
                ll[k] = llc[c];
            }
        }
        /* the most regularised C within C_TOL of the least log-loss */
        for (size_t c = 0; c < ci[k] && ci[k] < N_C; c++)
            if (llc[c] <= ll[k] + C_TOL) {
                ci[k] = c;
                ll[k] = llc[c];
                break;
            }
        best_c[k] = ci[k] < N_C ? C_GRID[ci[k]] : 1.0; /* liblinear's default */
    }
    if ((rc = cv ? committee(t, use, infold, families, best_c, out, err)
                 : fit_weights(t, use, families, best_c, out, err)))
        goto done;
    for (int k = 0; k < BG_NKINDS; k++) {
        size_t n = 0;
        out->cv_ll[k] = ll[k];
        for (size_t i = 0; i < t->ns && cv && ci[k] < N_C; i++) {
            const sent *s = &t->sv[i];
            if (!use[s->doc] || s->y < 0)
                continue;
            v[n++] = (scored){oof[(ci[k] * BG_NKINDS + (size_t)k) * ns + i],
                              (s->decisive >> k & 1) ? FORCE_NONE : s->score[k],
                              (s->y >> k) & 1};
        }
        best_decision(v, n, (families & BG_F_RULES) != 0, &out->thr[k],
                      &out->force[k], &out->cv_p[k], &out->cv_r[k],
                      &out->cv_f[k]);
    }
done:
    free(inner);
    free(infold);
    free(oof);
    free(v);
    return rc;
}

/* ---- output ---------------------------------------------------------------
 */

static const char *const VARIANT[] = {"rules", "model", "both"};
static const unsigned VARIANT_FAMILIES[] = {
    0, BG_F_STRUCT | BG_F_TEXT, BG_F_RULES | BG_F_STRUCT | BG_F_TEXT};

static void print_item(FILE *f, const char *variant, const gdoc *g,
                       const sent *s, int k, double p)
{
    cJSON *o = cJSON_CreateObject();
    char *txt;
    char file[1024];
    snprintf(file, sizeof file, "%s.txt", g->name);
    cJSON_AddStringToObject(o, "variant", variant);
    cJSON_AddStringToObject(o, "file", file);
    cJSON_AddStringToObject(o, "kind", bg_kind_name((bg_kind)k));
    cJSON_AddNumberToObject(o, "start", (double)s->start);
    cJSON_AddNumberToObject(o, "end", (double)s->end);
    if (k == BG_KIND_THEME && s->phrase)
        cJSON_AddStringToObject(o, "phrase", s->phrase);
    if (p >= 0) {
        char num[32];
        snprintf(num, sizeof num, "%.6f", p);
        cJSON_AddRawToObject(o, "p", num);
    }
    if ((txt = cJSON_PrintUnformatted(o))) {
        fprintf(f, "%s\n", txt);
        free(txt);
    }
    cJSON_Delete(o);
}

/* One line {"variant", "fit": FOLD, "C": [...], "threshold": [...],
 * "force": [...] (null: none)} per kind, for the model fitted for a fold. */
static void print_fit(FILE *f, const char *variant, const char *fold,
                      const fit *m)
{
    cJSON *o = cJSON_CreateObject(), *c, *th, *fo;
    char *txt;
    cJSON_AddStringToObject(o, "variant", variant);
    cJSON_AddStringToObject(o, "fit", fold);
    cJSON_AddItemToObject(o, "C", c = cJSON_CreateArray());
    cJSON_AddItemToObject(o, "threshold", th = cJSON_CreateArray());
    cJSON_AddItemToObject(o, "force", fo = cJSON_CreateArray());
    for (int k = 0; k < BG_NKINDS; k++) {
        char num[32];
        snprintf(num, sizeof num, "%.6f", m->thr[k]);
        cJSON_AddItemToArray(c, cJSON_CreateNumber(m->C[k]));
        cJSON_AddItemToArray(th, cJSON_CreateRaw(num));
        cJSON_AddItemToArray(fo, m->force[k] < FORCE_NONE
                                     ? cJSON_CreateNumber(m->force[k])
                                     : cJSON_CreateNull());
    }
    if ((txt = cJSON_PrintUnformatted(o))) {
        fprintf(f, "%s\n", txt);
        free(txt);
    }
    cJSON_Delete(o);
}

static int cross_validate(trainer *t, const char *out_path, bg_err *err)
{
    FILE *out = fopen(out_path, "w");
    unsigned char *use = malloc(t->ndocs ? t->ndocs : 1);
    int rc = 0;
    if (!out || !use) {
        free(use);
        if (out)
            fclose(out);
        return out ? bg_err_set(err, BG_ENOMEM, "train: out of memory")
                   : bg_err_set(err, BG_EIO, "%s: cannot write", out_path);
    }
    for (size_t i = 0; i < t->ns; i++)
        if (t->docs[t->sv[i].doc].fold >= 0)
            for (int k = 0; k < BG_NKINDS; k++)
                if ((t->sv[i].rules >> k) & 1)
                    print_item(out, VARIANT[0], &t->docs[t->sv[i].doc],
                               &t->sv[i], k, t->sv[i].score[k]);
    for (size_t f = 0; f < t->nfolds && rc == 0; f++) {
        for (size_t d = 0; d < t->ndocs; d++)
            use[d] = t->docs[d].fold != (int)f;
        for (int v = 1; v < 3 && rc == 0; v++) {
            fit m;
            if ((rc = fit_model(t, use, VARIANT_FAMILIES[v], &m, err)))
                break;
            print_fit(out, VARIANT[v], t->folds[f], &m);
            for (size_t i = 0; i < t->ns; i++) {
                const sent *s = &t->sv[i];
                if (t->docs[s->doc].fold != (int)f)
                    continue;
                for (int k = 0; k < BG_NKINDS; k++) {
                    double p = fit_predict(&m, s, k);
                    if (p >= m.thr[k] || forced(s, k, m.force[k]))
                        print_item(out, VARIANT[v], &t->docs[s->doc], s, k, p);
                }
            }
            fit_free(&m);
        }
    }
    if (fclose(out) && rc == 0)
        rc = bg_err_set(err, BG_EIO, "%s: write failed", out_path);
    free(use);
    return rc;
}

static int key_cmp(const void *a, const void *b)
{
    return feat_cmp(*(feat *const *)a, *(feat *const *)b);
}

static const char *families_name(unsigned f)
{
    static const char *const names[] = {
        "",     "rules",      "struct",      "rules,struct",
        "text", "rules,text", "struct,text", "rules,struct,text"};
    return names[f & 7];
}

static int write_model(trainer *t, const fit *m, unsigned families,
                       uint64_t rules_hash, const char *path, bg_err *err)
{
    FILE *f = fopen(path, "w");
    feat **keys = NULL;
    size_t nk = 0;
    if (!f)
        return bg_err_set(err, BG_EIO, "%s: cannot write", path);
    if (!(keys = malloc((t->nfeats ? t->nfeats : 1) * sizeof *keys))) {
        fclose(f);
        return bg_err_set(err, BG_ENOMEM, "train: out of memory");
    }
    /* every feature of the vocabulary (a weight of 0 is kept too) */
    for (size_t i = 0; i < t->nfeats; i++)
        if (m->vocab[i])
            keys[nk++] = t->feats[i];
    qsort(keys, nk, sizeof *keys, key_cmp);
    fprintf(f,
            "baogao-extract-model 1\n"
            "# per-kind logistic regression (liblinear %d, L2R_LR, C %g %g "
            "%g; the mean of %d fits) written by baogao train; figures in "
            "model.json\n"
            "rules %016llx\nfamilies %s\n"
            "bias %.9g %.9g %.9g\nthreshold %.9g %.9g %.9g\n"
            "force %.9g %.9g %.9g\nfeatures %zu\n",
            liblinear_version, m->C[0], m->C[1], m->C[2],
            m->members ? m->members : 1, (unsigned long long)rules_hash,
            families_name(families), m->bias[0], m->bias[1], m->bias[2],
            m->thr[0], m->thr[1], m->thr[2], m->force[0], m->force[1],
            m->force[2], nk);
    for (size_t i = 0; i < nk; i++) {
        uint32_t id = keys[i]->id;
        fprintf(f, "%s\t%.9g\t%.9g\t%.9g\n", keys[i]->key, m->w[0][id],
                m->w[1][id], m->w[2][id]);
    }
    free(keys);
    if (fclose(f))
        return bg_err_set(err, BG_EIO, "%s: write failed", path);
    return 0;
}

static cJSON *prf(double p, double r, double f)
{
    cJSON *o = cJSON_CreateObject();
    char num[32];
    snprintf(num, sizeof num, "%.4f", p);
    cJSON_AddRawToObject(o, "P", num);
    snprintf(num, sizeof num, "%.4f", r);
    cJSON_AddRawToObject(o, "R", num);
    snprintf(num, sizeof num, "%.4f", f);
    cJSON_AddRawToObject(o, "F1", num);
    return o;
}

/* Adds v with `decimals` digits after the point (-1: %g). */
static void add_num(cJSON *o, const char *name, double v, int decimals)
{
    char num[64];
    if (decimals < 0)
        snprintf(num, sizeof num, "%g", v);
    else
        snprintf(num, sizeof num, "%.*f", decimals, v);
    cJSON_AddRawToObject(o, name, num);
}

/* The probabilities of the first CHECK_DOCS documents' sentences under the
 * written model, loaded back from its file through ingest's code. */
static int check_scores(trainer *t, bg_extractor *x, bg_normaliser *norm,
                        const char *model_path, cJSON *arr, bg_err *err)
{
    bg_model *m;
    int rc = bg_model_load(model_path, x->rules_hash, &m, err);
    if (rc)
        return rc == BG_ENOTFOUND
                   ? bg_err_set(err, BG_EIO, "%s: not written", model_path)
                   : rc;
    x->model = m;
    for (size_t d = 0; d < t->ndocs && d < CHECK_DOCS && rc == 0; d++) {
        docrun r;
        if ((rc = prepare(x, norm, &t->docs[d], &r, err)))
            break;
        uint32_t *mark = calloc(bg_model_size(m) + 1, sizeof *mark);
        if (!mark) {
            docrun_free(&r);
            rc = bg_err_set(err, BG_ENOMEM, "train: out of memory");
            break;
        }
        for (size_t i = 0; i < r.ns; i++) {
            double p[BG_NKINDS];
            bg_model_score(m, x, i, mark, (uint32_t)i + 1, p);
            cJSON *o = cJSON_CreateObject();
            cJSON *pa = cJSON_CreateArray();
            cJSON_AddStringToObject(o, "doc", t->docs[d].name);
            cJSON_AddNumberToObject(o, "start", (double)r.sv[i].start);
            cJSON_AddNumberToObject(o, "end", (double)r.sv[i].end);
            for (int k = 0; k < BG_NKINDS; k++) {
                char num[32];
                snprintf(num, sizeof num, "%.6f", p[k]);
                cJSON_AddItemToArray(pa, cJSON_CreateRaw(num));
            }
            cJSON_AddItemToObject(o, "p", pa);
            cJSON_AddItemToArray(arr, o);
        }
        free(mark);
        docrun_free(&r);
    }
    x->model = NULL;
    bg_model_release(m);
    return rc;
}

static int ship(trainer *t, bg_extractor *x, bg_normaliser *norm,
                const char *dir, unsigned families, const char *exclude,
                bg_train_report *rep, bg_err *err)
{
    unsigned char *use = malloc(t->ndocs ? t->ndocs : 1);
    bg_buf mp = {0}, jp = {0};
    fit m = {0};
    int rc;
    if (!use || bg_buf_printf(&mp, "%s/model.txt", dir) ||
        bg_buf_printf(&jp, "%s/model.json", dir)) {
        rc = bg_err_set(err, BG_ENOMEM, "train: out of memory");
        goto done;
    }
    memset(use, 1, t->ndocs);
    if ((rc = fit_model(t, use, families, &m, err)) ||
        (rc = write_model(t, &m, families, x->rules_hash, mp.data, err)))
        goto done;
    /* training figures */
    cJSON *o = cJSON_CreateObject(), *a;
    cJSON_AddStringToObject(o, "model", "model.txt");
    char hex[32];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)x->rules_hash);
    cJSON_AddStringToObject(o, "rules", hex);
    cJSON_AddStringToObject(o, "families", families_name(families));
    cJSON_AddStringToObject(o, "learner",
                            "liblinear L2R_LR (L2-regularised logistic "
                            "regression, trust-region Newton), bias 1");
    cJSON_AddItemToObject(o, "C", a = cJSON_CreateObject());
    for (int k = 0; k < BG_NKINDS; k++)
        add_num(a, bg_kind_name((bg_kind)k), m.C[k], -1);
    cJSON_AddItemToObject(o, "C_grid", a = cJSON_CreateArray());
    for (size_t c = 0; c < N_C; c++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(C_GRID[c]));
    add_num(o, "min_df", MIN_DF, -1);
    add_num(o, "C_tol", C_TOL, -1);
    add_num(o, "committee", m.members ? m.members : 1, -1);
    add_num(o, "min_df_text", MIN_DF_TEXT, -1);
    add_num(o, "documents", (double)t->ndocs, -1);
    cJSON_AddStringToObject(o, "excluded", exclude ? exclude : "");
    size_t aligned = 0, pos[BG_NKINDS] = {0};
    for (size_t i = 0; i < t->ns; i++)
        if (t->sv[i].y >= 0) {
            aligned++;
            for (int k = 0; k < BG_NKINDS; k++)
                pos[k] += (t->sv[i].y >> k) & 1;
        }
    add_num(o, "sentences", (double)aligned, -1);
    add_num(o, "features", (double)m.nvocab, -1);
    cJSON_AddItemToObject(o, "positives", a = cJSON_CreateObject());
    for (int k = 0; k < BG_NKINDS; k++)
        add_num(a, bg_kind_name((bg_kind)k), (double)pos[k], -1);
    cJSON_AddItemToObject(o, "threshold", a = cJSON_CreateObject());
    for (int k = 0; k < BG_NKINDS; k++)
        add_num(a, bg_kind_name((bg_kind)k), m.thr[k], 6);
    cJSON_AddItemToObject(o, "force", a = cJSON_CreateObject());
    for (int k = 0; k < BG_NKINDS; k++)
        if (m.force[k] < FORCE_NONE)
            add_num(a, bg_kind_name((bg_kind)k), m.force[k], 1);
        else
            cJSON_AddNullToObject(a, bg_kind_name((bg_kind)k));
    cJSON_AddItemToObject(o, "inner_cv", a = cJSON_CreateObject());
    add_num(a, "folds", INNER_FOLDS, -1);
    for (int k = 0; k < BG_NKINDS; k++) {
        cJSON *q = prf(m.cv_p[k], m.cv_r[k], m.cv_f[k]);
        add_num(q, "log_loss", m.cv_ll[k], 4);
        cJSON_AddItemToObject(a, bg_kind_name((bg_kind)k), q);
    }
    /* on the training sentences themselves */
    cJSON_AddItemToObject(o, "training", a = cJSON_CreateObject());
    for (int k = 0; k < BG_NKINDS; k++) {
        size_t tp = 0, np = 0, ng = 0;
        for (size_t i = 0; i < t->ns; i++) {
            const sent *s = &t->sv[i];
            if (s->y < 0)
                continue;
            int yes =
                fit_predict(&m, s, k) >= m.thr[k] || forced(s, k, m.force[k]);
            int g = (s->y >> k) & 1;
            tp += (size_t)(yes && g);
            np += (size_t)yes;
            ng += (size_t)g;
        }
        double P = np ? (double)tp / (double)np : 0,
               R = ng ? (double)tp / (double)ng : 0;
        cJSON_AddItemToObject(a, bg_kind_name((bg_kind)k),
                              prf(P, R, P + R > 0 ? 2 * P * R / (P + R) : 0));
    }
    cJSON_AddItemToObject(o, "check", a = cJSON_CreateArray());
    rc = check_scores(t, x, norm, mp.data, a, err);
    char *txt = rc ? NULL : cJSON_Print(o);
    cJSON_Delete(o);
    if (rc)
        goto done;
    FILE *f = fopen(jp.data, "w");
    if (!txt || !f || fprintf(f, "%s\n", txt) < 0 || fclose(f)) {
        rc = bg_err_set(err, BG_EIO, "%s: cannot write", jp.data);
        if (f)
            fclose(f);
    }
    free(txt);
    if (rc == 0) {
        rep->features = m.nvocab;
        for (int k = 0; k < BG_NKINDS; k++)
            rep->threshold[k] = m.thr[k];
        snprintf(rep->model_path, sizeof rep->model_path, "%s", mp.data);
        snprintf(rep->figures_path, sizeof rep->figures_path, "%s", jp.data);
    }
done:
    fit_free(&m);
    free(use);
    bg_buf_free(&mp);
    bg_buf_free(&jp);
    return rc;
}

int bg_extract_train(const bg_train_opts *o, bg_train_report *rep, bg_err *err)
{
    trainer t = {0};
    bg_extractor *x = NULL;
    bg_normaliser *norm = NULL;
    bg_buf rdir = {0};
    int rc = 0;
    unsigned families =
        o->families ? o->families : BG_F_RULES | BG_F_STRUCT | BG_F_TEXT;
    memset(rep, 0, sizeof *rep);
    if (!!o->folds != !!o->predictions)
        return bg_err_set(err, BG_EINVAL,
                          "train: folds and predictions go together");
    for (size_t i = 0; i < o->ngold && rc == 0; i++)
        rc = read_gold(&t, o->gold[i], o->exclude, err);
    if (rc == 0 && t.ndocs == 0)
        rc = bg_err_set(err, BG_EDATA, "train: no documents to train on");
    if (rc)
        goto done;
    qsort(t.docs, t.ndocs, sizeof *t.docs, doc_cmp);
    if (o->folds && (rc = read_folds(&t, o->folds, err)))
        goto done;
    if (!o->rules_dir && bg_buf_printf(&rdir, "%s/rules", bg_dict_dir())) {
        rc = bg_err_set(err, BG_ENOMEM, "train: out of memory");
        goto done;
    }
    const char *rules = o->rules_dir ? o->rules_dir : rdir.data;
    /* the rules alone make the features: a model beside them (perhaps
     * trained on other rule files) is not wanted here */
    if ((rc = bg_extract_open_rules(&x, rules, err)) ||
        (rc = bg_normalise_open(&norm, err)))
        goto done;
    set_print_string_function(quiet);
    if ((rc = read_docs(&t, x, norm, err)))
        goto done;
    size_t nf = t.nfeats ? t.nfeats : 1;
    if (!(t.fam = malloc(nf)) || !(t.df = malloc(nf * sizeof *t.df)) ||
        !(t.lastdoc = malloc(nf * sizeof *t.lastdoc))) {
        rc = bg_err_set(err, BG_ENOMEM, "train: out of memory");
        goto done;
    }
    for (size_t f = 0; f < t.nfeats; f++)
        t.fam[f] = (unsigned char)family_of(t.feats[f]->key[0]);
    rep->docs = t.ndocs;
    for (size_t i = 0; i < t.ns; i++)
        rep->sentences += t.sv[i].y >= 0;
    rep->folds = t.nfolds;
    if (o->folds)
        rc = cross_validate(&t, o->predictions, err);
    else
        rc = ship(&t, x, norm, o->out_dir ? o->out_dir : rules, families,
                  o->exclude, rep, err);
done:
    for (size_t i = 0; i < t.ndocs; i++) {
        free(t.docs[i].name);
        free(t.docs[i].path);
        free(t.docs[i].u);
    }
    free(t.docs);
    for (size_t i = 0; i < t.nfolds; i++)
        free(t.folds[i]);
    free(t.folds);
    for (size_t i = 0; i < t.ns; i++) {
        free(t.sv[i].f);
        free(t.sv[i].phrase);
    }
    free(t.sv);
    bg_strmap_free(&t.ids);
    for (size_t i = 0; i < t.nfeats; i++) {
        free(t.feats[i]->key);
        free(t.feats[i]);
    }
    free(t.feats);
    free(t.tmp);
    free(t.fam);
    free(t.df);
    free(t.lastdoc);
    bg_extract_close(x);
    bg_normalise_close(norm);
    bg_buf_free(&rdir);
    return rc;
}

/* ---- checking a written model ------------------------------------------ */

int bg_extract_model_check(const char *rules_dir, const char *const *doc_dirs,
                           size_t ndirs, size_t *checked, double *maxdiff,
                           bg_err *err)
{
    bg_extractor *x = NULL;
    bg_normaliser *norm = NULL;
    bg_buf path = {0};
    char *json = NULL;
    size_t len;
    cJSON *o = NULL;
    int rc;
    *checked = 0;
    *maxdiff = 0;
    if (bg_buf_printf(&path, "%s/model.json", rules_dir))
        return bg_err_set(err, BG_ENOMEM, "check: out of memory");
    if ((rc = bg_read_file(path.data, &json, &len, err)))
        goto done;
    o = cJSON_Parse(json);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "check");
    if (!cJSON_IsArray(arr)) {
        rc = bg_err_set(err, BG_EDATA, "%s: no \"check\" list", path.data);
        goto done;
    }
    if ((rc = bg_extract_open(&x, rules_dir, err)) ||
        (rc = bg_normalise_open(&norm, err)))
        goto done;
    if (!x->model) {
        rc = bg_err_set(err, BG_EDATA, "%s: no model.txt", rules_dir);
        goto done;
    }
    const char *cur = NULL;
    docrun r = {0};
    uint32_t stamp = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(it, "doc");
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(it, "start");
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, "p");
        if (!cJSON_IsString(d) || !cJSON_IsNumber(st) ||
            cJSON_GetArraySize(p) != BG_NKINDS) {
            rc = bg_err_set(err, BG_EDATA, "%s: a check entry is malformed",
                            path.data);
            break;
        }
        if (!cur || strcmp(cur, d->valuestring) != 0) {
            docrun_free(&r);
            gdoc g = {0};
            bg_buf dp = {0};
            for (size_t i = 0; i < ndirs && !g.path; i++) {
                dp.len = 0;
                if (bg_buf_printf(&dp, "%s/%s.txt", doc_dirs[i],
                                  d->valuestring)) {
                    rc = bg_err_set(err, BG_ENOMEM, "check: out of memory");
                    break;
                }
                FILE *f = fopen(dp.data, "rb");
                if (f) {
                    fclose(f);
                    g.path = dp.data;
                }
            }
            if (rc == 0 && !g.path)
                rc = bg_err_set(err, BG_ENOTFOUND,
                                "check: document %s in none of the %zu "
                                "directories",
                                d->valuestring, ndirs);
            if (rc == 0)
                rc = prepare(x, norm, &g, &r, err);
            bg_buf_free(&dp);
            if (rc)
                break;
            cur = d->valuestring;
        }
        size_t i;
        for (i = 0; i < r.ns && r.sv[i].start != (size_t)st->valuedouble; i++)
            ;
        if (i == r.ns) {
            rc = bg_err_set(err, BG_EDATA,
                            "check: %s has no sentence at byte %zu now", cur,
                            (size_t)st->valuedouble);
            break;
        }
        double q[BG_NKINDS];
        bg_model_score(x->model, x, i, x->model_mark, ++stamp, q);
        for (int k = 0; k < BG_NKINDS; k++) {
            double dv = fabs(q[k] - cJSON_GetArrayItem(p, k)->valuedouble);
            if (dv > *maxdiff)
                *maxdiff = dv;
        }
        ++*checked;
    }
    docrun_free(&r);
done:
    cJSON_Delete(o);
    free(json);
    bg_buf_free(&path);
    bg_extract_close(x);
    bg_normalise_close(norm);
    return rc;
}
