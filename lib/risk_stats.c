/* risk_stats.c -- statistics of per-scenario samples (docs/model.md "Risk"):
 * n, mean, sd (n - 1), min, q05, q10, q50, q90, q95, max over the samples
 * that have a value, quantiles by linear interpolation between order
 * statistics at h = (n - 1) p (numpy's default; GSL's
 * gsl_stats_quantile_from_sorted_data). The same function serves a run and
 * the merging of blocks, so both give the same bits. */
#include "risk_internal.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

void rk_statistics(const double *x, size_t n, size_t stride, double *scratch, double out[GFIN_RISK_STAT_COUNT])
{
    size_t m = 0;
    for (size_t i = 0; i < n; ++i)
        if (!isnan(x[i * stride]))
            scratch[m++] = x[i * stride];
    for (int k = 0; k < GFIN_RISK_STAT_COUNT; ++k)
        out[k] = NAN;
    out[GFIN_RISK_N] = (double)m;
    if (!m)
        return;
    /* Mean and sd in scenario order (GSL's running mean), then the order
     * statistics. */
    out[GFIN_RISK_STAT_MEAN] = gsl_stats_mean(scratch, 1, m);
    if (m > 1)
        out[GFIN_RISK_STAT_SD] = gsl_stats_sd_m(scratch, 1, m, out[GFIN_RISK_STAT_MEAN]);
    gsl_sort(scratch, 1, m);
    static const double P[] = {0.05, 0.10, 0.50, 0.90, 0.95};
    out[GFIN_RISK_STAT_MIN] = scratch[0];
    out[GFIN_RISK_STAT_MAX] = scratch[m - 1];
    for (int k = 0; k < 5; ++k)
        out[GFIN_RISK_Q05 + k] = gsl_stats_quantile_from_sorted_data(scratch, 1, m, P[k]);
}

gfin_status gfin_risk_statistics(const double *samples, size_t n, double out[GFIN_RISK_STAT_COUNT], gfin_error *err)
{
    if ((!samples && n) || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "samples and out must not be NULL");
    double *scratch = gfin__calloc(n ? n : 1, sizeof *scratch);
    if (!scratch)
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    rk_statistics(samples, n, 1, scratch, out);
    gfin__free(scratch);
    return GFIN_OK;
}
