/* risk_plan.c -- a run's plan (docs/model.md "Risk"): the risk base (the
 * portfolio with each sized loan kept as an ordinary loan), the sampled
 * metrics, the factors' groups and Cholesky factors, and each change's
 * targets, built once and shared read-only by the jobs of risk_run.c.
 *
 * Sized debt: the base portfolio is evaluated once and each sized loan then
 * joins its project as an ordinary loan (the "risk base"), so every job keeps
 * the base commitment and debt-service targets (docs/model.md "Precise rules"),
 * and loan keys reach it like any other loan. */
#include "risk_run.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void rk_plan_free(rk_plan *pl)
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

/* The risk base: a copy of the portfolio (its stores, fund and fx paths) where
 * each project carries its sized loan as an ordinary loan (sizing off), the
 * portfolio's grid when it has none, and its inherited discount_rate and
 * start_year: the same evaluation, with every key a change may touch present
 * in the project itself. */
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
    const gfin_fx *fx = gfin__portfolio_fx(pf);
    for (size_t c = 0; c < fx->n; ++c)
        if ((st = gfin_portfolio_set_fx(b, fx->paths[c].currency, fx->paths[c].rates, fx->paths[c].n, err)))
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

void rk_extract(const rk_plan *pl, const gfin_result *r, double *row, size_t stride)
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

/* The factors in their groups (per scenario, per year) and the factor of
 * each uncertainty that names one. */
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
    return GFIN_OK;
}

/* The correlation matrices of each group of factors, then their Cholesky factors. */
static gfin_status plan_correlations(rk_plan *pl, gfin_error *err)
{
    const gfin_risk *rk = pl->rk;
    const size_t nf = rk->nfactors;
    char path[64];
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
            pl->fx |= rk->cases[k].changes[i].ch.kind == RK_FX;
        }
    for (size_t i = 0; i < rk->nsens; ++i) {
        snprintf(path, sizeof path, "sensitivity[%zu]", i);
        if ((st = rk_targets_resolve(&rk->sens[i].ch, pl->base, path, &pl->sens_t[i], err)))
            return st;
        pl->fx |= rk->sens[i].ch.kind == RK_FX;
    }
    for (size_t i = 0; i < rk->nunc; ++i) {
        snprintf(path, sizeof path, "uncertainties[%zu]", i);
        if ((st = rk_targets_resolve(&rk->unc[i].ch, pl->base, path, &pl->unc_t[i], err)))
            return st;
        pl->fx |= rk->unc[i].ch.kind == RK_FX;
        if (pl->unc_t[i].n > UINT32_MAX)
            return gfin__fail(err, GFIN_EINVAL, path, "touches more than 2^32 targets");
    }
    return GFIN_OK;
}

size_t rk_project_end(const gfin_project *p, int pf_start)
{
    double sy = 0, c = 0, o = 0;
    (void)gfin_project_get(p, GFIN_PROJECT_START_YEAR, &sy);
    (void)gfin_project_get(p, GFIN_PROJECT_CONSTRUCTION_YEARS, &c);
    (void)gfin_project_get(p, GFIN_PROJECT_OPERATING_YEARS, &o);
    const double end = sy - pf_start + c + o;
    return end > 0 ? (size_t)end : 0;
}

gfin_status rk_plan_build(rk_plan *pl, const gfin_risk *rk, const gfin_portfolio *pf, int threads, gfin_error *err)
{
    memset(pl, 0, sizeof *pl);
    pl->rk = rk;
    if (!rk || !pf)
        return gfin__fail(err, GFIN_EINVAL, "", "risk and portfolio must not be NULL");
    gfin_status st;
    if ((st = gfin_portfolio_validate(pf, err)))
        return st;
    pl->np = gfin_portfolio_project_count(pf);
    if ((st = plan_factors(pl, err)) || (st = plan_correlations(pl, err)) || (st = build_base(pl, pf, threads, err)) ||
        (st = plan_targets(pl, err)) || (st = plan_columns(pl, err)))
        return st;
    for (size_t i = 0; i < pl->np; ++i) {
        const size_t end = rk_project_end(gfin_portfolio_project(pl->base, i), pl->pf_start);
        if (end > pl->horizon)
            pl->horizon = end;
    }
    return GFIN_OK;
}

gfin_status gfin_risk_validate(const gfin_risk *rk, const gfin_portfolio *pf, gfin_error *err)
{
    rk_plan pl;
    gfin_status st = rk_plan_build(&pl, rk, pf, 0, err);
    rk_plan_free(&pl);
    return st;
}
