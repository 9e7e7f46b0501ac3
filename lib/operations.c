/* operations.c -- a project's operating years in money (docs/model.md
 * "Projects"): revenue, opex and EBITDA of an energy case, depreciation and
 * income tax with its holiday and loss carry-forward, and the measures of
 * yearly flows (IRR, NPV, payback). Shared by the waterfall and debt sizing. */
#include "project_model.h"

#include <math.h>

/* ---- operations and tax ---- */

/* Income tax of the operating years (docs/model.md "Tax"): a negative taxable
 * income, holiday years included, is a loss usable in the next `carry` years,
 * oldest first, and only in taxed years (after the holiday). `loss` is scratch
 * of O. */
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

void gfin__project_tax(const gfin_model *m, const double *ti, double *tax, double *loss)
{
    const gfin_pstore *s = &m->pr->p;
    income_tax(ti, m->O, gfin__p_num(s, GFIN_PROJECT_TAX_RATE), (size_t)gfin__p_num(s, GFIN_PROJECT_TAX_HOLIDAY_YEARS),
               (size_t)gfin__p_num(s, GFIN_PROJECT_LOSS_CARRYFORWARD_YEARS), tax, loss);
}

void gfin__operations(const gfin_model *m, const double *net, const double *credited, double scale, gfin_ops *o)
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

double gfin__depreciation(const gfin_model *m, size_t j)
{
    const double years = gfin__p_num(&m->pr->p, GFIN_PROJECT_DEPRECIATION_YEARS);
    return (double)j < years ? m->capex / years : 0;
}

void gfin__unlevered_tax(const gfin_model *m, const double *ebitda, double *ti, double *tax, double *loss)
{
    for (size_t j = 0; j < m->O; ++j)
        ti[j] = ebitda[j] - gfin__depreciation(m, j);
    gfin__project_tax(m, ti, tax, loss);
}

/* ---- measures of yearly flows ---- */

/* IRR of yearly flows, NaN (null) when none exists. */
double gfin__irr_or_nan(const double *v, size_t n)
{
    double r;
    return gfin_irr(v, n, 0.1, &r) == GFIN_OK ? r : NAN;
}

double gfin__npv_end_of_year(double rate, const double *v, size_t n)
{
    /* Flows at the end of years 1..n, discounted to the start of year 1:
     * gfin_npv (values[0] at t = 0) / (1 + rate). */
    double x;
    return gfin_npv(rate, v, n, &x) == GFIN_OK ? x / (1 + rate) : NAN;
}

double gfin__payback(const double *flow, size_t n)
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
