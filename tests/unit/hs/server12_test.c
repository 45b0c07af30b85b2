/*
 * TLS 1.2 handshakes in memory, latch client against latch server
 * (src/hs/server12.c): every TLS 1.2 suite x certificate type x group, RSA
 * key transport and its oracle-free premaster handling, version
 * negotiation (downgrade sentinel, TLS_FALLBACK_SCSV, old versions),
 * client authentication in the 1.2 form, renegotiation refused, and the
 * server's failure paths with their exact errors and alerts.
 */
#include "harness.h"
#include "tls.h"
#include "wire.h"

#include "conn.h"
#include "hs/hs.h"
#include "hs/session.h"
#include "msg/msg.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define CHECK_STR(got, want) CHECK((got) != NULL && strcmp((got), (want)) == 0)

typedef struct row {
    const char *name;
    uint16_t id;
    latch_key_type key;
    uint16_t sig; /* the server's ServerKeyExchange signature */
} row;

static const row suites[] = {
    {"ECDHE-ECDSA-AES128-GCM-SHA256", LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, LATCH_KEY_ECDSA_P256,
     LATCH_SIG_ECDSA_SECP256R1_SHA256},
    {"ECDHE-ECDSA-AES256-GCM-SHA384", LATCH_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, LATCH_KEY_ECDSA_P384,
     LATCH_SIG_ECDSA_SECP384R1_SHA384},
    {"ECDHE-ECDSA-CHACHA20-POLY1305", LATCH_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, LATCH_KEY_ED25519,
     LATCH_SIG_ED25519},
    {"ECDHE-RSA-AES128-GCM-SHA256", LATCH_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, LATCH_KEY_RSA2048,
     LATCH_SIG_RSA_PSS_RSAE_SHA256},
    {"ECDHE-RSA-AES256-GCM-SHA384", LATCH_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, LATCH_KEY_RSA_PSS2048,
     LATCH_SIG_RSA_PSS_PSS_SHA256},
    {"ECDHE-RSA-CHACHA20-POLY1305", LATCH_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, LATCH_KEY_RSA2048,
     LATCH_SIG_RSA_PSS_RSAE_SHA256},
};

static latch_config *client12(latch_key_type ca)
{
    latch_config *cc = tcfg_client(ca);

    if (latch_config_set_versions(cc, LATCH_TLS12, LATCH_TLS12) != LATCH_OK) {
        abort();
    }
    return cc;
}

/* Every ECDHE suite with a certificate it takes, over every group; data flows both ways. */
static void test_matrix(void)
{
    static const char *const groups[] = {"x25519", "secp256r1", "secp384r1"};
    static const uint16_t group_ids[] = {LATCH_GROUP_X25519, LATCH_GROUP_SECP256R1, LATCH_GROUP_SECP384R1};
    const uint8_t msg[] = "ping over TLS 1.2";

    for (size_t s = 0; s < sizeof suites / sizeof suites[0]; s++) {
        for (size_t g = 0; g < 3; g++) {
            latch_config *cc = client12(suites[s].key), *sc = tcfg_server(suites[s].key);
            tpair p;

            char list[64];

            /* The certificate's curve must be listed too (RFC 4492 §5.3),
             * after the group under test so that the server picks that one. */
            snprintf(list, sizeof list, "%s%s", groups[g],
                     suites[s].key == LATCH_KEY_ECDSA_P256 && g != 1   ? ":secp256r1"
                     : suites[s].key == LATCH_KEY_ECDSA_P384 && g != 2 ? ":secp384r1"
                                                                       : "");
            REQUIRE_OK(latch_config_set_ciphers(cc, suites[s].name));
            REQUIRE_OK(latch_config_set_groups(cc, list));
            REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
            CHECK_OK(tpair_handshake(&p));
            CHECK_EQ(latch_conn_version(p.c), LATCH_TLS12);
            CHECK_EQ(latch_conn_version(p.s), LATCH_TLS12);
            CHECK_EQ(latch_conn_cipher_suite(p.c), suites[s].id);
            CHECK_EQ(latch_conn_cipher_suite(p.s), suites[s].id);
            CHECK_EQ(latch_conn_group(p.c), group_ids[g]);
            CHECK_EQ(latch_conn_group(p.s), group_ids[g]);
            CHECK_EQ(latch_conn_peer_sigalg(p.c), suites[s].sig);
            CHECK_EQ(latch_conn_sigalg(p.s), suites[s].sig);
            CHECK_OK(latch_conn_verify_result(p.c));
            CHECK_EQ(latch_conn_peer_cert_count(p.c), 2);
            CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
            CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
            /* close_notify ends a 1.2 connection as it ends a 1.3 one. */
            CHECK_OK(latch_conn_close(p.c));
            CHECK_ERR(tpump(p.c, p.s), LATCH_ERR_CLOSE_NOTIFY);
            tpair_free(&p);
            latch_config_free(cc);
            latch_config_free(sc);
        }
    }
}

/* Large application data crosses many records each way. */
static void test_bulk(void)
{
    latch_config *cc = client12(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    static uint8_t big[100000];
    tpair p;

    for (size_t i = 0; i < sizeof big; i++) {
        big[i] = (uint8_t)(i * 31);
    }
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    CHECK_EQ(tpair_roundtrip(p.c, p.s, big, sizeof big), 0);
    CHECK_EQ(tpair_roundtrip(p.s, p.c, big, sizeof big), 0);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* ---- RSA key transport ----------------------------------------------------------- */

static void test_rsa_key_transport(void)
{
    static const char *const names[] = {"AES128-GCM-SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384"};
    static const uint16_t ids[] = {LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256, LATCH_TLS_RSA_WITH_AES_256_GCM_SHA384};
    const uint8_t msg[] = "RSA key transport";

    for (size_t i = 0; i < 2; i++) {
        latch_config *cc = client12(LATCH_KEY_RSA2048), *sc = tcfg_server(LATCH_KEY_RSA2048);
        tpair p;

        /* Refused by name until switched on. */
        CHECK_ERR(latch_config_set_ciphers(cc, names[i]), LATCH_ERR_INVALID_ARGUMENT);
        REQUIRE_OK(latch_config_enable_legacy_rsa_kx(cc));
        REQUIRE_OK(latch_config_enable_legacy_rsa_kx(sc));
        REQUIRE_OK(latch_config_set_ciphers(cc, names[i]));
        REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
        CHECK_OK(tpair_handshake(&p));
        CHECK_EQ(latch_conn_cipher_suite(p.c), ids[i]);
        CHECK_EQ(latch_conn_cipher_suite(p.s), ids[i]);
        CHECK_EQ(latch_conn_group(p.c), 0);       /* no key exchange group */
        CHECK_EQ(latch_conn_peer_sigalg(p.c), 0); /* and no signature */
        CHECK_OK(latch_conn_verify_result(p.c));
        CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
        CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
        tpair_free(&p);
        latch_config_free(cc);
        latch_config_free(sc);
    }
}

/* Off by default on either side: ECDHE wins, or nothing is shared. */
static void test_rsa_key_transport_off(void)
{
    latch_config *cc = client12(LATCH_KEY_RSA2048), *sc = tcfg_server(LATCH_KEY_RSA2048);
    tpair p;

    /* Enabled on the client only: the default lists still meet on ECDHE. */
    REQUIRE_OK(latch_config_enable_legacy_rsa_kx(cc));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_cipher_suite(p.s), LATCH_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
    tpair_free(&p);
    latch_config_free(cc);
    /* A client offering only RSA key transport to a server without the switch. */
    cc = client12(LATCH_KEY_RSA2048);
    REQUIRE_OK(latch_config_enable_legacy_rsa_kx(cc));
    REQUIRE_OK(latch_config_set_ciphers(cc, "AES128-GCM-SHA256"));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK_ERR(latch_conn_error(p.s)->code, LATCH_ERR_NO_SHARED_CIPHER);
    CHECK_EQ(latch_conn_error(p.c)->alert, LATCH_ALERT_HANDSHAKE_FAILURE);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
    /* An ECDSA server cannot do RSA key transport: no certificate fits. */
    cc = client12(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_enable_legacy_rsa_kx(cc));
    REQUIRE_OK(latch_config_enable_legacy_rsa_kx(sc));
    REQUIRE_OK(latch_config_set_ciphers(cc, "AES256-GCM-SHA384"));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK_ERR(latch_conn_error(p.s)->code, LATCH_ERR_NO_SHARED_SIGALG);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/*
 * The premaster oracle (RFC 5246 §7.4.7.1, ROBOT): whatever is wrong with
 * the encrypted premaster, the server goes on with a random one, and the
 * handshake fails only where a forged Finished fails: at the AEAD check of
 * the record carrying the client's Finished (bad_record_mac), at the same
 * line of code. The cases:
 *   A. a ciphertext byte flipped (bad padding, almost surely);
 *   B. a well-formed premaster with the wrong version bytes;
 *   C. a good premaster and a tampered Finished record (what anyone without
 *      the premaster can send);
 * and, for contrast, D: a peer that holds the keys but sends a wrong
 * verify_data is caught by the Finished comparison itself (decrypt_error).
 */
typedef struct rsa_run {
    latch_config *cc, *sc;
    tpair p;
    wire w; /* the client's flight: ClientKeyExchange, ChangeCipherSpec, Finished */
} rsa_run;

static int rsa_start(rsa_run *r)
{
    memset(r, 0, sizeof *r);
    r->cc = client12(LATCH_KEY_RSA2048);
    r->sc = tcfg_server(LATCH_KEY_RSA2048);
    if (latch_config_enable_legacy_rsa_kx(r->cc) != LATCH_OK || latch_config_enable_legacy_rsa_kx(r->sc) != LATCH_OK ||
        latch_config_set_ciphers(r->cc, "AES128-GCM-SHA256") != LATCH_OK ||
        tpair_new(&r->p, r->cc, r->sc, "localhost") != LATCH_OK || tpump(r->p.c, r->p.s) != LATCH_OK ||
        tpump(r->p.s, r->p.c) != LATCH_OK) {
        return -1;
    }
    wire_drain(r->p.c, &r->w);
    return r->w.n_recs == 3 && wire_type(&r->w, 0) == 22 && wire_type(&r->w, 1) == 20 && wire_type(&r->w, 2) == 22
               ? 0
               : -1;
}

static void rsa_end(rsa_run *r)
{
    tpair_free(&r->p);
    latch_config_free(r->cc);
    latch_config_free(r->sc);
}

static void test_bad_premaster(void)
{
    rsa_run r;
    const latch_error_info *ei;
    const char *file_a;
    int line_a;

    /* A: flip a byte of the encrypted premaster. */
    REQUIRE(rsa_start(&r) == 0);
    REQUIRE(r.w.rec_len[0] == 4 + 2 + 256);
    wire_body(&r.w, 0)[4 + 2 + 100] ^= 0x40;
    CHECK_ERR(wire_feed(r.p.s, &r.w, 0, 3), LATCH_ERR_BAD_RECORD_MAC);
    ei = latch_conn_error(r.p.s);
    CHECK_EQ(ei->alert, LATCH_ALERT_BAD_RECORD_MAC);
    REQUIRE(ei->file != NULL);
    file_a = ei->file;
    line_a = ei->line;
    /* The client learns no more than "bad_record_mac". */
    CHECK_ERR(tpump(r.p.s, r.p.c), LATCH_ERR_PEER_ALERT);
    CHECK_EQ(latch_conn_error(r.p.c)->alert, LATCH_ALERT_BAD_RECORD_MAC);
    rsa_end(&r);

    /* B: a well-formed premaster with the version 0x0301 instead of the
     * 0x0303 the client offered, encrypted to the server's key. */
    REQUIRE(rsa_start(&r) == 0);
    {
        uint8_t pms[48], ct[512], msg[600];
        size_t ct_len, n;
        latch_wr w;

        memset(pms, 0x77, sizeof pms);
        pms[0] = 3;
        pms[1] = 1;
        REQUIRE_OK(latch_provider_openssl()->rsa_encrypt(latch_peer_key(r.p.c->peer), pms, 48, ct, sizeof ct,
                                                          &ct_len));
        latch_wr_init(&w, msg, sizeof msg);
        REQUIRE_OK(latch_client_key_exchange_build(&w, true, ct, ct_len));
        REQUIRE(latch_wr_len(&w) == r.w.rec_len[0]);
        n = latch_wr_len(&w);
        memcpy(wire_body(&r.w, 0), msg, n);
    }
    CHECK_ERR(wire_feed(r.p.s, &r.w, 0, 3), LATCH_ERR_BAD_RECORD_MAC);
    ei = latch_conn_error(r.p.s);
    CHECK_EQ(ei->alert, LATCH_ALERT_BAD_RECORD_MAC);
    CHECK(ei->file != NULL && strcmp(ei->file, file_a) == 0 && ei->line == line_a);
    rsa_end(&r);

    /* C: the premaster is good, the Finished record is not. */
    REQUIRE(rsa_start(&r) == 0);
    wire_body(&r.w, 2)[8 + 3] ^= 0x01; /* inside the encrypted Finished, after the explicit nonce */
    CHECK_ERR(wire_feed(r.p.s, &r.w, 0, 3), LATCH_ERR_BAD_RECORD_MAC);
    ei = latch_conn_error(r.p.s);
    CHECK_EQ(ei->alert, LATCH_ALERT_BAD_RECORD_MAC);
    CHECK(ei->file != NULL && strcmp(ei->file, file_a) == 0 && ei->line == line_a);
    rsa_end(&r);

    /* D: keys right, verify_data wrong: only a holder of the premaster can
     * get here; the comparison catches it (decrypt_error, RFC 5246 §7.4.9). */
    REQUIRE(rsa_start(&r) == 0);
    CHECK_OK(wire_feed(r.p.s, &r.w, 0, 2)); /* ClientKeyExchange and ChangeCipherSpec */
    REQUIRE(r.p.s->hs != NULL);
    r.p.s->hs->master.b[0] ^= 0x01; /* the keys are installed; the Finished will differ */
    CHECK_ERR(wire_feed(r.p.s, &r.w, 2, 3), LATCH_ERR_BAD_FINISHED);
    CHECK_EQ(latch_conn_error(r.p.s)->alert, LATCH_ALERT_DECRYPT_ERROR);
    rsa_end(&r);

    /* And the untouched flight completes. */
    REQUIRE(rsa_start(&r) == 0);
    CHECK_OK(wire_feed(r.p.s, &r.w, 0, 3));
    CHECK_OK(tpump(r.p.s, r.p.c));
    CHECK(latch_conn_state(r.p.c) & latch_conn_state(r.p.s) & LATCH_STATE_HANDSHAKE_DONE);
    rsa_end(&r);
}

/* ---- Version negotiation ----------------------------------------------------------- */

/* The random of the ServerHello the server sends to a TLS 1.2-only client. */
static int server_random(latch_config *sc, uint8_t random[32])
{
    latch_config *cc = client12(LATCH_KEY_ECDSA_P256);
    latch_server_hello sh;
    tpair p;
    wire w;
    size_t at;
    int rc = -1;

    if (tpair_new(&p, cc, sc, "localhost") == LATCH_OK && tpump(p.c, p.s) == LATCH_OK) {
        wire_drain(p.s, &w);
        at = wire_find_msg(&w, LATCH_HS_SERVER_HELLO);
        if (at != 0 && latch_server_hello_parse(latch_rd_make(w.b + at + 4, (size_t)w.b[at + 2] << 8 | w.b[at + 3]),
                                                &sh) == LATCH_OK) {
            memcpy(random, sh.random, 32);
            rc = 0;
        }
    }
    tpair_free(&p);
    latch_config_free(cc);
    return rc;
}

static void test_downgrade_sentinel(void)
{
    latch_config *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint8_t random[32];

    /* RFC 8446 §4.1.3: a server that speaks TLS 1.3 marks a TLS 1.2 answer. */
    REQUIRE(server_random(sc, random) == 0);
    CHECK_MEM(random + 24, 8, (const uint8_t *)"DOWNGRD\x01", 8);
    latch_config_free(sc);
    /* A TLS 1.2-only server has nothing to signal. */
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_versions(sc, LATCH_TLS12, LATCH_TLS12));
    REQUIRE(server_random(sc, random) == 0);
    CHECK(memcmp(random + 24, "DOWNGRD", 7) != 0);
    latch_config_free(sc);
}

/* A 1.3-capable client and a 1.2-only server meet on TLS 1.2, and the
 * reverse; both 1.3-capable meet on TLS 1.3. */
static void test_version_matrix(void)
{
    static const struct {
        uint16_t cmin, cmax, smin, smax, want;
    } rows[] = {
        {LATCH_TLS12, LATCH_TLS13, LATCH_TLS12, LATCH_TLS12, LATCH_TLS12},
        {LATCH_TLS12, LATCH_TLS12, LATCH_TLS12, LATCH_TLS13, LATCH_TLS12},
        {LATCH_TLS12, LATCH_TLS13, LATCH_TLS12, LATCH_TLS13, LATCH_TLS13},
        {LATCH_TLS12, LATCH_TLS12, LATCH_TLS12, LATCH_TLS12, LATCH_TLS12},
        {LATCH_TLS13, LATCH_TLS13, LATCH_TLS12, LATCH_TLS13, LATCH_TLS13},
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
        tpair p;

        REQUIRE_OK(latch_config_set_versions(cc, rows[i].cmin, rows[i].cmax));
        REQUIRE_OK(latch_config_set_versions(sc, rows[i].smin, rows[i].smax));
        REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
        CHECK_OK(tpair_handshake(&p));
        CHECK_EQ(latch_conn_version(p.c), rows[i].want);
        CHECK_EQ(latch_conn_version(p.s), rows[i].want);
        tpair_free(&p);
        latch_config_free(cc);
        latch_config_free(sc);
    }
}

/* Hand-made ClientHellos to a server. */
static latch_err send_ch(latch_config *sc, uint16_t legacy_version, const uint16_t *versions, size_t n_versions,
                         const uint16_t *extra_suites, size_t n_extra, latch_conn **out)
{
    static const uint16_t groups[] = {LATCH_GROUP_X25519, LATCH_GROUP_SECP256R1};
    static const uint16_t sigalgs[] = {LATCH_SIG_ECDSA_SECP256R1_SHA256, LATCH_SIG_RSA_PSS_RSAE_SHA256};
    uint16_t list[8] = {LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
    latch_client_hello_out ch;
    uint8_t msg[2048], rec[2100];
    latch_wr w;
    size_t used, n;

    for (size_t i = 0; i < n_extra; i++) {
        list[1 + i] = extra_suites[i];
    }
    memset(&ch, 0, sizeof ch);
    ch.legacy_version = legacy_version;
    memset(ch.random, 0x11, 32);
    ch.suites = list;
    ch.n_suites = 1 + n_extra;
    ch.versions = versions;
    ch.n_versions = n_versions;
    ch.groups = groups;
    ch.n_groups = 2;
    ch.sigalgs = sigalgs;
    ch.n_sigalgs = 2;
    ch.tls12 = true;
    latch_wr_init(&w, msg, sizeof msg);
    if (latch_client_hello_build(&w, &ch) != LATCH_OK) {
        return LATCH_ERR_INTERNAL;
    }
    n = wire_record(22, msg, latch_wr_len(&w), rec);
    if (latch_conn_new_server(sc, out) != LATCH_OK) {
        return LATCH_ERR_INTERNAL;
    }
    return latch_conn_feed(*out, rec, n, &used);
}

static void test_old_versions_refused(void)
{
    latch_config *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    static const uint16_t old[] = {0x0300, LATCH_TLS10, LATCH_TLS11};
    latch_conn *s = NULL;

    for (size_t i = 0; i < 3; i++) {
        /* Without supported_versions: legacy_version decides. */
        CHECK_ERR(send_ch(sc, old[i], NULL, 0, NULL, 0, &s), LATCH_ERR_PROTOCOL_VERSION);
        CHECK_EQ(latch_conn_error(s)->alert, LATCH_ALERT_PROTOCOL_VERSION);
        CHECK(strstr(latch_conn_error(s)->detail, latch_version_name(old[i])) != NULL);
        CHECK(strstr(latch_conn_error(s)->detail, "latch refuses SSL 3.0, TLS 1.0 and TLS 1.1") != NULL);
        latch_conn_free(s);
        /* With it: the list decides, whatever legacy_version says. */
        CHECK_ERR(send_ch(sc, LATCH_TLS12, &old[i], 1, NULL, 0, &s), LATCH_ERR_PROTOCOL_VERSION);
        CHECK(strstr(latch_conn_error(s)->detail, "below TLS 1.2") != NULL);
        latch_conn_free(s);
    }
    /* A legacy_version above 1.2 without supported_versions means "at least 1.2". */
    CHECK_OK(send_ch(sc, LATCH_TLS13, NULL, 0, NULL, 0, &s));
    CHECK_EQ(latch_conn_version(s), LATCH_TLS12);
    latch_conn_free(s);
    latch_config_free(sc);
}

/* RFC 7507: TLS_FALLBACK_SCSV below our best version is refused. */
static void test_fallback_scsv(void)
{
    static const uint16_t scsv = 0x5600, v12 = LATCH_TLS12;
    latch_config *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    latch_conn *s = NULL;

    CHECK_ERR(send_ch(sc, LATCH_TLS12, NULL, 0, &scsv, 1, &s), LATCH_ERR_INAPPROPRIATE_FALLBACK);
    CHECK_EQ(latch_conn_error(s)->alert, LATCH_ALERT_INAPPROPRIATE_FALLBACK);
    latch_conn_free(s);
    CHECK_ERR(send_ch(sc, LATCH_TLS12, &v12, 1, &scsv, 1, &s), LATCH_ERR_INAPPROPRIATE_FALLBACK);
    latch_conn_free(s);
    /* Without the SCSV the same hello is served in TLS 1.2. */
    CHECK_OK(send_ch(sc, LATCH_TLS12, NULL, 0, NULL, 0, &s));
    CHECK_EQ(latch_conn_version(s), LATCH_TLS12);
    latch_conn_free(s);
    latch_config_free(sc);
    /* A server whose best is TLS 1.2 has nothing to object to. */
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_versions(sc, LATCH_TLS12, LATCH_TLS12));
    CHECK_OK(send_ch(sc, LATCH_TLS12, NULL, 0, &scsv, 1, &s));
    latch_conn_free(s);
    latch_config_free(sc);
}

/* ---- Selection ------------------------------------------------------------------------ */

static void test_client_preference(void)
{
    latch_config *cc = client12(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    tpair p;

    REQUIRE_OK(latch_config_set_ciphers(cc, "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256"));
    REQUIRE_OK(latch_config_set_groups(cc, "secp384r1:x25519:secp256r1"));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_cipher_suite(p.s), LATCH_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256);
    CHECK_EQ(latch_conn_group(p.s), LATCH_GROUP_SECP384R1);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* With two chains, the suite the client prefers decides which certificate. */
static void test_chain_by_suite(void)
{
    latch_config *cc = client12(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    const tpki *rsa = tpki_get(LATCH_KEY_RSA2048);
    tpair p;

    REQUIRE_OK(latch_config_add_cert_mem(sc, (const uint8_t *)rsa->server, strlen(rsa->server),
                                         (const uint8_t *)rsa->server_key, strlen(rsa->server_key)));
    REQUIRE_OK(latch_config_load_ca_mem(cc, (const uint8_t *)rsa->ca, strlen(rsa->ca)));
    REQUIRE_OK(latch_config_set_ciphers(cc, "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256"));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_cipher_suite(p.c), LATCH_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384);
    CHECK_EQ(latch_conn_peer_sigalg(p.c), LATCH_SIG_RSA_PSS_RSAE_SHA256);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* With a P-384 and a P-256 certificate, the one on a curve the client lists. */
static void test_chain_by_curve(void)
{
    latch_config *cc = client12(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P384);
    const tpki *p256 = tpki_get(LATCH_KEY_ECDSA_P256);
    tpair p;

    REQUIRE_OK(latch_config_add_cert_mem(sc, (const uint8_t *)p256->server, strlen(p256->server),
                                         (const uint8_t *)p256->server_key, strlen(p256->server_key)));
    REQUIRE_OK(latch_config_set_groups(cc, "x25519:secp256r1"));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_peer_sigalg(p.c), LATCH_SIG_ECDSA_SECP256R1_SHA256);
    CHECK_EQ(latch_conn_group(p.c), LATCH_GROUP_X25519);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_alpn_sni(void)
{
    latch_config *cc = client12(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    tpair p;

    REQUIRE_OK(latch_config_set_alpn(cc, "h2,http/1.1"));
    REQUIRE_OK(latch_config_set_alpn(sc, "http/1.1,h2"));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_STR(latch_conn_alpn(p.c), "http/1.1");
    CHECK_STR(latch_conn_alpn(p.s), "http/1.1");
    CHECK_STR(latch_conn_server_name(p.s), "localhost");
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void expect_failure(latch_config *cc, latch_config *sc, latch_err server_err, uint8_t alert)
{
    tpair p;

    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK_ERR(latch_conn_error(p.s)->code, server_err);
    CHECK_EQ(latch_conn_error(p.s)->alert, alert);
    CHECK_ERR(latch_conn_error(p.c)->code, LATCH_ERR_PEER_ALERT);
    CHECK_EQ(latch_conn_error(p.c)->alert, alert);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_nothing_shared(void)
{
    latch_config *cc, *sc;

    cc = client12(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_ciphers(cc, "ECDHE-ECDSA-AES128-GCM-SHA256"));
    REQUIRE_OK(latch_config_set_ciphers(sc, "ECDHE-ECDSA-AES256-GCM-SHA384"));
    expect_failure(cc, sc, LATCH_ERR_NO_SHARED_CIPHER, LATCH_ALERT_HANDSHAKE_FAILURE);
    cc = client12(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_groups(cc, "x25519"));
    REQUIRE_OK(latch_config_set_groups(sc, "secp384r1"));
    expect_failure(cc, sc, LATCH_ERR_NO_SHARED_GROUP, LATCH_ALERT_HANDSHAKE_FAILURE);
    /* An ECDSA certificate and only ECDHE_RSA suites. */
    cc = client12(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_ciphers(cc, "ECDHE-RSA-AES128-GCM-SHA256"));
    expect_failure(cc, sc, LATCH_ERR_NO_SHARED_SIGALG, LATCH_ALERT_HANDSHAKE_FAILURE);
    /* RFC 4492 §5.3: the certificate's curve must be one the client lists. */
    cc = client12(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_groups(cc, "x25519:secp384r1"));
    expect_failure(cc, sc, LATCH_ERR_NO_SHARED_SIGALG, LATCH_ALERT_HANDSHAKE_FAILURE);
    /* A scheme the key cannot make. */
    cc = client12(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_sigalgs(cc, "rsa_pss_rsae_sha256"));
    expect_failure(cc, sc, LATCH_ERR_NO_SHARED_SIGALG, LATCH_ALERT_HANDSHAKE_FAILURE);
    cc = client12(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_alpn(cc, "h2"));
    REQUIRE_OK(latch_config_set_alpn(sc, "http/1.1"));
    expect_failure(cc, sc, LATCH_ERR_NO_APPLICATION_PROTOCOL, LATCH_ALERT_NO_APPLICATION_PROTOCOL);
}

/* ---- Client authentication (the TLS 1.2 half of issue 4) --------------------------------- */

static void add_client_cert(latch_config *cc, latch_key_type t)
{
    const tpki *k = tpki_get(t);

    if (latch_config_add_cert_mem(cc, (const uint8_t *)k->client, strlen(k->client), (const uint8_t *)k->client_key,
                                  strlen(k->client_key)) != LATCH_OK) {
        abort();
    }
}

/* A client certificate from a CA named "other CA", unknown to every server here. */
static void add_foreign_client_cert(latch_config *cc)
{
    static char ca[TPEM_MAX], ca_key[TPEM_MAX], leaf[TPEM_MAX], key[TPEM_MAX];
    latch_cert_spec spec;

    if (ca[0] == '\0') {
        memset(&spec, 0, sizeof spec);
        spec.key_type = LATCH_KEY_ECDSA_P256;
        spec.common_name = "other CA";
        spec.is_ca = true;
        spec.path_len = -1;
        if (latch_cert_mint(&spec, NULL, NULL, ca, sizeof ca, ca_key, sizeof ca_key) != LATCH_OK) {
            abort();
        }
        memset(&spec, 0, sizeof spec);
        spec.key_type = LATCH_KEY_ECDSA_P256;
        spec.common_name = "foreign client";
        spec.client_auth = true;
        if (latch_cert_mint(&spec, ca, ca_key, leaf, sizeof leaf, key, sizeof key) != LATCH_OK) {
            abort();
        }
    }
    if (latch_config_add_cert_mem(cc, (const uint8_t *)leaf, strlen(leaf), (const uint8_t *)key, strlen(key)) !=
        LATCH_OK) {
        abort();
    }
}

static latch_config *auth_server(latch_key_type server, latch_key_type client_ca, latch_client_auth mode)
{
    latch_config *sc = tcfg_server(server);
    const tpki *k = tpki_get(client_ca);

    if (latch_config_load_ca_mem(sc, (const uint8_t *)k->ca, strlen(k->ca)) != LATCH_OK ||
        latch_config_set_client_auth(sc, mode) != LATCH_OK) {
        abort();
    }
    return sc;
}

static void test_client_auth(void)
{
    static const struct {
        latch_key_type key;
        uint16_t sig;
    } rows[] = {
        {LATCH_KEY_ECDSA_P256, LATCH_SIG_ECDSA_SECP256R1_SHA256},
        {LATCH_KEY_ECDSA_P384, LATCH_SIG_ECDSA_SECP384R1_SHA384},
        {LATCH_KEY_RSA2048, LATCH_SIG_RSA_PSS_RSAE_SHA256},
        {LATCH_KEY_RSA_PSS2048, LATCH_SIG_RSA_PSS_PSS_SHA256},
        {LATCH_KEY_ED25519, LATCH_SIG_ED25519},
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        latch_config *cc = client12(LATCH_KEY_ECDSA_P256);
        latch_config *sc = auth_server(LATCH_KEY_ECDSA_P256, rows[i].key, LATCH_CLIENT_AUTH_REQUIRE);
        char subject[256];
        tpair p;

        add_client_cert(cc, rows[i].key);
        REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
        CHECK_OK(tpair_handshake(&p));
        CHECK_EQ(latch_conn_version(p.s), LATCH_TLS12);
        CHECK_OK(latch_conn_verify_result(p.s));
        REQUIRE_OK(latch_conn_peer_cert_subject(p.s, 0, subject, sizeof subject));
        CHECK(strstr(subject, "CN=test client") != NULL);
        /* A P-384 key signs with its own curve's scheme (preferred, though TLS 1.2 does not bind them). */
        CHECK_EQ(latch_conn_peer_sigalg(p.s), rows[i].sig);
        CHECK_EQ(latch_conn_sigalg(p.c), rows[i].sig);
        tpair_free(&p);
        latch_config_free(cc);
        latch_config_free(sc);
    }
}

/* RSA key transport with a client certificate: CertificateVerify after the ClientKeyExchange. */
static void test_client_auth_rsa_kx(void)
{
    latch_config *cc = client12(LATCH_KEY_RSA2048);
    latch_config *sc = auth_server(LATCH_KEY_RSA2048, LATCH_KEY_ECDSA_P256, LATCH_CLIENT_AUTH_REQUIRE);
    tpair p;

    REQUIRE_OK(latch_config_enable_legacy_rsa_kx(cc));
    REQUIRE_OK(latch_config_enable_legacy_rsa_kx(sc));
    REQUIRE_OK(latch_config_set_ciphers(cc, "AES256-GCM-SHA384"));
    add_client_cert(cc, LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_cipher_suite(p.s), LATCH_TLS_RSA_WITH_AES_256_GCM_SHA384);
    CHECK_OK(latch_conn_verify_result(p.s));
    CHECK_EQ(latch_conn_peer_sigalg(p.s), LATCH_SIG_ECDSA_SECP256R1_SHA256);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_client_auth_policy(void)
{
    latch_config *cc, *sc;
    char msg[512];
    tpair p;

    /* Required, and the client has none: handshake_failure (RFC 5246
     * §7.4.6; TLS 1.2 has no certificate_required), with a clear error on
     * both sides. */
    cc = client12(LATCH_KEY_ECDSA_P256);
    sc = auth_server(LATCH_KEY_ECDSA_P256, LATCH_KEY_ECDSA_P256, LATCH_CLIENT_AUTH_REQUIRE);
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK_ERR(latch_conn_error(p.s)->code, LATCH_ERR_HANDSHAKE_FAILURE);
    CHECK_EQ(latch_conn_error(p.s)->alert, LATCH_ALERT_HANDSHAKE_FAILURE);
    CHECK(strstr(latch_conn_error(p.s)->detail, "sent no certificate and this server requires one") != NULL);
    CHECK_ERR(latch_conn_error(p.c)->code, LATCH_ERR_PEER_ALERT);
    CHECK_EQ(latch_conn_error(p.c)->alert, LATCH_ALERT_HANDSHAKE_FAILURE);
    latch_conn_error_string(p.c, msg, sizeof msg);
    CHECK(strstr(msg, "asked for a client certificate") != NULL);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);

    /* Required, and the client's certificate is from a CA the server does not
     * list: the client sends none rather than one bound to fail. */
    cc = client12(LATCH_KEY_ECDSA_P256);
    sc = auth_server(LATCH_KEY_ECDSA_P256, LATCH_KEY_ECDSA_P256, LATCH_CLIENT_AUTH_REQUIRE);
    add_foreign_client_cert(cc);
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK_ERR(latch_conn_error(p.s)->code, LATCH_ERR_HANDSHAKE_FAILURE);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);

    /* Optional, none: done, no client identity. */
    cc = client12(LATCH_KEY_ECDSA_P256);
    sc = auth_server(LATCH_KEY_ECDSA_P256, LATCH_KEY_ECDSA_P256, LATCH_CLIENT_AUTH_OPTIONAL);
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_peer_cert_count(p.s), 0);
    CHECK_ERR(latch_conn_verify_result(p.s), LATCH_ERR_NO_CERTIFICATE);
    CHECK_EQ(latch_conn_sigalg(p.c), 0);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);

    /* None: no CertificateRequest, and a configured client certificate stays home. */
    cc = client12(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    add_client_cert(cc, LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_peer_cert_count(p.s), 0);
    CHECK_EQ(latch_conn_sigalg(p.c), 0);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* The client chooses among its chains by the CAs the server names. */
static void test_client_chain_by_ca(void)
{
    latch_config *cc = client12(LATCH_KEY_ECDSA_P256);
    latch_config *sc = auth_server(LATCH_KEY_ECDSA_P256, LATCH_KEY_RSA2048, LATCH_CLIENT_AUTH_REQUIRE);
    char issuer[256];
    tpair p;

    add_foreign_client_cert(cc); /* first, but from a CA the server does not name */
    add_client_cert(cc, LATCH_KEY_RSA2048);
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_OK(latch_conn_verify_result(p.s));
    CHECK_EQ(latch_conn_peer_sigalg(p.s), LATCH_SIG_RSA_PSS_RSAE_SHA256);
    REQUIRE_OK(latch_conn_peer_cert_issuer(p.s, 0, issuer, sizeof issuer));
    CHECK(strstr(issuer, "latch test CA") != NULL);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* A CertificateVerify that does not verify: decrypt_error. */
static void test_bad_client_cv(void)
{
    latch_config *cc = client12(LATCH_KEY_ECDSA_P256);
    latch_config *sc = auth_server(LATCH_KEY_ECDSA_P256, LATCH_KEY_ECDSA_P256, LATCH_CLIENT_AUTH_REQUIRE);
    tpair p;
    wire w;
    size_t at;

    add_client_cert(cc, LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpump(p.c, p.s));
    REQUIRE_OK(tpump(p.s, p.c));
    wire_drain(p.c, &w);
    at = wire_find_msg(&w, LATCH_HS_CERTIFICATE_VERIFY);
    REQUIRE(at != 0);
    w.b[at + 4 + 2 + 2 + 10] ^= 0x01; /* inside the DER signature */
    CHECK_ERR(wire_feed(p.s, &w, 0, w.n_recs), LATCH_ERR_BAD_SIGNATURE);
    CHECK_EQ(latch_conn_error(p.s)->alert, LATCH_ALERT_DECRYPT_ERROR);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* ---- After the handshake -------------------------------------------------------------------- */

/* RFC 5746: latch never renegotiates; a ClientHello on an established
 * connection is refused with no_renegotiation. */
static void test_renegotiation_refused(void)
{
    latch_config *cc = client12(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    static const uint16_t suite = LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    latch_client_hello_out ch;
    uint8_t msg[512];
    latch_wr w;
    tpair p;

    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    memset(&ch, 0, sizeof ch);
    ch.legacy_version = LATCH_TLS12;
    ch.suites = &suite;
    ch.n_suites = 1;
    ch.tls12 = true;
    latch_wr_init(&w, msg, sizeof msg);
    REQUIRE_OK(latch_client_hello_build(&w, &ch));
    /* Sent as the client's record layer would: protected by its keys. */
    REQUIRE_OK(latch__conn_send_record(p.c, LATCH_CT_HANDSHAKE, msg, latch_wr_len(&w)));
    CHECK_ERR(tpump(p.c, p.s), LATCH_ERR_RENEGOTIATION_REFUSED);
    CHECK_EQ(latch_conn_error(p.s)->alert, LATCH_ALERT_NO_RENEGOTIATION);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* CVE-2014-0224 style: a ChangeCipherSpec before the keys exist. */
static void test_early_ccs(void)
{
    latch_config *cc = client12(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    static const uint8_t ccs[] = {20, 3, 3, 0, 1, 1};
    size_t used;
    tpair p;

    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpump(p.c, p.s)); /* the server waits for the ClientKeyExchange */
    CHECK_ERR(latch_conn_feed(p.s, ccs, sizeof ccs, &used), LATCH_ERR_UNEXPECTED_MESSAGE);
    CHECK_EQ(latch_conn_error(p.s)->alert, LATCH_ALERT_UNEXPECTED_MESSAGE);
    CHECK(strstr(latch_conn_error(p.s)->detail, "ChangeCipherSpec in state 1.2 WAIT_CKE") != NULL);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* ---- Resumption ------------------------------------------------------------------------ */

static int64_t fake_now;

static int64_t fake_clock(void *user)
{
    (void)user;
    return fake_now;
}

static int64_t fixed_now;

static int64_t fixed_clock(void *user)
{
    (void)user;
    return fixed_now;
}

/* A full TLS 1.2 handshake; the client's session in sess[0..*n). */
static int first_session(latch_config *cc, latch_config *sc, uint8_t *sess, size_t cap, size_t *n)
{
    tpair p;
    int rc = -1;

    *n = 0;
    if (tpair_new(&p, cc, sc, "localhost") == LATCH_OK && tpair_handshake(&p) == LATCH_OK && !latch_conn_resumed(p.c) &&
        latch_conn_session(p.c, sess, cap, n) == LATCH_OK) {
        rc = 0;
    }
    tpair_free(&p);
    return rc;
}

/* Connect with sess offered; returns the handshake result, the pair open in *p. */
static latch_err resume_with(latch_config *cc, latch_config *sc, const char *name, const uint8_t *sess, size_t n,
                             tpair *p)
{
    latch_err e;

    memset(p, 0, sizeof *p);
    if ((e = latch_conn_new_server(sc, &p->s)) != LATCH_OK ||
        (e = latch_conn_new_client(cc, name, &p->c)) != LATCH_OK ||
        (e = latch_conn_set_session(p->c, sess, n)) != LATCH_OK) {
        return e;
    }
    return tpair_handshake(p);
}

static void test_resume(void)
{
    static const latch_session_store stores[] = {LATCH_SESSIONS_TICKETS, LATCH_SESSIONS_CACHE};
    const uint8_t msg[] = "resumed";

    for (size_t i = 0; i < 2; i++) {
        latch_config *cc = client12(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
        uint8_t sess[8192], again[8192];
        size_t n, n2;
        tpair p;

        REQUIRE_OK(latch_config_set_session_store(sc, stores[i], 8));
        REQUIRE_OK(latch_config_set_alpn(cc, "h2,http/1.1"));
        REQUIRE_OK(latch_config_set_alpn(sc, "http/1.1"));
        REQUIRE(first_session(cc, sc, sess, sizeof sess, &n) == 0);
        /* Twice from the same session: a TLS 1.2 session id or ticket is not single-use. */
        for (int round = 0; round < 2; round++) {
            CHECK_OK(resume_with(cc, sc, "localhost", sess, n, &p));
            CHECK(latch_conn_resumed(p.c));
            CHECK(latch_conn_resumed(p.s));
            CHECK_EQ(latch_conn_version(p.c), LATCH_TLS12);
            CHECK_EQ(latch_conn_cipher_suite(p.c), LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
            CHECK_EQ(latch_conn_peer_cert_count(p.c), 0); /* no Certificate in an abbreviated handshake */
            CHECK_OK(latch_conn_verify_result(p.c));       /* it was verified when the session was made */
            CHECK_EQ(latch_conn_group(p.c), 0);
            CHECK(latch_conn_alpn(p.c) != NULL && strcmp(latch_conn_alpn(p.c), "http/1.1") == 0); /* RFC 7301 §3.1 */
            CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
            CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
            /* The resumed connection can hand the session on. */
            CHECK_OK(latch_conn_session(p.c, again, sizeof again, &n2));
            tpair_free(&p);
        }
        latch_config_free(cc);
        latch_config_free(sc);
    }
}

/* When resumption does not happen, a full handshake does. */
static void test_resume_declined(void)
{
    latch_config *cc = client12(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256), *other;
    uint8_t sess[8192], buf[8192];
    size_t n, n2;
    tpair p;

    REQUIRE(first_session(cc, sc, sess, sizeof sess, &n) == 0);
    /* Another server (other ticket keys): the ticket does not open. */
    other = tcfg_server(LATCH_KEY_ECDSA_P256);
    CHECK_OK(resume_with(cc, other, "localhost", sess, n, &p));
    CHECK(!latch_conn_resumed(p.c) && !latch_conn_resumed(p.s));
    CHECK_EQ(latch_conn_peer_cert_count(p.c), 2);
    CHECK_OK(latch_conn_session(p.c, buf, sizeof buf, &n2)); /* a fresh session instead */
    tpair_free(&p);
    latch_config_free(other);
    /* Another name: the client does not offer it (RFC 6066 §3). */
    CHECK_OK(resume_with(cc, sc, "127.0.0.1", sess, n, &p));
    CHECK(!latch_conn_resumed(p.c));
    tpair_free(&p);
    /* A server that stores no sessions. */
    other = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_session_store(other, LATCH_SESSIONS_OFF, 1));
    CHECK_OK(resume_with(cc, other, "localhost", sess, n, &p));
    CHECK(!latch_conn_resumed(p.c));
    CHECK_ERR(latch_conn_session(p.c, buf, sizeof buf, &n2), LATCH_ERR_BAD_STATE); /* and makes none */
    tpair_free(&p);
    latch_config_free(other);
    /* A server that asks for client certificates neither resumes nor issues sessions. */
    other = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_load_ca_mem(other, (const uint8_t *)tpki_get(LATCH_KEY_ECDSA_P256)->ca,
                                        strlen(tpki_get(LATCH_KEY_ECDSA_P256)->ca)));
    REQUIRE_OK(latch_config_set_client_auth(other, LATCH_CLIENT_AUTH_OPTIONAL));
    CHECK_OK(resume_with(cc, other, "localhost", sess, n, &p));
    CHECK(!latch_conn_resumed(p.s));
    CHECK_ERR(latch_conn_session(p.c, buf, sizeof buf, &n2), LATCH_ERR_BAD_STATE);
    tpair_free(&p);
    latch_config_free(other);
    /* A client that no longer offers the session's suite. */
    latch_config_free(cc);
    cc = client12(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_ciphers(cc, "ECDHE-ECDSA-AES256-GCM-SHA384"));
    CHECK_OK(resume_with(cc, sc, "localhost", sess, n, &p));
    CHECK(!latch_conn_resumed(p.c));
    CHECK_EQ(latch_conn_cipher_suite(p.c), LATCH_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384);
    tpair_free(&p);
    latch_config_free(cc);
    /* A TLS 1.3-capable client offers it, but a TLS 1.3 server answers in 1.3. */
    cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    CHECK_OK(resume_with(cc, sc, "localhost", sess, n, &p));
    CHECK_EQ(latch_conn_version(p.c), LATCH_TLS13);
    CHECK(!latch_conn_resumed(p.c));
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
    /* ...while a TLS 1.2-only server resumes it for that client. */
    cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_versions(sc, LATCH_TLS12, LATCH_TLS12));
    REQUIRE(first_session(cc, sc, sess, sizeof sess, &n) == 0);
    CHECK_OK(resume_with(cc, sc, "localhost", sess, n, &p));
    CHECK_EQ(latch_conn_version(p.c), LATCH_TLS12);
    CHECK(latch_conn_resumed(p.c) && latch_conn_resumed(p.s));
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* Sessions expire: the server stops accepting them (here the client's
 * clock stands still, so it still offers them), and the client stops
 * offering them. */
static void test_resume_expired(void)
{
    static const latch_session_store stores[] = {LATCH_SESSIONS_TICKETS, LATCH_SESSIONS_CACHE};

    for (size_t i = 0; i < 2; i++) {
        latch_config *cc = client12(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
        latch_config *cc2 = client12(LATCH_KEY_ECDSA_P256);
        uint8_t sess[8192], hello[4096];
        latch_client_hello ch;
        size_t n;
        tpair p;
        wire w;

        fake_now = fixed_now = (int64_t)time(NULL);
        REQUIRE_OK(latch_config_set_time(cc, fixed_clock, NULL));
        REQUIRE_OK(latch_config_set_time(cc2, fake_clock, NULL));
        REQUIRE_OK(latch_config_set_time(sc, fake_clock, NULL));
        REQUIRE_OK(latch_config_set_session_store(sc, stores[i], 8));
        REQUIRE_OK(latch_config_set_tickets(sc, 2, 600));
        REQUIRE(first_session(cc, sc, sess, sizeof sess, &n) == 0);
        fake_now += 599;
        CHECK_OK(resume_with(cc, sc, "localhost", sess, n, &p));
        CHECK(latch_conn_resumed(p.s));
        tpair_free(&p);
        fake_now += 2;
        CHECK_OK(resume_with(cc, sc, "localhost", sess, n, &p));
        CHECK(!latch_conn_resumed(p.s));
        tpair_free(&p);
        /* A client whose clock also moved on does not offer a ticket past
         * its lifetime hint (a session id has no hint: the client keeps it
         * for its own ticket lifetime, 7200 s by default). */
        memset(&p, 0, sizeof p);
        REQUIRE_OK(latch_conn_new_client(cc2, "localhost", &p.c));
        REQUIRE_OK(latch_conn_set_session(p.c, sess, n));
        wire_drain(p.c, &w);
        REQUIRE(w.n > 9 && w.n - 9 <= sizeof hello);
        memcpy(hello, w.b + 9, w.n - 9);
        REQUIRE_OK(latch_client_hello_parse(latch_rd_make(hello, w.n - 9), &ch));
        CHECK(!latch_exts_has(&ch.exts, LATCH_X_SESSION_TICKET) || ch.exts.data[LATCH_X_SESSION_TICKET].len == 0);
        CHECK_EQ(ch.session_id.len, stores[i] == LATCH_SESSIONS_TICKETS ? 0 : 32);
        tpair_free(&p);
        latch_config_free(cc);
        latch_config_free(cc2);
        latch_config_free(sc);
    }
}

/* RFC 7627 §5.3: a session made with EMS, offered without it, aborts the handshake. */
static void test_resume_without_ems(void)
{
    latch_config *cc = client12(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    static const uint16_t suite = LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    uint8_t sess[8192], msg[4096], rec[4200], sid[32];
    latch_client_hello_out ch;
    latch_session s;
    latch_conn *srv = NULL;
    latch_wr w;
    size_t n, len, used;

    REQUIRE(first_session(cc, sc, sess, sizeof sess, &n) == 0);
    REQUIRE_OK(latch_session_decode(latch_rd_make(sess, n), &s));
    REQUIRE(s.ticket_len > 0 && s.ems);
    memset(sid, 0x5A, sizeof sid);
    memset(&ch, 0, sizeof ch);
    ch.legacy_version = LATCH_TLS12;
    memset(ch.random, 0x33, 32);
    ch.session_id = sid;
    ch.session_id_len = sizeof sid;
    ch.suites = &suite;
    ch.n_suites = 1;
    ch.server_name = "localhost";
    ch.reneg_info = true;         /* but no extended_master_secret */
    ch.session_ticket_ext = true; /* the ticket */
    ch.session_ticket = s.ticket;
    ch.session_ticket_len = s.ticket_len;
    latch_wr_init(&w, msg, sizeof msg);
    REQUIRE_OK(latch_client_hello_build(&w, &ch));
    len = wire_record(22, msg, latch_wr_len(&w), rec);
    REQUIRE_OK(latch_conn_new_server(sc, &srv));
    CHECK_ERR(latch_conn_feed(srv, rec, len, &used), LATCH_ERR_HANDSHAKE_FAILURE);
    CHECK_EQ(latch_conn_error(srv)->alert, LATCH_ALERT_HANDSHAKE_FAILURE);
    CHECK(strstr(latch_conn_error(srv)->detail, "RFC 7627") != NULL);
    latch_conn_free(srv);
    latch_session_wipe(&s);
    latch_config_free(cc);
    latch_config_free(sc);
}

static const latch_test cases[] = {
    TEST(test_matrix),
    TEST(test_bulk),
    TEST(test_rsa_key_transport),
    TEST(test_rsa_key_transport_off),
    TEST(test_bad_premaster),
    TEST(test_downgrade_sentinel),
    TEST(test_version_matrix),
    TEST(test_old_versions_refused),
    TEST(test_fallback_scsv),
    TEST(test_client_preference),
    TEST(test_chain_by_suite),
    TEST(test_chain_by_curve),
    TEST(test_alpn_sni),
    TEST(test_nothing_shared),
    TEST(test_client_auth),
    TEST(test_client_auth_rsa_kx),
    TEST(test_client_auth_policy),
    TEST(test_client_chain_by_ca),
    TEST(test_bad_client_cv),
    TEST(test_renegotiation_refused),
    TEST(test_early_ccs),
    TEST(test_resume),
    TEST(test_resume_declined),
    TEST(test_resume_expired),
    TEST(test_resume_without_ems),
    {0},
};

LATCH_TEST_MAIN(cases)
