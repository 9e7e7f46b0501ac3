/* json.c -- JSON in: loans, projects and portfolios built from a document
 * that json_scan.c has checked and parsed, through the handles' own adders,
 * with the JSON path in every error. Results are written as JSON by
 * write_json.c, without cJSON.
 */
#include "loan.h"
#include "project.h"
#include "fund.h"
#include "portfolio.h"
#include "json.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

/* A loan object at `path`. */
static gfin_loan *loan_from(const cJSON *obj, const char *path, gfin_error *err)
{
    gfin_pstore s;
    gfin__pstore_init(&s, GFIN_OBJ_LOAN);
    gfin_loan *l = NULL;
    if (gfin__json_load_object(obj, &s, path, NULL, err) == GFIN_OK) {
        l = gfin__loan_from_store(&s);
        if (!l)
            gfin__fail(err, GFIN_ENOMEM, path, "out of memory");
    }
    gfin__pstore_clear(&s);
    return l;
}

/* An error of adding element `path` ("projects[0].loans[64]") to its owner:
 * one about the element names it; one about the array as a whole (its owner
 * reports it under the array's key, `key`: "a project takes at most 64 loans")
 * names the array, "projects[0].loans", not "projects[0].loans[64].loans". */
static void element_error(gfin_error *err, const char *path, const char *key)
{
    if (!err)
        return;
    if (strcmp(err->path, key) == 0) {
        const char *bracket = strrchr(path, '[');
        size_t n = bracket ? (size_t)(bracket - path) : strlen(path);
        if (n >= sizeof err->path)
            n = sizeof err->path - 1;
        memcpy(err->path, path, n);
        err->path[n] = '\0';
        return;
    }
    gfin__error_prefix(err, path);
}

static gfin_status add_loan(void *ctx, const cJSON *e, const char *path, gfin_error *err)
{
    gfin_loan *l = loan_from(e, path, err);
    if (!l)
        return err ? (gfin_status)err->code : GFIN_EINVAL;
    gfin_status st = gfin__project_adopt_loan(ctx, l, err);
    if (st)
        element_error(err, path, "loans");
    return st;
}

static const char *const PROJECT_STRUCT[] = {"grid", "debt_sizing", "loans", NULL};
static const char *const PROJECT_FILE_STRUCT[] = {"grid", "debt_sizing", "loans", "risk", NULL};

/* Routes the keys of a project object into its stores. */
static gfin_project *project_from(const cJSON *obj, const char *path, gfin_error *err)
{
    gfin_project *pr = gfin_project_new();
    if (!pr) {
        gfin__fail(err, GFIN_ENOMEM, path, "out of memory");
        return NULL;
    }
    gfin_pstore *p = gfin__project_store_mut(pr, GFIN_OBJ_PROJECT);
    gfin_pstore *grid = gfin__project_store_mut(pr, GFIN_OBJ_GRID);
    gfin_pstore *sizing = gfin__project_store_mut(pr, GFIN_OBJ_DEBT_SIZING);
    gfin_status st;
    if ((st = gfin__json_load_object(obj, p, path, *path ? PROJECT_STRUCT : PROJECT_FILE_STRUCT, err)) ||
        (st = gfin__json_load_sub(obj, "grid", grid, path, err)) ||
        (st = gfin__json_load_sub(obj, "debt_sizing", sizing, path, err)) ||
        (st = gfin__json_each_element(obj, "loans", path, pr, add_loan, err))) {
        gfin_project_free(pr);
        return NULL;
    }
    return pr;
}

gfin_loan *gfin_loan_from_json(const char *text, size_t len, gfin_error *err)
{
    cJSON *root = gfin__json_parse(text, len, err);
    if (!root)
        return NULL;
    gfin_loan *l = loan_from(root, "", err);
    cJSON_Delete(root);
    return l;
}

gfin_project *gfin_project_from_json(const char *text, size_t len, gfin_error *err)
{
    cJSON *root = gfin__json_parse(text, len, err);
    if (!root)
        return NULL;
    gfin_project *pr = project_from(root, "", err);
    const cJSON *risk = pr ? gfin__json_member(root, "risk") : NULL;
    if (risk && gfin__json_risk_check_project(risk, pr, err)) {
        gfin_project_free(pr);
        pr = NULL;
    }
    cJSON_Delete(root);
    return pr;
}

static gfin_status add_source(void *ctx, const cJSON *e, const char *path, gfin_error *err)
{
    gfin_pstore s;
    gfin__pstore_init(&s, GFIN_OBJ_SOURCE);
    gfin_status st = gfin__json_load_object(e, &s, path, NULL, err);
    if (!st && (st = gfin__fund_add_source_store(ctx, &s, err)))
        element_error(err, path, "sources");
    gfin__pstore_clear(&s);
    return st;
}

static gfin_status add_project(void *ctx, const cJSON *e, const char *path, gfin_error *err)
{
    gfin_project *pr = project_from(e, path, err);
    if (!pr)
        return err ? (gfin_status)err->code : GFIN_EINVAL;
    gfin_status st = gfin__portfolio_take_project(ctx, pr, err);
    if (st)
        gfin__error_prefix(err, path);
    return st;
}

static const char *const PORTFOLIO_STRUCT[] = {"format", "grid", "fund", "fx", "projects", "risk", NULL};
static const char *const FUND_STRUCT[] = {"sources", NULL};
#define FORMAT "greenfin/1"
#define FX_MAX_RATES 500 /* years of an fx path */

/* "fx": {"CNY": [rates by calendar year from start_year], ...}: the loans'
 * exchange-rate paths (docs/model.md "Loan currencies"). */
static gfin_status load_fx(const cJSON *root, gfin_portfolio *pf, gfin_error *err)
{
    const cJSON *fx = gfin__json_member(root, "fx");
    if (!fx)
        return GFIN_OK;
    if (!cJSON_IsObject(fx))
        return gfin__fail(err, GFIN_EINVAL, "fx", "expected an object {\"CNY\": [rates], ...}, got %s",
                          gfin__json_type_name(fx));
    for (const cJSON *c = fx->child; c; c = c->next) {
        char path[48];
        snprintf(path, sizeof path, "fx.%.20s", c->string);
        size_t n = 0;
        for (const cJSON *e = cJSON_IsArray(c) ? c->child : NULL; e; e = e->next)
            ++n;
        if (!n || n > FX_MAX_RATES)
            return gfin__fail(err, GFIN_EINVAL, path, "expected an array of 1 to %d rates (one per calendar year), got %s",
                              FX_MAX_RATES, cJSON_IsArray(c) ? (n ? "more" : "an empty array") : gfin__json_type_name(c));
        gfin_status st;
        double *vals = gfin__json_doubles(c, n, path, &st, err);
        if (vals)
            st = gfin_portfolio_set_fx(pf, c->string, vals, n, err);
        gfin__free(vals);
        if (st)
            return st;
    }
    return GFIN_OK;
}

/* "format": "greenfin/1", required: a file of another format (or version) is
 * refused before its content is read as this one. */
static gfin_status check_format(const cJSON *root, gfin_error *err)
{
    const cJSON *format = gfin__json_member(root, "format");
    if (!format)
        return gfin__fail(err, GFIN_EINVAL, "format", "is required (\"" FORMAT "\")");
    if (cJSON_IsString(format) && strcmp(format->valuestring, FORMAT) == 0)
        return GFIN_OK;
    bool str = cJSON_IsString(format);
    return gfin__fail(err, GFIN_EINVAL, "format", "%s%.40s%s is not supported (expected \"" FORMAT "\")",
                      str ? "\"" : "", str ? format->valuestring : gfin__json_type_name(format), str ? "\"" : "");
}

/* The optional "fund" object and its sources, handed to the portfolio. */
static gfin_status load_fund(const cJSON *root, gfin_portfolio *pf, gfin_error *err)
{
    const cJSON *f = gfin__json_member(root, "fund");
    if (!f)
        return GFIN_OK;
    gfin_fund *fund = gfin_fund_new();
    if (!fund)
        return gfin__fail(err, GFIN_ENOMEM, "fund", "out of memory");
    gfin_status st;
    if ((st = gfin__json_load_object(f, gfin__fund_store_mut(fund), "fund", FUND_STRUCT, err)) ||
        (st = gfin__json_each_element(f, "sources", "fund", fund, add_source, err))) {
        gfin_fund_free(fund);
        return st;
    }
    gfin__portfolio_take_fund(pf, fund);
    return GFIN_OK;
}

/* The keys of a portfolio file into `pf`, in the order its messages promise:
 * unknown keys first, then the format, then the content. */
static gfin_status load_portfolio(const cJSON *root, gfin_portfolio *pf, gfin_error *err)
{
    gfin_status st;
    if ((st = gfin__json_load_object(root, gfin__portfolio_store_mut(pf, GFIN_OBJ_PORTFOLIO), "", PORTFOLIO_STRUCT,
                                     err)) ||
        (st = check_format(root, err)) ||
        (st = gfin__json_load_sub(root, "grid", gfin__portfolio_store_mut(pf, GFIN_OBJ_GRID), "", err)) ||
        (st = load_fx(root, pf, err)) || (st = load_fund(root, pf, err)))
        return st;
    if (!gfin__json_member(root, "projects"))
        return gfin__fail(err, GFIN_EINVAL, "projects", "is required (an array of projects)");
    if ((st = gfin__json_each_element(root, "projects", "", pf, add_project, err)) ||
        (st = gfin_portfolio_validate(pf, err)))
        return st;
    const cJSON *risk = gfin__json_member(root, "risk");
    return risk ? gfin__json_risk_check(risk, pf, err) : GFIN_OK;
}

gfin_portfolio *gfin_portfolio_from_json(const char *text, size_t len, gfin_error *err)
{
    cJSON *root = gfin__json_parse(text, len, err);
    if (!root)
        return NULL;
    gfin_portfolio *pf = gfin_portfolio_new();
    gfin_status st = pf ? load_portfolio(root, pf, err) : gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    cJSON_Delete(root);
    if (st) {
        gfin_portfolio_free(pf);
        return NULL;
    }
    return pf;
}
