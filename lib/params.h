/* params.h -- the registry of input keys and metrics (params.c), and the value store (pstore.c).
 * Used by every module that holds or reads inputs. */
#ifndef GFIN_PARAMS_H
#define GFIN_PARAMS_H

#include "core.h"
#include <stdint.h>

typedef enum gfin_object {
    GFIN_OBJ_LOAN = 1, GFIN_OBJ_PROJECT = 2, GFIN_OBJ_DEBT_SIZING = 3, GFIN_OBJ_GRID = 4,
    GFIN_OBJ_FUND = 5, GFIN_OBJ_SOURCE = 6, GFIN_OBJ_PORTFOLIO = 7
} gfin_object;

/* Flags of a definition. */
enum {
    GFIN_PF_REQUIRED = 1u,      /* must be set (or inherited) before evaluation */
    GFIN_PF_DEFAULT = 2u,       /* `def` is the default */
    GFIN_PF_MIN_EXCL = 4u,      /* min itself is refused */
    GFIN_PF_MAX_EXCL = 8u,      /* max itself is refused */
    GFIN_PF_INHERITED = 16u     /* default comes from the portfolio */
};

typedef struct gfin_param_def {
    int key;
    gfin_object object;
    const char *name;
    gfin_param_type type;
    const char *unit;
    double min, max;             /* bounds of a number / integer / array element */
    unsigned flags;
    double def;
    const char *const *choices;  /* NULL-terminated names of a choice key */
    size_t max_len;              /* arrays: most elements accepted */
    const double *allowed;       /* numbers: the only values accepted, NaN-terminated */
    const char *sdef;            /* strings: the default ("" when NULL) */
    const char *doc;
} gfin_param_def;

#define GFIN_STORE_SLOTS 48      /* keys per object: key % 100 < 48 (test_params checks) */
#define GFIN_STRING_MAX 255

const gfin_param_def *gfin__param_def(int key);
const gfin_param_def *gfin__param_find(gfin_object obj, const char *name);
/* All names of an object's keys, for "did you mean" suggestions. */
size_t gfin__param_names(gfin_object obj, const char **names, size_t cap);
const char *gfin__object_name(gfin_object obj);
/* Checks a number, integer, choice or date value against `key`'s definition,
 * with the key's name as the path and the registry's wording (a choice out of
 * range lists the names: "2 is not a valid choice (\"solar\", \"hydro\")"). */
gfin_status gfin__param_check(int key, double v, gfin_error *err);
/* The names of a choice key, quoted and comma-separated, for messages. */
/* `"a", "b", "c"`: the first `count` names (or up to a NULL) for a message. */
void gfin__names_list(const char *const *names, size_t count, char *buf, size_t n);
void gfin__choice_list(const gfin_param_def *d, char *buf, size_t n);

/* One key's value: a number, or an owned array (len doubles) or string
 * (len bytes with its NUL) in `data`. 24 bytes: a portfolio of 100,000
 * projects holds half a million stores of GFIN_STORE_SLOTS of them. */
typedef struct gfin_pvalue {
    double num;
    void *data;
    uint32_t len;
    bool is_string;
    bool set;
} gfin_pvalue;

/* The values of one object's keys. */
typedef struct gfin_pstore {
    gfin_object object;
    gfin_pvalue v[GFIN_STORE_SLOTS];
} gfin_pstore;

void gfin__pstore_init(gfin_pstore *s, gfin_object obj);
void gfin__pstore_clear(gfin_pstore *s);                   /* frees arrays and strings */
gfin_status gfin__pstore_copy(gfin_pstore *dst, const gfin_pstore *src);
/* Validated setters: the key must belong to s->object and have a fitting type.
 * err->path is the key's name, err->message the rule. */
gfin_status gfin__pstore_set(gfin_pstore *s, int key, double value, gfin_error *err);
gfin_status gfin__pstore_set_array(gfin_pstore *s, int key, const double *v, size_t n, gfin_error *err);
gfin_status gfin__pstore_set_string(gfin_pstore *s, int key, const char *str, gfin_error *err);
void gfin__pstore_unset(gfin_pstore *s, int key);
gfin_status gfin__pstore_get(const gfin_pstore *s, int key, double *out);
const char *gfin__pstore_get_string(const gfin_pstore *s, int key);   /* NULL for other keys */
gfin_status gfin__pstore_get_array(const gfin_pstore *s, int key, const double **v, size_t *n);
/* The store among `stores` that holds keys of `key`'s object, NULL if none. */
const gfin_pstore *gfin__pstore_route_const(const gfin_pstore *const *stores, size_t n, int key);
/* Readers for modules (the key must belong to the store): */
bool gfin__p_isset(const gfin_pstore *s, int key);
double gfin__p_num(const gfin_pstore *s, int key);          /* value, else default, else NaN */
const double *gfin__p_arr(const gfin_pstore *s, int key, size_t *len); /* NULL when unset */
const char *gfin__p_str(const gfin_pstore *s, int key);     /* "" when unset */
/* GFIN_EINVAL "required" error for the first required key that is unset
 * (keys with GFIN_PF_INHERITED are skipped: the caller checks those). */
gfin_status gfin__pstore_check_required(const gfin_pstore *s, gfin_error *err);
/* Routes a key to one of several stores by its object (a project holds its own
 * store, a grid and a debt_sizing store). Returns NULL when no store fits. */
gfin_pstore *gfin__pstore_route(gfin_pstore *const *stores, size_t n, int key);

/* Convenience for handle types that keep a last error and one or more stores. */
gfin_status gfin__handle_set(gfin_pstore *const *stores, size_t n, gfin_error *last, int key, double v);
gfin_status gfin__handle_set_array(gfin_pstore *const *stores, size_t n, gfin_error *last, int key,
                                   const double *v, size_t len);
gfin_status gfin__handle_set_string(gfin_pstore *const *stores, size_t n, gfin_error *last, int key,
                                    const char *str);
gfin_status gfin__handle_get(gfin_pstore *const *stores, size_t n, int key, double *out);
gfin_status gfin__handle_unset(gfin_pstore *const *stores, size_t n, int key);

/* Metric registry. */
typedef struct gfin_metric_def {
    int metric;
    const char *name;
    const char *unit;
    const char *doc;
} gfin_metric_def;
const gfin_metric_def *gfin__metric_def(int metric);

/* The technologies: the choices of GFIN_PROJECT_TECHNOLOGY, in number order,
 * and what each adds to a portfolio's outputs: its capacity metric and its
 * 1.0 columns of the "portfolio" table (0 for a technology without them). A
 * portfolio's yearly figures per technology are the tables "technology.<name>".
 * Adding a technology: a line here (with its metric), its sources of energy
 * (energy.c) and TOOL07 weights (carbon.c); nothing that aggregates changes. */
#define GFIN_TECHNOLOGIES(X)                                                                                \
    X(GFIN_TECH_SOLAR, solar, GFIN_M_CAPACITY_MW_SOLAR, GFIN_C_PORTFOLIO_NET_MWH_SOLAR,                     \
      GFIN_C_PORTFOLIO_REDUCTIONS_TCO2E_SOLAR)                                                              \
    X(GFIN_TECH_HYDRO, hydro, GFIN_M_CAPACITY_MW_HYDRO, GFIN_C_PORTFOLIO_NET_MWH_HYDRO,                     \
      GFIN_C_PORTFOLIO_REDUCTIONS_TCO2E_HYDRO)

typedef struct gfin_tech_def {
    gfin_technology tech;
    const char *name;            /* "solar" */
    const char *table;           /* "technology.solar" */
    gfin_metric capacity_metric;
    int net_column, reductions_column;   /* 1.0 "portfolio" columns, 0 when none */
} gfin_tech_def;
#define GFIN_TECH_COUNT_(e, n, m, cn, cr) +1
enum { GFIN_TECH_COUNT = 0 GFIN_TECHNOLOGIES(GFIN_TECH_COUNT_) };
/* The i-th technology (i = its gfin_technology value), i < GFIN_TECH_COUNT. */
const gfin_tech_def *gfin__tech(size_t i);

/* Output registry: every column of every result table. */
typedef struct gfin_column_def {
    int column;                  /* gfin_column */
    const char *table;           /* "schedule", "years", "fund", "portfolio", "technology" */
    const char *name;
    const char *unit;
    gfin_column_kind kind;
    const char *doc;
} gfin_column_def;
const gfin_column_def *gfin__column_def(int column);

#endif /* GFIN_PARAMS_H */
