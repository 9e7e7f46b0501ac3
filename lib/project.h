/* project.h -- project internals (project.c) used by portfolio and json. */
#ifndef GFIN_PROJECT_H
#define GFIN_PROJECT_H

#include "params.h"
#include "result.h"
#include "fx.h"

const gfin_pstore *gfin__project_store(const gfin_project *p);
gfin_loan *gfin__project_loan_mut(gfin_project *p, size_t i);   /* NULL past the end */
/* The store of a handle that holds keys of object `obj`, NULL if none. */
gfin_pstore *gfin__project_store_mut(gfin_project *p, gfin_object obj);
/* Appends a loan the project now owns (freed on failure, as by the loaders). */
gfin_status gfin__project_adopt_loan(gfin_project *pr, gfin_loan *loan, gfin_error *err);
/* Evaluation with defaults inherited from a portfolio (grid store, discount
 * rate, start year; NULL/NaN/0 when none). */
typedef struct gfin_inherit {
    const gfin_pstore *grid;
    double discount_rate;        /* NaN when none */
    int start_year;              /* 0 when none */
    double grant_element_rate;   /* every loan's grant_element at this rate; NaN: none */
    const gfin_fx *fx;           /* exchange-rate paths from calendar year start_year; NULL: none */
} gfin_inherit;
gfin_status gfin__project_evaluate(const gfin_project *p, const gfin_inherit *inh, gfin_result **out,
                                   gfin_error *err);
/* What the risk module changes in an evaluation that inputs cannot say. */
typedef struct gfin_project_hooks {
    const double *energy;        /* multiplier of operating year j's gross and net energy (index j - 1), after
                                  * degradation; years past energy_len (or energy NULL) keep 1 */
    size_t energy_len;
    gfin_loan **sized_out;       /* on success receives the sized loan (NULL without one); caller frees */
} gfin_project_hooks;
gfin_status gfin__project_evaluate_ex(const gfin_project *p, const gfin_inherit *inh, const gfin_project_hooks *hooks,
                                      gfin_result **out, gfin_error *err);
/* Whether the project's i-th loan result (its loans in order, then the sized
 * loan) is lent by the portfolio's fund. */
bool gfin__project_loan_from_fund(const gfin_project *p, size_t i);

#endif /* GFIN_PROJECT_H */
