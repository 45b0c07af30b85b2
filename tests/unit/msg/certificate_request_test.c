/* Tests for CertificateRequest (src/msg/certificate_request.c). */
#include "msg_test_util.h"

static latch_certificate_request g_cr;
static latch_certificate_request_out cro;
static tbuf t;
static uint8_t out[140000];

static latch_err parse(latch_rd body)
{
    return latch_certificate_request_parse(body, &g_cr);
}

static latch_err build(latch_wr *w)
{
    return latch_certificate_request_build(w, &cro);
}

/* RFC 8448 §6: an empty context and signature_algorithms only. */
static void test_rfc8448(void)
{
    const uint8_t *msg;
    size_t len;
    latch_rd body = rfc_msg(6, "server", "construct a CertificateRequest", "CertificateRequest", 0,
                            LATCH_HS_CERTIFICATE_REQUEST, &msg, &len);
    static uint16_t schemes[32];
    static uint8_t copy[64];

    REQUIRE_OK(latch_certificate_request_parse(body, &g_cr));
    CHECK_EQ(g_cr.request_context.len, 0);
    CHECK_EQ(g_cr.exts.present, LATCH_XBIT(LATCH_X_SIGNATURE_ALGORITHMS));
    CHECK_EQ(latch_u16s_count(g_cr.sigalgs), 15);
    CHECK_EQ(latch_u16s_at(g_cr.sigalgs, 0), LATCH_SIG_ECDSA_SECP256R1_SHA256);
    CHECK_EQ(latch_u16s_at(g_cr.sigalgs, 4), LATCH_SIG_RSA_PSS_RSAE_SHA256);
    CHECK_EQ(latch_u16s_at(g_cr.sigalgs, 14), 0x0202);
    for (size_t i = 0; i < 15; i++) {
        schemes[i] = latch_u16s_at(g_cr.sigalgs, i);
    }
    CHECK_TRUNCATIONS(parse, body.p, body.len, NO_OK_PREFIX);

    memset(&cro, 0, sizeof cro);
    cro.sigalgs = schemes;
    cro.n_sigalgs = 15;
    memcpy(copy, msg, len);
    CHECK_BUILD_CAPS(build, copy, len);
}

static void test_round_trip(void)
{
    const uint16_t schemes[] = {LATCH_SIG_ED25519};
    const uint8_t dn1[] = {0x30, 0x00}, dn2[] = {0x30, 0x02, 0x31, 0x00};
    latch_rd cas[2] = {{dn1, sizeof dn1}, {dn2, sizeof dn2}}, list, dn;
    size_t n;

    memset(&cro, 0, sizeof cro);
    cro.context = (const uint8_t *)"ctx";
    cro.context_len = 3;
    cro.sigalgs = schemes;
    cro.n_sigalgs = 1;
    cro.cas = cas;
    cro.n_cas = 2;
    n = BUILD_INTO(build, out, sizeof out);
    REQUIRE_OK(latch_certificate_request_parse(MSG_BODY(out, n, LATCH_HS_CERTIFICATE_REQUEST), &g_cr));
    CHECK_MEM(g_cr.request_context.p, g_cr.request_context.len, (const uint8_t *)"ctx", 3);
    CHECK_EQ(latch_u16s_count(g_cr.sigalgs), 1);
    CHECK_EQ(latch_u16s_at(g_cr.sigalgs, 0), LATCH_SIG_ED25519);
    REQUIRE_OK(latch_ext_cas_parse(g_cr.exts.data[LATCH_X_CERTIFICATE_AUTHORITIES], &list));
    REQUIRE(latch_ext_cas_next(&list, &dn));
    CHECK_MEM(dn.p, dn.len, dn1, sizeof dn1);
    REQUIRE(latch_ext_cas_next(&list, &dn));
    CHECK_MEM(dn.p, dn.len, dn2, sizeof dn2);
    CHECK_TRUNCATIONS(parse, out + 4, n - 4, NO_OK_PREFIX);
}

/* A CertificateRequest body with context length ctx_len and the block in b. */
static void cr_body(const tbuf *b)
{
    t.n = 0;
    tb_u8(&t, 0);
    tb_u16(&t, b->n);
    tb_bytes(&t, b->b, b->n);
}

static void test_malformed(void)
{
    static tbuf b;

    /* extensions<2..2^16-1>: empty. */
    CHECK_ERR(parse_exact(parse, (const uint8_t *)"\x00\x00\x00", 3), LATCH_ERR_DECODE);
    CHECK_DETAIL("CertificateRequest.extensions: length 0 outside <2..65535>");
    /* No signature_algorithms: MISSING_EXTENSION (RFC 8446 §4.3.2). */
    b.n = 0;
    tb_ext(&b, LATCH_EXT_CERTIFICATE_AUTHORITIES, "\x00\x03\x00\x01\x30", 5);
    cr_body(&b);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_MISSING_EXTENSION);
    CHECK_DETAIL("no signature_algorithms");
    /* Only unknown extensions: ignored, so still missing. */
    b.n = 0;
    tb_ext(&b, 0x7777, NULL, 0);
    cr_body(&b);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_MISSING_EXTENSION);
    /* A malformed signature_algorithms. */
    b.n = 0;
    tb_ext(&b, LATCH_EXT_SIGNATURE_ALGORITHMS, "\x00\x03\x04\x03\x05", 5);
    cr_body(&b);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("odd length");
    /* An extension that CR may not carry (RFC 8446 §4.2: server_name is CH, EE). */
    b.n = 0;
    tb_ext(&b, LATCH_EXT_SIGNATURE_ALGORITHMS, "\x00\x02\x04\x03", 4);
    tb_ext(&b, LATCH_EXT_SERVER_NAME, NULL, 0);
    cr_body(&b);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    /* ... and those it may: oid_filters, status_request, SCT, sigalgs_cert. */
    b.n = 0;
    tb_ext(&b, LATCH_EXT_SIGNATURE_ALGORITHMS, "\x00\x02\x04\x03", 4);
    tb_ext(&b, LATCH_EXT_OID_FILTERS, "\x00\x00", 2);
    tb_ext(&b, LATCH_EXT_STATUS_REQUEST, NULL, 0);
    tb_ext(&b, LATCH_EXT_SCT, NULL, 0);
    tb_ext(&b, LATCH_EXT_SIGNATURE_ALGORITHMS_CERT, "\x00\x02\x04\x03", 4);
    tb_ext(&b, 0x0A0A, NULL, 0);
    cr_body(&b);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    CHECK_EQ(g_cr.exts.count, 6);
    /* Duplicate signature_algorithms. */
    b.n = 0;
    tb_ext(&b, LATCH_EXT_SIGNATURE_ALGORITHMS, "\x00\x02\x04\x03", 4);
    tb_ext(&b, LATCH_EXT_SIGNATURE_ALGORITHMS, "\x00\x02\x04\x03", 4);
    cr_body(&b);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DUPLICATE_EXTENSION);
    /* Lengths one off. */
    b.n = 0;
    tb_ext(&b, LATCH_EXT_SIGNATURE_ALGORITHMS, "\x00\x02\x04\x03", 4);
    cr_body(&b);
    t.b[0] = 1;
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    cr_body(&b);
    put16(t.b + 1, b.n + 1);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    put16(t.b + 1, b.n - 1);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
}

static void test_invalid_arguments(void)
{
    const uint16_t s = LATCH_SIG_ED25519;
    latch_rd empty_dn = {NULL, 0};
    static uint8_t big[0x10000];
    latch_rd huge = {big, 0xFFFF - 15}; /* 16 bytes of block besides the DN */
    latch_wr w;

    latch_wr_init(&w, out, sizeof out);
    memset(&cro, 0, sizeof cro);
    CHECK_ERR(latch_certificate_request_build(&w, &cro), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_DETAIL("signature_algorithms: 0 schemes");
    cro.sigalgs = &s;
    cro.n_sigalgs = 1;
    cro.context_len = 256;
    cro.context = big;
    CHECK_ERR(latch_certificate_request_build(&w, &cro), LATCH_ERR_INVALID_ARGUMENT);
    cro.context_len = 0;
    cro.cas = &empty_dn;
    cro.n_cas = 1;
    CHECK_ERR(latch_certificate_request_build(&w, &cro), LATCH_ERR_INVALID_ARGUMENT);
    cro.cas = &huge;
    CHECK_ERR(latch_certificate_request_build(&w, &cro), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_DETAIL("overflow the block");
    CHECK_EQ(latch_wr_len(&w), 0);
    /* The largest that fits. */
    huge.len = 0xFFFF - 16;
    CHECK_OK(latch_certificate_request_build(&w, &cro));
    CHECK_OK(latch_certificate_request_parse(MSG_BODY(out, latch_wr_len(&w), LATCH_HS_CERTIFICATE_REQUEST), &g_cr));
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_round_trip),
    TEST(test_malformed),
    TEST(test_invalid_arguments),
    {0},
};

LATCH_TEST_MAIN(cases)
