/*
 * Tests for ClientKeyExchange (src/msg/client_key_exchange.c), both forms,
 * with bytes written out from RFC 5246 §7.4.7.1 and RFC 8422 §5.7.
 */
#include "msg_test_util.h"

static latch_rd g_x;
static bool g_rsa;
static const uint8_t *b_p;
static size_t b_len;
static uint8_t out[1024];

static latch_err parse(latch_rd body)
{
    return latch_client_key_exchange_parse(body, g_rsa, &g_x);
}

static latch_err build(latch_wr *w)
{
    return latch_client_key_exchange_build(w, g_rsa, b_p, b_len);
}

static void test_ecdhe(void)
{
    uint8_t pt[65];
    static tbuf m;

    memset(pt, 0x04, sizeof pt);
    m.n = 0;
    tb_u8(&m, LATCH_HS_CLIENT_KEY_EXCHANGE);
    tb_u24(&m, 66);
    tb_u8(&m, 65);
    tb_bytes(&m, pt, 65);
    g_rsa = false;
    REQUIRE_OK(parse(MSG_BODY(m.b, m.n, LATCH_HS_CLIENT_KEY_EXCHANGE)));
    CHECK_MEM(g_x.p, g_x.len, pt, 65);
    b_p = pt;
    b_len = 65;
    CHECK_BUILD_CAPS(build, m.b, m.n);
    CHECK_TRUNCATIONS(parse, m.b + 4, m.n - 4, NO_OK_PREFIX);
    /* point<1..2^8-1>: empty is a decode error. */
    CHECK_ERR(parse_exact(parse, (const uint8_t *)"\x00", 1), LATCH_ERR_DECODE);
    CHECK_DETAIL("ClientKeyExchange.ecdh_Yc.point");
    /* The RSA form of the same bytes does not parse (length 0x41 0x04...). */
    g_rsa = true;
    CHECK_ERR(parse_exact(parse, m.b + 4, m.n - 4), LATCH_ERR_DECODE);
}

static void test_rsa(void)
{
    uint8_t ct[256];
    static tbuf m;

    for (size_t i = 0; i < sizeof ct; i++) {
        ct[i] = (uint8_t)i;
    }
    m.n = 0;
    tb_u8(&m, LATCH_HS_CLIENT_KEY_EXCHANGE);
    tb_u24(&m, 258);
    tb_u16(&m, 256);
    tb_bytes(&m, ct, 256);
    g_rsa = true;
    REQUIRE_OK(parse(MSG_BODY(m.b, m.n, LATCH_HS_CLIENT_KEY_EXCHANGE)));
    CHECK_MEM(g_x.p, g_x.len, ct, 256);
    b_p = ct;
    b_len = 256;
    CHECK_BUILD_CAPS(build, m.b, m.n);
    CHECK_TRUNCATIONS(parse, m.b + 4, m.n - 4, NO_OK_PREFIX);
    /* An empty ciphertext parses: its length is the decryption's business. */
    CHECK_OK(parse_exact(parse, (const uint8_t *)"\x00\x00", 2));
    CHECK_EQ(g_x.len, 0);
    /* Length one off either way. */
    put16(m.b + 4, 257);
    CHECK_ERR(parse_exact(parse, m.b + 4, m.n - 4), LATCH_ERR_DECODE);
    put16(m.b + 4, 255);
    CHECK_ERR(parse_exact(parse, m.b + 4, m.n - 4), LATCH_ERR_DECODE);
    CHECK_DETAIL("trailing");
}

static void test_invalid_arguments(void)
{
    static uint8_t big[0x10000];
    latch_wr w;

    latch_wr_init(&w, out, sizeof out);
    CHECK_ERR(latch_client_key_exchange_build(&w, false, big, 0), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_client_key_exchange_build(&w, false, big, 256), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_client_key_exchange_build(&w, false, NULL, 32), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_client_key_exchange_build(&w, true, big, 0x10000), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_client_key_exchange_build(&w, true, NULL, 1), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(latch_wr_len(&w), 0);
    CHECK_OK(latch_client_key_exchange_build(&w, false, big, 255));
    CHECK_OK(latch_client_key_exchange_build(&w, true, NULL, 0));
}

static const latch_test cases[] = {
    TEST(test_ecdhe),
    TEST(test_rsa),
    TEST(test_invalid_arguments),
    {0},
};

LATCH_TEST_MAIN(cases)
