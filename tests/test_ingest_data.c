/*
 * test_ingest_data.c - decoding, formats, metadata and repairs on real
 * files (tests/data/ingest, sources in its README.md), against the cases
 * of data/ingest/cases.tsv: FILE<TAB>KEY<TAB>EXPECTED, where KEY is
 *   encoding | format | ndocs | derived   the source's field
 *   text                                  EXPECTED names a file holding the
 *                                         decoded text (from iconv)
 *   title.N author.N org.N date.N year.N  document N's metadata (N from 1;
 *                                         a title line is taken as written)
 *   warning                               a line of the source's warnings
 *   contains.N                            document N's text holds EXPECTED
 *   skip.N                                EXPECTED is a line of document N
 *                                         taken as metadata, not text
 *   opts                                  EXPECTED is NAME=VALUE;... of
 *                                         bg_ingest_opts (columns,
 *                                         text-field, title-field,
 *                                         author-field, org-field,
 *                                         meta-field), used to load FILE
 *                                         for the cases after it
 * An empty EXPECTED means NULL/none. Escapes: \n \t \\.
 */
#include "ingest.h"
#include "runner.h"

/* The options of the file being read (an opts case), and their text. */
static bg_ingest_opts opts;
static char opts_text[512];

/* Sets opts from "name=value;name=value" (pointers into opts_text). */
static void set_opts(const char *spec)
{
    memset(&opts, 0, sizeof opts);
    snprintf(opts_text, sizeof opts_text, "%s", spec);
    for (char *p = opts_text, *next; p && *p; p = next) {
        next = strchr(p, ';');
        if (next)
            *next++ = '\0';
        char *eq = strchr(p, '=');
        if (!eq)
            continue;
        *eq = '\0';
        const char *v = eq + 1;
        if (strcmp(p, "columns") == 0)
            opts.columns = v;
        else if (strcmp(p, "text-field") == 0)
            opts.text_field = v;
        else if (strcmp(p, "title-field") == 0)
            opts.title_field = v;
        else if (strcmp(p, "author-field") == 0)
            opts.author_field = v;
        else if (strcmp(p, "org-field") == 0)
            opts.org_field = v;
        else if (strcmp(p, "meta-field") == 0)
            opts.meta_fields = v;
        else
            CHECK(0, "opts: unknown option %s", p);
    }
}

static bg_source *load(const char *file, char *loaded, size_t cap,
                       bg_source *prev)
{
    if (prev && strcmp(loaded, file) == 0)
        return prev;
    bg_ingest_free(prev);
    snprintf(loaded, cap, "%s", file);
    char path[512];
    snprintf(path, sizeof path, "ingest/%s", file);
    bg_source *src = NULL;
    bg_err err;
    if (bg_ingest_load_opts(data_path(path), &opts, &src, &err)) {
        CHECK(0, "%s: %s", file, err.msg);
        loaded[0] = '\0';
        return NULL;
    }
    return src;
}

/* Document n's metadata field key, as a string in buf. */
static const char *doc_field(const bg_source *src, const char *key, size_t n,
                             char *buf, size_t cap)
{
    const bg_docspan *d = &src->docs[n];
    if (strcmp(key, "title") == 0) {
        if (d->title)
            return d->title;
        snprintf(buf, cap, "%.*s", (int)(d->title_end - d->title_start),
                 src->bytes + d->title_start);
        return buf;
    }
    if (strcmp(key, "author") == 0)
        return d->author ? d->author : "";
    if (strcmp(key, "org") == 0)
        return d->org ? d->org : "";
    if (strcmp(key, "date") == 0)
        return d->date ? d->date : "";
    if (strcmp(key, "year") == 0) {
        if (d->year)
            snprintf(buf, cap, "%d", d->year);
        else
            buf[0] = '\0';
        return buf;
    }
    return NULL;
}

/* The wrap joins listed in src's warnings: all among the ranges of want
 * (key wraps-in), or at least want of them (wraps-min). */
static void check_wraps(const bg_source *src, const char *key, const char *want,
                        const char *ctx)
{
    const char *w =
        src->warnings ? strstr(src->warnings, "repairs (wrap): ") : NULL;
    size_t nj = 0, stray = 0;
    for (const char *p = w ? w + 16 : ""; *p && *p != '\n';) {
        char *e;
        unsigned long a = strtoul(p, &e, 10);
        if (e == p)
            break;
        unsigned long b = strtoul(e + 1, &e, 10);
        char r[48];
        snprintf(r, sizeof r, "%lu-%lu", a, b);
        size_t rl = strlen(r);
        const char *hit = strstr(want, r);
        int in = 0;
        for (; hit && !in; hit = strstr(hit + 1, r))
            in = (hit == want || hit[-1] == ' ' || hit[-1] == ',') &&
                 (hit[rl] == '\0' || hit[rl] == ',');
        stray += !in;
        nj++;
        p = e;
        while (*p == ',' || *p == ' ')
            p++;
    }
    if (strcmp(key, "wraps-in") == 0)
        CHECK(stray == 0, "%s: %zu of %zu joins not true wraps", ctx, stray,
              nj);
    else
        CHECK(nj >= strtoul(want, NULL, 10), "%s: %zu joins", ctx, nj);
}

/* Checks one case of cases.tsv: key (with its document number after a
 * dot, cut off here) of the loaded src against want. */
static void check_key(const bg_source *src, char *key, const char *want,
                      const char *ctx)
{
    char buf[1024];
    char *dot = strchr(key, '.');
    size_t n = dot ? strtoul(dot + 1, NULL, 10) : 0;
    if (dot)
        *dot = '\0';
    if (strcmp(key, "encoding") == 0) {
        CHECK_STR(src->encoding, want, ctx);
    } else if (strcmp(key, "format") == 0) {
        CHECK_STR(bg_src_format_name(src->format), want, ctx);
    } else if (strcmp(key, "ndocs") == 0) {
        CHECK(src->ndocs == strtoul(want, NULL, 10), "%s: got %zu", ctx,
              src->ndocs);
    } else if (strcmp(key, "derived") == 0) {
        CHECK(src->derived == atoi(want), "%s: got %d", ctx, src->derived);
    } else if (strcmp(key, "text") == 0) {
        char path[512], *exp = NULL;
        size_t elen = 0;
        bg_err err;
        snprintf(path, sizeof path, "ingest/%s", want);
        if (bg_read_file(data_path(path), &exp, &elen, &err)) {
            CHECK(0, "%s: %s", ctx, err.msg);
            return;
        }
        CHECK(src->len - src->body == elen &&
                  memcmp(src->bytes + src->body, exp, elen) == 0,
              "%s: decoded text differs from %s (%zu vs %zu bytes)", ctx, want,
              src->len - src->body, elen);
        free(exp);
    } else if (strcmp(key, "warning") == 0) {
        const char *w = src->warnings ? src->warnings : "";
        int found = 0;
        for (const char *p = w; *p && !found;) {
            size_t l = strcspn(p, "\n");
            found = l == strlen(want) && memcmp(p, want, l) == 0;
            p += l + (p[l] == '\n');
        }
        CHECK(found, "%s: no warning line [%s] in\n%s", ctx, want, w);
    } else if (strcmp(key, "wraps-in") == 0 || strcmp(key, "wraps-min") == 0) {
        check_wraps(src, key, want, ctx);
    } else if (n >= 1 && n <= src->ndocs && strcmp(key, "skip") == 0) {
        const bg_docspan *d = &src->docs[n - 1];
        int found = 0;
        for (size_t k = 0; k < d->nskip && !found; k++)
            found =
                d->skip[k].end - d->skip[k].start == strlen(want) &&
                memcmp(src->bytes + d->skip[k].start, want, strlen(want)) == 0;
        CHECK(found, "%s: [%s] is not a metadata line", ctx, want);
    } else if (n >= 1 && n <= src->ndocs && strcmp(key, "contains") == 0) {
        const bg_docspan *d = &src->docs[n - 1];
        CHECK(memmem(src->bytes + d->start, d->end - d->start, want,
                     strlen(want)) != NULL,
              "%s: [%s] not in the document", ctx, want);
    } else if (n >= 1 && n <= src->ndocs &&
               doc_field(src, key, n - 1, buf, sizeof buf)) {
        CHECK_STR(doc_field(src, key, n - 1, buf, sizeof buf), want, ctx);
    } else {
        CHECK(0, "%s: unknown key or document", ctx);
    }
}

int main(void)
{
    FILE *f = fopen(data_path("ingest/cases.tsv"), "r");
    if (!f) {
        perror("cases.tsv");
        return 1;
    }
    char line[8192], loaded[256] = "", ctx[300];
    bg_source *src = NULL;
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *fld[3] = {NULL, NULL, NULL};
        CHECK(split_tabs(line, fld, 3) >= 2, "cases.tsv:%d: fields", lineno);
        static char none[1];
        if (!fld[2])
            fld[2] = none;
        unescape(fld[2]);
        snprintf(ctx, sizeof ctx, "cases.tsv:%d %s %s", lineno, fld[0], fld[1]);
        if (strcmp(fld[1], "opts") == 0) {
            /* a new set of options for this file: read it again */
            set_opts(fld[2]);
            loaded[0] = '\0';
            continue;
        }
        if (loaded[0] && strcmp(loaded, fld[0]) != 0)
            set_opts(""); /* options hold for one file */
        if (!(src = load(fld[0], loaded, sizeof loaded, src)))
            continue;
        check_key(src, fld[1], fld[2], ctx);
    }
    fclose(f);
    bg_ingest_free(src);
    return runner_done();
}
