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
static void matrix_case(latch_client_auth mode, const latch_cert_spec *spec, latch_key_type ca, latch_err want,
                        uint8_t alert, latch_err verify)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = server_requiring(mode);
    tpair p;
    latch_err e;

    if (spec != NULL && (int)ca == -1) {
        add_imposter_cert(cc);
    } else if (spec != NULL) {
        add_client_cert(cc, ca, spec);
    }
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    e = tpair_handshake(&p);
    if (want == LATCH_OK) {
        CHECK_OK(e);
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

static void test_policy_matrix(void)
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
    TEST(test_post_handshake),
    TEST(test_post_handshake_refusals),
    {0},
};

LATCH_TEST_MAIN(cases)
