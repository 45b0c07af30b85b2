/* Tests for Certificate (src/msg/certificate.c). */
#include "msg_test_util.h"

static latch_certificate g_ct;
static bool g_tls13;
static tbuf t;
static uint8_t out[1200000];

static latch_err parse(latch_rd body)
{
    return latch_certificate_parse(body, g_tls13, &g_ct);
}

static const uint8_t *b_ctx;
static size_t b_ctx_len, b_n;
static const latch_rd *b_certs;

static latch_err build(latch_wr *w)
{
    return latch_certificate_build(w, g_tls13, b_ctx, b_ctx_len, b_certs, b_n);
}

/* RFC 8448 §3: one 432-byte RSA certificate, no extensions; §6: the
 * client's, after a CertificateRequest with an empty context. */
static void test_rfc8448(void)
{
    const uint8_t *msg;
    size_t len;
    latch_rd body = rfc_msg(3, "server", "construct a Certificate", "Certificate", 0, LATCH_HS_CERTIFICATE, &msg, &len);
    static uint8_t copy[512];

    g_tls13 = true;
    REQUIRE_OK(latch_certificate_parse(body, true, &g_ct));
    CHECK_EQ(g_ct.request_context.len, 0);
    REQUIRE(g_ct.n == 1);
    CHECK_EQ(g_ct.certs[0].len, 0x1b0);
    CHECK_EQ(g_ct.certs[0].p[0], 0x30); /* a DER SEQUENCE */
    CHECK_MEM(g_ct.certs[0].p + 0x1b0 - 4, 4, (const uint8_t *)"\xb4\x2b\x4d\xe1", 4);
    CHECK_TRUNCATIONS(parse, body.p, body.len, NO_OK_PREFIX);
    /* The truncation runs parsed heap copies, since freed: parse again. */
    REQUIRE_OK(latch_certificate_parse(body, true, &g_ct));

    b_ctx = NULL;
    b_ctx_len = 0;
    b_certs = g_ct.certs;
    b_n = 1;
    memcpy(copy, msg, len);
    CHECK_BUILD_CAPS(build, copy, len);

    body = rfc_msg(6, "client", "construct a Certificate", "Certificate", 0, LATCH_HS_CERTIFICATE, &msg, &len);
    REQUIRE_OK(latch_certificate_parse(body, true, &g_ct));
    CHECK_EQ(g_ct.n, 1);
    CHECK_MEM(out, BUILD_INTO(build, out, sizeof out), msg, len);
}

static const uint8_t der_a[] = {0x30, 0x03, 0x02, 0x01, 0x01};
static const uint8_t der_b[] = {0x30, 0x03, 0x02, 0x01, 0x02, 0x99};

static void test_round_trip(void)
{
    latch_rd certs[2] = {{der_a, sizeof der_a}, {der_b, sizeof der_b}};
    const uint8_t ctx[] = {0xC0, 0xFF, 0xEE};
    size_t n;

    for (int v = 0; v < 2; v++) {
        g_tls13 = v == 1;
        b_ctx = g_tls13 ? ctx : NULL;
        b_ctx_len = g_tls13 ? sizeof ctx : 0;
        b_certs = certs;
        b_n = 2;
        n = BUILD_INTO(build, out, sizeof out);
        REQUIRE_OK(latch_certificate_parse(MSG_BODY(out, n, LATCH_HS_CERTIFICATE), g_tls13, &g_ct));
        CHECK_MEM(g_ct.request_context.p, g_ct.request_context.len, b_ctx, b_ctx_len);
        CHECK_EQ(g_ct.n, 2);
        CHECK_MEM(g_ct.certs[0].p, g_ct.certs[0].len, der_a, sizeof der_a);
        CHECK_MEM(g_ct.certs[1].p, g_ct.certs[1].len, der_b, sizeof der_b);
        CHECK_EQ(n, 4 + (g_tls13 ? 1u + 3u : 0u) + 3 + 2 * 3 + sizeof der_a + sizeof der_b + (g_tls13 ? 4u : 0u));
        CHECK_TRUNCATIONS(parse, out + 4, n - 4, NO_OK_PREFIX);
        /* An empty Certificate (a client without one). */
        b_n = 0;
        n = BUILD_INTO(build, out, sizeof out);
        REQUIRE_OK(latch_certificate_parse(MSG_BODY(out, n, LATCH_HS_CERTIFICATE), g_tls13, &g_ct));
        CHECK_EQ(g_ct.n, 0);
    }
    /* The TLS 1.2 form is the RFC 5246 one: no context, no extensions. */
    g_tls13 = false;
    b_certs = certs;
    b_n = 1;
    b_ctx = NULL;
    b_ctx_len = 0;
    n = BUILD_INTO(build, out, sizeof out);
    CHECK_MEM(out, n, (const uint8_t *)"\x0b\x00\x00\x0b\x00\x00\x08\x00\x00\x05\x30\x03\x02\x01\x01", 15);
}

/* A TLS 1.3 Certificate of n certificates of the given size. */
static void chain13(size_t n, size_t size, const tbuf *exts)
{
    size_t ext_len = (exts != NULL) ? exts->n : 0;

    t.n = 0;
    tb_u8(&t, 0);
    tb_u24(&t, n * (3 + size + 2 + ext_len));
    for (size_t i = 0; i < n; i++) {
        tb_u24(&t, size);
        tb_fill(&t, 0x30, size);
        tb_u16(&t, ext_len);
        if (exts != NULL) {
            tb_bytes(&t, exts->b, exts->n);
        }
    }
}

static void test_limits(void)
{
    g_tls13 = true;
    chain13(LATCH_MAX_CHAIN_CERTS, 10, NULL);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    CHECK_EQ(g_ct.n, LATCH_MAX_CHAIN_CERTS);
    chain13(LATCH_MAX_CHAIN_CERTS + 1, 10, NULL);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_CERT_CHAIN_TOO_LONG);
    CHECK_DETAIL("more than 16 certificates");
    chain13(1, LATCH_MAX_CERT_SIZE, NULL);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    CHECK_EQ(g_ct.certs[0].len, LATCH_MAX_CERT_SIZE);
    chain13(1, LATCH_MAX_CERT_SIZE + 1, NULL);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_CERT_TOO_LARGE);
    CHECK_DETAIL("CertificateEntry.cert_data: 65537 bytes");
    /* Truncated inside the oversized certificate: the list length no
     * longer fits, which is DECODE. */
    CHECK_ERR(parse_exact(parse, t.b, t.n - 100), LATCH_ERR_DECODE);

    g_tls13 = false;
    t.n = 0;
    tb_u24(&t, LATCH_MAX_CERT_SIZE + 1 + 3);
    tb_u24(&t, LATCH_MAX_CERT_SIZE + 1);
    tb_fill(&t, 0x30, LATCH_MAX_CERT_SIZE + 1);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_CERT_TOO_LARGE);
    t.n = 0;
    tb_u24(&t, 17 * 4);
    for (int i = 0; i < 17; i++) {
        tb_u24(&t, 1);
        tb_u8(&t, 0x30);
    }
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_CERT_CHAIN_TOO_LONG);
}

static void test_malformed(void)
{
    static tbuf e;

    g_tls13 = true;
    /* An empty cert_data. */
    chain13(1, 0, NULL);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("CertificateEntry.cert_data: length 0 outside <1..16777215>");
    /* The list length one off either way; the cert length one off. */
    chain13(2, 5, NULL);
    put24(t.b + 1, 2 * 10 + 1);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    put24(t.b + 1, 2 * 10 - 1);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    chain13(2, 5, NULL);
    put24(t.b + 4, 6);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    put24(t.b + 4, 4);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    /* The context length over what follows. */
    chain13(1, 5, NULL);
    t.b[0] = 200;
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    /* CertificateEntry extensions: status_request and SCT are allowed
     * (RFC 8446 §4.2: CT); key_share is not; unknown ones are ignored;
     * duplicates are not. */
    e.n = 0;
    tb_ext(&e, LATCH_EXT_STATUS_REQUEST, "ocsp", 4);
    tb_ext(&e, LATCH_EXT_SCT, "sct", 3);
    tb_ext(&e, 0x9999, NULL, 0);
    chain13(2, 5, &e);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    CHECK_EQ(g_ct.n, 2);
    e.n = 0;
    tb_ext(&e, LATCH_EXT_KEY_SHARE, NULL, 0);
    chain13(1, 5, &e);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("CertificateEntry.extensions: key_share is not allowed");
    e.n = 0;
    tb_ext(&e, LATCH_EXT_STATUS_REQUEST, NULL, 0);
    tb_ext(&e, LATCH_EXT_STATUS_REQUEST, NULL, 0);
    chain13(1, 5, &e);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DUPLICATE_EXTENSION);
    /* Extensions length one too long. */
    chain13(1, 5, NULL);
    put16(t.b + 1 + 3 + 3 + 5, 1);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);

    /* TLS 1.2: empty ASN.1Cert; a 1.3 message read as 1.2. */
    g_tls13 = false;
    CHECK_ERR(parse_exact(parse, (const uint8_t *)"\x00\x00\x03\x00\x00\x00", 6), LATCH_ERR_DECODE);
    CHECK_DETAIL("Certificate.ASN.1Cert: length 0");
    chain13(1, 5, NULL);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_OK(parse_exact(parse, (const uint8_t *)"\x00\x00\x00", 3));
    CHECK_EQ(g_ct.n, 0);
    CHECK_TRUNCATIONS(parse, (const uint8_t *)"\x00\x00\x04\x00\x00\x01\x30", 7, NO_OK_PREFIX);
}

static void test_invalid_arguments(void)
{
    static latch_rd certs[17];
    static uint8_t big[LATCH_MAX_CERT_SIZE + 1];
    latch_wr w;

    for (int i = 0; i < 17; i++) {
        certs[i] = latch_rd_make(der_a, sizeof der_a);
    }
    latch_wr_init(&w, out, sizeof out);
    CHECK_ERR(latch_certificate_build(&w, true, NULL, 0, certs, 17), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_DETAIL("17 certificates");
    CHECK_OK(latch_certificate_build(&w, true, NULL, 0, certs, 16));
    REQUIRE_OK(latch_certificate_parse(MSG_BODY(out, latch_wr_len(&w), LATCH_HS_CERTIFICATE), true, &g_ct));
    CHECK_EQ(g_ct.n, 16);
    latch_wr_init(&w, out, sizeof out);
    CHECK_ERR(latch_certificate_build(&w, false, (const uint8_t *)"x", 1, certs, 1), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_certificate_build(&w, true, big, 256, certs, 1), LATCH_ERR_INVALID_ARGUMENT);
    certs[0] = latch_rd_make(big, sizeof big);
    CHECK_ERR(latch_certificate_build(&w, true, NULL, 0, certs, 1), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_DETAIL("certificate 0 has 65537 bytes");
    certs[0] = latch_rd_make(NULL, 0);
    CHECK_ERR(latch_certificate_build(&w, true, NULL, 0, certs, 1), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(latch_wr_len(&w), 0);
    /* The largest legal chain fits the 24-bit lengths. */
    for (int i = 0; i < 16; i++) {
        certs[i] = latch_rd_make(big, LATCH_MAX_CERT_SIZE);
    }
    CHECK_OK(latch_certificate_build(&w, true, big, 255, certs, 16));
    REQUIRE_OK(latch_certificate_parse(MSG_BODY(out, latch_wr_len(&w), LATCH_HS_CERTIFICATE), true, &g_ct));
    CHECK_EQ(g_ct.n, 16);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_round_trip),
    TEST(test_limits),
    TEST(test_malformed),
    TEST(test_invalid_arguments),
    {0},
};

LATCH_TEST_MAIN(cases)
