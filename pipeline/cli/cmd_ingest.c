/*
 * cmd_ingest.c - the commands that add to the index and take from it:
 * `ingest` (the stage pipeline, in parallel), `reindex`, with the
 * dictionary records they keep, and `remove`.
 *
 * Ingest runs the CPU stages (decode, normalise, sentences, segmentation,
 * extraction, theme phrases, hashes) for several files at once in
 * threads, each with its own normaliser, segmenter and extractor, into
 * in-memory records; the calling thread is the single SQLite writer and
 * stores the records in input order, one savepoint per file (index.h), so
 * results do not depend on the number of threads. BAOGAO_THREADS = N
 * threads work in all: N - 1 workers and the writer, which runs the stages
 * of the next unclaimed file itself whenever the file it must store next is
 * not ready (so one thread does everything in turn, and on two cores the
 * writer's idle time is not lost: a writer that only waited left one core
 * half idle, and N workers beside it made N + 1 threads fight for N cores).
 * At most WINDOW files (WINDOW_BYTES of them) are held in memory ahead of
 * the writer, and of each file the records of at most RING chunks of its
 * documents (CHUNK_DOCS): the thread that loads a file builds its first
 * chunk, and any thread (a worker, or the writer while it waits) builds
 * the later ones, each once its slot is free; the writer stores them in
 * order, so a record file's ids do not depend on the threads either.
 * BAOGAO_THREAD_TIMES set (benchmarks): each thread's CPU seconds are
 * printed before the summary line.
 *
 * Offsets: byte offsets into the source text, as everywhere.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli.h"
#include "docrec.h"

#include "extract.h"
#include "index.h"
#include "ingest.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WINDOW 32               /* files processed ahead of the writer, */
#define WINDOW_BYTES (32 << 20) /* and their bytes, past the first */
#define MAX_THREADS 8
#define WARNING_BYTES 200    /* of one warning line shown on stderr */
#define BULK_BYTES (1 << 20) /* smallest load that is bulk */
/* the documents of one file whose records are built at once (a chunk): at
 * most CHUNK_DOCS, and no more once they reach CHUNK_BYTES of text; the
 * records of at most RING chunks of a file are held at once (a ring of
 * slots: chunk k in slot k % RING, built once chunk k - RING is stored).
 * A record file of many documents is built and stored chunk by chunk, so
 * that memory does not grow with the file: a record took 13 bytes a byte
 * of its text (peak RSS 231 MB for 12,500 JSONL records of 550 bytes, 402
 * MB for 25,000, when all were held); a file's records now take at most
 * RING * CHUNK_DOCS documents' worth (CHUNK_BYTES: some 13 x 4 MB a
 * slot). The chunks after the first are built by whichever thread is free
 * (10b3f8d had the writer build them, which put a large file's stage work
 * on the one writer thread). */
#define CHUNK_DOCS 1024
#define CHUNK_BYTES (4 << 20)
#define RING 4

/* ---- crash tests --------------------------------------------------------
 * BAOGAO_TEST_KILL=POINT:N makes ingest kill itself with SIGKILL, as a
 * power cut or `kill -9` would, at a point a test cannot hit from outside
 * (tests/crash_test.sh checks what the next ingest makes of it):
 *   unit:N     inside the SQLite writes of the Nth file stored (mid-
 *              transaction: SQLite's progress handler fires during them)
 *   stored:N   right after the Nth file's unit is released (its batch open)
 *   commit:N   right after the Nth batch commits
 *   bulk-index after the last flush of a bulk load, before its index builds
 * and BAOGAO_TEST_INTERRUPT=unit:N interrupts every SQLite statement of the
 * Nth file's unit (SQLITE_INTERRUPT), as a full disk or an I/O error fails
 * them: SQLite then undoes the whole batch, and the files of it stored
 * before must be named as not stored (tests/batch_loss_test.sh).
 * Unset (always, outside tests): nothing. */

static int kill_now(void *payload)
{
    (void)payload;
    raise(SIGKILL);
    return 1;
}

/* Whether environment variable var names point (with count n, 0 for
 * none). */
static int test_point(const char *var, const char *point, size_t n)
{
    const char *e = getenv(var);
    size_t len = strlen(point);
    return e && strncmp(e, point, len) == 0 &&
           (e[len] == ':' ? (size_t)strtoull(e + len + 1, NULL, 10) == n
                          : e[len] == '\0');
}

static int interrupt_now(void *payload)
{
    (void)payload;
    return 1;
}

/* Whether the test asks for a kill at point (with count n, 0 for none);
 * with ix, the kill comes from inside SQLite's next statements. */
static void test_kill(const char *point, size_t n, bg_index *ix)
{
    if (!test_point("BAOGAO_TEST_KILL", point, n))
        return;
    if (ix)
        bg_index_progress(ix, 50, kill_now, NULL);
    else
        raise(SIGKILL);
}

/* ---- records: what a worker computes for the writer --------------------- */

/* One slot of a file's ring: the records of documents [doc0, doc0 + nrec)
 * of the file (chunk `index`), in docs (CHUNK_DOCS at most) and mem. */
typedef struct chunk_slot {
    bg_doc_rec *docs;
    size_t cap, doc0, nrec, index;
    int state; /* SLOT_FREE, SLOT_BUILDING or SLOT_READY (under r->mu) */
    int rc;    /* of the build (SLOT_READY): 0 or an error code, err */
    bg_err err;
    bg_arena mem;
} chunk_slot;

enum { SLOT_FREE, SLOT_BUILDING, SLOT_READY };

typedef struct file_job {
    char *path;    /* as the walk gave it, for messages */
    char *key;     /* absolute (bg_path_absolute): source.path */
    int have_hash; /* a failed load: its bytes' hash, for "unchanged" */
    int named;     /* named on the command line, not found by a walk */
    uint64_t fail_hash;
    int64_t size; /* bytes on disk when the walk found it */
    bg_source *src;
    /* its chunks (after the load): chunk k is documents [cut[k], cut[k +
     * 1]) of src; claimed of them have been taken by a thread to build,
     * stored the writer is done with; building: threads building one now;
     * closed: the writer is done with the file (no chunk is taken after) */
    size_t *cut, nchunks, claimed, stored, building;
    int closed;
    /* RING slots, allocated when the file is loaded and freed when it is
     * written (job_clear): every file of the walk has a file_job, and RING
     * slots each of them (a bg_err apiece, 1.8 KB) took 100 MB at 14,000
     * files, held from the walk to the end */
    chunk_slot *ring;
    int rc, done; /* the load's result (done: loaded or failed, and the
                     first chunk ready) */
    int loaded;   /* loaded and cut: its later chunks can be taken */
    bg_err err;
} file_job;

/* Frees the records of slot s (its docs array stays, for the next). */
static void chunk_free(chunk_slot *s)
{
    for (size_t i = 0; i < s->nrec; i++)
        bg_docrec_free(&s->docs[i]);
    s->nrec = 0;
    bg_arena_free(&s->mem);
}

/* Frees what j holds (no thread may be building one of its chunks). */
static void job_clear(file_job *j)
{
    for (size_t k = 0; j->ring && k < RING; k++) {
        chunk_free(&j->ring[k]);
        free(j->ring[k].docs);
    }
    free(j->ring);
    j->ring = NULL;
    free(j->cut);
    j->cut = NULL;
    j->nchunks = j->claimed = j->stored = 0;
    bg_ingest_free(j->src);
    j->src = NULL;
}

/* Cuts j's documents into chunks (j->cut, j->nchunks): a chunk ends after
 * CHUNK_DOCS documents or once it holds CHUNK_BYTES of text. Depends on
 * the documents alone, so every thread count cuts alike. Allocates j's
 * ring of RING free slots (job_clear frees both). Returns 0 or BG_ENOMEM
 * (j->err). */
static int cut_chunks(file_job *j)
{
    const bg_source *src = j->src;
    size_t n = 0, bytes = 0, in = 0;
    if (!(j->cut = malloc((src->ndocs + 1) * sizeof *j->cut)) ||
        !(j->ring = calloc(RING, sizeof *j->ring)))
        return bg_err_set(&j->err, BG_ENOMEM, "%s: out of memory", j->path);
    for (size_t i = 0; i < src->ndocs; i++) {
        if (in == 0 || in == CHUNK_DOCS || bytes >= CHUNK_BYTES) {
            j->cut[n++] = i;
            in = bytes = 0;
        }
        in++;
        bytes += src->docs[i].end - src->docs[i].start;
    }
    j->nchunks = n;
    j->cut[n] = src->ndocs;
    return 0;
}

/* Builds the records of chunk k of j (j->src loaded and cut) into its
 * slot, ring[k % RING] (free), with stages sg: the slot's doc0, nrec, rc
 * and err, which names the file and the document. Runs without r->mu:
 * the slot is the caller's until it marks it ready. */
static void build_chunk(bg_stages *sg, file_job *j, size_t k)
{
    const bg_source *src = j->src;
    chunk_slot *s = &j->ring[k % RING];
    size_t cap = src->ndocs < CHUNK_DOCS ? src->ndocs : CHUNK_DOCS;
    s->index = k;
    s->doc0 = j->cut[k];
    s->rc = 0;
    if (!s->docs) {
        if (!(s->docs = calloc(cap, sizeof *s->docs))) {
            s->rc =
                bg_err_set(&s->err, BG_ENOMEM, "%s: out of memory", j->path);
            return;
        }
        s->cap = cap;
    }
    for (size_t i = j->cut[k]; i < j->cut[k + 1]; i++) {
        bg_doc_rec *dr = &s->docs[s->nrec++]; /* freed either way */
        memset(dr, 0, sizeof *dr);
        if ((s->rc = bg_docrec_build(sg, src, &src->docs[i], &s->mem, dr,
                                     &s->err))) {
            /* a later stage's message (a rule's match limit) names no
             * file: every failure line must */
            size_t pl = strlen(j->path);
            if (strncmp(s->err.msg, j->path, pl) != 0) {
                char why[sizeof s->err.msg];
                snprintf(why, sizeof why, "%s", s->err.msg);
                bg_err_set(&s->err, s->rc, "%s: document %zu: %.900s", j->path,
                           i + 1, why);
            }
            return;
        }
    }
}

/* Loads j's file and cuts its documents into chunks (cut_chunks). */
static int file_record(const bg_ingest_opts *opts, file_job *j)
{
    int rc = bg_ingest_load_opts(j->path, opts, &j->src, &j->err);
    if (rc && rc != BG_ENOMEM && rc != BG_EIO) {
        /* bytes that do not decode (or a record file these options do not
         * read): the file may be stored already, taken with other options
         * (--on-invalid replace, --encoding, --text-field), and be
         * unchanged since; the writer checks by the bytes' hash */
        char *bytes;
        size_t n;
        bg_err ignore;
        if (bg_read_file(j->path, &bytes, &n, &ignore) == 0) {
            j->fail_hash = bg_hash(bytes, n, BG_HASH_INIT);
            j->have_hash = 1;
            free(bytes);
        }
    }
    if (rc)
        return rc;
    return cut_chunks(j);
}

/* ---- the run: workers and the writer ------------------------------------ */

typedef struct ingest_run {
    const bg_options *o;
    bg_index *ix;
    file_job *jobs;
    size_t njobs, next, written; /* next: first job not claimed */
    int64_t ahead; /* bytes of the jobs claimed and not yet written */
    pthread_mutex_t mu;
    pthread_cond_t ready, room;
    int finished; /* the writer is done: workers stop */
    bg_stages workers[MAX_THREADS];
    size_t nworkers;
    /* BAOGAO_THREAD_TIMES: each thread's CPU seconds and files staged
     * ([0] the writer, whose store_cpu is its SQLite half) */
    int times;
    double cpu[MAX_THREADS], store_cpu, writer_stages;
    size_t staged[MAX_THREADS], chunks[MAX_THREADS];
    /* the writer's counts (of committed files only) and progress bar */
    size_t files, docs, sentences, failed, skipped, unchanged, duplicates;
    /* the batch not yet committed (index.h): its files' paths, each
     * NUL-terminated, and counts; the unit being stored */
    bg_buf pending;
    size_t p_files, p_docs, p_sentences, p_duplicates;
    size_t u_sentences, u_duplicates;
    size_t n_stored, n_commits; /* for BAOGAO_TEST_KILL */
    int tty, shown;
    double t0, last, bytes;
    char *fields; /* the record fields last said (bg_source.fields) */
} ingest_run;

typedef struct worker_arg {
    ingest_run *run;
    bg_stages *sg;
    size_t k; /* its index in run->workers */
} worker_arg;

/* CPU seconds the calling thread has used. */
static double thread_cpu(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whether a thread may claim the next job: one is left and the window has
 * room (the next job to write is always claimed). Called with r->mu
 * held. */
static int can_claim(const ingest_run *r)
{
    return r->next < r->njobs && r->next < r->written + WINDOW &&
           (r->next == r->written || r->ahead < WINDOW_BYTES);
}

/* Every change a thread may wait for (a file loaded, a chunk built or
 * stored, a file written): r->mu held. */
static void changed(ingest_run *r)
{
    pthread_cond_broadcast(&r->ready);
    pthread_cond_broadcast(&r->room);
}

/* Builds chunk k of j, which the caller has just claimed (j->claimed
 * counts it), with stages sg, those of thread t, and marks it ready (r->mu
 * held on entry and on return; released meanwhile). */
static void run_chunk(ingest_run *r, bg_stages *sg, size_t t, file_job *j,
                      size_t k)
{
    chunk_slot *s = &j->ring[k % RING];
    s->state = SLOT_BUILDING;
    j->building++;
    r->chunks[t]++;
    pthread_mutex_unlock(&r->mu);
    build_chunk(sg, j, k);
    pthread_mutex_lock(&r->mu);
    s->state = SLOT_READY;
    j->building--;
    changed(r);
}

/* Loads the next job's file with stages sg, those of thread t, and builds
 * its first chunk (r->mu held on entry and on return; released
 * meanwhile): the job is done once loaded (its later chunks can be taken
 * from then on) and its first chunk ready. */
static void run_next(ingest_run *r, bg_stages *sg, size_t t)
{
    file_job *j = &r->jobs[r->next++];
    r->staged[t]++;
    r->ahead += j->size;
    pthread_mutex_unlock(&r->mu);
    int rc = file_record(&r->o->ingest, j);
    pthread_mutex_lock(&r->mu);
    j->rc = rc;
    j->loaded = rc == 0;
    if (rc == 0 && j->nchunks) {
        j->claimed = 1;
        changed(r); /* its chunks 1 .. RING - 1 can be taken */
        run_chunk(r, sg, t, j, 0);
        r->chunks[t]--; /* counted as the file's */
    }
    j->done = 1;
    changed(r);
}

/* Finds work for a thread (r->mu held): the first chunk that can be built
 * of a loaded file not yet written (*j, *k: its slot is free, as chunk k -
 * RING is stored), else the next file when one may be claimed (*j NULL).
 * Returns 1 when there is work, else 0. Files nearer the writer come
 * first, so that it waits least. */
static int find_work(ingest_run *r, file_job **j, size_t *k)
{
    for (size_t i = r->written; i < r->next; i++) {
        file_job *f = &r->jobs[i];
        if (f->loaded && !f->closed && f->claimed < f->nchunks &&
            f->claimed < f->stored + RING) {
            *j = f;
            *k = f->claimed++;
            return 1;
        }
    }
    *j = NULL;
    return can_claim(r);
}

/* Does the work find_work found, with stages sg of thread t (r->mu held
 * on entry and on return). */
static void run_work(ingest_run *r, bg_stages *sg, size_t t, file_job *j,
                     size_t k)
{
    double c0 = t == 0 && r->times ? thread_cpu() : 0;
    if (j)
        run_chunk(r, sg, t, j, k);
    else
        run_next(r, sg, t);
    if (t == 0 && r->times)
        r->writer_stages += thread_cpu() - c0;
}

static void *worker(void *p)
{
    worker_arg *wa = p;
    ingest_run *r = wa->run;
    file_job *j;
    size_t k;
    pthread_mutex_lock(&r->mu);
    while (!r->finished) {
        if (find_work(r, &j, &k))
            run_work(r, wa->sg, wa->k, j, k);
        else
            pthread_cond_wait(&r->room, &r->mu);
    }
    r->cpu[wa->k] = thread_cpu();
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* The writer's wait for chunk k of j (r->mu not held): while it is not
 * ready the writer does what work there is (that chunk first, when nobody
 * has taken it), with its stages sg. Returns the chunk's slot. */
static chunk_slot *wait_chunk(ingest_run *r, file_job *j, size_t k,
                              bg_stages *sg)
{
    chunk_slot *s = &j->ring[k % RING];
    file_job *wj;
    size_t wk;
    pthread_mutex_lock(&r->mu);
    while (!(j->claimed > k && s->state == SLOT_READY && s->index == k)) {
        if (find_work(r, &wj, &wk))
            run_work(r, sg, 0, wj, wk);
        else
            pthread_cond_wait(&r->ready, &r->mu);
    }
    pthread_mutex_unlock(&r->mu);
    return s;
}

/* The writer is done with chunk k of j: its slot is freed for chunk k +
 * RING (r->mu not held). */
static void chunk_stored(ingest_run *r, file_job *j, size_t k)
{
    chunk_slot *s = &j->ring[k % RING];
    chunk_free(s);
    pthread_mutex_lock(&r->mu);
    s->state = SLOT_FREE;
    j->stored = k + 1;
    changed(r);
    pthread_mutex_unlock(&r->mu);
}

/* The writer is done with j: no chunk of it is taken after this, and once
 * no thread builds one, what it holds is freed (r->mu not held). */
static void job_close(ingest_run *r, file_job *j)
{
    pthread_mutex_lock(&r->mu);
    j->closed = 1;
    while (j->building)
        pthread_cond_wait(&r->ready, &r->mu);
    pthread_mutex_unlock(&r->mu);
    job_clear(j);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* On a terminal, one self-overwriting line on stderr: files and MB done,
 * MB/s; at most five updates a second. Nothing when stderr is not a
 * terminal. clear: erase the line (before a message is printed). */
static void progress(ingest_run *r, const bg_source *src, int clear)
{
    if (!r->tty)
        return;
    if (clear) {
        if (r->shown)
            fputs("\r\033[K", stderr);
        r->shown = 0;
        return;
    }
    if (src)
        r->bytes += (double)src->file_size;
    double t = now_seconds();
    if (r->t0 == 0)
        r->t0 = t;
    if (t - r->last < 0.2)
        return;
    r->last = t;
    fprintf(stderr, "\r\033[K%zu files, %.1f MB, %.1f MB/s", r->files,
            r->bytes / 1e6, t > r->t0 ? r->bytes / 1e6 / (t - r->t0) : 0);
    r->shown = 1;
}

/* Stores one document's record (index.h bg_index_store_document),
 * counting its sentences or its being a duplicate. */
static int store_document(ingest_run *r, int64_t source_id, int seq,
                          const bg_doc_rec *dr, bg_err *err)
{
    int dup;
    int rc = bg_index_store_document(r->ix, source_id, seq, dr, &dup, err);
    if (rc == 0 && dup)
        r->u_duplicates++;
    else if (rc == 0)
        r->u_sentences += dr->ns;
    return rc;
}

/* The batch committed: its files count as ingested. */
static void batch_done(ingest_run *r)
{
    r->files += r->p_files;
    r->docs += r->p_docs;
    r->sentences += r->p_sentences;
    r->duplicates += r->p_duplicates;
    r->p_files = r->p_docs = r->p_sentences = r->p_duplicates = 0;
    r->pending.len = 0;
}

static void progress(ingest_run *r, const bg_source *src, int clear);

/* The batch's commit failed (a full disk, an I/O error): every file of it
 * is lost, and each is named (issue 13, R3: "ingested 118 files" was
 * printed when none was stored). */
static void batch_lost(ingest_run *r, const bg_err *why)
{
    progress(r, NULL, 1);
    for (size_t i = 0; i < r->pending.len;) {
        const char *path = r->pending.data + i;
        bg_output_message(stderr, "baogao: %s: not stored: %s (file skipped)",
                          path, why->msg);
        i += strlen(path) + 1;
    }
    r->failed += r->p_files;
    r->p_files = r->p_docs = r->p_sentences = r->p_duplicates = 0;
    r->pending.len = 0;
}

/* Whether job j's file is stored with the hash of its bytes file_hash:
 * 1 yes, 0 no, or an error code. A database of an earlier version holds
 * the path as typed: it is moved to the absolute key first. */
static int stored_unchanged(ingest_run *r, const file_job *j,
                            uint64_t file_hash, bg_err *err)
{
    char hash[17];
    int rc;
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)file_hash);
    if (strcmp(j->path, j->key) != 0 &&
        (rc = bg_index_rename_source(r->ix, j->path, j->key, err)))
        return rc;
    return bg_index_source_unchanged(r->ix, j->key, hash);
}

/* Stores one file's records (the writer's half of the work), chunk by
 * chunk as they are ready (wait_chunk: the writer builds one itself, with
 * its stages sg, when it would otherwise wait). */
static int store_file(ingest_run *r, file_job *j, bg_stages *sg, bg_err *err)
{
    bg_source *src = j->src;
    int64_t source_id;
    char hash[17];
    int rc = stored_unchanged(r, j, src->file_hash, err);
    if (rc < 0)
        return rc;
    if (rc) {
        r->unchanged++;
        return 0;
    }
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)src->file_hash);
    if (src->warnings) {
        /* one line per warning, naming the file */
        progress(r, NULL, 1);
        for (const char *w = src->warnings; *w;) {
            size_t n = strcspn(w, "\n"), shown = n;
            /* a long list of repaired ranges is cut on the terminal (at a
             * character boundary); the database keeps it whole */
            if (shown > WARNING_BYTES) {
                shown = WARNING_BYTES;
                while (shown > 0 && ((unsigned char)w[shown] & 0xC0) == 0x80)
                    shown--;
            }
            bg_output_message(
                stderr, "baogao: %s: warning: %.*s%s", j->path, (int)shown, w,
                shown < n ? " … (whole list in source.warnings)" : "");
            w += n + (w[n] == '\n');
        }
    }
    if (src->fields && !(r->fields && strcmp(r->fields, src->fields) == 0)) {
        /* which record fields gave the text (said again when it changes) */
        progress(r, NULL, 1);
        for (const char *w = src->fields; *w;) {
            size_t n = strcspn(w, "\n");
            bg_output_message(stderr, "baogao: %s: fields: %.*s", j->path,
                              (int)n, w);
            w += n + (w[n] == '\n');
        }
        free(r->fields);
        r->fields = strdup(src->fields); /* NULL: said again next time */
    }
    if ((rc = bg_index_begin(r->ix, err)))
        return rc;
    r->u_sentences = r->u_duplicates = 0;
    test_kill("unit", ++r->n_stored, r->ix);
    int interrupt = test_point("BAOGAO_TEST_INTERRUPT", "unit", r->n_stored);
    if (interrupt)
        bg_index_progress(r->ix, 1, interrupt_now, NULL);
    if ((rc = bg_index_add_source(r->ix, j->key, src->file_size, &source_id,
                                  err)) ||
        (rc = bg_index_source_info(
             r->ix, source_id, hash, bg_src_format_name(src->format),
             src->encoding, src->confidence, src->derived ? src->bytes : NULL,
             src->len, src->warnings, err)) ||
        (rc = bg_index_add_repairs(r->ix, source_id, &src->repairs, err)))
        goto fail;
    for (size_t k = 0; k < j->nchunks; k++) {
        chunk_slot *s = wait_chunk(r, j, k, sg);
        if (s->rc) {
            rc = s->rc;
            *err = s->err;
            goto fail;
        }
        for (size_t i = 0; i < s->nrec; i++)
            if ((rc = store_document(r, source_id, (int)(s->doc0 + i) + 1,
                                     &s->docs[i], err)))
                goto fail;
        chunk_stored(r, j, k);
    }
    /* the file joins the batch; it counts once the batch commits */
    if (bg_buf_add(&r->pending, j->path, strlen(j->path) + 1)) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", j->path);
        goto fail;
    }
    r->p_files++;
    r->p_docs += src->ndocs;
    r->p_sentences += r->u_sentences;
    r->p_duplicates += r->u_duplicates;
    if ((rc = bg_index_commit(r->ix, err))) {
        if (!bg_index_in_batch(r->ix)) {
            batch_lost(r, err); /* this file included */
            return BG_ESKIP;    /* reported */
        }
        /* only the unit failed: the file leaves the batch */
        r->p_files--;
        r->p_docs -= src->ndocs;
        r->p_sentences -= r->u_sentences;
        r->p_duplicates -= r->u_duplicates;
        r->pending.len -= strlen(j->path) + 1;
        goto fail;
    }
    test_kill("stored", r->n_stored, NULL);
    if (!bg_index_in_batch(r->ix)) {
        batch_done(r);
        test_kill("commit", ++r->n_commits, NULL);
    }
    return 0;
fail:
    if (interrupt)
        bg_index_progress(r->ix, 0, NULL, NULL);
    bg_index_rollback(r->ix);
    /* an error that made SQLite undo the whole transaction (a full disk,
     * an I/O error, an interrupt inside an INSERT), not just this unit:
     * the files stored before in this batch are lost too, and are named
     * (they were counted as ingested at the next commit) */
    if (!bg_index_in_batch(r->ix) && r->p_files)
        batch_lost(r, err);
    /* the index's message names the database: the line names the file */
    if (strncmp(err->msg, j->path, strlen(j->path)) != 0) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        bg_err_set(err, rc, "%s: not stored: %.900s", j->path, why);
    }
    return rc;
}

/* Reports a file that could not be taken. A file a walk passes over
 * (binary data: BG_ESKIP) is skipped; one named on the command line is
 * refused, a failure: a script must see that nothing went in. */
static void report_failure(ingest_run *r, const bg_err *e, int named)
{
    progress(r, NULL, 1);
    if (e->code == BG_ESKIP && !named) {
        bg_output_message(stderr, "baogao: %s", e->msg); /* binary: refused */
        r->skipped++;
        return;
    }
    const char *skip =
        e->code == BG_ESKIP ? strstr(e->msg, ": skipped: ") : NULL;
    if (skip) /* "path: skipped: binary data ..." said of a named file */
        bg_output_message(stderr, "baogao: %.*s: refused: %s",
                          (int)(skip - e->msg), e->msg, skip + 11);
    else
        bg_output_message(stderr, "baogao: %s (file %s)", e->msg,
                          e->code == BG_ESKIP ? "refused" : "skipped");
    r->failed++;
}

typedef struct walk_list {
    ingest_run *r;
    file_job *jobs;
    size_t n, cap;
    int oom;
    int named;     /* walking a path named on the command line that is no
                      directory */
    int64_t bytes; /* sizes of the files found */
    char *db;      /* the database's absolute path (bg_path_absolute) */
} walk_list;

/* 1 when path is the database being written or one of SQLite's files
 * beside it (-wal, -shm, -journal): a walk of the directory holding the
 * database passes over them without a word. */
static int own_database(const walk_list *w, const char *path)
{
    static const char *const side[] = {"", "-wal", "-shm", "-journal"};
    char *abs = w->db ? bg_path_absolute(path) : NULL;
    int own = 0;
    size_t n = w->db ? strlen(w->db) : 0;
    for (size_t k = 0; abs && !own && k < sizeof side / sizeof *side; k++)
        own = strncmp(abs, w->db, n) == 0 && strcmp(abs + n, side[k]) == 0;
    free(abs);
    return own;
}

static int collect(const char *path, const bg_err *problem, void *payload)
{
    walk_list *w = payload;
    if (problem && problem->code == BG_ESKIP && !w->named &&
        own_database(w, path))
        return 0;
    if (problem) {
        bg_output_message(stderr, "baogao: %s", problem->msg);
        /* what a walk passes over is skipped; a path named on the command
         * line that cannot be read (a FIFO, a dangling link) failed */
        if (problem->code == BG_ESKIP && !w->named)
            w->r->skipped++;
        else
            w->r->failed++;
        return problem->code == BG_ENOMEM ? BG_ENOMEM : 0;
    }
    if (BG_RESERVE(w->jobs, w->cap, w->n + 1))
        return w->oom = BG_ENOMEM;
    memset(&w->jobs[w->n], 0, sizeof *w->jobs);
    w->jobs[w->n].named = w->named;
    if (!(w->jobs[w->n].path = strdup(path)) ||
        !(w->jobs[w->n].key = bg_path_absolute(path))) {
        free(w->jobs[w->n].path);
        return w->oom = BG_ENOMEM;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        w->jobs[w->n].size = (int64_t)st.st_size;
        w->bytes += (int64_t)st.st_size;
    }
    w->n++;
    return 0;
}

/* Threads that run the stages, the writer included: $BAOGAO_THREADS,
 * else one per online processor (1 to MAX_THREADS). */
static size_t thread_count(void)
{
    const char *e = getenv("BAOGAO_THREADS");
    long n = e && *e ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > MAX_THREADS ? MAX_THREADS : (size_t)n;
}

/* ---- dictionaries ------------------------------------------------------ */

/* Opens a segmenter with the user dictionaries of `joined` (absolute paths
 * separated by newlines; NULL or "" for none). */
static int open_segmenter_paths(const char *joined, bg_normaliser *norm,
                                bg_segmenter **seg, bg_err *err)
{
    const char *v[64];
    size_t n = 0;
    char *copy = joined && *joined ? strdup(joined) : NULL;
    if (joined && *joined && !copy)
        return bg_err_set(err, BG_ENOMEM, "out of memory");
    bg_split_lines(copy, v, 64, &n);
    bg_segment_opts so = {NULL, v, n, 0, norm, BG_COARSE};
    int rc = bg_segment_open_with(seg, &so, err);
    free(copy);
    return rc;
}

/* Opens the segmenter of a command that writes the index: with the --dict
 * files when given (recorded, as absolute paths, in meta user_dicts), else
 * with the user dictionaries recorded by an earlier ingest. */
static int open_write_segmenter(const bg_options *o, bg_index *ix,
                                bg_normaliser *norm, bg_segmenter **seg,
                                bg_err *err)
{
    char *recorded = NULL, *joined = NULL;
    const char *v[64];
    size_t n = 0;
    bg_buf paths = {0};
    int rc;
    if (o->ndicts > 64)
        return bg_err_set(err, BG_EUSAGE, "at most 64 --dict files");
    if (o->ndicts) {
        for (size_t i = 0; i < o->ndicts; i++) {
            char *abs = realpath(o->dicts[i], NULL);
            if (!abs) {
                rc = bg_err_set(err, BG_EIO, "%s: %s", o->dicts[i],
                                strerror(errno));
                goto cleanup;
            }
            rc = bg_buf_printf(&paths, "%s%s", i ? "\n" : "", abs);
            free(abs);
            if (rc) {
                rc = bg_err_set(err, BG_ENOMEM, "out of memory");
                goto cleanup;
            }
        }
    } else if ((rc = bg_index_get_meta(ix, "user_dicts", &recorded, err))) {
        goto cleanup;
    } else if (recorded && bg_buf_puts(&paths, recorded)) {
        rc = bg_err_set(err, BG_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (paths.data && !(joined = strdup(paths.data))) {
        rc = bg_err_set(err, BG_ENOMEM, "out of memory");
        goto cleanup;
    }
    bg_split_lines(paths.data, v, 64, &n);
    bg_segment_opts so = {NULL, v, n, 0, norm, BG_COARSE};
    if ((rc = bg_segment_open_with(seg, &so, err))) {
        if (rc == BG_EIO && !o->ndicts) {
            char why[700];
            snprintf(why, sizeof why, "%.600s", err->msg);
            bg_err_set(err, rc,
                       "%s (a user dictionary recorded in the database): "
                       "restore it, or name the dictionaries to use with "
                       "--dict and run `baogao reindex`",
                       why);
        }
        goto cleanup;
    }
    /* entries loaded, lines that read two ways (never silent) */
    bg_output_lines(stderr, "baogao: ", bg_segment_notes(*seg));
    rc = bg_index_set_meta(ix, "user_dicts", joined ? joined : "", err);
cleanup:
    free(joined);
    free(recorded);
    bg_buf_free(&paths);
    return rc;
}

/* Records the segmenter's dictionaries, or warns when they differ from
 * those that made the terms already stored (keeping the old record, so the
 * warning stays until `baogao reindex`). */
static int record_dicts(bg_index *ix, bg_segmenter *seg, int force, bg_err *err)
{
    char *old = NULL;
    int rc = bg_index_get_meta(ix, "dict_id", &old, err);
    if (rc)
        return rc;
    const char *now = bg_segment_dict_id(seg);
    if (old && !force && strcmp(old, now) != 0)
        bg_output_message(
            stderr,
            "baogao: warning: the index was segmented with dictionaries "
            "%s, the current ones are %s: run `baogao reindex`",
            old, now);
    else
        rc = bg_index_set_meta(ix, "dict_id", now, err);
    free(old);
    if (rc == 0)
        rc = bg_index_set_meta(ix, "segmenter",
                               "lattice: jieba dict.txt + dict/domain.txt "
                               "(+ user dictionaries), ICU word break",
                               err);
    return rc;
}

/* ---- reindex ----------------------------------------------------------- */

/* One document's re-segmentation: its term counts and sizes, and its
 * sentences' new terms (stored after the counts: they refer to term ids,
 * which the counts assign in the order a first ingest does). */
typedef struct resegment {
    bg_index *ix;
    bg_segmenter *seg;
    bg_buf terms;
    bg_counter counter;
    size_t ntok, ns;
    bg_buf all;    /* the sentences' terms texts, each NUL-terminated */
    int64_t *sids; /* their sentence ids */
    size_t sids_cap;
    bg_err *err;
} resegment;

static int resegment_sentence(const bg_stored_sentence *x, void *payload)
{
    resegment *r = payload;
    size_t ntok = 0;
    int rc = bg_docrec_terms(r->seg, x->norm, x->norm_len, &r->terms,
                             &r->counter, &ntok, r->err);
    if (rc == 0 && (BG_RESERVE(r->sids, r->sids_cap, r->ns + 1) ||
                    bg_buf_add(&r->all, r->terms.data ? r->terms.data : "",
                               r->terms.len + 1)))
        rc = bg_err_set(r->err, BG_ENOMEM, "out of memory");
    if (rc == 0)
        r->sids[r->ns] = x->id;
    r->ntok += ntok;
    r->ns++;
    return rc;
}

/* Re-segments document doc in one unit. */
static int resegment_document(resegment *r, int64_t doc)
{
    bg_err *err = r->err;
    int rc;
    r->ntok = r->ns = 0;
    memset(&r->counter, 0, sizeof r->counter);
    if ((rc = bg_index_begin(r->ix, err)) ||
        (rc = bg_index_clear_terms(r->ix, doc, err)))
        return rc;
    r->all.len = 0;
    rc = bg_index_each_sentence(r->ix, doc, resegment_sentence, r, err);
    if (rc == 0 && bg_counter_finish(&r->counter))
        rc = bg_err_set(err, BG_ENOMEM, "out of memory");
    if (rc == 0)
        rc = bg_index_add_terms(r->ix, doc, &r->counter, err);
    for (size_t i = 0, at = 0; i < r->ns && rc == 0; i++) {
        rc = bg_index_set_terms(r->ix, r->sids[i], r->all.data + at, err);
        at += strlen(r->all.data + at) + 1;
    }
    if (rc == 0)
        rc = bg_index_finish_document(r->ix, doc, r->ns, r->ntok, err);
    bg_counter_free(&r->counter);
    if (rc == 0)
        rc = bg_index_commit(r->ix, err);
    if (rc)
        bg_index_rollback(r->ix);
    return rc;
}

/* Re-segments every stored sentence (its analysis form, sentence.norm)
 * with the current dictionaries: terms, term counts and the FTS index are
 * rebuilt, one transaction per document. */
int bg_cmd_reindex(const bg_command *cmd, const bg_options *o)
{
    (void)cmd;
    bg_normaliser *norm = NULL;
    bg_err err = {0};
    resegment r = {0};
    bg_stored_doc *docs = NULL;
    size_t ndocs = 0, nsent = 0;
    int status = 1;
    struct stat sb;
    r.err = &err;
    if (stat(o->db, &sb) != 0) {
        bg_output_message(stderr, "baogao: %s: no database here", o->db);
        return 1;
    }
    if (bg_index_open(&r.ix, o->db, o->take_over ? BG_INDEX_TAKE_OVER : 0,
                      &err) ||
        bg_normalise_open(&norm, &err) ||
        open_write_segmenter(o, r.ix, norm, &r.seg, &err) ||
        bg_index_documents(r.ix, 0, 0, 0, &docs, &ndocs, &err))
        goto fail;
    for (size_t i = 0; i < ndocs; i++) {
        if (resegment_document(&r, docs[i].id))
            goto fail;
        nsent += r.ns;
    }
    if (bg_index_flush(r.ix, &err) || record_dicts(r.ix, r.seg, 1, &err))
        goto fail;
    bg_output_message(stderr,
                      "baogao: re-segmented %zu documents (%zu sentences) with "
                      "dictionaries %s",
                      ndocs, nsent, bg_segment_dict_id(r.seg));
    status = 0;
    goto cleanup;
fail:
    bg_output_message(stderr, "baogao reindex: %s", err.msg);
cleanup:
    free(docs);
    bg_buf_free(&r.terms);
    bg_buf_free(&r.all);
    free(r.sids);
    bg_segment_close(r.seg);
    bg_normalise_close(norm);
    bg_index_close(r.ix);
    return status;
}

/* ---- remove ------------------------------------------------------------- */

/* Deletes each argument (document id, source path or directory). */
int bg_cmd_remove(const bg_command *cmd, const bg_options *o)
{
    (void)cmd;
    bg_index *ix = NULL;
    bg_err err = {0};
    int status = 0;
    struct stat sb;
    if (stat(o->db, &sb) != 0) {
        bg_output_message(stderr, "baogao: %s: no database here", o->db);
        return 1;
    }
    if (bg_index_open(&ix, o->db, o->take_over ? BG_INDEX_TAKE_OVER : 0,
                      &err)) {
        bg_output_message(stderr, "baogao: %s", err.msg);
        return 1;
    }
    for (int i = 0; i < o->nargs; i++) {
        size_t ns, nd;
        if (!*o->args[i]) { /* an unset variable: never "everything here" */
            bg_output_message(stderr, "baogao remove: an empty argument names "
                                      "nothing; give a document id or a path");
            status = 1;
            continue;
        }
        /* a path as stored (absolute), else as typed (databases of
         * earlier versions stored it so) */
        char *abs = bg_path_absolute(o->args[i]);
        int rc = bg_index_remove(ix, abs ? abs : o->args[i], &ns, &nd, &err);
        if (rc == 0 && nd == 0 && ns == 0 && abs)
            rc = bg_index_remove(ix, o->args[i], &ns, &nd, &err);
        free(abs);
        if (rc) {
            bg_output_message(stderr, "baogao: %s", err.msg);
            status = 1;
        } else if (nd == 0 && ns == 0) {
            bg_output_message(stderr, "baogao: %s: no such document or source",
                              o->args[i]);
            status = 1;
        } else {
            bg_output_message(
                stderr, "baogao: removed %s: %zu source%s, %zu document%s",
                o->args[i], ns, ns == 1 ? "" : "s", nd, nd == 1 ? "" : "s");
        }
    }
    bg_index_close(ix);
    return status;
}

/* ---- ingest ------------------------------------------------------------- */

static void close_stages(bg_stages *sg)
{
    bg_extract_close(sg->ext);
    bg_segment_close(sg->seg);
    bg_normalise_close(sg->norm);
    memset(sg, 0, sizeof *sg);
}

/* Opens the index, records the dictionaries and the normaliser, and each
 * worker's stages (segmenters with the recorded user dictionaries, *paths
 * malloc'd; the first worker's rule-loading notes appended to *notes).
 * Returns 0 or an error (err). */
static int open_run(ingest_run *r, const bg_options *o, bg_normaliser **norm0,
                    bg_segmenter **seg0, char **paths, bg_buf *notes,
                    bg_err *err)
{
    if (bg_index_open(&r->ix, o->db, o->take_over ? BG_INDEX_TAKE_OVER : 0,
                      err) ||
        bg_normalise_open(norm0, err) ||
        open_write_segmenter(o, r->ix, *norm0, seg0, err) ||
        record_dicts(r->ix, *seg0, 0, err) ||
        bg_index_get_meta(r->ix, "user_dicts", paths, err) ||
        bg_index_set_meta(r->ix, "normaliser",
                          "pinyin-cut+nfkc_cf+Traditional-Simplified", err))
        return -1;
    r->nworkers = thread_count();
    for (size_t i = 0; i < r->nworkers; i++) {
        bg_stages *sg = &r->workers[i];
        if (bg_normalise_open(&sg->norm, err) ||
            open_segmenter_paths(*paths, sg->norm, &sg->seg, err) ||
            bg_extract_load(&sg->ext, o->rules_dir, i ? NULL : notes, err))
            return -1;
    }
    return 0;
}

/* A load at least as large as what the database holds (and BULK_BYTES)
 * is bulk (index.h bg_index_bulk_begin); new_only when no file of it is
 * stored. Returns 0 or BG_ESQLITE. */
static int start_bulk(ingest_run *r, const walk_list *w, bg_err *err)
{
    int64_t held;
    int rc = bg_index_text_bytes(r->ix, &held, err);
    if (rc || w->bytes < BULK_BYTES || w->bytes < held)
        return rc;
    int new_only = 1;
    for (size_t i = 0; i < w->n && new_only; i++)
        new_only = !bg_index_has_source(r->ix, w->jobs[i].key);
    return bg_index_bulk_begin(r->ix, new_only, err);
}

/* The writer: each job, in input order, as soon as it is done: stored,
 * counted unchanged, or reported. While the next one is not done, the
 * writer runs the stages of the next unclaimed job itself (with the
 * stages sg), if the window has room. */
static void write_jobs(ingest_run *r, bg_stages *sg)
{
    for (size_t i = 0; i < r->njobs; i++) {
        file_job *j = &r->jobs[i], *wj;
        size_t wk;
        pthread_mutex_lock(&r->mu);
        while (!j->done) {
            if (find_work(r, &wj, &wk))
                run_work(r, sg, 0, wj, wk);
            else
                pthread_cond_wait(&r->ready, &r->mu);
        }
        pthread_mutex_unlock(&r->mu);
        double t0 = r->times ? thread_cpu() : 0, w0 = r->writer_stages;
        if (j->rc && j->have_hash &&
            stored_unchanged(r, j, j->fail_hash, NULL) == 1) {
            r->unchanged++; /* stored before, with other options */
        } else if (j->rc) {
            report_failure(r, &j->err, j->named);
        } else {
            bg_err e = {0};
            int st = store_file(r, j, sg, &e);
            if (st == BG_ESKIP)
                ; /* the batch was lost and every file of it named */
            else if (st)
                report_failure(r, &e, j->named);
            else
                progress(r, j->src, 0);
        }
        job_close(r, j);
        if (r->times)
            r->store_cpu += thread_cpu() - t0 - (r->writer_stages - w0);
        pthread_mutex_lock(&r->mu);
        r->written = i + 1;
        r->ahead -= j->size;
        changed(r);
        pthread_mutex_unlock(&r->mu);
    }
    pthread_mutex_lock(&r->mu);
    r->finished = 1;
    changed(r);
    pthread_mutex_unlock(&r->mu);
}

/* With BAOGAO_THREAD_TIMES set: one line per thread, its CPU seconds, the
 * files it loaded and ran the stages of the first chunk of, and the later
 * chunks it built (the writer's SQLite share apart), so
 * that a benchmark on a shared machine can tell the critical path (the
 * busiest thread) from the wall time others' load stretches. */
static void print_thread_times(const ingest_run *r, size_t threads)
{
    bg_output_message(stderr,
                      "baogao: thread times: writer %.2f s CPU (storing "
                      "%.2f s, stages of %zu files, %zu later chunks)",
                      r->cpu[0], r->store_cpu, r->staged[0], r->chunks[0]);
    for (size_t k = 1; k < threads; k++)
        bg_output_message(stderr,
                          "baogao: thread times: worker %zu %.2f s CPU "
                          "(stages of %zu files, %zu later chunks)",
                          k, r->cpu[k], r->staged[k], r->chunks[k]);
}

/* The last line: what went into db. */
static void print_summary(const ingest_run *r, const char *db)
{
    char unchanged[48] = "", dups[80] = "";
    if (r->unchanged)
        snprintf(unchanged, sizeof unchanged, ", %zu unchanged", r->unchanged);
    if (r->duplicates)
        snprintf(dups, sizeof dups,
                 ", %zu duplicate document%s (not counted again)",
                 r->duplicates, r->duplicates == 1 ? "" : "s");
    bg_output_message(stderr,
                      "baogao: ingested %zu file%s (%zu document%s, %zu "
                      "sentence%s) into %s; %zu failed, %zu skipped%s%s",
                      r->files, r->files == 1 ? "" : "s", r->docs,
                      r->docs == 1 ? "" : "s", r->sentences,
                      r->sentences == 1 ? "" : "s", db, r->failed, r->skipped,
                      unchanged, dups);
}

int bg_cmd_ingest(const bg_command *cmd, const bg_options *o)
{
    (void)cmd;
    ingest_run r = {0};
    walk_list w = {&r, NULL, 0, 0, 0, 0, 0, NULL};
    bg_buf notes = {0};
    bg_err err = {0};
    bg_normaliser *norm0 = NULL;
    bg_segmenter *seg0 = NULL;
    char *paths = NULL;
    pthread_t tid[MAX_THREADS];
    worker_arg wa[MAX_THREADS];
    size_t started = 0;
    int status = 1, sync_ok = 0;
    if (o->nargs < 1) {
        bg_output_message(stderr,
                          "baogao ingest: give at least one file or directory "
                          "(see baogao ingest --help)");
        return 2;
    }
    /* no path that exists (a mistyped directory): say so for each and
     * leave the database as it was, not made empty where none was */
    int any = 0;
    for (int i = 0; i < o->nargs && !any; i++) {
        struct stat st;
        any = lstat(o->args[i], &st) == 0;
    }
    if (!any) {
        for (int i = 0; i < o->nargs; i++) {
            struct stat st;
            int e = lstat(o->args[i], &st) == 0 ? 0 : errno;
            bg_output_message(stderr, "baogao: %s: %s", o->args[i],
                              strerror(e));
        }
        bg_output_message(stderr,
                          "baogao: nothing to ingest; %s not changed (or "
                          "made)",
                          o->db);
        return 1;
    }
    r.o = o;
    r.tty = isatty(2);
    if (open_run(&r, o, &norm0, &seg0, &paths, &notes, &err))
        goto fail;
    bg_output_lines(stderr, "baogao: warning: ", notes.data);
    if (!(w.db = bg_path_absolute(o->db))) {
        bg_err_set(&err, BG_ENOMEM, "out of memory");
        goto fail;
    }
    for (int i = 0; i < o->nargs; i++) {
        struct stat st;
        w.named = !(stat(o->args[i], &st) == 0 && S_ISDIR(st.st_mode));
        if (bg_ingest_walk(o->args[i], collect, &w) == BG_ENOMEM || w.oom) {
            bg_err_set(&err, BG_ENOMEM, "out of memory");
            goto fail;
        }
    }
    r.jobs = w.jobs;
    r.njobs = w.n;
    if (start_bulk(&r, &w, &err))
        goto fail;
    if (pthread_mutex_init(&r.mu, NULL) || pthread_cond_init(&r.ready, NULL) ||
        pthread_cond_init(&r.room, NULL)) {
        bg_err_set(&err, BG_ENOMEM, "cannot create thread primitives");
        goto fail;
    }
    sync_ok = 1;
    /* stages 0 are the writer's; a worker that cannot start leaves its
     * share to the others */
    r.times = getenv("BAOGAO_THREAD_TIMES") != NULL;
    for (size_t i = 1; i < r.nworkers && r.njobs; i++) {
        wa[started] = (worker_arg){&r, &r.workers[i], i};
        if (pthread_create(&tid[started], NULL, worker, &wa[started]) != 0)
            break;
        started++;
    }
    write_jobs(&r, &r.workers[0]);
    for (size_t i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    progress(&r, NULL, 1);
    if (bg_index_flush(r.ix, &err))
        batch_lost(&r, &err);
    else
        batch_done(&r);
    test_kill("bulk-index", 0, r.ix);
    int index_failed = 0;
    if (bg_index_bulk_end(r.ix, &err)) {
        /* every file is stored; the indexes are left to the next open
         * (an error of the run, not a file: the summary's "failed" counts
         * files not stored) */
        bg_output_message(stderr, "baogao: %s", err.msg);
        index_failed = 1;
    }
    r.cpu[0] = thread_cpu();
    if (r.times)
        print_thread_times(&r, started + 1);
    print_summary(&r, o->db);
    status = r.failed || index_failed ? 1 : 0;
    goto cleanup;
fail:
    bg_output_message(stderr, "baogao: %s", err.msg);
cleanup:
    bg_buf_free(&notes);
    for (size_t i = 0; i < w.n; i++) {
        job_clear(&w.jobs[i]);
        free(w.jobs[i].path);
        free(w.jobs[i].key);
    }
    free(w.jobs);
    free(w.db);
    for (size_t i = 0; i < r.nworkers; i++)
        close_stages(&r.workers[i]);
    if (sync_ok) {
        pthread_mutex_destroy(&r.mu);
        pthread_cond_destroy(&r.ready);
        pthread_cond_destroy(&r.room);
    }
    free(paths);
    bg_buf_free(&r.pending);
    free(r.fields);
    bg_segment_close(seg0);
    bg_normalise_close(norm0);
    bg_index_close(r.ix);
    return status;
}
