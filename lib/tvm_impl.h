/* tvm_impl.h -- what the files of the tvm module share, and no other module
 * includes: the argument checks of the spreadsheet functions (each names the
 * argument, its value and the rule), the one way a result is stored, and the
 * root finder of RATE, IRR and XIRR (tvm_root.c). */
#ifndef GFIN_TVM_IMPL_H
#define GFIN_TVM_IMPL_H

#include "core.h"
#include "tvm.h"

#include <math.h>

/* Argument checks that say which argument broke which rule. */
static inline gfin_status arg_null(const char *name, gfin_error *err)
{
    return gfin__fail(err, GFIN_EINVAL, name, "is NULL");
}

static inline gfin_status arg_finite(const char *name, double v, gfin_error *err)
{
    return gfin__check_range(name, "", v, -HUGE_VAL, false, HUGE_VAL, false, err);
}

/* A rate per period: finite and > -1 (1 + rate is a growth factor). */
static inline gfin_status arg_rate(const char *name, double v, gfin_error *err)
{
    return gfin__check_range(name, "", v, -1.0, true, HUGE_VAL, false, err);
}

static inline gfin_status arg_when(gfin_when when, gfin_error *err)
{
    if (when == GFIN_END || when == GFIN_BEGIN)
        return GFIN_OK;
    return gfin__fail(err, GFIN_EINVAL, "when", "%d is not GFIN_END (0) or GFIN_BEGIN (1)", (int)when);
}

/* A finite result is stored; anything else means the true value is not
 * representable (overflow, or an inf/inf that stands for one). */
static inline gfin_status put(double v, double *out, gfin_error *err)
{
    if (!isfinite(v))
        return gfin__fail(err, GFIN_ERANGE, "", "the result overflows a double");
    *out = v;
    return GFIN_OK;
}

/* A root finder's status with a message (the finder reports by status only). */
static inline gfin_status no_root(gfin_status st, const char *what, gfin_error *err)
{
    return st == GFIN_OK ? st : gfin__fail(err, st, "", "%s", what);
}

/* The root of eval nearest `guess` in rate, eval being a rate function
 * (finite on (-1, inf) where it can be, see tvm_root.c). GFIN_ENOCONV by
 * status alone when there is none (or it cannot be found). */
gfin_status gfin__root_nearest(gfin_root_fn eval, const void *ctx, double guess, double *out);

#endif /* GFIN_TVM_IMPL_H */
