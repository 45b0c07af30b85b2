/* Tests for EncryptedExtensions (src/msg/encrypted_extensions.c). */
#include "msg_test_util.h"

static latch_encrypted_extensions g_ee;
static latch_encrypted_extensions_out eeo;
static tbuf t;
static uint8_t out[4096];

static latch_err parse(latch_rd body)
{
    return latch_encrypted_extensions_parse(body, &g_ee);
}

static latch_err build(latch_wr *w)
{
    return latch_encrypted_extensions_build(w, &eeo);
}

/* RFC 8448 §3: supported_groups, record_size_limit, server_name (empty). */
static void test_rfc8448(void)
{
    const uint8_t *msg;
    size_t len;
    latch_rd body = rfc_msg(3, "server", "construct a EncryptedExtensions", "EncryptedExtensions", 0,
                            LATCH_HS_ENCRYPTED_EXTENSIONS, &msg, &len);
    static uint16_t groups[16];
    static uint8_t copy[64];
    latch_u16s l;
    uint16_t rsl;

    REQUIRE_OK(latch_encrypted_extensions_parse(body, &g_ee));
    CHECK_EQ(g_ee.exts.count, 3);
    CHECK_EQ(g_ee.exts.present, LATCH_XBIT(LATCH_X_SUPPORTED_GROUPS) | LATCH_XBIT(LATCH_X_RECORD_SIZE_LIMIT) |
                                    LATCH_XBIT(LATCH_X_SERVER_NAME));
    CHECK_OK(latch_ext_groups_parse(g_ee.exts.data[LATCH_X_SUPPORTED_GROUPS], &l));
    CHECK_EQ(latch_u16s_count(l), 9);
    CHECK_EQ(latch_u16s_at(l, 0), LATCH_GROUP_X25519);
    CHECK_EQ(latch_u16s_at(l, 8), 0x0104);
    CHECK_OK(latch_ext_record_size_limit_parse(g_ee.exts.data[LATCH_X_RECORD_SIZE_LIMIT], &rsl));
    CHECK_EQ(rsl, 0x4001);
    CHECK_OK(latch_ext_empty_parse(g_ee.exts.data[LATCH_X_SERVER_NAME]));
    CHECK_TRUNCATIONS(parse, body.p, body.len, NO_OK_PREFIX);

    /* Built in the trace's order. */
    memset(&eeo, 0, sizeof eeo);
    for (size_t i = 0; i < latch_u16s_count(l); i++) {
        groups[i] = latch_u16s_at(l, i);
    }
    eeo.groups = groups;
    eeo.n_groups = latch_u16s_count(l);
    eeo.record_size_limit = rsl;
    eeo.server_name_ack = true;
    memcpy(copy, msg, len);
    CHECK_BUILD_CAPS(build, copy, len);

    /* §4 (resumed with 0-RTT) adds early_data; §6 is the same as §3. */
    body = rfc_msg(4, "server", "construct a EncryptedExtensions", "EncryptedExtensions", 0,
                   LATCH_HS_ENCRYPTED_EXTENSIONS, &msg, &len);
    REQUIRE_OK(latch_encrypted_extensions_parse(body, &g_ee));
    CHECK(latch_exts_has(&g_ee.exts, LATCH_X_EARLY_DATA));
    eeo.early_data = true;
    CHECK_MEM(out, BUILD_INTO(build, out, sizeof out), msg, len);
}

static void test_round_trip(void)
{
    const uint8_t alpn[] = {0x08, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    latch_rd v;
    size_t n;

    memset(&eeo, 0, sizeof eeo);
    n = BUILD_INTO(build, out, sizeof out);
    CHECK_MEM(out, n, (const uint8_t *)"\x08\x00\x00\x02\x00\x00", 6);
    eeo.alpn_wire = alpn;
    eeo.alpn_len = sizeof alpn;
    eeo.early_data = true;
    n = BUILD_INTO(build, out, sizeof out);
    REQUIRE_OK(latch_encrypted_extensions_parse(MSG_BODY(out, n, LATCH_HS_ENCRYPTED_EXTENSIONS), &g_ee));
    CHECK_EQ(g_ee.exts.present, LATCH_XBIT(LATCH_X_ALPN) | LATCH_XBIT(LATCH_X_EARLY_DATA));
    CHECK_OK(latch_ext_alpn_parse_one(g_ee.exts.data[LATCH_X_ALPN], &v));
    CHECK_MEM(v.p, v.len, alpn + 1, 8);
    CHECK_OK(latch_ext_empty_parse(g_ee.exts.data[LATCH_X_EARLY_DATA]));
}

static void test_malformed(void)
{
    /* Not a list of extensions at all, or a wrong block length. */
    CHECK_ERR(parse_exact(parse, NULL, 0), LATCH_ERR_DECODE);
    CHECK_ERR(parse_exact(parse, (const uint8_t *)"\x00\x01\x00", 3), LATCH_ERR_DECODE);
    CHECK_ERR(parse_exact(parse, (const uint8_t *)"\x00\x04\x00\x00\x00", 5), LATCH_ERR_DECODE);
    CHECK_ERR(parse_exact(parse, (const uint8_t *)"\x00\x04\x00\x00\x00\x00\x00", 7), LATCH_ERR_DECODE);
    CHECK_DETAIL("EncryptedExtensions: 1 trailing bytes");
    /* Allowed in EE only per RFC 8446 §4.2: key_share is SH; padding is CH. */
    t.n = 0;
    tb_u16(&t, 9);
    tb_ext(&t, LATCH_EXT_KEY_SHARE, "\x00\x1d\x00\x01\x01", 5);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("EncryptedExtensions.extensions: key_share is not allowed");
    t.n = 0;
    tb_u16(&t, 4);
    tb_ext(&t, LATCH_EXT_PADDING, NULL, 0);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    /* A TLS 1.2-only extension. */
    t.n = 0;
    tb_u16(&t, 4);
    tb_ext(&t, LATCH_EXT_EXTENDED_MASTER_SECRET, NULL, 0);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    /* Unknown: we never offered it. */
    t.n = 0;
    tb_u16(&t, 4);
    tb_ext(&t, 0x0A0A, NULL, 0);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_UNSUPPORTED_EXTENSION);
    /* Duplicate. */
    t.n = 0;
    tb_u16(&t, 8);
    tb_ext(&t, LATCH_EXT_EARLY_DATA, NULL, 0);
    tb_ext(&t, LATCH_EXT_EARLY_DATA, NULL, 0);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DUPLICATE_EXTENSION);
}

static void test_invalid_arguments(void)
{
    latch_wr w;

    memset(&eeo, 0, sizeof eeo);
    eeo.alpn_wire = (const uint8_t *)"\x02h2\x02h3";
    eeo.alpn_len = 6;
    latch_wr_init(&w, out, sizeof out);
    CHECK_ERR(latch_encrypted_extensions_build(&w, &eeo), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_DETAIL("exactly one name");
    CHECK_EQ(latch_wr_len(&w), 0);
    memset(&eeo, 0, sizeof eeo);
    eeo.record_size_limit = 10;
    CHECK_ERR(latch_encrypted_extensions_build(&w, &eeo), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_DETAIL("record_size_limit");
    memset(&eeo, 0, sizeof eeo);
    eeo.n_groups = 0x4000;
    CHECK_ERR(latch_encrypted_extensions_build(&w, &eeo), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(latch_wr_len(&w), 0);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_round_trip),
    TEST(test_malformed),
    TEST(test_invalid_arguments),
    {0},
};

LATCH_TEST_MAIN(cases)
