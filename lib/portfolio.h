/* portfolio.h -- portfolio internals (portfolio.c) used by json. */
#ifndef GFIN_PORTFOLIO_H
#define GFIN_PORTFOLIO_H

#include "params.h"
#include "project.h"

gfin_pstore *gfin__portfolio_store_mut(gfin_portfolio *pf, gfin_object obj);
const gfin_pstore *gfin__portfolio_store(const gfin_portfolio *pf, gfin_object obj);
/* Appends a project the portfolio takes over (freed on failure); duplicate ids
 * are refused with err->path "id". */
gfin_status gfin__portfolio_take_project(gfin_portfolio *pf, gfin_project *project, gfin_error *err);
gfin_status gfin__portfolio_take_fund(gfin_portfolio *pf, gfin_fund *fund);
/* A deep copy (NULL when out of memory), and the parts a caller may change in
 * place (not the projects' ids: the portfolio indexes them). */
gfin_portfolio *gfin__portfolio_copy(const gfin_portfolio *pf);
gfin_project *gfin__portfolio_project_mut(gfin_portfolio *pf, size_t i);   /* NULL past the end */
gfin_fund *gfin__portfolio_fund_mut(gfin_portfolio *pf);                    /* NULL without a fund */
const gfin_fx *gfin__portfolio_fx(const gfin_portfolio *pf);                /* its fx paths (maybe none) */
/* gfin_portfolio_evaluate with, per project i, `projects[i]` evaluated in
 * place of the portfolio's own when not NULL (same id, technology and loan
 * lenders) and hooks[i] passed to it (both arrays optional, of project_count
 * entries). */
gfin_status gfin__portfolio_evaluate_ex(const gfin_portfolio *pf, int threads, const gfin_project *const *projects,
                                        const gfin_project_hooks *hooks, gfin_result **out, gfin_error *err);

#endif /* GFIN_PORTFOLIO_H */
