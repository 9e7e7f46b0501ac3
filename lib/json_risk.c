/* json_risk.c -- the `risk` object of a portfolio or project file
 * (docs/model.md "Risk"), loaded through the experiment's C API, with the
 * JSON path in every error ("risk.uncertainties[2].distribution.sd") and the
 * nearest name suggested for an unknown key. The document is parsed and
 * read with json_scan.c's readers (json.h). */
#include "json.h"
#include "risk_plan.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The keys each object takes, for refusals and suggestions. */
static const char *const RISK_KEYS[] = {"scenarios", "seed", "covenant_dscr", "hurdle_equity_irr", "cases",
                                        "sensitivity", "uncertainties", "factors", "correlations", NULL};
static const char *const CHANGE_KEYS[] = {"key", "apply", "projects", "technology", "lenders", "years", "currency",
                                          "name", NULL};
static const char *const DIST_KEYS[] = {"type", "mean", "sd", "min", "mode", "max", "lower", "upper", "values",
                                        "weights", NULL};
static const char *const CASE_KEYS[] = {"name", "changes", NULL};
static const char *const FACTOR_KEYS[] = {"per", "autocorrelation", NULL};

/* Refuses keys of obj that are not in `allowed` (nor in `extra`), and
 * duplicates. */
static gfin_status check_keys(const cJSON *obj, const char *path, const char *const *allowed,
                              const char *const *extra, gfin_error *err)
{
    char at[200];
    if (!cJSON_IsObject(obj))
        return gfin__fail(err, GFIN_EINVAL, path, "expected an object, got %s", gfin__json_type_name(obj));
    for (const cJSON *c = obj->child; c; c = c->next) {
        bool known = false;
        for (size_t i = 0; allowed[i] && !known; ++i)
            known = strcmp(allowed[i], c->string) == 0;
        for (size_t i = 0; extra && extra[i] && !known; ++i)
            known = strcmp(extra[i], c->string) == 0;
        snprintf(at, sizeof at, "%s.%s", path, c->string);
        if (!known) {
            const char *names[32];
            size_t n = 0;
            for (size_t i = 0; allowed[i]; ++i)
                names[n++] = allowed[i];
            for (size_t i = 0; extra && extra[i]; ++i)
                names[n++] = extra[i];
            const char *near = gfin__nearest_name(c->string, names, n);
            return near ? gfin__fail(err, GFIN_EINVAL, at, "unknown key '%.64s' (did you mean '%s'?)", c->string, near)
                        : gfin__fail(err, GFIN_EINVAL, at, "unknown key '%.64s'", c->string);
        }
        for (const cJSON *d = obj->child; d != c; d = d->next)
            if (strcmp(d->string, c->string) == 0)
                return gfin__fail(err, GFIN_EINVAL, at, "duplicate key '%.64s'", c->string);
    }
    return GFIN_OK;
}

static gfin_status number_at(const cJSON *v, const char *path, const char *key, double *out, gfin_error *err)
{
    char at[sizeof err->path];
    gfin__json_join(at, sizeof at, path, key);
    return gfin__json_double(v, at, GFIN_JSON_NO_INDEX, out, err);
}

static gfin_status string_at(const cJSON *v, const char *at, const char **out, gfin_error *err)
{
    if (!cJSON_IsString(v))
        return gfin__fail(err, GFIN_EINVAL, at, "expected a string, got %s", gfin__json_type_name(v));
    *out = v->valuestring;
    return GFIN_OK;
}

static const char *const APPLY_NAMES[] = {"scale", "add", "set"};
static const char *const PER_NAMES[] = {"scenario", "year"};
static const char *const TECH_NAMES[] = {"solar", "hydro"};
static const char *const TYPE_NAMES[] = {"normal", "lognormal", "uniform", "triangular", "pert", "discrete"};

/* A change's "years": [first, last] calendar years (at: its path). */
static gfin_status years_from(gfin_risk_change *c, const cJSON *v, const char *at, const char *path, gfin_error *err)
{
    double y[2];
    gfin_status st = GFIN_OK;
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 || !cJSON_IsNumber(v->child) ||
        !cJSON_IsNumber(v->child->next))
        st = gfin__fail(err, GFIN_EINVAL, at, "expected [first, last] calendar years");
    else if ((y[0] = v->child->valuedouble, y[1] = v->child->next->valuedouble, y[0] != floor(y[0])) ||
             y[1] != floor(y[1]))
        st = gfin__fail(err, GFIN_EINVAL, at, "calendar years are whole numbers");
    else if (fabs(y[0]) > 1e6 || fabs(y[1]) > 1e6 || (st = gfin_risk_change_set_years(c, (int)y[0], (int)y[1], err))) {
        if (!st)
            st = gfin__fail(err, GFIN_EINVAL, at, "[%g, %g] is not a range of calendar years", y[0], y[1]);
        else
            gfin__error_prefix(err, path);
    }
    return st;
}

/* A change object at `path` (its value keys, listed in `extra`, are the caller's). */
static gfin_risk_change *change_from(const cJSON *obj, const char *path, const char *const *extra, gfin_error *err)
{
    char at[200];
    if (check_keys(obj, path, CHANGE_KEYS, extra, err))
        return NULL;
    const cJSON *key = gfin__json_member(obj, "key"), *apply = gfin__json_member(obj, "apply");
    snprintf(at, sizeof at, "%s.key", path);
    if (!key) {
        gfin__fail(err, GFIN_EINVAL, at, "is required (a project, grid or loan key, \"energy\" or \"fx_drift\")");
        return NULL;
    }
    const char *k = NULL;
    int a = GFIN_RISK_SCALE;
    if (string_at(key, at, &k, err))
        return NULL;
    snprintf(at, sizeof at, "%s.apply", path);
    if (apply && gfin__json_choice(apply, at, APPLY_NAMES, 3, &a, err))
        return NULL;
    gfin_risk_change *c = gfin_risk_change_new(k, (gfin_risk_apply)a, err);
    if (!c) {
        gfin__error_prefix(err, path);
        return NULL;
    }
    gfin_status st = GFIN_OK;
    const cJSON *v;
    if (!st && (v = gfin__json_member(obj, "name"))) {
        const char *name = NULL;
        snprintf(at, sizeof at, "%s.name", path);
        if (!(st = string_at(v, at, &name, err)) && (st = gfin_risk_change_set_name(c, name, err)))
            gfin__error_prefix(err, path);
    }
    if (!st && (v = gfin__json_member(obj, "technology"))) {
        int t;
        snprintf(at, sizeof at, "%s.technology", path);
        if (!(st = gfin__json_choice(v, at, TECH_NAMES, 2, &t, err)))
            st = gfin_risk_change_set_technology(c, (gfin_technology)t, err);
    }
    const char *const lists[] = {"projects", "lenders"};
    for (int l = 0; l < 2 && !st; ++l) {
        if (!(v = gfin__json_member(obj, lists[l])))
            continue;
        snprintf(at, sizeof at, "%s.%s", path, lists[l]);
        if (!cJSON_IsArray(v)) {
            st = gfin__fail(err, GFIN_EINVAL, at, "expected an array of strings, got %s", gfin__json_type_name(v));
            break;
        }
        if (!v->child) {
            st = gfin__fail(err, GFIN_EINVAL, at, "is empty: it would select nothing (leave it out for all)");
            break;
        }
        size_t i = 0;
        for (const cJSON *e = v->child; e && !st; e = e->next, ++i) {
            char eat[220];
            snprintf(eat, sizeof eat, "%s[%zu]", at, i);
            const char *s = NULL;
            if (!(st = string_at(e, eat, &s, err))) {
                st = l ? gfin_risk_change_add_lender(c, s, err) : gfin_risk_change_add_project(c, s, err);
                if (st)
                    gfin__error_prefix(err, path);
            }
        }
    }
    if (!st && (v = gfin__json_member(obj, "years"))) {
        snprintf(at, sizeof at, "%s.years", path);
        st = years_from(c, v, at, path, err);
    }
    if (!st && (v = gfin__json_member(obj, "currency"))) {
        const char *cur = NULL;
        snprintf(at, sizeof at, "%s.currency", path);
        if (!(st = string_at(v, at, &cur, err)) && (st = gfin_risk_change_set_currency(c, cur, err)))
            gfin__error_prefix(err, path);
    }
    if (st) {
        gfin_risk_change_free(c);
        return NULL;
    }
    return c;
}

static gfin_risk_dist *dist_from(const cJSON *obj, const char *path, gfin_error *err)
{
    char at[200];
    if (check_keys(obj, path, DIST_KEYS, NULL, err))
        return NULL;
    const cJSON *type = gfin__json_member(obj, "type");
    snprintf(at, sizeof at, "%s.type", path);
    int t;
    if (!type) {
        gfin__fail(err, GFIN_EINVAL, at, "is required (normal, lognormal, uniform, triangular, pert, discrete)");
        return NULL;
    }
    if (gfin__json_choice(type, at, TYPE_NAMES, 6, &t, err))
        return NULL;
    gfin_risk_dist *d = gfin_risk_dist_new((gfin_risk_dist_type)t);
    if (!d) {
        gfin__fail(err, GFIN_ENOMEM, path, "out of memory");
        return NULL;
    }
    gfin_status st = GFIN_OK;
    double *values = NULL, *weights = NULL;
    size_t nv = 0, nw = 0;
    for (const cJSON *c = obj->child; c && !st; c = c->next) {
        if (strcmp(c->string, "type") == 0)
            continue;
        if (strcmp(c->string, "values") == 0 || strcmp(c->string, "weights") == 0) {
            const bool w = c->string[0] == 'w';
            snprintf(at, sizeof at, "%s.%s", path, c->string);
            if (!cJSON_IsArray(c) || !c->child) {
                st = gfin__fail(err, GFIN_EINVAL, at, "expected a non-empty array of numbers");
                break;
            }
            size_t n = (size_t)cJSON_GetArraySize(c);
            double *a = gfin__calloc(n, sizeof *a);
            if (!a) {
                st = gfin__fail(err, GFIN_ENOMEM, at, "out of memory");
                break;
            }
            *(w ? &weights : &values) = a;
            *(w ? &nw : &nv) = n;
            size_t i = 0;
            for (const cJSON *e = c->child; e && !st; e = e->next, ++i) {
                char key[32];
                snprintf(key, sizeof key, "%s[%zu]", c->string, i);
                st = number_at(e, path, key, &a[i], err);
            }
            continue;
        }
        double x;
        int p = gfin_risk_dist_param_find(c->string);
        if (!(st = number_at(c, path, c->string, &x, err)) &&
            (st = gfin_risk_dist_set(d, (gfin_risk_dist_param)p, x, err)))
            gfin__error_prefix(err, path);
    }
    if (!st && (values || weights)) {
        snprintf(at, sizeof at, "%s.weights", path);
        if (!values)
            st = gfin__fail(err, GFIN_EINVAL, at, "needs values");
        else if (weights && nw != nv)
            st = gfin__fail(err, GFIN_EINVAL, at, "has %zu entries for %zu values", nw, nv);
        else if ((st = gfin_risk_dist_set_values(d, values, weights, nv, err)))
            gfin__error_prefix(err, path);
    }
    if (!st && (st = gfin_risk_dist_validate(d, err)))
        gfin__error_prefix(err, path);
    gfin__free(values);
    gfin__free(weights);
    if (st) {
        gfin_risk_dist_free(d);
        return NULL;
    }
    return d;
}

/* Calls each(ctx, element, path) for the elements of array member `key`. */
typedef gfin_status (*each_fn)(gfin_risk *rk, const cJSON *e, const char *path, size_t i, gfin_error *err);

static gfin_status each(gfin_risk *rk, const cJSON *obj, const char *key, each_fn fn, gfin_error *err)
{
    const cJSON *arr = gfin__json_member(obj, key);
    if (!arr)
        return GFIN_OK;
    char at[64];
    snprintf(at, sizeof at, "risk.%s", key);
    if (!cJSON_IsArray(arr))
        return gfin__fail(err, GFIN_EINVAL, at, "expected an array, got %s", gfin__json_type_name(arr));
    size_t i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, ++i) {
        char ep[96];
        snprintf(ep, sizeof ep, "%s[%zu]", at, i);
        gfin_status st = fn(rk, e, ep, i, err);
        if (st)
            return st;
    }
    return GFIN_OK;
}

/* The C API names its entries from the experiment ("uncertainties[2].per");
 * JSON errors start at "risk". */
static gfin_status api(gfin_status st, gfin_error *err)
{
    if (st && err && strncmp(err->path, "risk", 4) != 0)
        gfin__error_prefix(err, "risk");
    return st;
}

static gfin_status add_case(gfin_risk *rk, const cJSON *e, const char *path, size_t i, gfin_error *err)
{
    (void)i;
    gfin_status st = check_keys(e, path, CASE_KEYS, NULL, err);
    if (st)
        return st;
    const cJSON *name = gfin__json_member(e, "name"), *changes = gfin__json_member(e, "changes");
    char at[128];
    snprintf(at, sizeof at, "%s.name", path);
    const char *n = NULL;
    if (!name)
        return gfin__fail(err, GFIN_EINVAL, at, "is required");
    if ((st = string_at(name, at, &n, err)))
        return st;
    size_t k;
    if ((st = api(gfin_risk_add_case(rk, n, &k, err), err)))
        return st;
    snprintf(at, sizeof at, "%s.changes", path);
    if (!changes || !cJSON_IsArray(changes) || !changes->child)
        return gfin__fail(err, GFIN_EINVAL, at, "is required: a non-empty array of changes with a value");
    size_t j = 0;
    static const char *const VALUE[] = {"value", NULL};
    for (const cJSON *c = changes->child; c; c = c->next, ++j) {
        char cp[160];
        snprintf(cp, sizeof cp, "%s[%zu]", at, j);
        gfin_risk_change *ch = change_from(c, cp, VALUE, err);
        if (!ch)
            return err ? (gfin_status)err->code : GFIN_EINVAL;
        double v = 0;
        const cJSON *value = gfin__json_member(c, "value");
        char vp[180];
        snprintf(vp, sizeof vp, "%s.value", cp);
        if (!value)
            st = gfin__fail(err, GFIN_EINVAL, vp, "is required");
        else if (!(st = number_at(value, cp, "value", &v, err)))
            st = api(gfin_risk_case_add_change(rk, k, ch, v, err), err);
        gfin_risk_change_free(ch);
        if (st)
            return st;
    }
    return GFIN_OK;
}

static gfin_status add_sensitivity(gfin_risk *rk, const cJSON *e, const char *path, size_t i, gfin_error *err)
{
    (void)i;
    static const char *const LH[] = {"low", "high", NULL};
    gfin_risk_change *ch = change_from(e, path, LH, err);
    if (!ch)
        return err ? (gfin_status)err->code : GFIN_EINVAL;
    double lh[2] = {0, 0};
    gfin_status st = GFIN_OK;
    for (int k = 0; k < 2 && !st; ++k) {
        const cJSON *v = gfin__json_member(e, LH[k]);
        char at[128];
        snprintf(at, sizeof at, "%s.%s", path, LH[k]);
        st = v ? number_at(v, path, LH[k], &lh[k], err) : gfin__fail(err, GFIN_EINVAL, at, "is required");
    }
    if (!st)
        st = api(gfin_risk_add_sensitivity(rk, ch, lh[0], lh[1], err), err);
    gfin_risk_change_free(ch);
    return st;
}

static gfin_status add_uncertainty(gfin_risk *rk, const cJSON *e, const char *path, size_t i, gfin_error *err)
{
    (void)i;
    static const char *const MORE[] = {"distribution", "factor", "per", NULL};
    gfin_risk_change *ch = change_from(e, path, MORE, err);
    if (!ch)
        return err ? (gfin_status)err->code : GFIN_EINVAL;
    gfin_status st = GFIN_OK;
    gfin_risk_dist *d = NULL;
    const char *factor = NULL;
    int per = GFIN_RISK_PER_SCENARIO;
    char at[128];
    const cJSON *v = gfin__json_member(e, "distribution");
    snprintf(at, sizeof at, "%s.distribution", path);
    if (!v)
        st = gfin__fail(err, GFIN_EINVAL, at, "is required (an uncertainty draws its value from it)");
    else if (!(d = dist_from(v, at, err)))
        st = err ? (gfin_status)err->code : GFIN_EINVAL;
    snprintf(at, sizeof at, "%s.factor", path);
    if (!st && (v = gfin__json_member(e, "factor")))
        st = string_at(v, at, &factor, err);
    snprintf(at, sizeof at, "%s.per", path);
    if (!st && (v = gfin__json_member(e, "per")))
        st = gfin__json_choice(v, at, PER_NAMES, 2, &per, err);
    if (!st)
        st = api(gfin_risk_add_uncertainty(rk, ch, d, factor, (gfin_risk_per)per, err), err);
    gfin_risk_dist_free(d);
    gfin_risk_change_free(ch);
    return st;
}

static gfin_status load_factors(gfin_risk *rk, const cJSON *obj, gfin_error *err)
{
    const cJSON *f = gfin__json_member(obj, "factors");
    if (!f)
        return GFIN_OK;
    if (!cJSON_IsObject(f))
        return gfin__fail(err, GFIN_EINVAL, "risk.factors", "expected an object of factors by name, got %s",
                          gfin__json_type_name(f));
    for (const cJSON *c = f->child; c; c = c->next) {
        char at[128];
        snprintf(at, sizeof at, "risk.factors.%.64s", c->string);
        gfin_status st = check_keys(c, at, FACTOR_KEYS, NULL, err);
        int per = GFIN_RISK_PER_SCENARIO;
        double rho = 0;
        const cJSON *v;
        char pp[160];
        snprintf(pp, sizeof pp, "%s.per", at);
        if (!st && (v = gfin__json_member(c, "per")))
            st = gfin__json_choice(v, pp, PER_NAMES, 2, &per, err);
        if (!st && (v = gfin__json_member(c, "autocorrelation")))
            st = number_at(v, at, "autocorrelation", &rho, err);
        if (!st)
            st = api(gfin_risk_add_factor(rk, c->string, (gfin_risk_per)per, rho, err), err);
        if (st)
            return st;
    }
    return GFIN_OK;
}

static gfin_status add_correlation(gfin_risk *rk, const cJSON *e, const char *path, size_t i, gfin_error *err)
{
    (void)i;
    if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 3 || !cJSON_IsString(e->child) ||
        !cJSON_IsString(e->child->next) || !cJSON_IsNumber(e->child->next->next))
        return gfin__fail(err, GFIN_EINVAL, path, "expected [\"factor a\", \"factor b\", rho]");
    return api(gfin_risk_add_correlation(rk, e->child->valuestring, e->child->next->valuestring,
                                         e->child->next->next->valuedouble, err), err);
}

/* Whole numbers in [lo, hi]. */
static gfin_status whole(const cJSON *v, const char *at, double lo, double hi, double *out, gfin_error *err)
{
    if (!cJSON_IsNumber(v))
        return gfin__fail(err, GFIN_EINVAL, at, "expected a whole number, got %s", gfin__json_type_name(v));
    const double x = v->valuedouble;
    if (x != floor(x))
        return gfin__fail(err, GFIN_EINVAL, at, "%.17g is not a whole number", x);
    if (x < lo || x > hi)
        return gfin__fail(err, GFIN_EINVAL, at, "%.17g is outside %.17g .. %.17g", x, lo, hi);
    *out = x;
    return GFIN_OK;
}

static gfin_risk *gfin__risk_from_cjson(const cJSON *obj, const gfin_portfolio *pf, gfin_error *err)
{
    gfin_status st = check_keys(obj, "risk", RISK_KEYS, NULL, err);
    if (st)
        return NULL;
    gfin_risk *rk = gfin_risk_new();
    if (!rk) {
        gfin__fail(err, GFIN_ENOMEM, "risk", "out of memory");
        return NULL;
    }
    const cJSON *v;
    double x;
    if (!st && (v = gfin__json_member(obj, "scenarios")) &&
        !(st = whole(v, "risk.scenarios", 1, GFIN_RISK_MAX_SCENARIOS, &x, err)))
        st = api(gfin_risk_set_scenarios(rk, (size_t)x, err), err);
    if (!st && (v = gfin__json_member(obj, "seed")) && !(st = whole(v, "risk.seed", 0, 9007199254740991.0, &x, err)))
        st = api(gfin_risk_set_seed(rk, (uint64_t)x, err), err);
    if (!st && (v = gfin__json_member(obj, "covenant_dscr")) && !(st = number_at(v, "risk", "covenant_dscr", &x, err)))
        st = api(gfin_risk_set_covenant_dscr(rk, x, err), err);
    if (!st && (v = gfin__json_member(obj, "hurdle_equity_irr")) &&
        !(st = number_at(v, "risk", "hurdle_equity_irr", &x, err)))
        st = api(gfin_risk_set_hurdle_equity_irr(rk, x, err), err);
    if (!st)
        st = load_factors(rk, obj, err);
    if (!st)
        st = each(rk, obj, "correlations", add_correlation, err);
    if (!st)
        st = each(rk, obj, "cases", add_case, err);
    if (!st)
        st = each(rk, obj, "sensitivity", add_sensitivity, err);
    if (!st)
        st = each(rk, obj, "uncertainties", add_uncertainty, err);
    if (!st && pf)
        st = api(gfin_risk_validate(rk, pf, err), err);
    if (st) {
        gfin_risk_free(rk);
        return NULL;
    }
    return rk;
}

/* A project file as a portfolio of one project without a fund: the
 * project's start_year and discount_rate become the portfolio's, and its
 * name (its id when it has none) the portfolio's name. */
static gfin_portfolio *portfolio_of(const gfin_project *p, gfin_error *err)
{
    double start, rate;
    const char *name = gfin_project_get_string(p, GFIN_PROJECT_NAME);
    if (!name || !*name)
        name = gfin_project_get_string(p, GFIN_PROJECT_ID);
    if (gfin_project_get(p, GFIN_PROJECT_START_YEAR, &start) != GFIN_OK) {
        gfin__fail(err, GFIN_EINVAL, "start_year", "is required in a project file");
        return NULL;
    }
    if (gfin_project_get(p, GFIN_PROJECT_DISCOUNT_RATE, &rate) != GFIN_OK) {
        gfin__fail(err, GFIN_EINVAL, "discount_rate", "is required in a project file");
        return NULL;
    }
    gfin_portfolio *pf = gfin_portfolio_new();
    if (!pf || gfin_portfolio_set(pf, GFIN_PORTFOLIO_START_YEAR, start) ||
        gfin_portfolio_set(pf, GFIN_PORTFOLIO_DISCOUNT_RATE, rate) ||
        gfin_portfolio_set_string(pf, GFIN_PORTFOLIO_NAME, name)) {
        gfin_portfolio_free(pf);
        gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
        return NULL;
    }
    if (gfin_portfolio_add_project(pf, p, err)) {
        gfin_portfolio_free(pf);
        return NULL;
    }
    return pf;
}

gfin_status gfin__json_risk_check(const cJSON *risk, const gfin_portfolio *pf, gfin_error *err)
{
    gfin_risk *rk = gfin__risk_from_cjson(risk, pf, err);
    if (!rk)
        return err && err->code ? (gfin_status)err->code : GFIN_EINVAL;
    gfin_risk_free(rk);
    return GFIN_OK;
}

gfin_status gfin__json_risk_check_project(const cJSON *risk, const gfin_project *p, gfin_error *err)
{
    gfin_portfolio *pf = portfolio_of(p, err);
    if (!pf)
        return err && err->code ? (gfin_status)err->code : GFIN_EINVAL;
    gfin_status st = gfin__json_risk_check(risk, pf, err);
    gfin_portfolio_free(pf);
    return st;
}

gfin_risk *gfin_risk_from_json(const char *text, size_t len, const gfin_portfolio *pf, gfin_error *err)
{
    cJSON *root = gfin__json_parse(text, len, err);
    if (!root)
        return NULL;
    gfin_risk *rk = gfin__risk_from_cjson(root, pf, err);
    cJSON_Delete(root);
    return rk;
}

gfin_status gfin_risk_load_json(const char *text, size_t len, gfin_portfolio **pf_out, gfin_risk **rk_out,
                                gfin_error *err)
{
    if (!pf_out || !rk_out)
        return gfin__fail(err, GFIN_EINVAL, "", "portfolio and risk must not be NULL");
    *pf_out = NULL;
    *rk_out = NULL;
    cJSON *root = gfin__json_parse(text, len, err);
    if (!root)
        return err && err->code ? (gfin_status)err->code : GFIN_EPARSE;
    gfin_status st = GFIN_OK;
    gfin_portfolio *pf = NULL;
    gfin_risk *rk = NULL;
    if (!cJSON_IsObject(root)) {
        st = gfin__fail(err, GFIN_EINVAL, "", "expected a portfolio or project object, got %s",
                        gfin__json_type_name(root));
    } else if (gfin__json_member(root, "format")) {
        if (!(pf = gfin_portfolio_from_json(text, len, err)))
            st = err && err->code ? (gfin_status)err->code : GFIN_EINVAL;
    } else {
        gfin_project *p = gfin_project_from_json(text, len, err);
        if (!p || !(pf = portfolio_of(p, err)))
            st = err && err->code ? (gfin_status)err->code : GFIN_EINVAL;
        gfin_project_free(p);
    }
    const cJSON *r = st ? NULL : gfin__json_member(root, "risk");
    if (!st) {
        rk = r ? gfin__risk_from_cjson(r, NULL, err) : gfin_risk_new();
        if (!rk)
            st = r ? (err && err->code ? (gfin_status)err->code : GFIN_EINVAL)
                   : gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    }
    cJSON_Delete(root);
    if (st) {
        gfin_portfolio_free(pf);
        return st;
    }
    *pf_out = pf;
    *rk_out = rk;
    return GFIN_OK;
}
