/* write_json.c -- results and tables as JSON, written straight from the result
 * through the writer core (no document tree): linear in the size of the text,
 * and with a sink, in constant memory however many projects a portfolio has.
 *
 * The text is byte for byte what 1.0 wrote through cJSON: no spaces, a newline
 * before each top-level member after "metrics" and between a portfolio's
 * projects or a project's loans, one at the end. */
#include "write.h"
#include "dates.h"
#include "table.h"
#include "result.h"

#include <math.h>

/* A number, or null when it has none (NaN) or none JSON can hold (+-Inf). */
static void json_number(gfin_writer *w, double v)
{
    if (isfinite(v))
        gfin__w_num(w, v);
    else
        gfin__w_put(w, "null", 4);
}

static void json_table(gfin_writer *w, const gfin_table *t)
{
    gfin__w_char(w, '{');
    for (size_t j = 0; j < t->cols && !w->st; ++j) {
        if (j)
            gfin__w_char(w, ',');
        gfin__w_json_string(w, t->names[j]);
        gfin__w_put(w, ":[", 2);
        const double *c = t->data + j * t->rows;
        bool dates = t->kinds[j] == GFIN_COL_DATE;
        for (size_t i = 0; i < t->rows; ++i) {
            /* a comma, a number or a quoted date: one reservation */
            char *p = gfin__w_room(w, GFIN_DTOA_BUF + 4);
            if (!p)
                return;
            if (i)
                *p++ = ',', w->len++;
            if (dates && isfinite(c[i])) {
                p[0] = '"';
                gfin__date_str((gfin_date)c[i], p + 1);
                p[11] = '"';
                w->len += 12;
            } else if (isfinite(c[i])) {
                w->len += gfin__dtoa(p, c[i]);
            } else {
                memcpy(p, "null", 4);
                w->len += 4;
            }
        }
        gfin__w_char(w, ']');
    }
    gfin__w_char(w, '}');
}

static void json_result(gfin_writer *w, const gfin_result *r)
{
    gfin__w_str(w, "{\"metrics\":{");
    for (size_t i = 0; i < gfin_result_metric_count(r); ++i) {
        gfin_metric m = gfin_result_metric_at(r, i);
        double v = NAN;
        if (i)
            gfin__w_char(w, ',');
        gfin__w_json_string(w, gfin_metric_name(m));
        gfin__w_char(w, ':');
        (void)gfin_result_metric(r, m, &v); /* a null metric leaves NaN: null */
        json_number(w, v);
    }
    gfin__w_char(w, '}');
    for (size_t i = 0; i < gfin_result_table_count(r); ++i) {
        gfin__w_put(w, ",\n", 2);
        gfin__w_json_string(w, gfin_result_table_name(r, i));
        gfin__w_char(w, ':');
        json_table(w, gfin_result_table_at(r, i));
    }
    gfin_result_kind kind = gfin_result_kind_of(r);
    if (kind != GFIN_RESULT_LOAN) {
        gfin__w_str(w, ",\n\"warnings\":[");
        for (size_t i = 0; i < gfin_result_warning_count(r); ++i) {
            if (i)
                gfin__w_char(w, ',');
            gfin__w_json_string(w, gfin_result_warning(r, i));
        }
        gfin__w_char(w, ']');
        /* A project always has "loans" and a portfolio "projects" ({} when empty). */
        gfin__w_str(w, kind == GFIN_RESULT_PORTFOLIO ? ",\n\"projects\":{" : ",\n\"loans\":{");
        for (size_t i = 0; i < gfin_result_child_count(r) && !w->st; ++i) {
            const gfin_result *c = gfin_result_child(r, i);
            if (i)
                gfin__w_put(w, ",\n", 2);
            gfin__w_json_string(w, gfin_result_id(c));
            gfin__w_char(w, ':');
            json_result(w, c);
        }
        gfin__w_char(w, '}');
    }
    gfin__w_char(w, '}');
}

gfin_status gfin_result_to_json(const gfin_result *r, char **out, size_t *len, gfin_error *err)
{
    if (!r || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "result and out must not be NULL");
    gfin_writer w;
    gfin__w_init_buffer(&w);
    json_result(&w, r);
    gfin__w_char(&w, '\n');
    return gfin__w_finish_buffer(&w, out, len, "JSON", err);
}

gfin_status gfin_table_to_json(const gfin_table *t, char **out, size_t *len, gfin_error *err)
{
    if (!t || !out)
        return gfin__fail(err, GFIN_EINVAL, "", "table and out must not be NULL");
    gfin_writer w;
    gfin__w_init_buffer(&w);
    json_table(&w, t);
    gfin__w_char(&w, '\n');
    return gfin__w_finish_buffer(&w, out, len, "JSON", err);
}

gfin_status gfin_result_write_json(const gfin_result *r, gfin_write_fn sink, void *ctx, gfin_error *err)
{
    if (!r || !sink)
        return gfin__fail(err, GFIN_EINVAL, "", "result and sink must not be NULL");
    gfin_writer w;
    if (gfin__w_init_sink(&w, sink, ctx))
        return gfin__fail(err, GFIN_ENOMEM, "", "out of memory writing JSON");
    json_result(&w, r);
    gfin__w_char(&w, '\n');
    return gfin__w_finish_sink(&w, "JSON", err);
}
