/* Tests for supported_groups (src/msg/ext/supported_groups.c). */
#include "../msg_test_util.h"

/* RFC 8448 §3 ClientHello: x25519, secp256r1, secp384r1, secp521r1, ffdhe2048..8192. */
static const uint8_t rfc_ext[] = {0x00, 0x0a, 0x00, 0x14, 0x00, 0x12, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18, 0x00,
                                  0x19, 0x01, 0x00, 0x01, 0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04};
static const uint16_t rfc_groups[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104};

static latch_err parse(latch_rd data)
{
    latch_u16s l;

    return latch_ext_groups_parse(data, &l);
}

static void test_rfc8448(void)
{
    latch_u16s l;
    uint8_t buf[64];
    latch_wr w;
    latch_rd in_ch = rfc_ch_ext(3, 0, LATCH_X_SUPPORTED_GROUPS);

    CHECK_OK(latch_ext_groups_parse(latch_rd_make(rfc_ext + 4, sizeof rfc_ext - 4), &l));
    CHECK_EQ(latch_u16s_count(l), 9);
    for (size_t i = 0; i < 9; i++) {
        CHECK_EQ(latch_u16s_at(l, i), rfc_groups[i]);
    }
    CHECK(latch_u16s_contains(l, LATCH_GROUP_X25519));
    CHECK_TRUNCATIONS(parse, rfc_ext + 4, sizeof rfc_ext - 4, NO_OK_PREFIX);

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_groups_build(&w, rfc_groups, 9);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), rfc_ext, sizeof rfc_ext);
    /* The same bytes are in the RFC's ClientHello. */
    CHECK_MEM(in_ch.p, in_ch.len, rfc_ext + 4, sizeof rfc_ext - 4);
}

static void test_malformed(void)
{
    static uint8_t big[2 + 0x10000];
    latch_u16s l;

    CHECK_ERR(latch_ext_groups_parse(latch_rd_make((const uint8_t *)"\x00\x00", 2), &l), LATCH_ERR_DECODE);
    CHECK_DETAIL("supported_groups.named_group_list: length 0 outside <2..65535>");
    CHECK_ERR(latch_ext_groups_parse(latch_rd_make((const uint8_t *)"\x00\x03\x00\x1d\x00", 5), &l),
              LATCH_ERR_DECODE);
    CHECK_DETAIL("odd length");
    CHECK_ERR(latch_ext_groups_parse(latch_rd_make((const uint8_t *)"\x00\x04\x00\x1d", 4), &l), LATCH_ERR_DECODE);
    CHECK_ERR(latch_ext_groups_parse(latch_rd_make((const uint8_t *)"\x00\x01\x00\x1d", 4), &l), LATCH_ERR_DECODE);
    CHECK_ERR(latch_ext_groups_parse(latch_rd_make(NULL, 0), &l), LATCH_ERR_DECODE);
    CHECK_EQ(latch_u16s_count(l), 0);
    /* The largest even list fits. */
    put16(big, 0xFFFE);
    CHECK_OK(latch_ext_groups_parse(latch_rd_make(big, 2 + 0xFFFE), &l));
    CHECK_EQ(latch_u16s_count(l), 0x7FFF);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_malformed),
    {0},
};

LATCH_TEST_MAIN(cases)
