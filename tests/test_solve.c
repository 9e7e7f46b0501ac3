/* test_solve.c -- goal seek (gfin_solve_*): roots against closed forms derived
 * by hand in the comments, the value found evaluated back through the model,
 * and the errors. */
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

static void lset(gfin_loan *l, gfin_key k, double v)
{
    cr_assert_eq(gfin_loan_set(l, k, v), GFIN_OK, "set %s: %s", gfin_key_name(k), gfin_loan_last_error(l)->message);
}

static double metric(const gfin_result *r, gfin_metric m)
{
    double v = NAN;
    cr_assert_eq(gfin_result_metric(r, m, &v), GFIN_OK, "metric %s", gfin_metric_name(m));
    return v;
}

/* Energy E = 10 MW x 8760 h x cf = 30,000 MWh a year, no tax (tax_rate 0 by
 * default), no carbon revenue (carbon price 0), no debt; two construction
 * years spending 40 % and 60 % of capex K = 45,000,000; 20 operating years;
 * tariff escalating g = 2 %/year; opex (F + v E) = (900,000 + 3 x 30,000)
 * escalating e = 2.5 %/year; discount rate d = 8 %. */
#define E_MWH 30000.0
#define K_CAPEX 45e6
#define OPEX_F 900000.0
#define OPEX_V 3.0
#define G_TARIFF 0.02
#define E_OPEX 0.025
#define D_RATE 0.08
#define C_YEARS 2
#define O_YEARS 20

static gfin_project *plain_project(const char *id)
{
    gfin_project *p = gfin_project_new();
    cr_assert_not_null(p);
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_ID, id), GFIN_OK);
    pset(p, GFIN_PROJECT_TECHNOLOGY, GFIN_TECH_SOLAR);
    pset(p, GFIN_PROJECT_CAPACITY_MW, 10);
    pset(p, GFIN_PROJECT_CAPACITY_FACTOR, E_MWH / (10 * 8760.0));
    pset(p, GFIN_PROJECT_CAPEX, K_CAPEX);
    pset(p, GFIN_PROJECT_CONSTRUCTION_YEARS, C_YEARS);
    const double profile[] = {0.4, 0.6};
    cr_assert_eq(gfin_project_set_array(p, GFIN_PROJECT_CAPEX_PROFILE, profile, 2), GFIN_OK);
    pset(p, GFIN_PROJECT_OPERATING_YEARS, O_YEARS);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 50);
    pset(p, GFIN_PROJECT_TARIFF_ESCALATION, G_TARIFF);
    pset(p, GFIN_PROJECT_OPEX_FIXED, OPEX_F);
    pset(p, GFIN_PROJECT_OPEX_VARIABLE_PER_MWH, OPEX_V);
    pset(p, GFIN_PROJECT_OPEX_ESCALATION, E_OPEX);
    pset(p, GFIN_PROJECT_DISCOUNT_RATE, D_RATE);
    pset(p, GFIN_PROJECT_START_YEAR, 2027);
    pset(p, GFIN_GRID_EF_CM, 0.6);
    return p;
}

/* sum over j = 1..O of q^(j-1) / (1+d)^(C+j): a geometric series of ratio
 * q / (1+d), first term 1 / (1+d)^(C+1):
 *   = (1+d)^-(C+1) x (1 - (q/(1+d))^O) / (1 - q/(1+d)). */
static double growing_annuity(double q)
{
    double x = q / (1 + D_RATE);
    return pow(1 + D_RATE, -(C_YEARS + 1)) * (1 - pow(x, O_YEARS)) / (1 - x);
}

/* Breakeven tariff, by hand. docs/model.md 6.1-6.2: without tax or debt,
 * project_flow = -capex in construction years and ebitda = revenue - opex in
 * operating year j (year C + j), and npv = sum_y flow_y / (1+d)^y. So
 *   NPV(T) = -K (0.4/(1+d) + 0.6/(1+d)^2)
 *            + T E sum_j (1+g)^(j-1)/(1+d)^(C+j) - (F + vE) sum_j (1+e)^(j-1)/(1+d)^(C+j),
 * linear in T, zero at
 *   T* = [K (0.4/(1+d) + 0.6/(1+d)^2) + (F + vE) S(1+e)] / (E S(1+g)),
 * S(q) the growing annuity factor above. */
static double breakeven_tariff(void)
{
    double pv_capex = K_CAPEX * (0.4 / (1 + D_RATE) + 0.6 / pow(1 + D_RATE, 2));
    double pv_opex = (OPEX_F + OPEX_V * E_MWH) * growing_annuity(1 + E_OPEX);
    return (pv_capex + pv_opex) / (E_MWH * growing_annuity(1 + G_TARIFF));
}

Test(solve, breakeven_tariff_equals_closed_form)
{
    gfin_project *p = plain_project("solar");
    gfin_solve *s = gfin_solve_new(GFIN_PROJECT_TARIFF_PER_MWH, GFIN_M_NPV, 0.0);
    cr_assert_not_null(s);
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_solve_project(s, p, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    double value, reached;
    int iterations, evaluations;
    cr_assert_eq(gfin_solve_outcome(s, &value, &reached, &iterations, &evaluations), GFIN_OK);
    close_rel(value, breakeven_tariff(), 1e-12, "tariff");
    /* NPV is about 4e5 per $/MWh here: 1e-12 relative on T is ~2e-5 of NPV. */
    cr_assert(fabs(reached) < 1e-3, "npv at the root %.17g", reached);
    cr_assert(fabs(metric(r, GFIN_M_NPV) - reached) == 0.0);
    cr_assert(iterations >= 1 && evaluations > iterations);
    /* The input is unchanged. */
    double t;
    cr_assert_eq(gfin_project_get(p, GFIN_PROJECT_TARIFF_PER_MWH, &t), GFIN_OK);
    cr_assert_eq(t, 50.0);
    gfin_result_free(r);
    gfin_solve_free(s);
    gfin_project_free(p);
}

/* One loan, annual, drawn at the start of year 1 (construction: C = 1 here),
 * one interest-only grace period, then a 10-year annuity at 6 %. With no tax
 * and a flat tariff, CFADS_j = T E - F (1+e)^(j-1) falls every year, and the
 * annuity's debt service P a, a = r / (1 - (1+r)^-10), is level: min DSCR is
 * in repayment year 10, CFADS_10 / (P a) = 1.3 at
 *   P = CFADS_10 / (1.3 a). */
static gfin_project *levered_project(double principal)
{
    gfin_project *p = plain_project("hydro");
    pset(p, GFIN_PROJECT_CONSTRUCTION_YEARS, 1);
    cr_assert_eq(gfin_project_unset(p, GFIN_PROJECT_CAPEX_PROFILE), GFIN_OK);
    pset(p, GFIN_PROJECT_TARIFF_ESCALATION, 0);
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 80);
    pset(p, GFIN_PROJECT_OPEX_VARIABLE_PER_MWH, 0);
    gfin_loan *l = gfin_loan_new();
    cr_assert_not_null(l);
    cr_assert_eq(gfin_loan_set_string(l, GFIN_LOAN_ID, "senior"), GFIN_OK);
    lset(l, GFIN_LOAN_PRINCIPAL, principal);
    lset(l, GFIN_LOAN_ANNUAL_RATE, 0.06);
    lset(l, GFIN_LOAN_FREQUENCY, 1);
    lset(l, GFIN_LOAN_GRACE_PERIODS, 1);
    lset(l, GFIN_LOAN_REPAYMENT_PERIODS, 10);
    gfin_error e = {0};
    cr_assert_eq(gfin_project_add_loan(p, l, &e), GFIN_OK, "%s", e.message);
    gfin_loan_free(l);
    return p;
}

Test(solve, principal_for_min_dscr_evaluates_back)
{
    gfin_project *p = levered_project(20e6);
    gfin_solve *s = gfin_solve_new(GFIN_LOAN_PRINCIPAL, GFIN_M_MIN_DSCR, 1.3);
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_solve_project(s, p, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    double principal;
    cr_assert_eq(gfin_solve_outcome(s, &principal, NULL, NULL, NULL), GFIN_OK);
    double cfads10 = 80 * E_MWH - OPEX_F * pow(1 + E_OPEX, 9);
    double a = 0.06 / (1 - pow(1.06, -10));
    close_rel(principal, cfads10 / (1.3 * a), 1e-10, "principal");
    gfin_result_free(r);

    /* Evaluated back: the same project built with that principal. */
    gfin_project *back = levered_project(principal);
    cr_assert_eq(gfin_project_evaluate(back, &r, &e), GFIN_OK, "%s", e.message);
    cr_assert(fabs(metric(r, GFIN_M_MIN_DSCR) - 1.3) <= 1e-9, "min_dscr %.17g", metric(r, GFIN_M_MIN_DSCR));
    gfin_result_free(r);
    gfin_project_free(back);
    gfin_solve_free(s);
    gfin_project_free(p);
}

/* Two projects in a portfolio: the second one's tariff, its npv. The
 * portfolio inherits discount rate and start year; the closed form is the
 * same as above. The metric is not a portfolio metric, so the scope defaults
 * to the varied project. */
static const char PORTFOLIO[] =
    "{\"format\": \"greenfin/1\", \"name\": \"two\", \"start_year\": 2027, \"discount_rate\": 0.08,"
    " \"grid\": {\"ef_cm\": 0.6},"
    " \"projects\": ["
    "  {\"id\": \"a\", \"technology\": \"hydro\", \"capacity_mw\": 5, \"capacity_factor\": 0.5, \"capex\": 9e6,"
    "   \"tariff_per_mwh\": 70},"
    "  {\"id\": \"b\", \"technology\": \"solar\", \"capacity_mw\": 10, \"capacity_factor\": 0.3424657534246575,"
    "   \"capex\": 45e6, \"construction_years\": 2, \"capex_profile\": [0.4, 0.6], \"operating_years\": 20,"
    "   \"tariff_per_mwh\": 50, \"tariff_escalation\": 0.02, \"opex_fixed\": 900000,"
    "   \"opex_variable_per_mwh\": 3, \"opex_escalation\": 0.025}]}";

static gfin_portfolio *portfolio(void)
{
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(PORTFOLIO, strlen(PORTFOLIO), &e);
    cr_assert_not_null(pf, "%s: %s", e.path, e.message);
    return pf;
}

Test(solve, portfolio_project_key_scoped_to_that_project)
{
    gfin_portfolio *pf = portfolio();
    gfin_solve *s = gfin_solve_new(GFIN_PROJECT_TARIFF_PER_MWH, GFIN_M_NPV, 0.0);
    gfin_error e = {0};
    cr_assert_eq(gfin_solve_set_where(s, "b", NULL, &e), GFIN_OK);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_solve_portfolio(s, pf, 1, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    double value;
    cr_assert_eq(gfin_solve_outcome(s, &value, NULL, NULL, NULL), GFIN_OK);
    /* capacity_factor 0.3424657534246575 x 10 x 8760 = 30,000 MWh (to 1e-12). */
    close_rel(value, breakeven_tariff(), 1e-9, "tariff of b");
    cr_assert_eq(gfin_result_kind_of(r), GFIN_RESULT_PORTFOLIO);
    cr_assert(fabs(metric(gfin_result_child(r, 1), GFIN_M_NPV)) < 1e-3);
    gfin_result_free(r);

    /* An explicit scope that is another project: a's npv does not move with b's tariff. */
    cr_assert_eq(gfin_solve_set_scope(s, "a", &e), GFIN_OK);
    cr_assert_eq(gfin_solve_portfolio(s, pf, 1, &r, &e), GFIN_ENOCONV);
    cr_assert_str_eq(e.path, "npv");
    cr_assert(strstr(e.message, "does not respond to tariff_per_mwh"), "%s", e.message);
    cr_assert_eq(gfin_solve_outcome(s, NULL, NULL, NULL, NULL), GFIN_ENOVALUE);
    gfin_solve_free(s);
    gfin_portfolio_free(pf);
}

Test(solve, no_root_in_bounds_states_the_range)
{
    gfin_project *p = plain_project("solar");
    /* capacity_factor is bounded by (0, 1]: NPV at cf = 1 is far below 1e12. */
    gfin_solve *s = gfin_solve_new(GFIN_PROJECT_CAPACITY_FACTOR, GFIN_M_NPV, 1e12);
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_solve_project(s, p, &r, &e), GFIN_ENOCONV);
    cr_assert_null(r);
    cr_assert_str_eq(e.path, "npv");
    cr_assert(strstr(e.message, "ranges over [") && strstr(e.message, "never reaches the target") &&
                  strstr(e.message, "capacity_factor from ") && strstr(e.message, "(its bounds (0, 1])"),
              "%s", e.message);
    gfin_solve_free(s);

    /* The grid factor moves reductions, not npv, when carbon has no price. */
    s = gfin_solve_new(GFIN_GRID_EF_CM, GFIN_M_NPV, 0);
    cr_assert_eq(gfin_solve_project(s, p, &r, &e), GFIN_ENOCONV);
    cr_assert(strstr(e.message, "does not respond to ef_cm"), "%s", e.message);
    gfin_solve_free(s);
    gfin_project_free(p);
}

Test(solve, refuses_what_it_cannot_vary)
{
    gfin_project *p = plain_project("solar");
    gfin_result *r = NULL;
    gfin_error e = {0};
    gfin_solve *s = gfin_solve_new(GFIN_PROJECT_OPERATING_YEARS, GFIN_M_NPV, 0);
    cr_assert_eq(gfin_solve_project(s, p, &r, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "operating_years");
    cr_assert(strstr(e.message, "integer"), "%s", e.message);
    gfin_solve_free(s);

    s = gfin_solve_new(GFIN_LOAN_ANNUAL_RATE, GFIN_M_EQUITY_IRR, 0.12);
    cr_assert_eq(gfin_solve_project(s, p, &r, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "loan");
    gfin_solve_free(s);

    s = gfin_solve_new(GFIN_PROJECT_TARIFF_PER_MWH, GFIN_M_FUND_IRR, 0.05);
    cr_assert_eq(gfin_solve_project(s, p, &r, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "fund_irr");
    gfin_solve_free(s);

    s = gfin_solve_new(GFIN_SIZING_TARGET_DSCR, GFIN_M_NPV, 0);
    cr_assert_eq(gfin_solve_project(s, p, &r, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "debt_sizing.target_dscr");
    gfin_solve_free(s);

    s = gfin_solve_new(GFIN_PROJECT_TARIFF_PER_MWH, GFIN_M_NPV, NAN);
    cr_assert_eq(gfin_solve_project(s, p, &r, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "target");
    cr_assert_eq(gfin_solve_set_scope(s, "other", &e), GFIN_OK);
    gfin_solve_free(s);

    s = gfin_solve_new(GFIN_PROJECT_TARIFF_PER_MWH, GFIN_M_NPV, 0);
    cr_assert_eq(gfin_solve_set_where(s, "other", NULL, &e), GFIN_OK);
    cr_assert_eq(gfin_solve_project(s, p, &r, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "project");
    gfin_solve_free(s);

    gfin_portfolio *pf = portfolio();
    s = gfin_solve_new(GFIN_PROJECT_TARIFF_PER_MWH, GFIN_M_NPV, 0);
    cr_assert_eq(gfin_solve_portfolio(s, pf, 1, &r, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "project");
    cr_assert(strstr(e.message, "2 projects"), "%s", e.message);
    gfin_solve_free(s);
    s = gfin_solve_new(GFIN_FUND_MANAGEMENT_FEE, GFIN_M_FUND_IRR, 0);
    cr_assert_eq(gfin_solve_portfolio(s, pf, 1, &r, &e), GFIN_EINVAL);
    cr_assert(strstr(e.message, "no fund"), "%s", e.message);
    gfin_solve_free(s);
    gfin_portfolio_free(pf);
    gfin_project_free(p);
}

/* Where the metric has no value the point is skipped, and the search goes on:
 * at tariff 50 the project's flows never turn positive (no IRR); the IRR of 8 %
 * is the discount rate, reached at the breakeven tariff. */
Test(solve, skips_points_without_a_value)
{
    gfin_project *p = plain_project("solar");
    pset(p, GFIN_PROJECT_TARIFF_PER_MWH, 1);
    gfin_solve *s = gfin_solve_new(GFIN_PROJECT_TARIFF_PER_MWH, GFIN_M_PROJECT_IRR, D_RATE);
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_solve_project(s, p, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    double value;
    cr_assert_eq(gfin_solve_outcome(s, &value, NULL, NULL, NULL), GFIN_OK);
    close_rel(value, breakeven_tariff(), 1e-9, "tariff at irr = discount rate");
    gfin_result_free(r);
    gfin_solve_free(s);
    gfin_project_free(p);
}
