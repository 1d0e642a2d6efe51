/*
 * test_normalise.c - the analysis form, the display form and the offset
 * map, on the cases of data/normalise.tsv.
 */
#include "docrec.h"
#include "normalise.h"
#include "runner.h"

/* The replacement of a repair cut at exactly [os, oe) (offsets without the
 * base), or NULL. */
static const bg_cut *repair_at(const bg_text *t, size_t base, size_t os,
                               size_t oe)
{
    for (size_t k = 0; k < t->ncuts; k++)
        if (t->cuts[k].start - base == os && t->cuts[k].end - base == oe &&
            t->cuts[k].with_len)
            return &t->cuts[k];
    return NULL;
}

/* Every analysis code point must come from an original range that itself
 * normalises to a string containing that code point (or, for a repair, a
 * range whose replacement does): the map is exact. A character that ICU
 * maps by word (著 in 著名) normalises as in its word: then the
 * Simplified form of the text around it must hold the code point. */
static void check_map(bg_normaliser *n, const char *src, const bg_text *t,
                      size_t base, const char *ctx)
{
    for (size_t i = 0; i < t->len;) {
        size_t nx;
        (void)bg_utf8_next(t->analysis, i, &nx);
        size_t os = t->orig_start[i], oe = t->orig_end[i];
        const bg_cut *r = repair_at(t, base, os, oe);
        const char *from = r ? r->with : src + os;
        size_t flen = r ? r->with_len : oe - os;
        char *piece = NULL;
        bg_err err;
        int ok = os < oe &&
                 bg_normalise_string(n, from, flen, &piece, &err) == 0 &&
                 piece &&
                 memmem(piece, strlen(piece), t->analysis + i, nx - i) != NULL;
        if (!ok && !r && os < oe) {
            size_t slen = strlen(src), a = os, b = oe;
            size_t ws = bg_utf8_back(src, a, 4),
                   we = bg_utf8_fwd(src, slen, b, 4);
            bg_buf w = {0};
            ok = bg_normalise_simplify(n, src + ws, we - ws, &w, &err) == 0 &&
                 w.data && memmem(w.data, w.len, t->analysis + i, nx - i);
            bg_buf_free(&w);
        }
        CHECK(ok, "%s: analysis byte %zu maps to [%zu,%zu)", ctx, i, os, oe);
        for (size_t k = i; k < nx; k++)
            CHECK(t->orig_start[k] == os && t->orig_end[k] == oe,
                  "%s: bytes of one character map apart", ctx);
        free(piece);
        i = nx;
    }
}

int main(void)
{
    bg_normaliser *n;
    bg_err err;
    if (bg_normalise_open(&n, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    FILE *f = fopen(data_path("normalise.tsv"), "r");
    if (!f) {
        perror("normalise.tsv");
        return 1;
    }
    char line[8192];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *fld[3], ctx[64];
        CHECK(split_tabs(line, fld, 3) == 3, "normalise.tsv:%d: 3 fields",
              lineno);
        for (int k = 0; k < 3; k++)
            unescape(fld[k]);
        snprintf(ctx, sizeof ctx, "normalise.tsv:%d", lineno);
        bg_text t;
        size_t base = 100; /* offsets must carry the base */
        int rc = bg_docrec_normalise(n, fld[0], strlen(fld[0]), base, &t, &err);
        CHECK(rc == 0, "%s: %s", ctx, err.msg);
        if (rc)
            continue;
        CHECK_STR(t.analysis, fld[1], ctx);
        bg_buf d = {0};
        CHECK(bg_text_display(&t, fld[0], base, base, base + strlen(fld[0]),
                              &d) == 0,
              "%s: display", ctx);
        CHECK_STR(d.data, fld[2], ctx);
        bg_buf_free(&d);
        /* the map, shifted back by base */
        for (size_t i = 0; i < t.len; i++) {
            t.orig_start[i] -= base;
            t.orig_end[i] -= base;
        }
        check_map(n, fld[0], &t, base, ctx);
        bg_text_free(&t);
    }
    fclose(f);

    /* The whole seed compilation: 754 readings in parentheses (MANIFEST.md
     * counts them) plus 9 after the literal `?` of mojibake whose "(" was
     * swallowed (MANIFEST.md: 9 `?` in total); none left after. */
    char *seed;
    size_t len;
    if (bg_read_file(data_path("seed/seed-compilation.txt"), &seed, &len,
                     &err) == 0) {
        bg_text t;
        CHECK(bg_docrec_normalise(n, seed, len, 0, &t, &err) == 0, "seed: %s",
              err.msg);
        /* 4 of them inside report 4's repeated lead phrases, which go */
        CHECK(t.npinyin == 763 - 4, "seed pinyin readings removed: %zu",
              t.npinyin);
        CHECK(strstr(t.analysis, "lián") == NULL &&
                  strstr(t.analysis, "huì") == NULL,
              "seed: pinyin left in the analysis form");
        /* repairs: the 9 `?` of mojibake as U+FFFD and 5 runs re-decoded,
         * the page number of line 25, report 4's three lead phrases
         * written twice */
        CHECK(t.nrepairs == 18, "seed repairs: %zu", t.nrepairs);
        check_map(n, seed, &t, 0, "seed");
        bg_text_free(&t);
        free(seed);
    } else
        CHECK(0, "%s", err.msg);
    bg_normalise_close(n);
    return runner_done();
}
