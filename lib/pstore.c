/* pstore.c -- the value store: one object's inputs, each set through its
 * registry definition (params.c) and checked against it (type, bounds,
 * allowed values, choices, dates) with the key's name in every message; read
 * back with the registry's defaults; routed to the right store of a handle
 * holding several (a project's own, its grid's, its debt sizing's), keeping
 * the handle's last error. */
#include "params.h"
#include "dates.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void gfin__pstore_init(gfin_pstore *s, gfin_object obj)
{
    memset(s, 0, sizeof *s);
    s->object = obj;
}

static void pvalue_clear(gfin_pvalue *v)
{
    gfin__free(v->data);
    memset(v, 0, sizeof *v);
}

void gfin__pstore_clear(gfin_pstore *s)
{
    for (size_t i = 0; i < GFIN_STORE_SLOTS; ++i)
        pvalue_clear(&s->v[i]);
}

gfin_status gfin__pstore_copy(gfin_pstore *dst, const gfin_pstore *src)
{
    gfin__pstore_init(dst, src->object);
    for (size_t i = 0; i < GFIN_STORE_SLOTS; ++i) {
        const gfin_pvalue *a = &src->v[i];
        gfin_pvalue *b = &dst->v[i];
        *b = *a;
        b->data = NULL;
        if (a->data) {
            const size_t bytes = a->is_string ? a->len : a->len * sizeof(double);
            if (!(b->data = gfin__malloc(bytes)))
                goto nomem;
            memcpy(b->data, a->data, bytes);
        }
    }
    return GFIN_OK;
nomem:
    gfin__pstore_clear(dst);
    return GFIN_ENOMEM;
}

/* The definition of `key` if it belongs to the store's object. */
static const gfin_param_def *store_def(const gfin_pstore *s, int key)
{
    const gfin_param_def *d = gfin__param_def(key);
    return (d && d->object == s->object) ? d : NULL;
}

static gfin_status not_a_key(const gfin_pstore *s, int key, gfin_error *err)
{
    return gfin__fail(err, GFIN_EINVAL, "", "key %d is not a %s key", key, gfin__object_name(s->object));
}

static const char *type_word(gfin_param_type t)
{
    switch (t) {
    case GFIN_PARAM_ARRAY: return "an array";
    case GFIN_PARAM_STRING: return "a string";
    default: return "a number";
    }
}

static gfin_status wrong_type(const gfin_param_def *d, gfin_error *err)
{
    return gfin__fail(err, GFIN_EINVAL, d->name, "is %s", type_word(d->type));
}

static void fmt_date_or_num(const gfin_param_def *d, double v, char *buf, size_t n)
{
    /* Any day with a YYYY-MM-DD form is written as one, inside the key's
     * bounds or not: "1899-12-31 is outside 1900-01-01 .. 2199-12-31". */
    if (d->type == GFIN_PARAM_DATE && v >= INT32_MIN && v <= INT32_MAX && v == floor(v) &&
        gfin__date_valid((gfin_date)v)) {
        char tmp[16];
        gfin__date_str((gfin_date)v, tmp);
        snprintf(buf, n, "%s", tmp);
    } else {
        gfin__fmt_num(buf, n, v);
    }
}

void gfin__names_list(const char *const *names, size_t count, char *buf, size_t n)
{
    if (!n)
        return;
    buf[0] = '\0';
    for (size_t i = 0, used = 0; i < count && names[i] && used < n; ++i, used = strlen(buf))
        snprintf(buf + used, n - used, "%s\"%s\"", i ? ", " : "", names[i]);
}

void gfin__choice_list(const gfin_param_def *d, char *buf, size_t n)
{
    gfin__names_list(d->choices, d->choices ? SIZE_MAX : 0, buf, n);
}

/* Checks one number against the definition; path names it in the error.
 * Numbers are formatted only for a message: loading a portfolio checks every
 * value it reads, and formatting them all cost a fifth of the load. */
static gfin_status check_value(const gfin_param_def *d, double v, const char *path, gfin_error *err)
{
    char vs[40], lo[40], hi[40];
    if (!isfinite(v)) {
        gfin__fmt_num(vs, sizeof vs, v);
        return gfin__fail(err, GFIN_EINVAL, path, "%s is not a finite number", vs);
    }
    if (d->type == GFIN_PARAM_CHOICE) {
        if (v != floor(v) || v < 0 || v > d->max) {
            char names[160];
            gfin__choice_list(d, names, sizeof names);
            gfin__fmt_num(vs, sizeof vs, v);
            return gfin__fail(err, GFIN_EINVAL, path, "%s is not a valid choice (%s)", vs, names);
        }
        return GFIN_OK;
    }
    if ((d->type == GFIN_PARAM_INTEGER || d->type == GFIN_PARAM_DATE) && v != floor(v)) {
        gfin__fmt_num(vs, sizeof vs, v);
        return gfin__fail(err, GFIN_EINVAL, path, "%s is not a whole number", vs);
    }
    if (d->type == GFIN_PARAM_DATE) {
        if (v < d->min || v > d->max) {
            fmt_date_or_num(d, v, vs, sizeof vs);
            fmt_date_or_num(d, d->min, lo, sizeof lo);
            fmt_date_or_num(d, d->max, hi, sizeof hi);
            return gfin__fail(err, GFIN_EINVAL, path, "%s is outside %s .. %s", vs, lo, hi);
        }
        return GFIN_OK;
    }
    gfin_status st = gfin__check_range(path, d->unit, v, d->min, d->flags & GFIN_PF_MIN_EXCL, d->max,
                                       d->flags & GFIN_PF_MAX_EXCL, err);
    if (st)
        return st;
    if (d->allowed) {
        for (size_t i = 0; !isnan(d->allowed[i]); ++i)
            if (d->allowed[i] == v)
                return GFIN_OK;
        char list[80] = "";
        for (size_t i = 0; !isnan(d->allowed[i]); ++i) {
            size_t used = strlen(list);
            gfin__fmt_num(lo, sizeof lo, d->allowed[i]);
            snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", lo);
        }
        gfin__fmt_num(vs, sizeof vs, v);
        return gfin__fail(err, GFIN_EINVAL, path, "%s is not one of %s", vs, list);
    }
    return GFIN_OK;
}

gfin_status gfin__param_check(int key, double v, gfin_error *err)
{
    const gfin_param_def *d = gfin__param_def(key);
    if (!d)
        return gfin__fail(err, GFIN_EINVAL, "", "key %d is not a key", key);
    return check_value(d, v, d->name, err);
}

gfin_status gfin__pstore_set(gfin_pstore *s, int key, double value, gfin_error *err)
{
    const gfin_param_def *d = store_def(s, key);
    if (!d)
        return not_a_key(s, key, err);
    if (d->type == GFIN_PARAM_ARRAY || d->type == GFIN_PARAM_STRING)
        return wrong_type(d, err);
    gfin_status st = check_value(d, value, d->name, err);
    if (st)
        return st;
    gfin_pvalue *v = &s->v[key % 100];
    v->num = value;
    v->set = true;
    return GFIN_OK;
}

gfin_status gfin__pstore_set_array(gfin_pstore *s, int key, const double *vals, size_t n, gfin_error *err)
{
    const gfin_param_def *d = store_def(s, key);
    if (!d)
        return not_a_key(s, key, err);
    if (d->type != GFIN_PARAM_ARRAY)
        return wrong_type(d, err);
    gfin_pvalue *v = &s->v[key % 100];
    if (n == 0) {
        pvalue_clear(v);
        return GFIN_OK;
    }
    if (!vals)
        return gfin__fail(err, GFIN_EINVAL, d->name, "values are NULL");
    if (n > d->max_len)
        return gfin__fail(err, GFIN_EINVAL, d->name, "%zu values exceed the maximum of %zu", n, d->max_len);
    for (size_t i = 0; i < n; ++i) {
        gfin_status st = check_value(d, vals[i], d->name, err);
        if (st) {   /* the element's path, built only for the message */
            if (err)
                snprintf(err->path, sizeof err->path, "%s[%zu]", d->name, i);
            return st;
        }
    }
    double *copy = gfin__calloc(n, sizeof(double));
    if (!copy)
        return gfin__fail(err, GFIN_ENOMEM, d->name, "out of memory");
    memcpy(copy, vals, n * sizeof(double));
    pvalue_clear(v);
    v->data = copy;
    v->len = (uint32_t)n;   /* n <= max_len, at most a few thousand */
    v->set = true;
    return GFIN_OK;
}

gfin_status gfin__pstore_set_string(gfin_pstore *s, int key, const char *str, gfin_error *err)
{
    const gfin_param_def *d = store_def(s, key);
    if (!d)
        return not_a_key(s, key, err);
    if (d->type != GFIN_PARAM_STRING)
        return wrong_type(d, err);
    if (!str)
        return gfin__fail(err, GFIN_EINVAL, d->name, "is NULL");
    size_t len = strlen(str);
    if (len > GFIN_STRING_MAX)
        return gfin__fail(err, GFIN_EINVAL, d->name, "is %zu bytes long, more than %d", len, GFIN_STRING_MAX);
    char *copy = gfin__strdup(str);
    if (!copy)
        return gfin__fail(err, GFIN_ENOMEM, d->name, "out of memory");
    gfin_pvalue *v = &s->v[key % 100];
    pvalue_clear(v);
    v->data = copy;
    v->len = (uint32_t)len + 1;
    v->is_string = true;
    v->set = true;
    return GFIN_OK;
}

void gfin__pstore_unset(gfin_pstore *s, int key)
{
    if (store_def(s, key))
        pvalue_clear(&s->v[key % 100]);
}

gfin_status gfin__pstore_get(const gfin_pstore *s, int key, double *out)
{
    const gfin_param_def *d = store_def(s, key);
    if (!d || !out || d->type == GFIN_PARAM_ARRAY || d->type == GFIN_PARAM_STRING)
        return GFIN_EINVAL;
    const gfin_pvalue *v = &s->v[key % 100];
    if (v->set)
        *out = v->num;
    else if (d->flags & GFIN_PF_DEFAULT)
        *out = d->def;
    else
        return GFIN_ENOVALUE;
    return GFIN_OK;
}

const char *gfin__pstore_get_string(const gfin_pstore *s, int key)
{
    const gfin_param_def *d = store_def(s, key);
    return (d && d->type == GFIN_PARAM_STRING) ? gfin__p_str(s, key) : NULL;
}

gfin_status gfin__pstore_get_array(const gfin_pstore *s, int key, const double **v, size_t *n)
{
    const gfin_param_def *d = store_def(s, key);
    if (!d || d->type != GFIN_PARAM_ARRAY || !v || !n)
        return GFIN_EINVAL;
    *v = gfin__p_arr(s, key, n);
    return GFIN_OK;
}

/* The index among `stores` of the one holding `key`'s object, n if none. */
static size_t route_index(const gfin_pstore *const *stores, size_t n, int key)
{
    const gfin_param_def *d = gfin__param_def(key);
    size_t i = 0;
    while (d && i < n && stores[i]->object != d->object)
        ++i;
    return d ? i : n;
}

const gfin_pstore *gfin__pstore_route_const(const gfin_pstore *const *stores, size_t n, int key)
{
    size_t i = route_index(stores, n, key);
    return i < n ? stores[i] : NULL;
}

bool gfin__p_isset(const gfin_pstore *s, int key) { return s->v[key % 100].set; }

double gfin__p_num(const gfin_pstore *s, int key)
{
    double v;
    return gfin__pstore_get(s, key, &v) == GFIN_OK ? v : NAN;
}

const double *gfin__p_arr(const gfin_pstore *s, int key, size_t *len)
{
    const gfin_pvalue *v = &s->v[key % 100];
    *len = v->set ? v->len : 0;
    return v->set ? v->data : NULL;
}

const char *gfin__p_str(const gfin_pstore *s, int key)
{
    const gfin_pvalue *v = &s->v[key % 100];
    if (v->set && v->data)
        return v->data;
    const gfin_param_def *d = store_def(s, key);
    return (d && d->sdef) ? d->sdef : "";
}

gfin_pstore *gfin__pstore_route(gfin_pstore *const *stores, size_t n, int key)
{
    size_t i = route_index((const gfin_pstore *const *)stores, n, key);
    return i < n ? stores[i] : NULL;
}

/* ---- handle helpers: route the key, keep the last error ---- */

static gfin_status route_or_fail(gfin_pstore *const *stores, size_t n, gfin_error *last, int key,
                                 gfin_pstore **out)
{
    *out = gfin__pstore_route(stores, n, key);
    if (*out)
        return GFIN_OK;
    return gfin__fail(last, GFIN_EINVAL, "", "key %d is not a %s key", key, gfin__object_name(stores[0]->object));
}

gfin_status gfin__handle_set(gfin_pstore *const *stores, size_t n, gfin_error *last, int key, double v)
{
    gfin_pstore *s;
    gfin_status st = route_or_fail(stores, n, last, key, &s);
    return st ? st : gfin__pstore_set(s, key, v, last);
}

gfin_status gfin__handle_set_array(gfin_pstore *const *stores, size_t n, gfin_error *last, int key,
                                   const double *v, size_t len)
{
    gfin_pstore *s;
    gfin_status st = route_or_fail(stores, n, last, key, &s);
    return st ? st : gfin__pstore_set_array(s, key, v, len, last);
}

gfin_status gfin__handle_set_string(gfin_pstore *const *stores, size_t n, gfin_error *last, int key,
                                    const char *str)
{
    gfin_pstore *s;
    gfin_status st = route_or_fail(stores, n, last, key, &s);
    return st ? st : gfin__pstore_set_string(s, key, str, last);
}

gfin_status gfin__handle_get(gfin_pstore *const *stores, size_t n, int key, double *out)
{
    gfin_pstore *s = gfin__pstore_route(stores, n, key);
    return s ? gfin__pstore_get(s, key, out) : GFIN_EINVAL;
}

gfin_status gfin__handle_unset(gfin_pstore *const *stores, size_t n, int key)
{
    gfin_pstore *s = gfin__pstore_route(stores, n, key);
    if (!s)
        return GFIN_EINVAL;
    gfin__pstore_unset(s, key);
    return GFIN_OK;
}
