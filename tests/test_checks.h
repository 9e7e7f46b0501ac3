/* test_checks.h -- assertions several Criterion suites share. */
#ifndef GFIN_TEST_CHECKS_H
#define GFIN_TEST_CHECKS_H

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "greenfin.h"

/* got within rel of want (absolute below magnitude 1). */
static inline void close_rel(double got, double want, double rel, const char *what)
{
    double tol = rel * fmax(1.0, fabs(want));
    cr_assert(fabs(got - want) <= tol, "%s: got %.17g, want %.17g", what, got, want);
}

/* A call refused with GFIN_EINVAL, its error at `path`, the message saying `words`. */
static inline void refused_at(gfin_status st, const gfin_error *e, const char *path, const char *words)
{
    cr_assert_eq(st, GFIN_EINVAL, "status %d (%s: %s)", st, e->path, e->message);
    cr_assert_str_eq(e->path, path, "path '%s' (message: %s)", e->path, e->message);
    cr_assert_not_null(strstr(e->message, words), "message '%s' lacks '%s'", e->message, words);
}

#endif /* GFIN_TEST_CHECKS_H */
