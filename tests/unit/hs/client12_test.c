/*
 * The client's TLS 1.2 checks (src/hs/client12.c, and the version routing
 * in client.c): hand-made ServerHellos and certificates, and a real
 * server's flight tampered with in transit (TLS 1.2 sends it in the clear).
 */
#include "harness.h"
#include "tls.h"
#include "wire.h"

#include "conn.h"
#include "hs/hs.h"
#include "hs/session.h"
#include "msg/msg.h"
#include "x509/pem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- A client facing hand-made messages ----------------------------------------- */

typedef struct crafted {
    latch_config *cc;
    latch_conn *c;
    latch_client_hello ch;
    wire w;
    uint8_t sid[32];
    size_t sid_len;
} crafted;

static void start(crafted *k, uint16_t min, uint16_t max, bool rsa_kx)
{
    memset(k, 0, sizeof *k);
    k->cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    if (latch_config_set_versions(k->cc, min, max) != LATCH_OK ||
        (rsa_kx && latch_config_enable_legacy_rsa_kx(k->cc) != LATCH_OK) ||
        latch_conn_new_client(k->cc, "localhost", &k->c) != LATCH_OK) {
        abort();
    }
    wire_drain(k->c, &k->w);
    if (latch_client_hello_parse(latch_rd_make(k->w.b + 9, k->w.n - 9), &k->ch) != LATCH_OK) {
        abort();
    }
    k->sid_len = k->ch.session_id.len;
    if (k->sid_len > 0) {
        memcpy(k->sid, k->ch.session_id.p, k->sid_len);
    }
}

static void finish(crafted *k)
{
    latch_conn_free(k->c);
    latch_config_free(k->cc);
}

static latch_server_hello_out sh12(void)
{
    latch_server_hello_out sh;

    memset(&sh, 0, sizeof sh);
    sh.legacy_version = LATCH_TLS12;
    memset(sh.random, 0x42, 32);
    sh.cipher_suite = LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    sh.psk_identity = -1;
    sh.reneg_info = true;
    sh.ems = true;
    sh.point_formats = true;
    return sh;
}

/* Feed one plaintext handshake record holding the given messages. */
static latch_err feed_msgs(crafted *k, const uint8_t *msgs, size_t n)
{
    static uint8_t rec[70000];
    size_t used, len = wire_record(22, msgs, n, rec);

    return latch_conn_feed(k->c, rec, len, &used);
}

static latch_err send_sh(crafted *k, const latch_server_hello_out *sh)
{
    uint8_t msg[1024];
    latch_wr w;

    latch_wr_init(&w, msg, sizeof msg);
    if (latch_server_hello_build(&w, sh) != LATCH_OK) {
        return LATCH_ERR_INTERNAL;
    }
    return feed_msgs(k, msg, latch_wr_len(&w));
}

static void test_downgrade_sentinel(void)
{
    latch_server_hello_out sh;
    crafted k;

    /* RFC 8446 §4.1.3: a client that offered TLS 1.3 refuses a marked 1.2 answer... */
    for (uint8_t last = 0; last < 2; last++) {
        start(&k, LATCH_TLS12, LATCH_TLS13, false);
        sh = sh12();
        memcpy(sh.random + 24, "DOWNGRD", 7);
        sh.random[31] = last;
        CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_DOWNGRADE);
        CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_ILLEGAL_PARAMETER);
        CHECK(strstr(latch_conn_error(k.c)->detail, "supports TLS 1.3") != NULL);
        finish(&k);
    }
    /* ...and goes on with an unmarked one. */
    start(&k, LATCH_TLS12, LATCH_TLS13, false);
    sh = sh12();
    CHECK_OK(send_sh(&k, &sh));
    CHECK_EQ(latch_conn_version(k.c), LATCH_TLS12);
    finish(&k);
    /* A TLS 1.2-only client never offered 1.3: the mark is no news. */
    start(&k, LATCH_TLS12, LATCH_TLS12, false);
    sh = sh12();
    memcpy(sh.random + 24, "DOWNGRD\x01", 8);
    CHECK_OK(send_sh(&k, &sh));
    CHECK_EQ(latch_conn_version(k.c), LATCH_TLS12);
    finish(&k);
}

/* What a TLS 1.2-only client puts in its ClientHello. */
static void test_client_hello12(void)
{
    crafted k;

    start(&k, LATCH_TLS12, LATCH_TLS12, false);
    CHECK_EQ(k.ch.legacy_version, LATCH_TLS12);
    CHECK(!latch_exts_has(&k.ch.exts, LATCH_X_SUPPORTED_VERSIONS)); /* the TLS 1.3 marker */
    CHECK(!latch_exts_has(&k.ch.exts, LATCH_X_KEY_SHARE));
    CHECK(latch_exts_has(&k.ch.exts, LATCH_X_EXTENDED_MASTER_SECRET));
    CHECK(latch_exts_has(&k.ch.exts, LATCH_X_RENEGOTIATION_INFO));
    CHECK(latch_exts_has(&k.ch.exts, LATCH_X_EC_POINT_FORMATS));
    CHECK(latch_exts_has(&k.ch.exts, LATCH_X_SUPPORTED_GROUPS));
    CHECK(latch_exts_has(&k.ch.exts, LATCH_X_SIGNATURE_ALGORITHMS));
    CHECK(latch_exts_has(&k.ch.exts, LATCH_X_SERVER_NAME));
    CHECK_EQ(k.sid_len, 0);
    for (size_t i = 0; i < latch_u16s_count(k.ch.cipher_suites); i++) {
        uint16_t id = latch_u16s_at(k.ch.cipher_suites, i);

        CHECK(id < 0x1301 || id > 0x1303);   /* no TLS 1.3 suite */
        CHECK(id != LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256 && id != LATCH_TLS_RSA_WITH_AES_256_GCM_SHA384);
    }
    finish(&k);
    /* Both versions: 1.3 first, and the 1.2 extensions and suites too. */
    start(&k, LATCH_TLS12, LATCH_TLS13, true);
    {
        latch_u16s v;
        bool rsa = false, ecdhe = false, tls13 = false;

        REQUIRE_OK(latch_ext_versions_ch_parse(k.ch.exts.data[LATCH_X_SUPPORTED_VERSIONS], &v));
        CHECK(latch_u16s_contains(v, LATCH_TLS13) && latch_u16s_contains(v, LATCH_TLS12));
        CHECK(!latch_u16s_contains(v, LATCH_TLS11));
        for (size_t i = 0; i < latch_u16s_count(k.ch.cipher_suites); i++) {
            uint16_t id = latch_u16s_at(k.ch.cipher_suites, i);

            rsa = rsa || id == LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256;
            ecdhe = ecdhe || id == LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
            tls13 = tls13 || id == LATCH_TLS_AES_128_GCM_SHA256;
        }
        CHECK(rsa && ecdhe && tls13);
        CHECK(latch_exts_has(&k.ch.exts, LATCH_X_EXTENDED_MASTER_SECRET));
        CHECK_EQ(k.sid_len, 32); /* TLS 1.3 middlebox compatibility */
    }
    finish(&k);
}

static void test_server_hello12_checks(void)
{
    latch_server_hello_out sh;
    crafted k;

    /* A suite we did not offer: a TLS 1.3 suite, then RSA key transport. */
    start(&k, LATCH_TLS12, LATCH_TLS12, false);
    sh = sh12();
    sh.cipher_suite = LATCH_TLS_AES_128_GCM_SHA256;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_ILLEGAL_PARAMETER);
    finish(&k);
    start(&k, LATCH_TLS12, LATCH_TLS12, false);
    sh = sh12();
    sh.cipher_suite = LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_ILLEGAL_PARAMETER);
    finish(&k);
    /* RFC 5746: no renegotiation_info, handshake_failure. */
    start(&k, LATCH_TLS12, LATCH_TLS12, false);
    sh = sh12();
    sh.reneg_info = false;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_HANDSHAKE_FAILURE);
    CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_HANDSHAKE_FAILURE);
    CHECK(strstr(latch_conn_error(k.c)->detail, "RFC 5746") != NULL);
    finish(&k);
    /* An extension we did not offer. */
    start(&k, LATCH_TLS12, LATCH_TLS12, false);
    sh = sh12();
    sh.alpn_wire = (const uint8_t *)"\x02h2";
    sh.alpn_len = 3;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_UNSUPPORTED_EXTENSION);
    finish(&k);
    /* Without extended_master_secret the client goes on (RFC 7627 §5.2 allows it). */
    start(&k, LATCH_TLS12, LATCH_TLS12, false);
    sh = sh12();
    sh.ems = false;
    CHECK_OK(send_sh(&k, &sh));
    finish(&k);
    /* A compression method: patch the byte after the suite. */
    start(&k, LATCH_TLS12, LATCH_TLS12, false);
    {
        uint8_t msg[256];
        latch_wr w;

        sh = sh12();
        latch_wr_init(&w, msg, sizeof msg);
        REQUIRE_OK(latch_server_hello_build(&w, &sh));
        REQUIRE(msg[4 + 2 + 32] == 0);    /* empty session id */
        msg[4 + 2 + 32 + 1 + 2] = 1;      /* compression_method */
        CHECK_ERR(feed_msgs(&k, msg, latch_wr_len(&w)), LATCH_ERR_ILLEGAL_PARAMETER);
    }
    finish(&k);
}

static void test_server_hello_versions(void)
{
    latch_server_hello_out sh;
    crafted k;

    /* TLS 1.1: protocol_version, with the reason. */
    start(&k, LATCH_TLS12, LATCH_TLS13, false);
    sh = sh12();
    sh.legacy_version = LATCH_TLS11;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_PROTOCOL_VERSION);
    CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_PROTOCOL_VERSION);
    CHECK(strstr(latch_conn_error(k.c)->detail, "TLSv1.1") != NULL);
    finish(&k);
    /* TLS 1.2 to a client that allows only TLS 1.3. */
    start(&k, LATCH_TLS13, LATCH_TLS13, false);
    sh = sh12();
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_PROTOCOL_VERSION);
    CHECK(strstr(latch_conn_error(k.c)->detail, "TLS 1.3 only") != NULL);
    finish(&k);
    /* 0x0304 in legacy_version without supported_versions. */
    start(&k, LATCH_TLS12, LATCH_TLS13, false);
    sh = sh12();
    sh.legacy_version = LATCH_TLS13;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_PROTOCOL_VERSION);
    finish(&k);
    /* A TLS 1.2 server echoing our random compatibility session id. */
    start(&k, LATCH_TLS12, LATCH_TLS13, false);
    sh = sh12();
    sh.session_id = k.sid;
    sh.session_id_len = k.sid_len;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK(strstr(latch_conn_error(k.c)->detail, "compatibility session id") != NULL);
    finish(&k);
    /* supported_versions selecting TLS 1.3 from a TLS 1.2-only client. */
    start(&k, LATCH_TLS12, LATCH_TLS12, false);
    {
        static const uint8_t pub[32] = {9};

        sh = sh12();
        sh.reneg_info = sh.ems = sh.point_formats = false;
        sh.cipher_suite = LATCH_TLS_AES_128_GCM_SHA256;
        sh.selected_version = LATCH_TLS13;
        sh.group = LATCH_GROUP_X25519;
        sh.pub = pub;
        sh.pub_len = 32;
        CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_ILLEGAL_PARAMETER);
    }
    finish(&k);
}

/* ---- The server's certificate against the suite -------------------------------------- */

/* DER of the first certificate in PEM text. */
static size_t pem_der(const char *pem, uint8_t *out, size_t cap)
{
    latch_pem_reader r;
    latch_pem_block blk;
    bool found = false;
    size_t n = 0;

    latch_pem_reader_init(&r, (const uint8_t *)pem, strlen(pem), "test");
    if (latch_pem_next(&r, NULL, &blk, &found) == LATCH_OK && found) {
        if (blk.der_len <= cap) {
            memcpy(out, blk.der, blk.der_len);
            n = blk.der_len;
        }
        latch_pem_block_free(NULL, &blk);
    }
    return n;
}

static char *read_data(const char *name)
{
    const char *src = getenv("LATCH_SRC");
    char path[1024];
    static char buf[16384];
    size_t n;
    FILE *f;

    snprintf(path, sizeof path, "%s/tests/unit/x509/data/%s", src != NULL ? src : ".", name);
    f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* A 1.2 ServerHello choosing `suite`, then a Certificate holding `pem`'s first certificate. */
static latch_err hello_and_cert(crafted *k, uint16_t suite, const char *pem)
{
    uint8_t der[8192], msg[16384];
    latch_server_hello_out sh = sh12();
    latch_rd cert;
    latch_wr w;
    latch_err e;

    sh.cipher_suite = suite;
    if ((e = send_sh(k, &sh)) != LATCH_OK) {
        return e;
    }
    cert = latch_rd_make(der, pem != NULL ? pem_der(pem, der, sizeof der) : 0);
    latch_wr_init(&w, msg, sizeof msg);
    if (latch_certificate_build(&w, false, NULL, 0, &cert, pem != NULL ? 1 : 0) != LATCH_OK) {
        return LATCH_ERR_INTERNAL;
    }
    return feed_msgs(k, msg, latch_wr_len(&w));
}

static void test_server_key_checks(void)
{
    crafted k;
    char *weak = read_data("rsa1024.crt");

    /* An RSA certificate for an ECDHE_ECDSA suite. */
    start(&k, LATCH_TLS12, LATCH_TLS12, true);
    CHECK_ERR(hello_and_cert(&k, LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tpki_get(LATCH_KEY_RSA2048)->server),
              LATCH_ERR_CERT_UNSUPPORTED);
    CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_UNSUPPORTED_CERTIFICATE);
    CHECK(strstr(latch_conn_error(k.c)->detail, "ECDHE_ECDSA") != NULL);
    finish(&k);
    /* An ECDSA certificate for ECDHE_RSA. */
    start(&k, LATCH_TLS12, LATCH_TLS12, true);
    CHECK_ERR(hello_and_cert(&k, LATCH_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tpki_get(LATCH_KEY_ECDSA_P256)->server),
              LATCH_ERR_CERT_UNSUPPORTED);
    finish(&k);
    /* RSA key transport: the key must be rsaEncryption (not RSA-PSS)... */
    start(&k, LATCH_TLS12, LATCH_TLS12, true);
    CHECK_ERR(hello_and_cert(&k, LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256, tpki_get(LATCH_KEY_RSA_PSS2048)->server),
              LATCH_ERR_CERT_UNSUPPORTED);
    CHECK(strstr(latch_conn_error(k.c)->detail, "rsaEncryption") != NULL);
    finish(&k);
    /* ...and at least 2048 bits: no premaster goes out under a 1024-bit key. */
    REQUIRE(weak != NULL);
    start(&k, LATCH_TLS12, LATCH_TLS12, true);
    CHECK_ERR(hello_and_cert(&k, LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256, weak), LATCH_ERR_CERT_UNSUPPORTED);
    CHECK(strstr(latch_conn_error(k.c)->detail, "1024 bits") != NULL);
    finish(&k);
    /* An empty server Certificate. */
    start(&k, LATCH_TLS12, LATCH_TLS12, false);
    CHECK_ERR(hello_and_cert(&k, LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, NULL), LATCH_ERR_DECODE);
    finish(&k);
}

/* ---- A real server, its flight tampered with --------------------------------------------- */

typedef struct real {
    latch_config *cc, *sc;
    tpair p;
    wire w; /* the server's first flight */
} real;

static int real_start(real *r, latch_key_type key)
{
    memset(r, 0, sizeof *r);
    r->cc = tcfg_client(key);
    r->sc = tcfg_server(key);
    if (latch_config_set_versions(r->cc, LATCH_TLS12, LATCH_TLS12) != LATCH_OK ||
        tpair_new(&r->p, r->cc, r->sc, "localhost") != LATCH_OK || tpump(r->p.c, r->p.s) != LATCH_OK) {
        return -1;
    }
    wire_drain(r->p.s, &r->w);
    return r->w.n_recs >= 1 ? 0 : -1;
}

static void real_end(real *r)
{
    tpair_free(&r->p);
    latch_config_free(r->cc);
    latch_config_free(r->sc);
}

static void test_ske_checks(void)
{
    real r;
    size_t at;

    /* A signature bit flipped: decrypt_error. */
    REQUIRE(real_start(&r, LATCH_KEY_ECDSA_P256) == 0);
    at = wire_find_msg(&r.w, LATCH_HS_SERVER_KEY_EXCHANGE);
    REQUIRE(at != 0);
    r.w.b[at + 4 + 4 + 32 + 2 + 2 + 8] ^= 0x01; /* x25519 params (36 bytes), scheme, length, DER */
    CHECK_ERR(wire_feed(r.p.c, &r.w, 0, r.w.n_recs), LATCH_ERR_BAD_SIGNATURE);
    CHECK_EQ(latch_conn_error(r.p.c)->alert, LATCH_ALERT_DECRYPT_ERROR);
    real_end(&r);
    /* The signed key replaced: the signature no longer covers it. */
    REQUIRE(real_start(&r, LATCH_KEY_ECDSA_P256) == 0);
    at = wire_find_msg(&r.w, LATCH_HS_SERVER_KEY_EXCHANGE);
    r.w.b[at + 4 + 4 + 5] ^= 0x01;
    CHECK_ERR(wire_feed(r.p.c, &r.w, 0, r.w.n_recs), LATCH_ERR_BAD_SIGNATURE);
    real_end(&r);
    /* A group we did not offer (secp521r1). */
    REQUIRE(real_start(&r, LATCH_KEY_ECDSA_P256) == 0);
    at = wire_find_msg(&r.w, LATCH_HS_SERVER_KEY_EXCHANGE);
    r.w.b[at + 4 + 2] = 0x19;
    CHECK_ERR(wire_feed(r.p.c, &r.w, 0, r.w.n_recs), LATCH_ERR_ILLEGAL_PARAMETER);
    real_end(&r);
    /* An offered group whose keys are not 32 bytes: secp256r1. */
    REQUIRE(real_start(&r, LATCH_KEY_ECDSA_P256) == 0);
    at = wire_find_msg(&r.w, LATCH_HS_SERVER_KEY_EXCHANGE);
    r.w.b[at + 4 + 2] = 0x17;
    CHECK_ERR(wire_feed(r.p.c, &r.w, 0, r.w.n_recs), LATCH_ERR_BAD_KEY_SHARE);
    CHECK_EQ(latch_conn_error(r.p.c)->alert, LATCH_ALERT_ILLEGAL_PARAMETER);
    real_end(&r);
    /* A scheme we did not offer (rsa_pkcs1_sha1, 0x0201). */
    REQUIRE(real_start(&r, LATCH_KEY_ECDSA_P256) == 0);
    at = wire_find_msg(&r.w, LATCH_HS_SERVER_KEY_EXCHANGE);
    r.w.b[at + 4 + 36] = 0x02;
    r.w.b[at + 4 + 36 + 1] = 0x01;
    CHECK_ERR(wire_feed(r.p.c, &r.w, 0, r.w.n_recs), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK(strstr(latch_conn_error(r.p.c)->detail, "did not offer") != NULL);
    real_end(&r);
    /* An explicit curve (curve_type 1). */
    REQUIRE(real_start(&r, LATCH_KEY_ECDSA_P256) == 0);
    at = wire_find_msg(&r.w, LATCH_HS_SERVER_KEY_EXCHANGE);
    r.w.b[at + 4] = 1;
    CHECK_ERR(wire_feed(r.p.c, &r.w, 0, r.w.n_recs), LATCH_ERR_ILLEGAL_PARAMETER);
    real_end(&r);
}

/* Messages out of order: the table refuses them. */
static void test_message_order(void)
{
    static uint8_t msgs[16384];
    real r;
    size_t sh, cert, ske, done, n;

    REQUIRE(real_start(&r, LATCH_KEY_ECDSA_P256) == 0);
    sh = wire_find_msg(&r.w, LATCH_HS_SERVER_HELLO);
    cert = wire_find_msg(&r.w, LATCH_HS_CERTIFICATE);
    ske = wire_find_msg(&r.w, LATCH_HS_SERVER_KEY_EXCHANGE);
    done = wire_find_msg(&r.w, LATCH_HS_SERVER_HELLO_DONE);
    REQUIRE(sh != 0 && cert != 0 && ske != 0 && done != 0);
    /* ServerHello, ServerKeyExchange: the Certificate is missing. */
    n = 0;
    memcpy(msgs + n, r.w.b + sh, cert - sh);
    n += cert - sh;
    memcpy(msgs + n, r.w.b + ske, done - ske + 4);
    n += done - ske + 4;
    {
        uint8_t rec[16500];
        size_t used, len = wire_record(22, msgs, n, rec);

        CHECK_ERR(latch_conn_feed(r.p.c, rec, len, &used), LATCH_ERR_UNEXPECTED_MESSAGE);
        CHECK(strstr(latch_conn_error(r.p.c)->detail, "ServerKeyExchange (type 12) in state 1.2 WAIT_CERT") != NULL);
    }
    real_end(&r);
    /* ServerHello, Certificate, ServerHelloDone: an ECDHE suite without its key exchange. */
    REQUIRE(real_start(&r, LATCH_KEY_ECDSA_P256) == 0);
    sh = wire_find_msg(&r.w, LATCH_HS_SERVER_HELLO);
    ske = wire_find_msg(&r.w, LATCH_HS_SERVER_KEY_EXCHANGE);
    done = wire_find_msg(&r.w, LATCH_HS_SERVER_HELLO_DONE);
    n = 0;
    memcpy(msgs + n, r.w.b + sh, ske - sh);
    n += ske - sh;
    memcpy(msgs + n, r.w.b + done, 4);
    n += 4;
    {
        uint8_t rec[16500];
        size_t used, len = wire_record(22, msgs, n, rec);

        CHECK_ERR(latch_conn_feed(r.p.c, rec, len, &used), LATCH_ERR_UNEXPECTED_MESSAGE);
    }
    real_end(&r);
}

/* The index of the first record of type t, or n_recs. */
static size_t rec_of_type(const wire *w, uint8_t t)
{
    size_t i = 0;

    while (i < w->n_recs && wire_type(w, i) != t) {
        i++;
    }
    return i;
}

/* The server's ChangeCipherSpec and Finished, tampered with. Its last
 * flight is [NewSessionTicket,] ChangeCipherSpec, Finished. */
static void test_server_finish(void)
{
    real r;
    wire fin;
    size_t ccs;

    /* A ChangeCipherSpec of the wrong value. */
    REQUIRE(real_start(&r, LATCH_KEY_ECDSA_P256) == 0);
    REQUIRE_OK(wire_feed(r.p.c, &r.w, 0, r.w.n_recs));
    REQUIRE_OK(tpump(r.p.c, r.p.s));
    wire_drain(r.p.s, &fin);
    ccs = rec_of_type(&fin, 20);
    REQUIRE(ccs + 2 == fin.n_recs);
    wire_body(&fin, ccs)[0] = 2;
    CHECK_ERR(wire_feed(r.p.c, &fin, 0, fin.n_recs), LATCH_ERR_DECODE);
    CHECK(strstr(latch_conn_error(r.p.c)->detail, "ChangeCipherSpec") != NULL);
    real_end(&r);
    /* A Finished record that does not authenticate. */
    REQUIRE(real_start(&r, LATCH_KEY_ECDSA_P256) == 0);
    REQUIRE_OK(wire_feed(r.p.c, &r.w, 0, r.w.n_recs));
    REQUIRE_OK(tpump(r.p.c, r.p.s));
    wire_drain(r.p.s, &fin);
    ccs = rec_of_type(&fin, 20);
    REQUIRE(ccs + 2 == fin.n_recs);
    wire_body(&fin, ccs + 1)[10] ^= 0x80;
    CHECK_ERR(wire_feed(r.p.c, &fin, 0, fin.n_recs), LATCH_ERR_BAD_RECORD_MAC);
    real_end(&r);
    /* The Finished without the ChangeCipherSpec (in the clear it is not even decryptable). */
    REQUIRE(real_start(&r, LATCH_KEY_ECDSA_P256) == 0);
    REQUIRE_OK(wire_feed(r.p.c, &r.w, 0, r.w.n_recs));
    REQUIRE_OK(tpump(r.p.c, r.p.s));
    wire_drain(r.p.s, &fin);
    ccs = rec_of_type(&fin, 20);
    REQUIRE(ccs + 2 == fin.n_recs);
    if (ccs > 0) {
        CHECK_OK(wire_feed(r.p.c, &fin, 0, ccs)); /* the NewSessionTicket */
    }
    CHECK(wire_feed(r.p.c, &fin, ccs + 1, ccs + 2) != LATCH_OK);
    CHECK(!(latch_conn_state(r.p.c) & LATCH_STATE_HANDSHAKE_DONE));
    real_end(&r);
}

/* RFC 5746 / RFC 5246 §7.4.1.1: a HelloRequest is declined with a
 * no_renegotiation warning, and the connection goes on. */
static void test_hello_request(void)
{
    static const uint8_t hello_request[4] = {LATCH_HS_HELLO_REQUEST, 0, 0, 0};
    const uint8_t msg[] = "still here";
    real r;
    wire out;

    REQUIRE(real_start(&r, LATCH_KEY_ECDSA_P256) == 0);
    REQUIRE_OK(wire_feed(r.p.c, &r.w, 0, r.w.n_recs));
    REQUIRE_OK(tpair_handshake(&r.p));
    REQUIRE_OK(latch__conn_send_record(r.p.s, LATCH_CT_HANDSHAKE, hello_request, sizeof hello_request));
    CHECK_OK(tpump(r.p.s, r.p.c));
    wire_drain(r.p.c, &out);
    /* One protected alert record: warning no_renegotiation (the server reads it). */
    REQUIRE(out.n_recs == 1 && wire_type(&out, 0) == 21);
    CHECK_OK(wire_feed(r.p.s, &out, 0, 1));
    CHECK_EQ(tpair_roundtrip(r.p.c, r.p.s, msg, sizeof msg), 0);
    CHECK_EQ(tpair_roundtrip(r.p.s, r.p.c, msg, sizeof msg), 0);
    real_end(&r);
}

/* ---- Resumption ------------------------------------------------------------------------ */

/* A real TLS 1.2 session from a latch server using `store`. */
static size_t real_session(latch_session_store store, uint8_t *sess, size_t cap)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    size_t n = 0;
    tpair p;

    if (latch_config_set_versions(cc, LATCH_TLS12, LATCH_TLS12) != LATCH_OK ||
        latch_config_set_session_store(sc, store, 8) != LATCH_OK || tpair_new(&p, cc, sc, "localhost") != LATCH_OK ||
        tpair_handshake(&p) != LATCH_OK || latch_conn_session(p.c, sess, cap, &n) != LATCH_OK) {
        n = 0;
    }
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
    return n;
}

/* A TLS 1.2-only client offering sess; its ClientHello parsed into k. */
static void start_resuming(crafted *k, const uint8_t *sess, size_t n)
{
    memset(k, 0, sizeof *k);
    k->cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    if (latch_config_set_versions(k->cc, LATCH_TLS12, LATCH_TLS12) != LATCH_OK ||
        latch_conn_new_client(k->cc, "localhost", &k->c) != LATCH_OK ||
        latch_conn_set_session(k->c, sess, n) != LATCH_OK) {
        abort();
    }
    wire_drain(k->c, &k->w);
    if (latch_client_hello_parse(latch_rd_make(k->w.b + 9, k->w.n - 9), &k->ch) != LATCH_OK) {
        abort();
    }
    k->sid_len = k->ch.session_id.len;
    memcpy(k->sid, k->ch.session_id.p, k->sid_len);
}

static void test_resume_offer(void)
{
    uint8_t sess[8192];
    size_t n = real_session(LATCH_SESSIONS_TICKETS, sess, sizeof sess);
    latch_session s;
    crafted k;

    /* A ticket goes in session_ticket, with a random session id (RFC 5077 §3.4). */
    REQUIRE(n > 0);
    REQUIRE_OK(latch_session_decode(latch_rd_make(sess, n), &s));
    REQUIRE(s.ticket_len > 0 && s.sid_len == 0 && s.ems);
    start_resuming(&k, sess, n);
    REQUIRE(latch_exts_has(&k.ch.exts, LATCH_X_SESSION_TICKET));
    CHECK_MEM(k.ch.exts.data[LATCH_X_SESSION_TICKET].p, k.ch.exts.data[LATCH_X_SESSION_TICKET].len, s.ticket,
              s.ticket_len);
    CHECK_EQ(k.sid_len, 32);
    finish(&k);
    latch_session_wipe(&s);
    /* A session id goes in the session id (RFC 5246 §7.4.1.2). */
    n = real_session(LATCH_SESSIONS_CACHE, sess, sizeof sess);
    REQUIRE(n > 0);
    REQUIRE_OK(latch_session_decode(latch_rd_make(sess, n), &s));
    REQUIRE(s.ticket_len == 0 && s.sid_len == 32);
    start_resuming(&k, sess, n);
    CHECK_MEM(k.sid, k.sid_len, s.sid, s.sid_len);
    CHECK(k.ch.exts.data[LATCH_X_SESSION_TICKET].len == 0);
    finish(&k);
    latch_session_wipe(&s);
    /* A TLS 1.3 session is not offered in TLS 1.2 (and a 1.2 one not to 1.3 only). */
    start(&k, LATCH_TLS13, LATCH_TLS13, false);
    finish(&k);
}

static void test_resume_checks(void)
{
    uint8_t sess[8192];
    size_t n = real_session(LATCH_SESSIONS_TICKETS, sess, sizeof sess);
    latch_server_hello_out sh;
    crafted k;

    REQUIRE(n > 0);
    /* The echo resumes: the client waits for the server's ChangeCipherSpec. */
    start_resuming(&k, sess, n);
    sh = sh12();
    sh.session_id = k.sid;
    sh.session_id_len = k.sid_len;
    CHECK_OK(send_sh(&k, &sh));
    CHECK(latch_conn_resumed(k.c));
    CHECK(k.c->hs != NULL && strstr(latch__hs_state_name(k.c, k.c->state), "RESUME_WAIT_CCS") != NULL);
    finish(&k);
    /* RFC 5246 §7.4.1.3: the same cipher suite. */
    start_resuming(&k, sess, n);
    sh = sh12();
    sh.session_id = k.sid;
    sh.session_id_len = k.sid_len;
    sh.cipher_suite = LATCH_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK(strstr(latch_conn_error(k.c)->detail, "another cipher suite") != NULL);
    finish(&k);
    /* RFC 7627 §5.3: resumed without extended_master_secret. */
    start_resuming(&k, sess, n);
    sh = sh12();
    sh.session_id = k.sid;
    sh.session_id_len = k.sid_len;
    sh.ems = false;
    CHECK_ERR(send_sh(&k, &sh), LATCH_ERR_HANDSHAKE_FAILURE);
    CHECK_EQ(latch_conn_error(k.c)->alert, LATCH_ALERT_HANDSHAKE_FAILURE);
    CHECK(strstr(latch_conn_error(k.c)->detail, "RFC 7627") != NULL);
    finish(&k);
    /* No echo: a full handshake follows (the server wants a Certificate). */
    start_resuming(&k, sess, n);
    sh = sh12();
    CHECK_OK(send_sh(&k, &sh));
    CHECK(!latch_conn_resumed(k.c));
    CHECK(strstr(latch__hs_state_name(k.c, k.c->state), "1.2 WAIT_CERT") != NULL);
    finish(&k);
}

static const latch_test cases[] = {
    TEST(test_downgrade_sentinel),
    TEST(test_client_hello12),
    TEST(test_server_hello12_checks),
    TEST(test_server_hello_versions),
    TEST(test_server_key_checks),
    TEST(test_ske_checks),
    TEST(test_message_order),
    TEST(test_server_finish),
    TEST(test_hello_request),
    TEST(test_resume_offer),
    TEST(test_resume_checks),
    {0},
};

LATCH_TEST_MAIN(cases)
