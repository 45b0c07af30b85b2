/* Tests for certificate names and host matching (src/x509/name.c). */
#include "x509/name.h"

#include "x509/der.h"
#include "x509_helpers.h"

/* Mint a self-signed certificate with the given names and parse it. */
static X509 *make(const char *cn, const char *const *dns, size_t n_dns, const char *const *ips, size_t n_ips)
{
    latch_cert_spec s = spec_make(cn, 0, 0);
    minted_pem m;
    uint8_t der[4096];
    size_t len;
    char why[160];

    s.dns_names = dns;
    s.n_dns = n_dns;
    s.ips = ips;
    s.n_ips = n_ips;
    if (mint(&s, NULL, &m) != LATCH_OK) {
        return NULL;
    }
    len = pem_to_der(m.cert, 0, der, sizeof der);
    return latch__der_cert(der, len, why, sizeof why);
}

static void test_dn(void)
{
    X509 *x = make("Name Test, Inc.", NULL, 0, NULL, 0);
    char buf[64];

    REQUIRE(x != NULL);
    CHECK_OK(latch__name_dn(X509_get_subject_name(x), buf, sizeof buf));
    CHECK(strcmp(buf, "CN=Name Test\\, Inc.") == 0);
    CHECK_ERR(latch__name_dn(X509_get_subject_name(x), buf, 8), LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK(strcmp(buf, "CN=Name") == 0);
    CHECK_OK(latch__name_dn(NULL, buf, sizeof buf));
    CHECK(strcmp(buf, "") == 0);
    CHECK_ERR(latch__name_dn(X509_get_subject_name(x), buf, 0), LATCH_ERR_INVALID_ARGUMENT);
    X509_free(x);

    /* Non-ASCII is escaped, never passed through. */
    x = make("Z\xc3\xbcrich", NULL, 0, NULL, 0);
    REQUIRE(x != NULL);
    CHECK_OK(latch__name_dn(X509_get_subject_name(x), buf, sizeof buf));
    CHECK(strcmp(buf, "CN=Z\\C3\\BCrich") == 0);
    X509_free(x);
}

static void test_sans_and_primary(void)
{
    static const char *const dns[] = {"one.example", "two.example"};
    static const char *const ips[] = {"198.51.100.7", "::1"};
    X509 *x = make("cn.example", dns, 2, ips, 2);
    char buf[128];

    REQUIRE(x != NULL);
    CHECK_OK(latch__name_sans(x, buf, sizeof buf));
    CHECK(strcmp(buf, "DNS:one.example, DNS:two.example, IP:198.51.100.7, IP:::1") == 0);
    latch__name_primary(x, buf, sizeof buf);
    CHECK(strcmp(buf, "one.example") == 0);
    latch__name_primary(x, buf, 4);
    CHECK(strcmp(buf, "one") == 0);
    X509_free(x);

    x = make("cn.example", NULL, 0, ips, 1);
    REQUIRE(x != NULL);
    latch__name_primary(x, buf, sizeof buf);
    CHECK(strcmp(buf, "198.51.100.7") == 0);
    X509_free(x);

    x = make("cn.example", NULL, 0, NULL, 0);
    REQUIRE(x != NULL);
    latch__name_primary(x, buf, sizeof buf);
    CHECK(strcmp(buf, "cn.example") == 0);
    CHECK_OK(latch__name_sans(x, buf, sizeof buf));
    CHECK(strcmp(buf, "") == 0);
    CHECK_ERR(latch__name_sans(x, buf, 0), LATCH_ERR_INVALID_ARGUMENT);
    X509_free(x);
}

static void test_is_ip(void)
{
    CHECK(latch__name_is_ip("192.0.2.1"));
    CHECK(latch__name_is_ip("::1"));
    CHECK(latch__name_is_ip("2001:db8::ff00:42:8329"));
    CHECK(!latch__name_is_ip("[::1]"));
    CHECK(!latch__name_is_ip("192.0.2"));
    CHECK(!latch__name_is_ip("192.0.2.256"));
    CHECK(!latch__name_is_ip("example.com"));
    CHECK(!latch__name_is_ip(""));
    CHECK(!latch__name_is_ip(NULL));
}

static void test_host(void)
{
    char out[LATCH_HOST_MAX + 1], name[300];
    bool ip;

    CHECK_OK(latch__name_host("Example.COM.", out, &ip));
    CHECK(strcmp(out, "Example.COM") == 0 && !ip);
    CHECK_OK(latch__name_host("_srv.example", out, &ip));
    CHECK_OK(latch__name_host("localhost", out, &ip));
    CHECK_OK(latch__name_host("::1", out, &ip));
    CHECK(strcmp(out, "::1") == 0 && ip);
    CHECK_ERR(latch__name_host(".", out, &ip), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__name_host("a..b", out, &ip), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__name_host(".a", out, &ip), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__name_host("a b", out, &ip), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__name_host("*.example", out, &ip), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__name_host("[::1]", out, &ip), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__name_host("", out, &ip), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__name_host(NULL, out, &ip), LATCH_ERR_INVALID_ARGUMENT);

    /* Labels of 63 characters are fine, 64 are not. */
    memset(name, 'a', 63);
    strcpy(name + 63, ".example");
    CHECK_OK(latch__name_host(name, out, &ip));
    memset(name, 'a', 64);
    strcpy(name + 64, ".example");
    CHECK_ERR(latch__name_host(name, out, &ip), LATCH_ERR_INVALID_ARGUMENT);
    /* 253 characters in all are fine (plus a trailing dot), 254 are not. */
    for (size_t i = 0; i < 253; i++) {
        name[i] = (i % 2 == 0) ? 'a' : '.';
    }
    name[253] = '\0';
    CHECK_OK(latch__name_host(name, out, &ip));
    CHECK_EQ(strlen(out), 253);
    name[253] = '.';
    name[254] = '\0';
    CHECK_OK(latch__name_host(name, out, &ip));
    CHECK_EQ(strlen(out), 253);
    name[253] = 'a';
    CHECK_ERR(latch__name_host(name, out, &ip), LATCH_ERR_INVALID_ARGUMENT);
}

static void test_matches(void)
{
    static const char *const dns[] = {"*.example.com", "exact.example.org", "f*o.example.net"};
    static const char *const ips[] = {"203.0.113.9"};
    X509 *x = make("cn.example.org", dns, 3, ips, 1);

    REQUIRE(x != NULL);
    CHECK(latch__name_matches(x, "a.example.com"));
    CHECK(latch__name_matches(x, "A.EXAMPLE.COM."));
    CHECK(!latch__name_matches(x, "a.b.example.com"));
    CHECK(!latch__name_matches(x, "example.com"));
    CHECK(latch__name_matches(x, "exact.example.org"));
    CHECK(!latch__name_matches(x, "xexact.example.org"));
    CHECK(!latch__name_matches(x, "foo.example.net"));
    CHECK(!latch__name_matches(x, "cn.example.org"));
    CHECK(latch__name_matches(x, "203.0.113.9"));
    CHECK(!latch__name_matches(x, "203.0.113.10"));
    CHECK(!latch__name_matches(x, "*.example.com"));
    CHECK(!latch__name_matches(NULL, "a.example.com"));
    X509_free(x);
}

static const latch_test cases[] = {
    TEST(test_dn),
    TEST(test_sans_and_primary),
    TEST(test_is_ip),
    TEST(test_host),
    TEST(test_matches),
    {0},
};

LATCH_TEST_MAIN(cases)
