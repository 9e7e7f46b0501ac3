/* waterfall.c -- a project's years: energy and carbon per operating year, the
 * loans' yearly sums, the cash-flow waterfall and taxes, and the project
 * metrics and warnings. Formulas: docs/model.md "Projects". */
#include "project_model.h"
#include "reserves.h"
#include "sweep.h"
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The "years" table, in the output registry's order (Y_* index it). */
enum {
    Y_YEAR, Y_CAL, Y_NET, Y_GROSS, Y_REV_E, Y_REV_C, Y_OPEX, Y_EBITDA, Y_DEP, Y_INT, Y_TI, Y_TAX, Y_CFADS, Y_DS,
    Y_SHORT, Y_DSCR, Y_CAPEX, Y_DRAW, Y_EQUITY, Y_PROJECT, Y_BASE, Y_PROJ_T, Y_RED, Y_CRED, NY,
    /* with a reserve account or a lock-up only (reserves.c) */
    Y_DSRA_BAL = NY, Y_DSRA_TOPUP, Y_DSRA_DRAW, Y_DSRA_REL, Y_DSRA_INT, Y_TRAPPED, Y_EQ_AFTER, NYR,
    /* with a cash sweep only (its reserve columns too) */
    Y_SWEEP = NYR, NYS
};
#define Y_COLS_BASE \
    GFIN_C_YEARS_YEAR, GFIN_C_YEARS_CALENDAR_YEAR, GFIN_C_YEARS_NET_MWH, GFIN_C_YEARS_GROSS_MWH, \
    GFIN_C_YEARS_REVENUE_ENERGY, GFIN_C_YEARS_REVENUE_CARBON, GFIN_C_YEARS_OPEX, GFIN_C_YEARS_EBITDA, \
    GFIN_C_YEARS_DEPRECIATION, GFIN_C_YEARS_INTEREST, GFIN_C_YEARS_TAXABLE_INCOME, GFIN_C_YEARS_TAX, \
    GFIN_C_YEARS_CFADS, GFIN_C_YEARS_DEBT_SERVICE, GFIN_C_YEARS_DEBT_SERVICE_SHORTFALL, GFIN_C_YEARS_DSCR, GFIN_C_YEARS_CAPEX, GFIN_C_YEARS_DRAWDOWN, \
    GFIN_C_YEARS_EQUITY_FLOW, GFIN_C_YEARS_PROJECT_FLOW, GFIN_C_YEARS_BASELINE_TCO2E, GFIN_C_YEARS_PROJECT_TCO2E, \
    GFIN_C_YEARS_REDUCTIONS_TCO2E, GFIN_C_YEARS_CREDITED_TCO2E
#define Y_COLS_RESERVES \
    GFIN_C_YEARS_DSRA_BALANCE, GFIN_C_YEARS_DSRA_TOPUP, \
    GFIN_C_YEARS_DSRA_DRAW, GFIN_C_YEARS_DSRA_RELEASE, GFIN_C_YEARS_DSRA_INTEREST, GFIN_C_YEARS_TRAPPED_CASH, \
    GFIN_C_YEARS_EQUITY_FLOW_AFTER_RESERVES
static const gfin_column YCOLS[NYS] = {Y_COLS_BASE, Y_COLS_RESERVES, GFIN_C_YEARS_CASH_SWEEP};
/* With a loan in another currency, fx_gain_loss follows (docs/model.md 3.1). */
static const gfin_column YCOLS_FX[NY + 1] = {Y_COLS_BASE, GFIN_C_YEARS_FX_GAIN_LOSS};
static const gfin_column YCOLS_RESERVES_FX[NYR + 1] = {Y_COLS_BASE, Y_COLS_RESERVES, GFIN_C_YEARS_FX_GAIN_LOSS};
static const gfin_column YCOLS_SWEEP_FX[NYS + 1] = {Y_COLS_BASE, Y_COLS_RESERVES, GFIN_C_YEARS_CASH_SWEEP,
                                                    GFIN_C_YEARS_FX_GAIN_LOSS};

/* ---- P90 metrics ---- */

/* min_dscr and equity_irr on P90 energy (docs/model.md 6.4): the operating
 * years again with the P90 scale, the same loans (interest, debt service,
 * drawdowns: the columns of the years table) and the levered tax. GFIN_ENOMEM. */
static gfin_status p90_metrics(const gfin_model *m, const double *net, const double *credited,
                               double *const *c, const double *eq_adj, double *min_dscr, double *equity_irr)
{
    const size_t O = m->O, C = m->C, T = m->T;
    double *w = gfin__calloc(7 * O + T, sizeof(double));
    if (!w)
        return GFIN_ENOMEM;
    gfin_ops o = {w, w + O, w + 2 * O, w + 3 * O};
    double *ti = w + 4 * O, *tax = w + 5 * O, *loss = w + 6 * O, *equity = w + 7 * O;
    gfin__operations(m, net, credited, m->s90, &o);
    for (size_t j = 0; j < O; ++j)
        ti[j] = o.ebitda[j] - gfin__depreciation(m, j) - c[Y_INT][C + j];
    gfin__project_tax(m, ti, tax, loss);
    double lowest = INFINITY;
    for (size_t y = 0; y < T; ++y) {
        const double ds = c[Y_DS][y];
        double cfads = 0, paid = ds;
        if (y >= C) {
            cfads = o.ebitda[y - C] - tax[y - C];
            if (ds > 0 && isfinite(cfads / ds))
                lowest = fmin(lowest, cfads / ds);
            paid -= fmin(ds, fmax(0, ds - cfads)); /* the shortfall is the lenders' loss (6.1) */
        }
        equity[y] = -c[Y_CAPEX][y] + c[Y_DRAW][y] + cfads - paid + eq_adj[y];
    }
    *min_dscr = isfinite(lowest) ? lowest : NAN;
    *equity_irr = gfin__irr_or_nan(equity, T);
    gfin__free(w);
    return GFIN_OK;
}

/* ---- one evaluation ---- */

/* Work arrays of one evaluation: per operating year unless noted. */
typedef struct work {
    double *gross, *net, *base, *proj, *red, *cred; /* energy and carbon */
    double *ti_u, *tax_u, *ti, *tax, *loss;         /* taxes */
    double *flow_pre;                               /* T: pre-tax unlevered flow */
    double *eq_adj;                                 /* T: what the equity does not get: the reserve's draw, the sweep */
    double *ds_next;                                /* T: the debt service the reserve's target reads (sweep) */
    gfin_ops o;
} work;

static double *work_alloc(work *w, size_t O, size_t T)
{
    double *block = gfin__calloc(15 * O + 3 * T, sizeof(double));
    if (!block)
        return NULL;
    double **slots[] = {&w->gross, &w->net, &w->base, &w->proj, &w->red, &w->cred, &w->ti_u, &w->tax_u,
                        &w->ti, &w->tax, &w->loss, &w->o.rev_e, &w->o.rev_c, &w->o.opex, &w->o.ebitda};
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; ++i)
        *slots[i] = block + i * O;
    w->flow_pre = block + 15 * O;
    w->eq_adj = w->flow_pre + T;
    w->ds_next = w->eq_adj + T;
    return block;
}

/* Everything one evaluation builds, shared by its steps below. */
typedef struct eval {
    const gfin_project *pr;
    const gfin_inherit *inh;     /* the portfolio's defaults, NULL standalone */
    const gfin_project_hooks *hk; /* the risk module's changes, NULL without */
    gfin_model m;
    work w;
    double *block;               /* the work arrays */
    gfin_result *res;
    gfin_table *yt;
    double *c[NYS];              /* yt's columns (the reserve ones only with reserves, cash_sweep with a sweep) */
    double *fx_gain;             /* yt's fx_gain_loss, NULL without a loan in another currency */
    gfin_table *translated[GFIN_PROJECT_MAX_LOANS + 1]; /* loan i's schedule in the portfolio's currency, NULL: same */
    gfin_table *changed[GFIN_PROJECT_MAX_LOANS];        /* loan i's schedule with the reserve's draw or the sweep */
    double *prepay[GFIN_PROJECT_MAX_LOANS];             /* a swept loan's prepayments, per period */
    double commitment[GFIN_PROJECT_MAX_LOANS + 1];      /* loan i's principal, in the portfolio's currency */
    double dsra_draw;                                   /* the reserve drawn on loan m.dsra_loan */
    gfin_loan *sized;            /* the sized loan, NULL when none */
    bool sizing, not_applicable, reserves;
    size_t lockup_years;
    size_t nl;                   /* loans with results: the project's, then the sized one */
    double total_debt, fund_principal, rate_w, balance_c; /* sums over the loans */
    double min_dscr, sum_dscr, shortfall;
    size_t n_dscr;
    double project_irr, pretax_irr, equity_irr;
} eval;

static const gfin_loan *loan_at(const eval *v, size_t i)
{
    return i < v->pr->nloans ? v->pr->loans[i] : v->sized;
}

/* Energy and carbon of the operating years (P50), then the sized loan. */
static gfin_status energy_and_carbon(eval *v, gfin_error *err)
{
    work *w = &v->w;
    gfin_status st = gfin__energy_yearly(&v->m.energy, v->m.O, w->gross, w->net, err);
    if (st)
        return st;
    /* The risk module's yearly energy multiplier (docs/model.md "Risk"): it moves
     * gross and net, and with them everything computed from energy below. */
    const gfin_project_hooks *hk = v->hk;
    for (size_t j = 0; hk && hk->energy && j < v->m.O && j < hk->energy_len; ++j) {
        w->gross[j] *= hk->energy[j];
        w->net[j] *= hk->energy[j];
    }
    gfin_error e2 = {0};
    if (v->m.grid && (st = gfin__carbon_yearly(&v->m.carbon, v->m.O, w->gross, w->net, w->base, w->proj, w->red,
                                               w->cred, &v->not_applicable, &e2))) {
        gfin__project_carbon_error(&e2, err);
        return st;
    }
    v->sizing = gfin__project_sizes_debt(v->pr);
    return v->sizing ? gfin__size_debt(&v->m, w->net, w->cred, &v->sized, err) : GFIN_OK;
}

/* Adds the yearly sums of a loan schedule: periods are assigned to the project
 * year in which they end, drawdowns to the year in which they are drawn. */
static void add_loan_years(eval *v, const gfin_table *s, size_t freq)
{
    const double *draw = gfin_table_column_of(s, GFIN_C_SCHEDULE_DRAWDOWN),
                 *in = gfin_table_column_of(s, GFIN_C_SCHEDULE_INTEREST),
                 *ci = gfin_table_column_of(s, GFIN_C_SCHEDULE_CAPITALIZED_INTEREST),
                 *ds = gfin_table_column_of(s, GFIN_C_SCHEDULE_DEBT_SERVICE);
    for (size_t k = 0; k < s->rows; ++k) {
        const size_t year = gfin__period_year(k, freq);
        v->c[Y_INT][year] += in[k] - ci[k];
        v->c[Y_DS][year] += ds[k];
        v->c[Y_DRAW][year] += draw[k];
    }
}

/* Loan i's result (schedule and metrics), a child of the project's result; a
 * loan without an id is known by its place ("loans[0]"). */
static gfin_status loan_result(eval *v, size_t i, const gfin_result **out, gfin_error *err)
{
    char path[32];
    snprintf(path, sizeof path, "loans[%zu]", i);
    gfin_error e2 = {0};
    gfin_result *lr;
    /* In a portfolio every loan carries its grant element (issue 12). */
    const gfin_inherit *inh = v->inh;
    gfin_status st = inh && !isnan(inh->grant_element_rate)
                         ? gfin_loan_evaluate_ge(loan_at(v, i), inh->grant_element_rate, &lr, &e2)
                         : gfin_loan_evaluate(loan_at(v, i), &lr, &e2);
    if (st) {
        gfin__error_prefix(&e2, i < v->pr->nloans ? path : "debt_sizing");
        if (err)
            *err = e2;
        return st;
    }
    if ((!*gfin_result_id(lr) && (st = gfin__result_set_id(lr, path)))) {
        gfin_result_free(lr);
        return gfin__fail(err, st, "", "out of memory");
    }
    if ((st = gfin__result_add_child(v->res, lr)))
        return gfin__fail(err, st, "", "out of memory");
    *out = lr;
    return GFIN_OK;
}

/* Loan i in another currency (docs/model.md 3.1): its fx path (the
 * portfolio's, covering the year of its first drawdown), its schedule
 * translated into v->translated[i], its translation gain or loss added, and
 * *principal (the commitment) at the rate of the first drawdown's year. */
static gfin_status loan_fx(eval *v, size_t i, const char *cur, const gfin_table *sch, size_t f, double *principal,
                           gfin_error *err)
{
    char path[48];
    snprintf(path, sizeof path, "loans[%zu].currency", i);
    const gfin_fx *fx = v->inh ? v->inh->fx : NULL;
    const gfin_fx_path *xp = gfin__fx_find(fx, cur);
    if (!xp) {
        char have[160];
        gfin__fx_list(fx, have, sizeof have);
        return gfin__fail(err, GFIN_EINVAL, path, "\"%s\" has no fx path (fx has: %s)", cur, have);
    }
    const double *draw = gfin_table_column_of(sch, GFIN_C_SCHEDULE_DRAWDOWN);
    size_t k = 0;
    while (k + 1 < sch->rows && !(draw[k] > 0))
        ++k;
    const int base = v->inh->start_year, first = v->m.start_year, year = first + (int)gfin__period_year(k, f);
    const double rate = gfin__fx_rate(xp, base, year);
    if (isnan(rate))
        return gfin__fail(err, GFIN_EINVAL, path, "the fx path of \"%s\" starts in %d, after the loan's first drawdown in %d",
                          cur, base, year);
    if (!(v->translated[i] = gfin__fx_translate(sch, (int)f, xp, base, first)))
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    gfin__fx_gain_loss(sch, (int)f, xp, base, first, v->fx_gain, v->m.T);
    *principal *= rate;
    return GFIN_OK;
}

/* Loan i's schedule as the project books it: changed by the reserve's draw
 * or the sweep, or translated into the portfolio's currency, or as built. */
static const gfin_table *schedule_of(const eval *v, size_t i)
{
    if (i < GFIN_PROJECT_MAX_LOANS && v->changed[i])
        return v->changed[i];
    return v->translated[i] ? v->translated[i] : gfin_result_table(gfin_result_child(v->res, i), "schedule");
}

static size_t frequency_of(const eval *v, size_t i)
{
    return (size_t)gfin__p_num(gfin__loan_store(loan_at(v, i)), GFIN_LOAN_FREQUENCY);
}

/* The loans' yearly sums and the figures the metrics need, from their
 * schedules as they stand. */
static void sum_loans(eval *v)
{
    for (size_t y = 0; y < v->m.T; ++y)
        v->c[Y_INT][y] = v->c[Y_DS][y] = v->c[Y_DRAW][y] = 0;
    v->total_debt = v->fund_principal = v->rate_w = v->balance_c = 0;
    for (size_t i = 0; i < v->nl; ++i) {
        const gfin_table *sch = schedule_of(v, i);
        const size_t f = frequency_of(v, i);
        /* The reserve's draw adds to the commitment of the loan that funds it. */
        const double principal = v->commitment[i] + (i == v->m.dsra_loan ? v->dsra_draw : 0);
        add_loan_years(v, sch, f);
        v->total_debt += principal;
        if (gfin__project_loan_from_fund(v->pr, i))
            v->fund_principal += principal;
        /* LLCR rate: principal-weighted annual rate (period 1's for a floating loan). */
        v->rate_w += principal * gfin_table_column_of(sch, GFIN_C_SCHEDULE_RATE)[0];
        /* Outstanding at the end of year C: the closing balance of period C x f. */
        const size_t last = gfin__periods_to_year_end(v->m.C, f);
        if (last <= sch->rows)
            v->balance_c += gfin_table_column_of(sch, GFIN_C_SCHEDULE_CLOSING_BALANCE)[last - 1];
    }
}

/* Every loan's result, its yearly sums and the figures the metrics need. */
static gfin_status loans(eval *v, gfin_error *err)
{
    v->nl = v->pr->nloans + (v->sized ? 1 : 0);
    for (size_t i = 0; i < v->nl; ++i) {
        const gfin_result *lr = NULL;
        gfin_status st = loan_result(v, i, &lr, err);
        if (st)
            return st;
        const gfin_pstore *ls = gfin__loan_store(loan_at(v, i));
        v->commitment[i] = gfin__p_num(ls, GFIN_LOAN_PRINCIPAL);
        const char *cur = gfin__p_str(ls, GFIN_LOAN_CURRENCY);
        if (*cur && (st = loan_fx(v, i, cur, gfin_result_table(lr, "schedule"), frequency_of(v, i),
                                  &v->commitment[i], err)))
            return st;
    }
    sum_loans(v);
    return GFIN_OK;
}

/* The waterfall (P50). Taxes of operating years: levered with interest paid
 * deducted, unlevered without (docs/model.md "Tax"). */
static void taxes(eval *v)
{
    work *w = &v->w;
    const size_t C = v->m.C;
    gfin__operations(&v->m, w->net, w->cred, 1.0, &w->o);
    gfin__unlevered_tax(&v->m, w->o.ebitda, w->ti_u, w->tax_u, w->loss);
    for (size_t j = 0; j < v->m.O; ++j)
        w->ti[j] = w->o.ebitda[j] - gfin__depreciation(&v->m, j) - v->c[Y_INT][C + j];
    gfin__project_tax(&v->m, w->ti, w->tax, w->loss);
}

/* Operating year j's figures into table year C + j, and its DSCR. */
static void operating_year(eval *v, size_t y)
{
    const work *w = &v->w;
    double *const *c = v->c;
    const size_t j = y - v->m.C;
    c[Y_NET][y] = w->net[j];
    c[Y_GROSS][y] = w->gross[j];
    c[Y_REV_E][y] = w->o.rev_e[j];
    c[Y_REV_C][y] = w->o.rev_c[j];
    c[Y_OPEX][y] = w->o.opex[j];
    c[Y_EBITDA][y] = w->o.ebitda[j];
    c[Y_DEP][y] = gfin__depreciation(&v->m, j);
    c[Y_TI][y] = w->ti[j];
    c[Y_TAX][y] = w->tax[j];
    c[Y_CFADS][y] = w->o.ebitda[j] - w->tax[j];
    c[Y_BASE][y] = w->base[j];
    c[Y_PROJ_T][y] = w->proj[j];
    c[Y_RED][y] = w->red[j];
    c[Y_CRED][y] = w->cred[j];
    /* Shortfall (docs/model.md "Risk"): debt service CFADS does not cover is
     * lost to the lenders pro rata, no reserve, no recovery; at most the debt
     * service (a negative CFADS is equity's to fund). */
    c[Y_SHORT][y] = fmin(c[Y_DS][y], fmax(0, c[Y_DS][y] - c[Y_CFADS][y]));
    v->shortfall += c[Y_SHORT][y];
    /* A debt service too small for the ratio to be representable (a subnormal
     * sized loan) has no DSCR, like a year without one. */
    const double dscr = c[Y_DS][y] > 0 ? c[Y_CFADS][y] / c[Y_DS][y] : NAN;
    if (isfinite(dscr)) {
        c[Y_DSCR][y] = dscr;
        v->min_dscr = fmin(v->min_dscr, dscr);
        v->sum_dscr += dscr;
        v->n_dscr++;
    }
}

/* The reserve account and the lock-up, below debt service (docs/model.md
 * 6.4): the shortfall column becomes the one after the reserve. */
static void run_reserves(eval *v)
{
    const gfin_pstore *s = &v->pr->p;
    double *const *c = v->c;
    const gfin_reserve_terms rt = {
        .dsra_months = gfin__p_num(s, GFIN_PROJECT_DSRA_MONTHS),
        .dsra_rate = gfin__p_num(s, GFIN_PROJECT_DSRA_RATE),
        .lockup_dscr = gfin__p_isset(s, GFIN_PROJECT_LOCKUP_DSCR) ? gfin__p_num(s, GFIN_PROJECT_LOCKUP_DSCR) : NAN,
        .lockup_release_years = (size_t)gfin__p_num(s, GFIN_PROJECT_LOCKUP_RELEASE_YEARS),
        .debt_funded = v->dsra_draw > 0,
        .ds_next = v->m.sweep > 0 ? v->w.ds_next : NULL};
    gfin_reserve_flows rf = {c[Y_DSRA_BAL], c[Y_DSRA_DRAW], c[Y_DSRA_TOPUP], c[Y_DSRA_REL],
                             c[Y_DSRA_INT], c[Y_SHORT], c[Y_TRAPPED], c[Y_EQ_AFTER]};
    gfin__reserves_run(&rt, v->m.C, v->m.T, c[Y_CFADS], c[Y_DS], c[Y_SHORT], c[Y_DSCR], c[Y_EQUITY], &rf,
                       &v->lockup_years);
    v->shortfall = 0;
    for (size_t y = 0; y < v->m.T; ++y)
        v->shortfall += c[Y_SHORT][y];
}

static void fill_years(eval *v)
{
    double *const *c = v->c;
    const size_t C = v->m.C;
    v->min_dscr = INFINITY; /* the sweep fills the years once a year: start afresh */
    v->sum_dscr = v->shortfall = 0;
    v->n_dscr = 0;
    for (size_t y = 0; y < v->m.T; ++y) {
        c[Y_YEAR][y] = (double)(y + 1);
        c[Y_CAL][y] = (double)(v->m.start_year + (int)y);
        c[Y_CAPEX][y] = y < C ? v->m.capex * v->m.profile[y] : 0;
        c[Y_DSCR][y] = NAN;
        if (y >= C)
            operating_year(v, y);
        const double tax_u = y >= C ? v->w.tax_u[y - C] : 0;
        /* Equity pays no part of an unpaid debt service: it gets CFADS - the
         * debt service actually paid (0 in a shortfall year, CFADS when CFADS < 0). */
        c[Y_EQUITY][y] = -c[Y_CAPEX][y] + c[Y_DRAW][y] + c[Y_CFADS][y] - (c[Y_DS][y] - c[Y_SHORT][y]) + v->w.eq_adj[y];
        c[Y_PROJECT][y] = -c[Y_CAPEX][y] + c[Y_EBITDA][y] - tax_u;
        v->w.flow_pre[y] = -c[Y_CAPEX][y] + c[Y_EBITDA][y];
    }
    if (v->reserves)
        run_reserves(v);
    /* No grid: no carbon figures (null), in every year. */
    if (!v->m.grid)
        for (size_t y = 0; y < v->m.T; ++y)
            c[Y_BASE][y] = c[Y_PROJ_T][y] = c[Y_RED][y] = c[Y_CRED][y] = NAN;
}

/* ---- the loans changed by the project's cash (docs/model.md 6.5) ---- */

/* The initial reserve drawn on the loan dsra_funding names: F = dsra_months /
 * 12 x the first operating year's debt service, the draw's own included
 * (sweep.c solves it), drawn at the start of that year and repaid with the
 * loan's instalments. The equity does not get it: it goes into the reserve. */
static gfin_status reserve_draw(eval *v, gfin_error *err)
{
    const size_t i = v->m.dsra_loan, C = v->m.C, f = frequency_of(v, i);
    const double s = gfin__p_num(&v->pr->p, GFIN_PROJECT_DSRA_MONTHS) / 12;
    const gfin_table *base = schedule_of(v, i);
    const char *id = gfin_result_id(gfin_result_child(v->res, i));
    gfin_status st = gfin__reserve_draw(base, C * f, (C + 1) * f, s, v->c[Y_DS][C], &v->dsra_draw);
    if (st == GFIN_EINVAL)
        return gfin__fail(err, st, "dsra_funding",
                          "loan \"%s\" has no balance at the start of the first operating year (%d) to draw the "
                          "reserve on",
                          id, v->m.start_year + (int)C);
    if (st == GFIN_ERANGE)
        return gfin__fail(err, GFIN_EINVAL, "dsra_funding",
                          "loan \"%s\" cannot draw the reserve: what it draws adds so much to the first operating "
                          "year's debt service that %g months of it exceed the draw itself",
                          id, 12 * s);
    if (st || (st = gfin__schedule_restructure(base, C * f, v->dsra_draw, NULL, &v->changed[i])))
        return gfin__fail(err, st, "", "out of memory");
    v->w.eq_adj[C] -= v->dsra_draw;
    return GFIN_OK;
}

/* The cash the sweep shares in year y (docs/model.md 6.5): the years again
 * with the schedules as they stand, then CFADS less debt service less the
 * reserve's top-up. The reserve's target of year y reads year y + 1's debt
 * service as scheduled before year y's sweep (ds_next: the earlier years'
 * targets are decided). */
static double sweep_cash(void *ctx, size_t y)
{
    eval *v = ctx;
    double *const *c = v->c;
    sum_loans(v);
    for (size_t z = y; z < v->m.T; ++z)
        v->w.ds_next[z] = z + 1 < v->m.T ? c[Y_DS][z + 1] : 0;
    taxes(v);
    fill_years(v);
    return c[Y_CFADS][y] - c[Y_DS][y] - c[Y_DSRA_TOPUP][y];
}

/* The cash sweep, one pass year by year (sweep.c); the equity pays it. */
static gfin_status sweep_years(eval *v, gfin_error *err)
{
    const size_t n = v->pr->nloans;
    const gfin_table *base[GFIN_PROJECT_MAX_LOANS];
    size_t freq[GFIN_PROJECT_MAX_LOANS];
    bool swept[GFIN_PROJECT_MAX_LOANS];
    for (size_t i = 0; i < n; ++i) {
        base[i] = gfin_result_table(gfin_result_child(v->res, i), "schedule");
        freq[i] = frequency_of(v, i);
        swept[i] = gfin__p_num(gfin__loan_store(v->pr->loans[i]), GFIN_LOAN_SWEPT) == GFIN_SWEPT_YES;
    }
    gfin_sweep s = {.n = n, .base = base, .frequency = freq, .swept = swept, .funding = v->m.dsra_loan,
                    .at = v->m.C * (v->m.dsra_loan < n ? freq[v->m.dsra_loan] : 0), .extra = v->dsra_draw,
                    .now = v->changed, .prepay = v->prepay};
    if (gfin__sweep_run(&s, v->m.C, v->m.T, v->m.sweep, sweep_cash, v, v->c[Y_SWEEP]))
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    for (size_t y = v->m.C; y < v->m.T; ++y)
        v->w.eq_adj[y] -= v->c[Y_SWEEP][y];
    return GFIN_OK;
}

/* The reserve's draw and the sweep, then every changed loan's result around
 * its new schedule (metrics included), and the loans' sums again. */
static gfin_status change_loans(eval *v, gfin_error *err)
{
    gfin_status st;
    if (v->m.dsra_loan != SIZE_MAX && gfin__p_num(&v->pr->p, GFIN_PROJECT_DSRA_MONTHS) > 0 &&
        (st = reserve_draw(v, err)))
        return st;
    sum_loans(v);
    for (size_t z = 0; z < v->m.T; ++z)
        v->w.ds_next[z] = z + 1 < v->m.T ? v->c[Y_DS][z + 1] : 0;
    if (v->m.sweep > 0 && (st = sweep_years(v, err)))
        return st;
    const double ge = v->inh && !isnan(v->inh->grant_element_rate) ? v->inh->grant_element_rate : NAN;
    for (size_t i = 0; i < v->pr->nloans; ++i) {
        if (!v->changed[i])
            continue;
        gfin_result *lr;
        const char *id = gfin_result_id(gfin_result_child(v->res, i));
        st = gfin__loan_result(v->pr->loans[i], v->changed[i], ge, &lr, err);
        v->changed[i] = NULL; /* the result owns it, or it was freed */
        if (st)
            return st;
        if (!*gfin_result_id(lr) && (st = gfin__result_set_id(lr, id))) {
            gfin_result_free(lr);
            return gfin__fail(err, st, "", "out of memory");
        }
        gfin__result_replace_child(v->res, i, lr);
    }
    sum_loans(v);
    return GFIN_OK;
}

/* A drawdown after construction (in a period that starts at or after the end
 * of year C) is not in the balance at the end of year C, yet the CFADS of the
 * LLCR's numerator services it: the denominator adds each such drawdown
 * discounted at r from its time t_k (years from the start of year 1) back to
 * the end of year C, D_k / (1 + r)^(t_k - C), so that a loan serviced exactly
 * at its rate still has an LLCR of about 1. A warning names the loan. */
static gfin_status late_drawdowns(eval *v, double r, double *late_pv)
{
    const size_t C = v->m.C;
    *late_pv = 0;
    for (size_t i = 0; i < v->nl; ++i) {
        const gfin_result *lr = gfin_result_child(v->res, i);
        const gfin_table *sch = schedule_of(v, i);
        const double f = (double)frequency_of(v, i);
        const double *draw = gfin_table_column_of(sch, GFIN_C_SCHEDULE_DRAWDOWN);
        double late = 0, drawn = 0;
        size_t first = 0;
        for (size_t k = 0; k < sch->rows; ++k) {
            drawn += draw[k];
            if ((double)k < (double)C * f || !(draw[k] > 0))
                continue;
            *late_pv += draw[k] / pow(1 + r, (double)k / f - (double)C);
            /* The reserve's draw (dsra_funding) is late by design: no warning. */
            const double own = draw[k] - (i == v->m.dsra_loan && (double)k == (double)C * f ? v->dsra_draw : 0);
            if (!(own > 0))
                continue;
            if (late == 0)
                first = k;
            late += own;
        }
        gfin_status st;
        if (late > 0 &&
            (st = gfin__result_add_warning(v->res,
                                           "loan \"%s\" of project \"%s\": %.10g of the %.10g drawn (%.3g %%) is drawn "
                                           "after construction, from period %zu (%d) on; the llcr counts it in its "
                                           "denominator, discounted to the end of construction",
                                           gfin_result_id(lr), gfin__p_str(&v->pr->p, GFIN_PROJECT_ID), late, drawn,
                                           100 * late / drawn, first + 1,
                                           v->m.start_year + (int)((double)first / f))))
            return st;
    }
    return GFIN_OK;
}

/* LLCR (docs/model.md): PV of CFADS over the years with debt service at the
 * weighted loan rate / the balance at the end of construction. */
static gfin_status llcr(eval *v, double *out)
{
    const size_t C = v->m.C;
    size_t last_ds = 0;
    for (size_t y = C; y < v->m.T; ++y)
        if (v->c[Y_DS][y] > 0)
            last_ds = y - C + 1;
    const double r = v->total_debt > 0 ? v->rate_w / v->total_debt : NAN;
    double late_pv, num = 0;
    gfin_status st = late_drawdowns(v, r, &late_pv);
    if (st)
        return st;
    for (size_t k = 1; k <= last_ds; ++k)
        num += v->c[Y_CFADS][C + k - 1] / pow(1 + r, (double)k);
    *out = (last_ds && v->balance_c + late_pv > 0) ? num / (v->balance_c + late_pv) : NAN;
    return GFIN_OK;
}

/* Metrics that exist only with their keys: reserves, yield uncertainty. */
static gfin_status extra_metrics(eval *v)
{
    gfin_status st;
    if (v->reserves &&
        ((st = gfin__result_add_metric(v->res, GFIN_M_EQUITY_IRR_AFTER_RESERVES, gfin__irr_or_nan(v->c[Y_EQ_AFTER], v->m.T))) ||
         (st = gfin__result_add_metric(v->res, GFIN_M_LOCKUP_YEARS, (double)v->lockup_years))))
        return st;
    if (gfin__p_num(&v->pr->p, GFIN_PROJECT_YIELD_UNCERTAINTY) > 0) {
        double dscr90, irr90;
        if ((st = p90_metrics(&v->m, v->w.net, v->w.cred, v->c, v->w.eq_adj, &dscr90, &irr90)) ||
            (st = gfin__result_add_metric(v->res, GFIN_M_MIN_DSCR_P90, dscr90)) ||
            (st = gfin__result_add_metric(v->res, GFIN_M_EQUITY_IRR_P90, irr90)))
            return st;
    }
    return GFIN_OK;
}

/* LCOE and NPV discount each year's flow from its end to the start of year 1. */
static gfin_status add_metrics(eval *v)
{
    double *const *c = v->c;
    const size_t C = v->m.C, T = v->m.T;
    const double d = v->m.discount;
    double pv_cost = 0, pv_energy = 0, lifetime = 0, llcr_v;
    for (size_t y = 0; y < T; ++y) {
        const double f = pow(1 + d, -(double)(y + 1));
        pv_cost += (c[Y_CAPEX][y] + c[Y_OPEX][y]) * f;
        pv_energy += c[Y_NET][y] * f;
        lifetime += c[Y_RED][y];
    }
    gfin_status st = llcr(v, &llcr_v);
    if (st)
        return st;
    v->project_irr = gfin__irr_or_nan(c[Y_PROJECT], T);
    v->pretax_irr = gfin__irr_or_nan(v->w.flow_pre, T);
    v->equity_irr = gfin__irr_or_nan(c[Y_EQUITY], T);
    const struct {
        gfin_metric k;
        double v;
    } metrics[] = {
        {GFIN_M_NPV, gfin__npv_end_of_year(d, c[Y_PROJECT], T)},
        {GFIN_M_PROJECT_IRR, v->project_irr},
        {GFIN_M_PROJECT_IRR_PRETAX, v->pretax_irr},
        {GFIN_M_EQUITY_IRR, v->equity_irr},
        {GFIN_M_PAYBACK_YEARS, gfin__payback(c[Y_PROJECT], T)},
        {GFIN_M_LCOE, pv_energy > 0 ? pv_cost / pv_energy : NAN},
        {GFIN_M_MIN_DSCR, v->n_dscr ? v->min_dscr : NAN},
        {GFIN_M_AVG_DSCR, v->n_dscr ? v->sum_dscr / (double)v->n_dscr : NAN},
        {GFIN_M_LLCR, llcr_v},
        {GFIN_M_TOTAL_DEBT, v->total_debt},
        {GFIN_M_GEARING, v->total_debt / v->m.capex},
        {GFIN_M_POWER_DENSITY_W_M2, v->m.carbon.power_density},
        {GFIN_M_FIRST_YEAR_NET_MWH, c[Y_NET][C]},
        {GFIN_M_LIFETIME_REDUCTIONS_TCO2E, lifetime},
        {GFIN_M_FIRST_YEAR_REDUCTIONS_TCO2E, c[Y_RED][C]},
        {GFIN_M_CAPEX, v->m.capex},
        {GFIN_M_CAPACITY_MW, v->m.energy.capacity_mw},
        {GFIN_M_FUND_PRINCIPAL, v->fund_principal},
        {GFIN_M_DEBT_SERVICE_SHORTFALL, v->shortfall},
    };
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; ++i)
        if ((st = gfin__result_add_metric(v->res, metrics[i].k, metrics[i].v)))
            return st;
    return extra_metrics(v);
}

static gfin_status warn_years(eval *v, size_t column, size_t from, double limit, const char *rule)
{
    const double *x = v->c[column];
    char years[160] = "";
    size_t count = 0, worst = 0;
    for (size_t y = from; y < v->m.T; ++y)
        if (isfinite(x[y]) && x[y] < limit) {
            if (!count || x[y] < x[worst])
                worst = y;
            size_t used = strlen(years);
            if (used < sizeof years - 16)
                snprintf(years + used, sizeof years - used, "%s%d", count ? ", " : "", v->m.start_year + (int)y);
            count++;
        }
    if (!count)
        return GFIN_OK;
    return gfin__result_add_warning(v->res, "%s %s in %zu year%s (%s); lowest %.4g in %d", v->yt->names[column], rule,
                                    count, count > 1 ? "s" : "", years, x[worst], v->m.start_year + (int)worst);
}

static gfin_status add_warnings(eval *v)
{
    gfin_result *r = v->res;
    const gfin_model *m = &v->m;
    gfin_status st;
    if ((!m->grid &&
         (st = gfin__result_add_warning(r, "grid: no emission factors (ef_cm, or ef_om and ef_bm) are set, on the "
                                           "project or its portfolio: the carbon figures (baseline_tco2e, "
                                           "project_tco2e, reductions_tco2e, credited_tco2e and the reductions "
                                           "metrics) are null"))) ||
        (v->not_applicable &&
         (st = gfin__result_add_warning(r, "ACM0002 does not apply: the reservoir's power density %.4g W/m2 is "
                                           "4 W/m2 or less, so no emission reductions are claimed",
                                        m->carbon.power_density))) ||
        (st = warn_years(v, Y_DSCR, m->C, 1.0, "is below 1")) ||
        (st = warn_years(v, Y_EQUITY, m->C + 1, 0.0, "is negative after the first operating year")) ||
        (!isfinite(v->project_irr) &&
         (st = gfin__result_add_warning(r, "project_irr: project_flow has no internal rate of return"))) ||
        (!isfinite(v->pretax_irr) &&
         (st = gfin__result_add_warning(r, "project_irr_pretax: the pre-tax flows have no internal rate of return"))) ||
        (!isfinite(v->equity_irr) &&
         (st = gfin__result_add_warning(r, "equity_irr: equity_flow has no internal rate of return"))) ||
        (v->total_debt > m->capex &&
         (st = gfin__result_add_warning(r, "gearing: the loans' principal %.10g exceeds capex %.10g", v->total_debt,
                                        m->capex))) ||
        (v->sizing && !v->sized &&
         (st = gfin__result_add_warning(r, "debt_sizing: the CFADS of the sizing case supports no debt"))))
        return st;
    return GFIN_OK;
}

static void eval_free(eval *v)
{
    for (size_t i = 0; i < sizeof v->translated / sizeof v->translated[0]; ++i)
        gfin_table_free(v->translated[i]);
    for (size_t i = 0; i < GFIN_PROJECT_MAX_LOANS; ++i) {
        gfin_table_free(v->changed[i]);
        gfin__free(v->prepay[i]);
    }
    gfin_loan_free(v->sized);
    gfin__free(v->block);
    gfin_table_free(v->yt);
    gfin_result_free(v->res);
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
    eval v = {.pr = pr, .inh = inh, .hk = hk};
    gfin_status st = gfin__project_resolve(pr, inh, &v.m, err);
    if (st)
        return st;
    v.res = gfin__result_new(GFIN_RESULT_PROJECT, gfin__p_str(&pr->p, GFIN_PROJECT_ID));
    v.reserves = gfin__p_num(&pr->p, GFIN_PROJECT_DSRA_MONTHS) > 0 || gfin__p_isset(&pr->p, GFIN_PROJECT_LOCKUP_DSCR) ||
                 v.m.sweep > 0;
    bool fx = false; /* a loan in another currency: the years table adds fx_gain_loss */
    for (size_t i = 0; i < pr->nloans; ++i)
        fx |= *gfin__p_str(gfin__loan_store(pr->loans[i]), GFIN_LOAN_CURRENCY) != '\0';
    const size_t ny = v.m.sweep > 0 ? NYS : v.reserves ? NYR : NY;
    v.yt = gfin__table_of(v.m.T, fx ? (ny == NYS ? YCOLS_SWEEP_FX : v.reserves ? YCOLS_RESERVES_FX : YCOLS_FX) : YCOLS,
                          ny + fx);
    v.block = work_alloc(&v.w, v.m.O, v.m.T);
    if (!v.res || !v.yt || !v.block) {
        eval_free(&v);
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    }
    for (size_t j = 0; j < ny; ++j)
        v.c[j] = gfin__col(v.yt, j);
    v.fx_gain = fx ? gfin__col(v.yt, ny) : NULL;
    if ((st = energy_and_carbon(&v, err)) || (st = loans(&v, err)) || (st = change_loans(&v, err))) {
        eval_free(&v);
        return st;
    }
    taxes(&v);
    fill_years(&v);
    if (!(st = add_metrics(&v)) && !(st = add_warnings(&v))) {
        st = gfin__result_add_table(v.res, "years", v.yt);
        v.yt = NULL; /* owned by the result, or freed on failure */
    }
    if (st) {
        eval_free(&v);
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    }
    *out = v.res;
    v.res = NULL;
    if (hk && hk->sized_out) { /* the caller keeps the sized loan */
        *hk->sized_out = v.sized;
        v.sized = NULL;
    }
    eval_free(&v);
    return GFIN_OK;
}

gfin_status gfin_project_evaluate(const gfin_project *pr, gfin_result **out, gfin_error *err)
{
    return gfin__project_evaluate(pr, NULL, out, err);
}
