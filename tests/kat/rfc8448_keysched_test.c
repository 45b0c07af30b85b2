/*
 * Known-answer tests: the TLS 1.3 key schedule (src/hs/keysched13.c) and the
 * transcript hash (src/hs/transcript.c) replayed on the RFC 8448 traces,
 * byte for byte against the RFC text (tests/kat/data/rfc8448.txt).
 *
 * Inputs taken from the RFC: the handshake messages the trace lists, the
 * (EC)DHE shared secret (the IKM of "extract secret handshake") and, for the
 * resumed handshake, the PSK. Everything else is computed here: every
 * transcript hash from the messages, every secret, key, IV, finished key,
 * verify_data (the Finished messages are built from it and compared with the
 * RFC's), the PSK binder over the truncated ClientHello, the resumption
 * master secret and the ticket PSK.
 *
 *   §3 simple 1-RTT            §4 resumed with 0-RTT (PSK, binder, early secrets)
 *   §5 HelloRetryRequest       §6 client authentication       §7 compatibility mode
 *
 * All five use TLS_AES_128_GCM_SHA256.
 */
#include "core/rd.h"
#include "core/wr.h"
#include "harness.h"
#include "hs/keysched13.h"
#include "hs/suites.h"
#include "hs/transcript.h"
#include "rfc8448.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const latch_hash_alg *sha256;
static const latch_hash_alg *sha384;
static const latch_aead_alg *aes128gcm;
static int compared; /* RFC values compared so far, so that no test passes vacuously */

static void setup(void)
{
    const latch_provider *p = latch_provider_openssl();
    const latch_suite *suite = latch_suite_by_id(LATCH_TLS_AES_128_GCM_SHA256);

    if (p == NULL || suite == NULL) {
        abort();
    }
    sha256 = latch_provider_hash(p, suite->hash);
    sha384 = latch_provider_hash(p, LATCH_HASH_SHA384);
    aes128gcm = latch_provider_aead(p, suite->aead);
    if (sha256 == NULL || sha384 == NULL || aes128gcm == NULL) {
        abort();
    }
}

/* Compare got[0..len) with a field of the RFC; the failure names the field. */
static void expect_at(int line, int sec, const char *role, const char *step, const char *field, const uint8_t *got,
                      size_t len)
{
    char what[256];
    size_t n;
    const uint8_t *want = rfc8448(sec, role, step, field, 0, &n);

    snprintf(what, sizeof what, "section %d {%s} %s / %s", sec, role, step, field);
    latch_test_check_mem(__FILE__, line, what, got, len, want, n);
    compared++;
}

#define EXPECT(sec, role, step, field, got, len) expect_at(__LINE__, (sec), (role), (step), (field), (got), (len))
#define EXPECT_SECRET(sec, role, step, field, s) EXPECT((sec), (role), (step), (field), (s)->b, (s)->len)

static const uint8_t *message(int sec, const char *role, const char *type, int nth, size_t *len)
{
    char step[128];

    snprintf(step, sizeof step, "construct a %s handshake message", type);
    return rfc8448(sec, role, step, type, nth, len);
}

/* Traffic key and IV of `secret`, against the RFC step that lists them. */
static void expect_keys_at(int line, int sec, const char *role, const char *step, const latch_secret *secret)
{
    uint8_t key[LATCH_AEAD_MAX_KEY], iv[LATCH_AEAD_NONCE_LEN];

    if (latch_ks13_traffic_keys(sha256, aes128gcm, secret, key, iv) != LATCH_OK) {
        latch_test_fail(__FILE__, line, "traffic keys failed for section %d %s", sec, step);
        return;
    }
    expect_at(line, sec, role, step, "PRK", secret->b, secret->len);
    expect_at(line, sec, role, step, "key expanded", key, aes128gcm->key_len);
    expect_at(line, sec, role, step, "iv expanded", iv, sizeof iv);
}

#define EXPECT_KEYS(sec, role, step, secret) expect_keys_at(__LINE__, (sec), (role), (step), (secret))

/* The client's handshake write keys: listed by the client where it uses them
 * (§4, for EndOfEarlyData), else as the server's read keys. */
static void expect_client_hs_keys(int sec, const latch_secret *c_hs)
{
    if (rfc8448_try(sec, "client", "derive write traffic keys for handshake data", "key expanded", 0, NULL)) {
        EXPECT_KEYS(sec, "client", "derive write traffic keys for handshake data", c_hs);
    } else {
        EXPECT_KEYS(sec, "server", "derive read traffic keys for handshake data", c_hs);
    }
}

/*
 * The Finished of `role` under base key `base` over the transcript so far:
 * finished_key, verify_data, and the whole message, which then joins the
 * transcript.
 */
static void finished(int sec, const char *role, latch_transcript *t, const latch_secret *base)
{
    const char *step = "calculate finished \"tls13 finished\"";
    uint8_t th[32], fk[32], vd[32], msg[36];
    size_t want_len;
    const uint8_t *want;
    latch_wr w;

    EXPECT_SECRET(sec, role, step, "PRK", base);
    REQUIRE_OK(latch_hkdf_expand_label(sha256, base->b, base->len, "finished", NULL, 0, fk, 32));
    EXPECT(sec, role, step, "expanded", fk, 32);
    REQUIRE_OK(latch_transcript_hash(t, th));
    REQUIRE_OK(latch_ks13_finished(sha256, base, th, vd));
    EXPECT(sec, role, step, "finished", vd, 32);

    /* RFC 8446 §4.4.4: struct { opaque verify_data[Hash.length]; } Finished. */
    latch_wr_init(&w, msg, sizeof msg);
    latch_wr_u8(&w, 20);
    latch_wr_u24(&w, 32);
    latch_wr_bytes(&w, vd, 32);
    REQUIRE_OK(latch_wr_finish(&w));
    want = message(sec, role, "Finished", 0, &want_len);
    CHECK_MEM(msg, sizeof msg, want, want_len);
    REQUIRE_OK(latch_transcript_add(t, msg, sizeof msg));
}

static void add_messages(latch_transcript *t, int sec, const char *role, const char *const *types)
{
    for (size_t i = 0; types != NULL && types[i] != NULL; i++) {
        size_t n;
        const uint8_t *m = message(sec, role, types[i], 0, &n);

        REQUIRE_OK(latch_transcript_add(t, m, n));
    }
}

/* The ticket_nonce of a NewSessionTicket (RFC 8446 §4.6.1):
 *   struct { uint32 ticket_lifetime; uint32 ticket_age_add; opaque ticket_nonce<0..255>;
 *            opaque ticket<1..2^16-1>; Extension extensions<0..2^16-2>; } NewSessionTicket; */
static latch_rd ticket_nonce(const uint8_t *nst, size_t len)
{
    latch_rd r = latch_rd_make(nst, len), nonce = {0}, ticket, exts;
    uint8_t type;
    uint32_t body_len, lifetime, age_add;

    if (latch_rd_u8(&r, &type) != LATCH_OK || type != 4 || latch_rd_u24(&r, &body_len) != LATCH_OK ||
        body_len != latch_rd_left(&r) || latch_rd_u32(&r, &lifetime) != LATCH_OK ||
        latch_rd_u32(&r, &age_add) != LATCH_OK || latch_rd_vec(&r, 1, 0, 255, &nonce) != LATCH_OK ||
        latch_rd_vec(&r, 2, 1, 0xFFFF, &ticket) != LATCH_OK || latch_rd_vec(&r, 2, 0, 0xFFFE, &exts) != LATCH_OK ||
        latch_rd_end(&r) != LATCH_OK) {
        abort();
    }
    return nonce;
}

typedef struct flow {
    int sec;
    bool psk;                         /* resumed: PSK, binder, 0-RTT secrets (§4) */
    bool hrr;                         /* a HelloRetryRequest first (§5) */
    const char *const *server_flight; /* after ServerHello, before server Finished */
    const char *const *client_flight; /* before client Finished */
} flow;

/* The PSK part of a resumed handshake (RFC 8446 §4.2.11.2, §7.1), up to the
 * ClientHello entering the transcript; the early secrets come from it. */
static void resumed_client_hello(const flow *f, latch_transcript *t, latch_ks13 *ks)
{
    const int sec = f->sec;
    const char *binder_step = "calculate PSK binder";
    size_t psk_len, prefix_len, full_len;
    const uint8_t *psk = rfc8448(sec, "client", "extract secret \"early\"", "IKM", 0, &psk_len);
    const uint8_t *prefix = rfc8448(sec, "client", binder_step, "ClientHello prefix", 0, &prefix_len);
    const uint8_t *full = rfc8448(sec, "client", "send handshake record", "payload", 0, &full_len);
    latch_secret binder_key, s;
    uint8_t bh[32], fk[32], binder[32], th[32];

    /* The PSK is the ticket PSK of the §3 connection. */
    EXPECT(3, "server", "generate resumption secret \"tls13 resumption\"", "expanded", psk, psk_len);
    REQUIRE_OK(latch_ks13_early(ks, psk, psk_len));
    EXPECT_SECRET(sec, "client", "extract secret \"early\"", "secret", &ks->secret);

    /* The binder: HMAC over Transcript-Hash(Truncate(ClientHello1)) with the
     * finished key of binder_key = Derive-Secret(Early Secret, "res binder", ""). */
    REQUIRE_OK(latch_ks13_binder_key(ks, false, &binder_key));
    EXPECT_SECRET(sec, "client", binder_step, "PRK", &binder_key);
    REQUIRE_OK(latch_transcript_hash_as(t, LATCH_HASH_SHA256, prefix, prefix_len, bh));
    EXPECT(sec, "client", binder_step, "binder hash", bh, 32);
    REQUIRE_OK(latch_hkdf_expand_label(sha256, binder_key.b, binder_key.len, "finished", NULL, 0, fk, 32));
    EXPECT(sec, "client", binder_step, "expanded", fk, 32);
    REQUIRE_OK(latch_ks13_finished(sha256, &binder_key, bh, binder));
    EXPECT(sec, "client", binder_step, "finished", binder, 32);
    /* The ClientHello sent is the prefix, then binders<33..2^16-1> holding our binder<32..255>. */
    REQUIRE(full_len == prefix_len + 3 + 32);
    CHECK_MEM(full, prefix_len, prefix, prefix_len);
    CHECK(full[prefix_len] == 0x00 && full[prefix_len + 1] == 33 && full[prefix_len + 2] == 32);
    CHECK_MEM(full + prefix_len + 3, 32, binder, 32);
    /* The external binder key is a different one. */
    REQUIRE_OK(latch_ks13_binder_key(ks, true, &s));
    CHECK(memcmp(s.b, binder_key.b, 32) != 0);

    /* The whole ClientHello, binders included, enters the transcript. */
    REQUIRE_OK(latch_transcript_add(t, full, full_len));
    REQUIRE_OK(latch_transcript_hash_as(t, LATCH_HASH_SHA256, NULL, 0, th));
    EXPECT(sec, "client", "derive secret \"tls13 c e traffic\"", "hash", th, 32);
    REQUIRE_OK(latch_ks13_derive(ks, LATCH_KS13_C_E_TRAFFIC, th, &s));
    EXPECT_SECRET(sec, "client", "derive secret \"tls13 c e traffic\"", "expanded", &s);
    EXPECT_KEYS(sec, "client", "derive write traffic keys for early application data", &s);
    EXPECT(sec, "client", "derive secret \"tls13 e exp master\"", "hash", th, 32);
    REQUIRE_OK(latch_ks13_derive(ks, LATCH_KS13_E_EXP_MASTER, th, &s));
    EXPECT_SECRET(sec, "client", "derive secret \"tls13 e exp master\"", "expanded", &s);
    latch_secret_wipe(&s);
    latch_secret_wipe(&binder_key);
}

static void run_flow(const flow *f)
{
    const int sec = f->sec;
    const latch_hash_alg *candidates[2] = {sha256, sha384};
    size_t n, dhe_len;
    const uint8_t *m, *dhe;
    latch_transcript t;
    latch_ks13 ks;
    latch_secret c_hs, s_hs, c_ap, s_ap, exp, res;
    uint8_t th[32];

    /* The client does not know the suite yet: it hashes under both candidates. */
    REQUIRE_OK(latch_transcript_init(&t, candidates, 2));
    latch_ks13_init(&ks, sha256);
    if (f->psk) {
        resumed_client_hello(f, &t, &ks);
    } else {
        REQUIRE_OK(latch_ks13_early(&ks, NULL, 0));
        EXPECT_SECRET(sec, "server", "extract secret \"early\"", "secret", &ks.secret);
        m = message(sec, "client", "ClientHello", 0, &n);
        REQUIRE_OK(latch_transcript_add(&t, m, n));
    }
    if (f->hrr) {
        /* The HelloRetryRequest names the suite, and ClientHello1 becomes message_hash. */
        REQUIRE_OK(latch_transcript_select(&t, LATCH_HASH_SHA256));
        REQUIRE_OK(latch_transcript_hrr(&t));
        m = message(sec, "server", "ServerHello", 0, &n);
        REQUIRE_OK(latch_transcript_add(&t, m, n));
        m = message(sec, "client", "ClientHello", 1, &n);
        REQUIRE_OK(latch_transcript_add(&t, m, n));
    }
    m = message(sec, "server", "ServerHello", f->hrr ? 1 : 0, &n);
    REQUIRE_OK(latch_transcript_add(&t, m, n));
    REQUIRE_OK(latch_transcript_select(&t, LATCH_HASH_SHA256));

    /* Handshake secret and handshake traffic secrets. */
    dhe = rfc8448(sec, "server", "extract secret \"handshake\"", "IKM", 0, &dhe_len);
    REQUIRE_OK(latch_ks13_handshake(&ks, dhe, dhe_len));
    EXPECT_SECRET(sec, "server", "extract secret \"handshake\"", "secret", &ks.secret);
    REQUIRE_OK(latch_transcript_hash(&t, th));
    EXPECT(sec, "server", "derive secret \"tls13 c hs traffic\"", "hash", th, 32);
    EXPECT(sec, "server", "derive secret \"tls13 s hs traffic\"", "hash", th, 32);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_C_HS_TRAFFIC, th, &c_hs));
    EXPECT_SECRET(sec, "server", "derive secret \"tls13 c hs traffic\"", "expanded", &c_hs);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_S_HS_TRAFFIC, th, &s_hs));
    EXPECT_SECRET(sec, "server", "derive secret \"tls13 s hs traffic\"", "expanded", &s_hs);
    EXPECT_KEYS(sec, "server", "derive write traffic keys for handshake data", &s_hs);
    expect_client_hs_keys(sec, &c_hs);

    REQUIRE_OK(latch_ks13_master(&ks));
    EXPECT_SECRET(sec, "server", "extract secret \"master\"", "secret", &ks.secret);

    /* The server's flight, its Finished, then the application secrets. */
    add_messages(&t, sec, "server", f->server_flight);
    finished(sec, "server", &t, &s_hs);
    REQUIRE_OK(latch_transcript_hash(&t, th));
    EXPECT(sec, "server", "derive secret \"tls13 c ap traffic\"", "hash", th, 32);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_C_AP_TRAFFIC, th, &c_ap));
    EXPECT_SECRET(sec, "server", "derive secret \"tls13 c ap traffic\"", "expanded", &c_ap);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_S_AP_TRAFFIC, th, &s_ap));
    EXPECT_SECRET(sec, "server", "derive secret \"tls13 s ap traffic\"", "expanded", &s_ap);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_EXP_MASTER, th, &exp));
    EXPECT_SECRET(sec, "server", "derive secret \"tls13 exp master\"", "expanded", &exp);
    EXPECT_KEYS(sec, "server", "derive write traffic keys for application data", &s_ap);
    EXPECT_KEYS(sec, "client", "derive write traffic keys for application data", &c_ap);

    /* The client's flight and Finished, then the resumption master secret. */
    add_messages(&t, sec, "client", f->client_flight);
    finished(sec, "client", &t, &c_hs);
    REQUIRE_OK(latch_transcript_hash(&t, th));
    EXPECT(sec, "client", "derive secret \"tls13 res master\"", "hash", th, 32);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_RES_MASTER, th, &res));
    EXPECT_SECRET(sec, "client", "derive secret \"tls13 res master\"", "expanded", &res);

    /* A ticket, where the trace sends one: its PSK from the nonce inside it. */
    if (rfc8448_try(sec, "server", "construct a NewSessionTicket handshake message", "NewSessionTicket", 0, &n)) {
        const char *step = "generate resumption secret \"tls13 resumption\"";
        latch_rd nonce = ticket_nonce(message(sec, "server", "NewSessionTicket", 0, &n), n);
        latch_secret psk;

        EXPECT(sec, "server", step, "hash", nonce.p, nonce.len);
        EXPECT_SECRET(sec, "server", step, "PRK", &res);
        REQUIRE_OK(latch_ks13_resumption_psk(sha256, &res, nonce.p, nonce.len, &psk));
        EXPECT_SECRET(sec, "server", step, "expanded", &psk);
        latch_secret_wipe(&psk);
    }

    latch_ks13_wipe(&ks);
    latch_transcript_wipe(&t);
    latch_secret_wipe(&c_hs);
    latch_secret_wipe(&s_hs);
    latch_secret_wipe(&c_ap);
    latch_secret_wipe(&s_ap);
    latch_secret_wipe(&exp);
    latch_secret_wipe(&res);
}

static const char *const cert_flight[] = {"EncryptedExtensions", "Certificate", "CertificateVerify", NULL};

/* Run a flow and check that it compared exactly the RFC values counted by
 * hand from the trace (a field that silently stopped being checked shows). */
static void run_and_count(const flow *f, int want_compared)
{
    int before = compared;

    setup();
    run_flow(f);
    if (compared - before != want_compared) {
        latch_test_fail(__FILE__, __LINE__, "section %d: %d RFC values compared, expected %d", f->sec,
                        compared - before, want_compared);
    }
}

static void test_section3_simple_1rtt(void)
{
    const flow f = {3, false, false, cert_flight, NULL};

    run_and_count(&f, 34);
}

static void test_section4_resumed_0rtt(void)
{
    static const char *const server[] = {"EncryptedExtensions", NULL};
    static const char *const client[] = {"EndOfEarlyData", NULL};
    const flow f = {4, true, false, server, client};

    run_and_count(&f, 43);
}

static void test_section5_hello_retry_request(void)
{
    const flow f = {5, false, true, cert_flight, NULL};

    run_and_count(&f, 31);
}

static void test_section6_client_auth(void)
{
    static const char *const server[] = {"EncryptedExtensions", "CertificateRequest", "Certificate",
                                         "CertificateVerify", NULL};
    static const char *const client[] = {"Certificate", "CertificateVerify", NULL};
    const flow f = {6, false, false, server, client};

    run_and_count(&f, 31);
}

static void test_section7_compatibility_mode(void)
{
    const flow f = {7, false, false, cert_flight, NULL};

    run_and_count(&f, 31);
}

/* The trace's handshake messages are exactly what the records carry: the
 * transcript inputs above are not a second, possibly different, copy. */
static void test_section3_messages_match_records(void)
{
    const char *const types[] = {"EncryptedExtensions", "Certificate", "CertificateVerify", "Finished"};
    size_t n, total = 0, rec_len;
    const uint8_t *rec = rfc8448(3, "server", "send handshake record", "payload", 1, &rec_len);

    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        const uint8_t *m = message(3, "server", types[i], 0, &n);

        REQUIRE(total + n <= rec_len);
        CHECK_MEM(rec + total, n, m, n);
        total += n;
    }
    CHECK_EQ(total, rec_len);
}

static const latch_test cases[] = {
    TEST(test_section3_simple_1rtt),
    TEST(test_section3_messages_match_records),
    TEST(test_section4_resumed_0rtt),
    TEST(test_section5_hello_retry_request),
    TEST(test_section6_client_auth),
    TEST(test_section7_compatibility_mode),
    {0},
};

LATCH_TEST_MAIN(cases)
