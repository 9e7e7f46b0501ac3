/* tvm.h -- tvm internals (tvm.c) shared with loan, project and fund. */
#ifndef GFIN_TVM_H
#define GFIN_TVM_H

#include "core.h"

/* (1 + r)^n - 1 and the annuity factor computed with log1p/expm1. */
double gfin__growth_m1(double r, double n);

#endif /* GFIN_TVM_H */
