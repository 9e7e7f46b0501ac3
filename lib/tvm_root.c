/* tvm_root.c -- the root finder of the rate functions (RATE, IRR, XIRR and
 * the internal IRR of flows at times): the root nearest a guess, bracketed on
 * a grid in ln(1 + r) and refined with GSL's Brent solver; and gfin__brent,
 * Brent's method made safe from GSL's aborting error handler, which goal seek
 * and debt sizing use too. The tvm module's only user of GSL.
 */
#include "tvm_impl.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_roots.h>

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

/* The active side whose next grid point is nearer the guess; -1 when none
 * is left. Once a root is found (at best_dist from the guess), a side whose
 * last point is already as far is dropped: all its roots are farther away. */
static int nearer_side(scan_side side[2], double ug, double guess, bool found, double best_dist)
{
    int k = -1;
    double kd = HUGE_VAL;
    for (int i = 0; i < 2; ++i) {
        if (!side[i].active)
            continue;
        if (found && fabs(side[i].r - guess) >= best_dist) {
            side[i].active = false;
            continue;
        }
        double d = fabs(expm1(side_next_u(&side[i], ug)) - guess);
        if (d < kd) {
            kd = d;
            k = i;
        }
    }
    return k;
}

/* Advances side sd to its next grid point. *hit (with *root) when the new
 * point is a root, or brackets one with the last point (sign change) or the
 * one before (a dip); the side then stops, farther roots on it not mattering.
 * A side also stops at the end of the axis or where eval is not finite. A
 * status other than GFIN_OK ends the whole search: a bracket Brent could not
 * refine. */
static gfin_status scan_step(root_problem *pr, scan_side *sd, double ug, bool *hit, double *root)
{
    *hit = false;
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
        return GFIN_OK;
    }
    double f = pr->eval(r, pr->ctx);
    if (!isfinite(f)) {
        sd->active = false;
        return GFIN_OK;
    }
    gfin_status st = GFIN_OK;
    double c, fc;
    if (f == 0.0) {
        *root = r;
        *hit = true;
    } else if ((f < 0.0) != (sd->f < 0.0)) {
        st = refine(pr, sd->r, sd->f, r, f, root);
        *hit = st == GFIN_OK;
    } else if (!isnan(sd->f1) && fabs(sd->f) < fabs(sd->f1) && fabs(sd->f) < fabs(f) &&
               dip_crossing(pr->eval, pr->ctx, fmin(sd->r1, r), fmax(sd->r1, r), f < 0.0 ? -1.0 : 1.0, &c, &fc)) {
        if (fc == 0.0) {
            *root = c;
            *hit = true;
        } else {
            st = refine(pr, sd->r1, sd->f1, c, fc, root);
            *hit = st == GFIN_OK;
        }
    }
    if (st != GFIN_OK)
        return st;
    sd->r1 = sd->r;
    sd->f1 = sd->f;
    sd->r = r;
    sd->f = f;
    if (*hit)
        sd->active = false;
    return GFIN_OK;
}

gfin_status gfin__root_nearest(root_eval eval, const void *ctx, double guess, double *out)
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
    int k;
    while ((k = nearer_side(side, ug, guess, found, best_dist)) >= 0) {
        bool hit;
        double root = 0.0;
        gfin_status st = scan_step(&pr, &side[k], ug, &hit, &root);
        if (st != GFIN_OK)
            return st;
        if (hit && fabs(root - guess) < best_dist) {
            best = root;
            best_dist = fabs(root - guess);
            found = true;
        }
    }
    if (!found)
        return GFIN_ENOCONV;
    *out = best;
    return GFIN_OK;
}
