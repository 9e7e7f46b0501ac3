/* greenfin_xlsx_risk.c -- `greenfin risk --format xlsx`: one workbook of a
 * risk run, on the shared workbook core (greenfin_xlsx_book.c).
 *
 * Sheets:
 *   Summary        the run (scenarios, seed, block, threads, covenant and
 *                  hurdle), the headline (q10 / q50 / q90 of every portfolio
 *                  metric and the portfolio's probabilities), the experiment's
 *                  inputs as read back from it (uncertainties with their
 *                  distributions, factors, correlations, cases, sensitivity)
 *                  and the warnings;
 *   statistics, probabilities, sensitivity, cases
 *                  the result's tables as in JSON and CSV, one row per scope
 *                  and metric: the scope's id and name, the metric's name
 *                  and unit, then the numbers in that unit's format (the
 *                  units row says "(unit)" over them: the row's unit column);
 *   samples        with --samples: a row per scenario, a column per
 *                  "<scope>.<metric>" with its unit.
 * A null (a statistic with no value) is an empty cell, as JSON has null. */
#include "greenfin_xlsx.h"

#include <stdio.h>

#ifndef GFIN_HAVE_XLSX

gfin_status gf_xlsx_write_risk(const char *path, const gfin_risk_result *r, const gfin_risk *rk,
                               const gfin_portfolio *pf, int threads, char *message, size_t n)
{
    (void)path;
    (void)r;
    (void)rk;
    (void)pf;
    (void)threads;
    snprintf(message, n, "this greenfin was built without libxlsxwriter; use --format csv or json");
    return GFIN_EINVAL;
}

#else

#include <math.h>
#include <string.h>

#include "greenfin_xlsx_book.h"

/* What every sheet needs: the result, the experiment and the portfolio. */
typedef struct run {
    gx_book *b;
    const gfin_risk_result *r;
    const gfin_risk *rk;
    const gfin_portfolio *pf;
    int threads;
} run;

/* The name of scope s: the portfolio's name for 0, project s - 1's for s. */
static const char *scope_name(const run *x, size_t scope)
{
    if (scope == 0)
        return gfin_portfolio_get_string(x->pf, GFIN_PORTFOLIO_NAME);
    const gfin_project *p = gfin_portfolio_project(x->pf, scope - 1);
    return p ? gfin_project_get_string(p, GFIN_PROJECT_NAME) : NULL;
}

static double cell(const gfin_table *t, const char *col, size_t row)
{
    const double *c = gfin_table_column_by_name(t, col);
    return c ? c[row] : NAN;
}

/* ======================================================================== */
/* Summary                                                                  */
/* ======================================================================== */

/* A row of the "Run" block: key, description, value (General or `fmt`), unit. */
static void run_row(const run *x, gx_sheet *s, const char *key, const char *doc, double v, const char *unit)
{
    char label[64];
    gx_text(x->b, s, 0, key, NULL);
    gx_text(x->b, s, 1, doc, NULL);
    gx_number(x->b, s, 2, v, unit ? gx_unit_format(x->b, unit) : gx_number_format(x->b, "0"));
    gx_unit_label(x->b, unit, label, sizeof label);
    gx_text(x->b, s, 3, label, NULL);
    s->row++;
}

static void run_block(const run *x, gx_sheet *s)
{
    static const char *const COLS[] = {"key", "description", "value", "unit"};
    gx_heading(x->b, s, "Run", COLS, 4);
    run_row(x, s, "scenarios", "the experiment's size", (double)gfin_risk_result_scenarios(x->r), NULL);
    run_row(x, s, "seed", "the seed of the random streams", (double)gfin_risk_result_seed(x->r), NULL);
    run_row(x, s, "first", "the block's first scenario (from 0)", (double)gfin_risk_result_first(x->r), NULL);
    run_row(x, s, "count", "the block's scenarios", (double)gfin_risk_result_count(x->r), NULL);
    run_row(x, s, "threads", "worker threads asked for (0: one per core; the figures are the same for any)",
            (double)x->threads, NULL);
    run_row(x, s, "covenant_dscr", "the DSCR covenant of p_min_dscr_below_covenant", gfin_risk_covenant_dscr(x->rk),
            "ratio");
    run_row(x, s, "hurdle_equity_irr", "the equity IRR hurdle of p_equity_irr_below_hurdle (empty: none)",
            gfin_risk_hurdle_equity_irr(x->rk), "fraction/year");
}

/* The portfolio's q10 / q50 / q90 of each metric, then its probabilities. */
static void headline_block(const run *x, gx_sheet *s)
{
    static const char *const COLS[] = {"metric", "statistic", "description", "value", "unit"};
    static const char *const STATS[] = {"q10", "q50", "q90"};
    gx_heading(x->b, s, "Headline", COLS, 5);
    gx_text(x->b, s, 0, "q10 / q50 / q90: percentiles over the block's scenarios; where more is better (IRR, "
                        "DSCR, energy) the lender's P90 is the q10", NULL);
    s->row++;
    char unit[64];
    const gfin_table *st = gfin_risk_result_table(x->r, "statistics");
    for (size_t i = 0; i < gfin_table_rows(st); ++i) {
        if (cell(st, "scope", i) != 0)
            continue;
        gfin_metric m = (gfin_metric)cell(st, "metric", i);
        gx_unit_label(x->b, gfin_metric_unit(m), unit, sizeof unit);
        for (size_t k = 0; k < 3; ++k, ++s->row) {
            gx_text(x->b, s, 0, gfin_metric_name(m), NULL);
            gx_text(x->b, s, 1, STATS[k], NULL);
            gx_text(x->b, s, 2, gfin_metric_doc(m), NULL);
            gx_number(x->b, s, 3, cell(st, STATS[k], i), gx_unit_format(x->b, gfin_metric_unit(m)));
            gx_text(x->b, s, 4, unit, NULL);
        }
    }
    const gfin_table *pr = gfin_risk_result_table(x->r, "probabilities");
    for (size_t i = 0; i < gfin_table_rows(pr); ++i) {
        if (cell(pr, "scope", i) != 0)
            continue;
        gfin_metric m = (gfin_metric)cell(pr, "metric", i);
        gx_unit_label(x->b, gfin_metric_unit(m), unit, sizeof unit);
        gx_text(x->b, s, 0, gfin_metric_name(m), NULL);
        gx_text(x->b, s, 1, "probability", NULL);
        gx_text(x->b, s, 2, gfin_metric_doc(m), NULL);
        gx_number(x->b, s, 3, cell(pr, "value", i), gx_unit_format(x->b, gfin_metric_unit(m)));
        gx_text(x->b, s, 4, unit, NULL);
        s->row++;
    }
}

#define WHERE_COLS "projects", "technology", "lenders", "currency", "years"

/* "a, b, c" of the strings get(c, 0), get(c, 1), ... until NULL. */
static void joined(const run *x, gx_sheet *s, lxw_col_t col, const gfin_risk_change *c,
                   const char *(*get)(const gfin_risk_change *, size_t))
{
    char text[1024];
    size_t len = 0;
    for (size_t i = 0; get(c, i) && len < sizeof text; ++i)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", i ? ", " : "", get(c, i));
    if (len)
        gx_text(x->b, s, col, text, NULL);
}

/* A change's label, key, apply and where it applies (WHERE_COLS), from `col`. */
static lxw_col_t change_cells(const run *x, gx_sheet *s, lxw_col_t col, const gfin_risk_change *c)
{
    char text[512];
    gfin_risk_change_label(c, text, sizeof text);
    gx_text(x->b, s, col++, text, NULL);
    gx_text(x->b, s, col++, gfin_risk_change_key(c), NULL);
    gx_text(x->b, s, col++, gfin_risk_apply_name((gfin_risk_apply)gfin_risk_change_apply(c)), NULL);
    joined(x, s, col++, c, gfin_risk_change_project);
    int tech = gfin_risk_change_technology(c);
    if (tech >= 0)
        gx_text(x->b, s, col, gfin_key_choice(GFIN_PROJECT_TECHNOLOGY, tech), NULL);
    col++;
    joined(x, s, col++, c, gfin_risk_change_lender);
    gx_text(x->b, s, col++, gfin_risk_change_currency(c), NULL);
    int first, last;
    if (gfin_risk_change_years(c, &first, &last) == GFIN_OK) {
        snprintf(text, sizeof text, "%d-%d", first, last);
        gx_text(x->b, s, col, text, NULL);
    }
    return col + 1;
}

static void uncertainties_block(const run *x, gx_sheet *s)
{
    const char *cols[32] = {"name", "key", "apply", WHERE_COLS, "factor", "per", "distribution"};
    size_t nc = 11, nparams = 0; /* the parameters' JSON names, in number order */
    for (const char *p; (p = gfin_risk_dist_param_name((gfin_risk_dist_param)nparams)) && nc + nparams < 30;)
        cols[nc + nparams++] = p;
    cols[nc + nparams] = "values";
    cols[nc + nparams + 1] = "weights";
    gx_heading(x->b, s, "Uncertainties", cols, nc + nparams + 2);
    for (size_t i = 0; i < gfin_risk_uncertainty_count(x->rk); ++i, ++s->row) {
        const gfin_risk_dist *d;
        const char *factor;
        gfin_risk_per per;
        lxw_col_t col = change_cells(x, s, 0, gfin_risk_uncertainty(x->rk, i, &d, &factor, &per));
        gx_text(x->b, s, col++, factor, NULL);
        gx_text(x->b, s, col++, gfin_risk_per_name(per), NULL);
        gx_text(x->b, s, col++, gfin_risk_dist_type_name((gfin_risk_dist_type)gfin_risk_dist_type_of(d)), NULL);
        for (size_t p = 0; p < nparams; ++p, ++col) {
            double v;
            if (gfin_risk_dist_get(d, (gfin_risk_dist_param)p, &v) == GFIN_OK)
                gx_number(x->b, s, col, v, NULL);
        }
        const double *values, *weights;
        size_t n = gfin_risk_dist_values(d, &values, &weights);
        gx_numbers(x->b, s, col, values, n);
        gx_numbers(x->b, s, col + 1, weights, weights ? n : 0);
    }
}

static void factors_block(const run *x, gx_sheet *s)
{
    static const char *const FACTOR_COLS[] = {"name", "per", "autocorrelation"};
    static const char *const CORR_COLS[] = {"factor_a", "factor_b", "rho"};
    if (gfin_risk_factor_count(x->rk)) {
        gx_heading(x->b, s, "Factors", FACTOR_COLS, 3);
        for (size_t i = 0; i < gfin_risk_factor_count(x->rk); ++i, ++s->row) {
            gfin_risk_per per;
            double rho;
            gx_text(x->b, s, 0, gfin_risk_factor(x->rk, i, &per, &rho), NULL);
            gx_text(x->b, s, 1, gfin_risk_per_name(per), NULL);
            gx_number(x->b, s, 2, rho, NULL);
        }
    }
    if (gfin_risk_correlation_count(x->rk)) {
        gx_heading(x->b, s, "Correlations", CORR_COLS, 3);
        for (size_t i = 0; i < gfin_risk_correlation_count(x->rk); ++i, ++s->row) {
            const char *a, *b;
            double rho;
            if (gfin_risk_correlation(x->rk, i, &a, &b, &rho) != GFIN_OK)
                continue;
            gx_text(x->b, s, 0, a, NULL);
            gx_text(x->b, s, 1, b, NULL);
            gx_number(x->b, s, 2, rho, NULL);
        }
    }
}

static void cases_block(const run *x, gx_sheet *s)
{
    static const char *const CASE_COLS[] = {"case", "change", "key", "apply", WHERE_COLS, "value"};
    static const char *const SENS_COLS[] = {"change", "key", "apply", WHERE_COLS, "low", "high"};
    if (gfin_risk_case_count(x->rk)) {
        gx_heading(x->b, s, "Cases", CASE_COLS, 10);
        for (size_t i = 0; i < gfin_risk_case_count(x->rk); ++i)
            for (size_t j = 0; j < gfin_risk_case_change_count(x->rk, i); ++j, ++s->row) {
                double value;
                const gfin_risk_change *c = gfin_risk_case_change(x->rk, i, j, &value);
                gx_text(x->b, s, 0, gfin_risk_case_name(x->rk, i), NULL);
                gx_number(x->b, s, change_cells(x, s, 1, c), value, NULL);
            }
    }
    if (gfin_risk_sensitivity_count(x->rk)) {
        gx_heading(x->b, s, "Sensitivity", SENS_COLS, 10);
        for (size_t i = 0; i < gfin_risk_sensitivity_count(x->rk); ++i, ++s->row) {
            double low, high;
            lxw_col_t col = change_cells(x, s, 0, gfin_risk_sensitivity(x->rk, i, &low, &high));
            gx_number(x->b, s, col, low, NULL);
            gx_number(x->b, s, col + 1, high, NULL);
        }
    }
}

static void summary_sheet(const run *x)
{
    gx_sheet *s = gx_sheet_new(x->b, "Summary");
    if (!s)
        return;
    char text[512];
    const char *name = scope_name(x, 0);
    snprintf(text, sizeof text, "greenfin risk: %s", name && *name ? name : gfin_risk_result_scope_name(x->r, 0));
    gx_text(x->b, s, 0, text, x->b->title);
    s->row++;
    snprintf(text, sizeof text, "greenfin %s; units: %s", gfin_version_string(),
             *x->b->currency ? x->b->currency : "amounts in the input's currency");
    gx_text(x->b, s, 0, text, NULL);
    s->row++;
    run_block(x, s);
    headline_block(x, s);
    if (gfin_risk_uncertainty_count(x->rk))
        uncertainties_block(x, s);
    factors_block(x, s);
    cases_block(x, s);
    s->row++;
    gx_text(x->b, s, 0, "Warnings", x->b->heading);
    s->row++;
    if (!gfin_risk_result_warning_count(x->r)) {
        gx_text(x->b, s, 0, "none", NULL);
        s->row++;
    }
    for (size_t i = 0; i < gfin_risk_result_warning_count(x->r); ++i, ++s->row)
        gx_text(x->b, s, 0, gfin_risk_result_warning(x->r, i), NULL);
    s->width[0] = s->width[0] > 36 ? 36 : s->width[0]; /* text runs on past the column */
    s->width[2] = s->width[2] > 48 ? 48 : s->width[2];
    gx_sheet_end(x->b, s, 0, 0);
}

/* ======================================================================== */
/* The result's tables                                                      */
/* ======================================================================== */

/* The sheet's columns of a table column: scope -> scope, scope_name; metric ->
 * metric, unit; change, case -> their labels; a number -> itself. */
typedef enum colkind { COL_SCOPE, COL_METRIC, COL_CHANGE, COL_CASE, COL_COUNT, COL_VALUE } colkind;

static colkind kind_of(const char *name)
{
    static const char *const LABELS[] = {"scope", "metric", "change", "case", "n"};
    for (int k = 0; k < 5; ++k)
        if (strcmp(name, LABELS[k]) == 0)
            return (colkind)k;
    return COL_VALUE;
}

/* Header and units rows; returns the number of leading label columns. */
static lxw_col_t table_header(const run *x, gx_sheet *s, const gfin_table *t)
{
    lxw_col_t col = 0, keys = 0;
    for (size_t j = 0; j < gfin_table_cols(t); ++j) {
        const char *name = gfin_table_col_name(t, j);
        colkind k = kind_of(name);
        gx_text(x->b, s, col++, name, x->b->header);
        if (k == COL_SCOPE || k == COL_METRIC)
            gx_text(x->b, s, col++, k == COL_SCOPE ? "scope_name" : "unit", x->b->header);
        if (k < COL_COUNT)
            keys = col;
    }
    s->row = 1;
    for (size_t j = 0, c = 0; j < gfin_table_cols(t); ++j, ++c) {
        colkind k = kind_of(gfin_table_col_name(t, j));
        if (k == COL_SCOPE || k == COL_METRIC)
            c++;
        if (k >= COL_COUNT)
            gx_text(x->b, s, (lxw_col_t)c, k == COL_COUNT ? "scenarios" : "(unit)", x->b->units);
    }
    s->row = 2;
    return keys;
}

static void table_row(const run *x, gx_sheet *s, const gfin_table *t, size_t row)
{
    const gfin_metric m = (gfin_metric)cell(t, "metric", row);
    lxw_format *fmt = gx_unit_format(x->b, gfin_metric_unit(m));
    char unit[64];
    lxw_col_t col = 0;
    for (size_t j = 0; j < gfin_table_cols(t); ++j) {
        const double v = gfin_table_column(t, j)[row];
        switch (kind_of(gfin_table_col_name(t, j))) {
        case COL_SCOPE:
            gx_text(x->b, s, col++, gfin_risk_result_scope_name(x->r, (size_t)v), NULL);
            gx_text(x->b, s, col++, scope_name(x, (size_t)v), NULL);
            break;
        case COL_METRIC:
            gx_unit_label(x->b, gfin_metric_unit(m), unit, sizeof unit);
            gx_text(x->b, s, col++, gfin_metric_name(m), NULL);
            gx_text(x->b, s, col++, unit, NULL);
            break;
        case COL_CHANGE:
            gx_text(x->b, s, col++, gfin_risk_result_change_name(x->r, (size_t)v), NULL);
            break;
        case COL_CASE:
            gx_text(x->b, s, col++, gfin_risk_result_case_name(x->r, (size_t)v), NULL);
            break;
        case COL_COUNT:
            gx_number(x->b, s, col++, v, gx_number_format(x->b, "#,##0"));
            break;
        default:
            gx_number(x->b, s, col++, v, fmt);
        }
    }
}

static void table_sheet(const run *x, const char *name)
{
    const gfin_table *t = gfin_risk_result_table(x->r, name);
    gx_sheet *s = t ? gx_sheet_new(x->b, name) : NULL;
    if (!s)
        return;
    lxw_col_t keys = table_header(x, s, t);
    for (size_t i = 0; i < gfin_table_rows(t); ++i, ++s->row)
        table_row(x, s, t, i);
    gx_sheet_end(x->b, s, 2, keys);
}

/* The metric of a samples column "<scope>.<metric>" (scope ids may hold dots). */
static int sample_metric(const char *column, gfin_metric *m)
{
    const char *dot = strrchr(column, '.');
    return dot && gfin_metric_lookup(dot + 1, m, NULL) == GFIN_OK;
}

static void samples_sheet(const run *x)
{
    const gfin_table *t = gfin_risk_result_table(x->r, "samples");
    gx_sheet *s = t ? gx_sheet_new(x->b, "samples") : NULL;
    if (!s)
        return;
    const size_t nc = gfin_table_cols(t) < GX_MAX_COLS ? gfin_table_cols(t) : GX_MAX_COLS;
    lxw_format *fmt[GX_MAX_COLS];
    char unit[64];
    for (size_t j = 0; j < nc; ++j)
        gx_text(x->b, s, (lxw_col_t)j, gfin_table_col_name(t, j), x->b->header);
    s->row = 1;
    for (size_t j = 0; j < nc; ++j) {
        gfin_metric m;
        const bool known = sample_metric(gfin_table_col_name(t, j), &m);
        fmt[j] = known ? gx_unit_format(x->b, gfin_metric_unit(m)) : gx_number_format(x->b, "0");
        gx_unit_label(x->b, known ? gfin_metric_unit(m) : "", unit, sizeof unit);
        gx_text(x->b, s, (lxw_col_t)j, unit, x->b->units);
    }
    s->row = 2;
    for (size_t i = 0; i < gfin_table_rows(t); ++i, ++s->row)
        for (size_t j = 0; j < nc; ++j)
            gx_number(x->b, s, (lxw_col_t)j, gfin_table_column(t, j)[i], fmt[j]);
    gx_sheet_end(x->b, s, 2, 1);
}

gfin_status gf_xlsx_write_risk(const char *path, const gfin_risk_result *r, const gfin_risk *rk,
                               const gfin_portfolio *pf, int threads, char *message, size_t n)
{
    const gfin_table *samples = gfin_risk_result_table(r, "samples");
    if (samples && gfin_table_rows(samples) + 2 > GF_XLSX_MAX_ROWS) {
        snprintf(message, n, "%zu samples do not fit a sheet's %u rows: use --format csv, or fewer scenarios",
                 gfin_table_rows(samples), GF_XLSX_MAX_ROWS);
        return GFIN_EINVAL;
    }
    gx_book b;
    gfin_status st = gx_open(&b, path, gfin_portfolio_get_string(pf, GFIN_PORTFOLIO_CURRENCY), message, n);
    if (st)
        return st;
    const run x = {&b, r, rk, pf, threads};
    static const char *const TABLES[] = {"statistics", "probabilities", "sensitivity", "cases"};
    summary_sheet(&x);
    for (size_t i = 0; i < 4; ++i)
        table_sheet(&x, TABLES[i]);
    samples_sheet(&x);
    return gx_close(&b, true, path, message, n);
}

#endif /* GFIN_HAVE_XLSX */
