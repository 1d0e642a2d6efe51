/*
 * cmd_web.c - `baogao serve` and `baogao report`: the command line's side
 * of the web front end (pipeline/web/web.h).
 */
#include "cli.h"
#include "web.h"

#include <stdio.h>
#include <string.h>

/* The stopword list the queries use: --stopwords, else the shipped one
 * (into buf). */
static const char *stopwords(const bg_options *o, char *buf, size_t n)
{
    if (o->stopwords)
        return o->stopwords;
    snprintf(buf, n, "%s/stopwords.txt", bg_dict_dir());
    return buf;
}

static int status_of(const char *cmd, int rc, const bg_err *err)
{
    if (rc == 0)
        return 0;
    bg_output_message(stderr, "baogao %s: %s", cmd, err->msg);
    return rc == BG_EINVAL || rc == BG_EUSAGE ? 2 : 1;
}

int bg_cmd_serve(const bg_command *cmd, const bg_options *o)
{
    (void)cmd;
    char stop[4096];
    bg_err err = {0};
    bg_web_opts wo = {o->db,   stopwords(o, stop, sizeof stop),
                      o->host, (unsigned)o->port,
                      o->lang, 0,
                      stderr};
    return status_of("serve", bg_web_serve(&wo, &err), &err);
}

int bg_cmd_report(const bg_command *cmd, const bg_options *o)
{
    (void)cmd;
    char stop[4096];
    bg_err err = {0};
    if (!o->out) {
        fprintf(stderr, "usage: baogao report [--where FACETS] --out "
                        "FILE.html\n");
        return 2;
    }
    int rc = bg_web_report(o->db, stopwords(o, stop, sizeof stop), o->where,
                           o->lang, o->out, &err);
    if (rc == 0)
        bg_output_message(stderr, "baogao: wrote %s", o->out);
    return status_of("report", rc, &err);
}
