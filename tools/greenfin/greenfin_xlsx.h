/* greenfin_xlsx.h -- the `greenfin` command's Excel output (--format xlsx), written
 * with libxlsxwriter. Private to the command; it uses only the public API. */
#ifndef GREENFIN_XLSX_H
#define GREENFIN_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "greenfin.h"

/* The evaluated inputs, for the names and key assumptions the result does not
 * carry: exactly one of them is set. */
typedef struct gf_xlsx_inputs {
    const gfin_loan *loan;
    const gfin_project *project;
    const gfin_portfolio *portfolio;
} gf_xlsx_inputs;

/* False when the command was built without libxlsxwriter. */
bool gf_xlsx_available(void);

/* Writes one workbook to `path`: a Summary sheet (the metrics with their
 * descriptions and units, the key assumptions, the warnings), one sheet per
 * table (children's tables stacked with their ids and names), the children's
 * metrics and inputs. On failure returns GFIN_EIO or GFIN_ENOMEM with the
 * reason in `message`. */
gfin_status gf_xlsx_write(const char *path, const gfin_result *r, const gf_xlsx_inputs *in, char *message,
                          size_t n);

/* Rows of one sheet (Excel's limit): a risk workbook's samples sheet holds
 * count + 2 of them. */
#define GF_XLSX_MAX_ROWS 1048576u

/* The risk workbook of `greenfin risk` (greenfin_xlsx_risk.c): a Summary
 * sheet (the run: scenarios, seed, block, threads, thresholds; the headline
 * figures: q10/q50/q90 of the portfolio's metrics and its probabilities; the
 * experiment's inputs read back from `rk`: uncertainties with their
 * distributions, factors, correlations, cases, sensitivity entries; the
 * warnings) and one sheet per table of `r` (statistics, probabilities,
 * sensitivity, cases, samples when kept), scopes by id and by name (from
 * `pf`). Errors as gf_xlsx_write; GFIN_EINVAL when the samples do not fit a
 * sheet. */
gfin_status gf_xlsx_write_risk(const char *path, const gfin_risk_result *r, const gfin_risk *rk,
                               const gfin_portfolio *pf, int threads, char *message, size_t n);

#endif /* GREENFIN_XLSX_H */
