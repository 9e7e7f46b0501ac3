/* tvm.h -- tvm internals (tvm.c) shared with loan, project and fund. */
#ifndef GFIN_TVM_H
#define GFIN_TVM_H

#include "core.h"

/* (1 + r)^n - 1 and the annuity factor computed with log1p/expm1. */
double gfin__growth_m1(double r, double n);
/* The IRR of flows at times in years (any origin, any order): the rate
 * nearest `guess` with sum v_i (1 + r)^-t_i = 0, by XIRR's solver.
 * GFIN_EINVAL for bad arguments, GFIN_ENOCONV when none exists. */
gfin_status gfin__irr_times(const double *values, const double *times, size_t n, double guess, double *out);

/* A function whose root is sought; a non-finite value ends the search. */
typedef double (*gfin_root_fn)(double x, const void *ctx);
/* Brent's method (GSL gsl_root_fsolver_brent) on [lo, hi], where flo = f(lo)
 * and fhi = f(hi) must be finite and of opposite signs (checked: GFIN_ENOCONV
 * otherwise; GSL evaluates f at both ends again, so they must be f's values), until the bracket is at most epsabs + epsrel x min(|a|, |b|)
 * wide. The solver lives on the stack and GSL only ever sees finite values,
 * so its aborting error handler is never reached. *iterations (optional):
 * the solver's iterations. GFIN_ENOCONV when f is not finite somewhere or
 * max_iter iterations do not converge. */
gfin_status gfin__brent(gfin_root_fn f, const void *ctx, double lo, double hi, double flo, double fhi,
                        double epsabs, double epsrel, int max_iter, double *root, int *iterations);

#endif /* GFIN_TVM_H */
