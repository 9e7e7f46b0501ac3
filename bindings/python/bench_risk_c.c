/* bench_risk_c.c -- the C baseline of bench_risk.py: the same risk experiment
 * on the same portfolio built and run through the C API, so that the Python
 * figure reads as a ratio over C measured in the same run.
 *
 *   bench_risk_c PORTFOLIO.json SCENARIOS THREADS REPEATS
 *
 * The experiment (bench_risk.py's SPEC): energy of hydro plants x normal(1,
 * 0.12) through a per-year factor "mekong" (autocorrelation 0.5); capex x
 * PERT(0.95, 1.05, 1.8); annual_rate + uniform(-0.01, 0.01); seed 7; samples
 * kept. Output: "<best seconds> <mean of the portfolio's
 * lifetime_reductions_tco2e>" (the checksum the Python side must match).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "greenfin.h"

#ifdef GFIN_RISK_MAX_SCENARIOS   /* the risk engine (experimental tier) is in the header */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time: steady on a shared machine */
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void ok(gfin_status st, const gfin_error *e, const char *what)
{
    if (st != GFIN_OK) {
        fprintf(stderr, "bench_risk_c: %s: %s: %s\n", what, e->path, e->message);
        exit(1);
    }
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, len = 0, got;
    do {
        if (len == cap) {
            cap = cap ? 2 * cap : 1 << 16;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = b;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    *n = len;
    return buf;
}

static gfin_risk *experiment(size_t scenarios, gfin_error *e)
{
    gfin_risk *rk = gfin_risk_new();
    ok(gfin_risk_set_scenarios(rk, scenarios, e), e, "scenarios");
    ok(gfin_risk_set_seed(rk, 7, e), e, "seed");
    gfin_risk_set_keep_samples(rk, 1);
    ok(gfin_risk_add_factor(rk, "mekong", GFIN_RISK_PER_YEAR, 0.5, e), e, "factor");
    gfin_risk_dist *nd = gfin_risk_dist_new(GFIN_RISK_NORMAL), *pe = gfin_risk_dist_new(GFIN_RISK_PERT),
                   *un = gfin_risk_dist_new(GFIN_RISK_UNIFORM);
    ok(gfin_risk_dist_set(nd, GFIN_RISK_MEAN, 1, e), e, "mean");
    ok(gfin_risk_dist_set(nd, GFIN_RISK_SD, 0.12, e), e, "sd");
    ok(gfin_risk_dist_set(pe, GFIN_RISK_MIN, 0.95, e), e, "min");
    ok(gfin_risk_dist_set(pe, GFIN_RISK_MODE, 1.05, e), e, "mode");
    ok(gfin_risk_dist_set(pe, GFIN_RISK_MAX, 1.8, e), e, "max");
    ok(gfin_risk_dist_set(un, GFIN_RISK_MIN, -0.01, e), e, "min");
    ok(gfin_risk_dist_set(un, GFIN_RISK_MAX, 0.01, e), e, "max");
    gfin_risk_change *energy = gfin_risk_change_new("energy", GFIN_RISK_SCALE, e);
    gfin_risk_change *capex = gfin_risk_change_new("capex", GFIN_RISK_SCALE, e);
    gfin_risk_change *rate = gfin_risk_change_new("annual_rate", GFIN_RISK_ADD, e);
    if (!energy || !capex || !rate)
        ok(GFIN_EINVAL, e, "change");
    ok(gfin_risk_change_set_technology(energy, GFIN_TECH_HYDRO, e), e, "technology");
    ok(gfin_risk_add_uncertainty(rk, energy, nd, "mekong", GFIN_RISK_PER_YEAR, e), e, "energy");
    ok(gfin_risk_add_uncertainty(rk, capex, pe, NULL, GFIN_RISK_PER_SCENARIO, e), e, "capex");
    ok(gfin_risk_add_uncertainty(rk, rate, un, NULL, GFIN_RISK_PER_SCENARIO, e), e, "rate");
    gfin_risk_change_free(energy);
    gfin_risk_change_free(capex);
    gfin_risk_change_free(rate);
    gfin_risk_dist_free(nd);
    gfin_risk_dist_free(pe);
    gfin_risk_dist_free(un);
    return rk;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_risk_c PORTFOLIO.json SCENARIOS THREADS REPEATS\n");
        return 2;
    }
    size_t n = 0;
    char *text = slurp(argv[1], &n);
    if (!text) {
        fprintf(stderr, "bench_risk_c: cannot read %s\n", argv[1]);
        return 1;
    }
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, n, &e);
    free(text);
    if (!pf)
        ok(GFIN_EINVAL, &e, argv[1]);
    size_t scenarios = (size_t)strtoul(argv[2], NULL, 10);
    int threads = atoi(argv[3]), repeats = atoi(argv[4]);
    double best = 1e300, mean = 0.0;
    for (int k = 0; k < repeats; ++k) {
        double t0 = now();
        gfin_risk *rk = experiment(scenarios, &e);
        gfin_risk_result *r = NULL;
        ok(gfin_risk_run(rk, pf, 0, GFIN_RISK_REST, threads, &r, &e), &e, "run");
        double t = now() - t0;
        if (t < best)
            best = t;
        if (gfin_risk_result_statistic(r, 0, GFIN_M_LIFETIME_REDUCTIONS_TCO2E, GFIN_RISK_STAT_MEAN, &mean) != GFIN_OK)
            ok(GFIN_EINVAL, &e, "statistic");
        gfin_risk_result_free(r);
        gfin_risk_free(rk);
    }
    printf("%.6f %.17g\n", best, mean);
    gfin_portfolio_free(pf);
    return 0;
}

#else

int main(void)
{
    puts("no risk engine");
    return 0;
}

#endif
