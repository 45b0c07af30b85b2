/* Tests for ServerHello and HelloRetryRequest (src/msg/server_hello.c). */
#include "msg_test_util.h"

static latch_server_hello g_sh;
static tbuf t, x;
static uint8_t out[140000];

static latch_err parse(latch_rd body)
{
    return latch_server_hello_parse(body, &g_sh);
}

/* RFC 8446 §4.1.3: the HRR random is SHA-256("HelloRetryRequest"). */
static void test_hrr_random(void)
{
    const latch_provider *prov = latch_provider_openssl();
    const latch_hash_alg *sha256;
    latch_hash_ctx ctx;
    uint8_t d[32];
    size_t len;
    const uint8_t *hrr = rfc8448(5, "server", "construct a ServerHello", "ServerHello", 0, &len);

    REQUIRE(prov != NULL);
    sha256 = latch_provider_hash(prov, LATCH_HASH_SHA256);
    REQUIRE(sha256 != NULL);
    sha256->init(&ctx);
    sha256->update(&ctx, (const uint8_t *)"HelloRetryRequest", 17);
    sha256->final(&ctx, d);
    CHECK_MEM(latch_hrr_random, 32, d, 32);
    /* ... and what RFC 8448 §5's HelloRetryRequest carries. */
    CHECK_MEM(hrr + 6, 32, latch_hrr_random, 32);
}

/* ---- Rebuilding the RFC's ServerHellos from their parsed fields -------- */

static latch_server_hello_out sho;
static latch_key_share sh_share;

static latch_err build_sho(latch_wr *w)
{
    return latch_server_hello_build(w, &sho);
}

static void from_parsed(const latch_server_hello *sh)
{
    const latch_exts *e = &sh->exts;
    uint32_t handled = 0;
    latch_rd v;

    memset(&sho, 0, sizeof sho);
    sho.legacy_version = sh->legacy_version;
    memcpy(sho.random, sh->random, 32);
    sho.session_id = sh->session_id.p;
    sho.session_id_len = sh->session_id.len;
    sho.cipher_suite = sh->cipher_suite;
    sho.hrr = sh->is_hrr;
    sho.psk_identity = -1;
    REQUIRE(sh->compression_method == 0);
    if (latch_exts_has(e, LATCH_X_SUPPORTED_VERSIONS)) {
        handled |= LATCH_XBIT(LATCH_X_SUPPORTED_VERSIONS);
        REQUIRE_OK(latch_ext_versions_sh_parse(e->data[LATCH_X_SUPPORTED_VERSIONS], &sho.selected_version));
    }
    if (latch_exts_has(e, LATCH_X_KEY_SHARE)) {
        handled |= LATCH_XBIT(LATCH_X_KEY_SHARE);
        if (sh->is_hrr) {
            REQUIRE_OK(latch_ext_key_share_hrr_parse(e->data[LATCH_X_KEY_SHARE], &sho.group));
        } else {
            REQUIRE_OK(latch_ext_key_share_sh_parse(e->data[LATCH_X_KEY_SHARE], &sh_share));
            sho.group = sh_share.group;
            sho.pub = sh_share.key_exchange.p;
            sho.pub_len = sh_share.key_exchange.len;
        }
    }
    if (latch_exts_has(e, LATCH_X_COOKIE)) {
        handled |= LATCH_XBIT(LATCH_X_COOKIE);
        REQUIRE_OK(latch_ext_cookie_parse(e->data[LATCH_X_COOKIE], &v));
        sho.cookie = v.p;
        sho.cookie_len = v.len;
    }
    if (latch_exts_has(e, LATCH_X_PRE_SHARED_KEY)) {
        uint16_t sel;

        handled |= LATCH_XBIT(LATCH_X_PRE_SHARED_KEY);
        REQUIRE_OK(latch_ext_psk_sh_parse(e->data[LATCH_X_PRE_SHARED_KEY], &sel));
        sho.psk_identity = sel;
    }
    CHECK_EQ(e->present & ~handled, 0);
}

static void check_rfc_sh(int section, int nth, bool hrr, size_t n_exts)
{
    const uint8_t *msg;
    size_t len;
    latch_rd body = rfc_msg(section, "server", "construct a ServerHello", "ServerHello", nth, LATCH_HS_SERVER_HELLO,
                            &msg, &len);
    static uint8_t copy[512];

    REQUIRE_OK(latch_server_hello_parse(body, &g_sh));
    CHECK_EQ(g_sh.is_hrr, hrr);
    CHECK_EQ(g_sh.exts.count, n_exts);
    CHECK_EQ(g_sh.legacy_version, LATCH_TLS12);
    CHECK_EQ(g_sh.cipher_suite, LATCH_TLS_AES_128_GCM_SHA256);
    from_parsed(&g_sh);
    CHECK_EQ(sho.selected_version, LATCH_TLS13);
    REQUIRE(len <= sizeof copy);
    memcpy(copy, msg, len);
    CHECK_BUILD_CAPS(build_sho, copy, len);
    /* Every prefix fails; the one ending at the compression method would
     * be a TLS 1.2 ServerHello, but not for a HelloRetryRequest. */
    CHECK_TRUNCATIONS(parse, body.p, body.len, hrr ? NO_OK_PREFIX : 38 + g_sh.session_id.len);
}

static void test_rfc8448_all(void)
{
    check_rfc_sh(3, 0, false, 2);
    check_rfc_sh(4, 0, false, 3);
    check_rfc_sh(5, 0, true, 3);
    check_rfc_sh(5, 1, false, 2);
    check_rfc_sh(6, 0, false, 2);
    check_rfc_sh(7, 0, false, 2);
}

/* RFC 8448 §3, field by field, and the built bytes with the extensions in
 * the trace's order: key_share, then supported_versions. */
static void test_rfc8448_fields(void)
{
    const uint8_t *msg;
    size_t len, pub_len;
    latch_rd body = rfc_msg(3, "server", "construct a ServerHello", "ServerHello", 0, LATCH_HS_SERVER_HELLO, &msg, &len);
    const uint8_t *pub = rfc8448(3, "server", "create an ephemeral x25519", "public key", 0, &pub_len);
    latch_key_share ks;
    uint16_t v;
    size_t n;

    REQUIRE_OK(latch_server_hello_parse(body, &g_sh));
    CHECK_EQ(len, 90);
    CHECK_MEM(g_sh.random, 32, msg + 6, 32);
    CHECK_EQ(g_sh.random[0], 0x12);
    CHECK_EQ(g_sh.session_id.len, 0);
    CHECK_EQ(g_sh.compression_method, 0);
    CHECK(!g_sh.is_hrr);
    CHECK_EQ(g_sh.exts.present, LATCH_XBIT(LATCH_X_KEY_SHARE) | LATCH_XBIT(LATCH_X_SUPPORTED_VERSIONS));
    CHECK_EQ(g_sh.exts.last_code, LATCH_EXT_SUPPORTED_VERSIONS);
    CHECK_OK(latch_ext_key_share_sh_parse(g_sh.exts.data[LATCH_X_KEY_SHARE], &ks));
    CHECK_EQ(ks.group, LATCH_GROUP_X25519);
    CHECK_MEM(ks.key_exchange.p, ks.key_exchange.len, pub, pub_len);
    CHECK_OK(latch_ext_versions_sh_parse(g_sh.exts.data[LATCH_X_SUPPORTED_VERSIONS], &v));
    CHECK_EQ(v, LATCH_TLS13);

    /* Built from the RFC's values written out, not from the parse. */
    memset(&sho, 0, sizeof sho);
    sho.legacy_version = 0x0303;
    memcpy(sho.random, msg + 6, 32);
    sho.cipher_suite = LATCH_TLS_AES_128_GCM_SHA256;
    sho.selected_version = LATCH_TLS13;
    sho.group = LATCH_GROUP_X25519;
    sho.pub = pub;
    sho.pub_len = pub_len;
    sho.psk_identity = -1;
    n = BUILD_INTO(build_sho, out, sizeof out);
    CHECK_MEM(out, n, msg, len);
}

/* RFC 8448 §5: the HelloRetryRequest, built from its values. */
static void test_rfc8448_hrr(void)
{
    const uint8_t *msg;
    size_t len, n;
    latch_rd body = rfc_msg(5, "server", "construct a ServerHello", "ServerHello", 0, LATCH_HS_SERVER_HELLO, &msg, &len);
    latch_rd cookie;
    uint16_t g;

    REQUIRE_OK(latch_server_hello_parse(body, &g_sh));
    CHECK(g_sh.is_hrr);
    CHECK_OK(latch_ext_key_share_hrr_parse(g_sh.exts.data[LATCH_X_KEY_SHARE], &g));
    CHECK_EQ(g, LATCH_GROUP_SECP256R1);
    CHECK_OK(latch_ext_cookie_parse(g_sh.exts.data[LATCH_X_COOKIE], &cookie));
    CHECK_EQ(cookie.len, 0x72);

    memset(&sho, 0, sizeof sho);
    memset(sho.random, 0x77, 32); /* ignored for an HRR */
    sho.legacy_version = 0x0303;
    sho.cipher_suite = LATCH_TLS_AES_128_GCM_SHA256;
    sho.hrr = true;
    sho.selected_version = LATCH_TLS13;
    sho.group = LATCH_GROUP_SECP256R1;
    sho.cookie = cookie.p;
    sho.cookie_len = cookie.len;
    sho.psk_identity = -1;
    n = BUILD_INTO(build_sho, out, sizeof out);
    CHECK_MEM(out, n, msg, len);
}

/* ---- TLS 1.2 ServerHello ------------------------------------------------- */

static const uint8_t h2[] = {0x02, 'h', '2'};

static void sh12_out(void)
{
    memset(&sho, 0, sizeof sho);
    sho.legacy_version = LATCH_TLS12;
    memset(sho.random, 0x31, 32);
    sho.session_id = (const uint8_t *)"0123456789abcdef0123456789abcdef";
    sho.session_id_len = 32;
    sho.cipher_suite = LATCH_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
    sho.psk_identity = -1;
    sho.ems = true;
    sho.reneg_info = true;
    sho.point_formats = true;
    sho.session_ticket = true;
    sho.alpn_wire = h2;
    sho.alpn_len = sizeof h2;
    sho.server_name_ack = true;
}

static void test_tls12(void)
{
    size_t n;
    latch_rd v;

    sh12_out();
    n = BUILD_INTO(build_sho, out, sizeof out);
    REQUIRE_OK(latch_server_hello_parse(MSG_BODY(out, n, LATCH_HS_SERVER_HELLO), &g_sh));
    CHECK(!g_sh.is_hrr);
    CHECK_EQ(g_sh.cipher_suite, LATCH_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
    CHECK_EQ(g_sh.session_id.len, 32);
    CHECK_EQ(g_sh.exts.present,
             LATCH_XBIT(LATCH_X_EXTENDED_MASTER_SECRET) | LATCH_XBIT(LATCH_X_RENEGOTIATION_INFO) |
                 LATCH_XBIT(LATCH_X_EC_POINT_FORMATS) | LATCH_XBIT(LATCH_X_SESSION_TICKET) |
                 LATCH_XBIT(LATCH_X_ALPN) | LATCH_XBIT(LATCH_X_SERVER_NAME));
    CHECK_OK(latch_ext_alpn_parse_one(g_sh.exts.data[LATCH_X_ALPN], &v));
    CHECK_MEM(v.p, v.len, (const uint8_t *)"h2", 2);
    CHECK_OK(latch_ext_point_formats_parse(g_sh.exts.data[LATCH_X_EC_POINT_FORMATS]));
    CHECK_OK(latch_ext_empty_parse(g_sh.exts.data[LATCH_X_SERVER_NAME]));
    CHECK_TRUNCATIONS(parse, out + 4, n - 4, 38 + 32);
    {
        static uint8_t copy[256];

        memcpy(copy, out, n);
        CHECK_BUILD_CAPS(build_sho, copy, n);
    }

    /* No extension at all: no block (RFC 5246 §7.4.1.3). */
    memset(&sho, 0, sizeof sho);
    sho.legacy_version = LATCH_TLS12;
    sho.cipher_suite = LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256;
    sho.psk_identity = -1;
    n = BUILD_INTO(build_sho, out, sizeof out);
    CHECK_EQ(n, 4 + 38);
    REQUIRE_OK(latch_server_hello_parse(MSG_BODY(out, n, LATCH_HS_SERVER_HELLO), &g_sh));
    CHECK_EQ(g_sh.exts.count, 0);
}

/* ---- The malformed-input catalogue ---------------------------------------- */

/* A ServerHello body: fixed part (random `rnd`), then the block in x (or none). */
static void sh_body(const uint8_t *rnd, size_t sid_len, const tbuf *block)
{
    t.n = 0;
    tb_u16(&t, 0x0303);
    tb_bytes(&t, rnd, 32);
    tb_u8(&t, (unsigned)sid_len);
    tb_fill(&t, 0x44, sid_len);
    tb_u16(&t, 0x1301);
    tb_u8(&t, 0);
    if (block != NULL) {
        tb_u16(&t, block->n);
        tb_bytes(&t, block->b, block->n);
    }
}

static const uint8_t rnd[32] = {9, 9, 9};

static void test_fields(void)
{
    x.n = 0;
    tb_ext(&x, LATCH_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    sh_body(rnd, 32, &x);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    sh_body(rnd, 33, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("ServerHello.legacy_session_id_echo: length 33 outside <0..32>");
    /* Block length one too long, one too short. */
    sh_body(rnd, 0, &x);
    put16(t.b + 38, x.n + 1);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    put16(t.b + 38, x.n - 1);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    /* An empty block: a TLS 1.2 ServerHello may have one. */
    x.n = 0;
    sh_body(rnd, 0, &x);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    /* A HelloRetryRequest may not, nor can it omit the block. */
    sh_body(latch_hrr_random, 0, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("HelloRetryRequest.extensions: length 0 outside <6..65535>");
    sh_body(latch_hrr_random, 0, NULL);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
}

static void test_contexts(void)
{
    /* TLS 1.3 (supported_versions present): a TLS 1.2-only extension is illegal. */
    x.n = 0;
    tb_ext(&x, LATCH_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    tb_ext(&x, LATCH_EXT_EXTENDED_MASTER_SECRET, NULL, 0);
    sh_body(rnd, 0, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("ServerHello.extensions: extended_master_secret is not allowed");
    /* ... and so is EE material (RFC 8446 §4.2: server_name is CH, EE). */
    x.n = 0;
    tb_ext(&x, LATCH_EXT_SERVER_NAME, NULL, 0);
    tb_ext(&x, LATCH_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    sh_body(rnd, 0, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    /* TLS 1.2 (no supported_versions): key_share is illegal. */
    x.n = 0;
    tb_ext(&x, LATCH_EXT_KEY_SHARE, "\x00\x1d\x00\x01\x01", 5);
    sh_body(rnd, 0, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("ServerHello (TLS 1.2).extensions: key_share");
    /* HRR: no pre_shared_key; cookie is fine. */
    x.n = 0;
    tb_ext(&x, LATCH_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    tb_ext(&x, LATCH_EXT_COOKIE, "\x00\x01\x01", 3);
    sh_body(latch_hrr_random, 0, &x);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    CHECK(g_sh.is_hrr);
    tb_ext(&x, LATCH_EXT_PRE_SHARED_KEY, "\x00\x00", 2);
    sh_body(latch_hrr_random, 0, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("HelloRetryRequest.extensions: pre_shared_key");
    /* A cookie in a plain ServerHello. */
    x.n = 0;
    tb_ext(&x, LATCH_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    tb_ext(&x, LATCH_EXT_COOKIE, "\x00\x01\x01", 3);
    sh_body(rnd, 0, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    /* Unknown extensions in a response, in each of the three forms. */
    x.n = 0;
    tb_ext(&x, LATCH_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    tb_ext(&x, 0x0A0A, NULL, 0);
    sh_body(rnd, 0, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_UNSUPPORTED_EXTENSION);
    sh_body(latch_hrr_random, 0, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_UNSUPPORTED_EXTENSION);
    x.n = 0;
    tb_ext(&x, 0x5555, NULL, 0);
    sh_body(rnd, 0, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_UNSUPPORTED_EXTENSION);
    /* Duplicates. */
    x.n = 0;
    tb_ext(&x, LATCH_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    tb_ext(&x, LATCH_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    sh_body(rnd, 0, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DUPLICATE_EXTENSION);
    /* A block that is malformed before supported_versions is still DECODE. */
    x.n = 0;
    tb_ext(&x, LATCH_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    put16(x.b + 2, 3);
    sh_body(rnd, 0, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
}

static void test_invalid_arguments(void)
{
    static uint8_t big[0xFFFF];
    latch_wr w;

#define BAD(setup, stmt, detail)                                                   \
    do {                                                                           \
        setup;                                                                     \
        stmt;                                                                      \
        latch_wr_init(&w, out, sizeof out);                                        \
        CHECK_ERR(latch_server_hello_build(&w, &sho), LATCH_ERR_INVALID_ARGUMENT); \
        CHECK_DETAIL(detail);                                                      \
        CHECK_EQ(latch_wr_len(&w), 0);                                             \
    } while (0)
    BAD(sh12_out(), sho.session_id_len = 33, "legacy_session_id_echo");
    BAD(sh12_out(), sho.selected_version = LATCH_TLS13, "TLS 1.2 extensions");
    BAD(sh12_out(), (sho.alpn_wire = (const uint8_t *)"\x02h2\x01x", sho.alpn_len = 5), "exactly one name");
    BAD(sh12_out(), (sho.alpn_wire = (const uint8_t *)"\x00", sho.alpn_len = 1), "exactly one name");
    BAD(sh12_out(), (sho.cookie = (const uint8_t *)"c", sho.cookie_len = 1), "cookie");
    memset(&sho, 0, sizeof sho);
    sho.psk_identity = -1;
    sho.selected_version = LATCH_TLS13;
    BAD(sho.hrr = true, (sho.group = 0x17, sho.psk_identity = 0), "pre_shared_key");
    BAD((sho.psk_identity = -1, sho.group = 0), (sho.hrr = true, sho.selected_version = 0), "selected_version is required");
    BAD(sho.hrr = false, (sho.selected_version = LATCH_TLS13, sho.group = 0x1d, sho.pub_len = 0), "server_share");
    BAD(sho.pub = big, (sho.pub_len = 0x10000), "server_share");
    BAD(sho.pub_len = 32, (sho.group = 0, sho.psk_identity = 0x10000), "selected_identity");
    BAD(sho.psk_identity = -1, (sho.group = 0x1d, sho.selected_version = 0), "without selected_version");
    BAD(sho.group = 0, (sho.psk_identity = 0, sho.selected_version = 0), "without selected_version");
#undef BAD
    /* A share near 64 KiB with supported_versions overflows the block: the
     * writer is left as it was. */
    memset(&sho, 0, sizeof sho);
    sho.psk_identity = -1;
    sho.selected_version = LATCH_TLS13;
    sho.group = 0x1d;
    sho.pub = big;
    sho.pub_len = 0xFFFF - 8;
    latch_wr_init(&w, out, sizeof out);
    latch_wr_u8(&w, 0xEE);
    CHECK_ERR(latch_server_hello_build(&w, &sho), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_DETAIL("ServerHello.extensions: 65541 bytes");
    CHECK_EQ(latch_wr_len(&w), 1);
    CHECK_OK(latch_wr_finish(&w));
    sho.pub_len = 0xFFFF - 14;
    latch_wr_init(&w, out, sizeof out);
    CHECK_OK(latch_server_hello_build(&w, &sho));
    REQUIRE_OK(latch_server_hello_parse(MSG_BODY(out, latch_wr_len(&w), LATCH_HS_SERVER_HELLO), &g_sh));
}

static const latch_test cases[] = {
    TEST(test_hrr_random),
    TEST(test_rfc8448_all),
    TEST(test_rfc8448_fields),
    TEST(test_rfc8448_hrr),
    TEST(test_tls12),
    TEST(test_fields),
    TEST(test_contexts),
    TEST(test_invalid_arguments),
    {0},
};

LATCH_TEST_MAIN(cases)
