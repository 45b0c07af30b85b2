/* Tests for application_layer_protocol_negotiation (src/msg/ext/alpn.c). */
#include "../msg_test_util.h"

/* "h2", "http/1.1" */
static const uint8_t two[] = {0x00, 0x0c, 0x02, 'h', '2', 0x08, 'h', 't', 't', 'p', '/', '1', '.', '1'};
static const uint8_t one[] = {0x00, 0x03, 0x02, 'h', '2'};

static latch_err parse_list(latch_rd data)
{
    latch_rd l;

    return latch_ext_alpn_parse(data, &l);
}

static latch_err parse_one(latch_rd data)
{
    latch_rd p;

    return latch_ext_alpn_parse_one(data, &p);
}

static void test_list(void)
{
    latch_rd list, it, proto;

    CHECK_OK(latch_ext_alpn_parse(latch_rd_make(two, sizeof two), &list));
    CHECK_EQ(list.len, 12);
    it = list;
    REQUIRE(latch_ext_alpn_next(&it, &proto));
    CHECK_MEM(proto.p, proto.len, (const uint8_t *)"h2", 2);
    REQUIRE(latch_ext_alpn_next(&it, &proto));
    CHECK_MEM(proto.p, proto.len, (const uint8_t *)"http/1.1", 8);
    CHECK(!latch_ext_alpn_next(&it, &proto));
    CHECK(proto.p == NULL && proto.len == 0);
    CHECK_TRUNCATIONS(parse_list, two, sizeof two, NO_OK_PREFIX);
    CHECK_EQ(latch_ext_alpn_count(two + 2, sizeof two - 2), 2);
    CHECK_EQ(latch_ext_alpn_count(one + 2, sizeof one - 2), 1);
}

static void test_one(void)
{
    latch_rd proto;

    CHECK_OK(latch_ext_alpn_parse_one(latch_rd_make(one, sizeof one), &proto));
    CHECK_MEM(proto.p, proto.len, (const uint8_t *)"h2", 2);
    CHECK_TRUNCATIONS(parse_one, one, sizeof one, NO_OK_PREFIX);
    /* RFC 7301 §3.1: the server's list holds exactly one name. */
    CHECK_ERR(latch_ext_alpn_parse_one(latch_rd_make(two, sizeof two), &proto), LATCH_ERR_DECODE);
    CHECK_DETAIL("more than one name");
    CHECK(proto.p == NULL && proto.len == 0);
}

static void test_malformed(void)
{
    latch_rd list;
    static uint8_t name256[2 + 1 + 256];

    /* An empty name, alone or after a good one. */
    CHECK_ERR(latch_ext_alpn_parse(latch_rd_make((const uint8_t *)"\x00\x02\x00\x00", 4), &list), LATCH_ERR_DECODE);
    CHECK_DETAIL("ProtocolName: length 0 outside <1..255>");
    CHECK_ERR(latch_ext_alpn_parse(latch_rd_make((const uint8_t *)"\x00\x04\x02h2\x00", 6), &list),
              LATCH_ERR_DECODE);
    CHECK_EQ(latch_ext_alpn_count((const uint8_t *)"\x02h2\x00", 4), 0);
    /* <2..2^16-1>: an empty list and a 1-byte list. */
    CHECK_ERR(latch_ext_alpn_parse(latch_rd_make((const uint8_t *)"\x00\x00", 2), &list), LATCH_ERR_DECODE);
    CHECK_ERR(latch_ext_alpn_parse(latch_rd_make((const uint8_t *)"\x00\x01\x00", 3), &list), LATCH_ERR_DECODE);
    CHECK_EQ(latch_ext_alpn_count(NULL, 0), 0);
    /* A name overrunning the list; the list length one off either way. */
    CHECK_ERR(latch_ext_alpn_parse(latch_rd_make((const uint8_t *)"\x00\x03\x03h2", 5), &list), LATCH_ERR_DECODE);
    CHECK_EQ(latch_ext_alpn_count((const uint8_t *)"\x03h2", 3), 0);
    CHECK_ERR(latch_ext_alpn_parse(latch_rd_make((const uint8_t *)"\x00\x04\x02h2", 5), &list), LATCH_ERR_DECODE);
    CHECK_ERR(latch_ext_alpn_parse(latch_rd_make((const uint8_t *)"\x00\x02\x02h2", 5), &list), LATCH_ERR_DECODE);
    /* A name of 255 bytes is the most; a length byte cannot say 256, so
     * the bytes after a 255-byte name are a new (here broken) name. */
    put16(name256, 257);
    name256[2] = 255;
    CHECK_ERR(latch_ext_alpn_parse(latch_rd_make(name256, sizeof name256), &list), LATCH_ERR_DECODE);
    put16(name256, 256);
    CHECK_OK(latch_ext_alpn_parse(latch_rd_make(name256, 258), &list));
}

static void test_build(void)
{
    uint8_t buf[32];
    latch_wr w;
    const uint8_t want[] = {0x00, 0x10, 0x00, 0x05, 0x00, 0x03, 0x02, 'h', '2'};

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_alpn_build(&w, one + 2, 3);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), want, sizeof want);
    /* An empty list is refused by the writer. */
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_alpn_build(&w, NULL, 0);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL);
}

static const latch_test cases[] = {
    TEST(test_list),
    TEST(test_one),
    TEST(test_malformed),
    TEST(test_build),
    {0},
};

LATCH_TEST_MAIN(cases)
