/* test_readback.c -- inputs read back through the public API: a risk
 * experiment's cases, sensitivity entries, uncertainties, factors and
 * correlations (gfin_risk_case_count ... gfin_risk_dist_values), and a fund's
 * sources (gfin_fund_source_get). Every expected value is the literal of the
 * input file tests/data/risk_inputs.json (the two-project test portfolio of
 * tests/cli/data with a risk object written for this test), quoted here. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greenfin.h"
#include "test_data.h"

static gfin_portfolio *pf;
static gfin_risk *rk;

static void load(void)
{
    size_t len;
    char *text = gfin_test_read("risk_inputs.json", &len);
    gfin_error e = {0};
    cr_assert_eq(gfin_risk_load_json(text, len, &pf, &rk, &e), GFIN_OK, "%s: %s", e.path, e.message);
    free(text);
}

static void unload(void)
{
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
}

static void label_is(const gfin_risk_change *c, const char *want)
{
    char buf[128];
    cr_assert_eq(gfin_risk_change_label(c, buf, sizeof buf), strlen(want));
    cr_assert_str_eq(buf, want);
}

static double param(const gfin_risk_dist *d, gfin_risk_dist_param p)
{
    double v = NAN;
    cr_assert_eq(gfin_risk_dist_get(d, p, &v), GFIN_OK, "parameter %s", gfin_risk_dist_param_name(p));
    return v;
}

TestSuite(readback, .init = load, .fini = unload);

/* "covenant_dscr": 1.3, "hurdle_equity_irr": 0.1 */
Test(readback, experiment_thresholds)
{
    cr_assert_eq(gfin_risk_covenant_dscr(rk), 1.3);
    cr_assert_eq(gfin_risk_hurdle_equity_irr(rk), 0.1);
    /* gfin_risk_new: "no equity IRR hurdle" -> NaN. */
    gfin_risk *fresh = gfin_risk_new();
    cr_assert(isnan(gfin_risk_hurdle_equity_irr(fresh)));
    cr_assert_eq(gfin_risk_covenant_dscr(fresh), 1.2);
    cr_assert_eq(gfin_risk_case_count(fresh), 0);
    gfin_risk_free(fresh);
}

/* "factors": {"rain": {"per": "year", "autocorrelation": 0.3}, "sun": {"per":
 * "scenario"}, "costs": {"per": "scenario"}}, "correlations": [["sun",
 * "costs", -0.25]] */
Test(readback, factors_and_correlations_in_file_order)
{
    cr_assert_eq(gfin_risk_factor_count(rk), 3);
    gfin_risk_per per;
    double rho;
    cr_assert_str_eq(gfin_risk_factor(rk, 0, &per, &rho), "rain");
    cr_assert_eq(per, GFIN_RISK_PER_YEAR);
    cr_assert_eq(rho, 0.3);
    cr_assert_str_eq(gfin_risk_factor(rk, 1, &per, &rho), "sun");
    cr_assert_eq(per, GFIN_RISK_PER_SCENARIO);
    cr_assert_eq(rho, 0);
    cr_assert_str_eq(gfin_risk_factor(rk, 2, NULL, NULL), "costs");
    cr_assert_null(gfin_risk_factor(rk, 3, &per, &rho));

    cr_assert_eq(gfin_risk_correlation_count(rk), 1);
    const char *a, *b;
    cr_assert_eq(gfin_risk_correlation(rk, 0, &a, &b, &rho), GFIN_OK);
    cr_assert_str_eq(a, "sun");
    cr_assert_str_eq(b, "costs");
    cr_assert_eq(rho, -0.25);
    cr_assert_eq(gfin_risk_correlation(rk, 1, &a, &b, &rho), GFIN_EINVAL);
}

/* uncertainties[0]: "hydrology", energy, technology hydro, factor rain per
 * year, normal mean 1, sd 0.1, lower 0.6, upper 1.3; [1]: unnamed energy on
 * projects ["tiny-solar"], factor sun, lognormal mean 1, sd 0.05. */
Test(readback, uncertainties_with_their_distributions)
{
    cr_assert_eq(gfin_risk_uncertainty_count(rk), 6);
    const gfin_risk_dist *d;
    const char *factor;
    gfin_risk_per per;
    const gfin_risk_change *c = gfin_risk_uncertainty(rk, 0, &d, &factor, &per);
    cr_assert_not_null(c);
    cr_assert_str_eq(gfin_risk_change_key(c), "energy");
    cr_assert_eq(gfin_risk_change_apply(c), GFIN_RISK_SCALE);
    label_is(c, "hydrology");
    cr_assert_eq(gfin_risk_change_technology(c), GFIN_TECH_HYDRO);
    cr_assert_null(gfin_risk_change_project(c, 0));
    cr_assert_str_eq(factor, "rain");
    cr_assert_eq(per, GFIN_RISK_PER_YEAR);
    cr_assert_eq(gfin_risk_dist_type_of(d), GFIN_RISK_NORMAL);
    cr_assert_eq(param(d, GFIN_RISK_MEAN), 1.0);
    cr_assert_eq(param(d, GFIN_RISK_SD), 0.1);
    cr_assert_eq(param(d, GFIN_RISK_LOWER), 0.6);
    cr_assert_eq(param(d, GFIN_RISK_UPPER), 1.3);
    double v;
    cr_assert_eq(gfin_risk_dist_get(d, GFIN_RISK_MODE, &v), GFIN_ENOVALUE);
    cr_assert_eq(gfin_risk_dist_get(d, (gfin_risk_dist_param)7, &v), GFIN_EINVAL);
    cr_assert_eq(gfin_risk_change_years(c, NULL, NULL), GFIN_ENOVALUE);

    c = gfin_risk_uncertainty(rk, 1, &d, &factor, &per);
    label_is(c, "energy scale"); /* MODEL.md: by default "its key and apply" */
    cr_assert_str_eq(gfin_risk_change_project(c, 0), "tiny-solar");
    cr_assert_null(gfin_risk_change_project(c, 1));
    cr_assert_eq(gfin_risk_change_technology(c), -1);
    cr_assert_str_eq(factor, "sun");
    cr_assert_eq(per, GFIN_RISK_PER_SCENARIO); /* "per defaults to scenario" */
    cr_assert_eq(gfin_risk_dist_type_of(d), GFIN_RISK_LOGNORMAL);
    cr_assert_eq(param(d, GFIN_RISK_SD), 0.05);
    cr_assert_null(gfin_risk_uncertainty(rk, 6, &d, &factor, &per));
}

/* [2] "capex overrun" pert 0.95 / 1.05 / 1.6 through costs; [3] "bank margin"
 * annual_rate add on lenders ["commercial bank"], uniform -0.005 .. 0.015, no
 * factor; [4] "tariff reset" discrete values [1.0, 0.85, 0.95] weights [0.7,
 * 0.1, 0.2]; [5] opex_fixed triangular 0.9 / 1.0 / 1.4 (no weights). */
Test(readback, other_distribution_types_and_lenders)
{
    const gfin_risk_dist *d;
    const char *factor;
    const gfin_risk_change *c = gfin_risk_uncertainty(rk, 2, &d, &factor, NULL);
    cr_assert_str_eq(factor, "costs");
    cr_assert_eq(gfin_risk_dist_type_of(d), GFIN_RISK_PERT);
    cr_assert_eq(param(d, GFIN_RISK_MIN), 0.95);
    cr_assert_eq(param(d, GFIN_RISK_MODE), 1.05);
    cr_assert_eq(param(d, GFIN_RISK_MAX), 1.6);

    c = gfin_risk_uncertainty(rk, 3, &d, &factor, NULL);
    cr_assert_null(factor);
    cr_assert_eq(gfin_risk_change_apply(c), GFIN_RISK_ADD);
    cr_assert_str_eq(gfin_risk_change_lender(c, 0), "commercial bank");
    cr_assert_null(gfin_risk_change_lender(c, 1));
    cr_assert_eq(gfin_risk_dist_type_of(d), GFIN_RISK_UNIFORM);
    cr_assert_eq(param(d, GFIN_RISK_MIN), -0.005);
    cr_assert_eq(param(d, GFIN_RISK_MAX), 0.015);
    cr_assert_eq(gfin_risk_dist_values(d, NULL, NULL), 0);

    gfin_risk_uncertainty(rk, 4, &d, NULL, NULL);
    const double *values, *weights;
    cr_assert_eq(gfin_risk_dist_values(d, &values, &weights), 3);
    /* In the order given, not sorted. */
    cr_assert_eq(values[0], 1.0);
    cr_assert_eq(values[1], 0.85);
    cr_assert_eq(values[2], 0.95);
    cr_assert_eq(weights[0], 0.7);
    cr_assert_eq(weights[1], 0.1);
    cr_assert_eq(weights[2], 0.2);

    c = gfin_risk_uncertainty(rk, 5, &d, NULL, NULL);
    label_is(c, "opex_fixed scale");
    cr_assert_eq(gfin_risk_dist_type_of(d), GFIN_RISK_TRIANGULAR);
    cr_assert_eq(param(d, GFIN_RISK_MODE), 1.0);
}

/* "cases": "dry years": energy hydro years [2032, 2033] value 0.8; "costly":
 * capex 1.25, annual_rate add 0.01 on lenders ["fund"]. */
Test(readback, cases_with_their_changes)
{
    cr_assert_eq(gfin_risk_case_count(rk), 2);
    cr_assert_str_eq(gfin_risk_case_name(rk, 0), "dry years");
    cr_assert_eq(gfin_risk_case_change_count(rk, 0), 1);
    double value;
    const gfin_risk_change *c = gfin_risk_case_change(rk, 0, 0, &value);
    cr_assert_eq(value, 0.8);
    int first, last;
    cr_assert_eq(gfin_risk_change_years(c, &first, &last), GFIN_OK);
    cr_assert_eq(first, 2032);
    cr_assert_eq(last, 2033);
    cr_assert_eq(gfin_risk_change_technology(c), GFIN_TECH_HYDRO);

    cr_assert_str_eq(gfin_risk_case_name(rk, 1), "costly");
    cr_assert_eq(gfin_risk_case_change_count(rk, 1), 2);
    c = gfin_risk_case_change(rk, 1, 1, &value);
    cr_assert_str_eq(gfin_risk_change_key(c), "annual_rate");
    cr_assert_eq(value, 0.01);
    cr_assert_str_eq(gfin_risk_change_lender(c, 0), "fund");
    cr_assert_null(gfin_risk_case_change(rk, 1, 2, &value));
    cr_assert_null(gfin_risk_case_name(rk, 2));
    cr_assert_eq(gfin_risk_case_change_count(rk, 2), 0);
}

/* "sensitivity": capex 0.9 .. 1.3; "tariff": tariff_per_mwh set on
 * ["small-hydro"] 250 .. 350. */
Test(readback, sensitivity_entries)
{
    cr_assert_eq(gfin_risk_sensitivity_count(rk), 2);
    double low, high;
    const gfin_risk_change *c = gfin_risk_sensitivity(rk, 0, &low, &high);
    label_is(c, "capex scale");
    cr_assert_eq(low, 0.9);
    cr_assert_eq(high, 1.3);
    c = gfin_risk_sensitivity(rk, 1, &low, &high);
    label_is(c, "tariff");
    cr_assert_eq(gfin_risk_change_apply(c), GFIN_RISK_SET);
    cr_assert_str_eq(gfin_risk_change_project(c, 0), "small-hydro");
    cr_assert_eq(low, 250);
    cr_assert_eq(high, 350);
    cr_assert_null(gfin_risk_sensitivity(rk, 2, &low, &high));
    /* The label is cut as snprintf cuts, its length returned whole. */
    char small[4];
    cr_assert_eq(gfin_risk_change_label(c, small, sizeof small), 6);
    cr_assert_str_eq(small, "tar");
}

Test(readback, null_handles_are_harmless)
{
    cr_assert_eq(gfin_risk_case_count(NULL), 0);
    cr_assert_null(gfin_risk_change_key(NULL));
    cr_assert_eq(gfin_risk_change_apply(NULL), -1);
    cr_assert_eq(gfin_risk_change_label(NULL, NULL, 0), 0);
    cr_assert_eq(gfin_risk_change_years(NULL, NULL, NULL), GFIN_EINVAL);
    cr_assert_eq(gfin_risk_dist_type_of(NULL), -1);
    cr_assert_eq(gfin_risk_dist_values(NULL, NULL, NULL), 0);
    cr_assert(isnan(gfin_risk_covenant_dscr(NULL)));
    double v;
    cr_assert_eq(gfin_fund_source_get(NULL, 0, GFIN_SOURCE_AMOUNT, &v), GFIN_EINVAL);
    cr_assert_null(gfin_fund_source_get_string(NULL, 0, GFIN_SOURCE_NAME));
}

/* "sources": [{"name": "concessional line", "amount": 6000000, "annual_rate":
 * 0.01}, {"name": "green bond", "amount": 4000000, "annual_rate": 0.06}] */
Test(readback, fund_sources_of_the_portfolio)
{
    const gfin_fund *f = gfin_portfolio_fund(pf);
    cr_assert_not_null(f);
    cr_assert_eq(gfin_fund_source_count(f), 2);
    double v;
    cr_assert_str_eq(gfin_fund_source_get_string(f, 0, GFIN_SOURCE_NAME), "concessional line");
    cr_assert_eq(gfin_fund_source_get(f, 0, GFIN_SOURCE_AMOUNT, &v), GFIN_OK);
    cr_assert_eq(v, 6000000);
    cr_assert_eq(gfin_fund_source_get(f, 0, GFIN_SOURCE_ANNUAL_RATE, &v), GFIN_OK);
    cr_assert_eq(v, 0.01);
    cr_assert_str_eq(gfin_fund_source_get_string(f, 1, GFIN_SOURCE_NAME), "green bond");
    cr_assert_eq(gfin_fund_source_get(f, 1, GFIN_SOURCE_AMOUNT, &v), GFIN_OK);
    cr_assert_eq(v, 4000000);
    cr_assert_eq(gfin_fund_source_get(f, 1, GFIN_SOURCE_ANNUAL_RATE, &v), GFIN_OK);
    cr_assert_eq(v, 0.06);
    /* Past the end, a key of another object, a string key read as a number. */
    cr_assert_eq(gfin_fund_source_get(f, 2, GFIN_SOURCE_AMOUNT, &v), GFIN_EINVAL);
    cr_assert_null(gfin_fund_source_get_string(f, 2, GFIN_SOURCE_NAME));
    cr_assert_eq(gfin_fund_source_get(f, 0, GFIN_FUND_CAPITAL, &v), GFIN_EINVAL);
    cr_assert_eq(gfin_fund_source_get(f, 0, GFIN_SOURCE_NAME, &v), GFIN_EINVAL);
    cr_assert_null(gfin_fund_source_get_string(f, 0, GFIN_SOURCE_AMOUNT));
    cr_assert_eq(gfin_fund_source_get(f, 0, GFIN_SOURCE_AMOUNT, NULL), GFIN_EINVAL);
}

/* Sources added through the C API read back the same (gfin_fund_add_source),
 * and a copy of the fund carries them. */
Test(readback, fund_sources_added_in_c)
{
    gfin_fund *f = gfin_fund_new();
    gfin_error e = {0};
    cr_assert_eq(gfin_fund_add_source(f, "grant", 5e6, 0, &e), GFIN_OK);
    gfin_fund *copy = gfin_fund_copy(f);
    gfin_fund_free(f);
    double v = -1;
    cr_assert_str_eq(gfin_fund_source_get_string(copy, 0, GFIN_SOURCE_NAME), "grant");
    cr_assert_eq(gfin_fund_source_get(copy, 0, GFIN_SOURCE_ANNUAL_RATE, &v), GFIN_OK);
    cr_assert_eq(v, 0);
    cr_assert_eq(gfin_fund_source_get(copy, 0, GFIN_SOURCE_AMOUNT, &v), GFIN_OK);
    cr_assert_eq(v, 5e6);
    gfin_fund_free(copy);
}
