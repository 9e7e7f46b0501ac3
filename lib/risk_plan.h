/* risk_plan.h -- the experiment's structures, shared by risk.c (building and
 * checking), risk_run.c (running) and json_risk.c (loading and writing). */
#ifndef GFIN_RISK_PLAN_H
#define GFIN_RISK_PLAN_H

#include "fx.h"
#include "params.h"
#include "risk_internal.h"

#define RK_MAX_SEED ((((uint64_t)1) << 53) - 1)

typedef enum rk_kind { RK_PROJECT = 0, RK_GRID = 1, RK_LOAN = 2, RK_ENERGY = 3, RK_FX = 4 } rk_kind;

/* fx_drift (docs/model.md "Risk"): the bounds of an annual drift d of an fx
 * path, r_y (1 + d)^(y - start_year): wide enough for any currency's history,
 * narrow enough that 500 years of it stay a finite, positive double. */
#define RK_FX_DRIFT_KEY "fx_drift"
#define RK_FX_DRIFT_MIN (-0.5)
#define RK_FX_DRIFT_MAX 1.0

struct gfin_risk_change {
    char key[64];
    const gfin_param_def *def;   /* NULL for energy */
    rk_kind kind;
    gfin_risk_apply apply;
    char **projects;
    size_t nprojects;
    int technology;              /* -1: any */
    char **lenders;
    size_t nlenders;
    int first_year, last_year;   /* energy: calendar years; 0 when all */
    char currency[GFIN_FX_CODE_MAX]; /* fx_drift: the path it moves; "": every path a loan uses */
    char *name;                  /* NULL: "<key> <apply>" */
};

/* A change with what gives its value: a case's value, a sensitivity entry's
 * low and high, or an uncertainty's distribution. */
typedef struct rk_entry {
    gfin_risk_change ch;
    double value, low, high;
    gfin_risk_dist *dist;
    char *factor;                /* NULL: its own draws */
    gfin_risk_per per;
} rk_entry;

typedef struct rk_case {
    char *name;
    rk_entry *changes;
    size_t n;
} rk_case;

typedef struct rk_factor {
    char *name;
    gfin_risk_per per;
    double rho;
    uint64_t stream;
} rk_factor;

typedef struct rk_corr {
    char *a, *b;
    double rho;
} rk_corr;

struct gfin_risk {
    size_t scenarios;
    uint64_t seed;
    double covenant, hurdle;     /* hurdle NaN: none */
    rk_case *cases;
    size_t ncases;
    rk_entry *sens;
    size_t nsens;
    rk_entry *unc;
    size_t nunc;
    rk_factor *factors;
    size_t nfactors;
    rk_corr *corr;
    size_t ncorr;
    bool keep;
    gfin_risk_progress_fn progress;
    void *user;
};

/* Where a change lands: project i, and loan l of it for a loan key (-1
 * otherwise); for fx_drift, `project` is the index of an fx path of the risk
 * base (gfin__portfolio_fx). */
typedef struct rk_target {
    uint32_t project;
    int32_t loan;
} rk_target;

typedef struct rk_targets {
    rk_target *t;
    size_t n;
} rk_targets;

gfin_status rk_targets_resolve(const gfin_risk_change *ch, const gfin_portfolio *pf, const char *path,
                               rk_targets *out, gfin_error *err);
size_t rk_key_names(const char **names, size_t cap);
/* Frees n strings and their array (NULL-safe). */
void rk_strv_free(char **v, size_t n);
/* A project's id. */
const char *rk_project_id(const gfin_project *p);
/* The label of a change: its name, or "<key> <apply>". */
void rk_change_label(const gfin_risk_change *ch, char *buf, size_t n);

#endif
