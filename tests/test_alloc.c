/* test_alloc.c -- allocation failure, injected through the allocator hook:
 * the 1st, 2nd, ... Nth allocation fails in turn until a run succeeds. Every
 * run must return GFIN_ENOMEM (or succeed), never crash, and leave no
 * allocation of the library's behind. One thread, so the order of allocations
 * is the same in every run. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greenfin.h"

static long g_fail_at;      /* the allocation number that fails; 0: none */
static long g_count;        /* allocations attempted */
static long g_live;         /* allocations not yet freed */

static void *t_malloc(size_t n)
{
    if (++g_count == g_fail_at)
        return NULL;
    void *p = malloc(n);
    if (p)
        g_live++;
    return p;
}

static void *t_realloc(void *p, size_t n)
{
    if (++g_count == g_fail_at)
        return NULL;
    void *q = realloc(p, n);
    if (q && !p)
        g_live++;
    return q;
}

static void t_free(void *p)
{
    if (p)
        g_live--;
    free(p);
}

static void install(void) { cr_assert_eq(gfin_set_allocator(t_malloc, t_realloc, t_free), GFIN_OK); }

static void uninstall(void) { cr_assert_eq(gfin_set_allocator(NULL, NULL, NULL), GFIN_OK); }

TestSuite(alloc, .init = install, .fini = uninstall);

typedef gfin_status (*scenario)(const char *text, size_t len, gfin_error *err);

/* Runs `run` failing allocation 1, 2, ... until it succeeds; returns the number
 * of allocations of the successful run. */
static long exhaust(scenario run, const char *text, const char *what)
{
    for (long n = 1;; ++n) {
        g_fail_at = n;
        g_count = 0;
        g_live = 0;
        gfin_error e = {0};
        gfin_status st = run(text, strlen(text), &e);
        cr_assert_eq(g_live, 0, "%s: %ld allocations leaked when allocation %ld failed", what, g_live, n);
        if (st == GFIN_OK) {
            cr_assert_gt(n, 1, "%s allocates", what);
            g_fail_at = 0;
            return g_count;
        }
        cr_assert_eq(st, GFIN_ENOMEM, "%s with allocation %ld failing: status %d (%s: %s)", what, n, st, e.path,
                     e.message);
        cr_assert_eq(e.code, GFIN_ENOMEM, "the error record says so too");
        cr_assert_lt(n, 1000000, "%s never succeeds", what);
    }
}

static gfin_status run_portfolio(const char *text, size_t len, gfin_error *err)
{
    gfin_portfolio *pf = gfin_portfolio_from_json(text, len, err);
    if (!pf)
        return err->code;
    gfin_result *r = NULL;
    gfin_status st = gfin_portfolio_evaluate(pf, 1, &r, err);
    char *json = NULL;
    if (!st)
        st = gfin_result_to_json(r, &json, NULL, err);
    gfin_free(json);
    gfin_result_free(r);
    gfin_portfolio_free(pf);
    return st;
}

static gfin_status run_loan(const char *text, size_t len, gfin_error *err)
{
    gfin_loan *l = gfin_loan_from_json(text, len, err);
    if (!l)
        return err->code;
    gfin_result *r = NULL;
    gfin_status st = gfin_loan_evaluate_ge(l, 0.05, &r, err);
    char *csv = NULL;
    if (!st)
        st = gfin_table_to_csv(gfin_result_table(r, "schedule"), &csv, NULL, err);
    gfin_free(csv);
    gfin_result_free(r);
    gfin_loan_free(l);
    return st;
}

static const char *PORTFOLIO =
    "{\"format\": \"greenfin/1\", \"name\": \"alloc\", \"start_year\": 2030, \"discount_rate\": 0.1,"
    " \"grid\": {\"ef_om\": 0.9, \"ef_bm\": 0.5},"
    " \"fund\": {\"capital\": 1e6, \"sources\": [{\"amount\": 1e6, \"annual_rate\": 0.02}]},"
    " \"projects\": ["
    "  {\"id\": \"s\", \"technology\": \"solar\", \"capacity_mw\": 1, \"specific_yield_kwh_per_kwp\": 1500,"
    "   \"capex\": 9e5, \"tariff_per_mwh\": 80, \"operating_years\": 5, \"tax_rate\": 0.2,"
    "   \"loans\": [{\"lender\": \"fund\", \"principal\": 4e5, \"annual_rate\": 0.05, \"frequency\": 4,"
    "     \"repayment_periods\": 12, \"start_date\": \"2030-01-31\", \"day_count\": \"ACT/365F\"}]},"
    "  {\"id\": \"h\", \"technology\": \"hydro\", \"capacity_mw\": 2, \"capacity_factor\": 0.5, \"capex\": 3e6,"
    "   \"construction_years\": 2, \"operating_years\": 6, \"tariff_per_mwh\": 70, \"reservoir_area_km2\": 0.3,"
    "   \"debt_sizing\": {\"target_dscr\": 1.3, \"tenor_years\": 5, \"annual_rate\": 0.06, \"lender\": \"fund\"}}"
    " ]}";

Test(alloc, portfolio_evaluation_survives_every_failed_allocation)
{
    long n = exhaust(run_portfolio, PORTFOLIO, "portfolio");
    cr_log_info("portfolio: %ld allocations in a successful run", n);
}

/* The cash sweep and the reserve drawn on a loan (docs/model.md 6.5): the
 * schedules rebuilt year by year, the loans' results replaced. */
static const char *SWEPT =
    "{\"format\": \"greenfin/1\", \"name\": \"sweep\", \"start_year\": 2030, \"discount_rate\": 0.1,"
    " \"fund\": {\"capital\": 1e6, \"sources\": [{\"amount\": 1e6, \"annual_rate\": 0.02}]},"
    " \"projects\": ["
    "  {\"id\": \"s\", \"technology\": \"solar\", \"capacity_mw\": 1, \"specific_yield_kwh_per_kwp\": 1500,"
    "   \"capex\": 9e5, \"tariff_per_mwh\": 300, \"operating_years\": 6, \"tax_rate\": 0.2,"
    "   \"cash_sweep\": 0.5, \"dsra_months\": 6, \"dsra_funding\": \"b\", \"lockup_dscr\": 1.5,"
    "   \"loans\": [{\"id\": \"f\", \"lender\": \"fund\", \"principal\": 3e5, \"annual_rate\": 0.05,"
    "     \"frequency\": 4, \"grace_periods\": 4, \"repayment_periods\": 16, \"swept\": \"yes\"},"
    "    {\"id\": \"b\", \"principal\": 2e5, \"annual_rate\": 0.07, \"frequency\": 1, \"grace_periods\": 1,"
    "     \"repayment_periods\": 5, \"amortization\": \"linear\", \"swept\": \"yes\"}]}"
    " ]}";

Test(alloc, swept_portfolio_survives_every_failed_allocation)
{
    exhaust(run_portfolio, SWEPT, "swept portfolio");
}

Test(alloc, loan_schedule_survives_every_failed_allocation)
{
    exhaust(run_loan,
            "{\"principal\": 100, \"annual_rate\": 0.05, \"frequency\": 12, \"drawdowns\": [0.5, 0.5],"
            " \"repayment_periods\": 24, \"upfront_fee\": 0.01}",
            "loan");
}

/* A risk run (docs/model.md "Risk") on the same portfolio: sized debt kept,
 * a fund, a case, a sensitivity entry, a per-year factor and own draws. */
static gfin_status run_risk(const char *text, size_t len, gfin_error *err)
{
    gfin_portfolio *pf = gfin_portfolio_from_json(text, len, err);
    if (!pf)
        return err->code;
    gfin_risk *rk = gfin_risk_new();
    gfin_risk_change *en = gfin_risk_change_new("energy", GFIN_RISK_SCALE, err);
    gfin_risk_change *capex = gfin_risk_change_new("capex", GFIN_RISK_SCALE, err);
    gfin_risk_dist *d = gfin_risk_dist_new(GFIN_RISK_TRIANGULAR);
    gfin_risk_result *r = NULL;
    size_t k;
    gfin_status st = GFIN_OK;
    if (!rk || !en || !capex || !d) /* constructors say NULL only */
        st = (gfin_status)(err->code = GFIN_ENOMEM);
    if (!st) {
        gfin_risk_set_keep_samples(rk, 1);
        st = gfin_risk_set_scenarios(rk, 3, err);
    }
    if (!st && !(st = gfin_risk_dist_set(d, GFIN_RISK_MIN, 0.8, err)) && !(st = gfin_risk_dist_set(d, GFIN_RISK_MODE, 1, err)) &&
        !(st = gfin_risk_dist_set(d, GFIN_RISK_MAX, 1.1, err)) &&
        !(st = gfin_risk_add_factor(rk, "river", GFIN_RISK_PER_YEAR, 0.5, err)) &&
        !(st = gfin_risk_add_uncertainty(rk, en, d, "river", GFIN_RISK_PER_YEAR, err)) &&
        !(st = gfin_risk_add_uncertainty(rk, capex, d, NULL, GFIN_RISK_PER_SCENARIO, err)) &&
        !(st = gfin_risk_add_sensitivity(rk, capex, 0.9, 1.1, err)) && !(st = gfin_risk_add_case(rk, "dry", &k, err)))
        st = gfin_risk_case_add_change(rk, k, en, 0.8, err);
    if (!st)
        st = gfin_risk_run(rk, pf, 0, GFIN_RISK_REST, 1, &r, err);
    gfin_risk_result_free(r);
    gfin_risk_dist_free(d);
    gfin_risk_change_free(en);
    gfin_risk_change_free(capex);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
    return st;
}

Test(alloc, risk_run_survives_every_failed_allocation)
{
    long n = exhaust(run_risk, PORTFOLIO, "risk");
    cr_log_info("risk: %ld allocations in a successful run", n);
}

/* fx_drift (docs/model.md "Risk") on a CNY loan: each thread's copy of the
 * risk base and the drifted paths it sets, in a case and in scenarios. */
static const char FX_PORTFOLIO[] =
    "{\"format\": \"greenfin/1\", \"start_year\": 2027, \"discount_rate\": 0.08, \"fx\": {\"CNY\": [0.14]},"
    " \"fund\": {\"capital\": 1000, \"sources\": [{\"amount\": 1000, \"annual_rate\": 0.01}]},"
    " \"projects\": [{\"id\": \"cny\", \"technology\": \"solar\", \"capacity_mw\": 1, \"construction_years\": 1,"
    " \"operating_years\": 4, \"specific_yield_kwh_per_kwp\": 1000, \"capex\": 400, \"tariff_per_mwh\": 0.1,"
    " \"grid\": {\"ef_cm\": 0.6}, \"loans\": [{\"lender\": \"fund\", \"principal\": 500, \"annual_rate\": 0.04,"
    " \"frequency\": 1, \"currency\": \"CNY\", \"repayment_periods\": 2}]}]}";

static gfin_status run_risk_fx(const char *text, size_t len, gfin_error *err)
{
    gfin_portfolio *pf = gfin_portfolio_from_json(text, len, err);
    if (!pf)
        return err->code;
    gfin_risk *rk = gfin_risk_new();
    gfin_risk_change *fx = gfin_risk_change_new("fx_drift", GFIN_RISK_ADD, err);
    gfin_risk_dist *d = gfin_risk_dist_new(GFIN_RISK_NORMAL);
    gfin_risk_result *r = NULL;
    size_t k;
    gfin_status st = GFIN_OK;
    if (!rk || !fx || !d) /* constructors say NULL only */
        st = (gfin_status)(err->code = GFIN_ENOMEM);
    if (!st && !(st = gfin_risk_set_scenarios(rk, 3, err)) && !(st = gfin_risk_change_set_currency(fx, "CNY", err)) &&
        !(st = gfin_risk_dist_set(d, GFIN_RISK_MEAN, 0, err)) && !(st = gfin_risk_dist_set(d, GFIN_RISK_SD, 0.02, err)) &&
        !(st = gfin_risk_add_uncertainty(rk, fx, d, NULL, GFIN_RISK_PER_SCENARIO, err)) &&
        !(st = gfin_risk_add_case(rk, "yuan -3 %/yr", &k, err)))
        st = gfin_risk_case_add_change(rk, k, fx, -0.03, err);
    if (!st)
        st = gfin_risk_run(rk, pf, 0, GFIN_RISK_REST, 1, &r, err);
    gfin_risk_result_free(r);
    gfin_risk_dist_free(d);
    gfin_risk_change_free(fx);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
    return st;
}

Test(alloc, risk_run_with_an_fx_drift_survives_every_failed_allocation)
{
    long n = exhaust(run_risk_fx, FX_PORTFOLIO, "risk fx_drift");
    cr_log_info("risk fx_drift: %ld allocations in a successful run", n);
}

/* Handles built by hand fail cleanly too. */
Test(alloc, constructors_return_null_when_out_of_memory)
{
    g_fail_at = 1;
    g_count = 0;
    cr_assert_null(gfin_loan_new());
    g_count = 0;
    cr_assert_null(gfin_project_new());
    g_count = 0;
    cr_assert_null(gfin_fund_new());
    g_count = 0;
    cr_assert_null(gfin_portfolio_new());
    g_fail_at = 0;
}

/* Loading JSON alone, for each loader: cJSON's own allocations go through the
 * hook too (issue 13 item 4), so some failing allocation is one of the
 * parser's, reported as GFIN_ENOMEM "out of memory parsing the document". */
static long g_parser_failures;

static gfin_status load_only(const char *text, size_t len, gfin_error *err, int which)
{
    void *h = which == 0 ? (void *)gfin_loan_from_json(text, len, err)
            : which == 1 ? (void *)gfin_project_from_json(text, len, err)
                         : (void *)gfin_portfolio_from_json(text, len, err);
    if (!h) {
        if (strstr(err->message, "parsing the document"))
            ++g_parser_failures;
        return err->code;
    }
    if (which == 0)
        gfin_loan_free(h);
    else if (which == 1)
        gfin_project_free(h);
    else
        gfin_portfolio_free(h);
    return GFIN_OK;
}
static gfin_status load_loan(const char *t, size_t n, gfin_error *e) { return load_only(t, n, e, 0); }
static gfin_status load_project(const char *t, size_t n, gfin_error *e) { return load_only(t, n, e, 1); }
static gfin_status load_portfolio(const char *t, size_t n, gfin_error *e) { return load_only(t, n, e, 2); }

Test(alloc, json_loaders_survive_every_failed_allocation_the_parser_included)
{
    g_parser_failures = 0;
    exhaust(load_loan, "{\"principal\": 100, \"annual_rate\": 0.05, \"repayment_periods\": 24,"
                       " \"drawdowns\": [0.25, 0.75], \"id\": \"a loan with a name\"}", "loan JSON");
    cr_assert_gt(g_parser_failures, 0, "no allocation of cJSON went through the hook");
    g_parser_failures = 0;
    exhaust(load_project, "{\"id\": \"p\", \"technology\": \"solar\", \"capacity_mw\": 1, \"capacity_factor\": 0.2,"
                          " \"capex\": 1e6, \"tariff_per_mwh\": 50, \"grid\": {\"ef_cm\": 0.6},"
                          " \"loans\": [{\"principal\": 5e5, \"annual_rate\": 0.04, \"repayment_periods\": 10}]}",
            "project JSON");
    cr_assert_gt(g_parser_failures, 0);
    g_parser_failures = 0;
    exhaust(load_portfolio, PORTFOLIO, "portfolio JSON");
    cr_assert_gt(g_parser_failures, 0);
}

/* gfin_loan_grant_element without an error record: an allocation failure is
 * GFIN_ENOMEM, not GFIN_EINVAL (issue 13, loan.c:459). */
static gfin_status grant_element_no_err(const char *text, size_t len, gfin_error *err)
{
    gfin_loan *l = gfin_loan_from_json(text, len, err);
    if (!l)
        return err->code;
    double ge = 0;
    gfin_status st = gfin_loan_grant_element(l, 0.05, &ge, NULL);
    gfin_loan_free(l);
    if (st)
        err->code = st; /* exhaust() checks the record too */
    return st;
}

Test(alloc, grant_element_without_error_record_reports_enomem)
{
    exhaust(grant_element_no_err,
            "{\"principal\": 100, \"annual_rate\": 0.0075, \"frequency\": 2, \"grace_periods\": 20,"
            " \"repayment_periods\": 60, \"amortization\": \"linear\"}",
            "grant element");
}
