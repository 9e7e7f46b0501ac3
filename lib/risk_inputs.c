/* risk_inputs.c -- an experiment read back (its cases, sensitivity entries,
 * uncertainties with their distributions, factors and correlations), for
 * callers that report what was assumed: the command's workbook, bindings.
 * Only reads the structures risk.c builds (risk_plan.h). */
#include "risk_plan.h"

#include <math.h>
#include <stdio.h>

double gfin_risk_covenant_dscr(const gfin_risk *r) { return r ? r->covenant : NAN; }

double gfin_risk_hurdle_equity_irr(const gfin_risk *r) { return r ? r->hurdle : NAN; }

size_t gfin_risk_case_count(const gfin_risk *r) { return r ? r->ncases : 0; }

const char *gfin_risk_case_name(const gfin_risk *r, size_t i)
{
    return r && i < r->ncases ? r->cases[i].name : NULL;
}

size_t gfin_risk_case_change_count(const gfin_risk *r, size_t i)
{
    return r && i < r->ncases ? r->cases[i].n : 0;
}

const gfin_risk_change *gfin_risk_case_change(const gfin_risk *r, size_t i, size_t j, double *value)
{
    if (!r || i >= r->ncases || j >= r->cases[i].n)
        return NULL;
    const rk_entry *e = &r->cases[i].changes[j];
    if (value)
        *value = e->value;
    return &e->ch;
}

size_t gfin_risk_sensitivity_count(const gfin_risk *r) { return r ? r->nsens : 0; }

const gfin_risk_change *gfin_risk_sensitivity(const gfin_risk *r, size_t i, double *low, double *high)
{
    if (!r || i >= r->nsens)
        return NULL;
    if (low)
        *low = r->sens[i].low;
    if (high)
        *high = r->sens[i].high;
    return &r->sens[i].ch;
}

size_t gfin_risk_uncertainty_count(const gfin_risk *r) { return r ? r->nunc : 0; }

const gfin_risk_change *gfin_risk_uncertainty(const gfin_risk *r, size_t i, const gfin_risk_dist **dist,
                                              const char **factor, gfin_risk_per *per)
{
    if (!r || i >= r->nunc)
        return NULL;
    const rk_entry *e = &r->unc[i];
    if (dist)
        *dist = e->dist;
    if (factor)
        *factor = e->factor;
    if (per)
        *per = e->per;
    return &e->ch;
}

size_t gfin_risk_factor_count(const gfin_risk *r) { return r ? r->nfactors : 0; }

const char *gfin_risk_factor(const gfin_risk *r, size_t i, gfin_risk_per *per, double *autocorrelation)
{
    if (!r || i >= r->nfactors)
        return NULL;
    if (per)
        *per = r->factors[i].per;
    if (autocorrelation)
        *autocorrelation = r->factors[i].rho;
    return r->factors[i].name;
}

size_t gfin_risk_correlation_count(const gfin_risk *r) { return r ? r->ncorr : 0; }

gfin_status gfin_risk_correlation(const gfin_risk *r, size_t i, const char **a, const char **b, double *rho)
{
    if (!r || i >= r->ncorr)
        return GFIN_EINVAL;
    if (a)
        *a = r->corr[i].a;
    if (b)
        *b = r->corr[i].b;
    if (rho)
        *rho = r->corr[i].rho;
    return GFIN_OK;
}

/* ---- a change ---- */

const char *gfin_risk_change_key(const gfin_risk_change *c) { return c ? c->key : NULL; }

int gfin_risk_change_apply(const gfin_risk_change *c) { return c ? (int)c->apply : -1; }

size_t gfin_risk_change_label(const gfin_risk_change *c, char *buf, size_t n)
{
    char label[512];
    if (!c) {
        if (buf && n)
            *buf = '\0';
        return 0;
    }
    rk_change_label(c, label, sizeof label);
    return (size_t)snprintf(buf, buf ? n : 0, "%s", label);
}

const char *gfin_risk_change_project(const gfin_risk_change *c, size_t i)
{
    return c && i < c->nprojects ? c->projects[i] : NULL;
}

const char *gfin_risk_change_lender(const gfin_risk_change *c, size_t i)
{
    return c && i < c->nlenders ? c->lenders[i] : NULL;
}

int gfin_risk_change_technology(const gfin_risk_change *c) { return c ? c->technology : -1; }
const char *gfin_risk_change_currency(const gfin_risk_change *c) { return c && *c->currency ? c->currency : NULL; }

gfin_status gfin_risk_change_years(const gfin_risk_change *c, int *first, int *last)
{
    if (!c)
        return GFIN_EINVAL;
    if (!c->first_year && !c->last_year)
        return GFIN_ENOVALUE;
    if (first)
        *first = c->first_year;
    if (last)
        *last = c->last_year;
    return GFIN_OK;
}

/* ---- a distribution ---- */

int gfin_risk_dist_type_of(const gfin_risk_dist *d) { return d ? (int)d->type : -1; }

gfin_status gfin_risk_dist_get(const gfin_risk_dist *d, gfin_risk_dist_param p, double *out)
{
    if (!d || !out || (unsigned)p >= RK_NPARAMS)
        return GFIN_EINVAL;
    if (!(d->set & (1u << (unsigned)p)))
        return GFIN_ENOVALUE;
    *out = d->p[p];
    return GFIN_OK;
}

size_t gfin_risk_dist_values(const gfin_risk_dist *d, const double **values, const double **weights)
{
    if (values)
        *values = d ? d->given : NULL;
    if (weights)
        *weights = d ? d->weights : NULL;
    return d && d->given ? d->n : 0;
}
