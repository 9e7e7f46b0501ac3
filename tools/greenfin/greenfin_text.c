/* greenfin_text.c -- the `greenfin` command's text output: the reports of a
 * loan, a project and a portfolio for a human reader, in the order a reader
 * takes them (summary, projects, inputs, loans, fund, impact), each table
 * printed by greenfin_grid.c. */
#include "greenfin_text.h"
#include "greenfin_grid.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ======================================================================== */
/* loan                                                                     */
/* ======================================================================== */

static const char *const SCHEDULE_COLS[] = {"period", "date", "time_years", "opening_balance", "drawdown",
                                            "interest", "capitalized_interest", "principal", "fees",
                                            "debt_service", "closing_balance", "rate", NULL};
static const char *const SCHEDULE_SUMS[] = {"drawdown", "interest", "capitalized_interest", "principal",
                                            "fees", "debt_service", NULL};

gfin_status gf_text_loan(FILE *f, const gfin_result *loan)
{
    const gf_view v = {NULL, 1, "", 2};
    const char *id = gfin_result_id(loan);
    fprintf(f, "Loan%s%s\n\nSchedule\n", *id ? " " : "", id);
    gfin_status st = gf_print_table(f, gfin_result_table(loan, "schedule"), SIZE_MAX, SCHEDULE_COLS, SCHEDULE_SUMS, &v);
    if (st)
        return st;
    fprintf(f, "\nMetrics\n");
    return gf_print_metrics(f, loan, &v);
}

/* ======================================================================== */
/* project                                                                  */
/* ======================================================================== */

/* One row per loan, one column per metric. */
static gfin_status print_loans(FILE *f, const gfin_result *project, const gf_view *v)
{
    size_t n = gfin_result_child_count(project);
    if (!n) {
        fprintf(f, "%*snone\n", GF_INDENT, "");
        return GFIN_OK;
    }
    const gfin_result *first = gfin_result_child(project, 0);
    size_t nm = gfin_result_metric_count(first);
    gf_grid g;
    if (gf_grid_init(&g, 1 + n, 1 + nm, true)) {
        g.keys = 1;
        g.left[0] = true;
        gf_grid_put(&g, 0, 0, "loan");
        for (size_t j = 0; j < nm; ++j) {
            char label[32];
            gfin_metric m = gfin_result_metric_at(first, j);
            (void)gf_unit_format(gfin_metric_unit(m), v, label, sizeof label);
            gf_put_header(&g, 1 + j, gfin_metric_name(m), strcmp(label, "%") == 0 ? "%" : "");
        }
        for (size_t i = 0; i < n; ++i) {
            const gfin_result *loan = gfin_result_child(project, i);
            gf_grid_put(&g, 1 + i, 0, "%s", gfin_result_id(loan));
            for (size_t j = 0; j < nm; ++j)
                gf_put_metric(&g, 1 + i, 1 + j, loan, gfin_result_metric_at(first, j), v);
        }
    }
    return gf_grid_flush(f, &g);
}

gfin_status gf_text_project(FILE *f, const gfin_result *project)
{
    const gf_view v = {NULL, 1, "", 0};
    gfin_status st;
    fprintf(f, "Project %s\n\nMetrics\n", gfin_result_id(project));
    if ((st = gf_print_metrics(f, project, &v)))
        return st;
    gf_print_warnings(f, project);
    fprintf(f, "\nYears\n");
    if ((st = gf_print_table(f, gfin_result_table(project, "years"), SIZE_MAX, NULL, NULL, &v)))
        return st;
    fprintf(f, "\nLoans\n");
    return print_loans(f, project, &v);
}

/* ======================================================================== */
/* report                                                                   */
/* ======================================================================== */

static const struct {
    const char *label;
    gfin_metric metric;
} SUMMARY[] = {
    {"Projects", GFIN_M_PROJECT_COUNT},
    {"Capacity", GFIN_M_CAPACITY_MW},
    {"  solar", GFIN_M_CAPACITY_MW_SOLAR},
    {"  hydro", GFIN_M_CAPACITY_MW_HYDRO},
    {"Investment (total capex)", GFIN_M_TOTAL_CAPEX},
    {"Fund capital", GFIN_M_FUND_CAPITAL},
    {"Fund commitment", GFIN_M_COMMITTED},
    {"Utilization of fund capital", GFIN_M_UTILIZATION},
    {"Weighted cost of funds", GFIN_M_WEIGHTED_COST_OF_FUNDS},
    {"Weighted loan rate", GFIN_M_WEIGHTED_LOAN_RATE},
    {"Mobilisation ratio", GFIN_M_MOBILIZATION_RATIO},
    {"Lifetime reductions", GFIN_M_LIFETIME_REDUCTIONS_TCO2E},
    {"Fund-attributed reductions", GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E},
    {"Fund subsidy per attributed tCO2e", GFIN_M_FUND_SUBSIDY_PER_TCO2E},
    {"Fund shortfall (debt service lost)", GFIN_M_FUND_SHORTFALL},
    {"Fund IRR (on its net flows, after cost of funds and fees)", GFIN_M_FUND_IRR},
};
#define SUMMARY_ROWS (sizeof SUMMARY / sizeof SUMMARY[0])

static gfin_status print_summary(FILE *f, const gfin_result *report, const gf_view *v)
{
    gf_grid g;
    if (gf_grid_init(&g, SUMMARY_ROWS + 1, 3, false)) {
        g.left[0] = g.left[2] = true;
        size_t r = 0;
        for (size_t i = 0; i < SUMMARY_ROWS; ++i, ++r) {
            char label[32];
            (void)gf_unit_format(gfin_metric_unit(SUMMARY[i].metric), v, label, sizeof label);
            gf_grid_put(&g, r, 0, "%s", SUMMARY[i].label);
            gf_put_metric(&g, r, 1, report, SUMMARY[i].metric, v);
            gf_grid_put(&g, r, 2, "%s", label);
            if (SUMMARY[i].metric == GFIN_M_WEIGHTED_LOAN_RATE) {
                /* The fund's lending margin: what it earns over what it pays. */
                double loan_rate = 0, cost = 0;
                char num[GF_NUMBUF];
                bool ok = gfin_result_metric(report, GFIN_M_WEIGHTED_LOAN_RATE, &loan_rate) == GFIN_OK &&
                          gfin_result_metric(report, GFIN_M_WEIGHTED_COST_OF_FUNDS, &cost) == GFIN_OK;
                gf_fmt_number(num, ok ? loan_rate - cost : NAN, (gf_numfmt){100, 2});
                ++r;
                gf_grid_put(&g, r, 0, "  margin over cost of funds");
                gf_grid_put(&g, r, 1, "%s", num);
                gf_grid_put(&g, r, 2, "%% points");
            }
        }
    }
    return gf_grid_flush(f, &g);
}

/* The input project of the portfolio's i-th result (results come in the order
 * projects were added: one look, not a search per row), NULL if its id differs. */
static const gfin_project *project_of(const gfin_portfolio *pf, size_t i, const char *id)
{
    const gfin_project *p = i < gfin_portfolio_project_count(pf) ? gfin_portfolio_project(pf, i) : NULL;
    const char *pid = p ? gfin_project_get_string(p, GFIN_PROJECT_ID) : NULL;
    return pid && strcmp(pid, id) == 0 ? p : NULL;
}

/* The technology of a project ("" when unknown). */
static const char *technology_of(const gfin_project *p)
{
    double tech;
    if (!p || gfin_project_get(p, GFIN_PROJECT_TECHNOLOGY, &tech) != GFIN_OK)
        return "";
    const char *name = gfin_key_choice(GFIN_PROJECT_TECHNOLOGY, (int)tech);
    return name ? name : "";
}

static const gfin_metric PROJECT_METRICS[] = {GFIN_M_CAPACITY_MW, GFIN_M_CAPEX, GFIN_M_FUND_PRINCIPAL,
                                              GFIN_M_EQUITY_IRR, GFIN_M_MIN_DSCR, GFIN_M_LCOE,
                                              GFIN_M_FIRST_YEAR_REDUCTIONS_TCO2E};
static const char *const PROJECT_HEADERS[] = {"MW", "capex", "fund loan", "equity IRR %", "min DSCR", "LCOE",
                                              "year-1 tCO2e"};
#define PROJECT_COLS (sizeof PROJECT_METRICS / sizeof PROJECT_METRICS[0])

static gfin_status print_projects(FILE *f, const gfin_result *report, const gfin_portfolio *pf, const gf_view *v)
{
    size_t n = gfin_result_child_count(report);
    gf_grid g;
    if (gf_grid_init(&g, 1 + n, 2 + PROJECT_COLS, true)) {
        g.keys = 1;
        g.left[0] = g.left[1] = true;
        gf_grid_put(&g, 0, 0, "project");
        gf_grid_put(&g, 0, 1, "technology");
        /* names are in "Key inputs": this table stays within the page */
        for (size_t j = 0; j < PROJECT_COLS; ++j) {
            char label[32];
            (void)gf_unit_format(gfin_metric_unit(PROJECT_METRICS[j]), v, label, sizeof label);
            bool money = label[0] && strcmp(label, "%") != 0 && strcmp(label, "x") != 0 &&
                         strcmp(label, "MW") != 0 && strcmp(label, "tCO2e") != 0;
            gf_grid_put(&g, 0, 2 + j, "%s%s%s", PROJECT_HEADERS[j], money ? "\n" : "", money ? label : "");
        }
        for (size_t i = 0; i < n; ++i) {
            const gfin_result *p = gfin_result_child(report, i);
            gf_grid_put(&g, 1 + i, 0, "%s", gfin_result_id(p));
            gf_grid_put(&g, 1 + i, 1, "%s", technology_of(project_of(pf, i, gfin_result_id(p))));
            for (size_t j = 0; j < PROJECT_COLS; ++j)
                gf_put_metric(&g, 1 + i, 2 + j, p, PROJECT_METRICS[j], v);
        }
    }
    return gf_grid_flush(f, &g);
}

/* An input of a project (its own, else the portfolio's for grid keys) or of a
 * loan, formatted; "n/a" when not set. */
static void put_input(gf_grid *g, size_t r, size_t c, const gfin_project *p, const gfin_loan *loan,
                      const gfin_portfolio *pf, gfin_key key, gf_numfmt fmt)
{
    char num[GF_NUMBUF];
    double x = NAN;
    if (loan ? gfin_loan_get(loan, key, &x) != GFIN_OK
             : !p || (gfin_project_get(p, key, &x) != GFIN_OK && gfin_portfolio_get(pf, key, &x) != GFIN_OK))
        x = NAN;
    gf_fmt_number(num, x, fmt);
    gf_grid_put(g, r, c, "%s", num);
}

/* What each project's figures rest on: its name, tariff, energy yield and the
 * grid's emission factor (issue 12 item 7); the loans' terms are in "Loans". */
static gfin_status print_inputs(FILE *f, const gfin_result *report, const gfin_portfolio *pf, const gf_view *v)
{
    size_t n = gfin_result_child_count(report);
    char tariff[40];
    (void)gf_unit_format("money/MWh", v, tariff, sizeof tariff);
    gf_grid g;
    if (gf_grid_init(&g, 1 + n, 8, true)) {
        g.keys = 1;
        g.left[0] = g.left[1] = true;
        static const char *const heads[] = {"project", "name", "tariff", "capacity\nfactor %", "yield\nkWh/kWp",
                                            "grid EF_CM\ntCO2e/MWh", "grid EF_OM\ntCO2e/MWh", "grid EF_BM\ntCO2e/MWh"};
        for (size_t j = 0; j < 8; ++j)
            gf_grid_put(&g, 0, j, j == 2 ? "%s\n%s" : "%s", heads[j], tariff);
        for (size_t i = 0; i < n; ++i) {
            const char *id = gfin_result_id(gfin_result_child(report, i));
            const gfin_project *p = project_of(pf, i, id);
            const char *name = p ? gfin_project_get_string(p, GFIN_PROJECT_NAME) : NULL;
            gf_grid_put(&g, 1 + i, 0, "%s", id);
            gf_grid_put(&g, 1 + i, 1, "%s", name ? name : "");
            put_input(&g, 1 + i, 2, p, NULL, pf, GFIN_PROJECT_TARIFF_PER_MWH, (gf_numfmt){1, 2});
            put_input(&g, 1 + i, 3, p, NULL, pf, GFIN_PROJECT_CAPACITY_FACTOR, (gf_numfmt){100, 2});
            put_input(&g, 1 + i, 4, p, NULL, pf, GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP, (gf_numfmt){1, 0});
            put_input(&g, 1 + i, 5, p, NULL, pf, GFIN_GRID_EF_CM, (gf_numfmt){1, 3});
            put_input(&g, 1 + i, 6, p, NULL, pf, GFIN_GRID_EF_OM, (gf_numfmt){1, 3});
            put_input(&g, 1 + i, 7, p, NULL, pf, GFIN_GRID_EF_BM, (gf_numfmt){1, 3});
        }
    }
    return gf_grid_flush(f, &g);
}

/* Every loan of every project with its terms and grant element (at the
 * portfolio's grant_element_discount_rate). */
static const gfin_metric LOAN_METRICS[] = {GFIN_M_TOTAL_DRAWN, GFIN_M_ALL_IN_COST, GFIN_M_GRANT_ELEMENT};
static const char *const LOAN_HEADERS[] = {"drawn", "all-in cost %", "grant element %"};
#define LOAN_COLS (sizeof LOAN_METRICS / sizeof LOAN_METRICS[0])

static const struct {
    const char *head;
    gfin_key key;
    gf_numfmt fmt;
} LOAN_TERMS[] = {{"rate %", GFIN_LOAN_ANNUAL_RATE, {100, 2}},
                  {"payments\na year", GFIN_LOAN_FREQUENCY, {1, 0}},
                  {"grace\nperiods", GFIN_LOAN_GRACE_PERIODS, {1, 0}},
                  {"repayment\nperiods", GFIN_LOAN_REPAYMENT_PERIODS, {1, 0}}};
#define TERM_COLS (sizeof LOAN_TERMS / sizeof LOAN_TERMS[0])

static gfin_status print_report_loans(FILE *f, const gfin_result *report, const gfin_portfolio *pf, const gf_view *v)
{
    size_t n = 0;
    for (size_t i = 0; i < gfin_result_child_count(report); ++i)
        n += gfin_result_child_count(gfin_result_child(report, i));
    gf_grid g;
    if (gf_grid_init(&g, 1 + n, 3 + TERM_COLS + LOAN_COLS, true)) {
        g.keys = 2;
        g.left[0] = g.left[1] = true;
        gf_grid_put(&g, 0, 0, "project");
        gf_grid_put(&g, 0, 1, "loan");
        char money[32];
        (void)gf_unit_format("money", v, money, sizeof money);
        g.left[2] = true;
        gf_grid_put(&g, 0, 2, "lender");
        for (size_t j = 0; j < TERM_COLS; ++j)
            gf_grid_put(&g, 0, 3 + j, "%s", LOAN_TERMS[j].head);
        for (size_t j = 0; j < LOAN_COLS; ++j)
            gf_grid_put(&g, 0, 3 + TERM_COLS + j, "%s%s%s", LOAN_HEADERS[j], j ? "" : "\n", j ? "" : money);
        size_t row = 1;
        for (size_t i = 0; i < gfin_result_child_count(report); ++i) {
            const gfin_result *p = gfin_result_child(report, i);
            const gfin_project *in = project_of(pf, i, gfin_result_id(p));
            for (size_t l = 0; l < gfin_result_child_count(p); ++l, ++row) {
                const gfin_result *loan = gfin_result_child(p, l);
                /* the project's loans in order, then its sized loan (terms from debt_sizing) */
                const gfin_loan *terms = in && l < gfin_project_loan_count(in) ? gfin_project_loan(in, l) : NULL;
                const char *lender = terms ? gfin_loan_get_string(terms, GFIN_LOAN_LENDER) : NULL;
                gf_grid_put(&g, row, 0, "%s", gfin_result_id(p));
                gf_grid_put(&g, row, 1, "%s", gfin_result_id(loan));
                gf_grid_put(&g, row, 2, "%s", terms ? (lender ? lender : "") : "(sized)");
                for (size_t j = 0; j < TERM_COLS; ++j) {
                    if (terms)
                        put_input(&g, row, 3 + j, NULL, terms, pf, LOAN_TERMS[j].key, LOAN_TERMS[j].fmt);
                    else
                        gf_grid_put(&g, row, 3 + j, "-");
                }
                for (size_t j = 0; j < LOAN_COLS; ++j)
                    gf_put_metric(&g, row, 3 + TERM_COLS + j, loan, LOAN_METRICS[j], v);
            }
        }
    }
    return gf_grid_flush(f, &g);
}

static const char *const FUND_COLS[] = {"calendar_year", "disbursements", "principal_received",
                                        "interest_received", "fees_received", "shortfall", "outstanding", "cost_of_funds",
                                        "management_fee", "net_cash_flow", NULL};
static const char *const FUND_SUMS[] = {"disbursements", "principal_received", "interest_received",
                                        "fees_received", "shortfall", "cost_of_funds", "management_fee", "net_cash_flow",
                                        NULL};

/* The rows up to the last with a fund cash flow or balance: the portfolio's
 * years run to the end of its longest project, the fund's loans end earlier. */
static size_t active_rows(const gfin_table *t)
{
    size_t rows = gfin_table_rows(t);
    while (rows > 1) {
        bool zero = true;
        for (size_t j = 0; FUND_COLS[j]; ++j) {
            const double *x = gfin_table_column_by_name(t, FUND_COLS[j]);
            zero &= !x || strcmp(FUND_COLS[j], "calendar_year") == 0 || x[rows - 1] == 0;
        }
        if (!zero)
            break;
        rows--;
    }
    return rows;
}

static const char *const IMPACT_COLS[] = {"calendar_year", "net_mwh", "net_mwh_solar", "net_mwh_hydro",
                                          "reductions_tco2e", "reductions_tco2e_solar", "reductions_tco2e_hydro",
                                          "attributed_tco2e", "cumulative_reductions_tco2e", NULL};
static const char *const IMPACT_SUMS[] = {"net_mwh", "net_mwh_solar", "net_mwh_hydro", "reductions_tco2e",
                                          "reductions_tco2e_solar", "reductions_tco2e_hydro", "attributed_tco2e",
                                          NULL};

/* The impact table (README "Impact reporting") with the projects' ids, what
 * their figures are, and a total row from the impact_* metrics. Units and
 * formats from the output registry. */
static const gfin_column IMPACT_SHOWN[] = {GFIN_C_IMPACT_CAPACITY_MW, GFIN_C_IMPACT_NET_MWH,
                                           GFIN_C_IMPACT_REDUCTIONS_TCO2E, GFIN_C_IMPACT_FUND_SHARE,
                                           GFIN_C_IMPACT_ATTRIBUTED_MWH, GFIN_C_IMPACT_ATTRIBUTED_TCO2E};
static const gfin_metric IMPACT_TOTALS[] = {GFIN_M_IMPACT_CAPACITY_MW, GFIN_M_IMPACT_NET_MWH,
                                            GFIN_M_IMPACT_REDUCTIONS_TCO2E, (gfin_metric)0,
                                            GFIN_M_IMPACT_ATTRIBUTED_MWH, GFIN_M_IMPACT_ATTRIBUTED_TCO2E};
#define IMPACT_NSHOWN (sizeof IMPACT_SHOWN / sizeof IMPACT_SHOWN[0])

static gfin_status print_impact(FILE *f, const gfin_result *report, const gf_view *v)
{
    const gfin_table *t = gfin_result_table(report, "impact");
    double year = NAN, expected = 0;
    if (!t || gfin_result_metric(report, GFIN_M_IMPACT_YEAR, &year) != GFIN_OK)
        return GFIN_OK;
    (void)gfin_result_metric(report, GFIN_M_IMPACT_EXPECTED_PROJECTS, &expected);
    fprintf(f, "\nImpact in %.0f (ICMA core indicators; attributed: pro rata to the fund's balance / capex)\n", year);
    const size_t n = gfin_table_rows(t);
    const double *exp_col = gfin_table_column_by_name(t, "expected"), *net = gfin_table_column_by_name(t, "net_mwh");
    gf_grid g;
    if (gf_grid_init(&g, 2 + n, 2 + IMPACT_NSHOWN, true)) {
        g.keys = 1;
        g.total = true;
        g.left[0] = g.left[1] = true;
        gf_grid_put(&g, 0, 0, "project");
        gf_grid_put(&g, 0, 1, "figures");
        char label[32], num[GF_NUMBUF];
        for (size_t j = 0; j < IMPACT_NSHOWN; ++j) {
            (void)gf_unit_format(gfin_column_unit(IMPACT_SHOWN[j]), v, label, sizeof label);
            gf_grid_put(&g, 0, 2 + j, "%s\n%s", gfin_column_name(IMPACT_SHOWN[j]), label);
        }
        for (size_t i = 0; i < n; ++i) {
            const gfin_result *p = gfin_result_child(report, i);
            gf_grid_put(&g, 1 + i, 0, "%s", p ? gfin_result_id(p) : "");
            gf_grid_put(&g, 1 + i, 1, "%s", exp_col[i] == 1 ? "expected (in construction)" : net[i] > 0 ? "the year's" : "stopped");
            for (size_t j = 0; j < IMPACT_NSHOWN; ++j) {
                gf_numfmt nf = gf_unit_format(gfin_column_unit(IMPACT_SHOWN[j]), v, label, sizeof label);
                gf_fmt_number(num, gfin_table_column_of(t, IMPACT_SHOWN[j])[i], nf);
                gf_grid_put(&g, 1 + i, 2 + j, "%s", num);
            }
        }
        gf_grid_put(&g, 1 + n, 0, "total");
        if (expected > 0)
            gf_grid_put(&g, 1 + n, 1, "%.0f expected", expected);
        for (size_t j = 0; j < IMPACT_NSHOWN; ++j)
            if (IMPACT_TOTALS[j])
                gf_put_metric(&g, 1 + n, 2 + j, report, IMPACT_TOTALS[j], v);
    }
    return gf_grid_flush(f, &g);
}

gfin_status gf_text_report(FILE *f, const gfin_result *report, const gfin_portfolio *pf)
{
    const char *currency = gfin_portfolio_get_string(pf, GFIN_PORTFOLIO_CURRENCY);
    const gf_view v = {currency && *currency ? currency : NULL, 1e-6, " m", 2};
    const gfin_fund *fund = gfin_portfolio_fund(pf);
    const char *fund_name = fund ? gfin_fund_get_string(fund, GFIN_FUND_NAME) : NULL;
    char money[32];
    (void)gf_unit_format("money", &v, money, sizeof money);
    gfin_status st;

    fprintf(f, "%s\n", *gfin_result_id(report) ? gfin_result_id(report) : "Portfolio");
    if (fund_name && *fund_name)
        fprintf(f, "Fund: %s\n", fund_name);
    fprintf(f, "Amounts in millions of %s\n\nPortfolio summary\n", v.currency ? v.currency : "the portfolio's currency");
    if ((st = print_summary(f, report, &v)))
        return st;
    fprintf(f, "\nProjects\n");
    if ((st = print_projects(f, report, pf, &v)))
        return st;
    fprintf(f, "\nKey inputs\n");
    if ((st = print_inputs(f, report, pf, &v)))
        return st;
    double ge_rate = NAN;
    (void)gfin_portfolio_get(pf, GFIN_PORTFOLIO_GRANT_ELEMENT_DISCOUNT_RATE, &ge_rate);
    fprintf(f, "\nLoans (grant element at %.4g %%)\n", 100 * ge_rate);
    if ((st = print_report_loans(f, report, pf, &v)))
        return st;
    fprintf(f, "\nFund cash flows (%s)\n", *money ? money : "millions");
    const gfin_table *fund_table = gfin_result_table(report, "fund");
    size_t active = active_rows(fund_table);
    if ((st = gf_print_table(f, fund_table, active, FUND_COLS, FUND_SUMS, &v)))
        return st;
    const double *year = gfin_table_column_by_name(fund_table, "calendar_year");
    if (active < gfin_table_rows(fund_table) && active && year)
        fprintf(f, "%*s(no fund cash flows after %.0f)\n", GF_INDENT, "", year[active - 1]);
    fprintf(f, "\nEnergy and emission reductions (attributed: the fund's share)\n");
    const gfin_table *impact = gfin_result_table(report, "portfolio");
    if ((st = gf_print_table(f, impact, SIZE_MAX, IMPACT_COLS, IMPACT_SUMS, &v)) || (st = print_impact(f, report, &v)))
        return st;
    gf_print_warnings(f, report);
    return GFIN_OK;
}

