/*
 * The default clock (src/io/clock.c): seconds since the epoch, as time()
 * gives them, ignoring its user pointer; and it is what a config uses until
 * latch_config_set_time replaces it (and after it is reset with NULL).
 */
#include "harness.h"

#include "config.h"
#include "io/clock.h"

#include <time.h>

static void test_seconds_since_epoch(void)
{
    time_t before = time(NULL);
    int64_t now = latch__default_time(NULL);
    time_t after = time(NULL);

    CHECK(now >= (int64_t)before && now <= (int64_t)after);
    /* Seconds, not milliseconds: after 2020-01-01 and before 2100-01-01. */
    CHECK(now > INT64_C(1577836800));
    CHECK(now < INT64_C(4102444800));
}

static void test_ignores_user(void)
{
    int dummy = 7;
    int64_t a = latch__default_time(&dummy), b = latch__default_time(NULL);

    CHECK(b - a >= 0 && b - a <= 1);
    CHECK_EQ(dummy, 7);
}

static int64_t fixed_clock(void *user)
{
    return *(const int64_t *)user;
}

/* Configs read the time through the clock; the default one is this file's. */
static void test_config_default_and_reset(void)
{
    static int64_t fixed = 1234567;
    latch_config *cfg;
    int64_t t;

    REQUIRE_OK(latch_config_new(&cfg));
    t = latch__config_now(cfg);
    CHECK(t - latch__default_time(NULL) <= 1 && latch__default_time(NULL) - t <= 1);
    REQUIRE_OK(latch_config_set_time(cfg, fixed_clock, &fixed));
    CHECK_EQ(latch__config_now(cfg), 1234567);
    /* NULL puts the default clock back. */
    REQUIRE_OK(latch_config_set_time(cfg, NULL, &fixed));
    t = latch__config_now(cfg);
    CHECK(t > INT64_C(1577836800));
    latch_config_free(cfg);
}

static const latch_test cases[] = {
    TEST(test_seconds_since_epoch),
    TEST(test_ignores_user),
    TEST(test_config_default_and_reset),
    {0},
};

LATCH_TEST_MAIN(cases)
