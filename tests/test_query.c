/*
 * test_query.c - the read side's contract (query.h) on the hand-worked
 * corpus of data/stats (its README counts it: doc 1 = alpha 3, beta 2,
 * gamma 1, delta 1, 7 tokens; doc 2 = beta 2, gamma 4, delta 1, epsilon 1,
 * 8 tokens) and the seed compilation: opening, documents, facets, word
 * lists, search, concordance offsets, keywords and summary agreeing; and
 * the query syntax of search and kwic (bg_query_parse) on
 * data/query-parse.tsv and bytes a data file cannot hold.
 */
#include "testdb.h"

#include "query.h"
#include "runner.h"
#include "util_sql.h"

#include <math.h>

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

static bg_stages sg;
static char dbpath[512];
static bg_query *q;

static int near(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1.0, fabs(b));
}

/* Row i's cell of column name in r (NULL when there is no such column). */
static const bg_cell *cell(const bg_rows *r, size_t i, const char *name)
{
    for (size_t c = 0; c < r->ncols; c++)
        if (strcmp(r->names[c], name) == 0)
            return &r->cells[i * r->ncols + c];
    return NULL;
}

/* The row whose column name holds text v, or SIZE_MAX. */
static size_t row_with(const bg_rows *r, const char *name, const char *v)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const bg_cell *c = cell(r, i, name);
        if (c && c->s && strcmp(c->s, v) == 0)
            return i;
    }
    return SIZE_MAX;
}

static void open_missing(void)
{
    bg_query *x = NULL;
    bg_err err = {0};
    CHECK(bg_query_open(&x, "/nonexistent/bg.db", NULL, &err) == BG_ENOTFOUND &&
              !x,
          "a missing database: BG_ENOTFOUND");
    CHECK(strstr(err.msg, "no database here") != NULL, "says so: %s", err.msg);
}

/* The read-ahead VFS (util_sql.h) gives the bytes a plain read would:
 * within a chunk, across two, the file's last chunk, past the end (a short
 * read, the rest zero-filled, as SQLite's VFS contract asks); a kept chunk
 * serves reads until a lock change, then the file as it is. The file: three
 * 64 KB chunks and 1,234 bytes, byte i being i * 7 % 251. */
static void readahead_reads(void)
{
    char path[512];
    enum { CHUNK = 65536 };
    const int size = 3 * CHUNK + 1234;
    static unsigned char want[3 * CHUNK + 1234], got[CHUNK];
    testdb_path(path, sizeof path, "readahead");
    for (int i = 0; i < size; i++)
        want[i] = (unsigned char)(i * 7 % 251);
    FILE *fp = fopen(path, "wb");
    CHECK(fp && fwrite(want, 1, (size_t)size, fp) == (size_t)size &&
              fclose(fp) == 0,
          "writing %s", path);
    CHECK(bg_readahead_register() == 0, "registered");
    sqlite3_vfs *vfs = sqlite3_vfs_find(BG_READAHEAD_VFS);
    sqlite3_file *f = vfs ? calloc(1, (size_t)vfs->szOsFile) : NULL;
    int flags = 0;
    CHECK(f && vfs->xOpen(vfs, path, f,
                          SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READONLY,
                          &flags) == SQLITE_OK,
          "opened through the VFS");
    if (!f || !f->pMethods) {
        free(f);
        return;
    }
    const struct {
        int off, n;
    } rd[] = {{0, 100},
              {4096, 4096},
              {CHUNK - 4096, 4096},
              {CHUNK + 8192, 4096},
              {CHUNK - 100, 4096}, /* across two chunks */
              {0, 4096},           /* a kept chunk again */
              {3 * CHUNK, 1234},   /* the last, short chunk */
              {2 * CHUNK, CHUNK}};
    for (size_t i = 0; i < sizeof rd / sizeof rd[0]; i++) {
        memset(got, 0xAA, sizeof got);
        int rc = f->pMethods->xRead(f, got, rd[i].n, rd[i].off);
        CHECK(rc == SQLITE_OK &&
                  memcmp(got, want + rd[i].off, (size_t)rd[i].n) == 0,
              "%d bytes at %d: rc %d", rd[i].n, rd[i].off, rc);
    }
    memset(got, 0xAA, sizeof got);
    int rc = f->pMethods->xRead(f, got, 4096, size - 100), zero = 1;
    for (int i = 100; i < 4096; i++)
        zero &= got[i] == 0;
    CHECK(rc == SQLITE_IOERR_SHORT_READ &&
              memcmp(got, want + size - 100, 100) == 0 && zero,
          "past the end: a short read, zero-filled (rc %d)", rc);
    /* the first chunk changed on disk: read again only after a lock change
     * (a transaction's pages do not change under it) */
    unsigned char changed[4096];
    memset(changed, 0x5C, sizeof changed);
    fp = fopen(path, "r+b");
    CHECK(fp && fwrite(changed, 1, sizeof changed, fp) == sizeof changed &&
              fclose(fp) == 0,
          "rewriting the first page");
    rc = f->pMethods->xRead(f, got, 4096, 0);
    CHECK(rc == SQLITE_OK && memcmp(got, want, 4096) == 0,
          "within a transaction: the chunk read before");
    CHECK(f->pMethods->xLock(f, SQLITE_LOCK_SHARED) == SQLITE_OK &&
              f->pMethods->xUnlock(f, SQLITE_LOCK_NONE) == SQLITE_OK,
          "a lock taken and let go");
    rc = f->pMethods->xRead(f, got, 4096, 0);
    CHECK(rc == SQLITE_OK && memcmp(got, changed, 4096) == 0,
          "after a lock change: the file as it is");
    f->pMethods->xClose(f);
    free(f);
    unlink(path);
}

/* Rows a and b the same, cell by cell (text, integers, reals bit for bit). */
static int same_rows(const bg_rows *a, const bg_rows *b)
{
    if (a->nrows != b->nrows || a->ncols != b->ncols)
        return 0;
    for (size_t i = 0; i < a->nrows * a->ncols; i++) {
        const bg_cell *x = &a->cells[i], *y = &b->cells[i];
        if (x->null != y->null || (x->s == NULL) != (y->s == NULL) ||
            (x->s && strcmp(x->s, y->s)) || x->i != y->i ||
            memcmp(&x->r, &y->r, sizeof x->r) != 0)
            return 0;
    }
    return 1;
}

/* bg_query_open_once (the read-ahead VFS, a small page cache) answers as
 * bg_query_open (a memory map): word list, collocates, search. */
static void open_once_same(void)
{
    bg_query *o1 = NULL;
    bg_err err = {0};
    CHECK(bg_query_open_once(&o1, dbpath, NULL, &err) == 0, "open: %s",
          err.msg);
    if (!o1)
        return;
    bg_stats_opts o = {0};
    bg_rows a = {0}, b = {0};
    CHECK(bg_query_freq_stats(q, &o, &a, &err) == 0 &&
              bg_query_freq_stats(o1, &o, &b, &err) == 0 && a.nrows > 0 &&
              same_rows(&a, &b),
          "freq the same (%zu rows)", a.nrows);
    bg_rows_free(&a);
    bg_rows_free(&b);
    CHECK(bg_query_collocates(q, &o, "gamma", 5, 5, 0, &a, &err) == 0 &&
              bg_query_collocates(o1, &o, "gamma", 5, 5, 0, &b, &err) == 0 &&
              a.nrows > 0 && same_rows(&a, &b),
          "collocates of gamma the same (%zu rows)", a.nrows);
    bg_rows_free(&a);
    bg_rows_free(&b);
    bg_query_close(o1);
}

static void documents(void)
{
    bg_rows r = {0};
    bg_err err = {0};
    CHECK(bg_query_docs(q, &r, &err) == 0 && r.nrows == 7,
          "seven documents: a, b and the seed's five");
    CHECK(r.nrows && cell(&r, 0, "tokens")->i == 7, "doc 1: 7 tokens");
    CHECK(r.nrows > 1 && cell(&r, 1, "tokens")->i == 8, "doc 2: 8 tokens");
    bg_rows_free(&r);
    CHECK(bg_query_show(q, 99, &r, &err) == BG_ENOTFOUND, "no document 99");
    bg_rows_free(&r);
}

static void word_list(void)
{
    bg_stats_opts o = {0};
    bg_rows r = {0};
    bg_err err = {0};
    o.where = "file~stats/corpus";
    CHECK(bg_query_freq_stats(q, &o, &r, &err) == 0, "freq: %s", err.msg);
    size_t g = row_with(&r, "term", "gamma");
    CHECK(g != SIZE_MAX && cell(&r, g, "freq")->i == 5 &&
              cell(&r, g, "range")->i == 2,
          "gamma: 5 in 2 documents");
    CHECK(g != SIZE_MAX && near(cell(&r, g, "per_million")->r, 5e6 / 15),
          "gamma per million: 5 of 15 tokens");
    /* DP (Gries 2008): parts of 7 and 8 tokens, gamma 1 and 4 of 5 */
    CHECK(g != SIZE_MAX &&
              near(cell(&r, g, "dp")->r,
                   (fabs(1.0 / 5 - 7.0 / 15) + fabs(4.0 / 5 - 8.0 / 15)) / 2),
          "gamma DP by hand");
    CHECK(r.nrows && strcmp(cell(&r, 0, "term")->s, "gamma") == 0,
          "the most frequent first");
    bg_rows_free(&r);
    o.where = "colour=red";
    CHECK(bg_query_freq_stats(q, &o, &r, &err) == BG_EINVAL &&
              strstr(err.msg, "unknown facet \"colour\""),
          "a bad facet is BG_EINVAL naming it: %s", err.msg);
    bg_rows_free(&r);
}

static void search(void)
{
    bg_rows r = {0};
    bg_err err = {0};
    CHECK(bg_query_search(q, "epsilon", NULL, 0, &r, &err) == 0 && r.nrows == 1,
          "epsilon: one sentence");
    CHECK(r.nrows && strstr(cell(&r, 0, "snippet")->s, "【epsilon】"),
          "its snippet marks it");
    bg_rows_free(&r);
    CHECK(bg_query_search(q, "。", NULL, 0, &r, &err) == BG_EUSAGE,
          "punctuation alone: a usage error");
    bg_rows_free(&r);
}

/* The node's bytes in the file, also in Traditional text with pinyin
 * debris (the seed), where the sentence's text is not the file's bytes. */
static void kwic_offsets(void)
{
    bg_stats_opts o = {0};
    bg_rows r = {0};
    bg_err err = {0};
    char *data = NULL;
    size_t len = 0;
    CHECK(bg_query_kwic(q, &o, "贫困户", 10, 0, &r, &err) == 0 && r.nrows > 3,
          "kwic 贫困户: %s", err.msg);
    CHECK(bg_read_file(data_path("seed/seed-compilation.txt"), &data, &len,
                       &err) == 0,
          "seed");
    for (size_t i = 0; data && i < r.nrows; i++) {
        const bg_cell *s = cell(&r, i, "start"), *e = cell(&r, i, "end");
        CHECK(!s->null && e->i - s->i == 9 &&
                  memcmp(data + s->i, "貧困戶", 9) == 0,
              "row %zu: 貧困戶 at its offsets", i);
    }
    free(data);
    bg_rows_free(&r);
}

/* summary's keywords are keywords' (one implementation, issue 11). */
static void summary_keywords(void)
{
    bg_stats_opts o = {0};
    bg_rows s = {0}, k = {0};
    bg_err err = {0};
    o.top = 5;
    o.drop_stopwords = 1;
    CHECK(bg_query_summary(q, 5, &s, &err) == 0, "summary: %s", err.msg);
    CHECK(bg_query_keywords_stats(q, &o, BG_KW_JIEBA, &k, &err) == 0,
          "keywords: %s", err.msg);
    for (size_t i = 0; i < s.nrows; i++) {
        bg_buf want = {0};
        int64_t doc = cell(&s, i, "doc")->i;
        for (size_t j = 0; j < k.nrows; j++)
            if (cell(&k, j, "doc")->i == doc)
                bg_buf_printf(&want, "%s%s", want.len ? "、" : "",
                              cell(&k, j, "term")->s);
        CHECK(strcmp(cell(&s, i, "keywords")->s, want.data ? want.data : "") ==
                  0,
              "doc %lld: summary [%s], keywords [%s]", (long long)doc,
              cell(&s, i, "keywords")->s, want.data ? want.data : "");
        bg_buf_free(&want);
    }
    bg_rows_free(&s);
    bg_rows_free(&k);
}

/* The query syntax of search and kwic (bg_query_parse): every case of
 * data/query-parse.tsv (a query, the tree it parses to or %%FAIL and the
 * exact error), then bytes a data file cannot hold (invalid UTF-8, NUL)
 * and nesting beyond the limits. */
static void query_syntax(void)
{
    char *data;
    size_t len;
    bg_err err;
    if (bg_read_file(data_path("query-parse.tsv"), &data, &len, &err)) {
        CHECK(0, "%s", err.msg);
        return;
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
}

/* bg_err_id (util.h): the message as printf writes it, the id, and each
 * value the format converts as text, in order; bg_err_set clears them. A
 * query error carries its id and values (the web page's translation of
 * it puts them in). */
static void error_ids(void)
{
    bg_err e = {0};
    const char *word = "NEARLY";
    int rc = bg_err_id(&e, BG_EUSAGE, "t.all",
                       "%.*s|%zu|%02X|%d|%s|%g|%%|%lld|%c|%5s", 4, word,
                       (size_t)12, 0xA, -3, "贫困", 0.5, -7LL, 'x', "ab");
    CHECK(rc == BG_EUSAGE && e.code == BG_EUSAGE, "rc %d", rc);
    CHECK_STR(e.msg, "NEAR|12|0A|-3|贫困|0.5|%|-7|x|   ab", "message");
    CHECK(e.id && strcmp(e.id, "t.all") == 0, "id");
    /* six values kept (BG_ERR_ARGS), the '*' precision is no value */
    const char *want[] = {"NEAR", "12", "0A", "-3", "贫困", "0.5"};
    CHECK(e.nargs == BG_ERR_ARGS && BG_ERR_ARGS == 6, "nargs %d", e.nargs);
    for (int i = 0; i < e.nargs && i < 6; i++)
        CHECK_STR(e.args[i], want[i], "value");
    bg_err_id(&e, BG_EINVAL, "t.none", "no values");
    CHECK(e.nargs == 0 && strcmp(e.msg, "no values") == 0, "%d", e.nargs);
    bg_err_set(&e, BG_EINVAL, "plain %d", 1);
    CHECK(e.id == NULL && e.nargs == 0, "bg_err_set keeps an id");
    CHECK(bg_err_id(NULL, BG_EINVAL, "t", "x") == BG_EINVAL, "NULL err");

    bg_qnode *n = NULL;
    const char *qs = "贫困 OR \"脱贫";
    CHECK(bg_query_parse(qs, strlen(qs), &n, &e) == BG_EUSAGE, "parse");
    CHECK(e.id && strcmp(e.id, "query.quote-open") == 0, "id %s",
          e.id ? e.id : "(none)");
    CHECK(e.nargs == 1 && strcmp(e.args[0], "10") == 0, "byte of the quote");
    qs = "贫困 NEAR/5000 脱贫";
    CHECK(bg_query_parse(qs, strlen(qs), &n, &e) == BG_EUSAGE, "parse");
    CHECK(e.id && strcmp(e.id, "query.near-n") == 0, "id");
    CHECK(e.nargs == 3 && strcmp(e.args[0], "NEAR/5000") == 0 &&
              strcmp(e.args[2], "1000") == 0 && strcmp(e.args[1], "7") == 0,
          "values %d %s %s", e.nargs, e.args[0], e.args[1]);
    bg_qnode_free(n);
}

int main(void)
{
    bg_err err = {0};
    bg_index *ix = NULL;
    int64_t src;
    int dups;
    const char *files[] = {"stats/corpus/a.txt", "stats/corpus/b.txt",
                           "seed/seed-compilation.txt"};
    RUN(query_syntax);
    RUN(error_ids);
    testdb_path(dbpath, sizeof dbpath, "query");
    if (testdb_stages(&sg, &err) || bg_index_open(&ix, dbpath, 0, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return 1;
    }
    for (size_t i = 0; i < 3; i++)
        if (testdb_ingest(ix, &sg, data_path(files[i]), &src, &dups, &err)) {
            fprintf(stderr, "%s: %s\n", files[i], err.msg);
            return 1;
        }
    bg_index_flush(ix, &err);
    bg_index_close(ix);
    if (bg_query_open(&q, dbpath, NULL, &err)) {
        fprintf(stderr, "query: %s\n", err.msg);
        return 1;
    }
    RUN(open_missing);
    RUN(readahead_reads);
    RUN(open_once_same);
    RUN(documents);
    RUN(word_list);
    RUN(search);
    RUN(kwic_offsets);
    RUN(summary_keywords);
    bg_query_close(q);
    testdb_stages_close(&sg);
    unlink(dbpath);
    return runner_done();
}
