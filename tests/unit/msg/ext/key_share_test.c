/* Tests for key_share (src/msg/ext/key_share.c). */
#include "../msg_test_util.h"

static tbuf t;

static latch_err parse_ch(latch_rd data)
{
    static latch_key_shares ks;

    return latch_ext_key_share_ch_parse(data, &ks);
}

static latch_err parse_sh(latch_rd data)
{
    latch_key_share ks;

    return latch_ext_key_share_sh_parse(data, &ks);
}

static latch_err parse_hrr(latch_rd data)
{
    uint16_t g;

    return latch_ext_key_share_hrr_parse(data, &g);
}

static void want_ext(tbuf *b, latch_rd data)
{
    b->n = 0;
    tb_ext(b, LATCH_EXT_KEY_SHARE, data.p, data.len);
}

/* RFC 8448 §3: the client's and the server's x25519 shares; §5: the HRR asks for secp256r1. */
static void test_rfc8448(void)
{
    size_t cpub_len, spub_len;
    const uint8_t *cpub = rfc8448(3, "client", "create an ephemeral x25519", "public key", 0, &cpub_len);
    const uint8_t *spub = rfc8448(3, "server", "create an ephemeral x25519", "public key", 0, &spub_len);
    latch_rd ch = rfc_ch_ext(3, 0, LATCH_X_KEY_SHARE);
    latch_rd sh = rfc_sh_ext(3, 0, LATCH_X_KEY_SHARE);
    latch_rd hrr = rfc_sh_ext(5, 0, LATCH_X_KEY_SHARE);
    latch_rd ch5 = rfc_ch_ext(5, 1, LATCH_X_KEY_SHARE);
    static latch_key_shares ks;
    latch_key_share share;
    uint16_t g;
    uint8_t buf[128];
    latch_wr w;

    CHECK_OK(latch_ext_key_share_ch_parse(ch, &ks));
    REQUIRE(ks.n == 1);
    CHECK_EQ(ks.e[0].group, LATCH_GROUP_X25519);
    CHECK_MEM(ks.e[0].key_exchange.p, ks.e[0].key_exchange.len, cpub, cpub_len);
    CHECK_TRUNCATIONS(parse_ch, ch.p, ch.len, NO_OK_PREFIX);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_key_share_ch_build(&w, ks.e, 1);
    CHECK_OK(latch_wr_finish(&w));
    want_ext(&t, ch);
    CHECK_MEM(buf, latch_wr_len(&w), t.b, t.n);

    CHECK_OK(latch_ext_key_share_sh_parse(sh, &share));
    CHECK_EQ(share.group, LATCH_GROUP_X25519);
    CHECK_MEM(share.key_exchange.p, share.key_exchange.len, spub, spub_len);
    CHECK_TRUNCATIONS(parse_sh, sh.p, sh.len, NO_OK_PREFIX);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_key_share_sh_build(&w, LATCH_GROUP_X25519, spub, spub_len);
    CHECK_OK(latch_wr_finish(&w));
    want_ext(&t, sh);
    CHECK_MEM(buf, latch_wr_len(&w), t.b, t.n);

    CHECK_OK(latch_ext_key_share_hrr_parse(hrr, &g));
    CHECK_EQ(g, LATCH_GROUP_SECP256R1);
    CHECK_TRUNCATIONS(parse_hrr, hrr.p, hrr.len, NO_OK_PREFIX);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_key_share_hrr_build(&w, LATCH_GROUP_SECP256R1);
    CHECK_OK(latch_wr_finish(&w));
    want_ext(&t, hrr);
    CHECK_MEM(buf, latch_wr_len(&w), t.b, t.n);

    /* The second ClientHello of §5 answers with a 65-byte P-256 share. */
    CHECK_OK(latch_ext_key_share_ch_parse(ch5, &ks));
    REQUIRE(ks.n == 1);
    CHECK_EQ(ks.e[0].group, LATCH_GROUP_SECP256R1);
    CHECK_EQ(ks.e[0].key_exchange.len, 65);
}

static void shares(tbuf *b, size_t n, size_t dup_at)
{
    b->n = 0;
    tb_u16(b, n * 5);
    for (size_t i = 0; i < n; i++) {
        tb_u16(b, (i == dup_at) ? 0x0100 : 0x0100 + i);
        tb_u16(b, 1);
        tb_u8(b, (unsigned)i);
    }
}

static void test_limits(void)
{
    static latch_key_shares ks;

    /* An empty client_shares is legal (a client asking for HRR). */
    CHECK_OK(latch_ext_key_share_ch_parse(latch_rd_make((const uint8_t *)"\x00\x00", 2), &ks));
    CHECK_EQ(ks.n, 0);
    shares(&t, LATCH_MAX_KEY_SHARES, (size_t)-1);
    CHECK_OK(latch_ext_key_share_ch_parse(latch_rd_make(t.b, t.n), &ks));
    CHECK_EQ(ks.n, LATCH_MAX_KEY_SHARES);
    CHECK_EQ(ks.e[15].group, 0x010F);
    shares(&t, LATCH_MAX_KEY_SHARES + 1, (size_t)-1);
    CHECK_ERR(latch_ext_key_share_ch_parse(latch_rd_make(t.b, t.n), &ks), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("more than 16 entries");
    CHECK_EQ(ks.n, 0);
    /* One group twice, adjacent or not. */
    shares(&t, 2, 1);
    CHECK_ERR(latch_ext_key_share_ch_parse(latch_rd_make(t.b, t.n), &ks), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("group 0x0100 twice");
    shares(&t, 5, 4);
    CHECK_ERR(latch_ext_key_share_ch_parse(latch_rd_make(t.b, t.n), &ks), LATCH_ERR_ILLEGAL_PARAMETER);
}

static void test_malformed(void)
{
    static latch_key_shares ks;
    latch_key_share share;

    /* key_exchange<1..2^16-1>: empty is DECODE in every form. */
    CHECK_ERR(latch_ext_key_share_ch_parse(latch_rd_make((const uint8_t *)"\x00\x04\x00\x1d\x00\x00", 6), &ks),
              LATCH_ERR_DECODE);
    CHECK_DETAIL("KeyShareEntry.key_exchange: length 0");
    CHECK_ERR(latch_ext_key_share_sh_parse(latch_rd_make((const uint8_t *)"\x00\x1d\x00\x00", 4), &share),
              LATCH_ERR_DECODE);
    /* client_shares one too long / one too short. */
    shares(&t, 2, (size_t)-1);
    put16(t.b, 11);
    CHECK_ERR(latch_ext_key_share_ch_parse(latch_rd_make(t.b, t.n), &ks), LATCH_ERR_DECODE);
    put16(t.b, 9);
    CHECK_ERR(latch_ext_key_share_ch_parse(latch_rd_make(t.b, t.n), &ks), LATCH_ERR_DECODE);
    /* key_exchange length one too long / short inside a correct list. */
    shares(&t, 2, (size_t)-1);
    put16(t.b + 4, 2);
    CHECK_ERR(latch_ext_key_share_ch_parse(latch_rd_make(t.b, t.n), &ks), LATCH_ERR_DECODE);
    put16(t.b + 4, 0);
    CHECK_ERR(latch_ext_key_share_ch_parse(latch_rd_make(t.b, t.n), &ks), LATCH_ERR_DECODE);
    /* The ServerHello and HRR forms take exactly one entry / one group. */
    CHECK_ERR(latch_ext_key_share_sh_parse(latch_rd_make((const uint8_t *)"\x00\x1d\x00\x01\x05\x00", 6), &share),
              LATCH_ERR_DECODE);
    CHECK(share.group == 0 && share.key_exchange.len == 0);
    CHECK_ERR(parse_hrr(latch_rd_make((const uint8_t *)"\x00\x17\x00", 3)), LATCH_ERR_DECODE);
}

/* RFC 8701 §3.1: a GREASE group with a one-byte share, first. */
static void test_grease_build(void)
{
    const uint8_t pub[] = {0xAB, 0xCD};
    latch_key_share s = {LATCH_GROUP_X25519, {pub, sizeof pub}};
    const uint8_t want[] = {0x00, 0x33, 0x00, 0x0d, 0x00, 0x0b, 0x2A, 0x2A, 0x00, 0x01,
                            0x00, 0x00, 0x1d, 0x00, 0x02, 0xAB, 0xCD};
    static latch_key_shares ks;
    uint8_t buf[64];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_key_share_ch_build_grease(&w, 0x2A2A, &s, 1);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), want, sizeof want);
    CHECK_OK(latch_ext_key_share_ch_parse(latch_rd_make(buf + 4, latch_wr_len(&w) - 4), &ks));
    CHECK_EQ(ks.n, 2);
    CHECK_EQ(ks.e[0].group, 0x2A2A);
    /* No share, no GREASE: an empty client_shares. */
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_key_share_ch_build(&w, NULL, 0);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), (const uint8_t *)"\x00\x33\x00\x02\x00\x00", 6);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_limits),
    TEST(test_malformed),
    TEST(test_grease_build),
    {0},
};

LATCH_TEST_MAIN(cases)
