/* Tests for the empty messages (src/msg/empty.c). */
#include "msg_test_util.h"

static latch_err parse(latch_rd body)
{
    return latch_empty_msg_parse(body);
}

static latch_err build_eoed(latch_wr *w)
{
    return latch_empty_msg_build(w, LATCH_HS_END_OF_EARLY_DATA);
}

/* RFC 8448 §4: EndOfEarlyData is 05 00 00 00. */
static void test_rfc8448(void)
{
    const uint8_t *msg;
    size_t len;
    latch_rd body = rfc_msg(4, "client", "construct a EndOfEarlyData", "EndOfEarlyData", 0, LATCH_HS_END_OF_EARLY_DATA,
                            &msg, &len);

    CHECK_OK(latch_empty_msg_parse(body));
    CHECK_BUILD_CAPS(build_eoed, msg, len);
    CHECK_TRUNCATIONS(parse, NULL, 0, NO_OK_PREFIX);
}

static void test_others(void)
{
    uint8_t buf[8];
    latch_wr w;

    CHECK_ERR(parse_exact(parse, (const uint8_t *)"\x00", 1), LATCH_ERR_DECODE);
    CHECK_DETAIL("1 trailing bytes");
    latch_wr_init(&w, buf, sizeof buf);
    CHECK_OK(latch_empty_msg_build(&w, LATCH_HS_SERVER_HELLO_DONE));
    CHECK_MEM(buf, latch_wr_len(&w), (const uint8_t *)"\x0e\x00\x00\x00", 4);
    latch_wr_init(&w, buf, sizeof buf);
    CHECK_OK(latch_empty_msg_build(&w, LATCH_HS_HELLO_REQUEST));
    CHECK_MEM(buf, latch_wr_len(&w), (const uint8_t *)"\x00\x00\x00\x00", 4);
    latch_wr_init(&w, buf, sizeof buf);
    CHECK_ERR(latch_empty_msg_build(&w, LATCH_HS_FINISHED), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_DETAIL("Finished (20) is not an empty handshake message");
    CHECK_EQ(latch_wr_len(&w), 0);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_others),
    {0},
};

LATCH_TEST_MAIN(cases)
