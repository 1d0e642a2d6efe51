/*
 * ingest_formats.c - the text of HTML (libxml2's HTML parser) and docx
 * (libzip and libxml2) sources, and the zip and XML part readers that the
 * xlsx reader (ingest_xlsx.c) shares.
 *
 * Threading: no shared state (libxml2 is initialised by its first use).
 * Offsets: byte offsets into the extracted text (bg_source.bytes), which
 * the index stores as source.text.
 */
#include "ingest_int.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
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

static int html_skipped(const char *name)
{
    return strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0 ||
           strcasecmp(name, "noscript") == 0 ||
           strcasecmp(name, "template") == 0 || strcasecmp(name, "head") == 0;
}

/* The visible text of the nodes from first on (and their descendants),
 * in document order. Iterative, with the parent links: a page nested
 * thousands deep (old pages leave <font> unclosed) must not exhaust the
 * stack. */
static void html_walk(xmlNode *first, tb *t)
{
    xmlNode *stop = first ? first->parent : NULL, *n = first;
    while (n) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                tb_html_text(t, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE &&
                   !html_skipped((const char *)n->name)) {
            int block = is_block((const char *)n->name);
            if (block)
                tb_newline(t);
            if (n->children) {
                n = n->children; /* its end is handled on the way up */
                continue;
            }
            if (block)
                tb_newline(t);
        }
        /* the next node: a sibling, else up, ending each element left */
        while (!n->next) {
            n = n->parent;
            if (!n || n == stop)
                return;
            if (n->type == XML_ELEMENT_NODE && is_block((const char *)n->name))
                tb_newline(t);
        }
        n = n->next;
    }
}

/* The first element named name (any case) at or below the nodes from n on,
 * in document order; NULL when none. Iterative, like html_walk. */
static xmlNode *find_elem(xmlNode *n, const char *name)
{
    xmlNode *stop = n ? n->parent : NULL;
    while (n) {
        if (n->type == XML_ELEMENT_NODE &&
            strcasecmp((const char *)n->name, name) == 0)
            return n;
        if (n->children && n->type == XML_ELEMENT_NODE) {
            n = n->children;
            continue;
        }
        while (!n->next) {
            n = n->parent;
            if (!n || n == stop)
                return NULL;
        }
        n = n->next;
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
    const char *p = t.b.data ? t.b.data : "";
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
    htmlDocPtr doc = htmlReadMemory(
        file, (int)n, src->path, "UTF-8",
        HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
            HTML_PARSE_NONET | HTML_PARSE_NOBLANKS | XML_PARSE_HUGE);
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
    int page_title = !title;
    if (!title) {
        xmlNode *tn = find_elem(head, "title");
        title = tn ? (char *)xmlNodeGetContent(tn) : NULL;
    }
    if (title && has_tag(title) && (rc = markup_text(&title))) {
        xmlFree(title);
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        goto cleanup;
    }
    if (title)
        bg_ingest_title_clean(title, page_title);
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

/* Reads the zip entry `name` into *out (malloc'd, NUL-terminated) and its
 * length into *len, at most BG_ZIP_PART_MAX bytes whatever the entry's header
 * claims (a zip bomb inflates gigabytes from a few megabytes). Returns 0,
 * BG_ENOTFOUND (no such entry, or it does not read), BG_EDATA (larger than
 * the limit; *len holds the size reached or claimed) or BG_ENOMEM. */
int bg_ingest_zip_open(const bg_source *src, const char *file, size_t n,
                       const char *what, zip_t **out, bg_err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *zs = zip_source_buffer_create(file, n, 0, &ze);
    *out = zs ? zip_open_from_source(zs, ZIP_RDONLY, &ze) : NULL;
    int rc = 0;
    if (!*out) {
        /* a local file header first: a zip cut short or damaged (its
         * central directory, at the end, is what libzip reads first) */
        if (n >= 8 && memcmp(file, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
            /* the OLE2 signature: a .doc or .xls given the newer name */
            rc =
                bg_err_set(err, BG_EDATA,
                           "%s: not %s: an OLE2 compound file (a Word or Excel "
                           "97-2003 .doc or .xls under another name); save it "
                           "as .docx or .xlsx",
                           src->path, what);
        else if (n >= 4 && memcmp(file, "PK\3\4", 4) == 0)
            rc = bg_err_set(err, BG_EDATA,
                            "%s: not read as %s: a truncated or damaged zip "
                            "archive (%zu bytes; zip: %s)",
                            src->path, what, n, zip_error_strerror(&ze));
        else
            rc = bg_err_set(err, BG_EDATA, "%s: not %s (zip: %s)", src->path,
                            what, zip_error_strerror(&ze));
        zip_source_free(zs);
    }
    zip_error_fini(&ze);
    return rc;
}

int bg_ingest_zip_damaged(const bg_source *src, const char *name, bg_err *err)
{
    return bg_err_set(err, BG_EDATA,
                      "%s: %s does not read: a damaged zip entry (a deflate "
                      "or CRC error), or encrypted",
                      src->path, name);
}

int bg_ingest_zip_entry(zip_t *z, const char *name, char **out, size_t *len)
{
    zip_stat_t st;
    *out = NULL;
    *len = 0;
    if (zip_stat(z, name, 0, &st) != 0)
        return BG_ENOTFOUND;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > BG_ZIP_PART_MAX) {
        *len = (size_t)st.size;
        return BG_EDATA;
    }
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f)
        return BG_EIO; /* listed, but encrypted or of an unknown method */
    bg_buf b = {0};
    int rc = 0;
    for (;;) {
        if (bg_buf_reserve(&b, 65536)) {
            rc = BG_ENOMEM;
            break;
        }
        zip_int64_t got = zip_fread(f, b.data + b.len, 65536);
        if (got < 0) {
            rc = BG_EIO; /* a deflate or CRC error: damaged data */
            break;
        }
        if (got == 0)
            break;
        b.len += (size_t)got;
        b.data[b.len] = '\0';
        if (b.len > BG_ZIP_PART_MAX) {
            *len = b.len;
            rc = BG_EDATA;
            break;
        }
    }
    zip_fclose(f);
    if (rc) {
        bg_buf_free(&b);
        return rc;
    }
    if (!b.data && bg_buf_reserve(&b, 0))
        return BG_ENOMEM;
    *out = b.data;
    *len = b.len;
    return 0;
}

static int load_styles(zip_t *z, style_map *m)
{
    char *x;
    size_t n;
    memset(m, 0, sizeof *m);
    int rc = bg_ingest_zip_entry(z, "word/styles.xml", &x, &n);
    if (rc)
        return rc == BG_ENOMEM ? rc : 0; /* no styles: no headings */
    /* libxml2's default limits (no XML_PARSE_HUGE): depth 256, entity
     * amplification checked; a DTD (Word writes none) is not read */
    xmlDocPtr doc = xmlReadMemory(x, (int)n, "styles.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING);
    free(x);
    if (!doc)
        return 0;
    if (doc->intSubset) {
        xmlFreeDoc(doc);
        return 0;
    }
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

/* The docx part readers: libxml2's streaming reader, which keeps no tree
 * (memory stays flat however large the part) and walks without recursion.
 * A part nested deeper than libxml2's limit (256 without XML_PARSE_HUGE)
 * or declaring a DTD (entity expansion; Word writes none) is refused. */

/* The first parse error of a part, for the refusal. */
static void xml_error_cb(void *payload, xmlErrorPtr e)
{
    xml_fail *f = payload;
    if (f->set || !e || e->level < XML_ERR_ERROR)
        return;
    f->set = 1;
    f->line = e->line;
    snprintf(f->msg, sizeof f->msg, "%s", e->message ? e->message : "error");
    size_t n = strlen(f->msg);
    while (n && (f->msg[n - 1] == '\n' || f->msg[n - 1] == ' '))
        f->msg[--n] = '\0';
}

xmlTextReaderPtr bg_ingest_xml_reader(const char *x, size_t n, const char *name,
                                      xml_fail *fail)
{
    xmlTextReaderPtr rd = xmlReaderForMemory(
        x, (int)n, name, NULL,
        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (rd)
        xmlTextReaderSetStructuredErrorHandler(rd, xml_error_cb, fail);
    return rd;
}

/* The value of the attribute with local name `val` (any namespace) of the
 * reader's element: Word's w:val. Caller frees with xmlFree; NULL when
 * absent. */
static xmlChar *reader_val(xmlTextReaderPtr rd)
{
    xmlChar *v = NULL;
    if (xmlTextReaderMoveToFirstAttribute(rd) != 1)
        return NULL;
    do {
        const xmlChar *ln = xmlTextReaderConstLocalName(rd);
        if (ln && strcmp((const char *)ln, "val") == 0) {
            v = xmlTextReaderValue(rd);
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(rd) == 1);
    xmlTextReaderMoveToElement(rd);
    return v;
}

/* Reports a part's refusal: a parse error with its line, the depth limit,
 * or a DTD. Returns BG_EDATA. */
int bg_ingest_xml_refused(const bg_source *src, const char *part,
                          const xml_fail *fail, int dtd, bg_err *err)
{
    if (dtd)
        return bg_err_set(err, BG_EDATA,
                          "%s: %s declares a DTD (Word writes none; refused: "
                          "entity expansion is not read)",
                          src->path, part);
    if (fail->set && strstr(fail->msg, "depth"))
        return bg_err_set(err, BG_EDATA,
                          "%s: %s:%d: elements nested deeper than the limit "
                          "of 256",
                          src->path, part, fail->line);
    if (fail->set)
        return bg_err_set(err, BG_EDATA, "%s: %s:%d: not well-formed XML (%s)",
                          src->path, part, fail->line, fail->msg);
    return bg_err_set(err, BG_EDATA, "%s: %s is not well-formed XML", src->path,
                      part);
}

typedef struct docx_walk {
    tb t;
    const style_map *styles;
    bg_range *heads;
    int *levels;
    size_t nheads;
    int oom;
} docx_walk;

/* Records paragraph [start, t.len) as a heading of level when it has
 * text. */
static void add_heading(docx_walk *w, size_t start, int level)
{
    if (!level || w->t.b.len <= start)
        return;
    bg_range *h = realloc(w->heads, (w->nheads + 1) * sizeof *h);
    if (h)
        w->heads = h;
    int *l = h ? realloc(w->levels, (w->nheads + 1) * sizeof *l) : NULL;
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

/* Outline level of a paragraph from its properties: w:outlineLvl (0-8),
 * else its style's level. */
static int style_level(const style_map *m, const char *style)
{
    for (size_t i = 0; style && i < m->n; i++)
        if (strcmp(m->ids[i], style) == 0)
            return m->levels[i];
    return 0;
}

/* word/document.xml: one line per paragraph (w:p; a paragraph inside
 * another, as in a text box, runs on in it), w:t text, w:tab as TAB,
 * w:br / w:cr as a line end; properties (w:pPr, w:rPr) and deleted text
 * (w:del, w:delText) give no text; the first w:pPr of a paragraph gives
 * its outline level. Returns 0, 1 (a DTD) or -1 (a parse error). */
static int docx_paras(xmlTextReaderPtr rd, docx_walk *w)
{
    int p_depth = -1, skip_depth = -1, t_depth = -1, ppr_depth = -1;
    int seen_ppr = 0, outline = 0, r;
    xmlChar *style = NULL;
    size_t p_start = 0;
    while ((r = xmlTextReaderRead(rd)) == 1 && !w->oom && !w->t.oom) {
        int type = xmlTextReaderNodeType(rd), depth = xmlTextReaderDepth(rd);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            xmlFree(style);
            return 1;
        }
        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (depth == skip_depth)
                skip_depth = -1;
            if (depth == t_depth)
                t_depth = -1;
            if (depth == ppr_depth)
                ppr_depth = -1;
            if (depth == p_depth) {
                int level = outline
                                ? outline
                                : style_level(w->styles, (const char *)style);
                add_heading(w, p_start, level);
                tb_add(&w->t, "\n", 1);
                p_depth = -1;
                xmlFree(style);
                style = NULL;
            }
            continue;
        }
        if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
            type == XML_READER_TYPE_WHITESPACE ||
            type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            if (t_depth >= 0 && skip_depth < 0) {
                const xmlChar *v = xmlTextReaderConstValue(rd);
                if (v)
                    tb_add(&w->t, (const char *)v, strlen((const char *)v));
            }
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        const char *name = (const char *)xmlTextReaderConstLocalName(rd);
        int empty = xmlTextReaderIsEmptyElement(rd);
        if (!name)
            continue;
        if (ppr_depth >= 0 && depth == ppr_depth + 1) {
            /* the paragraph's own properties */
            if (strcmp(name, "outlineLvl") == 0) {
                xmlChar *v = reader_val(rd);
                if (v && atoi((const char *)v) >= 0 &&
                    atoi((const char *)v) < 9)
                    outline = atoi((const char *)v) + 1;
                xmlFree(v);
            } else if (strcmp(name, "pStyle") == 0 && !style) {
                style = reader_val(rd);
            }
        }
        if (p_depth < 0) {
            if (strcmp(name, "p") != 0)
                continue;
            p_start = w->t.b.len;
            seen_ppr = outline = 0;
            if (empty) { /* <w:p/>: an empty line */
                tb_add(&w->t, "\n", 1);
                continue;
            }
            p_depth = depth;
            continue;
        }
        if (skip_depth >= 0)
            continue;
        if (strcmp(name, "pPr") == 0 || strcmp(name, "rPr") == 0 ||
            strcmp(name, "del") == 0 || strcmp(name, "delText") == 0) {
            if (strcmp(name, "pPr") == 0 && depth == p_depth + 1 && !seen_ppr) {
                seen_ppr = 1;
                if (!empty)
                    ppr_depth = depth;
            }
            if (!empty)
                skip_depth = depth;
            continue;
        }
        if (t_depth >= 0)
            continue;
        if (strcmp(name, "t") == 0) {
            if (!empty)
                t_depth = depth;
        } else if (strcmp(name, "tab") == 0) {
            tb_add(&w->t, "\t", 1);
        } else if (strcmp(name, "br") == 0 || strcmp(name, "cr") == 0) {
            tb_add(&w->t, "\n", 1);
        }
    }
    xmlFree(style);
    return r < 0 ? -1 : 0;
}

/* docProps/core.xml: the title (dc:title) and creation date
 * (dcterms:created) into *title and *date (malloc'd, NULL when absent or
 * blank). dc:creator is not read: in the 31 docx reports of
 * ../shared/corpus it is the account that saved the file (dell, ZSY,
 * jianye), never the report's author. Returns 0 or BG_ENOMEM; a part that
 * does not parse gives nothing. */
static int core_props(zip_t *z, char **title, char **date)
{
    char *x;
    size_t n;
    xml_fail fail = {0};
    int rc = 0;
    *title = *date = NULL;
    if ((rc = bg_ingest_zip_entry(z, "docProps/core.xml", &x, &n)))
        return rc == BG_ENOMEM ? rc : 0;
    xmlTextReaderPtr rd = bg_ingest_xml_reader(x, n, "core.xml", &fail);
    while (rd && xmlTextReaderRead(rd) == 1 && rc == 0) {
        int type = xmlTextReaderNodeType(rd);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            break;
        if (type != XML_READER_TYPE_ELEMENT || xmlTextReaderDepth(rd) != 1)
            continue;
        const char *name = (const char *)xmlTextReaderConstLocalName(rd);
        char **slot = !name                          ? NULL
                      : strcmp(name, "title") == 0   ? title
                      : strcmp(name, "created") == 0 ? date
                                                     : NULL;
        if (!slot || *slot)
            continue;
        xmlChar *v = xmlTextReaderReadString(rd);
        rc = dup_into(slot, (const char *)v);
        xmlFree(v);
    }
    xmlFreeTextReader(rd);
    free(x);
    return rc;
}

int bg_ingest_docx(bg_source *src, const char *file, size_t n,
                   const bg_ingest_opts *o, char **prop_date, bg_err *err)
{
    (void)o;
    zip_t *z = NULL;
    docx_walk w = {0};
    style_map m = {0};
    char *x = NULL, *title = NULL;
    size_t xlen;
    xmlTextReaderPtr rd = NULL;
    xml_fail fail = {0};
    int rc = 0;
    *prop_date = NULL;
    if ((rc = bg_ingest_zip_open(src, file, n, "a docx", &z, err)))
        return rc;
    if ((rc = bg_ingest_zip_entry(z, "word/document.xml", &x, &xlen)) ||
        (rc = load_styles(z, &m))) {
        rc =
            rc == BG_ENOMEM
                ? bg_err_set(err, rc, "%s: out of memory", src->path)
            : rc == BG_EDATA
                ? bg_err_set(err, BG_EDATA,
                             "%s: word/document.xml inflates to more than "
                             "the limit of %d MB (a zip bomb?)",
                             src->path, (int)(BG_ZIP_PART_MAX >> 20))
            : rc == BG_EIO
                ? bg_ingest_zip_damaged(src, "word/document.xml", err)
                : bg_err_set(err, BG_EDATA,
                             "%s: not a docx: no word/document.xml", src->path);
        goto cleanup;
    }
    if (!(rd = bg_ingest_xml_reader(x, xlen, "document.xml", &fail))) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        goto cleanup;
    }
    w.styles = &m;
    int walked = docx_paras(rd, &w);
    if (!w.oom && !w.t.oom && walked) {
        rc = bg_ingest_xml_refused(src, "word/document.xml", &fail, walked == 1,
                                   err);
        goto cleanup;
    }
    if (w.oom || w.t.oom || bg_buf_reserve(&w.t.b, 1) ||
        core_props(z, &title, prop_date)) {
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
    d->title = title;
    title = NULL;
    w.heads = NULL;
    w.levels = NULL;
cleanup:
    if (rc) {
        free(*prop_date);
        *prop_date = NULL;
    }
    xmlFreeTextReader(rd);
    free(x);
    free(title);
    free(w.heads);
    free(w.levels);
    bg_buf_free(&w.t.b);
    styles_free(&m);
    zip_close(z);
    return rc;
}
