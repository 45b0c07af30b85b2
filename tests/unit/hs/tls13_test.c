/*
 * TLS 1.3 beyond the first handshake (src/hs/tls13.c, with client.c and
 * server.c): resumption with tickets and the cache, psk_dhe_ke and psk_ke,
 * expired, garbled and replayed tickets, a tampered binder, resumption after
 * HelloRetryRequest, external PSKs, KeyUpdate and exporters.
 */
#include "harness.h"
#include "tls.h"

#include "conn.h"

#include <string.h>

static int64_t fake_now;

static int64_t fake_clock(void *user)
{
    (void)user;
    return fake_now;
}

/* A full handshake whose client keeps the newest ticket in sess. */
static size_t first_session(latch_config *cc, latch_config *sc, uint8_t *sess, size_t cap)
{
    tpair p;
    size_t n = 0;

    if (tpair_new(&p, cc, sc, "localhost") != LATCH_OK || tpair_handshake(&p) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "first handshake failed");
        tpair_free(&p);
        return 0;
    }
    CHECK(!latch_conn_resumed(p.c));
    CHECK_OK(latch_conn_session(p.c, sess, cap, &n));
    tpair_free(&p);
    return n;
}

/* Resume with sess; returns the pair after the handshake (caller frees). */
static latch_err resume(tpair *p, latch_config *cc, latch_config *sc, const uint8_t *sess, size_t n)
{
    latch_err e = tpair_new(p, cc, sc, "localhost");

    if (e == LATCH_OK) {
        e = latch_conn_set_session(p->c, sess, n);
    }
    return e == LATCH_OK ? tpair_handshake(p) : e;
}

static void test_resume_psk_dhe(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint8_t sess[4096];
    size_t n = first_session(cc, sc, sess, sizeof sess);
    const uint8_t msg[] = "resumed data";
    tpair p;

    REQUIRE(n > 0);
    CHECK_OK(resume(&p, cc, sc, sess, n));
    CHECK(latch_conn_resumed(p.c));
    CHECK(latch_conn_resumed(p.s));
    CHECK_EQ(latch_conn_group(p.c), LATCH_GROUP_X25519); /* psk_dhe_ke: forward secret */
    CHECK_EQ(latch_conn_peer_cert_count(p.c), 0);         /* no certificate this time */
    CHECK_OK(latch_conn_verify_result(p.c));              /* it was verified when made */
    CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
    CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
    /* The resumed connection gets tickets too. */
    CHECK_OK(latch_conn_session(p.c, sess, sizeof sess, &n));
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* Counts the NewSessionTickets a client receives. */
static void count_tickets(void *user, const latch_conn *c, const latch_trace_event *ev)
{
    (void)c;
    if (ev->kind == LATCH_TRACE_HANDSHAKE && !ev->sent && ev->hs_type == LATCH_HS_NEW_SESSION_TICKET) {
        (*(unsigned *)user)++;
    }
}

/* A full handshake gets the configured number of tickets, a resumption one
 * (replacing the ticket it used). */
static void test_tickets_after_resumption(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint8_t sess[4096];
    unsigned got = 0;
    size_t n;
    tpair p;

    REQUIRE_OK(latch_config_set_trace(cc, count_tickets, &got));
    REQUIRE_OK(latch_config_set_tickets(sc, 3, 3600));
    n = first_session(cc, sc, sess, sizeof sess);
    REQUIRE(n > 0);
    CHECK_EQ(got, 3);
    got = 0;
    CHECK_OK(resume(&p, cc, sc, sess, n));
    CHECK(latch_conn_resumed(p.c));
    CHECK_EQ(got, 1);
    CHECK_OK(latch_conn_session(p.c, sess, sizeof sess, &n)); /* the replacement resumes in turn */
    tpair_free(&p);
    got = 0;
    CHECK_OK(resume(&p, cc, sc, sess, n));
    CHECK(latch_conn_resumed(p.c));
    CHECK_EQ(got, 1);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_resume_psk_ke(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint8_t sess[4096];
    size_t n;
    tpair p;

    n = first_session(cc, sc, sess, sizeof sess);
    REQUIRE(n > 0);
    /* The client asks for psk_ke first, but the server does not allow it: psk_dhe_ke. */
    latch_config_free(cc);
    cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_allow_psk_ke(cc, true));
    CHECK_OK(resume(&p, cc, sc, sess, n));
    CHECK(latch_conn_resumed(p.s));
    CHECK_EQ(latch_conn_group(p.s), LATCH_GROUP_X25519);
    CHECK_OK(latch_conn_session(p.c, sess, sizeof sess, &n));
    tpair_free(&p);
    latch_config_free(sc);
    /* Both allow it: no key exchange at all. */
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_allow_psk_ke(sc, true));
    n = first_session(cc, sc, sess, sizeof sess);
    REQUIRE(n > 0);
    CHECK_OK(resume(&p, cc, sc, sess, n));
    CHECK(latch_conn_resumed(p.c) && latch_conn_resumed(p.s));
    CHECK_EQ(latch_conn_group(p.c), 0);
    CHECK_EQ(latch_conn_group(p.s), 0);
    {
        const uint8_t msg[] = "psk_ke";

        CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
    }
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* The cache makes tickets single-use: a replayed session gets a full handshake. */
static void test_cache_single_use(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint8_t sess[4096];
    size_t n;
    tpair p;

    REQUIRE_OK(latch_config_set_session_store(sc, LATCH_SESSIONS_CACHE, 16));
    n = first_session(cc, sc, sess, sizeof sess);
    REQUIRE(n > 0);
    CHECK_OK(resume(&p, cc, sc, sess, n));
    CHECK(latch_conn_resumed(p.s));
    tpair_free(&p);
    CHECK_OK(resume(&p, cc, sc, sess, n));
    CHECK(!latch_conn_resumed(p.s));
    CHECK_EQ(latch_conn_peer_cert_count(p.c), 2); /* a full handshake */
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* Expired, garbled and foreign tickets fall back to a full handshake. */
static void test_declined_tickets(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    latch_config *sc2 = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint8_t sess[4096];
    size_t n;
    tpair p;

    fake_now = 1800000000;
    REQUIRE_OK(latch_config_set_time(sc, fake_clock, NULL));
    REQUIRE_OK(latch_config_set_time(cc, fake_clock, NULL));
    REQUIRE_OK(latch_config_set_tickets(sc, 1, 60));
    n = first_session(cc, sc, sess, sizeof sess);
    REQUIRE(n > 0);
    /* Another server's keys cannot open it. */
    CHECK_OK(resume(&p, cc, sc2, sess, n));
    CHECK(!latch_conn_resumed(p.s));
    tpair_free(&p);
    /* Garbled: flip a byte inside the ticket (the last bytes of the session). */
    sess[n - 5] ^= 0x01;
    CHECK_OK(resume(&p, cc, sc, sess, n));
    CHECK(!latch_conn_resumed(p.s));
    tpair_free(&p);
    sess[n - 5] ^= 0x01;
    /* Fresh: resumes. */
    CHECK_OK(resume(&p, cc, sc, sess, n));
    CHECK(latch_conn_resumed(p.s));
    tpair_free(&p);
    /* Expired: the client does not even offer it. */
    fake_now += 61;
    CHECK_OK(resume(&p, cc, sc, sess, n));
    CHECK(!latch_conn_resumed(p.s));
    tpair_free(&p);
    CHECK_ERR(latch_conn_set_session(NULL, sess, n), LATCH_ERR_INVALID_ARGUMENT);
    latch_config_free(cc);
    latch_config_free(sc);
    latch_config_free(sc2);
}

/* A binder changed in transit: decrypt_error, fatal (RFC 8446 §4.2.11). */
static void test_tampered_binder(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint8_t sess[4096], ch[4096];
    const uint8_t *d;
    size_t n, len, used;
    tpair p;

    n = first_session(cc, sc, sess, sizeof sess);
    REQUIRE(n > 0);
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(latch_conn_set_session(p.c, sess, n));
    REQUIRE_OK(latch_conn_output(p.c, &d, &len));
    REQUIRE(len < sizeof ch);
    memcpy(ch, d, len);
    latch_conn_output_done(p.c, len);
    ch[len - 1] ^= 0x01; /* the binder is the ClientHello's last bytes */
    CHECK_ERR(latch_conn_feed(p.s, ch, len, &used), LATCH_ERR_BAD_PSK);
    CHECK_EQ(latch_conn_error(p.s)->alert, LATCH_ALERT_DECRYPT_ERROR);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* Resumption through a HelloRetryRequest: the second binder covers the retry. */
static void test_resume_after_hrr(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint8_t sess[4096];
    size_t n;
    tpair p;

    /* The client sends one share, for P-256; the server takes only P-384 or
     * X25519: every handshake needs a HelloRetryRequest. */
    REQUIRE_OK(latch_config_set_groups(cc, "secp256r1:secp384r1"));
    REQUIRE_OK(latch_config_set_key_shares(cc, 1));
    REQUIRE_OK(latch_config_set_groups(sc, "secp384r1:x25519"));
    n = first_session(cc, sc, sess, sizeof sess);
    REQUIRE(n > 0);
    CHECK_OK(resume(&p, cc, sc, sess, n));
    CHECK(latch_conn_hrr(p.c));
    CHECK(latch_conn_resumed(p.c));
    CHECK(latch_conn_resumed(p.s));
    CHECK_EQ(latch_conn_group(p.s), LATCH_GROUP_SECP384R1);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* A server that asks for client certificates does not resume. */
static void test_no_resume_with_client_auth(void)
{
    const tpki *k = tpki_get(LATCH_KEY_ECDSA_P256);
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint8_t sess[4096];
    size_t n = 0;
    tpair p;

    REQUIRE_OK(latch_config_load_ca_mem(sc, (const uint8_t *)k->ca, strlen(k->ca)));
    REQUIRE_OK(latch_config_set_client_auth(sc, LATCH_CLIENT_AUTH_OPTIONAL));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK_ERR(latch_conn_session(p.c, sess, sizeof sess, &n), LATCH_ERR_BAD_STATE);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_external_psk(void)
{
    static const uint8_t id[] = "device-17", key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    latch_config *cc, *sc;
    const uint8_t msg[] = "no certificates";
    tpair p;

    REQUIRE_OK(latch_config_new(&cc));
    REQUIRE_OK(latch_config_new(&sc));
    REQUIRE_OK(latch_config_insecure_no_verify(cc)); /* no CA: the PSK authenticates */
    REQUIRE_OK(latch_config_add_psk(cc, id, sizeof id, key, sizeof key, LATCH_TLS_AES_128_GCM_SHA256));
    REQUIRE_OK(latch_config_add_psk(sc, id, sizeof id, key, sizeof key, LATCH_TLS_AES_128_GCM_SHA256));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    CHECK(latch_conn_resumed(p.c) && latch_conn_resumed(p.s));
    CHECK_OK(latch_conn_verify_result(p.c));
    CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
    tpair_free(&p);
    /* A different key on one side: the binder fails, decrypt_error. */
    latch_config_free(cc);
    REQUIRE_OK(latch_config_new(&cc));
    REQUIRE_OK(latch_config_insecure_no_verify(cc));
    {
        uint8_t other[32] = {9};

        REQUIRE_OK(latch_config_add_psk(cc, id, sizeof id, other, sizeof other, LATCH_TLS_AES_128_GCM_SHA256));
    }
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK(tpair_handshake(&p) != LATCH_OK);
    CHECK_ERR(latch_conn_error(p.s)->code, LATCH_ERR_BAD_PSK);
    CHECK_EQ(latch_conn_error(p.c)->alert, LATCH_ALERT_DECRYPT_ERROR);
    tpair_free(&p);
    CHECK_ERR(latch_config_add_psk(cc, id, sizeof id, key, 8, LATCH_TLS_AES_128_GCM_SHA256),
              LATCH_ERR_CONFIG_FROZEN);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* KeyUpdate both ways, with and without update_requested; data keeps flowing. */
static void test_key_update(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    const uint8_t msg[] = "after key update";
    tpair p;

    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    CHECK_ERR(latch_conn_key_update(NULL, false), LATCH_ERR_INVALID_ARGUMENT);
    for (int i = 0; i < 3; i++) {
        CHECK_OK(latch_conn_key_update(p.c, i == 1));
        CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
        CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
        CHECK_OK(latch_conn_key_update(p.s, true));
        CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
        CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
    }
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void test_exporter(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint8_t a[48], b[48], c2[48], d[48];
    tpair p;

    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_ERR(latch_conn_export_keying_material(p.c, "EXPERIMENTAL x", NULL, 0, a, sizeof a), LATCH_ERR_BAD_STATE);
    REQUIRE_OK(tpair_handshake(&p));
    CHECK_OK(latch_conn_export_keying_material(p.c, "EXPERIMENTAL x", (const uint8_t *)"ctx", 3, a, sizeof a));
    CHECK_OK(latch_conn_export_keying_material(p.s, "EXPERIMENTAL x", (const uint8_t *)"ctx", 3, b, sizeof b));
    CHECK_MEM(a, sizeof a, b, sizeof b);
    CHECK_OK(latch_conn_export_keying_material(p.s, "EXPERIMENTAL y", (const uint8_t *)"ctx", 3, c2, sizeof c2));
    CHECK(memcmp(a, c2, sizeof a) != 0);
    CHECK_OK(latch_conn_export_keying_material(p.s, "EXPERIMENTAL x", NULL, 0, d, sizeof d));
    CHECK(memcmp(a, d, sizeof a) != 0);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/*
 * Resume with early data; deliver until both handshakes complete, reading
 * on the server as data arrives. Returns the bytes the server read, and in
 * *early_bytes those flagged LATCH_STATE_EARLY_DATA.
 */
static size_t run_early(latch_config *cc, latch_config *sc, const uint8_t *sess, size_t n, const char *data,
                        latch_early_status *cst, latch_early_status *sst, size_t *early_bytes, char *got)
{
    tpair p;
    size_t total = 0;

    *early_bytes = 0;
    if (tpair_new(&p, cc, sc, "localhost") != LATCH_OK || latch_conn_set_session(p.c, sess, n) != LATCH_OK ||
        latch_conn_write_early(p.c, (const uint8_t *)data, strlen(data)) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "setting up early data failed");
        tpair_free(&p);
        return 0;
    }
    for (int i = 0; i < 64; i++) {
        size_t r;

        (void)tpump(p.c, p.s);
        for (;;) {
            bool early = (latch_conn_state(p.s) & LATCH_STATE_EARLY_DATA) != 0;

            if (latch_conn_read_app(p.s, (uint8_t *)got + total, 256, &r) != LATCH_OK) {
                break;
            }
            total += r;
            *early_bytes += early ? r : 0;
        }
        (void)tpump(p.s, p.c);
        if ((latch_conn_state(p.c) & latch_conn_state(p.s) & LATCH_STATE_HANDSHAKE_DONE) &&
            !(latch_conn_state(p.c) & LATCH_STATE_HAS_OUTPUT) && !(latch_conn_state(p.s) & LATCH_STATE_HAS_APP_DATA)) {
            break;
        }
    }
    got[total] = '\0';
    *cst = latch_conn_early_status(p.c);
    *sst = latch_conn_early_status(p.s);
    CHECK(latch_conn_resumed(p.s) || *sst != LATCH_EARLY_ACCEPTED);
    CHECK(latch_conn_error(p.c)->code == LATCH_OK && latch_conn_error(p.s)->code == LATCH_OK);
    tpair_free(&p);
    return total;
}

static void test_early_data(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    const char *req = "GET /early HTTP/1.1\r\n\r\n";
    latch_early_status cs, ss;
    uint8_t sess[4096];
    char got[1024];
    size_t n, eb;

    REQUIRE_OK(latch_config_set_early_data(sc, 16384));
    n = first_session(cc, sc, sess, sizeof sess);
    REQUIRE(n > 0);
    /* Accepted: the server reads it once. */
    CHECK_EQ(run_early(cc, sc, sess, n, req, &cs, &ss, &eb, got), strlen(req));
    CHECK_EQ(cs, LATCH_EARLY_ACCEPTED);
    CHECK_EQ(ss, LATCH_EARLY_ACCEPTED);
    CHECK_EQ(eb, strlen(req)); /* flagged as early data */
    CHECK(strcmp(got, req) == 0);
    /* Reusing a (stateless) ticket with a new ClientHello is allowed. */
    CHECK_EQ(run_early(cc, sc, sess, n, req, &cs, &ss, &eb, got), strlen(req));
    CHECK_EQ(ss, LATCH_EARLY_ACCEPTED);
    /* A replay: the very bytes of a client's first flight, sent to the server
     * twice. The first server connection takes the early data, the second
     * refuses it (RFC 8446 §8.2, ClientHello recording). */
    {
        latch_conn *c, *s1, *s2;
        const uint8_t *d;
        uint8_t flight[8192], buf[256];
        size_t len, used, r;

        REQUIRE_OK(latch_conn_new_client(cc, "localhost", &c));
        REQUIRE_OK(latch_conn_set_session(c, sess, n));
        REQUIRE_OK(latch_conn_write_early(c, (const uint8_t *)req, strlen(req)));
        REQUIRE_OK(latch_conn_output(c, &d, &len));
        REQUIRE(len < sizeof flight);
        memcpy(flight, d, len);
        REQUIRE_OK(latch_conn_new_server(sc, &s1));
        REQUIRE_OK(latch_conn_new_server(sc, &s2));
        CHECK_OK(latch_conn_feed(s1, flight, len, &used));
        CHECK_EQ(latch_conn_early_status(s1), LATCH_EARLY_ACCEPTED);
        CHECK(latch_conn_state(s1) & LATCH_STATE_EARLY_DATA);
        CHECK_OK(latch_conn_read_app(s1, buf, sizeof buf, &r));
        CHECK_EQ(r, strlen(req));
        CHECK_OK(latch_conn_feed(s2, flight, len, &used));
        CHECK_EQ(used, len);
        CHECK_EQ(latch_conn_early_status(s2), LATCH_EARLY_REJECTED);
        CHECK(!(latch_conn_state(s2) & LATCH_STATE_HAS_APP_DATA));
        CHECK_ERR(latch_conn_read_app(s2, buf, sizeof buf, &r), LATCH_ERR_WANT_READ);
        latch_conn_free(c);
        latch_conn_free(s1);
        latch_conn_free(s2);
    }
    latch_config_free(sc);
    latch_config_free(cc);
}

/* A server that takes no early data: the data is resent after the handshake. */
static void test_early_declined(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    latch_config *sc2;
    const char *req = "hello early";
    latch_early_status cs, ss;
    uint8_t sess[4096];
    char got[1024];
    size_t n, eb;

    REQUIRE_OK(latch_config_set_early_data(sc, 4));
    n = first_session(cc, sc, sess, sizeof sess);
    REQUIRE(n > 0);
    /* The ticket allows 4 bytes only: the client does not even try. */
    CHECK_EQ(run_early(cc, sc, sess, n, req, &cs, &ss, &eb, got), strlen(req));
    CHECK_EQ(cs, LATCH_EARLY_NONE);
    CHECK_EQ(eb, 0);
    CHECK(strcmp(got, req) == 0);
    /* A server that never allowed it: the ticket says 0; full data once. */
    sc2 = tcfg_server(LATCH_KEY_ECDSA_P256);
    n = first_session(cc, sc2, sess, sizeof sess);
    REQUIRE(n > 0);
    CHECK_EQ(run_early(cc, sc2, sess, n, req, &cs, &ss, &eb, got), strlen(req));
    CHECK(strcmp(got, req) == 0);
    latch_config_free(sc);
    latch_config_free(sc2);
    latch_config_free(cc);
}

/* Single-use cache tickets: the second early attempt gets a full handshake. */
static void test_early_cache(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    const char *req = "once";
    latch_early_status cs, ss;
    uint8_t sess[4096];
    char got[1024];
    size_t n, eb;

    REQUIRE_OK(latch_config_set_early_data(sc, 1024));
    REQUIRE_OK(latch_config_set_session_store(sc, LATCH_SESSIONS_CACHE, 8));
    n = first_session(cc, sc, sess, sizeof sess);
    REQUIRE(n > 0);
    CHECK_EQ(run_early(cc, sc, sess, n, req, &cs, &ss, &eb, got), strlen(req));
    CHECK_EQ(ss, LATCH_EARLY_ACCEPTED);
    CHECK_EQ(run_early(cc, sc, sess, n, req, &cs, &ss, &eb, got), strlen(req));
    CHECK_EQ(ss, LATCH_EARLY_REJECTED);
    CHECK_EQ(eb, 0); /* resent after the handshake: ordinary data */
    CHECK(strcmp(got, req) == 0);
    latch_config_free(sc);
    latch_config_free(cc);
}

/* TLS 1.2 exporters (RFC 5705): both ends agree; no context differs from an
 * empty one; the PRF's own labels are refused. */
static void test_exporter12(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    uint8_t a[32], b[32], c2[32];
    tpair p;

    REQUIRE_OK(latch_config_set_versions(cc, LATCH_TLS12, LATCH_TLS12));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    REQUIRE(latch_conn_version(p.s) == LATCH_TLS12);
    CHECK_OK(latch_conn_export_keying_material(p.c, "EXPERIMENTAL x", NULL, 0, a, sizeof a));
    CHECK_OK(latch_conn_export_keying_material(p.s, "EXPERIMENTAL x", NULL, 0, b, sizeof b));
    CHECK_MEM(a, sizeof a, b, sizeof b);
    CHECK_OK(latch_conn_export_keying_material(p.s, "EXPERIMENTAL x", (const uint8_t *)"", 0, c2, sizeof c2));
    CHECK(memcmp(a, c2, sizeof a) != 0);
    CHECK_ERR(latch_conn_export_keying_material(p.c, "master secret", NULL, 0, a, sizeof a),
              LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_conn_export_keying_material(p.c, "", NULL, 0, a, sizeof a), LATCH_ERR_INVALID_ARGUMENT);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* RFC 8446 §5.5: before a key reaches its usage limit, latch updates it by
 * itself (the limit is lowered here; the real one is 2^24.5 AES-GCM records). */
static void test_auto_key_update(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    const uint8_t msg[] = "near the AEAD limit";
    latch_secret before;
    tpair p;

    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    before = p.c->wr_secret;
    p.c->wr.limit = 3;
    for (int i = 0; i < 6; i++) {
        CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
    }
    /* The write secret moved on, and the server followed (its read secret too). */
    CHECK(memcmp(before.b, p.c->wr_secret.b, before.len) != 0);
    CHECK_MEM(p.c->wr_secret.b, p.c->wr_secret.len, p.s->rd_secret.b, p.s->rd_secret.len);
    CHECK(p.c->wr.limit > 1000);
    CHECK(latch_conn_error(p.s)->code == LATCH_OK);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

static const latch_test cases[] = {
    TEST(test_resume_psk_dhe),
    TEST(test_tickets_after_resumption),
    TEST(test_resume_psk_ke),
    TEST(test_cache_single_use),
    TEST(test_declined_tickets),
    TEST(test_tampered_binder),
    TEST(test_resume_after_hrr),
    TEST(test_no_resume_with_client_auth),
    TEST(test_external_psk),
    TEST(test_key_update),
    TEST(test_exporter),
    TEST(test_exporter12),
    TEST(test_auto_key_update),
    TEST(test_early_data),
    TEST(test_early_declined),
    TEST(test_early_cache),
    {0},
};

LATCH_TEST_MAIN(cases)
