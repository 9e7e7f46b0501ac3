/* sweep.h -- a loan's schedule changed by its project's cash flow (sweep.c):
 * the reserve's draw on the loan that funds it (dsra_funding) and the
 * prepayments of the cash sweep (cash_sweep). Pure functions of schedule
 * tables; waterfall.c decides the amounts year by year (docs/model.md 6.5). */
#ifndef GFIN_SWEEP_H
#define GFIN_SWEEP_H

#include "loan.h"
#include "table.h"

/* A schedule restructured from `base` (the loan's schedule as its terms give
 * it), in *out (caller frees; GFIN_ENOMEM):
 *  - extra > 0 is drawn at the start of period `at` (0-based), whose base
 *    balance (opening + drawdown) must be > 0 (GFIN_EINVAL otherwise); from
 *    that period on every scheduled principal instalment is scaled by
 *    (base balance + extra) / base balance: the draw is repaid with the
 *    loan's own instalment pattern, over its remaining periods;
 *  - prepay (NULL: none; else one amount per period) is paid at the end of
 *    period k, after its payment, at most the balance left; a prepayment is
 *    applied in inverse order of maturity: each later period pays its
 *    (scaled) scheduled principal or the balance left, whichever is less, so
 *    the loan ends earlier. The table then gets the `prepayment` column.
 * Interest is the new balance times the period's rate as the base schedule
 * applied it (its interest / its balance), capitalized when the base period
 * capitalized; fees are unchanged; the last period repays what remains. */
gfin_status gfin__schedule_restructure(const gfin_table *base, size_t at, double extra, const double *prepay,
                                       gfin_table **out);

/* The reserve drawn on a loan, F = s x (ds_year + DS_L(F) - DS_L(0)), with
 * ds_year the project's debt service of the first operating year without the
 * draw and DS_L(F) the loan's debt service of its periods `from` .. `to` - 1
 * (that year) when F is drawn at the start of period `from`: DS_L is affine
 * in F, so two schedules give it exactly. s = dsra_months / 12.
 * GFIN_ERANGE when s x dDS_L/dF >= 1 (the reserve would have to fund
 * itself), GFIN_EINVAL as gfin__schedule_restructure, GFIN_ENOMEM. */
gfin_status gfin__reserve_draw(const gfin_table *base, size_t from, size_t to, double s, double ds_year,
                               double *F);

/* The loans of one project's sweep (waterfall.c fills it, and frees `now`
 * and `prepay`). */
typedef struct gfin_sweep {
    size_t n;                      /* the project's loans */
    const gfin_table *const *base; /* n: each loan's schedule as its terms give it */
    const size_t *frequency;       /* n: payments per year */
    const bool *swept;             /* n: the loans the sweep prepays */
    size_t funding;                /* the loan that draws the reserve (n or more: none) ... */
    size_t at;                     /* ... at the start of its period `at` ... */
    double extra;                  /* ... this amount (gfin__reserve_draw) */
    gfin_table **now;              /* n: the schedules as changed so far, NULL: base */
    double **prepay;               /* n: per period; allocated here for the swept loans */
} gfin_sweep;

/* The cash after debt service and the reserve in year y, the years computed
 * with the schedules s->now as they stand (the waterfall's cascade). */
typedef double (*gfin_sweep_cash_fn)(void *ctx, size_t y);

/* The sweep, one pass over the operating years C .. T-1 in order: year y's
 * cash (cash(ctx, y)) is final once the earlier prepayments are known, since
 * a prepayment at the end of year y changes only later periods. amounts[y] =
 * min(fraction x cash, the swept loans' balance at the end of year y after
 * its payments), prepaid at the end of year y pro rata to those balances
 * (all of each when it repays all); amounts is T long (written for years >=
 * C). GFIN_ENOMEM. */
gfin_status gfin__sweep_run(gfin_sweep *s, size_t C, size_t T, double fraction, gfin_sweep_cash_fn cash, void *ctx,
                            double *amounts);

#endif /* GFIN_SWEEP_H */
