/* impact.c -- impact reporting in one calendar year, after ICMA's Harmonised
 * Framework for Impact Reporting (Green Bond Principles; core indicators for
 * renewable energy: capacity of the plants in MW, annual renewable generation
 * in MWh, annual GHG emissions avoided in tCO2e), with each project's figures
 * shared pro rata to the fund's part of its financing, as ICMA recommends for
 * co-financed projects.
 *
 * For reporting year Y and project i (first operating year F = its first
 * calendar year + construction years, last L = F + operating years - 1):
 *   Y in [F, L]: net_mwh and reductions_tco2e are those of year Y (expected 0);
 *   Y < F:       the project is still in construction: its expected annual
 *                figures, those of year F, marked expected = 1;
 *   Y > L:       the plant has stopped: 0 (expected 0).
 *   fund_share = the fund's balance outstanding in the project at the end of Y /
 *                the project's capex (its total financing), capped at 1 -- the
 *                PCAF attribution of the year (docs/model.md);
 *   attributed_mwh = net_mwh x fund_share, attributed_tco2e = reductions x share.
 * Without a fund, fund_share and the attributed columns are null. Totals (the
 * impact_* metrics) sum every row, expected figures included; the count of
 * projects reported by expected figures says how many. */
#include "impact.h"
#include "project.h"
#include "loan.h"
#include "table.h"

#include <math.h>

/* The table's columns, in the output registry's order (I_* index them). */
enum { I_PROJECT, I_YEAR, I_EXPECTED, I_CAPACITY, I_NET, I_RED, I_SHARE, I_ATT_MWH, I_ATT_TCO2E, NI };
static const gfin_column ICOLS[NI] = {
    GFIN_C_IMPACT_PROJECT, GFIN_C_IMPACT_CALENDAR_YEAR, GFIN_C_IMPACT_EXPECTED, GFIN_C_IMPACT_CAPACITY_MW,
    GFIN_C_IMPACT_NET_MWH, GFIN_C_IMPACT_REDUCTIONS_TCO2E, GFIN_C_IMPACT_FUND_SHARE, GFIN_C_IMPACT_ATTRIBUTED_MWH,
    GFIN_C_IMPACT_ATTRIBUTED_TCO2E};

static int key_int(const gfin_project *p, gfin_key key)
{
    double v = NAN;
    (void)gfin_project_get(p, key, &v);
    return isfinite(v) ? (int)v : 0;
}

static double metric_or_zero(const gfin_result *r, gfin_metric m)
{
    double v;
    return gfin_result_metric(r, m, &v) == GFIN_OK ? v : 0;
}

/* The fund's balance in project p at the end of its project year m (1-based):
 * the closing balance of the last period ending in that year, m x frequency,
 * of each fund loan (a loan's period 1 starts with project year 1; its first
 * period ends at time_years = 1 / frequency), as the fund's book reads its
 * year-end balances; 0 before the first year and after the last period. */
static double fund_balance(const gfin_project *p, const gfin_result *r, long m)
{
    double balance = 0;
    for (size_t l = 0; m >= 1 && l < gfin_result_child_count(r); ++l) {
        const gfin_table *s = gfin_result_table(gfin_result_child(r, l), "schedule");
        if (!gfin__project_loan_from_fund(p, l) || !s || !gfin_table_rows(s))
            continue;
        const size_t k = gfin__periods_to_year_end((size_t)m, gfin__schedule_frequency(s));
        if (k <= gfin_table_rows(s))
            balance += gfin_table_column_by_name(s, "closing_balance")[k - 1];
    }
    return balance;
}

gfin_status gfin__impact_add(const gfin_portfolio *pf, gfin_result *const *results, gfin_result *out)
{
    const size_t n = gfin_portfolio_project_count(pf);
    /* The reporting year: the key, else the first in which every project
     * operates, the latest of their first operating years. */
    double key = NAN;
    int year = 0;
    if (gfin_portfolio_get(pf, GFIN_PORTFOLIO_IMPACT_YEAR, &key) == GFIN_OK && isfinite(key))
        year = (int)key;
    for (size_t i = 0; isnan(key) && i < n; ++i) {
        const gfin_table *y = gfin_result_table(results[i], "years");
        const int first = (int)gfin_table_column_by_name(y, "calendar_year")[0] +
                          key_int(gfin_portfolio_project(pf, i), GFIN_PROJECT_CONSTRUCTION_YEARS);
        year = first > year ? first : year;
    }
    const bool has_fund = gfin_portfolio_fund(pf) != NULL;
    gfin_table *t = gfin__table_of(n, ICOLS, NI);
    if (!t)
        return GFIN_ENOMEM;
    double *c[NI];
    for (size_t j = 0; j < NI; ++j)
        c[j] = gfin__col(t, j);
    for (size_t i = 0; i < n; ++i) {
        const gfin_project *p = gfin_portfolio_project(pf, i);
        const gfin_result *r = results[i];
        const gfin_table *y = gfin_result_table(r, "years");
        const int first_year = (int)gfin_table_column_by_name(y, "calendar_year")[0],
                  construction = key_int(p, GFIN_PROJECT_CONSTRUCTION_YEARS),
                  first = first_year + construction, last = first + key_int(p, GFIN_PROJECT_OPERATING_YEARS) - 1;
        const double *net = gfin_table_column_by_name(y, "net_mwh"),
                     *red = gfin_table_column_by_name(y, "reductions_tco2e");
        /* Row k of the yearly table is calendar year first_year + k. */
        const bool expected = year < first, stopped = year > last;
        const size_t k = (size_t)construction + (expected || stopped ? 0 : (size_t)(year - first));
        const double capex = metric_or_zero(r, GFIN_M_CAPEX);
        c[I_PROJECT][i] = (double)(i + 1);
        c[I_YEAR][i] = year;
        c[I_EXPECTED][i] = expected;
        c[I_CAPACITY][i] = metric_or_zero(r, GFIN_M_CAPACITY_MW);
        c[I_NET][i] = stopped ? 0 : net[k];
        c[I_RED][i] = stopped ? 0 : red[k];
        double share = NAN;
        if (has_fund)
            share = capex > 0 ? fmin(1, fund_balance(p, r, (long)year - first_year + 1) / capex) : 0;
        c[I_SHARE][i] = share;
        c[I_ATT_MWH][i] = c[I_NET][i] * share;
        c[I_ATT_TCO2E][i] = c[I_RED][i] * share;
    }
    double sum[NI] = {0};
    for (size_t j = I_EXPECTED; j < NI; ++j)
        for (size_t i = 0; i < n; ++i)
            sum[j] += c[j][i];
    gfin_status st;
    if ((st = gfin__result_add_metric(out, GFIN_M_IMPACT_YEAR, year)) ||
        (st = gfin__result_add_metric(out, GFIN_M_IMPACT_CAPACITY_MW, sum[I_CAPACITY])) ||
        (st = gfin__result_add_metric(out, GFIN_M_IMPACT_NET_MWH, sum[I_NET])) ||
        (st = gfin__result_add_metric(out, GFIN_M_IMPACT_REDUCTIONS_TCO2E, sum[I_RED])) ||
        (st = gfin__result_add_metric(out, GFIN_M_IMPACT_EXPECTED_PROJECTS, sum[I_EXPECTED])) ||
        (has_fund && ((st = gfin__result_add_metric(out, GFIN_M_IMPACT_ATTRIBUTED_MWH, sum[I_ATT_MWH])) ||
                      (st = gfin__result_add_metric(out, GFIN_M_IMPACT_ATTRIBUTED_TCO2E, sum[I_ATT_TCO2E]))))) {
        gfin_table_free(t);
        return st;
    }
    return gfin__result_add_table(out, "impact", t);
}
