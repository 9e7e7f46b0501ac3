/* loan.c -- loan terms -> period-by-period schedule and loan metrics.
 *
 * Semantics: MODEL.md "Loan". Periods 1..N, N = A (availability) + G (grace) +
 * R (repayment). A drawdown in period k is drawn at its start and bears
 * interest in it: interest_k = (opening_k + drawdown_k) x r_k. */
#include "loan.h"

#include <math.h>
#include <string.h>

struct gfin_loan {
    gfin_pstore p;
    gfin_error last;
};

#define MAX_YEARS 100.0
#define SUM_TOL 1e-9

/* ---- handle ---- */

gfin_loan *gfin_loan_new(void)
{
    gfin_loan *l = gfin__calloc(1, sizeof *l);
    if (l)
        gfin__pstore_init(&l->p, GFIN_OBJ_LOAN);
    return l;
}

void gfin_loan_free(gfin_loan *loan)
{
    if (!loan)
        return;
    gfin__pstore_clear(&loan->p);
    gfin__free(loan);
}

gfin_loan *gfin__loan_from_store(const gfin_pstore *s)
{
    gfin_loan *l = gfin__calloc(1, sizeof *l);
    if (!l)
        return NULL;
    if (gfin__pstore_copy(&l->p, s) != GFIN_OK) {
        gfin__free(l);
        return NULL;
    }
    return l;
}

gfin_loan *gfin_loan_copy(const gfin_loan *loan) { return loan ? gfin__loan_from_store(&loan->p) : NULL; }

const gfin_pstore *gfin__loan_store(const gfin_loan *loan) { return &loan->p; }

#define STORES(l) ((gfin_pstore *const[]){&(l)->p})

gfin_status gfin_loan_set(gfin_loan *loan, gfin_key key, double value)
{
    return loan ? gfin__handle_set(STORES(loan), 1, &loan->last, key, value) : GFIN_EINVAL;
}

gfin_status gfin_loan_set_array(gfin_loan *loan, gfin_key key, const double *values, size_t n)
{
    return loan ? gfin__handle_set_array(STORES(loan), 1, &loan->last, key, values, n) : GFIN_EINVAL;
}

gfin_status gfin_loan_set_string(gfin_loan *loan, gfin_key key, const char *value)
{
    return loan ? gfin__handle_set_string(STORES(loan), 1, &loan->last, key, value) : GFIN_EINVAL;
}

gfin_status gfin_loan_unset(gfin_loan *loan, gfin_key key)
{
    return loan ? gfin__handle_unset(STORES(loan), 1, key) : GFIN_EINVAL;
}

gfin_status gfin_loan_get(const gfin_loan *loan, gfin_key key, double *out)
{
    return loan ? gfin__pstore_get(&loan->p, key, out) : GFIN_EINVAL;
}

const char *gfin_loan_get_string(const gfin_loan *loan, gfin_key key)
{
    return loan ? gfin__pstore_get_string(&loan->p, key) : NULL;
}

gfin_status gfin_loan_get_array(const gfin_loan *loan, gfin_key key, const double **values, size_t *n)
{
    return loan ? gfin__pstore_get_array(&loan->p, key, values, n) : GFIN_EINVAL;
}

const gfin_error *gfin_loan_last_error(const gfin_loan *loan) { return loan ? &loan->last : NULL; }

/* ---- terms, resolved and validated ---- */

typedef struct terms {
    double principal;
    int freq;
    size_t A, G, R, N;
    const double *draws;
    const double *base;          /* floating base rates, NULL when fixed */
    size_t nbase;
    double annual_rate, margin;
    int idc_mode, grace_mode, amort;
    double balloon;
    const double *profile;       /* custom */
    const double *targets;       /* sculpted */
    double upfront, cfee;
    bool dated;
    gfin_date start;
    int day_count;
} terms;

static double sum(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; ++i)
        s += v[i];
    return s;
}

/* A key that only one amortization uses must not be set for another. */
static gfin_status only_for(const gfin_pstore *s, int key, int amort, int wanted, gfin_error *err)
{
    if (gfin__p_isset(s, key) && amort != wanted)
        return gfin__fail(err, GFIN_EINVAL, gfin_key_name((gfin_key)key),
                          "applies to amortization \"%s\" only, not \"%s\"",
                          gfin_key_choice(GFIN_LOAN_AMORTIZATION, wanted),
                          gfin_key_choice(GFIN_LOAN_AMORTIZATION, amort));
    return GFIN_OK;
}

/* The keys of one amortization: refused for another, and for custom and
 * sculpted their profile, one value per repayment period. */
static gfin_status resolve_amortization(const gfin_pstore *s, terms *t, gfin_error *err)
{
    gfin_status st;
    if ((st = only_for(s, GFIN_LOAN_BALLOON_FRACTION, t->amort, GFIN_AMORT_BALLOON, err)) ||
        (st = only_for(s, GFIN_LOAN_PRINCIPAL_PROFILE, t->amort, GFIN_AMORT_CUSTOM, err)) ||
        (st = only_for(s, GFIN_LOAN_DEBT_SERVICE_PROFILE, t->amort, GFIN_AMORT_SCULPTED, err)))
        return st;
    size_t n;
    if (t->amort == GFIN_AMORT_CUSTOM) {
        t->profile = gfin__p_arr(s, GFIN_LOAN_PRINCIPAL_PROFILE, &n);
        if (!t->profile)
            return gfin__fail(err, GFIN_EINVAL, "principal_profile", "is required with amortization \"custom\"");
        if (n != t->R)
            return gfin__fail(err, GFIN_EINVAL, "principal_profile",
                              "has %zu values; repayment_periods is %zu and they must match", n, t->R);
        if (fabs(sum(t->profile, n) - 1) > SUM_TOL)
            return gfin__fail(err, GFIN_EINVAL, "principal_profile",
                              "the fractions sum to %.12g, not 1 (tolerance 1e-9)", sum(t->profile, n));
    }
    if (t->amort == GFIN_AMORT_SCULPTED) {
        t->targets = gfin__p_arr(s, GFIN_LOAN_DEBT_SERVICE_PROFILE, &n);
        if (!t->targets)
            return gfin__fail(err, GFIN_EINVAL, "debt_service_profile",
                              "is required with amortization \"sculpted\"");
        if (n != t->R)
            return gfin__fail(err, GFIN_EINVAL, "debt_service_profile",
                              "has %zu values; repayment_periods is %zu and they must match", n, t->R);
        /* Debt service must at least return the principal: a profile whose
         * targets sum to less never repays the loan (the last period would
         * carry the rest as a lump). */
        double total = sum(t->targets, n);
        if (total < t->principal)
            return gfin__fail(err, GFIN_EINVAL, "debt_service_profile",
                              "the targets sum to %.10g, less than the principal %.10g: they never repay the loan",
                              total, t->principal);
    }
    return GFIN_OK;
}

static gfin_status resolve(const gfin_loan *loan, terms *t, gfin_error *err)
{
    if (!loan)
        return gfin__fail(err, GFIN_EINVAL, "", "loan is NULL");
    const gfin_pstore *s = &loan->p;
    gfin_status st = gfin__pstore_check_required(s, err);
    if (st)
        return st;
    memset(t, 0, sizeof *t);
    t->principal = gfin__p_num(s, GFIN_LOAN_PRINCIPAL);
    t->freq = (int)gfin__p_num(s, GFIN_LOAN_FREQUENCY);
    t->R = (size_t)gfin__p_num(s, GFIN_LOAN_REPAYMENT_PERIODS);
    t->G = (size_t)gfin__p_num(s, GFIN_LOAN_GRACE_PERIODS);
    t->draws = gfin__p_arr(s, GFIN_LOAN_DRAWDOWNS, &t->A);
    t->base = gfin__p_arr(s, GFIN_LOAN_BASE_RATES, &t->nbase);
    t->annual_rate = gfin__p_num(s, GFIN_LOAN_ANNUAL_RATE);
    t->margin = gfin__p_num(s, GFIN_LOAN_MARGIN);
    t->idc_mode = (int)gfin__p_num(s, GFIN_LOAN_IDC_MODE);
    t->grace_mode = (int)gfin__p_num(s, GFIN_LOAN_GRACE_MODE);
    t->amort = (int)gfin__p_num(s, GFIN_LOAN_AMORTIZATION);
    t->balloon = gfin__p_num(s, GFIN_LOAN_BALLOON_FRACTION);
    t->upfront = gfin__p_num(s, GFIN_LOAN_UPFRONT_FEE);
    t->cfee = gfin__p_num(s, GFIN_LOAN_COMMITMENT_FEE);
    t->dated = gfin__p_isset(s, GFIN_LOAN_START_DATE);
    t->start = t->dated ? (gfin_date)gfin__p_num(s, GFIN_LOAN_START_DATE) : 0;
    t->day_count = (int)gfin__p_num(s, GFIN_LOAN_DAY_COUNT);

    if (!t->base && !gfin__p_isset(s, GFIN_LOAN_ANNUAL_RATE))
        return gfin__fail(err, GFIN_EINVAL, "annual_rate", "is required unless base_rates is given");
    if (t->base)
        t->annual_rate = NAN; /* ignored with floating rates (MODEL.md) */

    /* Length first: nothing is allocated for a loan longer than 100 years. */
    t->N = t->A + t->G + t->R;
    double years = (double)t->N / t->freq;
    if (years > MAX_YEARS)
        return gfin__fail(err, GFIN_EINVAL, "repayment_periods",
                          "the loan runs %zu periods of %d per year = %.4g years, longer than %.0f years "
                          "(availability %zu + grace %zu + repayment %zu)",
                          t->N, t->freq, years, MAX_YEARS, t->A, t->G, t->R);

    if (t->draws && fabs(sum(t->draws, t->A) - 1) > SUM_TOL)
        return gfin__fail(err, GFIN_EINVAL, "drawdowns", "the fractions sum to %.12g, not 1 (tolerance 1e-9)",
                          sum(t->draws, t->A));
    return resolve_amortization(s, t, err);
}

gfin_status gfin_loan_validate(const gfin_loan *loan, gfin_error *err)
{
    terms t;
    return resolve(loan, &t, err);
}

size_t gfin__loan_periods(const gfin_loan *loan)
{
    terms t;
    return resolve(loan, &t, NULL) == GFIN_OK ? t.N : 0;
}

/* ---- the schedule ---- */

enum { C_PERIOD, C_TIME, C_OPEN, C_DRAW, C_INT, C_CAPINT, C_PRIN, C_FEES, C_DS, C_CLOSE, C_RATE, C_DATE, NCOLS };
/* The schedule's columns, in the output registry's order (C_* index them). */
static const gfin_column COLS[NCOLS] = {
    GFIN_C_SCHEDULE_PERIOD, GFIN_C_SCHEDULE_TIME_YEARS, GFIN_C_SCHEDULE_OPENING_BALANCE, GFIN_C_SCHEDULE_DRAWDOWN,
    GFIN_C_SCHEDULE_INTEREST, GFIN_C_SCHEDULE_CAPITALIZED_INTEREST, GFIN_C_SCHEDULE_PRINCIPAL, GFIN_C_SCHEDULE_FEES,
    GFIN_C_SCHEDULE_DEBT_SERVICE, GFIN_C_SCHEDULE_CLOSING_BALANCE, GFIN_C_SCHEDULE_RATE, GFIN_C_SCHEDULE_DATE};

static double annual_rate_of(const terms *t, size_t k)
{
    if (!t->base)
        return t->annual_rate + t->margin;
    size_t i = k - 1 < t->nbase ? k - 1 : t->nbase - 1;
    return t->base[i] + t->margin;
}

/* Level payment that takes `balance` down to `left` over n periods at r:
 * the spreadsheet PMT, which is the library's one annuity formula. */
static gfin_status level_payment(double r, size_t n, double balance, double left, double *out)
{
    double p;
    gfin_status st = gfin_pmt(r, (double)n, balance, -left, GFIN_END, &p);
    if (st == GFIN_OK)
        *out = -p;
    return st;
}

/* With dates, the interest of period k is the annual rate times the day
 * count's year fraction from *prev (the last period's end) to this period's
 * end, which becomes *prev. */
static gfin_status dated_interest(const terms *t, size_t k, double base, double rate, gfin_date maturity,
                                  gfin_date *prev, double *interest)
{
    gfin_date end;
    double yf;
    gfin_status st;
    if ((st = gfin_date_add_months(t->start, (int)(k * (size_t)(12 / t->freq)), &end)) ||
        (st = gfin_year_fraction_maturity(*prev, end, maturity, (gfin_day_count)t->day_count, &yf)))
        return st;
    *interest = base * rate * yf;
    *prev = end;
    return GFIN_OK;
}

/* The principal repaid in repayment period j (1..R) when `base` is owed, B
 * was owed when repayment began and `interest` accrues at r per period. *pmt
 * carries the level payment of an annuity or balloon from one period to the
 * next. The last period repays whatever remains. */
static gfin_status principal_of(const terms *t, size_t j, double base, double B, double interest, double r,
                                double *pmt, double *prin)
{
    gfin_status st;
    switch (t->amort) {
    case GFIN_AMORT_ANNUITY:
    case GFIN_AMORT_BALLOON: {
        const double left = t->amort == GFIN_AMORT_BALLOON ? t->balloon * B : 0;
        /* Fixed rate: one level payment from the repayment start.
         * Floating: recomputed each period on what remains. */
        if (j == 1 || t->base)
            if ((st = level_payment(r, t->R - j + 1, base, left, pmt)))
                return st;
        *prin = *pmt - interest;
        break;
    }
    case GFIN_AMORT_LINEAR: *prin = B / (double)t->R; break;
    case GFIN_AMORT_BULLET: *prin = 0; break;
    case GFIN_AMORT_CUSTOM: *prin = t->profile[j - 1] * B; break;
    case GFIN_AMORT_SCULPTED: *prin = t->targets[j - 1] - interest; break;
    default: break;
    }
    if (j == t->R)
        *prin = base;
    return GFIN_OK;
}

static gfin_status build(const terms *t, gfin_table **out, gfin_error *err)
{
    gfin_table *tab = gfin__table_of(t->N, COLS, t->dated ? NCOLS : NCOLS - 1);
    if (!tab)
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory for a schedule of %zu periods", t->N);
    double *c[NCOLS];
    for (size_t j = 0; j < tab->cols; ++j)
        c[j] = gfin__col(tab, j);

    const double P = t->principal, f = t->freq;
    const size_t rep0 = t->A + t->G; /* periods before repayment */
    double bal = 0, drawn = 0, B = 0, pmt = NAN;
    gfin_date prev = t->start, maturity = 0;
    gfin_status st = GFIN_OK;
    if (t->dated && (st = gfin_date_add_months(t->start, (int)(t->N * (size_t)(12 / t->freq)), &maturity)))
        goto fail_date;

    for (size_t k = 1; k <= t->N; ++k) {
        const size_t i = k - 1;
        const double rate = annual_rate_of(t, k), r = rate / f;
        double draw = t->A ? (k <= t->A ? t->draws[i] * P : 0) : (k == 1 ? P : 0);
        drawn += draw;
        const double base = bal + draw;
        double interest = base * r;
        if (t->dated) {
            if ((st = dated_interest(t, k, base, rate, maturity, &prev, &interest)))
                goto fail_date;
            c[C_DATE][i] = prev;
        }
        double fees = (k == 1 ? t->upfront * P : 0) + (k <= t->A ? t->cfee / f * (P - drawn) : 0);
        double cap = 0, prin = 0;
        if (k <= t->A) {
            cap = t->idc_mode == GFIN_IDC_CAPITALIZED ? interest : 0;
        } else if (k <= rep0) {
            cap = t->grace_mode == GFIN_GRACE_CAPITALIZED ? interest : 0;
        } else {
            const size_t j = k - rep0; /* repayment period 1..R */
            if (j == 1)
                B = base;
            if ((st = principal_of(t, j, base, B, interest, r, &pmt, &prin)))
                goto fail_rate;
        }
        bal = base + cap - prin;
        if (k == t->N)
            bal = 0; /* exactly: base - base may leave -0 */
        c[C_PERIOD][i] = (double)k;
        c[C_TIME][i] = (double)k / f;
        c[C_OPEN][i] = base - draw;
        c[C_DRAW][i] = draw;
        c[C_INT][i] = interest;
        c[C_CAPINT][i] = cap;
        c[C_PRIN][i] = prin;
        c[C_FEES][i] = fees;
        c[C_DS][i] = interest - cap + prin + fees;
        c[C_CLOSE][i] = bal;
        c[C_RATE][i] = rate;
        if (!isfinite(bal) || !isfinite(interest)) {
            gfin_table_free(tab);
            return gfin__fail(err, GFIN_ERANGE, "", "the balance overflows in period %zu", k);
        }
    }
    *out = tab;
    return GFIN_OK;
fail_date:
    gfin_table_free(tab);
    return gfin__fail(err, st, "start_date", "the schedule's dates leave the supported calendar");
fail_rate:
    gfin_table_free(tab);
    return gfin__fail(err, st, "annual_rate", "no level payment exists at this rate");
}

gfin_table *gfin__loan_schedule(const gfin_loan *loan, gfin_error *err)
{
    terms t;
    gfin_table *tab = NULL;
    if (resolve(loan, &t, err) == GFIN_OK)
        (void)build(&t, &tab, err);
    return tab;
}

gfin_table *gfin_loan_schedule(const gfin_loan *loan, gfin_error *err) { return gfin__loan_schedule(loan, err); }

/* ---- metrics ---- */

/* Borrower's flows on the grid of period boundaries t = 0..N: each drawdown at
 * the start of its period, the upfront fee at the start of period 1, every
 * other part of debt service at the end of its period. */
static gfin_status borrower_flows(const gfin_table *s, double upfront, double **out)
{
    const size_t N = s->rows;
    double *cf = gfin__calloc(N + 1, sizeof(double));
    if (!cf)
        return GFIN_ENOMEM;
    const double *draw = s->data + C_DRAW * N, *ds = s->data + C_DS * N;
    const double *pre = gfin_table_column_of(s, GFIN_C_SCHEDULE_PREPAYMENT); /* a swept loan's */
    for (size_t i = 0; i < N; ++i) {
        cf[i] += draw[i];
        cf[i + 1] -= ds[i] + (pre ? pre[i] : 0) - (i == 0 ? upfront : 0);
    }
    cf[0] -= upfront;
    *out = cf;
    return GFIN_OK;
}

static double upfront_of(const gfin_loan *loan)
{
    return gfin__p_num(&loan->p, GFIN_LOAN_UPFRONT_FEE) * gfin__p_num(&loan->p, GFIN_LOAN_PRINCIPAL);
}

gfin_status gfin__loan_add_metrics(const gfin_loan *loan, const gfin_table *s, gfin_result *r)
{
    const size_t N = s->rows;
    const double *col = s->data, *pre = gfin_table_column_of(s, GFIN_C_SCHEDULE_PREPAYMENT);
    double drawn = 0, interest = 0, fees = 0, ds = 0, wp = 0, p = 0;
    for (size_t i = 0; i < N; ++i) {
        const double repaid = col[C_PRIN * N + i] + (pre ? pre[i] : 0); /* a prepayment is principal repaid */
        drawn += col[C_DRAW * N + i];
        interest += col[C_INT * N + i];
        fees += col[C_FEES * N + i];
        ds += col[C_DS * N + i];
        p += repaid;
        wp += repaid * col[C_TIME * N + i];
    }
    double *cf;
    if (borrower_flows(s, upfront_of(loan), &cf))
        return GFIN_ENOMEM;
    const int f = (int)gfin__p_num(&loan->p, GFIN_LOAN_FREQUENCY);
    double irr, all_in = NAN;
    if (gfin_irr(cf, N + 1, col[C_RATE * N] / f, &irr) == GFIN_OK)
        all_in = expm1(f * log1p(irr)); /* (1 + i)^f - 1 */
    gfin__free(cf);
    gfin_status st;
    if ((st = gfin__result_add_metric(r, GFIN_M_TOTAL_DRAWN, drawn)) ||
        (st = gfin__result_add_metric(r, GFIN_M_TOTAL_INTEREST, interest)) ||
        (st = gfin__result_add_metric(r, GFIN_M_TOTAL_FEES, fees)) ||
        (st = gfin__result_add_metric(r, GFIN_M_TOTAL_DEBT_SERVICE, ds)) ||
        (st = gfin__result_add_metric(r, GFIN_M_WAL_YEARS, p != 0 ? wp / p : NAN)) ||
        (st = gfin__result_add_metric(r, GFIN_M_ALL_IN_COST, all_in)))
        return st;
    if (!isfinite(all_in))
        return gfin__result_add_warning(r, "all_in_cost: the borrower's flows have no internal rate of return");
    return GFIN_OK;
}

/* OECD DAC grant element: 1 - PV(debt service) / PV(drawdowns) at the periodic
 * rate (1 + D)^(1/frequency) - 1, with the borrower's timing above. */
static gfin_status grant_element(const gfin_loan *loan, const gfin_table *s, double D, double *out)
{
    const int f = (int)gfin__p_num(&loan->p, GFIN_LOAN_FREQUENCY);
    const double d = expm1(log1p(D) / f);
    const size_t N = s->rows;
    const double *draw = s->data + C_DRAW * N, *ds = s->data + C_DS * N;
    const double *pre = gfin_table_column_of(s, GFIN_C_SCHEDULE_PREPAYMENT);
    const double upfront = upfront_of(loan);
    double pv_draw = 0, pv_ds = upfront;
    for (size_t i = 0; i < N; ++i) {
        pv_draw += draw[i] * exp(-(double)i * log1p(d));
        pv_ds += (ds[i] + (pre ? pre[i] : 0) - (i == 0 ? upfront : 0)) * exp(-(double)(i + 1) * log1p(d));
    }
    if (!(pv_draw > 0))
        return GFIN_ERANGE;
    *out = 1 - pv_ds / pv_draw;
    return GFIN_OK;
}

static gfin_status check_discount(double D, gfin_error *err)
{
    if (!isfinite(D) || D <= -1 || D > 10) {
        char v[40];
        gfin__fmt_num(v, sizeof v, D);
        return gfin__fail(err, GFIN_EINVAL, "discount_rate", "%s is outside (-1, 10] (fraction/year)", v);
    }
    return GFIN_OK;
}

gfin_status gfin_loan_grant_element(const gfin_loan *loan, double discount_rate, double *out, gfin_error *err)
{
    if (!out)
        return gfin__fail(err, GFIN_EINVAL, "", "out is NULL");
    gfin_status st = check_discount(discount_rate, err);
    if (st)
        return st;
    /* The schedule's status lives in the error record: keep one even when the
     * caller passed none, so an allocation failure reads GFIN_ENOMEM. */
    gfin_error local;
    gfin_error *e = err ? err : &local;
    gfin_table *s = gfin__loan_schedule(loan, e);
    if (!s)
        return gfin_error_status(e);
    st = grant_element(loan, s, discount_rate, out);
    gfin_table_free(s);
    if (st)
        return gfin__fail(err, st, "drawdowns", "nothing is drawn: the grant element is undefined");
    return GFIN_OK;
}

static gfin_status evaluate(const gfin_loan *loan, double discount_rate, gfin_result **out, gfin_error *err)
{
    if (!out)
        return gfin__fail(err, GFIN_EINVAL, "", "out is NULL");
    terms t;
    gfin_status st = resolve(loan, &t, err);
    if (st)
        return st;
    gfin_table *s;
    if ((st = build(&t, &s, err)))
        return st;
    return gfin__loan_result(loan, s, discount_rate, out, err);
}

gfin_status gfin__loan_result(const gfin_loan *loan, gfin_table *s, double discount_rate, gfin_result **out,
                              gfin_error *err)
{
    gfin_status st;
    gfin_result *r = gfin__result_new(GFIN_RESULT_LOAN, gfin__p_str(&loan->p, GFIN_LOAN_ID));
    if (!r) {
        gfin_table_free(s);
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    }
    if ((st = gfin__result_add_table(r, "schedule", s)) || (st = gfin__loan_add_metrics(loan, s, r)))
        goto fail;
    if (!isnan(discount_rate)) {
        double ge = NAN;
        (void)grant_element(loan, s, discount_rate, &ge);
        if ((st = gfin__result_add_metric(r, GFIN_M_GRANT_ELEMENT, ge)))
            goto fail;
    }
    *out = r;
    return GFIN_OK;
fail:
    gfin_result_free(r);
    return gfin__fail(err, st, "", "out of memory");
}

gfin_status gfin_loan_evaluate(const gfin_loan *loan, gfin_result **out, gfin_error *err)
{
    return evaluate(loan, NAN, out, err);
}

gfin_status gfin_loan_evaluate_ge(const gfin_loan *loan, double discount_rate, gfin_result **out, gfin_error *err)
{
    gfin_status st = check_discount(discount_rate, err);
    return st ? st : evaluate(loan, discount_rate, out, err);
}

size_t gfin__schedule_frequency(const gfin_table *s)
{
    return (size_t)lround(1.0 / gfin_table_column_of(s, GFIN_C_SCHEDULE_TIME_YEARS)[0]);
}
