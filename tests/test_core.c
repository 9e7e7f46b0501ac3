/* test_core.c -- version, status codes, the error record, the allocator hook. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "greenfin.h"

Test(core, version_macros_match_runtime)
{
    cr_assert_eq(gfin_version(), GFIN_VERSION_NUMBER);
    cr_assert_str_eq(gfin_version_string(), GFIN_VERSION_STRING);
}

Test(core, status_numbers_are_stable)
{
    /* These numbers are part of the ABI: they never change. */
    cr_assert_eq(GFIN_OK, 0);
    cr_assert_eq(GFIN_EINVAL, -1);
    cr_assert_eq(GFIN_ENOMEM, -2);
    cr_assert_eq(GFIN_ERANGE, -3);
    cr_assert_eq(GFIN_ENOCONV, -4);
    cr_assert_eq(GFIN_EPARSE, -5);
    cr_assert_eq(GFIN_EIO, -6);
    cr_assert_eq(GFIN_ENOTAPPLICABLE, -7);
    cr_assert_eq(GFIN_ENOVALUE, -8);
}

Test(core, strerror_names_every_code)
{
    for (int c = 0; c >= -8; --c)
        cr_assert_str_neq(gfin_strerror(c), "unknown status", "code %d", c);
    cr_assert_str_eq(gfin_strerror(-99), "unknown status");
    cr_assert_str_eq(gfin_strerror(1), "unknown status");
}

static size_t g_allocs;
static void *counting_malloc(size_t n) { ++g_allocs; return malloc(n); }
static void *counting_realloc(void *p, size_t n) { ++g_allocs; return realloc(p, n); }

Test(core, allocator_hook_is_used_and_restorable)
{
    cr_assert_eq(gfin_set_allocator(counting_malloc, NULL, free), GFIN_EINVAL);
    cr_assert_eq(gfin_set_allocator(counting_malloc, counting_realloc, free), GFIN_OK);
    g_allocs = 0;
    gfin_loan *loan = gfin_loan_new();
    cr_assert_not_null(loan);
    cr_assert_gt(g_allocs, 0);
    gfin_loan_free(loan);
    cr_assert_eq(gfin_set_allocator(NULL, NULL, NULL), GFIN_OK);
}

Test(core, free_functions_accept_null)
{
    gfin_free(NULL);
    gfin_table_free(NULL);
    gfin_result_free(NULL);
    gfin_loan_free(NULL);
    gfin_project_free(NULL);
    gfin_fund_free(NULL);
    gfin_portfolio_free(NULL);
}

/* ---- one error model (issue 13 item 3) ---- */

Test(errors, error_status_reads_the_code_as_a_status)
{
    gfin_error e = {.code = GFIN_ENOMEM};
    cr_assert_eq(gfin_error_status(&e), GFIN_ENOMEM);
    cr_assert_eq(gfin_error_status(NULL), GFIN_OK);
}

/* The setters' twins fill the caller's record with what *_last_error holds:
 * the key's name, the value and the rule (the registry's bounds: principal > 0,
 * tariff_per_mwh >= 0, capital >= 0, start_year in [1900, 2200]). */
Test(errors, setter_twins_fill_the_callers_error)
{
    gfin_error e = {0};
    gfin_loan *l = gfin_loan_new();
    cr_assert_eq(gfin_loan_set_err(l, GFIN_LOAN_PRINCIPAL, -5, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "principal");
    cr_assert_str_eq(e.message, gfin_loan_last_error(l)->message);
    cr_assert(strstr(e.message, "-5") != NULL, "%s", e.message);
    cr_assert_eq(gfin_error_status(&e), GFIN_EINVAL);
    const double rates[] = {0.05, 2.0};
    cr_assert_eq(gfin_loan_set_array_err(l, GFIN_LOAN_BASE_RATES, rates, 2, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "base_rates[1]");
    cr_assert_eq(gfin_loan_set_string_err(l, GFIN_LOAN_PRINCIPAL, "x", &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "principal");
    /* Success leaves the record untouched, and NULL records are allowed. */
    gfin_error before = e;
    cr_assert_eq(gfin_loan_set_err(l, GFIN_LOAN_PRINCIPAL, 100, &e), GFIN_OK);
    cr_assert_eq(memcmp(&before, &e, sizeof e), 0);
    cr_assert_eq(gfin_loan_set_err(l, GFIN_LOAN_PRINCIPAL, -1, NULL), GFIN_EINVAL);
    gfin_loan_free(l);

    gfin_project *p = gfin_project_new();
    cr_assert_eq(gfin_project_set_err(p, GFIN_PROJECT_TARIFF_PER_MWH, -1, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "tariff_per_mwh");
    const double flows[] = {1, -1};
    cr_assert_eq(gfin_project_set_array_err(p, GFIN_PROJECT_MONTHLY_FLOW_M3S, flows, 2, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "monthly_flow_m3s[1]");
    cr_assert_eq(gfin_project_set_string_err(p, GFIN_LOAN_ID, "x", &e), GFIN_EINVAL);
    cr_assert_eq(gfin_project_set_string_err(p, GFIN_PROJECT_ID, "ok", &e), GFIN_OK);
    gfin_project_free(p);

    gfin_fund *f = gfin_fund_new();
    cr_assert_eq(gfin_fund_set_err(f, GFIN_FUND_CAPITAL, -1, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "capital");
    cr_assert_eq(gfin_fund_set_string_err(f, GFIN_FUND_CAPITAL, "x", &e), GFIN_EINVAL);
    gfin_fund_free(f);

    gfin_portfolio *pf = gfin_portfolio_new();
    cr_assert_eq(gfin_portfolio_set_err(pf, GFIN_PORTFOLIO_START_YEAR, 1800, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "start_year");
    cr_assert_eq(gfin_portfolio_set_string_err(pf, GFIN_PORTFOLIO_NAME, "Mekong", &e), GFIN_OK);
    gfin_portfolio_free(pf);

    /* A NULL handle: the status, and a record saying so. */
    cr_assert_eq(gfin_loan_set_err(NULL, GFIN_LOAN_PRINCIPAL, 1, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.message, "the loan is NULL");
}

Test(errors, table_twins_are_typed)
{
    gfin_loan *l = gfin_loan_new();
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, 100), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, 0.05), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, 4), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_START_DATE, 0), GFIN_OK);
    gfin_table *t = gfin_loan_schedule(l, NULL);
    cr_assert_not_null(t);
    size_t j = 99;
    gfin_error e = {0};
    cr_assert_eq(gfin_table_col_lookup(t, "interest", &j, &e), GFIN_OK);
    cr_assert_eq((int)j, gfin_table_col_index(t, "interest"));
    cr_assert_eq(gfin_table_col_lookup(t, "interset", &j, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "interset");
    cr_assert_eq(gfin_table_col_lookup(NULL, "interest", &j, NULL), GFIN_EINVAL);
    gfin_column_kind k;
    cr_assert_eq(gfin_table_col_lookup(t, "date", &j, NULL), GFIN_OK);
    cr_assert_eq(gfin_table_col_get_kind(t, j, &k), GFIN_OK);
    cr_assert_eq(k, GFIN_COL_DATE);
    cr_assert_eq(gfin_table_col_get_kind(t, 0, &k), GFIN_OK);
    cr_assert_eq(k, GFIN_COL_INTEGER); /* period */
    cr_assert_eq(gfin_table_col_get_kind(t, gfin_table_cols(t), &k), GFIN_EINVAL);
    cr_assert_eq(gfin_table_col_get_kind(t, 0, NULL), GFIN_EINVAL);
    gfin_table_free(t);
    gfin_loan_free(l);
}
