/* Tests for cookie (src/msg/ext/cookie.c). */
#include "../msg_test_util.h"

static latch_err parse(latch_rd data)
{
    latch_rd c;

    return latch_ext_cookie_parse(data, &c);
}

/* RFC 8448 §5: the HelloRetryRequest's cookie comes back in the second ClientHello. */
static void test_rfc8448(void)
{
    latch_rd hrr = rfc_sh_ext(5, 0, LATCH_X_COOKIE);
    latch_rd ch = rfc_ch_ext(5, 1, LATCH_X_COOKIE);
    latch_rd c1, c2;
    static tbuf t;
    uint8_t buf[256];
    latch_wr w;

    CHECK_OK(latch_ext_cookie_parse(hrr, &c1));
    CHECK_EQ(c1.len, 0x72);
    CHECK_OK(latch_ext_cookie_parse(ch, &c2));
    CHECK_MEM(c2.p, c2.len, c1.p, c1.len);
    CHECK_TRUNCATIONS(parse, hrr.p, hrr.len, NO_OK_PREFIX);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_cookie_build(&w, c1.p, c1.len);
    CHECK_OK(latch_wr_finish(&w));
    tb_ext(&t, LATCH_EXT_COOKIE, hrr.p, hrr.len);
    CHECK_MEM(buf, latch_wr_len(&w), t.b, t.n);
}

static void test_malformed(void)
{
    latch_rd c;
    uint8_t buf[16];
    latch_wr w;

    CHECK_ERR(latch_ext_cookie_parse(latch_rd_make((const uint8_t *)"\x00\x00", 2), &c), LATCH_ERR_DECODE);
    CHECK_DETAIL("cookie.cookie: length 0 outside <1..65535>");
    CHECK_ERR(latch_ext_cookie_parse(latch_rd_make((const uint8_t *)"\x00\x02\x01", 3), &c), LATCH_ERR_DECODE);
    CHECK_ERR(latch_ext_cookie_parse(latch_rd_make((const uint8_t *)"\x00\x01\x01\x02", 4), &c), LATCH_ERR_DECODE);
    CHECK(c.p == NULL && c.len == 0);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_cookie_build(&w, NULL, 0);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_malformed),
    {0},
};

LATCH_TEST_MAIN(cases)
