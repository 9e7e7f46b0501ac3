/* risk.c -- the experiment (docs/model.md "Risk"): changes, cases, sensitivity
 * entries, uncertainties, factors and correlations, built through the C API
 * or by json_risk.c, and checked against a portfolio (risk_run.c runs it). */
#include "loan.h"
#include "portfolio.h"
#include "project.h"
#include "risk_plan.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ======================================================================== */
/* Changes                                                                  */
/* ======================================================================== */

void rk_strv_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; ++i)
        gfin__free(v[i]);
    gfin__free(v);
}

static gfin_status strv_push(char ***v, size_t *n, const char *s)
{
    char *copy = gfin__strdup(s);
    char **grown = copy ? gfin__realloc(*v, (*n + 1) * sizeof *grown) : NULL;
    if (!grown) {
        gfin__free(copy);
        return GFIN_ENOMEM;
    }
    *v = grown;
    (*v)[(*n)++] = copy;
    return GFIN_OK;
}

static gfin_status strv_copy(char ***dst, size_t *dn, char *const *src, size_t n)
{
    *dst = NULL;
    *dn = 0;
    for (size_t i = 0; i < n; ++i)
        if (strv_push(dst, dn, src[i])) {
            rk_strv_free(*dst, *dn);
            *dst = NULL;
            *dn = 0;
            return GFIN_ENOMEM;
        }
    return GFIN_OK;
}

static void change_clear(gfin_risk_change *c)
{
    rk_strv_free(c->projects, c->nprojects);
    rk_strv_free(c->lenders, c->nlenders);
    gfin__free(c->name);
    memset(c, 0, sizeof *c);
}

static gfin_status change_copy(gfin_risk_change *dst, const gfin_risk_change *src)
{
    *dst = *src;
    dst->projects = dst->lenders = NULL;
    dst->nprojects = dst->nlenders = 0;
    dst->name = NULL;
    if (strv_copy(&dst->projects, &dst->nprojects, src->projects, src->nprojects) ||
        strv_copy(&dst->lenders, &dst->nlenders, src->lenders, src->nlenders) ||
        (src->name && !(dst->name = gfin__strdup(src->name)))) {
        change_clear(dst);
        return GFIN_ENOMEM;
    }
    return GFIN_OK;
}

/* The names a change key may take, for "did you mean". */
size_t rk_key_names(const char **names, size_t cap)
{
    size_t n = 0;
    const gfin_object objs[] = {GFIN_OBJ_PROJECT, GFIN_OBJ_GRID, GFIN_OBJ_LOAN};
    for (size_t o = 0; o < 3; ++o)
        n += gfin__param_names(objs[o], names + n, cap - n);
    if (n < cap)
        names[n++] = "energy";
    if (n < cap)
        names[n++] = RK_FX_DRIFT_KEY;
    return n;
}

gfin_risk_change *gfin_risk_change_new(const char *key, gfin_risk_apply apply, gfin_error *err)
{
    if (!key) {
        gfin__fail(err, GFIN_EINVAL, "key", "is NULL");
        return NULL;
    }
    if (!gfin_risk_apply_name(apply)) {
        gfin__fail(err, GFIN_EINVAL, "apply", "%d is not one of \"scale\", \"add\", \"set\"", (int)apply);
        return NULL;
    }
    const gfin_param_def *d = NULL;
    rk_kind kind = RK_ENERGY;
    if (strcmp(key, RK_FX_DRIFT_KEY) == 0) {
        /* The drift of a path given as it is, 0: scaling it would change nothing. */
        kind = RK_FX;
        if (apply == GFIN_RISK_SCALE) {
            gfin__fail(err, GFIN_EINVAL, "apply", "\"scale\" does not fit fx_drift, whose base is no drift (0): give "
                       "\"add\" (or \"set\")");
            return NULL;
        }
    } else if (strcmp(key, "energy") != 0) {
        /* Project keys first, then the grid, then loans: annual_rate is the
         * loans' (the sized loan is one of them once sized). */
        if ((d = gfin__param_find(GFIN_OBJ_PROJECT, key)))
            kind = RK_PROJECT;
        else if ((d = gfin__param_find(GFIN_OBJ_GRID, key)))
            kind = RK_GRID;
        else if ((d = gfin__param_find(GFIN_OBJ_LOAN, key)))
            kind = RK_LOAN;
        else if (gfin__param_find(GFIN_OBJ_DEBT_SIZING, key)) {
            gfin__fail(err, GFIN_EINVAL, "key",
                       "'%s' is a debt_sizing key: sized debt is sized once on the base inputs and kept, so it "
                       "cannot vary (vary the sized loan with loan keys)", key);
            return NULL;
        } else {
            const char *names[3 * GFIN_STORE_SLOTS + 2];
            size_t n = rk_key_names(names, sizeof names / sizeof names[0]);
            const char *near = gfin__nearest_name(key, names, n);
            if (near)
                gfin__fail(err, GFIN_EINVAL, "key", "unknown key '%.64s' (did you mean '%s'?)", key, near);
            else
                gfin__fail(err, GFIN_EINVAL, "key", "unknown key '%.64s': a project, grid or loan key, \"energy\" or "
                           "\"fx_drift\"", key);
            return NULL;
        }
        if (d->type != GFIN_PARAM_NUMBER && d->type != GFIN_PARAM_INTEGER && d->type != GFIN_PARAM_ARRAY) {
            gfin__fail(err, GFIN_EINVAL, "key", "'%s' is %s: only numbers and arrays of numbers can vary", key,
                       d->type == GFIN_PARAM_STRING ? "a string" : d->type == GFIN_PARAM_DATE ? "a date" : "a choice");
            return NULL;
        }
    }
    gfin_risk_change *c = gfin__calloc(1, sizeof *c);
    if (!c) {
        gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
        return NULL;
    }
    gfin__strlcpy(c->key, key, sizeof c->key);
    c->def = d;
    c->kind = kind;
    c->apply = apply;
    c->technology = -1;
    return c;
}

void gfin_risk_change_free(gfin_risk_change *c)
{
    if (!c)
        return;
    change_clear(c);
    gfin__free(c);
}

const char *rk_change_key(const gfin_risk_change *c) { return c->key; }

gfin_status gfin_risk_change_set_name(gfin_risk_change *c, const char *name, gfin_error *err)
{
    if (!c || !name || !*name || strlen(name) > GFIN_STRING_MAX)
        return gfin__fail(err, GFIN_EINVAL, "name", "give a name of 1 to %d bytes", GFIN_STRING_MAX);
    char *copy = gfin__strdup(name);
    if (!copy)
        return gfin__fail(err, GFIN_ENOMEM, "name", "out of memory");
    gfin__free(c->name);
    c->name = copy;
    return GFIN_OK;
}

/* fx paths are the portfolio's: a drift moves every loan in that currency. */
static gfin_status not_fx(const gfin_risk_change *c, const char *path, gfin_error *err)
{
    return c->kind == RK_FX ? gfin__fail(err, GFIN_EINVAL, path, "does not apply to fx_drift: an fx path is the "
                                         "portfolio's, for every loan in its currency (select it with currency)")
                            : GFIN_OK;
}

gfin_status gfin_risk_change_add_project(gfin_risk_change *c, const char *id, gfin_error *err)
{
    if (!c || !id)
        return gfin__fail(err, GFIN_EINVAL, "projects", "change and id must not be NULL");
    if (not_fx(c, "projects", err))
        return GFIN_EINVAL;
    return strv_push(&c->projects, &c->nprojects, id) ? gfin__fail(err, GFIN_ENOMEM, "projects", "out of memory")
                                                      : GFIN_OK;
}

gfin_status gfin_risk_change_set_technology(gfin_risk_change *c, gfin_technology tech, gfin_error *err)
{
    if (!c || (tech != GFIN_TECH_SOLAR && tech != GFIN_TECH_HYDRO))
        return gfin__fail(err, GFIN_EINVAL, "technology", "is not \"solar\" or \"hydro\"");
    if (not_fx(c, "technology", err))
        return GFIN_EINVAL;
    c->technology = (int)tech;
    return GFIN_OK;
}

gfin_status gfin_risk_change_add_lender(gfin_risk_change *c, const char *lender, gfin_error *err)
{
    if (!c || !lender)
        return gfin__fail(err, GFIN_EINVAL, "lenders", "change and lender must not be NULL");
    if (c->kind != RK_LOAN)
        return gfin__fail(err, GFIN_EINVAL, "lenders", "applies to loan keys only, and '%s' is not one", c->key);
    return strv_push(&c->lenders, &c->nlenders, lender) ? gfin__fail(err, GFIN_ENOMEM, "lenders", "out of memory")
                                                        : GFIN_OK;
}

gfin_status gfin_risk_change_set_years(gfin_risk_change *c, int first, int last, gfin_error *err)
{
    if (!c)
        return gfin__fail(err, GFIN_EINVAL, "years", "change is NULL");
    if (c->kind != RK_ENERGY)
        return gfin__fail(err, GFIN_EINVAL, "years", "applies to \"energy\" only, not to '%s'", c->key);
    if (first < 1900 || last > 2400 || first > last)
        return gfin__fail(err, GFIN_EINVAL, "years", "[%d, %d] is not a range of calendar years first <= last "
                          "within 1900 .. 2400", first, last);
    c->first_year = first;
    c->last_year = last;
    return GFIN_OK;
}

gfin_status gfin_risk_change_set_currency(gfin_risk_change *c, const char *currency, gfin_error *err)
{
    if (!c || !currency)
        return gfin__fail(err, GFIN_EINVAL, "currency", "change and currency must not be NULL");
    if (c->kind != RK_FX)
        return gfin__fail(err, GFIN_EINVAL, "currency", "selects an fx path: it applies to \"fx_drift\" only, not "
                          "to '%s'", c->key);
    if (!*currency || strlen(currency) >= sizeof c->currency)
        return gfin__fail(err, GFIN_EINVAL, "currency", "a currency code has 1 to %d characters",
                          (int)sizeof c->currency - 1);
    gfin__strlcpy(c->currency, currency, sizeof c->currency);
    return GFIN_OK;
}

/* ======================================================================== */
/* The experiment                                                           */
/* ======================================================================== */

gfin_risk *gfin_risk_new(void)
{
    gfin_risk *r = gfin__calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->scenarios = 1000;
    r->seed = 1;
    r->covenant = 1.2;
    r->hurdle = NAN;
    return r;
}

static void entry_clear(rk_entry *e)
{
    change_clear(&e->ch);
    gfin_risk_dist_free(e->dist);
    gfin__free(e->factor);
}

void gfin_risk_free(gfin_risk *r)
{
    if (!r)
        return;
    for (size_t k = 0; k < r->ncases; ++k) {
        for (size_t i = 0; i < r->cases[k].n; ++i)
            entry_clear(&r->cases[k].changes[i]);
        gfin__free(r->cases[k].changes);
        gfin__free(r->cases[k].name);
    }
    for (size_t i = 0; i < r->nsens; ++i)
        entry_clear(&r->sens[i]);
    for (size_t i = 0; i < r->nunc; ++i)
        entry_clear(&r->unc[i]);
    for (size_t i = 0; i < r->nfactors; ++i)
        gfin__free(r->factors[i].name);
    for (size_t i = 0; i < r->ncorr; ++i) {
        gfin__free(r->corr[i].a);
        gfin__free(r->corr[i].b);
    }
    gfin__free(r->cases);
    gfin__free(r->sens);
    gfin__free(r->unc);
    gfin__free(r->factors);
    gfin__free(r->corr);
    gfin__free(r);
}

gfin_status gfin_risk_set_scenarios(gfin_risk *r, size_t n, gfin_error *err)
{
    if (!r)
        return gfin__fail(err, GFIN_EINVAL, "scenarios", "risk is NULL");
    if (n < 1 || n > GFIN_RISK_MAX_SCENARIOS)
        return gfin__fail(err, GFIN_EINVAL, "scenarios", "%zu is outside 1 .. %u", n, GFIN_RISK_MAX_SCENARIOS);
    r->scenarios = n;
    return GFIN_OK;
}

gfin_status gfin_risk_set_seed(gfin_risk *r, uint64_t seed, gfin_error *err)
{
    if (!r)
        return gfin__fail(err, GFIN_EINVAL, "seed", "risk is NULL");
    if (seed > RK_MAX_SEED)
        return gfin__fail(err, GFIN_EINVAL, "seed", "%llu is above the maximum 2^53 - 1", (unsigned long long)seed);
    r->seed = seed;
    return GFIN_OK;
}

gfin_status gfin_risk_set_covenant_dscr(gfin_risk *r, double v, gfin_error *err)
{
    if (!r)
        return gfin__fail(err, GFIN_EINVAL, "covenant_dscr", "risk is NULL");
    gfin_status st = gfin__check_range("covenant_dscr", "ratio", v, 0, true, 100, false, err);
    if (!st)
        r->covenant = v;
    return st;
}

gfin_status gfin_risk_set_hurdle_equity_irr(gfin_risk *r, double v, gfin_error *err)
{
    if (!r)
        return gfin__fail(err, GFIN_EINVAL, "hurdle_equity_irr", "risk is NULL");
    gfin_status st = isnan(v) ? GFIN_OK : gfin__check_range("hurdle_equity_irr", "fraction/year", v, -1, false, 10,
                                                            false, err);
    if (!st)
        r->hurdle = v;
    return st;
}

size_t gfin_risk_scenarios(const gfin_risk *r) { return r ? r->scenarios : 0; }
uint64_t gfin_risk_seed(const gfin_risk *r) { return r ? r->seed : 0; }

void gfin_risk_set_keep_samples(gfin_risk *r, int keep)
{
    if (r)
        r->keep = keep != 0;
}

void gfin_risk_set_progress(gfin_risk *r, gfin_risk_progress_fn fn, void *user)
{
    if (r) {
        r->progress = fn;
        r->user = user;
    }
}

#define RK_MAX_ENTRIES 10000

static gfin_status push_entry(rk_entry **arr, size_t *n, const char *what, gfin_error *err, rk_entry **out)
{
    if (*n >= RK_MAX_ENTRIES)
        return gfin__fail(err, GFIN_EINVAL, what, "at most %d entries", RK_MAX_ENTRIES);
    rk_entry *grown = gfin__realloc(*arr, (*n + 1) * sizeof *grown);
    if (!grown)
        return gfin__fail(err, GFIN_ENOMEM, what, "out of memory");
    *arr = grown;
    *out = &grown[*n];
    memset(*out, 0, sizeof **out);
    return GFIN_OK;
}

static gfin_status finite_value(const char *path, double v, gfin_error *err)
{
    return gfin__check_range(path, "", v, -INFINITY, false, INFINITY, false, err);
}

gfin_status gfin_risk_add_case(gfin_risk *r, const char *name, size_t *index, gfin_error *err)
{
    char path[32];
    if (!r)
        return gfin__fail(err, GFIN_EINVAL, "cases", "risk is NULL");
    snprintf(path, sizeof path, "cases[%zu].name", r->ncases);
    if (!name || !*name || strlen(name) > GFIN_STRING_MAX)
        return gfin__fail(err, GFIN_EINVAL, path, "give a name of 1 to %d bytes", GFIN_STRING_MAX);
    for (size_t k = 0; k < r->ncases; ++k)
        if (strcmp(r->cases[k].name, name) == 0)
            return gfin__fail(err, GFIN_EINVAL, path, "duplicate case name \"%.64s\" (also cases[%zu])", name, k);
    if (r->ncases >= RK_MAX_ENTRIES)
        return gfin__fail(err, GFIN_EINVAL, "cases", "at most %d cases", RK_MAX_ENTRIES);
    rk_case *grown = gfin__realloc(r->cases, (r->ncases + 1) * sizeof *grown);
    if (!grown)
        return gfin__fail(err, GFIN_ENOMEM, "cases", "out of memory");
    r->cases = grown;
    rk_case *c = &grown[r->ncases];
    memset(c, 0, sizeof *c);
    if (!(c->name = gfin__strdup(name)))
        return gfin__fail(err, GFIN_ENOMEM, "cases", "out of memory");
    if (index)
        *index = r->ncases;
    r->ncases++;
    return GFIN_OK;
}

gfin_status gfin_risk_case_add_change(gfin_risk *r, size_t index, const gfin_risk_change *ch, double value,
                                      gfin_error *err)
{
    if (!r || !ch || index >= r->ncases)
        return gfin__fail(err, GFIN_EINVAL, "cases", "no such case, or change is NULL");
    rk_case *c = &r->cases[index];
    char path[64];
    snprintf(path, sizeof path, "cases[%zu].changes[%zu].value", index, c->n);
    gfin_status st = finite_value(path, value, err);
    rk_entry *e;
    if (st || (st = push_entry(&c->changes, &c->n, path, err, &e)))
        return st;
    if (change_copy(&e->ch, ch))
        return gfin__fail(err, GFIN_ENOMEM, path, "out of memory");
    e->value = value;
    c->n++;
    return GFIN_OK;
}

gfin_status gfin_risk_add_sensitivity(gfin_risk *r, const gfin_risk_change *ch, double low, double high,
                                      gfin_error *err)
{
    if (!r || !ch)
        return gfin__fail(err, GFIN_EINVAL, "sensitivity", "risk and change must not be NULL");
    char lp[48], hp[48];
    snprintf(lp, sizeof lp, "sensitivity[%zu].low", r->nsens);
    snprintf(hp, sizeof hp, "sensitivity[%zu].high", r->nsens);
    gfin_status st;
    rk_entry *e;
    if ((st = finite_value(lp, low, err)) || (st = finite_value(hp, high, err)) ||
        (st = push_entry(&r->sens, &r->nsens, "sensitivity", err, &e)))
        return st;
    if (change_copy(&e->ch, ch))
        return gfin__fail(err, GFIN_ENOMEM, "sensitivity", "out of memory");
    e->low = low;
    e->high = high;
    r->nsens++;
    return GFIN_OK;
}

static const rk_factor *find_factor(const gfin_risk *r, const char *name, size_t *index)
{
    for (size_t i = 0; i < r->nfactors; ++i)
        if (strcmp(r->factors[i].name, name) == 0) {
            if (index)
                *index = i;
            return &r->factors[i];
        }
    return NULL;
}

gfin_status gfin_risk_add_factor(gfin_risk *r, const char *name, gfin_risk_per per, double rho, gfin_error *err)
{
    if (!r || !name)
        return gfin__fail(err, GFIN_EINVAL, "factors", "risk and name must not be NULL");
    char path[300];
    snprintf(path, sizeof path, "factors.%.64s", name);
    if (!*name || strlen(name) > 64)
        return gfin__fail(err, GFIN_EINVAL, "factors", "a factor name has 1 to 64 bytes");
    if (find_factor(r, name, NULL))
        return gfin__fail(err, GFIN_EINVAL, path, "duplicate factor name");
    if (!gfin_risk_per_name(per))
        return gfin__fail(err, GFIN_EINVAL, path, "per %d is not \"scenario\" or \"year\"", (int)per);
    char rp[320];
    snprintf(rp, sizeof rp, "%s.autocorrelation", path);
    if (per == GFIN_RISK_PER_SCENARIO && rho != 0)
        return gfin__fail(err, GFIN_EINVAL, rp, "applies to per \"year\" factors only (a per \"scenario\" factor "
                          "has one score per scenario)");
    gfin_status st = gfin__check_range(rp, "", rho, -1, true, 1, true, err);
    if (st)
        return st;
    if (r->nfactors >= 1000)
        return gfin__fail(err, GFIN_EINVAL, "factors", "at most 1000 factors");
    rk_factor *grown = gfin__realloc(r->factors, (r->nfactors + 1) * sizeof *grown);
    if (!grown)
        return gfin__fail(err, GFIN_ENOMEM, "factors", "out of memory");
    r->factors = grown;
    rk_factor *f = &grown[r->nfactors];
    if (!(f->name = gfin__strdup(name)))
        return gfin__fail(err, GFIN_ENOMEM, "factors", "out of memory");
    f->per = per;
    f->rho = rho;
    f->stream = rk_stream_factor(name);
    r->nfactors++;
    return GFIN_OK;
}

gfin_status gfin_risk_add_correlation(gfin_risk *r, const char *a, const char *b, double rho, gfin_error *err)
{
    if (!r || !a || !b)
        return gfin__fail(err, GFIN_EINVAL, "correlations", "risk and factor names must not be NULL");
    char path[48];
    snprintf(path, sizeof path, "correlations[%zu]", r->ncorr);
    gfin_status st = gfin__check_range(path, "", rho, -1, false, 1, false, err);
    if (st)
        return st;
    if (strcmp(a, b) == 0)
        return gfin__fail(err, GFIN_EINVAL, path, "correlates factor '%.64s' with itself", a);
    for (size_t i = 0; i < r->ncorr; ++i)
        if ((strcmp(r->corr[i].a, a) == 0 && strcmp(r->corr[i].b, b) == 0) ||
            (strcmp(r->corr[i].a, b) == 0 && strcmp(r->corr[i].b, a) == 0))
            return gfin__fail(err, GFIN_EINVAL, path, "duplicate pair '%.64s', '%.64s' (also correlations[%zu])", a,
                              b, i);
    if (r->ncorr >= 100000)
        return gfin__fail(err, GFIN_EINVAL, "correlations", "at most 100000 pairs");
    rk_corr *grown = gfin__realloc(r->corr, (r->ncorr + 1) * sizeof *grown);
    if (!grown)
        return gfin__fail(err, GFIN_ENOMEM, "correlations", "out of memory");
    r->corr = grown;
    rk_corr *c = &grown[r->ncorr];
    c->a = gfin__strdup(a);
    c->b = gfin__strdup(b);
    c->rho = rho;
    if (!c->a || !c->b) {
        gfin__free(c->a);
        gfin__free(c->b);
        return gfin__fail(err, GFIN_ENOMEM, "correlations", "out of memory");
    }
    r->ncorr++;
    return GFIN_OK;
}

gfin_status gfin_risk_add_uncertainty(gfin_risk *r, const gfin_risk_change *ch, const gfin_risk_dist *dist,
                                      const char *factor, gfin_risk_per per, gfin_error *err)
{
    if (!r || !ch || !dist)
        return gfin__fail(err, GFIN_EINVAL, "uncertainties", "risk, change and distribution must not be NULL");
    char path[48];
    snprintf(path, sizeof path, "uncertainties[%zu]", r->nunc);
    if (!gfin_risk_per_name(per))
        return gfin__fail(err, GFIN_EINVAL, path, "per %d is not \"scenario\" or \"year\"", (int)per);
    if (per == GFIN_RISK_PER_YEAR && ch->kind != RK_ENERGY) {
        gfin__fail(err, GFIN_EINVAL, "per", "\"year\" applies to the key \"energy\" only, not to '%s'", ch->key);
        gfin__error_prefix(err, path);
        return GFIN_EINVAL;
    }
    gfin_risk_dist *d = rk_dist_copy(dist);
    if (!d)
        return gfin__fail(err, GFIN_ENOMEM, path, "out of memory");
    gfin_status st = rk_dist_prepare(d, err);
    if (st) {
        gfin_risk_dist_free(d);
        gfin__error_prefix(err, "distribution");
        gfin__error_prefix(err, path);
        return st;
    }
    rk_entry *e;
    if ((st = push_entry(&r->unc, &r->nunc, path, err, &e))) {
        gfin_risk_dist_free(d);
        return st;
    }
    e->dist = d;
    e->per = per;
    if (change_copy(&e->ch, ch) || (factor && !(e->factor = gfin__strdup(factor)))) {
        entry_clear(e);
        return gfin__fail(err, GFIN_ENOMEM, path, "out of memory");
    }
    r->nunc++;
    return GFIN_OK;
}

/* ======================================================================== */
/* Checking against a portfolio: the plan                                   */
/* ======================================================================== */

const char *rk_project_id(const gfin_project *p) { return gfin__p_str(gfin__project_store(p), GFIN_PROJECT_ID); }

/* Whether a key has a base value in a project or loan (set, or a default). */
static bool project_has(const gfin_project *p, const gfin_param_def *d)
{
    double v;
    const double *a;
    size_t n = 0;
    if (d->type == GFIN_PARAM_ARRAY)
        return gfin_project_get_array(p, (gfin_key)d->key, &a, &n) == GFIN_OK && n > 0;
    return gfin_project_get(p, (gfin_key)d->key, &v) == GFIN_OK;
}

static bool loan_has(const gfin_loan *l, const gfin_param_def *d)
{
    double v;
    const double *a;
    size_t n = 0;
    if (d->type == GFIN_PARAM_ARRAY)
        return gfin_loan_get_array(l, (gfin_key)d->key, &a, &n) == GFIN_OK && n > 0;
    return gfin_loan_get(l, (gfin_key)d->key, &v) == GFIN_OK;
}

/* The projects a change selects (sel[i]), by ids and technology; *nsel of them. */
static gfin_status select_projects(const gfin_risk_change *ch, const gfin_portfolio *pf, const char *path, bool *sel,
                                   size_t *nsel, gfin_error *err)
{
    const size_t np = gfin_portfolio_project_count(pf);
    char at[200];
    for (size_t i = 0; i < np; ++i)
        sel[i] = !ch->nprojects;
    for (size_t k = 0; k < ch->nprojects; ++k) {
        size_t i = 0;
        while (i < np && strcmp(rk_project_id(gfin_portfolio_project(pf, i)), ch->projects[k]) != 0)
            i++;
        if (i == np) {
            snprintf(at, sizeof at, "%s.projects[%zu]", path, k);
            return gfin__fail(err, GFIN_EINVAL, at, "'%.64s' names no project of the portfolio", ch->projects[k]);
        }
        sel[i] = true;
    }
    *nsel = 0;
    for (size_t i = 0; i < np; ++i) {
        if (sel[i] && ch->technology >= 0 &&
            gfin__p_num(gfin__project_store(gfin_portfolio_project(pf, i)), GFIN_PROJECT_TECHNOLOGY) != ch->technology)
            sel[i] = false;
        *nsel += sel[i];
    }
    if (!*nsel) {
        snprintf(at, sizeof at, "%s.%s", path, ch->technology >= 0 ? "technology" : "projects");
        return gfin__fail(err, GFIN_EINVAL, at, "selects no project%s", ch->nprojects && ch->technology >= 0
                                                                            ? " (no listed project has that technology)"
                                                                            : "");
    }
    return GFIN_OK;
}

/* Whether a loan of the portfolio is in `currency`. */
static bool currency_used(const gfin_portfolio *pf, const char *currency)
{
    for (size_t i = 0; i < gfin_portfolio_project_count(pf); ++i) {
        const gfin_project *p = gfin_portfolio_project(pf, i);
        for (size_t l = 0; l < gfin_project_loan_count(p); ++l)
            if (strcmp(gfin__p_str(gfin__loan_store(gfin_project_loan(p, l)), GFIN_LOAN_CURRENCY), currency) == 0)
                return true;
    }
    return false;
}

/* The fx paths an fx_drift moves: its currency's, or every path a loan uses. */
static gfin_status fx_targets(const gfin_risk_change *ch, const gfin_portfolio *pf, const char *path,
                              rk_targets *out, gfin_error *err)
{
    const gfin_fx *fx = gfin__portfolio_fx(pf);
    char at[200], have[200];
    gfin__fx_list(fx, have, sizeof have);
    size_t cap = 0;
    for (size_t c = 0; c < fx->n; ++c) {
        const char *cur = fx->paths[c].currency;
        if ((*ch->currency && strcmp(cur, ch->currency) != 0) || !currency_used(pf, cur))
            continue;
        if (gfin__grow((void **)&out->t, &cap, out->n + 1, sizeof *out->t))
            return gfin__fail(err, GFIN_ENOMEM, path, "out of memory");
        out->t[out->n++] = (rk_target){(uint32_t)c, -1};
    }
    if (out->n)
        return GFIN_OK;
    snprintf(at, sizeof at, "%s.%s", path, *ch->currency ? "currency" : "key");
    if (!*ch->currency)
        return gfin__fail(err, GFIN_EINVAL, at, "touches nothing: no loan is in a currency with an fx path (fx has: "
                          "%s)", have);
    if (!gfin__fx_find(fx, ch->currency))
        return gfin__fail(err, GFIN_EINVAL, at, "\"%s\" has no fx path (fx has: %s)", ch->currency, have);
    return gfin__fail(err, GFIN_EINVAL, at, "\"%s\" is the currency of no loan: a drift of its path would change "
                      "nothing", ch->currency);
}

/* The targets of a change in the risk base `pf`: the projects it selects
 * (and their loans, for a loan key) that it can change, or for fx_drift the
 * fx paths. path: the entry. */
gfin_status rk_targets_resolve(const gfin_risk_change *ch, const gfin_portfolio *pf, const char *path,
                               rk_targets *out, gfin_error *err)
{
    const size_t np = gfin_portfolio_project_count(pf);
    char at[200];
    out->t = NULL;
    out->n = 0;
    bool *sel = ch->kind == RK_FX ? NULL : gfin__calloc(np ? np : 1, sizeof *sel);
    if (!sel && ch->kind != RK_FX)
        return gfin__fail(err, GFIN_ENOMEM, path, "out of memory");
    size_t nsel = 0, cap = 0, skipped = 0;
    gfin_status st = ch->kind == RK_FX ? fx_targets(ch, pf, path, out, err)
                                       : select_projects(ch, pf, path, sel, &nsel, err);
    for (size_t i = 0; i < np && !st && sel; ++i) {
        if (!sel[i])
            continue;
        const gfin_project *p = gfin_portfolio_project(pf, i);
        const size_t nl = ch->kind == RK_LOAN ? gfin_project_loan_count(p) : 1;
        for (size_t l = 0; l < nl && !st; ++l) {
            if (ch->kind == RK_LOAN) {
                const gfin_loan *loan = gfin_project_loan(p, l);
                const gfin_pstore *ls = gfin__loan_store(loan);
                bool lender_ok = !ch->nlenders;
                for (size_t k = 0; k < ch->nlenders && !lender_ok; ++k)
                    lender_ok = strcmp(gfin__p_str(ls, GFIN_LOAN_LENDER), ch->lenders[k]) == 0;
                if (!lender_ok)
                    continue;
                if (ch->apply != GFIN_RISK_SET && !loan_has(loan, ch->def)) {
                    skipped++;
                    continue;
                }
            } else if (ch->kind != RK_ENERGY && ch->apply != GFIN_RISK_SET && !project_has(p, ch->def)) {
                skipped++;
                continue;
            }
            if (gfin__grow((void **)&out->t, &cap, out->n + 1, sizeof *out->t)) {
                st = gfin__fail(err, GFIN_ENOMEM, path, "out of memory");
                break;
            }
            out->t[out->n++] = (rk_target){(uint32_t)i, ch->kind == RK_LOAN ? (int32_t)l : -1};
        }
    }
    gfin__free(sel);
    if (!st && !out->n) {
        snprintf(at, sizeof at, "%s.%s", path, ch->kind == RK_LOAN && ch->nlenders ? "lenders" : "key");
        if (skipped)
            st = gfin__fail(err, GFIN_EINVAL, at, "touches nothing: no selected %s has a value of '%s' to %s "
                            "(\"set\" gives one)", ch->kind == RK_LOAN ? "loan" : "project", ch->key,
                            gfin_risk_apply_name(ch->apply));
        else if (ch->kind == RK_LOAN)
            st = gfin__fail(err, GFIN_EINVAL, at, "touches nothing: the selected projects have no loan%s to change",
                            ch->nlenders ? " of those lenders" : "");
    }
    if (st) {
        gfin__free(out->t);
        out->t = NULL;
        out->n = 0;
    }
    return st;
}

void rk_change_label(const gfin_risk_change *ch, char *buf, size_t n)
{
    if (ch->name)
        snprintf(buf, n, "%s", ch->name);
    else
        snprintf(buf, n, "%s %s", ch->key, gfin_risk_apply_name(ch->apply));
}
