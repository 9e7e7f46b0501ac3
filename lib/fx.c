/* fx.c -- exchange-rate paths and the translation of a foreign-currency loan
 * (docs/model.md "Loan currencies"): each flow at the rate of its calendar
 * year, as IAS 21 translates monetary items at the period's rate. */
#include "fx.h"
#include "loan.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

gfin_status gfin__fx_set(gfin_fx *fx, const char *currency, const double *rates, size_t n, gfin_error *err)
{
    if (!currency || !*currency || strlen(currency) >= GFIN_FX_CODE_MAX)
        return gfin__fail(err, GFIN_EINVAL, "fx", "a currency code has 1 to %d characters", GFIN_FX_CODE_MAX - 1);
    char path[GFIN_FX_CODE_MAX + 24];
    snprintf(path, sizeof path, "fx.%s", currency);
    if (!rates || !n)
        return gfin__fail(err, GFIN_EINVAL, path, "needs at least one rate");
    for (size_t i = 0; i < n; ++i)
        if (!isfinite(rates[i]) || !(rates[i] > 0)) {
            char num[40];
            gfin__fmt_num(num, sizeof num, rates[i]);
            snprintf(path, sizeof path, "fx.%s[%zu]", currency, i);
            return gfin__fail(err, GFIN_EINVAL, path,
                              "%s is not a rate: rates are finite and above 0 (portfolio currency per unit)", num);
        }
    double *copy = gfin__malloc(n * sizeof *copy);
    if (!copy)
        return gfin__fail(err, GFIN_ENOMEM, path, "out of memory");
    memcpy(copy, rates, n * sizeof *copy);
    gfin_fx_path *p = NULL;
    for (size_t i = 0; i < fx->n && !p; ++i)
        if (strcmp(fx->paths[i].currency, currency) == 0)
            p = &fx->paths[i];
    if (!p) {
        gfin_fx_path *grown = gfin__realloc(fx->paths, (fx->n + 1) * sizeof *grown);
        if (!grown) {
            gfin__free(copy);
            return gfin__fail(err, GFIN_ENOMEM, path, "out of memory");
        }
        fx->paths = grown;
        p = &fx->paths[fx->n++];
        memset(p, 0, sizeof *p);
        memcpy(p->currency, currency, strlen(currency) + 1);
    }
    gfin__free(p->rates);
    p->rates = copy;
    p->n = n;
    return GFIN_OK;
}

void gfin__fx_clear(gfin_fx *fx)
{
    for (size_t i = 0; i < fx->n; ++i)
        gfin__free(fx->paths[i].rates);
    gfin__free(fx->paths);
    *fx = (gfin_fx){0};
}

gfin_status gfin__fx_copy(gfin_fx *dst, const gfin_fx *src)
{
    *dst = (gfin_fx){0};
    for (size_t i = 0; i < src->n; ++i)
        if (gfin__fx_set(dst, src->paths[i].currency, src->paths[i].rates, src->paths[i].n, NULL)) {
            gfin__fx_clear(dst);
            return GFIN_ENOMEM;
        }
    return GFIN_OK;
}

const gfin_fx_path *gfin__fx_find(const gfin_fx *fx, const char *currency)
{
    for (size_t i = 0; fx && i < fx->n; ++i)
        if (strcmp(fx->paths[i].currency, currency) == 0)
            return &fx->paths[i];
    return NULL;
}

void gfin__fx_list(const gfin_fx *fx, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; fx && i < fx->n && used + 1 < n; ++i) {
        int w = snprintf(buf + used, n - used, "%s\"%s\"", i ? ", " : "", fx->paths[i].currency);
        used = w > 0 && (size_t)w < n - used ? used + (size_t)w : n - 1;
    }
    if (!used)
        snprintf(buf, n, "none");
}

double gfin__fx_rate(const gfin_fx_path *p, int base_year, int year)
{
    if (year < base_year || !p->n)
        return NAN;
    const size_t i = (size_t)(year - base_year);
    return p->rates[i < p->n ? i : p->n - 1];
}

static const char *const MONEY[] = {"opening_balance", "drawdown", "interest", "capitalized_interest", "principal",
                                    "fees", "debt_service", "closing_balance"};

gfin_table *gfin__fx_translate(const gfin_table *s, int freq, const gfin_fx_path *p, int base_year, int first_year)
{
    const char *names[64];
    unsigned char kinds[64];
    if (s->cols > 64)
        return NULL;
    for (size_t j = 0; j < s->cols; ++j) {
        names[j] = s->names[j];
        kinds[j] = s->kinds[j];
    }
    gfin_table *t = gfin__table_new(s->rows, s->cols, names, kinds);
    if (!t)
        return NULL;
    memcpy(t->data, s->data, s->rows * s->cols * sizeof *t->data);
    t->ids = s->ids; /* static layouts of the registry: shared */
    for (size_t m = 0; m < sizeof MONEY / sizeof MONEY[0]; ++m) {
        const double *src = gfin_table_column_by_name(s, MONEY[m]);
        if (!src)
            continue;
        double *dst = gfin__col(t, (size_t)(src - s->data) / s->rows);
        for (size_t k = 0; k < s->rows; ++k)
            dst[k] = src[k] * gfin__fx_rate(p, base_year, first_year + (int)gfin__period_year(k, (size_t)freq));
    }
    return t;
}

void gfin__fx_gain_loss(const gfin_table *s, int freq, const gfin_fx_path *p, int base_year, int first_year,
                        double *gain, size_t years)
{
    const double *close = gfin_table_column_by_name(s, "closing_balance");
    const size_t f = (size_t)freq;
    for (size_t y = 1; y < years; ++y) {
        /* The balance at the end of year y-1: its last period's closing
         * balance; 0 past the schedule (the loan is repaid). */
        const size_t k = gfin__periods_to_year_end(y, f) - 1;
        const double b = k < s->rows ? close[k] : 0;
        gain[y] += b * (gfin__fx_rate(p, base_year, first_year + (int)y - 1) -
                        gfin__fx_rate(p, base_year, first_year + (int)y));
    }
}
