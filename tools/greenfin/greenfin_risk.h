/* greenfin_risk.h -- `greenfin risk` (greenfin_risk.c), called from
 * greenfin.c's main with its way of finding the bundled sample. */
#ifndef GREENFIN_RISK_H
#define GREENFIN_RISK_H

#include <stdbool.h>
#include <stddef.h>

int gf_risk_main(int argc, char **argv, bool (*locate_sample)(const char *argv0, char *path, size_t n));

#endif
