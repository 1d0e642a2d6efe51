/*
 * util.h - what every stage shares: status codes, the error record, a
 * growable byte buffer and growing arrays, whole files and their lines,
 * UTF-8 and Han characters, the hash and a string table, paths. (SQLite
 * helpers for the index and the read side: util_sql.h.)
 *
 * Invariants, the caller's side of a contract, are assert()ed (SQLite's
 * style); expected failures are status codes.
 *
 * Threading: no shared state; every object belongs to one thread at a time.
 * Offsets: byte offsets unless a name says otherwise.
 */
#ifndef BG_UTIL_H
#define BG_UTIL_H

#include <assert.h>
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
    X(EDATA, -12, "bad data file")                                             \
    X(ESKIP, -13, "not read: not a report")

enum {
    BG_OK = 0,
#define BG_ERR_ENUM(name, code, msg) BG_##name = code,
    BG_ERRNO_MAP(BG_ERR_ENUM)
#undef BG_ERR_ENUM
};

/* At most this many values of a message are kept apart (bg_err_id). */
#define BG_ERR_ARGS 6

/* Details of a failure: the code, and one line saying what is wrong and
 * where in our input (path:line:col, or path plus byte offset). A message
 * a user may read in another language (the web workspace's) also has an
 * id, a stable name of what it says ("query.quote-open": lower-case words
 * joined by . and -), and its values as text, args[0, nargs), in the
 * order the message gives them: a translation is the id's text with its
 * values put in ({0}, {1}, ...). id is NULL (nargs 0) for any other. */
typedef struct bg_err {
    int code;
    char msg[1024];
    const char *id; /* static */
    int nargs;
    char args[BG_ERR_ARGS][128];
} bg_err;

/* Returns the static one-line meaning of a BG_* code ("unknown error" for
 * anything else). Never NULL. */
const char *bg_strerror(int code);

/* Fills err (which may be NULL) with code and a printf-style message and
 * returns code, so callers can write `return bg_err_set(err, ...)`. */
int bg_err_set(bg_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* bg_err_set, and sets err->id to id (a static string, see bg_err) and
 * err->args to the values fmt converts, each as text: integers in decimal
 * (hexadecimal and octal for x, X, o; zero-padded as the format says),
 * strings cut to their precision (%.*s), reals as %g; a '*' width or
 * precision is not a value. Values past BG_ERR_ARGS, or after a
 * conversion other than d i u x X o c s p f e g E G (with lengths hh h l
 * ll z j t L), are not kept. Returns code. */
int bg_err_id(bg_err *err, int code, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

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
/* Makes room for n more bytes (data stays NUL-terminated: a new buffer
 * holds ""). Returns 0 or BG_ENOMEM. */
int bg_buf_reserve(bg_buf *b, size_t n);
/* Frees the storage and zeroes b; NULL is harmless. */
void bg_buf_free(bg_buf *b);

/* ---- growing arrays -------------------------------------------------------
 * BG_RESERVE(p, cap, need): makes the malloc'd array p (of *p elements,
 * capacity cap) hold at least need elements, doubling from 16; 0, or
 * BG_ENOMEM with p and cap unchanged. Elements past the old capacity are
 * uninitialised; BG_RESERVE_ZERO zeroes them. */
#define BG_RESERVE(p, cap, need)                                               \
    ((size_t)(need) <= (cap)                                                   \
         ? 0                                                                   \
         : bg_reserve_(&(p), &(cap), (size_t)(need), sizeof *(p), 0))
#define BG_RESERVE_ZERO(p, cap, need)                                          \
    ((size_t)(need) <= (cap)                                                   \
         ? 0                                                                   \
         : bg_reserve_(&(p), &(cap), (size_t)(need), sizeof *(p), 1))
/* What BG_RESERVE calls: pp is the address of the array pointer. */
int bg_reserve_(void *pp, size_t *cap, size_t need, size_t size, int zero);

/* ---- arenas -------------------------------------------------------------
 * A bump allocator for objects freed all at once (one file's records):
 * zero-initialise, allocate, bg_arena_free. */
typedef struct bg_arena_block bg_arena_block;
typedef struct bg_arena {
    bg_arena_block *head;
} bg_arena;

/* n bytes aligned to 16, or NULL (out of memory). Valid until
 * bg_arena_free. */
void *bg_arena_alloc(bg_arena *a, size_t n);

/* A copy of s[0, n), NUL-terminated, in the arena; NULL when out of
 * memory. */
char *bg_arena_strndup(bg_arena *a, const char *s, size_t n);

/* Frees every block; the arena is empty and usable again. */
void bg_arena_free(bg_arena *a);

/* ---- files and lines ------------------------------------------------------
 */

/* Reads the whole file at path into *out (malloc'd, NUL-terminated, caller
 * frees) and its length into *len. Returns 0, BG_EIO (err names the path and
 * the system's reason) or BG_ENOMEM; *out is NULL on failure. */
int bg_read_file(const char *path, char **out, size_t *len, bg_err *err);

/* A text file read line by line: the one reader of baogao's own line
 * formats (stopword lists, user dictionaries, rule files, word lists).
 * A UTF-8 BOM before the first line and the CR of a CRLF line end are not
 * part of any line. data[0, len) is the whole file as read. */
typedef struct bg_lines {
    const char *path; /* borrowed, for messages */
    char *data;
    size_t len, pos;
    size_t lineno; /* 1-based number of the line last returned */
} bg_lines;

/* Reads the file at path for bg_lines_next. Returns 0, BG_EIO or
 * BG_ENOMEM (err names the path); free r with bg_lines_close either way. */
int bg_lines_open(bg_lines *r, const char *path, bg_err *err);

/* The next line in *line (NUL-terminated in place, without its line end)
 * and its length in *len: 1, or 0 after the last line. */
int bg_lines_next(bg_lines *r, char **line, size_t *len);

/* Fills err with code and "path:line: " followed by the printf-style
 * message, naming the line last returned; returns code. */
int bg_lines_fail(const bg_lines *r, bg_err *err, int code, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));

/* Frees what r holds; a zeroed r is harmless. */
void bg_lines_close(bg_lines *r);

/* Splits s (NULL or "" for none) at its newlines in place into v[0, *n),
 * at most max lines (the rest left out): how a list of paths is kept in one
 * meta value (user_dicts). */
void bg_split_lines(char *s, const char **v, size_t max, size_t *n);

/* ---- UTF-8 and characters ------------------------------------------------
 */

/* Length of the valid UTF-8 prefix of s[0, len): len when all of it is valid
 * (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
size_t bg_utf8_valid_prefix(const char *s, size_t len);

/* Decodes the code point at s[i] (valid UTF-8 assumed) and sets *next to
 * the byte after it. Inline: the stages read every code point of the
 * corpus through it (a call each was 3.6% of an ingest's instructions). */
static inline uint32_t bg_utf8_next(const char *str, size_t i, size_t *next)
{
    const unsigned char *s = (const unsigned char *)str;
    uint32_t c = s[i];
    if (c < 0x80) {
        *next = i + 1;
        return c;
    }
    if (c < 0xE0) {
        *next = i + 2;
        return ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    }
    if (c < 0xF0) {
        *next = i + 3;
        return ((c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
               (s[i + 2] & 0x3F);
    }
    *next = i + 4;
    return ((c & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3F) << 12) |
           ((uint32_t)(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
}

/* Start of the code point n characters before byte i of s (0 at most):
 * steps back over UTF-8 continuation bytes. */
size_t bg_utf8_back(const char *s, size_t i, size_t n);

/* Byte after the code point n characters after byte i of s[0, len) (len
 * at most); s is valid UTF-8. */
size_t bg_utf8_fwd(const char *s, size_t len, size_t i, size_t n);

/* Encodes cp into out (at least 4 bytes); returns the byte count. */
size_t bg_utf8_put(uint32_t cp, char *out);

/* Number of code points of the NUL-terminated UTF-8 string s. */
size_t bg_utf8_chars(const char *s);

/* Han characters, in the three senses baogao uses (each stage documents
 * which it means):
 *   bg_han_basic      CJK Unified Ideographs U+4E00-U+9FFF and Extension A
 *                     U+3400-U+4DBF: the characters of report text;
 *   bg_han_block      U+3400-U+9FFF (Extension A through the Unified block,
 *                     the Yijing hexagrams U+4DC0-U+4DFF among them),
 *                     compatibility ideographs U+F900-U+FAFF and planes 2
 *                     and 3 (U+20000-U+3FFFF): anything from a Han block;
 *   bg_ideographic    Unicode's Ideographic property (ICU), which also
 *                     holds 〇 U+3007 and the radicals' ideographs. */
int bg_han_basic(uint32_t cp);
int bg_han_block(uint32_t cp);
int bg_ideographic(uint32_t cp);

/* ---- hashing --------------------------------------------------------------
 */

/* FNV-1a 64 of s[0, n) continuing from h (BG_HASH_INIT to start): the one
 * hash of baogao (file contents, normalised texts, dictionary ids, hash
 * tables). */
uint64_t bg_hash(const void *s, size_t n, uint64_t h);
#define BG_HASH_INIT 0xcbf29ce484222325ULL

/* A hash table from strings to size_t values (bg_hash, open addressing
 * with linear probing, at most half full). Keys are borrowed: each must
 * stay valid and unchanged while the map holds it. Zero-initialise; free
 * with bg_strmap_free. */
typedef struct bg_strmap_slot {
    const char *key; /* NULL: empty */
    size_t val;
    uint64_t hash; /* the key's, compared before its bytes */
    size_t len;    /* the key's length in bytes, compared before them too */
} bg_strmap_slot;

typedef struct bg_strmap {
    bg_strmap_slot *slot; /* a slot's key, value and hash side by side: a
                             look-up misses the cache once, not thrice */
    size_t cap, n;
} bg_strmap;

#define BG_STRMAP_ABSENT SIZE_MAX

/* Sets the value of key k (NUL-terminated) to v. Returns 0 or BG_ENOMEM
 * (the map unchanged). */
int bg_strmap_put(bg_strmap *m, const char *k, size_t v);

/* Makes room for n keys in all, so that putting them grows the table no
 * more (each growth allocates a table twice the size and moves every key:
 * a reader of 45,000 terms touched 8 MB where 4 MB hold them). Returns 0
 * or BG_ENOMEM (the map unchanged). */
int bg_strmap_reserve(bg_strmap *m, size_t n);

/* The value of key k[0, n), or BG_STRMAP_ABSENT. */
size_t bg_strmap_get(const bg_strmap *m, const char *k, size_t n);

/* bg_strmap_get for a caller that has the key's hash already: h must be
 * bg_hash(k, n, BG_HASH_INIT). */
size_t bg_strmap_get_hashed(const bg_strmap *m, const char *k, size_t n,
                            uint64_t h);

/* Frees the table (not the keys) and zeroes m; NULL is harmless. */
void bg_strmap_free(bg_strmap *m);

/* ---- varints --------------------------------------------------------------
 * Unsigned LEB128: 7 bits a byte, low bits first, the high bit set on every
 * byte but the last (the packed counts of doc_vector, index.h). */

/* The most bytes a 64-bit varint takes. */
#define BG_VARINT_MAX 10

/* Writes v to out (room for BG_VARINT_MAX bytes); returns the bytes
 * written (1 to 10). */
size_t bg_varint_put(uint64_t v, unsigned char *out);

/* Reads a varint from p[0, n) into *v; returns the bytes read, 0 when p
 * ends inside it or it runs past 10 bytes (damaged data). */
size_t bg_varint_get(const unsigned char *p, size_t n, uint64_t *v);

/* ---- edits ----------------------------------------------------------------
 * The bytes that turn one string into another, where the two differ in a
 * few places (schema 11: a sentence's analysis form stored against its
 * text, index.h). The value is a run of operations, each three varints
 * (above) and some bytes: keep (bytes of the source copied), del (bytes of
 * the source then skipped), ins (a count n), then n bytes inserted; the
 * source's bytes after the last operation are copied. An empty value is
 * the source as it is. */

/* Appends to out the edits that turn src[0, slen) into dst[0, dlen) (UTF-8
 * or not: a wrong guess costs bytes, never exactness): the two are walked
 * character by character (UTF-8 lead bytes tell a character's length) and,
 * where they differ, realigned at the fewest characters (at most 8 on each
 * side) after which 4 characters agree; else one character of each is
 * replaced and the walk goes on. Adjacent replacements merge into one
 * operation. Nothing is appended when the two are equal. Returns 0 or
 * BG_ENOMEM (out then holds part of a value). */
int bg_edits_make(const char *src, size_t slen, const char *dst, size_t dlen,
                  bg_buf *out);

/* Appends to out src[0, slen) with the edits e[0, elen) applied (no NUL
 * added). Returns 0, BG_ENOMEM, or BG_EDATA when e is damaged (a varint cut
 * short, an operation past the end of src or of e; out then holds part). */
int bg_edits_apply(const char *src, size_t slen, const unsigned char *e,
                   size_t elen, bg_buf *out);

/* ---- paths ----------------------------------------------------------------
 */

/* The absolute form of path: the current directory joined in front of a
 * relative one, then "." and empty components dropped and ".." taken off
 * lexically (symlinks are not resolved, so the path reads as the user's).
 * Returns a malloc'd string the caller frees, or NULL (out of memory, or
 * no current directory). */
char *bg_path_absolute(const char *path);

/* path relative to directory dir (absolute, no trailing slash) when it lies
 * below it, else path itself: a pointer into path (no copy). dir NULL or
 * "/" gives path. */
const char *bg_path_below(const char *path, const char *dir);

/* Where an installed baogao keeps its data: PREFIX/share/baogao when the
 * running executable is PREFIX/bin/baogao (read from /proc/self/exe,
 * symlinks resolved) and that directory holds dict/; NULL for a binary run
 * from its build tree (which reads the source's dict/ and the build's
 * main.bgd). Found once (pthread_once); static storage. */
const char *bg_install_dir(void);

/* The directory holding dictionaries, stopwords and rules: $BAOGAO_DICT
 * when set, else bg_install_dir()/dict when installed, else the source
 * tree's dict/ (compiled in). Never NULL; static storage. */
const char *bg_dict_dir(void);

#endif
