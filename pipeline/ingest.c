/*
 * ingest.c - file discovery, UTF-8 check, compilation splitting.
 */
#include "ingest.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

void bg_ingest_free(bg_source *src)
{
    if (!src)
        return;
    free(src->path);
    free(src->bytes);
    free(src->docs);
    free(src);
}

static int is_blank_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

/* Length of a white-space character at s[i, end): ASCII space, U+3000
 * (E3 80 80) or U+00A0 (C2 A0); 0 when none. */
static size_t space_len(const char *s, size_t i, size_t end)
{
    const unsigned char *u = (const unsigned char *)s;
    if (i < end && is_blank_byte(u[i]))
        return 1;
    if (i + 2 < end && u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x80)
        return 3;
    if (i + 1 < end && u[i] == 0xC2 && u[i + 1] == 0xA0)
        return 2;
    return 0;
}

/* Chinese numerals and Arabic digits that may number a 第N篇 heading. */
static size_t numeral_len(const char *s, size_t i, size_t end)
{
    static const char *const nums[] = {"一", "二", "三", "四", "五",
                                       "六", "七", "八", "九", "十",
                                       "百", "零", "〇", "两"};
    if (i < end && s[i] >= '0' && s[i] <= '9')
        return 1;
    for (size_t k = 0; k < sizeof nums / sizeof *nums; k++) {
        size_t n = strlen(nums[k]);
        if (i + n <= end && memcmp(s + i, nums[k], n) == 0)
            return n;
    }
    return 0;
}

/* Does the line at s[i, end) start with 第N篇? */
static int is_part_heading(const char *s, size_t i, size_t end)
{
    static const char di[] = "第", pian[] = "篇";
    while (space_len(s, i, end) && s[i] != '\n')
        i += space_len(s, i, end);
    if (i + 3 > end || memcmp(s + i, di, 3) != 0)
        return 0;
    i += 3;
    size_t n, digits = 0;
    while ((n = numeral_len(s, i, end)) > 0) {
        i += n;
        digits++;
    }
    return digits > 0 && i + 3 <= end && memcmp(s + i, pian, 3) == 0;
}

static void find_title(const char *s, bg_docspan *d)
{
    size_t i = d->start;
    d->title_start = d->title_end = d->start;
    while (i < d->end) {
        size_t eol = i;
        while (eol < d->end && s[eol] != '\n')
            eol++;
        size_t a = i, b = eol, n;
        while (a < b && (n = space_len(s, a, b)) > 0)
            a += n;
        /* trim trailing white space: step back over ASCII blanks, U+3000
         * and U+00A0 */
        for (;;) {
            if (b > a && is_blank_byte((unsigned char)s[b - 1]))
                b--;
            else if (b >= a + 3 && space_len(s, b - 3, b) == 3)
                b -= 3;
            else if (b >= a + 2 && space_len(s, b - 2, b) == 2)
                b -= 2;
            else
                break;
        }
        if (a < b) {
            d->title_start = a;
            d->title_end = b;
            return;
        }
        i = eol + 1;
    }
}

static int split_documents(bg_source *src, bg_err *err)
{
    const char *s = src->bytes;
    size_t cap = 4, n = 0, prev = src->body;
    bg_docspan *docs = malloc(cap * sizeof *docs);
    if (!docs)
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    for (size_t i = src->body; i < src->len;) {
        size_t eol = i;
        while (eol < src->len && s[eol] != '\n')
            eol++;
        if (is_part_heading(s, i, eol) && i > prev) {
            /* close the document before this heading, unless it is the
             * blank lead-in of the file */
            size_t k = prev;
            while (k < i && is_blank_byte((unsigned char)s[k]))
                k++;
            if (k < i) {
                if (n == cap) {
                    bg_docspan *p = realloc(docs, 2 * cap * sizeof *docs);
                    if (!p) {
                        free(docs);
                        return bg_err_set(err, BG_ENOMEM, "%s: out of memory",
                                          src->path);
                    }
                    docs = p;
                    cap *= 2;
                }
                docs[n].start = prev;
                docs[n].end = i;
                n++;
            }
            prev = i;
        }
        i = eol + 1;
    }
    if (n == cap) {
        bg_docspan *p = realloc(docs, (cap + 1) * sizeof *docs);
        if (!p) {
            free(docs);
            return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        }
        docs = p;
    }
    docs[n].start = prev;
    docs[n].end = src->len;
    n++;
    for (size_t k = 0; k < n; k++)
        find_title(s, &docs[k]);
    src->docs = docs;
    src->ndocs = n;
    return 0;
}

int bg_ingest_load(const char *path, bg_source **out, bg_err *err)
{
    int rc;
    bg_source *src = calloc(1, sizeof *src);
    *out = NULL;
    if (!src || !(src->path = strdup(path))) {
        free(src);
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
    }
    rc = bg_read_file(path, &src->bytes, &src->len, err);
    if (rc)
        goto cleanup;
    size_t ok = bg_utf8_valid_prefix(src->bytes, src->len);
    if (ok < src->len) {
        rc = bg_err_set(err, BG_EUTF8,
                        "%s: byte %zu (0x%02X): not valid UTF-8; only UTF-8 "
                        "text is read",
                        path, ok, (unsigned char)src->bytes[ok]);
        goto cleanup;
    }
    if (src->len >= 3 && memcmp(src->bytes, "\xEF\xBB\xBF", 3) == 0)
        src->body = 3;
    rc = split_documents(src, err);
    if (rc)
        goto cleanup;
    *out = src;
    src = NULL;
cleanup:
    bg_ingest_free(src);
    return rc;
}

/* The walk keeps the chain of directories it is inside, to notice loops. */
typedef struct dir_chain {
    dev_t dev;
    ino_t ino;
    const struct dir_chain *up;
} dir_chain;

static int has_suffix(const char *name, const char *suf)
{
    size_t n = strlen(name), m = strlen(suf);
    return n > m && strcasecmp(name + n - m, suf) == 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int report(bg_walk_cb cb, void *payload, const char *path, int code,
                  const char *why)
{
    bg_err e;
    bg_err_set(&e, code, "%s: %s", path, why);
    return cb(path, &e, payload);
}

static int walk(const char *path, int top, const dir_chain *up, bg_walk_cb cb,
                void *payload)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return report(cb, payload, path, BG_EIO, strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        if (!S_ISREG(st.st_mode))
            return report(cb, payload, path, BG_EINVAL,
                          "skipped: not a regular file");
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (top)
            return cb(path, NULL, payload);
        if (strcasecmp(base, "README.md") == 0 ||
            strcasecmp(base, "README.txt") == 0)
            return report(cb, payload, path, BG_EINVAL,
                          "skipped: README, taken as documentation");
        if (has_suffix(base, ".txt") || has_suffix(base, ".md"))
            return cb(path, NULL, payload);
        return report(cb, payload, path, BG_EINVAL,
                      "skipped: not .txt or .md (name it explicitly to "
                      "read it as UTF-8 text)");
    }
    for (const dir_chain *c = up; c; c = c->up)
        if (c->dev == st.st_dev && c->ino == st.st_ino)
            return report(cb, payload, path, BG_EINVAL,
                          "skipped: symlink loop (directory already being "
                          "walked)");
    dir_chain here = {st.st_dev, st.st_ino, up};
    DIR *d = opendir(path);
    if (!d)
        return report(cb, payload, path, BG_EIO, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue; /* ., .. and hidden files */
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 64;
            char **p = realloc(names, ncap * sizeof *names);
            if (!p) {
                rc = report(cb, payload, path, BG_ENOMEM, "out of memory");
                goto cleanup;
            }
            names = p;
            cap = ncap;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = report(cb, payload, path, BG_ENOMEM, "out of memory");
            goto cleanup;
        }
        n++;
    }
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        bg_buf child = {0};
        size_t plen = strlen(path);
        if (bg_buf_add(&child, path, plen) ||
            (plen && path[plen - 1] != '/' && bg_buf_puts(&child, "/")) ||
            bg_buf_puts(&child, names[i])) {
            bg_buf_free(&child);
            rc = report(cb, payload, path, BG_ENOMEM, "out of memory");
            break;
        }
        rc = walk(child.data, 0, &here, cb, payload);
        bg_buf_free(&child);
    }
cleanup:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

int bg_ingest_walk(const char *path, bg_walk_cb cb, void *payload)
{
    return walk(path, 1, NULL, cb, payload);
}
