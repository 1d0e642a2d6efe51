/*
 * ingest_meta.c - document metadata: title line, sign-off and byline lines,
 * dates, file-name year and author; content hashes and MinHash signatures.
 *
 * Threading: no shared state.
 * Offsets: byte offsets into the source's text (bg_source.bytes).
 */
#include "ingest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- code points of a line, pinyin debris and blanks taken out ---------- */

#define LINE_MAX_CP 256

typedef struct cline {
    uint32_t cp[LINE_MAX_CP];
    size_t n;
    int too_long;
} cline;

static int is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 ||
           c == 0xA0 || c == 0xFEFF;
}

/* A pinyin letter: a-z, ü and the tone-marked vowels (U+00E0..U+01DC). */
static int is_pinyin_cp(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0x1DC);
}

/* Reads s[a, b) (valid UTF-8) into l: blanks dropped when drop_spaces,
 * `(lián)`-style readings dropped always. */
static void read_line(const char *s, size_t a, size_t b, int drop_spaces,
                      cline *l)
{
    l->n = 0;
    l->too_long = 0;
    size_t i = a;
    while (i < b) {
        size_t next;
        uint32_t c = bg_utf8_next(s, i, &next);
        if (c == '(' || c == 0xFF08) {
            size_t j = next, k = 0;
            uint32_t d = 0;
            while (j < b && (d = bg_utf8_next(s, j, &j), is_pinyin_cp(d)))
                k++;
            if (k > 0 && k <= 7 && (d == ')' || d == 0xFF09)) {
                i = j;
                continue;
            }
        }
        i = next;
        if (drop_spaces && is_space_cp(c))
            continue;
        if (l->n == LINE_MAX_CP) {
            l->too_long = 1;
            return;
        }
        l->cp[l->n++] = c;
    }
}

static size_t put_cps(const uint32_t *cp, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++)
        o += bg_utf8_put(cp[i], out + o);
    out[o] = '\0';
    return o;
}

/* ---- dates ----------------------------------------------------------------
 */

static int digit_of(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 0xFF10 && c <= 0xFF19)
        return (int)(c - 0xFF10);
    return -1;
}

static int han_digit(uint32_t c)
{
    static const uint32_t d[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    if (c == 0x96F6) /* 零 */
        return 0;
    for (int k = 0; k < 10; k++)
        if (d[k] == c)
            return k;
    return -1;
}

/* A number 1-39 at cp[*i]: Arabic (1-2 digits) or Chinese (十, 十五, 二十,
 * 三十一). Returns it, or -1. */
static int small_number(const uint32_t *cp, size_t n, size_t *i)
{
    size_t j = *i;
    int v = -1;
    if (j < n && digit_of(cp[j]) >= 0) {
        v = digit_of(cp[j++]);
        if (j < n && digit_of(cp[j]) >= 0)
            v = v * 10 + digit_of(cp[j++]);
        if (j < n && digit_of(cp[j]) >= 0)
            return -1;
    } else if (j < n && (han_digit(cp[j]) > 0 || cp[j] == 0x5341)) {
        int tens = 0, units = 0;
        if (cp[j] != 0x5341)
            units = han_digit(cp[j++]);
        if (j < n && cp[j] == 0x5341) { /* 十 */
            tens = units ? units : 1;
            units = 0;
            j++;
            if (j < n && han_digit(cp[j]) > 0)
                units = han_digit(cp[j++]);
        }
        v = tens * 10 + units;
    }
    if (v >= 0)
        *i = j;
    return v;
}

static int is_sep(uint32_t c)
{
    return c == '.' || c == '-' || c == '/' || c == 0xFF0E || c == 0xFF0D ||
           c == 0xFF0F;
}

/* A date starting at cp[i]; *end is set past it. */
static int date_at(const uint32_t *cp, size_t n, size_t i, size_t *end,
                   int *month, int *day)
{
    int year = 0, k;
    size_t j = i;
    int han = han_digit(cp[i]) >= 0;
    for (k = 0; k < 4 && j < n; k++, j++) {
        int d = han ? han_digit(cp[j]) : digit_of(cp[j]);
        if (d < 0)
            return 0;
        year = year * 10 + d;
    }
    if (k < 4 || year < 1900 || year > 2100)
        return 0;
    if (j < n && (han ? han_digit(cp[j]) >= 0 : digit_of(cp[j]) >= 0))
        return 0;
    *month = *day = 0;
    *end = j;
    int wide = j < n && cp[j] == 0x5E74; /* 年 */
    if (!wide && !(j < n && is_sep(cp[j])))
        return year;
    size_t m = j + 1;
    int mo = small_number(cp, n, &m);
    if (wide)
        *end = j + 1;
    if (mo < 1 || mo > 12)
        return year;
    if (wide ? !(m < n && cp[m] == 0x6708) : !(m < n && cp[m] == cp[j])) {
        if (wide)
            return year;
        /* 2013.4 without a day */
        *month = mo;
        *end = m;
        return year;
    }
    *month = mo;
    *end = m + 1;
    size_t dd = m + 1;
    int da = small_number(cp, n, &dd);
    if (da >= 1 && da <= 31) {
        *day = da;
        *end = dd;
        if (dd < n && (cp[dd] == 0x65E5 || cp[dd] == 0x53F7)) /* 日 号 */
            *end = dd + 1;
    }
    return year;
}

static int parse_cps(const uint32_t *cp, size_t n, int whole, char out[11])
{
    for (size_t i = 0; i < n; i++) {
        if (i && !whole && (digit_of(cp[i - 1]) >= 0))
            continue;
        size_t end;
        int mo, da;
        int y = date_at(cp, n, i, &end, &mo, &da);
        if (!y) {
            if (whole)
                return 0;
            continue;
        }
        if (whole) {
            while (end < n && (cp[end] == 0x3002 || cp[end] == '.'))
                end++;
            if (end != n)
                return 0;
            /* a year alone is no sign-off date */
            if (!mo)
                return 0;
        }
        if (da)
            snprintf(out, 11, "%04d-%02d-%02d", y, mo, da);
        else if (mo)
            snprintf(out, 11, "%04d-%02d", y, mo);
        else
            snprintf(out, 11, "%04d", y);
        return y;
    }
    return 0;
}

int bg_ingest_parse_date(const char *s, size_t n, int whole, char out[11])
{
    cline l;
    if (bg_utf8_valid_prefix(s, n) != n)
        return 0;
    read_line(s, 0, n, 0, &l);
    if (l.too_long && whole)
        return 0;
    return parse_cps(l.cp, l.n, whole, out);
}

/* ---- sign-off and byline lines ------------------------------------------ */

static int is_punct_cp(uint32_t c)
{
    static const uint32_t p[] = {0x3002, 0xFF0C, 0x3001, 0xFF1B, 0xFF1A, 0xFF01,
                                 0xFF1F, ',',    ';',    ':',    '!',    '?',
                                 0x201C, 0x201D, '"',    0x300A, 0x300B, 0xFF08,
                                 0xFF09, '(',    ')'};
    for (size_t k = 0; k < sizeof p / sizeof *p; k++)
        if (p[k] == c)
            return 1;
    return 0;
}

/* Unit words that end an organisation's name (Simplified and Traditional). */
static const char *const UNITS[] = {
    "人民政府", "政府",   "委员会", "委員會", "党委",   "黨委",
    "镇",       "鎮",     "乡",     "鄉",     "街道",   "局",
    "办公室",   "辦公室", "厅",     "廳",     "中心",   "公司",
    "学校",     "學校",   "医院",   "醫院",   "村委会", "村委會",
    "支部",     "科",     "处",     "處",     "部"};

enum { SIGN_NONE, SIGN_DATE, SIGN_NAME, SIGN_ORG };

/* Classifies a line as a sign-off/byline. Fills author/org/date. */
static int signoff(const cline *l, char *author, char *org, char *date)
{
    author[0] = org[0] = date[0] = '\0';
    if (l->too_long || l->n == 0 || l->n > 40)
        return SIGN_NONE;
    if (parse_cps(l->cp, l->n, 1, date))
        return SIGN_DATE;
    date[0] = '\0';
    size_t a = 0;
    int dash = 0;
    while (a < l->n && (l->cp[a] == 0x2014 || l->cp[a] == '-' ||
                        l->cp[a] == 0x2015 || l->cp[a] == 0x2500)) {
        a++;
        dash = 1;
    }
    for (size_t i = a; i < l->n; i++)
        if (!bg_han_basic(l->cp[i]))
            return SIGN_NONE;
    size_t m = l->n - a;
    /* 年 月 日 of a blank date form, 的 了 and the like: not in names */
    static const uint32_t not_name[] = {0x5E74, 0x6708, 0x65E5, 0x7684,
                                        0x4E86, 0x662F, 0x5728, 0x548C};
    for (size_t i = a; i < l->n; i++)
        for (size_t k = 0; k < sizeof not_name / sizeof *not_name; k++)
            if (l->cp[i] == not_name[k])
                return SIGN_NONE;
    if (m >= 2 && m <= 3 && !dash) {
        put_cps(l->cp + a, m, author, 64);
        return SIGN_NAME;
    }
    /* organisation + name: the last unit word followed by 2-4 characters */
    char buf[LINE_MAX_CP * 4 + 8];
    size_t blen = put_cps(l->cp + a, m, buf, sizeof buf);
    for (size_t k = 0; k < sizeof UNITS / sizeof *UNITS; k++) {
        const char *u = UNITS[k], *hit = NULL, *p = buf;
        while ((p = strstr(p, u)) != NULL) {
            hit = p;
            p += strlen(u);
        }
        if (!hit)
            continue;
        const char *rest = hit + strlen(u);
        size_t rest_cp = 0;
        for (const char *q = rest; *q; q++)
            rest_cp += ((unsigned char)*q & 0xC0) != 0x80;
        if (rest_cp == 0 && dash) {
            snprintf(org, 256, "%.255s", buf);
            return SIGN_ORG;
        }
        int rest_is_unit = 0;
        for (size_t q = 0; q < sizeof UNITS / sizeof *UNITS; q++)
            rest_is_unit |= strstr(rest, UNITS[q]) != NULL;
        if (rest_cp >= 2 && rest_cp <= 4 && hit > buf && !rest_is_unit) {
            int olen = (int)(rest - buf) < 255 ? (int)(rest - buf) : 255;
            snprintf(org, 256, "%.*s", olen, buf);
            snprintf(author, 64, "%.63s", rest);
            return SIGN_ORG;
        }
    }
    (void)blen;
    return SIGN_NONE;
}

/* ---- lines of a document ------------------------------------------------ */

typedef struct line_ref {
    size_t a, b; /* trimmed [a, b) */
} line_ref;

static int is_blank_line(const char *s, size_t a, size_t b)
{
    cline l;
    read_line(s, a, b, 1, &l);
    return l.n == 0;
}

static void trim(const char *s, size_t *a, size_t *b)
{
    for (;;) {
        size_t next;
        if (*a >= *b)
            return;
        uint32_t c = bg_utf8_next(s, *a, &next);
        if (!is_space_cp(c))
            break;
        *a = next;
    }
    for (;;) {
        if (*b <= *a)
            return;
        size_t k = *b - 1;
        while (k > *a && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        size_t next;
        uint32_t c = bg_utf8_next(s, k, &next);
        if (!is_space_cp(c))
            return;
        *b = k;
    }
}

static int starts_with(const char *s, size_t a, size_t b, const char *p)
{
    size_t n = strlen(p);
    return b - a >= n && memcmp(s + a, p, n) == 0;
}

static int add_skip(bg_docspan *d, size_t a, size_t b)
{
    bg_range *p = realloc(d->skip, (d->nskip + 1) * sizeof *p);
    if (!p)
        return BG_ENOMEM;
    d->skip = p;
    d->skip[d->nskip].start = a;
    d->skip[d->nskip].end = b;
    d->nskip++;
    return 0;
}

static int set_str(char **field, const char *v)
{
    if (*field || !v || !*v)
        return 0;
    return (*field = strdup(v)) ? 0 : BG_ENOMEM;
}

/* Year and author from the file name: `1987政府工作报告_赵紫阳.txt`,
 * `2025年上海市政府工作报告.docx`; the title too when the text has no
 * title line (`述职报告.txt`). */
static int from_file_name(const bg_source *src, bg_docspan *d)
{
    const char *base = strrchr(src->path, '/');
    base = base ? base + 1 : src->path;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot)
        n = (size_t)(dot - base);
    char date[11];
    int y = 0;
    if (bg_utf8_valid_prefix(base, n) == n)
        y = bg_ingest_parse_date(base, n, 0, date);
    if (y && !d->year)
        d->year = y;
    if (y && !d->date && set_str(&d->date, date))
        return BG_ENOMEM;
    /* no title line and no title field: the name without its extension */
    if (!d->title && d->title_start == d->title_end && n &&
        bg_utf8_valid_prefix(base, n) == n) {
        if (!(d->title = malloc(n + 1)))
            return BG_ENOMEM;
        memcpy(d->title, base, n);
        d->title[n] = '\0';
    }
    /* `…报告_NAME`: a name of 2-4 Han characters after the last '_' */
    const char *us = memchr(base, '_', n);
    if (us && strstr(base, "报告")) {
        const char *last = us;
        while ((us = memchr(last + 1, '_', n - (size_t)(last + 1 - base))))
            last = us;
        cline l;
        size_t a = (size_t)(last + 1 - base);
        if (bg_utf8_valid_prefix(base + a, n - a) == n - a) {
            read_line(base, a, n, 1, &l);
            int ok = l.n >= 2 && l.n <= 4;
            for (size_t i = 0; ok && i < l.n; i++)
                ok = bg_han_basic(l.cp[i]);
            char name[64];
            if (ok) {
                put_cps(l.cp, l.n, name, sizeof name);
                if (set_str(&d->author, name))
                    return BG_ENOMEM;
            }
        }
    }
    return 0;
}

/* A line of running text rather than a title: more than 30 characters,
 * ending with 。！？!? (a title states its topic without a full stop). */
static int body_line(const char *s, size_t a, size_t b)
{
    size_t chars = 0, last = a;
    for (size_t i = a; i < b;) {
        size_t next;
        (void)bg_utf8_next(s, i, &next);
        chars++;
        last = i;
        i = next > i ? next : i + 1;
    }
    size_t n;
    uint32_t c = b > a ? bg_utf8_next(s, last, &n) : 0;
    return chars > 30 && (c == 0x3002 || c == 0xFF01 || c == 0xFF1F ||
                          c == '!' || c == '?' || c == 0xFF0E);
}

int bg_ingest_meta(bg_source *src, bg_docspan *d)
{
    const char *s = src->bytes;
    line_ref lines[8];
    size_t nl = 0, i = d->start;
    int have_title_line = 0;
    cline *l = malloc(sizeof *l);
    if (!l)
        return BG_ENOMEM;
    int rc = 0;
    /* the head: the title line and the three non-blank lines after it */
    while (i < d->end && nl < 4) {
        const char *e = memchr(s + i, '\n', d->end - i);
        size_t eol = e ? (size_t)(e - s) : d->end, a = i, b = eol;
        i = eol + 1;
        trim(s, &a, &b);
        if (a >= b || is_blank_line(s, a, b))
            continue;
        if (!have_title_line) {
            /* export debris before the title: 【法宝引证码】, 原文链接 */
            if (starts_with(s, a, b, "【法宝引证码】") ||
                starts_with(s, a, b, "原文链接") ||
                starts_with(s, a, b, "http://") ||
                starts_with(s, a, b, "https://")) {
                if ((rc = add_skip(d, a, b)))
                    goto cleanup;
                continue;
            }
            have_title_line = 1;
            if (!body_line(s, a, b)) {
                d->title_start = a;
                d->title_end = b;
                continue;
            }
            /* the text starts with its body: no title line (the file
             * name gives the title, below) */
            d->title_start = d->title_end = a;
        }
        /* the title written twice, as database exports do */
        if (nl == 0 && b - a == d->title_end - d->title_start &&
            memcmp(s + a, s + d->title_start, b - a) == 0) {
            if ((rc = add_skip(d, a, b)))
                goto cleanup;
            continue;
        }
        lines[nl].a = a;
        lines[nl].b = b;
        nl++;
    }
    /* the tail: the last three non-blank lines (not already in the head) */
    line_ref tail[3];
    size_t nt = 0, j = d->end;
    size_t head_end = nl ? lines[nl - 1].b : d->title_end;
    while (j > head_end && nt < 3) {
        size_t eol = j;
        size_t k = j;
        while (k > d->start && s[k - 1] != '\n')
            k--;
        size_t a = k, b = eol;
        j = k ? k - 1 : 0;
        if (k == d->start)
            j = d->start;
        trim(s, &a, &b);
        if (a >= b || is_blank_line(s, a, b) || a < head_end) {
            if (k <= d->start)
                break;
            continue;
        }
        tail[nt].a = a;
        tail[nt].b = b;
        nt++;
        if (k <= d->start)
            break;
    }
    char author[64], org[256], date[11];
    /* head lines: only a leading run of sign-off lines counts */
    for (size_t k = 0; k < nl; k++) {
        read_line(s, lines[k].a, lines[k].b, 0, l);
        /* names may be spaced out (`袁 睿`): judge without blanks */
        cline *ns = malloc(sizeof *ns);
        if (!ns) {
            rc = BG_ENOMEM;
            goto cleanup;
        }
        read_line(s, lines[k].a, lines[k].b, 1, ns);
        int kind = signoff(ns, author, org, date);
        free(ns);
        if (kind == SIGN_NONE) {
            /* the second title line of a report (no punctuation at the
             * end) may stand between title and byline */
            if (k == 0 && l->n && l->n <= 40 && !is_punct_cp(l->cp[l->n - 1]))
                continue;
            break;
        }
        if ((rc = add_skip(d, lines[k].a, lines[k].b)) ||
            (rc = set_str(&d->author, author)) ||
            (rc = set_str(&d->org, org)) || (rc = set_str(&d->date, date)))
            goto cleanup;
    }
    /* tail lines, last first: stop at the first line of text */
    for (size_t k = 0; k < nt; k++) {
        read_line(s, tail[k].a, tail[k].b, 1, l);
        int kind = signoff(l, author, org, date);
        if (kind == SIGN_NONE)
            break;
        if ((rc = add_skip(d, tail[k].a, tail[k].b)) ||
            (rc = set_str(&d->author, author)) ||
            (rc = set_str(&d->org, org)) || (rc = set_str(&d->date, date)))
            goto cleanup;
    }
    /* a dateline in the head: `——2025年1月15日在…`, `（2020年）` */
    for (size_t k = 0; k < nl && !d->date; k++) {
        read_line(s, lines[k].a, lines[k].b, 1, l);
        if (l->too_long)
            continue;
        if (parse_cps(l->cp, l->n, 0, date) && strlen(date) >= 7 &&
            (rc = set_str(&d->date, date)))
            goto cleanup;
    }
    if ((rc = from_file_name(src, d)))
        goto cleanup;
    if (d->date && !d->year)
        d->year = atoi(d->date);
cleanup:
    free(l);
    return rc;
}

/* ---- MinHash ------------------------------------------------------------ */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

void bg_ingest_minhash(const char *text, size_t len, uint32_t out[BG_MINHASH_K])
{
    uint32_t win[5] = {0};
    size_t have = 0, i = 0;
    for (size_t k = 0; k < BG_MINHASH_K; k++)
        out[k] = UINT32_MAX;
    while (i < len) {
        uint32_t c = bg_utf8_next(text, i, &i);
        if (is_space_cp(c) || c < 0x30)
            continue;
        memmove(win, win + 1, 4 * sizeof *win);
        win[4] = c;
        if (++have < 5)
            continue;
        uint64_t h = mix64(bg_hash(win, sizeof win, BG_HASH_INIT));
        size_t bucket = (size_t)(h % BG_MINHASH_K);
        uint32_t v = (uint32_t)(h >> 32);
        if (v == UINT32_MAX)
            v--;
        if (v < out[bucket])
            out[bucket] = v;
    }
}

double bg_ingest_similarity(const uint32_t *a, const uint32_t *b)
{
    size_t same = 0, used = 0;
    for (size_t k = 0; k < BG_MINHASH_K; k++) {
        if (a[k] == UINT32_MAX && b[k] == UINT32_MAX)
            continue;
        used++;
        same += a[k] == b[k];
    }
    return used ? (double)same / (double)used : 0.0;
}
