/*
 * Tests for the TLS 1.2 NewSessionTicket (src/msg/new_session_ticket12.c),
 * with bytes written out from RFC 5077 §3.3.
 */
#include "msg_test_util.h"

static uint32_t g_hint;
static latch_rd g_ticket;
static const uint8_t *b_ticket;
static size_t b_len;
static uint32_t b_hint;

static latch_err parse(latch_rd body)
{
    return latch_new_session_ticket12_parse(body, &g_hint, &g_ticket);
}

static latch_err build(latch_wr *w)
{
    return latch_new_session_ticket12_build(w, b_hint, b_ticket, b_len);
}

static void test_known_bytes(void)
{
    static tbuf m;
    uint8_t ticket[100];

    for (size_t i = 0; i < sizeof ticket; i++) {
        ticket[i] = (uint8_t)(0xA0 ^ i);
    }
    m.n = 0;
    tb_u8(&m, LATCH_HS_NEW_SESSION_TICKET);
    tb_u24(&m, 4 + 2 + 100);
    tb_u32(&m, 7200);
    tb_u16(&m, 100);
    tb_bytes(&m, ticket, 100);
    REQUIRE_OK(parse(MSG_BODY(m.b, m.n, LATCH_HS_NEW_SESSION_TICKET)));
    CHECK_EQ(g_hint, 7200);
    CHECK_MEM(g_ticket.p, g_ticket.len, ticket, 100);
    b_hint = 7200;
    b_ticket = ticket;
    b_len = 100;
    CHECK_BUILD_CAPS(build, m.b, m.n);
    CHECK_TRUNCATIONS(parse, m.b + 4, m.n - 4, NO_OK_PREFIX);
    /* A ticket length one off. */
    put16(m.b + 8, 101);
    CHECK_ERR(parse_exact(parse, m.b + 4, m.n - 4), LATCH_ERR_DECODE);
    put16(m.b + 8, 99);
    CHECK_ERR(parse_exact(parse, m.b + 4, m.n - 4), LATCH_ERR_DECODE);
}

/* RFC 5077 §3.3: a zero-length ticket means "no ticket after all". */
static void test_empty_ticket(void)
{
    static const uint8_t body[] = {0, 0, 0, 0, 0, 0};
    uint8_t buf[16];
    latch_wr w;

    CHECK_OK(parse_exact(parse, body, sizeof body));
    CHECK_EQ(g_ticket.len, 0);
    CHECK_EQ(g_hint, 0);
    latch_wr_init(&w, buf, sizeof buf);
    CHECK_OK(latch_new_session_ticket12_build(&w, 0, NULL, 0));
    CHECK_EQ(latch_wr_len(&w), 10);
    CHECK_MEM(buf + 4, 6, body, 6);
}

static void test_invalid_arguments(void)
{
    static uint8_t big[0x10000];
    uint8_t buf[16];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    CHECK_ERR(latch_new_session_ticket12_build(&w, 1, big, 0x10000), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_new_session_ticket12_build(&w, 1, NULL, 1), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(latch_wr_len(&w), 0);
}

static const latch_test cases[] = {
    TEST(test_known_bytes),
    TEST(test_empty_ticket),
    TEST(test_invalid_arguments),
    {0},
};

LATCH_TEST_MAIN(cases)
