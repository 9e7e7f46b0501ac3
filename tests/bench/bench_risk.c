/* bench_risk.c -- `greenfin risk` throughput (issue 14), each figure next to a
 * baseline measured in the same run:
 *   - one scenario against one plain evaluation of the same portfolio (the
 *     cost of drawing, copying and bookkeeping; target <= 1.3x);
 *   - 2 threads against 1 (scenarios are independent; target >= 1.8x on two
 *     free cores);
 *   - scenarios/s for the bundled sample and for a 100-project portfolio (the
 *     sample's six projects repeated, its risk object kept).
 * The sample's path is argv[1] (meson passes it). Each measurement is sized
 * to about 1.5 s of CPU (scaled from trials), each figure is the best of 3 with
 * the sides of a ratio measured in turn; the one-scenario ratio compares CPU
 * times (steady on a shared machine), the thread ratio wall times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "greenfin.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    BENCH_CHECK(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *t = malloc(*len + 1);
    BENCH_CHECK(t && fread(t, 1, *len, f) == *len, "cannot read %s", path);
    t[*len] = '\0';
    fclose(f);
    return t;
}

/* The sample with its projects repeated `n` times under new ids (text edit:
 * the projects array is copied n/6 times with a suffix on every id). */
static gfin_portfolio *repeated(const gfin_portfolio *pf, size_t n)
{
    gfin_portfolio *out = gfin_portfolio_new();
    double v;
    BENCH_CHECK(out, "out of memory");
    BENCH_CHECK(!gfin_portfolio_get(pf, GFIN_PORTFOLIO_START_YEAR, &v) &&
                    !gfin_portfolio_set(out, GFIN_PORTFOLIO_START_YEAR, v) &&
                    !gfin_portfolio_get(pf, GFIN_PORTFOLIO_DISCOUNT_RATE, &v) &&
                    !gfin_portfolio_set(out, GFIN_PORTFOLIO_DISCOUNT_RATE, v),
                "portfolio keys");
    const gfin_key grid[] = {GFIN_GRID_EF_OM, GFIN_GRID_EF_BM, GFIN_GRID_EF_CHANGE_PER_YEAR};
    for (size_t k = 0; k < 3; ++k)
        if (gfin_portfolio_get(pf, grid[k], &v) == GFIN_OK)
            BENCH_CHECK(!gfin_portfolio_set(out, grid[k], v), "grid");
    gfin_fund *fund = gfin_fund_copy(gfin_portfolio_fund(pf));
    BENCH_CHECK(fund && !gfin_fund_set(fund, GFIN_FUND_CAPITAL, 1e11), "fund");
    BENCH_CHECK(!gfin_portfolio_set_fund(out, fund, NULL), "fund");
    gfin_fund_free(fund);
    const size_t np = gfin_portfolio_project_count(pf);
    for (size_t i = 0; i < n; ++i) {
        gfin_project *p = gfin_project_copy(gfin_portfolio_project(pf, i % np));
        char id[300];
        snprintf(id, sizeof id, "%s-%03zu", gfin_project_get_string(p, GFIN_PROJECT_ID), i);
        BENCH_CHECK(p && !gfin_project_set_string(p, GFIN_PROJECT_ID, id), "project id");
        BENCH_CHECK(!gfin_portfolio_add_project(out, p, NULL), "add project");
        gfin_project_free(p);
    }
    return out;
}

/* The process's CPU time: steady on a shared machine for a one-thread run
 * (wall time is what the thread ratio needs). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct timing {
    double wall, cpu;
} timing;

static timing run_once(const gfin_risk *rk, const gfin_portfolio *pf, size_t count, int threads)
{
    gfin_risk_result *r = NULL;
    gfin_error e = {0};
    const double w0 = bench_now(), c0 = cpu_now();
    gfin_status st = gfin_risk_run(rk, pf, 0, count, threads, &r, &e);
    const timing t = {bench_now() - w0, cpu_now() - c0};
    BENCH_CHECK(st == GFIN_OK, "risk run: %s: %s", e.path, e.message);
    gfin_risk_result_free(r);
    return t;
}

/* CPU seconds of `reps` plain evaluations. */
static double eval_once(const gfin_portfolio *pf, size_t reps)
{
    const double c0 = cpu_now();
    for (size_t i = 0; i < reps; ++i) {
        gfin_result *r = NULL;
        BENCH_CHECK(gfin_portfolio_evaluate(pf, 1, &r, NULL) == GFIN_OK, "evaluate");
        gfin_result_free(r);
    }
    return cpu_now() - c0;
}

static double min2(double a, double b) { return a < b ? a : b; }

/* A count for about `seconds` of CPU: trials of doubling size until one takes
 * a tenth of that (so fixed costs weigh little), then scaled. */
static size_t sized(double seconds, const gfin_risk *rk, const gfin_portfolio *pf)
{
    size_t n = 8;
    for (;;) {
        const double t = rk ? run_once(rk, pf, n, 1).cpu : eval_once(pf, n);
        if (t >= seconds / 10 || n >= 100000) {
            const double m = seconds * (double)n / (t > 1e-6 ? t : 1e-6);
            return m < (double)n ? n : m > 1e6 ? 1000000 : (size_t)m;
        }
        n *= 2;
    }
}

static void report(const char *name, gfin_risk *rk, const gfin_portfolio *pf)
{
    /* About SECONDS of CPU for each measurement of one thread and for the
     * plain evaluations, so that none is a fraction of a second. */
    const double SECONDS = 1.5;
    BENCH_CHECK(!gfin_risk_set_scenarios(rk, 1000000, NULL), "scenarios");
    const size_t n = sized(SECONDS, rk, pf), reps = sized(SECONDS, NULL, pf);
    /* Best of 3 of each, the sides of a ratio measured in turn so that a
     * change in the machine's load reaches both alike. A run also evaluates
     * the base once: one scenario costs (t1 - eval) / n. */
    double eval = 1e300, c1 = 1e300, w1 = 1e300, w2 = 1e300;
    for (int k = 0; k < 3; ++k) {
        eval = min2(eval, eval_once(pf, reps) / (double)reps);
        const timing t1 = run_once(rk, pf, n, 1);
        c1 = min2(c1, t1.cpu);
        w1 = min2(w1, t1.wall);
        w2 = min2(w2, run_once(rk, pf, n, 2).wall);
    }
    const double per = (c1 - eval) / (double)n;
    printf("%s: %zu projects, %zu scenarios a run, %zu plain evaluations; best of 3 each\n", name,
           gfin_portfolio_project_count(pf), n, reps);
    printf("  plain evaluation : %10.3f ms CPU\n", 1e3 * eval);
    printf("  one scenario     : %10.3f ms CPU  (%.2f x a plain evaluation; target <= 1.3)\n", 1e3 * per, per / eval);
    printf("  1 thread         : %10.0f scenarios/s  (%.2f s wall, %.2f s CPU)\n", (double)n / w1, w1, c1);
    printf("  2 threads        : %10.0f scenarios/s  (%.2f x 1 thread, wall; target >= 1.8 on two free cores)\n",
           (double)n / w2, w1 / w2);
}

int main(int argc, char **argv)
{
    BENCH_CHECK(argc > 1, "usage: bench_risk SAMPLE.json");
    size_t len;
    char *text = slurp(argv[1], &len);
    gfin_portfolio *pf = NULL;
    gfin_risk *rk = NULL;
    gfin_error e = {0};
    BENCH_CHECK(gfin_risk_load_json(text, len, &pf, &rk, &e) == GFIN_OK, "%s: %s", e.path, e.message);
    /* Cases and sensitivity are run by every block: measure scenarios alone. */
    gfin_risk *mc = NULL;
    {
        /* The sample's risk object without its cases and sensitivity list. */
        char *cut = strstr(text, "\"risk\"");
        BENCH_CHECK(cut, "the sample has no risk object");
        char *obj = strchr(cut, '{');
        char *cases = strstr(obj, ",\n    \"cases\"");
        BENCH_CHECK(cases, "the sample's risk object lists its cases after its uncertainties");
        size_t keep = (size_t)(cases - obj);
        char *risk = malloc(keep + 2);
        memcpy(risk, obj, keep);
        risk[keep] = '}';
        risk[keep + 1] = '\0';
        mc = gfin_risk_from_json(risk, keep + 1, pf, &e);
        BENCH_CHECK(mc, "%s: %s", e.path, e.message);
        free(risk);
    }
    report("sample", mc, pf);
    gfin_portfolio *big = repeated(pf, 100);
    report("100-project portfolio", mc, big);
    gfin_portfolio_free(big);
    gfin_risk_free(mc);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
    free(text);
    return 0;
}
