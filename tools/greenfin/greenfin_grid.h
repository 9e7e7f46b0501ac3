/* greenfin_grid.h -- the table printer of the `greenfin` command's text
 * output (greenfin_grid.c): numbers in a locale-independent format chosen by
 * their registry unit, and tables of text cells laid out in aligned columns,
 * split into blocks that repeat the key columns when wider than the page.
 * Private to the command; it uses only the public API. Not thread-safe
 * (nothing the command needs). */
#ifndef GREENFIN_GRID_H
#define GREENFIN_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "greenfin.h"

#define GF_INDENT 2  /* tables are indented under their heading */
#define GF_NUMBUF 48 /* a formatted number: 18 digits, 5 commas, sign, decimals */

#if defined(__GNUC__)
#  define GF_PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#  define GF_PRINTF_LIKE(fmt, args)
#endif

/* ---- numbers and units ---- */

/* How amounts are shown in one output. */
typedef struct gf_view {
    const char *currency; /* NULL: amounts without a currency code */
    double money_scale;   /* 1, or 1e-6 for millions */
    const char *money_suffix; /* "" or " m" */
    int money_decimals;
} gf_view;

typedef struct gf_numfmt {
    double scale; /* 100 for percentages */
    int decimals; /* -1: none for whole numbers, 2 otherwise */
} gf_numfmt;

/* v x scale rounded to the format's decimals, grouped in thousands with ','
 * ("1,234,567.89"); "n/a" when not finite; never "-0". */
void gf_fmt_number(char buf[static GF_NUMBUF], double v, gf_numfmt f);
/* The format and the unit label of a quantity whose registry unit is `unit`
 * ("money", "money/MWh", "fraction/year", "ratio", "MWh", ...). */
gf_numfmt gf_unit_format(const char *unit, const gf_view *v, char *label, size_t n);

/* ---- tables of text cells ---- */

/* A table of text cells. Row 0 is the header when `header` is set; a header
 * cell may hold one '\n' (it is then printed on two lines). */
typedef struct gf_grid {
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
} gf_grid;

/* Sets up an empty grid of rows x cols cells; false when memory runs out
 * (the grid then prints nothing, and gf_grid_flush reports GFIN_ENOMEM). */
bool gf_grid_init(gf_grid *g, size_t rows, size_t cols, bool header);
/* Cell (r, c), printf-style. */
void gf_grid_put(gf_grid *g, size_t r, size_t c, const char *fmt, ...) GF_PRINTF_LIKE(4, 5);
/* Prints the grid in as few blocks of columns as fit the page, and frees it. */
gfin_status gf_grid_flush(FILE *f, gf_grid *g);

/* ---- cells and tables from results ---- */

/* A header cell from a column or metric name and a unit suffix:
 * "capitalized_interest" -> "capitalized\ninterest". */
void gf_put_header(gf_grid *g, size_t c, const char *name, const char *suffix);
/* The value of metric m of result res, formatted by its unit ("n/a" when null). */
void gf_put_metric(gf_grid *g, size_t r, size_t c, const gfin_result *res, gfin_metric m, const gf_view *v);
/* A metrics block without header: name, value, unit. */
gfin_status gf_print_metrics(FILE *f, const gfin_result *res, const gf_view *v);
/* Prints the first `rows` rows of columns `names` of table t (NULL-terminated,
 * absent ones skipped; NULL for all) with a header; `sums` (NULL-terminated or
 * NULL) adds a row of the columns' totals over all rows. */
gfin_status gf_print_table(FILE *f, const gfin_table *t, size_t rows, const char *const *names,
                           const char *const *sums, const gf_view *v);
/* "Warnings" and the result's warnings, or "none". */
void gf_print_warnings(FILE *f, const gfin_result *res);

#endif /* GREENFIN_GRID_H */
