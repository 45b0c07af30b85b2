/*
 * Client certificates (src/hs/pha.c and the handshake's client
 * authentication): the policy matrix, the client's choice of chain by the
 * server's CA list, and post-handshake authentication.
 */
#include "harness.h"
#include "tls.h"

#include <string.h>
#include <time.h>

/* A client certificate from the PKI of ca_type, made from spec. */
static void add_client_cert(latch_config *cc, latch_key_type ca_type, const latch_cert_spec *spec)
{
    char cert[TPEM_MAX], key[TPEM_MAX];

    tpki_leaf(ca_type, spec, cert, key);
    if (latch_config_add_cert_mem(cc, (const uint8_t *)cert, strlen(cert), (const uint8_t *)key, strlen(key)) !=
        LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "adding the client certificate");
    }
}

static latch_cert_spec client_spec(void)
{
    latch_cert_spec s;

    memset(&s, 0, sizeof s);
    s.key_type = LATCH_KEY_ECDSA_P256;
    s.common_name = "client one";
    s.client_auth = true;
    return s;
}

static latch_config *server_requiring(latch_client_auth mode)
{
    const tpki *k = tpki_get(LATCH_KEY_ECDSA_P256);
    latch_config *sc = tcfg_server(LATCH_KEY_ECDSA_P256);

    if (latch_config_load_ca_mem(sc, (const uint8_t *)k->ca, strlen(k->ca)) != LATCH_OK ||
        latch_config_set_client_auth(sc, mode) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "server config");
    }
    return sc;
}

/* A client certificate from an imposter CA: same name as the server's
 * trusted P-256 test CA (so the client offers it), another key. */
static void add_imposter_cert(latch_config *cc)
{
    const tpki *k = tpki_get(LATCH_KEY_ECDSA_P256);
    latch_cert_spec ca, leaf = client_spec();
    static char ca_pem[TPEM_MAX], ca_key[TPEM_MAX], cert[TPEM_MAX], key[TPEM_MAX];

    memset(&ca, 0, sizeof ca);
    ca.key_type = LATCH_KEY_ECDSA_P256;
    ca.common_name = k->ca_name;
    ca.is_ca = true;
    ca.path_len = -1;
    REQUIRE_OK(latch_cert_mint(&ca, NULL, NULL, ca_pem, sizeof ca_pem, ca_key, sizeof ca_key));
    REQUIRE_OK(latch_cert_mint(&leaf, ca_pem, ca_key, cert, sizeof cert, key, sizeof key));
    REQUIRE_OK(latch_config_add_cert_mem(cc, (const uint8_t *)cert, strlen(cert), (const uint8_t *)key,
                                         strlen(key)));
}

/* policy x certificate: expect the server's code (LATCH_OK: handshake completes). */
static uint16_t matrix_version; /* the version test_policy_matrix runs in */

static void matrix_case(latch_client_auth mode, const latch_cert_spec *spec, latch_key_type ca, latch_err want,
                        uint8_t alert, latch_err verify)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = server_requiring(mode);
    tpair p;
    latch_err e;

    REQUIRE_OK(latch_config_set_versions(cc, matrix_version, matrix_version));
    if (matrix_version == LATCH_TLS12 && want == LATCH_ERR_CERTIFICATE_REQUIRED) {
        /* RFC 5246 §7.4.6: TLS 1.2 has no certificate_required alert. */
        want = LATCH_ERR_HANDSHAKE_FAILURE;
        alert = LATCH_ALERT_HANDSHAKE_FAILURE;
    }

    if (spec != NULL && (int)ca == -1) {
        add_imposter_cert(cc);
    } else if (spec != NULL) {
        add_client_cert(cc, ca, spec);
    }
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    e = tpair_handshake(&p);
    if (want == LATCH_OK) {
        CHECK_OK(e);
        CHECK_EQ(latch_conn_version(p.s), matrix_version);
        CHECK_ERR(latch_conn_verify_result(p.s), verify);
    } else {
        CHECK_ERR(latch_conn_error(p.s)->code, want);
        CHECK_EQ(latch_conn_error(p.s)->alert, alert);
        CHECK_ERR(latch_conn_error(p.c)->code, LATCH_ERR_PEER_ALERT);
        CHECK_EQ(latch_conn_error(p.c)->alert, alert);
    }
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void policy_matrix(void)
{
    latch_cert_spec good = client_spec(), expired = client_spec(), usage = client_spec();
    int64_t now = (int64_t)time(NULL);

    expired.not_before = now - 10 * 86400;
    expired.not_after = now - 86400;
    usage.client_auth = false;
    usage.server_auth = true; /* a server certificate offered as a client's */
    for (int m = 0; m < 2; m++) {
        latch_client_auth mode = m == 0 ? LATCH_CLIENT_AUTH_OPTIONAL : LATCH_CLIENT_AUTH_REQUIRE;

        matrix_case(mode, &good, LATCH_KEY_ECDSA_P256, LATCH_OK, 0, LATCH_OK);
        /* A certificate that is sent is verified, whatever the policy: one
         * from an imposter CA named like ours fails with unknown_ca. */
        matrix_case(mode, &good, (latch_key_type)-1, LATCH_ERR_CERT_UNKNOWN_CA, LATCH_ALERT_UNKNOWN_CA, LATCH_OK);
        /* One from a CA the server does not name is not even sent. */
        if (mode == LATCH_CLIENT_AUTH_OPTIONAL) {
            matrix_case(mode, &good, LATCH_KEY_RSA2048, LATCH_OK, 0, LATCH_ERR_NO_CERTIFICATE);
        } else {
            matrix_case(mode, &good, LATCH_KEY_RSA2048, LATCH_ERR_CERTIFICATE_REQUIRED,
                        LATCH_ALERT_CERTIFICATE_REQUIRED, LATCH_OK);
        }
        matrix_case(mode, &expired, LATCH_KEY_ECDSA_P256, LATCH_ERR_CERT_EXPIRED, LATCH_ALERT_CERTIFICATE_EXPIRED,
                    LATCH_OK);
        matrix_case(mode, &usage, LATCH_KEY_ECDSA_P256, LATCH_ERR_CERT_BAD_USAGE,
                    LATCH_ALERT_UNSUPPORTED_CERTIFICATE, LATCH_OK);
    }
    matrix_case(LATCH_CLIENT_AUTH_OPTIONAL, NULL, 0, LATCH_OK, 0, LATCH_ERR_NO_CERTIFICATE);
    matrix_case(LATCH_CLIENT_AUTH_REQUIRE, NULL, 0, LATCH_ERR_CERTIFICATE_REQUIRED, LATCH_ALERT_CERTIFICATE_REQUIRED,
                LATCH_OK);
}

/* Required and optional, with no certificate and with a good, an unknown-CA,
 * an expired and a wrong-usage one, in TLS 1.3 and in TLS 1.2. */
static void test_policy_matrix(void)
{
    matrix_version = LATCH_TLS13;
    policy_matrix();
    matrix_version = LATCH_TLS12;
    policy_matrix();
}

/* The client picks, among its chains, the one issued by a CA the server names. */
static void test_chain_by_ca_list(void)
{
    const tpki *rsa = tpki_get(LATCH_KEY_RSA2048);
    latch_config *cc = tcfg_client(LATCH_KEY_RSA2048), *sc = tcfg_server(LATCH_KEY_RSA2048);
    latch_cert_spec ec = client_spec(), r = client_spec();
    char subject[256];
    tpair p;

    ec.common_name = "ecdsa client";
    r.common_name = "rsa client";
    r.key_type = LATCH_KEY_RSA2048;
    add_client_cert(cc, LATCH_KEY_ECDSA_P256, &ec); /* first, but from a CA the server does not name */
    add_client_cert(cc, LATCH_KEY_RSA2048, &r);
    REQUIRE_OK(latch_config_load_ca_mem(sc, (const uint8_t *)rsa->ca, strlen(rsa->ca)));
    REQUIRE_OK(latch_config_set_client_auth(sc, LATCH_CLIENT_AUTH_REQUIRE));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    REQUIRE_OK(latch_conn_peer_cert_subject(p.s, 0, subject, sizeof subject));
    CHECK(strstr(subject, "CN=rsa client") != NULL);
    CHECK_EQ(latch_conn_sigalg(p.c), LATCH_SIG_RSA_PSS_RSAE_SHA256);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* ---- The application chooses (latch_config_set_client_cert_cb) ------------------------- */

typedef struct seen {
    int answer;           /* what the callback returns */
    int calls;
    latch_cert_request req; /* the last request, pointers cleared */
    char ca_names[2][128];  /* the first two CA names, as text */
} seen;

static int choose(void *user, const latch_conn *c, const latch_cert_request *req)
{
    seen *s = user;

    (void)c;
    s->calls++;
    s->req = *req;
    for (size_t i = 0; i < req->n_cas && i < 2; i++) {
        size_t n = req->cas[i].len < sizeof s->ca_names[i] - 1 ? req->cas[i].len : sizeof s->ca_names[i] - 1;

        /* The DER carries the common name as plain text: enough to tell the CAs apart. */
        memset(s->ca_names[i], 0, sizeof s->ca_names[i]);
        for (size_t j = 0; j < n; j++) {
            s->ca_names[i][j] = req->cas[i].der[j] >= 0x20 && req->cas[i].der[j] < 0x7f ? (char)req->cas[i].der[j] : '.';
        }
    }
    CHECK(req->n_chains == 2 && req->usable != NULL && req->usable[0] && req->usable[1]);
    CHECK(req->n_sigalgs > 0 && req->sigalgs != NULL);
    s->req.cas = NULL;
    s->req.sigalgs = NULL;
    s->req.usable = NULL;
    return s->answer;
}

/* A client with an ECDSA chain (first) and an RSA chain; a server trusting
 * both CAs, asking as mode says, naming its CAs unless list is false. */
static latch_err cb_handshake(uint16_t version, latch_client_auth mode, bool list, seen *s, tpair *p,
                              latch_config **cc, latch_config **sc)
{
    const tpki *ec = tpki_get(LATCH_KEY_ECDSA_P256), *rsa = tpki_get(LATCH_KEY_RSA2048);
    latch_cert_spec e = client_spec(), r = client_spec();

    *cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    e.common_name = "ecdsa client";
    r.common_name = "rsa client";
    r.key_type = LATCH_KEY_RSA2048;
    add_client_cert(*cc, LATCH_KEY_ECDSA_P256, &e);
    add_client_cert(*cc, LATCH_KEY_RSA2048, &r);
    if (latch_config_set_versions(*cc, version, version) != LATCH_OK ||
        latch_config_set_client_cert_cb(*cc, choose, s) != LATCH_OK ||
        latch_config_load_ca_mem(*sc, (const uint8_t *)ec->ca, strlen(ec->ca)) != LATCH_OK ||
        latch_config_load_ca_mem(*sc, (const uint8_t *)rsa->ca, strlen(rsa->ca)) != LATCH_OK ||
        latch_config_set_client_auth(*sc, mode) != LATCH_OK || latch_config_set_client_ca_list(*sc, list) != LATCH_OK ||
        tpair_new(p, *cc, *sc, "localhost") != LATCH_OK) {
        return LATCH_ERR_INTERNAL;
    }
    return tpair_handshake(p);
}

static void cb_end(tpair *p, latch_config *cc, latch_config *sc)
{
    tpair_free(p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_cert_callback(void)
{
    for (int v = 0; v < 2; v++) {
        uint16_t version = v == 0 ? LATCH_TLS13 : LATCH_TLS12;
        latch_config *cc, *sc;
        char subject[256];
        seen s;
        tpair p;

        /* The callback sees both CAs, both chains usable, latch's own
         * suggestion (the first chain); it picks the second. */
        memset(&s, 0, sizeof s);
        s.answer = 1;
        CHECK_OK(cb_handshake(version, LATCH_CLIENT_AUTH_REQUIRE, true, &s, &p, &cc, &sc));
        CHECK_EQ(s.calls, 1);
        CHECK_EQ(s.req.version, version);
        CHECK(!s.req.post_handshake);
        CHECK_EQ(s.req.n_cas, 2);
        CHECK(strstr(s.ca_names[0], tpki_get(LATCH_KEY_ECDSA_P256)->ca_name) != NULL);
        CHECK(strstr(s.ca_names[1], tpki_get(LATCH_KEY_RSA2048)->ca_name) != NULL);
        CHECK_EQ(s.req.suggested, 0);
        REQUIRE_OK(latch_conn_peer_cert_subject(p.s, 0, subject, sizeof subject));
        CHECK(strstr(subject, "CN=rsa client") != NULL);
        CHECK_OK(latch_conn_verify_result(p.s));
        cb_end(&p, cc, sc);

        /* -1: no certificate; an optional server goes on without one. */
        memset(&s, 0, sizeof s);
        s.answer = -1;
        CHECK_OK(cb_handshake(version, LATCH_CLIENT_AUTH_OPTIONAL, true, &s, &p, &cc, &sc));
        CHECK_EQ(s.calls, 1);
        CHECK_EQ(latch_conn_peer_cert_count(p.s), 0);
        CHECK_ERR(latch_conn_verify_result(p.s), LATCH_ERR_NO_CERTIFICATE);
        cb_end(&p, cc, sc);

        /* A chain that does not exist: the client stops, handshake_failure. */
        memset(&s, 0, sizeof s);
        s.answer = 2;
        CHECK(cb_handshake(version, LATCH_CLIENT_AUTH_REQUIRE, true, &s, &p, &cc, &sc) != LATCH_OK);
        CHECK_ERR(latch_conn_error(p.c)->code, LATCH_ERR_HANDSHAKE_FAILURE);
        CHECK(strstr(latch_conn_error(p.c)->detail, "chose chain 2, but 2 are configured") != NULL);
        CHECK_ERR(latch_conn_error(p.s)->code, LATCH_ERR_PEER_ALERT);
        CHECK_EQ(latch_conn_error(p.s)->alert, LATCH_ALERT_HANDSHAKE_FAILURE);
        cb_end(&p, cc, sc);

        /* Post-handshake (TLS 1.3): asked after the handshake, the callback says so. */
        if (version == LATCH_TLS13) {
            static const uint8_t msg[] = "around the request";

            memset(&s, 0, sizeof s);
            s.answer = 1;
            CHECK_OK(cb_handshake(version, LATCH_CLIENT_AUTH_NONE, true, &s, &p, &cc, &sc));
            CHECK_EQ(s.calls, 0);
            CHECK_OK(latch_conn_request_client_cert(p.s));
            CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
            CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
            CHECK_EQ(s.calls, 1);
            CHECK(s.req.post_handshake);
            REQUIRE_OK(latch_conn_peer_cert_subject(p.s, 0, subject, sizeof subject));
            CHECK(strstr(subject, "CN=rsa client") != NULL);
            cb_end(&p, cc, sc);
        }

        /* No CA list (switched off): the callback sees none, and latch's
         * suggestion is the first usable chain. */
        memset(&s, 0, sizeof s);
        s.answer = 0;
        CHECK_OK(cb_handshake(version, LATCH_CLIENT_AUTH_REQUIRE, false, &s, &p, &cc, &sc));
        CHECK_EQ(s.req.n_cas, 0);
        CHECK_EQ(s.req.suggested, 0);
        REQUIRE_OK(latch_conn_peer_cert_subject(p.s, 0, subject, sizeof subject));
        CHECK(strstr(subject, "CN=ecdsa client") != NULL);
        cb_end(&p, cc, sc);
    }
}

/* With the CA list off and no callback, the client sends its first chain
 * that can sign, whatever CA issued it. */
static void test_no_ca_list(void)
{
    const tpki *rsa = tpki_get(LATCH_KEY_RSA2048);
    latch_config *cc = tcfg_client(LATCH_KEY_RSA2048), *sc = tcfg_server(LATCH_KEY_RSA2048);
    latch_cert_spec ec = client_spec(), r = client_spec();
    tpair p;

    ec.common_name = "ecdsa client";
    r.common_name = "rsa client";
    r.key_type = LATCH_KEY_RSA2048;
    add_client_cert(cc, LATCH_KEY_ECDSA_P256, &ec); /* first, from a CA the server does not trust */
    add_client_cert(cc, LATCH_KEY_RSA2048, &r);
    REQUIRE_OK(latch_config_load_ca_mem(sc, (const uint8_t *)rsa->ca, strlen(rsa->ca)));
    REQUIRE_OK(latch_config_set_client_auth(sc, LATCH_CLIENT_AUTH_REQUIRE));
    REQUIRE_OK(latch_config_set_client_ca_list(sc, false));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    /* Unnamed, the CA cannot steer the choice: the ECDSA chain goes and is refused. */
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK_ERR(latch_conn_error(p.s)->code, LATCH_ERR_CERT_UNKNOWN_CA);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* Post-handshake authentication: asked after the handshake, the client answers. */
static void test_post_handshake(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = server_requiring(LATCH_CLIENT_AUTH_NONE);
    latch_cert_spec good = client_spec();
    const uint8_t msg[] = "data around the request";
    char subject[256];
    tpair p;

    add_client_cert(cc, LATCH_KEY_ECDSA_P256, &good);
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_peer_cert_count(p.s), 0); /* not asked during the handshake */
    CHECK_OK(latch_conn_request_client_cert(p.s));
    CHECK_ERR(latch_conn_request_client_cert(p.s), LATCH_ERR_BAD_STATE); /* one at a time */
    CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0); /* carries the request */
    CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0); /* carries the answer */
    CHECK_OK(latch_conn_verify_result(p.s));
    REQUIRE_OK(latch_conn_peer_cert_subject(p.s, 0, subject, sizeof subject));
    CHECK(strstr(subject, "CN=client one") != NULL);
    /* And again, after a KeyUpdate (the Finished key follows the traffic secret). */
    CHECK_OK(latch_conn_key_update(p.c, true));
    CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
    CHECK_OK(latch_conn_request_client_cert(p.s));
    CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
    CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
    CHECK_OK(latch_conn_verify_result(p.s));
    CHECK(latch_conn_error(p.s)->code == LATCH_OK && latch_conn_error(p.c)->code == LATCH_OK);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_post_handshake_refusals(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = server_requiring(LATCH_CLIENT_AUTH_NONE);
    latch_config *cc2 = tcfg_client(LATCH_KEY_ECDSA_P256), *sc2 = server_requiring(LATCH_CLIENT_AUTH_REQUIRE);
    latch_cert_spec wrong = client_spec();
    const uint8_t msg[] = "x";
    tpair p;

    /* A client without certificates does not offer post_handshake_auth. */
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    CHECK_ERR(latch_conn_request_client_cert(p.s), LATCH_ERR_BAD_STATE);
    CHECK_ERR(latch_conn_request_client_cert(p.c), LATCH_ERR_BAD_STATE);
    tpair_free(&p);
    /* A client whose only certificate is from a CA the server does not name
     * answers the request with an empty Certificate. */
    wrong.key_type = LATCH_KEY_RSA2048;
    add_client_cert(cc2, LATCH_KEY_RSA2048, &wrong);
    latch_config_free(sc);
    sc = server_requiring(LATCH_CLIENT_AUTH_NONE);
    REQUIRE_OK(tpair_new(&p, cc2, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    CHECK_OK(latch_conn_request_client_cert(p.s));
    CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
    CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
    CHECK_ERR(latch_conn_verify_result(p.s), LATCH_ERR_NO_CERTIFICATE);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(cc2);
    latch_config_free(sc);
    latch_config_free(sc2);
}

static const latch_test cases[] = {
    TEST(test_policy_matrix),
    TEST(test_chain_by_ca_list),
    TEST(test_cert_callback),
    TEST(test_no_ca_list),
    TEST(test_post_handshake),
    TEST(test_post_handshake_refusals),
    {0},
};

LATCH_TEST_MAIN(cases)
