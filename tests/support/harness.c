/* The test harness. See harness.h. */
#include "harness.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int latch_test_failures;
static const char *current;

void latch_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    latch_test_failures++;
    fprintf(stderr, "FAIL %s: %s:%d: ", current ? current : "?", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void dump(const char *label, const uint8_t *p, size_t n)
{
    fprintf(stderr, "  %s (%zu):", label, n);
    for (size_t i = 0; i < n && i < 96; i++) {
        fprintf(stderr, "%s%02x", (i % 32 == 0) ? "\n    " : " ", p[i]);
    }
    fprintf(stderr, "%s\n", n > 96 ? " ..." : "");
}

void latch_test_check_mem(const char *file, int line, const char *what, const void *got, size_t got_len,
                          const void *want, size_t want_len)
{
    if (got_len == want_len && (want_len == 0 || memcmp(got, want, want_len) == 0)) {
        return;
    }
    latch_test_fail(file, line, "%s differs", what);
    dump("got", got, got_len);
    dump("want", want, want_len);
}

int latch_test_run(const latch_test *cases, int argc, char **argv)
{
    int ran = 0;

    for (const latch_test *t = cases; t->name != NULL; t++) {
        int before = latch_test_failures;

        if (argc > 1 && strstr(t->name, argv[1]) == NULL) {
            continue;
        }
        current = t->name;
        t->fn();
        ran++;
        printf("%s %s\n", latch_test_failures == before ? "ok  " : "FAIL", t->name);
    }
    printf("%d cases, %d failed checks\n", ran, latch_test_failures);
    return latch_test_failures == 0 ? 0 : 1;
}

static int nib(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = tolower(c);
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

size_t latch_test_unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;

    for (; *hex != '\0'; hex++) {
        int v;

        if (isspace((unsigned char)*hex)) {
            continue;
        }
        v = nib((unsigned char)*hex);
        if (v < 0) {
            return (size_t)-1;
        }
        if (hi < 0) {
            hi = v;
            continue;
        }
        if (n == cap) {
            return (size_t)-1;
        }
        out[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    return hi < 0 ? n : (size_t)-1;
}

const uint8_t *latch_test_hexbuf(const char *hex, size_t *len)
{
    static uint8_t ring[8][8192];
    static unsigned next;
    uint8_t *buf = ring[next++ % 8];
    size_t n = latch_test_unhex(hex, buf, sizeof ring[0]);

    if (n == (size_t)-1) {
        fprintf(stderr, "bad hex in test: %.40s\n", hex);
        abort();
    }
    if (len != NULL) {
        *len = n;
    }
    return buf;
}

bool latch_test_under_valgrind(void)
{
    return getenv("LATCH_TEST_VALGRIND") != NULL;
}
