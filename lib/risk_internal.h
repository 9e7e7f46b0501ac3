/* risk_internal.h -- the risk engine's mathematics (docs/model.md "Risk"):
 * distributions and their inverse CDFs, counter-based random streams, the
 * Cholesky factor and the statistics of samples (risk_draw.c, risk_stats.c),
 * shared by the rest of the risk module and json_risk.c. */
#ifndef GFIN_RISK_INTERNAL_H
#define GFIN_RISK_INTERNAL_H

#include "core.h"

#include <stdint.h>

/* ---- distributions (risk_draw.c) ---- */
#define RK_NPARAMS 7
#define RK_MAX_DISCRETE 100000

struct gfin_risk_dist {
    gfin_risk_dist_type type;
    double p[RK_NPARAMS];
    unsigned set;            /* bit i: parameter i given */
    double *values, *cum;    /* discrete: values ascending, cumulative weights (last = 1) */
    double *weights;         /* as given (NULL: equal), for copies and output */
    double *given;           /* values as given */
    size_t n;
    /* derived by validate (rk_dist_prepare) */
    double lo_p, hi_p;       /* F(lower), F(upper) of a truncated normal/lognormal */
    double zeta, sigma;      /* lognormal log-mean and log-sd */
    double alpha, beta;      /* PERT */
    bool ready;
};

gfin_status rk_dist_prepare(gfin_risk_dist *d, gfin_error *err);
gfin_risk_dist *rk_dist_copy(const gfin_risk_dist *d);
/* F^-1(Phi(z)) of a prepared distribution: the value a standard-normal score draws. */
double rk_dist_from_score(const gfin_risk_dist *d, double z);
double rk_dist_quantile(const gfin_risk_dist *d, double u);

/* ---- random streams: Philox4x32-10 (Salmon et al., SC'11), counter-based ---- */
void rk_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);
/* A standard-normal score: draw `k` of stream `stream` in scenario s. */
double rk_normal(uint64_t seed, uint64_t stream, uint32_t s, uint32_t k);
/* The stream of a factor (by name) and of an unfactored uncertainty's target. */
uint64_t rk_stream_factor(const char *name);
uint64_t rk_stream_entry(size_t entry, size_t target);

/* Cholesky factor (lower, row-major n x n) of a correlation matrix, in place.
 * GFIN_EINVAL when it is not positive definite (checked before GSL sees it). */
gfin_status rk_cholesky(double *a, size_t n);

/* ---- statistics (risk_stats.c) ---- */
/* Statistics of x (NaN left out) using `scratch` of n doubles. */
void rk_statistics(const double *x, size_t n, size_t stride, double *scratch, double out[GFIN_RISK_STAT_COUNT]);

/* ---- the experiment (risk.c), for json_risk.c ---- */
const char *rk_change_key(const gfin_risk_change *c);
/* Output of a result. */
typedef struct rk_label {
    const char *scope, *metric, *change, *cases;
} rk_label;

#endif
