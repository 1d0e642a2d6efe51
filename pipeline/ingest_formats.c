/*
 * ingest_formats.c - the text of HTML (libxml2's HTML parser), docx (libzip
 * and libxml2), JSON Lines / JSON (cJSON) and CSV (RFC 4180) sources.
 *
 * Threading: no shared state (libxml2 is initialised by its first use).
 * Offsets: byte offsets into the extracted text (bg_source.bytes), which
 * the index stores as source.text.
 */
#include "ingest_int.h"

#include <cjson/cJSON.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

/* ---- a text builder that squeezes blank lines --------------------------- */

typedef struct tb {
    bg_buf b;
    int oom;
} tb;

static void tb_add(tb *t, const char *s, size_t n)
{
    if (!t->oom && bg_buf_add(&t->b, s, n))
        t->oom = 1;
}

/* Ends the current line unless it is empty; never two blank lines. */
static void tb_newline(tb *t)
{
    if (t->b.len && t->b.data[t->b.len - 1] != '\n')
        tb_add(t, "\n", 1);
}

/* Appends HTML text with runs of ASCII white space collapsed to one space,
 * none at a line start. */
static void tb_html_text(tb *t, const char *s)
{
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') {
            if (t->b.len && t->b.data[t->b.len - 1] != '\n' &&
                t->b.data[t->b.len - 1] != ' ')
                tb_add(t, " ", 1);
            continue;
        }
        tb_add(t, s, 1);
    }
}

/* ---- HTML ---------------------------------------------------------------- */

static int is_block(const char *name)
{
    static const char *const blocks[] = {
        "p",          "div",    "h1",      "h2",      "h3",         "h4",
        "h5",         "h6",     "li",      "ul",      "ol",         "td",
        "th",         "tr",     "table",   "br",      "section",    "article",
        "header",     "footer", "nav",     "aside",   "blockquote", "pre",
        "dd",         "dt",     "dl",      "form",    "hr",         "figure",
        "figcaption", "main",   "address", "caption", "title"};
    for (size_t k = 0; k < sizeof blocks / sizeof *blocks; k++)
        if (strcasecmp(name, blocks[k]) == 0)
            return 1;
    return 0;
}

static void html_walk(xmlNode *n, tb *t)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                tb_html_text(t, (const char *)n->content);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        if (strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0 ||
            strcasecmp(name, "noscript") == 0 ||
            strcasecmp(name, "template") == 0 || strcasecmp(name, "head") == 0)
            continue;
        int block = is_block(name);
        if (block)
            tb_newline(t);
        html_walk(n->children, t);
        if (block)
            tb_newline(t);
        else if (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0)
            tb_add(t, "\t", 1);
    }
}

static xmlNode *find_elem(xmlNode *n, const char *name)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE &&
            strcasecmp((const char *)n->name, name) == 0)
            return n;
        xmlNode *c = find_elem(n->children, name);
        if (c)
            return c;
    }
    return NULL;
}

/* The content of <meta name=NAME>, trimmed; NULL when absent or blank.
 * Caller frees with xmlFree. */
static char *meta_content(xmlNode *head, const char *name)
{
    for (xmlNode *n = head ? head->children : NULL; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE ||
            strcasecmp((const char *)n->name, "meta") != 0)
            continue;
        xmlChar *nm = xmlGetProp(n, (const xmlChar *)"name");
        int hit = nm && strcasecmp((const char *)nm, name) == 0;
        xmlFree(nm);
        if (!hit)
            continue;
        xmlChar *c = xmlGetProp(n, (const xmlChar *)"content");
        const char *p = (const char *)c;
        while (p && (*p == ' ' || *p == '\t' || *p == '\n'))
            p++;
        if (!p || !*p) {
            xmlFree(c);
            return NULL;
        }
        return (char *)c;
    }
    return NULL;
}

/* Whether s holds something like an HTML tag: '<' then a letter, '/' or
 * '!', and a '>' after it (增速<5% or x<y的关系 do not). */
static int has_tag(const char *s)
{
    for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
        unsigned char c = (unsigned char)p[1];
        if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '/' || c == '!')
            if (strchr(p + 2, '>'))
                return 1;
    }
    return 0;
}

/* Some pages carry HTML markup in their title meta (the CCDI pages'
 * ArticleTitle holds escaped <p><span …>…</span></p>): replaces *title
 * (xmlMalloc'd) by its visible text, paragraphs joined by a space.
 * Returns 0 or BG_ENOMEM. */
static int markup_text(char **title)
{
    htmlDocPtr d = htmlReadMemory(*title, (int)strlen(*title), NULL, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                      HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (!d)
        return 0; /* not markup libxml2 reads: kept as it is */
    tb t = {0};
    xmlNode *root = xmlDocGetRootElement(d);
    xmlNode *body = find_elem(root, "body");
    html_walk(body ? body->children : root, &t);
    xmlFreeDoc(d);
    if (t.oom) {
        bg_buf_free(&t.b);
        return BG_ENOMEM;
    }
    char *p = t.b.data ? t.b.data : "";
    while (*p == '\n' || *p == ' ')
        p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == '\n' || p[n - 1] == ' '))
        n--;
    xmlChar *out = xmlStrndup((const xmlChar *)p, (int)n);
    for (xmlChar *c = out; c && *c; c++)
        if (*c == '\n')
            *c = ' ';
    bg_buf_free(&t.b);
    if (!out)
        return BG_ENOMEM;
    if (!*out) { /* no visible text: keep what was there */
        xmlFree(out);
        return 0;
    }
    xmlFree(*title);
    *title = (char *)out;
    return 0;
}

static int dup_into(char **field, const char *v)
{
    if (!v || *field)
        return 0;
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
        v++;
    if (!*v)
        return 0;
    if (!(*field = strdup(v)))
        return BG_ENOMEM;
    size_t n = strlen(*field);
    while (n && strchr(" \t\r\n", (*field)[n - 1]))
        (*field)[--n] = '\0';
    return 0;
}

int bg_ingest_html(bg_source *src, const char *file, size_t n,
                   const bg_ingest_opts *o, bg_err *err)
{
    (void)o;
    tb t = {0};
    int rc = 0;
    if (n > (size_t)INT32_MAX)
        return bg_err_set(err, BG_EINVAL, "%s: too large for libxml2",
                          src->path);
    htmlDocPtr doc = htmlReadMemory(file, (int)n, src->path, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET | HTML_PARSE_NOBLANKS);
    if (!doc)
        return bg_err_set(err, BG_EDATA, "%s: not HTML libxml2 can read",
                          src->path);
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *head = find_elem(root, "head");
    xmlNode *body = find_elem(root, "body");
    html_walk(body ? body->children : root, &t);
    tb_newline(&t);
    if (t.oom || bg_buf_reserve(&t.b, 1)) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        goto cleanup;
    }
    src->bytes = t.b.data;
    src->len = t.b.len;
    src->derived = 1;
    t.b.data = NULL;
    bg_docspan *d = bg_ingest_add_doc(src, 0, src->len);
    if (!d) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        goto cleanup;
    }
    char *title = meta_content(head, "ArticleTitle");
    if (!title) {
        xmlNode *tn = find_elem(head, "title");
        title = tn ? (char *)xmlNodeGetContent(tn) : NULL;
    }
    if (title && has_tag(title) && (rc = markup_text(&title))) {
        xmlFree(title);
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        goto cleanup;
    }
    char *date = meta_content(head, "PubDate");
    char *org = meta_content(head, "ContentSource");
    char iso[11];
    rc = dup_into(&d->title, title) || dup_into(&d->org, org);
    if (!rc && date && bg_ingest_parse_date(date, strlen(date), 0, iso)) {
        rc = dup_into(&d->date, iso);
        d->year = atoi(iso);
    }
    xmlFree(title);
    xmlFree(date);
    xmlFree(org);
    if (rc)
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
cleanup:
    bg_buf_free(&t.b);
    xmlFreeDoc(doc);
    return rc;
}

/* ---- docx ---------------------------------------------------------------- */

static int is_w(xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           strcmp((const char *)n->name, name) == 0;
}

/* w:val of the first child element `name` of n, or NULL (xmlFree). */
static xmlChar *child_val(xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_w(c, name)) {
            xmlChar *v = xmlGetProp(c, (const xmlChar *)"val");
            return v;
        }
    return NULL;
}

/* Outline level 1-9 of a style name such as "heading 2" or "标题 2". */
static int level_of_name(const char *name)
{
    const char *p = NULL;
    if (strncasecmp(name, "heading", 7) == 0)
        p = name + 7;
    else if (strncmp(name, "标题", 6) == 0)
        p = name + 6;
    if (!p)
        return 0;
    while (*p == ' ')
        p++;
    return p[0] >= '1' && p[0] <= '9' && !p[1] ? p[0] - '0' : 0;
}

typedef struct style_map {
    char **ids;
    int *levels;
    size_t n;
} style_map;

static void styles_free(style_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->ids[i]);
    free(m->ids);
    free(m->levels);
}

/* Reads entry name of z into *out (malloc'd, NUL-terminated). Returns 0,
 * BG_ENOTFOUND (no such entry, or it does not read) or BG_ENOMEM. */
static int read_zip_entry(zip_t *z, const char *name, char **out, size_t *len)
{
    zip_stat_t st;
    *out = NULL;
    if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return BG_ENOTFOUND;
    char *b = malloc(st.size + 1);
    if (!b)
        return BG_ENOMEM;
    zip_file_t *f = zip_fopen(z, name, 0);
    zip_int64_t got = f ? zip_fread(f, b, st.size) : -1;
    if (f)
        zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(b);
        return BG_ENOTFOUND;
    }
    b[st.size] = '\0';
    *out = b;
    *len = st.size;
    return 0;
}

/* The heading styles of z into m. Returns 0 or BG_ENOMEM. */
static int load_styles(zip_t *z, style_map *m)
{
    char *x;
    size_t n;
    memset(m, 0, sizeof *m);
    int rc = read_zip_entry(z, "word/styles.xml", &x, &n);
    if (rc)
        return rc == BG_ENOMEM ? rc : 0; /* no styles: no headings */
    xmlDocPtr doc = xmlReadMemory(x, (int)n, "styles.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    free(x);
    if (!doc)
        return 0;
    xmlNode *root = xmlDocGetRootElement(doc);
    for (xmlNode *s = root ? root->children : NULL; s; s = s->next) {
        if (!is_w(s, "style"))
            continue;
        xmlChar *id = xmlGetProp(s, (const xmlChar *)"styleId");
        xmlChar *name = child_val(s, "name");
        int level = name ? level_of_name((const char *)name) : 0;
        for (xmlNode *c = s->children; c && !level; c = c->next)
            if (is_w(c, "pPr")) {
                xmlChar *ol = child_val(c, "outlineLvl");
                if (ol && atoi((const char *)ol) < 9)
                    level = atoi((const char *)ol) + 1;
                xmlFree(ol);
            }
        if (id && level) {
            char **ids = realloc(m->ids, (m->n + 1) * sizeof *ids);
            int *lv = ids ? realloc(m->levels, (m->n + 1) * sizeof *lv) : NULL;
            if (ids)
                m->ids = ids;
            if (lv)
                m->levels = lv;
            if (ids && lv && (ids[m->n] = strdup((const char *)id))) {
                lv[m->n] = level;
                m->n++;
            } else {
                rc = BG_ENOMEM;
            }
        }
        xmlFree(id);
        xmlFree(name);
    }
    xmlFreeDoc(doc);
    return rc;
}

typedef struct docx_walk {
    tb t;
    const style_map *styles;
    bg_range *heads;
    int *levels;
    size_t nheads;
    int oom;
} docx_walk;

static void para_text(xmlNode *n, tb *t)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_w(n, "t") || is_w(n, "delText")) {
            if (is_w(n, "t")) {
                xmlChar *c = xmlNodeGetContent(n);
                if (c)
                    tb_add(t, (const char *)c, strlen((const char *)c));
                xmlFree(c);
            }
            continue;
        }
        if (is_w(n, "tab")) {
            tb_add(t, "\t", 1);
            continue;
        }
        if (is_w(n, "br") || is_w(n, "cr")) {
            tb_add(t, "\n", 1);
            continue;
        }
        if (is_w(n, "pPr") || is_w(n, "rPr") || is_w(n, "del"))
            continue;
        para_text(n->children, t);
    }
}

static int para_level(xmlNode *p, const style_map *m)
{
    for (xmlNode *c = p->children; c; c = c->next) {
        if (!is_w(c, "pPr"))
            continue;
        int level = 0;
        xmlChar *ol = child_val(c, "outlineLvl");
        if (ol && atoi((const char *)ol) < 9)
            level = atoi((const char *)ol) + 1;
        xmlFree(ol);
        xmlChar *st = child_val(c, "pStyle");
        for (size_t i = 0; st && !level && i < m->n; i++)
            if (strcmp(m->ids[i], (const char *)st) == 0)
                level = m->levels[i];
        xmlFree(st);
        return level;
    }
    return 0;
}

static void docx_paras(xmlNode *n, docx_walk *w)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_w(n, "p")) {
            size_t start = w->t.b.len;
            para_text(n->children, &w->t);
            int level = para_level(n, w->styles);
            if (level && w->t.b.len > start) {
                bg_range *h = realloc(w->heads, (w->nheads + 1) * sizeof *h);
                int *l =
                    h ? realloc(w->levels, (w->nheads + 1) * sizeof *l) : NULL;
                if (h)
                    w->heads = h;
                if (l)
                    w->levels = l;
                if (!h || !l) {
                    w->oom = 1;
                    return;
                }
                h[w->nheads].start = start;
                h[w->nheads].end = w->t.b.len;
                l[w->nheads++] = level;
            }
            tb_add(&w->t, "\n", 1);
            continue;
        }
        docx_paras(n->children, w);
    }
}

int bg_ingest_docx(bg_source *src, const char *file, size_t n,
                   const bg_ingest_opts *o, bg_err *err)
{
    (void)o;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *zs = zip_source_buffer_create(file, n, 0, &ze);
    zip_t *z = zs ? zip_open_from_source(zs, ZIP_RDONLY, &ze) : NULL;
    docx_walk w = {0};
    style_map m = {0};
    char *x = NULL;
    size_t xlen;
    xmlDocPtr doc = NULL;
    int rc = 0;
    if (!z) {
        rc = bg_err_set(err, BG_EDATA, "%s: not a docx (zip: %s)", src->path,
                        zip_error_strerror(&ze));
        zip_source_free(zs);
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    if ((rc = read_zip_entry(z, "word/document.xml", &x, &xlen)) ||
        (rc = load_styles(z, &m))) {
        rc =
            rc == BG_ENOMEM
                ? bg_err_set(err, rc, "%s: out of memory", src->path)
                : bg_err_set(err, BG_EDATA,
                             "%s: not a docx: no word/document.xml", src->path);
        goto cleanup;
    }
    doc = xmlReadMemory(x, (int)xlen, "document.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!doc) {
        rc = bg_err_set(err, BG_EDATA,
                        "%s: word/document.xml is not well-formed XML",
                        src->path);
        goto cleanup;
    }
    w.styles = &m;
    docx_paras(xmlDocGetRootElement(doc), &w);
    if (w.oom || w.t.oom || bg_buf_reserve(&w.t.b, 1)) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        goto cleanup;
    }
    src->bytes = w.t.b.data;
    src->len = w.t.b.len;
    src->derived = 1;
    w.t.b.data = NULL;
    bg_docspan *d = bg_ingest_add_doc(src, 0, src->len);
    if (!d) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        goto cleanup;
    }
    d->headings = w.heads;
    d->levels = w.levels;
    d->nheadings = w.nheads;
    w.heads = NULL;
    w.levels = NULL;
cleanup:
    free(x);
    free(w.heads);
    free(w.levels);
    bg_buf_free(&w.t.b);
    styles_free(&m);
    xmlFreeDoc(doc);
    zip_close(z);
    return rc;
}

/* ---- records: JSON Lines, JSON, CSV ------------------------------------- */

/* Parses RFC 4180 CSV text[0, n) into an array of objects keyed by the
 * header row. Returns 0, BG_EDATA (unterminated quote, with its line) or
 * BG_ENOMEM. */
static int parse_csv(const bg_source *src, const char *s, size_t n, cJSON **out,
                     bg_err *err)
{
    cJSON *rows = cJSON_CreateArray(), *hdr = cJSON_CreateArray(),
          *cur = cJSON_CreateArray();
    bg_buf f = {0};
    size_t i = 0, line = 1, rec_line = 1;
    int rc = 0, have_hdr = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    if (!rows || !hdr || !cur)
        goto oom;
    while (i <= n) {
        int quoted = 0;
        f.len = 0;
        if (bg_buf_reserve(&f, 1))
            goto oom;
        if (i < n && s[i] == '"') {
            quoted = 1;
            i++;
            for (;;) {
                if (i >= n) {
                    rc = bg_err_set(err, BG_EDATA,
                                    "%s:%zu: unterminated quoted field",
                                    src->path, rec_line);
                    goto cleanup;
                }
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        if (bg_buf_add(&f, "\"", 1))
                            goto oom;
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (s[i] == '\n')
                    line++;
                if (bg_buf_add(&f, s + i, 1))
                    goto oom;
                i++;
            }
        }
        while (i < n && s[i] != ',' && s[i] != '\n' &&
               !(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')) {
            if (bg_buf_add(&f, s + i, 1))
                goto oom;
            i++;
        }
        (void)quoted;
        cJSON *v = cJSON_CreateString(f.data ? f.data : "");
        if (!v || !cJSON_AddItemToArray(cur, v))
            goto oom;
        if (i < n && s[i] == ',') {
            i++;
            continue;
        }
        /* end of record */
        if (i < n && s[i] == '\r')
            i++;
        i++;
        line++;
        rec_line = line;
        int blank = cJSON_GetArraySize(cur) == 1 &&
                    !cJSON_GetArrayItem(cur, 0)->valuestring[0];
        if (!have_hdr) {
            cJSON_Delete(hdr);
            hdr = cur;
            have_hdr = 1;
        } else if (!blank) {
            cJSON *obj = cJSON_CreateObject();
            if (!obj || !cJSON_AddItemToArray(rows, obj))
                goto oom;
            int k = 0;
            cJSON *h, *c = cur->child;
            cJSON_ArrayForEach(h, hdr)
            {
                cJSON *val = c ? cJSON_Duplicate(c, 0) : cJSON_CreateString("");
                if (!val)
                    goto oom;
                cJSON_AddItemToObject(obj, h->valuestring, val);
                c = c ? c->next : NULL;
                k++;
            }
            cJSON_Delete(cur);
        } else {
            cJSON_Delete(cur);
        }
        cur = cJSON_CreateArray();
        if (!cur)
            goto oom;
        if (i >= n)
            break;
    }
    *out = rows;
    rows = NULL;
    goto cleanup;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
cleanup:
    cJSON_Delete(rows);
    if (hdr != cur)
        cJSON_Delete(hdr);
    cJSON_Delete(cur);
    bg_buf_free(&f);
    return rc;
}

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

/* The value of a record's field as text: strings as they are, numbers in
 * their shortest form, NULL for null/absent/other. Caller frees. */
static char *field_text(const cJSON *rec, const char *key)
{
    const cJSON *v = key ? cJSON_GetObjectItemCaseSensitive(rec, key) : NULL;
    char buf[64];
    if (cJSON_IsString(v))
        return strdup(v->valuestring);
    if (cJSON_IsNumber(v)) {
        if (v->valuedouble == (double)(long long)v->valuedouble)
            snprintf(buf, sizeof buf, "%lld", (long long)v->valuedouble);
        else
            snprintf(buf, sizeof buf, "%g", v->valuedouble);
        return strdup(buf);
    }
    return NULL;
}

typedef struct fields {
    const char *text, *title, *date, *year, *id;
} fields;

static void guess_fields(const cJSON *recs, const bg_ingest_opts *o, fields *f)
{
    static const char *const title_w[] = {"title", "标题", "主题", "name",
                                          "名称"};
    static const char *const date_w[] = {"date", "日期", "时间", "time"};
    static const char *const year_w[] = {"year", "年份"};
    static const char *const id_w[] = {"id", "编号", "url", "链接"};
    const cJSON *first = recs->child;
    size_t best_len = 0;
    memset(f, 0, sizeof *f);
    if (o) {
        f->text = o->text_field;
        f->title = o->title_field;
        f->date = o->date_field;
        f->id = o->id_field;
    }
    if (!first)
        return;
    for (const cJSON *k = first->child; k; k = k->next) {
        const char *key = k->string;
        if (!f->text) {
            size_t total = 0, r = 0;
            for (const cJSON *rec = recs->child; rec && r < 50;
                 rec = rec->next, r++) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
                if (cJSON_IsString(v))
                    total += strlen(v->valuestring);
            }
            if (total > best_len) {
                best_len = total;
                f->text = NULL; /* decided after the loop */
            }
        }
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
    }
    if (!(o && o->text_field)) {
        best_len = 0;
        for (const cJSON *k = first->child; k; k = k->next) {
            size_t total = 0, r = 0;
            for (const cJSON *rec = recs->child; rec && r < 50;
                 rec = rec->next, r++) {
                const cJSON *v =
                    cJSON_GetObjectItemCaseSensitive(rec, k->string);
                if (cJSON_IsString(v))
                    total += strlen(v->valuestring);
            }
            if (total > best_len) {
                best_len = total;
                f->text = k->string;
            }
        }
    }
    if (f->title && f->text && strcmp(f->title, f->text) == 0)
        f->title = NULL;
}

static int record_doc(bg_source *src, tb *t, const cJSON *rec, const fields *f,
                      const bg_ingest_opts *o, size_t *empty)
{
    char *text = field_text(rec, f->text);
    int rc = 0;
    if (!text || !*text) {
        (*empty)++;
        free(text);
        return 0;
    }
    size_t start = t->b.len;
    tb_add(t, text, strlen(text));
    size_t end = t->b.len;
    tb_add(t, "\n\n", 2);
    free(text);
    if (t->oom)
        return BG_ENOMEM;
    bg_docspan *d = bg_ingest_add_doc(src, start, end);
    if (!d)
        return BG_ENOMEM;
    char *title = field_text(rec, f->title), *date = field_text(rec, f->date),
         *year = field_text(rec, f->year);
    char iso[11];
    if (title && *title)
        d->title = title, title = NULL;
    if (date && bg_ingest_parse_date(date, strlen(date), 0, iso)) {
        if (!(d->date = strdup(iso)))
            rc = BG_ENOMEM;
        d->year = atoi(iso);
    }
    if (year && atoi(year) >= 1000)
        d->year = atoi(year);
    free(title);
    free(date);
    free(year);
    /* id and --meta-field values, as a JSON object */
    cJSON *meta = cJSON_CreateObject();
    if (!meta)
        return BG_ENOMEM;
    if (f->id) {
        char *id = field_text(rec, f->id);
        if (id)
            cJSON_AddStringToObject(meta, "id", id);
        free(id);
    }
    if (o && o->meta_fields) {
        char *list = strdup(o->meta_fields), *save = NULL;
        for (char *k = list ? strtok_r(list, ",", &save) : NULL; k;
             k = strtok_r(NULL, ",", &save)) {
            char *v = field_text(rec, k);
            if (v)
                cJSON_AddStringToObject(meta, k, v);
            free(v);
        }
        free(list);
    }
    if (meta->child && !(d->meta = cJSON_PrintUnformatted(meta)))
        rc = BG_ENOMEM;
    cJSON_Delete(meta);
    return rc;
}

int bg_ingest_records(bg_source *src, const char *text, size_t n,
                      bg_src_format kind, const bg_ingest_opts *o, bg_err *err)
{
    cJSON *recs = NULL;
    tb t = {0};
    fields f;
    size_t empty = 0;
    int rc = 0;
    if (kind == BG_SRC_CSV) {
        if ((rc = parse_csv(src, text, n, &recs, err)))
            return rc;
    } else if (kind == BG_SRC_JSON) {
        const char *end = NULL;
        size_t skip = n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        recs = cJSON_ParseWithLengthOpts(text + skip, n - skip, &end, 0);
        if (!recs) {
            size_t at = end ? (size_t)(end - text) : 0;
            return bg_err_set(err, BG_EDATA, "%s: byte %zu: malformed JSON",
                              src->path, at);
        }
        if (cJSON_IsObject(recs)) {
            cJSON *arr = cJSON_CreateArray();
            if (!arr || !cJSON_AddItemToArray(arr, recs)) {
                cJSON_Delete(recs);
                cJSON_Delete(arr);
                return bg_err_set(err, BG_ENOMEM, "%s: out of memory",
                                  src->path);
            }
            recs = arr;
        } else if (!cJSON_IsArray(recs)) {
            cJSON_Delete(recs);
            return bg_err_set(err, BG_EDATA,
                              "%s: JSON is neither an object nor an array of "
                              "objects",
                              src->path);
        }
    } else {
        recs = cJSON_CreateArray();
        size_t i = n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0,
               line = 1;
        while (recs && i < n) {
            const char *nl = memchr(text + i, '\n', n - i);
            size_t eol = nl ? (size_t)(nl - text) : n, a = i;
            while (a < eol && strchr(" \t\r", text[a]))
                a++;
            if (a < eol) {
                cJSON *r = cJSON_ParseWithLength(text + a, eol - a);
                if (!cJSON_IsObject(r)) {
                    cJSON_Delete(r);
                    cJSON_Delete(recs);
                    return bg_err_set(err, BG_EDATA,
                                      "%s:%zu: not a JSON object", src->path,
                                      line);
                }
                cJSON_AddItemToArray(recs, r);
            }
            i = eol + 1;
            line++;
        }
        if (!recs)
            return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    }
    guess_fields(recs, o, &f);
    if (!f.text && cJSON_GetArraySize(recs) > 0) {
        rc = bg_err_set(err, BG_EINVAL,
                        "%s: no text field found (name one with --text-field)",
                        src->path);
        goto cleanup;
    }
    cJSON *rec;
    cJSON_ArrayForEach(rec, recs)
    {
        if (!cJSON_IsObject(rec))
            continue;
        if ((rc = record_doc(src, &t, rec, &f, o, &empty))) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
            goto cleanup;
        }
    }
    if (bg_buf_reserve(&t.b, 1)) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        goto cleanup;
    }
    if (empty && bg_ingest_warn(src,
                                "%zu record%s with an empty \"%s\" field "
                                "skipped",
                                empty, empty == 1 ? "" : "s", f.text)) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        goto cleanup;
    }
    src->bytes = t.b.data;
    src->len = t.b.len;
    src->derived = 1;
    t.b.data = NULL;
cleanup:
    bg_buf_free(&t.b);
    cJSON_Delete(recs);
    return rc;
}
