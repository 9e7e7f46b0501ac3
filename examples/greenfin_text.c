/* greenfin_text.c -- the `greenfin` command's text output: aligned tables for a
 * human reader.
 *
 * One table printer serves every table. Cells are laid out as strings first;
 * then each column is as wide as its widest cell and, when a table is wider than
 * the page, it is printed in blocks that each repeat the key columns (period,
 * year). Numbers are grouped in thousands by our own formatter, so the output
 * does not depend on the locale. */
#include "greenfin_text.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_WIDTH 120 /* columns; tables wider than this are split into blocks */
#define INDENT 2       /* tables are indented under their heading */
#define GAP 2          /* spaces between columns */
#define NUMBUF 48      /* a formatted number: 18 digits, 5 commas, sign, decimals */
#define MAX_COLS 64

#if defined(__GNUC__)
#  define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#  define PRINTF_LIKE(fmt, args)
#endif

/* ======================================================================== */
/* Numbers and units                                                        */
/* ======================================================================== */

/* How amounts are shown in one output. */
typedef struct view {
    const char *currency; /* NULL: amounts without a currency code */
    double money_scale;   /* 1, or 1e-6 for millions */
    const char *money_suffix; /* "" or " m" */
    int money_decimals;
} view;

typedef struct numfmt {
    double scale; /* 100 for percentages */
    int decimals; /* -1: none for whole numbers, 2 otherwise */
} numfmt;

/* v x scale rounded to the format's decimals, grouped in thousands with ','
 * ("1,234,567.89"); "n/a" when not finite; never "-0". */
static void fmt_number(char buf[static NUMBUF], double v, numfmt f)
{
    v *= f.scale;
    if (!isfinite(v)) {
        snprintf(buf, NUMBUF, "n/a");
        return;
    }
    if (fabs(v) >= 1e18) {
        snprintf(buf, NUMBUF, "%.6g", v);
        return;
    }
    int decimals = f.decimals >= 0 ? f.decimals : (v == floor(v) ? 0 : 2);
    char raw[NUMBUF];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
    size_t digits = strcspn(raw, ".");
    bool zero = strspn(raw, "0.") == strlen(raw);
    char *o = buf;
    if (v < 0 && !zero)
        *o++ = '-';
    for (size_t i = 0; i < digits; ++i) {
        *o++ = raw[i];
        size_t left = digits - 1 - i;
        if (left && left % 3 == 0)
            *o++ = ',';
    }
    strcpy(o, raw + digits);
}

/* The format and the unit label of a quantity whose registry unit is `unit`
 * ("money", "money/MWh", "fraction/year", "ratio", "MWh", ...). */
static numfmt unit_format(const char *unit, const view *v, char *label, size_t n)
{
    numfmt f = {1, 2};
    if (!unit)
        unit = "";
    if (strcmp(unit, "money") == 0) {
        f.scale = v->money_scale;
        f.decimals = v->money_decimals;
        snprintf(label, n, "%s%s", v->currency ? v->currency : "", v->currency ? v->money_suffix : "");
    } else if (strncmp(unit, "money/", 6) == 0) {
        if (v->currency)
            snprintf(label, n, "%s/%s", v->currency, unit + 6);
        else
            snprintf(label, n, "per %s", unit + 6);
    } else if (strncmp(unit, "fraction", 8) == 0) {
        f.scale = 100;
        snprintf(label, n, "%%");
    } else if (strcmp(unit, "ratio") == 0) {
        snprintf(label, n, "x");
    } else {
        if (strcmp(unit, "MWh") == 0 || strcmp(unit, "tCO2e") == 0)
            f.decimals = 0;
        else if (strcmp(unit, "MW") == 0)
            f.decimals = 1;
        else if (!*unit)
            f.decimals = -1;
        snprintf(label, n, "%s", unit);
    }
    return f;
}

/* Column j's unit, from the output registry ("money" for a column built
 * without one, which the library no longer makes). */
static const char *column_unit(const gfin_table *t, size_t j)
{
    gfin_column c;
    const char *unit = gfin_table_col_get_id(t, j, &c) == GFIN_OK ? gfin_column_unit(c) : NULL;
    return unit ? unit : "money";
}

/* ======================================================================== */
/* The table printer                                                        */
/* ======================================================================== */

/* A table of text cells. Row 0 is the header when `header` is set; a header
 * cell may hold one '\n' (it is then printed on two lines). */
typedef struct grid {
    size_t rows, cols;
    size_t keys;  /* leading columns repeated in every block of a wide table */
    bool header;  /* row 0 is a header */
    bool total;   /* the last row is a total, set off by a rule */
    bool failed;  /* an allocation failed: nothing is printed */
    bool *left;   /* left-aligned columns (the others are right-aligned) */
    size_t *width;
    size_t *off;  /* rows x cols offsets into text; 0 is the empty string */
    char *text;
    size_t len, cap;
} grid;

static void grid_free(grid *g)
{
    free(g->left);
    free(g->width);
    free(g->off);
    free(g->text);
}

static bool grid_init(grid *g, size_t rows, size_t cols, bool header)
{
    *g = (grid){.rows = rows, .cols = cols, .header = header, .cap = 1024};
    g->left = calloc(cols + 1, sizeof *g->left);
    g->width = calloc(cols + 1, sizeof *g->width);
    g->off = calloc(rows * cols + 1, sizeof *g->off);
    g->text = malloc(g->cap);
    if (!g->left || !g->width || !g->off || !g->text) {
        g->failed = true;
        return false;
    }
    g->text[0] = '\0';
    g->len = 1;
    return true;
}

static void grid_put(grid *g, size_t r, size_t c, const char *fmt, ...) PRINTF_LIKE(4, 5);

static void grid_put(grid *g, size_t r, size_t c, const char *fmt, ...)
{
    if (g->failed || r >= g->rows || c >= g->cols)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        g->failed = true;
        return;
    }
    size_t need = g->len + (size_t)n + 1;
    if (need > g->cap) {
        size_t cap = g->cap;
        while (cap < need)
            cap *= 2;
        char *text = realloc(g->text, cap);
        if (!text) {
            g->failed = true;
            return;
        }
        g->text = text;
        g->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(g->text + g->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    g->off[r * g->cols + c] = g->len;
    g->len = need;
}

/* Columns on screen: code points of UTF-8 text (ids and names may be Khmer). */
static size_t text_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; ++i)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* Line `part` of cell (r, c): 0 the top line of a two-line header cell ("" for
 * a one-line cell), 1 its bottom line (the whole of a one-line cell). */
static const char *cell_line(const grid *g, size_t r, size_t c, int part, size_t *n)
{
    const char *s = g->text + g->off[r * g->cols + c];
    const char *nl = strchr(s, '\n');
    if (!nl) {
        *n = part == 0 ? 0 : strlen(s);
        return s;
    }
    *n = part == 0 ? (size_t)(nl - s) : strlen(nl + 1);
    return part == 0 ? s : nl + 1;
}

static void measure(grid *g)
{
    for (size_t c = 0; c < g->cols; ++c) {
        g->width[c] = 0;
        for (size_t r = 0; r < g->rows; ++r)
            for (int part = 0; part < 2; ++part) {
                size_t n;
                const char *s = cell_line(g, r, c, part, &n);
                size_t w = text_width(s, n);
                if (w > g->width[c])
                    g->width[c] = w;
            }
    }
}

/* Spaces are written only before visible text, so lines have no trailing blanks. */
typedef struct line {
    FILE *f;
    size_t pending;
} line;

static void emit(line *l, const char *s, size_t n)
{
    if (!n)
        return;
    fprintf(l->f, "%*s", (int)l->pending, "");
    fwrite(s, 1, n, l->f);
    l->pending = 0;
}

/* The i-th column of the block [b0, b1) after the key columns. */
static size_t block_col(const grid *g, size_t i, size_t b0) { return i < g->keys ? i : b0 + (i - g->keys); }

/* One printed line of the block: row r (part as in cell_line), or a rule of
 * dashes when r is (size_t)-1. */
static void print_line(FILE *f, const grid *g, size_t r, int part, size_t b0, size_t b1)
{
    line l = {f, INDENT};
    static const char dashes[] = "----------------------------------------------------------------";
    for (size_t i = 0; i < g->keys + (b1 - b0); ++i) {
        size_t c = block_col(g, i, b0);
        if (i)
            l.pending += GAP;
        if (r == (size_t)-1) {
            for (size_t w = g->width[c]; w; w -= w < 64 ? w : 64)
                emit(&l, dashes, w < 64 ? w : 64);
            continue;
        }
        size_t n;
        const char *s = cell_line(g, r, c, part, &n);
        size_t pad = g->width[c] - text_width(s, n);
        if (!g->left[c])
            l.pending += pad;
        emit(&l, s, n);
        if (g->left[c])
            l.pending += pad;
    }
    fputc('\n', f);
}

static void print_block(FILE *f, const grid *g, size_t b0, size_t b1)
{
    size_t first = 0;
    if (g->header) {
        bool two = false;
        for (size_t i = 0; i < g->keys + (b1 - b0); ++i)
            two |= strchr(g->text + g->off[block_col(g, i, b0)], '\n') != NULL;
        if (two)
            print_line(f, g, 0, 0, b0, b1);
        print_line(f, g, 0, 1, b0, b1);
        print_line(f, g, (size_t)-1, 0, b0, b1);
        first = 1;
    }
    for (size_t r = first; r < g->rows; ++r) {
        if (g->total && r + 1 == g->rows)
            print_line(f, g, (size_t)-1, 0, b0, b1);
        print_line(f, g, r, 1, b0, b1);
    }
}

/* The end of the block starting at column c whose non-key columns take at most
 * `room` characters (at least one column). */
static size_t block_end(const grid *g, size_t c, size_t room)
{
    size_t end = c, used = 0;
    while (end < g->cols && (end == c || used + g->width[end] <= room)) {
        used += g->width[end] + GAP;
        end++;
    }
    return end;
}

static size_t block_count(const grid *g, size_t room)
{
    size_t n = 0;
    for (size_t c = g->keys; c < g->cols; c = block_end(g, c, room))
        n++;
    return n;
}

/* Prints the grid in as few blocks of columns as fit the page, balanced so
 * that the last is not a runt. */
static gfin_status grid_print(FILE *f, grid *g)
{
    if (g->failed)
        return GFIN_ENOMEM;
    measure(g);
    size_t keys_width = INDENT;
    for (size_t k = 0; k < g->keys; ++k)
        keys_width += g->width[k] + GAP;
    size_t page = keys_width < PAGE_WIDTH / 2 ? PAGE_WIDTH - keys_width : PAGE_WIDTH / 2;
    size_t blocks = block_count(g, page), room = 0;
    while (room < page && block_count(g, room) > blocks)
        room++;
    size_t c = g->keys;
    do {
        size_t end = block_end(g, c, room);
        if (c > g->keys)
            fputc('\n', f);
        print_block(f, g, c, end);
        c = end;
    } while (c < g->cols);
    return GFIN_OK;
}

/* Prints and frees the grid. */
static gfin_status grid_flush(FILE *f, grid *g)
{
    gfin_status st = grid_print(f, g);
    grid_free(g);
    return st;
}

/* ======================================================================== */
/* Cells                                                                    */
/* ======================================================================== */

/* "capitalized_interest" -> "capitalized\ninterest": words, on two lines when
 * long, split where the longer line is shortest. */
static void put_header(grid *g, size_t c, const char *name, const char *suffix)
{
    char s[128];
    snprintf(s, sizeof s, "%s%s%s", name, *suffix ? " " : "", suffix);
    size_t len = strlen(s), best = 0, best_cost = len;
    for (size_t i = 0; i < len; ++i) {
        if (s[i] == '_')
            s[i] = ' ';
        size_t cost = i > len - i - 1 ? i : len - i - 1;
        if (s[i] == ' ' && cost < best_cost) {
            best = i;
            best_cost = cost;
        }
    }
    if (len > 10 && best)
        s[best] = '\n';
    grid_put(g, 0, c, "%s", s);
}

/* The value of metric m of result r, formatted by its unit ("n/a" when null). */
static void put_metric(grid *g, size_t r, size_t c, const gfin_result *res, gfin_metric m, const view *v)
{
    char label[32], num[NUMBUF];
    double x;
    numfmt f = unit_format(gfin_metric_unit(m), v, label, sizeof label);
    if (gfin_result_metric(res, m, &x) != GFIN_OK)
        x = NAN;
    fmt_number(num, x, f);
    grid_put(g, r, c, "%s", num);
}

/* A metrics block without header: name, value, unit. */
static gfin_status print_metrics(FILE *f, const gfin_result *res, const view *v)
{
    grid g;
    size_t n = gfin_result_metric_count(res);
    if (grid_init(&g, n ? n : 1, 3, false)) {
        g.left[0] = g.left[2] = true;
        for (size_t i = 0; i < n; ++i) {
            gfin_metric m = gfin_result_metric_at(res, i);
            char label[32];
            (void)unit_format(gfin_metric_unit(m), v, label, sizeof label);
            grid_put(&g, i, 0, "%s", gfin_metric_name(m));
            put_metric(&g, i, 1, res, m, v);
            grid_put(&g, i, 2, "%s", label);
        }
    }
    return grid_flush(f, &g);
}

static void put_table_cell(grid *g, size_t r, size_t c, const gfin_table *t, size_t j, double x, const view *v)
{
    char num[NUMBUF], label[32];
    int year, month, day;
    if (!isfinite(x)) {
        grid_put(g, r, c, "-");
    } else if (gfin_table_col_kind(t, j) == GFIN_COL_INTEGER) {
        grid_put(g, r, c, "%.0f", x);
    } else if (gfin_table_col_kind(t, j) == GFIN_COL_DATE) {
        if (fabs(x) < 4e6 && gfin_date_to_ymd((gfin_date)x, &year, &month, &day) == GFIN_OK)
            grid_put(g, r, c, "%04d-%02d-%02d", year, month, day);
    } else {
        fmt_number(num, x, unit_format(column_unit(t, j), v, label, sizeof label));
        grid_put(g, r, c, "%s", num);
    }
}

/* Prints the first `rows` rows of columns `names` of table t (NULL-terminated,
 * absent ones skipped; NULL for all) with a header; `sums` (NULL-terminated or
 * NULL) adds a row of the columns' totals over all rows. */
static gfin_status print_table(FILE *f, const gfin_table *t, size_t rows, const char *const *names,
                               const char *const *sums, const view *v)
{
    size_t col[MAX_COLS], ncol = 0;
    for (size_t j = 0; names ? names[j] != NULL : j < gfin_table_cols(t); ++j) {
        int k = names ? gfin_table_col_index(t, names[j]) : (int)j;
        if (k >= 0 && ncol < MAX_COLS)
            col[ncol++] = (size_t)k;
    }
    size_t all = gfin_table_rows(t);
    rows = rows < all ? rows : all;
    grid g;
    if (grid_init(&g, 1 + rows + (sums ? 1 : 0), ncol, true)) {
        g.total = sums != NULL;
        while (g.keys < ncol && gfin_table_col_kind(t, col[g.keys]) != GFIN_COL_NUMBER)
            g.keys++;
        for (size_t c = 0; c < ncol; ++c) {
            const char *name = gfin_table_col_name(t, col[c]);
            char label[32];
            (void)unit_format(column_unit(t, col[c]), v, label, sizeof label);
            bool pct = gfin_table_col_kind(t, col[c]) == GFIN_COL_NUMBER && strcmp(label, "%") == 0;
            put_header(&g, c, name, pct ? "%" : "");
            const double *x = gfin_table_column(t, col[c]);
            double sum = 0;
            for (size_t i = 0; i < all; ++i) {
                if (i < rows)
                    put_table_cell(&g, 1 + i, c, t, col[c], x[i], v);
                sum += x[i];
            }
            for (size_t s = 0; sums && sums[s]; ++s)
                if (strcmp(sums[s], name) == 0)
                    put_table_cell(&g, 1 + rows, c, t, col[c], sum, v);
        }
        if (sums)
            grid_put(&g, 1 + rows, 0, "total");
    }
    return grid_flush(f, &g);
}

static void print_warnings(FILE *f, const gfin_result *res)
{
    size_t n = gfin_result_warning_count(res);
    fprintf(f, "\nWarnings\n");
    if (!n)
        fprintf(f, "%*snone\n", INDENT, "");
    for (size_t i = 0; i < n; ++i)
        fprintf(f, "%*s- %s\n", INDENT, "", gfin_result_warning(res, i));
}

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
    const view v = {NULL, 1, "", 2};
    const char *id = gfin_result_id(loan);
    fprintf(f, "Loan%s%s\n\nSchedule\n", *id ? " " : "", id);
    gfin_status st = print_table(f, gfin_result_table(loan, "schedule"), SIZE_MAX, SCHEDULE_COLS, SCHEDULE_SUMS, &v);
    if (st)
        return st;
    fprintf(f, "\nMetrics\n");
    return print_metrics(f, loan, &v);
}

/* ======================================================================== */
/* project                                                                  */
/* ======================================================================== */

/* One row per loan, one column per metric. */
static gfin_status print_loans(FILE *f, const gfin_result *project, const view *v)
{
    size_t n = gfin_result_child_count(project);
    if (!n) {
        fprintf(f, "%*snone\n", INDENT, "");
        return GFIN_OK;
    }
    const gfin_result *first = gfin_result_child(project, 0);
    size_t nm = gfin_result_metric_count(first);
    grid g;
    if (grid_init(&g, 1 + n, 1 + nm, true)) {
        g.keys = 1;
        g.left[0] = true;
        grid_put(&g, 0, 0, "loan");
        for (size_t j = 0; j < nm; ++j) {
            char label[32];
            gfin_metric m = gfin_result_metric_at(first, j);
            (void)unit_format(gfin_metric_unit(m), v, label, sizeof label);
            put_header(&g, 1 + j, gfin_metric_name(m), strcmp(label, "%") == 0 ? "%" : "");
        }
        for (size_t i = 0; i < n; ++i) {
            const gfin_result *loan = gfin_result_child(project, i);
            grid_put(&g, 1 + i, 0, "%s", gfin_result_id(loan));
            for (size_t j = 0; j < nm; ++j)
                put_metric(&g, 1 + i, 1 + j, loan, gfin_result_metric_at(first, j), v);
        }
    }
    return grid_flush(f, &g);
}

gfin_status gf_text_project(FILE *f, const gfin_result *project)
{
    const view v = {NULL, 1, "", 0};
    gfin_status st;
    fprintf(f, "Project %s\n\nMetrics\n", gfin_result_id(project));
    if ((st = print_metrics(f, project, &v)))
        return st;
    print_warnings(f, project);
    fprintf(f, "\nYears\n");
    if ((st = print_table(f, gfin_result_table(project, "years"), SIZE_MAX, NULL, NULL, &v)))
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

static gfin_status print_summary(FILE *f, const gfin_result *report, const view *v)
{
    grid g;
    if (grid_init(&g, SUMMARY_ROWS + 1, 3, false)) {
        g.left[0] = g.left[2] = true;
        size_t r = 0;
        for (size_t i = 0; i < SUMMARY_ROWS; ++i, ++r) {
            char label[32];
            (void)unit_format(gfin_metric_unit(SUMMARY[i].metric), v, label, sizeof label);
            grid_put(&g, r, 0, "%s", SUMMARY[i].label);
            put_metric(&g, r, 1, report, SUMMARY[i].metric, v);
            grid_put(&g, r, 2, "%s", label);
            if (SUMMARY[i].metric == GFIN_M_WEIGHTED_LOAN_RATE) {
                /* The fund's lending margin: what it earns over what it pays. */
                double loan_rate = 0, cost = 0;
                char num[NUMBUF];
                bool ok = gfin_result_metric(report, GFIN_M_WEIGHTED_LOAN_RATE, &loan_rate) == GFIN_OK &&
                          gfin_result_metric(report, GFIN_M_WEIGHTED_COST_OF_FUNDS, &cost) == GFIN_OK;
                fmt_number(num, ok ? loan_rate - cost : NAN, (numfmt){100, 2});
                ++r;
                grid_put(&g, r, 0, "  margin over cost of funds");
                grid_put(&g, r, 1, "%s", num);
                grid_put(&g, r, 2, "%% points");
            }
        }
    }
    return grid_flush(f, &g);
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

static gfin_status print_projects(FILE *f, const gfin_result *report, const gfin_portfolio *pf, const view *v)
{
    size_t n = gfin_result_child_count(report);
    grid g;
    if (grid_init(&g, 1 + n, 2 + PROJECT_COLS, true)) {
        g.keys = 1;
        g.left[0] = g.left[1] = true;
        grid_put(&g, 0, 0, "project");
        grid_put(&g, 0, 1, "technology");
        /* names are in "Key inputs": this table stays within the page */
        for (size_t j = 0; j < PROJECT_COLS; ++j) {
            char label[32];
            (void)unit_format(gfin_metric_unit(PROJECT_METRICS[j]), v, label, sizeof label);
            bool money = label[0] && strcmp(label, "%") != 0 && strcmp(label, "x") != 0 &&
                         strcmp(label, "MW") != 0 && strcmp(label, "tCO2e") != 0;
            grid_put(&g, 0, 2 + j, "%s%s%s", PROJECT_HEADERS[j], money ? "\n" : "", money ? label : "");
        }
        for (size_t i = 0; i < n; ++i) {
            const gfin_result *p = gfin_result_child(report, i);
            grid_put(&g, 1 + i, 0, "%s", gfin_result_id(p));
            grid_put(&g, 1 + i, 1, "%s", technology_of(project_of(pf, i, gfin_result_id(p))));
            for (size_t j = 0; j < PROJECT_COLS; ++j)
                put_metric(&g, 1 + i, 2 + j, p, PROJECT_METRICS[j], v);
        }
    }
    return grid_flush(f, &g);
}

/* An input of a project (its own, else the portfolio's for grid keys) or of a
 * loan, formatted; "n/a" when not set. */
static void put_input(grid *g, size_t r, size_t c, const gfin_project *p, const gfin_loan *loan,
                      const gfin_portfolio *pf, gfin_key key, numfmt fmt)
{
    char num[NUMBUF];
    double x = NAN;
    if (loan ? gfin_loan_get(loan, key, &x) != GFIN_OK
             : !p || (gfin_project_get(p, key, &x) != GFIN_OK && gfin_portfolio_get(pf, key, &x) != GFIN_OK))
        x = NAN;
    fmt_number(num, x, fmt);
    grid_put(g, r, c, "%s", num);
}

/* What each project's figures rest on: its name, tariff, energy yield and the
 * grid's emission factor (issue 12 item 7); the loans' terms are in "Loans". */
static gfin_status print_inputs(FILE *f, const gfin_result *report, const gfin_portfolio *pf, const view *v)
{
    size_t n = gfin_result_child_count(report);
    char tariff[40];
    (void)unit_format("money/MWh", v, tariff, sizeof tariff);
    grid g;
    if (grid_init(&g, 1 + n, 8, true)) {
        g.keys = 1;
        g.left[0] = g.left[1] = true;
        static const char *const heads[] = {"project", "name", "tariff", "capacity\nfactor %", "yield\nkWh/kWp",
                                            "grid EF_CM\ntCO2e/MWh", "grid EF_OM\ntCO2e/MWh", "grid EF_BM\ntCO2e/MWh"};
        for (size_t j = 0; j < 8; ++j)
            grid_put(&g, 0, j, j == 2 ? "%s\n%s" : "%s", heads[j], tariff);
        for (size_t i = 0; i < n; ++i) {
            const char *id = gfin_result_id(gfin_result_child(report, i));
            const gfin_project *p = project_of(pf, i, id);
            const char *name = p ? gfin_project_get_string(p, GFIN_PROJECT_NAME) : NULL;
            grid_put(&g, 1 + i, 0, "%s", id);
            grid_put(&g, 1 + i, 1, "%s", name ? name : "");
            put_input(&g, 1 + i, 2, p, NULL, pf, GFIN_PROJECT_TARIFF_PER_MWH, (numfmt){1, 2});
            put_input(&g, 1 + i, 3, p, NULL, pf, GFIN_PROJECT_CAPACITY_FACTOR, (numfmt){100, 2});
            put_input(&g, 1 + i, 4, p, NULL, pf, GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP, (numfmt){1, 0});
            put_input(&g, 1 + i, 5, p, NULL, pf, GFIN_GRID_EF_CM, (numfmt){1, 3});
            put_input(&g, 1 + i, 6, p, NULL, pf, GFIN_GRID_EF_OM, (numfmt){1, 3});
            put_input(&g, 1 + i, 7, p, NULL, pf, GFIN_GRID_EF_BM, (numfmt){1, 3});
        }
    }
    return grid_flush(f, &g);
}

/* Every loan of every project with its terms and grant element (at the
 * portfolio's grant_element_discount_rate). */
static const gfin_metric LOAN_METRICS[] = {GFIN_M_TOTAL_DRAWN, GFIN_M_ALL_IN_COST, GFIN_M_GRANT_ELEMENT};
static const char *const LOAN_HEADERS[] = {"drawn", "all-in cost %", "grant element %"};
#define LOAN_COLS (sizeof LOAN_METRICS / sizeof LOAN_METRICS[0])

static const struct {
    const char *head;
    gfin_key key;
    numfmt fmt;
} LOAN_TERMS[] = {{"rate %", GFIN_LOAN_ANNUAL_RATE, {100, 2}},
                  {"payments\na year", GFIN_LOAN_FREQUENCY, {1, 0}},
                  {"grace\nperiods", GFIN_LOAN_GRACE_PERIODS, {1, 0}},
                  {"repayment\nperiods", GFIN_LOAN_REPAYMENT_PERIODS, {1, 0}}};
#define TERM_COLS (sizeof LOAN_TERMS / sizeof LOAN_TERMS[0])

static gfin_status print_report_loans(FILE *f, const gfin_result *report, const gfin_portfolio *pf, const view *v)
{
    size_t n = 0;
    for (size_t i = 0; i < gfin_result_child_count(report); ++i)
        n += gfin_result_child_count(gfin_result_child(report, i));
    grid g;
    if (grid_init(&g, 1 + n, 3 + TERM_COLS + LOAN_COLS, true)) {
        g.keys = 2;
        g.left[0] = g.left[1] = true;
        grid_put(&g, 0, 0, "project");
        grid_put(&g, 0, 1, "loan");
        char money[32];
        (void)unit_format("money", v, money, sizeof money);
        g.left[2] = true;
        grid_put(&g, 0, 2, "lender");
        for (size_t j = 0; j < TERM_COLS; ++j)
            grid_put(&g, 0, 3 + j, "%s", LOAN_TERMS[j].head);
        for (size_t j = 0; j < LOAN_COLS; ++j)
            grid_put(&g, 0, 3 + TERM_COLS + j, "%s%s%s", LOAN_HEADERS[j], j ? "" : "\n", j ? "" : money);
        size_t row = 1;
        for (size_t i = 0; i < gfin_result_child_count(report); ++i) {
            const gfin_result *p = gfin_result_child(report, i);
            const gfin_project *in = project_of(pf, i, gfin_result_id(p));
            for (size_t l = 0; l < gfin_result_child_count(p); ++l, ++row) {
                const gfin_result *loan = gfin_result_child(p, l);
                /* the project's loans in order, then its sized loan (terms from debt_sizing) */
                const gfin_loan *terms = in && l < gfin_project_loan_count(in) ? gfin_project_loan(in, l) : NULL;
                const char *lender = terms ? gfin_loan_get_string(terms, GFIN_LOAN_LENDER) : NULL;
                grid_put(&g, row, 0, "%s", gfin_result_id(p));
                grid_put(&g, row, 1, "%s", gfin_result_id(loan));
                grid_put(&g, row, 2, "%s", terms ? (lender ? lender : "") : "(sized)");
                for (size_t j = 0; j < TERM_COLS; ++j) {
                    if (terms)
                        put_input(&g, row, 3 + j, NULL, terms, pf, LOAN_TERMS[j].key, LOAN_TERMS[j].fmt);
                    else
                        grid_put(&g, row, 3 + j, "-");
                }
                for (size_t j = 0; j < LOAN_COLS; ++j)
                    put_metric(&g, row, 3 + TERM_COLS + j, loan, LOAN_METRICS[j], v);
            }
        }
    }
    return grid_flush(f, &g);
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

static gfin_status print_impact(FILE *f, const gfin_result *report, const view *v)
{
    const gfin_table *t = gfin_result_table(report, "impact");
    double year = NAN, expected = 0;
    if (!t || gfin_result_metric(report, GFIN_M_IMPACT_YEAR, &year) != GFIN_OK)
        return GFIN_OK;
    (void)gfin_result_metric(report, GFIN_M_IMPACT_EXPECTED_PROJECTS, &expected);
    fprintf(f, "\nImpact in %.0f (ICMA core indicators; attributed: pro rata to the fund's balance / capex)\n", year);
    const size_t n = gfin_table_rows(t);
    const double *exp_col = gfin_table_column_by_name(t, "expected"), *net = gfin_table_column_by_name(t, "net_mwh");
    grid g;
    if (grid_init(&g, 2 + n, 2 + IMPACT_NSHOWN, true)) {
        g.keys = 1;
        g.total = true;
        g.left[0] = g.left[1] = true;
        grid_put(&g, 0, 0, "project");
        grid_put(&g, 0, 1, "figures");
        char label[32], num[NUMBUF];
        for (size_t j = 0; j < IMPACT_NSHOWN; ++j) {
            (void)unit_format(gfin_column_unit(IMPACT_SHOWN[j]), v, label, sizeof label);
            grid_put(&g, 0, 2 + j, "%s\n%s", gfin_column_name(IMPACT_SHOWN[j]), label);
        }
        for (size_t i = 0; i < n; ++i) {
            const gfin_result *p = gfin_result_child(report, i);
            grid_put(&g, 1 + i, 0, "%s", p ? gfin_result_id(p) : "");
            grid_put(&g, 1 + i, 1, "%s", exp_col[i] == 1 ? "expected (in construction)" : net[i] > 0 ? "the year's" : "stopped");
            for (size_t j = 0; j < IMPACT_NSHOWN; ++j) {
                numfmt nf = unit_format(gfin_column_unit(IMPACT_SHOWN[j]), v, label, sizeof label);
                fmt_number(num, gfin_table_column_of(t, IMPACT_SHOWN[j])[i], nf);
                grid_put(&g, 1 + i, 2 + j, "%s", num);
            }
        }
        grid_put(&g, 1 + n, 0, "total");
        if (expected > 0)
            grid_put(&g, 1 + n, 1, "%.0f expected", expected);
        for (size_t j = 0; j < IMPACT_NSHOWN; ++j)
            if (IMPACT_TOTALS[j])
                put_metric(&g, 1 + n, 2 + j, report, IMPACT_TOTALS[j], v);
    }
    return grid_flush(f, &g);
}

gfin_status gf_text_report(FILE *f, const gfin_result *report, const gfin_portfolio *pf)
{
    const char *currency = gfin_portfolio_get_string(pf, GFIN_PORTFOLIO_CURRENCY);
    const view v = {currency && *currency ? currency : NULL, 1e-6, " m", 2};
    const gfin_fund *fund = gfin_portfolio_fund(pf);
    const char *fund_name = fund ? gfin_fund_get_string(fund, GFIN_FUND_NAME) : NULL;
    char money[32];
    (void)unit_format("money", &v, money, sizeof money);
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
    if ((st = print_table(f, fund_table, active, FUND_COLS, FUND_SUMS, &v)))
        return st;
    const double *year = gfin_table_column_by_name(fund_table, "calendar_year");
    if (active < gfin_table_rows(fund_table) && active && year)
        fprintf(f, "%*s(no fund cash flows after %.0f)\n", INDENT, "", year[active - 1]);
    fprintf(f, "\nEnergy and emission reductions (attributed: the fund's share)\n");
    const gfin_table *impact = gfin_result_table(report, "portfolio");
    if ((st = print_table(f, impact, SIZE_MAX, IMPACT_COLS, IMPACT_SUMS, &v)) || (st = print_impact(f, report, &v)))
        return st;
    print_warnings(f, report);
    return GFIN_OK;
}
