/*
 * ingest_repair.c - finding the damage a text carries: hard-wrapped lines,
 * page-number debris, a lead phrase written twice, HTML entities, GBK
 * mojibake (criteria in ingest.h). The normaliser applies what is found.
 *
 * Threading: no shared state (ICU converters are opened per call; the
 * common-character table is built once).
 * Offsets: byte offsets into the text, the caller's base added.
 */
#include "ingest_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

/* ---- characters --------------------------------------------------------- */

/* The code point ending just before s[i] (0 at the start). */
static uint32_t prev_cp(const char *s, size_t i, size_t *at)
{
    size_t k = i;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 0)
        k--;
    *at = k;
    size_t nx;
    return i > 0 ? bg_utf8_next(s, k, &nx) : 0;
}

/* Blank at s[i, end): ASCII space or tab, U+3000, U+00A0; its length or
 * 0. */
static size_t blank_len(const char *s, size_t i, size_t end)
{
    const unsigned char *u = (const unsigned char *)s;
    if (i < end && (u[i] == ' ' || u[i] == '\t'))
        return 1;
    if (i + 1 < end && u[i] == 0xC2 && u[i + 1] == 0xA0)
        return 2;
    if (i + 2 < end && u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x80)
        return 3;
    return 0;
}

static int is_final(uint32_t c)
{
    switch (c) {
    case 0x3002: /* 。 */
    case 0xFF01: /* ！ */
    case 0xFF1F: /* ？ */
    case 0xFF1B: /* ； */
    case 0xFF1A: /* ： */
    case 0x2026: /* … */
    case 0xFF0E: /* ． */
    case '!':
    case '?':
    case ';':
    case ':':
    case '.':
        return 1;
    default:
        break;
    }
    return 0;
}

static int is_closer(uint32_t c)
{
    return c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F ||
           c == 0xFF09 || c == ')' || c == '"' || c == '\'' || c == 0x300B ||
           c == 0x3011;
}

/* Does the text s[ls, le) (a line without its end) end a sentence? */
static int ends_sentence(const char *s, size_t ls, size_t le)
{
    size_t at;
    uint32_t c = prev_cp(s, le, &at);
    if (at > ls && is_closer(c))
        c = prev_cp(s, at, &at);
    return is_final(c);
}

static int starts_with(const char *s, size_t i, size_t end, const char *lit)
{
    size_t n = strlen(lit);
    return i + n <= end && memcmp(s + i, lit, n) == 0;
}

/* Length of a numeral (Chinese or Arabic digits) at s[i, end), 0 if none. */
static size_t numeral(const char *s, size_t i, size_t end)
{
    static const char *const cn[] = {"一", "二", "三", "四", "五", "六", "七",
                                     "八", "九", "十", "百", "零", "〇", "两"};
    size_t k = i;
    for (;;) {
        if (k < end && s[k] >= '0' && s[k] <= '9') {
            k++;
            continue;
        }
        size_t j = 0;
        for (; j < sizeof cn / sizeof *cn; j++)
            if (starts_with(s, k, end, cn[j]))
                break;
        if (j == sizeof cn / sizeof *cn)
            break;
        k += 3;
    }
    return k - i;
}

/* Length of an enumerator opening the line at s[i, end) (一、 （一） (1)
 * 1. 1、 ① 第N章 一是 —— and markdown markers), 0 if none. */
static size_t enumerator(const char *s, size_t i, size_t end)
{
    size_t n, k;
    if (i >= end)
        return 0;
    unsigned char c = (unsigned char)s[i];
    if (c == '#' || c == '>' || c == '|' ||
        ((c == '-' || c == '*' || c == '+') && i + 1 < end && s[i + 1] == ' '))
        return 1;
    if (starts_with(s, i, end, "——") || starts_with(s, i, end, "•") ||
        starts_with(s, i, end, "·"))
        return 3;
    uint32_t cp = bg_utf8_next(s, i, &k);
    if (cp >= 0x2460 && cp <= 0x24FF) /* ① ⑴ ⒈ */
        return k - i;
    int open = starts_with(s, i, end, "（") ? 3 : c == '(' ? 1 : 0;
    if (open && (n = numeral(s, i + (size_t)open, end)) > 0) {
        k = i + (size_t)open + n;
        if (starts_with(s, k, end, "）"))
            return k + 3 - i;
        if (k < end && s[k] == ')')
            return k + 1 - i;
        return 0;
    }
    if (starts_with(s, i, end, "第") && (n = numeral(s, i + 3, end)) > 0) {
        static const char *const units[] = {"章", "节",   "節", "条", "條",
                                            "篇", "部分", "款", "项", "項"};
        for (size_t j = 0; j < sizeof units / sizeof *units; j++)
            if (starts_with(s, i + 3 + n, end, units[j]))
                return 3 + n + strlen(units[j]);
        return 0;
    }
    if ((n = numeral(s, i, end)) > 0) {
        k = i + n;
        if (starts_with(s, k, end, "、") || starts_with(s, k, end, "．") ||
            starts_with(s, k, end, "是") || starts_with(s, k, end, "要"))
            return k + 3 - i;
        if (k < end && (s[k] == '.' || s[k] == ')') &&
            (s[i] >= '0' && s[i] <= '9'))
            return k + 1 - i;
    }
    return 0;
}

/* ---- lines: wrap, page-number, repeat ------------------------------------ */

typedef struct line {
    size_t start, end; /* text without line end and trailing blanks */
    size_t next;       /* start of the next line */
    size_t width;      /* columns, a CJK character counting 2 */
    int indented, blank;
} line;

static size_t width_of(const char *s, size_t a, size_t b)
{
    size_t w = 0;
    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)s[i];
        w += c < 0x80 ? 1 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    }
    return w;
}

static int split_lines(const char *s, size_t len, line **out, size_t *nout)
{
    size_t n = 0, cap = 64;
    line *v = malloc(cap * sizeof *v);
    if (!v)
        return BG_ENOMEM;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t eol = nl ? (size_t)(nl - s) : len;
        if (n == cap) {
            line *p = realloc(v, 2 * cap * sizeof *v);
            if (!p) {
                free(v);
                return BG_ENOMEM;
            }
            v = p;
            cap *= 2;
        }
        line *l = &v[n++];
        l->start = i;
        l->next = nl ? eol + 1 : len;
        size_t e = eol;
        if (e > i && s[e - 1] == '\r')
            e--;
        /* trailing blanks */
        for (;;) {
            if (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
                e--;
            else if (e >= i + 3 && memcmp(s + e - 3, "\xE3\x80\x80", 3) == 0)
                e -= 3;
            else if (e >= i + 2 && memcmp(s + e - 2, "\xC2\xA0", 2) == 0)
                e -= 2;
            else
                break;
        }
        l->end = e;
        l->indented = blank_len(s, i, e) > 0;
        size_t k = i;
        while (blank_len(s, k, e))
            k += blank_len(s, k, e);
        l->blank = k >= e;
        l->width = width_of(s, i, e);
        i = l->next;
    }
    *out = v;
    *nout = n;
    return 0;
}

#define WRAP_BLOCK 48 /* lines of a block with a width of its own */

/* The wrap width W of a hard-wrapped text, or 0 (criterion in ingest.h). */
static size_t wrap_width(const line *v, size_t n)
{
    enum { MAXW = 300 };
    size_t hist[MAXW + 2] = {0}, nonblank = 0;
    for (size_t i = 0; i < n; i++)
        if (!v[i].blank) {
            nonblank++;
            hist[v[i].width > MAXW ? MAXW + 1 : v[i].width]++;
        }
    if (nonblank < 2)
        return 0;
    if (nonblank < 6) {
        /* too few lines for the histogram: the widest width W (at least
         * 40) that two lines reach within W/10 + 2 columns (a paragraph
         * wrapped at W, its last line shorter) */
        size_t w = 0, at = 0;
        for (size_t i = 0; i < n; i++)
            if (!v[i].blank && v[i].width > w)
                w = v[i].width;
        for (size_t i = 0; i < n; i++)
            at += !v[i].blank && v[i].width + w / 10 + 2 >= w;
        return w >= 40 && w <= MAXW && at >= 2 ? w : 0;
    }
    size_t best = 0, bestc = 0;
    for (size_t w = 20; w <= MAXW; w++) {
        size_t c = 0;
        for (size_t k = w - w / 10 - 2; k <= w; k++)
            c += hist[k];
        if (c >= bestc) {
            bestc = c;
            best = w;
        }
    }
    size_t over = 0;
    for (size_t k = best + 1; k <= MAXW + 1; k++)
        over += hist[k];
    if (bestc * 2 < nonblank || over * 20 > nonblank)
        return 0;
    return best;
}

/* Is l a line that goes on with the sentence of the line before it? */
static int continues(const char *s, const line *l)
{
    return !l->blank && !l->indented && !enumerator(s, l->start, l->end);
}

/* Length of a lone page number line (`12`, `- 3 -`, `—3—`), 0 if not. */
static int page_line(const char *s, const line *l)
{
    size_t i = l->start, e = l->end, digits = 0;
    while (blank_len(s, i, e))
        i += blank_len(s, i, e);
    if (i < e && (s[i] == '-' || starts_with(s, i, e, "—")))
        i += s[i] == '-' ? 1 : 3;
    while (blank_len(s, i, e))
        i += blank_len(s, i, e);
    while (i < e && s[i] >= '0' && s[i] <= '9') {
        i++;
        digits++;
    }
    while (blank_len(s, i, e))
        i += blank_len(s, i, e);
    if (i < e && (s[i] == '-' || starts_with(s, i, e, "—")))
        i += s[i] == '-' ? 1 : 3;
    return digits >= 1 && digits <= 3 && i == e;
}

static int is_cjk_punct(uint32_t c);

/* A line of running text s[ls, le): at least 10 characters, not ending a
 * sentence, not a date line nor an enumerated item under 30 characters; its
 * last character is a Han character or CJK punctuation when tail_punct is 0,
 * CJK punctuation (`…為民富民”`, not `附件`) when it is 1. */
static int running(const char *s, size_t ls, size_t le, int tail_punct)
{
    size_t chars = 0, at, k = ls;
    char iso[11];
    for (size_t i = ls; i < le && chars < 30; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    if (chars < 10 || ends_sentence(s, ls, le))
        return 0;
    while (blank_len(s, k, le))
        k += blank_len(s, k, le);
    /* a short enumerated item (`2.数字化转型相关标准应用清单`) is a list */
    if ((chars < 30 && enumerator(s, k, le)) ||
        bg_ingest_parse_date(s + ls, le - ls, 1, iso))
        return 0;
    uint32_t c = prev_cp(s, le, &at);
    /* a sign-off date with blanks inside (`2021 年 3 月 9 日`) */
    if (c == 0x65E5 && chars < 20)
        for (size_t i = ls; i + 3 <= le; i++)
            if (starts_with(s, i, le, "年"))
                return 0;
    if (tail_punct)
        return is_cjk_punct(c);
    return bg_han_block(c) || c == 0xFF0C || c == 0x3001 || c == 0x201C ||
           c == 0x300A;
}

/* A trailing page number on the line: the start of its blanks, or 0. */
static size_t trailing_number(const char *s, const line *l)
{
    size_t e = l->end, k = e, digits = 0;
    while (k > l->start && s[k - 1] >= '0' && s[k - 1] <= '9') {
        k--;
        digits++;
    }
    if (digits < 1 || digits > 3)
        return 0;
    size_t b = k;
    while (b > l->start) {
        if (s[b - 1] == ' ' || s[b - 1] == '\t')
            b--;
        else if (b >= l->start + 3 && memcmp(s + b - 3, "\xE3\x80\x80", 3) == 0)
            b -= 3;
        else
            break;
    }
    if (b == k || !running(s, l->start, b, 1))
        return 0;
    return b;
}

/* The second copy of a lead phrase at the start of line l: its range. */
static int repeated_lead(const char *s, const line *l, size_t *ps, size_t *pe)
{
    size_t i = l->start, e = l->end;
    while (blank_len(s, i, e))
        i += blank_len(s, i, e);
    i += enumerator(s, i, e);
    size_t chars = 0;
    for (size_t k = i; k < e && chars <= 40;) {
        size_t nx;
        uint32_t c = bg_utf8_next(s, k, &nx);
        chars++;
        if (c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?') {
            size_t plen = nx - i;
            if (chars < 3)
                return 0;
            /* written twice: one copy goes (three copies are no slip) */
            size_t end = nx + plen;
            if (end > e || memcmp(s + nx, s + i, plen) != 0 ||
                (end + plen <= e && memcmp(s + end, s + i, plen) == 0))
                return 0;
            *ps = nx;
            *pe = end;
            return 1;
        }
        k = nx;
    }
    return 0;
}

/* Whether s[a, b) holds a clause mark (， 、 ； ： or , ; :): running
 * text does, a title hardly ever. */
static int clause_mark(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (s[i] == ',' || s[i] == ';' || s[i] == ':' ||
            (i + 3 <= b &&
             (starts_with(s, i, b, "，") || starts_with(s, i, b, "、") ||
              starts_with(s, i, b, "；") || starts_with(s, i, b, "："))))
            return 1;
    return 0;
}

static int line_repairs(const char *s, size_t len, size_t base, bg_repairs *r)
{
    line *v = NULL;
    size_t n = 0, nonblank = 0;
    int rc = split_lines(s, len, &v, &n);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        nonblank += !v[i].blank;
    size_t w = wrap_width(v, n), *bw = NULL, *bs = NULL, nb = 0;
    if (!w && n >= WRAP_BLOCK) {
        /* no width for the whole text: look for one in blocks of
         * WRAP_BLOCK lines, each starting half a block after the last, the
         * last ending with the text (a PDF-extracted text can change
         * width, at an appendix or a table) */
        size_t nreg = (n - WRAP_BLOCK) / (WRAP_BLOCK / 2) + 1;
        size_t cap = nreg + 1;
        bw = malloc(cap * sizeof *bw);
        bs = malloc(cap * sizeof *bs);
        if (!bw || !bs) {
            free(bw);
            free(bs);
            free(v);
            return BG_ENOMEM;
        }
        for (size_t b = 0; b < nreg; b++)
            bs[nb++] = b * (WRAP_BLOCK / 2);
        if (bs[nb - 1] + WRAP_BLOCK < n)
            bs[nb++] = n - WRAP_BLOCK;
        for (size_t b = 0; b < nb; b++)
            bw[b] = wrap_width(v + bs[b], WRAP_BLOCK);
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        const line *l = &v[i];
        size_t a, b;
        if (l->blank)
            continue;
        if (repeated_lead(s, l, &a, &b) &&
            (rc = bg_repairs_add(r, base + a, base + b, BG_REPAIR_REPEAT, NULL,
                                 0)))
            break;
        if (i + 1 >= n)
            break;
        const line *nx = &v[i + 1];
        size_t num;
        if ((num = trailing_number(s, l)) && continues(s, nx)) {
            rc = bg_repairs_add(r, base + num, base + nx->start,
                                BG_REPAIR_PAGENO, NULL, 0);
            continue;
        }
        if (i + 2 < n && page_line(s, nx) && running(s, l->start, l->end, 0) &&
            continues(s, &v[i + 2]) &&
            bg_han_block(bg_utf8_next(s, v[i + 2].start, &a)) &&
            !starts_with(s, v[i + 2].start, v[i + 2].end, "附件")) {
            rc = bg_repairs_add(r, base + l->end, base + v[i + 2].start,
                                BG_REPAIR_PAGENO, NULL, 0);
            i++;
            continue;
        }
        size_t wi = w;
        if (!wi && nb) {
            /* the widest of the widths of the blocks holding lines i and
             * i + 1 (the line must fill 3/4 of it) */
            size_t k = i / (WRAP_BLOCK / 2);
            for (k = k >= 2 ? k - 2 : 0; k < nb && bs[k] <= i; k++)
                if (i + 1 < bs[k] + WRAP_BLOCK && bw[k] > wi)
                    wi = bw[k];
        }
        if (wi && l->width * 4 >= wi * 3 &&
            !ends_sentence(s, l->start, l->end) && continues(s, nx) &&
            (nonblank >= 6 || clause_mark(s, l->start, l->end))) {
            size_t at;
            uint32_t before = prev_cp(s, l->end, &at);
            size_t an;
            uint32_t after = bg_utf8_next(s, nx->start, &an);
            /* CJK on either side: joined without a space */
            int space = before < 0x2E80 && after < 0x2E80;
            rc = bg_repairs_add(r, base + l->end, base + nx->start,
                                BG_REPAIR_WRAP, space ? " " : NULL,
                                space ? 1 : 0);
        }
    }
    free(v);
    free(bw);
    free(bs);
    return rc;
}

/* ---- entities ------------------------------------------------------------ */

static const struct {
    const char *name;
    uint32_t cp;
} ENTITIES[] = {
    {"nbsp", 0xA0},     {"ensp", 0x2002},   {"emsp", 0x2003},
    {"thinsp", 0x2009}, {"ldquo", 0x201C},  {"rdquo", 0x201D},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"mdash", 0x2014},
    {"ndash", 0x2013},  {"hellip", 0x2026}, {"middot", 0xB7},
    {"bull", 0x2022},   {"amp", '&'},       {"lt", '<'},
    {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
    {"times", 0xD7},    {"divide", 0xF7},   {"deg", 0xB0},
    {"copy", 0xA9},     {"reg", 0xAE},      {"trade", 0x2122},
    {"laquo", 0xAB},    {"raquo", 0xBB},    {"yen", 0xA5},
    {"sect", 0xA7},     {"para", 0xB6},     {"permil", 0x2030},
};

/* The entity at s[i] (s[i] == '&'): its code point and length, or 0. */
static uint32_t entity_at(const char *s, size_t i, size_t len, size_t *elen)
{
    size_t k = i + 1;
    uint32_t cp = 0;
    if (k < len && s[k] == '#') {
        int hex = k + 1 < len && (s[k + 1] == 'x' || s[k + 1] == 'X');
        k += 1 + (size_t)hex;
        size_t d0 = k;
        while (k < len && k - d0 < 7) {
            char c = s[k];
            uint32_t dv;
            if (c >= '0' && c <= '9')
                dv = (uint32_t)(c - '0');
            else if (hex && c >= 'a' && c <= 'f')
                dv = (uint32_t)(c - 'a' + 10);
            else if (hex && c >= 'A' && c <= 'F')
                dv = (uint32_t)(c - 'A' + 10);
            else
                break;
            cp = cp * (hex ? 16 : 10) + dv;
            k++;
        }
        if (k == d0 || k >= len || s[k] != ';' || cp < 0x20 ||
            (cp >= 0x7F && cp < 0xA0) || (cp >= 0xD800 && cp < 0xE000) ||
            cp > 0x10FFFF)
            return 0;
        *elen = k + 1 - i;
        return cp;
    }
    while (k < len && k - i <= 8 &&
           ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z')))
        k++;
    if (k >= len || s[k] != ';')
        return 0;
    for (size_t j = 0; j < sizeof ENTITIES / sizeof *ENTITIES; j++)
        if (strlen(ENTITIES[j].name) == k - i - 1 &&
            memcmp(ENTITIES[j].name, s + i + 1, k - i - 1) == 0) {
            *elen = k + 1 - i;
            return ENTITIES[j].cp;
        }
    return 0;
}

static int entity_repairs(const char *s, size_t len, size_t base, bg_repairs *r)
{
    for (const char *p = s; (p = memchr(p, '&', len - (size_t)(p - s)));) {
        size_t i = (size_t)(p - s), elen;
        uint32_t cp = entity_at(s, i, len, &elen);
        if (!cp) {
            p++;
            continue;
        }
        char u[4];
        if (bg_repairs_add(r, base + i, base + i + elen, BG_REPAIR_ENTITY, u,
                           bg_utf8_put(cp, u)))
            return BG_ENOMEM;
        p += elen;
    }
    return 0;
}

/* ---- markup --------------------------------------------------------------
 * HTML tags left in text (criterion in ingest.h). Block elements break the
 * line (a line end replaces the tag), inline ones vanish. */

static const char *const BLOCK_TAGS[] = {
    "address", "article", "aside", "blockquote", "body",  "br",     "caption",
    "center",  "dd",      "div",   "dl",         "dt",    "figure", "footer",
    "form",    "h1",      "h2",    "h3",         "h4",    "h5",     "h6",
    "head",    "header",  "hr",    "html",       "li",    "main",   "nav",
    "ol",      "p",       "pre",   "section",    "table", "tbody",  "td",
    "tfoot",   "th",      "thead", "title",      "tr",    "ul"};
static const char *const INLINE_TAGS[] = {
    "a",    "abbr",   "b",      "big",   "cite", "code", "em", "font",
    "i",    "img",    "ins",    "label", "o:p",  "q",    "s",  "small",
    "span", "strike", "strong", "sub",   "sup",  "tt",   "u",  "wbr"};

/* 1 when name[0, n) is an element in list (any case), else 0. */
static int tag_in(const char *name, size_t n, const char *const *list,
                  size_t count)
{
    for (size_t k = 0; k < count; k++)
        if (strlen(list[k]) == n && strncasecmp(list[k], name, n) == 0)
            return 1;
    return 0;
}

/* The tag at s[i] (s[i] == '<'): its length and whether it is a block
 * element's (*block), or 0 when none. */
static size_t tag_at(const char *s, size_t i, size_t len, int *block)
{
    size_t k = i + 1, name;
    if (k < len && s[k] == '/')
        k++;
    name = k;
    while (k < len && k - name < 12) {
        char c = s[k], l = (char)(c | 0x20);
        if (!((l >= 'a' && l <= 'z') || (c >= '0' && c <= '9') || c == ':'))
            break;
        k++;
    }
    size_t n = k - name;
    if (n == 0)
        return 0;
    *block =
        tag_in(s + name, n, BLOCK_TAGS, sizeof BLOCK_TAGS / sizeof *BLOCK_TAGS);
    if (!*block && !tag_in(s + name, n, INLINE_TAGS,
                           sizeof INLINE_TAGS / sizeof *INLINE_TAGS))
        return 0;
    /* attributes: after a blank, on the same line, no other < */
    if (k < len && s[k] != '>' && s[k] != '/' && s[k] != ' ' && s[k] != '\t')
        return 0;
    for (size_t lim = k + 400; k < len && k < lim; k++) {
        if (s[k] == '>')
            return k + 1 - i;
        if (s[k] == '<' || s[k] == '\n' || s[k] == '\r')
            return 0;
    }
    return 0;
}

static int markup_repairs(const char *s, size_t len, size_t base, bg_repairs *r)
{
    for (const char *p = s; (p = memchr(p, '<', len - (size_t)(p - s)));) {
        size_t i = (size_t)(p - s);
        int block;
        size_t n = tag_at(s, i, len, &block);
        if (!n) {
            p++;
            continue;
        }
        if (bg_repairs_add(r, base + i, base + i + n, BG_REPAIR_MARKUP,
                           block ? "\n" : NULL, block ? 1 : 0))
            return BG_ENOMEM;
        p += n;
    }
    return 0;
}

/* ---- mojibake ------------------------------------------------------------ */

static const char TONED[] = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";

/* Length of a pinyin reading at s[i] (`cè)`, `(xiàng)`), 0 if none. */
static size_t reading_at(const char *s, size_t i, size_t len)
{
    size_t k = i, letters = 0;
    int toned = 0;
    if (k < len && s[k] == '(')
        k++;
    else if (starts_with(s, k, len, "（"))
        k += 3;
    while (k < len && letters <= 12) {
        if (s[k] >= 'a' && s[k] <= 'z') {
            k++;
        } else if (starts_with(s, k, len, "ü")) {
            k += 2;
        } else if ((unsigned char)s[k] >= 0xC0) {
            size_t nx, clen;
            (void)bg_utf8_next(s, k, &nx);
            clen = nx - k;
            const char *hit = NULL;
            for (const char *t = TONED; *t && !hit; t += 2)
                if (clen == 2 && memcmp(t, s + k, 2) == 0)
                    hit = t;
            if (!hit)
                break;
            toned = 1;
            k = nx;
        } else {
            break;
        }
        letters++;
    }
    if (!toned || letters == 0)
        return 0;
    if (k < len && s[k] == ')')
        return k + 1 - i;
    if (starts_with(s, k, len, "）"))
        return k + 3 - i;
    return 0;
}

static int is_cjk_punct(uint32_t c)
{
    return (c >= 0x3001 && c <= 0x3002) || (c >= 0x3008 && c <= 0x3011) ||
           c == 0xFF0C || c == 0xFF1A || c == 0xFF1B || c == 0xFF01 ||
           c == 0xFF1F || c == 0xFF08 || c == 0xFF09 || c == 0x201C ||
           c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x2014 ||
           c == 0x2026;
}

static int is_clean(uint32_t c)
{
    return bg_ingest_common_char(c) || is_cjk_punct(c);
}

/* The run after a `?` at s[i, len): characters that GBK encodes in two
 * bytes, up to and including the first ASCII byte that can be a GBK trail
 * byte (0x40-0x7E, which puts the decoding back in step), at most 64
 * characters, within the line. Fills bytes (GBK) and returns the run's
 * end. */
static size_t gbk_run(UConverter *to_gbk, const char *s, size_t i, size_t len,
                      unsigned char *bytes, size_t *nbytes)
{
    size_t k = i, nb = 0, chars = 0;
    while (k < len && chars < 64) {
        unsigned char c = (unsigned char)s[k];
        if (c < 0x80) {
            if (c >= 0x40 && c <= 0x7E && chars > 0) {
                bytes[nb++] = c;
                k++;
            }
            break;
        }
        size_t nx;
        uint32_t cp = bg_utf8_next(s, k, &nx);
        UChar u[2];
        int32_t ul = 0;
        UBool bad = 0;
        U16_APPEND(u, ul, 2, (UChar32)cp, bad);
        char out[8];
        UErrorCode st = U_ZERO_ERROR;
        ucnv_resetFromUnicode(to_gbk);
        int32_t n = ucnv_fromUChars(to_gbk, out, sizeof out, u, ul, &st);
        if (bad || U_FAILURE(st) || n != 2)
            break;
        bytes[nb++] = (unsigned char)out[0];
        bytes[nb++] = (unsigned char)out[1];
        chars++;
        k = nx;
    }
    *nbytes = nb;
    return k;
}

/* Decodes bytes[1, nb) as GBK, two bytes a character (one for ASCII),
 * into with (UTF-8, unclean characters as U+FFFD). *units and *clean count
 * the characters decoded and the clean ones. */
static int shifted(UConverter *from_gbk, const unsigned char *b, size_t nb,
                   bg_buf *with, size_t *units, size_t *clean)
{
    *units = *clean = 0;
    for (size_t k = 1; k < nb;) {
        size_t ul = b[k] < 0x80 ? 1 : 2;
        uint32_t cp = 0xFFFD;
        if (k + ul <= nb) {
            UChar u[4];
            UErrorCode st = U_ZERO_ERROR;
            ucnv_resetToUnicode(from_gbk);
            int32_t n = ucnv_toUChars(from_gbk, u, 4, (const char *)b + k,
                                      (int32_t)ul, &st);
            if (U_SUCCESS(st) && n == 1 && is_clean(u[0]))
                cp = u[0];
        }
        char o[4];
        if (bg_buf_add(with, o, bg_utf8_put(cp, o)))
            return BG_ENOMEM;
        (*units)++;
        *clean += cp != 0xFFFD;
        k += ul;
    }
    return 0;
}

static int mojibake_repairs(const char *s, size_t len, size_t base,
                            bg_repairs *r)
{
    UConverter *gbk = NULL;
    UErrorCode st = U_ZERO_ERROR;
    int rc = 0;
    bg_buf with = {0};
    for (const char *p = s; (p = memchr(p, '?', len - (size_t)(p - s)));) {
        size_t q = (size_t)(p - s), at;
        p++;
        uint32_t before = prev_cp(s, q, &at);
        if (!bg_han_block(before) && before != ')')
            continue;
        size_t rd = reading_at(s, q + 1, len);
        size_t rs = q + 1 + rd;
        if (!gbk) {
            gbk = ucnv_open("GBK", &st);
            if (U_FAILURE(st))
                goto cleanup; /* no converter: nothing found */
            ucnv_setFromUCallBack(gbk, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL,
                                  NULL, &st);
            ucnv_setToUCallBack(gbk, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL,
                                &st);
            if (U_FAILURE(st))
                goto cleanup;
        }
        unsigned char bytes[2 * 64 + 2];
        size_t nb, units = 0, clean = 0;
        size_t re = gbk_run(gbk, s, rs, len, bytes, &nb);
        with.len = 0;
        if (nb >= 3 && (rc = shifted(gbk, bytes, nb, &with, &units, &clean)))
            goto cleanup;
        /* a reading after the ? is evidence enough for a short run */
        int fixable = clean >= (rd ? 1u : 2u) && clean * 4 >= units * 3;
        int odd = 0; /* the run looks like mojibake */
        size_t k = rs;
        for (int c = 0; c < 4 && k < re; c++) {
            size_t nx;
            uint32_t cp = bg_utf8_next(s, k, &nx);
            odd |= cp >= 0x80 && !is_clean(cp);
            k = nx;
        }
        /* with a reading, an ASCII letter glued to the run's end (the
         * trail byte that put the decoding back in step) is evidence too */
        odd |= rd && re > rs && (unsigned char)s[re - 1] < 0x80;
        if (!odd || !fixable)
            fixable = 0;
        if (!rd && !fixable)
            continue;
        if (!odd)
            re = rs;
        size_t shown = re > q + 40 ? q + 40 : re > rs ? re : rs;
        while (shown > q && shown < len &&
               ((unsigned char)s[shown] & 0xC0) == 0x80)
            shown--;
        if (bg_buf_printf(&r->notes, "%smojibake at %zu-%zu (\"%.*s\"): ",
                          r->notes.len ? "\n" : "", base + q,
                          base + (re > rs ? re : rs), (int)(shown - q),
                          s + q)) {
            rc = BG_ENOMEM;
            goto cleanup;
        }
        if (fixable) {
            rc = bg_repairs_add(r, base + rs, base + re, BG_REPAIR_MOJIBAKE,
                                with.data, with.len);
            if (!rc)
                rc = bg_buf_printf(
                    &r->notes,
                    "GBK text decoded one byte out of step; repaired %zu-%zu "
                    "as \"%.*s\" (%zu of %zu characters clean; the character "
                    "of the ? is lost: U+FFFD)",
                    base + rs, base + re, (int)with.len, with.data, clean,
                    units);
        } else if (re > rs) {
            rc = bg_buf_printf(&r->notes,
                               "GBK text decoded one byte out of step; not "
                               "repaired (re-decoding gives %zu of %zu clean "
                               "characters); the ? as U+FFFD",
                               clean, units);
        } else {
            rc = bg_buf_printf(&r->notes, "a character lost (a ? before its "
                                          "pinyin reading): U+FFFD");
        }
        /* the ? stands for a lost character, not a question: U+FFFD, so
         * that no sentence ends there */
        if (rc || (rc = bg_repairs_add(r, base + q, base + q + 1,
                                       BG_REPAIR_MOJIBAKE, "\xEF\xBF\xBD", 3)))
            goto cleanup;
        p = s + (re > rs ? re : rs);
    }
cleanup:
    bg_buf_free(&with);
    if (gbk)
        ucnv_close(gbk);
    return rc;
}

/* ---- all of them --------------------------------------------------------- */

static int by_start(const void *a, const void *b)
{
    const bg_repair *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

int bg_ingest_repairs(const char *s, size_t len, size_t base, bg_repairs *out)
{
    size_t first = out->n;
    int rc;
    if (len &&
        ((rc = line_repairs(s, len, base, out)) ||
         (memchr(s, '&', len) && (rc = entity_repairs(s, len, base, out))) ||
         (memchr(s, '<', len) && (rc = markup_repairs(s, len, base, out))) ||
         (memchr(s, '?', len) && (rc = mojibake_repairs(s, len, base, out)))))
        return rc;
    if (out->n > first)
        qsort(out->v + first, out->n - first, sizeof *out->v, by_start);
    /* disjoint: a repair overlapping the one before it is dropped */
    size_t k = first;
    for (size_t i = first; i < out->n; i++)
        if (k == first || out->v[i].start >= out->v[k - 1].end)
            out->v[k++] = out->v[i];
    out->n = k;
    if (!out->notes.data && bg_buf_reserve(&out->notes, 0))
        return BG_ENOMEM;
    return 0;
}
