/*
 * fuzz_api.c - fuzz target: the web workspace's JSON API (web_int.h,
 * bg_web_api, which `baogao serve` answers every /api/ request with) on
 * the input as a request: "NAME?QUERY", the endpoint name and the query
 * string of the URL after /api/. The query string is read as
 * libmicrohttpd reads it for serve: arguments apart at '&', name and
 * value at the first '=', %XX and '+' decoded (a decoded NUL ends the
 * text), the first of a repeated name taken; and refused as serve refuses it
 * before asking the API (a name over 64 bytes, a value over BG_WEB_MAX_ARG
 * bytes, either not UTF-8) or as it refuses an argument the endpoint does
 * not take (bg_web_api_unknown: then a 400 reply is checked instead). The
 * database is tests/data/seed's ($BG_FUZZ_DB).
 * Checks: bg_web_api returns 0 with a body; the status is 200, 400, 404
 * or 413, never 500 (a request must not reach SQLite's syntax or run out
 * of bounds: that is the server's fault); a JSON body parses (cJSON) and
 * an error body holds "error" (text) and, with an "id", "args" (texts);
 * a download names its file.
 */
#include "fuzz_db.h"
#include "web_int.h"

#include <cjson/cJSON.h>

static bg_web_ctx *fuzz_ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bg_err err = {0};
    fuzz_db_init();
    if (bg_web_ctx_load(&fuzz_ctx, fuzz_q, "zh", getenv("BG_FUZZ_DB"), &err)) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        exit(2);
    }
    return 0;
}

#define MAX_ARGS 64

/* A request's arguments, decoded. */
typedef struct args {
    char *name[MAX_ARGS], *value[MAX_ARGS];
    size_t n;
} args;

static int hex(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* s[0, n) with %XX and '+' decoded (a '%' not followed by two hex
 * digits stays), malloc'd; a decoded NUL ends it, as it ends the C string
 * libmicrohttpd hands over. */
static char *unescape(const char *s, size_t n)
{
    char *o = malloc(n + 1);
    size_t k = 0;
    if (!o)
        abort();
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '+')
            c = ' ';
        else if (c == '%' && i + 2 < n && hex(s[i + 1]) >= 0 &&
                 hex(s[i + 2]) >= 0) {
            c = hex(s[i + 1]) * 16 + hex(s[i + 2]);
            i += 2;
        }
        if (c == 0)
            break;
        o[k++] = (char)c;
    }
    o[k] = '\0';
    return o;
}

/* serve.c's check_arg: whether serve passes this argument on. */
static int serve_takes(const char *name, const char *value)
{
    size_t kl = strlen(name), vl = strlen(value);
    return kl <= 64 && vl <= BG_WEB_MAX_ARG &&
           bg_utf8_valid_prefix(name, kl) == kl &&
           bg_utf8_valid_prefix(value, vl) == vl;
}

/* Splits query q[0, n) into a; returns 0, or -1 when serve refuses the
 * request (then the API is not asked). */
static int parse_query(const char *q, size_t n, args *a)
{
    for (size_t at = 0; at < n && a->n < MAX_ARGS;) {
        const char *amp = memchr(q + at, '&', n - at);
        size_t end = amp ? (size_t)(amp - q) : n;
        const char *eq = memchr(q + at, '=', end - at);
        size_t ne = eq ? (size_t)(eq - q) : end;
        if (ne > at) {
            char *name = unescape(q + at, ne - at);
            char *value = eq ? unescape(eq + 1, end - ne - 1) : strdup("");
            if (!name || !value || !serve_takes(name, value)) {
                free(name);
                free(value);
                return -1;
            }
            a->name[a->n] = name;
            a->value[a->n++] = value;
        }
        at = end + 1;
    }
    return 0;
}

static const char *arg_of(const char *name, void *payload)
{
    const args *a = payload;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->name[i], name) == 0)
            return a->value[i];
    return NULL;
}

/* The reply's contract (the banner). */
static void check_reply(const bg_web_reply *r)
{
    FUZZ_CHECK(r->body && r->type);
    if (r->status == 500)
        fprintf(stderr, "fuzz: 500: %.*s\n", (int)r->len, r->body);
    FUZZ_CHECK(r->status == 200 || r->status == 400 || r->status == 404 ||
               r->status == 413);
    if (strcmp(r->type, "application/json") != 0) {
        FUZZ_CHECK(r->status == 200 && r->filename[0]);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(r->body, r->len);
    FUZZ_CHECK(j != NULL);
    if (r->status != 200) {
        const cJSON *e = cJSON_GetObjectItem(j, "error");
        const cJSON *id = cJSON_GetObjectItem(j, "id");
        const cJSON *av = cJSON_GetObjectItem(j, "args");
        FUZZ_CHECK(cJSON_IsString(e) && e->valuestring[0]);
        FUZZ_CHECK(!id || (cJSON_IsString(id) && cJSON_IsArray(av)));
        for (const cJSON *v = av ? av->child : NULL; v; v = v->next)
            FUZZ_CHECK(cJSON_IsString(v));
    }
    cJSON_Delete(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *req = fuzz_string(data, size);
    if (!req)
        return 0;
    /* serve's URL limit: /api/ and this */
    if (size + 5 > BG_WEB_MAX_URL) {
        free(req);
        return 0;
    }
    char *qm = strchr(req, '?');
    if (qm)
        *qm = '\0';
    args a = {{0}, {0}, 0};
    if (parse_query(qm ? qm + 1 : "", qm ? strlen(qm + 1) : 0, &a) == 0) {
        bg_web_reply rep;
        int unknown = 0;
        /* as serve: an argument the endpoint does not take is refused */
        for (size_t i = 0; i < a.n && !unknown; i++)
            unknown = bg_web_api_unknown(req, a.name[i], &rep);
        if (unknown) {
            FUZZ_CHECK(rep.status == 400);
        } else {
            int rc = bg_web_api(fuzz_ctx, fuzz_q, req, arg_of, &a, &rep);
            FUZZ_CHECK(rc == 0);
        }
        check_reply(&rep);
        free(rep.body);
    }
    for (size_t i = 0; i < a.n; i++) {
        free(a.name[i]);
        free(a.value[i]);
    }
    free(req);
    return 0;
}
