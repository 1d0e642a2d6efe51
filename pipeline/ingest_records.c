/*
 * ingest_records.c - record and table sources: JSON Lines and JSON
 * (cJSON), CSV and TSV (libcsv), and the tables of xlsx workbooks
 * (ingest_xlsx.c): a table's columns named (header row or --columns), its
 * rows made records, the records' fields found, one document per record.
 *
 * Threading: no shared state.
 * Offsets: byte offsets into the text made of the records' text fields
 * (bg_source.bytes), which the index stores as source.text.
 */
#include "ingest_int.h"

#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- CSV and TSV through libcsv -----------------------------------------
 * RFC 4180 (Debian's libcsv-dev): fields as written (no blanks trimmed),
 * quoted fields may span lines, "" inside quotes is a quote; a quote inside
 * an unquoted field is kept as text (libcsv's lenient mode). TSV is the
 * same with TAB as the delimiter (Excel's "Unicode text" quotes as CSV
 * does). Each row (an array of strings) is handed to a callback as soon
 * as libcsv ends it, so that no more than one row is held here; blank
 * lines are no rows. NUL bytes in a cell cannot be stored in a string:
 * they are dropped and counted. */

/* What a row callback returns to read no further (csv_feed returns 0). */
#define CSV_STOP 1

typedef struct csv_build {
    cJSON *row;
    size_t nul;  /* NUL bytes dropped */
    size_t rows; /* rows ended so far */
    int oom;
    int row_ended; /* a record ended: the next line starts one */
    int stop;      /* the callback returned CSV_STOP */
    int rc;        /* the callback's error code (its err filled) */
    bg_buf cell;
    /* takes row (an array of strings; it frees it): 0, CSV_STOP or an
     * error code */
    int (*on_row)(cJSON *row, void *payload);
    void *payload;
} csv_build;

static void csv_field(void *data, size_t n, void *payload)
{
    csv_build *c = payload;
    const char *p = data ? data : "";
    if (c->oom || c->stop || c->rc)
        return;
    c->cell.len = 0;
    if (bg_buf_reserve(&c->cell, n)) {
        c->oom = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\0') {
            c->nul++;
            continue;
        }
        c->cell.data[c->cell.len++] = p[i];
    }
    c->cell.data[c->cell.len] = '\0';
    if (!c->row && !(c->row = cJSON_CreateArray())) {
        c->oom = 1;
        return;
    }
    cJSON *v = cJSON_CreateString(c->cell.data);
    if (!v || !cJSON_AddItemToArray(c->row, v)) {
        cJSON_Delete(v);
        c->oom = 1;
    }
}

static void csv_row(int term, void *payload)
{
    csv_build *c = payload;
    (void)term;
    c->row_ended = 1;
    cJSON *row = c->row;
    c->row = NULL;
    if (!row)
        return;
    c->rows++;
    if (c->oom || c->stop || c->rc) {
        cJSON_Delete(row);
        return;
    }
    int rc = c->on_row(row, c->payload);
    if (rc == CSV_STOP)
        c->stop = 1;
    else if (rc)
        c->rc = rc;
}

static int csv_keep_blanks(unsigned char ch)
{
    (void)ch;
    return 0; /* no character is trimmed around a field */
}

/* Reads CSV (delim ',') or TSV (delim '\t') text s[0, n), handing each row
 * to c->on_row (c zeroed but for on_row and payload; csv_done frees it)
 * until the text ends or it returns CSV_STOP. Returns 0, BG_EDATA (a
 * quoted field still open at the end of the file, with the line and row
 * it opened on), BG_ENOMEM, or the callback's error code. */
static int csv_feed(bg_source *src, const char *s, size_t n,
                    unsigned char delim, csv_build *c, bg_err *err)
{
    struct csv_parser p;
    size_t i = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t line = 1, rec_line = 1;
    int rc = 0;
    c->row_ended = 1;
    if (csv_init(&p, CSV_APPEND_NULL) != 0)
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    csv_set_space_func(&p, csv_keep_blanks);
    csv_set_delim(&p, delim);
    csv_set_blk_size(&p, 1 << 16); /* a long field grows in 64 KB steps */
    /* fed a line at a time, to know the line a record starts on */
    while (i < n && !c->oom && !c->stop && !c->rc) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : n;
        if (c->row_ended)
            rec_line = line;
        if (!(e - i == 1 || (e - i == 2 && s[i] == '\r')))
            c->row_ended = 0; /* libcsv skips a blank line */
        if (csv_parse(&p, s + i, e - i, csv_field, csv_row, c) != e - i) {
            if (csv_error(&p) == CSV_ENOMEM || csv_error(&p) == CSV_ETOOBIG)
                goto oom;
            rc = bg_err_set(err, BG_EDATA, "%s:%zu: row %zu: %s", src->path,
                            rec_line, c->rows + 1, csv_strerror(csv_error(&p)));
            goto cleanup;
        }
        line += nl != NULL;
        i = e;
    }
    if (c->rc || c->stop || c->oom)
        goto cleanup;
    /* libcsv's state: a quoted field (quoted) begun and not ended
     * (FIELD_BEGUN, 2) when the text ends */
    if (p.quoted && p.pstate == 2) {
        rc = bg_err_set(err, BG_EDATA,
                        "%s:%zu: row %zu: unterminated quoted field (the "
                        "quote opened on this line is never closed)",
                        src->path, rec_line, c->rows + 1);
        goto cleanup;
    }
    if (csv_fini(&p, csv_field, csv_row, c) != 0)
        goto oom;
cleanup:
    csv_free(&p);
    if (rc == 0 && c->rc)
        rc = c->rc;
    if (rc == 0 && c->oom)
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    return rc;
oom:
    csv_free(&p);
    return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
}

/* Frees what csv_feed left in c. */
static void csv_done(csv_build *c)
{
    cJSON_Delete(c->row);
    c->row = NULL;
    bg_buf_free(&c->cell);
}

/* ---- tables to records --------------------------------------------------- */

static int blank_row(const cJSON *row)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, row)
    {
        if (cJSON_IsString(c) &&
            c->valuestring[strspn(c->valuestring, " \t\r\n")] != '\0')
            return 0;
    }
    return 1;
}

/* A cell that is a number (digits with . , + - %) or opens with a date
 * (2019-04-25, 2019/4/25, 2019.4, 2019年). */
static int data_cell(const char *s)
{
    s += strspn(s, " \t");
    size_t d = strspn(s, "0123456789");
    if (d == 4 && s[4] && strchr("-/.", s[4]) && s[5] >= '0' && s[5] <= '9')
        return 1;
    if (d == 4 && strncmp(s + 4, "年", 3) == 0)
        return 1;
    size_t k = strspn(s, "0123456789.,+-% \t");
    return d > 0 && s[k] == '\0';
}

/* Whether a table's first row names its columns: no cell is longer than 100
 * bytes, a number or a date, and one is not empty. */
static int header_row(const cJSON *row)
{
    const cJSON *c;
    int named = 0;
    cJSON_ArrayForEach(c, row)
    {
        const char *v = cJSON_IsString(c) ? c->valuestring : "";
        if (strlen(v) > 100 || data_cell(v))
            return 0;
        named |= v[strspn(v, " \t")] != '\0';
    }
    return named;
}

/* Which column of a table without a header row is "year": the first whose
 * first 50 non-empty cells (from the table's first row) are all years
 * (1000-2999), one at least, if any. Fed the rows in turn (year_feed)
 * until pick is known, or all of them (then year_end): so a reader that
 * streams its rows holds none for it. pick: -1 not yet known, else the
 * column, or width for none. */
typedef struct year_scan {
    int width, pick;
    size_t *seen;       /* year cells of each column so far */
    signed char *state; /* 0 open, 1 years, -1 not */
} year_scan;

/* Starts a scan of a table whose first row has width cells. Returns 0 or
 * BG_ENOMEM. */
static int year_init(year_scan *y, int width)
{
    memset(y, 0, sizeof *y);
    y->width = width;
    y->pick = -1;
    if (width > 0 && (!(y->seen = calloc((size_t)width, sizeof *y->seen)) ||
                      !(y->state = calloc((size_t)width, 1))))
        return BG_ENOMEM;
    return 0;
}

/* Sets y->pick when the columns' states give it. */
static void year_decide(year_scan *y)
{
    for (int j = 0; j < y->width; j++) {
        if (y->state[j] == 0)
            return;
        if (y->state[j] == 1) {
            y->pick = j;
            return;
        }
    }
    y->pick = y->width;
}

static void year_feed(year_scan *y, const cJSON *row)
{
    int j = 0;
    if (y->pick >= 0)
        return;
    for (const cJSON *c = row ? row->child : NULL; c && j < y->width;
         c = c->next, j++) {
        const char *v = cJSON_IsString(c) ? c->valuestring : "";
        if (y->state[j])
            continue;
        v += strspn(v, " ");
        if (!*v)
            continue;
        size_t d = strspn(v, "0123456789");
        if (d != 4 || v[4 + strspn(v + 4, " ")] != '\0' || v[0] == '0' ||
            v[0] > '2')
            y->state[j] = -1;
        else if (++y->seen[j] == 50)
            y->state[j] = 1;
    }
    year_decide(y);
}

/* No row is left: a column still open holds years if it held one. */
static void year_end(year_scan *y)
{
    for (int j = 0; j < y->width; j++)
        if (y->state[j] == 0)
            y->state[j] = y->seen[j] ? 1 : -1;
    year_decide(y);
}

static void year_free(year_scan *y)
{
    free(y->seen);
    free(y->state);
    memset(y, 0, sizeof *y);
}

/* The column names: names[j] malloc'd for j < *n. */
typedef struct colnames {
    char **v;
    size_t n;
} colnames;

static void colnames_free(colnames *c)
{
    for (size_t j = 0; j < c->n; j++)
        free(c->v[j]);
    free(c->v);
    memset(c, 0, sizeof *c);
}

/* Appends name (trimmed; "column N" when empty; " (2)", " (3)", ... when
 * already taken). Returns 0 or BG_ENOMEM. */
static int colnames_add(colnames *c, const char *name, size_t len)
{
    while (len && (*name == ' ' || *name == '\t'))
        name++, len--;
    while (len && (name[len - 1] == ' ' || name[len - 1] == '\t' ||
                   name[len - 1] == '\r'))
        len--;
    char buf[512];
    if (len == 0)
        snprintf(buf, sizeof buf, "column %zu", c->n + 1);
    else
        snprintf(buf, sizeof buf, "%.*s", (int)(len < 400 ? len : 400), name);
    size_t base = strlen(buf);
    for (int k = 2;; k++) {
        size_t j = 0;
        while (j < c->n && strcmp(c->v[j], buf) != 0)
            j++;
        if (j == c->n)
            break;
        snprintf(buf + base, sizeof buf - base, " (%d)", k);
    }
    char **v = realloc(c->v, (c->n + 1) * sizeof *v);
    if (!v)
        return BG_ENOMEM;
    c->v = v;
    if (!(c->v[c->n] = strdup(buf)))
        return BG_ENOMEM;
    c->n++;
    return 0;
}

/* The column names of a table whose first non-blank row is first: opts
 * columns; else first's cells when header (header_row); else "column N",
 * column year (year_scan's pick) "year". Returns 0 or BG_ENOMEM. */
static int table_names(const cJSON *first, const bg_ingest_opts *o, int header,
                       int year, colnames *names)
{
    int rc = 0;
    if (o && o->columns) {
        for (const char *p = o->columns; rc == 0;) {
            size_t len = strcspn(p, ",");
            rc = colnames_add(names, p, len);
            if (!p[len])
                break;
            p += len + 1;
        }
    } else if (header) {
        const cJSON *c;
        cJSON_ArrayForEach(c, first)
        {
            const char *v = cJSON_IsString(c) ? c->valuestring : "";
            if ((rc = colnames_add(names, v, strlen(v))))
                break;
        }
    } else {
        int width = cJSON_GetArraySize(first);
        for (int j = 0; rc == 0 && j < width; j++)
            rc = j == year ? colnames_add(names, "year", 4)
                           : colnames_add(names, "", 0);
    }
    return rc;
}

/* The record of data row r (not blank) of a table with columns names:
 * *out, a new object (caller frees). Returns 0 or BG_ENOMEM. */
static int table_record(const colnames *names, const cJSON *r, int join_extra,
                        const char *sheet, cJSON **out)
{
    cJSON *obj = cJSON_CreateObject();
    bg_buf extra = {0};
    int j = 0, rc = 0;
    const cJSON *c;
    *out = NULL;
    if (!obj)
        return BG_ENOMEM;
    cJSON_ArrayForEach(c, r)
    {
        const char *v = cJSON_IsString(c) ? c->valuestring : "";
        if (join_extra && names->n && (size_t)j >= names->n) {
            /* TSV: a text holding tabs stays in the last column */
            if (bg_buf_add(&extra, "\t", 1) || bg_buf_puts(&extra, v))
                rc = BG_ENOMEM;
        } else if ((size_t)j >= names->n) {
            char key[32];
            snprintf(key, sizeof key, "column %d", j + 1);
            if (!cJSON_AddStringToObject(obj, key, v))
                rc = BG_ENOMEM;
        } else if (!cJSON_AddStringToObject(obj, names->v[j], v)) {
            rc = BG_ENOMEM;
        }
        j++;
    }
    /* the named columns a short row lacks are empty */
    for (; rc == 0 && (size_t)j < names->n; j++)
        if (!cJSON_AddStringToObject(obj, names->v[j], ""))
            rc = BG_ENOMEM;
    if (rc == 0 && extra.len) {
        cJSON *last =
            cJSON_GetObjectItemCaseSensitive(obj, names->v[names->n - 1]);
        bg_buf joined = {0};
        if (bg_buf_puts(&joined, last->valuestring) ||
            bg_buf_add(&joined, extra.data, extra.len) ||
            !cJSON_ReplaceItemInObjectCaseSensitive(
                obj, names->v[names->n - 1], cJSON_CreateString(joined.data)))
            rc = BG_ENOMEM;
        bg_buf_free(&joined);
    }
    bg_buf_free(&extra);
    if (rc == 0 && sheet && !cJSON_GetObjectItemCaseSensitive(obj, "sheet") &&
        !cJSON_AddStringToObject(obj, "sheet", sheet))
        rc = BG_ENOMEM;
    if (rc)
        cJSON_Delete(obj);
    else
        *out = obj;
    return rc;
}

int bg_ingest_table(const cJSON *rows, const bg_ingest_opts *o, int join_extra,
                    const char *sheet, cJSON *recs)
{
    colnames names = {0};
    const cJSON *first = rows->child;
    int rc = 0, year = -1;
    while (first && blank_row(first))
        first = first->next;
    if (!first)
        return 0;
    int given = o && o->columns, header = !given && header_row(first);
    if (!given && !header) {
        year_scan y;
        if (year_init(&y, cJSON_GetArraySize(first)) == 0) {
            for (const cJSON *r = first; r && y.pick < 0; r = r->next)
                year_feed(&y, r);
            year_end(&y);
            year = y.pick;
        } else
            rc = BG_ENOMEM;
        year_free(&y);
    }
    if (rc == 0)
        rc = table_names(first, o, header, year, &names);
    for (const cJSON *r = header ? first->next : first; rc == 0 && r;
         r = r->next) {
        cJSON *obj;
        if (blank_row(r))
            continue;
        if ((rc = table_record(&names, r, join_extra, sheet, &obj)) == 0 &&
            !cJSON_AddItemToArray(recs, obj)) {
            cJSON_Delete(obj);
            rc = BG_ENOMEM;
        }
    }
    colnames_free(&names);
    return rc;
}

/* ---- fields -------------------------------------------------------------- */

/* Whether key holds one of words[0, n) (any case) anywhere. */
static int name_has(const char *key, const char *const *words, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t m = strlen(words[k]);
        for (const char *p = key; *p; p++)
            if (strncasecmp(p, words[k], m) == 0)
                return 1;
    }
    return 0;
}

static int ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether key holds one of the English words[0, n) as a whole word (any
 * case): "Release Department" has department, "community" no unit. */
static int name_has_word(const char *key, const char *const *words, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t m = strlen(words[k]);
        for (const char *p = key; *p; p++)
            if (strncasecmp(p, words[k], m) == 0 &&
                (p == key || !ascii_letter(p[-1])) && !ascii_letter(p[m]))
                return 1;
    }
    return 0;
}

/* The value of a record's field as text: strings as they are, numbers in
 * their shortest form, NULL for null/absent/other. Caller frees. */
static char *field_text(const cJSON *rec, const char *key)
{
    const cJSON *v = key ? cJSON_GetObjectItemCaseSensitive(rec, key) : NULL;
    char buf[64];
    if (cJSON_IsString(v))
        return strdup(v->valuestring);
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        /* an integer in long long's range is written whole; anything else
         * (1e309 parses as infinity) in %g: the cast alone is undefined
         * outside the range */
        if (isfinite(d) && d >= -9.2e18 && d <= 9.2e18 &&
            d == (double)(long long)d)
            snprintf(buf, sizeof buf, "%lld", (long long)d);
        else
            snprintf(buf, sizeof buf, "%g", d);
        return strdup(buf);
    }
    return NULL;
}

/* A field's value trimmed of blanks and line ends, NULL when empty.
 * Caller frees. */
static char *field_trimmed(const cJSON *rec, const char *key)
{
    char *v = field_text(rec, key);
    if (!v)
        return NULL;
    size_t a = strspn(v, " \t\r\n"), n = strlen(v);
    while (n > a && strchr(" \t\r\n", v[n - 1]))
        n--;
    memmove(v, v + a, n - a);
    v[n - a] = '\0';
    if (!*v) {
        free(v);
        return NULL;
    }
    return v;
}

typedef struct fields {
    const char *text, *title, *date, *year, *id, *author, *org;
    int text_how; /* TEXT_GIVEN, TEXT_NAMED or TEXT_LONGEST */
} fields;

enum { TEXT_GIVEN, TEXT_NAMED, TEXT_LONGEST };

/* Characters of string text per field name over the first 50 records:
 * a hash table of the names met (records of 20,000 fields must not cost a
 * lookup per field per field). */
typedef struct key_total {
    const char *key;
    size_t total;
} key_total;

/* The sheet a record came from (xlsx), or NULL. */
static const char *sheet_of(const cJSON *rec)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(rec, "sheet");
    return cJSON_IsString(s) ? s->valuestring : NULL;
}

/* Whether rec is of the group of records led by first: the same sheet. */
static int same_group(const cJSON *rec, const cJSON *first)
{
    const char *a = sheet_of(rec), *b = sheet_of(first);
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether key names a text field: text, content, body (whole words, any
 * case: "Policy Content", "body_text"; not "context") or 正文, 内容, 全文,
 * 详情 within the name ("留言详情"), and no title word (a "content title" is
 * a title). */
static int text_name(const char *key)
{
    static const char *const en[] = {"text", "content", "body", "fulltext"};
    static const char *const zh[] = {"正文", "内容", "全文", "详情"};
    static const char *const title[] = {"title", "标题", "主题", "名称"};
    return (name_has_word(key, en, 4) || name_has(key, zh, 4)) &&
           !name_has(key, title, 4);
}

/* The text field of the group of records that first leads (a file's, or a
 * sheet's): among the fields named as text (text_name), the one with most
 * string text over the group's first 50 records; when none is named or
 * all named ones are empty there, the field with most string text of all
 * (*named 0 then). Its order breaks ties. NULL when no field holds text,
 * or out of memory. A hash table of the names met: records of 20,000
 * fields must not cost a lookup per field per field. */
static const char *text_field_of(const cJSON *first, int *named)
{
    size_t nkeys = 0, cap = 16, r = 0;
    for (const cJSON *k = first ? first->child : NULL; k; k = k->next)
        nkeys++;
    while (cap < 2 * nkeys + 2)
        cap *= 2;
    key_total *tab = calloc(cap, sizeof *tab);
    const char *best = NULL, *best_named = NULL;
    size_t best_len = 0, best_named_len = 0;
    *named = 0;
    if (!tab || !first)
        goto done;
    for (const cJSON *k = first->child; k; k = k->next) {
        if (!k->string)
            continue;
        size_t h = (size_t)bg_hash(k->string, strlen(k->string), BG_HASH_INIT) &
                   (cap - 1);
        while (tab[h].key && strcmp(tab[h].key, k->string) != 0)
            h = (h + 1) & (cap - 1);
        tab[h].key = k->string;
    }
    for (const cJSON *rec = first; rec && r < 50 && same_group(rec, first);
         rec = rec->next, r++)
        for (const cJSON *v = rec->child; v; v = v->next) {
            if (!v->string || !cJSON_IsString(v))
                continue;
            size_t h =
                (size_t)bg_hash(v->string, strlen(v->string), BG_HASH_INIT) &
                (cap - 1);
            while (tab[h].key && strcmp(tab[h].key, v->string) != 0)
                h = (h + 1) & (cap - 1);
            if (tab[h].key)
                tab[h].total += strlen(v->valuestring);
        }
    for (const cJSON *k = first->child; k; k = k->next) {
        if (!k->string)
            continue;
        size_t h = (size_t)bg_hash(k->string, strlen(k->string), BG_HASH_INIT) &
                   (cap - 1);
        while (strcmp(tab[h].key, k->string) != 0)
            h = (h + 1) & (cap - 1);
        if (tab[h].total > best_len) {
            best_len = tab[h].total;
            best = k->string;
        }
        if (tab[h].total > best_named_len && text_name(k->string)) {
            best_named_len = tab[h].total;
            best_named = k->string;
        }
    }
    if (best_named) {
        best = best_named;
        *named = 1;
    }
done:
    free(tab);
    return best;
}

/* The fields of the records of the group first leads (a file's records,
 * or a sheet's), by opts and by name (ingest.h). */
static void guess_fields(const cJSON *first, const bg_ingest_opts *o, fields *f)
{
    static const char *const title_w[] = {"title", "标题", "主题", "name",
                                          "名称"};
    static const char *const date_w[] = {"date", "日期", "时间", "time"};
    static const char *const year_w[] = {"year", "年份"};
    static const char *const id_w[] = {"id", "编号", "url", "链接"};
    static const char *const author_en[] = {"author", "authors"};
    static const char *const author_zh[] = {"作者", "撰稿", "撰写人"};
    static const char *const org_en[] = {
        "org",  "organization", "organisation", "organizations",
        "unit", "department",   "agency",       "issuer"};
    static const char *const org_zh[] = {"单位", "部门", "机构", "机关"};
    memset(f, 0, sizeof *f);
    if (o) {
        f->text = o->text_field;
        f->title = o->title_field;
        f->date = o->date_field;
        f->id = o->id_field;
        f->author = o->author_field;
        f->org = o->org_field;
    }
    if (!first)
        return;
    for (const cJSON *k = first->child; k; k = k->next) {
        const char *key = k->string;
        if (!key)
            continue;
        if (!(o && o->title_field) && !f->title && name_has(key, title_w, 5) &&
            cJSON_IsString(k))
            f->title = key;
        if (!(o && o->date_field) && name_has(key, date_w, 4) &&
            (!f->date || strstr(key, "iso")))
            f->date = key;
        if (!f->year && name_has(key, year_w, 2))
            f->year = key;
        if (!(o && o->id_field) && !f->id && name_has(key, id_w, 4) &&
            strlen(key) <= 12)
            f->id = key;
        if (!(o && o->author_field) && !f->author &&
            (name_has_word(key, author_en, 2) || name_has(key, author_zh, 3)))
            f->author = key;
        if (!(o && o->org_field) && !f->org &&
            (name_has_word(key, org_en, 8) || name_has(key, org_zh, 4)))
            f->org = key;
    }
    if (!(o && o->text_field)) {
        int named;
        f->text = text_field_of(first, &named);
        f->text_how = named ? TEXT_NAMED : TEXT_LONGEST;
    }
    /* the text field is only the text */
    if (f->text) {
        if (f->title && strcmp(f->title, f->text) == 0)
            f->title = NULL;
        if (f->author && strcmp(f->author, f->text) == 0)
            f->author = NULL;
        if (f->org && strcmp(f->org, f->text) == 0)
            f->org = NULL;
    }
}

/* Whether a record among the first 50 of the group first leads has key. */
static int field_seen(const cJSON *first, const char *key)
{
    size_t r = 0;
    for (const cJSON *rec = first; rec && r < 50 && same_group(rec, first);
         rec = rec->next, r++)
        if (cJSON_IsObject(rec) && cJSON_GetObjectItemCaseSensitive(rec, key))
            return 1;
    return 0;
}

/* The field names of record rec but skip (NULL: none), comma-separated,
 * into out[0, cap) (cut with … when longer). */
static void field_names(const cJSON *rec, const char *skip, char *out,
                        size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (const cJSON *k = rec ? rec->child : NULL; k && n + 1 < cap;
         k = k->next) {
        if (!k->string || (skip && strcmp(k->string, skip) == 0))
            continue;
        int w = snprintf(out + n, cap - n, "%s%s", n ? ", " : "", k->string);
        if (w < 0 || (size_t)w >= cap - n) {
            snprintf(out + (cap > 8 ? cap - 8 : 0), cap > 8 ? 8 : cap, ", …");
            return;
        }
        n += (size_t)w;
    }
}

/* Checks the fields opts names against the group of records led by first
 * (a file's, or a sheet's): a field that none of its first 50 records
 * holds is warned of (a typo would otherwise pass in silence); *no_text is
 * set when that field is the --text-field (the caller refuses a file
 * where no group holds it: every document would be empty). Returns 0 or
 * BG_ENOMEM. */
/* Warns that no record of src (of sheet, when not NULL) holds key, the
 * field the option opt names; names lists the fields the records have.
 * Returns 0 or BG_ENOMEM. */
static int warn_unseen(bg_source *src, const char *sheet, const char *key,
                       const char *opt, const char *names)
{
    return bg_ingest_warn(src,
                          "no record%s%.100s holds the field \"%.100s\" "
                          "named by %s (its fields: %.200s)",
                          sheet ? " of sheet " : "", sheet ? sheet : "", key,
                          opt, names)
               ? BG_ENOMEM
               : 0;
}

static int check_given(bg_source *src, const cJSON *first,
                       const bg_ingest_opts *o, int *no_text, bg_err *err)
{
    char names[300];
    *no_text = 0;
    if (!o || !first)
        return 0;
    const char *sheet = src->format == BG_SRC_XLSX ? sheet_of(first) : NULL;
    field_names(first, sheet ? "sheet" : NULL, names, sizeof names);
    if (o->text_field && strchr(o->text_field, ',')) {
        /* several text fields: refused only when none is held; each one
         * missing is warned of */
        char *list = strdup(o->text_field), *save = NULL;
        if (!list)
            return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        *no_text = 1;
        for (char *k = strtok_r(list, ",", &save); k;
             k = strtok_r(NULL, ",", &save)) {
            if (field_seen(first, k))
                *no_text = 0;
            else if (warn_unseen(src, sheet, k, "--text-field", names)) {
                free(list);
                return bg_err_set(err, BG_ENOMEM, "%s: out of memory",
                                  src->path);
            }
        }
        free(list);
    } else
        *no_text = o->text_field && !field_seen(first, o->text_field);
    if (*no_text && sheet &&
        bg_ingest_warn(src,
                       "no record of sheet %.100s holds the field \"%.100s\" "
                       "named by --text-field (its fields: %.200s): its "
                       "records give no document",
                       sheet, o->text_field, names))
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    if (*no_text && !sheet)
        return bg_err_set(err, BG_EINVAL,
                          "%s: no record holds the field \"%s\" named by "
                          "--text-field (its fields: %s)",
                          src->path, o->text_field, names);
    struct {
        const char *opt, *key;
    } given[] = {{"--title-field", o->title_field},
                 {"--date-field", o->date_field},
                 {"--id-field", o->id_field},
                 {"--author-field", o->author_field},
                 {"--org-field", o->org_field}};
    for (size_t k = 0; k < sizeof given / sizeof *given; k++)
        if (given[k].key && !field_seen(first, given[k].key) &&
            warn_unseen(src, sheet, given[k].key, given[k].opt, names))
            return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    return 0;
}

/* Says which fields the group of records led by first gives (a line of
 * src->fields) and, when the text field was guessed by its length alone,
 * warns (a long title column would otherwise become the text silently).
 * Returns 0 or BG_ENOMEM. */
static int say_fields(bg_source *src, const cJSON *first, const fields *f)
{
    static const char *const how[] = {"given", "by name", "the longest"};
    const char *sheet = src->format == BG_SRC_XLSX ? sheet_of(first) : NULL;
    struct {
        const char *role, *key;
    } show[] = {{"title", f->title}, {"date", f->date},     {"year", f->year},
                {"id", f->id},       {"author", f->author}, {"org", f->org}};
    bg_buf b = {0};
    int rc = 0;
    if (src->fields && (bg_buf_puts(&b, src->fields) || bg_buf_puts(&b, "\n")))
        goto oom;
    if (sheet && (bg_buf_puts(&b, "sheet \"") || bg_buf_puts(&b, sheet) ||
                  bg_buf_puts(&b, "\": ")))
        goto oom;
    if (bg_buf_puts(&b, "text \"") || bg_buf_puts(&b, f->text) ||
        bg_buf_puts(&b, "\" (") || bg_buf_puts(&b, how[f->text_how]) ||
        bg_buf_puts(&b, ")"))
        goto oom;
    for (size_t k = 0; k < sizeof show / sizeof *show; k++)
        if (show[k].key &&
            (bg_buf_puts(&b, ", ") || bg_buf_puts(&b, show[k].role) ||
             bg_buf_puts(&b, " \"") || bg_buf_puts(&b, show[k].key) ||
             bg_buf_puts(&b, "\"")))
            goto oom;
    free(src->fields);
    src->fields = b.data;
    if (f->text_how == TEXT_LONGEST)
        rc = bg_ingest_warn(src,
                            "text field \"%.200s\"%s%.100s guessed as the one "
                            "with most text: no field is named text, "
                            "content, body, 正文, 内容, 全文 or 详情 "
                            "(--text-field F to name it)",
                            f->text, sheet ? " of sheet " : "",
                            sheet ? sheet : "");
    return rc;
oom:
    bg_buf_free(&b);
    return BG_ENOMEM;
}

/* Appends record number nrec's document (its text field to t). Records
 * with an empty text are counted in *empty and make no document. */
/* The text of record rec into *out (NULL when it holds none; caller
 * frees): the value of f->text, or, when --text-field names several
 * fields (F,G,...), each one the record holds with text, in that order,
 * the second and later each after a blank line and a line of its name and
 * a full-width colon (`答复意见：`): a complaint record's letter and its
 * reply stay one document whose parts the structure rules find (the
 * label line is what part.reply reads). Returns 0 or BG_ENOMEM. */
static int record_text(const cJSON *rec, const fields *f, char **out)
{
    *out = NULL;
    if (f->text_how != TEXT_GIVEN || !strchr(f->text, ',')) {
        *out = field_text(rec, f->text);
        return 0;
    }
    bg_buf b = {0};
    char *list = strdup(f->text), *save = NULL;
    if (!list)
        return BG_ENOMEM;
    for (char *k = strtok_r(list, ",", &save); k;
         k = strtok_r(NULL, ",", &save)) {
        char *v = field_text(rec, k);
        if (v && v[strspn(v, " \t\r\n")] &&
            ((b.len && (bg_buf_puts(&b, "\n\n") || bg_buf_puts(&b, k) ||
                        bg_buf_puts(&b, "\xef\xbc\x9a\n"))) ||
             bg_buf_puts(&b, v))) {
            free(v);
            free(list);
            bg_buf_free(&b);
            return BG_ENOMEM;
        }
        free(v);
    }
    free(list);
    *out = b.data;
    return 0;
}

static int record_doc(bg_source *src, bg_buf *t, const cJSON *rec, size_t nrec,
                      const fields *f, const bg_ingest_opts *o, size_t *empty)
{
    char *text;
    int rc = record_text(rec, f, &text);
    if (rc)
        return rc;
    if (!text || !*text) {
        (*empty)++;
        free(text);
        return 0;
    }
    size_t start = t->len;
    if (bg_buf_puts(t, text) || bg_buf_add(t, "\n\n", 2)) {
        free(text);
        return BG_ENOMEM;
    }
    size_t end = start + strlen(text);
    free(text);
    bg_docspan *d = bg_ingest_add_doc(src, start, end);
    if (!d)
        return BG_ENOMEM;
    d->record = nrec;
    char *date = field_text(rec, f->date), *year = field_text(rec, f->year);
    char iso[11];
    d->title = field_trimmed(rec, f->title);
    d->author = field_trimmed(rec, f->author);
    d->org = field_trimmed(rec, f->org);
    if (date && bg_ingest_parse_date(date, strlen(date), 0, iso)) {
        if (!(d->date = strdup(iso)))
            rc = BG_ENOMEM;
        d->year = atoi(iso);
    }
    if (year && atoi(year) >= 1000)
        d->year = atoi(year);
    free(date);
    free(year);
    /* id, the sheet and --meta-field values, as a JSON object */
    cJSON *meta = cJSON_CreateObject();
    if (!meta)
        return BG_ENOMEM;
    if (f->id) {
        char *id = field_text(rec, f->id);
        if (id && !cJSON_AddStringToObject(meta, "id", id))
            rc = BG_ENOMEM;
        free(id);
    }
    const cJSON *sheet = cJSON_GetObjectItemCaseSensitive(rec, "sheet");
    if (src->format == BG_SRC_XLSX && cJSON_IsString(sheet) &&
        !cJSON_AddStringToObject(meta, "sheet", sheet->valuestring))
        rc = BG_ENOMEM;
    if (o && o->meta_fields) {
        char *list = strdup(o->meta_fields), *save = NULL;
        if (!list)
            rc = BG_ENOMEM;
        for (char *k = list ? strtok_r(list, ",", &save) : NULL; k;
             k = strtok_r(NULL, ",", &save)) {
            char *v = field_text(rec, k);
            if (v && !cJSON_GetObjectItemCaseSensitive(meta, k) &&
                !cJSON_AddStringToObject(meta, k, v))
                rc = BG_ENOMEM;
            free(v);
        }
        free(list);
    }
    if (meta->child && !(d->meta = cJSON_PrintUnformatted(meta)))
        rc = BG_ENOMEM;
    cJSON_Delete(meta);
    return rc;
}

/* Records turned into documents one at a time (recs_take, then
 * recs_finish), so that a reader may free each record once taken: the
 * documents' text t, the fields of the group of records lead leads (f:
 * names inside lead or the options, so lead lives while the group does),
 * counts. A group's fields are guessed from its first 50 records: lead's
 * next ones must be there (still linked after it) when it is taken. */
typedef struct recs_state {
    bg_buf t;
    fields f;
    const cJSON *lead;
    size_t empty, nrec;
    int text_seen;
} recs_state;

/* Takes record rec (a document, unless its text is empty): a new group's
 * lead when it is of another sheet than the lead's. Returns 0, BG_EINVAL
 * (no text field) or BG_ENOMEM, err filled. */
static int recs_take(bg_source *src, recs_state *st, const cJSON *rec,
                     const bg_ingest_opts *o, bg_err *err)
{
    int rc;
    if (!cJSON_IsObject(rec))
        return 0;
    /* each sheet of a workbook has its own columns */
    if (!st->lead || !same_group(rec, st->lead)) {
        st->lead = rec;
        guess_fields(rec, o, &st->f);
        if (!st->f.text)
            return bg_err_set(err, BG_EINVAL,
                              "%s: no text field found%s%s (name one "
                              "with --text-field)",
                              src->path, sheet_of(rec) ? " in sheet " : "",
                              sheet_of(rec) ? sheet_of(rec) : "");
        int no_text;
        if ((rc = check_given(src, rec, o, &no_text, err)))
            return rc;
        st->text_seen |= !no_text;
        if (say_fields(src, rec, &st->f))
            return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    }
    if (record_doc(src, &st->t, rec, ++st->nrec, &st->f, o, &st->empty))
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    return 0;
}

/* After the last record: src->bytes is the documents' text. Returns 0,
 * BG_EINVAL or BG_ENOMEM; st's text is src's or freed either way. */
static int recs_finish(bg_source *src, recs_state *st, const bg_ingest_opts *o,
                       bg_err *err)
{
    if (st->lead && o && o->text_field && !st->text_seen) {
        bg_buf_free(&st->t);
        return bg_err_set(err, BG_EINVAL,
                          "%s: no sheet holds the field \"%s\" named by "
                          "--text-field",
                          src->path, o->text_field);
    }
    if (bg_buf_reserve(&st->t, 1) ||
        (st->empty && bg_ingest_warn(src,
                                     "%zu record%s with an empty \"%s\" field "
                                     "skipped",
                                     st->empty, st->empty == 1 ? "" : "s",
                                     st->f.text ? st->f.text : "text"))) {
        bg_buf_free(&st->t);
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    }
    src->bytes = st->t.data;
    src->len = st->t.len;
    src->derived = 1;
    return 0;
}

int bg_ingest_recs(bg_source *src, cJSON *recs, const bg_ingest_opts *o,
                   bg_err *err)
{
    recs_state st = {0};
    int rc = 0;
    const cJSON *rec;
    cJSON_ArrayForEach(rec, recs)
    {
        if ((rc = recs_take(src, &st, rec, o, err))) {
            bg_buf_free(&st.t);
            return rc;
        }
    }
    return recs_finish(src, &st, o, err);
}

/* ---- the record formats -------------------------------------------------- */

/* The deepest nesting of arrays and objects in JSON text s[0, n) (strings
 * skipped): cJSON refuses more than CJSON_NESTING_LIMIT, and a refusal
 * must name that limit. */
static size_t json_depth(const char *s, size_t n)
{
    size_t depth = 0, most = 0;
    int in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > most)
                most = depth;
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return most;
}

/* A \u0000 escape in a JSON string ends the string there for cJSON, which
 * keeps C strings: the rest of that field is lost. Never silently: warns
 * with the byte of the first (returns BG_ENOMEM or 0). */
static int json_nul(bg_source *src, const char *text, size_t n)
{
    size_t count = 0, first = 0;
    for (size_t i = 0; i + 6 <= n; i++)
        if (text[i] == '\\' && text[i + 1] == 'u' && text[i + 2] == '0' &&
            text[i + 3] == '0' && text[i + 4] == '0' && text[i + 5] == '0') {
            size_t back = 0; /* \\u0000 is a backslash and u0000 */
            while (back < i && text[i - 1 - back] == '\\')
                back++;
            if (back % 2)
                continue;
            if (!count++)
                first = i;
        }
    if (!count)
        return 0;
    return bg_ingest_warn(src,
                          "%zu \\u0000 escape%s in JSON strings (the first at "
                          "byte %zu): the text after each in its field is lost "
                          "(a JSON string cannot hold NUL here)",
                          count, count == 1 ? "" : "s", first);
}

/* Records parsed and not yet taken (a window: a group's fields are guessed
 * over its first 50 records, so a record is taken once the 50 after it
 * are here), and the lead of the group being taken, detached from it
 * (recs_state.lead). The streaming readers (JSON Lines, a JSON array, CSV
 * and TSV) hold these records only, never the file's. */
typedef struct rec_window {
    cJSON *win, *lead;
    size_t n;
} rec_window;

/* Takes the window's first record (recs_take: its group's fields are
 * guessed over the records after it, still in the window) and frees it,
 * unless it leads its group (then the lead before it is freed). */
static int take_first(bg_source *src, recs_state *st, rec_window *w,
                      const bg_ingest_opts *o, bg_err *err)
{
    cJSON *h = w->win->child;
    int rc = recs_take(src, st, h, o, err);
    cJSON_DetachItemViaPointer(w->win, h);
    w->n--;
    if (st->lead == h) {
        cJSON_Delete(w->lead);
        w->lead = h;
    } else {
        cJSON_Delete(h);
    }
    return rc;
}

/* Adds record r (any JSON value: a value that is no object is taken as
 * nothing, and counts among the 50) to the window and takes the first
 * record once 51 are held. Returns 0 or an error code (err filled). */
static int window_add(bg_source *src, recs_state *st, rec_window *w, cJSON *r,
                      const bg_ingest_opts *o, bg_err *err)
{
    int rc = 0;
    cJSON_AddItemToArray(w->win, r);
    w->n++;
    while (w->n > 50 && rc == 0)
        rc = take_first(src, st, w, o, err);
    return rc;
}

/* Takes the records left in the window. Returns 0 or an error code. */
static int window_drain(bg_source *src, recs_state *st, rec_window *w,
                        const bg_ingest_opts *o, bg_err *err)
{
    int rc = 0;
    while (w->n && rc == 0)
        rc = take_first(src, st, w, o, err);
    return rc;
}

/* Puts warning line before the warnings src gained since it held mark
 * bytes of them (had: it held any): a reader that learns of a problem of
 * the whole file at its end (lines skipped, NUL bytes dropped) says it
 * before what its records gave, as when the file was read whole first.
 * Returns 0 or BG_ENOMEM. */
static int warn_before(bg_source *src, int had, size_t mark, const char *line)
{
    char *tail = NULL;
    int rc = 0;
    if (src->warnings && strlen(src->warnings) > mark) {
        if (!(tail = strdup(src->warnings + mark + had)))
            return BG_ENOMEM;
        if (had) {
            src->warnings[mark] = '\0';
        } else {
            free(src->warnings);
            src->warnings = NULL;
        }
    }
    if (bg_ingest_warn(src, "%s", line))
        rc = BG_ENOMEM;
    if (rc == 0 && tail) {
        bg_buf b = {0};
        if (bg_buf_puts(&b, src->warnings) || bg_buf_puts(&b, "\n") ||
            bg_buf_puts(&b, tail)) {
            bg_buf_free(&b);
            rc = BG_ENOMEM;
        } else {
            free(src->warnings);
            src->warnings = b.data;
        }
    }
    free(tail);
    return rc;
}

/* JSON Lines text[0, n) (ingest.h's banner), one line at a time: each
 * record is taken once the 50 after it are parsed (rec_window) and freed
 * then, so the parsed records held are at most 51, not the file's (a cJSON
 * record took some 3 to 4 bytes a byte of its line). The skipped lines'
 * warning stands before those the records gave, as when every line was
 * parsed first. */
static int jsonl_records(bg_source *src, const char *text, size_t n,
                         const bg_ingest_opts *o, bg_err *err)
{
    recs_state st = {0};
    rec_window w = {cJSON_CreateArray(), NULL, 0};
    size_t i = n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, line = 1,
           nbad = 0, ngood = 0, deep = 0;
    int had = src->warnings != NULL, rc = 0;
    size_t warn_at = had ? strlen(src->warnings) : 0;
    char bad[160] = ""; /* the first bad lines' numbers */
    if (!w.win)
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    while (i < n) {
        const char *nl = memchr(text + i, '\n', n - i);
        size_t eol = nl ? (size_t)(nl - text) : n, a = i;
        while (a < eol && strchr(" \t\r", text[a]))
            a++;
        if (a < eol) {
            cJSON *r = cJSON_ParseWithLength(text + a, eol - a);
            if (cJSON_IsObject(r)) {
                ngood++;
                if ((rc = window_add(src, &st, &w, r, o, err)))
                    goto done;
            } else {
                /* one bad line costs that line only (said below) */
                cJSON_Delete(r);
                if (!nbad++)
                    deep = json_depth(text + a, eol - a) > CJSON_NESTING_LIMIT;
                size_t l = strlen(bad);
                if (l + 24 < sizeof bad)
                    snprintf(bad + l, sizeof bad - l, "%s%zu", l ? ", " : "",
                             line);
                else if (!strstr(bad, "…"))
                    snprintf(bad + l, sizeof bad - l, ", …");
            }
        }
        i = eol + 1;
        line++;
    }
    if (nbad && !ngood) { /* no line is a record: not JSON Lines */
        size_t first = strtoul(bad, NULL, 10);
        if (deep)
            rc = bg_err_set(err, BG_EDATA,
                            "%s:%zu: arrays and objects nested deeper than "
                            "the limit of %d",
                            src->path, first, CJSON_NESTING_LIMIT);
        else
            rc = bg_err_set(err, BG_EDATA,
                            "%s:%zu: not a JSON object (nor is any other "
                            "line)",
                            src->path, first);
        goto done;
    }
    if ((rc = window_drain(src, &st, &w, o, err)))
        goto done;
    if (nbad) {
        char line_w[512];
        snprintf(line_w, sizeof line_w,
                 "%zu line%s skipped, not a JSON object (malformed, cut "
                 "short or nested deeper than %d): line%s %s; the %zu other "
                 "record%s kept",
                 nbad, nbad == 1 ? "" : "s", CJSON_NESTING_LIMIT,
                 nbad == 1 ? "" : "s", bad, ngood, ngood == 1 ? "" : "s");
        if (warn_before(src, had, warn_at, line_w))
            goto oom;
    }
    rc = recs_finish(src, &st, o, err);
    st.t.data = NULL; /* src's now, or freed */
    goto done;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
done:
    bg_buf_free(&st.t);
    cJSON_Delete(w.win);
    cJSON_Delete(w.lead);
    return rc;
}

/* A .json text[0, n) that is no array (one object, one record): parsed
 * whole. Returns 0, BG_EDATA (malformed, nested too deep, neither an
 * object nor an array), BG_EINVAL or BG_ENOMEM. */
static int json_whole(bg_source *src, const char *text, size_t n,
                      const bg_ingest_opts *o, bg_err *err)
{
    const char *end = NULL;
    size_t skip = n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    cJSON *recs = cJSON_ParseWithLengthOpts(text + skip, n - skip, &end, 0);
    if (!recs) {
        size_t at = end ? (size_t)(end - text) : 0;
        if (json_depth(text, n) > CJSON_NESTING_LIMIT)
            return bg_err_set(err, BG_EDATA,
                              "%s: arrays and objects nested deeper "
                              "than the limit of %d",
                              src->path, CJSON_NESTING_LIMIT);
        return bg_err_set(err, BG_EDATA, "%s: byte %zu: malformed JSON",
                          src->path, at);
    }
    if (cJSON_IsObject(recs)) {
        cJSON *arr = cJSON_CreateArray();
        if (!arr || !cJSON_AddItemToArray(arr, recs)) {
            cJSON_Delete(recs);
            cJSON_Delete(arr);
            return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        }
        recs = arr;
    } else if (!cJSON_IsArray(recs)) {
        cJSON_Delete(recs);
        return bg_err_set(err, BG_EDATA,
                          "%s: JSON is neither an object nor an array of "
                          "objects",
                          src->path);
    }
    int rc = bg_ingest_recs(src, recs, o, err);
    cJSON_Delete(recs);
    return rc;
}

/* JSON white space as cJSON skips it: any byte up to 32. */
static int json_space(char c)
{
    return (unsigned char)c <= 32;
}

/* A .json text[0, n) (ingest.h's banner). An array of records is read an
 * element at a time: a scan over the text finds where each element of
 * the top-level array ends (the ',' or ']' outside its strings, escapes
 * and brackets), cJSON parses that element alone, and the records go
 * through the window JSON Lines uses, so the parsed records held are at
 * most 51 (the whole array parsed first took 3 to 4 bytes a byte of the
 * file). The elements and their order are cJSON's: an element that is no
 * object is no record, as before. Errors name the byte and the element:
 * a malformed element (cJSON's byte), an array never closed, nesting
 * deeper than cJSON's limit (the array counting one level, as when it was
 * parsed whole: that message as before, naming no byte). Bytes after the
 * array's end are ignored, with a warning (cJSON ignored them in silence).
 * Anything else (one object) is parsed whole: json_whole. Returns 0, BG_EDATA,
 * BG_EINVAL or BG_ENOMEM. */
static int json_records(bg_source *src, const char *text, size_t n,
                        const bg_ingest_opts *o, bg_err *err)
{
    size_t i = n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n && json_space(text[i]))
        i++;
    if (i >= n || text[i] != '[')
        return json_whole(src, text, n, o, err);
    recs_state st = {0};
    rec_window w = {cJSON_CreateArray(), NULL, 0};
    size_t opened = i++, nel = 0;
    int rc = 0;
    if (!w.win)
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    for (;;) {
        while (i < n && json_space(text[i]))
            i++;
        if (i < n && text[i] == ']' && nel == 0) { /* [] */
            i++;
            break;
        }
        /* the element: up to the ',' or ']' outside strings and brackets */
        size_t a = i, depth = 0;
        int in_str = 0;
        for (; i < n; i++) {
            char c = text[i];
            if (in_str) {
                if (c == '\\')
                    i++;
                else if (c == '"')
                    in_str = 0;
            } else if (c == '"') {
                in_str = 1;
            } else if (c == '[' || c == '{') {
                /* the array is one level: cJSON refuses a level past the
                 * limit */
                if (++depth >= CJSON_NESTING_LIMIT) {
                    rc = bg_err_set(err, BG_EDATA,
                                    "%s: arrays and objects nested deeper "
                                    "than the limit of %d",
                                    src->path, CJSON_NESTING_LIMIT);
                    goto done;
                }
            } else if (c == ']' || c == '}') {
                if (!depth)
                    break;
                depth--;
            } else if (c == ',' && !depth) {
                break;
            }
        }
        nel++;
        if (i >= n) {
            rc = bg_err_set(err, BG_EDATA,
                            "%s: byte %zu: malformed JSON (element %zu of "
                            "the array opened at byte %zu runs to the end "
                            "of the file)",
                            src->path, n, nel, opened);
            goto done;
        }
        size_t e = i;
        while (e > a && json_space(text[e - 1]))
            e--;
        const char *end = NULL;
        cJSON *r = cJSON_ParseWithLengthOpts(text + a, e - a, &end, 0);
        if (!r || end != text + e) {
            cJSON_Delete(r);
            rc = bg_err_set(err, BG_EDATA,
                            "%s: byte %zu: malformed JSON (element %zu of "
                            "the array)",
                            src->path, end ? (size_t)(end - text) : a, nel);
            goto done;
        }
        if ((rc = window_add(src, &st, &w, r, o, err)))
            goto done;
        if (text[i] == ']') {
            i++;
            break;
        }
        if (text[i] != ',') { /* a '}' closing nothing */
            rc = bg_err_set(err, BG_EDATA,
                            "%s: byte %zu: malformed JSON (after element %zu "
                            "of the array)",
                            src->path, i, nel);
            goto done;
        }
        i++;
    }
    if ((rc = window_drain(src, &st, &w, o, err)))
        goto done;
    while (i < n && json_space(text[i]))
        i++;
    if (i < n && bg_ingest_warn(src,
                                "%zu bytes after the JSON array's end (from "
                                "byte %zu) ignored",
                                n - i, i)) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        goto done;
    }
    rc = recs_finish(src, &st, o, err);
    st.t.data = NULL; /* src's now, or freed */
done:
    bg_buf_free(&st.t);
    cJSON_Delete(w.win);
    cJSON_Delete(w.lead);
    return rc;
}

/* A table's head, found by a first read of its rows that stops as soon as
 * it is known: the first non-blank row (first), whether it names the
 * columns (header), and else the column of years (year_scan). */
typedef struct table_head {
    bg_source *src;
    bg_err *err;
    const bg_ingest_opts *o;
    cJSON *first;
    int header, given;
    year_scan y;
} table_head;

static int head_row(cJSON *row, void *payload)
{
    table_head *h = payload;
    if (!h->first) {
        if (blank_row(row)) {
            cJSON_Delete(row);
            return 0;
        }
        h->first = row;
        h->given = h->o && h->o->columns;
        h->header = !h->given && header_row(row);
        if (h->given || h->header)
            return CSV_STOP;
        if (year_init(&h->y, cJSON_GetArraySize(row)))
            return bg_err_set(h->err, BG_ENOMEM, "%s: out of memory",
                              h->src->path);
        year_feed(&h->y, row);
    } else {
        year_feed(&h->y, row);
        cJSON_Delete(row);
    }
    return h->y.pick >= 0 ? CSV_STOP : 0;
}

/* The second read: each data row a record, through the window. */
typedef struct table_take {
    bg_source *src;
    const bg_ingest_opts *o;
    bg_err *err;
    const colnames *names;
    int join_extra, header, seen_first;
    recs_state st;
    rec_window w;
} table_take;

static int take_row(cJSON *row, void *payload)
{
    table_take *t = payload;
    cJSON *obj;
    int rc;
    if (blank_row(row) || (!t->seen_first++ && t->header)) {
        cJSON_Delete(row); /* a blank row, or the header */
        return 0;
    }
    rc = table_record(t->names, row, t->join_extra, NULL, &obj);
    cJSON_Delete(row);
    if (rc)
        return bg_err_set(t->err, BG_ENOMEM, "%s: out of memory", t->src->path);
    return window_add(t->src, &t->st, &t->w, obj, t->o, t->err);
}

/* CSV or TSV text s[0, n) (ingest.h's banner) read in two passes over the
 * text, neither holding its rows: the first reads rows only until the
 * table's head is known (table_head: the first row when it is a header or
 * --columns is given, else until the year column is known, which may take
 * the whole table), the second makes each data row a record as libcsv
 * ends it and takes it through the window (rec_window). A table held
 * whole took its rows and its records as cJSON, some 8 bytes a byte.
 * Warnings: the NUL bytes dropped before those the records gave. Returns
 * 0, BG_EDATA (with the line and row), BG_EINVAL or BG_ENOMEM. */
static int table_records(bg_source *src, const char *text, size_t n,
                         unsigned char delim, const bg_ingest_opts *o,
                         bg_err *err)
{
    table_head h = {0};
    csv_build c = {0};
    colnames names = {0};
    table_take t = {0};
    int had = src->warnings != NULL, rc;
    size_t warn_at = had ? strlen(src->warnings) : 0;
    h.src = src;
    h.err = err;
    h.o = o;
    h.y.pick = -1;
    c.on_row = head_row;
    c.payload = &h;
    rc = csv_feed(src, text, n, delim, &c, err);
    csv_done(&c);
    if (rc)
        goto done;
    if (h.first && !h.given && !h.header && h.y.pick < 0)
        year_end(&h.y);
    if (h.first && table_names(h.first, o, h.header, h.y.pick, &names))
        goto oom;
    t.src = src;
    t.o = o;
    t.err = err;
    t.names = &names;
    t.join_extra = delim == '\t';
    t.header = h.header;
    if (!(t.w.win = cJSON_CreateArray()))
        goto oom;
    memset(&c, 0, sizeof c);
    c.on_row = take_row;
    c.payload = &t;
    rc = csv_feed(src, text, n, delim, &c, err);
    csv_done(&c);
    if (rc || (rc = window_drain(src, &t.st, &t.w, o, err)))
        goto done;
    if (c.nul) {
        char line[160];
        snprintf(line, sizeof line, "%zu NUL byte%s dropped from %s cells",
                 c.nul, c.nul == 1 ? "" : "s", delim == '\t' ? "TSV" : "CSV");
        if (warn_before(src, had, warn_at, line))
            goto oom;
    }
    rc = recs_finish(src, &t.st, o, err);
    t.st.t.data = NULL; /* src's now, or freed */
    goto done;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
done:
    bg_buf_free(&t.st.t);
    cJSON_Delete(t.w.win);
    cJSON_Delete(t.w.lead);
    cJSON_Delete(h.first);
    year_free(&h.y);
    colnames_free(&names);
    return rc;
}

int bg_ingest_records(bg_source *src, const char *text, size_t n,
                      bg_src_format kind, const bg_ingest_opts *o, bg_err *err)
{
    if (kind == BG_SRC_CSV || kind == BG_SRC_TSV)
        return table_records(src, text, n, kind == BG_SRC_TSV ? '\t' : ',', o,
                             err);
    if (json_nul(src, text, n))
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    return kind == BG_SRC_JSON ? json_records(src, text, n, o, err)
                               : jsonl_records(src, text, n, o, err);
}
