/* project.c -- one hydropower or solar project: yearly energy and carbon, the
 * cash-flow waterfall, taxes, debt service from its loans (or debt sized from a
 * target DSCR), and the project metrics. Semantics: MODEL.md "Project". */
#include "project.h"
#include "loan.h"
#include "energy.h"
#include "carbon.h"
#include "reserves.h"
#include "table.h"
#include "dates.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_LOANS 64

struct gfin_project {
    gfin_pstore p, grid, sizing;
    gfin_loan **loans;
    size_t nloans;
    gfin_error last;
};

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

bool gfin__project_loan_from_fund(const gfin_project *pr, size_t i)
{
    const char *lender = i < pr->nloans ? gfin__p_str(gfin__loan_store(pr->loans[i]), GFIN_LOAN_LENDER)
                                        : gfin__p_str(&pr->sizing, GFIN_SIZING_LENDER);
    return strcmp(lender, "fund") == 0;
}

/* Carbon errors about the grid's keys are reported under "grid". */
static void carbon_error(gfin_error *e, gfin_error *err)
{
    if (strncmp(e->path, "ef_", 3) == 0)
        gfin__error_prefix(e, "grid");
    if (err)
        *err = *e;
}

/* ---- resolved inputs ---- */

typedef struct model {
    const gfin_project *pr;
    size_t C, O, T;
    int start_year;
    double discount;
    const gfin_pstore *grid;
    gfin_energy_in energy;
    gfin_carbon_in carbon;
    double capex;
    double profile[15];
    double s90;                  /* P90 / P50 energy */
} model;

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

static gfin_status resolve(const gfin_project *pr, const gfin_inherit *inh, model *m, gfin_error *err)
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

    size_t n;
    const double *prof = gfin__p_arr(s, GFIN_PROJECT_CAPEX_PROFILE, &n);
    if (prof) {
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
    } else {
        for (size_t i = 0; i < m->C; ++i)
            m->profile[i] = 1.0 / (double)m->C;
    }

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

    gfin_carbon_in *c = &m->carbon;
    c->technology = e->technology;
    c->crediting = (gfin_crediting)gfin__p_num(s, GFIN_PROJECT_CREDITING);
    c->power_density = NAN;
    double area = gfin__p_num(s, GFIN_PROJECT_RESERVOIR_AREA_KM2);
    double area_bl = gfin__p_num(s, GFIN_PROJECT_BASELINE_AREA_KM2);
    if (e->technology == GFIN_TECH_HYDRO && area > area_bl) {
        double pd;
        if ((st = gfin_power_density_w_m2(e->capacity_mw, gfin__p_num(s, GFIN_PROJECT_BASELINE_CAPACITY_MW), area,
                                          area_bl, &pd)))
            return gfin__fail(err, st, "baseline_capacity_mw", "the power density cannot be computed");
        c->power_density = pd;
    } else if (e->technology == GFIN_TECH_SOLAR && area > 0) {
        return gfin__fail(err, GFIN_EINVAL, "reservoir_area_km2", "applies to hydro projects only");
    } else if (area < area_bl) {
        return gfin__fail(err, GFIN_EINVAL, "reservoir_area_km2",
                          "is smaller than baseline_area_km2: the project cannot shrink the reservoir");
    }

    if (!store_empty(&pr->sizing)) {
        gfin_error e2 = {0};
        if ((st = gfin__pstore_check_required(&pr->sizing, &e2))) {
            gfin__error_prefix(&e2, "debt_sizing");
            if (err)
                *err = e2;
            return st;
        }
        size_t tenor = (size_t)gfin__p_num(&pr->sizing, GFIN_SIZING_TENOR_YEARS);
        if (tenor > m->O)
            return gfin__fail(err, GFIN_EINVAL, "debt_sizing.tenor_years",
                              "%zu years is longer than the %zu operating years", tenor, m->O);
    }

    for (size_t i = 0; i < pr->nloans; ++i) {
        char path[32];
        snprintf(path, sizeof path, "loans[%zu]", i);
        gfin_error e2 = {0};
        if ((st = gfin_loan_validate(pr->loans[i], &e2))) {
            gfin__error_prefix(&e2, path);
            if (err)
                *err = e2;
            return st;
        }
        size_t N = gfin__loan_periods(pr->loans[i]);
        double f = gfin__p_num(gfin__loan_store(pr->loans[i]), GFIN_LOAN_FREQUENCY);
        if ((double)N / f > (double)m->T + 1e-12)
            return gfin__fail(err, GFIN_EINVAL, path, "runs %.4g years, beyond the project's %zu years "
                              "(%zu construction + %zu operating)", (double)N / f, m->T, m->C, m->O);
        /* A loan's period 1 starts with the project's year 1: a dated loan
         * starts in that calendar year (a 2090 date on a 2027 project would be
         * booked in 2027 while its schedule says 2090). */
        const gfin_pstore *ls = gfin__loan_store(pr->loans[i]);
        if (gfin__p_isset(ls, GFIN_LOAN_START_DATE)) {
            const gfin_date sd = (gfin_date)gfin__p_num(ls, GFIN_LOAN_START_DATE);
            int y, mo, d;
            if (gfin_date_to_ymd(sd, &y, &mo, &d) == GFIN_OK && y != m->start_year) {
                char spath[48], ds[16];
                snprintf(spath, sizeof spath, "%s.start_date", path);
                gfin__date_str(sd, ds);
                return gfin__fail(err, GFIN_EINVAL, spath,
                                  "%s is outside the project's first year %d: a loan's period 1 starts with the "
                                  "project's year 1 (%d-01-01 .. %d-12-31)",
                                  ds, m->start_year, m->start_year, m->start_year);
            }
        }
        /* Loan ids name the loans in the results: they must be unique. */
        const char *id = gfin__p_str(gfin__loan_store(pr->loans[i]), GFIN_LOAN_ID);
        for (size_t k = 0; *id && k < i; ++k)
            if (strcmp(id, gfin__p_str(gfin__loan_store(pr->loans[k]), GFIN_LOAN_ID)) == 0)
                return gfin__fail(err, GFIN_EINVAL, path, "duplicate loan id \"%s\" (also loans[%zu])", id, k);
        if (*id && !store_empty(&pr->sizing) && strcmp(id, gfin__p_str(&pr->sizing, GFIN_SIZING_ID)) == 0)
            return gfin__fail(err, GFIN_EINVAL, path, "loan id \"%s\" is also the sized loan's id", id);
    }
    return GFIN_OK;
}

gfin_status gfin_project_validate(const gfin_project *pr, gfin_error *err)
{
    model m;
    gfin_status st = resolve(pr, NULL, &m, err);
    if (st)
        return st;
    /* Energy and carbon inputs are checked by their modules on a one-year run. */
    double g, n, b, p, r, c;
    bool na;
    if ((st = gfin__energy_yearly(&m.energy, 1, &g, &n, err)))
        return st;
    gfin_error e2 = {0};
    if (m.grid && (st = gfin__carbon_yearly(&m.carbon, 1, &g, &n, &b, &p, &r, &c, &na, &e2))) {
        carbon_error(&e2, err);
    }
    return st;
}

/* ---- the yearly model ---- */

enum {
    Y_YEAR, Y_CAL, Y_NET, Y_GROSS, Y_REV_E, Y_REV_C, Y_OPEX, Y_EBITDA, Y_DEP, Y_INT, Y_TI, Y_TAX, Y_CFADS, Y_DS,
    Y_SHORT, Y_DSCR, Y_CAPEX, Y_DRAW, Y_EQUITY, Y_PROJECT, Y_BASE, Y_PROJ_T, Y_RED, Y_CRED, NY,
    /* with a reserve account or a lock-up only (reserves.c) */
    Y_DSRA_BAL = NY, Y_DSRA_TOPUP, Y_DSRA_DRAW, Y_DSRA_REL, Y_DSRA_INT, Y_TRAPPED, Y_EQ_AFTER, NYR
};
static const char *const YCOLS[NYR] = {
    "year", "calendar_year", "net_mwh", "gross_mwh", "revenue_energy", "revenue_carbon", "opex", "ebitda",
    "depreciation", "interest", "taxable_income", "tax", "cfads", "debt_service",
    "debt_service_shortfall", "dscr", "capex", "drawdown",
    "equity_flow", "project_flow", "baseline_tco2e", "project_tco2e", "reductions_tco2e", "credited_tco2e",
    "dsra_balance", "dsra_topup", "dsra_draw", "dsra_release", "dsra_interest", "trapped_cash",
    "equity_flow_after_reserves"};
static const unsigned char YKINDS[NYR] = {GFIN_COL_INTEGER, GFIN_COL_INTEGER};

/* Income tax of the operating years (MODEL.md "Tax"): a negative taxable income,
 * holiday years included, is a loss usable in the next `carry` years, oldest
 * first, and only in taxed years (after the holiday). `loss` is scratch of O. */
static void income_tax(const double *ti, size_t O, double rate, size_t holiday, size_t carry, double *tax,
                       double *loss)
{
    for (size_t j = 0; j < O; ++j) {
        tax[j] = 0;
        loss[j] = ti[j] < 0 ? -ti[j] : 0;
        if (ti[j] <= 0 || j < holiday)
            continue;
        double income = ti[j];
        for (size_t i = j > carry ? j - carry : 0; i < j && income > 0; ++i) {
            double use = fmin(loss[i], income);
            loss[i] -= use;
            income -= use;
        }
        tax[j] = rate * income;
    }
}

/* Operating cash flows of one energy case (scale 1 = P50, s90 = P90): revenue,
 * opex, EBITDA per operating year. Arrays of O. */
typedef struct ops {
    double *rev_e, *rev_c, *opex, *ebitda;
} ops;

static void operations(const model *m, const double *net, const double *credited, double scale, ops *o)
{
    const gfin_pstore *s = &m->pr->p;
    const double tariff = gfin__p_num(s, GFIN_PROJECT_TARIFF_PER_MWH), te = gfin__p_num(s, GFIN_PROJECT_TARIFF_ESCALATION),
                 price = gfin__p_num(s, GFIN_PROJECT_CARBON_PRICE_PER_TCO2E),
                 ce = gfin__p_num(s, GFIN_PROJECT_CARBON_PRICE_ESCALATION),
                 fixed = gfin__p_num(s, GFIN_PROJECT_OPEX_FIXED), var = gfin__p_num(s, GFIN_PROJECT_OPEX_VARIABLE_PER_MWH),
                 oe = gfin__p_num(s, GFIN_PROJECT_OPEX_ESCALATION);
    /* Escalations compound from the first operating year: x (1 + e)^(j-1). */
    for (size_t j = 0; j < m->O; ++j) {
        const double jj = (double)j;
        o->rev_e[j] = scale * net[j] * tariff * pow(1 + te, jj);
        o->rev_c[j] = scale * credited[j] * price * pow(1 + ce, jj);
        o->opex[j] = (fixed + var * scale * net[j]) * pow(1 + oe, jj);
        o->ebitda[j] = o->rev_e[j] + o->rev_c[j] - o->opex[j];
    }
}

static double depreciation(const model *m, size_t j)
{
    const double years = gfin__p_num(&m->pr->p, GFIN_PROJECT_DEPRECIATION_YEARS);
    return (double)j < years ? m->capex / years : 0;
}

/* Tax without interest deduction (the unlevered tax, also the sizing tax). */
static void unlevered_tax(const model *m, const double *ebitda, double *ti, double *tax, double *loss)
{
    const gfin_pstore *s = &m->pr->p;
    for (size_t j = 0; j < m->O; ++j)
        ti[j] = ebitda[j] - depreciation(m, j);
    income_tax(ti, m->O, gfin__p_num(s, GFIN_PROJECT_TAX_RATE), (size_t)gfin__p_num(s, GFIN_PROJECT_TAX_HOLIDAY_YEARS),
               (size_t)gfin__p_num(s, GFIN_PROJECT_LOSS_CARRYFORWARD_YEARS), tax, loss);
}

/* The sized loan (MODEL.md "The sized loan"): debt service of tenor year j =
 * CFADS_j(case) / target_dscr; commitment = PV at the loan rate of that debt
 * service / sum_y profile_y (1 + r)^(C - y + 1), the growth of the drawdowns
 * with capitalized interest to the end of construction; capped at
 * max_gearing x capex with the debt service scaled down alike. *out is NULL
 * when the sizing case's CFADS carries no debt. */
static gfin_status size_debt(const model *m, const double *net, const double *credited, gfin_loan **out,
                             gfin_error *err)
{
    const gfin_pstore *z = &m->pr->sizing;
    const size_t O = m->O, tenor = (size_t)gfin__p_num(z, GFIN_SIZING_TENOR_YEARS);
    const double dscr = gfin__p_num(z, GFIN_SIZING_TARGET_DSCR), r = gfin__p_num(z, GFIN_SIZING_ANNUAL_RATE);
    const double scale = gfin__p_num(z, GFIN_SIZING_CASE) == GFIN_CASE_P90 ? m->s90 : 1.0;
    *out = NULL;
    double *w = gfin__calloc(7 * O, sizeof(double));
    if (!w)
        return gfin__fail(err, GFIN_ENOMEM, "debt_sizing", "out of memory");
    ops o = {w, w + O, w + 2 * O, w + 3 * O};
    double *ti = w + 4 * O, *tax = w + 5 * O, *target = w + 6 * O;
    operations(m, net, credited, scale, &o);
    unlevered_tax(m, o.ebitda, ti, tax, target); /* target doubles as the loss scratch */
    double pv = 0;
    for (size_t j = 0; j < tenor; ++j) {
        target[j] = fmax(0, (o.ebitda[j] - tax[j]) / dscr);
        pv += target[j] / pow(1 + r, (double)(j + 1));
    }
    double growth = 0;
    for (size_t y = 0; y < m->C; ++y)
        growth += m->profile[y] * pow(1 + r, (double)(m->C - y));
    double commitment = pv / growth;
    const double cap = gfin__p_num(z, GFIN_SIZING_MAX_GEARING) * m->capex;
    gfin_status st = GFIN_OK;
    if (commitment > 0) {
        if (commitment > cap) {
            for (size_t j = 0; j < tenor; ++j)
                target[j] *= cap / commitment;
            commitment = cap;
        }
        gfin_loan *l = gfin_loan_new();
        if (!l) {
            st = gfin__fail(err, GFIN_ENOMEM, "debt_sizing", "out of memory");
        } else if ((st = gfin_loan_set_string(l, GFIN_LOAN_ID, gfin__p_str(z, GFIN_SIZING_ID))) ||
                   (st = gfin_loan_set_string(l, GFIN_LOAN_LENDER, gfin__p_str(z, GFIN_SIZING_LENDER))) ||
                   (st = gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, commitment)) ||
                   (st = gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, r)) ||
                   (st = gfin_loan_set(l, GFIN_LOAN_FREQUENCY, 1)) ||
                   (st = gfin_loan_set_array(l, GFIN_LOAN_DRAWDOWNS, m->profile, m->C)) ||
                   (st = gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, (double)tenor)) ||
                   (st = gfin_loan_set(l, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_SCULPTED)) ||
                   (st = gfin_loan_set_array(l, GFIN_LOAN_DEBT_SERVICE_PROFILE, target, tenor))) {
            const gfin_error *e = gfin_loan_last_error(l);
            st = gfin__fail(err, st, "debt_sizing", "the sized loan cannot be built: %s: %s", e->path, e->message);
            gfin_loan_free(l);
        } else {
            *out = l;
        }
    }
    gfin__free(w);
    return st;
}

/* IRR of yearly flows, NaN (null) when none exists. */
static double irr_or_nan(const double *v, size_t n)
{
    double r;
    return gfin_irr(v, n, 0.1, &r) == GFIN_OK ? r : NAN;
}

/* min_dscr and equity_irr on P90 energy (docs/model.md 6.4): the operating
 * years again with the P90 scale, the same loans (interest, debt service,
 * drawdowns: the columns of `yt`) and the levered tax. GFIN_ENOMEM. */
static gfin_status p90_metrics(const model *m, const double *net, const double *credited, const double *interest,
                               const double *ds, const double *capex, const double *draw, double *min_dscr,
                               double *equity_irr)
{
    const gfin_pstore *s = &m->pr->p;
    const size_t O = m->O, C = m->C, T = m->T;
    double *w = gfin__calloc(7 * O + T, sizeof(double));
    if (!w)
        return GFIN_ENOMEM;
    ops o = {w, w + O, w + 2 * O, w + 3 * O};
    double *ti = w + 4 * O, *tax = w + 5 * O, *loss = w + 6 * O, *equity = w + 7 * O;
    operations(m, net, credited, m->s90, &o);
    for (size_t j = 0; j < O; ++j)
        ti[j] = o.ebitda[j] - depreciation(m, j) - interest[C + j];
    income_tax(ti, O, gfin__p_num(s, GFIN_PROJECT_TAX_RATE), (size_t)gfin__p_num(s, GFIN_PROJECT_TAX_HOLIDAY_YEARS),
               (size_t)gfin__p_num(s, GFIN_PROJECT_LOSS_CARRYFORWARD_YEARS), tax, loss);
    double lowest = INFINITY;
    for (size_t y = 0; y < T; ++y) {
        double cfads = 0, paid = ds[y];
        if (y >= C) {
            cfads = o.ebitda[y - C] - tax[y - C];
            if (ds[y] > 0 && isfinite(cfads / ds[y]))
                lowest = fmin(lowest, cfads / ds[y]);
            paid -= fmin(ds[y], fmax(0, ds[y] - cfads)); /* the shortfall is the lenders' loss (6.1) */
        }
        equity[y] = -capex[y] + draw[y] + cfads - paid;
    }
    *min_dscr = isfinite(lowest) ? lowest : NAN;
    *equity_irr = irr_or_nan(equity, T);
    gfin__free(w);
    return GFIN_OK;
}

static double npv_end_of_year(double rate, const double *v, size_t n)
{
    /* Flows at the end of years 1..n, discounted to the start of year 1:
     * gfin_npv (values[0] at t = 0) / (1 + rate). */
    double x;
    return gfin_npv(rate, v, n, &x) == GFIN_OK ? x / (1 + rate) : NAN;
}

static double payback(const double *flow, size_t n)
{
    double cum = 0;
    for (size_t y = 0; y < n; ++y) {
        double next = cum + flow[y];
        if (next >= 0 && (flow[y] > 0 || cum >= 0))
            return (double)y + (cum < 0 ? -cum / flow[y] : 0);
        cum = next;
    }
    return NAN;
}

/* Adds the yearly sums of a loan schedule: periods are assigned to the project
 * year in which they end, drawdowns to the year in which they are drawn. */
static void add_loan_years(gfin_table *y, const gfin_table *s, int freq)
{
    const size_t N = s->rows;
    const double *draw = gfin_table_column_by_name(s, "drawdown"), *in = gfin_table_column_by_name(s, "interest"),
                 *ci = gfin_table_column_by_name(s, "capitalized_interest"),
                 *ds = gfin_table_column_by_name(s, "debt_service");
    double *yi = gfin__col(y, Y_INT), *yd = gfin__col(y, Y_DS), *ydr = gfin__col(y, Y_DRAW);
    for (size_t k = 0; k < N; ++k) {
        size_t year = k / (size_t)freq; /* period k+1 runs from k/f to (k+1)/f */
        yi[year] += in[k] - ci[k];
        yd[year] += ds[k];
        ydr[year] += draw[k];
    }
}

static gfin_status warn_years(gfin_result *r, const model *m, const double *v, size_t from, double limit,
                              const char *what, const char *rule)
{
    char years[160] = "";
    size_t count = 0, worst = 0;
    for (size_t y = from; y < m->T; ++y)
        if (isfinite(v[y]) && v[y] < limit) {
            if (!count || v[y] < v[worst])
                worst = y;
            size_t used = strlen(years);
            if (used < sizeof years - 16)
                snprintf(years + used, sizeof years - used, "%s%d", count ? ", " : "", m->start_year + (int)y);
            count++;
        }
    if (!count)
        return GFIN_OK;
    return gfin__result_add_warning(r, "%s %s in %zu year%s (%s); lowest %.4g in %d", what, rule, count,
                                    count > 1 ? "s" : "", years, v[worst], m->start_year + (int)worst);
}

/* Work arrays of one evaluation: per operating year unless noted. */
typedef struct work {
    double *gross, *net, *base, *proj, *red, *cred; /* energy and carbon */
    double *ti_u, *tax_u, *ti, *tax, *loss;         /* taxes */
    double *flow_pre;                               /* T: pre-tax unlevered flow */
    ops o;
} work;

static double *work_alloc(work *w, size_t O, size_t T)
{
    double *block = gfin__calloc(15 * O + T, sizeof(double));
    if (!block)
        return NULL;
    double **slots[] = {&w->gross, &w->net, &w->base, &w->proj, &w->red, &w->cred, &w->ti_u, &w->tax_u,
                        &w->ti, &w->tax, &w->loss, &w->o.rev_e, &w->o.rev_c, &w->o.opex, &w->o.ebitda};
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; ++i)
        *slots[i] = block + i * O;
    w->flow_pre = block + 15 * O;
    return block;
}

gfin_status gfin__project_evaluate(const gfin_project *pr, const gfin_inherit *inh, gfin_result **out,
                                   gfin_error *err)
{
    return gfin__project_evaluate_ex(pr, inh, NULL, out, err);
}

gfin_status gfin__project_evaluate_ex(const gfin_project *pr, const gfin_inherit *inh, const gfin_project_hooks *hk,
                                      gfin_result **out, gfin_error *err)
{
    if (!out)
        return gfin__fail(err, GFIN_EINVAL, "", "out is NULL");
    model m;
    gfin_status st = resolve(pr, inh, &m, err);
    if (st)
        return st;
    const size_t C = m.C, O = m.O, T = m.T;
    const gfin_pstore *s = &pr->p;
    gfin_error e2 = {0};
    work w;
    gfin_result *res = gfin__result_new(GFIN_RESULT_PROJECT, gfin__p_str(s, GFIN_PROJECT_ID));
    const bool reserves = gfin__p_num(s, GFIN_PROJECT_DSRA_MONTHS) > 0 || gfin__p_isset(s, GFIN_PROJECT_LOCKUP_DSCR);
    gfin_table *yt = gfin__table_new(T, reserves ? NYR : NY, YCOLS, YKINDS);
    double *block = work_alloc(&w, O, T);
    gfin_loan *sized = NULL;
    if (!res || !yt || !block) {
        st = gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
        goto done;
    }

    /* Energy and carbon of the operating years (P50). */
    bool not_applicable = false;
    if ((st = gfin__energy_yearly(&m.energy, O, w.gross, w.net, err)))
        goto done;
    /* The risk module's yearly energy multiplier (docs/model.md "Risk"): it moves
     * gross and net, and with them everything computed from energy below. */
    for (size_t j = 0; hk && hk->energy && j < O && j < hk->energy_len; ++j) {
        w.gross[j] *= hk->energy[j];
        w.net[j] *= hk->energy[j];
    }
    if (m.grid && (st = gfin__carbon_yearly(&m.carbon, O, w.gross, w.net, w.base, w.proj, w.red, w.cred, &not_applicable,
                                  &e2))) {
        carbon_error(&e2, err);
        goto done;
    }
    const bool sizing = !store_empty(&pr->sizing);
    if (sizing && (st = size_debt(&m, w.net, w.cred, &sized, err)))
        goto done;

    /* Loans: each one's result (schedule and metrics) and its yearly sums. */
    double *c[NYR] = {NULL};
    for (size_t j = 0; j < (reserves ? NYR : NY); ++j)
        c[j] = gfin__col(yt, j);
    double total_debt = 0, fund_principal = 0, rate_w = 0, balance_c = 0;
    const size_t nl = pr->nloans + (sized ? 1 : 0);
    for (size_t i = 0; i < nl; ++i) {
        const gfin_loan *l = i < pr->nloans ? pr->loans[i] : sized;
        gfin_result *lr;
        /* In a portfolio every loan carries its grant element (issue 12). */
        if ((st = inh && !isnan(inh->grant_element_rate) ? gfin_loan_evaluate_ge(l, inh->grant_element_rate, &lr, &e2)
                                                         : gfin_loan_evaluate(l, &lr, &e2))) {
            char path[32];
            snprintf(path, sizeof path, "loans[%zu]", i);
            gfin__error_prefix(&e2, i < pr->nloans ? path : "debt_sizing");
            if (err)
                *err = e2;
            goto done;
        }
        /* A loan without an id is known by its place ("loans[0]"). */
        if (!*gfin_result_id(lr)) {
            char path[32];
            snprintf(path, sizeof path, "loans[%zu]", i);
            if ((st = gfin__result_set_id(lr, path))) {
                gfin_result_free(lr);
                goto nomem;
            }
        }
        if ((st = gfin__result_add_child(res, lr)))
            goto nomem;
        const gfin_table *sch = gfin_result_table(lr, "schedule");
        const gfin_pstore *ls = gfin__loan_store(l);
        const size_t f = (size_t)gfin__p_num(ls, GFIN_LOAN_FREQUENCY);
        const double principal = gfin__p_num(ls, GFIN_LOAN_PRINCIPAL);
        add_loan_years(yt, sch, (int)f);
        total_debt += principal;
        if (gfin__project_loan_from_fund(pr, i))
            fund_principal += principal;
        /* LLCR rate: principal-weighted annual rate (period 1's for a floating loan). */
        rate_w += principal * gfin_table_column_by_name(sch, "rate")[0];
        /* Outstanding at the end of year C: the closing balance of period C x f. */
        if (C * f <= sch->rows)
            balance_c += gfin_table_column_by_name(sch, "closing_balance")[C * f - 1];
    }

    /* The waterfall (P50). Taxes of operating years: levered with interest paid
     * deducted, unlevered without (MODEL.md "Tax"). */
    operations(&m, w.net, w.cred, 1.0, &w.o);
    unlevered_tax(&m, w.o.ebitda, w.ti_u, w.tax_u, w.loss);
    for (size_t j = 0; j < O; ++j)
        w.ti[j] = w.o.ebitda[j] - depreciation(&m, j) - c[Y_INT][C + j];
    income_tax(w.ti, O, gfin__p_num(s, GFIN_PROJECT_TAX_RATE), (size_t)gfin__p_num(s, GFIN_PROJECT_TAX_HOLIDAY_YEARS),
               (size_t)gfin__p_num(s, GFIN_PROJECT_LOSS_CARRYFORWARD_YEARS), w.tax, w.loss);

    double min_dscr = INFINITY, sum_dscr = 0, shortfall = 0;
    size_t n_dscr = 0;
    for (size_t y = 0; y < T; ++y) {
        c[Y_YEAR][y] = (double)(y + 1);
        c[Y_CAL][y] = (double)(m.start_year + (int)y);
        c[Y_CAPEX][y] = y < C ? m.capex * m.profile[y] : 0;
        c[Y_DSCR][y] = NAN;
        double tax_u = 0;
        if (y >= C) {
            const size_t j = y - C;
            c[Y_NET][y] = w.net[j];
            c[Y_GROSS][y] = w.gross[j];
            c[Y_REV_E][y] = w.o.rev_e[j];
            c[Y_REV_C][y] = w.o.rev_c[j];
            c[Y_OPEX][y] = w.o.opex[j];
            c[Y_EBITDA][y] = w.o.ebitda[j];
            c[Y_DEP][y] = depreciation(&m, j);
            c[Y_TI][y] = w.ti[j];
            c[Y_TAX][y] = w.tax[j];
            c[Y_CFADS][y] = w.o.ebitda[j] - w.tax[j];
            c[Y_BASE][y] = w.base[j];
            c[Y_PROJ_T][y] = w.proj[j];
            c[Y_RED][y] = w.red[j];
            c[Y_CRED][y] = w.cred[j];
            tax_u = w.tax_u[j];
            /* Shortfall (MODEL.md "Risk"): debt service CFADS does not cover is
             * lost to the lenders pro rata, no reserve, no recovery; at most
             * the debt service (a negative CFADS is equity's to fund). */
            c[Y_SHORT][y] = fmin(c[Y_DS][y], fmax(0, c[Y_DS][y] - c[Y_CFADS][y]));
            shortfall += c[Y_SHORT][y];
            /* A debt service too small for the ratio to be representable (a
             * subnormal sized loan) has no DSCR, like a year without one. */
            const double dscr = c[Y_DS][y] > 0 ? c[Y_CFADS][y] / c[Y_DS][y] : NAN;
            if (isfinite(dscr)) {
                c[Y_DSCR][y] = dscr;
                min_dscr = fmin(min_dscr, dscr);
                sum_dscr += dscr;
                n_dscr++;
            }
        }
        /* Equity pays no part of an unpaid debt service: it gets CFADS - the
         * debt service actually paid (0 in a shortfall year, CFADS when CFADS < 0). */
        c[Y_EQUITY][y] = -c[Y_CAPEX][y] + c[Y_DRAW][y] + c[Y_CFADS][y] - (c[Y_DS][y] - c[Y_SHORT][y]);
        c[Y_PROJECT][y] = -c[Y_CAPEX][y] + c[Y_EBITDA][y] - tax_u;
        w.flow_pre[y] = -c[Y_CAPEX][y] + c[Y_EBITDA][y];
    }

    /* The reserve account and the lock-up, below debt service (docs/model.md
     * 6.4): the shortfall column becomes the one after the reserve. */
    size_t lockup_years = 0;
    if (reserves) {
        const gfin_reserve_terms rt = {
            .dsra_months = gfin__p_num(s, GFIN_PROJECT_DSRA_MONTHS),
            .dsra_rate = gfin__p_num(s, GFIN_PROJECT_DSRA_RATE),
            .lockup_dscr = gfin__p_isset(s, GFIN_PROJECT_LOCKUP_DSCR) ? gfin__p_num(s, GFIN_PROJECT_LOCKUP_DSCR) : NAN,
            .lockup_release_years = (size_t)gfin__p_num(s, GFIN_PROJECT_LOCKUP_RELEASE_YEARS)};
        gfin_reserve_flows rf = {c[Y_DSRA_BAL], c[Y_DSRA_DRAW], c[Y_DSRA_TOPUP], c[Y_DSRA_REL],
                                 c[Y_DSRA_INT], c[Y_SHORT], c[Y_TRAPPED], c[Y_EQ_AFTER]};
        gfin__reserves_run(&rt, C, T, c[Y_CFADS], c[Y_DS], c[Y_SHORT], c[Y_DSCR], c[Y_EQUITY], &rf, &lockup_years);
        shortfall = 0;
        for (size_t y = 0; y < T; ++y)
            shortfall += c[Y_SHORT][y];
    }

    /* No grid: no carbon figures (null), in every year. */
    if (!m.grid)
        for (size_t y = 0; y < T; ++y)
            c[Y_BASE][y] = c[Y_PROJ_T][y] = c[Y_RED][y] = c[Y_CRED][y] = NAN;

    /* Metrics. LCOE and NPV discount each year's flow from its end to the start
     * of year 1. LLCR (MODEL.md): PV of CFADS over the years with debt service at
     * the weighted loan rate / the balance at the end of construction. */
    const double d = m.discount;
    double pv_cost = 0, pv_energy = 0, llcr_num = 0, lifetime = 0;
    size_t last_ds = 0;
    for (size_t y = 0; y < T; ++y) {
        const double v = pow(1 + d, -(double)(y + 1));
        pv_cost += (c[Y_CAPEX][y] + c[Y_OPEX][y]) * v;
        pv_energy += c[Y_NET][y] * v;
        lifetime += c[Y_RED][y];
        if (y >= C && c[Y_DS][y] > 0)
            last_ds = y - C + 1;
    }
    const double r_llcr = total_debt > 0 ? rate_w / total_debt : NAN;
    /* A drawdown after construction (in a period that starts at or after the
     * end of year C) is not in the balance at the end of year C, yet the
     * CFADS of the LLCR's numerator services it: the denominator adds each
     * such drawdown discounted at r from its time t_k (years from the start of
     * year 1) back to the end of year C, D_k / (1 + r)^(t_k - C), so that a
     * loan serviced exactly at its rate still has an LLCR of about 1. A
     * warning names the loan. */
    double late_pv = 0;
    for (size_t i = 0; i < nl; ++i) {
        const gfin_result *lr = gfin_result_child(res, i);
        const gfin_table *sch = gfin_result_table(lr, "schedule");
        const double f = gfin__p_num(gfin__loan_store(i < pr->nloans ? pr->loans[i] : sized), GFIN_LOAN_FREQUENCY);
        const double *draw = gfin_table_column_by_name(sch, "drawdown");
        double late = 0, drawn = 0;
        size_t first = 0;
        for (size_t k = 0; k < sch->rows; ++k) {
            drawn += draw[k];
            if ((double)k < (double)C * f || !(draw[k] > 0))
                continue;
            if (late == 0)
                first = k;
            late += draw[k];
            late_pv += draw[k] / pow(1 + r_llcr, (double)k / f - (double)C);
        }
        if (late > 0 &&
            (st = gfin__result_add_warning(res,
                                           "loan \"%s\" of project \"%s\": %.10g of the %.10g drawn (%.3g %%) is drawn "
                                           "after construction, from period %zu (%d) on; the llcr counts it in its "
                                           "denominator, discounted to the end of construction",
                                           gfin_result_id(lr), gfin__p_str(s, GFIN_PROJECT_ID), late, drawn,
                                           100 * late / drawn, first + 1,
                                           m.start_year + (int)((double)first / f))))
            goto nomem;
    }
    for (size_t k = 1; k <= last_ds; ++k)
        llcr_num += c[Y_CFADS][C + k - 1] / pow(1 + r_llcr, (double)k);
    const double project_irr = irr_or_nan(c[Y_PROJECT], T), pretax_irr = irr_or_nan(w.flow_pre, T),
                 equity_irr = irr_or_nan(c[Y_EQUITY], T);
    const struct {
        gfin_metric k;
        double v;
    } metrics[] = {
        {GFIN_M_NPV, npv_end_of_year(d, c[Y_PROJECT], T)},
        {GFIN_M_PROJECT_IRR, project_irr},
        {GFIN_M_PROJECT_IRR_PRETAX, pretax_irr},
        {GFIN_M_EQUITY_IRR, equity_irr},
        {GFIN_M_PAYBACK_YEARS, payback(c[Y_PROJECT], T)},
        {GFIN_M_LCOE, pv_energy > 0 ? pv_cost / pv_energy : NAN},
        {GFIN_M_MIN_DSCR, n_dscr ? min_dscr : NAN},
        {GFIN_M_AVG_DSCR, n_dscr ? sum_dscr / (double)n_dscr : NAN},
        {GFIN_M_LLCR, (last_ds && balance_c + late_pv > 0) ? llcr_num / (balance_c + late_pv) : NAN},
        {GFIN_M_TOTAL_DEBT, total_debt},
        {GFIN_M_GEARING, total_debt / m.capex},
        {GFIN_M_POWER_DENSITY_W_M2, m.carbon.power_density},
        {GFIN_M_FIRST_YEAR_NET_MWH, c[Y_NET][C]},
        {GFIN_M_LIFETIME_REDUCTIONS_TCO2E, lifetime},
        {GFIN_M_FIRST_YEAR_REDUCTIONS_TCO2E, c[Y_RED][C]},
        {GFIN_M_CAPEX, m.capex},
        {GFIN_M_CAPACITY_MW, m.energy.capacity_mw},
        {GFIN_M_FUND_PRINCIPAL, fund_principal},
        {GFIN_M_DEBT_SERVICE_SHORTFALL, shortfall},
    };
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; ++i)
        if ((st = gfin__result_add_metric(res, metrics[i].k, metrics[i].v)))
            goto nomem;
    if (reserves && ((st = gfin__result_add_metric(res, GFIN_M_EQUITY_IRR_AFTER_RESERVES, irr_or_nan(c[Y_EQ_AFTER], T))) ||
                     (st = gfin__result_add_metric(res, GFIN_M_LOCKUP_YEARS, (double)lockup_years))))
        goto nomem;
    if (gfin__p_num(s, GFIN_PROJECT_YIELD_UNCERTAINTY) > 0) {
        double dscr90, irr90;
        if ((st = p90_metrics(&m, w.net, w.cred, c[Y_INT], c[Y_DS], c[Y_CAPEX], c[Y_DRAW], &dscr90, &irr90)) ||
            (st = gfin__result_add_metric(res, GFIN_M_MIN_DSCR_P90, dscr90)) ||
            (st = gfin__result_add_metric(res, GFIN_M_EQUITY_IRR_P90, irr90)))
            goto nomem;
    }

    /* Warnings. */
    if ((!m.grid &&
         (st = gfin__result_add_warning(res, "grid: no emission factors (ef_cm, or ef_om and ef_bm) are set, on the "
                                             "project or its portfolio: the carbon figures (baseline_tco2e, "
                                             "project_tco2e, reductions_tco2e, credited_tco2e and the reductions "
                                             "metrics) are null"))) ||
        (not_applicable &&
         (st = gfin__result_add_warning(res, "ACM0002 does not apply: the reservoir's power density %.4g W/m2 is "
                                             "4 W/m2 or less, so no emission reductions are claimed",
                                        m.carbon.power_density))) ||
        (st = warn_years(res, &m, c[Y_DSCR], C, 1.0, "dscr", "is below 1")) ||
        (st = warn_years(res, &m, c[Y_EQUITY], C + 1, 0.0, "equity_flow",
                         "is negative after the first operating year")) ||
        (!isfinite(project_irr) &&
         (st = gfin__result_add_warning(res, "project_irr: project_flow has no internal rate of return"))) ||
        (!isfinite(pretax_irr) &&
         (st = gfin__result_add_warning(res, "project_irr_pretax: the pre-tax flows have no internal rate of return"))) ||
        (!isfinite(equity_irr) &&
         (st = gfin__result_add_warning(res, "equity_irr: equity_flow has no internal rate of return"))) ||
        (total_debt > m.capex &&
         (st = gfin__result_add_warning(res, "gearing: the loans' principal %.10g exceeds capex %.10g", total_debt,
                                        m.capex))) ||
        (sizing && !sized &&
         (st = gfin__result_add_warning(res, "debt_sizing: the CFADS of the sizing case supports no debt"))))
        goto nomem;

    st = gfin__result_add_table(res, "years", yt);
    yt = NULL; /* owned by the result, or freed on failure */
    if (st)
        goto nomem;
    *out = res;
    res = NULL;
    if (hk && hk->sized_out) { /* the caller keeps the sized loan */
        *hk->sized_out = sized;
        sized = NULL;
    }
    goto done;
nomem:
    st = gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
done:
    gfin_loan_free(sized);
    gfin__free(block);
    gfin_table_free(yt);
    gfin_result_free(res);
    return st;
}

gfin_status gfin_project_evaluate(const gfin_project *pr, gfin_result **out, gfin_error *err)
{
    return gfin__project_evaluate(pr, NULL, out, err);
}
