/*
 * segment.c - dictionary lattice over Han text, ICU for the rest, fixed
 * spans for user words and numbers; coarse words cut into fine parts.
 */
#include "segment.h"

#include "segment_int.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

/* Between paths of equal probability (a dictionary without frequencies
 * makes many), prefer the one with fewer single-atom words. */
#define SINGLE_TIE 1e-7

/* atom_kind values: the token kinds, and a Han character */
#define ATOM_HAN 3

typedef struct span {
    size_t start, end;
    bg_token_kind kind;
} span;

struct bg_segmenter {
    UBreakIterator *bi;
    UText *ut;
    bg_trie main, user;
    int have_main, have_user;
    bg_granularity granularity;
    double logtotal, logtotal_fine;
    pcre2_code *numre;
    pcre2_match_data *md;
    unsigned char *numclass; /* NUMC_* of each BMP code point */
    char dict_id[17];
    bg_buf notes; /* what loading the user dictionaries said */
    /* scratch, grown on demand */
    span *fixed;
    size_t nfixed, fixedcap;
    size_t *bounds; /* atom boundaries of a region */
    double *route;
    uint32_t *next;
    unsigned char *atom_kind;
    unsigned char *coarse_pick; /* next[k] ends a coarse-only word */
    size_t regcap;
    size_t *part_end; /* the fine parts of a token */
};

static char installed_main[4096 + 16];
static pthread_once_t installed_once = PTHREAD_ONCE_INIT;

static void find_installed_main(void)
{
    const char *d = bg_install_dir();
    if (d)
        snprintf(installed_main, sizeof installed_main, "%s/main.bgd", d);
}

const char *bg_segment_main_dict(void)
{
    const char *e = getenv("BAOGAO_MAIN_DICT");
    if (e && *e)
        return e;
    pthread_once(&installed_once, find_installed_main);
    return installed_main[0] ? installed_main : BG_MAIN_DICT;
}

void bg_segment_close(bg_segmenter *s)
{
    if (!s)
        return;
    if (s->bi)
        ubrk_close(s->bi);
    if (s->ut)
        utext_close(s->ut);
    bg_trie_free(&s->main);
    bg_trie_free(&s->user);
    pcre2_match_data_free(s->md);
    pcre2_code_free(s->numre);
    free(s->numclass);
    free(s->fixed);
    free(s->bounds);
    free(s->route);
    free(s->next);
    free(s->atom_kind);
    free(s->coarse_pick);
    free(s->part_end);
    bg_buf_free(&s->notes);
    free(s);
}

int bg_segment_open(bg_segmenter **out, bg_err *err)
{
    bg_segment_opts o = {0};
    return bg_segment_open_with(out, &o, err);
}

int bg_segment_open_with(bg_segmenter **out, const bg_segment_opts *o,
                         bg_err *err)
{
    UErrorCode st = U_ZERO_ERROR;
    int rc = 0;
    bg_segmenter *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return bg_err_set(err, BG_ENOMEM, "segmenter: out of memory");
    s->bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &st);
    if (U_FAILURE(st)) {
        rc = bg_err_set(err, BG_EICU, "ubrk_open(UBRK_WORD, zh): %s",
                        u_errorName(st));
        goto cleanup;
    }
    uint64_t id = 0;
    s->granularity = o->granularity;
    if (!o->only_dict) {
        const char *path = o->main_dict ? o->main_dict : bg_segment_main_dict();
        if ((rc = bg_trie_load(&s->main, path, err)))
            goto cleanup;
        s->have_main = 1;
        id = s->main.hash;
        int pe;
        PCRE2_SIZE eoff;
        s->numre =
            pcre2_compile((PCRE2_SPTR)BG_NUMBER_PATTERN, PCRE2_ZERO_TERMINATED,
                          PCRE2_UTF | PCRE2_UCP, &pe, &eoff, NULL);
        if (!s->numre) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(pe, msg, sizeof msg);
            rc = bg_err_set(err, BG_EPCRE, "number pattern, byte %zu: %s",
                            (size_t)eoff, (char *)msg);
            goto cleanup;
        }
        (void)pcre2_jit_compile(s->numre, PCRE2_JIT_COMPLETE);
        if (!(s->numclass = calloc(0x10000, 1))) {
            rc = bg_err_set(err, BG_ENOMEM, "segmenter: out of memory");
            goto cleanup;
        }
        bg_number_classes(s->numclass);
        if (!(s->md = pcre2_match_data_create_from_pattern(s->numre, NULL))) {
            rc = bg_err_set(err, BG_ENOMEM, "segmenter: out of memory");
            goto cleanup;
        }
    }
    if (o->nuser) {
        /* closed setting: the given dictionaries are the lattice's */
        bg_trie *t = o->only_dict ? &s->main : &s->user;
        if (!o->norm) {
            rc = bg_err_set(err, BG_EINVAL,
                            "segmenter: user dictionaries need a normaliser");
            goto cleanup;
        }
        if (bg_trie_init(t)) {
            rc = bg_err_set(err, BG_ENOMEM, "segmenter: out of memory");
            goto cleanup;
        }
        for (size_t i = 0; i < o->nuser; i++)
            if ((rc = bg_trie_load_jieba_notes(t, o->user_dicts[i], o->norm, 1,
                                               &s->notes, err)))
                goto cleanup;
        if (o->only_dict)
            s->have_main = 1;
        else
            s->have_user = 1;
        id = id * 31 + t->hash;
    }
    if (s->have_main) {
        s->logtotal = log(s->main.total > 0 ? (double)s->main.total : 1.0);
        s->logtotal_fine =
            log(s->main.total_fine > 0 ? (double)s->main.total_fine : 1.0);
    }
    snprintf(s->dict_id, sizeof s->dict_id, "%016llx", (unsigned long long)id);
    *out = s;
    s = NULL;
cleanup:
    bg_segment_close(s);
    return rc;
}

const char *bg_segment_dict_id(const bg_segmenter *s)
{
    return s->dict_id;
}

const char *bg_segment_notes(const bg_segmenter *s)
{
    return s->notes.data ? s->notes.data : "";
}

static int is_space_at(const char *t, size_t i)
{
    size_t nx;
    return u_isUWhiteSpace((UChar32)bg_utf8_next(t, i, &nx));
}

static int is_alnum_ascii(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

static int add_fixed(bg_segmenter *s, size_t a, size_t b, bg_token_kind kind)
{
    if (BG_RESERVE(s->fixed, s->fixedcap, s->nfixed + 1))
        return BG_ENOMEM;
    s->fixed[s->nfixed++] = (span){a, b, kind};
    return 0;
}

static int span_cmp(const void *x, const void *y)
{
    const span *a = x, *b = y;
    return a->start < b->start ? -1 : a->start > b->start;
}

/* The end of the longest main-dictionary word starting at t[a] that does
 * not yield to a number span (segment_int.h; a when none). */
static size_t longest_word(const bg_segmenter *s, const char *t, size_t a,
                           size_t len)
{
    uint32_t node = 0;
    size_t end = a;
    for (size_t p = a; p < len;) {
        size_t pn;
        bg_edge e = bg_trie_edge(&s->main, node, bg_utf8_next(t, p, &pn));
        if (!e.child)
            break;
        p = pn;
        node = e.child & ~BG_TRIE_LEAF;
        if (e.w != BG_TRIE_NOWORD && !bg_trie_yields(&s->main, node))
            end = p;
        if (e.child & BG_TRIE_LEAF)
            break;
    }
    return end;
}

/* The end of the number the pattern matched at t[a, b): b when
 * bg_number_parse reads t[a, b), else the longest t[a, e) it reads that
 * drops only magnitude characters from the end (the pattern's classes take
 * any run of them: in 3.5亿千瓦 and 三亿五千万千瓦 the 千 begins 千瓦);
 * b when none does (then it is no number). */
static size_t number_end(const char *t, size_t a, size_t b)
{
    bg_number num;
    if (bg_number_parse(t + a, b - a, &num))
        return b;
    for (size_t e = b; e > a;) {
        size_t last = e - 1, nx;
        while (last > a && ((unsigned char)t[last] & 0xC0) == 0x80)
            last--;
        uint32_t cp = bg_utf8_next(t, last, &nx);
        if (bg_han_magnitude(cp) == 0)
            break;
        e = last;
        if (e > a && bg_number_parse(t + a, e - a, &num))
            return e;
    }
    return b;
}

/* Whether the number pattern is worth trying at t[at] (class cls, the next
 * code point at nx): a Han numeral must be followed by a numeral, 点, 分 or
 * 月 (every pattern holds two numerals, 分之, 点 or a month); a Latin word
 * by / - or a space (codes, covid-19), else *skip is its end. */
static int worth_trying(const bg_segmenter *s, const char *t, size_t len,
                        size_t nx, unsigned char cls, size_t *skip)
{
    if (cls == BG_NUMC_HAN) {
        if (nx >= len)
            return 0;
        size_t n2;
        uint32_t c = bg_utf8_next(t, nx, &n2);
        unsigned char k = c < 0x10000 ? s->numclass[c] : 0;
        return k == BG_NUMC_HAN || k == BG_NUMC_HAN_PREV ||
               k == BG_NUMC_HAN_NEXT;
    }
    if (cls == BG_NUMC_LETTER) {
        size_t e = nx;
        while (e < len && t[e] >= 'a' && t[e] <= 'z')
            e++;
        if (e < len && (t[e] == '/' || t[e] == '-' || t[e] == ' '))
            return 1;
        *skip = e;
        return 0;
    }
    return 1;
}

/* Fixed spans: user words (leftmost-longest), then number patterns in what
 * is left, sorted by start. */
static int find_fixed(bg_segmenter *s, const char *t, size_t len)
{
    s->nfixed = 0;
    if (s->have_user) {
        const unsigned char *u = (const unsigned char *)t;
        for (size_t i = 0; i < len;) {
            size_t nx, best = 0;
            uint32_t node = 0;
            for (size_t j = i; j < len;) {
                size_t jn;
                node = bg_trie_step(&s->user, node, bg_utf8_next(t, j, &jn));
                if (!node)
                    break;
                j = jn;
                if (s->user.freq[node] && !(is_alnum_ascii(u[j - 1]) &&
                                            j < len && is_alnum_ascii(u[j])))
                    best = j;
            }
            (void)bg_utf8_next(t, i, &nx);
            if (best &&
                !(is_alnum_ascii(u[i]) && i > 0 && is_alnum_ascii(u[i - 1]))) {
                if (add_fixed(s, i, best, BG_TOK_WORD))
                    return BG_ENOMEM;
                i = best;
            } else
                i = nx;
        }
    }
    if (s->numre) {
        /* the pattern is tried, anchored, only where a number may start
         * (a numeral class that its predecessor does not continue): a
         * search would try it at nearly every Han character */
        size_t nuser = s->nfixed, k = 0;
        unsigned char prev = 0;
        for (size_t at = 0; at < len;) {
            size_t nx, skip = 0;
            uint32_t cp = bg_utf8_next(t, at, &nx);
            unsigned char cls = cp < 0x10000 ? s->numclass[cp] : 0;
            if (!bg_number_may_start(cls, prev) ||
                !worth_trying(s, t, len, nx, cls, &skip)) {
                prev = cls;
                at = skip ? skip : nx;
                continue;
            }
            prev = cls;
            int r =
                pcre2_match(s->numre, (PCRE2_SPTR)t, len, at,
                            PCRE2_NO_UTF_CHECK | PCRE2_ANCHORED, s->md, NULL);
            if (r < 0) {
                at = nx;
                continue;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
            size_t a = ov[0], b = ov[1];
            if (b == a) {
                at = nx;
                continue;
            }
            while (k < nuser && s->fixed[k].end <= a)
                k++;
            if (k < nuser && s->fixed[k].start < b) {
                at = s->fixed[k].end; /* a user word wins */
                continue;
            }
            const char *mark = (const char *)pcre2_get_mark(s->md);
            bg_number num;
            if (mark && *mark != 'w')
                b = number_end(t, a, b);
            if (mark && *mark != 'w' &&
                (!bg_number_parse(t + a, b - a, &num) ||
                 (*mark == 'c' && longest_word(s, t, a, len) > b))) {
                /* not a number after all (一二三), or part of a longer
                 * word (十五大): the lattice decides */
                at = nx;
                continue;
            }
            if (add_fixed(s, a, b,
                          mark && *mark == 'w' ? BG_TOK_WORD : BG_TOK_NUMBER))
                return BG_ENOMEM;
            size_t last = b - 1;
            while (last > a && ((unsigned char)t[last] & 0xC0) == 0x80)
                last--;
            cp = bg_utf8_next(t, last, &nx);
            prev = cp < 0x10000 ? s->numclass[cp] : 0;
            at = b;
        }
        if (s->nfixed > nuser)
            qsort(s->fixed, s->nfixed, sizeof *s->fixed, span_cmp);
    }
    return 0;
}

/* A word, or a number when bg_number_parse reads t[a, b) as one. */
static bg_token_kind kind_of(const char *t, size_t a, size_t b)
{
    size_t nx;
    bg_number num;
    if (bg_number_lead(bg_utf8_next(t, a, &nx)) &&
        bg_number_parse(t + a, b - a, &num))
        return BG_TOK_NUMBER;
    return BG_TOK_WORD;
}

static int grow_region(bg_segmenter *s, size_t n)
{
    if (n <= s->regcap)
        return 0;
    size_t cap = s->regcap ? s->regcap : 256;
    while (cap < n)
        cap *= 2;
    size_t *b = realloc(s->bounds, cap * sizeof *b);
    if (!b)
        return BG_ENOMEM;
    s->bounds = b;
    double *r = realloc(s->route, cap * sizeof *r);
    if (!r)
        return BG_ENOMEM;
    s->route = r;
    uint32_t *nx = realloc(s->next, cap * sizeof *nx);
    if (!nx)
        return BG_ENOMEM;
    s->next = nx;
    unsigned char *k = realloc(s->atom_kind, cap);
    if (!k)
        return BG_ENOMEM;
    s->atom_kind = k;
    unsigned char *c = realloc(s->coarse_pick, cap);
    if (!c)
        return BG_ENOMEM;
    s->coarse_pick = c;
    size_t *pe = realloc(s->part_end, cap * sizeof *pe);
    if (!pe)
        return BG_ENOMEM;
    s->part_end = pe;
    s->regcap = cap;
    return 0;
}

/* Best path through atoms [k0, m) of the current region (bounds[k0..m])
 * by unigram log-probability into route[] and next[]: with fine, over fine
 * words only (coarse-only words skipped, ln of the fine total), else over
 * every word, noting in coarse_pick[k] whether the word from atom k is
 * coarse-only. */
static void best_path(bg_segmenter *s, const char *t, size_t k0, size_t m,
                      int fine)
{
    size_t *b = s->bounds;
    double lt = fine ? s->logtotal_fine : s->logtotal;
    s->route[m] = 0;
    for (size_t k = m; k-- > k0;) {
        /* an atom no dictionary lists counts with frequency 1 (jieba) */
        double best = -lt - SINGLE_TIE + s->route[k + 1];
        size_t nxt = k + 1;
        uint32_t pick = 0;
        if (s->have_main) {
            uint32_t node = 0;
            size_t j = k + 1;
            for (size_t p = b[k]; node != BG_TRIE_LEAF && p < b[m];) {
                size_t pn;
                bg_edge e =
                    bg_trie_edge(&s->main, node, bg_utf8_next(t, p, &pn));
                if (!e.child)
                    break;
                /* a leaf ends the walk without probing for its children */
                node = e.child & BG_TRIE_LEAF ? BG_TRIE_LEAF : e.child;
                p = pn;
                while (j < m && b[j] < p)
                    j++;
                if (b[j] != p || e.w == BG_TRIE_NOWORD)
                    continue;
                uint32_t child = e.child & ~BG_TRIE_LEAF;
                if (fine && bg_trie_coarse_only(&s->main, child))
                    continue;
                double sc = e.w - lt + s->route[j];
                if (sc > best + 1e-9 || (sc > best - 1e-9 && j > nxt)) {
                    best = sc;
                    nxt = j;
                    pick = child;
                }
            }
        }
        s->route[k] = best;
        s->next[k] = (uint32_t)nxt;
        if (!fine)
            s->coarse_pick[k] =
                (unsigned char)(pick && bg_trie_coarse_only(&s->main, pick));
    }
}

/* Best path through atoms [0, m) of the current region; then emits the
 * words, a coarse-only word with its fine parts: the fine best path over
 * its own atoms. */
static int lattice(bg_segmenter *s, const char *t, size_t m, bg_token_cb cb,
                   void *payload)
{
    size_t *b = s->bounds;
    best_path(s, t, 0, m, 0);
    /* Characters no dictionary lists, even alone, are out-of-vocabulary:
     * a run of two or more of them (typically a name) is one word. */
    for (size_t k = 0; k < m;) {
        size_t e = s->next[k];
        if (e == k + 1 && s->atom_kind[k] == ATOM_HAN && s->have_main &&
            !bg_trie_freq(&s->main, t + b[k], b[e] - b[k])) {
            size_t z = e;
            while (z < m && s->next[z] == z + 1 &&
                   s->atom_kind[z] == ATOM_HAN &&
                   !bg_trie_freq(&s->main, t + b[z], b[z + 1] - b[z]))
                z++;
            e = z;
        }
        bg_token tok = {b[k],
                        b[e],
                        e == k + 1 && s->atom_kind[k] != BG_TOK_WORD &&
                                s->atom_kind[k] != ATOM_HAN
                            ? (bg_token_kind)s->atom_kind[k]
                            : kind_of(t, b[k], b[e]),
                        1,
                        &tok.end,
                        t};
        if (s->coarse_pick[k]) {
            /* the path from k is not needed again: its arrays hold the
             * fine path through [k, e) */
            best_path(s, t, k, e, 1);
            tok.nparts = 0;
            for (size_t j = k; j < e; j = s->next[j])
                s->part_end[tok.nparts++] = b[s->next[j]];
            tok.part_end = s->part_end;
        }
        int rc = cb(&tok, payload);
        if (rc)
            return rc;
        k = e;
    }
    return 0;
}

typedef struct run_state {
    bg_segmenter *s;
    const char *t;
    size_t m; /* atoms collected in the current region */
    bg_token_cb cb;
    void *payload;
} run_state;

/* The caller's callback at the fine granularity: each part a token. */
typedef struct fine_state {
    bg_token_cb cb;
    void *payload;
} fine_state;

static int fine_cb(const bg_token *tok, void *payload)
{
    fine_state *f = payload;
    return bg_token_parts(tok, f->cb, f->payload);
}

static int add_atom(run_state *r, size_t a, size_t b, bg_token_kind kind)
{
    bg_segmenter *s = r->s;
    if (grow_region(s, r->m + 2))
        return BG_ENOMEM;
    if (r->m == 0)
        s->bounds[0] = a;
    s->atom_kind[r->m] = (unsigned char)kind;
    s->bounds[++r->m] = b;
    return 0;
}

static int flush(run_state *r)
{
    if (r->m == 0)
        return 0;
    int rc = lattice(r->s, r->t, r->m, r->cb, r->payload);
    r->m = 0;
    return rc;
}

static int emit(run_state *r, size_t a, size_t b, bg_token_kind kind)
{
    int rc = flush(r);
    if (rc)
        return rc;
    bg_token tok = {a, b, kind, 1, &tok.end, r->t};
    size_t parts[3];
    if (kind == BG_TOK_NUMBER && r->s->numre) {
        tok.nparts = bg_number_parts(r->t, a, b, parts);
        tok.part_end = parts;
    }
    return r->cb(&tok, r->payload);
}

/* A stretch without Han characters: ICU's tokens; words and numbers join
 * the lattice region as atoms, the rest is emitted. Stretches without
 * letters or digits skip ICU: each mark is a token (a repeated mark such
 * as …… or —— one token), white space runs one token. */
static int other_run(run_state *r, size_t a, size_t b, bg_err *err)
{
    const char *t = r->t;
    int alnum = 0;
    for (size_t i = a; i < b && !alnum;) {
        size_t nx;
        uint32_t cp = bg_utf8_next(t, i, &nx);
        alnum = u_isalnum((UChar32)cp) ||
                u_hasBinaryProperty((UChar32)cp, UCHAR_EMOJI);
        i = nx;
    }
    if (!alnum) {
        for (size_t i = a; i < b;) {
            size_t nx, e;
            uint32_t cp = bg_utf8_next(t, i, &nx);
            e = nx;
            int sp = u_isUWhiteSpace((UChar32)cp);
            /* runs of white space, of dots (… folds to "...") and of em
             * dashes (——) are one token; other marks one each */
            int group = sp || cp == '.' || cp == 0x2014;
            while (group && e < b) {
                size_t n2;
                uint32_t c2 = bg_utf8_next(t, e, &n2);
                if (sp ? !u_isUWhiteSpace((UChar32)c2) : c2 != cp)
                    break;
                e = n2;
            }
            /* marks stay in the lattice so that a dictionary word may span
             * them (80%, c#); white space ends it */
            int rc = sp ? emit(r, i, e, BG_TOK_OTHER)
                        : add_atom(r, i, e, BG_TOK_OTHER);
            if (rc)
                return rc;
            i = e;
        }
        return 0;
    }
    UErrorCode st = U_ZERO_ERROR;
    bg_segmenter *s = r->s;
    s->ut = utext_openUTF8(s->ut, t + a, (int64_t)(b - a), &st);
    if (U_SUCCESS(st))
        ubrk_setUText(s->bi, s->ut, &st);
    if (U_FAILURE(st))
        return bg_err_set(err, BG_EICU, "ubrk_setUText: %s", u_errorName(st));
    int32_t prev = ubrk_first(s->bi), next;
    while ((next = ubrk_next(s->bi)) != UBRK_DONE) {
        int32_t status = ubrk_getRuleStatus(s->bi);
        size_t x = a + (size_t)prev, y = a + (size_t)next;
        int rc;
        if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT)
            rc = add_atom(r, x, y, BG_TOK_NUMBER);
        else if (status >= UBRK_WORD_LETTER)
            rc = add_atom(r, x, y, BG_TOK_WORD);
        else if (is_space_at(t, x))
            rc = emit(r, x, y, BG_TOK_OTHER);
        else
            rc = add_atom(r, x, y, BG_TOK_OTHER);
        if (rc)
            return rc;
        prev = next;
    }
    return 0;
}

/* Segments t[a, b), which holds no fixed span. */
static int gap(run_state *r, size_t a, size_t b, bg_err *err)
{
    const char *t = r->t;
    for (size_t i = a; i < b;) {
        size_t nx;
        uint32_t cp = bg_utf8_next(t, i, &nx);
        if (bg_ideographic(cp)) {
            int rc = add_atom(r, i, nx, (bg_token_kind)ATOM_HAN);
            if (rc)
                return rc;
            i = nx;
            continue;
        }
        size_t e = nx;
        while (e < b) {
            size_t n2;
            if (bg_ideographic(bg_utf8_next(t, e, &n2)))
                break;
            e = n2;
        }
        int rc = other_run(r, i, e, err);
        if (rc)
            return rc;
        i = e;
    }
    return 0;
}

int bg_segment_run(bg_segmenter *s, const char *text, size_t len,
                   bg_token_cb cb, void *payload, bg_err *err)
{
    if (len >= INT32_MAX)
        return bg_err_set(err, BG_EINVAL,
                          "segment: text of %zu bytes exceeds ICU's 2 GiB",
                          len);
    if (find_fixed(s, text, len))
        return bg_err_set(err, BG_ENOMEM, "segment: out of memory");
    fine_state fs = {cb, payload};
    run_state r = {s, text, 0, cb, payload};
    if (s->granularity == BG_FINE) {
        r.cb = fine_cb;
        r.payload = &fs;
    }
    size_t at = 0;
    int rc = 0;
    for (size_t k = 0; k <= s->nfixed && rc == 0; k++) {
        size_t end = k < s->nfixed ? s->fixed[k].start : len;
        if (end > at)
            rc = gap(&r, at, end, err);
        if (rc == 0 && k < s->nfixed) {
            size_t fa = s->fixed[k].start, fb = s->fixed[k].end;
            rc =
                emit(&r, fa, fb,
                     s->fixed[k].kind == BG_TOK_NUMBER ? BG_TOK_NUMBER
                                                       : kind_of(text, fa, fb));
            at = fb;
        }
    }
    if (rc == 0)
        rc = flush(&r);
    if (rc == BG_ENOMEM)
        rc = bg_err_set(err, BG_ENOMEM, "segment: out of memory");
    return rc;
}

int bg_granularity_parse(const char *name, bg_granularity *out, bg_err *err)
{
    if (strcmp(name, "coarse") == 0)
        *out = BG_COARSE;
    else if (strcmp(name, "fine") == 0)
        *out = BG_FINE;
    else
        return bg_err_set(err, BG_EINVAL,
                          "granularity \"%s\": write coarse or fine", name);
    return 0;
}

/* 1 when t[a, b) holds a letter, digit or Han character. */
static int has_alnum(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b;) {
        size_t nx;
        if (u_isalnum((UChar32)bg_utf8_next(t, i, &nx)))
            return 1;
        i = nx;
    }
    return 0;
}

int bg_token_parts(const bg_token *tok, bg_token_cb cb, void *payload)
{
    if (tok->nparts == 1)
        return cb(tok, payload);
    size_t a = tok->start;
    for (size_t i = 0; i < tok->nparts; i++) {
        bg_token part = {a, tok->part_end[i], tok->kind,
                         1, &part.end,        tok->text};
        if (tok->kind == BG_TOK_NUMBER && !has_alnum(tok->text, a, part.end))
            part.kind = BG_TOK_OTHER;
        int rc = cb(&part, payload);
        if (rc)
            return rc;
        a = part.end;
    }
    return 0;
}

int bg_token_term(const bg_token *tok, const char *sep, bg_buf *out)
{
    const char *text = tok->text;
    size_t seplen = strlen(sep), a = tok->start;
    for (size_t i = 0; i < tok->nparts; i++) {
        size_t e = tok->part_end[i];
        if (i && bg_buf_add(out, sep, seplen))
            return BG_ENOMEM;
        for (size_t j = a; j < e;) {
            size_t nx;
            uint32_t cp = bg_utf8_next(text, j, &nx);
            int rc = u_isUWhiteSpace((UChar32)cp)
                         ? bg_buf_add(out, "\xC2\xA0", 2)
                         : bg_buf_add(out, text + j, nx - j);
            if (rc)
                return BG_ENOMEM;
            j = nx;
        }
        a = e;
    }
    return 0;
}
