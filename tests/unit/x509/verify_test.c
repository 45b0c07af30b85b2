/* Tests for the peer's chain: parsing, verification, description (src/x509/verify.c). */
#include "x509/verify.h"

#include "x509_helpers.h"

#include <time.h>

#define T0 INT64_C(1750000000)
#define DAY INT64_C(86400)
/* Inside the validity of the openssl-made data/kx_*.pem (2026-11-27 + 100 years). */
#define T_KX INT64_C(1830000000)

static minted_pem ca, inter, leaf;
static uint8_t leaf_der[4096], inter_der[4096];
static size_t leaf_len, inter_len;

static void setup(void)
{
    static const char *const dns[] = {"a.example", "*.w.example"};
    static const char *const ips[] = {"192.0.2.1", "2001:db8::1"};
    latch_cert_spec cs = spec_make("Verify Root", T0 - 100 * DAY, T0 + 100 * DAY);
    latch_cert_spec is = spec_make("Verify Intermediate", T0 - 100 * DAY, T0 + 100 * DAY);
    latch_cert_spec ls = spec_make("a.example", T0 - DAY, T0 + DAY);

    if (leaf_len != 0) {
        return;
    }
    cs.is_ca = true;
    is.is_ca = true;
    ls.dns_names = dns;
    ls.n_dns = 2;
    ls.ips = ips;
    ls.n_ips = 2;
    ls.server_auth = true;
    if (mint(&cs, NULL, &ca) != LATCH_OK || mint(&is, &ca, &inter) != LATCH_OK || mint(&ls, &inter, &leaf) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "mint: %s", last_detail());
        return;
    }
    leaf_len = pem_to_der(leaf.cert, 0, leaf_der, sizeof leaf_der);
    inter_len = pem_to_der(inter.cert, 0, inter_der, sizeof inter_der);
}

static latch_err peer2(latch_peer **p)
{
    const uint8_t *der[2] = {leaf_der, inter_der};
    size_t len[2] = {leaf_len, inter_len};

    return latch_peer_new(der, len, 2, p);
}

static latch_trust *trust_of(const char *pem)
{
    latch_trust *t = NULL;

    if (latch_trust_new(&t) != LATCH_OK) {
        return NULL;
    }
    if (latch_trust_add_pem(t, (const uint8_t *)pem, strlen(pem)) != LATCH_OK) {
        latch_trust_free(t);
        return NULL;
    }
    return t;
}

static void test_parse_and_describe(void)
{
    latch_peer *p = NULL;
    latch_pkey_info info;
    latch_rd r;
    char buf[256];

    setup();
    REQUIRE_OK(peer2(&p));
    CHECK_EQ(latch_peer_count(p), 2);
    r = latch_peer_der(p, 0);
    CHECK_MEM(r.p, r.len, leaf_der, leaf_len);
    r = latch_peer_der(p, 1);
    CHECK_MEM(r.p, r.len, inter_der, inter_len);
    r = latch_peer_der(p, 2);
    CHECK(r.p == NULL && r.len == 0);
    CHECK(latch_peer_key(p) != NULL);
    info = latch_peer_key_info(p);
    CHECK_EQ(info.type, LATCH_PKEY_EC);
    CHECK_EQ(info.group, LATCH_GROUP_SECP256R1);
    CHECK_EQ(info.bits, 256);
    CHECK(!latch_peer_verified(p));
    CHECK_EQ(latch_peer_path_count(p), 0);

    CHECK_OK(latch_peer_subject(p, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=a.example") == 0);
    CHECK_OK(latch_peer_issuer(p, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=Verify Intermediate") == 0);
    CHECK_OK(latch_peer_subject(p, 1, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=Verify Intermediate") == 0);
    CHECK_OK(latch_peer_issuer(p, 1, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=Verify Root") == 0);
    CHECK_OK(latch_peer_sans(p, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "DNS:a.example, DNS:*.w.example, IP:192.0.2.1, IP:2001:db8::1") == 0);
    CHECK_OK(latch_peer_sans(p, 1, buf, sizeof buf));
    CHECK(strcmp(buf, "") == 0);

    /* Small buffers: a NUL-terminated prefix and BUFFER_TOO_SMALL. */
    CHECK_ERR(latch_peer_sans(p, 0, buf, 10), LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK(strcmp(buf, "DNS:a.exa") == 0);
    CHECK_ERR(latch_peer_subject(p, 0, buf, 12), LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK(strcmp(buf, "CN=a.exampl") == 0);
    CHECK_OK(latch_peer_subject(p, 0, buf, 13)); /* exactly enough */
    CHECK_ERR(latch_peer_subject(p, 0, buf, 0), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_peer_subject(p, 2, buf, sizeof buf), LATCH_ERR_INVALID_ARGUMENT);
    CHECK(buf[0] == '\0');
    CHECK_ERR(latch_peer_issuer(p, 5, buf, sizeof buf), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_peer_sans(NULL, 0, buf, sizeof buf), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_peer_path_subject(p, 0, buf, sizeof buf), LATCH_ERR_INVALID_ARGUMENT);
    latch_peer_free(p);
    latch_peer_free(NULL);
    CHECK_EQ(latch_peer_count(NULL), 0);
}

/* Bad DER: empty list, empty certificate, garbage, every truncation, a
 * trailing byte, too large, too many. */
static void test_bad_der(void)
{
    static uint8_t big[70000];
    const uint8_t *der[LATCH_PEER_MAX_CERTS + 1];
    size_t len[LATCH_PEER_MAX_CERTS + 1];
    uint8_t buf[4097];
    const uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    latch_peer *p = NULL;

    setup();
    der[0] = leaf_der;
    len[0] = leaf_len;
    CHECK_ERR(latch_peer_new(der, len, 0, &p), LATCH_ERR_DECODE);
    CHECK(p == NULL);
    len[0] = 0;
    CHECK_ERR(latch_peer_new(der, len, 1, &p), LATCH_ERR_DECODE);
    CHECK_DETAIL("certificate 0 of the peer's chain is empty");

    der[0] = garbage;
    len[0] = sizeof garbage;
    CHECK_ERR(latch_peer_new(der, len, 1, &p), LATCH_ERR_CERT_BAD);
    CHECK_DETAIL("certificate 0 of the peer's chain: not a DER X.509 certificate");

    /* A good leaf, then a bad second certificate: the index is named. */
    der[0] = leaf_der;
    len[0] = leaf_len;
    der[1] = garbage;
    len[1] = sizeof garbage;
    CHECK_ERR(latch_peer_new(der, len, 2, &p), LATCH_ERR_CERT_BAD);
    CHECK_DETAIL("certificate 1 of the peer's chain");
    CHECK(p == NULL);

    for (size_t n = 1; n < leaf_len; n++) {
        latch_err e;

        der[0] = leaf_der;
        len[0] = n;
        e = latch_peer_new(der, len, 1, &p);
        if (e != LATCH_ERR_CERT_BAD || p != NULL) {
            latch_test_fail(__FILE__, __LINE__, "cut at %zu: %s", n, latch_err_name(e));
        }
    }
    memcpy(buf, leaf_der, leaf_len);
    buf[leaf_len] = 0x00;
    der[0] = buf;
    len[0] = leaf_len + 1;
    CHECK_ERR(latch_peer_new(der, len, 1, &p), LATCH_ERR_CERT_BAD);
    CHECK_DETAIL("1 trailing bytes after the certificate");
    /* A length byte that claims more than there is. */
    memcpy(buf, leaf_der, leaf_len);
    buf[3] = (uint8_t)(buf[3] + 1);
    len[0] = leaf_len;
    CHECK_ERR(latch_peer_new(der, len, 1, &p), LATCH_ERR_CERT_BAD);

    memset(big, 0x30, sizeof big);
    der[0] = big;
    len[0] = sizeof big;
    CHECK_ERR(latch_peer_new(der, len, 1, &p), LATCH_ERR_CERT_TOO_LARGE);

    for (size_t i = 0; i <= LATCH_PEER_MAX_CERTS; i++) {
        der[i] = leaf_der;
        len[i] = leaf_len;
    }
    CHECK_ERR(latch_peer_new(der, len, LATCH_PEER_MAX_CERTS + 1, &p), LATCH_ERR_CERT_CHAIN_TOO_LONG);
    CHECK_OK(latch_peer_new(der, len, LATCH_PEER_MAX_CERTS, &p));
    latch_peer_free(p);

    CHECK_ERR(latch_peer_new(NULL, len, 1, &p), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_peer_new(der, NULL, 1, &p), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_peer_new(der, len, 1, NULL), LATCH_ERR_INVALID_ARGUMENT);
    der[0] = NULL;
    CHECK_ERR(latch_peer_new(der, len, 1, &p), LATCH_ERR_INVALID_ARGUMENT);
}

/* PEM is not DER. */
static void test_pem_refused(void)
{
    const uint8_t *der[1];
    size_t len[1];
    latch_peer *p = NULL;

    setup();
    der[0] = (const uint8_t *)leaf.cert;
    len[0] = strlen(leaf.cert);
    CHECK_ERR(latch_peer_new(der, len, 1, &p), LATCH_ERR_CERT_BAD);
}

static void test_verify_and_path(void)
{
    latch_verify_params vp = {"a.example", false, T0, 10, false};
    latch_trust *t;
    latch_peer *p = NULL;
    char buf[128];

    setup();
    t = trust_of(ca.cert);
    REQUIRE(t != NULL);
    REQUIRE_OK(peer2(&p));
    CHECK_OK(latch_peer_verify(p, t, &vp));
    CHECK(latch_peer_verified(p));
    CHECK_EQ(latch_peer_path_count(p), 3);
    CHECK_OK(latch_peer_path_subject(p, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=a.example") == 0);
    CHECK_OK(latch_peer_path_subject(p, 2, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=Verify Root") == 0);
    CHECK_ERR(latch_peer_path_subject(p, 3, buf, sizeof buf), LATCH_ERR_INVALID_ARGUMENT);

    /* A failed verify clears the earlier success. */
    vp.host = "b.example";
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_CERT_NAME_MISMATCH);
    CHECK_DETAIL("certificate for 'a.example' (SANs: DNS:a.example, DNS:*.w.example, IP:192.0.2.1, IP:2001:db8::1) "
                 "does not match the requested name 'b.example'");
    CHECK(!latch_peer_verified(p));
    CHECK_EQ(latch_peer_path_count(p), 0);

    vp.host = "x.w.example";
    CHECK_OK(latch_peer_verify(p, t, &vp));
    vp.host = "2001:db8:0::1";
    CHECK_OK(latch_peer_verify(p, t, &vp));
    vp.host = NULL;
    vp.max_depth = 0; /* the default, 10 */
    CHECK_OK(latch_peer_verify(p, t, &vp));

    vp.now = T0 + 2 * DAY;
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_CERT_EXPIRED);
    CHECK_DETAIL("certificate 'CN=a.example' expired at 2025-06-16 15:06:40 UTC (the time is 2025-06-17 15:06:40 UTC)");
    vp.now = T0 - 2 * DAY;
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_CERT_NOT_YET_VALID);
    CHECK_DETAIL("not valid before 2025-06-14 15:06:40 UTC");
    latch_trust_free(t);

    /* Parameter errors. */
    t = trust_of(ca.cert);
    vp.now = 0;
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_INVALID_ARGUMENT);
    vp.now = T0;
    vp.host = "";
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_INVALID_ARGUMENT);
    vp.host = "a..example";
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_INVALID_ARGUMENT);
    vp.host = NULL;
    CHECK_ERR(latch_peer_verify(NULL, t, &vp), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_peer_verify(p, NULL, &vp), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_peer_verify(p, t, NULL), LATCH_ERR_INVALID_ARGUMENT);
    CHECK(!latch_peer_verified(p));
    latch_trust_free(t);
    latch_peer_free(p);
}

/* A leaf whose keyUsage allows only keyEncipherment (made by the openssl
 * tool, data/kx_*.pem): TLS 1.3 needs digitalSignature (RFC 8446 §4.4.2.2);
 * TLS 1.2 RSA key transport may allow it. */
static void test_key_encipherment_only(void)
{
    char *ca_pem = data_file("kx_ca.pem", NULL), *leaf_pem = data_file("kx_leaf.pem", NULL);
    latch_verify_params vp = {"kx.example", false, T_KX, 10, false};
    uint8_t der[4096];
    const uint8_t *ders[1] = {der};
    size_t lens[1];
    latch_trust *t;
    latch_peer *p = NULL;

    REQUIRE(ca_pem != NULL && leaf_pem != NULL);
    t = trust_of(ca_pem);
    REQUIRE(t != NULL);
    lens[0] = pem_to_der(leaf_pem, 0, der, sizeof der);
    REQUIRE_OK(latch_peer_new(ders, lens, 1, &p));
    CHECK_EQ(latch_peer_key_info(p).type, LATCH_PKEY_RSA);
    CHECK_EQ(latch_peer_key_info(p).bits, 2048);
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_CERT_BAD_USAGE);
    CHECK_DETAIL("keyUsage of certificate 'CN=kx.example' does not allow digitalSignature");
    CHECK(!latch_peer_verified(p));
    vp.allow_key_encipherment_only = true;
    CHECK_OK(latch_peer_verify(p, t, &vp));
    CHECK(latch_peer_verified(p));
    latch_peer_free(p);
    latch_trust_free(t);
    free(ca_pem);
    free(leaf_pem);
}

/* A 1024-bit RSA key is below the security level (openssl-made, pinned). */
static void test_weak_key(void)
{
    char *pem = data_file("rsa1024.crt", NULL);
    latch_verify_params vp = {NULL, false, T_KX, 10, false};
    uint8_t der[4096];
    const uint8_t *ders[1] = {der};
    size_t lens[1];
    latch_trust *t;
    latch_peer *p = NULL;

    REQUIRE(pem != NULL);
    t = trust_of(pem);
    REQUIRE(t != NULL);
    lens[0] = pem_to_der(pem, 0, der, sizeof der);
    REQUIRE_OK(latch_peer_new(ders, lens, 1, &p));
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_CERT_UNSUPPORTED);
    CHECK_DETAIL("key of certificate 'CN=weak rsa1024' is too weak");
    latch_peer_free(p);
    latch_trust_free(t);
    free(pem);
}

/* Escaping of names a peer chooses: control characters and commas in SANs
 * cannot forge list entries. */
static void test_hostile_names(void)
{
    static const char *const dns[] = {"a.example,DNS:evil.example", "b\\c.example"};
    latch_cert_spec s = spec_make("CN with, comma and \"quote\"", T0, T0 + DAY);
    uint8_t der[4096];
    const uint8_t *ders[1] = {der};
    size_t lens[1];
    latch_peer *p = NULL;
    char buf[256];

    s.dns_names = dns;
    s.n_dns = 2;
    REQUIRE_OK(mint(&s, NULL, &leaf));
    lens[0] = pem_to_der(leaf.cert, 0, der, sizeof der);
    REQUIRE_OK(latch_peer_new(ders, lens, 1, &p));
    CHECK_OK(latch_peer_sans(p, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "DNS:a.example\\x2CDNS:evil.example, DNS:b\\x5Cc.example") == 0);
    CHECK_OK(latch_peer_subject(p, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=CN with\\, comma and \\\"quote\\\"") == 0);
    latch_peer_free(p);
    leaf_len = 0; /* setup() mints the normal leaf again */
}

static const latch_test cases[] = {
    TEST(test_parse_and_describe),
    TEST(test_bad_der),
    TEST(test_pem_refused),
    TEST(test_verify_and_path),
    TEST(test_key_encipherment_only),
    TEST(test_weak_key),
    TEST(test_hostile_names),
    {0},
};

LATCH_TEST_MAIN(cases)
