/*
 * extract.c - rule loading and matching, theme phrases.
 */
#include "extract.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    P_OUTLINE = 1 << 0,
    P_TITLE = 1 << 1,
    P_LINE = 1 << 2,
    P_TERMINATED = 1 << 3,
    P_FIRST_LINE = 1 << 4
};

static const struct {
    const char *name;
    unsigned bit;
} PROPS[] = {{"outline", P_OUTLINE},
             {"title", P_TITLE},
             {"line", P_LINE},
             {"terminated", P_TERMINATED},
             {"first_line", P_FIRST_LINE}};

typedef struct rule {
    char *id;
    bg_kind kind;
    double weight;
    unsigned requires, forbids;
    long max_chars; /* 0: no bound */
    pcre2_code *re;
} rule;

struct bg_extractor {
    rule *rules;
    size_t n, cap;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
};

const char *bg_kind_name(bg_kind k)
{
    static const char *const names[] = {"theme", "problem", "commitment"};
    return k < BG_NKINDS ? names[k] : "?";
}

void bg_extract_close(bg_extractor *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n; i++) {
        free(x->rules[i].id);
        pcre2_code_free(x->rules[i].re);
    }
    free(x->rules);
    pcre2_match_data_free(x->md);
    pcre2_match_context_free(x->mctx);
    free(x);
}

size_t bg_extract_nrules(const bg_extractor *x)
{
    return x ? x->n : 0;
}

static int props(const cJSON *arr, unsigned *out, const char *where,
                 bg_err *err)
{
    const cJSON *it;
    *out = 0;
    if (!arr)
        return 0;
    if (!cJSON_IsArray(arr))
        return bg_err_set(err, BG_ERULE, "%s: requires/forbids must be a list",
                          where);
    cJSON_ArrayForEach(it, arr)
    {
        size_t k;
        if (!cJSON_IsString(it))
            return bg_err_set(err, BG_ERULE, "%s: property must be a string",
                              where);
        for (k = 0; k < sizeof PROPS / sizeof *PROPS; k++)
            if (strcmp(PROPS[k].name, it->valuestring) == 0)
                break;
        if (k == sizeof PROPS / sizeof *PROPS)
            return bg_err_set(err, BG_ERULE,
                              "%s: unknown property \"%s\" (outline, title, "
                              "line, terminated, first_line)",
                              where, it->valuestring);
        *out |= PROPS[k].bit;
    }
    return 0;
}

static int add_rule(bg_extractor *x, const char *json, const char *where,
                    bg_err *err)
{
    int rc = 0;
    rule r = {0};
    cJSON *o = cJSON_Parse(json);
    if (!o || !cJSON_IsObject(o)) {
        rc = bg_err_set(err, BG_ERULE, "%s: not a JSON object", where);
        goto cleanup;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
    const cJSON *pat = cJSON_GetObjectItemCaseSensitive(o, "pattern");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(o, "weight");
    const cJSON *mc = cJSON_GetObjectItemCaseSensitive(o, "max_chars");
    if (!cJSON_IsString(id) || !*id->valuestring) {
        rc = bg_err_set(err, BG_ERULE, "%s: missing \"id\"", where);
        goto cleanup;
    }
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->rules[i].id, id->valuestring) == 0) {
            rc = bg_err_set(err, BG_ERULE, "%s: duplicate id \"%s\"", where,
                            id->valuestring);
            goto cleanup;
        }
    if (!cJSON_IsString(kind)) {
        rc = bg_err_set(err, BG_ERULE, "%s: missing \"kind\"", where);
        goto cleanup;
    }
    for (r.kind = 0; r.kind < BG_NKINDS; r.kind++)
        if (strcmp(bg_kind_name(r.kind), kind->valuestring) == 0)
            break;
    if (r.kind == BG_NKINDS) {
        rc = bg_err_set(err, BG_ERULE,
                        "%s: kind \"%s\" is not theme, problem or commitment",
                        where, kind->valuestring);
        goto cleanup;
    }
    if (!cJSON_IsString(pat)) {
        rc = bg_err_set(err, BG_ERULE, "%s: missing \"pattern\"", where);
        goto cleanup;
    }
    if (w && !cJSON_IsNumber(w)) {
        rc =
            bg_err_set(err, BG_ERULE, "%s: \"weight\" must be a number", where);
        goto cleanup;
    }
    r.weight = w ? w->valuedouble : 1.0;
    r.max_chars = cJSON_IsNumber(mc) ? (long)mc->valuedouble : 0;
    if ((rc = props(cJSON_GetObjectItemCaseSensitive(o, "requires"),
                    &r.requires, where, err)) ||
        (rc = props(cJSON_GetObjectItemCaseSensitive(o, "forbids"), &r.forbids,
                    where, err)))
        goto cleanup;
    int pe;
    PCRE2_SIZE eoff;
    r.re = pcre2_compile((PCRE2_SPTR)pat->valuestring, PCRE2_ZERO_TERMINATED,
                         PCRE2_UTF | PCRE2_UCP, &pe, &eoff, NULL);
    if (!r.re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(pe, msg, sizeof msg);
        rc = bg_err_set(err, BG_ERULE, "%s: rule \"%s\": pattern byte %zu: %s",
                        where, id->valuestring, (size_t)eoff, (char *)msg);
        goto cleanup;
    }
    (void)pcre2_jit_compile(r.re, PCRE2_JIT_COMPLETE); /* else interpreter */
    if (!(r.id = strdup(id->valuestring)))
        goto oom;
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 32;
        rule *p = realloc(x->rules, cap * sizeof *p);
        if (!p)
            goto oom;
        x->rules = p;
        x->cap = cap;
    }
    x->rules[x->n++] = r;
    memset(&r, 0, sizeof r);
    goto cleanup;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", where);
cleanup:
    free(r.id);
    pcre2_code_free(r.re);
    cJSON_Delete(o);
    return rc;
}

static int load_file(bg_extractor *x, const char *path, bg_err *err)
{
    char *data;
    size_t len, lineno = 0;
    int rc = bg_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < len && rc == 0;) {
        size_t eol = i;
        while (eol < len && data[eol] != '\n')
            eol++;
        lineno++;
        size_t a = i;
        if (lineno == 1 && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
            a = 3;
        data[eol] = '\0';
        if (eol > a && data[eol - 1] == '\r')
            data[eol - 1] = '\0';
        while (data[a] == ' ' || data[a] == '\t')
            a++;
        if (data[a] && strncmp(data + a, "//", 2) != 0) {
            char where[1024];
            snprintf(where, sizeof where, "%s:%zu", path, lineno);
            rc = add_rule(x, data + a, where, err);
        }
        i = eol + 1;
    }
    free(data);
    return rc;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int bg_extract_open(bg_extractor **out, const char *dir, bg_err *err)
{
    int rc = 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    bg_extractor *x = calloc(1, sizeof *x);
    *out = NULL;
    if (!x)
        return bg_err_set(err, BG_ENOMEM, "rules: out of memory");
    DIR *d = opendir(dir);
    if (!d) {
        rc = bg_err_set(err, BG_EIO, "%s: %s", dir, strerror(errno));
        goto cleanup;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < 6 ||
            strcmp(de->d_name + l - 6, ".jsonl") != 0)
            continue;
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 8;
            char **p = realloc(names, ncap * sizeof *p);
            if (!p)
                break;
            names = p;
            cap = ncap;
        }
        if (!(names[n] = strdup(de->d_name)))
            break;
        n++;
    }
    closedir(d);
    if (de) {
        rc = bg_err_set(err, BG_ENOMEM, "rules: out of memory");
        goto cleanup;
    }
    if (n == 0) {
        rc = bg_err_set(err, BG_ERULE, "%s: no *.jsonl rule files", dir);
        goto cleanup;
    }
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        bg_buf path = {0};
        if (bg_buf_printf(&path, "%s/%s", dir, names[i])) {
            rc = bg_err_set(err, BG_ENOMEM, "rules: out of memory");
            break;
        }
        rc = load_file(x, path.data, err);
        bg_buf_free(&path);
    }
    if (rc)
        goto cleanup;
    x->md = pcre2_match_data_create(8, NULL);
    x->mctx = pcre2_match_context_create(NULL);
    if (!x->md || !x->mctx) {
        rc = bg_err_set(err, BG_ENOMEM, "rules: out of memory");
        goto cleanup;
    }
    /* bounds backtracking: no rule may hang a run on odd input */
    pcre2_set_match_limit(x->mctx, 1000000);
    *out = x;
    x = NULL;
cleanup:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    bg_extract_close(x);
    return rc;
}

static size_t count_chars(const char *s, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static int is_phrase_end(const char *s, size_t i, size_t end)
{
    if (s[i] == ',' || s[i] == ';' || s[i] == ':' || s[i] == '!' || s[i] == '?')
        return 1;
    if (s[i] == '.' && i + 1 < end && s[i + 1] == '.')
        return 1;
    return i + 3 <= end && memcmp(s + i, "。", 3) == 0;
}

/* The theme phrase inside sentence x of t, as an analysis range. */
static void theme_phrase(const bg_text *t, const bg_sentence *x, size_t *ps,
                         size_t *pe)
{
    const char *s = t->analysis;
    size_t a = x->outline ? x->marker_end : x->a_start, b = x->a_end;
    int depth = 0; /* inside quotes or brackets: no cut at spaces */
    if (b - a >= 6 && memcmp(s + a, "关于", 6) == 0)
        a += 6;
    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '(' || (i + 3 <= b && (memcmp(s + i, "“", 3) == 0 ||
                                        memcmp(s + i, "《", 3) == 0)))
            depth++;
        else if (depth > 0 &&
                 (c == ')' || (i + 3 <= b && (memcmp(s + i, "”", 3) == 0 ||
                                              memcmp(s + i, "》", 3) == 0))))
            depth--;
        if (is_phrase_end(s, i, b) ||
            (!x->title && c == ' ' && depth == 0 && i > a)) {
            b = i;
            break;
        }
    }
    /* `…关于X的通知` titles name their topic X */
    static const char *const tails[] = {"的通知", "的意见", "的决定",
                                        "的报告", "的办法", "的批复"};
    const char *about = NULL;
    for (size_t i = a; i + 6 <= b; i++)
        if (memcmp(s + i, "关于", 6) == 0) {
            about = s + i;
            break;
        }
    for (size_t k = 0; about && k < sizeof tails / sizeof *tails; k++) {
        size_t tl = strlen(tails[k]);
        if (b - a > tl && memcmp(s + b - tl, tails[k], tl) == 0) {
            a = (size_t)(about - s) + 6;
            b -= tl;
            break;
        }
    }
    while (a < b && s[a] == ' ')
        a++;
    while (b > a && s[b - 1] == ' ')
        b--;
    *ps = a;
    *pe = b;
}

int bg_extract_sentence(bg_extractor *x, const bg_text *t, const bg_sentence *s,
                        int first_line, bg_label out[BG_NKINDS], size_t *n,
                        bg_err *err)
{
    double score[BG_NKINDS] = {0}, best[BG_NKINDS] = {0};
    const char *best_rule[BG_NKINDS] = {NULL};
    unsigned have = (s->outline ? P_OUTLINE : 0) | (s->title ? P_TITLE : 0) |
                    (s->line_start && s->line_end ? P_LINE : 0) |
                    (s->terminated ? P_TERMINATED : 0) |
                    (first_line ? P_FIRST_LINE : 0);
    const char *subj = t->analysis + s->a_start;
    size_t len = s->a_end - s->a_start;
    size_t chars = count_chars(t->analysis, s->a_start, s->a_end);
    *n = 0;
    for (size_t i = 0; i < x->n; i++) {
        const rule *r = &x->rules[i];
        if ((have & r->requires) != r->requires || (have & r->forbids))
            continue;
        if (r->max_chars && (long)chars > r->max_chars)
            continue;
        int m = pcre2_match(r->re, (PCRE2_SPTR)subj, len, 0, PCRE2_NO_UTF_CHECK,
                            x->md, x->mctx);
        if (m == PCRE2_ERROR_NOMATCH)
            continue;
        if (m < 0) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(m, msg, sizeof msg);
            return bg_err_set(err, BG_EPCRE, "rule \"%s\": %s", r->id,
                              (char *)msg);
        }
        score[r->kind] += r->weight;
        if (!best_rule[r->kind] || r->weight > best[r->kind]) {
            best[r->kind] = r->weight;
            best_rule[r->kind] = r->id;
        }
    }
    for (int k = 0; k < BG_NKINDS; k++) {
        if (score[k] < 1.0 || !best_rule[k])
            continue;
        bg_label *l = &out[(*n)++];
        l->kind = (bg_kind)k;
        l->rule = best_rule[k];
        l->score = score[k];
        l->phrase_start = l->phrase_end = 0;
        if (k == BG_KIND_THEME)
            theme_phrase(t, s, &l->phrase_start, &l->phrase_end);
    }
    return 0;
}

/* Removes quotes and brackets without a partner from b->data[from, len). */
static void drop_unbalanced(bg_buf *b, size_t from)
{
    static const char *const pairs[][2] = {
        {"“", "”"}, {"‘", "’"},   {"《", "》"}, {"（", "）"},
        {"(", ")"}, {"「", "」"}, {"【", "】"}};
    for (size_t p = 0; p < sizeof pairs / sizeof *pairs; p++) {
        const char *open = pairs[p][0], *close = pairs[p][1];
        size_t lo = strlen(open), lc = strlen(close);
        for (;;) {
            /* find the first unmatched mark, scanning left to right */
            long depth = 0;
            size_t bad = (size_t)-1, badlen = 0, lastopen = 0;
            for (size_t i = from; i < b->len; i++) {
                if (b->len - i >= lo && memcmp(b->data + i, open, lo) == 0) {
                    depth++;
                    lastopen = i;
                } else if (b->len - i >= lc &&
                           memcmp(b->data + i, close, lc) == 0) {
                    if (depth == 0) {
                        bad = i;
                        badlen = lc;
                        break;
                    }
                    depth--;
                }
            }
            if (bad == (size_t)-1 && depth > 0) {
                bad = lastopen;
                badlen = lo;
            }
            if (bad == (size_t)-1)
                break;
            memmove(b->data + bad, b->data + bad + badlen,
                    b->len - bad - badlen + 1);
            b->len -= badlen;
        }
    }
}

int bg_extract_phrase(bg_normaliser *norm, const bg_text *t, const char *src,
                      size_t base, const bg_label *l, bg_buf *b, bg_err *err)
{
    if (l->phrase_end <= l->phrase_start)
        return bg_buf_add(b, "", 0) ? bg_err_set(err, BG_ENOMEM, "oom") : 0;
    size_t os = t->orig_start[l->phrase_start];
    size_t oe = t->orig_end[l->phrase_end - 1];
    bg_buf disp = {0};
    size_t from = b->len;
    int rc = bg_text_display(t, src, base, os, oe, &disp);
    if (rc) {
        bg_buf_free(&disp);
        return bg_err_set(err, BG_ENOMEM, "phrase: out of memory");
    }
    rc = bg_normalise_simplify(norm, disp.data, disp.len, b, err);
    bg_buf_free(&disp);
    if (rc)
        return rc;
    drop_unbalanced(b, from);
    /* trim white space (ASCII and U+3000) at both ends */
    size_t a = from;
    while (a < b->len &&
           (b->data[a] == ' ' || b->data[a] == '\t' ||
            (b->len - a >= 3 && memcmp(b->data + a, "\xE3\x80\x80", 3) == 0)))
        a += b->data[a] == ' ' || b->data[a] == '\t' ? 1 : 3;
    memmove(b->data + from, b->data + a, b->len - a + 1);
    b->len -= a - from;
    while (b->len > from &&
           (b->data[b->len - 1] == ' ' || b->data[b->len - 1] == '\t'))
        b->data[--b->len] = '\0';
    return 0;
}
