/* bench.h -- timing for the benchmark programs (not part of the library). */
#ifndef GFIN_BENCH_H
#define GFIN_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Stops a benchmark that went wrong: a failed call is a failed benchmark. */
#define BENCH_CHECK(cond, ...)                                  \
    do {                                                        \
        if (!(cond)) {                                          \
            fprintf(stderr, "benchmark failed: " __VA_ARGS__);  \
            fputc('\n', stderr);                                \
            exit(1);                                            \
        }                                                       \
    } while (0)

/* A portfolio of `projects` generated projects (a third hydro, two loans
 * each: a semi-annual fund loan and a monthly bank loan), as JSON; malloc'd. */
static inline char *bench_portfolio_json(int projects, size_t *len)
{
    size_t cap = (size_t)projects * 700 + 1024, n = 0;
    char *s = malloc(cap);
    BENCH_CHECK(s, "malloc");
    n += (size_t)snprintf(s + n, cap - n,
                          "{\"format\": \"greenfin/1\", \"name\": \"bench\", \"start_year\": 2027, \"discount_rate\": 0.1,"
                          " \"grid\": {\"ef_om\": 0.95, \"ef_bm\": 0.63, \"ef_change_per_year\": -0.01},"
                          " \"fund\": {\"capital\": 1e12, \"sources\": [{\"amount\": 6e11, \"annual_rate\": 0.01},"
                          " {\"amount\": 4e11, \"annual_rate\": 0.05}], \"management_fee\": 0.005},"
                          " \"projects\": [");
    for (int i = 0; i < projects; ++i) {
        const int hydro = i % 3 == 0;
        n += (size_t)snprintf(
            s + n, cap - n,
            "%s{\"id\": \"p%05d\", \"technology\": \"%s\", \"capacity_mw\": %d, %s, \"construction_years\": 2,"
            " \"operating_years\": 28, \"capex\": %d, \"opex_fixed\": %d, \"tariff_per_mwh\": %d, \"tax_rate\": 0.2,"
            " \"tax_holiday_years\": 5, \"start_year\": %d, \"loans\": ["
            "{\"id\": \"fund\", \"lender\": \"fund\", \"principal\": %d, \"annual_rate\": 0.03, \"frequency\": 2,"
            " \"drawdowns\": [0.25, 0.25, 0.25, 0.25], \"grace_periods\": 4, \"repayment_periods\": 36},"
            "{\"id\": \"bank\", \"lender\": \"bank\", \"principal\": %d, \"annual_rate\": 0.075, \"frequency\": 12,"
            " \"grace_periods\": 24, \"repayment_periods\": 180}]}",
            i ? "," : "", i, hydro ? "hydro" : "solar", 20 + i % 50,
            hydro ? "\"capacity_factor\": 0.45" : "\"specific_yield_kwh_per_kwp\": 1480", 2000000 * (20 + i % 50),
            30000 * (20 + i % 50), 60 + i % 20, 2027 + i % 4, 900000 * (20 + i % 50), 500000 * (20 + i % 50));
    }
    n += (size_t)snprintf(s + n, cap - n, "]}");
    *len = n;
    return s;
}

#endif
