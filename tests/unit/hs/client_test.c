/*
 * The client's checks (src/hs/client.c): certificate verification failures
 * with their exact errors and alerts, and hand-crafted ServerHellos that a
 * client must refuse.
 */
#include "harness.h"
#include "tls.h"

#include "msg/msg.h"

#include <string.h>
#include <time.h>

/* Handshake with a server whose chain is made from spec; expect the client to fail. */
static void bad_server_cert(const latch_cert_spec *spec, const char *name, latch_err want, uint8_t alert)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc;
    char cert[TPEM_MAX], key[TPEM_MAX];
    tpair p;

    tpki_leaf(LATCH_KEY_ECDSA_P256, spec, cert, key);
    REQUIRE_OK(latch_config_new(&sc));
    REQUIRE_OK(latch_config_add_cert_mem(sc, (const uint8_t *)cert, strlen(cert), (const uint8_t *)key, strlen(key)));
    REQUIRE_OK(tpair_new(&p, cc, sc, name));
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK_ERR(latch_conn_error(p.c)->code, want);
    CHECK_EQ(latch_conn_error(p.c)->alert, alert);
    CHECK_ERR(latch_conn_error(p.s)->code, LATCH_ERR_PEER_ALERT);
    CHECK_EQ(latch_conn_error(p.s)->alert, alert);
    CHECK(latch_conn_error(p.c)->detail[0] != '\0');
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static latch_cert_spec good_spec(void)
{
    static const char *const dns[] = {"localhost"};
    latch_cert_spec s;

    memset(&s, 0, sizeof s);
    s.key_type = LATCH_KEY_ECDSA_P256;
    s.common_name = "localhost";
    s.dns_names = dns;
    s.n_dns = 1;
    s.server_auth = true;
    return s;
}

static void test_wrong_hostname(void)
{
    latch_cert_spec s = good_spec();
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    tpair p;

    bad_server_cert(&s, "example.com", LATCH_ERR_CERT_NAME_MISMATCH, LATCH_ALERT_BAD_CERTIFICATE);
    /* The detail names both the certificate and the requested name. */
    REQUIRE_OK(tpair_new(&p, cc, sc, "wrong.example"));
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK(strstr(latch_conn_error(p.c)->detail, "wrong.example") != NULL);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_unknown_ca(void)
{
    /* A client trusting the RSA test CA meets a chain from the ECDSA test CA. */
    latch_config *cc = tcfg_client(LATCH_KEY_RSA2048), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    tpair p;

    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK_ERR(latch_conn_error(p.c)->code, LATCH_ERR_CERT_UNKNOWN_CA);
    CHECK_EQ(latch_conn_error(p.c)->alert, LATCH_ALERT_UNKNOWN_CA);
    CHECK_EQ(latch_conn_error(p.s)->alert, LATCH_ALERT_UNKNOWN_CA);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_expired(void)
{
    latch_cert_spec s = good_spec();
    int64_t now = (int64_t)time(NULL);

    s.not_before = now - 10 * 86400;
    s.not_after = now - 86400;
    bad_server_cert(&s, "localhost", LATCH_ERR_CERT_EXPIRED, LATCH_ALERT_CERTIFICATE_EXPIRED);
    s.not_before = now + 86400;
    s.not_after = now + 10 * 86400;
    bad_server_cert(&s, "localhost", LATCH_ERR_CERT_NOT_YET_VALID, LATCH_ALERT_CERTIFICATE_EXPIRED);
}

static void test_wrong_usage(void)
{
    latch_cert_spec s = good_spec();

    /* A client certificate (EKU clientAuth only) presented by a server. */
    s.server_auth = false;
    s.client_auth = true;
    bad_server_cert(&s, "localhost", LATCH_ERR_CERT_BAD_USAGE, LATCH_ALERT_UNSUPPORTED_CERTIFICATE);
    /* keyUsage without digitalSignature. */
    s = good_spec();
    s.key_usage_wrong = true;
    bad_server_cert(&s, "localhost", LATCH_ERR_CERT_BAD_USAGE, LATCH_ALERT_UNSUPPORTED_CERTIFICATE);
}

/* --insecure: the handshake completes and the result is reported. */
static void test_insecure(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_RSA2048), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    tpair p;

    REQUIRE_OK(latch_config_insecure_no_verify(cc));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_ERR(latch_conn_verify_result(p.c), LATCH_ERR_CERT_UNKNOWN_CA);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_verify_by_ip(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    tpair p;

    REQUIRE_OK(tpair_new(&p, cc, sc, "127.0.0.1"));
    CHECK_OK(tpair_handshake(&p));
    CHECK(latch_conn_server_name(p.s) == NULL); /* no SNI for an IP address */
    tpair_free(&p);
    REQUIRE_OK(tpair_new(&p, cc, sc, "127.0.0.2"));
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK_ERR(latch_conn_error(p.c)->code, LATCH_ERR_CERT_NAME_MISMATCH);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* A record flipped in transit: bad_record_mac. */
static void test_tampered_record(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    const uint8_t *d;
    uint8_t buf[8192];
    size_t n, used;
    tpair p;

    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpump(p.c, p.s));
    REQUIRE_OK(latch_conn_output(p.s, &d, &n));
    REQUIRE(n < sizeof buf && n > 200);
    memcpy(buf, d, n);
    latch_conn_output_done(p.s, n);
    buf[n - 5] ^= 0x01; /* inside the last (encrypted) record's tag */
    CHECK_ERR(latch_conn_feed(p.c, buf, n, &used), LATCH_ERR_BAD_RECORD_MAC);
    CHECK_EQ(latch_conn_error(p.c)->alert, LATCH_ALERT_BAD_RECORD_MAC);
    /* Sticky: every later call says the same. */
    CHECK_ERR(latch_conn_feed(p.c, buf, 1, &used), LATCH_ERR_BAD_RECORD_MAC);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* ---- Hand-made ServerHellos ------------------------------------------------------- */

typedef struct crafted {
    latch_config *cc;
    latch_conn *c;
    latch_client_hello ch;
    uint8_t ch_bytes[4096];
    uint8_t sid[32];
} crafted;

static void start_client(crafted *k)
{
    const uint8_t *d;
    size_t n;
    latch_rd r;

    memset(k, 0, sizeof *k);
    k->cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_conn_new_client(k->cc, "localhost", &k->c));
    REQUIRE_OK(latch_conn_output(k->c, &d, &n));
    REQUIRE(n > 9 && n < sizeof k->ch_bytes);
    memcpy(k->ch_bytes, d, n);
    latch_conn_output_done(k->c, n);
    r = latch_rd_make(k->ch_bytes + 9, n - 9);
    REQUIRE_OK(latch_client_hello_parse(r, &k->ch));
    memcpy(k->sid, k->ch.session_id.p, 32);
}

/* Send a ServerHello built from sh to the client; return the client's error. */
static latch_err send_sh(crafted *k, const latch_server_hello_out *sh)
{
    uint8_t rec[1024];
    latch_wr w;
    size_t used;

    latch_wr_init(&w, rec, sizeof rec);
    latch_wr_u8(&w, 22);
    latch_wr_u16(&w, 0x0303);
    latch_wr_open(&w, 2);
    if (latch_server_hello_build(&w, sh) != LATCH_OK) {
        return LATCH_ERR_INTERNAL;
    }
    latch_wr_close(&w, 1, 16384);
    if (latch_wr_finish(&w) != LATCH_OK) {
        return LATCH_ERR_INTERNAL;
    }
    return latch_conn_feed(k->c, rec, latch_wr_len(&w), &used);
}

static latch_server_hello_out sh13(const crafted *k)
{
    static const uint8_t pub[32] = {9};
    latch_server_hello_out sh;

    memset(&sh, 0, sizeof sh);
    sh.legacy_version = 0x0303;
    memset(sh.random, 0x42, 32);
    sh.session_id = k->sid;
    sh.session_id_len = 32;
    sh.cipher_suite = LATCH_TLS_AES_128_GCM_SHA256;
    sh.selected_version = LATCH_TLS13;
    sh.group = LATCH_GROUP_X25519;
    sh.pub = pub;
    sh.pub_len = 32;
    sh.psk_identity = -1;
    return sh;
}

static void finish(crafted *k)
{
    latch_conn_free(k->c);
    latch_config_free(k->cc);
}

static void test_sh_checks(void)
{
    crafted k;
    latch_server_hello_out sh;

    /* A suite we did not offer. */
    start_client(&k);
    sh = sh13(&k);
    sh.cipher_suite = LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_ILLEGAL_PARAMETER);
    finish(&k);

    /* A session id that is not ours. */
    start_client(&k);
    sh = sh13(&k);
    k.sid[0] ^= 1;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_ILLEGAL_PARAMETER);
    finish(&k);

    /* A key share for a group we sent none for. */
    start_client(&k);
    sh = sh13(&k);
    sh.group = LATCH_GROUP_SECP384R1;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_ILLEGAL_PARAMETER);
    finish(&k);

    /* supported_versions selecting TLS 1.2 inside a 1.3 ServerHello. */
    start_client(&k);
    sh = sh13(&k);
    sh.selected_version = LATCH_TLS12;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_ILLEGAL_PARAMETER);
    finish(&k);

    /* An invalid x25519 key share (all zeros: a low-order point). */
    start_client(&k);
    sh = sh13(&k);
    {
        static const uint8_t zero[32];

        sh.pub = zero;
    }
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_BAD_KEY_SHARE);
    CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_ILLEGAL_PARAMETER);
    finish(&k);
}

static void test_old_server_refused(void)
{
    crafted k;
    latch_server_hello_out sh;

    /* A TLS 1.0 ServerHello: protocol_version. */
    start_client(&k);
    sh = sh13(&k);
    sh.legacy_version = LATCH_TLS10;
    sh.selected_version = 0;
    sh.group = 0;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_PROTOCOL_VERSION);
    CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_PROTOCOL_VERSION);
    finish(&k);

    /* A TLS 1.2 ServerHello carrying the downgrade sentinel (RFC 8446 §4.1.3). */
    start_client(&k);
    sh = sh13(&k);
    sh.selected_version = 0;
    sh.group = 0;
    memcpy(sh.random + 24, "DOWNGRD\x01", 8);
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_DOWNGRADE);
    CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_ILLEGAL_PARAMETER);
    finish(&k);
}

static void test_hrr_checks(void)
{
    crafted k;
    latch_server_hello_out sh;

    /* HRR for a group we already sent a share for. */
    start_client(&k);
    sh = sh13(&k);
    sh.hrr = true;
    sh.pub = NULL;
    sh.pub_len = 0;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_ILLEGAL_PARAMETER);
    finish(&k);

    /* Two HelloRetryRequests. */
    start_client(&k);
    sh = sh13(&k);
    sh.hrr = true;
    sh.group = LATCH_GROUP_SECP384R1;
    sh.pub = NULL;
    sh.pub_len = 0;
    CHECK_OK(send_sh(&k, &sh));
    CHECK(latch_conn_hrr(k.c));
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_UNEXPECTED_MESSAGE);
    CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_UNEXPECTED_MESSAGE);
    finish(&k);
}

/* A ServerHello cut short (lengths adjusted): decode_error. */
static void test_truncated_message(void)
{
    crafted k;
    latch_server_hello_out sh;
    uint8_t rec[1024];
    latch_wr w;
    size_t len, used;

    start_client(&k);
    sh = sh13(&k);
    latch_wr_init(&w, rec, sizeof rec);
    latch_wr_u8(&w, 22);
    latch_wr_u16(&w, 0x0303);
    latch_wr_open(&w, 2);
    REQUIRE_OK(latch_server_hello_build(&w, &sh));
    latch_wr_close(&w, 1, 16384);
    REQUIRE_OK(latch_wr_finish(&w));
    len = latch_wr_len(&w) - 1;
    rec[3] = (uint8_t)((len - 5) >> 8);
    rec[4] = (uint8_t)(len - 5);
    rec[8] = (uint8_t)(rec[8] - 1); /* the handshake length's low byte */
    CHECK_ERR(latch_conn_feed(k.c, rec, len, &used), LATCH_ERR_DECODE);
    CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_DECODE_ERROR);
    finish(&k);
}

/* Anything but a ServerHello first: unexpected_message. */
static void test_unexpected_first_message(void)
{
    crafted k;
    uint8_t rec[] = {22, 3, 3, 0, 4, LATCH_HS_ENCRYPTED_EXTENSIONS, 0, 0, 0};
    size_t used;

    start_client(&k);
    CHECK_ERR(latch_conn_feed(k.c, rec, sizeof rec, &used), LATCH_ERR_UNEXPECTED_MESSAGE);
    CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_UNEXPECTED_MESSAGE);
    finish(&k);
}

static void test_server_name_checks(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    latch_conn *c = NULL;

    CHECK_ERR(latch_conn_new_client(cc, NULL, &c), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_conn_new_client(cc, "bad name", &c), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_conn_new_client(cc, "", &c), LATCH_ERR_INVALID_ARGUMENT);
    CHECK(c == NULL);
    REQUIRE_OK(latch_conn_new_client(cc, "localhost.", &c));
    CHECK(strcmp(latch_conn_server_name(c), "localhost") == 0);
    latch_conn_free(c);
    latch_config_free(cc);
}

static const latch_test cases[] = {
    TEST(test_wrong_hostname),
    TEST(test_unknown_ca),
    TEST(test_expired),
    TEST(test_wrong_usage),
    TEST(test_insecure),
    TEST(test_verify_by_ip),
    TEST(test_tampered_record),
    TEST(test_sh_checks),
    TEST(test_old_server_refused),
    TEST(test_hrr_checks),
    TEST(test_truncated_message),
    TEST(test_unexpected_first_message),
    TEST(test_server_name_checks),
    {0},
};

LATCH_TEST_MAIN(cases)
