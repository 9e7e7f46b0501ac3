/* test_data.h -- a file of tests/data for the Criterion suites: meson sets
 * GFIN_TEST_DATA to that folder. */
#ifndef GFIN_TEST_DATA_H
#define GFIN_TEST_DATA_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

/* The whole file `name`, NUL-terminated, malloc'd (the caller frees it);
 * *len (optional) its size. A missing variable or file fails the test. */
static inline char *gfin_test_read(const char *name, size_t *len)
{
    const char *dir = getenv("GFIN_TEST_DATA");
    cr_assert_not_null(dir, "set GFIN_TEST_DATA to tests/data (tests/meson.build does)");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = malloc((size_t)n + 1);
    cr_assert_not_null(text);
    cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return text;
}

#endif /* GFIN_TEST_DATA_H */
