/* loan.h -- loan internals (loan.c) used by project, fund and json. */
#ifndef GFIN_LOAN_H
#define GFIN_LOAN_H

#include "params.h"
#include "table.h"
#include "result.h"

const gfin_pstore *gfin__loan_store(const gfin_loan *loan);
gfin_loan *gfin__loan_from_store(const gfin_pstore *s);  /* copies the store */
/* The schedule table, not validated again (caller validated). */
gfin_table *gfin__loan_schedule(const gfin_loan *loan, gfin_error *err);
/* Number of periods N and the frequency, after validation. */
size_t gfin__loan_periods(const gfin_loan *loan);
/* The loan's result (its metrics, with the grant element unless
 * discount_rate is NaN) around `schedule`, which it takes over (freed on
 * failure too): a schedule the loan's project changed (sweep.c). */
gfin_status gfin__loan_result(const gfin_loan *loan, gfin_table *schedule, double discount_rate, gfin_result **out,
                              gfin_error *err);
/* Appends the loan metrics computed from `schedule` to `r` (a `prepayment`
 * column counts as principal repaid and as the borrower's payment). */
gfin_status gfin__loan_add_metrics(const gfin_loan *loan, const gfin_table *schedule, gfin_result *r);

/* Loan periods and years, one rule for every module that books a schedule by
 * year: a loan's period 1 starts with its year 1 and frequency periods make a
 * year, so period k+1 (0-based k) ends, and its drawdown is drawn, in year
 * k / frequency (0-based), and the last period of year m (1-based) is period
 * m x frequency. */
static inline size_t gfin__period_year(size_t k, size_t frequency) { return k / frequency; }
static inline size_t gfin__periods_to_year_end(size_t m, size_t frequency) { return m * frequency; }
/* A schedule's payments per year, from the end of its period 1 (time_years
 * 1 / frequency). */
size_t gfin__schedule_frequency(const gfin_table *schedule);

#endif /* GFIN_LOAN_H */
