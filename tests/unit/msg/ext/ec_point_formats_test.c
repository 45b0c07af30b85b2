/* Tests for ec_point_formats (src/msg/ext/ec_point_formats.c). */
#include "../msg_test_util.h"

static latch_err parse(latch_rd data)
{
    return latch_ext_point_formats_parse(data);
}

static void test_parse_build(void)
{
    const uint8_t want[] = {0x00, 0x0b, 0x00, 0x02, 0x01, 0x00};
    const uint8_t legacy[] = {0x03, 0x00, 0x01, 0x02}; /* as old clients send */
    uint8_t buf[8];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_point_formats_build(&w);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), want, sizeof want);
    CHECK_TRUNCATIONS(parse, want + 4, 2, NO_OK_PREFIX);
    CHECK_OK(latch_ext_point_formats_parse(latch_rd_make(legacy, sizeof legacy)));
    CHECK_TRUNCATIONS(parse, legacy, sizeof legacy, NO_OK_PREFIX);
}

/* RFC 8422 §5.1.2: the list must hold uncompressed. */
static void test_no_uncompressed(void)
{
    CHECK_ERR(latch_ext_point_formats_parse(latch_rd_make((const uint8_t *)"\x01\x01", 2)),
              LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("lacks the uncompressed format");
    CHECK_ERR(latch_ext_point_formats_parse(latch_rd_make((const uint8_t *)"\x02\x01\x02", 3)),
              LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_ERR(latch_ext_point_formats_parse(latch_rd_make((const uint8_t *)"\x00", 1)), LATCH_ERR_DECODE);
    CHECK_DETAIL("ec_point_format_list: length 0 outside <1..255>");
}

static const latch_test cases[] = {
    TEST(test_parse_build),
    TEST(test_no_uncompressed),
    {0},
};

LATCH_TEST_MAIN(cases)
