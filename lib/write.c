/* write.c -- the writer core and the CSV writers (of a table, of a result's
 * metrics): the only code that turns results into text, with write_json.c. */
#include "write.h"
#include "dates.h"
#include "table.h"
#include "result.h"

#include <math.h>
#include <stdio.h>

#define SINK_CHUNK ((size_t)64 * 1024)

void gfin__w_init_buffer(gfin_writer *w) { *w = (gfin_writer){0}; }

gfin_status gfin__w_init_sink(gfin_writer *w, gfin_write_fn sink, void *ctx)
{
    *w = (gfin_writer){.sink = sink, .ctx = ctx};
    w->buf = gfin__malloc(SINK_CHUNK);
    if (!w->buf)
        return w->st = GFIN_ENOMEM;
    w->cap = SINK_CHUNK;
    return GFIN_OK;
}

static void flush(gfin_writer *w)
{
    if (!w->st && w->len && w->sink(w->ctx, w->buf, w->len) != 0)
        w->st = GFIN_EIO;
    w->len = 0;
}

char *gfin__w_room_slow(gfin_writer *w, size_t n)
{
    if (w->st)
        return NULL;
    if (w->sink) {
        flush(w);
        if (w->st)
            return NULL;
        if (n <= w->cap)
            return w->buf;
        /* a piece longer than the chunk (a long string): the buffer grows */
    }
    /* one more byte for the NUL that finish_buffer adds */
    if (gfin__grow((void **)&w->buf, &w->cap, w->len + n + 1, 1)) {
        w->st = GFIN_ENOMEM;
        return NULL;
    }
    return w->buf + w->len;
}

void gfin__w_str(gfin_writer *w, const char *s) { gfin__w_put(w, s, strlen(s)); }

void gfin__w_num(gfin_writer *w, double v)
{
    char *p = gfin__w_room(w, GFIN_DTOA_BUF);
    if (p)
        w->len += gfin__dtoa(p, v);
}

void gfin__w_cell(gfin_writer *w, double v, int kind)
{
    if (!isfinite(v)) /* no value (NaN), or none representable: an empty cell, as JSON's null */
        return;
    if (kind == GFIN_COL_DATE) {
        char *p = gfin__w_room(w, 16);
        if (p) {
            gfin__date_str((gfin_date)v, p);
            w->len += 10;
        }
        return;
    }
    if (kind == GFIN_COL_INTEGER && fabs(v) < 9e15 && !(fabs(v) < 1e15 && v == floor(v))) {
        /* gfin__w_num writes the whole numbers below 1e15 this way too */
        char *p = gfin__w_room(w, GFIN_DTOA_BUF);
        if (p)
            w->len += (size_t)snprintf(p, GFIN_DTOA_BUF, "%.0f", v);
        return;
    }
    gfin__w_num(w, v);
}

void gfin__w_json_string(gfin_writer *w, const char *s)
{
    gfin__w_char(w, '"');
    for (;;) {
        /* the run of bytes that need no escape, in one piece */
        size_t n = 0;
        while ((unsigned char)s[n] >= 0x20 && s[n] != '"' && s[n] != '\\')
            n++;
        gfin__w_put(w, s, n);
        s += n;
        if (!*s)
            break;
        unsigned char c = (unsigned char)*s++;
        char esc[8] = {'\\', 0};
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
        }
        gfin__w_str(w, esc);
    }
    gfin__w_char(w, '"');
}

gfin_status gfin__w_finish_buffer(gfin_writer *w, char **out, size_t *len, const char *what, gfin_error *err)
{
    if (!w->st && w->len + 1 > w->cap)
        (void)gfin__w_room_slow(w, 1);
    if (w->st) {
        gfin__free(w->buf);
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory writing %s", what);
    }
    w->buf[w->len] = '\0';
    *out = w->buf;
    if (len)
        *len = w->len;
    return GFIN_OK;
}

gfin_status gfin__w_finish_sink(gfin_writer *w, const char *what, gfin_error *err)
{
    flush(w);
    gfin__free(w->buf);
    w->buf = NULL;
    if (w->st == GFIN_EIO)
        return gfin__fail(err, GFIN_EIO, "", "the sink refused the %s text", what);
    if (w->st)
        return gfin__fail(err, w->st, "", "out of memory writing %s", what);
    return GFIN_OK;
}

/* ======================================================================== */
/* CSV                                                                      */
/* ======================================================================== */

static void metrics_csv(gfin_writer *w, const gfin_result *r)
{
    gfin__w_str(w, "name,value\n");
    for (size_t i = 0; i < gfin_result_metric_count(r); ++i) {
        gfin_metric m = gfin_result_metric_at(r, i);
        double v = NAN;
        (void)gfin_result_metric(r, m, &v); /* a null metric leaves NaN: an empty cell */
        gfin__w_str(w, gfin_metric_name(m));
        gfin__w_char(w, ',');
        gfin__w_cell(w, v, GFIN_COL_NUMBER);
        gfin__w_char(w, '\n');
    }
}

static void table_csv(gfin_writer *w, const gfin_table *t)
{
    for (size_t j = 0; j < t->cols; ++j) {
        if (j)
            gfin__w_char(w, ',');
        gfin__w_str(w, t->names[j]);
    }
    gfin__w_char(w, '\n');
    for (size_t i = 0; i < t->rows && !w->st; ++i) {
        for (size_t j = 0; j < t->cols; ++j) {
            if (j)
                gfin__w_char(w, ',');
            gfin__w_cell(w, t->data[j * t->rows + i], t->kinds[j]);
        }
        gfin__w_char(w, '\n');
    }
}

gfin_status gfin_result_metrics_to_csv(const gfin_result *r, char **out, size_t *len, gfin_error *err)
{
    if (!r || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "result and out must not be NULL");
    gfin_writer w;
    gfin__w_init_buffer(&w);
    metrics_csv(&w, r);
    return gfin__w_finish_buffer(&w, out, len, "CSV", err);
}

gfin_status gfin_table_to_csv(const gfin_table *t, char **out, size_t *len, gfin_error *err)
{
    if (!t || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "table and out must not be NULL");
    gfin_writer w;
    gfin__w_init_buffer(&w);
    table_csv(&w, t);
    return gfin__w_finish_buffer(&w, out, len, "CSV", err);
}

gfin_status gfin_result_write_metrics_csv(const gfin_result *r, gfin_write_fn sink, void *ctx, gfin_error *err)
{
    if (!r || !sink)
        return gfin__fail(err, GFIN_EINVAL, "", "result and sink must not be NULL");
    gfin_writer w;
    if (gfin__w_init_sink(&w, sink, ctx))
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory writing CSV");
    metrics_csv(&w, r);
    return gfin__w_finish_sink(&w, "CSV", err);
}

gfin_status gfin_table_write_csv(const gfin_table *t, gfin_write_fn sink, void *ctx, gfin_error *err)
{
    if (!t || !sink)
        return gfin__fail(err, GFIN_EINVAL, "", "table and sink must not be NULL");
    gfin_writer w;
    if (gfin__w_init_sink(&w, sink, ctx))
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory writing CSV");
    table_csv(&w, t);
    return gfin__w_finish_sink(&w, "CSV", err);
}
