/*
 * The TLS 1.2 pieces shared by both roles (src/hs/tls12.c): which
 * certificate keys fit which suites, the key log line, and the handshake
 * messages kept for a CertificateVerify only as long as needed.
 */
#include "harness.h"
#include "tls.h"
#include "wire.h"

#include "conn.h"
#include "hs/hs.h"
#include "hs/states.h"

#include <stdio.h>
#include <string.h>

static void test_key_fits_suite(void)
{
    static const struct {
        uint16_t suite;
        uint8_t type;
        uint32_t bits;
        bool fits;
    } rows[] = {
        {LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, LATCH_PKEY_EC, 256, true},
        {LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, LATCH_PKEY_ED25519, 253, true},
        {LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, LATCH_PKEY_RSA, 2048, false},
        {LATCH_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, LATCH_PKEY_RSA, 2048, true},
        {LATCH_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, LATCH_PKEY_RSA_PSS, 2048, true},
        {LATCH_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, LATCH_PKEY_EC, 256, false},
        {LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256, LATCH_PKEY_RSA, 2048, true},
        {LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256, LATCH_PKEY_RSA, 8192, true},
        {LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256, LATCH_PKEY_RSA, 2047, false},
        {LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256, LATCH_PKEY_RSA, 8193, false},
        {LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256, LATCH_PKEY_RSA_PSS, 2048, false},
        {LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256, LATCH_PKEY_EC, 256, false},
        {LATCH_TLS_AES_128_GCM_SHA256, LATCH_PKEY_EC, 256, false},
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        latch_pkey_info k = {rows[i].type, 0, rows[i].bits};
        const char *why = NULL;
        bool fits = latch__tls12_key_fits_suite(latch_suite_by_id(rows[i].suite), k, &why);

        if (fits != rows[i].fits) {
            latch_test_fail(__FILE__, __LINE__, "row %zu: suite 0x%04x, key type %u of %u bits: %s", i,
                            rows[i].suite, rows[i].type, rows[i].bits, fits ? "fits" : why);
        }
        CHECK(fits || (why != NULL && why[0] != '\0'));
    }
}

/* The NSS key log format for TLS 1.2: CLIENT_RANDOM <client random> <master secret>. */
typedef struct keylog {
    char line[2][256];
    int n;
} keylog;

static void keylog_cb(void *user, const latch_conn *c, const char *line)
{
    keylog *k = user;

    (void)c;
    if (k->n < 2) {
        snprintf(k->line[k->n++], sizeof k->line[0], "%s", line);
    }
}

static void test_keylog(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    keylog kc = {{{0}}, 0}, ks = {{{0}}, 0};
    tpair p;

    REQUIRE_OK(latch_config_set_versions(cc, LATCH_TLS12, LATCH_TLS12));
    REQUIRE_OK(latch_config_set_keylog(cc, keylog_cb, &kc));
    REQUIRE_OK(latch_config_set_keylog(sc, keylog_cb, &ks));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    CHECK_EQ(kc.n, 1);
    CHECK_EQ(ks.n, 1);
    CHECK(strncmp(kc.line[0], "CLIENT_RANDOM ", 14) == 0);
    /* "CLIENT_RANDOM " + 64 hex + " " + 96 hex (48 bytes). */
    CHECK_EQ(strlen(kc.line[0]), 14 + 64 + 1 + 96);
    CHECK(strcmp(kc.line[0], ks.line[0]) == 0);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* A server that asks for a certificate keeps the handshake messages until
 * the CertificateVerify is checked, then frees them; a client keeps them
 * only if it has a certificate to offer. */
static void test_messages_kept(void)
{
    const tpki *k = tpki_get(LATCH_KEY_ECDSA_P256);
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    wire w;
    tpair p;

    REQUIRE_OK(latch_config_set_versions(cc, LATCH_TLS12, LATCH_TLS12));
    REQUIRE_OK(latch_config_add_cert_mem(cc, (const uint8_t *)k->client, strlen(k->client),
                                         (const uint8_t *)k->client_key, strlen(k->client_key)));
    REQUIRE_OK(latch_config_load_ca_mem(sc, (const uint8_t *)k->ca, strlen(k->ca)));
    REQUIRE_OK(latch_config_set_client_auth(sc, LATCH_CLIENT_AUTH_REQUIRE));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpump(p.c, p.s)); /* the ClientHello is built on first output */
    REQUIRE(p.c->hs != NULL && p.c->hs->keep_msgs && p.c->hs->msgs_len > 0);
    REQUIRE(p.s->hs != NULL && p.s->hs->keep_msgs && p.s->hs->msgs_len > 0);
    REQUIRE_OK(tpump(p.s, p.c));
    CHECK(p.c->hs->msgs == NULL && !p.c->hs->keep_msgs); /* signed and sent: dropped */
    wire_drain(p.c, &w);
    /* Certificate, ClientKeyExchange, CertificateVerify; then CCS and Finished. */
    REQUIRE(w.n_recs == 3);
    CHECK_OK(wire_feed(p.s, &w, 0, 1));
    CHECK(p.s->hs->msgs == NULL && !p.s->hs->keep_msgs);
    CHECK_OK(wire_feed(p.s, &w, 1, 3));
    CHECK_OK(tpump(p.s, p.c));
    CHECK(latch_conn_state(p.c) & latch_conn_state(p.s) & LATCH_STATE_HANDSHAKE_DONE);
    tpair_free(&p);
    /* A client without a certificate keeps nothing. */
    latch_config_free(cc);
    cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_versions(cc, LATCH_TLS12, LATCH_TLS12));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpump(p.c, p.s));
    CHECK(!p.c->hs->keep_msgs && p.c->hs->msgs == NULL);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* The TLS 1.2 edges of both tables: well formed, no two for the same
 * (state, content type, message), every TLS 1.2 state has a way out (but
 * the connected one only for post-handshake messages), and every state an
 * edge may lead to has edges of its own. */
static void check_table(const latch_hs_table *t, uint8_t first12, uint8_t connected12)
{
    uint64_t targets = 0;

    for (size_t i = 0; i < t->n_edges12; i++) {
        const latch_hs_edge *e = &t->edges12[i];

        CHECK(e->handler != NULL);
        CHECK(e->state < t->n_states);
        CHECK(e->content_type == LATCH_CT_HANDSHAKE || e->content_type == LATCH_CT_CHANGE_CIPHER_SPEC);
        CHECK(e->next != 0 && (e->next >> t->n_states) == 0);
        targets |= e->next;
        for (size_t j = 0; j < i; j++) {
            const latch_hs_edge *f = &t->edges12[j];

            CHECK(!(f->state == e->state && f->content_type == e->content_type && f->hs_type == e->hs_type));
        }
    }
    for (uint8_t st = first12; st < t->n_states; st++) {
        bool out = false;

        for (size_t i = 0; i < t->n_edges12; i++) {
            out = out || t->edges12[i].state == st;
        }
        if (!out) {
            latch_test_fail(__FILE__, __LINE__, "%s state %s has no edge", t->role, t->state_names[st]);
        }
        CHECK(t->state_names[st] != NULL && strncmp(t->state_names[st], "1.2 ", 4) == 0);
    }
    CHECK((t->connected & LATCH_S(connected12)) != 0);
    /* Every TLS 1.2 state is entered from somewhere (the hello edges count). */
    for (size_t i = 0; i < t->n_edges; i++) {
        targets |= t->edges[i].next;
    }
    for (uint8_t st = first12; st < t->n_states; st++) {
        CHECK((targets & LATCH_S(st)) != 0);
    }
}

static void test_tables(void)
{
    check_table(&latch__client_table, C12_WAIT_CERT, C12_CONNECTED);
    check_table(&latch__server_table, S12_WAIT_CERT, S12_CONNECTED);
}

static const latch_test cases[] = {
    TEST(test_tables),
    TEST(test_key_fits_suite),
    TEST(test_keylog),
    TEST(test_messages_kept),
    {0},
};

LATCH_TEST_MAIN(cases)
