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
#include "test_data.h"
#include "test_checks.h"

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
 * Shortfall (MODEL.md "Risk"): H's 2033 CFADS 1000 (200 MWh x 5, no opex, no
 *   tax) against debt service bank 1000 x 1.08 + fund 500 x 1.06 = 1610: 610
 *   is lost pro rata, the fund receives 530 x 1000/1610 = 329.19 (principal
 *   500 x 1000/1610, interest 30 x 1000/1610) and loses 530 x 610/1610 = 200.81
 *   (fund_shortfall, the fund's 2033 `shortfall`); H's debt_service_shortfall
 *   610; H's 2033 equity flow = CFADS - debt service paid = 1000 - 1000 = 0.
 *   principal received 2033: 133.33 + 310.56; interest 13.333 + 18.634.
 *   net = -disb + principal + interest - cost - management:
 *         -376.8, -334.46667, 157.8, 449.25923 (2033: 443.89234 + 31.96687 - 26.6)
 * fund_irr, flows at their times (years from 2030-01-01; every loan annual:
 *   drawdowns at the start of the year, payments at its end; cost of funds and
 *   fee at the end of the year):
 *   t0 -400; t1 40 - 500 - 16.8 = -476.8; t2 173.333 + 30 - 37.8 = 165.533;
 *   t3 160 + 30 - 32.2 = 157.8; t4 146.667 + 329.19 - 26.6 = 449.259;
 *   IRR (Python bisection on these five flows) -0.04368627366449923.
 * committed 900, utilization 0.9, weighted loan rate (40 + 30) / 900.
 * total capex 3000, both projects borrow from the fund: mobilisation
 *   (3000 - 900) / 900 = 2.3333.
 * Reductions: S 100 x 0.5 = 50 t a year 2031..2033; H 200 x 0.5 = 100 t in
 *   2032, 2033. Attribution (PCAF, outstanding at each year end / capex):
 *   S 400, 266.67, 133.33, 0 of 1000; H -, 500, 500, 0 of 2000:
 *   2030 0; 2031 50 x 0.26667 = 13.333; 2032 50 x 0.13333 + 100 x 0.25 = 31.667;
 *   2033 0 (both repaid at the year end): 45.
 * Grant elements at 5 %: S 1 - (40/1.05 + 173.33/1.05^2 + 160/1.05^3 +
 *   146.67/1.05^4) / 400 = -0.13547681607286388; H 1 - (30/1.05 + 30/1.05^2 +
 *   530/1.05^3) / 500 = -0.02723248029370451; subsidy per tCO2e
 *   (400 GE_S + 500 GE_H) / 45 = -1.506821479466618 (both dearer than 5 %). */
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
    const double paid = 1000.0 / 1610;
    check_col(f, "principal_received", (const double[]){0, 400.0 / 3, 400.0 / 3, 400.0 / 3 + 500 * paid}, 4);
    check_col(f, "interest_received",
              (const double[]){40, 70, 400 * 2.0 / 3 * 0.1 + 30, 400 / 3.0 * 0.1 + 30 * paid}, 4);
    check_col(f, "fees_received", (const double[]){0, 0, 0, 0}, 4);
    check_col(f, "shortfall", (const double[]){0, 0, 0, 530 * 610.0 / 1610}, 4);
    check_col(f, "outstanding", (const double[]){400, 400 * 2.0 / 3 + 500, 400.0 / 3 + 500, 0}, 4);
    check_col(f, "cost_of_funds", (const double[]){12.8, 28.8, 24.533333333333335, 20.26666666666667}, 4);
    check_col(f, "management_fee", (const double[]){4, 9, 7.666666666666668, 6.333333333333334}, 4);
    check_col(f, "net_cash_flow",
              (const double[]){-376.8, -334.46666666666664, 157.8, 400.0 / 3 * 1.1 + 530 * paid - 26.6}, 4);
    close_rel(metric(r, GFIN_M_FUND_IRR), -0.04368627366449923, 1e-9, "fund irr");
    close_rel(metric(r, GFIN_M_FUND_SHORTFALL), 530 * 610.0 / 1610, 1e-12, "fund shortfall");
    close_rel(metric(r, GFIN_M_COMMITTED), 900, 1e-15, "committed");
    close_rel(metric(r, GFIN_M_UTILIZATION), 0.9, 1e-15, "utilization");
    close_rel(metric(r, GFIN_M_WEIGHTED_COST_OF_FUNDS), 0.032, 1e-15, "cost of funds");
    close_rel(metric(r, GFIN_M_WEIGHTED_LOAN_RATE), 70.0 / 900, 1e-15, "loan rate");
    close_rel(metric(r, GFIN_M_TOTAL_CAPEX), 3000, 1e-15, "total capex");
    close_rel(metric(r, GFIN_M_MOBILIZATION_RATIO), 2100.0 / 900, 1e-15, "mobilization");
    close_rel(metric(r, GFIN_M_LIFETIME_REDUCTIONS_TCO2E), 350, 1e-12, "lifetime reductions");
    close_rel(metric(r, GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E), 45, 1e-12, "attributed");
    close_rel(metric(r, GFIN_M_FUND_SUBSIDY_PER_TCO2E), -1.506821479466618, 1e-12, "subsidy per tCO2e");
    double v;
    cr_assert_eq(gfin_result_metric(r, GFIN_M_FUND_COST_PER_TCO2E, &v), GFIN_EINVAL, "no longer reported");
    close_rel(metric(r, GFIN_M_CAPACITY_MW_SOLAR), 1, 1e-15, "solar MW");
    close_rel(metric(r, GFIN_M_CAPACITY_MW_HYDRO), 1, 1e-15, "hydro MW");
    close_rel(metric(r, GFIN_M_PROJECT_COUNT), 2, 0, "projects");

    const gfin_table *p = gfin_result_table(r, "portfolio");
    check_col(p, "net_mwh", (const double[]){0, 100, 300, 300}, 4);
    check_col(p, "net_mwh_solar", (const double[]){0, 100, 100, 100}, 4);
    check_col(p, "net_mwh_hydro", (const double[]){0, 0, 200, 200}, 4);
    check_col(p, "reductions_tco2e_hydro", (const double[]){0, 0, 100, 100}, 4);
    check_col(p, "attributed_tco2e", (const double[]){0, 50 * 2.0 / 3 * 0.4, 50 / 3.0 * 0.4 + 25, 0}, 4);
    check_col(p, "cumulative_reductions_tco2e", (const double[]){0, 50, 200, 350}, 4);

    cr_assert_eq(gfin_result_child_count(r), 2);
    cr_assert_str_eq(gfin_result_id(gfin_result_child(r, 1)), "H");
    const gfin_result *h = gfin_result_child(r, 1);
    close_rel(metric(h, GFIN_M_FUND_PRINCIPAL), 500, 0, "H's fund loan");
    close_rel(metric(h, GFIN_M_DEBT_SERVICE_SHORTFALL), 610, 1e-12, "H's shortfall");
    const gfin_table *hy = gfin_result_table(h, "years");
    check_col(hy, "debt_service_shortfall", (const double[]){0, 0, 610}, 3);
    /* Equity: -2000 + 1500 - 110 (grace interest) = -610 in 2031, 1000 - 110 =
     * 890 in 2032, 1000 - 1000 paid = 0 in 2033 (not -610: equity does not pay
     * the unpaid debt service); IRR 890 / 610 - 1. */
    check_col(hy, "equity_flow", (const double[]){-610, 890, 0}, 3);
    close_rel(metric(h, GFIN_M_EQUITY_IRR), 890.0 / 610 - 1, 1e-9, "H's equity irr");
    /* Every loan in a portfolio carries its grant element (the bank's too):
     * 1 - (80/1.05 + 80/1.05^2 + 1080/1.05^3) / 1000. */
    close_rel(metric(gfin_result_child(h, 1), GFIN_M_GRANT_ELEMENT),
              1 - (80 / 1.05 + 80 / 1.05 / 1.05 + 1080 / 1.05 / 1.05 / 1.05) / 1000, 1e-12, "bank's GE");
    /* H's warnings, prefixed with its id: DSCR 1000 / 1610 = 0.6211. */
    cr_assert_eq(gfin_result_warning_count(r), 1);
    cr_assert_str_eq(gfin_result_warning(r, 0), "H: dscr is below 1 in 1 year (2033); lowest 0.6211 in 2033");
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
 * PCAF's attribution factor is at most 1. HAND with S's capex 1000 -> 300:
 * S's outstanding 400 (2030), 266.67, 133.33, 0: shares 1 (not 4/3),
 * 0.88889, 0.44444, 0; H's as in HAND. By year 2030..2033: 0,
 * 50 x 0.88889 = 44.444, 50 x 0.44444 + 25 = 47.222, 0: 91.667.
 * Subnormal capex: S's share is 1 while anything is outstanding:
 * 0, 50, 50 + 25, 0: 125. */
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
    close_rel(metric(r, GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E), 50 * (800.0 / 900 + 400.0 / 900) + 25, 1e-12,
              "attributed");
    check_col(gfin_result_table(r, "portfolio"), "attributed_tco2e",
              (const double[]){0, 50 * 800.0 / 900, 50 * 400.0 / 900 + 25, 0}, 4);
    cr_assert_str_eq(gfin_result_warning(r, 0), "S: the fund's outstanding balance 400 exceeds the project's capex "
                                                "300: its attribution share is capped at 1");
    gfin_result_free(r);
    free(text);

    /* The fuzzer's case: a subnormal capex. Every figure written is finite. */
    text = replaced(HAND, "\"capex\": 1000", "\"capex\": 1e-310");
    r = evaluate_text(text, 1);
    close_rel(metric(r, GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E), 125, 1e-12, "attributed, subnormal capex");
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
    close_rel(metric(r, GFIN_M_FUND_IRR), -0.04368627366449923, 1e-9, "fund irr");
    close_rel(metric(r, GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E), 45, 1e-12, "attributed");
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

/* ---- issue 12: the fund's headline figures ---- */

static gfin_result *evaluate_file(const char *name)
{
    char *text = gfin_test_read(name, NULL);
    gfin_result *r = evaluate_text(text, 1);
    free(text);
    return r;
}

/* A fund of free money (one 0 % source, no fee) lending one loan earns exactly
 * what the borrower pays: its IRR is the loan's effective annual rate, which
 * test_loan checks against the spreadsheet IRR as all_in_cost. Every
 * frequency and amortization, drawn over two periods (disbursements at the
 * start of their periods), with a grace period, the project starting two
 * years after the portfolio (the year offset). Before issue 12 the yearly
 * buckets netted each year's disbursement against its instalments. */
static void free_money_case(bool fees)
{
    static const int freqs[] = {1, 2, 4, 12};
    static const char *const amorts[] = {"annuity", "linear", "bullet", "balloon", "custom", "sculpted"};
    for (size_t fi = 0; fi < 4; ++fi)
        for (size_t ai = 0; ai < 6; ++ai) {
            const int f = freqs[fi], R = 5 * f;
            char extra[8192] = "";
            size_t used = 0;
            if (!strcmp(amorts[ai], "balloon"))
                snprintf(extra, sizeof extra, ", \"balloon_fraction\": 0.3");
            if (!strcmp(amorts[ai], "custom") || !strcmp(amorts[ai], "sculpted")) {
                const bool custom = !strcmp(amorts[ai], "custom");
                used = (size_t)snprintf(extra, sizeof extra, ", \"%s\": [",
                                        custom ? "principal_profile" : "debt_service_profile");
                double sum = (double)R * (R + 1) / 2, left = 1;
                for (int k = 1; k <= R; ++k) {
                    /* custom: increasing shares k / sum (the last takes what
                     * remains, so they sum to 1); sculpted: 1.3 x principal spread alike. */
                    double share = k < R ? k / sum : left;
                    left -= share;
                    used += (size_t)snprintf(extra + used, sizeof extra - used, "%s%.17g", k > 1 ? ", " : "",
                                             custom ? share : 1300000 * share);
                }
                snprintf(extra + used, sizeof extra - used, "]");
            }
            char text[16384];
            snprintf(text, sizeof text,
                     "{\"format\": \"greenfin/1\", \"start_year\": 2030, \"discount_rate\": 0.1,"
                     " \"grid\": {\"ef_cm\": 0.5},"
                     " \"fund\": {\"capital\": 2e6, \"sources\": [{\"amount\": 2e6, \"annual_rate\": 0}]},"
                     " \"projects\": [{\"id\": \"p\", \"technology\": \"solar\", \"start_year\": 2032,"
                     " \"capacity_mw\": 10, \"capacity_factor\": 0.2, \"capex\": 3e6, \"tariff_per_mwh\": 90,"
                     " \"construction_years\": 2, \"operating_years\": 20,"
                     " \"loans\": [{\"id\": \"l\", \"lender\": \"fund\", \"principal\": 1e6, \"annual_rate\": 0.07,"
                     " \"frequency\": %d, \"drawdowns\": [0.6, 0.4], \"idc_mode\": \"paid\","
                     " \"grace_periods\": 1, \"repayment_periods\": %d, \"amortization\": \"%s\"%s%s}]}]}",
                     f, R, amorts[ai], extra,
                     fees ? ", \"upfront_fee\": 0.01, \"commitment_fee\": 0.005" : "");
            gfin_result *r = evaluate_text(text, 1);
            const gfin_result *loan = gfin_result_child(gfin_result_child(r, 0), 0);
            double want = metric(loan, GFIN_M_ALL_IN_COST);
            if (!fees)
                cr_assert(fabs(want - (pow(1 + 0.07 / f, f) - 1)) < 1e-9, "all_in_cost f=%d %s", f, amorts[ai]);
            double got = metric(r, GFIN_M_FUND_IRR);
            cr_assert(fabs(got - want) <= 1e-9, "f=%d %s%s: fund_irr %.15g, all_in_cost %.15g", f, amorts[ai],
                      fees ? " with fees" : "", got, want);
            gfin_result_free(r);
        }
}

Test(portfolio, free_money_fund_irr_is_the_loans_all_in_cost) { free_money_case(false); }

/* With an upfront fee (paid with the first drawdown, at the start of period 1)
 * and a commitment fee (at the end of each availability period), the fund
 * receives exactly the borrower's fee flows at the same times, so its IRR is
 * still the loan's all_in_cost (test_loan checks all_in_cost with fees against
 * the reference vectors). Before the fix the upfront fee was timed at the end
 * of period 1. */
Test(portfolio, free_money_fund_irr_with_fees_is_the_loans_all_in_cost) { free_money_case(true); }

/* The reproducer (shared/repro/fund_irr_timing.json): one 3 % annual linear
 * loan of free money. Its effective rate is 3 %; the yearly buckets gave 3.51 %. */
Test(portfolio, fund_irr_timing_reproducer)
{
    gfin_result *r = evaluate_file("fund_irr_timing.json");
    close_rel(metric(r, GFIN_M_FUND_IRR), 0.03, 1e-9, "fund irr");
    gfin_result_free(r);
}

/* Mobilisation counts only the projects the fund lends to (shared/repro/
 * mobilisation.json): 6 m lent to a 12 m project beside an 800 m project
 * without fund money: (12 - 6) / 6 = 1, not (812 - 6) / 6 = 134.3. */
Test(portfolio, mobilisation_counts_only_projects_the_fund_lends_to)
{
    gfin_result *r = evaluate_file("mobilisation.json");
    close_rel(metric(r, GFIN_M_MOBILIZATION_RATIO), 1, 1e-12, "mobilisation");
    close_rel(metric(r, GFIN_M_TOTAL_CAPEX), 812e6, 1e-12, "total capex still counts every project");
    gfin_result_free(r);
}

/* A loan inside a portfolio carries the grant element of the same loan alone:
 * the OECD DAC reference (tests/data/finance_vectors.json,
 * ge-r0.0075-D0.05-G10-M40-a2): 0.75 %, semi-annual, 20 grace periods, 60
 * linear repayments, 57.8044451702 % at 5 % (the default rate), and 80.8598739744 %
 * (ge-r0.0075-D0.1-G10-M40-a2) with grant_element_discount_rate 0.1. Its
 * subsidy per tCO2e is GE x 1e6 / the attributed tonnes. */
Test(portfolio, fund_loan_grant_element_is_the_oecd_value)
{
    const char *head =
        "{\"format\": \"greenfin/1\", \"start_year\": 2030, \"discount_rate\": 0.1, \"grid\": {\"ef_cm\": 0.5},";
    const char *tail =
        " \"fund\": {\"capital\": 1e6, \"sources\": [{\"amount\": 1e6, \"annual_rate\": 0.01}]},"
        " \"projects\": [{\"id\": \"p\", \"technology\": \"hydro\", \"capacity_mw\": 10, \"capacity_factor\": 0.5,"
        " \"capex\": 4e6, \"tariff_per_mwh\": 80, \"operating_years\": 40,"
        " \"loans\": [{\"lender\": \"fund\", \"principal\": 1e6, \"annual_rate\": 0.0075, \"frequency\": 2,"
        " \"grace_periods\": 20, \"repayment_periods\": 60, \"amortization\": \"linear\"}]}]}";
    static const struct {
        const char *key;
        double pct;
    } cases[] = {{"", 57.8044451702}, {"\"grant_element_discount_rate\": 0.1,", 80.8598739744}};
    for (size_t i = 0; i < 2; ++i) {
        char buf[2048];
        snprintf(buf, sizeof buf, "%s%s%s", head, cases[i].key, tail);
        gfin_result *r = evaluate_text(buf, 1);
        double ge = metric(gfin_result_child(gfin_result_child(r, 0), 0), GFIN_M_GRANT_ELEMENT);
        cr_assert(fabs(100 * ge - cases[i].pct) <= 1e-8, "got %.10f %%, want %.10f %%", 100 * ge, cases[i].pct);
        close_rel(metric(r, GFIN_M_FUND_SUBSIDY_PER_TCO2E),
                  ge * 1e6 / metric(r, GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E), 1e-12, "subsidy");
        gfin_result_free(r);
    }
    /* The key's bounds are the loan grant element's: (-1, 10]. */
    gfin_portfolio *pf = gfin_portfolio_new();
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_PORTFOLIO_GRANT_ELEMENT_DISCOUNT_RATE, -1), GFIN_EINVAL);
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_PORTFOLIO_GRANT_ELEMENT_DISCOUNT_RATE, 10.5), GFIN_EINVAL);
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_PORTFOLIO_GRANT_ELEMENT_DISCOUNT_RATE, 10), GFIN_OK);
    double v;
    cr_assert_eq(gfin_portfolio_get(pf, GFIN_PORTFOLIO_GRANT_ELEMENT_DISCOUNT_RATE, &v), GFIN_OK);
    cr_assert_eq(v, 10);
    gfin_portfolio_free(pf);
}

static bool has_warning(const gfin_result *r, const char *part)
{
    for (size_t i = 0; i < gfin_result_warning_count(r); ++i)
        if (strstr(gfin_result_warning(r, i), part))
            return true;
    return false;
}

/* Loans lent by "fund" in a portfolio without a fund, and a fund without
 * sources (its cost of funds silently 0), are warned about (issue 12, 13). */
Test(portfolio, fund_loans_without_fund_and_fund_without_sources_warn)
{
    /* HAND without its fund object (from " \"fund\"" to the end of its sources). */
    const char *at = strstr(HAND, " \"fund\": {"), *end = strstr(at, "]},") + 3;
    size_t n = strlen(HAND);
    char *text = malloc(n + 1);
    snprintf(text, n + 1, "%.*s%s", (int)(at - HAND), HAND, end);
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, strlen(text), &e);
    free(text);
    cr_assert_not_null(pf, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 1, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    cr_assert_str_eq(gfin_result_warning(r, 0), "2 loans are lent by \"fund\" (the first in project S) but the "
                                                "portfolio has no fund: no fund figures are computed (add a \"fund\")");
    gfin_result_free(r);
    gfin_portfolio_free(pf);

    text = replaced(HAND, "\"sources\": [{\"name\": \"concessional\", \"amount\": 600, \"annual_rate\": 0.02},"
                          "               {\"name\": \"commercial\", \"amount\": 400, \"annual_rate\": 0.05}]",
                    "\"sources\": []");
    r = evaluate_text(text, 1);
    free(text);
    cr_assert(has_warning(r, "fund: no sources: the cost of funds is taken as 0"));
    check_col(gfin_result_table(r, "fund"), "cost_of_funds", (const double[]){0, 0, 0, 0}, 4);
    gfin_result_free(r);
    r = evaluate_text(HAND, 1);
    cr_assert(!has_warning(r, "no sources"));
    cr_assert(!has_warning(r, "no fund"));
    gfin_result_free(r);
}

/* Technology is a dimension of the portfolio's years (issue 13 item 1): one
 * table per technology with the HAND case's figures derived above (S solar:
 * 100 MWh and 50 t a year from 2031, attributed 50 x balance / capex; H hydro:
 * 200 MWh and 100 t in 2032-33, attributed 100 x 500 / 2000 = 25 in 2032),
 * and the 1.0 columns of "portfolio" are the technology tables' columns. */
Test(portfolio, technology_tables_split_the_totals)
{
    gfin_result *r = evaluate_text(HAND, 1);
    const gfin_table *s = gfin_result_table(r, "technology.solar"), *h = gfin_result_table(r, "technology.hydro");
    cr_assert_not_null(s);
    cr_assert_not_null(h);
    check_col(s, "calendar_year", (const double[]){2030, 2031, 2032, 2033}, 4);
    check_col(s, "net_mwh", (const double[]){0, 100, 100, 100}, 4);
    check_col(h, "net_mwh", (const double[]){0, 0, 200, 200}, 4);
    check_col(s, "reductions_tco2e", (const double[]){0, 50, 50, 50}, 4);
    check_col(h, "reductions_tco2e", (const double[]){0, 0, 100, 100}, 4);
    check_col(s, "attributed_tco2e", (const double[]){0, 50 * 2.0 / 3 * 0.4, 50 / 3.0 * 0.4, 0}, 4);
    check_col(h, "attributed_tco2e", (const double[]){0, 0, 25, 0}, 4);
    /* The same columns by registry number, and the deprecated 1.0 columns. */
    const gfin_table *p = gfin_result_table(r, "portfolio");
    cr_assert_eq(gfin_table_column_of(s, GFIN_C_TECHNOLOGY_NET_MWH), gfin_table_column_by_name(s, "net_mwh"));
    for (size_t y = 0; y < 4; ++y) {
        cr_assert_eq(gfin_table_column_of(p, GFIN_C_PORTFOLIO_NET_MWH_SOLAR)[y],
                     gfin_table_column_of(s, GFIN_C_TECHNOLOGY_NET_MWH)[y]);
        cr_assert_eq(gfin_table_column_of(p, GFIN_C_PORTFOLIO_REDUCTIONS_TCO2E_HYDRO)[y],
                     gfin_table_column_of(h, GFIN_C_TECHNOLOGY_REDUCTIONS_TCO2E)[y]);
    }
    gfin_column c;
    cr_assert_eq(gfin_column_lookup("technology.hydro", "attributed_tco2e", &c, NULL), GFIN_OK);
    cr_assert_eq(c, GFIN_C_TECHNOLOGY_ATTRIBUTED_TCO2E);
    gfin_result_free(r);
}
