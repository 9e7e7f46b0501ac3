/* internal.h -- every private header of the library, for white-box tests.
 *
 * A module of lib/ includes only the private headers of the modules it may use
 * (docs/architecture.md; tests/layering checks it), so that a call against
 * the layering does not compile. This umbrella is for tests and tools that
 * look inside the library; a new module starts with the headers it needs. */
#ifndef GFIN_INTERNAL_H
#define GFIN_INTERNAL_H

#include "core.h"
#include "dates.h"
#include "params.h"
#include "table.h"
#include "result.h"
#include "tvm.h"
#include "loan.h"
#include "energy.h"
#include "carbon.h"
#include "reserves.h"
#include "project.h"
#include "fund.h"
#include "portfolio.h"

#endif /* GFIN_INTERNAL_H */
