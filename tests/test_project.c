/* test_project.c -- the project's yearly model, metrics, debt sizing and
 * warnings, against hand derivations (in the comments) and reference vectors
 * (ids from tests/data/finance_vectors.json and carbon_vectors.json). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "greenfin.h"
#include "test_checks.h"

static void pset(gfin_project *p, gfin_key k, double v)
{
    cr_assert_eq(gfin_project_set(p, k, v), GFIN_OK, "set %s: %s", gfin_key_name(k),
                 gfin_project_last_error(p)->message);
}

static void pset_arr(gfin_project *p, gfin_key k, const double *v, size_t n)
{
    cr_assert_eq(gfin_project_set_array(p, k, v, n), GFIN_OK, "set %s: %s", gfin_key_name(k),
                 gfin_project_last_error(p)->message);
}

static void lset(gfin_loan *l, gfin_key k, double v)
{
    cr_assert_eq(gfin_loan_set(l, k, v), GFIN_OK, "set %s: %s", gfin_key_name(k), gfin_loan_last_error(l)->message);
}

/* A project whose net energy is `mwh` per year: 1 MW at capacity factor mwh / 8760. */
static gfin_project *simple(double mwh, double capex, size_t operating_years)
{
    gfin_project *p = gfin_project_new();
    cr_assert_not_null(p);
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_ID, "p1"), GFIN_OK);
    pset(p, GFIN_PROJECT_TECHNOLOGY, GFIN_TECH_SOLAR);
    pset(p, GFIN_PROJECT_CAPACITY_MW, 1);
    pset(p, GFIN_PROJECT_CAPACITY_FACTOR, mwh / 8760);
    pset(p, GFIN_PROJECT_CAPEX, capex);
    pset(p, GFIN_PROJECT_OPERATING_YEARS, (double)operating_years);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 0);
    pset(p, GFIN_PROJECT_DISCOUNT_RATE, 0.1);
    pset(p, GFIN_PROJECT_START_YEAR, 2027);
    pset(p, GFIN_GRID_EF_CM, 0);
    return p;
}

static gfin_result *eval(const gfin_project *p)
{
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_project_evaluate(p, &r, &e), GFIN_OK, "evaluate: %s: %s", e.path, e.message);
    return r;
}

static double metric(const gfin_result *r, gfin_metric m)
{
    double v = NAN;
    cr_assert_eq(gfin_result_metric(r, m, &v), GFIN_OK, "metric %s", gfin_metric_name(m));
    return v;
}

static bool metric_is_null(const gfin_result *r, gfin_metric m)
{
    double v;
    return gfin_result_metric(r, m, &v) == GFIN_ENOVALUE;
}

static const double *ycol(const gfin_result *r, const char *name)
{
    const double *c = gfin_table_column_by_name(gfin_result_table(r, "years"), name);
    cr_assert_not_null(c, "column %s", name);
    return c;
}

static bool has_warning(const gfin_result *r, const char *needle)
{
    for (size_t i = 0; i < gfin_result_warning_count(r); ++i)
        if (strstr(gfin_result_warning(r, i), needle))
            return true;
    return false;
}

Test(project, years_table_has_model_columns_in_order)
{
    static const char *const want[] = {
        "year", "calendar_year", "net_mwh", "gross_mwh", "revenue_energy", "revenue_carbon", "opex", "ebitda",
        "depreciation", "interest", "taxable_income", "tax", "cfads", "debt_service", "debt_service_shortfall", "dscr",
        "capex", "drawdown", "equity_flow", "project_flow", "baseline_tco2e", "project_tco2e", "reductions_tco2e", "credited_tco2e"};
    gfin_project *p = simple(100, 1000, 3);
    gfin_result *r = eval(p);
    const gfin_table *t = gfin_result_table(r, "years");
    cr_assert_eq(gfin_table_cols(t), 24);
    cr_assert_eq(gfin_table_rows(t), 4, "1 construction + 3 operating years");
    for (size_t j = 0; j < 24; ++j)
        cr_assert_str_eq(gfin_table_col_name(t, j), want[j]);
    cr_assert_eq(ycol(r, "calendar_year")[0], 2027);
    cr_assert_eq(ycol(r, "calendar_year")[3], 2030);
    gfin_result_free(r);
    gfin_project_free(p);
}

/* A one-year-construction solar project without loans, by hand:
 *   capex 1000 in year 1; 3 operating years of 100 MWh at 5/MWh, opex 100:
 *   EBITDA 400; depreciation 1000/3 = 333.33; taxable 66.67; tax 20 % = 13.33;
 *   CFADS = project flow = 386.67.
 *   NPV at 10 % (flows at the ends of years 1..4): -34.92475468433406.
 *   IRR of (-1000, 386.67 x 3) = 0.07804674534721766 (bisection).
 *   Pre-tax IRR of (-1000, 400 x 3) = 0.09701025740327283.
 *   Payback: cumulative -226.67 after year 3, so 3 + 226.67 / 386.67 = 3.586206896551724.
 *   LCOE at 10 %: (1000/1.1 + 100 (1.1^-2 + 1.1^-3 + 1.1^-4)) / (100 (1.1^-2 + 1.1^-3 + 1.1^-4))
 *   = 5.021148036253776. */
Test(project, one_year_construction_solar_waterfall_by_hand)
{
    gfin_project *p = simple(100, 1000, 3);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 5);
    pset(p, GFIN_PROJECT_OPEX_FIXED, 100);
    pset(p, GFIN_PROJECT_DEPRECIATION_YEARS, 3);
    pset(p, GFIN_PROJECT_TAX_RATE, 0.2);
    gfin_result *r = eval(p);
    close_rel(ycol(r, "capex")[0], 1000, 1e-15, "capex in year 1");
    close_rel(ycol(r, "net_mwh")[1], 100, 1e-12, "net");
    close_rel(ycol(r, "ebitda")[1], 400, 1e-12, "ebitda");
    close_rel(ycol(r, "depreciation")[3], 1000.0 / 3, 1e-12, "depreciation");
    close_rel(ycol(r, "tax")[1], 13.333333333333337, 1e-11, "tax");
    close_rel(ycol(r, "cfads")[2], 386.6666666666667, 1e-12, "cfads");
    close_rel(ycol(r, "project_flow")[0], -1000, 1e-15, "project flow year 1");
    cr_assert(isnan(ycol(r, "dscr")[1]), "no debt service: dscr is null");
    close_rel(metric(r, GFIN_M_NPV), -34.92475468433406, 1e-10, "npv");
    close_rel(metric(r, GFIN_M_PROJECT_IRR), 0.07804674534721766, 1e-9, "project irr");
    close_rel(metric(r, GFIN_M_PROJECT_IRR_PRETAX), 0.09701025740327283, 1e-9, "pretax irr");
    close_rel(metric(r, GFIN_M_EQUITY_IRR), 0.07804674534721766, 1e-9, "no debt: equity irr = project irr");
    close_rel(metric(r, GFIN_M_PAYBACK_YEARS), 3.586206896551724, 1e-12, "payback");
    close_rel(metric(r, GFIN_M_LCOE), 5.021148036253776, 1e-12, "lcoe");
    cr_assert(metric_is_null(r, GFIN_M_MIN_DSCR) && metric_is_null(r, GFIN_M_LLCR), "no debt: null ratios");
    cr_assert_eq(metric(r, GFIN_M_TOTAL_DEBT), 0.0);
    cr_assert(metric_is_null(r, GFIN_M_POWER_DENSITY_W_M2), "solar has no power density");
    gfin_result_free(r);
    gfin_project_free(p);
}

/* Reference lcoe-dcf-flat and lcoe-dcf-degr: capex 1,000,000, O&M 15,000/yr,
 * 1,800 MWh/yr, 7 %, 25 years: 56.005842900369814 and, with 0.5 %/yr
 * degradation, 58.45132240893543. With one construction year the capex sits at
 * the end of year 1 and operations at years 2..26: numerator and denominator
 * both carry one more factor 1/1.07, so the ratio equals the reference's. */
Test(project, lcoe_matches_reference)
{
    gfin_project *p = simple(1800, 1e6, 25);
    pset(p, GFIN_PROJECT_OPEX_FIXED, 15000);
    pset(p, GFIN_PROJECT_DISCOUNT_RATE, 0.07);
    gfin_result *r = eval(p);
    close_rel(metric(r, GFIN_M_LCOE), 56.005842900369814, 1e-12, "lcoe-dcf-flat");
    gfin_result_free(r);
    pset(p, GFIN_PROJECT_DEGRADATION, 0.005);
    r = eval(p);
    close_rel(metric(r, GFIN_M_LCOE), 58.45132240893543, 1e-12, "lcoe-dcf-degr");
    gfin_result_free(r);
    gfin_project_free(p);
}

/* Tax holiday and loss carry-forward across their boundaries. EBITDA 400 a year
 * for 5 years (100 MWh x 4), capex 1000 depreciated over 2 years: taxable income
 * -100, -100, 400, 400, 400; tax rate 25 %.
 *  a) no holiday, carry 5: year 3 uses both losses (200): tax 50, then 100, 100.
 *  b) no holiday, carry 1: year 1's loss expires unused (year 2 is a loss year);
 *     year 3 uses year 2's 100: tax 75, then 100, 100.
 *  c) holiday 3 years, carry 5: years 1-3 untaxed (year 3 uses no loss); year 4
 *     uses 200: tax 50; year 5: 100.
 *  d) holiday 3, carry 2: year 4 may use losses of years 2-3 only: 100: tax 75. */
static void tax_case(double holiday, double carry, const double want[5])
{
    gfin_project *p = simple(100, 1000, 5);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 4);
    pset(p, GFIN_PROJECT_DEPRECIATION_YEARS, 2);
    pset(p, GFIN_PROJECT_TAX_RATE, 0.25);
    pset(p, GFIN_PROJECT_TAX_HOLIDAY_YEARS, holiday);
    pset(p, GFIN_PROJECT_LOSS_CARRYFORWARD_YEARS, carry);
    gfin_result *r = eval(p);
    const double *tax = ycol(r, "tax"), *ti = ycol(r, "taxable_income");
    for (size_t j = 0; j < 5; ++j)
        cr_assert(fabs(tax[1 + j] - want[j]) < 1e-9, "holiday %g carry %g year %zu: tax %.12g want %g", holiday,
                  carry, j + 1, tax[1 + j], want[j]);
    close_rel(ti[1], -100, 1e-12, "taxable income of year 1");
    gfin_result_free(r);
    gfin_project_free(p);
}

Test(project, tax_holiday_and_loss_carryforward_boundaries)
{
    tax_case(0, 5, (const double[]){0, 0, 50, 100, 100});
    tax_case(0, 1, (const double[]){0, 0, 75, 100, 100});
    tax_case(3, 5, (const double[]){0, 0, 0, 50, 100});
    tax_case(3, 2, (const double[]){0, 0, 0, 75, 100});
}

/* Interest is deductible: a bullet loan of 1000 at 10 % (annual, 5 periods)
 * makes 100 of interest a year. EBITDA 400, depreciation 200 (5 years), tax 25 %:
 * levered taxable income 100, tax 25; the unlevered tax (project_flow) is 50. */
Test(project, interest_deducted_from_levered_tax_only)
{
    gfin_project *p = simple(100, 1000, 5);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 4);
    pset(p, GFIN_PROJECT_DEPRECIATION_YEARS, 5);
    pset(p, GFIN_PROJECT_TAX_RATE, 0.25);
    gfin_loan *l = gfin_loan_new();
    lset(l, GFIN_LOAN_PRINCIPAL, 1000);
    lset(l, GFIN_LOAN_ANNUAL_RATE, 0.1);
    lset(l, GFIN_LOAN_FREQUENCY, 1);
    lset(l, GFIN_LOAN_GRACE_PERIODS, 1); /* year 1 is construction: interest only */
    lset(l, GFIN_LOAN_REPAYMENT_PERIODS, 5);
    lset(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_BULLET);
    cr_assert_eq(gfin_project_add_loan(p, l, NULL), GFIN_OK);
    gfin_result *r = eval(p);
    close_rel(ycol(r, "interest")[2], 100, 1e-12, "interest paid");
    close_rel(ycol(r, "tax")[2], 25, 1e-12, "levered tax");
    close_rel(ycol(r, "project_flow")[2], 400 - 50, 1e-12, "unlevered flow");
    close_rel(ycol(r, "dscr")[2], 375.0 / 100, 1e-12, "dscr = cfads / interest");
    close_rel(ycol(r, "debt_service")[5], 1100, 1e-12, "the bullet");
    cr_assert(has_warning(r, "dscr is below 1"), "the bullet year has dscr < 1");
    close_rel(metric(r, GFIN_M_GEARING), 1.0, 1e-15, "1000 / 1000");
    gfin_result_free(r);
    gfin_loan_free(l);
    gfin_project_free(p);
}

/* Identity (issue): sum(equity flows) + sum(debt service) = sum(CFADS) +
 * sum(drawdowns) - sum(capex), on a project with two loans of different
 * frequencies, IDC, fees and a tax. */
Test(project, cash_identity_holds)
{
    gfin_project *p = simple(5000, 4e5, 20);
    pset(p, GFIN_PROJECT_CONSTRUCTION_YEARS, 2);
    pset_arr(p, GFIN_PROJECT_CAPEX_PROFILE, (const double[]){0.6, 0.4}, 2);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 12);
    pset(p, GFIN_PROJECT_OPEX_FIXED, 5000);
    pset(p, GFIN_PROJECT_TAX_RATE, 0.2);
    pset(p, GFIN_PROJECT_TAX_HOLIDAY_YEARS, 3);
    gfin_loan *a = gfin_loan_new(), *b = gfin_loan_new();
    lset(a, GFIN_LOAN_PRINCIPAL, 2e5);
    lset(a, GFIN_LOAN_ANNUAL_RATE, 0.03);
    lset(a, GFIN_LOAN_FREQUENCY, 2);
    cr_assert_eq(gfin_loan_set_array(a, GFIN_LOAN_DRAWDOWNS, (const double[]){0.3, 0.3, 0.2, 0.2}, 4), GFIN_OK);
    lset(a, GFIN_LOAN_GRACE_PERIODS, 2);
    lset(a, GFIN_LOAN_REPAYMENT_PERIODS, 24);
    lset(a, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_LINEAR);
    lset(a, GFIN_LOAN_UPFRONT_FEE, 0.01);
    lset(a, GFIN_LOAN_COMMITMENT_FEE, 0.005);
    lset(b, GFIN_LOAN_PRINCIPAL, 1e5);
    lset(b, GFIN_LOAN_ANNUAL_RATE, 0.07);
    lset(b, GFIN_LOAN_FREQUENCY, 12);
    lset(b, GFIN_LOAN_GRACE_PERIODS, 24);
    lset(b, GFIN_LOAN_REPAYMENT_PERIODS, 120);
    cr_assert_eq(gfin_project_add_loan(p, a, NULL), GFIN_OK);
    cr_assert_eq(gfin_project_add_loan(p, b, NULL), GFIN_OK);
    gfin_result *r = eval(p);
    const gfin_table *t = gfin_result_table(r, "years");
    double lhs = 0, rhs = 0;
    for (size_t y = 0; y < gfin_table_rows(t); ++y) {
        lhs += ycol(r, "equity_flow")[y] + ycol(r, "debt_service")[y];
        rhs += ycol(r, "cfads")[y] + ycol(r, "drawdown")[y] - ycol(r, "capex")[y];
    }
    close_rel(lhs, rhs, 1e-12, "cash identity");
    /* The loans' own results come along, named by id or place. */
    cr_assert_eq(gfin_result_child_count(r), 2);
    cr_assert_str_eq(gfin_result_id(gfin_result_child(r, 0)), "loans[0]");
    /* Drawdowns land in the year they are drawn: 0.3 + 0.3 of 2e5 in year 1. */
    close_rel(ycol(r, "drawdown")[0], 1.2e5 + 1e5, 1e-12, "year 1 drawdowns");
    close_rel(metric(r, GFIN_M_TOTAL_DEBT), 3e5, 1e-15, "total debt");
    close_rel(metric(r, GFIN_M_GEARING), 0.75, 1e-15, "gearing");
    gfin_result_free(r);
    gfin_loan_free(a);
    gfin_loan_free(b);
    gfin_project_free(p);
}

/* Debt sizing, reference pf-sculpt-debt / pf-llcr-t0 in the constant-CFADS form:
 * C = 1, 10 operating years, no tax, EBITDA 1000 a year, target DSCR 1.35 at
 * 6.5 %, tenor 10: debt service 1000/1.35 each year; the balance at the first
 * operating year is its PV, 5325.059424267482; drawn at the start of year 1
 * with IDC capitalized, the commitment is 5325.059424267482 / 1.065 =
 * 5000.055797434256. Then DSCR = 1.35 in every year and LLCR = 1.35. */
Test(project, sized_debt_gives_target_dscr_and_llcr)
{
    gfin_project *p = simple(100, 10000, 10);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 10);
    pset(p, GFIN_SIZING_TARGET_DSCR, 1.35);
    pset(p, GFIN_SIZING_ANNUAL_RATE, 0.065);
    pset(p, GFIN_SIZING_TENOR_YEARS, 10);
    gfin_result *r = eval(p);
    cr_assert_eq(gfin_result_child_count(r), 1, "the sized loan is in the results");
    const gfin_result *lr = gfin_result_child(r, 0);
    cr_assert_str_eq(gfin_result_id(lr), "sized_debt");
    close_rel(metric(lr, GFIN_M_TOTAL_DRAWN), 5000.055797434256, 1e-12, "commitment");
    close_rel(metric(r, GFIN_M_TOTAL_DEBT), 5000.055797434256, 1e-12, "total debt");
    const double *dscr = ycol(r, "dscr");
    for (size_t y = 1; y <= 10; ++y)
        close_rel(dscr[y], 1.35, 1e-10, "dscr");
    close_rel(metric(r, GFIN_M_MIN_DSCR), 1.35, 1e-10, "min dscr");
    close_rel(metric(r, GFIN_M_AVG_DSCR), 1.35, 1e-10, "avg dscr");
    close_rel(metric(r, GFIN_M_LLCR), 1.35, 1e-10, "llcr");
    const gfin_table *s = gfin_result_table(lr, "schedule");
    close_rel(gfin_table_column_by_name(s, "closing_balance")[0], 5325.059424267482, 1e-12, "balance at C");
    gfin_result_free(r);
    gfin_project_free(p);
}

/* Capped at max_gearing 0.4 x capex 10000 = 4000: debt service scaled by
 * 4000 / 5000.055797434256, so DSCR = 1.35 x 5000.055797434256 / 4000 =
 * 1.6875188316340617 in every year. */
Test(project, capped_sizing_scales_debt_service)
{
    gfin_project *p = simple(100, 10000, 10);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 10);
    pset(p, GFIN_SIZING_TARGET_DSCR, 1.35);
    pset(p, GFIN_SIZING_ANNUAL_RATE, 0.065);
    pset(p, GFIN_SIZING_TENOR_YEARS, 10);
    pset(p, GFIN_SIZING_MAX_GEARING, 0.4);
    gfin_result *r = eval(p);
    close_rel(metric(r, GFIN_M_TOTAL_DEBT), 4000, 1e-12, "capped commitment");
    for (size_t y = 1; y <= 10; ++y)
        close_rel(ycol(r, "dscr")[y], 1.6875188316340617, 1e-10, "dscr");
    gfin_result_free(r);
    gfin_project_free(p);
}

/* Sizing on P90: sigma 0.1 scales energy by 1 - 1.2816 x 0.1 = 0.87184, so the
 * EBITDA of the sizing case is 871.84 and the commitment 0.87184 x the P50 one. */
Test(project, p90_sizing_scales_energy)
{
    gfin_project *p = simple(100, 10000, 10);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 10);
    pset(p, GFIN_PROJECT_YIELD_UNCERTAINTY, 0.1);
    pset(p, GFIN_SIZING_TARGET_DSCR, 1.35);
    pset(p, GFIN_SIZING_ANNUAL_RATE, 0.065);
    pset(p, GFIN_SIZING_TENOR_YEARS, 10);
    pset(p, GFIN_SIZING_CASE, GFIN_CASE_P90);
    gfin_result *r = eval(p);
    close_rel(metric(r, GFIN_M_TOTAL_DEBT), 0.87184 * 5000.055797434256, 1e-12, "P90 commitment");
    close_rel(ycol(r, "dscr")[1], 1.35 / 0.87184, 1e-10, "P50 cash over P90-sized debt");
    gfin_result_free(r);
    gfin_project_free(p);
}

/* Energy and carbon columns (issue 4), by hand: solar 10 MWp x 1500 kWh/kWp x
 * availability 0.98 x (1 - 0.03 losses) = 14259 MWh gross, x (1 - 0.01) own use =
 * 14116.41 net; degradation 0.5 %/yr: year 2 x 0.995. Grid: OM 0.9, BM 0.5:
 * solar weights 0.75/0.25 -> EF_CM 0.8; baseline = net x 0.8; -1 %/yr change:
 * year 2 factor 0.8 x 0.99. */
Test(project, solar_energy_and_baseline_by_hand)
{
    gfin_project *p = simple(100, 1e6, 25);
    pset(p, GFIN_PROJECT_CAPACITY_MW, 10);
    cr_assert_eq(gfin_project_unset(p, GFIN_PROJECT_CAPACITY_FACTOR), GFIN_OK);
    pset(p, GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP, 1500);
    pset(p, GFIN_PROJECT_AVAILABILITY, 0.98);
    pset(p, GFIN_PROJECT_LOSSES, 0.03);
    pset(p, GFIN_PROJECT_OWN_USE, 0.01);
    pset(p, GFIN_PROJECT_DEGRADATION, 0.005);
    cr_assert_eq(gfin_project_unset(p, GFIN_GRID_EF_CM), GFIN_OK);
    pset(p, GFIN_GRID_EF_OM, 0.9);
    pset(p, GFIN_GRID_EF_BM, 0.5);
    pset(p, GFIN_GRID_EF_CHANGE_PER_YEAR, -0.01);
    gfin_result *r = eval(p);
    close_rel(ycol(r, "gross_mwh")[1], 14259, 1e-12, "gross");
    close_rel(ycol(r, "net_mwh")[1], 14116.41, 1e-12, "net");
    close_rel(ycol(r, "net_mwh")[2], 14116.41 * 0.995, 1e-12, "degraded");
    close_rel(ycol(r, "baseline_tco2e")[1], 14116.41 * 0.8, 1e-12, "baseline");
    close_rel(ycol(r, "baseline_tco2e")[2], 14116.41 * 0.995 * 0.8 * 0.99, 1e-12, "factor declines");
    close_rel(ycol(r, "reductions_tco2e")[1], 14116.41 * 0.8, 1e-12, "solar: no project emissions");
    cr_assert_eq(ycol(r, "net_mwh")[0], 0.0, "construction year");
    close_rel(metric(r, GFIN_M_FIRST_YEAR_NET_MWH), 14116.41, 1e-12, "first-year net");
    gfin_result_free(r);
    gfin_project_free(p);
}

/* Hydro weights follow operating years 1-7 / 8+, and credits stop after 21
 * renewable years (issue 4 boundaries). Hydro 1 MW at CF 100/8760 (100 MWh),
 * OM 0.9, BM 0.3: EF_CM 0.6 in years 1-7, 0.25 x 0.9 + 0.75 x 0.3 = 0.45 from 8. */
Test(project, hydro_weights_and_crediting_boundaries)
{
    gfin_project *p = simple(100, 1e6, 25);
    pset(p, GFIN_PROJECT_TECHNOLOGY, GFIN_TECH_HYDRO);
    cr_assert_eq(gfin_project_unset(p, GFIN_GRID_EF_CM), GFIN_OK);
    pset(p, GFIN_GRID_EF_OM, 0.9);
    pset(p, GFIN_GRID_EF_BM, 0.3);
    gfin_result *r = eval(p);
    const double *base = ycol(r, "baseline_tco2e"), *cred = ycol(r, "credited_tco2e"),
                 *red = ycol(r, "reductions_tco2e");
    close_rel(base[7], 60, 1e-12, "operating year 7: first-period weights");
    close_rel(base[8], 45, 1e-12, "operating year 8: later weights");
    close_rel(cred[21], 45, 1e-12, "operating year 21 credited");
    cr_assert_eq(cred[22], 0.0, "operating year 22 not credited");
    close_rel(red[22], 45, 1e-12, "but its reductions are reported");
    gfin_result_free(r);
    pset(p, GFIN_PROJECT_CREDITING, GFIN_CREDITING_FIXED);
    r = eval(p);
    close_rel(ycol(r, "baseline_tco2e")[8], 60, 1e-12, "fixed keeps first-period weights");
    close_rel(ycol(r, "credited_tco2e")[10], 60, 1e-12, "fixed: year 10 credited");
    cr_assert_eq(ycol(r, "credited_tco2e")[11], 0.0, "fixed: year 11 not credited");
    gfin_result_free(r);
    gfin_project_free(p);
}

/* Carbon revenue: credited tonnes x price escalating from the first operating
 * year: 60 t x 10 in year 1, 60 x 10 x 1.02 in year 2. */
Test(project, carbon_revenue_from_credited_tonnes)
{
    gfin_project *p = simple(100, 1e6, 5);
    pset(p, GFIN_GRID_EF_CM, 0.6);
    pset(p, GFIN_PROJECT_CARBON_PRICE_PER_TCO2E, 10);
    pset(p, GFIN_PROJECT_CARBON_PRICE_ESCALATION, 0.02);
    gfin_result *r = eval(p);
    close_rel(ycol(r, "revenue_carbon")[1], 600, 1e-12, "year 1");
    close_rel(ycol(r, "revenue_carbon")[2], 612, 1e-12, "year 2");
    gfin_result_free(r);
    gfin_project_free(p);
}

/* Reservoir power density (carbon_vectors hydro-pd-*): 246 MW on 29.49 km2 is
 * 8.3418 W/m2: 0.090 t/MWh of gross generation; on 70 km2 it is 3.51 W/m2:
 * ACM0002 does not apply, no reductions, a warning. */
Test(project, reservoir_power_density_bands)
{
    gfin_project *p = simple(100, 1e6, 5);
    pset(p, GFIN_PROJECT_TECHNOLOGY, GFIN_TECH_HYDRO);
    pset(p, GFIN_PROJECT_CAPACITY_MW, 246);
    pset(p, GFIN_PROJECT_CAPACITY_FACTOR, 0.5);
    pset(p, GFIN_GRID_EF_CM, 0.6);
    pset(p, GFIN_PROJECT_RESERVOIR_AREA_KM2, 29.49);
    gfin_result *r = eval(p);
    close_rel(metric(r, GFIN_M_POWER_DENSITY_W_M2), 8.341810783316378, 1e-9, "hydro-pd-mid");
    const double gross = 246 * 8760 * 0.5;
    close_rel(ycol(r, "project_tco2e")[1], 0.09 * gross, 1e-12, "reservoir emissions");
    close_rel(ycol(r, "reductions_tco2e")[1], 0.6 * gross - 0.09 * gross, 1e-12, "reductions");
    gfin_result_free(r);
    pset(p, GFIN_PROJECT_RESERVOIR_AREA_KM2, 70);
    r = eval(p);
    cr_assert(has_warning(r, "ACM0002 does not apply"), "warning says why");
    cr_assert_eq(ycol(r, "reductions_tco2e")[1], 0.0);
    close_rel(ycol(r, "baseline_tco2e")[1], 0.6 * gross, 1e-12, "baseline still reported");
    cr_assert_eq(metric(r, GFIN_M_LIFETIME_REDUCTIONS_TCO2E), 0.0);
    gfin_result_free(r);
    gfin_project_free(p);
}

/* Escalations compound from the first operating year: tariff 10 x 1.03^(j-1),
 * variable opex 2/MWh x 1.05^(j-1). */
Test(project, escalations_compound_from_first_operating_year)
{
    gfin_project *p = simple(100, 1000, 3);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 10);
    pset(p, GFIN_PROJECT_TARIFF_ESCALATION, 0.03);
    pset(p, GFIN_PROJECT_OPEX_VARIABLE_PER_MWH, 2);
    pset(p, GFIN_PROJECT_OPEX_ESCALATION, 0.05);
    gfin_result *r = eval(p);
    close_rel(ycol(r, "revenue_energy")[1], 1000, 1e-12, "year 1");
    close_rel(ycol(r, "revenue_energy")[3], 1000 * 1.03 * 1.03, 1e-12, "year 3");
    close_rel(ycol(r, "opex")[3], 200 * 1.05 * 1.05, 1e-12, "opex year 3");
    gfin_result_free(r);
    gfin_project_free(p);
}

/* A project that never earns back its capex: no payback, no IRR, warnings. */
Test(project, no_irr_and_no_payback_are_null_with_warning)
{
    gfin_project *p = simple(100, 1000, 3);
    gfin_result *r = eval(p); /* tariff 0: all flows after capex are 0 */
    cr_assert(metric_is_null(r, GFIN_M_PROJECT_IRR));
    cr_assert(metric_is_null(r, GFIN_M_PAYBACK_YEARS));
    cr_assert(has_warning(r, "project_irr"));
    gfin_result_free(r);
    gfin_project_free(p);
}

/* ---- refused inputs ---- */

static void expect_refused(const gfin_project *p, const char *path, const char *needle)
{
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_project_evaluate(p, &r, &e), GFIN_EINVAL, "expected refusal at %s", path);
    cr_assert_null(r);
    cr_assert_str_eq(e.path, path);
    cr_assert_not_null(strstr(e.message, needle), "message '%s' lacks '%s'", e.message, needle);
}

Test(project, inconsistent_inputs_refused_with_path)
{
    gfin_project *p = simple(100, 1000, 3);
    pset(p, GFIN_PROJECT_CONSTRUCTION_YEARS, 2);
    pset_arr(p, GFIN_PROJECT_CAPEX_PROFILE, (const double[]){1.0}, 1);
    expect_refused(p, "capex_profile", "must match");
    pset_arr(p, GFIN_PROJECT_CAPEX_PROFILE, (const double[]){0.5, 0.4}, 2);
    expect_refused(p, "capex_profile", "not 1");
    gfin_project_free(p);

    p = simple(100, 1000, 3);
    cr_assert_eq(gfin_project_unset(p, GFIN_PROJECT_DISCOUNT_RATE), GFIN_OK);
    expect_refused(p, "discount_rate", "required");
    gfin_project_free(p);

    /* No grid: refused only when credits are sold (issue 12 item 8). */
    p = simple(100, 1000, 3);
    cr_assert_eq(gfin_project_unset(p, GFIN_GRID_EF_CM), GFIN_OK);
    pset(p, GFIN_PROJECT_CARBON_PRICE_PER_TCO2E, 5);
    expect_refused(p, "grid", "required when carbon_price_per_tco2e is above 0");
    gfin_project_free(p);

    p = simple(100, 1000, 3);
    pset(p, GFIN_SIZING_TARGET_DSCR, 1.3);
    expect_refused(p, "debt_sizing.tenor_years", "required");
    pset(p, GFIN_SIZING_TENOR_YEARS, 4);
    pset(p, GFIN_SIZING_ANNUAL_RATE, 0.05);
    expect_refused(p, "debt_sizing.tenor_years", "longer than the 3 operating years");
    gfin_project_free(p);
}

Test(project, loan_outliving_project_refused)
{
    gfin_project *p = simple(100, 1000, 3); /* 4 years in all */
    gfin_loan *l = gfin_loan_new();
    lset(l, GFIN_LOAN_PRINCIPAL, 500);
    lset(l, GFIN_LOAN_ANNUAL_RATE, 0.05);
    lset(l, GFIN_LOAN_FREQUENCY, 4);
    lset(l, GFIN_LOAN_REPAYMENT_PERIODS, 17); /* 4.25 years */
    cr_assert_eq(gfin_project_add_loan(p, l, NULL), GFIN_OK);
    expect_refused(p, "loans[0]", "beyond the project's 4 years");
    gfin_loan_free(l);
    gfin_project_free(p);
}

Test(project, invalid_loan_reported_with_its_path)
{
    gfin_project *p = simple(100, 1000, 3);
    gfin_loan *l = gfin_loan_new();
    lset(l, GFIN_LOAN_PRINCIPAL, 500);
    lset(l, GFIN_LOAN_REPAYMENT_PERIODS, 2);
    cr_assert_eq(gfin_project_add_loan(p, l, NULL), GFIN_OK);
    expect_refused(p, "loans[0].annual_rate", "required");
    gfin_loan_free(l);
    gfin_project_free(p);
}

Test(project, duplicate_loan_ids_refused)
{
    gfin_project *p = simple(100, 1000, 3);
    gfin_loan *l = gfin_loan_new();
    lset(l, GFIN_LOAN_PRINCIPAL, 100);
    lset(l, GFIN_LOAN_ANNUAL_RATE, 0.05);
    lset(l, GFIN_LOAN_FREQUENCY, 1);
    lset(l, GFIN_LOAN_REPAYMENT_PERIODS, 2);
    cr_assert_eq(gfin_loan_set_string(l, GFIN_LOAN_ID, "senior"), GFIN_OK);
    cr_assert_eq(gfin_project_add_loan(p, l, NULL), GFIN_OK);
    cr_assert_eq(gfin_project_add_loan(p, l, NULL), GFIN_OK);
    expect_refused(p, "loans[1]", "duplicate loan id");
    gfin_loan_free(l);
    gfin_project_free(p);
}

Test(project, string_and_array_getters)
{
    gfin_project *p = simple(100, 1000, 3);
    cr_assert_str_eq(gfin_project_get_string(p, GFIN_PROJECT_ID), "p1");
    cr_assert_str_eq(gfin_project_get_string(p, GFIN_SIZING_ID), "sized_debt", "registry default");
    cr_assert_null(gfin_project_get_string(p, GFIN_PROJECT_CAPEX), "not a string key");
    const double *v;
    size_t n = 9;
    cr_assert_eq(gfin_project_get_array(p, GFIN_PROJECT_CAPEX_PROFILE, &v, &n), GFIN_OK);
    cr_assert_eq(n, 0);
    double x;
    cr_assert_eq(gfin_project_get(p, GFIN_GRID_EF_CM, &x), GFIN_OK);
    cr_assert_eq(x, 0.0);
    gfin_project_free(p);
}

/* ---- issue 12 items 6 and 8 ---- */

/* A loan half drawn after construction (shared/repro drawdown_after_cod.json
 * in small). Hand derivation: 1 year of construction, 4 operating years of
 * CFADS 1000 MWh x 100 = 100,000 (no opex, no tax). Loan 100,000 at 10 %,
 * annual, drawdowns [0.5, 0.5], interest capitalized, 3 annuity repayments:
 *   period 1 (year 1, t = 0): draws 50,000, interest 5,000 capitalized -> 55,000
 *   period 2 (year 2, t = 1): draws 50,000, interest 10,500 capitalized
 *   periods 3-5 (years 3-5): debt service, so K = 4 operating years.
 * Numerator: 100,000 x sum_{k=1..4} 1.1^-k = 100,000 x (1 - 1.1^-4) / 0.1
 *          = 316,986.5446...
 * Denominator: the balance at the end of year 1, 55,000, plus the later
 * drawdown 50,000 discounted from t = 1 to the end of year 1: 50,000 / 1.1^0.
 * LLCR = 316,986.5446 / 105,000 = 3.018919...; counting only the balance
 * gave 5.7634. */
Test(project, llcr_counts_drawdowns_after_construction_with_a_warning)
{
    gfin_project *p = simple(1000, 1000, 4);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 100);
    gfin_loan *l = gfin_loan_new();
    cr_assert_eq(gfin_loan_set_string(l, GFIN_LOAN_ID, "L"), GFIN_OK);
    lset(l, GFIN_LOAN_PRINCIPAL, 100000);
    lset(l, GFIN_LOAN_ANNUAL_RATE, 0.1);
    lset(l, GFIN_LOAN_FREQUENCY, 1);
    cr_assert_eq(gfin_loan_set_array(l, GFIN_LOAN_DRAWDOWNS, (const double[]){0.5, 0.5}, 2), GFIN_OK);
    lset(l, GFIN_LOAN_REPAYMENT_PERIODS, 3);
    cr_assert_eq(gfin_project_add_loan(p, l, NULL), GFIN_OK);
    gfin_result *r = eval(p);
    const double numerator = 100000 * (1 - pow(1.1, -4)) / 0.1;
    close_rel(metric(r, GFIN_M_LLCR), numerator / 105000, 1e-12, "llcr");
    cr_assert(has_warning(r, "loan \"L\" of project \"p1\": 50000 of the 100000 drawn (50 %) is drawn after "
                             "construction, from period 2 (2028) on"));
    gfin_result_free(r);

    /* Drawn within construction: no warning. */
    gfin_project *q = simple(1000, 1000, 4);
    pset(q, GFIN_PROJECT_TARIFF_PER_MWH, 100);
    pset(q, GFIN_PROJECT_CONSTRUCTION_YEARS, 2);
    gfin_loan_free(l);
    l = gfin_loan_copy(gfin_project_loan(p, 0));
    cr_assert_eq(gfin_project_add_loan(q, l, NULL), GFIN_OK);
    r = eval(q);
    cr_assert_not(has_warning(r, "after construction"));
    gfin_result_free(r);
    gfin_project_free(q);
    gfin_loan_free(l);
    gfin_project_free(p);
}

/* A dated loan starts in the project's first year: its period 1 is the
 * project's year 1 (shared/repro F8: 2090 on a 2027 project). */
Test(project, dated_loan_outside_the_first_year_refused_with_path)
{
    gfin_project *p = simple(1000, 1000, 4); /* start_year 2027 */
    gfin_loan *l = gfin_loan_new();
    lset(l, GFIN_LOAN_PRINCIPAL, 500);
    lset(l, GFIN_LOAN_ANNUAL_RATE, 0.05);
    lset(l, GFIN_LOAN_REPAYMENT_PERIODS, 12);
    gfin_date d;
    cr_assert_eq(gfin_date_from_ymd(2090, 6, 30, &d), GFIN_OK);
    lset(l, GFIN_LOAN_START_DATE, d);
    cr_assert_eq(gfin_project_add_loan(p, l, NULL), GFIN_OK);
    expect_refused(p, "loans[0].start_date",
                   "2090-06-30 is outside the project's first year 2027: a loan's period 1 starts with the "
                   "project's year 1 (2027-01-01 .. 2027-12-31)");
    gfin_error e = {0};
    cr_assert_eq(gfin_project_validate(p, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "loans[0].start_date");
    gfin_project_free(p);

    static const int ok[][3] = {{2027, 1, 1}, {2027, 12, 31}}, bad[][3] = {{2026, 12, 31}, {2028, 1, 1}};
    for (size_t i = 0; i < 2; ++i) {
        p = simple(1000, 1000, 4);
        cr_assert_eq(gfin_date_from_ymd(ok[i][0], ok[i][1], ok[i][2], &d), GFIN_OK);
        lset(l, GFIN_LOAN_START_DATE, d);
        cr_assert_eq(gfin_project_add_loan(p, l, NULL), GFIN_OK);
        gfin_result_free(eval(p));
        gfin_project_free(p);
        p = simple(1000, 1000, 4);
        cr_assert_eq(gfin_date_from_ymd(bad[i][0], bad[i][1], bad[i][2], &d), GFIN_OK);
        lset(l, GFIN_LOAN_START_DATE, d);
        cr_assert_eq(gfin_project_add_loan(p, l, NULL), GFIN_OK);
        expect_refused(p, "loans[0].start_date", "outside the project's first year 2027");
        gfin_project_free(p);
    }
    gfin_loan_free(l);
}

/* A finance-only screen: no grid. The carbon columns and metrics are null
 * (NaN / GFIN_ENOVALUE) with a warning; the finance is unchanged. Hand
 * derivation of the NPV: capex 1000 in year 1, 100,000 a year in years 2-4,
 * at 10 % from the end of each year: -1000/1.1 + 100,000 (1.1^-2 + 1.1^-3 +
 * 1.1^-4) = 225,168.36... */
Test(project, no_grid_gives_null_carbon_figures_with_a_warning)
{
    gfin_project *p = simple(1000, 1000, 3);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 100);
    cr_assert_eq(gfin_project_unset(p, GFIN_GRID_EF_CM), GFIN_OK);
    gfin_error e = {0};
    cr_assert_eq(gfin_project_validate(p, &e), GFIN_OK, "%s: %s", e.path, e.message);
    gfin_result *r = eval(p);
    static const char *const carbon[] = {"baseline_tco2e", "project_tco2e", "reductions_tco2e", "credited_tco2e"};
    for (size_t i = 0; i < 4; ++i)
        for (size_t y = 0; y < 4; ++y)
            cr_assert(isnan(ycol(r, carbon[i])[y]), "%s[%zu]", carbon[i], y);
    for (size_t y = 0; y < 4; ++y)
        cr_assert_eq(ycol(r, "revenue_carbon")[y], 0);
    cr_assert(metric_is_null(r, GFIN_M_LIFETIME_REDUCTIONS_TCO2E));
    cr_assert(metric_is_null(r, GFIN_M_FIRST_YEAR_REDUCTIONS_TCO2E));
    cr_assert(has_warning(r, "grid: no emission factors"));
    close_rel(metric(r, GFIN_M_NPV), -1000 / 1.1 + 100000 * (pow(1.1, -2) + pow(1.1, -3) + pow(1.1, -4)), 1e-12,
              "npv");
    /* Its JSON has nulls there. */
    char *json = NULL;
    cr_assert_eq(gfin_result_to_json(r, &json, NULL, NULL), GFIN_OK);
    cr_assert_not_null(strstr(json, "\"lifetime_reductions_tco2e\":null"));
    cr_assert_not_null(strstr(json, "\"reductions_tco2e\":[null,null,null,null]"));
    gfin_free(json);
    gfin_result_free(r);
    /* A carbon price without crediting sells nothing: still no grid needed. */
    pset(p, GFIN_PROJECT_CARBON_PRICE_PER_TCO2E, 5);
    pset(p, GFIN_PROJECT_CREDITING, GFIN_CREDITING_NONE);
    gfin_result_free(eval(p));
    gfin_project_free(p);
}
