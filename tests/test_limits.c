/* test_limits.c -- the library at and beyond its limits: counts that are
 * huge, negative or fractional, the longest loan (100 years of months), 100,000
 * projects in bounded memory, nesting and size limits of JSON documents, and
 * NaN / Infinity / 1e308 / -1e308 / 1e-320 in every numeric input of a loan and
 * a project, through the C setters and through JSON. Every case ends in a
 * clear error or a correct answer: never a crash, never NaN where a number is
 * promised.
 *
 * Expected values are derived here, independently of the library:
 *  - messages from the header's wording ("<value> is below the minimum <bound>
 *    (<unit>)", "nesting deeper than 64 levels", "at most 64 loans", ...);
 *  - the 100-year annuity from the closed form P i / (1 - (1 + i)^-n) with pow;
 *  - dates with timegm() from the C library;
 *  - portfolio totals from one project's figures worked out by hand.
 *
 * Environment: GFIN_LIMITS_PROJECTS overrides the 100,000 projects (the
 * valgrind test setup lowers it: valgrind is ~50x slower). */
#define _DEFAULT_SOURCE /* timegm */
#include <criterion/criterion.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "greenfin.h"
#include "test_checks.h"

#if defined(__SANITIZE_ADDRESS__)
#  define UNDER_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define UNDER_ASAN 1
#  endif
#endif
#ifndef UNDER_ASAN
#  define UNDER_ASAN 0
#endif

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static void expect_err(const gfin_error *e, int code, const char *path, const char *message)
{
    cr_assert_eq(e->code, code, "code %d, want %d (%s: %s)", e->code, code, e->path, e->message);
    cr_assert_str_eq(e->path, path, "path \"%s\", want \"%s\" (%s)", e->path, path, e->message);
    cr_assert_str_eq(e->message, message, "message \"%s\", want \"%s\"", e->message, message);
}

static gfin_loan *base_loan(void)
{
    gfin_loan *l = gfin_loan_new();
    cr_assert_not_null(l);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, 1e6), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, 0.05), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, 120), GFIN_OK);
    return l;
}

/* A setter refusing `v` for `key` leaves the error in the handle. */
static void loan_refuses(double v, gfin_key key, const char *message)
{
    gfin_loan *l = base_loan();
    double before = NAN, after = NAN;
    gfin_status had = gfin_loan_get(l, key, &before);
    cr_assert_eq(gfin_loan_set(l, key, v), GFIN_EINVAL, "%s = %g accepted", gfin_key_name(key), v);
    expect_err(gfin_loan_last_error(l), GFIN_EINVAL, gfin_key_name(key), message);
    /* "the loan is then unchanged" */
    cr_assert_eq(gfin_loan_get(l, key, &after), had);
    if (had == GFIN_OK)
        cr_assert(before == after, "%s changed from %g to %g by a refused set", gfin_key_name(key), before, after);
    gfin_loan_free(l);
}

static gfin_error loan_json_error(const char *text)
{
    gfin_error e = {0};
    gfin_loan *l = gfin_loan_from_json(text, strlen(text), &e);
    cr_assert_null(l, "accepted: %s", text);
    return e;
}

static gfin_error portfolio_json_error(const char *text)
{
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, strlen(text), &e);
    cr_assert_null(pf, "accepted: %.200s", text);
    return e;
}

/* Every cell of the table is finite, but for the columns listed in `nan_ok`
 * (NULL-terminated), where NaN is the documented "no value". */
static void all_finite(const gfin_table *t, const char *const *nan_ok, const char *what)
{
    cr_assert_not_null(t, "%s: no table", what);
    for (size_t j = 0; j < gfin_table_cols(t); ++j) {
        const char *name = gfin_table_col_name(t, j);
        bool may_be_nan = false;
        for (size_t k = 0; nan_ok && nan_ok[k]; ++k)
            may_be_nan |= strcmp(nan_ok[k], name) == 0;
        const double *c = gfin_table_column(t, j);
        for (size_t i = 0; i < gfin_table_rows(t); ++i)
            if (!(isfinite(c[i]) || (may_be_nan && isnan(c[i])))) {
                cr_expect_fail("%s: %s[%zu] = %g", what, name, i, c[i]);
                break;
            }
    }
}

/* A result's metrics are finite or null; its tables finite but for dscr; its
 * children alike; and it can be written as JSON. */
static void result_sane(const gfin_result *r, const char *what)
{
    static const char *const NAN_OK[] = {"dscr", NULL};
    for (size_t i = 0; i < gfin_result_metric_count(r); ++i) {
        double v = NAN;
        gfin_metric m = gfin_result_metric_at(r, i);
        gfin_status st = gfin_result_metric(r, m, &v);
        cr_expect(st == GFIN_ENOVALUE || (st == GFIN_OK && isfinite(v)), "%s: metric %s status %d value %g", what,
                  gfin_metric_name(m), st, v);
    }
    for (size_t i = 0; i < gfin_result_table_count(r); ++i)
        all_finite(gfin_result_table_at(r, i), NAN_OK, what);
    for (size_t i = 0; i < gfin_result_child_count(r); ++i)
        result_sane(gfin_result_child(r, i), what);
}

static void json_out_ok(const gfin_result *r, const char *what)
{
    char *json = NULL;
    size_t len = 0;
    gfin_error e = {0};
    cr_assert_eq(gfin_result_to_json(r, &json, &len, &e), GFIN_OK, "%s: %s", what, e.message);
    cr_assert_eq(strlen(json), len);
    cr_assert_null(strstr(json, "nan"), "%s: nan in JSON", what);
    cr_assert_null(strstr(json, "inf"), "%s: inf in JSON", what);
    gfin_free(json);
}

static long peak_rss_kib(void)
{
    struct rusage u;
    cr_assert_eq(getrusage(RUSAGE_SELF, &u), 0);
    return u.ru_maxrss; /* KiB on Linux */
}

/* ------------------------------------------------------------------------ */
/* Counts: huge, negative, fractional                                       */
/* ------------------------------------------------------------------------ */

Test(limits, repayment_periods_out_of_range_through_the_setter)
{
    /* MAX_PERIODS = 100 years x 12 = 1200; integer keys refuse fractions
     * before their bounds are looked at. */
    loan_refuses(1e9, GFIN_LOAN_REPAYMENT_PERIODS, "1000000000 is above the maximum 1200 (periods)");
    loan_refuses(1201, GFIN_LOAN_REPAYMENT_PERIODS, "1201 is above the maximum 1200 (periods)");
    loan_refuses(-1, GFIN_LOAN_REPAYMENT_PERIODS, "-1 is below the minimum 1 (periods)");
    loan_refuses(0, GFIN_LOAN_REPAYMENT_PERIODS, "0 is below the minimum 1 (periods)");
    loan_refuses(2.5, GFIN_LOAN_REPAYMENT_PERIODS, "2.5 is not a whole number");
    loan_refuses(1e300, GFIN_LOAN_REPAYMENT_PERIODS, "1e+300 is above the maximum 1200 (periods)");
    loan_refuses(-1e9, GFIN_LOAN_GRACE_PERIODS, "-1000000000 is below the minimum 0 (periods)");
    loan_refuses(1e9, GFIN_LOAN_GRACE_PERIODS, "1000000000 is above the maximum 1200 (periods)");
    loan_refuses(3, GFIN_LOAN_FREQUENCY, "3 is not one of 1, 2, 4, 12");
    loan_refuses(24, GFIN_LOAN_FREQUENCY, "24 is above the maximum 12 (1/year)");
    loan_refuses(6, GFIN_LOAN_AMORTIZATION,
                 "6 is not a valid choice (\"annuity\", \"linear\", \"bullet\", \"balloon\", \"custom\", \"sculpted\")");
    loan_refuses(-1, GFIN_LOAN_IDC_MODE, "-1 is not a valid choice (\"capitalized\", \"paid\")");
    loan_refuses(0.5, GFIN_LOAN_DAY_COUNT,
                 "0.5 is not a valid choice (\"30/360\", \"30/360 ISDA\", \"30E/360\", \"30E/360 ISDA\", \"ACT/360\", "
                 "\"ACT/365F\", \"ACT/ACT\")");
}

Test(limits, repayment_periods_out_of_range_through_json)
{
    gfin_error e = loan_json_error("{\"principal\": 1e6, \"annual_rate\": 0.05, \"repayment_periods\": 1e9}");
    expect_err(&e, GFIN_EINVAL, "repayment_periods", "1000000000 is above the maximum 1200 (periods)");
    e = loan_json_error("{\"principal\": 1e6, \"annual_rate\": 0.05, \"repayment_periods\": -1}");
    expect_err(&e, GFIN_EINVAL, "repayment_periods", "-1 is below the minimum 1 (periods)");
    e = loan_json_error("{\"principal\": 1e6, \"annual_rate\": 0.05, \"repayment_periods\": 2.5}");
    expect_err(&e, GFIN_EINVAL, "repayment_periods", "2.5 is not a whole number");
    /* Inside a portfolio the path leads to the field. */
    e = portfolio_json_error(
        "{\"format\": \"greenfin/1\", \"start_year\": 2030, \"discount_rate\": 0.1, \"grid\": {\"ef_cm\": 0.6},"
        " \"projects\": [{\"id\": \"a\", \"technology\": \"solar\", \"capacity_mw\": 5,"
        " \"specific_yield_kwh_per_kwp\": 1450, \"capex\": 4e6, \"tariff_per_mwh\": 60, \"loans\": ["
        " {\"principal\": 1e6, \"annual_rate\": 0.05, \"repayment_periods\": 12},"
        " {\"principal\": 1e6, \"annual_rate\": 0.05, \"repayment_periods\": -1}]}]}");
    expect_err(&e, GFIN_EINVAL, "projects[0].loans[1].repayment_periods", "-1 is below the minimum 1 (periods)");
    /* Project counts: operating years 1..100, construction 1..15. */
    e = portfolio_json_error(
        "{\"format\": \"greenfin/1\", \"start_year\": 2030, \"discount_rate\": 0.1, \"grid\": {\"ef_cm\": 0.6},"
        " \"projects\": [{\"id\": \"a\", \"technology\": \"solar\", \"capacity_mw\": 5, \"operating_years\": 1e9,"
        " \"specific_yield_kwh_per_kwp\": 1450, \"capex\": 4e6, \"tariff_per_mwh\": 60}]}");
    expect_err(&e, GFIN_EINVAL, "projects[0].operating_years", "1000000000 is above the maximum 100 (years)");
    e = portfolio_json_error(
        "{\"format\": \"greenfin/1\", \"start_year\": 2030, \"discount_rate\": 0.1, \"grid\": {\"ef_cm\": 0.6},"
        " \"projects\": [{\"id\": \"a\", \"technology\": \"solar\", \"capacity_mw\": 5, \"construction_years\": -1,"
        " \"specific_yield_kwh_per_kwp\": 1450, \"capex\": 4e6, \"tariff_per_mwh\": 60}]}");
    expect_err(&e, GFIN_EINVAL, "projects[0].construction_years", "-1 is below the minimum 1 (years)");
}

static double *filled(size_t n, double v)
{
    double *a = malloc(n * sizeof *a);
    cr_assert_not_null(a);
    for (size_t i = 0; i < n; ++i)
        a[i] = v;
    return a;
}

Test(limits, arrays_longer_than_1200_are_refused)
{
    gfin_loan *l = base_loan();
    double *d = filled(1201, 1.0 / 1201);
    cr_assert_eq(gfin_loan_set_array(l, GFIN_LOAN_DRAWDOWNS, d, 1201), GFIN_EINVAL);
    expect_err(gfin_loan_last_error(l), GFIN_EINVAL, "drawdowns", "1201 values exceed the maximum of 1200");
    const double *got;
    size_t n = 99;
    cr_assert_eq(gfin_loan_get_array(l, GFIN_LOAN_DRAWDOWNS, &got, &n), GFIN_OK);
    cr_assert_eq(n, 0, "a refused array leaves the key unset");
    cr_assert_eq(gfin_loan_set_array(l, GFIN_LOAN_BASE_RATES, d, 1201), GFIN_EINVAL);
    expect_err(gfin_loan_last_error(l), GFIN_EINVAL, "base_rates", "1201 values exceed the maximum of 1200");
    /* SIZE_MAX elements: refused on the count, the array is never read. */
    cr_assert_eq(gfin_loan_set_array(l, GFIN_LOAN_PRINCIPAL_PROFILE, d, (size_t)-1), GFIN_EINVAL);
    expect_err(gfin_loan_last_error(l), GFIN_EINVAL, "principal_profile",
               "18446744073709551615 values exceed the maximum of 1200");
    free(d);
    gfin_loan_free(l);

    /* Through JSON: 1201 drawdowns. */
    size_t cap = 16 * 1201 + 200, len = 0;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    len += (size_t)snprintf(text, cap, "{\"principal\": 1e6, \"annual_rate\": 0.05, \"repayment_periods\": 12, "
                                       "\"drawdowns\": [");
    for (int i = 0; i < 1201; ++i)
        len += (size_t)snprintf(text + len, cap - len, "%s%s", i ? ", " : "", i == 0 ? "1" : "0");
    snprintf(text + len, cap - len, "]}");
    gfin_error e = loan_json_error(text);
    expect_err(&e, GFIN_EINVAL, "drawdowns", "has more than 1200 values");
    free(text);
}

Test(limits, a_loan_longer_than_100_years_is_refused)
{
    /* 600 availability + 300 grace + 301 repayment months = 1201 months =
     * 100.08 years. */
    gfin_loan *l = base_loan();
    double *d = filled(600, 0.0);
    d[0] = 1.0;
    cr_assert_eq(gfin_loan_set_array(l, GFIN_LOAN_DRAWDOWNS, d, 600), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_GRACE_PERIODS, 300), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, 301), GFIN_OK);
    gfin_error e = {0};
    cr_assert_eq(gfin_loan_validate(l, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "repayment_periods",
               "the loan runs 1201 periods of 12 per year = 100.1 years, longer than 100 years "
               "(availability 600 + grace 300 + repayment 301)");
    gfin_result *r = NULL;
    gfin_error e2 = {0};
    cr_assert_eq(gfin_loan_evaluate(l, &r, &e2), GFIN_EINVAL);
    cr_assert_null(r);
    cr_assert_str_eq(e2.message, e.message);
    cr_assert_null(gfin_loan_schedule(l, NULL), "no schedule, and no crash without an error record");
    /* 1200 annual periods = 1200 years. */
    cr_assert_eq(gfin_loan_set_array(l, GFIN_LOAN_DRAWDOWNS, NULL, 0), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_GRACE_PERIODS, 0), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, 1200), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_FREQUENCY, 1), GFIN_OK);
    cr_assert_eq(gfin_loan_validate(l, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "repayment_periods",
               "the loan runs 1200 periods of 1 per year = 1200 years, longer than 100 years "
               "(availability 0 + grace 0 + repayment 1200)");
    free(d);
    gfin_loan_free(l);
}

Test(limits, at_most_64_loans_and_64_sources)
{
    gfin_project *p = gfin_project_new();
    gfin_loan *l = base_loan();
    gfin_error e = {0};
    for (int i = 0; i < 64; ++i)
        cr_assert_eq(gfin_project_add_loan(p, l, &e), GFIN_OK, "loan %d: %s", i, e.message);
    cr_assert_eq(gfin_project_add_loan(p, l, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "loans", "a project takes at most 64 loans");
    cr_assert_eq(gfin_project_loan_count(p), 64);
    gfin_loan_free(l);
    gfin_project_free(p);

    gfin_fund *f = gfin_fund_new();
    for (int i = 0; i < 64; ++i)
        cr_assert_eq(gfin_fund_add_source(f, "s", 1, 0.01, &e), GFIN_OK);
    cr_assert_eq(gfin_fund_add_source(f, "s", 1, 0.01, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "sources", "a fund takes at most 64 sources");
    cr_assert_eq(gfin_fund_source_count(f), 64);
    gfin_fund_free(f);
}

Test(limits, strings_longer_than_255_bytes_are_refused)
{
    char s[257];
    memset(s, 'x', 256);
    s[256] = '\0';
    gfin_loan *l = base_loan();
    cr_assert_eq(gfin_loan_set_string(l, GFIN_LOAN_ID, s), GFIN_EINVAL);
    expect_err(gfin_loan_last_error(l), GFIN_EINVAL, "id", "is 256 bytes long, more than 255");
    s[255] = '\0';
    cr_assert_eq(gfin_loan_set_string(l, GFIN_LOAN_ID, s), GFIN_OK);
    cr_assert_eq(strlen(gfin_loan_get_string(l, GFIN_LOAN_ID)), 255);
    gfin_loan_free(l);
}

/* ------------------------------------------------------------------------ */
/* The longest loan: 100 years of monthly payments                          */
/* ------------------------------------------------------------------------ */

/* Days since 1970-01-01 of a calendar date, by the C library. */
static double days_of(int y, int m, int d)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    time_t t = timegm(&tm);
    return floor((double)t / 86400.0);
}

Test(limits, a_100_year_monthly_loan_has_1200_rows)
{
    /* Annuity, P = 1,000,000 at 6 %/12 = 0.5 % a month over n = 1200 months:
     * payment = P i / (1 - (1 + i)^-n) = 5000 / (1 - 1.005^-1200)
     *         = 5000.12637... (1.005^1200 = 395,702.5...). */
    const double P = 1e6, i = 0.06 / 12;
    const double pay = P * i / (1 - pow(1 + i, -1200.0));
    gfin_loan *l = gfin_loan_new();
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, P), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, 0.06), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, 1200), GFIN_OK);
    gfin_date start;
    cr_assert_eq(gfin_date_from_ymd(2030, 1, 1, &start), GFIN_OK);
    cr_assert_eq(start, days_of(2030, 1, 1));
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_START_DATE, start), GFIN_OK);
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_loan_evaluate_ge(l, 0.1, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    const gfin_table *t = gfin_result_table(r, "schedule");
    cr_assert_eq(gfin_table_rows(t), 1200);
    all_finite(t, NULL, "100-year schedule");
    const double *ds = gfin_table_column_by_name(t, "debt_service"),
                 *prin = gfin_table_column_by_name(t, "principal"),
                 *close = gfin_table_column_by_name(t, "closing_balance"),
                 *ty = gfin_table_column_by_name(t, "time_years"), *date = gfin_table_column_by_name(t, "date");
    cr_assert_not_null(date);
    double sum_p = 0;
    for (size_t k = 0; k < 1200; ++k) {
        close_rel(ds[k], pay, 1e-9, "level payment");
        sum_p += prin[k];
    }
    close_rel(sum_p, P, 1e-9, "principal repaid");
    cr_assert_eq(close[1199], 0.0);
    cr_assert_eq(ty[1199], 100.0);
    /* Period k ends k months after 2030-01-01 (30/360: every month 30 days,
     * so each period's interest is exactly a twelfth of a year's). */
    cr_assert_eq(date[0], days_of(2030, 2, 1));
    cr_assert_eq(date[1199], days_of(2130, 1, 1));
    double v;
    cr_assert_eq(gfin_result_metric(r, GFIN_M_TOTAL_DEBT_SERVICE, &v), GFIN_OK);
    close_rel(v, 1200 * pay, 1e-9, "total debt service");
    /* With neither fees nor grace the borrower's cost is the loan's own rate:
     * (1 + 0.005)^12 - 1 = 6.1678 % effective. */
    cr_assert_eq(gfin_result_metric(r, GFIN_M_ALL_IN_COST, &v), GFIN_OK);
    close_rel(v, pow(1.005, 12) - 1, 1e-9, "all-in cost");
    result_sane(r, "100-year loan");
    json_out_ok(r, "100-year loan");
    char *csv = NULL;
    size_t len = 0;
    cr_assert_eq(gfin_table_to_csv(t, &csv, &len, &e), GFIN_OK);
    size_t lines = 0;
    for (size_t k = 0; k < len; ++k)
        lines += csv[k] == '\n';
    cr_assert_eq(lines, 1201, "header + 1200 rows");
    cr_assert(strstr(csv, "\n1200,100,") != NULL, "the last row: period 1200 at 100 years");
    cr_assert(strstr(csv, ",2130-01-01\n") == csv + len - strlen(",2130-01-01\n"), "the last date ends the file");
    gfin_free(csv);
    gfin_result_free(r);
    gfin_loan_free(l);
}

Test(limits, a_100_year_project_with_a_100_year_loan)
{
    /* 1 construction year + 99 operating years, a 100-year loan (99 years of
     * monthly repayment after 12 months of grace) from the fund. */
    const char *text =
        "{\"id\": \"long\", \"technology\": \"hydro\", \"capacity_mw\": 10, \"capacity_factor\": 0.5,"
        " \"operating_years\": 99, \"capex\": 2e7, \"tariff_per_mwh\": 80, \"start_year\": 2030,"
        " \"discount_rate\": 0.08, \"grid\": {\"ef_cm\": 0.6},"
        " \"loans\": [{\"id\": \"L\", \"principal\": 1e7, \"annual_rate\": 0.04, \"grace_periods\": 12,"
        " \"repayment_periods\": 1188, \"start_date\": \"2030-01-01\", \"day_count\": \"ACT/365F\"}]}";
    gfin_error e = {0};
    gfin_project *p = gfin_project_from_json(text, strlen(text), &e);
    cr_assert_not_null(p, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_project_evaluate(p, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    const gfin_table *y = gfin_result_table(r, "years");
    cr_assert_eq(gfin_table_rows(y), 100);
    /* 10 MW x 8760 h x 0.5 = 43,800 MWh a year; 0.6 t/MWh: 26,280 t a year
     * over 99 years = 2,601,720 t. */
    double v;
    cr_assert_eq(gfin_result_metric(r, GFIN_M_LIFETIME_REDUCTIONS_TCO2E, &v), GFIN_OK);
    close_rel(v, 43800 * 0.6 * 99, 1e-12, "lifetime reductions");
    cr_assert_eq(gfin_table_rows(gfin_result_table(gfin_result_child(r, 0), "schedule")), 1200);
    result_sane(r, "100-year project");
    json_out_ok(r, "100-year project");
    gfin_result_free(r);
    gfin_project_free(p);
}

/* ------------------------------------------------------------------------ */
/* 100,000 projects                                                         */
/* ------------------------------------------------------------------------ */

static size_t project_count(size_t dflt)
{
    const char *s = getenv("GFIN_LIMITS_PROJECTS");
    if (s && *s) {
        size_t n = strtoul(s, NULL, 10);
        if (n > 0)
            return n;
    }
    return dflt;
}

/* One solar project: 5 MWp x 1450 kWh/kWp = 7,250 MWh a year for 25 years;
 * grid 0.6 t/MWh: 4,350 t a year, 108,750 t over its life. */
#define ONE_LIFETIME_T (5.0 * 1450.0 * 0.6 * 25.0)

static gfin_project *solar_project(void)
{
    gfin_project *p = gfin_project_new();
    cr_assert_not_null(p);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_TECHNOLOGY, GFIN_TECH_SOLAR), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CAPACITY_MW, 5), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP, 1450), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CAPEX, 4e6), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_TARIFF_PER_MWH, 60), GFIN_OK);
    return p;
}

static void check_many(const gfin_result *r, size_t n)
{
    double v;
    cr_assert_eq(gfin_result_metric(r, GFIN_M_PROJECT_COUNT, &v), GFIN_OK);
    cr_assert_eq(v, (double)n);
    cr_assert_eq(gfin_result_metric(r, GFIN_M_CAPACITY_MW, &v), GFIN_OK);
    close_rel(v, 5.0 * (double)n, 1e-12, "capacity");
    cr_assert_eq(gfin_result_metric(r, GFIN_M_LIFETIME_REDUCTIONS_TCO2E, &v), GFIN_OK);
    close_rel(v, ONE_LIFETIME_T * (double)n, 1e-9, "lifetime reductions");
    cr_assert_eq(gfin_result_child_count(r), n);
    const gfin_table *pt = gfin_result_table(r, "portfolio");
    cr_assert_eq(gfin_table_rows(pt), 26, "1 construction + 25 operating years");
    close_rel(gfin_table_column_by_name(pt, "reductions_tco2e")[1], 4350.0 * (double)n, 1e-9, "year 2");
    cr_assert_str_eq(gfin_result_id(gfin_result_child(r, n - 1)), "x");
}

/* Peak RSS bound of the whole test process. Measured (debugoptimized):
 * 1386 MiB for 100,000 projects with 40-byte values in 64-slot stores, 983 MiB
 * since values are 24 bytes in 48 slots (a project with its loans holds five
 * stores of 1.1 KiB; the rest is its result). Under ASan the shadow memory and
 * quarantine multiply it, so only the answer is checked there. */
#define RSS_BOUND_KIB (1280L * 1024L)

Test(limits, one_hundred_thousand_projects_through_the_c_api, .timeout = 120)
{
    const size_t n = project_count(UNDER_ASAN ? 20000 : 100000);
    gfin_portfolio *pf = gfin_portfolio_new();
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_PORTFOLIO_START_YEAR, 2030), GFIN_OK);
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_PORTFOLIO_DISCOUNT_RATE, 0.1), GFIN_OK);
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_GRID_EF_CM, 0.6), GFIN_OK);
    gfin_project *p = solar_project();
    gfin_error e = {0};
    for (size_t i = 0; i < n; ++i) {
        char id[32];
        if (i == n - 1)
            snprintf(id, sizeof id, "x");
        else
            snprintf(id, sizeof id, "p%zu", i);
        cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_ID, id), GFIN_OK);
        cr_assert_eq(gfin_portfolio_add_project(pf, p, &e), GFIN_OK, "%s: %s", e.path, e.message);
    }
    cr_assert_eq(gfin_portfolio_project_count(pf), n);
    /* A duplicate id among 100,000 is found (hash set). */
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_ID, "p7"), GFIN_OK);
    cr_assert_eq(gfin_portfolio_add_project(pf, p, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "id", "duplicate project id \"p7\" (also projects[7])");
    gfin_project_free(p);

    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 2, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    check_many(r, n);
    long rss = peak_rss_kib();
    fprintf(stderr, "limits: %zu projects (C API): peak RSS %.0f MiB\n", n, (double)rss / 1024);
    if (!UNDER_ASAN)
        cr_assert_lt(rss, RSS_BOUND_KIB, "peak RSS %ld KiB for %zu projects", rss, n);
    gfin_result_free(r);
    gfin_portfolio_free(pf);
}

Test(limits, one_hundred_thousand_projects_through_json, .timeout = 120)
{
    const size_t n = project_count(UNDER_ASAN ? 20000 : 100000);
    const char *head = "{\"format\": \"greenfin/1\", \"start_year\": 2030, \"discount_rate\": 0.1,"
                       " \"grid\": {\"ef_cm\": 0.6}, \"projects\": [\n";
    size_t cap = strlen(head) + n * 160 + 16, len = 0;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    len += (size_t)snprintf(text, cap, "%s", head);
    for (size_t i = 0; i < n; ++i) {
        char id[32];
        if (i == n - 1)
            snprintf(id, sizeof id, "x");
        else
            snprintf(id, sizeof id, "p%zu", i);
        len += (size_t)snprintf(text + len, cap - len,
                                "%s{\"id\": \"%s\", \"technology\": \"solar\", \"capacity_mw\": 5,"
                                " \"specific_yield_kwh_per_kwp\": 1450, \"capex\": 4e6, \"tariff_per_mwh\": 60}\n",
                                i ? "," : "", id);
        cr_assert_lt(len, cap);
    }
    len += (size_t)snprintf(text + len, cap - len, "]}");
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, len, &e);
    free(text);
    cr_assert_not_null(pf, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 2, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    check_many(r, n);
    long rss = peak_rss_kib();
    fprintf(stderr, "limits: %zu projects (JSON): peak RSS %.0f MiB\n", n, (double)rss / 1024);
    if (!UNDER_ASAN)
        cr_assert_lt(rss, RSS_BOUND_KIB, "peak RSS %ld KiB for %zu projects", rss, n);
    gfin_result_free(r);
    gfin_portfolio_free(pf);
}

/* ------------------------------------------------------------------------ */
/* Document limits: nesting and size                                        */
/* ------------------------------------------------------------------------ */

static char *nested(size_t depth, const char *prefix, const char *suffix)
{
    size_t lp = strlen(prefix), ls = strlen(suffix);
    char *t = malloc(lp + 2 * depth + ls + 1);
    cr_assert_not_null(t);
    memcpy(t, prefix, lp);
    memset(t + lp, '[', depth);
    memset(t + lp + depth, ']', depth);
    memcpy(t + lp + 2 * depth, suffix, ls + 1);
    return t;
}

Test(limits, nesting_deeper_than_64_levels_is_refused)
{
    /* The 65th '[' is at column 65. */
    char *t = nested(65, "", "");
    gfin_error e = {0};
    cr_assert_null(gfin_portfolio_from_json(t, strlen(t), &e));
    expect_err(&e, GFIN_EINVAL, "", "line 1, column 65: nesting deeper than 64 levels");
    e = (gfin_error){0};
    cr_assert_null(gfin_loan_from_json(t, strlen(t), &e));
    expect_err(&e, GFIN_EINVAL, "", "line 1, column 65: nesting deeper than 64 levels");
    e = (gfin_error){0};
    cr_assert_null(gfin_project_from_json(t, strlen(t), &e));
    expect_err(&e, GFIN_EINVAL, "", "line 1, column 65: nesting deeper than 64 levels");
    free(t);

    /* A million levels: refused the same way, without deep recursion. */
    t = nested(1000000, "", "");
    e = (gfin_error){0};
    cr_assert_null(gfin_portfolio_from_json(t, strlen(t), &e));
    expect_err(&e, GFIN_EINVAL, "", "line 1, column 65: nesting deeper than 64 levels");
    free(t);

    /* Inside a document: {"projects": [ {"id": [[...]]} ]} -- the object, the
     * projects array and the project object are 3 levels, so 62 more '['
     * reach 65. */
    const char *pre = "{\"format\": \"greenfin/1\",\n \"projects\": [{\"id\": ";
    t = nested(62, pre, "}]}");
    e = (gfin_error){0};
    cr_assert_null(gfin_portfolio_from_json(t, strlen(t), &e));
    char want[80];
    snprintf(want, sizeof want, "line 2, column %zu: nesting deeper than 64 levels",
             strlen(" \"projects\": [{\"id\": ") + 62);
    expect_err(&e, GFIN_EINVAL, "", want);
    free(t);

    /* 64 levels are not refused for their depth: the error is then about
     * what the document holds. */
    t = nested(61, pre, "}]}");
    e = (gfin_error){0};
    cr_assert_null(gfin_portfolio_from_json(t, strlen(t), &e));
    expect_err(&e, GFIN_EINVAL, "projects[0].id", "expected a string, got an array");
    free(t);
    t = nested(64, "", "");
    e = (gfin_error){0};
    cr_assert_null(gfin_loan_from_json(t, strlen(t), &e));
    expect_err(&e, GFIN_EINVAL, "", "expected an object, got an array");
    free(t);
}

Test(limits, documents_over_64_mib_are_refused_before_parsing, .timeout = 120)
{
    /* 64 MiB + 1 byte of valid JSON: an object padded with spaces. */
    const size_t max = 64u * 1024u * 1024u;
    cr_assert_eq(GFIN_JSON_MAX_BYTES, max);
    char *t = malloc(max + 2);
    cr_assert_not_null(t);
    memset(t, ' ', max + 1);
    t[0] = '{';
    t[1] = '}';
    t[max + 1] = '\0';
    gfin_error e = {0};
    cr_assert_null(gfin_portfolio_from_json(t, max + 1, &e));
    expect_err(&e, GFIN_EINVAL, "", "the document is 67108865 bytes, more than the 64 MiB limit");
    e = (gfin_error){0};
    cr_assert_null(gfin_loan_from_json(t, max + 1, &e));
    expect_err(&e, GFIN_EINVAL, "", "the document is 67108865 bytes, more than the 64 MiB limit");
    /* Exactly 64 MiB is parsed: the error is about its content. */
    e = (gfin_error){0};
    cr_assert_null(gfin_portfolio_from_json(t, max, &e));
    expect_err(&e, GFIN_EINVAL, "format", "is required (\"greenfin/1\")");
    free(t);
}

Test(limits, malformed_documents_say_where)
{
    gfin_error e = loan_json_error("{\"principal\": 1e6,\n \"annual_rate\": NaN}");
    expect_err(&e, GFIN_EPARSE, "", "line 2, column 17: NaN and Infinity are not JSON numbers");
    e = loan_json_error("{\"principal\": -Infinity}");
    expect_err(&e, GFIN_EPARSE, "", "line 1, column 16: invalid number");
    e = loan_json_error("{\"principal\": 1e6,}");
    expect_err(&e, GFIN_EPARSE, "", "line 1, column 19: expected a string key");
    e = loan_json_error("");
    expect_err(&e, GFIN_EPARSE, "", "line 1, column 1: unexpected end of the document");
    e = loan_json_error("{} {}");
    expect_err(&e, GFIN_EPARSE, "", "line 1, column 4: content after the end of the document");
}

Test(limits, escapes_that_are_not_characters_are_parse_errors)
{
    /* JSON strings hold Unicode characters: a \u escape of a lone surrogate
     * (RFC 8259 section 8.2: "unpaired surrogates") encodes none. The
     * document is malformed: GFIN_EPARSE with line and column, not "out of
     * memory" (cJSON's parser fails on it after our scanner passed it). */
    static const char *const texts[] = {
        "{\"id\": \"\\ud800\", \"principal\": 1, \"annual_rate\": 0.05, \"repayment_periods\": 12}",
        "{\"id\": \"\\udc00\", \"principal\": 1, \"annual_rate\": 0.05, \"repayment_periods\": 12}",
        "{\"id\": \"\\ud800\\u0041\", \"principal\": 1, \"annual_rate\": 0.05, \"repayment_periods\": 12}",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; ++i) {
        gfin_error e = loan_json_error(texts[i]);
        cr_expect_eq(e.code, GFIN_EPARSE, "%s: code %d (%s)", texts[i], e.code, e.message);
        cr_expect(strncmp(e.message, "line 1, column ", 15) == 0, "%s: %s", texts[i], e.message);
    }
    /* \u0000 is a character, but not one a C string holds: cJSON cut the id
     * "a\u0000b" to "a" without a word, so two different ids could load as
     * the same. Refused as an invalid input, with its place. */
    gfin_error z = loan_json_error(
        "{\"id\": \"a\\u0000b\", \"principal\": 1, \"annual_rate\": 0.05, \"repayment_periods\": 12}");
    cr_expect_eq(z.code, GFIN_EINVAL, "\\u0000: code %d (%s)", z.code, z.message);
    cr_expect(strncmp(z.message, "line 1, column ", 15) == 0, "\\u0000: %s", z.message);
    /* A valid pair is a character: U+1F600. */
    const char *ok = "{\"id\": \"\\ud83d\\ude00\", \"principal\": 1, \"annual_rate\": 0.05, \"repayment_periods\": 12}";
    gfin_error e = {0};
    gfin_loan *l = gfin_loan_from_json(ok, strlen(ok), &e);
    cr_assert_not_null(l, "%s", e.message);
    cr_assert_str_eq(gfin_loan_get_string(l, GFIN_LOAN_ID), "\xF0\x9F\x98\x80");
    gfin_loan_free(l);
}

/* ------------------------------------------------------------------------ */
/* NaN, Infinity, 1e308, -1e308, 1e-320 in every numeric input              */
/* ------------------------------------------------------------------------ */

static const double EXTREMES[] = {1e308, -1e308, 1e-320};
static const char *const EXTREME_TEXT[] = {"1e+308", "-1e+308", "1e-320"};
static const char *const EXTREME_JSON[] = {"1e308", "-1e308", "1e-320"};

static bool is_object(gfin_key k, const char *const *objects)
{
    for (size_t i = 0; objects[i]; ++i)
        if (strcmp(gfin_key_object(k), objects[i]) == 0)
            return true;
    return false;
}

/* Whether the registry's rule admits v for a number/integer key (bounds,
 * whole numbers; the frequency's list of values aside). */
static bool admitted(gfin_key k, double v)
{
    double lo, hi;
    int lox, hix;
    cr_assert_eq(gfin_key_bounds(k, &lo, &hi, &lox, &hix), GFIN_OK);
    if (gfin_key_type(k) != GFIN_PARAM_NUMBER && gfin_key_type(k) != GFIN_PARAM_ARRAY && v != floor(v))
        return false;
    if (lox ? v <= lo : v < lo)
        return false;
    if (hix ? v >= hi : v > hi)
        return false;
    return k != GFIN_LOAN_FREQUENCY || v == 1 || v == 2 || v == 4 || v == 12;
}

/* The refusal of a value the key does not admit names the key and starts
 * with the value as written ("1e+308 is above the maximum ..."). */
static void check_refusal(const gfin_error *e, const char *path, const char *vtext)
{
    cr_assert_eq(e->code, GFIN_EINVAL, "%s = %s: code %d", path, vtext, e->code);
    cr_assert_str_eq(e->path, path, "%s = %s: %s", path, vtext, e->message);
    cr_assert(strncmp(e->message, vtext, strlen(vtext)) == 0 && e->message[strlen(vtext)] == ' ',
              "%s = %s: message \"%s\"", path, vtext, e->message);
}

typedef gfin_status (*set_fn)(void *h, gfin_key k, double v);
typedef gfin_status (*set_array_fn)(void *h, gfin_key k, const double *v, size_t n);
typedef gfin_status (*get_fn)(const void *h, gfin_key k, double *out);
typedef const gfin_error *(*last_fn)(const void *h);

static gfin_status loan_set_(void *h, gfin_key k, double v) { return gfin_loan_set(h, k, v); }
static gfin_status loan_set_array_(void *h, gfin_key k, const double *v, size_t n)
{
    return gfin_loan_set_array(h, k, v, n);
}
static gfin_status loan_get_(const void *h, gfin_key k, double *out) { return gfin_loan_get(h, k, out); }
static const gfin_error *loan_last_(const void *h) { return gfin_loan_last_error(h); }
static gfin_status project_set_(void *h, gfin_key k, double v) { return gfin_project_set(h, k, v); }
static gfin_status project_set_array_(void *h, gfin_key k, const double *v, size_t n)
{
    return gfin_project_set_array(h, k, v, n);
}
static gfin_status project_get_(const void *h, gfin_key k, double *out) { return gfin_project_get(h, k, out); }
static const gfin_error *project_last_(const void *h) { return gfin_project_last_error(h); }

typedef struct handle_ops {
    set_fn set;
    set_array_fn set_array;
    get_fn get;
    last_fn last;
} handle_ops;

static const handle_ops LOAN_OPS = {loan_set_, loan_set_array_, loan_get_, loan_last_};
static const handle_ops PROJECT_OPS = {project_set_, project_set_array_, project_get_, project_last_};

/* NaN and +-Infinity: refused by every numeric setter, by name, the handle
 * unchanged; the same for one non-finite element of an array. */
static void non_finite_refused(void *h, const handle_ops *ops, const char *const *objects)
{
    static const double bad[] = {NAN, INFINITY, -INFINITY};
    static const char *const text[] = {"NaN is not a finite number", "Infinity is not a finite number",
                                       "-Infinity is not a finite number"};
    size_t checked = 0;
    for (size_t i = 0; i < gfin_key_count(); ++i) {
        gfin_key k = gfin_key_at(i);
        if (!is_object(k, objects) || gfin_key_type(k) == GFIN_PARAM_STRING)
            continue;
        for (size_t b = 0; b < 3; ++b) {
            char want_path[64];
            if (gfin_key_type(k) == GFIN_PARAM_ARRAY) {
                double arr[3] = {0.25, 0.25, bad[b]};
                cr_assert_eq(ops->set_array(h, k, arr, 3), GFIN_EINVAL, "%s", gfin_key_name(k));
                snprintf(want_path, sizeof want_path, "%s[2]", gfin_key_name(k));
            } else {
                double before = -12345, after = -12345;
                gfin_status had = ops->get(h, k, &before);
                cr_assert_eq(ops->set(h, k, bad[b]), GFIN_EINVAL, "%s = %g", gfin_key_name(k), bad[b]);
                cr_assert_eq(ops->get(h, k, &after), had);
                cr_assert(before == after, "%s changed by a refused set", gfin_key_name(k));
                snprintf(want_path, sizeof want_path, "%s", gfin_key_name(k));
            }
            expect_err(ops->last(h), GFIN_EINVAL, want_path, text[b]);
            checked++;
        }
    }
    cr_assert_gt(checked, 3 * 10, "the registry was walked");
}

Test(limits, non_finite_values_are_refused_by_every_setter)
{
    gfin_loan *l = base_loan();
    non_finite_refused(l, &LOAN_OPS, (const char *const[]){"loan", NULL});
    gfin_loan_free(l);
    gfin_project *p = solar_project();
    non_finite_refused(p, &PROJECT_OPS, (const char *const[]){"project", "grid", "debt_sizing", NULL});
    gfin_project_free(p);

    gfin_fund *f = gfin_fund_new();
    cr_assert_eq(gfin_fund_set(f, GFIN_FUND_CAPITAL, NAN), GFIN_EINVAL);
    expect_err(gfin_fund_last_error(f), GFIN_EINVAL, "capital", "NaN is not a finite number");
    cr_assert_eq(gfin_fund_set(f, GFIN_FUND_MANAGEMENT_FEE, INFINITY), GFIN_EINVAL);
    expect_err(gfin_fund_last_error(f), GFIN_EINVAL, "management_fee", "Infinity is not a finite number");
    gfin_error e = {0};
    cr_assert_eq(gfin_fund_add_source(f, "s", NAN, 0.01, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "amount", "NaN is not a finite number");
    cr_assert_eq(gfin_fund_add_source(f, "s", 1, -INFINITY, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "annual_rate", "-Infinity is not a finite number");
    cr_assert_eq(gfin_fund_source_count(f), 0);
    gfin_fund_free(f);

    gfin_portfolio *pf = gfin_portfolio_new();
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_PORTFOLIO_DISCOUNT_RATE, NAN), GFIN_EINVAL);
    expect_err(gfin_portfolio_last_error(pf), GFIN_EINVAL, "discount_rate", "NaN is not a finite number");
    cr_assert_eq(gfin_portfolio_set(pf, GFIN_GRID_EF_CM, INFINITY), GFIN_EINVAL);
    expect_err(gfin_portfolio_last_error(pf), GFIN_EINVAL, "ef_cm", "Infinity is not a finite number");
    gfin_portfolio_free(pf);

    /* Evaluation inputs given as arguments. */
    l = base_loan();
    gfin_result *r = NULL;
    cr_assert_eq(gfin_loan_evaluate_ge(l, NAN, &r, &e), GFIN_EINVAL);
    expect_err(&e, GFIN_EINVAL, "discount_rate", "NaN is outside (-1, 10] (fraction/year)");
    cr_assert_null(r);
    gfin_loan_free(l);
}

/* One base loan / project per case, the value set, then evaluated. */
typedef struct extreme_case {
    const char *what;
    void *(*make)(void);
    void (*destroy)(void *);
    const handle_ops *ops;
    gfin_status (*eval)(const void *h, gfin_result **r, gfin_error *e);
    const char *const *objects;
} extreme_case;

static void *make_loan(void) { return base_loan(); }
static void free_loan(void *h) { gfin_loan_free(h); }
static gfin_status eval_loan(const void *h, gfin_result **r, gfin_error *e) { return gfin_loan_evaluate_ge(h, 0.1, r, e); }

/* A floating-rate sculpted loan (keys the fixed annuity leaves unused). */
static void *make_loan_sculpted(void)
{
    gfin_loan *l = gfin_loan_new();
    const double base[] = {0.03, 0.04}, prof[] = {400, 400, 400}, draws[] = {0.5, 0.5};
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, 1000), GFIN_OK);
    cr_assert_eq(gfin_loan_set_array(l, GFIN_LOAN_BASE_RATES, base, 2), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_FREQUENCY, 1), GFIN_OK);
    cr_assert_eq(gfin_loan_set_array(l, GFIN_LOAN_DRAWDOWNS, draws, 2), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_SCULPTED), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, 3), GFIN_OK);
    cr_assert_eq(gfin_loan_set_array(l, GFIN_LOAN_DEBT_SERVICE_PROFILE, prof, 3), GFIN_OK);
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_START_DATE, 21915), GFIN_OK); /* 2030-01-01 */
    return l;
}

static void *make_project(void)
{
    gfin_project *p = solar_project();
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_ID, "s"), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_START_YEAR, 2030), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_DISCOUNT_RATE, 0.08), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_GRID_EF_CM, 0.6), GFIN_OK);
    gfin_loan *l = base_loan();
    gfin_error e = {0};
    cr_assert_eq(gfin_project_add_loan(p, l, &e), GFIN_OK, "%s", e.message);
    gfin_loan_free(l);
    return p;
}

/* A hydro project by flow, with a reservoir and sized debt. */
static void *make_project_hydro(void)
{
    gfin_project *p = gfin_project_new();
    const double flow[12] = {10, 12, 15, 20, 30, 40, 50, 45, 35, 25, 15, 11};
    cr_assert_eq(gfin_project_set_string(p, GFIN_PROJECT_ID, "h"), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_TECHNOLOGY, GFIN_TECH_HYDRO), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CAPACITY_MW, 20), GFIN_OK);
    cr_assert_eq(gfin_project_set_array(p, GFIN_PROJECT_MONTHLY_FLOW_M3S, flow, 12), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_HEAD_M, 80), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_RESERVOIR_AREA_KM2, 2), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CONSTRUCTION_YEARS, 2), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CAPEX, 3e7), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_TARIFF_PER_MWH, 70), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_CARBON_PRICE_PER_TCO2E, 5), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_TAX_RATE, 0.2), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_START_YEAR, 2030), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_PROJECT_DISCOUNT_RATE, 0.1), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_GRID_EF_OM, 0.9), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_GRID_EF_BM, 0.6), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_SIZING_TARGET_DSCR, 1.3), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_SIZING_TENOR_YEARS, 12), GFIN_OK);
    cr_assert_eq(gfin_project_set(p, GFIN_SIZING_ANNUAL_RATE, 0.06), GFIN_OK);
    return p;
}

static void free_project(void *h) { gfin_project_free(h); }
static gfin_status eval_project(const void *h, gfin_result **r, gfin_error *e)
{
    return gfin_project_evaluate(h, r, e);
}

/* Sets v on a fresh base; refused exactly when the registry's rule says so;
 * if accepted, evaluation gives a sane result or a clear error. */
static void one_extreme(const extreme_case *c, gfin_key k, size_t x)
{
    const double v = EXTREMES[x];
    void *h = c->make();
    gfin_status st;
    char path[64];
    if (gfin_key_type(k) == GFIN_PARAM_ARRAY) {
        /* A whole array of the value, of the length the base needs. */
        double arr[12];
        size_t n = k == GFIN_PROJECT_MONTHLY_FLOW_M3S ? 12 : k == GFIN_PROJECT_CAPEX_PROFILE ? 1 : 3;
        for (size_t i = 0; i < n; ++i)
            arr[i] = v;
        st = c->ops->set_array(h, k, arr, n);
        snprintf(path, sizeof path, "%s[0]", gfin_key_name(k));
    } else {
        st = c->ops->set(h, k, v);
        snprintf(path, sizeof path, "%s", gfin_key_name(k));
    }
    const bool choice_or_date = gfin_key_type(k) == GFIN_PARAM_CHOICE || gfin_key_type(k) == GFIN_PARAM_DATE;
    if (choice_or_date || !admitted(k, v)) {
        cr_assert_eq(st, GFIN_EINVAL, "%s: %s = %s accepted", c->what, path, EXTREME_TEXT[x]);
        check_refusal(c->ops->last(h), path, EXTREME_TEXT[x]);
    } else {
        cr_assert_eq(st, GFIN_OK, "%s: %s = %s refused: %s", c->what, path, EXTREME_TEXT[x], c->ops->last(h)->message);
        gfin_result *r = NULL;
        gfin_error e = {0};
        gfin_status es = c->eval(h, &r, &e);
        if (es == GFIN_OK) {
            char what[128];
            snprintf(what, sizeof what, "%s with %s = %s", c->what, path, EXTREME_TEXT[x]);
            result_sane(r, what);
            json_out_ok(r, what);
            gfin_result_free(r);
        } else {
            cr_assert(es == GFIN_EINVAL || es == GFIN_ERANGE || es == GFIN_ENOCONV, "%s: %s = %s: status %d",
                      c->what, path, EXTREME_TEXT[x], es);
            cr_assert_eq(e.code, es);
            cr_assert_neq(e.message[0], '\0', "%s: %s = %s: an error without a message", c->what, path,
                          EXTREME_TEXT[x]);
            cr_assert_null(r);
        }
    }
    c->destroy(h);
}

Test(limits, extreme_finite_values_in_every_numeric_key_through_the_setters)
{
    const extreme_case cases[] = {
        {"fixed annuity loan", make_loan, free_loan, &LOAN_OPS, eval_loan, (const char *const[]){"loan", NULL}},
        {"floating sculpted loan", make_loan_sculpted, free_loan, &LOAN_OPS, eval_loan,
         (const char *const[]){"loan", NULL}},
        {"solar project", make_project, free_project, &PROJECT_OPS, eval_project,
         (const char *const[]){"project", "grid", "debt_sizing", NULL}},
        {"hydro project", make_project_hydro, free_project, &PROJECT_OPS, eval_project,
         (const char *const[]){"project", "grid", "debt_sizing", NULL}},
    };
    size_t n = 0;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c)
        for (size_t i = 0; i < gfin_key_count(); ++i) {
            gfin_key k = gfin_key_at(i);
            if (!is_object(k, cases[c].objects) || gfin_key_type(k) == GFIN_PARAM_STRING)
                continue;
            for (size_t x = 0; x < 3; ++x, ++n)
                one_extreme(&cases[c], k, x);
        }
    cr_assert_gt(n, 200);
}

/* JSON: the same values written as JSON numbers, key by key. The document is
 * the base object with the key added (or its value replaced). */
typedef struct field {
    const char *name;
    const char *value;
} field;

static const field LOAN_FIELDS[] = {{"principal", "1e6"}, {"annual_rate", "0.05"}, {"repayment_periods", "120"},
                                    {NULL, NULL}};
static const field PROJECT_FIELDS[] = {
    {"id", "\"s\""}, {"technology", "\"hydro\""}, {"capacity_mw", "20"}, {"capacity_factor", "0.5"},
    {"capex", "3e7"}, {"tariff_per_mwh", "70"}, {"start_year", "2030"}, {"discount_rate", "0.1"}, {NULL, NULL}};
static const field GRID_FIELDS[] = {{"ef_cm", "0.6"}, {NULL, NULL}};
static const field SIZING_FIELDS[] = {{"target_dscr", "1.3"}, {"tenor_years", "12"}, {"annual_rate", "0.06"},
                                      {NULL, NULL}};

static void put_fields(char *buf, size_t cap, size_t *len, const field *f, const char *name, const char *value)
{
    bool replaced = false;
    for (size_t i = 0; f[i].name; ++i) {
        bool mine = name && strcmp(f[i].name, name) == 0;
        replaced |= mine;
        *len += (size_t)snprintf(buf + *len, cap - *len, "%s\"%s\": %s", i ? ", " : "", f[i].name,
                                 mine ? value : f[i].value);
    }
    if (name && !replaced)
        *len += (size_t)snprintf(buf + *len, cap - *len, ", \"%s\": %s", name, value);
}

/* A JSON value of the key's type filled with v (arrays of the length the
 * base needs). */
static void json_value(gfin_key k, const char *v, char *buf, size_t cap)
{
    if (gfin_key_type(k) != GFIN_PARAM_ARRAY) {
        snprintf(buf, cap, "%s", v);
        return;
    }
    size_t n = k == GFIN_PROJECT_MONTHLY_FLOW_M3S ? 12 : k == GFIN_PROJECT_CAPEX_PROFILE ? 1 : 3, len = 0;
    len += (size_t)snprintf(buf, cap, "[");
    for (size_t i = 0; i < n; ++i)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", v);
    snprintf(buf + len, cap - len, "]");
}

Test(limits, extreme_finite_values_in_every_numeric_key_through_json)
{
    size_t n = 0;
    for (size_t i = 0; i < gfin_key_count(); ++i) {
        gfin_key k = gfin_key_at(i);
        const char *obj = gfin_key_object(k);
        const int type = gfin_key_type(k);
        if (type != GFIN_PARAM_NUMBER && type != GFIN_PARAM_INTEGER && type != GFIN_PARAM_ARRAY)
            continue;
        const bool loan = strcmp(obj, "loan") == 0, grid = strcmp(obj, "grid") == 0,
                   sizing = strcmp(obj, "debt_sizing") == 0, project = strcmp(obj, "project") == 0;
        if (!loan && !grid && !sizing && !project)
            continue;
        for (size_t x = 0; x < 3; ++x, ++n) {
            char value[400], text[2048];
            size_t len = 0;
            json_value(k, EXTREME_JSON[x], value, sizeof value);
            const char *name = gfin_key_name(k);
            len += (size_t)snprintf(text, sizeof text, "{");
            if (loan) {
                put_fields(text, sizeof text, &len, LOAN_FIELDS, name, value);
            } else {
                put_fields(text, sizeof text, &len, PROJECT_FIELDS, project ? name : NULL, value);
                len += (size_t)snprintf(text + len, sizeof text - len, ", \"grid\": {");
                put_fields(text, sizeof text, &len, GRID_FIELDS, grid ? name : NULL, value);
                len += (size_t)snprintf(text + len, sizeof text - len, "}, \"debt_sizing\": {");
                put_fields(text, sizeof text, &len, SIZING_FIELDS, sizing ? name : NULL, value);
                len += (size_t)snprintf(text + len, sizeof text - len, "}");
            }
            snprintf(text + len, sizeof text - len, "}");
            gfin_error e = {0};
            gfin_result *r = NULL;
            gfin_status es;
            void *h;
            if (loan) {
                h = gfin_loan_from_json(text, strlen(text), &e);
            } else {
                h = gfin_project_from_json(text, strlen(text), &e);
            }
            char path[96];
            snprintf(path, sizeof path, "%s%s%s", grid ? "grid." : sizing ? "debt_sizing." : "", name,
                     type == GFIN_PARAM_ARRAY ? "[0]" : "");
            if (!admitted(k, EXTREMES[x])) {
                cr_assert_null(h, "accepted: %s", text);
                check_refusal(&e, path, EXTREME_TEXT[x]);
                continue;
            }
            cr_assert_not_null(h, "%s: %s: %s", text, e.path, e.message);
            es = loan ? gfin_loan_evaluate_ge(h, 0.1, &r, &e) : gfin_project_evaluate(h, &r, &e);
            if (es == GFIN_OK) {
                result_sane(r, text);
                json_out_ok(r, text);
                gfin_result_free(r);
            } else {
                cr_assert(es == GFIN_EINVAL || es == GFIN_ERANGE || es == GFIN_ENOCONV, "%s: status %d", text, es);
                cr_assert_neq(e.message[0], '\0');
            }
            if (loan)
                gfin_loan_free(h);
            else
                gfin_project_free(h);
        }
    }
    cr_assert_gt(n, 100);

    /* Numbers beyond the double range: JSON has no Infinity, so a number that
     * reads as one was written too large, and the message says so (in an
     * array, with the element's index); 1e-400 underflows to 0. */
    gfin_error e = loan_json_error("{\"principal\": 1e400, \"annual_rate\": 0.05, \"repayment_periods\": 12}");
    expect_err(&e, GFIN_EINVAL, "principal", "the number is beyond the range of a double (about 1.8e308)");
    e = loan_json_error("{\"principal\": 1, \"annual_rate\": -1e400, \"repayment_periods\": 12}");
    expect_err(&e, GFIN_EINVAL, "annual_rate", "the negative number is beyond the range of a double (about 1.8e308)");
    e = loan_json_error("{\"principal\": 1, \"annual_rate\": 0.05, \"repayment_periods\": 2, "
                        "\"amortization\": \"custom\", \"principal_profile\": [0.5, 1e999]}");
    expect_err(&e, GFIN_EINVAL, "principal_profile[1]", "the number is beyond the range of a double (about 1.8e308)");
    e = loan_json_error("{\"principal\": 1e-400, \"annual_rate\": 0.05, \"repayment_periods\": 12}");
    expect_err(&e, GFIN_EINVAL, "principal", "0 must be greater than 0 (money)");
}

/* A principal that is only just representable (subnormal) gives a schedule of
 * subnormal numbers: finite, and the balance still reaches 0. */
Test(limits, a_subnormal_principal_still_repays)
{
    gfin_loan *l = base_loan();
    cr_assert_eq(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, 1e-320), GFIN_OK);
    gfin_result *r = NULL;
    gfin_error e = {0};
    cr_assert_eq(gfin_loan_evaluate(l, &r, &e), GFIN_OK, "%s", e.message);
    const gfin_table *t = gfin_result_table(r, "schedule");
    all_finite(t, NULL, "subnormal loan");
    cr_assert_eq(gfin_table_column_by_name(t, "closing_balance")[119], 0.0);
    double v;
    cr_assert_eq(gfin_result_metric(r, GFIN_M_TOTAL_DRAWN, &v), GFIN_OK);
    cr_assert_eq(v, 1e-320);
    result_sane(r, "subnormal loan");
    gfin_result_free(r);
    gfin_loan_free(l);
}

/* Regression (found by the sweep above): max_gearing 1e-320 caps the sized
 * loan at 1e-320 x 3e7 = 3e-313, a subnormal principal whose debt service is
 * subnormal too; CFADS / debt service then overflows and the years table held
 * dscr = +Infinity (written "Infinity" in CSV). A ratio that is not
 * representable is no value (NaN, null), like a year without debt service --
 * or the evaluation is refused; Infinity is neither. */
Test(limits, dscr_of_a_subnormal_debt_service_is_not_infinite)
{
    const char *text =
        "{\"id\": \"s\", \"technology\": \"hydro\", \"capacity_mw\": 20, \"capacity_factor\": 0.5, \"capex\": 3e7,"
        " \"tariff_per_mwh\": 70, \"start_year\": 2030, \"discount_rate\": 0.1, \"grid\": {\"ef_cm\": 0.6},"
        " \"debt_sizing\": {\"target_dscr\": 1.3, \"tenor_years\": 12, \"annual_rate\": 0.06,"
        " \"max_gearing\": 1e-320}}";
    gfin_error e = {0};
    gfin_project *p = gfin_project_from_json(text, strlen(text), &e);
    cr_assert_not_null(p, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    gfin_status st = gfin_project_evaluate(p, &r, &e);
    if (st == GFIN_OK) {
        const gfin_table *y = gfin_result_table(r, "years");
        const double *dscr = gfin_table_column_by_name(y, "dscr");
        for (size_t i = 0; i < gfin_table_rows(y); ++i)
            cr_expect(!isinf(dscr[i]), "dscr[%zu] = %g", i, dscr[i]);
        char *csv = NULL;
        cr_assert_eq(gfin_table_to_csv(y, &csv, NULL, &e), GFIN_OK);
        cr_expect_null(strstr(csv, "Infinity"), "Infinity in the CSV");
        gfin_free(csv);
        result_sane(r, "subnormal sized debt");
        gfin_result_free(r);
    } else {
        cr_assert(st == GFIN_ERANGE || st == GFIN_EINVAL, "status %d", st);
        cr_assert_neq(e.message[0], '\0');
    }
    gfin_project_free(p);
}

/* The host program's locale. A service embedding the library may call
 * setlocale(LC_ALL, "") under a locale whose decimal point is a comma
 * (de_DE, fr_FR, ...); printf and strtod then write and read "0,05". JSON and
 * CSV are C-locale formats: "0,05" in a CSV cell is two cells, in JSON a
 * syntax error. The test needs such a locale: it tries the usual names and
 * is skipped when none is installed (Debian: locales-all; or build one with
 * `localedef -i de_DE -f UTF-8 /tmp/loc/de_DE.UTF-8` and run with
 * LOCPATH=/tmp/loc). */
Test(limits, outputs_do_not_depend_on_the_host_locale)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "nl_NL.UTF-8",
                                        "es_ES.UTF-8", "ru_RU.UTF-8", NULL};
    const char *got = NULL;
    for (size_t i = 0; names[i] && !got; ++i)
        got = setlocale(LC_NUMERIC, names[i]);
    if (!got || strcmp(localeconv()->decimal_point, ".") == 0)
        cr_skip_test("no locale with a decimal comma is installed");
    /* 1000.5 at 5 % over 2 years, annual: interest 50.025 in year 1. */
    const char *text = "{\"principal\": 1000.5, \"annual_rate\": 0.05, \"repayment_periods\": 2, \"frequency\": 1}";
    gfin_error e = {0};
    gfin_loan *l = gfin_loan_from_json(text, strlen(text), &e);
    cr_assert_not_null(l, "%s: %s", e.path, e.message);
    double v;
    cr_assert_eq(gfin_loan_get(l, GFIN_LOAN_PRINCIPAL, &v), GFIN_OK);
    cr_expect_eq(v, 1000.5, "JSON numbers are read in the C locale");
    gfin_result *r = NULL;
    cr_assert_eq(gfin_loan_evaluate(l, &r, &e), GFIN_OK, "%s", e.message);
    char *csv = NULL;
    cr_assert_eq(gfin_table_to_csv(gfin_result_table(r, "schedule"), &csv, NULL, &e), GFIN_OK);
    /* Header, 2 rows of 11 cells: 10 commas a line. */
    size_t commas = 0;
    for (const char *p = csv; *p; ++p)
        commas += *p == ',';
    cr_expect_eq(commas, 30, "CSV under %s: %s", got, csv);
    cr_expect_neq(strstr(csv, ",50.025000000000006,"), NULL, "interest of year 1 written with '.': %s", csv);
    char *json = NULL;
    cr_assert_eq(gfin_result_to_json(r, &json, NULL, &e), GFIN_OK);
    cr_expect_null(strstr(json, "1000,5"), "JSON under %s: %.200s", got, json);
    cr_expect_neq(strstr(json, "1000.5"), NULL, "JSON under %s: %.200s", got, json);
    cr_expect_eq(gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, 7.5), GFIN_EINVAL);
    cr_expect_str_eq(gfin_loan_last_error(l)->message, "7.5 is above the maximum 1 (fraction/year)");
    gfin_free(json);
    gfin_free(csv);
    gfin_result_free(r);
    gfin_loan_free(l);
    setlocale(LC_NUMERIC, "C");
}
