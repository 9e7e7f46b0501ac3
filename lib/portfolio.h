/* portfolio.h -- portfolio internals (portfolio.c) used by json. */
#ifndef GFIN_PORTFOLIO_H
#define GFIN_PORTFOLIO_H

#include "params.h"

gfin_pstore *gfin__portfolio_store_mut(gfin_portfolio *pf, gfin_object obj);
/* Appends a project the portfolio takes over (freed on failure); duplicate ids
 * are refused with err->path "id". */
gfin_status gfin__portfolio_take_project(gfin_portfolio *pf, gfin_project *project, gfin_error *err);
gfin_status gfin__portfolio_take_fund(gfin_portfolio *pf, gfin_fund *fund);

#endif /* GFIN_PORTFOLIO_H */
