/* greenfin_out.h -- the `greenfin` command's output files (greenfin_out.c).
 *
 * A run either leaves all its output or none of it: every file is written
 * under a temporary name beside where it goes (".<name>.<pid>.tmp") and
 * renamed when the whole run has succeeded (gf_out_commit); a run that fails
 * removes what it wrote and the directories it created (gf_out_rollback).
 * Files already in the output directory are replaced only on success. Errors
 * are printed as "greenfin: <path>: <reason>", the path being the file's
 * final name, and returned as exit status 2. Not thread-safe (one run). */
#ifndef GREENFIN_OUT_H
#define GREENFIN_OUT_H

#include <stddef.h>
#include <stdio.h>

#define GF_OUT_ERROR 2 /* the command's exit status for a file that cannot be written */

/* mkdir -p; the directories it creates are removed again by a rollback. */
int gf_out_mkdirs(const char *dir);
/* dir/name into out; ENAMETOOLONG reported. */
int gf_out_join(char *out, size_t n, const char *dir, const char *name);
/* Opens the temporary file of `path` for writing; NULL after printing why. */
FILE *gf_out_open(const char *path);
/* Closes f (standard output: flushes it), reporting a write error on `path`. */
int gf_out_close(FILE *f, const char *path);
/* A gfin_write_fn writing into the FILE * ctx. */
int gf_out_sink(void *ctx, const char *data, size_t len);
/* Renames every file of the run to its final name; on failure undoes the run. */
int gf_out_commit(void);
/* Removes every file of the run and the directories it created. */
void gf_out_rollback(void);

#endif /* GREENFIN_OUT_H */
