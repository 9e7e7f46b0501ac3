/* test_portfolio.c -- funds and portfolios: a two-project portfolio whose every
 * figure is derived by hand below, attribution, mobilisation, warnings, errors
 * with project paths, and results independent of the thread count. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greenfin.h"
#include "internal.h"

static void close_rel(double got, double want, double rel, const char *what)
{
    double tol = rel * fmax(1.0, fabs(want));
    cr_assert(fabs(got - want) <= tol, "%s: got %.17g, want %.17g", what, got, want);
}

/* The hand case.
 * Portfolio from 2030, grid EF_CM 0.5, discount 10 %. Fund: capital 1000;
 * sources 600 at 2 % and 400 at 5 % (weighted cost (12 + 20) / 1000 = 3.2 %);
 * management fee 1 % of the money deployed.
 * S (solar, from 2030): C = 1, O = 3, 100 MWh/yr, capex 1000; fund loan 400 at
 *   10 % annual, drawn at the start, 1 grace year, 3 linear repayments:
 *   interest 40, 40, 26.667, 13.333; principal 0, 133.33 x 3.
 * H (hydro, from 2031): C = 1, O = 2, 200 MWh/yr, capex 2000; fund loan 500 at
 *   6 %, 1 grace year, bullet over 2: interest 30 x 3, principal 500 in 2033;
 *   a bank loan 1000 at 8 %, bullet, same tenor.
 * Fund by year 2030..2033:
 *   disbursements 400, 500, 0, 0
 *   principal     0, 133.33, 133.33, 633.33
 *   interest      40, 70, 56.667, 43.333
 *   outstanding   400, 766.67, 633.33, 0
 *   deployed = previous outstanding + disbursements: 400, 900, 766.67, 633.33
 *   cost of funds 3.2 % x deployed: 12.8, 28.8, 24.533, 20.267
 *   management    1 % x deployed: 4, 9, 7.6667, 6.3333
 *   net = -disb + principal + interest - cost - management:
 *         -376.8, -334.46667, 157.8, 650.06667; IRR (bisection) 0.05600781544737521
 * committed 900, utilization 0.9, weighted loan rate (40 + 30) / 900.
 * total capex 3000, mobilisation (3000 - 900) / 900 = 2.3333.
 * Reductions: S 100 x 0.5 = 50 t a year x 3 = 150; H 200 x 0.5 = 100 x 2 = 200;
 * attributed: S 150 x 400/1000 = 60, H 200 x 500/2000 = 50: 110;
 * fund cost per tCO2e 900 / 110. */
static const char *HAND =
    "{\"format\": \"greenfin/1\", \"name\": \"hand\", \"currency\": \"USD\", \"start_year\": 2030,"
    " \"discount_rate\": 0.1, \"grid\": {\"ef_cm\": 0.5},"
    " \"fund\": {\"name\": \"F\", \"capital\": 1000, \"management_fee\": 0.01,"
    "   \"sources\": [{\"name\": \"concessional\", \"amount\": 600, \"annual_rate\": 0.02},"
    "               {\"name\": \"commercial\", \"amount\": 400, \"annual_rate\": 0.05}]},"
    " \"projects\": ["
    "  {\"id\": \"S\", \"technology\": \"solar\", \"capacity_mw\": 1, \"capacity_factor\": 0.011415525114155251,"
    "   \"operating_years\": 3, \"capex\": 1000, \"tariff_per_mwh\": 5,"
    "   \"loans\": [{\"id\": \"s-fund\", \"lender\": \"fund\", \"principal\": 400, \"annual_rate\": 0.1,"
    "     \"frequency\": 1, \"grace_periods\": 1, \"repayment_periods\": 3, \"amortization\": \"linear\"}]},"
    "  {\"id\": \"H\", \"technology\": \"hydro\", \"capacity_mw\": 1, \"capacity_factor\": 0.022831050228310501,"
    "   \"start_year\": 2031, \"operating_years\": 2, \"capex\": 2000, \"tariff_per_mwh\": 5,"
    "   \"loans\": [{\"id\": \"h-fund\", \"lender\": \"fund\", \"principal\": 500, \"annual_rate\": 0.06,"
    "     \"frequency\": 1, \"grace_periods\": 1, \"repayment_periods\": 2, \"amortization\": \"bullet\"},"
    "    {\"id\": \"h-bank\", \"lender\": \"bank\", \"principal\": 1000, \"annual_rate\": 0.08,"
    "     \"frequency\": 1, \"grace_periods\": 1, \"repayment_periods\": 2, \"amortization\": \"bullet\"}]}"
    " ]}";

static gfin_result *evaluate_text(const char *text, int threads)
{
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, strlen(text), &e);
    cr_assert_not_null(pf, "load: %s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, threads, &r, &e), GFIN_OK, "evaluate: %s: %s", e.path, e.message);
    gfin_portfolio_free(pf);
    return r;
}

static double metric(const gfin_result *r, gfin_metric m)
{
    double v = NAN;
    cr_assert_eq(gfin_result_metric(r, m, &v), GFIN_OK, "metric %s", gfin_metric_name(m));
    return v;
}

static void check_col(const gfin_table *t, const char *name, const double *want, size_t n)
{
    const double *c = gfin_table_column_by_name(t, name);
    cr_assert_not_null(c, "column %s", name);
    cr_assert_eq(gfin_table_rows(t), n);
    for (size_t i = 0; i < n; ++i)
        cr_assert(fabs(c[i] - want[i]) <= 1e-9 * fmax(1, fabs(want[i])), "%s[%zu]: got %.15g want %.15g", name, i,
                  c[i], want[i]);
}

Test(portfolio, two_project_fund_by_hand)
{
    gfin_result *r = evaluate_text(HAND, 1);
    cr_assert_eq(gfin_result_kind_of(r), GFIN_RESULT_PORTFOLIO);
    cr_assert_str_eq(gfin_result_id(r), "hand");
    const gfin_table *f = gfin_result_table(r, "fund");
    cr_assert_not_null(f);
    check_col(f, "calendar_year", (const double[]){2030, 2031, 2032, 2033}, 4);
    check_col(f, "disbursements", (const double[]){400, 500, 0, 0}, 4);
    check_col(f, "principal_received", (const double[]){0, 400.0 / 3, 400.0 / 3, 400.0 / 3 + 500}, 4);
    check_col(f, "interest_received", (const double[]){40, 70, 400 * 2.0 / 3 * 0.1 + 30, 400 / 3.0 * 0.1 + 30}, 4);
    check_col(f, "fees_received", (const double[]){0, 0, 0, 0}, 4);
    check_col(f, "outstanding", (const double[]){400, 400 * 2.0 / 3 + 500, 400.0 / 3 + 500, 0}, 4);
    check_col(f, "cost_of_funds", (const double[]){12.8, 28.8, 24.533333333333335, 20.26666666666667}, 4);
    check_col(f, "management_fee", (const double[]){4, 9, 7.666666666666668, 6.333333333333334}, 4);
    check_col(f, "net_cash_flow", (const double[]){-376.8, -334.46666666666664, 157.8, 650.0666666666667}, 4);
    close_rel(metric(r, GFIN_M_FUND_IRR), 0.05600781544737521, 1e-9, "fund irr");
    close_rel(metric(r, GFIN_M_COMMITTED), 900, 1e-15, "committed");
    close_rel(metric(r, GFIN_M_UTILIZATION), 0.9, 1e-15, "utilization");
    close_rel(metric(r, GFIN_M_WEIGHTED_COST_OF_FUNDS), 0.032, 1e-15, "cost of funds");
    close_rel(metric(r, GFIN_M_WEIGHTED_LOAN_RATE), 70.0 / 900, 1e-15, "loan rate");
    close_rel(metric(r, GFIN_M_TOTAL_CAPEX), 3000, 1e-15, "total capex");
    close_rel(metric(r, GFIN_M_MOBILIZATION_RATIO), 2100.0 / 900, 1e-15, "mobilization");
    close_rel(metric(r, GFIN_M_LIFETIME_REDUCTIONS_TCO2E), 350, 1e-12, "lifetime reductions");
    close_rel(metric(r, GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E), 110, 1e-12, "attributed");
    close_rel(metric(r, GFIN_M_FUND_COST_PER_TCO2E), 900.0 / 110, 1e-12, "cost per tCO2e");
    close_rel(metric(r, GFIN_M_CAPACITY_MW_SOLAR), 1, 1e-15, "solar MW");
    close_rel(metric(r, GFIN_M_CAPACITY_MW_HYDRO), 1, 1e-15, "hydro MW");
    close_rel(metric(r, GFIN_M_PROJECT_COUNT), 2, 0, "projects");

    const gfin_table *p = gfin_result_table(r, "portfolio");
    check_col(p, "net_mwh", (const double[]){0, 100, 300, 300}, 4);
    check_col(p, "net_mwh_solar", (const double[]){0, 100, 100, 100}, 4);
    check_col(p, "net_mwh_hydro", (const double[]){0, 0, 200, 200}, 4);
    check_col(p, "reductions_tco2e_hydro", (const double[]){0, 0, 100, 100}, 4);
    check_col(p, "attributed_tco2e", (const double[]){0, 20, 45, 45}, 4);
    check_col(p, "cumulative_reductions_tco2e", (const double[]){0, 50, 200, 350}, 4);

    cr_assert_eq(gfin_result_child_count(r), 2);
    cr_assert_str_eq(gfin_result_id(gfin_result_child(r, 1)), "H");
    close_rel(metric(gfin_result_child(r, 1), GFIN_M_FUND_PRINCIPAL), 500, 0, "H's fund loan");
    /* H's warnings, prefixed with its id. Its bullet year: CFADS 1000 against
     * debt service 1000 x 1.08 + 500 x 1.06 = 1610: DSCR 0.6211 and equity flow
     * -610. Its equity flows -2000 + 1500 - 110 = -610, 1000 - 110 = 890, -610
     * have no IRR: -610 x^2 + 890 x - 610 has no real root (890^2 < 4 x 610^2). */
    cr_assert_eq(gfin_result_warning_count(r), 3);
    cr_assert_str_eq(gfin_result_warning(r, 0), "H: dscr is below 1 in 1 year (2033); lowest 0.6211 in 2033");
    cr_assert_str_eq(gfin_result_warning(r, 1),
                     "H: equity_flow is negative after the first operating year in 1 year (2033); lowest -610 in 2033");
    cr_assert_str_eq(gfin_result_warning(r, 2), "H: equity_irr: equity_flow has no internal rate of return");
    double v;
    cr_assert_eq(gfin_result_metric(gfin_result_child(r, 1), GFIN_M_EQUITY_IRR, &v), GFIN_ENOVALUE);
    gfin_result_free(r);
}

/* A fund committing more than its capital is a warning, not an error. */
Test(portfolio, overcommitted_fund_is_a_warning)
{
    char *text = strdup(HAND);
    char *cap = strstr(text, "\"capital\": 1000");
    memcpy(cap, "\"capital\":  800", 15);
    gfin_result *r = evaluate_text(text, 2);
    bool found = false;
    for (size_t i = 0; i < gfin_result_warning_count(r); ++i)
        found |= strstr(gfin_result_warning(r, i), "exceed the fund's capital") != NULL;
    cr_assert(found, "over-commitment warning");
    close_rel(metric(r, GFIN_M_UTILIZATION), 900.0 / 800, 1e-15, "utilization above 1");
    gfin_result_free(r);
    free(text);
}

/* A fund lending more than a project's capex (a fuzzer found capex 5.46e-311
 * under a 100,000,000 fund loan: share = infinity, and "Infinity" in the CSV).
 * PCAF's attribution factor is at most 1. HAND with S's capex 1000 -> 300,
 * under its fund loan of 400: S's share is 1 (not 4/3), H's stays 500/2000.
 * attributed = S 150 x 1 + H 200 x 0.25 = 200; by year 2030..2033:
 * S 50 x 1 + H 100 x 0.25 in H's years: 0, 50, 75, 75. */
/* `text` with its first `from` replaced by `to` (malloc'd). */
static char *replaced(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    cr_assert_not_null(at, "%s", from);
    size_t head = (size_t)(at - text), n = strlen(text) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    cr_assert_not_null(out);
    snprintf(out, n + 1, "%.*s%s%s", (int)head, text, to, at + strlen(from));
    return out;
}

Test(portfolio, attribution_share_is_capped_at_1)
{
    char *text = replaced(HAND, "\"capex\": 1000", "\"capex\": 300");
    gfin_result *r = evaluate_text(text, 1);
    close_rel(metric(r, GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E), 200, 1e-12, "attributed");
    check_col(gfin_result_table(r, "portfolio"), "attributed_tco2e", (const double[]){0, 50, 75, 75}, 4);
    cr_assert_str_eq(gfin_result_warning(r, 0), "S: the fund lends 400, more than the project's capex 300: "
                                                "its attribution share is capped at 1");
    gfin_result_free(r);
    free(text);

    /* The fuzzer's case: a subnormal capex. Every figure written is finite. */
    text = replaced(HAND, "\"capex\": 1000", "\"capex\": 1e-310");
    r = evaluate_text(text, 1);
    close_rel(metric(r, GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E), 200, 1e-12, "attributed, subnormal capex");
    char *csv = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_table_to_csv(gfin_result_table(r, "portfolio"), &csv, NULL, &e), GFIN_OK);
    cr_assert_null(strstr(csv, "nf"), "no inf/Infinity in the CSV: %s", csv);
    gfin_free(csv);
    gfin_result_free(r);
    free(text);
}

/* CSV cells: NaN and the infinities are empty, as null in JSON. */
Test(portfolio, csv_cells_of_non_finite_values_are_empty)
{
    static const char *const names[] = {"a", "b"};
    static const unsigned char kinds[] = {GFIN_COL_NUMBER, GFIN_COL_NUMBER};
    gfin_table *t = gfin__table_new(2, 2, names, kinds);
    cr_assert_not_null(t);
    double *a = gfin__col(t, 0), *b = gfin__col(t, 1);
    a[0] = 1.5, a[1] = INFINITY, b[0] = NAN, b[1] = -INFINITY;
    char *csv = NULL;
    size_t len = 0;
    gfin_error e = {0};
    cr_assert_eq(gfin_table_to_csv(t, &csv, &len, &e), GFIN_OK);
    cr_assert_str_eq(csv, "a,b\n1.5,\n,\n");
    gfin_free(csv);
    cr_assert_eq(gfin_table_to_json(t, &csv, NULL, &e), GFIN_OK);
    cr_assert_str_eq(csv, "{\"a\":[1.5,null],\"b\":[null,null]}\n");
    gfin_free(csv);
    gfin_table_free(t);
}

/* A project with an error fails the evaluation with the project's path. */
Test(portfolio, project_error_carries_its_path)
{
    char *text = strdup(HAND);
    /* H's loan outlives H (3 years): repayment_periods 2 -> 9. */
    char *rp = strstr(strstr(text, "h-bank"), "\"repayment_periods\": 2");
    rp[strlen("\"repayment_periods\": ")] = '9';
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, strlen(text), &e);
    cr_assert_not_null(pf);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 2, &r, &e), GFIN_EINVAL);
    cr_assert_null(r);
    cr_assert_str_eq(e.path, "projects[1].loans[1]");
    cr_assert_not_null(strstr(e.message, "beyond the project's 3 years"), "%s", e.message);
    gfin_portfolio_free(pf);
    free(text);
}

/* Built through the C API, the same portfolio gives the same figures. */
Test(portfolio, c_api_build_matches_json_build)
{
    gfin_error e = {0};
    gfin_portfolio *src = gfin_portfolio_from_json(HAND, strlen(HAND), &e);
    cr_assert_not_null(src);
    gfin_portfolio *pf = gfin_portfolio_new();
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_PORTFOLIO_START_YEAR, 2030), GFIN_OK);
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_PORTFOLIO_DISCOUNT_RATE, 0.1), GFIN_OK);
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_GRID_EF_CM, 0.5), GFIN_OK);
    gfin_fund *f = gfin_fund_new();
    cr_assert_eq(gfin_fund_set(f, GFIN_FUND_CAPITAL, 1000), GFIN_OK);
    cr_assert_eq(gfin_fund_set(f, GFIN_FUND_MANAGEMENT_FEE, 0.01), GFIN_OK);
    cr_assert_eq(gfin_fund_add_source(f, "a", 600, 0.02, &e), GFIN_OK);
    cr_assert_eq(gfin_fund_add_source(f, "b", 400, 0.05, &e), GFIN_OK);
    cr_assert_eq(gfin_fund_add_source(f, "c", -1, 0.05, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "amount");
    cr_assert_eq(gfin_fund_source_count(f), 2);
    cr_assert_eq(gfin_portfolio_set_fund(pf, f, &e), GFIN_OK);
    for (size_t i = 0; i < gfin_portfolio_project_count(src); ++i)
        cr_assert_eq(gfin_portfolio_add_project(pf, gfin_portfolio_project(src, i), &e), GFIN_OK);
    cr_assert_eq(gfin_portfolio_add_project(pf, gfin_portfolio_project(src, 0), &e), GFIN_EINVAL, "duplicate id");
    cr_assert_str_eq(e.path, "id");
    cr_assert_not_null(strstr(e.message, "duplicate project id \"S\""));
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 0, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    close_rel(metric(r, GFIN_M_FUND_IRR), 0.05600781544737521, 1e-9, "fund irr");
    close_rel(metric(r, GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E), 110, 1e-12, "attributed");
    cr_assert_str_eq(gfin_portfolio_get_string(pf, GFIN_PORTFOLIO_CURRENCY), "USD", "registry default");
    cr_assert_not_null(gfin_portfolio_fund(pf));
    gfin_result_free(r);
    gfin_fund_free(f);
    gfin_portfolio_free(pf);
    gfin_portfolio_free(src);
}

/* Without a fund there are no fund figures, and no fund table. */
Test(portfolio, portfolio_without_fund)
{
    const char *text = "{\"format\": \"greenfin/1\", \"start_year\": 2030, \"discount_rate\": 0.08,"
                       " \"grid\": {\"ef_cm\": 0.5}, \"projects\": [{\"id\": \"a\", \"technology\": \"solar\","
                       " \"capacity_mw\": 1, \"specific_yield_kwh_per_kwp\": 1500, \"capex\": 800000,"
                       " \"tariff_per_mwh\": 60}]}";
    gfin_result *r = evaluate_text(text, 0);
    cr_assert_null(gfin_result_table(r, "fund"));
    double v;
    cr_assert_eq(gfin_result_metric(r, GFIN_M_FUND_IRR, &v), GFIN_EINVAL);
    close_rel(metric(r, GFIN_M_LIFETIME_REDUCTIONS_TCO2E), 1500 * 0.5 * 25, 1e-12, "1500 MWh x 0.5 x 25 years");
    gfin_result_free(r);
}

/* Results do not depend on the thread count: the JSON of 60 projects evaluated
 * with 1, 2 and 7 threads is byte for byte the same. */
Test(portfolio, thread_count_does_not_change_a_byte)
{
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len,
                            "{\"format\": \"greenfin/1\", \"start_year\": 2030, \"discount_rate\": 0.08,"
                            " \"grid\": {\"ef_om\": 0.9, \"ef_bm\": 0.4},"
                            " \"fund\": {\"capital\": 1e9, \"sources\": [{\"amount\": 1e9, \"annual_rate\": 0.03}]},"
                            " \"projects\": [");
    for (int i = 0; i < 60; ++i)
        len += (size_t)snprintf(text + len, cap - len,
                                "%s{\"id\": \"p%d\", \"technology\": \"%s\", \"capacity_mw\": %d,"
                                " \"capacity_factor\": 0.%d, \"capex\": %d, \"tariff_per_mwh\": 70, \"tax_rate\": 0.2,"
                                " \"start_year\": %d, \"loans\": [{\"lender\": \"fund\", \"principal\": %d,"
                                " \"annual_rate\": 0.05, \"frequency\": 4, \"repayment_periods\": 40}]}",
                                i ? "," : "", i, i % 2 ? "solar" : "hydro", 5 + i, 15 + i % 40, 1000000 + 1000 * i,
                                2030 + i % 5, 500000 + 100 * i);
    snprintf(text + len, cap - len, "]}");
    char *json[3];
    const int threads[3] = {1, 2, 7};
    for (int k = 0; k < 3; ++k) {
        gfin_result *r = evaluate_text(text, threads[k]);
        cr_assert_eq(gfin_result_to_json(r, &json[k], NULL, NULL), GFIN_OK);
        gfin_result_free(r);
    }
    cr_assert_str_eq(json[0], json[1], "1 vs 2 threads");
    cr_assert_str_eq(json[0], json[2], "1 vs 7 threads");
    for (int k = 0; k < 3; ++k)
        gfin_free(json[k]);
    free(text);
}

/* The bundled sample evaluates without error (examples/data/cambodia_pipeline.json). */
Test(portfolio, bundled_sample_evaluates)
{
    const char *dir = getenv("GFIN_EXAMPLES_DATA");
    cr_assert_not_null(dir, "GFIN_EXAMPLES_DATA is set by meson");
    char path[512];
    snprintf(path, sizeof path, "%s/cambodia_pipeline.json", dir);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = malloc((size_t)n);
    cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, (size_t)n, &e);
    cr_assert_not_null(pf, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 0, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    cr_assert_gt(metric(r, GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E), 0);
    cr_assert_gt(metric(r, GFIN_M_PROJECT_COUNT), 3);
    gfin_result_free(r);
    gfin_portfolio_free(pf);
    free(text);
}
