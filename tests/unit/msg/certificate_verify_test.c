/* Tests for CertificateVerify (src/msg/certificate_verify.c). */
#include "msg_test_util.h"

static latch_certificate_verify g_cv;
static const uint8_t *b_sig;
static size_t b_sig_len;
static uint16_t b_scheme;

static latch_err parse(latch_rd body)
{
    return latch_certificate_verify_parse(body, &g_cv);
}

static latch_err build(latch_wr *w)
{
    return latch_certificate_verify_build(w, b_scheme, b_sig, b_sig_len);
}

/* RFC 8448 §3: rsa_pss_rsae_sha256, 128 bytes; §6 has the client's. */
static void test_rfc8448(void)
{
    const uint8_t *msg;
    size_t len;
    latch_rd body = rfc_msg(3, "server", "construct a CertificateVerify", "CertificateVerify", 0,
                            LATCH_HS_CERTIFICATE_VERIFY, &msg, &len);
    static uint8_t copy[256];

    REQUIRE_OK(latch_certificate_verify_parse(body, &g_cv));
    CHECK_EQ(g_cv.scheme, LATCH_SIG_RSA_PSS_RSAE_SHA256);
    CHECK_EQ(g_cv.signature.len, 128);
    CHECK_MEM(g_cv.signature.p, 4, (const uint8_t *)"\xac\xe0\xaf\x8e", 4);
    b_scheme = g_cv.scheme;
    b_sig = g_cv.signature.p;
    b_sig_len = g_cv.signature.len;
    memcpy(copy, msg, len);
    CHECK_BUILD_CAPS(build, copy, len);
    CHECK_TRUNCATIONS(parse, body.p, body.len, NO_OK_PREFIX);

    body = rfc_msg(6, "client", "construct a CertificateVerify", "CertificateVerify", 0, LATCH_HS_CERTIFICATE_VERIFY,
                   &msg, &len);
    REQUIRE_OK(latch_certificate_verify_parse(body, &g_cv));
    CHECK_EQ(g_cv.scheme, LATCH_SIG_RSA_PSS_RSAE_SHA256);
    CHECK_EQ(g_cv.signature.len, 128);
}

static void test_malformed(void)
{
    static uint8_t big[4 + 0x10000];
    latch_wr w;

    CHECK_ERR(parse_exact(parse, (const uint8_t *)"\x08\x04\x00\x02\xaa", 5), LATCH_ERR_DECODE);
    CHECK_DETAIL("CertificateVerify.signature: length 2 but only 1 bytes follow");
    CHECK_ERR(parse_exact(parse, (const uint8_t *)"\x08\x04\x00\x00\xaa", 5), LATCH_ERR_DECODE);
    CHECK_DETAIL("CertificateVerify: 1 trailing bytes");
    /* An empty signature is syntactically fine (<0..2^16-1>). */
    CHECK_OK(parse_exact(parse, (const uint8_t *)"\x08\x07\x00\x00", 4));
    CHECK_EQ(g_cv.scheme, LATCH_SIG_ED25519);
    CHECK_EQ(g_cv.signature.len, 0);
    put16(big, 0x0403);
    put16(big + 2, 0xFFFF);
    CHECK_OK(parse_exact(parse, big, 4 + 0xFFFF));
    CHECK_EQ(g_cv.signature.len, 0xFFFF);
    latch_wr_init(&w, big, sizeof big);
    CHECK_ERR(latch_certificate_verify_build(&w, 0x0403, big, 0x10000), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(latch_wr_len(&w), 0);
}

/* RFC 8446 §4.4.3's example: a server, and a 32-byte hash of 01s. */
static void test_content(void)
{
    uint8_t th[32], buf[LATCH_CV_CONTENT_MAX];
    size_t want_len;
    const uint8_t *want = latch_test_hexbuf(
        "2020202020202020202020202020202020202020202020202020202020202020"
        "2020202020202020202020202020202020202020202020202020202020202020"
        "544c5320312e332c207365727665722043657274696669636174655665726966"
        "79"
        "00"
        "0101010101010101010101010101010101010101010101010101010101010101",
        &want_len);
    size_t n;

    memset(th, 0x01, sizeof th);
    n = latch_cv_content(true, th, sizeof th, buf);
    CHECK_MEM(buf, n, want, want_len);
    /* The client's context differs in one word. */
    n = latch_cv_content(false, th, sizeof th, buf);
    CHECK_EQ(n, want_len);
    CHECK_MEM(buf + 64, 33, (const uint8_t *)"TLS 1.3, client CertificateVerify", 33);
    CHECK_EQ(buf[97], 0);
    /* The largest hash fits the declared maximum; a larger one is refused. */
    {
        uint8_t big_th[LATCH_HASH_MAX_LEN + 1] = {0};

        CHECK_EQ(latch_cv_content(true, big_th, LATCH_HASH_MAX_LEN, buf), 98 + LATCH_HASH_MAX_LEN);
        CHECK(98 + LATCH_HASH_MAX_LEN <= LATCH_CV_CONTENT_MAX);
        CHECK_EQ(latch_cv_content(true, big_th, LATCH_HASH_MAX_LEN + 1, buf), 0);
    }
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_malformed),
    TEST(test_content),
    {0},
};

LATCH_TEST_MAIN(cases)
