/* greenfin.c -- the `greenfin` command: loans, projects and portfolios from JSON
 * files, evaluated through the public API and written as JSON, text or CSV.
 *
 *   greenfin loan FILE|- [--format text|json|csv] [--output DIR] [--discount-rate D]
 *   greenfin project FILE|- [--format text|json|csv] [--output DIR]
 *   greenfin report [FILE|-] [--format text|json|csv|xlsx] [--output DIR] [--threads N] [--year Y]
 *   greenfin solve FILE|- --vary KEY --target METRIC=VALUE [...]   (greenfin_solve.c)
 *
 * The contract is README.md "The greenfin command". Exit status: 0 on
 * success, 1 on a calculation error, 2 on bad input or usage. Errors go to
 * standard error as "greenfin: <path>: <message>"; nothing else does. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "greenfin.h"
#include "greenfin_out.h"
#include "greenfin_solve.h"
#include "greenfin_risk.h"
#include "greenfin_text.h"
#include "greenfin_xlsx.h"

#ifndef GFIN_DATADIR
#  define GFIN_DATADIR "/usr/local/share/greenfin"
#endif
#define SAMPLE "cambodia_pipeline.json"

enum { EXIT_OK = 0, EXIT_CALC = 1, EXIT_INPUT = 2 };

typedef enum command { CMD_LOAN, CMD_PROJECT, CMD_REPORT, CMD_SOLVE } command;
typedef enum format { FMT_DEFAULT, FMT_TEXT, FMT_JSON, FMT_CSV, FMT_XLSX } format;

static const char *const COMMANDS[] = {"loan", "project", "report", "solve"};

typedef struct options {
    command cmd;
    const char *file;   /* NULL: not given */
    format fmt;
    const char *outdir; /* NULL: standard output */
    bool have_discount;
    double discount_rate;
    int threads;        /* 0: one per core */
    bool have_year;
    double year;        /* --year: the impact table's calendar year */
    gf_solve_args solve;
    const gf_solved *solved; /* solve: what the output starts with */
} options;

/* ======================================================================== */
/* Usage                                                                    */
/* ======================================================================== */

static const char USAGE[] =
    "usage: greenfin <command> [options]\n"
    "\n"
    "Appraises hydropower and solar projects, their loans and a green fund's\n"
    "portfolio from JSON files. README.md describes the file format and the\n"
    "output; docs/model.md states every formula and its source.\n"
    "\n"
    "commands:\n"
    "  loan FILE|-       a loan's schedule and metrics\n"
    "  project FILE|-    a project's yearly cash flows, metrics and loans\n"
    "  report [FILE|-]   a portfolio and its fund (default: the bundled sample)\n"
    "  risk [FILE|-]     cases, sensitivity and Monte Carlo of a file's risk object\n"
    "  solve FILE|-      goal seek: the input value at which a metric reaches a target\n"
    "  help [COMMAND]    this text, or a command's options\n"
    "\n"
    "  greenfin --version    prints the version\n"
    "\n"
    "Output is text on a terminal and JSON otherwise; see 'greenfin <command> --help'.\n"
    "Exit status: 0 success, 1 calculation error, 2 bad input or usage.\n";

static const char COMMON_OPTIONS[] =
    "  --format FMT        text, json, csv or xlsx (default: text when standard output\n"
    "                      is a terminal, json otherwise and with --output)\n"
    "  --output DIR        write into DIR (created if missing): <command>.json or\n"
    "                      <command>.txt, or one CSV file per table; csv needs it\n"
    "  --format xlsx --output FILE.xlsx\n"
    "                      one Excel workbook: Summary, one sheet per table\n";

static const char *const COMMAND_USAGE[] = {
    "usage: greenfin loan FILE|- [--format text|json|csv|xlsx] [--output DIR] [--discount-rate D]\n"
    "\n"
    "Evaluates a loan object (docs/model.md \"Loans\"): its schedule and metrics.\n"
    "FILE - reads standard input. CSV output: schedule.csv, metrics.csv.\n"
    "\n"
    "options:\n",
    "usage: greenfin project FILE|- [--format text|json|csv|xlsx] [--output DIR]\n"
    "\n"
    "Evaluates a project object (docs/model.md \"Projects\"; it sets start_year,\n"
    "discount_rate and grid itself): yearly cash flows, metrics, warnings and its\n"
    "loans. CSV output: years.csv, metrics.csv, loan_<id>_schedule.csv and\n"
    "loan_<id>_metrics.csv per loan, warnings.txt when there are warnings.\n"
    "\n"
    "options:\n",
    "usage: greenfin report [FILE|-] [--format text|json|csv|xlsx] [--output DIR] [--threads N]\n"
    "                       [--discount-rate D] [--year Y]\n"
    "\n"
    "Evaluates a portfolio file (\"format\": \"greenfin/1\"): the fund's cash flows,\n"
    "the portfolio's energy and emission reductions, and every project. Without\n"
    "FILE, the bundled sample " SAMPLE ". CSV output: metrics.csv,\n"
    "fund.csv, portfolio.csv, warnings.txt, and projects/<id>/ as for 'project'.\n"
    "\n"
    "options:\n",
    GF_SOLVE_USAGE,
};

static const char *const COMMAND_OPTIONS[] = {
    "  --discount-rate D   adds the grant element at annual discount rate D\n"
    "                      (a fraction: 0.05 for 5 %)\n",
    "",
    "  --year Y            the calendar year of the impact table (default: the file's\n"
    "                      impact_year, else the first year every project operates)\n"
    "  --threads N         worker threads, 0 for one per core (default 0); the\n"
    "                      output is the same for any N\n"
    "  --discount-rate D   every loan's grant element and the fund's subsidy at\n"
    "                      annual discount rate D (the portfolio's\n"
    "                      grant_element_discount_rate, default 0.05)\n",
    GF_SOLVE_OPTIONS,
};

static bool locate_sample(const char *argv0, char *path, size_t n);

/* The general usage says where the sample really is: in a build tree it lies
 * next to the command; GFIN_DATADIR exists only after `meson install`. */
static int print_usage(const char *argv0, int cmd)
{
    if (cmd < 0) {
        char sample[PATH_MAX];
        fputs(USAGE, stdout);
        if (locate_sample(argv0, sample, sizeof sample))
            printf("\nThe bundled sample portfolio: %s\n", sample);
        else
            printf("\nThe bundled sample portfolio is not installed ('meson install' puts it and the\n"
                   "JSON Schema in %s); 'report' then needs a FILE.\n", GFIN_DATADIR);
    } else
        printf("%s%s%s  --help              this text\n", COMMAND_USAGE[cmd], COMMON_OPTIONS,
               COMMAND_OPTIONS[cmd]);
    return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_INPUT;
}

/* A usage error: one line on stderr with a hint, exit status 2. */
static int usage_error(int cmd, const char *what, const char *message)
{
    fprintf(stderr, "greenfin: %s%s%s (try 'greenfin%s%s --help')\n", what, *what ? ": " : "", message,
            cmd >= 0 ? " " : "", cmd >= 0 ? COMMANDS[cmd] : "");
    return EXIT_INPUT;
}

/* ======================================================================== */
/* Options                                                                  */
/* ======================================================================== */

static int find_command(const char *name)
{
    for (int i = 0; i < (int)(sizeof COMMANDS / sizeof COMMANDS[0]); ++i)
        if (strcmp(name, COMMANDS[i]) == 0)
            return i;
    return -1;
}

/* "--threads": 0 or more, whole. */
static int parse_threads(const char *s, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (!*s || *end || errno == ERANGE || n > INT_MAX || n < INT_MIN) {
        fprintf(stderr, "greenfin: --threads: '%s' is not a whole number\n", s);
        return EXIT_INPUT;
    }
    if (n < 0) {
        fprintf(stderr, "greenfin: --threads: %ld is below the minimum 0 (0: one per core)\n", n);
        return EXIT_INPUT;
    }
    *out = (int)n;
    return EXIT_OK;
}

static int parse_number(const char *opt, const char *s, double *out)
{
    char *end;
    double x = strtod(s, &end);
    if (!*s || *end || !isfinite(x)) {
        fprintf(stderr, "greenfin: %s: '%s' is not a number\n", opt, s);
        return EXIT_INPUT;
    }
    *out = x;
    return EXIT_OK;
}

static int parse_format(const char *s, format *out)
{
    static const char *const names[] = {"text", "json", "csv", "xlsx"};
    for (int i = 0; i < 4; ++i)
        if (strcmp(s, names[i]) == 0) {
            *out = (format)(FMT_TEXT + i);
            return EXIT_OK;
        }
    fprintf(stderr, "greenfin: --format: '%s' is not one of text, json, csv, xlsx\n", s);
    return EXIT_INPUT;
}

/* One option with its value; *i is advanced past a separate value. */
static int parse_option(options *o, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    char name[32];
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), arg);
    int cmd = (int)o->cmd;
    bool known = strcmp(name, "--format") == 0 || strcmp(name, "--output") == 0 ||
                 (strcmp(name, "--discount-rate") == 0 && (o->cmd == CMD_LOAN || o->cmd == CMD_REPORT)) ||
                 (strcmp(name, "--threads") == 0 && (o->cmd == CMD_REPORT || o->cmd == CMD_SOLVE)) ||
                 (strcmp(name, "--year") == 0 && o->cmd == CMD_REPORT) ||
                 (gf_solve_takes(name) && o->cmd == CMD_SOLVE);
    if (!known) {
        bool elsewhere = strcmp(name, "--discount-rate") == 0 || strcmp(name, "--threads") == 0 ||
                         strcmp(name, "--year") == 0 || gf_solve_takes(name);
        return usage_error(cmd, name, elsewhere ? "not an option of this command" : "unknown option");
    }
    const char *value = eq ? eq + 1 : NULL;
    if (!value) {
        if (*i + 1 >= argc)
            return usage_error(cmd, name, "needs a value");
        value = argv[++*i];
    }
    if (strcmp(name, "--format") == 0)
        return parse_format(value, &o->fmt);
    if (strcmp(name, "--output") == 0) {
        if (!*value)
            return usage_error(cmd, name, "needs a directory");
        o->outdir = value;
        return EXIT_OK;
    }
    if (strcmp(name, "--threads") == 0)
        return parse_threads(value, &o->threads);
    if (strcmp(name, "--year") == 0) { /* checked against the registry's bounds when set */
        o->have_year = true;
        return parse_number(name, value, &o->year);
    }
    if (o->cmd == CMD_SOLVE)
        return gf_solve_option(&o->solve, name, value);
    o->have_discount = true;
    return parse_number(name, value, &o->discount_rate);
}

/* Parses the command line. Returns -1 to go on, or an exit status (help,
 * version and errors are handled here). */
static int parse_args(int argc, char **argv, options *o)
{
    *o = (options){0};
    if (argc < 2)
        return usage_error(-1, "", "no command given");
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0)
        return print_usage(argv[0], -1);
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        printf("greenfin %s\n", gfin_version_string());
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_INPUT;
    }
    if (strcmp(first, "help") == 0) {
        if (argc > 2 && find_command(argv[2]) < 0)
            return usage_error(-1, argv[2], "is not a command");
        return print_usage(argv[0], argc > 2 ? find_command(argv[2]) : -1);
    }
    int cmd = find_command(first);
    if (cmd < 0)
        return usage_error(-1, first, first[0] == '-' ? "unknown option" : "is not a command");
    o->cmd = (command)cmd;
    bool only_files = false;
    for (int i = 2; i < argc; ++i) {
        const char *arg = argv[i];
        if (!only_files && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0))
            return print_usage(argv[0], cmd);
        if (!only_files && strcmp(arg, "--") == 0) {
            only_files = true;
        } else if (!only_files && arg[0] == '-' && arg[1]) {
            int st = parse_option(o, argc, argv, &i);
            if (st != EXIT_OK)
                return st;
        } else if (o->file) {
            return usage_error(cmd, arg, "unexpected argument (one FILE only)");
        } else {
            o->file = arg;
        }
    }
    if (!o->file && o->cmd != CMD_REPORT)
        return usage_error(cmd, COMMANDS[cmd], "a FILE (or - for standard input) is required");
    if (o->cmd == CMD_SOLVE && gf_solve_missing(&o->solve))
        return usage_error(cmd, gf_solve_missing(&o->solve), "is required");
    if (o->fmt == FMT_DEFAULT)
        o->fmt = o->outdir || !isatty(STDOUT_FILENO) ? FMT_JSON : FMT_TEXT;
    if (o->fmt == FMT_CSV && !o->outdir)
        return usage_error(cmd, "--format csv", "needs --output DIR");
    if (o->fmt == FMT_XLSX && o->cmd == CMD_SOLVE)
        return usage_error(cmd, "--format xlsx", "not available for solve (text, json or csv)");
    if (o->fmt == FMT_XLSX && !gf_xlsx_available())
        return usage_error(cmd, "--format xlsx", "this greenfin was built without libxlsxwriter");
    if (o->fmt == FMT_XLSX && !o->outdir)
        return usage_error(cmd, "--format xlsx", "needs --output FILE.xlsx");
    return -1;
}

/* ======================================================================== */
/* Input                                                                    */
/* ======================================================================== */

typedef struct input {
    const char *name; /* for messages: the path, or "standard input" */
    char *text;
    size_t len;
} input;

static int too_large(const char *name, intmax_t size)
{
    if (size >= 0)
        fprintf(stderr, "greenfin: %s: the document is %jd bytes, more than the 64 MiB limit\n", name, size);
    else
        fprintf(stderr, "greenfin: %s: the document is larger than the 64 MiB limit\n", name);
    return EXIT_INPUT;
}

/* Reads all of fd, refusing more than GFIN_JSON_MAX_BYTES: checked with fstat
 * first for regular files, and for pipes by reading at most one byte more. */
static int read_fd(int fd, input *in)
{
    const size_t limit = GFIN_JSON_MAX_BYTES;
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > limit)
        return too_large(in->name, (intmax_t)sb.st_size);
    size_t cap = 65536;
    in->text = malloc(cap);
    in->len = 0;
    for (;;) {
        if (!in->text) {
            fprintf(stderr, "greenfin: %s: out of memory\n", in->name);
            return EXIT_CALC;
        }
        if (in->len == cap) {
            if (cap > limit)
                return too_large(in->name, -1);
            cap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
            char *bigger = realloc(in->text, cap);
            if (!bigger)
                free(in->text);
            in->text = bigger;
            continue;
        }
        ssize_t n = read(fd, in->text + in->len, cap - in->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "greenfin: %s: %s\n", in->name, strerror(errno));
            return EXIT_INPUT;
        }
        if (n == 0)
            return EXIT_OK;
        in->len += (size_t)n;
    }
}

static int read_input(const char *path, input *in)
{
    *in = (input){.name = strcmp(path, "-") == 0 ? "standard input" : path};
    if (strcmp(path, "-") == 0)
        return read_fd(STDIN_FILENO, in);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "greenfin: %s: %s\n", path, strerror(errno));
        return EXIT_INPUT;
    }
    int st = read_fd(fd, in);
    close(fd);
    return st;
}

/* The bundled sample: next to the executable (the build tree has it in
 * data/), else in the installed data directory. */
static bool locate_sample(const char *argv0, char *path, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
    } else if (strchr(argv0, '/')) {
        snprintf(exe, sizeof exe, "%s", argv0);
    } else {
        exe[0] = '\0';
    }
    char *slash = strrchr(exe, '/');
    if (slash) {
        *slash = '\0';
        if ((size_t)snprintf(path, n, "%s/data/" SAMPLE, exe) < n && access(path, R_OK) == 0)
            return true;
    }
    return (size_t)snprintf(path, n, "%s/" SAMPLE, GFIN_DATADIR) < n && access(path, R_OK) == 0;
}

static int find_sample(const char *argv0, char *path, size_t n)
{
    if (locate_sample(argv0, path, n))
        return EXIT_OK;
    fprintf(stderr, "greenfin: " SAMPLE ": the bundled sample is neither next to the executable (data/) nor in %s;"
                    " give a FILE\n", GFIN_DATADIR);
    return EXIT_INPUT;
}

/* ======================================================================== */
/* Errors                                                                   */
/* ======================================================================== */

static int exit_status(gfin_status st)
{
    return st == GFIN_EINVAL || st == GFIN_EPARSE || st == GFIN_EIO ? EXIT_INPUT : EXIT_CALC;
}

/* "greenfin: <path>: <message>", the path being the field to blame, else `what`. */
static int report_error(gfin_status st, const gfin_error *e, const char *what)
{
    const char *path = e->path[0] ? e->path : what;
    fprintf(stderr, "greenfin: %s: %s\n", path, e->message[0] ? e->message : gfin_strerror(st));
    return exit_status(st);
}

/* The status of a loader that returned NULL. */
static gfin_status load_status(const gfin_error *e) { return e->code ? (gfin_status)e->code : GFIN_EINVAL; }

/* ======================================================================== */
/* Output                                                                   */
/* ======================================================================== */

/* Files go through greenfin_out.c: staged, and renamed only when the whole
 * run succeeds (a failed run leaves nothing behind). */

/* The output of a json or text run: standard output or DIR/<command>.<ext>. */
static int open_output(const options *o, const char *ext, FILE **f, char *path, size_t n)
{
    char name[32];
    if (!o->outdir) {
        *f = stdout;
        snprintf(path, n, "standard output");
        return EXIT_OK;
    }
    snprintf(name, sizeof name, "%s.%s", COMMANDS[o->cmd], ext);
    int st;
    if ((st = gf_out_mkdirs(o->outdir)) || (st = gf_out_join(path, n, o->outdir, name)))
        return st;
    *f = gf_out_open(path);
    return *f ? EXIT_OK : EXIT_INPUT;
}

/* ---- CSV: one file per table ---- */

static int write_warnings(const char *path, const gfin_result *r)
{
    FILE *f = gf_out_open(path);
    if (!f)
        return EXIT_INPUT;
    for (size_t i = 0; i < gfin_result_warning_count(r); ++i)
        fprintf(f, "%s\n", gfin_result_warning(r, i));
    return gf_out_close(f, path);
}

/* One CSV file from a streaming writer (gfin_table_write_csv, ...). */
typedef gfin_status (*csv_writer)(const void *what, gfin_write_fn sink, void *ctx, gfin_error *err);

static gfin_status table_csv(const void *t, gfin_write_fn sink, void *ctx, gfin_error *err)
{
    return gfin_table_write_csv(t, sink, ctx, err);
}

static gfin_status metrics_csv(const void *r, gfin_write_fn sink, void *ctx, gfin_error *err)
{
    return gfin_result_write_metrics_csv(r, sink, ctx, err);
}

static int write_csv_file(const char *dir, const char *name, csv_writer write, const void *what)
{
    char path[PATH_MAX];
    gfin_error e = {0};
    int st = gf_out_join(path, sizeof path, dir, name);
    FILE *f = st ? NULL : gf_out_open(path);
    if (!f)
        return EXIT_INPUT;
    gfin_status gs = write(what, gf_out_sink, f, &e);
    st = gf_out_close(f, path); /* a refused chunk is the file's error */
    return gs && gs != GFIN_EIO ? report_error(gs, &e, dir) : gs ? EXIT_INPUT : st;
}

typedef char file_name[96];

/* File-name-safe forms of the children's ids ([A-Za-z0-9_-], others '_'), made
 * unique among siblings by appending "_<i+1>" (then "_<k>") on a clash. */
static void safe_names(const gfin_result *parent, file_name *names)
{
    for (size_t i = 0; i < gfin_result_child_count(parent); ++i) {
        const char *id = gfin_result_id(gfin_result_child(parent, i));
        char base[65];
        size_t k = 0;
        for (; id[k] && k < 64; ++k) {
            char c = id[k];
            bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_';
            base[k] = ok ? c : '_';
        }
        base[k] = '\0';
        snprintf(names[i], sizeof names[i], "%s", base);
        for (size_t attempt = 1;; ++attempt) {
            bool clash = !names[i][0];
            for (size_t j = 0; j < i && !clash; ++j)
                clash = strcmp(names[j], names[i]) == 0;
            if (!clash)
                break;
            if (attempt == 1)
                snprintf(names[i], sizeof names[i], "%s_%zu", base, i + 1);
            else
                snprintf(names[i], sizeof names[i], "%s_%zu_%zu", base, i + 1, attempt);
        }
    }
}

/* Every table of r as <dir>/<prefix><table>.csv, its metrics and warnings; a
 * project's loans as loan_<id>_*, a portfolio's projects in projects/<id>/. */
static int write_csv(const char *dir, const char *prefix, const gfin_result *r)
{
    char path[PATH_MAX], name[192];
    int st;
    if ((st = gf_out_mkdirs(dir)))
        return st;
    for (size_t i = 0; i < gfin_result_table_count(r); ++i) {
        snprintf(name, sizeof name, "%s%s.csv", prefix, gfin_result_table_name(r, i));
        if ((st = write_csv_file(dir, name, table_csv, gfin_result_table_at(r, i))))
            return st;
    }
    snprintf(name, sizeof name, "%smetrics.csv", prefix);
    if ((st = write_csv_file(dir, name, metrics_csv, r)))
        return st;
    if (gfin_result_warning_count(r)) {
        snprintf(name, sizeof name, "%swarnings.txt", prefix);
        if ((st = gf_out_join(path, sizeof path, dir, name)) || (st = write_warnings(path, r)))
            return st;
    }
    size_t n = gfin_result_child_count(r);
    file_name *ids = n ? calloc(n, sizeof *ids) : NULL;
    if (n && !ids) {
        fprintf(stderr, "greenfin: %s: out of memory\n", dir);
        return EXIT_CALC;
    }
    safe_names(r, ids);
    for (size_t i = 0; i < n && !st; ++i) {
        char sub[PATH_MAX];
        if (gfin_result_kind_of(r) == GFIN_RESULT_PORTFOLIO) {
            snprintf(name, sizeof name, "projects/%s", ids[i]);
            st = gf_out_join(sub, sizeof sub, dir, name);
            if (!st)
                st = write_csv(sub, "", gfin_result_child(r, i));
        } else {
            snprintf(name, sizeof name, "%sloan_%s_", prefix, ids[i]);
            st = write_csv(dir, name, gfin_result_child(r, i));
        }
    }
    free(ids);
    return st;
}

/* The JSON of a solve starts with what was solved: the sink puts it in
 * after the opening brace. */
typedef struct json_out {
    FILE *f;
    const gf_solved *head;
} json_out;

static int json_sink(void *ctx, const char *data, size_t len)
{
    json_out *j = ctx;
    if (j->head) {
        fputc(*data, j->f);
        gf_solve_json_head(j->f, j->head);
        j->head = NULL;
        data++, len--;
    }
    return gf_out_sink(j->f, data, len);
}

/* Streamed: the text is never held in memory. */
static int write_json(const options *o, const gfin_result *r)
{
    char path[PATH_MAX];
    gfin_error e = {0};
    json_out j = {NULL, o->solved};
    int st = open_output(o, "json", &j.f, path, sizeof path);
    if (st)
        return st;
    gfin_status gs = gfin_result_write_json(r, json_sink, &j, &e);
    st = gf_out_close(j.f, path);
    return gs && gs != GFIN_EIO ? report_error(gs, &e, "--format json") : gs ? EXIT_INPUT : st;
}

static int write_text(const options *o, const gfin_result *r, const gfin_portfolio *pf)
{
    char path[PATH_MAX];
    FILE *f;
    int st = open_output(o, "txt", &f, path, sizeof path);
    if (st)
        return st;
    if (o->solved)
        gf_solve_text_head(f, o->solved);
    gfin_status gs = o->cmd == CMD_LOAN ? gf_text_loan(f, r)
                     : gfin_result_kind_of(r) == GFIN_RESULT_PROJECT ? gf_text_project(f, r)
                                                                     : gf_text_report(f, r, pf);
    st = gf_out_close(f, path);
    if (gs) {
        fprintf(stderr, "greenfin: %s: %s\n", path, gfin_strerror(gs));
        return exit_status(gs);
    }
    return st;
}

static int write_xlsx(const options *o, const gfin_result *r, const gf_xlsx_inputs *in)
{
    char message[256];
    gfin_status gs = gf_xlsx_write(o->outdir, r, in, message, sizeof message);
    if (gs)
        fprintf(stderr, "greenfin: %s: %s\n", o->outdir, message);
    return gs ? exit_status(gs) : EXIT_OK;
}

/* `in`: the evaluated inputs, for what the result does not carry. */
static int write_result(const options *o, const gfin_result *r, const gf_xlsx_inputs *in)
{
    const gfin_portfolio *pf = in->portfolio;
    errno = 0; /* write errors are reported with errno; none is stale */
    switch (o->fmt) {
    case FMT_XLSX:
        return write_xlsx(o, r, in);
    case FMT_CSV: {
        int st = write_csv(o->outdir, "", r);
        return st || !o->solved ? st : gf_solve_write_csv(o->outdir, o->solved);
    }
    case FMT_TEXT:
        return write_text(o, r, pf);
    default:
        return write_json(o, r);
    }
}

/* ======================================================================== */
/* Commands                                                                 */
/* ======================================================================== */

static int run_loan(const options *o, const input *in)
{
    gfin_error e = {0};
    gfin_result *r = NULL;
    gfin_loan *loan = gfin_loan_from_json(in->text, in->len, &e);
    if (!loan)
        return report_error(load_status(&e), &e, in->name);
    gfin_status gs = o->have_discount ? gfin_loan_evaluate_ge(loan, o->discount_rate, &r, &e)
                                      : gfin_loan_evaluate(loan, &r, &e);
    /* The discount rate is the option's, not a key of the file. */
    if (gs && strcmp(e.path, "discount_rate") == 0)
        e.path[0] = '\0';
    int st = gs ? report_error(gs, &e, e.path[0] || !o->have_discount ? in->name : "--discount-rate")
                : write_result(o, r, &(gf_xlsx_inputs){.loan = loan});
    gfin_result_free(r);
    gfin_loan_free(loan);
    return st;
}

static int run_project(const options *o, const input *in)
{
    gfin_error e = {0};
    gfin_result *r = NULL;
    gfin_project *project = gfin_project_from_json(in->text, in->len, &e);
    if (!project)
        return report_error(load_status(&e), &e, in->name);
    gfin_status gs = gfin_project_evaluate(project, &r, &e);
    int st = gs ? report_error(gs, &e, in->name) : write_result(o, r, &(gf_xlsx_inputs){.project = project});
    gfin_result_free(r);
    gfin_project_free(project);
    return st;
}

static int run_report(const options *o, const input *in)
{
    gfin_error e = {0};
    gfin_result *r = NULL;
    gfin_portfolio *pf = gfin_portfolio_from_json(in->text, in->len, &e);
    if (!pf)
        return report_error(load_status(&e), &e, in->name);
    /* --discount-rate: the portfolio's grant_element_discount_rate. */
    if (o->have_discount && gfin_portfolio_set(pf, GFIN_PORTFOLIO_GRANT_ELEMENT_DISCOUNT_RATE, o->discount_rate)) {
        gfin_error pe = *gfin_portfolio_last_error(pf);
        pe.path[0] = '\0'; /* the option, not the key, is what the user wrote */
        int st = report_error(GFIN_EINVAL, &pe, "--discount-rate");
        gfin_portfolio_free(pf);
        return st;
    }
    gfin_status gs = o->have_year ? gfin_portfolio_set_err(pf, GFIN_PORTFOLIO_IMPACT_YEAR, o->year, &e) : GFIN_OK;
    if (gs) {
        gfin_portfolio_free(pf);
        e.path[0] = '\0'; /* the option's value, not the file's key */
        return report_error(gs, &e, "--year");
    }
    gs = gfin_portfolio_evaluate(pf, o->threads, &r, &e);
    int st = gs ? report_error(gs, &e, in->name) : write_result(o, r, &(gf_xlsx_inputs){.portfolio = pf});
    gfin_result_free(r);
    gfin_portfolio_free(pf);
    return st;
}

static int run_solve(const options *o, const input *in)
{
    gfin_error e = {0};
    gf_solved s;
    gfin_status gs = gf_solve_run(&o->solve, in->text, in->len, o->threads, &s, &e);
    if (gs)
        return report_error(gs, &e, in->name);
    options with = *o;
    with.solved = &s;
    int st = write_result(&with, s.result, &(gf_xlsx_inputs){.project = s.project, .portfolio = s.portfolio});
    gf_solved_free(&s);
    return st;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "risk") == 0) /* greenfin_risk.c */
        return gf_risk_main(argc, argv, locate_sample);
    options o;
    int st = parse_args(argc, argv, &o);
    if (st >= 0)
        return st;
    char sample[PATH_MAX];
    if (!o.file) {
        if ((st = find_sample(argv[0], sample, sizeof sample)))
            return st;
        o.file = sample;
    }
    input in;
    st = read_input(o.file, &in);
    if (!st)
        st = o.cmd == CMD_LOAN      ? run_loan(&o, &in)
             : o.cmd == CMD_PROJECT ? run_project(&o, &in)
             : o.cmd == CMD_SOLVE   ? run_solve(&o, &in)
                                    : run_report(&o, &in);
    /* all of the output, or none of it */
    if (st)
        gf_out_rollback();
    else
        st = gf_out_commit();
    free(in.text);
    return st;
}
