/*
 * greenfin.h -- the public API of greenfin, a C11 library for appraising and
 * monitoring portfolios of hydropower and solar projects financed by green funds.
 *
 * This header is the specification. It is read top to bottom in data-flow order:
 *
 *   1. version
 *   2. status codes and the error record
 *   3. memory: the allocator hook and gfin_free
 *   4. the parameter registry (input keys) and the metric registry (output figures)
 *   5. time value of money (tvm)
 *   6. loans
 *   7. energy and carbon (small pure functions; the project uses them)
 *   8. projects
 *   9. funds and portfolios
 *  10. results (one result type for loans, projects and portfolios)
 *  11. JSON in and out
 *  12. tables
 *  13. experimental: modules whose API may still change (risk, solve, reports)
 *
 * What the figures mean (every formula, rule and source) is in docs/model.md;
 * which module owns what, in docs/architecture.md.
 *
 * Conventions that hold everywhere (see also README.md):
 *
 * - Units are in the names: money in the portfolio's currency, rates as fractions
 *   per year (0.05 = 5 %), energy in MWh, capacity in MW, emissions in tCO2e,
 *   emission factors in tCO2e/MWh, areas in km2.
 * - Sign convention of the TVM functions is the spreadsheet one: money paid out is
 *   negative, money received is positive.
 * - One error model: every call that can fail returns a gfin_status (GFIN_OK = 0,
 *   errors < 0) or NULL, and can fill a caller-owned gfin_error (pass NULL when
 *   the detail is not wanted). The setters of a handle take no gfin_error: the
 *   detail of their last failure is kept in the handle (*_last_error), a
 *   convenience as sqlite3_errmsg is, and each setter has a twin that also
 *   fills a gfin_error (gfin_loan_set_err, ...). Where a 1.0 function returns
 *   a bare int (gfin_key_find, gfin_table_col_kind, ...), a typed twin
 *   returning gfin_status exists (gfin_key_lookup, gfin_table_col_get_kind,
 *   ...); the 1.0 function is kept, unchanged, for compatibility. Calls that
 *   only read (getters, registry properties, result and table accessors)
 *   report their few failures by status alone -- not a key of this object
 *   (GFIN_EINVAL), no value (GFIN_ENOVALUE), past the end (NULL) -- where a
 *   message would add nothing; so do *_new and *_copy (NULL: out of memory).
 * - Handles are opaque. *_free(NULL) is a harmless no-op.
 * - The library never aborts, exits or prints, and keeps no mutable global state
 *   apart from the allocator hook (set once, before any other call). Distinct
 *   handles may be used from distinct threads at the same time; one handle must
 *   not be used from two threads at once unless its documentation says so.
 *   Functions taking only const handles or plain values are thread-safe.
 * - Non-finite inputs (NaN, +-Inf) are refused with GFIN_EINVAL, never propagated.
 *
 * Two tiers:
 *
 * - Stable: sections 1 to 12. Within a major version a stable function keeps
 *   its signature and meaning, and an enum value or key number, once published,
 *   never changes meaning or number; changed behaviour gets a new name (a _v2 or
 *   a twin). The ABI check (tests/abi) fails on any change to them; additions
 *   are allowed in minor versions (GFIN_VERSION_MINOR says which).
 * - Experimental: section 13. New modules start there. Their functions, types
 *   and enumerators may change or go in any minor version (the CHANGELOG says
 *   so); the ABI check ignores them (tests/abi/experimental.supp). A function
 *   moves to the stable tier in a minor release, and from then on the stable
 *   rules hold. Do not ship a binary against the experimental tier without
 *   pinning the minor version.
 *
 * Versions: a minor version adds (functions, keys, metrics, columns,
 * enumerators) and may change a documented figure only to correct it, recorded
 * in CHANGELOG.md; a major version (a new soname) is the only place where a
 * stable interface may break.
 */
#ifndef GREENFIN_H
#define GREENFIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Export macro: symbols are hidden unless marked GFIN_API. */
#ifndef GFIN_API
#  if defined(_WIN32)
#    define GFIN_API
#  elif defined(__GNUC__) && __GNUC__ >= 4
#    define GFIN_API __attribute__((visibility("default")))
#  else
#    define GFIN_API
#  endif
#endif

/* Calls whose status must be looked at. */
#if defined(__GNUC__) && __GNUC__ >= 4
#  define GFIN_NODISCARD __attribute__((warn_unused_result))
#else
#  define GFIN_NODISCARD
#endif

/* ======================================================================== */
/* 1. Version                                                               */
/* ======================================================================== */

#define GFIN_VERSION_MAJOR 1
#define GFIN_VERSION_MINOR 1
#define GFIN_VERSION_PATCH 0
#define GFIN_VERSION_STRING "1.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, comparable with gfin_version(). */
#define GFIN_VERSION_NUMBER \
    (GFIN_VERSION_MAJOR * 10000 + GFIN_VERSION_MINOR * 100 + GFIN_VERSION_PATCH)

/* The version of the library linked at run time, as GFIN_VERSION_NUMBER and as
 * "MAJOR.MINOR.PATCH" (static storage). Thread-safe. */
GFIN_API int gfin_version(void);
GFIN_API const char *gfin_version_string(void);

/* ======================================================================== */
/* 2. Status codes and errors                                               */
/* ======================================================================== */

/* The numbers never change; new codes get new numbers. */
typedef enum gfin_status {
    GFIN_OK = 0,
    GFIN_EINVAL = -1,          /* bad argument or input (the error says which and why) */
    GFIN_ENOMEM = -2,          /* an allocation failed */
    GFIN_ERANGE = -3,          /* a result is not representable (overflow) */
    GFIN_ENOCONV = -4,         /* no solution exists, or the iteration did not converge */
    GFIN_EPARSE = -5,          /* malformed JSON */
    GFIN_EIO = -6,             /* a file could not be read or written */
    GFIN_ENOTAPPLICABLE = -7,  /* a methodology does not apply to this case */
    GFIN_ENOVALUE = -8         /* a metric exists but has no value here (JSON null) */
} gfin_status;

/* The error record: caller-owned, optional (pass NULL when not wanted).
 * On failure `code` is the status returned, `path` names the offending field
 * (a key name such as "annual_rate", or for JSON input the full path such as
 * "projects[2].loans[0].annual_rate"; empty when no field is to blame) and
 * `message` says what is wrong with it, with the value and the rule
 * ("-0.5 is below the minimum 0"). Print it as "path: message". On success the
 * record is left untouched. Both strings are always NUL-terminated. */
typedef struct gfin_error {
    int code;            /* a gfin_status (an int since 1.0: read it with gfin_error_status) */
    char path[128];
    char message[256];
} gfin_error;

/* The record's code as a gfin_status; GFIN_OK for NULL. Thread-safe. */
GFIN_API gfin_status gfin_error_status(const gfin_error *err);

/* A static English description of a status code ("invalid argument", ...), or
 * "unknown status" for numbers that are not codes. Thread-safe. */
GFIN_API const char *gfin_strerror(int status);

/* The number of a public enumerator by its name as written in this header
 * ("GFIN_EINVAL", "GFIN_PARAM_DATE", "GFIN_COL_DATE", "GFIN_RESULT_PORTFOLIO"),
 * for bindings that cannot read a C header and would otherwise copy the
 * numbers (the idea of libsodium's crypto_box_publickeybytes(), the function
 * twin of a constant). Covers gfin_status, gfin_param_type, gfin_column_kind
 * and gfin_result_kind. GFIN_EINVAL (err->path the name) for any other name or
 * a NULL argument; *out is written only on success. Thread-safe. */
GFIN_API GFIN_NODISCARD gfin_status gfin_enum_value(const char *name, int *out, gfin_error *err);

/* ======================================================================== */
/* 3. Memory                                                                */
/* ======================================================================== */

typedef void *(*gfin_malloc_fn)(size_t size);
typedef void *(*gfin_realloc_fn)(void *ptr, size_t size);
typedef void (*gfin_free_fn)(void *ptr);

/* Replaces the allocator the library uses for everything it allocates. All three
 * functions must be given (GFIN_EINVAL otherwise); passing three NULLs restores
 * malloc/realloc/free. Call it once, before any other greenfin call and while no
 * other thread uses the library: handles allocated with one allocator must be
 * freed with the same one. Not thread-safe (it is the one piece of global state).
 *
 * The hook sees everything allocated on the library's behalf, the JSON parser's
 * memory included: when a hook is set, the first JSON call points cJSON's own
 * process-global hooks (cJSON_InitHooks) at it. So in a process that also uses
 * cJSON directly, that code then allocates through this hook as well, and hooks
 * it set itself are replaced; without a hook greenfin leaves cJSON alone. */
GFIN_API gfin_status gfin_set_allocator(gfin_malloc_fn m, gfin_realloc_fn r, gfin_free_fn f);

/* Frees a buffer the library returned (JSON and CSV text). NULL is a no-op. */
GFIN_API void gfin_free(void *ptr);

/* ======================================================================== */
/* 4. Parameter and metric registries                                       */
/* ======================================================================== */

/*
 * Every input of every object is a key. The key's number is stable, and the
 * registry gives its name (the JSON key and the Python keyword, as in docs/model.md),
 * its type, unit, bounds, default and a one-line description. The C setters
 * (gfin_loan_set, ...), the JSON loader and the Python bindings all go through
 * this one table, so a key is validated the same way whichever door it comes in.
 *
 * Keys are grouped by object; the hundreds digit is the object:
 *   1xx loan, 2xx project, 3xx debt_sizing (inside a project), 4xx grid (inside a
 *   project or a portfolio), 5xx fund, 6xx fund source, 7xx portfolio.
 * A project accepts its own keys and the grid and debt_sizing keys; a portfolio
 * accepts its own keys and the grid keys.
 *
 * The comments below say what a key is; its default, bounds and unit are the
 * registry's alone (gfin_key_default, gfin_key_bounds, gfin_key_unit, and the
 * key reference of README.md generated from them), so they are not repeated.
 *
 * Choice keys take the enum values listed with them (GFIN_AMORT_*, ...), passed
 * as a double in C and by name in JSON and Python. Date keys take a gfin_date
 * (days since 1970-01-01) in C and "YYYY-MM-DD" in JSON. Integer keys refuse
 * fractional values.
 */
typedef enum gfin_key {
    /* loan */
    GFIN_LOAN_ID = 100,                  /* string: label */
    GFIN_LOAN_LENDER = 101,              /* string: "fund" marks a loan of the portfolio's fund */
    GFIN_LOAN_PRINCIPAL = 102,           /* money > 0, required: the commitment */
    GFIN_LOAN_ANNUAL_RATE = 103,         /* fraction/year, required unless BASE_RATES */
    GFIN_LOAN_MARGIN = 104,              /* fraction/year added to the rate */
    GFIN_LOAN_BASE_RATES = 105,          /* array, fraction/year: floating base rate per period */
    GFIN_LOAN_FREQUENCY = 106,           /* payments per year: 1, 2, 4 or 12 */
    GFIN_LOAN_DRAWDOWNS = 107,           /* array of fractions of principal per availability period, sum 1 */
    GFIN_LOAN_IDC_MODE = 108,            /* choice gfin_idc_mode */
    GFIN_LOAN_GRACE_PERIODS = 109,       /* integer periods */
    GFIN_LOAN_GRACE_MODE = 110,          /* choice gfin_grace_mode */
    GFIN_LOAN_REPAYMENT_PERIODS = 111,   /* integer periods >= 1, required */
    GFIN_LOAN_AMORTIZATION = 112,        /* choice gfin_amortization */
    GFIN_LOAN_BALLOON_FRACTION = 113,    /* fraction of the repayment-start balance */
    GFIN_LOAN_PRINCIPAL_PROFILE = 114,   /* array of R fractions (custom), sum 1 */
    GFIN_LOAN_DEBT_SERVICE_PROFILE = 115,/* array of R money amounts (sculpted) */
    GFIN_LOAN_UPFRONT_FEE = 116,         /* fraction of principal, paid at the first drawdown */
    GFIN_LOAN_COMMITMENT_FEE = 117,      /* fraction/year on the undrawn commitment */
    GFIN_LOAN_START_DATE = 118,          /* date: with it the schedule is dated */
    GFIN_LOAN_DAY_COUNT = 119,           /* choice gfin_day_count */
    GFIN_LOAN_CURRENCY = 120,            /* string: ISO code; "" = the portfolio's currency (fx paths convert) */
    GFIN_LOAN_SWEPT = 121,               /* choice gfin_swept: prepaid by its project's cash sweep */

    /* project */
    GFIN_PROJECT_ID = 200,               /* string, required */
    GFIN_PROJECT_NAME = 201,             /* string */
    GFIN_PROJECT_TECHNOLOGY = 202,       /* choice gfin_technology, required */
    GFIN_PROJECT_CAPACITY_MW = 203,      /* MW (solar: MWp), required */
    GFIN_PROJECT_CONSTRUCTION_YEARS = 204,/* integer years */
    GFIN_PROJECT_OPERATING_YEARS = 205,  /* integer years */
    GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP = 206, /* kWh/kWp/year, solar P50 first year */
    GFIN_PROJECT_CAPACITY_FACTOR = 207,  /* fraction in (0, 1] */
    GFIN_PROJECT_MONTHLY_FLOW_M3S = 208, /* array of 12 mean flows, m3/s (hydro) */
    GFIN_PROJECT_HEAD_M = 209,           /* net head, m (hydro by flow) */
    GFIN_PROJECT_EFFICIENCY = 210,       /* turbine-generator efficiency */
    GFIN_PROJECT_AVAILABILITY = 211,     /* fraction */
    GFIN_PROJECT_LOSSES = 212,           /* fraction */
    GFIN_PROJECT_OWN_USE = 213,          /* fraction of gross */
    GFIN_PROJECT_DEGRADATION = 214,      /* fraction/year */
    GFIN_PROJECT_YIELD_UNCERTAINTY = 215,/* one-sigma fraction of annual energy */
    GFIN_PROJECT_RESERVOIR_AREA_KM2 = 216,
    GFIN_PROJECT_BASELINE_CAPACITY_MW = 217,
    GFIN_PROJECT_BASELINE_AREA_KM2 = 218,
    GFIN_PROJECT_CAPEX = 219,            /* money > 0, required */
    GFIN_PROJECT_CAPEX_PROFILE = 220,    /* array of fractions per construction year, sum 1 */
    GFIN_PROJECT_OPEX_FIXED = 221,       /* money/year */
    GFIN_PROJECT_OPEX_VARIABLE_PER_MWH = 222, /* money/MWh */
    GFIN_PROJECT_OPEX_ESCALATION = 223,  /* fraction/year */
    GFIN_PROJECT_TARIFF_PER_MWH = 224,   /* money/MWh, required */
    GFIN_PROJECT_TARIFF_ESCALATION = 225,/* fraction/year */
    GFIN_PROJECT_CARBON_PRICE_PER_TCO2E = 226, /* money/tCO2e */
    GFIN_PROJECT_CARBON_PRICE_ESCALATION = 227,/* fraction/year */
    GFIN_PROJECT_CREDITING = 228,        /* choice gfin_crediting */
    GFIN_PROJECT_TAX_RATE = 229,         /* fraction */
    GFIN_PROJECT_TAX_HOLIDAY_YEARS = 230,/* integer operating years */
    GFIN_PROJECT_DEPRECIATION_YEARS = 231,/* integer years */
    GFIN_PROJECT_LOSS_CARRYFORWARD_YEARS = 232, /* integer years */
    GFIN_PROJECT_DISCOUNT_RATE = 233,    /* fraction/year; unset: the portfolio's */
    GFIN_PROJECT_START_YEAR = 234,       /* calendar year of year 1; unset: the portfolio's */
    /* reserve account and lock-up (docs/model.md "Reserve account and lock-up") */
    GFIN_PROJECT_DSRA_MONTHS = 235,      /* months of debt service held in reserve; 0: none */
    GFIN_PROJECT_DSRA_RATE = 236,        /* fraction/year the reserve earns */
    GFIN_PROJECT_LOCKUP_DSCR = 237,      /* ratio: no distribution in a year whose DSCR is below it */
    GFIN_PROJECT_LOCKUP_RELEASE_YEARS = 238, /* integer: consecutive passing years that release trapped cash */
    GFIN_PROJECT_CASH_SWEEP = 239,       /* fraction of the cash after debt service and reserve prepaying the swept loans */
    GFIN_PROJECT_DSRA_FUNDING = 240,     /* string: "equity", or the id of the loan that draws the initial reserve */

    /* debt_sizing (inside a project): the project's senior loan sized from a target DSCR */
    GFIN_SIZING_TARGET_DSCR = 300,       /* ratio >= 1, required */
    GFIN_SIZING_MAX_GEARING = 301,       /* fraction of capex */
    GFIN_SIZING_TENOR_YEARS = 302,       /* integer years, required */
    GFIN_SIZING_ANNUAL_RATE = 303,       /* fraction/year, required */
    GFIN_SIZING_CASE = 304,              /* choice gfin_sizing_case */
    GFIN_SIZING_LENDER = 305,            /* string, "fund" for the portfolio's fund */
    GFIN_SIZING_ID = 306,                /* string, the sized loan's id */

    /* grid (inside a project or a portfolio): TOOL07 emission factors */
    GFIN_GRID_EF_CM = 400,               /* tCO2e/MWh, combined margin; or EF_OM + EF_BM */
    GFIN_GRID_EF_OM = 401,               /* tCO2e/MWh, operating margin */
    GFIN_GRID_EF_BM = 402,               /* tCO2e/MWh, build margin */
    GFIN_GRID_EF_CHANGE_PER_YEAR = 403,  /* relative change per operating year */

    /* fund */
    GFIN_FUND_NAME = 500,                /* string */
    GFIN_FUND_CAPITAL = 501,             /* money: what the fund may commit */
    GFIN_FUND_MANAGEMENT_FEE = 502,      /* fraction/year of outstanding loans, a cost of the fund */

    /* fund source of capital */
    GFIN_SOURCE_NAME = 600,              /* string */
    GFIN_SOURCE_AMOUNT = 601,            /* money */
    GFIN_SOURCE_ANNUAL_RATE = 602,       /* fraction/year (grant: 0) */

    /* portfolio */
    GFIN_PORTFOLIO_NAME = 700,           /* string */
    GFIN_PORTFOLIO_CURRENCY = 701,       /* string */
    GFIN_PORTFOLIO_START_YEAR = 702,     /* calendar year of portfolio year 1, required */
    GFIN_PORTFOLIO_DISCOUNT_RATE = 703,  /* fraction/year: projects' default */
    GFIN_PORTFOLIO_GRANT_ELEMENT_DISCOUNT_RATE = 704, /* fraction/year in (-1, 10], default 0.05: every
                                                      * loan's grant_element in the portfolio */
    GFIN_PORTFOLIO_IMPACT_YEAR = 710     /* calendar year of the impact table; default: the first in which every project operates */
} gfin_key;

/* Choice values. Their numbers are stable. */
typedef enum gfin_amortization {
    GFIN_AMORT_ANNUITY = 0, GFIN_AMORT_LINEAR = 1, GFIN_AMORT_BULLET = 2,
    GFIN_AMORT_BALLOON = 3, GFIN_AMORT_CUSTOM = 4, GFIN_AMORT_SCULPTED = 5
} gfin_amortization;
typedef enum gfin_idc_mode { GFIN_IDC_CAPITALIZED = 0, GFIN_IDC_PAID = 1 } gfin_idc_mode;
typedef enum gfin_grace_mode { GFIN_GRACE_INTEREST_ONLY = 0, GFIN_GRACE_CAPITALIZED = 1 } gfin_grace_mode;
typedef enum gfin_technology { GFIN_TECH_SOLAR = 0, GFIN_TECH_HYDRO = 1 } gfin_technology;
typedef enum gfin_crediting {
    GFIN_CREDITING_RENEWABLE = 0,        /* 3 x 7 years */
    GFIN_CREDITING_FIXED = 1,            /* 10 years */
    GFIN_CREDITING_NONE = 2              /* no credits sold */
} gfin_crediting;
typedef enum gfin_sizing_case { GFIN_CASE_P50 = 0, GFIN_CASE_P90 = 1 } gfin_sizing_case;
typedef enum gfin_swept { GFIN_SWEPT_NO = 0, GFIN_SWEPT_YES = 1 } gfin_swept;

/* Day-count conventions (used by gfin_year_fraction and dated loans).
 * Choice names, as in JSON: "30/360", "30/360 ISDA", "30E/360", "30E/360 ISDA",
 * "ACT/360", "ACT/365F", "ACT/ACT". */
typedef enum gfin_day_count {
    GFIN_DC_30_360_US = 0,       /* 30/360 US (NASD/SIA): end-of-February rules */
    GFIN_DC_30_360_ISDA = 1,     /* 30/360 bond basis (ISDA 2006 4.16(f)) */
    GFIN_DC_30E_360 = 2,         /* 30E/360 Eurobond basis */
    GFIN_DC_30E_360_ISDA = 3,    /* 30E/360 ISDA (end of February is day 30 unless it is maturity) */
    GFIN_DC_ACT_360 = 4,
    GFIN_DC_ACT_365F = 5,
    GFIN_DC_ACT_ACT_ISDA = 6
} gfin_day_count;

/* Types of keys. */
typedef enum gfin_param_type {
    GFIN_PARAM_NUMBER = 0,   /* double within bounds */
    GFIN_PARAM_INTEGER = 1,  /* whole number within bounds */
    GFIN_PARAM_CHOICE = 2,   /* enum value; names from gfin_key_choice */
    GFIN_PARAM_ARRAY = 3,    /* array of doubles, each within bounds */
    GFIN_PARAM_STRING = 4,   /* text, at most 255 bytes */
    GFIN_PARAM_DATE = 5      /* gfin_date */
} gfin_param_type;

/* Enumerating the registry: keys 0 <= i < gfin_key_count(), in number order. */
GFIN_API size_t gfin_key_count(void);
GFIN_API gfin_key gfin_key_at(size_t i);
/* The key of object `object` ("loan", "project", "debt_sizing", "grid", "fund",
 * "source", "portfolio") named `name`, in *out. GFIN_EINVAL when there is none
 * (err->path names the unknown object or name) or an argument is NULL. */
GFIN_API GFIN_NODISCARD gfin_status gfin_key_lookup(const char *object, const char *name, gfin_key *out,
                                                    gfin_error *err);
/* 1.0, kept for compatibility: the same key as an int, -1 when there is none. */
GFIN_API int gfin_key_find(const char *object, const char *name);
/* Properties of a key; NULL / -1 / GFIN_EINVAL for a number that is not a key.
 * All strings are static. gfin_key_type and gfin_key_required are the 1.0
 * int readers, kept for compatibility; gfin_key_get_type and
 * gfin_key_get_required are their typed twins (GFIN_EINVAL for a number that
 * is not a key or a NULL out). */
GFIN_API const char *gfin_key_name(gfin_key key);
GFIN_API const char *gfin_key_object(gfin_key key);
GFIN_API const char *gfin_key_unit(gfin_key key);     /* "" when dimensionless */
GFIN_API const char *gfin_key_doc(gfin_key key);
GFIN_API int gfin_key_type(gfin_key key);              /* a gfin_param_type, or -1 */
GFIN_API int gfin_key_required(gfin_key key);          /* 1 required, 0 optional, -1 not a key */
GFIN_API gfin_status gfin_key_get_type(gfin_key key, gfin_param_type *out);
GFIN_API gfin_status gfin_key_get_required(gfin_key key, int *out);   /* 1 required, 0 optional */
/* Bounds of a number, integer or array element; *_exclusive is 1 when the bound
 * itself is refused. Choice keys report 0 .. count-1. */
GFIN_API gfin_status gfin_key_bounds(gfin_key key, double *min, double *max,
                                     int *min_exclusive, int *max_exclusive);
/* The default value of a number/integer/choice key; GFIN_ENOVALUE when the key
 * has no fixed default (required, inherited, or an array/string/date). */
GFIN_API gfin_status gfin_key_default(gfin_key key, double *out);
/* Name of choice `value` of a choice key, NULL past the end or for other keys. */
GFIN_API const char *gfin_key_choice(gfin_key key, int value);

/* Output figures, read from results by key. Numbers are stable. */
typedef enum gfin_metric {
    /* loan */
    GFIN_M_TOTAL_DRAWN = 1000,
    GFIN_M_TOTAL_INTEREST = 1001,        /* includes capitalized interest */
    GFIN_M_TOTAL_FEES = 1002,
    GFIN_M_TOTAL_DEBT_SERVICE = 1003,
    GFIN_M_WAL_YEARS = 1004,             /* principal-weighted average life, years */
    GFIN_M_ALL_IN_COST = 1005,           /* annual effective IRR of the borrower's flows; may be null */
    GFIN_M_GRANT_ELEMENT = 1006,         /* fraction, when a discount rate was given */
    /* project */
    GFIN_M_NPV = 1100,
    GFIN_M_PROJECT_IRR = 1101,
    GFIN_M_PROJECT_IRR_PRETAX = 1102,
    GFIN_M_EQUITY_IRR = 1103,
    GFIN_M_PAYBACK_YEARS = 1104,
    GFIN_M_LCOE = 1105,                  /* money/MWh */
    GFIN_M_MIN_DSCR = 1106,
    GFIN_M_AVG_DSCR = 1107,
    GFIN_M_LLCR = 1108,
    GFIN_M_TOTAL_DEBT = 1109,
    GFIN_M_GEARING = 1110,
    GFIN_M_POWER_DENSITY_W_M2 = 1111,
    GFIN_M_FIRST_YEAR_NET_MWH = 1112,
    GFIN_M_LIFETIME_REDUCTIONS_TCO2E = 1113, /* projects and portfolios */
    GFIN_M_CAPEX = 1114,
    GFIN_M_CAPACITY_MW = 1115,               /* projects and portfolios */
    GFIN_M_FIRST_YEAR_REDUCTIONS_TCO2E = 1116,
    GFIN_M_FUND_PRINCIPAL = 1117,            /* principal of the project's fund loans */
    GFIN_M_DEBT_SERVICE_SHORTFALL = 1118,    /* sum of max(0, debt_service - cfads), operating years */
    /* projects with the lender's structures (docs/model.md "Reserve account and lock-up") */
    GFIN_M_MIN_DSCR_P90 = 1130,              /* min_dscr on P90 energy (yield_uncertainty > 0) */
    GFIN_M_EQUITY_IRR_P90 = 1131,            /* equity_irr on P90 energy (yield_uncertainty > 0) */
    GFIN_M_EQUITY_IRR_AFTER_RESERVES = 1132, /* IRR of equity_flow_after_reserves */
    GFIN_M_LOCKUP_YEARS = 1133,              /* operating years whose distribution was locked up */
    /* portfolio */
    GFIN_M_FUND_IRR = 1200,
    GFIN_M_COMMITTED = 1201,
    GFIN_M_UTILIZATION = 1202,
    GFIN_M_WEIGHTED_COST_OF_FUNDS = 1203,
    GFIN_M_WEIGHTED_LOAN_RATE = 1204,
    GFIN_M_MOBILIZATION_RATIO = 1205,
    GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E = 1206,
    GFIN_M_FUND_COST_PER_TCO2E = 1207,   /* no longer reported: see GFIN_M_FUND_SUBSIDY_PER_TCO2E */
    GFIN_M_CAPACITY_MW_SOLAR = 1208,
    GFIN_M_CAPACITY_MW_HYDRO = 1209,
    GFIN_M_TOTAL_CAPEX = 1210,
    GFIN_M_FUND_CAPITAL = 1211,
    GFIN_M_PROJECT_COUNT = 1212,
    GFIN_M_FUND_SHORTFALL = 1213,        /* money: the fund's share of the projects' shortfalls */
    GFIN_M_FUND_SUBSIDY_PER_TCO2E = 1214, /* money/tCO2e: grant equivalent of the fund loans / attributed */
    /* portfolio: impact reporting in one calendar year (table "impact") */
    GFIN_M_IMPACT_YEAR = 1220,
    GFIN_M_IMPACT_CAPACITY_MW = 1221,
    GFIN_M_IMPACT_NET_MWH = 1222,
    GFIN_M_IMPACT_REDUCTIONS_TCO2E = 1223,
    GFIN_M_IMPACT_ATTRIBUTED_MWH = 1224,
    GFIN_M_IMPACT_ATTRIBUTED_TCO2E = 1225,
    GFIN_M_IMPACT_EXPECTED_PROJECTS = 1226,
    /* risk (experimental, section 13): probabilities over the scenarios */
    GFIN_M_P_MIN_DSCR_BELOW_1 = 1300,
    GFIN_M_P_MIN_DSCR_BELOW_COVENANT = 1301,
    GFIN_M_P_NPV_NEGATIVE = 1302,
    GFIN_M_P_EQUITY_IRR_BELOW_HURDLE = 1303,
    GFIN_M_P_FUND_IRR_BELOW_COST_OF_FUNDS = 1304,
    GFIN_M_P_ANY_MIN_DSCR_BELOW_1 = 1305
} gfin_metric;

/* Kinds of output values (table columns and metrics). */
typedef enum gfin_column_kind {
    GFIN_COL_NUMBER = 0,   /* a quantity */
    GFIN_COL_INTEGER = 1,  /* a count or index (period, year), written without decimals */
    GFIN_COL_DATE = 2      /* a gfin_date, written as YYYY-MM-DD */
} gfin_column_kind;

GFIN_API size_t gfin_metric_count(void);
GFIN_API gfin_metric gfin_metric_at(size_t i);
/* The metric named `name`, in *out; GFIN_EINVAL (err->path the name) when
 * there is none or an argument is NULL. */
GFIN_API GFIN_NODISCARD gfin_status gfin_metric_lookup(const char *name, gfin_metric *out, gfin_error *err);
/* 1.0, kept for compatibility: the metric as an int, -1 when there is none. */
GFIN_API int gfin_metric_find(const char *name);
GFIN_API const char *gfin_metric_name(gfin_metric m);  /* NULL for a non-metric */
GFIN_API const char *gfin_metric_unit(gfin_metric m);
GFIN_API const char *gfin_metric_doc(gfin_metric m);
/* The kind of a metric's value: GFIN_COL_INTEGER for counts (project_count),
 * GFIN_COL_NUMBER otherwise. GFIN_EINVAL for a non-metric or a NULL out. */
GFIN_API gfin_status gfin_metric_get_kind(gfin_metric m, gfin_column_kind *out);

/*
 * The output registry: every column of every result table, with its table,
 * name, unit, kind and a one-line doc. The evaluators build their tables from
 * it, the writers (JSON, CSV, text) and the README's output reference read it,
 * so a column is named and described in one place. Numbers are stable; the
 * hundreds digit is the table: 20xx "schedule" (a loan), 21xx "years" (a
 * project), 22xx "fund", 23xx "portfolio" (a portfolio's yearly totals), 24xx
 * "impact" (a portfolio's projects in one reporting year), 25xx "technology"
 * (a portfolio's yearly figures of one technology: the tables
 * "technology.solar", "technology.hydro", ..., one per choice of
 * GFIN_PROJECT_TECHNOLOGY, all with these columns).
 * A table holds every column of its table in a fixed order (a column added
 * later takes the next free number wherever it stands), except that a column
 * documented as optional may be absent (date: dated loans only).
 * Read a column by number with gfin_table_column_of.
 */
typedef enum gfin_column {
    /* schedule: one row per loan period */
    GFIN_C_SCHEDULE_PERIOD = 2000,
    GFIN_C_SCHEDULE_TIME_YEARS = 2001,
    GFIN_C_SCHEDULE_OPENING_BALANCE = 2002,
    GFIN_C_SCHEDULE_DRAWDOWN = 2003,
    GFIN_C_SCHEDULE_INTEREST = 2004,
    GFIN_C_SCHEDULE_CAPITALIZED_INTEREST = 2005,
    GFIN_C_SCHEDULE_PRINCIPAL = 2006,
    GFIN_C_SCHEDULE_FEES = 2007,
    GFIN_C_SCHEDULE_DEBT_SERVICE = 2008,
    GFIN_C_SCHEDULE_CLOSING_BALANCE = 2009,
    GFIN_C_SCHEDULE_RATE = 2010,
    GFIN_C_SCHEDULE_DATE = 2011,
    GFIN_C_SCHEDULE_PREPAYMENT = 2012,   /* optional: a swept loan's schedule in its project's result */
    /* years: one row per project year */
    GFIN_C_YEARS_YEAR = 2100,
    GFIN_C_YEARS_CALENDAR_YEAR = 2101,
    GFIN_C_YEARS_NET_MWH = 2102,
    GFIN_C_YEARS_GROSS_MWH = 2103,
    GFIN_C_YEARS_REVENUE_ENERGY = 2104,
    GFIN_C_YEARS_REVENUE_CARBON = 2105,
    GFIN_C_YEARS_OPEX = 2106,
    GFIN_C_YEARS_EBITDA = 2107,
    GFIN_C_YEARS_DEPRECIATION = 2108,
    GFIN_C_YEARS_INTEREST = 2109,
    GFIN_C_YEARS_TAXABLE_INCOME = 2110,
    GFIN_C_YEARS_TAX = 2111,
    GFIN_C_YEARS_CFADS = 2112,
    GFIN_C_YEARS_DEBT_SERVICE = 2113,
    GFIN_C_YEARS_DSCR = 2114,
    GFIN_C_YEARS_CAPEX = 2115,
    GFIN_C_YEARS_DRAWDOWN = 2116,
    GFIN_C_YEARS_EQUITY_FLOW = 2117,
    GFIN_C_YEARS_PROJECT_FLOW = 2118,
    GFIN_C_YEARS_BASELINE_TCO2E = 2119,
    GFIN_C_YEARS_PROJECT_TCO2E = 2120,
    GFIN_C_YEARS_REDUCTIONS_TCO2E = 2121,
    GFIN_C_YEARS_CREDITED_TCO2E = 2122,
    GFIN_C_YEARS_DEBT_SERVICE_SHORTFALL = 2123,
    /* years, optional: only with a reserve account or a lock-up */
    GFIN_C_YEARS_DSRA_BALANCE = 2130,
    GFIN_C_YEARS_DSRA_TOPUP = 2131,
    GFIN_C_YEARS_DSRA_DRAW = 2132,
    GFIN_C_YEARS_DSRA_RELEASE = 2133,
    GFIN_C_YEARS_DSRA_INTEREST = 2134,
    GFIN_C_YEARS_TRAPPED_CASH = 2135,
    GFIN_C_YEARS_EQUITY_FLOW_AFTER_RESERVES = 2136,
    GFIN_C_YEARS_FX_GAIN_LOSS = 2137,    /* only with a loan in another currency */
    GFIN_C_YEARS_CASH_SWEEP = 2138,      /* only with cash_sweep > 0 */
    /* fund: one row per portfolio year */
    GFIN_C_FUND_YEAR = 2200,
    GFIN_C_FUND_CALENDAR_YEAR = 2201,
    GFIN_C_FUND_DISBURSEMENTS = 2202,
    GFIN_C_FUND_PRINCIPAL_RECEIVED = 2203,
    GFIN_C_FUND_INTEREST_RECEIVED = 2204,
    GFIN_C_FUND_FEES_RECEIVED = 2205,
    GFIN_C_FUND_OUTSTANDING = 2206,
    GFIN_C_FUND_COST_OF_FUNDS = 2207,
    GFIN_C_FUND_MANAGEMENT_FEE = 2208,
    GFIN_C_FUND_NET_CASH_FLOW = 2209,
    GFIN_C_FUND_SHORTFALL = 2210,
    /* portfolio: one row per portfolio year, all technologies */
    GFIN_C_PORTFOLIO_YEAR = 2300,
    GFIN_C_PORTFOLIO_CALENDAR_YEAR = 2301,
    GFIN_C_PORTFOLIO_NET_MWH = 2302,
    GFIN_C_PORTFOLIO_NET_MWH_SOLAR = 2303,            /* deprecated: technology.solar's net_mwh */
    GFIN_C_PORTFOLIO_NET_MWH_HYDRO = 2304,            /* deprecated: technology.hydro's net_mwh */
    GFIN_C_PORTFOLIO_REDUCTIONS_TCO2E = 2305,
    GFIN_C_PORTFOLIO_REDUCTIONS_TCO2E_SOLAR = 2306,   /* deprecated: technology.solar's */
    GFIN_C_PORTFOLIO_REDUCTIONS_TCO2E_HYDRO = 2307,   /* deprecated: technology.hydro's */
    GFIN_C_PORTFOLIO_ATTRIBUTED_TCO2E = 2308,
    GFIN_C_PORTFOLIO_CUMULATIVE_REDUCTIONS_TCO2E = 2309,
    /* impact: one row per project, in one reporting year (docs/model.md "Impact") */
    GFIN_C_IMPACT_PROJECT = 2400,
    GFIN_C_IMPACT_CALENDAR_YEAR = 2401,
    GFIN_C_IMPACT_EXPECTED = 2402,
    GFIN_C_IMPACT_CAPACITY_MW = 2403,
    GFIN_C_IMPACT_NET_MWH = 2404,
    GFIN_C_IMPACT_REDUCTIONS_TCO2E = 2405,
    GFIN_C_IMPACT_FUND_SHARE = 2406,
    GFIN_C_IMPACT_ATTRIBUTED_MWH = 2407,
    GFIN_C_IMPACT_ATTRIBUTED_TCO2E = 2408,
    /* technology.<name>: one row per portfolio year, the projects of one technology */
    GFIN_C_TECHNOLOGY_YEAR = 2500,
    GFIN_C_TECHNOLOGY_CALENDAR_YEAR = 2501,
    GFIN_C_TECHNOLOGY_NET_MWH = 2502,
    GFIN_C_TECHNOLOGY_REDUCTIONS_TCO2E = 2503,
    GFIN_C_TECHNOLOGY_ATTRIBUTED_TCO2E = 2504
} gfin_column;

/* Enumerating the output registry: 0 <= i < gfin_column_count(), in number order. */
GFIN_API size_t gfin_column_count(void);
GFIN_API gfin_column gfin_column_at(size_t i);
/* The column named `name` of table `table` ("schedule", "years", "fund",
 * "portfolio", "technology" or a "technology.<name>" table) in *out;
 * GFIN_EINVAL (err->path the table or the name) when there is none. */
GFIN_API GFIN_NODISCARD gfin_status gfin_column_lookup(const char *table, const char *name, gfin_column *out,
                                                       gfin_error *err);
/* Properties of a column, static strings; NULL for a number that is not one. */
GFIN_API const char *gfin_column_name(gfin_column c);
GFIN_API const char *gfin_column_table(gfin_column c);
GFIN_API const char *gfin_column_unit(gfin_column c);    /* "" when dimensionless */
GFIN_API const char *gfin_column_doc(gfin_column c);
/* The column's kind (a gfin_column_kind); GFIN_EINVAL for a non-column or NULL out. */
GFIN_API gfin_status gfin_column_get_kind(gfin_column c, gfin_column_kind *out);

/* ======================================================================== */
/* 5. Time value of money                                                   */
/* ======================================================================== */

/*
 * Spreadsheet semantics (LibreOffice Calc / Excel / numpy-financial): money paid
 * out is negative. `rate` is the rate per period; `when` is PMT's "type":
 * payments at the end (GFIN_END, 0) or at the beginning (GFIN_BEGIN, 1) of each
 * period. Results agree with LibreOffice to 1e-9 relative. Annuity factors are
 * evaluated with log1p/expm1, so rates near 0 keep full precision, and rate 0
 * is exact. All functions are pure and thread-safe; on error *out is not written.
 * Common errors: GFIN_EINVAL for non-finite inputs, rate <= -1, `when` other than
 * GFIN_END/GFIN_BEGIN, a NULL pointer, n = 0, per outside [1, nper]; PMT refuses
 * nper = 0 and RATE nper <= 0, while PMT, PV and FV otherwise accept any finite
 * nper as the spreadsheets do (a negative nper runs the formula backwards).
 * GFIN_ERANGE when the result overflows.
 */
typedef enum { GFIN_END = 0, GFIN_BEGIN = 1 } gfin_when;
typedef int32_t gfin_date;   /* days since 1970-01-01, proleptic Gregorian */

/* Payment per period of an annuity: PMT(rate; nper; pv; fv; when). */
GFIN_API GFIN_NODISCARD gfin_status gfin_pmt(double rate, double nper, double pv, double fv, gfin_when when, double *out);
/* Interest part of payment `per` (1-based): IPMT. In begin mode period 1 has none. */
GFIN_API GFIN_NODISCARD gfin_status gfin_ipmt(double rate, double per, double nper, double pv, double fv, gfin_when when, double *out);
/* Principal part of payment `per`: PPMT = PMT - IPMT. */
GFIN_API GFIN_NODISCARD gfin_status gfin_ppmt(double rate, double per, double nper, double pv, double fv, gfin_when when, double *out);
/* Present value: PV. */
GFIN_API GFIN_NODISCARD gfin_status gfin_pv(double rate, double nper, double pmt, double fv, gfin_when when, double *out);
/* Future value: FV. */
GFIN_API GFIN_NODISCARD gfin_status gfin_fv(double rate, double nper, double pmt, double pv, gfin_when when, double *out);
/* Number of periods: NPER. GFIN_ENOCONV when no finite number of periods
 * reaches fv (for instance a payment smaller than the interest). Returns 0 when
 * pv + fv = 0 (nothing to pay, as LibreOffice). */
GFIN_API GFIN_NODISCARD gfin_status gfin_nper(double rate, double pmt, double pv, double fv, gfin_when when, double *out);
/* Rate per period: RATE. Finds the root nearest `guess` (0.1 is the spreadsheet
 * default) by bracketing and Brent's method; GFIN_ENOCONV when there is none. */
GFIN_API GFIN_NODISCARD gfin_status gfin_rate(double nper, double pmt, double pv, double fv, gfin_when when, double guess, double *out);
/* Net present value with values[0] at t = 0 (numpy-financial's npv):
 *   sum values[t] / (1 + rate)^t,  t = 0 .. n-1.
 * Excel's NPV(rate; v1; ...; vn) discounts the first value by one period: it is
 * this function's result divided by (1 + rate). */
GFIN_API GFIN_NODISCARD gfin_status gfin_npv(double rate, const double *values, size_t n, double *out);
/* Internal rate of return of values at t = 0, 1, ... n-1: the root of gfin_npv
 * that is > -1 and nearest `guess` in |r - guess|, accurate to 1e-12. Flows
 * with one sign change have exactly one such root. With several, two roots
 * closer together than about 0.1 % near the guess may go unseen. GFIN_ENOCONV
 * when the flows have no sign change or no root (never a wrong number). */
GFIN_API GFIN_NODISCARD gfin_status gfin_irr(const double *values, size_t n, double guess, double *out);
/* Modified IRR: MIRR(values; finance_rate; reinvest_rate). GFIN_ENOCONV when
 * the flows are all of one sign; GFIN_EINVAL when n < 2. */
GFIN_API GFIN_NODISCARD gfin_status gfin_mirr(const double *values, size_t n, double finance_rate, double reinvest_rate, double *out);
/* XNPV: sum values[i] / (1 + rate)^((dates[i] - dates[0]) / 365). The first
 * date is the origin; dates need not be sorted but none may precede it. */
GFIN_API GFIN_NODISCARD gfin_status gfin_xnpv(double rate, const double *values, const gfin_date *dates, size_t n, double *out);
/* XIRR: the rate at which XNPV is 0, nearest `guess`. GFIN_ENOCONV as gfin_irr,
 * and also when every nonzero flow falls on one date. */
GFIN_API GFIN_NODISCARD gfin_status gfin_xirr(const double *values, const gfin_date *dates, size_t n, double guess, double *out);

/* Dates: proleptic Gregorian, years 1..9999. GFIN_EINVAL for an invalid date. */
GFIN_API GFIN_NODISCARD gfin_status gfin_date_from_ymd(int year, int month, int day, gfin_date *out);
GFIN_API GFIN_NODISCARD gfin_status gfin_date_to_ymd(gfin_date d, int *year, int *month, int *day);
/* Adds `months` calendar months to `d`, clipping the day to the month's last day
 * (Jan 31 + 1 month = Feb 28 or 29). */
GFIN_API GFIN_NODISCARD gfin_status gfin_date_add_months(gfin_date d, int months, gfin_date *out);
/* Year fraction between two dates under a day count (for end < start, the
 * negative of the fraction from end to start).
 * For 30E/360 ISDA the end date is taken as not being the maturity date. */
GFIN_API GFIN_NODISCARD gfin_status gfin_year_fraction(gfin_date start, gfin_date end, gfin_day_count dc, double *out);
/* The same with the maturity (termination) date that 30E/360 ISDA needs: an end
 * date on the last day of February is moved to day 30 unless it is `maturity`.
 * Other conventions ignore `maturity`. */
GFIN_API GFIN_NODISCARD gfin_status gfin_year_fraction_maturity(gfin_date start, gfin_date end, gfin_date maturity, gfin_day_count dc, double *out);
/* Day count numerator: days between the dates under the convention
 * (30/360 variants count 30-day months; ACT conventions count actual days). */
GFIN_API GFIN_NODISCARD gfin_status gfin_day_count_days(gfin_date start, gfin_date end, gfin_date maturity, gfin_day_count dc, double *out);

/* Error-reporting twins of every function of this section: the same
 * arguments, results and status, and a caller-owned `err` (NULL allowed) that
 * on failure names the argument in err->path ("per", "values[3]",
 * "dates[2]", "month"; empty when no single argument is to blame, as for an
 * overflow or no root) and says its value and the rule in err->message
 * ("0 is outside [1, 24]: the period must be one of 1 .. nper"). The names
 * follow the setters' twins (gfin_loan_set_err): the 1.0 functions are these
 * with err = NULL. Pure and thread-safe. */
GFIN_API GFIN_NODISCARD gfin_status gfin_pmt_err(double rate, double nper, double pv, double fv, gfin_when when,
                                                 double *out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_ipmt_err(double rate, double per, double nper, double pv, double fv,
                                                  gfin_when when, double *out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_ppmt_err(double rate, double per, double nper, double pv, double fv,
                                                  gfin_when when, double *out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_pv_err(double rate, double nper, double pmt, double fv, gfin_when when,
                                                double *out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_fv_err(double rate, double nper, double pmt, double pv, gfin_when when,
                                                double *out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_nper_err(double rate, double pmt, double pv, double fv, gfin_when when,
                                                  double *out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_rate_err(double nper, double pmt, double pv, double fv, gfin_when when,
                                                  double guess, double *out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_npv_err(double rate, const double *values, size_t n, double *out,
                                                 gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_irr_err(const double *values, size_t n, double guess, double *out,
                                                 gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_mirr_err(const double *values, size_t n, double finance_rate,
                                                  double reinvest_rate, double *out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_xnpv_err(double rate, const double *values, const gfin_date *dates, size_t n,
                                                  double *out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_xirr_err(const double *values, const gfin_date *dates, size_t n, double guess,
                                                  double *out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_date_from_ymd_err(int year, int month, int day, gfin_date *out,
                                                           gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_date_to_ymd_err(gfin_date d, int *year, int *month, int *day,
                                                         gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_date_add_months_err(gfin_date d, int months, gfin_date *out,
                                                             gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_year_fraction_err(gfin_date start, gfin_date end, gfin_day_count dc,
                                                           double *out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_year_fraction_maturity_err(gfin_date start, gfin_date end, gfin_date maturity,
                                                                    gfin_day_count dc, double *out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_day_count_days_err(gfin_date start, gfin_date end, gfin_date maturity,
                                                            gfin_day_count dc, double *out, gfin_error *err);

/* ======================================================================== */
/* 6. Loans                                                                 */
/* ======================================================================== */

/*
 * A loan's terms are set by key (docs/model.md "Loans"); gfin_loan_evaluate turns them
 * into a period-by-period schedule and metrics. Schedule rows are periods 1..N,
 * N = availability periods + grace + repayment; columns, in this order:
 *   period, time_years, opening_balance, drawdown, interest,
 *   capitalized_interest, principal, fees, debt_service, closing_balance, rate
 * and, for a dated loan, date (a gfin_date; written as YYYY-MM-DD).
 *   debt_service = interest - capitalized_interest + principal + fees
 *   closing      = opening + drawdown + capitalized_interest - principal
 * The last repayment period repays whatever remains (closing balance 0).
 *
 * A loan handle is not thread-safe; distinct loans may be used in parallel.
 */
typedef struct gfin_loan gfin_loan;
typedef struct gfin_table gfin_table;
typedef struct gfin_result gfin_result;

/* A loan with every key at its default. NULL when out of memory. */
GFIN_API gfin_loan *gfin_loan_new(void);
GFIN_API void gfin_loan_free(gfin_loan *loan);
/* A deep copy; NULL when out of memory. */
GFIN_API gfin_loan *gfin_loan_copy(const gfin_loan *loan);

/* Sets a number, integer, choice or date key (a loan key: GFIN_LOAN_*).
 * GFIN_EINVAL when the key is not a loan key of that type, the value is not
 * finite, not whole for an integer key, or outside the key's bounds; the loan is
 * then unchanged and gfin_loan_last_error() says which key, which value and
 * which rule (as sqlite3_errmsg does for a connection). */
GFIN_API GFIN_NODISCARD gfin_status gfin_loan_set(gfin_loan *loan, gfin_key key, double value);
/* Sets an array key (copied). n = 0 clears it. Each element is checked. */
GFIN_API GFIN_NODISCARD gfin_status gfin_loan_set_array(gfin_loan *loan, gfin_key key, const double *values, size_t n);
/* Sets a string key (copied; at most 255 bytes). */
GFIN_API GFIN_NODISCARD gfin_status gfin_loan_set_string(gfin_loan *loan, gfin_key key, const char *value);
/* Clears a key back to its default. */
GFIN_API gfin_status gfin_loan_unset(gfin_loan *loan, gfin_key key);
/* Reads a number/integer/choice/date key (its default when unset):
 * GFIN_ENOVALUE when unset without a default. */
GFIN_API gfin_status gfin_loan_get(const gfin_loan *loan, gfin_key key, double *out);
/* Reads a string key (its default when unset: "" or the registry's); NULL for
 * a key that is not a string key of a loan. Valid until the key is changed. */
GFIN_API const char *gfin_loan_get_string(const gfin_loan *loan, gfin_key key);
/* Reads an array key: *values points into the loan (valid until the key is
 * changed), *n is 0 and *values NULL when unset. GFIN_EINVAL for other keys. */
GFIN_API gfin_status gfin_loan_get_array(const gfin_loan *loan, gfin_key key, const double **values, size_t *n);
/* The detail of the last failed gfin_loan_set* call on this loan (code 0 when
 * none failed). Valid until the loan is changed or freed. */
GFIN_API const gfin_error *gfin_loan_last_error(const gfin_loan *loan);
/* The setters again, also filling the caller's `err` (as *_last_error would
 * read) on failure: the one error path for bindings and threads that share
 * nothing but the handle's owner. The handle's last error is set as well. */
GFIN_API GFIN_NODISCARD gfin_status gfin_loan_set_err(gfin_loan *loan, gfin_key key, double value, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_loan_set_array_err(gfin_loan *loan, gfin_key key, const double *values,
                                                            size_t n, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_loan_set_string_err(gfin_loan *loan, gfin_key key, const char *value,
                                                             gfin_error *err);

/* Checks the terms as a whole (required keys, drawdowns summing to 1 within
 * 1e-9, profile lengths equal to repayment_periods, a debt-service profile that
 * repays, at most 100 years, ...) without computing. GFIN_EINVAL with the key in
 * err->path and the rule in err->message. */
GFIN_API GFIN_NODISCARD gfin_status gfin_loan_validate(const gfin_loan *loan, gfin_error *err);

/* The schedule as a new table (caller frees with gfin_table_free); NULL on
 * error (err says why: GFIN_EINVAL for inconsistent terms, GFIN_ENOMEM). */
GFIN_API gfin_table *gfin_loan_schedule(const gfin_loan *loan, gfin_error *err);

/* Schedule and metrics as a result (kind "loan"): table "schedule" and metrics
 * total_drawn, total_interest, total_fees, total_debt_service, wal_years,
 * all_in_cost (GFIN_ENOVALUE when the flows have no IRR). */
GFIN_API GFIN_NODISCARD gfin_status gfin_loan_evaluate(const gfin_loan *loan, gfin_result **out, gfin_error *err);

/* Grant element at annual discount rate `discount_rate` (a fraction: 0.5780 =
 * 57.80 %), OECD DAC / IMF definition: 1 - PV(debt service) / PV(drawdowns),
 * each drawdown at the start of its period, the upfront fee at the start of
 * period 1 and every other part of debt service at the end of its period,
 * discounted at the periodic rate (1 + D)^(1/frequency) - 1. discount_rate must
 * be in (-1, 10]. */
GFIN_API GFIN_NODISCARD gfin_status gfin_loan_grant_element(const gfin_loan *loan, double discount_rate, double *out, gfin_error *err);

/* gfin_loan_evaluate plus the metric grant_element at `discount_rate`. */
GFIN_API GFIN_NODISCARD gfin_status gfin_loan_evaluate_ge(const gfin_loan *loan, double discount_rate, gfin_result **out, gfin_error *err);

/* ======================================================================== */
/* 7. Energy and carbon                                                     */
/* ======================================================================== */

/*
 * Sources: CDM ACM0002 "Grid-connected electricity generation from renewable
 * sources", version 22.0 (baseline, project emissions of hydro reservoirs by
 * power density); CDM methodological TOOL07 "Tool to calculate the emission
 * factor for an electricity system", version 07.0 (combined margin weights).
 * The project computes its yearly energy and carbon from these; they are also
 * public so that single figures can be checked.
 */

/* Hydro power P = rho g Q H eta in MW with rho = 1000 kg/m3, g = 9.81 m/s2.
 * GFIN_EINVAL for a negative or non-finite flow, head <= 0, efficiency outside
 * (0, 1] or a NULL out; GFIN_ERANGE if the result overflows. */
GFIN_API GFIN_NODISCARD gfin_status gfin_hydro_power_mw(double flow_m3s, double head_m, double efficiency, double *out);

/* ACM0002 power density of a hydro reservoir, W/m2 (= MW/km2):
 * PD = (capacity - baseline_capacity) / (area - baseline_area).
 * GFIN_EINVAL when the added area is <= 0, an input is negative or not
 * finite, or out is NULL; GFIN_ERANGE on overflow. A capacity below the
 * baseline gives a negative density (for which ACM0002 does not apply). */
GFIN_API GFIN_NODISCARD gfin_status gfin_power_density_w_m2(double capacity_mw, double baseline_capacity_mw,
                                                            double reservoir_area_km2, double baseline_area_km2, double *out);

/* TOOL07 combined margin EF_CM = w_OM EF_OM + w_BM EF_BM with the weights of
 * `tech`: solar 0.75/0.25 in every crediting period; hydro 0.5/0.5 in crediting
 * period 1 and 0.25/0.75 in periods 2 and 3. crediting_period is 1, 2 or 3.
 * GFIN_EINVAL for an unknown technology, a period outside 1..3, a factor not
 * finite or outside [0, 2] tCO2e/MWh, or a NULL out. */
GFIN_API GFIN_NODISCARD gfin_status gfin_combined_margin(gfin_technology tech, int crediting_period,
                                                         double ef_om, double ef_bm, double *out);

/* ACM0002 reservoir emission factor of a hydro plant, tCO2e per MWh of gross
 * generation, from its power density: 0 above 10 W/m2, 0.090 above 4 and up to
 * 10; at 4 W/m2 or below ACM0002 does not apply: GFIN_ENOTAPPLICABLE.
 * GFIN_EINVAL for a non-finite density or a NULL out. */
GFIN_API GFIN_NODISCARD gfin_status gfin_reservoir_ef(double power_density_w_m2, double *out);

/* ======================================================================== */
/* 8. Projects                                                              */
/* ======================================================================== */

/*
 * One hydropower or solar project (docs/model.md "Projects"): construction years
 * 1..C, then operating years C+1..C+O. Keys GFIN_PROJECT_*, the grid keys
 * GFIN_GRID_* and, to size its senior debt, the GFIN_SIZING_* keys (setting any
 * sizing key turns sizing on). Loans are attached with gfin_project_add_loan.
 *
 * gfin_project_evaluate returns a result (kind "project") with table "years":
 *   year, calendar_year, net_mwh, gross_mwh, revenue_energy, revenue_carbon,
 *   opex, ebitda, depreciation, interest, taxable_income, tax, cfads,
 *   debt_service, dscr, capex, drawdown, equity_flow, project_flow,
 *   baseline_tco2e, project_tco2e, reductions_tco2e, credited_tco2e
 * (dscr is NaN -- null in JSON -- where there is no debt service), the metrics
 * npv, project_irr, project_irr_pretax, equity_irr, payback_years, lcoe,
 * min_dscr, avg_dscr, llcr, total_debt, gearing, power_density_w_m2,
 * first_year_net_mwh, lifetime_reductions_tco2e, first_year_reductions_tco2e,
 * capex, capacity_mw, fund_principal, its warnings, and one child result per
 * loan (the sized loan among them).
 *
 * A project handle is not thread-safe; distinct projects may be evaluated in
 * parallel.
 */
typedef struct gfin_project gfin_project;

GFIN_API gfin_project *gfin_project_new(void);
GFIN_API void gfin_project_free(gfin_project *project);
GFIN_API gfin_project *gfin_project_copy(const gfin_project *project);

/* Setters and getters as for loans; they accept GFIN_PROJECT_*, GFIN_GRID_* and
 * GFIN_SIZING_* keys. Details of a refused value in gfin_project_last_error. */
GFIN_API GFIN_NODISCARD gfin_status gfin_project_set(gfin_project *project, gfin_key key, double value);
GFIN_API GFIN_NODISCARD gfin_status gfin_project_set_array(gfin_project *project, gfin_key key, const double *values, size_t n);
GFIN_API GFIN_NODISCARD gfin_status gfin_project_set_string(gfin_project *project, gfin_key key, const char *value);
GFIN_API gfin_status gfin_project_unset(gfin_project *project, gfin_key key);
GFIN_API gfin_status gfin_project_get(const gfin_project *project, gfin_key key, double *out);
GFIN_API const char *gfin_project_get_string(const gfin_project *project, gfin_key key);
GFIN_API gfin_status gfin_project_get_array(const gfin_project *project, gfin_key key, const double **values, size_t *n);
GFIN_API const gfin_error *gfin_project_last_error(const gfin_project *project);
/* The setters also filling `err`, as gfin_loan_set_err. */
GFIN_API GFIN_NODISCARD gfin_status gfin_project_set_err(gfin_project *project, gfin_key key, double value,
                                                         gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_project_set_array_err(gfin_project *project, gfin_key key,
                                                               const double *values, size_t n, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_project_set_string_err(gfin_project *project, gfin_key key,
                                                                const char *value, gfin_error *err);

/* Attaches a copy of `loan` (the caller keeps and frees its own handle). The
 * loan's period 1 starts with the project's year 1. At most 64 loans. */
GFIN_API GFIN_NODISCARD gfin_status gfin_project_add_loan(gfin_project *project, const gfin_loan *loan, gfin_error *err);
GFIN_API size_t gfin_project_loan_count(const gfin_project *project);
/* The i-th attached loan (owned by the project), NULL past the end. */
GFIN_API const gfin_loan *gfin_project_loan(const gfin_project *project, size_t i);

/* Checks the project and its loans as a whole; GFIN_EINVAL with the path
 * ("capex_profile", "loans[1].drawdowns", "grid.ef_cm") and the rule. */
GFIN_API GFIN_NODISCARD gfin_status gfin_project_validate(const gfin_project *project, gfin_error *err);

/* Evaluates the project standalone (discount_rate and start_year must be set
 * on the project). Without a grid the carbon columns and metrics are null
 * (NaN, GFIN_ENOVALUE) with a warning; a carbon price then needs a grid
 * (GFIN_EINVAL at "grid") unless crediting is "none". A loan drawn after
 * construction gets a warning, and the LLCR counts its later drawdowns (README
 * "LLCR"); a dated loan must start in the project's first calendar year
 * (GFIN_EINVAL at "loans[i].start_date"). GFIN_EINVAL for inconsistent input,
 * GFIN_ENOMEM. */
GFIN_API GFIN_NODISCARD gfin_status gfin_project_evaluate(const gfin_project *project, gfin_result **out, gfin_error *err);

/* ======================================================================== */
/* 9. Funds and portfolios                                                  */
/* ======================================================================== */

/*
 * A green fund lends to the portfolio's projects: its loans are the projects'
 * loans whose lender is "fund" (and sized debt whose lender is "fund"). It is
 * financed by sources of capital (concessional, commercial, grants at rate 0).
 *
 * gfin_portfolio_evaluate evaluates every project (in parallel) and returns a
 * result (kind "portfolio") with:
 *  - table "fund", one row per portfolio year: year, calendar_year,
 *    disbursements, principal_received, interest_received, fees_received,
 *    shortfall (the fund's debt service lost to projects' shortfalls),
 *    outstanding (year end), cost_of_funds, management_fee, net_cash_flow;
 *  - table "portfolio": year, calendar_year, net_mwh, net_mwh_solar,
 *    net_mwh_hydro, reductions_tco2e, reductions_tco2e_solar,
 *    reductions_tco2e_hydro, attributed_tco2e, cumulative_reductions_tco2e
 *    (the columns by technology are deprecated: read the technology tables);
 *  - tables "technology.solar", "technology.hydro" (one per technology, in
 *    choice order): year, calendar_year, net_mwh, reductions_tco2e,
 *    attributed_tco2e of that technology's projects;
 *  - metrics fund_irr, committed, utilization, weighted_cost_of_funds,
 *    weighted_loan_rate, mobilization_ratio, lifetime_reductions_tco2e,
 *    fund_attributed_reductions_tco2e, fund_subsidy_per_tco2e, fund_shortfall,
 *    capacity_mw, capacity_mw_solar, capacity_mw_hydro, total_capex,
 *    fund_capital, project_count (the fund's metrics only with a fund;
 *    fund_cost_per_tco2e is no longer reported);
 *  - fund_irr is the IRR of the fund's flows at their exact times (a
 *    drawdown at the start of its loan period, a payment at its end, cost of
 *    funds and management fee at the end of each year), not of the yearly
 *    net_cash_flow; attribution uses the fund's outstanding balance in each
 *    project at the end of each year (PCAF); every loan result (child of a
 *    project) carries grant_element at GFIN_PORTFOLIO_GRANT_ELEMENT_DISCOUNT_RATE;
 *  - warnings (the portfolio's own, then each project's prefixed by its id);
 *  - one child result per project, in the order they were added.
 * docs/model.md "Fund and portfolio" gives every formula.
 */
typedef struct gfin_fund gfin_fund;
typedef struct gfin_portfolio gfin_portfolio;

GFIN_API gfin_fund *gfin_fund_new(void);
GFIN_API void gfin_fund_free(gfin_fund *fund);
GFIN_API gfin_fund *gfin_fund_copy(const gfin_fund *fund);
/* GFIN_FUND_* keys. */
GFIN_API GFIN_NODISCARD gfin_status gfin_fund_set(gfin_fund *fund, gfin_key key, double value);
GFIN_API GFIN_NODISCARD gfin_status gfin_fund_set_string(gfin_fund *fund, gfin_key key, const char *value);
GFIN_API gfin_status gfin_fund_get(const gfin_fund *fund, gfin_key key, double *out);
GFIN_API const char *gfin_fund_get_string(const gfin_fund *fund, gfin_key key);
GFIN_API const gfin_error *gfin_fund_last_error(const gfin_fund *fund);
/* The setters also filling `err`, as gfin_loan_set_err. */
GFIN_API GFIN_NODISCARD gfin_status gfin_fund_set_err(gfin_fund *fund, gfin_key key, double value, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_fund_set_string_err(gfin_fund *fund, gfin_key key, const char *value,
                                                             gfin_error *err);
/* Adds a source of capital: amount >= 0, annual_rate in [0, 1]. At most 64. */
GFIN_API GFIN_NODISCARD gfin_status gfin_fund_add_source(gfin_fund *fund, const char *name, double amount,
                                                         double annual_rate, gfin_error *err);
GFIN_API size_t gfin_fund_source_count(const gfin_fund *fund);

GFIN_API gfin_portfolio *gfin_portfolio_new(void);
GFIN_API void gfin_portfolio_free(gfin_portfolio *portfolio);
/* GFIN_PORTFOLIO_* and GFIN_GRID_* keys (the grid is the projects' default). */
GFIN_API GFIN_NODISCARD gfin_status gfin_portfolio_set(gfin_portfolio *portfolio, gfin_key key, double value);
GFIN_API GFIN_NODISCARD gfin_status gfin_portfolio_set_string(gfin_portfolio *portfolio, gfin_key key, const char *value);
GFIN_API gfin_status gfin_portfolio_get(const gfin_portfolio *portfolio, gfin_key key, double *out);
GFIN_API const char *gfin_portfolio_get_string(const gfin_portfolio *portfolio, gfin_key key);
/* The portfolio's fund (owned by the portfolio), NULL when it has none. */
GFIN_API const gfin_fund *gfin_portfolio_fund(const gfin_portfolio *portfolio);
GFIN_API const gfin_error *gfin_portfolio_last_error(const gfin_portfolio *portfolio);
/* The setters also filling `err`, as gfin_loan_set_err. */
GFIN_API GFIN_NODISCARD gfin_status gfin_portfolio_set_err(gfin_portfolio *portfolio, gfin_key key, double value,
                                                           gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_portfolio_set_string_err(gfin_portfolio *portfolio, gfin_key key,
                                                                  const char *value, gfin_error *err);
/* Sets (or replaces) the exchange-rate path of `currency` (a loan's
 * GFIN_LOAN_CURRENCY): rates[i] is the portfolio's currency per unit of
 * `currency` in calendar year start_year + i, the last repeating
 * (docs/model.md "Loan currencies"). The rates are copied; n >= 1, each
 * finite and > 0, else GFIN_EINVAL with err->path "fx.CNY[3]". Not
 * thread-safe on the same portfolio. */
GFIN_API GFIN_NODISCARD gfin_status gfin_portfolio_set_fx(gfin_portfolio *portfolio, const char *currency,
                                                          const double *rates, size_t n, gfin_error *err);
/* Replaces the portfolio's fund with a copy of `fund`. */
GFIN_API GFIN_NODISCARD gfin_status gfin_portfolio_set_fund(gfin_portfolio *portfolio, const gfin_fund *fund, gfin_error *err);
/* Adds a copy of `project`. Project ids must be unique (GFIN_EINVAL otherwise). */
GFIN_API GFIN_NODISCARD gfin_status gfin_portfolio_add_project(gfin_portfolio *portfolio, const gfin_project *project,
                                                               gfin_error *err);
GFIN_API size_t gfin_portfolio_project_count(const gfin_portfolio *portfolio);
GFIN_API const gfin_project *gfin_portfolio_project(const gfin_portfolio *portfolio, size_t i);

/* Checks the portfolio's own keys, its fund and that it has projects (the
 * projects themselves are checked when evaluated). */
GFIN_API GFIN_NODISCARD gfin_status gfin_portfolio_validate(const gfin_portfolio *portfolio, gfin_error *err);

/* Evaluates the portfolio with `threads` worker threads (0: one per online CPU).
 * Results are identical for any thread count. A project with an error fails the
 * whole evaluation, with err->path starting "projects[i]". The portfolio is only
 * read: one portfolio may be evaluated from several threads at once. */
GFIN_API GFIN_NODISCARD gfin_status gfin_portfolio_evaluate(const gfin_portfolio *portfolio, int threads,
                                                            gfin_result **out, gfin_error *err);

/* ======================================================================== */
/* 10. Results                                                              */
/* ======================================================================== */

/*
 * One result type serves loans, projects and portfolios: named tables, metrics
 * by key, warnings, and child results (a project's loans, a portfolio's
 * projects). A result is immutable: any number of threads may read it at once.
 * Everything it hands out lives as long as the result.
 */
typedef enum gfin_result_kind {
    GFIN_RESULT_LOAN = 1, GFIN_RESULT_PROJECT = 2, GFIN_RESULT_PORTFOLIO = 3
} gfin_result_kind;

GFIN_API void gfin_result_free(gfin_result *result);
GFIN_API gfin_result_kind gfin_result_kind_of(const gfin_result *result);
/* The id of the loan or project ("" when it had none), or the portfolio's name. */
GFIN_API const char *gfin_result_id(const gfin_result *result);

GFIN_API size_t gfin_result_table_count(const gfin_result *result);
GFIN_API const char *gfin_result_table_name(const gfin_result *result, size_t i);
GFIN_API const gfin_table *gfin_result_table_at(const gfin_result *result, size_t i);
/* Table by name ("schedule", "years", "fund", "portfolio"); NULL if absent. */
GFIN_API const gfin_table *gfin_result_table(const gfin_result *result, const char *name);

/* The metric's value: GFIN_OK, GFIN_ENOVALUE when it is null here (an IRR that
 * does not exist, no debt, ...), GFIN_EINVAL when this result has no such
 * metric. */
GFIN_API gfin_status gfin_result_metric(const gfin_result *result, gfin_metric metric, double *out);
/* The metrics this result carries, in output order. */
GFIN_API size_t gfin_result_metric_count(const gfin_result *result);
GFIN_API gfin_metric gfin_result_metric_at(const gfin_result *result, size_t i);

GFIN_API size_t gfin_result_warning_count(const gfin_result *result);
GFIN_API const char *gfin_result_warning(const gfin_result *result, size_t i);

GFIN_API size_t gfin_result_child_count(const gfin_result *result);
GFIN_API const gfin_result *gfin_result_child(const gfin_result *result, size_t i);

/* ======================================================================== */
/* 11. JSON                                                                 */
/* ======================================================================== */

/*
 * Input documents use the registry's names (docs/model.md). Every error names the path of the
 * offending field ("projects[2].loans[0].annual_rate"), the value and the rule;
 * unknown keys are refused with the nearest valid name suggested. Documents
 * larger than 64 MiB or nested deeper than 64 levels are refused before
 * parsing (GFIN_EINVAL); malformed JSON is GFIN_EPARSE with the line and column.
 * All loaders are thread-safe.
 */
#define GFIN_JSON_MAX_BYTES (64u * 1024u * 1024u)
#define GFIN_JSON_MAX_DEPTH 64

/* A loan object. NULL on error. */
GFIN_API gfin_loan *gfin_loan_from_json(const char *text, size_t len, gfin_error *err);
/* A project object (project keys, optional "grid", "debt_sizing", "loans"). */
GFIN_API gfin_project *gfin_project_from_json(const char *text, size_t len, gfin_error *err);
/* A portfolio file, "format": "greenfin/1". */
GFIN_API gfin_portfolio *gfin_portfolio_from_json(const char *text, size_t len, gfin_error *err);

/* A result as JSON in the shape README.md "The greenfin command" shows: {"metrics": {...},
 * "<table>": {"<column>": [...]}, "warnings": [...], and "loans" (project) or
 * "projects" (portfolio) keyed by id}. Null metrics and NaN cells are null; the
 * date column is written as "YYYY-MM-DD". *out is NUL-terminated, freed with
 * gfin_free; *len (optional) receives its length. */
GFIN_API GFIN_NODISCARD gfin_status gfin_result_to_json(const gfin_result *result, char **out, size_t *len, gfin_error *err);

/* Where the streaming writers (gfin_result_write_json, gfin_table_write_csv,
 * gfin_result_write_metrics_csv) put their text: called with successive
 * chunks (len > 0, at most 64 KiB but for a longer string), in order. `data`
 * is the writer's and is valid during the call only. Return 0 when the chunk
 * was taken; anything else stops the writer, which returns GFIN_EIO without
 * calling the sink again (the sink keeps its own record of why, errno for a
 * file). */
typedef int (*gfin_write_fn)(void *ctx, const char *data, size_t len);

/* The text of gfin_result_to_json, byte for byte, given to `sink` as it is
 * written instead of being held in memory: a portfolio of any size is written
 * in a 64 KiB buffer (since 1.1). GFIN_EINVAL for a NULL result or sink,
 * GFIN_EIO when the sink refused a chunk (what went before it was delivered),
 * GFIN_ENOMEM. Thread-safe for distinct sinks (the result is only read). */
GFIN_API GFIN_NODISCARD gfin_status gfin_result_write_json(const gfin_result *result, gfin_write_fn sink, void *ctx,
                                                           gfin_error *err);
/* One table as a JSON object of equal-length column arrays. */
GFIN_API GFIN_NODISCARD gfin_status gfin_table_to_json(const gfin_table *table, char **out, size_t *len, gfin_error *err);

/* ======================================================================== */
/* 12. Tables                                                               */
/* ======================================================================== */

/*
 * Columnar results: named columns of doubles, one row per period or year.
 * Columns are contiguous arrays (zero-copy: numpy can wrap them). A NaN cell
 * means "no value" (null). A table is immutable once returned: reading it from
 * several threads is safe.
 */
/* gfin_column_kind: section 4. */

GFIN_API void gfin_table_free(gfin_table *table);
GFIN_API size_t gfin_table_rows(const gfin_table *table);
GFIN_API size_t gfin_table_cols(const gfin_table *table);
/* Name of column j, NULL past the end. */
GFIN_API const char *gfin_table_col_name(const gfin_table *table, size_t j);
/* Index of the column named `name`, -1 when absent (1.0, kept for
 * compatibility: gfin_table_col_lookup is the typed call). */
GFIN_API int gfin_table_col_index(const gfin_table *table, const char *name);
/* The kind of column j (a gfin_column_kind), -1 past the end (1.0, kept for
 * compatibility: gfin_table_col_get_kind is the typed call). */
GFIN_API int gfin_table_col_kind(const gfin_table *table, size_t j);
/* Index of the column named `name` in *out; GFIN_EINVAL (err->path the name)
 * when absent or an argument is NULL. */
GFIN_API GFIN_NODISCARD gfin_status gfin_table_col_lookup(const gfin_table *table, const char *name, size_t *out,
                                                          gfin_error *err);
/* The kind of column j in *out; GFIN_EINVAL past the end or for a NULL argument. */
GFIN_API gfin_status gfin_table_col_get_kind(const gfin_table *table, size_t j, gfin_column_kind *out);
/* Column j: rows() contiguous doubles owned by the table; NULL past the end. */
GFIN_API const double *gfin_table_column(const gfin_table *table, size_t j);
/* Column by name, NULL when absent. */
GFIN_API const double *gfin_table_column_by_name(const gfin_table *table, const char *name);
/* Column by its number in the output registry (GFIN_C_YEARS_CFADS, ...), NULL
 * when this table does not have it. */
GFIN_API const double *gfin_table_column_of(const gfin_table *table, gfin_column column);
/* The registry number of column j in *out; GFIN_EINVAL past the end. */
GFIN_API gfin_status gfin_table_col_get_id(const gfin_table *table, size_t j, gfin_column *out);
/* The table as CSV (RFC 4180: header line, then one line per row, "\n" line
 * ends; numbers with 17 significant digits where needed to round-trip, empty
 * cells for NaN and any other non-finite value, dates as YYYY-MM-DD). Freed
 * with gfin_free. */
GFIN_API GFIN_NODISCARD gfin_status gfin_table_to_csv(const gfin_table *table, char **out, size_t *len, gfin_error *err);

/* A result's metrics as CSV: a "name,value" header, then one row per metric in
 * output order, an empty value for a null metric. Freed with gfin_free. */
GFIN_API GFIN_NODISCARD gfin_status gfin_result_metrics_to_csv(const gfin_result *result, char **out, size_t *len,
                                                               gfin_error *err);

/* The text of gfin_table_to_csv and of gfin_result_metrics_to_csv given to a
 * sink as it is written (gfin_write_fn; errors as gfin_result_write_json).
 * Since 1.1. */
GFIN_API GFIN_NODISCARD gfin_status gfin_table_write_csv(const gfin_table *table, gfin_write_fn sink, void *ctx,
                                                         gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_result_write_metrics_csv(const gfin_result *result, gfin_write_fn sink,
                                                                  void *ctx, gfin_error *err);

/* ======================================================================== */
/* 13. Experimental                                                         */
/* ======================================================================== */

/*
 * Modules whose interface may still change in a minor version (the top of this
 * header says how the tiers differ). Each module below gets its own
 * subsection, named with its prefix (gfin_risk_, gfin_solve_, gfin_report_),
 * and the prefix is listed in tests/abi/experimental.supp; everything else in
 * this header is stable. Their keys, metrics and status codes, when they need
 * any, take numbers in the stable enums (numbers are never reused), but may be
 * withdrawn while the module is experimental.
 */

/* ------------------------------------------------------------------------ */
/* Goal seek (gfin_solve_), experimental                                    */
/* ------------------------------------------------------------------------ */

/*
 * The value of one input key at which a metric reaches a target: the tariff
 * that gives NPV = 0, the principal that gives a minimum DSCR of 1.30, the
 * capex at which the equity IRR falls to 12 %. docs/model.md "Goal seek" gives
 * the rules; in short:
 *
 * - The key is a number key (GFIN_PARAM_NUMBER) of a loan, a project, its
 *   debt_sizing or grid, the fund or the portfolio, with a value in the input
 *   (set, or a fixed default). Integer, choice, array, string and date keys
 *   are refused. Each trial value is set on a private copy of the inputs
 *   through the registry's setters, and the copy is evaluated by the model:
 *   the inputs given are never changed.
 * - The search stays within the key's registry bounds (gfin_key_bounds): it
 *   expands from the input's value, doubling the step on either side in turn,
 *   until the metric crosses the target (the root nearest the input value is
 *   found first); then Brent's method (GSL) narrows the bracket to 4 ulp.
 *   Where the metric has no value (an IRR that does not exist) the point is
 *   skipped.
 * - GFIN_ENOCONV when no value within the bounds reaches the target, the
 *   metric does not respond to the key, or it jumps across the target (a
 *   discontinuity): err->path is the metric's name and err->message gives the
 *   metric's range over the values tried, and the bounds.
 * - GFIN_EINVAL for a key, metric, project, loan or scope that does not fit
 *   the inputs (err->path names it), and for input the model refuses.
 *
 * A gfin_solve is not thread-safe (a run records its outcome in it); the
 * inputs are only read.
 */
typedef struct gfin_solve gfin_solve;

/* A goal seek: vary `key` until `metric` equals `target` (finite). NULL when
 * out of memory. The key and metric are checked when run. */
GFIN_API gfin_solve *gfin_solve_new(gfin_key key, gfin_metric metric, double target);
GFIN_API void gfin_solve_free(gfin_solve *solve);
/* Where the key is. `project_id`: the project whose key (or whose loan's key)
 * varies; NULL or "" for a project given alone, a portfolio of one project,
 * or a portfolio's own (grid, fund, portfolio) key. `loan_id`: for a loan
 * key, the loan's id; NULL or "" when the project has one loan. Copied.
 * GFIN_EINVAL for an id longer than 255 bytes. */
GFIN_API GFIN_NODISCARD gfin_status gfin_solve_set_where(gfin_solve *solve, const char *project_id,
                                                         const char *loan_id, gfin_error *err);
/* Which result the metric is read from: "portfolio" or a project's id. NULL
 * (the default): the portfolio's result when it carries the metric, else the
 * varied project's (or the only project's). Copied. */
GFIN_API GFIN_NODISCARD gfin_status gfin_solve_set_scope(gfin_solve *solve, const char *scope, gfin_error *err);
/* Runs the goal seek on a project evaluated alone (as gfin_project_evaluate)
 * or on a portfolio (as gfin_portfolio_evaluate with `threads`). On success
 * *out is the full result at the value found (caller frees). */
GFIN_API GFIN_NODISCARD gfin_status gfin_solve_project(gfin_solve *solve, const gfin_project *project,
                                                       gfin_result **out, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_solve_portfolio(gfin_solve *solve, const gfin_portfolio *portfolio,
                                                         int threads, gfin_result **out, gfin_error *err);
/* The outcome of the last successful run (each pointer optional): the key's
 * value found, the metric's value there (`reached`: the target within the
 * solver's precision), the Brent iterations and the model evaluations of the
 * whole search. GFIN_ENOVALUE before a successful run. */
GFIN_API gfin_status gfin_solve_outcome(const gfin_solve *solve, double *value, double *reached, int *iterations,
                                        int *evaluations);

/* ------------------------------------------------------------------------ */
/* A fund's sources read back (gfin_fund_source_get), experimental            */
/* ------------------------------------------------------------------------ */

/*
 * Source i (0 <= i < gfin_fund_source_count, in the order added) of a fund,
 * read by its GFIN_SOURCE_* key as gfin_fund_get reads the fund's own keys:
 * GFIN_SOURCE_AMOUNT (money) and GFIN_SOURCE_ANNUAL_RATE (fraction/year) by
 * gfin_fund_source_get, GFIN_SOURCE_NAME by gfin_fund_source_get_string (a
 * string owned by the fund, valid until it is changed or freed). GFIN_EINVAL
 * (NULL for the string) for a NULL fund or out, i past the end, or a key that
 * is not a source key of that type. Reading a const fund is thread-safe. The
 * portfolio's fund is gfin_portfolio_fund.
 */
GFIN_API gfin_status gfin_fund_source_get(const gfin_fund *fund, size_t i, gfin_key key, double *out);
GFIN_API const char *gfin_fund_source_get_string(const gfin_fund *fund, size_t i, gfin_key key);

/* ------------------------------------------------------------------------ */
/* Risk: cases, sensitivity and Monte Carlo (gfin_risk_), experimental       */
/* ------------------------------------------------------------------------ */

/*
 * docs/model.md "Risk" is the contract. An experiment (gfin_risk) says what
 * to change in a portfolio's inputs:
 *
 * - a change (gfin_risk_change) names a key -- a project key ("capex",
 *   "tariff_per_mwh", ...), a grid key ("ef_om"), a loan key ("annual_rate",
 *   "margin", ...), "energy", a multiplier of each operating year's gross and
 *   net energy, or "fx_drift", an annual drift d of a loan currency's fx path
 *   (rate of year y x (1 + d)^(y - the portfolio's start_year); add or set, in
 *   [-0.5, 1]) -- how a value applies to it (scale, add, set) and where
 *   (project ids, a technology, loan lenders, calendar years for energy, the
 *   currency for fx_drift). A
 *   changed value outside the key's bounds is clipped to them (and counted in
 *   the warnings); an integer key is rounded half away from zero;
 * - cases: named lists of changes with values, each evaluated once;
 * - sensitivity entries: a change at a low and at a high value (a tornado);
 * - uncertainties: changes whose value is drawn from a distribution, per
 *   scenario or per calendar year, optionally through a named factor that
 *   several uncertainties share (a factor per year has an autocorrelation;
 *   factors of the same `per` may be correlated).
 *
 * gfin_risk_run evaluates the cases, the sensitivity entries and scenarios
 * first .. first + count - 1 of the experiment with the portfolio's own model
 * (no second model), on N threads. Scenario s draws from random streams that
 * depend only on the seed, s and the factor or the uncertainty's position:
 * the result is bit-identical for any thread count and any split of the
 * scenarios into blocks, and the per-scenario samples of blocks, concatenated,
 * equal those of one run. Debt sized from a DSCR target is sized once on the
 * base inputs and kept.
 *
 * Per scenario each project yields npv, project_irr, equity_irr, min_dscr,
 * llcr, lcoe, lifetime_reductions_tco2e (and debt_service_shortfall where the
 * library computes it), the portfolio lifetime_reductions_tco2e and, with a
 * fund, fund_irr, fund_attributed_reductions_tco2e (and fund_shortfall).
 *
 * Limits: at most GFIN_RISK_MAX_SCENARIOS scenarios; the samples kept during a
 * run take count x sampled metrics x 8 bytes, refused above
 * GFIN_RISK_MAX_SAMPLE_BYTES; each thread adds a scratch copy of the changed
 * projects (with an fx_drift, of the whole portfolio once).
 *
 * Handles are not thread-safe; a gfin_risk that is only read (run, validate)
 * may be used from several threads at once, and a result is immutable.
 */
#define GFIN_RISK_MAX_SCENARIOS 10000000u
#define GFIN_RISK_MAX_SAMPLE_BYTES ((size_t)1 << 31)
/* count argument of gfin_risk_run: every scenario from `first` to the end. */
#define GFIN_RISK_REST ((size_t)-1)

typedef struct gfin_risk gfin_risk;
typedef struct gfin_risk_change gfin_risk_change;
typedef struct gfin_risk_dist gfin_risk_dist;
typedef struct gfin_risk_result gfin_risk_result;

typedef enum gfin_risk_apply {
    GFIN_RISK_SCALE = 0,   /* base x v */
    GFIN_RISK_ADD = 1,     /* base + v */
    GFIN_RISK_SET = 2      /* v */
} gfin_risk_apply;

typedef enum gfin_risk_per {
    GFIN_RISK_PER_SCENARIO = 0,  /* one draw per scenario */
    GFIN_RISK_PER_YEAR = 1       /* one draw per calendar year (energy only) */
} gfin_risk_per;

typedef enum gfin_risk_dist_type {
    GFIN_RISK_NORMAL = 0,      /* mean, sd; optional lower, upper (truncation) */
    GFIN_RISK_LOGNORMAL = 1,   /* mean, sd of the variable itself; optional lower, upper */
    GFIN_RISK_UNIFORM = 2,     /* min, max */
    GFIN_RISK_TRIANGULAR = 3,  /* min, mode, max */
    GFIN_RISK_PERT = 4,        /* min, mode, max: Beta(1 + 4 (mode-min)/(max-min), 1 + 4 (max-mode)/(max-min)) */
    GFIN_RISK_DISCRETE = 5     /* values, optional weights */
} gfin_risk_dist_type;

/* Parameters of a distribution (JSON names in brackets). */
typedef enum gfin_risk_dist_param {
    GFIN_RISK_MEAN = 0,  /* "mean" */
    GFIN_RISK_SD = 1,    /* "sd" (> 0) */
    GFIN_RISK_MIN = 2,   /* "min" */
    GFIN_RISK_MODE = 3,  /* "mode" */
    GFIN_RISK_MAX = 4,   /* "max" */
    GFIN_RISK_LOWER = 5, /* "lower": truncation of normal and lognormal */
    GFIN_RISK_UPPER = 6  /* "upper" */
} gfin_risk_dist_param;

/* Statistics of a metric over the scenarios where it has a value. */
typedef enum gfin_risk_stat {
    GFIN_RISK_N = 0, GFIN_RISK_STAT_MEAN = 1, GFIN_RISK_STAT_SD = 2, GFIN_RISK_STAT_MIN = 3,
    GFIN_RISK_Q05 = 4, GFIN_RISK_Q10 = 5, GFIN_RISK_Q50 = 6, GFIN_RISK_Q90 = 7, GFIN_RISK_Q95 = 8,
    GFIN_RISK_STAT_MAX = 9,
    GFIN_RISK_STAT_COUNT = 10
} gfin_risk_stat;
/* "n", "mean", "sd", "min", "q05", "q10", "q50", "q90", "q95", "max"; NULL past the end. */
GFIN_API const char *gfin_risk_stat_name(gfin_risk_stat stat);

/* Names as in JSON ("scale", "year", "pert", "sd"); NULL for other numbers.
 * gfin_risk_*_find return the number of a name, -1 when there is none. */
GFIN_API const char *gfin_risk_apply_name(gfin_risk_apply apply);
GFIN_API const char *gfin_risk_per_name(gfin_risk_per per);
GFIN_API const char *gfin_risk_dist_type_name(gfin_risk_dist_type type);
GFIN_API const char *gfin_risk_dist_param_name(gfin_risk_dist_param param);
GFIN_API int gfin_risk_apply_find(const char *name);
GFIN_API int gfin_risk_per_find(const char *name);
GFIN_API int gfin_risk_dist_type_find(const char *name);
GFIN_API int gfin_risk_dist_param_find(const char *name);

/* ---- distributions ---- */

/* A distribution of `type` with no parameters set; NULL when out of memory or
 * for an unknown type. */
GFIN_API gfin_risk_dist *gfin_risk_dist_new(gfin_risk_dist_type type);
GFIN_API void gfin_risk_dist_free(gfin_risk_dist *dist);
/* Sets a parameter. GFIN_EINVAL (err->path the parameter's name, e.g. "sd")
 * for a parameter the type does not take or a value that is not finite or out
 * of range (sd > 0; lognormal mean > 0). */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_dist_set(gfin_risk_dist *dist, gfin_risk_dist_param param, double value,
                                                       gfin_error *err);
/* Discrete: the values (at most 100,000) and optional weights (NULL: equal;
 * each >= 0, a positive sum). Paths "values[i]", "weights[i]", "weights". */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_dist_set_values(gfin_risk_dist *dist, const double *values,
                                                              const double *weights, size_t n, gfin_error *err);
/* Checks the parameters as a whole: all required ones given, min < max,
 * min <= mode <= max, lower < upper (with some probability between them). */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_dist_validate(const gfin_risk_dist *dist, gfin_error *err);
/* The inverse CDF F^-1(u) of a valid distribution at 0 < u < 1 (truncation
 * applied: F^-1(F(lower) + u (F(upper) - F(lower)))). Discrete: the smallest
 * value whose cumulative weight reaches u. Thread-safe on a const handle. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_dist_quantile(const gfin_risk_dist *dist, double u, double *out,
                                                            gfin_error *err);

/* ---- changes ---- */

/* A change of `key` (see above; JSON name) applied as `apply`, touching every
 * project (and every loan of them, for a loan key) until narrowed. GFIN_EINVAL
 * in err for an unknown key (with the nearest name), a key that cannot vary
 * (strings, choices, dates, debt_sizing keys: sized debt is kept), an
 * unknown apply, or "fx_drift" with GFIN_RISK_SCALE (its base is no drift). */
GFIN_API gfin_risk_change *gfin_risk_change_new(const char *key, gfin_risk_apply apply, gfin_error *err);
GFIN_API void gfin_risk_change_free(gfin_risk_change *change);
/* Its label in the output; default "<key> <apply>" ("capex scale"). */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_change_set_name(gfin_risk_change *change, const char *name,
                                                              gfin_error *err);
/* Narrows to the listed project ids (called once per id) and/or a technology;
 * together they select the intersection. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_change_add_project(gfin_risk_change *change, const char *id,
                                                                 gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_change_set_technology(gfin_risk_change *change, gfin_technology tech,
                                                                    gfin_error *err);
/* Loan keys only: narrows to loans whose lender is one of those added. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_change_add_lender(gfin_risk_change *change, const char *lender,
                                                                gfin_error *err);
/* Energy only: the calendar years first..last (inclusive) it applies to. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_change_set_years(gfin_risk_change *change, int first, int last,
                                                               gfin_error *err);
/* "fx_drift" only: the currency whose fx path (gfin_portfolio_set_fx) it
 * moves; without it, every path that a loan's currency uses. GFIN_EINVAL
 * (err->path "currency") for another key or a code of 0 or 16+ characters;
 * a currency without a path, or that no loan uses, is refused when the
 * experiment meets the portfolio (gfin_risk_validate, gfin_risk_run). */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_change_set_currency(gfin_risk_change *change, const char *currency,
                                                                  gfin_error *err);

/* ---- the experiment ---- */

/* Defaults: 1000 scenarios, seed 1, covenant DSCR 1.2, no equity IRR hurdle,
 * samples not kept. */
GFIN_API gfin_risk *gfin_risk_new(void);
GFIN_API void gfin_risk_free(gfin_risk *risk);
/* 1 .. GFIN_RISK_MAX_SCENARIOS. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_set_scenarios(gfin_risk *risk, size_t scenarios, gfin_error *err);
/* 0 .. 2^53 - 1 (so that JSON and Python carry it exactly). */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_set_seed(gfin_risk *risk, uint64_t seed, gfin_error *err);
/* The DSCR covenant of p_min_dscr_below_covenant, in (0, 100]. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_set_covenant_dscr(gfin_risk *risk, double dscr, gfin_error *err);
/* The hurdle of p_equity_irr_below_hurdle, in [-1, 10]; NaN removes it. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_set_hurdle_equity_irr(gfin_risk *risk, double irr, gfin_error *err);
GFIN_API size_t gfin_risk_scenarios(const gfin_risk *risk);
GFIN_API uint64_t gfin_risk_seed(const gfin_risk *risk);
/* Keep the per-scenario samples in the result (table "samples"). */
GFIN_API void gfin_risk_set_keep_samples(gfin_risk *risk, int keep);
/* A progress callback: called with the scenarios done and the block's count
 * from the worker threads, one call at a time, about every 1 % (and at the
 * end). A nonzero return stops the run (GFIN_EINVAL, "cancelled"). */
typedef int (*gfin_risk_progress_fn)(void *user, size_t done, size_t total);
GFIN_API void gfin_risk_set_progress(gfin_risk *risk, gfin_risk_progress_fn fn, void *user);

/* A case `name` (unique, non-empty); *index (optional) receives its number. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_add_case(gfin_risk *risk, const char *name, size_t *index,
                                                       gfin_error *err);
/* Appends a copy of `change` with `value` to case `index`. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_case_add_change(gfin_risk *risk, size_t index,
                                                              const gfin_risk_change *change, double value,
                                                              gfin_error *err);
/* A sensitivity entry: `change` at `low` and at `high`. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_add_sensitivity(gfin_risk *risk, const gfin_risk_change *change,
                                                              double low, double high, gfin_error *err);
/* A factor: per scenario (autocorrelation must be 0) or per calendar year with
 * autocorrelation rho in (-1, 1). Names are unique. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_add_factor(gfin_risk *risk, const char *name, gfin_risk_per per,
                                                         double autocorrelation, gfin_error *err);
/* Correlation rho in [-1, 1] between two factors of the same per (checked,
 * with the positive definiteness of each matrix, by validate and run). */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_add_correlation(gfin_risk *risk, const char *factor_a,
                                                              const char *factor_b, double rho, gfin_error *err);
/* An uncertainty: `change` with its value drawn from a copy of `dist` (which
 * must be valid), through `factor` (NULL: its own draws) with `per`. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_add_uncertainty(gfin_risk *risk, const gfin_risk_change *change,
                                                              const gfin_risk_dist *dist, const char *factor,
                                                              gfin_risk_per per, gfin_error *err);

/* Checks the experiment against a portfolio: selectors that name no project,
 * a loan key with no loan to touch, a change that touches nothing, unknown
 * factors, per mismatches, correlation matrices that are not positive
 * definite. Paths such as "uncertainties[2].projects[0]", "correlations". */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_validate(const gfin_risk *risk, const gfin_portfolio *portfolio,
                                                       gfin_error *err);

/* Runs the experiment on `portfolio`: the base case, the cases, the
 * sensitivity entries and scenarios first .. first + count - 1 (count
 * GFIN_RISK_REST: to the end) on `threads` threads (0: one per online CPU).
 * GFIN_EINVAL for an invalid experiment or block (as validate), a run
 * refused for its memory, or when the model refuses a scenario's changed
 * inputs: then err->path starts with "scenario 17: ", "cases[1]: " or
 * "sensitivity[0] low: " before the model's own path. GFIN_ENOMEM. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_run(const gfin_risk *risk, const gfin_portfolio *portfolio, size_t first,
                                                  size_t count, int threads, gfin_risk_result **out, gfin_error *err);

/* ---- reading an experiment back ---- */

/* What an experiment holds, in the order it was built (a file's order), for
 * reports that show what was assumed. Pointers and strings are owned by the
 * experiment and valid until it is freed or changed; out-parameters are
 * optional (NULL: not wanted). Past the end: NULL, 0 or GFIN_EINVAL. Reading
 * a const experiment is thread-safe. The covenant DSCR; the equity IRR hurdle
 * (NaN when none). */
GFIN_API double gfin_risk_covenant_dscr(const gfin_risk *risk);
GFIN_API double gfin_risk_hurdle_equity_irr(const gfin_risk *risk);
/* Case i: its name, its changes and change j with its value. */
GFIN_API size_t gfin_risk_case_count(const gfin_risk *risk);
GFIN_API const char *gfin_risk_case_name(const gfin_risk *risk, size_t i);
GFIN_API size_t gfin_risk_case_change_count(const gfin_risk *risk, size_t i);
GFIN_API const gfin_risk_change *gfin_risk_case_change(const gfin_risk *risk, size_t i, size_t j, double *value);
/* Sensitivity entry i with its low and high values. */
GFIN_API size_t gfin_risk_sensitivity_count(const gfin_risk *risk);
GFIN_API const gfin_risk_change *gfin_risk_sensitivity(const gfin_risk *risk, size_t i, double *low, double *high);
/* Uncertainty i: its distribution, its factor (NULL: its own draws) and per. */
GFIN_API size_t gfin_risk_uncertainty_count(const gfin_risk *risk);
GFIN_API const gfin_risk_change *gfin_risk_uncertainty(const gfin_risk *risk, size_t i, const gfin_risk_dist **dist,
                                                       const char **factor, gfin_risk_per *per);
/* Factor i: its name (the return value), per and autocorrelation. */
GFIN_API size_t gfin_risk_factor_count(const gfin_risk *risk);
GFIN_API const char *gfin_risk_factor(const gfin_risk *risk, size_t i, gfin_risk_per *per, double *autocorrelation);
/* Correlation i: the two factors' names and rho. */
GFIN_API size_t gfin_risk_correlation_count(const gfin_risk *risk);
GFIN_API gfin_status gfin_risk_correlation(const gfin_risk *risk, size_t i, const char **factor_a,
                                           const char **factor_b, double *rho);
/* A change: its key (JSON name); its apply (a gfin_risk_apply, -1 for NULL);
 * its label as the output names it (its name, or "<key> <apply>"), written
 * into buf as snprintf does (the return value is the label's length); the
 * project ids and lenders it was narrowed to (i-th, NULL past the end: none
 * at all means every one); its technology (a gfin_technology, -1: any); the
 * calendar years of an energy change (GFIN_ENOVALUE: all years). */
GFIN_API const char *gfin_risk_change_key(const gfin_risk_change *change);
GFIN_API int gfin_risk_change_apply(const gfin_risk_change *change);
GFIN_API size_t gfin_risk_change_label(const gfin_risk_change *change, char *buf, size_t n);
GFIN_API const char *gfin_risk_change_project(const gfin_risk_change *change, size_t i);
GFIN_API const char *gfin_risk_change_lender(const gfin_risk_change *change, size_t i);
GFIN_API int gfin_risk_change_technology(const gfin_risk_change *change);
GFIN_API gfin_status gfin_risk_change_years(const gfin_risk_change *change, int *first, int *last);
/* The currency an fx_drift change was narrowed to (NULL: every path a loan
 * uses, or not an fx_drift change). */
GFIN_API const char *gfin_risk_change_currency(const gfin_risk_change *change);
/* A distribution: its type (a gfin_risk_dist_type, -1 for NULL); a parameter
 * as given (GFIN_ENOVALUE when not given, GFIN_EINVAL for another number); a
 * discrete one's values and weights in the order given (*weights NULL: equal
 * weights), returning their count (0 for other types). */
GFIN_API int gfin_risk_dist_type_of(const gfin_risk_dist *dist);
GFIN_API gfin_status gfin_risk_dist_get(const gfin_risk_dist *dist, gfin_risk_dist_param param, double *out);
GFIN_API size_t gfin_risk_dist_values(const gfin_risk_dist *dist, const double **values, const double **weights);

/* ---- results ---- */

GFIN_API void gfin_risk_result_free(gfin_risk_result *result);
/* The experiment's size, seed and the block run. */
GFIN_API size_t gfin_risk_result_scenarios(const gfin_risk_result *result);
GFIN_API uint64_t gfin_risk_result_seed(const gfin_risk_result *result);
GFIN_API size_t gfin_risk_result_first(const gfin_risk_result *result);
GFIN_API size_t gfin_risk_result_count(const gfin_risk_result *result);

/* Scopes: 0 is the portfolio ("portfolio"), 1 + i the portfolio's project i
 * (its id). */
GFIN_API size_t gfin_risk_result_scope_count(const gfin_risk_result *result);
GFIN_API const char *gfin_risk_result_scope_name(const gfin_risk_result *result, size_t scope);
/* Labels of the sensitivity entries and of the cases, by number. */
GFIN_API size_t gfin_risk_result_change_count(const gfin_risk_result *result);
GFIN_API const char *gfin_risk_result_change_name(const gfin_risk_result *result, size_t i);
GFIN_API size_t gfin_risk_result_case_count(const gfin_risk_result *result);
GFIN_API const char *gfin_risk_result_case_name(const gfin_risk_result *result, size_t i);

/* Tables (owned by the result; integer columns `scope`, `metric` -- a
 * gfin_metric --, `change` and `case` are numbers named by the functions above):
 *   "statistics"    scope, metric, n, mean, sd, min, q05, q10, q50, q90, q95, max
 *   "probabilities" scope, metric (GFIN_M_P_*), value
 *   "sensitivity"   change, scope, metric, base, at_low, at_high, swing
 *                   (largest swing first within a scope and metric)
 *   "cases"         case, scope, metric, base, value, difference
 *   "samples"       scenario, then one column "<scope>.<metric>" per sampled
 *                   metric (only when samples are kept)
 * NULL for another name. NaN cells are nulls. */
GFIN_API const gfin_table *gfin_risk_result_table(const gfin_risk_result *result, const char *name);
/* One statistic: GFIN_OK, GFIN_ENOVALUE when null (no scenario had a value,
 * or sd of one), GFIN_EINVAL when the scope or metric is not sampled. */
GFIN_API gfin_status gfin_risk_result_statistic(const gfin_risk_result *result, size_t scope, gfin_metric metric,
                                                gfin_risk_stat stat, double *out);
/* One probability (GFIN_M_P_*), as gfin_risk_result_statistic. */
GFIN_API gfin_status gfin_risk_result_probability(const gfin_risk_result *result, size_t scope, gfin_metric metric,
                                                  double *out);
GFIN_API size_t gfin_risk_result_warning_count(const gfin_risk_result *result);
GFIN_API const char *gfin_risk_result_warning(const gfin_risk_result *result, size_t i);

/* The statistics of `n` samples with the run's rules: NaN samples are left out;
 * sd with n - 1; quantiles by linear interpolation between order statistics at
 * h = (n - 1) p. out[GFIN_RISK_STAT_COUNT] receives NaN for a null (n = 0;
 * sd with n = 1). Merging blocks: concatenate their samples in scenario order
 * and call this. GFIN_ENOMEM; GFIN_EINVAL for NULL pointers. Thread-safe. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_statistics(const double *samples, size_t n,
                                                         double out[GFIN_RISK_STAT_COUNT], gfin_error *err);

/* JSON: the `risk` object of a portfolio or project file (text is the risk
 * object itself), checked against `portfolio`; errors carry the path from
 * "risk" ("risk.uncertainties[2].distribution.sd"). */
GFIN_API gfin_risk *gfin_risk_from_json(const char *text, size_t len, const gfin_portfolio *portfolio,
                                        gfin_error *err);
/* A whole file: a portfolio file, or a project file read as a portfolio of
 * one project without a fund (its start_year, discount_rate and name -- its
 * id when it has none -- become the portfolio's). *risk is an empty
 * experiment when the file has no "risk". */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_load_json(const char *text, size_t len, gfin_portfolio **portfolio,
                                                        gfin_risk **risk, gfin_error *err);
/* The result in the shape of docs/model.md ("metrics", "statistics",
 * "probabilities", "sensitivity", "cases", "warnings", and "samples" when
 * kept). Freed with gfin_free. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_result_to_json(const gfin_risk_result *result, char **out, size_t *len,
                                                             gfin_error *err);
/* The same text given to a sink as it is written (gfin_write_fn). */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_result_write_json(const gfin_risk_result *result, gfin_write_fn sink,
                                                                void *ctx, gfin_error *err);
/* One table as CSV ("statistics", "probabilities", "sensitivity", "cases",
 * "samples" when kept, or "metrics": scenarios, seed, first, count) with the
 * scope, metric, change and case columns written as names. Freed with
 * gfin_free; the _write_ twin streams to a sink. */
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_result_to_csv(const gfin_risk_result *result, const char *table,
                                                            char **out, size_t *len, gfin_error *err);
GFIN_API GFIN_NODISCARD gfin_status gfin_risk_result_write_csv(const gfin_risk_result *result, const char *table,
                                                               gfin_write_fn sink, void *ctx, gfin_error *err);


#ifdef __cplusplus
}
#endif

#endif /* GREENFIN_H */
