/* tvm.c -- time value of money: the spreadsheet annuity functions (PMT IPMT
 * PPMT PV FV NPER) in closed form, and RATE, the same annuity equation solved
 * for the rate. The cash-flow series (NPV IRR MIRR XNPV XIRR) are in
 * tvm_flows.c, the root finder under RATE and the IRRs in tvm_root.c, dates
 * and day counts in dates.c.
 *
 * Formula sources:
 *  - LibreOffice Calc, sc/source/core/tool/interpr2.cxx (ScGetPMT, ScGetPV,
 *    ScGetFV, ScNper, ScRate, ScGetIpmt, ScPpmt); OpenDocument Formula (ODFF
 *    1.2) section 6.12, whose basic equation all of them solve:
 *        pv (1+r)^n + pmt (1 + r when) ((1+r)^n - 1) / r + fv = 0.
 *
 * Everything here is a pure function of its arguments (thread-safe): on
 * error *out is left untouched. Each function is written as its *_err twin,
 * which also fills a caller's gfin_error naming the argument (err->path:
 * "per", "values[3]"), its value and the rule ("0 is outside [1, 24]"); the
 * 1.0 functions call the twins with NULL.
 */
#include "tvm_impl.h"

#include <math.h>

/* ------------------------------------------------------------------------ */
/* Annuity factors                                                          */
/* ------------------------------------------------------------------------ */


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
    return no_root(gfin__root_nearest(rate_eval, &c, guess, out),
                   "no rate above -1 makes the annuity balance (pv, payments and fv never net to 0)", err);
}

