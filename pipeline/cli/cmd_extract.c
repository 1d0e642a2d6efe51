/*
 * cmd_extract.c - the extract stage as the driver runs it: loading rules
 * with the taxonomy, storing a document's labels with their details and
 * cues, and `baogao extract`, which runs a rule set again over the
 * documents already stored (cli.h).
 *
 * Offsets stored are byte offsets into the source file, like everywhere in
 * the index. Threading: one run per thread.
 */
#include "extract.h"
#include "index.h"
#include "ingest.h"
#include "cli.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Statements of one extract_store call. Prepared per document: the
 * index handle (index.c) owns the stage-7 statements; these few extra
 * prepares cost microseconds against a document's segmentation. */
typedef struct store {
    sqlite3 *db;
    sqlite3_stmt *detail, *cue;
} store;

static int db_err(sqlite3 *db, bg_err *err, const char *what)
{
    return bg_err_set(err, BG_ESQLITE, "%s: %s", what, sqlite3_errmsg(db));
}

static int step(sqlite3 *db, sqlite3_stmt *st, bg_err *err, const char *what)
{
    int r = sqlite3_step(st);
    int rc = r == SQLITE_DONE || r == SQLITE_ROW ? 0 : db_err(db, err, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* Display form of the analysis range [a, b) of t. */
static int display(const bg_text *t, const char *src, size_t base, size_t a,
                   size_t b, bg_buf *out)
{
    out->len = 0;
    if (b <= a)
        return bg_buf_add(out, "", 0);
    return bg_text_display(t, src, base, t->orig_start[a], t->orig_end[b - 1],
                           out);
}

static int store_label(store *w, bg_normaliser *norm, bg_index *ix,
                       const bg_text *t, const char *src, size_t base,
                       int64_t sid, int64_t doc, const bg_label *l,
                       bg_buf *phrase, bg_buf *tmp, bg_err *err)
{
    int rc;
    phrase->len = 0;
    if (l->kind == BG_KIND_THEME &&
        (rc = bg_extract_phrase(norm, t, src, base, l, phrase, err)))
        return rc;
    if ((rc = bg_index_add_label(ix, sid, doc, l,
                                 l->kind == BG_KIND_THEME ? phrase->data : NULL,
                                 err)))
        return rc;
    int64_t id = sqlite3_last_insert_rowid(w->db);
    sqlite3_bind_int64(w->detail, 1, id);
    if (l->kind != BG_KIND_THEME && l->clause_end > l->clause_start) {
        if (display(t, src, base, l->clause_start, l->clause_end, tmp))
            return bg_err_set(err, BG_ENOMEM, "extract: out of memory");
        sqlite3_bind_int64(w->detail, 2,
                           (sqlite3_int64)t->orig_start[l->clause_start]);
        sqlite3_bind_int64(w->detail, 3,
                           (sqlite3_int64)t->orig_end[l->clause_end - 1]);
        sqlite3_bind_text(w->detail, 4, tmp->data, -1, SQLITE_TRANSIENT);
    }
    bind_opt(w->detail, 5, l->context);
    bind_opt(w->detail, 6, l->category);
    bind_opt(w->detail, 7, l->actor);
    bind_opt(w->detail, 8, l->horizon);
    bind_opt(w->detail, 9, l->mode);
    if ((rc = step(w->db, w->detail, err, "insert extraction_detail")))
        return rc;
    for (size_t c = 0; c < l->ncues; c++) {
        const bg_cue *q = &l->cues[c];
        size_t os = q->a_end > q->a_start ? t->orig_start[q->a_start]
                    : q->a_start < t->len ? t->orig_start[q->a_start]
                                          : t->orig_end[t->len - 1];
        size_t oe = q->a_end > q->a_start ? t->orig_end[q->a_end - 1] : os;
        if (display(t, src, base, q->a_start, q->a_end, tmp))
            return bg_err_set(err, BG_ENOMEM, "extract: out of memory");
        sqlite3_bind_int64(w->cue, 1, id);
        sqlite3_bind_text(w->cue, 2, q->rule, -1, SQLITE_STATIC);
        sqlite3_bind_double(w->cue, 3, q->weight);
        sqlite3_bind_int(w->cue, 4, q->context);
        sqlite3_bind_int64(w->cue, 5, (sqlite3_int64)os);
        sqlite3_bind_int64(w->cue, 6, (sqlite3_int64)oe);
        sqlite3_bind_text(w->cue, 7, tmp->data, -1, SQLITE_TRANSIENT);
        if ((rc = step(w->db, w->cue, err, "insert extraction_cue")))
            return rc;
    }
    return 0;
}

/* Labels the sentences sv[0, ns) of stored document doc (sentence row ids
 * sids[0, ns); t, src and base as given to bg_normalise_run) and stores the
 * labels with their details and cues in ix. Returns 0 or an extract.h or
 * index.h error. */
static int extract_store(bg_extractor *x, bg_normaliser *norm, bg_index *ix,
                         const bg_text *t, const char *src, size_t base,
                         const bg_sentence *sv, size_t ns, const int64_t *sids,
                         int64_t doc, bg_err *err)
{
    store w = {bg_index_db(ix), NULL, NULL};
    bg_buf phrase = {0}, tmp = {0};
    int rc;
    if (sqlite3_prepare_v2(w.db,
                           "INSERT INTO extraction_detail(extraction_id, "
                           "clause_start, clause_end, clause, context, "
                           "category, actor, horizon, mode) VALUES (?1, ?2, "
                           "?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                           -1, &w.detail, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(w.db,
                           "INSERT INTO extraction_cue(extraction_id, rule, "
                           "weight, context, start, end, text) VALUES (?1, "
                           "?2, ?3, ?4, ?5, ?6, ?7)",
                           -1, &w.cue, NULL) != SQLITE_OK) {
        rc = db_err(w.db, err, "prepare");
        goto cleanup;
    }
    if ((rc = bg_extract_document(x, t, sv, ns, err)))
        goto cleanup;
    for (size_t i = 0; i < ns && rc == 0; i++) {
        bg_label labels[BG_NKINDS];
        size_t nl;
        if ((rc = bg_extract_sentence(x, i, labels, &nl, err)))
            break;
        for (size_t k = 0; k < nl && rc == 0; k++)
            rc = store_label(&w, norm, ix, t, src, base, sids[i], doc,
                             &labels[k], &phrase, &tmp, err);
    }
cleanup:
    sqlite3_finalize(w.detail);
    sqlite3_finalize(w.cue);
    bg_buf_free(&phrase);
    bg_buf_free(&tmp);
    return rc;
}

/* ---- baogao extract: run rules again over stored documents -------------- */

typedef struct rerun {
    bg_index *ix;
    sqlite3 *db;
    bg_normaliser *norm;
    bg_extractor *x;
    size_t docs, labels, failed;
} rerun;

/* Labels stored document doc (rows of `sentence`) again: its sentences are
 * cut from the file anew and matched to the stored ones by offsets, the
 * stored outline level kept (it may come from a docx heading style). */
static int rerun_document(rerun *r, const bg_source *src, const bg_docspan *d,
                          int64_t doc, bg_err *err)
{
    const char *base_ptr = src->bytes + d->start;
    bg_text t = {0};
    bg_sentence *sv = NULL, *kv = NULL;
    int64_t *sids = NULL;
    size_t ns = 0, nk = 0, cap = 0;
    sqlite3_stmt *st = NULL;
    int rc;
    if ((rc = bg_normalise_run(r->norm, base_ptr, d->end - d->start, d->start,
                               &t, err)) ||
        (rc = bg_sentence_split(&t, base_ptr, d->start, d->title_start,
                                d->title_end, &sv, &ns, err)))
        goto cleanup;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT id, start, end, outline FROM sentence "
                           "WHERE doc_id = ?1 ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_err(r->db, err, "prepare");
        goto cleanup;
    }
    sqlite3_bind_int64(st, 1, doc);
    size_t j = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t s0 = (size_t)sqlite3_column_int64(st, 1);
        size_t s1 = (size_t)sqlite3_column_int64(st, 2);
        while (j < ns && sv[j].start < s0)
            j++;
        if (j == ns || sv[j].start != s0 || sv[j].end != s1) {
            rc = bg_err_set(err, BG_EDATA,
                            "%s: document %lld no longer matches the index "
                            "(sentence at byte %zu); ingest it again",
                            src->path, (long long)doc, s0);
            goto cleanup;
        }
        if (nk == cap) {
            cap = cap ? 2 * cap : 64;
            bg_sentence *p = realloc(kv, cap * sizeof *p);
            int64_t *q = p ? realloc(sids, cap * sizeof *q) : NULL;
            if (p)
                kv = p;
            if (!p || !q) {
                rc = bg_err_set(err, BG_ENOMEM, "extract: out of memory");
                goto cleanup;
            }
            sids = q;
        }
        kv[nk] = sv[j];
        kv[nk].outline = sqlite3_column_int(st, 3);
        sids[nk++] = sqlite3_column_int64(st, 0);
    }
    if (rc != SQLITE_DONE) {
        rc = db_err(r->db, err, "sentences");
        goto cleanup;
    }
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM extraction WHERE doc_id = %lld",
             (long long)doc);
    if (sqlite3_exec(r->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_err(r->db, err, "delete extraction");
        goto cleanup;
    }
    rc = extract_store(r->x, r->norm, r->ix, &t, base_ptr, d->start, kv, nk,
                       sids, doc, err);
    if (rc == 0)
        r->docs++;
cleanup:
    sqlite3_finalize(st);
    bg_text_free(&t);
    free(sv);
    free(kv);
    free(sids);
    return rc;
}

static int rerun_source(rerun *r, const bg_options *o, int64_t source,
                        const char *path, bg_err *err)
{
    bg_source *src = NULL;
    sqlite3_stmt *st = NULL;
    int rc = bg_ingest_load_opts(path, &o->ingest, &src, err);
    if (rc)
        return rc;
    if ((rc = bg_index_begin(r->ix, err)))
        goto cleanup;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT d.id, d.start, d.end FROM document d WHERE "
                           "d.source_id = ?1 AND (?2 = 0 OR d.id = ?2) AND "
                           "EXISTS (SELECT 1 FROM sentence s WHERE s.doc_id = "
                           "d.id) ORDER BY d.seq",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_err(r->db, err, "prepare");
        goto cleanup;
    }
    sqlite3_bind_int64(st, 1, source);
    sqlite3_bind_int64(st, 2, o->doc);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(st, 0);
        size_t s0 = (size_t)sqlite3_column_int64(st, 1);
        size_t s1 = (size_t)sqlite3_column_int64(st, 2);
        const bg_docspan *d = NULL;
        for (size_t k = 0; k < src->ndocs && !d; k++)
            if (src->docs[k].start == s0 && src->docs[k].end == s1)
                d = &src->docs[k];
        if (!d)
            rc = bg_err_set(err, BG_EDATA,
                            "%s: document %lld no longer matches the file; "
                            "ingest it again",
                            path, (long long)doc);
        else
            rc = rerun_document(r, src, d, doc, err);
    }
    if (rc == 0)
        rc = bg_index_commit(r->ix, err);
cleanup:
    if (rc)
        bg_index_rollback(r->ix);
    sqlite3_finalize(st);
    bg_ingest_free(src);
    return rc;
}

int bg_cmd_extract(const bg_command *cmd, const bg_options *o)
{
    (void)cmd;
    rerun r = {0};
    bg_buf notes = {0};
    bg_err err = {0};
    sqlite3_stmt *st = NULL;
    int status = 0;
    struct stat sb;
    if (stat(o->db, &sb) != 0) {
        bg_output_message(
            stderr,
            "baogao extract: %s: no database here (run `baogao ingest "
            "PATH` first, or pass --db FILE)",
            o->db);
        return 1;
    }
    if (bg_index_open(&r.ix, o->db, o->take_over ? BG_INDEX_TAKE_OVER : 0,
                      &err) ||
        bg_normalise_open(&r.norm, &err) ||
        bg_extract_load(&r.x, o->rules_dir, &notes, &err) ||
        bg_index_set_meta(r.ix, "rules",
                          o->rules_dir ? o->rules_dir : "dict/rules", &err)) {
        bg_output_message(stderr, "baogao extract: %s", err.msg);
        status = 1;
        goto cleanup;
    }
    bg_output_lines(stderr, "baogao extract: warning: ", notes.data);
    r.db = bg_index_db(r.ix);
    if (sqlite3_prepare_v2(r.db,
                           "SELECT id, path FROM source WHERE ?1 = 0 OR id = "
                           "(SELECT source_id FROM document WHERE id = ?1) "
                           "ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK) {
        bg_output_message(stderr, "baogao extract: %s", sqlite3_errmsg(r.db));
        status = 1;
        goto cleanup;
    }
    sqlite3_bind_int64(st, 1, o->doc);
    /* read every path first: the loop below writes to the same tables */
    bg_buf paths = {0};
    int64_t *ids = NULL;
    size_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t *p = realloc(ids, (n + 1) * sizeof *p);
        if (!p || bg_buf_add(&paths, sqlite3_column_text(st, 1),
                             (size_t)sqlite3_column_bytes(st, 1) + 1)) {
            free(p ? p : ids);
            ids = NULL;
            status = 1;
            break;
        }
        ids = p;
        ids[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    st = NULL;
    const char *path = paths.data;
    for (size_t i = 0; i < n; i++, path += strlen(path) + 1) {
        err = (bg_err){0};
        if (rerun_source(&r, o, ids[i], path, &err)) {
            bg_output_message(stderr, "baogao extract: %s (skipped)", err.msg);
            r.failed++;
        }
    }
    free(ids);
    bg_buf_free(&paths);
    err = (bg_err){0};
    if (bg_index_flush(r.ix, &err)) {
        bg_output_message(stderr, "baogao extract: %s", err.msg);
        r.failed++;
    }
    if (status == 0) {
        sqlite3_stmt *c;
        long long items = 0;
        if (sqlite3_prepare_v2(r.db, "SELECT COUNT(*) FROM extraction", -1, &c,
                               NULL) == SQLITE_OK &&
            sqlite3_step(c) == SQLITE_ROW)
            items = sqlite3_column_int64(c, 0);
        sqlite3_finalize(c);
        bg_output_message(
            stderr,
            "baogao: labelled %zu document%s again with %zu rules (%lld "
            "items in %s); %zu failed",
            r.docs, r.docs == 1 ? "" : "s", bg_extract_nrules(r.x), items,
            o->db, r.failed);
        status = r.failed ? 1 : 0;
    } else {
        bg_output_message(stderr, "baogao extract: out of memory");
    }
cleanup:
    bg_buf_free(&notes);
    sqlite3_finalize(st);
    bg_extract_close(r.x);
    bg_normalise_close(r.norm);
    bg_index_close(r.ix);
    return status;
}

/* ---- baogao train -------------------------------------------------------- */

int bg_cmd_train(const bg_command *cmd, const bg_options *o)
{
    (void)cmd;
    static const char *const fams[] = {
        "rules",      "struct",      "rules,struct",     "text",
        "rules,text", "struct,text", "rules,struct,text"};
    bg_train_opts t = {(const char *const *)o->args,
                       (size_t)o->nargs,
                       o->rules_dir,
                       o->exclude,
                       o->folds,
                       o->predictions,
                       o->out,
                       0};
    bg_train_report rep;
    bg_err err = {0};
    if (o->families) {
        for (unsigned v = 1; v <= 7 && !t.families; v++)
            if (strcmp(fams[v - 1], o->families) == 0)
                t.families = v;
        if (!t.families) {
            bg_output_message(stderr,
                              "baogao train: --families is a comma list of "
                              "rules, struct, text in that order, not \"%s\"",
                              o->families);
            return 2;
        }
    }
    if (!!o->folds != !!o->predictions) {
        bg_output_message(stderr, "baogao train: --folds and --predictions "
                                  "go together");
        return 2;
    }
    if (bg_extract_train(&t, &rep, &err)) {
        bg_output_message(stderr, "baogao train: %s", err.msg);
        return 1;
    }
    if (o->folds)
        bg_output_message(stderr,
                          "baogao train: %zu documents, %zu sentences, %zu "
                          "folds; items in %s",
                          rep.docs, rep.sentences, rep.folds, o->predictions);
    else
        bg_output_message(
            stderr,
            "baogao train: %zu documents, %zu sentences, %zu "
            "features, thresholds %.3f %.3f %.3f; wrote %s and %s",
            rep.docs, rep.sentences, rep.features, rep.threshold[0],
            rep.threshold[1], rep.threshold[2], rep.model_path,
            rep.figures_path);
    return 0;
}
