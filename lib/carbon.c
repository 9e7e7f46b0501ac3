/* carbon.c -- grid emission factor, baseline and project emissions, emission
 * reductions and crediting of a solar or hydro project.
 *
 * Sources:
 *  - CDM ACM0002 "Grid-connected electricity generation from renewable sources",
 *    version 22.0: baseline emissions BE_y = EG_PJ,y x EF_grid,CM,y (section
 *    "Baseline emissions"); project emissions of hydro plants with reservoirs
 *    PE_HP,y by power density PD = (Cap_PJ - Cap_BL) / (A_PJ - A_BL) in W/m2
 *    (section "Project emissions", emissions from water reservoirs of hydro
 *    power plants): PD > 10 W/m2 -> PE_HP,y = 0; 4 < PD <= 10 W/m2 ->
 *    PE_HP,y = EF_Res x TEG_y with the default EF_Res = 90 kgCO2e/MWh and TEG_y
 *    the total electricity generated (gross, own use included); the
 *    applicability conditions admit a hydro plant with a new or enlarged
 *    reservoir only when PD > 4 W/m2. No leakage is considered (LE_y = 0), and
 *    ER_y = BE_y - PE_y.
 *  - CDM methodological tool TOOL07 "Tool to calculate the emission factor for
 *    an electricity system", version 07.0, step 6 (combined margin):
 *    EF_grid,CM,y = w_OM x EF_grid,OM,y + w_BM x EF_grid,BM,y with w_OM = 0.75,
 *    w_BM = 0.25 for wind and solar in every crediting period, and for other
 *    projects w_OM = w_BM = 0.5 in the first crediting period and w_OM = 0.25,
 *    w_BM = 0.75 in the second and third.
 *
 * Conventions of greenfin (MODEL.md "Project"): operating years 1-7 are the first
 * crediting period, 8-14 the second, 15 and later the third ("renewable", 3 x 7
 * years; "none" follows the same calendar); "fixed" is one 10-year period, so
 * first-period weights throughout. The grid factor of operating year j is the
 * first year's times (1 + ef_change_per_year)^(j-1). Reductions are reported for
 * every operating year; credited tonnes only within the crediting period.
 */
#include "carbon.h"
#include "params.h"

#include <math.h>
#include <stdio.h>

#define EF_MAX_T_PER_MWH 2.0         /* above any fossil plant (lignite ~1.2-1.4) */
#define EF_RES_T_PER_MWH 0.090       /* ACM0002 default EF_Res = 90 kgCO2e/MWh */
#define PD_MIN_APPLICABLE_W_M2 4.0   /* ACM0002 applies to reservoirs with PD > 4 */
#define PD_NO_EMISSIONS_W_M2 10.0    /* PD > 10: no reservoir emissions */
#define CREDITING_PERIOD_YEARS 7     /* a renewable crediting period */
#define CREDITING_RENEWALS 3         /* renewable: at most 3 x 7 years */
#define CREDITING_FIXED_YEARS 10     /* fixed: one 10-year period */

/* An emission factor: 0 .. 2 tCO2e/MWh. */
static gfin_status check_ef(gfin_key key, double v, gfin_error *err)
{
    return gfin__check_range(gfin_key_name(key), gfin_key_unit(key), v, 0, false, EF_MAX_T_PER_MWH, false, err);
}

/* ---- crediting periods ---- */

/* The crediting period (1, 2, 3) whose TOOL07 weights apply in operating year j
 * (1-based): a fixed period is a first period throughout; "renewable" and "none"
 * count 7-year periods, and years after the third keep the third's weights. */
static int period_of_year(gfin_crediting c, size_t j)
{
    if (c == GFIN_CREDITING_FIXED)
        return 1;
    size_t p = (j - 1) / CREDITING_PERIOD_YEARS + 1;
    return p > CREDITING_RENEWALS ? CREDITING_RENEWALS : (int)p;
}

bool gfin__credited_year(gfin_crediting c, size_t j)
{
    if (j == 0)
        return false;
    switch (c) {
    case GFIN_CREDITING_RENEWABLE: return j <= (size_t)CREDITING_RENEWALS * CREDITING_PERIOD_YEARS;
    case GFIN_CREDITING_FIXED: return j <= CREDITING_FIXED_YEARS;
    case GFIN_CREDITING_NONE: return false;
    default: return false;
    }
}

/* ---- TOOL07 combined margin ---- */

/* TOOL07 v07.0 step 6 weights: the one place they live. false for an unknown
 * technology or a period outside 1..3. */
static bool cm_weights(gfin_technology tech, int period, double *w_om, double *w_bm)
{
    if (period < 1 || period > CREDITING_RENEWALS)
        return false;
    switch (tech) {
    case GFIN_TECH_SOLAR:   /* intermittent, non-dispatchable: the same in every period */
        *w_om = 0.75;
        *w_bm = 0.25;
        return true;
    case GFIN_TECH_HYDRO:   /* "all other projects" */
        *w_om = period == 1 ? 0.5 : 0.25;
        *w_bm = period == 1 ? 0.5 : 0.75;
        return true;
    default:
        return false;
    }
}

gfin_status gfin_combined_margin(gfin_technology tech, int crediting_period, double ef_om, double ef_bm,
                                 double *out)
{
    double w_om, w_bm;
    if (!out || !cm_weights(tech, crediting_period, &w_om, &w_bm) || check_ef(GFIN_GRID_EF_OM, ef_om, NULL) ||
        check_ef(GFIN_GRID_EF_BM, ef_bm, NULL))
        return GFIN_EINVAL;
    *out = w_om * ef_om + w_bm * ef_bm;
    return GFIN_OK;
}

/* ---- ACM0002 hydro reservoirs ---- */

gfin_status gfin_power_density_w_m2(double capacity_mw, double baseline_capacity_mw, double reservoir_area_km2,
                                    double baseline_area_km2, double *out)
{
    if (!out || !isfinite(capacity_mw) || !isfinite(baseline_capacity_mw) || !isfinite(reservoir_area_km2) ||
        !isfinite(baseline_area_km2))
        return GFIN_EINVAL;
    if (capacity_mw < 0 || baseline_capacity_mw < 0 || reservoir_area_km2 < 0 || baseline_area_km2 < 0)
        return GFIN_EINVAL;
    double added_area = reservoir_area_km2 - baseline_area_km2;
    if (!(added_area > 0))
        return GFIN_EINVAL;
    /* MW / km2 = 1e6 W / 1e6 m2 = W/m2 */
    double pd = (capacity_mw - baseline_capacity_mw) / added_area;
    if (!isfinite(pd))
        return GFIN_ERANGE;
    *out = pd;
    return GFIN_OK;
}

gfin_status gfin_reservoir_ef(double power_density_w_m2, double *out)
{
    if (!out || !isfinite(power_density_w_m2))
        return GFIN_EINVAL;
    if (power_density_w_m2 <= PD_MIN_APPLICABLE_W_M2)
        return GFIN_ENOTAPPLICABLE;
    *out = power_density_w_m2 <= PD_NO_EMISSIONS_W_M2 ? EF_RES_T_PER_MWH : 0.0;
    return GFIN_OK;
}

/* ---- yearly ---- */

/* ef_cm alone, or ef_om with ef_bm; each a possible emission factor. */
static gfin_status check_grid(const gfin_carbon_in *in, gfin_error *err)
{
    const char *cm = gfin_key_name(GFIN_GRID_EF_CM);
    const char *om = gfin_key_name(GFIN_GRID_EF_OM);
    const char *bm = gfin_key_name(GFIN_GRID_EF_BM);
    bool has_cm = !isnan(in->ef_cm), has_om = !isnan(in->ef_om), has_bm = !isnan(in->ef_bm);
    if (has_cm && (has_om || has_bm))
        return gfin__fail(err, GFIN_EINVAL, cm, "is given with %s: give %s, or %s and %s, not both",
                          has_om ? om : bm, cm, om, bm);
    if (!has_cm && has_om && !has_bm)
        return gfin__fail(err, GFIN_EINVAL, bm, "is required when %s is given", om);
    if (!has_cm && !has_om && has_bm)
        return gfin__fail(err, GFIN_EINVAL, om, "is required when %s is given", bm);
    if (!has_cm && !has_om)
        return gfin__fail(err, GFIN_EINVAL, cm, "is required (or %s and %s)", om, bm);
    gfin_status st;
    if (has_cm)
        st = check_ef(GFIN_GRID_EF_CM, in->ef_cm, err);
    else if ((st = check_ef(GFIN_GRID_EF_OM, in->ef_om, err)) == GFIN_OK)
        st = check_ef(GFIN_GRID_EF_BM, in->ef_bm, err);
    if (st)
        return st;
    /* A factor cannot fall by 100 % or more in a year; doubling every year is
     * already far beyond any grid. */
    return gfin__check_range(gfin_key_name(GFIN_GRID_EF_CHANGE_PER_YEAR), gfin_key_unit(GFIN_GRID_EF_CHANGE_PER_YEAR),
                             in->ef_change_per_year, -1, true, 1, false, err);
}

/* Every year's energy finite and >= 0. */
static gfin_status check_energy(const char *name, const double *mwh, size_t n, gfin_error *err)
{
    for (size_t i = 0; i < n; ++i) {
        if (isfinite(mwh[i]) && mwh[i] >= 0)
            continue;
        char vs[40];
        gfin__fmt_num(vs, sizeof vs, mwh[i]);
        return gfin__fail(err, GFIN_EINVAL, name, "%s MWh in operating year %zu is not a finite number >= 0", vs,
                          i + 1);
    }
    return GFIN_OK;
}

gfin_status gfin__carbon_yearly(const gfin_carbon_in *in, size_t n_years, const double *gross_mwh,
                                const double *net_mwh, double *baseline, double *project, double *reductions,
                                double *credited, bool *not_applicable, gfin_error *err)
{
    if (!in || !gross_mwh || !net_mwh || !baseline || !project || !reductions || !credited || !not_applicable)
        return gfin__fail(err, GFIN_EINVAL, "", "carbon input or output is NULL");
    if (n_years == 0)
        return gfin__fail(err, GFIN_EINVAL, gfin_key_name(GFIN_PROJECT_OPERATING_YEARS),
                          "0 is below the minimum 1 (years)");
    gfin_status st;
    if ((st = gfin__param_check(GFIN_PROJECT_TECHNOLOGY, (double)in->technology, err)) ||
        (st = gfin__param_check(GFIN_PROJECT_CREDITING, (double)in->crediting, err)))
        return st;
    st = check_grid(in, err);
    if (st)
        return st;
    if ((st = check_energy("gross_mwh", gross_mwh, n_years, err)) ||
        (st = check_energy("net_mwh", net_mwh, n_years, err)))
        return st;

    /* Reservoir emissions: hydro only, and only with an added reservoir (PD given). */
    double ef_res = 0;
    bool na = false;
    if (!isnan(in->power_density)) {
        if (in->technology != GFIN_TECH_HYDRO)
            return gfin__fail(err, GFIN_EINVAL, gfin_key_name(GFIN_PROJECT_RESERVOIR_AREA_KM2),
                              "applies to hydro projects only (a power density was given for a solar project)");
        st = gfin_reservoir_ef(in->power_density, &ef_res);
        if (st == GFIN_ENOTAPPLICABLE)
            na = true;
        else if (st)
            return gfin__fail(err, st, "power_density_w_m2", "is not a finite number");
    }

    /* The first year's combined margin of each crediting period's weights
     * (index = period - 1); ef_cm, when given, is used as is. */
    double cm_1[CREDITING_RENEWALS];
    for (int p = 1; p <= CREDITING_RENEWALS; ++p) {
        if (!isnan(in->ef_cm))
            cm_1[p - 1] = in->ef_cm;
        else if ((st = gfin_combined_margin(in->technology, p, in->ef_om, in->ef_bm, &cm_1[p - 1])))
            return gfin__fail(err, st, gfin_key_name(GFIN_GRID_EF_OM), "has no combined margin");  /* checked above */
    }

    for (size_t j = 1; j <= n_years; ++j) {
        size_t i = j - 1;
        /* Scaling EF_CM is scaling EF_OM and EF_BM: the combination is linear. */
        double ef_cm = cm_1[period_of_year(in->crediting, j) - 1] *
                       pow(1.0 + in->ef_change_per_year, (double)(j - 1));
        baseline[i] = net_mwh[i] * ef_cm;
        if (!isfinite(baseline[i]))   /* only with absurd energies; outputs are then partly written */
            return gfin__fail(err, GFIN_ERANGE, "net_mwh", "the baseline of operating year %zu is not representable",
                              j);
        if (na) {
            project[i] = reductions[i] = credited[i] = 0;
            continue;
        }
        project[i] = ef_res * gross_mwh[i];
        reductions[i] = baseline[i] - project[i];
        credited[i] = gfin__credited_year(in->crediting, j) ? reductions[i] : 0;
    }
    *not_applicable = na;
    return GFIN_OK;
}
