/* greenfin_xlsx.c -- the `greenfin` command's Excel output of a loan, project
 * or portfolio result: one workbook per run, on the shared workbook core
 * (greenfin_xlsx_book.c: libxlsxwriter's constant-memory mode, each sheet
 * streamed row by row, so the work is linear in the size of the result). The
 * risk workbook is greenfin_xlsx_risk.c.
 *
 * Sheets:
 *   Summary         the result's metrics (name, description, value, unit), the
 *                   key assumptions (the top object's inputs, and the fund's)
 *                   and the warnings;
 *   <table>         each table of the result ("schedule", "years", "fund",
 *                   "portfolio", ...): a header row, a units row, frozen panes;
 *   projects/loans  one row of metrics per child result (a portfolio's
 *                   projects, the loans of a project);
 *   <child table>   the children's tables stacked in one sheet ("years" of
 *                   every project, "schedule" of every loan), each row led by
 *                   its project's and loan's id and name (or lender);
 *   project inputs, loan inputs
 *                   every input key of every child, with its unit.
 *
 * Units come from the registries (gfin_metric_unit, gfin_key_unit,
 * gfin_column_unit), and with them the number formats. A null (a NaN cell, a metric without a
 * value, an unset key without a default) is an empty cell, as in the JSON
 * output it is null. */
#include "greenfin_xlsx.h"

#include <stdio.h>

#ifndef GFIN_HAVE_XLSX

bool gf_xlsx_available(void) { return false; }

gfin_status gf_xlsx_write(const char *path, const gfin_result *r, const gf_xlsx_inputs *in, char *message, size_t n)
{
    (void)path;
    (void)r;
    (void)in;
    snprintf(message, n, "this greenfin was built without libxlsxwriter; use --format csv or json");
    return GFIN_EINVAL;
}

#else

#include <stdlib.h>
#include <string.h>

#include "greenfin_xlsx_book.h"

/* ======================================================================== */
/* Inputs: any object's keys through the registry                           */
/* ======================================================================== */

typedef enum objkind { OBJ_LOAN, OBJ_PROJECT, OBJ_PORTFOLIO, OBJ_FUND } objkind;

typedef struct object {
    objkind kind;
    const void *handle;
} object;

enum { KEY_NOT = 0, KEY_OWN = 1, KEY_NESTED = 2 };

/* Whether an object takes the keys of a registry object (MODEL.md): a project
 * its own, and the grid's and debt sizing's nested in it; a portfolio its own
 * and the grid's; the fund's keys are nested in the portfolio file. */
static int takes_key(objkind kind, const char *key_object)
{
    switch (kind) {
    case OBJ_LOAN:
        return strcmp(key_object, "loan") == 0 ? KEY_OWN : KEY_NOT;
    case OBJ_PROJECT:
        return strcmp(key_object, "project") == 0                                             ? KEY_OWN
               : strcmp(key_object, "grid") == 0 || strcmp(key_object, "debt_sizing") == 0 ? KEY_NESTED
                                                                                             : KEY_NOT;
    case OBJ_PORTFOLIO:
        return strcmp(key_object, "portfolio") == 0 ? KEY_OWN : strcmp(key_object, "grid") == 0 ? KEY_NESTED : KEY_NOT;
    default:
        return strcmp(key_object, "fund") == 0 ? KEY_NESTED : KEY_NOT;
    }
}

/* The keys an object takes, its own first, then the nested ones (in registry
 * order within each); returns how many were stored (at most max). */
static size_t object_keys(objkind kind, gfin_key *keys, size_t max)
{
    size_t n = 0;
    for (int pass = KEY_OWN; pass <= KEY_NESTED; ++pass)
        for (size_t i = 0; i < gfin_key_count() && n < max; ++i)
            if (takes_key(kind, gfin_key_object(gfin_key_at(i))) == pass)
                keys[n++] = gfin_key_at(i);
    return n;
}

static gfin_status object_get(object o, gfin_key key, double *out)
{
    switch (o.kind) {
    case OBJ_LOAN:
        return gfin_loan_get(o.handle, key, out);
    case OBJ_PROJECT:
        return gfin_project_get(o.handle, key, out);
    case OBJ_PORTFOLIO:
        return gfin_portfolio_get(o.handle, key, out);
    default:
        return gfin_fund_get(o.handle, key, out);
    }
}

static const char *object_get_string(object o, gfin_key key)
{
    switch (o.kind) {
    case OBJ_LOAN:
        return gfin_loan_get_string(o.handle, key);
    case OBJ_PROJECT:
        return gfin_project_get_string(o.handle, key);
    case OBJ_PORTFOLIO:
        return gfin_portfolio_get_string(o.handle, key);
    default:
        return gfin_fund_get_string(o.handle, key);
    }
}

static gfin_status object_get_array(object o, gfin_key key, const double **v, size_t *n)
{
    *v = NULL;
    *n = 0;
    if (o.kind == OBJ_LOAN)
        return gfin_loan_get_array(o.handle, key, v, n);
    if (o.kind == OBJ_PROJECT)
        return gfin_project_get_array(o.handle, key, v, n);
    return GFIN_EINVAL;
}

/* "ef_cm" of a grid as "grid.ef_cm", as the JSON nests it; the object's own
 * keys bare. */
static void key_label(objkind kind, gfin_key key, char *out, size_t n)
{
    const char *obj = gfin_key_object(key);
    if (takes_key(kind, obj) == KEY_OWN)
        snprintf(out, n, "%s", gfin_key_name(key));
    else
        snprintf(out, n, "%s.%s", obj, gfin_key_name(key));
}

/* One key's value in a cell: numbers with their unit's format, choices by
 * name, dates as dates, arrays as "a, b, c" text. Nothing when unset. */
static void put_key(gx_book *b, gx_sheet *s, lxw_col_t col, object o, gfin_key key)
{
    int type = gfin_key_type(key);
    double target;
    /* Debt sizing is on when its required target is set: otherwise its keys'
     * defaults would read as terms of a loan that does not exist. */
    if (o.kind == OBJ_PROJECT && strcmp(gfin_key_object(key), "debt_sizing") == 0 &&
        gfin_project_get(o.handle, GFIN_SIZING_TARGET_DSCR, &target) != GFIN_OK)
        return;
    if (type == GFIN_PARAM_STRING) {
        gx_text(b, s, col, object_get_string(o, key), NULL);
        return;
    }
    if (type == GFIN_PARAM_ARRAY) {
        const double *v;
        size_t n;
        if (object_get_array(o, key, &v, &n) || !n)
            return;
        gx_numbers(b, s, col, v, n);
        return;
    }
    double v;
    if (object_get(o, key, &v) != GFIN_OK)
        return;
    if (type == GFIN_PARAM_CHOICE)
        gx_text(b, s, col, gfin_key_choice(key, (int)v), NULL);
    else if (type == GFIN_PARAM_DATE)
        gx_date(b, s, col, v);
    else if (type == GFIN_PARAM_INTEGER) /* a calendar year as 2027, counts as 1,000 */
        gx_number(b, s, col, v, gx_number_format(b, strcmp(gfin_key_unit(key), "year") == 0 ? "0" : "#,##0"));
    else
        gx_number(b, s, col, v, gx_unit_format(b, gfin_key_unit(key)));
}

/* The object's keys as rows: label, description, value, unit. */
static void assumption_rows(gx_book *b, gx_sheet *s, object o)
{
    char label[96], unit[64];
    gfin_key keys[GX_MAX_COLS];
    size_t nk = object_keys(o.kind, keys, GX_MAX_COLS);
    for (size_t i = 0; i < nk; ++i) {
        gfin_key key = keys[i];
        key_label(o.kind, key, label, sizeof label);
        gx_text(b, s, 0, label, NULL);
        gx_text(b, s, 1, gfin_key_doc(key), NULL);
        put_key(b, s, 2, o, key);
        if (gfin_key_type(key) == GFIN_PARAM_NUMBER || gfin_key_type(key) == GFIN_PARAM_INTEGER ||
            gfin_key_type(key) == GFIN_PARAM_ARRAY) {
            gx_unit_label(b, gfin_key_unit(key), unit, sizeof unit);
            gx_text(b, s, 3, unit, NULL);
        }
        s->row++;
    }
}

/* ======================================================================== */
/* The tree of results: children with their ids, names and inputs           */
/* ======================================================================== */

#define MAX_PREFIX 4

/* A result at some depth with the columns that lead its rows. */
typedef struct node {
    const gfin_result *r;
    object inputs; /* handle NULL: not known (none) */
    const char *prefix[MAX_PREFIX];
} node;

typedef struct level {
    node *nodes;
    size_t n;
    const char *prefix_names[MAX_PREFIX];
    size_t nprefix;
    const char *name;        /* of the metrics sheet: "projects", "loans" */
    const char *inputs_name; /* of the inputs gx_sheet */
} level;

/* The lender of loan result i of a project: an attached loan's key, or the
 * debt sizing's for the sized loan, which comes after them. */
static const char *loan_lender(const gfin_project *p, size_t i)
{
    if (!p)
        return "";
    if (i < gfin_project_loan_count(p))
        return gfin_loan_get_string(gfin_project_loan(p, i), GFIN_LOAN_LENDER);
    return gfin_project_get_string(p, GFIN_SIZING_LENDER);
}

static const gfin_loan *loan_handle(const gfin_project *p, size_t i)
{
    return p && i < gfin_project_loan_count(p) ? gfin_project_loan(p, i) : NULL;
}

/* The loans of project result `pr` (handle p) appended to lv, after `lead`
 * leading prefix values. */
static void add_loans(level *lv, const gfin_result *pr, const gfin_project *p, const char *const *lead, size_t nlead)
{
    for (size_t i = 0; i < gfin_result_child_count(pr); ++i) {
        node *nd = &lv->nodes[lv->n++];
        *nd = (node){.r = gfin_result_child(pr, i)};
        const gfin_loan *l = loan_handle(p, i);
        nd->inputs = (object){OBJ_LOAN, l};
        for (size_t k = 0; k < nlead; ++k)
            nd->prefix[k] = lead[k];
        nd->prefix[nlead] = gfin_result_id(nd->r);
        nd->prefix[nlead + 1] = loan_lender(p, i);
    }
}

static size_t grandchild_count(const gfin_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < gfin_result_child_count(r); ++i)
        n += gfin_result_child_count(gfin_result_child(r, i));
    return n;
}

/* levels[0]: the children, levels[1]: the grandchildren (a portfolio's loans). */
static bool build_levels(const gfin_result *r, const gf_xlsx_inputs *in, level lv[2])
{
    memset(lv, 0, 2 * sizeof *lv);
    size_t n1 = gfin_result_child_count(r), n2 = grandchild_count(r);
    lv[0].nodes = calloc(n1 + 1, sizeof *lv[0].nodes);
    lv[1].nodes = calloc(n2 + 1, sizeof *lv[1].nodes);
    if (!lv[0].nodes || !lv[1].nodes)
        return false;
    static const char *const PROJECT_PREFIX[] = {"project_id", "project_name", "loan_id", "lender"};
    if (gfin_result_kind_of(r) == GFIN_RESULT_PROJECT) {
        lv[0] = (level){lv[0].nodes, 0, {"loan_id", "lender"}, 2, "loans", "loan inputs"};
        add_loans(&lv[0], r, in->project, NULL, 0);
    } else if (gfin_result_kind_of(r) == GFIN_RESULT_PORTFOLIO) {
        lv[0] = (level){lv[0].nodes, 0, {PROJECT_PREFIX[0], PROJECT_PREFIX[1]}, 2, "projects", "project inputs"};
        lv[1] = (level){lv[1].nodes, 0, {PROJECT_PREFIX[0], PROJECT_PREFIX[1], PROJECT_PREFIX[2], PROJECT_PREFIX[3]},
                        4, "loans", "loan inputs"};
        for (size_t i = 0; i < n1; ++i) {
            node *nd = &lv[0].nodes[lv[0].n++];
            const gfin_project *p = in->portfolio && i < gfin_portfolio_project_count(in->portfolio)
                                        ? gfin_portfolio_project(in->portfolio, i)
                                        : NULL;
            *nd = (node){.r = gfin_result_child(r, i), .inputs = {OBJ_PROJECT, p}};
            nd->prefix[0] = gfin_result_id(nd->r);
            nd->prefix[1] = p ? gfin_project_get_string(p, GFIN_PROJECT_NAME) : "";
            add_loans(&lv[1], nd->r, p, nd->prefix, 2);
        }
    }
    return true;
}

/* ======================================================================== */
/* Sheets                                                                   */
/* ======================================================================== */

/* Column names of every table called `name` among the nodes, in first-seen
 * order (a dated loan's schedule has a date column the others lack). */
static size_t union_columns(const level *lv, const gfin_table *top, const char *name, const char **cols, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < (top ? 1 : lv->n); ++i) {
        const gfin_table *t = top ? top : gfin_result_table(lv->nodes[i].r, name);
        for (size_t j = 0; t && j < gfin_table_cols(t); ++j) {
            const char *c = gfin_table_col_name(t, j);
            size_t k = 0;
            while (k < n && strcmp(cols[k], c) != 0)
                ++k;
            if (k == n && n < max)
                cols[n++] = c;
        }
    }
    return n;
}

/* The registry's unit of column `name` of tables called `table`; NULL for a
 * column the registry does not know. */
static const char *column_unit(const char *table, const char *name)
{
    gfin_column c;
    return gfin_column_lookup(table, name, &c, NULL) == GFIN_OK ? gfin_column_unit(c) : NULL;
}

/* Rows of table t under nprefix leading columns: those of node nd, or (nd
 * NULL, places set) of the project whose place (from 1) the row's "project"
 * column gives -- the impact table's rows. */
static void table_rows(gx_book *b, gx_sheet *s, const gfin_table *t, const char *table, const char **cols, size_t ncols,
                       const node *nd, size_t nprefix, const level *places)
{
    const double *place = places ? gfin_table_column_by_name(t, "project") : NULL;
    int idx[GX_MAX_COLS];
    lxw_format *fmt[GX_MAX_COLS];
    lxw_format *integer = gx_number_format(b, "0");
    for (size_t k = 0; k < ncols; ++k) {
        idx[k] = gfin_table_col_index(t, cols[k]);
        const char *unit = column_unit(table, cols[k]);
        fmt[k] = unit ? gx_unit_format(b, unit) : gx_number_format(b, "#,##0.00");
    }
    for (size_t row = 0; row < gfin_table_rows(t); ++row, ++s->row) {
        if (place && place[row] >= 1 && place[row] <= (double)places->n)
            nd = &places->nodes[(size_t)place[row] - 1];
        for (size_t k = 0; nd && k < nprefix; ++k)
            gx_text(b, s, (lxw_col_t)k, nd->prefix[k], NULL);
        for (size_t k = 0; k < ncols; ++k) {
            if (idx[k] < 0)
                continue;
            double v = gfin_table_column(t, (size_t)idx[k])[row];
            lxw_col_t col = (lxw_col_t)(nprefix + k);
            int kind = gfin_table_col_kind(t, (size_t)idx[k]);
            if (kind == GFIN_COL_DATE)
                gx_date(b, s, col, v);
            else
                gx_number(b, s, col, v, kind == GFIN_COL_INTEGER ? integer : fmt[k]);
        }
    }
}

/* A table sheet: the top result's table `t`, or (t NULL) the tables `name` of
 * every node of the level, stacked. A top table with a "project" column (the
 * impact table) is led by that project's id and name, from the level `lv` of
 * the portfolio's projects. */
static void table_sheet(gx_book *b, const char *name, const gfin_table *t, const level *lv)
{
    const char *cols[GX_MAX_COLS];
    const level *places = t && lv && lv->n && gfin_table_col_index(t, "project") >= 0 ? lv : NULL;
    size_t nprefix = t ? (places ? 2 : 0) : lv->nprefix;
    size_t ncols = union_columns(lv, t, name, cols, GX_MAX_COLS - nprefix);
    gx_sheet *s = gx_sheet_new(b, name);
    if (!s)
        return;
    gx_header_row(b, s, lv && (!t || places) ? lv->prefix_names : NULL, nprefix, 0);
    gx_header_row(b, s, cols, ncols, (lxw_col_t)nprefix);
    s->row = 1;
    char unit[64];
    for (size_t k = 0; k < ncols; ++k) {
        const char *u = column_unit(name, cols[k]);
        gx_unit_label(b, u, unit, sizeof unit);
        gx_text(b, s, (lxw_col_t)(nprefix + k), unit, b->units);
    }
    s->row = 2;
    if (t)
        table_rows(b, s, t, name, cols, ncols, NULL, nprefix, places);
    for (size_t i = 0; !t && i < lv->n; ++i) {
        const gfin_table *ti = gfin_result_table(lv->nodes[i].r, name);
        if (ti)
            table_rows(b, s, ti, name, cols, ncols, &lv->nodes[i], nprefix, NULL);
    }
    gx_sheet_end(b, s, 2, (lxw_col_t)(nprefix ? nprefix : 1));
}

/* The metrics of every node of a level, one row each, in the union of their
 * metrics' output order. */
static void metrics_sheet(gx_book *b, const level *lv)
{
    gfin_metric ms[GX_MAX_COLS];
    size_t nm = 0;
    for (size_t i = 0; i < lv->n; ++i)
        for (size_t j = 0; j < gfin_result_metric_count(lv->nodes[i].r); ++j) {
            gfin_metric m = gfin_result_metric_at(lv->nodes[i].r, j);
            size_t k = 0;
            while (k < nm && ms[k] != m)
                ++k;
            if (k == nm && nm + lv->nprefix < GX_MAX_COLS)
                ms[nm++] = m;
        }
    gx_sheet *s = gx_sheet_new(b, lv->name);
    if (!s)
        return;
    gx_header_row(b, s, lv->prefix_names, lv->nprefix, 0);
    char unit[64];
    for (size_t k = 0; k < nm; ++k) /* rows in order: constant-memory mode */
        gx_text(b, s, (lxw_col_t)(lv->nprefix + k), gfin_metric_name(ms[k]), b->header);
    s->row = 1;
    for (size_t k = 0; k < nm; ++k) {
        gx_unit_label(b, gfin_metric_unit(ms[k]), unit, sizeof unit);
        gx_text(b, s, (lxw_col_t)(lv->nprefix + k), unit, b->units);
    }
    for (size_t i = 0; i < lv->n; ++i) {
        s->row = (lxw_row_t)(2 + i);
        for (size_t k = 0; k < lv->nprefix; ++k)
            gx_text(b, s, (lxw_col_t)k, lv->nodes[i].prefix[k], NULL);
        for (size_t k = 0; k < nm; ++k) {
            double v;
            if (gfin_result_metric(lv->nodes[i].r, ms[k], &v) == GFIN_OK)
                gx_number(b, s, (lxw_col_t)(lv->nprefix + k), v, gx_unit_format(b, gfin_metric_unit(ms[k])));
        }
    }
    gx_sheet_end(b, s, 2, (lxw_col_t)lv->nprefix);
}

/* Every input key of every node of a level, one row each. */
static void inputs_sheet(gx_book *b, const level *lv, objkind kind)
{
    gfin_key keys[GX_MAX_COLS];
    size_t nk = object_keys(kind, keys, GX_MAX_COLS - lv->nprefix);
    gx_sheet *s = gx_sheet_new(b, lv->inputs_name);
    if (!s)
        return;
    gx_header_row(b, s, lv->prefix_names, lv->nprefix, 0);
    char label[96], unit[64];
    for (size_t k = 0; k < nk; ++k) { /* rows in order: constant-memory mode */
        key_label(kind, keys[k], label, sizeof label);
        gx_text(b, s, (lxw_col_t)(lv->nprefix + k), label, b->header);
    }
    s->row = 1;
    for (size_t k = 0; k < nk; ++k) {
        gx_unit_label(b, gfin_key_unit(keys[k]), unit, sizeof unit);
        gx_text(b, s, (lxw_col_t)(lv->nprefix + k), unit, b->units);
    }
    s->row = 2;
    for (size_t i = 0; i < lv->n; ++i) {
        if (!lv->nodes[i].inputs.handle)
            continue; /* the sized loan: its terms are the project's debt_sizing */
        for (size_t k = 0; k < lv->nprefix; ++k)
            gx_text(b, s, (lxw_col_t)k, lv->nodes[i].prefix[k], NULL);
        for (size_t k = 0; k < nk; ++k)
            put_key(b, s, (lxw_col_t)(lv->nprefix + k), lv->nodes[i].inputs, keys[k]);
        s->row++;
    }
    gx_sheet_end(b, s, 2, (lxw_col_t)lv->nprefix);
}

/* The fund's sources of capital: one row each, a column per key of the
 * registry's "source" object (name, amount, annual_rate) under a units row. */
static void sources_block(gx_book *b, gx_sheet *s, const gfin_fund *fund)
{
    if (!gfin_fund_source_count(fund))
        return;
    gfin_key keys[8];
    const char *names[8];
    size_t nk = 0;
    for (size_t i = 0; i < gfin_key_count() && nk < 8; ++i)
        if (strcmp(gfin_key_object(gfin_key_at(i)), "source") == 0) {
            keys[nk] = gfin_key_at(i);
            names[nk] = gfin_key_name(keys[nk]);
            nk++;
        }
    gx_heading(b, s, "Fund sources", names, nk);
    char unit[64];
    for (size_t k = 0; k < nk; ++k) {
        gx_unit_label(b, gfin_key_unit(keys[k]), unit, sizeof unit);
        gx_text(b, s, (lxw_col_t)k, unit, b->units);
    }
    for (size_t i = 0; i < gfin_fund_source_count(fund); ++i) {
        s->row++;
        for (size_t k = 0; k < nk; ++k) {
            double v;
            if (gfin_key_type(keys[k]) == GFIN_PARAM_STRING)
                gx_text(b, s, (lxw_col_t)k, gfin_fund_source_get_string(fund, i, keys[k]), NULL);
            else if (gfin_fund_source_get(fund, i, keys[k], &v) == GFIN_OK)
                gx_number(b, s, (lxw_col_t)k, v, gx_unit_format(b, gfin_key_unit(keys[k])));
        }
    }
    s->row++;
}

static void summary_sheet(gx_book *b, const gfin_result *r, const gf_xlsx_inputs *in)
{
    static const char *const KINDS[] = {"", "loan", "project", "report"};
    static const char *const METRIC_COLS[] = {"metric", "description", "value", "unit"};
    static const char *const KEY_COLS[] = {"key", "description", "value", "unit"};
    gx_sheet *s = gx_sheet_new(b, "Summary");
    if (!s)
        return;
    char text[512], unit[64];
    const char *name = in->project ? gfin_project_get_string(in->project, GFIN_PROJECT_NAME) : "";
    int kind = gfin_result_kind_of(r);
    snprintf(text, sizeof text, "greenfin %s: %s%s%s%s", KINDS[kind >= 1 && kind <= 3 ? kind : 0], gfin_result_id(r),
             name && *name ? " (" : "", name ? name : "", name && *name ? ")" : "");
    gx_text(b, s, 0, text, b->title);
    s->row++;
    snprintf(text, sizeof text, "greenfin %s; units: %s", gfin_version_string(),
             *b->currency ? b->currency : "amounts in the input's currency");
    gx_text(b, s, 0, text, NULL);
    s->row++;

    gx_heading(b, s, "Metrics", METRIC_COLS, 4);
    for (size_t i = 0; i < gfin_result_metric_count(r); ++i, ++s->row) {
        gfin_metric m = gfin_result_metric_at(r, i);
        gx_text(b, s, 0, gfin_metric_name(m), NULL);
        gx_text(b, s, 1, gfin_metric_doc(m), NULL);
        double v;
        if (gfin_result_metric(r, m, &v) == GFIN_OK)
            gx_number(b, s, 2, v, gx_unit_format(b, gfin_metric_unit(m)));
        gx_unit_label(b, gfin_metric_unit(m), unit, sizeof unit);
        gx_text(b, s, 3, unit, NULL);
    }

    gx_heading(b, s, "Key assumptions", KEY_COLS, 4);
    if (in->loan)
        assumption_rows(b, s, (object){OBJ_LOAN, in->loan});
    if (in->project)
        assumption_rows(b, s, (object){OBJ_PROJECT, in->project});
    if (in->portfolio) {
        assumption_rows(b, s, (object){OBJ_PORTFOLIO, in->portfolio});
        const gfin_fund *fund = gfin_portfolio_fund(in->portfolio);
        if (fund)
            assumption_rows(b, s, (object){OBJ_FUND, fund});
        sources_block(b, s, fund);
    }

    s->row++;
    gx_text(b, s, 0, "Warnings", b->heading);
    s->row++;
    if (!gfin_result_warning_count(r)) {
        gx_text(b, s, 0, "none", NULL);
        s->row++;
    }
    for (size_t i = 0; i < gfin_result_warning_count(r); ++i, ++s->row)
        gx_text(b, s, 0, gfin_result_warning(r, i), NULL);
    s->width[0] = s->width[0] > 36 ? 36 : s->width[0]; /* warnings run on past the column */
    gx_sheet_end(b, s, 0, 0);
}

/* The stacked sheets of one level: each distinct table name of its nodes. */
static void level_tables(gx_book *b, const level *lv)
{
    const char *done[16];
    size_t ndone = 0;
    for (size_t i = 0; i < lv->n; ++i)
        for (size_t j = 0; j < gfin_result_table_count(lv->nodes[i].r); ++j) {
            const char *name = gfin_result_table_name(lv->nodes[i].r, j);
            size_t k = 0;
            while (k < ndone && strcmp(done[k], name) != 0)
                ++k;
            if (k < ndone || ndone == 16)
                continue;
            done[ndone++] = name;
            table_sheet(b, name, NULL, lv);
        }
}

static void level_sheets(gx_book *b, const level *lv, objkind kind)
{
    if (!lv->n)
        return;
    metrics_sheet(b, lv);
    inputs_sheet(b, lv, kind);
    level_tables(b, lv);
}

bool gf_xlsx_available(void) { return true; }

gfin_status gf_xlsx_write(const char *path, const gfin_result *r, const gf_xlsx_inputs *in, char *message, size_t n)
{
    const char *currency = in->portfolio ? gfin_portfolio_get_string(in->portfolio, GFIN_PORTFOLIO_CURRENCY) : "";
    gx_book b;
    gfin_status st = gx_open(&b, path, currency, message, n);
    if (st)
        return st;
    level lv[2];
    bool ok = build_levels(r, in, lv);
    if (ok) {
        summary_sheet(&b, r, in);
        for (size_t i = 0; i < gfin_result_table_count(r); ++i)
            table_sheet(&b, gfin_result_table_name(r, i), gfin_result_table_at(r, i),
                        gfin_result_kind_of(r) == GFIN_RESULT_PORTFOLIO ? &lv[0] : NULL);
        level_sheets(&b, &lv[0], in->portfolio ? OBJ_PROJECT : OBJ_LOAN);
        level_sheets(&b, &lv[1], OBJ_LOAN);
    }
    free(lv[0].nodes);
    free(lv[1].nodes);
    return gx_close(&b, ok, path, message, n);
}

#endif /* GFIN_HAVE_XLSX */
