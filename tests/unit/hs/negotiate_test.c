/*
 * Negotiation policy (src/hs/negotiate.c): which signature scheme fits which
 * key in which version, the choice of a scheme from the peer's list, the
 * client's choice of a chain for a CertificateRequest, and what a server's
 * CertificateRequest lists.
 *
 * The expectations are written from RFC 8446 §4.2.3, not from our tables:
 *
 *   RSASSA-PKCS1-v1_5 algorithms:  Indicates a signature algorithm using
 *      RSASSA-PKCS1-v1_5 [RFC8017] ... These values refer solely to
 *      signatures which appear in certificates (see Section 4.4.2.2) and
 *      are not defined for use in signed TLS handshake messages, although
 *      they MAY appear in "signature_algorithms" and
 *      "signature_algorithms_cert" for backward compatibility with TLS 1.2.
 *   ECDSA algorithms: ... The signature is represented as a DER-encoded
 *      [X690] ECDSA-Sig-Value structure.
 *      (in TLS 1.3 each scheme names its curve: ecdsa_secp256r1_sha256 is
 *      ECDSA on P-256 only; TLS 1.2's (hash, ecdsa) pair names no curve)
 *   RSASSA-PSS RSAE algorithms: ... If the public key is carried in an
 *      X.509 certificate, it MUST use the rsaEncryption OID [RFC5280].
 *   EdDSA algorithms: ... ed25519, ed448.
 *   RSASSA-PSS PSS algorithms: ... If the public key is carried in an X.509
 *      certificate, it MUST use the RSASSA-PSS OID [RFC5756].
 *   Legacy algorithms: ... SHA-1 ... These values refer solely to signatures
 *      which appear in certificates ... and are not defined for use in
 *      signed TLS handshake messages.
 */
#include "harness.h"
#include "tls.h"

#include "hs/hs.h"

#include <string.h>

/* ---- The RFC's view of each scheme ----------------------------------------------- */

typedef enum family { PKCS1, ECDSA, PSS_RSAE, PSS_PSS, ED25519, ED448, LEGACY_SHA1_RSA, LEGACY_SHA1_ECDSA } family;

typedef struct rfc_scheme {
    uint16_t scheme;
    family fam;
    uint16_t curve; /* ECDSA: the curve the TLS 1.3 scheme names */
    uint8_t hash;   /* LATCH_HASH_*, 0 for EdDSA and SHA-1 */
} rfc_scheme;

static const rfc_scheme schemes[] = {
    {0x0401, PKCS1, 0, LATCH_HASH_SHA256},
    {0x0501, PKCS1, 0, LATCH_HASH_SHA384},
    {0x0601, PKCS1, 0, LATCH_HASH_SHA512},
    {0x0403, ECDSA, LATCH_GROUP_SECP256R1, LATCH_HASH_SHA256},
    {0x0503, ECDSA, LATCH_GROUP_SECP384R1, LATCH_HASH_SHA384},
    {0x0603, ECDSA, LATCH_GROUP_SECP521R1, LATCH_HASH_SHA512},
    {0x0804, PSS_RSAE, 0, LATCH_HASH_SHA256},
    {0x0805, PSS_RSAE, 0, LATCH_HASH_SHA384},
    {0x0806, PSS_RSAE, 0, LATCH_HASH_SHA512},
    {0x0807, ED25519, 0, 0},
    {0x0808, ED448, 0, 0},
    {0x0809, PSS_PSS, 0, LATCH_HASH_SHA256},
    {0x080A, PSS_PSS, 0, LATCH_HASH_SHA384},
    {0x080B, PSS_PSS, 0, LATCH_HASH_SHA512},
    {0x0201, LEGACY_SHA1_RSA, 0, 0},
    {0x0203, LEGACY_SHA1_ECDSA, 0, 0},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The key types a certificate can carry, with the curves latch knows. */
static const latch_pkey_info keys[] = {
    {LATCH_PKEY_RSA, 0, 2048},
    {LATCH_PKEY_RSA, 0, 4096},
    {LATCH_PKEY_RSA_PSS, 0, 2048},
    {LATCH_PKEY_EC, LATCH_GROUP_SECP256R1, 256},
    {LATCH_PKEY_EC, LATCH_GROUP_SECP384R1, 384},
    {LATCH_PKEY_EC, LATCH_GROUP_SECP521R1, 521},
    {LATCH_PKEY_ED25519, 0, 253},
    {LATCH_PKEY_ED448, 0, 456},
};

static uint8_t rfc_key_type(family f)
{
    switch (f) {
    case PKCS1:
    case PSS_RSAE:
    case LEGACY_SHA1_RSA: return LATCH_PKEY_RSA; /* rsaEncryption */
    case PSS_PSS: return LATCH_PKEY_RSA_PSS;    /* id-RSASSA-PSS */
    case ECDSA:
    case LEGACY_SHA1_ECDSA: return LATCH_PKEY_EC;
    case ED25519: return LATCH_PKEY_ED25519;
    case ED448: return LATCH_PKEY_ED448;
    }
    return 0;
}

/* May a TLS 1.3 CertificateVerify use this family at all? */
static bool rfc_tls13(family f)
{
    return f != PKCS1 && f != LEGACY_SHA1_RSA && f != LEGACY_SHA1_ECDSA;
}

/* The RFC's answer: can a key of type k sign with s in this version? */
static bool rfc_fits(const rfc_scheme *s, latch_pkey_info k, bool tls13)
{
    if (rfc_key_type(s->fam) != k.type) {
        return false;
    }
    if (tls13 && !rfc_tls13(s->fam)) {
        return false;
    }
    if (tls13 && s->fam == ECDSA && s->curve != k.group) {
        return false;
    }
    return true;
}

/* A descriptor as a provider would declare it, from the RFC's facts. */
static latch_sig_alg rfc_alg(const rfc_scheme *s)
{
    latch_sig_alg a;

    memset(&a, 0, sizeof a);
    a.scheme = s->scheme;
    a.hash = s->hash;
    a.key_type = rfc_key_type(s->fam);
    a.group = s->fam == ECDSA ? s->curve : 0;
    a.tls13 = rfc_tls13(s->fam);
    a.name = latch_sigalg_name(s->scheme);
    return a;
}

/* Every scheme x key type x version, on descriptors built from the RFC. */
static void test_fits_key_matrix(void)
{
    size_t yes = 0;

    for (size_t i = 0; i < N(schemes); i++) {
        latch_sig_alg a = rfc_alg(&schemes[i]);

        for (size_t k = 0; k < N(keys); k++) {
            for (int v = 0; v < 2; v++) {
                bool want = rfc_fits(&schemes[i], keys[k], v == 1);
                bool got = latch__sig_fits_key(&a, keys[k], v == 1);

                if (got != want) {
                    latch_test_fail(__FILE__, __LINE__, "%s with key type %u (group 0x%04x) in TLS 1.%d: %s, expected %s",
                                    a.name, keys[k].type, keys[k].group, v == 1 ? 3 : 2, got ? "fits" : "does not fit",
                                    want ? "fits" : "does not fit");
                }
                yes += got ? 1 : 0;
            }
        }
    }
    /* Some of each, so the loop above is not vacuous. */
    CHECK(yes > 20);
}

/* The OpenSSL provider's descriptors say what the RFC says, and so fit the same keys. */
static void test_provider_table(void)
{
    const latch_provider *prov = latch_provider_openssl();
    size_t n = 0;

    REQUIRE(prov != NULL);
    for (size_t i = 0; prov->sig[i] != NULL; i++) {
        const latch_sig_alg *a = prov->sig[i];
        const rfc_scheme *s = NULL;

        for (size_t j = 0; j < N(schemes); j++) {
            if (schemes[j].scheme == a->scheme) {
                s = &schemes[j];
            }
        }
        if (s == NULL) {
            latch_test_fail(__FILE__, __LINE__, "the provider offers 0x%04x, which RFC 8446 does not define",
                            a->scheme);
            continue;
        }
        n++;
        CHECK_EQ(a->key_type, rfc_key_type(s->fam));
        CHECK_EQ(a->tls13, rfc_tls13(s->fam));
        CHECK_EQ(a->hash, s->hash);
        if (s->fam == ECDSA) {
            CHECK_EQ(a->group, s->curve);
        }
        CHECK(strcmp(a->name, latch_sigalg_name(a->scheme)) == 0);
        CHECK(latch_provider_sig(prov, a->scheme) == a);
        for (size_t k = 0; k < N(keys); k++) {
            CHECK_EQ(latch__sig_fits_key(a, keys[k], true), rfc_fits(s, keys[k], true));
            CHECK_EQ(latch__sig_fits_key(a, keys[k], false), rfc_fits(s, keys[k], false));
        }
    }
    /* ECDSA P-256/P-384, Ed25519, PSS-RSAE x3, PSS-PSS x3, PKCS#1 x3. */
    CHECK_EQ(n, 12);
}

static void test_u16_in(void)
{
    static const uint16_t l[] = {1, 0x0403, 0xFFFF};

    CHECK(latch__u16_in(l, 3, 1));
    CHECK(latch__u16_in(l, 3, 0x0403));
    CHECK(latch__u16_in(l, 3, 0xFFFF));
    CHECK(!latch__u16_in(l, 3, 0x0304));
    CHECK(!latch__u16_in(l, 2, 0xFFFF)); /* only the first n count */
    CHECK(!latch__u16_in(l, 0, 1));
    CHECK(!latch__u16_in(NULL, 0, 1));
}

/* ---- latch__pick_sigalg ------------------------------------------------------------ */

/* A u16 list as it arrives on the wire (big-endian pairs). */
static latch_u16s wire(uint8_t *buf, const uint16_t *v, size_t n)
{
    latch_u16s l;

    for (size_t i = 0; i < n; i++) {
        buf[2 * i] = (uint8_t)(v[i] >> 8);
        buf[2 * i + 1] = (uint8_t)v[i];
    }
    l.r = latch_rd_make(buf, 2 * n);
    return l;
}

static uint16_t pick(const char *ours, const uint16_t *peer, size_t n, latch_pkey_info key, bool tls13)
{
    latch_config *cfg = tcfg_client(LATCH_KEY_ECDSA_P256);
    latch_conn *c = NULL;
    uint8_t buf[64];
    uint16_t s = 0xDEAD;

    if (ours != NULL && latch_config_set_sigalgs(cfg, ours) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "set_sigalgs(%s)", ours);
    } else if (latch_conn_new_client(cfg, "localhost", &c) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "new client");
    } else {
        s = latch__pick_sigalg(c, wire(buf, peer, n), key, tls13);
    }
    latch_conn_free(c);
    latch_config_free(cfg);
    return s;
}

static const latch_pkey_info rsa = {LATCH_PKEY_RSA, 0, 2048}, rsa_pss = {LATCH_PKEY_RSA_PSS, 0, 2048},
                             p256 = {LATCH_PKEY_EC, LATCH_GROUP_SECP256R1, 256},
                             p384 = {LATCH_PKEY_EC, LATCH_GROUP_SECP384R1, 384},
                             ed25519 = {LATCH_PKEY_ED25519, 0, 253};

static void test_pick_peer_order(void)
{
    static const uint16_t a[] = {0x0806, 0x0805, 0x0804};
    static const uint16_t b[] = {0x0804, 0x0806};

    /* The peer's order decides, not ours (our default puts SHA-256 first). */
    CHECK_EQ(pick(NULL, a, 3, rsa, true), 0x0806);
    CHECK_EQ(pick(NULL, b, 2, rsa, true), 0x0804);
    CHECK_EQ(pick("rsa_pss_rsae_sha256:rsa_pss_rsae_sha512", a, 3, rsa, true), 0x0806);
}

static void test_pick_filters(void)
{
    static const uint16_t rsa_list[] = {0x0401, 0x0201, 0x0804};
    static const uint16_t ec_list[] = {0x0403, 0x0503};
    static const uint16_t mixed[] = {0x0A0A, 0xFE00, 0x0808, 0x0603, 0x0807, 0x0403};
    static const uint16_t pss_list[] = {0x0804, 0x0809};

    /* Only what we allow. */
    CHECK_EQ(pick("rsa_pss_rsae_sha256", (const uint16_t[]){0x0805, 0x0804}, 2, rsa, true), 0x0804);
    CHECK_EQ(pick("rsa_pss_rsae_sha384", (const uint16_t[]){0x0804}, 1, rsa, true), 0);
    /* TLS 1.3 skips PKCS#1 and SHA-1. TLS 1.2 prefers what TLS 1.3 would
     * take (PSS), then falls back to PKCS#1 (SHA-1 we never allow). */
    CHECK_EQ(pick(NULL, rsa_list, 3, rsa, true), 0x0804);
    CHECK_EQ(pick(NULL, rsa_list, 3, rsa, false), 0x0804);
    CHECK_EQ(pick(NULL, rsa_list, 2, rsa, false), 0x0401);
    /* TLS 1.3 binds the curve; TLS 1.2 prefers the key's own curve but may
     * sign with another hash. */
    CHECK_EQ(pick(NULL, ec_list, 2, p384, true), 0x0503);
    CHECK_EQ(pick(NULL, ec_list, 2, p384, false), 0x0503);
    CHECK_EQ(pick(NULL, ec_list, 1, p384, false), 0x0403);
    CHECK_EQ(pick(NULL, ec_list, 2, p256, true), 0x0403);
    /* GREASE, private use and schemes the provider lacks are skipped. */
    CHECK_EQ(pick(NULL, mixed, 6, ed25519, true), 0x0807);
    CHECK_EQ(pick(NULL, mixed, 6, p256, true), 0x0403);
    /* rsaEncryption and RSASSA-PSS keys take different PSS schemes. */
    CHECK_EQ(pick(NULL, pss_list, 2, rsa, true), 0x0804);
    CHECK_EQ(pick(NULL, pss_list, 2, rsa_pss, true), 0x0809);
    /* Nothing fits: 0. */
    CHECK_EQ(pick(NULL, ec_list, 2, rsa, true), 0);
    CHECK_EQ(pick(NULL, ec_list, 0, p256, true), 0);
    CHECK_EQ(pick(NULL, (const uint16_t[]){0x0401}, 1, rsa, true), 0);
}

/* ---- latch__cr_lists ----------------------------------------------------------------- */

static void test_cr_lists_schemes(void)
{
    latch_config *cfg = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint16_t s[LATCH_MAX_SIGALGS];
    latch_rd cas[64];
    size_t n, n_cas = 99;
    latch_conn *c;
    /* Our default list without the PKCS#1 schemes, in the same order. */
    static const uint16_t want_default[] = {0x0403, 0x0503, 0x0807, 0x0804, 0x0805, 0x0806, 0x0809, 0x080A, 0x080B};

    REQUIRE_OK(latch_conn_new_server(cfg, &c));
    n = latch__cr_lists(c, s, cas, &n_cas);
    CHECK_EQ(n, N(want_default));
    CHECK_MEM(s, n * 2, want_default, sizeof want_default);
    CHECK_EQ(n_cas, 0); /* no CA configured: no certificate_authorities */
    latch_conn_free(c);
    latch_config_free(cfg);

    cfg = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_sigalgs(cfg, "rsa_pkcs1_sha256,ed25519,rsa_pkcs1_sha512,ecdsa_secp384r1_sha384"));
    REQUIRE_OK(latch_conn_new_server(cfg, &c));
    n = latch__cr_lists(c, s, cas, &n_cas);
    CHECK_EQ(n, 2);
    CHECK_EQ(s[0], 0x0807);
    CHECK_EQ(s[1], 0x0503);
    latch_conn_free(c);
    latch_config_free(cfg);
}

/* The CA subjects come from the trust store, at most 64. */
static void test_cr_lists_cas(void)
{
    latch_config *cfg = tcfg_server(LATCH_KEY_ECDSA_P256);
    const tpki *ec = tpki_get(LATCH_KEY_ECDSA_P256), *ed = tpki_get(LATCH_KEY_ED25519);
    uint16_t s[LATCH_MAX_SIGALGS];
    latch_rd cas[64];
    size_t n_cas = 0;
    char name[256];
    bool seen_ec = false, seen_ed = false;
    latch_conn *c;

    REQUIRE_OK(latch_config_load_ca_mem(cfg, (const uint8_t *)ec->ca, strlen(ec->ca)));
    REQUIRE_OK(latch_config_load_ca_mem(cfg, (const uint8_t *)ed->ca, strlen(ed->ca)));
    REQUIRE_OK(latch_conn_new_server(cfg, &c));
    (void)latch__cr_lists(c, s, cas, &n_cas);
    CHECK_EQ(n_cas, 2);
    for (size_t i = 0; i < n_cas && i < 2; i++) {
        REQUIRE_OK(latch_x509_dn_string(cas[i], name, sizeof name));
        seen_ec |= strstr(name, ec->ca_name) != NULL;
        seen_ed |= strstr(name, ed->ca_name) != NULL;
    }
    CHECK(seen_ec && seen_ed);
    latch_conn_free(c);
    latch_config_free(cfg);
}

/* The CAs a server with the first n of pems trusts would list (send: the config's switch). */
static size_t listed(char (*pems)[4096], size_t n, bool send)
{
    latch_config *cfg = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint16_t s[LATCH_MAX_SIGALGS];
    latch_rd cas[LATCH_CA_LIST_MAX + 1];
    size_t n_cas = 0;
    latch_conn *c;

    bool ok = cfg != NULL;

    for (size_t i = 0; ok && i < n; i++) {
        ok = latch_config_load_ca_mem(cfg, (const uint8_t *)pems[i], strlen(pems[i])) == LATCH_OK;
    }
    if (!ok || latch_config_set_client_ca_list(cfg, send) != LATCH_OK || latch_conn_new_server(cfg, &c) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "server config with %zu CAs", n);
        latch_config_free(cfg);
        return SIZE_MAX;
    }
    cas[LATCH_CA_LIST_MAX] = latch_rd_make(NULL, 0);
    (void)latch__cr_lists(c, s, cas, &n_cas);
    CHECK(cas[LATCH_CA_LIST_MAX].p == NULL && cas[LATCH_CA_LIST_MAX].len == 0); /* never past the array */
    latch_conn_free(c);
    latch_config_free(cfg);
    return n_cas;
}

/* All or none: 64 CAs are listed, 65 are not (a partial list would turn
 * away clients of the CAs left out); and the list can be switched off. */
static void test_cr_lists_cap(void)
{
    static char pems[LATCH_CA_LIST_MAX + 1][4096];

    for (int i = 0; i < LATCH_CA_LIST_MAX + 1; i++) {
        char cn[64], key[4096];
        latch_cert_spec spec;

        memset(&spec, 0, sizeof spec);
        snprintf(cn, sizeof cn, "negotiate test CA %d", i);
        spec.key_type = LATCH_KEY_ECDSA_P256;
        spec.common_name = cn;
        spec.is_ca = true;
        spec.path_len = -1;
        REQUIRE_OK(latch_cert_mint(&spec, NULL, NULL, pems[i], sizeof pems[i], key, sizeof key));
    }
    CHECK_EQ(listed(pems, LATCH_CA_LIST_MAX, true), LATCH_CA_LIST_MAX);
    CHECK_EQ(listed(pems, LATCH_CA_LIST_MAX + 1, true), 0);
    CHECK_EQ(listed(pems, 1, true), 1);
    CHECK_EQ(listed(pems, 1, false), 0);
}

/* ---- latch__pick_client_chain ------------------------------------------------------------- */

/* latch__pick_client_chain's choice (NULL: none); a failure is a test failure. */
static const latch_chain *pick_chain(latch_conn *c, const latch_certificate_request *cr, uint16_t *scheme)
{
    const latch_chain *ch = NULL;

    CHECK_OK(latch__pick_client_chain(c, cr, false, &ch, scheme));
    return ch;
}

/* Parse a CertificateRequest built from these lists. */
static void make_cr(uint8_t *buf, size_t cap, const uint16_t *sigalgs, size_t n, const latch_rd *cas, size_t n_cas,
                    latch_certificate_request *cr)
{
    latch_certificate_request_out out;
    latch_wr w;

    memset(&out, 0, sizeof out);
    out.sigalgs = sigalgs;
    out.n_sigalgs = n;
    out.cas = cas;
    out.n_cas = n_cas;
    latch_wr_init(&w, buf, cap);
    if (latch_certificate_request_build(&w, &out) != LATCH_OK || latch_wr_finish(&w) != LATCH_OK ||
        latch_certificate_request_parse(latch_rd_make(buf + 4, latch_wr_len(&w) - 4), cr) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "building a CertificateRequest");
    }
}

static void test_pick_client_chain(void)
{
    latch_config *cfg = tcfg_client(LATCH_KEY_ECDSA_P256);
    const tpki *ec = tpki_get(LATCH_KEY_ECDSA_P256), *rs = tpki_get(LATCH_KEY_RSA2048);
    static const uint16_t any[] = {0x0403, 0x0804};
    static const uint16_t pss_only[] = {0x0804};
    static const uint16_t pkcs1_only[] = {0x0401};
    uint8_t buf[4096];
    latch_certificate_request cr;
    const latch_chain *ch;
    uint16_t scheme = 0;
    latch_rd dn;
    latch_conn *c;
    latch_chain *rsa_chain;

    /* Two chains: ECDSA first, then RSA. */
    REQUIRE_OK(latch_config_add_cert_mem(cfg, (const uint8_t *)ec->client, strlen(ec->client),
                                         (const uint8_t *)ec->client_key, strlen(ec->client_key)));
    REQUIRE_OK(latch_config_add_cert_mem(cfg, (const uint8_t *)rs->client, strlen(rs->client),
                                         (const uint8_t *)rs->client_key, strlen(rs->client_key)));
    REQUIRE_OK(latch_conn_new_client(cfg, "localhost", &c));
    rsa_chain = cfg->chains[1];

    /* Both fit: the first chain, with the server's first scheme that fits it. */
    make_cr(buf, sizeof buf, any, 2, NULL, 0, &cr);
    ch = pick_chain(c, &cr, &scheme);
    CHECK(ch == cfg->chains[0]);
    CHECK_EQ(scheme, 0x0403);
    /* Only RSA-PSS accepted: the RSA chain. */
    make_cr(buf, sizeof buf, pss_only, 1, NULL, 0, &cr);
    ch = pick_chain(c, &cr, &scheme);
    CHECK(ch == rsa_chain);
    CHECK_EQ(scheme, 0x0804);
    /* PKCS#1 only: nothing can sign a TLS 1.3 CertificateVerify. */
    scheme = 0x1234;
    make_cr(buf, sizeof buf, pkcs1_only, 1, NULL, 0, &cr);
    CHECK(pick_chain(c, &cr, &scheme) == NULL);
    CHECK_EQ(scheme, 0); /* no scheme */
    /* The server names the RSA test CA: the RSA chain, even though ECDSA fits first. */
    {
        latch_config *t = tcfg_server(LATCH_KEY_RSA2048);
        latch_conn *s;
        uint16_t sch[LATCH_MAX_SIGALGS];
        latch_rd cas[64];
        size_t n_cas = 0;

        REQUIRE_OK(latch_config_load_ca_mem(t, (const uint8_t *)rs->ca, strlen(rs->ca)));
        REQUIRE_OK(latch_conn_new_server(t, &s));
        (void)latch__cr_lists(s, sch, cas, &n_cas);
        REQUIRE(n_cas == 1);
        dn = cas[0];
        make_cr(buf, sizeof buf, any, 2, &dn, 1, &cr);
        ch = pick_chain(c, &cr, &scheme);
        CHECK(ch == rsa_chain);
        CHECK_EQ(scheme, 0x0804);
        /* Named CA, but only ECDSA accepted: nothing. */
        make_cr(buf, sizeof buf, (const uint16_t[]){0x0403}, 1, &dn, 1, &cr);
        CHECK(pick_chain(c, &cr, &scheme) == NULL);
        latch_conn_free(s);
        latch_config_free(t);
    }
    latch_conn_free(c);
    latch_config_free(cfg);
}

static const latch_test cases[] = {
    TEST(test_fits_key_matrix),
    TEST(test_provider_table),
    TEST(test_u16_in),
    TEST(test_pick_peer_order),
    TEST(test_pick_filters),
    TEST(test_cr_lists_schemes),
    TEST(test_cr_lists_cas),
    TEST(test_cr_lists_cap),
    TEST(test_pick_client_chain),
    {0},
};

LATCH_TEST_MAIN(cases)
