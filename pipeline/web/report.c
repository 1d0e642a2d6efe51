/*
 * report.c - `baogao report`: one self-contained HTML file with the
 * corpus's summary, words, trends, keyness, problems and commitments.
 *
 * The data come from the web API (api.c, the same tables the workspace
 * shows), gathered here into one JSON object that the page's script
 * (assets/report.js, over assets/charts.js and the vendored ECharts) draws.
 * Everything is inline: the page's Content-Security-Policy forbids every
 * request, so it opens offline and sends nothing anywhere. JSON is put in
 * a <script type="application/json"> with every < written \u003c, so no
 * document text can end the element.
 *
 * Threading: one thread. Offsets: none shown.
 */
#include "output.h"
#include "web_int.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Request arguments for bg_web_api: a NULL-ended list of name, value. */
typedef struct kv {
    const char *const *pairs;
} kv;

static const char *kv_arg(const char *name, void *payload)
{
    const kv *a = payload;
    for (const char *const *p = a->pairs; p[0]; p += 2)
        if (strcmp(p[0], name) == 0)
            return p[1];
    return NULL;
}

/* Asks endpoint with pairs; the parsed answer (caller deletes) or NULL
 * with err set. */
static cJSON *ask(const bg_web_ctx *ctx, bg_query *q, const char *endpoint,
                  const char *const *pairs, bg_err *err)
{
    kv a = {pairs};
    bg_web_reply rep;
    if (bg_web_api(ctx, q, endpoint, kv_arg, &a, &rep)) {
        bg_err_set(err, BG_ENOMEM, "report: out of memory");
        return NULL;
    }
    cJSON *j = cJSON_ParseWithLength(rep.body, rep.len);
    free(rep.body);
    if (!j) {
        bg_err_set(err, BG_ENOMEM, "report: out of memory");
        return NULL;
    }
    if (rep.status != 200) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "error");
        bg_err_set(err, rep.status == 400 ? BG_EINVAL : BG_ESQLITE,
                   "report: %s: %s", endpoint,
                   cJSON_IsString(m) ? m->valuestring : "failed");
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* where, then more conditions, comma-joined into buf. */
static const char *join_where(char *buf, size_t n, const char *where,
                              const char *more)
{
    snprintf(buf, n, "%s%s%s", where ? where : "", where && more ? "," : "",
             more ? more : "");
    return buf[0] ? buf : NULL;
}

/* The rows array of a table answer. */
static const cJSON *rows_of(const cJSON *j)
{
    return cJSON_GetObjectItemCaseSensitive(j, "rows");
}

/* Writes s into an inline <script>, with any "</script" written
 * "<\/script" (the same string to JavaScript). */
static void put_script(FILE *f, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        const char *lt = memchr(s + i, '<', len - i);
        if (!lt) {
            fwrite(s + i, 1, len - i, f);
            break;
        }
        size_t at = (size_t)(lt - s);
        fwrite(s + i, 1, at - i, f);
        if (len - at >= 8 && strncasecmp(lt, "</script", 8) == 0)
            fputs("<\\/", f), i = at + 2;
        else
            fputc('<', f), i = at + 1;
    }
}

/* JSON with every < as \u003c (only strings can hold one). */
static void put_json(FILE *f, const char *s)
{
    for (; *s; s++)
        if (*s == '<')
            fputs("\\u003c", f);
        else
            fputc(*s, f);
}

static int put_asset(FILE *f, const char *name, int script, bg_err *err)
{
    const bg_web_asset *a = bg_web_asset_find(name);
    if (!a)
        return bg_err_set(err, BG_EINVAL, "report: no asset %s", name);
    if (script) {
        fputs("<script>", f);
        put_script(f, (const char *)a->data, a->len);
        fputs("</script>\n", f);
    } else {
        fputs("<style>", f);
        put_script(f, (const char *)a->data, a->len);
        fputs("</style>\n", f);
    }
    return 0;
}

/* The five most frequent words of freq's rows fr, space-separated into
 * words[0, cap) (as many as fit); returns how many. */
static int top_words(const cJSON *fr, char *words, size_t cap)
{
    int nw = 0;
    for (const cJSON *r = fr ? fr->child : NULL; r && nw < 5; r = r->next) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "term");
        if (cJSON_IsString(t) &&
            strlen(words) + strlen(t->valuestring) + 2 < cap) {
            strcat(words, nw ? " " : "");
            strcat(words, t->valuestring);
            nw++;
        }
    }
    return nw;
}

/* Writes the report page onto f: head, CSS, the data as JSON (json), the
 * scripts. Returns 0 or put_asset's error (write errors: the caller's
 * ferror). */
static int write_page(FILE *f, const char *lang, const char *json, bg_err *err)
{
    int rc;
    int en = lang && strcmp(lang, "en") == 0;
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
            "<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\""
            "default-src 'none'; script-src 'unsafe-inline'; "
            "style-src 'unsafe-inline'; img-src data: blob:\">\n"
            "<meta name=\"generator\" content=\"baogao report\">\n"
            "<title>%s</title>\n",
            en ? "en" : "zh-CN", en ? "baogao report" : "报告分析");
    rc = put_asset(f, "report.css", 0, err);
    fputs("</head>\n<body>\n<main id=\"report\"></main>\n"
          "<script type=\"application/json\" id=\"report-data\">",
          f);
    put_json(f, json);
    fputs("</script>\n", f);
    if (rc == 0)
        rc = put_asset(f, "echarts.min.js", 1, err);
    if (rc == 0)
        rc = put_asset(f, "echarts-wordcloud.min.js", 1, err);
    if (rc == 0)
        rc = put_asset(f, "charts.js", 1, err);
    if (rc == 0)
        rc = put_asset(f, "report.js", 1, err);
    fputs("</body>\n</html>\n", f);
    return rc;
}

int bg_web_report(const char *db, const char *stopwords, const char *where,
                  const char *lang, const char *out_path, bg_err *err)
{
    bg_query *q = NULL;
    bg_web_ctx *ctx = NULL;
    cJSON *data = cJSON_CreateObject(), *j;
    FILE *f = NULL;
    char w1[2048], w2[2048], words[512] = "";
    int rc;
    if (!data)
        return bg_err_set(err, BG_ENOMEM, "report: out of memory");
    if (where && strlen(where) > 1500) {
        rc = bg_err_set(err, BG_EINVAL, "--where: at most 1500 bytes");
        goto cleanup;
    }
    if ((rc = bg_query_open_once(&q, db, stopwords, err)) ||
        (rc = bg_web_ctx_load(&ctx, q, lang, db, err)))
        goto cleanup;
    const char *w = where && *where ? where : NULL;
    /* a filter matching no document would give an empty report */
    int64_t ndocs = 0;
    if ((rc = bg_query_where_count(q, w, &ndocs, err)))
        goto cleanup;
    if (ndocs == 0) {
        rc = bg_err_set(err, BG_ENOTFOUND,
                        w ? "--where %s: no document matches (nothing "
                            "written; `baogao docs` lists them)"
                          : "%sthe database holds no document (nothing "
                            "written)",
                        w ? w : "");
        goto cleanup;
    }
    /* what each section shows; the keys are report.js's */
    {
        const char *info[] = {NULL};
        const char *freq[] = {"where",       w,   "top", "100",
                              "boilerplate", "1", NULL};
        const char *cats[] = {"where", w, NULL};
        const char *rec[] = {"where", w, "top", "10", NULL};
        const char *com[] = {"where", w, NULL};
        struct {
            const char *key, *endpoint;
            const char *const *args;
        } plan[] = {{"info", "info", info},
                    {"freq", "freq", freq},
                    {"categories", "categories", cats},
                    {"recurring", "recurring", rec},
                    {"commitments", "commitments_by", com}};
        for (size_t i = 0; i < sizeof plan / sizeof *plan; i++) {
            if (!(j = ask(ctx, q, plan[i].endpoint, plan[i].args, err))) {
                rc = err->code ? err->code : BG_ENOMEM;
                goto cleanup;
            }
            cJSON_AddItemToObject(data, plan[i].key, j);
        }
    }
    /* trends: the five most frequent words, by year */
    const cJSON *fr = rows_of(cJSON_GetObjectItemCaseSensitive(data, "freq"));
    int nw = top_words(fr, words, sizeof words);
    int64_t latest = 0, earliest = 0;
    if (nw) {
        const char *trend[] = {"where", w, "words", words, NULL};
        if (!(j = ask(ctx, q, "trend", trend, err))) {
            rc = err->code;
            goto cleanup;
        }
        cJSON_AddItemToObject(data, "trend", j);
        const cJSON *tr = rows_of(j);
        for (const cJSON *r = tr ? tr->child : NULL; r; r = r->next) {
            const cJSON *y = cJSON_GetObjectItemCaseSensitive(r, "year");
            const cJSON *docs =
                cJSON_GetObjectItemCaseSensitive(r, "documents");
            /* the group column is text (documents without a year: "") */
            int64_t v = cJSON_IsNumber(y)   ? (int64_t)y->valuedouble
                        : cJSON_IsString(y) ? strtoll(y->valuestring, NULL, 10)
                                            : 0;
            if (v <= 0 || !cJSON_IsNumber(docs) || docs->valuedouble <= 0)
                continue;
            latest = v > latest ? v : latest;
            earliest = !earliest || v < earliest ? v : earliest;
        }
    }
    /* keyness of the latest year against the years before it */
    if (latest && earliest < latest) {
        char t[32], rr[32];
        snprintf(t, sizeof t, "year=%lld", (long long)latest);
        snprintf(rr, sizeof rr, "year<%lld", (long long)latest);
        const char *key[] = {"target",      join_where(w1, sizeof w1, w, t),
                             "reference",   join_where(w2, sizeof w2, w, rr),
                             "top",         "15",
                             "boilerplate", "1",
                             NULL};
        if (!(j = ask(ctx, q, "keyness", key, err))) {
            rc = err->code;
            goto cleanup;
        }
        cJSON_AddNumberToObject(j, "latest", (double)latest);
        cJSON_AddNumberToObject(j, "earliest", (double)earliest);
        cJSON_AddItemToObject(data, "keyness", j);
    }
    if (w)
        cJSON_AddStringToObject(data, "where", w);
    cJSON_AddStringToObject(data, "lang", lang ? lang : "zh");
    char *json = cJSON_PrintUnformatted(data);
    if (!json) {
        rc = bg_err_set(err, BG_ENOMEM, "report: out of memory");
        goto cleanup;
    }
    if (!(f = fopen(out_path, "w"))) {
        cJSON_free(json);
        rc = bg_err_set(err, BG_EIO, "%s: cannot write: %s", out_path,
                        strerror(errno));
        goto cleanup;
    }
    errno = 0;
    rc = write_page(f, lang, json, err);
    cJSON_free(json);
    if (ferror(f) && rc == 0)
        rc = bg_err_set(err, BG_EIO, "%s: write failed: %s", out_path,
                        strerror(errno ? errno : EIO));
cleanup:
    if (f && fclose(f) != 0 && rc == 0)
        rc = bg_err_set(err, BG_EIO, "%s: write failed: %s", out_path,
                        strerror(errno));
    cJSON_Delete(data);
    bg_web_ctx_free(ctx);
    bg_query_close(q);
    return rc;
}
