/*
 * util.h - what every stage shares: status codes, the error record, a
 * growable byte buffer and whole-file reading.
 *
 * Threading: no shared state; every object belongs to one thread at a time.
 * Offsets: byte offsets unless a name says otherwise.
 */
#ifndef BG_UTIL_H
#define BG_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Every expected failure, with its one-line meaning (libuv's UV_ERRNO_MAP).
 * 0 is success; codes are negative. */
#define BG_ERRNO_MAP(X)                                                        \
    X(ENOMEM, -1, "out of memory")                                             \
    X(EIO, -2, "input/output error")                                           \
    X(EINVAL, -3, "invalid argument")                                          \
    X(EUTF8, -4, "invalid UTF-8")                                              \
    X(EICU, -5, "ICU error")                                                   \
    X(EPCRE, -6, "PCRE2 error")                                                \
    X(ESQLITE, -7, "SQLite error")                                             \
    X(EJSON, -8, "malformed JSON")                                             \
    X(ERULE, -9, "bad extraction rule")                                        \
    X(ENOTFOUND, -10, "not found")                                             \
    X(EUSAGE, -11, "usage error")                                              \
    X(EDATA, -12, "bad data file")

enum {
    BG_OK = 0,
#define BG_ERR_ENUM(name, code, msg) BG_##name = code,
    BG_ERRNO_MAP(BG_ERR_ENUM)
#undef BG_ERR_ENUM
};

/* Details of a failure: the code, and one line saying what is wrong and
 * where in our input (path:line:col, or path plus byte offset). */
typedef struct bg_err {
    int code;
    char msg[1024];
} bg_err;

/* Returns the static one-line meaning of a BG_* code ("unknown error" for
 * anything else). Never NULL. */
const char *bg_strerror(int code);

/* Fills err (which may be NULL) with code and a printf-style message and
 * returns code, so callers can write `return bg_err_set(err, ...)`. */
int bg_err_set(bg_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A growable byte buffer, always NUL-terminated when data != NULL.
 * Zero-initialise it; free with bg_buf_free. */
typedef struct bg_buf {
    char *data;
    size_t len, cap;
} bg_buf;

/* Appends n bytes of p. Returns 0 or BG_ENOMEM (buffer unchanged). */
int bg_buf_add(bg_buf *b, const void *p, size_t n);
/* Appends a NUL-terminated string. Returns 0 or BG_ENOMEM. */
int bg_buf_puts(bg_buf *b, const char *s);
/* Appends printf-style text. Returns 0 or BG_ENOMEM. */
int bg_buf_printf(bg_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Makes room for n more bytes. Returns 0 or BG_ENOMEM. */
int bg_buf_reserve(bg_buf *b, size_t n);
/* Frees the storage and zeroes b; NULL is harmless. */
void bg_buf_free(bg_buf *b);

/* Reads the whole file at path into *out (malloc'd, NUL-terminated, caller
 * frees) and its length into *len. Returns 0, BG_EIO (err names the path and
 * the system's reason) or BG_ENOMEM; *out is NULL on failure. */
int bg_read_file(const char *path, char **out, size_t *len, bg_err *err);

/* Length of the valid UTF-8 prefix of s[0, len): len when all of it is valid
 * (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
size_t bg_utf8_valid_prefix(const char *s, size_t len);

/* Decodes the code point at s[i] (valid UTF-8 assumed) and sets *next to
 * the byte after it. */
uint32_t bg_utf8_next(const char *s, size_t i, size_t *next);

/* Start of the code point n characters before byte i of s (0 at most):
 * steps back over UTF-8 continuation bytes. */
size_t bg_utf8_back(const char *s, size_t i, size_t n);

/* Byte after the code point n characters after byte i of s[0, len) (len
 * at most); s is valid UTF-8. */
size_t bg_utf8_fwd(const char *s, size_t len, size_t i, size_t n);

/* Encodes cp into out (at least 4 bytes); returns the byte count. */
size_t bg_utf8_put(uint32_t cp, char *out);

/* ---- paths ----------------------------------------------------------------
 */

/* The absolute form of path: the current directory joined in front of a
 * relative one, then "." and empty components dropped and ".." taken off
 * lexically (symlinks are not resolved, so the path reads as the user's).
 * Returns a malloc'd string the caller frees, or NULL (out of memory, or
 * no current directory). */
char *bg_path_absolute(const char *path);

/* path relative to the current directory when it lies below it, else path
 * itself: a pointer into path (no copy). */
const char *bg_path_display(const char *path);

/* The directory holding dictionaries, stopwords and rules: $BAOGAO_DICT
 * when set, else the build's dict/. Never NULL; static storage. */
const char *bg_dict_dir(void);

#endif
