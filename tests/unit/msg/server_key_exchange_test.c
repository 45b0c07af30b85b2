/*
 * Tests for ServerKeyExchange (src/msg/server_key_exchange.c). The known
 * bytes are written out field by field from RFC 8422 §5.4 and RFC 5246
 * §4.7, independently of latch_wr.
 */
#include "msg_test_util.h"

static latch_server_key_exchange g_ske;
static uint8_t out[1024];
static tbuf t;

static latch_err parse(latch_rd body)
{
    return latch_server_key_exchange_parse(body, &g_ske);
}

static const uint8_t point[32] = {0x9f, 0xd7, 0xad, 0x6d, 0xcf, 0xf4, 0x29, 0x8d, 0xd3, 0xf9, 0x6d,
                                  0x5b, 0x1b, 0x2a, 0xf9, 0x10, 0xa0, 0x53, 0x5b, 0x14, 0x88, 0xd7,
                                  0xf8, 0xfa, 0xbb, 0x34, 0x9a, 0x98, 0x28, 0x80, 0xb6, 0x15};
static const uint8_t sig[5] = {0x30, 0x03, 0x02, 0x01, 0x01};

static latch_err build(latch_wr *w)
{
    return latch_server_key_exchange_build(w, LATCH_GROUP_X25519, point, sizeof point,
                                           LATCH_SIG_ECDSA_SECP256R1_SHA256, sig, sizeof sig);
}

/* The message: x25519 params, then ecdsa_secp256r1_sha256 and a signature. */
static void known(tbuf *m)
{
    m->n = 0;
    tb_u8(m, LATCH_HS_SERVER_KEY_EXCHANGE);
    tb_u24(m, 1 + 2 + 1 + 32 + 2 + 2 + 5);
    tb_u8(m, 3);      /* curve_type named_curve */
    tb_u16(m, 0x001D); /* x25519 */
    tb_u8(m, 32);
    tb_bytes(m, point, 32);
    tb_u16(m, 0x0403);
    tb_u16(m, 5);
    tb_bytes(m, sig, 5);
}

static void test_known_bytes(void)
{
    static tbuf m;
    latch_rd body;

    known(&m);
    body = MSG_BODY(m.b, m.n, LATCH_HS_SERVER_KEY_EXCHANGE);
    REQUIRE_OK(latch_server_key_exchange_parse(body, &g_ske));
    CHECK_EQ(g_ske.group, LATCH_GROUP_X25519);
    CHECK_MEM(g_ske.point.p, g_ske.point.len, point, sizeof point);
    CHECK_EQ(g_ske.scheme, LATCH_SIG_ECDSA_SECP256R1_SHA256);
    CHECK_MEM(g_ske.signature.p, g_ske.signature.len, sig, sizeof sig);
    /* params: the ServerECDHParams bytes exactly, for the signature. */
    CHECK(g_ske.params.p == body.p);
    CHECK_MEM(g_ske.params.p, g_ske.params.len, m.b + 4, 36);
    CHECK_BUILD_CAPS(build, m.b, m.n);
    CHECK_TRUNCATIONS(parse, body.p, body.len, NO_OK_PREFIX);
}

static void test_params_and_content(void)
{
    uint8_t params[LATCH_SKE_PARAMS_MAX], content[LATCH_SKE_CONTENT_MAX], cr[32], sr[32];
    static tbuf m;
    latch_wr w;
    size_t n;

    known(&m);
    latch_wr_init(&w, params, sizeof params);
    latch_ske_params_build(&w, LATCH_GROUP_X25519, point, sizeof point);
    REQUIRE_OK(latch_wr_finish(&w));
    CHECK_MEM(params, latch_wr_len(&w), m.b + 4, 36);
    /* The largest point fills the declared maximum. */
    latch_wr_init(&w, params, sizeof params);
    latch_ske_params_build(&w, LATCH_GROUP_SECP256R1, out, 255);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_EQ(latch_wr_len(&w), LATCH_SKE_PARAMS_MAX);
    /* RFC 8422 §5.4: ClientHello.random + ServerHello.random + params. */
    memset(cr, 0xC1, 32);
    memset(sr, 0x5E, 32);
    n = latch_ske_content(cr, sr, latch_rd_make(m.b + 4, 36), content, sizeof content);
    CHECK_EQ(n, 64 + 36);
    CHECK_MEM(content, 32, cr, 32);
    CHECK_MEM(content + 32, 32, sr, 32);
    CHECK_MEM(content + 64, 36, m.b + 4, 36);
    CHECK_EQ(latch_ske_content(cr, sr, latch_rd_make(m.b + 4, 36), content, 99), 0);
}

static void test_malformed(void)
{
    static tbuf m;

    /* Explicit curves (curve_type 1 and 2) are refused. */
    known(&m);
    m.b[4] = 1;
    CHECK_ERR(parse_exact(parse, m.b + 4, m.n - 4), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("named_curve");
    m.b[4] = 2;
    CHECK_ERR(parse_exact(parse, m.b + 4, m.n - 4), LATCH_ERR_ILLEGAL_PARAMETER);
    /* An empty point: point<1..2^8-1>. */
    t.n = 0;
    tb_u8(&t, 3);
    tb_u16(&t, 0x0017);
    tb_u8(&t, 0);
    tb_u16(&t, 0x0403);
    tb_u16(&t, 0);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("ServerKeyExchange.public.point");
    /* An empty signature is syntactically legal (the handler refuses it). */
    t.n = 0;
    tb_u8(&t, 3);
    tb_u16(&t, 0x0017);
    tb_u8(&t, 1);
    tb_u8(&t, 4);
    tb_u16(&t, 0x0403);
    tb_u16(&t, 0);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    CHECK_EQ(g_ske.signature.len, 0);
    /* Point length running past the message, signature length one off. */
    known(&m);
    m.b[7] = 33;
    CHECK_ERR(parse_exact(parse, m.b + 4, m.n - 4), LATCH_ERR_DECODE);
    known(&m);
    put16(m.b + 4 + 36 + 2, 6);
    CHECK_ERR(parse_exact(parse, m.b + 4, m.n - 4), LATCH_ERR_DECODE);
    put16(m.b + 4 + 36 + 2, 4);
    CHECK_ERR(parse_exact(parse, m.b + 4, m.n - 4), LATCH_ERR_DECODE);
    CHECK_DETAIL("trailing");
}

static void test_invalid_arguments(void)
{
    static uint8_t big[0x10000];
    latch_wr w;

    latch_wr_init(&w, out, sizeof out);
    CHECK_ERR(latch_server_key_exchange_build(&w, 0x17, point, 0, 0x0403, sig, 5), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_server_key_exchange_build(&w, 0x17, big, 256, 0x0403, sig, 5), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_server_key_exchange_build(&w, 0x17, NULL, 32, 0x0403, sig, 5), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_server_key_exchange_build(&w, 0x17, point, 32, 0x0403, big, 0x10000), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_server_key_exchange_build(&w, 0x17, point, 32, 0x0403, NULL, 1), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(latch_wr_len(&w), 0);
}

static const latch_test cases[] = {
    TEST(test_known_bytes),
    TEST(test_params_and_content),
    TEST(test_malformed),
    TEST(test_invalid_arguments),
    {0},
};

LATCH_TEST_MAIN(cases)
