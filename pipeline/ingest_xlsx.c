/*
 * ingest_xlsx.c - xlsx/xlsm workbooks (Office Open XML, ECMA-376 part 1,
 * SpreadsheetML) as tables: libzip opens the package, libxml2's streaming
 * reader walks its parts (as for docx: no tree kept, libxml2's default
 * limits, no DTD), and every sheet with a row becomes records through
 * bg_ingest_table (ingest_records.c), the sheet's first row its header.
 * Debian 12 has no C library that reads xlsx (freexl 1.0 reads .xls
 * only), hence this reader over the libraries the docx reader uses.
 *
 * Parts read: xl/workbook.xml (sheet names and order, the 1904 date
 * system), xl/_rels/workbook.xml.rels (each sheet's part), xl/styles.xml
 * (which cell formats are dates), xl/sharedStrings.xml, the sheets.
 * Cells: shared strings (t="s"), inline strings (t="inlineStr"), formula
 * strings (t="str"), ISO dates (t="d") as written, the _xHHHH_ escapes of
 * strings decoded (below); booleans (t="b") 0/1;
 * errors (t="e") empty; numbers as written, except under a date format
 * (built-in formats 14-22, 27-36 and 50-58; a custom format code with y or
 * d outside quotes and brackets), where the serial day number becomes
 * YYYY-MM-DD, with hh:mm:ss when it has a fraction (1900 system: day 1 is
 * 1900-01-01 and day 60 Excel's 1900-02-29, so later days count one less;
 * 1904 system: day 0 is 1904-01-01). Text runs (r/t) are joined; phonetic
 * runs (rPh) are left out. A cell's place comes from its reference (r="C5";
 * missing cells are empty), at most column XFD (16,384). A damaged sheet
 * is refused, never read with cells missing: a cell reference that names
 * no cell, or a shared string (t="s") that xl/sharedStrings.xml does not
 * hold (the part missing too), is an error naming the sheet and the cell.
 *
 * Threading: no shared state. Offsets: as the other record formats.
 */
#include "ingest_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XLSX_MAX_COLS 16384

/* The reader's node types (libxml2's xmlReaderTypes). */
enum {
    N_ELEMENT = 1,
    N_TEXT = 3,
    N_CDATA = 4,
    N_DTD = 10,
    N_WHITESPACE = 14,
    N_END = 15
};

/* The value of attribute `name` (local name, any namespace) of the
 * reader's element, malloc'd (xmlFree), or NULL. */
static xmlChar *attr(xmlTextReaderPtr rd, const char *name)
{
    xmlChar *v = NULL;
    if (xmlTextReaderMoveToFirstAttribute(rd) != 1)
        return NULL;
    do {
        const xmlChar *ln = xmlTextReaderConstLocalName(rd);
        if (ln && strcmp((const char *)ln, name) == 0) {
            v = xmlTextReaderValue(rd);
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(rd) == 1);
    xmlTextReaderMoveToElement(rd);
    return v;
}

static int is_name(xmlTextReaderPtr rd, const char *name)
{
    const xmlChar *ln = xmlTextReaderConstLocalName(rd);
    return ln && strcmp((const char *)ln, name) == 0;
}

/* ---- the workbook ---------------------------------------------------------
 */

typedef struct sheet_ref {
    char *name, *rid, *part;
} sheet_ref;

typedef struct book {
    zip_t *z;
    const bg_source *src;
    bg_err *err;
    sheet_ref *sheets;
    size_t nsheets;
    int date1904;
    char **sst; /* shared strings */
    size_t nsst, capsst;
    unsigned char *xf_date; /* by cell format index: a date format */
    size_t nxf;
    int oom;
    int bad; /* a damaged cell: err filled, the walk reads on to no effect */
} book;

static void book_free(book *b)
{
    for (size_t i = 0; i < b->nsheets; i++) {
        free(b->sheets[i].name);
        free(b->sheets[i].rid);
        free(b->sheets[i].part);
    }
    free(b->sheets);
    for (size_t i = 0; i < b->nsst; i++)
        free(b->sst[i]);
    free(b->sst);
    free(b->xf_date);
}

/* Opens part `name` for reading: *x holds its bytes (caller frees).
 * Returns the reader, or NULL with *rc set: BG_ENOTFOUND (no such part),
 * BG_EDATA (larger than the limit, or damaged: err filled) or BG_ENOMEM
 * (err filled). */
static xmlTextReaderPtr open_part(book *b, const char *name, char **x,
                                  xml_fail *fail, int *rc)
{
    size_t n;
    *x = NULL;
    *rc = bg_ingest_zip_entry(b->z, name, x, &n);
    if (*rc == BG_EDATA)
        bg_err_set(b->err, BG_EDATA,
                   "%s: %s inflates to more than the limit of %d MB (a zip "
                   "bomb?)",
                   b->src->path, name, (int)(BG_ZIP_PART_MAX >> 20));
    if (*rc == BG_ENOMEM)
        bg_err_set(b->err, BG_ENOMEM, "%s: out of memory", b->src->path);
    if (*rc == BG_EIO) /* a damaged part: never read as a missing one */
        *rc = bg_ingest_zip_damaged(b->src, name, b->err);
    if (*rc)
        return NULL;
    xmlTextReaderPtr rd = bg_ingest_xml_reader(*x, n, name, fail);
    if (!rd) {
        free(*x);
        *x = NULL;
        *rc = bg_err_set(b->err, BG_ENOMEM, "%s: out of memory", b->src->path);
    }
    return rd;
}

/* Walks a part to its end: returns 0, 1 (a DTD) or -1 (a parse error),
 * calling on(b, rd, type, payload) for every node. */
static int walk(book *b, xmlTextReaderPtr rd,
                void (*on)(book *, xmlTextReaderPtr, int, void *),
                void *payload)
{
    int r;
    while ((r = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd);
        if (type == N_DTD)
            return 1;
        on(b, rd, type, payload);
    }
    return r == 0 ? 0 : -1;
}

/* Reads part `name` with on(); a missing part is fine when optional.
 * Returns 0 or an error with b->err filled. */
static int read_part(book *b, const char *name, int optional,
                     void (*on)(book *, xmlTextReaderPtr, int, void *),
                     void *payload)
{
    char *x;
    xml_fail fail = {0};
    int rc;
    xmlTextReaderPtr rd = open_part(b, name, &x, &fail, &rc);
    if (!rd) {
        if (rc == BG_ENOTFOUND)
            return optional ? 0
                            : bg_err_set(b->err, BG_EDATA,
                                         "%s: not an xlsx workbook: no %s",
                                         b->src->path, name);
        return rc;
    }
    int w = walk(b, rd, on, payload);
    xmlFreeTextReader(rd);
    free(x);
    if (b->oom)
        return bg_err_set(b->err, BG_ENOMEM, "%s: out of memory", b->src->path);
    if (b->bad)
        return BG_EDATA;
    if (w)
        return bg_ingest_xml_refused(b->src, name, &fail, w == 1, b->err);
    return 0;
}

static void on_workbook(book *b, xmlTextReaderPtr rd, int type, void *payload)
{
    (void)payload;
    if (type != N_ELEMENT)
        return;
    if (is_name(rd, "workbookPr")) {
        xmlChar *v = attr(rd, "date1904");
        b->date1904 = v && (strcmp((char *)v, "1") == 0 ||
                            strcmp((char *)v, "true") == 0);
        xmlFree(v);
    } else if (is_name(rd, "sheet")) {
        sheet_ref *p = realloc(b->sheets, (b->nsheets + 1) * sizeof *p);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->sheets = p;
        sheet_ref *s = &b->sheets[b->nsheets++];
        xmlChar *name = attr(rd, "name"), *rid = attr(rd, "id");
        s->name = strdup(name ? (char *)name : "");
        s->rid = strdup(rid ? (char *)rid : "");
        s->part = NULL;
        if (!s->name || !s->rid)
            b->oom = 1;
        xmlFree(name);
        xmlFree(rid);
    }
}

static void on_rels(book *b, xmlTextReaderPtr rd, int type, void *payload)
{
    (void)payload;
    if (type != N_ELEMENT || !is_name(rd, "Relationship"))
        return;
    xmlChar *id = attr(rd, "Id"), *target = attr(rd, "Target");
    for (size_t i = 0; id && target && i < b->nsheets; i++) {
        if (b->sheets[i].part || strcmp(b->sheets[i].rid, (char *)id) != 0)
            continue;
        /* relative to xl/, or absolute in the package */
        const char *t = (const char *)target;
        char *part = malloc(strlen(t) + 4);
        if (!part) {
            b->oom = 1;
            break;
        }
        if (t[0] == '/')
            strcpy(part, t + 1);
        else
            sprintf(part, "xl/%s", t);
        b->sheets[i].part = part;
    }
    xmlFree(id);
    xmlFree(target);
}

/* ---- styles: which cell formats are dates -------------------------------- */

typedef struct custom_fmt {
    int id, date;
} custom_fmt;

typedef struct style_walk {
    custom_fmt *fmt;
    size_t nfmt;
    int in_xfs;
} style_walk;

/* Whether a number format code shows a date: y or d outside quoted text,
 * escapes and [..] sections (colours, conditions, elapsed hours). */
static int date_code(const char *c)
{
    for (; *c; c++) {
        if (*c == '"') {
            while (c[1] && c[1] != '"')
                c++;
            if (c[1])
                c++;
        } else if (*c == '\\' && c[1]) {
            c++;
        } else if (*c == '[') {
            while (c[1] && c[1] != ']')
                c++;
        } else if (*c == 'y' || *c == 'Y' || *c == 'd' || *c == 'D') {
            return 1;
        }
    }
    return 0;
}

static int builtin_date(int id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
           (id >= 50 && id <= 58);
}

static void on_styles(book *b, xmlTextReaderPtr rd, int type, void *payload)
{
    style_walk *w = payload;
    if (type == N_END && is_name(rd, "cellXfs")) {
        w->in_xfs = 0;
        return;
    }
    if (type != N_ELEMENT)
        return;
    if (is_name(rd, "numFmt")) {
        xmlChar *id = attr(rd, "numFmtId"), *code = attr(rd, "formatCode");
        custom_fmt *p = realloc(w->fmt, (w->nfmt + 1) * sizeof *p);
        if (!p)
            b->oom = 1;
        else {
            w->fmt = p;
            w->fmt[w->nfmt].id = id ? atoi((char *)id) : -1;
            w->fmt[w->nfmt].date = code && date_code((char *)code);
            w->nfmt++;
        }
        xmlFree(id);
        xmlFree(code);
    } else if (is_name(rd, "cellXfs")) {
        w->in_xfs = !xmlTextReaderIsEmptyElement(rd);
    } else if (w->in_xfs && is_name(rd, "xf")) {
        xmlChar *id = attr(rd, "numFmtId");
        int fid = id ? atoi((char *)id) : 0, date = builtin_date(fid);
        for (size_t i = 0; i < w->nfmt; i++)
            if (w->fmt[i].id == fid)
                date = w->fmt[i].date;
        xmlFree(id);
        unsigned char *p = realloc(b->xf_date, b->nxf + 1);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->xf_date = p;
        b->xf_date[b->nxf++] = (unsigned char)date;
    }
}

/* ---- strings: ST_Xstring escapes ------------------------------------------
 * ECMA-376 part 1, 22.9.2.19: a character XML cannot hold is written
 * _xHHHH_ (a UTF-16 code unit in hex; Excel writes a carriage return in a
 * cell as _x000D_), and an underscore that would start such a sequence as
 * _x005F_. */

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return 0;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 1;
}

/* Replaces the escapes of b's text in place (never longer: 7 bytes become
 * at most 4). */
static void unescape_xstring(bg_buf *b)
{
    size_t o = 0;
    for (size_t i = 0; i < b->len;) {
        unsigned u, lo;
        if (b->data[i] == '_' && i + 7 <= b->len && b->data[i + 1] == 'x' &&
            b->data[i + 6] == '_' && hex4(b->data + i + 2, &u)) {
            size_t used = 7;
            uint32_t cp = u;
            /* a surrogate pair written as two escapes */
            if (u >= 0xD800 && u < 0xDC00 && i + 14 <= b->len &&
                b->data[i + 7] == '_' && b->data[i + 8] == 'x' &&
                b->data[i + 13] == '_' && hex4(b->data + i + 9, &lo) &&
                lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                used = 14;
            }
            if (cp == 0 || (cp >= 0xD800 && cp < 0xE000))
                cp = 0xFFFD; /* NUL, or a lone surrogate */
            o += bg_utf8_put(cp, b->data + o);
            i += used;
            continue;
        }
        b->data[o++] = b->data[i++];
    }
    b->len = o;
    if (b->data)
        b->data[o] = '\0';
}

/* ---- shared strings --------------------------------------------------------
 */

typedef struct text_walk {
    bg_buf t;
    int in_t, in_rph;
} text_walk;

static void on_sst(book *b, xmlTextReaderPtr rd, int type, void *payload)
{
    text_walk *w = payload;
    if (type == N_ELEMENT) {
        if (is_name(rd, "si")) {
            w->t.len = 0;
            if (bg_buf_reserve(&w->t, 0))
                b->oom = 1;
            else
                w->t.data[0] = '\0';
            if (xmlTextReaderIsEmptyElement(rd))
                goto push;
        } else if (is_name(rd, "rPh")) {
            w->in_rph = !xmlTextReaderIsEmptyElement(rd);
        } else if (is_name(rd, "t")) {
            w->in_t = !xmlTextReaderIsEmptyElement(rd);
        }
        return;
    }
    if (type == N_TEXT || type == N_CDATA || type == N_WHITESPACE) {
        const xmlChar *v = xmlTextReaderConstValue(rd);
        if (w->in_t && !w->in_rph && v && bg_buf_puts(&w->t, (const char *)v))
            b->oom = 1;
        return;
    }
    if (type != N_END)
        return;
    if (is_name(rd, "t"))
        w->in_t = 0;
    else if (is_name(rd, "rPh"))
        w->in_rph = 0;
    else if (is_name(rd, "si"))
        goto push;
    return;
push:
    unescape_xstring(&w->t);
    if (BG_RESERVE(b->sst, b->capsst, b->nsst + 1)) {
        b->oom = 1;
        return;
    }
    if (!(b->sst[b->nsst] = strdup(w->t.data ? w->t.data : "")))
        b->oom = 1;
    else
        b->nsst++;
}

/* ---- sheets -----------------------------------------------------------------
 */

typedef struct sheet_walk {
    const sheet_ref *sheet; /* for messages */
    cJSON *rows, *row;
    int col;        /* the current cell's column (0-based), -1: none */
    char ctype[16]; /* its t attribute */
    int cdate;      /* its format is a date */
    bg_buf v, is;   /* its <v> text, its inline string */
    int in_v, in_is_t, in_rph;
    int next_col; /* column after the last cell of the row */
    char ref[24]; /* the current cell's reference as written (cut) */
} sheet_walk;

/* Column index (0-based) of a cell reference such as "BC12" (ECMA-376
 * part 1, 18.18.62 ST_CellRef: column letters A to XFD, then a row number
 * 1 to 1,048,576), or -1 when r is not one. */
static int ref_col(const char *r)
{
    int c = 0, n = 0;
    for (; *r >= 'A' && *r <= 'Z' && n < 4; r++, n++)
        c = c * 26 + (*r - 'A' + 1);
    if (n == 0 || c > XLSX_MAX_COLS || *r < '1' || *r > '9')
        return -1;
    long row = 0;
    for (; *r >= '0' && *r <= '9' && row <= 1048576; r++)
        row = row * 10 + (*r - '0');
    return *r || row > 1048576 ? -1 : c - 1;
}

/* Refuses the workbook for the current cell of w: err gets "PATH: sheet
 * "NAME" (PART) cell REF: what". */
static void bad_cell(book *b, const sheet_walk *w, const char *what)
{
    if (b->bad)
        return;
    b->bad = 1;
    bg_err_set(b->err, BG_EDATA, "%s: sheet \"%s\" (%s) cell %s: %s",
               b->src->path, w->sheet->name, w->sheet->part,
               w->ref[0] ? w->ref : "(no reference)", what);
}

/* Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

/* y-m-d of a day count from 1970-01-01 (the inverse of the above). */
static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

/* An Excel serial day number as ISO 8601 in out (see the banner); 0 when
 * it is out of range (before 1900 or after 9999). */
static int serial_date(double s, int date1904, char out[32])
{
    if (!isfinite(s) || s < 0 || s > 2958465.0)
        return 0;
    double day = floor(s);
    long secs = lround((s - day) * 86400.0);
    if (secs >= 86400) {
        day += 1;
        secs -= 86400;
    }
    long base, y;
    unsigned m, d;
    if (date1904) {
        base = days_from_civil(1904, 1, 1);
    } else {
        if (day < 1)
            return 0;
        if (day >= 61)
            day -= 1; /* Excel's 1900-02-29 */
        base = days_from_civil(1899, 12, 31);
        if (day == 60) /* the day that never was: shown as 1900-02-29 */
            return snprintf(out, 32, "1900-02-29") > 0;
    }
    civil_from_days(base + (long)day, &y, &m, &d);
    int yy = (int)y, mm = (int)(m % 13), dd = (int)(d % 32);
    int hh = (int)(secs / 3600 % 24), mi = (int)(secs / 60 % 60),
        ss = (int)(secs % 60);
    if (secs)
        snprintf(out, 32, "%04d-%02d-%02d %02d:%02d:%02d", yy % 10000, mm, dd,
                 hh, mi, ss);
    else
        snprintf(out, 32, "%04d-%02d-%02d", yy % 10000, mm, dd);
    return 1;
}

/* Ends the current cell: its text placed at its column of the row. */
static void end_cell(book *b, sheet_walk *w)
{
    const char *t = w->ctype, *v = w->v.data ? w->v.data : "";
    char num[32];
    const char *text = v;
    if (w->col < 0)
        return;
    if (strcmp(t, "s") == 0) {
        char *end, why[160];
        errno = 0;
        unsigned long k = strtoul(v, &end, 10);
        if (!*v) {
            text = ""; /* no value: an empty cell */
        } else if (end == v || *end || *v == '-' || errno || k >= b->nsst) {
            if (b->nsst)
                snprintf(why, sizeof why,
                         "shared string \"%.40s\" is not one of the %zu in "
                         "xl/sharedStrings.xml (a damaged workbook)",
                         v, b->nsst);
            else
                snprintf(why, sizeof why,
                         "shared string \"%.40s\", but xl/sharedStrings.xml "
                         "is missing or empty (a damaged workbook)",
                         v);
            bad_cell(b, w, why);
            return;
        } else {
            text = b->sst[k];
        }
    } else if (strcmp(t, "inlineStr") == 0) {
        unescape_xstring(&w->is);
        text = w->is.data ? w->is.data : "";
    } else if (strcmp(t, "e") == 0) {
        text = "";
    } else if (strcmp(t, "b") == 0) {
        text = strcmp(v, "1") == 0 || strcmp(v, "true") == 0 ? "1" : "0";
    } else if ((!*t || strcmp(t, "n") == 0) && w->cdate && *v) {
        char *end;
        double s = strtod(v, &end);
        if (end != v && serial_date(s, b->date1904, num))
            text = num;
    }
    if (!w->row && !(w->row = cJSON_CreateArray())) {
        b->oom = 1;
        return;
    }
    /* cells skipped before this one are empty */
    while (w->next_col < w->col) {
        cJSON *e = cJSON_CreateString("");
        if (!e || !cJSON_AddItemToArray(w->row, e)) {
            cJSON_Delete(e);
            b->oom = 1;
            return;
        }
        w->next_col++;
    }
    if (w->col < w->next_col)
        return; /* a cell given twice: the first wins */
    cJSON *c = cJSON_CreateString(text);
    if (!c || !cJSON_AddItemToArray(w->row, c)) {
        cJSON_Delete(c);
        b->oom = 1;
        return;
    }
    w->next_col = w->col + 1;
}

static void end_row(book *b, sheet_walk *w)
{
    if (w->row && !cJSON_AddItemToArray(w->rows, w->row)) {
        cJSON_Delete(w->row);
        b->oom = 1;
    }
    w->row = NULL;
    w->next_col = 0;
}

static void on_sheet(book *b, xmlTextReaderPtr rd, int type, void *payload)
{
    sheet_walk *w = payload;
    if (b->oom || b->bad)
        return;
    if (type == N_ELEMENT) {
        int empty = xmlTextReaderIsEmptyElement(rd);
        if (is_name(rd, "row")) {
            if (w->row) /* a row inside a row: the outer one ends here */
                end_row(b, w);
            w->row = NULL;
            w->next_col = 0;
            if (empty)
                end_row(b, w);
        } else if (is_name(rd, "c")) {
            xmlChar *r = attr(rd, "r"), *t = attr(rd, "t"), *s = attr(rd, "s");
            snprintf(w->ref, sizeof w->ref, "%s", r ? (char *)r : "");
            w->col = r ? ref_col((char *)r) : w->next_col;
            if (w->col < 0 || w->col >= XLSX_MAX_COLS) {
                w->col = -1;
                bad_cell(b, w,
                         r ? "not a cell reference (columns A to XFD, rows "
                             "1 to 1048576)"
                           : "past column XFD");
            }
            snprintf(w->ctype, sizeof w->ctype, "%s", t ? (char *)t : "");
            long xf = s ? atol((char *)s) : 0;
            w->cdate = xf >= 0 && (size_t)xf < b->nxf && b->xf_date[xf];
            w->v.len = w->is.len = 0;
            if (bg_buf_reserve(&w->v, 0) || bg_buf_reserve(&w->is, 0))
                b->oom = 1;
            else
                w->v.data[0] = w->is.data[0] = '\0';
            xmlFree(r);
            xmlFree(t);
            xmlFree(s);
            if (empty)
                end_cell(b, w);
        } else if (is_name(rd, "v")) {
            w->in_v = !empty;
        } else if (is_name(rd, "rPh")) {
            w->in_rph = !empty;
        } else if (is_name(rd, "t")) {
            w->in_is_t = !empty;
        }
        return;
    }
    if (type == N_TEXT || type == N_CDATA || type == N_WHITESPACE) {
        const char *v = (const char *)xmlTextReaderConstValue(rd);
        if (!v)
            return;
        if (w->in_v && bg_buf_puts(&w->v, v))
            b->oom = 1;
        else if (w->in_is_t && !w->in_rph && bg_buf_puts(&w->is, v))
            b->oom = 1;
        return;
    }
    if (type != N_END)
        return;
    if (is_name(rd, "v"))
        w->in_v = 0;
    else if (is_name(rd, "t"))
        w->in_is_t = 0;
    else if (is_name(rd, "rPh"))
        w->in_rph = 0;
    else if (is_name(rd, "c"))
        end_cell(b, w);
    else if (is_name(rd, "row"))
        end_row(b, w);
}

int bg_ingest_xlsx(bg_source *src, const char *file, size_t n,
                   const bg_ingest_opts *o, bg_err *err)
{
    zip_t *z = NULL;
    book b = {0};
    style_walk sw = {0};
    text_walk tw = {0};
    sheet_walk w = {0};
    cJSON *recs = NULL;
    int rc = bg_ingest_zip_open(src, file, n, "an xlsx workbook", &z, err);
    if (rc)
        return rc;
    b.z = z;
    b.src = src;
    b.err = err;
    if ((rc = read_part(&b, "xl/workbook.xml", 0, on_workbook, NULL)) ||
        (rc = read_part(&b, "xl/_rels/workbook.xml.rels", 0, on_rels, NULL)) ||
        (rc = read_part(&b, "xl/styles.xml", 1, on_styles, &sw)) ||
        (rc = read_part(&b, "xl/sharedStrings.xml", 1, on_sst, &tw)))
        goto cleanup;
    if (!(recs = cJSON_CreateArray()))
        goto oom;
    for (size_t i = 0; i < b.nsheets; i++) {
        if (!b.sheets[i].part) {
            rc = bg_err_set(err, BG_EDATA,
                            "%s: sheet \"%s\" has no part in "
                            "xl/_rels/workbook.xml.rels",
                            src->path, b.sheets[i].name);
            goto cleanup;
        }
        memset(&w, 0, sizeof w);
        w.col = -1;
        w.sheet = &b.sheets[i];
        if (!(w.rows = cJSON_CreateArray()))
            goto oom;
        if ((rc = read_part(&b, b.sheets[i].part, 0, on_sheet, &w)))
            goto cleanup;
        if (bg_ingest_table(w.rows, o, 0,
                            b.nsheets > 1 ? b.sheets[i].name : NULL, recs))
            goto oom;
        cJSON_Delete(w.rows);
        cJSON_Delete(w.row);
        bg_buf_free(&w.v);
        bg_buf_free(&w.is);
        memset(&w, 0, sizeof w);
    }
    rc = bg_ingest_recs(src, recs, o, err);
    goto cleanup;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
cleanup:
    cJSON_Delete(recs);
    cJSON_Delete(w.rows);
    cJSON_Delete(w.row);
    bg_buf_free(&w.v);
    bg_buf_free(&w.is);
    bg_buf_free(&tw.t);
    free(sw.fmt);
    book_free(&b);
    zip_close(z);
    return rc;
}
