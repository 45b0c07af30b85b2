/* The server session cache (src/hs/cache.c). */
#include "harness.h"

#include "hs/cache.h"

#include <string.h>

static latch_session sample(uint8_t tag)
{
    latch_session s;

    memset(&s, 0, sizeof s);
    s.version = LATCH_TLS12;
    s.suite = 0xC02B;
    memset(s.secret.b, tag, 48);
    s.secret.len = 48;
    s.issued = 1000;
    s.lifetime = 100;
    return s;
}

static void test_put_get_take(void)
{
    latch_cache *c;
    latch_session s = sample(1), t;
    const uint8_t id[] = "session-one";

    REQUIRE_OK(latch_cache_new(NULL, 4, &c));
    REQUIRE_OK(latch_cache_put(c, id, sizeof id, &s));
    CHECK_EQ(latch_cache_count(c), 1);
    CHECK_OK(latch_cache_get(c, id, sizeof id, 1050, false, &t));
    CHECK_EQ(t.secret.b[0], 1);
    CHECK_OK(latch_cache_get(c, id, sizeof id, 1050, true, &t)); /* single use */
    CHECK_ERR(latch_cache_get(c, id, sizeof id, 1050, false, &t), LATCH_ERR_BAD_PSK);
    CHECK_EQ(latch_cache_count(c), 0);
    CHECK_ERR(latch_cache_get(c, id, 0, 1050, false, &t), LATCH_ERR_BAD_PSK);
    latch_cache_free(c);
}

static void test_expiry_and_eviction(void)
{
    latch_cache *c;
    latch_session t;
    uint8_t id[4] = {0};

    REQUIRE_OK(latch_cache_new(NULL, 3, &c));
    for (uint8_t i = 0; i < 5; i++) {
        latch_session s = sample(i);

        id[0] = i;
        REQUIRE_OK(latch_cache_put(c, id, sizeof id, &s));
    }
    CHECK_EQ(latch_cache_count(c), 3); /* bounded: 0 and 1 were evicted */
    id[0] = 0;
    CHECK_ERR(latch_cache_get(c, id, sizeof id, 1000, false, &t), LATCH_ERR_BAD_PSK);
    id[0] = 4;
    CHECK_OK(latch_cache_get(c, id, sizeof id, 1000, false, &t));
    CHECK_EQ(t.secret.b[0], 4);
    /* Expired entries are refused and dropped. */
    CHECK_ERR(latch_cache_get(c, id, sizeof id, 1100, false, &t), LATCH_ERR_BAD_PSK);
    CHECK_EQ(latch_cache_count(c), 2);
    /* Replacing an id keeps one entry. */
    {
        latch_session s = sample(9);

        id[0] = 3;
        REQUIRE_OK(latch_cache_put(c, id, sizeof id, &s));
        CHECK_EQ(latch_cache_count(c), 2);
        CHECK_OK(latch_cache_get(c, id, sizeof id, 1000, false, &t));
        CHECK_EQ(t.secret.b[0], 9);
    }
    latch_cache_free(c);
    CHECK_ERR(latch_cache_new(NULL, 0, &c), LATCH_ERR_INVALID_ARGUMENT);
    CHECK(c == NULL);
    latch_cache_free(NULL);
}

static const latch_test cases[] = {
    TEST(test_put_get_take),
    TEST(test_expiry_and_eviction),
    {0},
};

LATCH_TEST_MAIN(cases)
