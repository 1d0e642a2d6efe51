/*
 * main.c - the baogao command: parses arguments into bg_options and hands
 * them to bg_operate (operate.h).
 */
#include "operate.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command {
    const char *name;
    int min_args, max_args;
    const char *usage, *help;
} command;

/* The options every statistics command shares (query.h, "facets"). */
#define STATS_OPTIONS                                                            \
    "  --where FACETS     only documents matching all of NAME OP VALUE,\n"       \
    "                     comma-separated; OP = != < <= > >= ~ (contains);\n"    \
    "                     NAME doc, file, kind (theme/problem/commitment:\n"     \
    "                     count inside those sentences only) or a document\n"    \
    "                     column (year, org, author, title, ...)\n"              \
    "  --drop-stopwords   leave out words of the stopword list\n"                \
    "  --drop-boilerplate leave out official-document boilerplate\n"             \
    "                     (dict/boilerplate.txt: 加强, 推进, 坚持, ...)\n" \
    "  --add-stopwords F  leave out the words of list F too (repeatable)\n"      \
    "  --numbers          keep numbers\n"

static const command COMMANDS[] = {
    {"ingest", 1, -1, "ingest [--dict FILE]... PATH...",
     "Read reports (a directory is walked for .txt .md .html .htm .docx\n"
     ".jsonl .json .csv), detect their encoding (UTF-8, UTF-16 with BOM,\n"
     "GB18030/GBK, Big5-HKSCS), cut compilations into documents at 第N篇\n"
     "headings, find metadata, normalise, split sentences, segment,\n"
     "extract themes/problems/commitments and store everything in the\n"
     "database. Re-ingesting a changed path replaces what it gave before;\n"
     "an unchanged one is left alone; a document whose normalised text is\n"
     "already stored is recorded as a duplicate and not counted again.\n"
     "Bytes that do not decode are reported with file and byte offset and\n"
     "the file skipped; the others still go in; the exit status is 1 when\n"
     "any file failed.\n"
     "  --rules DIR          extraction rules (default: dict/rules)\n"
     "  --dict FILE          a user dictionary (jieba format; repeatable);\n"
     "                       recorded in the database for later queries\n"
     "  --encoding NAME      read every file in this encoding (ICU name)\n"
     "  --on-invalid replace ingest undecodable bytes as U+FFFD, warn\n"
     "  --text-field F, --title-field F, --date-field F, --id-field F\n"
     "                       record fields of .jsonl/.json/.csv (guessed\n"
     "                       when absent)\n"
     "  --meta-field F,G     fields kept as the document's meta JSON\n"},
    {"search", 1, 1, "search QUERY [--limit N] [--where FACETS]",
     "Sentences containing QUERY, best first (BM25). The query is\n"
     "normalised and segmented like the text, so 贫困户 finds 貧困戶.\n"
     "Space-separated parts must all occur. Falls back to a substring\n"
     "match over the analysis form (every part) when the term search\n"
     "finds nothing.\n"
     "  --limit N       at most N hits (default 20; 0: all)\n"
     "  --where FACETS  only documents matching all of NAME OP VALUE\n"
     "                  (as the statistics commands: year>=2000, doc=3,\n"
     "                  file~seed, kind=problem for labelled sentences)\n"},
    {"keywords", 0, 0, "keywords [--doc ID] [--by FACET] [--method M]",
     "Keywords per document (or per group of --by, taken as one document).\n"
     "Candidates: words of 2+ characters that are not stopwords.\n"
     "  --method jieba     tf / T * ln(N / df), T the document's candidate\n"
     "                     tokens (jieba's extract_tags weighting with the\n"
     "                     idf of this corpus; the default)\n"
     "  --method sklearn   tf * (ln((1 + N) / (1 + df)) + 1), l2-normalised\n"
     "                     (scikit-learn TfidfTransformer defaults)\n"
     "  --method plain     tf * ln(N / df)\n"
     "  --method textrank  TextRank (Mihalcea & Tarau 2004) as jieba 0.42.1\n"
     "                     computes it: window 5, d 0.85, 10 iterations,\n"
     "                     scaled so the top word scores 1\n"
     "  --doc ID      one document (default: every document)\n"
     "  --top N       keywords per document (default 10; 0: "
     "all)\n" STATS_OPTIONS},
    {"freq", 0, 0, "freq [--by FACET [--wide]] [--where FACETS]",
     "Word list: raw frequency, frequency per million term tokens, range\n"
     "(documents containing the word) and DP (Gries 2008 dispersion over\n"
     "documents). Numbers are not listed unless --numbers.\n"
     "  --by FACET    per group: year, org, author, doc, file, ... (long\n"
     "                table, top N per group); with --wide one row per word\n"
     "                and one count column per group\n"
     "  --top N       first N words (default 50; 0: all)\n" STATS_OPTIONS},
    {"keyness", 0, 0,
     "keyness --target FACETS [--reference FACETS | --reference-list F]",
     "Words over- (+) and under-used (-) in the target against the\n"
     "reference (default: every other document): log-likelihood G2 over\n"
     "the 2x2 table (4-term, Dunning 1993; AntConc's default), signed; its\n"
     "p-value (chi-square, 1 df); Log Ratio (Hardie 2014; a zero count is\n"
     "taken as 0.5, column log_ratio_zero_half); %DIFF (Gabrielatos &\n"
     "Marchi 2012).\n"
     "  --target FACETS         e.g. doc=3, year>=2000, org=国务院\n"
     "  --reference FACETS      the reference documents\n"
     "  --reference-list FILE   word<TAB>frequency lines instead\n"
     "  --g2-2term              Rayson & Garside's 2-term G2 (UCREL wizard)\n"
     "  --sort g2|log_ratio|pct_diff|p   (default g2)\n"
     "  --top N                 N words each direction (default 20)\n"
     "  --min-freq N            target + reference frequency at least "
     "N\n" STATS_OPTIONS},
    {"kwic", 1, 1, "kwic QUERY [--width N] [--sort left|right]",
     "Concordance: every occurrence of QUERY (normalised and segmented like\n"
     "the text) with its left and right context in the sentence as\n"
     "written, document, sentence and the node's byte offsets in the file.\n"
     "  --width N     context characters each side (default 20)\n"
     "  --sort left   by the words before the node, nearest first; right:\n"
     "                by the words after it (default: text order)\n"
     "  --limit N     at most N lines (default 20; 0: all)\n"
     "  --where FACETS  only these documents\n"},
    {"collocates", 1, 1, "collocates WORD [--window L,R]",
     "Words near WORD within L terms before and R after, inside its\n"
     "sentence: co-occurrence count o11, MI (Church & Hanks 1990), t-score,\n"
     "logDice (Rychly 2008) and G2. Expected count e11 = f(node) f(coll.)\n"
     "/ N, unadjusted (NLTK); --adjust-window multiplies it by L + R\n"
     "(column e11_window).\n"
     "  --window L,R  default 5,5\n"
     "  --sort log_dice|mi|t_score|g2|o11   (default log_dice)\n"
     "  --min-freq N  o11 at least N; --top N (default 20)\n" STATS_OPTIONS},
    {"ngrams", 0, 0, "ngrams [-n N|A..B]",
     "Word n-grams inside sentences with frequency and range (documents).\n"
     "N-grams holding a number or a dropped stopword are left out.\n"
     "  -n N, -n A..B   lengths 2 to 5 (default 2)\n"
     "  --min-freq N, --top N (default 50)\n" STATS_OPTIONS},
    {"trend", 1, -1, "trend WORD... [--by FACET]",
     "Counts and frequency per million of each WORD per group (default:\n"
     "year when documents have one, else doc), every group listed, ready to\n"
     "plot (--format csv).\n" STATS_OPTIONS},
    {"cooc", 0, 0, "cooc [--top N] [--graphml]",
     "Pairs of the N words found in most sentences (default 50) that\n"
     "occur in the same sentence: count and Jaccard (count / sentences with\n"
     "either). An edge list; --format csv for spreadsheets, --graphml for\n"
     "Gephi.\n"
     "  --min-freq N  pairs in at least N sentences\n" STATS_OPTIONS},
    {"themes", 0, 0, "themes [--doc ID] [--where FACETS] [--explain]",
     "Themes: titles and outline items, with the theme phrase and the\n"
     "section context (plan, directive, review) they lie in.\n"
     "  --explain     the rules and cues that fired, and the context\n"
     "  --where F     only documents matching facets F (year>=2017, org~局,\n"
     "                kind=commitment: sentences also of that kind)\n"},
    {"problems", 0, 0,
     "problems [--doc ID] [--where FACETS] [--explain] | problems --recurring "
     "[--where FACETS] [--threshold X] [--min-docs N] [--top N]",
     "Sentences stating a problem (deficiency, difficulty, violation), with\n"
     "the clause that states it and its category (dict/taxonomy.jsonl).\n"
     "Document metadata columns come along for spreadsheets (--format csv).\n"
     "  --explain     the rules and cues that fired, and the context\n"
     "  --where F     only documents matching facets F (year>=2017, org~局,\n"
     "                kind=commitment: sentences also of that kind)\n"
     "  --recurring   problem clauses of different documents that say the\n"
     "                same thing: TF-IDF cosine over content words, a clause\n"
     "                joining the most similar group centroid when >= X;\n"
     "                groups ranked by documents, organisations, years\n"
     "  --threshold X similarity to join a group (default 0.5, 0..1)\n"
     "  --min-docs N  groups spanning at least N documents (default 2)\n"
     "  --top N       at most N groups (default 10; 0: all)\n"},
    {"commitments", 0, 0, "commitments [--doc ID] [--where FACETS] [--explain]",
     "Sentences stating a commitment (pledge, plan, task, requirement), with\n"
     "the action clause, actor, time horizon and mode (pledge: the writer's\n"
     "own; directive: laid on others).\n"
     "  --explain     the rules and cues that fired, and the context\n"
     "  --where F     only documents matching facets F (year>=2017, org~局,\n"
     "                kind=commitment: sentences also of that kind)\n"},
    {"outline", 1, 1, "outline ID",
     "The heading tree of document ID: depth, enumerator level, theme\n"
     "phrase (indented by depth) and the section context of each heading.\n"},
    {"extract", 0, 0, "extract [--rules DIR] [--doc ID]",
     "Label the stored documents again with another rule set (files are\n"
     "re-read; their sentences must still match the index), replacing\n"
     "their themes, problems and commitments.\n"
     "  --rules DIR   extraction rules (default: dict/rules)\n"
     "  --doc ID      one document (default: all)\n"},
    {"segment", 0, 0, "segment [--dict FILE]... [--only-dict]",
     "Segment text read from standard input: one output line per input\n"
     "line, words separated by two spaces, every character kept as written\n"
     "and punctuation as tokens of its own (the SIGHAN bakeoff format).\n"
     "  --dict FILE   a user dictionary in jieba's format (word [freq]\n"
     "                [pos] a line); repeatable; its words always win\n"
     "  --only-dict   use only the --dict dictionaries, as the lattice's\n"
     "                dictionary, and no number patterns (closed setting)\n"},
    {"docs", 0, 0, "docs [--duplicates]",
     "Documents with file, byte range, title and metadata (author,\n"
     "organisation, date, year, format, encoding and its confidence; dup_of\n"
     "names the document an exact duplicate repeats).\n"
     "  --duplicates  pairs of near-duplicate documents instead, with their\n"
     "                estimated Jaccard similarity (MinHash over character\n"
     "                5-grams of the normalised text; >= 0.5 listed)\n"},
    {"reindex", 0, 0, "reindex [--dict FILE]...",
     "Re-segment every stored sentence with the current dictionaries (the\n"
     "--dict files, else the user dictionaries recorded at ingest), so that\n"
     "search and statistics stay consistent after a dictionary change. The\n"
     "database records which dictionaries made its terms (meta dict_id,\n"
     "user_dicts); commands warn when they differ from the current ones.\n"},
    {"remove", 1, -1, "remove PATH|ID...",
     "Delete documents and everything derived from them: ID a document,\n"
     "PATH a source file as ingested, or a directory (every source under\n"
     "it).\n"},
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

/* Options of the statistics commands. Returns -1 when a is not one of
 * them, 0 when taken (*i moved past its value), 2 on a usage error. */
static int stats_option(bg_options *o, const char *a, const char *val, int *i)
{
    size_t n;
    static const char *const with_value[] = {"--where",
                                             "--by",
                                             "--target",
                                             "--reference",
                                             "--sort",
                                             "--method",
                                             "--reference-list",
                                             "--add-stopwords",
                                             "--min-freq",
                                             "--window",
                                             "-n"};
    int takes = 0;
    for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
        takes |= strcmp(a, with_value[k]) == 0;
    if (takes && !val) {
        fprintf(stderr, "baogao: %s needs a value\n", a);
        return 2;
    }
    if (takes)
        ++*i;
    if (strcmp(a, "--where") == 0)
        o->where = val;
    else if (strcmp(a, "--by") == 0)
        o->by = val;
    else if (strcmp(a, "--target") == 0)
        o->target = val;
    else if (strcmp(a, "--reference") == 0)
        o->reference = val;
    else if (strcmp(a, "--reference-list") == 0)
        o->reference_list = val;
    else if (strcmp(a, "--sort") == 0)
        o->sort = val;
    else if (strcmp(a, "--method") == 0)
        o->method = val;
    else if (strcmp(a, "--add-stopwords") == 0) {
        if (o->nstop_files == sizeof o->stop_files / sizeof *o->stop_files) {
            fprintf(stderr, "baogao: at most 8 --add-stopwords lists\n");
            return 2;
        }
        o->stop_files[o->nstop_files++] = val;
    } else if (strcmp(a, "--min-freq") == 0) {
        if (parse_size(a, val, &n))
            return 2;
        o->min_freq = (int64_t)n;
    } else if (strcmp(a, "--window") == 0) {
        char *end;
        unsigned long l = strtoul(val, &end, 10), r = l;
        if (*end == ',')
            r = strtoul(end + 1, &end, 10);
        if (*end || l > 50 || r > 50 || l + r == 0) {
            fprintf(stderr,
                    "baogao: --window is L,R (terms before and "
                    "after, 0-50), not \"%s\"\n",
                    val);
            return 2;
        }
        o->window_left = l;
        o->window_right = r;
    } else if (strcmp(a, "-n") == 0) {
        char *end;
        long lo = strtol(val, &end, 10), hi = lo;
        if (end[0] == '.' && end[1] == '.')
            hi = strtol(end + 2, &end, 10);
        if (*end || lo < 2 || hi > 5 || lo > hi) {
            fprintf(stderr,
                    "baogao: -n is N or A..B with 2 <= A <= B <= 5, "
                    "not \"%s\"\n",
                    val);
            return 2;
        }
        o->ngram_min = (int)lo;
        o->ngram_max = (int)hi;
    } else if (strcmp(a, "--drop-boilerplate") == 0)
        o->drop_boilerplate = 1;
    else if (strcmp(a, "--numbers") == 0)
        o->numbers = 1;
    else if (strcmp(a, "--wide") == 0)
        o->wide = 1;
    else if (strcmp(a, "--g2-2term") == 0)
        o->two_term = 1;
    else if (strcmp(a, "--adjust-window") == 0)
        o->adjust_window = 1;
    else if (strcmp(a, "--graphml") == 0)
        o->graphml = 1;
    else
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    bg_options o = {0};
    const command *cmd = NULL;
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    const char **dicts = calloc((size_t)argc + 1, sizeof *dicts);
    int npos = 0, help = 0, status = 2;
    size_t doc = 0;
    int have_top = 0, have_limit = 0, sopt;
    o.db = "baogao.db";
    o.width = 60;
    o.threshold = 0.5; /* problems --recurring (query.h) */
    /* before SQLite initialises: no memory statistics (a mutex taken and
     * counters updated on every allocation; baogao never reads them) */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (!pos || !dicts) {
        free(pos);
        free(dicts);
        return 1;
    }
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
        } else if ((sopt = stats_option(&o, a, val, &i)) != -1) {
            if (sopt)
                goto done;
        } else if (strcmp(a, "--width") == 0) {
            NEED_VALUE;
            if (parse_size(a, val, &o.width))
                goto done;
            o.have_width = 1;
        } else if (strcmp(a, "--rules") == 0) {
            NEED_VALUE;
            o.rules_dir = val;
        } else if (strcmp(a, "--stopwords") == 0) {
            NEED_VALUE;
            o.stopwords = val;
        } else if (strcmp(a, "--encoding") == 0) {
            NEED_VALUE;
            o.ingest.encoding = val;
        } else if (strcmp(a, "--on-invalid") == 0) {
            NEED_VALUE;
            if (strcmp(val, "replace") != 0 && strcmp(val, "error") != 0) {
                fprintf(stderr,
                        "baogao: --on-invalid is error or replace, "
                        "not \"%s\"\n",
                        val);
                goto done;
            }
            o.ingest.on_invalid_replace = strcmp(val, "replace") == 0;
        } else if (strcmp(a, "--text-field") == 0) {
            NEED_VALUE;
            o.ingest.text_field = val;
        } else if (strcmp(a, "--title-field") == 0) {
            NEED_VALUE;
            o.ingest.title_field = val;
        } else if (strcmp(a, "--date-field") == 0) {
            NEED_VALUE;
            o.ingest.date_field = val;
        } else if (strcmp(a, "--id-field") == 0) {
            NEED_VALUE;
            o.ingest.id_field = val;
        } else if (strcmp(a, "--meta-field") == 0) {
            NEED_VALUE;
            o.ingest.meta_fields = val;
        } else if (strcmp(a, "--duplicates") == 0) {
            o.duplicates = 1;
        } else if (strcmp(a, "--explain") == 0) {
            o.explain = 1;
        } else if (strcmp(a, "--recurring") == 0) {
            o.recurring = 1;
        } else if (strcmp(a, "--threshold") == 0) {
            NEED_VALUE;
            char *end;
            o.threshold = strtod(val, &end);
            if (*end || end == val || o.threshold < 0 || o.threshold > 1) {
                fprintf(stderr,
                        "baogao: --threshold needs a number in 0..1, not "
                        "\"%s\"\n",
                        val);
                goto done;
            }
        } else if (strcmp(a, "--min-docs") == 0) {
            NEED_VALUE;
            if (parse_size(a, val, &o.min_docs))
                goto done;
        } else if (strcmp(a, "--dict") == 0) {
            NEED_VALUE;
            o.dicts = (const char **)dicts;
            dicts[o.ndicts++] = val;
        } else if (strcmp(a, "--only-dict") == 0) {
            o.only_dict = 1;
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
    if (strcmp(cmd->name, "show") == 0 || strcmp(cmd->name, "outline") == 0) {
        if (parse_size(cmd->name, o.args[0], &doc) || doc == 0)
            goto done;
    }
    o.doc = (int64_t)doc;
    if (!have_top)
        o.top = strcmp(cmd->name, "freq") == 0 ||
                        strcmp(cmd->name, "ngrams") == 0 ||
                        strcmp(cmd->name, "cooc") == 0
                    ? 50
                : strcmp(cmd->name, "keyness") == 0 ||
                        strcmp(cmd->name, "collocates") == 0
                    ? 20
                    : 10;
    if (!have_limit)
        o.limit = 20;
    status = bg_operate(&o);
done:
    free(pos);
    free(dicts);
    return status;
}
