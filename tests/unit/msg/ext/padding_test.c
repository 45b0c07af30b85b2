/* Tests for padding (src/msg/ext/padding.c). */
#include "../msg_test_util.h"

/* RFC 8448 §4: 87 bytes of padding before pre_shared_key. */
static void test_rfc8448(void)
{
    latch_rd data = rfc_ch_ext(4, 0, LATCH_X_PADDING);
    static uint8_t buf[128];
    static tbuf t;
    latch_wr w;

    CHECK_EQ(data.len, 87);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_padding_build(&w, 87);
    CHECK_OK(latch_wr_finish(&w));
    tb_ext(&t, LATCH_EXT_PADDING, data.p, data.len);
    CHECK_MEM(buf, latch_wr_len(&w), t.b, t.n);
}

static void test_sizes(void)
{
    uint8_t buf[16];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_padding_build(&w, 0);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), (const uint8_t *)"\x00\x15\x00\x00", 4);
    memset(buf, 0xEE, sizeof buf);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_padding_build(&w, 3);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), (const uint8_t *)"\x00\x15\x00\x03\x00\x00\x00", 7);
    latch_wr_init(&w, buf, 6);
    latch_ext_padding_build(&w, 3);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_BUFFER_TOO_SMALL);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_sizes),
    {0},
};

LATCH_TEST_MAIN(cases)
