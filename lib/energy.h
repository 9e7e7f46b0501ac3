/* energy.h -- yearly energy of one plant (energy.c), used by project. */
#ifndef GFIN_ENERGY_H
#define GFIN_ENERGY_H

#include "core.h"

#define GFIN_P90_Z 1.2816

/* Yearly energy of the operating years 1..n_years (index 0 = operating year 1),
 * P50 (the P90 scale is applied by the caller). */
typedef struct gfin_energy_in {
    gfin_technology technology;
    double capacity_mw;
    double specific_yield;       /* kWh/kWp, NaN when unset */
    double capacity_factor;      /* NaN when unset */
    const double *monthly_flow;  /* monthly_flow_len values (12 required), or NULL */
    size_t monthly_flow_len;
    double head_m, efficiency;
    double availability, losses, own_use, degradation;
} gfin_energy_in;
/* gross/net per operating year. Validates the combination (exactly one source of
 * energy, flows with head, ...) with the key as path. */
gfin_status gfin__energy_yearly(const gfin_energy_in *in, size_t n_years, double *gross_mwh, double *net_mwh,
                                gfin_error *err);


#endif /* GFIN_ENERGY_H */
