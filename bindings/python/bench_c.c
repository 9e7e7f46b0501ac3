/* bench_c.c -- the C baseline of bench_bindings.py: the same loan schedules
 * built through the C API directly, so the Python figures can be read as an
 * overhead over C measured in the same run.
 *
 *   bench_c [LOANS [PERIODS]]      (defaults 100000 and 240)
 *
 * Two workloads, as in bench_bindings.py:
 *   fresh  a new loan per schedule: new, 4 setters, schedule, read one cell,
 *          free the table and the loan;
 *   reuse  one loan: set the rate, schedule, read one cell, free the table.
 * Each loan gets a different rate, so no work can be reused. Output lines:
 *   <workload> <seconds> <checksum>
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "greenfin.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void check(int ok, const char *what, size_t i)
{
    if (!ok) {
        fprintf(stderr, "bench_c: %s failed at loan %zu\n", what, i);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    size_t loans = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 100000;
    size_t periods = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 240;
    double sum = 0.0;

    double t0 = now();
    for (size_t i = 0; i < loans; ++i) {
        gfin_loan *loan = gfin_loan_new();
        check(loan != NULL, "gfin_loan_new", i);
        check(gfin_loan_set(loan, GFIN_LOAN_PRINCIPAL, 1e6) == GFIN_OK &&
                  gfin_loan_set(loan, GFIN_LOAN_ANNUAL_RATE, 0.02 + 1e-7 * (double)i) == GFIN_OK &&
                  gfin_loan_set(loan, GFIN_LOAN_FREQUENCY, 12) == GFIN_OK &&
                  gfin_loan_set(loan, GFIN_LOAN_REPAYMENT_PERIODS, (double)periods) == GFIN_OK,
              "gfin_loan_set", i);
        gfin_table *t = gfin_loan_schedule(loan, NULL);
        check(t != NULL && gfin_table_rows(t) == periods, "gfin_loan_schedule", i);
        sum += gfin_table_column_by_name(t, "interest")[periods - 1];
        gfin_table_free(t);
        gfin_loan_free(loan);
    }
    printf("fresh %.6f %.17g\n", now() - t0, sum);

    sum = 0.0;
    gfin_loan *loan = gfin_loan_new();
    check(loan != NULL && gfin_loan_set(loan, GFIN_LOAN_PRINCIPAL, 1e6) == GFIN_OK &&
              gfin_loan_set(loan, GFIN_LOAN_FREQUENCY, 12) == GFIN_OK &&
              gfin_loan_set(loan, GFIN_LOAN_REPAYMENT_PERIODS, (double)periods) == GFIN_OK,
          "setup", 0);
    t0 = now();
    for (size_t i = 0; i < loans; ++i) {
        check(gfin_loan_set(loan, GFIN_LOAN_ANNUAL_RATE, 0.02 + 1e-7 * (double)i) == GFIN_OK, "rate", i);
        gfin_table *t = gfin_loan_schedule(loan, NULL);
        check(t != NULL && gfin_table_rows(t) == periods, "gfin_loan_schedule", i);
        sum += gfin_table_column_by_name(t, "interest")[periods - 1];
        gfin_table_free(t);
    }
    printf("reuse %.6f %.17g\n", now() - t0, sum);
    gfin_loan_free(loan);
    return 0;
}
