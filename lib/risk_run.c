/* risk_run.c -- running an experiment (docs/model.md "Risk"): the base case once,
 * then cases, sensitivity entries and scenarios as independent jobs on N
 * threads, each one a copy of the changed projects evaluated by the
 * portfolio's own code; then statistics, probabilities and the tables.
 * The plan is risk_plan.c's, the result risk_result.c's. */
#include "risk_run.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define RK_MAX_O 100          /* operating_years' bound: the energy multipliers of a project */
#define RK_MAX_H 512          /* calendar years a per-year factor may need: 1900..2200 + 15 + 100 */
#define RK_MAX_THREADS 256

/* ======================================================================== */
/* Jobs                                                                     */
/* ======================================================================== */

/* A worker's scratch: copies of the projects the current job changes, their
 * energy multipliers, the factor scores of the current scenario; with
 * fx_drift entries, a copy of the risk base whose fx paths the job sets. */
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
    gfin_portfolio *pf;          /* NULL without fx_drift entries */
    double *drift, *rates;       /* per fx path of the base: the job's drift; a drifted path */
    bool *fx_on, *fx_set;        /* the job drifts path c; th->pf's path c is not the base's */
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
    gfin_portfolio_free(th->pf);
    gfin__free(th->drift);
    gfin__free(th->rates);
    gfin__free(th->fx_on);
    gfin__free(th->fx_set);
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
    if (pl->fx) {
        const size_t nfx = gfin__portfolio_fx(pl->base)->n + 1;
        th->pf = gfin__portfolio_copy(pl->base);
        th->drift = gfin__calloc(nfx, sizeof *th->drift);
        th->rates = gfin__calloc(RK_MAX_H, sizeof *th->rates);
        th->fx_on = gfin__calloc(nfx, sizeof *th->fx_on);
        th->fx_set = gfin__calloc(nfx, sizeof *th->fx_set);
        if (!th->pf || !th->drift || !th->rates || !th->fx_on || !th->fx_set)
            return GFIN_ENOMEM;
    }
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
    for (size_t c = 0; th->pf && c < gfin__portfolio_fx(th->pl->base)->n; ++c) {
        th->drift[c] = 0;
        th->fx_on[c] = false;
    }
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

/* fx_drift on fx path c: the job's drift, clipped to its bounds. */
static void fx_drift(rk_thread *th, size_t c, gfin_risk_apply apply, double v, size_t *clip, size_t *app)
{
    double x = combine(apply, th->drift[c], v);
    const double orig = x;
    x = isnan(x) || x < RK_FX_DRIFT_MIN ? RK_FX_DRIFT_MIN : x > RK_FX_DRIFT_MAX ? RK_FX_DRIFT_MAX : x;
    *clip += x != orig;
    ++*app;
    th->drift[c] = x;
    th->fx_on[c] = true;
}

/* The calendar years past the portfolio's start that the job's projects
 * span (the base's, or a copy's whose years a change moved), at most RK_MAX_H. */
static size_t job_horizon(const rk_thread *th)
{
    const rk_plan *pl = th->pl;
    size_t horizon = pl->horizon;
    for (size_t k = 0; k < th->ntouched; ++k) {
        const size_t end = rk_project_end(th->copy[th->touched[k]], pl->pf_start);
        horizon = end > horizon ? end : horizon;
    }
    return horizon < RK_MAX_H ? horizon : RK_MAX_H;
}

/* th->pf's fx paths for the job (docs/model.md "Risk", fx_drift): a drifted
 * path is r_k (1 + d)^k in the years k = 0, 1, ... from the portfolio's
 * start_year that the job's projects reach (r_k the base's rate of year k, its
 * last repeating; past those years nothing reads the path); a path the job
 * does not drift is the base's. */
static gfin_status fx_paths(rk_thread *th, gfin_error *err)
{
    const gfin_fx *base = gfin__portfolio_fx(th->pl->base);
    const size_t years = job_horizon(th), n = years ? years : 1;
    gfin_status st = GFIN_OK;
    for (size_t c = 0; c < base->n && !st; ++c) {
        const gfin_fx_path *bp = &base->paths[c];
        if (th->fx_on[c]) {
            for (size_t k = 0; k < n; ++k)
                th->rates[k] = bp->rates[k < bp->n ? k : bp->n - 1] * pow(1 + th->drift[c], (double)k);
            st = gfin_portfolio_set_fx(th->pf, bp->currency, th->rates, n, err);
            th->fx_set[c] = true;
        } else if (th->fx_set[c]) {
            st = gfin_portfolio_set_fx(th->pf, bp->currency, bp->rates, bp->n, err);
            th->fx_set[c] = false;
        }
    }
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
        const double v = drawn && !shared && !per_year ? draw(th, ei, t, 0) : once;
        if (ch->kind == RK_FX) {
            fx_drift(th, p, ch->apply, v, clip, app);
            continue;
        }
        gfin_project *cp = get_copy(th, p);
        if (!cp)
            return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
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
                factor_scores(th, job_horizon(th)); /* per year, once the other changes fixed the years */
            }
            for (size_t i = 0; i < rk->nunc && !st; ++i)
                st = apply_entry(th, &rk->unc[i], &pl->unc_t[i], true, i, 0, energy, &th->uclip[i], &th->uapp[i],
                                 err);
        }
    }
    if (st || (th->pf && (st = fx_paths(th, err))))
        return st;
    gfin_result *res = NULL;
    if ((st = gfin__portfolio_evaluate_ex(th->pf ? th->pf : pl->base, 1, (const gfin_project *const *)th->copy,
                                          th->hooks, &res, err)))
        return st;
    if (j < sh->ndet)
        rk_extract(pl, res, sh->det + j * pl->ncols, 1);
    else
        rk_extract(pl, res, sh->samples + sh->count + (j - sh->ndet), sh->count);
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

static int default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* The block first .. first + count - 1 (count GFIN_RISK_REST: to the end) of the experiment. */
static gfin_status check_block(const gfin_risk *rk, size_t first, size_t *count, gfin_error *err)
{
    if (first >= rk->scenarios)
        return gfin__fail(err, GFIN_EINVAL, "first", "%zu is beyond the experiment's %zu scenarios (0 .. %zu)", first,
                          rk->scenarios, rk->scenarios - 1);
    if (*count == GFIN_RISK_REST)
        *count = rk->scenarios - first;
    if (*count < 1 || *count > rk->scenarios - first)
        return gfin__fail(err, GFIN_EINVAL, "count", "%zu scenarios from %zu run beyond the experiment's %zu", *count,
                          first, rk->scenarios);
    return GFIN_OK;
}

/* A block's result before its run: the labels and the samples table, whose
 * column 0 holds the scenario numbers. NULL when out of memory. */
static gfin_risk_result *result_new(const rk_plan *pl, size_t first, size_t count)
{
    gfin_risk_result *r = gfin__calloc(1, sizeof *r);
    if (!r || rk_result_labels(r, pl) ||
        !(r->samples = gfin__table_new(count, pl->ncols + 1, (const char *const *)r->cols, NULL))) {
        gfin_risk_result_free(r);
        return NULL;
    }
    r->samples->kinds[0] = GFIN_COL_INTEGER;
    r->scenarios = pl->rk->scenarios;
    r->seed = pl->rk->seed;
    r->first = first;
    r->count = count;
    for (size_t i = 0; i < count; ++i)
        r->samples->data[i] = (double)(first + i);
    return r;
}

static void workers_free(rk_worker *w, size_t n)
{
    for (size_t t = 0; w && t < n; ++t)
        thread_free(&w[t].th);
    gfin__free(w);
}

/* *n workers (at most one per job) with their scratch; NULL when out of memory. */
static rk_worker *workers_new(rk_shared *sh, const rk_plan *pl, int threads, size_t *n)
{
    if (threads <= 0)
        threads = default_threads();
    size_t nthreads = (size_t)(threads > RK_MAX_THREADS ? RK_MAX_THREADS : threads);
    if (nthreads > sh->njobs)
        nthreads = sh->njobs;
    *n = 0;
    rk_worker *w = gfin__calloc(nthreads, sizeof *w);
    if (!w)
        return NULL;
    for (size_t t = 0; t < nthreads; ++t) {
        w[t].sh = sh;
        if (thread_init(&w[t].th, pl)) {
            workers_free(w, t + 1);
            return NULL;
        }
    }
    *n = nthreads;
    return w;
}

/* Every job, on the calling thread and n - 1 others. */
static void workers_run(rk_shared *sh, rk_worker *w, size_t n)
{
    pthread_mutex_init(&sh->lock, NULL);
    pthread_t tid[RK_MAX_THREADS];
    size_t started = 0;
    for (size_t t = 1; t < n; ++t) {
        if (pthread_create(&tid[started], NULL, worker, &w[t]) != 0)
            break; /* fewer threads: the same result, later */
        started++;
    }
    worker(&w[0]);
    for (size_t t = 0; t < started; ++t)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&sh->lock);
}

/* The tables and warnings of a finished run: clip counts summed over the
 * workers (into the first one's). */
static gfin_status result_finish(gfin_risk_result *r, const rk_plan *pl, const rk_shared *sh, rk_worker *w, size_t n,
                                 const double *base)
{
    for (size_t i = 0; i < pl->rk->nunc; ++i)
        for (size_t t = 1; t < n; ++t) {
            w[0].th.uclip[i] += w[t].th.uclip[i];
            w[0].th.uapp[i] += w[t].th.uapp[i];
        }
    if (rk_result_tables(r, pl, sh->samples, sh->count, sh->det, base) ||
        rk_result_warnings(r, pl, w[0].th.uclip, w[0].th.uapp, sh->dclip, sh->dapp))
        return GFIN_ENOMEM;
    if (!pl->rk->keep) {
        gfin_table_free(r->samples);
        r->samples = NULL;
    }
    return GFIN_OK;
}

gfin_status gfin_risk_run(const gfin_risk *rk, const gfin_portfolio *pf, size_t first, size_t count, int threads,
                          gfin_risk_result **out, gfin_error *err)
{
    if (!rk || !pf || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "risk, portfolio and out must not be NULL");
    gfin_status st = check_block(rk, first, &count, err);
    if (st)
        return st;
    rk_plan pl;
    rk_shared sh = {.first = first, .count = count, .failed = (size_t)-1};
    rk_worker *w = NULL;
    gfin_risk_result *r = NULL;
    double *base = NULL;
    size_t nthreads = 0;
    if ((st = rk_plan_build(&pl, rk, pf, threads, err)))
        goto done;
    /* Memory: the samples (count x (metrics + 1) doubles), refused beyond the limit. */
    const size_t cols = pl.ncols + 1;
    if (count > GFIN_RISK_MAX_SAMPLE_BYTES / sizeof(double) / cols) {
        st = gfin__fail(err, GFIN_EINVAL, "count", "%zu scenarios x %zu sampled metrics x 8 bytes exceed the limit of "
                        "%zu MiB: run the scenarios in blocks (first, count)", count, cols,
                        (size_t)GFIN_RISK_MAX_SAMPLE_BYTES >> 20);
        goto done;
    }
    if (!(r = result_new(&pl, first, count)))
        goto nomem;
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
    rk_extract(&pl, pl.base_res, base, 1);
    if (!(w = workers_new(&sh, &pl, threads, &nthreads)))
        goto nomem;
    workers_run(&sh, w, nthreads);
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
    if (result_finish(r, &pl, &sh, w, nthreads, base))
        goto nomem;
    *out = r;
    r = NULL;
    goto done;
nomem:
    st = gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
done:
    workers_free(w, nthreads);
    gfin__free(sh.det);
    gfin__free(sh.dclip);
    gfin__free(sh.dapp);
    gfin__free(base);
    gfin_risk_result_free(r);
    rk_plan_free(&pl);
    return st;
}
