/* Tests for signature_algorithms(_cert) (src/msg/ext/signature_algorithms.c). */
#include "../msg_test_util.h"

/* RFC 8448 §3 ClientHello signature_algorithms (15 schemes). */
static const uint8_t rfc_ext[] = {0x00, 0x0d, 0x00, 0x20, 0x00, 0x1e, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03,
                                  0x02, 0x03, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01,
                                  0x06, 0x01, 0x02, 0x01, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x02, 0x02};
static const uint16_t rfc_schemes[] = {0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401,
                                       0x0501, 0x0601, 0x0201, 0x0402, 0x0502, 0x0602, 0x0202};

static latch_err parse(latch_rd data)
{
    latch_u16s l;

    return latch_ext_sigalgs_parse(data, &l);
}

static void test_rfc8448(void)
{
    latch_u16s l;
    uint8_t buf[64];
    latch_wr w;
    latch_rd in_ch = rfc_ch_ext(3, 0, LATCH_X_SIGNATURE_ALGORITHMS);

    CHECK_OK(latch_ext_sigalgs_parse(latch_rd_make(rfc_ext + 4, sizeof rfc_ext - 4), &l));
    CHECK_EQ(latch_u16s_count(l), 15);
    for (size_t i = 0; i < 15; i++) {
        CHECK_EQ(latch_u16s_at(l, i), rfc_schemes[i]);
    }
    CHECK_TRUNCATIONS(parse, rfc_ext + 4, sizeof rfc_ext - 4, NO_OK_PREFIX);

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_sigalgs_build(&w, LATCH_EXT_SIGNATURE_ALGORITHMS, rfc_schemes, 15);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), rfc_ext, sizeof rfc_ext);
    CHECK_MEM(in_ch.p, in_ch.len, rfc_ext + 4, sizeof rfc_ext - 4);

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_sigalgs_build(&w, LATCH_EXT_SIGNATURE_ALGORITHMS_CERT, rfc_schemes, 1);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), (const uint8_t *)"\x00\x32\x00\x04\x00\x02\x04\x03", 8);
}

static void test_malformed(void)
{
    static uint8_t big[2 + 0x10000];
    latch_u16s l;

    CHECK_ERR(latch_ext_sigalgs_parse(latch_rd_make((const uint8_t *)"\x00\x00", 2), &l), LATCH_ERR_DECODE);
    CHECK_ERR(latch_ext_sigalgs_parse(latch_rd_make((const uint8_t *)"\x00\x01\x04", 3), &l), LATCH_ERR_DECODE);
    CHECK_ERR(latch_ext_sigalgs_parse(latch_rd_make((const uint8_t *)"\x00\x03\x04\x03\x05", 5), &l),
              LATCH_ERR_DECODE);
    CHECK_DETAIL("odd length");
    /* <2..2^16-2>: 65535 is over the maximum. */
    put16(big, 0xFFFF);
    CHECK_ERR(latch_ext_sigalgs_parse(latch_rd_make(big, 2 + 0xFFFF), &l), LATCH_ERR_DECODE);
    CHECK_DETAIL("length 65535 outside <2..65534>");
    put16(big, 0xFFFE);
    CHECK_OK(latch_ext_sigalgs_parse(latch_rd_make(big, 2 + 0xFFFE), &l));
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_malformed),
    {0},
};

LATCH_TEST_MAIN(cases)
