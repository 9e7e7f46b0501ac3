/* test_coverage_api.c -- public functions and paths no other test reached
 * (found with -Db_coverage=true, issue 8): the fund's and the portfolio's
 * getters, gfin_project_loan, gfin_project_validate and its errors, and the
 * NULL arguments every entry point must survive. Expected values come from the
 * header's contracts (quoted) and from the inputs themselves. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "greenfin.h"

static void expect_err(const gfin_error *e, int code, const char *path, const char *message)
{
    cr_assert_eq(e->code, code, "code %d, want %d (%s: %s)", e->code, code, e->path, e->message);
    cr_assert_str_eq(e->path, path, "path \"%s\", want \"%s\" (%s)", e->path, path, e->message);
    cr_assert_str_eq(e->message, message, "message \"%s\", want \"%s\"", e->message, message);
}

Test(coverage_api, fund_getters)
{
    gfin_fund *f = gfin_fund_new();
    double v = -1;
    /* "Reads a number ... key (its default when unset): GFIN_ENOVALUE when
     * unset without a default" -- capital is required, so it has none. */
    cr_assert_eq(gfin_fund_get(f, GFIN_FUND_CAPITAL, &v), GFIN_ENOVALUE);
    double def;
    cr_assert_eq(gfin_key_default(GFIN_FUND_MANAGEMENT_FEE, &def), GFIN_OK);
    cr_assert_eq(gfin_fund_get(f, GFIN_FUND_MANAGEMENT_FEE, &v), GFIN_OK);
    cr_assert_eq(v, def);
    cr_assert_eq(gfin_fund_set(f, GFIN_FUND_CAPITAL, 2.5e8), GFIN_OK);
    cr_assert_eq(gfin_fund_get(f, GFIN_FUND_CAPITAL, &v), GFIN_OK);
    cr_assert_eq(v, 2.5e8);
    /* Keys of other objects and string keys are not numbers of a fund. */
    cr_assert_eq(gfin_fund_get(f, GFIN_LOAN_PRINCIPAL, &v), GFIN_EINVAL);
    cr_assert_eq(gfin_fund_get(f, GFIN_FUND_NAME, &v), GFIN_EINVAL);
    cr_assert_eq(gfin_fund_get(NULL, GFIN_FUND_CAPITAL, &v), GFIN_EINVAL);
    cr_assert_eq(gfin_fund_get(f, GFIN_FUND_CAPITAL, NULL), GFIN_EINVAL);
    cr_assert_str_eq(gfin_fund_get_string(f, GFIN_FUND_NAME), "");
    cr_assert_null(gfin_fund_get_string(f, GFIN_FUND_CAPITAL));
    cr_assert_eq(gfin_fund_set(f, GFIN_LOAN_PRINCIPAL, 1), GFIN_EINVAL);
    expect_err(gfin_fund_last_error(f), GFIN_EINVAL, "", "key 102 is not a fund key");
    cr_assert_null(gfin_fund_last_error(NULL));
    gfin_fund_free(f);
    gfin_fund_free(NULL); /* "*_free(NULL) is a harmless no-op" */
}

Test(coverage_api, portfolio_getters)
{
    gfin_portfolio *pf = gfin_portfolio_new();
    double v = -1;
    cr_assert_eq(gfin_portfolio_get(pf, GFIN_PORTFOLIO_START_YEAR, &v), GFIN_ENOVALUE, "required: no default");
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_PORTFOLIO_START_YEAR, 2031), GFIN_OK);
    cr_assert_eq(gfin_portfolio_get(pf, GFIN_PORTFOLIO_START_YEAR, &v), GFIN_OK);
    cr_assert_eq(v, 2031);
    /* The grid keys live in the portfolio too ("GFIN_PORTFOLIO_* and
     * GFIN_GRID_* keys"). */
    cr_assert_eq(gfin_portfolio_get(pf, GFIN_GRID_EF_CM, &v), GFIN_ENOVALUE);
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_GRID_EF_CM, 0.6), GFIN_OK);
    cr_assert_eq(gfin_portfolio_get(pf, GFIN_GRID_EF_CM, &v), GFIN_OK);
    cr_assert_eq(v, 0.6);
    cr_assert_eq(gfin_portfolio_get(pf, GFIN_PROJECT_CAPEX, &v), GFIN_EINVAL);
    cr_assert_eq(gfin_portfolio_get(NULL, GFIN_PORTFOLIO_START_YEAR, &v), GFIN_EINVAL);
    cr_assert_str_eq(gfin_portfolio_get_string(pf, GFIN_PORTFOLIO_CURRENCY), "USD");
    cr_assert_null(gfin_portfolio_get_string(pf, GFIN_PORTFOLIO_START_YEAR));
    cr_assert_null(gfin_portfolio_get_string(NULL, GFIN_PORTFOLIO_NAME));
    cr_assert_null(gfin_portfolio_fund(pf), "\"NULL when it has none\"");
    cr_assert_null(gfin_portfolio_project(pf, 0));
    cr_assert_eq(gfin_portfolio_project_count(NULL), 0);
    gfin_error e = {0};
    cr_assert_eq(gfin_portfolio_validate(pf, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "discount_rate", "is required (default discount rate of the projects)");
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_PORTFOLIO_DISCOUNT_RATE, 0.1), GFIN_OK);
    cr_assert_eq(gfin_portfolio_validate(pf, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "projects", "the portfolio has no projects");
    gfin_portfolio_free(pf);
}

static gfin_loan *loan(double principal)
{
    gfin_loan *l = gfin_loan_new();
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, principal), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, 0.05), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, 12), GFIN_OK);
    return l;
}

static gfin_project *project(void)
{
    gfin_project *p = gfin_project_new();
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_ID, "p"), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_TECHNOLOGY, GFIN_TECH_SOLAR), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CAPACITY_MW, 5), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP, 1450), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CAPEX, 4e6), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_TARIFF_PER_MWH, 60), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_DISCOUNT_RATE, 0.08), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_START_YEAR, 2030), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_GRID_EF_CM, 0.6), GFIN_OK);
    return p;
}

Test(coverage_api, project_loans_by_index)
{
    gfin_project *p = project();
    gfin_loan *a = loan(1e6), *b = loan(2e6);
    gfin_error e = {0};
    cr_assert_eq(gfin_project_add_loan(p, a, &e), GFIN_OK);
    cr_assert_eq(gfin_project_add_loan(p, b, &e), GFIN_OK);
    /* "Attaches a copy of loan (the caller keeps and frees its own handle)". */
    gfin_loan_free(a);
    gfin_loan_free(b);
    cr_assert_eq(gfin_project_loan_count(p), 2);
    double v;
    cr_assert_eq(gfin_loan_get(gfin_project_loan(p, 0), GFIN_LOAN_PRINCIPAL, &v), GFIN_OK);
    cr_assert_eq(v, 1e6);
    cr_assert_eq(gfin_loan_get(gfin_project_loan(p, 1), GFIN_LOAN_PRINCIPAL, &v), GFIN_OK);
    cr_assert_eq(v, 2e6);
    cr_assert_null(gfin_project_loan(p, 2), "\"NULL past the end\"");
    cr_assert_null(gfin_project_loan(NULL, 0));
    cr_assert_eq(gfin_project_loan_count(NULL), 0);
    cr_assert_eq(gfin_project_add_loan(p, NULL, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "", "project and loan must not be NULL");
    gfin_project_free(p);
}

Test(coverage_api, project_validate)
{
    gfin_error e = {0};
    gfin_project *p = project();
    cr_assert_eq(gfin_project_validate(p, &e), GFIN_OK, "%s: %s", e.path, e.message);

    /* 2 capex fractions for 1 construction year. */
    const double two[] = {0.5, 0.5};
    cr_assert_eq(gfin_project_set_array(p, GFIN_PROJECT_CAPEX_PROFILE, two, 2), GFIN_OK);
    cr_assert_eq(gfin_project_validate(p, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "capex_profile", "has 2 values; construction_years is 1 and they must match");
    cr_assert_eq(gfin_project_unset(p, GFIN_PROJECT_CAPEX_PROFILE), GFIN_OK);

    /* Two sources of energy for a solar project: checked by the energy module. */
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CAPACITY_FACTOR, 0.2), GFIN_OK);
    cr_assert_eq(gfin_project_validate(p, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "capacity_factor", "%s: %s", e.path, e.message);
    cr_assert_eq(gfin_project_unset(p, GFIN_PROJECT_CAPACITY_FACTOR), GFIN_OK);

    /* A grid of OM without BM: the carbon module's error, under "grid". */
    cr_assert_eq(gfin_project_unset(p, GFIN_GRID_EF_CM), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_GRID_EF_OM, 0.9), GFIN_OK);
    cr_assert_eq(gfin_project_validate(p, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "grid.ef_bm", "is required when ef_om is given");

    /* Standalone, the discount rate and the start year must be on the
     * project, and the grid too when credits are sold (issue 12 item 8). */
    cr_assert_eq(gfin_project_unset(p, GFIN_GRID_EF_OM), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CARBON_PRICE_PER_TCO2E, 5), GFIN_OK);
    cr_assert_eq(gfin_project_validate(p, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "grid", "is required when carbon_price_per_tco2e is above 0: credit revenue needs "
                                        "the emission reductions; set it on the project or on the portfolio");
    cr_assert_eq(gfin_project_unset(p, GFIN_PROJECT_START_YEAR), GFIN_OK);
    cr_assert_eq(gfin_project_validate(p, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "start_year", "is required: set it on the project or on the portfolio");

    cr_assert_eq(gfin_project_validate(NULL, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "", "project is NULL");
    gfin_project_free(p);
}

/* Entry points given NULL: the documented NULL / 0 / GFIN_EINVAL, never a
 * crash; the free functions are no-ops ("*_free(NULL) is a harmless no-op"). */
Test(coverage_api, null_arguments)
{
    gfin_loan_free(NULL);
    gfin_project_free(NULL);
    gfin_portfolio_free(NULL);
    gfin_result_free(NULL);
    gfin_table_free(NULL);
    gfin_free(NULL);
    cr_assert_null(gfin_loan_copy(NULL));
    cr_assert_null(gfin_project_copy(NULL));
    cr_assert_null(gfin_fund_copy(NULL));

    gfin_error e = {0};
    cr_assert_eq(gfin_loan_set(NULL, GFIN_LOAN_PRINCIPAL, 1), GFIN_EINVAL);
    cr_assert_eq(gfin_project_set(NULL, GFIN_PROJECT_CAPEX, 1), GFIN_EINVAL);
    cr_assert_eq(gfin_portfolio_set(NULL, GFIN_PORTFOLIO_START_YEAR, 2030), GFIN_EINVAL);
    cr_assert_eq(gfin_fund_set(NULL, GFIN_FUND_CAPITAL, 1), GFIN_EINVAL);
    cr_assert_eq(gfin_fund_add_source(NULL, "s", 1, 0, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "", "fund is NULL");
    cr_assert_eq(gfin_portfolio_set_fund(NULL, NULL, &e), GFIN_EINVAL);
    cr_assert_eq(gfin_portfolio_add_project(NULL, NULL, &e), GFIN_EINVAL);

    /* Evaluations without a place for the result. */
    gfin_loan *l = loan(1e6);
    cr_assert_eq(gfin_loan_evaluate(l, NULL, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "", "out is NULL");
    cr_assert_eq(gfin_loan_grant_element(l, 0.1, NULL, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "", "out is NULL");
    gfin_result *r = NULL;
    cr_assert_eq(gfin_loan_evaluate(NULL, &r, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "", "loan is NULL");
    cr_assert_null(r);
    gfin_project *p = project();
    cr_assert_eq(gfin_project_evaluate(p, NULL, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "", "out is NULL");
    gfin_portfolio *pf = gfin_portfolio_new();
    cr_assert_eq(gfin_portfolio_evaluate(pf, 1, NULL, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "", "out is NULL");
    cr_assert_eq(gfin_portfolio_evaluate(NULL, 1, &r, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "", "portfolio is NULL");

    /* Writers and readers of results and tables. */
    char *text = NULL;
    cr_assert_eq(gfin_result_to_json(NULL, &text, NULL, &e), GFIN_EINVAL);
    cr_assert_neq(e.message[0], '\0');
    cr_assert_eq(gfin_table_to_json(NULL, &text, NULL, &e), GFIN_EINVAL);
    cr_assert_eq(gfin_table_to_csv(NULL, &text, NULL, &e), GFIN_EINVAL);
    cr_assert_null(text);
    cr_assert_eq(gfin_result_kind_of(NULL), 0);
    cr_assert_null(gfin_result_id(NULL));
    cr_assert_eq(gfin_result_table_count(NULL), 0);
    cr_assert_null(gfin_result_table(NULL, "years"));
    cr_assert_null(gfin_result_table_name(NULL, 0));
    cr_assert_null(gfin_result_table_at(NULL, 0));
    double v;
    cr_assert_eq(gfin_result_metric(NULL, GFIN_M_NPV, &v), GFIN_EINVAL);
    cr_assert_eq(gfin_result_metric_count(NULL), 0);
    cr_assert_eq(gfin_result_warning_count(NULL), 0);
    cr_assert_null(gfin_result_warning(NULL, 0));
    cr_assert_eq(gfin_result_child_count(NULL), 0);
    cr_assert_null(gfin_result_child(NULL, 0));
    cr_assert_eq(gfin_table_rows(NULL), 0);
    cr_assert_eq(gfin_table_cols(NULL), 0);
    cr_assert_null(gfin_table_col_name(NULL, 0));
    cr_assert_eq(gfin_table_col_index(NULL, "period"), -1);
    cr_assert_eq(gfin_table_col_kind(NULL, 0), -1);
    cr_assert_null(gfin_table_column(NULL, 0));
    cr_assert_null(gfin_table_column_by_name(NULL, "period"));

    /* A real result: indices past the end. */
    cr_assert_eq(gfin_loan_evaluate(l, &r, &e), GFIN_OK);
    cr_assert_null(gfin_result_table_name(r, 1));
    cr_assert_null(gfin_result_warning(r, gfin_result_warning_count(r)));
    cr_assert_null(gfin_result_child(r, 0));
    cr_assert_eq(gfin_result_metric_at(r, gfin_result_metric_count(r)), (gfin_metric)-1);
    cr_assert_eq(gfin_result_metric(r, GFIN_M_NPV, &v), GFIN_EINVAL, "\"GFIN_EINVAL when this result has no such metric\"");
    const gfin_table *t = gfin_result_table(r, "schedule");
    cr_assert_null(gfin_table_col_name(t, gfin_table_cols(t)));
    cr_assert_eq(gfin_table_col_kind(t, gfin_table_cols(t)), -1);
    cr_assert_null(gfin_table_column(t, gfin_table_cols(t)));
    cr_assert_eq(gfin_table_col_index(t, "no such column"), -1);
    cr_assert_null(gfin_table_column_by_name(t, "no such column"));
    gfin_result_free(r);
    gfin_portfolio_free(pf);
    gfin_project_free(p);
    gfin_loan_free(l);
}
