/* core.c -- version, status codes, errors and the allocator hook. */
#include "core.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The allocator hook: the one piece of process-wide state, set once before use
 * (gfin_set_allocator's contract), then only read. */
static gfin_malloc_fn g_malloc = malloc;
static gfin_realloc_fn g_realloc = realloc;
static gfin_free_fn g_free = free;

int gfin_version(void) { return GFIN_VERSION_NUMBER; }

const char *gfin_version_string(void) { return GFIN_VERSION_STRING; }

const char *gfin_strerror(int status)
{
    switch (status) {
    case GFIN_OK: return "success";
    case GFIN_EINVAL: return "invalid argument or input";
    case GFIN_ENOMEM: return "out of memory";
    case GFIN_ERANGE: return "result not representable";
    case GFIN_ENOCONV: return "no solution or no convergence";
    case GFIN_EPARSE: return "malformed JSON";
    case GFIN_EIO: return "input/output error";
    case GFIN_ENOTAPPLICABLE: return "methodology not applicable";
    case GFIN_ENOVALUE: return "no value";
    default: return "unknown status";
    }
}

/* The enumerators bindings need by name: statuses, key types, column kinds and
 * result kinds. A test compares this list with the header's enums. */
#define GFIN_ENUMERATOR(e) { #e, e }
static const struct {
    const char *name;
    int value;
} enumerators[] = {
    GFIN_ENUMERATOR(GFIN_OK), GFIN_ENUMERATOR(GFIN_EINVAL), GFIN_ENUMERATOR(GFIN_ENOMEM),
    GFIN_ENUMERATOR(GFIN_ERANGE), GFIN_ENUMERATOR(GFIN_ENOCONV), GFIN_ENUMERATOR(GFIN_EPARSE),
    GFIN_ENUMERATOR(GFIN_EIO), GFIN_ENUMERATOR(GFIN_ENOTAPPLICABLE), GFIN_ENUMERATOR(GFIN_ENOVALUE),
    GFIN_ENUMERATOR(GFIN_PARAM_NUMBER), GFIN_ENUMERATOR(GFIN_PARAM_INTEGER), GFIN_ENUMERATOR(GFIN_PARAM_CHOICE),
    GFIN_ENUMERATOR(GFIN_PARAM_ARRAY), GFIN_ENUMERATOR(GFIN_PARAM_STRING), GFIN_ENUMERATOR(GFIN_PARAM_DATE),
    GFIN_ENUMERATOR(GFIN_COL_NUMBER), GFIN_ENUMERATOR(GFIN_COL_INTEGER), GFIN_ENUMERATOR(GFIN_COL_DATE),
    GFIN_ENUMERATOR(GFIN_RESULT_LOAN), GFIN_ENUMERATOR(GFIN_RESULT_PROJECT), GFIN_ENUMERATOR(GFIN_RESULT_PORTFOLIO),
};
#undef GFIN_ENUMERATOR

gfin_status gfin_enum_value(const char *name, int *out, gfin_error *err)
{
    if (!name || !out)
        return gfin__fail(err, GFIN_EINVAL, name ? "out" : "name", "is NULL");
    for (size_t i = 0; i < sizeof enumerators / sizeof enumerators[0]; ++i)
        if (strcmp(enumerators[i].name, name) == 0) {
            *out = enumerators[i].value;
            return GFIN_OK;
        }
    return gfin__fail(err, GFIN_EINVAL, name, "is not an enumerator of gfin_status, gfin_param_type, "
                      "gfin_column_kind or gfin_result_kind");
}

gfin_status gfin_error_status(const gfin_error *err) { return err ? (gfin_status)err->code : GFIN_OK; }

gfin_status gfin_set_allocator(gfin_malloc_fn m, gfin_realloc_fn r, gfin_free_fn f)
{
    if (!m && !r && !f) {
        g_malloc = malloc;
        g_realloc = realloc;
        g_free = free;
        return GFIN_OK;
    }
    if (!m || !r || !f)
        return GFIN_EINVAL;
    g_malloc = m;
    g_realloc = r;
    g_free = f;
    return GFIN_OK;
}

void gfin_free(void *ptr) { gfin__free(ptr); }

bool gfin__allocator_is_default(void) { return g_malloc == malloc && g_realloc == realloc && g_free == free; }

void *gfin__malloc(size_t size) { return g_malloc(size ? size : 1); }

void *gfin__calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    void *p = g_malloc(bytes ? bytes : 1);
    if (p)
        memset(p, 0, bytes);
    return p;
}

void *gfin__realloc(void *ptr, size_t size) { return g_realloc(ptr, size ? size : 1); }

void gfin__free(void *ptr)
{
    if (ptr)
        g_free(ptr);
}

char *gfin__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = gfin__malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

gfin_status gfin__grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return GFIN_OK;
    size_t c = *cap ? *cap : 4;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return GFIN_ENOMEM;
        c *= 2;
    }
    if (c > SIZE_MAX / elem)
        return GFIN_ENOMEM;
    void *p = gfin__realloc(*arr, c * elem);
    if (!p)
        return GFIN_ENOMEM;
    *arr = p;
    *cap = c;
    return GFIN_OK;
}

void gfin__strlcpy(char *dst, const char *src, size_t n)
{
    if (!n)
        return;
    size_t len = strlen(src);
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

gfin_status gfin__fail(gfin_error *err, gfin_status code, const char *path, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    gfin__strlcpy(err->path, path ? path : "", sizeof err->path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

void gfin__error_prefix(gfin_error *err, const char *prefix)
{
    if (!err || !prefix || !*prefix)
        return;
    char buf[sizeof err->path * 2 + 8];
    const char *sep = (err->path[0] == '\0' || err->path[0] == '[') ? "" : ".";
    snprintf(buf, sizeof buf, "%s%s%s", prefix, sep, err->path);
    gfin__strlcpy(err->path, buf, sizeof err->path);
}

gfin_status gfin__check_range(const char *path, const char *unit, double v, double lo, bool lo_excl, double hi,
                              bool hi_excl, gfin_error *err)
{
    const bool below = lo_excl ? v <= lo : v < lo, above = hi_excl ? v >= hi : v > hi;
    if (isfinite(v) && !below && !above)
        return GFIN_OK; /* the common case: no formatting */
    char vs[40], bs[40], us[48] = "";
    gfin__fmt_num(vs, sizeof vs, v);
    if (!isfinite(v))
        return gfin__fail(err, GFIN_EINVAL, path, "%s is not a finite number", vs);
    if (unit && *unit)
        snprintf(us, sizeof us, " (%s)", unit);
    if (below) {
        gfin__fmt_num(bs, sizeof bs, lo);
        return gfin__fail(err, GFIN_EINVAL, path, lo_excl ? "%s must be greater than %s%s"
                                                          : "%s is below the minimum %s%s", vs, bs, us);
    }
    gfin__fmt_num(bs, sizeof bs, hi);
    return gfin__fail(err, GFIN_EINVAL, path, hi_excl ? "%s must be less than %s%s" : "%s is above the maximum %s%s",
                      vs, bs, us);
}

void gfin__fmt_num(char *buf, size_t n, double v)
{
    char tmp[GFIN_DTOA_BUF];
    gfin__dtoa(tmp, v);
    gfin__strlcpy(buf, tmp, n);
}

/* ---- "did you mean": the nearest name by edit distance ---- */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; ++j)
        row[j] = j;
    for (size_t i = 1; i <= la; ++i) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; ++j) {
            size_t cur = row[j];
            size_t sub = prev + (a[i - 1] != b[j - 1]);
            size_t del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
        }
    }
    return row[lb];
}

/* The nearest of `names` to `word`, if near enough to be a likely typo. */
const char *gfin__nearest_name(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; ++i) {
        size_t d = edit_distance(word, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    size_t limit = strlen(word) / 3 + 1;
    return (best && best_d <= (limit > 3 ? 3 : limit)) ? best : NULL;
}
