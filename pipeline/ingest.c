/*
 * ingest.c - loading a source (dispatch by format), compilation splitting,
 * titles, file discovery.
 *
 * Threading: no shared state.
 * Offsets: byte offsets into the source's text (bg_source.bytes).
 */
#include "ingest_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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

/* Whether s[i, end) is only white space (line ends, U+3000, U+00A0). */
static int blank(const char *s, size_t i, size_t end)
{
    while (i < end &&
           (is_blank_byte((unsigned char)s[i]) || space_len(s, i, end)))
        i += space_len(s, i, end) ? space_len(s, i, end) : 1;
    return i >= end;
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

static int split_documents(bg_source *src, bg_err *err)
{
    const char *s = src->bytes;
    size_t prev = src->body;
    for (size_t i = src->body; i < src->len;) {
        const char *nl = memchr(s + i, '\n', src->len - i);
        size_t eol = nl ? (size_t)(nl - s) : src->len;
        if (i > prev && is_part_heading(s, i, eol)) {
            /* close the document before this heading, unless it is the
             * blank lead-in of the file */
            size_t k = prev;
            while (k < i && is_blank_byte((unsigned char)s[k]))
                k++;
            if (k < i && !bg_ingest_add_doc(src, prev, i))
                return bg_err_set(err, BG_ENOMEM, "%s: out of memory",
                                  src->path);
            prev = i;
        }
        i = eol + 1;
    }
    /* an empty or blank text (a BOM alone) has no document: the source is
     * recorded, and no empty document counts in statistics */
    if (!blank(s, prev, src->len) && !bg_ingest_add_doc(src, prev, src->len))
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    return 0;
}

/* Where to end a part of the document s[start, end) longer than
 * BG_INGEST_PART_MAX: after the last line end in the second half of the
 * limit, else after the last sentence end (。！？ ! ? or a . before a
 * space) there, else at the
 * last character boundary before the limit. */
static size_t part_end(const char *s, size_t start)
{
    size_t lim = start + BG_INGEST_PART_MAX,
           half = lim - BG_INGEST_PART_MAX / 2;
    for (size_t i = lim; i > half; i--)
        if (s[i - 1] == '\n')
            return i;
    for (size_t i = lim; i > half; i--) {
        /* a full stop before a space (not a decimal point) */
        if (s[i - 1] == '!' || s[i - 1] == '?' ||
            (s[i - 1] == '.' && s[i] == ' '))
            return i;
        if (i - half >= 3 && (memcmp(s + i - 3, "\xE3\x80\x82", 3) == 0 ||
                              memcmp(s + i - 3, "\xEF\xBC\x81", 3) == 0 ||
                              memcmp(s + i - 3, "\xEF\xBC\x9F", 3) == 0))
            return i;
    }
    size_t i = lim;
    while (i > start && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* Cuts every document longer than BG_INGEST_PART_MAX into parts of at most
 * that many bytes (part_end), each a document (part k of nparts), and
 * says so in a warning: the stages after ingest hold some 40 bytes per
 * byte of a document, and a part bounds that. Returns 0 or BG_ENOMEM. */
static int cut_parts(bg_source *src, bg_err *err)
{
    size_t total = 0;
    for (size_t k = 0; k < src->ndocs; k++) {
        size_t at = src->docs[k].start, n = 1;
        while (src->docs[k].end - at > BG_INGEST_PART_MAX) {
            at = part_end(src->bytes, at);
            n++;
        }
        total += n;
    }
    if (total == src->ndocs)
        return 0;
    bg_docspan *nd = calloc(total, sizeof *nd);
    if (!nd)
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    size_t m = 0;
    for (size_t k = 0; k < src->ndocs; k++) {
        bg_docspan d = src->docs[k];
        size_t at = d.start, first = m;
        while (d.end - at > BG_INGEST_PART_MAX) {
            size_t e = part_end(src->bytes, at);
            nd[m] = m == first ? d : (bg_docspan){.record = d.record};
            nd[m].start = at;
            nd[m].end = e;
            if (m > first)
                nd[m].title_start = nd[m].title_end = at;
            m++;
            at = e;
        }
        nd[m] = m == first ? d : (bg_docspan){.record = d.record};
        nd[m].start = at;
        nd[m].end = d.end;
        if (m > first) {
            nd[m].title_start = nd[m].title_end = at;
            for (size_t j = first; j <= m; j++) {
                nd[j].part = (int)(j - first + 1);
                nd[j].nparts = (int)(m - first + 1);
            }
        }
        m++;
    }
    free(src->docs); /* its strings moved to nd */
    src->docs = nd;
    src->ndocs = src->capdocs = total;
    for (size_t k = 0, doc = 1; k < total;
         k += nd[k].part ? (size_t)nd[k].nparts : 1, doc++)
        if (nd[k].part &&
            bg_ingest_warn(
                src,
                "document %zu is %.1f MB: cut into %d parts of at "
                "most %d MB (at line ends, else sentence ends), "
                "each a document titled \"…（k/%d）\"",
                doc,
                (double)(nd[k + (size_t)nd[k].nparts - 1].end - nd[k].start) /
                    (1 << 20),
                nd[k].nparts, (int)(BG_INGEST_PART_MAX >> 20), nd[k].nparts))
            return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    return 0;
}

/* Part k >= 2 of a cut document takes part 1's metadata; every part's
 * title is part 1's with "（k/n）" after it. Returns 0 or BG_ENOMEM. */
static int part_meta(bg_source *src, size_t k)
{
    bg_docspan *d = &src->docs[k], *p1 = d - (d->part - 1);
    bg_buf t = {0};
    if (p1->title ? bg_buf_puts(&t, p1->title)
                  : bg_buf_add(&t, src->bytes + p1->title_start,
                               p1->title_end - p1->title_start))
        return BG_ENOMEM;
    if (bg_buf_printf(&t, "（%d/%d）", d->part, d->nparts)) {
        bg_buf_free(&t);
        return BG_ENOMEM;
    }
    if (d->part > 1) {
        d->year = p1->year;
        if ((p1->author && !(d->author = strdup(p1->author))) ||
            (p1->org && !(d->org = strdup(p1->org))) ||
            (p1->date && !(d->date = strdup(p1->date))) ||
            (p1->meta && !(d->meta = strdup(p1->meta)))) {
            bg_buf_free(&t);
            return BG_ENOMEM;
        }
        if (p1->nheadings) { /* offsets into the text: each part finds its own
                              */
            d->headings = malloc(p1->nheadings * sizeof *d->headings);
            d->levels = malloc(p1->nheadings * sizeof *d->levels);
            if (!d->headings || !d->levels) {
                bg_buf_free(&t);
                return BG_ENOMEM;
            }
            memcpy(d->headings, p1->headings,
                   p1->nheadings * sizeof *d->headings);
            memcpy(d->levels, p1->levels, p1->nheadings * sizeof *d->levels);
            d->nheadings = p1->nheadings;
        }
    }
    free(d->title);
    d->title = t.data;
    return 0;
}

bg_src_format bg_src_format_of(const char *path)
{
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base : path, '.');
    if (!dot)
        return BG_SRC_TEXT;
    if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0)
        return BG_SRC_HTML;
    if (strcasecmp(dot, ".docx") == 0)
        return BG_SRC_DOCX;
    if (strcasecmp(dot, ".jsonl") == 0 || strcasecmp(dot, ".ndjson") == 0)
        return BG_SRC_JSONL;
    if (strcasecmp(dot, ".json") == 0)
        return BG_SRC_JSON;
    if (strcasecmp(dot, ".csv") == 0)
        return BG_SRC_CSV;
    if (strcasecmp(dot, ".tsv") == 0 || strcasecmp(dot, ".tab") == 0)
        return BG_SRC_TSV;
    if (strcasecmp(dot, ".xlsx") == 0 || strcasecmp(dot, ".xlsm") == 0)
        return BG_SRC_XLSX;
    return BG_SRC_TEXT;
}

const char *bg_src_format_name(bg_src_format f)
{
    switch (f) {
    case BG_SRC_TEXT:
        return "text";
    case BG_SRC_HTML:
        return "html";
    case BG_SRC_DOCX:
        return "docx";
    case BG_SRC_JSONL:
        return "jsonl";
    case BG_SRC_JSON:
        return "json";
    case BG_SRC_CSV:
        return "csv";
    case BG_SRC_TSV:
        return "tsv";
    case BG_SRC_XLSX:
        return "xlsx";
    default:
        break;
    }
    assert(!"a format of bg_src_format");
    return "text";
}

/* Appends a JSON string of s[0, n) to b. */
static int json_str(bg_buf *b, const char *s, size_t n)
{
    if (bg_buf_puts(b, "\""))
        return BG_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            if (bg_buf_printf(b, "\\%c", c))
                return BG_ENOMEM;
        } else if (c < 0x20) {
            if (bg_buf_printf(b, "\\u%04x", c))
                return BG_ENOMEM;
        } else if (bg_buf_add(b, s + i, 1)) {
            return BG_ENOMEM;
        }
    }
    return bg_buf_puts(b, "\"");
}

/* Finds the text repairs of every document into src->repairs and lists
 * them in src->warnings: one line per
 * mojibake run (bg_repairs.notes), then one line per kind of repair,
 * `repairs (KIND): S-E, S-E="with", ...` with every repaired range (text
 * offsets) and, where the range is replaced rather than removed, its
 * replacement as a JSON string. */
static int list_repairs(bg_source *src, bg_err *err)
{
    bg_repairs r = {0}; /* becomes src->repairs */
    bg_buf b = {0};
    int rc = 0;
    for (size_t k = 0; k < src->ndocs && rc == 0; k++) {
        const bg_docspan *d = &src->docs[k];
        rc = bg_ingest_repairs(src->bytes + d->start, d->end - d->start,
                               d->start, &r);
        if (rc == 0 && r.notes.len) {
            rc = (b.len && bg_buf_puts(&b, "\n")) ||
                 bg_buf_add(&b, r.notes.data, r.notes.len);
            r.notes.len = 0;
        }
    }
    for (int kind = BG_REPAIR_WRAP; kind <= BG_REPAIR_MARKUP && rc == 0;
         kind++) {
        size_t count = 0;
        for (size_t i = 0; i < r.n && rc == 0; i++) {
            const bg_repair *x = &r.v[i];
            if ((int)x->kind != kind)
                continue;
            if (count++ == 0)
                rc = bg_buf_printf(&b, "%srepairs (%s): ", b.len ? "\n" : "",
                                   bg_repair_name(x->kind));
            else
                rc = bg_buf_puts(&b, ", ");
            rc = rc || bg_buf_printf(&b, "%zu-%zu", x->start, x->end);
            if (!rc && x->with_len)
                rc = bg_buf_puts(&b, "=") ||
                     json_str(&b, r.with.data + x->with_off, x->with_len);
        }
    }
    if (rc == 0 && b.len) {
        bg_buf all = {0};
        if ((src->warnings &&
             (bg_buf_puts(&all, src->warnings) || bg_buf_puts(&all, "\n"))) ||
            bg_buf_add(&all, b.data, b.len)) {
            bg_buf_free(&all);
            rc = BG_ENOMEM;
        } else {
            free(src->warnings);
            src->warnings = all.data;
        }
    }
    bg_buf_free(&b);
    r.notes.len = 0;
    if (rc == 0)
        src->repairs = r;
    else
        bg_repairs_free(&r);
    return rc ? bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path) : 0;
}

int bg_ingest_load(const char *path, bg_source **out, bg_err *err)
{
    return bg_ingest_load_opts(path, NULL, out, err);
}

/* Whether text[0, n) is a tab-separated table of one record a line: two
 * or more non-blank lines, each holding a TAB after a non-empty first cell
 * of at most 40 characters (a report indented with tabs has an empty first
 * cell; a year<TAB>text table does not). */
static int tab_table(const char *text, size_t n)
{
    size_t rows = 0, i = 0;
    if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n) {
        const char *nl = memchr(text + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - text) : n, k = i;
        while (k < e && (text[k] == ' ' || text[k] == '\r'))
            k++;
        if (k < e) {
            const char *tab = memchr(text + i, '\t', e - i);
            if (!tab || tab == text + i)
                return 0;
            size_t chars = 0;
            for (const char *p = text + i; p < tab; p++)
                chars += ((unsigned char)*p & 0xC0) != 0x80;
            if (chars > 40)
                return 0;
            rows++;
        }
        i = e + 1;
    }
    return rows >= 2;
}

/* The load of file[0, n) (malloc'd, NUL-terminated; taken over and freed
 * here) under the name path. */
static int load(const char *path, char *file, size_t n,
                const bg_ingest_opts *opts, bg_source **out, bg_err *err)
{
    int rc;
    char *text = NULL, *prop_date = NULL;
    size_t tlen = 0;
    bg_source *src = calloc(1, sizeof *src);
    *out = NULL;
    if (!src || !(src->path = strdup(path))) {
        free(src);
        free(file);
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
    }
    src->file_size = n;
    src->file_hash = bg_hash(file, n, BG_HASH_INIT);
    src->format = bg_src_format_of(path);
    if (src->format == BG_SRC_DOCX || src->format == BG_SRC_XLSX) {
        snprintf(src->encoding, sizeof src->encoding, "UTF-8");
        src->confidence = 100;
        rc = src->format == BG_SRC_DOCX
                 ? bg_ingest_docx(src, file, n, opts, &prop_date, err)
                 : bg_ingest_xlsx(src, file, n, opts, err);
        goto meta;
    }
    if ((rc = bg_ingest_decode(src, file, n, opts, &text, &tlen, err)))
        goto cleanup;
    if (!text) { /* valid UTF-8: the file's bytes are the text */
        text = file;
        file = NULL;
    }
    /* a text file of one record a line: --columns, or every line a
     * tab-separated row */
    if (src->format == BG_SRC_TEXT &&
        ((opts && opts->columns) || tab_table(text, tlen))) {
        src->format = BG_SRC_TSV;
        if (!(opts && opts->columns) &&
            bg_ingest_warn(src, "read as a table: every line holds a TAB "
                                "after its first cell (one record a line)")) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
            goto cleanup;
        }
    }
    if (src->format == BG_SRC_HTML) {
        rc = bg_ingest_html(src, text, tlen, opts, err);
    } else if (src->format != BG_SRC_TEXT) {
        rc = bg_ingest_records(src, text, tlen, src->format, opts, err);
    } else {
        src->bytes = text;
        src->len = tlen;
        text = NULL;
        if (!src->derived && src->len >= 3 &&
            memcmp(src->bytes, "\xEF\xBB\xBF", 3) == 0)
            src->body = 3;
        rc = split_documents(src, err);
    }
meta:
    if (rc)
        goto cleanup;
    /* a page or docx without a word is no document either (as a blank text
     * file); a source that gives none says so, naming the file */
    if ((src->format == BG_SRC_HTML || src->format == BG_SRC_DOCX) &&
        src->ndocs == 1 &&
        blank(src->bytes, src->docs[0].start, src->docs[0].end)) {
        bg_ingest_docspan_free(&src->docs[0]);
        src->ndocs = 0;
    }
    if (src->ndocs == 0 && bg_ingest_warn(src, "no text (%s): no document",
                                          n == 0 ? "0 bytes"
                                          : src->format == BG_SRC_TEXT ||
                                                  src->format == BG_SRC_HTML ||
                                                  src->format == BG_SRC_DOCX
                                              ? "only white space"
                                              : "no record holds any")) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
        goto cleanup;
    }
    if ((rc = cut_parts(src, err)))
        goto cleanup;
    for (size_t k = 0; k < src->ndocs; k++) {
        bg_docspan *d = &src->docs[k];
        char iso[11];
        if (d->part > 1) /* after part 1's, below */
            continue;
        if (bg_ingest_meta(src, d)) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
            goto cleanup;
        }
        /* a docx's creation date, when nothing else gives one */
        if (!d->date && prop_date &&
            bg_ingest_parse_date(prop_date, strlen(prop_date), 0, iso)) {
            if (!(d->date = strdup(iso))) {
                rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
                goto cleanup;
            }
            if (!d->year)
                d->year = atoi(iso);
        }
    }
    /* from the last, so that part 1's title is copied before it changes */
    for (size_t k = src->ndocs; k-- > 0;)
        if (src->docs[k].part && part_meta(src, k)) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
            goto cleanup;
        }
    if ((rc = list_repairs(src, err)))
        goto cleanup;
    *out = src;
    src = NULL;
cleanup:
    free(file);
    free(text);
    free(prop_date);
    bg_ingest_free(src);
    return rc;
}

int bg_ingest_load_opts(const char *path, const bg_ingest_opts *opts,
                        bg_source **out, bg_err *err)
{
    char *file;
    size_t n;
    struct stat st;
    *out = NULL;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
        (uint64_t)st.st_size > BG_INGEST_FILE_MAX)
        return bg_err_set(err, BG_EDATA,
                          "%s: %llu MB, over the limit of %d MB for one "
                          "file",
                          path, (unsigned long long)st.st_size >> 20,
                          (int)(BG_INGEST_FILE_MAX >> 20));
    int rc = bg_read_file(path, &file, &n, err);
    return rc ? rc : load(path, file, n, opts, out, err);
}

int bg_ingest_load_buffer(const char *name, const void *bytes, size_t n,
                          const bg_ingest_opts *opts, bg_source **out,
                          bg_err *err)
{
    *out = NULL;
    if (n > BG_INGEST_FILE_MAX)
        return bg_err_set(err, BG_EDATA,
                          "%s: %zu MB, over the limit of %d MB for one file",
                          name, n >> 20, (int)(BG_INGEST_FILE_MAX >> 20));
    char *file = malloc(n + 1);
    if (!file)
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", name);
    if (n)
        memcpy(file, bytes, n);
    file[n] = '\0';
    return load(name, file, n, opts, out, err);
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

/* A directory's own documentation, not a report: README (any case),
 * MANIFEST, CHANGELOG, CHANGES, LICENSE, COPYING, CONTRIBUTING, NOTICE or
 * AUTHORS (upper case), bare or as .md / .txt. */
static int is_doc_file(const char *base)
{
    static const char *const names[] = {"README",       "MANIFEST", "CHANGELOG",
                                        "CHANGES",      "LICENSE",  "COPYING",
                                        "CONTRIBUTING", "NOTICE",   "AUTHORS"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t n = strlen(names[i]);
        /* README in any case, as before; the others as such files are
         * written (a report may well be called notice.txt) */
        if ((i == 0 ? strncasecmp(base, names[i], n)
                    : strncmp(base, names[i], n)) == 0 &&
            (base[n] == '\0' || strcasecmp(base + n, ".md") == 0 ||
             strcasecmp(base + n, ".txt") == 0))
            return 1;
    }
    return 0;
}

static int walk(const char *path, int top, const dir_chain *up, bg_walk_cb cb,
                void *payload)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return report(cb, payload, path, BG_EIO, strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        if (!S_ISREG(st.st_mode))
            return report(cb, payload, path, BG_ESKIP,
                          "skipped: not a regular file");
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (top)
            return cb(path, NULL, payload);
        if (is_doc_file(base))
            return report(cb, payload, path, BG_ESKIP,
                          "skipped: taken as documentation (name a file "
                          "explicitly to ingest it)");
        static const char *const read[] = {
            ".txt", ".md",  ".html", ".htm",  ".docx", ".jsonl", ".json",
            ".csv", ".tsv", ".tab",  ".xlsx", ".xlsm", ".ndjson"};
        for (size_t k = 0; k < sizeof read / sizeof *read; k++)
            if (has_suffix(base, read[k]))
                return cb(path, NULL, payload);
        return report(cb, payload, path, BG_ESKIP,
                      "skipped: unknown file type (baogao reads .txt .md "
                      ".html .htm .docx .jsonl .ndjson .json .csv .tsv .tab "
                      ".xlsx .xlsm; name a text file explicitly to read it as "
                      "text)");
    }
    for (const dir_chain *c = up; c; c = c->up)
        if (c->dev == st.st_dev && c->ino == st.st_ino)
            return report(cb, payload, path, BG_ESKIP,
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
        if (BG_RESERVE(names, cap, n + 1) || !(names[n] = strdup(de->d_name))) {
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
