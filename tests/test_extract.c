/*
 * test_extract.c - the rule mechanism (data/rules-test), rule errors with
 * file and line (data/rules-bad), and theme phrases of real headings whose
 * right phrase is given by the gold file (tests/data/extraction/
 * gold-dev.jsonl, `theme` field).
 */
#include "extract.h"
#include "runner.h"

static bg_normaliser *norm;

/* Labels the first sentence of text (its only line, also its title when
 * title is set); returns the labels as "kind:rule" joined by spaces and the
 * theme phrase in phrase. */
static void label(bg_extractor *x, const char *text, int title, char *out,
                  size_t n, char *phrase, size_t pn)
{
    bg_text t;
    bg_sentence *sv = NULL;
    size_t ns = 0, nl = 0;
    bg_err err;
    bg_label l[BG_NKINDS];
    out[0] = phrase[0] = '\0';
    size_t len = strlen(text);
    if (bg_normalise_run(norm, text, len, 0, &t, &err) ||
        bg_sentence_split(&t, text, 0, 0, title ? len : 0, &sv, &ns, &err) ||
        ns == 0 || bg_extract_sentence(x, &t, &sv[0], 1, l, &nl, &err)) {
        snprintf(out, n, "error");
        return;
    }
    for (size_t i = 0; i < nl; i++) {
        size_t u = strlen(out);
        snprintf(out + u, n - u, "%s%s:%s", u ? " " : "",
                 bg_kind_name(l[i].kind), l[i].rule);
        if (l[i].kind == BG_KIND_THEME) {
            bg_buf b = {0};
            if (bg_extract_phrase(norm, &t, text, 0, &l[i], &b, &err) == 0)
                snprintf(phrase, pn, "%s", b.data);
            bg_buf_free(&b);
        }
    }
    free(sv);
    bg_text_free(&t);
}

int main(void)
{
    bg_extractor *x;
    bg_err err;
    char got[256], phrase[512];
    if (bg_normalise_open(&norm, &err) ||
        bg_extract_open(&x, data_path("rules-test"), &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    CHECK(bg_extract_nrules(x) == 9, "9 rules, got %zu", bg_extract_nrules(x));
    static const struct {
        const char *text, *want;
    } cases[] = {
        /* weights add up: 0.5 + 0.5 reaches 1 */
        {"學(xué)習(xí)還不夠深入。", "problem:p.half1"},
        {"學習還不夠。", ""},
        /* a veto outweighs */
        {"不存在形式主义问题。", ""},
        {"还存在形式主义问题。", "problem:p.cunzai"},
        /* the rule of largest weight is recorded */
        {"下一步，我们将加强学习。", "commitment:c.strong"},
        /* requires outline / forbids terminated / max_chars */
        {"一要深入學(xué)習(xí)。", "theme:t.outline"}, /* 0.5 alone: no */
        {"从思想上改起 从规矩上严起", "theme:t.line"},
        {"从思想上改起。", ""},
        {"一二三四五六七八九十一二三四五六七八九十一", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        label(x, cases[i].text, 0, got, sizeof got, phrase, sizeof phrase);
        CHECK_STR(got, cases[i].want, cases[i].text);
    }

    /* theme phrases: gold-dev.jsonl units and their `theme` values */
    static const struct {
        const char *text, *phrase;
        int title;
    } themes[] = {
        {"一要深入學(xué)習(xí)。", "深入学习", 0},
        {"三、深入現(xiàn)場(chǎng)對(duì)接,靠實(shí)幫扶責(zé)任。",
         "深入现场对接", 0},
        {"（二）关于经济体制改革", "经济体制改革", 0},
        {"一是明确信息宣传工作的重点。", "明确信息宣传工作的重点", 0},
        {"新疆维吾尔自治区质监局关于进一步加强新闻宣传工作的通知",
         "进一步加强新闻宣传工作", 1},
        {"第三篇:聯(lián)村聯(lián)戶、為民富民”心得體會(huì))",
         "联村联户、为民富民心得体会", 1},
        {"——生态环境质量稳中改善。", "生态环境质量稳中改善", 0},
        {"从思想上改起 从规矩上严起", "从思想上改起", 0},
        {"1、积极配合分公司做好vip客户工作", "积极配合分公司做好vip客户工作",
         0},
    };
    for (size_t i = 0; i < sizeof themes / sizeof *themes; i++) {
        label(x, themes[i].text, themes[i].title, got, sizeof got, phrase,
              sizeof phrase);
        CHECK_STR(phrase, themes[i].phrase, themes[i].text);
    }
    bg_extract_close(x);

    /* a bad rule names file, line, rule, PCRE2's offset and message */
    CHECK(bg_extract_open(&x, data_path("rules-bad"), &err) == BG_ERULE &&
              x == NULL,
          "bad rule rejected");
    char want[4200];
    snprintf(want, sizeof want,
             "%s/a.jsonl:2: rule \"broken\": pattern byte 7: missing "
             "closing parenthesis",
             data_path("rules-bad"));
    CHECK_STR(err.msg, want, "bad rule message");
    CHECK(bg_extract_open(&x, data_path("seed"), &err) == BG_ERULE &&
              strstr(err.msg, "no *.jsonl rule files"),
          "directory without rules");
    /* the shipped rules load */
    CHECK(bg_extract_open(&x, BG_DICT_DIR "/rules", &err) == 0,
          "shipped rules: %s", err.msg);
    bg_extract_close(x);
    bg_normalise_close(norm);
    return runner_done();
}
