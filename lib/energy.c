/* energy.c -- annual generation of solar and hydro plants (MODEL.md "Project").
 *
 * Ideal first-year energy, from exactly one source:
 *   solar:  capacity_mw x specific_yield_kwh_per_kwp   (MWp x kWh/kWp = MWh)
 *   either: capacity_mw x 8760 x capacity_factor
 *   hydro:  sum over months m of min(P(Q_m), capacity_mw) x days_m x 24,
 *           P(Q) = rho g Q H eta (a 365-day year, as the 8760 h above)
 * then gross_1 = ideal x availability x (1 - losses), net_1 = gross_1 x (1 - own_use),
 * and operating year j has gross_1 and net_1 times (1 - degradation)^(j-1).
 * The P90 scale is the caller's (project.c), not applied here.
 *
 * Validation here is physical (a capacity factor above 1 cannot be); the
 * registry's bounds are the policy for values set by key and may be tighter.
 */
#include "energy.h"
#include "params.h"

#include <math.h>
#include <stdio.h>

#define RHO_WATER_KG_M3 1000.0
#define G_M_S2 9.81
#define W_PER_MW 1e6
#define HOURS_PER_YEAR 8760.0   /* 365 days: the year the flow months add up to */

/* Days of the months of a 365-day year, January first. */
static const int k_month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* The same for a key of the registry: its name is the path, its unit is named. */
static gfin_status check_key(gfin_key key, double v, double lo, bool lo_excl, double hi, bool hi_excl,
                             gfin_error *err)
{
    return gfin__check_range(gfin_key_name(key), gfin_key_unit(key), v, lo, lo_excl, hi, hi_excl, err);
}

/* ---- hydro power: one formula for the public function and the flow months ---- */

/* head in (0, inf), efficiency in (0, 1]: the plant, independent of the flow. */
static gfin_status check_hydro_plant(double head_m, double efficiency, gfin_error *err)
{
    gfin_status st = check_key(GFIN_PROJECT_HEAD_M, head_m, 0, true, INFINITY, false, err);
    if (st)
        return st;
    return check_key(GFIN_PROJECT_EFFICIENCY, efficiency, 0, true, 1, false, err);
}

/* P = rho g Q H eta, in MW (rho = 1000 kg/m3, g = 9.81 m/s2). */
static double hydro_power_mw(double flow_m3s, double head_m, double efficiency)
{
    return RHO_WATER_KG_M3 * G_M_S2 * flow_m3s * head_m * efficiency / W_PER_MW;
}

gfin_status gfin_hydro_power_mw(double flow_m3s, double head_m, double efficiency, double *out)
{
    if (!out)
        return GFIN_EINVAL;
    if (gfin__check_range("flow_m3s", "m3/s", flow_m3s, 0, false, INFINITY, false, NULL) ||
        check_hydro_plant(head_m, efficiency, NULL))
        return GFIN_EINVAL;
    double p = hydro_power_mw(flow_m3s, head_m, efficiency);
    if (!isfinite(p))
        return GFIN_ERANGE;
    *out = p;
    return GFIN_OK;
}

/* ---- the source of energy ---- */

/* Exactly one source of energy fitting the technology, each value physically
 * possible. */
static gfin_status check_source(const gfin_energy_in *in, gfin_error *err)
{
    const char *sy_name = gfin_key_name(GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP);
    const char *cf_name = gfin_key_name(GFIN_PROJECT_CAPACITY_FACTOR);
    const char *q_name = gfin_key_name(GFIN_PROJECT_MONTHLY_FLOW_M3S);
    const char *head_name = gfin_key_name(GFIN_PROJECT_HEAD_M);
    bool solar = in->technology == GFIN_TECH_SOLAR;
    bool has_sy = !isnan(in->specific_yield);
    bool has_cf = !isnan(in->capacity_factor);
    bool has_q = in->monthly_flow != NULL;

    if (solar && has_q)
        return gfin__fail(err, GFIN_EINVAL, q_name, "applies to hydro projects only");
    if (!solar && has_sy)
        return gfin__fail(err, GFIN_EINVAL, sy_name, "applies to solar projects only");
    if (has_cf && (has_sy || has_q))
        return gfin__fail(err, GFIN_EINVAL, cf_name, "is given with %s: give one source of energy",
                          has_sy ? sy_name : q_name);
    if (!has_sy && !has_cf && !has_q) {
        if (solar)
            return gfin__fail(err, GFIN_EINVAL, cf_name, "is required for a solar project (or %s)", sy_name);
        return gfin__fail(err, GFIN_EINVAL, cf_name, "is required for a hydro project (or %s with %s)", q_name,
                          head_name);
    }

    if (has_sy)   /* the registry's cap: no site on Earth yields more */
        return gfin__param_check(GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP, in->specific_yield, err);
    if (has_cf)
        return check_key(GFIN_PROJECT_CAPACITY_FACTOR, in->capacity_factor, 0, true, 1, false, err);

    size_t n = in->monthly_flow_len;
    if (n != 12)
        return gfin__fail(err, GFIN_EINVAL, q_name, "has %zu values; 12 monthly flows are required", n);
    for (size_t m = 0; m < 12; ++m) {
        char path[64];
        snprintf(path, sizeof path, "%s[%zu]", q_name, m);
        gfin_status st = gfin__check_range(path, gfin_key_unit(GFIN_PROJECT_MONTHLY_FLOW_M3S), in->monthly_flow[m], 0,
                                     false, INFINITY, false, err);
        if (st)
            return st;
    }
    if (isnan(in->head_m))
        return gfin__fail(err, GFIN_EINVAL, head_name, "is required when %s is given", q_name);
    return check_hydro_plant(in->head_m, in->efficiency, err);
}

/* Ideal first-year energy, MWh, of a checked input. */
static double ideal_mwh(const gfin_energy_in *in)
{
    if (!isnan(in->specific_yield))
        return in->capacity_mw * in->specific_yield;   /* MWp x kWh/kWp = MWh */
    if (!isnan(in->capacity_factor))
        return in->capacity_mw * HOURS_PER_YEAR * in->capacity_factor;
    double mwh = 0;
    for (size_t m = 0; m < 12; ++m) {
        double p = hydro_power_mw(in->monthly_flow[m], in->head_m, in->efficiency);
        mwh += fmin(p, in->capacity_mw) * k_month_days[m] * 24.0;   /* the turbines cap the power */
    }
    return mwh;
}

gfin_status gfin__energy_yearly(const gfin_energy_in *in, size_t n_years, double *gross_mwh, double *net_mwh,
                                gfin_error *err)
{
    if (!in || !gross_mwh || !net_mwh)
        return gfin__fail(err, GFIN_EINVAL, "", "energy input or output is NULL");
    if (n_years == 0)
        return gfin__fail(err, GFIN_EINVAL, gfin_key_name(GFIN_PROJECT_OPERATING_YEARS),
                          "0 is below the minimum 1 (years)");
    gfin_status st;
    if ((st = gfin__param_check(GFIN_PROJECT_TECHNOLOGY, (double)in->technology, err)) ||
        (st = check_key(GFIN_PROJECT_CAPACITY_MW, in->capacity_mw, 0, true, INFINITY, false, err)) ||
        (st = check_key(GFIN_PROJECT_AVAILABILITY, in->availability, 0, true, 1, false, err)) ||
        (st = check_key(GFIN_PROJECT_LOSSES, in->losses, 0, false, 1, true, err)) ||
        (st = check_key(GFIN_PROJECT_OWN_USE, in->own_use, 0, false, 1, true, err)) ||
        (st = check_key(GFIN_PROJECT_DEGRADATION, in->degradation, 0, false, 1, true, err)) ||
        (st = check_source(in, err)))
        return st;

    double gross_1 = ideal_mwh(in) * in->availability * (1.0 - in->losses);
    if (!isfinite(gross_1))
        return gfin__fail(err, GFIN_ERANGE, gfin_key_name(GFIN_PROJECT_CAPACITY_MW),
                          "the annual energy is not representable");
    for (size_t j = 1; j <= n_years; ++j) {
        double gross = gross_1 * pow(1.0 - in->degradation, (double)(j - 1));
        gross_mwh[j - 1] = gross;
        net_mwh[j - 1] = gross * (1.0 - in->own_use);
    }
    return GFIN_OK;
}
