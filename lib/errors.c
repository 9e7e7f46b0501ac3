/* errors.c -- the one error model, for the calls of 1.0 that predate it.
 *
 * Every fallible call returns a gfin_status (or NULL) and can fill a
 * caller-owned gfin_error. Two kinds of 1.0 calls fell short, and their
 * signatures cannot change (the ABI check holds them): the handles' setters,
 * which keep the detail only in the handle (*_last_error), and the registry and
 * table readers that return a bare int (-1 for "none"). The twins here are
 * built on the public API of the module they wrap, so the originals stay the
 * one implementation; nothing below this file includes it. */
#include "core.h"

/* The record the handle kept, copied to the caller's; a generic one when the
 * handle is NULL or (defensively) did not record this failure. */
static gfin_status copy_last(gfin_status st, const gfin_error *last, const char *what, gfin_error *err)
{
    if (st == GFIN_OK || !err)
        return st;
    if (!last)
        return gfin__fail(err, st, "", "the %s is NULL", what);
    if (last->code != (int)st)
        return gfin__fail(err, st, "", "%s", gfin_strerror(st));
    *err = *last;
    return st;
}

gfin_status gfin_loan_set_err(gfin_loan *loan, gfin_key key, double value, gfin_error *err)
{
    return copy_last(gfin_loan_set(loan, key, value), gfin_loan_last_error(loan), "loan", err);
}

gfin_status gfin_loan_set_array_err(gfin_loan *loan, gfin_key key, const double *values, size_t n, gfin_error *err)
{
    return copy_last(gfin_loan_set_array(loan, key, values, n), gfin_loan_last_error(loan), "loan", err);
}

gfin_status gfin_loan_set_string_err(gfin_loan *loan, gfin_key key, const char *value, gfin_error *err)
{
    return copy_last(gfin_loan_set_string(loan, key, value), gfin_loan_last_error(loan), "loan", err);
}

gfin_status gfin_project_set_err(gfin_project *project, gfin_key key, double value, gfin_error *err)
{
    return copy_last(gfin_project_set(project, key, value), gfin_project_last_error(project), "project", err);
}

gfin_status gfin_project_set_array_err(gfin_project *project, gfin_key key, const double *values, size_t n,
                                       gfin_error *err)
{
    return copy_last(gfin_project_set_array(project, key, values, n), gfin_project_last_error(project), "project",
                     err);
}

gfin_status gfin_project_set_string_err(gfin_project *project, gfin_key key, const char *value, gfin_error *err)
{
    return copy_last(gfin_project_set_string(project, key, value), gfin_project_last_error(project), "project",
                     err);
}

gfin_status gfin_fund_set_err(gfin_fund *fund, gfin_key key, double value, gfin_error *err)
{
    return copy_last(gfin_fund_set(fund, key, value), gfin_fund_last_error(fund), "fund", err);
}

gfin_status gfin_fund_set_string_err(gfin_fund *fund, gfin_key key, const char *value, gfin_error *err)
{
    return copy_last(gfin_fund_set_string(fund, key, value), gfin_fund_last_error(fund), "fund", err);
}

gfin_status gfin_portfolio_set_err(gfin_portfolio *portfolio, gfin_key key, double value, gfin_error *err)
{
    return copy_last(gfin_portfolio_set(portfolio, key, value), gfin_portfolio_last_error(portfolio), "portfolio",
                     err);
}

gfin_status gfin_portfolio_set_string_err(gfin_portfolio *portfolio, gfin_key key, const char *value,
                                          gfin_error *err)
{
    return copy_last(gfin_portfolio_set_string(portfolio, key, value), gfin_portfolio_last_error(portfolio),
                     "portfolio", err);
}

/* ---- tables: the typed twins of the int-returning readers ---- */

gfin_status gfin_table_col_lookup(const gfin_table *table, const char *name, size_t *out, gfin_error *err)
{
    if (!table || !name || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "%s is NULL", !table ? "table" : !name ? "name" : "out");
    int j = gfin_table_col_index(table, name);
    if (j < 0)
        return gfin__fail(err, GFIN_EINVAL, name, "is not a column of this table");
    *out = (size_t)j;
    return GFIN_OK;
}

gfin_status gfin_table_col_get_kind(const gfin_table *table, size_t j, gfin_column_kind *out)
{
    int kind = gfin_table_col_kind(table, j);
    if (kind < 0 || !out)
        return GFIN_EINVAL;
    *out = (gfin_column_kind)kind;
    return GFIN_OK;
}
