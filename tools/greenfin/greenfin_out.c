/* greenfin_out.c -- staged output files: all of a run's output, or none. */
#include "greenfin_out.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the run created, in order: files (under `tmp` until committed) and
 * directories. */
typedef struct entry {
    char *path; /* final name */
    char *tmp;  /* NULL for a directory */
    bool committed;
} entry;

static entry *g_entries;
static size_t g_count, g_cap;

static int out_of_memory(const char *path)
{
    fprintf(stderr, "greenfin: %s: out of memory\n", path);
    return GF_OUT_ERROR;
}

static int record(const char *path, const char *tmp)
{
    if (g_count == g_cap) {
        size_t cap = g_cap ? 2 * g_cap : 64;
        entry *bigger = realloc(g_entries, cap * sizeof *bigger);
        if (!bigger)
            return out_of_memory(path);
        g_entries = bigger;
        g_cap = cap;
    }
    entry e = {strdup(path), tmp ? strdup(tmp) : NULL, false};
    if (!e.path || (tmp && !e.tmp)) {
        free(e.path);
        free(e.tmp);
        return out_of_memory(path);
    }
    g_entries[g_count++] = e;
    return 0;
}

static void forget(void)
{
    for (size_t i = 0; i < g_count; ++i) {
        free(g_entries[i].path);
        free(g_entries[i].tmp);
    }
    free(g_entries);
    g_entries = NULL;
    g_count = g_cap = 0;
}

int gf_out_mkdirs(const char *dir)
{
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s", dir) >= sizeof path) {
        fprintf(stderr, "greenfin: %s: %s\n", dir, strerror(ENAMETOOLONG));
        return GF_OUT_ERROR;
    }
    for (char *p = path + 1;; ++p) {
        if (*p == '/' || !*p) {
            char c = *p;
            *p = '\0';
            struct stat sb;
            if (mkdir(path, 0777) == 0) {
                if (record(path, NULL))
                    return GF_OUT_ERROR;
            } else if (errno != EEXIST || stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
                fprintf(stderr, "greenfin: %s: %s\n", path, errno == EEXIST ? strerror(ENOTDIR) : strerror(errno));
                return GF_OUT_ERROR;
            }
            *p = c;
            if (!c)
                return 0;
        }
    }
}

int gf_out_join(char *out, size_t n, const char *dir, const char *name)
{
    if ((size_t)snprintf(out, n, "%s/%s", dir, name) >= n) {
        fprintf(stderr, "greenfin: %s/%s: %s\n", dir, name, strerror(ENAMETOOLONG));
        return GF_OUT_ERROR;
    }
    return 0;
}

FILE *gf_out_open(const char *path)
{
    /* beside the final name, so that the rename stays in one file system */
    char tmp[PATH_MAX];
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path + 1) : 0;
    if ((size_t)snprintf(tmp, sizeof tmp, "%.*s.%s.%ld.tmp", dir_len, path, path + dir_len, (long)getpid()) >=
        sizeof tmp) {
        fprintf(stderr, "greenfin: %s: %s\n", path, strerror(ENAMETOOLONG));
        return NULL;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "greenfin: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    if (record(path, tmp)) {
        fclose(f);
        unlink(tmp);
        return NULL;
    }
    return f;
}

int gf_out_close(FILE *f, const char *path)
{
    int failed = ferror(f);
    int saved = errno;
    if (f == stdout)
        failed |= fflush(f) != 0;
    else
        failed |= fclose(f) != 0;
    if (failed) {
        if (!errno)
            errno = saved;
        fprintf(stderr, "greenfin: %s: %s\n", path, errno ? strerror(errno) : "write error");
        return GF_OUT_ERROR;
    }
    return 0;
}

int gf_out_sink(void *ctx, const char *data, size_t len)
{
    return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

void gf_out_rollback(void)
{
    for (size_t i = g_count; i-- > 0;) {
        entry *e = &g_entries[i];
        if (!e->tmp)
            rmdir(e->path); /* only when empty: what was there before stays */
        else
            unlink(e->committed ? e->path : e->tmp);
    }
    forget();
}

int gf_out_commit(void)
{
    for (size_t i = 0; i < g_count; ++i) {
        entry *e = &g_entries[i];
        if (!e->tmp)
            continue;
        if (rename(e->tmp, e->path) != 0) {
            fprintf(stderr, "greenfin: %s: %s\n", e->path, strerror(errno));
            gf_out_rollback();
            return GF_OUT_ERROR;
        }
        e->committed = true;
    }
    forget();
    return 0;
}
