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
#include <csv.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

/* the largest docx part inflated (word/document.xml of a 2,000-page
 * report is about 20 MB) */
#define DOCX_PART_MAX ((size_t)256 << 20)

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

/* Reads the zip entry `name` into *out (malloc'd, NUL-terminated) and its
 * length into *len, at most DOCX_PART_MAX bytes whatever the entry's header
 * claims (a zip bomb inflates gigabytes from a few megabytes). Returns 0,
 * BG_ENOTFOUND (no such entry, or it does not read), BG_EDATA (larger than
 * the limit; *len holds the size reached or claimed) or BG_ENOMEM. */
static int read_zip_entry(zip_t *z, const char *name, char **out, size_t *len)
{
    zip_stat_t st;
    *out = NULL;
    *len = 0;
    if (zip_stat(z, name, 0, &st) != 0)
        return BG_ENOTFOUND;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > DOCX_PART_MAX) {
        *len = (size_t)st.size;
        return BG_EDATA;
    }
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f)
        return BG_ENOTFOUND;
    bg_buf b = {0};
    int rc = 0;
    for (;;) {
        if (bg_buf_reserve(&b, 65536)) {
            rc = BG_ENOMEM;
            break;
        }
        zip_int64_t got = zip_fread(f, b.data + b.len, 65536);
        if (got < 0) {
            rc = BG_ENOTFOUND;
            break;
        }
        if (got == 0)
            break;
        b.len += (size_t)got;
        b.data[b.len] = '\0';
        if (b.len > DOCX_PART_MAX) {
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
    int rc = read_zip_entry(z, "word/styles.xml", &x, &n);
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
typedef struct xml_fail {
    char msg[200];
    int line, set;
} xml_fail;

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

static xmlTextReaderPtr part_reader(const char *x, size_t n, const char *name,
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
static int part_refused(const bg_source *src, const char *part,
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
    if ((rc = read_zip_entry(z, "docProps/core.xml", &x, &n)))
        return rc == BG_ENOMEM ? rc : 0;
    xmlTextReaderPtr rd = part_reader(x, n, "core.xml", &fail);
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
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *zs = zip_source_buffer_create(file, n, 0, &ze);
    zip_t *z = zs ? zip_open_from_source(zs, ZIP_RDONLY, &ze) : NULL;
    docx_walk w = {0};
    style_map m = {0};
    char *x = NULL, *title = NULL;
    size_t xlen;
    xmlTextReaderPtr rd = NULL;
    xml_fail fail = {0};
    int rc = 0;
    *prop_date = NULL;
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
            : rc == BG_EDATA
                ? bg_err_set(err, BG_EDATA,
                             "%s: word/document.xml inflates to more than "
                             "the limit of %d MB (a zip bomb?)",
                             src->path, (int)(DOCX_PART_MAX >> 20))
                : bg_err_set(err, BG_EDATA,
                             "%s: not a docx: no word/document.xml", src->path);
        goto cleanup;
    }
    if (!(rd = part_reader(x, xlen, "document.xml", &fail))) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
        goto cleanup;
    }
    w.styles = &m;
    int walked = docx_paras(rd, &w);
    if (!w.oom && !w.t.oom && walked) {
        rc = part_refused(src, "word/document.xml", &fail, walked == 1, err);
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

/* ---- records: JSON Lines, JSON, CSV ------------------------------------- */

/* CSV through libcsv (RFC 4180; Debian's libcsv-dev): fields as written
 * (no blanks trimmed), quoted fields may span lines, "" inside quotes is a
 * quote; a quote inside an unquoted field is kept as text (libcsv's
 * lenient mode). The header row names the fields; every later row becomes
 * an object of them (missing cells are empty, extra cells dropped); blank
 * rows are skipped. NUL bytes in a cell cannot be stored in a string: they
 * are dropped and counted. */
typedef struct csv_build {
    cJSON *rows, *hdr, *obj;
    const cJSON *col; /* header cell of the next field */
    size_t nfields;   /* fields of the current row so far */
    size_t nul;       /* NUL bytes dropped */
    int header_done, oom;
    int row_ended; /* a record ended: the next line starts one */
    bg_buf cell;
} csv_build;

static void csv_field(void *data, size_t n, void *payload)
{
    csv_build *c = payload;
    const char *p = data ? data : "";
    if (c->oom)
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
    c->nfields++;
    if (!c->header_done) {
        cJSON *h = cJSON_CreateString(c->cell.data);
        if (!h || !cJSON_AddItemToArray(c->hdr, h)) {
            cJSON_Delete(h);
            c->oom = 1;
        }
        return;
    }
    if (c->nfields == 1) {
        c->col = c->hdr->child;
        if (!(c->obj = cJSON_CreateObject())) {
            c->oom = 1;
            return;
        }
    }
    if (!c->col)
        return; /* more cells than the header names */
    cJSON *v = cJSON_CreateString(c->cell.data);
    if (!v || !cJSON_AddItemToObject(c->obj, c->col->valuestring, v)) {
        cJSON_Delete(v);
        c->oom = 1;
    }
    c->col = c->col->next;
}

static void csv_row(int term, void *payload)
{
    csv_build *c = payload;
    (void)term;
    c->row_ended = 1;
    if (c->oom) {
        cJSON_Delete(c->obj);
        c->obj = NULL;
        c->nfields = 0;
        return;
    }
    if (!c->header_done) {
        /* a first row of one empty field is a blank line before the
         * header */
        if (c->nfields > 1 ||
            (c->nfields == 1 && c->hdr->child->valuestring[0] != '\0'))
            c->header_done = 1;
        else
            cJSON_DeleteItemFromArray(c->hdr, 0);
        c->nfields = 0;
        return;
    }
    cJSON *obj = c->obj;
    int blank =
        c->nfields == 1 && obj && obj->child && !obj->child->valuestring[0];
    c->obj = NULL;
    c->nfields = 0;
    if (!obj || blank) {
        cJSON_Delete(obj);
        return;
    }
    /* the header's fields a short row lacks are empty */
    for (; c->col; c->col = c->col->next) {
        cJSON *v = cJSON_CreateString("");
        if (!v || !cJSON_AddItemToObject(obj, c->col->valuestring, v)) {
            cJSON_Delete(v);
            c->oom = 1;
        }
    }
    if (!cJSON_AddItemToArray(c->rows, obj)) {
        cJSON_Delete(obj);
        c->oom = 1;
    }
}

static int csv_keep_blanks(unsigned char ch)
{
    (void)ch;
    return 0; /* no character is trimmed around a field */
}

/* Parses CSV text s[0, n) into an array of objects keyed by the header
 * row (*out, caller frees). Returns 0, BG_EDATA (a quoted field still open
 * at the end of the file, with the line it opened on) or BG_ENOMEM. */
static int parse_csv(bg_source *src, const char *s, size_t n, cJSON **out,
                     bg_err *err)
{
    struct csv_parser p;
    csv_build c = {0};
    size_t i = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t line = 1, rec_line = 1;
    int rc = 0;
    c.row_ended = 1;
    *out = NULL;
    if (csv_init(&p, CSV_APPEND_NULL) != 0)
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
    csv_set_space_func(&p, csv_keep_blanks);
    csv_set_blk_size(&p, 1 << 16); /* a long field grows in 64 KB steps */
    if (!(c.rows = cJSON_CreateArray()) || !(c.hdr = cJSON_CreateArray()))
        goto oom;
    /* fed a line at a time, to know the line a record starts on */
    while (i < n && !c.oom) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : n;
        if (c.row_ended)
            rec_line = line;
        if (!(e - i == 1 || (e - i == 2 && s[i] == '\r')))
            c.row_ended = 0; /* libcsv skips a blank line */
        if (csv_parse(&p, s + i, e - i, csv_field, csv_row, &c) != e - i) {
            if (csv_error(&p) == CSV_ENOMEM || csv_error(&p) == CSV_ETOOBIG)
                goto oom;
            rc = bg_err_set(err, BG_EDATA, "%s:%zu: %s", src->path, rec_line,
                            csv_strerror(csv_error(&p)));
            goto cleanup;
        }
        line += nl != NULL;
        i = e;
    }
    /* libcsv's state: a quoted field (quoted) begun and not ended
     * (FIELD_BEGUN, 2) when the text ends */
    if (p.quoted && p.pstate == 2) {
        rc = bg_err_set(err, BG_EDATA,
                        "%s:%zu: unterminated quoted field (the quote opened "
                        "on this line is never closed)",
                        src->path, rec_line);
        goto cleanup;
    }
    if (csv_fini(&p, csv_field, csv_row, &c) != 0 || c.oom)
        goto oom;
    if (c.nul && bg_ingest_warn(src, "%zu NUL byte%s dropped from CSV cells",
                                c.nul, c.nul == 1 ? "" : "s"))
        goto oom;
    *out = c.rows;
    c.rows = NULL;
    goto cleanup;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", src->path);
cleanup:
    csv_free(&p);
    cJSON_Delete(c.rows);
    cJSON_Delete(c.hdr);
    cJSON_Delete(c.obj);
    bg_buf_free(&c.cell);
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

typedef struct fields {
    const char *text, *title, *date, *year, *id;
} fields;

/* Characters of string text per field name over the first 50 records:
 * a hash table of the names met (records of 20,000 fields must not cost a
 * lookup per field per field). */
typedef struct key_total {
    const char *key;
    size_t total;
} key_total;

/* The field with most string text over the first 50 records (the first
 * record's order breaks ties), or NULL; NULL also when out of memory. */
static const char *longest_field(const cJSON *recs)
{
    const cJSON *first = recs->child;
    size_t nkeys = 0, cap = 16, r = 0;
    for (const cJSON *k = first ? first->child : NULL; k; k = k->next)
        nkeys++;
    while (cap < 2 * nkeys + 2)
        cap *= 2;
    key_total *tab = calloc(cap, sizeof *tab);
    const char *best = NULL;
    size_t best_len = 0;
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
    for (const cJSON *rec = recs->child; rec && r < 50; rec = rec->next, r++)
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
    }
done:
    free(tab);
    return best;
}

static void guess_fields(const cJSON *recs, const bg_ingest_opts *o, fields *f)
{
    static const char *const title_w[] = {"title", "标题", "主题", "name",
                                          "名称"};
    static const char *const date_w[] = {"date", "日期", "时间", "time"};
    static const char *const year_w[] = {"year", "年份"};
    static const char *const id_w[] = {"id", "编号", "url", "链接"};
    const cJSON *first = recs->child;
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
    }
    if (!(o && o->text_field))
        f->text = longest_field(recs);
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
