/*
 * util.c - status codes, error records, byte buffers, growing arrays, files
 * and their lines, paths (util.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unistd.h>

const char *bg_strerror(int code)
{
    switch (code) {
    case BG_OK:
        return "success";
#define BG_ERR_CASE(name, c, msg)                                              \
    case c:                                                                    \
        return msg;
        BG_ERRNO_MAP(BG_ERR_CASE)
#undef BG_ERR_CASE
    default:
        break;
    }
    return "unknown error";
}

int bg_err_set(bg_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->id = NULL;
        err->nargs = 0;
    }
    return code;
}

/* The next integer argument of length len (0, 'H' = hh, 'h', 'l', 'q' =
 * ll, 'z', 'j', 't') as signed or unsigned (C11 7.21.6.1: hh and h
 * arguments arrive promoted to int). */
static long long err_signed(char len, va_list *ap)
{
    switch (len) {
    case 'l':
        return va_arg(*ap, long);
    case 'q':
        return va_arg(*ap, long long);
    case 'z':
        return (long long)va_arg(*ap, size_t);
    case 'j':
        return (long long)va_arg(*ap, intmax_t);
    case 't':
        return (long long)va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, int);
    }
}

static unsigned long long err_unsigned(char len, va_list *ap)
{
    switch (len) {
    case 'l':
        return va_arg(*ap, unsigned long);
    case 'q':
        return va_arg(*ap, unsigned long long);
    case 'z':
        return va_arg(*ap, size_t);
    case 'j':
        return (unsigned long long)va_arg(*ap, uintmax_t);
    case 't':
        return (unsigned long long)va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, unsigned);
    }
}

/* Reads one conversion's value at *ap into out (n bytes): p points just
 * past fmt's '%'. Returns the byte after the conversion, or NULL for one
 * this reader does not know (its argument's type is unknown, so no later
 * value can be read either). */
static const char *err_arg(const char *p, va_list *ap, char *out, size_t n)
{
    int zero = 0, width = 0, prec = -1;
    for (; *p && strchr("-+ #0", *p); p++)
        zero |= *p == '0';
    if (*p == '*') {
        width = va_arg(*ap, int);
        p++;
    } else {
        for (; *p >= '0' && *p <= '9' && width < 1000; p++)
            width = width * 10 + (*p - '0');
    }
    if (*p == '.') {
        prec = 0;
        if (*++p == '*') {
            prec = va_arg(*ap, int);
            p++;
        } else {
            for (; *p >= '0' && *p <= '9' && prec < 1000; p++)
                prec = prec * 10 + (*p - '0');
        }
    }
    char len = 0;
    if (p[0] == 'h' && p[1] == 'h')
        len = 'H', p += 2;
    else if (p[0] == 'l' && p[1] == 'l')
        len = 'q', p += 2;
    else if (*p && strchr("hlzjtL", *p))
        len = *p++;
    if (!zero || width < 0)
        width = 0;
    switch (*p) {
    case 'd':
    case 'i':
        snprintf(out, n, "%0*lld", width, err_signed(len, ap));
        break;
    case 'u':
    case 'x':
    case 'X':
    case 'o': {
        unsigned long long v = err_unsigned(len, ap);
        if (*p == 'u')
            snprintf(out, n, "%0*llu", width, v);
        else if (*p == 'x')
            snprintf(out, n, "%0*llx", width, v);
        else if (*p == 'X')
            snprintf(out, n, "%0*llX", width, v);
        else
            snprintf(out, n, "%0*llo", width, v);
        break;
    }
    case 'c':
        snprintf(out, n, "%c", va_arg(*ap, int));
        break;
    case 's': {
        const char *s = va_arg(*ap, const char *);
        snprintf(out, n, "%.*s", prec < 0 ? INT_MAX : prec, s ? s : "(null)");
        break;
    }
    case 'p':
        snprintf(out, n, "%p", va_arg(*ap, void *));
        break;
    case 'f':
    case 'e':
    case 'g':
    case 'E':
    case 'G':
        snprintf(out, n, "%g",
                 len == 'L' ? (double)va_arg(*ap, long double)
                            : va_arg(*ap, double));
        break;
    default:
        return NULL;
    }
    return p + 1;
}

int bg_err_id(bg_err *err, int code, const char *id, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->id = id;
    err->nargs = 0;
    /* a second walk over the same arguments, by the format's conversions
     * (C11 7.16: a va_list may be passed on by its address) */
    va_start(ap, fmt);
    for (const char *p = fmt; p && (p = strchr(p, '%'));) {
        if (p[1] == '%') {
            p += 2;
            continue;
        }
        if (err->nargs == BG_ERR_ARGS)
            break;
        p = err_arg(p + 1, &ap, err->args[err->nargs], sizeof err->args[0]);
        if (p)
            err->nargs++;
    }
    va_end(ap);
    return code;
}

int bg_buf_reserve(bg_buf *b, size_t n)
{
    if (b->len + n + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return BG_ENOMEM;
    b->data = p;
    b->cap = cap;
    b->data[b->len] = '\0'; /* a new buffer holds "" (the banner's promise) */
    return 0;
}

int bg_buf_add(bg_buf *b, const void *p, size_t n)
{
    assert(b && (p || n == 0));
    if (bg_buf_reserve(b, n))
        return BG_ENOMEM;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int bg_buf_puts(bg_buf *b, const char *s)
{
    return bg_buf_add(b, s, strlen(s));
}

int bg_buf_printf(bg_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || bg_buf_reserve(b, (size_t)n))
        return BG_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void bg_buf_free(bg_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int bg_read_file(const char *path, char **out, size_t *len, bg_err *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return bg_err_set(err, BG_EIO, "%s: %s", path, strerror(errno));
    bg_buf b = {0};
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (bg_buf_add(&b, chunk, n)) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
            goto cleanup;
        }
    }
    if (ferror(f)) {
        rc = bg_err_set(err, BG_EIO, "%s: %s", path, strerror(errno));
        goto cleanup;
    }
    if (!b.data && bg_buf_reserve(&b, 0)) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
        goto cleanup;
    }
    b.data[b.len] = '\0';
    *out = b.data;
    *len = b.len;
    b.data = NULL;
cleanup:
    fclose(f);
    bg_buf_free(&b);
    return rc;
}

int bg_reserve_(void *pp, size_t *cap, size_t need, size_t size, int zero)
{
    void *p;
    size_t ncap = *cap ? *cap : 16;
    assert(size > 0 && need > *cap);
    while (ncap < need)
        ncap *= 2;
    if (ncap > SIZE_MAX / size)
        return BG_ENOMEM;
    memcpy(&p, pp, sizeof p); /* pp is the address of some T *: no aliasing */
    void *np = realloc(p, ncap * size);
    if (!np)
        return BG_ENOMEM;
    if (zero)
        memset((char *)np + *cap * size, 0, (ncap - *cap) * size);
    memcpy(pp, &np, sizeof np);
    *cap = ncap;
    return 0;
}

struct bg_arena_block {
    struct bg_arena_block *next;
    size_t used, cap;
    char data[];
};

void *bg_arena_alloc(bg_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!a->head || a->head->used + n > a->head->cap) {
        size_t cap = n > 65536 ? n : 65536;
        bg_arena_block *b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    void *p = a->head->data + a->head->used;
    a->head->used += n;
    return p;
}

char *bg_arena_strndup(bg_arena *a, const char *s, size_t n)
{
    char *p = bg_arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void bg_arena_free(bg_arena *a)
{
    while (a->head) {
        bg_arena_block *b = a->head;
        a->head = b->next;
        free(b);
    }
}

int bg_lines_open(bg_lines *r, const char *path, bg_err *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    int rc = bg_read_file(path, &r->data, &r->len, err);
    if (rc == 0 && r->len >= 3 && memcmp(r->data, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
    return rc;
}

int bg_lines_next(bg_lines *r, char **line, size_t *len)
{
    assert(r->data || r->len == 0);
    if (r->pos >= r->len)
        return 0;
    char *s = r->data + r->pos;
    char *nl = memchr(s, '\n', r->len - r->pos);
    size_t n = nl ? (size_t)(nl - s) : r->len - r->pos;
    r->pos += n + 1;
    if (n && s[n - 1] == '\r')
        n--;
    s[n] = '\0';
    r->lineno++;
    *line = s;
    *len = n;
    return 1;
}

int bg_lines_fail(const bg_lines *r, bg_err *err, int code, const char *fmt,
                  ...)
{
    if (err) {
        char msg[sizeof err->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        bg_err_set(err, code, "%s:%zu: %s", r->path, r->lineno, msg);
    }
    return code;
}

void bg_split_lines(char *s, const char **v, size_t max, size_t *n)
{
    *n = 0;
    for (char *p = s; p && *p && *n < max;) {
        char *nl = strchr(p, '\n');
        v[(*n)++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
}

void bg_lines_close(bg_lines *r)
{
    free(r->data);
    r->data = NULL;
    r->len = r->pos = 0;
}

size_t bg_utf8_valid_prefix(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0; /* no overlongs */
            if (c == 0xED)
                hi = 0x9F; /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F; /* nothing above U+10FFFF */
        } else
            return i;
        if (i + n >= len) /* truncated sequence */
            return i;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        i += n + 1;
    }
    return len;
}

size_t bg_utf8_back(const char *s, size_t i, size_t n)
{
    while (i > 0 && n > 0) {
        i--;
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n--;
    }
    return i;
}

size_t bg_utf8_fwd(const char *s, size_t len, size_t i, size_t n)
{
    while (i < len && n > 0) {
        (void)bg_utf8_next(s, i, &i);
        n--;
    }
    return i;
}

size_t bg_utf8_put(uint32_t cp, char *o)
{
    unsigned char *out = (unsigned char *)o;
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t bg_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

int bg_han_basic(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

int bg_han_block(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x3FFFF);
}

int bg_ideographic(uint32_t cp)
{
    /* the Unified block without a property lookup */
    if (cp >= 0x4E00 && cp <= 0x9FFF)
        return 1;
    return cp >= 0x2E80 && u_hasBinaryProperty((UChar32)cp, UCHAR_IDEOGRAPHIC);
}

static char install_dir[4096];
static char install_dict[4096 + 8];
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void find_install_dir(void)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return;
    exe[n] = '\0';
    /* PREFIX/bin/baogao -> PREFIX */
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(exe, '/');
        if (!slash)
            return;
        *slash = '\0';
    }
    char dir[sizeof install_dir];
    if (snprintf(dir, sizeof dir, "%s/share/baogao", exe) >= (int)sizeof dir)
        return;
    snprintf(install_dict, sizeof install_dict, "%s/dict", dir);
    if (access(install_dict, R_OK | X_OK) != 0) {
        install_dict[0] = '\0';
        return;
    }
    memcpy(install_dir, dir, sizeof dir);
}

const char *bg_install_dir(void)
{
    pthread_once(&install_once, find_install_dir);
    return install_dir[0] ? install_dir : NULL;
}

const char *bg_dict_dir(void)
{
    const char *d = getenv("BAOGAO_DICT");
    if (d && *d)
        return d;
    return bg_install_dir() ? install_dict : BG_DICT_DIR;
}

char *bg_path_absolute(const char *path)
{
    char cwd[4096];
    bg_buf in = {0};
    /* a ".." after a symlink goes where the kernel goes, not lexically
     * back: then the directory part is resolved (realpath) */
    const char *dd = strstr(path, "..");
    if (dd && (dd == path || dd[-1] == '/') && (dd[2] == '/' || !dd[2])) {
        const char *slash = strrchr(path, '/');
        int last_is_dots =
            slash ? strcmp(slash + 1, "..") == 0 : strcmp(path, "..") == 0;
        char *dir = last_is_dots
                        ? strdup(path)
                        : strndup(path, slash ? (size_t)(slash - path) : 0);
        char *real = dir && *dir ? realpath(dir, NULL) : NULL;
        free(dir);
        if (real) {
            bg_buf r = {0};
            int bad = bg_buf_puts(&r, real) ||
                      (!last_is_dots && slash &&
                       (bg_buf_puts(&r, "/") || bg_buf_puts(&r, slash + 1)));
            free(real);
            if (!bad)
                return r.data;
            bg_buf_free(&r);
        }
    }
    if (path[0] != '/' && (!getcwd(cwd, sizeof cwd) || bg_buf_puts(&in, cwd) ||
                           bg_buf_puts(&in, "/"))) {
        bg_buf_free(&in);
        return NULL;
    }
    if (bg_buf_puts(&in, path)) {
        bg_buf_free(&in);
        return NULL;
    }
    /* components of in, kept or dropped, written back into out */
    char *out = malloc(in.len + 2);
    size_t n = 0;
    if (!out) {
        bg_buf_free(&in);
        return NULL;
    }
    for (char *p = in.data; *p;) {
        while (*p == '/')
            p++;
        size_t k = strcspn(p, "/");
        if (k == 0 || (k == 1 && p[0] == '.')) {
            /* nothing */
        } else if (k == 2 && p[0] == '.' && p[1] == '.') {
            while (n > 0 && out[n - 1] != '/')
                n--;
            if (n > 0)
                n--; /* the slash before it */
        } else {
            out[n++] = '/';
            memcpy(out + n, p, k);
            n += k;
        }
        p += k;
    }
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    bg_buf_free(&in);
    return out;
}

const char *bg_path_below(const char *path, const char *dir)
{
    size_t n = dir ? strlen(dir) : 0;
    if (n > 1 && path && strncmp(path, dir, n) == 0 && path[n] == '/' &&
        path[n + 1])
        return path + n + 1;
    return path;
}

size_t bg_varint_put(uint64_t v, unsigned char *out)
{
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (unsigned char)v;
    return n;
}

size_t bg_varint_get(const unsigned char *p, size_t n, uint64_t *v)
{
    uint64_t x = 0;
    for (size_t i = 0; i < n && i < BG_VARINT_MAX; i++) {
        x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80)) {
            *v = x;
            return i + 1;
        }
    }
    return 0;
}

/* ---- edits ----------------------------------------------------------------
 */

/* the characters looked ahead for a realignment, and how many must agree */
#define EDIT_AHEAD 8
#define EDIT_AGREE 4

/* Byte length of the character at s[i] by its UTF-8 lead byte, at most the
 * n - i bytes left (i < n). */
static size_t edit_ch(const char *s, size_t n, size_t i)
{
    unsigned c = (unsigned char)s[i];
    size_t k = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return k < n - i ? k : n - i;
}

/* 1 when s from i and d from j agree for EDIT_AGREE characters, or up to
 * the end of both. */
static int edit_agree(const char *s, size_t sn, size_t i, const char *d,
                      size_t dn, size_t j)
{
    for (int k = 0; k < EDIT_AGREE; k++) {
        if (i == sn || j == dn)
            return i == sn && j == dn;
        size_t a = edit_ch(s, sn, i), b = edit_ch(d, dn, j);
        if (a != b || memcmp(s + i, d + j, a))
            return 0;
        i += a;
        j += b;
    }
    return 1;
}

/* The pending operation of bg_edits_make: src[i0, i1) replaced by
 * dst[j0, j1); last: the end in src of the operation written before. */
typedef struct edit_op {
    size_t i0, i1, j0, j1, last;
    int open;
} edit_op;

static int edit_flush(edit_op *op, const char *dst, bg_buf *out)
{
    unsigned char v[3 * BG_VARINT_MAX];
    size_t n = 0;
    if (!op->open)
        return 0;
    n += bg_varint_put(op->i0 - op->last, v + n);
    n += bg_varint_put(op->i1 - op->i0, v + n);
    n += bg_varint_put(op->j1 - op->j0, v + n);
    op->open = 0;
    op->last = op->i1;
    return bg_buf_add(out, v, n)
               ? BG_ENOMEM
               : bg_buf_add(out, dst + op->j0, op->j1 - op->j0);
}

/* Records src[i0, i1) -> dst[j0, j1), merged into the pending operation
 * when it ends where this one begins. */
static int edit_put(edit_op *op, const char *dst, size_t i0, size_t i1,
                    size_t j0, size_t j1, bg_buf *out)
{
    if (op->open && op->i1 == i0 && op->j1 == j0) {
        op->i1 = i1;
        op->j1 = j1;
        return 0;
    }
    if (edit_flush(op, dst, out))
        return BG_ENOMEM;
    *op = (edit_op){i0, i1, j0, j1, op->last, 1};
    return 0;
}

int bg_edits_make(const char *src, size_t slen, const char *dst, size_t dlen,
                  bg_buf *out)
{
    edit_op op = {0};
    size_t i = 0, j = 0;
    while (i < slen && j < dlen) {
        size_t a = edit_ch(src, slen, i), b = edit_ch(dst, dlen, j);
        if (a == b && memcmp(src + i, dst + j, a) == 0) {
            i += a;
            j += b;
            continue;
        }
        /* the byte offsets k characters on, on each side */
        size_t si[EDIT_AHEAD + 1], dj[EDIT_AHEAD + 1];
        si[0] = i;
        dj[0] = j;
        for (int k = 1; k <= EDIT_AHEAD; k++) {
            si[k] = si[k - 1] < slen ? si[k - 1] + edit_ch(src, slen, si[k - 1])
                                     : slen;
            dj[k] = dj[k - 1] < dlen ? dj[k - 1] + edit_ch(dst, dlen, dj[k - 1])
                                     : dlen;
        }
        size_t ni = si[1], nj = dj[1]; /* no realignment: one for one */
        int found = 0;
        for (int s = 1; s <= 2 * EDIT_AHEAD && !found; s++)
            for (int x = s / 2, k = 0; k <= s && !found; k++) {
                /* from the middle out: a replacement before a deletion */
                int da = x + (k % 2 ? (k + 1) / 2 : -(k / 2));
                if (da < 0 || da > EDIT_AHEAD || s - da > EDIT_AHEAD)
                    continue;
                if (edit_agree(src, slen, si[da], dst, dlen, dj[s - da])) {
                    ni = si[da];
                    nj = dj[s - da];
                    found = 1;
                }
            }
        if (edit_put(&op, dst, i, ni, j, nj, out))
            return BG_ENOMEM;
        i = ni;
        j = nj;
    }
    if ((i < slen || j < dlen) && edit_put(&op, dst, i, slen, j, dlen, out))
        return BG_ENOMEM;
    return edit_flush(&op, dst, out);
}

int bg_edits_apply(const char *src, size_t slen, const unsigned char *e,
                   size_t elen, bg_buf *out)
{
    size_t at = 0, p = 0;
    while (p < elen) {
        uint64_t keep, del, ins;
        size_t k1 = bg_varint_get(e + p, elen - p, &keep), k2, k3;
        if (!k1 || !(k2 = bg_varint_get(e + p + k1, elen - p - k1, &del)) ||
            !(k3 = bg_varint_get(e + p + k1 + k2, elen - p - k1 - k2, &ins)))
            return BG_EDATA;
        p += k1 + k2 + k3;
        if (keep > slen - at || del > slen - at - keep || ins > elen - p)
            return BG_EDATA;
        if (bg_buf_add(out, src + at, (size_t)keep) ||
            bg_buf_add(out, e + p, (size_t)ins))
            return BG_ENOMEM;
        at += (size_t)(keep + del);
        p += (size_t)ins;
    }
    return bg_buf_add(out, src + at, slen - at) ? BG_ENOMEM : 0;
}
