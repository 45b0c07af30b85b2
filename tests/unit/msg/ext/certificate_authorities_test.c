/* Tests for certificate_authorities (src/msg/ext/certificate_authorities.c). */
#include "../msg_test_util.h"

/* Two DistinguishedNames: an empty DER Name (30 00) and one of three bytes. */
static const uint8_t data[] = {0x00, 0x09, 0x00, 0x02, 0x30, 0x00, 0x00, 0x03, 0x30, 0x01, 0x00};

static latch_err parse(latch_rd d)
{
    latch_rd l;

    return latch_ext_cas_parse(d, &l);
}

static void test_parse_build(void)
{
    latch_rd list, it, dn, dns[2];
    uint8_t buf[32];
    latch_wr w;
    static tbuf t;

    CHECK_OK(latch_ext_cas_parse(latch_rd_make(data, sizeof data), &list));
    it = list;
    REQUIRE(latch_ext_cas_next(&it, &dn));
    CHECK_MEM(dn.p, dn.len, (const uint8_t *)"\x30\x00", 2);
    dns[0] = dn;
    REQUIRE(latch_ext_cas_next(&it, &dn));
    CHECK_MEM(dn.p, dn.len, (const uint8_t *)"\x30\x01\x00", 3);
    dns[1] = dn;
    CHECK(!latch_ext_cas_next(&it, &dn));
    CHECK_TRUNCATIONS(parse, data, sizeof data, NO_OK_PREFIX);

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_cas_build(&w, dns, 2);
    CHECK_OK(latch_wr_finish(&w));
    tb_ext(&t, LATCH_EXT_CERTIFICATE_AUTHORITIES, data, sizeof data);
    CHECK_MEM(buf, latch_wr_len(&w), t.b, t.n);
}

static void test_malformed(void)
{
    latch_rd list;
    uint8_t buf[32];
    latch_wr w;

    /* <3..2^16-1>, DistinguishedName<1..2^16-1>. */
    CHECK_ERR(latch_ext_cas_parse(latch_rd_make((const uint8_t *)"\x00\x00", 2), &list), LATCH_ERR_DECODE);
    CHECK_ERR(latch_ext_cas_parse(latch_rd_make((const uint8_t *)"\x00\x02\x00\x00", 4), &list), LATCH_ERR_DECODE);
    CHECK_ERR(latch_ext_cas_parse(latch_rd_make((const uint8_t *)"\x00\x03\x00\x00\x30", 5), &list),
              LATCH_ERR_DECODE);
    CHECK_DETAIL("DistinguishedName: length 0");
    CHECK_ERR(latch_ext_cas_parse(latch_rd_make((const uint8_t *)"\x00\x03\x00\x02\x30", 5), &list),
              LATCH_ERR_DECODE);
    CHECK(list.p == NULL && list.len == 0);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_cas_build(&w, NULL, 0);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL);
}

static const latch_test cases[] = {
    TEST(test_parse_build),
    TEST(test_malformed),
    {0},
};

LATCH_TEST_MAIN(cases)
