/*
 * util_vfs.c - the read-ahead VFS (util_sql.h): a shim over SQLite's
 * default VFS whose main database files are read in aligned chunks of
 * RA_CHUNK bytes, a few kept, and every page SQLite asks for copied out of
 * them; other files (the write-ahead log, its index, temporary files) and
 * every other call go to the default VFS as they are.
 *
 * Threading: the VFS object is registered once (pthread_once); a file is
 * used by its connection's thread only, as SQLite's own files are.
 */
#include "util_sql.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A chunk of the file read at once: the kernel's copy of 64 KB costs
 * about what a 4 KB read costs (the call, not the bytes); RA_SLOTS
 * chunks kept for the streams a query reads side by side (a table's
 * leaves, an index's, FTS5's doclists, b-tree interiors). */
#define RA_CHUNK (64 * 1024)
#define RA_SLOTS 16
/* A chunk is read whole at the second read the file gets in it while
 * RA_RECENT other chunks were not; the first is read as asked. A table
 * whose pages are scattered among others' (each table grows in turn as an
 * ingest stores its batches: doc_vector's 5,361 pages at 4x lie in 5,165
 * chunks, the sentence table's 93,376 in 9,384) is read a page at a
 * time, not a chunk a page. */
#define RA_RECENT 32

typedef struct ra_slot {
    sqlite3_int64 off; /* the chunk's offset in the file, -1 none */
    int len;           /* its bytes read (less at the file's end) */
    unsigned used;     /* the file's tick when it last served a read */
    unsigned char *buf;
} ra_slot;

typedef struct ra_file {
    sqlite3_file base;
    sqlite3_file *real; /* the default VFS's file, right after this */
    int chunked;        /* a main database file */
    sqlite3_int64 size; /* the file's size, -1 not known */
    sqlite3_int64 recent[RA_RECENT]; /* chunks read once, -1 none */
    unsigned nrecent; /* the next of recent to fill, modulo RA_RECENT */
    unsigned tick;
    ra_slot slot[RA_SLOTS];
} ra_file;

/* every chunk forgotten: at each lock change, so that no chunk outlives
 * the transaction it was read in (another connection may write between
 * transactions; within one, the pages a reader takes from the database
 * file do not change) */
static void ra_forget(ra_file *p)
{
    p->size = -1;
    for (int i = 0; i < RA_SLOTS; i++)
        p->slot[i].off = -1;
    for (int i = 0; i < RA_RECENT; i++)
        p->recent[i] = -1;
}

static int ra_close(sqlite3_file *f)
{
    ra_file *p = (ra_file *)f;
    for (int i = 0; i < RA_SLOTS; i++)
        free(p->slot[i].buf);
    return p->real->pMethods->xClose(p->real);
}

/* A read of [off, off + amt): from a kept chunk when one holds it; else,
 * the first time in a while (RA_RECENT), read as asked; else the chunk
 * holding it is read into the least recently used slot; a read
 * that crosses a chunk's end (none of SQLite's page reads, whose pages
 * divide RA_CHUNK), a chunk that cannot be read whole, or no memory for
 * one: read as asked, by the default VFS (its short-read rule kept). */
static int ra_read(sqlite3_file *f, void *out, int amt, sqlite3_int64 off)
{
    ra_file *p = (ra_file *)f;
    sqlite3_file *r = p->real;
    sqlite3_int64 c = off - off % RA_CHUNK;
    if (!p->chunked || amt <= 0 || off < 0 || off + amt > c + RA_CHUNK)
        return r->pMethods->xRead(r, out, amt, off);
    ra_slot *s = NULL, *lru = &p->slot[0];
    for (int i = 0; i < RA_SLOTS && !s; i++) {
        if (p->slot[i].off == c)
            s = &p->slot[i];
        else if (p->slot[i].used < lru->used)
            lru = &p->slot[i];
    }
    if (!s) {
        int again = 0;
        for (int i = 0; i < RA_RECENT && !again; i++)
            if (p->recent[i] == c) {
                p->recent[i] = -1;
                again = 1;
            }
        if (!again) {
            p->recent[p->nrecent++ % RA_RECENT] = c;
            return r->pMethods->xRead(r, out, amt, off);
        }
        if (p->size < 0 && r->pMethods->xFileSize(r, &p->size) != SQLITE_OK)
            p->size = -1;
        if (off + amt > p->size)
            return r->pMethods->xRead(r, out, amt, off);
        int len = p->size - c < RA_CHUNK ? (int)(p->size - c) : RA_CHUNK;
        if (!lru->buf && !(lru->buf = malloc(RA_CHUNK)))
            return r->pMethods->xRead(r, out, amt, off);
        lru->off = -1;
        if (r->pMethods->xRead(r, lru->buf, len, c) != SQLITE_OK)
            return r->pMethods->xRead(r, out, amt, off);
        lru->off = c;
        lru->len = len;
        s = lru;
    }
    if (off + amt > s->off + s->len)
        return r->pMethods->xRead(r, out, amt, off);
    s->used = ++p->tick;
    memcpy(out, s->buf + (off - c), (size_t)amt);
    return SQLITE_OK;
}

static int ra_write(sqlite3_file *f, const void *b, int amt, sqlite3_int64 off)
{
    ra_file *p = (ra_file *)f;
    ra_forget(p);
    return p->real->pMethods->xWrite(p->real, b, amt, off);
}

static int ra_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    ra_file *p = (ra_file *)f;
    ra_forget(p);
    return p->real->pMethods->xTruncate(p->real, size);
}

static int ra_sync(sqlite3_file *f, int flags)
{
    ra_file *p = (ra_file *)f;
    return p->real->pMethods->xSync(p->real, flags);
}

static int ra_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    ra_file *p = (ra_file *)f;
    return p->real->pMethods->xFileSize(p->real, size);
}

static int ra_lock(sqlite3_file *f, int lock)
{
    ra_file *p = (ra_file *)f;
    ra_forget(p);
    return p->real->pMethods->xLock(p->real, lock);
}

static int ra_unlock(sqlite3_file *f, int lock)
{
    ra_file *p = (ra_file *)f;
    ra_forget(p);
    return p->real->pMethods->xUnlock(p->real, lock);
}

static int ra_check_lock(sqlite3_file *f, int *out)
{
    ra_file *p = (ra_file *)f;
    return p->real->pMethods->xCheckReservedLock(p->real, out);
}

static int ra_control(sqlite3_file *f, int op, void *arg)
{
    ra_file *p = (ra_file *)f;
    return p->real->pMethods->xFileControl(p->real, op, arg);
}

static int ra_sector(sqlite3_file *f)
{
    ra_file *p = (ra_file *)f;
    return p->real->pMethods->xSectorSize(p->real);
}

static int ra_device(sqlite3_file *f)
{
    ra_file *p = (ra_file *)f;
    return p->real->pMethods->xDeviceCharacteristics(p->real);
}

static int ra_shm_map(sqlite3_file *f, int pg, int sz, int extend,
                      void volatile **out)
{
    ra_file *p = (ra_file *)f;
    return p->real->pMethods->xShmMap(p->real, pg, sz, extend, out);
}

/* a WAL reader's transaction begins by locking a read mark */
static int ra_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    ra_file *p = (ra_file *)f;
    ra_forget(p);
    return p->real->pMethods->xShmLock(p->real, off, n, flags);
}

static void ra_shm_barrier(sqlite3_file *f)
{
    ra_file *p = (ra_file *)f;
    p->real->pMethods->xShmBarrier(p->real);
}

static int ra_shm_unmap(sqlite3_file *f, int del)
{
    ra_file *p = (ra_file *)f;
    return p->real->pMethods->xShmUnmap(p->real, del);
}

/* no memory map: every page is read through ra_read */
static int ra_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
    (void)f;
    (void)off;
    (void)amt;
    *pp = NULL;
    return SQLITE_OK;
}

static int ra_unfetch(sqlite3_file *f, sqlite3_int64 off, void *pg)
{
    (void)f;
    (void)off;
    (void)pg;
    return SQLITE_OK;
}

static const sqlite3_io_methods ra_io = {.iVersion = 3,
                                         .xClose = ra_close,
                                         .xRead = ra_read,
                                         .xWrite = ra_write,
                                         .xTruncate = ra_truncate,
                                         .xSync = ra_sync,
                                         .xFileSize = ra_file_size,
                                         .xLock = ra_lock,
                                         .xUnlock = ra_unlock,
                                         .xCheckReservedLock = ra_check_lock,
                                         .xFileControl = ra_control,
                                         .xSectorSize = ra_sector,
                                         .xDeviceCharacteristics = ra_device,
                                         .xShmMap = ra_shm_map,
                                         .xShmLock = ra_shm_lock,
                                         .xShmBarrier = ra_shm_barrier,
                                         .xShmUnmap = ra_shm_unmap,
                                         .xFetch = ra_fetch,
                                         .xUnfetch = ra_unfetch};

static int ra_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
                   int flags, int *out)
{
    sqlite3_vfs *root = vfs->pAppData;
    ra_file *p = (ra_file *)f;
    memset(p, 0, sizeof *p);
    ra_forget(p);
    p->real = (sqlite3_file *)(p + 1);
    p->chunked = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    int rc = root->xOpen(root, name, p->real, flags, out);
    /* SQLite closes what has methods, whether the open failed or not */
    p->base.pMethods = p->real->pMethods ? &ra_io : NULL;
    return rc;
}

static int ra_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    sqlite3_vfs *root = vfs->pAppData;
    return root->xDelete(root, name, sync);
}

static int ra_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    sqlite3_vfs *root = vfs->pAppData;
    return root->xAccess(root, name, flags, out);
}

static int ra_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    sqlite3_vfs *root = vfs->pAppData;
    return root->xFullPathname(root, name, n, out);
}

static void *ra_dlopen(sqlite3_vfs *vfs, const char *name)
{
    sqlite3_vfs *root = vfs->pAppData;
    return root->xDlOpen(root, name);
}

static void ra_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
    sqlite3_vfs *root = vfs->pAppData;
    root->xDlError(root, n, out);
}

static void (*ra_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    sqlite3_vfs *root = vfs->pAppData;
    return root->xDlSym(root, h, sym);
}

static void ra_dlclose(sqlite3_vfs *vfs, void *h)
{
    sqlite3_vfs *root = vfs->pAppData;
    root->xDlClose(root, h);
}

static int ra_random(sqlite3_vfs *vfs, int n, char *out)
{
    sqlite3_vfs *root = vfs->pAppData;
    return root->xRandomness(root, n, out);
}

static int ra_sleep(sqlite3_vfs *vfs, int us)
{
    sqlite3_vfs *root = vfs->pAppData;
    return root->xSleep(root, us);
}

static int ra_time(sqlite3_vfs *vfs, double *out)
{
    sqlite3_vfs *root = vfs->pAppData;
    return root->xCurrentTime(root, out);
}

static int ra_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    sqlite3_vfs *root = vfs->pAppData;
    return root->xGetLastError ? root->xGetLastError(root, n, out) : 0;
}

static int ra_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    sqlite3_vfs *root = vfs->pAppData;
    return root->xCurrentTimeInt64(root, out);
}

static sqlite3_vfs ra_vfs;
static int ra_rc = SQLITE_ERROR;

static void ra_init(void)
{
    sqlite3_vfs *root = sqlite3_vfs_find(NULL);
    /* xCurrentTimeInt64 is in version 2 and later, as unix's is */
    if (!root || root->iVersion < 2)
        return;
    ra_vfs = (sqlite3_vfs){.iVersion = 2,
                           .szOsFile = (int)sizeof(ra_file) + root->szOsFile,
                           .mxPathname = root->mxPathname,
                           .zName = BG_READAHEAD_VFS,
                           .pAppData = root,
                           .xOpen = ra_open,
                           .xDelete = ra_delete,
                           .xAccess = ra_access,
                           .xFullPathname = ra_full,
                           .xDlOpen = ra_dlopen,
                           .xDlError = ra_dlerror,
                           .xDlSym = ra_dlsym,
                           .xDlClose = ra_dlclose,
                           .xRandomness = ra_random,
                           .xSleep = ra_sleep,
                           .xCurrentTime = ra_time,
                           .xGetLastError = ra_last_error,
                           .xCurrentTimeInt64 = ra_time64};
    ra_rc = sqlite3_vfs_register(&ra_vfs, 0);
}

int bg_readahead_register(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, ra_init);
    return ra_rc == SQLITE_OK ? 0 : BG_ESQLITE;
}
