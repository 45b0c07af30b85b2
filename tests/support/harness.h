/*
 * A small test harness. A test file lists its cases and ends with
 * LATCH_TEST_MAIN(cases); each CHECK reports file:line and the values on
 * failure, and the process exits non-zero if any check failed.
 *
 *   static void test_truncation(void) { CHECK_ERR(latch_rd_u8(&r, &v), LATCH_ERR_DECODE); }
 *   static const latch_test cases[] = { TEST(test_truncation), {0} };
 *   LATCH_TEST_MAIN(cases)
 */
#ifndef LATCH_TEST_HARNESS_H
#define LATCH_TEST_HARNESS_H

#include <latch/error.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct latch_test {
    const char *name;
    void (*fn)(void);
} latch_test;

#define TEST(fn) {#fn, fn}

extern int latch_test_failures;

void latch_test_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int latch_test_run(const latch_test *cases, int argc, char **argv);
void latch_test_check_mem(const char *file, int line, const char *what, const void *got, size_t got_len,
                          const void *want, size_t want_len);

#define LATCH_TEST_MAIN(cases)                                             \
    int main(int argc, char **argv)                                        \
    {                                                                      \
        return latch_test_run(cases, argc, argv);                          \
    }

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            latch_test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);       \
        }                                                                  \
    } while (0)

/* Like CHECK, but stops the test case on failure. */
#define REQUIRE(cond)                                                      \
    do {                                                                   \
        if (!(cond)) {                                                     \
            latch_test_fail(__FILE__, __LINE__, "REQUIRE(%s)", #cond);     \
            return;                                                        \
        }                                                                  \
    } while (0)

#define CHECK_EQ(got, want)                                                \
    do {                                                                   \
        long long g_ = (long long)(got), w_ = (long long)(want);           \
        if (g_ != w_) {                                                    \
            latch_test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #got, g_, w_); \
        }                                                                  \
    } while (0)

/* Exact error codes: `CHECK_ERR(call, LATCH_ERR_DECODE)`. */
#define CHECK_ERR(call, want)                                              \
    do {                                                                   \
        latch_err g_ = (call);                                             \
        latch_err w_ = (want);                                             \
        if (g_ != w_) {                                                    \
            latch_test_fail(__FILE__, __LINE__, "%s returned %s, expected %s", #call, \
                            latch_err_name(g_), latch_err_name(w_));       \
        }                                                                  \
    } while (0)

#define CHECK_OK(call) CHECK_ERR(call, LATCH_OK)

#define REQUIRE_OK(call)                                                   \
    do {                                                                   \
        latch_err g_ = (call);                                             \
        if (g_ != LATCH_OK) {                                              \
            latch_test_fail(__FILE__, __LINE__, "%s returned %s", #call, latch_err_name(g_)); \
            return;                                                        \
        }                                                                  \
    } while (0)

#define CHECK_MEM(got, got_len, want, want_len) \
    latch_test_check_mem(__FILE__, __LINE__, #got, (got), (got_len), (want), (want_len))

/* Hex helpers (whitespace in the input is ignored). Returns bytes written, or
 * (size_t)-1 on bad input or overflow. */
/* True when the suite runs under valgrind (tests/valgrind.sh sets
 * LATCH_TEST_VALGRIND): exhaustive loops over libcrypto's own work (every
 * truncation of a DER key, 3072- and 4096-bit key generation) take a sample
 * there; natively and under ASan they run in full. */
bool latch_test_under_valgrind(void);

size_t latch_test_unhex(const char *hex, uint8_t *out, size_t cap);
/* Decode into a static ring of buffers; aborts on bad input. For tests only. */
const uint8_t *latch_test_hexbuf(const char *hex, size_t *len);

#endif
