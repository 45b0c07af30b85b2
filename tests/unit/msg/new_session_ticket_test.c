/* Tests for NewSessionTicket (src/msg/new_session_ticket.c). */
#include "msg_test_util.h"

static latch_new_session_ticket g_nst;
static tbuf t;
static uint8_t out[140000];
static latch_new_session_ticket b;

static latch_err parse(latch_rd body)
{
    return latch_new_session_ticket_parse(body, &g_nst);
}

static latch_err build(latch_wr *w)
{
    return latch_new_session_ticket_build(w, b.lifetime, b.age_add, b.nonce.p, b.nonce.len, b.ticket.p, b.ticket.len,
                                          b.max_early_data);
}

/* RFC 8448 §3. */
static void test_rfc8448(void)
{
    const uint8_t *msg;
    size_t len;
    latch_rd body = rfc_msg(3, "server", "construct a NewSessionTicket", "NewSessionTicket", 0,
                            LATCH_HS_NEW_SESSION_TICKET, &msg, &len);
    static uint8_t copy[256];

    REQUIRE_OK(latch_new_session_ticket_parse(body, &g_nst));
    CHECK_EQ(g_nst.lifetime, 30);
    CHECK_EQ(g_nst.age_add, 0x933d0932);
    CHECK_MEM(g_nst.nonce.p, g_nst.nonce.len, (const uint8_t *)"\x00\x00", 2);
    CHECK_EQ(g_nst.ticket.len, 0xb2);
    CHECK_MEM(g_nst.ticket.p, 4, (const uint8_t *)"\xf3\x5e\xda\xe4", 4);
    CHECK_EQ(g_nst.exts.present, LATCH_XBIT(LATCH_X_EARLY_DATA));
    CHECK_EQ(g_nst.max_early_data, 1024);
    b = g_nst;
    memcpy(copy, msg, len);
    CHECK_BUILD_CAPS(build, copy, len);
    CHECK_TRUNCATIONS(parse, body.p, body.len, NO_OK_PREFIX);
}

/* A NewSessionTicket body with the given fields and extension block. */
static void nst_body(uint32_t lifetime, size_t nonce_len, size_t ticket_len, const tbuf *exts)
{
    t.n = 0;
    tb_u32(&t, lifetime);
    tb_u32(&t, 0x01020304);
    tb_u8(&t, (unsigned)nonce_len);
    tb_fill(&t, 0xAB, nonce_len);
    tb_u16(&t, ticket_len);
    tb_fill(&t, 0xCD, ticket_len);
    tb_u16(&t, exts != NULL ? exts->n : 0);
    if (exts != NULL) {
        tb_bytes(&t, exts->b, exts->n);
    }
}

static void test_lifetime(void)
{
    /* RFC 8446 §4.6.1: at most 604800 s (7 days). */
    nst_body(604800, 0, 1, NULL);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    CHECK_EQ(g_nst.lifetime, 604800);
    CHECK_EQ(g_nst.max_early_data, 0);
    nst_body(604801, 0, 1, NULL);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("ticket_lifetime: 604801 s exceeds 7 days");
    nst_body(0xFFFFFFFF, 0, 1, NULL);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    /* The structure is checked first: truncated, it is DECODE. */
    CHECK_ERR(parse_exact(parse, t.b, t.n - 1), LATCH_ERR_DECODE);
    /* Zero: do not cache (allowed). */
    nst_body(0, 0, 1, NULL);
    CHECK_OK(parse_exact(parse, t.b, t.n));
}

static void test_malformed(void)
{
    static tbuf e;
    static uint8_t big[0x20000];

    /* ticket<1..2^16-1>: empty. */
    nst_body(10, 0, 0, NULL);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("NewSessionTicket.ticket: length 0 outside <1..65535>");
    /* The longest nonce, and lengths one off. */
    nst_body(10, 255, 3, NULL);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    CHECK_EQ(g_nst.nonce.len, 255);
    nst_body(10, 4, 3, NULL);
    t.b[8] = 5;
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    t.b[8] = 3;
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    nst_body(10, 0, 3, NULL);
    put16(t.b + 9, 4);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    put16(t.b + 9, 2);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    /* extensions<0..2^16-2>: 65535 is over the maximum. */
    nst_body(10, 0, 1, NULL);
    memcpy(big, t.b, t.n - 2);
    put16(big + t.n - 2, 0xFFFF);
    CHECK_ERR(parse_exact(parse, big, t.n + 0xFFFF), LATCH_ERR_DECODE);
    CHECK_DETAIL("NewSessionTicket.extensions: length 65535 outside <0..65534>");
    /* early_data of the wrong size. */
    e.n = 0;
    tb_ext(&e, LATCH_EXT_EARLY_DATA, "\x00\x00\x04", 3);
    nst_body(10, 0, 1, &e);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("early_data.max_early_data_size: truncated");
    /* Only early_data is allowed (RFC 8446 §4.2: NST); unknown ones are ignored. */
    e.n = 0;
    tb_ext(&e, 0x1234, "zz", 2);
    tb_ext(&e, LATCH_EXT_EARLY_DATA, "\x00\x00\x40\x00", 4);
    nst_body(10, 0, 1, &e);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    CHECK_EQ(g_nst.max_early_data, 0x4000);
    CHECK_EQ(g_nst.exts.count, 2);
    e.n = 0;
    tb_ext(&e, LATCH_EXT_KEY_SHARE, NULL, 0);
    nst_body(10, 0, 1, &e);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    e.n = 0;
    tb_ext(&e, LATCH_EXT_EARLY_DATA, "\x00\x00\x40\x00", 4);
    tb_ext(&e, LATCH_EXT_EARLY_DATA, "\x00\x00\x40\x00", 4);
    nst_body(10, 0, 1, &e);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DUPLICATE_EXTENSION);
}

static void test_build(void)
{
    static uint8_t ticket[0x10000];
    latch_wr w;
    size_t n;

    memset(&b, 0, sizeof b);
    b.lifetime = 604800;
    b.age_add = 7;
    b.ticket = latch_rd_make(ticket, 1);
    n = BUILD_INTO(build, out, sizeof out);
    REQUIRE_OK(latch_new_session_ticket_parse(MSG_BODY(out, n, LATCH_HS_NEW_SESSION_TICKET), &g_nst));
    CHECK_EQ(g_nst.exts.count, 0);
    CHECK_EQ(g_nst.age_add, 7);
    b.ticket = latch_rd_make(ticket, 0xFFFF);
    b.nonce = latch_rd_make(ticket, 255);
    b.max_early_data = 0xFFFFFFFF;
    n = BUILD_INTO(build, out, sizeof out);
    REQUIRE_OK(latch_new_session_ticket_parse(MSG_BODY(out, n, LATCH_HS_NEW_SESSION_TICKET), &g_nst));
    CHECK_EQ(g_nst.max_early_data, 0xFFFFFFFF);
    CHECK_EQ(g_nst.ticket.len, 0xFFFF);

    latch_wr_init(&w, out, sizeof out);
    CHECK_ERR(latch_new_session_ticket_build(&w, 604801, 0, NULL, 0, ticket, 1, 0), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_new_session_ticket_build(&w, 1, 0, ticket, 256, ticket, 1, 0), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_new_session_ticket_build(&w, 1, 0, NULL, 0, ticket, 0, 0), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_new_session_ticket_build(&w, 1, 0, NULL, 0, ticket, 0x10000, 0), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(latch_wr_len(&w), 0);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_lifetime),
    TEST(test_malformed),
    TEST(test_build),
    {0},
};

LATCH_TEST_MAIN(cases)
