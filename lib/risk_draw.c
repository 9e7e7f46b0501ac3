/* risk_draw.c -- what a scenario draws (docs/model.md "Risk"): distributions and
 * their inverse CDFs, counter-based random streams, the Cholesky factor of
 * correlated factors.
 *
 * Every draw is x = F^-1(Phi(z)) of a standard-normal score z. The scores come
 * from Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as
 * easy as 1, 2, 3", SC'11; Random123), a counter-based generator: the score of
 * (seed, scenario, stream, draw) is a pure function of those four numbers, so a
 * scenario draws the same whatever thread or block runs it. GSL's generators
 * are sequential (a state per stream); seeding one per (scenario, stream) with
 * a 32-bit seed (taus2, ...) collides within a few tens of thousands of
 * streams. GSL gives the inverse CDFs and the Cholesky factorisation. */
#include "risk_internal.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ======================================================================== */
/* Names                                                                    */
/* ======================================================================== */

static const char *const APPLY[] = {"scale", "add", "set"};
static const char *const PER[] = {"scenario", "year"};
static const char *const TYPES[] = {"normal", "lognormal", "uniform", "triangular", "pert", "discrete"};
static const char *const PARAMS[] = {"mean", "sd", "min", "mode", "max", "lower", "upper"};
static const char *const STATS[] = {"n", "mean", "sd", "min", "q05", "q10", "q50", "q90", "q95", "max"};

#define NAME_AT(table, i) ((i) >= 0 && (size_t)(i) < sizeof table / sizeof table[0] ? table[i] : NULL)

static int find_in(const char *const *table, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; ++i)
        if (strcmp(table[i], name) == 0)
            return (int)i;
    return -1;
}
#define FIND(table, name) find_in(table, sizeof table / sizeof table[0], name)

const char *gfin_risk_apply_name(gfin_risk_apply a) { return NAME_AT(APPLY, (int)a); }
const char *gfin_risk_per_name(gfin_risk_per p) { return NAME_AT(PER, (int)p); }
const char *gfin_risk_dist_type_name(gfin_risk_dist_type t) { return NAME_AT(TYPES, (int)t); }
const char *gfin_risk_dist_param_name(gfin_risk_dist_param p) { return NAME_AT(PARAMS, (int)p); }
const char *gfin_risk_stat_name(gfin_risk_stat s) { return NAME_AT(STATS, (int)s); }
int gfin_risk_apply_find(const char *name) { return FIND(APPLY, name); }
int gfin_risk_per_find(const char *name) { return FIND(PER, name); }
int gfin_risk_dist_type_find(const char *name) { return FIND(TYPES, name); }
int gfin_risk_dist_param_find(const char *name) { return FIND(PARAMS, name); }

/* ======================================================================== */
/* Distributions                                                            */
/* ======================================================================== */

enum { P_MEAN = GFIN_RISK_MEAN, P_SD = GFIN_RISK_SD, P_MIN = GFIN_RISK_MIN, P_MODE = GFIN_RISK_MODE,
       P_MAX = GFIN_RISK_MAX, P_LOWER = GFIN_RISK_LOWER, P_UPPER = GFIN_RISK_UPPER };
#define BIT(p) (1u << (p))

/* Parameters each type takes, and those it requires. */
static const unsigned TAKES[] = {
    BIT(P_MEAN) | BIT(P_SD) | BIT(P_LOWER) | BIT(P_UPPER), BIT(P_MEAN) | BIT(P_SD) | BIT(P_LOWER) | BIT(P_UPPER),
    BIT(P_MIN) | BIT(P_MAX), BIT(P_MIN) | BIT(P_MODE) | BIT(P_MAX), BIT(P_MIN) | BIT(P_MODE) | BIT(P_MAX), 0};
static const unsigned NEEDS[] = {BIT(P_MEAN) | BIT(P_SD), BIT(P_MEAN) | BIT(P_SD), BIT(P_MIN) | BIT(P_MAX),
                                 BIT(P_MIN) | BIT(P_MODE) | BIT(P_MAX), BIT(P_MIN) | BIT(P_MODE) | BIT(P_MAX), 0};

gfin_risk_dist *gfin_risk_dist_new(gfin_risk_dist_type type)
{
    if ((int)type < 0 || (int)type > GFIN_RISK_DISCRETE)
        return NULL;
    gfin_risk_dist *d = gfin__calloc(1, sizeof *d);
    if (d)
        d->type = type;
    return d;
}

void gfin_risk_dist_free(gfin_risk_dist *d)
{
    if (!d)
        return;
    gfin__free(d->values);
    gfin__free(d->cum);
    gfin__free(d->weights);
    gfin__free(d->given);
    gfin__free(d);
}

static double *dup_array(const double *v, size_t n)
{
    if (!v)
        return NULL;
    double *c = gfin__calloc(n, sizeof *c);
    if (c)
        memcpy(c, v, n * sizeof *c);
    return c;
}

gfin_risk_dist *rk_dist_copy(const gfin_risk_dist *src)
{
    gfin_risk_dist *d = gfin__calloc(1, sizeof *d);
    if (!d)
        return NULL;
    *d = *src;
    d->values = d->cum = d->weights = d->given = NULL;
    if ((src->values && !(d->values = dup_array(src->values, src->n))) ||
        (src->cum && !(d->cum = dup_array(src->cum, src->n))) ||
        (src->weights && !(d->weights = dup_array(src->weights, src->n))) ||
        (src->given && !(d->given = dup_array(src->given, src->n)))) {
        gfin_risk_dist_free(d);
        return NULL;
    }
    return d;
}

gfin_status gfin_risk_dist_set(gfin_risk_dist *d, gfin_risk_dist_param param, double value, gfin_error *err)
{
    const char *name = gfin_risk_dist_param_name(param);
    if (!d || !name)
        return gfin__fail(err, GFIN_EINVAL, "", "no such distribution or parameter");
    if (!(TAKES[d->type] & BIT(param)))
        return gfin__fail(err, GFIN_EINVAL, name, "is not a parameter of a %s distribution",
                          gfin_risk_dist_type_name(d->type));
    gfin_status st = GFIN_OK;
    if (param == GFIN_RISK_SD)
        st = gfin__check_range(name, "", value, 0, true, INFINITY, false, err);
    else if (param == GFIN_RISK_MEAN && d->type == GFIN_RISK_LOGNORMAL)
        st = gfin__check_range(name, "", value, 0, true, INFINITY, false, err);
    else
        st = gfin__check_range(name, "", value, -INFINITY, false, INFINITY, false, err);
    if (st)
        return st;
    d->p[param] = value;
    d->set |= BIT(param);
    d->ready = false;
    return GFIN_OK;
}

gfin_status gfin_risk_dist_set_values(gfin_risk_dist *d, const double *values, const double *weights, size_t n,
                                      gfin_error *err)
{
    if (!d || !values)
        return gfin__fail(err, GFIN_EINVAL, "values", "distribution and values must not be NULL");
    if (d->type != GFIN_RISK_DISCRETE)
        return gfin__fail(err, GFIN_EINVAL, "values", "is not a parameter of a %s distribution",
                          gfin_risk_dist_type_name(d->type));
    if (n == 0 || n > RK_MAX_DISCRETE)
        return gfin__fail(err, GFIN_EINVAL, "values", "%zu values: give 1 to %d", n, RK_MAX_DISCRETE);
    char path[32];
    double sum = 0;
    for (size_t i = 0; i < n; ++i) {
        snprintf(path, sizeof path, "values[%zu]", i);
        gfin_status st = gfin__check_range(path, "", values[i], -INFINITY, false, INFINITY, false, err);
        if (!st && weights) {
            snprintf(path, sizeof path, "weights[%zu]", i);
            st = gfin__check_range(path, "", weights[i], 0, false, INFINITY, false, err);
            sum += weights[i];
        }
        if (st)
            return st;
    }
    if (weights && !(sum > 0) )
        return gfin__fail(err, GFIN_EINVAL, "weights", "sum to 0: give at least one positive weight");
    if (weights && !isfinite(sum))
        return gfin__fail(err, GFIN_EINVAL, "weights", "sum beyond the range of a double");
    double *given = dup_array(values, n), *w = weights ? dup_array(weights, n) : NULL;
    double *sorted = gfin__calloc(n, sizeof *sorted), *cum = gfin__calloc(n, sizeof *cum);
    size_t *perm = gfin__calloc(n, sizeof *perm);
    if (!given || (weights && !w) || !sorted || !cum || !perm) {
        gfin__free(given);
        gfin__free(w);
        gfin__free(sorted);
        gfin__free(cum);
        gfin__free(perm);
        return gfin__fail(err, GFIN_ENOMEM, "values", "out of memory");
    }
    /* Sorted ascending with the weights carried along (a stable index sort,
     * so equal values keep their order), then cumulative weights / total. */
    gsl_sort_index(perm, values, 1, n);
    double acc = 0;
    for (size_t i = 0; i < n; ++i) {
        sorted[i] = values[perm[i]];
        acc += weights ? weights[perm[i]] : 1.0;
        cum[i] = acc;
    }
    for (size_t i = 0; i < n; ++i)
        cum[i] /= acc;
    cum[n - 1] = 1.0;
    gfin__free(perm);
    gfin__free(d->values);
    gfin__free(d->cum);
    gfin__free(d->weights);
    gfin__free(d->given);
    d->values = sorted;
    d->cum = cum;
    d->weights = w;
    d->given = given;
    d->n = n;
    d->ready = false;
    return GFIN_OK;
}

gfin_status rk_dist_prepare(gfin_risk_dist *d, gfin_error *err)
{
    const unsigned missing = NEEDS[d->type] & ~d->set;
    for (int p = 0; p < RK_NPARAMS; ++p)
        if (missing & BIT(p))
            return gfin__fail(err, GFIN_EINVAL, PARAMS[p], "is required for a %s distribution",
                              gfin_risk_dist_type_name(d->type));
    const double *p = d->p;
    switch (d->type) {
    case GFIN_RISK_NORMAL:
    case GFIN_RISK_LOGNORMAL: {
        const double lower = d->set & BIT(P_LOWER) ? p[P_LOWER] : -INFINITY;
        const double upper = d->set & BIT(P_UPPER) ? p[P_UPPER] : INFINITY;
        if (!(lower < upper))
            return gfin__fail(err, GFIN_EINVAL, "upper", "%.17g is not above lower %.17g", upper, lower);
        if (d->type == GFIN_RISK_LOGNORMAL) {
            /* From the variable's mean m and sd s: sigma^2 = ln(1 + s^2/m^2),
             * zeta = ln m - sigma^2 / 2 (the lognormal's moments). */
            const double cv = p[P_SD] / p[P_MEAN];
            d->sigma = sqrt(log1p(cv * cv));
            d->zeta = log(p[P_MEAN]) - d->sigma * d->sigma / 2;
            if (!isfinite(d->sigma) || !isfinite(d->zeta) || !(d->sigma > 0))
                return gfin__fail(err, GFIN_EINVAL, "sd", "mean and sd give no representable lognormal");
            d->lo_p = lower > 0 ? gsl_cdf_lognormal_P(lower, d->zeta, d->sigma) : 0;
            d->hi_p = isfinite(upper) ? (upper > 0 ? gsl_cdf_lognormal_P(upper, d->zeta, d->sigma) : 0) : 1;
        } else {
            d->lo_p = isfinite(lower) ? gsl_cdf_gaussian_P(lower - p[P_MEAN], p[P_SD]) : 0;
            d->hi_p = isfinite(upper) ? gsl_cdf_gaussian_P(upper - p[P_MEAN], p[P_SD]) : 1;
        }
        if (!(d->hi_p > d->lo_p))
            return gfin__fail(err, GFIN_EINVAL, d->set & BIT(P_LOWER) ? "lower" : "upper",
                              "leaves no probability between lower and upper");
        break;
    }
    case GFIN_RISK_UNIFORM:
        if (!(p[P_MIN] < p[P_MAX]))
            return gfin__fail(err, GFIN_EINVAL, "min", "%.17g is not below max %.17g", p[P_MIN], p[P_MAX]);
        break;
    case GFIN_RISK_TRIANGULAR:
    case GFIN_RISK_PERT:
        if (!(p[P_MIN] < p[P_MAX]))
            return gfin__fail(err, GFIN_EINVAL, "min", "%.17g is not below max %.17g", p[P_MIN], p[P_MAX]);
        if (p[P_MODE] < p[P_MIN] || p[P_MODE] > p[P_MAX])
            return gfin__fail(err, GFIN_EINVAL, "mode", "%.17g is outside min .. max (%.17g .. %.17g)", p[P_MODE],
                              p[P_MIN], p[P_MAX]);
        if (!isfinite(p[P_MAX] - p[P_MIN]))
            return gfin__fail(err, GFIN_EINVAL, "max", "max - min is beyond the range of a double");
        d->alpha = 1 + 4 * (p[P_MODE] - p[P_MIN]) / (p[P_MAX] - p[P_MIN]);
        d->beta = 1 + 4 * (p[P_MAX] - p[P_MODE]) / (p[P_MAX] - p[P_MIN]);
        break;
    case GFIN_RISK_DISCRETE:
        if (!d->n)
            return gfin__fail(err, GFIN_EINVAL, "values", "is required for a discrete distribution");
        break;
    }
    d->ready = true;
    return GFIN_OK;
}

gfin_status gfin_risk_dist_validate(const gfin_risk_dist *d, gfin_error *err)
{
    if (!d)
        return gfin__fail(err, GFIN_EINVAL, "", "distribution is NULL");
    gfin_risk_dist tmp = *d; /* prepare writes derived fields only */
    return rk_dist_prepare(&tmp, err);
}

/* PERT: the Beta(alpha, beta) quantile on [0, 1] by safeguarded Newton on
 * gsl_cdf_beta_P (alpha, beta in [1, 5], where GSL's continued fraction
 * converges fast and never reaches its error handler). gsl_cdf_beta_Pinv is
 * not used: its "failed to converge" path calls the process-wide handler. */
static double beta_quantile(double u, double a, double b)
{
    double lo = 0, hi = 1, x = a / (a + b);
    for (int it = 0; it < 100; ++it) {
        const double f = gsl_cdf_beta_P(x, a, b) - u;
        if (f == 0)
            return x;
        if (f > 0)
            hi = x;
        else
            lo = x;
        const double pdf = gsl_ran_beta_pdf(x, a, b);
        double next = pdf > 0 ? x - f / pdf : NAN;
        if (!(next > lo && next < hi))
            next = 0.5 * (lo + hi);
        if (fabs(next - x) <= 1e-15 * fmax(1e-300, fabs(x)) || hi - lo <= 4 * DBL_EPSILON)
            return next;
        x = next;
    }
    return x;
}

double rk_dist_quantile(const gfin_risk_dist *d, double u)
{
    const double *p = d->p;
    switch (d->type) {
    case GFIN_RISK_NORMAL:
        return p[P_MEAN] + p[P_SD] * gsl_cdf_ugaussian_Pinv(d->lo_p + u * (d->hi_p - d->lo_p));
    case GFIN_RISK_LOGNORMAL:
        return gsl_cdf_lognormal_Pinv(d->lo_p + u * (d->hi_p - d->lo_p), d->zeta, d->sigma);
    case GFIN_RISK_UNIFORM:
        return gsl_cdf_flat_Pinv(u, p[P_MIN], p[P_MAX]);
    case GFIN_RISK_TRIANGULAR: {
        /* F(x) = (x-a)^2 / ((b-a)(c-a)) up to the mode c, 1 - (b-x)^2 / ((b-a)(b-c)) after. */
        const double a = p[P_MIN], c = p[P_MODE], b = p[P_MAX], fc = (c - a) / (b - a);
        return u < fc ? a + sqrt(u * (b - a) * (c - a)) : b - sqrt((1 - u) * (b - a) * (b - c));
    }
    case GFIN_RISK_PERT:
        return p[P_MIN] + (p[P_MAX] - p[P_MIN]) * beta_quantile(u, d->alpha, d->beta);
    case GFIN_RISK_DISCRETE: {
        size_t lo = 0, hi = d->n - 1; /* the first index whose cumulative weight reaches u */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (d->cum[mid] >= u)
                hi = mid;
            else
                lo = mid + 1;
        }
        return d->values[lo];
    }
    }
    return NAN;
}

double rk_dist_from_score(const gfin_risk_dist *d, double z)
{
    /* An untruncated normal maps its score exactly; the rest through Phi. */
    if (d->type == GFIN_RISK_NORMAL && d->lo_p == 0 && d->hi_p == 1)
        return d->p[P_MEAN] + d->p[P_SD] * z;
    if (d->type == GFIN_RISK_LOGNORMAL && d->lo_p == 0 && d->hi_p == 1)
        return exp(d->zeta + d->sigma * z);
    double u = gsl_cdf_ugaussian_P(z);
    /* Phi of a finite score lies in [0, 1]; keep it strictly inside. */
    u = fmin(fmax(u, 0x1p-60), 1 - 0x1p-53);
    return rk_dist_quantile(d, u);
}

gfin_status gfin_risk_dist_quantile(const gfin_risk_dist *d, double u, double *out, gfin_error *err)
{
    if (!d || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "distribution and out must not be NULL");
    if (!(u > 0 && u < 1))
        return gfin__fail(err, GFIN_EINVAL, "u", "%.17g is outside (0, 1)", u);
    gfin_risk_dist tmp = *d;
    gfin_status st = rk_dist_prepare(&tmp, err);
    if (st)
        return st;
    *out = rk_dist_quantile(&tmp, u);
    return GFIN_OK;
}

/* ======================================================================== */
/* Streams                                                                  */
/* ======================================================================== */

void rk_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3], k0 = key[0], k1 = key[1];
    for (int r = 0; r < 10; ++r) {
        if (r) {
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        const uint64_t p0 = (uint64_t)0xD2511F53u * c0, p1 = (uint64_t)0xCD9E8D57u * c2;
        const uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0, hi1 = (uint32_t)(p1 >> 32),
                       lo1 = (uint32_t)p1;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

/* The key is the seed; the counter (draw, scenario, stream low, stream high).
 * Two of the 32-bit outputs make a 53-bit uniform in (0, 1), never 0 or 1. */
double rk_normal(uint64_t seed, uint64_t stream, uint32_t s, uint32_t k)
{
    const uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    const uint32_t ctr[4] = {k, s, (uint32_t)stream, (uint32_t)(stream >> 32)};
    uint32_t o[4];
    rk_philox4x32_10(ctr, key, o);
    const uint64_t bits = ((uint64_t)o[0] << 32 | o[1]) >> 11;
    const double u = ((double)bits + 0.5) * 0x1p-53;
    return gsl_cdf_ugaussian_Pinv(u);
}

uint64_t rk_stream_factor(const char *name)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a 64 */
    for (const unsigned char *p = (const unsigned char *)name; *p; ++p)
        h = (h ^ *p) * 1099511628211u;
    return h | (uint64_t)1 << 63; /* factors: top bit set; entries: clear */
}

uint64_t rk_stream_entry(size_t entry, size_t target)
{
    return ((uint64_t)(entry + 1) << 32 | (uint32_t)target) & ~((uint64_t)1 << 63);
}

/* ======================================================================== */
/* Cholesky                                                                 */
/* ======================================================================== */

gfin_status rk_cholesky(double *a, size_t n)
{
    if (!n)
        return GFIN_OK;
    /* Positive definiteness first, on a copy, by the same recurrence (every
     * pivot must stay clearly positive): gsl_linalg_cholesky_decomp1 would
     * otherwise call GSL's process-wide error handler, which aborts. */
    double *t = gfin__calloc(n * n, sizeof *t);
    if (!t)
        return GFIN_ENOMEM;
    memcpy(t, a, n * n * sizeof *t);
    gfin_status st = GFIN_OK;
    for (size_t j = 0; j < n && !st; ++j) {
        double d = t[j * n + j];
        for (size_t k = 0; k < j; ++k)
            d -= t[j * n + k] * t[j * n + k];
        if (!(d > 1e-10)) {
            st = GFIN_EINVAL;
            break;
        }
        d = sqrt(d);
        t[j * n + j] = d;
        for (size_t i = j + 1; i < n; ++i) {
            double v = t[i * n + j];
            for (size_t k = 0; k < j; ++k)
                v -= t[i * n + k] * t[j * n + k];
            t[i * n + j] = v / d;
        }
    }
    gfin__free(t);
    if (st)
        return st;
    gsl_matrix_view m = gsl_matrix_view_array(a, n, n);
    if (gsl_linalg_cholesky_decomp1(&m.matrix) != GSL_SUCCESS)
        return GFIN_EINVAL;
    for (size_t i = 0; i < n; ++i) /* keep L: zero the upper triangle GSL leaves as L^T */
        for (size_t j = i + 1; j < n; ++j)
            a[i * n + j] = 0;
    return GFIN_OK;
}
