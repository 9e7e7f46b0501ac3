/* test_risk.c -- the risk module (docs/model.md "Risk"): random streams,
 * inverse CDFs, statistics, determinism across threads and blocks, the
 * scores of what was asked, quantile mapping, probabilities, cases against
 * deterministic evaluations, and refused experiments.
 *
 * Expected values come from outside the module: Random123's known-answer
 * vectors, closed forms of the distributions (derived in comments), numpy's
 * quantile definition worked by hand, and deterministic evaluations of edited
 * inputs through the ordinary portfolio API (never through the risk code). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "risk_internal.h"
#include "test_checks.h"

#include <gsl/gsl_cdf.h>

/* ======================================================================== */
/* Helpers                                                                  */
/* ======================================================================== */

static gfin_portfolio *load(const char *json)
{
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(json, strlen(json), &e);
    cr_assert_not_null(pf, "%s: %s", e.path, e.message);
    return pf;
}

#define OK(call)                                                                     \
    do {                                                                             \
        gfin_error e_ = {0};                                                         \
        gfin_status st_ = (call);                                                    \
        (void)e_;                                                                    \
        cr_assert_eq(st_, GFIN_OK, "%s -> %d", #call, st_);                          \
    } while (0)

static gfin_risk_change *change(const char *key, gfin_risk_apply a)
{
    gfin_error e = {0};
    gfin_risk_change *c = gfin_risk_change_new(key, a, &e);
    cr_assert_not_null(c, "%s: %s", e.path, e.message);
    return c;
}

static gfin_risk_dist *dist(gfin_risk_dist_type t, const double *params, const int *which, size_t n)
{
    gfin_risk_dist *d = gfin_risk_dist_new(t);
    cr_assert_not_null(d);
    for (size_t i = 0; i < n; ++i) {
        gfin_error e = {0};
        cr_assert_eq(gfin_risk_dist_set(d, (gfin_risk_dist_param)which[i], params[i], &e), GFIN_OK, "%s: %s", e.path,
                     e.message);
    }
    return d;
}

static gfin_risk_dist *normal(double mean, double sd)
{
    return dist(GFIN_RISK_NORMAL, (double[]){mean, sd}, (int[]){GFIN_RISK_MEAN, GFIN_RISK_SD}, 2);
}

static gfin_risk_result *run(const gfin_risk *rk, const gfin_portfolio *pf, size_t first, size_t count, int threads)
{
    gfin_error e = {0};
    gfin_risk_result *r = NULL;
    gfin_status st = gfin_risk_run(rk, pf, first, count, threads, &r, &e);
    cr_assert_eq(st, GFIN_OK, "run: %s: %s", e.path, e.message);
    return r;
}

static const double *sample(const gfin_risk_result *r, const char *column)
{
    const double *c = gfin_table_column_by_name(gfin_risk_result_table(r, "samples"), column);
    cr_assert_not_null(c, "samples column %s", column);
    return c;
}

static double portfolio_metric(const gfin_portfolio *pf, size_t project, gfin_metric m)
{
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_portfolio_evaluate(pf, 1, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    double v = NAN;
    cr_assert_eq(gfin_result_metric(gfin_result_child(r, project), m, &v), GFIN_OK);
    gfin_result_free(r);
    return v;
}

/* The portfolio with project `i`'s key set to v (a deterministic evaluation
 * of edited inputs, through the ordinary API). */
static gfin_portfolio *edited(const char *json, size_t i, gfin_key key, double v)
{
    gfin_portfolio *pf = load(json);
    gfin_portfolio *out = gfin_portfolio_new();
    cr_assert_not_null(out);
    double x;
    OK(gfin_portfolio_get(pf, GFIN_PORTFOLIO_START_YEAR, &x));
    OK(gfin_portfolio_set(out, GFIN_PORTFOLIO_START_YEAR, x));
    OK(gfin_portfolio_get(pf, GFIN_PORTFOLIO_DISCOUNT_RATE, &x));
    OK(gfin_portfolio_set(out, GFIN_PORTFOLIO_DISCOUNT_RATE, x));
    OK(gfin_portfolio_get(pf, GFIN_GRID_EF_CM, &x));
    OK(gfin_portfolio_set(out, GFIN_GRID_EF_CM, x));
    for (size_t k = 0; k < gfin_portfolio_project_count(pf); ++k) {
        gfin_project *p = gfin_project_copy(gfin_portfolio_project(pf, k));
        if (k == i)
            OK(gfin_project_set(p, key, v));
        OK(gfin_portfolio_add_project(out, p, NULL));
        gfin_project_free(p);
    }
    gfin_portfolio_free(pf);
    return out;
}

static double mean_of(const double *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; ++i)
        s += x[i];
    return s / (double)n;
}

static double sd_of(const double *x, size_t n)
{
    const double m = mean_of(x, n);
    double s = 0;
    for (size_t i = 0; i < n; ++i)
        s += (x[i] - m) * (x[i] - m);
    return sqrt(s / (double)(n - 1));
}

static double corr_of(const double *x, const double *y, size_t n)
{
    const double mx = mean_of(x, n), my = mean_of(y, n);
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

/* Standard normal CDF by erfc (C99), independent of GSL. */
static double phi(double z) { return 0.5 * erfc(-z / sqrt(2.0)); }

/* ======================================================================== */
/* Streams and inverse CDFs                                                 */
/* ======================================================================== */

/* Random123 tests/kat_vectors, the three "philox4x32 10" lines (counter[4],
 * key[2] -> output[4]). */
Test(risk_draw, philox_known_answers)
{
    static const uint32_t v[3][10] = {
        {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d, 0x41c83b0e, 0xa20bc7c6,
         0x6d5451fd},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09, 0x94fdcceb, 0x5001e420,
         0x24126ea1},
    };
    for (int i = 0; i < 3; ++i) {
        uint32_t out[4];
        rk_philox4x32_10(v[i], v[i] + 4, out);
        for (int k = 0; k < 4; ++k)
            cr_assert_eq(out[k], v[i][6 + k], "vector %d word %d: %08x", i, k, out[k]);
    }
}

static double q(const gfin_risk_dist *d, double u)
{
    double x = NAN;
    gfin_error e = {0};
    cr_assert_eq(gfin_risk_dist_quantile(d, u, &x, &e), GFIN_OK, "%s: %s", e.path, e.message);
    return x;
}

Test(risk_draw, inverse_cdfs_match_closed_forms)
{
    /* Normal: Phi^-1(0.975) = 1.959963984540054 (tables; Abramowitz & Stegun 26.2). */
    gfin_risk_dist *n = normal(10, 2);
    cr_assert_float_eq(q(n, 0.975), 10 + 2 * 1.959963984540054, 1e-12);
    cr_assert_float_eq(q(n, 0.5), 10, 1e-15);
    /* Truncated at lower = mean: a half-normal, F^-1(u) = mean + sd Phi^-1((1 + u) / 2);
     * u = 0.5: Phi^-1(0.75) = 0.6744897501960817. */
    OK(gfin_risk_dist_set(n, GFIN_RISK_LOWER, 10, NULL));
    cr_assert_float_eq(q(n, 0.5), 10 + 2 * 0.6744897501960817, 1e-12);
    gfin_risk_dist_free(n);

    /* Lognormal from the variable's mean m = 1 and sd s = 0.2: sigma^2 =
     * ln(1 + 0.04), zeta = -sigma^2 / 2; the median is exp(zeta) = 1/sqrt(1.04),
     * the 97.5 % point exp(zeta + 1.959963984540054 sigma). */
    gfin_risk_dist *ln = dist(GFIN_RISK_LOGNORMAL, (double[]){1, 0.2}, (int[]){GFIN_RISK_MEAN, GFIN_RISK_SD}, 2);
    const double sigma = sqrt(log(1.04));
    cr_assert_float_eq(q(ln, 0.5), 1 / sqrt(1.04), 1e-12);
    cr_assert_float_eq(q(ln, 0.975), exp(-sigma * sigma / 2 + 1.959963984540054 * sigma), 1e-12);
    gfin_risk_dist_free(ln);

    /* Uniform: min + u (max - min). */
    gfin_risk_dist *un = dist(GFIN_RISK_UNIFORM, (double[]){2, 6}, (int[]){GFIN_RISK_MIN, GFIN_RISK_MAX}, 2);
    cr_assert_float_eq(q(un, 0.25), 3, 1e-15);
    gfin_risk_dist_free(un);

    /* Triangular (0, 1, 4): F(mode) = 1/4. Below: x = sqrt(u x 4 x 1), so
     * u = 0.09 -> 0.6; above: x = 4 - sqrt((1 - u) x 4 x 3), u = 0.25 + 0.5 ->
     * 4 - sqrt(3) = 2.267949192431123. */
    gfin_risk_dist *tr = dist(GFIN_RISK_TRIANGULAR, (double[]){0, 1, 4},
                              (int[]){GFIN_RISK_MIN, GFIN_RISK_MODE, GFIN_RISK_MAX}, 3);
    cr_assert_float_eq(q(tr, 0.09), 0.6, 1e-14);
    cr_assert_float_eq(q(tr, 0.75), 4 - sqrt(3), 1e-14);
    cr_assert_float_eq(q(tr, 0.25), 1, 1e-14);
    gfin_risk_dist_free(tr);

    /* PERT (0, 0.5, 1): alpha = beta = 3, Beta(3, 3) with F(x) = 10x^3 - 15x^4 + 6x^5;
     * its quantile x at u solves that polynomial: check F(x) = u, and the median 1/2. */
    gfin_risk_dist *pe = dist(GFIN_RISK_PERT, (double[]){0, 0.5, 1}, (int[]){GFIN_RISK_MIN, GFIN_RISK_MODE, GFIN_RISK_MAX},
                              3);
    cr_assert_float_eq(q(pe, 0.5), 0.5, 1e-13);
    for (double u = 0.05; u < 1; u += 0.15) {
        const double x = q(pe, u);
        cr_assert_float_eq(10 * pow(x, 3) - 15 * pow(x, 4) + 6 * pow(x, 5), u, 1e-13, "u = %g", u);
    }
    gfin_risk_dist_free(pe);
    /* PERT (10, 12, 20): alpha = 1 + 4 x 2/10 = 1.8, beta = 1 + 4 x 8/10 = 4.2; Beta(1.8, 4.2)
     * against GSL's own quantile at fixed points. */
    gfin_risk_dist *p2 = dist(GFIN_RISK_PERT, (double[]){10, 12, 20},
                              (int[]){GFIN_RISK_MIN, GFIN_RISK_MODE, GFIN_RISK_MAX}, 3);
    for (double u = 0.1; u < 1; u += 0.2)
        cr_assert_float_eq(q(p2, u), 10 + 10 * gsl_cdf_beta_Pinv(u, 1.8, 4.2), 1e-10, "u = %g", u);
    gfin_risk_dist_free(p2);

    /* Discrete: values 3, 1, 2 with weights 0.2, 0.5, 0.3 -> sorted 1 (0.5),
     * 2 (0.8), 3 (1): the smallest value whose cumulative weight reaches u. */
    gfin_risk_dist *di = gfin_risk_dist_new(GFIN_RISK_DISCRETE);
    OK(gfin_risk_dist_set_values(di, (double[]){3, 1, 2}, (double[]){0.2, 0.5, 0.3}, 3, NULL));
    cr_assert_eq(q(di, 0.5), 1);
    cr_assert_eq(q(di, 0.5000001), 2);
    cr_assert_eq(q(di, 0.8), 2);
    cr_assert_eq(q(di, 0.81), 3);
    gfin_risk_dist_free(di);
}

/* ======================================================================== */
/* Statistics                                                               */
/* ======================================================================== */

/* numpy.quantile(1..10, p) (linear, h = (n-1)p): p = 0.1 -> h = 0.9 -> 1.9;
 * 0.5 -> 5.5; 0.95 -> h = 8.55 -> 9.55; mean 5.5; sd (n-1) sqrt(55/6). */
Test(risk_stats, numpy_linear_quantiles_and_nulls)
{
    double x[12] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1, NAN, NAN}, out[GFIN_RISK_STAT_COUNT];
    OK(gfin_risk_statistics(x, 12, out, NULL));
    cr_assert_eq(out[GFIN_RISK_N], 10);
    cr_assert_float_eq(out[GFIN_RISK_STAT_MEAN], 5.5, 1e-15);
    cr_assert_float_eq(out[GFIN_RISK_STAT_SD], sqrt(55.0 / 6.0), 1e-14);
    cr_assert_eq(out[GFIN_RISK_STAT_MIN], 1);
    cr_assert_eq(out[GFIN_RISK_STAT_MAX], 10);
    cr_assert_float_eq(out[GFIN_RISK_Q10], 1.9, 1e-14);
    cr_assert_float_eq(out[GFIN_RISK_Q50], 5.5, 1e-14);
    cr_assert_float_eq(out[GFIN_RISK_Q95], 9.55, 1e-14);
    cr_assert_float_eq(out[GFIN_RISK_Q05], 1.45, 1e-14);
    cr_assert_float_eq(out[GFIN_RISK_Q90], 9.1, 1e-14);
    /* One value: sd null; none: all null but n. */
    OK(gfin_risk_statistics(x, 1, out, NULL));
    cr_assert(isnan(out[GFIN_RISK_STAT_SD]));
    cr_assert_eq(out[GFIN_RISK_Q50], 10);
    OK(gfin_risk_statistics(x + 10, 2, out, NULL));
    cr_assert_eq(out[GFIN_RISK_N], 0);
    cr_assert(isnan(out[GFIN_RISK_STAT_MEAN]) && isnan(out[GFIN_RISK_Q50]));
}

/* ======================================================================== */
/* Scores: what was asked is what is drawn                                  */
/* ======================================================================== */

/* Five one-year solar plants without loans: a project's lifetime reductions
 * are net energy x ef_cm (solar, ACM0002), so reductions / base reductions is
 * exactly the energy multiplier a scenario drew. a operates in 2031 and b in
 * 2032: consecutive calendar years of one per-year factor. */
#define ONE_YEAR(id, start) \
    "{\"id\":\"" id "\",\"technology\":\"solar\",\"capacity_mw\":10,\"capacity_factor\":0.2,\"capex\":1e7," \
    "\"tariff_per_mwh\":80,\"operating_years\":1,\"start_year\":" #start "}"
static const char SCORES[] =
    "{\"format\":\"greenfin/1\",\"name\":\"scores\",\"start_year\":2030,\"discount_rate\":0.08,"
    "\"grid\":{\"ef_cm\":0.6},\"projects\":[" ONE_YEAR("a", 2030) "," ONE_YEAR("b", 2031) "," ONE_YEAR("c", 2030) ","
    ONE_YEAR("d", 2030) "," ONE_YEAR("e", 2030) "]}";

static gfin_risk_change *energy_on(const char *project)
{
    gfin_risk_change *c = change("energy", GFIN_RISK_SCALE);
    OK(gfin_risk_change_add_project(c, project, NULL));
    return c;
}

Test(risk_scores, means_sds_correlations_and_autocorrelation_within_4_standard_errors)
{
    gfin_portfolio *pf = load(SCORES);
    gfin_risk *rk = gfin_risk_new();
    const size_t n = 4000;
    OK(gfin_risk_set_scenarios(rk, n, NULL));
    OK(gfin_risk_set_seed(rk, 20261201, NULL));
    gfin_risk_set_keep_samples(rk, 1);
    OK(gfin_risk_add_factor(rk, "river", GFIN_RISK_PER_YEAR, 0.7, NULL));
    OK(gfin_risk_add_factor(rk, "g", GFIN_RISK_PER_SCENARIO, 0, NULL));
    OK(gfin_risk_add_factor(rk, "h", GFIN_RISK_PER_SCENARIO, 0, NULL));
    OK(gfin_risk_add_correlation(rk, "g", "h", 0.6, NULL));
    gfin_risk_dist *nd = normal(1, 0.1);
    gfin_risk_dist *ld = dist(GFIN_RISK_LOGNORMAL, (double[]){1, 0.2}, (int[]){GFIN_RISK_MEAN, GFIN_RISK_SD}, 2);
    gfin_risk_change *ab = energy_on("a"), *c = energy_on("c"), *d = energy_on("d"), *e = energy_on("e");
    OK(gfin_risk_change_add_project(ab, "b", NULL));
    OK(gfin_risk_add_uncertainty(rk, ab, nd, "river", GFIN_RISK_PER_YEAR, NULL));
    OK(gfin_risk_add_uncertainty(rk, c, nd, "g", GFIN_RISK_PER_SCENARIO, NULL));
    OK(gfin_risk_add_uncertainty(rk, d, nd, "h", GFIN_RISK_PER_SCENARIO, NULL));
    OK(gfin_risk_add_uncertainty(rk, e, ld, NULL, GFIN_RISK_PER_SCENARIO, NULL));
    gfin_risk_result *r = run(rk, pf, 0, GFIN_RISK_REST, 2);

    const char *ids[] = {"a", "b", "c", "d", "e"};
    double *x[5];
    for (int p = 0; p < 5; ++p) {
        const double base = portfolio_metric(pf, (size_t)p, GFIN_M_LIFETIME_REDUCTIONS_TCO2E);
        char col[64];
        snprintf(col, sizeof col, "%s.lifetime_reductions_tco2e", ids[p]);
        const double *red = sample(r, col);
        x[p] = malloc(n * sizeof(double));
        for (size_t i = 0; i < n; ++i)
            x[p][i] = red[i] / base;
    }
    const double rn = sqrt((double)n);
    /* Normal(1, 0.1): SE(mean) = 0.1 / sqrt(n); SE(sd) = sd / sqrt(2 (n - 1)). */
    for (int p = 0; p < 4; ++p) {
        cr_assert_lt(fabs(mean_of(x[p], n) - 1), 4 * 0.1 / rn, "%s mean %g", ids[p], mean_of(x[p], n));
        cr_assert_lt(fabs(sd_of(x[p], n) - 0.1), 4 * 0.1 / sqrt(2.0 * (double)(n - 1)), "%s sd %g", ids[p],
                     sd_of(x[p], n));
    }
    /* A per-year factor with rho 0.7: calendar years 2031 and 2032 correlate
     * by rho (z_j = rho z_(j-1) + sqrt(1 - rho^2) e_j, unit variance); correlated
     * per-scenario factors by 0.6; independent draws by 0. SE(r) = (1 - rho^2) / sqrt(n). */
    cr_assert_lt(fabs(corr_of(x[0], x[1], n) - 0.7), 4 * (1 - 0.49) / rn, "lag-1 %g", corr_of(x[0], x[1], n));
    cr_assert_lt(fabs(corr_of(x[2], x[3], n) - 0.6), 4 * (1 - 0.36) / rn, "corr %g", corr_of(x[2], x[3], n));
    cr_assert_lt(fabs(corr_of(x[0], x[2], n)), 4 / rn, "independent %g", corr_of(x[0], x[2], n));
    cr_assert_lt(fabs(corr_of(x[2], x[4], n)), 4 / rn, "independent %g", corr_of(x[2], x[4], n));
    /* Lognormal(mean 1, sd 0.2): SE(mean) = 0.2 / sqrt(n); SE(sd) = sd sqrt((kappa + 2) / (4 n))
     * with excess kurtosis kappa = e^(4 s2) + 2 e^(3 s2) + 3 e^(2 s2) - 6, s2 = ln 1.04 (0.664). */
    const double s2 = log(1.04), kappa = exp(4 * s2) + 2 * exp(3 * s2) + 3 * exp(2 * s2) - 6;
    cr_assert_lt(fabs(mean_of(x[4], n) - 1), 4 * 0.2 / rn, "lognormal mean %g", mean_of(x[4], n));
    cr_assert_lt(fabs(sd_of(x[4], n) - 0.2), 4 * 0.2 * sqrt((kappa + 2) / (4.0 * (double)n)), "lognormal sd %g",
                 sd_of(x[4], n));
    for (int p = 0; p < 5; ++p)
        free(x[p]);
    gfin_risk_result_free(r);
    gfin_risk_change_free(ab);
    gfin_risk_change_free(c);
    gfin_risk_change_free(d);
    gfin_risk_change_free(e);
    gfin_risk_dist_free(nd);
    gfin_risk_dist_free(ld);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
}

/* ======================================================================== */
/* Quantile mapping, probabilities, cases and sensitivity                   */
/* ======================================================================== */

/* One 10-year solar plant, no opex and no tax: CFADS = 78,840 MWh x 60 in
 * every operating year, against a level annuity on 30 m at 6 % (year 1 is
 * construction, interest-only). min_dscr and npv are monotone in energy and
 * capex. */
static const char DSCR[] =
    "{\"format\":\"greenfin/1\",\"name\":\"dscr\",\"start_year\":2030,\"discount_rate\":0.08,"
    "\"grid\":{\"ef_cm\":0.6},\"projects\":[{\"id\":\"s\",\"technology\":\"solar\",\"capacity_mw\":50,"
    "\"capacity_factor\":0.2,\"availability\":0.9,\"capex\":5e7,\"tariff_per_mwh\":60,\"operating_years\":10,"
    "\"loans\":[{\"id\":\"l\",\"lender\":\"bank\",\"principal\":3e7,\"annual_rate\":0.06,\"frequency\":1,"
    "\"grace_periods\":1,\"repayment_periods\":10}]}]}";

/* Triangular (a, c, b) quantile, closed form (see inverse_cdfs_match_closed_forms). */
static double tri_inv(double u, double a, double c, double b)
{
    const double fc = (c - a) / (b - a);
    return u < fc ? a + sqrt(u * (b - a) * (c - a)) : b - sqrt((1 - u) * (b - a) * (b - c));
}

Test(risk_mc, quantiles_map_through_a_monotone_metric)
{
    gfin_portfolio *pf = load(DSCR);
    gfin_risk *rk = gfin_risk_new();
    const size_t n = 2000;
    OK(gfin_risk_set_scenarios(rk, n, NULL));
    gfin_risk_dist *t = dist(GFIN_RISK_TRIANGULAR, (double[]){0.9, 1.0, 1.5},
                             (int[]){GFIN_RISK_MIN, GFIN_RISK_MODE, GFIN_RISK_MAX}, 3);
    gfin_risk_change *capex = change("capex", GFIN_RISK_SCALE);
    OK(gfin_risk_add_uncertainty(rk, capex, t, NULL, GFIN_RISK_PER_SCENARIO, NULL));
    gfin_risk_result *r = run(rk, pf, 0, GFIN_RISK_REST, 2);
    /* npv falls as capex rises: its q_p is npv at capex's quantile 1 - p. The
     * empirical p-quantile of n draws sits at probability p +- sqrt(p (1-p) / n)
     * (binomial standard error of the empirical CDF): four of those bound it. */
    const struct { gfin_risk_stat stat; double p; } qs[] = {{GFIN_RISK_Q10, 0.1}, {GFIN_RISK_Q50, 0.5},
                                                             {GFIN_RISK_Q90, 0.9}};
    for (size_t k = 0; k < 3; ++k) {
        double got;
        OK(gfin_risk_result_statistic(r, 1, GFIN_M_NPV, qs[k].stat, &got));
        const double p = qs[k].p, se = sqrt(p * (1 - p) / (double)n);
        gfin_portfolio *lo = edited(DSCR, 0, GFIN_PROJECT_CAPEX, 5e7 * tri_inv(1 - p + 4 * se, 0.9, 1.0, 1.5));
        gfin_portfolio *hi = edited(DSCR, 0, GFIN_PROJECT_CAPEX, 5e7 * tri_inv(1 - p - 4 * se, 0.9, 1.0, 1.5));
        const double npv_lo = portfolio_metric(lo, 0, GFIN_M_NPV), npv_hi = portfolio_metric(hi, 0, GFIN_M_NPV);
        cr_assert(got >= npv_lo && got <= npv_hi, "q%g npv %.6g outside [%.6g, %.6g]", p, got, npv_lo, npv_hi);
        gfin_portfolio_free(lo);
        gfin_portfolio_free(hi);
    }
    gfin_risk_result_free(r);
    gfin_risk_change_free(capex);
    gfin_risk_dist_free(t);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
}

/* min_dscr with energy scaled by f, by a deterministic evaluation: energy x f
 * is availability x f (gross = ideal x availability x (1 - losses)). */
static double min_dscr_at(double f)
{
    gfin_portfolio *pf = edited(DSCR, 0, GFIN_PROJECT_AVAILABILITY, 0.9 * f);
    const double v = portfolio_metric(pf, 0, GFIN_M_MIN_DSCR);
    gfin_portfolio_free(pf);
    return v;
}

Test(risk_mc, probability_of_dscr_below_1_matches_the_normal_cdf)
{
    /* f*: min_dscr(f*) = 1, by bisection on deterministic runs. */
    double lo = 0.5, hi = 1.1;
    for (int i = 0; i < 60; ++i) {
        const double mid = 0.5 * (lo + hi);
        *(min_dscr_at(mid) < 1 ? &lo : &hi) = mid;
    }
    const double fstar = 0.5 * (lo + hi), sd = 0.1, expected = phi((fstar - 1) / sd);
    gfin_portfolio *pf = load(DSCR);
    gfin_risk *rk = gfin_risk_new();
    const size_t n = 4000;
    OK(gfin_risk_set_scenarios(rk, n, NULL));
    OK(gfin_risk_add_factor(rk, "energy", GFIN_RISK_PER_SCENARIO, 0, NULL));
    gfin_risk_dist *nd = normal(1, sd);
    gfin_risk_change *en = change("energy", GFIN_RISK_SCALE);
    OK(gfin_risk_add_uncertainty(rk, en, nd, "energy", GFIN_RISK_PER_SCENARIO, NULL));
    gfin_risk_result *r = run(rk, pf, 0, GFIN_RISK_REST, 2);
    double p;
    OK(gfin_risk_result_probability(r, 1, GFIN_M_P_MIN_DSCR_BELOW_1, &p));
    const double se = sqrt(expected * (1 - expected) / (double)n);
    cr_assert_lt(fabs(p - expected), 4 * se, "p %g, Phi((%g - 1) / %g) = %g", p, fstar, sd, expected);
    cr_assert_gt(expected, 0.02, "a probability the test can see");
    gfin_risk_result_free(r);
    gfin_risk_change_free(en);
    gfin_risk_dist_free(nd);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
}

/* The value of (scope 1, metric m) in row `row` of a cases or sensitivity table. */
static double cell(const gfin_table *t, const char *col, size_t first_col_value, gfin_metric m)
{
    const double *a = gfin_table_column(t, 0), *metric = gfin_table_column_by_name(t, "metric"),
                 *scope = gfin_table_column_by_name(t, "scope"), *v = gfin_table_column_by_name(t, col);
    for (size_t i = 0; i < gfin_table_rows(t); ++i)
        if (a[i] == (double)first_col_value && scope[i] == 1 && metric[i] == m)
            return v[i];
    cr_assert_fail("no row %zu / %d in the table", first_col_value, m);
    return NAN;
}

Test(risk_mc, cases_and_sensitivity_equal_deterministic_evaluations_of_edited_inputs)
{
    gfin_portfolio *pf = load(DSCR);
    gfin_risk *rk = gfin_risk_new();
    OK(gfin_risk_set_scenarios(rk, 3, NULL));
    size_t k;
    OK(gfin_risk_add_case(rk, "capex +20 %", &k, NULL));
    gfin_risk_change *capex = change("capex", GFIN_RISK_SCALE), *en = change("energy", GFIN_RISK_SCALE),
                     *tariff = change("tariff_per_mwh", GFIN_RISK_ADD);
    OK(gfin_risk_case_add_change(rk, k, capex, 1.2, NULL));
    OK(gfin_risk_add_case(rk, "low energy", &k, NULL));
    OK(gfin_risk_case_add_change(rk, k, en, 0.95, NULL));
    OK(gfin_risk_add_sensitivity(rk, tariff, -6, 6, NULL));
    gfin_risk_result *r = run(rk, pf, 0, GFIN_RISK_REST, 1);
    const gfin_table *cases = gfin_risk_result_table(r, "cases"), *sens = gfin_risk_result_table(r, "sensitivity");
    const gfin_metric ms[] = {GFIN_M_NPV, GFIN_M_EQUITY_IRR, GFIN_M_MIN_DSCR, GFIN_M_LCOE,
                              GFIN_M_LIFETIME_REDUCTIONS_TCO2E};
    struct { gfin_key key; double v; } edits[] = {{GFIN_PROJECT_CAPEX, 6e7}, {GFIN_PROJECT_AVAILABILITY, 0.9 * 0.95},
                                                  {GFIN_PROJECT_TARIFF_PER_MWH, 54}, {GFIN_PROJECT_TARIFF_PER_MWH, 66}};
    for (size_t i = 0; i < 4; ++i) {
        gfin_portfolio *ed = edited(DSCR, 0, edits[i].key, edits[i].v);
        for (size_t m = 0; m < sizeof ms / sizeof ms[0]; ++m) {
            const double want = portfolio_metric(ed, 0, ms[m]);
            const double got = i < 2 ? cell(cases, "value", i, ms[m]) : cell(sens, i == 2 ? "at_low" : "at_high", 0, ms[m]);
            cr_assert(fabs(got - want) <= 1e-12 * fmax(1, fabs(want)), "edit %zu, %s: %.17g vs %.17g", i,
                      gfin_metric_name(ms[m]), got, want);
        }
        gfin_portfolio_free(ed);
    }
    /* base and difference */
    const double base = portfolio_metric(pf, 0, GFIN_M_NPV);
    cr_assert_eq(cell(cases, "base", 0, GFIN_M_NPV), base);
    cr_assert_eq(cell(cases, "difference", 0, GFIN_M_NPV), cell(cases, "value", 0, GFIN_M_NPV) - base);
    cr_assert_str_eq(gfin_risk_result_case_name(r, 0), "capex +20 %");
    cr_assert_str_eq(gfin_risk_result_change_name(r, 0), "tariff_per_mwh add");
    gfin_risk_result_free(r);
    gfin_risk_change_free(capex);
    gfin_risk_change_free(en);
    gfin_risk_change_free(tariff);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
}

/* ======================================================================== */
/* Determinism                                                              */
/* ======================================================================== */

static char *read_sample(size_t *len)
{
    const char *dir = getenv("GFIN_EXAMPLES_DATA");
    cr_assert_not_null(dir, "GFIN_EXAMPLES_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/cambodia_pipeline.json", dir);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *t = malloc(*len + 1);
    cr_assert_eq(fread(t, 1, *len, f), *len);
    t[*len] = '\0';
    fclose(f);
    return t;
}

/* The bundled sample (sized debt, a fund) with a per-year factor shared by
 * hydro plants, correlated per-scenario factors, own draws per loan. */
static gfin_risk *mixed_experiment(size_t scenarios)
{
    gfin_risk *rk = gfin_risk_new();
    OK(gfin_risk_set_scenarios(rk, scenarios, NULL));
    OK(gfin_risk_set_seed(rk, 7, NULL));
    gfin_risk_set_keep_samples(rk, 1);
    OK(gfin_risk_add_factor(rk, "mekong", GFIN_RISK_PER_YEAR, 0.5, NULL));
    OK(gfin_risk_add_factor(rk, "capex", GFIN_RISK_PER_SCENARIO, 0, NULL));
    OK(gfin_risk_add_factor(rk, "price", GFIN_RISK_PER_SCENARIO, 0, NULL));
    OK(gfin_risk_add_correlation(rk, "capex", "price", -0.3, NULL));
    gfin_risk_dist *nd = normal(1, 0.12);
    gfin_risk_dist *pe = dist(GFIN_RISK_PERT, (double[]){0.95, 1.05, 1.8}, (int[]){GFIN_RISK_MIN, GFIN_RISK_MODE, GFIN_RISK_MAX}, 3);
    gfin_risk_dist *un = dist(GFIN_RISK_UNIFORM, (double[]){-0.01, 0.01}, (int[]){GFIN_RISK_MIN, GFIN_RISK_MAX}, 2);
    gfin_risk_change *hydro = change("energy", GFIN_RISK_SCALE), *capex = change("capex", GFIN_RISK_SCALE),
                     *rate = change("annual_rate", GFIN_RISK_ADD), *carbon = change("carbon_price_per_tco2e", GFIN_RISK_SCALE);
    OK(gfin_risk_change_set_technology(hydro, GFIN_TECH_HYDRO, NULL));
    OK(gfin_risk_add_uncertainty(rk, hydro, nd, "mekong", GFIN_RISK_PER_YEAR, NULL));
    OK(gfin_risk_add_uncertainty(rk, capex, pe, "capex", GFIN_RISK_PER_SCENARIO, NULL));
    OK(gfin_risk_add_uncertainty(rk, carbon, nd, "price", GFIN_RISK_PER_SCENARIO, NULL));
    OK(gfin_risk_add_uncertainty(rk, rate, un, NULL, GFIN_RISK_PER_SCENARIO, NULL));
    OK(gfin_risk_add_sensitivity(rk, capex, 0.8, 1.2, NULL));
    gfin_risk_change_free(hydro);
    gfin_risk_change_free(capex);
    gfin_risk_change_free(rate);
    gfin_risk_change_free(carbon);
    gfin_risk_dist_free(nd);
    gfin_risk_dist_free(pe);
    gfin_risk_dist_free(un);
    return rk;
}

static void same_table(const gfin_table *a, const gfin_table *b, size_t b_offset, const char *what)
{
    cr_assert_eq(gfin_table_cols(a), gfin_table_cols(b));
    for (size_t j = 0; j < gfin_table_cols(a); ++j)
        cr_assert_eq(memcmp(gfin_table_column(a, j), gfin_table_column(b, j) + b_offset,
                            gfin_table_rows(a) * sizeof(double)), 0, "%s: column %s differs", what,
                     gfin_table_col_name(a, j));
}

Test(risk_determinism, threads_and_blocks_give_the_same_bits)
{
    size_t len;
    char *text = read_sample(&len);
    gfin_portfolio *pf = load(text);
    const size_t n = 40, k = 17;
    gfin_risk *rk = mixed_experiment(n);
    gfin_risk_result *one = run(rk, pf, 0, GFIN_RISK_REST, 1), *two = run(rk, pf, 0, n, 2),
                     *three = run(rk, pf, 0, n, 3), *b1 = run(rk, pf, 0, k, 2), *b2 = run(rk, pf, k, GFIN_RISK_REST, 1);
    const char *const tables[] = {"samples", "statistics", "probabilities", "sensitivity", "cases"};
    for (size_t t = 0; t < 5; ++t) {
        same_table(gfin_risk_result_table(two, tables[t]), gfin_risk_result_table(one, tables[t]), 0, tables[t]);
        same_table(gfin_risk_result_table(three, tables[t]), gfin_risk_result_table(one, tables[t]), 0, tables[t]);
    }
    /* Blocks: samples concatenate; statistics of the concatenation by
     * gfin_risk_statistics equal the single run's. */
    const gfin_table *all = gfin_risk_result_table(one, "samples"), *s1 = gfin_risk_result_table(b1, "samples"),
                     *s2 = gfin_risk_result_table(b2, "samples");
    cr_assert_eq(gfin_table_rows(s1), k);
    cr_assert_eq(gfin_table_column(s2, 0)[0], (double)k, "block 2 starts at scenario k");
    same_table(s1, all, 0, "block 1");
    same_table(s2, all, k, "block 2");
    const gfin_table *stats = gfin_risk_result_table(one, "statistics");
    double *merged = malloc(n * sizeof *merged);
    for (size_t c = 1; c < gfin_table_cols(all); ++c) {
        memcpy(merged, gfin_table_column(s1, c), k * sizeof(double));
        memcpy(merged + k, gfin_table_column(s2, c), (n - k) * sizeof(double));
        double st[GFIN_RISK_STAT_COUNT];
        OK(gfin_risk_statistics(merged, n, st, NULL));
        for (int s = 0; s < GFIN_RISK_STAT_COUNT; ++s) {
            const double want = gfin_table_column(stats, 2 + (size_t)s)[c - 1];
            cr_assert(memcmp(&st[s], &want, sizeof want) == 0 || (isnan(st[s]) && isnan(want)),
                      "column %s stat %s", gfin_table_col_name(all, c), gfin_risk_stat_name((gfin_risk_stat)s));
        }
    }
    free(merged);
    /* Something did vary, and the fund and the sized debt are in it. */
    double sd;
    OK(gfin_risk_result_statistic(one, 1, GFIN_M_NPV, GFIN_RISK_STAT_SD, &sd));
    cr_assert_gt(sd, 0);
    cr_assert_eq(gfin_risk_result_count(b2), n - k);
    cr_assert_eq(gfin_risk_result_first(b2), k);
    cr_assert_eq(gfin_risk_result_scenarios(b2), n);
    /* The same seed, run again: the same statistics. */
    gfin_risk_result *again = run(rk, pf, 0, n, 2);
    same_table(gfin_risk_result_table(again, "statistics"), stats, 0, "again");
    gfin_risk_result_free(again);
    gfin_risk_result_free(one);
    gfin_risk_result_free(two);
    gfin_risk_result_free(three);
    gfin_risk_result_free(b1);
    gfin_risk_result_free(b2);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
    free(text);
}

Test(risk_determinism, adding_an_entry_at_the_end_keeps_earlier_draws)
{
    gfin_portfolio *pf = load(SCORES);
    gfin_risk *rk = gfin_risk_new();
    OK(gfin_risk_set_scenarios(rk, 50, NULL));
    gfin_risk_set_keep_samples(rk, 1);
    gfin_risk_dist *nd = normal(1, 0.1);
    gfin_risk_change *a = energy_on("a"), *c = energy_on("c");
    OK(gfin_risk_add_uncertainty(rk, a, nd, NULL, GFIN_RISK_PER_SCENARIO, NULL));
    gfin_risk_result *r1 = run(rk, pf, 0, GFIN_RISK_REST, 1);
    OK(gfin_risk_add_uncertainty(rk, c, nd, NULL, GFIN_RISK_PER_SCENARIO, NULL));
    gfin_risk_result *r2 = run(rk, pf, 0, GFIN_RISK_REST, 1);
    cr_assert_eq(memcmp(sample(r1, "a.npv"), sample(r2, "a.npv"), 50 * sizeof(double)), 0);
    cr_assert_neq(memcmp(sample(r1, "c.npv"), sample(r2, "c.npv"), 50 * sizeof(double)), 0);
    gfin_risk_result_free(r1);
    gfin_risk_result_free(r2);
    gfin_risk_change_free(a);
    gfin_risk_change_free(c);
    gfin_risk_dist_free(nd);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
}

/* ======================================================================== */
/* Refused experiments                                                      */
/* ======================================================================== */

Test(risk_refused, distribution_parameters)
{
    gfin_error e = {0};
    gfin_risk_dist *d = gfin_risk_dist_new(GFIN_RISK_NORMAL);
    refused_at(gfin_risk_dist_set(d, GFIN_RISK_SD, -0.1, &e), &e, "sd", "-0.1");
    refused_at(gfin_risk_dist_set(d, GFIN_RISK_SD, 0, &e), &e, "sd", "greater than 0");
    refused_at(gfin_risk_dist_set(d, GFIN_RISK_MODE, 1, &e), &e, "mode", "not a parameter");
    refused_at(gfin_risk_dist_validate(d, &e), &e, "mean", "required");
    gfin_risk_dist_free(d);
    gfin_risk_dist *t = dist(GFIN_RISK_TRIANGULAR, (double[]){2, 1, 3}, (int[]){GFIN_RISK_MIN, GFIN_RISK_MODE, GFIN_RISK_MAX}, 3);
    refused_at(gfin_risk_dist_validate(t, &e), &e, "mode", "outside");
    gfin_risk_dist_free(t);
    gfin_risk_dist *u = dist(GFIN_RISK_UNIFORM, (double[]){2, 2}, (int[]){GFIN_RISK_MIN, GFIN_RISK_MAX}, 2);
    refused_at(gfin_risk_dist_validate(u, &e), &e, "min", "not below max");
    gfin_risk_dist_free(u);
    gfin_risk_dist *di = gfin_risk_dist_new(GFIN_RISK_DISCRETE);
    refused_at(gfin_risk_dist_set_values(di, (double[]){1, 2}, (double[]){0.5, -1}, 2, &e), &e, "weights[1]", "-1");
    refused_at(gfin_risk_dist_set_values(di, (double[]){1, 2}, (double[]){0, 0}, 2, &e), &e, "weights", "sum to 0");
    gfin_risk_dist_free(di);
    gfin_risk_dist *ln = gfin_risk_dist_new(GFIN_RISK_LOGNORMAL);
    refused_at(gfin_risk_dist_set(ln, GFIN_RISK_MEAN, -1, &e), &e, "mean", "-1");
    gfin_risk_dist_free(ln);
    gfin_risk_dist *tn = dist(GFIN_RISK_NORMAL, (double[]){0, 1, 2, 1}, (int[]){GFIN_RISK_MEAN, GFIN_RISK_SD, GFIN_RISK_LOWER, GFIN_RISK_UPPER}, 4);
    refused_at(gfin_risk_dist_validate(tn, &e), &e, "upper", "not above lower");
    gfin_risk_dist_free(tn);
}

Test(risk_refused, changes_factors_and_correlations)
{
    gfin_error e = {0};
    cr_assert_null(gfin_risk_change_new("capx", GFIN_RISK_SCALE, &e));
    refused_at(e.code, &e, "key", "did you mean 'capex'");
    cr_assert_null(gfin_risk_change_new("target_dscr", GFIN_RISK_SCALE, &e));
    refused_at(e.code, &e, "key", "sized once");
    cr_assert_null(gfin_risk_change_new("technology", GFIN_RISK_SET, &e));
    refused_at(e.code, &e, "key", "choice");
    gfin_risk_change *capex = change("capex", GFIN_RISK_SCALE);
    refused_at(gfin_risk_change_set_years(capex, 2030, 2035, &e), &e, "years", "energy");
    refused_at(gfin_risk_change_add_lender(capex, "fund", &e), &e, "lenders", "loan keys");
    gfin_risk *rk = gfin_risk_new();
    gfin_risk_dist *nd = normal(1, 0.1);
    refused_at(gfin_risk_add_uncertainty(rk, capex, nd, NULL, GFIN_RISK_PER_YEAR, &e), &e, "uncertainties[0].per",
            "energy");
    refused_at(gfin_risk_add_factor(rk, "f", GFIN_RISK_PER_SCENARIO, 0.5, &e), &e, "factors.f.autocorrelation",
            "per \"year\"");
    refused_at(gfin_risk_add_factor(rk, "f", GFIN_RISK_PER_YEAR, 1, &e), &e, "factors.f.autocorrelation", "less than 1");
    OK(gfin_risk_add_factor(rk, "f", GFIN_RISK_PER_YEAR, 0.5, NULL));
    refused_at(gfin_risk_add_factor(rk, "f", GFIN_RISK_PER_YEAR, 0.5, &e), &e, "factors.f", "duplicate");
    OK(gfin_risk_add_factor(rk, "s", GFIN_RISK_PER_SCENARIO, 0, NULL));
    refused_at(gfin_risk_add_correlation(rk, "f", "s", 1.5, &e), &e, "correlations[0]", "above the maximum 1");
    refused_at(gfin_risk_set_scenarios(rk, 0, &e), &e, "scenarios", "outside 1 .. 10000000");
    refused_at(gfin_risk_set_scenarios(rk, GFIN_RISK_MAX_SCENARIOS + 1, &e), &e, "scenarios", "outside");
    gfin_risk_change_free(capex);
    gfin_risk_dist_free(nd);
    gfin_risk_free(rk);
}

/* Each case: one experiment that validate refuses with a path. */
Test(risk_refused, against_the_portfolio)
{
    gfin_portfolio *pf = load(DSCR);
    gfin_error e = {0};
    gfin_risk_dist *nd = normal(1, 0.1);
    struct {
        const char *key, *project, *lender, *factor;
        gfin_risk_per per;
        const char *path, *words;
    } cases[] = {
        {"capex", "nope", NULL, NULL, GFIN_RISK_PER_SCENARIO, "uncertainties[0].projects[0]", "names no project"},
        {"margin", NULL, "fund", NULL, GFIN_RISK_PER_SCENARIO, "uncertainties[0].lenders", "no loan"},
        {"capacity_factor", NULL, NULL, "ghost", GFIN_RISK_PER_SCENARIO, "uncertainties[0].factor", "unknown factor"},
        {"energy", NULL, NULL, "f", GFIN_RISK_PER_SCENARIO, "uncertainties[0].per", "differs from its factor"},
        {"specific_yield_kwh_per_kwp", NULL, NULL, NULL, GFIN_RISK_PER_SCENARIO, "uncertainties[0].key",
         "touches nothing"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        gfin_risk *rk = gfin_risk_new();
        OK(gfin_risk_add_factor(rk, "f", GFIN_RISK_PER_YEAR, 0.3, NULL));
        gfin_risk_change *c = change(cases[i].key, GFIN_RISK_SCALE);
        if (cases[i].project)
            OK(gfin_risk_change_add_project(c, cases[i].project, NULL));
        if (cases[i].lender)
            OK(gfin_risk_change_add_lender(c, cases[i].lender, NULL));
        OK(gfin_risk_add_uncertainty(rk, c, nd, cases[i].factor, cases[i].per, NULL));
        refused_at(gfin_risk_validate(rk, pf, &e), &e, cases[i].path, cases[i].words);
        gfin_risk_change_free(c);
        gfin_risk_free(rk);
    }
    /* Correlations: different per; not positive definite. */
    gfin_risk *rk = gfin_risk_new();
    OK(gfin_risk_add_factor(rk, "y", GFIN_RISK_PER_YEAR, 0.3, NULL));
    OK(gfin_risk_add_factor(rk, "a", GFIN_RISK_PER_SCENARIO, 0, NULL));
    OK(gfin_risk_add_factor(rk, "b", GFIN_RISK_PER_SCENARIO, 0, NULL));
    OK(gfin_risk_add_factor(rk, "c", GFIN_RISK_PER_SCENARIO, 0, NULL));
    OK(gfin_risk_add_correlation(rk, "y", "a", 0.2, NULL));
    refused_at(gfin_risk_validate(rk, pf, &e), &e, "correlations[0]", "different per");
    gfin_risk_free(rk);
    rk = gfin_risk_new();
    OK(gfin_risk_add_factor(rk, "a", GFIN_RISK_PER_SCENARIO, 0, NULL));
    OK(gfin_risk_add_factor(rk, "b", GFIN_RISK_PER_SCENARIO, 0, NULL));
    OK(gfin_risk_add_factor(rk, "c", GFIN_RISK_PER_SCENARIO, 0, NULL));
    OK(gfin_risk_add_correlation(rk, "a", "b", 0.9, NULL));
    OK(gfin_risk_add_correlation(rk, "a", "c", 0.9, NULL));
    OK(gfin_risk_add_correlation(rk, "b", "c", -0.9, NULL));
    refused_at(gfin_risk_add_correlation(rk, "c", "b", 0.1, &e), &e, "correlations[3]", "duplicate pair");
    refused_at(gfin_risk_validate(rk, pf, &e), &e, "correlations", "not positive definite");
    /* Blocks beyond the experiment. */
    gfin_risk_result *r = NULL;
    OK(gfin_risk_set_scenarios(rk, 10, NULL));
    refused_at(gfin_risk_run(rk, pf, 10, 1, 1, &r, &e), &e, "first", "beyond");
    refused_at(gfin_risk_run(rk, pf, 4, 7, 1, &r, &e), &e, "count", "beyond");
    cr_assert_null(r);
    gfin_risk_free(rk);
    gfin_risk_dist_free(nd);
    gfin_portfolio_free(pf);
}

Test(risk_refused, a_run_beyond_the_memory_limit_is_not_attempted)
{
    size_t len;
    char *text = read_sample(&len);
    gfin_portfolio *pf = load(text);
    gfin_risk *rk = gfin_risk_new();
    gfin_error e = {0};
    /* 10 million scenarios x (1 + 4 portfolio + 6 x 7 project metrics) x 8 bytes > 2 GiB. */
    OK(gfin_risk_set_scenarios(rk, GFIN_RISK_MAX_SCENARIOS, NULL));
    gfin_risk_result *r = NULL;
    refused_at(gfin_risk_run(rk, pf, 0, GFIN_RISK_REST, 1, &r, &e), &e, "count", "exceed the limit of 2048 MiB");
    cr_assert_null(r);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
    free(text);
}

Test(risk_refused, a_scenario_the_model_refuses_names_the_scenario)
{
    gfin_portfolio *pf = load(DSCR);
    gfin_risk *rk = gfin_risk_new();
    OK(gfin_risk_set_scenarios(rk, 20, NULL));
    /* capacity_factor set on a plant given by capacity factor: fine; a
     * specific yield set as well: two sources of energy, refused by the model. */
    gfin_risk_change *sy = change("specific_yield_kwh_per_kwp", GFIN_RISK_SET);
    gfin_risk_dist *u = dist(GFIN_RISK_UNIFORM, (double[]){1000, 1500}, (int[]){GFIN_RISK_MIN, GFIN_RISK_MAX}, 2);
    OK(gfin_risk_add_uncertainty(rk, sy, u, NULL, GFIN_RISK_PER_SCENARIO, NULL));
    gfin_error e = {0};
    gfin_risk_result *r = NULL;
    cr_assert_eq(gfin_risk_run(rk, pf, 3, 5, 2, &r, &e), GFIN_EINVAL);
    cr_assert(strncmp(e.path, "scenario 3: projects[0]", 23) == 0, "path %s", e.path);
    cr_assert_null(r);
    gfin_risk_change_free(sy);
    gfin_risk_dist_free(u);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
}
