/*
 * test_segment.c - segmentation of the analysis form on the cases of
 * data/segment.tsv (fine granularity), data/segment-coarse.tsv (coarse,
 * against jieba) and data/segment-user.tsv, numbers and their values
 * (data/segment-numbers.tsv), and the token contract (every byte covered
 * once, fine parts tiling their token, punctuation and space never terms);
 * the compiled dictionary's trie (edges, leaves, Bloom filter, coarse-only
 * flags) and the entries bg-dictc flags coarse-only.
 */
#include "normalise.h"
#include "runner.h"
#include "segment.h"
#include "segment_int.h"

#include <ctype.h>
#include <math.h>

/* A small trie saved and mapped back: every edge and word as added, leaves
 * flagged, absent edges (which the Bloom filter mostly answers) absent. */
static void check_trie(void)
{
    static const struct {
        const char *w;
        uint32_t f;
    } words[] = {{"中国", 100}, {"中国人", 50}, {"人民", 80}, {"a", 1}};
    const char *path = "test_segment_trie.bgd";
    bg_trie h, t;
    bg_err err;
    if (bg_trie_init(&h)) {
        CHECK(0, "trie: out of memory");
        return;
    }
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        CHECK(bg_trie_add(&h, words[i].w, strlen(words[i].w), words[i].f) == 0,
              "trie add");
    CHECK(bg_trie_remove(&h, "a", 1) == 1 && bg_trie_freq(&h, "a", 1) == 0 &&
              h.nwords == 3 && h.total == 230 && h.total_fine == 230,
          "trie remove");
    CHECK(bg_trie_set_coarse(&h, "中国人", strlen("中国人")) == 50 &&
              h.total == 230 && h.total_fine == 180 &&
              bg_trie_set_coarse(&h, "人类", strlen("人类")) == 0,
          "trie coarse-only flag: the fine total loses 50");
    CHECK(bg_trie_save(&h, path, &err) == 0, "trie save: %s", err.msg);
    bg_trie_free(&h);
    if (bg_trie_load(&t, path, &err)) {
        CHECK(0, "trie load: %s", err.msg);
        remove(path);
        return;
    }
    bg_edge zhong = bg_trie_edge(&t, 0, 0x4E2D); /* 中 */
    bg_edge guo = bg_trie_edge(&t, zhong.child, 0x56FD);
    bg_edge ren = bg_trie_edge(&t, guo.child, 0x4EBA);
    CHECK(zhong.child && !(zhong.child & BG_TRIE_LEAF) &&
              zhong.w == BG_TRIE_NOWORD,
          "中: an inner node, no word");
    CHECK(guo.child && !(guo.child & BG_TRIE_LEAF) &&
              guo.w == (float)log(100.0),
          "中国: an inner node, ln 100");
    CHECK(ren.child && (ren.child & BG_TRIE_LEAF) && ren.w == (float)log(50.0),
          "中国人: a leaf, ln 50");
    CHECK(bg_trie_coarse_only(&t, ren.child & ~BG_TRIE_LEAF) &&
              !bg_trie_coarse_only(&t, guo.child) && t.total == 230 &&
              t.total_fine == 180,
          "中国人 coarse-only after a save and a load; 中国 not");
    bg_edge min = bg_trie_edge(&t, bg_trie_step(&t, 0, 0x4EBA), 0x6C11);
    CHECK((min.child & BG_TRIE_LEAF) && min.w == (float)log(80.0),
          "人民: a leaf, ln 80");
    CHECK(bg_trie_edge(&t, 0, 'a').child == 0 ||
              bg_trie_edge(&t, 0, 'a').w == BG_TRIE_NOWORD,
          "a: removed");
    int absent = 0;
    for (uint32_t cp = 0x4E00; cp < 0x5E00; cp++)
        absent += bg_trie_edge(&t, zhong.child & ~BG_TRIE_LEAF, cp).child != 0;
    CHECK(absent == 1, "中 has one child among 4096 code points (%d)", absent);
    CHECK(bg_trie_freq(&t, "中国人", strlen("中国人")) == 50 &&
              bg_trie_freq(&t, "国人", strlen("国人")) == 0 &&
              bg_trie_freq(&t, "中国人民", strlen("中国人民")) == 0,
          "trie lookups");
    bg_trie_free(&t);
    remove(path);
}

/* Entries of jieba's dict.txt (0.42.1, frequency and tag as listed there)
 * as the shipped main dictionary holds them after bg-dictc: a fine word, or
 * coarse-only (coarse 1). */
static void check_main_dict(void)
{
    static const struct {
        const char *w;
        uint32_t f;
        int coarse;
        const char *why;
    } cases[] = {
        {"国有企业", 3, 1, "3 n: placeholder count, 国有 + 企业: coarse-only"},
        {"结构调整", 3, 1, "3 l: placeholder count, 结构 + 调整: coarse-only"},
        {"体制改革", 3, 1, "3 l: placeholder count, 体制 + 改革: coarse-only"},
        {"国有", 1, 0, "its parts stay fine words"},
        {"信息技术", 397, 0, "397 n: a real count stays fine"},
        {"一心一意", 231, 0, "231 i: a real count stays fine"},
        {"附图片", 3, 0, "3 n: 附 is one character: stays fine"},
        {"重大成果", 3, 0, "3 nz: tagged a proper noun: stays fine"},
    };
    bg_trie t;
    bg_err err;
    if (bg_trie_load(&t, bg_segment_main_dict(), &err)) {
        CHECK(0, "main dictionary: %s", err.msg);
        return;
    }
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *w = cases[i].w;
        uint32_t f = bg_trie_freq(&t, w, strlen(w)), node = 0;
        for (size_t k = 0; k < strlen(w);) {
            size_t nx;
            node = bg_trie_step(&t, node, bg_utf8_next(w, k, &nx));
            k = nx;
        }
        CHECK((cases[i].f == 1 ? f > 0 : f == cases[i].f) &&
                  bg_trie_coarse_only(&t, node) == cases[i].coarse,
              "%s %u coarse-only %d (%s)", w, f,
              node ? bg_trie_coarse_only(&t, node) : -1, cases[i].why);
    }
    bg_trie_free(&t);
}

typedef struct acc {
    const char *text;
    size_t next; /* byte the next token must start at */
    int gap;
    bg_buf terms;
    bg_granularity g;
} acc;

static int term_cb(const bg_token *t, void *payload)
{
    acc *a = payload;
    if (t->start != a->next || t->end <= t->start || t->text != a->text)
        a->gap = 1;
    a->next = t->end;
    if (t->kind != BG_TOK_OTHER) {
        if (a->terms.len)
            bg_buf_add(&a->terms, " ", 1);
        bg_buf_add(&a->terms, a->text + t->start, t->end - t->start);
    } else {
        for (size_t i = t->start; i < t->end; i++) {
            unsigned char c = (unsigned char)a->text[i];
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
                a->gap = 1; /* a letter or digit lost as non-term */
        }
    }
    return 0;
}

/* A token's parts tile it; at the fine granularity each part is a term. */
static int cb(const bg_token *t, void *payload)
{
    acc *a = payload;
    if (t->nparts == 0 || t->part_end[t->nparts - 1] != t->end)
        a->gap = 1;
    for (size_t i = 0; i < t->nparts; i++)
        if (t->part_end[i] <= (i ? t->part_end[i - 1] : t->start))
            a->gap = 1;
    if (a->g == BG_FINE)
        return bg_token_parts(t, term_cb, payload);
    return term_cb(t, payload);
}

/* The token of an input that must be the number (or word) of a case. */
typedef struct find_acc {
    const char *text, *want;
    bg_granularity g;
    int found, kind, nparts;
} find_acc;

static int find_cb(const bg_token *t, void *payload)
{
    find_acc *a = payload;
    if (t->end - t->start == strlen(a->want) &&
        memcmp(a->text + t->start, a->want, strlen(a->want)) == 0) {
        a->found++;
        a->kind = t->kind;
        a->nparts = (int)t->nparts;
    }
    return 0;
}

/* data/segment-numbers.tsv: each number one coarse token of kind number (a
 * range cut into three fine parts, a Han month and day into two, as the
 * standard cuts them), with its value; the words not numbers. */
static void check_numbers(bg_normaliser *n, bg_segmenter *s)
{
    const char *name = "segment-numbers.tsv";
    bg_err err;
    FILE *f = fopen(data_path(name), "r");
    if (!f) {
        CHECK(0, "%s: cannot open", name);
        return;
    }
    char line[4096], ctx[128];
    int lineno = 0, cases = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *fld[5];
        snprintf(ctx, sizeof ctx, "%s:%d", name, lineno);
        if (split_tabs(line, fld, 5) != 5) {
            CHECK(0, "%s: five fields", ctx);
            continue;
        }
        cases++;
        char *a = NULL;
        if (bg_normalise_string(n, fld[0], strlen(fld[0]), &a, &err)) {
            CHECK(0, "%s: %s", ctx, err.msg);
            continue;
        }
        int word = strcmp(fld[2], "word") == 0;
        find_acc fa = {a, fld[1], BG_COARSE, 0, 0, 0};
        bg_number num;
        int ok = bg_number_parse(fld[1], strlen(fld[1]), &num);
        int parts = num.type == BG_NUM_RANGE ? 3
                    : num.type == BG_NUM_DATE && num.iso[0] == '-' &&
                            num.iso[2] != '-' && !isdigit((unsigned char)*a)
                        ? 2
                        : 1;
        CHECK(bg_segment_run(s, a, strlen(a), find_cb, &fa, &err) == 0 &&
                  fa.found == 1 &&
                  fa.kind == (word ? BG_TOK_WORD : BG_TOK_NUMBER) &&
                  fa.nparts == parts,
              "%s: [%s] one token of kind %s in %d parts (found %d, kind %d, "
              "%d parts)",
              ctx, fld[1], fld[2], parts, fa.found, fa.kind, fa.nparts);
        if (word) {
            CHECK(!ok, "%s: [%s] is no number", ctx, fld[1]);
            free(a);
            continue;
        }
        char value[64] = "";
        if (num.type == BG_NUM_QUANTITY && !isnan(num.value))
            snprintf(value, sizeof value, "%.15g", num.value);
        else if (num.type == BG_NUM_QUANTITY)
            value[0] = '\0'; /* approximate */
        else
            snprintf(value, sizeof value, "%s", num.iso);
        CHECK(ok && strcmp(bg_number_type_name(num.type), fld[2]) == 0 &&
                  strcmp(value, fld[3]) == 0 &&
                  strcmp(num.type == BG_NUM_QUANTITY || num.type == BG_NUM_RANGE
                             ? num.unit
                             : "",
                         fld[4]) == 0,
              "%s: [%s]\n  got  %s %s [%s]\n  want %s %s [%s]", ctx, fld[1],
              bg_number_type_name(num.type), value, num.unit, fld[2], fld[3],
              fld[4]);
        free(a);
    }
    fclose(f);
    CHECK(cases == 47, "%s: %d cases", name, cases);
}

/* Runs the cases of a data file with segmenter s at granularity g. */
static void run_file(bg_normaliser *n, bg_segmenter *s, const char *name,
                     bg_granularity g)
{
    bg_err err;
    FILE *f = fopen(data_path(name), "r");
    if (!f) {
        CHECK(0, "%s: cannot open", name);
        return;
    }
    char line[4096], ctx[128];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *fld[2];
        snprintf(ctx, sizeof ctx, "%s:%d", name, lineno);
        if (split_tabs(line, fld, 2) != 2) {
            CHECK(0, "%s: two fields", ctx);
            continue;
        }
        char *a = NULL;
        CHECK(bg_normalise_string(n, fld[0], strlen(fld[0]), &a, &err) == 0,
              "%s: %s", ctx, err.msg);
        acc st = {a, 0, 0, {0}, g};
        CHECK(bg_segment_run(s, a, strlen(a), cb, &st, &err) == 0, "%s: %s",
              ctx, err.msg);
        CHECK(!st.gap && st.next == strlen(a),
              "%s: tokens must cover every byte once", ctx);
        CHECK_STR(st.terms.data ? st.terms.data : "", fld[1], ctx);
        bg_buf_free(&st.terms);
        free(a);
    }
    fclose(f);
}

int main(void)
{
    bg_normaliser *n;
    bg_segmenter *s, *c, *u;
    bg_err err;
    bg_segment_opts fo = {0}; /* the zero value is coarse */
    fo.granularity = BG_FINE;
    if (bg_normalise_open(&n, &err) || bg_segment_open_with(&s, &fo, &err) ||
        bg_segment_open(&c, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    /* the fine segmenter's tokens are the coarse one's parts */
    run_file(n, s, "segment.tsv", BG_FINE);
    run_file(n, c, "segment.tsv", BG_FINE);
    run_file(n, c, "segment-coarse.tsv", BG_COARSE);
    check_numbers(n, c);
    bg_segment_close(c);
    check_trie();
    check_main_dict();

    /* user words of every shape always win */
    const char *user[] = {data_path("userdict-test.txt")};
    char upath[4096];
    snprintf(upath, sizeof upath, "%s", user[0]);
    user[0] = upath;
    bg_segment_opts o = {NULL, user, 1, 0, n, BG_FINE};
    if (bg_segment_open_with(&u, &o, &err) == 0) {
        run_file(n, u, "segment-user.tsv", BG_FINE);
        bg_segment_close(u);
    } else
        CHECK(0, "user dictionary: %s", err.msg);
    o.granularity = BG_COARSE;
    if (bg_segment_open_with(&u, &o, &err) == 0) {
        run_file(n, u, "segment-user.tsv", BG_COARSE);
        bg_segment_close(u);
    } else
        CHECK(0, "user dictionary: %s", err.msg);

    /* a bad line is reported with file and line */
    char bpath[4096], want[4200];
    snprintf(bpath, sizeof bpath, "%s", data_path("userdict-bad.txt"));
    const char *bad[] = {bpath};
    bg_segment_opts ob = {NULL, bad, 1, 0, n, BG_FINE};
    CHECK(bg_segment_open_with(&u, &ob, &err) == BG_EDATA && u == NULL,
          "bad user dictionary rejected");
    snprintf(want, sizeof want,
             "%.2000s:3: frequency 0 (omit it for the default)", bpath);
    CHECK_STR(err.msg, want, "bad dictionary line");

    /* closed setting: only the given words; 建 and 设 are in no dictionary,
     * so the out-of-vocabulary run 建设 is one word */
    const char *closed[] = {upath};
    bg_segment_opts oc = {NULL, closed, 1, 1, n, BG_FINE};
    if (bg_segment_open_with(&u, &oc, &err) == 0) {
        acc st = {"建设5g网络", 0, 0, {0}, BG_FINE};
        bg_segment_run(u, st.text, strlen(st.text), cb, &st, &err);
        CHECK_STR(st.terms.data ? st.terms.data : "", "建设 5g网络",
                  "closed setting");
        bg_buf_free(&st.terms);
        bg_segment_close(u);
    } else
        CHECK(0, "closed setting: %s", err.msg);

    /* empty input: no tokens, no error */
    acc st = {"", 0, 0, {0}, BG_COARSE};
    CHECK(bg_segment_run(s, "", 0, cb, &st, &err) == 0 && st.next == 0,
          "empty input");
    bg_segment_close(s);
    bg_normalise_close(n);
    return runner_done();
}
