/* Tests for psk_key_exchange_modes (src/msg/ext/psk_key_exchange_modes.c). */
#include "../msg_test_util.h"

static latch_err parse(latch_rd data)
{
    latch_rd m;

    return latch_ext_psk_modes_parse(data, &m);
}

/* RFC 8448 §3: psk_dhe_ke only. */
static void test_rfc8448(void)
{
    latch_rd data = rfc_ch_ext(3, 0, LATCH_X_PSK_KEY_EXCHANGE_MODES), modes;
    const uint8_t mode = LATCH_PSK_DHE_KE;
    const uint8_t want[] = {0x00, 0x2d, 0x00, 0x02, 0x01, 0x01};
    uint8_t buf[16];
    latch_wr w;

    CHECK_OK(latch_ext_psk_modes_parse(data, &modes));
    CHECK_MEM(modes.p, modes.len, &mode, 1);
    CHECK_TRUNCATIONS(parse, data.p, data.len, NO_OK_PREFIX);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_psk_modes_build(&w, &mode, 1);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), want, sizeof want);
}

static void test_malformed(void)
{
    static uint8_t big[256];
    latch_rd m;

    CHECK_ERR(latch_ext_psk_modes_parse(latch_rd_make((const uint8_t *)"\x00", 1), &m), LATCH_ERR_DECODE);
    CHECK_DETAIL("psk_key_exchange_modes.ke_modes: length 0 outside <1..255>");
    CHECK_ERR(latch_ext_psk_modes_parse(latch_rd_make((const uint8_t *)"\x02\x01", 2), &m), LATCH_ERR_DECODE);
    CHECK_ERR(latch_ext_psk_modes_parse(latch_rd_make((const uint8_t *)"\x01\x01\x00", 3), &m), LATCH_ERR_DECODE);
    big[0] = 255;
    CHECK_OK(latch_ext_psk_modes_parse(latch_rd_make(big, 256), &m));
    CHECK_EQ(m.len, 255);
    /* Unknown modes are the handler's to skip (RFC 8446 §4.2.9). */
    CHECK_OK(latch_ext_psk_modes_parse(latch_rd_make((const uint8_t *)"\x02\x07\x01", 3), &m));
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_malformed),
    {0},
};

LATCH_TEST_MAIN(cases)
