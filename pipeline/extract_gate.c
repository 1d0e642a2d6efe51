/*
 * extract_gate.c - literal gates in front of the rule patterns.
 *
 * Most rule patterns begin with an alternation of Chinese words
 * ((?:存在|还有|仍有)…). PCRE2's start-of-match optimisations see only the
 * first byte of each alternative, which every CJK character shares with
 * thousands of others, so each pattern is tried at every character of every
 * sentence: on the 58 MB benchmark that was two thirds of extraction's time.
 *
 * A gate is the set of strings of one or two code points with which every
 * match of a pattern must begin, worked out once from the pattern's text
 * when the rules are loaded. A sentence that contains none of a rule's gate
 * strings cannot hold a match of it in any of its clauses, so the pattern
 * is not run there. Where it does hold one, a match can only begin where
 * one of the rule's gate strings begins (its candidates, recorded while
 * the sentence is scanned): the search starts at the first candidate, and
 * when there are few the pattern compiled anchored is tried at each of
 * them alone, which spares a long alternation of words being tried at
 * every character in between. The analysis is conservative: any construct it
 * does not model (classes with escapes, \d, ., options, conditionals, verbs,
 * \K…) either ends the known prefix at that point or gives the rule no gate, in
 * which case it is always run. A pattern every branch of which ends with $
 * also has an end gate: the characters a match may end with, since it
 * ends where the subject does; a subject ending otherwise is not searched.
 * Gates change no result, only the time taken
 * (tests/test_extract.c checks both: prefix sets worked by hand, and labels
 * with and without gates on the gold documents).
 */
#include "extract_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#define GATE_K 2      /* code points per gate string */
#define GATE_MAX 4096 /* prefixes per pattern before giving up */
#define RANGE_MAX 64  /* widest class range expanded */

/* A prefix of a match: its code points (folded: gate_fold) and whether it
 * may go on (open) or is followed by something the analysis does not know
 * (closed); start: it stands at the start of the subject (after ^). */
typedef struct pfx {
    uint32_t c[GATE_K];
    unsigned char len, closed, start;
} pfx;

typedef struct pset {
    pfx *v;
    size_t n, cap;
    int nullable; /* the construct can match the empty string */
} pset;

typedef struct parser {
    const char *p;
    int giveup; /* a construct outside the model: no gate at all */
    int oom;
} parser;

static void pset_free(pset *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

static int pfx_eq(const pfx *a, const pfx *b)
{
    return a->len == b->len && a->closed == b->closed && a->start == b->start &&
           memcmp(a->c, b->c, a->len * sizeof *a->c) == 0;
}

/* Gate strings and the text they are looked for in are compared folded:
 * every decimal digit (Unicode Nd, what \d matches under PCRE2_UCP) is
 * '0' and every white space character (\s under PCRE2_UCP: separators
 * Z, tab to carriage return; and NEL) is ' ', so that \d and \s are one
 * character each to the analysis. A literal digit or space in a pattern
 * folds the same way, so a match's first characters, folded, are always
 * among its gate strings. */
static uint32_t fold_slow(uint32_t c)
{
    if (c < 0x80)
        return c >= '0' && c <= '9'                   ? '0'
               : c == ' ' || (c >= 0x09 && c <= 0x0D) ? ' '
                                                      : c;
    int8_t t = u_charType((UChar32)c);
    if (t == U_DECIMAL_DIGIT_NUMBER)
        return '0';
    if (t == U_SPACE_SEPARATOR || t == U_LINE_SEPARATOR ||
        t == U_PARAGRAPH_SEPARATOR || c == 0x85 || u_isUWhiteSpace((UChar32)c))
        return ' ';
    return c;
}

static uint32_t gate_fold(const bg_extractor *x, uint32_t c)
{
    if (c < 0x80)
        return fold_slow(c);
    if (c < 0x10000 && !(x->gate_folds[c >> 3] >> (c & 7) & 1))
        return c;
    return fold_slow(c);
}

static void pset_add(parser *ps, pset *s, const pfx *x)
{
    for (size_t i = 0; i < s->n; i++)
        if (pfx_eq(&s->v[i], x))
            return;
    if (s->n == GATE_MAX) {
        ps->giveup = 1;
        return;
    }
    if (BG_RESERVE(s->v, s->cap, s->n + 1)) {
        ps->oom = 1;
        return;
    }
    s->v[s->n++] = *x;
}

/* The item that consumes text the analysis cannot see into. */
static void unknown_item(parser *ps, pset *s, int nullable)
{
    pfx x = {{0}, 0, 1, 0};
    pset_add(ps, s, &x);
    s->nullable = nullable;
}

static void char_item(parser *ps, pset *s, uint32_t c)
{
    pfx x = {{fold_slow(c)}, 1, 0, 0};
    pset_add(ps, s, &x);
}

/* The character a one-letter escape stands for as a gate character
 * (\d: a digit, \s: a space, \n \t \r \f: those spaces), or 0 when the
 * analysis does not model it. */
static uint32_t escape_char(char letter)
{
    switch (letter) {
    case 'd':
        return '0';
    case 's':
    case 'n':
    case 't':
    case 'r':
    case 'f':
        return ' ';
    default:
        return 0;
    }
}

/* seq := seq followed by item: every open prefix of seq extended by each
 * prefix of item; kept as it is too when item can be empty. */
static void seq_extend(parser *ps, pset *seq, const pset *item)
{
    pset out = {0};
    for (size_t i = 0; i < seq->n && !ps->giveup && !ps->oom; i++) {
        const pfx *p = &seq->v[i];
        if (p->closed || p->len == GATE_K) {
            pfx q = *p;
            q.closed = 1;
            pset_add(ps, &out, &q);
            continue;
        }
        for (size_t k = 0; k < item->n; k++) {
            const pfx *a = &item->v[k];
            pfx q = *p;
            size_t j = 0;
            for (; j < a->len && q.len < GATE_K; j++)
                q.c[q.len++] = a->c[j];
            q.closed = a->closed || j < a->len || q.len == GATE_K;
            q.start |= a->start;
            pset_add(ps, &out, &q);
        }
        if (item->nullable)
            pset_add(ps, &out, p);
    }
    out.nullable = seq->nullable && item->nullable;
    pset_free(seq);
    *seq = out;
}

static uint32_t next_cp(parser *ps)
{
    size_t used;
    uint32_t c = bg_utf8_next(ps->p, 0, &used);
    ps->p += used ? used : 1;
    return c;
}

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

/* Skips the argument of the escape \<letter> just read, as PCRE2 reads
 * it: \p{Han} \pL, \x{4e00} \xhh, \o{17}, \N{U+4E00}, \g{1} \g<n> \g-1,
 * \k<n> \k'n' \k{n}, \ddd, and the one character after \c. Other letters
 * (\d, \s, \w, …) take none: a '{' after them is theirs no more. */
static void skip_to(parser *ps, char close)
{
    const char *e = strchr(ps->p + 1, close);
    ps->p = e ? e + 1 : ps->p + strlen(ps->p);
}

/* Whether the '{' at ps->p reads like a quantifier ({3}, {1,3}, {,3},
 * { 1 , 3 }): a '{' that cannot start one is a literal in PCRE2 10.42, but
 * later versions read more forms as quantifiers, so the gates leave
 * anything quantifier-like unmodelled (the caller gives up). */
static int brace_quantifier_like(const parser *ps)
{
    const char *q = ps->p + 1;
    while ((*q >= '0' && *q <= '9') || *q == ',' || *q == ' ')
        q++;
    return *q == '}' && q > ps->p + 1;
}

static void skip_escape_arg(parser *ps, char letter)
{
    char c = *ps->p;
    switch (letter) {
    case 'c':
        if (c)
            next_cp(ps);
        break;
    case 'p':
    case 'P':
        if (c == '{')
            skip_to(ps, '}');
        else if (c)
            next_cp(ps);
        break;
    case 'x':
        if (c == '{')
            skip_to(ps, '}');
        else
            for (int k = 0; k < 2 && isxdigit((unsigned char)*ps->p); k++)
                ps->p++;
        break;
    case 'o':
    case 'N':
        if (c == '{')
            skip_to(ps, '}');
        break;
    case 'k':
    case 'g':
        if (c == '{')
            skip_to(ps, '}');
        else if (c == '<')
            skip_to(ps, '>');
        else if (c == '\'')
            skip_to(ps, '\'');
        else if (letter == 'g') {
            if (*ps->p == '+' || *ps->p == '-')
                ps->p++;
            while (*ps->p >= '0' && *ps->p <= '9')
                ps->p++;
        }
        break;
    default:
        if (letter >= '0' && letter <= '9')
            while (*ps->p >= '0' && *ps->p <= '9')
                ps->p++;
        break;
    }
}

/* A character class [...] after its '['. */
static void class_item(parser *ps, pset *s)
{
    int negated = *ps->p == '^', known = !negated;
    uint32_t set[RANGE_MAX * 2];
    size_t n = 0;
    if (negated)
        ps->p++;
    int first = 1;
    while (*ps->p && (*ps->p != ']' || first)) {
        first = 0;
        uint32_t c;
        if (*ps->p == '[' && ps->p[1] == ':') {
            /* a POSIX class only when ":]" closes it before any "]" */
            const char *e = strchr(ps->p + 2, ']');
            if (e && e[-1] == ':' && e > ps->p + 2) {
                ps->p = e + 1;
                known = 0;
                continue;
            }
        }
        if (*ps->p == '\\') {
            ps->p++;
            if (is_alnum(*ps->p)) { /* \p{Han}, \x{…}: not modelled */
                char letter = *ps->p++;
                uint32_t e = escape_char(letter);
                /* (\t-~ would be a range: not modelled) */
                if (e && n < RANGE_MAX * 2 &&
                    !(*ps->p == '-' && ps->p[1] && ps->p[1] != ']')) {
                    set[n++] = e; /* \d \s \n…: one (folded) character */
                    continue;
                }
                skip_escape_arg(ps, letter);
                known = 0;
                continue;
            }
            if (!*ps->p)
                break;
        }
        c = next_cp(ps);
        uint32_t hi = c;
        if (*ps->p == '-' && ps->p[1] && ps->p[1] != ']') {
            ps->p++;
            if (*ps->p == '\\') {
                ps->p++;
                if (is_alnum(*ps->p)) {
                    char letter = *ps->p++;
                    skip_escape_arg(ps, letter);
                    known = 0;
                    continue;
                }
            }
            hi = next_cp(ps);
        }
        if (hi < c || hi - c >= RANGE_MAX || n + (hi - c + 1) > RANGE_MAX * 2) {
            known = 0;
            continue;
        }
        for (uint32_t k = c; k <= hi; k++)
            set[n++] = k;
    }
    if (*ps->p == ']')
        ps->p++;
    if (!known) {
        unknown_item(ps, s, 0);
        return;
    }
    for (size_t i = 0; i < n; i++)
        char_item(ps, s, set[i]);
}

static void parse_alt(parser *ps, pset *out);

/* Parses a group body up to and past its ')'. zero_width: an assertion,
 * which consumes nothing (its content is parsed and dropped). */
static void group_item(parser *ps, pset *s, int zero_width)
{
    pset inner = {0};
    parse_alt(ps, &inner);
    if (*ps->p == ')')
        ps->p++;
    else
        ps->giveup = 1;
    if (zero_width) {
        pset_free(&inner);
        s->nullable = 1;
        return;
    }
    pset_free(s);
    *s = inner;
}

/* Skips comments (?#…), which PCRE2 reads as nothing at all: a quantifier
 * after one belongs to the atom before it. */
static void skip_comments(parser *ps)
{
    while (ps->p[0] == '(' && ps->p[1] == '?' && ps->p[2] == '#')
        skip_to(ps, ')');
}

/* One atom (without its quantifier) into s. Returns 0 at the end of a
 * branch ('|', ')' or the end of the pattern). */
static int parse_atom(parser *ps, pset *s)
{
    skip_comments(ps);
    char ch = *ps->p;
    if (!ch || ch == '|' || ch == ')')
        return 0;
    if (ch == '^') { /* zero-width, at the start of the subject only */
        pfx x = {{0}, 0, 0, 1};
        ps->p++;
        pset_add(ps, s, &x);
        return 1;
    }
    if (ch == '$') {
        ps->p++;
        s->nullable = 1; /* zero-width */
        return 1;
    }
    if (ch == '.') {
        ps->p++;
        unknown_item(ps, s, 0);
        return 1;
    }
    if (ch == '[') {
        ps->p++;
        class_item(ps, s);
        return 1;
    }
    if (ch == '(') {
        ps->p++;
        if (*ps->p == '*') { /* (*VERB) */
            ps->giveup = 1;
            return 0;
        }
        if (*ps->p != '?') {
            group_item(ps, s, 0);
            return 1;
        }
        ps->p++;
        char k = *ps->p;
        if (k == ':' || k == '>' || k == '|') {
            ps->p++;
            group_item(ps, s, 0);
        } else if (k == '=' || k == '!') {
            ps->p++;
            group_item(ps, s, 1);
        } else if (k == '<' && (ps->p[1] == '=' || ps->p[1] == '!')) {
            ps->p += 2;
            group_item(ps, s, 1);
        } else if ((k == '<' && ps->p[1] != '*') || k == '\'' ||
                   (k == 'P' && ps->p[1] == '<')) {
            char close = k == '\'' ? '\'' : '>';
            const char *e = strchr(ps->p + 1, close);
            if (!e) {
                ps->giveup = 1;
                return 0;
            }
            ps->p = e + 1;
            group_item(ps, s, 0);
        } else { /* options, conditionals, recursion, callouts, non-atomic
                  * assertions (?*…) (?<*…) */
            ps->giveup = 1;
            return 0;
        }
        return 1;
    }
    if (ch == '\\') {
        ps->p++;
        char e = *ps->p;
        if (!e) {
            ps->giveup = 1;
            return 0;
        }
        if (!is_alnum(e)) { /* an escaped literal: \. \( \\ \? … */
            char_item(ps, s, next_cp(ps));
            return 1;
        }
        ps->p++;
        if (escape_char(e)) {
            char_item(ps, s, escape_char(e));
            return 1;
        }
        if (strchr("bBAzZ", e)) {
            s->nullable = 1; /* zero-width assertion */
            return 1;
        }
        /* \G asserts the start offset, which bg_gate_match moves */
        if (strchr("GKQE", e)) {
            ps->giveup = 1;
            return 0;
        }
        skip_escape_arg(ps, e);
        unknown_item(ps, s, 0);
        return 1;
    }
    if (ch == '{' && brace_quantifier_like(ps)) {
        ps->giveup = 1;
        return 0;
    }
    char_item(ps, s, next_cp(ps));
    return 1;
}

/* A quantifier after an atom, if any: its minimum and maximum (-1: no
 * upper bound); 0 when there is none. */
static int parse_quant(parser *ps, long *lo, long *hi)
{
    const char *p = ps->p;
    if (*p == '?' || *p == '*' || *p == '+') {
        *lo = *p == '+';
        *hi = *p == '?' ? 1 : -1;
        p++;
    } else if (*p == '{') {
        const char *q = p + 1;
        char *end;
        if (*q < '0' || *q > '9')
            return 0;
        *lo = strtol(q, &end, 10);
        *hi = *lo;
        const char *e = end;
        if (*e == ',') {
            q = e + 1;
            if (*q >= '0' && *q <= '9') {
                *hi = strtol(q, &end, 10);
                e = end;
            } else {
                *hi = -1;
                e = q;
            }
        }
        if (*e != '}')
            return 0;
        p = e + 1;
    } else {
        return 0;
    }
    if (*p == '?' || *p == '+') /* lazy or possessive */
        p++;
    ps->p = p;
    return 1;
}

/* branch := (atom quantifier?)* */
static void parse_branch(parser *ps, pset *out)
{
    pfx empty = {{0}, 0, 0, 0};
    pset_add(ps, out, &empty);
    out->nullable = 1;
    for (;;) {
        pset item = {0};
        if (!parse_atom(ps, &item)) {
            pset_free(&item);
            break;
        }
        long lo, hi;
        skip_comments(ps);
        if (parse_quant(ps, &lo, &hi)) {
            /* a quantifier, a comment, then ? * + or {: whatever PCRE2
             * makes of it, it is not modelled */
            skip_comments(ps);
            if (*ps->p == '?' || *ps->p == '*' || *ps->p == '+' ||
                *ps->p == '{') {
                pset_free(&item);
                ps->giveup = 1;
                break;
            }
            if (hi != 1) /* beyond one repetition the text is not known */
                for (size_t i = 0; i < item.n; i++)
                    item.v[i].closed = 1;
            if (lo == 0)
                item.nullable = 1;
        }
        seq_extend(ps, out, &item);
        pset_free(&item);
        if (ps->giveup || ps->oom)
            break;
    }
}

/* alt := branch ('|' branch)* */
static void parse_alt(parser *ps, pset *out)
{
    out->nullable = 0;
    for (;;) {
        pset b = {0};
        parse_branch(ps, &b);
        for (size_t i = 0; i < b.n; i++)
            pset_add(ps, out, &b.v[i]);
        out->nullable |= b.nullable;
        pset_free(&b);
        if (ps->giveup || ps->oom || *ps->p != '|')
            break;
        ps->p++;
    }
}

int bg_gate_analyse(const char *pattern, bg_gate_str **out, size_t *n)
{
    parser ps = {pattern, 0, 0};
    pset s = {0};
    *out = NULL;
    *n = 0;
    parse_alt(&ps, &s);
    if (ps.oom) {
        pset_free(&s);
        return BG_ENOMEM;
    }
    int ok = !ps.giveup && *ps.p == '\0' && !s.nullable && s.n > 0;
    for (size_t i = 0; ok && i < s.n; i++)
        if (s.v[i].len == 0 && !s.v[i].start)
            ok = 0; /* a match may begin with anything */
    if (ok) {
        bg_gate_str *v = malloc(s.n * sizeof *v);
        if (!v) {
            pset_free(&s);
            return BG_ENOMEM;
        }
        size_t k = 0, starts = 0;
        for (size_t i = 0; i < s.n; i++) {
            /* prefixes of nothing known stand at the start: one string */
            if (!s.v[i].len && starts++)
                continue;
            v[k].c0 = s.v[i].len ? s.v[i].c[0] : BG_GATE_START;
            v[k++].c1 = s.v[i].len > 1 ? s.v[i].c[1] : 0;
        }
        *out = v;
        *n = k;
    }
    pset_free(&s);
    return 0;
}

/* ---- end gates ------------------------------------------------------------
 * A pattern every branch of which ends with $ matches only at the end of
 * its subject (or before a newline that ends it: PCRE2's $ without
 * PCRE2_MULTILINE), so the last character of a match is the subject's
 * last. Its end gate is the set of characters (folded) with which a match
 * may end; a subject whose last character is outside it holds no match.
 * The analysis walks each branch forward, keeping the characters the
 * sequence so far may end with: a consuming item's own last characters,
 * joined with those before it when it may match nothing; zero-width items
 * (assertions, lookarounds, ^, \b) change nothing. */

typedef struct eset {
    uint32_t v[RANGE_MAX * 2];
    size_t n;
    int unknown;  /* may end with a character the analysis does not know */
    int nullable; /* may match nothing */
    int zero;     /* zero-width: consumes nothing at all */
    int dollar;   /* (a sequence) its last item is $ */
} eset;

static void eset_add(eset *e, uint32_t c)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->v[i] == c)
            return;
    if (e->n == sizeof e->v / sizeof *e->v)
        e->unknown = 1;
    else
        e->v[e->n++] = c;
}

static void eset_join(eset *e, const eset *o)
{
    e->unknown |= o->unknown;
    for (size_t i = 0; i < o->n; i++)
        eset_add(e, o->v[i]);
}

static void end_alt(parser *ps, eset *out);

/* One atom (without its quantifier) into e. Returns 0 at the end of a
 * branch. */
static int end_atom(parser *ps, eset *e)
{
    memset(e, 0, sizeof *e);
    skip_comments(ps);
    char ch = *ps->p;
    if (!ch || ch == '|' || ch == ')')
        return 0;
    if (ch == '^' || ch == '$') {
        ps->p++;
        e->zero = e->nullable = 1;
        e->dollar = ch == '$';
        return 1;
    }
    if (ch == '.') {
        ps->p++;
        e->unknown = 1;
        return 1;
    }
    if (ch == '[') {
        pset s = {0};
        ps->p++;
        class_item(ps, &s);
        for (size_t i = 0; i < s.n; i++)
            if (s.v[i].len)
                eset_add(e, s.v[i].c[0]);
            else
                e->unknown = 1;
        pset_free(&s);
        return 1;
    }
    if (ch == '(') {
        ps->p++;
        int zero = 0;
        if (*ps->p == '*') {
            ps->giveup = 1;
            return 0;
        }
        if (*ps->p == '?') {
            ps->p++;
            char k = *ps->p;
            if (k == ':' || k == '>' || k == '|') {
                ps->p++;
            } else if (k == '=' || k == '!') {
                ps->p++;
                zero = 1;
            } else if (k == '<' && (ps->p[1] == '=' || ps->p[1] == '!')) {
                ps->p += 2;
                zero = 1;
            } else if ((k == '<' && ps->p[1] != '*') || k == '\'' ||
                       (k == 'P' && ps->p[1] == '<')) {
                const char *q = strchr(ps->p + 1, k == '\'' ? '\'' : '>');
                if (!q) {
                    ps->giveup = 1;
                    return 0;
                }
                ps->p = q + 1;
            } else {
                ps->giveup = 1;
                return 0;
            }
        }
        end_alt(ps, e);
        if (*ps->p == ')')
            ps->p++;
        else
            ps->giveup = 1;
        if (zero) {
            memset(e, 0, sizeof *e);
            e->zero = e->nullable = 1;
        }
        e->dollar = 0;
        return !ps->giveup;
    }
    if (ch == '\\') {
        ps->p++;
        char c = *ps->p;
        if (!c) {
            ps->giveup = 1;
            return 0;
        }
        if (!is_alnum(c)) {
            eset_add(e, fold_slow(next_cp(ps)));
            return 1;
        }
        ps->p++;
        if (escape_char(c)) {
            eset_add(e, escape_char(c));
            return 1;
        }
        if (strchr("bBA", c)) {
            e->zero = e->nullable = 1;
            return 1;
        }
        if (strchr("GKQEzZ", c)) { /* (\z \Z: not modelled as $) */
            ps->giveup = 1;
            return 0;
        }
        skip_escape_arg(ps, c);
        e->unknown = 1;
        return 1;
    }
    if (ch == '{' && brace_quantifier_like(ps)) {
        ps->giveup = 1;
        return 0;
    }
    eset_add(e, fold_slow(next_cp(ps)));
    return 1;
}

/* branch := (atom quantifier?)*: the characters it may end with. */
static void end_branch(parser *ps, eset *out)
{
    memset(out, 0, sizeof *out);
    out->nullable = out->zero = 1;
    for (;;) {
        eset item;
        if (!end_atom(ps, &item) || ps->giveup)
            break;
        long lo, hi;
        skip_comments(ps);
        if (parse_quant(ps, &lo, &hi)) {
            skip_comments(ps);
            if (*ps->p == '?' || *ps->p == '*' || *ps->p == '+' ||
                *ps->p == '{' || item.zero) {
                ps->giveup = 1;
                break;
            }
            if (lo == 0)
                item.nullable = 1;
        }
        if (!item.zero) {
            if (!item.nullable) { /* it ends the sequence so far */
                out->n = 0;
                out->unknown = 0;
                out->nullable = 0;
            }
            eset_join(out, &item);
            out->zero = 0;
        }
        out->dollar = item.dollar;
    }
}

/* alt := branch ('|' branch)*; dollar: every branch ends with $. */
static void end_alt(parser *ps, eset *out)
{
    memset(out, 0, sizeof *out);
    out->dollar = 1;
    out->zero = 1;
    for (;;) {
        eset b;
        end_branch(ps, &b);
        eset_join(out, &b);
        out->nullable |= b.nullable;
        out->zero &= b.zero;
        out->dollar &= b.dollar;
        if (ps->giveup || *ps->p != '|')
            break;
        ps->p++;
    }
}

int bg_gate_end(const char *pattern, uint32_t **out, size_t *n)
{
    parser ps = {pattern, 0, 0};
    eset e;
    *out = NULL;
    *n = 0;
    end_alt(&ps, &e);
    if (ps.oom)
        return BG_ENOMEM;
    if (ps.giveup || *ps.p != '\0' || !e.dollar || e.nullable || e.unknown ||
        e.n == 0)
        return 0;
    if (!(*out = malloc(e.n * sizeof **out)))
        return BG_ENOMEM;
    memcpy(*out, e.v, e.n * sizeof **out);
    *n = e.n;
    return 0;
}

/* Whether subj[0, len) may hold a match of rule r as far as its end gate
 * tells: its last character is in the gate, or a line end (before which
 * $ matches too), or r has no end gate. */
static int end_gate_pass(const bg_extractor *x, const rule *r, const char *subj,
                         size_t len)
{
    if (!r->nend)
        return 1;
    if (len == 0)
        return 0; /* (a match consumes a character) */
    size_t at = bg_utf8_back(subj, len, 1), next;
    uint32_t c = bg_utf8_next(subj, at, &next);
    if ((c >= 0x0A && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029)
        return 1;
    c = gate_fold(x, c);
    for (size_t i = 0; i < r->nend; i++)
        if (r->end[i] == c)
            return 1;
    return 0;
}

/* ---- the index over all rules' gates ----------------------------------- */

static int entry_cmp(const void *a, const void *b)
{
    const bg_gate_entry *x = a, *y = b;
    if (x->c0 != y->c0)
        return x->c0 < y->c0 ? -1 : 1;
    if (x->c1 != y->c1)
        return x->c1 < y->c1 ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

int bg_gate_index(bg_extractor *x)
{
    size_t words = (x->n + 63) / 64, total = 0;
    x->gate_doc = NULL;
    if (!(x->gated = calloc(words ? words : 1, sizeof *x->gated)) ||
        !(x->pass = calloc(words ? words : 1, sizeof *x->pass)) ||
        !(x->cand_head = calloc(x->n ? x->n : 1, sizeof *x->cand_head)) ||
        !(x->cand_tail = calloc(x->n ? x->n : 1, sizeof *x->cand_tail)) ||
        !(x->gate_start = calloc(words ? words : 1, sizeof *x->gate_start)))
        return BG_ENOMEM;
    for (uint32_t c = 0x80; c < 0x10000; c++)
        if (fold_slow(c) != c)
            x->gate_folds[c >> 3] |= (unsigned char)(1u << (c & 7));
    for (size_t i = 0; i < x->n; i++)
        total += x->rules[i].ngate;
    if (total && !(x->gates = malloc(total * sizeof *x->gates)))
        return BG_ENOMEM;
    for (size_t i = 0; i < x->n; i++) {
        const rule *r = &x->rules[i];
        for (size_t k = 0; k < r->ngate; k++) {
            uint32_t c = r->gate[k].c0;
            if (c == BG_GATE_START) {
                x->gate_start[i / 64] |= 1ull << (i % 64);
                continue;
            }
            x->gates[x->ngates++] = (bg_gate_entry){c, r->gate[k].c1, i};
            x->gate_first[(c >> 3) & 0x1FFF] |= (unsigned char)(1u << (c & 7));
        }
        if (r->ngate)
            x->gated[i / 64] |= 1ull << (i % 64);
    }
    if (x->ngates)
        qsort(x->gates, x->ngates, sizeof *x->gates, entry_cmp);
    /* where each BMP first character's entries begin (1-based; 0: none) */
    if (x->ngates && x->ngates < 0xFFFF) {
        if (!(x->gate_at = calloc(0x10000, sizeof *x->gate_at)))
            return BG_ENOMEM;
        for (size_t k = x->ngates; k-- > 0;)
            if (x->gates[k].c0 < 0x10000)
                x->gate_at[x->gates[k].c0] = (uint16_t)(k + 1);
    }
    return 0;
}

#define NONE_AT ((size_t)-1)

/* The first entry in v[lo, hi) not before (c0, c1). */
static size_t lower_bound(const bg_gate_entry *v, size_t lo, size_t hi,
                          uint32_t c0, uint32_t c1)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].c0 < c0 || (v[mid].c0 == c0 && v[mid].c1 < c1))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Room for one more candidate: 0, or -1 (out of memory). */
static int cand_room(bg_extractor *x)
{
    if (x->ncand < x->candcap)
        return 0;
    size_t cap = x->candcap ? 2 * x->candcap : 256;
    size_t *pos = realloc(x->cand_pos, cap * sizeof *pos);
    if (!pos)
        return -1;
    x->cand_pos = pos;
    size_t *next = realloc(x->cand_next, cap * sizeof *next);
    if (!next)
        return -1;
    x->cand_next = next;
    x->candcap = cap;
    return 0;
}

/* Records byte offset at as a candidate of rule ri (its chain kept in
 * increasing order, each offset once) and lets the rule through. */
static void add_candidate(bg_extractor *x, size_t ri, size_t at)
{
    uint64_t bit = 1ull << (ri % 64);
    int seen = (x->pass[ri / 64] & bit) != 0;
    x->pass[ri / 64] |= bit;
    if (!x->cand_ok || (seen && x->cand_pos[x->cand_tail[ri]] == at))
        return; /* (c and c c1 both begin here) */
    if (cand_room(x)) {
        x->cand_ok = 0; /* bg_gate_match searches without them */
        return;
    }
    size_t k = x->ncand++;
    x->cand_pos[k] = at;
    x->cand_next[k] = NONE;
    if (seen)
        x->cand_next[x->cand_tail[ri]] = k;
    else
        x->cand_head[ri] = k;
    x->cand_tail[ri] = k;
}

/* Scans [a, b) of the analysis form: which gated rules it lets through
 * (x->pass) and their candidates, appended to x->cand_pos. */
static void scan(bg_extractor *x, size_t a, size_t b)
{
    const char *doc = x->t->analysis;
    x->gate_doc = doc;
    x->gate_a = a;
    x->gate_b = b;
    x->gate_sent = NONE;
    size_t words = (x->n + 63) / 64;
    memset(x->pass, 0, words * sizeof *x->pass);
    if (!x->gc_on)
        x->ncand = 0; /* nothing keeps the chains of an earlier scan */
    x->cand_ok = 1;
    size_t i = a, next;
    uint32_t c = i < b ? gate_fold(x, bg_utf8_next(doc, i, &next)) : 0;
    while (i < b) {
        uint32_t c1 = 0;
        size_t after = next;
        if (next < b)
            c1 = gate_fold(x, bg_utf8_next(doc, next, &after));
        size_t lo = NONE_AT;
        if (c < 0x10000 && x->gate_at) {
            if (x->gate_at[c])
                lo = (size_t)x->gate_at[c] - 1;
        } else if (x->gate_first[(c >> 3) & 0x1FFF] & (1u << (c & 7))) {
            lo = lower_bound(x->gates, 0, x->ngates, c, 0);
        }
        if (lo != NONE_AT) {
            /* entries are sorted by (c0, c1, rule): the one-character
             * strings c, then the pairs c c1 */
            for (; lo < x->ngates && x->gates[lo].c0 == c; lo++) {
                const bg_gate_entry *e = &x->gates[lo];
                if (e->c1 == 0 || (next < b && e->c1 == c1))
                    add_candidate(x, e->rule, i);
                else if (e->c1 > c1)
                    break;
            }
        }
        i = next;
        c = c1;
        next = after;
    }
}

void bg_gate_span(bg_extractor *x, size_t a, size_t b)
{
    if (x->gate_doc == x->t->analysis && x->gate_a == a && x->gate_b == b &&
        x->gate_sent == NONE)
        return;
    scan(x, a, b);
}

int bg_gate_prepare(bg_extractor *x, size_t ns)
{
    size_t words = (x->n + 63) / 64;
    x->gate_doc = NULL; /* a new text, perhaps at the old one's address */
    x->ncand = 0;
    x->ngc_heads = 0;
    x->gc_on = 0;
    if (ns > x->gc_cap) {
        size_t cap = ns;
        unsigned char *done = realloc(x->gc_done, cap * sizeof *done);
        if (!done)
            return BG_ENOMEM;
        x->gc_done = done;
        size_t *h0 = realloc(x->gc_h0, cap * sizeof *h0);
        if (!h0)
            return BG_ENOMEM;
        x->gc_h0 = h0;
        size_t *nh = realloc(x->gc_nh, cap * sizeof *nh);
        if (!nh)
            return BG_ENOMEM;
        x->gc_nh = nh;
        uint64_t *pass = realloc(x->gc_pass, cap * words * sizeof *pass);
        if (!pass)
            return BG_ENOMEM;
        x->gc_pass = pass;
        x->gc_cap = cap;
    }
    if (ns)
        memset(x->gc_done, 0, ns);
    x->gc_on = 1;
    return 0;
}

void bg_gate_sentence(bg_extractor *x, size_t i)
{
    const bg_sentence *s = &x->sv[i];
    size_t words = (x->n + 63) / 64;
    if (x->gate_doc == x->t->analysis && x->gate_sent == i)
        return;
    if (!x->gc_on) {
        scan(x, s->a_start, s->a_end);
        x->gate_sent = i;
        return;
    }
    if (x->gc_done[i]) { /* scanned before: its pass bits and chains */
        memcpy(x->pass, x->gc_pass + i * words, words * sizeof *x->pass);
        for (size_t k = x->gc_h0[i]; k < x->gc_h0[i] + x->gc_nh[i]; k++)
            x->cand_head[x->gc_heads[k].rule] = x->gc_heads[k].head;
        x->cand_ok = x->gc_done[i] == 1;
        x->gate_doc = x->t->analysis;
        x->gate_a = s->a_start;
        x->gate_b = s->a_end;
        x->gate_sent = i;
        return;
    }
    scan(x, s->a_start, s->a_end);
    x->gate_sent = i;
    memcpy(x->gc_pass + i * words, x->pass, words * sizeof *x->pass);
    x->gc_h0[i] = x->ngc_heads;
    x->gc_nh[i] = 0;
    x->gc_done[i] = x->cand_ok ? 1 : 2;
    for (size_t w = 0; x->cand_ok && w < words; w++)
        for (uint64_t bits = x->pass[w]; bits; bits &= bits - 1) {
            size_t ri = w * 64 + (size_t)__builtin_ctzll(bits);
            if (BG_RESERVE(x->gc_heads, x->gc_headcap, x->ngc_heads + 1)) {
                x->gc_done[i] = 2; /* chains not kept: searched without */
                break;
            }
            x->gc_heads[x->ngc_heads++] =
                (struct bg_gate_head){ri, x->cand_head[ri]};
            x->gc_nh[i]++;
        }
}

/* Candidates are tried one by one with the anchored pattern when there are
 * at most ANCHORED_MIN of them, or at most one per ANCHORED_BYTES bytes of
 * the subject searched; else one search runs from the first (an anchored
 * try costs a call; a search step costs every alternative of the pattern
 * at one more character). */
#define ANCHORED_MIN 8
#define ANCHORED_BYTES 16

int bg_gate_match(bg_extractor *x, size_t ri, const char *subj, size_t len,
                  size_t from)
{
    const rule *r = &x->rules[ri];
    if (!x->no_gates && !end_gate_pass(x, r, subj, len))
        return PCRE2_ERROR_NOMATCH;
    if (!x->no_gates && x->gate_doc && (x->gated[ri / 64] >> (ri % 64) & 1) &&
        subj >= x->gate_doc + x->gate_a &&
        subj + len <= x->gate_doc + x->gate_b) {
        int pass = x->pass[ri / 64] >> (ri % 64) & 1;
        /* a branch after ^ may match at the subject's start alone */
        int at_start = from == 0 && (x->gate_start[ri / 64] >> (ri % 64) & 1);
        if (!pass && !at_start)
            return PCRE2_ERROR_NOMATCH;
        if (x->cand_ok) {
            size_t base = (size_t)(subj - x->gate_doc);
            size_t k = pass ? x->cand_head[ri] : NONE;
            while (k != NONE && x->cand_pos[k] < base + from + (size_t)at_start)
                k = x->cand_next[k];
            /* (a gate string's match holds a character: it begins before
             * len) */
            size_t limit = (len - from) / ANCHORED_BYTES, left = 0;
            if (limit < ANCHORED_MIN)
                limit = ANCHORED_MIN;
            for (size_t q = k;
                 q != NONE && x->cand_pos[q] < base + len && left <= limit;
                 q = x->cand_next[q])
                left++;
            if (!left && !at_start)
                return PCRE2_ERROR_NOMATCH;
            if (r->anchored && left <= limit) {
                if (at_start) {
                    int m = pcre2_match(r->anchored, (PCRE2_SPTR)subj, len, 0,
                                        PCRE2_NO_UTF_CHECK, x->md, x->mctx);
                    if (m != PCRE2_ERROR_NOMATCH)
                        return m;
                }
                for (; left-- > 0; k = x->cand_next[k]) {
                    int m = pcre2_match(r->anchored, (PCRE2_SPTR)subj, len,
                                        x->cand_pos[k] - base,
                                        PCRE2_NO_UTF_CHECK, x->md, x->mctx);
                    if (m != PCRE2_ERROR_NOMATCH)
                        return m;
                }
                return PCRE2_ERROR_NOMATCH;
            }
            if (!at_start)
                from = x->cand_pos[k] - base;
        }
    }
    return pcre2_match(r->re, (PCRE2_SPTR)subj, len, from, PCRE2_NO_UTF_CHECK,
                       x->md, x->mctx);
}

void bg_extract_use_gates(bg_extractor *x, int on)
{
    x->no_gates = !on;
}

size_t bg_extract_ngated(const bg_extractor *x)
{
    size_t n = 0;
    for (size_t i = 0; i < x->n; i++)
        n += x->rules[i].ngate > 0;
    return n;
}
