/*
 * fuzz_rules.c - fuzz target: the rule loader (extract.h) on the input as
 * a rule file, and as a taxonomy file; a rule set that loads is run over
 * a short report (three sentences, a heading and a plan). Checks: only
 * BG_ERULE / BG_EPCRE errors, each naming the file; labels of loaded
 * rules stay inside their sentences.
 */
#include "extract.h"
#include "fuzz_text.h"
#include "sentence.h"

#include <sys/stat.h>

static const char DOC[] = "关于加强作风建设的报告\n"
                          "一、存在的问题\n"
                          "一是学习不够深入，理论联系实际不够。\n"
                          "二、下一步工作打算\n"
                          "我们将进一步加强学习，切实改进作风。\n";
static bg_text doc_text;
static bg_sentence *doc_sv;
static size_t doc_ns;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bg_err err;
    fuzz_text_init();
    if (bg_normalise_run(fuzz_norm, DOC, sizeof DOC - 1, 0, NULL, &doc_text,
                         &err) ||
        bg_sentence_split(&doc_text, DOC, 0, 0, 33, &doc_sv, &doc_ns, &err)) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        abort();
    }
    char dir[300];
    snprintf(dir, sizeof dir, "%s/rules", fuzz_tmpdir());
    mkdir(dir, 0700);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("rules/fuzz.jsonl", data, size);
    char dir[300];
    snprintf(dir, sizeof dir, "%s/rules", fuzz_tmpdir());
    bg_extractor *x = NULL;
    bg_err err;
    int rc = bg_extract_open(&x, dir, &err);
    if (rc) {
        FUZZ_CHECK(!x);
        FUZZ_CHECK(rc == BG_ERULE || rc == BG_EPCRE || rc == BG_EJSON);
        FUZZ_CHECK(strstr(err.msg, "fuzz.jsonl") != NULL);
        return 0;
    }
    rc = bg_extract_taxonomy(x, path, &err);
    FUZZ_CHECK(rc == 0 || rc == BG_ERULE || rc == BG_EPCRE || rc == BG_EJSON);
    rc = bg_extract_document(x, &doc_text, doc_sv, doc_ns, &err);
    FUZZ_CHECK(rc == 0 || rc == BG_EPCRE); /* a match limit reached */
    for (size_t i = 0; rc == 0 && i < doc_ns; i++) {
        bg_label labels[BG_NKINDS];
        size_t nl;
        rc = bg_extract_sentence(x, i, labels, &nl, &err);
        FUZZ_CHECK(rc == 0 || rc == BG_EPCRE);
        for (size_t k = 0; rc == 0 && k < nl; k++) {
            const bg_label *l = &labels[k];
            FUZZ_CHECK(l->clause_end <= l->clause_start ||
                       l->clause_end <= doc_text.len);
            FUZZ_CHECK(l->phrase_end <= l->phrase_start ||
                       l->phrase_end <= doc_text.len);
        }
    }
    bg_extract_close(x);
    return 0;
}
