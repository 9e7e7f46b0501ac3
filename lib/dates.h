/* dates.h -- calendar arithmetic of dates.c shared with params, table, tvm and json. */
#ifndef GFIN_DATES_H
#define GFIN_DATES_H

#include "core.h"

/* A day within 0001-01-01 .. 9999-12-31. */
bool gfin__date_valid(gfin_date d);
/* GFIN_EINVAL naming `name` unless d is such a day. */
gfin_status gfin__check_date(const char *name, gfin_date d, gfin_error *err);
bool gfin__is_leap(int y);
int gfin__days_in_month(int y, int m);
/* Writes "YYYY-MM-DD" (11 bytes with NUL). Days outside 0001-01-01..9999-12-31
 * are written "0000-00-00". */
void gfin__date_str(gfin_date d, char buf[16]);
/* Parses "YYYY-MM-DD" strictly; GFIN_EINVAL otherwise. */
gfin_status gfin__date_parse(const char *s, gfin_date *out);

#endif /* GFIN_DATES_H */
