/* fund.h -- fund internals (fund.c) used by portfolio and json. */
#ifndef GFIN_FUND_H
#define GFIN_FUND_H

#include "params.h"
#include "table.h"
#include "result.h"

gfin_pstore *gfin__fund_store_mut(gfin_fund *f);
gfin_status gfin__fund_add_source_store(gfin_fund *f, const gfin_pstore *src, gfin_error *err);
gfin_status gfin__fund_validate(const gfin_fund *f, gfin_error *err);
/* The yearly book of the fund's loans: a "fund" table of `years` rows. */
gfin_table *gfin__fund_book_new(size_t years, int start_year);
/* Adds a fund loan's schedule; `offset` is its project's first year - 1 in the portfolio. */
void gfin__fund_book_add(gfin_table *book, const gfin_table *schedule, size_t offset);
/* Fills the derived columns and adds the fund metrics and warnings to r. */
gfin_status gfin__fund_finish(const gfin_fund *f, gfin_table *book, double committed, double rate_w,
                              gfin_result *r);

#endif /* GFIN_FUND_H */
