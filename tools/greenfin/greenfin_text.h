/* greenfin_text.h -- the `greenfin` command's text output (aligned tables for a
 * human reader). Private to the command; it uses only the public API. */
#ifndef GREENFIN_TEXT_H
#define GREENFIN_TEXT_H

#include <stdio.h>

#include "greenfin.h"

/* Each writes one result to `f`. GFIN_ENOMEM when a table cannot be laid
 * out; errors writing to `f` are left for the caller (ferror). */
gfin_status gf_text_loan(FILE *f, const gfin_result *loan);
gfin_status gf_text_project(FILE *f, const gfin_result *project);
/* `pf` is the evaluated portfolio: its currency, fund name and the projects'
 * technologies, which the result does not carry. */
gfin_status gf_text_report(FILE *f, const gfin_result *report, const gfin_portfolio *pf);

#endif /* GREENFIN_TEXT_H */
