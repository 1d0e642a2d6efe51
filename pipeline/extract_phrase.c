/*
 * extract_phrase.c - theme phrases: the stretch of a heading that names its
 * topic, cut by code (enumerator, trailing clauses, `关于…的通知`) and then
 * rewritten by the first matching "phrase" rule.
 */
#include "extract_int.h"

#include <string.h>

size_t bg_extract_chars(const char *s, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static int is_phrase_end(const char *s, size_t i, size_t end)
{
    if (s[i] == ',' || s[i] == ';' || s[i] == ':' || s[i] == '!' || s[i] == '?')
        return 1;
    if (s[i] == '.' && i + 1 < end && s[i + 1] == '.')
        return 1;
    return i + 3 <= end && memcmp(s + i, "。", 3) == 0;
}

/* The theme phrase inside sentence x of t, as an analysis range. */
static void theme_phrase(const bg_text *t, const bg_sentence *x, size_t *ps,
                         size_t *pe)
{
    const char *s = t->analysis;
    size_t a = x->marker_end, b = x->a_end;
    int depth = 0; /* inside quotes or brackets: no cut at spaces */
    if (b - a >= 6 && memcmp(s + a, "关于", 6) == 0)
        a += 6;
    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '(' || (i + 3 <= b && (memcmp(s + i, "“", 3) == 0 ||
                                        memcmp(s + i, "《", 3) == 0)))
            depth++;
        else if (depth > 0 &&
                 (c == ')' || (i + 3 <= b && (memcmp(s + i, "”", 3) == 0 ||
                                              memcmp(s + i, "》", 3) == 0))))
            depth--;
        if (is_phrase_end(s, i, b) ||
            (!x->title && c == ' ' && depth == 0 && i > a)) {
            b = i;
            break;
        }
    }
    /* `…关于X的通知` titles name their topic X */
    static const char *const tails[] = {"的通知", "的意见", "的决定",
                                        "的报告", "的办法", "的批复"};
    const char *about = NULL;
    for (size_t i = a; i + 6 <= b; i++)
        if (memcmp(s + i, "关于", 6) == 0) {
            about = s + i;
            break;
        }
    for (size_t k = 0; about && k < sizeof tails / sizeof *tails; k++) {
        size_t tl = strlen(tails[k]);
        if (b - a > tl && memcmp(s + b - tl, tails[k], tl) == 0) {
            a = (size_t)(about - s) + 6;
            b -= tl;
            break;
        }
    }
    while (a < b && s[a] == ' ')
        a++;
    while (b > a && s[b - 1] == ' ')
        b--;
    *ps = a;
    *pe = b;
}

int bg_extract_theme_phrase(bg_extractor *x, const bg_text *t,
                            const bg_sentence *s, unsigned have, size_t *ps,
                            size_t *pe, bg_err *err)
{
    theme_phrase(t, s, ps, pe);
    for (size_t i = 0; i < x->n; i++) {
        const rule *r = &x->rules[i];
        int ok = r->cls == R_PHRASE && !(have & r->forbids);
        for (size_t k = 0; ok && k < r->nrequires; k++)
            ok = (have & r->requires[k]) != 0;
        if (!ok || *pe <= *ps)
            continue;
        int m = pcre2_match(r->re, (PCRE2_SPTR)(t->analysis + *ps), *pe - *ps,
                            0, PCRE2_NO_UTF_CHECK, x->md, x->mctx);
        if (m == PCRE2_ERROR_NOMATCH)
            continue;
        if (m < 0) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(m, msg, sizeof msg);
            return bg_err_set(err, BG_EPCRE, "rule \"%s\": %s", r->id,
                              (char *)msg);
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
        if (ov[2 * r->group] == PCRE2_UNSET ||
            ov[2 * r->group + 1] <= ov[2 * r->group])
            continue;
        size_t base = *ps;
        *ps = base + ov[2 * r->group];
        *pe = base + ov[2 * r->group + 1];
        break;
    }
    return 0;
}

/* Removes quotes and brackets without a partner from b->data[from, len). */
static void drop_unbalanced(bg_buf *b, size_t from)
{
    static const char *const pairs[][2] = {
        {"“", "”"}, {"‘", "’"},   {"《", "》"}, {"（", "）"},
        {"(", ")"}, {"「", "」"}, {"【", "】"}};
    for (size_t p = 0; p < sizeof pairs / sizeof *pairs; p++) {
        const char *open = pairs[p][0], *close = pairs[p][1];
        size_t lo = strlen(open), lc = strlen(close);
        for (;;) {
            /* find the first unmatched mark, scanning left to right */
            long depth = 0;
            size_t bad = (size_t)-1, badlen = 0, lastopen = 0;
            for (size_t i = from; i < b->len; i++) {
                if (b->len - i >= lo && memcmp(b->data + i, open, lo) == 0) {
                    depth++;
                    lastopen = i;
                } else if (b->len - i >= lc &&
                           memcmp(b->data + i, close, lc) == 0) {
                    if (depth == 0) {
                        bad = i;
                        badlen = lc;
                        break;
                    }
                    depth--;
                }
            }
            if (bad == (size_t)-1 && depth > 0) {
                bad = lastopen;
                badlen = lo;
            }
            if (bad == (size_t)-1)
                break;
            memmove(b->data + bad, b->data + bad + badlen,
                    b->len - bad - badlen + 1);
            b->len -= badlen;
        }
    }
}

int bg_extract_phrase(bg_normaliser *norm, const bg_text *t, const char *src,
                      size_t base, const bg_label *l, bg_buf *b, bg_err *err)
{
    if (l->phrase_end <= l->phrase_start)
        return bg_buf_add(b, "", 0) ? bg_err_set(err, BG_ENOMEM, "oom") : 0;
    size_t os = t->orig_start[l->phrase_start];
    size_t oe = t->orig_end[l->phrase_end - 1];
    bg_buf disp = {0};
    size_t from = b->len;
    int rc = bg_text_display(t, src, base, os, oe, &disp);
    if (rc) {
        bg_buf_free(&disp);
        return bg_err_set(err, BG_ENOMEM, "phrase: out of memory");
    }
    rc = bg_normalise_simplify(norm, disp.data, disp.len, b, err);
    bg_buf_free(&disp);
    if (rc)
        return rc;
    drop_unbalanced(b, from);
    /* trim white space (ASCII and U+3000) at both ends */
    size_t a = from;
    while (a < b->len &&
           (b->data[a] == ' ' || b->data[a] == '\t' ||
            (b->len - a >= 3 && memcmp(b->data + a, "\xE3\x80\x80", 3) == 0)))
        a += b->data[a] == ' ' || b->data[a] == '\t' ? 1 : 3;
    memmove(b->data + from, b->data + a, b->len - a + 1);
    b->len -= a - from;
    while (b->len > from &&
           (b->data[b->len - 1] == ' ' || b->data[b->len - 1] == '\t'))
        b->data[--b->len] = '\0';
    return 0;
}
