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

#endif /* GREENFIN_XLSX_H */
