/* greenfin_xlsx_book.h -- what the command's workbooks share (greenfin_xlsx_book.c):
 * the workbook with its cell formats, number formats from the registries'
 * units, cells, and sheets with a header row, a units row, frozen panes and
 * column widths. Used by greenfin_xlsx.c (loan, project, report) and
 * greenfin_xlsx_risk.c (risk). Built only with libxlsxwriter. */
#ifndef GREENFIN_XLSX_BOOK_H
#define GREENFIN_XLSX_BOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <xlsxwriter.h>

#include "greenfin.h"

#define GX_MAX_COLS 256      /* columns of one sheet; a result has far fewer */
#define GX_MAX_FORMATS 16    /* distinct number formats */
#define GX_CELL_MAX 32767    /* characters of text in one cell */

typedef struct gx_book {
    lxw_workbook *wb;
    const char *currency; /* "" when the input has none (loans, projects) */
    lxw_format *title, *heading, *header, *units, *date;
    const char *num_format[GX_MAX_FORMATS];
    lxw_format *formats[GX_MAX_FORMATS];
    size_t nformats;
    lxw_error error; /* the first error, LXW_NO_ERROR while none */
} gx_book;

typedef struct gx_sheet {
    lxw_worksheet *ws;
    lxw_row_t row; /* the next row to write */
    lxw_col_t cols;
    double width[GX_MAX_COLS];
} gx_sheet;

/* Opens a workbook at `path` in constant-memory mode (rows are written in
 * order) with the shared cell formats; `currency` labels money ("" for none).
 * GFIN_EIO (the path cannot be written) or GFIN_ENOMEM, with the reason in
 * `message`; then nothing is left at `path` and gx_close is not called. */
gfin_status gx_open(gx_book *b, const char *path, const char *currency, char *message, size_t n);
/* Writes the file. `ok` false (or an error met while writing) removes it and
 * gives the reason: GFIN_ENOMEM, GFIN_EIO. */
gfin_status gx_close(gx_book *b, bool ok, const char *path, char *message, size_t n);
/* Records the first libxlsxwriter error. */
void gx_check(gx_book *b, lxw_error e);

/* The cell format of an Excel number format ("0.00%"), made once per book. */
lxw_format *gx_number_format(gx_book *b, const char *num_format);
/* The display of a registry unit: fractions as percent, money and energy in
 * thousands; NULL (General) for no unit. */
lxw_format *gx_unit_format(gx_book *b, const char *unit);
/* The unit as a reader sees it: the currency for money, "%" for fractions. */
void gx_unit_label(const gx_book *b, const char *unit, char *out, size_t n);
/* x as the shortest of %.15g .. %.17g that reads back as x. */
int gx_shortest(char *out, size_t n, double x);

/* Cells of the sheet's current row. Nothing for "" or NULL text and for a
 * non-finite number (null); a date is days since 1970-01-01. */
void gx_text(gx_book *b, gx_sheet *s, lxw_col_t col, const char *text, lxw_format *f);
void gx_number(gx_book *b, gx_sheet *s, lxw_col_t col, double v, lxw_format *f);
void gx_date(gx_book *b, gx_sheet *s, lxw_col_t col, double days);
/* v[0..n) as the text "a, b, c" (each number exact), cut after a whole
 * element at Excel's limit of a cell; nothing for n = 0. */
void gx_numbers(gx_book *b, gx_sheet *s, lxw_col_t col, const double *v, size_t n);
/* names[0..n) as header cells from column `first` of the current row. */
void gx_header_row(gx_book *b, gx_sheet *s, const char *const *names, size_t n, lxw_col_t first);
/* A blank row, a bold heading, a header row of `cols`; leaves the next row. */
void gx_heading(gx_book *b, gx_sheet *s, const char *text, const char *const *cols, size_t n);

/* A new sheet (its name cut to Excel's 31 characters and made unique); NULL
 * on failure (recorded in the book). */
gx_sheet *gx_sheet_new(gx_book *b, const char *name);
/* Column widths from the widest cell, `frozen_rows` rows and `keys` leading
 * columns frozen; frees s (NULL-safe). */
void gx_sheet_end(gx_book *b, gx_sheet *s, lxw_row_t frozen_rows, lxw_col_t keys);

#endif /* GREENFIN_XLSX_BOOK_H */
