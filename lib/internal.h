/* internal.h -- what the library's modules share and callers never see. */
#ifndef GFIN_INTERNAL_H
#define GFIN_INTERNAL_H

#include "greenfin.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
#  define GFIN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#  define GFIN_PRINTF(a, b)
#endif

/* ---- memory (core.c): everything goes through the allocator hook ---- */
void *gfin__malloc(size_t size);
void *gfin__calloc(size_t n, size_t size);   /* checks n * size for overflow */
void *gfin__realloc(void *ptr, size_t size);
void gfin__free(void *ptr);
char *gfin__strdup(const char *s);
/* Whether the allocator is malloc/realloc/free (no hook set). */
bool gfin__allocator_is_default(void);
/* Appends to a growing array of `elem` bytes; *cap doubles. GFIN_ENOMEM. */
gfin_status gfin__grow(void **arr, size_t *cap, size_t need, size_t elem);

/* ---- errors (core.c) ---- */
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
/* Shortest decimal form of a number for messages ("0.05", "-0.5", "1e+308"). */
void gfin__fmt_num(char *buf, size_t n, double v);
/* Bounded string copy (always NUL-terminated). */
void gfin__strlcpy(char *dst, const char *src, size_t n);

/* ---- the parameter registry (params.c) ---- */
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

/* ---- tables (table.c) ---- */
struct gfin_table {
    size_t rows, cols;
    const char **names;     /* static strings (column names are literals) */
    unsigned char *kinds;   /* gfin_column_kind */
    double *data;           /* cols * rows, column-major */
};
/* A table of `rows` x `cols`, every cell 0. names/kinds are copied pointers to
 * static storage; kinds may be NULL (all numbers). NULL on ENOMEM or when the
 * size would exceed GFIN_TABLE_MAX_CELLS. */
#define GFIN_TABLE_MAX_CELLS ((size_t)1 << 28)
gfin_table *gfin__table_new(size_t rows, size_t cols, const char *const *names, const unsigned char *kinds);
static inline double *gfin__col(gfin_table *t, size_t j) { return t->data + j * t->rows; }

/* ---- results (result.c) ---- */
gfin_result *gfin__result_new(gfin_result_kind kind, const char *id);
/* Takes ownership of `table` (freed on failure too). */
gfin_status gfin__result_add_table(gfin_result *r, const char *name, gfin_table *table);
/* A metric; NaN is stored as null. */
gfin_status gfin__result_add_metric(gfin_result *r, gfin_metric m, double value);
gfin_status gfin__result_add_warning(gfin_result *r, const char *fmt, ...) GFIN_PRINTF(2, 3);
/* Appends src's warnings to dst's, which takes them over (src keeps none). */
gfin_status gfin__result_move_warnings(gfin_result *dst, gfin_result *src);
/* Takes ownership of `child` (freed on failure too). */
gfin_status gfin__result_add_child(gfin_result *r, gfin_result *child);
/* Replaces a table owned by the result without copying: for modules that
 * build tables in place. NULL when absent. */
gfin_table *gfin__result_table_mut(gfin_result *r, const char *name);
gfin_status gfin__result_set_id(gfin_result *r, const char *id);

/* ---- tvm internals (tvm.c) shared with loan/project/fund ---- */
/* (1 + r)^n - 1 and the annuity factor computed with log1p/expm1. */
double gfin__growth_m1(double r, double n);
/* ---- dates (dates.c) ---- */
/* A day within 0001-01-01 .. 9999-12-31. */
bool gfin__date_valid(gfin_date d);
bool gfin__is_leap(int y);
int gfin__days_in_month(int y, int m);
/* Writes "YYYY-MM-DD" (11 bytes with NUL). Days outside 0001-01-01..9999-12-31
 * are written "0000-00-00". */
void gfin__date_str(gfin_date d, char buf[16]);
/* Parses "YYYY-MM-DD" strictly; GFIN_EINVAL otherwise. */
gfin_status gfin__date_parse(const char *s, gfin_date *out);

/* ---- loan internals (loan.c) used by project.c ---- */
const gfin_pstore *gfin__loan_store(const gfin_loan *loan);
gfin_loan *gfin__loan_from_store(const gfin_pstore *s);  /* copies the store */
/* The schedule table, not validated again (caller validated). */
gfin_table *gfin__loan_schedule(const gfin_loan *loan, gfin_error *err);
/* Number of periods N and the frequency, after validation. */
size_t gfin__loan_periods(const gfin_loan *loan);
/* Appends the loan metrics computed from `schedule` to `r`. */
gfin_status gfin__loan_add_metrics(const gfin_loan *loan, const gfin_table *schedule, gfin_result *r);

/* ---- energy and carbon internals (energy.c, carbon.c) used by project.c ---- */
#define GFIN_P90_Z 1.2816

/* Yearly energy of the operating years 1..n_years (index 0 = operating year 1),
 * P50 (the P90 scale is applied by the caller). */
typedef struct gfin_energy_in {
    gfin_technology technology;
    double capacity_mw;
    double specific_yield;       /* kWh/kWp, NaN when unset */
    double capacity_factor;      /* NaN when unset */
    const double *monthly_flow;  /* monthly_flow_len values (12 required), or NULL */
    size_t monthly_flow_len;
    double head_m, efficiency;
    double availability, losses, own_use, degradation;
} gfin_energy_in;
/* gross/net per operating year. Validates the combination (exactly one source of
 * energy, flows with head, ...) with the key as path. */
gfin_status gfin__energy_yearly(const gfin_energy_in *in, size_t n_years, double *gross_mwh, double *net_mwh,
                                gfin_error *err);

typedef struct gfin_carbon_in {
    gfin_technology technology;
    gfin_crediting crediting;
    double ef_cm, ef_om, ef_bm;  /* ef_cm NaN when OM/BM are used, and the reverse */
    double ef_change_per_year;
    double power_density;        /* NaN when no reservoir is added */
} gfin_carbon_in;
/* Per operating year j (index j-1): baseline, project emissions, reductions,
 * credited tonnes, from gross and net MWh. *not_applicable is set when ACM0002
 * does not apply (PD <= 4): then project/reductions/credited are 0. */
gfin_status gfin__carbon_yearly(const gfin_carbon_in *in, size_t n_years, const double *gross_mwh,
                                const double *net_mwh, double *baseline, double *project, double *reductions,
                                double *credited, bool *not_applicable, gfin_error *err);
/* Whether operating year j (1-based) is in the crediting period. */
bool gfin__credited_year(gfin_crediting c, size_t j);

/* ---- store accessors for json.c and portfolio.c ---- */
const gfin_pstore *gfin__project_store(const gfin_project *p);
/* The store of a handle that holds keys of object `obj`, NULL if none. */
gfin_pstore *gfin__project_store_mut(gfin_project *p, gfin_object obj);
/* Appends a loan the project now owns (freed on failure, as by the loaders). */
gfin_status gfin__project_adopt_loan(gfin_project *pr, gfin_loan *loan, gfin_error *err);
gfin_pstore *gfin__portfolio_store_mut(gfin_portfolio *pf, gfin_object obj);
gfin_pstore *gfin__fund_store_mut(gfin_fund *f);
/* Evaluation with defaults inherited from a portfolio (grid store, discount
 * rate, start year; NULL/NaN/0 when none). */
typedef struct gfin_inherit {
    const gfin_pstore *grid;
    double discount_rate;        /* NaN when none */
    int start_year;              /* 0 when none */
} gfin_inherit;
gfin_status gfin__project_evaluate(const gfin_project *p, const gfin_inherit *inh, gfin_result **out,
                                   gfin_error *err);
/* Whether the project's i-th loan result (its loans in order, then the sized
 * loan) is lent by the portfolio's fund. */
bool gfin__project_loan_from_fund(const gfin_project *p, size_t i);

/* ---- fund internals (fund.c) used by portfolio.c and json.c ---- */
gfin_status gfin__fund_add_source_store(gfin_fund *f, const gfin_pstore *src, gfin_error *err);
gfin_status gfin__fund_validate(const gfin_fund *f, gfin_error *err);
/* The yearly book of the fund's loans: a "fund" table of `years` rows. */
gfin_table *gfin__fund_book_new(size_t years, int start_year);
/* Adds a fund loan's schedule; `offset` is its project's first year - 1 in the portfolio. */
void gfin__fund_book_add(gfin_table *book, const gfin_table *schedule, size_t offset);
/* Fills the derived columns and adds the fund metrics and warnings to r. */
gfin_status gfin__fund_finish(const gfin_fund *f, gfin_table *book, double committed, double rate_w,
                              gfin_result *r);

/* ---- portfolio internals used by json.c ---- */
/* Appends a project the portfolio takes over (freed on failure); duplicate ids
 * are refused with err->path "id". */
gfin_status gfin__portfolio_take_project(gfin_portfolio *pf, gfin_project *project, gfin_error *err);
gfin_status gfin__portfolio_take_fund(gfin_portfolio *pf, gfin_fund *fund);

#endif /* GFIN_INTERNAL_H */
