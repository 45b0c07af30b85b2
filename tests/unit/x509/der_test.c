/* Tests for DER certificate parsing through libcrypto (src/x509/der.c). */
#include "x509/der.h"

#include "x509_helpers.h"

static minted_pem cert;
static uint8_t der[4096];
static size_t der_len;

static void setup(void)
{
    latch_cert_spec s = spec_make("der.example", 0, 0);

    if (der_len == 0 && mint(&s, NULL, &cert) == LATCH_OK) {
        der_len = pem_to_der(cert.cert, 0, der, sizeof der);
    }
}

static void test_cert(void)
{
    static uint8_t big[LATCH_CERT_MAX_LEN + 1];
    uint8_t buf[4097];
    char why[160];
    X509 *x;

    setup();
    REQUIRE(der_len > 0);
    x = latch__der_cert(der, der_len, why, sizeof why);
    CHECK(x != NULL);
    X509_free(x);

    CHECK(latch__der_cert(der, 0, why, sizeof why) == NULL);
    CHECK(strcmp(why, "it is empty") == 0);
    memcpy(buf, der, der_len);
    buf[der_len] = 0x00;
    CHECK(latch__der_cert(buf, der_len + 1, why, sizeof why) == NULL);
    CHECK(strcmp(why, "1 trailing bytes after the certificate") == 0);
    for (size_t n = 1; n < der_len; n++) {
        x = latch__der_cert(der, n, why, sizeof why);
        if (x != NULL) {
            latch_test_fail(__FILE__, __LINE__, "a %zu-byte prefix parsed", n);
            X509_free(x);
        } else if (strncmp(why, "not a DER X.509 certificate (", 29) != 0) {
            latch_test_fail(__FILE__, __LINE__, "prefix %zu: %s", n, why);
        }
    }
    memset(big, 0x30, sizeof big);
    CHECK(latch__der_cert(big, sizeof big, why, sizeof why) == NULL);
    CHECK(strstr(why, "more than the limit of 65536") != NULL);
}

/* The cached name encoding is the very bytes inside the certificate. */
static void test_name(void)
{
    const uint8_t *p;
    size_t n;
    char why[160];
    X509 *x;
    bool inside = false;

    setup();
    x = latch__der_cert(der, der_len, why, sizeof why);
    REQUIRE(x != NULL);
    CHECK(latch__der_name(X509_get_subject_name(x), &p, &n));
    CHECK(n > 2 && p[0] == 0x30);
    for (size_t i = 0; i + n <= der_len && !inside; i++) {
        inside = memcmp(der + i, p, n) == 0;
    }
    CHECK(inside);
    X509_free(x);
    CHECK(!latch__der_name(NULL, &p, &n));
    CHECK(p == NULL && n == 0);
}

static void test_why(void)
{
    char buf[64];
    char why[160];

    /* With libcrypto's queue empty, the fallback; a failure fills it. */
    CHECK(strcmp(latch__ossl_why(buf, sizeof buf, "fallback"), "fallback") == 0);
    CHECK(latch__der_cert((const uint8_t *)"\x30\x01\x00", 3, why, sizeof why) == NULL);
    CHECK(strcmp(latch__ossl_why(buf, sizeof buf, "fallback"), "fallback") == 0); /* already cleared */
}

/*
 * The shape walk: a real certificate passes and its views are exactly the
 * Names libcrypto decodes; every truncation, a trailing byte, an indefinite
 * or over-long length, a wrong tag and an extra field fail.
 */
static void test_view(void)
{
    latch_cert_view v;
    uint8_t buf[4097];
    const uint8_t *p;
    size_t n;
    char why[160];
    X509 *x;

    setup();
    REQUIRE(der_len > 0);
    CHECK(latch__der_cert_view(der, der_len, &v));
    x = latch__der_cert(der, der_len, why, sizeof why);
    REQUIRE(x != NULL);
    REQUIRE(latch__der_name(X509_get_subject_name(x), &p, &n));
    CHECK_MEM(v.subject.p, v.subject.len, p, n);
    REQUIRE(latch__der_name(X509_get_issuer_name(x), &p, &n));
    CHECK_MEM(v.issuer.p, v.issuer.len, p, n);
    X509_free(x);

    for (size_t cut = 0; cut < der_len; cut++) {
        if (latch__der_cert_view(der, cut, &v)) {
            latch_test_fail(__FILE__, __LINE__, "a %zu-byte prefix has a certificate's shape", cut);
        }
        CHECK(v.subject.p == NULL && v.issuer.p == NULL);
    }
    memcpy(buf, der, der_len);
    buf[der_len] = 0;
    CHECK(!latch__der_cert_view(buf, der_len + 1, &v));
    CHECK(!latch__der_cert_view(NULL, 0, &v));

    /* The outer SEQUENCE with an indefinite length (BER), then with a four-byte length. */
    REQUIRE(der[0] == 0x30 && der[1] == 0x82);
    memcpy(buf, der, der_len);
    buf[1] = 0x80;
    CHECK(!latch__der_cert_view(buf, der_len, &v));
    buf[1] = 0x84;
    CHECK(!latch__der_cert_view(buf, der_len, &v));
    /* The same length written with three bytes (not minimal, but definite): the walk
     * accepts it (libcrypto decides about such BER). */
    buf[0] = 0x30;
    buf[1] = 0x83;
    buf[2] = 0x00;
    memcpy(buf + 3, der + 2, der_len - 2);
    CHECK(latch__der_cert_view(buf, der_len + 1, &v));
    /* The TBSCertificate's tag made an OCTET STRING. */
    memcpy(buf, der, der_len);
    REQUIRE(buf[4] == 0x30);
    buf[4] = 0x04;
    CHECK(!latch__der_cert_view(buf, der_len, &v));
    /* The signature's BIT STRING tag changed (an ECDSA signature: a short length running to the end). */
    {
        size_t sig_at = 0;

        for (size_t i = der_len - 2; i > 4 && sig_at == 0; i--) {
            if (der[i] == 0x03 && der[i + 1] == der_len - i - 2) {
                sig_at = i;
            }
        }
        REQUIRE(sig_at > 0);
        memcpy(buf, der, der_len);
        buf[sig_at] = 0x04;
        CHECK(!latch__der_cert_view(buf, der_len, &v));
    }
}

/* Validity windows: the interval around now within which the certificate's validity stays the same. */
static void test_window(void)
{
    latch_cert_spec s = spec_make("window.example", 1750000000, 1750000000 + 86400);
    minted_pem m;
    uint8_t d[4096];
    size_t len;
    char why[160];
    int64_t nb = 0, na = 0, lo, hi;
    X509 *x;

    REQUIRE_OK(mint(&s, NULL, &m));
    len = pem_to_der(m.cert, 0, d, sizeof d);
    x = latch__der_cert(d, len, why, sizeof why);
    REQUIRE(x != NULL);
    CHECK(latch__cert_times(x, &nb, &na));
    CHECK_EQ(nb, 1750000000);
    CHECK_EQ(na, 1750000000 + 86400);

    /* Valid: exactly between the bounds, narrowed from what it was. */
    lo = INT64_MIN;
    hi = INT64_MAX;
    CHECK(latch__cert_window(x, nb + 1, &lo, &hi));
    CHECK(lo == nb && hi == na);
    lo = nb + 10;
    hi = na - 10;
    CHECK(latch__cert_window(x, nb + 20, &lo, &hi));
    CHECK(lo == nb + 10 && hi == na - 10);
    /* Not yet valid: up to notBefore. Expired: from notAfter on. */
    lo = INT64_MIN;
    hi = INT64_MAX;
    CHECK(latch__cert_window(x, nb - 1, &lo, &hi));
    CHECK(lo == INT64_MIN && hi == nb);
    lo = INT64_MIN;
    hi = INT64_MAX;
    CHECK(latch__cert_window(x, na + 1, &lo, &hi));
    CHECK(lo == na && hi == INT64_MAX);
    /* On a bound: no answer. */
    CHECK(!latch__cert_window(x, nb, &lo, &hi));
    CHECK(!latch__cert_window(x, na, &lo, &hi));
    CHECK(!latch__cert_window(NULL, nb + 1, &lo, &hi));
    CHECK(!latch__cert_times(NULL, &nb, &na));

    /* The bounds agree with libcrypto's own comparison. */
    {
        time_t t1 = (time_t)(nb + 1), t0 = (time_t)(nb - 1), t2 = (time_t)(na + 1), t3 = (time_t)(na - 1);

        CHECK(X509_cmp_time(X509_get0_notBefore(x), &t0) > 0);
        CHECK(X509_cmp_time(X509_get0_notBefore(x), &t1) < 0);
        CHECK(X509_cmp_time(X509_get0_notAfter(x), &t3) > 0);
        CHECK(X509_cmp_time(X509_get0_notAfter(x), &t2) < 0);
    }
    X509_free(x);
}

static const latch_test cases[] = {
    TEST(test_cert),
    TEST(test_name),
    TEST(test_why),
    TEST(test_view),
    TEST(test_window),
    {0},
};

LATCH_TEST_MAIN(cases)
