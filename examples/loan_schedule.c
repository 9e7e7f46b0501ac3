/* loan_schedule.c -- a concessional hydropower loan built key by key, its
 * schedule and its grant element.
 *
 * The terms are those of examples/data/hydro_loan.json: USD 250 m at 2 %,
 * semi-annual, drawn over 4 years, 5 years of grace, 20 years of equal
 * principal repayments, with upfront and commitment fees.
 *
 *   cc loan_schedule.c $(pkg-config --cflags --libs greenfin) -o loan_schedule
 */
#include <greenfin.h>
#include <stdio.h>

static int fail(const char *what, const gfin_error *e)
{
    fprintf(stderr, "%s: %s: %s\n", what, e->path, e->message);
    return 1;
}

int main(void)
{
    static const double drawdowns[] = {0.075, 0.075, 0.15, 0.15, 0.175, 0.175, 0.1, 0.1};
    gfin_error err = {0};
    gfin_loan *loan = gfin_loan_new();
    if (!loan)
        return 1;

    /* Each setter checks its key's bounds; the first refusal is reported. */
    if (gfin_loan_set(loan, GFIN_LOAN_PRINCIPAL, 250e6) || gfin_loan_set(loan, GFIN_LOAN_ANNUAL_RATE, 0.02) ||
        gfin_loan_set(loan, GFIN_LOAN_FREQUENCY, 2) ||
        gfin_loan_set_array(loan, GFIN_LOAN_DRAWDOWNS, drawdowns, sizeof drawdowns / sizeof drawdowns[0]) ||
        gfin_loan_set(loan, GFIN_LOAN_GRACE_PERIODS, 10) || gfin_loan_set(loan, GFIN_LOAN_REPAYMENT_PERIODS, 40) ||
        gfin_loan_set(loan, GFIN_LOAN_AMORTIZATION, GFIN_AMORT_LINEAR) ||
        gfin_loan_set(loan, GFIN_LOAN_UPFRONT_FEE, 0.0025) || gfin_loan_set(loan, GFIN_LOAN_COMMITMENT_FEE, 0.0015)) {
        int st = fail("loan", gfin_loan_last_error(loan));
        gfin_loan_free(loan);
        return st;
    }

    /* The schedule and the metrics, with the grant element at the IMF's 5 %. */
    gfin_result *result = NULL;
    if (gfin_loan_evaluate_ge(loan, 0.05, &result, &err)) {
        gfin_loan_free(loan);
        return fail("evaluate", &err);
    }
    const gfin_table *t = gfin_result_table(result, "schedule");
    const double *period = gfin_table_column_by_name(t, "period");
    const double *drawdown = gfin_table_column_by_name(t, "drawdown");
    const double *interest = gfin_table_column_by_name(t, "interest");
    const double *principal = gfin_table_column_by_name(t, "principal");
    const double *fees = gfin_table_column_by_name(t, "fees");
    const double *service = gfin_table_column_by_name(t, "debt_service");
    const double *closing = gfin_table_column_by_name(t, "closing_balance");

    printf("%6s %14s %14s %14s %12s %14s %14s\n", "period", "drawdown", "interest", "principal", "fees",
           "debt service", "closing");
    for (size_t i = 0; i < gfin_table_rows(t); ++i)
        printf("%6.0f %14.2f %14.2f %14.2f %12.2f %14.2f %14.2f\n", period[i], drawdown[i], interest[i],
               principal[i], fees[i], service[i], closing[i]);

    printf("\n");
    for (size_t i = 0; i < gfin_result_metric_count(result); ++i) {
        gfin_metric m = gfin_result_metric_at(result, i);
        double v;
        if (gfin_result_metric(result, m, &v) == GFIN_OK)
            printf("%-20s %18.6f %s\n", gfin_metric_name(m), v, gfin_metric_unit(m));
        else
            printf("%-20s %18s\n", gfin_metric_name(m), "n/a");
    }

    gfin_result_free(result);
    gfin_loan_free(loan);
    return 0;
}
