/*
 * sentence.c - sentence cutting and outline markers over the analysis form.
 */
#include "sentence.h"

#include <stdlib.h>
#include <string.h>

static int starts(const char *s, size_t i, size_t end, const char *lit)
{
    size_t n = strlen(lit);
    return i + n <= end && memcmp(s + i, lit, n) == 0;
}

/* Chinese numerals used in enumerators (一 … 十, 百, 零, 〇). */
static size_t cn_numerals(const char *s, size_t i, size_t end, size_t max)
{
    static const char *const nums[] = {"一", "二", "三", "四", "五", "六", "七",
                                       "八", "九", "十", "百", "零", "〇"};
    size_t at = i, count = 0;
    for (;;) {
        size_t k;
        for (k = 0; k < sizeof nums / sizeof *nums; k++)
            if (starts(s, at, end, nums[k]))
                break;
        if (k == sizeof nums / sizeof *nums || count == max)
            break;
        at += 3;
        count++;
    }
    return at - i;
}

static size_t digits(const char *s, size_t i, size_t end, size_t max)
{
    size_t at = i;
    while (at < end && at - i < max && s[at] >= '0' && s[at] <= '9')
        at++;
    return at - i;
}

/* Skips separators that may follow an enumerator: , 、 : . and spaces. */
static size_t after_marker(const char *s, size_t i, size_t end)
{
    for (;;) {
        if (i < end && (s[i] == ',' || s[i] == ':' || s[i] == ' ' ||
                        s[i] == '.' || s[i] == '\t'))
            i++;
        else if (starts(s, i, end, "、"))
            i += 3;
        else
            return i;
    }
}

/* The end of the markdown marks opening a line at s[i, end): block quotes
 * (> …), a heading's # … ###### and a list bullet (* - + before a space),
 * each with the spaces after it; i when there are none. *bullet is set
 * when a bullet was among them, *depth to the heading's number of # (0
 * when none). */
static size_t markdown_marks(const char *s, size_t i, size_t end, int *bullet,
                             int *depth)
{
    *bullet = 0;
    *depth = 0;
    for (;;) {
        size_t j = i;
        if (j < end && s[j] == '>')
            j++;
        else if (j < end && s[j] == '#') {
            while (j < end && j - i < 6 && s[j] == '#')
                j++;
            *depth = (int)(j - i);
        } else if (j + 1 < end && (s[j] == '*' || s[j] == '-' || s[j] == '+') &&
                   (s[j + 1] == ' ' || s[j + 1] == '\t')) {
            j++;
            *bullet = 1;
        } else
            return i;
        while (j < end && (s[j] == ' ' || s[j] == '\t'))
            j++;
        i = j;
    }
}

/* The outline level of the enumerator at s[i, end) (0 if none); *mend is
 * set after it. src/orig_start let circled numbers, which NFKC folds to
 * digits, be seen in the original. */
static int marker_at(const char *s, size_t i, size_t end, const char *orig,
                     size_t *mend)
{
    size_t n, m;
    /* 5: ① … ⑳ (U+2460 … U+2473: E2 91 A0 … E2 91 B3) in the original */
    if (orig && (unsigned char)orig[0] == 0xE2 &&
        (unsigned char)orig[1] == 0x91 && (unsigned char)orig[2] >= 0xA0 &&
        (unsigned char)orig[2] <= 0xB3) {
        *mend = after_marker(s, i + digits(s, i, end, 2), end);
        return 5;
    }
    if ((n = cn_numerals(s, i, end, 3)) > 0) {
        if (starts(s, i + n, end, "、")) {
            *mend = after_marker(s, i + n, end);
            return 1;
        }
        if (n <= 6 &&
            (starts(s, i + n, end, "是") || starts(s, i + n, end, "要") ||
             starts(s, i + n, end, "方面"))) {
            m = i + n + (starts(s, i + n, end, "方面") ? 6 : 3);
            if (m < end && !starts(s, m, end, "。")) {
                *mend = after_marker(s, m, end);
                return 6;
            }
        }
    }
    if (starts(s, i, end, "第")) {
        size_t j = i + 3;
        if ((n = cn_numerals(s, j, end, 4)) > 0 ||
            (n = digits(s, j, end, 3)) > 0) {
            j += n;
            static const char *const l1[] = {"章", "部分", "篇", "节"};
            for (size_t k = 0; k < 4; k++)
                if (starts(s, j, end, l1[k])) {
                    *mend = after_marker(s, j + strlen(l1[k]), end);
                    return 1;
                }
            if (starts(s, j, end, "条")) {
                *mend = after_marker(s, j + 3, end);
                return 2;
            }
            if (j < end && (s[j] == ',' || starts(s, j, end, "、"))) {
                *mend = after_marker(s, j, end);
                return 6;
            }
        }
    }
    if (s[i] == '(' && (n = cn_numerals(s, i + 1, end, 3)) > 0 &&
        i + 1 + n < end && s[i + 1 + n] == ')') {
        *mend = after_marker(s, i + 2 + n, end);
        return 2;
    }
    if (s[i] == '(' && (n = digits(s, i + 1, end, 2)) > 0 && i + 1 + n < end &&
        s[i + 1 + n] == ')') {
        *mend = after_marker(s, i + 2 + n, end);
        return 4;
    }
    if ((n = digits(s, i, end, 2)) > 0) {
        m = i + n;
        if (starts(s, m, end, "、") ||
            (m < end && s[m] == '.' &&
             !(m + 1 < end && s[m + 1] >= '0' && s[m + 1] <= '9'))) {
            *mend = after_marker(s, m, end);
            return 3;
        }
    }
    static const char *const seq[] = {"首先", "其次", "再次", "最后"};
    for (size_t k = 0; k < 4; k++)
        if (starts(s, i, end, seq[k]) &&
            (starts(s, i + 6, end, ",") || starts(s, i + 6, end, "、") ||
             starts(s, i + 6, end, ":"))) {
            *mend = after_marker(s, i + 6, end);
            return 6;
        }
    if (starts(s, i, end, "——") || starts(s, i, end, "----")) {
        m = i;
        while (starts(s, m, end, "—") || (m < end && s[m] == '-'))
            m += s[m] == '-' ? 1 : 3;
        *mend = after_marker(s, m, end);
        return 7;
    }
    return 0;
}

/* Length of a sentence-final mark at s[i]: 。 ! ? ; or a run of 2+ dots. */
static size_t final_mark(const char *s, size_t i, size_t end)
{
    if (starts(s, i, end, "。"))
        return 3;
    if (s[i] == '!' || s[i] == '?' || s[i] == ';')
        return 1;
    if (s[i] == '.' && i + 1 < end && s[i + 1] == '.') {
        size_t j = i;
        while (j < end && s[j] == '.')
            j++;
        return j - i;
    }
    return 0;
}

/* Length of a closing quote or bracket at s[i] that stays with the
 * sentence before it. */
static size_t closer(const char *s, size_t i, size_t end)
{
    static const char *const cl[] = {"”",  "’",  "」", "』",
                                     "》", "〉", "】", "〕"};
    if (i < end && (s[i] == '"' || s[i] == '\'' || s[i] == ')' || s[i] == ']'))
        return 1;
    for (size_t k = 0; k < sizeof cl / sizeof *cl; k++)
        if (starts(s, i, end, cl[k]))
            return strlen(cl[k]);
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

typedef struct splitter {
    const bg_text *t;
    const char *src;
    size_t base, title_start, title_end;
    bg_sentence *v;
    size_t n, cap;
} splitter;

static int push(splitter *sp, size_t a, size_t b, size_t line, int line_start,
                int line_end, int terminated)
{
    const char *s = sp->t->analysis;
    while (a < b && is_space(s[a]))
        a++;
    while (b > a && is_space(s[b - 1]))
        b--;
    if (a == b)
        return 0;
    if (BG_RESERVE(sp->v, sp->cap, sp->n + 1))
        return BG_ENOMEM;
    bg_sentence *x = &sp->v[sp->n++];
    memset(x, 0, sizeof *x);
    x->a_start = a;
    x->a_end = b;
    x->start = sp->t->orig_start[a];
    x->end = sp->t->orig_end[b - 1];
    x->line = line;
    x->line_start = line_start != 0;
    x->line_end = line_end != 0;
    x->terminated = terminated != 0;
    x->title = x->start >= sp->title_start && x->end <= sp->title_end &&
               sp->title_start < sp->title_end;
    x->marker_end = a;
    /* markdown marks at a line's start: the enumerator, if any, follows
     * them; a bullet alone is a level-7 bullet, a heading's or quote's
     * marks alone are left out of the text that states the item */
    int bullet = 0, depth = 0;
    size_t md = line_start ? markdown_marks(s, a, b, &bullet, &depth) : a;
    if (md >= b)
        md = a, depth = 0;
    x->md_heading = (unsigned)depth & 7u;
    size_t mend = md;
    const char *orig = md == a ? sp->src + (x->start - sp->base) : NULL;
    int lvl = 0;
    if (b - md >= 3)
        lvl = marker_at(s, md, b, orig, &mend);
    if (!lvl) {
        /* `lead：一是…`: an enumerator after a short lead and a colon */
        size_t k = a, chars = 0;
        while (k < b && s[k] != ':' && s[k] != ',' && chars < 16) {
            size_t nx;
            (void)bg_utf8_next(s, k, &nx);
            k = nx;
            chars++;
        }
        if (k < b && s[k] == ':' && k + 1 < b) {
            int l2 = marker_at(s, k + 1, b, NULL, &mend);
            if (l2 == 6)
                lvl = 6;
        }
    }
    if (lvl && mend < b) {
        x->outline = lvl;
        x->marker_end = mend;
    } else if (md > a) {
        x->outline = 0;
        x->marker_end = md;
    }
    return 0;
}

/* A sentence equal to the text after the enumerator of the outline item
 * just before it repeats that heading. */
static void mark_repeats(const char *s, bg_sentence *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        bg_sentence *x = &v[i];
        const bg_sentence *h = &v[i - 1];
        if (x->outline || !h->outline)
            continue;
        size_t hl = h->a_end - h->marker_end, xl = x->a_end - x->a_start;
        if (hl == xl && memcmp(s + h->marker_end, s + x->a_start, xl) == 0) {
            x->outline = h->outline;
            x->repeat = 1;
        }
    }
}

int bg_sentence_split(const bg_text *t, const char *src, size_t base,
                      size_t title_start, size_t title_end, bg_sentence **out,
                      size_t *n, bg_err *err)
{
    splitter sp = {t, src, base, title_start, title_end, NULL, 0, 0};
    const char *s = t->analysis;
    size_t len = t->len, start = 0, line = 1, i = 0;
    int line_start = 1, rc;
    *out = NULL;
    *n = 0;
    while (i < len) {
        if (i - start >= BG_SENTENCE_MAX) {
            /* a line without sentence ends (a 50 MB one was one sentence,
             * past the extraction rules' match limit): cut at the last
             * clause mark or space of its second half, else at a
             * character */
            size_t cut = i;
            for (size_t k = i; k > start + BG_SENTENCE_MAX / 2; k--)
                if (s[k - 1] == ',' || s[k - 1] == ';' || s[k - 1] == ':' ||
                    s[k - 1] == ' ' ||
                    (k >= 3 && memcmp(s + k - 3, "\xE3\x80\x81", 3) == 0)) {
                    cut = k;
                    break;
                }
            while (cut > start && ((unsigned char)s[cut] & 0xC0) == 0x80)
                cut--;
            if ((rc = push(&sp, start, cut, line, line_start, 0, 0)))
                goto oom;
            line_start = 0;
            start = i = cut;
            continue;
        }
        if (s[i] == '\n') {
            if ((rc = push(&sp, start, i, line, line_start, 1, 0)))
                goto oom;
            line++;
            start = ++i;
            line_start = 1;
            continue;
        }
        size_t m = final_mark(s, i, len);
        if (m == 0) {
            i++;
            continue;
        }
        size_t j = i + m, c;
        for (;;) {
            if ((c = final_mark(s, j, len)) > 0 || (c = closer(s, j, len)) > 0)
                j += c;
            else
                break;
        }
        size_t k = j;
        while (k < len && is_space(s[k]))
            k++;
        int at_eol = k >= len || s[k] == '\n';
        if ((rc = push(&sp, start, j, line, line_start, at_eol, 1)))
            goto oom;
        line_start = 0;
        start = i = j;
    }
    if ((rc = push(&sp, start, len, line, line_start, 1, 0)))
        goto oom;
    mark_repeats(s, sp.v, sp.n);
    *out = sp.v;
    *n = sp.n;
    return 0;
oom:
    free(sp.v);
    return bg_err_set(err, BG_ENOMEM, "sentences: out of memory");
}
