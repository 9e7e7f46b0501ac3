/* reserves.h -- the lender's structures below debt service in a project's
 * yearly waterfall (reserves.c): the debt service reserve account (DSRA) and
 * the distribution lock-up. Pure functions of yearly arrays; project.c calls
 * them after debt service and owns the inputs. */
#ifndef GFIN_RESERVES_H
#define GFIN_RESERVES_H

#include "core.h"

typedef struct gfin_reserve_terms {
    double dsra_months;          /* 0: no reserve */
    double dsra_rate;            /* interest earned on the reserve, fraction/year */
    double lockup_dscr;          /* NaN: no lock-up */
    size_t lockup_release_years; /* consecutive passing years that release trapped cash */
    bool debt_funded;            /* the initial reserve is drawn on a loan, not paid by the equity */
    const double *ds_next;       /* T: the debt service year y's target reads; NULL: ds[y + 1] */
} gfin_reserve_terms;

/* Outputs, one entry per project year (T). */
typedef struct gfin_reserve_flows {
    double *dsra_balance;        /* end of year */
    double *dsra_draw;           /* paid into debt service */
    double *dsra_topup;          /* paid in: the initial funding (year C) and top-ups */
    double *dsra_release;        /* paid out to the equity (excess over the target) */
    double *dsra_interest;       /* earned in the year, kept in the reserve */
    double *shortfall;           /* debt service neither CFADS nor the reserve paid (lost to the lenders) */
    double *trapped;             /* locked-up cash, end of year */
    double *equity_after;        /* equity_flow after the reserve and the lock-up */
} gfin_reserve_flows;

/* The reserve and the lock-up over project years 0..T-1, construction years
 * 0..C-1 (C >= 1). In, for each year: cfads, ds (scheduled debt service),
 * shortfall (the debt service CFADS does not pay, lost to the lenders when
 * there is no reserve), dscr (NaN where none) and equity_flow (which pays no
 * part of the shortfall). Out: flows (every array T long, written whole).
 * *lockup_years: operating years whose distribution was locked up. */
void gfin__reserves_run(const gfin_reserve_terms *t, size_t C, size_t T, const double *cfads, const double *ds,
                        const double *shortfall, const double *dscr, const double *equity_flow,
                        gfin_reserve_flows *out, size_t *lockup_years);

#endif /* GFIN_RESERVES_H */
