/*
 * main.c - the baogao command: parses arguments into bg_options and hands
 * them to bg_operate (operate.h).
 */
#include "operate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command {
    const char *name;
    int min_args, max_args;
    const char *usage, *help;
} command;

static const command COMMANDS[] = {
    {"ingest", 1, -1, "ingest PATH...",
     "Read UTF-8 text files (a directory is walked for *.txt and *.md),\n"
     "cut compilations into documents at 第N篇 headings, normalise, split\n"
     "sentences, segment, extract themes/problems/commitments and store\n"
     "everything in the database. Re-ingesting a path replaces what it\n"
     "gave before. A file that is not UTF-8 is reported with the offset of\n"
     "its first bad byte and skipped; the others still go in; the exit\n"
     "status is 1 when any file failed.\n"
     "  --rules DIR   extraction rules (default: dict/rules)\n"},
    {"search", 1, 1, "search QUERY",
     "Sentences containing QUERY, best first (BM25). The query is\n"
     "normalised and segmented like the text, so 贫困户 finds 貧困戶.\n"
     "Space-separated parts must all occur. Falls back to a substring\n"
     "match over the analysis form when the term search finds nothing.\n"
     "  --limit N     at most N hits (default 20; 0: all)\n"},
    {"keywords", 0, 0, "keywords [--doc ID] [--top N]",
     "TF-IDF keywords per document: tf / T * ln(N / df), T the document's\n"
     "candidate tokens (words of 2+ characters, not stopwords), N the\n"
     "documents in the database, df those containing the word (jieba's\n"
     "extract_tags weighting with the idf taken from this corpus).\n"
     "  --doc ID      one document (default: every document)\n"
     "  --top N       keywords per document (default 10; 0: all)\n"
     "  --stopwords FILE   stopword list (default: dict/stopwords.txt)\n"},
    {"freq", 0, 0, "freq [--top N] [--drop-stopwords]",
     "Word list: raw frequency, frequency per million term tokens and\n"
     "document frequency (range). Numbers are not listed.\n"
     "  --top N           first N words (default 50; 0: all)\n"
     "  --drop-stopwords  leave out words of the stopword list\n"},
    {"themes", 0, 0, "themes [--doc ID]",
     "Themes: titles and outline items, with the theme phrase.\n"},
    {"problems", 0, 0, "problems [--doc ID]",
     "Sentences stating a problem (deficiency, difficulty, violation).\n"},
    {"commitments", 0, 0, "commitments [--doc ID]",
     "Sentences stating a commitment (pledge, plan, task, requirement).\n"},
    {"docs", 0, 0, "docs", "Documents with file, byte range and title.\n"},
    {"show", 1, 1, "show ID",
     "The sentences of document ID with offsets, outline levels and labels.\n"},
    {"summary", 0, 0, "summary",
     "Each document with its title, counts of themes, problems and\n"
     "commitments, and its top five keywords; then corpus totals.\n"},
};

#define NCOMMANDS (sizeof COMMANDS / sizeof *COMMANDS)

static void usage(FILE *f)
{
    fprintf(f, "usage: baogao [--db FILE] [--format table|csv|json|jsonl] "
               "COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %s\n", COMMANDS[i].usage);
    fprintf(f, "\nglobal options:\n"
               "  --db FILE       database (default ./baogao.db)\n"
               "  --format FMT    table (default), csv, json or jsonl\n"
               "  --width N       cut table text cells at N columns "
               "(default 60; 0: never)\n"
               "  --help          this text; COMMAND --help for a "
               "command\n");
}

static int parse_size(const char *opt, const char *s, size_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0 || end == s) {
        fprintf(stderr, "baogao: %s needs a number >= 0, not \"%s\"\n", opt, s);
        return 2;
    }
    *out = (size_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    bg_options o = {0};
    const command *cmd = NULL;
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    int npos = 0, help = 0, status = 2;
    size_t doc = 0;
    int have_top = 0, have_limit = 0;
    o.db = "baogao.db";
    o.width = 60;
    if (!pos)
        return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE                                                             \
    if (!val) {                                                                \
        fprintf(stderr, "baogao: %s needs a value\n", a);                      \
        goto done;                                                             \
    }                                                                          \
    i++
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help = 1;
        } else if (strcmp(a, "--db") == 0) {
            NEED_VALUE;
            o.db = val;
        } else if (strcmp(a, "--format") == 0) {
            NEED_VALUE;
            if (bg_format_parse(val, &o.format)) {
                fprintf(stderr,
                        "baogao: --format is table, csv, json or "
                        "jsonl, not \"%s\"\n",
                        val);
                goto done;
            }
        } else if (strcmp(a, "--doc") == 0) {
            NEED_VALUE;
            if (parse_size(a, val, &doc) || doc == 0) {
                fprintf(stderr, "baogao: --doc needs a document id\n");
                goto done;
            }
        } else if (strcmp(a, "--top") == 0) {
            NEED_VALUE;
            if (parse_size(a, val, &o.top))
                goto done;
            have_top = 1;
        } else if (strcmp(a, "--limit") == 0) {
            NEED_VALUE;
            if (parse_size(a, val, &o.limit))
                goto done;
            have_limit = 1;
        } else if (strcmp(a, "--width") == 0) {
            NEED_VALUE;
            if (parse_size(a, val, &o.width))
                goto done;
        } else if (strcmp(a, "--rules") == 0) {
            NEED_VALUE;
            o.rules_dir = val;
        } else if (strcmp(a, "--stopwords") == 0) {
            NEED_VALUE;
            o.stopwords = val;
        } else if (strcmp(a, "--drop-stopwords") == 0) {
            o.drop_stopwords = 1;
        } else if (strcmp(a, "--") == 0) {
            while (++i < argc)
                pos[npos++] = argv[i];
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "baogao: unknown option %s (see baogao --help)\n",
                    a);
            goto done;
        } else {
            pos[npos++] = argv[i];
        }
#undef NEED_VALUE
    }
    if (npos == 0) {
        usage(help ? stdout : stderr);
        status = help ? 0 : 2;
        goto done;
    }
    for (size_t k = 0; k < NCOMMANDS; k++)
        if (strcmp(pos[0], COMMANDS[k].name) == 0)
            cmd = &COMMANDS[k];
    if (!cmd) {
        fprintf(stderr, "baogao: unknown command \"%s\" (see baogao --help)\n",
                pos[0]);
        goto done;
    }
    if (help) {
        printf("usage: baogao [global options] %s\n\n%s", cmd->usage,
               cmd->help);
        status = 0;
        goto done;
    }
    o.command = cmd->name;
    o.args = pos + 1;
    o.nargs = npos - 1;
    if (o.nargs < cmd->min_args ||
        (cmd->max_args >= 0 && o.nargs > cmd->max_args)) {
        fprintf(stderr, "usage: baogao %s\n", cmd->usage);
        goto done;
    }
    if (strcmp(cmd->name, "show") == 0) {
        if (parse_size("show", o.args[0], &doc) || doc == 0)
            goto done;
    }
    o.doc = (int64_t)doc;
    if (!have_top)
        o.top = strcmp(cmd->name, "freq") == 0 ? 50 : 10;
    if (!have_limit)
        o.limit = 20;
    status = bg_operate(&o);
done:
    free(pos);
    return status;
}
