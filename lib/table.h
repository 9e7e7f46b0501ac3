/* table.h -- columnar tables (table.c). */
#ifndef GFIN_TABLE_H
#define GFIN_TABLE_H

#include "core.h"

struct gfin_table {
    size_t rows, cols;
    const char **names;     /* static strings (column names are literals) */
    unsigned char *kinds;   /* gfin_column_kind */
    double *data;           /* cols * rows, column-major */
    const gfin_column *ids; /* static: the columns' numbers in the output registry; NULL when built by name */
};
/* A table of `rows` x `cols`, every cell 0. names/kinds are copied pointers to
 * static storage; kinds may be NULL (all numbers). NULL on ENOMEM or when the
 * size would exceed GFIN_TABLE_MAX_CELLS. */
#define GFIN_TABLE_MAX_CELLS ((size_t)1 << 28)
gfin_table *gfin__table_new(size_t rows, size_t cols, const char *const *names, const unsigned char *kinds);
/* A table of the registry's columns `cols` (names, kinds and numbers from
 * the output registry), every cell 0; NULL on ENOMEM, for a number that is
 * not a column, or past GFIN_TABLE_MAX_CELLS. `cols` must be static storage
 * (the table keeps the pointer): evaluators pass their layout arrays. */
gfin_table *gfin__table_of(size_t rows, const gfin_column *cols, size_t n);
static inline double *gfin__col(gfin_table *t, size_t j) { return t->data + j * t->rows; }

#endif /* GFIN_TABLE_H */
