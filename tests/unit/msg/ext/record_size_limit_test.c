/* Tests for record_size_limit (src/msg/ext/record_size_limit.c). */
#include "../msg_test_util.h"

static latch_err parse(latch_rd data)
{
    uint16_t v;

    return latch_ext_record_size_limit_parse(data, &v);
}

/* RFC 8448 §3: both sides announce 2^14 + 1. */
static void test_rfc8448(void)
{
    latch_rd data = rfc_ch_ext(3, 0, LATCH_X_RECORD_SIZE_LIMIT);
    const uint8_t want[] = {0x00, 0x1c, 0x00, 0x02, 0x40, 0x01};
    uint16_t v = 0;
    uint8_t buf[8];
    latch_wr w;

    CHECK_OK(latch_ext_record_size_limit_parse(data, &v));
    CHECK_EQ(v, 16385);
    CHECK_TRUNCATIONS(parse, data.p, data.len, NO_OK_PREFIX);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_record_size_limit_build(&w, 16385);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), want, sizeof want);
}

/* RFC 8449 §4: below 64 is illegal_parameter. */
static void test_minimum(void)
{
    uint16_t v = 5;

    CHECK_ERR(latch_ext_record_size_limit_parse(latch_rd_make((const uint8_t *)"\x00\x3f", 2), &v),
              LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("63 is below 64");
    CHECK_EQ(v, 0);
    CHECK_ERR(latch_ext_record_size_limit_parse(latch_rd_make((const uint8_t *)"\x00\x00", 2), &v),
              LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_OK(latch_ext_record_size_limit_parse(latch_rd_make((const uint8_t *)"\x00\x40", 2), &v));
    CHECK_EQ(v, 64);
    CHECK_OK(latch_ext_record_size_limit_parse(latch_rd_make((const uint8_t *)"\xff\xff", 2), &v));
    CHECK_EQ(v, 65535);
    /* A short value with a trailing byte is still DECODE first. */
    CHECK_ERR(latch_ext_record_size_limit_parse(latch_rd_make((const uint8_t *)"\x00\x01\x00", 3), &v),
              LATCH_ERR_DECODE);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_minimum),
    {0},
};

LATCH_TEST_MAIN(cases)
