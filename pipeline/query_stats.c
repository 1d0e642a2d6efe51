/*
 * query_stats.c - corpus statistics on the read side: word lists by facet,
 * keyness, concordances, collocates, n-grams, trends, co-occurrence and
 * keyword variants (query.h, "corpus statistics"). The formulas live in
 * keywords.c; this file only counts.
 *
 * Counting: per-document term counts are read from doc_term (stored at
 * ingest) into dense arrays indexed by term id, so a word list or a keyness
 * table is one pass over the doc_term rows of the documents concerned;
 * windows and n-grams read sentence.terms; sentences holding a word are
 * found through sentence_fts, never by scanning text.
 *
 * Threading: as query.h. Offsets: byte offsets.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OOM(err) bg_err_set(err, BG_ENOMEM, "query: out of memory")

/* The largest term or document id the statistics accept: they index
 * arrays by id (SQLite's rowids are dense unless a database was crafted;
 * 2^28 is 268 million, far above any corpus baogao reads). */
#define BG_QUERY_MAX_ID ((int64_t)1 << 28)

/* ---- result tables (as query.c) ----------------------------------------- */

static int put_textn(bg_cell *c, const char *s, size_t n)
{
    if (!(c->s = strndup(s, n)))
        return BG_ENOMEM;
    c->null = 0;
    return 0;
}

static int sql_err(bg_query *q, bg_err *err, const char *what)
{
    return bg_query_err(q, err, what);
}

static int prep(bg_query *q, const char *sql, sqlite3_stmt **st, bg_err *err)
{
    /* statistics read most of doc_term or sentence: map the file instead
     * of copying every page through read() (a no-op where mmap is off) */
    static const char tune[] = "PRAGMA mmap_size = 4294967296; PRAGMA "
                               "cache_size = -65536";
    (void)sqlite3_exec(q->db, tune, NULL, NULL, NULL);
    if (sqlite3_prepare_v2(q->db, sql, -1, st, NULL) != SQLITE_OK)
        return sql_err(q, err, "prepare");
    return 0;
}

/* ---- vocabulary and exclusions ------------------------------------------ */

/* The term table by id, plus terms met only in a reference list. */
typedef struct vocab {
    char **term;         /* by id; NULL for unused ids */
    unsigned char *num;  /* number terms */
    unsigned char *excl; /* excluded by the options (set_exclusions) */
    size_t n, cap;       /* ids are < n */
    bg_strmap map;       /* term -> id */
} vocab;

static void vocab_free(vocab *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->term[i]);
    free(v->term);
    free(v->num);
    free(v->excl);
    bg_strmap_free(&v->map);
    memset(v, 0, sizeof *v);
}

/* Numbers and dates: terms holding an ASCII digit (index.c's kind
 * 'number' is digits with . , % only; segmenters also give 2012年, 3月,
 * 5%左右). Word lists leave them out unless asked for. */
static int is_number(const char *t)
{
    for (; *t; t++)
        if (*t >= '0' && *t <= '9')
            return 1;
    return 0;
}

static int vocab_set(vocab *v, size_t id, const char *t)
{
    if (id >= v->cap) {
        size_t cap = v->cap ? v->cap : 1024;
        while (cap <= id)
            cap *= 2;
        char **p = realloc(v->term, cap * sizeof *p);
        if (!p)
            return BG_ENOMEM;
        v->term = p;
        unsigned char *u = realloc(v->num, cap);
        if (!u)
            return BG_ENOMEM;
        v->num = u;
        for (size_t i = v->cap; i < cap; i++) {
            v->term[i] = NULL;
            v->num[i] = 0;
        }
        v->cap = cap;
    }
    if (!(v->term[id] = strdup(t)))
        return BG_ENOMEM;
    v->num[id] = (unsigned char)is_number(t);
    if (id >= v->n)
        v->n = id + 1;
    return bg_strmap_put(&v->map, v->term[id], id);
}

static int vocab_load(bg_query *q, vocab *v, bg_err *err)
{
    sqlite3_stmt *st;
    int rc = prep(q, "SELECT id, term FROM term", &st, err), s;
    memset(v, 0, sizeof *v);
    if (rc)
        return rc;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *t = (const char *)sqlite3_column_text(st, 1);
        if (!t)
            continue;
        /* ids index arrays: a crafted or damaged database must not make
         * one wrap an allocation size (baogao's term ids are dense) */
        if (id < 0 || id > BG_QUERY_MAX_ID) {
            rc = bg_err_set(err, BG_EDATA,
                            "%s: term id %lld out of range (0 to %lld): a "
                            "damaged database, or one baogao did not write",
                            q->path, (long long)id, (long long)BG_QUERY_MAX_ID);
            break;
        }
        if (vocab_set(v, (size_t)id, t)) {
            rc = OOM(err);
            break;
        }
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = sql_err(q, err, "term");
    sqlite3_finalize(st);
    return rc;
}

/* Id of t, added when absent (reference-list words). */
static int vocab_intern(vocab *v, const char *t, size_t *id)
{
    *id = bg_strmap_get(&v->map, t, strlen(t));
    if (*id != BG_STRMAP_ABSENT)
        return 0;
    *id = v->n;
    return vocab_set(v, v->n, t);
}

static int load_list(bg_query *q, const char *path, vocab *v,
                     unsigned char *excl, bg_err *err)
{
    bg_stopwords *sw = NULL;
    int rc = bg_stopwords_load(path, q->norm, &sw, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < v->n; i++)
        if (v->term[i] && bg_stopwords_has(sw, v->term[i], strlen(v->term[i])))
            excl[i] = 1;
    bg_stopwords_free(sw);
    return 0;
}

/* Marks the excluded terms: numbers (unless o->numbers), stopwords, the
 * boilerplate list, user lists; with min_chars, shorter words too. */
static int set_exclusions(bg_query *q, const bg_stats_opts *o, vocab *v,
                          int stopwords, size_t min_chars, bg_err *err)
{
    free(v->excl);
    if (!(v->excl = calloc(v->n ? v->n : 1, 1)))
        return OOM(err);
    for (size_t i = 0; i < v->n; i++) {
        const char *t = v->term[i];
        if (!t)
            v->excl[i] = 1;
        else if ((v->num[i] && !o->numbers) ||
                 (stopwords && bg_stopwords_has(q->stop, t, strlen(t))) ||
                 (min_chars > 1 && bg_utf8_chars(t) < min_chars))
            v->excl[i] = 1;
    }
    int rc = 0;
    if (o->drop_boilerplate) {
        bg_buf p = {0};
        if (bg_buf_printf(&p, "%s/boilerplate.txt", bg_dict_dir()))
            return OOM(err);
        rc = load_list(q, p.data, v, v->excl, err);
        bg_buf_free(&p);
    }
    for (size_t i = 0; rc == 0 && i < o->nstop_files; i++)
        rc = load_list(q, o->stop_files[i], v, v->excl, err);
    return rc;
}

/* ---- facets --------------------------------------------------------------
 * A filter becomes SQL over `document d JOIN source src`: names are checked
 * against PRAGMA table_info(document), values are quoted by sqlite3_mprintf
 * ("%Q") or written as numbers. */

typedef struct facet {
    char *cond; /* SQL condition on d/src; sqlite3_malloc'd */
    char *kind; /* kind=... or NULL; malloc'd */
} facet;

static void facet_free(facet *f)
{
    sqlite3_free(f->cond);
    free(f->kind);
    memset(f, 0, sizeof *f);
}

/* SQL expression for facet name (NULL: not a facet). */
static int facet_column(bg_query *q, const char *name, char *out, size_t n,
                        bg_err *err)
{
    if (strcmp(name, "doc") == 0 || strcmp(name, "id") == 0) {
        snprintf(out, n, "d.id");
        return 0;
    }
    if (strcmp(name, "file") == 0) {
        snprintf(out, n, "src.path");
        return 0;
    }
    sqlite3_stmt *st;
    int rc =
        prep(q, "SELECT name FROM pragma_table_info('document')", &st, err);
    if (rc)
        return rc;
    bg_buf cols = {0};
    int found = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        if (c && strcmp(c, name) == 0)
            found = 1;
        if (c && strcmp(c, "id") && strcmp(c, "source_id"))
            bg_buf_printf(&cols, ", %s", c);
    }
    sqlite3_finalize(st);
    if (found && strcmp(name, "source_id"))
        snprintf(out, n, "d.\"%s\"", name);
    else
        rc = bg_err_set(err, BG_EINVAL,
                        "unknown facet \"%s\" (facets: doc, file, kind%s)",
                        name, cols.data ? cols.data : "");
    bg_buf_free(&cols);
    return rc;
}

static int numeric(const char *s)
{
    char *end;
    if (!*s)
        return 0;
    (void)strtod(s, &end);
    return *end == '\0' && strspn(s, "0123456789.-+eE") == strlen(s);
}

static int facet_parse(bg_query *q, const char *spec, facet *f, bg_err *err)
{
    char *copy = spec ? strdup(spec) : NULL;
    int rc = 0;
    memset(f, 0, sizeof *f);
    if (!(f->cond = sqlite3_mprintf("1")))
        rc = OOM(err);
    if (spec && !copy)
        rc = OOM(err);
    for (char *p = copy, *next; rc == 0 && p && *p; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        while (*p == ' ')
            p++;
        if (!*p)
            continue;
        char *op = p + strcspn(p, "!<>=~");
        size_t ol = (op[0] && op[1] == '=' && strchr("!<>", op[0])) ||
                            (op[0] == '<' && op[1] == '>')
                        ? 2
                        : 1;
        if (!*op || op == p || (op[0] == '!' && ol == 1)) {
            rc = bg_err_set(err, BG_EINVAL,
                            "facet \"%s\": write NAME OP VALUE, OP one of = "
                            "!= < <= > >= ~ (e.g. year>=2000, doc=3)",
                            p);
            break;
        }
        char opname[3] = {op[0], ol == 2 ? op[1] : '\0', '\0'};
        char name[64], col[96];
        size_t nl = (size_t)(op - p);
        while (nl && p[nl - 1] == ' ')
            nl--;
        snprintf(name, sizeof name, "%.*s", (int)nl, p);
        const char *val = op + ol;
        while (*val == ' ')
            val++;
        if (strcmp(name, "kind") == 0) {
            if (strcmp(opname, "=") != 0 ||
                (strcmp(val, "theme") && strcmp(val, "problem") &&
                 strcmp(val, "commitment"))) {
                rc = bg_err_set(err, BG_EINVAL,
                                "facet kind: write kind=theme, kind=problem "
                                "or kind=commitment, not \"%s\"",
                                p);
                break;
            }
            if (f->kind) {
                rc = bg_err_set(err, BG_EINVAL,
                                "facet kind given twice (\"%s\"): a sentence "
                                "filter takes one kind",
                                p);
                break;
            }
            if (!(f->kind = strdup(val)))
                rc = OOM(err);
            continue;
        }
        if ((rc = facet_column(q, name, col, sizeof col, err)))
            break;
        char *c, *absval = NULL;
        const char *sqlop = strcmp(opname, "<>") == 0 ? "!=" : opname;
        /* paths are stored absolute: file=seed.txt means the file seed.txt
         * of the current directory */
        if (strcmp(name, "file") == 0 && strcmp(opname, "~") != 0 &&
            (absval = bg_path_absolute(val)))
            val = absval;
        if (strcmp(opname, "~") == 0)
            c = sqlite3_mprintf("%s AND instr(%s, %Q) > 0", f->cond, col, val);
        else if (numeric(val))
            c = sqlite3_mprintf("%s AND %s %s %s", f->cond, col, sqlop, val);
        else
            c = sqlite3_mprintf("%s AND %s %s %Q", f->cond, col, sqlop, val);
        free(absval);
        if (!c) {
            rc = OOM(err);
            break;
        }
        sqlite3_free(f->cond);
        f->cond = c;
    }
    free(copy);
    if (rc)
        facet_free(f);
    return rc;
}

int bg_query_where(bg_query *q, const char *spec, char **cond, char **kind,
                   bg_err *err)
{
    facet f;
    int rc = facet_parse(q, spec, &f, err);
    *cond = rc ? NULL : f.cond;
    *kind = rc ? NULL : f.kind;
    return rc;
}

/* ---- documents and groups ---------------------------------------------- */

typedef struct docset {
    int64_t *id;   /* documents of the filter, by group then id */
    size_t *group; /* group index of each */
    size_t n;
    char **gname; /* group values as text */
    size_t ngroups;
    int gint;   /* every group value is an integer */
    size_t *of; /* by document id: group + 1, 0 when not in the set */
    int64_t maxid;
} docset;

static void docset_free(docset *d)
{
    free(d->id);
    free(d->group);
    for (size_t i = 0; i < d->ngroups; i++)
        free(d->gname[i]);
    free(d->gname);
    free(d->of);
    memset(d, 0, sizeof *d);
}

/* Documents matching f, grouped by facet `by` (NULL: one group). */
static int docset_load(bg_query *q, const facet *f, const char *by, docset *d,
                       bg_err *err)
{
    char col[96] = "''";
    sqlite3_stmt *st = NULL;
    int rc = 0, s;
    size_t cap = 0, gcap = 0;
    memset(d, 0, sizeof *d);
    d->gint = by != NULL;
    if (by && (strcmp(by, "kind") == 0
                   ? (rc = bg_err_set(err, BG_EINVAL,
                                      "--by kind: group by a document facet; "
                                      "filter with --where kind=..."))
                   : (rc = facet_column(q, by, col, sizeof col, err))))
        return rc;
    /* exact duplicates (ingest's dup_of) hold no terms and are not
     * documents of the corpus */
    char *sql = sqlite3_mprintf(
        "SELECT d.id, %s FROM document d JOIN source src ON src.id = "
        "d.source_id WHERE %s%s ORDER BY %s, d.id",
        col, f->cond,
        bg_query_has_column(q, "document", "dup_of") ? " AND d.dup_of IS NULL"
                                                     : "",
        by ? col : "d.id");
    if (!sql)
        return OOM(err);
    rc = prep(q, sql, &st, err);
    sqlite3_free(sql);
    if (rc)
        return rc;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *g = (const char *)sqlite3_column_text(st, 1);
        if (!g)
            g = "";
        if (sqlite3_column_type(st, 1) != SQLITE_INTEGER)
            d->gint = 0;
        if (d->n == cap) {
            cap = cap ? 2 * cap : 256;
            int64_t *a = realloc(d->id, cap * sizeof *a);
            if (a)
                d->id = a;
            size_t *b = realloc(d->group, cap * sizeof *b);
            if (b)
                d->group = b;
            if (!a || !b) {
                rc = OOM(err);
                break;
            }
        }
        if (d->ngroups == 0 || strcmp(d->gname[d->ngroups - 1], g) != 0) {
            if (d->ngroups == gcap) {
                gcap = gcap ? 2 * gcap : 64;
                char **p = realloc(d->gname, gcap * sizeof *p);
                if (!p) {
                    rc = OOM(err);
                    break;
                }
                d->gname = p;
            }
            if (!(d->gname[d->ngroups] = strdup(g))) {
                rc = OOM(err);
                break;
            }
            d->ngroups++;
        }
        d->id[d->n] = sqlite3_column_int64(st, 0);
        if (d->id[d->n] < 1 || d->id[d->n] > BG_QUERY_MAX_ID) {
            rc = bg_err_set(err, BG_EDATA,
                            "%s: document id %lld out of range (1 to %lld): "
                            "a damaged database, or one baogao did not write",
                            q->path, (long long)d->id[d->n],
                            (long long)BG_QUERY_MAX_ID);
            break;
        }
        d->group[d->n] = d->ngroups - 1;
        if (d->id[d->n] > d->maxid)
            d->maxid = d->id[d->n];
        d->n++;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = sql_err(q, err, "documents");
    sqlite3_finalize(st);
    if (rc == 0 && !(d->of = calloc((size_t)d->maxid + 1, sizeof *d->of)))
        rc = OOM(err);
    for (size_t i = 0; rc == 0 && i < d->n; i++)
        d->of[d->id[i]] = d->group[i] + 1;
    if (rc)
        docset_free(d);
    return rc;
}

static void put_group(bg_cell *c, const docset *d, size_t g, int *rc)
{
    if (d->gint)
        bg_query_cell_int(c, strtoll(d->gname[g], NULL, 10));
    else if (bg_query_cell_text(c, d->gname[g]))
        *rc = BG_ENOMEM;
}

/* ---- counting ------------------------------------------------------------ */

typedef struct counts {
    int64_t *freq, *range, *last; /* by term id; last: last doc counted */
    size_t *touched, ntouched;    /* ids with freq > 0 */
    size_t n;
    int64_t tokens, docs;
} counts;

static void counts_free(counts *c)
{
    free(c->freq);
    free(c->range);
    free(c->last);
    free(c->touched);
    memset(c, 0, sizeof *c);
}

static int counts_init(counts *c, size_t n)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    if (!(c->freq = calloc(n + 1, sizeof *c->freq)) ||
        !(c->range = calloc(n + 1, sizeof *c->range)) ||
        !(c->last = calloc(n + 1, sizeof *c->last)) ||
        !(c->touched = malloc((n + 1) * sizeof *c->touched))) {
        counts_free(c);
        return BG_ENOMEM;
    }
    return 0;
}

static void counts_reset(counts *c)
{
    for (size_t i = 0; i < c->ntouched; i++) {
        size_t id = c->touched[i];
        c->freq[id] = c->range[id] = c->last[id] = 0;
    }
    c->ntouched = 0;
    c->tokens = c->docs = 0;
}

static void counts_add(counts *c, size_t id, int64_t doc, int64_t tf)
{
    if (id >= c->n)
        return;
    if (c->freq[id] == 0 && c->range[id] == 0)
        c->touched[c->ntouched++] = id;
    c->freq[id] += tf;
    if (c->last[id] != doc) {
        c->last[id] = doc;
        c->range[id]++;
    }
}

/* Statements reading one document's counts: from doc_term, or (kind) from
 * the terms of its sentences with that label. */
typedef struct reader {
    sqlite3_stmt *st;
    const char *kind;
    const vocab *v;
} reader;

static int reader_open(bg_query *q, const facet *f, const vocab *v, reader *r,
                       bg_err *err)
{
    r->kind = f->kind;
    r->v = v;
    r->st = NULL;
    return prep(q,
                f->kind ? "SELECT s.terms FROM sentence s WHERE s.doc_id = ?1 "
                          "AND EXISTS (SELECT 1 FROM extraction e WHERE "
                          "e.sentence_id = s.id AND e.kind = ?2)"
                        : "SELECT term_id, tf FROM doc_term WHERE doc_id = ?1",
                &r->st, err);
}

static int count_doc(bg_query *q, reader *r, int64_t doc, counts *c,
                     bg_err *err)
{
    int s;
    sqlite3_reset(r->st);
    sqlite3_bind_int64(r->st, 1, doc);
    if (r->kind)
        sqlite3_bind_text(r->st, 2, r->kind, -1, SQLITE_STATIC);
    c->docs++;
    while ((s = sqlite3_step(r->st)) == SQLITE_ROW) {
        if (!r->kind) {
            int64_t id = sqlite3_column_int64(r->st, 0);
            int64_t tf = sqlite3_column_int64(r->st, 1);
            c->tokens += tf;
            if (id >= 0)
                counts_add(c, (size_t)id, doc, tf);
            continue;
        }
        const char *t = (const char *)sqlite3_column_text(r->st, 0);
        for (const char *p = t; p && *p;) {
            const char *e = strchr(p, ' ');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            size_t id = bg_strmap_get(&r->v->map, p, len);
            c->tokens++;
            if (id != BG_STRMAP_ABSENT)
                counts_add(c, id, doc, 1);
            p += len + (e != NULL);
        }
    }
    return s == SQLITE_DONE ? 0 : sql_err(q, err, "counts");
}

/* ---- freq -----------------------------------------------------------------
 */

/* Sorted records carry their term, so that comparators need no context. */
typedef struct ranked_id {
    size_t id;
    int64_t f;
    const char *term;
} ranked_id;

static int by_freq(const void *a, const void *b)
{
    const ranked_id *x = a, *y = b;
    if (x->f != y->f)
        return x->f < y->f ? 1 : -1;
    return strcmp(x->term, y->term);
}

/* The kept terms of c by frequency, then term; *n of them. */
static int top_terms(const counts *c, const vocab *v, int64_t min_freq,
                     ranked_id **out, size_t *n)
{
    ranked_id *r = malloc((c->ntouched + 1) * sizeof *r);
    size_t k = 0;
    if (!r)
        return BG_ENOMEM;
    for (size_t i = 0; i < c->ntouched; i++) {
        size_t id = c->touched[i];
        if (id < v->n && !v->excl[id] && c->freq[id] > 0 &&
            c->freq[id] >= min_freq)
            r[k++] = (ranked_id){id, c->freq[id], v->term[id]};
    }
    if (k)
        qsort(r, k, sizeof *r, by_freq);
    *out = r;
    *n = k;
    return 0;
}

#define ALL_GROUPS SIZE_MAX

/* DP (Gries 2008) of term id over the documents of group g (all groups
 * when g is ALL_GROUPS), parts weighted by their token counts. */
static double term_dp(sqlite3_stmt *tf, const docset *d, size_t g,
                      const double *doc_tokens, double group_tokens, size_t id,
                      double f)
{
    /* DP = 0.5 (sum over parts with v > 0 of |v/f - s| + sum of s over
     * parts with v = 0); the second sum is 1 - the s of parts with v > 0 */
    double sum = 0, s_hit = 0;
    sqlite3_reset(tf);
    sqlite3_bind_int64(tf, 1, (sqlite3_int64)id);
    while (sqlite3_step(tf) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(tf, 0);
        if (doc < 0 || doc > d->maxid || !d->of[doc] ||
            (g != ALL_GROUPS && d->of[doc] - 1 != g))
            continue;
        double s = doc_tokens[doc] / group_tokens;
        sum += fabs((double)sqlite3_column_int64(tf, 1) / f - s);
        s_hit += s;
    }
    return f > 0 && group_tokens > 0 ? (sum + 1 - s_hit) / 2 : NAN;
}

int bg_query_freq_stats(bg_query *q, const bg_stats_opts *o, bg_rows *out,
                        bg_err *err)
{
    vocab v = {0};
    facet f = {0};
    docset d = {0};
    counts c = {0}, all = {0};
    reader r = {0};
    ranked_id *top = NULL;
    sqlite3_stmt *tf = NULL;
    double *doc_tokens = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = facet_parse(q, o->where, &f, err)) ||
        (rc = docset_load(q, &f, o->by, &d, err)) ||
        (rc = vocab_load(q, &v, err)) ||
        (rc = set_exclusions(q, o, &v, o->drop_stopwords, 0, err)) ||
        (rc = reader_open(q, &f, &v, &r, err)))
        goto cleanup;
    if (counts_init(&c, v.n) || counts_init(&all, v.n) ||
        !(doc_tokens = calloc((size_t)d.maxid + 1, sizeof *doc_tokens))) {
        rc = OOM(err);
        goto cleanup;
    }
    if (!f.kind &&
        (rc = prep(q, "SELECT doc_id, tf FROM doc_term WHERE term_id = ?1", &tf,
                   err)))
        goto cleanup;
    char bycol[80];
    snprintf(bycol, sizeof bycol, "%s:%c", o->by ? o->by : "group",
             d.gint ? 'i' : 's');
    if (o->by && o->wide) {
        /* one row per term (top overall), one count column per group */
        size_t nc = 4 + d.ngroups;
        const char **cols = calloc(nc, sizeof *cols);
        char **names = calloc(d.ngroups + 1, sizeof *names);
        if (!cols || !names) {
            free(cols);
            free(names);
            rc = OOM(err);
            goto cleanup;
        }
        cols[0] = "rank:i";
        cols[1] = "term:s";
        cols[2] = "freq:i";
        cols[3] = "range:i";
        for (size_t g = 0; g < d.ngroups && rc == 0; g++) {
            bg_buf b = {0};
            if (bg_buf_printf(&b, "%s:i", d.gname[g][0] ? d.gname[g] : "-"))
                rc = OOM(err);
            names[g] = b.data;
            cols[4 + g] = b.data ? b.data : "";
        }
        if (rc == 0 && bg_query_rows_init(out, cols, nc))
            rc = OOM(err);
        for (size_t g = 0; g < d.ngroups; g++)
            free(names[g]);
        free(names);
        free(cols);
        if (rc)
            goto cleanup;
        for (size_t i = 0; i < d.n && rc == 0; i++)
            rc = count_doc(q, &r, d.id[i], &all, err);
        size_t nt = 0;
        if (rc || (rc = top_terms(&all, &v, o->min_freq, &top, &nt)))
            goto cleanup;
        if (o->top && nt > o->top)
            nt = o->top;
        /* group counts of the listed terms only */
        int64_t *gc = calloc(nt * d.ngroups + 1, sizeof *gc);
        size_t *row_of = calloc(v.n + 1, sizeof *row_of);
        if (!gc || !row_of) {
            free(gc);
            free(row_of);
            rc = OOM(err);
            goto cleanup;
        }
        for (size_t k = 0; k < nt; k++)
            row_of[top[k].id] = k + 1;
        for (size_t i = 0; i < d.n && rc == 0; i++) {
            counts_reset(&c);
            rc = count_doc(q, &r, d.id[i], &c, err);
            for (size_t k = 0; rc == 0 && k < c.ntouched; k++) {
                size_t id = c.touched[k];
                if (row_of[id])
                    gc[(row_of[id] - 1) * d.ngroups + d.group[i]] += c.freq[id];
            }
        }
        for (size_t k = 0; k < nt && rc == 0; k++) {
            bg_cell *row = bg_query_rows_add(out);
            if (!row || bg_query_cell_text(&row[1], v.term[top[k].id])) {
                rc = OOM(err);
                break;
            }
            bg_query_cell_int(&row[0], (int64_t)k + 1);
            bg_query_cell_int(&row[2], top[k].f);
            bg_query_cell_int(&row[3], all.range[top[k].id]);
            for (size_t g = 0; g < d.ngroups; g++)
                bg_query_cell_int(&row[4 + g], gc[k * d.ngroups + g]);
        }
        free(gc);
        free(row_of);
        goto cleanup;
    }
    const char *cols6[] = {"rank:i",        "term:s",  "freq:i",
                           "per_million:r", "range:i", "dp:r"};
    const char *cols7[] = {bycol,           "rank:i",  "term:s", "freq:i",
                           "per_million:r", "range:i", "dp:r"};
    if (o->by ? bg_query_rows_init(out, cols7, 7)
              : bg_query_rows_init(out, cols6, 6)) {
        rc = OOM(err);
        goto cleanup;
    }
    size_t off = o->by ? 1 : 0;
    for (size_t i = 0; i < d.n && rc == 0;) {
        size_t g = d.group[i];
        counts_reset(&c);
        for (; i < d.n && d.group[i] == g && rc == 0; i++) {
            int64_t before = c.tokens;
            rc = count_doc(q, &r, d.id[i], &c, err);
            doc_tokens[d.id[i]] = (double)(c.tokens - before);
        }
        size_t nt = 0;
        free(top);
        top = NULL;
        if (rc || (rc = top_terms(&c, &v, o->min_freq, &top, &nt)))
            break;
        if (o->top && nt > o->top)
            nt = o->top;
        for (size_t k = 0; k < nt; k++) {
            bg_cell *row = bg_query_rows_add(out);
            if (!row || bg_query_cell_text(&row[off + 1], v.term[top[k].id])) {
                rc = OOM(err);
                break;
            }
            if (o->by)
                put_group(&row[0], &d, g, &rc);
            bg_query_cell_int(&row[off], (int64_t)k + 1);
            bg_query_cell_int(&row[off + 2], top[k].f);
            bg_query_cell_real(
                &row[off + 3],
                c.tokens ? (double)top[k].f * 1e6 / (double)c.tokens : 0);
            bg_query_cell_int(&row[off + 4], c.range[top[k].id]);
            if (tf)
                bg_query_cell_real(&row[off + 5],
                                   term_dp(tf, &d, o->by ? g : ALL_GROUPS,
                                           doc_tokens, (double)c.tokens,
                                           top[k].id, (double)top[k].f));
        }
        if (rc == BG_ENOMEM)
            rc = OOM(err);
    }
cleanup:
    free(top);
    free(doc_tokens);
    sqlite3_finalize(tf);
    sqlite3_finalize(r.st);
    counts_free(&c);
    counts_free(&all);
    docset_free(&d);
    facet_free(&f);
    vocab_free(&v);
    return rc;
}

/* ---- keyness ------------------------------------------------------------- */

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
static int read_reference_list(bg_query *q, const char *path, vocab *v,
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
        rc = vocab_intern(v, w, &id);
        free(w);
        if (rc) {
            rc = OOM(err);
            break;
        }
        if (BG_RESERVE_ZERO(*freq, cap, id + 1)) {
            rc = OOM(err);
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
        rc = OOM(err);
    if (rc) {
        free(*freq);
        *freq = NULL;
    }
    return rc;
}

int bg_query_keyness(bg_query *q, const bg_stats_opts *o, const char *target,
                     const char *reference, const char *reference_list,
                     int two_term, bg_rows *out, bg_err *err)
{
    vocab v = {0};
    facet ft = {0}, fr = {0};
    docset dt = {0}, dr = {0};
    counts ct = {0}, cr = {0};
    reader rt = {0}, rr = {0};
    key_row *kr = NULL;
    int64_t *list = NULL, list_total = 0;
    int rc;
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
    if ((rc = facet_parse(q, target, &ft, err)) ||
        (rc = docset_load(q, &ft, NULL, &dt, err)) ||
        (rc = vocab_load(q, &v, err)))
        goto cleanup;
    if (dt.n == 0) {
        rc = bg_err_set(err, BG_ENOTFOUND, "no document matches --target %s",
                        target);
        goto cleanup;
    }
    if (reference_list) {
        if ((rc = read_reference_list(q, reference_list, &v, &list, &list_total,
                                      err)))
            goto cleanup;
    } else {
        if ((rc = facet_parse(q, reference, &fr, err)) ||
            (rc = docset_load(q, &fr, NULL, &dr, err)))
            goto cleanup;
        if ((!reference || !*reference) && !ft.kind) {
            /* the rest of the corpus (with a kind filter on the target:
             * the whole corpus, every sentence) */
            size_t k = 0;
            for (size_t i = 0; i < dr.n; i++)
                if (dr.id[i] > dt.maxid || !dt.of[dr.id[i]])
                    dr.id[k++] = dr.id[i];
            dr.n = k;
        }
        if (dr.n == 0) {
            rc = bg_err_set(err, BG_ENOTFOUND,
                            "no document in the reference (--reference %s)",
                            reference ? reference : "(the rest)");
            goto cleanup;
        }
    }
    if ((rc = set_exclusions(q, o, &v, o->drop_stopwords, 0, err)) ||
        (rc = reader_open(q, &ft, &v, &rt, err)) ||
        (!reference_list && (rc = reader_open(q, &fr, &v, &rr, err))))
        goto cleanup;
    if (counts_init(&ct, v.n) || counts_init(&cr, v.n)) {
        rc = OOM(err);
        goto cleanup;
    }
    for (size_t i = 0; i < dt.n && rc == 0; i++)
        rc = count_doc(q, &rt, dt.id[i], &ct, err);
    for (size_t i = 0; i < dr.n && rc == 0; i++)
        rc = count_doc(q, &rr, dr.id[i], &cr, err);
    if (rc)
        goto cleanup;
    double n1 = (double)ct.tokens,
           n2 = (double)(reference_list ? list_total : cr.tokens);
    if (n1 <= 0 || n2 <= 0) {
        rc = bg_err_set(err, BG_ENOTFOUND, "the %s holds no tokens",
                        n1 <= 0 ? "target" : "reference");
        goto cleanup;
    }
    if (!(kr = malloc((v.n + 1) * sizeof *kr))) {
        rc = OOM(err);
        goto cleanup;
    }
    size_t n = 0;
    for (size_t id = 0; id < v.n; id++) {
        if (v.excl[id])
            continue;
        key_row k = {id, (double)ct.freq[id], 0, 0, 0, 0, 0, 0, 0, v.term[id]};
        k.b = reference_list ? (double)list[id] : (double)cr.freq[id];
        if (k.a + k.b <= 0 || k.a + k.b < (double)o->min_freq)
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
        kr[n++] = k;
    }
    if (n)
        qsort(kr, n, sizeof *kr, by_strength);
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
    if (bg_query_rows_init(out, cols, 11)) {
        rc = OOM(err);
        goto cleanup;
    }
    for (int dir = 1; dir >= -1 && rc == 0; dir -= 2) {
        size_t rank = 0;
        for (size_t i = 0; i < n; i++) {
            const key_row *k = &kr[i];
            if (k->sign != dir || (o->top && rank >= o->top))
                continue;
            bg_cell *row = bg_query_rows_add(out);
            if (!row || bg_query_cell_text(&row[1], v.term[k->id]) ||
                bg_query_cell_text(&row[2], dir > 0 ? "+" : "-")) {
                rc = OOM(err);
                break;
            }
            bg_query_cell_int(&row[0], (int64_t)++rank);
            bg_query_cell_int(&row[3], (int64_t)k->a);
            bg_query_cell_int(&row[4], (int64_t)k->b);
            bg_query_cell_real(&row[5], k->a * 1e6 / n1);
            bg_query_cell_real(&row[6], k->b * 1e6 / n2);
            bg_query_cell_real(&row[7], k->sign * k->g2);
            bg_query_cell_real(&row[8], k->p);
            bg_query_cell_real(&row[9], k->lr);
            bg_query_cell_real(&row[10], k->pd);
        }
    }
cleanup:
    free(kr);
    free(list);
    sqlite3_finalize(rt.st);
    sqlite3_finalize(rr.st);
    counts_free(&ct);
    counts_free(&cr);
    docset_free(&dt);
    docset_free(&dr);
    facet_free(&ft);
    facet_free(&fr);
    vocab_free(&v);
    return rc;
}

/* ---- words in queries ---------------------------------------------------- */

typedef struct qterms {
    char **t; /* the terms, malloc'd */
    size_t n;
    bg_buf fts;    /* one FTS5 phrase of them: "t1 t2 ..." */
    bg_buf joined; /* the terms without spaces (analysis form) */
} qterms;

static void qterms_free(qterms *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->t[i]);
    free(w->t);
    bg_buf_free(&w->fts);
    bg_buf_free(&w->joined);
    memset(w, 0, sizeof *w);
}

typedef struct qt_acc {
    const char *text;
    qterms *w;
} qt_acc;

static int qt_cb(const bg_token *tok, void *payload)
{
    qt_acc *a = payload;
    if (tok->kind == BG_TOK_OTHER)
        return 0;
    char **p = realloc(a->w->t, (a->w->n + 1) * sizeof *p);
    if (!p)
        return BG_ENOMEM;
    a->w->t = p;
    if (!(p[a->w->n] = strndup(a->text + tok->start, tok->end - tok->start)))
        return BG_ENOMEM;
    a->w->n++;
    return 0;
}

/* The terms of query: normalised and segmented like documents. BG_EINVAL
 * when it has none. */
static int query_terms(bg_query *q, const char *query, qterms *w, bg_err *err)
{
    char *a = NULL;
    memset(w, 0, sizeof *w);
    int rc = bg_normalise_string(q->norm, query, strlen(query), &a, err);
    if (rc == BG_EUTF8) /* the user's to fix: a usage error */
        return bg_err_set(err, BG_EINVAL,
                          "\"%s\" is not valid UTF-8 (byte %zu)", query,
                          bg_utf8_valid_prefix(query, strlen(query)));
    if (rc)
        return rc;
    qt_acc acc = {a, w};
    rc = bg_segment_run(q->seg, a, strlen(a), qt_cb, &acc, err);
    free(a);
    if (rc == BG_ENOMEM)
        rc = OOM(err);
    if (rc == 0 && w->n == 0)
        rc = bg_err_set(err, BG_EINVAL,
                        "\"%s\" has no words to search for (punctuation, "
                        "symbols, emoji and space are not indexed)",
                        query);
    if (rc == 0 && bg_buf_puts(&w->fts, "\""))
        rc = OOM(err);
    for (size_t i = 0; rc == 0 && i < w->n; i++) {
        if (bg_buf_puts(&w->fts, i ? " " : "") ||
            bg_buf_puts(&w->joined, w->t[i]))
            rc = OOM(err);
        for (const char *c = w->t[i]; rc == 0 && *c; c++)
            if (bg_buf_add(&w->fts, c, 1) ||
                (*c == '"' && bg_buf_add(&w->fts, "\"", 1)))
                rc = OOM(err);
    }
    if (rc == 0 && bg_buf_puts(&w->fts, "\""))
        rc = OOM(err);
    if (rc)
        qterms_free(w);
    return rc;
}

/* A sentence's terms split in place at the spaces. */
typedef struct toks {
    char **t;
    size_t n, cap;
} toks;

static int split_terms(toks *k, char *terms)
{
    k->n = 0;
    for (char *p = terms; p && *p;) {
        char *e = strchr(p, ' ');
        if (k->n == k->cap) {
            size_t cap = k->cap ? 2 * k->cap : 128;
            char **a = realloc(k->t, cap * sizeof *a);
            if (!a)
                return BG_ENOMEM;
            k->t = a;
            k->cap = cap;
        }
        k->t[k->n++] = p;
        if (!e)
            break;
        *e = '\0';
        p = e + 1;
    }
    return 0;
}

/* 1 when the node's terms start at position i of k. */
static int node_at(const toks *k, size_t i, const qterms *w)
{
    if (i + w->n > k->n)
        return 0;
    for (size_t j = 0; j < w->n; j++)
        if (strcmp(k->t[i + j], w->t[j]) != 0)
            return 0;
    return 1;
}

/* SQL reading (doc_id, id, terms) of the sentences that hold the FTS5
 * phrase ?1, in the documents of f; text order. */
static char *fts_sql(const facet *f)
{
    return sqlite3_mprintf(
        "SELECT s.doc_id, s.id, s.terms FROM sentence_fts JOIN sentence s ON "
        "s.id = sentence_fts.rowid WHERE sentence_fts MATCH ?1%s%s%s%s ORDER "
        "BY s.id",
        strcmp(f->cond, "1") ? " AND s.doc_id IN (SELECT d.id FROM document "
                               "d JOIN source src ON src.id = d.source_id "
                               "WHERE "
                             : "",
        strcmp(f->cond, "1") ? f->cond : "", strcmp(f->cond, "1") ? ")" : "",
        f->kind ? " AND EXISTS (SELECT 1 FROM extraction e WHERE "
                  "e.sentence_id = s.id AND e.kind = ?2)"
                : "");
}

static int prep_fts(bg_query *q, const facet *f, const qterms *w,
                    sqlite3_stmt **st, bg_err *err)
{
    char *sql = fts_sql(f);
    if (!sql)
        return OOM(err);
    int rc = prep(q, sql, st, err);
    sqlite3_free(sql);
    if (rc)
        return rc;
    sqlite3_bind_text(*st, 1, w->fts.data, -1, SQLITE_STATIC);
    if (f->kind)
        sqlite3_bind_text(*st, 2, f->kind, -1, SQLITE_STATIC);
    return 0;
}

/* ---- kwic ------------------------------------------------------------------
 */

#define KWIC_KEY_TERMS 8

typedef struct kwic_hit {
    int64_t sid;
    size_t occ; /* which occurrence of the node in its sentence */
    char *key;  /* sort key: context terms, \1 apart; NULL unsorted */
} kwic_hit;

static int by_key(const void *a, const void *b)
{
    const kwic_hit *x = a, *y = b;
    int c = strcmp(x->key ? x->key : "", y->key ? y->key : "");
    if (c)
        return c;
    return x->sid < y->sid ? -1 : x->sid > y->sid ? 1 : (x->occ > y->occ);
}

typedef struct seg_acc {
    bg_token *t;
    size_t n, cap;
} seg_acc;

static int seg_cb(const bg_token *tok, void *payload)
{
    seg_acc *a = payload;
    if (tok->kind == BG_TOK_OTHER)
        return 0;
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 64;
        bg_token *p = realloc(a->t, cap * sizeof *p);
        if (!p)
            return BG_ENOMEM;
        a->t = p;
        a->cap = cap;
    }
    a->t[a->n++] = *tok;
    return 0;
}

/* Finds occurrence occ of the node in the analysis form of t: by the terms
 * (re-segmented as at ingest), else by substring. [*as, *ae) analysis
 * bytes; 0 when found. */
static int locate_node(bg_query *q, const bg_text *t, const qterms *w,
                       size_t occ, size_t *as, size_t *ae, bg_err *err)
{
    seg_acc acc = {0};
    int rc = bg_segment_run(q->seg, t->analysis, t->len, seg_cb, &acc, err);
    if (rc) {
        free(acc.t);
        return rc == BG_ENOMEM ? OOM(err) : rc;
    }
    size_t seen = 0;
    for (size_t i = 0; i + w->n <= acc.n; i++) {
        size_t j = 0;
        for (; j < w->n; j++) {
            const bg_token *k = &acc.t[i + j];
            size_t len = k->end - k->start;
            if (len != strlen(w->t[j]) ||
                memcmp(t->analysis + k->start, w->t[j], len) != 0)
                break;
        }
        if (j == w->n && seen++ == occ) {
            *as = acc.t[i].start;
            *ae = acc.t[i + w->n - 1].end;
            free(acc.t);
            return 0;
        }
        if (j == w->n)
            i += w->n - 1;
    }
    free(acc.t);
    /* segmentation changed since ingest: the occ-th substring */
    const char *p = t->analysis;
    for (size_t k = 0; p && (p = strstr(p, w->joined.data)); k++) {
        if (k == occ) {
            *as = (size_t)(p - t->analysis);
            *ae = *as + w->joined.len;
            return 0;
        }
        p += w->joined.len;
    }
    return BG_ENOTFOUND;
}

/* File offsets of the text bytes [os, oe) of a sentence stored at [start,
 * end) of path: the text is the original minus debris (pinyin, CR,
 * zero-width), so when nothing was cut the offsets shift by start; else the
 * file is read again and normalised like at ingest. 0 when known. */
static int file_offsets(bg_query *q, const char *path, int64_t size,
                        int64_t start, int64_t end, const char *text,
                        const bg_text *t, size_t as, size_t ae, int64_t *fs,
                        int64_t *fe)
{
    size_t os = t->orig_start[as], oe = t->orig_end[ae - 1];
    if ((int64_t)strlen(text) == end - start) {
        *fs = start + (int64_t)os;
        *fe = start + (int64_t)oe;
        return 0;
    }
    FILE *f = path ? fopen(path, "rb") : NULL;
    char *buf = NULL;
    bg_text ft = {0};
    bg_err err = {0};
    int rc = -1;
    if (!f || end <= start || fseek(f, 0, SEEK_END) || ftell(f) != size ||
        fseek(f, (long)start, SEEK_SET) ||
        !(buf = malloc((size_t)(end - start))) ||
        fread(buf, 1, (size_t)(end - start), f) != (size_t)(end - start))
        goto cleanup;
    if (bg_normalise_run(q->norm, buf, (size_t)(end - start), (size_t)start,
                         &ft, &err) == 0 &&
        ft.len == t->len && memcmp(ft.analysis, t->analysis, t->len) == 0) {
        *fs = (int64_t)ft.orig_start[as];
        *fe = (int64_t)ft.orig_end[ae - 1];
        rc = 0;
    }
cleanup:
    bg_text_free(&ft);
    free(buf);
    if (f)
        fclose(f);
    return rc;
}

static int kwic_line(bg_query *q, sqlite3_stmt *st, const kwic_hit *h,
                     const qterms *w, size_t width, bg_rows *out, bg_err *err)
{
    bg_text t = {0};
    int rc = 0;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, h->sid);
    if (sqlite3_step(st) != SQLITE_ROW)
        return sql_err(q, err, "kwic");
    const char *text = (const char *)sqlite3_column_text(st, 4);
    const char *path = (const char *)sqlite3_column_text(st, 5);
    if (!text)
        text = "";
    size_t len = strlen(text), as = 0, ae = 0;
    if ((rc = bg_normalise_run(q->norm, text, len, 0, &t, err)))
        goto cleanup;
    if ((rc = locate_node(q, &t, w, h->occ, &as, &ae, err)) || ae <= as) {
        rc = rc == BG_ENOTFOUND || rc == 0 ? 0 : rc; /* cannot happen */
        goto cleanup;
    }
    size_t os = t.orig_start[as], oe = t.orig_end[ae - 1];
    size_t from = bg_utf8_back(text, os, width),
           to = bg_utf8_fwd(text, len, oe, width);
    int64_t fs, fe;
    bg_cell *row = bg_query_rows_add(out);
    if (!row || bg_query_cell_text(&row[2], path) ||
        put_textn(&row[5], text + from, os - from) ||
        put_textn(&row[6], text + os, oe - os) ||
        put_textn(&row[7], text + oe, to - oe)) {
        rc = OOM(err);
        goto cleanup;
    }
    bg_query_cell_int(&row[0], sqlite3_column_int64(st, 0));
    bg_query_cell_int(&row[1], sqlite3_column_int64(st, 1));
    if (file_offsets(q, path, sqlite3_column_int64(st, 6),
                     sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
                     text, &t, as, ae, &fs, &fe) == 0) {
        bg_query_cell_int(&row[3], fs);
        bg_query_cell_int(&row[4], fe);
    }
cleanup:
    bg_text_free(&t);
    return rc;
}

int bg_query_kwic(bg_query *q, const bg_stats_opts *o, const char *query,
                  size_t width, size_t limit, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {"doc:i",   "sentence:i", "file:s",
                                       "start:i", "end:i",      "left:s",
                                       "node:s",  "right:s"};
    qterms w = {0};
    facet f = {0};
    sqlite3_stmt *st = NULL, *line = NULL;
    kwic_hit *hits = NULL;
    size_t nh = 0, cap = 0;
    toks k = {0};
    bg_buf key = {0};
    int rc, s, left = 0, sorted = 0;
    memset(out, 0, sizeof *out);
    if (o->sort) {
        left = strcmp(o->sort, "left") == 0;
        sorted = left || strcmp(o->sort, "right") == 0;
        if (!sorted)
            return bg_err_set(err, BG_EINVAL,
                              "kwic sorts by left or right, not \"%s\"",
                              o->sort);
    }
    if ((rc = query_terms(q, query, &w, err)) ||
        (rc = facet_parse(q, o->where, &f, err)) ||
        (rc = prep_fts(q, &f, &w, &st, err)))
        goto cleanup;
    if (bg_query_rows_init(out, cols, 8)) {
        rc = OOM(err);
        goto cleanup;
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (!sorted && limit && nh >= limit)
            break;
        char *terms = strdup((const char *)sqlite3_column_text(st, 2));
        if (!terms || split_terms(&k, terms)) {
            free(terms);
            rc = OOM(err);
            goto cleanup;
        }
        size_t occ = 0;
        for (size_t i = 0; i < k.n; i++) {
            if (!node_at(&k, i, &w))
                continue;
            if (nh == cap) {
                cap = cap ? 2 * cap : 256;
                kwic_hit *p = realloc(hits, cap * sizeof *p);
                if (!p) {
                    free(terms);
                    rc = OOM(err);
                    goto cleanup;
                }
                hits = p;
            }
            hits[nh] = (kwic_hit){sqlite3_column_int64(st, 1), occ++, NULL};
            if (sorted) {
                key.len = 0;
                if (key.data)
                    key.data[0] = '\0';
                for (size_t j = 0; j < KWIC_KEY_TERMS; j++) {
                    size_t at = left ? i - 1 - j : i + w.n + j;
                    if ((left && j >= i) || (!left && at >= k.n))
                        break;
                    if (bg_buf_puts(&key, j ? "\1" : "") ||
                        bg_buf_puts(&key, k.t[at]))
                        rc = BG_ENOMEM;
                }
                if (rc || !(hits[nh].key = strdup(key.data ? key.data : ""))) {
                    free(terms);
                    rc = OOM(err);
                    goto cleanup;
                }
            }
            nh++;
            i += w.n - 1;
        }
        free(terms);
    }
    if (s != SQLITE_DONE && s != SQLITE_ROW) {
        rc = sql_err(q, err, "kwic");
        goto cleanup;
    }
    if (sorted)
        if (nh)
            qsort(hits, nh, sizeof *hits, by_key);
    if ((rc = prep(q,
                   "SELECT s.doc_id, s.seq, s.start, s.end, s.text, src.path, "
                   "src.size FROM sentence s JOIN document d ON d.id = "
                   "s.doc_id JOIN source src ON src.id = d.source_id WHERE "
                   "s.id = ?1",
                   &line, err)))
        goto cleanup;
    for (size_t i = 0; i < nh && (!limit || i < limit) && rc == 0; i++)
        rc = kwic_line(q, line, &hits[i], &w, width, out, err);
cleanup:
    for (size_t i = 0; i < nh; i++)
        free(hits[i].key);
    free(hits);
    free(k.t);
    bg_buf_free(&key);
    sqlite3_finalize(st);
    sqlite3_finalize(line);
    facet_free(&f);
    qterms_free(&w);
    return rc;
}

/* Counts every document of f (the corpus frequencies and N of windows and
 * collocations). */
static int count_all(bg_query *q, const facet *f, const vocab *v, counts *c,
                     docset *d, bg_err *err)
{
    reader r = {0};
    int rc = docset_load(q, f, NULL, d, err);
    if (rc || (rc = reader_open(q, f, v, &r, err)))
        return rc;
    if (counts_init(c, v->n))
        rc = OOM(err);
    for (size_t i = 0; rc == 0 && i < d->n; i++)
        rc = count_doc(q, &r, d->id[i], c, err);
    sqlite3_finalize(r.st);
    return rc;
}

/* ---- collocates ------------------------------------------------------------
 */

typedef struct coll_row {
    size_t id;
    double o11, key;
    const char *term;
} coll_row;

static int by_key_desc(const void *a, const void *b)
{
    const coll_row *x = a, *y = b;
    int xn = isnan(x->key), yn = isnan(y->key);
    if (xn != yn)
        return xn - yn;
    if (!xn && x->key != y->key)
        return x->key < y->key ? 1 : -1;
    if (x->o11 != y->o11)
        return x->o11 < y->o11 ? 1 : -1;
    return strcmp(x->term, y->term);
}

int bg_query_collocates(bg_query *q, const bg_stats_opts *o, const char *word,
                        size_t left, size_t right, int adjust, bg_rows *out,
                        bg_err *err)
{
    const char *cols[] = {"rank:i",        "collocate:s",
                          "o11:i",         "left:i",
                          "right:i",       "f_node:i",
                          "f_collocate:i", adjust ? "e11_window:r" : "e11:r",
                          "mi:r",          "t_score:r",
                          "log_dice:r",    "g2:r"};
    qterms w = {0};
    facet f = {0};
    vocab v = {0};
    counts c = {0};
    docset d = {0};
    toks k = {0};
    sqlite3_stmt *st = NULL;
    double *o11 = NULL, *lc = NULL, *rc_ = NULL;
    coll_row *cr = NULL;
    int rc, s;
    double r1 = 0;
    const char *sort = o->sort ? o->sort : "log_dice";
    memset(out, 0, sizeof *out);
    if (strcmp(sort, "log_dice") && strcmp(sort, "mi") &&
        strcmp(sort, "t_score") && strcmp(sort, "g2") && strcmp(sort, "o11"))
        return bg_err_set(err, BG_EINVAL,
                          "collocates sort by log_dice, mi, t_score, g2 or "
                          "o11, not \"%s\"",
                          sort);
    if ((rc = query_terms(q, word, &w, err)) ||
        (rc = facet_parse(q, o->where, &f, err)) ||
        (rc = vocab_load(q, &v, err)) ||
        (rc = set_exclusions(q, o, &v, o->drop_stopwords, 0, err)) ||
        (rc = count_all(q, &f, &v, &c, &d, err)) ||
        (rc = prep_fts(q, &f, &w, &st, err)))
        goto cleanup;
    if (!(o11 = calloc(v.n + 1, sizeof *o11)) ||
        !(lc = calloc(v.n + 1, sizeof *lc)) ||
        !(rc_ = calloc(v.n + 1, sizeof *rc_)) ||
        !(cr = malloc((v.n + 1) * sizeof *cr)) ||
        bg_query_rows_init(out, cols, 12)) {
        rc = OOM(err);
        goto cleanup;
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char *terms = strdup((const char *)sqlite3_column_text(st, 2));
        if (!terms || split_terms(&k, terms)) {
            free(terms);
            rc = OOM(err);
            goto cleanup;
        }
        for (size_t i = 0; i < k.n; i++) {
            if (!node_at(&k, i, &w))
                continue;
            r1++;
            size_t from = i > left ? i - left : 0;
            size_t to = i + w.n + right < k.n ? i + w.n + right : k.n;
            for (size_t j = from; j < to; j++) {
                if (j >= i && j < i + w.n)
                    continue;
                size_t id = bg_strmap_get(&v.map, k.t[j], strlen(k.t[j]));
                if (id == BG_STRMAP_ABSENT)
                    continue;
                o11[id]++;
                if (j < i)
                    lc[id]++;
                else
                    rc_[id]++;
            }
            i += w.n - 1;
        }
        free(terms);
    }
    if (s != SQLITE_DONE) {
        rc = sql_err(q, err, "collocates");
        goto cleanup;
    }
    if (r1 == 0) {
        rc = bg_err_set(err, BG_ENOTFOUND, "\"%s\" does not occur", word);
        goto cleanup;
    }
    double n = (double)c.tokens, span = adjust ? (double)(left + right) : 1;
    size_t nr = 0;
    for (size_t id = 0; id < v.n; id++) {
        if (o11[id] <= 0 || v.excl[id] || o11[id] < (double)o->min_freq)
            continue;
        double c1 = (double)c.freq[id], e = bg_assoc_expected(r1, c1, n, span);
        double key = strcmp(sort, "mi") == 0        ? bg_assoc_mi(o11[id], e)
                     : strcmp(sort, "t_score") == 0 ? bg_assoc_t(o11[id], e)
                     : strcmp(sort, "g2") == 0 ? bg_assoc_g2(o11[id], r1, c1, n)
                     : strcmp(sort, "o11") == 0
                         ? o11[id]
                         : bg_assoc_log_dice(o11[id], r1, c1);
        cr[nr++] = (coll_row){id, o11[id], key, v.term[id]};
    }
    if (nr)
        qsort(cr, nr, sizeof *cr, by_key_desc);
    for (size_t i = 0; i < nr && (!o->top || i < o->top); i++) {
        size_t id = cr[i].id;
        double c1 = (double)c.freq[id], e = bg_assoc_expected(r1, c1, n, span);
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[1], v.term[id])) {
            rc = OOM(err);
            goto cleanup;
        }
        bg_query_cell_int(&row[0], (int64_t)i + 1);
        bg_query_cell_int(&row[2], (int64_t)o11[id]);
        bg_query_cell_int(&row[3], (int64_t)lc[id]);
        bg_query_cell_int(&row[4], (int64_t)rc_[id]);
        bg_query_cell_int(&row[5], (int64_t)r1);
        bg_query_cell_int(&row[6], (int64_t)c1);
        bg_query_cell_real(&row[7], e);
        bg_query_cell_real(&row[8], bg_assoc_mi(o11[id], e));
        bg_query_cell_real(&row[9], bg_assoc_t(o11[id], e));
        bg_query_cell_real(&row[10], bg_assoc_log_dice(o11[id], r1, c1));
        bg_query_cell_real(&row[11], bg_assoc_g2(o11[id], r1, c1, n));
    }
cleanup:
    free(o11);
    free(lc);
    free(rc_);
    free(cr);
    free(k.t);
    sqlite3_finalize(st);
    counts_free(&c);
    docset_free(&d);
    vocab_free(&v);
    facet_free(&f);
    qterms_free(&w);
    return rc;
}

/* ---- sentences of a filter ----------------------------------------------- */

/* SQL reading (doc_id, id, terms) of every sentence in the documents of
 * f, by document and sequence. */
static int prep_sentences(bg_query *q, const facet *f, sqlite3_stmt **st,
                          bg_err *err)
{
    char *sql = sqlite3_mprintf(
        "SELECT s.doc_id, s.id, s.terms FROM sentence s WHERE s.doc_id IN "
        "(SELECT d.id FROM document d JOIN source src ON src.id = "
        "d.source_id WHERE %s)%s ORDER BY s.doc_id, s.seq",
        f->cond,
        f->kind ? " AND EXISTS (SELECT 1 FROM extraction e WHERE "
                  "e.sentence_id = s.id AND e.kind = ?1)"
                : "");
    if (!sql)
        return OOM(err);
    int rc = prep(q, sql, st, err);
    sqlite3_free(sql);
    if (rc == 0 && f->kind)
        sqlite3_bind_text(*st, 1, f->kind, -1, SQLITE_STATIC);
    return rc;
}

/* ---- ngrams -------------------------------------------------------------- */

typedef struct ngram {
    uint32_t id[5];
    int n;
    int64_t freq, range, last;
} ngram;

typedef struct ngram_map {
    ngram *e; /* n == 0: empty */
    size_t cap, used;
} ngram_map;

static ngram *ngram_slot(ngram_map *m, const uint32_t *id, int n)
{
    size_t i = (size_t)bg_hash(id, (size_t)n * sizeof *id, BG_HASH_INIT) &
               (m->cap - 1);
    while (m->e[i].n &&
           (m->e[i].n != n || memcmp(m->e[i].id, id, (size_t)n * 4) != 0))
        i = (i + 1) & (m->cap - 1);
    return &m->e[i];
}

static int ngram_add(ngram_map *m, const uint32_t *id, int n, int64_t doc)
{
    if (2 * (m->used + 1) > m->cap) {
        ngram_map g = {0};
        g.cap = m->cap ? 2 * m->cap : 1 << 16;
        if (!(g.e = calloc(g.cap, sizeof *g.e)))
            return BG_ENOMEM;
        for (size_t i = 0; i < m->cap; i++)
            if (m->e[i].n)
                *ngram_slot(&g, m->e[i].id, m->e[i].n) = m->e[i];
        g.used = m->used;
        free(m->e);
        *m = g;
    }
    ngram *e = ngram_slot(m, id, n);
    if (!e->n) {
        memcpy(e->id, id, (size_t)n * 4);
        e->n = n;
        m->used++;
    }
    e->freq++;
    if (e->last != doc) {
        e->last = doc;
        e->range++;
    }
    return 0;
}

/* An n-gram to sort, with the vocabulary naming its terms. */
typedef struct ngram_ref {
    const ngram *g;
    char *const *term;
} ngram_ref;

static int ngram_cmp(const void *a, const void *b)
{
    const ngram_ref *p = a, *q = b;
    const ngram *x = p->g, *y = q->g;
    if (x->freq != y->freq)
        return x->freq < y->freq ? 1 : -1;
    for (int i = 0; i < x->n && i < y->n; i++) {
        int c = strcmp(p->term[x->id[i]], q->term[y->id[i]]);
        if (c)
            return c;
    }
    return x->n - y->n;
}

int bg_query_ngrams(bg_query *q, const bg_stats_opts *o, int nmin, int nmax,
                    bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {"rank:i", "ngram:s", "n:i", "freq:i",
                                       "range:i"};
    facet f = {0};
    vocab v = {0};
    toks k = {0};
    ngram_map m = {0};
    ngram_ref *list = NULL;
    uint32_t *ids = NULL;
    size_t idcap = 0;
    sqlite3_stmt *st = NULL;
    int rc, s;
    memset(out, 0, sizeof *out);
    if (nmin < 2 || nmax > 5 || nmin > nmax)
        return bg_err_set(err, BG_EINVAL, "n-gram lengths are 2 to 5");
    if ((rc = facet_parse(q, o->where, &f, err)) ||
        (rc = vocab_load(q, &v, err)) ||
        (rc = set_exclusions(q, o, &v, o->drop_stopwords, 0, err)) ||
        (rc = prep_sentences(q, &f, &st, err)))
        goto cleanup;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(st, 0);
        char *terms = strdup((const char *)sqlite3_column_text(st, 2));
        if (!terms || split_terms(&k, terms)) {
            free(terms);
            rc = OOM(err);
            goto cleanup;
        }
        if (k.n > idcap) {
            idcap = k.n * 2;
            uint32_t *p = realloc(ids, idcap * sizeof *p);
            if (!p) {
                free(terms);
                rc = OOM(err);
                goto cleanup;
            }
            ids = p;
        }
        for (size_t i = 0; i < k.n; i++) {
            size_t id = bg_strmap_get(&v.map, k.t[i], strlen(k.t[i]));
            ids[i] = id == BG_STRMAP_ABSENT || v.excl[id] ? UINT32_MAX
                                                          : (uint32_t)id;
        }
        free(terms);
        for (size_t i = 0; i < k.n && rc == 0; i++)
            for (int n = nmin; n <= nmax && i + (size_t)n <= k.n; n++) {
                int ok = 1;
                for (int j = 0; j < n; j++)
                    ok &= ids[i + (size_t)j] != UINT32_MAX;
                if (!ok)
                    break; /* longer ones hold the same excluded term */
                if (ngram_add(&m, ids + i, n, doc))
                    rc = OOM(err);
            }
        if (rc)
            goto cleanup;
    }
    if (s != SQLITE_DONE) {
        rc = sql_err(q, err, "ngrams");
        goto cleanup;
    }
    size_t nl = 0;
    if (!(list = malloc((m.used + 1) * sizeof *list)) ||
        bg_query_rows_init(out, cols, 5)) {
        rc = OOM(err);
        goto cleanup;
    }
    for (size_t i = 0; i < m.cap; i++)
        if (m.e[i].n && m.e[i].freq >= o->min_freq)
            list[nl++] = (ngram_ref){&m.e[i], v.term};
    if (nl)
        qsort(list, nl, sizeof *list, ngram_cmp);
    for (size_t i = 0; i < nl && (!o->top || i < o->top); i++) {
        bg_buf b = {0};
        const ngram *g = list[i].g;
        for (int j = 0; j < g->n; j++)
            if (bg_buf_puts(&b, j ? " " : "") ||
                bg_buf_puts(&b, v.term[g->id[j]]))
                rc = BG_ENOMEM;
        bg_cell *row = rc ? NULL : bg_query_rows_add(out);
        if (!row) {
            bg_buf_free(&b);
            rc = OOM(err);
            goto cleanup;
        }
        row[1].s = b.data;
        row[1].null = 0;
        bg_query_cell_int(&row[0], (int64_t)i + 1);
        bg_query_cell_int(&row[2], g->n);
        bg_query_cell_int(&row[3], g->freq);
        bg_query_cell_int(&row[4], g->range);
    }
cleanup:
    free(list);
    free(m.e);
    free(ids);
    free(k.t);
    sqlite3_finalize(st);
    vocab_free(&v);
    facet_free(&f);
    return rc;
}

/* ---- trend -----------------------------------------------------------------
 */

int bg_query_trend(bg_query *q, const bg_stats_opts *o,
                   const char *const *words, size_t nw, bg_rows *out,
                   bg_err *err)
{
    facet f = {0};
    docset d = {0};
    vocab v = {0};
    counts c = {0};
    reader r = {0};
    sqlite3_stmt *st = NULL;
    double *gtok = NULL, *gf = NULL, *gr = NULL;
    int64_t *lastdoc = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    const char *by = o->by                                        ? o->by
                     : bg_query_has_column(q, "document", "year") ? "year"
                                                                  : "doc";
    char bycol[80];
    if ((rc = facet_parse(q, o->where, &f, err)) ||
        (rc = docset_load(q, &f, by, &d, err)) ||
        (rc = vocab_load(q, &v, err)) || (rc = reader_open(q, &f, &v, &r, err)))
        goto cleanup;
    snprintf(bycol, sizeof bycol, "%s:%c", by, d.gint ? 'i' : 's');
    const char *cols[] = {bycol,     "term:s",      "freq:i",  "per_million:r",
                          "range:i", "documents:i", "tokens:i"};
    if (bg_query_rows_init(out, cols, 7) || counts_init(&c, v.n) ||
        !(gtok = calloc(d.ngroups + 1, sizeof *gtok)) ||
        !(gf = calloc(d.ngroups + 1, sizeof *gf)) ||
        !(gr = calloc(d.ngroups + 1, sizeof *gr)) ||
        !(lastdoc = calloc(d.ngroups + 1, sizeof *lastdoc))) {
        rc = OOM(err);
        goto cleanup;
    }
    int64_t *ndocs = calloc(d.ngroups + 1, sizeof *ndocs);
    if (!ndocs) {
        rc = OOM(err);
        goto cleanup;
    }
    /* tokens per group (inside labelled sentences with kind) */
    for (size_t i = 0; i < d.n && rc == 0; i++) {
        counts_reset(&c);
        rc = count_doc(q, &r, d.id[i], &c, err);
        gtok[d.group[i]] += (double)c.tokens;
        ndocs[d.group[i]]++;
    }
    for (size_t wi = 0; wi < nw && rc == 0; wi++) {
        qterms w = {0};
        toks k = {0};
        int s;
        memset(gf, 0, d.ngroups * sizeof *gf);
        memset(gr, 0, d.ngroups * sizeof *gr);
        memset(lastdoc, 0, d.ngroups * sizeof *lastdoc);
        if ((rc = query_terms(q, words[wi], &w, err)) ||
            (rc = prep_fts(q, &f, &w, &st, err))) {
            qterms_free(&w);
            break;
        }
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t doc = sqlite3_column_int64(st, 0);
            if (doc < 0 || doc > d.maxid || !d.of[doc])
                continue;
            size_t g = d.of[doc] - 1;
            char *terms = strdup((const char *)sqlite3_column_text(st, 2));
            if (!terms || split_terms(&k, terms)) {
                free(terms);
                rc = OOM(err);
                break;
            }
            for (size_t i = 0; i < k.n; i++)
                if (node_at(&k, i, &w)) {
                    gf[g]++;
                    if (lastdoc[g] != doc) {
                        lastdoc[g] = doc;
                        gr[g]++;
                    }
                    i += w.n - 1;
                }
            free(terms);
        }
        if (rc == 0 && s != SQLITE_DONE)
            rc = sql_err(q, err, "trend");
        sqlite3_finalize(st);
        st = NULL;
        for (size_t g = 0; g < d.ngroups && rc == 0; g++) {
            bg_cell *row = bg_query_rows_add(out);
            if (!row || bg_query_cell_text(&row[1], w.joined.data)) {
                rc = OOM(err);
                break;
            }
            put_group(&row[0], &d, g, &rc);
            bg_query_cell_int(&row[2], (int64_t)gf[g]);
            bg_query_cell_real(&row[3],
                               gtok[g] > 0 ? gf[g] * 1e6 / gtok[g] : 0);
            bg_query_cell_int(&row[4], (int64_t)gr[g]);
            bg_query_cell_int(&row[5], ndocs[g]);
            bg_query_cell_int(&row[6], (int64_t)gtok[g]);
            if (rc)
                rc = OOM(err);
        }
        free(k.t);
        qterms_free(&w);
    }
    free(ndocs);
cleanup:
    free(gtok);
    free(gf);
    free(gr);
    free(lastdoc);
    sqlite3_finalize(st);
    sqlite3_finalize(r.st);
    counts_free(&c);
    docset_free(&d);
    vocab_free(&v);
    facet_free(&f);
    return rc;
}

/* ---- cooc ------------------------------------------------------------------
 */

typedef struct edge {
    size_t a, b;
    int64_t n;
    double jac;
} edge;

static int edge_cmp(const void *x, const void *y)
{
    const edge *a = x, *b = y;
    if (a->n != b->n)
        return a->n < b->n ? 1 : -1;
    if (a->jac != b->jac)
        return a->jac < b->jac ? 1 : -1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

/* Calls back with the distinct kept ids of each sentence of f. */
typedef int (*sent_ids_cb)(const size_t *ids, size_t n, void *payload);

static int each_sentence(bg_query *q, const facet *f, const vocab *v,
                         int64_t *mark, sent_ids_cb cb, void *payload,
                         bg_err *err)
{
    sqlite3_stmt *st = NULL;
    toks k = {0};
    size_t *ids = NULL, cap = 0;
    int64_t sid = 0;
    int rc = prep_sentences(q, f, &st, err), s;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        char *terms = strdup((const char *)sqlite3_column_text(st, 2));
        if (!terms || split_terms(&k, terms)) {
            free(terms);
            rc = OOM(err);
            break;
        }
        if (k.n > cap) {
            cap = 2 * k.n;
            size_t *p = realloc(ids, cap * sizeof *p);
            if (!p) {
                free(terms);
                rc = OOM(err);
                break;
            }
            ids = p;
        }
        size_t n = 0;
        sid++;
        for (size_t i = 0; i < k.n; i++) {
            size_t id = bg_strmap_get(&v->map, k.t[i], strlen(k.t[i]));
            if (id == BG_STRMAP_ABSENT || v->excl[id] || mark[id] == sid)
                continue;
            mark[id] = sid;
            ids[n++] = id;
        }
        free(terms);
        rc = cb(ids, n, payload);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = sql_err(q, err, "sentences");
    free(ids);
    free(k.t);
    sqlite3_finalize(st);
    return rc;
}

typedef struct cooc_ctx {
    int64_t *sf;  /* sentences holding each id */
    size_t *node; /* id -> node + 1 */
    size_t nn;
    int64_t *matrix; /* nn x nn, upper triangle */
    size_t *buf;
} cooc_ctx;

static int cooc_sf(const size_t *ids, size_t n, void *payload)
{
    cooc_ctx *x = payload;
    for (size_t i = 0; i < n; i++)
        x->sf[ids[i]]++;
    return 0;
}

static int cooc_pairs(const size_t *ids, size_t n, void *payload)
{
    cooc_ctx *x = payload;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (x->node[ids[i]])
            x->buf[k++] = x->node[ids[i]] - 1;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            if (x->buf[i] < x->buf[j])
                x->matrix[x->buf[i] * x->nn + x->buf[j]]++;
    return 0;
}

int bg_query_cooc(bg_query *q, const bg_stats_opts *o, bg_rows *out,
                  bg_err *err)
{
    static const char *const cols[] = {"source:s",      "target:s",
                                       "count:i",       "jaccard:r",
                                       "source_freq:i", "target_freq:i"};
    facet f = {0};
    vocab v = {0};
    cooc_ctx x = {0};
    int64_t *mark = NULL;
    ranked_id *top = NULL;
    edge *e = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = facet_parse(q, o->where, &f, err)) ||
        (rc = vocab_load(q, &v, err)) ||
        (rc = set_exclusions(q, o, &v, 1, 2, err)))
        goto cleanup;
    if (!(mark = calloc(v.n + 1, sizeof *mark)) ||
        !(x.sf = calloc(v.n + 1, sizeof *x.sf)) ||
        !(x.node = calloc(v.n + 1, sizeof *x.node)) ||
        !(top = malloc((v.n + 1) * sizeof *top))) {
        rc = OOM(err);
        goto cleanup;
    }
    if ((rc = each_sentence(q, &f, &v, mark, cooc_sf, &x, err)))
        goto cleanup;
    size_t nt = 0;
    for (size_t id = 0; id < v.n; id++)
        if (x.sf[id] > 0)
            top[nt++] = (ranked_id){id, x.sf[id], v.term[id]};
    if (nt)
        qsort(top, nt, sizeof *top, by_freq);
    x.nn = o->top && nt > o->top ? o->top : nt;
    if (x.nn > 2000)
        x.nn = 2000; /* the matrix is nn x nn */
    for (size_t i = 0; i < x.nn; i++)
        x.node[top[i].id] = i + 1;
    memset(mark, 0, (v.n + 1) * sizeof *mark);
    if (!(x.matrix = calloc(x.nn * x.nn + 1, sizeof *x.matrix)) ||
        !(x.buf = malloc((x.nn + 1) * sizeof *x.buf)) ||
        !(e = malloc((x.nn * x.nn / 2 + 1) * sizeof *e)) ||
        bg_query_rows_init(out, cols, 6)) {
        rc = OOM(err);
        goto cleanup;
    }
    if ((rc = each_sentence(q, &f, &v, mark, cooc_pairs, &x, err)))
        goto cleanup;
    size_t ne = 0;
    int64_t min = o->min_freq > 1 ? o->min_freq : 1;
    for (size_t i = 0; i < x.nn; i++)
        for (size_t j = i + 1; j < x.nn; j++) {
            int64_t n = x.matrix[i * x.nn + j];
            if (n < min)
                continue;
            double u = (double)(top[i].f + top[j].f - n);
            e[ne++] = (edge){i, j, n, u > 0 ? (double)n / u : 0};
        }
    if (ne)
        qsort(e, ne, sizeof *e, edge_cmp);
    for (size_t i = 0; i < ne; i++) {
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[0], v.term[top[e[i].a].id]) ||
            bg_query_cell_text(&row[1], v.term[top[e[i].b].id])) {
            rc = OOM(err);
            goto cleanup;
        }
        bg_query_cell_int(&row[2], e[i].n);
        bg_query_cell_real(&row[3], e[i].jac);
        bg_query_cell_int(&row[4], top[e[i].a].f);
        bg_query_cell_int(&row[5], top[e[i].b].f);
    }
cleanup:
    free(e);
    free(x.matrix);
    free(x.buf);
    free(x.sf);
    free(x.node);
    free(top);
    free(mark);
    vocab_free(&v);
    facet_free(&f);
    return rc;
}

/* ---- keywords --------------------------------------------------------------
 */

typedef struct kw_row {
    size_t id;
    double w;
    const char *term;
} kw_row;

static int kw_row_cmp(const void *a, const void *b)
{
    const kw_row *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return strcmp(x->term, y->term);
}

/* The unit's terms in text order (textrank), via its sentences. */
static int unit_tokens(bg_query *q, sqlite3_stmt *st, const docset *d,
                       size_t from, size_t to, bg_buf *all, toks *k,
                       bg_err *err)
{
    all->len = 0;
    for (size_t i = from; i < to; i++) {
        int s;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, d->id[i]);
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            if (t && *t &&
                (bg_buf_puts(all, all->len ? " " : "") || bg_buf_puts(all, t)))
                return OOM(err);
        }
        if (s != SQLITE_DONE)
            return sql_err(q, err, "keywords");
    }
    if (bg_buf_reserve(all, 1))
        return OOM(err);
    all->data[all->len] = '\0';
    return split_terms(k, all->data) ? OOM(err) : 0;
}

int bg_query_keywords_stats(bg_query *q, const bg_stats_opts *o,
                            const char *method, bg_rows *out, bg_err *err)
{
    facet f = {0};
    docset d = {0}, shown = {0};
    vocab v = {0};
    counts c = {0};
    reader r = {0};
    int64_t *df = NULL;
    kw_row *kr = NULL;
    double *cnt = NULL, *idf = NULL;
    sqlite3_stmt *sent = NULL;
    bg_buf all = {0};
    toks k = {0};
    const char **tokv = NULL;
    unsigned char *cand = NULL;
    int rc;
    int m = strcmp(method, "jieba") == 0      ? 0
            : strcmp(method, "sklearn") == 0  ? 1
            : strcmp(method, "plain") == 0    ? 2
            : strcmp(method, "textrank") == 0 ? 3
                                              : -1;
    memset(out, 0, sizeof *out);
    if (m < 0)
        return bg_err_set(err, BG_EINVAL,
                          "--method is jieba, sklearn, plain or textrank, "
                          "not \"%s\"",
                          method);
    /* idf over every document (or group) of the index, as before; the
     * filter picks the units shown (kind still restricts the counting) */
    if ((rc = facet_parse(q, o->where, &f, err)) ||
        (rc = docset_load(q, &f, NULL, &shown, err)))
        goto cleanup;
    sqlite3_free(f.cond);
    if (!(f.cond = sqlite3_mprintf("1"))) {
        rc = OOM(err);
        goto cleanup;
    }
    if ((rc = docset_load(q, &f, o->by ? o->by : "doc", &d, err)) ||
        (rc = vocab_load(q, &v, err)) ||
        (rc = set_exclusions(q, o, &v, o->drop_stopwords, 2, err)) ||
        (rc = reader_open(q, &f, &v, &r, err)))
        goto cleanup;
    if (o->where && strncmp(o->where, "doc=", 4) == 0 && shown.n == 0) {
        rc = bg_err_set(err, BG_ENOTFOUND,
                        "no document %s (see `baogao "
                        "docs`)",
                        o->where + 4);
        goto cleanup;
    }
    char unit[80];
    snprintf(unit, sizeof unit, "%s:%c", o->by ? o->by : "doc",
             !o->by || d.gint ? 'i' : 's');
    const char *score = m == 0   ? "tfidf_jieba:r"
                        : m == 1 ? "tfidf_sklearn:r"
                        : m == 2 ? "tfidf_plain:r"
                                 : "textrank:r";
    const char *cols[] = {unit, "rank:i", "term:s", "tf:i", "df:i", score};
    if (bg_query_rows_init(out, cols, 6) || counts_init(&c, v.n) ||
        !(df = calloc(v.n + 1, sizeof *df)) ||
        !(kr = malloc((v.n + 1) * sizeof *kr)) ||
        !(cnt = malloc((v.n + 1) * sizeof *cnt)) ||
        !(idf = malloc((v.n + 1) * sizeof *idf))) {
        rc = OOM(err);
        goto cleanup;
    }
    /* document frequency over the units */
    size_t nunits = 0;
    for (size_t i = 0; i < d.n && rc == 0;) {
        size_t g = d.group[i];
        counts_reset(&c);
        for (; i < d.n && d.group[i] == g && rc == 0; i++)
            rc = count_doc(q, &r, d.id[i], &c, err);
        for (size_t j = 0; j < c.ntouched; j++)
            if (!v.excl[c.touched[j]])
                df[c.touched[j]]++;
        nunits++;
    }
    if (rc)
        goto cleanup;
    if (m == 3 &&
        (rc = prep(q,
                   f.kind ? "SELECT s.terms FROM sentence s WHERE s.doc_id = "
                            "?1 AND EXISTS (SELECT 1 FROM extraction e WHERE "
                            "e.sentence_id = s.id AND e.kind = ?2) ORDER BY "
                            "s.seq"
                          : "SELECT terms FROM sentence WHERE doc_id = ?1 "
                            "ORDER BY seq",
                   &sent, err)))
        goto cleanup;
    if (sent && f.kind)
        sqlite3_bind_text(sent, 2, f.kind, -1, SQLITE_STATIC);
    for (size_t i = 0; i < d.n && rc == 0;) {
        size_t g = d.group[i], first = i, show = 0;
        for (size_t j = i; j < d.n && d.group[j] == g; j++)
            show |= d.id[j] <= shown.maxid && shown.of[d.id[j]];
        if (!show) {
            while (i < d.n && d.group[i] == g)
                i++;
            continue;
        }
        counts_reset(&c);
        for (; i < d.n && d.group[i] == g && rc == 0; i++)
            rc = count_doc(q, &r, d.id[i], &c, err);
        size_t n = 0;
        double total = 0;
        for (size_t j = 0; j < c.ntouched; j++) {
            size_t id = c.touched[j];
            if (v.excl[id])
                continue;
            kr[n].id = id;
            kr[n].term = v.term[id];
            cnt[n] = (double)c.freq[id];
            idf[n] = m == 1 ? bg_idf_sklearn((double)nunits, (double)df[id], 1)
                            : bg_idf_plain((double)nunits, (double)df[id]);
            total += cnt[n];
            n++;
        }
        if (m == 1) {
            bg_tfidf_sklearn_row(cnt, idf, n, 0, 1, cnt);
            for (size_t j = 0; j < n; j++)
                kr[j].w = cnt[j];
        } else if (m != 3) {
            for (size_t j = 0; j < n; j++)
                kr[j].w = m == 0 ? bg_tfidf_jieba(cnt[j], total, idf[j])
                                 : cnt[j] * idf[j];
        } else {
            bg_ranked *ranked = NULL;
            size_t nr = 0;
            if ((rc = unit_tokens(q, sent, &d, first, i, &all, &k, err)))
                break;
            const char **tv = realloc(tokv, (k.n + 1) * sizeof *tv);
            unsigned char *cv = tv ? realloc(cand, k.n + 1) : NULL;
            if (tv)
                tokv = tv;
            if (cv)
                cand = cv;
            if (!tv || !cv) {
                rc = OOM(err);
                break;
            }
            for (size_t j = 0; j < k.n; j++) {
                size_t id = bg_strmap_get(&v.map, k.t[j], strlen(k.t[j]));
                tokv[j] = k.t[j];
                cand[j] = id != BG_STRMAP_ABSENT && !v.excl[id];
            }
            if (bg_textrank(tokv, cand, k.n, 5, 0.85, 10, &ranked, &nr)) {
                rc = OOM(err);
                break;
            }
            n = 0;
            for (size_t j = 0; j < nr; j++) {
                size_t id = bg_strmap_get(&v.map, ranked[j].word,
                                          strlen(ranked[j].word));
                if (id != BG_STRMAP_ABSENT)
                    kr[n++] = (kw_row){id, ranked[j].score, v.term[id]};
            }
            free(ranked);
        }
        if (n)
            qsort(kr, n, sizeof *kr, kw_row_cmp);
        for (size_t j = 0; j < n && (!o->top || j < o->top); j++) {
            bg_cell *row = bg_query_rows_add(out);
            if (!row || bg_query_cell_text(&row[2], v.term[kr[j].id])) {
                rc = OOM(err);
                break;
            }
            put_group(&row[0], &d, g, &rc);
            bg_query_cell_int(&row[1], (int64_t)j + 1);
            bg_query_cell_int(&row[3], c.freq[kr[j].id]);
            if (m != 3)
                bg_query_cell_int(&row[4], df[kr[j].id]);
            bg_query_cell_real(&row[5], kr[j].w);
            if (rc)
                rc = OOM(err);
        }
    }
cleanup:
    free(tokv);
    free(cand);
    free(k.t);
    bg_buf_free(&all);
    sqlite3_finalize(sent);
    sqlite3_finalize(r.st);
    free(df);
    free(kr);
    free(cnt);
    free(idf);
    counts_free(&c);
    docset_free(&d);
    docset_free(&shown);
    vocab_free(&v);
    facet_free(&f);
    return rc;
}
