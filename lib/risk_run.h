/* risk_run.h -- one run of an experiment against a portfolio (docs/model.md
 * "Risk"): its plan (risk_plan.c), its jobs on threads (risk_run.c) and its
 * result (risk_result.c). Nothing outside these three files includes it. */
#ifndef GFIN_RISK_RUN_H
#define GFIN_RISK_RUN_H

#include "portfolio.h"
#include "risk_plan.h"
#include "table.h"

/* What every job reads, built once by rk_plan_build (read-only afterwards). */
typedef struct rk_plan {
    const gfin_risk *rk;
    gfin_portfolio *base;        /* the risk base */
    gfin_result *base_res;
    size_t np;
    int pf_start;
    bool fund;
    rk_targets *case_t;          /* flattened: case k's change i at case_off[k] + i */
    size_t *case_off;
    rk_targets *sens_t, *unc_t;
    int *unc_factor;             /* factor index, -1: own draws */
    size_t ns, ny;               /* factors per scenario / per year */
    size_t *fpos;                /* factor -> position in its group */
    size_t *fs, *fy;             /* position -> factor */
    double *ls, *ly;             /* Cholesky factors (row-major, lower) */
    size_t horizon;              /* calendar years of the base portfolio */
    size_t ncols;
    uint32_t *col_scope;
    gfin_metric *col_metric;
    size_t npm, nfm;
    gfin_metric pm[10], fm[6];
    double wcof;                 /* weighted_cost_of_funds */
    bool fx;                     /* an entry is fx_drift: the jobs set fx paths */
} rk_plan;

/* ---- the plan (risk_plan.c) ---- */
/* Checks the experiment against the portfolio and builds the plan; the plan
 * is to be freed with rk_plan_free whatever the outcome. */
gfin_status rk_plan_build(rk_plan *pl, const gfin_risk *rk, const gfin_portfolio *pf, int threads, gfin_error *err);
void rk_plan_free(rk_plan *pl);
/* The calendar years a project spans past the portfolio's start. */
size_t rk_project_end(const gfin_project *p, int pf_start);
/* One evaluation's sampled metrics, in column order, `stride` apart. */
void rk_extract(const rk_plan *pl, const gfin_result *r, double *row, size_t stride);

/* ---- the result (risk_result.c) ---- */
struct gfin_risk_result {
    size_t scenarios, first, count;
    uint64_t seed;
    char **scopes, **changes, **cases, **cols;
    size_t nscopes, nchanges, ncases, ncols;
    gfin_table *stats, *probs, *sens, *casetab, *samples;
    char **warnings;
    size_t nwarnings, capw;
};

/* The names of scopes, changes, cases and sample columns (GFIN_ENOMEM). */
gfin_status rk_result_labels(gfin_risk_result *r, const rk_plan *pl);
/* The statistics, probabilities, sensitivity and cases tables from the
 * samples (column c + 1 of n rows at samples + (c + 1) n), the deterministic
 * jobs' rows `det` (sensitivity low/high, then cases) and the base row. */
gfin_status rk_result_tables(gfin_risk_result *r, const rk_plan *pl, const double *samples, size_t n,
                             const double *det, const double *base);
/* Warnings of clipped values: per uncertainty (uclip of uapp values, summed
 * over the threads) and per deterministic change (dclip of dapp, indexed as
 * the jobs: sensitivity low/high, then each case's changes). */
gfin_status rk_result_warnings(gfin_risk_result *r, const rk_plan *pl, const size_t *uclip, const size_t *uapp,
                               const size_t *dclip, const size_t *dapp);

#endif /* GFIN_RISK_RUN_H */
