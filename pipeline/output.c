/*
 * output.c - table, CSV (plain or with a BOM for Excel), JSON, JSON Lines
 * and xlsx writers.
 */
#include "output.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/uchar.h>
#include <xlsxwriter.h>

int bg_format_parse(const char *name, bg_format *out)
{
    static const char *const names[] = {"table", "csv",     "json",
                                        "jsonl", "csv-bom", "xlsx"};
    for (int i = 0; i < 6; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (bg_format)i;
            return 0;
        }
    return BG_EUSAGE;
}

/* Text of a cell (NULL cells: ""), in buf for numbers. */
static const char *cell_str(const bg_rows *r, size_t row, size_t col, char *buf,
                            size_t n)
{
    const bg_cell *c = &r->cells[row * r->ncols + col];
    if (c->null)
        return "";
    switch (r->types[col]) {
    case BG_COL_INT:
        snprintf(buf, n, "%lld", (long long)c->i);
        return buf;
    case BG_COL_REAL:
        snprintf(buf, n, "%.6g", c->r);
        return buf;
    default:
        return c->s;
    }
}

/* Display columns of one code point (UAX #11: wide and full-width take 2,
 * combining marks 0). */
static int cp_width(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F)
        return 1; /* printed as a space (put_cell) */
    int8_t t = (int8_t)u_charType((UChar32)cp);
    if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_FORMAT_CHAR)
        return 0;
    int ea = u_getIntPropertyValue((UChar32)cp, UCHAR_EAST_ASIAN_WIDTH);
    return ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
}

/* Display width of s[0, n). */
static size_t str_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        size_t nx;
        uint32_t cp = bg_utf8_next(s, i, &nx);
        w += (size_t)cp_width(cp);
        i = nx;
    }
    return w;
}

/* Bytes of s to show in at most max columns: all of it when it fits, else
 * a prefix that leaves one column for "…". */
static size_t fit_bytes(const char *s, size_t max)
{
    size_t len = strlen(s);
    if (!max || str_width(s, len) <= max)
        return len;
    size_t w = 0, i = 0;
    while (i < len) {
        size_t nx;
        uint32_t cp = bg_utf8_next(s, i, &nx);
        size_t cw = (size_t)cp_width(cp);
        if (w + cw > max - 1)
            break;
        w += cw;
        i = nx;
    }
    return i;
}

int bg_output_cut_start(bg_rows *r, size_t col, size_t max)
{
    if (col >= r->ncols || r->types[col] != BG_COL_TEXT || max < 2)
        return BG_EINVAL;
    for (size_t i = 0; i < r->nrows; i++) {
        bg_cell *c = &r->cells[i * r->ncols + col];
        if (c->null || !c->s)
            continue;
        size_t len = strlen(c->s), w = str_width(c->s, len), at = 0;
        if (w <= max)
            continue;
        /* drop code points from the start until the rest fits in max - 1
         * columns (one for the "…") */
        while (at < len && w > max - 1) {
            size_t nx;
            uint32_t cp = bg_utf8_next(c->s, at, &nx);
            w -= (size_t)cp_width(cp);
            at = nx;
        }
        char *cut = malloc(strlen("…") + len - at + 1);
        if (!cut)
            return BG_ENOMEM;
        strcpy(cut, "…");
        strcat(cut, c->s + at);
        free(c->s);
        c->s = cut;
    }
    return 0;
}

/* Writes s[0, cut) with every control character (line ends, tabs, ESC)
 * as a space: a stored title or file name cannot break the table or send
 * a terminal escape sequence. */
static int put_cell(FILE *f, const char *s, size_t cut)
{
    for (size_t i = 0; i < cut; i++) {
        unsigned char u = (unsigned char)s[i];
        char c = u < 0x20 || u == 0x7F ? ' ' : s[i];
        if (fputc(c, f) == EOF)
            return BG_EIO;
    }
    return 0;
}

static int write_table(FILE *f, const bg_rows *r, size_t max)
{
    size_t *w = calloc(r->ncols, sizeof *w);
    char buf[64];
    if (!w)
        return BG_ENOMEM;
    for (size_t c = 0; c < r->ncols; c++) {
        w[c] = str_width(r->names[c], strlen(r->names[c]));
        for (size_t i = 0; i < r->nrows; i++) {
            const char *s = cell_str(r, i, c, buf, sizeof buf);
            size_t n = fit_bytes(s, max);
            size_t cw = str_width(s, n) + (n < strlen(s));
            if (cw > w[c])
                w[c] = cw;
        }
    }
    int rc = 0;
    for (size_t i = 0; i <= r->nrows && rc == 0; i++) {
        for (size_t c = 0; c < r->ncols; c++) {
            const char *s =
                i == 0 ? r->names[c] : cell_str(r, i - 1, c, buf, sizeof buf);
            size_t n = fit_bytes(s, max), len = strlen(s);
            size_t shown = str_width(s, n) + (n < len);
            size_t pad = w[c] > shown ? w[c] - shown : 0;
            int last = c + 1 == r->ncols;
            int right = i > 0 && r->types[c] != BG_COL_TEXT;
            if (right)
                fprintf(f, "%*s", (int)pad, "");
            rc = put_cell(f, s, n);
            if (n < len)
                fputs("…", f);
            if (!right && !last)
                fprintf(f, "%*s", (int)pad, "");
            if (!last)
                fputs("  ", f);
        }
        fputc('\n', f);
    }
    free(w);
    return ferror(f) ? BG_EIO : rc;
}

static void csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int write_csv(FILE *f, const bg_rows *r)
{
    char buf[64];
    for (size_t c = 0; c < r->ncols; c++) {
        if (c)
            fputc(',', f);
        csv_field(f, r->names[c]);
    }
    fputc('\n', f);
    for (size_t i = 0; i < r->nrows; i++) {
        for (size_t c = 0; c < r->ncols; c++) {
            if (c)
                fputc(',', f);
            const bg_cell *cell = &r->cells[i * r->ncols + c];
            if (!cell->null && r->types[c] == BG_COL_REAL)
                fprintf(f, "%.17g", cell->r);
            else
                csv_field(f, cell_str(r, i, c, buf, sizeof buf));
        }
        fputc('\n', f);
    }
    return ferror(f) ? BG_EIO : 0;
}

static cJSON *row_object(const bg_rows *r, size_t i)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    for (size_t c = 0; c < r->ncols; c++) {
        const bg_cell *cell = &r->cells[i * r->ncols + c];
        cJSON *v;
        if (cell->null)
            v = cJSON_CreateNull();
        else if (r->types[c] == BG_COL_INT)
            v = cJSON_CreateNumber((double)cell->i);
        else if (r->types[c] == BG_COL_REAL)
            v = cJSON_CreateNumber(cell->r);
        else
            v = cJSON_CreateString(cell->s);
        if (!v || !cJSON_AddItemToObject(o, r->names[c], v)) {
            cJSON_Delete(v);
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

cJSON *bg_output_json(const bg_rows *r)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < r->nrows; i++) {
        cJSON *o = row_object(r, i);
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

/* Writes o (NULL: out of memory) as one line, or formatted, and deletes
 * it. Returns 0, BG_EIO or BG_ENOMEM. */
static int put_json(FILE *f, cJSON *o, int formatted)
{
    char *s = !o          ? NULL
              : formatted ? cJSON_Print(o)
                          : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        return BG_ENOMEM;
    fputs(s, f);
    fputc('\n', f);
    cJSON_free(s);
    return ferror(f) ? BG_EIO : 0;
}

static int write_json(FILE *f, const bg_rows *r, int lines)
{
    if (!lines)
        return put_json(f, bg_output_json(r), 1);
    int rc = 0;
    for (size_t i = 0; i < r->nrows && rc == 0; i++)
        rc = put_json(f, row_object(r, i), 0);
    return rc;
}

/* ---- xlsx (libxlsxwriter) ----------------------------------------------- */

#define XLSX_MAX_ROWS 1048575u /* Excel's 1,048,576 rows less the header */
#define XLSX_MAX_CHARS 32767u  /* characters in one cell */

/* Writes text s into (row, col), cut at XLSX_MAX_CHARS characters; a cut
 * cell gets a comment saying so, with the whole text's length, so that
 * the text dropped is recorded in the workbook itself. */
static lxw_error xlsx_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                           const char *s, lxw_format *fmt)
{
    size_t len = strlen(s), i = 0, chars = 0, cut_at = 0;
    while (i < len) {
        size_t nx;
        bg_utf8_next(s, i, &nx);
        i = nx;
        if (++chars == XLSX_MAX_CHARS)
            cut_at = i;
    }
    if (chars <= XLSX_MAX_CHARS)
        return worksheet_write_string(ws, row, col, s, fmt);
    char *cut = strndup(s, cut_at);
    if (!cut)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error e = worksheet_write_string(ws, row, col, cut, fmt);
    free(cut);
    if (e != LXW_NO_ERROR)
        return e;
    char note[200];
    snprintf(note, sizeof note,
             "baogao: cut at Excel's limit of %u characters; the whole text "
             "has %zu characters (--format csv or json keeps it all)",
             XLSX_MAX_CHARS, chars);
    return worksheet_write_comment(ws, row, col, note);
}

/* The workbook of r into the file at path. */
static int xlsx_file(const char *path, const bg_rows *r)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return BG_EIO;
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    lxw_format *bold = workbook_add_format(wb);
    lxw_error e = ws && bold ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
    if (bold)
        format_set_bold(bold);
    for (size_t c = 0; e == LXW_NO_ERROR && c < r->ncols; c++)
        e = xlsx_text(ws, 0, (lxw_col_t)c, r->names[c], bold);
    for (size_t i = 0; e == LXW_NO_ERROR && i < r->nrows; i++)
        for (size_t c = 0; e == LXW_NO_ERROR && c < r->ncols; c++) {
            const bg_cell *cell = &r->cells[i * r->ncols + c];
            lxw_row_t row = (lxw_row_t)(i + 1);
            if (cell->null)
                continue;
            if (r->types[c] == BG_COL_INT)
                e = worksheet_write_number(ws, row, (lxw_col_t)c,
                                           (double)cell->i, NULL);
            else if (r->types[c] == BG_COL_REAL)
                e = worksheet_write_number(ws, row, (lxw_col_t)c, cell->r,
                                           NULL);
            else
                e = xlsx_text(ws, row, (lxw_col_t)c, cell->s, NULL);
        }
    if (e == LXW_NO_ERROR)
        worksheet_freeze_panes(ws, 1, 0);  /* the header stays in view */
    lxw_error closed = workbook_close(wb); /* frees wb, writes the file */
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
        return BG_ENOMEM;
    return e == LXW_NO_ERROR && closed == LXW_NO_ERROR ? 0 : BG_EIO;
}

static int write_xlsx(FILE *f, const bg_rows *r)
{
    if (r->nrows > XLSX_MAX_ROWS)
        return BG_EINVAL;
    const char *dir = getenv("TMPDIR");
    bg_buf path = {0};
    if (bg_buf_printf(&path, "%s/baogao-xlsx-XXXXXX",
                      dir && *dir ? dir : "/tmp"))
        return BG_ENOMEM;
    int fd = mkstemp(path.data), rc = 0;
    if (fd < 0) {
        bg_buf_free(&path);
        return BG_EIO;
    }
    close(fd);
    if ((rc = xlsx_file(path.data, r)) == 0) {
        FILE *in = fopen(path.data, "rb");
        char buf[65536];
        size_t n;
        if (!in)
            rc = BG_EIO;
        while (in && (n = fread(buf, 1, sizeof buf, in)) > 0)
            if (fwrite(buf, 1, n, f) != n)
                rc = BG_EIO;
        if (in && ferror(in))
            rc = BG_EIO;
        if (in)
            fclose(in);
    }
    unlink(path.data);
    bg_buf_free(&path);
    return rc ? rc : ferror(f) ? BG_EIO : 0;
}

/* A copy of s with each byte of an invalid UTF-8 sequence replaced by
 * U+FFFD (malloc'd; NULL when out of memory). */
static char *valid_utf8(const char *s)
{
    size_t n = strlen(s);
    bg_buf b = {0};
    for (size_t i = 0; i < n;) {
        size_t ok = bg_utf8_valid_prefix(s + i, n - i);
        if (bg_buf_add(&b, s + i, ok) ||
            (i + ok < n && bg_buf_puts(&b, "\xEF\xBF\xBD"))) {
            bg_buf_free(&b);
            return NULL;
        }
        i += ok + (i + ok < n);
    }
    if (!b.data && bg_buf_reserve(&b, 0))
        return NULL;
    return b.data;
}

/* The rows to print: r itself when every text cell is valid UTF-8, else
 * *copy, a shallow copy of r whose invalid cells are replaced by their
 * valid_utf8 form (a database written by another program, or damaged, may
 * hold anything); free it with free_copy. Returns 0 or BG_ENOMEM. */
static int printable(const bg_rows *r, bg_rows *copy, const bg_rows **out)
{
    size_t n = r->nrows * r->ncols;
    *out = r;
    memset(copy, 0, sizeof *copy);
    for (size_t i = 0; i < n; i++) {
        const bg_cell *c = &r->cells[i];
        if (c->null || r->types[i % r->ncols] != BG_COL_TEXT || !c->s ||
            bg_utf8_valid_prefix(c->s, strlen(c->s)) == strlen(c->s))
            continue;
        if (!copy->cells) {
            *copy = *r;
            if (!(copy->cells = malloc(n * sizeof *copy->cells)))
                return BG_ENOMEM;
            memcpy(copy->cells, r->cells, n * sizeof *copy->cells);
            for (size_t k = 0; k < n; k++)
                copy->cells[k].s = NULL; /* the copy owns only its fixes */
        }
        if (!(copy->cells[i].s = valid_utf8(c->s)))
            return BG_ENOMEM;
    }
    if (copy->cells) {
        for (size_t i = 0; i < n; i++)
            if (!copy->cells[i].s)
                copy->cells[i].s = r->cells[i].s;
        *out = copy;
    }
    return 0;
}

static void free_copy(const bg_rows *r, bg_rows *copy)
{
    for (size_t i = 0; copy->cells && i < r->nrows * r->ncols; i++)
        if (copy->cells[i].s != r->cells[i].s)
            free(copy->cells[i].s);
    free(copy->cells);
}

int bg_output_rows(FILE *f, const bg_rows *r, bg_format fmt, size_t max_width)
{
    bg_rows copy;
    const bg_rows *p;
    int rc = printable(r, &copy, &p);
    if (rc == 0)
        switch (fmt) {
        case BG_FMT_CSV:
            rc = write_csv(f, p);
            break;
        case BG_FMT_CSV_BOM:
            fputs("\xEF\xBB\xBF", f);
            rc = write_csv(f, p);
            break;
        case BG_FMT_XLSX:
            rc = write_xlsx(f, p);
            break;
        case BG_FMT_JSON:
            rc = write_json(f, p, 0);
            break;
        case BG_FMT_JSONL:
            rc = write_json(f, p, 1);
            break;
        default:
            rc = write_table(f, p, max_width);
            if (rc == 0 && r->note && fprintf(f, "%s\n", r->note) < 0)
                rc = BG_EIO;
        }
    free_copy(r, &copy);
    return rc;
}

/* ---- GraphML ------------------------------------------------------------ */

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static long find_col(const bg_rows *r, const char *name)
{
    for (size_t c = 0; c < r->ncols; c++)
        if (strcmp(r->names[c], name) == 0)
            return (long)c;
    return -1;
}

static int write_graphml(FILE *f, const bg_rows *r);

int bg_output_graphml(FILE *f, const bg_rows *r)
{
    bg_rows copy;
    const bg_rows *p;
    int rc = printable(r, &copy, &p);
    if (rc == 0)
        rc = write_graphml(f, p);
    free_copy(r, &copy);
    return rc;
}

static int write_graphml(FILE *f, const bg_rows *r)
{
    long src = find_col(r, "source"), dst = find_col(r, "target");
    long sf = find_col(r, "source_freq"), tf = find_col(r, "target_freq");
    if (src < 0 || dst < 0)
        return BG_EINVAL;
    char buf[64];
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
          "  <key id=\"label\" for=\"node\" attr.name=\"label\" "
          "attr.type=\"string\"/>\n"
          "  <key id=\"freq\" for=\"node\" attr.name=\"freq\" "
          "attr.type=\"long\"/>\n",
          f);
    for (size_t c = 0; c < r->ncols; c++) {
        if ((long)c == src || (long)c == dst || (long)c == sf || (long)c == tf)
            continue;
        fprintf(f, "  <key id=\"e_%s\" for=\"edge\" attr.name=\"", r->names[c]);
        xml_text(f, r->names[c]);
        fprintf(f, "\" attr.type=\"%s\"/>\n",
                r->types[c] == BG_COL_INT    ? "long"
                : r->types[c] == BG_COL_REAL ? "double"
                                             : "string");
    }
    fputs("  <graph id=\"G\" edgedefault=\"undirected\">\n", f);
    /* nodes: each distinct source/target once, in order of first use */
    for (size_t i = 0; i < r->nrows; i++)
        for (int side = 0; side < 2; side++) {
            long col = side ? dst : src, fc = side ? tf : sf;
            const char *name = r->cells[i * r->ncols + (size_t)col].s;
            if (!name)
                continue;
            int seen = 0;
            for (size_t j = 0; j <= i && !seen; j++)
                for (int s2 = 0; s2 < 2 && !seen; s2++) {
                    if (j == i && s2 >= side)
                        break;
                    const char *o =
                        r->cells[j * r->ncols + (size_t)(s2 ? dst : src)].s;
                    seen = o && strcmp(o, name) == 0;
                }
            if (seen)
                continue;
            fputs("    <node id=\"", f);
            xml_text(f, name);
            fputs("\"><data key=\"label\">", f);
            xml_text(f, name);
            fputs("</data>", f);
            if (fc >= 0)
                fprintf(f, "<data key=\"freq\">%s</data>",
                        cell_str(r, i, (size_t)fc, buf, sizeof buf));
            fputs("</node>\n", f);
        }
    for (size_t i = 0; i < r->nrows; i++) {
        const bg_cell *row = &r->cells[i * r->ncols];
        if (!row[src].s || !row[dst].s)
            continue;
        fprintf(f, "    <edge id=\"e%zu\" source=\"", i + 1);
        xml_text(f, row[src].s);
        fputs("\" target=\"", f);
        xml_text(f, row[dst].s);
        fputs("\">", f);
        for (size_t c = 0; c < r->ncols; c++) {
            if ((long)c == src || (long)c == dst || (long)c == sf ||
                (long)c == tf || row[c].null)
                continue;
            fprintf(f, "<data key=\"e_%s\">", r->names[c]);
            if (r->types[c] == BG_COL_REAL)
                fprintf(f, "%.17g", row[c].r);
            else
                xml_text(f, cell_str(r, i, c, buf, sizeof buf));
            fputs("</data>", f);
        }
        fputs("</edge>\n", f);
    }
    fputs("  </graph>\n</graphml>\n", f);
    return ferror(f) ? BG_EIO : 0;
}

/* ---- messages ------------------------------------------------------------
 */

void bg_output_message(FILE *f, const char *fmt, ...)
{
    char small[512], *s = small;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof small) {
        if (!(s = malloc((size_t)n + 1)))
            return;
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    size_t len = (size_t)n;
    for (size_t i = 0; i < len;) {
        size_t ok = bg_utf8_valid_prefix(s + i, len - i), k;
        for (k = 0; k < ok; k++) {
            unsigned char c = (unsigned char)s[i + k];
            if (c < 0x20 || c == 0x7F)
                break;
        }
        fwrite(s + i, 1, k, f);
        i += k;
        if (i >= len)
            break;
        unsigned char c = (unsigned char)s[i++];
        if (c == '\n')
            fputs("\\n", f);
        else if (c == '\r')
            fputs("\\r", f);
        else if (c == '\t')
            fputs("\\t", f);
        else
            fprintf(f, "\\x%02X", c);
    }
    fputc('\n', f);
    if (s != small)
        free(s);
}

void bg_output_lines(FILE *f, const char *prefix, const char *lines)
{
    for (const char *p = lines; p && *p;) {
        size_t n = strcspn(p, "\n");
        bg_output_message(f, "%s%.*s", prefix, (int)n, p);
        p += n + (p[n] == '\n');
    }
}
