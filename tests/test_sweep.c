/* test_sweep.c -- the cash sweep and the reserve drawn on a loan (lib/sweep.c,
 * lib/waterfall.c, docs/model.md 6.5); every expected figure derived by hand
 * in the comments.
 *
 * The project of every test: 1 MW at capacity factor 0.5 = 4,380 MWh a year
 * at 100 = 438,000 of revenue, opex 138,000: EBITDA = CFADS = 300,000 in each
 * of 20 operating years (no tax), one construction year (2027), capex 2 m.
 * Its loan: 1.5 m drawn at the start of 2027, annual, one interest-only grace
 * year (the construction year), then 15 linear repayments of 100,000
 * (2028-2042). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "test_data.h"

#define T 21 /* project years: 1 construction + 20 operating */
#define N 16 /* loan periods: 1 grace + 15 repayments */

static void pset(gfin_project *p, gfin_key k, double v)
{
    cr_assert_eq(gfin_project_set(p, k, v), GFIN_OK, "%s", gfin_key_name(k));
}

/* The project above; rate = the loan's annual rate; swept: the loan's
 * `swept` key (-1: not set); repay: its repayment periods (15 above). */
static gfin_project *project_r(double rate, int swept, double repay)
{
    gfin_project *p = gfin_project_new();
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_ID, "p"), GFIN_OK);
    pset(p, GFIN_PROJECT_TECHNOLOGY, GFIN_TECH_SOLAR);
    pset(p, GFIN_PROJECT_CAPACITY_MW, 1);
    pset(p, GFIN_PROJECT_CAPACITY_FACTOR, 0.5);
    pset(p, GFIN_PROJECT_CAPEX, 2e6);
    pset(p, GFIN_PROJECT_OPERATING_YEARS, 20);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 100);
    pset(p, GFIN_PROJECT_OPEX_FIXED, 138000);
    pset(p, GFIN_PROJECT_DISCOUNT_RATE, 0.08);
    pset(p, GFIN_PROJECT_START_YEAR, 2027);
    pset(p, GFIN_GRID_EF_CM, 0.6);
    gfin_loan *l = gfin_loan_new();
    cr_assert_eq(gfin_loan_set_string(l, GFIN_LOAN_ID, "senior"), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, 1.5e6), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, rate), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_FREQUENCY, 1), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_GRACE_PERIODS, 1), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, repay), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_LINEAR), GFIN_OK);
    if (swept >= 0)
        cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_SWEPT, swept), GFIN_OK);
    gfin_error e = {0};
    cr_assert_eq(gfin_project_add_loan(p, l, &e), GFIN_OK, "%s", e.message);
    gfin_loan_free(l);
    return p;
}

static gfin_project *project(double rate, int swept) { return project_r(rate, swept, 15); }

static gfin_result *eval(const gfin_project *p)
{
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_project_evaluate(p, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    return r;
}

static const double *col(const gfin_result *r, const char *table, const char *name)
{
    const gfin_table *t = strcmp(table, "years") == 0 ? gfin_result_table(r, "years")
                                                      : gfin_result_table(gfin_result_child(r, 0), "schedule");
    const double *c = gfin_table_column_by_name(t, name);
    cr_assert_not_null(c, "column %s of %s", name, table);
    return c;
}

static double metric(const gfin_result *r, gfin_metric m)
{
    double v = NAN;
    cr_assert_eq(gfin_result_metric(r, m, &v), GFIN_OK, "%s", gfin_metric_name(m));
    return v;
}

static void near(double got, double want, double tol, const char *what, size_t i)
{
    cr_assert(fabs(got - want) <= tol, "%s[%zu]: got %.17g, want %.17g", what, i, got, want);
}

/* 10 %, cash_sweep 0.5. Operating year j (loan period j + 1) opens with the
 * balance B_(j-1), B_0 = 1.5 m; it pays interest 0.1 B_(j-1) and the scheduled
 * 100,000, which leaves cash 300,000 - 100,000 - 0.1 B_(j-1) = 200,000 -
 * 0.1 B_(j-1), half of which prepays the loan at the year end:
 *   sweep_j = 100,000 - 0.05 B_(j-1)
 *   B_j     = B_(j-1) - 100,000 - sweep_j = 1.05 B_(j-1) - 200,000
 * whose fixed point is 200,000 / 0.05 = 4 m: B_j = 4 m - 2.5 m x 1.05^j.
 * B_9 = 4 m - 2.5 m x 1.05^9 = 121,679.46 > 100,000, B_10 would be negative
 * (1.05^10 > 1.6): in year 10 (2037) the scheduled 100,000 leaves 21,679.46,
 * which the sweep (100,000 - 0.05 B_9 = 93,916 available) repays whole. The
 * loan ends in 2037 instead of 2042: five years earlier; its last five periods
 * are empty. Prepayment at par: its all-in cost stays 10 %. */
Test(sweep, shortens_a_15_year_loan_by_five_years)
{
    gfin_project *p = project(0.10, GFIN_SWEPT_YES);
    pset(p, GFIN_PROJECT_CASH_SWEEP, 0.5);
    gfin_result *r = eval(p);
    const double *pre = col(r, "schedule", "prepayment"), *close = col(r, "schedule", "closing_balance"),
                 *prin = col(r, "schedule", "principal"), *ds = col(r, "schedule", "debt_service"),
                 *ysweep = col(r, "years", "cash_sweep"), *eq = col(r, "years", "equity_flow"),
                 *cfads = col(r, "years", "cfads"), *yds = col(r, "years", "debt_service");
    near(pre[0], 0, 0, "prepayment", 0);
    for (int j = 1; j <= 9; ++j) {
        const double b_prev = 4e6 - 2.5e6 * pow(1.05, j - 1), b = 4e6 - 2.5e6 * pow(1.05, j);
        near(pre[j], 100000 - 0.05 * b_prev, 1e-6, "prepayment", (size_t)j);
        near(close[j], b, 1e-6, "closing_balance", (size_t)j);
        near(prin[j], 100000, 1e-6, "principal", (size_t)j);
        near(ysweep[j], pre[j], 0, "years.cash_sweep", (size_t)j);
    }
    const double b9 = 4e6 - 2.5e6 * pow(1.05, 9);
    near(b9, 121679.46, 0.01, "B_9", 9);
    near(pre[10], b9 - 100000, 1e-6, "prepayment", 10);
    near(close[10], 0, 0, "closing_balance", 10);
    for (size_t k = 11; k < N; ++k) {
        near(ds[k], 0, 0, "debt_service", k);
        near(pre[k], 0, 0, "prepayment", k);
    }
    for (size_t y = 12; y < T; ++y)
        near(ysweep[y], 0, 0, "years.cash_sweep", y);
    /* The equity gets CFADS less debt service less the sweep. */
    for (size_t y = 1; y < T; ++y)
        near(eq[y], cfads[y] - yds[y] - ysweep[y], 1e-6, "equity_flow", y);
    near(eq[12], 300000, 1e-9, "equity_flow after the debt", 12);
    const gfin_result *lr = gfin_result_child(r, 0);
    near(metric(lr, GFIN_M_ALL_IN_COST), 0.10, 1e-12, "all_in_cost", 0);
    near(metric(lr, GFIN_M_TOTAL_DRAWN), 1.5e6, 1e-6, "total_drawn", 0);
    gfin_result_free(r);
    gfin_project_free(p);
}

/* Absent keys, cash_sweep 0 and a swept loan without a sweep give the same
 * bits as the project without the keys: no prepayment or cash_sweep column. */
Test(sweep, no_sweep_leaves_every_number_unchanged)
{
    gfin_project *p0 = project(0.10, -1), *p1 = project(0.10, GFIN_SWEPT_YES);
    pset(p1, GFIN_PROJECT_CASH_SWEEP, 0);
    gfin_result *r0 = eval(p0), *r1 = eval(p1);
    const char *tables[] = {"years", "schedule"};
    for (size_t t = 0; t < 2; ++t) {
        const gfin_table *a = t ? gfin_result_table(gfin_result_child(r0, 0), "schedule")
                                : gfin_result_table(r0, "years"),
                         *b = t ? gfin_result_table(gfin_result_child(r1, 0), "schedule")
                                : gfin_result_table(r1, "years");
        cr_assert_eq(gfin_table_cols(a), gfin_table_cols(b), "%s", tables[t]);
        for (size_t j = 0; j < gfin_table_cols(a); ++j)
            cr_assert_eq(memcmp(gfin_table_column(a, j), gfin_table_column(b, j), gfin_table_rows(a) * sizeof(double)),
                         0, "%s.%s", tables[t], gfin_table_col_name(a, j));
        cr_assert_null(gfin_table_column_by_name(b, "prepayment"));
        cr_assert_null(gfin_table_column_by_name(b, "cash_sweep"));
    }
    gfin_result_free(r0);
    gfin_result_free(r1);
    gfin_project_free(p0);
    gfin_project_free(p1);
}

/* The cascade: debt service, the reserve, the sweep, then the lock-up. At 0 %
 * the debt service is the scheduled 100,000 a year and CFADS 300,000 (DSCR 3).
 * dsra_months 6: the equity funds 0.5 x 100,000 = 50,000 at the end of 2027;
 * the reserve is full from then on (no top-up) until its target falls to 0.
 * lockup_dscr 3.5 fails every year with debt service. cash_sweep 0.5:
 *   years 1..7: cash after debt service and reserve 200,000, swept 100,000
 *     (the sweep comes before the lock-up), the other 100,000 trapped;
 *     B_j = 1.5 m - 200,000 j, B_7 = 100,000;
 *   year 8 (2035): the scheduled 100,000 repays the loan; nothing is left to
 *     sweep; the target falls to 0 (no debt service follows), releasing the
 *     50,000; the debt is repaid, which ends the lock-up: the 700,000 trapped
 *     is paid out with the year's 200,000 + 50,000: 950,000.
 * lockup_years = 8; the equity's flows after reserves: -550,000 (capex 2 m -
 * 1.5 m drawn, + the reserve 50,000), 0 x 7, 950,000, then 300,000 x 12. */
Test(sweep, comes_after_the_reserve_and_before_the_lockup)
{
    gfin_project *p = project(0, GFIN_SWEPT_YES);
    pset(p, GFIN_PROJECT_CASH_SWEEP, 0.5);
    pset(p, GFIN_PROJECT_DSRA_MONTHS, 6);
    pset(p, GFIN_PROJECT_LOCKUP_DSCR, 3.5);
    gfin_result *r = eval(p);
    const double *sw = col(r, "years", "cash_sweep"), *after = col(r, "years", "equity_flow_after_reserves"),
                 *bal = col(r, "years", "dsra_balance"), *trapped = col(r, "years", "trapped_cash"),
                 *close = col(r, "schedule", "closing_balance");
    near(after[0], -550000, 1e-6, "equity_flow_after_reserves", 0);
    for (size_t y = 1; y <= 7; ++y) {
        near(sw[y], 100000, 1e-6, "cash_sweep", y);
        near(after[y], 0, 1e-6, "equity_flow_after_reserves", y);
        near(trapped[y], 100000.0 * (double)y, 1e-6, "trapped_cash", y);
        near(bal[y], 50000, 1e-6, "dsra_balance", y);
        near(close[y], 1.5e6 - 200000.0 * (double)y, 1e-6, "closing_balance", y);
    }
    near(sw[8], 0, 0, "cash_sweep", 8);
    near(close[8], 0, 0, "closing_balance", 8);
    near(bal[8], 0, 0, "dsra_balance", 8);
    near(after[8], 950000, 1e-6, "equity_flow_after_reserves", 8);
    for (size_t y = 9; y < T; ++y)
        near(after[y], 300000, 1e-6, "equity_flow_after_reserves", y);
    cr_assert_eq(metric(r, GFIN_M_LOCKUP_YEARS), 8);
    gfin_result_free(r);
    gfin_project_free(p);
}

/* dsra_funding "senior", dsra_months 6, 10 %: the loan draws F at the start of
 * 2028, when its 15 linear repayments start: every instalment is scaled by
 * (1.5 m + F) / 1.5 m, so the balance 1.5 m + F is repaid linearly,
 * (1.5 m + F) / 15 a year. 2028's debt service = interest + principal =
 * (1.5 m + F) (0.1 + 1/15) = (1.5 m + F) / 6, and the reserve holds half of it:
 *   F = (1.5 m + F) / 12  =>  F = 1.5 m / 11 = 136,363.64
 * The loan's principal per year: (1.5 m x 12/11) / 15 = 1.2 m / 11 = 109,090.91;
 * total_debt 1.5 m x 12 / 11. The equity does not fund the reserve (2027:
 * -2 m + 1.5 m - 150,000 interest = -650,000) nor gets the draw (2028:
 * 300,000 - (1.5 m x 12/11) / 6 = 300,000 - 3 m / 11 = 27,272.73). */
Test(sweep, reserve_drawn_on_a_loan)
{
    gfin_project *p = project(0.10, -1);
    pset(p, GFIN_PROJECT_DSRA_MONTHS, 6);
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_DSRA_FUNDING, "senior"), GFIN_OK);
    gfin_result *r = eval(p);
    const double F = 1.5e6 / 11;
    const double *draw = col(r, "schedule", "drawdown"), *prin = col(r, "schedule", "principal"),
                 *topup = col(r, "years", "dsra_topup"), *eq = col(r, "years", "equity_flow"),
                 *after = col(r, "years", "equity_flow_after_reserves"), *ydraw = col(r, "years", "drawdown");
    near(draw[1], F, 1e-6, "drawdown", 1);
    near(ydraw[1], F, 1e-6, "years.drawdown", 1);
    near(topup[0], F, 1e-6, "dsra_topup", 0);
    for (size_t k = 1; k < N; ++k)
        near(prin[k], 1.2e6 / 11, 1e-6, "principal", k);
    near(eq[0], -650000, 1e-6, "equity_flow", 0);
    near(after[0], -650000, 1e-6, "equity_flow_after_reserves", 0);
    near(eq[1], 300000 - 3e6 / 11, 1e-6, "equity_flow", 1);
    near(metric(r, GFIN_M_TOTAL_DEBT), 1.5e6 * 12 / 11, 1e-6, "total_debt", 0);
    near(metric(gfin_result_child(r, 0), GFIN_M_TOTAL_DRAWN), 1.5e6 * 12 / 11, 1e-6, "total_drawn", 0);
    /* The draw after construction is the reserve's: no warning about it. */
    for (size_t i = 0; i < gfin_result_warning_count(r); ++i)
        cr_assert_null(strstr(gfin_result_warning(r, i), "after construction"), "%s", gfin_result_warning(r, i));
    gfin_result_free(r);
    gfin_project_free(p);
}

static void refused(gfin_project *p, const char *path, const char *text)
{
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_project_evaluate(p, &r, &e), GFIN_EINVAL);
    cr_assert_null(r);
    cr_assert_str_eq(e.path, path);
    cr_assert_not_null(strstr(e.message, text), "%s", e.message);
}

Test(sweep, refuses_what_it_cannot_do)
{
    gfin_project *p = project(0.10, -1);
    pset(p, GFIN_PROJECT_CASH_SWEEP, 0.5);
    refused(p, "cash_sweep", "no loan of the project has swept \"yes\"");
    gfin_project_free(p);
    p = project(0.10, -1);
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_DSRA_FUNDING, "junior"), GFIN_OK);
    refused(p, "dsra_funding",
            "\"junior\" is neither \"equity\" nor the id of one of the project's loans (\"senior\")");
    gfin_project_free(p);
    /* A loan repaid in one year (0 %, its one repayment in 2028): each unit
     * drawn adds 1 to 2028's debt service, and a 12-month reserve holds all of
     * it: F = F + 1.5 m has no solution. */
    p = project_r(0, -1, 1);
    pset(p, GFIN_PROJECT_DSRA_MONTHS, 12);
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_DSRA_FUNDING, "senior"), GFIN_OK);
    refused(p, "dsra_funding", "cannot draw the reserve");
    gfin_project_free(p);
}

/* tests/data/sweep_fund.json: the 10 % loan above lent by a fund of free money
 * (sources at 0 %, no management fee), swept at 0.5. The fund receives the
 * prepayments: principal_received in 2028 + j - 1 = 100,000 + sweep_j (first
 * test), its outstanding balance is 0 from 2037, and its IRR is the loan's
 * all-in cost, 10 %, since prepayments are at par (docs/model.md 7.2's check). */
Test(sweep, the_fund_receives_the_prepayments)
{
    size_t n;
    char *text = gfin_test_read("sweep_fund.json", &n);
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, n, &e);
    free(text);
    cr_assert_not_null(pf, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 1, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    const gfin_table *fund = gfin_result_table(r, "fund");
    const double *prin = gfin_table_column_by_name(fund, "principal_received"),
                 *out = gfin_table_column_by_name(fund, "outstanding");
    for (int j = 1; j <= 9; ++j)
        near(prin[j], 100000 + 100000 - 0.05 * (4e6 - 2.5e6 * pow(1.05, j - 1)), 1e-6, "principal_received",
             (size_t)j);
    near(prin[10], 4e6 - 2.5e6 * pow(1.05, 9), 1e-6, "principal_received", 10);
    near(out[9], 4e6 - 2.5e6 * pow(1.05, 9), 1e-6, "outstanding", 9);
    for (size_t y = 10; y < gfin_table_rows(fund); ++y)
        near(out[y], 0, 0, "outstanding", y);
    near(metric(r, GFIN_M_FUND_IRR), 0.10, 1e-9, "fund_irr", 0);
    gfin_result_free(r);
    gfin_portfolio_free(pf);
}
