/*
 * The constant-time check (ctgrind method). Built with LATCH_CT_VALGRIND
 * and run under valgrind's memcheck by `make ct`: secrets are marked
 * undefined (core/ct.h says where they are born and where the protocol makes
 * values public), and memcheck reports every branch or memory index in
 * latch's code computed from them. libcrypto's own code is out of scope
 * (tests/ct/libcrypto.supp): its AES-NI/GHASH and field arithmetic are its
 * maintainers' to keep constant-time, and its wrappers branch on the verdicts
 * it computes from secrets (a tag comparison), which are public.
 *
 * What runs:
 *   - the constant-time primitives on secret inputs;
 *   - TLS 1.3 and TLS 1.2 record decryption under secret keys, with every
 *     padding length up to 300 and each content type, a forged record, and
 *     an all-padding record (the padding scan must not branch on the
 *     plaintext);
 *   - whole handshakes (ECDHE secret marked at birth, so every derived
 *     secret, Finished value and record key is secret), with client
 *     certificates, HelloRetryRequest, application data both ways,
 *     KeyUpdate both ways and close_notify: the Finished comparisons on both
 *     sides and every record opened are checked.
 *   - TLS 1.2 handshakes: ECDHE with AES-GCM and ChaCha20-Poly1305, and RSA
 *     key transport (the decrypted premaster marked secret where it is
 *     born, also for a ciphertext that fails to decrypt), with a client
 *     certificate;
 *   - resumption: a TLS 1.3 PSK handshake (the server's binder comparison,
 *     the PSK derived from a secret resumption master secret, the ticket
 *     sealed and opened) and a TLS 1.2 ticket resumption.
 *
 * In an ordinary build the marks are no-ops and this is a functional test.
 */
#include "harness.h"
#include "tls.h"

#include "core/ct.h"
#include "record/protect.h"
#include "record/record.h"

#include <string.h>

/* ---- Primitives ------------------------------------------------------------------------ */

static void test_primitives(void)
{
    uint8_t a[64], b[64], pad[300];
    uint32_t x = 5, y = 7, m;
    size_t pos;

    for (size_t i = 0; i < sizeof a; i++) {
        a[i] = b[i] = (uint8_t)(i * 31 + 1);
    }
    LATCH_CT_SECRET(a, sizeof a);
    LATCH_CT_SECRET(b, sizeof b);
    CHECK_EQ(latch_ct_eq(a, b, sizeof a), 1); /* the verdict is public by design */
    b[63] ^= 1;
    CHECK_EQ(latch_ct_eq(a, b, sizeof a), 0);
    b[0] ^= 0x80;
    CHECK_EQ(latch_ct_eq(a, b, 1), 0);

    LATCH_CT_SECRET(&x, sizeof x);
    LATCH_CT_SECRET(&y, sizeof y);
    m = latch_ct_lt32(x, y) ^ latch_ct_eq32(x, y) ^ latch_ct_is_zero(x - 5);
    LATCH_CT_PUBLIC(&m, sizeof m);
    CHECK_EQ(m, 0); /* all ones, xor zero, xor all ones */
    m = latch_ct_lt32(x, y);
    latch_ct_select(a, b, sizeof a, m);
    LATCH_CT_PUBLIC(a, sizeof a);
    LATCH_CT_PUBLIC(b, sizeof b);
    CHECK_MEM(a, sizeof a, b, sizeof b);

    /* The TLS 1.3 padding scan: every position of the last non-zero byte. */
    for (size_t last = 0; last <= sizeof pad; last++) {
        memset(pad, 0, sizeof pad);
        if (last > 0) {
            pad[last - 1] = LATCH_CT_HANDSHAKE;
            pad[0] = 0x55;
        }
        LATCH_CT_SECRET(pad, sizeof pad);
        pos = latch_ct_last_nonzero(pad, sizeof pad);
        LATCH_CT_PUBLIC(&pos, sizeof pos);
        if (pos != last) {
            latch_test_fail(__FILE__, __LINE__, "last non-zero byte at %zu, scan says %zu", last, pos);
        }
    }
}

/* ---- Record decryption under secret keys ---------------------------------------------------- */

static const uint8_t aeads[3] = {LATCH_AEAD_AES_128_GCM, LATCH_AEAD_AES_256_GCM, LATCH_AEAD_CHACHA20_POLY1305};

static void secret_dirs(latch_rec_dir *wr, latch_rec_dir *rd, const latch_aead_alg *aead, bool tls13)
{
    uint8_t key[32], iv[12];
    size_t iv_len = tls13 || aead->id == LATCH_AEAD_CHACHA20_POLY1305 ? 12 : 4;

    for (size_t i = 0; i < sizeof key; i++) {
        key[i] = (uint8_t)(0x11 * i + 3);
    }
    memset(iv, 0x5A, sizeof iv);
    LATCH_CT_SECRET(key, sizeof key);
    LATCH_CT_SECRET(iv, sizeof iv);
    memset(wr, 0, sizeof *wr);
    memset(rd, 0, sizeof *rd);
    if (tls13) {
        REQUIRE_OK(latch_rec_dir_set13(wr, aead, key, iv, true));
        REQUIRE_OK(latch_rec_dir_set13(rd, aead, key, iv, false));
    } else {
        REQUIRE_OK(latch_rec_dir_set12(wr, aead, key, iv, iv_len, true));
        REQUIRE_OK(latch_rec_dir_set12(rd, aead, key, iv, iv_len, false));
    }
}

static void test_record_open(void)
{
    static uint8_t buf[LATCH_REC_BUF_MAX + 64];
    static const uint8_t types[3] = {LATCH_CT_HANDSHAKE, LATCH_CT_ALERT, LATCH_CT_APPLICATION_DATA};

    for (int v = 0; v < 2; v++) {
        for (size_t a = 0; a < 3; a++) {
            const latch_aead_alg *aead = latch_provider_aead(latch_provider_openssl(), aeads[a]);
            latch_rec_dir wr, rd;

            REQUIRE(aead != NULL);
            secret_dirs(&wr, &rd, aead, v == 0);
            for (size_t pad = 0; pad <= (v == 0 ? 300u : 0u); pad += (pad < 20 ? 1 : 37)) {
                for (size_t t = 0; t < 3; t++) {
                    size_t len = types[t] == LATCH_CT_ALERT ? 2 : 1 + pad % 50, rec_len;
                    size_t pre = latch_rec_prefix(&wr);
                    uint8_t type;
                    latch_rd plain;

                    memset(buf + pre, 0x42, len);
                    buf[pre] = 1;
                    REQUIRE_OK(latch_rec_seal(&wr, types[t], buf, len, pad, sizeof buf, &rec_len));
                    REQUIRE_OK(latch_rec_open(&rd, buf, rec_len, &type, &plain));
                    CHECK_EQ(type, types[t]);
                    CHECK_EQ(plain.len, len);
                }
            }
            /* A forged record: the tag check fails, the body is wiped. */
            {
                size_t rec_len, pre = latch_rec_prefix(&wr);
                uint8_t type;
                latch_rd plain;

                memset(buf + pre, 7, 40);
                REQUIRE_OK(latch_rec_seal(&wr, LATCH_CT_APPLICATION_DATA, buf, 40, 0, sizeof buf, &rec_len));
                buf[rec_len - 1] ^= 1;
                CHECK_ERR(latch_rec_open(&rd, buf, rec_len, &type, &plain), LATCH_ERR_BAD_RECORD_MAC);
            }
            /* TLS 1.3: all padding, no content type. */
            if (v == 0) {
                uint8_t nonce[LATCH_AEAD_NONCE_LEN], type;
                size_t inner = 64;
                latch_rd plain;

                memset(buf, 0, sizeof buf);
                buf[0] = LATCH_CT_APPLICATION_DATA;
                buf[1] = buf[2] = 3;
                buf[4] = (uint8_t)(inner + aead->tag_len);
                wr.seq = rd.seq;
                latch__rec_nonce_xor(&wr, nonce);
                REQUIRE_OK(aead->seal(wr.ctx, nonce, buf, 5, buf + 5, inner, buf + 5 + inner));
                LATCH_CT_PUBLIC(buf, 5 + inner + aead->tag_len);
                CHECK_ERR(latch_rec_open(&rd, buf, 5 + inner + aead->tag_len, &type, &plain),
                          LATCH_ERR_RECORD_NO_CONTENT_TYPE);
            }
            latch_rec_dir_clear(&wr);
            latch_rec_dir_clear(&rd);
        }
    }
}

/* ---- Whole handshakes ---------------------------------------------------------------------------- */

static latch_config *server_cfg(latch_key_type type, bool client_auth)
{
    latch_config *cfg = tcfg_server(type);

    if (client_auth && (latch_config_set_client_auth(cfg, LATCH_CLIENT_AUTH_REQUIRE) != LATCH_OK ||
                        latch_config_load_ca_mem(cfg, (const uint8_t *)tpki_get(type)->ca,
                                                 strlen(tpki_get(type)->ca)) != LATCH_OK)) {
        return NULL;
    }
    return cfg;
}

static latch_config *client_cfg(latch_key_type type, bool cert, bool hrr)
{
    latch_config *cfg = tcfg_client(type);
    const tpki *p = tpki_get(type);

    if (cert && latch_config_add_cert_mem(cfg, (const uint8_t *)p->client, strlen(p->client),
                                          (const uint8_t *)p->client_key, strlen(p->client_key)) != LATCH_OK) {
        return NULL;
    }
    if (hrr && latch_config_set_key_shares(cfg, 0) != LATCH_OK) {
        return NULL;
    }
    return cfg;
}

static void one_handshake(latch_key_type type, bool client_auth, bool hrr, const char *suite)
{
    static const uint8_t ping[] = "ping: application data under secret keys";
    latch_config *sc = server_cfg(type, client_auth), *cc = client_cfg(type, client_auth, hrr);
    tpair p;

    REQUIRE(sc != NULL && cc != NULL);
    if (suite != NULL) {
        REQUIRE_OK(latch_config_set_ciphers(sc, suite));
    }
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_hrr(p.c), hrr);
    CHECK_EQ(tpair_roundtrip(p.c, p.s, ping, sizeof ping), 0);
    CHECK_EQ(tpair_roundtrip(p.s, p.c, ping, sizeof ping), 0);
    CHECK_OK(latch_conn_key_update(p.c, true));
    CHECK_EQ(tpair_roundtrip(p.c, p.s, ping, sizeof ping), 0);
    CHECK_EQ(tpair_roundtrip(p.s, p.c, ping, sizeof ping), 0);
    CHECK_OK(latch_conn_key_update(p.s, false));
    CHECK_EQ(tpair_roundtrip(p.s, p.c, ping, sizeof ping), 0);
    CHECK_OK(latch_conn_close(p.c));
    CHECK_ERR(tpump(p.c, p.s), LATCH_ERR_CLOSE_NOTIFY);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* (memcheck reports a secret-dependent branch whichever way it goes, so a
 * matching Finished exercises the comparison as well as a failing one.) */
static void test_handshakes(void)
{
    one_handshake(LATCH_KEY_ECDSA_P256, false, false, NULL);
    one_handshake(LATCH_KEY_ECDSA_P256, true, true, "TLS_AES_256_GCM_SHA384");
    one_handshake(LATCH_KEY_ED25519, true, false, "TLS_CHACHA20_POLY1305_SHA256");
}

/* ---- TLS 1.2 ------------------------------------------------------------------------------------- */

static void one_handshake12(latch_key_type type, const char *suite, bool rsa_kx, bool client_auth)
{
    static const uint8_t ping[] = "ping: TLS 1.2 application data under secret keys";
    latch_config *sc = server_cfg(type, client_auth), *cc = client_cfg(type, client_auth, false);
    tpair p;

    REQUIRE(sc != NULL && cc != NULL);
    REQUIRE_OK(latch_config_set_versions(cc, LATCH_TLS12, LATCH_TLS12));
    if (rsa_kx) {
        REQUIRE_OK(latch_config_enable_legacy_rsa_kx(cc));
        REQUIRE_OK(latch_config_enable_legacy_rsa_kx(sc));
    }
    REQUIRE_OK(latch_config_set_ciphers(cc, suite));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(latch_conn_version(p.c), LATCH_TLS12);
    CHECK_EQ(tpair_roundtrip(p.c, p.s, ping, sizeof ping), 0);
    CHECK_EQ(tpair_roundtrip(p.s, p.c, ping, sizeof ping), 0);
    CHECK_OK(latch_conn_close(p.c));
    CHECK_ERR(tpump(p.c, p.s), LATCH_ERR_CLOSE_NOTIFY);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* RSA key transport whose ClientKeyExchange was damaged in transit: the
 * server decrypts to a random premaster (never branching on why) and the
 * handshake fails only at the client's Finished record. */
static void rsa_bad_premaster(void)
{
    latch_config *sc = server_cfg(LATCH_KEY_RSA2048, false), *cc = client_cfg(LATCH_KEY_RSA2048, false, false);
    const uint8_t *out = NULL;
    uint8_t buf[16384];
    size_t n = 0, used = 0;
    tpair p;

    REQUIRE(sc != NULL && cc != NULL);
    REQUIRE_OK(latch_config_set_versions(cc, LATCH_TLS12, LATCH_TLS12));
    REQUIRE_OK(latch_config_enable_legacy_rsa_kx(cc));
    REQUIRE_OK(latch_config_enable_legacy_rsa_kx(sc));
    REQUIRE_OK(latch_config_set_ciphers(cc, "AES128-GCM-SHA256"));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpump(p.c, p.s)); /* ClientHello */
    REQUIRE_OK(tpump(p.s, p.c)); /* ServerHello .. ServerHelloDone */
    /* The client's flight: ClientKeyExchange (one record: 5 + 4 + 2 +
     * 256), then ChangeCipherSpec and Finished. Flip a ciphertext byte. */
    REQUIRE_OK(latch_conn_output(p.c, &out, &n));
    REQUIRE(n > 5 + 4 + 2 + 256 && n <= sizeof buf);
    memcpy(buf, out, n);
    REQUIRE(buf[0] == 22 && buf[5] == 16);
    buf[5 + 4 + 2 + 100] ^= 0x40;
    CHECK_ERR(latch_conn_feed(p.s, buf, n, &used), LATCH_ERR_BAD_RECORD_MAC);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_tls12(void)
{
    one_handshake12(LATCH_KEY_ECDSA_P256, "ECDHE-ECDSA-AES128-GCM-SHA256", false, true);
    one_handshake12(LATCH_KEY_ED25519, "ECDHE-ECDSA-CHACHA20-POLY1305", false, false);
    one_handshake12(LATCH_KEY_RSA2048, "AES256-GCM-SHA384", true, true);
    rsa_bad_premaster();
}

/* ---- Resumption ------------------------------------------------------------------------------------ */

static void resumption(uint16_t version)
{
    static const uint8_t ping[] = "ping: resumed";
    latch_config *sc = server_cfg(LATCH_KEY_ECDSA_P256, false), *cc = client_cfg(LATCH_KEY_ECDSA_P256, false, false);
    uint8_t sess[4096];
    size_t n = 0;
    tpair p;

    REQUIRE(sc != NULL && cc != NULL);
    REQUIRE_OK(latch_config_set_versions(cc, version, version));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    /* TLS 1.3 tickets come after the handshake, with the first data. */
    CHECK_EQ(tpair_roundtrip(p.s, p.c, ping, sizeof ping), 0);
    CHECK_OK(latch_conn_session(p.c, sess, sizeof sess, &n));
    tpair_free(&p);
    REQUIRE(n > 0);
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(latch_conn_set_session(p.c, sess, n));
    CHECK_OK(tpair_handshake(&p));
    CHECK(latch_conn_resumed(p.c) && latch_conn_resumed(p.s));
    CHECK_EQ(tpair_roundtrip(p.c, p.s, ping, sizeof ping), 0);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_resumption(void)
{
    resumption(LATCH_TLS13);
    resumption(LATCH_TLS12);
}

static const latch_test cases[] = {
    TEST(test_primitives),
    TEST(test_record_open),
    TEST(test_handshakes),
    TEST(test_tls12),
    TEST(test_resumption),
    {0},
};

LATCH_TEST_MAIN(cases)
