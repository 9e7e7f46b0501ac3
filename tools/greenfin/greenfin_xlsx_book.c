/* greenfin_xlsx_book.c -- what the command's workbooks share (see
 * greenfin_xlsx_book.h): libxlsxwriter in its constant-memory mode (each
 * sheet is streamed row by row, so the work is linear in the size of the
 * output), number formats from the registries' units, cells and sheets. */
#include "greenfin_xlsx_book.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WIDTH 60.0    /* characters: longer text wraps off the edge */
#define EXCEL_EPOCH 25569 /* 1970-01-01 as an Excel serial date (1900 system) */

void gx_check(gx_book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->error == LXW_NO_ERROR)
        b->error = e;
}

/* ======================================================================== */
/* Formats and units                                                        */
/* ======================================================================== */

/* The cell format of an Excel number format, made once per workbook. */
lxw_format *gx_number_format(gx_book *b, const char *num_format)
{
    for (size_t i = 0; i < b->nformats; ++i)
        if (strcmp(b->num_format[i], num_format) == 0)
            return b->formats[i];
    if (b->nformats == GX_MAX_FORMATS)
        return NULL;
    lxw_format *f = workbook_add_format(b->wb);
    if (!f) {
        gx_check(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    format_set_num_format(f, num_format);
    b->num_format[b->nformats] = num_format;
    b->formats[b->nformats++] = f;
    return f;
}

/* The display of a quantity whose registry unit is `unit` ("money",
 * "money/MWh", "fraction/year", "ratio", "MWh", ...): fractions as percent,
 * money and energy in thousands. NULL: Excel's General. */
lxw_format *gx_unit_format(gx_book *b, const char *unit)
{
    if (!unit || !*unit)
        return NULL;
    if (strncmp(unit, "fraction", 8) == 0)
        return gx_number_format(b, "0.00%");
    if (strcmp(unit, "money") == 0 || strcmp(unit, "MWh") == 0 || strcmp(unit, "tCO2e") == 0)
        return gx_number_format(b, "#,##0");
    if (strcmp(unit, "MW") == 0)
        return gx_number_format(b, "#,##0.0");
    if (strcmp(unit, "tCO2e/MWh") == 0)
        return gx_number_format(b, "0.0000");
    return gx_number_format(b, "#,##0.00");
}

/* The unit as a reader sees it next to the formatted value: the currency for
 * money, "%" for a fraction shown as a percentage. */
void gx_unit_label(const gx_book *b, const char *unit, char *out, size_t n)
{
    if (!unit)
        unit = "";
    const char *money = *b->currency ? b->currency : "money";
    if (strcmp(unit, "money") == 0)
        snprintf(out, n, "%s", money);
    else if (strncmp(unit, "money/", 6) == 0)
        snprintf(out, n, "%s/%s", money, unit + 6);
    else if (strncmp(unit, "fraction", 8) == 0)
        snprintf(out, n, "%%%s", unit + 8);
    else
        snprintf(out, n, "%s", unit);
}

/* ======================================================================== */
/* Cells                                                                    */
/* ======================================================================== */

static void widen(gx_sheet *s, lxw_col_t col, double chars)
{
    if (col >= GX_MAX_COLS)
        return;
    if (col >= s->cols)
        s->cols = col + 1;
    if (chars > s->width[col])
        s->width[col] = chars;
}

void gx_text(gx_book *b, gx_sheet *s, lxw_col_t col, const char *text, lxw_format *f)
{
    if (!text || !*text)
        return;
    gx_check(b, worksheet_write_string(s->ws, s->row, col, text, f));
    widen(s, col, (double)strlen(text) + 1);
}

/* A number; nothing for a non-finite one (null). */
void gx_number(gx_book *b, gx_sheet *s, lxw_col_t col, double v, lxw_format *f)
{
    if (!isfinite(v))
        return;
    gx_check(b, worksheet_write_number(s->ws, s->row, col, v, f));
    widen(s, col, 13);
}

void gx_date(gx_book *b, gx_sheet *s, lxw_col_t col, double days)
{
    if (isfinite(days))
        gx_number(b, s, col, days + EXCEL_EPOCH, b->date);
}

gx_sheet *gx_sheet_new(gx_book *b, const char *name)
{
    char unique[32];
    snprintf(unique, sizeof unique, "%.31s", name);
    for (int k = 2; workbook_get_worksheet_by_name(b->wb, unique); ++k)
        snprintf(unique, sizeof unique, "%.24s (%d)", name, k % 100);
    gx_sheet *s = calloc(1, sizeof *s);
    if (s)
        s->ws = workbook_add_worksheet(b->wb, unique);
    if (!s || !s->ws) {
        free(s);
        gx_check(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    return s;
}

/* Column widths from the widest cell, the header and units rows frozen with
 * `keys` leading columns. */
void gx_sheet_end(gx_book *b, gx_sheet *s, lxw_row_t frozen_rows, lxw_col_t keys)
{
    if (!s)
        return;
    for (lxw_col_t c = 0; c < s->cols; ++c) {
        double w = s->width[c] < 8 ? 8 : s->width[c] > MAX_WIDTH ? MAX_WIDTH : s->width[c];
        gx_check(b, worksheet_set_column(s->ws, c, c, w, NULL));
    }
    if (frozen_rows || keys)
        worksheet_freeze_panes(s->ws, frozen_rows, keys);
    free(s);
}

/* ======================================================================== */
/* Inputs: any object's keys through the registry                           */
/* ======================================================================== */

/* x as the shortest of %.15g .. %.17g that reads back as x. */
int gx_shortest(char *out, size_t n, double x)
{
    int len = 0;
    for (int digits = 15; digits <= 17; ++digits) {
        len = snprintf(out, n, "%.*g", digits, x);
        if (strtod(out, NULL) == x)
            break;
    }
    return len;
}


void gx_numbers(gx_book *b, gx_sheet *s, lxw_col_t col, const double *v, size_t n)
{
    if (!n)
        return;
    size_t cap = n * 26 + 1, len = 0;
    char *text = malloc(cap);
    if (!text) {
        gx_check(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    for (size_t i = 0; i < n; ++i) {
        if (i)
            len += (size_t)snprintf(text + len, cap - len, ", ");
        len += (size_t)gx_shortest(text + len, cap - len, v[i]);
    }
    if (len > GX_CELL_MAX) { /* Excel's limit: cut after a whole element */
        char *cut = text + GX_CELL_MAX - 5;
        *cut = '\0';
        cut = strrchr(text, ',');
        strcpy(cut ? cut : text, " ...");
    }
    gx_text(b, s, col, text, NULL);
    free(text);
}

void gx_header_row(gx_book *b, gx_sheet *s, const char *const *names, size_t n, lxw_col_t first)
{
    for (size_t k = 0; k < n; ++k)
        gx_text(b, s, (lxw_col_t)(first + k), names[k], b->header);
}


void gx_heading(gx_book *b, gx_sheet *s, const char *text, const char *const *cols, size_t n)
{
    s->row++;
    gx_text(b, s, 0, text, b->heading);
    s->row++;
    gx_header_row(b, s, cols, n, 0);
    s->row++;
}

static bool book_formats(gx_book *b)
{
    b->title = workbook_add_format(b->wb);
    b->heading = workbook_add_format(b->wb);
    b->header = workbook_add_format(b->wb);
    b->units = workbook_add_format(b->wb);
    b->date = workbook_add_format(b->wb);
    if (!b->title || !b->heading || !b->header || !b->units || !b->date)
        return false;
    format_set_bold(b->title);
    format_set_font_size(b->title, 14);
    format_set_bold(b->heading);
    format_set_font_size(b->heading, 12);
    format_set_bold(b->header);
    format_set_bottom(b->header, LXW_BORDER_THIN);
    format_set_italic(b->units);
    format_set_num_format(b->date, "yyyy-mm-dd");
    return true;
}

gfin_status gx_open(gx_book *b, const char *path, const char *currency, char *message, size_t n)
{
    lxw_workbook_options options = {.constant_memory = LXW_TRUE};
    memset(b, 0, sizeof *b);
    b->currency = currency ? currency : "";
    /* The file is created at the end; a path that cannot be written is found
     * now, with the system's reason (libxlsxwriter would print its own). */
    FILE *probe = fopen(path, "wb");
    if (!probe) {
        snprintf(message, n, "%s", strerror(errno));
        return GFIN_EIO;
    }
    fclose(probe);
    b->wb = workbook_new_opt(path, &options);
    if (b->wb && book_formats(b))
        return GFIN_OK;
    return gx_close(b, false, path, message, n);
}

gfin_status gx_close(gx_book *b, bool ok, const char *path, char *message, size_t n)
{
    if (!ok && b->error == LXW_NO_ERROR)
        b->error = LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error closed = b->wb ? workbook_close(b->wb) : LXW_ERROR_CREATING_XLSX_FILE;
    b->wb = NULL;
    if (b->error == LXW_NO_ERROR)
        b->error = closed;
    if (b->error == LXW_NO_ERROR)
        return GFIN_OK;
    snprintf(message, n, "%s", lxw_strerror(b->error));
    remove(path); /* a workbook with cells missing is not left behind */
    return b->error == LXW_ERROR_MEMORY_MALLOC_FAILED ? GFIN_ENOMEM : GFIN_EIO;
}
