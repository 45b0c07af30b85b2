/*
 * A main() for the fuzz targets without libFuzzer: runs each file named on
 * the command line (a directory: each file in it) through
 * LLVMFuzzerTestOneInput once. This is how `make check` replays every
 * corpus under gcc (and `make asan` under the sanitizers), so that a fixed
 * crash kept in a corpus stays fixed.
 */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static size_t runs;

static void run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        exit(1);
    }
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
    /* An exact-size copy, so ASan sees reads past the end of the input. */
    {
        uint8_t *exact = malloc((size_t)n > 0 ? (size_t)n : 1);

        if (exact == NULL) {
            exit(1);
        }
        memcpy(exact, buf, (size_t)n);
        (void)LLVMFuzzerTestOneInput(exact, (size_t)n);
        free(exact);
    }
    free(buf);
    runs++;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s does not exist\n", path);
        exit(1);
    }
    if (!S_ISDIR(st.st_mode)) {
        run_file(path);
        return;
    }
    d = opendir(path);
    if (d == NULL) {
        exit(1);
    }
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, cap * sizeof *names);
            if (names == NULL) {
                exit(1);
            }
        }
        names[n] = malloc(strlen(path) + strlen(de->d_name) + 2);
        if (names[n] == NULL) {
            exit(1);
        }
        sprintf(names[n], "%s/%s", path, de->d_name);
        n++;
    }
    closedir(d);
    if (n > 0) {
        qsort(names, n, sizeof *names, by_name);
    }
    for (size_t i = 0; i < n; i++) {
        run_path(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        run_path(argv[i]);
    }
    printf("replayed %zu inputs\n", runs);
    return 0;
}
