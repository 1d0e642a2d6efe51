/*
 * test_segment.c - ICU word segmentation of the analysis form on the cases
 * of data/segment.tsv, and the token contract (every byte covered once,
 * punctuation and space never terms); the compiled dictionary's trie
 * (edges, leaves, Bloom filter) and the entries bg-dictc drops.
 */
#include "normalise.h"
#include "runner.h"
#include "segment.h"
#include "segment_int.h"

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
              h.nwords == 3 && h.total == 230,
          "trie remove");
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
 * as the shipped main dictionary holds them after bg-dictc. */
static void check_main_dict(void)
{
    static const struct {
        const char *w;
        uint32_t f;
        const char *why;
    } cases[] = {
        {"国有企业", 0, "3 n: placeholder count, 国有 + 企业: dropped"},
        {"结构调整", 0, "3 l: placeholder count, 结构 + 调整: dropped"},
        {"国有", 1, "its parts stay"},
        {"信息技术", 397, "397 n: a real count stays"},
        {"一心一意", 231, "231 i: a real count stays"},
        {"附图片", 3, "3 n: 附 is one character: stays"},
        {"重大成果", 3, "3 nz: tagged a proper noun: stays"},
    };
    bg_trie t;
    bg_err err;
    if (bg_trie_load(&t, bg_segment_main_dict(), &err)) {
        CHECK(0, "main dictionary: %s", err.msg);
        return;
    }
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint32_t f = bg_trie_freq(&t, cases[i].w, strlen(cases[i].w));
        CHECK(cases[i].f == 1 ? f > 0 : f == cases[i].f, "%s %u (%s)",
              cases[i].w, f, cases[i].why);
    }
    bg_trie_free(&t);
}

typedef struct acc {
    const char *text;
    size_t next; /* byte the next token must start at */
    int gap;
    bg_buf terms;
} acc;

static int cb(const bg_token *t, void *payload)
{
    acc *a = payload;
    if (t->start != a->next || t->end <= t->start)
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

/* Runs the cases of a data file with segmenter s. */
static void run_file(bg_normaliser *n, bg_segmenter *s, const char *name)
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
        acc st = {a, 0, 0, {0}};
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
    bg_segmenter *s, *u;
    bg_err err;
    if (bg_normalise_open(&n, &err) || bg_segment_open(&s, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    run_file(n, s, "segment.tsv");
    check_trie();
    check_main_dict();

    /* user words of every shape always win */
    const char *user[] = {data_path("userdict-test.txt")};
    char upath[4096];
    snprintf(upath, sizeof upath, "%s", user[0]);
    user[0] = upath;
    bg_segment_opts o = {NULL, user, 1, 0, n};
    if (bg_segment_open_with(&u, &o, &err) == 0) {
        run_file(n, u, "segment-user.tsv");
        bg_segment_close(u);
    } else
        CHECK(0, "user dictionary: %s", err.msg);

    /* a bad line is reported with file and line */
    char bpath[4096], want[4200];
    snprintf(bpath, sizeof bpath, "%s", data_path("userdict-bad.txt"));
    const char *bad[] = {bpath};
    bg_segment_opts ob = {NULL, bad, 1, 0, n};
    CHECK(bg_segment_open_with(&u, &ob, &err) == BG_EDATA && u == NULL,
          "bad user dictionary rejected");
    snprintf(want, sizeof want,
             "%.2000s:3: frequency 0 (omit it for the default)", bpath);
    CHECK_STR(err.msg, want, "bad dictionary line");

    /* closed setting: only the given words; 建 and 设 are in no dictionary,
     * so the out-of-vocabulary run 建设 is one word */
    const char *closed[] = {upath};
    bg_segment_opts oc = {NULL, closed, 1, 1, n};
    if (bg_segment_open_with(&u, &oc, &err) == 0) {
        acc st = {"建设5g网络", 0, 0, {0}};
        bg_segment_run(u, st.text, strlen(st.text), cb, &st, &err);
        CHECK_STR(st.terms.data ? st.terms.data : "", "建设 5g网络",
                  "closed setting");
        bg_buf_free(&st.terms);
        bg_segment_close(u);
    } else
        CHECK(0, "closed setting: %s", err.msg);

    /* empty input: no tokens, no error */
    acc st = {"", 0, 0, {0}};
    CHECK(bg_segment_run(s, "", 0, cb, &st, &err) == 0 && st.next == 0,
          "empty input");
    bg_segment_close(s);
    bg_normalise_close(n);
    return runner_done();
}
