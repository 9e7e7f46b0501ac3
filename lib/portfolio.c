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
#include "loan.h"
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
    gfin_fx fx;           /* exchange-rate paths of the loans' currencies */
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
    gfin__fx_clear(&pf->fx);
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

gfin_status gfin_portfolio_set_fx(gfin_portfolio *pf, const char *currency, const double *rates, size_t n,
                                  gfin_error *err)
{
    if (!pf)
        return gfin__fail(err, GFIN_EINVAL, "fx", "portfolio must not be NULL");
    return gfin__fx_set(&pf->fx, currency, rates, n, err);
}

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
        (src->fund && !(pf->fund = gfin_fund_copy(src->fund))) || gfin__fx_copy(&pf->fx, &src->fx))
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
const gfin_fx *gfin__portfolio_fx(const gfin_portfolio *pf) { return &pf->fx; }

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
                     .grant_element_rate = gfin__p_num(&pf->p, GFIN_PORTFOLIO_GRANT_ELEMENT_DISCOUNT_RATE),
                     .fx = &pf->fx},
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

/* The "portfolio" table (totals and the 1.0 columns by technology) and the
 * "technology.<name>" tables, in the output registry's order (P_* and T_*
 * index them). */
enum { P_YEAR, P_CAL, P_NET, P_NET_S, P_NET_H, P_RED, P_RED_S, P_RED_H, P_ATTR, P_CUM, NP };
static const gfin_column PCOLS[NP] = {
    GFIN_C_PORTFOLIO_YEAR, GFIN_C_PORTFOLIO_CALENDAR_YEAR, GFIN_C_PORTFOLIO_NET_MWH,
    GFIN_C_PORTFOLIO_NET_MWH_SOLAR, GFIN_C_PORTFOLIO_NET_MWH_HYDRO, GFIN_C_PORTFOLIO_REDUCTIONS_TCO2E,
    GFIN_C_PORTFOLIO_REDUCTIONS_TCO2E_SOLAR, GFIN_C_PORTFOLIO_REDUCTIONS_TCO2E_HYDRO,
    GFIN_C_PORTFOLIO_ATTRIBUTED_TCO2E, GFIN_C_PORTFOLIO_CUMULATIVE_REDUCTIONS_TCO2E};
enum { T_YEAR, T_CAL, T_NET, T_RED, T_ATTR, NT };
static const gfin_column TCOLS[NT] = {GFIN_C_TECHNOLOGY_YEAR, GFIN_C_TECHNOLOGY_CALENDAR_YEAR,
                                      GFIN_C_TECHNOLOGY_NET_MWH, GFIN_C_TECHNOLOGY_REDUCTIONS_TCO2E,
                                      GFIN_C_TECHNOLOGY_ATTRIBUTED_TCO2E};

static double metric_or(const gfin_result *r, gfin_metric m, double dflt)
{
    double v;
    return gfin_result_metric(r, m, &v) == GFIN_OK ? v : dflt;
}

/* The fraction of each project year's debt service lost to a shortfall. */
static void lost_fractions(const gfin_table *y, double *lost)
{
    const double *ds = gfin_table_column_of(y, GFIN_C_YEARS_DEBT_SERVICE),
                 *sf = gfin_table_column_of(y, GFIN_C_YEARS_DEBT_SERVICE_SHORTFALL);
    for (size_t k = 0; k < y->rows; ++k)
        lost[k] = ds[k] > 0 ? sf[k] / ds[k] : 0;
}

/* What the aggregation builds: the tables, the fund's book, the sums. */
typedef struct agg {
    const gfin_portfolio *pf;
    gfin_result *out;
    int start;
    size_t years;
    gfin_table *pt, *tech[GFIN_TECH_COUNT];
    gfin_fund_book book;
    double *fund_out, *lost;     /* scratch: the fund's balance in one project by portfolio year; lost fractions */
    double cap, cap_tech[GFIN_TECH_COUNT], capex, capex_lent, lifetime, committed, rate_w, grant_equiv;
    size_t orphan_loans;         /* lender "fund" without a fund */
    const char *orphan_project;
} agg;

static size_t offset_of(const agg *a, const gfin_table *y)
{
    return (size_t)(gfin_table_column_of(y, GFIN_C_YEARS_CALENDAR_YEAR)[0] - a->start);
}

static gfin_status agg_init(agg *a, gfin_result **results)
{
    const gfin_portfolio *pf = a->pf;
    size_t most_rows = 1;
    a->years = 1;
    for (size_t i = 0; i < pf->nprojects; ++i) {
        const gfin_table *y = gfin_result_table(results[i], "years");
        a->years = offset_of(a, y) + y->rows > a->years ? offset_of(a, y) + y->rows : a->years;
        most_rows = y->rows > most_rows ? y->rows : most_rows;
    }
    a->pt = gfin__table_of(a->years, PCOLS, NP);
    for (size_t t = 0; t < GFIN_TECH_COUNT; ++t)
        if (!(a->tech[t] = gfin__table_of(a->years, TCOLS, NT)))
            return GFIN_ENOMEM;
    a->fund_out = gfin__calloc(a->years + most_rows, sizeof *a->fund_out);
    if (!a->pt || !a->fund_out || (pf->fund && gfin__fund_book_init(&a->book, a->years, a->start)))
        return GFIN_ENOMEM;
    a->lost = a->fund_out + a->years;
    return GFIN_OK;
}

static void agg_free(agg *a)
{
    gfin_table_free(a->pt);
    for (size_t t = 0; t < GFIN_TECH_COUNT; ++t)
        gfin_table_free(a->tech[t]);
    gfin__fund_book_clear(&a->book);
    gfin__free(a->fund_out);
}

/* A fund loan in another currency enters the fund's books translated at the
 * rates of its years (docs/model.md 3.1; the project's evaluation checked its
 * fx path): *out is its schedule translated (the caller frees it), *fee its
 * upfront fee at the rate of its first year, *principal the drawdowns
 * translated. *out stays NULL for a loan in the portfolio's currency. */
static gfin_status fund_loan_fx(const agg *a, const gfin_loan *terms, const gfin_table *s, size_t offset,
                                gfin_table **out, double *fee, double *principal)
{
    const char *cur = terms ? gfin_loan_get_string(terms, GFIN_LOAN_CURRENCY) : NULL;
    const gfin_fx_path *xp = cur && *cur ? gfin__fx_find(&a->pf->fx, cur) : NULL;
    *out = NULL;
    if (!xp)
        return GFIN_OK;
    const int first = a->start + (int)offset;
    if (!(*out = gfin__fx_translate(s, (int)gfin__schedule_frequency(s), xp, a->start, first)))
        return GFIN_ENOMEM;
    *fee *= gfin__fx_rate(xp, a->start, first);
    const double *draw = gfin_table_column_of(*out, GFIN_C_SCHEDULE_DRAWDOWN);
    *principal = 0;
    for (size_t k = 0; k < (*out)->rows; ++k)
        *principal += draw[k];
    return GFIN_OK;
}

/* The project's fund loans into the fund's book and the fund's balance in
 * the project by year (a->fund_out); *lent the principal lent. */
static gfin_status add_fund_loans(agg *a, size_t i, const gfin_result *r, size_t offset, double *lent_out)
{
    const gfin_table *y = gfin_result_table(r, "years");
    memset(a->fund_out + offset, 0, y->rows * sizeof *a->fund_out);
    lost_fractions(y, a->lost);
    double lent = 0;
    for (size_t l = 0; l < gfin_result_child_count(r); ++l) {
        if (!gfin__project_loan_from_fund(a->pf->projects[i], l))
            continue;
        const gfin_result *lr = gfin_result_child(r, l);
        if (!a->pf->fund) {
            if (!a->orphan_loans++)
                a->orphan_project = gfin_result_id(r);
            continue;
        }
        const gfin_table *s = gfin_result_table(lr, "schedule");
        /* The attached loans come first among the children; the sized loan
         * (after them) has no upfront fee. */
        const gfin_loan *terms = gfin_project_loan(a->pf->projects[i], l);
        double fee = 0, principal_committed = 0;
        if (terms && gfin_loan_get(terms, GFIN_LOAN_UPFRONT_FEE, &fee) == GFIN_OK &&
            gfin_loan_get(terms, GFIN_LOAN_PRINCIPAL, &principal_committed) == GFIN_OK)
            fee *= principal_committed;
        else
            fee = 0;
        double principal = metric_or(lr, GFIN_M_TOTAL_DRAWN, 0);
        gfin_table *translated;
        if (fund_loan_fx(a, terms, s, offset, &translated, &fee, &principal))
            return GFIN_ENOMEM;
        gfin__fund_book_add(&a->book, translated ? translated : s, fee, offset, a->lost, a->fund_out);
        gfin_table_free(translated);
        lent += principal;
        a->rate_w += principal * gfin_table_column_of(s, GFIN_C_SCHEDULE_RATE)[0];
        const double ge = metric_or(lr, GFIN_M_GRANT_ELEMENT, NAN);
        if (isfinite(ge))
            a->grant_equiv += ge * principal;
    }
    *lent_out = lent;
    return GFIN_OK;
}

/* One project's figures into the totals and its technology's table. */
static gfin_status add_project(agg *a, size_t i, const gfin_result *r)
{
    const gfin_table *y = gfin_result_table(r, "years");
    const size_t offset = offset_of(a, y);
    const size_t t = (size_t)gfin__p_num(gfin__project_store(a->pf->projects[i]), GFIN_PROJECT_TECHNOLOGY);
    const double p_capex = metric_or(r, GFIN_M_CAPEX, 0), p_cap = metric_or(r, GFIN_M_CAPACITY_MW, 0);
    a->cap += p_cap;
    a->cap_tech[t] += p_cap;
    a->capex += p_capex;
    a->lifetime += metric_or(r, GFIN_M_LIFETIME_REDUCTIONS_TCO2E, 0);
    const double *net = gfin_table_column_of(y, GFIN_C_YEARS_NET_MWH),
                 *red = gfin_table_column_of(y, GFIN_C_YEARS_REDUCTIONS_TCO2E);
    double *pc_net = gfin__col(a->pt, P_NET), *pc_red = gfin__col(a->pt, P_RED), *pc_attr = gfin__col(a->pt, P_ATTR);
    double *tc_net = gfin__col(a->tech[t], T_NET), *tc_red = gfin__col(a->tech[t], T_RED),
           *tc_attr = gfin__col(a->tech[t], T_ATTR);
    for (size_t k = 0; k < y->rows; ++k) {
        pc_net[offset + k] += net[k];
        tc_net[offset + k] += net[k];
        pc_red[offset + k] += red[k];
        tc_red[offset + k] += red[k];
    }
    double lent;
    if (add_fund_loans(a, i, r, offset, &lent))
        return GFIN_ENOMEM;
    a->committed += lent;
    if (lent > 0)
        a->capex_lent += p_capex;
    /* PCAF's attribution factor is at most 1: a fund whose balance exceeds
     * the project's capex (debt + equity) financed all of it, no more. */
    double most = 0;
    for (size_t k = 0; k < y->rows; ++k) {
        const double bal = a->fund_out[offset + k], attr = bal > 0 ? red[k] * fmin(1, bal / p_capex) : 0;
        most = fmax(most, bal);
        pc_attr[offset + k] += attr;
        tc_attr[offset + k] += attr;
    }
    if (most > p_capex)
        return gfin__result_add_warning(a->out,
                                        "%s: the fund's outstanding balance %.10g exceeds the project's capex "
                                        "%.10g: its attribution share is capped at 1",
                                        gfin_result_id(r), most, p_capex);
    return GFIN_OK;
}

/* A project without carbon figures (no grid) leaves the portfolio's carbon
 * figures unknown: they are null, not a sum over the projects that have them,
 * which a reader would take for the portfolio's total. */
static gfin_status null_unknown_carbon(agg *a, gfin_result **results)
{
    size_t no_carbon = 0;
    char ids[160] = "";
    for (size_t i = 0; i < a->pf->nprojects; ++i) {
        double v;
        if (gfin_result_metric(results[i], GFIN_M_LIFETIME_REDUCTIONS_TCO2E, &v) == GFIN_OK)
            continue;
        size_t used = strlen(ids);
        if (used < sizeof ids - 8)
            snprintf(ids + used, sizeof ids - used, "%s%s", no_carbon ? ", " : "", gfin_result_id(results[i]));
        no_carbon++;
    }
    if (!no_carbon)
        return GFIN_OK;
    a->lifetime = NAN; /* and attributed, the sum of the NaN column */
    for (size_t y = 0; y < a->years; ++y) {
        gfin__col(a->pt, P_RED)[y] = gfin__col(a->pt, P_ATTR)[y] = NAN;
        for (size_t t = 0; t < GFIN_TECH_COUNT; ++t)
            gfin__col(a->tech[t], T_RED)[y] = gfin__col(a->tech[t], T_ATTR)[y] = NAN;
    }
    return gfin__result_add_warning(
        a->out, "carbon: %zu project%s without emission factors (%s): the portfolio's reductions and attributed "
                "reductions are null", no_carbon, no_carbon > 1 ? "s" : "", ids);
}

/* The column of the "portfolio" table with registry number `column`. */
static double *portfolio_col(agg *a, int column)
{
    for (size_t j = 0; j < NP; ++j)
        if ((int)PCOLS[j] == column)
            return gfin__col(a->pt, j);
    return NULL;
}

/* Years, cumulative reductions, and the 1.0 columns by technology copied from
 * the technology tables. Returns the attributed total. */
static double finish_years(agg *a)
{
    double cum = 0, attributed = 0;
    for (size_t y = 0; y < a->years; ++y) {
        gfin__col(a->pt, P_YEAR)[y] = (double)(y + 1);
        gfin__col(a->pt, P_CAL)[y] = (double)(a->start + (int)y);
        cum += gfin__col(a->pt, P_RED)[y];
        gfin__col(a->pt, P_CUM)[y] = cum;
        attributed += gfin__col(a->pt, P_ATTR)[y];
    }
    for (size_t t = 0; t < GFIN_TECH_COUNT; ++t) {
        gfin_table *tt = a->tech[t];
        memcpy(gfin__col(tt, T_YEAR), gfin__col(a->pt, P_YEAR), a->years * sizeof(double));
        memcpy(gfin__col(tt, T_CAL), gfin__col(a->pt, P_CAL), a->years * sizeof(double));
        double *net = portfolio_col(a, gfin__tech(t)->net_column),
               *red = portfolio_col(a, gfin__tech(t)->reductions_column);
        if (net)
            memcpy(net, gfin__col(tt, T_NET), a->years * sizeof(double));
        if (red)
            memcpy(red, gfin__col(tt, T_RED), a->years * sizeof(double));
    }
    return attributed;
}

static gfin_status add_metrics(agg *a, double attributed)
{
    gfin_result *out = a->out;
    gfin_status st;
    if ((st = gfin__result_add_metric(out, GFIN_M_PROJECT_COUNT, (double)a->pf->nprojects)) ||
        (st = gfin__result_add_metric(out, GFIN_M_CAPACITY_MW, a->cap)))
        return st;
    for (size_t t = 0; t < GFIN_TECH_COUNT; ++t)
        if ((st = gfin__result_add_metric(out, gfin__tech(t)->capacity_metric, a->cap_tech[t])))
            return st;
    if ((st = gfin__result_add_metric(out, GFIN_M_TOTAL_CAPEX, a->capex)) ||
        (st = gfin__result_add_metric(out, GFIN_M_LIFETIME_REDUCTIONS_TCO2E, a->lifetime)))
        return st;
    if (a->orphan_loans &&
        (st = gfin__result_add_warning(out,
                                       "%zu loan%s lent by \"fund\" (the first in project %s) but the portfolio has "
                                       "no fund: no fund figures are computed (add a \"fund\")",
                                       a->orphan_loans, a->orphan_loans > 1 ? "s are" : " is", a->orphan_project)))
        return st;
    if (!a->pf->fund)
        return GFIN_OK;
    const double committed = a->committed;
    if ((st = gfin__result_add_metric(out, GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E, attributed)) ||
        (st = gfin__result_add_metric(out, GFIN_M_FUND_SUBSIDY_PER_TCO2E,
                                      attributed > 0 ? a->grant_equiv / attributed : NAN)) ||
        (st = gfin__result_add_metric(out, GFIN_M_MOBILIZATION_RATIO,
                                      committed > 0 ? (a->capex_lent - committed) / committed : NAN)))
        return st;
    return gfin__fund_finish(a->pf->fund, &a->book, committed, a->rate_w, out);
}

/* The tables go to the result (which owns them from then on, freed on failure too). */
static gfin_status add_tables(agg *a)
{
    gfin_status st = gfin__result_add_table(a->out, "portfolio", a->pt);
    a->pt = NULL;
    for (size_t t = 0; t < GFIN_TECH_COUNT; ++t) {
        if (!st)
            st = gfin__result_add_table(a->out, gfin__tech(t)->table, a->tech[t]);
        else
            gfin_table_free(a->tech[t]);
        a->tech[t] = NULL;
    }
    return st;
}

static gfin_status aggregate(const gfin_portfolio *pf, gfin_result **results, gfin_result **tagged, gfin_result *out)
{
    agg a = {.pf = pf, .out = out, .start = (int)gfin__p_num(&pf->p, GFIN_PORTFOLIO_START_YEAR)};
    gfin_status st = agg_init(&a, results);
    for (size_t i = 0; !st && i < pf->nprojects; ++i)
        st = add_project(&a, i, results[i]);
    if (!st && !(st = null_unknown_carbon(&a, results)))
        st = add_metrics(&a, finish_years(&a));
    if (!st)
        st = add_tables(&a);
    /* Every project's warnings, prefixed by its id, after the portfolio's own. */
    for (size_t i = 0; !st && i < pf->nprojects; ++i)
        if (tagged[i])
            st = gfin__result_move_warnings(out, tagged[i]);
    agg_free(&a);
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
