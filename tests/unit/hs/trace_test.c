/*
 * Trace summaries (src/hs/trace.c): a handshake with a trace callback reports
 * each message with its name, direction and a one-line summary re-parsed
 * from the wire bytes (versions, suites, groups, key shares, SNI, ALPN,
 * certificates, schemes, tickets); GREASE values (RFC 8701) are never shown;
 * code points latch has no name for are shown in hex; malformed messages say
 * so instead of failing.
 */
#include "harness.h"
#include "tls.h"

#include "hs/hs.h"

#include <stdlib.h>
#include <string.h>

/* ---- Collecting events ------------------------------------------------------------- */

#define MAX_EVENTS 64

typedef struct event {
    latch_trace_kind kind;
    bool sent, from_client;
    uint8_t type;
    char name[64];
    char summary[1024];
    size_t length;
} event;

typedef struct log {
    event ev[MAX_EVENTS];
    size_t n;
    const latch_conn *conn; /* the connection events came from (all from one) */
    bool mixed;
} log;

static void collect(void *user, const latch_conn *c, const latch_trace_event *ev)
{
    log *l = user;
    event *e;

    if (l->n == 0) {
        l->conn = c;
    } else if (l->conn != c) {
        l->mixed = true;
    }
    if (l->n == MAX_EVENTS) {
        return;
    }
    e = &l->ev[l->n++];
    e->kind = ev->kind;
    e->sent = ev->sent;
    e->from_client = ev->from_client;
    e->type = ev->hs_type;
    snprintf(e->name, sizeof e->name, "%s", ev->name != NULL ? ev->name : "(null)");
    snprintf(e->summary, sizeof e->summary, "%s", ev->summary != NULL ? ev->summary : "(null)");
    e->length = ev->length;
}

/* The n-th HANDSHAKE event (0-based); an empty one (and a failure) if there is none. */
static const event *hs_event(const log *l, size_t n)
{
    static const event none;

    for (size_t i = 0, k = n; i < l->n; i++) {
        if (l->ev[i].kind == LATCH_TRACE_HANDSHAKE && k-- == 0) {
            return &l->ev[i];
        }
    }
    latch_test_fail(__FILE__, __LINE__, "no handshake event %zu", n);
    return &none;
}

static size_t hs_count(const log *l)
{
    size_t n = 0;

    for (size_t i = 0; i < l->n; i++) {
        n += l->ev[i].kind == LATCH_TRACE_HANDSHAKE ? 1 : 0;
    }
    return n;
}

#define CHECK_HAS(s, sub)                                                                                    \
    do {                                                                                                     \
        if (strstr((s), (sub)) == NULL) {                                                                    \
            latch_test_fail(__FILE__, __LINE__, "\"%s\" lacks \"%s\"", (s), (sub));                          \
        }                                                                                                    \
    } while (0)

#define CHECK_STR(s, want)                                                                                   \
    do {                                                                                                     \
        if (strcmp((s), (want)) != 0) {                                                                      \
            latch_test_fail(__FILE__, __LINE__, "\"%s\", expected \"%s\"", (s), (want));                     \
        }                                                                                                    \
    } while (0)

/* No GREASE value (0x?a?a) printed anywhere, and no "unknown" instead of hex. */
static void check_clean(const char *s)
{
    for (const char *p = s; (p = strstr(p, "0x")) != NULL; p += 2) {
        unsigned v;

        if (sscanf(p + 2, "%4x", &v) == 1 && (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF)) {
            latch_test_fail(__FILE__, __LINE__, "GREASE value shown in \"%s\"", s);
        }
    }
    if (strstr(s, "unknown") != NULL) {
        latch_test_fail(__FILE__, __LINE__, "\"unknown\" instead of a hex code point in \"%s\"", s);
    }
}

/* ---- A real handshake -------------------------------------------------------------- */

typedef struct want_msg {
    bool sent;
    uint8_t type;
    const char *name;
} want_msg;

static void check_sequence(const log *l, const want_msg *w, size_t n, bool client)
{
    CHECK_EQ(hs_count(l), n);
    for (size_t i = 0; i < n; i++) {
        const event *e = hs_event(l, i);

        CHECK_STR(e->name, w[i].name);
        CHECK_EQ(e->type, w[i].type);
        CHECK_EQ(e->sent, w[i].sent);
        /* The sender is the client when the client sent it or the server received it. */
        CHECK_EQ(e->from_client, w[i].sent == client);
        CHECK(e->summary[0] != '\0');
        check_clean(e->summary);
    }
}

static void test_handshake_events(void)
{
    static const want_msg client_seq[] = {
        {true, 1, "ClientHello"},         {false, 2, "ServerHello"},  {false, 8, "EncryptedExtensions"},
        {false, 11, "Certificate"},       {false, 15, "CertificateVerify"}, {false, 20, "Finished"},
        {true, 20, "Finished"},           {false, 4, "NewSessionTicket"},
    };
    static const want_msg server_seq[] = {
        {false, 1, "ClientHello"},        {true, 2, "ServerHello"},   {true, 8, "EncryptedExtensions"},
        {true, 11, "Certificate"},        {true, 15, "CertificateVerify"}, {true, 20, "Finished"},
        {false, 20, "Finished"},          {true, 4, "NewSessionTicket"},
    };
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    log *cl = calloc(1, sizeof *cl), *sl = calloc(1, sizeof *sl);
    const uint8_t *d;
    size_t n, used, ch_len;
    latch_client_hello ch;
    bool grease_on_wire = false;
    const event *e;
    tpair p;

    REQUIRE(cl != NULL && sl != NULL);
    REQUIRE_OK(latch_config_set_trace(cc, collect, cl));
    REQUIRE_OK(latch_config_set_trace(sc, collect, sl));
    REQUIRE_OK(latch_config_set_alpn(cc, "h2,http/1.1"));
    REQUIRE_OK(latch_config_set_alpn(sc, "http/1.1"));
    REQUIRE_OK(latch_config_set_ciphers(sc, "TLS_AES_256_GCM_SHA384"));
    REQUIRE_OK(latch_config_set_tickets(sc, 1, 3600));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));

    /* The ClientHello on the wire: its length, and GREASE really is in it. */
    REQUIRE_OK(latch_conn_output(p.c, &d, &n));
    REQUIRE(n > 9 && d[0] == 22 && d[5] == 1);
    ch_len = (size_t)d[3] << 8 | d[4];
    REQUIRE(ch_len + 5 == n);
    REQUIRE_OK(latch_client_hello_parse(latch_rd_make(d + 9, n - 9), &ch));
    for (size_t i = 0; i < latch_u16s_count(ch.cipher_suites); i++) {
        uint16_t v = latch_u16s_at(ch.cipher_suites, i);

        grease_on_wire |= (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF);
    }
    CHECK(grease_on_wire);
    REQUIRE_OK(latch_conn_feed(p.s, d, n, &used));
    latch_conn_output_done(p.c, used);
    REQUIRE_OK(tpair_handshake(&p));

    CHECK(!cl->mixed && cl->conn == p.c);
    CHECK(!sl->mixed && sl->conn == p.s);
    check_sequence(cl, client_seq, sizeof client_seq / sizeof client_seq[0], true);
    check_sequence(sl, server_seq, sizeof server_seq / sizeof server_seq[0], false);

    /* ClientHello: versions, suites, groups, shares, schemes, SNI, ALPN; the
     * length is the whole message, as on the wire. */
    e = hs_event(cl, 0);
    CHECK_EQ(e->length, ch_len);
    CHECK_HAS(e->summary, "versions TLSv1.3");
    CHECK_HAS(e->summary, "suites TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256");
    CHECK_HAS(e->summary, "groups x25519, secp256r1, secp384r1");
    CHECK_HAS(e->summary, "key shares x25519, secp256r1");
    CHECK_HAS(e->summary, "12 signature schemes"); /* our default list; GREASE not counted */
    CHECK_HAS(e->summary, "SNI localhost");
    CHECK_HAS(e->summary, "ALPN h2,http/1.1");
    CHECK(strstr(e->summary, "0x") == NULL); /* every value latch sends has a name */
    /* Both ends describe the same bytes the same way. */
    CHECK_STR(hs_event(sl, 0)->summary, e->summary);
    CHECK_EQ(hs_event(sl, 0)->length, ch_len);

    e = hs_event(cl, 1);
    CHECK_STR(e->summary, "TLSv1.3, TLS_AES_256_GCM_SHA384; key share x25519");
    CHECK_STR(hs_event(sl, 1)->summary, e->summary);
    e = hs_event(cl, 2);
    CHECK_HAS(e->summary, "application_layer_protocol_negotiation http/1.1");
    CHECK_HAS(e->summary, "server_name");
    e = hs_event(cl, 3);
    CHECK_STR(e->summary, "2 certificates: CN=localhost, issued by CN=latch test CA ecdsa-p256");
    e = hs_event(cl, 4);
    CHECK_HAS(e->summary, "ecdsa_secp256r1_sha256 signature, ");
    /* SHA-384 suite: 48-byte verify_data (RFC 8446 §4.4.4: Hash.length). */
    CHECK_STR(hs_event(cl, 5)->summary, "verify_data, 48 bytes");
    CHECK_EQ(hs_event(cl, 5)->length, 4 + 48);
    CHECK_STR(hs_event(sl, 6)->summary, "verify_data, 48 bytes");
    e = hs_event(cl, 7);
    CHECK_HAS(e->summary, "lifetime 3600 s");
    CHECK_HAS(e->summary, "ticket of ");

    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
    free(cl);
    free(sl);
}

/* A HelloRetryRequest, a CertificateRequest and a KeyUpdate, as traced. */
static void test_hrr_cr_key_update(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    const tpki *pki = tpki_get(LATCH_KEY_ECDSA_P256);
    log *cl = calloc(1, sizeof *cl);
    const uint8_t msg[] = "x";
    bool saw_hrr = false, saw_cr = false, saw_ku = false;
    tpair p;

    REQUIRE(cl != NULL);
    REQUIRE_OK(latch_config_set_trace(cc, collect, cl));
    REQUIRE_OK(latch_config_set_groups(cc, "x25519:secp384r1"));
    REQUIRE_OK(latch_config_set_key_shares(cc, 1));
    REQUIRE_OK(latch_config_set_groups(sc, "secp384r1"));
    REQUIRE_OK(latch_config_set_client_auth(sc, LATCH_CLIENT_AUTH_OPTIONAL));
    REQUIRE_OK(latch_config_load_ca_mem(sc, (const uint8_t *)pki->ca, strlen(pki->ca)));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    REQUIRE_OK(latch_conn_key_update(p.s, true));
    CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
    for (size_t i = 0; i < cl->n; i++) {
        const event *e = &cl->ev[i];

        if (e->kind != LATCH_TRACE_HANDSHAKE || e->sent) {
            continue;
        }
        check_clean(e->summary);
        if (e->type == LATCH_HS_SERVER_HELLO && strstr(e->summary, "retry") != NULL) {
            /* latch's HelloRetryRequest carries a cookie (its stateless retry). */
            CHECK_STR(e->summary, "TLSv1.3, TLS_AES_128_GCM_SHA256; retry with a secp384r1 key share; cookie");
            saw_hrr = true;
        }
        if (e->type == LATCH_HS_CERTIFICATE_REQUEST) {
            /* 9 TLS 1.3 schemes of our default list; the one CA we trust. */
            CHECK_STR(e->summary, "9 signature schemes; accepted CAs: CN=latch test CA ecdsa-p256");
            saw_cr = true;
        }
        if (e->type == LATCH_HS_KEY_UPDATE) {
            CHECK_STR(e->summary, "update_requested");
            CHECK_STR(e->name, "KeyUpdate");
            saw_ku = true;
        }
    }
    CHECK(saw_hrr && saw_cr && saw_ku);
    /* The client's own answer to the KeyUpdate is not requested back. */
    {
        bool answer = false;

        for (size_t i = 0; i < cl->n; i++) {
            answer |= cl->ev[i].kind == LATCH_TRACE_HANDSHAKE && cl->ev[i].sent &&
                      cl->ev[i].type == LATCH_HS_KEY_UPDATE &&
                      strcmp(cl->ev[i].summary, "update_not_requested") == 0;
        }
        CHECK(answer);
    }
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
    free(cl);
}

/* ---- Hand-made messages ----------------------------------------------------------------- */

typedef struct tracer {
    latch_config *cfg;
    latch_conn *c;
    log *l;
} tracer;

static void tracer_new(tracer *t)
{
    t->cfg = tcfg_server(LATCH_KEY_ECDSA_P256);
    t->l = calloc(1, sizeof *t->l);
    if (t->l == NULL || latch_config_set_trace(t->cfg, collect, t->l) != LATCH_OK ||
        latch_conn_new_server(t->cfg, &t->c) != LATCH_OK) {
        abort();
    }
}

static void tracer_free(tracer *t)
{
    latch_conn_free(t->c);
    latch_config_free(t->cfg);
    free(t->l);
}

/* Trace the message whole[0..len) as received; return its summary. */
static const char *trace(tracer *t, uint8_t type, const uint8_t *whole, size_t len)
{
    size_t before = t->l->n;

    latch__hs_trace_msg(t->c, false, type, latch_rd_make(whole, len));
    if (t->l->n != before + 1) {
        latch_test_fail(__FILE__, __LINE__, "no event for type %u", type);
        return "";
    }
    CHECK_EQ(t->l->ev[before].length, len);
    CHECK_EQ(t->l->ev[before].type, type);
    CHECK(!t->l->ev[before].sent);
    return t->l->ev[before].summary;
}

/* A ClientHello full of GREASE and code points latch does not know. */
static void test_client_hello_unknowns(void)
{
    static const uint16_t suites[] = {0x1301, 0x1305, 0x00FF};
    static const uint16_t versions[] = {0x7F1C, 0x0304, 0x0303};
    static const uint16_t groups[] = {0x0100, 0x001D, 0x0019};
    static const uint16_t sigalgs[] = {0x0403, 0xFE00};
    static const uint8_t pub32[32] = {9}, pub1[1] = {0};
    static const uint8_t alpn[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    static const uint8_t cookie[] = {1, 2, 3};
    latch_key_share shares[2];
    latch_client_hello_out ch;
    uint8_t buf[2048];
    latch_wr w;
    tracer t;
    const char *s;

    memset(&ch, 0, sizeof ch);
    ch.legacy_version = 0x0303;
    ch.suites = suites;
    ch.n_suites = 3;
    ch.versions = versions;
    ch.n_versions = 3;
    ch.groups = groups;
    ch.n_groups = 3;
    shares[0].group = 0x0100;
    shares[0].key_exchange = latch_rd_make(pub1, 1);
    shares[1].group = 0x001D;
    shares[1].key_exchange = latch_rd_make(pub32, 32);
    ch.shares = shares;
    ch.n_shares = 2;
    ch.key_share_ext = true;
    ch.sigalgs = sigalgs;
    ch.n_sigalgs = 2;
    ch.server_name = "example.com";
    ch.alpn_wire = alpn;
    ch.alpn_len = sizeof alpn;
    ch.cookie = cookie;
    ch.cookie_len = sizeof cookie;
    ch.grease = 0x3A3A;
    ch.grease2 = 0x4A4A;
    latch_wr_init(&w, buf, sizeof buf);
    REQUIRE_OK(latch_client_hello_build(&w, &ch));
    REQUIRE_OK(latch_wr_finish(&w));

    tracer_new(&t);
    s = trace(&t, LATCH_HS_CLIENT_HELLO, buf, latch_wr_len(&w));
    CHECK_STR(s, "versions 0x7f1c, TLSv1.3, TLSv1.2; suites TLS_AES_128_GCM_SHA256, 0x1305, 0x00ff; "
                 "groups 0x0100, x25519, secp521r1; key shares 0x0100, x25519; 2 signature schemes; "
                 "SNI example.com; ALPN h2,http/1.1; cookie");
    check_clean(s);
    tracer_free(&t);
}

static void test_server_hello_unknowns(void)
{
    static const uint8_t pub[32] = {9}, sid[32] = {1};
    static const uint8_t cookie[] = {7, 7};
    latch_server_hello_out sh;
    uint8_t buf[512];
    latch_wr w;
    tracer t;

    tracer_new(&t);
    memset(&sh, 0, sizeof sh);
    sh.legacy_version = 0x0303;
    sh.session_id = sid;
    sh.session_id_len = 32;
    sh.cipher_suite = 0x1305;
    sh.selected_version = 0x0304;
    sh.group = 0x001D;
    sh.pub = pub;
    sh.pub_len = 32;
    sh.psk_identity = -1;
    latch_wr_init(&w, buf, sizeof buf);
    REQUIRE_OK(latch_server_hello_build(&w, &sh));
    REQUIRE_OK(latch_wr_finish(&w));
    CHECK_STR(trace(&t, LATCH_HS_SERVER_HELLO, buf, latch_wr_len(&w)), "TLSv1.3, 0x1305; key share x25519");

    /* An unknown group in the key share. */
    sh.cipher_suite = 0x1302;
    sh.group = 0x0101;
    latch_wr_init(&w, buf, sizeof buf);
    REQUIRE_OK(latch_server_hello_build(&w, &sh));
    REQUIRE_OK(latch_wr_finish(&w));
    CHECK_STR(trace(&t, LATCH_HS_SERVER_HELLO, buf, latch_wr_len(&w)), "TLSv1.3, TLS_AES_256_GCM_SHA384; key share 0x0101");

    /* A version latch does not know (a draft). */
    sh.group = 0x001D;
    sh.selected_version = 0x7F1C;
    latch_wr_init(&w, buf, sizeof buf);
    REQUIRE_OK(latch_server_hello_build(&w, &sh));
    REQUIRE_OK(latch_wr_finish(&w));
    CHECK_STR(trace(&t, LATCH_HS_SERVER_HELLO, buf, latch_wr_len(&w)),
              "0x7f1c, TLS_AES_256_GCM_SHA384; key share x25519");

    /* HelloRetryRequest: the group asked for and the cookie. */
    sh.selected_version = 0x0304;
    sh.hrr = true;
    sh.group = 0x0018;
    sh.pub = NULL;
    sh.pub_len = 0;
    sh.cookie = cookie;
    sh.cookie_len = sizeof cookie;
    latch_wr_init(&w, buf, sizeof buf);
    REQUIRE_OK(latch_server_hello_build(&w, &sh));
    REQUIRE_OK(latch_wr_finish(&w));
    CHECK_STR(trace(&t, LATCH_HS_SERVER_HELLO, buf, latch_wr_len(&w)),
              "TLSv1.3, TLS_AES_256_GCM_SHA384; retry with a secp384r1 key share; cookie");
    sh.group = 0x0100;
    latch_wr_init(&w, buf, sizeof buf);
    REQUIRE_OK(latch_server_hello_build(&w, &sh));
    REQUIRE_OK(latch_wr_finish(&w));
    CHECK_STR(trace(&t, LATCH_HS_SERVER_HELLO, buf, latch_wr_len(&w)),
              "TLSv1.3, TLS_AES_256_GCM_SHA384; retry with a 0x0100 key share; cookie");
    tracer_free(&t);
}

static void test_small_messages(void)
{
    /* CertificateVerify: scheme 0x0403 / unknown 0xfe00, 3-byte signature. */
    static const uint8_t cv[] = {15, 0, 0, 7, 0x04, 0x03, 0, 3, 1, 2, 3};
    static const uint8_t cv_unknown[] = {15, 0, 0, 7, 0xFE, 0x00, 0, 3, 1, 2, 3};
    static const uint8_t ku0[] = {24, 0, 0, 1, 0}, ku1[] = {24, 0, 0, 1, 1};
    static const uint8_t fin[] = {20, 0, 0, 4, 1, 2, 3, 4};
    static const uint8_t eoed[] = {5, 0, 0, 0};
    static const uint8_t odd[] = {99, 0, 0, 3, 1, 2, 3};
    static const uint8_t ee_empty[] = {8, 0, 0, 2, 0, 0};
    static const uint8_t cert_empty[] = {11, 0, 0, 4, 0, 0, 0, 0};
    /* NewSessionTicket: lifetime 300, age_add, nonce "n", ticket "abc", no extensions. */
    static const uint8_t nst[] = {4, 0, 0, 17, 0, 0, 0x01, 0x2C, 1, 2, 3, 4, 1, 'n', 0, 3, 'a', 'b', 'c', 0, 0};
    tracer t;

    tracer_new(&t);
    CHECK_STR(trace(&t, 15, cv, sizeof cv), "ecdsa_secp256r1_sha256 signature, 3 bytes");
    CHECK_STR(trace(&t, 15, cv_unknown, sizeof cv_unknown), "0xfe00 signature, 3 bytes");
    CHECK_STR(trace(&t, 24, ku0, sizeof ku0), "update_not_requested");
    CHECK_STR(trace(&t, 24, ku1, sizeof ku1), "update_requested");
    CHECK_STR(trace(&t, 20, fin, sizeof fin), "verify_data, 4 bytes");
    CHECK_STR(trace(&t, 5, eoed, sizeof eoed), "0 bytes");
    CHECK_STR(trace(&t, 99, odd, sizeof odd), "3 bytes");
    CHECK_STR(t.l->ev[t.l->n - 1].name, "unknown");
    CHECK_STR(trace(&t, 8, ee_empty, sizeof ee_empty), "no extensions");
    CHECK_STR(trace(&t, 11, cert_empty, sizeof cert_empty), "empty (no certificate)");
    CHECK_STR(trace(&t, 4, nst, sizeof nst), "ticket of 3 bytes, lifetime 300 s");
    tracer_free(&t);
}

static void test_certificate_request(void)
{
    const tpki *pki = tpki_get(LATCH_KEY_ED25519);
    static const uint16_t sigalgs[] = {0x0807, 0x0403, 0x0A0A};
    latch_certificate_request_out cr;
    latch_config *tc;
    latch_conn *s;
    uint16_t sch[16];
    latch_rd cas[64];
    size_t n_cas = 0;
    uint8_t buf[2048];
    latch_wr w;
    tracer t;

    tracer_new(&t);
    memset(&cr, 0, sizeof cr);
    cr.sigalgs = sigalgs;
    cr.n_sigalgs = 3;
    latch_wr_init(&w, buf, sizeof buf);
    REQUIRE_OK(latch_certificate_request_build(&w, &cr));
    REQUIRE_OK(latch_wr_finish(&w));
    /* The count is what the message carries (GREASE included). */
    CHECK_STR(trace(&t, 13, buf, latch_wr_len(&w)), "3 signature schemes; any CA");

    /* With certificate_authorities, the names. */
    tc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_load_ca_mem(tc, (const uint8_t *)pki->ca, strlen(pki->ca)));
    REQUIRE_OK(latch_conn_new_server(tc, &s));
    (void)latch__cr_lists(s, sch, cas, &n_cas);
    REQUIRE(n_cas == 1);
    cr.n_sigalgs = 2;
    cr.cas = cas;
    cr.n_cas = 1;
    latch_wr_init(&w, buf, sizeof buf);
    REQUIRE_OK(latch_certificate_request_build(&w, &cr));
    REQUIRE_OK(latch_wr_finish(&w));
    CHECK_STR(trace(&t, 13, buf, latch_wr_len(&w)), "2 signature schemes; accepted CAs: CN=latch test CA ed25519");
    latch_conn_free(s);
    latch_config_free(tc);
    tracer_free(&t);
}

/* Bytes that do not parse are described as such; nothing fails or crashes. */
static void test_malformed(void)
{
    static const uint8_t junk[] = {0, 0, 0, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    static const uint8_t short_hdr[] = {1, 0};
    static const uint8_t types[] = {LATCH_HS_CLIENT_HELLO,       LATCH_HS_SERVER_HELLO, LATCH_HS_ENCRYPTED_EXTENSIONS,
                                    LATCH_HS_CERTIFICATE,        LATCH_HS_CERTIFICATE_REQUEST,
                                    LATCH_HS_CERTIFICATE_VERIFY, LATCH_HS_NEW_SESSION_TICKET, LATCH_HS_KEY_UPDATE};
    tracer t;

    tracer_new(&t);
    for (size_t i = 0; i < sizeof types; i++) {
        uint8_t m[sizeof junk];

        memcpy(m, junk, sizeof m);
        m[0] = types[i];
        CHECK_STR(trace(&t, types[i], m, sizeof m), "(malformed)");
    }
    CHECK_STR(trace(&t, LATCH_HS_CLIENT_HELLO, short_hdr, sizeof short_hdr), "(truncated)");
    CHECK_STR(trace(&t, LATCH_HS_FINISHED, short_hdr, 0), "(truncated)");
    tracer_free(&t);
}

/* Without a callback nothing is reported (and nothing breaks). */
static void test_no_callback(void)
{
    static const uint8_t fin[] = {20, 0, 0, 1, 0};
    latch_config *cfg = tcfg_server(LATCH_KEY_ECDSA_P256);
    latch_conn *c;

    REQUIRE_OK(latch_conn_new_server(cfg, &c));
    latch__hs_trace_msg(c, true, 20, latch_rd_make(fin, sizeof fin));
    latch_conn_free(c);
    latch_config_free(cfg);
}

static const latch_test cases[] = {
    TEST(test_handshake_events),
    TEST(test_hrr_cr_key_update),
    TEST(test_client_hello_unknowns),
    TEST(test_server_hello_unknowns),
    TEST(test_small_messages),
    TEST(test_certificate_request),
    TEST(test_malformed),
    TEST(test_no_callback),
    {0},
};

LATCH_TEST_MAIN(cases)
