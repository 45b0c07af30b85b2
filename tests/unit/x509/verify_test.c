/* Tests for the peer's chain: parsing, verification, description (src/x509/verify.c). */
#include "x509/verify.h"

#include "x509/der.h"
#include "x509_helpers.h"

#include <pthread.h>
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
    /* The store remembers that success for this parameter only. */
    vp.allow_key_encipherment_only = false;
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_CERT_BAD_USAGE);
    CHECK_DETAIL("keyUsage of certificate 'CN=kx.example' does not allow digitalSignature");
    vp.allow_key_encipherment_only = true;
    CHECK_OK(latch_peer_verify(p, t, &vp));
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

/* ---- Verified chains remembered by the trust store ------------------------------- */

static uint8_t root_der[4096];
static size_t root_len;

/* The root's DER too (setup() mints the PKI; a chain may carry its anchor). */
static void setup_root(void)
{
    setup();
    if (root_len == 0) {
        root_len = pem_to_der(ca.cert, 0, root_der, sizeof root_der);
    }
}

typedef struct outcome {
    latch_err e;
    char detail[256];
    size_t path;
    char path_top[96];
    latch_pkey_info info;
} outcome;

/* Verify n certificates against t, from a fresh latch_peer, and describe what happened. */
static outcome verify_with(latch_trust *t, const uint8_t *const *der, const size_t *len, size_t n,
                           const latch_verify_params *vp)
{
    outcome o;
    latch_peer *p = NULL;

    memset(&o, 0, sizeof o);
    latch__err_clear();
    o.e = latch_peer_new(der, len, n, &p);
    if (o.e == LATCH_OK) {
        o.e = latch_peer_verify(p, t, vp);
    }
    snprintf(o.detail, sizeof o.detail, "%s", o.e != LATCH_OK ? last_detail() : "");
    if (o.e == LATCH_OK) {
        o.path = latch_peer_path_count(p);
        if (latch_peer_path_subject(p, o.path - 1, o.path_top, sizeof o.path_top) != LATCH_OK) {
            o.path_top[0] = '\0';
        }
        o.info = latch_peer_key_info(p);
        if (latch_peer_key(p) == NULL || !latch_peer_verified(p)) {
            o.e = LATCH_ERR_INTERNAL; /* a success must come with a key and the verified mark */
        }
    } else if (p != NULL && latch_peer_verified(p)) {
        o.e = LATCH_ERR_INTERNAL;
    }
    latch_peer_free(p);
    return o;
}

/* The same verification against a store that has never verified anything. */
static outcome verify_cold(const char *anchors_pem, const uint8_t *const *der, const size_t *len, size_t n,
                           const latch_verify_params *vp)
{
    latch_trust *t = trust_of(anchors_pem);
    outcome o;

    if (t == NULL) {
        memset(&o, 0, sizeof o);
        o.e = LATCH_ERR_INTERNAL;
        return o;
    }
    o = verify_with(t, der, len, n, vp);
    latch_trust_free(t);
    return o;
}

static bool same_outcome(const outcome *a, const outcome *b)
{
    return a->e == b->e && strcmp(a->detail, b->detail) == 0 && a->path == b->path &&
           strcmp(a->path_top, b->path_top) == 0 && a->info.type == b->info.type && a->info.group == b->info.group &&
           a->info.bits == b->info.bits;
}

static size_t hits_of(const latch_trust *t)
{
    size_t entries, hits;

    latch__trust_cache_stats(t, &entries, &hits);
    return hits;
}

static size_t entries_of(const latch_trust *t)
{
    size_t entries, hits;

    latch__trust_cache_stats(t, &entries, &hits);
    return entries;
}

/*
 * A chain verified once is found again: no decoding, the same answer (path,
 * key), for every connection to the same server.
 */
static void test_remembered(void)
{
    const uint8_t *der[3] = {leaf_der, inter_der, root_der};
    size_t len[3];
    latch_verify_params vp = {"a.example", false, T0, 10, false};
    latch_trust *t;
    outcome first, again, cold;

    setup_root();
    len[0] = leaf_len;
    len[1] = inter_len;
    len[2] = root_len;
    t = trust_of(ca.cert);
    REQUIRE(t != NULL);
    CHECK_EQ(entries_of(t), 0);
    first = verify_with(t, der, len, 2, &vp);
    CHECK_OK(first.e);
    CHECK_EQ(entries_of(t), 1);
    CHECK_EQ(hits_of(t), 0);
    again = verify_with(t, der, len, 2, &vp);
    CHECK_EQ(hits_of(t), 1);
    CHECK(same_outcome(&first, &again));
    CHECK_EQ(again.path, 3);
    CHECK(strcmp(again.path_top, "CN=Verify Root") == 0);
    CHECK_EQ(again.info.type, LATCH_PKEY_EC);
    CHECK_EQ(again.info.group, LATCH_GROUP_SECP256R1);

    /* A peer found in the store still describes itself, from its own bytes. */
    {
        latch_peer *p = NULL;
        char buf[256];
        latch_rd r;

        REQUIRE_OK(latch_peer_new(der, len, 2, &p));
        CHECK_OK(latch_peer_verify(p, t, &vp));
        CHECK_EQ(hits_of(t), 2);
        CHECK_OK(latch_peer_subject(p, 0, buf, sizeof buf));
        CHECK(strcmp(buf, "CN=a.example") == 0);
        CHECK_OK(latch_peer_issuer(p, 1, buf, sizeof buf));
        CHECK(strcmp(buf, "CN=Verify Root") == 0);
        CHECK_OK(latch_peer_sans(p, 0, buf, sizeof buf));
        CHECK(strcmp(buf, "DNS:a.example, DNS:*.w.example, IP:192.0.2.1, IP:2001:db8::1") == 0);
        r = latch_peer_der(p, 1);
        CHECK_MEM(r.p, r.len, inter_der, inter_len);
        latch_peer_free(p);
    }

    /* The chain with its anchor in it is another chain (found by its bytes), and verifies the same way. */
    CHECK(same_outcome(&first, &(outcome){0}) == false);
    again = verify_with(t, der, len, 3, &vp);
    cold = verify_cold(ca.cert, der, len, 3, &vp);
    CHECK_OK(again.e);
    CHECK(same_outcome(&again, &cold));
    CHECK_EQ(entries_of(t), 2);
    again = verify_with(t, der, len, 3, &vp);
    CHECK(same_outcome(&again, &cold));
    CHECK_EQ(hits_of(t), 3);

    /* The same certificates in another order: another key, the same answer. */
    {
        const uint8_t *swapped[3] = {leaf_der, root_der, inter_der};
        size_t slen[3] = {leaf_len, root_len, inter_len};

        again = verify_with(t, swapped, slen, 3, &vp);
        cold = verify_cold(ca.cert, swapped, slen, 3, &vp);
        CHECK(same_outcome(&again, &cold));
        CHECK_EQ(hits_of(t), 3);
    }
    latch_trust_free(t);
}

/*
 * What the store remembers never accepts what a full verification refuses:
 * time past the leaf's notAfter (or before its notBefore), another host,
 * another purpose, a shorter depth limit, changed bytes, another store,
 * other anchors. Each answer (code and detail) is the one a store that never
 * verified the chain gives.
 */
static void test_remembered_never_accepts_more(void)
{
    const uint8_t *der[2] = {leaf_der, inter_der};
    size_t len[2];
    latch_verify_params vp = {"a.example", false, T0, 10, false};
    latch_trust *t, *other;
    outcome warm, cold;
    uint8_t changed[4096];
    const uint8_t *der2[2] = {changed, inter_der};
    minted_pem other_root;
    latch_cert_spec os = spec_make("Other Root", T0 - 100 * DAY, T0 + 100 * DAY);

    setup_root();
    len[0] = leaf_len;
    len[1] = inter_len;
    t = trust_of(ca.cert);
    REQUIRE(t != NULL);
    REQUIRE_OK(verify_with(t, der, len, 2, &vp).e);
    REQUIRE(entries_of(t) == 1);

#define SAME_AS_COLD(want)                                                                                  \
    do {                                                                                                    \
        warm = verify_with(t, der, len, 2, &vp);                                                            \
        cold = verify_cold(ca.cert, der, len, 2, &vp);                                                      \
        CHECK_EQ(warm.e, (want));                                                                           \
        if (!same_outcome(&warm, &cold)) {                                                                  \
            latch_test_fail(__FILE__, __LINE__, "remembered: %s (%s); fresh: %s (%s)", latch_err_name(warm.e), \
                            warm.detail, latch_err_name(cold.e), cold.detail);                              \
        }                                                                                                   \
    } while (0)

    /* Expired since: the leaf's notAfter is T0 + DAY. */
    vp.now = T0 + 2 * DAY;
    SAME_AS_COLD(LATCH_ERR_CERT_EXPIRED);
    CHECK(strstr(warm.detail, "certificate 'CN=a.example' expired at 2025-06-16 15:06:40 UTC") != NULL);
    vp.now = T0 - 2 * DAY;
    SAME_AS_COLD(LATCH_ERR_CERT_NOT_YET_VALID);
    vp.now = T0 + 1; /* still inside: found again */
    SAME_AS_COLD(LATCH_OK);
    CHECK_EQ(hits_of(t), 1);

    /* Another host: refused with the SAN list, as always; names the leaf has: accepted. */
    vp.host = "b.example";
    SAME_AS_COLD(LATCH_ERR_CERT_NAME_MISMATCH);
    CHECK(strstr(warm.detail, "does not match the requested name 'b.example'") != NULL);
    vp.host = "w.example"; /* the wildcard needs a label */
    SAME_AS_COLD(LATCH_ERR_CERT_NAME_MISMATCH);
    vp.host = "192.0.2.2";
    SAME_AS_COLD(LATCH_ERR_CERT_NAME_MISMATCH);
    vp.host = "a.example.evil";
    SAME_AS_COLD(LATCH_ERR_CERT_NAME_MISMATCH);
    vp.host = "bad..name";
    SAME_AS_COLD(LATCH_ERR_INVALID_ARGUMENT);
    {
        size_t before = hits_of(t);

        vp.host = "X.W.EXAMPLE";
        SAME_AS_COLD(LATCH_OK);
        vp.host = "192.0.2.1";
        SAME_AS_COLD(LATCH_OK);
        vp.host = "2001:DB8::1";
        SAME_AS_COLD(LATCH_OK);
        vp.host = NULL;
        SAME_AS_COLD(LATCH_OK);
        CHECK_EQ(hits_of(t), before + 4); /* all from the store */
    }
    vp.host = "a.example";

    /* Another purpose: the leaf is for servers only. */
    vp.client_cert = true;
    SAME_AS_COLD(LATCH_ERR_CERT_BAD_USAGE);
    vp.client_cert = false;

    /* A shorter depth limit: the path is leaf, intermediate, root. */
    vp.max_depth = 2;
    SAME_AS_COLD(LATCH_ERR_CERT_CHAIN_TOO_LONG);
    vp.max_depth = 3;
    SAME_AS_COLD(LATCH_OK);
    vp.max_depth = 10;

    /* Changed bytes: each certificate's last byte (in its signature), and one in the middle. */
    {
        size_t before = hits_of(t);
        size_t spots[3] = {leaf_len - 1, leaf_len / 2, 40};

        for (size_t k = 0; k < 3; k++) {
            memcpy(changed, leaf_der, leaf_len);
            changed[spots[k]] ^= 0x01;
            warm = verify_with(t, der2, len, 2, &vp);
            cold = verify_cold(ca.cert, der2, len, 2, &vp);
            CHECK(warm.e != LATCH_OK);
            CHECK(same_outcome(&warm, &cold));
        }
        CHECK_EQ(hits_of(t), before);
    }

    /* Another store, without the root: nothing remembered there. */
    REQUIRE_OK(mint(&os, NULL, &other_root));
    other = trust_of(other_root.cert);
    REQUIRE(other != NULL);
    warm = verify_with(other, der, len, 2, &vp);
    CHECK_EQ(warm.e, LATCH_ERR_CERT_UNKNOWN_CA);
    CHECK_EQ(hits_of(other), 0);

    /* New anchors: the store forgets what it verified (it may verify differently now). */
    CHECK(entries_of(t) > 0);
    REQUIRE_OK(latch_trust_add_pem(t, (const uint8_t *)other_root.cert, strlen(other_root.cert)));
    CHECK_EQ(entries_of(t), 0);
    SAME_AS_COLD(LATCH_OK);
    CHECK_EQ(entries_of(t), 1);
#undef SAME_AS_COLD
    latch_trust_free(other);
    latch_trust_free(t);
}

/*
 * An anchor that expires before the chain it anchors: the store's answer
 * changes when the anchor's validity does, though every certificate the peer
 * sent is still valid (libcrypto checks the anchor's validity too).
 */
static void test_remembered_anchor_expires(void)
{
    latch_cert_spec rs = spec_make("Short Root", T0 - 100 * DAY, T0 + 10 * DAY);
    latch_cert_spec is = spec_make("Long Intermediate", T0 - 100 * DAY, T0 + 100 * DAY);
    latch_cert_spec ls = spec_make("long.example", T0 - DAY, T0 + 100 * DAY);
    static const char *const dns[] = {"long.example"};
    minted_pem r, i, l;
    uint8_t ld[4096], id[4096];
    const uint8_t *der[2] = {ld, id};
    size_t len[2];
    latch_verify_params vp = {"long.example", false, T0, 10, false};
    latch_trust *t;
    outcome warm, cold;

    rs.is_ca = true;
    is.is_ca = true;
    ls.dns_names = dns;
    ls.n_dns = 1;
    ls.server_auth = true;
    REQUIRE_OK(mint(&rs, NULL, &r));
    REQUIRE_OK(mint(&is, &r, &i));
    REQUIRE_OK(mint(&ls, &i, &l));
    len[0] = pem_to_der(l.cert, 0, ld, sizeof ld);
    len[1] = pem_to_der(i.cert, 0, id, sizeof id);
    t = trust_of(r.cert);
    REQUIRE(t != NULL);
    REQUIRE_OK(verify_with(t, der, len, 2, &vp).e);
    vp.now = T0 + 5 * DAY;
    CHECK_OK(verify_with(t, der, len, 2, &vp).e);
    CHECK_EQ(hits_of(t), 1);
    vp.now = T0 + 20 * DAY;
    warm = verify_with(t, der, len, 2, &vp);
    cold = verify_cold(r.cert, der, len, 2, &vp);
    CHECK_EQ(cold.e, LATCH_ERR_CERT_EXPIRED);
    CHECK(same_outcome(&warm, &cold));
    CHECK_EQ(hits_of(t), 1);
    latch_trust_free(t);
}

/*
 * Every combination of time (each validity bound of the three certificates,
 * a second before, on it and after), host, purpose and depth, against one
 * store that keeps remembering, gives exactly what a store that never
 * verified anything gives: code, detail, path and key.
 */
static void test_remembered_same_as_fresh(void)
{
    static const char *const hosts[] = {"a.example", "b.example", "q.w.example", "192.0.2.1", "192.0.2.9", NULL};
    const int64_t bounds[] = {T0 - 100 * DAY, T0 - DAY, T0 + DAY, T0 + 100 * DAY};
    const uint8_t *der[3] = {leaf_der, inter_der, root_der};
    size_t len[3];
    latch_trust *t;
    size_t compared = 0, ok = 0;

    setup_root();
    len[0] = leaf_len;
    len[1] = inter_len;
    len[2] = root_len;
    t = trust_of(ca.cert);
    REQUIRE(t != NULL);
    for (size_t b = 0; b <= sizeof bounds / sizeof bounds[0]; b++) {
        for (int64_t d = -1; d <= 1; d++) {
            int64_t now = b < sizeof bounds / sizeof bounds[0] ? bounds[b] + d : T0 + d;

            for (size_t h = 0; h < sizeof hosts / sizeof hosts[0]; h++) {
                for (int purpose = 0; purpose < 2; purpose++) {
                    for (unsigned depth = 2; depth <= 3; depth++) {
                        for (size_t n = 2; n <= 3; n++) {
                            latch_verify_params vp = {hosts[h], purpose == 1, now, depth, false};
                            outcome warm, cold;

                            /* Warm the store at T0 first, then ask. */
                            latch_verify_params w = {"a.example", false, T0, 3, false};

                            (void)verify_with(t, der, len, n, &w);
                            warm = verify_with(t, der, len, n, &vp);
                            cold = verify_cold(ca.cert, der, len, n, &vp);
                            compared++;
                            ok += warm.e == LATCH_OK;
                            if (!same_outcome(&warm, &cold)) {
                                latch_test_fail(__FILE__, __LINE__,
                                                "now %+lld s from T0, host %s, %s, depth %u, %zu certs: remembered %s "
                                                "(%s), fresh %s (%s)",
                                                (long long)(now - T0), hosts[h] != NULL ? hosts[h] : "(none)",
                                                purpose ? "client" : "server", depth, n, latch_err_name(warm.e),
                                                warm.detail, latch_err_name(cold.e), cold.detail);
                            }
                        }
                    }
                }
            }
        }
    }
    /* Both answers, many times; and the store did answer from memory. */
    CHECK(ok >= 20 && ok < compared);
    CHECK(hits_of(t) >= compared);
    latch_trust_free(t);
}

/* The store holds at most LATCH_TRUST_CACHE_MAX chains; the least recently used goes first. */
static void test_remembered_bounded(void)
{
    enum { EXTRA = 4, NLEAF = LATCH_TRUST_CACHE_MAX + EXTRA };
    static uint8_t ders[NLEAF][2048];
    size_t lens[NLEAF];
    latch_verify_params vp = {NULL, false, T0, 10, false};
    latch_trust *t;

    setup_root();
    t = trust_of(ca.cert);
    REQUIRE(t != NULL);
    for (size_t i = 0; i < NLEAF; i++) {
        char cn[32];
        latch_cert_spec ls;
        minted_pem m;

        snprintf(cn, sizeof cn, "leaf %zu", i);
        ls = spec_make(cn, T0 - DAY, T0 + DAY);
        ls.server_auth = true;
        REQUIRE_OK(mint(&ls, &inter, &m));
        lens[i] = pem_to_der(m.cert, 0, ders[i], sizeof ders[i]);
        REQUIRE(lens[i] > 0);
    }
    for (size_t i = 0; i < NLEAF; i++) {
        const uint8_t *der[2] = {ders[i], inter_der};
        size_t len[2] = {lens[i], inter_len};

        CHECK_OK(verify_with(t, der, len, 2, &vp).e);
        CHECK_EQ(entries_of(t), i < LATCH_TRUST_CACHE_MAX ? i + 1 : LATCH_TRUST_CACHE_MAX);
    }
    /* Newest first: the last LATCH_TRUST_CACHE_MAX are found; the first EXTRA were
     * replaced, and are verified again in full (no hit), still correctly. */
    for (size_t i = NLEAF; i-- > 0;) {
        const uint8_t *der[2] = {ders[i], inter_der};
        size_t len[2] = {lens[i], inter_len};
        size_t before = hits_of(t);

        CHECK_OK(verify_with(t, der, len, 2, &vp).e);
        CHECK_EQ(hits_of(t), i >= EXTRA ? before + 1 : before);
    }
    CHECK_EQ(entries_of(t), LATCH_TRUST_CACHE_MAX);
    latch_trust_free(t);
}

/* Threads verify against one store at once: found, refused and replaced, each answer right. */
#define VERIFY_THREADS 4
#define VERIFY_ROUNDS 24

typedef struct verify_job {
    latch_trust *t;
    size_t failures;
} verify_job;

static void *verify_worker(void *arg)
{
    verify_job *job = arg;
    const uint8_t *der[3] = {leaf_der, inter_der, root_der};
    size_t len[3] = {leaf_len, inter_len, root_len};

    for (size_t r = 0; r < VERIFY_ROUNDS; r++) {
        latch_verify_params vp = {"a.example", false, T0, 10, false};
        latch_err want = LATCH_OK;

        switch (r % 4) {
        case 1: vp.host = "b.example"; want = LATCH_ERR_CERT_NAME_MISMATCH; break;
        case 2: vp.now = T0 + 2 * DAY; want = LATCH_ERR_CERT_EXPIRED; break;
        case 3: vp.client_cert = true; want = LATCH_ERR_CERT_BAD_USAGE; break;
        default: break;
        }
        if (verify_with(job->t, der, len, 2 + r % 2, &vp).e != want) {
            job->failures++;
        }
    }
    return NULL;
}

static void test_remembered_threads(void)
{
    pthread_t th[VERIFY_THREADS];
    verify_job jobs[VERIFY_THREADS];
    latch_trust *t;

    setup_root();
    t = trust_of(ca.cert);
    REQUIRE(t != NULL);
    for (size_t i = 0; i < VERIFY_THREADS; i++) {
        jobs[i].t = t;
        jobs[i].failures = 0;
        REQUIRE(pthread_create(&th[i], NULL, verify_worker, &jobs[i]) == 0);
    }
    for (size_t i = 0; i < VERIFY_THREADS; i++) {
        REQUIRE(pthread_join(th[i], NULL) == 0);
        CHECK_EQ(jobs[i].failures, 0);
    }
    CHECK(hits_of(t) > 0);
    latch_trust_free(t);
}

/*
 * latch_peer_new decodes nothing that has a certificate's shape; what
 * libcrypto would refuse inside it is refused when it is needed, with the
 * same code and detail as before.
 */
static void test_decoded_when_needed(void)
{
    latch_verify_params vp = {"a.example", false, T0, 10, false};
    uint8_t bad[4096];
    const uint8_t *der[2] = {bad, inter_der};
    size_t len[2];
    latch_trust *t;
    latch_peer *p = NULL;
    latch_cert_view v;
    char buf[128], want[256];
    X509 *x;
    char why[160];

    setup_root();
    len[0] = leaf_len;
    len[1] = inter_len;
    /* The subject Name's first RDN (a SET, tag 0x31) made an OCTET STRING (0x04): still a certificate's shape. */
    memcpy(bad, leaf_der, leaf_len);
    REQUIRE(latch__der_cert_view(leaf_der, leaf_len, &v));
    REQUIRE(v.subject.len > 2 && v.subject.p[2] == 0x31);
    bad[(size_t)(v.subject.p - leaf_der) + 2] = 0x04;
    REQUIRE(latch__der_cert_view(bad, leaf_len, &v));
    x = latch__der_cert(bad, leaf_len, why, sizeof why);
    REQUIRE(x == NULL); /* libcrypto refuses it */

    REQUIRE_OK(latch_peer_new(der, len, 2, &p));
    CHECK_OK(latch_peer_issuer(p, 0, buf, sizeof buf)); /* the issuer Name alone is fine */
    CHECK(strcmp(buf, "CN=Verify Intermediate") == 0);
    CHECK_ERR(latch_peer_subject(p, 0, buf, sizeof buf), LATCH_ERR_CERT_BAD);
    snprintf(want, sizeof want, "certificate 0 of the peer's chain: %s", why);
    CHECK_DETAIL(want);
    CHECK(latch_peer_key(p) == NULL);
    CHECK_EQ(latch_peer_key_info(p).type, 0);
    t = trust_of(ca.cert);
    REQUIRE(t != NULL);
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_CERT_BAD);
    CHECK_DETAIL(want);
    CHECK(!latch_peer_verified(p));
    latch_peer_free(p);

    /* The same in the second certificate. */
    der[0] = leaf_der;
    der[1] = bad;
    len[1] = leaf_len;
    REQUIRE_OK(latch_peer_new(der, len, 2, &p));
    CHECK(latch_peer_key(p) != NULL);
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_CERT_BAD);
    CHECK_DETAIL("certificate 1 of the peer's chain: not a DER X.509 certificate");
    latch_peer_free(p);
    latch_trust_free(t);

    /* Names read from the Name alone are the names of the decoded certificate. */
    der[1] = inter_der;
    len[1] = inter_len;
    REQUIRE_OK(latch_peer_new(der, len, 2, &p));
    for (size_t i = 0; i < 2; i++) {
        char lazy_s[128], lazy_i[128], full_s[128], full_i[128];

        CHECK_OK(latch_peer_subject(p, i, lazy_s, sizeof lazy_s));
        CHECK_OK(latch_peer_issuer(p, i, lazy_i, sizeof lazy_i));
        CHECK_OK(latch_peer_sans(p, i, buf, sizeof buf)); /* decodes certificate i */
        CHECK_OK(latch_peer_subject(p, i, full_s, sizeof full_s));
        CHECK_OK(latch_peer_issuer(p, i, full_i, sizeof full_i));
        CHECK(strcmp(lazy_s, full_s) == 0);
        CHECK(strcmp(lazy_i, full_i) == 0);
    }
    CHECK_ERR(latch_peer_subject(p, 0, buf, 4), LATCH_ERR_BUFFER_TOO_SMALL);
    latch_peer_free(p);
}

/* latch_peer_new_ex: the peer's memory, one block, from the given allocator; all of it back on free and on failure. */
typedef struct counting {
    size_t live_blocks, live_bytes, total;
} counting;

static void *count_alloc(void *user, size_t n)
{
    counting *k = user;

    k->live_blocks++;
    k->live_bytes += n;
    k->total++;
    return malloc(n);
}

static void count_free(void *user, void *p, size_t n)
{
    counting *k = user;

    k->live_blocks--;
    k->live_bytes -= n;
    free(p);
}

static void test_allocator(void)
{
    counting k = {0, 0, 0};
    latch_allocator a = {count_alloc, count_free, &k};
    const uint8_t *der[2] = {leaf_der, inter_der};
    size_t len[2];
    const uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    latch_verify_params vp = {"a.example", false, T0, 10, false};
    latch_trust *t;
    latch_peer *p = NULL;
    char buf[64];

    setup();
    len[0] = leaf_len;
    len[1] = inter_len;
    t = trust_of(ca.cert);
    REQUIRE(t != NULL);
    REQUIRE_OK(latch_peer_new_ex(&a, der, len, 2, &p));
    CHECK_EQ(k.live_blocks, 1);
    CHECK(k.live_bytes > leaf_len + inter_len);
    CHECK_OK(latch_peer_verify(p, t, &vp));
    CHECK_OK(latch_peer_subject(p, 1, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=Verify Intermediate") == 0);
    CHECK_EQ(k.live_blocks, 1); /* decoding uses libcrypto's allocator, not this one */
    latch_peer_free(p);
    CHECK_EQ(k.live_blocks, 0);
    CHECK_EQ(k.live_bytes, 0);

    der[1] = garbage;
    len[1] = sizeof garbage;
    CHECK_ERR(latch_peer_new_ex(&a, der, len, 2, &p), LATCH_ERR_CERT_BAD);
    CHECK(p == NULL);
    CHECK_EQ(k.live_blocks, 0);
    len[1] = 0;
    CHECK_ERR(latch_peer_new_ex(&a, der, len, 2, &p), LATCH_ERR_DECODE);
    CHECK_EQ(k.total, 2); /* the empty certificate is refused before anything is allocated */
    latch_trust_free(t);
}

static const latch_test cases[] = {
    TEST(test_parse_and_describe),
    TEST(test_bad_der),
    TEST(test_pem_refused),
    TEST(test_verify_and_path),
    TEST(test_key_encipherment_only),
    TEST(test_weak_key),
    TEST(test_hostile_names),
    TEST(test_remembered),
    TEST(test_remembered_never_accepts_more),
    TEST(test_remembered_anchor_expires),
    TEST(test_remembered_same_as_fresh),
    TEST(test_remembered_bounded),
    TEST(test_remembered_threads),
    TEST(test_decoded_when_needed),
    TEST(test_allocator),
    {0},
};

LATCH_TEST_MAIN(cases)
