/* fx.h -- exchange-rate paths and the translation of a foreign-currency loan's
 * schedule into the portfolio's currency (fx.c; docs/model.md 3.x "Loan
 * currencies"). Used by project (the waterfall) and portfolio (the fund book). */
#ifndef GFIN_FX_H
#define GFIN_FX_H

#include "core.h"
#include "table.h"

#define GFIN_FX_CODE_MAX 16

/* One currency's path: rates[i] = portfolio currency per unit in calendar
 * year base_year + i; the last rate repeats. */
typedef struct gfin_fx_path {
    char currency[GFIN_FX_CODE_MAX];
    double *rates;
    size_t n;
} gfin_fx_path;

typedef struct gfin_fx {
    gfin_fx_path *paths;
    size_t n;
} gfin_fx;

/* Sets (or replaces) a currency's path; rates must be finite and > 0, at
 * least one. err->path is "fx.CUR" or "fx.CUR[i]". */
gfin_status gfin__fx_set(gfin_fx *fx, const char *currency, const double *rates, size_t n, gfin_error *err);
void gfin__fx_clear(gfin_fx *fx);
gfin_status gfin__fx_copy(gfin_fx *dst, const gfin_fx *src);          /* GFIN_ENOMEM */
const gfin_fx_path *gfin__fx_find(const gfin_fx *fx, const char *currency); /* NULL: none */
/* The currencies of fx, quoted and comma-separated ("none" without any). */
void gfin__fx_list(const gfin_fx *fx, char *buf, size_t n);
/* The rate of calendar year `year` (the last repeats); NaN before base_year. */
double gfin__fx_rate(const gfin_fx_path *p, int base_year, int year);
/* A translated copy of a loan schedule: its money columns (balances,
 * drawdown, interest, capitalized interest, principal, fees, debt service)
 * of period k (frequency f) times the rate of calendar year first_year + k / f;
 * the other columns copied. NULL when out of memory. */
gfin_table *gfin__fx_translate(const gfin_table *schedule, int freq, const gfin_fx_path *p, int base_year,
                               int first_year);
/* Adds the translation gain (+) or loss (-) of each year y (index from
 * first_year) to gain[y] for y < years: B_{y-1} x (X_{y-1} - X_y), B_{y-1} the
 * loan's own-currency balance at the end of year y-1 (0 before the loan), X_y
 * the rate of year y. */
void gfin__fx_gain_loss(const gfin_table *schedule, int freq, const gfin_fx_path *p, int base_year, int first_year,
                        double *gain, size_t years);

#endif /* GFIN_FX_H */
