/* replay.c -- runs LLVMFuzzerTestOneInput over files, as libFuzzer would but
 * without it: every build (gcc or clang, with or without sanitizers) replays
 * the seed corpus and the regression inputs in `meson test` (suite "fuzz").
 *
 * Usage: fuzz_replay DIR|FILE...   Each regular file of a directory (not
 * recursive), in name order, is one input, run in a child process of its own
 * so that one failing input (the target aborts, a sanitizer reports) does not
 * hide the others: every failing file is listed at the end. Exit status 0
 * when every input ran cleanly. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return 1;
    }
    size_t got;
    while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            unsigned char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                return 1;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        fprintf(stderr, "replay: cannot read %s\n", path);
        return 1;
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        free(buf);
        fprintf(stderr, "replay: fork failed\n");
        return 1;
    }
    if (pid == 0) {
        /* An exact-size heap copy, as libFuzzer passes it, so an overread is
         * seen. exit(), not _exit(): coverage data and leak checks run at exit. */
        unsigned char *exact = malloc(len ? len : 1);
        if (!exact)
            exit(3);
        memcpy(exact, buf, len);
        free(buf);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
        exit(0);
    }
    free(buf);
    int ws = 0;
    if (waitpid(pid, &ws, 0) != pid)
        return 1;
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0)
        return 0;
    if (WIFSIGNALED(ws))
        fprintf(stderr, "replay: FAILED %s: killed by signal %d\n", path, WTERMSIG(ws));
    else
        fprintf(stderr, "replay: FAILED %s: exit status %d\n", path, WEXITSTATUS(ws));
    return 1;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int run_dir(const char *dir, size_t *count, size_t *failed)
{
    DIR *d = opendir(dir);
    if (!d) {
        ++*count;
        if (run_file(dir) == 0)
            return 0;
        ++*failed;
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn) {
                rc = 1;
                break;
            }
            names = nn;
        }
        size_t l = strlen(dir) + strlen(de->d_name) + 2;
        if (!(names[n] = malloc(l))) {
            rc = 1;
            break;
        }
        snprintf(names[n], l, "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp);
    for (size_t i = 0; i < n; ++i) {
        struct stat sb;
        if (stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode)) {
            if (run_file(names[i])) {
                rc = 1;
                ++*failed;
            }
            ++*count;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
        return 2;
    }
    size_t count = 0, failed = 0;
    int rc = 0;
    for (int i = 1; i < argc; ++i)
        rc |= run_dir(argv[i], &count, &failed);
    if (count == 0) {
        fprintf(stderr, "replay: no inputs\n");
        return 1;
    }
    printf("replay: %zu inputs ran, %zu failed\n", count, failed);
    return rc;
}
