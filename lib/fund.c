/* fund.c -- a green fund: its sources of capital, the loans it makes (the
 * projects' loans whose lender is "fund") and its cash flows.
 *
 * The fund's flows, at their times in years from the portfolio's start (a
 * project's loans start at its year offset in the portfolio):
 *   - each drawdown at the start of its loan period (the previous period's
 *     time_years, 0 for the first);
 *   - the upfront fee with the first drawdown, at the start of period 1;
 *   - principal, cash interest (interest - capitalized interest) and the
 *     other fees at the end of their period (time_years), times (1 - the
 *     share of that project year's debt service lost to a shortfall:
 *     docs/model.md);
 *   - cost of funds and management fee at the end of each portfolio year, on
 *     the deployed balance (outstanding at the end of the year before +
 *     disbursements of the year).
 * Every period ends on a month (frequency 1, 2, 4 or 12), so the flows are
 * kept on a monthly grid, exactly. fund_irr is the rate at which they
 * discount to zero at those times.
 *
 * The yearly "fund" table reports the same flows by portfolio year y:
 *   disbursements      = drawdowns drawn in y
 *   principal_received = principal received for periods ending in y, with
 *                        the prepayments of a project's cash sweep
 *   interest_received  = cash interest received for periods ending in y
 *   fees_received      = fees received for periods ending in y
 *   shortfall          = scheduled debt service of the fund loans lost in y
 *   outstanding        = scheduled balance of the fund loans at the end of y
 *                        (a shortfall is lost, not rescheduled)
 *   cost_of_funds      = weighted_cost_of_funds x deployed
 *   management_fee     = management_fee x deployed
 *   net_cash_flow      = -disbursements + principal + interest + fees
 *                        - cost_of_funds - management_fee */
#include "fund.h"
#include "loan.h"
#include "tvm.h"

#include <math.h>
#include <string.h>

#define MAX_SOURCES 64

struct gfin_fund {
    gfin_pstore p;
    gfin_pstore sources[MAX_SOURCES];
    size_t nsources;
    gfin_error last;
};

gfin_fund *gfin_fund_new(void)
{
    gfin_fund *f = gfin__calloc(1, sizeof *f);
    if (f)
        gfin__pstore_init(&f->p, GFIN_OBJ_FUND);
    return f;
}

void gfin_fund_free(gfin_fund *f)
{
    if (!f)
        return;
    gfin__pstore_clear(&f->p);
    for (size_t i = 0; i < f->nsources; ++i)
        gfin__pstore_clear(&f->sources[i]);
    gfin__free(f);
}

gfin_fund *gfin_fund_copy(const gfin_fund *src)
{
    if (!src)
        return NULL;
    gfin_fund *f = gfin_fund_new();
    if (!f)
        return NULL;
    if (gfin__pstore_copy(&f->p, &src->p))
        goto fail;
    for (; f->nsources < src->nsources; ++f->nsources)
        if (gfin__pstore_copy(&f->sources[f->nsources], &src->sources[f->nsources]))
            goto fail;
    return f;
fail:
    gfin_fund_free(f);
    return NULL;
}

#define STORES(f) ((gfin_pstore *const[]){&(f)->p})

gfin_status gfin_fund_set(gfin_fund *f, gfin_key key, double value)
{
    return f ? gfin__handle_set(STORES(f), 1, &f->last, key, value) : GFIN_EINVAL;
}

gfin_status gfin_fund_set_string(gfin_fund *f, gfin_key key, const char *value)
{
    return f ? gfin__handle_set_string(STORES(f), 1, &f->last, key, value) : GFIN_EINVAL;
}

gfin_status gfin_fund_get(const gfin_fund *f, gfin_key key, double *out)
{
    return f ? gfin__pstore_get(&f->p, key, out) : GFIN_EINVAL;
}

const char *gfin_fund_get_string(const gfin_fund *f, gfin_key key)
{
    return f ? gfin__pstore_get_string(&f->p, key) : NULL;
}

const gfin_error *gfin_fund_last_error(const gfin_fund *f) { return f ? &f->last : NULL; }

gfin_status gfin_fund_add_source(gfin_fund *f, const char *name, double amount, double annual_rate, gfin_error *err)
{
    if (!f)
        return gfin__fail(err, GFIN_EINVAL, "", "fund is NULL");
    if (f->nsources >= MAX_SOURCES)
        return gfin__fail(err, GFIN_EINVAL, "sources", "a fund takes at most %d sources", MAX_SOURCES);
    gfin_pstore *s = &f->sources[f->nsources];
    gfin__pstore_init(s, GFIN_OBJ_SOURCE);
    gfin_status st;
    if ((st = gfin__pstore_set_string(s, GFIN_SOURCE_NAME, name ? name : "", err)) ||
        (st = gfin__pstore_set(s, GFIN_SOURCE_AMOUNT, amount, err)) ||
        (st = gfin__pstore_set(s, GFIN_SOURCE_ANNUAL_RATE, annual_rate, err))) {
        gfin__pstore_clear(s);
        return st;
    }
    f->nsources++;
    return GFIN_OK;
}

gfin_status gfin__fund_add_source_store(gfin_fund *f, const gfin_pstore *src, gfin_error *err)
{
    gfin_status st = gfin__pstore_check_required(src, err);
    if (st)
        return st;
    return gfin_fund_add_source(f, gfin__p_str(src, GFIN_SOURCE_NAME), gfin__p_num(src, GFIN_SOURCE_AMOUNT),
                                gfin__p_num(src, GFIN_SOURCE_ANNUAL_RATE), err);
}

gfin_pstore *gfin__fund_store_mut(gfin_fund *f) { return &f->p; }

size_t gfin_fund_source_count(const gfin_fund *f) { return f ? f->nsources : 0; }

gfin_status gfin_fund_source_get(const gfin_fund *f, size_t i, gfin_key key, double *out)
{
    return f && i < f->nsources ? gfin__pstore_get(&f->sources[i], key, out) : GFIN_EINVAL;
}

const char *gfin_fund_source_get_string(const gfin_fund *f, size_t i, gfin_key key)
{
    return f && i < f->nsources ? gfin__pstore_get_string(&f->sources[i], key) : NULL;
}

gfin_status gfin__fund_validate(const gfin_fund *f, gfin_error *err) { return gfin__pstore_check_required(&f->p, err); }

/* Amount-weighted rate of the sources; NaN without capital from sources. */
static double weighted_cost(const gfin_fund *f)
{
    double amount = 0, cost = 0;
    for (size_t i = 0; i < f->nsources; ++i) {
        double a = gfin__p_num(&f->sources[i], GFIN_SOURCE_AMOUNT);
        amount += a;
        cost += a * gfin__p_num(&f->sources[i], GFIN_SOURCE_ANNUAL_RATE);
    }
    return amount > 0 ? cost / amount : NAN;
}

/* ---- the fund's book: its loans' flows ---- */

enum { F_YEAR, F_CAL, F_DISB, F_PRIN, F_INT, F_FEES, F_SHORT, F_OUT, F_COF, F_MGMT, F_NET, NF };
static const char *const FCOLS[NF] = {"year", "calendar_year", "disbursements", "principal_received",
                                      "interest_received", "fees_received", "shortfall", "outstanding",
                                      "cost_of_funds", "management_fee", "net_cash_flow"};
static const unsigned char FKINDS[NF] = {GFIN_COL_INTEGER, GFIN_COL_INTEGER};

#define MONTHS 12 /* points of the flow grid per year */

gfin_status gfin__fund_book_init(gfin_fund_book *b, size_t years, int start_year)
{
    *b = (gfin_fund_book){0};
    b->table = gfin__table_new(years, NF, FCOLS, FKINDS);
    b->flow = gfin__calloc(MONTHS * years + 1, sizeof *b->flow);
    if (!b->table || !b->flow) {
        gfin__fund_book_clear(b);
        return GFIN_ENOMEM;
    }
    for (size_t y = 0; y < years; ++y) {
        gfin__col(b->table, F_YEAR)[y] = (double)(y + 1);
        gfin__col(b->table, F_CAL)[y] = (double)(start_year + (int)y);
    }
    return GFIN_OK;
}

void gfin__fund_book_clear(gfin_fund_book *b)
{
    gfin_table_free(b->table);
    gfin__free(b->flow);
    *b = (gfin_fund_book){0};
}

/* The grid point of a time in years: periods end on months. */
static size_t grid(double t) { return (size_t)lround(t * MONTHS); }

void gfin__fund_book_add(gfin_fund_book *b, const gfin_table *s, double upfront, size_t offset, const double *lost,
                         double *outstanding)
{
    const size_t N = s->rows;
    const double *t = gfin_table_column_by_name(s, "time_years"), *draw = gfin_table_column_by_name(s, "drawdown"),
                 *prin = gfin_table_column_by_name(s, "principal"), *in = gfin_table_column_by_name(s, "interest"),
                 *ci = gfin_table_column_by_name(s, "capitalized_interest"),
                 *fees = gfin_table_column_by_name(s, "fees"),
                 *close = gfin_table_column_by_name(s, "closing_balance"),
                 *pre = gfin_table_column_of(s, GFIN_C_SCHEDULE_PREPAYMENT); /* a swept loan's */
    const size_t f = gfin__schedule_frequency(s);
    gfin_table *book = b->table;
    double *disb = gfin__col(book, F_DISB), *prin_y = gfin__col(book, F_PRIN), *int_y = gfin__col(book, F_INT),
           *fees_y = gfin__col(book, F_FEES), *short_y = gfin__col(book, F_SHORT), *out_y = gfin__col(book, F_OUT);
    const size_t base = MONTHS * offset;
    for (size_t k = 0; k < N; ++k) {
        const size_t py = gfin__period_year(k, f), y = offset + py;
        const double paid = lost ? 1 - lost[py] : 1;
        /* A prepayment (the project's cash sweep) is principal received at
         * the end of its period; a year with a sweep has no shortfall. */
        const double p = (prin[k] + (pre ? pre[k] : 0)) * paid, i = (in[k] - ci[k]) * paid, fe = fees[k] * paid;
        disb[y] += draw[k];
        prin_y[y] += p;
        int_y[y] += i;
        fees_y[y] += fe;
        short_y[y] += (prin[k] + in[k] - ci[k] + fees[k]) * (1 - paid);
        /* The upfront fee is paid with the first drawdown, at the start of
         * period 1 (as all_in_cost and the grant element time it). */
        const double at_start = k ? 0 : upfront * paid;
        b->flow[base + (k ? grid(t[k - 1]) : 0)] += at_start - draw[k];
        b->flow[base + grid(t[k])] += p + i + fe - at_start;
        if (k + 1 == gfin__periods_to_year_end(py + 1, f)) { /* the year's last period: its year-end balance */
            out_y[y] += close[k];
            if (outstanding)
                outstanding[y] += close[k];
        }
    }
}

/* Completes the book's derived columns and the fund's yearly flows, and adds
 * the table (the result takes it over) and the fund metrics. */
gfin_status gfin__fund_finish(const gfin_fund *f, gfin_fund_book *b, double committed, double rate_w,
                              gfin_result *r)
{
    gfin_table *book = b->table;
    const size_t n = book->rows;
    const double wcof = weighted_cost(f), fee = gfin__p_num(&f->p, GFIN_FUND_MANAGEMENT_FEE);
    const double capital = gfin__p_num(&f->p, GFIN_FUND_CAPITAL);
    double *c[NF];
    for (size_t j = 0; j < NF; ++j)
        c[j] = gfin__col(book, j);
    double shortfall = 0;
    for (size_t y = 0; y < n; ++y) {
        const double deployed = (y ? c[F_OUT][y - 1] : 0) + c[F_DISB][y];
        c[F_COF][y] = isfinite(wcof) ? wcof * deployed : 0;
        c[F_MGMT][y] = fee * deployed;
        c[F_NET][y] = -c[F_DISB][y] + c[F_PRIN][y] + c[F_INT][y] + c[F_FEES][y] - c[F_COF][y] - c[F_MGMT][y];
        b->flow[MONTHS * (y + 1)] -= c[F_COF][y] + c[F_MGMT][y];
        shortfall += c[F_SHORT][y];
    }
    double irr = NAN;
    if (committed > 0) {
        const size_t m = MONTHS * n + 1;
        double *times = gfin__calloc(m, sizeof *times);
        if (!times)
            return GFIN_ENOMEM;
        for (size_t i = 0; i < m; ++i)
            times[i] = (double)i / MONTHS;
        if (gfin__irr_times(b->flow, times, m, 0.05, &irr) != GFIN_OK)
            irr = NAN;
        gfin__free(times);
    }
    gfin_status st;
    if ((st = gfin__result_add_metric(r, GFIN_M_FUND_CAPITAL, capital)) ||
        (st = gfin__result_add_metric(r, GFIN_M_COMMITTED, committed)) ||
        (st = gfin__result_add_metric(r, GFIN_M_UTILIZATION, capital > 0 ? committed / capital : NAN)) ||
        (st = gfin__result_add_metric(r, GFIN_M_WEIGHTED_COST_OF_FUNDS, wcof)) ||
        (st = gfin__result_add_metric(r, GFIN_M_WEIGHTED_LOAN_RATE, committed > 0 ? rate_w / committed : NAN)) ||
        (st = gfin__result_add_metric(r, GFIN_M_FUND_IRR, irr)) ||
        (st = gfin__result_add_metric(r, GFIN_M_FUND_SHORTFALL, shortfall)))
        return st;
    if (committed > capital &&
        (st = gfin__result_add_warning(r, "fund: loans of %.10g committed exceed the fund's capital %.10g", committed,
                                       capital)))
        return st;
    if (!f->nsources &&
        (st = gfin__result_add_warning(r, "fund: no sources: the cost of funds is taken as 0 (add the fund's "
                                          "sources with their amounts and rates)")))
        return st;
    if (committed > 0 && !isfinite(irr) &&
        (st = gfin__result_add_warning(r, "fund_irr: the fund's net cash flow has no internal rate of return")))
        return st;
    st = gfin__result_add_table(r, "fund", book);
    b->table = NULL; /* owned by the result, or freed on failure */
    return st;
}
