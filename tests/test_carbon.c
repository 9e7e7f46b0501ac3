/* test_carbon.c -- ACM0002 / TOOL07 emission factors, reservoir emissions,
 * reductions and crediting (lib/carbon.c).
 *
 * Expected values come from tests/data/carbon_vectors.json (a copy of
 * shared/reference/carbon_vectors.json; each case transcribed below with its id
 * in a comment) or from hand derivations written next to them.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define assert_near(actual, expected, tol)                                                              \
    do {                                                                                                \
        double a_ = (actual), e_ = (expected);                                                          \
        cr_assert(fabs(a_ - e_) <= (tol), "%s = %.17g, expected %.17g +- %g", #actual, a_, e_, (double)(tol)); \
    } while (0)

#define REL 1e-12
#define N_MAX 30

static gfin_carbon_in grid_cm(gfin_technology tech, gfin_crediting c, double ef_cm)
{
    return (gfin_carbon_in){.technology = tech, .crediting = c, .ef_cm = ef_cm, .ef_om = NAN, .ef_bm = NAN,
                            .ef_change_per_year = 0, .power_density = NAN};
}

static gfin_carbon_in grid_om_bm(gfin_technology tech, gfin_crediting c, double ef_om, double ef_bm)
{
    gfin_carbon_in in = grid_cm(tech, c, NAN);
    in.ef_om = ef_om;
    in.ef_bm = ef_bm;
    return in;
}

typedef struct yearly {
    double gross[N_MAX], net[N_MAX];
    double baseline[N_MAX], project[N_MAX], reductions[N_MAX], credited[N_MAX];
    bool not_applicable;
} yearly;

/* Same gross and net every year. */
static void flat(yearly *y, size_t n, double gross, double net)
{
    memset(y, 0, sizeof *y);
    for (size_t i = 0; i < n; ++i) {
        y->gross[i] = gross;
        y->net[i] = net;
    }
    y->not_applicable = true;   /* the call must set it either way */
}

static void run(const gfin_carbon_in *in, size_t n, yearly *y)
{
    gfin_error err = {0};
    gfin_status st = gfin__carbon_yearly(in, n, y->gross, y->net, y->baseline, y->project, y->reductions,
                                         y->credited, &y->not_applicable, &err);
    cr_assert_eq(st, GFIN_OK, "status %d: %s: %s", st, err.path, err.message);
}

/* Refused with GFIN_EINVAL and `path`; the outputs are left alone. */
static void assert_refused(const gfin_carbon_in *in, const char *path, const char *message_part)
{
    yearly y;
    flat(&y, 2, 1000, 1000);
    for (size_t i = 0; i < 2; ++i)
        y.baseline[i] = y.project[i] = y.reductions[i] = y.credited[i] = -7;
    gfin_error err = {0};
    gfin_status st = gfin__carbon_yearly(in, 2, y.gross, y.net, y.baseline, y.project, y.reductions, y.credited,
                                         &y.not_applicable, &err);
    cr_assert_eq(st, GFIN_EINVAL, "expected GFIN_EINVAL for %s, got %d", path, st);
    cr_assert_eq(err.code, GFIN_EINVAL);
    cr_assert_str_eq(err.path, path, "path \"%s\" (%s), expected \"%s\"", err.path, err.message, path);
    cr_assert_neq(err.message[0], '\0');
    if (message_part)
        cr_assert(strstr(err.message, message_part), "message \"%s\" lacks \"%s\"", err.message, message_part);
    for (size_t i = 0; i < 2; ++i)
        cr_assert(y.baseline[i] == -7 && y.project[i] == -7 && y.reductions[i] == -7 && y.credited[i] == -7,
                  "outputs written on error");
}

/* ======================================================================== */
/* The reference vectors                                                    */
/* ======================================================================== */

/* Every id of carbon_vectors.json and the test that pins it. */
static const char *const k_vector_ids[] = {
    "cm-weights-solar",           /* vector_cm_weights_solar */
    "cm-weights-hydro-cp1",       /* vector_cm_weights_hydro_cp1 */
    "cm-weights-hydro-cp2",       /* vector_cm_weights_hydro_cp2 */
    "solar-baseline-swiss-park",  /* vector_solar_baseline */
    "hydro-pd-high",              /* vector_hydro_pd_high */
    "hydro-pd-mid",               /* vector_hydro_pd_mid */
    "hydro-pd-low",               /* vector_hydro_pd_low */
    "hydro-er-with-reservoir",    /* vector_hydro_er_with_reservoir */
    "solar-degradation-y10",      /* test_energy.c: solar_degradation_year_10_vector */
    "hydro-power-formula",        /* test_energy.c: hydro_power_formula_vector */
};
#define N_VECTOR_IDS (sizeof k_vector_ids / sizeof k_vector_ids[0])

/* The reference file: $GFIN_TEST_DATA (set by `meson test`), else next to this
 * source file, else relative to the source root or tests/. NULL if not found. */
static char *read_vectors(void)
{
    const char *name = "carbon_vectors.json";
    char candidates[4][4096];
    size_t nc = 0;
    const char *env = getenv("GFIN_TEST_DATA");
    if (env && *env)
        snprintf(candidates[nc++], sizeof candidates[0], "%s/%s", env, name);
    const char *slash = strrchr(__FILE__, '/');
    if (slash)
        snprintf(candidates[nc++], sizeof candidates[0], "%.*s/data/%s", (int)(slash - __FILE__), __FILE__, name);
    snprintf(candidates[nc++], sizeof candidates[0], "tests/data/%s", name);
    snprintf(candidates[nc++], sizeof candidates[0], "data/%s", name);
    for (size_t i = 0; i < nc; ++i) {
        FILE *f = fopen(candidates[i], "rb");
        if (!f)
            continue;
        char *buf = malloc(1 << 20);
        size_t len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
        fclose(f);
        if (buf)
            buf[len] = '\0';
        return buf;
    }
    return NULL;
}

Test(carbon, every_vector_id_in_the_file_is_transcribed)
{
    char *text = read_vectors();
    cr_assert_not_null(text, "carbon_vectors.json not found: set GFIN_TEST_DATA to tests/data");
    /* A plain text scan (cJSON belongs to lib/json.c): each "id": "<value>". */
    size_t found = 0;
    for (const char *p = strstr(text, "\"id\""); p; p = strstr(p + 1, "\"id\"")) {
        const char *q = p + 4;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            ++q;
        cr_assert_eq(*q, ':', "\"id\" not followed by ':'");
        ++q;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            ++q;
        cr_assert_eq(*q, '"', "an id that is not a string");
        const char *end = strchr(q + 1, '"');
        cr_assert_not_null(end);
        size_t len = (size_t)(end - (q + 1));
        bool known = false;
        for (size_t i = 0; i < N_VECTOR_IDS; ++i)
            known = known || (strlen(k_vector_ids[i]) == len && strncmp(k_vector_ids[i], q + 1, len) == 0);
        cr_assert(known, "vector \"%.*s\" is in the file but not transcribed in a test", (int)len, q + 1);
        ++found;
    }
    cr_assert_eq(found, N_VECTOR_IDS, "the file has %zu ids, %zu are transcribed", found, N_VECTOR_IDS);
    free(text);
}

Test(carbon, vector_cm_weights_solar)
{
    /* id "cm-weights-solar": EF_OM 0.9, EF_BM 0.3, solar, period 1 -> 0.75 (abs 1e-12). */
    double cm = -1;
    cr_assert_eq(gfin_combined_margin(GFIN_TECH_SOLAR, 1, 0.9, 0.3, &cm), GFIN_OK);
    assert_near(cm, 0.75, 1e-12);
}

Test(carbon, vector_cm_weights_hydro_cp1)
{
    /* id "cm-weights-hydro-cp1": EF_OM 0.9, EF_BM 0.3, hydro, period 1 -> 0.6 (abs 1e-12). */
    double cm = -1;
    cr_assert_eq(gfin_combined_margin(GFIN_TECH_HYDRO, 1, 0.9, 0.3, &cm), GFIN_OK);
    assert_near(cm, 0.6, 1e-12);
}

Test(carbon, vector_cm_weights_hydro_cp2)
{
    /* id "cm-weights-hydro-cp2": EF_OM 0.9, EF_BM 0.3, hydro, period 2 -> 0.45 (abs 1e-12). */
    double cm = -1;
    cr_assert_eq(gfin_combined_margin(GFIN_TECH_HYDRO, 2, 0.9, 0.3, &cm), GFIN_OK);
    assert_near(cm, 0.45, 1e-12);
}

Test(carbon, vector_solar_baseline)
{
    /* id "solar-baseline-swiss-park": net 9061 MWh x EF_CM 0.958 -> 8680.438 tCO2e (abs 1e-6). */
    gfin_carbon_in in = grid_cm(GFIN_TECH_SOLAR, GFIN_CREDITING_RENEWABLE, 0.958);
    yearly y;
    flat(&y, 1, 9061, 9061);
    run(&in, 1, &y);
    assert_near(y.baseline[0], 8680.438, 1e-6);
    assert_near(y.project[0], 0, 0);
    assert_near(y.reductions[0], 8680.438, 1e-6);
    cr_assert_not(y.not_applicable);
}

Test(carbon, vector_hydro_pd_high)
{
    /* id "hydro-pd-high": 246 MW on 16 km2 -> 15.375 W/m2 (abs 1e-9); > 10: no
     * reservoir emissions. */
    double pd = -1, ef = -1;
    cr_assert_eq(gfin_power_density_w_m2(246, 0, 16, 0, &pd), GFIN_OK);
    assert_near(pd, 15.375, 1e-9);
    cr_assert_eq(gfin_reservoir_ef(pd, &ef), GFIN_OK);
    cr_assert_eq(ef, 0);
}

Test(carbon, vector_hydro_pd_mid)
{
    /* id "hydro-pd-mid": 246 MW on 29.49 km2 -> 8.341810783316378 W/m2 (rel 1e-9);
     * 4 < PD <= 10: EF_Res = 90 kgCO2e/MWh. */
    double pd = -1, ef = -1;
    cr_assert_eq(gfin_power_density_w_m2(246, 0, 29.49, 0, &pd), GFIN_OK);
    assert_near(pd, 8.341810783316378, 8.341810783316378 * 1e-9);
    cr_assert_eq(gfin_reservoir_ef(pd, &ef), GFIN_OK);
    assert_near(ef, 0.090, 1e-15);
}

Test(carbon, vector_hydro_pd_low)
{
    /* id "hydro-pd-low": 246 MW on 70 km2 -> 3.5142857142857142 W/m2 (rel 1e-9);
     * PD <= 4: ACM0002 does not apply. */
    double pd = -1, ef = -1;
    cr_assert_eq(gfin_power_density_w_m2(246, 0, 70, 0, &pd), GFIN_OK);
    assert_near(pd, 3.5142857142857142, 3.5142857142857142 * 1e-9);
    cr_assert_eq(gfin_reservoir_ef(pd, &ef), GFIN_ENOTAPPLICABLE);
    cr_assert_eq(ef, -1);
}

Test(carbon, vector_hydro_er_with_reservoir)
{
    /* id "hydro-er-with-reservoir": gross 500,000 MWh, net 495,000, EF_CM 0.6,
     * PD 8 -> baseline 297,000, project 45,000, reductions 252,000 (abs 1e-6). */
    gfin_carbon_in in = grid_cm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 0.6);
    in.power_density = 8;
    yearly y;
    flat(&y, 1, 500000, 495000);
    run(&in, 1, &y);
    assert_near(y.baseline[0], 297000, 1e-6);
    assert_near(y.project[0], 45000, 1e-6);
    assert_near(y.reductions[0], 252000, 1e-6);
    assert_near(y.credited[0], 252000, 1e-6);
    cr_assert_not(y.not_applicable);
}

/* ======================================================================== */
/* Power-density bands                                                      */
/* ======================================================================== */

Test(carbon, reservoir_ef_bands_at_their_edges)
{
    /* ACM0002: PD <= 4 not applicable; 4 < PD <= 10 -> 0.090 t/MWh; PD > 10 -> 0. */
    double ef = -1;
    cr_assert_eq(gfin_reservoir_ef(4, &ef), GFIN_ENOTAPPLICABLE);
    cr_assert_eq(ef, -1, "written when not applicable");
    cr_assert_eq(gfin_reservoir_ef(0, &ef), GFIN_ENOTAPPLICABLE);
    cr_assert_eq(gfin_reservoir_ef(-2, &ef), GFIN_ENOTAPPLICABLE);
    cr_assert_eq(gfin_reservoir_ef(nextafter(4, 5), &ef), GFIN_OK);
    assert_near(ef, 0.090, 1e-15);
    ef = -1;
    cr_assert_eq(gfin_reservoir_ef(10, &ef), GFIN_OK);
    assert_near(ef, 0.090, 1e-15);
    cr_assert_eq(gfin_reservoir_ef(nextafter(10, 11), &ef), GFIN_OK);
    cr_assert_eq(ef, 0);
    ef = -1;
    cr_assert_eq(gfin_reservoir_ef(10.5, &ef), GFIN_OK);
    cr_assert_eq(ef, 0);
}

Test(carbon, reservoir_ef_refuses_non_finite_density)
{
    double ef = -1;
    cr_assert_eq(gfin_reservoir_ef(NAN, &ef), GFIN_EINVAL);
    cr_assert_eq(gfin_reservoir_ef(INFINITY, &ef), GFIN_EINVAL);
    cr_assert_eq(gfin_reservoir_ef(-INFINITY, &ef), GFIN_EINVAL);
    cr_assert_eq(ef, -1);
    cr_assert_eq(gfin_reservoir_ef(8, NULL), GFIN_EINVAL);
}

Test(carbon, yearly_pd_exactly_4_is_not_applicable_but_baseline_is_reported)
{
    /* PD = 4: ACM0002 does not apply. Baseline still 495,000 x 0.6 = 297,000;
     * project, reductions and credited 0. */
    gfin_carbon_in in = grid_cm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 0.6);
    in.power_density = 4;
    yearly y;
    flat(&y, 2, 500000, 495000);
    y.not_applicable = false;
    run(&in, 2, &y);
    cr_assert(y.not_applicable);
    for (size_t i = 0; i < 2; ++i) {
        assert_near(y.baseline[i], 297000, 1e-6);
        cr_assert_eq(y.project[i], 0);
        cr_assert_eq(y.reductions[i], 0);
        cr_assert_eq(y.credited[i], 0);
    }
}

Test(carbon, yearly_pd_exactly_10_is_in_the_090_band)
{
    /* PD = 10: project = 0.090 x gross 500,000 = 45,000; reductions
     * 297,000 - 45,000 = 252,000. */
    gfin_carbon_in in = grid_cm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 0.6);
    in.power_density = 10;
    yearly y;
    flat(&y, 1, 500000, 495000);
    run(&in, 1, &y);
    cr_assert_not(y.not_applicable);
    assert_near(y.project[0], 45000, 1e-6);
    assert_near(y.reductions[0], 252000, 1e-6);
}

Test(carbon, yearly_pd_just_above_10_has_no_reservoir_emissions)
{
    gfin_carbon_in in = grid_cm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 0.6);
    in.power_density = nextafter(10, 11);
    yearly y;
    flat(&y, 1, 500000, 495000);
    run(&in, 1, &y);
    cr_assert_not(y.not_applicable);
    cr_assert_eq(y.project[0], 0);
    assert_near(y.reductions[0], 297000, 1e-6);
}

Test(carbon, yearly_hydro_without_added_reservoir_has_no_reservoir_emissions)
{
    /* PD NaN (no added area): ACM0002 applies, PE_HP = 0. */
    gfin_carbon_in in = grid_cm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 0.6);
    yearly y;
    flat(&y, 1, 500000, 495000);
    run(&in, 1, &y);
    cr_assert_not(y.not_applicable);
    cr_assert_eq(y.project[0], 0);
    assert_near(y.reductions[0], 297000, 1e-6);
}

Test(carbon, power_density_with_a_baseline_plant)
{
    /* (300 - 100) MW / (30 - 10) km2 = 10 W/m2. */
    double pd = -1;
    cr_assert_eq(gfin_power_density_w_m2(300, 100, 30, 10, &pd), GFIN_OK);
    assert_near(pd, 10, 1e-12);
}

Test(carbon, power_density_refuses_no_added_area_and_negative_inputs)
{
    const double bad[][4] = {
        {246, 0, 16, 16},  {246, 0, 10, 16},  {-1, 0, 16, 0},   {246, -1, 16, 0},
        {246, 0, -16, 0},  {246, 0, 16, -1},  {NAN, 0, 16, 0},  {246, NAN, 16, 0},
        {246, 0, NAN, 0},  {246, 0, 16, NAN}, {INFINITY, 0, 16, 0}, {246, 0, INFINITY, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        double pd = -1;
        cr_assert_eq(gfin_power_density_w_m2(bad[i][0], bad[i][1], bad[i][2], bad[i][3], &pd), GFIN_EINVAL,
                     "case %zu", i);
        cr_assert_eq(pd, -1, "case %zu wrote *out", i);
    }
    cr_assert_eq(gfin_power_density_w_m2(246, 0, 16, 0, NULL), GFIN_EINVAL);
}

/* ======================================================================== */
/* Combined margin and crediting periods                                    */
/* ======================================================================== */

Test(carbon, combined_margin_weights_by_period)
{
    /* TOOL07 step 6 with EF_OM 0.9, EF_BM 0.3: solar 0.75 x 0.9 + 0.25 x 0.3 = 0.75
     * in periods 1-3; hydro 0.5/0.5 -> 0.6 in period 1, 0.25/0.75 -> 0.45 in 2, 3. */
    double cm;
    for (int p = 1; p <= 3; ++p) {
        cr_assert_eq(gfin_combined_margin(GFIN_TECH_SOLAR, p, 0.9, 0.3, &cm), GFIN_OK);
        assert_near(cm, 0.75, 1e-12);
    }
    cr_assert_eq(gfin_combined_margin(GFIN_TECH_HYDRO, 3, 0.9, 0.3, &cm), GFIN_OK);
    assert_near(cm, 0.45, 1e-12);
    cr_assert_eq(gfin_combined_margin(GFIN_TECH_HYDRO, 1, 2, 2, &cm), GFIN_OK);   /* 2 is possible */
    assert_near(cm, 2, 1e-12);
}

Test(carbon, combined_margin_refuses_bad_period_technology_or_factor)
{
    double cm = -1;
    cr_assert_eq(gfin_combined_margin(GFIN_TECH_HYDRO, 0, 0.9, 0.3, &cm), GFIN_EINVAL);
    cr_assert_eq(gfin_combined_margin(GFIN_TECH_HYDRO, 4, 0.9, 0.3, &cm), GFIN_EINVAL);
    cr_assert_eq(gfin_combined_margin((gfin_technology)5, 1, 0.9, 0.3, &cm), GFIN_EINVAL);
    cr_assert_eq(gfin_combined_margin(GFIN_TECH_SOLAR, 1, NAN, 0.3, &cm), GFIN_EINVAL);
    cr_assert_eq(gfin_combined_margin(GFIN_TECH_SOLAR, 1, 0.9, INFINITY, &cm), GFIN_EINVAL);
    cr_assert_eq(gfin_combined_margin(GFIN_TECH_SOLAR, 1, -0.1, 0.3, &cm), GFIN_EINVAL);
    cr_assert_eq(gfin_combined_margin(GFIN_TECH_SOLAR, 1, 0.9, 2.5, &cm), GFIN_EINVAL);
    cr_assert_eq(cm, -1);
    cr_assert_eq(gfin_combined_margin(GFIN_TECH_SOLAR, 1, 0.9, 0.3, NULL), GFIN_EINVAL);
}

Test(carbon, hydro_weights_switch_between_years_7_and_8)
{
    /* net 1000 MWh/yr, EF_OM 0.9, EF_BM 0.3: years 1-7 are the first crediting
     * period (0.6 -> 600 t), year 8 the second (0.45 -> 450 t); years 15 (third
     * period) and 22 (after it) keep 0.25/0.75. */
    gfin_carbon_in in = grid_om_bm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 0.9, 0.3);
    yearly y;
    flat(&y, 22, 1000, 1000);
    run(&in, 22, &y);
    assert_near(y.baseline[0], 600, 600 * REL);
    assert_near(y.baseline[6], 600, 600 * REL);
    assert_near(y.baseline[7], 450, 450 * REL);
    assert_near(y.baseline[14], 450, 450 * REL);
    assert_near(y.baseline[21], 450, 450 * REL);
}

Test(carbon, fixed_crediting_keeps_first_period_weights)
{
    /* "fixed": one 10-year period, first-period weights throughout: year 8 and
     * year 20 still 0.6 x 1000 = 600 t. */
    gfin_carbon_in in = grid_om_bm(GFIN_TECH_HYDRO, GFIN_CREDITING_FIXED, 0.9, 0.3);
    yearly y;
    flat(&y, 20, 1000, 1000);
    run(&in, 20, &y);
    assert_near(y.baseline[6], 600, 600 * REL);
    assert_near(y.baseline[7], 600, 600 * REL);
    assert_near(y.baseline[19], 600, 600 * REL);
}

Test(carbon, no_crediting_follows_the_renewable_calendar_for_weights)
{
    /* "none": weights as "renewable": year 7 600 t, year 8 450 t; nothing credited,
     * reductions still reported. */
    gfin_carbon_in in = grid_om_bm(GFIN_TECH_HYDRO, GFIN_CREDITING_NONE, 0.9, 0.3);
    yearly y;
    flat(&y, 8, 1000, 1000);
    run(&in, 8, &y);
    assert_near(y.baseline[6], 600, 600 * REL);
    assert_near(y.baseline[7], 450, 450 * REL);
    for (size_t i = 0; i < 8; ++i) {
        assert_near(y.reductions[i], y.baseline[i], 0);
        cr_assert_eq(y.credited[i], 0);
    }
}

Test(carbon, solar_weights_are_the_same_in_every_year)
{
    /* 0.75 x 0.9 + 0.25 x 0.3 = 0.75 -> 750 t in years 1, 8, 15 and 22. */
    gfin_carbon_in in = grid_om_bm(GFIN_TECH_SOLAR, GFIN_CREDITING_RENEWABLE, 0.9, 0.3);
    yearly y;
    flat(&y, 22, 1000, 1000);
    run(&in, 22, &y);
    assert_near(y.baseline[0], 750, 750 * REL);
    assert_near(y.baseline[7], 750, 750 * REL);
    assert_near(y.baseline[14], 750, 750 * REL);
    assert_near(y.baseline[21], 750, 750 * REL);
}

Test(carbon, a_given_ef_cm_is_used_without_weights)
{
    /* ef_cm 0.7 for hydro in year 8: 0.7 x 1000 = 700 t, not reweighted. */
    gfin_carbon_in in = grid_cm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 0.7);
    yearly y;
    flat(&y, 8, 1000, 1000);
    run(&in, 8, &y);
    assert_near(y.baseline[0], 700, 700 * REL);
    assert_near(y.baseline[7], 700, 700 * REL);
}

Test(carbon, grid_factor_declines_from_the_first_operating_year)
{
    /* ef_cm 0.6, -1 %/yr, net 1000 MWh: 600, 600 x 0.99 = 594,
     * 600 x 0.9801 = 588.06, 600 x 0.970299 = 582.1794. */
    gfin_carbon_in in = grid_cm(GFIN_TECH_SOLAR, GFIN_CREDITING_RENEWABLE, 0.6);
    in.ef_change_per_year = -0.01;
    yearly y;
    flat(&y, 4, 1000, 1000);
    run(&in, 4, &y);
    assert_near(y.baseline[0], 600, 600 * REL);
    assert_near(y.baseline[1], 594, 594 * REL);
    assert_near(y.baseline[2], 588.06, 588.06 * REL);
    assert_near(y.baseline[3], 582.1794, 582.1794 * REL);
}

Test(carbon, grid_factor_change_compounds_across_the_weight_switch)
{
    /* Hydro, EF_OM 0.9, EF_BM 0.3, -1 %/yr, net 1000: year 8 = 0.45 x 0.99^7 x 1000.
     * 0.99^2 = 0.9801, ^4 = 0.96059601, ^6 = 0.941480149401, ^7 = 0.93206534790699;
     * x 450 = 419.4294065581455. */
    gfin_carbon_in in = grid_om_bm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 0.9, 0.3);
    in.ef_change_per_year = -0.01;
    yearly y;
    flat(&y, 8, 1000, 1000);
    run(&in, 8, &y);
    assert_near(y.baseline[7], 419.4294065581455, 419.4294065581455 * 1e-12);
}

/* ======================================================================== */
/* Reductions and crediting                                                 */
/* ======================================================================== */

Test(carbon, credited_year_boundaries)
{
    cr_assert_not(gfin__credited_year(GFIN_CREDITING_RENEWABLE, 0));
    cr_assert(gfin__credited_year(GFIN_CREDITING_RENEWABLE, 1));
    cr_assert(gfin__credited_year(GFIN_CREDITING_RENEWABLE, 21));
    cr_assert_not(gfin__credited_year(GFIN_CREDITING_RENEWABLE, 22));
    cr_assert(gfin__credited_year(GFIN_CREDITING_FIXED, 1));
    cr_assert(gfin__credited_year(GFIN_CREDITING_FIXED, 10));
    cr_assert_not(gfin__credited_year(GFIN_CREDITING_FIXED, 11));
    cr_assert_not(gfin__credited_year(GFIN_CREDITING_NONE, 1));
    cr_assert_not(gfin__credited_year((gfin_crediting)9, 1));
}

Test(carbon, renewable_credits_years_1_to_21_and_reports_reductions_after)
{
    /* ef_cm 0.6, PD 8, gross 1000, net 990: baseline 594, project 90, reductions
     * 504 every year; credited 504 in years 1..21, 0 in year 22. */
    gfin_carbon_in in = grid_cm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 0.6);
    in.power_density = 8;
    yearly y;
    flat(&y, 22, 1000, 990);
    run(&in, 22, &y);
    for (size_t i = 0; i < 22; ++i) {
        assert_near(y.baseline[i], 594, 594 * REL);
        assert_near(y.project[i], 90, 90 * REL);
        assert_near(y.reductions[i], 504, 504 * REL);
    }
    assert_near(y.credited[20], 504, 504 * REL);
    cr_assert_eq(y.credited[21], 0);
}

Test(carbon, fixed_credits_years_1_to_10)
{
    gfin_carbon_in in = grid_cm(GFIN_TECH_SOLAR, GFIN_CREDITING_FIXED, 0.6);
    yearly y;
    flat(&y, 11, 1000, 1000);
    run(&in, 11, &y);
    assert_near(y.credited[9], 600, 600 * REL);
    cr_assert_eq(y.credited[10], 0);
    assert_near(y.reductions[10], 600, 600 * REL);
}

/* ======================================================================== */
/* Refused inputs                                                           */
/* ======================================================================== */

Test(carbon, ef_cm_with_ef_om_or_ef_bm_is_refused)
{
    gfin_carbon_in in = grid_cm(GFIN_TECH_SOLAR, GFIN_CREDITING_RENEWABLE, 0.6);
    in.ef_om = 0.9;
    in.ef_bm = 0.3;
    assert_refused(&in, "ef_cm", "ef_om");
    in.ef_om = NAN;
    assert_refused(&in, "ef_cm", "ef_bm");
}

Test(carbon, ef_om_and_ef_bm_come_together)
{
    gfin_carbon_in in = grid_om_bm(GFIN_TECH_SOLAR, GFIN_CREDITING_RENEWABLE, 0.9, NAN);
    assert_refused(&in, "ef_bm", "is required when ef_om is given");
    in = grid_om_bm(GFIN_TECH_SOLAR, GFIN_CREDITING_RENEWABLE, NAN, 0.3);
    assert_refused(&in, "ef_om", "is required when ef_bm is given");
}

Test(carbon, no_grid_factor_is_refused)
{
    gfin_carbon_in in = grid_cm(GFIN_TECH_SOLAR, GFIN_CREDITING_RENEWABLE, NAN);
    assert_refused(&in, "ef_cm", "ef_om");
}

Test(carbon, emission_factors_above_2_or_negative_are_refused)
{
    gfin_carbon_in in = grid_cm(GFIN_TECH_SOLAR, GFIN_CREDITING_RENEWABLE, 2.5);
    assert_refused(&in, "ef_cm", "2.5 is above the maximum 2");
    in.ef_cm = -0.1;
    assert_refused(&in, "ef_cm", "below the minimum 0");
    in.ef_cm = INFINITY;
    assert_refused(&in, "ef_cm", "not a finite number");
    in = grid_om_bm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 2.01, 0.3);
    assert_refused(&in, "ef_om", NULL);
    in = grid_om_bm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 0.9, -INFINITY);
    assert_refused(&in, "ef_bm", NULL);
}

Test(carbon, impossible_grid_change_is_refused)
{
    gfin_carbon_in in = grid_cm(GFIN_TECH_SOLAR, GFIN_CREDITING_RENEWABLE, 0.6);
    in.ef_change_per_year = -1;
    assert_refused(&in, "ef_change_per_year", "must be greater than -1");
    in.ef_change_per_year = NAN;
    assert_refused(&in, "ef_change_per_year", NULL);
}

Test(carbon, bad_choices_and_densities_are_refused)
{
    gfin_carbon_in in = grid_cm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 0.6);
    in.crediting = (gfin_crediting)9;
    assert_refused(&in, "crediting", NULL);
    in = grid_cm((gfin_technology)9, GFIN_CREDITING_RENEWABLE, 0.6);
    assert_refused(&in, "technology", NULL);
    in = grid_cm(GFIN_TECH_HYDRO, GFIN_CREDITING_RENEWABLE, 0.6);
    in.power_density = INFINITY;
    assert_refused(&in, "power_density_w_m2", NULL);
    in = grid_cm(GFIN_TECH_SOLAR, GFIN_CREDITING_RENEWABLE, 0.6);
    in.power_density = 8;
    assert_refused(&in, "reservoir_area_km2", "hydro projects only");
}

Test(carbon, negative_or_non_finite_energy_is_refused)
{
    gfin_carbon_in in = grid_cm(GFIN_TECH_SOLAR, GFIN_CREDITING_RENEWABLE, 0.6);
    yearly y;
    flat(&y, 2, 1000, 1000);
    y.gross[1] = -1;
    gfin_error err = {0};
    cr_assert_eq(gfin__carbon_yearly(&in, 2, y.gross, y.net, y.baseline, y.project, y.reductions, y.credited,
                                     &y.not_applicable, &err), GFIN_EINVAL);
    cr_assert_str_eq(err.path, "gross_mwh");
    cr_assert(strstr(err.message, "operating year 2"), "%s", err.message);
    flat(&y, 2, 1000, 1000);
    y.net[0] = NAN;
    cr_assert_eq(gfin__carbon_yearly(&in, 2, y.gross, y.net, y.baseline, y.project, y.reductions, y.credited,
                                     &y.not_applicable, &err), GFIN_EINVAL);
    cr_assert_str_eq(err.path, "net_mwh");
}

Test(carbon, no_years_or_null_arguments_are_refused)
{
    gfin_carbon_in in = grid_cm(GFIN_TECH_SOLAR, GFIN_CREDITING_RENEWABLE, 0.6);
    yearly y;
    flat(&y, 1, 1000, 1000);
    gfin_error err = {0};
    cr_assert_eq(gfin__carbon_yearly(&in, 0, y.gross, y.net, y.baseline, y.project, y.reductions, y.credited,
                                     &y.not_applicable, &err), GFIN_EINVAL);
    cr_assert_str_eq(err.path, "operating_years");
    cr_assert_eq(gfin__carbon_yearly(NULL, 1, y.gross, y.net, y.baseline, y.project, y.reductions, y.credited,
                                     &y.not_applicable, NULL), GFIN_EINVAL);
    cr_assert_eq(gfin__carbon_yearly(&in, 1, y.gross, y.net, y.baseline, y.project, y.reductions, y.credited,
                                     NULL, NULL), GFIN_EINVAL);
}
