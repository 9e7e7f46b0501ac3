/* result.c -- the one result type: named tables, metrics by key, warnings and
 * child results. Built by loan, project and portfolio; read by everyone. */
#include "result.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct named_table {
    const char *name;   /* static */
    gfin_table *table;
} named_table;

typedef struct metric_value {
    gfin_metric metric;
    double value;       /* NaN = null */
} metric_value;

struct gfin_result {
    gfin_result_kind kind;
    char *id;
    named_table *tables;
    size_t ntables, cap_tables;
    metric_value *metrics;
    size_t nmetrics, cap_metrics;
    char **warnings;
    size_t nwarnings, cap_warnings;
    gfin_result **children;
    size_t nchildren, cap_children;
};

gfin_result *gfin__result_new(gfin_result_kind kind, const char *id)
{
    gfin_result *r = gfin__calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->kind = kind;
    r->id = gfin__strdup(id ? id : "");
    if (!r->id) {
        gfin__free(r);
        return NULL;
    }
    return r;
}

void gfin_result_free(gfin_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ntables; ++i)
        gfin_table_free(r->tables[i].table);
    for (size_t i = 0; i < r->nwarnings; ++i)
        gfin__free(r->warnings[i]);
    for (size_t i = 0; i < r->nchildren; ++i)
        gfin_result_free(r->children[i]);
    gfin__free(r->tables);
    gfin__free(r->metrics);
    gfin__free(r->warnings);
    gfin__free(r->children);
    gfin__free(r->id);
    gfin__free(r);
}

gfin_status gfin__result_add_table(gfin_result *r, const char *name, gfin_table *table)
{
    if (!table)
        return GFIN_ENOMEM;
    if (gfin__grow((void **)&r->tables, &r->cap_tables, r->ntables + 1, sizeof *r->tables)) {
        gfin_table_free(table);
        return GFIN_ENOMEM;
    }
    r->tables[r->ntables++] = (named_table){name, table};
    return GFIN_OK;
}

gfin_status gfin__result_add_metric(gfin_result *r, gfin_metric m, double value)
{
    if (gfin__grow((void **)&r->metrics, &r->cap_metrics, r->nmetrics + 1, sizeof *r->metrics))
        return GFIN_ENOMEM;
    r->metrics[r->nmetrics++] = (metric_value){m, isfinite(value) ? value : NAN};
    return GFIN_OK;
}

gfin_status gfin__result_add_warning(gfin_result *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (gfin__grow((void **)&r->warnings, &r->cap_warnings, r->nwarnings + 1, sizeof *r->warnings))
        return GFIN_ENOMEM;
    char *copy = gfin__strdup(buf);
    if (!copy)
        return GFIN_ENOMEM;
    r->warnings[r->nwarnings++] = copy;
    return GFIN_OK;
}

gfin_status gfin__result_move_warnings(gfin_result *dst, gfin_result *src)
{
    if (!src->nwarnings)
        return GFIN_OK;
    if (gfin__grow((void **)&dst->warnings, &dst->cap_warnings, dst->nwarnings + src->nwarnings,
                   sizeof *dst->warnings))
        return GFIN_ENOMEM;
    memcpy(dst->warnings + dst->nwarnings, src->warnings, src->nwarnings * sizeof *src->warnings);
    dst->nwarnings += src->nwarnings;
    src->nwarnings = 0;
    return GFIN_OK;
}

gfin_status gfin__result_add_child(gfin_result *r, gfin_result *child)
{
    if (!child)
        return GFIN_ENOMEM;
    if (gfin__grow((void **)&r->children, &r->cap_children, r->nchildren + 1, sizeof *r->children)) {
        gfin_result_free(child);
        return GFIN_ENOMEM;
    }
    r->children[r->nchildren++] = child;
    return GFIN_OK;
}

void gfin__result_replace_child(gfin_result *r, size_t i, gfin_result *child)
{
    gfin_result_free(r->children[i]);
    r->children[i] = child;
}

static gfin_table *find_table(const gfin_result *r, const char *name)
{
    for (size_t i = 0; i < r->ntables; ++i)
        if (strcmp(r->tables[i].name, name) == 0)
            return r->tables[i].table;
    return NULL;
}

gfin_table *gfin__result_table_mut(gfin_result *r, const char *name) { return find_table(r, name); }

gfin_status gfin__result_set_id(gfin_result *r, const char *id)
{
    char *copy = gfin__strdup(id);
    if (!copy)
        return GFIN_ENOMEM;
    gfin__free(r->id);
    r->id = copy;
    return GFIN_OK;
}

gfin_result_kind gfin_result_kind_of(const gfin_result *r) { return r ? r->kind : (gfin_result_kind)0; }

const char *gfin_result_id(const gfin_result *r) { return r ? r->id : NULL; }

size_t gfin_result_table_count(const gfin_result *r) { return r ? r->ntables : 0; }

const char *gfin_result_table_name(const gfin_result *r, size_t i)
{
    return (r && i < r->ntables) ? r->tables[i].name : NULL;
}

const gfin_table *gfin_result_table_at(const gfin_result *r, size_t i)
{
    return (r && i < r->ntables) ? r->tables[i].table : NULL;
}

const gfin_table *gfin_result_table(const gfin_result *r, const char *name)
{
    return (r && name) ? find_table(r, name) : NULL;
}

gfin_status gfin_result_metric(const gfin_result *r, gfin_metric m, double *out)
{
    if (!r || !out)
        return GFIN_EINVAL;
    for (size_t i = 0; i < r->nmetrics; ++i)
        if (r->metrics[i].metric == m) {
            if (isnan(r->metrics[i].value))
                return GFIN_ENOVALUE;
            *out = r->metrics[i].value;
            return GFIN_OK;
        }
    return GFIN_EINVAL;
}

size_t gfin_result_metric_count(const gfin_result *r) { return r ? r->nmetrics : 0; }

gfin_metric gfin_result_metric_at(const gfin_result *r, size_t i)
{
    return (r && i < r->nmetrics) ? r->metrics[i].metric : (gfin_metric)-1;
}

size_t gfin_result_warning_count(const gfin_result *r) { return r ? r->nwarnings : 0; }

const char *gfin_result_warning(const gfin_result *r, size_t i)
{
    return (r && i < r->nwarnings) ? r->warnings[i] : NULL;
}

size_t gfin_result_child_count(const gfin_result *r) { return r ? r->nchildren : 0; }

const gfin_result *gfin_result_child(const gfin_result *r, size_t i)
{
    return (r && i < r->nchildren) ? r->children[i] : NULL;
}
