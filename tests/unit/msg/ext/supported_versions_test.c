/* Tests for supported_versions (src/msg/ext/supported_versions.c). */
#include "../msg_test_util.h"

/* RFC 8448 §3: the client offers TLS 1.3 only; the server selects it. */
static const uint8_t ch_ext[] = {0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04};
static const uint8_t sh_ext[] = {0x00, 0x2b, 0x00, 0x02, 0x03, 0x04};

static latch_err parse_ch(latch_rd data)
{
    latch_u16s l;

    return latch_ext_versions_ch_parse(data, &l);
}

static latch_err parse_sh(latch_rd data)
{
    uint16_t v;

    return latch_ext_versions_sh_parse(data, &v);
}

static void test_rfc8448(void)
{
    const uint16_t v13 = LATCH_TLS13;
    latch_u16s l;
    uint16_t sel;
    uint8_t buf[16];
    latch_wr w;
    latch_rd in_ch = rfc_ch_ext(3, 0, LATCH_X_SUPPORTED_VERSIONS);
    latch_rd in_sh = rfc_sh_ext(3, 0, LATCH_X_SUPPORTED_VERSIONS);

    CHECK_MEM(in_ch.p, in_ch.len, ch_ext + 4, sizeof ch_ext - 4);
    CHECK_MEM(in_sh.p, in_sh.len, sh_ext + 4, sizeof sh_ext - 4);
    CHECK_OK(latch_ext_versions_ch_parse(latch_rd_make(ch_ext + 4, 3), &l));
    CHECK_EQ(latch_u16s_count(l), 1);
    CHECK_EQ(latch_u16s_at(l, 0), LATCH_TLS13);
    CHECK_OK(latch_ext_versions_sh_parse(latch_rd_make(sh_ext + 4, 2), &sel));
    CHECK_EQ(sel, LATCH_TLS13);
    CHECK_TRUNCATIONS(parse_ch, ch_ext + 4, 3, NO_OK_PREFIX);
    CHECK_TRUNCATIONS(parse_sh, sh_ext + 4, 2, NO_OK_PREFIX);

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_versions_ch_build(&w, &v13, 1);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), ch_ext, sizeof ch_ext);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_versions_sh_build(&w, LATCH_TLS13);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), sh_ext, sizeof sh_ext);
}

static void test_malformed(void)
{
    uint8_t big[1 + 255] = {0};
    latch_u16s l;
    uint16_t sel = 7;

    CHECK_ERR(latch_ext_versions_ch_parse(latch_rd_make((const uint8_t *)"\x00", 1), &l), LATCH_ERR_DECODE);
    CHECK_DETAIL("supported_versions.versions: length 0 outside <2..254>");
    CHECK_ERR(latch_ext_versions_ch_parse(latch_rd_make((const uint8_t *)"\x03\x03\x04\x03", 4), &l),
              LATCH_ERR_DECODE);
    CHECK_DETAIL("odd length 3");
    CHECK_ERR(latch_ext_versions_ch_parse(latch_rd_make((const uint8_t *)"\x04\x03\x04", 3), &l), LATCH_ERR_DECODE);
    CHECK_ERR(latch_ext_versions_ch_parse(latch_rd_make((const uint8_t *)"\x02\x03\x04\x00", 4), &l),
              LATCH_ERR_DECODE);
    /* <2..254>: 255 is over the maximum; 254 is fine. */
    big[0] = 255;
    CHECK_ERR(latch_ext_versions_ch_parse(latch_rd_make(big, 256), &l), LATCH_ERR_DECODE);
    CHECK_DETAIL("length 255 outside <2..254>");
    big[0] = 254;
    CHECK_OK(latch_ext_versions_ch_parse(latch_rd_make(big, 255), &l));
    CHECK_EQ(latch_u16s_count(l), 127);
    /* The ServerHello form: exactly two bytes. */
    CHECK_ERR(latch_ext_versions_sh_parse(latch_rd_make((const uint8_t *)"\x02\x03\x04", 3), &sel), LATCH_ERR_DECODE);
    CHECK_EQ(sel, 0);
    CHECK_ERR(latch_ext_versions_sh_parse(latch_rd_make(NULL, 0), &sel), LATCH_ERR_DECODE);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_malformed),
    {0},
};

LATCH_TEST_MAIN(cases)
