/* test_write.c -- the writer core: the fast number formatter against its
 * definition (printf "%.{15,16,17}g" and a strtod round trip, the 1.0
 * writers' algorithm kept as gfin__dtoa_reference), JSON strings against
 * cJSON (the 1.0 writer), and the streaming writers against the in-memory ones.
 *
 * GFIN_DTOA_SAMPLES scales the random cases (default 1,000,000; valgrind runs
 * fewer). */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "write.h"

static size_t samples(void)
{
    const char *s = getenv("GFIN_DTOA_SAMPLES");
    return s ? (size_t)strtoull(s, NULL, 10) : 1000000;
}

/* xorshift64*: reproducible random bits. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

static double from_bits(uint64_t b)
{
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

/* The fast text is the reference text, and reads back as v. */
static void check(double v)
{
    char fast[GFIN_DTOA_BUF], ref[GFIN_DTOA_BUF];
    size_t n = gfin__dtoa(fast, v);
    gfin__dtoa_reference(ref, v);
    cr_assert_eq(n, strlen(fast));
    if (strcmp(fast, ref) != 0) {
        uint64_t bits;
        memcpy(&bits, &v, sizeof bits);
        cr_assert_fail("%.17g (bits %016llx): fast \"%s\", reference \"%s\"", v, (unsigned long long)bits, fast, ref);
    }
    if (isfinite(v) && strtod(fast, NULL) != v)
        cr_assert_fail("%.17g: \"%s\" does not read back", v, fast);
}

static void check_around(double v)
{
    check(v);
    check(-v);
    check(nextafter(v, INFINITY));
    check(nextafter(v, -INFINITY));
}

Test(dtoa, edge_values_match_printf_and_strtod)
{
    const double edges[] = {0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 0.05, 1e-5, 1e-4, 123456.789,
                            DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_EPSILON,
                            9007199254740992.0, 9007199254740993.0, 4503599627370496.5, 1125899906842624.25,
                            1125899906842624.75, 562949953421312.125, 999999999999999.0, 1e15, 1e16, 1e17,
                            5e-324, 2.2250738585072009e-308, 1.7976931348623157e308, 0.1 + 0.2,
                            NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; ++i)
        check(edges[i]);
    /* powers of ten and their neighbours, over the whole range */
    for (int k = -323; k <= 308; ++k) {
        char s[16];
        snprintf(s, sizeof s, "1e%d", k);
        check_around(strtod(s, NULL));
        snprintf(s, sizeof s, "5e%d", k);
        check_around(strtod(s, NULL));
    }
    /* powers of two (the lower neighbour is closer) and their neighbours */
    for (int k = -1074; k <= 1023; ++k)
        check_around(ldexp(1, k));
    /* integers up to 2^53 and beyond: every bit length */
    for (int bits = 1; bits <= 64; ++bits)
        for (int i = 0; i < 200; ++i)
            check((double)(rnd() >> (64 - bits)));
}

Test(dtoa, random_doubles_in_the_fast_range_match)
{
    /* every significand, exponents of 1e-12 .. 1e18: where money, rates and
     * energy lie and the fast path answers */
    size_t n = samples();
    for (size_t i = 0; i < n; ++i) {
        uint64_t exp = 1023 - 40 + rnd() % 101; /* 2^-40 .. 2^60 */
        check(from_bits((rnd() & ((UINT64_C(1) << 52) - 1)) | exp << 52 | (rnd() & 1) << 63));
    }
}

Test(dtoa, random_bit_patterns_and_subnormals_match)
{
    size_t n = samples() / 8;
    for (size_t i = 0; i < n; ++i) {
        check(from_bits(rnd()));                                /* anything, NaN included */
        check(from_bits(rnd() & ((UINT64_C(1) << 52) - 1)));    /* subnormal */
    }
}

Test(dtoa, short_decimals_match)
{
    /* what inputs hold: a few significant digits at any scale */
    size_t n = samples() / 4;
    for (size_t i = 0; i < n; ++i) {
        char s[40];
        snprintf(s, sizeof s, "%llue%d", (unsigned long long)(rnd() % 100000000), (int)(rnd() % 40) - 24);
        check(strtod(s, NULL));
    }
}

Test(dtoa, messages_use_the_same_text)
{
    char a[64], b[GFIN_DTOA_BUF];
    gfin__fmt_num(a, sizeof a, 0.1 + 0.2);
    gfin__dtoa(b, 0.1 + 0.2);
    cr_assert_str_eq(a, "0.30000000000000004"); /* the double nearest 0.3 is 0.299999999999999988898 */
    cr_assert_str_eq(a, b);
    gfin__fmt_num(a, 4, 12345.5); /* cut to the buffer, NUL-terminated */
    cr_assert_str_eq(a, "123");
}

/* ---- JSON strings: as cJSON printed them ---- */

Test(write, json_strings_escape_as_cjson)
{
    char s[300];
    size_t k = 0;
    for (int c = 1; c < 256; ++c)
        s[k++] = (char)c;
    s[k] = '\0';
    const char *cases[] = {s, "", "plain", "quote \" and \\ backslash", "tab\tnew\nline\r\b\f", "\x01\x1f\x7f",
                           "Khmer \xe1\x9e\x80"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        gfin_writer w;
        gfin__w_init_buffer(&w);
        gfin__w_json_string(&w, cases[i]);
        char *mine;
        cr_assert_eq(gfin__w_finish_buffer(&w, &mine, NULL, "JSON", NULL), GFIN_OK);
        cJSON *item = cJSON_CreateString(cases[i]);
        char *theirs = cJSON_PrintUnformatted(item);
        cr_assert_str_eq(mine, theirs, "case %zu", i);
        cJSON_free(theirs);
        cJSON_Delete(item);
        gfin_free(mine);
    }
}

/* ---- streaming ---- */

typedef struct collect {
    char *text;
    size_t len, calls, max_chunk, fail_after;
} collect;

static int collect_sink(void *ctx, const char *data, size_t len)
{
    collect *c = ctx;
    if (c->fail_after && c->calls >= c->fail_after)
        return -1;
    c->calls++;
    c->max_chunk = len > c->max_chunk ? len : c->max_chunk;
    c->text = realloc(c->text, c->len + len + 1);
    memcpy(c->text + c->len, data, len);
    c->len += len;
    c->text[c->len] = '\0';
    return 0;
}

static gfin_result *sample_result(void)
{
    const char *dir = getenv("GFIN_EXAMPLES_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/cambodia_pipeline.json", dir ? dir : "examples/data");
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text, f);
    fclose(f);
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, len, &e);
    cr_assert_not_null(pf, "%s: %s", e.path, e.message);
    gfin_result *r = NULL;
    cr_assert_eq(gfin_portfolio_evaluate(pf, 1, &r, &e), GFIN_OK, "%s", e.message);
    gfin_portfolio_free(pf);
    return r;
}

Test(write, streamed_json_and_csv_equal_the_buffers)
{
    gfin_result *r = sample_result();
    char *json;
    size_t len;
    cr_assert_eq(gfin_result_to_json(r, &json, &len, NULL), GFIN_OK);
    collect c = {0};
    cr_assert_eq(gfin_result_write_json(r, collect_sink, &c, NULL), GFIN_OK);
    cr_assert_eq(c.len, len);
    cr_assert(memcmp(c.text, json, len) == 0);
    cr_assert(c.calls > 1 && c.max_chunk <= 64 * 1024, "%zu chunks, largest %zu", c.calls, c.max_chunk);
    gfin_free(json);
    free(c.text);

    const gfin_table *fund = gfin_result_table(r, "fund");
    char *csv;
    cr_assert_eq(gfin_table_to_csv(fund, &csv, &len, NULL), GFIN_OK);
    c = (collect){0};
    cr_assert_eq(gfin_table_write_csv(fund, collect_sink, &c, NULL), GFIN_OK);
    cr_assert_eq(c.len, len);
    cr_assert(memcmp(c.text, csv, len) == 0);
    gfin_free(csv);
    free(c.text);

    cr_assert_eq(gfin_result_metrics_to_csv(r, &csv, &len, NULL), GFIN_OK);
    c = (collect){0};
    cr_assert_eq(gfin_result_write_metrics_csv(r, collect_sink, &c, NULL), GFIN_OK);
    cr_assert_eq(c.len, len);
    cr_assert(memcmp(c.text, csv, len) == 0);
    gfin_free(csv);
    free(c.text);
    gfin_result_free(r);
}

Test(write, a_refusing_sink_stops_the_writer_with_eio)
{
    gfin_result *r = sample_result();
    collect c = {.fail_after = 1};
    gfin_error e = {0};
    cr_assert_eq(gfin_result_write_json(r, collect_sink, &c, &e), GFIN_EIO);
    cr_assert_eq(e.code, GFIN_EIO);
    cr_assert_eq(c.calls, 1, "the sink is not called again after refusing");
    cr_assert(strstr(e.message, "JSON") != NULL, "%s", e.message);
    free(c.text);
    cr_assert_eq(gfin_result_write_json(NULL, collect_sink, &c, &e), GFIN_EINVAL);
    cr_assert_eq(gfin_result_write_json(r, NULL, &c, &e), GFIN_EINVAL);
    cr_assert_eq(gfin_table_write_csv(NULL, collect_sink, &c, &e), GFIN_EINVAL);
    cr_assert_eq(gfin_result_write_metrics_csv(r, NULL, &c, &e), GFIN_EINVAL);
    gfin_result_free(r);
}
