/* Tests for secret wiping (src/core/wipe.c). */
#include "core/wipe.h"
#include "harness.h"

#include <string.h>

static void test_wipe(void)
{
    uint8_t buf[40];

    memset(buf, 0xA5, sizeof buf);
    latch_wipe(buf + 4, 32);
    CHECK_EQ(buf[3], 0xA5);
    for (int i = 4; i < 36; i++) {
        CHECK_EQ(buf[i], 0);
    }
    CHECK_EQ(buf[36], 0xA5);
    latch_wipe(NULL, 10); /* NULL-safe */
}

static void test_secret(void)
{
    latch_secret s;
    uint8_t big[LATCH_SECRET_MAX + 10];

    memset(big, 0x5A, sizeof big);
    latch_secret_set(&s, big, 32);
    CHECK_EQ(s.len, 32);
    CHECK_EQ(s.b[31], 0x5A);
    latch_secret_set(&s, big, 3);
    CHECK_EQ(s.len, 3);
    CHECK_EQ(s.b[3], 0); /* the old, longer value is gone */
    latch_secret_set(&s, big, sizeof big);
    CHECK_EQ(s.len, LATCH_SECRET_MAX);
    latch_secret_wipe(&s);
    CHECK_EQ(s.len, 0);
    for (int i = 0; i < LATCH_SECRET_MAX; i++) {
        CHECK_EQ(s.b[i], 0);
    }
}

static const latch_test cases[] = {
    TEST(test_wipe),
    TEST(test_secret),
    {0},
};

LATCH_TEST_MAIN(cases)
