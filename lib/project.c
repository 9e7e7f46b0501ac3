/* project.c -- one hydropower or solar project: the handle, its inputs and
 * loans, and those inputs resolved (the portfolio's defaults applied) and
 * checked as a whole into the model that waterfall.c evaluates and sizing.c
 * sizes debt on. Semantics: docs/model.md "Projects". */
#include "project_model.h"
#include "dates.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_LOANS GFIN_PROJECT_MAX_LOANS


/* ---- handle ---- */

gfin_project *gfin_project_new(void)
{
    gfin_project *pr = gfin__calloc(1, sizeof *pr);
    if (!pr)
        return NULL;
    gfin__pstore_init(&pr->p, GFIN_OBJ_PROJECT);
    gfin__pstore_init(&pr->grid, GFIN_OBJ_GRID);
    gfin__pstore_init(&pr->sizing, GFIN_OBJ_DEBT_SIZING);
    return pr;
}

void gfin_project_free(gfin_project *pr)
{
    if (!pr)
        return;
    gfin__pstore_clear(&pr->p);
    gfin__pstore_clear(&pr->grid);
    gfin__pstore_clear(&pr->sizing);
    for (size_t i = 0; i < pr->nloans; ++i)
        gfin_loan_free(pr->loans[i]);
    gfin__free(pr->loans);
    gfin__free(pr);
}

gfin_project *gfin_project_copy(const gfin_project *src)
{
    if (!src)
        return NULL;
    gfin_project *pr = gfin__calloc(1, sizeof *pr);
    if (!pr)
        return NULL;
    gfin__pstore_init(&pr->p, GFIN_OBJ_PROJECT);
    gfin__pstore_init(&pr->grid, GFIN_OBJ_GRID);
    gfin__pstore_init(&pr->sizing, GFIN_OBJ_DEBT_SIZING);
    if (gfin__pstore_copy(&pr->p, &src->p) || gfin__pstore_copy(&pr->grid, &src->grid) ||
        gfin__pstore_copy(&pr->sizing, &src->sizing))
        goto fail;
    if (src->nloans) {
        pr->loans = gfin__calloc(src->nloans, sizeof *pr->loans);
        if (!pr->loans)
            goto fail;
        for (; pr->nloans < src->nloans; ++pr->nloans)
            if (!(pr->loans[pr->nloans] = gfin_loan_copy(src->loans[pr->nloans])))
                goto fail;
    }
    return pr;
fail:
    gfin_project_free(pr);
    return NULL;
}

#define STORES(pr) ((gfin_pstore *const[]){&(pr)->p, &(pr)->grid, &(pr)->sizing})

gfin_status gfin_project_set(gfin_project *pr, gfin_key key, double value)
{
    return pr ? gfin__handle_set(STORES(pr), 3, &pr->last, key, value) : GFIN_EINVAL;
}

gfin_status gfin_project_set_array(gfin_project *pr, gfin_key key, const double *values, size_t n)
{
    return pr ? gfin__handle_set_array(STORES(pr), 3, &pr->last, key, values, n) : GFIN_EINVAL;
}

gfin_status gfin_project_set_string(gfin_project *pr, gfin_key key, const char *value)
{
    return pr ? gfin__handle_set_string(STORES(pr), 3, &pr->last, key, value) : GFIN_EINVAL;
}

gfin_status gfin_project_unset(gfin_project *pr, gfin_key key)
{
    return pr ? gfin__handle_unset(STORES(pr), 3, key) : GFIN_EINVAL;
}

#define CSTORES(pr) ((const gfin_pstore *const[]){&(pr)->p, &(pr)->grid, &(pr)->sizing})

gfin_status gfin_project_get(const gfin_project *pr, gfin_key key, double *out)
{
    const gfin_pstore *s = pr ? gfin__pstore_route_const(CSTORES(pr), 3, key) : NULL;
    return s ? gfin__pstore_get(s, key, out) : GFIN_EINVAL;
}

const char *gfin_project_get_string(const gfin_project *pr, gfin_key key)
{
    const gfin_pstore *s = pr ? gfin__pstore_route_const(CSTORES(pr), 3, key) : NULL;
    return s ? gfin__pstore_get_string(s, key) : NULL;
}

gfin_status gfin_project_get_array(const gfin_project *pr, gfin_key key, const double **values, size_t *n)
{
    const gfin_pstore *s = pr ? gfin__pstore_route_const(CSTORES(pr), 3, key) : NULL;
    return s ? gfin__pstore_get_array(s, key, values, n) : GFIN_EINVAL;
}

const gfin_error *gfin_project_last_error(const gfin_project *pr) { return pr ? &pr->last : NULL; }

gfin_status gfin__project_adopt_loan(gfin_project *pr, gfin_loan *loan, gfin_error *err)
{
    gfin_status st = GFIN_OK;
    gfin_loan **grown = NULL;
    if (pr->nloans >= MAX_LOANS)
        st = gfin__fail(err, GFIN_EINVAL, "loans", "a project takes at most %d loans", MAX_LOANS);
    else if (!(grown = gfin__realloc(pr->loans, (pr->nloans + 1) * sizeof *grown)))
        st = gfin__fail(err, GFIN_ENOMEM, "loans", "out of memory");
    if (st) {
        gfin_loan_free(loan);
        return st;
    }
    pr->loans = grown;
    pr->loans[pr->nloans++] = loan;
    return GFIN_OK;
}

gfin_status gfin_project_add_loan(gfin_project *pr, const gfin_loan *loan, gfin_error *err)
{
    if (!pr || !loan)
        return gfin__fail(err, GFIN_EINVAL, "", "project and loan must not be NULL");
    gfin_loan *copy = gfin_loan_copy(loan);
    if (!copy)
        return gfin__fail(err, GFIN_ENOMEM, "loans", "out of memory");
    return gfin__project_adopt_loan(pr, copy, err);
}

size_t gfin_project_loan_count(const gfin_project *pr) { return pr ? pr->nloans : 0; }

const gfin_loan *gfin_project_loan(const gfin_project *pr, size_t i)
{
    return (pr && i < pr->nloans) ? pr->loans[i] : NULL;
}

const gfin_pstore *gfin__project_store(const gfin_project *pr) { return &pr->p; }

gfin_loan *gfin__project_loan_mut(gfin_project *pr, size_t i) { return i < pr->nloans ? pr->loans[i] : NULL; }

gfin_pstore *gfin__project_store_mut(gfin_project *pr, gfin_object obj)
{
    return obj == GFIN_OBJ_PROJECT ? &pr->p : obj == GFIN_OBJ_GRID ? &pr->grid
         : obj == GFIN_OBJ_DEBT_SIZING ? &pr->sizing : NULL;
}

static bool store_empty(const gfin_pstore *s)
{
    for (size_t i = 0; i < GFIN_STORE_SLOTS; ++i)
        if (s->v[i].set)
            return false;
    return true;
}

bool gfin__project_sizes_debt(const gfin_project *pr) { return !store_empty(&pr->sizing); }

bool gfin__project_loan_from_fund(const gfin_project *pr, size_t i)
{
    const char *lender = i < pr->nloans ? gfin__p_str(gfin__loan_store(pr->loans[i]), GFIN_LOAN_LENDER)
                                        : gfin__p_str(&pr->sizing, GFIN_SIZING_LENDER);
    return strcmp(lender, "fund") == 0;
}

/* Carbon errors about the grid's keys are reported under "grid". */
void gfin__project_carbon_error(gfin_error *e, gfin_error *err)
{
    if (strncmp(e->path, "ef_", 3) == 0)
        gfin__error_prefix(e, "grid");
    if (err)
        *err = *e;
}

/* ---- resolved inputs ---- */

static gfin_status fail_inherited(gfin_error *err, const char *key)
{
    return gfin__fail(err, GFIN_EINVAL, key, "is required: set it on the project or on the portfolio");
}

static void resolve_grid(const gfin_pstore *g, gfin_carbon_in *c)
{
    c->ef_cm = gfin__p_isset(g, GFIN_GRID_EF_CM) ? gfin__p_num(g, GFIN_GRID_EF_CM) : NAN;
    c->ef_om = gfin__p_isset(g, GFIN_GRID_EF_OM) ? gfin__p_num(g, GFIN_GRID_EF_OM) : NAN;
    c->ef_bm = gfin__p_isset(g, GFIN_GRID_EF_BM) ? gfin__p_num(g, GFIN_GRID_EF_BM) : NAN;
    c->ef_change_per_year = gfin__p_num(g, GFIN_GRID_EF_CHANGE_PER_YEAR);
}

/* Discount rate, start year and grid: the project's own, else the portfolio's. */
static gfin_status resolve_inherited(const gfin_project *pr, const gfin_inherit *inh, gfin_model *m, gfin_error *err)
{
    const gfin_pstore *s = &pr->p;
    if (gfin__p_isset(s, GFIN_PROJECT_DISCOUNT_RATE))
        m->discount = gfin__p_num(s, GFIN_PROJECT_DISCOUNT_RATE);
    else if (inh && isfinite(inh->discount_rate))
        m->discount = inh->discount_rate;
    else
        return fail_inherited(err, "discount_rate");
    if (gfin__p_isset(s, GFIN_PROJECT_START_YEAR))
        m->start_year = (int)gfin__p_num(s, GFIN_PROJECT_START_YEAR);
    else if (inh && inh->start_year)
        m->start_year = inh->start_year;
    else
        return fail_inherited(err, "start_year");
    if (inh && inh->start_year && m->start_year < inh->start_year)
        return gfin__fail(err, GFIN_EINVAL, "start_year", "%d is before the portfolio's start year %d",
                          m->start_year, inh->start_year);

    /* The project's grid replaces the portfolio's as a whole. */
    /* Without a grid (a finance-only screen) the carbon figures are null,
     * unless credits are sold: their revenue needs the reductions. */
    m->grid = !store_empty(&pr->grid) ? &pr->grid : (inh && inh->grid && !store_empty(inh->grid)) ? inh->grid : NULL;
    if (m->grid)
        resolve_grid(m->grid, &m->carbon);
    else if (gfin__p_num(s, GFIN_PROJECT_CARBON_PRICE_PER_TCO2E) > 0 &&
             gfin__p_num(s, GFIN_PROJECT_CREDITING) != GFIN_CREDITING_NONE)
        return gfin__fail(err, GFIN_EINVAL, "grid",
                          "is required when carbon_price_per_tco2e is above 0: credit revenue needs the emission "
                          "reductions; set it on the project or on the portfolio");
    return GFIN_OK;
}

/* capex_profile: C fractions summing to 1, or an even spread. */
static gfin_status resolve_profile(const gfin_pstore *s, gfin_model *m, gfin_error *err)
{
    size_t n;
    const double *prof = gfin__p_arr(s, GFIN_PROJECT_CAPEX_PROFILE, &n);
    if (!prof) {
        for (size_t i = 0; i < m->C; ++i)
            m->profile[i] = 1.0 / (double)m->C;
        return GFIN_OK;
    }
    if (n != m->C)
        return gfin__fail(err, GFIN_EINVAL, "capex_profile",
                          "has %zu values; construction_years is %zu and they must match", n, m->C);
    double sum = 0;
    for (size_t i = 0; i < n; ++i)
        sum += prof[i];
    if (fabs(sum - 1) > 1e-9)
        return gfin__fail(err, GFIN_EINVAL, "capex_profile", "the fractions sum to %.12g, not 1 (tolerance 1e-9)",
                          sum);
    memcpy(m->profile, prof, n * sizeof *prof);
    return GFIN_OK;
}

static void resolve_energy(const gfin_pstore *s, gfin_model *m)
{
    gfin_energy_in *e = &m->energy;
    e->technology = (gfin_technology)gfin__p_num(s, GFIN_PROJECT_TECHNOLOGY);
    e->capacity_mw = gfin__p_num(s, GFIN_PROJECT_CAPACITY_MW);
    e->specific_yield = gfin__p_isset(s, GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP)
                            ? gfin__p_num(s, GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP) : NAN;
    e->capacity_factor = gfin__p_isset(s, GFIN_PROJECT_CAPACITY_FACTOR)
                             ? gfin__p_num(s, GFIN_PROJECT_CAPACITY_FACTOR) : NAN;
    e->monthly_flow = gfin__p_arr(s, GFIN_PROJECT_MONTHLY_FLOW_M3S, &e->monthly_flow_len);
    e->head_m = gfin__p_isset(s, GFIN_PROJECT_HEAD_M) ? gfin__p_num(s, GFIN_PROJECT_HEAD_M) : NAN;
    e->efficiency = gfin__p_num(s, GFIN_PROJECT_EFFICIENCY);
    e->availability = gfin__p_num(s, GFIN_PROJECT_AVAILABILITY);
    e->losses = gfin__p_num(s, GFIN_PROJECT_LOSSES);
    e->own_use = gfin__p_num(s, GFIN_PROJECT_OWN_USE);
    e->degradation = gfin__p_num(s, GFIN_PROJECT_DEGRADATION);
    m->s90 = 1 - GFIN_P90_Z * gfin__p_num(s, GFIN_PROJECT_YIELD_UNCERTAINTY);
}

/* Crediting and the reservoir's power density (ACM0002). */
static gfin_status resolve_carbon(const gfin_pstore *s, gfin_model *m, gfin_error *err)
{
    const gfin_energy_in *e = &m->energy;
    gfin_carbon_in *c = &m->carbon;
    c->technology = e->technology;
    c->crediting = (gfin_crediting)gfin__p_num(s, GFIN_PROJECT_CREDITING);
    c->power_density = NAN;
    double area = gfin__p_num(s, GFIN_PROJECT_RESERVOIR_AREA_KM2);
    double area_bl = gfin__p_num(s, GFIN_PROJECT_BASELINE_AREA_KM2);
    if (e->technology == GFIN_TECH_HYDRO && area > area_bl) {
        double pd;
        gfin_status st = gfin_power_density_w_m2(e->capacity_mw, gfin__p_num(s, GFIN_PROJECT_BASELINE_CAPACITY_MW),
                                                 area, area_bl, &pd);
        if (st)
            return gfin__fail(err, st, "baseline_capacity_mw", "the power density cannot be computed");
        c->power_density = pd;
    } else if (e->technology == GFIN_TECH_SOLAR && area > 0) {
        return gfin__fail(err, GFIN_EINVAL, "reservoir_area_km2", "applies to hydro projects only");
    } else if (area < area_bl) {
        return gfin__fail(err, GFIN_EINVAL, "reservoir_area_km2",
                          "is smaller than baseline_area_km2: the project cannot shrink the reservoir");
    }
    return GFIN_OK;
}

static gfin_status check_sizing(const gfin_project *pr, const gfin_model *m, gfin_error *err)
{
    if (store_empty(&pr->sizing))
        return GFIN_OK;
    gfin_error e2 = {0};
    gfin_status st = gfin__pstore_check_required(&pr->sizing, &e2);
    if (st) {
        gfin__error_prefix(&e2, "debt_sizing");
        if (err)
            *err = e2;
        return st;
    }
    size_t tenor = (size_t)gfin__p_num(&pr->sizing, GFIN_SIZING_TENOR_YEARS);
    if (tenor > m->O)
        return gfin__fail(err, GFIN_EINVAL, "debt_sizing.tenor_years",
                          "%zu years is longer than the %zu operating years", tenor, m->O);
    return GFIN_OK;
}

/* A loan's period 1 starts with the project's year 1: a dated loan starts in
 * that calendar year (a 2090 date on a 2027 project would be booked in 2027
 * while its schedule says 2090). */
static gfin_status check_loan_start(const gfin_pstore *ls, const char *path, const gfin_model *m, gfin_error *err)
{
    if (!gfin__p_isset(ls, GFIN_LOAN_START_DATE))
        return GFIN_OK;
    const gfin_date sd = (gfin_date)gfin__p_num(ls, GFIN_LOAN_START_DATE);
    int y, mo, d;
    if (gfin_date_to_ymd(sd, &y, &mo, &d) != GFIN_OK || y == m->start_year)
        return GFIN_OK;
    char spath[48], ds[16];
    snprintf(spath, sizeof spath, "%s.start_date", path);
    gfin__date_str(sd, ds);
    return gfin__fail(err, GFIN_EINVAL, spath,
                      "%s is outside the project's first year %d: a loan's period 1 starts with the "
                      "project's year 1 (%d-01-01 .. %d-12-31)",
                      ds, m->start_year, m->start_year, m->start_year);
}

/* Loan i as a part of the project: valid, within its years, its id unique. */
static gfin_status check_loan(const gfin_project *pr, size_t i, const gfin_model *m, gfin_error *err)
{
    char path[32];
    snprintf(path, sizeof path, "loans[%zu]", i);
    gfin_error e2 = {0};
    gfin_status st = gfin_loan_validate(pr->loans[i], &e2);
    if (st) {
        gfin__error_prefix(&e2, path);
        if (err)
            *err = e2;
        return st;
    }
    const gfin_pstore *ls = gfin__loan_store(pr->loans[i]);
    size_t N = gfin__loan_periods(pr->loans[i]);
    double f = gfin__p_num(ls, GFIN_LOAN_FREQUENCY);
    if ((double)N / f > (double)m->T + 1e-12)
        return gfin__fail(err, GFIN_EINVAL, path, "runs %.4g years, beyond the project's %zu years "
                          "(%zu construction + %zu operating)", (double)N / f, m->T, m->C, m->O);
    if ((st = check_loan_start(ls, path, m, err)))
        return st;
    /* Loan ids name the loans in the results: they must be unique. */
    const char *id = gfin__p_str(ls, GFIN_LOAN_ID);
    for (size_t k = 0; *id && k < i; ++k)
        if (strcmp(id, gfin__p_str(gfin__loan_store(pr->loans[k]), GFIN_LOAN_ID)) == 0)
            return gfin__fail(err, GFIN_EINVAL, path, "duplicate loan id \"%s\" (also loans[%zu])", id, k);
    if (*id && !store_empty(&pr->sizing) && strcmp(id, gfin__p_str(&pr->sizing, GFIN_SIZING_ID)) == 0)
        return gfin__fail(err, GFIN_EINVAL, path, "loan id \"%s\" is also the sized loan's id", id);
    return GFIN_OK;
}

/* The structures that name loans (docs/model.md 6.5): the loan dsra_funding
 * names, and the swept loans, all in the portfolio's currency (their amounts
 * come from the project's cash, in that currency). */
static gfin_status check_structures(const gfin_project *pr, gfin_model *m, gfin_error *err)
{
    const gfin_pstore *s = &pr->p;
    const char *funding = gfin__p_str(s, GFIN_PROJECT_DSRA_FUNDING);
    char ids[160] = "";
    m->dsra_loan = SIZE_MAX;
    size_t swept = 0;
    for (size_t i = 0; i < pr->nloans; ++i) {
        const gfin_pstore *ls = gfin__loan_store(pr->loans[i]);
        const char *id = gfin__p_str(ls, GFIN_LOAN_ID), *cur = gfin__p_str(ls, GFIN_LOAN_CURRENCY);
        size_t used = strlen(ids);
        if (*id && used < sizeof ids - 8)
            snprintf(ids + used, sizeof ids - used, "%s\"%s\"", used ? ", " : "", id);
        if (*id && strcmp(id, funding) == 0) {
            if (*cur)
                return gfin__fail(err, GFIN_EINVAL, "dsra_funding",
                                  "loan \"%s\" is in %s: only a loan in the portfolio's currency can draw the reserve",
                                  id, cur);
            m->dsra_loan = i;
        }
        if (gfin__p_num(ls, GFIN_LOAN_SWEPT) == GFIN_SWEPT_YES) {
            char path[40];
            snprintf(path, sizeof path, "loans[%zu].swept", i);
            if (*cur)
                return gfin__fail(err, GFIN_EINVAL, path,
                                  "the loan is in %s: only a loan in the portfolio's currency can be swept", cur);
            swept++;
        }
    }
    if (m->dsra_loan == SIZE_MAX && *funding && strcmp(funding, "equity") != 0)
        return gfin__fail(err, GFIN_EINVAL, "dsra_funding",
                          "\"%.40s\" is neither \"equity\" nor the id of one of the project's loans (%s)", funding,
                          *ids ? ids : "it has none with an id");
    m->sweep = gfin__p_num(s, GFIN_PROJECT_CASH_SWEEP);
    if (m->sweep > 0 && !swept)
        return gfin__fail(err, GFIN_EINVAL, "cash_sweep",
                          "%g of the cash is swept, but no loan of the project has swept \"yes\"", m->sweep);
    return GFIN_OK;
}

gfin_status gfin__project_resolve(const gfin_project *pr, const gfin_inherit *inh, gfin_model *m, gfin_error *err)
{
    if (!pr)
        return gfin__fail(err, GFIN_EINVAL, "", "project is NULL");
    const gfin_pstore *s = &pr->p;
    gfin_status st = gfin__pstore_check_required(s, err);
    if (st)
        return st;
    memset(m, 0, sizeof *m);
    m->pr = pr;
    m->C = (size_t)gfin__p_num(s, GFIN_PROJECT_CONSTRUCTION_YEARS);
    m->O = (size_t)gfin__p_num(s, GFIN_PROJECT_OPERATING_YEARS);
    m->T = m->C + m->O;
    m->capex = gfin__p_num(s, GFIN_PROJECT_CAPEX);
    if ((st = resolve_inherited(pr, inh, m, err)) || (st = resolve_profile(s, m, err)))
        return st;
    resolve_energy(s, m);
    if ((st = resolve_carbon(s, m, err)) || (st = check_sizing(pr, m, err)))
        return st;
    for (size_t i = 0; i < pr->nloans; ++i)
        if ((st = check_loan(pr, i, m, err)))
            return st;
    return check_structures(pr, m, err);
}

gfin_status gfin_project_validate(const gfin_project *pr, gfin_error *err)
{
    gfin_model m;
    gfin_status st = gfin__project_resolve(pr, NULL, &m, err);
    if (st)
        return st;
    /* Energy and carbon inputs are checked by their modules on a one-year run. */
    double g, n, b, p, r, c;
    bool na;
    if ((st = gfin__energy_yearly(&m.energy, 1, &g, &n, err)))
        return st;
    gfin_error e2 = {0};
    if (m.grid && (st = gfin__carbon_yearly(&m.carbon, 1, &g, &n, &b, &p, &r, &c, &na, &e2))) {
        gfin__project_carbon_error(&e2, err);
    }
    return st;
}
