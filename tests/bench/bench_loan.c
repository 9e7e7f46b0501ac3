/* bench_loan.c -- schedules for 100,000 loans of 240 monthly periods, next to
 * memset writing the same bytes in the same chunks (the machine's bandwidth for
 * this access pattern), measured in the same run. */
#include <stdint.h>
#include <string.h>

#include "bench.h"
#include "greenfin.h"

#define LOANS 100000
#define PERIODS 240

int main(void)
{
    gfin_loan *loan = gfin_loan_new();
    BENCH_CHECK(loan, "gfin_loan_new");
    BENCH_CHECK(gfin_loan_set(loan, GFIN_LOAN_PRINCIPAL, 1e6) == GFIN_OK &&
                    gfin_loan_set(loan, GFIN_LOAN_FREQUENCY, 12) == GFIN_OK &&
                    gfin_loan_set(loan, GFIN_LOAN_REPAYMENT_PERIODS, PERIODS) == GFIN_OK,
                "terms");
    gfin_table *t = gfin_loan_schedule(loan, NULL);
    BENCH_CHECK(!t, "a loan without a rate is refused");
    BENCH_CHECK(gfin_loan_set(loan, GFIN_LOAN_ANNUAL_RATE, 0.05) == GFIN_OK, "rate");
    t = gfin_loan_schedule(loan, NULL);
    BENCH_CHECK(t, "schedule");
    const size_t cols = gfin_table_cols(t), bytes_per_loan = cols * PERIODS * sizeof(double);
    gfin_table_free(t);

    /* Baseline: allocate, memset and free one schedule's worth of bytes per loan. */
    double t0 = bench_now();
    volatile unsigned char sink = 0;
    for (size_t i = 0; i < LOANS; ++i) {
        unsigned char *buf = malloc(bytes_per_loan);
        BENCH_CHECK(buf, "malloc");
        memset(buf, (int)(i & 0xff), bytes_per_loan);
        sink ^= buf[i % bytes_per_loan];
        free(buf);
    }
    double t_memset = bench_now() - t0;

    /* The machine's memset bandwidth to memory: one buffer far larger than the
     * caches, written as many times as it takes to move the same bytes. */
    const size_t big = (size_t)256 << 20;
    unsigned char *mem = malloc(big);
    BENCH_CHECK(mem, "malloc");
    memset(mem, 1, big); /* fault the pages in before timing */
    const double total = (double)LOANS * (double)bytes_per_loan;
    size_t passes = (size_t)(total / (double)big) + 1;
    t0 = bench_now();
    for (size_t i = 0; i < passes; ++i)
        memset(mem, (int)(i & 0xff), big);
    double bw_memory = (double)passes * (double)big / (bench_now() - t0);
    sink ^= mem[big / 2];
    free(mem);

    double checksum = 0;
    t0 = bench_now();
    for (size_t i = 0; i < LOANS; ++i) {
        /* A different rate for each loan, so no work can be reused. */
        BENCH_CHECK(gfin_loan_set(loan, GFIN_LOAN_ANNUAL_RATE, 0.02 + 1e-7 * (double)i) == GFIN_OK, "rate");
        t = gfin_loan_schedule(loan, NULL);
        BENCH_CHECK(t && gfin_table_rows(t) == PERIODS, "schedule %zu", i);
        checksum += gfin_table_column(t, 4)[PERIODS - 1];
        gfin_table_free(t);
    }
    double t_sched = bench_now() - t0;
    gfin_loan_free(loan);

    const double rows = (double)LOANS * PERIODS, bytes = (double)LOANS * (double)bytes_per_loan;
    printf("loan schedules: %d loans x %d monthly periods (%zu columns)\n", LOANS, PERIODS, cols);
    printf("  schedules : %8.3f s  %12.0f rows/s  %9.1f MB/s written\n", t_sched, rows / t_sched,
           bytes / t_sched / 1e6);
    printf("  memset    : %8.3f s  %12s         %9.1f MB/s to memory (a 256 MiB buffer)\n", total / bw_memory, "",
           bw_memory / 1e6);
    printf("  memset    : %8.3f s  %12s         %9.1f MB/s in schedule-sized chunks (cache-resident)\n", t_memset,
           "", bytes / t_memset / 1e6);
    printf("  ratio     : schedules write at %.1f %% of memset-to-memory bandwidth, %.1f %% of cached memset\n",
           100 * bytes / t_sched / bw_memory, 100 * t_memset / t_sched);
    printf("  (checksum %.6g, sink %u)\n", checksum, (unsigned)sink);
    return 0;
}
