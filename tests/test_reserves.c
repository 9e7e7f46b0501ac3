/* test_reserves.c -- the debt service reserve account and the lock-up
 * (lib/reserves.c, docs/model.md "Reserve account and lock-up") on yearly
 * arrays, every expected figure derived by hand in the comments. */
#include <criterion/criterion.h>
#include <math.h>

#include "internal.h"

#define T_MAX 8

typedef struct run {
    double bal[T_MAX], draw[T_MAX], topup[T_MAX], release[T_MAX], interest[T_MAX], shortfall[T_MAX],
        trapped[T_MAX], equity[T_MAX];
    size_t lockup_years;
} run;

static void go(const gfin_reserve_terms *t, size_t C, size_t T, const double *cfads, const double *ds, run *r)
{
    double dscr[T_MAX], eq[T_MAX], short0[T_MAX];
    for (size_t y = 0; y < T; ++y) {
        dscr[y] = ds[y] > 0 ? cfads[y] / ds[y] : NAN;
        /* Without reserves (docs/model.md 6.1): the shortfall is the debt
         * service CFADS does not pay, lost to the lenders; the equity gets
         * CFADS - the debt service paid. */
        short0[y] = fmin(ds[y], fmax(0, ds[y] - cfads[y]));
        eq[y] = y < C ? (y == 0 ? -1000.0 : 0.0) : cfads[y] - (ds[y] - short0[y]);
    }
    gfin_reserve_flows f = {r->bal, r->draw, r->topup, r->release, r->interest, r->shortfall, r->trapped, r->equity};
    gfin__reserves_run(t, C, T, cfads, ds, short0, dscr, eq, &f, &r->lockup_years);
}

static void expect(const double *got, const double *want, size_t n, const char *what)
{
    for (size_t i = 0; i < n; ++i)
        cr_assert(fabs(got[i] - want[i]) < 1e-12, "%s[%zu]: got %.17g, want %.17g", what, i, got[i], want[i]);
}

/* One construction year, four operating years of debt service 100; a 6-month
 * reserve: target = 0.5 x next year's debt service = 50 at the end of years
 * 1..4 (0-based 0..3), 0 at the end of the last year (nothing follows).
 *   year 0: funded by the equity: balance 50, equity -1000 - 50 = -1050
 *   year 1: CFADS 150 pays 100; the reserve is full: equity 50
 *   year 2: CFADS 60 < 100: the reserve pays 40, balance 10, equity 0
 *   year 3: CFADS 150: 50 left, 40 tops the reserve up to 50, equity 10
 *   year 4: target 0: the 50 is released, equity 50 + 50 = 100
 * The equity's total is unchanged: -1000 + 50 - 40 + 50 + 50 = -890 without the
 * reserve, -1050 + 50 + 0 + 10 + 100 = -890 with it. */
Test(reserves, covers_one_bad_year_and_is_topped_up)
{
    const double cfads[] = {0, 150, 60, 150, 150}, ds[] = {0, 100, 100, 100, 100};
    gfin_reserve_terms t = {.dsra_months = 6, .dsra_rate = 0, .lockup_dscr = NAN, .lockup_release_years = 1};
    run r;
    go(&t, 1, 5, cfads, ds, &r);
    expect(r.bal, (double[]){50, 50, 10, 50, 0}, 5, "dsra_balance");
    expect(r.draw, (double[]){0, 0, 40, 0, 0}, 5, "dsra_draw");
    expect(r.topup, (double[]){50, 0, 0, 40, 0}, 5, "dsra_topup");
    expect(r.release, (double[]){0, 0, 0, 0, 50}, 5, "dsra_release");
    expect(r.shortfall, (double[]){0, 0, 0, 0, 0}, 5, "shortfall");
    expect(r.equity, (double[]){-1050, 50, 0, 10, 100}, 5, "equity_after");
    cr_assert_eq(r.lockup_years, 0);
}

/* The same with CFADS 20 in year 2 and dsra_rate 10 % on the opening balance:
 *   year 1: earns 50 x 0.1 = 5 -> 55, above the target 50: 5 released, equity 55
 *   year 2: earns 5 -> 55; 80 is missing: the reserve pays 55, 25 is not paid
 *           (shortfall, lost to the lenders), the equity gets 0
 *   year 3: earns 0; 50 left over tops the reserve up to 50: equity 0
 *   year 4: earns 5 -> 55, target 0: 55 released, equity 50 + 55 = 105 */
Test(reserves, shortfall_beyond_the_reserve_and_interest)
{
    const double cfads[] = {0, 150, 20, 150, 150}, ds[] = {0, 100, 100, 100, 100};
    gfin_reserve_terms t = {.dsra_months = 6, .dsra_rate = 0.1, .lockup_dscr = NAN, .lockup_release_years = 1};
    run r;
    go(&t, 1, 5, cfads, ds, &r);
    expect(r.interest, (double[]){0, 5, 5, 0, 5}, 5, "dsra_interest");
    expect(r.release, (double[]){0, 5, 0, 0, 55}, 5, "dsra_release");
    expect(r.draw, (double[]){0, 0, 55, 0, 0}, 5, "dsra_draw");
    expect(r.shortfall, (double[]){0, 0, 25, 0, 0}, 5, "shortfall");
    expect(r.bal, (double[]){50, 50, 0, 50, 0}, 5, "dsra_balance");
    expect(r.equity, (double[]){-1050, 55, 0, 0, 105}, 5, "equity_after");
}

/* Lock-up at DSCR 1.2, released after one passing year; debt service 100 in
 * years 1..5 of T = 7 (year 6 has none): DSCR 1.5, 1.1, 1.15, 1.5, 1.5.
 *   years 2 and 3 are locked up: 10 and 15 trapped (25 at the end of year 3);
 *   year 4 passes: 50 + 25 = 75 distributed. lockup_years = 2. */
Test(reserves, lockup_traps_two_years_and_releases)
{
    const double cfads[] = {0, 150, 110, 115, 150, 150, 150}, ds[] = {0, 100, 100, 100, 100, 100, 0};
    gfin_reserve_terms t = {.dsra_months = 0, .dsra_rate = 0, .lockup_dscr = 1.2, .lockup_release_years = 1};
    run r;
    go(&t, 1, 7, cfads, ds, &r);
    expect(r.trapped, (double[]){0, 0, 10, 25, 0, 0, 0}, 7, "trapped");
    expect(r.equity, (double[]){-1000, 50, 0, 0, 75, 50, 150}, 7, "equity_after");
    cr_assert_eq(r.lockup_years, 2);
    expect(r.bal, (double[]){0, 0, 0, 0, 0, 0, 0}, 7, "no reserve");

    /* Two passing years needed: year 4 distributes its own 50 only; year 5
     * (the second pass, and final maturity) releases the 25. */
    t.lockup_release_years = 2;
    go(&t, 1, 7, cfads, ds, &r);
    expect(r.trapped, (double[]){0, 0, 10, 25, 25, 0, 0}, 7, "trapped (2 years)");
    expect(r.equity, (double[]){-1000, 50, 0, 0, 50, 75, 150}, 7, "equity_after (2 years)");
}

/* Locked up in the final maturity year: released at its end, when the debt is
 * repaid. A negative flow (a negative CFADS the sponsor funds) is never
 * trapped. */
Test(reserves, lockup_ends_with_the_debt)
{
    const double cfads[] = {0, -5, 110, 50}, ds[] = {0, 100, 100, 0};
    gfin_reserve_terms t = {.dsra_months = 0, .dsra_rate = 0, .lockup_dscr = 1.2, .lockup_release_years = 1};
    run r;
    go(&t, 1, 4, cfads, ds, &r);
    /* year 1: CFADS -5: DSCR -0.05, the debt service is not paid (shortfall
     * 100), the sponsor funds the -5 (flow -5, nothing trapped);
     * year 2: DSCR 1.1, 10 trapped and released at once (final maturity). */
    expect(r.equity, (double[]){-1000, -5, 10, 50}, 4, "equity_after");
    expect(r.trapped, (double[]){0, 0, 0, 0}, 4, "trapped");
    expect(r.shortfall, (double[]){0, 100, 0, 0}, 4, "shortfall");
    cr_assert_eq(r.lockup_years, 2);
}

/* ---- in a project ---- */

static void pset(gfin_project *p, gfin_key k, double v)
{
    cr_assert_eq(gfin_project_set(p, k, v), GFIN_OK, "set %s: %s", gfin_key_name(k),
                 gfin_project_last_error(p)->message);
}

static double metric(const gfin_result *r, gfin_metric m)
{
    double v = NAN;
    cr_assert_eq(gfin_result_metric(r, m, &v), GFIN_OK, "metric %s", gfin_metric_name(m));
    return v;
}

/* 1 construction year (capex K = 30 m), 20 operating years of E = 30,000 MWh
 * (P50) at a flat tariff of 120, opex F = 900,000 escalating 2.5 %, no tax; a
 * loan of P = 8 m drawn at the start of year 1, 6 % annual, one interest-only
 * grace year, then a 10-year annuity: debt service 0.48 m in year 1, then
 * DS = P a, a = 0.06 / (1 - 1.06^-10), in operating years 1..10. */
#define K_CAPEX 30e6
#define E_MWH 30000.0
#define TARIFF 120.0
#define OPEX_F 900000.0
#define P_LOAN 8e6

static gfin_project *levered(double yield_uncertainty)
{
    gfin_project *p = gfin_project_new();
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_ID, "hydro"), GFIN_OK);
    pset(p, GFIN_PROJECT_TECHNOLOGY, GFIN_TECH_HYDRO);
    pset(p, GFIN_PROJECT_CAPACITY_MW, 10);
    pset(p, GFIN_PROJECT_CAPACITY_FACTOR, E_MWH / 87600.0);
    pset(p, GFIN_PROJECT_CAPEX, K_CAPEX);
    pset(p, GFIN_PROJECT_OPERATING_YEARS, 20);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, TARIFF);
    pset(p, GFIN_PROJECT_OPEX_FIXED, OPEX_F);
    pset(p, GFIN_PROJECT_OPEX_ESCALATION, 0.025);
    pset(p, GFIN_PROJECT_YIELD_UNCERTAINTY, yield_uncertainty);
    pset(p, GFIN_PROJECT_DISCOUNT_RATE, 0.08);
    pset(p, GFIN_PROJECT_START_YEAR, 2027);
    pset(p, GFIN_GRID_EF_CM, 0.6);
    gfin_loan *l = gfin_loan_new();
    cr_assert_eq(gfin_loan_set_string(l, GFIN_LOAN_ID, "senior"), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, P_LOAN), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, 0.06), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_FREQUENCY, 1), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_GRACE_PERIODS, 1), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, 10), GFIN_OK);
    gfin_error e = {0};
    cr_assert_eq(gfin_project_add_loan(p, l, &e), GFIN_OK, "%s", e.message);
    gfin_loan_free(l);
    return p;
}

static gfin_result *eval(const gfin_project *p)
{
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_project_evaluate(p, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    return r;
}

/* P90 with sigma 0.1: energy x (1 - 1.2816 x 0.1) = 0.87184 (docs/model.md 6.1);
 * CFADS90_j = 0.87184 x 120 x 30,000 - F 1.025^(j-1) falls every year, so
 *   min_dscr_p90 = CFADS90_10 / DS (about 1.85: no shortfall);
 *   equity flows on P90: year 1 -K + P - 0.06 P, years 2..11 CFADS90_j - DS,
 *   years 12..21 CFADS90_j; equity_irr_p90 = their IRR. */
Test(reserves, p90_metrics_by_hand)
{
    gfin_project *p = levered(0.1);
    gfin_result *r = eval(p);
    const double s90 = 1 - 1.2816 * 0.1, ds = P_LOAN * 0.06 / (1 - pow(1.06, -10));
    double flows[21];
    flows[0] = -K_CAPEX + P_LOAN - 0.06 * P_LOAN;
    for (int j = 1; j <= 20; ++j) {
        double cfads = s90 * TARIFF * E_MWH - OPEX_F * pow(1.025, j - 1);
        flows[j] = cfads - (j <= 10 ? ds : 0);
        if (j == 10)
            cr_assert(fabs(metric(r, GFIN_M_MIN_DSCR_P90) - cfads / ds) < 1e-12, "min_dscr_p90 %.17g, want %.17g",
                      metric(r, GFIN_M_MIN_DSCR_P90), cfads / ds);
    }
    double irr;
    cr_assert_eq(gfin_irr(flows, 21, 0.1, &irr), GFIN_OK);
    cr_assert(fabs(metric(r, GFIN_M_EQUITY_IRR_P90) - irr) < 1e-12, "equity_irr_p90 %.17g, want %.17g",
              metric(r, GFIN_M_EQUITY_IRR_P90), irr);
    cr_assert_lt(metric(r, GFIN_M_EQUITY_IRR_P90), metric(r, GFIN_M_EQUITY_IRR));
    gfin_result_free(r);
    gfin_project_free(p);

    /* Without yield uncertainty the metrics are not there. */
    p = levered(0);
    r = eval(p);
    double v;
    cr_assert_eq(gfin_result_metric(r, GFIN_M_MIN_DSCR_P90, &v), GFIN_EINVAL);
    cr_assert_eq(gfin_result_metric(r, GFIN_M_EQUITY_IRR_AFTER_RESERVES, &v), GFIN_EINVAL);
    gfin_result_free(r);
    gfin_project_free(p);
}

static const double *ycol(const gfin_result *r, const char *name)
{
    const double *c = gfin_table_column_by_name(gfin_result_table(r, "years"), name);
    cr_assert_not_null(c, "column %s", name);
    return c;
}

/* 1 construction year (capex 10 m), 5 operating years of CFADS 2 m (30,000 MWh
 * x 100 - opex 1 m, no tax). A 6 m loan at 0 %, annual, one grace year, repaid
 * by the custom profile 10/50/10/20/10 %: debt service 0.6, 3.0, 0.6, 1.2, 0.6 m
 * in operating years 1..5 -- year 2 is the bad one (DSCR 2/3). dsra_months 6:
 * target_y = 0.5 x DS_(y+1). By hand (millions, years 0..5):
 *   0: funded 0.5 x 0.6 = 0.3 by the equity: equity -10 + 6 - 0.3 = -4.3
 *   1: cash 1.4, target 1.5: top-up 1.2, balance 1.5; equity 0.2
 *   2: CFADS 2 < 3: the reserve pays 1.0 (no shortfall left), balance 0.5,
 *      target 0.3: 0.2 released; equity 0 + 0.2 = 0.2
 *   3: cash 1.4, target 0.6: top-up 0.3, balance 0.6; equity 1.1
 *   4: cash 0.8, target 0.3: 0.3 released; equity 1.1
 *   5: cash 1.4, target 0: 0.3 released; equity 1.7
 * With lockup_dscr 1.5 as well, year 2 (DSCR 0.667) is locked: its 0.2 is
 * trapped and released in year 3 (DSCR 3.33 passes): equity 1.3 there. */
static gfin_project *bad_year(void)
{
    gfin_project *p = gfin_project_new();
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_ID, "p"), GFIN_OK);
    pset(p, GFIN_PROJECT_TECHNOLOGY, GFIN_TECH_SOLAR);
    pset(p, GFIN_PROJECT_CAPACITY_MW, 10);
    pset(p, GFIN_PROJECT_CAPACITY_FACTOR, 30000.0 / 87600.0);
    pset(p, GFIN_PROJECT_CAPEX, 10e6);
    pset(p, GFIN_PROJECT_OPERATING_YEARS, 5);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 100);
    pset(p, GFIN_PROJECT_OPEX_FIXED, 1e6);
    pset(p, GFIN_PROJECT_DISCOUNT_RATE, 0.08);
    pset(p, GFIN_PROJECT_START_YEAR, 2027);
    pset(p, GFIN_GRID_EF_CM, 0.6);
    gfin_loan *l = gfin_loan_new();
    const double profile[] = {0.1, 0.5, 0.1, 0.2, 0.1};
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, 6e6), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, 0), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_FREQUENCY, 1), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_GRACE_PERIODS, 1), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, 5), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_CUSTOM), GFIN_OK);
    cr_assert_eq(gfin_loan_set_array(l, GFIN_LOAN_PRINCIPAL_PROFILE, profile, 5), GFIN_OK);
    gfin_error e = {0};
    cr_assert_eq(gfin_project_add_loan(p, l, &e), GFIN_OK, "%s", e.message);
    gfin_loan_free(l);
    return p;
}

static void expect_m(const double *got, const double *want_m, size_t n, const char *what)
{
    for (size_t i = 0; i < n; ++i)
        cr_assert(fabs(got[i] - 1e6 * want_m[i]) < 1e-6, "%s[%zu]: got %.17g, want %.17g", what, i, got[i],
                  1e6 * want_m[i]);
}

Test(reserves, project_reserve_covers_the_bad_year)
{
    gfin_project *p = bad_year();
    gfin_result *r = eval(p);
    /* Without the new keys: no new columns or metrics; year 2 falls short by 1 m. */
    cr_assert_null(gfin_table_column_by_name(gfin_result_table(r, "years"), "dsra_balance"));
    expect_m(ycol(r, "debt_service_shortfall"), (double[]){0, 0, 1.0, 0, 0, 0}, 6, "shortfall without reserve");
    gfin_result_free(r);

    pset(p, GFIN_PROJECT_DSRA_MONTHS, 6);
    r = eval(p);
    expect_m(ycol(r, "dsra_balance"), (double[]){0.3, 1.5, 0.3, 0.6, 0.3, 0}, 6, "dsra_balance");
    expect_m(ycol(r, "dsra_topup"), (double[]){0.3, 1.2, 0, 0.3, 0, 0}, 6, "dsra_topup");
    expect_m(ycol(r, "dsra_draw"), (double[]){0, 0, 1.0, 0, 0, 0}, 6, "dsra_draw");
    expect_m(ycol(r, "dsra_release"), (double[]){0, 0, 0.2, 0, 0.3, 0.3}, 6, "dsra_release");
    expect_m(ycol(r, "debt_service_shortfall"), (double[]){0, 0, 0, 0, 0, 0}, 6, "shortfall after the reserve");
    const double flows[] = {-4.3, 0.2, 0.2, 1.1, 1.1, 1.7};
    expect_m(ycol(r, "equity_flow_after_reserves"), flows, 6, "equity_flow_after_reserves");
    double irr;
    cr_assert_eq(gfin_irr(flows, 6, 0.1, &irr), GFIN_OK); /* the IRR is scale-free: millions do */
    cr_assert(fabs(metric(r, GFIN_M_EQUITY_IRR_AFTER_RESERVES) - irr) < 1e-12);
    cr_assert_eq(metric(r, GFIN_M_LOCKUP_YEARS), 0);
    cr_assert_eq(metric(r, GFIN_M_DEBT_SERVICE_SHORTFALL), 0);
    gfin_result_free(r);

    pset(p, GFIN_PROJECT_LOCKUP_DSCR, 1.5);
    r = eval(p);
    expect_m(ycol(r, "trapped_cash"), (double[]){0, 0, 0.2, 0, 0, 0}, 6, "trapped_cash");
    const double locked[] = {-4.3, 0.2, 0, 1.3, 1.1, 1.7};
    expect_m(ycol(r, "equity_flow_after_reserves"), locked, 6, "equity_flow_after_reserves (lock-up)");
    cr_assert_eq(gfin_irr(locked, 6, 0.1, &irr), GFIN_OK);
    cr_assert(fabs(metric(r, GFIN_M_EQUITY_IRR_AFTER_RESERVES) - irr) < 1e-12);
    cr_assert_eq(metric(r, GFIN_M_LOCKUP_YEARS), 1);
    gfin_result_free(r);
    gfin_project_free(p);
}
