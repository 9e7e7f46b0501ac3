/* tvm_flows.c -- time value of money over a series of cash flows: NPV, IRR
 * and MIRR of flows at whole periods, XNPV and XIRR of dated flows, and the
 * internal IRR of flows at times in years. The annuity functions are in
 * tvm.c, the root finder in tvm_root.c.
 *
 * Formula sources:
 *  - LibreOffice Calc, sc/source/core/tool/interpr1.cxx (ScNPV, ScIRR,
 *    ScMIRR).
 *  - numpy-financial (npv with values[0] at t = 0, irr, mirr).
 *  - Excel's documentation for XNPV/XIRR (ACT/365 from the first date).
 *
 * Pure functions of their arguments (thread-safe), written as their *_err
 * twins as in tvm.c.
 */
#include "tvm_impl.h"
#include "dates.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

/* ------------------------------------------------------------------------ */
/* NPV, IRR, MIRR                                                           */
/* ------------------------------------------------------------------------ */

static gfin_status check_values(const double *values, size_t n, const double *out, gfin_error *err)
{
    if (!out)
        return arg_null("out", err);
    if (!values)
        return arg_null("values", err);
    if (n == 0)
        return gfin__fail(err, GFIN_EINVAL, "n", "0 values: at least one is needed");
    for (size_t i = 0; i < n; ++i)
        if (!isfinite(values[i])) {
            char at[32];
            snprintf(at, sizeof at, "values[%zu]", i);
            return arg_finite(at, values[i], err);
        }
    return GFIN_OK;
}

/* sum v[t] / (1+r)^t over t in [first, last], times (1+r)^first: the
 * powers of 1/(1+r) stay <= 1 for r >= 0 (Horner). */
static double horner_inv(const double *v, size_t first, size_t last, double y, double scale)
{
    double acc = 0.0;
    for (size_t t = last + 1; t-- > first;)
        acc = acc * y + v[t] * scale;
    return acc;
}

/* sum v[t] (1+r)^(last - t) over t in [first, last]: the same sum times
 * (1+r)^last, with powers of (1+r) <= 1 for r < 0. */
static double horner_fwd(const double *v, size_t first, size_t last, double x, double scale)
{
    double acc = 0.0;
    for (size_t t = first; t <= last; ++t)
        acc = acc * x + v[t] * scale;
    return acc;
}

gfin_status gfin_npv(double rate, const double *values, size_t n, double *out)
{
    return gfin_npv_err(rate, values, n, out, NULL);
}

gfin_status gfin_npv_err(double rate, const double *values, size_t n, double *out, gfin_error *err)
{
    gfin_status st;
    if ((st = check_values(values, n, out, err)) || (st = arg_rate("rate", rate, err)))
        return st;
    /* numpy-financial npv: sum values[t] / (1 + rate)^t, t = 0 .. n-1. */
    if (rate >= 0.0)
        return put(horner_inv(values, 0, n - 1, 1.0 / (1.0 + rate), 1.0), out, err);
    /* Below 0 the discount factors grow: sum in the bounded form, then scale
     * by (1+r)^-(m-1) for the last nonzero flow m-1, so trailing zeros cannot
     * turn an overflowing factor times an underflowing sum into NaN. */
    size_t m = n;
    while (m > 1 && values[m - 1] == 0.0)
        --m;
    double s = horner_fwd(values, 0, m - 1, 1.0 + rate, 1.0);
    if (s == 0.0) {
        *out = 0.0;
        return GFIN_OK;
    }
    return put(s * exp(-(double)(m - 1) * log1p(rate)), out, err);
}

typedef struct irr_ctx {
    const double *v;
    size_t first, last;   /* first and last nonzero flows */
    double scale;         /* 1 / largest |flow| */
} irr_ctx;

/* NPV times (1+r)^first above r = 0 and times (1+r)^last below: positive
 * factors, so the same roots, and |value| <= number of flows. */
static double irr_eval(double r, const void *p)
{
    const irr_ctx *c = p;
    if (r >= 0.0)
        return horner_inv(c->v, c->first, c->last, 1.0 / (1.0 + r), c->scale);
    return horner_fwd(c->v, c->first, c->last, 1.0 + r, c->scale);
}

/* Largest |v|, and whether both signs occur (a root needs a sign change). */
static bool flow_signs(const double *v, size_t n, double *maxabs, size_t *first, size_t *last)
{
    bool pos = false, neg = false;
    double m = 0.0;
    *first = n;
    *last = 0;
    for (size_t i = 0; i < n; ++i) {
        if (v[i] > 0.0)
            pos = true;
        else if (v[i] < 0.0)
            neg = true;
        else
            continue;
        if (*first == n)
            *first = i;
        *last = i;
        m = fmax(m, fabs(v[i]));
    }
    *maxabs = m;
    return pos && neg;
}

/* Number of sign changes among the nonzero flows. */
static size_t sign_changes(const double *v, size_t first, size_t last)
{
    size_t n = 0;
    double prev = v[first];
    for (size_t t = first + 1; t <= last; ++t)
        if (v[t] != 0.0) {
            n += (v[t] < 0.0) != (prev < 0.0);
            prev = v[t];
        }
    return n;
}

/* q(y) = sum v[t] y^(t - first) and q'(y), y = 1 / (1 + r), by Horner. */
static double q_eval(const irr_ctx *c, double y, double *dq)
{
    double q = 0.0, d = 0.0;
    for (size_t t = c->last + 1; t-- > c->first;) {
        d = d * y + q;
        q = q * y + c->v[t] * c->scale;
    }
    *dq = d;
    return q;
}

/* Flows with one sign change have exactly one IRR above -1 (Descartes' rule
 * of signs for q, a polynomial in y = 1/(1+r) > 0): the nearest root is that
 * root, and Newton's method on q, kept inside a bracket [lo, hi] of y where q
 * changes sign (bisection when a step leaves it), finds it in a few
 * iterations. q(0) has the first flow's sign and q(y) keeps it below the root.
 * GFIN_ENOCONV sends the caller to the general search. */
static gfin_status irr_single(const irr_ctx *c, double guess, double *out)
{
    const bool s0 = c->v[c->first] < 0.0;
    double lo = 0.0, hi = HUGE_VAL, y = 1.0 / (1.0 + guess);
    for (int it = 0; it < 200; ++it) {
        double dq, q = q_eval(c, y, &dq);
        if (!isfinite(q) || !isfinite(dq))
            return GFIN_ENOCONV;
        if (q == 0.0)
            break;
        if ((q < 0.0) == s0)
            lo = y;
        else
            hi = y;
        double next = y - q / dq;
        /* Converged first: at the root q is rounding noise and the step rounds
         * to y itself, which is the bracket end just set -- tested after, it
         * would send a converged solve back to bisecting from afar. */
        if (fabs(next - y) <= 4.0 * DBL_EPSILON * y) {
            y = next;
            break;
        }
        if (!(next > lo && next < hi))      /* outside the bracket, or dq = 0 */
            next = isfinite(hi) ? 0.5 * (lo + hi) : 2.0 * y + 1.0;
        y = next;
    }
    double r = 1.0 / y - 1.0;
    if (!(y > 0.0) || !isfinite(r) || !(r > -1.0))
        return GFIN_ENOCONV;
    *out = r;
    return GFIN_OK;
}

#define ONE_SIGN "the values do not change sign: no rate makes their present value 0"

gfin_status gfin_irr(const double *values, size_t n, double guess, double *out)
{
    return gfin_irr_err(values, n, guess, out, NULL);
}

gfin_status gfin_irr_err(const double *values, size_t n, double guess, double *out, gfin_error *err)
{
    gfin_status st;
    if ((st = check_values(values, n, out, err)) || (st = arg_rate("guess", guess, err)))
        return st;
    irr_ctx c = {values, 0, 0, 0.0};
    double maxabs;
    if (!flow_signs(values, n, &maxabs, &c.first, &c.last))
        return gfin__fail(err, GFIN_ENOCONV, "values", ONE_SIGN);
    c.scale = 1.0 / maxabs;
    if (!isfinite(c.scale))
        c.scale = 1.0;   /* subnormal flows: 1/max overflows; sums stay tiny anyway */
    if (sign_changes(values, c.first, c.last) == 1 && irr_single(&c, guess, out) == GFIN_OK)
        return GFIN_OK;
    return no_root(gfin__root_nearest(irr_eval, &c, guess, out), "no rate above -1 makes the values' present value 0",
                   err);
}

/* ln |sum over flows of one sign of v[t] / (1+r)^t|, without overflow:
 * the sum is started at the first (r >= 0) or last (r < 0) such flow so it
 * is dominated by a nonzero term, and the offset power is added as a log. */
static double of_sign(double v, int sign) { return (sign > 0 ? v > 0.0 : v < 0.0) ? v : 0.0; }

static double log_abs_pv_sign(const double *v, size_t n, int sign, double rate)
{
    size_t first = n, last = 0;
    for (size_t i = 0; i < n; ++i)
        if (of_sign(v[i], sign) != 0.0) {
            if (first == n)
                first = i;
            last = i;
        }
    double l = log1p(rate);
    double acc = 0.0;
    if (rate >= 0.0) {
        double y = 1.0 / (1.0 + rate);
        for (size_t t = last + 1; t-- > first;)
            acc = acc * y + of_sign(v[t], sign);
        return log(fabs(acc)) - (double)first * l;
    }
    double x = 1.0 + rate;
    for (size_t t = first; t <= last; ++t)
        acc = acc * x + of_sign(v[t], sign);
    return log(fabs(acc)) - (double)last * l;
}

gfin_status gfin_mirr(const double *values, size_t n, double finance_rate, double reinvest_rate, double *out)
{
    return gfin_mirr_err(values, n, finance_rate, reinvest_rate, out, NULL);
}

gfin_status gfin_mirr_err(const double *values, size_t n, double finance_rate, double reinvest_rate, double *out,
                          gfin_error *err)
{
    gfin_status st;
    if ((st = check_values(values, n, out, err)) || (st = arg_rate("finance_rate", finance_rate, err)) ||
        (st = arg_rate("reinvest_rate", reinvest_rate, err)))
        return st;
    if (n < 2)
        return gfin__fail(err, GFIN_EINVAL, "n", "%zu value is fewer than the 2 MIRR needs", n);
    double maxabs;
    size_t first, last;
    if (!flow_signs(values, n, &maxabs, &first, &last))
        return gfin__fail(err, GFIN_ENOCONV, "values", ONE_SIGN);
    /* ScMIRR / Excel: MIRR = (-FV(positive flows, reinvest) / PV(negative
     * flows, finance))^(1/(n-1)) - 1, with FV at the end of period n-1.
     * In logs: FV = PV(positive, reinvest) (1 + reinvest)^(n-1). */
    double k = (double)(n - 1);
    double lfv = log_abs_pv_sign(values, n, +1, reinvest_rate) + k * log1p(reinvest_rate);
    double lpv = log_abs_pv_sign(values, n, -1, finance_rate);
    return put(expm1((lfv - lpv) / k), out, err);
}

/* ------------------------------------------------------------------------ */
/* XNPV, XIRR                                                               */
/* ------------------------------------------------------------------------ */

static gfin_status check_dated(const double *values, const gfin_date *dates, size_t n, const double *out,
                               gfin_error *err)
{
    gfin_status st = check_values(values, n, out, err);
    if (st)
        return st;
    if (!dates)
        return arg_null("dates", err);
    for (size_t i = 0; i < n; ++i) {
        char at[32];
        snprintf(at, sizeof at, "dates[%zu]", i);
        if ((st = gfin__check_date(at, dates[i], err)))
            return st;
        if (dates[i] < dates[0]) {
            char a[16], b[16];
            gfin__date_str(dates[i], a);
            gfin__date_str(dates[0], b);
            return gfin__fail(err, GFIN_EINVAL, at, "%s precedes dates[0] %s: the first date is the origin", a, b);
        }
    }
    return GFIN_OK;
}

gfin_status gfin_xnpv(double rate, const double *values, const gfin_date *dates, size_t n, double *out)
{
    return gfin_xnpv_err(rate, values, dates, n, out, NULL);
}

gfin_status gfin_xnpv_err(double rate, const double *values, const gfin_date *dates, size_t n, double *out,
                          gfin_error *err)
{
    gfin_status st;
    if ((st = check_dated(values, dates, n, out, err)) || (st = arg_rate("rate", rate, err)))
        return st;
    /* Excel/LibreOffice XNPV: sum v_i / (1 + rate)^((d_i - d_0) / 365). */
    double l = log1p(rate), s = 0.0;
    for (size_t i = 0; i < n; ++i)
        s += values[i] * exp(-((double)(dates[i] - dates[0]) / 365.0) * l);
    return put(s, out, err);
}

typedef struct xirr_ctx {
    const double *v;
    const gfin_date *d;    /* dates (XIRR), or NULL and times in t */
    const double *t;       /* times in years from the first (gfin__irr_times) */
    size_t n;
    double scale;
    double t_min, t_max;   /* earliest and latest time (years) of a nonzero flow */
} xirr_ctx;

static double time_of(const xirr_ctx *c, size_t i)
{
    return c->d ? (double)(c->d[i] - c->d[0]) / 365.0 : c->t[i];
}

/* XNPV times (1+r)^t_min above r = 0 and (1+r)^t_max below: every power of
 * (1 + r) is then <= 1 and the value bounded by the number of flows. */
static double xirr_eval(double r, const void *p)
{
    const xirr_ctx *c = p;
    double l = log1p(r), s = 0.0;
    double t0 = r >= 0.0 ? c->t_min : c->t_max;
    for (size_t i = 0; i < c->n; ++i) {
        if (c->v[i] == 0.0)
            continue;
        s += c->v[i] * c->scale * exp((t0 - time_of(c, i)) * l);
    }
    return s;
}

/* The rate nearest `guess` at which the flows at their times discount to 0. */
static gfin_status solve_timed(xirr_ctx *c, double guess, double *out, gfin_error *err)
{
    double maxabs;
    size_t first, last;
    if (!flow_signs(c->v, c->n, &maxabs, &first, &last))
        return gfin__fail(err, GFIN_ENOCONV, "values", ONE_SIGN);
    c->scale = 1.0 / maxabs;
    if (!isfinite(c->scale))
        c->scale = 1.0;
    for (size_t i = 0; i < c->n; ++i) {
        if (c->v[i] == 0.0)
            continue;
        double t = time_of(c, i);
        c->t_min = fmin(c->t_min, t);
        c->t_max = fmax(c->t_max, t);
    }
    if (c->t_min == c->t_max)   /* all flows at one time: the rate does not matter */
        return gfin__fail(err, GFIN_ENOCONV, c->d ? "dates" : "times",
                          "every nonzero value falls on one %s: any rate gives the same XNPV", c->d ? "date" : "time");
    return no_root(gfin__root_nearest(xirr_eval, c, guess, out), "no rate above -1 makes the values' XNPV 0", err);
}

gfin_status gfin_xirr(const double *values, const gfin_date *dates, size_t n, double guess, double *out)
{
    return gfin_xirr_err(values, dates, n, guess, out, NULL);
}

gfin_status gfin_xirr_err(const double *values, const gfin_date *dates, size_t n, double guess, double *out,
                          gfin_error *err)
{
    gfin_status st;
    if ((st = check_dated(values, dates, n, out, err)) || (st = arg_rate("guess", guess, err)))
        return st;
    return solve_timed(&(xirr_ctx){values, dates, NULL, n, 0.0, HUGE_VAL, 0.0}, guess, out, err);
}

gfin_status gfin__irr_times(const double *values, const double *times, size_t n, double guess, double *out)
{
    if (!times || check_values(values, n, out, NULL) || arg_rate("guess", guess, NULL))
        return GFIN_EINVAL;
    for (size_t i = 0; i < n; ++i)
        if (!isfinite(times[i]))
            return GFIN_EINVAL;
    return solve_timed(&(xirr_ctx){values, NULL, times, n, 0.0, HUGE_VAL, 0.0}, guess, out, NULL);
}

