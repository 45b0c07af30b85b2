/*
 * Tests for the TLS 1.2 CertificateRequest (src/msg/certificate_request12.c),
 * with bytes written out from RFC 5246 §7.4.4.
 */
#include "msg_test_util.h"

static latch_certificate_request12 g_cr;
static latch_certificate_request12_out cro;
static uint8_t out[140000];
static tbuf t;

static const uint8_t types[] = {LATCH_CERT_TYPE_RSA_SIGN, LATCH_CERT_TYPE_ECDSA_SIGN};
static const uint16_t schemes[] = {LATCH_SIG_ECDSA_SECP256R1_SHA256, LATCH_SIG_RSA_PKCS1_SHA256};
static const uint8_t dn1[] = {0x30, 0x00}, dn2[] = {0x30, 0x02, 0x31, 0x00};

static latch_err parse(latch_rd body)
{
    return latch_certificate_request12_parse(body, &g_cr);
}

static latch_err build(latch_wr *w)
{
    return latch_certificate_request12_build(w, &cro);
}

static void known(tbuf *m, bool with_cas)
{
    m->n = 0;
    tb_u8(m, LATCH_HS_CERTIFICATE_REQUEST);
    tb_u24(m, 1 + 2 + 2 + 4 + 2 + (with_cas ? 4 + 6 : 0));
    tb_u8(m, 2);
    tb_bytes(m, types, 2);
    tb_u16(m, 4);
    tb_u16(m, 0x0403);
    tb_u16(m, 0x0401);
    tb_u16(m, with_cas ? 10 : 0);
    if (with_cas) {
        tb_u16(m, 2);
        tb_bytes(m, dn1, 2);
        tb_u16(m, 4);
        tb_bytes(m, dn2, 4);
    }
}

static void test_known_bytes(void)
{
    static tbuf m;
    latch_rd body, it, dn;
    latch_rd cas[2] = {{dn1, sizeof dn1}, {dn2, sizeof dn2}};

    for (int with_cas = 0; with_cas < 2; with_cas++) {
        known(&m, with_cas);
        body = MSG_BODY(m.b, m.n, LATCH_HS_CERTIFICATE_REQUEST);
        REQUIRE_OK(parse(body));
        CHECK_MEM(g_cr.cert_types.p, g_cr.cert_types.len, types, 2);
        CHECK(latch_cert_types_has(g_cr.cert_types, LATCH_CERT_TYPE_ECDSA_SIGN));
        CHECK(latch_cert_types_has(g_cr.cert_types, LATCH_CERT_TYPE_RSA_SIGN));
        CHECK(!latch_cert_types_has(g_cr.cert_types, 2));
        CHECK_EQ(latch_u16s_count(g_cr.sigalgs), 2);
        CHECK_EQ(latch_u16s_at(g_cr.sigalgs, 0), LATCH_SIG_ECDSA_SECP256R1_SHA256);
        CHECK_EQ(latch_u16s_at(g_cr.sigalgs, 1), LATCH_SIG_RSA_PKCS1_SHA256);
        it = g_cr.cas;
        if (with_cas) {
            REQUIRE(latch_ext_cas_next(&it, &dn));
            CHECK_MEM(dn.p, dn.len, dn1, 2);
            REQUIRE(latch_ext_cas_next(&it, &dn));
            CHECK_MEM(dn.p, dn.len, dn2, 4);
        }
        CHECK(!latch_ext_cas_next(&it, &dn));
        memset(&cro, 0, sizeof cro);
        cro.types = types;
        cro.n_types = 2;
        cro.sigalgs = schemes;
        cro.n_sigalgs = 2;
        cro.cas = with_cas ? cas : NULL;
        cro.n_cas = with_cas ? 2 : 0;
        CHECK_BUILD_CAPS(build, m.b, m.n);
        CHECK_TRUNCATIONS(parse, body.p, body.len, NO_OK_PREFIX);
    }
}

static void test_malformed(void)
{
    static tbuf m;

    /* certificate_types<1..2^8-1>: empty. */
    t.n = 0;
    tb_u8(&t, 0);
    tb_u16(&t, 2);
    tb_u16(&t, 0x0403);
    tb_u16(&t, 0);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("CertificateRequest.certificate_types");
    /* supported_signature_algorithms: empty, then odd. */
    t.n = 0;
    tb_u8(&t, 1);
    tb_u8(&t, 64);
    tb_u16(&t, 0);
    tb_u16(&t, 0);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("supported_signature_algorithms");
    t.n = 0;
    tb_u8(&t, 1);
    tb_u8(&t, 64);
    tb_u16(&t, 3);
    tb_u16(&t, 0x0403);
    tb_u8(&t, 4);
    tb_u16(&t, 0);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    /* An empty DistinguishedName inside certificate_authorities. */
    t.n = 0;
    tb_u8(&t, 1);
    tb_u8(&t, 64);
    tb_u16(&t, 2);
    tb_u16(&t, 0x0403);
    tb_u16(&t, 6);
    tb_u16(&t, 2);
    tb_bytes(&t, dn1, 2);
    tb_u16(&t, 0);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("CertificateRequest.DistinguishedName");
    /* A DN overrunning the list. */
    t.b[t.n - 1] = 1;
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    /* certificate_authorities length one off either way. */
    known(&m, true);
    put16(m.b + 4 + 1 + 2 + 2 + 4, 11);
    CHECK_ERR(parse_exact(parse, m.b + 4, m.n - 4), LATCH_ERR_DECODE);
    put16(m.b + 4 + 1 + 2 + 2 + 4, 9);
    CHECK_ERR(parse_exact(parse, m.b + 4, m.n - 4), LATCH_ERR_DECODE);
}

static void test_invalid_arguments(void)
{
    latch_rd empty_dn = {NULL, 0};
    static uint8_t big[0x10000];
    latch_rd huge = {big, 0xFFFF - 1};
    latch_wr w;

    latch_wr_init(&w, out, sizeof out);
    memset(&cro, 0, sizeof cro);
    cro.sigalgs = schemes;
    cro.n_sigalgs = 2;
    CHECK_ERR(build(&w), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_DETAIL("certificate_types: 0 types");
    cro.types = types;
    cro.n_types = 2;
    cro.n_sigalgs = 0;
    CHECK_ERR(build(&w), LATCH_ERR_INVALID_ARGUMENT);
    cro.n_sigalgs = 2;
    cro.cas = &empty_dn;
    cro.n_cas = 1;
    CHECK_ERR(build(&w), LATCH_ERR_INVALID_ARGUMENT);
    huge.len = 0xFFFF - 1;
    cro.cas = &huge;
    CHECK_ERR(build(&w), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(latch_wr_len(&w), 0);
    /* The largest list that fits. */
    huge.len = 0xFFFF - 2;
    CHECK_OK(build(&w));
    CHECK_OK(parse(MSG_BODY(out, latch_wr_len(&w), LATCH_HS_CERTIFICATE_REQUEST)));
}

static const latch_test cases[] = {
    TEST(test_known_bytes),
    TEST(test_malformed),
    TEST(test_invalid_arguments),
    {0},
};

LATCH_TEST_MAIN(cases)
