/* bench_risk.c -- `greenfin risk` throughput (issue 14), each figure next to a
 * baseline measured in the same run:
 *   - one scenario against one plain evaluation of the same portfolio (the
 *     cost of drawing, copying and bookkeeping; target <= 1.3x);
 *   - 2 threads against 1 (scenarios are independent; target >= 1.8x on two
 *     free cores);
 *   - scenarios/s for the bundled sample and for a 100-project portfolio (the
 *     sample's six projects repeated, its risk object kept).
 * The sample's path is argv[1] (meson passes it). Best of 3 runs each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static double best_run(const gfin_risk *rk, const gfin_portfolio *pf, size_t count, int threads)
{
    double best = 1e300;
    for (int k = 0; k < 3; ++k) {
        gfin_risk_result *r = NULL;
        gfin_error e = {0};
        const double t0 = bench_now();
        gfin_status st = gfin_risk_run(rk, pf, 0, count, threads, &r, &e);
        const double t = bench_now() - t0;
        BENCH_CHECK(st == GFIN_OK, "risk run: %s: %s", e.path, e.message);
        gfin_risk_result_free(r);
        best = t < best ? t : best;
    }
    return best;
}

static double best_eval(const gfin_portfolio *pf, size_t reps)
{
    double best = 1e300;
    for (int k = 0; k < 3; ++k) {
        const double t0 = bench_now();
        for (size_t i = 0; i < reps; ++i) {
            gfin_result *r = NULL;
            BENCH_CHECK(gfin_portfolio_evaluate(pf, 1, &r, NULL) == GFIN_OK, "evaluate");
            gfin_result_free(r);
        }
        const double t = (bench_now() - t0) / (double)reps;
        best = t < best ? t : best;
    }
    return best;
}

static void report(const char *name, const gfin_risk *rk, const gfin_portfolio *pf, size_t n)
{
    /* The same experiment, with and without its uncertainties, against plain
     * evaluations: per scenario. A run also evaluates the base once. */
    const double eval = best_eval(pf, n / 10 ? n / 10 : 1);
    const double t1 = best_run(rk, pf, n, 1), t2 = best_run(rk, pf, n, 2);
    const double per = (t1 - eval) / (double)n;
    printf("%s: %zu projects, %zu scenarios\n", name, gfin_portfolio_project_count(pf), n);
    printf("  plain evaluation : %10.3f ms\n", 1e3 * eval);
    printf("  one scenario     : %10.3f ms  (%.2f x a plain evaluation; target <= 1.3)\n", 1e3 * per, per / eval);
    printf("  1 thread         : %10.0f scenarios/s\n", (double)n / t1);
    printf("  2 threads        : %10.0f scenarios/s  (%.2f x 1 thread; target >= 1.8 on two free cores)\n",
           (double)n / t2, t1 / t2);
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
    report("sample", mc, pf, 400);
    gfin_portfolio *big = repeated(pf, 100);
    report("100-project portfolio", mc, big, 40);
    gfin_portfolio_free(big);
    gfin_risk_free(mc);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
    free(text);
    return 0;
}
