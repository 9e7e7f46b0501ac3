/* tvm.c -- time value of money: the spreadsheet annuity functions (PMT IPMT
 * PPMT PV FV NPER RATE), NPV IRR MIRR XNPV XIRR. Dates and day counts are in
 * dates.c.
 *
 * Formula sources:
 *  - LibreOffice Calc, sc/source/core/tool/interpr2.cxx (ScGetPMT, ScGetPV,
 *    ScGetFV, ScNper, ScRate, ScGetIpmt, ScPpmt) and interpr1.cxx (ScNPV,
 *    ScIRR, ScMIRR); OpenDocument Formula (ODFF 1.2) section 6.12, whose
 *    basic equation all of them solve:
 *        pv (1+r)^n + pmt (1 + r when) ((1+r)^n - 1) / r + fv = 0.
 *  - numpy-financial (npv with values[0] at t = 0, irr, mirr).
 *  - Excel's documentation for XNPV/XIRR (ACT/365 from the first date).
 *
 * Everything here is a pure function of its arguments (thread-safe): on
 * error *out is left untouched. Each function is written as its *_err twin,
 * which also fills a caller's gfin_error naming the argument (err->path:
 * "per", "values[3]"), its value and the rule ("0 is outside [1, 24]"); the
 * 1.0 functions call the twins with NULL.
 */
#include "tvm.h"
#include "dates.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_roots.h>

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* Argument checks that say which argument broke which rule. */
static gfin_status arg_null(const char *name, gfin_error *err)
{
    return gfin__fail(err, GFIN_EINVAL, name, "is NULL");
}

static gfin_status arg_finite(const char *name, double v, gfin_error *err)
{
    return gfin__check_range(name, "", v, -HUGE_VAL, false, HUGE_VAL, false, err);
}

/* A rate per period: finite and > -1 (1 + rate is a growth factor). */
static gfin_status arg_rate(const char *name, double v, gfin_error *err)
{
    return gfin__check_range(name, "", v, -1.0, true, HUGE_VAL, false, err);
}

static gfin_status arg_when(gfin_when when, gfin_error *err)
{
    if (when == GFIN_END || when == GFIN_BEGIN)
        return GFIN_OK;
    return gfin__fail(err, GFIN_EINVAL, "when", "%d is not GFIN_END (0) or GFIN_BEGIN (1)", (int)when);
}

/* A finite result is stored; anything else means the true value is not
 * representable (overflow, or an inf/inf that stands for one). */
static gfin_status put(double v, double *out, gfin_error *err)
{
    if (!isfinite(v))
        return gfin__fail(err, GFIN_ERANGE, "", "the result overflows a double");
    *out = v;
    return GFIN_OK;
}

double gfin__growth_m1(double r, double n)
{
    /* (1+r)^n - 1 without the cancellation of pow(1 + r, n) - 1 when r is
     * small: with r = 4.567e-15, 1 + r already loses 2 % of r. */
    return expm1(n * log1p(r));
}

/* ((1+r)^n - 1) / r, the future value of n unit payments at the end of each
 * period; exactly n at r = 0 (its limit). */
static double annuity_fv_factor(double r, double n)
{
    return r == 0.0 ? n : gfin__growth_m1(r, n) / r;
}

/* FV without argument checks: IPMT needs it at per - 2, which may be -1. */
static double fv_raw(double rate, double nper, double pmt, double pv, gfin_when when)
{
    /* ScGetFV: fv = -(pv (1+r)^n + pmt (1 + r when) ((1+r)^n - 1) / r). */
    if (rate == 0.0)
        return -(pv + pmt * nper);
    double growth = exp(nper * log1p(rate));
    double due = when == GFIN_BEGIN ? 1.0 + rate : 1.0;
    return -(pv * growth + pmt * due * annuity_fv_factor(rate, nper));
}

static double pmt_raw(double rate, double nper, double pv, double fv, gfin_when when)
{
    /* ScGetPMT solves the ODFF equation for pmt. Written as
     *   pmt = -(pv r / (1 - (1+r)^-n) + fv r / ((1+r)^n - 1)) / (1 + r when)
     * each term stays finite when (1+r)^n overflows (the fv term then goes to
     * 0 and the pv term to pv r, its true limit), and expm1 keeps the
     * precision for small r: PMT(4.567e-15; 10; 1000) = -100.0000000000025. */
    if (rate == 0.0)
        return -(pv + fv) / nper;
    double l = nper * log1p(rate);
    double p = pv * rate / -expm1(-l) + fv * rate / expm1(l);
    if (when == GFIN_BEGIN)
        p /= 1.0 + rate;
    return -p;
}

/* ------------------------------------------------------------------------ */
/* Annuities: PMT IPMT PPMT PV FV NPER                                      */
/* ------------------------------------------------------------------------ */

/* PMT, PV and FV accept a negative nper as the spreadsheets do (the formula
 * then runs backwards: LibreOffice's own test PMT(r; -36; 25000) = 674.497);
 * PMT has no value at nper = 0. */
gfin_status gfin_pmt_err(double rate, double nper, double pv, double fv, gfin_when when, double *out,
                         gfin_error *err)
{
    gfin_status st;
    if (!out)
        return arg_null("out", err);
    if ((st = arg_rate("rate", rate, err)) || (st = arg_finite("nper", nper, err)) ||
        (st = arg_finite("pv", pv, err)) || (st = arg_finite("fv", fv, err)) || (st = arg_when(when, err)))
        return st;
    if (nper == 0.0)
        return gfin__fail(err, GFIN_EINVAL, "nper", "0 gives no payment: nper must not be 0");
    return put(pmt_raw(rate, nper, pv, fv, when), out, err);
}

gfin_status gfin_pmt(double rate, double nper, double pv, double fv, gfin_when when, double *out)
{
    return gfin_pmt_err(rate, nper, pv, fv, when, out, NULL);
}

static gfin_status check_per(double rate, double per, double nper, double pv, double fv, gfin_when when,
                             const double *out, gfin_error *err)
{
    gfin_status st;
    if (!out)
        return arg_null("out", err);
    if ((st = arg_rate("rate", rate, err)) || (st = arg_finite("per", per, err)) ||
        (st = arg_finite("nper", nper, err)) || (st = arg_finite("pv", pv, err)) || (st = arg_finite("fv", fv, err)) ||
        (st = arg_when(when, err)))
        return st;
    if (per < 1.0 || per > nper) {
        char ps[40], ns[40];
        gfin__fmt_num(ps, sizeof ps, per);
        gfin__fmt_num(ns, sizeof ns, nper);
        return gfin__fail(err, GFIN_EINVAL, "per", "%s is outside [1, %s]: the period must be one of 1 .. nper", ps, ns);
    }
    return GFIN_OK;
}

/* IPMT as ScGetIpmt: the interest of period `per` is the rate times the
 * balance after per - 1 payments, that balance being an FV. In begin mode the
 * first payment falls before any interest accrues, so period 1 has none. */
static double ipmt_raw(double rate, double per, double pv, gfin_when when, double pmt)
{
    double balance;
    if (per == 1.0)
        balance = when == GFIN_BEGIN ? 0.0 : -pv;
    else if (when == GFIN_BEGIN)
        balance = fv_raw(rate, per - 2.0, pmt, pv, GFIN_BEGIN) - pmt;
    else
        balance = fv_raw(rate, per - 1.0, pmt, pv, GFIN_END);
    return balance * rate;
}

gfin_status gfin_ipmt_err(double rate, double per, double nper, double pv, double fv, gfin_when when, double *out,
                          gfin_error *err)
{
    gfin_status st = check_per(rate, per, nper, pv, fv, when, out, err);
    if (st)
        return st;
    double pmt = pmt_raw(rate, nper, pv, fv, when);
    if (!isfinite(pmt))
        return gfin__fail(err, GFIN_ERANGE, "", "the payment overflows a double");
    return put(ipmt_raw(rate, per, pv, when, pmt), out, err);
}

gfin_status gfin_ipmt(double rate, double per, double nper, double pv, double fv, gfin_when when, double *out)
{
    return gfin_ipmt_err(rate, per, nper, pv, fv, when, out, NULL);
}

gfin_status gfin_ppmt_err(double rate, double per, double nper, double pv, double fv, gfin_when when, double *out,
                          gfin_error *err)
{
    gfin_status st = check_per(rate, per, nper, pv, fv, when, out, err);
    if (st)
        return st;
    double pmt = pmt_raw(rate, nper, pv, fv, when);
    if (!isfinite(pmt))
        return gfin__fail(err, GFIN_ERANGE, "", "the payment overflows a double");
    return put(pmt - ipmt_raw(rate, per, pv, when, pmt), out, err);
}

gfin_status gfin_ppmt(double rate, double per, double nper, double pv, double fv, gfin_when when, double *out)
{
    return gfin_ppmt_err(rate, per, nper, pv, fv, when, out, NULL);
}

/* The common checks of PV, FV and NPER: a rate, three finite amounts, when. */
static gfin_status check_annuity(double rate, const char *n1, double v1, const char *n2, double v2, const char *n3,
                                 double v3, gfin_when when, const double *out, gfin_error *err)
{
    gfin_status st;
    if (!out)
        return arg_null("out", err);
    if ((st = arg_rate("rate", rate, err)) || (st = arg_finite(n1, v1, err)) || (st = arg_finite(n2, v2, err)) ||
        (st = arg_finite(n3, v3, err)))
        return st;
    return arg_when(when, err);
}

gfin_status gfin_pv(double rate, double nper, double pmt, double fv, gfin_when when, double *out)
{
    return gfin_pv_err(rate, nper, pmt, fv, when, out, NULL);
}

gfin_status gfin_pv_err(double rate, double nper, double pmt, double fv, gfin_when when, double *out,
                        gfin_error *err)
{
    gfin_status st = check_annuity(rate, "nper", nper, "pmt", pmt, "fv", fv, when, out, err);
    if (st)
        return st;
    /* ScGetPV: pv = -(fv (1+r)^-n + pmt (1 + r when) (1 - (1+r)^-n) / r). */
    double v;
    if (rate == 0.0) {
        v = -(fv + pmt * nper);
    } else {
        double l = nper * log1p(rate);
        double due = when == GFIN_BEGIN ? 1.0 + rate : 1.0;
        v = -(fv * exp(-l) + pmt * due * (-expm1(-l) / rate));
    }
    return put(v, out, err);
}

gfin_status gfin_fv_err(double rate, double nper, double pmt, double pv, gfin_when when, double *out,
                        gfin_error *err)
{
    gfin_status st = check_annuity(rate, "nper", nper, "pmt", pmt, "pv", pv, when, out, err);
    if (st)
        return st;
    return put(fv_raw(rate, nper, pmt, pv, when), out, err);
}

gfin_status gfin_fv(double rate, double nper, double pmt, double pv, gfin_when when, double *out)
{
    return gfin_fv_err(rate, nper, pmt, pv, when, out, NULL);
}

gfin_status gfin_nper(double rate, double pmt, double pv, double fv, gfin_when when, double *out)
{
    return gfin_nper_err(rate, pmt, pv, fv, when, out, NULL);
}

#define NPER_NONE "no finite number of periods reaches fv (the payment does not cover the interest)"

gfin_status gfin_nper_err(double rate, double pmt, double pv, double fv, gfin_when when, double *out,
                          gfin_error *err)
{
    gfin_status st = check_annuity(rate, "pmt", pmt, "pv", pv, "fv", fv, when, out, err);
    if (st)
        return st;
    /* ScNper: nothing to pay when pv + fv = 0. */
    if (pv + fv == 0.0) {
        *out = 0.0;
        return GFIN_OK;
    }
    double n;
    if (rate == 0.0) {
        n = -(pv + fv) / pmt;
    } else {
        /* ODFF solved for n: (1+r)^n = (z - fv) / (z + pv), z = pmt (1 + r when) / r.
         * Written log1p(-(fv + pv) / (z + pv)) so small rates, where z is
         * large and the ratio close to 1, keep their digits. The ratio is
         * <= 0 when no number of periods reaches fv (a payment that does
         * not cover the interest). */
        double z = pmt * (when == GFIN_BEGIN ? 1.0 + rate : 1.0) / rate;
        double q = -(fv + pv) / (z + pv);
        if (!isfinite(q) || q <= -1.0)
            return gfin__fail(err, GFIN_ENOCONV, "", NPER_NONE);
        n = log1p(q) / log1p(rate);
    }
    if (!isfinite(n))
        return gfin__fail(err, GFIN_ENOCONV, "", NPER_NONE);
    *out = n;
    return GFIN_OK;
}

/* ------------------------------------------------------------------------ */
/* The root finder shared by RATE, IRR and XIRR                             */
/* ------------------------------------------------------------------------ */

/*
 * Finding "the root nearest the guess":
 *
 * 1. Bracket. The rate axis is walked outward from the guess on both sides,
 *    on a grid in u = ln(1 + r) whose step starts at SCAN_H0 and grows by
 *    SCAN_GROW per step: fine near the guess, reaching rates within 1e-15 of
 *    -1 on the left and ~4e15 on the right in ~150 steps a side. The side
 *    whose next point is nearer the guess (in rate) is advanced first; the
 *    first sign change on a side brackets that side's nearest root. Once a
 *    root is found, the other side is only searched while its grid is still
 *    nearer the guess than that root, so the answer is the root nearest the
 *    guess in rate, whichever side it is on.
 *    Two roots between neighbouring grid points give no sign change; they
 *    do give a dip, three points of one sign with the middle one smallest in
 *    magnitude. A dip is searched (golden section on |f|) for a point of the
 *    other sign, which then brackets the nearer of the two roots. Only a
 *    pair of roots too close to show a dip at the grid's resolution (1e-3 in
 *    u near the guess, ~5 % of the distance from it farther out) can still
 *    be missed.
 * 2. Refine with GSL's Brent solver to 1e-15 absolute / 4 ulp relative.
 *
 * The functions handed to the solver are scaled so they stay finite
 * everywhere on (-1, inf): flows are divided by their largest magnitude, and
 * the discount factors are arranged so every power of (1 + r) is <= 1
 * (Horner in 1/(1+r) above r = 0, in (1+r) below, the two forms differing by
 * a positive factor and agreeing at r = 0). So GSL never sees a non-finite
 * value and its aborting error handler is never reached; the endpoints are
 * checked finite and of opposite sign before gsl_root_fsolver_set.
 */
#define SCAN_H0 1e-3
#define SCAN_GROW 1.05
#define U_MIN (-36.0)   /* 1 + r = 2.3e-16: the last doubles above r = -1 */
#define U_MAX 36.0      /* r = 4.3e15 */
#define DIP_MAX_ITER 100
#define ROOT_EPSABS 1e-15
#define ROOT_EPSREL (4.0 * DBL_EPSILON)
#define ROOT_MAX_ITER 200

typedef gfin_root_fn root_eval;

typedef struct root_problem {
    root_eval eval;
    const void *ctx;
    bool bad;     /* a non-finite value was seen: the answer is not trusted */
} root_problem;

static double root_trampoline(double r, void *p)
{
    root_problem *pr = p;
    double y = pr->eval(r, pr->ctx);
    if (!isfinite(y)) {
        /* GSL must see a finite value (it aborts otherwise); the result is
         * thrown away. */
        pr->bad = true;
        return 0.0;
    }
    return y;
}

gfin_status gfin__brent(gfin_root_fn f, const void *ctx, double lo, double hi, double flo, double fhi,
                        double epsabs, double epsrel, int max_iter, double *root, int *iterations)
{
    /* The solver lives on the stack: gsl_root_fsolver_alloc would call GSL's
     * aborting error handler if malloc failed. The struct and the type's
     * state size are public (gsl_roots.h). */
    union {
        double d[32];
        long double ld[16];
        void *p[32];
    } state;
    gsl_root_fsolver s;
    if (gsl_root_fsolver_brent->size > sizeof state)
        return GFIN_ENOCONV;
    s.type = gsl_root_fsolver_brent;
    s.state = &state;
    s.function = NULL;
    s.root = s.x_lower = s.x_upper = 0.0;

    root_problem pr = {f, ctx, false};
    gsl_function fn = {root_trampoline, &pr};
    /* gsl_root_fsolver_set calls the error handler unless f(lo), f(hi) have
     * opposite signs: checked first. */
    if (!(lo < hi) || !isfinite(lo) || !isfinite(hi))
        return GFIN_ENOCONV;
    if (!isfinite(flo) || !isfinite(fhi) || !((flo < 0 && fhi > 0) || (flo > 0 && fhi < 0)))
        return GFIN_ENOCONV;
    if (gsl_root_fsolver_set(&s, &fn, lo, hi) != GSL_SUCCESS || pr.bad)
        return GFIN_ENOCONV;
    for (int i = 0; i < max_iter; ++i) {
        if (gsl_root_fsolver_iterate(&s) != GSL_SUCCESS || pr.bad)
            return GFIN_ENOCONV;
        double a = gsl_root_fsolver_x_lower(&s), b = gsl_root_fsolver_x_upper(&s);
        /* gsl_root_test_interval's rule, inlined: it too would call the error
         * handler on a malformed interval. */
        double m = fmin(fabs(a), fabs(b));
        if (b - a <= epsabs + epsrel * m) {
            double r = gsl_root_fsolver_root(&s);
            if (!isfinite(r))
                return GFIN_ENOCONV;
            *root = r;
            if (iterations)
                *iterations = i + 1;
            return GFIN_OK;
        }
    }
    return GFIN_ENOCONV;
}

/* Brent on [lo, hi], f(lo) = flo and f(hi) = fhi finite, nonzero, of opposite
 * signs; a rate at or below -1 is no answer. */
static gfin_status brent(root_problem *pr, double lo, double flo, double hi, double fhi, double *root)
{
    double r;
    gfin_status st = gfin__brent(pr->eval, pr->ctx, lo, hi, flo, fhi, ROOT_EPSABS, ROOT_EPSREL, ROOT_MAX_ITER, &r,
                                 NULL);
    if (st)
        return st;
    if (!(r > -1.0))
        return GFIN_ENOCONV;
    *root = r;
    return GFIN_OK;
}

/* Golden-section search of (lo, hi) for a point where f has the sign
 * opposite to `sign`, f(lo) and f(hi) having `sign` and |f| dipping in
 * between. Returns true with *at (and its value *f_at, 0 for a point that is
 * itself a root) when one is found. */
static bool dip_crossing(root_eval eval, const void *ctx, double lo, double hi, double sign, double *at,
                         double *f_at)
{
    const double g = 0.38196601125010515;   /* (3 - sqrt 5) / 2 */
    double a = lo, b = hi;
    double x1 = a + g * (b - a), x2 = b - g * (b - a);
    double f1 = sign * eval(x1, ctx), f2 = sign * eval(x2, ctx);
    for (int i = 0; i < DIP_MAX_ITER; ++i) {
        if (!isfinite(f1) || !isfinite(f2))
            return false;
        if (f1 <= 0.0 || f2 <= 0.0) {
            bool first = f1 <= f2;
            *at = first ? x1 : x2;
            *f_at = sign * (first ? f1 : f2);
            return true;
        }
        if (b - a <= ROOT_EPSABS + ROOT_EPSREL * fabs(a))
            return false;
        if (f1 < f2) {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = a + g * (b - a);
            f1 = sign * eval(x1, ctx);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = b - g * (b - a);
            f2 = sign * eval(x2, ctx);
        }
    }
    return false;
}

/* One side of the scan: its last two points (r1 nearer the guess). */
typedef struct scan_side {
    int dir;            /* -1 left, +1 right */
    double s, h;        /* distance in u of the last point from the guess, next step */
    double r1, f1;      /* the point before the last (NAN before there is one) */
    double r, f;        /* the last point */
    bool active;
} scan_side;

static double side_next_u(const scan_side *sd, double ug) { return ug + sd->dir * (sd->s + sd->h); }

/* Brackets [a, b] in either order (fa, fb their values): the root Brent finds inside. */
static gfin_status refine(root_problem *pr, double a, double fa, double b, double fb, double *root)
{
    return a < b ? brent(pr, a, fa, b, fb, root) : brent(pr, b, fb, a, fa, root);
}

static gfin_status solve_nearest(root_eval eval, const void *ctx, double guess, double *out)
{
    root_problem pr = {eval, ctx, false};
    double f0 = eval(guess, ctx);
    if (!isfinite(f0))
        return GFIN_ENOCONV;
    if (f0 == 0.0) {
        *out = guess;
        return GFIN_OK;
    }
    double ug = log1p(guess);
    scan_side side[2] = {{-1, 0.0, SCAN_H0, NAN, NAN, guess, f0, ug > U_MIN},
                         {+1, 0.0, SCAN_H0, NAN, NAN, guess, f0, ug < U_MAX}};
    bool found = false;
    double best = 0.0, best_dist = HUGE_VAL;

    for (;;) {
        /* Pick the active side whose next grid point is nearer the guess. */
        int k = -1;
        double kd = HUGE_VAL;
        for (int i = 0; i < 2; ++i) {
            if (!side[i].active)
                continue;
            if (found && fabs(side[i].r - guess) >= best_dist) {
                side[i].active = false;   /* all its roots are farther away */
                continue;
            }
            double d = fabs(expm1(side_next_u(&side[i], ug)) - guess);
            if (d < kd) {
                kd = d;
                k = i;
            }
        }
        if (k < 0)
            break;
        scan_side *sd = &side[k];
        double u = side_next_u(sd, ug);
        if (sd->dir < 0 ? u <= U_MIN : u >= U_MAX) {
            u = sd->dir < 0 ? U_MIN : U_MAX;
            sd->active = false;     /* last point of this side */
        }
        sd->s += sd->h;
        sd->h *= SCAN_GROW;
        double r = expm1(u);
        if (!(r > -1.0) || r == sd->r) {
            sd->active = false;
            continue;
        }
        double f = eval(r, ctx);
        if (!isfinite(f)) {
            sd->active = false;
            continue;
        }
        double root = 0.0;
        gfin_status st = GFIN_ENOCONV;
        if (f == 0.0) {
            root = r;
            st = GFIN_OK;
        } else if ((f < 0.0) != (sd->f < 0.0)) {
            st = refine(&pr, sd->r, sd->f, r, f, &root);
            if (st != GFIN_OK)
                return st;
        } else if (!isnan(sd->f1) && fabs(sd->f) < fabs(sd->f1) && fabs(sd->f) < fabs(f)) {
            double c, fc;
            if (dip_crossing(eval, ctx, fmin(sd->r1, r), fmax(sd->r1, r), f < 0.0 ? -1.0 : 1.0, &c, &fc)) {
                if (fc == 0.0) {
                    root = c;
                    st = GFIN_OK;
                } else {
                    st = refine(&pr, sd->r1, sd->f1, c, fc, &root);
                    if (st != GFIN_OK)
                        return st;
                }
            }
        }
        sd->r1 = sd->r;
        sd->f1 = sd->f;
        sd->r = r;
        sd->f = f;
        if (st == GFIN_OK) {
            sd->active = false;     /* farther roots on this side do not matter */
            double d = fabs(root - guess);
            if (d < best_dist) {
                best = root;
                best_dist = d;
                found = true;
            }
        }
    }
    if (!found)
        return GFIN_ENOCONV;
    *out = best;
    return GFIN_OK;
}

/* ------------------------------------------------------------------------ */
/* RATE                                                                     */
/* ------------------------------------------------------------------------ */

typedef struct rate_ctx {
    double nper, pmt, pv, fv;   /* pmt, pv, fv divided by the largest of them */
    gfin_when when;
} rate_ctx;

/* The ODFF equation divided by (1+r)^n above r = 0; bounded by about nper
 * since |pv|, |pmt|, |fv| <= 1. */
static double rate_eval(double r, const void *p)
{
    const rate_ctx *c = p;
    if (r == 0.0)
        return c->pv + c->pmt * c->nper + c->fv;
    double l = c->nper * log1p(r);
    double due = c->when == GFIN_BEGIN ? 1.0 + r : 1.0;
    if (r > 0.0)
        return c->pv + c->pmt * due * (-expm1(-l) / r) + c->fv * exp(-l);
    return c->pv * exp(l) + c->pmt * due * (expm1(l) / r) + c->fv;
}

gfin_status gfin_rate(double nper, double pmt, double pv, double fv, gfin_when when, double guess, double *out)
{
    return gfin_rate_err(nper, pmt, pv, fv, when, guess, out, NULL);
}

/* ENOCONV with a message (the root finder reports by status only). */
static gfin_status no_root(gfin_status st, const char *what, gfin_error *err)
{
    return st == GFIN_OK ? st : gfin__fail(err, st, "", "%s", what);
}

gfin_status gfin_rate_err(double nper, double pmt, double pv, double fv, gfin_when when, double guess, double *out,
                          gfin_error *err)
{
    /* ScRate refuses nper <= 0 (an ODFF constraint). */
    gfin_status st;
    if (!out)
        return arg_null("out", err);
    if ((st = gfin__check_range("nper", "", nper, 0.0, true, HUGE_VAL, false, err)) ||
        (st = arg_finite("pmt", pmt, err)) || (st = arg_finite("pv", pv, err)) || (st = arg_finite("fv", fv, err)) ||
        (st = arg_when(when, err)) || (st = arg_rate("guess", guess, err)))
        return st;
    double scale = fmax(fabs(pmt), fmax(fabs(pv), fabs(fv)));
    if (scale == 0.0) {
        /* Every rate solves 0 = 0: the guess is as good as any. */
        *out = guess;
        return GFIN_OK;
    }
    rate_ctx c = {nper, pmt / scale, pv / scale, fv / scale, when};
    return no_root(solve_nearest(rate_eval, &c, guess, out),
                   "no rate above -1 makes the annuity balance (pv, payments and fv never net to 0)", err);
}

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
    return no_root(solve_nearest(irr_eval, &c, guess, out), "no rate above -1 makes the values' present value 0",
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
    return no_root(solve_nearest(xirr_eval, c, guess, out), "no rate above -1 makes the values' XNPV 0", err);
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
