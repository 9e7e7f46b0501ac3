/* impact.h -- impact reporting of a portfolio (impact.c): ICMA's core
 * indicators for renewable energy in one reporting year, used by portfolio. */
#ifndef GFIN_IMPACT_H
#define GFIN_IMPACT_H

#include "result.h"

/* Adds the table "impact" and the impact_* metrics of the portfolio `pf`, whose
 * projects' results are results[0..n) in order, to `out`. GFIN_ENOMEM. */
gfin_status gfin__impact_add(const gfin_portfolio *pf, gfin_result *const *results, gfin_result *out);

#endif /* GFIN_IMPACT_H */
