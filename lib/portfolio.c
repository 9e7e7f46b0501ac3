/* portfolio.c -- many projects and a fund: projects evaluated in parallel,
 * then aggregated by year and technology, in project order, so the result is
 * the same for any number of threads.
 *
 * Attribution (PCAF, project finance): the fund's share of a project in a year
 * is its outstanding balance in the project's fund loans at the end of that
 * calendar year / the project's total financing (its capex, debt plus equity),
 * capped at 1; attributed_tco2e of the year = the project's reductions of the
 * year x that share, so nothing is attributed once the fund is repaid.
 * mobilization_ratio counts only the projects the fund lends to.
 * fund_subsidy_per_tco2e = sum of the fund loans' grant element x commitment
 * (at grant_element_discount_rate) / the attributed reductions. */
#include "portfolio.h"
#include "project.h"
#include "fund.h"
#include "impact.h"
#include "table.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_PROJECTS 1000000
#define MAX_THREADS 256

struct gfin_portfolio {
    gfin_pstore p, grid;
    gfin_fund *fund;
    gfin_project **projects;
    size_t nprojects, cap;
    size_t *ids;          /* open-addressing set of project indices + 1, by id */
    size_t ids_cap;       /* a power of two, at least twice nprojects */
    gfin_error last;
};

static const char *project_id(const gfin_project *p) { return gfin__p_str(gfin__project_store(p), GFIN_PROJECT_ID); }

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; ++s)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The slot of `id` in the set: where it is, or the empty slot where it goes. */
static size_t id_slot(const gfin_portfolio *pf, const char *id)
{
    size_t mask = pf->ids_cap - 1, i = hash_str(id) & mask;
    while (pf->ids[i] && strcmp(project_id(pf->projects[pf->ids[i] - 1]), id) != 0)
        i = (i + 1) & mask;
    return i;
}

static gfin_status ids_reserve(gfin_portfolio *pf, size_t n)
{
    if (2 * n <= pf->ids_cap)
        return GFIN_OK;
    size_t cap = pf->ids_cap ? pf->ids_cap : 16;
    while (2 * n > cap)
        cap *= 2;
    size_t *old = pf->ids, old_cap = pf->ids_cap;
    if (!(pf->ids = gfin__calloc(cap, sizeof *pf->ids))) {
        pf->ids = old;
        return GFIN_ENOMEM;
    }
    pf->ids_cap = cap;
    for (size_t i = 0; i < old_cap; ++i)
        if (old[i])
            pf->ids[id_slot(pf, project_id(pf->projects[old[i] - 1]))] = old[i];
    gfin__free(old);
    return GFIN_OK;
}

/* Appends a project the portfolio now owns, refusing a duplicate id. On any
 * failure the project is freed. */
static gfin_status append_project(gfin_portfolio *pf, gfin_project *project, gfin_error *err)
{
    if (pf->nprojects >= MAX_PROJECTS) {
        gfin_project_free(project);
        return gfin__fail(err, GFIN_EINVAL, "projects", "a portfolio takes at most %d projects", MAX_PROJECTS);
    }
    if (ids_reserve(pf, pf->nprojects + 1) ||
        gfin__grow((void **)&pf->projects, &pf->cap, pf->nprojects + 1, sizeof *pf->projects)) {
        gfin_project_free(project);
        return gfin__fail(err, GFIN_ENOMEM, "projects", "out of memory");
    }
    size_t slot = id_slot(pf, project_id(project));
    if (pf->ids[slot]) {
        gfin__fail(err, GFIN_EINVAL, "id", "duplicate project id \"%s\" (also projects[%zu])", project_id(project),
                   pf->ids[slot] - 1);
        gfin_project_free(project);
        return GFIN_EINVAL;
    }
    pf->projects[pf->nprojects++] = project;
    pf->ids[slot] = pf->nprojects;
    return GFIN_OK;
}

gfin_portfolio *gfin_portfolio_new(void)
{
    gfin_portfolio *pf = gfin__calloc(1, sizeof *pf);
    if (!pf)
        return NULL;
    gfin__pstore_init(&pf->p, GFIN_OBJ_PORTFOLIO);
    gfin__pstore_init(&pf->grid, GFIN_OBJ_GRID);
    return pf;
}

void gfin_portfolio_free(gfin_portfolio *pf)
{
    if (!pf)
        return;
    gfin__pstore_clear(&pf->p);
    gfin__pstore_clear(&pf->grid);
    gfin_fund_free(pf->fund);
    for (size_t i = 0; i < pf->nprojects; ++i)
        gfin_project_free(pf->projects[i]);
    gfin__free(pf->projects);
    gfin__free(pf->ids);
    gfin__free(pf);
}

#define STORES(pf) ((gfin_pstore *const[]){&(pf)->p, &(pf)->grid})

gfin_status gfin_portfolio_set(gfin_portfolio *pf, gfin_key key, double value)
{
    return pf ? gfin__handle_set(STORES(pf), 2, &pf->last, key, value) : GFIN_EINVAL;
}

gfin_status gfin_portfolio_set_string(gfin_portfolio *pf, gfin_key key, const char *value)
{
    return pf ? gfin__handle_set_string(STORES(pf), 2, &pf->last, key, value) : GFIN_EINVAL;
}

#define CSTORES(pf) ((const gfin_pstore *const[]){&(pf)->p, &(pf)->grid})

gfin_status gfin_portfolio_get(const gfin_portfolio *pf, gfin_key key, double *out)
{
    const gfin_pstore *s = pf ? gfin__pstore_route_const(CSTORES(pf), 2, key) : NULL;
    return s ? gfin__pstore_get(s, key, out) : GFIN_EINVAL;
}

const char *gfin_portfolio_get_string(const gfin_portfolio *pf, gfin_key key)
{
    const gfin_pstore *s = pf ? gfin__pstore_route_const(CSTORES(pf), 2, key) : NULL;
    return s ? gfin__pstore_get_string(s, key) : NULL;
}

const gfin_fund *gfin_portfolio_fund(const gfin_portfolio *pf) { return pf ? pf->fund : NULL; }

const gfin_error *gfin_portfolio_last_error(const gfin_portfolio *pf) { return pf ? &pf->last : NULL; }

gfin_status gfin_portfolio_set_fund(gfin_portfolio *pf, const gfin_fund *fund, gfin_error *err)
{
    if (!pf || !fund)
        return gfin__fail(err, GFIN_EINVAL, "fund", "portfolio and fund must not be NULL");
    gfin_fund *copy = gfin_fund_copy(fund);
    if (!copy)
        return gfin__fail(err, GFIN_ENOMEM, "fund", "out of memory");
    gfin_fund_free(pf->fund);
    pf->fund = copy;
    return GFIN_OK;
}

gfin_status gfin_portfolio_add_project(gfin_portfolio *pf, const gfin_project *project, gfin_error *err)
{
    if (!pf || !project)
        return gfin__fail(err, GFIN_EINVAL, "projects", "portfolio and project must not be NULL");
    gfin_project *copy = gfin_project_copy(project);
    if (!copy)
        return gfin__fail(err, GFIN_ENOMEM, "projects", "out of memory");
    return append_project(pf, copy, err);
}

/* For the JSON loader, which hands over a project it built. */
gfin_status gfin__portfolio_take_project(gfin_portfolio *pf, gfin_project *project, gfin_error *err)
{
    return append_project(pf, project, err);
}

gfin_status gfin__portfolio_take_fund(gfin_portfolio *pf, gfin_fund *fund)
{
    gfin_fund_free(pf->fund);
    pf->fund = fund;
    return GFIN_OK;
}

gfin_portfolio *gfin__portfolio_copy(const gfin_portfolio *src)
{
    gfin_portfolio *pf = gfin_portfolio_new();
    if (!pf)
        return NULL;
    if (gfin__pstore_copy(&pf->p, &src->p) || gfin__pstore_copy(&pf->grid, &src->grid) ||
        (src->fund && !(pf->fund = gfin_fund_copy(src->fund))))
        goto fail;
    for (size_t i = 0; i < src->nprojects; ++i) {
        gfin_project *p = gfin_project_copy(src->projects[i]);
        if (!p || append_project(pf, p, NULL))
            goto fail;
    }
    return pf;
fail:
    gfin_portfolio_free(pf);
    return NULL;
}

gfin_project *gfin__portfolio_project_mut(gfin_portfolio *pf, size_t i)
{
    return i < pf->nprojects ? pf->projects[i] : NULL;
}

gfin_fund *gfin__portfolio_fund_mut(gfin_portfolio *pf) { return pf->fund; }

const gfin_pstore *gfin__portfolio_store(const gfin_portfolio *pf, gfin_object obj)
{
    return obj == GFIN_OBJ_PORTFOLIO ? &pf->p : obj == GFIN_OBJ_GRID ? &pf->grid : NULL;
}

gfin_pstore *gfin__portfolio_store_mut(gfin_portfolio *pf, gfin_object obj)
{
    return obj == GFIN_OBJ_PORTFOLIO ? &pf->p : obj == GFIN_OBJ_GRID ? &pf->grid : NULL;
}

size_t gfin_portfolio_project_count(const gfin_portfolio *pf) { return pf ? pf->nprojects : 0; }

const gfin_project *gfin_portfolio_project(const gfin_portfolio *pf, size_t i)
{
    return (pf && i < pf->nprojects) ? pf->projects[i] : NULL;
}

/* ---- parallel evaluation ---- */

typedef struct job {
    const gfin_portfolio *pf;
    const gfin_project *const *override; /* per project: evaluated in place of pf's, when not NULL */
    const gfin_project_hooks *hooks;     /* per project, or NULL */
    gfin_inherit inh;
    gfin_result **results;
    gfin_result **tagged;  /* per project: its warnings prefixed with its id, for the portfolio */
    gfin_error *errors;
    gfin_status *status;
    size_t next;          /* next project to take */
    size_t first_failed;  /* lowest failed index so far: later ones are skipped */
    pthread_mutex_t lock;
} job;

/* The project's warnings as the portfolio reports them, "<id>: <warning>",
 * prepared by the worker that evaluated it (the aggregation, which runs on
 * one thread, only moves them). */
static gfin_status tag_warnings(const gfin_result *r, gfin_result **tagged, gfin_error *err)
{
    const size_t n = gfin_result_warning_count(r);
    if (!n)
        return GFIN_OK;
    if (!(*tagged = gfin__result_new(GFIN_RESULT_PROJECT, gfin_result_id(r))))
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    for (size_t w = 0; w < n; ++w)
        if (gfin__result_add_warning(*tagged, "%s: %s", gfin_result_id(r), gfin_result_warning(r, w)))
            return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    return GFIN_OK;
}

static void *worker(void *arg)
{
    job *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        size_t i = j->next++;
        bool stop = i >= j->pf->nprojects || i > j->first_failed;
        pthread_mutex_unlock(&j->lock);
        if (stop)
            return NULL;
        const gfin_project *p = j->override && j->override[i] ? j->override[i] : j->pf->projects[i];
        gfin_status st = gfin__project_evaluate_ex(p, &j->inh, j->hooks ? &j->hooks[i] : NULL, &j->results[i],
                                                   &j->errors[i]);
        if (!st)
            st = tag_warnings(j->results[i], &j->tagged[i], &j->errors[i]);
        j->status[i] = st;
        if (st) {
            pthread_mutex_lock(&j->lock);
            if (i < j->first_failed)
                j->first_failed = i;
            pthread_mutex_unlock(&j->lock);
        }
    }
}

static int default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* Evaluates every project; on failure the lowest failing index's error. */
static gfin_status evaluate_projects(const gfin_portfolio *pf, int threads, const gfin_project *const *override,
                                     const gfin_project_hooks *hooks, gfin_result **results, gfin_result **tagged,
                                     gfin_error *err)
{
    const size_t n = pf->nprojects;
    gfin_error *errors = gfin__calloc(n, sizeof *errors);
    gfin_status *status = gfin__calloc(n, sizeof *status);
    if (!errors || !status) {
        gfin__free(errors);
        gfin__free(status);
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    }
    job j = {.pf = pf, .override = override, .hooks = hooks,
             .inh = {.grid = &pf->grid,
                     .discount_rate = gfin__p_num(&pf->p, GFIN_PORTFOLIO_DISCOUNT_RATE),
                     .start_year = (int)gfin__p_num(&pf->p, GFIN_PORTFOLIO_START_YEAR),
                     .grant_element_rate = gfin__p_num(&pf->p, GFIN_PORTFOLIO_GRANT_ELEMENT_DISCOUNT_RATE)},
             .results = results, .tagged = tagged, .errors = errors, .status = status, .first_failed = (size_t)-1};
    pthread_mutex_init(&j.lock, NULL);
    if (threads <= 0)
        threads = default_threads();
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if ((size_t)threads > n)
        threads = (int)(n ? n : 1);
    pthread_t tid[MAX_THREADS];
    int started = 0;
    for (int t = 1; t < threads; ++t) {
        if (pthread_create(&tid[started], NULL, worker, &j) != 0)
            break; /* fewer threads: the same result, later */
        started++;
    }
    worker(&j);
    for (int t = 0; t < started; ++t)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&j.lock);

    gfin_status st = GFIN_OK;
    if (j.first_failed != (size_t)-1) {
        size_t i = j.first_failed;
        char prefix[32];
        snprintf(prefix, sizeof prefix, "projects[%zu]", i);
        st = status[i];
        if (err) {
            *err = errors[i];
            gfin__error_prefix(err, prefix);
        }
    }
    gfin__free(errors);
    gfin__free(status);
    return st;
}

/* ---- aggregation ---- */

enum { P_YEAR, P_CAL, P_NET, P_NET_S, P_NET_H, P_RED, P_RED_S, P_RED_H, P_ATTR, P_CUM, NP };
static const char *const PCOLS[NP] = {"year", "calendar_year", "net_mwh", "net_mwh_solar", "net_mwh_hydro",
                                      "reductions_tco2e", "reductions_tco2e_solar", "reductions_tco2e_hydro",
                                      "attributed_tco2e", "cumulative_reductions_tco2e"};
static const unsigned char PKINDS[NP] = {GFIN_COL_INTEGER, GFIN_COL_INTEGER};

static double metric_or(const gfin_result *r, gfin_metric m, double dflt)
{
    double v;
    return gfin_result_metric(r, m, &v) == GFIN_OK ? v : dflt;
}

/* The fraction of each project year's debt service lost to a shortfall. */
static void lost_fractions(const gfin_table *y, double *lost)
{
    const double *ds = gfin_table_column_by_name(y, "debt_service"),
                 *sf = gfin_table_column_by_name(y, "debt_service_shortfall");
    for (size_t k = 0; k < y->rows; ++k)
        lost[k] = ds[k] > 0 ? sf[k] / ds[k] : 0;
}

static gfin_status aggregate(const gfin_portfolio *pf, gfin_result **results, gfin_result **tagged, gfin_result *out)
{
    const size_t n = pf->nprojects;
    const int start = (int)gfin__p_num(&pf->p, GFIN_PORTFOLIO_START_YEAR);
    size_t years = 1, most_rows = 1;
    for (size_t i = 0; i < n; ++i) {
        const gfin_table *y = gfin_result_table(results[i], "years");
        size_t offset = (size_t)(gfin_table_column_by_name(y, "calendar_year")[0] - start);
        if (offset + y->rows > years)
            years = offset + y->rows;
        if (y->rows > most_rows)
            most_rows = y->rows;
    }
    gfin_table *pt = gfin__table_new(years, NP, PCOLS, PKINDS);
    gfin_fund_book book = {0};
    /* Scratch: the fund's outstanding in one project by portfolio year, and
     * the project's lost fractions by project year. */
    double *fund_out = gfin__calloc(years + most_rows, sizeof *fund_out), *lost = fund_out + years;
    gfin_status st = GFIN_ENOMEM;
    if (!pt || !fund_out || (pf->fund && gfin__fund_book_init(&book, years, start)))
        goto fail;
    double *c[NP];
    for (size_t j = 0; j < NP; ++j)
        c[j] = gfin__col(pt, j);
    double cap = 0, cap_s = 0, cap_h = 0, capex = 0, capex_lent = 0, lifetime = 0, committed = 0, rate_w = 0,
           grant_equiv = 0;
    size_t orphan_loans = 0; /* lender "fund" without a fund */
    const char *orphan_project = NULL;
    for (size_t i = 0; i < n; ++i) {
        const gfin_result *r = results[i];
        const gfin_table *y = gfin_result_table(r, "years");
        const size_t offset = (size_t)(gfin_table_column_by_name(y, "calendar_year")[0] - start);
        const bool solar = gfin__p_num(gfin__project_store(pf->projects[i]), GFIN_PROJECT_TECHNOLOGY) == GFIN_TECH_SOLAR;
        const double p_capex = metric_or(r, GFIN_M_CAPEX, 0), p_life = metric_or(r, GFIN_M_LIFETIME_REDUCTIONS_TCO2E, 0);
        const double p_cap = metric_or(r, GFIN_M_CAPACITY_MW, 0);
        cap += p_cap;
        *(solar ? &cap_s : &cap_h) += p_cap;
        capex += p_capex;
        lifetime += p_life;
        const double *net = gfin_table_column_by_name(y, "net_mwh"), *red = gfin_table_column_by_name(y, "reductions_tco2e");
        for (size_t k = 0; k < y->rows; ++k) {
            c[P_NET][offset + k] += net[k];
            c[solar ? P_NET_S : P_NET_H][offset + k] += net[k];
            c[P_RED][offset + k] += red[k];
            c[solar ? P_RED_S : P_RED_H][offset + k] += red[k];
        }
        /* The project's fund loans: the fund's book and outstanding balance. */
        memset(fund_out + offset, 0, y->rows * sizeof *fund_out);
        lost_fractions(y, lost);
        double lent = 0;
        for (size_t l = 0; l < gfin_result_child_count(r); ++l) {
            if (!gfin__project_loan_from_fund(pf->projects[i], l))
                continue;
            const gfin_result *lr = gfin_result_child(r, l);
            if (!pf->fund) {
                if (!orphan_loans++)
                    orphan_project = gfin_result_id(r);
                continue;
            }
            const gfin_table *s = gfin_result_table(lr, "schedule");
            /* The attached loans come first among the children; the sized loan
             * (after them) has no upfront fee. */
            const gfin_loan *terms = gfin_project_loan(pf->projects[i], l);
            double fee = 0, principal_committed = 0;
            if (terms && gfin_loan_get(terms, GFIN_LOAN_UPFRONT_FEE, &fee) == GFIN_OK &&
                gfin_loan_get(terms, GFIN_LOAN_PRINCIPAL, &principal_committed) == GFIN_OK)
                fee *= principal_committed;
            else
                fee = 0;
            gfin__fund_book_add(&book, s, fee, offset, lost, fund_out);
            const double principal = metric_or(lr, GFIN_M_TOTAL_DRAWN, 0);
            lent += principal;
            rate_w += principal * gfin_table_column_by_name(s, "rate")[0];
            const double ge = metric_or(lr, GFIN_M_GRANT_ELEMENT, NAN);
            if (isfinite(ge))
                grant_equiv += ge * principal;
        }
        committed += lent;
        if (lent > 0)
            capex_lent += p_capex;
        /* PCAF's attribution factor is at most 1: a fund whose balance exceeds
         * the project's capex (debt + equity) financed all of it, no more. */
        double most = 0;
        for (size_t k = 0; k < y->rows; ++k) {
            const double bal = fund_out[offset + k];
            most = fmax(most, bal);
            c[P_ATTR][offset + k] += bal > 0 ? red[k] * fmin(1, bal / p_capex) : 0;
        }
        if (most > p_capex &&
            (st = gfin__result_add_warning(out,
                                           "%s: the fund's outstanding balance %.10g exceeds the project's capex "
                                           "%.10g: its attribution share is capped at 1",
                                           gfin_result_id(r), most, p_capex)))
            goto fail;
    }
    /* A project without carbon figures (no grid) leaves the portfolio's carbon
     * figures unknown: they are null, not a sum over the projects that have
     * them, which a reader would take for the portfolio's total. */
    size_t no_carbon = 0;
    char ids[160] = "";
    for (size_t i = 0; i < n; ++i) {
        double v;
        if (gfin_result_metric(results[i], GFIN_M_LIFETIME_REDUCTIONS_TCO2E, &v) == GFIN_OK)
            continue;
        size_t used = strlen(ids);
        if (used < sizeof ids - 8)
            snprintf(ids + used, sizeof ids - used, "%s%s", no_carbon ? ", " : "", gfin_result_id(results[i]));
        no_carbon++;
    }
    if (no_carbon) {
        lifetime = NAN; /* and attributed, the sum of the NaN column */
        for (size_t y = 0; y < years; ++y)
            c[P_RED][y] = c[P_RED_S][y] = c[P_RED_H][y] = c[P_ATTR][y] = NAN;
        if ((st = gfin__result_add_warning(
                 out, "carbon: %zu project%s without emission factors (%s): the portfolio's reductions and attributed "
                      "reductions are null", no_carbon, no_carbon > 1 ? "s" : "", ids)))
            goto fail;
    }
    double cum = 0, attributed = 0;
    for (size_t y = 0; y < years; ++y) {
        c[P_YEAR][y] = (double)(y + 1);
        c[P_CAL][y] = (double)(start + (int)y);
        cum += c[P_RED][y];
        c[P_CUM][y] = cum;
        attributed += c[P_ATTR][y];
    }
    if ((st = gfin__result_add_metric(out, GFIN_M_PROJECT_COUNT, (double)n)) ||
        (st = gfin__result_add_metric(out, GFIN_M_CAPACITY_MW, cap)) ||
        (st = gfin__result_add_metric(out, GFIN_M_CAPACITY_MW_SOLAR, cap_s)) ||
        (st = gfin__result_add_metric(out, GFIN_M_CAPACITY_MW_HYDRO, cap_h)) ||
        (st = gfin__result_add_metric(out, GFIN_M_TOTAL_CAPEX, capex)) ||
        (st = gfin__result_add_metric(out, GFIN_M_LIFETIME_REDUCTIONS_TCO2E, lifetime)))
        goto fail;
    if (orphan_loans &&
        (st = gfin__result_add_warning(out,
                                       "%zu loan%s lent by \"fund\" (the first in project %s) but the portfolio has "
                                       "no fund: no fund figures are computed (add a \"fund\")",
                                       orphan_loans, orphan_loans > 1 ? "s are" : " is", orphan_project)))
        goto fail;
    if (pf->fund &&
        ((st = gfin__result_add_metric(out, GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E, attributed)) ||
         (st = gfin__result_add_metric(out, GFIN_M_FUND_SUBSIDY_PER_TCO2E,
                                       attributed > 0 ? grant_equiv / attributed : NAN)) ||
         (st = gfin__result_add_metric(out, GFIN_M_MOBILIZATION_RATIO,
                                       committed > 0 ? (capex_lent - committed) / committed : NAN)) ||
         (st = gfin__fund_finish(pf->fund, &book, committed, rate_w, out))))
        goto fail;
    st = gfin__result_add_table(out, "portfolio", pt);
    pt = NULL;
    if (st)
        goto fail;
    /* Every project's warnings, prefixed by its id, after the portfolio's own. */
    for (size_t i = 0; i < n; ++i)
        if (tagged[i] && (st = gfin__result_move_warnings(out, tagged[i])))
            goto fail;
fail:
    gfin_table_free(pt);
    gfin__fund_book_clear(&book);
    gfin__free(fund_out);
    return st;
}

gfin_status gfin_portfolio_validate(const gfin_portfolio *pf, gfin_error *err)
{
    if (!pf)
        return gfin__fail(err, GFIN_EINVAL, "", "portfolio is NULL");
    gfin_status st = gfin__pstore_check_required(&pf->p, err);
    if (st)
        return st;
    if (pf->fund && (st = gfin__fund_validate(pf->fund, err))) {
        gfin__error_prefix(err, "fund");
        return st;
    }
    if (!pf->nprojects)
        return gfin__fail(err, GFIN_EINVAL, "projects", "the portfolio has no projects");
    return GFIN_OK;
}

gfin_status gfin_portfolio_evaluate(const gfin_portfolio *pf, int threads, gfin_result **out, gfin_error *err)
{
    return gfin__portfolio_evaluate_ex(pf, threads, NULL, NULL, out, err);
}

gfin_status gfin__portfolio_evaluate_ex(const gfin_portfolio *pf, int threads, const gfin_project *const *override,
                                        const gfin_project_hooks *hooks, gfin_result **out, gfin_error *err)
{
    if (!out)
        return gfin__fail(err, GFIN_EINVAL, "", "out is NULL");
    gfin_status st = gfin_portfolio_validate(pf, err);
    if (st)
        return st;
    gfin_result **results = gfin__calloc(pf->nprojects, sizeof *results);
    gfin_result **tagged = gfin__calloc(pf->nprojects, sizeof *tagged);
    gfin_result *res = gfin__result_new(GFIN_RESULT_PORTFOLIO, gfin__p_str(&pf->p, GFIN_PORTFOLIO_NAME));
    if (!results || !tagged || !res) {
        st = gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
        goto done;
    }
    if ((st = evaluate_projects(pf, threads, override, hooks, results, tagged, err)))
        goto done;
    if ((st = aggregate(pf, results, tagged, res)) || (st = gfin__impact_add(pf, results, res))) {
        st = gfin__fail(err, st, "", "out of memory");
        goto done;
    }
    /* The projects' results become the portfolio's children, in order. */
    for (size_t i = 0; i < pf->nprojects; ++i) {
        st = gfin__result_add_child(res, results[i]);
        results[i] = NULL;
        if (st) {
            st = gfin__fail(err, st, "", "out of memory");
            goto done;
        }
    }
    *out = res;
    res = NULL;
done:
    for (size_t i = 0; i < pf->nprojects; ++i) {
        if (results)
            gfin_result_free(results[i]);
        if (tagged)
            gfin_result_free(tagged[i]);
    }
    gfin__free(results);
    gfin__free(tagged);
    gfin_result_free(res);
    return st;
}
