/*
 * serve.c - `baogao serve`: the HTTP server of the web workspace, on
 * libmicrohttpd (GNU, LGPL; Debian's libmicrohttpd-dev).
 *
 * Routes, matched as whole strings (no part of a URL is ever a file name):
 *   /              the workspace page (assets/index.html)
 *   /assets/NAME   an asset compiled in by bg-embed (web_int.h)
 *   /api/NAME      the JSON API (api.c)
 * Only GET and HEAD, without a body; a URL over BG_WEB_MAX_URL bytes or an
 * argument over BG_WEB_MAX_ARG bytes or not UTF-8 is refused (414, 400).
 * Every answer carries a Content-Security-Policy that allows scripts, data
 * and styles from this server only, and nosniff.
 *
 * Threading: libmicrohttpd's internal thread pool of a fixed size; each
 * request borrows one of as many bg_query handles (query.h: one thread at
 * a time each) and reads it in one read transaction (bg_query_begin), so
 * that its statements see one state of the database. SIGINT and SIGTERM are
 * blocked in every thread and taken by the calling thread with sigwait, which
 * then stops the daemon.
 */
#define _GNU_SOURCE /* strsignal */
#include "output.h"
#include "web_int.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct server {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bg_query **q;
    int *busy;
    size_t n;
    bg_web_ctx *ctx;
    int first, body; /* markers for the request's *con_cls */
} server;

static bg_query *borrow(server *s)
{
    pthread_mutex_lock(&s->mu);
    for (;;) {
        for (size_t i = 0; i < s->n; i++)
            if (!s->busy[i]) {
                s->busy[i] = 1;
                pthread_mutex_unlock(&s->mu);
                return s->q[i];
            }
        pthread_cond_wait(&s->cv, &s->mu);
    }
}

static void give_back(server *s, bg_query *q)
{
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->n; i++)
        if (s->q[i] == q)
            s->busy[i] = 0;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* Queues resp (destroyed here) with the headers every answer carries. */
static enum MHD_Result respond(struct MHD_Connection *conn, unsigned status,
                               struct MHD_Response *resp, const char *type)
{
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    MHD_add_response_header(
        resp, "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; connect-src 'self'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "font-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'");
    enum MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result send_text(struct MHD_Connection *conn, unsigned status,
                                 const char *msg)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        strlen(msg), (void *)(uintptr_t)msg, MHD_RESPMEM_MUST_COPY);
    return respond(conn, status, resp, "text/plain; charset=utf-8");
}

/* An API request refused before it reaches api.c: JSON as api.c answers
 * ({"error": msg, "id": id, "args": []}), so the page can say it in its
 * language; id and msg are static ASCII without quotes or backslashes. */
static enum MHD_Result send_api_error(struct MHD_Connection *conn,
                                      unsigned status, const char *id,
                                      const char *msg)
{
    char body[256];
    int n = snprintf(body, sizeof body,
                     "{\"error\":\"%s\",\"id\":\"%s\",\"args\":[]}", msg, id);
    if (n < 0 || (size_t)n >= sizeof body)
        return MHD_NO;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer((size_t)n, body, MHD_RESPMEM_MUST_COPY);
    return respond(conn, status, resp, "application/json");
}

typedef struct arg_check {
    int bad;
} arg_check;

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *value)
{
    arg_check *c = cls;
    (void)kind;
    size_t kl = strlen(key), vl = value ? strlen(value) : 0;
    if (kl > 64 || vl > BG_WEB_MAX_ARG || bg_utf8_valid_prefix(key, kl) != kl ||
        (value && bg_utf8_valid_prefix(value, vl) != vl)) {
        c->bad = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

static const char *conn_arg(const char *name, void *payload)
{
    return MHD_lookup_connection_value(payload, MHD_GET_ARGUMENT_KIND, name);
}

/* The first argument of a request that its endpoint does not take
 * (bg_web_api_unknown): found, with the reply refusing it. */
typedef struct unknown_arg {
    const char *endpoint;
    int found;
    bg_web_reply rep;
} unknown_arg;

static enum MHD_Result find_unknown(void *cls, enum MHD_ValueKind kind,
                                    const char *key, const char *value)
{
    unknown_arg *u = cls;
    (void)kind;
    (void)value;
    if (bg_web_api_unknown(u->endpoint, key, &u->rep)) {
        u->found = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

static enum MHD_Result answer_api(server *s, struct MHD_Connection *conn,
                                  const char *name)
{
    bg_web_reply rep = {0};
    int rc = 0;
    unknown_arg u = {name, 0, {0}};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, find_unknown, &u);
    if (u.found) {
        rep = u.rep;
    } else {
        bg_query *q = borrow(s);
        bg_err err;
        /* one read transaction a request (query.h): its statements read
         * one state of the database, and take SQLite's locks once, not
         * each */
        int begun = bg_query_begin(q, &err) == 0;
        rc = begun ? bg_web_api(s->ctx, q, name, conn_arg, conn, &rep) : 0;
        bg_query_end(q);
        give_back(s, q);
        if (!begun)
            return send_api_error(conn, 500, "db.read",
                                  "the database cannot be read now");
    }
    if (rc || !rep.body)
        return send_text(conn, 500, "out of memory\n");
    /* the body is malloc'd (cJSON's default allocator is malloc, and
     * baogao installs no other), so libmicrohttpd frees it */
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        rep.len, rep.body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(rep.body);
        return MHD_NO;
    }
    if (rep.filename[0]) {
        char cd[128];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", rep.filename);
        MHD_add_response_header(resp, "Content-Disposition", cd);
    }
    return respond(conn, (unsigned)rep.status, resp, rep.type);
}

static enum MHD_Result answer_asset(struct MHD_Connection *conn,
                                    const char *name)
{
    const bg_web_asset *a = strchr(name, '/') ? NULL : bg_web_asset_find(name);
    if (!a)
        return send_text(conn, 404, "not found\n");
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        a->len, (void *)(uintptr_t)a->data, MHD_RESPMEM_PERSISTENT);
    return respond(conn, 200, resp, bg_web_mime(name));
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn,
                              const char *url, const char *method,
                              const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    server *s = cls;
    (void)version;
    (void)upload_data;
    if (!*con_cls) { /* headers read; the body, if any, comes next */
        *con_cls = &s->first;
        return MHD_YES;
    }
    if (*upload_data_size) { /* no request takes a body: drop it */
        *upload_data_size = 0;
        *con_cls = &s->body;
        return MHD_YES;
    }
    if (*con_cls == &s->body)
        return send_text(conn, 413, "requests take no body\n");
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        struct MHD_Response *resp =
            MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (resp)
            MHD_add_response_header(resp, "Allow", "GET, HEAD");
        return respond(conn, 405, resp, "text/plain; charset=utf-8");
    }
    int api = strncmp(url, "/api/", 5) == 0;
    if (strlen(url) > BG_WEB_MAX_URL)
        return api ? send_api_error(conn, 414, "request.url-long",
                                    "URL too long")
                   : send_text(conn, 414, "URL too long\n");
    arg_check ac = {0};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, check_arg, &ac);
    if (ac.bad)
        return api ? send_api_error(conn, 400, "request.arg",
                                    "an argument is too long or not UTF-8")
                   : send_text(conn, 400,
                               "an argument is too long or not UTF-8\n");
    if (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0)
        return answer_asset(conn, "index.html");
    if (strncmp(url, "/assets/", 8) == 0)
        return answer_asset(conn, url + 8);
    if (api)
        return answer_api(s, conn, url + 5);
    return send_text(conn, 404, "not found\n");
}

/* The address to bind from host (an IPv4 or IPv6 address, or localhost). */
static int parse_host(const char *host, struct sockaddr_storage *ss, int *v6,
                      int *loopback, bg_err *err)
{
    memset(ss, 0, sizeof *ss);
    if (strcmp(host, "localhost") == 0)
        host = "127.0.0.1";
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        *v6 = 0;
        *loopback = (ntohl(a4->sin_addr.s_addr) >> 24) == 127;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        *v6 = 1;
        *loopback = IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr);
        return 0;
    }
    return bg_err_set(err, BG_EINVAL,
                      "--host: an IPv4 or IPv6 address (127.0.0.1, ::1, "
                      "0.0.0.0) or localhost, not \"%s\"",
                      host);
}

int bg_web_serve(const bg_web_opts *o, bg_err *err)
{
    server s = {PTHREAD_MUTEX_INITIALIZER,
                PTHREAD_COND_INITIALIZER,
                NULL,
                NULL,
                0,
                NULL,
                0,
                0};
    struct sockaddr_storage ss;
    struct MHD_Daemon *d = NULL;
    sigset_t set, old;
    int v6 = 0, loopback = 1, rc;
    const char *host = o->host ? o->host : "127.0.0.1";
    if ((rc = parse_host(host, &ss, &v6, &loopback, err)))
        return rc;
    if (o->port > 65535)
        return bg_err_set(err, BG_EINVAL, "--port: 0 to 65535");
    /* with MHD_OPTION_SOCK_ADDR the port comes from the address */
    if (v6)
        ((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)o->port);
    else
        ((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)o->port);
    s.n = o->threads ? o->threads : BG_WEB_THREADS;
    s.q = calloc(s.n, sizeof *s.q);
    s.busy = calloc(s.n, sizeof *s.busy);
    if (!s.q || !s.busy) {
        rc = bg_err_set(err, BG_ENOMEM, "serve: out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < s.n; i++)
        if ((rc = bg_query_open(&s.q[i], o->db, o->stopwords, err)))
            goto cleanup;
    if ((rc = bg_web_ctx_load(&s.ctx, s.q[0], o->lang, o->db, err)))
        goto cleanup;
    /* every thread libmicrohttpd starts inherits this mask: the signals
     * reach only sigwait below */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG |
            (v6 ? MHD_USE_IPv6 : 0),
        (uint16_t)o->port, NULL, NULL, handle, &s, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)s.n,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)BG_WEB_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(BG_WEB_MAX_URL * 4),
        MHD_OPTION_END);
    if (!d) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        rc = bg_err_set(err, BG_EIO,
                        "cannot listen on %s port %u (in use, or not an "
                        "address of this machine)",
                        host, o->port);
        goto cleanup;
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : o->port;
    FILE *log = o->log;
    if (!loopback && log)
        bg_output_message(log,
                          "baogao: warning: serving on %s, not a loopback "
                          "address: anyone who can reach it can read %s",
                          host, o->db);
    if (log) {
        bg_output_message(log,
                          "baogao: serving %s at http://%s%s%s:%u/ (Ctrl-C "
                          "stops)",
                          o->db, v6 ? "[" : "", host, v6 ? "]" : "", port);
        fflush(log);
    }
    int sig = 0;
    while (sigwait(&set, &sig) != 0)
        ;
    if (log)
        bg_output_message(log, "baogao: %s: stopping", strsignal(sig));
    MHD_stop_daemon(d);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    rc = 0;
cleanup:
    bg_web_ctx_free(s.ctx);
    for (size_t i = 0; s.q && i < s.n; i++)
        bg_query_close(s.q[i]);
    free(s.q);
    free(s.busy);
    return rc;
}
