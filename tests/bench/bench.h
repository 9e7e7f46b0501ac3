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

#endif
