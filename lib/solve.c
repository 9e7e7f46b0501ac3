/* solve.c -- goal seek: the value of one input key at which a metric reaches a
 * target (docs/model.md "Goal seek").
 *
 * Nothing here models anything: each trial value is set on a private copy of
 * the inputs through the registry's validated setters and the copy is
 * evaluated by project.c / portfolio.c, exactly as `greenfin project` and
 * `greenfin report` would evaluate the edited file. The search is
 *
 *   1. bracketing: from the input's value x0, points x0 +- h 2^k (h = 1 % of
 *      |x0|, or of the bounds' width when x0 = 0 and the bounds are narrow,
 *      else 0.01), the two sides taken in turn so that the bracket nearest
 *      x0 is found first, each side clipped to the key's registry bounds (an
 *      exclusive bound is approached by halving the distance to it); a point
 *      where the metric has no value is skipped;
 *   2. Brent's method (gfin__brent: GSL's gsl_root_fsolver_brent, guarded so
 *      GSL's aborting error handler is never reached) inside the bracket,
 *      to a bracket width of 4 ulp (plus 1e-14 of the initial bracket).
 *
 * A metric that jumps across the target (a discontinuity) leaves Brent on the
 * jump: the value there is checked against the target and refused when it
 * misses by more than 1e-9 of the metric's scale, max(1, |target|, |metric -
 * target| at the ends of the first bracket). */
#include "params.h"
#include "portfolio.h"
#include "project.h"
#include "result.h"
#include "tvm.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define SIDE_STEPS 200          /* points per side at most: 2^200 x the first step */
#define EDGE_HALVINGS 60        /* points approaching an exclusive bound */
#define BRENT_MAX_ITER 200
#define BRENT_EPSREL (4.0 * DBL_EPSILON)
#define BRENT_EPSABS_FRAC 1e-14 /* of the initial bracket's width */
#define REACHED_TOL 1e-9        /* |metric - target| / scale accepted (see run) */

struct gfin_solve {
    gfin_key key;
    gfin_metric metric;
    double target;
    char project[GFIN_STRING_MAX + 1], loan[GFIN_STRING_MAX + 1], scope[GFIN_STRING_MAX + 1];
    bool has_scope;
    bool done;
    double value, reached;
    int iterations, evaluations;
};

gfin_solve *gfin_solve_new(gfin_key key, gfin_metric metric, double target)
{
    gfin_solve *s = gfin__calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->key = key;
    s->metric = metric;
    s->target = target;
    return s;
}

void gfin_solve_free(gfin_solve *s) { gfin__free(s); }

static gfin_status copy_id(char *dst, const char *src, const char *what, gfin_error *err)
{
    if (!src)
        src = "";
    if (strlen(src) > GFIN_STRING_MAX)
        return gfin__fail(err, GFIN_EINVAL, what, "is longer than %d bytes", GFIN_STRING_MAX);
    gfin__strlcpy(dst, src, GFIN_STRING_MAX + 1);
    return GFIN_OK;
}

gfin_status gfin_solve_set_where(gfin_solve *s, const char *project_id, const char *loan_id, gfin_error *err)
{
    if (!s)
        return gfin__fail(err, GFIN_EINVAL, "", "solve is NULL");
    gfin_status st = copy_id(s->project, project_id, "project", err);
    return st ? st : copy_id(s->loan, loan_id, "loan", err);
}

gfin_status gfin_solve_set_scope(gfin_solve *s, const char *scope, gfin_error *err)
{
    if (!s)
        return gfin__fail(err, GFIN_EINVAL, "", "solve is NULL");
    s->has_scope = scope != NULL;
    return copy_id(s->scope, scope, "scope", err);
}

gfin_status gfin_solve_outcome(const gfin_solve *s, double *value, double *reached, int *iterations,
                               int *evaluations)
{
    if (!s)
        return GFIN_EINVAL;
    if (!s->done)
        return GFIN_ENOVALUE;
    if (value)
        *value = s->value;
    if (reached)
        *reached = s->reached;
    if (iterations)
        *iterations = s->iterations;
    if (evaluations)
        *evaluations = s->evaluations;
    return GFIN_OK;
}

/* ---- the inputs being varied ---- */

/* A private copy of the inputs and where the key lives in it. */
typedef struct target_in {
    gfin_solve *s;
    const gfin_param_def *def;
    gfin_project *project;       /* evaluated alone, or NULL */
    gfin_portfolio *portfolio;   /* or evaluated as a portfolio */
    int threads;
    gfin_project *where_project; /* the project whose key (or loan's key) varies, or NULL */
    gfin_loan *where_loan;       /* the loan whose key varies, or NULL */
    const char *scope;           /* a project id, or NULL for the portfolio */
    char path[GFIN_STRING_MAX + 64]; /* the key's path in the inputs, for messages */
    double scale;                /* max(1, |target|, |excess| at the first bracket's ends) */
    gfin_status hard;            /* an error that ends the search (out of memory) */
    gfin_error hard_err;
    double cache_x[2], cache_f[2]; /* the bracket's ends: GSL evaluates them again */
} target_in;

static gfin_status set_value(target_in *t, double x, gfin_error *err)
{
    switch (t->def->object) {
    case GFIN_OBJ_LOAN:
        return gfin_loan_set_err(t->where_loan, t->s->key, x, err);
    case GFIN_OBJ_PROJECT:
    case GFIN_OBJ_DEBT_SIZING:
        return gfin_project_set_err(t->where_project, t->s->key, x, err);
    case GFIN_OBJ_GRID:
        return t->where_project ? gfin_project_set_err(t->where_project, t->s->key, x, err)
                                : gfin_portfolio_set_err(t->portfolio, t->s->key, x, err);
    case GFIN_OBJ_FUND:
        return gfin_fund_set_err(gfin__portfolio_fund_mut(t->portfolio), t->s->key, x, err);
    default:
        return gfin_portfolio_set_err(t->portfolio, t->s->key, x, err);
    }
}

/* The result the metric is read from. */
static const gfin_result *scope_result(const target_in *t, const gfin_result *r)
{
    if (t->project || !t->scope)
        return r;
    for (size_t i = 0; i < gfin_result_child_count(r); ++i)
        if (strcmp(gfin_result_id(gfin_result_child(r, i)), t->scope) == 0)
            return gfin_result_child(r, i);
    return NULL;
}

/* Evaluates the inputs with the key at x: GFIN_OK with *out, or the model's
 * error. */
static gfin_status evaluate_at(target_in *t, double x, gfin_result **out, gfin_error *err)
{
    gfin_status st = set_value(t, x, err);
    if (st)
        return st;
    ++t->s->evaluations;
    return t->project ? gfin_project_evaluate(t->project, out, err)
                      : gfin_portfolio_evaluate(t->portfolio, t->threads, out, err);
}

/* metric - target at x; NaN where the metric has no value or the model
 * refuses x. */
/* The root function's context: gfin__brent passes it on as const. */
typedef struct excess_ctx {
    target_in *t;
} excess_ctx;

static double excess(double x, const void *ctx)
{
    target_in *t = ((const excess_ctx *)ctx)->t;
    for (int i = 0; i < 2; ++i)
        if (t->cache_x[i] == x)
            return t->cache_f[i];
    if (t->hard)
        return NAN;
    gfin_result *r = NULL;
    gfin_error e = {0};
    gfin_status st = evaluate_at(t, x, &r, &e);
    double m = NAN;
    if (st == GFIN_ENOMEM || st == GFIN_EIO) {
        t->hard = st;
        t->hard_err = e;
    } else if (!st) {
        const gfin_result *sr = scope_result(t, r);
        if (!sr || gfin_result_metric(sr, t->s->metric, &m) != GFIN_OK)
            m = NAN;
    }
    gfin_result_free(r);
    return m - t->s->target;
}

/* ---- resolving the key, the project, the loan and the scope ---- */

static gfin_status find_loan(target_in *t, const char *prefix, gfin_error *err)
{
    gfin_project *p = t->where_project;
    size_t n = gfin_project_loan_count(p);
    const char *pid = gfin_project_get_string(p, GFIN_PROJECT_ID);
    if (!t->s->loan[0]) {
        if (n != 1)
            return gfin__fail(err, GFIN_EINVAL, "loan", "project \"%s\" has %zu loans: say which one's %s varies",
                              pid, n, t->def->name);
        t->where_loan = gfin__project_loan_mut(p, 0);
        snprintf(t->path, sizeof t->path, "%sloans[0].%s", prefix, t->def->name);
        return GFIN_OK;
    }
    for (size_t i = 0; i < n; ++i)
        if (strcmp(gfin_loan_get_string(gfin_project_loan(p, i), GFIN_LOAN_ID), t->s->loan) == 0) {
            t->where_loan = gfin__project_loan_mut(p, i);
            snprintf(t->path, sizeof t->path, "%sloans[%zu].%s", prefix, i, t->def->name);
            return GFIN_OK;
        }
    return gfin__fail(err, GFIN_EINVAL, "loan", "project \"%s\" has no loan \"%s\"%s", pid, t->s->loan,
                      n ? "" : " (it has no loans; a sized loan varies through its debt_sizing keys)");
}

/* The project of a portfolio named by s->project (or the only one). */
static gfin_status find_project(target_in *t, bool needed, gfin_error *err)
{
    size_t n = gfin_portfolio_project_count(t->portfolio);
    if (!t->s->project[0]) {
        if (!needed)
            return GFIN_OK;
        if (n != 1)
            return gfin__fail(err, GFIN_EINVAL, "project", "the portfolio has %zu projects: say which one's %s varies",
                              n, t->def->name);
        t->where_project = gfin__portfolio_project_mut(t->portfolio, 0);
        snprintf(t->path, sizeof t->path, "projects[0].");
        return GFIN_OK;
    }
    for (size_t i = 0; i < n; ++i) {
        gfin_project *p = gfin__portfolio_project_mut(t->portfolio, i);
        if (strcmp(gfin_project_get_string(p, GFIN_PROJECT_ID), t->s->project) == 0) {
            t->where_project = p;
            snprintf(t->path, sizeof t->path, "projects[%zu].", i);
            return GFIN_OK;
        }
    }
    return gfin__fail(err, GFIN_EINVAL, "project", "the portfolio has no project \"%s\"", t->s->project);
}

static gfin_status resolve(target_in *t, gfin_error *err)
{
    gfin_solve *s = t->s;
    const gfin_param_def *d = t->def = gfin__param_def((int)s->key);
    if (!d)
        return gfin__fail(err, GFIN_EINVAL, "key", "%d is not a key", (int)s->key);
    if (d->type != GFIN_PARAM_NUMBER)
        return gfin__fail(err, GFIN_EINVAL, d->name, "is %s key: goal seek varies number keys",
                          d->type == GFIN_PARAM_INTEGER ? "an integer"
                          : d->type == GFIN_PARAM_CHOICE ? "a choice"
                          : d->type == GFIN_PARAM_ARRAY ? "an array"
                          : d->type == GFIN_PARAM_STRING ? "a string" : "a date");
    if (d->object == GFIN_OBJ_SOURCE)
        return gfin__fail(err, GFIN_EINVAL, d->name, "is a key of a fund source: goal seek does not vary sources");
    if (!gfin__metric_def((int)s->metric))
        return gfin__fail(err, GFIN_EINVAL, "metric", "%d is not a metric", (int)s->metric);
    if (!isfinite(s->target))
        return gfin__fail(err, GFIN_EINVAL, "target", "is not a finite number");
    bool project_key = d->object == GFIN_OBJ_LOAN || d->object == GFIN_OBJ_PROJECT ||
                       d->object == GFIN_OBJ_DEBT_SIZING;
    char prefix[GFIN_STRING_MAX + 64] = "";
    if (t->project) {
        const char *pid = gfin_project_get_string(t->project, GFIN_PROJECT_ID);
        if (s->project[0] && strcmp(s->project, pid) != 0)
            return gfin__fail(err, GFIN_EINVAL, "project", "\"%s\" is not the project's id (\"%s\")", s->project, pid);
        if (d->object == GFIN_OBJ_FUND || d->object == GFIN_OBJ_PORTFOLIO)
            return gfin__fail(err, GFIN_EINVAL, d->name, "is a %s key: a project alone has none",
                              gfin__object_name(d->object));
        if (t->s->has_scope && strcmp(s->scope, pid) != 0)
            return gfin__fail(err, GFIN_EINVAL, "scope", "\"%s\" is not the project's id (\"%s\")%s", s->scope, pid,
                              strcmp(s->scope, "portfolio") == 0 ? ": a project alone has no portfolio result" : "");
        t->where_project = t->project;
    } else {
        if (d->object == GFIN_OBJ_FUND && !gfin_portfolio_fund(t->portfolio))
            return gfin__fail(err, GFIN_EINVAL, d->name, "is a fund key and the portfolio has no fund");
        if ((d->object == GFIN_OBJ_FUND || d->object == GFIN_OBJ_PORTFOLIO) && s->project[0])
            return gfin__fail(err, GFIN_EINVAL, "project", "%s is a %s key: no project is to be named",
                              d->name, gfin__object_name(d->object));
        gfin_status st = find_project(t, project_key, err);
        if (st)
            return st;
        gfin__strlcpy(prefix, t->path, sizeof prefix);
        if (t->s->has_scope && strcmp(s->scope, "portfolio") != 0) {
            bool found = false;
            for (size_t i = 0; i < gfin_portfolio_project_count(t->portfolio) && !found; ++i)
                found = strcmp(gfin_project_get_string(gfin_portfolio_project(t->portfolio, i), GFIN_PROJECT_ID),
                               s->scope) == 0;
            if (!found)
                return gfin__fail(err, GFIN_EINVAL, "scope", "\"%s\" is neither \"portfolio\" nor a project's id",
                                  s->scope);
            t->scope = s->scope;
        }
    }
    if (d->object == GFIN_OBJ_LOAN)
        return find_loan(t, prefix, err);
    const char *group = d->object == GFIN_OBJ_DEBT_SIZING ? "debt_sizing."
                        : d->object == GFIN_OBJ_GRID      ? "grid."
                        : d->object == GFIN_OBJ_FUND      ? "fund."
                                                          : "";
    snprintf(t->path, sizeof t->path, "%s%s%s", prefix, group, d->name);
    if (d->object == GFIN_OBJ_DEBT_SIZING) {
        double v;
        if (gfin_project_get(t->where_project, GFIN_SIZING_TARGET_DSCR, &v) != GFIN_OK)
            return gfin__fail(err, GFIN_EINVAL, t->path, "the project does not size its debt (no debt_sizing)");
    }
    return GFIN_OK;
}

/* The key's value in the inputs. */
static gfin_status base_value(const target_in *t, double *x, gfin_error *err)
{
    gfin_status st;
    switch (t->def->object) {
    case GFIN_OBJ_LOAN:
        st = gfin_loan_get(t->where_loan, t->s->key, x);
        break;
    case GFIN_OBJ_PROJECT:
    case GFIN_OBJ_DEBT_SIZING:
        st = gfin_project_get(t->where_project, t->s->key, x);
        break;
    case GFIN_OBJ_GRID:
        st = t->where_project ? gfin_project_get(t->where_project, t->s->key, x)
                              : gfin_portfolio_get(t->portfolio, t->s->key, x);
        break;
    case GFIN_OBJ_FUND:
        st = gfin_fund_get(gfin_portfolio_fund(t->portfolio), t->s->key, x);
        break;
    default:
        st = gfin_portfolio_get(t->portfolio, t->s->key, x);
    }
    if (st)
        return gfin__fail(err, GFIN_EINVAL, t->path, "has no value in the input: set it to start the search from");
    return GFIN_OK;
}

/* ---- the search ---- */

/* One side of the bracketing: the last point with a value. */
typedef struct side {
    int dir;
    double lo_bound;            /* the bound this side runs into */
    bool excl;                  /* that bound is refused itself */
    double step;
    int k, halvings;
    bool active;
    double x, f;                /* last point with a value (f NaN: none yet) */
    double last_x;              /* last point tried */
} side;

/* The next point of a side, or false when the side is exhausted. */
static bool next_point(side *sd, double *x)
{
    if (!sd->active)
        return false;
    double b = sd->lo_bound;
    double cand = sd->last_x + sd->dir * sd->step * ldexp(1.0, sd->k);
    bool past = sd->dir > 0 ? !(cand < b) : !(cand > b);
    if (!past && sd->k < SIDE_STEPS && isfinite(cand)) {
        ++sd->k;
        *x = cand;
        return true;
    }
    if (!isfinite(b) || sd->last_x == b) {
        sd->active = false;
        return false;
    }
    if (!sd->excl) {
        sd->active = false;     /* the bound itself is the side's last point */
        *x = b;
        return true;
    }
    double mid = sd->last_x + (b - sd->last_x) / 2;
    if (sd->halvings++ >= EDGE_HALVINGS || mid == sd->last_x || mid == b) {
        sd->active = false;
        return false;
    }
    *x = mid;
    return true;
}

typedef struct span {
    double fmin, fmax;          /* the metric's range over the points with a value */
    double xlo, xhi;            /* the range of the points tried */
    int valued;
} span;

static void span_add(span *sp, double x, double f, double target)
{
    sp->xlo = fmin(sp->xlo, x);
    sp->xhi = fmax(sp->xhi, x);
    if (isnan(f))
        return;
    sp->fmin = fmin(sp->fmin, f + target);
    sp->fmax = fmax(sp->fmax, f + target);
    ++sp->valued;
}

static gfin_status no_root(const target_in *t, const span *sp, double lo, double hi, int lo_x, int hi_x,
                           gfin_error *err)
{
    const char *m = gfin_metric_name(t->s->metric);
    char where[256];
    snprintf(where, sizeof where, "%s from %.6g to %.6g (its bounds %c%.6g, %.6g%c)", t->def->name, sp->xlo, sp->xhi,
             lo_x ? '(' : '[', lo, hi, hi_x ? ')' : ']');
    if (!sp->valued)
        return gfin__fail(err, GFIN_ENOCONV, m, "has no value for %s", where);
    if (sp->fmin == sp->fmax)
        return gfin__fail(err, GFIN_ENOCONV, m, "does not respond to %s: it is %.6g for %s", t->def->name, sp->fmin,
                          where);
    return gfin__fail(err, GFIN_ENOCONV, m, "ranges over [%.6g, %.6g] for %s and never reaches the target %.6g",
                      sp->fmin, sp->fmax, where, t->s->target);
}

/* The excess of the metric over the target at the base value x0 (NAN when
 * the metric has no value there). An input the model refuses is the input's
 * error. A metric that is not the portfolio's is looked up on the varied
 * project, or on the only one, which then becomes the scope. */
static gfin_status base_excess(target_in *t, double x0, double *f0, gfin_error *err)
{
    gfin_solve *s = t->s;
    gfin_result *r0 = NULL;
    gfin_status st = evaluate_at(t, x0, &r0, err);
    if (st)
        return st;
    const gfin_result *sr = scope_result(t, r0);
    double m0 = NAN;
    gfin_status ms = sr ? gfin_result_metric(sr, s->metric, &m0) : GFIN_EINVAL;
    if (ms == GFIN_EINVAL && !t->project && !t->s->has_scope) {
        /* Not a portfolio metric: the varied project's, or the only one's. */
        const gfin_project *p = t->where_project;
        if (!p && gfin_portfolio_project_count(t->portfolio) == 1)
            p = gfin_portfolio_project(t->portfolio, 0);
        if (p) {
            t->scope = gfin_project_get_string(p, GFIN_PROJECT_ID);
            sr = scope_result(t, r0);
            ms = sr ? gfin_result_metric(sr, s->metric, &m0) : GFIN_EINVAL;
        }
    }
    gfin_result_free(r0);
    if (ms == GFIN_EINVAL)
        return gfin__fail(err, GFIN_EINVAL, gfin_metric_name(s->metric), "is not a metric of the %s result",
                          t->project ? "project's" : t->scope ? "project's" : "portfolio's");
    *f0 = ms == GFIN_OK ? m0 - s->target : NAN;
    return GFIN_OK;
}

/* Brent's method between two tried values whose excesses (x1, f1), (x2, f2)
 * have opposite signs; both are cached, so the solver does not evaluate the
 * model at them again. */
static gfin_status refine(target_in *t, double x1, double f1, double x2, double f2, double *root, gfin_error *err)
{
    gfin_solve *s = t->s;
    double a = fmin(x1, x2), b = fmax(x1, x2);
    double fa = a == x2 ? f2 : f1, fb = a == x2 ? f1 : f2;
    t->scale = fmax(t->scale, fmax(fabs(fa), fabs(fb)));
    t->cache_x[0] = a;
    t->cache_f[0] = fa;
    t->cache_x[1] = b;
    t->cache_f[1] = fb;
    gfin_status st = gfin__brent(excess, &(excess_ctx){t}, a, b, fa, fb, BRENT_EPSABS_FRAC * (b - a), BRENT_EPSREL,
                                 BRENT_MAX_ITER, root, &s->iterations);
    if (t->hard)
        return gfin__fail(err, t->hard, t->hard_err.path, "%s", t->hard_err.message);
    if (st) {
        char xa[32], xb[32];
        gfin__fmt_num(xa, sizeof xa, a);
        gfin__fmt_num(xb, sizeof xb, b);
        return gfin__fail(err, GFIN_ENOCONV, gfin_metric_name(s->metric),
                          "crosses the target between %s = %s and %s, but has no value somewhere in between "
                          "or Brent's method did not converge", t->def->name, xa, xb);
    }
    return GFIN_OK;
}

static gfin_status search(target_in *t, double *root, gfin_error *err)
{
    gfin_solve *s = t->s;
    double lo, hi;
    int lo_x, hi_x;
    (void)gfin_key_bounds(s->key, &lo, &hi, &lo_x, &hi_x);
    double x0;
    gfin_status st = base_value(t, &x0, err);
    if (st)
        return st;
    double f0 = NAN;
    if ((st = base_excess(t, x0, &f0, err)))
        return st;
    if (f0 == 0.0) {
        *root = x0;
        return GFIN_OK;
    }
    span sp = {HUGE_VAL, -HUGE_VAL, x0, x0, 0};
    span_add(&sp, x0, f0, s->target);
    double width = hi - lo;
    double step = x0 != 0.0 ? 0.01 * fabs(x0) : width <= 1e6 ? 0.01 * width : 0.01;
    side sides[2] = {{-1, lo, lo_x != 0, step, 0, 0, x0 > lo, x0, f0, x0},
                     {+1, hi, hi_x != 0, step, 0, 0, x0 < hi, x0, f0, x0}};
    for (int turn = 0; sides[0].active || sides[1].active; ++turn) {
        side *sd = &sides[turn & 1];
        double x;
        if (!next_point(sd, &x))
            continue;
        sd->last_x = x;
        double f = excess(x, &(excess_ctx){t});
        if (t->hard)
            return gfin__fail(err, t->hard, t->hard_err.path, "%s", t->hard_err.message);
        span_add(&sp, x, f, s->target);
        if (isnan(f))
            continue;
        if (f == 0.0) {
            *root = x;
            return GFIN_OK;
        }
        if (!isnan(sd->f) && (f < 0) != (sd->f < 0))
            return refine(t, sd->x, sd->f, x, f, root, err);
        sd->x = x;
        sd->f = f;
    }
    return no_root(t, &sp, lo, hi, lo_x, hi_x, err);
}

/* The search, then the result at the value found. */
static gfin_status run(target_in *t, gfin_result **out, gfin_error *err)
{
    gfin_solve *s = t->s;
    s->done = false;
    s->iterations = s->evaluations = 0;
    t->cache_x[0] = t->cache_x[1] = NAN;
    t->scale = fmax(1.0, fabs(s->target));
    double root;
    gfin_status st = resolve(t, err);
    if (!st)
        st = search(t, &root, err);
    if (st)
        return st;
    gfin_result *r = NULL;
    if ((st = evaluate_at(t, root, &r, err)))
        return st;
    double m = NAN;
    const gfin_result *sr = scope_result(t, r);
    if (!sr || gfin_result_metric(sr, s->metric, &m) != GFIN_OK ||
        !(fabs(m - s->target) <= REACHED_TOL * t->scale)) {
        char xs[32], ms[32], tg[32];
        gfin__fmt_num(xs, sizeof xs, root);
        gfin__fmt_num(ms, sizeof ms, m);
        gfin__fmt_num(tg, sizeof tg, s->target);
        gfin_result_free(r);
        return gfin__fail(err, GFIN_ENOCONV, gfin_metric_name(s->metric),
                          "jumps across the target %s at %s = %s (%s there): no value of %s reaches it", tg,
                          t->def->name, xs, ms, t->def->name);
    }
    s->value = root;
    s->reached = m;
    s->done = true;
    *out = r;
    return GFIN_OK;
}

/* Errors of the model at a trial value name the key's path in the inputs. */
static void name_path(const target_in *t, gfin_status st, gfin_error *err)
{
    if (st == GFIN_EINVAL && err && !err->path[0])
        gfin__strlcpy(err->path, t->path, sizeof err->path);
}

gfin_status gfin_solve_project(gfin_solve *s, const gfin_project *project, gfin_result **out, gfin_error *err)
{
    if (!s || !project || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "solve, project and out must not be NULL");
    target_in t = {.s = s, .project = gfin_project_copy(project)};
    if (!t.project)
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    gfin_status st = run(&t, out, err);
    name_path(&t, st, err);
    gfin_project_free(t.project);
    return st;
}

gfin_status gfin_solve_portfolio(gfin_solve *s, const gfin_portfolio *portfolio, int threads, gfin_result **out,
                                 gfin_error *err)
{
    if (!s || !portfolio || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "solve, portfolio and out must not be NULL");
    target_in t = {.s = s, .portfolio = gfin__portfolio_copy(portfolio), .threads = threads};
    if (!t.portfolio)
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory");
    gfin_status st = run(&t, out, err);
    name_path(&t, st, err);
    gfin_portfolio_free(t.portfolio);
    return st;
}
