/* project_model.h -- what the three files of the project module share:
 * project.c (the handle, its inputs resolved into a model), waterfall.c (the
 * yearly cash flows, tax, metrics) and sizing.c (debt sized from a target
 * DSCR). Other modules use project.h. */
#ifndef GFIN_PROJECT_MODEL_H
#define GFIN_PROJECT_MODEL_H

#include "project.h"
#include "loan.h"
#include "energy.h"
#include "carbon.h"

#define GFIN_PROJECT_MAX_LOANS 64 /* loans of a project (the sized one aside) */

struct gfin_project {
    gfin_pstore p, grid, sizing;
    gfin_loan **loans;
    size_t nloans;
    gfin_error last;
};

/* The inputs of one evaluation, with the portfolio's defaults applied and
 * checked as a whole (project.c). */
typedef struct gfin_model {
    const gfin_project *pr;
    size_t C, O, T;              /* construction, operating and all years */
    int start_year;
    double discount;
    const gfin_pstore *grid;     /* NULL: a finance-only screen, no carbon figures */
    gfin_energy_in energy;
    gfin_carbon_in carbon;
    double capex;
    double profile[15];          /* capex share of construction years 1..C */
    double s90;                  /* P90 / P50 energy */
    size_t dsra_loan;            /* the loan that draws the initial reserve (dsra_funding); SIZE_MAX: the equity */
    double sweep;                /* cash_sweep: 0, no sweep */
} gfin_model;

gfin_status gfin__project_resolve(const gfin_project *pr, const gfin_inherit *inh, gfin_model *m, gfin_error *err);
/* Whether any debt_sizing key is set (the project sizes a loan). */
bool gfin__project_sizes_debt(const gfin_project *pr);
/* Copies a carbon error into err, its path under "grid" when it names a grid key. */
void gfin__project_carbon_error(gfin_error *e, gfin_error *err);

/* Operating cash flows of one energy case, arrays of O (operations.c). */
typedef struct gfin_ops {
    double *rev_e, *rev_c, *opex, *ebitda;
} gfin_ops;
/* Revenue, opex and EBITDA per operating year; scale 1 is P50, m->s90 P90. */
void gfin__operations(const gfin_model *m, const double *net, const double *credited, double scale, gfin_ops *o);
/* Taxable income and tax without interest deduction (the unlevered tax, also
 * the sizing tax); loss is scratch of O. */
void gfin__unlevered_tax(const gfin_model *m, const double *ebitda, double *ti, double *tax, double *loss);

/* Depreciation of operating year j (0-based): straight line over
 * depreciation_years (operations.c). */
double gfin__depreciation(const gfin_model *m, size_t j);
/* Income tax of the operating years from taxable income ti (holiday and loss
 * carry-forward, docs/model.md "Tax"); loss is scratch of O. */
void gfin__project_tax(const gfin_model *m, const double *ti, double *tax, double *loss);
/* IRR of yearly flows, NaN (null) when none exists. */
double gfin__irr_or_nan(const double *v, size_t n);
/* NPV at `rate` of flows at the ends of years 1..n, at the start of year 1. */
double gfin__npv_end_of_year(double rate, const double *v, size_t n);
/* Years from the start of year 1 until the cumulative flow is >= 0 (linear
 * within the year), NaN when never. */
double gfin__payback(const double *flow, size_t n);

/* The sized loan (sizing.c); *out NULL when the sizing case carries no debt. */
gfin_status gfin__size_debt(const gfin_model *m, const double *net, const double *credited, gfin_loan **out,
                            gfin_error *err);

#endif /* GFIN_PROJECT_MODEL_H */
