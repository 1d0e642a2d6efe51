/*
 * test_index.c - the index's contract (index.h): the schema, storing a
 * document's record, duplicates, labels replaced, repairs, sentences read
 * back with their properties, units and rollback, removal. Right values
 * are counts of the test files' own lines, sentences and labels, and the
 * records the stages built for them (docrec.h), read back with SQL.
 */
#include "testdb.h"

#include "runner.h"

#include "util_sql.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

static bg_stages sg;
static char dbpath[512];

/* The integer the SQL gives on the test database (-1 on error). */
static long long sql_int(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static bg_index *open_new(const char *name)
{
    bg_index *ix = NULL;
    bg_err err = {0};
    testdb_path(dbpath, sizeof dbpath, name);
    CHECK(bg_index_open(&ix, dbpath, 0, &err) == 0, "open: %s", err.msg);
    return ix;
}

static void close_and_remove(bg_index *ix)
{
    char p[600];
    bg_index_close(ix);
    unlink(dbpath);
    snprintf(p, sizeof p, "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", dbpath);
    unlink(p);
}

/* A new database holds the schema at BG_SCHEMA_VERSION, with the
 * sentence properties and the repair table. */
static void schema(void)
{
    bg_index *ix = open_new("schema");
    if (!ix)
        return;
    CHECK(sql_int("SELECT value FROM meta WHERE key = 'schema_version'") ==
              BG_SCHEMA_VERSION,
          "schema_version");
    CHECK(sql_int("SELECT COUNT(*) FROM pragma_table_info('sentence') WHERE "
                  "name IN ('flags', 'marker')") == 2,
          "sentence.flags and sentence.marker");
    CHECK(sql_int("SELECT COUNT(*) FROM pragma_table_info('repair')") == 5,
          "repair(source_id, kind, start, end, with)");
    /* schema 13: no doc_term table; the view of that name reads
     * doc_vector, and its trigger keeps the totals */
    CHECK(sql_int("SELECT COUNT(*) FROM sqlite_master WHERE name = "
                  "'doc_term' AND type = 'view'") == 1 &&
              sql_int("SELECT COUNT(*) FROM sqlite_master WHERE name IN "
                      "('doc_term_ad', 'doc_vector_ad')") == 1,
          "doc_term a view, trigger doc_vector_ad");
    /* schema 14: extraction_cue a view of extraction_detail.cues */
    CHECK(sql_int("SELECT COUNT(*) FROM sqlite_master WHERE name = "
                  "'extraction_cue' AND type = 'view'") == 1 &&
              sql_int("SELECT COUNT(*) FROM pragma_table_info("
                      "'extraction_detail') WHERE name = 'cues'") == 1,
          "extraction_cue a view, extraction_detail.cues");
    /* schema 15: extraction.kind generated from kind_code (hidden 2 in
     * table_xinfo: a virtual generated column) */
    CHECK(sql_int("SELECT COUNT(*) FROM pragma_table_xinfo('extraction') "
                  "WHERE (name = 'kind' AND hidden = 2) OR name = "
                  "'kind_code'") == 2,
          "extraction.kind generated from kind_code");
    /* schema 16: its index on kind_code */
    CHECK(sql_int("SELECT COUNT(*) FROM sqlite_master WHERE name = "
                  "'extraction_kind' AND sql LIKE '%(kind_code, doc_id)%'") ==
              1,
          "extraction_kind on (kind_code, doc_id)");
    close_and_remove(ix);
}

/* The labels' clauses in id order, as index.h says to read them
 * (extraction_detail.clause, else the sentence text's bytes at
 * [clause_start, clause_end) of the file) */
#define CLAUSES_SQL                                                            \
    "SELECT COALESCE(dt.clause, CAST(substr(CAST(s.text AS BLOB), "            \
    "dt.clause_start - s.start + 1, dt.clause_end - dt.clause_start) AS "      \
    "TEXT)) FROM extraction e JOIN sentence s ON s.id = e.sentence_id LEFT "   \
    "JOIN extraction_detail dt ON dt.extraction_id = e.id ORDER BY e.id"
/* the cues' texts by label and seq, read the same way (schema 12: from
 * the sentence back before the label's when back is set) */
#define CUE_TEXTS_SQL                                                          \
    "SELECT COALESCE(c.text, CAST(substr(CAST(x.text AS BLOB), c.start - "     \
    "x.start + 1, c.end - c.start) AS TEXT)) FROM extraction_cue c JOIN "      \
    "extraction e ON e.id = c.extraction_id JOIN sentence s ON s.id = "        \
    "e.sentence_id JOIN sentence x ON x.doc_id = s.doc_id AND x.seq = s.seq "  \
    "- COALESCE(c.back, 0) ORDER BY e.id, c.seq"

/* The number of rows of sql (one text column) that are not want[i] (NULL:
 * none); -1 when the count of rows differs from n or SQL fails. */
static int texts_read_back(const char *sql, char *const *want, size_t n)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int bad = -1;
    size_t i = 0;
    if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        bad = 0;
        for (; sqlite3_step(st) == SQLITE_ROW; i++) {
            const char *got = (const char *)sqlite3_column_text(st, 0);
            if (i >= n || (got == NULL) != (want[i] == NULL) ||
                (got && strcmp(got, want[i]) != 0))
                bad++;
        }
        if (i != n)
            bad = -1;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return bad;
}

/* Adds name to names[0, n) when it is not there; returns the new n. */
static size_t name_once(char names[][64], size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return n;
    if (n < 256)
        snprintf(names[n++], 64, "%s", name);
    return n;
}

/* The seed compilation: five documents, every sentence and label stored
 * as the records hold them, repairs as ingest found them. */
static void store_document(void)
{
    bg_index *ix = open_new("store");
    bg_err err = {0};
    int64_t src;
    int dups;
    if (!ix)
        return;
    const char *seed = data_path("seed/seed-compilation.txt");
    CHECK(testdb_ingest(ix, &sg, seed, &src, &dups, &err) == 0, "ingest: %s",
          err.msg);
    CHECK(bg_index_flush(ix, &err) == 0, "flush: %s", err.msg);
    /* what the records hold, built again */
    bg_source *s = NULL;
    bg_arena mem = {0};
    size_t nsent = 0, nlab = 0, ncue = 0, nmodel = 0, nnames = 0, ngenre = 0;
    size_t nclauses = 0, ncues_text = 0;
    static char *clauses[4096];    /* each label's clause, in storage order */
    static char *cue_texts[16384]; /* each stored cue's text, in order */
    char names[256][64]; /* the distinct rule names labels and cues cite */
    CHECK(bg_ingest_load_opts(seed, NULL, &s, &err) == 0, "load");
    for (size_t i = 0; s && i < s->ndocs; i++) {
        bg_doc_rec r;
        memset(&r, 0, sizeof r);
        if (bg_docrec_build(&sg, s, &s->docs[i], &mem, &r, &err) == 0) {
            nsent += r.ns;
            for (size_t k = 0; k < r.ns; k++) {
                nlab += r.sv[k].nlabels;
                for (size_t l = 0; l < r.sv[k].nlabels; l++) {
                    const bg_label_rec *x = &r.sv[k].labels[l];
                    nnames = name_once(names, nnames, x->l.rule);
                    if (nclauses < 4096)
                        clauses[nclauses++] =
                            x->clause ? strdup(x->clause) : NULL;
                    for (size_t c = 0; c < x->ncues; c++) {
                        size_t model = !strncmp(x->cues[c].rule, "model.", 6);
                        ncue += !model;
                        nmodel += model;
                        if (!model)
                            nnames = name_once(names, nnames, x->cues[c].rule);
                        if (!model && ncues_text < 16384)
                            cue_texts[ncues_text++] = strdup(x->cues[c].text);
                    }
                }
            }
            /* the record's genre is the stored document's */
            char *q = sqlite3_mprintf("SELECT COUNT(*) FROM document WHERE "
                                      "seq = %d AND genre IS %Q",
                                      (int)i + 1, r.genre);
            CHECK(q && sql_int(q) == 1, "document %zu: genre %s as built", i,
                  r.genre ? r.genre : "(none)");
            ngenre += r.genre != NULL;
            sqlite3_free(q);
        }
        bg_docrec_free(&r);
    }
    CHECK(ngenre == 5, "the seed's five reports have a genre (%zu)", ngenre);
    CHECK(s && s->ndocs == 5, "five documents");
    CHECK(sql_int("SELECT COUNT(*) FROM document") == 5, "documents stored");
    CHECK(sql_int("SELECT COUNT(*) FROM sentence") == (long long)nsent,
          "sentences: %lld stored, %zu in the records",
          sql_int("SELECT COUNT(*) FROM sentence"), nsent);
    CHECK(sql_int("SELECT COUNT(*) FROM extraction") == (long long)nlab,
          "labels: %lld stored, %zu in the records",
          sql_int("SELECT COUNT(*) FROM extraction"), nlab);
    CHECK(sql_int("SELECT COUNT(*) FROM extraction_detail") == (long long)nlab,
          "one detail row per label");
    /* schema 8: the model's cue is the label's column model, the rules
     * are named once in table rule */
    CHECK(nmodel > 0 && sql_int("SELECT COUNT(*) FROM extraction WHERE model "
                                "IS NOT NULL") == (long long)nmodel,
          "labels with the model's probability: %lld stored, %zu model cues",
          sql_int("SELECT COUNT(*) FROM extraction WHERE model IS NOT NULL"),
          nmodel);
    CHECK(sql_int("SELECT COUNT(*) FROM extraction_cue") == (long long)ncue,
          "cue rows: %lld stored, %zu other cues in the records",
          sql_int("SELECT COUNT(*) FROM extraction_cue"), ncue);
    CHECK(nclauses == nlab &&
              texts_read_back(CLAUSES_SQL, clauses, nclauses) == 0,
          "every label's clause read back as the records hold it");
    CHECK(sql_int("SELECT COUNT(*) FROM extraction_detail WHERE clause IS "
                  "NULL AND clause_start IS NOT NULL") > 0,
          "clauses that are their sentence's bytes are not stored twice");
    CHECK(ncues_text == ncue &&
              texts_read_back(CUE_TEXTS_SQL, cue_texts, ncues_text) == 0,
          "every cue's text read back as the records hold it");
    CHECK(sql_int("SELECT COUNT(*) FROM extraction_cue WHERE text IS NULL AND "
                  "start < end") > 0,
          "cue texts that are their sentence's bytes are not stored twice");
    CHECK(sql_int("SELECT COUNT(*) FROM extraction_cue WHERE text IS NULL AND "
                  "back > 0 AND context = 1") > 0,
          "context cues' texts that are an earlier sentence's bytes are not "
          "stored twice (schema 12)");
    for (size_t i = 0; i < nclauses; i++)
        free(clauses[i]);
    for (size_t i = 0; i < ncues_text; i++)
        free(cue_texts[i]);
    CHECK(sql_int("SELECT COUNT(*) FROM rule") == (long long)nnames &&
              sql_int("SELECT COUNT(*) FROM extraction e JOIN rule r ON r.id "
                      "= e.rule_id") == (long long)nlab,
          "rule rows: %lld stored, %zu names cited",
          sql_int("SELECT COUNT(*) FROM rule"), nnames);
    CHECK(s &&
              sql_int("SELECT COUNT(*) FROM repair") == (long long)s->repairs.n,
          "repairs stored: %lld", sql_int("SELECT COUNT(*) FROM repair"));
    CHECK(sql_int("SELECT COUNT(*) FROM repair WHERE kind = 'repeat'") == 3,
          "the seed's three repeated lead phrases (MANIFEST)");
    CHECK(sql_int("SELECT COUNT(*) FROM sentence WHERE flags IS NULL") == 0,
          "every sentence has its properties");
    CHECK(sql_int("SELECT COUNT(*) FROM sentence_fts") > 0, "FTS filled");
    bg_arena_free(&mem);
    bg_ingest_free(s);
    close_and_remove(ix);
}

/* The same text in a second file is stored as a duplicate: no sentences
 * of its own, dup_of its original. */
static void duplicates(void)
{
    bg_index *ix = open_new("dup");
    bg_err err = {0};
    int64_t a, b;
    int da, db;
    if (!ix)
        return;
    CHECK(testdb_ingest(ix, &sg, data_path("stats/corpus/a.txt"), &a, &da,
                        &err) == 0,
          "a: %s", err.msg);
    char copy[600];
    snprintf(copy, sizeof copy, "%s.copy.txt", dbpath);
    FILE *f = fopen(copy, "w");
    fputs("alpha beta alpha gamma。\nalpha delta beta。\n", f);
    fclose(f);
    CHECK(testdb_ingest(ix, &sg, copy, &b, &db, &err) == 0, "copy: %s",
          err.msg);
    bg_index_flush(ix, &err);
    CHECK(da == 0 && db == 1, "the copy is a duplicate (%d, %d)", da, db);
    CHECK(sql_int("SELECT COUNT(*) FROM document WHERE dup_of = 1") == 1,
          "dup_of names the original");
    CHECK(sql_int("SELECT n_sentences FROM document WHERE id = 2") == 0,
          "a duplicate stores no sentences");
    unlink(copy);
    close_and_remove(ix);
}

typedef struct props {
    size_t n, flagged, marked;
} props;

static int count_props(const bg_stored_sentence *s, void *payload)
{
    props *p = payload;
    p->n++;
    p->flagged += s->props && s->s.line_start;
    p->marked += s->s.outline && s->s.marker_end > 0;
    return 0;
}

/* The edits of util.h: bg_edits_apply(src, bg_edits_make(src, dst)) gives
 * dst back byte for byte; equal strings take no bytes. Pairs of the kinds
 * the normaliser makes (Traditional to Simplified, full width to half,
 * case, an expansion, removals), then pseudo-random strings over a small
 * alphabet of 1- to 4-byte characters (an LCG, seeded: the same pairs
 * every run). */
static int edits_round_trip(const char *a, size_t na, const char *b, size_t nb)
{
    bg_buf e = {0}, out = {0};
    int ok = bg_edits_make(a, na, b, nb, &e) == 0 &&
             bg_edits_apply(a, na, (const unsigned char *)e.data, e.len,
                            &out) == 0 &&
             out.len == nb && memcmp(out.data ? out.data : "", b, nb) == 0;
    bg_buf_free(&e);
    bg_buf_free(&out);
    return ok;
}

static void edits(void)
{
    static const char *const pairs[][2] = {
        {"", ""},
        {"同一句话。", "同一句话。"},
        {"這個問題還沒有解決。", "这个问题还没有解决。"},
        {"ＡＢＣ公司，２０２０年", "abc公司,2020年"},
        {"①加强监督②完善制度", "1加强监督2完善制度"},
        {"㈠总体要求", "(一)总体要求"},
        {"Hello World", "hello world"},
        {"前后\xe2\x80\x8b不变", "前后不变"},
        {"", "只有结果"},
        {"只有原文", ""},
        {"完全不同的一句", "abc"},
    };
    bg_buf e = {0};
    CHECK(bg_edits_make("同一句话", 12, "同一句话", 12, &e) == 0 && e.len == 0,
          "equal strings: no edits");
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        CHECK(edits_round_trip(pairs[i][0], strlen(pairs[i][0]), pairs[i][1],
                               strlen(pairs[i][1])),
              "pair %zu round trip", i);
    e.len = 0;
    static const char few_a[] = "我們要加强监督检查工作，完善制度建设",
                      few_b[] = "我们要加强监督检查工作,完善制度建设";
    CHECK(bg_edits_make(few_a, strlen(few_a), few_b, strlen(few_b), &e) == 0 &&
              e.len == 2 * 3 + 3 + 1,
          "two replaced characters: two operations of 3 varints and the "
          "new bytes (%zu)",
          e.len);
    static const char *const alpha[] = {
        "a", "B", ",", "改", "革", "開", "开", "，", "\xf0\x9f\x98\x80"};
    unsigned long x = 20261207;
    char a[200], b[200];
    int bad = 0;
    for (int round = 0; round < 2000; round++) {
        size_t na = 0, nb = 0;
        int n = (int)((x = x * 1103515245 + 12345) >> 16) % 30;
        for (int k = 0; k < n; k++) {
            const char *c = alpha[((x = x * 1103515245 + 12345) >> 16) % 9];
            memcpy(a + na, c, strlen(c));
            na += strlen(c);
            /* b: a's character, another, none, or two */
            unsigned r = (unsigned)((x = x * 1103515245 + 12345) >> 16) % 8;
            const char *d = r == 0 ? alpha[(k * 7 + round) % 9] : c;
            if (r != 1) {
                memcpy(b + nb, d, strlen(d));
                nb += strlen(d);
            }
            if (r == 2) {
                memcpy(b + nb, "x", 1);
                nb++;
            }
        }
        bad += !edits_round_trip(a, na, b, nb);
    }
    CHECK(bad == 0, "2000 pseudo-random pairs round trip (%d failed)", bad);
    /* damaged values are refused, not read past their end */
    bg_buf out = {0};
    const unsigned char cut[] = {0x80}, past[] = {5, 0, 0};
    CHECK(bg_edits_apply("abc", 3, cut, 1, &out) == BG_EDATA &&
              bg_edits_apply("abc", 3, past, 3, &out) == BG_EDATA,
          "damaged edits: BG_EDATA");
    bg_buf_free(&out);
    bg_buf_free(&e);
}

/* The analysis forms read back (bg_index_each_sentence: the text with its
 * norm_edit) are the ones the stages built, byte for byte, on a file with
 * Traditional characters and mojibake repairs. */
typedef struct forms {
    const bg_doc_rec *r;
    size_t n, same;
} forms;

static int compare_form(const bg_stored_sentence *s, void *payload)
{
    forms *f = payload;
    if (f->n < f->r->ns) {
        const char *want = f->r->sv[f->n].norm;
        f->same += s->norm_len == strlen(want) &&
                   memcmp(s->norm, want, s->norm_len) == 0;
    }
    f->n++;
    return 0;
}

static void analysis_forms(void)
{
    bg_index *ix = open_new("forms");
    bg_err err = {0};
    int64_t src;
    int dups;
    if (!ix)
        return;
    const char *path = data_path("seed/seed-compilation.txt");
    CHECK(testdb_ingest(ix, &sg, path, &src, &dups, &err) == 0, "ingest: %s",
          err.msg);
    bg_index_flush(ix, &err);
    CHECK(sql_int("SELECT COUNT(*) FROM sentence WHERE norm_edit IS NULL") >
                  0 &&
              sql_int("SELECT COUNT(*) FROM sentence WHERE norm_edit IS NOT "
                      "NULL") > 0,
          "some sentences store edits, some none");
    bg_source *s = NULL;
    bg_arena mem = {0};
    size_t total = 0, same = 0, read = 0;
    CHECK(bg_ingest_load_opts(path, NULL, &s, &err) == 0, "load");
    bg_stored_doc *docs = NULL;
    size_t nd = 0;
    CHECK(bg_index_documents(ix, src, 0, 0, &docs, &nd, &err) == 0 && s &&
              nd == s->ndocs,
          "documents");
    for (size_t i = 0; s && i < s->ndocs && i < nd; i++) {
        bg_doc_rec r;
        memset(&r, 0, sizeof r);
        if (bg_docrec_build(&sg, s, &s->docs[i], &mem, &r, &err) == 0) {
            forms f = {&r, 0, 0};
            CHECK(bg_index_each_sentence(ix, docs[i].id, compare_form, &f,
                                         &err) == 0,
                  "read: %s", err.msg);
            /* (a document stored as a duplicate has no sentences) */
            total += f.n ? r.ns : 0;
            read += f.n;
            same += f.same;
        }
        bg_docrec_free(&r);
    }
    CHECK(total > 100 && read == total && same == total,
          "every analysis form as built (%zu of %zu read, %zu the same)", read,
          total, same);
    free(docs);
    bg_arena_free(&mem);
    bg_ingest_free(s);
    close_and_remove(ix);
}

/* Sentences come back with the stage-3 properties stored; labels are
 * replaced (here by none) in one call; a rolled-back unit leaves nothing. */
static void read_back_and_replace(void)
{
    bg_index *ix = open_new("read");
    bg_err err = {0};
    int64_t src;
    int dups;
    if (!ix)
        return;
    CHECK(testdb_ingest(ix, &sg, data_path("seed/seed-compilation.txt"), &src,
                        &dups, &err) == 0,
          "ingest: %s", err.msg);
    bg_index_flush(ix, &err);
    props p = {0};
    CHECK(bg_index_each_sentence(ix, 1, count_props, &p, &err) == 0, "read");
    CHECK(p.n == (size_t)sql_int("SELECT COUNT(*) FROM sentence WHERE doc_id "
                                 "= 1"),
          "every sentence of document 1 read back");
    CHECK(p.flagged == (size_t)sql_int("SELECT COUNT(*) FROM sentence WHERE "
                                       "doc_id = 1 AND flags & 1"),
          "line starts as stored");
    CHECK(p.marked > 0, "outline items keep their enumerator's length");
    bg_stored_doc *docs = NULL;
    size_t nd = 0;
    CHECK(bg_index_documents(ix, src, 0, 1, &docs, &nd, &err) == 0 && nd == 5,
          "five documents with sentences");
    long long before = sql_int("SELECT COUNT(*) FROM extraction");
    long long doc1 = sql_int("SELECT COUNT(*) FROM extraction WHERE doc_id = "
                             "1");
    CHECK(doc1 > 0, "document 1 has labels");
    CHECK(bg_index_begin(ix, &err) == 0 &&
              bg_index_replace_labels(ix, 1, NULL, NULL, NULL, 0, &err) == 0 &&
              bg_index_commit(ix, &err) == 0 && bg_index_flush(ix, &err) == 0,
          "replace: %s", err.msg);
    CHECK(sql_int("SELECT COUNT(*) FROM extraction") == before - doc1,
          "document 1's labels (and only they) went");
    CHECK(sql_int("SELECT COUNT(*) FROM document WHERE id = 1 AND genre IS "
                  "NULL") == 1,
          "and its genre (none given)");
    CHECK(bg_index_begin(ix, &err) == 0 &&
              bg_index_replace_labels(ix, 1, "complaint", NULL, NULL, 0,
                                      &err) == 0 &&
              bg_index_commit(ix, &err) == 0 && bg_index_flush(ix, &err) == 0,
          "replace: %s", err.msg);
    CHECK(sql_int("SELECT COUNT(*) FROM document WHERE genre = 'complaint'") ==
                  1 &&
              sql_int("SELECT genre = 'complaint' FROM document WHERE id = "
                      "1") == 1,
          "the genre given is document 1's, and only its");
    CHECK(sql_int("SELECT COUNT(*) FROM extraction_cue WHERE extraction_id "
                  "NOT IN (SELECT id FROM extraction)") == 0,
          "their cues with them");
    /* a unit rolled back */
    int64_t other;
    CHECK(bg_index_begin(ix, &err) == 0 &&
              bg_index_add_source(ix, "/nowhere.txt", 1, &other, &err) == 0,
          "unit");
    bg_index_rollback(ix);
    bg_index_flush(ix, &err);
    CHECK(sql_int("SELECT COUNT(*) FROM source WHERE path = '/nowhere.txt'") ==
              0,
          "a rolled-back unit leaves nothing");
    free(docs);
    close_and_remove(ix);
}

/* Problem clauses (extraction_clause) are stored with their label, one
 * row each in the record's order, and go with it. The first problem
 * label of the seed compilation gets two clauses set by hand (the halves
 * of its clause) in place of the extractor's. */
static void problem_clauses(void)
{
    bg_index *ix = open_new("clauses");
    bg_err err = {0};
    bg_source *s = NULL;
    bg_arena mem = {0};
    int64_t src;
    int dup = 0, done = 0;
    size_t a = 0, mid = 0, b = 0, total = 0;
    if (!ix)
        return;
    const char *seed = data_path("seed/seed-compilation.txt");
    CHECK(bg_ingest_load_opts(seed, NULL, &s, &err) == 0, "load: %s", err.msg);
    CHECK(s && bg_index_begin(ix, &err) == 0 &&
              bg_index_add_source(ix, seed, s->file_size, &src, &err) == 0,
          "source: %s", err.msg);
    for (size_t i = 0; s && i < s->ndocs; i++) {
        bg_doc_rec r;
        memset(&r, 0, sizeof r);
        CHECK(bg_docrec_build(&sg, s, &s->docs[i], &mem, &r, &err) == 0,
              "build: %s", err.msg);
        for (size_t k = 0; k < r.ns && !done; k++)
            for (size_t j = 0; j < r.sv[k].nlabels && !done; j++) {
                bg_label_rec *x = &r.sv[k].labels[j];
                if (x->l.kind != BG_KIND_PROBLEM || !x->clause ||
                    x->clause_end - x->clause_start < 2)
                    continue;
                a = x->clause_start;
                b = x->clause_end;
                mid = a + (b - a) / 2;
                x->clauses = bg_arena_alloc(&mem, 2 * sizeof *x->clauses);
                x->clauses[0] = (bg_clause_rec){a, mid, "first", 0, NULL};
                x->clauses[1] = (bg_clause_rec){mid, b, NULL, 1, NULL};
                x->nclauses = 2;
                done = 1;
            }
        for (size_t k = 0; k < r.ns; k++)
            for (size_t j = 0; j < r.sv[k].nlabels; j++)
                total += r.sv[k].labels[j].nclauses;
        CHECK(bg_index_store_document(ix, src, (int)i + 1, &r, &dup, &err) == 0,
              "store: %s", err.msg);
        bg_docrec_free(&r);
    }
    CHECK(bg_index_commit(ix, &err) == 0 && bg_index_flush(ix, &err) == 0,
          "commit: %s", err.msg);
    CHECK(done, "the seed has a problem label with a clause");
    CHECK(sql_int("SELECT COUNT(*) FROM extraction_clause") == (long long)total,
          "one row a clause of the records: %lld stored, %zu",
          sql_int("SELECT COUNT(*) FROM extraction_clause"), total);
    char q[400];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM extraction_clause c JOIN extraction e ON "
             "e.id = c.extraction_id WHERE e.kind = 'problem' AND ((seq = 1 "
             "AND start = %zu AND end = %zu AND category = 'first' AND NOT "
             "generic) OR (seq = 2 AND start = %zu AND end = %zu AND category "
             "IS NULL AND generic)) AND (SELECT COUNT(*) FROM "
             "extraction_clause x WHERE x.extraction_id = c.extraction_id) = 2",
             a, mid, mid, b);
    CHECK(sql_int(q) == 2, "offsets, order and categories as given");
    snprintf(q, sizeof q,
             "SELECT e.doc_id FROM extraction_clause c JOIN extraction e ON "
             "e.id = c.extraction_id WHERE start = %zu AND end = %zu",
             a, mid);
    long long doc = sql_int(q);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM extraction_clause c JOIN extraction e ON "
             "e.id = c.extraction_id WHERE e.doc_id = %lld",
             doc);
    long long of_doc = sql_int(q);
    CHECK(bg_index_begin(ix, &err) == 0 &&
              bg_index_replace_labels(ix, doc, NULL, NULL, NULL, 0, &err) ==
                  0 &&
              bg_index_commit(ix, &err) == 0 && bg_index_flush(ix, &err) == 0,
          "replace: %s", err.msg);
    CHECK(sql_int("SELECT COUNT(*) FROM extraction_clause") ==
              (long long)total - of_doc,
          "the document's clauses go with its labels, the others stay");
    bg_arena_free(&mem);
    bg_ingest_free(s);
    close_and_remove(ix);
}

/* Removing a source removes everything derived from it. */
static void remove_source(void)
{
    bg_index *ix = open_new("remove");
    bg_err err = {0};
    int64_t src;
    int dups;
    size_t ns = 0, nd = 0;
    if (!ix)
        return;
    const char *a = data_path("stats/corpus/a.txt");
    CHECK(testdb_ingest(ix, &sg, a, &src, &dups, &err) == 0, "ingest");
    bg_index_flush(ix, &err);
    CHECK(bg_index_remove(ix, a, &ns, &nd, &err) == 0 &&
              bg_index_flush(ix, &err) == 0,
          "remove: %s", err.msg);
    CHECK(ns == 1 && nd == 1, "one source, one document (%zu, %zu)", ns, nd);
    CHECK(sql_int("SELECT (SELECT COUNT(*) FROM sentence) + (SELECT COUNT(*) "
                  "FROM doc_term) + (SELECT COUNT(*) FROM extraction)") == 0,
          "sentences, counts and labels went with it");
    close_and_remove(ix);
}

/* Another process's writer, forked: waits for a byte on go, then holds
 * the write lock of dbpath for n transactions of hold_ms each, committing
 * each (commit 1) or none (commit 0: it holds the first and sleeps),
 * setting meta 'other' to the number of its last commit; says "L" on
 * locked when it first holds the lock; it waits up to 10 s for the lock
 * itself. Exits 0 when all went. */
static void other_writer(int go, int locked, int n, int hold_ms, int commit)
{
    sqlite3 *db = NULL;
    char c;
    int ok = read(go, &c, 1) == 1 &&
             sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READWRITE, NULL) ==
                 SQLITE_OK &&
             sqlite3_busy_timeout(db, 10000) == SQLITE_OK;
    for (int i = 1; ok && i <= n; i++) {
        char sql[128];
        ok = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
        snprintf(sql, sizeof sql,
                 "INSERT OR REPLACE INTO meta(key, value) VALUES ('other', "
                 "%d)",
                 i);
        ok = ok && sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
        if (ok && i == 1)
            ok = write(locked, "L", 1) == 1;
        sqlite3_sleep(commit ? hold_ms : hold_ms * n);
        if (!commit)
            break;
        /* the lock taken again at once, as ingest's next batch takes it */
        ok = ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    }
    sqlite3_close(db);
    _exit(ok ? 0 : 1);
}

/* Starts other_writer in a child process; *pid its id. Returns 0 once it
 * holds the lock, -1 on failure. */
static int start_other(pid_t *pid, int n, int hold_ms, int commit)
{
    int go[2], locked[2];
    char c;
    if (pipe(go) || pipe(locked))
        return -1;
    fflush(NULL);
    *pid = fork();
    if (*pid == 0) {
        close(go[1]);
        close(locked[0]);
        other_writer(go[0], locked[1], n, hold_ms, commit);
    }
    close(go[0]);
    close(locked[1]);
    int ok =
        *pid > 0 && write(go[1], "g", 1) == 1 && read(locked[0], &c, 1) == 1;
    close(go[1]);
    close(locked[0]);
    return ok ? 0 : -1;
}

/* A writer waits for another process's lock as long as that one commits
 * (index.h BG_INDEX_BUSY_MS: the wait starts again at each commit): here
 * 30 commits 100 ms apart, 3 s in all, against a wait of 1 s, which
 * SQLite's busy timeout (counted from the first try) let run out (R2 of
 * concurrency_test.sh, a flake). A process that holds the lock and
 * commits nothing makes the writer fail after its wait, with a message
 * that says so, and nothing changed. */
static void busy_wait_progress(void)
{
    bg_index *ix = open_new("busy");
    bg_err err = {0};
    pid_t pid;
    int st = -1;
    if (!ix)
        return;
    bg_index_busy_timeout(ix, 1000);
    CHECK(start_other(&pid, 30, 100, 1) == 0, "the other writer starts");
    int rc = bg_index_begin(ix, &err);
    CHECK(rc == 0, "begin waits while the other commits: %s", err.msg);
    if (rc == 0) { /* (it may have come in between two of them) */
        bg_index_rollback(ix);
        bg_index_flush(ix, &err);
    }
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
              sql_int("SELECT value FROM meta WHERE key = 'other'") == 30,
          "the other writer made its 30 commits");

    CHECK(start_other(&pid, 1, 5000, 0) == 0, "a stuck writer starts");
    memset(&err, 0, sizeof err);
    rc = bg_index_begin(ix, &err);
    CHECK(rc == BG_ESQLITE && strstr(err.msg, "without writing to it") &&
              strstr(err.msg, dbpath),
          "a writer that writes nothing: begin fails, saying so (%d: %s)", rc,
          err.msg);
    CHECK(!bg_index_in_batch(ix), "... with no batch open");
    bg_index_busy_timeout(ix, 0);
    CHECK(bg_index_begin(ix, &err) == BG_ESQLITE,
          "with no wait (ms 0) begin fails at its first try");
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    CHECK(sql_int("SELECT COUNT(*) FROM meta WHERE key = 'other'") == 1 &&
              sql_int("SELECT value FROM meta WHERE key = 'other'") == 30,
          "the stuck writer's transaction is gone with it");
    close_and_remove(ix);
}

/* The rows of sentence_fts_config for automerge and crisismerge, as
 * "automerge=V crisismerge=V" ('-' for no row: FTS5's default). */
static const char *merge_settings(void)
{
    static char buf[96];
    long long a = sql_int("SELECT COALESCE((SELECT v FROM sentence_fts_config "
                          "WHERE k = 'automerge'), -1)"),
              c = sql_int("SELECT COALESCE((SELECT v FROM "
                          "sentence_fts_config WHERE k = 'crisismerge'), -1)");
    char as[24] = "-", cs[24] = "-";
    if (a >= 0)
        snprintf(as, sizeof as, "%lld", a);
    if (c >= 0)
        snprintf(cs, sizeof cs, "%lld", c);
    snprintf(buf, sizeof buf, "automerge=%s crisismerge=%s", as, cs);
    return buf;
}

/* A user's own FTS5 merge settings (automerge 8, crisismerge 24, set from
 * the sqlite3 shell) survive the opens of writers and bulk loads: a bulk
 * load runs with its own (16, 64: index.c FTS_BULK_MERGE) and gives the
 * user's back at its end, or, when it died, at the next open (not at
 * another process's open while it runs); a database with no settings is
 * left with none. */
static void fts_merge_settings(void)
{
    bg_index *ix = open_new("merge");
    bg_err err = {0};
    sqlite3 *db = NULL;
    if (!ix)
        return;
    CHECK(bg_index_bulk_begin(ix, 1, &err) == 0, "bulk: %s", err.msg);
    CHECK_STR(merge_settings(), "automerge=16 crisismerge=64", "during a load");
    CHECK(bg_index_bulk_end(ix, &err) == 0, "bulk end: %s", err.msg);
    CHECK_STR(merge_settings(), "automerge=- crisismerge=-",
              "no settings before: none after");
    bg_index_close(ix);
    CHECK(sqlite3_open(dbpath, &db) == SQLITE_OK &&
              sqlite3_exec(db,
                           "INSERT INTO sentence_fts(sentence_fts, rank) "
                           "VALUES ('automerge', 8); INSERT INTO "
                           "sentence_fts(sentence_fts, rank) VALUES "
                           "('crisismerge', 24)",
                           NULL, NULL, NULL) == SQLITE_OK,
          "the user's settings: %s", sqlite3_errmsg(db));
    sqlite3_close(db);
    CHECK(bg_index_open(&ix, dbpath, 0, &err) == 0, "open: %s", err.msg);
    if (!ix)
        return;
    CHECK_STR(merge_settings(), "automerge=8 crisismerge=24",
              "a writer's open keeps them");
    CHECK(bg_index_bulk_begin(ix, 1, &err) == 0, "bulk: %s", err.msg);
    CHECK_STR(merge_settings(), "automerge=16 crisismerge=64", "during a load");
    /* another process opens the database (a second ingest, a remove)
     * while this load is under way: the load's settings stay (the restore
     * at open is for a load that died) */
    fflush(NULL);
    pid_t other = fork();
    if (other == 0) {
        bg_index *c = NULL;
        int ok = bg_index_open(&c, dbpath, 0, &err) == 0;
        bg_index_close(c);
        _exit(ok ? 0 : 1);
    }
    int ost = 0;
    waitpid(other, &ost, 0);
    CHECK(WIFEXITED(ost) && WEXITSTATUS(ost) == 0, "the other process opened");
    CHECK_STR(merge_settings(), "automerge=16 crisismerge=64",
              "another process's open leaves a live load's settings");
    CHECK(bg_index_bulk_end(ix, &err) == 0, "bulk end: %s", err.msg);
    CHECK_STR(merge_settings(), "automerge=8 crisismerge=24",
              "given back at the load's end");
    CHECK(sql_int("SELECT COUNT(*) FROM meta WHERE key LIKE 'fts_saved_%'") ==
              0,
          "nothing saved is left");
    /* two loads at once (two ingests; here two handles): the first to end
     * leaves the second's settings, the last gives the user's back
     * (review-5: the first to end restored them under the second) */
    bg_index *ix2 = NULL;
    CHECK(bg_index_open(&ix2, dbpath, 0, &err) == 0, "open 2: %s", err.msg);
    CHECK(ix2 && bg_index_bulk_begin(ix, 0, &err) == 0 &&
              bg_index_bulk_begin(ix2, 0, &err) == 0,
          "two bulk loads: %s", err.msg);
    CHECK_STR(merge_settings(), "automerge=16 crisismerge=64", "during both");
    CHECK(bg_index_bulk_end(ix, &err) == 0, "bulk end 1: %s", err.msg);
    CHECK_STR(merge_settings(), "automerge=16 crisismerge=64",
              "the first load's end leaves the second's settings");
    CHECK(sql_int("SELECT COUNT(*) FROM meta WHERE key GLOB "
                  "'fts_bulk_owner*'") == 1,
          "... and the second's owner row");
    CHECK(ix2 && bg_index_bulk_end(ix2, &err) == 0, "bulk end 2: %s", err.msg);
    CHECK_STR(merge_settings(), "automerge=8 crisismerge=24",
              "the last load's end gives the user's back");
    CHECK(sql_int("SELECT COUNT(*) FROM meta WHERE key GLOB 'fts_*'") == 0,
          "no owner and nothing saved is left");
    bg_index_close(ix2);
    bg_index_close(ix);
    /* a load that dies (a child process killed in it) */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        bg_index *c = NULL;
        if (bg_index_open(&c, dbpath, 0, &err) == 0 &&
            bg_index_bulk_begin(c, 1, &err) == 0)
            raise(SIGKILL);
        _exit(1);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK(WIFSIGNALED(st), "the loading process was killed");
    CHECK_STR(merge_settings(), "automerge=16 crisismerge=64",
              "a dead load leaves its settings");
    CHECK(bg_index_open(&ix, dbpath, 0, &err) == 0, "open: %s", err.msg);
    CHECK_STR(merge_settings(), "automerge=8 crisismerge=24",
              "the next open gives the user's back");
    close_and_remove(ix);
}

/* the progress callback's count, and the call that interrupts (0: none) */
static int fault_calls, fault_at;

static int fault_cb(void *payload)
{
    (void)payload;
    return ++fault_calls == fault_at;
}

/* Every SQLite failure while a document is stored is an error or the
 * right state: a copy of a stored document is stored with an interrupt
 * (SQLITE_INTERRUPT from the progress handler) at each step in turn, the
 * first, the second, ... until one passes with none. Each either fails
 * (the unit rolled back leaves nothing) or records the copy as a
 * duplicate; none stores it as an original (a failed look-up of the
 * original read as "none" did). */
static void store_faults(void)
{
    bg_index *ix = open_new("faults");
    bg_err err = {0};
    int64_t a, b;
    int da, wrong = 0, failed = 0, k;
    bg_source *src = NULL;
    bg_arena mem = {0};
    bg_doc_rec r;
    memset(&r, 0, sizeof r);
    if (!ix)
        return;
    CHECK(testdb_ingest(ix, &sg, data_path("stats/corpus/a.txt"), &a, &da,
                        &err) == 0 &&
              bg_index_flush(ix, &err) == 0,
          "a: %s", err.msg);
    char copy[600];
    snprintf(copy, sizeof copy, "%s.copy.txt", dbpath);
    FILE *f = fopen(copy, "w");
    fputs("alpha beta alpha gamma。\nalpha delta beta。\n", f);
    fclose(f);
    CHECK(bg_ingest_load_opts(copy, NULL, &src, &err) == 0 && src->ndocs == 1 &&
              bg_docrec_build(&sg, src, &src->docs[0], &mem, &r, &err) == 0,
          "the copy's record: %s", err.msg);
    for (k = 1; src && k < 100000; k++) {
        int dup = 0;
        if (bg_index_begin(ix, &err) ||
            bg_index_add_source(ix, copy, src->file_size, &b, &err)) {
            CHECK(0, "unit %d: %s", k, err.msg);
            break;
        }
        fault_calls = 0;
        fault_at = k;
        bg_index_progress(ix, 1, fault_cb, NULL);
        int rc = bg_index_store_document(ix, b, 1, &r, &dup, &err);
        bg_index_progress(ix, 0, NULL, NULL);
        wrong += rc == 0 && !dup;
        failed += rc != 0;
        bg_index_rollback(ix);
        if (fault_calls < k)
            break; /* it ran to the end: every step was interrupted once */
    }
    bg_index_flush(ix, &err);
    CHECK(wrong == 0,
          "an interrupted look-up stored the copy as an original "
          "(%d of %d steps)",
          wrong, k);
    CHECK(failed > 0 && failed < k,
          "some interrupts failed the store (%d "
          "of %d steps)",
          failed, k);
    CHECK(sql_int("SELECT COUNT(*) FROM document") == 1 &&
              sql_int("SELECT COUNT(*) FROM source") == 1,
          "the rolled back units left nothing");
    bg_docrec_free(&r);
    bg_arena_free(&mem);
    bg_ingest_free(src);
    unlink(copy);
    close_and_remove(ix);
}

/* The integer of the first column of sql's first row on db, -1 when
 * there is none. */
static long long sql_count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* A binding SQLite refuses (util_sql.h): a text over the connection's
 * length limit (SQLITE_TOOBIG; lowered here to 100 bytes, as a record
 * file's text of more than 1e9 bytes meets the default) is not stored as
 * NULL: the run fails naming the parameter and the cause, nothing is
 * stored, and the statement runs again once bound right. */
static void bind_failures(void)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    bg_err err = {0};
    char big[201];
    memset(big, 'x', 200);
    big[200] = '\0';
    if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "CREATE TABLE t(a INTEGER, b TEXT); CREATE TABLE u(a "
                     "INTEGER, b TEXT)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        bg_sql_prepare(db, "mem", "INSERT INTO t VALUES (?, ?)", &st, &err)) {
        CHECK(0, "setup: %s", err.msg);
        sqlite3_close(db);
        return;
    }
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 100);
    sqlite3_bind_int64(st, 1, 7);
    sqlite3_bind_text(st, 2, big, -1, SQLITE_STATIC);
    int rc = bg_sql_run(db, "mem", st, &err, "insert t");
    CHECK(rc == BG_ESQLITE, "a text over the limit: run gave %d", rc);
    CHECK(strstr(err.msg, "mem: insert t: parameter 2 of INSERT INTO t") &&
              strstr(err.msg, "not bound: string or blob too big"),
          "the message names the parameter and the cause: %s", err.msg);
    sqlite3_stmt *n = NULL;
    long long rows = -1;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM t", -1, &n, NULL) ==
            SQLITE_OK &&
        sqlite3_step(n) == SQLITE_ROW)
        rows = sqlite3_column_int64(n, 0);
    sqlite3_reset(n);
    CHECK(rows == 0, "nothing stored (%lld rows)", rows);
    /* bound right, the same statement runs */
    sqlite3_bind_int64(st, 1, 8);
    sqlite3_bind_text(st, 2, "short", -1, SQLITE_STATIC);
    rc = bg_sql_run(db, "mem", st, &err, "insert t");
    rows = -1;
    if (sqlite3_step(n) == SQLITE_ROW)
        rows = sqlite3_column_int64(n, 0);
    CHECK(rc == 0 && rows == 1, "then a short text is stored (%d, %lld rows)",
          rc, rows);
    /* a parameter that does not exist (SQLITE_RANGE) */
    sqlite3_bind_int64(st, 3, 1);
    rc = bg_sql_run(db, "mem", st, &err, "insert t");
    CHECK(rc == BG_ESQLITE && strstr(err.msg, "parameter 3 of") &&
              strstr(err.msg, "column index out of range"),
          "parameter 3 of 2: %s", err.msg);
    /* two statements fail to bind before either runs (review-5: only a
     * thread's first failure was kept, so the second statement ran with
     * NULL): each one's step is refused and names its own first failure;
     * the others are counted in the first report */
    sqlite3_stmt *u = NULL;
    if (bg_sql_prepare(db, "mem", "INSERT INTO u VALUES (?, ?)", &u, &err)) {
        CHECK(0, "u: %s", err.msg);
        sqlite3_finalize(n);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return;
    }
    sqlite3_bind_int64(st, 1, 9);
    sqlite3_bind_text(st, 2, big, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, 1); /* a second failure of st: counted */
    sqlite3_bind_int64(u, 1, 10);
    sqlite3_bind_text(u, 2, big, -1, SQLITE_STATIC);
    rc = bg_sql_run(db, "mem", u, &err, "insert u");
    CHECK(rc == BG_ESQLITE &&
              strstr(err.msg, "insert u: parameter 2 of INSERT INTO u") &&
              strstr(err.msg, "string or blob too big (and 2 other bindings "
                              "failed)"),
          "the second statement's failure refuses its step: %d %s", rc,
          err.msg);
    rc = bg_sql_run(db, "mem", st, &err, "insert t");
    CHECK(rc == BG_ESQLITE &&
              strstr(err.msg, "insert t: parameter 2 of INSERT INTO t") &&
              strstr(err.msg, "string or blob too big (and 1 other binding "
                              "failed)"),
          "the first statement's too, naming its first failure: %d %s", rc,
          err.msg);
    long long tr = sql_count(db, "SELECT COUNT(*) FROM t"),
              ur = sql_count(db, "SELECT COUNT(*) FROM u");
    CHECK(tr == 1 && ur == 0, "nothing more stored (t %lld, u %lld rows)", tr,
          ur);
    sqlite3_bind_int64(u, 1, 11);
    sqlite3_bind_text(u, 2, "short", -1, SQLITE_STATIC);
    rc = bg_sql_run(db, "mem", u, &err, "insert u");
    CHECK(rc == 0 && sql_count(db, "SELECT COUNT(*) FROM u") == 1,
          "then u runs bound right (%d: %s)", rc, err.msg);
    sqlite3_finalize(u);
    sqlite3_finalize(n);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

int main(void)
{
    bg_err err = {0};
    if (testdb_stages(&sg, &err)) {
        fprintf(stderr, "stages: %s\n", err.msg);
        return 1;
    }
    RUN(schema);
    RUN(store_document);
    RUN(duplicates);
    RUN(read_back_and_replace);
    RUN(edits);
    RUN(analysis_forms);
    RUN(problem_clauses);
    RUN(remove_source);
    RUN(busy_wait_progress);
    RUN(fts_merge_settings);
    RUN(store_faults);
    RUN(bind_failures);
    testdb_stages_close(&sg);
    return runner_done();
}
