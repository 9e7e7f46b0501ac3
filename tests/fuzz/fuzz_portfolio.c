/* fuzz_portfolio.c -- libFuzzer target: the bytes of one input are tried as a
 * portfolio file, as a loan and as a project. Whatever loads is evaluated and
 * written out; everything is freed. The target checks the library's promises
 * on every input, so a broken promise is a crash the fuzzer reports:
 *   - a refused input says why (an error code < 0 and a NUL-terminated message
 *     in the caller's gfin_error);
 *   - what loads evaluates to GFIN_OK or to a documented error code;
 *   - written JSON and CSV (every table of every result) are NUL-terminated,
 *     of the length reported, and never contain NaN or Infinity (non-finite
 *     cells are written null in JSON, empty in CSV).
 *
 * Build: meson setup <dir> -Dfuzzing=true with CC=clang (tests/fuzz/meson.build);
 * the same file is linked with replay.c into `fuzz_replay`, which `meson test`
 * runs over tests/fuzz/corpus in every build. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greenfin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs above this size are not tried: the fuzzer stays fast, and the
 * loaders' own 64 MiB limit is tested in test_limits.c. */
#define FUZZ_MAX_BYTES (64u * 1024u)

static void fail(const char *what, int code, const gfin_error *e)
{
    fprintf(stderr, "fuzz_portfolio: %s (status %d, error %d \"%.128s: %.256s\")\n", what, code,
            e ? e->code : 0, e ? e->path : "", e ? e->message : "");
    abort();
}

/* A refusal must carry a negative code and a message. Inputs are at most
 * 64 KiB, so "out of memory" is never a true answer here. */
static void check_refusal(const char *what, const gfin_error *e)
{
    if (e->code >= 0 || e->code == GFIN_ENOMEM || memchr(e->path, '\0', sizeof e->path) == NULL ||
        memchr(e->message, '\0', sizeof e->message) == NULL || e->message[0] == '\0')
        fail(what, e->code, e);
}

static int documented(int st)
{
    return st == GFIN_OK || st == GFIN_EINVAL || st == GFIN_ERANGE || st == GFIN_ENOCONV ||
           st == GFIN_ENOTAPPLICABLE;
}

/* Written text: NUL at len and no stray NUL inside. */
static void check_terminated(const char *what, const char *text, size_t len)
{
    if (!text || text[len] != '\0' || strlen(text) != len)
        fail(what, 0, NULL);
}

/* JSON out: outside strings, the only words are null, true and false, and the
 * only other letters are exponents; "nan", "inf", "NaN" or "Infinity" there is
 * a non-finite number written as such (the header promises null). */
static void check_json(const char *what, const char *text, size_t len)
{
    check_terminated(what, text, len);
    for (size_t i = 0; i < len; ++i) {
        char c = text[i];
        if (c == '"') {
            for (++i; i < len && text[i] != '"'; ++i)
                if (text[i] == '\\')
                    ++i;
            continue;
        }
        if ((c == 'e' || c == 'E') && i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9')
            continue;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            static const char *const words[] = {"null", "true", "false"};
            size_t k = 0;
            while (k < 3 && strncmp(text + i, words[k], strlen(words[k])) != 0)
                ++k;
            if (k == 3)
                fail(what, 0, NULL);
            i += strlen(words[k]) - 1;
        }
    }
}

/* CSV out: after the header line, only numbers, dates, commas and newlines
 * (a NaN cell is empty). */
static void check_csv(const char *what, const char *text, size_t len)
{
    check_terminated(what, text, len);
    const char *p = memchr(text, '\n', len);
    if (!p)
        fail(what, 0, NULL);
    for (++p; *p; ++p)
        if (!strchr("0123456789.eE+-,\n", *p))
            fail(what, 0, NULL);
}

/* Every table of a result and of its children as CSV. */
static void write_tables(const char *what, const gfin_result *r)
{
    for (size_t i = 0; i < gfin_result_table_count(r); ++i) {
        char *csv = NULL;
        size_t len = 0;
        gfin_error e = {0};
        gfin_status st = gfin_table_to_csv(gfin_result_table_at(r, i), &csv, &len, &e);
        if (st != GFIN_OK)
            fail(what, st, &e);
        check_csv(what, csv, len);
        gfin_free(csv);
    }
    for (size_t i = 0; i < gfin_result_child_count(r); ++i)
        write_tables(what, gfin_result_child(r, i));
}

static void write_result(const char *what, const gfin_result *r)
{
    char *json = NULL;
    size_t len = 0;
    gfin_error e = {0};
    gfin_status st = gfin_result_to_json(r, &json, &len, &e);
    if (st != GFIN_OK)
        fail(what, st, &e);
    check_json(what, json, len);
    gfin_free(json);
}

/* A file's risk object (docs/model.md "Risk"), run on at most 3 scenarios. */
static void try_risk(const char *text, size_t n)
{
    gfin_error e = {0};
    gfin_portfolio *pf = NULL;
    gfin_risk *rk = NULL;
    gfin_status st = gfin_risk_load_json(text, n, &pf, &rk, &e);
    if (st) {
        check_refusal("risk refused without a reason", &e);
        return;
    }
    gfin_risk_result *r = NULL;
    if (gfin_risk_scenarios(rk) > 3 && gfin_risk_set_scenarios(rk, 3, &e))
        fail("risk: 3 scenarios refused", e.code, &e);
    st = gfin_risk_run(rk, pf, 0, GFIN_RISK_REST, 1, &r, &e);
    if (!documented(st))
        fail("risk run: undocumented status", st, &e);
    if (st == GFIN_OK) {
        char *json = NULL;
        size_t len = 0;
        if ((st = gfin_risk_result_to_json(r, &json, &len, &e)))
            fail("risk result JSON", st, &e);
        check_json("risk result JSON", json, len);
        gfin_free(json);
    } else {
        check_refusal("risk run failed without a reason", &e);
    }
    gfin_risk_result_free(r);
    gfin_risk_free(rk);
    gfin_portfolio_free(pf);
}

static void try_portfolio(const char *text, size_t n)
{
    gfin_error e = {0};
    gfin_portfolio *pf = gfin_portfolio_from_json(text, n, &e);
    if (!pf) {
        check_refusal("portfolio refused without a reason", &e);
        return;
    }
    gfin_result *r = NULL;
    gfin_error ee = {0};
    gfin_status st = gfin_portfolio_evaluate(pf, 1, &r, &ee);
    if (!documented(st))
        fail("portfolio evaluation: undocumented status", st, &ee);
    if (st == GFIN_OK) {
        if (!r)
            fail("portfolio evaluation: GFIN_OK without a result", st, &ee);
        write_result("portfolio result JSON", r);
        write_tables("portfolio tables CSV", r);
        gfin_result_free(r);
    } else {
        check_refusal("portfolio evaluation failed without a reason", &ee);
    }
    gfin_portfolio_free(pf);
    try_risk(text, n);
}

static void try_loan(const char *text, size_t n)
{
    gfin_error e = {0};
    gfin_loan *l = gfin_loan_from_json(text, n, &e);
    if (!l) {
        check_refusal("loan refused without a reason", &e);
        return;
    }
    gfin_result *r = NULL;
    gfin_error ee = {0};
    gfin_status st = gfin_loan_evaluate_ge(l, 0.1, &r, &ee);
    if (!documented(st))
        fail("loan evaluation: undocumented status", st, &ee);
    if (st == GFIN_OK) {
        const gfin_table *t = gfin_result_table(r, "schedule");
        if (!t)
            fail("loan result without a schedule", 0, NULL);
        char *csv = NULL;
        size_t len = 0;
        gfin_error ce = {0};
        gfin_status cst = gfin_table_to_csv(t, &csv, &len, &ce);
        if (cst != GFIN_OK)
            fail("schedule CSV", cst, &ce);
        check_csv("schedule CSV", csv, len);
        gfin_free(csv);
        write_result("loan result JSON", r);
        gfin_result_free(r);
    } else {
        check_refusal("loan evaluation failed without a reason", &ee);
    }
    gfin_loan_free(l);
}

static void try_project(const char *text, size_t n)
{
    gfin_error e = {0};
    gfin_project *p = gfin_project_from_json(text, n, &e);
    if (!p) {
        check_refusal("project refused without a reason", &e);
        return;
    }
    gfin_result *r = NULL;
    gfin_error ee = {0};
    gfin_status st = gfin_project_evaluate(p, &r, &ee);
    if (!documented(st))
        fail("project evaluation: undocumented status", st, &ee);
    if (st == GFIN_OK) {
        write_result("project result JSON", r);
        write_tables("project tables CSV", r);
        gfin_result_free(r);
    } else {
        check_refusal("project evaluation failed without a reason", &ee);
    }
    gfin_project_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_BYTES)
        return 0;
    /* A copy of exactly `size` bytes, not NUL-terminated: the loaders take a
     * length and must not read past it (ASan sees any overread). */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    try_portfolio(text, size);
    try_loan(text, size);
    try_project(text, size);
    free(text);
    return 0;
}
