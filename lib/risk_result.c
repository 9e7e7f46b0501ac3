/* risk_result.c -- the result of a run (docs/model.md "Risk"): statistics and
 * probabilities of the sampled metrics, the tornado and the cases against the
 * base, warnings of clipped values, and the accessors. */
#include "risk_run.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void gfin_risk_result_free(gfin_risk_result *r)
{
    if (!r)
        return;
    rk_strv_free(r->scopes, r->nscopes);
    rk_strv_free(r->changes, r->nchanges);
    rk_strv_free(r->cases, r->ncases);
    rk_strv_free(r->cols, r->ncols + 1);
    rk_strv_free(r->warnings, r->nwarnings);
    gfin_table_free(r->stats);
    gfin_table_free(r->probs);
    gfin_table_free(r->sens);
    gfin_table_free(r->casetab);
    gfin_table_free(r->samples);
    gfin__free(r);
}

static gfin_status warn(gfin_risk_result *r, const char *fmt, ...) GFIN_PRINTF(2, 3);
static gfin_status warn(gfin_risk_result *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *copy = gfin__strdup(buf);
    if (!copy || gfin__grow((void **)&r->warnings, &r->capw, r->nwarnings + 1, sizeof *r->warnings)) {
        gfin__free(copy);
        return GFIN_ENOMEM;
    }
    r->warnings[r->nwarnings++] = copy;
    return GFIN_OK;
}

static char *dup_fmt(const char *a, const char *b)
{
    const size_t n = strlen(a) + strlen(b) + 2;
    char *s = gfin__malloc(n);
    if (s)
        snprintf(s, n, "%s.%s", a, b);
    return s;
}

static const char *const STAT_COLS[] = {"scope", "metric", "n", "mean", "sd", "min", "q05", "q10", "q50", "q90",
                                        "q95", "max"};
/* sized as the names: gfin__table_new reads one kind per column (0: a number) */
static const unsigned char STAT_KINDS[sizeof STAT_COLS / sizeof STAT_COLS[0]] = {GFIN_COL_INTEGER, GFIN_COL_INTEGER, GFIN_COL_INTEGER};
static const char *const PROB_COLS[] = {"scope", "metric", "value"};
static const unsigned char PROB_KINDS[sizeof PROB_COLS / sizeof PROB_COLS[0]] = {GFIN_COL_INTEGER, GFIN_COL_INTEGER};
static const char *const SENS_COLS[] = {"change", "scope", "metric", "base", "at_low", "at_high", "swing"};
static const unsigned char SENS_KINDS[sizeof SENS_COLS / sizeof SENS_COLS[0]] = {GFIN_COL_INTEGER, GFIN_COL_INTEGER, GFIN_COL_INTEGER};
static const char *const CASE_COLS[] = {"case", "scope", "metric", "base", "value", "difference"};
static const unsigned char CASE_KINDS[sizeof CASE_COLS / sizeof CASE_COLS[0]] = {GFIN_COL_INTEGER, GFIN_COL_INTEGER, GFIN_COL_INTEGER};

gfin_status rk_result_labels(gfin_risk_result *r, const rk_plan *pl)
{
    const gfin_risk *rk = pl->rk;
    r->scopes = gfin__calloc(pl->np + 1, sizeof *r->scopes);
    r->changes = gfin__calloc(rk->nsens + 1, sizeof *r->changes);
    r->cases = gfin__calloc(rk->ncases + 1, sizeof *r->cases);
    r->cols = gfin__calloc(pl->ncols + 1, sizeof *r->cols);
    if (!r->scopes || !r->changes || !r->cases || !r->cols)
        return GFIN_ENOMEM;
    r->nscopes = pl->np + 1;
    r->nchanges = rk->nsens;
    r->ncases = rk->ncases;
    r->ncols = pl->ncols;
    if (!(r->scopes[0] = gfin__strdup("portfolio")) || !(r->cols[0] = gfin__strdup("scenario")))
        return GFIN_ENOMEM;
    for (size_t i = 0; i < pl->np; ++i)
        if (!(r->scopes[i + 1] = gfin__strdup(rk_project_id(gfin_portfolio_project(pl->base, i)))))
            return GFIN_ENOMEM;
    char label[300];
    for (size_t i = 0; i < rk->nsens; ++i) {
        rk_change_label(&rk->sens[i].ch, label, sizeof label);
        if (!(r->changes[i] = gfin__strdup(label)))
            return GFIN_ENOMEM;
    }
    for (size_t k = 0; k < rk->ncases; ++k)
        if (!(r->cases[k] = gfin__strdup(rk->cases[k].name)))
            return GFIN_ENOMEM;
    for (size_t c = 0; c < pl->ncols; ++c)
        if (!(r->cols[c + 1] = dup_fmt(r->scopes[pl->col_scope[c]], gfin_metric_name(pl->col_metric[c]))))
            return GFIN_ENOMEM;
    return GFIN_OK;
}

/* Share of the block's scenarios where column c is below `limit` (a missing
 * value is not below). */
static double share_below(const double *col, size_t n, double limit)
{
    size_t k = 0;
    for (size_t i = 0; i < n; ++i)
        k += col[i] < limit;
    return (double)k / (double)n;
}

static size_t column_of(const rk_plan *pl, size_t scope, gfin_metric m)
{
    for (size_t c = 0; c < pl->ncols; ++c)
        if (pl->col_scope[c] == scope && pl->col_metric[c] == m)
            return c;
    return (size_t)-1;
}

static gfin_status table_statistics(gfin_risk_result *r, const rk_plan *pl, const double *samples, size_t n)
{
    const size_t nc = pl->ncols;
    if (!(r->stats = gfin__table_new(nc, 12, STAT_COLS, STAT_KINDS)))
        return GFIN_ENOMEM;
    double *scratch = gfin__calloc(n, sizeof *scratch);
    if (!scratch)
        return GFIN_ENOMEM;
    for (size_t c = 0; c < nc; ++c) {
        double st[GFIN_RISK_STAT_COUNT];
        rk_statistics(samples + (c + 1) * n, n, 1, scratch, st);
        gfin__col(r->stats, 0)[c] = pl->col_scope[c];
        gfin__col(r->stats, 1)[c] = pl->col_metric[c];
        for (int k = 0; k < GFIN_RISK_STAT_COUNT; ++k)
            gfin__col(r->stats, 2 + (size_t)k)[c] = st[k];
    }
    gfin__free(scratch);
    return GFIN_OK;
}

static gfin_status table_probabilities(gfin_risk_result *r, const rk_plan *pl, const double *samples, size_t n)
{
    const gfin_risk *rk = pl->rk;
    double pv[8 + 4 * 1];
    size_t rows = (pl->fund ? 1 : 0) + (pl->np ? 1 : 0) + pl->np * (isnan(rk->hurdle) ? 3 : 4);
    if (!(r->probs = gfin__table_new(rows, 3, PROB_COLS, PROB_KINDS)))
        return GFIN_ENOMEM;
    size_t row = 0;
    double *ps = gfin__col(r->probs, 0), *pm = gfin__col(r->probs, 1), *pvv = gfin__col(r->probs, 2);
#define COL(scope, m) (samples + (column_of(pl, scope, m) + 1) * n)
    if (pl->fund) {
        ps[row] = 0;
        pm[row] = GFIN_M_P_FUND_IRR_BELOW_COST_OF_FUNDS;
        pvv[row++] = isnan(pl->wcof) ? NAN : share_below(COL(0, GFIN_M_FUND_IRR), n, pl->wcof);
    }
    if (pl->np) {
        size_t k = 0;
        for (size_t i = 0; i < n; ++i) {
            bool any = false;
            for (size_t p = 0; p < pl->np && !any; ++p)
                any = COL(p + 1, GFIN_M_MIN_DSCR)[i] < 1;
            k += any;
        }
        ps[row] = 0;
        pm[row] = GFIN_M_P_ANY_MIN_DSCR_BELOW_1;
        pvv[row++] = (double)k / (double)n;
    }
    for (size_t p = 1; p <= pl->np; ++p) {
        const gfin_metric ms[] = {GFIN_M_P_MIN_DSCR_BELOW_1, GFIN_M_P_MIN_DSCR_BELOW_COVENANT, GFIN_M_P_NPV_NEGATIVE,
                                  GFIN_M_P_EQUITY_IRR_BELOW_HURDLE};
        pv[0] = share_below(COL(p, GFIN_M_MIN_DSCR), n, 1);
        pv[1] = share_below(COL(p, GFIN_M_MIN_DSCR), n, rk->covenant);
        pv[2] = share_below(COL(p, GFIN_M_NPV), n, 0);
        pv[3] = isnan(rk->hurdle) ? NAN : share_below(COL(p, GFIN_M_EQUITY_IRR), n, rk->hurdle);
        for (size_t k = 0; k < (isnan(rk->hurdle) ? 3u : 4u); ++k, ++row) {
            ps[row] = (double)p;
            pm[row] = ms[k];
            pvv[row] = pv[k];
        }
    }
#undef COL
    return GFIN_OK;
}

/* The tornado: per scope and metric, the entries by swing, largest first. */
static gfin_status table_sensitivity(gfin_risk_result *r, const rk_plan *pl, const double *det, const double *base)
{
    const gfin_risk *rk = pl->rk;
    const size_t nc = pl->ncols;
    if (!(r->sens = gfin__table_new(rk->nsens * nc, 7, SENS_COLS, SENS_KINDS)))
        return GFIN_ENOMEM;
    size_t *order = gfin__calloc(rk->nsens + 1, sizeof *order);
    double *swing = gfin__calloc(rk->nsens + 1, sizeof *swing);
    if (!order || !swing) {
        gfin__free(order);
        gfin__free(swing);
        return GFIN_ENOMEM;
    }
    size_t row = 0;
    for (size_t c = 0; c < nc; ++c) {
        for (size_t e = 0; e < rk->nsens; ++e) {
            swing[e] = fabs(det[(2 * e + 1) * nc + c] - det[2 * e * nc + c]);
            size_t k = e; /* insertion: stable, NaN swings last */
            while (k > 0 && (isnan(swing[order[k - 1]]) ? !isnan(swing[e]) : swing[order[k - 1]] < swing[e])) {
                order[k] = order[k - 1];
                k--;
            }
            order[k] = e;
        }
        for (size_t k = 0; k < rk->nsens; ++k, ++row) {
            const size_t e = order[k];
            const double values[7] = {(double)e, pl->col_scope[c], pl->col_metric[c], base[c],
                                      det[2 * e * nc + c], det[(2 * e + 1) * nc + c], swing[e]};
            for (size_t j = 0; j < 7; ++j)
                gfin__col(r->sens, j)[row] = values[j];
        }
    }
    gfin__free(order);
    gfin__free(swing);
    return GFIN_OK;
}

static gfin_status table_cases(gfin_risk_result *r, const rk_plan *pl, const double *det, const double *base)
{
    const gfin_risk *rk = pl->rk;
    const size_t nc = pl->ncols;
    if (!(r->casetab = gfin__table_new(rk->ncases * nc, 6, CASE_COLS, CASE_KINDS)))
        return GFIN_ENOMEM;
    size_t row = 0;
    for (size_t k = 0; k < rk->ncases; ++k)
        for (size_t c = 0; c < nc; ++c, ++row) {
            const double v = det[(2 * rk->nsens + k) * nc + c];
            const double values[6] = {(double)k, pl->col_scope[c], pl->col_metric[c], base[c], v, v - base[c]};
            for (size_t j = 0; j < 6; ++j)
                gfin__col(r->casetab, j)[row] = values[j];
        }
    return GFIN_OK;
}

gfin_status rk_result_tables(gfin_risk_result *r, const rk_plan *pl, const double *samples, size_t n,
                             const double *det, const double *base)
{
    if (table_statistics(r, pl, samples, n) || table_probabilities(r, pl, samples, n) ||
        table_sensitivity(r, pl, det, base) || table_cases(r, pl, det, base))
        return GFIN_ENOMEM;
    return GFIN_OK;
}

gfin_status rk_result_warnings(gfin_risk_result *r, const rk_plan *pl, const size_t *uclip, const size_t *uapp,
                               const size_t *dclip, const size_t *dapp)
{
    const gfin_risk *rk = pl->rk;
    char label[300];
    gfin_status st = GFIN_OK;
    for (size_t i = 0; i < rk->nunc && !st; ++i) {
        rk_change_label(&rk->unc[i].ch, label, sizeof label);
        if (uclip[i])
            st = warn(r, "uncertainties[%zu] (%s): %zu of %zu drawn values clipped to the bounds of %s", i, label,
                      uclip[i], uapp[i], rk->unc[i].ch.key);
    }
    for (size_t j = 0; j < 2 * rk->nsens && !st; ++j)
        if (dclip[j]) {
            rk_change_label(&rk->sens[j / 2].ch, label, sizeof label);
            st = warn(r, "sensitivity[%zu] (%s) %s: %zu of %zu values clipped to the bounds of %s", j / 2, label,
                      j % 2 ? "high" : "low", dclip[j], dapp[j], rk->sens[j / 2].ch.key);
        }
    for (size_t k = 0; k < rk->ncases && !st; ++k)
        for (size_t i = 0; i < rk->cases[k].n && !st; ++i) {
            const size_t d = 2 * rk->nsens + pl->case_off[k] + i;
            if (dclip[d])
                st = warn(r, "cases[%zu] (%s): changes[%zu]: %zu of %zu values clipped to the bounds of %s", k,
                          rk->cases[k].name, i, dclip[d], dapp[d], rk->cases[k].changes[i].ch.key);
        }
    return st;
}

/* ---- accessors ---- */

size_t gfin_risk_result_scenarios(const gfin_risk_result *r) { return r ? r->scenarios : 0; }
uint64_t gfin_risk_result_seed(const gfin_risk_result *r) { return r ? r->seed : 0; }
size_t gfin_risk_result_first(const gfin_risk_result *r) { return r ? r->first : 0; }
size_t gfin_risk_result_count(const gfin_risk_result *r) { return r ? r->count : 0; }
size_t gfin_risk_result_scope_count(const gfin_risk_result *r) { return r ? r->nscopes : 0; }
const char *gfin_risk_result_scope_name(const gfin_risk_result *r, size_t i)
{
    return r && i < r->nscopes ? r->scopes[i] : NULL;
}
size_t gfin_risk_result_change_count(const gfin_risk_result *r) { return r ? r->nchanges : 0; }
const char *gfin_risk_result_change_name(const gfin_risk_result *r, size_t i)
{
    return r && i < r->nchanges ? r->changes[i] : NULL;
}
size_t gfin_risk_result_case_count(const gfin_risk_result *r) { return r ? r->ncases : 0; }
const char *gfin_risk_result_case_name(const gfin_risk_result *r, size_t i)
{
    return r && i < r->ncases ? r->cases[i] : NULL;
}
size_t gfin_risk_result_warning_count(const gfin_risk_result *r) { return r ? r->nwarnings : 0; }
const char *gfin_risk_result_warning(const gfin_risk_result *r, size_t i)
{
    return r && i < r->nwarnings ? r->warnings[i] : NULL;
}

const gfin_table *gfin_risk_result_table(const gfin_risk_result *r, const char *name)
{
    if (!r || !name)
        return NULL;
    if (strcmp(name, "statistics") == 0)
        return r->stats;
    if (strcmp(name, "probabilities") == 0)
        return r->probs;
    if (strcmp(name, "sensitivity") == 0)
        return r->sens;
    if (strcmp(name, "cases") == 0)
        return r->casetab;
    if (strcmp(name, "samples") == 0)
        return r->samples;
    return NULL;
}

static gfin_status lookup(const gfin_table *t, size_t scope, gfin_metric m, size_t col, double *out)
{
    if (!t || !out)
        return GFIN_EINVAL;
    const double *s = t->data, *mm = t->data + t->rows;
    for (size_t i = 0; i < t->rows; ++i)
        if (s[i] == (double)scope && mm[i] == (double)m) {
            const double v = t->data[col * t->rows + i];
            if (isnan(v))
                return GFIN_ENOVALUE;
            *out = v;
            return GFIN_OK;
        }
    return GFIN_EINVAL;
}

gfin_status gfin_risk_result_statistic(const gfin_risk_result *r, size_t scope, gfin_metric m, gfin_risk_stat stat,
                                       double *out)
{
    if (!r || (int)stat < 0 || stat >= GFIN_RISK_STAT_COUNT)
        return GFIN_EINVAL;
    return lookup(r->stats, scope, m, 2 + (size_t)stat, out);
}

gfin_status gfin_risk_result_probability(const gfin_risk_result *r, size_t scope, gfin_metric m, double *out)
{
    return r ? lookup(r->probs, scope, m, 2, out) : GFIN_EINVAL;
}
