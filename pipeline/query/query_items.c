/*
 * query_items.c - read-side queries of the extract stage (query.h,
 * "extraction"): outlines, and item exports with their details, document
 * metadata and explanations.
 *
 * Threading: as query.h. Offsets: byte offsets into source files.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A label's cues and its model score (schema 8 on: rules named by id,
 * the model's probability in the label), given the SQL expression of a
 * cue's text (BG_CUE_TEXT_SQL, or BG_CUE_TEXT_SQL_12 where cues keep
 * extraction_cue.back); ?1 is the label's extraction id. */
#define CUES_BY_RULE_ID_SQL(cue_text)                                          \
    "SELECT r.name, c.weight, c.context, " cue_text                            \
    ", dt.context, c.seq FROM extraction_cue c JOIN rule r ON "                \
    "r.id = c.rule_id JOIN extraction e ON e.id = "                            \
    "c.extraction_id JOIN sentence s ON s.id = e.sentence_id "                 \
    "LEFT JOIN extraction_detail dt ON dt.extraction_id = "                    \
    "c.extraction_id WHERE c.extraction_id = ?1 UNION ALL "                    \
    "SELECT 'model.' || "                                                      \
    "e.kind, e.model, 0, '', NULL, 0 FROM extraction e WHERE "                 \
    "e.id = ?1 AND e.model IS NOT NULL ORDER BY 3 DESC, 6"

/* The SQL of the rule name of label e: schema 8 stores its id (table
 * rule), older databases the name. */
static const char *rule_sql(bg_query *q)
{
    return bg_query_has_column(q, "extraction", "rule_id")
               ? "(SELECT name FROM rule WHERE id = e.rule_id)"
               : "e.rule";
}

int bg_query_outline(bg_query *q, int64_t doc, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {"depth:i",  "level:i",   "seq:i",
                                       "start:i",  "end:i",     "heading:s",
                                       "phrase:s", "context:s", "text:s"};
    sqlite3_stmt *st = NULL;
    int rc, stack[16], nstack = 0;
    char *prev = NULL;
    int64_t prev_seq = -2;
    bg_buf h = {0};
    if ((rc = bg_query_doc_exists(q, doc, err)))
        return rc;
    if ((rc = bg_query_rows_init(out, cols, 9)))
        return bg_query_oom(err);
    char kt[160];
    char *sql = sqlite3_mprintf(
        "SELECT s.outline, s.seq, s.start, s.end, e.phrase, dt.context, "
        "s.text, %s FROM extraction e JOIN sentence s ON s.id = "
        "e.sentence_id LEFT JOIN extraction_detail dt ON dt.extraction_id = "
        "e.id WHERE e.doc_id = ?1 AND %s ORDER BY s.seq",
        rule_sql(q), bg_query_kind_test(q, "e", "'theme'", kt, sizeof kt));
    if ((rc = bg_query_prepare_take(q, sql, &st, err)))
        goto cleanup;
    sqlite3_bind_int64(st, 1, doc);
    int first = 1, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int level = sqlite3_column_int(st, 0);
        int64_t seq = sqlite3_column_int64(st, 1);
        const char *phrase = (const char *)sqlite3_column_text(st, 4);
        const char *rule = (const char *)sqlite3_column_text(st, 7);
        int title = first && rule && strstr(rule, "title");
        first = 0;
        /* a heading given twice (with and without enumerator) */
        if (prev && phrase && seq == prev_seq + 1 && strcmp(prev, phrase) == 0)
            continue;
        free(prev);
        prev = phrase ? strdup(phrase) : NULL;
        prev_seq = seq;
        int depth = 0;
        if (!title) {
            /* unnumbered headings count as level 1 (extract.h) */
            int l = level ? level : 1;
            while (nstack > 0 && stack[nstack - 1] >= l)
                nstack--;
            if (nstack < 16)
                stack[nstack++] = l;
            depth = nstack;
        }
        bg_cell *row = bg_query_rows_add(out);
        if (!row)
            goto nomem;
        h.len = 0;
        for (int d = 1; d < depth; d++)
            if (bg_buf_puts(&h, "  "))
                goto nomem;
        if (bg_buf_puts(&h, phrase ? phrase : ""))
            goto nomem;
        bg_query_cell_int(&row[0], depth);
        bg_query_cell_int(&row[1], level);
        bg_query_cell_int(&row[2], seq);
        bg_query_cell_int(&row[3], sqlite3_column_int64(st, 2));
        bg_query_cell_int(&row[4], sqlite3_column_int64(st, 3));
        if (bg_query_cell_text(&row[5], h.data) ||
            bg_query_cell_from(&row[6], BG_COL_TEXT, st, 4) ||
            bg_query_cell_from(&row[7], BG_COL_TEXT, st, 5) ||
            bg_query_cell_from(&row[8], BG_COL_TEXT, st, 6))
            goto nomem;
    }
    rc = s == SQLITE_DONE ? 0 : bg_query_err(q, err, "outline");
    goto cleanup;
nomem:
    rc = bg_query_oom(err);
cleanup:
    sqlite3_finalize(st);
    free(prev);
    bg_buf_free(&h);
    return rc;
}

/* ---- items -------------------------------------------------------------- */

/* What explain checks a label's cues against: the number of cues stored
 * (the packed array's length, schema 14 on: extraction_detail.cues, which
 * the view extraction_cue reads, or extraction_cue's rows, schemas 8-13)
 * and, when the cues read back are fewer, the first one left out, the id
 * of the rule it names not being in the database: `SELECT valid, count`
 * and `SELECT cue number, rule id, table` for ?1, the label's id. A
 * damaged database (a cue_rule row deleted by hand, a cues value edited)
 * would otherwise lose cues from --explain in silence. */
typedef struct cue_check {
    sqlite3_stmt *count, *lost;
} cue_check;

#define CUES_PACKED_COUNT_SQL                                                  \
    "SELECT cues IS NULL OR json_valid(cues), CASE WHEN json_valid(cues) "     \
    "THEN "                                                                    \
    "json_array_length(cues) ELSE 0 END FROM extraction_detail WHERE "         \
    "extraction_id = ?1"
#define CUES_PACKED_LOST_SQL                                                   \
    "SELECT j.key + 1, json_extract(j.value, '$[0]'), 'cue_rule' FROM "        \
    "extraction_detail d, json_each(d.cues) j WHERE d.extraction_id = ?1 AND " \
    "NOT EXISTS (SELECT 1 FROM cue_rule k JOIN rule r ON r.id = k.rule_id "    \
    "WHERE k.id = json_extract(j.value, '$[0]')) ORDER BY j.key LIMIT 1"
#define CUES_TABLE_COUNT_SQL                                                   \
    "SELECT 1, COUNT(*) FROM extraction_cue WHERE extraction_id = ?1"
#define CUES_TABLE_LOST_SQL                                                    \
    "SELECT c.seq, c.rule_id, 'rule' FROM extraction_cue c WHERE "             \
    "c.extraction_id = ?1 AND NOT EXISTS (SELECT 1 FROM rule r WHERE r.id = "  \
    "c.rule_id) ORDER BY c.seq LIMIT 1"

/* Prepares k's statements for q's schema (none before schema 8, whose
 * cues name their rules by name). Returns 0 or an error code. */
static int cue_check_prepare(bg_query *q, cue_check *k, bg_err *err)
{
    int packed = bg_query_has_column(q, "extraction_detail", "cues");
    int rc;
    memset(k, 0, sizeof *k);
    if (!packed && !bg_query_has_column(q, "extraction", "rule_id"))
        return 0;
    if ((rc = bg_query_prepare(
             q, packed ? CUES_PACKED_COUNT_SQL : CUES_TABLE_COUNT_SQL,
             &k->count, err)))
        return rc;
    return bg_query_prepare(
        q, packed ? CUES_PACKED_LOST_SQL : CUES_TABLE_LOST_SQL, &k->lost, err);
}

static void cue_check_free(cue_check *k)
{
    sqlite3_finalize(k->count);
    sqlite3_finalize(k->lost);
}

/* Checks label id of document doc: got cues were read back (or the read
 * failed: failed 1, err holding SQLite's message). Returns 0 when the
 * cues are whole, else BG_EDATA with err naming the label, its document
 * and what is wrong (cues that are no JSON; the first cue whose rule is
 * missing and how many are unreadable), or BG_ESQLITE. */
static int cue_check_label(bg_query *q, cue_check *k, int64_t id, int64_t doc,
                           long long got, int failed, bg_err *err)
{
    int s, valid = 1;
    long long want = 0;
    if (!k->count)
        return failed ? BG_ESQLITE : 0;
    sqlite3_reset(k->count);
    sqlite3_bind_int64(k->count, 1, id);
    if ((s = sqlite3_step(k->count)) == SQLITE_ROW) {
        valid = sqlite3_column_int(k->count, 0);
        want = sqlite3_column_int64(k->count, 1);
    } else if (s != SQLITE_DONE)
        return failed ? BG_ESQLITE : bg_query_err(q, err, "explain");
    sqlite3_reset(k->count);
    if (!valid)
        return bg_err_set(err, BG_EDATA,
                          "%s: explain: label %lld of document %lld: its cues "
                          "(extraction_detail.cues) are not valid JSON (a "
                          "damaged database: baogao extract labels it again)",
                          q->path, (long long)id, (long long)doc);
    if (failed)
        return BG_ESQLITE;
    if (got >= want)
        return 0;
    char cue[32] = "?", rule[32] = "?", table[16] = "cue_rule";
    sqlite3_reset(k->lost);
    sqlite3_bind_int64(k->lost, 1, id);
    if ((s = sqlite3_step(k->lost)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(k->lost, 1);
        const char *t = (const char *)sqlite3_column_text(k->lost, 2);
        snprintf(cue, sizeof cue, "%lld", sqlite3_column_int64(k->lost, 0));
        snprintf(rule, sizeof rule, "%s", r ? r : "(none)");
        snprintf(table, sizeof table, "%s", t ? t : "rule");
    } else if (s != SQLITE_DONE)
        return bg_query_err(q, err, "explain");
    sqlite3_reset(k->lost);
    return bg_err_set(err, BG_EDATA,
                      "%s: explain: label %lld of document %lld: cue %s names "
                      "%s %s, which the database lacks (%lld of its %lld cues "
                      "unreadable; a damaged database: baogao extract labels "
                      "it again)",
                      q->path, (long long)id, (long long)doc, cue, table, rule,
                      want - got, want);
}

/* The explanation of extraction id (of document doc): its cues as one
 * line; every cue stored is read back, or an error names the label
 * (cue_check_label). */
static int explain(bg_query *q, sqlite3_stmt *st, cue_check *k, int64_t id,
                   int64_t doc, bg_buf *b, bg_err *err)
{
    int s;
    long long got = 0;
    b->len = 0;
    if (bg_buf_add(b, "", 0))
        return bg_query_oom(err);
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, id);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *rule = (const char *)sqlite3_column_text(st, 0);
        double w = sqlite3_column_double(st, 1);
        int ctx = sqlite3_column_int(st, 2);
        const char *text = (const char *)sqlite3_column_text(st, 3);
        const char *name = (const char *)sqlite3_column_text(st, 4);
        /* the learned layer's cue carries its probability (extract.h) */
        int model = rule && strncmp(rule, "model.", 6) == 0;
        got += !model;
        int rc =
            ctx ? bg_buf_printf(b, "%scontext %s (%s): %s", b->len ? "; " : "",
                                name ? name : "?", rule, text ? text : "")
            : model
                ? bg_buf_printf(b, "%s%s p=%.4f", b->len ? "; " : "", rule, w)
                : bg_buf_printf(b, "%s%s (%+g) 「%s」", b->len ? "; " : "",
                                rule, w, text ? text : "");
        if (rc)
            return bg_query_oom(err);
    }
    if (s == SQLITE_DONE)
        return cue_check_label(q, k, id, doc, got, 0, err);
    int rc = bg_query_err(q, err, "explain"); /* SQLite's message first */
    sqlite3_reset(st);
    return cue_check_label(q, k, id, doc, got, 1, err) == BG_EDATA ? BG_EDATA
                                                                   : rc;
}

/* The columns every item table opens with: file, doc, title and the
 * document metadata columns this database has (author, org, date, year).
 * Appends their names to cols (from *nc; the caller's array holds at least
 * 7 more) and the SELECT list to sql. Returns 0, or -1 when out of memory. */
static int item_head(bg_query *q, bg_buf *sql, const char **cols, size_t *nc)
{
    static const char *const meta[] = {"author", "org", "date", "year"};
    cols[(*nc)++] = "file:s";
    cols[(*nc)++] = "doc:i";
    cols[(*nc)++] = "title:s";
    if (bg_buf_puts(sql, "SELECT src.path, e.doc_id, d.title"))
        return -1;
    for (size_t m = 0; m < 4; m++)
        if (bg_query_has_column(q, "document", meta[m])) {
            cols[(*nc)++] = m == 3 ? "year:i" : meta[m];
            if (bg_buf_printf(sql, ", d.%s", meta[m]))
                return -1;
        }
    return 0;
}

int bg_query_items(bg_query *q, const char *kind, int64_t doc,
                   const char *where, int explain_on, bg_rows *out, bg_err *err)
{
    bg_facet f = {0};
    const char *cols[32];
    size_t nc = 0;
    bg_buf sql = {0}, ex = {0};
    char kt[160];
    sqlite3_stmt *st = NULL, *cues = NULL;
    cue_check check = {0};
    int rc = 0, is_theme = strcmp(kind, "theme") == 0,
        is_problem = strcmp(kind, "problem") == 0,
        is_commit = strcmp(kind, "commitment") == 0;
    if (!is_theme && !is_problem && !is_commit)
        return bg_err_id(err, BG_EINVAL, "arg.kind",
                         "kind \"%s\" is not theme, problem or commitment",
                         kind);
    if (doc && (rc = bg_query_doc_exists(q, doc, err)))
        return rc;
    if ((rc = bg_facet_parse(q, where, &f, err)))
        return rc;
    if (item_head(q, &sql, cols, &nc))
        goto nomem;
    static const char *const common[] = {"start:i", "end:i", "kind:s", "rule:s",
                                         "score:r"};
    for (size_t i = 0; i < 5; i++)
        cols[nc++] = common[i];
    if (bg_buf_printf(&sql, ", s.start, s.end, e.kind, %s, e.score",
                      rule_sql(q)))
        goto nomem;
    if (is_theme) {
        cols[nc++] = "phrase:s";
        rc = bg_buf_puts(&sql, ", e.phrase");
    } else if (is_problem) {
        cols[nc++] = "clause_start:i";
        cols[nc++] = "clause_end:i";
        cols[nc++] = "clause:s";
        cols[nc++] = "category:s";
        rc = bg_buf_puts(&sql, ", dt.clause_start, dt.clause_end, "
                               "" BG_DETAIL_CLAUSE_SQL ", dt.category");
    } else {
        cols[nc++] = "clause:s";
        cols[nc++] = "actor:s";
        cols[nc++] = "horizon:s";
        cols[nc++] = "mode:s";
        rc = bg_buf_puts(&sql, ", " BG_DETAIL_CLAUSE_SQL
                               ", dt.actor, dt.horizon, dt.mode");
    }
    cols[nc++] = "context:s";
    cols[nc++] = "text:s";
    if (rc ||
        bg_buf_puts(&sql,
                    ", dt.context, s.text, e.id FROM extraction e JOIN "
                    "sentence s ON s.id = e.sentence_id JOIN document d ON "
                    "d.id = e.doc_id JOIN source src ON src.id = d.source_id "
                    "LEFT JOIN extraction_detail dt ON dt.extraction_id = e.id "
                    "WHERE ") ||
        bg_buf_puts(&sql, bg_query_kind_test(q, "e", "?1", kt, sizeof kt)) ||
        bg_buf_puts(&sql, " AND (?2 = 0 OR e.doc_id = ?2)") ||
        bg_buf_printf(&sql, " AND (%s)", f.cond) ||
        bg_buf_puts(&sql, bg_facet_kind_sql(&f, 3)) ||
        bg_buf_puts(&sql, " ORDER BY e.doc_id, s.seq"))
        goto nomem;
    if (explain_on)
        cols[nc++] = "explain:s";
    if (bg_query_rows_init(out, cols, nc))
        goto nomem;
    if ((rc = bg_query_prepare(q, sql.data, &st, err)))
        goto cleanup;
    /* a label's cues in the order they were stored: seq (schema 7), the
     * rowid before; schema 8 names rules by id and keeps the model's
     * probability in the label (it comes after the context cue, before
     * the rules', as it was stored before) */
    if (explain_on &&
        (rc = bg_query_prepare(
             q,
             bg_query_has_column(q, "extraction_cue", "back")
                 ? CUES_BY_RULE_ID_SQL(BG_CUE_TEXT_SQL_12)
             : bg_query_has_column(q, "extraction", "rule_id")
                 ? CUES_BY_RULE_ID_SQL(BG_CUE_TEXT_SQL)
             : bg_query_has_column(q, "extraction_cue", "seq")
                 ? "SELECT c.rule, c.weight, c.context, c.text, "
                   "dt.context FROM extraction_cue c LEFT JOIN "
                   "extraction_detail dt ON dt.extraction_id = "
                   "c.extraction_id WHERE c.extraction_id = ?1 ORDER BY "
                   "c.context DESC, c.seq"
                 : "SELECT c.rule, c.weight, c.context, c.text, "
                   "dt.context FROM extraction_cue c LEFT JOIN "
                   "extraction_detail dt ON dt.extraction_id = "
                   "c.extraction_id WHERE c.extraction_id = ?1 ORDER BY "
                   "c.context DESC, c.rowid",
             &cues, err)))
        goto cleanup;
    if (explain_on && (rc = cue_check_prepare(q, &check, err)))
        goto cleanup;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, doc);
    if (f.kind)
        sqlite3_bind_text(st, 3, f.kind, -1, SQLITE_STATIC);
    size_t ndata = explain_on ? nc - 1 : nc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        bg_cell *row = bg_query_rows_add(out);
        if (!row)
            goto nomem;
        for (size_t i = 0; i < ndata; i++)
            if (bg_query_cell_from(&row[i], out->types[i], st, (int)i))
                goto nomem;
        if (explain_on) {
            if ((rc = explain(q, cues, &check,
                              sqlite3_column_int64(st, (int)ndata),
                              sqlite3_column_int64(st, 1), &ex, err)))
                goto cleanup;
            if (bg_query_cell_text(&row[nc - 1], ex.data))
                goto nomem;
        }
    }
    rc = s == SQLITE_DONE ? 0 : bg_query_err(q, err, "items");
    goto cleanup;
nomem:
    rc = bg_query_oom(err);
cleanup:
    sqlite3_finalize(st);
    sqlite3_finalize(cues);
    cue_check_free(&check);
    bg_buf_free(&sql);
    bg_buf_free(&ex);
    bg_facet_free(&f);
    return rc;
}

int bg_query_clauses(bg_query *q, int64_t doc, const char *where, bg_rows *out,
                     bg_err *err)
{
    bg_facet f = {0};
    const char *cols[16];
    size_t nc = 0;
    bg_buf sql = {0};
    char kt[160];
    sqlite3_stmt *st = NULL;
    int rc;
    if (!bg_query_has_column(q, "extraction_clause", "generic"))
        return bg_err_id(err, BG_EINVAL, "items.no-clauses",
                         "this database has no problem clauses yet (table "
                         "extraction_clause): run baogao extract");
    if (doc && (rc = bg_query_doc_exists(q, doc, err)))
        return rc;
    if ((rc = bg_facet_parse(q, where, &f, err)))
        return rc;
    if (item_head(q, &sql, cols, &nc))
        goto nomem;
    static const char *const rest[] = {
        "sentence_start:i", "seq:i",     "start:i",  "end:i",
        "category:s",       "generic:i", "clause:s", "text:s"};
    for (size_t i = 0; i < 8; i++)
        cols[nc++] = rest[i];
    if (bg_buf_puts(&sql,
                    ", s.start, c.seq, c.start, c.end, c.category, c.generic, "
                    "c.clause, s.text FROM extraction e JOIN extraction_clause "
                    "c ON c.extraction_id = e.id JOIN sentence s ON s.id = "
                    "e.sentence_id JOIN document d ON d.id = e.doc_id JOIN "
                    "source src ON src.id = d.source_id WHERE ") ||
        bg_buf_puts(&sql,
                    bg_query_kind_test(q, "e", "'problem'", kt, sizeof kt)) ||
        bg_buf_puts(&sql, " AND (?1 = 0 OR e.doc_id = ?1)") ||
        bg_buf_printf(&sql, " AND (%s)", f.cond) ||
        bg_buf_puts(&sql, bg_facet_kind_sql(&f, 2)) ||
        bg_buf_puts(&sql, " ORDER BY e.doc_id, s.seq, c.seq"))
        goto nomem;
    if (bg_query_rows_init(out, cols, nc))
        goto nomem;
    if ((rc = bg_query_prepare(q, sql.data, &st, err)))
        goto cleanup;
    sqlite3_bind_int64(st, 1, doc);
    if (f.kind)
        sqlite3_bind_text(st, 2, f.kind, -1, SQLITE_STATIC);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        bg_cell *row = bg_query_rows_add(out);
        if (!row)
            goto nomem;
        for (size_t i = 0; i < nc; i++)
            if (bg_query_cell_from(&row[i], out->types[i], st, (int)i))
                goto nomem;
    }
    rc = s == SQLITE_DONE ? 0 : bg_query_err(q, err, "clauses");
    goto cleanup;
nomem:
    rc = bg_query_oom(err);
cleanup:
    sqlite3_finalize(st);
    bg_buf_free(&sql);
    bg_facet_free(&f);
    return rc;
}
