/* sizing.c -- the project's senior loan sized from a target DSCR (docs/model.md
 * "Debt sizing"): one sculpted loan whose debt service is the sizing case's
 * CFADS / target_dscr, drawn with the capex, capped at max_gearing x capex. */
#include "project_model.h"

#include <math.h>

/* The sized loan (MODEL.md "The sized loan"): debt service of tenor year j =
 * CFADS_j(case) / target_dscr; commitment = PV at the loan rate of that debt
 * service / sum_y profile_y (1 + r)^(C - y + 1), the growth of the drawdowns
 * with capitalized interest to the end of construction; capped at
 * max_gearing x capex with the debt service scaled down alike. *out is NULL
 * when the sizing case's CFADS carries no debt. */
gfin_status gfin__size_debt(const gfin_model *m, const double *net, const double *credited, gfin_loan **out,
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
    gfin_ops o = {w, w + O, w + 2 * O, w + 3 * O};
    double *ti = w + 4 * O, *tax = w + 5 * O, *target = w + 6 * O;
    gfin__operations(m, net, credited, scale, &o);
    gfin__unlevered_tax(m, o.ebitda, ti, tax, target); /* target doubles as the loss scratch */
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
