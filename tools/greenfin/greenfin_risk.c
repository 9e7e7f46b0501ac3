/* greenfin_risk.c -- `greenfin risk`: the cases, sensitivity and Monte Carlo
 * of a portfolio or project file's `risk` object (docs/model.md "Risk"),
 * through the public API, written as text, JSON, CSV or an Excel workbook
 * (greenfin_xlsx_risk.c).
 *
 *   greenfin risk [FILE|-] [--scenarios N] [--seed S] [--first F] [--count K]
 *                 [--threads N] [--samples] [--format text|json|csv|xlsx]
 *                 [--output DIR] [--quiet]
 *
 * Exit status as the other commands: 0 success, 1 a calculation error (a
 * scenario, case or sensitivity value the model refuses), 2 bad input or
 * usage. Errors go to standard error as "greenfin: <path>: <message>". */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "greenfin.h"
#include "greenfin_out.h"
#include "greenfin_risk.h"
#include "greenfin_xlsx.h"

enum { OK = 0, CALC = 1, INPUT = 2 };

static const char USAGE[] =
    "usage: greenfin risk [FILE|-] [--scenarios N] [--seed S] [--first F] [--count K]\n"
    "                     [--threads N] [--samples] [--format text|json|csv|xlsx] [--output DIR] [--quiet]\n"
    "\n"
    "Runs the \"risk\" object of a portfolio or project file (docs/model.md \"Risk\"):\n"
    "its cases and sensitivity entries, and scenarios first .. first + count - 1 of\n"
    "its Monte Carlo experiment. Without FILE, the bundled sample. Statistics per\n"
    "project and for the portfolio (n, mean, sd, min, q05, q10, q50, q90, q95, max;\n"
    "P90 of a quantity where more is better is its q10), probabilities, the tornado\n"
    "and the cases against the base. The output is the same for any --threads and\n"
    "any split into blocks (--first/--count).\n"
    "\n"
    "options:\n"
    "  --scenarios N       the experiment's size (overrides risk.scenarios; default 1000)\n"
    "  --seed S            its seed (overrides risk.seed; default 1)\n"
    "  --first F           the block's first scenario (default 0)\n"
    "  --count K           the block's scenarios (default: scenarios - first)\n"
    "  --threads N         worker threads, 0 for one per core (default 0)\n"
    "  --samples           also write every scenario's metrics (\"samples\")\n"
    "  --format FMT        text, json, csv or xlsx (default: text on a terminal, else json)\n"
    "  --output DIR        write into DIR: risk.json, risk.txt, or one CSV file per table\n"
    "  --format xlsx --output FILE.xlsx\n"
    "                      one Excel workbook: a Summary (the run, the headline q10/q50/q90\n"
    "                      and probabilities, the risk inputs, the warnings) and a sheet per\n"
    "                      table (statistics, probabilities, sensitivity, cases, samples)\n"
    "  --quiet             no progress line (it appears only on a terminal)\n"
    "  --help              this text\n";

typedef struct args {
    const char *file, *outdir;
    int fmt; /* 0 default, 1 text, 2 json, 3 csv, 4 xlsx */
    bool samples, quiet, has_scenarios, has_seed, has_first, has_count;
    unsigned long long scenarios, seed, first, count;
    int threads;
} args;

static int usage_error(const char *what, const char *message)
{
    fprintf(stderr, "greenfin: %s%s%s (try 'greenfin risk --help')\n", what, *what ? ": " : "", message);
    return INPUT;
}

static int whole(const char *opt, const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-' || *s == '+') {
        fprintf(stderr, "greenfin: %s: '%s' is not a whole number of 0 or more\n", opt, s);
        return INPUT;
    }
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno == ERANGE) {
        fprintf(stderr, "greenfin: %s: '%s' is not a whole number of 0 or more\n", opt, s);
        return INPUT;
    }
    if (v > max) {
        fprintf(stderr, "greenfin: %s: %llu is above the maximum %llu\n", opt, v, max);
        return INPUT;
    }
    *out = v;
    return OK;
}

/* The value of valued option k (of parse's list) into a. */
static int set_valued(args *a, size_t k, const char *name, const char *value)
{
    static const char *const FORMATS[] = {"text", "json", "csv", "xlsx"}; /* args.fmt 1 .. 4 */
    unsigned long long v;
    int st = OK;
    switch (k) {
    case 0:
        st = whole(name, value, GFIN_RISK_MAX_SCENARIOS, &a->scenarios);
        a->has_scenarios = true;
        if (!st && a->scenarios == 0)
            st = usage_error(name, "0 scenarios: give 1 or more");
        break;
    case 1:
        st = whole(name, value, 9007199254740991ull, &a->seed);
        a->has_seed = true;
        break;
    case 2:
        st = whole(name, value, GFIN_RISK_MAX_SCENARIOS, &a->first);
        a->has_first = true;
        break;
    case 3:
        st = whole(name, value, GFIN_RISK_MAX_SCENARIOS, &a->count);
        a->has_count = true;
        if (!st && a->count == 0)
            st = usage_error(name, "0 scenarios: give 1 or more");
        break;
    case 4:
        st = whole(name, value, 256, &v);
        a->threads = (int)v;
        break;
    case 5:
        a->fmt = -1;
        for (int f = 0; f < 4; ++f)
            if (strcmp(value, FORMATS[f]) == 0)
                a->fmt = f + 1;
        if (a->fmt < 0)
            st = usage_error(name, "is not one of text, json, csv, xlsx");
        break;
    default:
        if (!*value)
            st = usage_error(name, "needs a directory");
        a->outdir = value;
    }
    return st;
}

static int parse(int argc, char **argv, args *a)
{
    *a = (args){0};
    bool only_files = false;
    for (int i = 2; i < argc; ++i) {
        const char *arg = argv[i];
        if (only_files || arg[0] != '-' || !arg[1]) {
            if (a->file)
                return usage_error(arg, "unexpected argument (one FILE only)");
            a->file = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_files = true;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(USAGE, stdout);
            return fflush(stdout) == 0 ? -2 : INPUT;
        }
        char name[32];
        const char *eq = strchr(arg, '=');
        size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
        snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), arg);
        if (strcmp(name, "--samples") == 0 || strcmp(name, "--quiet") == 0) {
            if (eq)
                return usage_error(name, "takes no value");
            *(name[2] == 's' ? &a->samples : &a->quiet) = true;
            continue;
        }
        static const char *const valued[] = {"--scenarios", "--seed", "--first", "--count", "--threads", "--format",
                                             "--output"};
        size_t k = 0;
        while (k < 7 && strcmp(name, valued[k]) != 0)
            k++;
        if (k == 7)
            return usage_error(name, "unknown option");
        const char *value = eq ? eq + 1 : NULL;
        if (!value) {
            if (i + 1 >= argc)
                return usage_error(name, "needs a value");
            value = argv[++i];
        }
        int st = set_valued(a, k, name, value);
        if (st)
            return st;
    }
    if (!a->fmt)
        a->fmt = a->outdir || !isatty(STDOUT_FILENO) ? 2 : 1;
    if (a->fmt == 3 && !a->outdir)
        return usage_error("--format csv", "needs --output DIR");
    if (a->fmt == 4 && !gf_xlsx_available())
        return usage_error("--format xlsx", "this greenfin was built without libxlsxwriter");
    if (a->fmt == 4 && !a->outdir)
        return usage_error("--format xlsx", "needs --output FILE.xlsx");
    return -1;
}

static int read_all(const char *path, char **text, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
    if (!f) {
        fprintf(stderr, "greenfin: %s: %s\n", name, strerror(errno));
        return INPUT;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fprintf(stderr, "greenfin: %s: out of memory\n", name);
            if (f != stdin)
                fclose(f);
            return CALC;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (cap > GFIN_JSON_MAX_BYTES) {
            fprintf(stderr, "greenfin: %s: the document is larger than the 64 MiB limit\n", name);
            free(buf);
            if (f != stdin)
                fclose(f);
            return INPUT;
        }
        cap *= 2;
        char *bigger = realloc(buf, cap);
        if (!bigger)
            free(buf);
        buf = bigger;
    }
    bool failed = ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed) {
        fprintf(stderr, "greenfin: %s: read error\n", name);
        free(buf);
        return INPUT;
    }
    *text = buf;
    *len = n;
    return OK;
}

/* ---- progress: "risk: 4200 of 10000 scenarios, 1830/s, 3 s left" ---- */

typedef struct progress {
    struct timespec start;
    bool shown;
} progress;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static int on_progress(void *user, size_t done, size_t total)
{
    progress *p = user;
    const double dt = since(&p->start), rate = dt > 0 ? (double)done / dt : 0;
    fprintf(stderr, "\rrisk: %zu of %zu scenarios, %.0f/s, %.0f s left   ", done, total, rate,
            rate > 0 ? (double)(total - done) / rate : 0);
    fflush(stderr);
    p->shown = true;
    return 0;
}

/* ---- text ---- */

static double cell(const gfin_table *t, const char *col, size_t row)
{
    const double *c = gfin_table_column_by_name(t, col);
    return c ? c[row] : NAN;
}

static void num(FILE *f, double v, gfin_metric m)
{
    const char *unit = gfin_metric_unit(m);
    if (isnan(v))
        fprintf(f, " %12s", "-");
    else if (unit && (strcmp(unit, "fraction/year") == 0 || strcmp(unit, "fraction") == 0))
        fprintf(f, " %11.2f%%", 100 * v);
    else if (fabs(v) >= 1e6)
        fprintf(f, " %11.2fm", v / 1e6);
    else
        fprintf(f, " %12.4g", v);
}

static void text_scope(FILE *f, const gfin_risk_result *r, size_t scope)
{
    const gfin_table *st = gfin_risk_result_table(r, "statistics"), *pr = gfin_risk_result_table(r, "probabilities");
    fprintf(f, "\n%s\n  %-34s %12s %12s %12s %12s\n", gfin_risk_result_scope_name(r, scope), "metric", "q10", "q50",
            "q90", "mean");
    for (size_t i = 0; i < gfin_table_rows(st); ++i) {
        if (cell(st, "scope", i) != (double)scope)
            continue;
        const gfin_metric m = (gfin_metric)cell(st, "metric", i);
        fprintf(f, "  %-34s", gfin_metric_name(m));
        num(f, cell(st, "q10", i), m);
        num(f, cell(st, "q50", i), m);
        num(f, cell(st, "q90", i), m);
        num(f, cell(st, "mean", i), m);
        fputc('\n', f);
    }
    for (size_t i = 0; i < gfin_table_rows(pr); ++i)
        if (cell(pr, "scope", i) == (double)scope)
            fprintf(f, "  %-34s %11.1f%%\n", gfin_metric_name((gfin_metric)cell(pr, "metric", i)),
                    100 * cell(pr, "value", i));
}

static void text_tornado(FILE *f, const gfin_risk_result *r)
{
    const gfin_table *t = gfin_risk_result_table(r, "sensitivity");
    const size_t n = gfin_table_rows(t), k = gfin_risk_result_change_count(r);
    if (!n)
        return;
    fprintf(f, "\nSensitivity (tornado: swing = |at high - at low|, largest first)\n");
    for (size_t i = 0; i + k <= n; i += k) {
        const gfin_metric m = (gfin_metric)cell(t, "metric", i);
        const double top = cell(t, "swing", i);
        fprintf(f, "  %s %s\n", gfin_risk_result_scope_name(r, (size_t)cell(t, "scope", i)), gfin_metric_name(m));
        for (size_t j = i; j < i + k; ++j) {
            const double sw = cell(t, "swing", j);
            const int bar = isfinite(sw) && top > 0 ? (int)lround(30 * sw / top) : 0;
            fprintf(f, "    %-28.28s", gfin_risk_result_change_name(r, (size_t)cell(t, "change", j)));
            num(f, cell(t, "at_low", j), m);
            num(f, cell(t, "at_high", j), m);
            fprintf(f, "  %.*s\n", bar, "##############################");
        }
    }
}

static void text_cases(FILE *f, const gfin_risk_result *r)
{
    const gfin_table *t = gfin_risk_result_table(r, "cases");
    if (!gfin_table_rows(t))
        return;
    fprintf(f, "\nCases against the base\n  %-16s %-20s %-30s %12s %12s %12s\n", "case", "scope", "metric", "base",
            "value", "difference");
    for (size_t i = 0; i < gfin_table_rows(t); ++i) {
        const gfin_metric m = (gfin_metric)cell(t, "metric", i);
        fprintf(f, "  %-16.16s %-20.20s %-30s", gfin_risk_result_case_name(r, (size_t)cell(t, "case", i)),
                gfin_risk_result_scope_name(r, (size_t)cell(t, "scope", i)), gfin_metric_name(m));
        num(f, cell(t, "base", i), m);
        num(f, cell(t, "value", i), m);
        num(f, cell(t, "difference", i), m);
        fputc('\n', f);
    }
}

static void write_text(FILE *f, const gfin_risk_result *r)
{
    fprintf(f, "Risk: scenarios %zu .. %zu of %zu, seed %llu (P90 of a quantity where more is better is its q10)\n",
            gfin_risk_result_first(r), gfin_risk_result_first(r) + gfin_risk_result_count(r) - 1,
            gfin_risk_result_scenarios(r), (unsigned long long)gfin_risk_result_seed(r));
    for (size_t s = 0; s < gfin_risk_result_scope_count(r); ++s)
        text_scope(f, r, s);
    text_tornado(f, r);
    text_cases(f, r);
    if (gfin_risk_result_warning_count(r)) {
        fprintf(f, "\nWarnings\n");
        for (size_t i = 0; i < gfin_risk_result_warning_count(r); ++i)
            fprintf(f, "  %s\n", gfin_risk_result_warning(r, i));
    }
}

/* ---- output ---- */

static int output(const args *a, const gfin_risk_result *r, const gfin_risk *rk, const gfin_portfolio *pf)
{
    gfin_error e = {0};
    char path[PATH_MAX];
    int st;
    if (a->fmt == 4) {
        gfin_status gs = gf_xlsx_write_risk(a->outdir, r, rk, pf, a->threads, e.message, sizeof e.message);
        if (gs)
            fprintf(stderr, "greenfin: %s: %s\n", a->outdir, e.message);
        return gs == GFIN_ENOMEM ? CALC : gs ? INPUT : OK;
    }
    if (a->fmt == 3) {
        static const char *const tables[] = {"metrics", "statistics", "probabilities", "sensitivity", "cases",
                                             "samples"};
        if ((st = gf_out_mkdirs(a->outdir)))
            return st;
        for (size_t i = 0; i < 6; ++i) {
            if (i == 5 && !gfin_risk_result_table(r, "samples"))
                continue;
            char name[64];
            snprintf(name, sizeof name, "%s.csv", tables[i]);
            if ((st = gf_out_join(path, sizeof path, a->outdir, name)))
                return st;
            FILE *f = gf_out_open(path);
            if (!f)
                return INPUT;
            gfin_status gs = gfin_risk_result_write_csv(r, tables[i], gf_out_sink, f, &e);
            if ((st = gf_out_close(f, path)))
                return st;
            if (gs) {
                fprintf(stderr, "greenfin: %s: %s\n", path, e.message);
                return gs == GFIN_ENOMEM ? CALC : INPUT;
            }
        }
        if (gfin_risk_result_warning_count(r)) {
            if ((st = gf_out_join(path, sizeof path, a->outdir, "warnings.txt")))
                return st;
            FILE *f = gf_out_open(path);
            if (!f)
                return INPUT;
            for (size_t i = 0; i < gfin_risk_result_warning_count(r); ++i)
                fprintf(f, "%s\n", gfin_risk_result_warning(r, i));
            return gf_out_close(f, path);
        }
        return OK;
    }
    FILE *f = stdout;
    snprintf(path, sizeof path, "standard output");
    if (a->outdir) {
        if ((st = gf_out_mkdirs(a->outdir)) ||
            (st = gf_out_join(path, sizeof path, a->outdir, a->fmt == 1 ? "risk.txt" : "risk.json")))
            return st;
        if (!(f = gf_out_open(path)))
            return INPUT;
    }
    gfin_status gs = GFIN_OK;
    if (a->fmt == 1)
        write_text(f, r);
    else
        gs = gfin_risk_result_write_json(r, gf_out_sink, f, &e);
    if ((st = gf_out_close(f, path)))
        return st;
    if (gs) {
        fprintf(stderr, "greenfin: %s: %s\n", path, e.message);
        return gs == GFIN_ENOMEM ? CALC : INPUT;
    }
    return OK;
}

/* The block first .. first + count - 1 asked for, checked against the
 * experiment (with the command line's --scenarios and --seed set on it): NULL,
 * or the option at fault with the reason in e. */
static const char *block_of(const args *a, gfin_risk *rk, size_t *first, size_t *count, gfin_error *e)
{
    if (a->has_scenarios && gfin_risk_set_scenarios(rk, (size_t)a->scenarios, e))
        return "--scenarios";
    if (a->has_seed && gfin_risk_set_seed(rk, a->seed, e))
        return "--seed";
    const size_t n = gfin_risk_scenarios(rk);
    *first = (size_t)a->first;
    *count = a->has_count ? (size_t)a->count : n > *first ? n - *first : 0;
    if (*first >= n) {
        snprintf(e->message, sizeof e->message, "%zu is beyond the experiment's %zu scenarios (0 .. %zu)", *first, n,
                 n - 1);
        return "--first";
    }
    if (*count > n - *first) {
        snprintf(e->message, sizeof e->message, "%zu scenarios from %zu run beyond the experiment's %zu", *count,
                 *first, n);
        return "--count";
    }
    if (a->fmt == 4 && a->samples && *count > GF_XLSX_MAX_ROWS - 2) {
        snprintf(e->message, sizeof e->message,
                 "%zu scenarios' samples do not fit a sheet's %u rows: use --format csv, or --count %u at most",
                 *count, GF_XLSX_MAX_ROWS, GF_XLSX_MAX_ROWS - 2);
        return "--samples";
    }
    return NULL;
}

int gf_risk_main(int argc, char **argv, bool (*locate_sample)(const char *argv0, char *path, size_t n))
{
    args a;
    int st = parse(argc, argv, &a);
    if (st == -2)
        return OK;
    if (st >= 0)
        return st;
    char sample[PATH_MAX];
    if (!a.file) {
        if (!locate_sample(argv[0], sample, sizeof sample)) {
            fprintf(stderr, "greenfin: cambodia_pipeline.json: the bundled sample is not installed; give a FILE\n");
            return INPUT;
        }
        a.file = sample;
    }
    char *text = NULL;
    size_t len = 0;
    if ((st = read_all(a.file, &text, &len)))
        return st;
    gfin_error e = {0};
    gfin_portfolio *pf = NULL;
    gfin_risk *rk = NULL;
    gfin_risk_result *r = NULL;
    gfin_status gs = gfin_risk_load_json(text, len, &pf, &rk, &e);
    free(text);
    if (gs) {
        fprintf(stderr, "greenfin: %s: %s\n", e.path[0] ? e.path : a.file, e.message);
        return gs == GFIN_ENOMEM ? CALC : INPUT;
    }
    size_t first, count;
    const char *bad = block_of(&a, rk, &first, &count, &e);
    if (bad) {
        fprintf(stderr, "greenfin: %s: %s\n", bad, e.message);
        st = INPUT;
        goto done;
    }
    gfin_risk_set_keep_samples(rk, a.samples);
    progress p = {.shown = false};
    clock_gettime(CLOCK_MONOTONIC, &p.start);
    if (!a.quiet && isatty(STDERR_FILENO))
        gfin_risk_set_progress(rk, on_progress, &p);
    gs = gfin_risk_run(rk, pf, first, count, a.threads, &r, &e);
    if (p.shown)
        fputc('\n', stderr);
    if (gs) {
        /* The model refusing a scenario's, case's or sensitivity value's inputs
         * is a calculation error; anything else is the input's. */
        const bool calc = strncmp(e.path, "scenario ", 9) == 0 || strncmp(e.path, "cases[", 6) == 0 ||
                          strncmp(e.path, "sensitivity[", 12) == 0 || gs == GFIN_ENOMEM;
        const bool option = strcmp(e.path, "count") == 0 || strcmp(e.path, "first") == 0;
        fprintf(stderr, "greenfin: %s%s: %s\n", option ? "--" : "", e.path[0] ? e.path : a.file, e.message);
        st = calc ? CALC : INPUT;
        goto done;
    }
    st = output(&a, r, rk, pf);
    if (st)
        gf_out_rollback();
    else
        st = gf_out_commit();
done:
    gfin_risk_result_free(r);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
    return st;
}
