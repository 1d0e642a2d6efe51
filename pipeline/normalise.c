/*
 * normalise.c - analysis form with an exact offset map back to the original.
 *
 * Offsets: byte offsets. Threading: one thread per bg_normaliser.
 */
#include "normalise.h"

#include "repair.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

/* A pinyin reading inserted after a character: a parenthesised lower-case
 * syllable with at least one tone-marked vowel, so that ordinary
 * parentheses (`(试行)`, `(a)`, `(COVID-19)`) are never touched. Where
 * mojibake swallowed the opening parenthesis (`們?cè)诨`), the reading
 * follows a literal `?`. */
static const char PINYIN_PATTERN[] =
    "(?:[(（]|(?<=\\?))[a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]"
    "[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{0,6}[)）]";

/* A word of ICU's Traditional-Simplified rules in which a character maps
 * otherwise than alone: key as it may be written, out its Simplified form
 * (one character for one). */
#define T2S_MAX 5
typedef struct t2s_word {
    uint32_t key[T2S_MAX], out[T2S_MAX];
    uint8_t len;
} t2s_word;

/* One cached folding: pool[off, off + len) is the analysis form of one code
 * point. */
typedef struct fold_entry {
    uint32_t off;
    uint8_t len;
    uint8_t known;
    uint8_t combining;    /* canonical combining class > 0 */
    uint8_t pictographic; /* Extended_Pictographic (UTS #51): an emoji */
} fold_entry;

#define BLOCK_BITS 8
#define NBLOCKS (0x110000 >> BLOCK_BITS)

struct bg_normaliser {
    const UNormalizer2 *nfkc_cf;
    UTransliterator *t2s;
    pcre2_code *pinyin;
    pcre2_match_data *md;
    fold_entry *blocks[NBLOCKS];  /* analysis form of each code point */
    fold_entry *sblocks[NBLOCKS]; /* Traditional-Simplified only */
    bg_buf pool;
    /* BMP characters that ICU's Traditional-Simplified rules convert
     * differently inside some longer word than alone (著 in 著名) */
    unsigned char sensitive[0x10000 / 8];
    t2s_word *words; /* sorted by key */
    size_t nwords;
};

void bg_normalise_close(bg_normaliser *n)
{
    if (!n)
        return;
    if (n->t2s)
        utrans_close(n->t2s);
    pcre2_match_data_free(n->md);
    pcre2_code_free(n->pinyin);
    for (size_t i = 0; i < NBLOCKS; i++) {
        free(n->blocks[i]);
        free(n->sblocks[i]);
    }
    bg_buf_free(&n->pool);
    free(n->words);
    free(n);
}

static int word_cmp(const void *a, const void *b)
{
    const t2s_word *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    for (size_t i = 0; i < n; i++)
        if (x->key[i] != y->key[i])
            return x->key[i] < y->key[i] ? -1 : 1;
    return (x->len > y->len) - (x->len < y->len);
}

/* Reads the transliterator's own rules ("LHS > RHS;" a line, as
 * utrans_toRules gives them) for the words in which a character is mapped
 * otherwise than alone (著名 > 著名 against 著 > 着): those characters are
 * marked in n->sensitive and the words kept in n->words, each under its
 * Traditional form and under its Simplified form with the sensitive
 * characters as written (显著), since Simplified text still holds them.
 * Lines of another shape are left out (their characters keep the mapping
 * alone). Returns 0, BG_EICU or BG_ENOMEM. */
static int find_sensitive(bg_normaliser *n, bg_err *err)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t ulen = utrans_toRules(n->t2s, 0, NULL, 0, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return bg_err_set(err, BG_EICU, "utrans_toRules: %s", u_errorName(st));
    UChar *u = malloc(((size_t)ulen + 1) * sizeof *u);
    /* single-character rules: the mapping of each BMP character alone */
    uint16_t *alone = calloc(0x10000, sizeof *alone);
    size_t cap = 0;
    int rc = 0;
    if (!u || !alone) {
        rc = bg_err_set(err, BG_ENOMEM, "normaliser: out of memory");
        goto cleanup;
    }
    st = U_ZERO_ERROR;
    utrans_toRules(n->t2s, 0, u, ulen + 1, &st);
    if (U_FAILURE(st)) {
        rc = bg_err_set(err, BG_EICU, "utrans_toRules: %s", u_errorName(st));
        goto cleanup;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (int32_t i = 0; i < ulen;) {
            int32_t e = i;
            while (e < ulen && u[e] != '\n')
                e++;
            /* one line u[i, e): "LHS > RHS;" of BMP Han characters */
            UChar lhs[T2S_MAX], rhs[T2S_MAX];
            int nl = 0, nr = 0, side = 0, ok = 1;
            for (int32_t k = i; k < e && ok; k++) {
                UChar c = u[k];
                if (c == ' ' || c == ';')
                    continue;
                if (c == '>')
                    side++;
                else if (!bg_han_block(c) || side > 1 ||
                         (side ? nr : nl) == T2S_MAX)
                    ok = 0;
                else if (side == 0)
                    lhs[nl++] = c;
                else
                    rhs[nr++] = c;
            }
            i = e + 1;
            if (!ok || side != 1 || nl == 0 || nl != nr)
                continue;
            if (pass == 0) {
                if (nl == 1)
                    alone[lhs[0]] = rhs[0];
                continue;
            }
            /* the word under its own (Traditional) form, unless that form
             * is already plain Simplified text (ICU rewrites some Simplified
             * words: 凑份子 stays as written); and, when the rule keeps its
             * sensitive characters as they are (著名, 显著), under its
             * Simplified form too, which then maps to itself */
            t2s_word w[2] = {{{0}, {0}, (uint8_t)nl}, {{0}, {0}, (uint8_t)nl}};
            int sens = 0, keeps = 1, lhs_plain = 1;
            for (int k = 0; k < nl; k++) {
                UChar a = alone[lhs[k]] ? alone[lhs[k]] : lhs[k];
                int sk = a != rhs[k];
                sens |= sk;
                keeps &= !sk || lhs[k] == rhs[k];
                lhs_plain &= a == lhs[k];
                w[0].key[k] = lhs[k];
                w[1].key[k] = rhs[k];
                w[0].out[k] = w[1].out[k] = rhs[k];
            }
            if (!sens || nl < 2)
                continue;
            int use[2] = {!lhs_plain, keeps};
            for (int k = 0; k < nl; k++) {
                UChar a = alone[lhs[k]] ? alone[lhs[k]] : lhs[k];
                if (a != rhs[k] && (use[0] || use[1]))
                    n->sensitive[lhs[k] >> 3] |=
                        (unsigned char)(1u << (lhs[k] & 7));
            }
            for (int k = 0; k < 2; k++) {
                if (!use[k] ||
                    (k == 1 && use[0] && word_cmp(&w[0], &w[1]) == 0))
                    continue;
                if (BG_RESERVE(n->words, cap, n->nwords + 1)) {
                    rc =
                        bg_err_set(err, BG_ENOMEM, "normaliser: out of memory");
                    goto cleanup;
                }
                n->words[n->nwords++] = w[k];
            }
        }
    }
    if (n->nwords)
        qsort(n->words, n->nwords, sizeof *n->words, word_cmp);
cleanup:
    free(u);
    free(alone);
    return rc;
}

/* The Simplified form of the sensitive character at s[i] when a word of
 * the rules (n->words) covers it, the longest first; 0 when none does
 * (then the mapping alone stands). s[0, len) is valid UTF-8. */
static uint32_t in_context(const bg_normaliser *n, const char *s, size_t len,
                           size_t i)
{
    uint32_t win[2 * T2S_MAX - 1];
    size_t at = 0, nw = 0, a = i;
    /* up to T2S_MAX - 1 Han characters before i, i, and after it */
    for (size_t k = 0; k + 1 < T2S_MAX && a > 0; k++) {
        size_t b = bg_utf8_back(s, a, 1), nx;
        if (!bg_han_block(bg_utf8_next(s, b, &nx)))
            break;
        a = b;
    }
    for (size_t k = a; k < len && nw < 2 * T2S_MAX - 1;) {
        size_t nx;
        uint32_t c = bg_utf8_next(s, k, &nx);
        if (!bg_han_block(c) || (k > i && nw >= at + T2S_MAX))
            break;
        if (k == i)
            at = nw;
        win[nw++] = c;
        k = nx;
    }
    for (size_t l = T2S_MAX; l >= 2; l--)
        for (size_t off = 0; off < l; off++) {
            if (off > at || at - off + l > nw)
                continue;
            t2s_word key = {{0}, {0}, (uint8_t)l};
            for (size_t k = 0; k < l; k++)
                key.key[k] = win[at - off + k];
            const t2s_word *w =
                bsearch(&key, n->words, n->nwords, sizeof key, word_cmp);
            if (w)
                return w->out[off];
        }
    return 0;
}

/* The Simplified form of the character cp at s[i] as its word of the
 * rules gives it, in out (UTF-8): its length, or 0 when cp is not mapped
 * by word or no word covers it (then the mapping alone stands). */
static size_t word_form(const bg_normaliser *n, const char *s, size_t len,
                        size_t i, uint32_t cp, char out[4])
{
    uint32_t c;
    if (cp >= 0x10000 || !(n->sensitive[cp >> 3] >> (cp & 7) & 1) ||
        !(c = in_context(n, s, len, i)))
        return 0;
    return bg_utf8_put(c, out);
}

int bg_normalise_open(bg_normaliser **out, bg_err *err)
{
    UErrorCode st = U_ZERO_ERROR;
    int rc = 0, pe;
    PCRE2_SIZE eoff;
    bg_normaliser *n = calloc(1, sizeof *n);
    *out = NULL;
    if (!n)
        return bg_err_set(err, BG_ENOMEM, "normaliser: out of memory");
    n->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st)) {
        rc = bg_err_set(err, BG_EICU, "unorm2_getNFKCCasefoldInstance: %s",
                        u_errorName(st));
        goto cleanup;
    }
    UChar id[] = u"Traditional-Simplified";
    n->t2s = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st)) {
        rc =
            bg_err_set(err, BG_EICU, "utrans_openU(Traditional-Simplified): %s",
                       u_errorName(st));
        goto cleanup;
    }
    if ((rc = find_sensitive(n, err)))
        goto cleanup;
    n->pinyin = pcre2_compile((PCRE2_SPTR)PINYIN_PATTERN, PCRE2_ZERO_TERMINATED,
                              PCRE2_UTF | PCRE2_UCP, &pe, &eoff, NULL);
    if (!n->pinyin) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(pe, msg, sizeof msg);
        rc = bg_err_set(err, BG_EPCRE, "pinyin pattern, offset %zu: %s",
                        (size_t)eoff, (char *)msg);
        goto cleanup;
    }
    (void)pcre2_jit_compile(n->pinyin, PCRE2_JIT_COMPLETE); /* else interpret */
    n->md = pcre2_match_data_create_from_pattern(n->pinyin, NULL);
    if (!n->md) {
        rc = bg_err_set(err, BG_ENOMEM, "normaliser: out of memory");
        goto cleanup;
    }
    *out = n;
    n = NULL;
cleanup:
    bg_normalise_close(n);
    return rc;
}

/* NFKC_Casefold then Traditional-Simplified over u[0, ulen), appended to b
 * as UTF-8. */
static int fold_uchars(bg_normaliser *n, const UChar *u, int32_t ulen,
                       bg_buf *b, bg_err *err)
{
    UChar tmp[64], *norm = tmp;
    UErrorCode st = U_ZERO_ERROR;
    int32_t cap = (int32_t)(sizeof tmp / sizeof *tmp);
    int32_t nlen = unorm2_normalize(n->nfkc_cf, u, ulen, norm, cap, &st);
    int rc = 0;
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        cap = nlen * 2 + 16;
        norm = malloc((size_t)cap * sizeof *norm);
        if (!norm)
            return bg_err_set(err, BG_ENOMEM, "normalise: out of memory");
        st = U_ZERO_ERROR;
        nlen = unorm2_normalize(n->nfkc_cf, u, ulen, norm, cap, &st);
    }
    if (U_FAILURE(st)) {
        rc = bg_err_set(err, BG_EICU, "unorm2_normalize: %s", u_errorName(st));
        goto cleanup;
    }
    if (nlen > 0) {
        /* the transliterator works in place; leave it room to grow */
        if (nlen * 2 + 8 > cap) {
            UChar *p = malloc((size_t)(nlen * 2 + 8) * sizeof *p);
            if (!p) {
                rc = bg_err_set(err, BG_ENOMEM, "normalise: out of memory");
                goto cleanup;
            }
            memcpy(p, norm, (size_t)nlen * sizeof *p);
            if (norm != tmp)
                free(norm);
            norm = p;
            cap = nlen * 2 + 8;
        }
        int32_t limit = nlen;
        utrans_transUChars(n->t2s, norm, &nlen, cap, 0, &limit, &st);
        if (U_FAILURE(st)) {
            rc = bg_err_set(err, BG_EICU, "utrans_transUChars: %s",
                            u_errorName(st));
            goto cleanup;
        }
        int32_t need = 0;
        st = U_ZERO_ERROR;
        u_strToUTF8(NULL, 0, &need, norm, nlen, &st);
        if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st)) {
            rc = bg_err_set(err, BG_EICU, "u_strToUTF8: %s", u_errorName(st));
            goto cleanup;
        }
        if (bg_buf_reserve(b, (size_t)need + 1)) {
            rc = bg_err_set(err, BG_ENOMEM, "normalise: out of memory");
            goto cleanup;
        }
        st = U_ZERO_ERROR;
        u_strToUTF8(b->data + b->len, (int32_t)(b->cap - b->len), NULL, norm,
                    nlen, &st);
        if (U_FAILURE(st)) {
            rc = bg_err_set(err, BG_EICU, "u_strToUTF8: %s", u_errorName(st));
            goto cleanup;
        }
        b->len += (size_t)need;
        b->data[b->len] = '\0';
    }
cleanup:
    if (norm != tmp)
        free(norm);
    return rc;
}

/* The cached analysis form of one code point: *p, *plen (plen 0: removed).
 * p points into the pool and is valid until the next call. */
/* The cache entry of cp in blocks (its block allocated on first use);
 * NULL when out of memory. */
static fold_entry *cache_slot(fold_entry **blocks, uint32_t cp)
{
    fold_entry **blk = &blocks[cp >> BLOCK_BITS];
    if (!*blk && !(*blk = calloc(1u << BLOCK_BITS, sizeof **blk)))
        return NULL;
    return &(*blk)[cp & ((1u << BLOCK_BITS) - 1)];
}

static int fold_cp(bg_normaliser *n, uint32_t cp, const char **p, size_t *plen,
                   bg_err *err)
{
    fold_entry *e = cache_slot(n->blocks, cp);
    if (!e)
        return bg_err_set(err, BG_ENOMEM, "normalise: out of memory");
    if (!e->known) {
        UChar u[2];
        int32_t ulen = 0;
        UBool bad = 0;
        U16_APPEND(u, ulen, 2, cp, bad);
        (void)bad;
        size_t before = n->pool.len;
        int rc = fold_uchars(n, u, ulen, &n->pool, err);
        if (rc)
            return rc;
        if (n->pool.len - before > 255) /* never for one code point */
            n->pool.len = before;
        e->off = (uint32_t)before;
        e->len = (uint8_t)(n->pool.len - before);
        e->combining = unorm2_getCombiningClass(n->nfkc_cf, (UChar32)cp) > 0;
        e->pictographic =
            u_hasBinaryProperty((UChar32)cp, UCHAR_EXTENDED_PICTOGRAPHIC) != 0;
        e->known = 1;
    }
    *p = n->pool.data ? n->pool.data + e->off : "";
    *plen = e->len;
    return 0;
}

/* The end of the emoji sequence whose first emoji ends at s[i] (stop:
 * where the next pinyin cut starts): after VS16, skin-tone modifiers, tag
 * characters, and ZWJ + emoji; i when none follows. */
static size_t emoji_end(const char *s, size_t len, size_t i, size_t stop)
{
    size_t e = i, k = i;
    while (k < len && k < stop && k - i < 64) {
        size_t nn;
        uint32_t c = bg_utf8_next(s, k, &nn);
        if (c == 0xFE0F || (c >= 0x1F3FB && c <= 0x1F3FF) ||
            (c >= 0xE0020 && c <= 0xE007F)) {
            k = e = nn;
            continue;
        }
        if (c == 0x200D && nn < len && nn < stop) {
            size_t n2;
            uint32_t d = bg_utf8_next(s, nn, &n2);
            if (u_hasBinaryProperty((UChar32)d, UCHAR_EXTENDED_PICTOGRAPHIC)) {
                k = e = n2;
                continue;
            }
        }
        break;
    }
    return e;
}

/* Whether cp has a canonical combining class > 0 (cached with its
 * folding; a failure to fill the cache reads as "no"). */
static int is_combining(bg_normaliser *n, uint32_t cp)
{
    const char *p;
    size_t len;
    if (fold_cp(n, cp, &p, &len, NULL))
        return 0;
    return n->blocks[cp >> BLOCK_BITS][cp & ((1u << BLOCK_BITS) - 1)].combining;
}

/* Whether cp is Extended_Pictographic (cached with its folding: every
 * Chinese character is asked; ICU asked when the cache cannot be
 * filled). */
static int is_pictographic(bg_normaliser *n, uint32_t cp)
{
    const char *p;
    size_t len;
    if (fold_cp(n, cp, &p, &len, NULL))
        return u_hasBinaryProperty((UChar32)cp, UCHAR_EXTENDED_PICTOGRAPHIC);
    return n->blocks[cp >> BLOCK_BITS][cp & ((1u << BLOCK_BITS) - 1)]
        .pictographic;
}

void bg_text_free(bg_text *t)
{
    if (!t)
        return;
    free(t->analysis);
    free(t->orig_start);
    free(t->orig_end);
    free(t->cuts);
    free(t->with);
    memset(t, 0, sizeof *t);
}

typedef struct builder {
    bg_buf a;
    size_t *os, *oe;
    size_t mapcap;
    bg_cut *cuts;
    size_t *woff; /* per cut: offset of its replacement in with */
    size_t ncuts, cutcap;
    bg_buf with;
} builder;

static int emit(builder *bd, const char *p, size_t len, size_t os, size_t oe)
{
    if (bg_buf_add(&bd->a, p, len))
        return BG_ENOMEM;
    if (bd->a.len > bd->mapcap) {
        size_t cap = bd->mapcap ? bd->mapcap : 256;
        while (cap < bd->a.len)
            cap *= 2;
        size_t *s = realloc(bd->os, cap * sizeof *s);
        if (!s)
            return BG_ENOMEM;
        bd->os = s;
        size_t *e = realloc(bd->oe, cap * sizeof *e);
        if (!e)
            return BG_ENOMEM;
        bd->oe = e;
        bd->mapcap = cap;
    }
    for (size_t i = bd->a.len - len; i < bd->a.len; i++) {
        bd->os[i] = os;
        bd->oe[i] = oe;
    }
    return 0;
}

/* Adds a cut; with[0, wlen) is its replacement (wlen 0: none). Adjacent
 * debris cuts of one kind merge; repairs never do. */
static int add_cut_with(builder *bd, size_t start, size_t end, bg_cut_kind kind,
                        const char *with, size_t wlen)
{
    if (bd->ncuts && kind <= BG_CUT_IGNORABLE &&
        bd->cuts[bd->ncuts - 1].end == start &&
        bd->cuts[bd->ncuts - 1].kind == kind) {
        bd->cuts[bd->ncuts - 1].end = end;
        return 0;
    }
    if (bd->ncuts == bd->cutcap) {
        size_t cap = bd->cutcap ? 2 * bd->cutcap : 16;
        bg_cut *c = realloc(bd->cuts, cap * sizeof *c);
        if (!c)
            return BG_ENOMEM;
        bd->cuts = c;
        size_t *w = realloc(bd->woff, cap * sizeof *w);
        if (!w)
            return BG_ENOMEM;
        bd->woff = w;
        bd->cutcap = cap;
    }
    bd->woff[bd->ncuts] = bd->with.len;
    if (wlen && bg_buf_add(&bd->with, with, wlen))
        return BG_ENOMEM;
    bd->cuts[bd->ncuts++] = (bg_cut){start, end, kind, NULL, wlen};
    return 0;
}

static int add_cut(builder *bd, size_t start, size_t end, bg_cut_kind kind)
{
    return add_cut_with(bd, start, end, kind, NULL, 0);
}

/* Applies repair x: a cut of its kind, and the analysis form of its
 * replacement, every byte mapped to the whole repaired range. */
static int apply_repair(bg_normaliser *n, builder *bd, const bg_repairs *rp,
                        const bg_repair *x, bg_err *err)
{
    const char *w = rp->with.data ? rp->with.data + x->with_off : NULL;
    bg_cut_kind kind = (bg_cut_kind)(BG_CUT_WRAP + (x->kind - BG_REPAIR_WRAP));
    if (add_cut_with(bd, x->start, x->end, kind, w, x->with_len))
        return bg_err_set(err, BG_ENOMEM, "normalise: out of memory");
    for (size_t k = 0; k < x->with_len;) {
        size_t nx, plen;
        const char *p;
        uint32_t cp = bg_utf8_next(w, k, &nx);
        int rc = fold_cp(n, cp, &p, &plen, err);
        if (rc)
            return rc;
        if (plen && emit(bd, p, plen, x->start, x->end))
            return bg_err_set(err, BG_ENOMEM, "normalise: out of memory");
        k = nx;
    }
    return 0;
}

/* Start and end of the next pinyin reading at or after from, or len. */
static void next_pinyin(bg_normaliser *n, const char *s, size_t len,
                        size_t from, size_t *ps, size_t *pe)
{
    *ps = *pe = len;
    if (from >= len)
        return;
    int r = pcre2_match(n->pinyin, (PCRE2_SPTR)s, len, from, PCRE2_NO_UTF_CHECK,
                        n->md, NULL);
    if (r > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(n->md);
        *ps = ov[0];
        *pe = ov[1];
    }
}

/* Folds the character at s[i] (valid UTF-8), with the combining marks
 * that follow it up to ps (where a pinyin reading starts), into the
 * builder, or cuts it when it folds to nothing; *next is the byte after
 * it. Returns 0, BG_ENOMEM or BG_EICU (err filled). */
static int fold_at(bg_normaliser *n, builder *bd, const char *s, size_t len,
                   size_t base, size_t i, size_t ps, size_t *next, bg_err *err)
{
    int rc = 0;
    size_t nx, ce;
    uint32_t cp = bg_utf8_next(s, i, &nx);
    /* extend over combining marks (canonical combining class > 0), which
     * compose with this character; ignorables such as U+200B stay
     * separate so that they are cut */
    ce = nx;
    while (ce < len && ce < ps && ce - i < 48 && (unsigned char)s[ce] >= 0xCC) {
        size_t nn;
        uint32_t c2 = bg_utf8_next(s, ce, &nn);
        if (c2 < 0x300 || !is_combining(n, c2))
            break;
        ce = nn;
    }
    /* an emoji sequence (UTS #51: an emoji, then modifiers, VS16, tag
     * characters, or ZWJ and another emoji, 👨‍👩‍👧) is one
     * character: kept as written, ZWJs and all, so that the word break
     * keeps it whole and no cut removes its ZWJs from the display form */
    size_t ee = cp >= 0x2000 && ce == nx && is_pictographic(n, cp)
                    ? emoji_end(s, len, nx, ps)
                    : nx;
    if (ee > nx) {
        *next = ee;
        if (emit(bd, s + i, ee - i, base + i, base + ee))
            return bg_err_set(err, BG_ENOMEM, "normalise: out of memory");
        return 0;
    }
    const char *p = NULL;
    size_t plen = 0;
    bg_buf tmp = {0};
    char ctx[4];
    if (ce == nx && (plen = word_form(n, s, len, i, cp, ctx))) {
        p = ctx; /* 著 in 著名 stays 著 */
    } else if (ce == nx) {
        rc = fold_cp(n, cp, &p, &plen, err);
    } else {
        UChar u[64];
        int32_t ulen = 0;
        UErrorCode st = U_ZERO_ERROR;
        u_strFromUTF8(u, 64, &ulen, s + i, (int32_t)(ce - i), &st);
        rc = U_FAILURE(st) ? bg_err_set(err, BG_EICU, "u_strFromUTF8: %s",
                                        u_errorName(st))
                           : fold_uchars(n, u, ulen, &tmp, err);
        p = tmp.data;
        plen = tmp.len;
    }
    if (rc == 0)
        rc = plen == 0 ? add_cut(bd, base + i, base + ce, BG_CUT_IGNORABLE)
                       : emit(bd, p, plen, base + i, base + ce);
    bg_buf_free(&tmp);
    if (rc == BG_ENOMEM)
        return bg_err_set(err, BG_ENOMEM, "normalise: out of memory");
    *next = ce;
    return rc;
}

int bg_normalise_run(bg_normaliser *n, const char *s, size_t len, size_t base,
                     const bg_repairs *rp, bg_text *out, bg_err *err)
{
    builder bd = {0};
    static const bg_repairs none = {0};
    int rc = 0;
    size_t ps, pe, npinyin = 0, r = 0, nr;
    memset(out, 0, sizeof *out);
    /* every step below reads UTF-8 sequences whole: a query, a stopword
     * list or a crafted database may hand in anything */
    size_t ok = bg_utf8_valid_prefix(s, len);
    if (ok != len)
        return bg_err_set(err, BG_EUTF8, "byte %zu: not valid UTF-8", ok);
    if (!rp)
        rp = &none;
    /* the repairs of this text: those within [base, base + len) */
    while (r < rp->n && rp->v[r].start < base)
        r++;
    for (nr = r; nr < rp->n && rp->v[nr].end <= base + len;)
        nr++;
    next_pinyin(n, s, len, 0, &ps, &pe);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        while (r < nr && rp->v[r].start < base + i)
            r++; /* overlapped by a pinyin reading */
        if (r < nr && rp->v[r].start == base + i) {
            if ((rc = apply_repair(n, &bd, rp, &rp->v[r], err)))
                goto cleanup;
            i = rp->v[r++].end - base;
            if (ps < i)
                next_pinyin(n, s, len, i, &ps, &pe);
            continue;
        }
        if (i == ps) {
            if ((rc = add_cut(&bd, base + ps, base + pe, BG_CUT_PINYIN)))
                goto oom;
            npinyin++;
            i = pe;
            next_pinyin(n, s, len, i, &ps, &pe);
            continue;
        }
        if (c == '\r') {
            if (i + 1 < len && s[i + 1] == '\n') {
                if ((rc = add_cut(&bd, base + i, base + i + 1, BG_CUT_CR)))
                    goto oom;
            } else if ((rc = emit(&bd, "\n", 1, base + i, base + i + 1)))
                goto oom;
            i++;
            continue;
        }
        if (c == 0) { /* a NUL is no text (ingest warns of it) */
            if ((rc = add_cut(&bd, base + i, base + i + 1, BG_CUT_IGNORABLE)))
                goto oom;
            i++;
            continue;
        }
        if (c < 0x80) {
            char lc = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            if ((rc = emit(&bd, &lc, 1, base + i, base + i + 1)))
                goto oom;
            i++;
            continue;
        }
        size_t ce = len;
        if ((rc = fold_at(n, &bd, s, len, base, i, ps, &ce, err)))
            goto cleanup;
        i = ce;
    }
    if (!bd.a.data && bg_buf_reserve(&bd.a, 0)) {
        rc = BG_ENOMEM;
        goto oom;
    }
    out->analysis = bd.a.data;
    out->len = bd.a.len;
    out->orig_start = bd.os;
    out->orig_end = bd.oe;
    out->cuts = bd.cuts;
    out->ncuts = bd.ncuts;
    out->npinyin = npinyin;
    out->with = bd.with.data;
    for (size_t k = 0; k < bd.ncuts; k++) {
        bg_cut *ct = &bd.cuts[k];
        ct->with = ct->with_len ? bd.with.data + bd.woff[k] : NULL;
        out->nrepairs += ct->kind >= BG_CUT_WRAP;
    }
    free(bd.woff);
    return 0;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "normalise: out of memory");
cleanup:
    bg_buf_free(&bd.a);
    free(bd.os);
    free(bd.oe);
    free(bd.cuts);
    free(bd.woff);
    bg_buf_free(&bd.with);
    return rc;
}

int bg_text_display(const bg_text *t, const char *src, size_t base,
                    size_t start, size_t end, bg_buf *b)
{
    /* first cut ending after start */
    size_t lo = 0, hi = t->ncuts;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->cuts[mid].end <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t at = start;
    for (size_t k = lo; k < t->ncuts && t->cuts[k].start < end; k++) {
        size_t cs = t->cuts[k].start < at ? at : t->cuts[k].start;
        if (cs > at && bg_buf_add(b, src + (at - base), cs - at))
            return BG_ENOMEM;
        if (t->cuts[k].with_len && t->cuts[k].start >= start &&
            t->cuts[k].end <= end &&
            bg_buf_add(b, t->cuts[k].with, t->cuts[k].with_len))
            return BG_ENOMEM;
        at = t->cuts[k].end < end ? t->cuts[k].end : end;
    }
    if (end > at && bg_buf_add(b, src + (at - base), end - at))
        return BG_ENOMEM;
    if (!b->data && bg_buf_reserve(b, 0))
        return BG_ENOMEM;
    return 0;
}

int bg_normalise_string(bg_normaliser *n, const char *s, size_t len, char **out,
                        bg_err *err)
{
    bg_text t;
    *out = NULL;
    int rc = bg_normalise_run(n, s, len, 0, NULL, &t, err);
    if (rc == 0) {
        *out = t.analysis;
        t.analysis = NULL;
    }
    bg_text_free(&t);
    return rc;
}

/* The Simplified form of one code point (ICU's Traditional-Simplified,
 * cached like fold_cp: the transliterator costs microseconds a call). */
static int simplify_cp(bg_normaliser *n, uint32_t cp, const char **p,
                       size_t *plen, bg_err *err)
{
    fold_entry *e = cache_slot(n->sblocks, cp);
    if (!e)
        return bg_err_set(err, BG_ENOMEM, "simplify: out of memory");
    if (!e->known) {
        UChar u[16];
        int32_t ulen = 0, limit;
        UBool bad = 0;
        UErrorCode st = U_ZERO_ERROR;
        U16_APPEND(u, ulen, 2, cp, bad);
        (void)bad;
        limit = ulen;
        utrans_transUChars(n->t2s, u, &ulen, 16, 0, &limit, &st);
        int32_t need = 0;
        if (U_SUCCESS(st))
            u_strToUTF8(NULL, 0, &need, u, ulen, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR)
            st = U_ZERO_ERROR;
        if (U_FAILURE(st))
            return bg_err_set(err, BG_EICU, "simplify: %s", u_errorName(st));
        if (need > 255 || bg_buf_reserve(&n->pool, (size_t)need + 1))
            return bg_err_set(err, BG_ENOMEM, "simplify: out of memory");
        u_strToUTF8(n->pool.data + n->pool.len, need + 1, NULL, u, ulen, &st);
        e->off = (uint32_t)n->pool.len;
        e->len = (uint8_t)need;
        e->known = 1;
        n->pool.len += (size_t)need;
    }
    *p = n->pool.data + e->off;
    *plen = e->len;
    return 0;
}

int bg_normalise_simplify(bg_normaliser *n, const char *s, size_t len,
                          bg_buf *b, bg_err *err)
{
    for (size_t i = 0; i < len;) {
        size_t next;
        uint32_t cp = bg_utf8_next(s, i, &next);
        const char *p = NULL;
        size_t plen = 0;
        char ctx[4];
        int rc = 0;
        if ((plen = word_form(n, s, len, i, cp, ctx)))
            p = ctx;
        else
            rc = simplify_cp(n, cp, &p, &plen, err);
        if (rc)
            return rc;
        if (bg_buf_add(b, p, plen))
            return bg_err_set(err, BG_ENOMEM, "simplify: out of memory");
        i = next > i ? next : i + 1;
    }
    return bg_buf_reserve(b, 1)
               ? bg_err_set(err, BG_ENOMEM, "simplify: out of memory")
               : (b->data[b->len] = '\0', 0);
}
