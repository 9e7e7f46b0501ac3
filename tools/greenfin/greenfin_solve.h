/* greenfin_solve.h -- `greenfin solve` (greenfin_solve.c): its
 * options, the goal seek on a project or portfolio file, and the "solve"
 * part of its output; greenfin.c writes the rest like `project` or `report`.
 * Private to the command; it uses only the public API. */
#ifndef GREENFIN_SOLVE_H
#define GREENFIN_SOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "greenfin.h"

#define GF_SOLVE_USAGE \
    "usage: greenfin solve FILE|- --vary KEY [--project ID] [--loan ID] --target METRIC=VALUE\n" \
    "                      [--scope portfolio|ID] [--format text|json|csv] [--output DIR] [--threads N]\n" \
    "\n" \
    "Goal seek: the value of the input KEY at which METRIC equals VALUE, searched\n" \
    "within the key's bounds (README.md \"Goal seek\"). FILE is a project object or\n" \
    "a portfolio file. The output is the result at that value, as 'project' or\n" \
    "'report' writes it, with a \"solve\" part first (CSV: solve.csv).\n" \
    "\n" \
    "options:\n"
#define GF_SOLVE_OPTIONS \
    "  --vary KEY          a number key: tariff_per_mwh, capex, loan.principal,\n" \
    "                      debt_sizing.target_dscr, fund.management_fee, ...\n" \
    "                      (OBJECT.NAME where the name alone is ambiguous)\n" \
    "  --project ID        the project whose key varies (a portfolio file)\n" \
    "  --loan ID           the loan whose key varies (when the project has several)\n" \
    "  --target M=V        the metric and the value it must reach (npv=0, min_dscr=1.3)\n" \
    "  --scope S           the result the metric is read from: portfolio or a project\n" \
    "                      id (default: the portfolio when it has the metric, else the\n" \
    "                      varied project)\n" \
    "  --threads N         worker threads for a portfolio, 0 for one per core\n"

typedef struct gf_solve_args {
    const char *vary, *project, *loan, *target, *scope;   /* NULL: not given */
} gf_solve_args;

/* Whether `option` ("--vary", ...) is one of solve's own. */
bool gf_solve_takes(const char *option);
/* Records an option's value; 2 (and a message) for a repeated option. */
int gf_solve_option(gf_solve_args *a, const char *option, const char *value);
/* The first required option missing ("--vary", "--target"), or NULL. */
const char *gf_solve_missing(const gf_solve_args *a);

/* A goal seek done: the inputs (one of project and portfolio), the result at
 * the value found and the outcome. */
typedef struct gf_solved {
    gfin_project *project;
    gfin_portfolio *portfolio;
    gfin_result *result;
    gfin_key key;
    gfin_metric metric;
    double target, value, reached;
    int iterations;
    const char *project_id, *loan_id;   /* the options' (NULL: not given) */
} gf_solved;

/* Loads the document (a portfolio file, else a project object) and runs the
 * goal seek. On failure *e says why, its path an option ("--vary") or the
 * input's field, and *out holds nothing to free. */
gfin_status gf_solve_run(const gf_solve_args *a, const char *text, size_t len, int threads, gf_solved *out,
                         gfin_error *e);
void gf_solved_free(gf_solved *s);

/* The "solve" object: `"solve":{...},` for the head of the JSON document,
 * a few lines of text, and DIR/solve.csv (an exit status: 0, or 2 with a
 * message). */
void gf_solve_json_head(FILE *f, const gf_solved *s);
void gf_solve_text_head(FILE *f, const gf_solved *s);
int gf_solve_write_csv(const char *dir, const gf_solved *s);

#endif /* GREENFIN_SOLVE_H */
