/*
 * query_match.c - every occurrence of a query (query.h, "query syntax"):
 * the parsed tree resolved against the index, then two ways of matching.
 *
 *  - As text (the default): a word or phrase occurs wherever its analysis
 *    form does, inside a longer word or across words alike. Each
 *    document's analysis form (its sentences one a line: each sentence's
 *    text with its norm_edit applied, schema 11; document_norm's row in
 *    schema 5 to 10) is searched with memmem, and the tree is evaluated
 *    sentence by sentence.
 *    No index: the benchmark's 56 MB take 0.04-0.06 s for a frequent
 *    two-character word (an FTS5 trigram index cost 52 MB and a third more
 *    ingest time, and still needs another way for one and two characters).
 *  - As whole words (--word, and the ranking): the words' terms as FTS5
 *    phrases over sentence_fts, the expression built here from the tree
 *    with every term quoted; FTS5's BM25 ranks.
 *
 * Threading: as query.h. Offsets: bytes of a sentence's analysis form.
 */
#define _GNU_SOURCE /* memmem */
#include "query_int.h"
#include "segment.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

/* ---- resolving the words and phrases ------------------------------------ */

/* 1 when cp is something to search for: not white space, punctuation, a
 * control or a format character (symbols and emoji are searched). */
static int searchable(uint32_t cp)
{
    switch (u_charType((UChar32)cp)) {
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
        return 0;
    default:
        return 1;
    }
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

typedef struct term_acc {
    bg_form *f;
    const char *text;
} term_acc;

static int leaf_term(const bg_token *tok, void *payload)
{
    term_acc *a = payload;
    if (tok->kind == BG_TOK_OTHER)
        return 0;
    if (BG_RESERVE(a->f->term, a->f->cap, a->f->nterms + 1))
        return BG_ENOMEM;
    char *t = strndup(a->text + tok->start, tok->end - tok->start);
    if (!t)
        return BG_ENOMEM;
    a->f->term[a->f->nterms++] = t;
    return 0;
}

static int leaf_token(const bg_token *tok, void *payload)
{
    /* fine parts: the granularity sentence_fts indexes */
    return bg_token_parts(tok, leaf_term, payload);
}

/* Adds a form of analysis form a (malloc'd, taken) to l: white space runs
 * read as one space, none at the ends; its terms. *found: it holds
 * something to search for. */
static int add_form(bg_query *q, bg_leaf *l, char *a, int *found, bg_err *err)
{
    size_t n = 0, len = strlen(a);
    *found = 0;
    for (size_t i = 0; i < len;) {
        size_t next;
        uint32_t cp = bg_utf8_next(a, i, &next);
        if (is_space(a[i])) {
            if (n && a[n - 1] != ' ')
                a[n++] = ' ';
        } else {
            *found |= searchable(cp);
            memmove(a + n, a + i, next - i);
            n += next - i;
        }
        i = next;
    }
    while (n && a[n - 1] == ' ')
        n--;
    a[n] = '\0';
    bg_form *f = realloc(l->form, (l->nforms + 1) * sizeof *f);
    if (!f) {
        free(a);
        return bg_query_oom(err);
    }
    l->form = f;
    f = &l->form[l->nforms++];
    *f = (bg_form){a, n, NULL, 0, 0};
    term_acc acc = {f, a};
    int rc = bg_segment_run(q->seg, a, n, leaf_token, &acc, err);
    l->has_terms |= f->nterms > 0;
    return rc == BG_ENOMEM ? bg_query_oom(err) : rc;
}

/* 1 when number forms x and y (bg_number_parse) are the same value: type,
 * value or ISO form and unit alike, or a bare whole number and the year
 * it writes (2023 and 2023年). */
static int same_number(const bg_number *x, const bg_number *y)
{
    if (x->type == BG_NUM_QUANTITY && y->type == BG_NUM_DATE) {
        const bg_number *t = x;
        x = y;
        y = t;
    }
    if (x->type == BG_NUM_DATE && y->type == BG_NUM_QUANTITY) {
        char year[48];
        if (y->unit[0] || !(y->value >= 1 && y->value <= 9999) ||
            y->value != (double)(int)y->value)
            return 0;
        snprintf(year, sizeof year, "%d", (int)y->value);
        return strcmp(x->iso, year) == 0;
    }
    if (x->type != y->type || strcmp(x->unit, y->unit) != 0)
        return 0;
    switch (x->type) {
    case BG_NUM_QUANTITY:
        return x->value == y->value; /* NaN (approximate) never equal */
    case BG_NUM_DATE:
    case BG_NUM_TIME:
    case BG_NUM_RANGE:
        return x->iso[0] && strcmp(x->iso, y->iso) == 0;
    default:
        return 0; /* codes: only as written */
    }
}

/* The year a query number names: a date of a year alone (2023年) or a
 * bare whole number (2023) as its ISO text in year[5]; 0 when none. */
static int query_year(const bg_number *x, char year[5])
{
    if (x->type == BG_NUM_DATE && strlen(x->iso) == 4) {
        memcpy(year, x->iso, 5);
        return 1;
    }
    if (x->type == BG_NUM_QUANTITY && !x->unit[0] && x->value >= 1000 &&
        x->value <= 9999 && x->value == (double)(int)x->value) {
        snprintf(year, 5, "%d", (int)x->value);
        return 1;
    }
    return 0;
}

/* The year of date term t[0, n) (got) in year, when it starts a longer
 * date (二〇二三年四月十五日, 2023-04-15) and is written as such, ending
 * in 年: its length in *len; 0 when it is not. */
static int date_year_part(const bg_number *got, const char year[5],
                          const char *t, size_t n, size_t *len)
{
    if (got->type != BG_NUM_DATE || strncmp(got->iso, year, 4) != 0 ||
        got->iso[4] != '-')
        return 0;
    const char *y = memmem(t, n, "年", strlen("年"));
    if (!y)
        return 0;
    *len = (size_t)(y - t) + strlen("年");
    return *len < n;
}

/* 1 when l already has the form t[0, n). */
static int has_form(const bg_leaf *l, const char *t, size_t n)
{
    for (size_t i = 0; i < l->nforms; i++)
        if (l->form[i].len == n && memcmp(l->form[i].norm, t, n) == 0)
            return 1;
    return 0;
}

/* The index's other written forms of the number l's first form writes
 * (the number terms of the same value: 二〇三五年 and 2035年), added to
 * l; for a year, also the year written at the start of a longer date
 * (二〇二三年 of 二〇二三年四月十五日). */
static int number_forms(bg_query *q, bg_leaf *l, bg_err *err)
{
    bg_number want, got;
    /* the form as typed (add_form moves l->form, not the strings) */
    const char *typed = l->form[0].norm;
    size_t tlen = l->form[0].len;
    if (!bg_number_parse(typed, tlen, &want) || want.type == BG_NUM_CODE ||
        want.type == BG_NUM_NONE)
        return 0;
    sqlite3_stmt *st = NULL;
    int rc = bg_query_prepare(q,
                              "SELECT term FROM term WHERE kind = 'number' "
                              "ORDER BY term",
                              &st, err);
    int r;
    while (rc == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        size_t part;
        char year[5];
        if (!t || !bg_number_parse(t, n, &got))
            continue;
        if (query_year(&want, year) && date_year_part(&got, year, t, n, &part))
            n = part; /* the year of a date */
        else if (!same_number(&want, &got))
            continue;
        if (has_form(l, t, n))
            continue;
        char *a = strndup(t, n);
        int found;
        if (!a)
            rc = bg_query_oom(err);
        else
            rc = add_form(q, l, a, &found, err);
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = bg_query_err(q, err, "number forms");
    sqlite3_finalize(st);
    return rc;
}

/* Fills l from its node: its form as typed (normalised like the text), and
 * for a number the index's other forms of the same value. */
static int leaf_resolve(bg_query *q, const bg_qnode *node, bg_leaf *l,
                        bg_err *err)
{
    char *a = NULL;
    int found;
    l->node = node;
    int rc = bg_normalise_string(q->norm, node->text, node->len, &a, err);
    if (rc || (rc = add_form(q, l, a, &found, err)))
        return rc;
    if (!found)
        return bg_err_id(err, BG_EUSAGE, "query.nothing",
                         "%s%s%s at byte %zu has nothing to search for "
                         "(punctuation and white space are not searched; "
                         "symbols and emoji are)",
                         node->quoted ? "\"" : "“", node->text,
                         node->quoted ? "\"" : "”", node->pos);
    return number_forms(q, l, err);
}

/* Appends the FTS5 phrase of f's terms to out: "t1" + "t2", quotes inside
 * doubled. */
static int put_phrase(const bg_form *f, bg_buf *out)
{
    for (size_t i = 0; i < f->nterms; i++) {
        if (bg_buf_puts(out, i ? " + \"" : "\""))
            return BG_ENOMEM;
        for (const char *c = f->term[i]; *c; c++)
            if (bg_buf_add(out, c, 1) || (*c == '"' && bg_buf_add(out, c, 1)))
                return BG_ENOMEM;
        if (bg_buf_puts(out, "\""))
            return BG_ENOMEM;
    }
    return 0;
}

/* Appends l as FTS5: its phrase, or (p1 OR p2 ...) for several forms. */
static int put_leaf(const bg_leaf *l, bg_buf *out)
{
    size_t k = 0;
    for (size_t i = 0; i < l->nforms; i++)
        k += l->form[i].nterms > 0;
    if (k > 1 && bg_buf_puts(out, "("))
        return BG_ENOMEM;
    for (size_t i = 0, j = 0; i < l->nforms; i++) {
        if (!l->form[i].nterms)
            continue;
        if ((j++ && bg_buf_puts(out, " OR ")) || put_phrase(&l->form[i], out))
            return BG_ENOMEM;
    }
    return k > 1 ? bg_buf_puts(out, ")") : 0;
}

/* The operands of an AND, nested ANDs flattened ("a (b -c)" is a, b and
 * NOT c), in *v. */
static int and_operands(const bg_qnode *n, const bg_qnode ***v, size_t *k,
                        size_t *cap)
{
    for (size_t i = 0; i < n->nkids; i++) {
        const bg_qnode *c = n->kids[i];
        if (c->kind == BG_Q_AND) {
            if (and_operands(c, v, k, cap))
                return BG_ENOMEM;
            continue;
        }
        if (BG_RESERVE(*v, *cap, *k + 1))
            return BG_ENOMEM;
        (*v)[(*k)++] = c;
    }
    return 0;
}

/* The whole-word FTS5 expression of node n in *out (malloc'd), or NULL
 * when nothing can match it: a word without terms (an emoji), an AND
 * holding one, an OR of such. A NOT of such drops out. Every term is a
 * quoted string. Returns 0 or BG_ENOMEM. */
static int word_expr(const bg_match *m, const bg_qnode *n, char **out)
{
    bg_buf b = {0};
    char *x = NULL;
    int rc = 0;
    *out = NULL;
    if (n->kind == BG_Q_TEXT) {
        const bg_leaf *l = &m->leaf[n->leaf];
        if (!l->has_terms)
            return 0;
        rc = put_leaf(l, &b);
    } else if (n->kind == BG_Q_NEAR) {
        /* NEAR takes phrases: one NEAR a pair of forms, OR-ed */
        const bg_leaf *l0 = &m->leaf[n->kids[0]->leaf],
                      *l1 = &m->leaf[n->kids[1]->leaf];
        if (!l0->has_terms || !l1->has_terms)
            return 0;
        size_t k = 0;
        for (size_t i = 0; rc == 0 && i < l0->nforms; i++)
            for (size_t j = 0; rc == 0 && j < l1->nforms; j++)
                if (l0->form[i].nterms && l1->form[j].nterms)
                    rc = bg_buf_puts(&b, k++ ? " OR NEAR(" : "(NEAR(") ||
                         put_phrase(&l0->form[i], &b) || bg_buf_puts(&b, " ") ||
                         put_phrase(&l1->form[j], &b) ||
                         bg_buf_printf(&b, ", %d)", n->near);
        rc = rc || bg_buf_puts(&b, ")");
    } else if (n->kind == BG_Q_OR) {
        size_t k = 0;
        for (size_t i = 0; rc == 0 && i < n->nkids; i++) {
            if ((rc = word_expr(m, n->kids[i], &x)) || !x)
                continue;
            rc = bg_buf_puts(&b, k++ ? " OR " : "(") || bg_buf_puts(&b, x);
            free(x);
            x = NULL;
        }
        if (rc == 0 && k == 0)
            return 0;
        rc = rc || bg_buf_puts(&b, ")");
    } else if (n->kind == BG_Q_AND) {
        const bg_qnode **v = NULL;
        size_t k = 0, cap = 0, npos = 0;
        rc = and_operands(n, &v, &k, &cap);
        for (size_t i = 0; rc == 0 && i < k; i++) {
            if (v[i]->kind == BG_Q_NOT)
                continue;
            if ((rc = word_expr(m, v[i], &x)))
                break;
            if (!x) { /* one operand cannot match: nor can the AND */
                free(v);
                bg_buf_free(&b);
                return 0;
            }
            rc = bg_buf_puts(&b, npos++ ? " AND " : "(") || bg_buf_puts(&b, x);
            free(x);
            x = NULL;
        }
        rc = rc || bg_buf_puts(&b, ")");
        /* FTS5's NOT is binary: ((a AND b) NOT c) NOT d */
        for (size_t i = 0; rc == 0 && i < k; i++) {
            if (v[i]->kind != BG_Q_NOT)
                continue;
            if ((rc = word_expr(m, v[i]->kids[0], &x)) || !x)
                continue;
            bg_buf w = {0};
            rc = bg_buf_puts(&w, "(") || bg_buf_puts(&w, b.data) ||
                 bg_buf_puts(&w, " NOT ") || bg_buf_puts(&w, x) ||
                 bg_buf_puts(&w, ")");
            free(x);
            x = NULL;
            bg_buf_free(&b);
            b = w;
        }
        free(v);
    }
    if (rc) {
        bg_buf_free(&b);
        return BG_ENOMEM;
    }
    *out = b.data;
    return 0;
}

static void mark_negated(bg_match *m, const bg_qnode *n, int neg)
{
    if (n->kind == BG_Q_TEXT)
        m->leaf[n->leaf].negated = neg;
    for (size_t i = 0; i < n->nkids; i++)
        mark_negated(m, n->kids[i], neg || n->kind == BG_Q_NOT);
}

/* Marks the leaves every matching sentence holds: n itself when a word,
 * the words among the operands of n when an AND (nested ANDs too). */
static void mark_must(bg_match *m, const bg_qnode *n)
{
    if (n->kind == BG_Q_TEXT)
        m->must[n->leaf] = 1;
    else if (n->kind == BG_Q_AND)
        for (size_t i = 0; i < n->nkids; i++)
            mark_must(m, n->kids[i]);
}

static int resolve_all(bg_query *q, bg_match *m, const bg_qnode *n, bg_err *err)
{
    if (n->kind == BG_Q_TEXT)
        return leaf_resolve(q, n, &m->leaf[n->leaf], err);
    for (size_t i = 0; i < n->nkids; i++) {
        int rc = resolve_all(q, m, n->kids[i], err);
        if (rc)
            return rc;
    }
    return 0;
}

static size_t count_leaves(const bg_qnode *n)
{
    size_t c = n->kind == BG_Q_TEXT;
    for (size_t i = 0; i < n->nkids; i++)
        c += count_leaves(n->kids[i]);
    return c;
}

int bg_match_compile(bg_query *q, const char *query, bg_match *m, bg_err *err)
{
    memset(m, 0, sizeof *m);
    int rc = bg_query_parse(query, strlen(query), &m->tree, err);
    if (rc)
        return rc;
    m->nleaves = count_leaves(m->tree);
    if (!(m->leaf = calloc(m->nleaves, sizeof *m->leaf)) ||
        !(m->must = calloc(m->nleaves, 1))) {
        rc = bg_query_oom(err);
        goto fail;
    }
    if ((rc = resolve_all(q, m, m->tree, err)))
        goto fail;
    mark_negated(m, m->tree, 0);
    mark_must(m, m->tree);
    if (word_expr(m, m->tree, &m->fts)) {
        rc = bg_query_oom(err);
        goto fail;
    }
    return 0;
fail:
    bg_match_free(m);
    return rc;
}

void bg_match_free(bg_match *m)
{
    if (!m)
        return;
    for (size_t i = 0; m->leaf && i < m->nleaves; i++) {
        for (size_t k = 0; k < m->leaf[i].nforms; k++) {
            bg_form *f = &m->leaf[i].form[k];
            free(f->norm);
            for (size_t j = 0; j < f->nterms; j++)
                free(f->term[j]);
            free(f->term);
        }
        free(m->leaf[i].form);
    }
    free(m->leaf);
    free(m->must);
    free(m->fts);
    bg_qnode_free(m->tree);
    memset(m, 0, sizeof *m);
}

/* ---- occurrences in a text ---------------------------------------------- */

/* Length of the white space at s[i] in an analysis form (a space or a tab:
 * the normaliser folds the others to a space), 0 when none. */
static size_t space_run(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && (s[j] == ' ' || s[j] == '\t'))
        j++;
    return j - i;
}

/* The end of an occurrence of form l at s[p] (its first chunk already
 * found there), or 0 when the later chunks do not follow: a space of the
 * phrase matches a run of spaces and tabs. */
static size_t phrase_end(const bg_form *l, const char *s, size_t len, size_t p)
{
    size_t i = p, k = 0;
    while (k < l->len) {
        if (l->norm[k] == ' ') {
            size_t w = space_run(s, len, i);
            if (!w)
                return 0;
            i += w;
            k++;
            continue;
        }
        size_t e = k;
        while (e < l->len && l->norm[e] != ' ')
            e++;
        if (len - i < e - k || memcmp(s + i, l->norm + k, e - k) != 0)
            return 0;
        i += e - k;
        k = e;
    }
    return i;
}

/* 1 when cp is part of a numeral as the segmenter reads numbers
 * (segment.h): an ASCII digit, a decimal point (. or 点), or a Han digit
 * or magnitude, financial forms (壹, 仟) and ○ as zero included. */
static int numeral_char(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || cp == '.' || cp == 0x70B9 /* 点 */ ||
           bg_han_digit(cp) >= 0 || bg_han_magnitude(cp) > 0;
}

/* 1 when s[p, e) is not part of a longer numeral (the other forms of a
 * number must not match inside another: 百分之三十 in 百分之三十五); a
 * form ending in a unit (二〇二三年) may be followed by a numeral
 * (二〇二三年四月), and one ending in a magnitude by a magnitude no larger
 * (3.5亿千瓦: 千瓦 is the unit; 三千万 is no 三千), as the segmenter reads
 * them (segment.c, number_end). */
static int numeral_alone(const char *s, size_t len, size_t p, size_t e)
{
    size_t next;
    if (p > 0 && numeral_char(bg_utf8_next(s, bg_utf8_back(s, p, 1), &next)))
        return 0;
    if (e >= len)
        return 1;
    uint32_t last = bg_utf8_next(s, bg_utf8_back(s, e, 1), &next);
    uint32_t after = bg_utf8_next(s, e, &next);
    if (!numeral_char(last))
        return 1;
    if (bg_han_magnitude(last) > 0 && bg_han_magnitude(after) > 0 &&
        bg_han_magnitude(after) <= bg_han_magnitude(last))
        return 1;
    return !numeral_char(after);
}

/* Appends the occurrences of form f (of leaf li) in s[0, len) to *v:
 * leftmost, not overlapping; alone: not inside a longer numeral. */
static int find_form(const bg_form *l, size_t li, int alone, const char *s,
                     size_t len, bg_occ **v, size_t *n, size_t *cap)
{
    size_t first = 0;
    while (first < l->len && l->norm[first] != ' ')
        first++;
    for (size_t at = 0; at < len;) {
        const char *hit = memmem(s + at, len - at, l->norm, first);
        if (!hit)
            break;
        size_t p = (size_t)(hit - s), e = phrase_end(l, s, len, p);
        if (!e || (alone && !numeral_alone(s, len, p, e))) {
            at = p + 1;
            continue;
        }
        if (BG_RESERVE(*v, *cap, *n + 1))
            return BG_ENOMEM;
        (*v)[(*n)++] = (bg_occ){li, p, e, 0};
        at = e;
    }
    return 0;
}

static int by_start(const void *a, const void *b);

/* Appends the occurrences of leaf li in s[0, len) to *v, by start:
 * leftmost and not overlapping, as Python's str.count counts them; with
 * several forms (a number's), the longest at a place, overlaps dropped. */
static int find_leaf(const bg_match *m, size_t li, const char *s, size_t len,
                     bg_occ **v, size_t *n, size_t *cap)
{
    const bg_leaf *l = &m->leaf[li];
    size_t from = *n;
    for (size_t k = 0; k < l->nforms; k++)
        if (find_form(&l->form[k], li, k > 0, s, len, v, n, cap))
            return BG_ENOMEM;
    if (l->nforms == 1 || *n - from < 2)
        return 0;
    bg_occ *o = *v + from;
    size_t c = *n - from, k = 0;
    qsort(o, c, sizeof *o, by_start);
    for (size_t i = 0; i < c; i++) {
        if (k && o[i].start < o[k - 1].end) {
            if (o[i].start == o[k - 1].start && o[i].end > o[k - 1].end)
                o[k - 1] = o[i];
            continue;
        }
        o[k++] = o[i];
    }
    *n = from + k;
    return 0;
}

static int by_start(const void *a, const void *b)
{
    const bg_occ *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->leaf != y->leaf)
        return x->leaf < y->leaf ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

/* The fine tokens (terms and the rest) of a text. */
typedef struct tokens {
    bg_token *t;
    size_t n, cap;
} tokens;

static int tok_part(const bg_token *tok, void *payload)
{
    tokens *a = payload;
    if (BG_RESERVE(a->t, a->cap, a->n + 1))
        return BG_ENOMEM;
    a->t[a->n] = *tok;
    a->t[a->n].nparts = 1;
    a->t[a->n].part_end = NULL;
    a->t[a->n].text = NULL;
    a->n++;
    return 0;
}

static int tok_cb(const bg_token *tok, void *payload)
{
    return bg_token_parts(tok, tok_part, payload);
}

static int segment(bg_query *q, const char *s, size_t len, tokens *k,
                   bg_err *err)
{
    k->n = 0;
    int rc = bg_segment_run(q->seg, s, len, tok_cb, k, err);
    return rc == BG_ENOMEM ? bg_query_oom(err) : rc;
}

/* Whole-word occurrences of form l (of leaf li) among the tokens k of s:
 * its terms in a row (tokens that are no terms between them skipped),
 * appended to *v with word set. */
static int find_form_words(const bg_form *l, size_t li, const char *s,
                           const tokens *k, bg_occ **v, size_t *n, size_t *cap)
{
    if (!l->nterms)
        return 0;
    for (size_t i = 0; i < k->n; i++) {
        size_t j = i, t = 0;
        while (t < l->nterms && j < k->n) {
            const bg_token *x = &k->t[j];
            if (x->kind == BG_TOK_OTHER) {
                if (t == 0)
                    break;
                j++;
                continue;
            }
            size_t tl = strlen(l->term[t]);
            if (x->end - x->start != tl ||
                memcmp(s + x->start, l->term[t], tl) != 0)
                break;
            t++;
            j++;
        }
        if (t < l->nterms)
            continue;
        if (BG_RESERVE(*v, *cap, *n + 1))
            return BG_ENOMEM;
        (*v)[(*n)++] = (bg_occ){li, k->t[i].start, k->t[j - 1].end, 1};
        i = j - 1;
    }
    return 0;
}

/* The whole-word occurrences of leaf li (any of its forms) in s. */
static int find_words(const bg_match *m, size_t li, const char *s,
                      const tokens *k, bg_occ **v, size_t *n, size_t *cap)
{
    const bg_leaf *l = &m->leaf[li];
    for (size_t f = 0; f < l->nforms; f++)
        if (find_form_words(&l->form[f], li, s, k, v, n, cap))
            return BG_ENOMEM;
    return 0;
}

int bg_match_find(bg_query *q, const bg_match *m, const char *s, size_t len,
                  int word, bg_occ **out, size_t *n, bg_err *err)
{
    bg_occ *v = NULL, *w = NULL;
    size_t nv = 0, cv = 0, nw = 0, cw = 0;
    tokens k = {0};
    int rc = 0;
    *out = NULL;
    *n = 0;
    for (size_t i = 0; rc == 0 && !word && i < m->nleaves; i++)
        if (!m->leaf[i].negated)
            rc = find_leaf(m, i, s, len, &v, &nv, &cv);
    if (rc == 0 && (word || nv))
        rc = segment(q, s, len, &k, err);
    for (size_t i = 0; rc == 0 && (word || nv) && i < m->nleaves; i++)
        if (!m->leaf[i].negated)
            rc = find_words(m, i, s, &k, &w, &nw, &cw);
    if (rc == 0 && !word) {
        /* an occurrence is a whole word when the words' tokens span it */
        for (size_t i = 0; i < nv; i++)
            for (size_t j = 0; j < nw; j++)
                if (w[j].leaf == v[i].leaf && w[j].start == v[i].start &&
                    w[j].end == v[i].end)
                    v[i].word = 1;
    }
    free(k.t);
    if (rc) {
        free(v);
        free(w);
        return rc == BG_ENOMEM ? bg_query_oom(err) : rc;
    }
    if (word) {
        free(v);
        v = w;
        nv = nw;
    } else
        free(w);
    if (nv)
        qsort(v, nv, sizeof *v, by_start);
    *out = v;
    *n = nv;
    return 0;
}

/* ---- evaluating the tree on a sentence ---------------------------------- */

typedef struct line_eval {
    bg_query *q;
    const bg_match *m;
    const char *s; /* the sentence's analysis form */
    size_t len;
    const bg_occ *occ; /* its occurrences, by start */
    size_t nocc;
    unsigned char *has; /* by leaf */
    tokens k;           /* its tokens, when NEAR needed them */
    int segmented;
    bg_err *err;
    int rc;
} line_eval;

/* Terms lying wholly in s[from, to): the words between two occurrences. */
static size_t words_between(const tokens *k, size_t from, size_t to)
{
    size_t c = 0;
    for (size_t i = 0; i < k->n; i++)
        if (k->t[i].kind != BG_TOK_OTHER && k->t[i].start >= from &&
            k->t[i].end <= to)
            c++;
    return c;
}

static int near_holds(line_eval *e, const bg_qnode *n)
{
    size_t a = n->kids[0]->leaf, b = n->kids[1]->leaf;
    if (!e->has[a] || !e->has[b])
        return 0;
    if (!e->segmented) {
        e->segmented = 1;
        if ((e->rc = segment(e->q, e->s, e->len, &e->k, e->err)))
            return 0;
    }
    for (size_t i = 0; i < e->nocc; i++) {
        if (e->occ[i].leaf != a)
            continue;
        for (size_t j = 0; j < e->nocc; j++) {
            if (e->occ[j].leaf != b)
                continue;
            const bg_occ *x = &e->occ[i], *y = &e->occ[j];
            if (x->start > y->start) {
                const bg_occ *t = x;
                x = y;
                y = t;
            }
            size_t gap =
                x->end <= y->start ? words_between(&e->k, x->end, y->start) : 0;
            if (gap <= (size_t)n->near)
                return 1;
        }
    }
    return 0;
}

static int holds(line_eval *e, const bg_qnode *n)
{
    switch (n->kind) {
    case BG_Q_TEXT:
        return e->has[n->leaf];
    case BG_Q_NOT:
        return !holds(e, n->kids[0]);
    case BG_Q_NEAR:
        return near_holds(e, n);
    case BG_Q_AND:
        for (size_t i = 0; i < n->nkids; i++)
            if (!holds(e, n->kids[i]))
                return 0;
        return 1;
    case BG_Q_OR:
        for (size_t i = 0; i < n->nkids; i++)
            if (holds(e, n->kids[i]))
                return 1;
        return 0;
    default:
        return 0;
    }
}

/* ---- scanning the documents --------------------------------------------- */

typedef struct scan {
    bg_query *q;
    const bg_match *m;
    bg_line_cb cb;
    void *payload;
    int64_t *kind_ids; /* sentences with the facet's label, sorted */
    size_t nkind;
    sqlite3_stmt *ids, *seq_id; /* a document's sentence ids */
    bg_occ *occ, *pos;
    size_t nocc, cocc, cpos;
    unsigned char *has;
    tokens k;
    bg_err *err;
} scan;

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The id of sentence seq (from 1) of doc; *base caches the id of its
 * first sentence when the document's ids run without a gap (-1: they do
 * not; 0: not asked yet). */
static int sentence_id(scan *S, int64_t doc, size_t seq, int64_t *base,
                       int64_t *out)
{
    if (*base == 0) {
        sqlite3_reset(S->ids);
        sqlite3_bind_int64(S->ids, 1, doc);
        if (sqlite3_step(S->ids) != SQLITE_ROW)
            return bg_query_err(S->q, S->err, "sentence ids");
        /* the first and last sentences' ids and the last seq */
        int64_t lo = sqlite3_column_int64(S->ids, 0),
                hi = sqlite3_column_int64(S->ids, 1),
                n = sqlite3_column_int64(S->ids, 2);
        *base = lo > 0 && hi - lo + 1 == n ? lo : -1;
    }
    if (*base > 0) {
        *out = *base + (int64_t)seq - 1;
        return 0;
    }
    sqlite3_reset(S->seq_id);
    sqlite3_bind_int64(S->seq_id, 1, doc);
    sqlite3_bind_int64(S->seq_id, 2, (sqlite3_int64)seq);
    if (sqlite3_step(S->seq_id) != SQLITE_ROW)
        return bg_query_err(S->q, S->err, "sentence id");
    *out = sqlite3_column_int64(S->seq_id, 0);
    return 0;
}

/* Evaluates the tree on the sentence s[0, len) (line seq of doc) whose
 * occurrences are occ[0, n) (offsets into s) and calls back when it
 * matches. */
static int visit_line(scan *S, int64_t doc, size_t seq, int64_t sid,
                      int64_t *base, const char *s, size_t len,
                      const bg_occ *occ, size_t n)
{
    const bg_match *m = S->m;
    memset(S->has, 0, m->nleaves);
    int positive = 0;
    for (size_t i = 0; i < n; i++) {
        S->has[occ[i].leaf] = 1;
        positive |= !m->leaf[occ[i].leaf].negated;
    }
    if (!positive)
        return 0;
    line_eval e = {.q = S->q,
                   .m = m,
                   .s = s,
                   .len = len,
                   .occ = occ,
                   .nocc = n,
                   .has = S->has,
                   .k = S->k,
                   .err = S->err};
    int ok = holds(&e, m->tree);
    S->k = e.k; /* keep the token buffer */
    if (e.rc)
        return e.rc;
    if (!ok)
        return 0;
    int rc = sid ? 0 : sentence_id(S, doc, seq, base, &sid);
    if (rc)
        return rc;
    if (S->kind_ids &&
        !bsearch(&sid, S->kind_ids, S->nkind, sizeof sid, cmp_id))
        return 0;
    /* the occurrences the caller sees: of the words not under NOT */
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        if (!m->leaf[occ[i].leaf].negated) {
            if (BG_RESERVE(S->pos, S->cpos, np + 1))
                return bg_query_oom(S->err);
            S->pos[np++] = occ[i];
        }
    bg_line l = {sid, doc, seq, s, len, S->pos, np};
    return S->cb(&l, S->payload);
}

/* One document's analysis form, lines seq0, seq0 + 1, ... (sid: the id of
 * its only line, when the caller knows it; else 0). */
static int visit_unit(scan *S, int64_t doc, size_t seq0, int64_t sid,
                      const char *s, size_t len)
{
    const bg_match *m = S->m;
    S->nocc = 0;
    /* the words every match holds first: a document lacking one is done
     * (a query of 4,000 words reads each document about once) */
    for (size_t i = 0; i < m->nleaves; i++) {
        size_t had = S->nocc;
        if (!m->must[i])
            continue;
        if (find_leaf(m, i, s, len, &S->occ, &S->nocc, &S->cocc))
            return bg_query_oom(S->err);
        if (S->nocc == had)
            return 0;
    }
    for (size_t i = 0; i < m->nleaves; i++)
        if (!m->must[i] && find_leaf(m, i, s, len, &S->occ, &S->nocc, &S->cocc))
            return bg_query_oom(S->err);
    int positive = 0;
    for (size_t i = 0; i < S->nocc && !positive; i++)
        positive = !m->leaf[S->occ[i].leaf].negated;
    if (!positive)
        return 0;
    if (m->nleaves > 1)
        qsort(S->occ, S->nocc, sizeof *S->occ, by_start);
    int64_t base = 0;
    size_t ls = 0, seq = seq0, i = 0;
    while (i < S->nocc) {
        /* the line holding occurrence i */
        const char *nl;
        size_t le;
        while ((nl = memchr(s + ls, '\n', len - ls)) &&
               (size_t)(nl - s) <= S->occ[i].start) {
            ls = (size_t)(nl - s) + 1;
            seq++;
        }
        le = nl ? (size_t)(nl - s) : len;
        size_t j = i;
        while (j < S->nocc && S->occ[j].start < le) {
            S->occ[j].start -= ls;
            S->occ[j].end -= ls;
            j++;
        }
        int rc = visit_line(S, doc, seq, sid, &base, s + ls, le - ls,
                            S->occ + i, j - i);
        if (rc)
            return rc;
        i = j;
    }
    return 0;
}

int bg_match_scan(bg_query *q, const bg_match *m, const bg_facet *f,
                  bg_line_cb cb, void *payload, int *stopped, bg_err *err)
{
    scan S = {.q = q, .m = m, .cb = cb, .payload = payload, .err = err};
    bg_docset d = {0};
    sqlite3_stmt *st = NULL;
    int rc = 0, r;
    int whole = strcmp(f->cond, "1") == 0;
    int by_edit = bg_query_has_column(q, "sentence", "norm_edit");
    int by_doc = !by_edit && bg_query_has_column(q, "document_norm", "norm");
    bg_buf u = {0}; /* schema 11: the document's lines read so far */
    int64_t udoc = 0;
    size_t useq = 0, unext = 0;
    if (stopped)
        *stopped = 0;
    if (!(S.has = calloc(m->nleaves, 1)))
        return bg_query_oom(err);
    if (!whole && (rc = bg_docset_load(q, f, NULL, NULL, &d, err)))
        goto cleanup;
    if (f->kind) {
        size_t cap = 0;
        char kt[160];
        if ((rc = bg_query_prepare_take(
                 q,
                 sqlite3_mprintf(
                     "SELECT DISTINCT sentence_id FROM extraction "
                     "WHERE %s ORDER BY 1",
                     bg_query_kind_test(q, "extraction", "?1", kt, sizeof kt)),
                 &st, err)))
            goto cleanup;
        sqlite3_bind_text(st, 1, f->kind, -1, SQLITE_STATIC);
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            if (BG_RESERVE(S.kind_ids, cap, S.nkind + 1)) {
                rc = bg_query_oom(err);
                goto cleanup;
            }
            S.kind_ids[S.nkind++] = sqlite3_column_int64(st, 0);
        }
        sqlite3_finalize(st);
        st = NULL;
        if (r != SQLITE_DONE) {
            rc = bg_query_err(q, err, "labels");
            goto cleanup;
        }
        if (!S.kind_ids && !(S.kind_ids = malloc(sizeof *S.kind_ids))) {
            rc = bg_query_oom(err);
            goto cleanup;
        }
    }
    if ((rc = bg_query_prepare(q,
                               "SELECT (SELECT id FROM sentence WHERE "
                               "doc_id = ?1 AND seq = 1), (SELECT id FROM "
                               "sentence WHERE doc_id = ?1 ORDER BY seq DESC "
                               "LIMIT 1), (SELECT max(seq) FROM sentence "
                               "WHERE doc_id = ?1)",
                               &S.ids, err)) ||
        (rc = bg_query_prepare(q,
                               "SELECT id FROM sentence WHERE doc_id = ?1 "
                               "AND seq = ?2",
                               &S.seq_id, err)))
        goto cleanup;
    /* schema 11: the sentences in id order (a document's lie together, in
     * seq order), each document's lines gathered, then visited; schema 5
     * to 10: document_norm; before: its sentences one by one */
    if ((rc = bg_query_prepare(
             q,
             by_edit  ? "SELECT doc_id, seq, text, norm_edit FROM sentence "
                        "ORDER BY id"
             : by_doc ? "SELECT doc_id, 1, 0, norm FROM "
                        "document_norm ORDER BY doc_id"
                      : "SELECT doc_id, seq, id, norm FROM "
                        "sentence ORDER BY id",
             &st, err)))
        goto cleanup;
    while (rc == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(st, 0);
        if (by_edit) {
            size_t seq = (size_t)sqlite3_column_int64(st, 1);
            /* the lines gathered end here: a new document, or a gap */
            if (udoc && (doc != udoc || seq != unext)) {
                rc = visit_unit(&S, udoc, useq, 0, u.data ? u.data : "", u.len);
                udoc = 0;
                u.len = 0;
            }
            if (rc || (!whole && !bg_docset_has(&d, doc)))
                continue;
            if (udoc && bg_buf_add(&u, "\n", 1)) {
                rc = bg_query_oom(err);
                continue;
            }
            if (!udoc) {
                udoc = doc;
                useq = seq;
            }
            unext = seq + 1;
            const char *t = (const char *)sqlite3_column_text(st, 2);
            int e = bg_edits_apply(t ? t : "",
                                   t ? (size_t)sqlite3_column_bytes(st, 2) : 0,
                                   sqlite3_column_blob(st, 3),
                                   (size_t)sqlite3_column_bytes(st, 3), &u);
            if (e == BG_ENOMEM)
                rc = bg_query_oom(err);
            else if (e)
                rc = bg_err_set(err, BG_EDATA,
                                "document %lld: sentence %lld: its norm_edit "
                                "is damaged (a damaged database; ingest the "
                                "file again)",
                                (long long)doc, (long long)seq);
            continue;
        }
        if (!whole && !bg_docset_has(&d, doc))
            continue;
        const char *s = (const char *)sqlite3_column_text(st, 3);
        size_t len = (size_t)sqlite3_column_bytes(st, 3);
        rc = visit_unit(&S, doc, (size_t)sqlite3_column_int64(st, 1),
                        sqlite3_column_int64(st, 2), s ? s : "", len);
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = bg_query_err(q, err, "scan");
    if (rc == 0 && udoc)
        rc = visit_unit(&S, udoc, useq, 0, u.data ? u.data : "", u.len);
    if (stopped)
        *stopped = rc == BG_SCAN_STOP;
    if (rc == BG_SCAN_STOP)
        rc = 0;
cleanup:
    bg_buf_free(&u);
    sqlite3_finalize(st);
    sqlite3_finalize(S.ids);
    sqlite3_finalize(S.seq_id);
    free(S.kind_ids);
    free(S.occ);
    free(S.pos);
    free(S.has);
    free(S.k.t);
    bg_docset_free(&d);
    return rc;
}

/* ---- whole words: FTS5 ----------------------------------------------------
 */

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

/* bg_instances(sentence_fts): the places (token offsets) where a phrase of
 * the expression matches in the row, each once (two forms of a number, or
 * 改革 and 改革开放, matching at one place are one occurrence), to count
 * whole-word occurrences without reading text. */
static void instances(const Fts5ExtensionApi *api, Fts5Context *fts,
                      sqlite3_context *ctx, int nval, sqlite3_value **val)
{
    (void)nval;
    (void)val;
    int n = 0, stack[64], *at = stack;
    int rc = api->xInstCount(fts, &n);
    if (rc == SQLITE_OK && n > 64 &&
        !(at = sqlite3_malloc64((sqlite3_uint64)n * sizeof *at)))
        rc = SQLITE_NOMEM;
    for (int i = 0; rc == SQLITE_OK && i < n; i++) {
        int phrase, col;
        rc = api->xInst(fts, i, &phrase, &col, &at[i]);
    }
    int distinct = 0;
    if (rc == SQLITE_OK) {
        qsort(at, (size_t)n, sizeof *at, cmp_int);
        for (int i = 0; i < n; i++)
            distinct += i == 0 || at[i] != at[i - 1];
    }
    if (at != stack)
        sqlite3_free(at);
    if (rc != SQLITE_OK)
        sqlite3_result_error_code(ctx, rc);
    else
        sqlite3_result_int(ctx, distinct);
}

/* ---- the best whole-word hits without every row's BM25 ------------------
 * FTS5's bm25() (Robertson's BM25, k1 = 1.2, b = 0.75, as fts5_aux.c
 * computes it) needs each row's length in tokens, a look-up in
 * sentence_fts_docsize per row: 0.15 s of CPU for the 290k rows of 规定 on
 * the 4x benchmark. A row whose phrase counts cannot give it a score
 * better than the k-th best found so far needs no score: its best
 * possible score is its BM25 at the least length it can have (past its
 * last phrase instance, and as many tokens as its most frequent phrase
 * has instances), which the instances alone give. bg_may_rank(sentence_fts, ?)
 * says whether the row could rank (1) or not (0), the bound state passed as a
 * pointer; the scores printed are FTS5's own, computed only for the rows it
 * lets through. */

/* What bg_may_rank knows: the caller's k-th best score so far (better is
 * lower; +HUGE_VAL while fewer than k), and the query's BM25 constants,
 * found at the first row. */
struct bg_rank_bound {
    double threshold;
    int ready;
    int nphrase;
    double avgdl;
    double idf[64];
};

static int count_rows(const Fts5ExtensionApi *api, Fts5Context *fts,
                      void *payload)
{
    (void)api;
    (void)fts;
    ++*(int64_t *)payload;
    return SQLITE_OK;
}

/* The constants of FTS5's bm25 for this query: idf of each phrase (from
 * the rows holding it), the mean row length. */
static int bound_init(const Fts5ExtensionApi *api, Fts5Context *fts,
                      struct bg_rank_bound *b)
{
    sqlite3_int64 nrow = 0, ntok = 0;
    int n = api->xPhraseCount(fts);
    int rc = api->xRowCount(fts, &nrow);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &ntok);
    if (rc != SQLITE_OK)
        return rc;
    b->nphrase = n;
    b->avgdl = nrow > 0 ? (double)ntok / (double)nrow : 1;
    for (int i = 0; i < n && i < 64 && rc == SQLITE_OK; i++) {
        int64_t hit = 0;
        rc = api->xQueryPhrase(fts, i, &hit, count_rows);
        double idf =
            log(((double)nrow - (double)hit + 0.5) / ((double)hit + 0.5));
        b->idf[i] = idf > 0 ? idf : 1e-6;
    }
    b->ready = 1;
    return rc;
}

static void may_rank(const Fts5ExtensionApi *api, Fts5Context *fts,
                     sqlite3_context *ctx, int nval, sqlite3_value **val)
{
    struct bg_rank_bound *b =
        nval == 1 ? sqlite3_value_pointer(val[0], "bg_rank_bound") : NULL;
    double tf[64], most = 0, least = 0, best = 0;
    int n = 0, rc = SQLITE_OK;
    if (!b || b->threshold == HUGE_VAL) {
        sqlite3_result_int(ctx, 1);
        return;
    }
    if (!b->ready)
        rc = bound_init(api, fts, b);
    if (rc == SQLITE_OK && b->nphrase > 64) {
        sqlite3_result_int(ctx, 1); /* no bound kept for so many */
        return;
    }
    for (int i = 0; i < b->nphrase; i++)
        tf[i] = 0;
    if (rc == SQLITE_OK)
        rc = api->xInstCount(fts, &n);
    for (int i = 0; rc == SQLITE_OK && i < n; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && phrase >= 0 && phrase < b->nphrase &&
            ++tf[phrase] > most)
            most = tf[phrase];
        if (rc == SQLITE_OK && off + 1.0 > least)
            least = off + 1.0; /* a token at offset off: off + 1 tokens */
    }
    if (most > least)
        least = most;
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    /* the row holds at least `least` tokens: BM25 only falls as it grows */
    for (int i = 0; i < b->nphrase; i++)
        best += b->idf[i] * (tf[i] * 2.2) /
                (tf[i] + 1.2 * (0.25 + 0.75 * least / b->avgdl));
    /* a hair more than the bound, against rounding */
    sqlite3_result_int(ctx, -best * (1 + 1e-9) <= b->threshold);
}

/* Registers bg_instances and bg_may_rank on q's connection (once). */
static int register_instances(bg_query *q, bg_err *err)
{
    if (q->instances_fn)
        return 0;
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (bg_query_prepare(q, "SELECT fts5(?1)", &st, err))
        return BG_ESQLITE;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api || api->iVersion < 2 ||
        api->xCreateFunction(api, "bg_instances", NULL, instances, NULL) !=
            SQLITE_OK ||
        api->xCreateFunction(api, "bg_may_rank", NULL, may_rank, NULL) !=
            SQLITE_OK)
        return bg_err_set(err, BG_ESQLITE, "%s: FTS5's API is not there",
                          q->path);
    q->instances_fn = 1;
    return 0;
}

static int by_sid(const void *a, const void *b)
{
    const bg_scored *x = a, *y = b;
    return x->sid < y->sid ? -1 : x->sid > y->sid;
}

static int by_score(const void *a, const void *b)
{
    const bg_scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return by_sid(a, b);
}

void bg_scored_rank(bg_scored *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, by_score);
}

int bg_match_words(bg_query *q, const bg_match *m, const bg_facet *f,
                   bg_words_mode mode, size_t keep, bg_scored **out,
                   size_t *nout, size_t *n, int64_t *instances, bg_err *err)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0, k = 0;
    int r, rc;
    *out = NULL;
    *nout = *n = 0;
    *instances = 0;
    if (!m->fts)
        return 0;
    if ((rc = register_instances(q, err)))
        return rc;
    int all = strcmp(f->cond, "1") == 0 && !f->kind;
    struct bg_rank_bound bound = {.threshold = HUGE_VAL};
    /* BM25 only when asked: it looks up every row's length; for the best
     * keep, only of the rows that may rank (NULL for the others) */
    char *sql = sqlite3_mprintf(
        "SELECT sentence_fts.rowid, %s, bg_instances(sentence_fts) FROM "
        "sentence_fts%s WHERE sentence_fts MATCH ?1 AND (%s)%s",
        mode == BG_WORDS_BEST ? "CASE WHEN bg_may_rank(sentence_fts, ?3) THEN "
                                "bm25(sentence_fts) END"
        : mode == BG_WORDS_RANKED ? "bm25(sentence_fts)"
                                  : "0",
        all ? ""
            : " JOIN sentence s ON s.id = sentence_fts.rowid JOIN document d "
              "ON d.id = s.doc_id JOIN source src ON src.id = d.source_id",
        f->cond, bg_facet_kind_sql(f, 2));
    rc = bg_query_prepare_take(q, sql, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, m->fts, -1, SQLITE_STATIC);
    if (f->kind)
        sqlite3_bind_text(st, 2, f->kind, -1, SQLITE_STATIC);
    if (mode == BG_WORDS_BEST)
        sqlite3_bind_pointer(st, 3, &bound, "bg_rank_bound", NULL);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t inst = sqlite3_column_int64(st, 2);
        *instances += inst;
        ++*n;
        if (mode == BG_WORDS_COUNT || (mode == BG_WORDS_BEST && !keep))
            continue;
        if (mode == BG_WORDS_BEST &&
            (sqlite3_column_type(st, 1) == SQLITE_NULL ||
             sqlite3_column_double(st, 1) > bound.threshold))
            continue; /* cannot rank among the best keep */
        if (mode == BG_WORDS_BEST && k == 2 * keep) {
            /* the best keep of 2 * keep: sorted, the rest dropped; the
             * worst kept is the score to beat */
            bg_scored_rank(*out, k);
            k = keep;
            bound.threshold = (*out)[keep - 1].score;
        }
        if (BG_RESERVE(*out, cap, k + 1)) {
            rc = bg_query_oom(err);
            break;
        }
        (*out)[k++] = (bg_scored){sqlite3_column_int64(st, 0),
                                  sqlite3_column_double(st, 1), inst};
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = bg_query_err(q, err, "search");
    sqlite3_finalize(st);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    if (mode == BG_WORDS_BEST) {
        bg_scored_rank(*out, k);
        if (k > keep)
            k = keep;
    } else if (*out && k > 1)
        qsort(*out, k, sizeof **out, by_sid);
    *nout = k;
    return 0;
}

/* 1 when term t is one FTS5 token as written (unicode61 with '.' a token
 * character folds nothing in it and splits it nowhere): ASCII lower case
 * letters, digits, '.', 〇 and the Han characters of report text. */
static int fts_token_as_is(const char *t)
{
    if (!*t)
        return 0;
    for (size_t i = 0, len = strlen(t); i < len;) {
        size_t next;
        uint32_t cp = bg_utf8_next(t, i, &next);
        if (!((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
              cp == '.' || cp == 0x3007 || bg_han_basic(cp)))
            return 0;
        i = next;
    }
    return 1;
}

static int tree_words_are_text(const bg_match *m, const bg_qnode *n)
{
    if (n->kind == BG_Q_TEXT) {
        const bg_leaf *l = &m->leaf[n->leaf];
        return l->nforms == 1 && l->form[0].nterms == 1 &&
               strcmp(l->form[0].term[0], l->form[0].norm) == 0 &&
               fts_token_as_is(l->form[0].norm);
    }
    if (n->kind != BG_Q_AND && n->kind != BG_Q_OR)
        return 0; /* NOT, NEAR */
    for (size_t i = 0; i < n->nkids; i++)
        if (!tree_words_are_text(m, n->kids[i]))
            return 0;
    return 1;
}

int bg_match_words_are_text(const bg_match *m)
{
    return m->fts && tree_words_are_text(m, m->tree);
}

const bg_scored *bg_match_score(const bg_scored *v, size_t n, int64_t sid)
{
    bg_scored key = {sid, 0, 0};
    return n ? bsearch(&key, v, n, sizeof key, by_sid) : NULL;
}

/* ---- sentences matching as whole words, with their occurrences ---------- */

int bg_match_word_lines(bg_query *q, const bg_match *m, const bg_facet *f,
                        bg_line_cb cb, void *payload, bg_err *err)
{
    sqlite3_stmt *st = NULL, *text = NULL;
    bg_occ *occ = NULL;
    int64_t doc = 0;
    size_t seq = 0, at = 0, len = 0, n = 0;
    const char *s = NULL;
    int rc, r;
    if (!m->fts)
        return 0;
    int by_edit = bg_query_has_column(q, "sentence", "norm_edit");
    int by_doc = !by_edit && bg_query_has_column(q, "document_norm", "norm");
    bg_buf one = {0}; /* schema 11: the sentence's analysis form */
    char *sql = sqlite3_mprintf(
        "SELECT s.id, s.doc_id, s.seq FROM sentence_fts JOIN sentence s ON "
        "s.id = sentence_fts.rowid JOIN document d ON d.id = s.doc_id JOIN "
        "source src ON src.id = d.source_id WHERE sentence_fts MATCH ?1 AND "
        "(%s)%s ORDER BY s.doc_id, s.seq",
        f->cond, bg_facet_kind_sql(f, 2));
    rc = bg_query_prepare_take(q, sql, &st, err);
    if (rc == 0)
        rc = bg_query_prepare(q,
                              by_edit  ? "SELECT text, norm_edit FROM "
                                         "sentence WHERE id = ?1"
                              : by_doc ? "SELECT norm FROM document_norm WHERE "
                                         "doc_id = ?1"
                                       : "SELECT norm FROM sentence WHERE id = "
                                         "?1",
                              &text, err);
    if (rc)
        goto cleanup;
    sqlite3_bind_text(st, 1, m->fts, -1, SQLITE_STATIC);
    if (f->kind)
        sqlite3_bind_text(st, 2, f->kind, -1, SQLITE_STATIC);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t sid = sqlite3_column_int64(st, 0),
                d = sqlite3_column_int64(st, 1);
        size_t want = (size_t)sqlite3_column_int64(st, 2);
        /* the sentence's line: its document's analysis form, read once */
        if (!by_doc || d != doc) {
            sqlite3_reset(text);
            sqlite3_bind_int64(text, 1, by_doc ? d : sid);
            if (sqlite3_step(text) != SQLITE_ROW) {
                rc = bg_query_err(q, err, "kwic");
                break;
            }
            s = (const char *)sqlite3_column_text(text, 0);
            len = (size_t)sqlite3_column_bytes(text, 0);
            s = s ? s : "";
            if (by_edit) {
                one.len = 0;
                int e =
                    bg_edits_apply(s, len, sqlite3_column_blob(text, 1),
                                   (size_t)sqlite3_column_bytes(text, 1), &one);
                if (e) {
                    rc = e == BG_ENOMEM
                             ? bg_query_oom(err)
                             : bg_err_set(err, BG_EDATA,
                                          "sentence %lld: its norm_edit is "
                                          "damaged (a damaged database; "
                                          "ingest the file again)",
                                          (long long)sid);
                    break;
                }
                s = one.data ? one.data : "";
                len = one.len;
            }
            doc = d;
            seq = by_doc ? 1 : want;
            at = 0;
        }
        const char *nl;
        while (seq < want && (nl = memchr(s + at, '\n', len - at))) {
            at = (size_t)(nl - s) + 1;
            seq++;
        }
        nl = memchr(s + at, '\n', len - at);
        size_t le = nl ? (size_t)(nl - s) : len;
        free(occ);
        occ = NULL;
        if (seq != want)
            continue; /* fewer lines than sentences: cannot happen */
        if ((rc = bg_match_find(q, m, s + at, le - at, 1, &occ, &n, err)))
            break;
        if (!n)
            continue; /* FTS5's tokens are not quite ours: no whole word */
        bg_line l = {sid, d, want, s + at, le - at, occ, n};
        if ((rc = cb(&l, payload)))
            break;
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = bg_query_err(q, err, "kwic");
cleanup:
    bg_buf_free(&one);
    free(occ);
    sqlite3_finalize(st);
    sqlite3_finalize(text);
    return rc;
}
