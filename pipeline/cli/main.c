/*
 * main.c - the baogao command: parses the command line into bg_options
 * through the option table below, finds the command in the command table
 * (commands.def) and calls its handler (cli.h).
 */
#include "cli.h"

#include <errno.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the command table --------------------------------------------------- */

const bg_command bg_commands[] = {
#define BG_COMMAND(name, run, rows, min, max, top, flags, usage, help)         \
    {#name, run, rows, min, max, top, flags, usage, help},
#include "commands.def"
#undef BG_COMMAND
};

const size_t bg_ncommands = sizeof bg_commands / sizeof *bg_commands;

const bg_command *bg_command_find(const char *name)
{
    for (size_t k = 0; k < bg_ncommands; k++)
        if (strcmp(name, bg_commands[k].name) == 0)
            return &bg_commands[k];
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: baogao [--db FILE] [--format "
               "table|csv|json|jsonl|csv-bom|xlsx] COMMAND [ARGS]\n\n"
               "commands:\n");
    for (size_t i = 0; i < bg_ncommands; i++)
        fprintf(f, "  %s\n", bg_commands[i].usage);
    fprintf(f, "\nglobal options:\n%s", BG_GLOBAL_OPTIONS);
}

static void command_help(const bg_command *cmd)
{
    printf("usage: baogao [global options] %s\n\n%s", cmd->usage, cmd->help);
}

int bg_cmd_help(const bg_command *self, const bg_options *o)
{
    (void)self;
    if (o->nargs == 0) {
        usage(stdout);
        return 0;
    }
    const bg_command *cmd = bg_command_find(o->args[0]);
    if (!cmd) {
        bg_output_message(stderr,
                          "baogao help: unknown command \"%s\" (see baogao "
                          "--help)",
                          o->args[0]);
        return 2;
    }
    command_help(cmd);
    return 0;
}

/* ---- the option table ---------------------------------------------------- */

/* What parsing keeps besides bg_options. */
typedef struct parse {
    bg_options o;
    size_t doc;
    int help, have_top, have_limit;
    char **pos; /* positional arguments */
    int npos;
    const char **dicts;
    const char **given; /* the options given, by name (for check) */
    int ngiven;
    const char *unknown; /* the first option no command knows */
} parse;

/* An option: its name, whether it takes a value, and where it goes: a
 * setter, or a field of bg_options (text, size or flag set to 1). A setter
 * returns 0 or 2 (a usage error, already reported). */
typedef struct option {
    const char *name;
    enum { TEXT, SIZE, FLAG, CALL } kind;
    size_t field; /* offsetof(bg_options, ...) for TEXT, SIZE and FLAG */
    int (*set)(parse *p, const char *name, const char *val);
} option;

static int parse_size(const char *opt, const char *s, size_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0 || end == s) {
        bg_output_message(stderr, "baogao: %s needs a number >= 0, not \"%s\"",
                          opt, s);
        return 2;
    }
    *out = (size_t)v;
    return 0;
}

static int set_help(parse *p, const char *name, const char *val)
{
    (void)name;
    (void)val;
    p->help = 1;
    return 0;
}

static int set_format(parse *p, const char *name, const char *val)
{
    (void)name;
    if (bg_format_parse(val, &p->o.format) == 0)
        return 0;
    bg_output_message(
        stderr,
        "baogao: --format is table, csv, json, jsonl, csv-bom or xlsx, "
        "not \"%s\"",
        val);
    return 2;
}

/* --excel: CSV for Excel (--format csv-bom). Not the default for CSV,
 * even into a file named .csv: pandas' read_csv (encoding "utf-8") and R's
 * read.csv keep a BOM as part of the first column's name. */
static int set_excel(parse *p, const char *name, const char *val)
{
    (void)name;
    (void)val;
    p->o.format = BG_FMT_CSV_BOM;
    return 0;
}

static int set_lang(parse *p, const char *name, const char *val)
{
    (void)name;
    if (strcmp(val, "zh") == 0 || strcmp(val, "en") == 0) {
        p->o.lang = val;
        return 0;
    }
    bg_output_message(stderr, "baogao: --lang is zh or en, not \"%s\"", val);
    return 2;
}

static int set_port(parse *p, const char *name, const char *val)
{
    if (parse_size(name, val, &p->o.port))
        return 2;
    if (p->o.port <= 65535)
        return 0;
    bg_output_message(stderr, "baogao: --port is 0 to 65535, not %s", val);
    return 2;
}

static int set_doc(parse *p, const char *name, const char *val)
{
    if (parse_size(name, val, &p->doc) || p->doc == 0) {
        bg_output_message(stderr, "baogao: --doc needs a document id");
        return 2;
    }
    return 0;
}

static int set_top(parse *p, const char *name, const char *val)
{
    p->have_top = 1;
    return parse_size(name, val, &p->o.top);
}

static int set_limit(parse *p, const char *name, const char *val)
{
    p->have_limit = 1;
    return parse_size(name, val, &p->o.limit);
}

static int set_context(parse *p, const char *name, const char *val)
{
    p->o.have_context = 1;
    return parse_size(name, val, &p->o.context);
}

static int set_width(parse *p, const char *name, const char *val)
{
    p->o.have_width = 1;
    return parse_size(name, val, &p->o.width);
}

static int set_min_freq(parse *p, const char *name, const char *val)
{
    size_t n;
    if (parse_size(name, val, &n))
        return 2;
    p->o.min_freq = (int64_t)n;
    return 0;
}

static int set_on_invalid(parse *p, const char *name, const char *val)
{
    (void)name;
    if (strcmp(val, "replace") != 0 && strcmp(val, "error") != 0) {
        bg_output_message(
            stderr, "baogao: --on-invalid is error or replace, not \"%s\"",
            val);
        return 2;
    }
    p->o.ingest.on_invalid_replace = strcmp(val, "replace") == 0;
    return 0;
}

static int set_threshold(parse *p, const char *name, const char *val)
{
    char *end;
    (void)name;
    p->o.threshold = strtod(val, &end);
    if (*end || end == val || p->o.threshold < 0 || p->o.threshold > 1) {
        bg_output_message(
            stderr, "baogao: --threshold needs a number in 0..1, not \"%s\"",
            val);
        return 2;
    }
    return 0;
}

static int set_dict(parse *p, const char *name, const char *val)
{
    (void)name;
    p->o.dicts = p->dicts;
    p->dicts[p->o.ndicts++] = val;
    return 0;
}

static int set_stop_file(parse *p, const char *name, const char *val)
{
    bg_options *o = &p->o;
    (void)name;
    if (o->nstop_files == sizeof o->stop_files / sizeof *o->stop_files) {
        bg_output_message(stderr, "baogao: at most 8 --add-stopwords lists");
        return 2;
    }
    o->stop_files[o->nstop_files++] = val;
    return 0;
}

static int set_window(parse *p, const char *name, const char *val)
{
    char *end;
    (void)name;
    unsigned long l = strtoul(val, &end, 10), r = l;
    if (*end == ',')
        r = strtoul(end + 1, &end, 10);
    if (*end || l > 50 || r > 50 || l + r == 0) {
        bg_output_message(
            stderr,
            "baogao: --window is L,R (terms before and after, 0-50), not "
            "\"%s\"",
            val);
        return 2;
    }
    p->o.window_left = l;
    p->o.window_right = r;
    return 0;
}

static int set_ngram(parse *p, const char *name, const char *val)
{
    char *end;
    (void)name;
    long lo = strtol(val, &end, 10), hi = lo;
    if (end[0] == '.' && end[1] == '.')
        hi = strtol(end + 2, &end, 10);
    if (*end || lo < 2 || hi > 5 || lo > hi) {
        bg_output_message(
            stderr, "baogao: -n is N or A..B with 2 <= A <= B <= 5, not \"%s\"",
            val);
        return 2;
    }
    p->o.ngram_min = (int)lo;
    p->o.ngram_max = (int)hi;
    return 0;
}

static int set_granularity(parse *p, const char *name, const char *val)
{
    bg_err err;
    (void)name;
    if (bg_granularity_parse(val, &p->o.granularity, &err)) {
        bg_output_message(stderr, "baogao: --%s", err.msg);
        return 2;
    }
    return 0;
}

#define F(field) offsetof(bg_options, field)
static const option OPTIONS[] = {
    {"--help", FLAG, 0, set_help},
    {"-h", FLAG, 0, set_help},
    {"--db", TEXT, F(db), NULL},
    {"--take-over", FLAG, F(take_over), NULL},
    {"--format", CALL, 0, set_format},
    {"--excel", FLAG, 0, set_excel},
    {"--doc", CALL, 0, set_doc},
    {"--top", CALL, 0, set_top},
    {"--limit", CALL, 0, set_limit},
    /* statistics (query.h "corpus statistics") */
    {"--where", TEXT, F(where), NULL},
    {"--by", TEXT, F(by), NULL},
    {"--bins", TEXT, F(bins), NULL},
    {"--min-len", SIZE, F(min_len), NULL},
    {"--context", CALL, 0, set_context},
    {"--target", TEXT, F(target), NULL},
    {"--reference", TEXT, F(reference), NULL},
    {"--sort", TEXT, F(sort), NULL},
    {"--method", TEXT, F(method), NULL},
    {"--reference-list", TEXT, F(reference_list), NULL},
    {"--add-stopwords", CALL, 0, set_stop_file},
    {"--min-freq", CALL, 0, set_min_freq},
    {"--window", CALL, 0, set_window},
    {"-n", CALL, 0, set_ngram},
    {"--drop-boilerplate", FLAG, F(drop_boilerplate), NULL},
    {"--numbers", FLAG, F(numbers), NULL},
    {"--word", FLAG, F(word), NULL},
    {"--count", FLAG, F(count), NULL},
    {"--idf", TEXT, F(idf), NULL},
    {"--wide", FLAG, F(wide), NULL},
    {"--g2-2term", FLAG, F(two_term), NULL},
    {"--adjust-window", FLAG, F(adjust_window), NULL},
    {"--graphml", FLAG, F(graphml), NULL},
    {"--width", CALL, 0, set_width},
    /* ingest, extract, segment */
    {"--rules", TEXT, F(rules_dir), NULL},
    {"--stopwords", TEXT, F(stopwords), NULL},
    {"--encoding", TEXT, F(ingest.encoding), NULL},
    {"--on-invalid", CALL, 0, set_on_invalid},
    {"--text-field", TEXT, F(ingest.text_field), NULL},
    {"--title-field", TEXT, F(ingest.title_field), NULL},
    {"--date-field", TEXT, F(ingest.date_field), NULL},
    {"--id-field", TEXT, F(ingest.id_field), NULL},
    {"--meta-field", TEXT, F(ingest.meta_fields), NULL},
    {"--author-field", TEXT, F(ingest.author_field), NULL},
    {"--org-field", TEXT, F(ingest.org_field), NULL},
    {"--columns", TEXT, F(ingest.columns), NULL},
    {"--duplicates", FLAG, F(duplicates), NULL},
    {"--explain", FLAG, F(explain), NULL},
    {"--recurring", FLAG, F(recurring), NULL},
    {"--clauses", FLAG, F(clauses), NULL},
    {"--threshold", CALL, 0, set_threshold},
    {"--min-docs", SIZE, F(min_docs), NULL},
    {"--dict", CALL, 0, set_dict},
    {"--only-dict", FLAG, F(only_dict), NULL},
    {"--granularity", CALL, 0, set_granularity},
    {"--drop-stopwords", FLAG, F(drop_stopwords), NULL},
    /* serve, report */
    {"--host", TEXT, F(host), NULL},
    {"--port", CALL, 0, set_port},
    {"--lang", CALL, 0, set_lang},
    {"--out", TEXT, F(out), NULL},
    /* train */
    {"--exclude", TEXT, F(exclude), NULL},
    {"--folds", TEXT, F(folds), NULL},
    {"--predictions", TEXT, F(predictions), NULL},
    {"--families", TEXT, F(families), NULL},
};
#undef F

/* Takes option opt at argv[*i] (its value argv[*i + 1] when it has one,
 * *i moved past it). Returns 0 or 2 (reported). */
static int take(parse *p, const option *opt, int argc, char **argv, int *i)
{
    const char *val = NULL;
    char *base = (char *)&p->o;
    if (opt->kind != FLAG) {
        if (*i + 1 >= argc) {
            bg_output_message(stderr, "baogao: %s needs a value", opt->name);
            return 2;
        }
        val = argv[++*i];
    }
    switch (opt->kind) {
    case TEXT:
        memcpy(base + opt->field, &val, sizeof val);
        return 0;
    case SIZE:
        return parse_size(opt->name, val, (size_t *)(base + opt->field));
    case FLAG:
        if (opt->set)
            return opt->set(p, opt->name, NULL);
        *(int *)(base + opt->field) = 1;
        return 0;
    case CALL:
        return opt->set(p, opt->name, val);
    default:
        assert(!"an option kind");
        return 2;
    }
}

/* Parses argv into p. Returns 0 or 2 (a usage error, reported). */
static int parse_args(parse *p, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const option *opt = NULL;
        for (size_t k = 0; k < sizeof OPTIONS / sizeof *OPTIONS && !opt; k++)
            if (strcmp(a, OPTIONS[k].name) == 0)
                opt = &OPTIONS[k];
        if (opt) {
            p->given[p->ngiven++] = opt->name;
            if (take(p, opt, argc, argv, &i))
                return 2;
        } else if (strcmp(a, "--") == 0) {
            while (++i < argc)
                p->pos[p->npos++] = argv[i];
        } else if (a[0] == '-' &&
                   ((a[1] == '-' && a[2]) || (a[1] >= 'a' && a[1] <= 'z') ||
                    (a[1] >= 'A' && a[1] <= 'Z'))) {
            /* reported with the command's own help, once it is known */
            if (!p->unknown)
                p->unknown = a;
        } else {
            p->pos[p->npos++] = argv[i];
        }
    }
    return 0;
}

/* Options every command takes. */
static const char *const GLOBAL_OPTIONS[] = {
    "--help", "-h", "--db", "--take-over", "--format", "--excel", "--width"};

/* Whether text names option name as a whole word (--top, not --topic). */
static int names_option(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
        char before = p == text ? ' ' : p[-1], after = p[n];
        if ((before == '-' || (before >= 'a' && before <= 'z')) ||
            after == '-' || (after >= 'a' && after <= 'z') ||
            (after >= '0' && after <= '9'))
            continue;
        return 1;
    }
    return 0;
}

/* Whether option name applies to cmd: a global option, or one its usage
 * or help (commands.def, what --help prints) names: a command's help is
 * the list of what it takes, so an option it would ignore is refused. */
static int applies(const bg_command *cmd, const char *name)
{
    for (size_t k = 0; k < sizeof GLOBAL_OPTIONS / sizeof *GLOBAL_OPTIONS; k++)
        if (strcmp(name, GLOBAL_OPTIONS[k]) == 0)
            return 1;
    return names_option(cmd->usage, name) || names_option(cmd->help, name);
}

/* Says that option name does not apply to cmd, and which commands it
 * applies to. */
static void refuse(const bg_command *cmd, const char *name)
{
    bg_buf others = {0};
    size_t n = 0, last = 0;
    for (size_t k = 0; k < bg_ncommands; k++)
        if (applies(&bg_commands[k], name))
            n++, last = k;
    for (size_t k = 0, i = 0; k < bg_ncommands; k++)
        if (applies(&bg_commands[k], name))
            bg_buf_printf(&others, "%s%s",
                          i++ == 0    ? ""
                          : k == last ? " and "
                                      : ", ",
                          bg_commands[k].name);
    bg_output_message(stderr,
                      "baogao %s: %s does not apply to %s (see baogao %s "
                      "--help)%s%s%s%s",
                      cmd->name, name, cmd->name, cmd->name, n ? "; " : "",
                      n ? name : "", n ? " applies to " : "",
                      n ? others.data : "");
    bg_buf_free(&others);
}

/* The parsed command line checked against the command's row and filled
 * with its defaults. Returns 1 when the command is to run, else 0 with the
 * exit status in *status (--help printed: 0; a usage error, reported: 2). */
static int check(parse *p, const bg_command *cmd, int *status)
{
    bg_options *o = &p->o;
    *status = 2;
    if (p->unknown) {
        bg_output_message(stderr,
                          "baogao %s: unknown option %s (see baogao %s "
                          "--help)",
                          cmd->name, p->unknown, cmd->name);
        return 0;
    }
    if (p->help) {
        command_help(cmd);
        *status = 0;
        return 0;
    }
    o->command = cmd->name;
    o->args = p->pos + 1;
    o->nargs = p->npos - 1;
    /* never an option silently ignored */
    for (int k = 0; k < p->ngiven; k++)
        if (!applies(cmd, p->given[k])) {
            refuse(cmd, p->given[k]);
            return 0;
        }
    if (o->nargs < cmd->min_args ||
        (cmd->max_args >= 0 && o->nargs > cmd->max_args)) {
        fprintf(stderr, "usage: baogao %s\n", cmd->usage);
        return 0;
    }
    if (cmd->flags & BG_CMD_DOC_ARG) {
        if (parse_size(cmd->name, o->args[0], &p->doc))
            return 0;
        if (p->doc == 0) {
            bg_output_message(stderr,
                              "baogao: %s needs a document id (see `baogao "
                              "docs`), not 0",
                              cmd->name);
            return 0;
        }
    }
    o->doc = (int64_t)p->doc;
    if (!p->have_top)
        o->top = cmd->top;
    if (!p->have_limit)
        o->limit = 20;
    return 1;
}

int main(int argc, char **argv)
{
    parse p = {0};
    int status = 2;
    p.o.db = "baogao.db";
    p.o.width = 60;
    p.o.threshold = 0.5; /* problems --recurring (query.h) */
    p.o.port = 8080;     /* serve */
    /* before SQLite initialises: no memory statistics (a mutex taken and
     * counters updated on every allocation; baogao never reads them) */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    p.pos = calloc((size_t)argc + 1, sizeof *p.pos);
    p.dicts = calloc((size_t)argc + 1, sizeof *p.dicts);
    p.given = calloc((size_t)argc + 1, sizeof *p.given);
    if (!p.pos || !p.dicts || !p.given) {
        status = 1;
        goto done;
    }
    if (parse_args(&p, argc, argv))
        goto done;
    if (p.npos == 0) {
        if (p.unknown) {
            bg_output_message(stderr,
                              "baogao: unknown option %s (see baogao --help)",
                              p.unknown);
            goto done;
        }
        usage(p.help ? stdout : stderr);
        status = p.help ? 0 : 2;
        goto done;
    }
    const bg_command *cmd = bg_command_find(p.pos[0]);
    if (!cmd) {
        bg_output_message(stderr,
                          "baogao: unknown command \"%s\" (see baogao --help)",
                          p.pos[0]);
        goto done;
    }
    if (check(&p, cmd, &status))
        status = cmd->run(cmd, &p.o);
done:
    free(p.pos);
    free(p.dicts);
    free(p.given);
    return status;
}
