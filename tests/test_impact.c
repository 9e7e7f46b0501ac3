/* test_impact.c -- the impact table of a portfolio (ICMA core indicators for
 * renewable energy in one calendar year), on a two-project case derived by hand.
 *
 * Portfolio from 2030, grid EF_CM 0.5 tCO2e/MWh (given as the combined margin,
 * so no OM/BM weights apply), a fund.
 * A "sun": solar 10 MWp, 1,500 kWh/kWp, C = 1 (2030), O = 10 (2031-2040),
 *   capex 8,000,000. Net energy 10 x 1,000 kWp x 1,500 kWh = 15,000 MWh a year;
 *   reductions 15,000 x 0.5 = 7,500 tCO2e (solar: no project emissions).
 *   Fund loan 4,000,000 at 5 %, annual, drawn at the start of 2030, 1 grace year,
 *   8 linear repayments of 500,000 from 2031: balance at the end of 2030 4.0 m,
 *   2031 3.5 m, 2032 3.0 m, 2034 2.0 m, 2038 0.
 * B "river": hydro 20 MW, capacity factor 0.5, C = 4 (2030-2033), O = 30 (from
 *   2034), capex 40,000,000. Net 20 x 8,760 x 0.5 = 87,600 MWh; reductions
 *   87,600 x 0.5 = 43,800 tCO2e (run of river: no reservoir emissions).
 *   Fund loan 10,000,000 at 4 %, annual, drawn at the start of 2030, 4 grace
 *   years, 10 linear repayments of 1,000,000 from 2034: balance 10 m to the end
 *   of 2033, 9 m at the end of 2034.
 * Fund share = fund balance at the end of the year / capex (PCAF, capped at 1).
 *
 * 2032: A operates: 15,000 MWh, 7,500 t, share 3.0/8 = 0.375: 5,625 MWh and
 *   2,812.5 t attributed. B is in construction: expected annual 87,600 MWh and
 *   43,800 t, share 10/40 = 0.25: 21,900 MWh and 10,950 t. Totals 102,600 MWh,
 *   51,300 t, attributed 27,525 MWh and 13,762.5 t; capacity 30 MW; 1 expected.
 * Default year: the first in which both operate, max(2031, 2034) = 2034:
 *   A share 2.0/8 = 0.25: 3,750 MWh, 1,875 t; B share 9/40 = 0.225: 19,710 MWh,
 *   9,855 t; none expected.
 * 2041: A has stopped (its last year is 2040): 0. B operates; of its 10
 *   repayments (2034-2043) 8 are made by the end of 2041: balance 2 m, share
 *   2/40 = 0.05: 4,380 MWh and 2,190 t attributed. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greenfin.h"

static const char PORTFOLIO[] =
    "{\"format\": \"greenfin/1\", \"name\": \"impact case\", \"start_year\": 2030, \"discount_rate\": 0.1,"
    " \"grid\": {\"ef_cm\": 0.5}, %s"
    " \"fund\": {\"name\": \"F\", \"capital\": 100000000,"
    "   \"sources\": [{\"name\": \"s\", \"amount\": 100000000, \"annual_rate\": 0.02}]},"
    " \"projects\": ["
    "  {\"id\": \"sun\", \"technology\": \"solar\", \"capacity_mw\": 10, \"specific_yield_kwh_per_kwp\": 1500,"
    "   \"construction_years\": 1, \"operating_years\": 10, \"capex\": 8000000, \"tariff_per_mwh\": 60,"
    "   \"loans\": [{\"id\": \"a\", \"lender\": \"fund\", \"principal\": 4000000, \"annual_rate\": 0.05,"
    "     \"frequency\": 1, \"grace_periods\": 1, \"repayment_periods\": 8, \"amortization\": \"linear\"}]},"
    "  {\"id\": \"river\", \"technology\": \"hydro\", \"capacity_mw\": 20, \"capacity_factor\": 0.5,"
    "   \"construction_years\": 4, \"operating_years\": 30, \"capex\": 40000000, \"tariff_per_mwh\": 60,"
    "   \"loans\": [{\"id\": \"b\", \"lender\": \"fund\", \"principal\": 10000000, \"annual_rate\": 0.04,"
    "     \"frequency\": 1, \"grace_periods\": 4, \"repayment_periods\": 10, \"amortization\": \"linear\"}]}]}";

static gfin_result *evaluate(const char *year_key)
{
    char text[4096];
    snprintf(text, sizeof text, PORTFOLIO, year_key);
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, strlen(text), &e);
    cr_assert(pf, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 1, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    gfin_portfolio_free(pf);
    return r;
}

static void close_to(double got, double want, const char *what)
{
    cr_assert(fabs(got - want) <= 1e-9 * fmax(1, fabs(want)), "%s: got %.17g, want %.17g", what, got, want);
}

static double cell(const gfin_table *t, const char *col, size_t row)
{
    const double *c = gfin_table_column_by_name(t, col);
    cr_assert(c, "no column %s", col);
    return c[row];
}

static double metric(const gfin_result *r, gfin_metric m)
{
    double v;
    cr_assert_eq(gfin_result_metric(r, m, &v), GFIN_OK, "metric %d", (int)m);
    return v;
}

/* One row: expected flag, MWh, tCO2e, share (project-by-project figures above). */
static void row(const gfin_table *t, size_t i, int year, double expected, double cap, double mwh, double tco2e,
                double share)
{
    close_to(cell(t, "project", i), (double)(i + 1), "project");
    close_to(cell(t, "calendar_year", i), year, "calendar_year");
    close_to(cell(t, "expected", i), expected, "expected");
    close_to(cell(t, "capacity_mw", i), cap, "capacity_mw");
    close_to(cell(t, "net_mwh", i), mwh, "net_mwh");
    close_to(cell(t, "reductions_tco2e", i), tco2e, "reductions_tco2e");
    close_to(cell(t, "fund_share", i), share, "fund_share");
    close_to(cell(t, "attributed_mwh", i), mwh * share, "attributed_mwh");
    close_to(cell(t, "attributed_tco2e", i), tco2e * share, "attributed_tco2e");
}

Test(impact, year_with_one_project_in_construction_reports_its_expected_figures)
{
    gfin_result *r = evaluate("\"impact_year\": 2032,");
    const gfin_table *t = gfin_result_table(r, "impact");
    cr_assert(t);
    cr_assert_eq(gfin_table_rows(t), 2);
    row(t, 0, 2032, 0, 10, 15000, 7500, 0.375);
    row(t, 1, 2032, 1, 20, 87600, 43800, 0.25);
    close_to(metric(r, GFIN_M_IMPACT_YEAR), 2032, "impact_year");
    close_to(metric(r, GFIN_M_IMPACT_CAPACITY_MW), 30, "impact_capacity_mw");
    close_to(metric(r, GFIN_M_IMPACT_NET_MWH), 102600, "impact_net_mwh");
    close_to(metric(r, GFIN_M_IMPACT_REDUCTIONS_TCO2E), 51300, "impact_reductions_tco2e");
    close_to(metric(r, GFIN_M_IMPACT_ATTRIBUTED_MWH), 27525, "impact_attributed_mwh");
    close_to(metric(r, GFIN_M_IMPACT_ATTRIBUTED_TCO2E), 13762.5, "impact_attributed_tco2e");
    close_to(metric(r, GFIN_M_IMPACT_EXPECTED_PROJECTS), 1, "impact_expected_projects");
    gfin_result_free(r);
}

Test(impact, default_year_is_the_first_in_which_every_project_operates)
{
    gfin_result *r = evaluate("");
    const gfin_table *t = gfin_result_table(r, "impact");
    row(t, 0, 2034, 0, 10, 15000, 7500, 0.25);
    row(t, 1, 2034, 0, 20, 87600, 43800, 0.225);
    close_to(metric(r, GFIN_M_IMPACT_YEAR), 2034, "impact_year");
    close_to(metric(r, GFIN_M_IMPACT_ATTRIBUTED_TCO2E), 1875 + 9855, "impact_attributed_tco2e");
    close_to(metric(r, GFIN_M_IMPACT_EXPECTED_PROJECTS), 0, "impact_expected_projects");
    gfin_result_free(r);
}

Test(impact, a_plant_past_its_operating_life_reports_nothing)
{
    gfin_result *r = evaluate("\"impact_year\": 2041,");
    const gfin_table *t = gfin_result_table(r, "impact");
    row(t, 0, 2041, 0, 10, 0, 0, 0);
    row(t, 1, 2041, 0, 20, 87600, 43800, 0.05);
    gfin_result_free(r);
}

Test(impact, without_a_fund_nothing_is_attributed)
{
    static const char text[] =
        "{\"format\": \"greenfin/1\", \"start_year\": 2030, \"discount_rate\": 0.1, \"grid\": {\"ef_cm\": 0.5},"
        " \"projects\": [{\"id\": \"sun\", \"technology\": \"solar\", \"capacity_mw\": 10,"
        " \"specific_yield_kwh_per_kwp\": 1500, \"capex\": 8000000, \"tariff_per_mwh\": 60}]}";
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, strlen(text), &e);
    cr_assert(pf, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 1, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
    const gfin_table *t = gfin_result_table(r, "impact");
    close_to(cell(t, "net_mwh", 0), 15000, "net_mwh");            /* 2031, its first operating year */
    cr_assert(isnan(cell(t, "fund_share", 0)), "no fund: no share");
    cr_assert(isnan(cell(t, "attributed_tco2e", 0)), "no fund: nothing attributed");
    double v;
    cr_assert_eq(gfin_result_metric(r, GFIN_M_IMPACT_ATTRIBUTED_TCO2E, &v), GFIN_EINVAL);
    gfin_result_free(r);
    gfin_portfolio_free(pf);
}

Test(impact, year_outside_the_bounds_is_refused_with_its_path)
{
    char text[4096];
    snprintf(text, sizeof text, PORTFOLIO, "\"impact_year\": 1800,");
    gfin_error e = {0};
    cr_assert_null(gfin_portfolio_from_json(text, strlen(text), &e));
    cr_assert_str_eq(e.path, "impact_year");
    cr_assert(strstr(e.message, "1800"), "%s", e.message);
}

/* The fund's share in the impact table is the PCAF factor of the portfolio's
 * yearly attribution (docs/model.md 7.4): in a year in which every project
 * operates, the attributed tonnes of the rows add up to the portfolio table's
 * attributed_tco2e of that year, for each year of the sample. */
Test(impact, agrees_with_the_yearly_attribution_of_the_sample)
{
    char path[4096];
    const char *dir = getenv("GFIN_EXAMPLES_DATA");
    cr_assert(dir, "GFIN_EXAMPLES_DATA is not set");
    snprintf(path, sizeof path, "%s/cambodia_pipeline.json", dir);
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    int compared = 0;
    for (int year = 2031; year <= 2045; year += 7) {
        gfin_error e = {0};
        gfin_portfolio *pf = gfin_portfolio_from_json(text, len, &e);
        cr_assert(pf, "%s: %s", e.path, e.message);
        cr_assert_eq(gfin_portfolio_set(pf, GFIN_PORTFOLIO_IMPACT_YEAR, year), GFIN_OK);
        gfin_result *r = NULL;
        cr_assert_eq(gfin_portfolio_evaluate(pf, 1, &r, &e), GFIN_OK, "%s: %s", e.path, e.message);
        const gfin_table *t = gfin_result_table(r, "impact"), *pt = gfin_result_table(r, "portfolio");
        double expected = metric(r, GFIN_M_IMPACT_EXPECTED_PROJECTS), want = NAN;
        const double *cal = gfin_table_column_by_name(pt, "calendar_year");
        for (size_t k = 0; k < gfin_table_rows(pt); ++k)
            if (cal[k] == year)
                want = gfin_table_column_by_name(pt, "attributed_tco2e")[k];
        if (expected == 0) {
            double sum = 0;
            for (size_t i = 0; i < gfin_table_rows(t); ++i)
                sum += cell(t, "attributed_tco2e", i);
            close_to(sum, want, "sum of attributed_tco2e");
            close_to(metric(r, GFIN_M_IMPACT_ATTRIBUTED_TCO2E), want, "impact_attributed_tco2e");
            compared++;
        }
        cr_assert(year > 2031 || expected > 0, "2031: some hydro plants still in construction");
        gfin_result_free(r);
        gfin_portfolio_free(pf);
    }
    cr_assert_eq(compared, 2, "2038 and 2045: every project operates");
}
