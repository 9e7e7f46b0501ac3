/* bench_output.c -- writing the result of 10,000 generated projects as JSON,
 * CSV and text, beside the baselines of the same run: loading and evaluating
 * the portfolio, and formatting the same numbers the 1.0 way (printf "%.15g"
 * .. "%.17g" with a strtod round trip each, as the 1.0 writers did).
 *
 * Target (issue 12 item 12): JSON and CSV written at >= 150 MB/s beyond
 * loading and evaluating, text no slower than JSON, peak memory within 2x of
 * the evaluated result. */
#include <float.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"
#include "greenfin.h"
#include "greenfin_text.h"

#define PROJECTS 10000

/* CPU time of this thread: the writers run on one thread, and on a shared
 * machine (8 processes on 2 cores here) wall time mostly measures the others. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Resident memory now, and at its peak, in MB. */
static double rss_now_mb(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (double)resident * 4096 / 1e6;
}

static double rss_peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss * 1024 / 1e6;
}

/* A sink that counts and drops what it is given. */
static int count_sink(void *ctx, const char *data, size_t len)
{
    (void)data;
    *(size_t *)ctx += len;
    return 0;
}

/* Every table and metrics list of r and its children as CSV into the sink. */
static void csv_all(const gfin_result *r, size_t *bytes)
{
    gfin_error e = {0};
    for (size_t i = 0; i < gfin_result_table_count(r); ++i)
        BENCH_CHECK(gfin_table_write_csv(gfin_result_table_at(r, i), count_sink, bytes, &e) == GFIN_OK, "csv: %s",
                    e.message);
    BENCH_CHECK(gfin_result_write_metrics_csv(r, count_sink, bytes, &e) == GFIN_OK, "metrics csv: %s", e.message);
    for (size_t i = 0; i < gfin_result_child_count(r); ++i)
        csv_all(gfin_result_child(r, i), bytes);
}

/* The 1.0 number formatting, for the baseline. */
static size_t format_1_0(char *buf, size_t n, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        return (size_t)snprintf(buf, n, "%.0f", v);
    for (int prec = fabs(v) >= DBL_MIN ? 15 : 1; prec <= 17; ++prec) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return strlen(buf);
}

/* The cells of r's tables and its children's: their number in *total, the
 * first `cap` finite ones in out. */
static void collect_numbers(const gfin_result *r, double *out, size_t *n, size_t cap, size_t *total)
{
    for (size_t i = 0; i < gfin_result_table_count(r); ++i) {
        const gfin_table *t = gfin_result_table_at(r, i);
        *total += gfin_table_cols(t) * gfin_table_rows(t);
        for (size_t j = 0; j < gfin_table_cols(t); ++j) {
            const double *c = gfin_table_column(t, j);
            for (size_t k = 0; k < gfin_table_rows(t) && *n < cap; ++k)
                if (isfinite(c[k]))
                    out[(*n)++] = c[k];
        }
    }
    for (size_t i = 0; i < gfin_result_child_count(r); ++i)
        collect_numbers(gfin_result_child(r, i), out, n, cap, total);
}

int main(void)
{
    size_t len;
    char *text = bench_portfolio_json(PROJECTS, &len);
    gfin_error e = {0};
    double t0 = cpu_now();
    gfin_portfolio *pf = gfin_portfolio_from_json(text, len, &e);
    double t_load = cpu_now() - t0;
    BENCH_CHECK(pf, "load: %s: %s", e.path, e.message);
    free(text);
    double rss_loaded = rss_now_mb();
    gfin_result *r = NULL;
    t0 = bench_now(); /* wall time: two threads */
    BENCH_CHECK(gfin_portfolio_evaluate(pf, 2, &r, &e) == GFIN_OK, "evaluate: %s", e.message);
    double t_eval = bench_now() - t0;
    double rss_result = rss_now_mb() - rss_loaded; /* what the evaluated result holds */

    /* JSON, streamed into a sink (constant memory) */
    size_t json_bytes = 0;
    t0 = cpu_now();
    BENCH_CHECK(gfin_result_write_json(r, count_sink, &json_bytes, &e) == GFIN_OK, "json: %s", e.message);
    double t_json_sink = cpu_now() - t0;
    double peak_streamed = rss_peak_mb();

    /* CSV of every table, streamed */
    size_t csv_bytes = 0;
    t0 = cpu_now();
    csv_all(r, &csv_bytes);
    double t_csv = cpu_now() - t0;

    /* text: the command's report, into /dev/null */
    FILE *null = tmpfile();
    BENCH_CHECK(null, "tmpfile");
    t0 = cpu_now();
    BENCH_CHECK(gf_text_report(null, r, pf) == GFIN_OK, "text");
    double t_text = cpu_now() - t0;
    long text_bytes = ftell(null);
    fclose(null);

    /* JSON in memory (the whole text held once) */
    char *json;
    size_t json_len;
    double rss_before = rss_now_mb();
    t0 = cpu_now();
    BENCH_CHECK(gfin_result_to_json(r, &json, &json_len, &e) == GFIN_OK, "to_json: %s", e.message);
    double t_json_mem = cpu_now() - t0;
    double rss_text = rss_now_mb() - rss_before;
    BENCH_CHECK(json_len == json_bytes, "streamed %zu bytes, in memory %zu", json_bytes, json_len);
    gfin_free(json);

    /* baseline: the same numbers formatted the 1.0 way and the new way */
    enum { SAMPLE = 300000 };
    double *nums = malloc(SAMPLE * sizeof *nums);
    BENCH_CHECK(nums, "malloc");
    size_t n = 0, cells = 0;
    collect_numbers(r, nums, &n, SAMPLE, &cells);
    char buf[64];
    size_t sink = 0;
    t0 = cpu_now();
    for (size_t i = 0; i < n; ++i)
        sink += format_1_0(buf, sizeof buf, nums[i]);
    double t_old = cpu_now() - t0;
    free(nums);

    double mb = 1e6;
    printf("output: %d projects, evaluated result %.0f MB resident\n", PROJECTS, rss_result);
    printf("  (times are CPU seconds of the writing thread; evaluate is wall time with 2 threads)\n");
    printf("  baseline load        : %7.3f s\n", t_load);
    printf("  baseline evaluate x2 : %7.3f s wall\n", t_eval);
    printf("  JSON to a sink       : %7.3f s  %6.0f MB  %6.0f MB/s  peak RSS %.0f MB\n", t_json_sink,
           (double)json_bytes / mb, (double)json_bytes / mb / t_json_sink, peak_streamed);
    printf("  JSON in memory       : %7.3f s  %6.0f MB  %6.0f MB/s  text held %.0f MB\n", t_json_mem,
           (double)json_len / mb, (double)json_len / mb / t_json_mem, rss_text);
    printf("  CSV of every table   : %7.3f s  %6.0f MB  %6.0f MB/s\n", t_csv, (double)csv_bytes / mb,
           (double)csv_bytes / mb / t_csv);
    printf("  text report          : %7.3f s  %6.2f MB  %6.0f MB/s\n", t_text, (double)text_bytes / mb,
           (double)text_bytes / mb / t_text);
    printf("  per cell             : %7.1f ns written as JSON, all told; baseline: %.1f ns to format one the 1.0 way"
           " (printf + strtod search, %zu of them) -> %.1f s for the %zu cells\n",
           t_json_sink / (double)cells * 1e9, t_old / (double)n * 1e9, n, t_old / (double)n * (double)cells, cells);
    printf("  peak RSS %.0f MB: %.2f x the evaluated result + the loaded portfolio\n", rss_peak_mb(),
           rss_peak_mb() / (rss_result + rss_loaded));
    printf("  (checksum %zu)\n", sink);
    gfin_result_free(r);
    gfin_portfolio_free(pf);
    return 0;
}
