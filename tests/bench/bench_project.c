/* bench_project.c -- 10,000 projects of 30 years (2 construction + 28
 * operating) with two loans each, next to the schedules of the same 20,000
 * loans alone (the project's loans are part of its work), in the same run. */
#include <string.h>

#include "bench.h"
#include "greenfin.h"

#define PROJECTS 10000
#define YEARS 30

static gfin_loan *make_loan(double principal, double rate, int freq, int grace, int periods)
{
    gfin_loan *l = gfin_loan_new();
    BENCH_CHECK(l, "gfin_loan_new");
    BENCH_CHECK(gfin_loan_set(l, GFIN_LOAN_PRINCIPAL, principal) == GFIN_OK &&
                    gfin_loan_set(l, GFIN_LOAN_ANNUAL_RATE, rate) == GFIN_OK &&
                    gfin_loan_set(l, GFIN_LOAN_FREQUENCY, freq) == GFIN_OK &&
                    gfin_loan_set(l, GFIN_LOAN_GRACE_PERIODS, grace) == GFIN_OK &&
                    gfin_loan_set(l, GFIN_LOAN_REPAYMENT_PERIODS, periods) == GFIN_OK,
                "loan terms");
    return l;
}

int main(void)
{
    gfin_project *p = gfin_project_new();
    BENCH_CHECK(p, "gfin_project_new");
    BENCH_CHECK(gfin_project_set_string(p, GFIN_PROJECT_ID, "bench") == GFIN_OK &&
                    gfin_project_set(p, GFIN_PROJECT_TECHNOLOGY, GFIN_TECH_HYDRO) == GFIN_OK &&
                    gfin_project_set(p, GFIN_PROJECT_CAPACITY_MW, 50) == GFIN_OK &&
                    gfin_project_set(p, GFIN_PROJECT_CAPACITY_FACTOR, 0.45) == GFIN_OK &&
                    gfin_project_set(p, GFIN_PROJECT_CONSTRUCTION_YEARS, 2) == GFIN_OK &&
                    gfin_project_set(p, GFIN_PROJECT_OPERATING_YEARS, YEARS - 2) == GFIN_OK &&
                    gfin_project_set(p, GFIN_PROJECT_CAPEX, 1e8) == GFIN_OK &&
                    gfin_project_set(p, GFIN_PROJECT_OPEX_FIXED, 1.5e6) == GFIN_OK &&
                    gfin_project_set(p, GFIN_PROJECT_TARIFF_PER_MWH, 75) == GFIN_OK &&
                    gfin_project_set(p, GFIN_PROJECT_TAX_RATE, 0.2) == GFIN_OK &&
                    gfin_project_set(p, GFIN_PROJECT_TAX_HOLIDAY_YEARS, 5) == GFIN_OK &&
                    gfin_project_set(p, GFIN_PROJECT_DISCOUNT_RATE, 0.1) == GFIN_OK &&
                    gfin_project_set(p, GFIN_PROJECT_START_YEAR, 2027) == GFIN_OK &&
                    gfin_project_set(p, GFIN_GRID_EF_OM, 0.9) == GFIN_OK &&
                    gfin_project_set(p, GFIN_GRID_EF_BM, 0.5) == GFIN_OK,
                "project terms");
    gfin_loan *senior = make_loan(5e7, 0.03, 2, 4, 36), *junior = make_loan(2e7, 0.08, 12, 24, 180);
    const double dd[] = {0.25, 0.25, 0.25, 0.25};
    BENCH_CHECK(gfin_loan_set_array(senior, GFIN_LOAN_DRAWDOWNS, dd, 4) == GFIN_OK, "drawdowns");
    BENCH_CHECK(gfin_project_add_loan(p, senior, NULL) == GFIN_OK && gfin_project_add_loan(p, junior, NULL) == GFIN_OK,
                "add loans");

    /* Baseline: the two loans' schedules only. */
    double t0 = bench_now(), sink = 0;
    for (size_t i = 0; i < PROJECTS; ++i) {
        BENCH_CHECK(gfin_loan_set(senior, GFIN_LOAN_ANNUAL_RATE, 0.03 + 1e-7 * (double)i) == GFIN_OK, "rate");
        gfin_table *a = gfin_loan_schedule(senior, NULL), *b = gfin_loan_schedule(junior, NULL);
        BENCH_CHECK(a && b, "schedules");
        sink += gfin_table_column(a, 4)[0] + gfin_table_column(b, 4)[0];
        gfin_table_free(a);
        gfin_table_free(b);
    }
    double t_loans = bench_now() - t0;

    t0 = bench_now();
    for (size_t i = 0; i < PROJECTS; ++i) {
        BENCH_CHECK(gfin_project_set(p, GFIN_PROJECT_TARIFF_PER_MWH, 70 + 1e-4 * (double)i) == GFIN_OK, "tariff");
        gfin_result *r = NULL;
        gfin_error e = {0};
        BENCH_CHECK(gfin_project_evaluate(p, &r, &e) == GFIN_OK, "evaluate: %s: %s", e.path, e.message);
        double v;
        if (gfin_result_metric(r, GFIN_M_EQUITY_IRR, &v) == GFIN_OK)
            sink += v;
        gfin_result_free(r);
    }
    double t_proj = bench_now() - t0;
    gfin_loan_free(senior);
    gfin_loan_free(junior);
    gfin_project_free(p);

    printf("projects: %d projects x %d years, 2 loans each (76 + 204 periods)\n", PROJECTS, YEARS);
    printf("  evaluate      : %8.3f s  %12.0f project-years/s  %9.0f projects/s\n", t_proj,
           PROJECTS * (double)YEARS / t_proj, PROJECTS / t_proj);
    printf("  loans only    : %8.3f s  %12.0f loan pairs/s (their schedules alone)\n", t_loans, PROJECTS / t_loans);
    printf("  ratio         : a project costs %.2f x its two loan schedules\n", t_proj / t_loans);
    printf("  (checksum %.6g)\n", sink);
    return 0;
}
