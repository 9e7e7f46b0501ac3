/* sweep.c -- a loan's schedule changed by its project's cash flow: the
 * reserve's draw on the loan that funds it and the cash sweep's prepayments
 * (docs/model.md 6.5).
 *
 * Market practice followed: a prepayment from a cash sweep is applied to the
 * remaining instalments in inverse order of maturity (the last ones are
 * cancelled first), so the scheduled instalments keep their amounts and the
 * loan ends earlier -- the sweep "shortens the life" of the loan, as opposed
 * to a pro rata application that would lower every later instalment and
 * keep the final maturity (E. R. Yescombe, "Principles of Project Finance",
 * 2nd ed., 14.5: cash sweep; the Loan Market Association's facility
 * agreements let the parties choose between the two). A further draw is
 * repaid with the loan's own instalment pattern: every later instalment
 * scaled by the same factor, which for an annuity or a linear loan is the
 * annuity or the linear repayment of the larger balance. */
#include "sweep.h"

#include <math.h>
#include <string.h>

enum { S_PERIOD, S_TIME, S_OPEN, S_DRAW, S_INT, S_CAPINT, S_PRIN, S_FEES, S_DS, S_CLOSE, S_RATE, NS };
static const gfin_column BASE_COLS[NS] = {
    GFIN_C_SCHEDULE_PERIOD, GFIN_C_SCHEDULE_TIME_YEARS, GFIN_C_SCHEDULE_OPENING_BALANCE, GFIN_C_SCHEDULE_DRAWDOWN,
    GFIN_C_SCHEDULE_INTEREST, GFIN_C_SCHEDULE_CAPITALIZED_INTEREST, GFIN_C_SCHEDULE_PRINCIPAL,
    GFIN_C_SCHEDULE_FEES, GFIN_C_SCHEDULE_DEBT_SERVICE, GFIN_C_SCHEDULE_CLOSING_BALANCE, GFIN_C_SCHEDULE_RATE};
/* With prepayments the table adds the optional `prepayment` column, last. */
static const gfin_column WITH_PREPAYMENT[NS + 1] = {
    GFIN_C_SCHEDULE_PERIOD, GFIN_C_SCHEDULE_TIME_YEARS, GFIN_C_SCHEDULE_OPENING_BALANCE, GFIN_C_SCHEDULE_DRAWDOWN,
    GFIN_C_SCHEDULE_INTEREST, GFIN_C_SCHEDULE_CAPITALIZED_INTEREST, GFIN_C_SCHEDULE_PRINCIPAL,
    GFIN_C_SCHEDULE_FEES, GFIN_C_SCHEDULE_DEBT_SERVICE, GFIN_C_SCHEDULE_CLOSING_BALANCE, GFIN_C_SCHEDULE_RATE,
    GFIN_C_SCHEDULE_PREPAYMENT};
static const gfin_column WITH_PREPAYMENT_DATED[NS + 2] = {
    GFIN_C_SCHEDULE_PERIOD, GFIN_C_SCHEDULE_TIME_YEARS, GFIN_C_SCHEDULE_OPENING_BALANCE, GFIN_C_SCHEDULE_DRAWDOWN,
    GFIN_C_SCHEDULE_INTEREST, GFIN_C_SCHEDULE_CAPITALIZED_INTEREST, GFIN_C_SCHEDULE_PRINCIPAL,
    GFIN_C_SCHEDULE_FEES, GFIN_C_SCHEDULE_DEBT_SERVICE, GFIN_C_SCHEDULE_CLOSING_BALANCE, GFIN_C_SCHEDULE_RATE,
    GFIN_C_SCHEDULE_DATE, GFIN_C_SCHEDULE_PREPAYMENT};

gfin_status gfin__schedule_restructure(const gfin_table *base, size_t at, double extra, const double *prepay,
                                       gfin_table **out)
{
    const size_t N = base->rows;
    const double *date = gfin_table_column_of(base, GFIN_C_SCHEDULE_DATE);
    const double *b[NS];
    for (size_t j = 0; j < NS; ++j)
        b[j] = gfin_table_column_of(base, BASE_COLS[j]);
    if (extra > 0 && (at >= N || !(b[S_OPEN][at] + b[S_DRAW][at] > 0)))
        return GFIN_EINVAL;
    gfin_table *t = !prepay ? gfin__table_of(N, base->ids, base->cols)
                    : date  ? gfin__table_of(N, WITH_PREPAYMENT_DATED, NS + 2)
                            : gfin__table_of(N, WITH_PREPAYMENT, NS + 1);
    if (!t)
        return GFIN_ENOMEM;
    /* Every layout starts with the NS columns of BASE_COLS, in that order;
     * the date follows, and the prepayment comes last. */
    double *c[NS];
    for (size_t j = 0; j < NS; ++j)
        c[j] = gfin__col(t, j);
    double *pre = prepay ? gfin__col(t, t->cols - 1) : NULL;
    if (date)
        memcpy(gfin__col(t, NS), date, N * sizeof *date);
    double bal = 0, scale = 1;
    for (size_t k = 0; k < N; ++k) {
        const double draw = b[S_DRAW][k] + (k == at ? extra : 0), was = b[S_OPEN][k] + b[S_DRAW][k];
        const double now = bal + draw;
        if (k == at && extra > 0)
            scale = now / was;
        /* The base period's own rate (its interest over its balance), so a
         * dated period keeps its day count; unchanged balance, same bits. */
        const double interest = now == was ? b[S_INT][k] : was > 0 ? now * (b[S_INT][k] / was) : 0;
        const double cap = b[S_CAPINT][k] != 0 ? interest : 0, owed = now + cap;
        double prin = scale * b[S_PRIN][k];
        if (k + 1 == N || prin > owed)
            prin = owed; /* the last period repays what remains; no period more than that */
        else if (!(owed > 0))
            prin = 0; /* repaid early: nothing more is due */
        double left = owed - prin, paid = 0;
        if (prepay && prepay[k] > 0 && left > 0) {
            paid = fmin(prepay[k], left);
            left = paid == left ? 0 : left - paid;
        }
        c[S_PERIOD][k] = b[S_PERIOD][k];
        c[S_TIME][k] = b[S_TIME][k];
        c[S_OPEN][k] = bal;
        c[S_DRAW][k] = draw;
        c[S_INT][k] = interest;
        c[S_CAPINT][k] = cap;
        c[S_PRIN][k] = prin;
        c[S_FEES][k] = b[S_FEES][k];
        c[S_DS][k] = interest - cap + prin + b[S_FEES][k];
        c[S_CLOSE][k] = k + 1 == N ? 0 : left;
        c[S_RATE][k] = b[S_RATE][k];
        if (pre)
            pre[k] = paid;
        bal = c[S_CLOSE][k];
    }
    *out = t;
    return GFIN_OK;
}

/* Debt service of periods from .. to - 1. */
static double ds_between(const gfin_table *s, size_t from, size_t to)
{
    const double *ds = gfin_table_column_of(s, GFIN_C_SCHEDULE_DEBT_SERVICE);
    double sum = 0;
    for (size_t k = from; k < to && k < s->rows; ++k)
        sum += ds[k];
    return sum;
}

gfin_status gfin__reserve_draw(const gfin_table *base, size_t from, size_t to, double s, double ds_year,
                               double *F)
{
    if (from >= base->rows)
        return GFIN_EINVAL;
    /* A trial draw of the balance itself (any positive amount would do). */
    const double trial = gfin_table_column_of(base, GFIN_C_SCHEDULE_OPENING_BALANCE)[from] +
                         gfin_table_column_of(base, GFIN_C_SCHEDULE_DRAWDOWN)[from];
    gfin_table *t;
    gfin_status st = gfin__schedule_restructure(base, from, trial, NULL, &t);
    if (st)
        return st;
    const double ds0 = ds_between(base, from, to), slope = (ds_between(t, from, to) - ds0) / trial;
    gfin_table_free(t);
    if (!(s * slope < 1))
        return GFIN_ERANGE;
    *F = s * ds_year / (1 - s * slope); /* F = s (ds_year + slope F) */
    return GFIN_OK;
}

/* A loan's schedule again from its base, with its prepayments so far. */
static gfin_status rebuild(gfin_sweep *s, size_t i)
{
    gfin_table *next;
    gfin_status st = gfin__schedule_restructure(s->base[i], i == s->funding ? s->at : 0,
                                                i == s->funding ? s->extra : 0, s->prepay[i], &next);
    if (st)
        return st;
    gfin_table_free(s->now[i]);
    s->now[i] = next;
    return GFIN_OK;
}

gfin_status gfin__sweep_run(gfin_sweep *s, size_t C, size_t T, double fraction, gfin_sweep_cash_fn cash, void *ctx,
                            double *amounts)
{
    for (size_t i = 0; i < s->n; ++i)
        if (s->swept[i] && !(s->prepay[i] = gfin__calloc(s->base[i]->rows, sizeof(double))))
            return GFIN_ENOMEM;
    double *balance = gfin__calloc(s->n + 1, sizeof *balance); /* a swept loan's, at the year end */
    if (!balance)
        return GFIN_ENOMEM;
    gfin_status st = GFIN_OK;
    for (size_t y = C; y < T && !st; ++y) {
        const double available = cash(ctx, y);
        double owed = 0;
        for (size_t i = 0; i < s->n; ++i) {
            const gfin_table *now = s->now[i] ? s->now[i] : s->base[i];
            const size_t last = gfin__periods_to_year_end(y + 1, s->frequency[i]) - 1;
            balance[i] = s->swept[i] && last < now->rows
                             ? gfin_table_column_of(now, GFIN_C_SCHEDULE_CLOSING_BALANCE)[last]
                             : 0;
            owed += balance[i];
        }
        amounts[y] = available > 0 && owed > 0 ? fmin(fraction * available, owed) : 0;
        for (size_t i = 0; i < s->n && amounts[y] > 0 && !st; ++i) {
            if (!(balance[i] > 0))
                continue;
            const size_t last = gfin__periods_to_year_end(y + 1, s->frequency[i]) - 1;
            s->prepay[i][last] = amounts[y] == owed ? balance[i] : amounts[y] * (balance[i] / owed);
            st = rebuild(s, i);
        }
    }
    gfin__free(balance);
    return st;
}
