/* params.c -- the registry: every input key and output metric, with its name,
 * unit, bounds, default and one-line doc. The single source of truth that the C
 * setters, the JSON loader, the Python bindings and the docs all read. The
 * value store that holds inputs by these definitions is pstore.c. */
#include "params.h"
#include "dates.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MONEY_MAX 1e15            /* larger than any portfolio in any currency */
#define DATE_MIN (-25567.0)       /* 1900-01-01 */
#define DATE_MAX 84005.0          /* 2199-12-31 */
#define MAX_PERIODS 1200          /* 100 years of monthly periods */
#define MAX_SPECIFIC_YIELD 3000.0 /* kWh/kWp/year: above the best sites on Earth (~2,400) */

static const char *const CH_IDC[] = {"capitalized", "paid", NULL};
static const char *const CH_GRACE[] = {"interest_only", "capitalized", NULL};
static const char *const CH_AMORT[] = {"annuity", "linear", "bullet", "balloon", "custom", "sculpted", NULL};
static const char *const CH_DC[] = {"30/360", "30/360 ISDA", "30E/360", "30E/360 ISDA",
                                    "ACT/360", "ACT/365F", "ACT/ACT", NULL};
#define TECH_NAME(e, n, m, cn, cr) #n,
static const char *const CH_TECH[] = {GFIN_TECHNOLOGIES(TECH_NAME) NULL};
#define TECH_ROW(e, n, m, cn, cr) {e, #n, "technology." #n, m, cn, cr},
static const gfin_tech_def TECHS[] = {GFIN_TECHNOLOGIES(TECH_ROW)};

const gfin_tech_def *gfin__tech(size_t i) { return i < GFIN_TECH_COUNT ? &TECHS[i] : NULL; }
static const char *const CH_CREDIT[] = {"renewable", "fixed", "none", NULL};
static const char *const CH_CASE[] = {"p50", "p90", NULL};
static const char *const CH_SWEPT[] = {"no", "yes", NULL};
static const double FREQUENCIES[] = {1, 2, 4, 12, NAN};

enum { R = GFIN_PF_REQUIRED, D = GFIN_PF_DEFAULT, MINX = GFIN_PF_MIN_EXCL, MAXX = GFIN_PF_MAX_EXCL,
       INH = GFIN_PF_INHERITED };

#define NUM(k, o, n, u, lo, hi, fl, d, doc_) \
    {.key = k, .object = o, .name = n, .type = GFIN_PARAM_NUMBER, .unit = u, .min = lo, .max = hi, \
     .flags = fl, .def = d, .doc = doc_}
#define INT(k, o, n, u, lo, hi, fl, d, doc_) \
    {.key = k, .object = o, .name = n, .type = GFIN_PARAM_INTEGER, .unit = u, .min = lo, .max = hi, \
     .flags = fl, .def = d, .doc = doc_}
/* A choice key's bounds come from its NULL-terminated list of names. */
#define NCHOICES(ch) (sizeof(ch) / sizeof((ch)[0]) - 1)
#define CHOICE(k, o, n, ch, fl, d, doc_) \
    {.key = k, .object = o, .name = n, .type = GFIN_PARAM_CHOICE, .unit = "", .min = 0, .max = NCHOICES(ch) - 1.0, \
     .flags = fl, .def = d, .choices = ch, .doc = doc_}
#define ARR(k, o, n, u, lo, hi, fl, len, doc_) \
    {.key = k, .object = o, .name = n, .type = GFIN_PARAM_ARRAY, .unit = u, .min = lo, .max = hi, \
     .flags = fl, .max_len = len, .doc = doc_}
#define STR(k, o, n, fl, sd, doc_) \
    {.key = k, .object = o, .name = n, .type = GFIN_PARAM_STRING, .unit = "", .flags = fl, .sdef = sd, \
     .doc = doc_}

static const gfin_param_def PARAMS[] = {
    /* ---- loan ---- */
    STR(GFIN_LOAN_ID, GFIN_OBJ_LOAN, "id", 0, "", "label of the loan"),
    STR(GFIN_LOAN_LENDER, GFIN_OBJ_LOAN, "lender", 0, "", "who lends; \"fund\" marks a loan from the portfolio's fund"),
    NUM(GFIN_LOAN_PRINCIPAL, GFIN_OBJ_LOAN, "principal", "money", 0, MONEY_MAX, R | MINX, 0,
        "the commitment: the most that can be drawn"),
    NUM(GFIN_LOAN_ANNUAL_RATE, GFIN_OBJ_LOAN, "annual_rate", "fraction/year", 0, 1, 0, 0,
        "nominal annual interest rate (required unless base_rates); periodic rate = annual_rate / frequency"),
    NUM(GFIN_LOAN_MARGIN, GFIN_OBJ_LOAN, "margin", "fraction/year", -0.1, 1, D, 0,
        "added to the annual rate or to each base rate"),
    ARR(GFIN_LOAN_BASE_RATES, GFIN_OBJ_LOAN, "base_rates", "fraction/year", -0.1, 1, 0, MAX_PERIODS,
        "floating base rate of periods 1, 2, ...; the last one repeats"),
    {.key = GFIN_LOAN_FREQUENCY, .object = GFIN_OBJ_LOAN, .name = "frequency", .type = GFIN_PARAM_INTEGER,
     .unit = "1/year", .min = 1, .max = 12, .flags = D, .def = 12, .allowed = FREQUENCIES,
     .doc = "payments per year: 1, 2, 4 or 12"},
    ARR(GFIN_LOAN_DRAWDOWNS, GFIN_OBJ_LOAN, "drawdowns", "fraction", 0, 1, 0, MAX_PERIODS,
        "fractions of principal drawn at the start of availability periods 1..A (sum 1); none: all at the start"),
    CHOICE(GFIN_LOAN_IDC_MODE, GFIN_OBJ_LOAN, "idc_mode", CH_IDC, D, GFIN_IDC_CAPITALIZED,
           "interest in availability periods: capitalized (added to balance) or paid"),
    INT(GFIN_LOAN_GRACE_PERIODS, GFIN_OBJ_LOAN, "grace_periods", "periods", 0, MAX_PERIODS, D, 0,
        "periods after availability without principal repayment"),
    CHOICE(GFIN_LOAN_GRACE_MODE, GFIN_OBJ_LOAN, "grace_mode", CH_GRACE, D, GFIN_GRACE_INTEREST_ONLY,
           "interest in grace periods: interest_only (paid) or capitalized"),
    INT(GFIN_LOAN_REPAYMENT_PERIODS, GFIN_OBJ_LOAN, "repayment_periods", "periods", 1, MAX_PERIODS, R, 0,
        "number of repayment periods R"),
    CHOICE(GFIN_LOAN_AMORTIZATION, GFIN_OBJ_LOAN, "amortization", CH_AMORT, D, GFIN_AMORT_ANNUITY,
           "repayment profile"),
    NUM(GFIN_LOAN_BALLOON_FRACTION, GFIN_OBJ_LOAN, "balloon_fraction", "fraction", 0, 1, D | MAXX, 0,
        "balloon: share of the repayment-start balance repaid with the last payment"),
    ARR(GFIN_LOAN_PRINCIPAL_PROFILE, GFIN_OBJ_LOAN, "principal_profile", "fraction", 0, 1, 0, MAX_PERIODS,
        "custom: R fractions of the repayment-start balance (sum 1)"),
    ARR(GFIN_LOAN_DEBT_SERVICE_PROFILE, GFIN_OBJ_LOAN, "debt_service_profile", "money", 0, MONEY_MAX, 0,
        MAX_PERIODS, "sculpted: R target debt-service amounts; principal = target - interest"),
    NUM(GFIN_LOAN_UPFRONT_FEE, GFIN_OBJ_LOAN, "upfront_fee", "fraction", 0, 0.25, D, 0,
        "fraction of principal paid at the start of period 1"),
    NUM(GFIN_LOAN_COMMITMENT_FEE, GFIN_OBJ_LOAN, "commitment_fee", "fraction/year", 0, 0.1, D, 0,
        "annual fee on the undrawn commitment during availability"),
    {.key = GFIN_LOAN_START_DATE, .object = GFIN_OBJ_LOAN, .name = "start_date", .type = GFIN_PARAM_DATE,
     .unit = "date", .min = DATE_MIN, .max = DATE_MAX,
     .doc = "start of period 1; makes the schedule dated (YYYY-MM-DD)"},
    CHOICE(GFIN_LOAN_DAY_COUNT, GFIN_OBJ_LOAN, "day_count", CH_DC, D, GFIN_DC_30_360_US,
           "day count of dated schedules"),
    STR(GFIN_LOAN_CURRENCY, GFIN_OBJ_LOAN, "currency", 0, "",
        "currency of the loan (ISO code, e.g. \"CNY\"); \"\" is the portfolio's; another needs an fx path of the "
        "portfolio, which converts its flows at the rate of their year"),
    CHOICE(GFIN_LOAN_SWEPT, GFIN_OBJ_LOAN, "swept", CH_SWEPT, D, GFIN_SWEPT_NO,
           "yes: the project's cash_sweep prepays this loan (with the other swept loans, pro rata to their balances)"),

    /* ---- project ---- */
    STR(GFIN_PROJECT_ID, GFIN_OBJ_PROJECT, "id", R, "", "unique id of the project"),
    STR(GFIN_PROJECT_NAME, GFIN_OBJ_PROJECT, "name", 0, "", "display name"),
    CHOICE(GFIN_PROJECT_TECHNOLOGY, GFIN_OBJ_PROJECT, "technology", CH_TECH, R, 0, "solar or hydro"),
    NUM(GFIN_PROJECT_CAPACITY_MW, GFIN_OBJ_PROJECT, "capacity_mw", "MW", 0, 30000, R | MINX, 0,
        "installed capacity (solar: MWp)"),
    INT(GFIN_PROJECT_CONSTRUCTION_YEARS, GFIN_OBJ_PROJECT, "construction_years", "years", 1, 15, D, 1,
        "years 1..C of construction"),
    INT(GFIN_PROJECT_OPERATING_YEARS, GFIN_OBJ_PROJECT, "operating_years", "years", 1, 100, D, 25,
        "years C+1..C+O of operation"),
    NUM(GFIN_PROJECT_SPECIFIC_YIELD_KWH_PER_KWP, GFIN_OBJ_PROJECT, "specific_yield_kwh_per_kwp", "kWh/kWp",
        0, MAX_SPECIFIC_YIELD, MINX, 0, "solar P50 first-year specific yield (or capacity_factor)"),
    NUM(GFIN_PROJECT_CAPACITY_FACTOR, GFIN_OBJ_PROJECT, "capacity_factor", "fraction", 0, 1, MINX, 0,
        "ideal energy = capacity_mw x 8760 x capacity_factor"),
    ARR(GFIN_PROJECT_MONTHLY_FLOW_M3S, GFIN_OBJ_PROJECT, "monthly_flow_m3s", "m3/s", 0, 1e6, 0, 12,
        "hydro: 12 monthly mean flows, January first"),
    NUM(GFIN_PROJECT_HEAD_M, GFIN_OBJ_PROJECT, "head_m", "m", 0, 3000, MINX, 0, "hydro: net head"),
    NUM(GFIN_PROJECT_EFFICIENCY, GFIN_OBJ_PROJECT, "efficiency", "fraction", 0, 1, D | MINX, 0.88,
        "hydro: turbine and generator efficiency"),
    NUM(GFIN_PROJECT_AVAILABILITY, GFIN_OBJ_PROJECT, "availability", "fraction", 0, 1, D | MINX, 1,
        "share of the time the plant can run"),
    NUM(GFIN_PROJECT_LOSSES, GFIN_OBJ_PROJECT, "losses", "fraction", 0, 1, D | MAXX, 0,
        "energy losses before the meter"),
    NUM(GFIN_PROJECT_OWN_USE, GFIN_OBJ_PROJECT, "own_use", "fraction", 0, 1, D | MAXX, 0,
        "share of gross generation used by the plant; net = gross x (1 - own_use)"),
    NUM(GFIN_PROJECT_DEGRADATION, GFIN_OBJ_PROJECT, "degradation", "fraction/year", 0, 0.2, D, 0,
        "energy of operating year j x (1 - degradation)^(j-1)"),
    NUM(GFIN_PROJECT_YIELD_UNCERTAINTY, GFIN_OBJ_PROJECT, "yield_uncertainty", "fraction", 0, 0.5, D, 0,
        "one-sigma of annual energy; P90 = P50 x (1 - 1.2816 sigma)"),
    NUM(GFIN_PROJECT_RESERVOIR_AREA_KM2, GFIN_OBJ_PROJECT, "reservoir_area_km2", "km2", 0, 1e5, D, 0,
        "hydro: reservoir area at full supply level"),
    NUM(GFIN_PROJECT_BASELINE_CAPACITY_MW, GFIN_OBJ_PROJECT, "baseline_capacity_mw", "MW", 0, 30000, D, 0,
        "hydro: capacity before the project (ACM0002 Cap_BL)"),
    NUM(GFIN_PROJECT_BASELINE_AREA_KM2, GFIN_OBJ_PROJECT, "baseline_area_km2", "km2", 0, 1e5, D, 0,
        "hydro: reservoir area before the project (ACM0002 A_BL)"),
    NUM(GFIN_PROJECT_CAPEX, GFIN_OBJ_PROJECT, "capex", "money", 0, MONEY_MAX, R | MINX, 0,
        "capital expenditure, spent over the construction years"),
    ARR(GFIN_PROJECT_CAPEX_PROFILE, GFIN_OBJ_PROJECT, "capex_profile", "fraction", 0, 1, 0, 15,
        "share of capex spent in each construction year (sum 1); default even"),
    NUM(GFIN_PROJECT_OPEX_FIXED, GFIN_OBJ_PROJECT, "opex_fixed", "money/year", 0, MONEY_MAX, D, 0,
        "fixed operating cost of the first operating year"),
    NUM(GFIN_PROJECT_OPEX_VARIABLE_PER_MWH, GFIN_OBJ_PROJECT, "opex_variable_per_mwh", "money/MWh", 0, 1e7, D,
        0, "variable operating cost per MWh of net energy"),
    NUM(GFIN_PROJECT_OPEX_ESCALATION, GFIN_OBJ_PROJECT, "opex_escalation", "fraction/year", -0.5, 1, D, 0,
        "opex of operating year j x (1 + escalation)^(j-1)"),
    NUM(GFIN_PROJECT_TARIFF_PER_MWH, GFIN_OBJ_PROJECT, "tariff_per_mwh", "money/MWh", 0, 1e7, R, 0,
        "power purchase tariff of the first operating year"),
    NUM(GFIN_PROJECT_TARIFF_ESCALATION, GFIN_OBJ_PROJECT, "tariff_escalation", "fraction/year", -0.5, 1, D, 0,
        "tariff of operating year j x (1 + escalation)^(j-1)"),
    NUM(GFIN_PROJECT_CARBON_PRICE_PER_TCO2E, GFIN_OBJ_PROJECT, "carbon_price_per_tco2e", "money/tCO2e", 0, 1e7,
        D, 0, "price of a credited tonne in the first operating year"),
    NUM(GFIN_PROJECT_CARBON_PRICE_ESCALATION, GFIN_OBJ_PROJECT, "carbon_price_escalation", "fraction/year",
        -0.5, 1, D, 0, "carbon price of operating year j x (1 + escalation)^(j-1)"),
    CHOICE(GFIN_PROJECT_CREDITING, GFIN_OBJ_PROJECT, "crediting", CH_CREDIT, D, GFIN_CREDITING_RENEWABLE,
           "crediting period: renewable 3 x 7 years, fixed 10 years, none"),
    NUM(GFIN_PROJECT_TAX_RATE, GFIN_OBJ_PROJECT, "tax_rate", "fraction", 0, 1, D | MAXX, 0,
        "corporate income tax rate"),
    INT(GFIN_PROJECT_TAX_HOLIDAY_YEARS, GFIN_OBJ_PROJECT, "tax_holiday_years", "years", 0, 100, D, 0,
        "first operating years taxed at 0"),
    INT(GFIN_PROJECT_DEPRECIATION_YEARS, GFIN_OBJ_PROJECT, "depreciation_years", "years", 1, 100, D, 20,
        "straight-line depreciation of capex from the first operating year"),
    INT(GFIN_PROJECT_LOSS_CARRYFORWARD_YEARS, GFIN_OBJ_PROJECT, "loss_carryforward_years", "years", 0, 100, D,
        5, "years a tax loss may be carried forward"),
    NUM(GFIN_PROJECT_DISCOUNT_RATE, GFIN_OBJ_PROJECT, "discount_rate", "fraction/year", 0, 1, R | INH, 0,
        "discount rate of npv and lcoe; default the portfolio's"),
    INT(GFIN_PROJECT_START_YEAR, GFIN_OBJ_PROJECT, "start_year", "year", 1900, 2200, R | INH, 0,
        "calendar year of the project's year 1; default the portfolio's"),
    NUM(GFIN_PROJECT_DSRA_MONTHS, GFIN_OBJ_PROJECT, "dsra_months", "months", 0, 24, D, 0,
        "debt service reserve: target = dsra_months / 12 x the next year's debt service, funded at the end of "
        "construction by the equity (or the loan dsra_funding names); 0: no reserve"),
    NUM(GFIN_PROJECT_DSRA_RATE, GFIN_OBJ_PROJECT, "dsra_rate", "fraction/year", 0, 1, D, 0,
        "interest the reserve earns on its opening balance, kept in the reserve"),
    NUM(GFIN_PROJECT_LOCKUP_DSCR, GFIN_OBJ_PROJECT, "lockup_dscr", "ratio", 0, 10, MINX, 0,
        "no distribution to equity in a year whose DSCR is below it (the cash is trapped); unset: no lock-up"),
    INT(GFIN_PROJECT_LOCKUP_RELEASE_YEARS, GFIN_OBJ_PROJECT, "lockup_release_years", "years", 1, 50, D, 1,
        "consecutive years at or above lockup_dscr that release the trapped cash"),
    NUM(GFIN_PROJECT_CASH_SWEEP, GFIN_OBJ_PROJECT, "cash_sweep", "fraction", 0, 1, D, 0,
        "share of each operating year's cash after debt service and the reserve that prepays the loans with swept "
        "\"yes\" at the year end, shortening their lives; 0: no sweep"),
    STR(GFIN_PROJECT_DSRA_FUNDING, GFIN_OBJ_PROJECT, "dsra_funding", 0, "",
        "who funds the initial reserve: \"equity\" (also when unset), or the id of one of the project's loans, "
        "which draws it at the start of the first operating year"),

    /* ---- debt_sizing ---- */
    NUM(GFIN_SIZING_TARGET_DSCR, GFIN_OBJ_DEBT_SIZING, "target_dscr", "ratio", 1, 10, R, 0,
        "debt service = CFADS / target_dscr in every tenor year"),
    NUM(GFIN_SIZING_MAX_GEARING, GFIN_OBJ_DEBT_SIZING, "max_gearing", "fraction", 0, 1, D | MINX, 1,
        "the commitment is capped at max_gearing x capex"),
    INT(GFIN_SIZING_TENOR_YEARS, GFIN_OBJ_DEBT_SIZING, "tenor_years", "years", 1, 50, R, 0,
        "repayment years from the first operating year"),
    NUM(GFIN_SIZING_ANNUAL_RATE, GFIN_OBJ_DEBT_SIZING, "annual_rate", "fraction/year", 0, 1, R, 0,
        "interest rate of the sized loan"),
    CHOICE(GFIN_SIZING_CASE, GFIN_OBJ_DEBT_SIZING, "case", CH_CASE, D, GFIN_CASE_P50,
           "energy case whose CFADS is sized on: p50 or p90"),
    STR(GFIN_SIZING_LENDER, GFIN_OBJ_DEBT_SIZING, "lender", 0, "", "lender of the sized loan (\"fund\" for the fund)"),
    STR(GFIN_SIZING_ID, GFIN_OBJ_DEBT_SIZING, "id", 0, "sized_debt", "id of the sized loan"),

    /* ---- grid ---- */
    NUM(GFIN_GRID_EF_CM, GFIN_OBJ_GRID, "ef_cm", "tCO2e/MWh", 0, 2, 0, 0,
        "combined-margin grid emission factor (or ef_om and ef_bm)"),
    NUM(GFIN_GRID_EF_OM, GFIN_OBJ_GRID, "ef_om", "tCO2e/MWh", 0, 2, 0, 0, "operating-margin emission factor"),
    NUM(GFIN_GRID_EF_BM, GFIN_OBJ_GRID, "ef_bm", "tCO2e/MWh", 0, 2, 0, 0, "build-margin emission factor"),
    NUM(GFIN_GRID_EF_CHANGE_PER_YEAR, GFIN_OBJ_GRID, "ef_change_per_year", "fraction/year", -0.2, 0.2, D, 0,
        "relative change of the factors per operating year (-0.01 = 1 % lower each year)"),

    /* ---- fund ---- */
    STR(GFIN_FUND_NAME, GFIN_OBJ_FUND, "name", 0, "", "name of the fund"),
    NUM(GFIN_FUND_CAPITAL, GFIN_OBJ_FUND, "capital", "money", 0, MONEY_MAX, R, 0,
        "capital the fund may commit to loans"),
    NUM(GFIN_FUND_MANAGEMENT_FEE, GFIN_OBJ_FUND, "management_fee", "fraction/year", 0, 0.1, D, 0,
        "the fund's running cost, a fraction of the loans outstanding"),

    /* ---- fund source ---- */
    STR(GFIN_SOURCE_NAME, GFIN_OBJ_SOURCE, "name", 0, "", "name of the source (concessional, commercial, grant)"),
    NUM(GFIN_SOURCE_AMOUNT, GFIN_OBJ_SOURCE, "amount", "money", 0, MONEY_MAX, R, 0, "capital from this source"),
    NUM(GFIN_SOURCE_ANNUAL_RATE, GFIN_OBJ_SOURCE, "annual_rate", "fraction/year", 0, 1, R, 0,
        "cost of this source (grant: 0)"),

    /* ---- portfolio ---- */
    STR(GFIN_PORTFOLIO_NAME, GFIN_OBJ_PORTFOLIO, "name", 0, "", "name of the portfolio"),
    STR(GFIN_PORTFOLIO_CURRENCY, GFIN_OBJ_PORTFOLIO, "currency", 0, "USD", "currency of every money amount"),
    INT(GFIN_PORTFOLIO_START_YEAR, GFIN_OBJ_PORTFOLIO, "start_year", "year", 1900, 2200, R, 0,
        "calendar year of portfolio year 1"),
    NUM(GFIN_PORTFOLIO_DISCOUNT_RATE, GFIN_OBJ_PORTFOLIO, "discount_rate", "fraction/year", 0, 1, R, 0,
        "default discount rate of the projects"),
    NUM(GFIN_PORTFOLIO_GRANT_ELEMENT_DISCOUNT_RATE, GFIN_OBJ_PORTFOLIO, "grant_element_discount_rate",
        "fraction/year", -1, 10, MINX | D, 0.05,
        "discount rate of every loan's OECD grant element and of fund_subsidy_per_tco2e"),
    INT(GFIN_PORTFOLIO_IMPACT_YEAR, GFIN_OBJ_PORTFOLIO, "impact_year", "year", 1900, 2200, 0, 0,
        "calendar year of the impact table; default: the first in which every project operates"),
};
#define NPARAMS (sizeof PARAMS / sizeof PARAMS[0])

static const gfin_metric_def METRICS[] = {
    {GFIN_M_TOTAL_DRAWN, "total_drawn", "money", "sum of the drawdowns"},
    {GFIN_M_TOTAL_INTEREST, "total_interest", "money", "interest of all periods, capitalized included"},
    {GFIN_M_TOTAL_FEES, "total_fees", "money", "upfront and commitment fees"},
    {GFIN_M_TOTAL_DEBT_SERVICE, "total_debt_service", "money", "sum of debt service"},
    {GFIN_M_WAL_YEARS, "wal_years", "years", "weighted average life: principal-weighted time_years"},
    {GFIN_M_ALL_IN_COST, "all_in_cost", "fraction/year",
     "annual effective IRR of the borrower's flows, fees included; null without an IRR"},
    {GFIN_M_GRANT_ELEMENT, "grant_element", "fraction", "OECD DAC grant element at the given discount rate"},
    {GFIN_M_NPV, "npv", "money", "NPV of project_flow at the discount rate, to the start of year 1"},
    {GFIN_M_PROJECT_IRR, "project_irr", "fraction/year", "IRR of project_flow (unlevered, post-tax)"},
    {GFIN_M_PROJECT_IRR_PRETAX, "project_irr_pretax", "fraction/year", "IRR of -capex + EBITDA"},
    {GFIN_M_EQUITY_IRR, "equity_irr", "fraction/year", "IRR of equity_flow"},
    {GFIN_M_PAYBACK_YEARS, "payback_years", "years", "years from the start of year 1 until cumulative project_flow >= 0"},
    {GFIN_M_LCOE, "lcoe", "money/MWh", "PV of capex and opex / PV of net energy, at the discount rate"},
    {GFIN_M_MIN_DSCR, "min_dscr", "ratio", "lowest DSCR of the years with debt service"},
    {GFIN_M_AVG_DSCR, "avg_dscr", "ratio", "mean DSCR of the years with debt service"},
    {GFIN_M_LLCR, "llcr", "ratio", "loan life coverage ratio at the first operating year"},
    {GFIN_M_TOTAL_DEBT, "total_debt", "money", "sum of the loans' principals (commitments)"},
    {GFIN_M_GEARING, "gearing", "fraction", "total_debt / capex"},
    {GFIN_M_POWER_DENSITY_W_M2, "power_density_w_m2", "W/m2", "ACM0002 power density; null without added reservoir"},
    {GFIN_M_FIRST_YEAR_NET_MWH, "first_year_net_mwh", "MWh", "net energy of the first operating year (P50)"},
    {GFIN_M_LIFETIME_REDUCTIONS_TCO2E, "lifetime_reductions_tco2e", "tCO2e", "emission reductions of all operating years"},
    {GFIN_M_CAPEX, "capex", "money", "capital expenditure"},
    {GFIN_M_CAPACITY_MW, "capacity_mw", "MW", "installed capacity"},
    {GFIN_M_FIRST_YEAR_REDUCTIONS_TCO2E, "first_year_reductions_tco2e", "tCO2e",
     "emission reductions of the first operating year"},
    {GFIN_M_FUND_PRINCIPAL, "fund_principal", "money", "principal of the project's loans from the fund"},
    {GFIN_M_DEBT_SERVICE_SHORTFALL, "debt_service_shortfall", "money",
     "debt service CFADS does not cover, lost to the lenders: sum of max(0, debt_service - cfads)"},
    {GFIN_M_MIN_DSCR_P90, "min_dscr_p90", "ratio", "min_dscr with P90 energy; only when yield_uncertainty > 0"},
    {GFIN_M_EQUITY_IRR_P90, "equity_irr_p90", "fraction/year",
     "equity_irr with P90 energy; only when yield_uncertainty > 0"},
    {GFIN_M_EQUITY_IRR_AFTER_RESERVES, "equity_irr_after_reserves", "fraction/year",
     "IRR of equity_flow_after_reserves; only with a reserve account or a lock-up"},
    {GFIN_M_LOCKUP_YEARS, "lockup_years", "years",
     "operating years whose distribution was locked up; only with a reserve account or a lock-up"},
    {GFIN_M_FUND_IRR, "fund_irr", "fraction/year", "IRR of the fund's flows at their exact times"},
    {GFIN_M_COMMITTED, "committed", "money", "principal of all fund loans"},
    {GFIN_M_UTILIZATION, "utilization", "fraction", "committed / fund capital"},
    {GFIN_M_WEIGHTED_COST_OF_FUNDS, "weighted_cost_of_funds", "fraction/year", "amount-weighted rate of the sources"},
    {GFIN_M_WEIGHTED_LOAN_RATE, "weighted_loan_rate", "fraction/year",
     "principal-weighted first-period rate of the fund loans"},
    {GFIN_M_MOBILIZATION_RATIO, "mobilization_ratio", "ratio",
     "(total financing of the projects the fund lends to - fund commitment) / fund commitment"},
    {GFIN_M_FUND_ATTRIBUTED_REDUCTIONS_TCO2E, "fund_attributed_reductions_tco2e", "tCO2e",
     "reductions x the fund's outstanding balance in the project at each year end / its capex (PCAF)"},
    {GFIN_M_CAPACITY_MW_SOLAR, "capacity_mw_solar", "MW", "solar capacity"},
    {GFIN_M_CAPACITY_MW_HYDRO, "capacity_mw_hydro", "MW", "hydro capacity"},
    {GFIN_M_TOTAL_CAPEX, "total_capex", "money", "capital expenditure of all projects (total financing)"},
    {GFIN_M_FUND_CAPITAL, "fund_capital", "money", "the fund's capital"},
    {GFIN_M_PROJECT_COUNT, "project_count", "", "number of projects"},
    {GFIN_M_FUND_SHORTFALL, "fund_shortfall", "money",
     "the fund's share of the projects' debt service shortfalls (pro rata to scheduled debt service)"},
    {GFIN_M_FUND_SUBSIDY_PER_TCO2E, "fund_subsidy_per_tco2e", "money/tCO2e",
     "sum of the fund loans' grant element x commitment / fund_attributed_reductions_tco2e"},
    {GFIN_M_IMPACT_YEAR, "impact_year", "year", "calendar year of the impact table"},
    {GFIN_M_IMPACT_CAPACITY_MW, "impact_capacity_mw", "MW", "capacity of the projects reported in the impact table"},
    {GFIN_M_IMPACT_NET_MWH, "impact_net_mwh", "MWh",
     "annual renewable generation in the impact year (expected annual figures of projects in construction)"},
    {GFIN_M_IMPACT_REDUCTIONS_TCO2E, "impact_reductions_tco2e", "tCO2e",
     "annual GHG emissions avoided in the impact year (expected annual figures of projects in construction)"},
    {GFIN_M_IMPACT_ATTRIBUTED_MWH, "impact_attributed_mwh", "MWh",
     "impact_net_mwh shared pro rata to the fund's part of each project's financing"},
    {GFIN_M_IMPACT_ATTRIBUTED_TCO2E, "impact_attributed_tco2e", "tCO2e",
     "impact_reductions_tco2e shared pro rata to the fund's part of each project's financing"},
    {GFIN_M_IMPACT_EXPECTED_PROJECTS, "impact_expected_projects", "",
     "projects still in construction in the impact year, reported by expected annual figures"},
    {GFIN_M_P_MIN_DSCR_BELOW_1, "p_min_dscr_below_1", "fraction", "risk: share of scenarios with min_dscr < 1"},
    {GFIN_M_P_MIN_DSCR_BELOW_COVENANT, "p_min_dscr_below_covenant", "fraction",
     "risk: share of scenarios with min_dscr below the covenant DSCR"},
    {GFIN_M_P_NPV_NEGATIVE, "p_npv_negative", "fraction", "risk: share of scenarios with npv < 0"},
    {GFIN_M_P_EQUITY_IRR_BELOW_HURDLE, "p_equity_irr_below_hurdle", "fraction",
     "risk: share of scenarios with equity_irr below the hurdle"},
    {GFIN_M_P_FUND_IRR_BELOW_COST_OF_FUNDS, "p_fund_irr_below_cost_of_funds", "fraction",
     "risk: share of scenarios with fund_irr below weighted_cost_of_funds"},
    {GFIN_M_P_ANY_MIN_DSCR_BELOW_1, "p_any_min_dscr_below_1", "fraction",
     "risk: share of scenarios in which some project's min_dscr < 1"},
};
/* The metrics that count things (written without decimals); the others are numbers. */
static const int INTEGER_METRICS[] = {GFIN_M_PROJECT_COUNT};
#define NMETRICS (sizeof METRICS / sizeof METRICS[0])

/* The output registry, sorted by number (test_params checks). Units as in the
 * input registry; "" for counts, ratios' "ratio" and dimensionless fractions
 * say so. */
#define COL(c, t, n, u, k, d) {c, t, n, u, k, d}
#define NUMC GFIN_COL_NUMBER
#define INTC GFIN_COL_INTEGER
#define DATEC GFIN_COL_DATE
static const gfin_column_def COLUMNS[] = {
    COL(GFIN_C_SCHEDULE_PERIOD, "schedule", "period", "", INTC, "period number 1..N"),
    COL(GFIN_C_SCHEDULE_TIME_YEARS, "schedule", "time_years", "years",
        NUMC, "end of the period, in years from the start of period 1"),
    COL(GFIN_C_SCHEDULE_OPENING_BALANCE, "schedule", "opening_balance", "money", NUMC,
        "balance at the start of the period"),
    COL(GFIN_C_SCHEDULE_DRAWDOWN, "schedule", "drawdown", "money", NUMC, "drawn at the start of the period"),
    COL(GFIN_C_SCHEDULE_INTEREST, "schedule", "interest", "money", NUMC,
        "(opening balance + drawdown) x periodic rate, capitalized interest included"),
    COL(GFIN_C_SCHEDULE_CAPITALIZED_INTEREST, "schedule", "capitalized_interest", "money", NUMC,
        "interest added to the balance instead of paid"),
    COL(GFIN_C_SCHEDULE_PRINCIPAL, "schedule", "principal", "money", NUMC, "principal repaid"),
    COL(GFIN_C_SCHEDULE_FEES, "schedule", "fees", "money", NUMC, "upfront and commitment fees paid"),
    COL(GFIN_C_SCHEDULE_DEBT_SERVICE, "schedule", "debt_service", "money", NUMC,
        "interest - capitalized interest + principal + fees"),
    COL(GFIN_C_SCHEDULE_CLOSING_BALANCE, "schedule", "closing_balance", "money", NUMC,
        "opening + drawdown + capitalized interest - principal"),
    COL(GFIN_C_SCHEDULE_RATE, "schedule", "rate", "fraction/year", NUMC, "annual rate of the period"),
    COL(GFIN_C_SCHEDULE_DATE, "schedule", "date", "date", DATEC, "end of the period (dated loans only)"),
    COL(GFIN_C_SCHEDULE_PREPAYMENT, "schedule", "prepayment", "money", NUMC,
        "prepaid by the project's cash sweep at the end of the period, after its payment (swept loans in a "
        "project's result only)"),

    COL(GFIN_C_YEARS_YEAR, "years", "year", "", INTC, "project year: 1..C construction, then operation"),
    COL(GFIN_C_YEARS_CALENDAR_YEAR, "years", "calendar_year", "year", INTC, "start_year + year - 1"),
    COL(GFIN_C_YEARS_NET_MWH, "years", "net_mwh", "MWh", NUMC, "energy delivered: gross x (1 - own_use)"),
    COL(GFIN_C_YEARS_GROSS_MWH, "years", "gross_mwh", "MWh", NUMC,
        "energy generated: ideal x availability x (1 - losses), degraded"),
    COL(GFIN_C_YEARS_REVENUE_ENERGY, "years", "revenue_energy", "money", NUMC, "net_mwh x escalated tariff"),
    COL(GFIN_C_YEARS_REVENUE_CARBON, "years", "revenue_carbon", "money", NUMC,
        "credited_tco2e x escalated carbon price"),
    COL(GFIN_C_YEARS_OPEX, "years", "opex", "money", NUMC, "(fixed + variable x net_mwh), escalated"),
    COL(GFIN_C_YEARS_EBITDA, "years", "ebitda", "money", NUMC, "revenue - opex"),
    COL(GFIN_C_YEARS_DEPRECIATION, "years", "depreciation", "money", NUMC, "straight-line depreciation of capex"),
    COL(GFIN_C_YEARS_INTEREST, "years", "interest", "money", NUMC,
        "cash interest of the loan periods ending in the year (tax-deductible)"),
    COL(GFIN_C_YEARS_TAXABLE_INCOME, "years", "taxable_income", "money", NUMC,
        "ebitda - depreciation - interest"),
    COL(GFIN_C_YEARS_TAX, "years", "tax", "money", NUMC, "income tax after holiday and loss carry-forward"),
    COL(GFIN_C_YEARS_CFADS, "years", "cfads", "money", NUMC, "cash flow available for debt service: ebitda - tax"),
    COL(GFIN_C_YEARS_DEBT_SERVICE, "years", "debt_service", "money", NUMC,
        "debt service of the loan periods ending in the year"),
    COL(GFIN_C_YEARS_DSCR, "years", "dscr", "ratio", NUMC, "cfads / debt_service; null without debt service"),
    COL(GFIN_C_YEARS_CAPEX, "years", "capex", "money", NUMC, "capital expenditure of the year"),
    COL(GFIN_C_YEARS_DRAWDOWN, "years", "drawdown", "money", NUMC, "loan drawdowns of the year"),
    COL(GFIN_C_YEARS_EQUITY_FLOW, "years", "equity_flow", "money", NUMC,
        "-capex + drawdown + cfads - (debt_service - debt_service_shortfall)"),
    COL(GFIN_C_YEARS_PROJECT_FLOW, "years", "project_flow", "money", NUMC,
        "-capex + ebitda - unlevered tax (unlevered, post-tax)"),
    COL(GFIN_C_YEARS_BASELINE_TCO2E, "years", "baseline_tco2e", "tCO2e", NUMC, "net_mwh x combined-margin factor"),
    COL(GFIN_C_YEARS_PROJECT_TCO2E, "years", "project_tco2e", "tCO2e", NUMC, "reservoir emissions (ACM0002)"),
    COL(GFIN_C_YEARS_REDUCTIONS_TCO2E, "years", "reductions_tco2e", "tCO2e", NUMC, "baseline - project emissions"),
    COL(GFIN_C_YEARS_CREDITED_TCO2E, "years", "credited_tco2e", "tCO2e", NUMC,
        "reductions within the crediting period"),
    /* 2123: after debt_service in the table (numbers are stable, never reordered). */
    COL(GFIN_C_YEARS_DEBT_SERVICE_SHORTFALL, "years", "debt_service_shortfall", "money", NUMC,
        "operating years: max(0, debt_service - cfads), at most debt_service; lost to the lenders pro rata"),
    COL(GFIN_C_YEARS_DSRA_BALANCE, "years", "dsra_balance", "money", NUMC,
        "debt service reserve at the year end (optional: with dsra_months or lockup_dscr)"),
    COL(GFIN_C_YEARS_DSRA_TOPUP, "years", "dsra_topup", "money", NUMC,
        "paid into the reserve: its funding at the end of construction, then top-ups from cash after debt service"),
    COL(GFIN_C_YEARS_DSRA_DRAW, "years", "dsra_draw", "money", NUMC, "debt service the reserve paid"),
    COL(GFIN_C_YEARS_DSRA_RELEASE, "years", "dsra_release", "money", NUMC,
        "reserve above its target, paid to the equity"),
    COL(GFIN_C_YEARS_DSRA_INTEREST, "years", "dsra_interest", "money", NUMC,
        "interest the reserve earned, kept in it"),
    COL(GFIN_C_YEARS_TRAPPED_CASH, "years", "trapped_cash", "money", NUMC,
        "cash locked up by the DSCR test at the year end"),
    COL(GFIN_C_YEARS_EQUITY_FLOW_AFTER_RESERVES, "years", "equity_flow_after_reserves", "money", NUMC,
        "equity_flow - dsra_topup + dsra_release - cash trapped + cash released"),
    COL(GFIN_C_YEARS_FX_GAIN_LOSS, "years", "fx_gain_loss", "money", NUMC,
        "translation gain (+) or loss (-) on the loans in other currencies: the balance at the end of the year "
        "before x (its rate then - the rate of this year) (optional: with a loan currency)"),
    COL(GFIN_C_YEARS_CASH_SWEEP, "years", "cash_sweep", "money", NUMC,
        "prepaid to the swept loans at the year end from the cash after debt service and the reserve "
        "(optional: with cash_sweep)"),

    COL(GFIN_C_FUND_YEAR, "fund", "year", "", INTC, "portfolio year"),
    COL(GFIN_C_FUND_CALENDAR_YEAR, "fund", "calendar_year", "year", INTC, "the portfolio's start_year + year - 1"),
    COL(GFIN_C_FUND_DISBURSEMENTS, "fund", "disbursements", "money", NUMC, "fund loans' drawdowns"),
    COL(GFIN_C_FUND_PRINCIPAL_RECEIVED, "fund", "principal_received", "money", NUMC, "principal repaid to the fund"),
    COL(GFIN_C_FUND_INTEREST_RECEIVED, "fund", "interest_received", "money", NUMC,
        "cash interest received (capitalized interest excluded)"),
    COL(GFIN_C_FUND_FEES_RECEIVED, "fund", "fees_received", "money", NUMC, "fees received"),
    COL(GFIN_C_FUND_OUTSTANDING, "fund", "outstanding", "money", NUMC,
        "fund loans' scheduled balance at the year end"),
    COL(GFIN_C_FUND_COST_OF_FUNDS, "fund", "cost_of_funds", "money", NUMC,
        "weighted cost of funds x money deployed"),
    COL(GFIN_C_FUND_MANAGEMENT_FEE, "fund", "management_fee", "money", NUMC, "management fee x money deployed"),
    COL(GFIN_C_FUND_NET_CASH_FLOW, "fund", "net_cash_flow", "money", NUMC,
        "-disbursements + receipts - cost of funds - management fee"),
    /* 2210: after fees_received in the table. */
    COL(GFIN_C_FUND_SHORTFALL, "fund", "shortfall", "money", NUMC,
        "the fund loans' debt service lost to the projects' shortfalls"),

    COL(GFIN_C_PORTFOLIO_YEAR, "portfolio", "year", "", INTC, "portfolio year"),
    COL(GFIN_C_PORTFOLIO_CALENDAR_YEAR, "portfolio", "calendar_year", "year", INTC,
        "the portfolio's start_year + year - 1"),
    COL(GFIN_C_PORTFOLIO_NET_MWH, "portfolio", "net_mwh", "MWh", NUMC, "net energy of all projects"),
    COL(GFIN_C_PORTFOLIO_NET_MWH_SOLAR, "portfolio", "net_mwh_solar", "MWh", NUMC,
        "deprecated: technology.solar net_mwh"),
    COL(GFIN_C_PORTFOLIO_NET_MWH_HYDRO, "portfolio", "net_mwh_hydro", "MWh", NUMC,
        "deprecated: technology.hydro net_mwh"),
    COL(GFIN_C_PORTFOLIO_REDUCTIONS_TCO2E, "portfolio", "reductions_tco2e", "tCO2e", NUMC,
        "emission reductions of all projects"),
    COL(GFIN_C_PORTFOLIO_REDUCTIONS_TCO2E_SOLAR, "portfolio", "reductions_tco2e_solar", "tCO2e", NUMC,
        "deprecated: technology.solar reductions_tco2e"),
    COL(GFIN_C_PORTFOLIO_REDUCTIONS_TCO2E_HYDRO, "portfolio", "reductions_tco2e_hydro", "tCO2e", NUMC,
        "deprecated: technology.hydro reductions_tco2e"),
    COL(GFIN_C_PORTFOLIO_ATTRIBUTED_TCO2E, "portfolio", "attributed_tco2e", "tCO2e", NUMC,
        "reductions x the fund's balance in each project at the year end / its capex (PCAF)"),
    COL(GFIN_C_PORTFOLIO_CUMULATIVE_REDUCTIONS_TCO2E, "portfolio", "cumulative_reductions_tco2e", "tCO2e", NUMC,
        "reductions to the end of the year"),

    COL(GFIN_C_IMPACT_PROJECT, "impact", "project", "", INTC, "the project's place in the portfolio, from 1"),
    COL(GFIN_C_IMPACT_CALENDAR_YEAR, "impact", "calendar_year", "year", INTC, "the reporting year"),
    COL(GFIN_C_IMPACT_EXPECTED, "impact", "expected", "", INTC,
        "1: the project is in construction in the year and its figures are the expected annual ones"),
    COL(GFIN_C_IMPACT_CAPACITY_MW, "impact", "capacity_mw", "MW", NUMC, "installed capacity"),
    COL(GFIN_C_IMPACT_NET_MWH, "impact", "net_mwh", "MWh", NUMC,
        "annual renewable generation in the year (0 after the operating years)"),
    COL(GFIN_C_IMPACT_REDUCTIONS_TCO2E, "impact", "reductions_tco2e", "tCO2e", NUMC,
        "annual GHG emissions avoided in the year"),
    COL(GFIN_C_IMPACT_FUND_SHARE, "impact", "fund_share", "fraction", NUMC,
        "the fund's balance outstanding in the project at the end of the year / its capex, at most 1; null without a fund"),
    COL(GFIN_C_IMPACT_ATTRIBUTED_MWH, "impact", "attributed_mwh", "MWh", NUMC, "net_mwh x fund_share"),
    COL(GFIN_C_IMPACT_ATTRIBUTED_TCO2E, "impact", "attributed_tco2e", "tCO2e", NUMC, "reductions_tco2e x fund_share"),


    COL(GFIN_C_TECHNOLOGY_YEAR, "technology", "year", "", INTC, "portfolio year"),
    COL(GFIN_C_TECHNOLOGY_CALENDAR_YEAR, "technology", "calendar_year", "year", INTC,
        "the portfolio's start_year + year - 1"),
    COL(GFIN_C_TECHNOLOGY_NET_MWH, "technology", "net_mwh", "MWh", NUMC, "net energy of the technology's projects"),
    COL(GFIN_C_TECHNOLOGY_REDUCTIONS_TCO2E, "technology", "reductions_tco2e", "tCO2e", NUMC,
        "emission reductions of the technology's projects"),
    COL(GFIN_C_TECHNOLOGY_ATTRIBUTED_TCO2E, "technology", "attributed_tco2e", "tCO2e", NUMC,
        "reductions of the technology's projects attributed to the fund"),
};
#define NCOLUMNS (sizeof COLUMNS / sizeof COLUMNS[0])

/* ---- registry lookups ---- */

/* PARAMS is sorted by key (test_params checks it): a binary search. */
const gfin_param_def *gfin__param_def(int key)
{
    size_t lo = 0, hi = NPARAMS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (PARAMS[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < NPARAMS && PARAMS[lo].key == key) ? &PARAMS[lo] : NULL;
}

const gfin_param_def *gfin__param_find(gfin_object obj, const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < NPARAMS; ++i)
        if (PARAMS[i].object == obj && strcmp(PARAMS[i].name, name) == 0)
            return &PARAMS[i];
    return NULL;
}

size_t gfin__param_names(gfin_object obj, const char **names, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < NPARAMS; ++i)
        if (PARAMS[i].object == obj && n < cap)
            names[n++] = PARAMS[i].name;
    return n;
}

static const char *const OBJECT_NAMES[] = {NULL, "loan", "project", "debt_sizing", "grid", "fund", "source",
                                           "portfolio"};

const char *gfin__object_name(gfin_object obj)
{
    return (obj >= GFIN_OBJ_LOAN && obj <= GFIN_OBJ_PORTFOLIO) ? OBJECT_NAMES[obj] : "";
}

size_t gfin_key_count(void) { return NPARAMS; }

gfin_key gfin_key_at(size_t i) { return i < NPARAMS ? (gfin_key)PARAMS[i].key : (gfin_key)-1; }

gfin_status gfin_key_lookup(const char *object, const char *name, gfin_key *out, gfin_error *err)
{
    if (!object || !name || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "%s is NULL", !object ? "object" : !name ? "name" : "out");
    for (int o = GFIN_OBJ_LOAN; o <= GFIN_OBJ_PORTFOLIO; ++o)
        if (strcmp(OBJECT_NAMES[o], object) == 0) {
            const gfin_param_def *d = gfin__param_find((gfin_object)o, name);
            if (!d)
                return gfin__fail(err, GFIN_EINVAL, name, "is not a key of a %s", object);
            *out = (gfin_key)d->key;
            return GFIN_OK;
        }
    return gfin__fail(err, GFIN_EINVAL, object,
                      "is not an object (loan, project, debt_sizing, grid, fund, source or portfolio)");
}

/* 1.0: -1 for "none"; kept for compatibility, gfin_key_lookup is the typed call. */
int gfin_key_find(const char *object, const char *name)
{
    gfin_key k;
    return gfin_key_lookup(object, name, &k, NULL) == GFIN_OK ? (int)k : -1;
}

const char *gfin_key_name(gfin_key key)
{
    const gfin_param_def *d = gfin__param_def(key);
    return d ? d->name : NULL;
}

const char *gfin_key_object(gfin_key key)
{
    const gfin_param_def *d = gfin__param_def(key);
    return d ? gfin__object_name(d->object) : NULL;
}

const char *gfin_key_unit(gfin_key key)
{
    const gfin_param_def *d = gfin__param_def(key);
    return d ? d->unit : NULL;
}

const char *gfin_key_doc(gfin_key key)
{
    const gfin_param_def *d = gfin__param_def(key);
    return d ? d->doc : NULL;
}

gfin_status gfin_key_get_type(gfin_key key, gfin_param_type *out)
{
    const gfin_param_def *d = gfin__param_def(key);
    if (!d || !out)
        return GFIN_EINVAL;
    *out = d->type;
    return GFIN_OK;
}

gfin_status gfin_key_get_required(gfin_key key, int *out)
{
    const gfin_param_def *d = gfin__param_def(key);
    if (!d || !out)
        return GFIN_EINVAL;
    *out = (d->flags & GFIN_PF_REQUIRED) != 0;
    return GFIN_OK;
}

/* 1.0 readers returning -1 for "not a key"; kept for compatibility. */
int gfin_key_type(gfin_key key)
{
    gfin_param_type t;
    return gfin_key_get_type(key, &t) == GFIN_OK ? (int)t : -1;
}

int gfin_key_required(gfin_key key)
{
    int r;
    return gfin_key_get_required(key, &r) == GFIN_OK ? r : -1;
}

gfin_status gfin_key_bounds(gfin_key key, double *min, double *max, int *min_exclusive, int *max_exclusive)
{
    const gfin_param_def *d = gfin__param_def(key);
    if (!d || d->type == GFIN_PARAM_STRING)
        return GFIN_EINVAL;
    if (min)
        *min = d->min;
    if (max)
        *max = d->max;
    if (min_exclusive)
        *min_exclusive = (d->flags & GFIN_PF_MIN_EXCL) != 0;
    if (max_exclusive)
        *max_exclusive = (d->flags & GFIN_PF_MAX_EXCL) != 0;
    return GFIN_OK;
}

gfin_status gfin_key_default(gfin_key key, double *out)
{
    const gfin_param_def *d = gfin__param_def(key);
    if (!d || !out)
        return GFIN_EINVAL;
    if (!(d->flags & GFIN_PF_DEFAULT))
        return GFIN_ENOVALUE;
    *out = d->def;
    return GFIN_OK;
}

const char *gfin_key_choice(gfin_key key, int value)
{
    const gfin_param_def *d = gfin__param_def(key);
    if (!d || d->type != GFIN_PARAM_CHOICE || value < 0 || value > (int)d->max)
        return NULL;
    return d->choices[value];
}

const gfin_metric_def *gfin__metric_def(int metric)
{
    for (size_t i = 0; i < NMETRICS; ++i)
        if (METRICS[i].metric == metric)
            return &METRICS[i];
    return NULL;
}

gfin_status gfin_metric_get_kind(gfin_metric m, gfin_column_kind *out)
{
    const gfin_metric_def *d = gfin__metric_def(m);
    if (!d || !out)
        return GFIN_EINVAL;
    *out = GFIN_COL_NUMBER;
    for (size_t i = 0; i < sizeof INTEGER_METRICS / sizeof INTEGER_METRICS[0]; ++i)
        if (INTEGER_METRICS[i] == (int)m)
            *out = GFIN_COL_INTEGER;
    return GFIN_OK;
}

/* ---- the output registry ---- */

/* COLUMNS is sorted by number (test_params checks it): a binary search. */
const gfin_column_def *gfin__column_def(int column)
{
    size_t lo = 0, hi = NCOLUMNS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (COLUMNS[mid].column < column)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < NCOLUMNS && COLUMNS[lo].column == column) ? &COLUMNS[lo] : NULL;
}

size_t gfin_column_count(void) { return NCOLUMNS; }

gfin_column gfin_column_at(size_t i) { return i < NCOLUMNS ? (gfin_column)COLUMNS[i].column : (gfin_column)-1; }

gfin_status gfin_column_lookup(const char *table, const char *name, gfin_column *out, gfin_error *err)
{
    if (!table || !name || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "%s is NULL", !table ? "table" : !name ? "name" : "out");
    /* Every "technology.<name>" table has the "technology" columns. */
    const char *kind = strncmp(table, "technology.", 11) == 0 ? "technology" : table;
    bool known_table = false;
    for (size_t i = 0; i < NCOLUMNS; ++i) {
        if (strcmp(COLUMNS[i].table, kind) != 0)
            continue;
        known_table = true;
        if (strcmp(COLUMNS[i].name, name) == 0) {
            *out = (gfin_column)COLUMNS[i].column;
            return GFIN_OK;
        }
    }
    if (!known_table)
        return gfin__fail(err, GFIN_EINVAL, table,
                          "is not a table (schedule, years, fund, portfolio, impact, technology)");
    return gfin__fail(err, GFIN_EINVAL, name, "is not a column of table %s", table);
}

const char *gfin_column_name(gfin_column c)
{
    const gfin_column_def *d = gfin__column_def(c);
    return d ? d->name : NULL;
}

const char *gfin_column_table(gfin_column c)
{
    const gfin_column_def *d = gfin__column_def(c);
    return d ? d->table : NULL;
}

const char *gfin_column_unit(gfin_column c)
{
    const gfin_column_def *d = gfin__column_def(c);
    return d ? d->unit : NULL;
}

const char *gfin_column_doc(gfin_column c)
{
    const gfin_column_def *d = gfin__column_def(c);
    return d ? d->doc : NULL;
}

gfin_status gfin_column_get_kind(gfin_column c, gfin_column_kind *out)
{
    const gfin_column_def *d = gfin__column_def(c);
    if (!d || !out)
        return GFIN_EINVAL;
    *out = d->kind;
    return GFIN_OK;
}

size_t gfin_metric_count(void) { return NMETRICS; }

gfin_metric gfin_metric_at(size_t i) { return i < NMETRICS ? (gfin_metric)METRICS[i].metric : (gfin_metric)-1; }

gfin_status gfin_metric_lookup(const char *name, gfin_metric *out, gfin_error *err)
{
    if (!name || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "%s is NULL", !name ? "name" : "out");
    for (size_t i = 0; i < NMETRICS; ++i)
        if (strcmp(METRICS[i].name, name) == 0) {
            *out = (gfin_metric)METRICS[i].metric;
            return GFIN_OK;
        }
    return gfin__fail(err, GFIN_EINVAL, name, "is not a metric");
}

/* 1.0: -1 for "none"; kept for compatibility, gfin_metric_lookup is the typed call. */
int gfin_metric_find(const char *name)
{
    gfin_metric m;
    return gfin_metric_lookup(name, &m, NULL) == GFIN_OK ? (int)m : -1;
}

const char *gfin_metric_name(gfin_metric m)
{
    const gfin_metric_def *d = gfin__metric_def(m);
    return d ? d->name : NULL;
}

const char *gfin_metric_unit(gfin_metric m)
{
    const gfin_metric_def *d = gfin__metric_def(m);
    return d ? d->unit : NULL;
}

const char *gfin_metric_doc(gfin_metric m)
{
    const gfin_metric_def *d = gfin__metric_def(m);
    return d ? d->doc : NULL;
}

/* A registry walk: the required keys of the store's object, in the
 * registry's order (the first one missing is named). */
gfin_status gfin__pstore_check_required(const gfin_pstore *s, gfin_error *err)
{
    for (size_t i = 0; i < NPARAMS; ++i) {
        const gfin_param_def *d = &PARAMS[i];
        if (d->object == s->object && (d->flags & GFIN_PF_REQUIRED) && !(d->flags & GFIN_PF_INHERITED) &&
            !s->v[d->key % 100].set)
            return gfin__fail(err, GFIN_EINVAL, d->name, "is required (%s)", d->doc);
    }
    return GFIN_OK;
}
