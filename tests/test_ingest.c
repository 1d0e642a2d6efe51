/*
 * test_ingest.c - reading, UTF-8 checking, compilation splitting and the
 * directory walk, on the seed (data/seed, a copy of ../shared/corpus/seed:
 * the compilation and its five reports, byte-identical when joined).
 */
#include "ingest.h"
#include "runner.h"

#include <sys/stat.h>
#include <unistd.h>

static void write_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(s, 1, n, f);
        fclose(f);
    }
}

typedef struct seen {
    char log[4096];
} seen;

static int walk_cb(const char *path, const bg_err *problem, void *payload)
{
    seen *s = payload;
    const char *base = strrchr(path, '/');
    size_t l = strlen(s->log);
    snprintf(s->log + l, sizeof s->log - l, "%s%s;", problem ? "!" : "",
             base ? base + 1 : path);
    return 0;
}

/* The scratch directory of the cases that write files (made by main). */
static char dir[] = "/tmp/bg-ingest-XXXXXX";

/* The seed compilation splits into its reports; one report is one
 * document. */
static void seed_split(void)
{
    bg_source *src;
    bg_err err;
    char name[64];

    /* the compilation splits into the five reports, byte for byte */
    int rc = bg_ingest_load(data_path("seed/seed-compilation.txt"), &src, &err);
    CHECK(rc == 0, "load seed: %s", rc ? err.msg : "");
    if (rc == 0) {
        CHECK(src->ndocs == 5, "seed has 5 documents, got %zu", src->ndocs);
        for (size_t i = 0; i < src->ndocs && i < 5; i++) {
            char *want;
            size_t wlen;
            snprintf(name, sizeof name, "seed/seed-report-%02zu.txt", i + 1);
            if (bg_read_file(data_path(name), &want, &wlen, &err)) {
                CHECK(0, "%s", err.msg);
                continue;
            }
            bg_docspan *d = &src->docs[i];
            CHECK(d->end - d->start == wlen &&
                      memcmp(src->bytes + d->start, want, wlen) == 0,
                  "document %zu is %s", i + 1, name);
            /* the title is the report's first line */
            size_t first = strcspn(want, "\n");
            CHECK(d->title_start == d->start &&
                      d->title_end - d->title_start == first,
                  "title of %s", name);
            free(want);
        }
        bg_ingest_free(src);
    }

    /* a report without 第N篇 headings is one document */
    rc = bg_ingest_load(data_path("seed/seed-report-02.txt"), &src, &err);
    CHECK(rc == 0 && src->ndocs == 1 && src->docs[0].start == 0 &&
              src->docs[0].end == src->len,
          "single report is one document");
    bg_ingest_free(rc == 0 ? src : NULL);
}

/* A BOM is skipped and a title trimmed. */
static void bom_title(void)
{
    bg_source *src;
    bg_err err;
    char path[256];
    int rc;

    /* BOM: skipped, documents start after it; title trimmed of U+3000 */
    snprintf(path, sizeof path, "%s/bom.txt", dir);
    const char bom[] = "\xEF\xBB\xBF\n\xE3\x80\x80标题\xE3\x80\x80\r\n正文。";
    write_file(path, bom, sizeof bom - 1);
    rc = bg_ingest_load(path, &src, &err);
    CHECK(rc == 0 && src->body == 3 && src->ndocs == 1 &&
              src->docs[0].start == 3,
          "BOM skipped");
    if (rc == 0) {
        CHECK(src->docs[0].title_start == 7 && src->docs[0].title_end == 13,
              "title [%zu,%zu) want [7,13)", src->docs[0].title_start,
              src->docs[0].title_end);
        bg_ingest_free(src);
    }
}

/* A short GBK file is decoded; undecodable bytes are refused, named. */
static void encodings(void)
{
    bg_source *src;
    bg_err err;
    char path[256];
    int rc;

    /* a short GBK file (苏 = 0xCB 0xD5 after 4 ASCII bytes) is decoded */
    snprintf(path, sizeof path, "%s/gbk.txt", dir);
    write_file(path, "abc\n\xCB\xD5", 6);
    rc = bg_ingest_load(path, &src, &err);
    CHECK(rc == 0, "short GBK: %s", rc ? err.msg : "");
    if (rc == 0) {
        CHECK_STR(src->encoding, "GB18030", "short GBK encoding");
        CHECK_STR(src->bytes, "abc\n苏", "short GBK text");
        CHECK(src->derived == 1, "decoded text is derived");
        bg_ingest_free(src);
    }
    /* bytes no encoding decodes: the error names the file and the first
     * bad byte (0x81 0x20 is neither GB18030 nor Big5) */
    snprintf(path, sizeof path, "%s/bad.txt", dir);
    write_file(path, "abc\n\x81 ok", 8);
    rc = bg_ingest_load(path, &src, &err);
    CHECK(rc == BG_EUTF8 && src == NULL, "undecodable rejected");
    char want[512];
    snprintf(want, sizeof want,
             "%s: byte 4 (0x81): not valid UTF-8, and no Chinese encoding "
             "fits (--encoding NAME to choose one)",
             path);
    CHECK_STR(err.msg, want, "decode error message");
}

/* A document longer than BG_INGEST_PART_MAX (4 MiB = 4,194,304 bytes) is
 * cut into parts, each a document; the cuts worked out by hand:
 *   lines of 1,000 bytes: after the last line end before the limit,
 *     4,194 lines = 4,194,000 bytes a part;
 *   one line of 30-byte sentences (9 Han + 。): after the last 。, 139,810
 *     sentences = 4,194,300 bytes;
 *   one line of Han alone (3 bytes each): at the last character boundary,
 *     1,398,101 characters = 4,194,303 bytes. */
static void long_parts(void)
{
    static const struct {
        const char *name, *unit;
        size_t per_part;
    } cases[] = {
        {"2012政府工作报告_温家宝.txt", NULL, 4194000},
        {"sentences.txt", "推进改革发展稳定好。", 4194300},
        {"han.txt", "推进改革发展稳定", 4194303},
    };
    size_t n = 10u << 20; /* 10 MiB: three parts */
    char *b = malloc(n);
    CHECK(b != NULL, "malloc");
    if (!b)
        return;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t len = 0;
        if (!cases[c].unit) {
            /* a title line padded with spaces, then lines of 999 ASCII
             * bytes, each with its line end */
            memcpy(b, "Title line", 10);
            memset(b + 10, ' ', 989);
            b[999] = '\n';
            for (len = 1000; len + 1000 <= n; len += 1000) {
                memset(b + len, 'y', 999);
                b[len + 999] = '\n';
            }
        } else {
            size_t u = strlen(cases[c].unit);
            for (; len + u <= n; len += u)
                memcpy(b + len, cases[c].unit, u);
        }
        bg_source *src = NULL;
        bg_err err;
        int rc = bg_ingest_load_buffer(cases[c].name, b, len, NULL, &src, &err);
        CHECK(rc == 0, "%s: %s", cases[c].name, rc ? err.msg : "");
        if (rc)
            continue;
        size_t per = cases[c].per_part;
        CHECK(src->ndocs == 3, "%s: %zu documents", cases[c].name, src->ndocs);
        for (size_t k = 0; k < src->ndocs && src->ndocs == 3; k++) {
            bg_docspan *d = &src->docs[k];
            CHECK(d->start == k * per &&
                      d->end == (k < 2 ? (k + 1) * per : len),
                  "%s part %zu: [%zu, %zu)", cases[c].name, k + 1, d->start,
                  d->end);
            CHECK(d->part == (int)k + 1 && d->nparts == 3, "%s part numbers",
                  cases[c].name);
            /* the title line (trimmed), else the file's name */
            char want[200];
            snprintf(want, sizeof want, "%s（%zu/3）",
                     c == 0   ? "Title line"
                     : c == 1 ? "sentences"
                              : "han",
                     k + 1);
            CHECK_STR(d->title ? d->title : "", want, cases[c].name);
        }
        if (c == 0 && src->ndocs == 3) {
            /* metadata from the file name, on every part */
            CHECK(src->docs[2].year == 2012 && src->docs[2].author &&
                      strcmp(src->docs[2].author, "温家宝") == 0,
                  "part 3 has part 1's year and author");
        }
        char w[200];
        snprintf(w, sizeof w,
                 "document 1 is 10.0 MB: cut into 3 parts of at most 4 MB (at "
                 "line ends, else sentence ends), each a document titled "
                 "\"…（k/3）\"");
        CHECK(src->warnings && strstr(src->warnings, w), "%s: warning [%s]",
              cases[c].name, src->warnings ? src->warnings : "");
        bg_ingest_free(src);
    }
    free(b);
}

/* Invalid UTF-8 sequences. */
static void utf8_sequences(void)
{
    /* overlong, surrogate and truncated sequences are invalid too */
    static const struct {
        const char *s;
        size_t n, bad;
    } bad[] = {{"a\xC0\xAF", 3, 1},
               {"ab\xED\xA0\x80", 5, 2},
               {"\xE4\xB8", 2, 0},
               {"\xF4\x90\x80\x80", 4, 0},
               {"\xE4\xB8\xAD\xF0\x9F\x98\x80", 7, 7}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(bg_utf8_valid_prefix(bad[i].s, bad[i].n) == bad[i].bad,
              "utf8 case %zu", i);
}

/* A missing file is named. */
static void missing_file(void)
{
    bg_source *src;
    bg_err err;
    char path[256];

    /* missing file */
    snprintf(path, sizeof path, "%s/none.txt", dir);
    CHECK(bg_ingest_load(path, &src, &err) == BG_EIO &&
              strstr(err.msg, "none.txt"),
          "missing file reported with its name");
}

/* JSON Lines read a line at a time (ingest_records.c jsonl_records) reads
 * what the whole file parsed first read: the text field guessed over the
 * first 50 records (record 1's field b is longer than its a, but over the
 * first 50, a holds the most text: a), the skipped lines' warning before
 * the warning of a --title-field no record holds, every good record a
 * document in order. Values: the 120 lines this test writes. */
static void jsonl_window(void)
{
    char path[256];
    bg_buf b = {0};
    bg_source *src = NULL;
    bg_err err = {0};
    bg_ingest_opts o = {0};
    snprintf(path, sizeof path, "%s/window.jsonl", dir);
    bg_buf_puts(&b, "{\"a\": \"短句。\", \"b\": \"比较长的一句话在这里。\"}\n");
    for (int i = 2; i <= 120; i++) {
        if (i == 3 || i == 100)
            bg_buf_puts(&b, "{\"a\": \"cut short\n");
        else
            bg_buf_printf(&b,
                          "{\"a\": \"第%d条记录的正文要比另一个字段长得多。"
                          "\", \"b\": \"乙\"}\n",
                          i);
    }
    write_file(path, b.data, b.len);
    o.title_field = "nope";
    int rc = bg_ingest_load_opts(path, &o, &src, &err);
    CHECK(rc == 0, "load: %s", err.msg);
    if (rc == 0) {
        CHECK(src->ndocs == 118, "118 documents, not %zu", src->ndocs);
        CHECK(src->fields && strstr(src->fields, "text \"a\" (the longest)"),
              "text field a, guessed over 50 records: %s",
              src->fields ? src->fields : "(none)");
        CHECK(src->ndocs && src->len > 6 &&
                  memcmp(src->bytes, "短句。", 9) == 0,
              "the first record's a is the first document");
        CHECK(src->ndocs == 118 && src->docs[117].record == 118 &&
                  strncmp(src->bytes + src->docs[117].start, "第120条", 9) == 0,
              "the last record is the last document");
        const char *w = src->warnings ? src->warnings : "";
        const char *skip = strstr(w, "2 lines skipped"),
                   *nope = strstr(w, "\"nope\" named by --title-field");
        CHECK(skip && nope && skip < nope && strstr(w, "lines 3, 100;"),
              "the skipped lines' warning, then the option's: %s", w);
    }
    bg_ingest_free(src);
    bg_buf_free(&b);
    unlink(path); /* not one of the walk's files */
}

/* A JSON array read an element at a time (ingest_records.c json_records)
 * reads what the whole array parsed first read: elements that are no
 * object are no record but count among the 50 the text field is guessed
 * over (record 1's b is longer than its a; over the first 50 elements a
 * holds the most), strings holding , ] } " and \ do not end an element,
 * every object a document in order; bytes after the array are named in a
 * warning. A malformed element, a stray '}' and an array never closed are
 * errors naming the byte and the element. Values: the arrays written
 * here (bytes found with strstr). */
static void json_array_window(void)
{
    char path[256];
    bg_buf b = {0};
    bg_source *src = NULL;
    bg_err err = {0};
    bg_ingest_opts o = {0};
    snprintf(path, sizeof path, "%s/array.json", dir);
    bg_buf_puts(&b, "[{\"a\": \"短句。\", \"b\": \"比较长的一句话在这里。\"}");
    for (int i = 2; i <= 120; i++) {
        if (i == 3)
            bg_buf_puts(&b, ",\n 7");
        else if (i == 100)
            bg_buf_puts(&b, ", [\"不是记录\", {\"a\": 1}]");
        else if (i == 60)
            bg_buf_puts(&b,
                        ",{\"a\": \"含有,逗号]括号}和\\\"引号\\\"以及\\\\\", "
                        "\"b\": [[1, 2], {\"c\": \"]\"}]}");
        else
            bg_buf_printf(&b,
                          ",{\"a\": \"第%d条记录的正文要比另一个字段长得多。"
                          "\", \"b\": \"乙\"}",
                          i);
    }
    bg_buf_puts(&b, "]\n[\"second\"]\n");
    write_file(path, b.data, b.len);
    o.title_field = "nope";
    int rc = bg_ingest_load_opts(path, &o, &src, &err);
    CHECK(rc == 0, "load: %s", err.msg);
    if (rc == 0) {
        CHECK(src->ndocs == 118, "118 documents, not %zu", src->ndocs);
        CHECK(src->fields && strstr(src->fields, "text \"a\" (the longest)"),
              "text field a, guessed over 50 elements: %s",
              src->fields ? src->fields : "(none)");
        CHECK(src->ndocs && memcmp(src->bytes, "短句。", 9) == 0,
              "the first record's a is the first document");
        /* element 60 is record 59 (element 3 is none) */
        const char *want = "含有,逗号]括号}和\"引号\"以及\\";
        CHECK(src->ndocs > 58 &&
                  src->docs[58].end - src->docs[58].start == strlen(want) &&
                  memcmp(src->bytes + src->docs[58].start, want,
                         strlen(want)) == 0,
              "a string holding , ] } \" and \\ is one element's text");
        CHECK(src->ndocs == 118 && src->docs[117].record == 118 &&
                  strncmp(src->bytes + src->docs[117].start, "第120条", 9) == 0,
              "the last record is the last document");
        const char *w = src->warnings ? src->warnings : "";
        char after[96];
        snprintf(after, sizeof after,
                 "11 bytes after the JSON array's end "
                 "(from byte %zu) ignored",
                 (size_t)(strstr(b.data, "[\"second\"]") - b.data));
        CHECK(strstr(w, after) && strstr(w, "\"nope\" named by --title-field"),
              "the bytes after the array and the option named: %s", w);
    }
    bg_ingest_free(src);
    src = NULL;
    /* a malformed element: cJSON's byte (the '}' after a ','), its number */
    static const char *const bad[] = {
        "[{\"text\": \"甲\"}, {\"text\": \"乙\",}]",
        "[{\"text\": \"甲\"}}, {\"text\": \"乙\"}]",
        "[{\"text\": \"甲\"}, {\"text\": \"乙]\"}",
    };
    char msg[3][200];
    snprintf(msg[0], sizeof msg[0],
             "array.json: byte %zu: malformed JSON (element 2 of the array)",
             (size_t)(strstr(bad[0], ",}") - bad[0]) + 1);
    snprintf(msg[1], sizeof msg[1],
             "array.json: byte %zu: malformed JSON (after element 1 of the "
             "array)",
             (size_t)(strstr(bad[1], "}}") - bad[1]) + 1);
    snprintf(msg[2], sizeof msg[2],
             "array.json: byte %zu: malformed JSON (element 2 of the array "
             "opened at byte 0 runs to the end of the file)",
             strlen(bad[2]));
    for (int k = 0; k < 3; k++) {
        write_file(path, bad[k], strlen(bad[k]));
        rc = bg_ingest_load_opts(path, NULL, &src, &err);
        CHECK(rc == BG_EDATA && src == NULL && strstr(err.msg, msg[k]),
              "bad array %d: %d %s", k, rc, err.msg);
        bg_ingest_free(src);
        src = NULL;
    }
    bg_buf_free(&b);
    unlink(path); /* not one of the walk's files */
}

/* CSV read a row at a time (ingest_records.c table_records), in two
 * passes: a table without a header whose second column holds years in
 * its first 50 non-empty cells names it "year" (each record's year), the
 * text field is guessed by length; blank lines are no rows; a NUL byte
 * (past the first 8 KB, where it is damage, not a binary file) is
 * dropped, and its warning stands before the warnings the records give,
 * as when the table was read whole; a quote never closed names its line
 * and row. Values: the 201 rows written here. */
static void csv_stream(void)
{
    char path[256];
    bg_buf b = {0};
    bg_source *src = NULL;
    bg_err err = {0};
    static const char last[] = "\"最后\0一行的正文比备注长得多。\",2001,备注\n";
    snprintf(path, sizeof path, "%s/rows.csv", dir);
    for (int i = 1; i <= 200; i++) {
        bg_buf_printf(&b, "第%d行的正文比备注长得多，写满一行。,%s%d,备注\n", i,
                      i == 30 ? " " : "", 1990 + i % 30);
        if (i == 10)
            bg_buf_puts(&b, "\n\n");
    }
    bg_buf_add(&b, last, sizeof last - 1);
    write_file(path, b.data, b.len);
    int rc = bg_ingest_load_opts(path, NULL, &src, &err);
    CHECK(rc == 0, "load: %s", err.msg);
    if (rc == 0) {
        CHECK(src->ndocs == 201, "201 documents, not %zu", src->ndocs);
        CHECK(src->fields &&
                  strstr(src->fields, "text \"column 1\" (the longest)") &&
                  strstr(src->fields, "year \"year\""),
              "column 2 is the year: %s", src->fields ? src->fields : "");
        CHECK(src->ndocs == 201 && src->docs[0].year == 1991 &&
                  src->docs[29].year == 1990 && src->docs[200].year == 2001,
              "each record's year from its row");
        CHECK(src->ndocs == 201 && src->docs[200].record == 201 &&
                  strncmp(src->bytes + src->docs[200].start, "最后一行", 12) ==
                      0,
              "the last row is the last document, its NUL byte dropped");
        const char *w = src->warnings ? src->warnings : "";
        const char *nul = strstr(w, "1 NUL byte dropped from CSV cells"),
                   *guess = strstr(w, "guessed as the one with most text");
        CHECK(nul && guess && nul < guess,
              "the NUL byte's warning, then the records': %s", w);
    }
    bg_ingest_free(src);
    src = NULL;
    static const char open_quote[] = "正文,年份\n甲,2001\n\n\"乙\n丙,2002\n";
    write_file(path, open_quote, strlen(open_quote));
    rc = bg_ingest_load_opts(path, NULL, &src, &err);
    CHECK(rc == BG_EDATA && strstr(err.msg, "rows.csv:4: row 3: unterminated "
                                            "quoted field"),
          "a quote never closed: %d %s", rc, err.msg);
    bg_ingest_free(src);
    bg_buf_free(&b);
    unlink(path);
}

/* The walk (after the cases above wrote their files into dir). */
static void walk(void)
{
    char path[256];

    /* the walk: sorted, recursive, a directory's documentation (README,
     * MANIFEST, LICENSE) and other types skipped with a reason, a symlink
     * loop reported and not entered */
    snprintf(path, sizeof path, "%s/sub", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/sub/d.md", dir);
    write_file(path, "d", 1);
    snprintf(path, sizeof path, "%s/README.md", dir);
    write_file(path, "r", 1);
    snprintf(path, sizeof path, "%s/c.png", dir);
    write_file(path, "\x89PNG", 4);
    snprintf(path, sizeof path, "%s/MANIFEST.md", dir);
    write_file(path, "m", 1);
    snprintf(path, sizeof path, "%s/sub/LICENSE.txt", dir);
    write_file(path, "l", 1);
    snprintf(path, sizeof path, "%s/sub/notice.txt", dir); /* a report */
    write_file(path, "n", 1);
    snprintf(path, sizeof path, "%s/sub/loop", dir);
    CHECK(symlink(dir, path) == 0, "symlink");
    seen s = {{0}};
    CHECK(bg_ingest_walk(dir, walk_cb, &s) == 0, "walk");
    CHECK_STR(s.log,
              "!MANIFEST.md;!README.md;bad.txt;bom.txt;!c.png;gbk.txt;"
              "!LICENSE.txt;d.md;!loop;notice.txt;",
              "walk order");
    /* a file named explicitly is taken whatever its name */
    s.log[0] = '\0';
    snprintf(path, sizeof path, "%s/c.png", dir);
    bg_ingest_walk(path, walk_cb, &s);
    CHECK_STR(s.log, "c.png;", "explicit file");
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    RUN(seed_split);
    RUN(bom_title);
    RUN(encodings);
    RUN(utf8_sequences);
    RUN(long_parts);
    RUN(missing_file);
    RUN(jsonl_window);
    RUN(json_array_window);
    RUN(csv_stream);
    RUN(walk); /* last: it lists the files the others wrote */
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0, "cleanup");
    return runner_done();
}
