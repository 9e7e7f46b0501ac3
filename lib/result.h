/* result.h -- the one result type (result.c): tables, metrics, warnings, children. */
#ifndef GFIN_RESULT_H
#define GFIN_RESULT_H

#include "core.h"

gfin_result *gfin__result_new(gfin_result_kind kind, const char *id);
/* Takes ownership of `table` (freed on failure too). */
gfin_status gfin__result_add_table(gfin_result *r, const char *name, gfin_table *table);
/* A metric; NaN is stored as null. */
gfin_status gfin__result_add_metric(gfin_result *r, gfin_metric m, double value);
gfin_status gfin__result_add_warning(gfin_result *r, const char *fmt, ...) GFIN_PRINTF(2, 3);
/* Appends src's warnings to dst's, which takes them over (src keeps none). */
gfin_status gfin__result_move_warnings(gfin_result *dst, gfin_result *src);
/* Takes ownership of `child` (freed on failure too). */
gfin_status gfin__result_add_child(gfin_result *r, gfin_result *child);
/* Child i (< the child count) becomes `child`, the former one is freed. */
void gfin__result_replace_child(gfin_result *r, size_t i, gfin_result *child);
/* Replaces a table owned by the result without copying: for modules that
 * build tables in place. NULL when absent. */
gfin_table *gfin__result_table_mut(gfin_result *r, const char *name);
gfin_status gfin__result_set_id(gfin_result *r, const char *id);

#endif /* GFIN_RESULT_H */
