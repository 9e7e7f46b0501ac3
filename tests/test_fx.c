/* test_fx.c -- loans in another currency than the portfolio's (lib/fx.c,
 * docs/model.md "Loan currencies"), on tests/data/fx_cny.json; every expected
 * figure derived by hand in the comments.
 *
 * The portfolio is in USD from 2027; fx.CNY is a 3 %/year depreciation of the
 * yuan: X_y = 0.14 x 0.97^(y - 2027) USD per CNY, written out:
 *   2027 0.14, 2028 0.1358, 2029 0.131726, 2030 0.12777422, 2031 0.1239409934.
 * One project, construction 2027, operation 2028-2031, two yearly CNY loans
 * drawn in full in 2027 with interest paid during construction:
 *   bank-cny 1000 CNY at 5 %, linear over 2028-2031: interest 50, 50, 37.5, 25,
 *     12.5; principal 0, 250, 250, 250, 250; debt service 50, 300, 287.5, 275,
 *     262.5; balance at the year ends 1000, 750, 500, 250, 0;
 *   fund-cny (lender "fund") 500 CNY at 4 %, linear over 2028-2029: interest
 *     20, 20, 10; principal 0, 250, 250; debt service 20, 270, 260; balance
 *     500, 250, 0. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "test_data.h"

static gfin_result *evaluate(const char *text)
{
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, strlen(text), &e);
    cr_assert_not_null(pf, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 1, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    gfin_portfolio_free(pf);
    return r;
}

static void expect(const gfin_table *t, const char *col, const double *want, size_t n)
{
    const double *got = gfin_table_column_by_name(t, col);
    cr_assert_not_null(got, "no column %s", col);
    for (size_t i = 0; i < n; ++i)
        cr_assert(fabs(got[i] - want[i]) < 1e-9, "%s[%zu]: got %.17g, want %.17g", col, i, got[i], want[i]);
}

Test(fx, debt_service_in_usd_follows_the_depreciation)
{
    char *text = gfin_test_read("fx_cny.json", NULL);
    gfin_result *r = evaluate(text);
    const gfin_result *pr = gfin_result_child(r, 0);
    const gfin_table *y = gfin_result_table(pr, "years");
    /* Debt service in USD, each year's CNY amount x that year's rate:
     *   2027: (50 + 20) x 0.14 = 9.8
     *   2028: 300 x 0.1358 + 270 x 0.1358 = 40.74 + 36.666 = 77.406
     *   2029: 287.5 x 0.131726 + 260 x 0.131726 = 37.871225 + 34.24876 = 72.119985
     *   2030: 275 x 0.12777422 = 35.1379105
     *   2031: 262.5 x 0.1239409934 = 32.5345107675 */
    const double ds[] = {9.8, 77.406, 72.119985, 35.1379105, 32.5345107675};
    expect(y, "debt_service", ds, 5);
    /* Interest: (50 + 20) x 0.14 = 9.8; (50 + 20) x 0.1358 = 9.506;
     * (37.5 + 10) x 0.131726 = 6.256985; 25 x 0.12777422 = 3.1943555;
     * 12.5 x 0.1239409934 = 1.5492624175. */
    const double in[] = {9.8, 9.506, 6.256985, 3.1943555, 1.5492624175};
    expect(y, "interest", in, 5);
    /* Drawdown: 1500 CNY in 2027 at 0.14 = 210. */
    const double draw[] = {210, 0, 0, 0, 0};
    expect(y, "drawdown", draw, 5);
    /* fx_gain_loss_y = B_{y-1} x (X_{y-1} - X_y), both loans:
     *   2027: nothing outstanding before: 0
     *   2028: (1000 + 500) x (0.14 - 0.1358) = 1500 x 0.0042 = 6.3
     *   2029: (750 + 250) x (0.1358 - 0.131726) = 1000 x 0.004074 = 4.074
     *   2030: 500 x (0.131726 - 0.12777422) = 500 x 0.00395178 = 1.97589
     *   2031: 250 x (0.12777422 - 0.1239409934) = 250 x 0.0038332266 = 0.95830665 */
    const double gain[] = {0, 6.3, 4.074, 1.97589, 0.95830665};
    expect(y, "fx_gain_loss", gain, 5);
    /* CFADS: 1 MWp x 1000 kWh/kWp = 1000 MWh x 0.1 = 100 a year, no opex, no
     * tax (taxable income 100 - depreciation 100 - interest < 0 or tax_rate
     * 0): DSCR 2028 = 100 / 77.406; equity flow 2028 = 100 - 77.406. */
    const double *cfads = gfin_table_column_by_name(y, "cfads");
    cr_assert(fabs(gfin_table_column_by_name(y, "dscr")[1] - cfads[1] / 77.406) < 1e-12);
    cr_assert(fabs(gfin_table_column_by_name(y, "equity_flow")[1] - (cfads[1] - 77.406)) < 1e-9);
    /* The loans' own schedules stay in CNY. */
    const gfin_table *s = gfin_result_table(gfin_result_child(pr, 0), "schedule");
    const double own[] = {50, 300, 287.5, 275, 262.5};
    expect(s, "debt_service", own, 5);
    /* total_debt: the commitments at the rate of their first drawdown, 1500 x 0.14. */
    double v;
    cr_assert_eq(gfin_result_metric(pr, GFIN_M_TOTAL_DEBT, &v), GFIN_OK);
    cr_assert(fabs(v - 210) < 1e-9, "total_debt %.17g", v);
    gfin_result_free(r);
    free(text);
}

Test(fx, the_fund_book_is_in_the_portfolio_currency)
{
    char *text = gfin_test_read("fx_cny.json", NULL);
    gfin_result *r = evaluate(text);
    const gfin_table *f = gfin_result_table(r, "fund");
    cr_assert_not_null(f);
    /* fund-cny: 500 CNY drawn 2027 at 0.14 = 70; principal 250 x 0.1358 =
     * 33.95 (2028), 250 x 0.131726 = 32.9315 (2029); interest 20 x 0.14 = 2.8,
     * 20 x 0.1358 = 2.716, 10 x 0.131726 = 1.31726; outstanding at the year
     * ends 500 x 0.14 = 70, 250 x 0.1358 = 33.95, 0. */
    const double disb[] = {70, 0, 0, 0, 0}, prin[] = {0, 33.95, 32.9315, 0, 0},
                 in[] = {2.8, 2.716, 1.31726, 0, 0}, out[] = {70, 33.95, 0, 0, 0};
    expect(f, "disbursements", disb, 5);
    expect(f, "principal_received", prin, 5);
    expect(f, "interest_received", in, 5);
    expect(f, "outstanding", out, 5);
    gfin_result_free(r);
    free(text);
}

/* The document with every `from` replaced by `to`. */
static char *edited(const char *from, const char *to)
{
    char *text = gfin_test_read("fx_cny.json", NULL);
    for (char *at; (at = strstr(text, from));) {
        size_t n = strlen(text) + strlen(to) + 1;
        char *doc = malloc(n);
        snprintf(doc, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
        free(text);
        text = doc;
    }
    return text;
}

/* A path of one rate: it repeats in every year. Both loans in EUR at
 * 1.25 USD/EUR: debt service (50 + 20) x 1.25 = 87.5, (300 + 270) x 1.25 =
 * 712.5, (287.5 + 260) x 1.25 = 684.375, 275 x 1.25 = 343.75,
 * 262.5 x 1.25 = 328.125; the rate never moves: no gain or loss. */
Test(fx, the_last_rate_repeats)
{
    char *text = edited("\"currency\": \"CNY\"", "\"currency\": \"EUR\"");
    gfin_result *r = evaluate(text);
    const gfin_table *y = gfin_result_table(gfin_result_child(r, 0), "years");
    const double ds[] = {87.5, 712.5, 684.375, 343.75, 328.125}, gain[] = {0, 0, 0, 0, 0};
    expect(y, "debt_service", ds, 5);
    expect(y, "fx_gain_loss", gain, 5);
    gfin_result_free(r);
    free(text);
}

/* Without a loan currency the years table has no fx column. */
Test(fx, no_currency_no_column)
{
    gfin_project *p = gfin_project_new();
    gfin_loan *l = gfin_loan_new();
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_ID, "p"), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_TECHNOLOGY, GFIN_TECH_SOLAR), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CAPACITY_MW, 1), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP, 1000), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CAPEX, 400), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_TARIFF_PER_MWH, 0.1), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_START_YEAR, 2027), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_DISCOUNT_RATE, 0.08), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, 100), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, 0.05), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, 12), GFIN_OK);
    cr_assert_eq(gfin_project_add_loan(p, l, NULL), GFIN_OK);
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_project_evaluate(p, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    cr_assert_null(gfin_table_column_by_name(gfin_result_table(r, "years"), "fx_gain_loss"));
    gfin_result_free(r);
    /* A standalone project has no fx paths: a currency is refused. */
    cr_assert_eq(gfin_loan_set_string(l, GFIN_LOAN_CURRENCY, "CNY"), GFIN_OK);
    gfin_project *q = gfin_project_new();
    cr_assert_eq(gfin_project_set_string(q, GFIN_PROJECT_ID, "q"), GFIN_OK);
    gfin_project_free(q);
    gfin_project *p2 = gfin_project_copy(p);
    cr_assert_eq(gfin_project_add_loan(p2, l, NULL), GFIN_OK);
    cr_assert_eq(gfin_project_evaluate(p2, &r, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "loans[1].currency");
    cr_assert_str_eq(e.message, "\"CNY\" has no fx path (fx has: none)");
    gfin_project_free(p2);
    gfin_project_free(p);
    gfin_loan_free(l);
}

/* Bad inputs: the path of the value and the rule. */
static void refused(const char *from, const char *to, const char *path, const char *message)
{
    char *doc = edited(from, to);
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(doc, strlen(doc), &e);
    gfin_result *r = NULL;
    if (pf) {
        cr_assert_eq(gfin_portfolio_evaluate(pf, 1, &r, &e), GFIN_EINVAL, "%s accepted", to);
        gfin_portfolio_free(pf);
    }
    cr_assert_str_eq(e.path, path);
    cr_assert_str_eq(e.message, message);
    free(doc);
}

Test(fx, bad_inputs_name_the_path)
{
    refused("\"EUR\": [1.25]", "\"EUR\": [1.25, -1]", "fx.EUR[1]",
            "-1 is not a rate: rates are finite and above 0 (portfolio currency per unit)");
    refused("\"EUR\": [1.25]", "\"EUR\": [1.25, 0]", "fx.EUR[1]",
            "0 is not a rate: rates are finite and above 0 (portfolio currency per unit)");
    refused("\"EUR\": [1.25]", "\"EUR\": []", "fx.EUR",
            "expected an array of 1 to 500 rates (one per calendar year), got an empty array");
    refused("\"EUR\": [1.25]", "\"EUR\": [1.25, 1e999]", "fx.EUR[1]",
            "the number is beyond the range of a double (about 1.8e308)");
    refused("\"CNY\": [0.14, 0.1358, 0.131726, 0.12777422, 0.1239409934], ", "", "projects[0].loans[0].currency",
            "\"CNY\" has no fx path (fx has: \"EUR\")");
    /* The path starts with the portfolio's start_year: a project starting
     * before it is refused by the portfolio's own rule first; a rate path
     * therefore always covers a portfolio loan's first drawdown. */
}

Test(fx, rates_set_through_the_api_are_checked)
{
    gfin_portfolio *pf = gfin_portfolio_new();
    gfin_error e = {0};
    const double bad[] = {0.14, NAN};
    cr_assert_eq(gfin_portfolio_set_fx(pf, "CNY", bad, 2, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "fx.CNY[1]");
    cr_assert_eq(gfin_portfolio_set_fx(pf, "CNY", bad, 0, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "fx.CNY");
    cr_assert_eq(gfin_portfolio_set_fx(pf, "CNY", bad, 1, &e), GFIN_OK);
    gfin_portfolio_free(pf);
}
