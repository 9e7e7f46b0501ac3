/* bench_irr.c -- IRR solves on 30-year project flows, next to plain NPV
 * evaluations of the same flows (one solve costs some number of those). */
#include <math.h>

#include "bench.h"
#include "greenfin.h"

#define FLOWS 30
#define SOLVES 1000000

int main(void)
{
    /* 1000 distinct flow vectors: capex in years 1-2, then varying cash. */
    enum { SETS = 1000 };
    static double v[SETS][FLOWS];
    for (int s = 0; s < SETS; ++s) {
        v[s][0] = -600 - s % 7;
        v[s][1] = -400;
        for (int t = 2; t < FLOWS; ++t)
            v[s][t] = 90 + 0.05 * s + 3 * sin(t + s);
    }
    double sink = 0, t0 = bench_now();
    for (int i = 0; i < SOLVES; ++i) {
        double x;
        BENCH_CHECK(gfin_npv(0.08 + 1e-9 * i, v[i % SETS], FLOWS, &x) == GFIN_OK, "npv");
        sink += x;
    }
    double t_npv = bench_now() - t0;
    t0 = bench_now();
    for (int i = 0; i < SOLVES; ++i) {
        double r;
        BENCH_CHECK(gfin_irr(v[i % SETS], FLOWS, 0.1, &r) == GFIN_OK, "irr %d", i);
        sink += r;
    }
    double t_irr = bench_now() - t0;
    printf("irr: %d solves on %d-year flows (one thread)\n", SOLVES, FLOWS);
    printf("  irr   : %8.3f s  %12.0f solves/s\n", t_irr, SOLVES / t_irr);
    printf("  npv   : %8.3f s  %12.0f evaluations/s\n", t_npv, SOLVES / t_npv);
    printf("  ratio : one solve costs %.1f NPV evaluations\n", t_irr / t_npv);
    printf("  (checksum %.6g)\n", sink);
    return 0;
}
