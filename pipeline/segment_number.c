/*
 * segment_number.c - numbers as numbers: the pattern that finds number
 * spans in the analysis form (used by segment.c before the lattice) and
 * bg_number_parse, which reads one span's value (segment.h).
 *
 * Offsets are byte offsets; text is the analysis form (NFKC_Casefold and
 * Simplified: ASCII digits and punctuation, lower-case Latin, Han as
 * written). Pure functions; no shared state.
 */
#include "segment.h"
#include "segment_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Han numerals: digits (〇 U+3007, ○ U+25CB as zero, the financial forms
 * 壹贰叁…), magnitudes, both as PCRE2 classes. */
#define CD "〇○零一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
#define CM "十百千万亿拾佰仟"
#define CURRENCY "元|美元|欧元"

/* Each alternative is named by a mark (pcre2_get_mark): "n" a number that
 * bg_number_parse must accept, "c" the same in Han numerals, where a
 * longer attested dictionary word starting at the same place that is no
 * numeral phrase wins (十五大, 三十而立),
 * "w" a letter-digit name kept whole as a word (covid-19). */
const char BG_NUMBER_PATTERN[] =
    "(?<![0-9.])(?:"
    /* ISO and dotted or slashed dates, times */
    "[0-9]{4}([-/.])[0-9]{1,2}\\1[0-9]{1,2}(?![0-9])(*MARK:n)"
    "|[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?![0-9])(*MARK:n)"
    /* ranges: 2013-2016年, 1-2月, 3%-5%, 10~20万元 */
    "|[0-9]+(?:\\.[0-9]+)?(?:%|年|月)?[-~–—][0-9]+(?:\\.[0-9]+)?"
    "(?:%|‰|年|月|多?[万亿千百]+(?:" CURRENCY ")?|" CURRENCY ")?"
    "(?![0-9])(*MARK:n)"
    /* dates with 年月日, amounts, percentages */
    "|[0-9]{1,4}年(?:[0-9]{1,2}月(?:[0-9]{1,2}[日号])?)?(*MARK:n)"
    "|[0-9]{1,2}月(?:[0-9]{1,2}[日号])?(*MARK:n)"
    "|[0-9]{1,2}[日号](?![0-9])(*MARK:n)"
    "|[0-9]+(?:[.,][0-9]+)*(?:多?[万亿千百]+(?:" CURRENCY ")?|" CURRENCY
    "|%|‰)(*MARK:n)"
    ")"
    /* standards' numbers (gb/t 19001-2016, iso 9001:2015) and documents'
     * (〔2019〕5号) */
    "|(?<![a-z0-9])[a-z]{1,5}(?:/[a-z]{1,3} ?[0-9]+(?:\\.[0-9]+)*"
    "(?:-[0-9]{2,4})?| [0-9]+(?:\\.[0-9]+)*[-:][0-9]{4})(?![0-9a-z])"
    "(*MARK:n)"
    "|[〔\\[][0-9]{4}[〕\\]][0-9]+号(*MARK:n)"
    /* letter-digit names */
    "|(?<![a-z0-9])[a-z]+(?:-[0-9]+)+(?![0-9])(*MARK:w)"
    /* Han numerals, not inside a longer numeral or after 第 (ordinals
     * stay words) */
    "|(?<![" CD CM "点第几])(?:"
    "[〇○零一二三四五六七八九]{2,4}年"
    "(?:[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}[日号])?)?"
    "|[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}[日号])?"
    "|[一二三四五六七八九十]{2,3}日"
    "|[百千]分之(?:[" CD CM "]+)(?:点[" CD "]+)?"
    "|[" CD CM "]+分之[" CD CM "]+(?:点[" CD "]+)?"
    /* a Han decimal only before 万 or 亿 (三点五亿; 一点一滴 is no
     * number), 多 and 余 (more than) before more magnitudes (三十多万) */
    /* approximate: 几十, 十几万, 几百亿元 */
    "|[" CD CM "]*几[" CD CM "]*(?:" CURRENCY ")?"
    "|(?:[" CD CM "]{2,}(?:点[" CD "]+[万亿]+)?|[" CD "]点[" CD
    "]+[万亿]+)(?:[多余][万亿]*)?(?:" CURRENCY ")?"
    ")(*MARK:c)";

/* ---- reading code points ------------------------------------------------ */

#define MAXCP 96

typedef struct cps {
    uint32_t c[MAXCP];
    size_t n;
} cps;

/* Decodes t[0, len) into p; 0 when longer than MAXCP code points. U+00A0
 * (white space inside a term, segment.h) reads as a space. */
static int decode(const char *t, size_t len, cps *p)
{
    p->n = 0;
    for (size_t i = 0; i < len;) {
        if (p->n == MAXCP)
            return 0;
        size_t nx;
        uint32_t c = bg_utf8_next(t, i, &nx);
        p->c[p->n++] = c == 0xA0 ? ' ' : c;
        i = nx;
    }
    return 1;
}

static int is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

int bg_han_digit(uint32_t c)
{
    switch (c) {
    case 0x3007: /* 〇 */
    case 0x25CB: /* ○ */
    case 0x96F6: /* 零 */
        return 0;
    case 0x4E00: /* 一 */
    case 0x58F9: /* 壹 */
        return 1;
    case 0x4E8C: /* 二 */
    case 0x4E24: /* 两 */
    case 0x8D30: /* 贰 */
        return 2;
    case 0x4E09: /* 三 */
    case 0x53C1: /* 叁 */
        return 3;
    case 0x56DB: /* 四 */
    case 0x8086: /* 肆 */
        return 4;
    case 0x4E94: /* 五 */
    case 0x4F0D: /* 伍 */
        return 5;
    case 0x516D: /* 六 */
    case 0x9646: /* 陆 */
        return 6;
    case 0x4E03: /* 七 */
    case 0x67D2: /* 柒 */
        return 7;
    case 0x516B: /* 八 */
    case 0x634C: /* 捌 */
        return 8;
    case 0x4E5D: /* 九 */
    case 0x7396: /* 玖 */
        return 9;
    default:
        break;
    }
    return -1;
}

double bg_han_magnitude(uint32_t c)
{
    switch (c) {
    case 0x5341: /* 十 */
    case 0x62FE: /* 拾 */
        return 10;
    case 0x767E: /* 百 */
    case 0x4F70: /* 佰 */
        return 100;
    case 0x5343: /* 千 */
    case 0x4EDF: /* 仟 */
        return 1000;
    case 0x4E07: /* 万 */
        return 1e4;
    case 0x4EBF: /* 亿 */
        return 1e8;
    default:
        break;
    }
    return 0;
}

/* 1 when p->c[a, a + n) spells s (UTF-8). */
static int has(const cps *p, size_t a, const char *s)
{
    size_t i = 0, len = strlen(s);
    for (size_t k = 0; k < len; a++) {
        size_t nx;
        uint32_t c = bg_utf8_next(s, k, &nx);
        if (a >= p->n || p->c[a] != c)
            return 0;
        k = nx;
        i++;
    }
    return (int)i;
}

/* Length in code points of the currency at p->c[a], copying its name into
 * unit; 0 when none. */
static size_t currency(const cps *p, size_t a, char unit[16])
{
    static const char *const names[] = {"美元", "欧元", "元"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        int n = has(p, a, names[i]);
        if (n) {
            snprintf(unit, 16, "%s", names[i]);
            return (size_t)n;
        }
    }
    return 0;
}

/* ---- Han numerals ------------------------------------------------------- */

/* A Han cardinal p->c[a, b): positional (二千八百亿, 两万三千零二十, 一万亿),
 * with a leading 十 for 1 x 10 (十五) and a last digit after a magnitude of
 * 100 or more read as one step below it (一百五 = 150, 三万五 = 35000). At
 * least one magnitude is required: a run of digits (一二三, 五四) is no
 * cardinal. Returns 1 with *v set, else 0. */
static int han_cardinal(const cps *p, size_t a, size_t b, double *v)
{
    double big = 0, mid = 0, group = 0, last_small = 1e4, last_mag = 0;
    int digit = -1, zero = 0, mags = 0;
    if (a >= b)
        return 0;
    for (size_t i = a; i < b; i++) {
        uint32_t c = p->c[i];
        int d = bg_han_digit(c);
        double m = bg_han_magnitude(c);
        if (d == 0) {
            /* a zero fills a skipped place: only between a magnitude and
             * a digit (三千零二十, 一百零五) */
            if (digit != -1 || i == a || i + 1 == b)
                return 0;
            zero = 1;
        } else if (d > 0) {
            if (digit != -1)
                return 0;
            digit = d;
        } else if (m > 0 && m < 1e4) {
            if (m >= last_small)
                return 0;
            if (digit == -1 && !(m == 10 && group == 0 && !zero))
                return 0;
            group += (digit == -1 ? 1 : digit) * m;
            digit = -1;
            last_small = m;
            last_mag = m;
            zero = 0;
            mags++;
        } else if (m == 1e4) {
            if (mid > 0 || (group == 0 && digit == -1))
                return 0;
            mid = (group + (digit > 0 ? digit : 0)) * 1e4;
            group = 0;
            digit = -1;
            last_small = 1e4;
            last_mag = m;
            zero = 0;
            mags++;
        } else if (m == 1e8) {
            double all = big + mid + group + (digit > 0 ? digit : 0);
            if (all == 0)
                return 0;
            big = all * 1e8;
            mid = group = 0;
            digit = -1;
            last_small = 1e4;
            last_mag = m;
            zero = 0;
            mags++;
        } else
            return 0;
    }
    if (!mags)
        return 0;
    if (digit > 0) {
        /* 一百五: the digit stands one place below the last magnitude */
        if (!zero && last_mag >= 100)
            group += digit * last_mag / 10;
        else
            group += digit;
    }
    *v = big + mid + group;
    return 1;
}

/* Han digits read one by one (一九五四 = 1954, 〇五 = 5); *ndig their
 * count. 两 is no digit here (it is not written in years or decimals). */
static int han_digits(const cps *p, size_t a, size_t b, double *v)
{
    double x = 0;
    if (a >= b)
        return 0;
    for (size_t i = a; i < b; i++) {
        int d = bg_han_digit(p->c[i]);
        if (d < 0 || p->c[i] == 0x4E24)
            return 0;
        x = x * 10 + d;
    }
    *v = x;
    return 1;
}

/* A Han number p->c[a, b): a cardinal, or with single_ok a lone digit,
 * then optionally 点 and digits, then optionally 万, 亿 or 万亿 when a
 * decimal point was written (三点五亿 = 3.5 x 10^8). */
static int han_number(const cps *p, size_t a, size_t b, int single_ok,
                      double *v)
{
    size_t dot = a;
    while (dot < b && p->c[dot] != 0x70B9) /* 点 */
        dot++;
    double ip;
    if (dot - a == 1 && bg_han_digit(p->c[a]) >= 0 && (single_ok || dot < b))
        ip = bg_han_digit(p->c[a]);
    else if (!han_cardinal(p, a, dot, &ip))
        return 0;
    if (dot == b) {
        *v = ip;
        return 1;
    }
    size_t e = dot + 1;
    while (e < b && bg_han_digit(p->c[e]) >= 0)
        e++;
    double frac;
    if (!han_digits(p, dot + 1, e, &frac))
        return 0;
    double x = ip + frac / pow(10, (double)(e - dot - 1));
    for (; e < b; e++) {
        double m = bg_han_magnitude(p->c[e]);
        if (m != 1e4 && m != 1e8)
            return 0;
        x *= m;
    }
    *v = x;
    return 1;
}

/* A month (1-12) or day (1-31) in Han numerals: 十, 十二, 三十一, 五. */
static int han_small(const cps *p, size_t a, size_t b, int max, int *out)
{
    double v;
    if (b - a == 1 && p->c[a] == 0x5341) /* 十 */
        v = 10;
    else if (!han_number(p, a, b, 1, &v))
        return 0;
    if (v < 1 || v > max || v != floor(v))
        return 0;
    *out = (int)v;
    return 1;
}

/* ---- Arabic digits ------------------------------------------------------ */

/* Digits p->c[a, b) with at most one '.', or commas between groups of
 * three; *v its value. A leading zero is allowed only before '.' or
 * alone (0931 is a code, not a number). */
static int arabic(const cps *p, size_t a, size_t b, double *v)
{
    char buf[MAXCP + 1];
    size_t n = 0, dots = 0, group = 0, commas = 0;
    if (a >= b || !is_digit(p->c[a]))
        return 0;
    for (size_t i = a; i < b; i++) {
        uint32_t c = p->c[i];
        if (is_digit(c)) {
            buf[n++] = (char)c;
            group++;
        } else if (c == '.' && !dots && i + 1 < b && is_digit(p->c[i + 1])) {
            if (commas && group != 3)
                return 0;
            buf[n++] = '.';
            dots++;
            group = 0;
        } else if (c == ',' && !dots && i + 1 < b) {
            if ((commas && group != 3) || (!commas && group > 3))
                return 0;
            commas++;
            group = 0;
        } else
            return 0;
    }
    if (commas && !dots && group != 3)
        return 0;
    if (buf[0] == '0' && n > 1 && buf[1] != '.')
        return 0;
    buf[n] = '\0';
    *v = strtod(buf, NULL);
    return 1;
}

/* The value of the ASCII digits p->c[a, b) (b - a <= 9). */
static int small_int(const cps *p, size_t a, size_t b)
{
    int v = 0;
    for (size_t i = a; i < b; i++)
        v = v * 10 + (int)(p->c[i] - '0');
    return v;
}

/* Code points up to the first that is not a digit, from a. */
static size_t digits_end(const cps *p, size_t a)
{
    while (a < p->n && is_digit(p->c[a]))
        a++;
    return a;
}

static int days_ok(int month, int day)
{
    static const int max[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month >= 1 && month <= 12 && day >= 1 && day <= max[month - 1];
}

/* ---- the parts of bg_number_parse -------------------------------------- */

/* YYYY[-/.]M[-/.]D, the separator the same twice; YYYY-MM. */
static int iso_date(const cps *p, bg_number *out)
{
    size_t y = digits_end(p, 0);
    if (y != 4 || y + 1 >= p->n)
        return 0;
    uint32_t sep = p->c[4];
    if (sep != '-' && sep != '/' && sep != '.')
        return 0;
    size_t m = digits_end(p, 5);
    if (m == 5 || m - 5 > 2)
        return 0;
    int yy = small_int(p, 0, 4), mm = small_int(p, 5, m), dd;
    if (m == p->n) {
        /* YYYY-MM: two-digit months only, and not with . (2013.12 is a
         * decimal) */
        if (sep != '-' || m - 5 != 2 || mm < 1 || mm > 12)
            return 0;
        out->type = BG_NUM_DATE;
        snprintf(out->iso, sizeof out->iso, "%04d-%02d", yy, mm);
        return 1;
    }
    if (p->c[m] != sep)
        return 0;
    size_t d = digits_end(p, m + 1);
    if (d != p->n || d == m + 1 || d - m - 1 > 2)
        return 0;
    dd = small_int(p, m + 1, d);
    if (!days_ok(mm, dd))
        return 0;
    out->type = BG_NUM_DATE;
    snprintf(out->iso, sizeof out->iso, "%04d-%02d-%02d", yy, mm, dd);
    return 1;
}

/* H:MM or H:MM:SS, H < 24, MM and SS < 60. */
static int iso_time(const cps *p, bg_number *out)
{
    size_t h = digits_end(p, 0);
    if (h == 0 || h > 2 || h >= p->n || p->c[h] != ':')
        return 0;
    size_t m = digits_end(p, h + 1), s = m;
    if (m - h - 1 != 2)
        return 0;
    if (m < p->n) {
        if (p->c[m] != ':')
            return 0;
        s = digits_end(p, m + 1);
        if (s - m - 1 != 2 || s != p->n)
            return 0;
    }
    int hh = small_int(p, 0, h), mm = small_int(p, h + 1, m), ss = -1;
    if (s > m)
        ss = small_int(p, m + 1, s);
    if (hh >= 24 || mm >= 60 || ss >= 60)
        return 0;
    out->type = BG_NUM_TIME;
    if (ss >= 0)
        snprintf(out->iso, sizeof out->iso, "%02d:%02d:%02d", hh, mm, ss);
    else
        snprintf(out->iso, sizeof out->iso, "%02d:%02d", hh, mm);
    return 1;
}

/* A date written with 年 月 日 (or 号) in Arabic or Han digits: 2013年,
 * 2013年4月15日, 4月15日, 十二月, 十五日, 一九五四年, 二〇一三年四月十五日.
 * A year of one to three Arabic digits without a month is a duration (40年:
 * 40 years), not a date. */
static int ymd(const cps *p, bg_number *out)
{
    int year = -1, ylen = 0, month = 0, day = 0;
    size_t i = 0, e;
    uint32_t nian = 0x5E74, yue = 0x6708, ri = 0x65E5, hao = 0x53F7;
    int han = !is_digit(p->c[0]);
    /* year */
    for (e = 0; e < p->n && p->c[e] != nian && p->c[e] != yue &&
                p->c[e] != ri && p->c[e] != hao;
         e++)
        ;
    if (e == p->n)
        return 0;
    if (p->c[e] == nian) {
        double y;
        if (han ? !han_digits(p, 0, e, &y) || e < 2
                : digits_end(p, 0) != e || e > 4)
            return 0;
        if (!han)
            y = small_int(p, 0, e);
        year = (int)y;
        ylen = (int)e;
        i = e + 1;
        if (i == p->n) {
            if (!han && ylen < 4) {
                out->type = BG_NUM_QUANTITY;
                out->value = y;
                snprintf(out->unit, sizeof out->unit, "年");
                return 1;
            }
            out->type = BG_NUM_DATE;
            if (ylen == 4)
                snprintf(out->iso, sizeof out->iso, "%04d", year);
            return 1;
        }
    }
    /* month */
    for (e = i; e < p->n && p->c[e] != yue && p->c[e] != ri && p->c[e] != hao;
         e++)
        ;
    if (e < p->n && p->c[e] == yue) {
        if (han ? !han_small(p, i, e, 12, &month)
                : digits_end(p, i) != e || e == i || e - i > 2 ||
                      (month = small_int(p, i, e)) < 1 || month > 12)
            return 0;
        i = e + 1;
    }
    /* day */
    if (i < p->n) {
        for (e = i; e < p->n && p->c[e] != ri && p->c[e] != hao; e++)
            ;
        if (e + 1 != p->n)
            return 0;
        if (han ? !han_small(p, i, e, 31, &day)
                : digits_end(p, i) != e || e == i || e - i > 2 ||
                      (day = small_int(p, i, e)) < 1 || day > 31)
            return 0;
        if (month && !days_ok(month, day))
            return 0;
        if (year >= 0 && !month)
            return 0; /* 2013年15日 */
    }
    out->type = BG_NUM_DATE;
    if (year >= 0 && ylen != 4)
        return 1; /* 九七年五月: the century is not written */
    if (year >= 0)
        snprintf(out->iso, sizeof out->iso,
                 day ? "%04d-%02d-%02d" : "%04d-%02d", year, month, day);
    else if (month && day)
        snprintf(out->iso, sizeof out->iso, "--%02d-%02d", month, day);
    else if (month)
        snprintf(out->iso, sizeof out->iso, "--%02d", month);
    else
        snprintf(out->iso, sizeof out->iso, "---%02d", day);
    return 1;
}

/* Magnitude characters after Arabic digits (3.5万, 1万亿, 600多万: 多 is
 * dropped, the value is the stated one): their product, from p->c[*i],
 * advancing *i; 1 when none. Each must be larger than the one before
 * (千万, 万亿): after a larger one a magnitude starts a unit's name
 * (3.5亿千瓦 is 3.5亿 and 千瓦, 5万千米 is 5万 and 千米), so it stops there. */
static double arabic_magnitude(const cps *p, size_t *i)
{
    double x = 1, last = 0;
    if (*i < p->n && p->c[*i] == 0x591A /* 多 */ && *i + 1 < p->n &&
        bg_han_magnitude(p->c[*i + 1]) > 0)
        (*i)++;
    for (double m;
         *i < p->n && (m = bg_han_magnitude(p->c[*i])) >= 100 && m > last;
         (*i)++) {
        x *= m;
        last = m;
    }
    return x;
}

/* Arabic digits with magnitude, currency, % or ‰: 3.5万元, 2800亿元, 6.1%,
 * 1,234.5元. Plain digits (70, 1,234.5) too. */
static int arabic_quantity(const cps *p, size_t a, size_t b, bg_number *out)
{
    size_t e = a;
    while (e < b && (is_digit(p->c[e]) || p->c[e] == '.' || p->c[e] == ','))
        e++;
    double v;
    if (!arabic(p, a, e, &v))
        return 0;
    size_t i = e;
    cps q = *p;
    q.n = b;
    v *= arabic_magnitude(&q, &i);
    out->unit[0] = '\0';
    if (i < b) {
        if (p->c[i] == '%' || p->c[i] == 0x2030) {
            snprintf(out->unit, sizeof out->unit, p->c[i] == '%' ? "%%" : "‰");
            i++;
        } else
            i += currency(&q, i, out->unit);
    }
    if (i != b)
        return 0;
    out->type = BG_NUM_QUANTITY;
    out->value = v;
    return 1;
}

static void fmt_value(char *s, size_t n, double v)
{
    snprintf(s, n, "%.15g", v);
}

/* A range A-B (also ~ – —): years (2013-2016年, 2013年-2016年), months
 * (1-2月), quantities with one unit (3%-5%, 10-20万元: the left side takes
 * the right side's magnitude and unit when it has none); A < B. */
static int range(const cps *p, bg_number *out)
{
    size_t s = 0;
    while (s < p->n && p->c[s] != '-' && p->c[s] != '~' && p->c[s] != 0x2013 &&
           p->c[s] != 0x2014)
        s++;
    if (s == 0 || s + 1 >= p->n)
        return 0;
    uint32_t nian = 0x5E74, yue = 0x6708;
    size_t le = s, re = p->n;
    uint32_t lu = 0, ru = 0;
    if (p->c[le - 1] == nian || p->c[le - 1] == yue)
        lu = p->c[--le];
    if (p->c[re - 1] == nian || p->c[re - 1] == yue)
        ru = p->c[--re];
    if (lu && lu != ru)
        return 0;
    if (ru) {
        double lo, hi;
        if (!arabic(p, 0, le, &lo) || !arabic(p, s + 1, re, &hi) || lo >= hi ||
            lo != floor(lo) || hi != floor(hi))
            return 0;
        out->type = BG_NUM_RANGE;
        if (ru == nian && le == 4 && re - s - 1 == 4)
            snprintf(out->iso, sizeof out->iso, "%04d/%04d", (int)lo, (int)hi);
        else if (ru == yue && lo >= 1 && hi <= 12)
            snprintf(out->iso, sizeof out->iso, "--%02d/--%02d", (int)lo,
                     (int)hi);
        else if (ru == nian) {
            /* durations: 3-5年 */
            snprintf(out->unit, sizeof out->unit, "年");
            snprintf(out->iso, sizeof out->iso, "%d/%d", (int)lo, (int)hi);
        } else
            return 0;
        return 1;
    }
    bg_number l = {0}, r = {0};
    if (!arabic_quantity(p, 0, s, &l) || !arabic_quantity(p, s + 1, p->n, &r))
        return 0;
    if (l.unit[0] == '\0' && r.unit[0] != '\0') {
        /* the left side takes the right one's magnitude and unit */
        size_t i = s + 1;
        while (i < p->n &&
               (is_digit(p->c[i]) || p->c[i] == '.' || p->c[i] == ','))
            i++;
        size_t j = i;
        l.value *= arabic_magnitude(p, &j);
        memcpy(l.unit, r.unit, sizeof l.unit);
    } else if (strcmp(l.unit, r.unit) != 0)
        return 0;
    if (!(l.value < r.value))
        return 0;
    char lo[24], hi[24];
    fmt_value(lo, sizeof lo, l.value);
    fmt_value(hi, sizeof hi, r.value);
    out->type = BG_NUM_RANGE;
    memcpy(out->unit, r.unit, sizeof out->unit);
    snprintf(out->iso, sizeof out->iso, "%s/%s", lo, hi);
    return 1;
}

/* gb/t 19001-2016, gb 50016-2014, iso 9001:2015, 〔2019〕5号. */
static int code(const cps *p, bg_number *out)
{
    size_t i = 0;
    if (p->n && (p->c[0] == 0x3014 || p->c[0] == '[')) {
        if (digits_end(p, 1) != 5 || p->n < 8 ||
            (p->c[5] != 0x3015 && p->c[5] != ']') ||
            digits_end(p, 6) != p->n - 1 || p->c[p->n - 1] != 0x53F7)
            return 0;
        out->type = BG_NUM_CODE;
        return 1;
    }
    while (i < p->n && p->c[i] >= 'a' && p->c[i] <= 'z')
        i++;
    if (i == 0 || i > 5 || i == p->n)
        return 0;
    int slash = 0;
    if (p->c[i] == '/') {
        size_t j = ++i;
        while (i < p->n && p->c[i] >= 'a' && p->c[i] <= 'z')
            i++;
        if (i == j || i - j > 3)
            return 0;
        slash = 1;
    }
    if (i < p->n && p->c[i] == ' ')
        i++;
    else if (!slash)
        return 0;
    size_t d = digits_end(p, i);
    if (d == i)
        return 0;
    while (d < p->n && p->c[d] == '.' && digits_end(p, d + 1) > d + 1)
        d = digits_end(p, d + 1);
    if (d < p->n && (p->c[d] == '-' || p->c[d] == ':')) {
        size_t y = digits_end(p, d + 1);
        if (y == d + 1 || y != p->n)
            return 0;
        d = y;
    } else if (!slash)
        return 0;
    if (d != p->n)
        return 0;
    out->type = BG_NUM_CODE;
    return 1;
}

/* Han numbers: percentages (百分之三十, 千分之五), fractions (三分之一),
 * cardinals with an optional currency (二千八百亿元, 两万三千零二十元). */
static int han_quantity(const cps *p, bg_number *out)
{
    /* 几 (a few) in place of a digit: an approximate numeral, valid when
     * it is with a digit in its place (几十 as 一十, 十几 as 十一) */
    size_t ji = 0;
    while (ji < p->n && p->c[ji] != 0x51E0)
        ji++;
    if (ji < p->n) {
        cps q = *p;
        size_t e = 0;
        for (size_t i = 0; i < q.n; i++)
            if (q.c[i] == 0x51E0)
                q.c[i] = 0x4E00;
        while (e < q.n &&
               (bg_han_digit(q.c[e]) >= 0 || bg_han_magnitude(q.c[e]) > 0))
            e++;
        char unit[16] = "";
        double v;
        if ((e < q.n && currency(&q, e, unit) != q.n - e) ||
            !han_cardinal(&q, 0, e, &v))
            return 0;
        out->type = BG_NUM_QUANTITY;
        out->value = NAN;
        memcpy(out->unit, unit, sizeof unit);
        return 1;
    }
    size_t fen = 0;
    while (fen + 2 < p->n && !(p->c[fen + 1] == 0x5206 /* 分 */ &&
                               p->c[fen + 2] == 0x4E4B /* 之 */))
        fen++;
    double v, den;
    if (fen + 2 < p->n) {
        size_t a = fen + 3;
        if (a >= p->n)
            return 0;
        int pct = fen == 0 && (p->c[0] == 0x767E || p->c[0] == 0x5343);
        if (pct) {
            /* 百分之百: a hundred per cent */
            if (a + 1 == p->n && p->c[a] == p->c[0])
                v = p->c[0] == 0x767E ? 100 : 1000;
            else if (!han_number(p, a, p->n, 1, &v))
                return 0;
            out->type = BG_NUM_QUANTITY;
            out->value = v;
            snprintf(out->unit, sizeof out->unit,
                     p->c[0] == 0x767E ? "%%" : "‰");
            return 1;
        }
        if (!han_number(p, 0, fen + 1, 1, &den) || den == 0 ||
            !han_number(p, a, p->n, 1, &v))
            return 0;
        out->type = BG_NUM_QUANTITY;
        out->value = v / den;
        return 1;
    }
    /* the numeral ends at the first other character: 多 or 余 (二十多,
     * more than 20, read as the stated 20), then 万 or 亿 (三十多万), or a
     * currency */
    size_t e = 1;
    while (e < p->n && (bg_han_digit(p->c[e]) >= 0 ||
                        bg_han_magnitude(p->c[e]) > 0 || p->c[e] == 0x70B9))
        e++;
    size_t j = e;
    double m = 1, x;
    if (j < p->n && (p->c[j] == 0x591A || p->c[j] == 0x4F59))
        for (j++; j < p->n && (x = bg_han_magnitude(p->c[j])) >= 1e4; j++)
            m *= x;
    char unit[16] = "";
    if (j < p->n && currency(p, j, unit) != p->n - j)
        return 0;
    if (!han_number(p, 0, e, 0, &v))
        return 0;
    out->type = BG_NUM_QUANTITY;
    out->value = v * m;
    memcpy(out->unit, unit, sizeof unit);
    return 1;
}

void bg_number_classes(unsigned char *table)
{
    static const struct {
        const char *chars;
        unsigned char cls;
    } han[] = {{CD CM "几", BG_NUMC_HAN},
               {"点第", BG_NUMC_HAN_PREV},
               {"分月", BG_NUMC_HAN_NEXT}};
    for (unsigned c = '0'; c <= '9'; c++)
        table[c] = BG_NUMC_DIGIT;
    table['.'] = BG_NUMC_DOT;
    for (unsigned c = 'a'; c <= 'z'; c++)
        table[c] = BG_NUMC_LETTER;
    table['['] = BG_NUMC_BRACKET;
    table[0x3014] = BG_NUMC_BRACKET; /* 〔 */
    for (size_t k = 0; k < sizeof han / sizeof *han; k++)
        for (size_t i = 0, n = strlen(han[k].chars); i < n;) {
            size_t nx;
            uint32_t c = bg_utf8_next(han[k].chars, i, &nx);
            table[c] = han[k].cls;
            i = nx;
        }
}

int bg_number_lead(uint32_t cp)
{
    return is_digit(cp) || (cp >= 'a' && cp <= 'z') || cp == '[' ||
           cp == 0x3014 || cp == 0x51E0 || bg_han_digit(cp) >= 0 ||
           bg_han_magnitude(cp) > 0;
}

/* Digits with dots and commas that are no number (1.2.3, a version; 3,4):
 * a code. */
static int digit_code(const cps *p, bg_number *out)
{
    for (size_t i = 0; i < p->n; i++)
        if (!is_digit(p->c[i]) && p->c[i] != '.' && p->c[i] != ',')
            return 0;
    out->type = BG_NUM_CODE;
    return 1;
}

int bg_number_parse(const char *t, size_t len, bg_number *out)
{
    cps p;
    memset(out, 0, sizeof *out);
    if (len == 0 || !decode(t, len, &p))
        return 0;
    uint32_t c0 = p.c[0];
    int ok;
    if (is_digit(c0))
        ok = iso_date(&p, out) || iso_time(&p, out) || ymd(&p, out) ||
             range(&p, out) || arabic_quantity(&p, 0, p.n, out) ||
             digit_code(&p, out);
    else if (bg_han_digit(c0) >= 0 || bg_han_magnitude(c0) > 0 || c0 == 0x51E0)
        /* one Han character (一, 十) is a word, as the pattern has it */
        ok = p.n > 1 && (ymd(&p, out) || han_quantity(&p, out));
    else
        ok = code(&p, out);
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}

size_t bg_number_parts(const char *t, size_t a, size_t b, size_t *part_end)
{
    bg_number num;
    size_t nx;
    if (!bg_number_parse(t + a, b - a, &num))
        goto whole;
    if (num.type == BG_NUM_RANGE) {
        /* the first separator after the first character */
        (void)bg_utf8_next(t, a, &nx);
        for (size_t i = nx; i < b; i = nx) {
            uint32_t c = bg_utf8_next(t, i, &nx);
            if (c == '-' || c == '~' || c == 0x2013 || c == 0x2014) {
                part_end[0] = i;
                part_end[1] = nx;
                part_end[2] = b;
                return 3;
            }
        }
    } else if (num.type == BG_NUM_DATE && strncmp(num.iso, "--", 2) == 0 &&
               num.iso[2] != '-' && num.iso[4] == '-' &&
               !is_digit((unsigned char)t[a])) {
        /* 十二月三十一日: after 月 */
        for (size_t i = a; i < b; i = nx)
            if (bg_utf8_next(t, i, &nx) == 0x6708) {
                part_end[0] = nx;
                part_end[1] = b;
                return 2;
            }
    }
whole:
    part_end[0] = b;
    return 1;
}

const char *bg_number_type_name(bg_number_type type)
{
    switch (type) {
    case BG_NUM_QUANTITY:
        return "quantity";
    case BG_NUM_DATE:
        return "date";
    case BG_NUM_TIME:
        return "time";
    case BG_NUM_RANGE:
        return "range";
    case BG_NUM_CODE:
        return "code";
    case BG_NUM_NONE:
        break;
    default:
        break;
    }
    return "";
}
