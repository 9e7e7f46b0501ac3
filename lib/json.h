/* json.h -- the JSON module's own interface: what the scanner (json_scan.c)
 * gives the loaders (json.c, json_risk.c): the checked parse and the readers
 * of the tree, which name the JSON path of what they refuse; and the risk
 * loader that json.c calls for a file's `risk` object. Nothing outside the
 * JSON module includes it (cJSON stays inside). */
#ifndef GFIN_JSON_H
#define GFIN_JSON_H

#include "core.h"
#include "params.h"

#include <cjson/cJSON.h>

/* ---- json_scan.c: text to tree ---- */

/* The document after the syntax pre-check (size, depth, UTF-8), or NULL with
 * err filled; freed with cJSON_Delete. */
cJSON *gfin__json_parse(const char *text, size_t len, gfin_error *err);

/* ---- json_scan.c: reading the tree ---- */

/* "a number", "a string", ... for messages. */
const char *gfin__json_type_name(const cJSON *v);
/* The member `key` of an object, NULL when absent. */
const cJSON *gfin__json_member(const cJSON *obj, const char *key);
/* "path.key" (or "key" at the root) into out[n]. */
void gfin__json_join(char *out, size_t n, const char *path, const char *key);

/* A finite number; errors name `name`, or `name[index]` for an array element
 * (index != GFIN_JSON_NO_INDEX). */
#define GFIN_JSON_NO_INDEX ((size_t)-1)
gfin_status gfin__json_double(const cJSON *v, const char *name, size_t index, double *out, gfin_error *err);
/* One of names[0..n) by string, *out its index; at names it in the error,
 * with the list and a near miss suggested. */
gfin_status gfin__json_choice(const cJSON *v, const char *at, const char *const *names, size_t n, int *out,
                              gfin_error *err);
/* The first n elements of array `arr` as finite numbers, in a new array the
 * caller frees with gfin__free; NULL with *st set (and err filled, naming
 * `name[i]`) when one is not a number or memory runs out. */
double *gfin__json_doubles(const cJSON *arr, size_t n, const char *name, gfin_status *st, gfin_error *err);

/* Loads the registry keys of object `obj` (at `path`) into `s` through its
 * validated setters; the keys listed in `structural` (NULL-terminated, may be
 * NULL) are left to the caller. Unknown keys are refused with the nearest
 * valid name, each key at most once. */
gfin_status gfin__json_load_object(const cJSON *obj, gfin_pstore *s, const char *path,
                                   const char *const *structural, gfin_error *err);
/* gfin__json_load_object on the member object `key` of `obj`, if present. */
gfin_status gfin__json_load_sub(const cJSON *obj, const char *key, gfin_pstore *s, const char *path,
                                gfin_error *err);
/* Calls `each` for every element of the array member `key` of `obj` (if
 * present), with the element's path ("path.key[i]"); stops at the first error. */
typedef gfin_status (*gfin_json_element_fn)(void *ctx, const cJSON *e, const char *path, gfin_error *err);
gfin_status gfin__json_each_element(const cJSON *obj, const char *key, const char *path, void *ctx,
                                    gfin_json_element_fn each, gfin_error *err);

/* ---- json_risk.c ---- */

/* The `risk` object of a file, loaded and checked against the portfolio (or
 * the project, read as a portfolio of one), then dropped; errors start at
 * "risk". */
gfin_status gfin__json_risk_check(const cJSON *risk, const gfin_portfolio *pf, gfin_error *err);
gfin_status gfin__json_risk_check_project(const cJSON *risk, const gfin_project *project, gfin_error *err);

#endif /* GFIN_JSON_H */
