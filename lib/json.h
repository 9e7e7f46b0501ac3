/* json.h -- what json.c shares with json_risk.c (the other module that reads
 * JSON documents): the checked parse and small readers, and the risk loader
 * that json.c calls for a file's `risk` object. */
#ifndef GFIN_JSON_H
#define GFIN_JSON_H

#include "core.h"

#include <cjson/cJSON.h>

/* The document after the syntax pre-check (size, depth, UTF-8), or NULL with
 * err filled; freed with cJSON_Delete. */
cJSON *gfin__json_parse(const char *text, size_t len, gfin_error *err);
/* "a number", "a string", ... for messages. */
const char *gfin__json_type_name(const cJSON *v);
/* The member `key` of an object, NULL when absent. */
const cJSON *gfin__json_member(const cJSON *obj, const char *key);

/* json_risk.c: the `risk` object of a file, loaded and checked against the
 * portfolio (or the project, read as a portfolio of one), then dropped;
 * errors start at "risk". */
gfin_status gfin__json_risk_check(const cJSON *risk, const gfin_portfolio *pf, gfin_error *err);
gfin_status gfin__json_risk_check_project(const cJSON *risk, const gfin_project *project, gfin_error *err);

#endif /* GFIN_JSON_H */
