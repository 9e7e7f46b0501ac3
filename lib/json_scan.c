/* json_scan.c -- JSON text to a checked tree, and the checked readers of that
 * tree; with json.c (the loaders) and json_risk.c, the only code that knows
 * cJSON.
 *
 * The text is first checked by a small RFC 8259 scanner of our own (size,
 * nesting depth, syntax with line and column, UTF-8), so cJSON's parser only
 * sees valid documents (its error reporting writes a process-global, which a
 * thread-safe library cannot use). Then the readers walk the tree with the
 * JSON path of where they are: every key goes through the registry (unknown
 * keys are refused with the nearest valid name), values are checked for their
 * type here and for their bounds by the same setters C callers use, and every
 * error carries the path.
 */
#include "dates.h"
#include "params.h"
#include "json.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* ======================================================================== */
/* Syntax pre-check                                                         */
/* ======================================================================== */

typedef struct scan {
    const unsigned char *s;
    size_t len, pos;
    int depth;
    gfin_error *err;
    gfin_status st;
} scan;

static gfin_status scan_fail(scan *sc, gfin_status code, const char *what)
{
    size_t line = 1, col = 1;
    for (size_t i = 0; i < sc->pos && i < sc->len; ++i) {
        if (sc->s[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    if (!sc->st)
        sc->st = gfin__fail(sc->err, code, "", "line %zu, column %zu: %s", line, col, what);
    return sc->st;
}

static void skip_ws(scan *sc)
{
    while (sc->pos < sc->len) {
        unsigned char c = sc->s[sc->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        sc->pos++;
    }
}

static bool peek(scan *sc, unsigned char c) { return sc->pos < sc->len && sc->s[sc->pos] == c; }

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Length of a valid UTF-8 sequence starting at p (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    size_t k;
    unsigned min;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        k = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        k = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        k = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (k > n)
        return 0;
    for (size_t i = 1; i < k; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k;
}

/* The code unit of the \\uXXXX escape at `at` (its backslash). false when the
 * document ends first (sc->st unset) or a digit is not hex (sc->st set). */
static bool hex4(scan *sc, size_t at, unsigned *cp)
{
    if (at + 6 > sc->len)
        return false;
    *cp = 0;
    for (size_t i = 2; i < 6; ++i) {
        int h = hexval(sc->s[at + i]);
        if (h < 0) {
            scan_fail(sc, GFIN_EPARSE, "invalid \\u escape");
            return false;
        }
        *cp = *cp << 4 | (unsigned)h;
    }
    return true;
}

static gfin_status scan_string(scan *sc)
{
    sc->pos++; /* opening quote */
    while (sc->pos < sc->len) {
        unsigned char c = sc->s[sc->pos];
        if (c == '"') {
            sc->pos++;
            return GFIN_OK;
        }
        if (c < 0x20)
            return scan_fail(sc, GFIN_EPARSE, "control character in a string");
        if (c == '\\') {
            if (sc->pos + 1 >= sc->len)
                break;
            unsigned char e = sc->s[sc->pos + 1];
            if (e == 'u') {
                unsigned cp;
                if (!hex4(sc, sc->pos, &cp))
                    return sc->st ? sc->st : scan_fail(sc, GFIN_EPARSE, "unterminated string");
                if (cp == 0)
                    return scan_fail(sc, GFIN_EINVAL, "\\u0000 is not allowed in a string");
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return scan_fail(sc, GFIN_EPARSE, "invalid \\u escape: a low surrogate without a high one");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned lo;
                    if (sc->pos + 12 > sc->len || sc->s[sc->pos + 6] != '\\' || sc->s[sc->pos + 7] != 'u' ||
                        !hex4(sc, sc->pos + 6, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                        return sc->st ? sc->st
                                      : scan_fail(sc, GFIN_EPARSE,
                                                  "invalid \\u escape: a high surrogate without a low one");
                    sc->pos += 6;
                }
                sc->pos += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || !e)
                return scan_fail(sc, GFIN_EPARSE, "invalid escape in a string");
            sc->pos += 2;
            continue;
        }
        size_t k = utf8_len(sc->s + sc->pos, sc->len - sc->pos);
        if (!k)
            return scan_fail(sc, GFIN_EPARSE, "invalid UTF-8 in a string");
        sc->pos += k;
    }
    return scan_fail(sc, GFIN_EPARSE, "unterminated string");
}

static bool digits(scan *sc)
{
    size_t start = sc->pos;
    while (sc->pos < sc->len && sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9')
        sc->pos++;
    return sc->pos > start;
}

static gfin_status scan_number(scan *sc)
{
    if (peek(sc, '-'))
        sc->pos++;
    if (peek(sc, '0'))
        sc->pos++;
    else if (!digits(sc))
        return scan_fail(sc, GFIN_EPARSE, "invalid number");
    if (peek(sc, '.')) {
        sc->pos++;
        if (!digits(sc))
            return scan_fail(sc, GFIN_EPARSE, "invalid number: digits expected after '.'");
    }
    if (peek(sc, 'e') || peek(sc, 'E')) {
        sc->pos++;
        if (peek(sc, '+') || peek(sc, '-'))
            sc->pos++;
        if (!digits(sc))
            return scan_fail(sc, GFIN_EPARSE, "invalid number: digits expected in the exponent");
    }
    return GFIN_OK;
}

static gfin_status scan_value(scan *sc);

static gfin_status scan_container(scan *sc, unsigned char close)
{
    if (++sc->depth > GFIN_JSON_MAX_DEPTH)
        return scan_fail(sc, GFIN_EINVAL, "nesting deeper than 64 levels");
    sc->pos++;
    skip_ws(sc);
    if (peek(sc, close)) {
        sc->pos++;
        sc->depth--;
        return GFIN_OK;
    }
    for (;;) {
        if (close == '}') {
            skip_ws(sc);
            if (!peek(sc, '"'))
                return scan_fail(sc, GFIN_EPARSE, "expected a string key");
            if (scan_string(sc))
                return sc->st;
            skip_ws(sc);
            if (!peek(sc, ':'))
                return scan_fail(sc, GFIN_EPARSE, "expected ':' after a key");
            sc->pos++;
        }
        if (scan_value(sc))
            return sc->st;
        skip_ws(sc);
        if (peek(sc, ',')) {
            sc->pos++;
            continue;
        }
        if (peek(sc, close)) {
            sc->pos++;
            sc->depth--;
            return GFIN_OK;
        }
        return scan_fail(sc, GFIN_EPARSE, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static gfin_status scan_value(scan *sc)
{
    skip_ws(sc);
    if (sc->pos >= sc->len)
        return scan_fail(sc, GFIN_EPARSE, "unexpected end of the document");
    unsigned char c = sc->s[sc->pos];
    if (c == '{' || c == '[')
        return scan_container(sc, c == '{' ? '}' : ']');
    if (c == '"')
        return scan_string(sc);
    if (c == '-' || (c >= '0' && c <= '9'))
        return scan_number(sc);
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; ++i) {
        size_t n = strlen(words[i]);
        if (sc->len - sc->pos >= n && memcmp(sc->s + sc->pos, words[i], n) == 0) {
            sc->pos += n;
            return GFIN_OK;
        }
    }
    if (c == 'N' || c == 'I' || c == 'n' || c == 'i')
        return scan_fail(sc, GFIN_EPARSE, "NaN and Infinity are not JSON numbers");
    return scan_fail(sc, GFIN_EPARSE, "unexpected character");
}

static pthread_mutex_t g_cjson_parse = PTHREAD_MUTEX_INITIALIZER;

/* cJSON allocates through hooks of its own, process-global. When the caller
 * has set greenfin's allocator hook, cJSON is pointed at it too (once, the
 * first time a JSON call runs), so that the hook sees every allocation made on
 * the library's behalf, as the header promises. The hooks forward to
 * gfin__malloc/gfin__free, so they follow the allocator even if it is reset.
 * Side effect, documented with gfin_set_allocator: another user of cJSON in
 * the same process then allocates through greenfin's hook too, and hooks it
 * had set with cJSON_InitHooks are replaced. Without a greenfin hook cJSON is
 * left alone. */
static void *cjson_malloc(size_t n) { return gfin__malloc(n); }
static void cjson_free(void *p) { gfin__free(p); }
static void install_cjson_hooks(void)
{
    cJSON_Hooks hooks = {.malloc_fn = cjson_malloc, .free_fn = cjson_free};
    cJSON_InitHooks(&hooks);
}
static pthread_once_t g_cjson_hooks_once = PTHREAD_ONCE_INIT;
static void use_library_allocator(void)
{
    if (!gfin__allocator_is_default())
        pthread_once(&g_cjson_hooks_once, install_cjson_hooks);
}

/* The document after the checks (json.h). */
cJSON *gfin__json_parse(const char *text, size_t len, gfin_error *err)
{
    if (!text) {
        gfin__fail(err, GFIN_EINVAL, "", "text is NULL");
        return NULL;
    }
    if (len > GFIN_JSON_MAX_BYTES) {
        gfin__fail(err, GFIN_EINVAL, "", "the document is %zu bytes, more than the 64 MiB limit", len);
        return NULL;
    }
    /* A UTF-8 byte-order mark (EF BB BF), which editors on Windows write at
     * the start of a file, is not part of the document (RFC 8259 section 8.1
     * lets a parser ignore it). Lines and columns count from after it. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    scan sc = {.s = (const unsigned char *)text, .len = len, .err = err};
    if (scan_value(&sc))
        return NULL;
    skip_ws(&sc);
    if (sc.pos != len) {
        scan_fail(&sc, GFIN_EPARSE, "content after the end of the document");
        return NULL;
    }
    /* cJSON_ParseWithLength writes cJSON's process-global error record on
     * every call, successful or not: parses are serialized so that loads
     * from several threads do not race on it (everything else runs in
     * parallel). */
    use_library_allocator();
    pthread_mutex_lock(&g_cjson_parse);
    cJSON *root = cJSON_ParseWithLength(text, len);
    pthread_mutex_unlock(&g_cjson_parse);
    if (!root)
        gfin__fail(err, GFIN_ENOMEM, "", "out of memory parsing the document");
    return root;
}

/* ======================================================================== */
/* Reading the tree, with paths                                             */
/* ======================================================================== */

const char *gfin__json_type_name(const cJSON *v)
{
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsBool(v))
        return "a boolean";
    return "null";
}

const cJSON *gfin__json_member(const cJSON *obj, const char *key)
{
    for (const cJSON *c = obj->child; c; c = c->next)
        if (strcmp(c->string, key) == 0)
            return c;
    return NULL;
}

void gfin__json_join(char *out, size_t n, const char *path, const char *key)
{
    snprintf(out, n, "%s%s%s", path, *path ? "." : "", key);
}

static gfin_status unknown_key(const char *path, const char *key, gfin_object obj, const char *const *extra,
                               gfin_error *err)
{
    const char *names[GFIN_STORE_SLOTS + 8];
    size_t n = gfin__param_names(obj, names, GFIN_STORE_SLOTS);
    for (size_t i = 0; extra && extra[i]; ++i)
        names[n++] = extra[i];
    char full[160];
    gfin__json_join(full, sizeof full, path, key);
    const char *near = gfin__nearest_name(key, names, n);
    if (near)
        return gfin__fail(err, GFIN_EINVAL, full, "unknown key '%s' (did you mean '%s'?)", key, near);
    return gfin__fail(err, GFIN_EINVAL, full, "unknown key '%s' for a %s", key, gfin__object_name(obj));
}

/* JSON has no Infinity: a non-finite value is a number written beyond the
 * double range (1e400), said as such. */
gfin_status gfin__json_double(const cJSON *v, const char *name, size_t index, double *out, gfin_error *err)
{
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
        *out = v->valuedouble;
        return GFIN_OK;
    }
    char at[sizeof err->path];
    if (index == GFIN_JSON_NO_INDEX)
        snprintf(at, sizeof at, "%s", name);
    else
        snprintf(at, sizeof at, "%s[%zu]", name, index);
    if (!cJSON_IsNumber(v))
        return gfin__fail(err, GFIN_EINVAL, at, "expected a number, got %s", gfin__json_type_name(v));
    return gfin__fail(err, GFIN_EINVAL, at, "%s is beyond the range of a double (about 1.8e308)",
                      v->valuedouble > 0 ? "the number" : "the negative number");
}

double *gfin__json_doubles(const cJSON *arr, size_t n, const char *name, gfin_status *st, gfin_error *err)
{
    double *vals = gfin__calloc(n, sizeof *vals);
    if (!vals) {
        *st = gfin__fail(err, GFIN_ENOMEM, name, "out of memory");
        return NULL;
    }
    *st = GFIN_OK;
    size_t i = 0;
    for (const cJSON *e = arr->child; e && i < n && !*st; e = e->next, ++i)
        *st = gfin__json_double(e, name, i, &vals[i], err);
    if (*st) {
        gfin__free(vals);
        return NULL;
    }
    return vals;
}

gfin_status gfin__json_choice(const cJSON *v, const char *at, const char *const *names, size_t n, int *out,
                              gfin_error *err)
{
    if (cJSON_IsString(v))
        for (size_t i = 0; i < n; ++i)
            if (strcmp(v->valuestring, names[i]) == 0) {
                *out = (int)i;
                return GFIN_OK;
            }
    char list[160];
    gfin__names_list(names, n, list, sizeof list);
    if (!cJSON_IsString(v))
        return gfin__fail(err, GFIN_EINVAL, at, "expected one of %s, got %s", list, gfin__json_type_name(v));
    const char *near = gfin__nearest_name(v->valuestring, names, n);
    if (near)
        return gfin__fail(err, GFIN_EINVAL, at, "'%.40s' is not one of %s (did you mean '%s'?)", v->valuestring, list,
                          near);
    return gfin__fail(err, GFIN_EINVAL, at, "'%.40s' is not one of %s", v->valuestring, list);
}

/* A choice key from its name; a near miss is suggested. */
static gfin_status set_choice(gfin_pstore *s, const gfin_param_def *d, const cJSON *v, gfin_error *err)
{
    size_t n = 0;
    while (d->choices[n])
        n++;
    int i;
    gfin_status st = gfin__json_choice(v, d->name, d->choices, n, &i, err);
    return st ? st : gfin__pstore_set(s, d->key, (double)i, err);
}

/* An array key: 1 to max_len finite numbers. */
static gfin_status set_array(gfin_pstore *s, const gfin_param_def *d, const cJSON *v, gfin_error *err)
{
    if (!cJSON_IsArray(v))
        return gfin__fail(err, GFIN_EINVAL, d->name, "expected an array of numbers, got %s", gfin__json_type_name(v));
    size_t n = 0;
    for (const cJSON *e = v->child; e; e = e->next)
        if (++n > d->max_len)
            return gfin__fail(err, GFIN_EINVAL, d->name, "has more than %zu values", d->max_len);
    if (n == 0)
        return gfin__fail(err, GFIN_EINVAL, d->name, "is an empty array: give at least one value or leave the key out");
    gfin_status st;
    double *vals = gfin__json_doubles(v, n, d->name, &st, err);
    if (vals)
        st = gfin__pstore_set_array(s, d->key, vals, n, err);
    gfin__free(vals);
    return st;
}

/* Sets key d from JSON value v; errors name the key (or key[i]) alone, and
 * set_from_json puts the object's path in front: the path is only built for
 * a message (loading checks every value it reads). */
static gfin_status set_value(gfin_pstore *s, const gfin_param_def *d, const cJSON *v, gfin_error *err)
{
    const char *name = d->name;
    switch (d->type) {
    case GFIN_PARAM_NUMBER:
    case GFIN_PARAM_INTEGER: {
        double x;
        gfin_status st = gfin__json_double(v, name, GFIN_JSON_NO_INDEX, &x, err);
        return st ? st : gfin__pstore_set(s, d->key, x, err);
    }
    case GFIN_PARAM_CHOICE:
        return set_choice(s, d, v, err);
    case GFIN_PARAM_ARRAY:
        return set_array(s, d, v, err);
    case GFIN_PARAM_STRING:
        if (!cJSON_IsString(v))
            return gfin__fail(err, GFIN_EINVAL, name, "expected a string, got %s", gfin__json_type_name(v));
        return gfin__pstore_set_string(s, d->key, v->valuestring, err);
    case GFIN_PARAM_DATE: {
        gfin_date date;
        if (!cJSON_IsString(v))
            return gfin__fail(err, GFIN_EINVAL, name, "expected a date \"YYYY-MM-DD\", got %s",
                              gfin__json_type_name(v));
        if (gfin__date_parse(v->valuestring, &date))
            return gfin__fail(err, GFIN_EINVAL, name, "'%.40s' is not a date (YYYY-MM-DD)", v->valuestring);
        return gfin__pstore_set(s, d->key, date, err);
    }
    }
    return gfin__fail(err, GFIN_EINVAL, name, "has a type the loader does not know");
}

static gfin_status set_from_json(gfin_pstore *s, const gfin_param_def *d, const cJSON *v, const char *path,
                                 gfin_error *err)
{
    gfin_status st = set_value(s, d, v, err);
    if (st)
        gfin__error_prefix(err, path);
    return st;
}

gfin_status gfin__json_load_object(const cJSON *obj, gfin_pstore *s, const char *path,
                                   const char *const *structural, gfin_error *err)
{
    if (!cJSON_IsObject(obj))
        return gfin__fail(err, GFIN_EINVAL, path, "expected an object, got %s", gfin__json_type_name(obj));
    bool seen[GFIN_STORE_SLOTS] = {false};
    unsigned seen_structural = 0;
    for (const cJSON *c = obj->child; c; c = c->next) {
        const char *key = c->string;
        size_t si = 0;
        while (structural && structural[si] && strcmp(structural[si], key) != 0)
            si++;
        bool dup;
        if (structural && structural[si]) {
            dup = seen_structural & (1u << si);
            seen_structural |= 1u << si;
        } else {
            const gfin_param_def *d = gfin__param_find(s->object, key);
            if (!d)
                return unknown_key(path, key, s->object, structural, err);
            dup = seen[d->key % 100];
            seen[d->key % 100] = true;
            if (!dup) {
                gfin_status st = set_from_json(s, d, c, path, err);
                if (st)
                    return st;
            }
        }
        if (dup) {
            char full[160];
            gfin__json_join(full, sizeof full, path, key);
            return gfin__fail(err, GFIN_EINVAL, full, "duplicate key '%s'", key);
        }
    }
    return GFIN_OK;
}

gfin_status gfin__json_each_element(const cJSON *obj, const char *key, const char *path, void *ctx,
                                    gfin_json_element_fn each, gfin_error *err)
{
    const cJSON *arr = gfin__json_member(obj, key);
    if (!arr)
        return GFIN_OK;
    char full[160];
    gfin__json_join(full, sizeof full, path, key);
    if (!cJSON_IsArray(arr))
        return gfin__fail(err, GFIN_EINVAL, full, "expected an array, got %s", gfin__json_type_name(arr));
    size_t i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, ++i) {
        char epath[sizeof full + 24];
        snprintf(epath, sizeof epath, "%s[%zu]", full, i);
        gfin_status st = each(ctx, e, epath, err);
        if (st)
            return st;
    }
    return GFIN_OK;
}

gfin_status gfin__json_load_sub(const cJSON *obj, const char *key, gfin_pstore *s, const char *path,
                                gfin_error *err)
{
    const cJSON *sub = gfin__json_member(obj, key);
    if (!sub)
        return GFIN_OK;
    char full[160];
    gfin__json_join(full, sizeof full, path, key);
    return gfin__json_load_object(sub, s, full, NULL, err);
}
