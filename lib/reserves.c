/* reserves.c -- the debt service reserve account and the distribution lock-up
 * (docs/model.md "Reserve account and lock-up"), computed year by year in one
 * pass below debt service.
 *
 * Market practice followed (project finance term sheets; NREL SAM's "debt
 * service reserve" and "distributions" of its Single Owner model; E. R. Yescombe,
 * "Principles of Project Finance", 2nd ed., ch. 14.4 "Reserve accounts" and
 * 14.5 "Controls on cash flow: the cash-flow cascade"):
 *
 *  - the DSRA target at the end of a year is the next dsra_months of debt
 *    service, (dsra_months / 12) x the next year's scheduled debt service (a
 *    yearly model's reading of "the next six months": SAM's);
 *  - it is funded by the equity (or drawn on a loan: dsra_funding, sweep.c)
 *    at the end of construction (the end of year C: its first target), earns dsra_rate on its opening balance (kept in the
 *    account), pays the debt service that CFADS cannot, is topped up from the
 *    cash left after debt service, and releases anything above its target to
 *    the equity -- all of it once the target falls to 0 at final maturity;
 *  - distributions are locked up in a year whose DSCR is below lockup_dscr: the
 *    cash stays trapped in the project (without interest) until the test has
 *    passed in lockup_release_years consecutive years, or the debt is repaid;
 *    a year without debt service neither passes nor fails the test. A negative
 *    flow to equity (a negative CFADS the sponsor funds) is never trapped;
 *  - debt service that neither CFADS nor the reserve pays is lost to the
 *    lenders (docs/model.md "Risk": no recovery), as without a reserve. */
#include "reserves.h"

#include <math.h>

void gfin__reserves_run(const gfin_reserve_terms *t, size_t C, size_t T, const double *cfads, const double *ds,
                        const double *shortfall, const double *dscr, const double *equity_flow,
                        gfin_reserve_flows *out, size_t *lockup_years)
{
    const double share = t->dsra_months / 12.0;
    const bool lockup = isfinite(t->lockup_dscr);
    size_t last_ds = 0; /* the year of the last debt service (final maturity) */
    for (size_t y = 0; y < T; ++y)
        if (ds[y] > 0)
            last_ds = y;
    double balance = 0, trapped = 0;
    size_t passes = 0, locked_years = 0;
    for (size_t y = 0; y < T; ++y) {
        const double target = y + 1 < T ? share * (t->ds_next ? t->ds_next[y] : ds[y + 1]) : 0.0;
        double interest = 0, draw = 0, topup = 0, release = 0, unpaid = shortfall[y], flow = equity_flow[y];
        if (y + 1 == C) {
            /* Initial funding at the end of construction: by the equity, or
             * drawn on a loan (the waterfall books that draw). */
            topup = target;
            balance = target;
            if (!t->debt_funded)
                flow -= topup;
        } else if (y >= C) {
            interest = balance * t->dsra_rate;
            balance += interest;
            if (unpaid > 0) {
                draw = fmin(balance, unpaid);
                balance -= draw;
                unpaid -= draw;
            } else if (cfads[y] > ds[y]) {
                topup = fmin(cfads[y] - ds[y], fmax(0.0, target - balance));
                balance += topup;
            }
            if (balance > target) {
                release = balance - target;
                balance = target;
            }
            flow += release - topup; /* a draw pays the lenders, not the equity */
            if (lockup && isfinite(dscr[y]) && dscr[y] < t->lockup_dscr) {
                passes = 0;
                ++locked_years;
                if (flow > 0) {
                    trapped += flow;
                    flow = 0;
                }
            } else if (lockup && isfinite(dscr[y]) && ++passes >= t->lockup_release_years) {
                flow += trapped;
                trapped = 0;
            }
            if (y >= last_ds || y + 1 == T) { /* the debt is repaid: the lock-up ends */
                flow += trapped;
                trapped = 0;
            }
        }
        out->dsra_balance[y] = balance;
        out->dsra_draw[y] = draw;
        out->dsra_topup[y] = topup;
        out->dsra_release[y] = release;
        out->dsra_interest[y] = interest;
        out->shortfall[y] = unpaid;
        out->trapped[y] = trapped;
        out->equity_after[y] = flow;
    }
    *lockup_years = locked_years;
}
