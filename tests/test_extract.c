/*
 * test_extract.c - the rule mechanism (data/rules-test), rule errors with
 * file and line (data/rules-bad), and theme phrases of real headings whose
 * right phrase is given by the gold file (tests/data/extraction/
 * gold-dev.jsonl, `theme` field); clause-scoped vetoes, section contexts,
 * phrase and attribute rules and the taxonomy (data/rules-context,
 * data/taxonomy-test.jsonl) on small documents. Rule gates
 * (extract_gate.c): the gate strings of patterns worked out by hand, and
 * the labels of the extraction documents and the sample corpus with gates
 * on and off (they must be the same).
 */
#include "docrec.h"
#include "extract.h"
#include "extract_int.h"
#include "runner.h"

#include <dirent.h>

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
    if (bg_docrec_normalise(norm, text, len, 0, &t, &err) ||
        bg_sentence_split(&t, text, 0, 0, title ? len : 0, &sv, &ns, &err) ||
        ns == 0 || bg_extract_document(x, &t, sv, ns, &err) ||
        bg_extract_sentence(x, 0, l, &nl, &err)) {
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

/* Labels every sentence of doc (its first line the title when title is
 * set): "kinds/context" per sentence joined by " | " (kinds as k p c
 * letters, "-" for none); the details of sentence `at` go to detail:
 * phrase, actor, horizon, mode, category, clause (analysis form). */
static void label_doc(bg_extractor *x, const char *doc, int title, size_t at,
                      char *out, size_t n, char *detail, size_t dn)
{
    bg_text t;
    bg_sentence *sv = NULL;
    size_t ns = 0;
    bg_err err;
    out[0] = detail[0] = '\0';
    size_t len = strlen(doc), tl = title ? strcspn(doc, "\n") : 0;
    if (bg_docrec_normalise(norm, doc, len, 0, &t, &err) ||
        bg_sentence_split(&t, doc, 0, 0, tl, &sv, &ns, &err) ||
        bg_extract_document(x, &t, sv, ns, &err)) {
        snprintf(out, n, "error: %.900s", err.msg);
        return;
    }
    for (size_t i = 0; i < ns; i++) {
        bg_label l[BG_NKINDS];
        size_t nl, u = strlen(out);
        if (bg_extract_sentence(x, i, l, &nl, &err)) {
            snprintf(out, n, "error: %.900s", err.msg);
            break;
        }
        char kinds[4] = "-";
        for (size_t k = 0; k < nl; k++)
            kinds[k] = "tpc"[l[k].kind];
        kinds[nl ? nl : 1] = '\0';
        const char *ctx = bg_extract_context(x, i);
        snprintf(out + u, n - u, "%s%s%s%s", u ? " | " : "", kinds,
                 ctx ? "/" : "", ctx ? ctx : "");
        for (size_t k = 0; k < nl && i == at; k++) {
            size_t d = strlen(detail);
            bg_buf b = {0};
            if (l[k].kind == BG_KIND_THEME)
                bg_extract_phrase(norm, &t, doc, 0, &l[k], &b, &err);
            int cl = l[k].kind == BG_KIND_THEME
                         ? 0
                         : (int)(l[k].clause_end - l[k].clause_start);
            snprintf(
                detail + d, dn - d, "%s%s:%s%s%s%s%s%s%s%s%s%s%.*s",
                d ? " " : "", bg_kind_name(l[k].kind), b.data ? b.data : "",
                l[k].actor ? " actor=" : "", l[k].actor ? l[k].actor : "",
                l[k].horizon ? " horizon=" : "",
                l[k].horizon ? l[k].horizon : "", l[k].mode ? " mode=" : "",
                l[k].mode ? l[k].mode : "", l[k].category ? " category=" : "",
                l[k].category ? l[k].category : "", cl ? " " : "", cl,
                t.analysis + l[k].clause_start);
            bg_buf_free(&b);
        }
    }
    free(sv);
    bg_text_free(&t);
}

/* The gate of pattern as its strings sorted and joined by spaces, or
 * "-" for none. */
static void gate_of(const char *pattern, char *out, size_t n)
{
    bg_gate_str *v;
    size_t ng;
    char *w[64];
    size_t nw = 0;
    out[0] = '\0';
    if (bg_gate_analyse(pattern, &v, &ng)) {
        snprintf(out, n, "oom");
        return;
    }
    for (size_t i = 0; i < ng && nw < 64; i++) {
        char b[16];
        size_t k = v[i].c0 == BG_GATE_START ? (size_t)(b[0] = '^', 1)
                                            : bg_utf8_put(v[i].c0, b);
        if (v[i].c1)
            k += bg_utf8_put(v[i].c1, b + k);
        b[k] = '\0';
        w[nw++] = strdup(b);
    }
    free(v);
    for (size_t i = 1; i < nw; i++) /* insertion sort, byte order */
        for (size_t j = i; j > 0 && strcmp(w[j - 1], w[j]) > 0; j--) {
            char *t = w[j];
            w[j] = w[j - 1];
            w[j - 1] = t;
        }
    for (size_t i = 0; i < nw; i++) {
        size_t u = strlen(out);
        snprintf(out + u, n - u, "%s%s", i ? " " : "", w[i]);
        free(w[i]);
    }
    if (!nw)
        snprintf(out, n, "-");
}

/* Everything extraction says of every sentence of doc, one line each:
 * kinds, rules, scores, clauses, context, attributes and cues. */
static void label_all(bg_extractor *x, const char *doc, bg_buf *out)
{
    bg_text t;
    bg_sentence *sv = NULL;
    size_t ns = 0;
    bg_err err;
    out->len = 0;
    size_t len = strlen(doc), tl = strcspn(doc, "\n");
    if (bg_docrec_normalise(norm, doc, len, 0, &t, &err) ||
        bg_sentence_split(&t, doc, 0, 0, tl, &sv, &ns, &err) ||
        bg_extract_document(x, &t, sv, ns, &err)) {
        bg_buf_printf(out, "error: %s", err.msg);
        return;
    }
    for (size_t i = 0; i < ns; i++) {
        bg_label l[BG_NKINDS];
        size_t nl;
        if (bg_extract_sentence(x, i, l, &nl, &err)) {
            bg_buf_printf(out, "error: %s", err.msg);
            break;
        }
        const char *ctx = bg_extract_context(x, i);
        bg_buf_printf(out, "%zu %s:", i, ctx ? ctx : "");
        for (size_t k = 0; k < nl; k++) {
            bg_buf_printf(
                out, " %s/%s/%g/%zu-%zu/%s/%s/%s/%s", bg_kind_name(l[k].kind),
                l[k].rule, l[k].score, l[k].clause_start, l[k].clause_end,
                l[k].actor ? l[k].actor : "", l[k].horizon ? l[k].horizon : "",
                l[k].mode ? l[k].mode : "", l[k].category ? l[k].category : "");
            for (size_t c = 0; c < l[k].ncues; c++)
                bg_buf_printf(out, " [%s %zu-%zu]", l[k].cues[c].rule,
                              l[k].cues[c].a_start, l[k].cues[c].a_end);
        }
        bg_buf_printf(out, "\n");
    }
    free(sv);
    bg_text_free(&t);
}

/* Labels every *.txt file of dir with gates on and off; returns the number
 * of files compared (each comparison is a CHECK). */
static size_t gates_same(bg_extractor *x, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t n = 0;
    if (!d)
        return 0;
    while ((de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        if (nl < 4 || strcmp(de->d_name + nl - 4, ".txt") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        bg_buf text = {0}, on = {0}, off = {0};
        char chunk[65536];
        size_t got;
        while (f && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
            bg_buf_add(&text, chunk, got);
        if (f)
            fclose(f);
        if (text.len && bg_utf8_valid_prefix(text.data, text.len) == text.len) {
            bg_extract_use_gates(x, 1);
            label_all(x, text.data, &on);
            bg_extract_use_gates(x, 0);
            label_all(x, text.data, &off);
            bg_extract_use_gates(x, 1);
            CHECK(on.len && on.len == off.len &&
                      memcmp(on.data, off.data, on.len) == 0 &&
                      !strstr(on.data, "error"),
                  "%s: labels differ with and without gates", path);
            n++;
        }
        bg_buf_free(&text);
        bg_buf_free(&on);
        bg_buf_free(&off);
    }
    closedir(d);
    return n;
}

/* Opens the rules of dir, or prints why not and exits (no case can run
 * without them). */
static bg_extractor *open_rules(const char *dir)
{
    bg_extractor *x;
    bg_err err;
    if (bg_extract_open(&x, dir, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    return x;
}

/* data/rules-test: weights add up, vetoes, the largest weight's rule,
 * requires / forbids / max_chars. */
static void rule_weights_and_properties(void)
{
    bg_extractor *x = open_rules(data_path("rules-test"));
    char got[256], phrase[512];
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
    bg_extract_close(x);
}

/* theme phrases: gold-dev.jsonl units and their `theme` values */
static void theme_phrases(void)
{
    bg_extractor *x = open_rules(data_path("rules-test"));
    char got[256], phrase[512];
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
}

/* a bad rule names file, line, rule, PCRE2's offset and message */
static void bad_rule_message(void)
{
    bg_extractor *x;
    bg_err err;
    char want[4200];
    CHECK(bg_extract_open(&x, data_path("rules-bad"), &err) == BG_ERULE &&
              x == NULL,
          "bad rule rejected");
    snprintf(want, sizeof want,
             "%.2000s/a.jsonl:2: rule \"broken\": pattern byte 7: missing "
             "closing parenthesis",
             data_path("rules-bad"));
    CHECK_STR(err.msg, want, "bad rule message");
}

/* clause scope, contexts, phrase and attribute rules, taxonomy
 * (data/rules-context, data/taxonomy-test.jsonl) */
static void clause_scope_contexts_taxonomy(void)
{
    bg_extractor *x;
    bg_err err;
    char doc_got[1024], detail[512];
    CHECK(bg_extract_open(&x, data_path("rules-context"), &err) == 0 &&
              bg_extract_taxonomy(x, data_path("taxonomy-test.jsonl"), &err) ==
                  0,
          "rules-context: %s", err.msg);
    static const struct {
        const char *doc;
        int title;
        size_t at;
        const char *want, *detail;
    } docs[] = {
        /* a clause-scoped veto cancels only cues of its own clause */
        {"我们开展了调研,还要继续做好。", 0, 0, "c",
         "commitment: mode=pledge 还要继续做好"},
        {"我们要开展了调研。", 0, 0, "-", ""},
        /* a span veto cancels the cues of every clause its match covers
         * (紧盯 ... 等问题 over a comma), and of no other clause */
        {"紧盯收费,乱收费等问题。", 0, 0, "-", ""},
        {"乱收费,紧盯收费等问题。", 0, 0, "p", "problem: category=其他 乱收费"},
        /* a plan heading's section; a review heading raises the bar; a
         * heading is outside its own section */
        {"一、工作回顾\n（一）抓好学习。\n（二）要抓好学习。\n二、下一步的打算"
         "\n"
         "（一）要加强学习。\n（二）我们明年要完善制度。\n三、其他\n（一）做好"
         "总结。",
         0, 5, "t | t/review | t/review | t | tc/plan | tc/plan | t | t",
         "theme:我们明年要完善制度 commitment: actor=我们 horizon=明年 "
         "mode=pledge 我们明年要完善制度"},
        {"一、下一步的打算\n（一）要加强学习。", 0, 1, "t | tc/plan",
         "theme:加强学习 commitment: mode=pledge 要加强学习"},
        /* a lead reaches to the next heading above its first item's level */
        {"一、总体情况\n现做如下安排:\n（一）开会。\n（二）学习。\n二、附则", 0,
         2, "t | - | tc/plan | tc/plan | t",
         "theme:开会 commitment: mode=pledge 开会"},
        /* a heading whose section (subsections included) is mostly
         * commitments by its own cues opens a body context, the heading
         * inside it; 1 of 3 is not half, and 1 sentence is too few */
        {"一、学习\n（一）开会。\n我们要学习。\n我们要总结。\n二、其他\n"
         "我们学习了。\n我们开会了。\n我们要总结。\n三、附则\n我们要总结。",
         0, 2, "tc/plan | tc/plan | c/plan | c/plan | t | - | - | c | t | c",
         "commitment: actor=我们 mode=pledge 我们要学习"},
        /* a directive document: the whole of it */
        {"关于开展学习的通知\n一、各单位要于5月1日前上报。", 1, 1,
         "- | tc/directive",
         "theme:各单位要于5月1日前上报 commitment: actor=各单位 "
         "horizon=5月1日前 "
         "mode=directive 各单位要于5月1日前上报"},
        /* the problem's category: the clause first, then the sentence */
        {"安全工作中,还存在形式主义问题。", 0, 0, "p",
         "problem: category=作风 还存在形式主义问题"},
        {"工作中还存在一些问题,有安全隐患。", 0, 0, "p",
         "problem: category=安全隐患 工作中还存在一些问题"},
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        label_doc(x, docs[i].doc, docs[i].title, docs[i].at, doc_got,
                  sizeof doc_got, detail, sizeof detail);
        CHECK_STR(doc_got, docs[i].want, docs[i].doc);
        CHECK_STR(detail, docs[i].detail, docs[i].doc);
    }
    bg_extract_close(x);
}

/* an unknown property or context names file and line */
static void unknown_context_message(void)
{
    bg_extractor *x;
    bg_err err;
    char want[4200];
    CHECK(bg_extract_open(&x, data_path("rules-bad-context"), &err) ==
                  BG_ERULE &&
              x == NULL,
          "unknown context rejected");
    snprintf(
        want, sizeof want,
        "%.2000s/a.jsonl:1: unknown property \"plna\" (outline, title, line, "
        "terminated, first_line, heading, or a context named by a "
        "\"context\" rule)",
        data_path("rules-bad-context"));
    CHECK_STR(err.msg, want, "unknown context message");
}

/* "decides" belongs to part rules */
static void decides_only_on_part_rules(void)
{
    bg_extractor *x;
    bg_err err;
    char want[4200];
    CHECK(bg_extract_open(&x, data_path("rules-bad-decides"), &err) ==
                  BG_ERULE &&
              x == NULL,
          "decides on a context rule rejected");
    snprintf(want, sizeof want,
             "%.2000s/a.jsonl:1: \"decides\" is a list of kinds, for a part "
             "rule",
             data_path("rules-bad-decides"));
    CHECK_STR(err.msg, want, "decides message");
}

/* a directory with no *.jsonl rule files is an error */
static void directory_without_rules(void)
{
    bg_extractor *x;
    bg_err err;
    CHECK(bg_extract_open(&x, data_path("seed"), &err) == BG_ERULE &&
              strstr(err.msg, "no *.jsonl rule files"),
          "directory without rules");
}

/* the shipped rules load */
static void shipped_rules_load(void)
{
    bg_extractor *x = NULL;
    bg_err err;
    CHECK(bg_extract_open(&x, BG_DICT_DIR "/rules", &err) == 0,
          "shipped rules: %s", err.msg);
    bg_extract_close(x);
}

/* a complaint record's parts decide problems (structure.jsonl "decides"):
 * a grievance the rules find in the letter stands whatever the model
 * says; a sentence with no problem cue is not decided */
static void complaint_parts_decide_problems(void)
{
    bg_extractor *x = open_rules(BG_DICT_DIR "/rules");
    bg_err err;
    static const char rec[] = "投诉某公司拖欠工资\n"
                              "公司拖欠我们三个月工资。\n"
                              "我们多次找公司。\n"
                              "答复：\n"
                              "经查，该公司拖欠工资属实。";
    bg_text t;
    bg_sentence *sv = NULL;
    size_t ns = 0;
    unsigned d[5] = {0};
    const unsigned P = 1u << BG_KIND_PROBLEM;
    if (bg_docrec_normalise(norm, rec, strlen(rec), 0, &t, &err) == 0 &&
        bg_sentence_split(&t, rec, 0, 0, strcspn(rec, "\n"), &sv, &ns, &err) ==
            0 &&
        bg_extract_document(x, &t, sv, ns, &err) == 0 && ns == 5)
        for (size_t i = 0; i < ns; i++)
            d[i] = bg_extract_decided(x, i);
    CHECK(ns == 5, "complaint record: %zu sentences", ns);
    CHECK((d[1] & P) && !(d[2] & P) && (d[4] & P),
          "decided problems: letter %u %u, reply %u", d[1], d[2], d[4]);
    free(sv);
    bg_text_free(&t);
    bg_extract_close(x);
}

/* The kinds letters ("tpc" subset or "-") of sentence i in label_doc's
 * output, or "?" when there is no such sentence. */
static const char *kinds_at(const char *out, size_t i, char *buf, size_t n)
{
    const char *p = out;
    for (size_t k = 0; k < i && p; k++)
        if ((p = strstr(p, " | ")))
            p += 3;
    if (!p || !*p)
        return "?";
    size_t len = strcspn(p, "/ ");
    snprintf(buf, n, "%.*s", (int)len, p);
    return buf;
}

/* The shipped rules alone (no learned layer) on made-up complaint records
 * of the letter and reply families review-4 audited: an order the reply
 * reports carried out or answered, or a rule it quotes, is no commitment
 * (commitment.not-order-done), a pending order is (commitment.reply-order);
 * 立即将, a plan document's name and a negated schedule are no scheduled
 * plan (commitment.reply-scheduled); the 光 of 军用光缆 is no money spent,
 * a charge not due is no loss (problem.letter-loss); a prohibition quoted
 * in a letter (不允许…歧视) is no grievance (problem.letter-unfair), and
 * 不得到+place is a prohibition (problem.not-denied); an order answered
 * with 现将结果报告如下 and one told as standing practice (每月…巡查,并督促…)
 * are none, a routine the office pledges (我局将不定期巡查,并督促…) is
 * (commitment.not-standing-order). Sentence by sentence,
 * the expected kinds follow GUIDELINES.md. */
static void shipped_letter_reply_families(void)
{
    bg_extractor *x = NULL;
    bg_err err;
    if (bg_extract_open_rules(&x, BG_DICT_DIR "/rules", &err)) {
        CHECK(0, "shipped rules: %s", err.msg);
        return;
    }
    static const char rec[] =
        "反映小区楼道堆放杂物的问题\n"
        "楼道里堆满了杂物，物业却不清理。\n"
        "小区旁边埋有一条军用光缆。\n"
        "为了给孩子治病，家里的钱都用光了。\n"
        "规定中写明不允许对外地学生有任何歧视。\n"
        "物业说不需要额外交任何费用。\n"
        "按规定，民办学校不得到外县违规招生。\n"
        "答复：\n"
        "网友您好，来信收悉。"
        "我办接到留言后，立即责成街道城管科调查核实，现将调查情况答复如下。"
        "经查，已责令该住户清理楼道杂物，现已清理完毕。"
        "已责成物业公司加强日常巡查。"
        "对于占用消防通道的，由消防救援大队责令限期改正。"
        "对此类行为依法应予以责令停止。"
        "街道办立即将您反映的情况转告物业公司。"
        "该路段已列入《老旧小区改造计划实施方案》。"
        "近期内不会有拓宽该路段的安排。"
        "预计下月底前完成维修。"
        "已责令该店停止占道经营，下一步将加强巡查。"
        "街道责成开发商限期整改，问题已得到解决。"
        "我们接到留言后，责成城管科调查核实，现将结果报告如下。"
        "街道城管中队每月对沿街商铺进行巡查，并督促店主清理门前杂物。"
        "下一步，我局将不定期巡查，并督促物业更换过期的灭火器。";
    /* sentence: kinds (t theme, p problem, c commitment, - none) */
    static const struct {
        size_t i;
        const char *kinds;
    } want[] = {{1, "p"},   {2, "-"},  {3, "p"},  {4, "-"},  {5, "-"},
                {6, "-"},   {9, "-"},  {10, "-"}, {11, "c"}, {12, "-"},
                {13, "-"},  {14, "-"}, {15, "-"}, {16, "-"}, {17, "c"},
                {18, "pc"}, {19, "-"}, {20, "-"}, {21, "-"}, {22, "c"}};
    char out[4096], detail[512], buf[8];
    label_doc(x, rec, 1, 0, out, sizeof out, detail, sizeof detail);
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        const char *got = kinds_at(out, want[k].i, buf, sizeof buf);
        CHECK(strcmp(got, want[k].kinds) == 0,
              "letter/reply families: sentence %zu labelled %s, want %s (%s)",
              want[k].i, got, want[k].kinds, out);
    }
    bg_extract_close(x);
}

/* The shipped rules alone on a made-up letter whose grievances are told as
 * a story, with no report's word for them (problem.jsonl letter families):
 * an effect on the writer's life (影响出行), an act done with 将 as the
 * object's marker (物业将…卖掉) or with 被 (被闲置), an effort that came to
 * nothing (劝导无效), passing the buck (踢皮球), a wrong kept up (照样施工),
 * strain (不堪忍受), a broken rule (违背规定), and 视若无睹 (its 若 no
 * supposition); and what is none: a feared effect (怕耽误), a denied one
 * (不影响), a future 将, a demanded order (责令…将…拆除), an intention
 * (本想把…卖掉) or a possibility (可能被推倒); 将 marking an object is no
 * forecast of a delay (我们将材料交上去都快一年了). Kinds follow
 * GUIDELINES.md (Conventions: complaint letters). */
static void shipped_letter_story_families(void)
{
    bg_extractor *x = NULL;
    bg_err err;
    if (bg_extract_open_rules(&x, BG_DICT_DIR "/rules", &err)) {
        CHECK(0, "shipped rules: %s", err.msg);
        return;
    }
    static const char rec[] = "投诉某小区物业\n"
                              "垃圾天天堆在路口，影响出行。\n"
                              "物业将小区的公共车位卖掉了。\n"
                              "新修的篮球场被闲置了两年。\n"
                              "邻居们上门劝导无效。\n"
                              "几个部门之间互相踢皮球。\n"
                              "工地晚上照样施工。\n"
                              "晚上的噪音让人不堪忍受。\n"
                              "这种收费违背有关规定。\n"
                              "街道对此视若无睹。\n"
                              "我们怕耽误孩子上学。\n"
                              "施工在白天进行不影响休息。\n"
                              "物业将于下月更换电梯。\n"
                              "请求责令开发商将围墙拆除。\n"
                              "我们将材料交上去都快一年了。\n"
                              "家里本想把老房子卖掉给我治病。\n"
                              "围墙随时可能被推倒。\n"
                              "答复：\n"
                              "网友您好，来信收悉。";
    static const struct {
        size_t i;
        const char *kinds;
    } want[] = {{1, "p"},  {2, "p"},  {3, "p"},  {4, "p"},
                {5, "p"},  {6, "p"},  {7, "p"},  {8, "p"},
                {9, "p"},  {10, "-"}, {11, "-"}, {12, "-"},
                {13, "-"}, {14, "p"}, {15, "-"}, {16, "-"}};
    char out[4096], detail[512], buf[8];
    label_doc(x, rec, 1, 0, out, sizeof out, detail, sizeof detail);
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        const char *got = kinds_at(out, want[k].i, buf, sizeof buf);
        CHECK(strcmp(got, want[k].kinds) == 0,
              "letter story families: sentence %zu labelled %s, want %s (%s)",
              want[k].i, got, want[k].kinds, out);
    }
    bg_extract_close(x);
}

/* The shipped rules alone on a made-up letter whose grievances carry no
 * report's cue word (problem.jsonl letter families, issue 10): a wrong
 * implied by a comparison (唯独我们村, 同岗不同酬), a duty left undone told
 * with a bare 不 (从来不维修), a short pay (只发三百元), an injury told as
 * an event (摔伤了腿), a bad state stressed with 这么, misconduct in its own
 * word (串标), a hardship (不堪重负), an act done with 被 (被人顶替); and
 * what is none: a comparison asked for (能否像别的小区一样…), a price
 * (只需五元), a fear (怕…被车撞), a question about benefits (抚恤标准),
 * a proposal put as a question (为什么不把…), 块 counting things, a
 * supposition (如果物业不维修…) and a plea to punish (请严查…串标).
 * Kinds follow GUIDELINES.md (Conventions: complaint letters). */
static void shipped_letter_unmarked_families(void)
{
    bg_extractor *x = NULL;
    bg_err err;
    if (bg_extract_open_rules(&x, BG_DICT_DIR "/rules", &err)) {
        CHECK(0, "shipped rules: %s", err.msg);
        return;
    }
    static const char rec[] = "反映某村公交车和补贴的问题\n"
                              "周边几个村都有公交车开进来，唯独我们村例外。\n"
                              "物业从来不维修楼道的灯。\n"
                              "每月只发三百元生活费。\n"
                              "老人下楼时摔伤了腿。\n"
                              "办个证这么难。\n"
                              "招标时有人串标。\n"
                              "医药费让家里不堪重负。\n"
                              "修路的名额被人顶替了。\n"
                              "临时工和正式工同岗不同酬。\n"
                              "能否像别的小区一样装上路灯？\n"
                              "门票只需五元。\n"
                              "怕孩子过马路被车撞。\n"
                              "工伤死亡抚恤标准是多少？\n"
                              "为什么不把公交线路延长到我们村？\n"
                              "地上只有三块地砖是好的。\n"
                              "如果物业不维修，我们就自己修。\n"
                              "请严查招标时串标的行为。\n"
                              "答复：\n"
                              "网友您好，来信收悉。";
    static const struct {
        size_t i;
        const char *kinds;
    } want[] = {{1, "p"},  {2, "p"},  {3, "p"},  {4, "p"},  {5, "p"},
                {6, "p"},  {7, "p"},  {8, "p"},  {9, "p"},  {10, "-"},
                {11, "-"}, {12, "-"}, {13, "-"}, {14, "-"}, {15, "-"},
                {16, "-"}, {17, "-"}};
    char out[4096], detail[512], buf[8];
    label_doc(x, rec, 1, 0, out, sizeof out, detail, sizeof detail);
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        const char *got = kinds_at(out, want[k].i, buf, sizeof buf);
        CHECK(strcmp(got, want[k].kinds) == 0,
              "letter unmarked families: sentence %zu labelled %s, want %s "
              "(%s)",
              want[k].i, got, want[k].kinds, out);
    }
    bg_extract_close(x);
}

/* gates: the strings every match begins with, worked by hand from
 * PCRE2's syntax ("-": no gate, the pattern always runs) */
static void gate_strings(void)
{
    static const struct {
        const char *pattern, *want;
    } gates[] = {
        {"(?:存在|还有)[^。]{0,3}问题", "存在 还有"},
        {"(?<!是否|可能)存在", "存在"},
        {"(?:^|[,;])请", ",请 ;请 请"},
        {"(?:我们|我)(?:也)?将", "我也 我们 我将"},
        {"(?:的)?差距", "差距 的差"},
        {"(?:也|还)*要", "也 要 还"}, /* byte order */
        {"乱(?:提|发)", "乱发 乱提"},
        {"(?<value>今年|明年)", "今年 明年"},
        {"(?=我)我们", "我们"},
        {"要(?![求素])", "要"},
        {"吗[^,]{0,10}\\?", "吗 吗?"},
        {"[a-c]x", "ax bx cx"},
        {"\\.com", ".c"},
        {"x{2}y", "x"},
        {"(?#note)关于", "关于"},
        {"a?", "-"}, /* can match the empty string */
        /* after ^ anything: the start of the subject ("^") */
        {"^[^,;。]{0,12}:?$", ": ^"},
        {"^.要|^\\p{Han}", "^"},
        {"(?:^|,)[^,]", ", ^"},
        /* digits fold to 0 and spaces to " " (\d and \s are one each) */
        {"\\d+月", "0"},
        {"[1-3]月|[\\d,]x", ",x 0x 0月"},
        {"\\s*要", "  要"},
        {"[\\n。]请", " 请 。请"},
        {"[\\t-~]", "-"},  /* a range from an escape: not modelled */
        {"(?i)abc", "-"},  /* options */
        {"a{,3}", "-"},    /* a quantifier in later PCRE2 */
        {"(*UCP)要", "-"}, /* verbs */
        {"\\G要", "-"},    /* \G: the search starts at a candidate instead */
        {"关于|.", "-"},   /* one branch begins anywhere */
        {"", "-"},
        /* a review's counterexamples (each once gave a gate that a
         * match broke): comments are nothing, so a quantifier after one
         * is the atom's; \d{ and \c{ take no brace argument; [[:x] is no
         * POSIX class; (?<* is a non-atomic lookbehind */
        {"存在(?#注)?问题", "存在 存问"},
        {"x(?#c)*y|z", "x y z"},
        {"中中*(?#x)?", "-"},
        {"Q\\d{|R}", "Q0 R}"},
        {"Q\\c{|R}", "Q R}"},
        {"Z[[:x]|ab:]", "Z: Z[ Zx ab"},
        {"(?<*a)(?:[>]Q|R)", "-"},
    };
    for (size_t i = 0; i < sizeof gates / sizeof *gates; i++) {
        char g[512];
        gate_of(gates[i].pattern, g, sizeof g);
        CHECK_STR(g, gates[i].want, gates[i].pattern);
    }
}

/* The end gate of pattern as its characters sorted by code point and
 * joined by spaces, or "-" for none. */
static void end_of(const char *pattern, char *out, size_t n)
{
    uint32_t *v;
    size_t ne, k = 0;
    out[0] = '\0';
    if (bg_gate_end(pattern, &v, &ne)) {
        snprintf(out, n, "oom");
        return;
    }
    for (size_t i = 1; i < ne; i++) /* insertion sort */
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint32_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    for (size_t i = 0; i < ne && k + 6 < n; i++) {
        if (i)
            out[k++] = ' ';
        k += bg_utf8_put(v[i], out + k);
    }
    out[k] = '\0';
    free(v);
    if (!ne)
        snprintf(out, n, "-");
}

/* end gates: the characters every match ends with when it must end at
 * the subject's end, worked by hand from PCRE2's syntax ("-": none) */
static void end_gates(void)
{
    static const struct {
        const char *pattern, *want;
    } ends[] = {
        {"^[^,]*(?:通知|意见|办法)$", "法 知 见"},
        {"(?:关于)?通知$", "知"},
        {"的(?:报告|汇报)?$", "告 报 的"}, /* the group may be empty */
        {"[一二三]、[^;]*[;,、]$", ", ; 、"},
        {"\\d+$", "0"},
        {"要点(?<!重要点)$", "点"}, /* a lookbehind consumes nothing */
        {"([a-c])\\b$", "a b c"},
        {"x$|y$", "x y"},
        {"x|y$", "-"},      /* a branch without $ */
        {"(?:x$|y$)", "-"}, /* $ inside a group: not modelled */
        {"[^,]$", "-"},     /* a negated class: any character */
        {"\\p{Han}$", "-"}, /* not modelled */
        {"x?$", "-"},       /* may match nothing */
        {"^$", "-"},
        {"(?i)x$", "-"},  /* options */
        {"x$(?=y)", "-"}, /* $ not last */
        {"x\\z", "-"},
        {"(?<n>报告)$", "告"},
    };
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        char g[512];
        end_of(ends[i].pattern, g, sizeof g);
        CHECK_STR(g, ends[i].want, ends[i].pattern);
    }
}

/* most of the shipped rules have a gate */
static void shipped_rules_gated(void)
{
    bg_extractor *x = open_rules(BG_DICT_DIR "/rules");
    CHECK(bg_extract_ngated(x) >= bg_extract_nrules(x) / 2,
          "most shipped rules have a gate: %zu of %zu", bg_extract_ngated(x),
          bg_extract_nrules(x));
    bg_extract_close(x);
}

/* gates change no label, context, attribute or cue (the extraction
 * documents and the sample corpus, labelled with gates on and off) */
static void gates_change_no_label(void)
{
    bg_extractor *x = open_rules(BG_DICT_DIR "/rules");
    size_t compared = gates_same(x, BG_TEST_DATA "/extraction/docs");
    static const char *const corpus[] = {"seed", "gwr", "pkulaw",
                                         "provincial-gwr-2025"};
    for (size_t i = 0; i < sizeof corpus / sizeof *corpus; i++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/corpus/%s", BG_SOURCE_DIR, corpus[i]);
        compared += gates_same(x, dir);
    }
    CHECK(compared >= 25, "%zu documents compared with and without gates",
          compared);
    bg_extract_close(x);
}

/* the shipped model: it loads with the shipped rules and gives the
 * probabilities its training figures list (dict/rules/model.json,
 * "check": every sentence of two training documents, six decimals) */
static void shipped_model_probabilities(void)
{
    bg_err err;
    const char *dirs[] = {BG_TEST_DATA "/extraction/docs",
                          BG_TEST_DATA "/extraction/train/docs"};
    size_t checked = 0;
    double maxdiff = 1;
    int rc = bg_extract_model_check(BG_DICT_DIR "/rules", dirs, 2, &checked,
                                    &maxdiff, &err);
    CHECK(rc == 0, "model check: %s", rc ? err.msg : "");
    CHECK(checked >= 40, "model check: %zu sentences scored", checked);
    CHECK(maxdiff <= 5.1e-7,
          "model check: largest difference from the stored "
          "probabilities %g (rounding to six decimals allows 5e-7)",
          maxdiff);
}

int main(void)
{
    bg_err err;
    if (bg_normalise_open(&norm, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    RUN(rule_weights_and_properties);
    RUN(theme_phrases);
    RUN(bad_rule_message);
    RUN(clause_scope_contexts_taxonomy);
    RUN(unknown_context_message);
    RUN(decides_only_on_part_rules);
    RUN(directory_without_rules);
    RUN(shipped_rules_load);
    RUN(complaint_parts_decide_problems);
    RUN(shipped_letter_reply_families);
    RUN(shipped_letter_story_families);
    RUN(shipped_letter_unmarked_families);
    RUN(gate_strings);
    RUN(end_gates);
    RUN(shipped_rules_gated);
    RUN(gates_change_no_label);
    RUN(shipped_model_probabilities);
    bg_normalise_close(norm);
    return runner_done();
}
