/* greenfin_grid.c -- the table printer of the `greenfin` command's text
 * output (greenfin_grid.h).
 *
 * One table printer serves every table. Cells are laid out as strings first;
 * then each column is as wide as its widest cell and, when a table is wider than
 * the page, it is printed in blocks that each repeat the key columns (period,
 * year). Numbers are grouped in thousands by our own formatter, so the output
 * does not depend on the locale. */
#include "greenfin_grid.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_WIDTH 120 /* columns; tables wider than this are split into blocks */
#define GAP 2          /* spaces between columns */
#define MAX_COLS 64

/* ======================================================================== */
/* Numbers and units                                                        */
/* ======================================================================== */

/* v x scale rounded to the format's decimals, grouped in thousands with ','
 * ("1,234,567.89"); "n/a" when not finite; never "-0". */
void gf_fmt_number(char buf[static GF_NUMBUF], double v, gf_numfmt f)
{
    v *= f.scale;
    if (!isfinite(v)) {
        snprintf(buf, GF_NUMBUF, "n/a");
        return;
    }
    if (fabs(v) >= 1e18) {
        snprintf(buf, GF_NUMBUF, "%.6g", v);
        return;
    }
    int decimals = f.decimals >= 0 ? f.decimals : (v == floor(v) ? 0 : 2);
    char raw[GF_NUMBUF];
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
gf_numfmt gf_unit_format(const char *unit, const gf_view *v, char *label, size_t n)
{
    gf_numfmt f = {1, 2};
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

static void grid_free(gf_grid *g)
{
    free(g->left);
    free(g->width);
    free(g->off);
    free(g->text);
}

bool gf_grid_init(gf_grid *g, size_t rows, size_t cols, bool header)
{
    *g = (gf_grid){.rows = rows, .cols = cols, .header = header, .cap = 1024};
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


void gf_grid_put(gf_grid *g, size_t r, size_t c, const char *fmt, ...)
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
static const char *cell_line(const gf_grid *g, size_t r, size_t c, int part, size_t *n)
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

static void measure(gf_grid *g)
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
static size_t block_col(const gf_grid *g, size_t i, size_t b0) { return i < g->keys ? i : b0 + (i - g->keys); }

/* One printed line of the block: row r (part as in cell_line), or a rule of
 * dashes when r is (size_t)-1. */
static void print_line(FILE *f, const gf_grid *g, size_t r, int part, size_t b0, size_t b1)
{
    line l = {f, GF_INDENT};
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

static void print_block(FILE *f, const gf_grid *g, size_t b0, size_t b1)
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
static size_t block_end(const gf_grid *g, size_t c, size_t room)
{
    size_t end = c, used = 0;
    while (end < g->cols && (end == c || used + g->width[end] <= room)) {
        used += g->width[end] + GAP;
        end++;
    }
    return end;
}

static size_t block_count(const gf_grid *g, size_t room)
{
    size_t n = 0;
    for (size_t c = g->keys; c < g->cols; c = block_end(g, c, room))
        n++;
    return n;
}

/* Prints the grid in as few blocks of columns as fit the page, balanced so
 * that the last is not a runt. */
static gfin_status grid_print(FILE *f, gf_grid *g)
{
    if (g->failed)
        return GFIN_ENOMEM;
    measure(g);
    size_t keys_width = GF_INDENT;
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
gfin_status gf_grid_flush(FILE *f, gf_grid *g)
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
void gf_put_header(gf_grid *g, size_t c, const char *name, const char *suffix)
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
    gf_grid_put(g, 0, c, "%s", s);
}

/* The value of metric m of result r, formatted by its unit ("n/a" when null). */
void gf_put_metric(gf_grid *g, size_t r, size_t c, const gfin_result *res, gfin_metric m, const gf_view *v)
{
    char label[32], num[GF_NUMBUF];
    double x;
    gf_numfmt f = gf_unit_format(gfin_metric_unit(m), v, label, sizeof label);
    if (gfin_result_metric(res, m, &x) != GFIN_OK)
        x = NAN;
    gf_fmt_number(num, x, f);
    gf_grid_put(g, r, c, "%s", num);
}

/* A metrics block without header: name, value, unit. */
gfin_status gf_print_metrics(FILE *f, const gfin_result *res, const gf_view *v)
{
    gf_grid g;
    size_t n = gfin_result_metric_count(res);
    if (gf_grid_init(&g, n ? n : 1, 3, false)) {
        g.left[0] = g.left[2] = true;
        for (size_t i = 0; i < n; ++i) {
            gfin_metric m = gfin_result_metric_at(res, i);
            char label[32];
            (void)gf_unit_format(gfin_metric_unit(m), v, label, sizeof label);
            gf_grid_put(&g, i, 0, "%s", gfin_metric_name(m));
            gf_put_metric(&g, i, 1, res, m, v);
            gf_grid_put(&g, i, 2, "%s", label);
        }
    }
    return gf_grid_flush(f, &g);
}

static void put_table_cell(gf_grid *g, size_t r, size_t c, const gfin_table *t, size_t j, double x, const gf_view *v)
{
    char num[GF_NUMBUF], label[32];
    int year, month, day;
    if (!isfinite(x)) {
        gf_grid_put(g, r, c, "-");
    } else if (gfin_table_col_kind(t, j) == GFIN_COL_INTEGER) {
        gf_grid_put(g, r, c, "%.0f", x);
    } else if (gfin_table_col_kind(t, j) == GFIN_COL_DATE) {
        if (fabs(x) < 4e6 && gfin_date_to_ymd((gfin_date)x, &year, &month, &day) == GFIN_OK)
            gf_grid_put(g, r, c, "%04d-%02d-%02d", year, month, day);
    } else {
        gf_fmt_number(num, x, gf_unit_format(column_unit(t, j), v, label, sizeof label));
        gf_grid_put(g, r, c, "%s", num);
    }
}

/* Prints the first `rows` rows of columns `names` of table t (NULL-terminated,
 * absent ones skipped; NULL for all) with a header; `sums` (NULL-terminated or
 * NULL) adds a row of the columns' totals over all rows. */
gfin_status gf_print_table(FILE *f, const gfin_table *t, size_t rows, const char *const *names,
                           const char *const *sums, const gf_view *v)
{
    size_t col[MAX_COLS], ncol = 0;
    for (size_t j = 0; names ? names[j] != NULL : j < gfin_table_cols(t); ++j) {
        int k = names ? gfin_table_col_index(t, names[j]) : (int)j;
        if (k >= 0 && ncol < MAX_COLS)
            col[ncol++] = (size_t)k;
    }
    size_t all = gfin_table_rows(t);
    rows = rows < all ? rows : all;
    gf_grid g;
    if (gf_grid_init(&g, 1 + rows + (sums ? 1 : 0), ncol, true)) {
        g.total = sums != NULL;
        while (g.keys < ncol && gfin_table_col_kind(t, col[g.keys]) != GFIN_COL_NUMBER)
            g.keys++;
        for (size_t c = 0; c < ncol; ++c) {
            const char *name = gfin_table_col_name(t, col[c]);
            char label[32];
            (void)gf_unit_format(column_unit(t, col[c]), v, label, sizeof label);
            bool pct = gfin_table_col_kind(t, col[c]) == GFIN_COL_NUMBER && strcmp(label, "%") == 0;
            gf_put_header(&g, c, name, pct ? "%" : "");
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
            gf_grid_put(&g, 1 + rows, 0, "total");
    }
    return gf_grid_flush(f, &g);
}

void gf_print_warnings(FILE *f, const gfin_result *res)
{
    size_t n = gfin_result_warning_count(res);
    fprintf(f, "\nWarnings\n");
    if (!n)
        fprintf(f, "%*snone\n", GF_INDENT, "");
    for (size_t i = 0; i < n; ++i)
        fprintf(f, "%*s- %s\n", GF_INDENT, "", gfin_result_warning(res, i));
}

