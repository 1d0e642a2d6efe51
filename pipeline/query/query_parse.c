/*
 * query_parse.c - the query syntax of search and kwic (query.h, "query
 * syntax"): user text parsed into a tree by hand, never handed to FTS5.
 *
 * Depends on util.h alone (no ICU, no SQLite), so a fuzz target can link
 * it by itself. Threading: no shared state. Offsets: bytes of the query.
 */
#include "query.h"

#include <stdlib.h>
#include <string.h>

/* Limits that keep a hostile query cheap: parentheses nest at most
 * BG_QUERY_MAX_DEPTH deep (the parser recurses), at most
 * BG_QUERY_MAX_LEAVES words and phrases, NEAR/N at most BG_QUERY_MAX_NEAR. */

typedef enum tok_kind {
    T_END,
    T_TEXT, /* a word (as typed) or a quoted phrase */
    T_LPAREN,
    T_RPAREN,
    T_AND,
    T_OR,
    T_NOT, /* NOT, or a - glued to what follows */
    T_NEAR,
} tok_kind;

typedef struct tok {
    tok_kind kind;
    size_t pos, len; /* bytes of the query */
    int quoted;      /* T_TEXT from quotes */
    int near;        /* T_NEAR: N */
    char *text;      /* T_TEXT: malloc'd, quotes removed, "" unescaped */
} tok;

typedef struct parser {
    const char *s;
    size_t len, at; /* lexer position */
    tok cur;        /* the token under consideration */
    int depth;
    size_t leaves;
    bg_err *err;
} parser;

/* ---- lexing ----------------------------------------------------------- */

/* Length of the white space at s[i] (ASCII white space, U+00A0, U+3000
 * ideographic space), 0 when none. */
static size_t space_at(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v')
        return 1;
    if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0)
        return 2;
    if (c == 0xE3 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0x80)
        return 3;
    return 0;
}

/* Length of an opening quote at s[i]: " (1) or U+201C “ (3); 0 when none. */
static size_t open_quote_at(const char *s, size_t len, size_t i)
{
    if (s[i] == '"')
        return 1;
    if (i + 2 < len && (unsigned char)s[i] == 0xE2 &&
        (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x9C)
        return 3;
    return 0;
}

static int is_close_curly(const char *s, size_t len, size_t i)
{
    return i + 2 < len && (unsigned char)s[i] == 0xE2 &&
           (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x9D;
}

/* 1 when the byte at i ends a word: white space, a parenthesis, a quote. */
static int word_ends(const char *s, size_t len, size_t i)
{
    return i >= len || space_at(s, len, i) || s[i] == '(' || s[i] == ')' ||
           open_quote_at(s, len, i);
}

/* A quoted phrase starting at p->at (its opening quote q bytes long):
 * "..." with "" for a quote inside, or “...”. */
static int lex_phrase(parser *p, size_t q, tok *t)
{
    size_t start = p->at, i = p->at + q;
    int curly = q == 3;
    bg_buf b = {0};
    for (;;) {
        if (i >= p->len) {
            bg_buf_free(&b);
            return bg_err_id(p->err, BG_EUSAGE, "query.quote-open",
                             "the quote at byte %zu is never closed", start);
        }
        if (curly && is_close_curly(p->s, p->len, i)) {
            i += 3;
            break;
        }
        if (!curly && p->s[i] == '"') {
            if (i + 1 < p->len && p->s[i + 1] == '"') {
                if (bg_buf_add(&b, "\"", 1))
                    goto oom;
                i += 2;
                continue;
            }
            i++;
            break;
        }
        if (bg_buf_add(&b, p->s + i, 1))
            goto oom;
        i++;
    }
    if (b.len == 0) {
        bg_buf_free(&b);
        return bg_err_id(p->err, BG_EUSAGE, "query.quote-empty",
                         "the quotes at byte %zu hold nothing to search for",
                         start);
    }
    *t = (tok){T_TEXT, start, i - start, 1, 0, b.data};
    p->at = i;
    return 0;
oom:
    bg_buf_free(&b);
    return bg_err_set(p->err, BG_ENOMEM, "query: out of memory");
}

/* NEAR or NEAR/N as a whole word s[0, n): 1 and *near set, else 0; -1
 * when N is not a number in [0, BG_QUERY_MAX_NEAR]. */
static int near_word(const char *s, size_t n, int *near)
{
    if (n < 4 || memcmp(s, "NEAR", 4) != 0)
        return 0;
    if (n == 4) {
        *near = BG_QUERY_NEAR_DEFAULT;
        return 1;
    }
    if (s[4] != '/')
        return 0;
    if (n == 5 || n > 9)
        return -1;
    int v = 0;
    for (size_t i = 5; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v > BG_QUERY_MAX_NEAR)
        return -1;
    *near = v;
    return 1;
}

/* Reads the next token into p->cur (the previous one's text is freed). */
static int lex(parser *p)
{
    free(p->cur.text);
    p->cur = (tok){T_END, p->len, 0, 0, 0, NULL};
    size_t w;
    while (p->at < p->len && (w = space_at(p->s, p->len, p->at)))
        p->at += w;
    if (p->at >= p->len)
        return 0;
    size_t at = p->at, q;
    tok *t = &p->cur;
    if (p->s[at] == '(' || p->s[at] == ')') {
        *t = (tok){p->s[at] == '(' ? T_LPAREN : T_RPAREN, at, 1, 0, 0, NULL};
        p->at++;
        return 0;
    }
    if ((q = open_quote_at(p->s, p->len, at)))
        return lex_phrase(p, q, t);
    /* a - glued to a word, a phrase or a parenthesis negates it */
    if (p->s[at] == '-' && at + 1 < p->len && !space_at(p->s, p->len, at + 1) &&
        p->s[at + 1] != ')') {
        *t = (tok){T_NOT, at, 1, 0, 0, NULL};
        p->at++;
        return 0;
    }
    size_t e = at;
    while (!word_ends(p->s, p->len, e))
        e++;
    p->at = e;
    size_t n = e - at;
    const char *s = p->s + at;
    int near;
    if (n == 2 && memcmp(s, "OR", 2) == 0)
        *t = (tok){T_OR, at, n, 0, 0, NULL};
    else if (n == 3 && memcmp(s, "AND", 3) == 0)
        *t = (tok){T_AND, at, n, 0, 0, NULL};
    else if (n == 3 && memcmp(s, "NOT", 3) == 0)
        *t = (tok){T_NOT, at, n, 0, 0, NULL};
    else if ((near = near_word(s, n, &t->near)) == 1)
        *t = (tok){T_NEAR, at, n, 0, t->near, NULL};
    else if (near < 0)
        return bg_err_id(p->err, BG_EUSAGE, "query.near-n",
                         "%.*s at byte %zu: NEAR/N takes a number of words "
                         "from 0 to %d",
                         (int)n, s, at, BG_QUERY_MAX_NEAR);
    else {
        char *text = malloc(n + 1);
        if (!text)
            return bg_err_set(p->err, BG_ENOMEM, "query: out of memory");
        memcpy(text, s, n);
        text[n] = '\0';
        *t = (tok){T_TEXT, at, n, 0, 0, text};
    }
    return 0;
}

/* ---- the tree --------------------------------------------------------- */

void bg_qnode_free(bg_qnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        bg_qnode_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n);
}

static bg_qnode *node_new(bg_qnode_kind kind, size_t pos)
{
    bg_qnode *n = calloc(1, sizeof *n);
    if (n) {
        n->kind = kind;
        n->pos = pos;
    }
    return n;
}

/* Appends kid to n's children (taking it); frees kid on failure. */
static int node_add(bg_qnode *n, bg_qnode *kid)
{
    bg_qnode **k = realloc(n->kids, (n->nkids + 1) * sizeof *k);
    if (!k) {
        bg_qnode_free(kid);
        return BG_ENOMEM;
    }
    n->kids = k;
    n->kids[n->nkids++] = kid;
    return 0;
}

/* 1 when n finds something by itself: a word or phrase, NEAR, AND with a
 * child that does, OR whose children all do; never NOT. */
static int positive(const bg_qnode *n)
{
    switch (n->kind) {
    case BG_Q_TEXT:
    case BG_Q_NEAR:
        return 1;
    case BG_Q_NOT:
        return 0;
    case BG_Q_AND:
        for (size_t i = 0; i < n->nkids; i++)
            if (positive(n->kids[i]))
                return 1;
        return 0;
    case BG_Q_OR:
        for (size_t i = 0; i < n->nkids; i++)
            if (!positive(n->kids[i]))
                return 0;
        return 1;
    default:
        return 0;
    }
}

/* ---- parsing ------------------------------------------------------------
 * and  := or (["AND"] or)*
 * or   := not ("OR" not)*
 * not  := ("NOT" | "-") not | near
 * near := primary [NEAR[/N] primary]   (both sides a word or phrase)
 * primary := TEXT | "(" and ")"
 */

static int parse_and(parser *p, bg_qnode **out);

static const char *tok_name(const tok *t)
{
    switch (t->kind) {
    case T_END:
        return "the end of the query";
    case T_LPAREN:
        return "(";
    case T_RPAREN:
        return ")";
    case T_AND:
        return "AND";
    case T_OR:
        return "OR";
    case T_NOT:
        return "NOT";
    case T_NEAR:
        return "NEAR";
    case T_TEXT:
        return "a word";
    default:
        return "?";
    }
}

/* The error for an operator op (at pos) missing its operand, found t. */
static int missing(parser *p, const char *op, size_t pos)
{
    if (p->cur.kind == T_END)
        return bg_err_id(p->err, BG_EUSAGE, "query.after-missing",
                         "%s at byte %zu needs a word or phrase after it", op,
                         pos);
    return bg_err_id(p->err, BG_EUSAGE, "query.after-not",
                     "%s at byte %zu needs a word or phrase after it, not "
                     "%s at byte %zu (quote operators to search for them: "
                     "\"%s\")",
                     op, pos, tok_name(&p->cur), p->cur.pos, tok_name(&p->cur));
}

static int parse_primary(parser *p, bg_qnode **out)
{
    *out = NULL;
    if (p->cur.kind == T_TEXT) {
        if (++p->leaves > BG_QUERY_MAX_LEAVES)
            return bg_err_id(p->err, BG_EUSAGE, "query.too-many",
                             "the query holds more than %d words and "
                             "phrases",
                             BG_QUERY_MAX_LEAVES);
        bg_qnode *n = node_new(BG_Q_TEXT, p->cur.pos);
        if (!n)
            return bg_err_set(p->err, BG_ENOMEM, "query: out of memory");
        n->text = p->cur.text;
        n->len = strlen(n->text);
        n->leaf = p->leaves - 1;
        n->quoted = p->cur.quoted;
        p->cur.text = NULL;
        int rc = lex(p);
        if (rc)
            bg_qnode_free(n);
        else
            *out = n;
        return rc;
    }
    if (p->cur.kind == T_LPAREN) {
        size_t pos = p->cur.pos;
        if (++p->depth > BG_QUERY_MAX_DEPTH)
            return bg_err_id(p->err, BG_EUSAGE, "query.too-deep",
                             "parentheses nest more than %d deep at byte %zu",
                             BG_QUERY_MAX_DEPTH, pos);
        int rc = lex(p);
        if (rc == 0 && p->cur.kind == T_RPAREN)
            return bg_err_id(p->err, BG_EUSAGE, "query.paren-empty",
                             "the parentheses at byte %zu hold nothing", pos);
        if (rc || (rc = parse_and(p, out)))
            return rc;
        if (p->cur.kind != T_RPAREN) {
            bg_qnode_free(*out);
            *out = NULL;
            return bg_err_id(p->err, BG_EUSAGE, "query.paren-open",
                             "the ( at byte %zu is never closed", pos);
        }
        p->depth--;
        if ((rc = lex(p))) {
            bg_qnode_free(*out);
            *out = NULL;
        }
        return rc;
    }
    return BG_ENOTFOUND; /* the caller says what was missing */
}

static int parse_near(parser *p, bg_qnode **out)
{
    int rc = parse_primary(p, out);
    if (rc || p->cur.kind != T_NEAR)
        return rc;
    size_t pos = p->cur.pos;
    int near = p->cur.near;
    if ((*out)->kind != BG_Q_TEXT) {
        bg_qnode_free(*out);
        *out = NULL;
        return bg_err_id(p->err, BG_EUSAGE, "query.near-group",
                         "NEAR at byte %zu joins two words or phrases, not "
                         "a group in parentheses",
                         pos);
    }
    bg_qnode *n = node_new(BG_Q_NEAR, pos), *right = NULL;
    if (!n) {
        bg_qnode_free(*out);
        *out = NULL;
        return bg_err_set(p->err, BG_ENOMEM, "query: out of memory");
    }
    n->near = near;
    if (node_add(n, *out)) {
        *out = NULL;
        bg_qnode_free(n);
        return bg_err_set(p->err, BG_ENOMEM, "query: out of memory");
    }
    *out = NULL;
    if ((rc = lex(p)) == 0 && (rc = parse_primary(p, &right)) == BG_ENOTFOUND)
        rc = missing(p, "NEAR", pos);
    if (rc == 0 && right->kind != BG_Q_TEXT)
        rc = bg_err_id(p->err, BG_EUSAGE, "query.near-group",
                       "NEAR at byte %zu joins two words or phrases, not "
                       "a group in parentheses",
                       pos);
    if (rc == 0 && p->cur.kind == T_NEAR)
        rc = bg_err_id(p->err, BG_EUSAGE, "query.near-chain",
                       "NEAR at byte %zu: join two NEARs with AND (a NEAR b "
                       "AND b NEAR c)",
                       p->cur.pos);
    if (rc == 0 && node_add(n, right)) {
        right = NULL;
        rc = bg_err_set(p->err, BG_ENOMEM, "query: out of memory");
    } else if (rc == 0)
        right = NULL;
    bg_qnode_free(right);
    if (rc) {
        bg_qnode_free(n);
        return rc;
    }
    *out = n;
    return 0;
}

static int parse_not(parser *p, bg_qnode **out)
{
    *out = NULL;
    if (p->cur.kind != T_NOT)
        return parse_near(p, out);
    size_t pos = p->cur.pos;
    const char *op = p->cur.len == 1 ? "-" : "NOT";
    if (++p->depth > BG_QUERY_MAX_DEPTH)
        return bg_err_id(p->err, BG_EUSAGE, "query.not-deep",
                         "NOT nests more than %d deep", BG_QUERY_MAX_DEPTH);
    bg_qnode *kid = NULL, *n;
    int rc = lex(p);
    if (rc == 0 && (rc = parse_not(p, &kid)) == BG_ENOTFOUND)
        rc = missing(p, op, pos);
    if (rc)
        return rc;
    p->depth--;
    if (!positive(kid)) {
        bg_qnode_free(kid);
        return bg_err_id(p->err, BG_EUSAGE, "query.not-empty",
                         "%s at byte %zu excludes nothing: it needs a word, "
                         "a phrase or a group that finds something (not "
                         "another NOT)",
                         op, pos);
    }
    if (!(n = node_new(BG_Q_NOT, pos)) || node_add(n, kid)) {
        if (!n)
            bg_qnode_free(kid);
        bg_qnode_free(n);
        return bg_err_set(p->err, BG_ENOMEM, "query: out of memory");
    }
    *out = n;
    return 0;
}

/* A list of operands joined by OR (kind BG_Q_OR) or by AND / juxtaposition
 * (BG_Q_AND); a single operand is returned as itself. */
static int parse_list(parser *p, bg_qnode_kind kind, bg_qnode **out)
{
    bg_qnode **kids = NULL, *kid = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    *out = NULL;
    for (;;) {
        size_t pos = p->cur.pos;
        const char *op = NULL;
        if (n > 0) {
            if (kind == BG_Q_OR) {
                if (p->cur.kind != T_OR)
                    break;
                op = "OR";
            } else if (p->cur.kind == T_AND)
                op = "AND";
            else if (p->cur.kind == T_END || p->cur.kind == T_RPAREN ||
                     p->cur.kind == T_OR)
                break;
            if (op && (rc = lex(p)))
                break;
        }
        rc =
            kind == BG_Q_OR ? parse_not(p, &kid) : parse_list(p, BG_Q_OR, &kid);
        if (rc == BG_ENOTFOUND && op)
            rc = missing(p, op, pos);
        if (rc)
            break;
        if (BG_RESERVE(kids, cap, n + 1)) {
            bg_qnode_free(kid);
            rc = bg_err_set(p->err, BG_ENOMEM, "query: out of memory");
            break;
        }
        kids[n++] = kid;
    }
    if (rc == 0 && n > 1) {
        bg_qnode *node = node_new(kind, kids[0]->pos);
        if (!node)
            rc = bg_err_set(p->err, BG_ENOMEM, "query: out of memory");
        else {
            node->kids = kids;
            node->nkids = n;
            *out = node;
            return 0;
        }
    }
    if (rc == 0) {
        *out = kids[0];
        free(kids);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        bg_qnode_free(kids[i]);
    free(kids);
    return rc;
}

static int parse_and(parser *p, bg_qnode **out)
{
    return parse_list(p, BG_Q_AND, out);
}

int bg_query_parse(const char *query, size_t len, bg_qnode **out, bg_err *err)
{
    *out = NULL;
    size_t bad = bg_utf8_valid_prefix(query, len);
    if (bad < len)
        return bg_err_id(err, BG_EUSAGE, "query.not-utf8",
                         "the query is not UTF-8 (byte %zu: 0x%02X)", bad,
                         (unsigned char)query[bad]);
    if (memchr(query, '\0', len))
        return bg_err_id(
            err, BG_EUSAGE, "query.nul",
            "the query holds a NUL byte (byte %zu)",
            (size_t)((const char *)memchr(query, '\0', len) - query));
    parser p = {query, len, 0, {T_END, 0, 0, 0, 0, NULL}, 0, 0, err};
    bg_qnode *root = NULL;
    int rc = lex(&p);
    if (rc == 0 && p.cur.kind == T_END)
        rc = bg_err_id(err, BG_EUSAGE, "query.empty", "the query is empty");
    if (rc == 0 && (rc = parse_and(&p, &root)) == BG_ENOTFOUND)
        rc = bg_err_id(err, BG_EUSAGE, "query.before-missing",
                       "%s at byte %zu needs a word or phrase before it "
                       "(quote it to search for it: \"%s\")",
                       tok_name(&p.cur), p.cur.pos, tok_name(&p.cur));
    if (rc == 0 && p.cur.kind == T_RPAREN)
        rc = bg_err_id(err, BG_EUSAGE, "query.paren-close",
                       "the ) at byte %zu closes no (", p.cur.pos);
    if (rc == 0 && !positive(root))
        rc = bg_err_id(err, BG_EUSAGE, "query.only-not",
                       "the query only excludes: give a word or phrase to "
                       "find beside NOT (every part of an OR must find "
                       "something)");
    free(p.cur.text);
    if (rc) {
        bg_qnode_free(root);
        return rc;
    }
    *out = root;
    return 0;
}

/* ---- printing ---------------------------------------------------------- */

static int print(const bg_qnode *n, bg_buf *out)
{
    static const char *const names[] = {"", "AND", "OR", "NOT", "NEAR"};
    if (n->kind == BG_Q_TEXT) {
        if (bg_buf_puts(out, n->quoted ? "\"" : "«"))
            return BG_ENOMEM;
        for (size_t i = 0; i < n->len; i++)
            if (bg_buf_add(out, n->text + i, 1) ||
                (n->quoted && n->text[i] == '"' && bg_buf_add(out, "\"", 1)))
                return BG_ENOMEM;
        return bg_buf_puts(out, n->quoted ? "\"" : "»");
    }
    if (bg_buf_printf(out, "(%s", names[n->kind]) ||
        (n->kind == BG_Q_NEAR && bg_buf_printf(out, "/%d", n->near)))
        return BG_ENOMEM;
    for (size_t i = 0; i < n->nkids; i++)
        if (bg_buf_puts(out, " ") || print(n->kids[i], out))
            return BG_ENOMEM;
    return bg_buf_puts(out, ")");
}

int bg_qnode_print(const bg_qnode *n, bg_buf *out)
{
    return print(n, out);
}
