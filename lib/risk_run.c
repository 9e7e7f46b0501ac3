/* risk_run.c -- running an experiment (docs/model.md "Risk"): the base case once,
 * then cases, sensitivity entries and scenarios as independent jobs on N
 * threads, each one a copy of the changed projects evaluated by the
 * portfolio's own code; then statistics, probabilities and the tables.
 *
 * Sized debt: the base portfolio is evaluated once and each sized loan then
 * joins its project as an ordinary loan (the "risk base"), so every job keeps
 * the base commitment and debt-service targets (docs/model.md "Precise rules"),
 * and loan keys reach it like any other loan. */
#include "risk_plan.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define RK_MAX_O 100          /* operating_years' bound: the energy multipliers of a project */
#define RK_MAX_H 512          /* calendar years a per-year factor may need: 1900..2200 + 15 + 100 */
#define RK_MAX_THREADS 256

/* ======================================================================== */
/* The plan                                                                 */
/* ======================================================================== */

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
} rk_plan;

static void plan_free(rk_plan *pl)
{
    const gfin_risk *rk = pl->rk;
    if (pl->case_t && rk)
        for (size_t i = 0; i < pl->case_off[rk->ncases]; ++i)
            gfin__free(pl->case_t[i].t);
    for (size_t i = 0; pl->sens_t && i < rk->nsens; ++i)
        gfin__free(pl->sens_t[i].t);
    for (size_t i = 0; pl->unc_t && i < rk->nunc; ++i)
        gfin__free(pl->unc_t[i].t);
    gfin__free(pl->case_t);
    gfin__free(pl->case_off);
    gfin__free(pl->sens_t);
    gfin__free(pl->unc_t);
    gfin__free(pl->unc_factor);
    gfin__free(pl->fpos);
    gfin__free(pl->fs);
    gfin__free(pl->fy);
    gfin__free(pl->ls);
    gfin__free(pl->ly);
    gfin__free(pl->col_scope);
    gfin__free(pl->col_metric);
    gfin_portfolio_free(pl->base);
    gfin_result_free(pl->base_res);
    memset(pl, 0, sizeof *pl);
}

static const char *pid(const gfin_project *p) { return gfin__p_str(gfin__project_store(p), GFIN_PROJECT_ID); }

/* The risk base: a copy of the portfolio where each project carries its sized
 * loan as an ordinary loan (sizing off), the portfolio's grid when it has
 * none, and its inherited discount_rate and start_year: the same evaluation,
 * with every key a change may touch present in the project itself. */
static gfin_status build_base(rk_plan *pl, const gfin_portfolio *pf, int threads, gfin_error *err)
{
    const size_t np = gfin_portfolio_project_count(pf);
    gfin_loan **sized = gfin__calloc(np ? np : 1, sizeof *sized);
    gfin_project_hooks *hk = gfin__calloc(np ? np : 1, sizeof *hk);
    gfin_project *p = NULL;
    gfin_status st = GFIN_OK;
    if (!sized || !hk)
        goto nomem;
    for (size_t i = 0; i < np; ++i)
        hk[i].sized_out = &sized[i];
    if ((st = gfin__portfolio_evaluate_ex(pf, threads, NULL, hk, &pl->base_res, err)))
        goto done;
    gfin_portfolio *b = pl->base = gfin_portfolio_new();
    const gfin_pstore *grid = gfin__portfolio_store(pf, GFIN_OBJ_GRID);
    if (!b || gfin__pstore_copy(gfin__portfolio_store_mut(b, GFIN_OBJ_PORTFOLIO),
                                gfin__portfolio_store(pf, GFIN_OBJ_PORTFOLIO)) ||
        gfin__pstore_copy(gfin__portfolio_store_mut(b, GFIN_OBJ_GRID), grid))
        goto nomem;
    if (gfin_portfolio_fund(pf) && (st = gfin_portfolio_set_fund(b, gfin_portfolio_fund(pf), err)))
        goto done;
    double v;
    const double start = gfin_portfolio_get(pf, GFIN_PORTFOLIO_START_YEAR, &v) == GFIN_OK ? v : 0;
    const double rate = gfin_portfolio_get(pf, GFIN_PORTFOLIO_DISCOUNT_RATE, &v) == GFIN_OK ? v : 0;
    pl->pf_start = (int)start;
    for (size_t i = 0; i < np; ++i) {
        if (!(p = gfin_project_copy(gfin_portfolio_project(pf, i))))
            goto nomem;
        gfin_pstore *sz = gfin__project_store_mut(p, GFIN_OBJ_DEBT_SIZING);
        gfin_pstore *pg = gfin__project_store_mut(p, GFIN_OBJ_GRID);
        gfin__pstore_clear(sz);
        bool own_grid = false;
        for (size_t k = 0; k < GFIN_STORE_SLOTS; ++k)
            own_grid |= pg->v[k].set;
        if (!own_grid && gfin__pstore_copy(pg, grid))
            goto nomem;
        /* Inherited keys, set where the project did not set them. */
        if (gfin_project_get(p, GFIN_PROJECT_DISCOUNT_RATE, &v) != GFIN_OK &&
            (st = gfin_project_set(p, GFIN_PROJECT_DISCOUNT_RATE, rate)))
            goto refused;
        if (gfin_project_get(p, GFIN_PROJECT_START_YEAR, &v) != GFIN_OK &&
            (st = gfin_project_set(p, GFIN_PROJECT_START_YEAR, start)))
            goto refused;
        if (sized[i]) {
            gfin_loan *l = sized[i];
            sized[i] = NULL;
            if ((st = gfin__project_adopt_loan(p, l, err)))
                goto done;
        }
        st = gfin__portfolio_take_project(b, p, err);
        p = NULL; /* taken, or freed on failure */
        if (st)
            goto done;
    }
    goto done;
refused:
    *err = *gfin_project_last_error(p);
    goto done;
nomem:
    st = gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
done:
    gfin_project_free(p);
    for (size_t i = 0; sized && i < np; ++i)
        gfin_loan_free(sized[i]);
    gfin__free(sized);
    gfin__free(hk);
    return st;
}

static double metric_or_nan(const gfin_result *r, int m)
{
    double v;
    return m >= 0 && gfin_result_metric(r, (gfin_metric)m, &v) == GFIN_OK ? v : NAN;
}

static bool has_metric(const gfin_result *r, int m)
{
    double v;
    return m >= 0 && gfin_result_metric(r, (gfin_metric)m, &v) != GFIN_EINVAL;
}

/* The sampled metrics (docs/model.md "Risk"): per project and for the portfolio;
 * the shortfalls where the evaluation carries them. */
static gfin_status plan_columns(rk_plan *pl, gfin_error *err)
{
    const gfin_result *b = pl->base_res;
    const gfin_metric pm[] = {GFIN_M_NPV, GFIN_M_PROJECT_IRR, GFIN_M_EQUITY_IRR, GFIN_M_MIN_DSCR, GFIN_M_LLCR,
                              GFIN_M_LCOE, GFIN_M_LIFETIME_REDUCTIONS_TCO2E};
    for (size_t k = 0; k < sizeof pm / sizeof pm[0]; ++k)
        pl->pm[pl->npm++] = pm[k];
    const int dss = gfin_metric_find("debt_service_shortfall"), fs = gfin_metric_find("fund_shortfall");
    if (pl->np && has_metric(gfin_result_child(b, 0), dss))
        pl->pm[pl->npm++] = (gfin_metric)dss;
    pl->fund = has_metric(b, GFIN_M_FUND_IRR);
    if (pl->fund)
        pl->fm[pl->nfm++] = GFIN_M_FUND_IRR;
    pl->fm[pl->nfm++] = GFIN_M_LIFETIME_REDUCTIONS_TCO2E;
    if (pl->fund) {
        pl->fm[pl->nfm++] = GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E;
        if (has_metric(b, fs))
            pl->fm[pl->nfm++] = (gfin_metric)fs;
    }
    pl->wcof = metric_or_nan(b, GFIN_M_WEIGHTED_COST_OF_FUNDS);
    pl->ncols = pl->nfm + pl->np * pl->npm;
    pl->col_scope = gfin__calloc(pl->ncols, sizeof *pl->col_scope);
    pl->col_metric = gfin__calloc(pl->ncols, sizeof *pl->col_metric);
    if (!pl->col_scope || !pl->col_metric)
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    size_t c = 0;
    for (size_t k = 0; k < pl->nfm; ++k, ++c)
        pl->col_metric[c] = pl->fm[k];
    for (size_t i = 0; i < pl->np; ++i)
        for (size_t k = 0; k < pl->npm; ++k, ++c) {
            pl->col_scope[c] = (uint32_t)(i + 1);
            pl->col_metric[c] = pl->pm[k];
        }
    return GFIN_OK;
}

/* One job's metrics, in column order, with `stride` between them. */
static void extract(const rk_plan *pl, const gfin_result *r, double *row, size_t stride)
{
    size_t c = 0;
    for (size_t k = 0; k < pl->nfm; ++k, ++c)
        row[c * stride] = metric_or_nan(r, pl->fm[k]);
    for (size_t i = 0; i < pl->np; ++i) {
        const gfin_result *pr = gfin_result_child(r, i);
        for (size_t k = 0; k < pl->npm; ++k, ++c)
            row[c * stride] = metric_or_nan(pr, pl->pm[k]);
    }
}

static gfin_status plan_factors(rk_plan *pl, gfin_error *err)
{
    const gfin_risk *rk = pl->rk;
    const size_t nf = rk->nfactors;
    pl->fpos = gfin__calloc(nf + 1, sizeof *pl->fpos);
    pl->fs = gfin__calloc(nf + 1, sizeof *pl->fs);
    pl->fy = gfin__calloc(nf + 1, sizeof *pl->fy);
    pl->unc_factor = gfin__calloc(rk->nunc + 1, sizeof *pl->unc_factor);
    if (!pl->fpos || !pl->fs || !pl->fy || !pl->unc_factor)
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    for (size_t f = 0; f < nf; ++f) {
        if (rk->factors[f].per == GFIN_RISK_PER_YEAR) {
            pl->fpos[f] = pl->ny;
            pl->fy[pl->ny++] = f;
        } else {
            pl->fpos[f] = pl->ns;
            pl->fs[pl->ns++] = f;
        }
    }
    char path[64];
    for (size_t i = 0; i < rk->nunc; ++i) {
        const rk_entry *e = &rk->unc[i];
        pl->unc_factor[i] = -1;
        if (!e->factor)
            continue;
        size_t f = 0;
        while (f < nf && strcmp(rk->factors[f].name, e->factor) != 0)
            f++;
        snprintf(path, sizeof path, "uncertainties[%zu].factor", i);
        if (f == nf) {
            const char *names[1000];
            for (size_t k = 0; k < nf; ++k)
                names[k] = rk->factors[k].name;
            const char *near = gfin__nearest_name(e->factor, names, nf);
            return gfin__fail(err, GFIN_EINVAL, path, "unknown factor '%.64s'%s%s%s", e->factor,
                              near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
        }
        if (rk->factors[f].per != e->per) {
            snprintf(path, sizeof path, "uncertainties[%zu].per", i);
            return gfin__fail(err, GFIN_EINVAL, path, "\"%s\" differs from its factor '%.64s', which is per \"%s\"",
                              gfin_risk_per_name(e->per), e->factor, gfin_risk_per_name(rk->factors[f].per));
        }
        pl->unc_factor[i] = (int)f;
    }
    /* Correlation matrices of each group, then their Cholesky factors. */
    pl->ls = gfin__calloc(pl->ns * pl->ns + 1, sizeof *pl->ls);
    pl->ly = gfin__calloc(pl->ny * pl->ny + 1, sizeof *pl->ly);
    if (!pl->ls || !pl->ly)
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    for (size_t k = 0; k < pl->ns; ++k)
        pl->ls[k * pl->ns + k] = 1;
    for (size_t k = 0; k < pl->ny; ++k)
        pl->ly[k * pl->ny + k] = 1;
    for (size_t c = 0; c < rk->ncorr; ++c) {
        const rk_corr *x = &rk->corr[c];
        size_t a = nf, b = nf;
        for (size_t f = 0; f < nf; ++f) {
            if (strcmp(rk->factors[f].name, x->a) == 0)
                a = f;
            if (strcmp(rk->factors[f].name, x->b) == 0)
                b = f;
        }
        snprintf(path, sizeof path, "correlations[%zu]", c);
        if (a == nf || b == nf)
            return gfin__fail(err, GFIN_EINVAL, path, "unknown factor '%.64s'", a == nf ? x->a : x->b);
        if (rk->factors[a].per != rk->factors[b].per)
            return gfin__fail(err, GFIN_EINVAL, path, "correlates '%.64s' (per \"%s\") with '%.64s' (per \"%s\"): "
                              "factors of different per cannot be correlated", x->a,
                              gfin_risk_per_name(rk->factors[a].per), x->b, gfin_risk_per_name(rk->factors[b].per));
        const bool year = rk->factors[a].per == GFIN_RISK_PER_YEAR;
        double *m = year ? pl->ly : pl->ls;
        const size_t n = year ? pl->ny : pl->ns;
        m[pl->fpos[a] * n + pl->fpos[b]] = m[pl->fpos[b] * n + pl->fpos[a]] = x->rho;
    }
    for (int g = 0; g < 2; ++g) {
        gfin_status st = rk_cholesky(g ? pl->ly : pl->ls, g ? pl->ny : pl->ns);
        if (st == GFIN_ENOMEM)
            return gfin__fail(err, st, "correlations", "out of memory");
        if (st)
            return gfin__fail(err, st, "correlations", "the correlation matrix of the per \"%s\" factors is not "
                              "positive definite", g ? "year" : "scenario");
    }
    return GFIN_OK;
}

static gfin_status plan_targets(rk_plan *pl, gfin_error *err)
{
    const gfin_risk *rk = pl->rk;
    char path[64];
    pl->case_off = gfin__calloc(rk->ncases + 1, sizeof *pl->case_off);
    if (!pl->case_off)
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    for (size_t k = 0; k < rk->ncases; ++k)
        pl->case_off[k + 1] = pl->case_off[k] + rk->cases[k].n;
    pl->case_t = gfin__calloc(pl->case_off[rk->ncases] + 1, sizeof *pl->case_t);
    pl->sens_t = gfin__calloc(rk->nsens + 1, sizeof *pl->sens_t);
    pl->unc_t = gfin__calloc(rk->nunc + 1, sizeof *pl->unc_t);
    if (!pl->case_t || !pl->sens_t || !pl->unc_t)
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    gfin_status st;
    for (size_t k = 0; k < rk->ncases; ++k)
        for (size_t i = 0; i < rk->cases[k].n; ++i) {
            snprintf(path, sizeof path, "cases[%zu].changes[%zu]", k, i);
            if ((st = rk_targets_resolve(&rk->cases[k].changes[i].ch, pl->base, path, &pl->case_t[pl->case_off[k] + i],
                                         err)))
                return st;
        }
    for (size_t i = 0; i < rk->nsens; ++i) {
        snprintf(path, sizeof path, "sensitivity[%zu]", i);
        if ((st = rk_targets_resolve(&rk->sens[i].ch, pl->base, path, &pl->sens_t[i], err)))
            return st;
    }
    for (size_t i = 0; i < rk->nunc; ++i) {
        snprintf(path, sizeof path, "uncertainties[%zu]", i);
        if ((st = rk_targets_resolve(&rk->unc[i].ch, pl->base, path, &pl->unc_t[i], err)))
            return st;
        if (pl->unc_t[i].n > UINT32_MAX)
            return gfin__fail(err, GFIN_EINVAL, path, "touches more than 2^32 targets");
    }
    return GFIN_OK;
}

/* The calendar years a project spans past the portfolio's start. */
static size_t project_end(const gfin_project *p, int pf_start)
{
    double sy = 0, c = 0, o = 0;
    (void)gfin_project_get(p, GFIN_PROJECT_START_YEAR, &sy);
    (void)gfin_project_get(p, GFIN_PROJECT_CONSTRUCTION_YEARS, &c);
    (void)gfin_project_get(p, GFIN_PROJECT_OPERATING_YEARS, &o);
    const double end = sy - pf_start + c + o;
    return end > 0 ? (size_t)end : 0;
}

static gfin_status plan_build(rk_plan *pl, const gfin_risk *rk, const gfin_portfolio *pf, int threads,
                              gfin_error *err)
{
    memset(pl, 0, sizeof *pl);
    pl->rk = rk;
    if (!rk || !pf)
        return gfin__fail(err, GFIN_EINVAL, "", "risk and portfolio must not be NULL");
    gfin_status st;
    if ((st = gfin_portfolio_validate(pf, err)))
        return st;
    pl->np = gfin_portfolio_project_count(pf);
    if ((st = plan_factors(pl, err)) || (st = build_base(pl, pf, threads, err)) || (st = plan_targets(pl, err)) ||
        (st = plan_columns(pl, err)))
        return st;
    for (size_t i = 0; i < pl->np; ++i) {
        const size_t end = project_end(gfin_portfolio_project(pl->base, i), pl->pf_start);
        if (end > pl->horizon)
            pl->horizon = end;
    }
    return GFIN_OK;
}

gfin_status gfin_risk_validate(const gfin_risk *rk, const gfin_portfolio *pf, gfin_error *err)
{
    rk_plan pl;
    gfin_status st = plan_build(&pl, rk, pf, 0, err);
    plan_free(&pl);
    return st;
}

/* ======================================================================== */
/* Jobs                                                                     */
/* ======================================================================== */

/* A worker's scratch: copies of the projects the current job changes, their
 * energy multipliers, the factor scores of the current scenario. */
typedef struct rk_thread {
    const rk_plan *pl;
    gfin_project **copy;
    size_t *touched, ntouched;
    double **energy;
    bool *eon;
    gfin_project_hooks *hooks;
    double *zs, *zy, *e, *buf;
    uint32_t s;
    size_t *uclip, *uapp;        /* per uncertainty, summed over this thread's scenarios */
} rk_thread;

static void thread_free(rk_thread *th)
{
    for (size_t i = 0; th->copy && i < th->pl->np; ++i)
        gfin_project_free(th->copy[i]);
    for (size_t i = 0; th->energy && i < th->pl->np; ++i)
        gfin__free(th->energy[i]);
    gfin__free(th->copy);
    gfin__free(th->touched);
    gfin__free(th->energy);
    gfin__free(th->eon);
    gfin__free(th->hooks);
    gfin__free(th->zs);
    gfin__free(th->zy);
    gfin__free(th->e);
    gfin__free(th->buf);
    gfin__free(th->uclip);
    gfin__free(th->uapp);
}

static gfin_status thread_init(rk_thread *th, const rk_plan *pl)
{
    memset(th, 0, sizeof *th);
    th->pl = pl;
    const size_t np = pl->np ? pl->np : 1, nf = pl->ns + pl->ny + 1, nu = pl->rk->nunc + 1;
    th->copy = gfin__calloc(np, sizeof *th->copy);
    th->touched = gfin__calloc(np, sizeof *th->touched);
    th->energy = gfin__calloc(np, sizeof *th->energy);
    th->eon = gfin__calloc(np, sizeof *th->eon);
    th->hooks = gfin__calloc(np, sizeof *th->hooks);
    th->zs = gfin__calloc(pl->ns + 1, sizeof *th->zs);
    th->zy = gfin__calloc((pl->ny + 1) * RK_MAX_H, sizeof *th->zy);
    th->e = gfin__calloc(nf, sizeof *th->e);
    th->buf = gfin__calloc(1200, sizeof *th->buf); /* the longest array key */
    th->uclip = gfin__calloc(nu, sizeof *th->uclip);
    th->uapp = gfin__calloc(nu, sizeof *th->uapp);
    if (!th->copy || !th->touched || !th->energy || !th->eon || !th->hooks || !th->zs || !th->zy || !th->e ||
        !th->buf || !th->uclip || !th->uapp)
        return GFIN_ENOMEM;
    return GFIN_OK;
}

static void job_reset(rk_thread *th)
{
    for (size_t k = 0; k < th->ntouched; ++k) {
        const size_t p = th->touched[k];
        gfin_project_free(th->copy[p]);
        th->copy[p] = NULL;
        th->eon[p] = false;
        th->hooks[p].energy = NULL;
    }
    th->ntouched = 0;
}

static gfin_project *get_copy(rk_thread *th, size_t p)
{
    if (!th->copy[p]) {
        if (!(th->copy[p] = gfin_project_copy(gfin_portfolio_project(th->pl->base, p))))
            return NULL;
        th->touched[th->ntouched++] = p;
    }
    return th->copy[p];
}

static double *get_energy(rk_thread *th, size_t p)
{
    if (!th->energy[p] && !(th->energy[p] = gfin__calloc(RK_MAX_O, sizeof(double))))
        return NULL;
    if (!th->eon[p]) {
        for (size_t j = 0; j < RK_MAX_O; ++j)
            th->energy[p][j] = 1;
        th->eon[p] = true;
        th->hooks[p].energy = th->energy[p];
        th->hooks[p].energy_len = RK_MAX_O;
    }
    return th->energy[p];
}

static double combine(gfin_risk_apply a, double base, double v)
{
    return a == GFIN_RISK_SCALE ? base * v : a == GFIN_RISK_ADD ? base + v : v;
}

/* Clips x into the key's bounds (an open bound to the nearest value inside
 * it), rounds an integer key half away from zero and takes the nearest
 * allowed value; true when a bound or the allowed list moved it. */
static bool clip_to(const gfin_param_def *d, double *x)
{
    double v = *x;
    if (d->type == GFIN_PARAM_INTEGER)
        v = round(v);
    const double orig = v;
    double lo = d->min, hi = d->max;
    if (d->flags & GFIN_PF_MIN_EXCL)
        lo = d->type == GFIN_PARAM_INTEGER ? floor(lo) + 1 : nextafter(lo, INFINITY);
    if (d->flags & GFIN_PF_MAX_EXCL)
        hi = d->type == GFIN_PARAM_INTEGER ? ceil(hi) - 1 : nextafter(hi, -INFINITY);
    if (isnan(v) || v < lo)
        v = lo;
    if (v > hi)
        v = hi;
    if (d->allowed) {
        double best = d->allowed[0];
        for (size_t i = 1; !isnan(d->allowed[i]); ++i)
            if (fabs(d->allowed[i] - v) < fabs(best - v))
                best = d->allowed[i];
        v = best;
    }
    *x = v;
    return v != orig;
}

/* Applies value v of change ch to a project copy (loan `loan`, or the project
 * and its grid when -1). A key without a value is skipped by scale and add. */
static gfin_status apply_key(rk_thread *th, gfin_project *cp, int loan, const gfin_risk_change *ch, double v,
                             size_t *clip, size_t *app, gfin_error *err)
{
    const gfin_param_def *d = ch->def;
    const gfin_key key = (gfin_key)d->key;
    gfin_loan *l = loan >= 0 ? gfin__project_loan_mut(cp, (size_t)loan) : NULL;
    gfin_status st;
    if (d->type == GFIN_PARAM_ARRAY) {
        const double *a = NULL;
        size_t n = 0;
        st = l ? gfin_loan_get_array(l, key, &a, &n) : gfin_project_get_array(cp, key, &a, &n);
        if (st || !n)
            return GFIN_OK; /* element by element: nothing to change */
        for (size_t i = 0; i < n; ++i) {
            th->buf[i] = combine(ch->apply, a[i], v);
            *clip += clip_to(d, &th->buf[i]);
            ++*app;
        }
        st = l ? gfin_loan_set_array(l, key, th->buf, n) : gfin_project_set_array(cp, key, th->buf, n);
    } else {
        double base = 0;
        if ((l ? gfin_loan_get(l, key, &base) : gfin_project_get(cp, key, &base)) != GFIN_OK &&
            ch->apply != GFIN_RISK_SET)
            return GFIN_OK;
        double x = combine(ch->apply, base, v);
        *clip += clip_to(d, &x);
        ++*app;
        st = l ? gfin_loan_set(l, key, x) : gfin_project_set(cp, key, x);
    }
    if (st && err)
        *err = l ? *gfin_loan_last_error(l) : *gfin_project_last_error(cp);
    return st;
}

/* The score of an uncertainty's target t (calendar-year index y for per-year
 * draws), and the value it draws. */
static double draw(const rk_thread *th, size_t ei, size_t t, size_t y)
{
    const rk_plan *pl = th->pl;
    const rk_entry *e = &pl->rk->unc[ei];
    const int f = pl->unc_factor[ei];
    double z;
    if (f >= 0)
        z = e->per == GFIN_RISK_PER_YEAR ? th->zy[pl->fpos[f] * RK_MAX_H + y] : th->zs[pl->fpos[f]];
    else
        z = rk_normal(pl->rk->seed, rk_stream_entry(ei, t), th->s, (uint32_t)(e->per == GFIN_RISK_PER_YEAR ? y : 0));
    return rk_dist_from_score(e->dist, z);
}

/* One entry on its targets: `fixed` for cases and sensitivity, drawn for
 * uncertainty `ei` (draws true). energy_pass: only energy entries, else only
 * the others. */
static gfin_status apply_entry(rk_thread *th, const rk_entry *e, const rk_targets *tg, bool drawn, size_t ei,
                               double fixed, bool energy_pass, size_t *clip, size_t *app, gfin_error *err)
{
    const rk_plan *pl = th->pl;
    const gfin_risk_change *ch = &e->ch;
    if ((ch->kind == RK_ENERGY) != energy_pass)
        return GFIN_OK;
    const bool per_year = drawn && e->per == GFIN_RISK_PER_YEAR;
    /* A factored per-scenario draw is the same for every target. */
    const bool shared = drawn && !per_year && pl->unc_factor[ei] >= 0;
    const double once = shared ? draw(th, ei, 0, 0) : fixed;
    for (size_t t = 0; t < tg->n; ++t) {
        const size_t p = tg->t[t].project;
        gfin_project *cp = get_copy(th, p);
        if (!cp)
            return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
        const double v = drawn && !shared && !per_year ? draw(th, ei, t, 0) : once;
        if (ch->kind != RK_ENERGY) {
            gfin_status st = apply_key(th, cp, tg->t[t].loan, ch, v, clip, app, err);
            if (st)
                return st;
            continue;
        }
        double *en = get_energy(th, p);
        if (!en)
            return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
        double sy = 0, c = 0, o = 0;
        (void)gfin_project_get(cp, GFIN_PROJECT_START_YEAR, &sy);
        (void)gfin_project_get(cp, GFIN_PROJECT_CONSTRUCTION_YEARS, &c);
        (void)gfin_project_get(cp, GFIN_PROJECT_OPERATING_YEARS, &o);
        for (size_t j = 0; j < (size_t)o && j < RK_MAX_O; ++j) {
            const int cal = (int)sy + (int)c + (int)j;
            if (ch->first_year && (cal < ch->first_year || cal > ch->last_year))
                continue;
            const int y = cal - pl->pf_start;
            if (y < 0 || y >= RK_MAX_H)
                continue;
            double x = combine(ch->apply, en[j], per_year ? draw(th, ei, t, (size_t)y) : v);
            if (!(x >= 0)) { /* energy's bounds: [0, inf) */
                x = 0;
                ++*clip;
            }
            ++*app;
            en[j] = x;
        }
    }
    return GFIN_OK;
}

/* Factor scores of scenario s: e independent per factor (and year), L e
 * correlated, then per year z_1 = u_1, z_j = rho z_(j-1) + sqrt(1 - rho^2) u_j. */
static void factor_scores(rk_thread *th, size_t horizon)
{
    const rk_plan *pl = th->pl;
    const gfin_risk *rk = pl->rk;
    for (size_t k = 0; k < pl->ns; ++k)
        th->e[k] = rk_normal(rk->seed, rk->factors[pl->fs[k]].stream, th->s, 0);
    for (size_t k = 0; k < pl->ns; ++k) {
        double u = 0;
        for (size_t m = 0; m <= k; ++m)
            u += pl->ls[k * pl->ns + m] * th->e[m];
        th->zs[k] = u;
    }
    for (size_t y = 0; pl->ny && y < horizon; ++y) {
        for (size_t k = 0; k < pl->ny; ++k)
            th->e[k] = rk_normal(rk->seed, rk->factors[pl->fy[k]].stream, th->s, (uint32_t)y);
        for (size_t k = 0; k < pl->ny; ++k) {
            double u = 0;
            for (size_t m = 0; m <= k; ++m)
                u += pl->ly[k * pl->ny + m] * th->e[m];
            const double rho = rk->factors[pl->fy[k]].rho;
            double *z = &th->zy[k * RK_MAX_H];
            z[y] = y ? rho * z[y - 1] + sqrt(1 - rho * rho) * u : u;
        }
    }
}

typedef struct rk_shared {
    const rk_plan *pl;
    size_t first, count, ndet, njobs;
    double *det;                 /* ndet x ncols, row-major */
    double *samples;             /* column c + 1 of count rows, column-major (column 0: scenario) */
    size_t *dclip, *dapp;        /* per case change / sensitivity side */
    size_t next, failed;
    gfin_error ferr;
    gfin_status fst;
    size_t done, reported, step;
    bool cancelled;
    pthread_mutex_t lock;
} rk_shared;

/* Job j: sensitivity entry j/2 at low (even) or high (odd), then the cases,
 * then scenarios first, first + 1, ... */
static gfin_status run_job(rk_thread *th, rk_shared *sh, size_t j, gfin_error *err)
{
    const rk_plan *pl = th->pl;
    const gfin_risk *rk = pl->rk;
    const size_t nsj = 2 * rk->nsens;
    gfin_status st = GFIN_OK;
    job_reset(th);
    for (int pass = 0; pass < 2 && !st; ++pass) {
        const bool energy = pass == 1;
        if (j < nsj) {
            const rk_entry *e = &rk->sens[j / 2];
            st = apply_entry(th, e, &pl->sens_t[j / 2], false, 0, j % 2 ? e->high : e->low, energy, &sh->dclip[j],
                             &sh->dapp[j], err);
        } else if (j < sh->ndet) {
            const size_t k = j - nsj, off = nsj + pl->case_off[k];
            for (size_t i = 0; i < rk->cases[k].n && !st; ++i)
                st = apply_entry(th, &rk->cases[k].changes[i], &pl->case_t[pl->case_off[k] + i], false, 0,
                                 rk->cases[k].changes[i].value, energy, &sh->dclip[off + i], &sh->dapp[off + i], err);
        } else {
            th->s = (uint32_t)(sh->first + (j - sh->ndet));
            if (!energy) {
                factor_scores(th, 0); /* per scenario */
            } else if (pl->ny) {
                /* Per year, once the other changes fixed each project's years. */
                size_t horizon = pl->horizon;
                for (size_t k = 0; k < th->ntouched; ++k) {
                    const size_t end = project_end(th->copy[th->touched[k]], pl->pf_start);
                    horizon = end > horizon ? end : horizon;
                }
                factor_scores(th, horizon < RK_MAX_H ? horizon : RK_MAX_H);
            }
            for (size_t i = 0; i < rk->nunc && !st; ++i)
                st = apply_entry(th, &rk->unc[i], &pl->unc_t[i], true, i, 0, energy, &th->uclip[i], &th->uapp[i],
                                 err);
        }
    }
    if (st)
        return st;
    gfin_result *res = NULL;
    if ((st = gfin__portfolio_evaluate_ex(pl->base, 1, (const gfin_project *const *)th->copy, th->hooks, &res, err)))
        return st;
    if (j < sh->ndet)
        extract(pl, res, sh->det + j * pl->ncols, 1);
    else
        extract(pl, res, sh->samples + sh->count + (j - sh->ndet), sh->count);
    gfin_result_free(res);
    return GFIN_OK;
}

static void fail_job(rk_shared *sh, size_t j, gfin_status st, const gfin_error *e)
{
    pthread_mutex_lock(&sh->lock);
    if (j < sh->failed) {
        const rk_plan *pl = sh->pl;
        const size_t nsj = 2 * pl->rk->nsens;
        char label[64];
        if (j < nsj)
            snprintf(label, sizeof label, "sensitivity[%zu] %s", j / 2, j % 2 ? "high" : "low");
        else if (j < sh->ndet)
            snprintf(label, sizeof label, "cases[%zu]", j - nsj);
        else
            snprintf(label, sizeof label, "scenario %zu", sh->first + (j - sh->ndet));
        sh->failed = j;
        sh->fst = st;
        sh->ferr = *e;
        if (st != GFIN_ENOMEM) {
            /* The job, then the model's own path, as far as the record holds. */
            size_t used = strlen(label);
            memcpy(sh->ferr.path, label, used + 1);
            if (e->path[0] && used + 2 < sizeof sh->ferr.path) {
                memcpy(sh->ferr.path + used, ": ", 3);
                gfin__strlcpy(sh->ferr.path + used + 2, e->path, sizeof sh->ferr.path - used - 2);
            }
        }
    }
    pthread_mutex_unlock(&sh->lock);
}

typedef struct rk_worker {
    rk_shared *sh;
    rk_thread th;
    gfin_status init;
} rk_worker;

static void *worker(void *arg)
{
    rk_worker *w = arg;
    rk_shared *sh = w->sh;
    const gfin_risk *rk = sh->pl->rk;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        const size_t j = sh->next++;
        const bool stop = j >= sh->njobs || j > sh->failed || sh->cancelled;
        pthread_mutex_unlock(&sh->lock);
        if (stop)
            break;
        gfin_error e = {0};
        gfin_status st = run_job(&w->th, sh, j, &e);
        if (st) {
            fail_job(sh, j, st, &e);
            continue;
        }
        if (j >= sh->ndet && rk->progress) {
            pthread_mutex_lock(&sh->lock);
            sh->done++;
            if (!sh->cancelled && (sh->done - sh->reported >= sh->step || sh->done == sh->count)) {
                sh->reported = sh->done;
                if (rk->progress(rk->user, sh->done, sh->count))
                    sh->cancelled = true;
            }
            pthread_mutex_unlock(&sh->lock);
        }
    }
    job_reset(&w->th);
    return NULL;
}

/* ======================================================================== */
/* The result                                                               */
/* ======================================================================== */

struct gfin_risk_result {
    size_t scenarios, first, count;
    uint64_t seed;
    char **scopes, **changes, **cases, **cols;
    size_t nscopes, nchanges, ncases, ncols;
    gfin_table *stats, *probs, *sens, *casetab, *samples;
    char **warnings;
    size_t nwarnings, capw;
};

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; ++i)
        gfin__free(v[i]);
    gfin__free(v);
}

void gfin_risk_result_free(gfin_risk_result *r)
{
    if (!r)
        return;
    strv_free(r->scopes, r->nscopes);
    strv_free(r->changes, r->nchanges);
    strv_free(r->cases, r->ncases);
    strv_free(r->cols, r->ncols + 1);
    strv_free(r->warnings, r->nwarnings);
    gfin_table_free(r->stats);
    gfin_table_free(r->probs);
    gfin_table_free(r->sens);
    gfin_table_free(r->casetab);
    gfin_table_free(r->samples);
    gfin__free(r);
}

static gfin_status warn(gfin_risk_result *r, const char *fmt, ...) GFIN_PRINTF(2, 3);
static gfin_status warn(gfin_risk_result *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *copy = gfin__strdup(buf);
    if (!copy || gfin__grow((void **)&r->warnings, &r->capw, r->nwarnings + 1, sizeof *r->warnings)) {
        gfin__free(copy);
        return GFIN_ENOMEM;
    }
    r->warnings[r->nwarnings++] = copy;
    return GFIN_OK;
}

static char *dup_fmt(const char *a, const char *b)
{
    const size_t n = strlen(a) + strlen(b) + 2;
    char *s = gfin__malloc(n);
    if (s)
        snprintf(s, n, "%s.%s", a, b);
    return s;
}

static const char *const STAT_COLS[] = {"scope", "metric", "n", "mean", "sd", "min", "q05", "q10", "q50", "q90",
                                        "q95", "max"};
/* sized as the names: gfin__table_new reads one kind per column (0: a number) */
static const unsigned char STAT_KINDS[sizeof STAT_COLS / sizeof STAT_COLS[0]] = {GFIN_COL_INTEGER, GFIN_COL_INTEGER, GFIN_COL_INTEGER};
static const char *const PROB_COLS[] = {"scope", "metric", "value"};
static const unsigned char PROB_KINDS[sizeof PROB_COLS / sizeof PROB_COLS[0]] = {GFIN_COL_INTEGER, GFIN_COL_INTEGER};
static const char *const SENS_COLS[] = {"change", "scope", "metric", "base", "at_low", "at_high", "swing"};
static const unsigned char SENS_KINDS[sizeof SENS_COLS / sizeof SENS_COLS[0]] = {GFIN_COL_INTEGER, GFIN_COL_INTEGER, GFIN_COL_INTEGER};
static const char *const CASE_COLS[] = {"case", "scope", "metric", "base", "value", "difference"};
static const unsigned char CASE_KINDS[sizeof CASE_COLS / sizeof CASE_COLS[0]] = {GFIN_COL_INTEGER, GFIN_COL_INTEGER, GFIN_COL_INTEGER};

static gfin_status result_labels(gfin_risk_result *r, const rk_plan *pl)
{
    const gfin_risk *rk = pl->rk;
    r->scopes = gfin__calloc(pl->np + 1, sizeof *r->scopes);
    r->changes = gfin__calloc(rk->nsens + 1, sizeof *r->changes);
    r->cases = gfin__calloc(rk->ncases + 1, sizeof *r->cases);
    r->cols = gfin__calloc(pl->ncols + 1, sizeof *r->cols);
    if (!r->scopes || !r->changes || !r->cases || !r->cols)
        return GFIN_ENOMEM;
    r->nscopes = pl->np + 1;
    r->nchanges = rk->nsens;
    r->ncases = rk->ncases;
    r->ncols = pl->ncols;
    if (!(r->scopes[0] = gfin__strdup("portfolio")) || !(r->cols[0] = gfin__strdup("scenario")))
        return GFIN_ENOMEM;
    for (size_t i = 0; i < pl->np; ++i)
        if (!(r->scopes[i + 1] = gfin__strdup(pid(gfin_portfolio_project(pl->base, i)))))
            return GFIN_ENOMEM;
    char label[300];
    for (size_t i = 0; i < rk->nsens; ++i) {
        rk_change_label(&rk->sens[i].ch, label, sizeof label);
        if (!(r->changes[i] = gfin__strdup(label)))
            return GFIN_ENOMEM;
    }
    for (size_t k = 0; k < rk->ncases; ++k)
        if (!(r->cases[k] = gfin__strdup(rk->cases[k].name)))
            return GFIN_ENOMEM;
    for (size_t c = 0; c < pl->ncols; ++c)
        if (!(r->cols[c + 1] = dup_fmt(r->scopes[pl->col_scope[c]], gfin_metric_name(pl->col_metric[c]))))
            return GFIN_ENOMEM;
    return GFIN_OK;
}

/* Share of the block's scenarios where column c is below `limit` (a missing
 * value is not below). */
static double share_below(const double *col, size_t n, double limit)
{
    size_t k = 0;
    for (size_t i = 0; i < n; ++i)
        k += col[i] < limit;
    return (double)k / (double)n;
}

static size_t column_of(const rk_plan *pl, size_t scope, gfin_metric m)
{
    for (size_t c = 0; c < pl->ncols; ++c)
        if (pl->col_scope[c] == scope && pl->col_metric[c] == m)
            return c;
    return (size_t)-1;
}

static gfin_status result_tables(gfin_risk_result *r, const rk_plan *pl, const rk_shared *sh, const double *base)
{
    const gfin_risk *rk = pl->rk;
    const size_t nc = pl->ncols, n = sh->count;
    /* statistics */
    if (!(r->stats = gfin__table_new(nc, 12, STAT_COLS, STAT_KINDS)))
        return GFIN_ENOMEM;
    double *scratch = gfin__calloc(n, sizeof *scratch);
    if (!scratch)
        return GFIN_ENOMEM;
    for (size_t c = 0; c < nc; ++c) {
        double st[GFIN_RISK_STAT_COUNT];
        rk_statistics(sh->samples + (c + 1) * n, n, 1, scratch, st);
        gfin__col(r->stats, 0)[c] = pl->col_scope[c];
        gfin__col(r->stats, 1)[c] = pl->col_metric[c];
        for (int k = 0; k < GFIN_RISK_STAT_COUNT; ++k)
            gfin__col(r->stats, 2 + (size_t)k)[c] = st[k];
    }
    gfin__free(scratch);
    /* probabilities */
    double pv[8 + 4 * 1];
    size_t rows = (pl->fund ? 1 : 0) + (pl->np ? 1 : 0) + pl->np * (isnan(rk->hurdle) ? 3 : 4);
    if (!(r->probs = gfin__table_new(rows, 3, PROB_COLS, PROB_KINDS)))
        return GFIN_ENOMEM;
    size_t row = 0;
    double *ps = gfin__col(r->probs, 0), *pm = gfin__col(r->probs, 1), *pvv = gfin__col(r->probs, 2);
#define COL(scope, m) (sh->samples + (column_of(pl, scope, m) + 1) * n)
    if (pl->fund) {
        ps[row] = 0;
        pm[row] = GFIN_M_P_FUND_IRR_BELOW_COST_OF_FUNDS;
        pvv[row++] = isnan(pl->wcof) ? NAN : share_below(COL(0, GFIN_M_FUND_IRR), n, pl->wcof);
    }
    if (pl->np) {
        size_t k = 0;
        for (size_t i = 0; i < n; ++i) {
            bool any = false;
            for (size_t p = 0; p < pl->np && !any; ++p)
                any = COL(p + 1, GFIN_M_MIN_DSCR)[i] < 1;
            k += any;
        }
        ps[row] = 0;
        pm[row] = GFIN_M_P_ANY_MIN_DSCR_BELOW_1;
        pvv[row++] = (double)k / (double)n;
    }
    for (size_t p = 1; p <= pl->np; ++p) {
        const gfin_metric ms[] = {GFIN_M_P_MIN_DSCR_BELOW_1, GFIN_M_P_MIN_DSCR_BELOW_COVENANT, GFIN_M_P_NPV_NEGATIVE,
                                  GFIN_M_P_EQUITY_IRR_BELOW_HURDLE};
        pv[0] = share_below(COL(p, GFIN_M_MIN_DSCR), n, 1);
        pv[1] = share_below(COL(p, GFIN_M_MIN_DSCR), n, rk->covenant);
        pv[2] = share_below(COL(p, GFIN_M_NPV), n, 0);
        pv[3] = isnan(rk->hurdle) ? NAN : share_below(COL(p, GFIN_M_EQUITY_IRR), n, rk->hurdle);
        for (size_t k = 0; k < (isnan(rk->hurdle) ? 3u : 4u); ++k, ++row) {
            ps[row] = (double)p;
            pm[row] = ms[k];
            pvv[row] = pv[k];
        }
    }
#undef COL
    /* sensitivity: per scope and metric, entries by swing, largest first */
    if (!(r->sens = gfin__table_new(rk->nsens * nc, 7, SENS_COLS, SENS_KINDS)))
        return GFIN_ENOMEM;
    size_t *order = gfin__calloc(rk->nsens + 1, sizeof *order);
    double *swing = gfin__calloc(rk->nsens + 1, sizeof *swing);
    if (!order || !swing) {
        gfin__free(order);
        gfin__free(swing);
        return GFIN_ENOMEM;
    }
    row = 0;
    for (size_t c = 0; c < nc; ++c) {
        for (size_t e = 0; e < rk->nsens; ++e) {
            swing[e] = fabs(sh->det[(2 * e + 1) * nc + c] - sh->det[2 * e * nc + c]);
            size_t k = e; /* insertion: stable, NaN swings last */
            while (k > 0 && (isnan(swing[order[k - 1]]) ? !isnan(swing[e]) : swing[order[k - 1]] < swing[e])) {
                order[k] = order[k - 1];
                k--;
            }
            order[k] = e;
        }
        for (size_t k = 0; k < rk->nsens; ++k, ++row) {
            const size_t e = order[k];
            const double values[7] = {(double)e, pl->col_scope[c], pl->col_metric[c], base[c],
                                      sh->det[2 * e * nc + c], sh->det[(2 * e + 1) * nc + c], swing[e]};
            for (size_t j = 0; j < 7; ++j)
                gfin__col(r->sens, j)[row] = values[j];
        }
    }
    gfin__free(order);
    gfin__free(swing);
    /* cases */
    if (!(r->casetab = gfin__table_new(rk->ncases * nc, 6, CASE_COLS, CASE_KINDS)))
        return GFIN_ENOMEM;
    row = 0;
    for (size_t k = 0; k < rk->ncases; ++k)
        for (size_t c = 0; c < nc; ++c, ++row) {
            const double v = sh->det[(2 * rk->nsens + k) * nc + c];
            const double values[6] = {(double)k, pl->col_scope[c], pl->col_metric[c], base[c], v, v - base[c]};
            for (size_t j = 0; j < 6; ++j)
                gfin__col(r->casetab, j)[row] = values[j];
        }
    return GFIN_OK;
}

static gfin_status result_warnings(gfin_risk_result *r, const rk_plan *pl, const rk_shared *sh,
                                   const rk_worker *w, size_t nthreads)
{
    const gfin_risk *rk = pl->rk;
    char label[300];
    gfin_status st = GFIN_OK;
    for (size_t i = 0; i < rk->nunc && !st; ++i) {
        size_t clip = 0, app = 0;
        for (size_t t = 0; t < nthreads; ++t) {
            clip += w[t].th.uclip[i];
            app += w[t].th.uapp[i];
        }
        rk_change_label(&rk->unc[i].ch, label, sizeof label);
        if (clip)
            st = warn(r, "uncertainties[%zu] (%s): %zu of %zu drawn values clipped to the bounds of %s", i, label,
                      clip, app, rk->unc[i].ch.key);
    }
    for (size_t j = 0; j < 2 * rk->nsens && !st; ++j)
        if (sh->dclip[j]) {
            rk_change_label(&rk->sens[j / 2].ch, label, sizeof label);
            st = warn(r, "sensitivity[%zu] (%s) %s: %zu of %zu values clipped to the bounds of %s", j / 2, label,
                      j % 2 ? "high" : "low", sh->dclip[j], sh->dapp[j], rk->sens[j / 2].ch.key);
        }
    for (size_t k = 0; k < rk->ncases && !st; ++k)
        for (size_t i = 0; i < rk->cases[k].n && !st; ++i) {
            const size_t d = 2 * rk->nsens + pl->case_off[k] + i;
            if (sh->dclip[d])
                st = warn(r, "cases[%zu] (%s): changes[%zu]: %zu of %zu values clipped to the bounds of %s", k,
                          rk->cases[k].name, i, sh->dclip[d], sh->dapp[d], rk->cases[k].changes[i].ch.key);
        }
    return st;
}

static int default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

gfin_status gfin_risk_run(const gfin_risk *rk, const gfin_portfolio *pf, size_t first, size_t count, int threads,
                          gfin_risk_result **out, gfin_error *err)
{
    if (!rk || !pf || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "risk, portfolio and out must not be NULL");
    if (first >= rk->scenarios)
        return gfin__fail(err, GFIN_EINVAL, "first", "%zu is beyond the experiment's %zu scenarios (0 .. %zu)", first,
                          rk->scenarios, rk->scenarios - 1);
    if (count == GFIN_RISK_REST)
        count = rk->scenarios - first;
    if (count < 1 || count > rk->scenarios - first)
        return gfin__fail(err, GFIN_EINVAL, "count", "%zu scenarios from %zu run beyond the experiment's %zu", count,
                          first, rk->scenarios);
    rk_plan pl;
    rk_shared sh = {.first = first, .count = count, .failed = (size_t)-1};
    rk_worker *w = NULL;
    gfin_risk_result *r = NULL;
    double *base = NULL;
    size_t nthreads = 0;
    gfin_status st = plan_build(&pl, rk, pf, threads, err);
    if (st)
        goto done;
    /* Memory: the samples (count x (metrics + 1) doubles), refused beyond the limit. */
    const size_t cols = pl.ncols + 1;
    if (count > GFIN_RISK_MAX_SAMPLE_BYTES / sizeof(double) / cols) {
        st = gfin__fail(err, GFIN_EINVAL, "count", "%zu scenarios x %zu sampled metrics x 8 bytes exceed the limit of "
                        "%zu MiB: run the scenarios in blocks (first, count)", count, cols,
                        (size_t)GFIN_RISK_MAX_SAMPLE_BYTES >> 20);
        goto done;
    }
    if (!(r = gfin__calloc(1, sizeof *r)) || result_labels(r, &pl) ||
        !(r->samples = gfin__table_new(count, cols, (const char *const *)r->cols, NULL)))
        goto nomem;
    r->samples->kinds[0] = GFIN_COL_INTEGER;
    r->scenarios = rk->scenarios;
    r->seed = rk->seed;
    r->first = first;
    r->count = count;
    for (size_t i = 0; i < count; ++i)
        r->samples->data[i] = (double)(first + i);
    sh.pl = &pl;
    sh.samples = r->samples->data;
    sh.ndet = 2 * rk->nsens + rk->ncases;
    sh.njobs = sh.ndet + count;
    sh.step = count / 100 ? count / 100 : 1;
    const size_t ndc = 2 * rk->nsens + pl.case_off[rk->ncases] + 1;
    sh.det = gfin__calloc(sh.ndet * pl.ncols + 1, sizeof *sh.det);
    sh.dclip = gfin__calloc(ndc, sizeof *sh.dclip);
    sh.dapp = gfin__calloc(ndc, sizeof *sh.dapp);
    base = gfin__calloc(pl.ncols + 1, sizeof *base);
    if (!sh.det || !sh.dclip || !sh.dapp || !base)
        goto nomem;
    extract(&pl, pl.base_res, base, 1);

    if (threads <= 0)
        threads = default_threads();
    nthreads = (size_t)(threads > RK_MAX_THREADS ? RK_MAX_THREADS : threads);
    if (nthreads > sh.njobs)
        nthreads = sh.njobs;
    if (!(w = gfin__calloc(nthreads, sizeof *w)))
        goto nomem;
    for (size_t t = 0; t < nthreads; ++t) {
        w[t].sh = &sh;
        if (thread_init(&w[t].th, &pl)) {
            nthreads = t + 1;
            goto nomem;
        }
    }
    pthread_mutex_init(&sh.lock, NULL);
    pthread_t tid[RK_MAX_THREADS];
    size_t started = 0;
    for (size_t t = 1; t < nthreads; ++t) {
        if (pthread_create(&tid[started], NULL, worker, &w[t]) != 0)
            break; /* fewer threads: the same result, later */
        started++;
    }
    worker(&w[0]);
    for (size_t t = 0; t < started; ++t)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&sh.lock);
    if (sh.failed != (size_t)-1) {
        st = sh.fst;
        if (err)
            *err = sh.ferr;
        goto done;
    }
    if (sh.cancelled) {
        st = gfin__fail(err, GFIN_EINVAL, "", "cancelled by the progress callback");
        goto done;
    }
    if (result_tables(r, &pl, &sh, base) || result_warnings(r, &pl, &sh, w, nthreads))
        goto nomem;
    if (!rk->keep) {
        gfin_table_free(r->samples);
        r->samples = NULL;
    }
    *out = r;
    r = NULL;
    goto done;
nomem:
    st = gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
done:
    for (size_t t = 0; w && t < nthreads; ++t)
        thread_free(&w[t].th);
    gfin__free(w);
    gfin__free(sh.det);
    gfin__free(sh.dclip);
    gfin__free(sh.dapp);
    gfin__free(base);
    gfin_risk_result_free(r);
    plan_free(&pl);
    return st;
}

/* ---- accessors ---- */

size_t gfin_risk_result_scenarios(const gfin_risk_result *r) { return r ? r->scenarios : 0; }
uint64_t gfin_risk_result_seed(const gfin_risk_result *r) { return r ? r->seed : 0; }
size_t gfin_risk_result_first(const gfin_risk_result *r) { return r ? r->first : 0; }
size_t gfin_risk_result_count(const gfin_risk_result *r) { return r ? r->count : 0; }
size_t gfin_risk_result_scope_count(const gfin_risk_result *r) { return r ? r->nscopes : 0; }
const char *gfin_risk_result_scope_name(const gfin_risk_result *r, size_t i)
{
    return r && i < r->nscopes ? r->scopes[i] : NULL;
}
size_t gfin_risk_result_change_count(const gfin_risk_result *r) { return r ? r->nchanges : 0; }
const char *gfin_risk_result_change_name(const gfin_risk_result *r, size_t i)
{
    return r && i < r->nchanges ? r->changes[i] : NULL;
}
size_t gfin_risk_result_case_count(const gfin_risk_result *r) { return r ? r->ncases : 0; }
const char *gfin_risk_result_case_name(const gfin_risk_result *r, size_t i)
{
    return r && i < r->ncases ? r->cases[i] : NULL;
}
size_t gfin_risk_result_warning_count(const gfin_risk_result *r) { return r ? r->nwarnings : 0; }
const char *gfin_risk_result_warning(const gfin_risk_result *r, size_t i)
{
    return r && i < r->nwarnings ? r->warnings[i] : NULL;
}

const gfin_table *gfin_risk_result_table(const gfin_risk_result *r, const char *name)
{
    if (!r || !name)
        return NULL;
    if (strcmp(name, "statistics") == 0)
        return r->stats;
    if (strcmp(name, "probabilities") == 0)
        return r->probs;
    if (strcmp(name, "sensitivity") == 0)
        return r->sens;
    if (strcmp(name, "cases") == 0)
        return r->casetab;
    if (strcmp(name, "samples") == 0)
        return r->samples;
    return NULL;
}

static gfin_status lookup(const gfin_table *t, size_t scope, gfin_metric m, size_t col, double *out)
{
    if (!t || !out)
        return GFIN_EINVAL;
    const double *s = t->data, *mm = t->data + t->rows;
    for (size_t i = 0; i < t->rows; ++i)
        if (s[i] == (double)scope && mm[i] == (double)m) {
            const double v = t->data[col * t->rows + i];
            if (isnan(v))
                return GFIN_ENOVALUE;
            *out = v;
            return GFIN_OK;
        }
    return GFIN_EINVAL;
}

gfin_status gfin_risk_result_statistic(const gfin_risk_result *r, size_t scope, gfin_metric m, gfin_risk_stat stat,
                                       double *out)
{
    if (!r || (int)stat < 0 || stat >= GFIN_RISK_STAT_COUNT)
        return GFIN_EINVAL;
    return lookup(r->stats, scope, m, 2 + (size_t)stat, out);
}

gfin_status gfin_risk_result_probability(const gfin_risk_result *r, size_t scope, gfin_metric m, double *out)
{
    return r ? lookup(r->probs, scope, m, 2, out) : GFIN_EINVAL;
}
