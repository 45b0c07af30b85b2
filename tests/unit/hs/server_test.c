/*
 * TLS 1.3 handshakes in memory, latch client against latch server: every
 * suite x group x certificate type, HelloRetryRequest, selection policy, and
 * the server-side failure paths with their exact errors and alerts.
 * (src/hs/server.c)
 */
#include "harness.h"
#include "tls.h"

#include "core/wr.h"
#include "msg/msg.h"
#include "record/record.h"

#include <string.h>

static const uint16_t suites[] = {LATCH_TLS_AES_128_GCM_SHA256, LATCH_TLS_AES_256_GCM_SHA384,
                                  LATCH_TLS_CHACHA20_POLY1305_SHA256};
static const char *const suite_names[] = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                                          "TLS_CHACHA20_POLY1305_SHA256"};
static const uint16_t groups[] = {LATCH_GROUP_X25519, LATCH_GROUP_SECP256R1, LATCH_GROUP_SECP384R1};
static const char *const group_names[] = {"x25519", "secp256r1", "secp384r1"};

/* Every suite x group x certificate type completes, and data flows both ways. */
static void test_matrix(void)
{
    static const latch_key_type types[] = {LATCH_KEY_ECDSA_P256, LATCH_KEY_ECDSA_P384, LATCH_KEY_RSA2048,
                                           LATCH_KEY_ED25519, LATCH_KEY_RSA_PSS2048};
    static const uint16_t expect_sig[] = {LATCH_SIG_ECDSA_SECP256R1_SHA256, LATCH_SIG_ECDSA_SECP384R1_SHA384,
                                          LATCH_SIG_RSA_PSS_RSAE_SHA256, LATCH_SIG_ED25519,
                                          LATCH_SIG_RSA_PSS_PSS_SHA256};
    const uint8_t msg[] = "ping over TLS 1.3";

    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        for (size_t s = 0; s < 3; s++) {
            for (size_t g = 0; g < 3; g++) {
                latch_config *cc = tcfg_client(types[t]), *sc = tcfg_server(types[t]);
                tpair p;

                REQUIRE_OK(latch_config_set_ciphers(cc, suite_names[s]));
                REQUIRE_OK(latch_config_set_groups(cc, group_names[g]));
                REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
                CHECK_OK(tpair_handshake(&p));
                CHECK_EQ(latch_conn_version(p.c), LATCH_TLS13);
                CHECK_EQ(latch_conn_cipher_suite(p.c), suites[s]);
                CHECK_EQ(latch_conn_cipher_suite(p.s), suites[s]);
                CHECK_EQ(latch_conn_group(p.c), groups[g]);
                CHECK_EQ(latch_conn_peer_sigalg(p.c), expect_sig[t]);
                CHECK_EQ(latch_conn_sigalg(p.s), expect_sig[t]);
                CHECK_OK(latch_conn_verify_result(p.c));
                CHECK_EQ(latch_conn_peer_cert_count(p.c), 2);
                CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
                CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
                tpair_free(&p);
                latch_config_free(cc);
                latch_config_free(sc);
            }
        }
    }
}

/* A client that sends only an x25519 share to a server that wants P-384 gets
 * a HelloRetryRequest, answers it, and the handshake completes. */
static void test_hello_retry(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    const uint8_t msg[] = "after HRR";
    tpair p;

    REQUIRE_OK(latch_config_set_groups(cc, "x25519:secp384r1"));
    REQUIRE_OK(latch_config_set_key_shares(cc, 1));
    REQUIRE_OK(latch_config_set_groups(sc, "secp384r1"));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK(latch_conn_hrr(p.c));
    CHECK(latch_conn_hrr(p.s));
    CHECK_EQ(latch_conn_group(p.c), LATCH_GROUP_SECP384R1);
    CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* The server follows the client's order of preference among what it allows. */
static void test_client_preference(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    tpair p;

    REQUIRE_OK(latch_config_set_ciphers(cc, "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384"));
    REQUIRE_OK(latch_config_set_ciphers(sc, "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"));
    REQUIRE_OK(latch_config_set_groups(cc, "secp256r1:x25519"));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_cipher_suite(p.s), LATCH_TLS_CHACHA20_POLY1305_SHA256);
    CHECK_EQ(latch_conn_group(p.s), LATCH_GROUP_SECP256R1);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* With an ECDSA and an RSA chain, the server picks the one the client can verify. */
static void test_chain_by_sigalgs(void)
{
    const tpki *rsa = tpki_get(LATCH_KEY_RSA2048);
    latch_config *cc = tcfg_client(LATCH_KEY_RSA2048), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    tpair p;

    REQUIRE_OK(latch_config_add_cert_mem(sc, (const uint8_t *)rsa->server, strlen(rsa->server),
                                         (const uint8_t *)rsa->server_key, strlen(rsa->server_key)));
    REQUIRE_OK(latch_config_set_sigalgs(cc, "rsa_pss_rsae_sha384"));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_peer_sigalg(p.c), LATCH_SIG_RSA_PSS_RSAE_SHA384);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* Several chains: the server chooses by SNI. */
static void test_chain_by_sni(void)
{
    static const char *const other[] = {"other.example"};
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc;
    latch_cert_spec spec;
    char cert[TPEM_MAX], key[TPEM_MAX], subject[256];
    tpair p;

    REQUIRE_OK(latch_config_new(&sc));
    memset(&spec, 0, sizeof spec);
    spec.key_type = LATCH_KEY_ECDSA_P256;
    spec.common_name = "other.example";
    spec.dns_names = other;
    spec.n_dns = 1;
    spec.server_auth = true;
    tpki_leaf(LATCH_KEY_ECDSA_P256, &spec, cert, key);
    REQUIRE_OK(latch_config_add_cert_mem(sc, (const uint8_t *)cert, strlen(cert), (const uint8_t *)key,
                                         strlen(key)));
    {
        const tpki *k = tpki_get(LATCH_KEY_ECDSA_P256);

        REQUIRE_OK(latch_config_add_cert_mem(sc, (const uint8_t *)k->server, strlen(k->server),
                                             (const uint8_t *)k->server_key, strlen(k->server_key)));
    }
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    REQUIRE_OK(latch_conn_peer_cert_subject(p.c, 0, subject, sizeof subject));
    CHECK(strstr(subject, "CN=localhost") != NULL);
    CHECK(strcmp(latch_conn_server_name(p.s), "localhost") == 0);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_alpn(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    tpair p;

    REQUIRE_OK(latch_config_set_alpn(cc, "h2,http/1.1"));
    REQUIRE_OK(latch_config_set_alpn(sc, "http/1.1,h2"));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    /* The server's order decides among the client's offers. */
    REQUIRE(latch_conn_alpn(p.c) != NULL);
    CHECK(strcmp(latch_conn_alpn(p.c), "http/1.1") == 0);
    CHECK(strcmp(latch_conn_alpn(p.s), "http/1.1") == 0);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* Run a handshake expected to fail; check each side's error and the alert. */
static void expect_failure(latch_config *cc, latch_config *sc, const char *name, latch_err client_err,
                           latch_err server_err, uint8_t alert)
{
    tpair p;

    REQUIRE_OK(tpair_new(&p, cc, sc, name));
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK_ERR(latch_conn_error(p.c)->code, client_err);
    CHECK_ERR(latch_conn_error(p.s)->code, server_err);
    CHECK_EQ(latch_conn_error(client_err == LATCH_ERR_PEER_ALERT ? p.c : p.s)->alert, alert);
    CHECK_EQ(latch_conn_error(client_err == LATCH_ERR_PEER_ALERT ? p.s : p.c)->alert, alert);
    CHECK(latch_conn_state(p.c) & LATCH_STATE_FAILED);
    CHECK(latch_conn_state(p.s) & LATCH_STATE_FAILED);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* latch_config_set_strict_sni, in TLS 1.3 and 1.2: a name no chain matches
 * is refused with unrecognized_name; a known name, and no name at all (a
 * client connecting by IP address), are served. Without it the unknown name
 * gets the first chain (and the client's own check then refuses it). */
static void test_strict_sni(void)
{
    for (int v = 0; v < 2; v++) {
        uint16_t ver = v == 0 ? LATCH_TLS13 : LATCH_TLS12;
        latch_config *cc, *sc;
        tpair p;

        cc = tcfg_client(LATCH_KEY_ECDSA_P256);
        sc = tcfg_server(LATCH_KEY_ECDSA_P256);
        REQUIRE_OK(latch_config_set_versions(cc, ver, ver));
        REQUIRE_OK(latch_config_set_strict_sni(sc, true));
        expect_failure(cc, sc, "unknown.example", LATCH_ERR_PEER_ALERT, LATCH_ERR_UNRECOGNIZED_NAME,
                       LATCH_ALERT_UNRECOGNIZED_NAME);

        for (int k = 0; k < 2; k++) {
            cc = tcfg_client(LATCH_KEY_ECDSA_P256);
            sc = tcfg_server(LATCH_KEY_ECDSA_P256);
            REQUIRE_OK(latch_config_set_versions(cc, ver, ver));
            REQUIRE_OK(latch_config_set_strict_sni(sc, true));
            REQUIRE_OK(tpair_new(&p, cc, sc, k == 0 ? "localhost" : "127.0.0.1"));
            CHECK_OK(tpair_handshake(&p));
            CHECK_EQ(latch_conn_version(p.s), ver);
            CHECK(k == 0 ? latch_conn_server_name(p.s) != NULL : latch_conn_server_name(p.s) == NULL);
            tpair_free(&p);
            latch_config_free(cc);
            latch_config_free(sc);
        }

        /* Off (the default): the server answers with its chain, which the client refuses. */
        cc = tcfg_client(LATCH_KEY_ECDSA_P256);
        sc = tcfg_server(LATCH_KEY_ECDSA_P256);
        REQUIRE_OK(latch_config_set_versions(cc, ver, ver));
        REQUIRE_OK(tpair_new(&p, cc, sc, "unknown.example"));
        CHECK(tpair_handshake(&p) != LATCH_OK);
        CHECK_ERR(latch_conn_error(p.c)->code, LATCH_ERR_CERT_NAME_MISMATCH);
        tpair_free(&p);
        latch_config_free(cc);
        latch_config_free(sc);
    }
}

static void test_no_shared_suite(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);

    REQUIRE_OK(latch_config_set_ciphers(cc, "TLS_AES_128_GCM_SHA256"));
    REQUIRE_OK(latch_config_set_ciphers(sc, "TLS_CHACHA20_POLY1305_SHA256"));
    expect_failure(cc, sc, "localhost", LATCH_ERR_PEER_ALERT, LATCH_ERR_NO_SHARED_CIPHER,
                   LATCH_ALERT_HANDSHAKE_FAILURE);
}

static void test_no_shared_group(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);

    REQUIRE_OK(latch_config_set_groups(cc, "x25519"));
    REQUIRE_OK(latch_config_set_groups(sc, "secp384r1"));
    expect_failure(cc, sc, "localhost", LATCH_ERR_PEER_ALERT, LATCH_ERR_NO_SHARED_GROUP,
                   LATCH_ALERT_HANDSHAKE_FAILURE);
}

static void test_no_shared_sigalg(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);

    REQUIRE_OK(latch_config_set_sigalgs(cc, "rsa_pss_rsae_sha256"));
    expect_failure(cc, sc, "localhost", LATCH_ERR_PEER_ALERT, LATCH_ERR_NO_SHARED_SIGALG,
                   LATCH_ALERT_HANDSHAKE_FAILURE);
}

static void test_no_shared_alpn(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);

    REQUIRE_OK(latch_config_set_alpn(cc, "h2"));
    REQUIRE_OK(latch_config_set_alpn(sc, "http/1.1"));
    expect_failure(cc, sc, "localhost", LATCH_ERR_PEER_ALERT, LATCH_ERR_NO_APPLICATION_PROTOCOL,
                   LATCH_ALERT_NO_APPLICATION_PROTOCOL);
}

/* Client certificates: required and missing, optional and missing, and good. */
static void test_client_auth(void)
{
    const tpki *k = tpki_get(LATCH_KEY_ECDSA_P256);
    latch_config *cc, *sc;
    char subject[256];
    tpair p;

    /* Required, none configured on the client: certificate_required. */
    cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_load_ca_mem(sc, (const uint8_t *)k->ca, strlen(k->ca)));
    REQUIRE_OK(latch_config_set_client_auth(sc, LATCH_CLIENT_AUTH_REQUIRE));
    expect_failure(cc, sc, "localhost", LATCH_ERR_PEER_ALERT, LATCH_ERR_CERTIFICATE_REQUIRED,
                   LATCH_ALERT_CERTIFICATE_REQUIRED);

    /* Optional, none: the handshake completes without a client identity. */
    cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_load_ca_mem(sc, (const uint8_t *)k->ca, strlen(k->ca)));
    REQUIRE_OK(latch_config_set_client_auth(sc, LATCH_CLIENT_AUTH_OPTIONAL));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_peer_cert_count(p.s), 0);
    CHECK_ERR(latch_conn_verify_result(p.s), LATCH_ERR_NO_CERTIFICATE);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);

    /* Required, with a good certificate. */
    cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_add_cert_mem(cc, (const uint8_t *)k->client, strlen(k->client),
                                         (const uint8_t *)k->client_key, strlen(k->client_key)));
    REQUIRE_OK(latch_config_load_ca_mem(sc, (const uint8_t *)k->ca, strlen(k->ca)));
    REQUIRE_OK(latch_config_set_client_auth(sc, LATCH_CLIENT_AUTH_REQUIRE));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_OK(latch_conn_verify_result(p.s));
    REQUIRE_OK(latch_conn_peer_cert_subject(p.s, 0, subject, sizeof subject));
    CHECK(strstr(subject, "CN=test client") != NULL);
    CHECK_EQ(latch_conn_peer_sigalg(p.s), LATCH_SIG_ECDSA_SECP256R1_SHA256);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* A TLS 1.3-only server refuses a TLS 1.2-only client with protocol_version,
 * and says why on both sides. (TLS 1.2 itself: server12_test.c.) */
static void test_old_client_refused(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    tpair p;

    REQUIRE_OK(latch_config_set_versions(cc, LATCH_TLS12, LATCH_TLS12));
    REQUIRE_OK(latch_config_set_versions(sc, LATCH_TLS13, LATCH_TLS13));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK_ERR(latch_conn_error(p.s)->code, LATCH_ERR_PROTOCOL_VERSION);
    CHECK_EQ(latch_conn_error(p.s)->alert, LATCH_ALERT_PROTOCOL_VERSION);
    CHECK(strstr(latch_conn_error(p.s)->detail, "TLS 1.2 only") != NULL);
    CHECK_ERR(latch_conn_error(p.c)->code, LATCH_ERR_PEER_ALERT);
    CHECK_EQ(latch_conn_error(p.c)->alert, LATCH_ALERT_PROTOCOL_VERSION);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* A ClientHello record built from ch (session id: none). */
static size_t ch_record(const latch_client_hello_out *ch, uint8_t *rec, size_t cap)
{
    latch_wr w;

    latch_wr_init(&w, rec, cap);
    latch_wr_u8(&w, 22);
    latch_wr_u16(&w, 0x0303);
    latch_wr_open(&w, 2);
    if (latch_client_hello_build(&w, ch) != LATCH_OK) {
        return 0;
    }
    latch_wr_close(&w, 1, 16384);
    return latch_wr_finish(&w) == LATCH_OK ? latch_wr_len(&w) : 0;
}

/*
 * A client outside middlebox compatibility mode sends an empty
 * legacy_session_id (RFC 8446 §4.1.2, D.4); the server echoes it and sends
 * no ChangeCipherSpec. Found by fuzz_server: the server copied the empty
 * session id from a NULL view (memcpy(dst, NULL, 0), undefined behaviour,
 * fatal under UBSan), in the HelloRetryRequest path too, where the second
 * ClientHello's session id was then compared the same way.
 */
static void test_empty_session_id(void)
{
    static const uint16_t versions[] = {LATCH_TLS13}, suites13[] = {LATCH_TLS_AES_128_GCM_SHA256},
                          groups13[] = {LATCH_GROUP_X25519, LATCH_GROUP_SECP256R1},
                          sigalgs[] = {LATCH_SIG_ECDSA_SECP256R1_SHA256};
    const latch_provider *prov = latch_provider_openssl();
    const latch_kx_alg *kx = latch_provider_kx(prov, LATCH_GROUP_X25519);
    latch_config *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    static uint8_t rec[4096];
    latch_client_hello_out ch;
    latch_server_hello sh;
    latch_key_share share;
    latch_kx_key *key = NULL;
    uint8_t pub[LATCH_KX_MAX_PUB];
    const uint8_t *d;
    size_t n, used;
    latch_conn *s;

    REQUIRE(kx != NULL);
    REQUIRE_OK(kx->keygen(kx, prov, &key, pub));
    share.group = LATCH_GROUP_X25519;
    share.key_exchange = latch_rd_make(pub, kx->pub_len);
    memset(&ch, 0, sizeof ch);
    ch.legacy_version = LATCH_TLS12;
    memset(ch.random, 0x5A, 32);
    ch.suites = suites13;
    ch.n_suites = 1;
    ch.versions = versions;
    ch.n_versions = 1;
    ch.groups = groups13;
    ch.n_groups = 2;
    ch.shares = &share;
    ch.n_shares = 1;
    ch.key_share_ext = true;
    ch.sigalgs = sigalgs;
    ch.n_sigalgs = 1;

    /* Straight to the ServerHello. */
    REQUIRE_OK(latch_conn_new_server(sc, &s));
    n = ch_record(&ch, rec, sizeof rec);
    REQUIRE(n > 0);
    CHECK_OK(latch_conn_feed(s, rec, n, &used));
    REQUIRE_OK(latch_conn_output(s, &d, &n));
    REQUIRE(n > 9 && d[0] == 22);
    REQUIRE_OK(latch_server_hello_parse(latch_rd_make(d + 9, ((size_t)d[3] << 8 | d[4]) - 4), &sh));
    CHECK_EQ(sh.session_id.len, 0);
    CHECK(!sh.is_hrr);
    CHECK_EQ(d[5 + ((size_t)d[3] << 8 | d[4])], LATCH_CT_APPLICATION_DATA); /* no ChangeCipherSpec */
    latch_conn_free(s);

    /* Through a HelloRetryRequest: no share first, then one for the group asked for. */
    REQUIRE_OK(latch_conn_new_server(sc, &s));
    ch.n_shares = 0;
    n = ch_record(&ch, rec, sizeof rec);
    REQUIRE(n > 0);
    CHECK_OK(latch_conn_feed(s, rec, n, &used));
    REQUIRE_OK(latch_conn_output(s, &d, &n));
    REQUIRE(n > 9 && d[0] == 22);
    REQUIRE_OK(latch_server_hello_parse(latch_rd_make(d + 9, ((size_t)d[3] << 8 | d[4]) - 4), &sh));
    CHECK(sh.is_hrr);
    CHECK_EQ(sh.session_id.len, 0);
    REQUIRE(latch_exts_has(&sh.exts, LATCH_X_COOKIE));
    {
        static uint8_t cookie[256];
        latch_rd ck;

        REQUIRE_OK(latch_ext_cookie_parse(sh.exts.data[LATCH_X_COOKIE], &ck));
        REQUIRE(ck.len <= sizeof cookie);
        memcpy(cookie, ck.p, ck.len);
        latch_conn_output_done(s, n);
        ch.cookie = cookie;
        ch.cookie_len = ck.len;
        ch.n_shares = 1;
        n = ch_record(&ch, rec, sizeof rec);
        REQUIRE(n > 0);
        CHECK_OK(latch_conn_feed(s, rec, n, &used));
        CHECK_EQ(latch_conn_error(s)->code, LATCH_OK);
        REQUIRE_OK(latch_conn_output(s, &d, &n));
        REQUIRE(n > 9 && d[0] == 22);
        REQUIRE_OK(latch_server_hello_parse(latch_rd_make(d + 9, ((size_t)d[3] << 8 | d[4]) - 4), &sh));
        CHECK(!sh.is_hrr);
    }
    latch_conn_free(s);
    kx->destroy(key);
    latch_config_free(sc);
}

static const latch_test cases[] = {
    TEST(test_matrix),
    TEST(test_hello_retry),
    TEST(test_client_preference),
    TEST(test_chain_by_sigalgs),
    TEST(test_chain_by_sni),
    TEST(test_strict_sni),
    TEST(test_alpn),
    TEST(test_no_shared_suite),
    TEST(test_no_shared_group),
    TEST(test_no_shared_sigalg),
    TEST(test_no_shared_alpn),
    TEST(test_client_auth),
    TEST(test_old_client_refused),
    TEST(test_empty_session_id),
    {0},
};

LATCH_TEST_MAIN(cases)
