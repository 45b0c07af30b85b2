/* Tests for certificate minting (src/x509/mint.c, latch_cert_mint). */
#include "x509/cert.h"
#include "x509/trust.h"
#include "x509/verify.h"
#include "x509_helpers.h"

#include <time.h>

#define T0 INT64_C(1750000000)
#define DAY INT64_C(86400)

static minted_pem ca, leaf;

/* Verify leaf (PEM) against ca (PEM) as a server at time now, with host. */
static latch_err verify_pem(const char *leaf_pem, const char *ca_pem, const char *host, bool client, int64_t now)
{
    uint8_t der[4096];
    const uint8_t *ders[1] = {der};
    size_t lens[1];
    latch_verify_params vp = {host, client, now, 10, false};
    latch_trust *t = NULL;
    latch_peer *p = NULL;
    latch_err e;

    lens[0] = pem_to_der(leaf_pem, 0, der, sizeof der);
    if (lens[0] == 0 || latch_trust_new(&t) != LATCH_OK) {
        return LATCH_ERR_INTERNAL;
    }
    e = latch_trust_add_pem(t, (const uint8_t *)ca_pem, strlen(ca_pem));
    if (e == LATCH_OK) {
        e = latch_peer_new(ders, lens, 1, &p);
    }
    if (e == LATCH_OK) {
        e = latch_peer_verify(p, t, &vp);
    }
    latch_peer_free(p);
    latch_trust_free(t);
    return e;
}

/* Every key type: a CA and a leaf of that type, which load as a chain with
 * the right key description and verify. */
static void test_every_key_type(void)
{
    static const struct {
        latch_key_type type;
        uint8_t pkey;
        uint16_t group;
        uint32_t bits;
    } want[] = {
        {LATCH_KEY_ECDSA_P256, LATCH_PKEY_EC, LATCH_GROUP_SECP256R1, 256},
        {LATCH_KEY_ECDSA_P384, LATCH_PKEY_EC, LATCH_GROUP_SECP384R1, 384},
        {LATCH_KEY_RSA2048, LATCH_PKEY_RSA, 0, 2048},
        {LATCH_KEY_RSA3072, LATCH_PKEY_RSA, 0, 3072},
        {LATCH_KEY_RSA4096, LATCH_PKEY_RSA, 0, 4096},
        {LATCH_KEY_ED25519, LATCH_PKEY_ED25519, 0, 256}, /* libcrypto's EVP_PKEY_get_bits */
        {LATCH_KEY_RSA_PSS2048, LATCH_PKEY_RSA_PSS, 0, 2048},
    };
    static const char *const dns[] = {"typed.example"};

    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        latch_cert_spec cs = spec_make("typed CA", 0, 0);
        latch_cert_spec ls = spec_make("typed.example", 0, 0);
        latch_chain *c = NULL;
        latch_pkey_info info;

        if (latch_test_under_valgrind() && want[i].bits > 2048) {
            continue; /* minutes of prime search under valgrind; the same latch code as 2048 */
        }
        cs.key_type = want[i].type;
        cs.is_ca = true;
        ls.key_type = want[i].type;
        ls.dns_names = dns;
        ls.n_dns = 1;
        ls.server_auth = true;
        REQUIRE_OK(mint(&cs, NULL, &ca));
        REQUIRE_OK(mint(&ls, &ca, &leaf));
        CHECK(strncmp(leaf.cert, "-----BEGIN CERTIFICATE-----\n", 28) == 0);
        CHECK(strncmp(leaf.key, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);

        REQUIRE_OK(latch_chain_load(NULL, (const uint8_t *)leaf.cert, strlen(leaf.cert), (const uint8_t *)leaf.key,
                                    strlen(leaf.key), &c));
        info = latch_chain_key_info(c);
        CHECK_EQ(info.type, want[i].pkey);
        CHECK_EQ(info.group, want[i].group);
        CHECK_EQ(info.bits, want[i].bits);
        CHECK(latch_chain_matches_name(c, "typed.example"));
        latch_chain_free(c);

        CHECK_OK(verify_pem(leaf.cert, ca.cert, "typed.example", false, (int64_t)time(NULL)));
    }
}

/* The default validity is [now - 1 day, now + 365 days]. */
static void test_default_validity(void)
{
    latch_cert_spec cs = spec_make("validity CA", 0, 0);
    latch_cert_spec ls = spec_make("leaf", 0, 0);
    int64_t now = (int64_t)time(NULL);

    cs.is_ca = true;
    cs.not_before = now - 10 * DAY;
    cs.not_after = now + 1000 * DAY;
    REQUIRE_OK(mint(&cs, NULL, &ca));
    REQUIRE_OK(mint(&ls, &ca, &leaf));
    CHECK_OK(verify_pem(leaf.cert, ca.cert, NULL, false, now));
    CHECK_OK(verify_pem(leaf.cert, ca.cert, NULL, false, now - DAY + 60));
    CHECK_ERR(verify_pem(leaf.cert, ca.cert, NULL, false, now - DAY - 60), LATCH_ERR_CERT_NOT_YET_VALID);
    CHECK_OK(verify_pem(leaf.cert, ca.cert, NULL, false, now + 365 * DAY - 60));
    CHECK_ERR(verify_pem(leaf.cert, ca.cert, NULL, false, now + 365 * DAY + 60), LATCH_ERR_CERT_EXPIRED);
}

/* Explicit validity, to the second; and dates past 2049 (GeneralizedTime). */
static void test_explicit_validity(void)
{
    latch_cert_spec cs = spec_make("validity CA", T0 - 100 * DAY, INT64_C(4102444800) + 100 * DAY);
    latch_cert_spec ls = spec_make("leaf", T0, INT64_C(4102444800)); /* 2100-01-01 */

    cs.is_ca = true;
    REQUIRE_OK(mint(&cs, NULL, &ca));
    REQUIRE_OK(mint(&ls, &ca, &leaf));
    CHECK_ERR(verify_pem(leaf.cert, ca.cert, NULL, false, T0 - 1), LATCH_ERR_CERT_NOT_YET_VALID);
    CHECK_OK(verify_pem(leaf.cert, ca.cert, NULL, false, T0));
    /* RFC 5280 §4.1.2.5 makes notAfter inclusive; libcrypto treats that very
     * second as expired already, so the edge is checked one second inside. */
    CHECK_OK(verify_pem(leaf.cert, ca.cert, NULL, false, INT64_C(4102444799)));
    CHECK_ERR(verify_pem(leaf.cert, ca.cert, NULL, false, INT64_C(4102444801)), LATCH_ERR_CERT_EXPIRED);
}

/* SANs and EKU land in the certificate as asked. */
static void test_names_and_eku(void)
{
    static const char *const dns[] = {"a.example", "*.b.example"};
    static const char *const ips[] = {"192.0.2.1", "2001:db8::1"};
    latch_cert_spec cs = spec_make("names CA", 0, 0);
    latch_cert_spec ls = spec_make("a.example", 0, 0);
    int64_t now = (int64_t)time(NULL);
    uint8_t der[4096];
    const uint8_t *ders[1] = {der};
    size_t lens[1];
    latch_peer *p = NULL;
    char buf[256];

    cs.is_ca = true;
    ls.dns_names = dns;
    ls.n_dns = 2;
    ls.ips = ips;
    ls.n_ips = 2;
    ls.client_auth = true;
    REQUIRE_OK(mint(&cs, NULL, &ca));
    REQUIRE_OK(mint(&ls, &ca, &leaf));
    lens[0] = pem_to_der(leaf.cert, 0, der, sizeof der);
    REQUIRE_OK(latch_peer_new(ders, lens, 1, &p));
    CHECK_OK(latch_peer_sans(p, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "DNS:a.example, DNS:*.b.example, IP:192.0.2.1, IP:2001:db8::1") == 0);
    CHECK_OK(latch_peer_subject(p, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=a.example") == 0);
    CHECK_OK(latch_peer_issuer(p, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=names CA") == 0);
    latch_peer_free(p);

    /* clientAuth only: a client, not a server. */
    CHECK_OK(verify_pem(leaf.cert, ca.cert, NULL, true, now));
    CHECK_ERR(verify_pem(leaf.cert, ca.cert, "a.example", false, now), LATCH_ERR_CERT_BAD_USAGE);
    CHECK_OK(verify_pem(leaf.cert, ca.cert, "x.b.example", true, now));
    CHECK_OK(verify_pem(leaf.cert, ca.cert, "2001:db8::1", true, now));
}

/* path_len and key_usage_wrong on CAs. */
static void test_ca_constraints(void)
{
    latch_cert_spec rs = spec_make("pl0 root", 0, 0);
    latch_cert_spec is = spec_make("inter", 0, 0);
    latch_cert_spec ls = spec_make("leaf", 0, 0);
    int64_t now = (int64_t)time(NULL);
    minted_pem inter;
    char chain[2 * PEM_MAX];
    uint8_t der[2][4096];
    const uint8_t *ders[2] = {der[0], der[1]};
    size_t lens[2];
    latch_trust *t = NULL;
    latch_peer *p = NULL;
    latch_verify_params vp = {NULL, false, now, 10, false};

    rs.is_ca = true;
    rs.path_len = 0;
    is.is_ca = true;
    REQUIRE_OK(mint(&rs, NULL, &ca));
    REQUIRE_OK(mint(&is, &ca, &inter));
    REQUIRE_OK(mint(&ls, &inter, &leaf));
    snprintf(chain, sizeof chain, "%s%s", leaf.cert, inter.cert);
    lens[0] = pem_to_der(chain, 0, der[0], sizeof der[0]);
    lens[1] = pem_to_der(chain, 1, der[1], sizeof der[1]);
    REQUIRE_OK(latch_trust_new(&t));
    REQUIRE_OK(latch_trust_add_pem(t, (const uint8_t *)ca.cert, strlen(ca.cert)));
    REQUIRE_OK(latch_peer_new(ders, lens, 2, &p));
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_CERT_BAD_USAGE);
    CHECK_DETAIL("pathLenConstraint of CA certificate 'CN=pl0 root'");
    latch_peer_free(p);
    latch_trust_free(t);

    /* The CA itself may issue the leaf directly. */
    REQUIRE_OK(mint(&ls, &ca, &leaf));
    CHECK_OK(verify_pem(leaf.cert, ca.cert, NULL, false, now));

    /* A CA without keyCertSign cannot issue. */
    rs.path_len = -1;
    rs.key_usage_wrong = true;
    REQUIRE_OK(mint(&rs, NULL, &ca));
    REQUIRE_OK(mint(&ls, &ca, &leaf));
    CHECK_ERR(verify_pem(leaf.cert, ca.cert, NULL, false, now), LATCH_ERR_CERT_BAD_USAGE);
}

static void test_spec_errors(void)
{
    static const char *const bad_ip[] = {"192.0.2.300"};
    static const char *const bad_dns[] = {"a b.example"};
    static const char *const empty_dns[] = {""};
    latch_cert_spec s = spec_make("x", 0, 0);

    CHECK_ERR(latch_cert_mint(NULL, NULL, NULL, leaf.cert, sizeof leaf.cert, leaf.key, sizeof leaf.key),
              LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_cert_mint(&s, NULL, NULL, NULL, 10, leaf.key, sizeof leaf.key), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_cert_mint(&s, NULL, NULL, leaf.cert, 0, leaf.key, sizeof leaf.key), LATCH_ERR_INVALID_ARGUMENT);

    s.common_name = NULL;
    CHECK_ERR(mint(&s, NULL, &leaf), LATCH_ERR_INVALID_ARGUMENT);
    s.common_name = "";
    CHECK_ERR(mint(&s, NULL, &leaf), LATCH_ERR_INVALID_ARGUMENT);
    s.common_name = "x";

    s.n_dns = 1;
    CHECK_ERR(mint(&s, NULL, &leaf), LATCH_ERR_INVALID_ARGUMENT); /* NULL array */
    s.dns_names = bad_dns;
    CHECK_ERR(mint(&s, NULL, &leaf), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_DETAIL("outside printable ASCII");
    s.dns_names = empty_dns;
    CHECK_ERR(mint(&s, NULL, &leaf), LATCH_ERR_INVALID_ARGUMENT);
    s.n_dns = 0;

    s.ips = bad_ip;
    s.n_ips = 1;
    CHECK_ERR(mint(&s, NULL, &leaf), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_DETAIL("'192.0.2.300' is not an IPv4 or IPv6 address");
    CHECK(leaf.cert[0] == '\0' && leaf.key[0] == '\0');
    s.n_ips = 0;

    s.not_before = T0;
    s.not_after = T0 - 1;
    CHECK_ERR(mint(&s, NULL, &leaf), LATCH_ERR_INVALID_ARGUMENT);
    s.not_after = T0; /* a one-second certificate is allowed */
    CHECK_OK(mint(&s, NULL, &leaf));

    s.key_type = (latch_key_type)99;
    CHECK_ERR(mint(&s, NULL, &leaf), LATCH_ERR_UNSUPPORTED);
    s.key_type = LATCH_KEY_ECDSA_P256;

    /* A CN too long for the X.520 upper bound (64). */
    s.common_name = "0123456789012345678901234567890123456789012345678901234567890123456789";
    CHECK_ERR(mint(&s, NULL, &leaf), LATCH_ERR_INVALID_ARGUMENT);
}

static void test_issuer_errors(void)
{
    latch_cert_spec cs = spec_make("issuer CA", 0, 0);
    latch_cert_spec ls = spec_make("leaf", 0, 0);
    minted_pem other;
    char garbage[] = "-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\n";

    cs.is_ca = true;
    REQUIRE_OK(mint(&cs, NULL, &ca));
    REQUIRE_OK(mint(&cs, NULL, &other));

    CHECK_ERR(latch_cert_mint(&ls, ca.cert, NULL, leaf.cert, sizeof leaf.cert, leaf.key, sizeof leaf.key),
              LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_cert_mint(&ls, NULL, ca.key, leaf.cert, sizeof leaf.cert, leaf.key, sizeof leaf.key),
              LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_cert_mint(&ls, ca.cert, other.key, leaf.cert, sizeof leaf.cert, leaf.key, sizeof leaf.key),
              LATCH_ERR_KEY_MISMATCH);
    CHECK_ERR(latch_cert_mint(&ls, garbage, ca.key, leaf.cert, sizeof leaf.cert, leaf.key, sizeof leaf.key),
              LATCH_ERR_PEM_DECODE);
    CHECK_ERR(latch_cert_mint(&ls, "", ca.key, leaf.cert, sizeof leaf.cert, leaf.key, sizeof leaf.key),
              LATCH_ERR_PEM_DECODE);
    CHECK_ERR(latch_cert_mint(&ls, ca.cert, "not a key", leaf.cert, sizeof leaf.cert, leaf.key, sizeof leaf.key),
              LATCH_ERR_PEM_DECODE);
    CHECK_ERR(latch_cert_mint(&ls, ca.key, ca.key, leaf.cert, sizeof leaf.cert, leaf.key, sizeof leaf.key),
              LATCH_ERR_PEM_DECODE); /* no CERTIFICATE block */
    CHECK_OK(latch_cert_mint(&ls, ca.cert, ca.key, leaf.cert, sizeof leaf.cert, leaf.key, sizeof leaf.key));
}

/* Too-small output buffers fail cleanly, leaving empty strings. */
static void test_buffer_too_small(void)
{
    latch_cert_spec s = spec_make("small", 0, 0);
    char cert[64], key[64];

    memset(cert, 'x', sizeof cert);
    CHECK_ERR(latch_cert_mint(&s, NULL, NULL, cert, sizeof cert, leaf.key, sizeof leaf.key),
              LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK(cert[0] == '\0');
    CHECK(leaf.key[0] == '\0');
    CHECK_ERR(latch_cert_mint(&s, NULL, NULL, leaf.cert, sizeof leaf.cert, key, sizeof key),
              LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK(leaf.cert[0] == '\0');
    CHECK(key[0] == '\0');
}

/* Ed25519 certificates with the same names and times have the same length
 * (fixed-size key, signature and serial), so the exact capacity can be
 * probed: the PEM and its NUL fit, one byte less does not. */
static void test_exact_capacity(void)
{
    latch_cert_spec s = spec_make("exact", T0, T0 + DAY);
    size_t cert_len, key_len;

    s.key_type = LATCH_KEY_ED25519;
    REQUIRE_OK(mint(&s, NULL, &leaf));
    cert_len = strlen(leaf.cert);
    key_len = strlen(leaf.key);
    CHECK_OK(latch_cert_mint(&s, NULL, NULL, leaf.cert, cert_len + 1, leaf.key, key_len + 1));
    CHECK_EQ(strlen(leaf.cert), cert_len);
    CHECK_ERR(latch_cert_mint(&s, NULL, NULL, leaf.cert, cert_len, leaf.key, key_len + 1),
              LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK_ERR(latch_cert_mint(&s, NULL, NULL, leaf.cert, cert_len + 1, leaf.key, key_len),
              LATCH_ERR_BUFFER_TOO_SMALL);
}

/* Two mints of the same spec differ (fresh key, random serial). */
static void test_fresh_each_time(void)
{
    latch_cert_spec s = spec_make("same", T0, T0 + DAY);
    minted_pem a, b;

    REQUIRE_OK(mint(&s, NULL, &a));
    REQUIRE_OK(mint(&s, NULL, &b));
    CHECK(strcmp(a.cert, b.cert) != 0);
    CHECK(strcmp(a.key, b.key) != 0);
}

static void test_key_type_names(void)
{
    latch_key_type t;

    CHECK(strcmp(latch_key_type_name(LATCH_KEY_ECDSA_P256), "ecdsa-p256") == 0);
    CHECK(strcmp(latch_key_type_name(LATCH_KEY_RSA_PSS2048), "rsa-pss2048") == 0);
    CHECK(latch_key_type_name((latch_key_type)42) == NULL);
    CHECK_OK(latch_key_type_from_name("ED25519", &t));
    CHECK_EQ(t, LATCH_KEY_ED25519);
    CHECK_OK(latch_key_type_from_name("p384", &t));
    CHECK_EQ(t, LATCH_KEY_ECDSA_P384);
    CHECK_OK(latch_key_type_from_name("rsa4096", &t));
    CHECK_EQ(t, LATCH_KEY_RSA4096);
    CHECK_ERR(latch_key_type_from_name("dsa", &t), LATCH_ERR_UNSUPPORTED);
    CHECK_ERR(latch_key_type_from_name(NULL, &t), LATCH_ERR_INVALID_ARGUMENT);
    for (int i = LATCH_KEY_ECDSA_P256; i <= LATCH_KEY_RSA_PSS2048; i++) {
        CHECK_OK(latch_key_type_from_name(latch_key_type_name((latch_key_type)i), &t));
        CHECK_EQ(t, i);
    }
}

static const latch_test cases[] = {
    TEST(test_every_key_type),
    TEST(test_default_validity),
    TEST(test_explicit_validity),
    TEST(test_names_and_eku),
    TEST(test_ca_constraints),
    TEST(test_spec_errors),
    TEST(test_issuer_errors),
    TEST(test_buffer_too_small),
    TEST(test_exact_capacity),
    TEST(test_fresh_each_time),
    TEST(test_key_type_names),
    {0},
};

LATCH_TEST_MAIN(cases)
