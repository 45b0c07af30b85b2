/* Tests for renegotiation_info (src/msg/ext/renegotiation_info.c). */
#include "../msg_test_util.h"

static latch_err parse(latch_rd data)
{
    latch_rd v;

    return latch_ext_reneg_parse(data, &v);
}

/* RFC 8448 §3: the client sends an empty renegotiation_info. */
static void test_rfc8448(void)
{
    latch_rd data = rfc_ch_ext(3, 0, LATCH_X_RENEGOTIATION_INFO), v;
    const uint8_t want[] = {0xff, 0x01, 0x00, 0x01, 0x00};
    uint8_t buf[8];
    latch_wr w;

    CHECK_OK(latch_ext_reneg_parse(data, &v));
    CHECK_EQ(v.len, 0);
    CHECK_TRUNCATIONS(parse, data.p, data.len, NO_OK_PREFIX);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_reneg_build(&w, NULL, 0);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), want, sizeof want);
}

static void test_verify_data(void)
{
    /* A renegotiating client's 12-byte verify_data (RFC 5746 §3.5). */
    const uint8_t data[] = {12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    static uint8_t big[257];
    latch_rd v;
    uint8_t buf[32];
    latch_wr w;

    CHECK_OK(latch_ext_reneg_parse(latch_rd_make(data, sizeof data), &v));
    CHECK_MEM(v.p, v.len, data + 1, 12);
    CHECK_TRUNCATIONS(parse, data, sizeof data, NO_OK_PREFIX);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_reneg_build(&w, data + 1, 12);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_EQ(latch_wr_len(&w), 4 + sizeof data);
    CHECK_MEM(buf + 4, sizeof data, data, sizeof data);
    CHECK_ERR(latch_ext_reneg_parse(latch_rd_make(NULL, 0), &v), LATCH_ERR_DECODE);
    big[0] = 255;
    CHECK_OK(latch_ext_reneg_parse(latch_rd_make(big, 256), &v));
    CHECK_ERR(latch_ext_reneg_parse(latch_rd_make(big, 257), &v), LATCH_ERR_DECODE);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_verify_data),
    {0},
};

LATCH_TEST_MAIN(cases)
