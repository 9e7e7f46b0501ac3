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
