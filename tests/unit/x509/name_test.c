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

/*
 * A certificate that only carries a subjectAltName with the given entries
 * (unsigned: host matching looks at nothing else). Entries are raw bytes, so
 * that patterns latch_cert_mint would refuse can be tried too. An entry
 * starting with "ip:" is an iPAddress of the hex bytes that follow.
 */
static X509 *with_sans(const char *const *entries, const size_t *lens, size_t n)
{
    GENERAL_NAMES *gens = GENERAL_NAMES_new();
    X509 *x = X509_new();
    bool ok = gens != NULL && x != NULL;

    for (size_t i = 0; ok && i < n; i++) {
        GENERAL_NAME *g = GENERAL_NAME_new();
        ASN1_STRING *v;

        if (g == NULL) {
            ok = false;
            break;
        }
        if (strncmp(entries[i], "ip:", 3) == 0) {
            uint8_t ip[32];
            size_t len = latch_test_unhex(entries[i] + 3, ip, sizeof ip);

            v = ASN1_OCTET_STRING_new();
            ok = v != NULL && len != (size_t)-1 && ASN1_OCTET_STRING_set(v, ip, (int)len) == 1;
            GENERAL_NAME_set0_value(g, GEN_IPADD, v);
        } else {
            v = ASN1_IA5STRING_new();
            ok = v != NULL && ASN1_STRING_set(v, entries[i], (int)lens[i]) == 1;
            GENERAL_NAME_set0_value(g, GEN_DNS, v);
        }
        if (!ok || sk_GENERAL_NAME_push(gens, g) <= 0) {
            GENERAL_NAME_free(g);
            ok = false;
        }
    }
    ok = ok && X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, 0) == 1;
    GENERAL_NAMES_free(gens);
    if (!ok) {
        X509_free(x);
        return NULL;
    }
    return x;
}

/*
 * The decoded names give the same answer as latch__name_matches (which
 * asks libcrypto's X509_check_host / X509_check_ip_asc), for every pattern
 * of a catalogue against every host of another: wildcards good and bad,
 * labels with '-' and '_', IDNA labels, case, trailing dots, embedded NULs,
 * empty entries, IP addresses of every length.
 */
static void test_name_set_same_as_libcrypto(void)
{
    static const char *const patterns[] = {
        "example.com", "EXAMPLE.com", "www.example.com", "*.example.com", "*.EXAMPLE.COM", "*.com", "*",
        "*.", "*.example.com.", "example.com.", "*.*.example.com", "**.example.com", "*a.example.com",
        "a*.example.com", "f*o.example.com", "a.*.example.com", "*.xn--bcher-kva.example", "xn--*.example.com",
        "*.a-b.example", "*.-ab.example", "*.ab-.example", "*.a_b.example", "*.a..example", ".example.com",
        "under_score.example", "*.under_score.example", "-lead.example", "trail-.example", "a-b.example",
        "xn--bcher-kva.example", "192.0.2.1", "*.0.2.1", "a.b", "*.a.b", "A", "*.x", "*.sub.a.b",
    };
    static const char *const hosts[] = {
        "example.com", "EXAMPLE.COM", "www.example.com", "WwW.ExAmPlE.cOm", "a.example.com", "a.b.example.com",
        "-.example.com", "a-b.example.com", "a_b.example.com", "xn--bcher-kva.example.com", "com", "x.com",
        "example.com.", "a.a-b.example", "a.-ab.example", "a.ab-.example", "a.a_b.example", "under_score.example",
        "x.under_score.example", "-lead.example", "trail-.example", "a-b.example", "xn--bcher-kva.example",
        "z.xn--bcher-kva.example", "a.b", "x.a.b", "x.sub.a.b", "A", "a", "x.x", "192.0.2.1", "192.0.2.2",
        "2001:db8::1", "::ffff:192.0.2.1", "0.0.0.0",
    };
    size_t np = sizeof patterns / sizeof patterns[0], nh = sizeof hosts / sizeof hosts[0];
    size_t compared = 0, positives = 0;

    for (size_t i = 0; i < np; i++) {
        size_t len = strlen(patterns[i]);
        X509 *x = with_sans(&patterns[i], &len, 1);
        latch_name_set set;

        REQUIRE(x != NULL);
        REQUIRE_OK(latch__name_set_load(NULL, x, &set));
        CHECK_EQ(set.n, 1);
        for (size_t h = 0; h < nh; h++) {
            bool want = latch__name_matches(x, hosts[h]), got = latch__name_set_matches(&set, hosts[h]);

            if (got != want) {
                latch_test_fail(__FILE__, __LINE__, "pattern '%s', host '%s': decoded %d, libcrypto %d", patterns[i],
                                hosts[h], got, want);
            }
            compared++;
            positives += want;
        }
        latch__name_set_free(NULL, &set);
        CHECK(set.n == 0 && set.e == NULL && set.bytes == NULL);
        X509_free(x);
    }
    /* Both answers, many times: agreeing on "no" alone would prove nothing. */
    CHECK(compared == np * nh);
    CHECK(positives >= 20);

    /* Several entries, NULs inside, empty ones, IP addresses of odd lengths; and no SAN at all. */
    {
        static const char nul_name[] = "evil.example\0.attacker";
        const char *const entries[] = {"", nul_name, "ip:c0000201", "ip:20010db8000000000000000000000001",
                                       "ip:c000020100", "ip:", "ip:00000000000000000000ffffc0000202", "ok.example"};
        const size_t lens[] = {0, sizeof nul_name - 1, 0, 0, 0, 0, 0, 10};
        const char *const more_hosts[] = {"evil.example", "evil.example.attacker", "ok.example", "192.0.2.1",
                                          "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "::ffff:192.0.2.2", "192.0.2.2",
                                          "192.0.2.10", "0.0.0.0"};
        X509 *x = with_sans(entries, lens, sizeof entries / sizeof entries[0]);
        X509 *none = X509_new();
        latch_name_set set, empty;
        int hits = 0;

        REQUIRE(x != NULL && none != NULL);
        REQUIRE_OK(latch__name_set_load(NULL, x, &set));
        CHECK_EQ(set.n, 6); /* the two empty entries are left out */
        REQUIRE_OK(latch__name_set_load(NULL, none, &empty));
        CHECK_EQ(empty.n, 0);
        for (size_t h = 0; h < sizeof more_hosts / sizeof more_hosts[0]; h++) {
            bool want = latch__name_matches(x, more_hosts[h]);

            hits += want;
            if (latch__name_set_matches(&set, more_hosts[h]) != want) {
                latch_test_fail(__FILE__, __LINE__, "host '%s': decoded and libcrypto differ", more_hosts[h]);
            }
            CHECK(!latch__name_set_matches(&empty, more_hosts[h]));
            CHECK(!latch__name_matches(none, more_hosts[h]));
        }
        CHECK_EQ(hits, 5); /* ok.example, 192.0.2.1, both spellings of 2001:db8::1, ::ffff:192.0.2.2 */
        CHECK(!latch__name_set_matches(&set, NULL));
        CHECK(!latch__name_set_matches(&set, ""));
        CHECK(!latch__name_set_matches(NULL, "ok.example"));
        latch__name_set_free(NULL, &set);
        latch__name_set_free(NULL, &empty);
        X509_free(x);
        X509_free(none);
    }
}

static const latch_test cases[] = {
    TEST(test_dn),
    TEST(test_sans_and_primary),
    TEST(test_is_ip),
    TEST(test_host),
    TEST(test_matches),
    TEST(test_name_set_same_as_libcrypto),
    {0},
};

LATCH_TEST_MAIN(cases)
