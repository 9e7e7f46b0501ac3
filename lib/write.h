/* write.h -- the writer core (write.c): text made piece by piece into a growing
 * buffer or, in chunks, into a caller's sink, with numbers, table cells and
 * JSON strings in the one form every writer uses. The CSV writers (write.c)
 * and the JSON writer (write_json.c) walk results with it; nothing is built in
 * between, so writing is linear in the size of the text. */
#ifndef GFIN_WRITE_H
#define GFIN_WRITE_H

#include "core.h"

#include <string.h>

typedef struct gfin_writer {
    char *buf;
    size_t len, cap;
    gfin_write_fn sink; /* NULL: the buffer grows and is handed to the caller */
    void *ctx;
    gfin_status st;     /* the first failure (GFIN_ENOMEM, GFIN_EIO); then nothing more is written */
} gfin_writer;

/* A writer into a growing buffer (nothing allocated yet). */
void gfin__w_init_buffer(gfin_writer *w);
/* A writer into `sink` through a 64 KiB buffer; GFIN_ENOMEM. */
gfin_status gfin__w_init_sink(gfin_writer *w, gfin_write_fn sink, void *ctx);
/* Room for n more bytes after w->len (buffer: grown; sink: flushed first);
 * NULL after a failure. */
char *gfin__w_room_slow(gfin_writer *w, size_t n);

static inline char *gfin__w_room(gfin_writer *w, size_t n)
{
    return w->len + n <= w->cap ? w->buf + w->len : gfin__w_room_slow(w, n);
}

static inline void gfin__w_put(gfin_writer *w, const char *s, size_t n)
{
    char *p = gfin__w_room(w, n);
    if (p) {
        memcpy(p, s, n);
        w->len += n;
    }
}

static inline void gfin__w_char(gfin_writer *w, char c)
{
    char *p = gfin__w_room(w, 1);
    if (p) {
        *p = c;
        w->len++;
    }
}

void gfin__w_str(gfin_writer *w, const char *s);
/* A finite number as gfin__dtoa writes it. */
void gfin__w_num(gfin_writer *w, double v);
/* A table cell as CSV writes it: empty when not finite, a date as YYYY-MM-DD,
 * an integer column without decimals, any other number as gfin__w_num. */
void gfin__w_cell(gfin_writer *w, double v, int kind);
/* A JSON string with its quotes, escaped as cJSON escapes (", \, \b \f \n \r
 * \t, other control characters as \u00xx; other bytes as they are). */
void gfin__w_json_string(gfin_writer *w, const char *s);

/* Ends a buffer writer: NUL-terminates and hands the text over (*out freed
 * with gfin_free), or frees it and fails with "out of memory writing <what>". */
gfin_status gfin__w_finish_buffer(gfin_writer *w, char **out, size_t *len, const char *what, gfin_error *err);
/* Ends a sink writer: flushes what is left and frees the buffer; GFIN_EIO
 * ("the sink refused the <what> text") or GFIN_ENOMEM. */
gfin_status gfin__w_finish_sink(gfin_writer *w, const char *what, gfin_error *err);

#endif /* GFIN_WRITE_H */
