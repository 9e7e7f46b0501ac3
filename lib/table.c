/* table.c -- columnar result tables and the CSV writer (the only one). */
#include "table.h"
#include "dates.h"
#include "params.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

gfin_table *gfin__table_new(size_t rows, size_t cols, const char *const *names, const unsigned char *kinds)
{
    if (cols == 0 || (rows && cols > GFIN_TABLE_MAX_CELLS / rows))
        return NULL;
    gfin_table *t = gfin__calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->rows = rows;
    t->cols = cols;
    t->names = gfin__calloc(cols, sizeof *t->names);
    t->kinds = gfin__calloc(cols, 1);
    t->data = gfin__calloc(rows * cols, sizeof(double));
    if (!t->names || !t->kinds || !t->data) {
        gfin_table_free(t);
        return NULL;
    }
    for (size_t j = 0; j < cols; ++j) {
        t->names[j] = names[j];
        t->kinds[j] = kinds ? kinds[j] : GFIN_COL_NUMBER;
    }
    return t;
}

gfin_table *gfin__table_of(size_t rows, const gfin_column *cols, size_t n)
{
    const char *names[64];
    unsigned char kinds[64];
    if (n == 0 || n > 64)
        return NULL;
    for (size_t j = 0; j < n; ++j) {
        const gfin_column_def *d = gfin__column_def(cols[j]);
        if (!d)
            return NULL;
        names[j] = d->name;
        kinds[j] = (unsigned char)d->kind;
    }
    gfin_table *t = gfin__table_new(rows, n, names, kinds);
    if (t)
        t->ids = cols;
    return t;
}

void gfin_table_free(gfin_table *t)
{
    if (!t)
        return;
    gfin__free(t->names);
    gfin__free(t->kinds);
    gfin__free(t->data);
    gfin__free(t);
}

size_t gfin_table_rows(const gfin_table *t) { return t ? t->rows : 0; }

size_t gfin_table_cols(const gfin_table *t) { return t ? t->cols : 0; }

const char *gfin_table_col_name(const gfin_table *t, size_t j) { return (t && j < t->cols) ? t->names[j] : NULL; }

int gfin_table_col_index(const gfin_table *t, const char *name)
{
    if (!t || !name)
        return -1;
    for (size_t j = 0; j < t->cols; ++j)
        if (strcmp(t->names[j], name) == 0)
            return (int)j;
    return -1;
}

int gfin_table_col_kind(const gfin_table *t, size_t j) { return (t && j < t->cols) ? t->kinds[j] : -1; }

const double *gfin_table_column(const gfin_table *t, size_t j)
{
    return (t && j < t->cols) ? t->data + j * t->rows : NULL;
}

const double *gfin_table_column_of(const gfin_table *t, gfin_column column)
{
    for (size_t j = 0; t && t->ids && j < t->cols; ++j)
        if (t->ids[j] == column)
            return t->data + j * t->rows;
    return NULL;
}

gfin_status gfin_table_col_get_id(const gfin_table *t, size_t j, gfin_column *out)
{
    if (!t || !t->ids || j >= t->cols || !out)
        return GFIN_EINVAL;
    *out = (gfin_column)t->ids[j];
    return GFIN_OK;
}

const double *gfin_table_column_by_name(const gfin_table *t, const char *name)
{
    int j = gfin_table_col_index(t, name);
    return j < 0 ? NULL : gfin_table_column(t, (size_t)j);
}

/* A growing text buffer. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool failed;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (gfin__grow((void **)&b->p, &b->cap, b->len + n + 1, 1) != GFIN_OK) {
        b->failed = true;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Writes one cell the way every writer of the library writes numbers. */
static size_t fmt_cell(char *buf, size_t n, double v, int kind)
{
    if (!isfinite(v))   /* no value (NaN), or none representable: an empty cell, as JSON's null */
        return 0;
    if (kind == GFIN_COL_DATE) {
        char d[16];
        gfin__date_str((gfin_date)v, d);
        return (size_t)snprintf(buf, n, "%s", d);
    }
    if (kind == GFIN_COL_INTEGER && fabs(v) < 9e15)
        return (size_t)snprintf(buf, n, "%.0f", v);
    gfin__fmt_num(buf, n, v);
    return strlen(buf);
}

gfin_status gfin_result_metrics_to_csv(const gfin_result *r, char **out, size_t *len, gfin_error *err)
{
    if (!r || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "result and out must not be NULL");
    sbuf b = {0};
    sb_put(&b, "name,value\n", 11);
    char cell[64];
    for (size_t i = 0; i < gfin_result_metric_count(r); ++i) {
        gfin_metric m = gfin_result_metric_at(r, i);
        const char *name = gfin_metric_name(m);
        double v = NAN;
        (void)gfin_result_metric(r, m, &v); /* a null metric leaves NaN: an empty cell */
        sb_put(&b, name, strlen(name));
        sb_put(&b, ",", 1);
        sb_put(&b, cell, fmt_cell(cell, sizeof cell, v, GFIN_COL_NUMBER));
        sb_put(&b, "\n", 1);
    }
    if (b.failed) {
        gfin__free(b.p);
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory writing CSV");
    }
    if (!b.p) /* cannot happen: the header is always written */
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory writing CSV");
    *out = b.p;
    if (len)
        *len = b.len;
    return GFIN_OK;
}

gfin_status gfin_table_to_csv(const gfin_table *t, char **out, size_t *len, gfin_error *err)
{
    if (!t || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "table and out must not be NULL");
    sbuf b = {0};
    for (size_t j = 0; j < t->cols; ++j) {
        if (j)
            sb_put(&b, ",", 1);
        sb_put(&b, t->names[j], strlen(t->names[j]));
    }
    sb_put(&b, "\n", 1);
    char cell[64];
    for (size_t i = 0; i < t->rows; ++i) {
        for (size_t j = 0; j < t->cols; ++j) {
            if (j)
                sb_put(&b, ",", 1);
            size_t n = fmt_cell(cell, sizeof cell, t->data[j * t->rows + i], t->kinds[j]);
            sb_put(&b, cell, n);
        }
        sb_put(&b, "\n", 1);
    }
    if (b.failed) {
        gfin__free(b.p);
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory writing CSV");
    }
    *out = b.p;
    if (len)
        *len = b.len;
    return GFIN_OK;
}
