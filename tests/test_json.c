/* test_json.c -- JSON in through the registry, errors with paths, JSON out. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greenfin.h"
#include "test_data.h"

static gfin_error load_portfolio_error(const char *text)
{
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, strlen(text), &e);
    cr_assert_null(pf, "expected a refusal of: %s", text);
    return e;
}

static void expect(const gfin_error *e, int code, const char *path, const char *message)
{
    cr_assert_eq(e->code, code, "code %d (%s: %s)", e->code, e->path, e->message);
    cr_assert_str_eq(e->path, path);
    cr_assert_str_eq(e->message, message);
}

#define HEAD "{\"format\": \"greenfin/1\", \"start_year\": 2030, \"discount_rate\": 0.1, \"grid\": {\"ef_cm\": 0.6}, "
#define SOLAR(id) "{\"id\": \"" id "\", \"technology\": \"solar\", \"capacity_mw\": 5, " \
                  "\"specific_yield_kwh_per_kwp\": 1450, \"capex\": 4e6, \"tariff_per_mwh\": 60"
#define LOAN "{\"principal\": 1e6, \"annual_rate\": 0.05, \"repayment_periods\": 120"

Test(json, loan_loads_every_kind_of_key)
{
    const char *text = "{\"id\": \"L\", \"lender\": \"fund\", \"principal\": 1000, \"annual_rate\": 0.06,"
                       " \"frequency\": 4, \"drawdowns\": [0.5, 0.5], \"amortization\": \"linear\","
                       " \"repayment_periods\": 8, \"start_date\": \"2024-02-29\", \"day_count\": \"ACT/365F\"}";
    gfin_error e = {0};
    gfin_loan *l = gfin_loan_from_json(text, strlen(text), &e);
    cr_assert_not_null(l, "%s: %s", e.path, e.message);
    double v;
    cr_assert_eq(gfin_loan_get(l, GFIN_LOAN_FREQUENCY, &v), GFIN_OK);
    cr_assert_eq(v, 4);
    cr_assert_eq(gfin_loan_get(l, GFIN_LOAN_AMORTIZATION, &v), GFIN_OK);
    cr_assert_eq(v, GFIN_AMORT_LINEAR);
    cr_assert_eq(gfin_loan_get(l, GFIN_LOAN_DAY_COUNT, &v), GFIN_OK);
    cr_assert_eq(v, GFIN_DC_ACT_365F);
    gfin_date d;
    cr_assert_eq(gfin_date_from_ymd(2024, 2, 29, &d), GFIN_OK);
    cr_assert_eq(gfin_loan_get(l, GFIN_LOAN_START_DATE, &v), GFIN_OK);
    cr_assert_eq(v, d);
    cr_assert_str_eq(gfin_loan_get_string(l, GFIN_LOAN_LENDER), "fund");
    const double *dd;
    size_t n;
    cr_assert_eq(gfin_loan_get_array(l, GFIN_LOAN_DRAWDOWNS, &dd, &n), GFIN_OK);
    cr_assert(n == 2 && dd[0] == 0.5 && dd[1] == 0.5);
    gfin_loan_free(l);
}

Test(json, unknown_key_suggests_the_nearest)
{
    const char *text = "{\"principal\": 10, \"amortisation\": \"linear\"}";
    gfin_error e = {0};
    cr_assert_null(gfin_loan_from_json(text, strlen(text), &e));
    expect(&e, GFIN_EINVAL, "amortisation", "unknown key 'amortisation' (did you mean 'amortization'?)");
    const char *far = "{\"colour\": 1}";
    cr_assert_null(gfin_loan_from_json(far, strlen(far), &e));
    expect(&e, GFIN_EINVAL, "colour", "unknown key 'colour' for a loan");
}

Test(json, bad_choice_suggests_the_nearest)
{
    const char *text = "{\"amortization\": \"linaer\"}";
    gfin_error e = {0};
    cr_assert_null(gfin_loan_from_json(text, strlen(text), &e));
    expect(&e, GFIN_EINVAL, "amortization",
           "'linaer' is not one of \"annuity\", \"linear\", \"bullet\", \"balloon\", \"custom\", \"sculpted\" "
           "(did you mean 'linear'?)");
}

Test(json, wrong_types_name_the_key)
{
    gfin_error e = {0};
    const char *a = "{\"principal\": \"100\"}";
    cr_assert_null(gfin_loan_from_json(a, strlen(a), &e));
    expect(&e, GFIN_EINVAL, "principal", "expected a number, got a string");
    const char *b = "{\"drawdowns\": [0.5, \"x\"]}";
    cr_assert_null(gfin_loan_from_json(b, strlen(b), &e));
    expect(&e, GFIN_EINVAL, "drawdowns[1]", "expected a number, got a string");
    const char *c = "{\"start_date\": \"2023-02-29\"}";
    cr_assert_null(gfin_loan_from_json(c, strlen(c), &e));
    expect(&e, GFIN_EINVAL, "start_date", "'2023-02-29' is not a date (YYYY-MM-DD)");
    const char *d = "[1, 2]";
    cr_assert_null(gfin_loan_from_json(d, strlen(d), &e));
    expect(&e, GFIN_EINVAL, "", "expected an object, got an array");
}

Test(json, out_of_bound_value_has_full_path)
{
    const char *text = HEAD "\"projects\": [" SOLAR("a") "}, " SOLAR("b") "}, " SOLAR("c")
        ", \"loans\": [{\"principal\": 1, \"annual_rate\": -0.5, \"repayment_periods\": 2}]}]}";
    gfin_error e = load_portfolio_error(text);
    expect(&e, GFIN_EINVAL, "projects[2].loans[0].annual_rate", "-0.5 is below the minimum 0 (fraction/year)");
}

Test(json, duplicate_project_ids_refused)
{
    const char *text = HEAD "\"projects\": [" SOLAR("a") "}, " SOLAR("b") "}, " SOLAR("a") "}]}";
    gfin_error e = load_portfolio_error(text);
    expect(&e, GFIN_EINVAL, "projects[2].id", "duplicate project id \"a\" (also projects[0])");
}

Test(json, duplicate_keys_refused)
{
    const char *text = "{\"principal\": 1, \"principal\": 2}";
    gfin_error e = {0};
    cr_assert_null(gfin_loan_from_json(text, strlen(text), &e));
    expect(&e, GFIN_EINVAL, "principal", "duplicate key 'principal'");
}

Test(json, format_is_required_and_checked)
{
    gfin_error e = load_portfolio_error("{\"start_year\": 2030, \"projects\": []}");
    expect(&e, GFIN_EINVAL, "format", "is required (\"greenfin/1\")");
    e = load_portfolio_error("{\"format\": \"greenfin/2\", \"projects\": []}");
    expect(&e, GFIN_EINVAL, "format", "\"greenfin/2\" is not supported (expected \"greenfin/1\")");
    e = load_portfolio_error(HEAD "\"projects\": []}");
    expect(&e, GFIN_EINVAL, "projects", "the portfolio has no projects");
}

Test(json, nested_sections_report_their_paths)
{
    gfin_error e = load_portfolio_error(HEAD "\"fund\": {\"capital\": 10, \"sources\": [{\"amount\": 5}]},"
                                             " \"projects\": [" SOLAR("a") "}]}");
    expect(&e, GFIN_EINVAL, "fund.sources[0].annual_rate", "is required (cost of this source (grant: 0))");
    e = load_portfolio_error(HEAD "\"projects\": [" SOLAR("a") ", \"grid\": {\"ef_cm\": 2.5}}]}");
    expect(&e, GFIN_EINVAL, "projects[0].grid.ef_cm", "2.5 is above the maximum 2 (tCO2e/MWh)");
    e = load_portfolio_error(HEAD "\"projects\": [" SOLAR("a") ", \"debt_sizing\": {\"target_dscr\": 0.5}}]}");
    expect(&e, GFIN_EINVAL, "projects[0].debt_sizing.target_dscr", "0.5 is below the minimum 1 (ratio)");
    e = load_portfolio_error(HEAD "\"projects\": [" SOLAR("a") ", \"loans\": {}}]}");
    expect(&e, GFIN_EINVAL, "projects[0].loans", "expected an array, got an object");
    /* Array keys: an empty one, and an element, inside a project's loan. */
    e = load_portfolio_error(HEAD "\"projects\": [" SOLAR("a") ", \"loans\": [{\"principal\": 1, \"annual_rate\": 0.05, "
                             "\"repayment_periods\": 2, \"drawdowns\": []}]}]}");
    expect(&e, GFIN_EINVAL, "projects[0].loans[0].drawdowns",
           "is an empty array: give at least one value or leave the key out");
    e = load_portfolio_error(HEAD "\"projects\": [" SOLAR("a") ", \"loans\": [{\"principal\": 1, \"annual_rate\": 0.05, "
                             "\"repayment_periods\": 2, \"drawdowns\": [0.5, \"half\"]}]}]}");
    expect(&e, GFIN_EINVAL, "projects[0].loans[0].drawdowns[1]", "expected a number, got a string");
}

Test(json, malformed_json_reports_line_and_column)
{
    const char *text = "{\n  \"principal\": 10,\n  \"annual_rate\" 0.05\n}";
    gfin_error e = {0};
    cr_assert_null(gfin_loan_from_json(text, strlen(text), &e));
    expect(&e, GFIN_EPARSE, "", "line 3, column 17: expected ':' after a key");
    const char *t2 = "{\"principal\": 10,}";
    cr_assert_null(gfin_loan_from_json(t2, strlen(t2), &e));
    expect(&e, GFIN_EPARSE, "", "line 1, column 18: expected a string key");
    const char *t3 = "{\"principal\": NaN}";
    cr_assert_null(gfin_loan_from_json(t3, strlen(t3), &e));
    expect(&e, GFIN_EPARSE, "", "line 1, column 15: NaN and Infinity are not JSON numbers");
    const char *t4 = "{} x";
    cr_assert_null(gfin_loan_from_json(t4, strlen(t4), &e));
    expect(&e, GFIN_EPARSE, "", "line 1, column 4: content after the end of the document");
    const char t5[] = {'{', '"', 'a', (char)0xff, '"', ':', '1', '}'};
    cr_assert_null(gfin_loan_from_json(t5, sizeof t5, &e));
    expect(&e, GFIN_EPARSE, "", "line 1, column 4: invalid UTF-8 in a string");
}

Test(json, huge_numbers_are_refused_by_bounds)
{
    gfin_error e = {0};
    const char *t = "{\"principal\": 1e400}";
    cr_assert_null(gfin_loan_from_json(t, strlen(t), &e));
    expect(&e, GFIN_EINVAL, "principal", "the number is beyond the range of a double (about 1.8e308)");
    const char *t2 = "{\"principal\": 1e308}";
    cr_assert_null(gfin_loan_from_json(t2, strlen(t2), &e));
    cr_assert_str_eq(e.path, "principal");
    cr_assert_not_null(strstr(e.message, "is above the maximum"), "%s", e.message);
}

Test(json, nesting_deeper_than_64_refused_before_parsing)
{
    char text[200];
    memset(text, '[', 65);
    memset(text + 65, ']', 65);
    gfin_error e = {0};
    cr_assert_null(gfin_loan_from_json(text, 130, &e));
    expect(&e, GFIN_EINVAL, "", "line 1, column 65: nesting deeper than 64 levels");
    /* 64 levels are fine for the scanner (then refused as not an object). */
    cr_assert_null(gfin_loan_from_json(text + 1, 128, &e));
    cr_assert_eq(e.code, GFIN_EINVAL);
    cr_assert_str_eq(e.message, "expected an object, got an array");
}

Test(json, documents_over_64_mib_refused_before_reading)
{
    /* The size is checked first: the text is never read. */
    const char tiny[] = "{}";
    gfin_error e = {0};
    cr_assert_null(gfin_portfolio_from_json(tiny, (size_t)GFIN_JSON_MAX_BYTES + 1, &e));
    expect(&e, GFIN_EINVAL, "", "the document is 67108865 bytes, more than the 64 MiB limit");
}

Test(json, result_json_has_model_shape)
{
    const char *text = "{\"id\": \"L\", \"principal\": 1000, \"annual_rate\": 0.1, \"frequency\": 1,"
                       " \"repayment_periods\": 2, \"start_date\": \"2025-01-31\"}";
    gfin_loan *l = gfin_loan_from_json(text, strlen(text), NULL);
    cr_assert_not_null(l);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_loan_evaluate(l, &r, NULL), GFIN_OK);
    char *json = NULL;
    size_t len = 0;
    cr_assert_eq(gfin_result_to_json(r, &json, &len, NULL), GFIN_OK);
    cr_assert_eq(strlen(json), len);
    cr_assert(strncmp(json, "{\"metrics\":{\"total_drawn\":1000,", 31) == 0, "%.60s", json);
    /* Annual annuity PMT(0.1, 2, 1000) = 576.19047619047...; interest 100 then 42.38. */
    cr_assert_not_null(strstr(json, "\"schedule\":{\"period\":[1,2],\"time_years\":[1,2],"), "%s", json);
    cr_assert_not_null(strstr(json, "\"date\":[\"2026-01-31\",\"2027-01-31\"]"), "%s", json);
    cr_assert_null(strstr(json, "\"warnings\""), "a loan result has no warnings member");
    gfin_free(json);
    cr_assert_eq(gfin_table_to_json(gfin_result_table(r, "schedule"), &json, NULL, NULL), GFIN_OK);
    cr_assert(strncmp(json, "{\"period\":[1,2],", 16) == 0, "%s", json);
    gfin_free(json);
    gfin_result_free(r);
    gfin_loan_free(l);
}

/* Numbers are written to round-trip exactly: 3076.5802352096503 has 17
 * significant digits, and cJSON's own printer would write 3076.58023520965. */
Test(json, numbers_round_trip_exactly)
{
    const char *text = "{\"principal\": 3076.5802352096503, \"annual_rate\": 0, \"frequency\": 1,"
                       " \"repayment_periods\": 1}";
    gfin_loan *l = gfin_loan_from_json(text, strlen(text), NULL);
    cr_assert_not_null(l);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_loan_evaluate(l, &r, NULL), GFIN_OK);
    char *json = NULL;
    cr_assert_eq(gfin_result_to_json(r, &json, NULL, NULL), GFIN_OK);
    cr_assert_not_null(strstr(json, "\"total_drawn\":3076.5802352096503,"), "%s", json);
    gfin_free(json);
    cr_assert_eq(gfin_result_metrics_to_csv(r, &json, NULL, NULL), GFIN_OK);
    const char *head = "name,value\ntotal_drawn,3076.5802352096503\n";
    cr_assert(strncmp(json, head, strlen(head)) == 0, "%s", json);
    cr_assert_not_null(strstr(json, "\nwal_years,1\n"), "whole numbers without decimals: %s", json);
    gfin_free(json);
    gfin_result_free(r);
    gfin_loan_free(l);
}

Test(json, null_metrics_and_cells_are_null)
{
    const char *text = "{\"id\": \"p\", \"technology\": \"solar\", \"capacity_mw\": 1, \"capacity_factor\": 0.2,"
                       " \"capex\": 1000, \"tariff_per_mwh\": 0, \"operating_years\": 2, \"discount_rate\": 0.1,"
                       " \"start_year\": 2030, \"grid\": {\"ef_cm\": 0.5}}";
    gfin_error e = {0};
    gfin_project *p = gfin_project_from_json(text, strlen(text), &e);
    cr_assert_not_null(p, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_project_evaluate(p, &r, &e), GFIN_OK);
    char *json = NULL;
    cr_assert_eq(gfin_result_to_json(r, &json, NULL, NULL), GFIN_OK);
    cr_assert_not_null(strstr(json, "\"project_irr\":null"), "no IRR is null");
    cr_assert_not_null(strstr(json, "\"dscr\":[null,null,null]"), "no debt: dscr null every year");
    cr_assert_not_null(strstr(json, "\"warnings\":[\"project_irr:"), "warnings array");
    cr_assert_not_null(strstr(json, "\"loans\":{}}"), "a project without loans has an empty loans object");
    gfin_free(json);
    gfin_result_free(r);
    gfin_project_free(p);
}

/* Every example file under examples/data loads and evaluates. */
Test(json, example_files_load_and_evaluate)
{
    const char *dir = getenv("GFIN_EXAMPLES_DATA");
    cr_assert_not_null(dir);
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    size_t count = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        size_t nl = strlen(ent->d_name);
        if (nl < 6 || strcmp(ent->d_name + nl - 5, ".json") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f);
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        rewind(f);
        char *text = malloc((size_t)n + 1);
        cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
        text[n] = '\0'; /* for strstr below; the loaders take the length */
        fclose(f);
        gfin_error e = {0};
        gfin_result *r = NULL;
        gfin_status st;
        if (strstr(ent->d_name, "loan")) {
            gfin_loan *l = gfin_loan_from_json(text, (size_t)n, &e);
            st = l ? gfin_loan_evaluate(l, &r, &e) : e.code;
            gfin_loan_free(l);
        } else if (strstr(text, "\"format\"")) {
            gfin_portfolio *pf = gfin_portfolio_from_json(text, (size_t)n, &e);
            st = pf ? gfin_portfolio_evaluate(pf, 0, &r, &e) : e.code;
            gfin_portfolio_free(pf);
        } else {
            gfin_project *p = gfin_project_from_json(text, (size_t)n, &e);
            st = p ? gfin_project_evaluate(p, &r, &e) : e.code;
            gfin_project_free(p);
        }
        cr_assert_eq(st, GFIN_OK, "%s: %s: %s", ent->d_name, e.path, e.message);
        gfin_result_free(r);
        free(text);
        count++;
    }
    closedir(d);
    cr_assert_geq(count, 6, "the example files are there");
}

/* ---- issue 12 item 13: messages ---- */

/* The limit is a property of the array: the message names the array
 * (shared/repro F1, F1b: 65 loans, 65 sources), not a "loans" key inside
 * its 65th element. */
Test(json, too_many_loans_or_sources_name_the_array)
{
    size_t n;
    char *text = gfin_test_read("issue12/F1_loans_limit_path.json", &n);
    gfin_error e = {0};
    cr_assert_null(gfin_portfolio_from_json(text, n, &e));
    expect(&e, GFIN_EINVAL, "projects[0].loans", "a project takes at most 64 loans");
    free(text);
    text = gfin_test_read("issue12/F1b_sources_limit_path.json", &n);
    cr_assert_null(gfin_portfolio_from_json(text, n, &e));
    expect(&e, GFIN_EINVAL, "fund.sources", "a fund takes at most 64 sources");
    free(text);
    /* An error inside an element still names the element. */
    e = load_portfolio_error(HEAD "\"projects\": [" SOLAR("a") ", \"loans\": [" LOAN "}, " LOAN ", \"frequency\": 5}]}]}");
    cr_assert_str_eq(e.path, "projects[0].loans[1].frequency");
}

/* RFC 8259 section 8.1: a parser may ignore a leading byte-order mark;
 * editors on Windows write one. Only at the very start. */
Test(json, leading_utf8_bom_is_skipped)
{
    const char *bom_loan = "\xEF\xBB\xBF" LOAN "}";
    gfin_error e = {0};
    gfin_loan *l = gfin_loan_from_json(bom_loan, strlen(bom_loan), &e);
    cr_assert_not_null(l, "%s: %s", e.path, e.message);
    gfin_loan_free(l);
    const char *bom_pf = "\xEF\xBB\xBF" HEAD "\"projects\": [" SOLAR("a") "}]}";
    gfin_portfolio *pf = gfin_portfolio_from_json(bom_pf, strlen(bom_pf), &e);
    cr_assert_not_null(pf, "%s: %s", e.path, e.message);
    gfin_portfolio_free(pf);
    /* Positions count from after the mark: the 'x' is line 1, column 2. */
    const char *bad = "\xEF\xBB\xBF{x";
    cr_assert_null(gfin_loan_from_json(bad, strlen(bad), &e));
    cr_assert_eq(e.code, GFIN_EPARSE);
    cr_assert_str_eq(e.message, "line 1, column 2: expected a string key");
    /* A mark anywhere else, or a second one, is not whitespace. */
    const char *twice = "\xEF\xBB\xBF\xEF\xBB\xBF{}";
    cr_assert_null(gfin_loan_from_json(twice, strlen(twice), &e));
    cr_assert_eq(e.code, GFIN_EPARSE);
}

/* Dates out of bounds are written as dates (shared/repro F9, F9b), not as
 * days since 1970 ("-25568 is outside ..."). */
Test(json, out_of_range_dates_are_written_as_dates)
{
    size_t n;
    char *text = gfin_test_read("issue12/F9_date_message_day_number.json", &n);
    gfin_error e = {0};
    cr_assert_null(gfin_loan_from_json(text, n, &e));
    expect(&e, GFIN_EINVAL, "start_date", "1899-12-31 is outside 1900-01-01 .. 2199-12-31");
    free(text);
    text = gfin_test_read("issue12/F9b_date_message_day_number.json", &n);
    cr_assert_null(gfin_loan_from_json(text, n, &e));
    expect(&e, GFIN_EINVAL, "start_date", "9999-12-31 is outside 1900-01-01 .. 2199-12-31");
    free(text);
    /* Through the C setter too; a day with no calendar form stays a number. */
    gfin_loan *l = gfin_loan_new();
    cr_assert_eq(gfin_loan_set_err(l, GFIN_LOAN_START_DATE, -25568, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.message, "1899-12-31 is outside 1900-01-01 .. 2199-12-31");
    cr_assert_eq(gfin_loan_set_err(l, GFIN_LOAN_START_DATE, 1e7, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.message, "10000000 is outside 1900-01-01 .. 2199-12-31");
    gfin_loan_free(l);
}

/* Issue 12 item 6 through the loader: the full path of a dated loan outside
 * its project's first year (shared/repro F8, in a portfolio). */
Test(json, dated_loan_outside_project_has_full_path)
{
    size_t n;
    char *proj = gfin_test_read("issue12/F8_dated_loan_start_outside_project.json", &n);
    char *text = malloc(n + 128);
    snprintf(text, n + 128, "{\"format\": \"greenfin/1\", \"start_year\": 2027, \"discount_rate\": 0.1, "
                            "\"projects\": [%s]}", proj);
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, strlen(text), &e);
    cr_assert_not_null(pf, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 1, &r, &e), GFIN_EINVAL);
    cr_assert_str_eq(e.path, "projects[0].loans[0].start_date");
    cr_assert_not_null(strstr(e.message, "2090-06-30 is outside the project's first year 2027"), "%s", e.message);
    gfin_portfolio_free(pf);
    free(text);
    free(proj);
}

/* Issue 12 item 8: a portfolio where one project has no grid evaluates; its
 * carbon totals are null (not a sum over the others), with a warning. */
Test(json, portfolio_without_grid_has_null_carbon_totals)
{
    const char *text = "{\"format\": \"greenfin/1\", \"start_year\": 2030, \"discount_rate\": 0.1, \"projects\": ["
                       SOLAR("a") "}, " SOLAR("b") ", \"grid\": {\"ef_cm\": 0.6}}]}";
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, strlen(text), &e);
    cr_assert_not_null(pf, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 1, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    double v;
    cr_assert_eq(gfin_result_metric(r, GFIN_M_LIFETIME_REDUCTIONS_TCO2E, &v), GFIN_ENOVALUE);
    cr_assert_eq(gfin_result_metric(gfin_result_child(r, 1), GFIN_M_LIFETIME_REDUCTIONS_TCO2E, &v), GFIN_OK);
    cr_assert_gt(v, 0);
    const gfin_table *t = gfin_result_table(r, "portfolio");
    const char *cols[] = {"reductions_tco2e", "reductions_tco2e_solar", "attributed_tco2e",
                          "cumulative_reductions_tco2e"};
    for (size_t j = 0; j < 4; ++j)
        for (size_t y = 0; y < gfin_table_rows(t); ++y)
            cr_assert(isnan(gfin_table_column_by_name(t, cols[j])[y]), "%s[%zu]", cols[j], y);
    cr_assert(!isnan(gfin_table_column_by_name(t, "net_mwh")[1]));
    cr_assert_str_eq(gfin_result_warning(r, 0), "carbon: 1 project without emission factors (a): the portfolio's "
                                                 "reductions and attributed reductions are null");
    gfin_result_free(r);
    gfin_portfolio_free(pf);
}
