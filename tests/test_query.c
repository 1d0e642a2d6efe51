/*
 * test_query.c - the query syntax of search and kwic: every case of
 * data/query-parse.tsv (a query, the tree it parses to or %%FAIL and the
 * exact error), then bytes a data file cannot hold (invalid UTF-8, NUL)
 * and nesting beyond the limits.
 */
#include "query.h"
#include "runner.h"

static void run_case(char *in, const char *want, int line)
{
    char ctx[64];
    bg_qnode *n = NULL;
    bg_err err = {0};
    bg_buf got = {0};
    snprintf(ctx, sizeof ctx, "query-parse.tsv line %d", line);
    unescape(in);
    int rc = bg_query_parse(in, strlen(in), &n, &err);
    if (strncmp(want, "%%FAIL ", 7) == 0) {
        CHECK(rc == BG_EUSAGE, "%s: rc %d, want BG_EUSAGE", ctx, rc);
        CHECK(n == NULL, "%s: a tree on failure", ctx);
        CHECK_STR(err.msg, want + 7, ctx);
    } else if (rc) {
        CHECK(0, "%s: %s", ctx, err.msg);
    } else {
        CHECK(bg_qnode_print(n, &got) == 0, "%s: print", ctx);
        CHECK_STR(got.data ? got.data : "", want, ctx);
    }
    bg_buf_free(&got);
    bg_qnode_free(n);
}

static void fail(const char *q, size_t len, const char *want)
{
    bg_qnode *n = NULL;
    bg_err err = {0};
    int rc = bg_query_parse(q, len, &n, &err);
    CHECK(rc == BG_EUSAGE && n == NULL, "%s: rc %d", want, rc);
    CHECK_STR(err.msg, want, "bytes");
}

int main(void)
{
    char *data;
    size_t len;
    bg_err err;
    if (bg_read_file(data_path("query-parse.tsv"), &data, &len, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    int line = 0;
    for (char *p = data, *e; *p; p = e) {
        e = strchr(p, '\n');
        e = e ? (*e = '\0', e + 1) : p + strlen(p);
        line++;
        char *tab = strchr(p, '\t');
        if (*p == '#' || !tab) {
            CHECK(*p == '#' || *p == '\0', "line %d: no TAB", line);
            continue;
        }
        *tab = '\0';
        run_case(p, tab + 1, line);
    }
    free(data);

    fail("\xff", 1, "the query is not UTF-8 (byte 0: 0xFF)");
    fail("\xe6\x94", 2, "the query is not UTF-8 (byte 0: 0xE6)");
    fail("ab\0cd", 5, "the query holds a NUL byte (byte 2)");
    /* nesting: at the limit parses, one more is refused */
    char deep[2 * BG_QUERY_MAX_DEPTH + 8];
    size_t k = 0;
    for (int i = 0; i < BG_QUERY_MAX_DEPTH; i++)
        deep[k++] = '(';
    deep[k++] = 'a';
    for (int i = 0; i < BG_QUERY_MAX_DEPTH; i++)
        deep[k++] = ')';
    bg_qnode *n = NULL;
    CHECK(bg_query_parse(deep, k, &n, &err) == 0, "depth %d: %s",
          BG_QUERY_MAX_DEPTH, err.msg);
    bg_qnode_free(n);
    memmove(deep + 1, deep, k);
    deep[0] = '(';
    deep[++k] = ')';
    k++;
    fail(deep, k, "parentheses nest more than 32 deep at byte 32");
    /* as many words as allowed, then one more */
    bg_buf many = {0};
    for (int i = 0; i <= BG_QUERY_MAX_LEAVES; i++)
        bg_buf_printf(&many, "w%d ", i);
    char msg[80];
    snprintf(msg, sizeof msg, "the query holds more than %d words and phrases",
             BG_QUERY_MAX_LEAVES);
    fail(many.data, many.len, msg);
    many.len -=
        strlen("w ") + (size_t)snprintf(NULL, 0, "%d", BG_QUERY_MAX_LEAVES);
    CHECK(bg_query_parse(many.data, many.len, &n, &err) == 0,
          "as many words as allowed: %s", err.msg);
    bg_qnode_free(n);
    bg_buf_free(&many);
    return runner_done();
}
