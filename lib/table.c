/* table.c -- columnar result tables (written as text by write.c and write_json.c). */
#include "table.h"
#include "params.h"

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
