/*
 * extract.c - loading extraction rules, the problem taxonomy and the
 * learned layer's model.
 *
 * Rule files are read whole, every line parsed first, so that the names
 * defined by "context", "genre" and "part" rules are known before any rule
 * refers to them, whatever the file order.
 */
#include "extract_int.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
    const char *name;
    unsigned bit;
} PROPS[] = {{"outline", P_OUTLINE},
             {"title", P_TITLE},
             {"line", P_LINE},
             {"terminated", P_TERMINATED},
             {"first_line", P_FIRST_LINE},
             {"heading", P_HEADING},
             {"line_start", P_LINE_START},
             {"cell", P_CELL}};
#define NPROPS (sizeof PROPS / sizeof *PROPS)

const char *bg_kind_name(bg_kind k)
{
    static const char *const names[] = {"theme", "problem", "commitment"};
    return k < BG_NKINDS ? names[k] : "?";
}

static void free_cats(bg_extractor *x)
{
    for (size_t i = 0; i < x->ncats; i++) {
        free(x->cats[i].name);
        pcre2_code_free(x->cats[i].re);
    }
    free(x->cats);
    x->cats = NULL;
    x->ncats = 0;
}

void bg_extract_close(bg_extractor *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n; i++) {
        free(x->rules[i].id);
        free(x->rules[i].value);
        free(x->rules[i].gate);
        free(x->rules[i].end);
        pcre2_code_free(x->rules[i].re);
        pcre2_code_free(x->rules[i].anchored);
    }
    free(x->gates);
    free(x->cand_head);
    free(x->cand_tail);
    free(x->cand_pos);
    free(x->cand_next);
    free(x->gc_done);
    free(x->gc_pass);
    free(x->gc_h0);
    free(x->gc_nh);
    free(x->gc_heads);
    free(x->gate_at);
    free(x->gated);
    free(x->gate_start);
    free(x->pass);
    for (int i = 0; i < x->ncontexts; i++)
        free(x->contexts[i]);
    free_cats(x);
    free(x->rules);
    free(x->sctx);
    free(x->sctx_rule);
    free(x->sctx_sent);
    free(x->heading);
    free(x->part);
    free(x->cell);
    free(x->ss);
    free(x->raw);
    free(x->section);
    bg_model_release(x->model);
    free(x->model_mark);
    free(x->cues);
    free(x->pcl);
    free(x->covered);
    pcre2_match_data_free(x->md);
    pcre2_match_context_free(x->mctx);
    free(x);
}

size_t bg_extract_nrules(const bg_extractor *x)
{
    return x ? x->n : 0;
}

size_t bg_extract_nlabel_rules(const bg_extractor *x, bg_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; x && i < x->n; i++)
        n += x->rules[i].cls == R_LABEL && x->rules[i].kind == kind;
    return n;
}

/* One parsed line of a rule file, kept until every file is read. */
typedef struct line_rec {
    cJSON *o;
    char *where;
} line_rec;

typedef struct lines {
    line_rec *v;
    size_t n, cap;
} lines;

static void lines_free(lines *l)
{
    for (size_t i = 0; i < l->n; i++) {
        cJSON_Delete(l->v[i].o);
        free(l->v[i].where);
    }
    free(l->v);
}

static int context_index(bg_extractor *x, const char *name)
{
    for (int i = 0; i < x->ncontexts; i++)
        if (strcmp(x->contexts[i], name) == 0)
            return i;
    return -1;
}

/* The property bits of one requires/forbids entry ("a|b": either). */
static int prop_bits(bg_extractor *x, const char *name, unsigned *out,
                     const char *where, bg_err *err)
{
    *out = 0;
    for (const char *p = name;;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        size_t k;
        for (k = 0; k < NPROPS; k++)
            if (strlen(PROPS[k].name) == len &&
                strncmp(PROPS[k].name, p, len) == 0)
                break;
        if (k < NPROPS) {
            *out |= PROPS[k].bit;
        } else {
            int c = -1;
            for (int i = 0; i < x->ncontexts; i++)
                if (strlen(x->contexts[i]) == len &&
                    strncmp(x->contexts[i], p, len) == 0)
                    c = i;
            if (c < 0)
                return bg_err_set(
                    err, BG_ERULE,
                    "%s: unknown property \"%.*s\" (outline, title, line, "
                    "terminated, first_line, heading, or a context named by "
                    "a \"context\" rule)",
                    where, (int)len, p);
            *out |= P_CONTEXT(c);
        }
        if (!bar)
            return 0;
        p = bar + 1;
    }
}

static int props(bg_extractor *x, const cJSON *arr, rule *r, int requires,
                 const char *where, bg_err *err)
{
    const cJSON *it;
    if (!arr)
        return 0;
    if (!cJSON_IsArray(arr))
        return bg_err_set(err, BG_ERULE, "%s: requires/forbids must be a list",
                          where);
    cJSON_ArrayForEach(it, arr)
    {
        unsigned bits;
        int rc;
        if (!cJSON_IsString(it))
            return bg_err_set(err, BG_ERULE, "%s: property must be a string",
                              where);
        if ((rc = prop_bits(x, it->valuestring, &bits, where, err)))
            return rc;
        if (!requires) {
            r->forbids |= bits;
        } else if (r->nrequires == MAX_REQUIRES) {
            return bg_err_set(err, BG_ERULE, "%s: more than %d requires", where,
                              MAX_REQUIRES);
        } else {
            r->requires[r->nrequires++] = bits;
        }
    }
    return 0;
}

static const char *const CLASSES[] = {"",      "context", "phrase",
                                      "actor", "horizon", "mode",
                                      "genre", "part",    "generic"};

static int compile(const char *pat, const char *id, uint32_t options,
                   pcre2_code **out, const char *where, bg_err *err)
{
    int pe;
    PCRE2_SIZE eoff;
    *out = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                         PCRE2_UTF | PCRE2_UCP | options, &pe, &eoff, NULL);
    if (!*out) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(pe, msg, sizeof msg);
        return bg_err_set(err, BG_ERULE,
                          "%s: rule \"%s\": pattern byte %zu: %s", where, id,
                          (size_t)eoff, (char *)msg);
    }
    (void)pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE); /* else interpreter */
    return 0;
}

static const char *const LAYER_KIND[] = {"context", "genre", "part"};

/* Registers the name a "context", "genre" or "part" rule line defines
 * (first pass). */
static int declare_context(bg_extractor *x, const cJSON *o, const char *where,
                           bg_err *err)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
    const cJSON *sets = cJSON_GetObjectItemCaseSensitive(o, "sets");
    int layer;
    if (!cJSON_IsString(kind))
        return 0;
    for (layer = 0; layer < 3; layer++)
        if (strcmp(kind->valuestring, LAYER_KIND[layer]) == 0)
            break;
    if (layer == 3)
        return 0;
    if (!cJSON_IsString(sets) || !*sets->valuestring ||
        strchr(sets->valuestring, '|'))
        return bg_err_set(err, BG_ERULE, "%s: a %s rule needs \"sets\": a name",
                          where, LAYER_KIND[layer]);
    for (size_t k = 0; k < NPROPS; k++)
        if (strcmp(PROPS[k].name, sets->valuestring) == 0)
            return bg_err_set(err, BG_ERULE,
                              "%s: %s \"%s\" is a sentence property name",
                              where, LAYER_KIND[layer], sets->valuestring);
    int c = context_index(x, sets->valuestring);
    if (c >= 0) {
        if ((int)x->layer[c] != layer)
            return bg_err_set(err, BG_ERULE, "%s: \"%s\" is already a %s name",
                              where, sets->valuestring,
                              LAYER_KIND[x->layer[c]]);
        return 0;
    }
    if (x->ncontexts == BG_MAX_CONTEXTS)
        return bg_err_set(err, BG_ERULE,
                          "%s: more than %d context, genre and part names",
                          where, BG_MAX_CONTEXTS);
    if (!(x->contexts[x->ncontexts] = strdup(sets->valuestring)))
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", where);
    x->layer[x->ncontexts++] = (name_layer)layer;
    return 0;
}

/* The class and kind of rule r from its "kind" (a label kind, or one of
 * CLASSES). Returns 0 or BG_ERULE. */
static int rule_kind(const cJSON *kind, rule *r, const char *where, bg_err *err)
{
    r->cls = R_LABEL;
    for (r->kind = 0; r->kind < BG_NKINDS; r->kind++)
        if (strcmp(bg_kind_name(r->kind), kind->valuestring) == 0)
            break;
    if (r->kind == BG_NKINDS) {
        size_t c;
        for (c = 1; c < sizeof CLASSES / sizeof *CLASSES; c++)
            if (strcmp(CLASSES[c], kind->valuestring) == 0)
                break;
        if (c == sizeof CLASSES / sizeof *CLASSES)
            return bg_err_set(err, BG_ERULE,
                              "%s: kind \"%s\" is not theme, problem, "
                              "commitment, context, phrase, actor, horizon, "
                              "mode, genre, part or generic",
                              where, kind->valuestring);
        r->cls = (rule_class)c;
        r->kind = r->cls == R_PHRASE    ? BG_KIND_THEME
                  : r->cls == R_GENERIC ? BG_KIND_PROBLEM
                                        : BG_KIND_COMMITMENT;
        r->sets = -1;
    }
    return 0;
}

/* Where a context or genre rule looks ("on"), how long a lead's context
 * holds ("until") and the share a body rule needs ("share"). Returns 0 or
 * BG_ERULE. */
static int rule_on(const cJSON *o, rule *r, const char *where, bg_err *err)
{
    if (r->cls == R_CONTEXT || r->cls == R_GENRE) {
        const cJSON *on = cJSON_GetObjectItemCaseSensitive(o, "on");
        static const char *const ons[] = {"title", "heading", "lead", "text",
                                          "body"};
        size_t k = 5;
        if (cJSON_IsString(on))
            for (k = 0; k < 5; k++)
                if (strcmp(ons[k], on->valuestring) == 0)
                    break;
        int ok = r->cls == R_CONTEXT ? k < 3 || k == ON_BODY : k == 0 || k == 3;
        if (!ok)
            return bg_err_set(err, BG_ERULE,
                              r->cls == R_CONTEXT
                                  ? "%s: a context rule needs \"on\": "
                                    "\"title\", \"heading\", \"lead\" or "
                                    "\"body\""
                                  : "%s: a genre rule needs \"on\": "
                                    "\"title\" or \"text\"",
                              where);
        r->on = (ctx_on)k;
        const cJSON *share = cJSON_GetObjectItemCaseSensitive(o, "share");
        if (share && (!cJSON_IsNumber(share) || r->on != ON_BODY ||
                      share->valuedouble <= 0 || share->valuedouble > 1))
            return bg_err_set(err, BG_ERULE,
                              "%s: \"share\" is a number in (0, 1], for a "
                              "context rule on a body",
                              where);
        r->share = share ? share->valuedouble : 0.5;
    }
    if (r->cls == R_CONTEXT) {
        const cJSON *until = cJSON_GetObjectItemCaseSensitive(o, "until");
        if (until && (!cJSON_IsString(until) ||
                      (strcmp(until->valuestring, "line") != 0 &&
                       strcmp(until->valuestring, "heading") != 0) ||
                      r->on != ON_LEAD))
            return bg_err_set(err, BG_ERULE,
                              "%s: \"until\" is \"heading\" or \"line\", "
                              "for a context rule on a lead",
                              where);
        r->until = until && strcmp(until->valuestring, "line") == 0
                       ? UNTIL_LINE
                       : UNTIL_HEADING;
    }
    return 0;
}

/* Reads a part rule's "decides": a list of kind names ("problem", ...)
 * into r->decides. Returns 0 or BG_ERULE (not a list of kinds, or on a
 * rule that is not a part rule). */
static int decides(const cJSON *o, rule *r, const char *where, bg_err *err)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "decides"), *it;
    if (!arr)
        return 0;
    if (r->cls != R_PART || !cJSON_IsArray(arr))
        return bg_err_set(err, BG_ERULE,
                          "%s: \"decides\" is a list of kinds, for a part rule",
                          where);
    cJSON_ArrayForEach(it, arr)
    {
        int k = 0;
        while (k < BG_NKINDS &&
               !(cJSON_IsString(it) &&
                 strcmp(it->valuestring, bg_kind_name((bg_kind)k)) == 0))
            k++;
        if (k == BG_NKINDS)
            return bg_err_set(err, BG_ERULE,
                              "%s: \"decides\" names theme, problem or "
                              "commitment",
                              where);
        r->decides |= 1u << k;
    }
    return 0;
}

static int add_rule(bg_extractor *x, const cJSON *o, const char *where,
                    bg_err *err)
{
    int rc = 0;
    rule r = {0};
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
    const cJSON *pat = cJSON_GetObjectItemCaseSensitive(o, "pattern");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(o, "weight");
    const cJSON *mc = cJSON_GetObjectItemCaseSensitive(o, "max_chars");
    const cJSON *scope = cJSON_GetObjectItemCaseSensitive(o, "scope");
    if (!cJSON_IsString(id) || !*id->valuestring)
        return bg_err_set(err, BG_ERULE, "%s: missing \"id\"", where);
    /* the learned layer's cue names (extract.h): the index tells them by
     * name */
    if (strncmp(id->valuestring, "model.", 6) == 0 ||
        strcmp(id->valuestring, "rules.force") == 0)
        return bg_err_set(err, BG_ERULE,
                          "%s: id \"%s\" is reserved (model.KIND, "
                          "rules.force)",
                          where, id->valuestring);
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->rules[i].id, id->valuestring) == 0)
            return bg_err_set(err, BG_ERULE, "%s: duplicate id \"%s\"", where,
                              id->valuestring);
    if (!cJSON_IsString(kind))
        return bg_err_set(err, BG_ERULE, "%s: missing \"kind\"", where);
    if ((rc = rule_kind(kind, &r, where, err)))
        return rc;
    if (!cJSON_IsString(pat))
        return bg_err_set(err, BG_ERULE, "%s: missing \"pattern\"", where);
    if (w && !cJSON_IsNumber(w))
        return bg_err_set(err, BG_ERULE, "%s: \"weight\" must be a number",
                          where);
    r.weight = w ? w->valuedouble : 1.0;
    r.max_chars = cJSON_IsNumber(mc) ? (long)mc->valuedouble : 0;
    if (scope && (!cJSON_IsString(scope) ||
                  (strcmp(scope->valuestring, "clause") != 0 &&
                   strcmp(scope->valuestring, "span") != 0 &&
                   strcmp(scope->valuestring, "sentence") != 0)))
        return bg_err_set(err, BG_ERULE,
                          "%s: \"scope\" is \"sentence\", \"clause\" or "
                          "\"span\"",
                          where);
    r.clause = scope && strcmp(scope->valuestring, "clause") == 0;
    r.span = scope && strcmp(scope->valuestring, "span") == 0;
    if (r.span && !(r.weight < 0))
        return bg_err_set(err, BG_ERULE,
                          "%s: scope \"span\" is for vetoes (a negative "
                          "\"weight\")",
                          where);
    if ((rc = props(x, cJSON_GetObjectItemCaseSensitive(o, "requires"), &r, 1,
                    where, err)) ||
        (rc = props(x, cJSON_GetObjectItemCaseSensitive(o, "forbids"), &r, 0,
                    where, err)))
        return rc;
    if ((rc = rule_on(o, &r, where, err)))
        return rc;
    if (r.cls == R_CONTEXT || r.cls == R_GENRE || r.cls == R_PART)
        r.sets = context_index(
            x, cJSON_GetObjectItemCaseSensitive(o, "sets")->valuestring);
    if ((rc = decides(o, &r, where, err)))
        return rc;
    if (r.cls == R_PART)
        x->decides[r.sets] |= r.decides;
    if (r.cls == R_MODE) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "value");
        if (!cJSON_IsString(v) ||
            (strcmp(v->valuestring, "pledge") != 0 &&
             strcmp(v->valuestring, "directive") != 0 &&
             strcmp(v->valuestring, "recommendation") != 0))
            return bg_err_set(err, BG_ERULE,
                              "%s: a mode rule needs \"value\": \"pledge\", "
                              "\"directive\" or \"recommendation\"",
                              where);
        if (!(r.value = strdup(v->valuestring)))
            goto oom;
    }
    if ((rc = compile(pat->valuestring, id->valuestring, 0, &r.re, where, err)))
        goto cleanup;
    if (bg_gate_analyse(pat->valuestring, &r.gate, &r.ngate) ||
        bg_gate_end(pat->valuestring, &r.end, &r.nend))
        goto oom;
    if (r.ngate && (rc = compile(pat->valuestring, id->valuestring,
                                 PCRE2_ANCHORED, &r.anchored, where, err)))
        goto cleanup;
    if (r.cls == R_PHRASE || r.cls == R_ACTOR || r.cls == R_HORIZON) {
        const char *g = r.cls == R_PHRASE ? "phrase" : "value";
        int n = pcre2_substring_number_from_name(r.re, (PCRE2_SPTR)g);
        if (n < 0 && r.cls == R_PHRASE) {
            rc = bg_err_set(err, BG_ERULE,
                            "%s: rule \"%s\": a phrase rule needs a group "
                            "(?<phrase>...)",
                            where, id->valuestring);
            goto cleanup;
        }
        r.group = n < 0 ? 0 : n;
    }
    if (!(r.id = strdup(id->valuestring)))
        goto oom;
    if (BG_RESERVE(x->rules, x->cap, x->n + 1))
        goto oom;
    x->rules[x->n++] = r;
    return 0;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", where);
cleanup:
    free(r.id);
    free(r.value);
    free(r.gate);
    free(r.end);
    pcre2_code_free(r.re);
    pcre2_code_free(r.anchored);
    return rc;
}

/* Reads the rule lines of a file (blank lines and // comments skipped),
 * each parsed as one JSON object with its place "path:line". */
static int read_lines(const char *path, lines *out, bg_err *err)
{
    bg_lines r;
    char *line;
    size_t n;
    int rc = bg_lines_open(&r, path, err);
    while (rc == 0 && bg_lines_next(&r, &line, &n)) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (!*line || strncmp(line, "//", 2) == 0)
            continue;
        bg_buf where = {0};
        if (bg_buf_printf(&where, "%s:%zu", path, r.lineno)) {
            rc = bg_err_set(err, BG_ENOMEM, "rules: out of memory");
            break;
        }
        cJSON *o = cJSON_Parse(line);
        if (!o || !cJSON_IsObject(o)) {
            rc = bg_err_set(err, BG_ERULE, "%s: not a JSON object", where.data);
            cJSON_Delete(o);
            bg_buf_free(&where);
            break;
        }
        if (BG_RESERVE(out->v, out->cap, out->n + 1)) {
            rc = bg_err_set(err, BG_ENOMEM, "rules: out of memory");
            cJSON_Delete(o);
            bg_buf_free(&where);
            break;
        }
        out->v[out->n++] = (line_rec){o, where.data};
    }
    bg_lines_close(&r);
    return rc;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int open_rules(bg_extractor **out, const char *dir, int with_model,
                      bg_err *err)
{
    int rc = 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    lines ls = {0};
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
        if (BG_RESERVE(names, cap, n + 1) || !(names[n] = strdup(de->d_name)))
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
    x->rules_hash = BG_HASH_INIT;
    x->genre = -1;
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        bg_buf path = {0};
        if (bg_buf_printf(&path, "%s/%s", dir, names[i])) {
            rc = bg_err_set(err, BG_ENOMEM, "rules: out of memory");
            break;
        }
        rc = read_lines(path.data, &ls, err);
        if (rc == 0) { /* the rule set's identity, for its model */
            char *bytes;
            size_t blen;
            if ((rc = bg_read_file(path.data, &bytes, &blen, err)) == 0) {
                x->rules_hash = bg_hash(bytes, blen, x->rules_hash);
                free(bytes);
            }
        }
        bg_buf_free(&path);
    }
    for (size_t i = 0; i < ls.n && rc == 0; i++)
        rc = declare_context(x, ls.v[i].o, ls.v[i].where, err);
    for (size_t i = 0; i < ls.n && rc == 0; i++)
        rc = add_rule(x, ls.v[i].o, ls.v[i].where, err);
    if (rc)
        goto cleanup;
    x->md = pcre2_match_data_create(16, NULL);
    x->mctx = pcre2_match_context_create(NULL);
    if (!x->md || !x->mctx || bg_gate_index(x)) {
        rc = bg_err_set(err, BG_ENOMEM, "rules: out of memory");
        goto cleanup;
    }
    /* bounds backtracking: no rule may hang a run on odd input */
    pcre2_set_match_limit(x->mctx, 1000000);
    for (int k = 0; k < BG_NKINDS; k++)
        snprintf(x->model_rule[k], sizeof x->model_rule[k], "model.%s",
                 bg_kind_name((bg_kind)k));
    /* the learned layer of this rule set, when it has one */
    if (with_model) {
        bg_buf mp = {0};
        if (bg_buf_printf(&mp, "%s/model.txt", dir)) {
            rc = bg_err_set(err, BG_ENOMEM, "rules: out of memory");
            goto cleanup;
        }
        rc = bg_model_load(mp.data, x->rules_hash, &x->model, err);
        bg_buf_free(&mp);
        if (rc == BG_ENOTFOUND)
            rc = 0;
        if (rc == 0 && x->model &&
            !(x->model_mark =
                  calloc(bg_model_size(x->model) + 1, sizeof *x->model_mark)))
            rc = bg_err_set(err, BG_ENOMEM, "rules: out of memory");
        if (rc)
            goto cleanup;
    }
    *out = x;
    x = NULL;
cleanup:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    lines_free(&ls);
    bg_extract_close(x);
    return rc;
}

int bg_extract_open(bg_extractor **out, const char *dir, bg_err *err)
{
    return open_rules(out, dir, 1, err);
}

int bg_extract_open_rules(bg_extractor **out, const char *dir, bg_err *err)
{
    return open_rules(out, dir, 0, err);
}

int bg_extract_taxonomy(bg_extractor *x, const char *path, bg_err *err)
{
    lines ls = {0};
    int rc;
    free_cats(x);
    if ((rc = read_lines(path, &ls, err)))
        goto cleanup;
    if (ls.n && !(x->cats = calloc(ls.n, sizeof *x->cats))) {
        rc = bg_err_set(err, BG_ENOMEM, "taxonomy: out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < ls.n; i++) {
        const cJSON *c =
            cJSON_GetObjectItemCaseSensitive(ls.v[i].o, "category");
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(ls.v[i].o, "pattern");
        if (!cJSON_IsString(c) || !*c->valuestring || !cJSON_IsString(p)) {
            rc = bg_err_set(err, BG_ERULE,
                            "%s: needs \"category\" and \"pattern\" strings",
                            ls.v[i].where);
            goto cleanup;
        }
        category *k = &x->cats[x->ncats];
        if ((rc = compile(p->valuestring, c->valuestring, 0, &k->re,
                          ls.v[i].where, err)))
            goto cleanup;
        if (!(k->name = strdup(c->valuestring))) {
            pcre2_code_free(k->re);
            rc = bg_err_set(err, BG_ENOMEM, "taxonomy: out of memory");
            goto cleanup;
        }
        x->ncats++;
    }
cleanup:
    if (rc)
        free_cats(x);
    lines_free(&ls);
    return rc;
}

int bg_extract_load(bg_extractor **out, const char *rules_dir, bg_buf *notes,
                    bg_err *err)
{
    bg_buf path = {0};
    struct stat st;
    int rc;
    *out = NULL;
    if (!rules_dir) {
        if (bg_buf_printf(&path, "%s/rules", bg_dict_dir()))
            return bg_err_set(err, BG_ENOMEM, "rules: out of memory");
        rules_dir = path.data;
    }
    rc = bg_extract_open(out, rules_dir, err);
    /* never silently without a kind (issue 13): a rule set lacking its
     * theme.jsonl found no themes, and said nothing */
    for (int k = 0; rc == 0 && notes && k < BG_NKINDS; k++)
        if (!bg_extract_nlabel_rules(*out, (bg_kind)k) &&
            bg_buf_printf(notes,
                          "%s: no %s rules (%s.jsonl missing?): no sentence "
                          "will be labelled %s\n",
                          rules_dir, bg_kind_name((bg_kind)k),
                          bg_kind_name((bg_kind)k), bg_kind_name((bg_kind)k)))
            rc = bg_err_set(err, BG_ENOMEM, "rules: out of memory");
    path.len = 0;
    if (rc == 0 && bg_buf_printf(&path, "%s/taxonomy.jsonl", bg_dict_dir()))
        rc = bg_err_set(err, BG_ENOMEM, "rules: out of memory");
    if (rc == 0 && stat(path.data, &st) == 0)
        rc = bg_extract_taxonomy(*out, path.data, err);
    else if (rc == 0 && notes &&
             bg_buf_printf(notes, "%s is missing: problems get no category\n",
                           path.data))
        rc = bg_err_set(err, BG_ENOMEM, "rules: out of memory");
    bg_buf_free(&path);
    if (rc) {
        bg_extract_close(*out);
        *out = NULL;
    }
    return rc;
}
