/* test_params.c -- the registry: its invariants, and that every door (C
 * setters) checks values the same way. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "internal.h"

Test(params, registry_sorted_unique_and_consistent)
{
    size_t n = gfin_key_count();
    cr_assert_gt(n, 60);
    for (size_t i = 0; i < n; ++i) {
        gfin_key k = gfin_key_at(i);
        const gfin_param_def *d = gfin__param_def(k);
        cr_assert_not_null(d, "key %d", k);
        if (i)
            cr_assert_gt((int)k, (int)gfin_key_at(i - 1), "sorted by key (binary search relies on it)");
        cr_assert_lt(k % 100, GFIN_STORE_SLOTS, "slot of key %d", k);
        cr_assert_eq(k / 100, (int)d->object, "the hundreds digit is the object: %s", d->name);
        cr_assert_eq(gfin_key_find(gfin_key_object(k), gfin_key_name(k)), (int)k, "find %s", d->name);
        cr_assert_not_null(d->doc && *d->doc ? d->doc : NULL, "%s has a doc line", d->name);
        if (d->flags & GFIN_PF_DEFAULT) {
            double def;
            cr_assert_eq(gfin_key_default(k, &def), GFIN_OK);
            if (d->type != GFIN_PARAM_CHOICE)
                cr_assert(def >= d->min && def <= d->max, "default of %s within bounds", d->name);
        }
        if (d->type == GFIN_PARAM_CHOICE)
            for (int c = 0; c <= (int)d->max; ++c)
                cr_assert_not_null(gfin_key_choice(k, c), "%s choice %d", d->name, c);
        if (d->type == GFIN_PARAM_ARRAY)
            cr_assert_gt(d->max_len, 0, "%s has a length limit", d->name);
    }
    cr_assert_eq(gfin_key_find("loan", "nope"), -1);
    cr_assert_eq(gfin_key_find("nope", "principal"), -1);
    cr_assert_null(gfin_key_name((gfin_key)99));
}

Test(params, metrics_named_and_unique)
{
    for (size_t i = 0; i < gfin_metric_count(); ++i) {
        gfin_metric m = gfin_metric_at(i);
        cr_assert_not_null(gfin_metric_name(m));
        cr_assert_eq(gfin_metric_find(gfin_metric_name(m)), (int)m, "%s is unique", gfin_metric_name(m));
        cr_assert_not_null(gfin_metric_doc(m));
    }
    cr_assert_eq(gfin_metric_find("nope"), -1);
}

Test(params, bounds_and_defaults_are_queryable)
{
    double lo, hi, def;
    int lx, hx;
    cr_assert_eq(gfin_key_bounds(GFIN_PROJECT_CAPACITY_FACTOR, &lo, &hi, &lx, &hx), GFIN_OK);
    cr_assert(lo == 0 && hi == 1 && lx == 1 && hx == 0, "capacity factor in (0, 1]");
    cr_assert_eq(gfin_key_default(GFIN_LOAN_FREQUENCY, &def), GFIN_OK);
    cr_assert_eq(def, 12);
    cr_assert_eq(gfin_key_default(GFIN_LOAN_PRINCIPAL, &def), GFIN_ENOVALUE, "required: no default");
    cr_assert_eq(gfin_key_required(GFIN_LOAN_PRINCIPAL), 1);
    cr_assert_eq(gfin_key_required(GFIN_LOAN_MARGIN), 0);
    cr_assert_str_eq(gfin_key_unit(GFIN_PROJECT_CAPACITY_MW), "MW");
    cr_assert_str_eq(gfin_key_choice(GFIN_LOAN_DAY_COUNT, GFIN_DC_ACT_ACT_ISDA), "ACT/ACT");
    cr_assert_null(gfin_key_choice(GFIN_LOAN_DAY_COUNT, 7));
    cr_assert_eq(gfin_key_bounds(GFIN_LOAN_ID, &lo, &hi, NULL, NULL), GFIN_EINVAL, "strings have no bounds");
}

/* Messages follow one wording whichever object the key belongs to. */
Test(params, setter_messages_name_value_bound_and_unit)
{
    gfin_project *p = gfin_project_new();
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP, 3000.5), GFIN_EINVAL);
    cr_assert_str_eq(gfin_project_last_error(p)->path, "specific_yield_kwh_per_kwp");
    cr_assert_str_eq(gfin_project_last_error(p)->message, "3000.5 is above the maximum 3000 (kWh/kWp)");
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CAPACITY_FACTOR, 0), GFIN_EINVAL);
    cr_assert_str_eq(gfin_project_last_error(p)->message, "0 must be greater than 0 (fraction)");
    cr_assert_eq(gfin_project_set(p, GFIN_GRID_EF_OM, 2.1), GFIN_EINVAL);
    cr_assert_str_eq(gfin_project_last_error(p)->path, "ef_om");
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_TECHNOLOGY, 2), GFIN_EINVAL);
    cr_assert_str_eq(gfin_project_last_error(p)->message, "2 is not a valid choice (\"solar\", \"hydro\")");
    cr_assert_eq(gfin_project_set(p, GFIN_LOAN_PRINCIPAL, 1), GFIN_EINVAL, "a loan key on a project");
    cr_assert_str_eq(gfin_project_last_error(p)->message, "key 102 is not a project key");
    cr_assert_eq(gfin_project_set_array(p, GFIN_PROJECT_MONTHLY_FLOW_M3S, (const double[]){1, -2}, 2), GFIN_EINVAL);
    cr_assert_str_eq(gfin_project_last_error(p)->path, "monthly_flow_m3s[1]");
    double big[13] = {0};
    cr_assert_eq(gfin_project_set_array(p, GFIN_PROJECT_MONTHLY_FLOW_M3S, big, 13), GFIN_EINVAL);
    cr_assert_str_eq(gfin_project_last_error(p)->message, "13 values exceed the maximum of 12");
    char long_id[300];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_ID, long_id), GFIN_EINVAL);
    cr_assert_str_eq(gfin_project_last_error(p)->message, "is 299 bytes long, more than 255");
    gfin_loan *l = gfin_loan_new();
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_START_DATE, -30000), GFIN_EINVAL);
    /* Day -30000 is 1887-11-12 (Python: date(1970, 1, 1) + timedelta(-30000)). */
    cr_assert_str_eq(gfin_loan_last_error(l)->message, "1887-11-12 is outside 1900-01-01 .. 2199-12-31");
    gfin_loan_free(l);
    gfin_project_free(p);
}

/* The typed twins of the 1.0 int readers (issue 13 item 3) agree with them on
 * every key and metric, and say what is wrong when there is none. */
Test(params, typed_lookups_agree_with_the_int_readers)
{
    for (size_t i = 0; i < gfin_key_count(); ++i) {
        gfin_key k = gfin_key_at(i), found;
        cr_assert_eq(gfin_key_lookup(gfin_key_object(k), gfin_key_name(k), &found, NULL), GFIN_OK);
        cr_assert_eq(found, k);
        cr_assert_eq((int)found, gfin_key_find(gfin_key_object(k), gfin_key_name(k)));
        gfin_param_type t;
        int req;
        cr_assert_eq(gfin_key_get_type(k, &t), GFIN_OK);
        cr_assert_eq((int)t, gfin_key_type(k));
        cr_assert_eq(gfin_key_get_required(k, &req), GFIN_OK);
        cr_assert_eq(req, gfin_key_required(k));
    }
    for (size_t i = 0; i < gfin_metric_count(); ++i) {
        gfin_metric m = gfin_metric_at(i), found;
        cr_assert_eq(gfin_metric_lookup(gfin_metric_name(m), &found, NULL), GFIN_OK);
        cr_assert_eq(found, m);
        cr_assert_eq((int)found, gfin_metric_find(gfin_metric_name(m)));
    }
    gfin_error e = {0};
    gfin_key k;
    cr_assert_eq(gfin_key_lookup("loan", "anual_rate", &k, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "anual_rate");
    cr_assert_str_eq(e.message, "is not a key of a loan");
    cr_assert_eq(gfin_key_lookup("lone", "annual_rate", &k, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "lone");
    cr_assert_eq(gfin_key_lookup("loan", NULL, &k, &e), GFIN_EINVAL);
    cr_assert_eq(gfin_key_find("loan", "anual_rate"), -1);
    gfin_metric m;
    cr_assert_eq(gfin_metric_lookup("fund_irrr", &m, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "fund_irrr");
    cr_assert_eq(gfin_metric_find("fund_irrr"), -1);
    gfin_param_type t;
    int req;
    cr_assert_eq(gfin_key_get_type((gfin_key)99, &t), GFIN_EINVAL);
    cr_assert_eq(gfin_key_get_required((gfin_key)99, &req), GFIN_EINVAL);
    cr_assert_eq(gfin_key_type((gfin_key)99), -1);
    cr_assert_eq(gfin_key_required((gfin_key)99), -1);
}

/* The output registry (issue 13 item 1): sorted, unique by (table, name), the
 * hundreds digit naming the table, every column documented with a unit. */
Test(params, output_registry_sorted_unique_and_documented)
{
    static const char *const TABLES[] = {"schedule", "years", "fund", "portfolio", "impact", "technology"};
    size_t n = gfin_column_count();
    cr_assert_gt(n, 50);
    for (size_t i = 0; i < n; ++i) {
        gfin_column c = gfin_column_at(i), found;
        if (i)
            cr_assert_gt((int)c, (int)gfin_column_at(i - 1), "sorted (binary search relies on it)");
        cr_assert(c >= 2000 && c < 2600, "column %d in 20xx..25xx", c);
        cr_assert_str_eq(gfin_column_table(c), TABLES[c / 100 - 20], "%s", gfin_column_name(c));
        cr_assert_eq(gfin_column_lookup(gfin_column_table(c), gfin_column_name(c), &found, NULL), GFIN_OK);
        cr_assert_eq(found, c, "%s.%s is unique", gfin_column_table(c), gfin_column_name(c));
        cr_assert(gfin_column_doc(c) && *gfin_column_doc(c), "%s has a doc line", gfin_column_name(c));
        cr_assert_not_null(gfin_column_unit(c));
        gfin_column_kind k;
        cr_assert_eq(gfin_column_get_kind(c, &k), GFIN_OK);
    }
    gfin_error e = {0};
    gfin_column c;
    cr_assert_eq(gfin_column_lookup("years", "cfad", &c, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "cfad");
    cr_assert_eq(gfin_column_lookup("yeras", "cfads", &c, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "yeras");
    cr_assert_null(gfin_column_name((gfin_column)1999));
    cr_assert_eq(gfin_column_get_kind((gfin_column)1999, &(gfin_column_kind){0}), GFIN_EINVAL);
    gfin_column_kind k;
    cr_assert_eq(gfin_metric_get_kind(GFIN_M_PROJECT_COUNT, &k), GFIN_OK);
    cr_assert_eq(k, GFIN_COL_INTEGER);
    cr_assert_eq(gfin_metric_get_kind(GFIN_M_NPV, &k), GFIN_OK);
    cr_assert_eq(k, GFIN_COL_NUMBER);
}

/* A loan's schedule is built from the registry: its columns are the
 * registry's "schedule" columns in number order (date only when dated), with
 * the registry's kinds, readable by number. */
Test(params, schedule_columns_come_from_the_registry)
{
    gfin_loan *l = gfin_loan_new();
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, 1000), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, 0.06), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, 3), GFIN_OK);
    for (int dated = 0; dated < 2; ++dated) {
        if (dated)
            cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_START_DATE, 20000), GFIN_OK);
        gfin_table *t = gfin_loan_schedule(l, NULL);
        cr_assert_not_null(t);
        size_t j = 0;
        for (size_t i = 0; i < gfin_column_count(); ++i) {
            gfin_column c = gfin_column_at(i), id;
            /* prepayment: a swept loan's schedule in its project's result only */
            if (strcmp(gfin_column_table(c), "schedule") != 0 || (!dated && c == GFIN_C_SCHEDULE_DATE) ||
                c == GFIN_C_SCHEDULE_PREPAYMENT)
                continue;
            cr_assert_str_eq(gfin_table_col_name(t, j), gfin_column_name(c));
            cr_assert_eq(gfin_table_col_get_id(t, j, &id), GFIN_OK);
            cr_assert_eq(id, c);
            gfin_column_kind k1, k2;
            cr_assert_eq(gfin_column_get_kind(c, &k1), GFIN_OK);
            cr_assert_eq(gfin_table_col_get_kind(t, j, &k2), GFIN_OK);
            cr_assert_eq(k1, k2, "%s", gfin_column_name(c));
            cr_assert_eq(gfin_table_column_of(t, c), gfin_table_column(t, j));
            ++j;
        }
        cr_assert_eq(j, gfin_table_cols(t));
        cr_assert_null(gfin_table_column_of(t, GFIN_C_YEARS_CFADS), "not a schedule column");
        /* 1000 at 6 %/12 over 3 months: interest of period 1 = 1000 x 0.005 = 5. */
        cr_assert_float_eq(gfin_table_column_of(t, GFIN_C_SCHEDULE_INTEREST)[0], 5.0, 1e-12);
        gfin_table_free(t);
    }
    gfin_loan_free(l);
}
