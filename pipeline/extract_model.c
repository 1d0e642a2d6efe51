/*
 * extract_model.c - the learned layer: the features of a sentence and a
 * per-kind logistic regression model over them (trained by
 * extract_train.c with liblinear).
 *
 * Features are strings whose first byte names their family (R rules, S
 * structure, T text; extract_int.h lists what each holds); a model is the
 * vocabulary its training saw, with a weight per kind for each string.
 *
 * Model file (text, UTF-8, one record a line, written by `baogao train`):
 *
 *   baogao-extract-model 1
 *   rules HASH            FNV-1a 64 of the rule files it was trained with
 *                         (16 hex digits); another rule set refuses it
 *   families LIST         rules,struct,text (those it uses)
 *   bias B_THEME B_PROBLEM B_COMMITMENT
 *   threshold T_THEME T_PROBLEM T_COMMITMENT   (on the probability)
 *   force F_THEME F_PROBLEM F_COMMITMENT       (a rule score that labels
 *                         whatever the probability; 1e9: none)
 *   features N
 *   KEY<TAB>W_THEME<TAB>W_PROBLEM<TAB>W_COMMITMENT     (N lines)
 *
 * A key holds no TAB, line end or other control character. Lines starting
 * with # are comments. The probability of kind k is 1 / (1 + exp(-(sum of
 * the weights of the sentence's distinct features + bias))), the logistic
 * model liblinear's L2-regularised logistic regression fits (Fan et al.
 * 2008, JMLR 9, section 2; liblinear's predict_probability).
 *
 * At load the keys go into a string table (util.h bg_strmap) over the
 * file's text, kept while the model lives; a key given twice is refused.
 * The character bigrams' keys also go into a table by their two code
 * points, through which the scorer looks them up without making their
 * keys (about one bigram per character of the corpus).
 *
 * Threading: a loaded model is read-only and shared; load and release
 * are thread-safe.
 */
#define _GNU_SOURCE /* memmem (glibc, musl, the BSDs) */
#include "extract_int.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- features ------------------------------------------------------------ */

#define KEYMAX 96

/* Where features go: fn gets each key; bigram, when not NULL, gets the
 * character bigrams as their two code points instead (the scorer's fast
 * path: the same features in the same order, looked up without making
 * their keys). */
typedef void (*bigram_fn)(uint32_t c1, uint32_t c2, void *arg);
typedef struct emitter {
    bg_feature_fn fn;
    bigram_fn bigram;
    void *arg;
} emitter;

static void emit(const emitter *e, const char *key, size_t len)
{
    e->fn(key, len, e->arg);
}

/* Emits prefix a, or prefix a ":" b when b is not NULL. */
static void emit_name(const emitter *e, const char *prefix, const char *a,
                      const char *b)
{
    char k[KEYMAX];
    size_t n = 0, l;
    const char *parts[4] = {prefix, a, b ? ":" : NULL, b};
    for (int i = 0; i < 4; i++) {
        if (!parts[i])
            continue;
        l = strlen(parts[i]);
        if (n + l > sizeof k)
            l = sizeof k - n;
        memcpy(k + n, parts[i], l);
        n += l;
    }
    emit(e, k, n);
}

/* Score bins: none, below the rule threshold, one cue's worth, more. */
static char score_bin(double s)
{
    return s <= 0 ? '0' : s < 1.0 ? '1' : s < 2.0 ? '2' : '3';
}

/* Share bins: none, under a third, under two thirds, more. */
static char share_bin(size_t k, size_t n)
{
    if (n == 0)
        return '-';
    return k == 0 ? '0' : 3 * k < n ? '1' : 3 * k < 2 * n ? '2' : '3';
}

static const char KCH[BG_NKINDS] = {'t', 'p', 'c'};

/* The class of the last mark of analysis range [a, b). */
static char end_class(const char *s, size_t a, size_t b)
{
    while (b > a) { /* closing quotes and brackets do not count */
        if (s[b - 1] == ')' || s[b - 1] == '"' || s[b - 1] == ']') {
            b--;
            continue;
        }
        if (b - a >= 3 && (memcmp(s + b - 3, "”", 3) == 0 ||
                           memcmp(s + b - 3, "》", 3) == 0 ||
                           memcmp(s + b - 3, "」", 3) == 0)) {
            b -= 3;
            continue;
        }
        break;
    }
    if (b == a)
        return '-';
    if (b - a >= 3 && memcmp(s + b - 3, "。", 3) == 0)
        return 'o';
    switch (s[b - 1]) {
    case ';':
        return ';';
    case ':':
        return ':';
    case '?':
        return '?';
    case '!':
        return '!';
    case ',':
        return ',';
    case '.':
        return '.';
    default:
        return 'w'; /* a word: no mark */
    }
}

static const char *len_bin(size_t chars)
{
    return chars <= 8     ? "8"
           : chars <= 16  ? "16"
           : chars <= 32  ? "32"
           : chars <= 64  ? "64"
           : chars <= 128 ? "128"
                          : "more";
}

/* One code point of the text features: its bytes, digits folded to 0;
 * 0 for white space and control characters, which no feature spans.
 * *cp is the code point (folded), or 0 when its bytes are cut short by b
 * (only its bytes stand for it then). */
static size_t gram_char(const char *s, size_t i, size_t b, char *out,
                        size_t *next, uint32_t *cp)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *next = i + 1;
        if (c <= 0x20 || c == 0x7F)
            return 0;
        out[0] = c >= '0' && c <= '9' ? '0' : (char)c;
        *cp = (unsigned char)out[0];
        return 1;
    }
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    *cp = 0;
    if (i + n > b)
        n = b - i;
    else
        *cp = bg_utf8_next(s, i, next);
    *next = i + n;
    if (n == 3 && memcmp(s + i, "\xE3\x80\x80", 3) == 0) /* U+3000 */
        return 0;
    memcpy(out, s + i, n);
    return n;
}

/* Appends the decimal digits of v to k[n, ...) (room for 20 bytes);
 * returns the new length. */
static size_t put_uint(char *k, size_t n, size_t v)
{
    char d[20];
    size_t m = 0;
    do {
        d[m++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (m)
        k[n++] = d[--m];
    return n;
}

#define MAXGRAM 3 /* anchored grams: the first three characters */

static void text_features(const emitter *e, const bg_extractor *x,
                          const bg_sentence *s)
{
    const char *t = x->t->analysis;
    /* character bigrams: the code point before and this one */
    char bi[2 + 8];
    size_t prev = 0;
    uint32_t pc = 0, c;
    bi[0] = 'T';
    bi[1] = '#';
    for (size_t i = s->a_start; i < s->a_end;) {
        size_t next, n = gram_char(t, i, s->a_end, bi + 2 + prev, &next, &c);
        i = next;
        if (n == 0) { /* no bigram spans white space */
            prev = 0;
            continue;
        }
        if (prev) {
            if (e->bigram && pc && c)
                e->bigram(pc, c, e->arg);
            else
                emit(e, bi, 2 + prev + n);
        }
        memmove(bi + 2, bi + 2 + prev, n);
        prev = n;
        pc = c;
    }
    /* the first one to three characters after the enumerator, and the last
     * one or two before the final mark */
    char k[2 + 4 * MAXGRAM];
    size_t len = 2, i = s->marker_end;
    k[0] = 'T';
    k[1] = '^';
    for (int g = 0; g < MAXGRAM && i < s->a_end; g++) {
        uint32_t c0;
        size_t next, n = gram_char(t, i, s->a_end, k + len, &next, &c0);
        i = next;
        if (n == 0)
            break;
        len += n;
        emit(e, k, len);
    }
    size_t b = s->a_end, a = s->a_start;
    while (b > a && (t[b - 1] == ';' || t[b - 1] == ',' || t[b - 1] == ':' ||
                     t[b - 1] == '!' || t[b - 1] == '?' || t[b - 1] == '.' ||
                     t[b - 1] == ')' || t[b - 1] == '"' || t[b - 1] == ' '))
        b--;
    while (b - a >= 3 &&
           (memcmp(t + b - 3, "。", 3) == 0 || memcmp(t + b - 3, "”", 3) == 0))
        b -= 3;
    size_t c1 = b > a ? bg_utf8_back(t, b, 1) : b;
    size_t c2 = c1 > a ? bg_utf8_back(t, c1, 1) : c1;
    if (c1 < b && b - c1 <= 4) {
        k[1] = '$';
        memcpy(k + 2, t + c1, b - c1);
        emit(e, k, 2 + (b - c1));
        if (c2 < c1) {
            memcpy(k + 2, t + c2, b - c2);
            emit(e, k, 2 + (b - c2));
        }
    }
}

/* Whether analysis range [a, b) of t holds one of the NULL-terminated
 * words w (memmem: libc's substring search, not a compare at every
 * byte). */
static int holds_any(const char *t, size_t a, size_t b, const char *const *w)
{
    for (; b > a && *w; w++)
        if (memmem(t + a, b - a, *w, strlen(*w)))
            return 1;
    return 0;
}

/* Tense and modality, the cue families a commitment and a narrated past
 * share across genres (the bigrams around them are many and sparse):
 * whether the sentence and its first clause hold a marker of what will or
 * must be done (GUIDELINES.md's typical commitment cues and their near
 * synonyms: 将 会 要 拟 计划 力争 确保 争取 坚持 继续 下一步 今后 务必 必须
 * 应当, 应该, 须, 一定, 目标, the coming year) and one of what was done
 * (the aspect particles 了 过, the adverbs 已 曾, 取得, and past time:
 * 去年, 上年, 日前, 近日, 此前, 以来). Keys Tm and TM (first clause: to the
 * first comma, colon, semicolon or full stop after the enumerator), then f
 * or -, then p or -. */
static void tense_features(const emitter *e, const char *t,
                           const bg_sentence *s)
{
    static const char *const will[] = {
        "将",   "会",   "要",   "拟",   "计划", "力争", "确保",   "争取",
        "坚持", "继续", "今后", "务必", "必须", "应当", "下一步", "应该",
        "须",   "一定", "目标", "明年", "今年", NULL};
    static const char *const done[] = {"了",   "过",   "已",   "曾",
                                       "取得", "去年", "上年", "日前",
                                       "近日", "此前", "以来", NULL};
    char k[4] = {'T', 'm', '-', '-'};
    k[2] = holds_any(t, s->a_start, s->a_end, will) ? 'f' : '-';
    k[3] = holds_any(t, s->a_start, s->a_end, done) ? 'p' : '-';
    emit(e, k, 4);
    size_t c = s->marker_end;
    while (c < s->a_end && t[c] != ',' && t[c] != ':' && t[c] != ';' &&
           !(c + 3 <= s->a_end && memcmp(t + c, "。", 3) == 0))
        c++;
    k[1] = 'M';
    k[2] = holds_any(t, s->marker_end, c, will) ? 'f' : '-';
    k[3] = holds_any(t, s->marker_end, c, done) ? 'p' : '-';
    emit(e, k, 4);
}

static const char *name_or_dash(const bg_extractor *x, int i)
{
    return i >= 0 ? x->contexts[i] : "-";
}

static void features(const bg_extractor *x, size_t i, unsigned families,
                     const emitter *ep)
{
    const emitter e = *ep;
    const bg_sentence *s = &x->sv[i];
    const sent_score *o = &x->ss[i];
    const char *t = x->t->analysis;
    if (families & BG_F_RULES) {
        /* each rule that fired, once */
        for (size_t c = o->raw0; c < o->raw0 + o->nraw; c++) {
            size_t r = x->raw[c].rule, d;
            for (d = o->raw0; d < c && x->raw[d].rule != r; d++)
                ;
            if (d == c)
                emit_name(&e, "Rr:", x->rules[r].id, NULL);
        }
        /* whether a cue and whether a veto of each kind fired: what the
         * rules say, in terms that carry over to rules a genre has alone */
        char k[8];
        unsigned cue = 0, veto = 0;
        for (size_t c = o->raw0; c < o->raw0 + o->nraw; c++)
            if (x->rules[x->raw[c].rule].weight < 0)
                veto |= 1u << x->raw[c].kind;
            else
                cue |= 1u << x->raw[c].kind;
        for (int q = 0; q < BG_NKINDS; q++) {
            k[0] = 'R';
            k[1] = 'f';
            k[2] = KCH[q];
            k[3] = (cue >> q & 1) ? ((veto >> q & 1) ? 'b' : 'c')
                                  : ((veto >> q & 1) ? 'v' : '-');
            emit(&e, k, 4);
        }
        for (int q = 0; q < BG_NKINDS; q++) {
            k[0] = 'R';
            k[1] = 's';
            k[2] = KCH[q];
            k[3] = score_bin(o->score[q]);
            emit(&e, k, 4);
            k[1] = 'p'; /* the sentence before, after */
            k[3] = i > 0 ? score_bin(x->ss[i - 1].score[q]) : '-';
            emit(&e, k, 4);
            k[1] = 'n';
            k[3] = i + 1 < x->ns ? score_bin(x->ss[i + 1].score[q]) : '-';
            emit(&e, k, 4);
        }
        /* the share of the other sentences of the section and of the
         * line that the rules give each kind */
        for (int q = 0; q < BG_NKINDS; q++) {
            k[0] = 'R';
            k[1] = 'S';
            k[2] = KCH[q];
            k[3] = share_bin(o->sec_hits[q], o->sec_others);
            emit(&e, k, 4);
            k[1] = 'L';
            k[3] = share_bin(o->line_hits[q], o->line_others);
            emit(&e, k, 4);
        }
    }
    if (families & BG_F_STRUCT) {
        char k[40];
        size_t n;
        k[0] = 'S';
        k[1] = 'o';
        if (s->outline < 0) /* (levels are 0 to 6) */
            n = (size_t)snprintf(k, sizeof k, "So%d", s->outline);
        else
            n = put_uint(k, 2, (size_t)s->outline);
        emit(&e, k, n);
        if (s->title)
            emit(&e, "St", 2);
        if (x->heading[i])
            emit(&e, "Sh", 2);
        if (s->line_start && s->line_end)
            emit(&e, "Sl", 2);
        else if (s->line_start)
            emit(&e, "Sls", 3);
        else if (s->line_end)
            emit(&e, "Sle", 3);
        if (s->terminated)
            emit(&e, "Se", 2);
        if (s->repeat)
            emit(&e, "Srp", 3);
        /* the section's context and the part, not the genre: a genre's
         * features (alone or with the context, part or outline level) only
         * learned the base rates of the genres trained on, which a genre
         * left out does not share (model alone, leave-one-genre-out,
         * gwr/commitment 0.672 with them, 0.743 without: README) */
        emit_name(&e, "Sc:", name_or_dash(x, x->sctx[i]), NULL);
        emit_name(&e, "Sp:", name_or_dash(x, x->part[i]), NULL);
        emit_name(&e, "Sn:", len_bin(bg_extract_chars(t, s->a_start, s->a_end)),
                  NULL);
        /* position: the first sentences, then fifths of the document */
        k[0] = 'S';
        k[1] = i < 3 ? 'q' : 'f';
        n = put_uint(k, 2, i < 3 ? i : x->ns ? 5 * i / x->ns : 0);
        emit(&e, k, n);
        k[0] = 'S';
        k[1] = 'm';
        k[2] = end_class(t, s->a_start, s->a_end);
        emit(&e, k, 3);
        k[1] = 'M'; /* the sentence before */
        k[2] = i > 0 ? end_class(t, x->sv[i - 1].a_start, x->sv[i - 1].a_end)
                     : '^';
        emit(&e, k, 3);
        if (i > 0 && x->heading[i - 1])
            emit(&e, "SH", 2);
        if (i > 0 && x->sv[i - 1].outline)
            emit_name(&e, "SO", x->sv[i - 1].outline == s->outline ? "=" : "x",
                      NULL);
    }
    if (families & BG_F_TEXT) {
        text_features(&e, x, s);
        tense_features(&e, t, s);
    }
}

void bg_model_features(const bg_extractor *x, size_t i, unsigned families,
                       bg_feature_fn fn, void *arg)
{
    const emitter e = {fn, NULL, arg};
    features(x, i, families, &e);
}

/* ---- the model ----------------------------------------------------------- */

#define FILTER_BITS (1u << 17)

struct bg_model {
    char *path;
    int refs;
    struct bg_model *next;
    uint64_t rules_hash;
    unsigned families;
    double bias[BG_NKINDS], threshold[BG_NKINDS], force[BG_NKINDS];
    char *text;    /* the file's text: the keys point into it */
    bg_strmap ids; /* key -> index into w */
    /* a one-hash filter over the keys: bit (bg_hash(key) mod FILTER_BITS)
     * set for every key, so that most keys outside the vocabulary (most of
     * a sentence's n-grams) are turned away without a table probe */
    unsigned char filter[FILTER_BITS / 8];
    double (*w)[BG_NKINDS];
    size_t n;
    /* the character bigrams of the vocabulary (keys T#<c1><c2>) by their
     * code points: open addressing, linear probing, at most half full;
     * a slot is (c1 << 21 | c2) << 22 | index, 0 when empty (c1 is never
     * 0). Built when the vocabulary has fewer than 1 << 22 keys, else
     * bigram_cap is 0 and bigrams are looked up by their keys. */
    uint64_t *bigram;
    size_t bigram_cap, nbigram;
};

#define BIGRAM_INDEX_BITS 22

static size_t bigram_slot(const bg_model *m, uint64_t key)
{
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (m->bigram_cap - 1);
}

/* The index of the bigram c1 c2 in m's vocabulary, or BG_STRMAP_ABSENT. */
static size_t bigram_get(const bg_model *m, uint32_t c1, uint32_t c2)
{
    uint64_t key = (uint64_t)c1 << 21 | c2;
    for (size_t i = bigram_slot(m, key);; i = (i + 1) & (m->bigram_cap - 1)) {
        uint64_t v = m->bigram[i];
        if (!v)
            return BG_STRMAP_ABSENT;
        if (v >> BIGRAM_INDEX_BITS == key)
            return (size_t)(v & ((1u << BIGRAM_INDEX_BITS) - 1));
    }
}

/* Notes feature key[0, len) of index at in the bigram table when it is a
 * bigram key: T# and two code points, each as UTF-8 writes it. The table
 * is sized for every key of the file (want of them). 0 or BG_ENOMEM. */
static int bigram_note(bg_model *m, const char *key, size_t len, size_t at,
                       size_t want)
{
    if (want >= (size_t)1 << BIGRAM_INDEX_BITS || len < 4 || key[0] != 'T' ||
        key[1] != '#' || bg_utf8_valid_prefix(key + 2, len - 2) != len - 2)
        return 0;
    uint32_t c[2];
    char enc[8];
    size_t i = 2, k = 0;
    while (i < len && k < 2) {
        size_t next;
        c[k] = bg_utf8_next(key, i, &next);
        if (bg_utf8_put(c[k], enc) != next - i ||
            memcmp(enc, key + i, next - i) != 0 || c[k] == 0)
            return 0;
        i = next;
        k++;
    }
    if (k != 2 || i != len)
        return 0;
    if (!m->bigram) {
        size_t cap = 16;
        while (cap < 2 * want)
            cap *= 2;
        if (!(m->bigram = calloc(cap, sizeof *m->bigram)))
            return BG_ENOMEM;
        m->bigram_cap = cap;
    }
    uint64_t kk = (uint64_t)c[0] << 21 | c[1];
    size_t s = bigram_slot(m, kk);
    while (m->bigram[s])
        s = (s + 1) & (m->bigram_cap - 1);
    m->bigram[s] = kk << BIGRAM_INDEX_BITS | at;
    m->nbigram++;
    return 0;
}

static pthread_mutex_t models_lock = PTHREAD_MUTEX_INITIALIZER;
static struct bg_model *models;

static void model_free(bg_model *m)
{
    if (m) {
        free(m->path);
        free(m->text);
        bg_strmap_free(&m->ids);
        free(m->w);
        free(m->bigram);
        free(m);
    }
}

static unsigned parse_families(const char *s)
{
    unsigned f = 0;
    if (strstr(s, "rules"))
        f |= BG_F_RULES;
    if (strstr(s, "struct"))
        f |= BG_F_STRUCT;
    if (strstr(s, "text"))
        f |= BG_F_TEXT;
    return f;
}

/* Parses the model text m->text of path (cut into lines in place). */
static int parse(bg_model *m, const char *path, bg_err *err)
{
    size_t lineno = 0, want = (size_t)-1;
    int have_rules = 0, have_bias = 0, have_thr = 0, have_force = 0;
    char *line = m->text;
    while (*line) {
        char *eol = strchr(line, '\n');
        if (eol)
            *eol = '\0';
        char *next = eol ? eol + 1 : line + strlen(line);
        lineno++;
        if (*line == '#' || !*line) {
            line = next;
            continue;
        }
        if (lineno == 1) {
            if (strcmp(line, "baogao-extract-model 1") != 0)
                goto bad;
        } else if (want != (size_t)-1) { /* a feature line */
            char *tab = strchr(line, '\t');
            if (!tab || m->n == want)
                goto bad;
            *tab = '\0';
            if (bg_strmap_get(&m->ids, line, (size_t)(tab - line)) !=
                BG_STRMAP_ABSENT)
                return bg_err_set(err, BG_EDATA, "%s:%zu: feature given twice",
                                  path, lineno);
            char *p = tab + 1, *end;
            for (int k = 0; k < BG_NKINDS; k++) {
                m->w[m->n][k] = strtod(p, &end);
                if (end == p || (k + 1 < BG_NKINDS ? *end != '\t' : *end))
                    goto bad;
                p = end + 1;
            }
            if (bg_strmap_put(&m->ids, line, m->n) ||
                bigram_note(m, line, (size_t)(tab - line), m->n, want))
                return bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
            uint64_t h = bg_hash(line, (size_t)(tab - line), BG_HASH_INIT);
            m->filter[(h % FILTER_BITS) / 8] |= (unsigned char)(1u << (h % 8));
            m->n++;
        } else {
            char word[32];
            int off = 0;
            if (sscanf(line, "%31s %n", word, &off) != 1)
                goto bad;
            const char *rest = line + off;
            char *end;
            if (strcmp(word, "rules") == 0) {
                m->rules_hash = strtoull(rest, &end, 16);
                if (end == rest)
                    goto bad;
                have_rules = 1;
            } else if (strcmp(word, "families") == 0) {
                m->families = parse_families(rest);
            } else if (strcmp(word, "bias") == 0 ||
                       strcmp(word, "threshold") == 0 ||
                       strcmp(word, "force") == 0) {
                double *v = word[0] == 'b'   ? m->bias
                            : word[0] == 't' ? m->threshold
                                             : m->force;
                if (sscanf(rest, "%lf %lf %lf", &v[0], &v[1], &v[2]) != 3)
                    goto bad;
                *(word[0] == 'b'   ? &have_bias
                  : word[0] == 't' ? &have_thr
                                   : &have_force) = 1;
            } else if (strcmp(word, "features") == 0) {
                want = strtoul(rest, &end, 10);
                if (end == rest || want > 10000000 || !have_rules ||
                    !have_bias || !have_thr || !have_force)
                    goto bad;
                if (!(m->w = malloc((want ? want : 1) * sizeof *m->w)))
                    return bg_err_set(err, BG_ENOMEM, "%s: out of memory",
                                      path);
            } else {
                goto bad;
            }
        }
        line = next;
    }
    if (want == (size_t)-1 || m->n != want)
        return bg_err_set(err, BG_EDATA,
                          "%s: %zu of %zu feature lines (truncated model?)",
                          path, m->n, want == (size_t)-1 ? 0 : want);
    return 0;
bad:
    return bg_err_set(err, BG_EDATA, "%s:%zu: not a model line", path, lineno);
}

int bg_model_load(const char *path, uint64_t rules_hash, bg_model **out,
                  bg_err *err)
{
    size_t len;
    int rc = 0;
    *out = NULL;
    pthread_mutex_lock(&models_lock);
    for (bg_model *m = models; m; m = m->next)
        if (strcmp(m->path, path) == 0 && m->rules_hash == rules_hash) {
            m->refs++;
            *out = m;
            pthread_mutex_unlock(&models_lock);
            return 0;
        }
    FILE *f = fopen(path, "rb");
    if (!f) {
        pthread_mutex_unlock(&models_lock);
        return BG_ENOTFOUND;
    }
    fclose(f);
    bg_model *m = calloc(1, sizeof *m);
    if (!m || !(m->path = strdup(path))) {
        free(m);
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    if ((rc = bg_read_file(path, &m->text, &len, err)) == 0)
        rc = parse(m, path, err);
    if (rc == 0 && m->rules_hash != rules_hash)
        rc = bg_err_set(err, BG_EDATA,
                        "%s: trained on another rule set (rules %016llx, the "
                        "rule files now %016llx): run `baogao train`, or "
                        "remove the model to use the rules alone",
                        path, (unsigned long long)m->rules_hash,
                        (unsigned long long)rules_hash);
    if (rc) {
        model_free(m);
        goto done;
    }
    m->refs = 1;
    m->next = models;
    models = m;
    *out = m;
done:
    pthread_mutex_unlock(&models_lock);
    return rc;
}

void bg_model_release(bg_model *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&models_lock);
    if (--m->refs == 0) {
        for (bg_model **p = &models; *p; p = &(*p)->next)
            if (*p == m) {
                *p = m->next;
                break;
            }
        model_free(m);
    }
    pthread_mutex_unlock(&models_lock);
}

double bg_model_threshold(const bg_model *m, bg_kind k)
{
    return m->threshold[k];
}

double bg_model_force(const bg_model *m, bg_kind k)
{
    return m->force[k];
}

unsigned bg_model_families(const bg_model *m)
{
    return m->families;
}

/* The sum of the weights of a sentence's distinct features (features are
 * binary): an entry counts once, the first time its key comes. */
typedef struct sums {
    const bg_model *m;
    uint32_t *mark, stamp; /* per entry: the stamp of the last sentence */
    double z[BG_NKINDS];
} sums;

static void add_weights(sums *h, size_t at)
{
    if (at == BG_STRMAP_ABSENT || h->mark[at] == h->stamp)
        return;
    h->mark[at] = h->stamp;
    for (int k = 0; k < BG_NKINDS; k++)
        h->z[k] += h->m->w[at][k];
}

static void hit(const char *key, size_t len, void *arg)
{
    sums *h = arg;
    uint64_t hk = bg_hash(key, len, BG_HASH_INIT);
    if (!(h->m->filter[(hk % FILTER_BITS) / 8] & (1u << (hk % 8))))
        return;
    add_weights(h, bg_strmap_get_hashed(&h->m->ids, key, len, hk));
}

static void hit_bigram(uint32_t c1, uint32_t c2, void *arg)
{
    sums *h = arg;
    add_weights(h, bigram_get(h->m, c1, c2));
}

size_t bg_model_size(const bg_model *m)
{
    return m->n;
}

void bg_model_score(const bg_model *m, const bg_extractor *x, size_t i,
                    uint32_t *mark, uint32_t stamp, double p[BG_NKINDS])
{
    sums h = {m, mark, stamp, {0}};
    for (int k = 0; k < BG_NKINDS; k++)
        h.z[k] = m->bias[k];
    /* with a bigram table, bigrams are looked up by their code points:
     * the same entries in the same order as by their keys */
    const emitter e = {hit, m->bigram_cap ? hit_bigram : NULL, &h};
    features(x, i, m->families, &e);
    for (int k = 0; k < BG_NKINDS; k++)
        p[k] = 1.0 / (1.0 + exp(-h.z[k]));
}
