/* Tests for the constant-time helpers (src/core/ct.c). */
#include "core/ct.h"
#include "harness.h"

#include <string.h>

static void test_eq(void)
{
    uint8_t a[33], b[33];

    for (int i = 0; i < 33; i++) {
        a[i] = b[i] = (uint8_t)i;
    }
    CHECK_EQ(latch_ct_eq(a, b, 33), 1);
    CHECK_EQ(latch_ct_eq(a, b, 0), 1);
    for (int i = 0; i < 33; i++) {
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (uint8_t)(1 << bit);
            CHECK_EQ(latch_ct_eq(a, b, 33), 0);
            b[i] ^= (uint8_t)(1 << bit);
        }
    }
}

static void test_masks(void)
{
    static const uint32_t v[] = {0, 1, 2, 0x7FFFFFFF, 0x80000000u, 0xFFFFFFFFu, 12345};

    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        CHECK_EQ(latch_ct_is_zero(v[i]), v[i] == 0 ? 0xFFFFFFFFu : 0);
        for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
            CHECK_EQ(latch_ct_eq32(v[i], v[j]), v[i] == v[j] ? 0xFFFFFFFFu : 0);
            CHECK_EQ(latch_ct_lt32(v[i], v[j]), v[i] < v[j] ? 0xFFFFFFFFu : 0);
        }
    }
}

static void test_select(void)
{
    uint8_t d[4] = {1, 2, 3, 4};
    const uint8_t s[4] = {9, 9, 9, 9};

    const uint8_t orig[4] = {1, 2, 3, 4};

    latch_ct_select(d, s, 4, 0);
    CHECK_MEM(d, 4, orig, 4);
    latch_ct_select(d, s, 4, 0xFFFFFFFFu);
    CHECK_MEM(d, 4, s, 4);
}

static void test_last_nonzero(void)
{
    uint8_t b[40] = {0};

    CHECK_EQ(latch_ct_last_nonzero(b, 0), 0);
    CHECK_EQ(latch_ct_last_nonzero(b, sizeof b), 0);
    for (size_t i = 0; i < sizeof b; i++) {
        for (unsigned v = 1; v < 256; v += 127) { /* 1, 128, 255 */
            /* A fresh buffer each time (GCC 12.2 -O2 drops a store in the "set, check, reset" form). */
            memset(b, 0, sizeof b);
            b[i] = (uint8_t)v;
            CHECK_EQ(latch_ct_last_nonzero(b, sizeof b), i + 1);
            CHECK_EQ(latch_ct_last_nonzero(b, i), 0); /* limited to n */
            CHECK_EQ(latch_ct_last_nonzero(b, i + 1), i + 1); /* the last byte, in a tail of any length */
            CHECK_EQ(latch_ct_last_nonzero(b + 1, sizeof b - 1), i); /* unaligned */
            b[0] |= 7;
            CHECK_EQ(latch_ct_last_nonzero(b, sizeof b), i + 1);
        }
    }
}

/* Against a plain scan: every length up to several 64-byte blocks plus a
 * tail, every position of the last non-zero byte, with and without other
 * non-zero bytes before it. */
static size_t naive_last_nonzero(const uint8_t *p, size_t n)
{
    while (n > 0 && p[n - 1] == 0) {
        n--;
    }
    return n;
}

static void test_last_nonzero_blocks(void)
{
    static uint8_t b[301];

    for (size_t n = 0; n <= 300; n++) {
        for (size_t i = 0; i <= n; i++) {
            memset(b, 0, sizeof b);
            if (i < n) {
                b[i] = (uint8_t)(1 + i % 255);
            }
            b[n] = 0xEE; /* beyond n: must be ignored */
            CHECK_EQ(latch_ct_last_nonzero(b, n), naive_last_nonzero(b, n));
            if (i > 3 && i < n) {
                b[i / 2] = 0x80;
                b[0] = 1;
                CHECK_EQ(latch_ct_last_nonzero(b, n), naive_last_nonzero(b, n));
            }
        }
    }
}

/* Record-sized inputs, across the scan's 64-block segments (16 KiB) and its tail. */
static void test_last_nonzero_long(void)
{
    static uint8_t b[40001];
    static const size_t lens[] = {16383, 16384, 16385, 16640, 16641, 16897, 32768, 40000};

    for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
        size_t n = lens[l];
        const size_t at[] = {0, 1, 255, 256, 16383, 16384, 16385, 16639, 16640, n - 2, n - 1};

        memset(b, 0, sizeof b);
        b[n] = 0xEE;
        CHECK_EQ(latch_ct_last_nonzero(b, n), 0);
        for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
            if (at[i] >= n) {
                continue;
            }
            memset(b, 0, n);
            b[at[i]] = (uint8_t)(0x11 * (i + 1));
            CHECK_EQ(latch_ct_last_nonzero(b, n), at[i] + 1);
            /* Earlier non-zero bytes change nothing, also at a higher
             * offset within their block than the last one has in its. */
            b[0] = 1;
            if (at[i] >= 256 && at[i] % 256 != 255) {
                b[255] = 0x7F;
                b[(at[i] / 256 - 1) * 256 + 255] = 0x3C;
            }
            CHECK_EQ(latch_ct_last_nonzero(b, n), at[i] + 1);
        }
    }
}

static const latch_test cases[] = {
    TEST(test_eq),
    TEST(test_masks),
    TEST(test_select),
    TEST(test_last_nonzero),
    TEST(test_last_nonzero_blocks),
    TEST(test_last_nonzero_long),
    {0},
};

LATCH_TEST_MAIN(cases)
