/* greenfin_solve.c -- `greenfin solve`: the options, the goal seek through
 * gfin_solve_project / gfin_solve_portfolio, and the "solve" part of the
 * output (README.md "Goal seek"). */
#include "greenfin_solve.h"
#include "greenfin_out.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const OPTIONS[] = {"--vary", "--project", "--loan", "--target", "--scope"};
#define NOPTIONS (sizeof OPTIONS / sizeof OPTIONS[0])

static const char **slot(gf_solve_args *a, size_t i)
{
    const char **slots[] = {&a->vary, &a->project, &a->loan, &a->target, &a->scope};
    return slots[i];
}

bool gf_solve_takes(const char *option)
{
    for (size_t i = 0; i < NOPTIONS; ++i)
        if (strcmp(option, OPTIONS[i]) == 0)
            return true;
    return false;
}

int gf_solve_option(gf_solve_args *a, const char *option, const char *value)
{
    for (size_t i = 0; i < NOPTIONS; ++i)
        if (strcmp(option, OPTIONS[i]) == 0) {
            if (*slot(a, i)) {
                fprintf(stderr, "greenfin: %s: given twice (try 'greenfin solve --help')\n", option);
                return 2;
            }
            *slot(a, i) = value;
        }
    return 0;
}

const char *gf_solve_missing(const gf_solve_args *a)
{
    return !a->vary ? "--vary" : !a->target ? "--target" : NULL;
}

/* ---- the key and the target ---- */

static const char *const OBJECTS[] = {"loan", "project", "debt_sizing", "grid", "fund", "portfolio"};
enum { O_LOAN, O_PROJECT, O_SIZING, O_GRID, O_FUND, O_PORTFOLIO, NOBJECTS };

/* KEY is OBJECT.NAME, or a NAME that one object has, or one the context
 * settles: --loan picks the loan's key; a project file has no fund or
 * portfolio keys; a portfolio file without --project prefers its own
 * (portfolio, fund) key to a project's. */
static gfin_status find_key(const gf_solve_args *a, bool is_portfolio, gfin_key *key, gfin_error *e)
{
    const char *dot = strchr(a->vary, '.');
    if (dot) {
        char object[32];
        snprintf(object, sizeof object, "%.*s", (int)(dot - a->vary < 31 ? dot - a->vary : 31), a->vary);
        gfin_error ke = {0};
        if (gfin_key_lookup(object, dot + 1, key, &ke) == GFIN_OK)
            return GFIN_OK;
        snprintf(e->path, sizeof e->path, "--vary");
        snprintf(e->message, sizeof e->message, "'%s' is not a key (OBJECT.NAME: OBJECT one of loan, project, "
                 "debt_sizing, grid, fund, portfolio)", a->vary);
        return GFIN_EINVAL;
    }
    gfin_key found[NOBJECTS];
    bool have[NOBJECTS];
    size_t n = 0;
    for (int i = 0; i < NOBJECTS; ++i)
        if ((have[i] = gfin_key_lookup(OBJECTS[i], a->vary, &found[i], NULL) == GFIN_OK))
            ++n;
    if (n > 1 && a->loan && have[O_LOAN]) {
        for (int i = 0; i < NOBJECTS; ++i)
            have[i] = i == O_LOAN;
        n = 1;
    }
    if (n > 1 && !is_portfolio)
        for (int i = O_FUND; i < NOBJECTS; ++i)
            if (have[i]) {
                have[i] = false;
                --n;
            }
    if (n > 1 && is_portfolio && !a->project && (have[O_FUND] || have[O_PORTFOLIO]))
        for (int i = 0; i < O_FUND; ++i)
            if (have[i]) {
                have[i] = false;
                --n;
            }
    snprintf(e->path, sizeof e->path, "--vary");
    if (n == 0) {
        snprintf(e->message, sizeof e->message, "'%s' is not a key", a->vary);
        return GFIN_EINVAL;
    }
    if (n > 1) {
        char list[200] = "";
        for (int i = 0; i < NOBJECTS; ++i)
            if (have[i])
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s.%s", list[0] ? " or " : "",
                         OBJECTS[i], a->vary);
        snprintf(e->message, sizeof e->message, "'%s' is a key of several objects: write %s", a->vary, list);
        return GFIN_EINVAL;
    }
    for (int i = 0; i < NOBJECTS; ++i)
        if (have[i])
            *key = found[i];
    e->path[0] = '\0';
    return GFIN_OK;
}

static gfin_status parse_target(const char *s, gfin_metric *metric, double *value, gfin_error *e)
{
    const char *eq = strchr(s, '=');
    snprintf(e->path, sizeof e->path, "--target");
    if (!eq) {
        snprintf(e->message, sizeof e->message, "'%s' is not METRIC=VALUE", s);
        return GFIN_EINVAL;
    }
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(eq - s < 63 ? eq - s : 63), s);
    if (gfin_metric_lookup(name, metric, NULL) != GFIN_OK) {
        snprintf(e->message, sizeof e->message, "'%s' is not a metric", name);
        return GFIN_EINVAL;
    }
    char *end;
    errno = 0;
    *value = strtod(eq + 1, &end);
    if (!eq[1] || *end || !isfinite(*value)) {
        snprintf(e->message, sizeof e->message, "'%s' is not a number", eq + 1);
        return GFIN_EINVAL;
    }
    e->path[0] = '\0';
    return GFIN_OK;
}

/* ---- the run ---- */

/* The library names what it was given by its role; the user gave options. */
static void option_path(gfin_error *e, gfin_key key)
{
    static const char *const roles[][2] = {
        {"project", "--project"}, {"loan", "--loan"}, {"scope", "--scope"}, {"target", "--target"}, {"key", "--vary"}};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; ++i)
        if (strcmp(e->path, roles[i][0]) == 0) {
            snprintf(e->path, sizeof e->path, "%s", roles[i][1]);
            return;
        }
    if (e->code == GFIN_EINVAL && strcmp(e->path, gfin_key_name(key)) == 0) {
        char message[sizeof e->message];
        snprintf(message, sizeof message, "%s", e->message);
        snprintf(e->message, sizeof e->message, "%.120s %.120s", e->path, message);
        snprintf(e->path, sizeof e->path, "--vary");
    }
}

/* A document with "format" is a portfolio file, else a project object: the
 * project loader, given a portfolio file, refuses its "format" first. */
static bool is_portfolio_document(const gfin_error *e)
{
    return strcmp(e->path, "format") == 0 && strstr(e->message, "unknown key") != NULL;
}

gfin_status gf_solve_run(const gf_solve_args *a, const char *text, size_t len, int threads, gf_solved *out,
                         gfin_error *e)
{
    *out = (gf_solved){.project_id = a->project, .loan_id = a->loan};
    gfin_error pe = {0};
    out->project = gfin_project_from_json(text, len, &pe);
    if (!out->project) {
        if (!is_portfolio_document(&pe)) {
            *e = pe;
            return pe.code ? (gfin_status)pe.code : GFIN_EINVAL;
        }
        if (!(out->portfolio = gfin_portfolio_from_json(text, len, e)))
            return e->code ? (gfin_status)e->code : GFIN_EINVAL;
    }
    gfin_status st;
    if ((st = find_key(a, out->portfolio != NULL, &out->key, e)) ||
        (st = parse_target(a->target, &out->metric, &out->target, e))) {
        gf_solved_free(out);
        return st;
    }
    gfin_solve *s = gfin_solve_new(out->key, out->metric, out->target);
    if (!s) {
        gf_solved_free(out);
        snprintf(e->message, sizeof e->message, "out of memory");
        return GFIN_ENOMEM;
    }
    st = gfin_solve_set_where(s, a->project, a->loan, e);
    if (!st && a->scope)
        st = gfin_solve_set_scope(s, a->scope, e);
    if (!st)
        st = out->project ? gfin_solve_project(s, out->project, &out->result, e)
                          : gfin_solve_portfolio(s, out->portfolio, threads, &out->result, e);
    if (!st)
        (void)gfin_solve_outcome(s, &out->value, &out->reached, &out->iterations, NULL);
    gfin_solve_free(s);
    if (st) {
        option_path(e, out->key);
        gf_solved_free(out);
    }
    return st;
}

void gf_solved_free(gf_solved *s)
{
    gfin_result_free(s->result);
    gfin_project_free(s->project);
    gfin_portfolio_free(s->portfolio);
    s->result = NULL;
    s->project = NULL;
    s->portfolio = NULL;
}

/* ---- output ---- */

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; ++p) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

void gf_solve_json_head(FILE *f, const gf_solved *s)
{
    fputs("\"solve\":{\"key\":", f);
    json_string(f, gfin_key_name(s->key));
    if (s->project_id) {
        fputs(",\"project\":", f);
        json_string(f, s->project_id);
    }
    if (s->loan_id) {
        fputs(",\"loan\":", f);
        json_string(f, s->loan_id);
    }
    fprintf(f, ",\"value\":%.17g,\"metric\":", s->value);
    json_string(f, gfin_metric_name(s->metric));
    fprintf(f, ",\"target\":%.17g,\"reached\":%.17g,\"iterations\":%d},", s->target, s->reached, s->iterations);
}

void gf_solve_text_head(FILE *f, const gf_solved *s)
{
    fprintf(f, "Goal seek\n  %-22s %.10g", gfin_key_name(s->key), s->value);
    if (s->project_id || s->loan_id)
        fprintf(f, "   (%s%s%s%s%s)", s->project_id ? "project " : "", s->project_id ? s->project_id : "",
                s->project_id && s->loan_id ? ", " : "", s->loan_id ? "loan " : "", s->loan_id ? s->loan_id : "");
    fprintf(f, "\n  %-22s %.10g   (target %.10g, %d iterations)\n\n", gfin_metric_name(s->metric), s->reached,
            s->target, s->iterations);
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; ++s) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int gf_solve_write_csv(const char *dir, const gf_solved *s)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/solve.csv", dir) >= sizeof path) {
        fprintf(stderr, "greenfin: %s/solve.csv: %s\n", dir, strerror(ENAMETOOLONG));
        return 2;
    }
    FILE *f = gf_out_open(path); /* staged: renamed when the run succeeds */
    if (!f)
        return 2;
    fputs("key,project,loan,value,metric,target,reached,iterations\n", f);
    csv_field(f, gfin_key_name(s->key));
    fputc(',', f);
    csv_field(f, s->project_id ? s->project_id : "");
    fputc(',', f);
    csv_field(f, s->loan_id ? s->loan_id : "");
    fprintf(f, ",%.17g,%s,%.17g,%.17g,%d\n", s->value, gfin_metric_name(s->metric), s->target, s->reached,
            s->iterations);
    return gf_out_close(f, path);
}
