/* risk_write.c -- a risk result as JSON (docs/model.md "Risk": metrics,
 * statistics, probabilities, sensitivity, cases, warnings, samples) and its
 * tables as CSV with names in place of the scope, metric, change and case
 * numbers, through the writer core (write.h): streamed to a sink or into a
 * buffer, linear in the size of the text. */
#include "write.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void number_or_null(gfin_writer *w, double v)
{
    if (isfinite(v))
        gfin__w_num(w, v);
    else
        gfin__w_put(w, "null", 4);
}

static void key(gfin_writer *w, const char *k)
{
    gfin__w_json_string(w, k);
    gfin__w_char(w, ':');
}

/* "statistics" or "probabilities": {"portfolio": {...}, "projects": {"<id>": {...}}}. */
static void by_scope(gfin_writer *w, const gfin_risk_result *r, const gfin_table *t, bool stats)
{
    const size_t rows = gfin_table_rows(t), nscopes = gfin_risk_result_scope_count(r);
    const double *scope = gfin_table_column(t, 0), *metric = gfin_table_column(t, 1);
    gfin__w_char(w, '{');
    for (size_t s = 0; s < nscopes; ++s) {
        if (s == 0)
            key(w, "portfolio");
        else {
            if (s == 1)
                gfin__w_put(w, ",\"projects\":{", 13);
            else
                gfin__w_char(w, ',');
            key(w, gfin_risk_result_scope_name(r, s));
        }
        gfin__w_char(w, '{');
        bool first = true;
        for (size_t i = 0; i < rows; ++i) {
            if (scope[i] != (double)s)
                continue;
            if (!first)
                gfin__w_char(w, ',');
            first = false;
            key(w, gfin_metric_name((gfin_metric)metric[i]));
            if (!stats) {
                number_or_null(w, gfin_table_column(t, 2)[i]);
                continue;
            }
            gfin__w_char(w, '{');
            for (int k = 0; k < GFIN_RISK_STAT_COUNT; ++k) {
                if (k)
                    gfin__w_char(w, ',');
                key(w, gfin_risk_stat_name((gfin_risk_stat)k));
                number_or_null(w, gfin_table_column(t, 2 + (size_t)k)[i]);
            }
            gfin__w_char(w, '}');
        }
        gfin__w_char(w, '}');
    }
    if (nscopes > 1)
        gfin__w_char(w, '}');
    else
        gfin__w_put(w, ",\"projects\":{}", 14);
    gfin__w_char(w, '}');
}

/* The label of row i's integer column j of a sensitivity or cases table. */
static const char *label(const gfin_risk_result *r, const gfin_table *t, size_t j, size_t i)
{
    const char *name = gfin_table_col_name(t, j);
    const double v = gfin_table_column(t, j)[i];
    if (strcmp(name, "scope") == 0)
        return gfin_risk_result_scope_name(r, (size_t)v);
    if (strcmp(name, "metric") == 0)
        return gfin_metric_name((gfin_metric)v);
    if (strcmp(name, "change") == 0)
        return gfin_risk_result_change_name(r, (size_t)v);
    if (strcmp(name, "case") == 0)
        return gfin_risk_result_case_name(r, (size_t)v);
    return NULL;
}

/* A list of row objects, labels by name. */
static void rows_json(gfin_writer *w, const gfin_risk_result *r, const gfin_table *t)
{
    gfin__w_char(w, '[');
    for (size_t i = 0; i < gfin_table_rows(t); ++i) {
        gfin__w_put(w, i ? ",\n{" : "\n{", i ? 3 : 2);
        for (size_t j = 0; j < gfin_table_cols(t); ++j) {
            if (j)
                gfin__w_char(w, ',');
            key(w, gfin_table_col_name(t, j));
            const char *l = label(r, t, j, i);
            if (l)
                gfin__w_json_string(w, l);
            else
                number_or_null(w, gfin_table_column(t, j)[i]);
        }
        gfin__w_char(w, '}');
    }
    gfin__w_char(w, ']');
}

static void samples_json(gfin_writer *w, const gfin_table *t)
{
    gfin__w_char(w, '{');
    for (size_t j = 0; j < gfin_table_cols(t); ++j) {
        if (j)
            gfin__w_put(w, ",\n", 2);
        key(w, gfin_table_col_name(t, j));
        gfin__w_char(w, '[');
        const double *c = gfin_table_column(t, j);
        for (size_t i = 0; i < gfin_table_rows(t) && !w->st; ++i) {
            if (i)
                gfin__w_char(w, ',');
            number_or_null(w, c[i]);
        }
        gfin__w_char(w, ']');
    }
    gfin__w_char(w, '}');
}

static void result_json(gfin_writer *w, const gfin_risk_result *r)
{
    char buf[64];
    snprintf(buf, sizeof buf, "{\"metrics\":{\"scenarios\":%zu,\"seed\":%llu,\"first\":%zu,\"count\":%zu}",
             gfin_risk_result_scenarios(r), (unsigned long long)gfin_risk_result_seed(r), gfin_risk_result_first(r),
             gfin_risk_result_count(r));
    gfin__w_str(w, buf);
    gfin__w_str(w, ",\n\"statistics\":");
    by_scope(w, r, gfin_risk_result_table(r, "statistics"), true);
    gfin__w_str(w, ",\n\"probabilities\":");
    by_scope(w, r, gfin_risk_result_table(r, "probabilities"), false);
    gfin__w_str(w, ",\n\"sensitivity\":");
    rows_json(w, r, gfin_risk_result_table(r, "sensitivity"));
    gfin__w_str(w, ",\n\"cases\":");
    rows_json(w, r, gfin_risk_result_table(r, "cases"));
    gfin__w_str(w, ",\n\"warnings\":[");
    for (size_t i = 0; i < gfin_risk_result_warning_count(r); ++i) {
        if (i)
            gfin__w_char(w, ',');
        gfin__w_json_string(w, gfin_risk_result_warning(r, i));
    }
    gfin__w_char(w, ']');
    const gfin_table *s = gfin_risk_result_table(r, "samples");
    if (s) {
        gfin__w_str(w, ",\n\"samples\":");
        samples_json(w, s);
    }
    gfin__w_str(w, "}\n");
}

gfin_status gfin_risk_result_to_json(const gfin_risk_result *r, char **out, size_t *len, gfin_error *err)
{
    if (!r || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "result and out must not be NULL");
    gfin_writer w;
    gfin__w_init_buffer(&w);
    result_json(&w, r);
    return gfin__w_finish_buffer(&w, out, len, "JSON", err);
}

gfin_status gfin_risk_result_write_json(const gfin_risk_result *r, gfin_write_fn sink, void *ctx, gfin_error *err)
{
    if (!r || !sink)
        return gfin__fail(err, GFIN_EINVAL, "", "result and sink must not be NULL");
    gfin_writer w;
    gfin_status st = gfin__w_init_sink(&w, sink, ctx);
    if (st)
        return gfin__fail(err, st, "", "out of memory");
    result_json(&w, r);
    return gfin__w_finish_sink(&w, "JSON", err);
}

/* A CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line end. */
static void csv_text(gfin_writer *w, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        gfin__w_str(w, s);
        return;
    }
    gfin__w_char(w, '"');
    for (; *s; ++s) {
        if (*s == '"')
            gfin__w_char(w, '"');
        gfin__w_char(w, *s);
    }
    gfin__w_char(w, '"');
}

static gfin_status table_csv(gfin_writer *w, const gfin_risk_result *r, const char *name, gfin_error *err)
{
    if (strcmp(name, "metrics") == 0) {
        char buf[160];
        snprintf(buf, sizeof buf, "name,value\nscenarios,%zu\nseed,%llu\nfirst,%zu\ncount,%zu\n",
                 gfin_risk_result_scenarios(r), (unsigned long long)gfin_risk_result_seed(r),
                 gfin_risk_result_first(r), gfin_risk_result_count(r));
        gfin__w_str(w, buf);
        return GFIN_OK;
    }
    const gfin_table *t = gfin_risk_result_table(r, name);
    if (!t)
        return gfin__fail(err, GFIN_EINVAL, "table", "'%.40s' is not a table of this result (statistics, "
                          "probabilities, sensitivity, cases, samples when kept, metrics)", name);
    for (size_t j = 0; j < gfin_table_cols(t); ++j) {
        if (j)
            gfin__w_char(w, ',');
        csv_text(w, gfin_table_col_name(t, j));
    }
    gfin__w_char(w, '\n');
    const bool labels = strcmp(name, "samples") != 0;
    for (size_t i = 0; i < gfin_table_rows(t) && !w->st; ++i) {
        for (size_t j = 0; j < gfin_table_cols(t); ++j) {
            if (j)
                gfin__w_char(w, ',');
            const char *l = labels ? label(r, t, j, i) : NULL;
            if (l)
                csv_text(w, l);
            else
                gfin__w_cell(w, gfin_table_column(t, j)[i], gfin_table_col_kind(t, j));
        }
        gfin__w_char(w, '\n');
    }
    return GFIN_OK;
}

gfin_status gfin_risk_result_to_csv(const gfin_risk_result *r, const char *table, char **out, size_t *len,
                                    gfin_error *err)
{
    if (!r || !table || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "result, table and out must not be NULL");
    gfin_writer w;
    gfin__w_init_buffer(&w);
    gfin_status st = table_csv(&w, r, table, err);
    if (st) {
        gfin__free(w.buf);
        return st;
    }
    return gfin__w_finish_buffer(&w, out, len, "CSV", err);
}

gfin_status gfin_risk_result_write_csv(const gfin_risk_result *r, const char *table, gfin_write_fn sink, void *ctx,
                                       gfin_error *err)
{
    if (!r || !table || !sink)
        return gfin__fail(err, GFIN_EINVAL, "", "result, table and sink must not be NULL");
    gfin_writer w;
    gfin_status st = gfin__w_init_sink(&w, sink, ctx);
    if (st)
        return gfin__fail(err, st, "", "out of memory");
    if ((st = table_csv(&w, r, table, err))) {
        gfin__free(w.buf);
        return st;
    }
    return gfin__w_finish_sink(&w, "CSV", err);
}
