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
/* Appends the loan metrics computed from `schedule` to `r`. */
gfin_status gfin__loan_add_metrics(const gfin_loan *loan, const gfin_table *schedule, gfin_result *r);

#endif /* GFIN_LOAN_H */
