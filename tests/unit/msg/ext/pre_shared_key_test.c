/* Tests for pre_shared_key (src/msg/ext/pre_shared_key.c). */
#include "../msg_test_util.h"

static tbuf t;

static latch_err parse_ch(latch_rd data)
{
    static latch_offered_psks o;

    return latch_ext_psk_ch_parse(data, &o);
}

static latch_err parse_sh(latch_rd data)
{
    uint16_t v;

    return latch_ext_psk_sh_parse(data, &v);
}

/* RFC 8448 §4: the resumption ClientHello offers the ticket of §3's
 * NewSessionTicket, with the binder of "calculate PSK binder". */
static void test_rfc8448(void)
{
    static latch_client_hello ch;
    static latch_offered_psks o;
    static latch_new_session_ticket nst;
    size_t len, binder_len;
    const uint8_t *payload = rfc8448(4, "client", "send handshake record", "payload", 0, &len);
    const uint8_t *binder = rfc8448(4, "client", "calculate PSK binder", "finished", 0, &binder_len);
    latch_rd data;
    uint8_t buf[512];
    latch_wr w;

    REQUIRE_OK(latch_client_hello_parse(MSG_BODY(payload, len, LATCH_HS_CLIENT_HELLO), &ch));
    REQUIRE(latch_exts_has(&ch.exts, LATCH_X_PRE_SHARED_KEY));
    data = ch.exts.data[LATCH_X_PRE_SHARED_KEY];
    REQUIRE_OK(latch_new_session_ticket_parse(
        rfc_msg(3, "server", "construct a NewSessionTicket", "NewSessionTicket", 0, LATCH_HS_NEW_SESSION_TICKET,
                NULL, NULL),
        &nst));

    CHECK_OK(latch_ext_psk_ch_parse(data, &o));
    REQUIRE(o.n == 1);
    CHECK_MEM(o.e[0].identity.p, o.e[0].identity.len, nst.ticket.p, nst.ticket.len);
    CHECK_EQ(o.e[0].obfuscated_ticket_age, 0x933d0937);
    CHECK_MEM(o.e[0].binder.p, o.e[0].binder.len, binder, binder_len);
    CHECK_EQ(o.binders_len, 2 + 1 + 32);
    CHECK_EQ(latch_ext_psk_binders_len(o.e, o.n), o.binders_len);
    CHECK_TRUNCATIONS(parse_ch, data.p, data.len, NO_OK_PREFIX);

    /* Built: the same bytes with a zero binder, then patched. */
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_psk_ch_build(&w, o.e, 1);
    REQUIRE_OK(latch_wr_finish(&w));
    REQUIRE(latch_wr_len(&w) == 4 + data.len);
    CHECK_MEM(buf + 4, data.len - 32, data.p, data.len - 32);
    for (size_t i = 0; i < 32; i++) {
        CHECK_EQ(buf[4 + data.len - 32 + i], 0);
    }
    memcpy(buf + 4 + data.len - 32, binder, 32);
    CHECK_MEM(buf + 4, data.len, data.p, data.len);
    CHECK_MEM(buf, 4, (const uint8_t *)"\x00\x29\x00\xdd", 4);
}

static void test_sh(void)
{
    latch_rd data = rfc_sh_ext(4, 0, LATCH_X_PRE_SHARED_KEY);
    uint16_t sel = 9;
    uint8_t buf[8];
    latch_wr w;

    CHECK_OK(latch_ext_psk_sh_parse(data, &sel));
    CHECK_EQ(sel, 0);
    CHECK_TRUNCATIONS(parse_sh, data.p, data.len, NO_OK_PREFIX);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_psk_sh_build(&w, 0);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), (const uint8_t *)"\x00\x29\x00\x02\x00\x00", 6);
    CHECK_OK(latch_ext_psk_sh_parse(latch_rd_make((const uint8_t *)"\x01\x02", 2), &sel));
    CHECK_EQ(sel, 0x0102);
}

/* identities with the given identity lengths, binders with the given sizes. */
static void offered(tbuf *b, size_t n_ids, size_t id_len, size_t n_binders, size_t binder_len)
{
    b->n = 0;
    tb_u16(b, n_ids * (2 + id_len + 4));
    for (size_t i = 0; i < n_ids; i++) {
        tb_u16(b, id_len);
        tb_fill(b, (uint8_t)('a' + i), id_len);
        tb_u32(b, (uint32_t)i);
    }
    tb_u16(b, n_binders * (1 + binder_len));
    for (size_t i = 0; i < n_binders; i++) {
        tb_u8(b, (unsigned)binder_len);
        tb_fill(b, (uint8_t)i, binder_len);
    }
}

static void test_counts(void)
{
    static latch_offered_psks o;

    offered(&t, 2, 3, 2, 48);
    CHECK_OK(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o));
    CHECK_EQ(o.n, 2);
    CHECK_EQ(o.e[1].obfuscated_ticket_age, 1);
    CHECK_EQ(o.e[1].binder.len, 48);
    CHECK_EQ(o.binders_len, 2 + 2 * 49);
    /* RFC 8446 §4.2.11: as many binders as identities. */
    offered(&t, 2, 3, 1, 32);
    CHECK_ERR(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("fewer binders than identities");
    CHECK_EQ(o.n, 0);
    offered(&t, 1, 3, 2, 32);
    CHECK_ERR(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("more binders than identities");
    /* The named limit. */
    offered(&t, LATCH_MAX_PSK_IDENTITIES, 1, LATCH_MAX_PSK_IDENTITIES, 32);
    CHECK_OK(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o));
    CHECK_EQ(o.n, LATCH_MAX_PSK_IDENTITIES);
    offered(&t, LATCH_MAX_PSK_IDENTITIES + 1, 1, LATCH_MAX_PSK_IDENTITIES + 1, 32);
    CHECK_ERR(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("more than 8 entries");
}

static void test_malformed(void)
{
    static latch_offered_psks o;
    latch_wr w;
    uint8_t buf[128];
    latch_psk_identity bad = {{(const uint8_t *)"id", 2}, 0, {NULL, 31}};

    /* identities<7..>: empty. */
    t.n = 0;
    tb_u16(&t, 0);
    tb_u16(&t, 33);
    tb_u8(&t, 32);
    tb_fill(&t, 0, 32);
    CHECK_ERR(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o), LATCH_ERR_DECODE);
    CHECK_DETAIL("pre_shared_key.identities: length 0 outside <7..65535>");
    /* An empty identity (the list is 7 bytes, but identity<1..>). */
    t.n = 0;
    tb_u16(&t, 7);
    tb_u16(&t, 0);
    tb_u32(&t, 0);
    tb_u8(&t, 0);
    tb_u16(&t, 33);
    tb_u8(&t, 32);
    tb_fill(&t, 0, 32);
    CHECK_ERR(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o), LATCH_ERR_DECODE);
    /* A binder of 31 bytes: binders<33..> and PskBinderEntry<32..255>. */
    offered(&t, 1, 3, 1, 31);
    CHECK_ERR(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o), LATCH_ERR_DECODE);
    CHECK_DETAIL("pre_shared_key.binders: length 32 outside <33..65535>");
    offered(&t, 2, 3, 2, 31);
    CHECK_ERR(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o), LATCH_ERR_DECODE);
    CHECK_DETAIL("PskBinderEntry: length 31 outside <32..255>");
    /* No binders at all. */
    offered(&t, 1, 3, 0, 32);
    CHECK_ERR(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o), LATCH_ERR_DECODE);
    /* The identities length one too long / one too short. */
    offered(&t, 1, 3, 1, 32);
    put16(t.b, 10);
    CHECK_ERR(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o), LATCH_ERR_DECODE);
    put16(t.b, 8);
    CHECK_ERR(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o), LATCH_ERR_DECODE);
    /* A trailing byte after the binders. */
    offered(&t, 1, 3, 1, 32);
    tb_u8(&t, 0);
    CHECK_ERR(latch_ext_psk_ch_parse(latch_rd_make(t.b, t.n), &o), LATCH_ERR_DECODE);
    /* The ServerHello form is exactly a uint16. */
    CHECK_ERR(parse_sh(latch_rd_make((const uint8_t *)"\x00\x00\x00", 3)), LATCH_ERR_DECODE);

    /* The builder will not encode a binder outside 32..255. */
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_psk_ch_build(&w, &bad, 1);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_sh),
    TEST(test_counts),
    TEST(test_malformed),
    {0},
};

LATCH_TEST_MAIN(cases)
