/* fund.h -- fund internals (fund.c) used by portfolio and json. */
#ifndef GFIN_FUND_H
#define GFIN_FUND_H

#include "params.h"
#include "table.h"
#include "result.h"

gfin_pstore *gfin__fund_store_mut(gfin_fund *f);
gfin_status gfin__fund_add_source_store(gfin_fund *f, const gfin_pstore *src, gfin_error *err);
gfin_status gfin__fund_validate(const gfin_fund *f, gfin_error *err);
/* The fund's book: its yearly "fund" table and its flows on a monthly grid
 * (flow[i] at i / 12 years from the portfolio's start). */
typedef struct gfin_fund_book {
    gfin_table *table;
    double *flow;
} gfin_fund_book;
gfin_status gfin__fund_book_init(gfin_fund_book *b, size_t years, int start_year);   /* GFIN_ENOMEM */
void gfin__fund_book_clear(gfin_fund_book *b);
/* Adds a fund loan's schedule; `offset` is its project's first year - 1 in the
 * portfolio; lost[j] (NULL: none) the fraction of project year j+1's debt
 * service lost to a shortfall; the loan's year-end balances are added to
 * outstanding[portfolio year] (NULL: not wanted). */
void gfin__fund_book_add(gfin_fund_book *b, const gfin_table *schedule, double upfront, size_t offset, const double *lost,
                         double *outstanding);
/* Fills the derived columns, adds the fund metrics, warnings and the "fund"
 * table (taken over from the book) to r. */
gfin_status gfin__fund_finish(const gfin_fund *f, gfin_fund_book *b, double committed, double rate_w,
                              gfin_result *r);

#endif /* GFIN_FUND_H */
