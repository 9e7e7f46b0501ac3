/* test_loan.c -- loan schedules and metrics against independent values.
 *
 * Sources of expected values, case by case in comments:
 *  - ../shared/reference/finance_vectors.json (copied in tests/data/), by id;
 *  - LibreOffice CUMIPMT/CUMPRINC function tests (ids lo-cumipmt-*, lo-cumprinc-*);
 *  - closed forms derived by hand (the derivation is in the comment). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "greenfin.h"
#include "test_checks.h"

#define REL 1e-9

static gfin_loan *mk(double principal, double rate, int freq, int periods)
{
    gfin_loan *l = gfin_loan_new();
    cr_assert_not_null(l);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, principal), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, rate), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_FREQUENCY, freq), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, periods), GFIN_OK);
    return l;
}

static void set(gfin_loan *l, gfin_key k, double v)
{
    cr_assert_eq(gfin_loan_set(l, k, v), GFIN_OK, "set %s: %s", gfin_key_name(k), gfin_loan_last_error(l)->message);
}

static void set_arr(gfin_loan *l, gfin_key k, const double *v, size_t n)
{
    cr_assert_eq(gfin_loan_set_array(l, k, v, n), GFIN_OK, "set %s: %s", gfin_key_name(k),
                 gfin_loan_last_error(l)->message);
}

static const double *col(const gfin_table *t, const char *name)
{
    const double *c = gfin_table_column_by_name(t, name);
    cr_assert_not_null(c, "column %s", name);
    return c;
}

static gfin_table *sched(const gfin_loan *l)
{
    gfin_error e = {0};
    gfin_table *t = gfin_loan_schedule(l, &e);
    cr_assert_not_null(t, "schedule: %s: %s", e.path, e.message);
    return t;
}

static double metric(const gfin_result *r, gfin_metric m)
{
    double v = NAN;
    cr_assert_eq(gfin_result_metric(r, m, &v), GFIN_OK, "metric %s", gfin_metric_name(m));
    return v;
}

/* The identities every schedule satisfies (MODEL.md):
 *   closing = opening + drawdown + capitalized - principal, next opening = closing,
 *   debt_service = interest - capitalized + principal + fees, last closing = 0,
 *   sum(principal) = sum(drawdown) + sum(capitalized). */
static void check_identities(const gfin_table *t)
{
    size_t n = gfin_table_rows(t);
    const double *op = col(t, "opening_balance"), *dr = col(t, "drawdown"), *in = col(t, "interest"),
                 *ci = col(t, "capitalized_interest"), *pr = col(t, "principal"), *fe = col(t, "fees"),
                 *ds = col(t, "debt_service"), *cl = col(t, "closing_balance");
    double sp = 0, sd = 0, sc = 0, scale = 1;
    for (size_t i = 0; i < n; ++i)
        scale = fmax(scale, fabs(op[i]) + fabs(dr[i]));
    for (size_t i = 0; i < n; ++i) {
        cr_assert(fabs(cl[i] - (op[i] + dr[i] + ci[i] - pr[i])) <= 1e-9 * scale, "balance identity row %zu", i);
        cr_assert(fabs(ds[i] - (in[i] - ci[i] + pr[i] + fe[i])) <= 1e-9 * scale, "debt service identity row %zu", i);
        if (i)
            cr_assert_eq(op[i], cl[i - 1], "opening = previous closing row %zu", i);
        sp += pr[i];
        sd += dr[i];
        sc += ci[i];
    }
    cr_assert_eq(cl[n - 1], 0.0, "last closing balance is 0");
    cr_assert(fabs(sp - (sd + sc)) <= 1e-9 * scale, "principal sums to drawn + capitalized");
}

Test(loan, columns_follow_model_order)
{
    static const char *const want[] = {"period", "time_years", "opening_balance", "drawdown", "interest",
                                       "capitalized_interest", "principal", "fees", "debt_service",
                                       "closing_balance", "rate"};
    gfin_loan *l = mk(1000, 0.05, 12, 12);
    gfin_table *t = sched(l);
    cr_assert_eq(gfin_table_cols(t), 11);
    cr_assert_eq(gfin_table_rows(t), 12);
    for (size_t j = 0; j < 11; ++j)
        cr_assert_str_eq(gfin_table_col_name(t, j), want[j]);
    cr_assert_eq(gfin_table_col_kind(t, 0), GFIN_COL_INTEGER);
    cr_assert_eq(gfin_table_col_index(t, "nope"), -1);
    check_identities(t);
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* LibreOffice CUMIPMT/CUMPRINC tests (finance_vectors ids lo-cumipmt-3, lo-cumipmt-4,
 * lo-cumprinc-3, lo-cumprinc-4): rate 0.0075 per month (9 %/yr), 360 periods,
 * pv 125,000. Interest of periods 13..24 = 11,135.2321307508; period 1:
 * interest 937.5, principal 68.2782711809783. */
Test(loan, annuity_rows_match_libreoffice_cumipmt)
{
    gfin_loan *l = mk(125000, 0.09, 12, 360);
    gfin_table *t = sched(l);
    const double *in = col(t, "interest"), *pr = col(t, "principal");
    double s = 0, sp = 0;
    for (size_t k = 13; k <= 24; ++k) {
        s += in[k - 1];
        sp += pr[k - 1];
    }
    close_rel(s, 11135.2321307508, 1e-12, "lo-cumipmt-3");
    close_rel(sp, 934.107123420898, 1e-11, "lo-cumprinc-3");
    close_rel(in[0], 937.5, 1e-12, "lo-cumipmt-4");
    close_rel(pr[0], 68.2782711809783, 1e-11, "lo-cumprinc-4");
    check_identities(t);
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* Rate 0: an annuity is straight-line, P / R each period. */
Test(loan, annuity_zero_rate_is_straight_line)
{
    gfin_loan *l = mk(1200, 0, 12, 12);
    gfin_table *t = sched(l);
    const double *pr = col(t, "principal"), *in = col(t, "interest");
    for (size_t i = 0; i < 12; ++i) {
        close_rel(pr[i], 100, 1e-15, "principal");
        cr_assert_eq(in[i], 0.0);
    }
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* One repayment period: principal P, interest P x r / f. */
Test(loan, one_period_repays_everything)
{
    gfin_loan *l = mk(1000, 0.06, 4, 1);
    gfin_table *t = sched(l);
    close_rel(col(t, "principal")[0], 1000, 1e-15, "principal");
    close_rel(col(t, "interest")[0], 15, 1e-15, "interest 1000 x 0.06 / 4");
    close_rel(col(t, "time_years")[0], 0.25, 1e-15, "end of a quarter");
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* Linear: 4 annual repayments of 250 at t = 1..4; WAL = (1+2+3+4)/4 = 2.5. */
Test(loan, linear_equal_principal_and_wal)
{
    gfin_loan *l = mk(1000, 0.1, 1, 4);
    set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_LINEAR);
    gfin_result *r;
    cr_assert_eq(gfin_loan_evaluate(l, &r, NULL), GFIN_OK);
    const gfin_table *t = gfin_result_table(r, "schedule");
    const double want_int[] = {100, 75, 50, 25}; /* 10 % of 1000, 750, 500, 250 */
    for (size_t i = 0; i < 4; ++i) {
        close_rel(col(t, "principal")[i], 250, 1e-15, "principal");
        close_rel(col(t, "interest")[i], want_int[i], 1e-15, "interest");
    }
    close_rel(metric(r, GFIN_M_WAL_YEARS), 2.5, 1e-15, "wal");
    close_rel(metric(r, GFIN_M_TOTAL_INTEREST), 250, 1e-15, "total interest");
    close_rel(metric(r, GFIN_M_TOTAL_DEBT_SERVICE), 1250, 1e-15, "total debt service");
    close_rel(metric(r, GFIN_M_TOTAL_DRAWN), 1000, 1e-15, "drawn");
    /* No fees: the all-in cost is the effective annual rate, 10 %. */
    close_rel(metric(r, GFIN_M_ALL_IN_COST), 0.1, 1e-12, "all-in cost");
    gfin_result_free(r);
    gfin_loan_free(l);
}

/* Bullet: interest only, then everything in the last period. */
Test(loan, bullet_repays_at_maturity)
{
    gfin_loan *l = mk(500, 0.08, 2, 6);
    set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_BULLET);
    gfin_table *t = sched(l);
    for (size_t i = 0; i < 6; ++i) {
        close_rel(col(t, "interest")[i], 20, 1e-15, "500 x 0.08 / 2");
        cr_assert_eq(col(t, "principal")[i], i == 5 ? 500.0 : 0.0);
    }
    check_identities(t);
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* Balloon 30 %: level payment PMT(0.1, 5, 1000, fv = -300) =
 * (1000 x 1.1^5 - 300) x 0.1 / (1.1^5 - 1) = 214.65823655632164; the last
 * payment adds the balloon: principal 467.87112414211, debt service 514.65823655632. */
Test(loan, balloon_level_payment_then_balloon)
{
    gfin_loan *l = mk(1000, 0.1, 1, 5);
    set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_BALLOON);
    set(l, GFIN_LOAN_BALLOON_FRACTION, 0.3);
    gfin_table *t = sched(l);
    const double *ds = col(t, "debt_service");
    for (size_t i = 0; i < 4; ++i)
        close_rel(ds[i], 214.65823655632164, REL, "level payment");
    close_rel(col(t, "principal")[4], 467.8711241421111, REL, "last principal");
    close_rel(ds[4], 514.6582365563222, REL, "last payment");
    check_identities(t);
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* Custom profile of the repayment-start balance. */
Test(loan, custom_profile_shares_of_balance)
{
    gfin_loan *l = mk(1000, 0.05, 1, 3);
    set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_CUSTOM);
    const double prof[] = {0.5, 0.3, 0.2};
    set_arr(l, GFIN_LOAN_PRINCIPAL_PROFILE, prof, 3);
    gfin_table *t = sched(l);
    const double want[] = {500, 300, 200};
    for (size_t i = 0; i < 3; ++i)
        close_rel(col(t, "principal")[i], want[i], 1e-15, "principal");
    close_rel(col(t, "interest")[1], 25, 1e-15, "5 % of 500");
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* Floating: base 3 %, 4 %, 5 % + margin 1 %, annual, 3 periods, annuity recomputed
 * each period on the remaining balance (hand derivation with PMT):
 *   k1: PMT(0.04, 3, 1000)          = 360.34853921066093, principal 320.34853921066093
 *   k2: PMT(0.05, 2, 679.65146...)  = 365.51987098548597
 *   k3: last, repays 348.1141628433198 + interest 20.886849770599206 = 369.001012613919 */
Test(loan, floating_annuity_recomputed_each_period)
{
    gfin_loan *l = gfin_loan_new();
    set(l, GFIN_LOAN_PRINCIPAL, 1000);
    set(l, GFIN_LOAN_FREQUENCY, 1);
    set(l, GFIN_LOAN_REPAYMENT_PERIODS, 3);
    set(l, GFIN_LOAN_MARGIN, 0.01);
    const double base[] = {0.03, 0.04, 0.05};
    set_arr(l, GFIN_LOAN_BASE_RATES, base, 3);
    gfin_table *t = sched(l);
    const double *ds = col(t, "debt_service"), *rate = col(t, "rate");
    close_rel(ds[0], 360.34853921066093, REL, "k1");
    close_rel(ds[1], 365.51987098548597, REL, "k2");
    close_rel(ds[2], 369.001012613919, REL, "k3");
    close_rel(rate[2], 0.06, 1e-15, "rate column is base + margin");
    check_identities(t);
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* The last base rate repeats. */
Test(loan, last_base_rate_repeats)
{
    gfin_loan *l = gfin_loan_new();
    set(l, GFIN_LOAN_PRINCIPAL, 100);
    set(l, GFIN_LOAN_FREQUENCY, 1);
    set(l, GFIN_LOAN_REPAYMENT_PERIODS, 4);
    const double base[] = {0.02, 0.03};
    set_arr(l, GFIN_LOAN_BASE_RATES, base, 2);
    gfin_table *t = sched(l);
    const double want[] = {0.02, 0.03, 0.03, 0.03};
    for (size_t i = 0; i < 4; ++i)
        close_rel(col(t, "rate")[i], want[i], 1e-15, "rate");
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* Reference idc-begin: draws 70 x [25, 30, 30, 15] % at the start of each quarter,
 * 8 %/yr quarterly, interest capitalized: closing debt 73.7863308 (total IDC 3.7863308).
 * Reference model-cfee-start: 0.5 %/yr commitment fee on the undrawn amount after
 * each period's drawdown: [0.065625, 0.039375, 0.013125, 0], total 0.118125. */
Test(loan, idc_capitalized_and_commitment_fee_match_reference)
{
    gfin_loan *l = mk(70, 0.08, 4, 8);
    const double dd[] = {0.25, 0.3, 0.3, 0.15};
    set_arr(l, GFIN_LOAN_DRAWDOWNS, dd, 4);
    set(l, GFIN_LOAN_COMMITMENT_FEE, 0.005);
    gfin_result *r;
    cr_assert_eq(gfin_loan_evaluate(l, &r, NULL), GFIN_OK);
    const gfin_table *t = gfin_result_table(r, "schedule");
    cr_assert_eq(gfin_table_rows(t), 12);
    const double *cl = col(t, "closing_balance"), *ci = col(t, "capitalized_interest"), *fe = col(t, "fees");
    cr_assert(fabs(cl[3] - 73.7863308) <= 1e-7, "idc-begin closing %.10f", cl[3]);
    cr_assert(fabs(ci[0] + ci[1] + ci[2] + ci[3] - 3.7863308) <= 1e-7, "idc-begin total IDC");
    const double want_fee[] = {0.065625, 0.039375, 0.013125, 0.0};
    for (size_t i = 0; i < 4; ++i)
        cr_assert(fabs(fe[i] - want_fee[i]) <= 1e-12, "model-cfee-start q%zu: %.15g", i + 1, fe[i]);
    cr_assert(fabs(metric(r, GFIN_M_TOTAL_FEES) - 0.118125) <= 1e-12, "model-cfee-start total");
    /* In availability the debt service is the fee only (interest capitalized). */
    for (size_t i = 0; i < 4; ++i)
        close_rel(col(t, "debt_service")[i], want_fee[i], 1e-12, "availability debt service");
    check_identities(t);
    gfin_result_free(r);
    gfin_loan_free(l);
}

/* IDC paid: the interest of availability periods is paid, the balance is what was drawn. */
Test(loan, idc_paid_keeps_balance_at_drawn)
{
    gfin_loan *l = mk(100, 0.12, 12, 12);
    const double dd[] = {0.5, 0.5};
    set_arr(l, GFIN_LOAN_DRAWDOWNS, dd, 2);
    set(l, GFIN_LOAN_IDC_MODE, GFIN_IDC_PAID);
    gfin_table *t = sched(l);
    close_rel(col(t, "interest")[0], 0.5, 1e-15, "50 x 1 %");
    close_rel(col(t, "interest")[1], 1.0, 1e-15, "100 x 1 %");
    cr_assert_eq(col(t, "closing_balance")[1], 100.0);
    cr_assert_eq(col(t, "capitalized_interest")[1], 0.0);
    check_identities(t);
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* Grace capitalized: 2 annual periods at 10 % grow 1000 to 1210, then 1 repayment. */
Test(loan, grace_capitalized_grows_balance)
{
    gfin_loan *l = mk(1000, 0.1, 1, 1);
    set(l, GFIN_LOAN_GRACE_PERIODS, 2);
    set(l, GFIN_LOAN_GRACE_MODE, GFIN_GRACE_CAPITALIZED);
    gfin_table *t = sched(l);
    close_rel(col(t, "closing_balance")[1], 1210, 1e-15, "1000 x 1.1^2");
    close_rel(col(t, "principal")[2], 1210, 1e-15, "repays the grown balance");
    close_rel(col(t, "debt_service")[2], 1331, 1e-15, "1210 x 1.1");
    cr_assert_eq(col(t, "debt_service")[0], 0.0);
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* Grace interest-only: interest paid, no principal. */
Test(loan, grace_interest_only_pays_interest)
{
    gfin_loan *l = mk(1000, 0.1, 1, 1);
    set(l, GFIN_LOAN_GRACE_PERIODS, 2);
    gfin_table *t = sched(l);
    close_rel(col(t, "debt_service")[0], 100, 1e-15, "interest only");
    close_rel(col(t, "debt_service")[2], 1100, 1e-15, "principal + interest");
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* Reference pf-sculpt-*: CFADS / 1.35 as targets, 6.5 % annual: a debt of
 * 6474.471145664797 is exactly repaid; interest t1 = 420.84062446821184,
 * principal t1 = 468.0482644206771, closing t10 = 0. */
Test(loan, sculpted_matches_reference_vector)
{
    const double cfads[] = {1200, 1150, 1100, 1250, 1300, 1280, 1260, 1240, 1220, 1200};
    double targets[10];
    for (size_t i = 0; i < 10; ++i)
        targets[i] = cfads[i] / 1.35;
    gfin_loan *l = mk(6474.471145664797, 0.065, 1, 10);
    set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_SCULPTED);
    set_arr(l, GFIN_LOAN_DEBT_SERVICE_PROFILE, targets, 10);
    gfin_table *t = sched(l);
    close_rel(col(t, "interest")[0], 420.84062446821184, 1e-12, "pf-sculpt-int1");
    close_rel(col(t, "principal")[0], 468.0482644206771, 1e-10, "pf-sculpt-prin1");
    /* The profile repays exactly: the last period's principal equals its target
     * less interest, so the last debt service is the target too. */
    close_rel(col(t, "debt_service")[9], targets[9], 1e-9, "pf-sculpt-final-bal");
    check_identities(t);
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* Sculpted targets below interest: principal is negative, the balance grows, and
 * the last period repays the rest. */
Test(loan, sculpted_negative_principal_grows_balance)
{
    gfin_loan *l = mk(1000, 0.1, 1, 3);
    set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_SCULPTED);
    const double targets[] = {50, 600, 700};
    set_arr(l, GFIN_LOAN_DEBT_SERVICE_PROFILE, targets, 3);
    gfin_table *t = sched(l);
    close_rel(col(t, "principal")[0], -50, 1e-15, "50 - 100 interest");
    close_rel(col(t, "closing_balance")[0], 1050, 1e-15, "balance grows");
    close_rel(col(t, "principal")[1], 495, 1e-15, "600 - 105");
    close_rel(col(t, "principal")[2], 555, 1e-15, "the rest");
    check_identities(t);
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* Upfront fee 1 % on a one-year loan of 100 at 10 %: the borrower gets 99 and pays
 * 110 a year later: all-in cost = 110 / 99 - 1 = 0.1111... */
Test(loan, all_in_cost_includes_upfront_fee)
{
    gfin_loan *l = mk(100, 0.1, 1, 1);
    set(l, GFIN_LOAN_UPFRONT_FEE, 0.01);
    gfin_result *r;
    cr_assert_eq(gfin_loan_evaluate(l, &r, NULL), GFIN_OK);
    close_rel(metric(r, GFIN_M_ALL_IN_COST), 110.0 / 99.0 - 1, 1e-12, "all-in cost");
    const gfin_table *t = gfin_result_table(r, "schedule");
    close_rel(col(t, "fees")[0], 1, 1e-15, "fee in period 1");
    close_rel(col(t, "debt_service")[0], 111, 1e-15, "fee + interest + principal");
    gfin_result_free(r);
    gfin_loan_free(l);
}

/* Monthly 12 % nominal without fees: all-in cost is the effective rate 1.01^12 - 1. */
Test(loan, all_in_cost_is_effective_annual_rate)
{
    gfin_loan *l = mk(1000, 0.12, 12, 24);
    gfin_result *r;
    cr_assert_eq(gfin_loan_evaluate(l, &r, NULL), GFIN_OK);
    close_rel(metric(r, GFIN_M_ALL_IN_COST), pow(1.01, 12) - 1, 1e-11, "effective rate");
    gfin_result_free(r);
    gfin_loan_free(l);
}

/* Reference ge-*: OECD DAC grant element, equal principal, lump-sum disbursement,
 * semi-annual (payments_per_year 2), first principal at period 2 x grace + 1. */
static const struct {
    const char *id;
    double interest, discount;
    int grace_years, maturity_years, per_year;
    double pct;
} GE[] = {
    {"ge-r0.0075-D0.05-G10-M40-a2", 0.0075, 0.05, 10, 40, 2, 57.8044451702},
    {"ge-r0.0075-D0.1-G10-M40-a2", 0.0075, 0.1, 10, 40, 2, 80.8598739744},
    {"ge-r0.0-D0.05-G10-M40-a2", 0.0, 0.05, 10, 40, 2, 68.1537350568},
    {"ge-r0.02-D0.05-G5-M20-a2", 0.02, 0.05, 5, 20, 2, 26.8445779409},
    {"ge-r0.01-D0.09-G10-M30-a2", 0.01, 0.09, 10, 30, 2, 71.1774191993},
    {"ge-r0.01-D0.07-G10-M30-a2", 0.01, 0.07, 10, 30, 2, 62.0582127644},
    {"ge-r0.01-D0.06-G10-M30-a2", 0.01, 0.06, 10, 30, 2, 56.0861347248},
    {"ge-r0.01-D0.05-G10-M30-a2", 0.01, 0.05, 10, 30, 2, 48.8679487544},
    {"ge-r0.05-D0.05-G5-M20-a2", 0.05, 0.05, 5, 20, 2, -0.5570260238},
    {"ge-r0.1-D0.1-G3-M10-a1", 0.1, 0.1, 3, 10, 1, 0.0},
};

Test(loan, grant_element_matches_oecd_dac_vectors)
{
    for (size_t i = 0; i < sizeof GE / sizeof GE[0]; ++i) {
        int a = GE[i].per_year;
        gfin_loan *l = mk(1e6, GE[i].interest, a, (GE[i].maturity_years - GE[i].grace_years) * a);
        set(l, GFIN_LOAN_GRACE_PERIODS, GE[i].grace_years * a);
        set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_LINEAR);
        double ge = NAN;
        gfin_error e = {0};
        cr_assert_eq(gfin_loan_grant_element(l, GE[i].discount, &ge, &e), GFIN_OK, "%s: %s", GE[i].id, e.message);
        cr_assert(fabs(100 * ge - GE[i].pct) <= 1e-8, "%s: got %.10f %%, want %.10f %%", GE[i].id, 100 * ge,
                  GE[i].pct);
        gfin_loan_free(l);
    }
}

/* MODEL.md's check: 0.75 %, semi-annual, 20 grace periods, 60 linear repayments:
 * 57.80 % at 5 % (IMF), 80.86 % at 10 %; evaluate_ge carries the metric. */
Test(loan, grant_element_imf_check_through_evaluate)
{
    gfin_loan *l = mk(1e6, 0.0075, 2, 60);
    set(l, GFIN_LOAN_GRACE_PERIODS, 20);
    set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_LINEAR);
    gfin_result *r;
    cr_assert_eq(gfin_loan_evaluate_ge(l, 0.05, &r, NULL), GFIN_OK);
    cr_assert(fabs(metric(r, GFIN_M_GRANT_ELEMENT) - 0.5780) < 5e-5);
    gfin_result_free(r);
    cr_assert_eq(gfin_loan_evaluate_ge(l, 0.10, &r, NULL), GFIN_OK);
    cr_assert(fabs(metric(r, GFIN_M_GRANT_ELEMENT) - 0.8086) < 5e-5);
    gfin_result_free(r);
    /* Without a discount rate there is no grant element in the result. */
    cr_assert_eq(gfin_loan_evaluate(l, &r, NULL), GFIN_OK);
    double v;
    cr_assert_eq(gfin_result_metric(r, GFIN_M_GRANT_ELEMENT, &v), GFIN_EINVAL);
    gfin_result_free(r);
    gfin_loan_free(l);
}

/* Dated, monthly, ACT/365F, from 2024-01-31 across the leap day:
 * period ends are clipped to month ends counted from the start (Feb 29, Mar 31,
 * Apr 30); level payment PMT(0.005, 12, 120000) = 10327.971564849884;
 * interest 1: 120000 x 0.06 x 29/365 = 572.054794520548,
 * interest 2: 110244.08322967066 x 0.06 x 31/365 = 561.7917665950341. */
Test(loan, dated_schedule_across_leap_year)
{
    gfin_loan *l = mk(120000, 0.06, 12, 12);
    gfin_date start;
    cr_assert_eq(gfin_date_from_ymd(2024, 1, 31, &start), GFIN_OK);
    set(l, GFIN_LOAN_START_DATE, start);
    set(l, GFIN_LOAN_DAY_COUNT, GFIN_DC_ACT_365F);
    gfin_table *t = sched(l);
    cr_assert_eq(gfin_table_cols(t), 12);
    cr_assert_str_eq(gfin_table_col_name(t, 11), "date");
    cr_assert_eq(gfin_table_col_kind(t, 11), GFIN_COL_DATE);
    const double *d = col(t, "date"), *in = col(t, "interest"), *ds = col(t, "debt_service");
    int y, m, dd;
    cr_assert_eq(gfin_date_to_ymd((gfin_date)d[0], &y, &m, &dd), GFIN_OK);
    cr_assert(y == 2024 && m == 2 && dd == 29, "first end %d-%d-%d", y, m, dd);
    cr_assert_eq(gfin_date_to_ymd((gfin_date)d[1], &y, &m, &dd), GFIN_OK);
    cr_assert(y == 2024 && m == 3 && dd == 31, "second end %d-%d-%d", y, m, dd);
    close_rel(in[0], 572.054794520548, 1e-12, "interest 1");
    close_rel(in[1], 561.7917665950341, 1e-12, "interest 2");
    close_rel(in[2], 495.5074689768451, 1e-12, "interest 3");
    for (size_t i = 0; i < 11; ++i)
        close_rel(ds[i], 10327.971564849884, 1e-12, "level payment");
    check_identities(t); /* the last payment takes the residue */
    gfin_table_free(t);
    gfin_loan_free(l);
}

/* ---- refused terms ---- */

static void expect_invalid(gfin_loan *l, const char *path, const char *needle)
{
    gfin_error e = {0};
    cr_assert_eq(gfin_loan_validate(l, &e), GFIN_EINVAL, "expected refusal at %s", path);
    cr_assert_eq(e.code, GFIN_EINVAL);
    cr_assert_str_eq(e.path, path);
    cr_assert_not_null(strstr(e.message, needle), "message '%s' lacks '%s'", e.message, needle);
    cr_assert_null(gfin_loan_schedule(l, NULL));
}

Test(loan, drawdowns_not_summing_to_one_refused)
{
    gfin_loan *l = mk(100, 0.05, 4, 4);
    const double dd[] = {0.5, 0.4};
    set_arr(l, GFIN_LOAN_DRAWDOWNS, dd, 2);
    expect_invalid(l, "drawdowns", "not 1");
    /* Within 1e-9 is accepted. */
    const double ok[] = {0.5, 0.5 + 5e-10};
    set_arr(l, GFIN_LOAN_DRAWDOWNS, ok, 2);
    cr_assert_eq(gfin_loan_validate(l, NULL), GFIN_OK);
    gfin_loan_free(l);
}

Test(loan, profile_length_must_equal_repayment_periods)
{
    gfin_loan *l = mk(100, 0.05, 1, 3);
    set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_CUSTOM);
    const double prof[] = {0.5, 0.5};
    set_arr(l, GFIN_LOAN_PRINCIPAL_PROFILE, prof, 2);
    expect_invalid(l, "principal_profile", "must match");
    gfin_loan_free(l);
}

Test(loan, frequency_must_be_1_2_4_or_12)
{
    gfin_loan *l = mk(100, 0.05, 1, 3);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_FREQUENCY, 3), GFIN_EINVAL);
    const gfin_error *e = gfin_loan_last_error(l);
    cr_assert_str_eq(e->path, "frequency");
    cr_assert_str_eq(e->message, "3 is not one of 1, 2, 4, 12");
    double f;
    cr_assert_eq(gfin_loan_get(l, GFIN_LOAN_FREQUENCY, &f), GFIN_OK);
    cr_assert_eq(f, 1.0, "the refused value left the loan unchanged");
    gfin_loan_free(l);
}

Test(loan, negative_principal_refused_with_bound)
{
    gfin_loan *l = gfin_loan_new();
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, -5), GFIN_EINVAL);
    cr_assert_str_eq(gfin_loan_last_error(l)->path, "principal");
    cr_assert_str_eq(gfin_loan_last_error(l)->message, "-5 must be greater than 0 (money)");
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, -0.5), GFIN_EINVAL);
    cr_assert_str_eq(gfin_loan_last_error(l)->message, "-0.5 is below the minimum 0 (fraction/year)");
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, NAN), GFIN_EINVAL);
    cr_assert_str_eq(gfin_loan_last_error(l)->message, "NaN is not a finite number");
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, 2.5), GFIN_EINVAL);
    cr_assert_str_eq(gfin_loan_last_error(l)->message, "2.5 is not a whole number");
    cr_assert_eq(gfin_loan_set(l, GFIN_PROJECT_CAPEX, 5), GFIN_EINVAL, "a project key is not a loan key");
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_DRAWDOWNS, 1), GFIN_EINVAL, "array key through the number setter");
    cr_assert_str_eq(gfin_loan_last_error(l)->message, "is an array");
    gfin_loan_free(l);
}

Test(loan, debt_service_profile_that_never_repays_refused)
{
    gfin_loan *l = mk(1000, 0.05, 1, 3);
    set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_SCULPTED);
    const double t[] = {10, 10, 10};
    set_arr(l, GFIN_LOAN_DEBT_SERVICE_PROFILE, t, 3);
    expect_invalid(l, "debt_service_profile", "never repay");
    gfin_loan_free(l);
}

Test(loan, loan_longer_than_100_years_refused_without_allocating)
{
    gfin_loan *l = mk(1000, 0.05, 12, 1200);
    set(l, GFIN_LOAN_GRACE_PERIODS, 1);
    expect_invalid(l, "repayment_periods", "longer than 100 years");
    gfin_loan_free(l);
    /* Exactly 100 years of monthly periods is allowed. */
    l = mk(1000, 0.05, 12, 1200);
    gfin_table *t = sched(l);
    cr_assert_eq(gfin_table_rows(t), 1200);
    check_identities(t);
    gfin_table_free(t);
    gfin_loan_free(l);
}

Test(loan, annual_rate_required_unless_base_rates)
{
    gfin_loan *l = gfin_loan_new();
    set(l, GFIN_LOAN_PRINCIPAL, 10);
    set(l, GFIN_LOAN_REPAYMENT_PERIODS, 2);
    expect_invalid(l, "annual_rate", "required");
    gfin_loan_free(l);
    l = gfin_loan_new();
    set(l, GFIN_LOAN_ANNUAL_RATE, 0.05);
    expect_invalid(l, "principal", "required");
    gfin_loan_free(l);
}

Test(loan, key_of_another_amortization_refused)
{
    gfin_loan *l = mk(1000, 0.05, 1, 3);
    set(l, GFIN_LOAN_BALLOON_FRACTION, 0.2);
    expect_invalid(l, "balloon_fraction", "applies to amortization \"balloon\" only");
    gfin_loan_free(l);
}

Test(loan, copy_is_independent)
{
    gfin_loan *a = mk(1000, 0.05, 1, 3);
    gfin_loan *b = gfin_loan_copy(a);
    set(a, GFIN_LOAN_PRINCIPAL, 5);
    double p;
    cr_assert_eq(gfin_loan_get(b, GFIN_LOAN_PRINCIPAL, &p), GFIN_OK);
    cr_assert_eq(p, 1000.0);
    gfin_loan_free(a);
    gfin_loan_free(b);
}
