/* Tests for KeyUpdate (src/msg/key_update.c). */
#include "msg_test_util.h"

static uint8_t g_v;

static latch_err parse(latch_rd body)
{
    return latch_key_update_parse(body, &g_v);
}

static latch_err build1(latch_wr *w)
{
    return latch_key_update_build(w, LATCH_KEY_UPDATE_REQUESTED);
}

static void test_values(void)
{
    const uint8_t want[] = {0x18, 0x00, 0x00, 0x01, 0x01};

    CHECK_OK(parse_exact(parse, (const uint8_t *)"\x00", 1));
    CHECK_EQ(g_v, LATCH_KEY_UPDATE_NOT_REQUESTED);
    CHECK_OK(parse_exact(parse, (const uint8_t *)"\x01", 1));
    CHECK_EQ(g_v, LATCH_KEY_UPDATE_REQUESTED);
    /* RFC 8446 §4.6.3: any other value is illegal_parameter. */
    CHECK_ERR(parse_exact(parse, (const uint8_t *)"\x02", 1), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("KeyUpdate.request_update: 2");
    CHECK_EQ(g_v, 0);
    CHECK_ERR(parse_exact(parse, (const uint8_t *)"\xff", 1), LATCH_ERR_ILLEGAL_PARAMETER);
    /* Lengths: empty, two bytes (even when the first is valid). */
    CHECK_TRUNCATIONS(parse, (const uint8_t *)"\x01", 1, NO_OK_PREFIX);
    CHECK_ERR(parse_exact(parse, (const uint8_t *)"\x02\x00", 2), LATCH_ERR_DECODE);
    CHECK_BUILD_CAPS(build1, want, sizeof want);
}

static void test_build(void)
{
    uint8_t buf[8];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    CHECK_OK(latch_key_update_build(&w, LATCH_KEY_UPDATE_NOT_REQUESTED));
    CHECK_MEM(buf, latch_wr_len(&w), (const uint8_t *)"\x18\x00\x00\x01\x00", 5);
    latch_wr_init(&w, buf, sizeof buf);
    CHECK_ERR(latch_key_update_build(&w, 2), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(latch_wr_len(&w), 0);
}

static const latch_test cases[] = {
    TEST(test_values),
    TEST(test_build),
    {0},
};

LATCH_TEST_MAIN(cases)
