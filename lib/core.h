/* core.h -- the bottom of the library (core.c): allocation through the hook, the
 * error record, messages. Every module may include it; it includes only the public
 * header and libc. */
#ifndef GFIN_CORE_H
#define GFIN_CORE_H

#include "greenfin.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
#  define GFIN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#  define GFIN_PRINTF(a, b)
#endif

/* ---- memory: everything goes through the allocator hook ---- */
void *gfin__malloc(size_t size);
void *gfin__calloc(size_t n, size_t size);   /* checks n * size for overflow */
void *gfin__realloc(void *ptr, size_t size);
void gfin__free(void *ptr);
char *gfin__strdup(const char *s);
/* Whether the allocator is malloc/realloc/free (no hook set). */
bool gfin__allocator_is_default(void);
/* Appends to a growing array of `elem` bytes; *cap doubles. GFIN_ENOMEM. */
gfin_status gfin__grow(void **arr, size_t *cap, size_t need, size_t elem);

/* ---- errors ---- */
/* Fills err (if not NULL) and returns code. path may be NULL. */
gfin_status gfin__fail(gfin_error *err, gfin_status code, const char *path, const char *fmt, ...)
    GFIN_PRINTF(4, 5);
/* Prefixes err->path with `prefix` ("loans[1]"), joining with '.' (or nothing
 * when the path starts with '['). */
void gfin__error_prefix(gfin_error *err, const char *prefix);
/* Refuses v outside [lo, hi] (an end excluded when *_excl) or not finite, in
 * the registry's wording: "-0.5 is below the minimum 0 (fraction/year)". */
gfin_status gfin__check_range(const char *path, const char *unit, double v, double lo, bool lo_excl, double hi,
                              bool hi_excl, gfin_error *err);
/* Shortest decimal form of a number for messages ("0.05", "-0.5", "1e+308"):
 * gfin__dtoa cut to n bytes. */
void gfin__fmt_num(char *buf, size_t n, double v);

/* ---- numbers as text (dtoa.c) ---- */
#define GFIN_DTOA_BUF 32
/* The shortest text that reads back as v, in the writers' one form: whole
 * numbers below 1e15 as "%.0f", others as the first of "%.15g", "%.16g",
 * "%.17g" (from "%.1g" for subnormals) that reads back, "NaN", "Infinity",
 * "-Infinity"; '.' whatever the locale. NUL-terminated; returns the length.
 * Thread-safe. */
size_t gfin__dtoa(char buf[GFIN_DTOA_BUF], double v);
/* The same text by printf and strtod: the definition, for tests. */
size_t gfin__dtoa_reference(char buf[GFIN_DTOA_BUF], double v);
/* Bounded string copy (always NUL-terminated). */
void gfin__strlcpy(char *dst, const char *src, size_t n);
/* The nearest of `names` to `word` if near enough to be a likely typo
 * (Levenshtein distance at most a third of its length, and 3), else NULL. */
const char *gfin__nearest_name(const char *word, const char *const *names, size_t n);

#endif /* GFIN_CORE_H */
