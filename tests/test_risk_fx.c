/* test_risk_fx.c -- fx paths in the risk engine (docs/model.md "Risk",
 * fx_drift; "Loan currencies"), on tests/data/fx_cny.json.
 *
 * That file (see tests/test_fx.c) is a USD portfolio from 2027 with two
 * yearly CNY loans on one solar project built in 2027 and run 2028-2031, and
 * fx.CNY written out by hand as the yuan losing 3 % a year from 0.14 USD:
 * 0.14, 0.1358, 0.131726, 0.12777422, 0.1239409934. Here the same portfolio
 * gets a flat path [0.14] and the risk engine drifts it: expectations come
 * from that hand-written path, from a hand derivation (+3 %/yr), and from
 * deterministic evaluations of the portfolio with its fx path edited through
 * gfin_portfolio_set_fx (never through the risk code). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greenfin.h"
#include "test_checks.h"
#include "test_data.h"

#include <gsl/gsl_cdf.h>

#define OK(call)                                                   \
    do {                                                           \
        gfin_status st_ = (call);                                  \
        cr_assert_eq(st_, GFIN_OK, "%s -> %d", #call, st_);        \
    } while (0)

/* fx_cny.json as it is (the hand-written -3 %/yr path). */
static gfin_portfolio *hand_written(void)
{
    char *text = gfin_test_read("fx_cny.json", NULL);
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, strlen(text), &e);
    cr_assert_not_null(pf, "%s: %s", e.path, e.message);
    free(text);
    return pf;
}

/* fx_cny.json with fx.CNY = r_k, k = 0 .. n - 1 (a deterministic input). */
static gfin_portfolio *with_path(const double *rates, size_t n)
{
    gfin_portfolio *pf = hand_written();
    OK(gfin_portfolio_set_fx(pf, "CNY", rates, n, NULL));
    return pf;
}

/* fx_cny.json with fx.CNY = 0.14 (1 + d)^k over its five years. */
static gfin_portfolio *drifted(double d)
{
    double r[5];
    for (int k = 0; k < 5; ++k)
        r[k] = 0.14 * pow(1 + d, k);
    return with_path(r, 5);
}

static double metric(const gfin_portfolio *pf, int project, gfin_metric m)
{
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_portfolio_evaluate(pf, 1, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    double v = NAN;
    const gfin_result *s = project < 0 ? r : gfin_result_child(r, (size_t)project);
    cr_assert_eq(gfin_result_metric(s, m, &v), GFIN_OK, "%s", gfin_metric_name(m));
    gfin_result_free(r);
    return v;
}

static gfin_risk_change *drift_of(const char *currency)
{
    gfin_error e = {0};
    gfin_risk_change *c = gfin_risk_change_new("fx_drift", GFIN_RISK_ADD, &e);
    cr_assert_not_null(c, "%s: %s", e.path, e.message);
    if (currency)
        OK(gfin_risk_change_set_currency(c, currency, &e));
    return c;
}

static gfin_risk_result *run(const gfin_risk *rk, const gfin_portfolio *pf, int threads)
{
    gfin_error e = {0};
    gfin_risk_result *r = NULL;
    cr_assert_eq(gfin_risk_run(rk, pf, 0, GFIN_RISK_REST, threads, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    return r;
}

/* The value of (scope, metric) in the row whose first column is `first` of a
 * cases or sensitivity table. */
static double cell(const gfin_table *t, const char *col, size_t first, size_t scope, gfin_metric m)
{
    const double *a = gfin_table_column(t, 0), *sc = gfin_table_column_by_name(t, "scope"),
                 *me = gfin_table_column_by_name(t, "metric"), *v = gfin_table_column_by_name(t, col);
    for (size_t i = 0; i < gfin_table_rows(t); ++i)
        if (a[i] == (double)first && sc[i] == (double)scope && me[i] == (double)m)
            return v[i];
    cr_assert_fail("no row %zu / scope %zu / %s", first, scope, gfin_metric_name(m));
    return NAN;
}

static void same(double got, double want, const char *what)
{
    cr_assert(fabs(got - want) <= 1e-12 * fmax(1, fabs(want)), "%s: %.17g vs %.17g", what, got, want);
}

static const gfin_metric PROJECT_METRICS[] = {GFIN_M_NPV, GFIN_M_EQUITY_IRR, GFIN_M_MIN_DSCR, GFIN_M_LLCR,
                                              GFIN_M_LCOE};

/* The risk base used to leave the portfolio's fx paths behind, so a case on
 * a portfolio with a foreign-currency loan failed with "has no fx path". */
Test(risk_fx, a_case_on_a_portfolio_with_a_foreign_loan_equals_the_edited_input)
{
    gfin_portfolio *pf = hand_written();
    gfin_risk *rk = gfin_risk_new();
    size_t k;
    OK(gfin_risk_add_case(rk, "capex +10 %", &k, NULL));
    gfin_risk_change *capex = gfin_risk_change_new("capex", GFIN_RISK_SCALE, NULL);
    OK(gfin_risk_case_add_change(rk, k, capex, 1.1, NULL));
    gfin_risk_result *r = run(rk, pf, 1);
    gfin_portfolio *ed = hand_written();
    gfin_project *p = gfin_project_copy(gfin_portfolio_project(ed, 0));
    OK(gfin_project_set(p, GFIN_PROJECT_CAPEX, 440)); /* 400 x 1.1 */
    gfin_portfolio_free(ed);
    ed = gfin_portfolio_new();
    gfin_portfolio *src = hand_written();
    OK(gfin_portfolio_set(ed, GFIN_PORTFOLIO_START_YEAR, 2027));
    OK(gfin_portfolio_set(ed, GFIN_PORTFOLIO_DISCOUNT_RATE, 0.08));
    OK(gfin_portfolio_set_fx(ed, "CNY", (const double[]){0.14, 0.1358, 0.131726, 0.12777422, 0.1239409934}, 5, NULL));
    OK(gfin_portfolio_set_fund(ed, gfin_portfolio_fund(src), NULL));
    OK(gfin_portfolio_add_project(ed, p, NULL));
    for (size_t m = 0; m < sizeof PROJECT_METRICS / sizeof PROJECT_METRICS[0]; ++m)
        same(cell(gfin_risk_result_table(r, "cases"), "value", 0, 1, PROJECT_METRICS[m]),
             metric(ed, 0, PROJECT_METRICS[m]), gfin_metric_name(PROJECT_METRICS[m]));
    gfin_project_free(p);
    gfin_portfolio_free(src);
    gfin_portfolio_free(ed);
    gfin_risk_change_free(capex);
    gfin_risk_result_free(r);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
}

/* Cases and sensitivity on a flat path: -3 %/yr is the hand-written path of
 * fx_cny.json; +3 %/yr is an edited path; both to 1e-12, fund too. */
Test(risk_fx, drift_cases_and_sensitivity_equal_the_edited_paths)
{
    gfin_portfolio *flat = with_path((const double[]){0.14}, 1);
    gfin_risk *rk = gfin_risk_new();
    size_t k;
    gfin_risk_change *cny = drift_of("CNY"), *any = drift_of(NULL);
    OK(gfin_risk_add_case(rk, "yuan -3 %/yr", &k, NULL));
    OK(gfin_risk_case_add_change(rk, k, cny, -0.03, NULL));
    OK(gfin_risk_add_sensitivity(rk, any, -0.03, 0.03, NULL));
    gfin_risk_result *r = run(rk, flat, 2);
    const gfin_table *cases = gfin_risk_result_table(r, "cases"), *sens = gfin_risk_result_table(r, "sensitivity");
    gfin_portfolio *minus = hand_written(), *plus = drifted(0.03);
    for (size_t m = 0; m < sizeof PROJECT_METRICS / sizeof PROJECT_METRICS[0]; ++m) {
        const gfin_metric mm = PROJECT_METRICS[m];
        same(cell(cases, "value", 0, 1, mm), metric(minus, 0, mm), gfin_metric_name(mm));
        same(cell(sens, "at_low", 0, 1, mm), metric(minus, 0, mm), gfin_metric_name(mm));
        same(cell(sens, "at_high", 0, 1, mm), metric(plus, 0, mm), gfin_metric_name(mm));
    }
    same(cell(cases, "value", 0, 0, GFIN_M_FUND_IRR), metric(minus, -1, GFIN_M_FUND_IRR), "fund_irr");
    same(cell(sens, "at_high", 0, 0, GFIN_M_FUND_IRR), metric(plus, -1, GFIN_M_FUND_IRR), "fund_irr");
    /* By hand at +3 %/yr: X = 0.14, 0.1442, 0.148526, 0.15298178, 0.1575712334;
     * debt service in USD (CNY amounts of tests/test_fx.c): 2028 (300 + 270) x
     * 0.1442 = 82.194, 2029 (287.5 + 260) x 0.148526 = 81.317985, 2030 275 x
     * 0.15298178 = 42.0699895, 2031 262.5 x 0.1575712334 = 41.3624487675;
     * CFADS 100 a year (1 MWp x 1000 kWh/kWp x 0.1 per MWh, no opex, no tax):
     * min DSCR = 100 / 82.194 (2028). And at -3 %/yr: 100 / 77.406. */
    cr_assert(fabs(cell(sens, "at_high", 0, 1, GFIN_M_MIN_DSCR) - 100 / 82.194) < 1e-12);
    cr_assert(fabs(cell(cases, "value", 0, 1, GFIN_M_MIN_DSCR) - 100 / 77.406) < 1e-12);
    /* The base is the flat path's: 570 x 0.14 = 79.8 in 2028. */
    cr_assert(fabs(cell(cases, "base", 0, 1, GFIN_M_MIN_DSCR) - 100 / 79.8) < 1e-12);
    cr_assert_str_eq(gfin_risk_result_change_name(r, 0), "fx_drift add");
    cr_assert_eq(gfin_risk_result_warning_count(r), 0);
    gfin_portfolio_free(minus);
    gfin_portfolio_free(plus);
    gfin_risk_change_free(cny);
    gfin_risk_change_free(any);
    gfin_risk_result_free(r);
    gfin_risk_free(rk);
    gfin_portfolio_free(flat);
}

/* A normal drift, and min DSCR falling as the drift rises (every later rate,
 * and with it every later debt service in USD, rises): the metric's q_p is
 * min DSCR at the drift's quantile 1 - p. The empirical p-quantile of n draws
 * sits at probability p +- sqrt(p (1 - p) / n) (binomial standard error of
 * the empirical CDF): four of those bound it. */
Test(risk_fx, monte_carlo_quantiles_map_through_the_drift)
{
    gfin_portfolio *flat = with_path((const double[]){0.14}, 1);
    gfin_risk *rk = gfin_risk_new();
    const size_t n = 2000;
    const double sd = 0.02;
    OK(gfin_risk_set_scenarios(rk, n, NULL));
    gfin_risk_set_keep_samples(rk, 1);
    gfin_risk_dist *nd = gfin_risk_dist_new(GFIN_RISK_NORMAL);
    OK(gfin_risk_dist_set(nd, GFIN_RISK_MEAN, 0, NULL));
    OK(gfin_risk_dist_set(nd, GFIN_RISK_SD, sd, NULL));
    gfin_risk_change *cny = drift_of("CNY");
    OK(gfin_risk_add_uncertainty(rk, cny, nd, NULL, GFIN_RISK_PER_SCENARIO, NULL));
    gfin_risk_result *r = run(rk, flat, 2);
    const struct { gfin_risk_stat stat; double p; } qs[] = {{GFIN_RISK_Q10, 0.1}, {GFIN_RISK_Q50, 0.5},
                                                             {GFIN_RISK_Q90, 0.9}};
    for (size_t i = 0; i < 3; ++i) {
        double got;
        OK(gfin_risk_result_statistic(r, 1, GFIN_M_MIN_DSCR, qs[i].stat, &got));
        const double p = qs[i].p, se = sqrt(p * (1 - p) / (double)n);
        gfin_portfolio *lo = drifted(sd * gsl_cdf_ugaussian_Pinv(1 - p + 4 * se)),
                       *hi = drifted(sd * gsl_cdf_ugaussian_Pinv(1 - p - 4 * se));
        const double at_lo = metric(lo, 0, GFIN_M_MIN_DSCR), at_hi = metric(hi, 0, GFIN_M_MIN_DSCR);
        cr_assert(got >= at_lo && got <= at_hi, "q%g min_dscr %.9g outside [%.9g, %.9g]", p, got, at_lo, at_hi);
        gfin_portfolio_free(lo);
        gfin_portfolio_free(hi);
    }
    /* Each thread drifts its own copy of the paths: one thread, the same bits. */
    gfin_risk_result *r1 = run(rk, flat, 1);
    const gfin_table *a = gfin_risk_result_table(r, "samples"), *b = gfin_risk_result_table(r1, "samples");
    cr_assert_eq(gfin_table_cols(a), gfin_table_cols(b));
    for (size_t c = 0; c < gfin_table_cols(a); ++c)
        cr_assert_eq(memcmp(gfin_table_column(a, c), gfin_table_column(b, c), n * sizeof(double)), 0, "column %zu", c);
    gfin_risk_result_free(r1);
    gfin_risk_result_free(r);
    gfin_risk_change_free(cny);
    gfin_risk_dist_free(nd);
    gfin_risk_free(rk);
    gfin_portfolio_free(flat);
}

/* A drawn drift outside [-0.5, 1] is clipped and counted. */
Test(risk_fx, a_drift_beyond_its_bounds_is_clipped_and_counted)
{
    gfin_portfolio *flat = with_path((const double[]){0.14}, 1);
    gfin_risk *rk = gfin_risk_new();
    gfin_risk_change *cny = drift_of("CNY");
    OK(gfin_risk_add_sensitivity(rk, cny, -0.7, 0.03, NULL));
    OK(gfin_risk_set_scenarios(rk, 1, NULL));
    gfin_risk_result *r = run(rk, flat, 1);
    cr_assert_eq(gfin_risk_result_warning_count(r), 1);
    cr_assert_not_null(strstr(gfin_risk_result_warning(r, 0), "low: 1 of 1 values clipped to the bounds of fx_drift"),
                       "%s", gfin_risk_result_warning(r, 0));
    /* -0.7 clipped to -0.5: the path 0.14 x 0.5^k. */
    gfin_portfolio *half = drifted(-0.5);
    same(cell(gfin_risk_result_table(r, "sensitivity"), "at_low", 0, 1, GFIN_M_NPV), metric(half, 0, GFIN_M_NPV),
         "npv");
    gfin_portfolio_free(half);
    gfin_risk_result_free(r);
    gfin_risk_change_free(cny);
    gfin_risk_free(rk);
    gfin_portfolio_free(flat);
}

Test(risk_fx, refused_drifts)
{
    gfin_error e = {0};
    cr_assert_null(gfin_risk_change_new("fx_drift", GFIN_RISK_SCALE, &e));
    refused_at(e.code, &e, "apply", "\"add\"");
    gfin_risk_change *c = drift_of(NULL), *capex = gfin_risk_change_new("capex", GFIN_RISK_SCALE, NULL);
    refused_at(gfin_risk_change_add_project(c, "cny-solar", &e), &e, "projects", "currency");
    refused_at(gfin_risk_change_set_technology(c, GFIN_TECH_SOLAR, &e), &e, "technology", "currency");
    refused_at(gfin_risk_change_set_years(c, 2030, 2031, &e), &e, "years", "energy");
    refused_at(gfin_risk_change_set_currency(capex, "CNY", &e), &e, "currency", "fx_drift");
    refused_at(gfin_risk_change_set_currency(c, "", &e), &e, "currency", "1 to 15");
    cr_assert_null(gfin_risk_change_currency(c));
    gfin_risk_change *cny = drift_of("CNY");
    cr_assert_str_eq(gfin_risk_change_currency(cny), "CNY"); /* read back for reports */
    gfin_risk_change_free(cny);
    gfin_risk *rk = gfin_risk_new();
    gfin_risk_dist *nd = gfin_risk_dist_new(GFIN_RISK_NORMAL);
    OK(gfin_risk_dist_set(nd, GFIN_RISK_MEAN, 0, NULL));
    OK(gfin_risk_dist_set(nd, GFIN_RISK_SD, 0.02, NULL));
    refused_at(gfin_risk_add_uncertainty(rk, c, nd, NULL, GFIN_RISK_PER_YEAR, &e), &e, "uncertainties[0].per", "energy");
    gfin_risk_free(rk);
    /* Against a portfolio: a currency without a path, a path no loan uses, and
     * a portfolio with no loan in a currency of its paths. */
    gfin_portfolio *pf = hand_written();
    const struct { const char *currency; const char *path, *words; } cases[] = {
        {"JPY", "sensitivity[0].currency", "\"JPY\" has no fx path (fx has: \"CNY\", \"EUR\")"},
        {"EUR", "sensitivity[0].currency", "\"EUR\" is the currency of no loan"},
    };
    for (size_t i = 0; i < 2; ++i) {
        rk = gfin_risk_new();
        gfin_risk_change *x = drift_of(cases[i].currency);
        OK(gfin_risk_add_sensitivity(rk, x, -0.01, 0.01, NULL));
        refused_at(gfin_risk_validate(rk, pf, &e), &e, cases[i].path, cases[i].words);
        gfin_risk_change_free(x);
        gfin_risk_free(rk);
    }
    /* The same loans in the portfolio's currency (their "currency" taken out). */
    char *text = gfin_test_read("fx_cny.json", NULL);
    for (char *at; (at = strstr(text, "\"currency\": \"CNY\","));)
        memset(at, ' ', strlen("\"currency\": \"CNY\","));
    gfin_portfolio *usd = gfin_portfolio_from_json(text, strlen(text), &e);
    cr_assert_not_null(usd, "%s: %s", e.path, e.message);
    free(text);
    rk = gfin_risk_new();
    OK(gfin_risk_add_sensitivity(rk, c, -0.01, 0.01, NULL));
    refused_at(gfin_risk_validate(rk, usd, &e), &e, "sensitivity[0].key", "no loan is in a currency with an fx path");
    gfin_risk_free(rk);
    gfin_portfolio_free(usd);
    gfin_portfolio_free(pf);
    gfin_risk_dist_free(nd);
    gfin_risk_change_free(c);
    gfin_risk_change_free(capex);
}
