/* test_threads.c -- thread safety: different portfolios, projects and loans
 * loaded, evaluated (with the library's own worker threads too) and written
 * from several threads at once, each output compared byte for byte with the
 * one computed single-threaded beforehand; and the documented shared uses:
 * one const portfolio or loan evaluated from several threads at once, one
 * result read from several threads, the registry read from all of them.
 *
 * The header's promise (section "Conventions"): no mutable global state but
 * the allocator hook, distinct handles usable from distinct threads, const
 * handles and immutable results shareable.
 *
 * The same file also builds as a plain program without Criterion
 * (-DGFIN_THREADS_MAIN): tests/meson.build builds it as `threads_main`, the
 * test "threads_main" of suite "threads". Criterion itself cannot run under
 * ThreadSanitizer (its shared arena is mapped where TSan keeps its shadow:
 * "Could not initialize inheritable arena"), so the TSan run is that program:
 *
 *   meson setup /tmp/build-tsan -Db_sanitize=thread -Dexamples=false -Dpython_tests=false
 *   meson compile -C /tmp/build-tsan tests/threads_main
 *   meson test -C /tmp/build-tsan --suite threads --no-rebuild
 *
 * (.ci/run does this.) TSan sees the library's own accesses, not those inside
 * uninstrumented system libraries (GSL, cJSON). */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greenfin.h"

#ifdef GFIN_THREADS_MAIN
#  define CHECK(cond, ...)                                                                                   \
      do {                                                                                                   \
          if (!(cond)) {                                                                                     \
              fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                                \
              fprintf(stderr, __VA_ARGS__);                                                                  \
              fputc('\n', stderr);                                                                           \
              exit(1);                                                                                       \
          }                                                                                                  \
      } while (0)
#else
#  include <criterion/criterion.h>
#  define CHECK(cond, ...) cr_assert(cond, __VA_ARGS__)
#endif

#define THREADS 4
/* Iterations of each thread; GFIN_THREADS_ITERATIONS lowers it (the valgrind
 * test setup does: memcheck runs the threads one at a time, ~50x slower). */
#define ITERATIONS_DEFAULT 20
static int g_iterations = ITERATIONS_DEFAULT;
#define ITERATIONS g_iterations

/* ------------------------------------------------------------------------ */
/* Inputs and their single-threaded reference outputs                       */
/* ------------------------------------------------------------------------ */

typedef enum kind { K_PORTFOLIO, K_PROJECT, K_LOAN } kind;

typedef struct input {
    kind kind;
    char name[64];
    char *text;
    size_t len;
    char *reference;     /* JSON of the result, computed with one thread */
    char *reference_csv; /* loans: the schedule as CSV */
} input;

#define MAX_INPUTS 16
static input g_in[MAX_INPUTS];
static size_t g_n;

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    CHECK(f, "cannot open %s", path);
    CHECK(fseek(f, 0, SEEK_END) == 0, "seek %s", path);
    long n = ftell(f);
    CHECK(n >= 0, "tell %s", path);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    CHECK(buf, "out of memory");
    CHECK(fread(buf, 1, (size_t)n, f) == (size_t)n, "read %s", path);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static void add_input(kind k, const char *name, char *text)
{
    CHECK(g_n < MAX_INPUTS, "too many inputs");
    input *in = &g_in[g_n++];
    in->kind = k;
    snprintf(in->name, sizeof in->name, "%s", name);
    in->text = text;
    in->len = strlen(text);
}

static void add_example(kind k, const char *file)
{
    const char *dir = getenv("GFIN_EXAMPLES_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "examples/data", file);
    size_t len;
    char *text = read_file(path, &len);
    add_input(k, file, text);
}

/* A portfolio of `n` projects whose figures depend on `seed`, with a fund
 * lending to every other one: different portfolios, different shapes. */
static char *generated_portfolio(int seed, int n)
{
    size_t cap = 4096 + (size_t)n * 700, len = 0;
    char *t = malloc(cap);
    CHECK(t, "out of memory");
    len += (size_t)snprintf(t, cap,
                            "{\"format\": \"greenfin/1\", \"name\": \"gen-%d\", \"start_year\": %d,"
                            " \"discount_rate\": 0.%02d, \"grid\": {\"ef_om\": 0.9, \"ef_bm\": 0.%d},"
                            " \"fund\": {\"capital\": 5e8, \"management_fee\": 0.005, \"sources\": ["
                            "{\"amount\": 3e8, \"annual_rate\": 0.02}, {\"amount\": 2e8, \"annual_rate\": 0.06}]},"
                            " \"projects\": [",
                            seed, 2028 + seed % 3, 6 + seed % 5, 4 + seed % 5);
    for (int i = 0; i < n; ++i) {
        const bool hydro = (i + seed) % 2;
        len += (size_t)snprintf(
            t + len, cap - len,
            "%s{\"id\": \"p%d\", \"technology\": \"%s\", \"capacity_mw\": %d, \"%s\": %s,"
            " \"construction_years\": %d, \"operating_years\": %d, \"capex\": %d000000, \"tariff_per_mwh\": %d,"
            " \"tax_rate\": 0.2, \"tax_holiday_years\": %d, \"yield_uncertainty\": 0.08, \"carbon_price_per_tco2e\": 5,"
            " \"loans\": [{\"id\": \"L%d\", \"lender\": \"%s\", \"principal\": %d00000, \"annual_rate\": 0.0%d,"
            " \"frequency\": %d, \"grace_periods\": %d, \"repayment_periods\": %d, \"amortization\": \"%s\"}]%s}",
            i ? ", " : "", i, hydro ? "hydro" : "solar", 5 + (seed * 7 + i * 3) % 60,
            hydro ? "capacity_factor" : "specific_yield_kwh_per_kwp", hydro ? "0.45" : "1450", 1 + i % 3,
            15 + (seed + i) % 15, 10 + (seed + i) % 50, 55 + (seed * 3 + i) % 30, i % 4, i,
            i % 2 ? "fund" : "bank", 30 + (seed + i) % 40, 3 + (seed + i) % 5, i % 3 ? 2 : 4, 1 + i % 3,
            8 + (seed + i) % 10, i % 3 == 0 ? "annuity" : i % 3 == 1 ? "linear" : "bullet",
            i % 5 == 0 ? ", \"debt_sizing\": {\"target_dscr\": 1.35, \"tenor_years\": 10, \"annual_rate\": 0.055,"
                         " \"case\": \"p90\", \"lender\": \"fund\"}"
                       : "");
        CHECK(len < cap, "buffer");
    }
    snprintf(t + len, cap - len, "]}");
    return t;
}

/* Evaluates an input with `threads` worker threads (portfolios) and returns
 * its JSON (and, for loans, the schedule's CSV); NULL with *why on failure. */
static char *run(const input *in, int threads, char **csv, char *why, size_t why_n)
{
    gfin_error e = {0};
    gfin_result *r = NULL;
    gfin_status st = GFIN_EINVAL;
    if (in->kind == K_PORTFOLIO) {
        gfin_portfolio *pf = gfin_portfolio_from_json(in->text, in->len, &e);
        if (pf)
            st = gfin_portfolio_evaluate(pf, threads, &r, &e);
        gfin_portfolio_free(pf);
    } else if (in->kind == K_PROJECT) {
        gfin_project *p = gfin_project_from_json(in->text, in->len, &e);
        if (p)
            st = gfin_project_evaluate(p, &r, &e);
        gfin_project_free(p);
    } else {
        gfin_loan *l = gfin_loan_from_json(in->text, in->len, &e);
        if (l)
            st = gfin_loan_evaluate_ge(l, 0.1, &r, &e);
        gfin_loan_free(l);
    }
    if (st != GFIN_OK) {
        snprintf(why, why_n, "%s: status %d, %s: %s", in->name, (int)st, e.path, e.message);
        return NULL;
    }
    char *json = NULL;
    if (gfin_result_to_json(r, &json, NULL, &e) != GFIN_OK) {
        snprintf(why, why_n, "%s: JSON: %s", in->name, e.message);
        gfin_result_free(r);
        return NULL;
    }
    if (csv) {
        *csv = NULL;
        const gfin_table *t = gfin_result_table(r, "schedule");
        if (t && gfin_table_to_csv(t, csv, NULL, &e) != GFIN_OK) {
            snprintf(why, why_n, "%s: CSV: %s", in->name, e.message);
            gfin_free(json);
            gfin_result_free(r);
            return NULL;
        }
    }
    gfin_result_free(r);
    return json;
}

static void setup_inputs(void)
{
    const char *it = getenv("GFIN_THREADS_ITERATIONS");
    g_iterations = it && atoi(it) > 0 ? atoi(it) : ITERATIONS_DEFAULT;
    g_n = 0;
    add_example(K_PORTFOLIO, "cambodia_pipeline.json");
    for (int seed = 0; seed < 5; ++seed) {
        char name[32];
        snprintf(name, sizeof name, "generated-%d", seed);
        add_input(K_PORTFOLIO, name, generated_portfolio(seed, 6 + 5 * seed));
    }
    add_example(K_PROJECT, "hydro_reservoir_project.json");
    add_example(K_PROJECT, "hydro_run_of_river_project.json");
    add_example(K_PROJECT, "solar_project.json");
    add_example(K_PROJECT, "project_solar_minimal.json");
    add_example(K_LOAN, "hydro_loan.json");
    add_example(K_LOAN, "solar_loan.json");
    for (size_t i = 0; i < g_n; ++i) {
        char why[512] = "";
        g_in[i].reference = run(&g_in[i], 1, g_in[i].kind == K_LOAN ? &g_in[i].reference_csv : NULL, why,
                                sizeof why);
        CHECK(g_in[i].reference, "reference of %s: %s", g_in[i].name, why);
    }
}

static void teardown_inputs(void)
{
    for (size_t i = 0; i < g_n; ++i) {
        free(g_in[i].text);
        gfin_free(g_in[i].reference);
        gfin_free(g_in[i].reference_csv);
    }
    memset(g_in, 0, sizeof g_in);
    g_n = 0;
}

/* ------------------------------------------------------------------------ */
/* Workers                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct worker_arg {
    int id;
    int mismatches;
    char why[512];
    const void *shared;          /* the shared handle of the shared tests */
    const gfin_result *result;   /* the shared result of the reading test */
} worker_arg;

/* Each thread walks the inputs from its own starting point, so at any time
 * the threads load and evaluate different documents; portfolios with 2
 * worker threads of their own. */
static void *independent_worker(void *p)
{
    worker_arg *a = p;
    for (int it = 0; it < ITERATIONS; ++it) {
        const input *in = &g_in[(size_t)(a->id * 3 + it) % g_n];
        char *csv = NULL;
        char *json = run(in, 2, in->kind == K_LOAN ? &csv : NULL, a->why, sizeof a->why);
        if (!json) {
            a->mismatches++;
            return NULL;
        }
        if (strcmp(json, in->reference) != 0 || (csv && strcmp(csv, in->reference_csv) != 0)) {
            snprintf(a->why, sizeof a->why, "thread %d, iteration %d: %s differs from the single-threaded output",
                     a->id, it, in->name);
            a->mismatches++;
        }
        gfin_free(json);
        gfin_free(csv);
        /* The registry is read by everyone at once. */
        for (size_t k = 0; k < gfin_key_count(); ++k) {
            gfin_key key = gfin_key_at(k);
            if (gfin_key_find(gfin_key_object(key), gfin_key_name(key)) != (int)key) {
                snprintf(a->why, sizeof a->why, "registry lookup of key %d", (int)key);
                a->mismatches++;
            }
        }
        if (strcmp(gfin_strerror(GFIN_EPARSE), "malformed JSON") != 0 || gfin_version() != GFIN_VERSION_NUMBER) {
            snprintf(a->why, sizeof a->why, "static strings");
            a->mismatches++;
        }
    }
    return NULL;
}

static void run_threads(void *(*fn)(void *), worker_arg *args, int n)
{
    pthread_t tid[THREADS];
    for (int t = 0; t < n; ++t) {
        args[t].id = t;
        CHECK(pthread_create(&tid[t], NULL, fn, &args[t]) == 0, "pthread_create");
    }
    for (int t = 0; t < n; ++t)
        CHECK(pthread_join(tid[t], NULL) == 0, "pthread_join");
    for (int t = 0; t < n; ++t)
        CHECK(args[t].mismatches == 0, "thread %d: %s", t, args[t].why);
}

static void independent_handles(void)
{
    setup_inputs();
    worker_arg args[THREADS];
    memset(args, 0, sizeof args);
    run_threads(independent_worker, args, THREADS);
    teardown_inputs();
}

/* One portfolio, loaded once, evaluated from every thread at once ("The
 * portfolio is only read: one portfolio may be evaluated from several
 * threads at once"). */
static void *shared_portfolio_worker(void *p)
{
    worker_arg *a = p;
    const gfin_portfolio *pf = a->shared;
    for (int it = 0; it < ITERATIONS / 2; ++it) {
        gfin_result *r = NULL;
        gfin_error e = {0};
        char *json = NULL;
        if (gfin_portfolio_evaluate(pf, 1 + (a->id + it) % 3, &r, &e) != GFIN_OK ||
            gfin_result_to_json(r, &json, NULL, &e) != GFIN_OK) {
            snprintf(a->why, sizeof a->why, "%s: %s", e.path, e.message);
            a->mismatches++;
            gfin_result_free(r);
            return NULL;
        }
        if (strcmp(json, g_in[0].reference) != 0) {
            snprintf(a->why, sizeof a->why, "shared portfolio: iteration %d differs", it);
            a->mismatches++;
        }
        gfin_free(json);
        gfin_result_free(r);
    }
    return NULL;
}

static void shared_portfolio(void)
{
    setup_inputs();
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(g_in[0].text, g_in[0].len, &e);
    CHECK(pf, "%s: %s", e.path, e.message);
    worker_arg args[THREADS];
    memset(args, 0, sizeof args);
    for (int t = 0; t < THREADS; ++t)
        args[t].shared = pf;
    run_threads(shared_portfolio_worker, args, THREADS);
    gfin_portfolio_free(pf);
    teardown_inputs();
}

/* One const loan evaluated, its grant element and schedule computed from
 * every thread ("Functions taking only const handles ... are thread-safe"). */
static void *shared_loan_worker(void *p)
{
    worker_arg *a = p;
    const gfin_loan *l = a->shared;
    const input *in = &g_in[g_n - 1]; /* solar_loan.json */
    for (int it = 0; it < ITERATIONS; ++it) {
        gfin_result *r = NULL;
        gfin_error e = {0};
        char *json = NULL;
        double ge;
        gfin_table *s = gfin_loan_schedule(l, &e);
        if (!s || gfin_loan_grant_element(l, 0.1, &ge, &e) != GFIN_OK || gfin_loan_validate(l, &e) != GFIN_OK ||
            gfin_loan_evaluate_ge(l, 0.1, &r, &e) != GFIN_OK || gfin_result_to_json(r, &json, NULL, &e) != GFIN_OK) {
            snprintf(a->why, sizeof a->why, "%s: %s", e.path, e.message);
            a->mismatches++;
            gfin_table_free(s);
            gfin_result_free(r);
            return NULL;
        }
        double ge_r = -1;
        if (strcmp(json, in->reference) != 0 || gfin_result_metric(r, GFIN_M_GRANT_ELEMENT, &ge_r) != GFIN_OK ||
            ge_r != ge || gfin_table_rows(s) != gfin_table_rows(gfin_result_table(r, "schedule"))) {
            snprintf(a->why, sizeof a->why, "shared loan: iteration %d differs", it);
            a->mismatches++;
        }
        gfin_free(json);
        gfin_table_free(s);
        gfin_result_free(r);
    }
    return NULL;
}

static void shared_loan(void)
{
    setup_inputs();
    const input *in = &g_in[g_n - 1];
    CHECK(strcmp(in->name, "solar_loan.json") == 0, "inputs in order");
    gfin_error e = {0};
    gfin_loan *l = gfin_loan_from_json(in->text, in->len, &e);
    CHECK(l, "%s: %s", e.path, e.message);
    worker_arg args[THREADS];
    memset(args, 0, sizeof args);
    for (int t = 0; t < THREADS; ++t)
        args[t].shared = l;
    run_threads(shared_loan_worker, args, THREADS);
    gfin_loan_free(l);
    teardown_inputs();
}

/* One result read from every thread: JSON, CSV, metrics, children. */
static void *shared_result_worker(void *p)
{
    worker_arg *a = p;
    for (int it = 0; it < ITERATIONS; ++it) {
        char *json = NULL;
        gfin_error e = {0};
        if (gfin_result_to_json(a->result, &json, NULL, &e) != GFIN_OK || strcmp(json, g_in[0].reference) != 0) {
            snprintf(a->why, sizeof a->why, "shared result: iteration %d differs (%s)", it, e.message);
            a->mismatches++;
        }
        gfin_free(json);
        for (size_t c = 0; c < gfin_result_child_count(a->result); ++c) {
            const gfin_result *child = gfin_result_child(a->result, c);
            char *csv = NULL;
            if (gfin_table_to_csv(gfin_result_table(child, "years"), &csv, NULL, &e) != GFIN_OK) {
                snprintf(a->why, sizeof a->why, "CSV of child %zu", c);
                a->mismatches++;
            }
            gfin_free(csv);
        }
    }
    return NULL;
}

static void shared_result(void)
{
    setup_inputs();
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(g_in[0].text, g_in[0].len, &e);
    CHECK(pf, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    CHECK(gfin_portfolio_evaluate(pf, 2, &r, &e) == GFIN_OK, "%s: %s", e.path, e.message);
    worker_arg args[THREADS];
    memset(args, 0, sizeof args);
    for (int t = 0; t < THREADS; ++t)
        args[t].result = r;
    run_threads(shared_result_worker, args, THREADS);
    gfin_result_free(r);
    gfin_portfolio_free(pf);
    teardown_inputs();
}

#ifdef GFIN_THREADS_MAIN
int main(void)
{
    independent_handles();
    shared_portfolio();
    shared_loan();
    shared_result();
    printf("threads: %d threads x %d iterations: every output equal to the single-threaded one\n", THREADS,
           g_iterations);
    return 0;
}
#else
Test(threads, different_portfolios_projects_and_loans_at_once, .timeout = 300) { independent_handles(); }
Test(threads, one_portfolio_evaluated_from_several_threads, .timeout = 300) { shared_portfolio(); }
Test(threads, one_const_loan_used_from_several_threads, .timeout = 300) { shared_loan(); }
Test(threads, one_result_read_from_several_threads, .timeout = 300) { shared_result(); }
#endif
