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

static const latch_test cases[] = {
    TEST(test_cert),
    TEST(test_name),
    TEST(test_why),
    {0},
};

LATCH_TEST_MAIN(cases)
