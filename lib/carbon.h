/* carbon.h -- ACM0002/TOOL07 yearly carbon of one plant (carbon.c), used by project. */
#ifndef GFIN_CARBON_H
#define GFIN_CARBON_H

#include "core.h"

typedef struct gfin_carbon_in {
    gfin_technology technology;
    gfin_crediting crediting;
    double ef_cm, ef_om, ef_bm;  /* ef_cm NaN when OM/BM are used, and the reverse */
    double ef_change_per_year;
    double power_density;        /* NaN when no reservoir is added */
} gfin_carbon_in;
/* Per operating year j (index j-1): baseline, project emissions, reductions,
 * credited tonnes, from gross and net MWh. *not_applicable is set when ACM0002
 * does not apply (PD <= 4): then project/reductions/credited are 0. */
gfin_status gfin__carbon_yearly(const gfin_carbon_in *in, size_t n_years, const double *gross_mwh,
                                const double *net_mwh, double *baseline, double *project, double *reductions,
                                double *credited, bool *not_applicable, gfin_error *err);
/* Whether operating year j (1-based) is in the crediting period. */
bool gfin__credited_year(gfin_crediting c, size_t j);

#endif /* GFIN_CARBON_H */
