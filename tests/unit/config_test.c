/*
 * The shared configuration (src/config.c): defaults; every setter with good
 * values and each rejection, with its exact code and a detail that names the
 * bad item; names and aliases; freezing; reference counting; loading
 * certificates and CAs from files; the system store for clients without CAs.
 */
#include "harness.h"
#include "tls.h"

#include "config.h"
#include "conn.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The call fails with `code` and latch_last_error() says so, naming `needle`. */
#define CHECK_FAIL(call, want, needle)                                                                       \
    do {                                                                                                     \
        CHECK_ERR((call), (want));                                                                           \
        CHECK_ERR(latch_last_error()->code, (want));                                                         \
        if (strstr(latch_last_error()->detail, (needle)) == NULL) {                                          \
            latch_test_fail(__FILE__, __LINE__, "detail \"%s\" does not mention \"%s\"",                     \
                            latch_last_error()->detail, (needle));                                           \
        }                                                                                                    \
    } while (0)

static latch_config *fresh(void)
{
    latch_config *cfg = NULL;

    if (latch_config_new(&cfg) != LATCH_OK) {
        abort();
    }
    return cfg;
}

/* ---- Defaults and creation ------------------------------------------------------------ */

static void test_defaults(void)
{
    /* The two RSA key transport suites come last and stay inactive until
     * latch_config_enable_legacy_rsa_kx. */
    static const uint16_t suites[] = {0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C,
                                      0xC030, 0xCCA9, 0xCCA8, 0x009C, 0x009D};
    static const uint16_t groups[] = {0x001D, 0x0017, 0x0018};
    latch_config *cfg = fresh();

    CHECK_EQ(cfg->min_version, LATCH_TLS12);
    CHECK_EQ(cfg->max_version, LATCH_TLS13);
    CHECK_MEM(cfg->suites, cfg->n_suites * 2, suites, sizeof suites);
    CHECK_MEM(cfg->groups, cfg->n_groups * 2, groups, sizeof groups);
    CHECK_EQ(cfg->key_shares, 2);
    CHECK_EQ(cfg->n_sigalgs, 12);
    CHECK_EQ(cfg->sigalgs[0], LATCH_SIG_ECDSA_SECP256R1_SHA256);
    CHECK_EQ(cfg->alpn_len, 0);
    CHECK_EQ(cfg->client_auth, LATCH_CLIENT_AUTH_NONE);
    CHECK(!cfg->insecure_no_verify);
    CHECK(cfg->trust == NULL); /* the system store is loaded when a client first needs it */
    CHECK_EQ(cfg->tickets, 2);
    CHECK_EQ(cfg->ticket_lifetime, 7200);
    CHECK_EQ(cfg->store, LATCH_SESSIONS_TICKETS);
    CHECK_EQ(cfg->cache_size, 1024);
    CHECK(!cfg->allow_psk_ke);
    CHECK_EQ(cfg->max_early_data, 0);
    CHECK_EQ(cfg->n_psks, 0);
    CHECK_EQ(cfg->max_hs_msg, 65536);
    CHECK_EQ(cfg->max_chain_len, 10);
    CHECK_EQ(cfg->max_empty_records, 32);
    CHECK(!atomic_load(&cfg->frozen));
    CHECK_EQ(atomic_load(&cfg->refs), 1);
    latch_config_free(cfg);
    latch_config_free(NULL); /* NULL-safe */
}

static void *never(void *user, size_t n)
{
    (void)user;
    (void)n;
    return NULL;
}

static void test_new_rejects(void)
{
    latch_allocator half = {never, NULL, NULL};
    latch_config *cfg = (latch_config *)&half; /* not NULL: must be cleared */

    CHECK_FAIL(latch_config_new(NULL), LATCH_ERR_INVALID_ARGUMENT, "out");
    CHECK_FAIL(latch_config_new_ex(NULL, &half, &cfg), LATCH_ERR_INVALID_ARGUMENT, "alloc and free");
    CHECK(cfg == NULL);
}

static size_t allocs;

static void *count_alloc(void *user, size_t n)
{
    (void)user;
    allocs++;
    return calloc(1, n);
}

static void count_free(void *user, void *p, size_t n)
{
    (void)user;
    (void)n;
    free(p);
}

static void *fail_alloc(void *user, size_t n)
{
    (void)user;
    (void)n;
    return NULL;
}

/* The config allocates through its allocator; without memory it says so. */
static void test_new_allocator(void)
{
    latch_allocator a = {count_alloc, count_free, NULL};
    latch_allocator f = {fail_alloc, count_free, NULL};
    latch_config *cfg = NULL;

    allocs = 0;
    REQUIRE_OK(latch_config_new_ex(NULL, &a, &cfg));
    CHECK(allocs >= 1);
    CHECK(cfg->prov == latch_provider_openssl()); /* NULL provider: libcrypto */
    latch_config_free(cfg);
    CHECK_FAIL(latch_config_new_ex(NULL, &f, &cfg), LATCH_ERR_NO_MEMORY, "config");
    CHECK(cfg == NULL);
}

/* ---- Versions --------------------------------------------------------------------------- */

static void test_versions(void)
{
    latch_config *cfg = fresh();

    CHECK_OK(latch_config_set_versions(cfg, LATCH_TLS13, LATCH_TLS13));
    CHECK_EQ(cfg->min_version, LATCH_TLS13);
    CHECK_OK(latch_config_set_versions(cfg, LATCH_TLS12, LATCH_TLS12));
    CHECK_EQ(cfg->max_version, LATCH_TLS12);
    CHECK_OK(latch_config_set_versions(cfg, LATCH_TLS12, LATCH_TLS13));
    /* Nothing older than TLS 1.2, nothing unknown. */
    CHECK_FAIL(latch_config_set_versions(cfg, LATCH_TLS11, LATCH_TLS13), LATCH_ERR_INVALID_ARGUMENT,
               "LATCH_TLS12 or LATCH_TLS13");
    CHECK_FAIL(latch_config_set_versions(cfg, LATCH_TLS12, 0x0305), LATCH_ERR_INVALID_ARGUMENT,
               "LATCH_TLS12 or LATCH_TLS13");
    CHECK_FAIL(latch_config_set_versions(cfg, 0x0300, 0x0300), LATCH_ERR_INVALID_ARGUMENT, "LATCH_TLS12");
    CHECK_FAIL(latch_config_set_versions(cfg, LATCH_TLS13, LATCH_TLS12), LATCH_ERR_INVALID_ARGUMENT,
               "minimum version is above the maximum");
    /* A rejected call changes nothing. */
    CHECK_EQ(cfg->min_version, LATCH_TLS12);
    CHECK_EQ(cfg->max_version, LATCH_TLS13);
    latch_config_free(cfg);
}

/* ---- Cipher suites ------------------------------------------------------------------------- */

static void test_ciphers(void)
{
    latch_config *cfg = fresh();
    char longname[80];

    /* IANA names, OpenSSL names, any case, ':' or ',' with spaces. */
    CHECK_OK(latch_config_set_ciphers(cfg, "TLS_CHACHA20_POLY1305_SHA256:tls_aes_128_gcm_sha256, "
                                           "ECDHE-ECDSA-AES128-GCM-SHA256,ecdhe-rsa-chacha20-poly1305"));
    REQUIRE(cfg->n_suites == 4);
    CHECK_EQ(cfg->suites[0], 0x1303);
    CHECK_EQ(cfg->suites[1], 0x1301);
    CHECK_EQ(cfg->suites[2], 0xC02B);
    CHECK_EQ(cfg->suites[3], 0xCCA8);
    CHECK_OK(latch_config_set_ciphers(cfg, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
    CHECK_EQ(cfg->n_suites, 1);
    CHECK_EQ(cfg->suites[0], 0xC030);
    /* Empty separators are skipped. */
    CHECK_OK(latch_config_set_ciphers(cfg, "::TLS_AES_256_GCM_SHA384,,"));
    CHECK_EQ(cfg->n_suites, 1);
    CHECK_EQ(cfg->suites[0], 0x1302);

    CHECK_FAIL(latch_config_set_ciphers(cfg, "TLS_AES_128_GCM_SHA256:TLS_FAKE_SUITE"), LATCH_ERR_INVALID_ARGUMENT,
               "'TLS_FAKE_SUITE'");
    CHECK_FAIL(latch_config_set_ciphers(cfg, "TLS_AES_128_CCM_SHA256"), LATCH_ERR_INVALID_ARGUMENT,
               "unknown cipher suite 'TLS_AES_128_CCM_SHA256'");
    /* The same suite twice, even under its two names. */
    CHECK_FAIL(latch_config_set_ciphers(cfg, "TLS_AES_128_GCM_SHA256:TLS_AES_128_GCM_SHA256"),
               LATCH_ERR_INVALID_ARGUMENT, "listed twice");
    CHECK_FAIL(latch_config_set_ciphers(cfg, "ECDHE-RSA-AES128-GCM-SHA256:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
               LATCH_ERR_INVALID_ARGUMENT, "'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' listed twice");
    CHECK_FAIL(latch_config_set_ciphers(cfg, ""), LATCH_ERR_INVALID_ARGUMENT, "empty");
    CHECK_FAIL(latch_config_set_ciphers(cfg, " : , "), LATCH_ERR_INVALID_ARGUMENT, "empty");
    CHECK_FAIL(latch_config_set_ciphers(cfg, NULL), LATCH_ERR_INVALID_ARGUMENT, "NULL");
    /* A name longer than any suite name is an error, not a truncation. */
    memset(longname, 'A', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    CHECK_FAIL(latch_config_set_ciphers(cfg, longname), LATCH_ERR_INVALID_ARGUMENT, "name too long");
    /* RSA key transport needs an explicit opt-in. */
    CHECK_FAIL(latch_config_set_ciphers(cfg, "AES128-GCM-SHA256"), LATCH_ERR_INVALID_ARGUMENT, "'AES128-GCM-SHA256'");
    CHECK_FAIL(latch_config_set_ciphers(cfg, "TLS_RSA_WITH_AES_256_GCM_SHA384"), LATCH_ERR_INVALID_ARGUMENT,
               "RSA key transport");
    /* Rejections leave the list as it was. */
    CHECK_EQ(cfg->n_suites, 1);
    CHECK_EQ(cfg->suites[0], 0x1302);
    latch_config_free(cfg);
}

/* Every suite latch knows, by both names: more than the list holds is refused. */
static void test_ciphers_all(void)
{
    latch_config *cfg = fresh();

    CHECK_OK(latch_config_set_ciphers(cfg, "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
                                           "TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:"
                                           "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:"
                                           "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
                                           "ECDHE-RSA-CHACHA20-POLY1305"));
    CHECK_EQ(cfg->n_suites, 9);
    latch_config_free(cfg);
}

/* ---- Groups ---------------------------------------------------------------------------------- */

static void test_groups(void)
{
    latch_config *cfg = fresh();

    CHECK_OK(latch_config_set_groups(cfg, "P-384:x25519"));
    REQUIRE(cfg->n_groups == 2);
    CHECK_EQ(cfg->groups[0], LATCH_GROUP_SECP384R1);
    CHECK_EQ(cfg->groups[1], LATCH_GROUP_X25519);
    /* Aliases, any case. */
    CHECK_OK(latch_config_set_groups(cfg, "prime256v1"));
    CHECK_EQ(cfg->groups[0], LATCH_GROUP_SECP256R1);
    CHECK_OK(latch_config_set_groups(cfg, "p-256,X25519,SECP384R1"));
    REQUIRE(cfg->n_groups == 3);
    CHECK_EQ(cfg->groups[0], LATCH_GROUP_SECP256R1);
    CHECK_EQ(cfg->groups[1], LATCH_GROUP_X25519);
    CHECK_EQ(cfg->groups[2], LATCH_GROUP_SECP384R1);
    CHECK_OK(latch_config_set_groups(cfg, "secp256r1"));
    CHECK_EQ(cfg->groups[0], LATCH_GROUP_SECP256R1);

    /* One group under two names is a duplicate. */
    CHECK_FAIL(latch_config_set_groups(cfg, "P-256:prime256v1"), LATCH_ERR_INVALID_ARGUMENT,
               "'prime256v1' listed twice");
    CHECK_FAIL(latch_config_set_groups(cfg, "x25519:secp256r1:x25519"), LATCH_ERR_INVALID_ARGUMENT,
               "'x25519' listed twice");
    CHECK_FAIL(latch_config_set_groups(cfg, "x25519:ffdhe2048"), LATCH_ERR_INVALID_ARGUMENT, "'ffdhe2048'");
    CHECK_FAIL(latch_config_set_groups(cfg, "x448"), LATCH_ERR_INVALID_ARGUMENT, "unknown or unsupported group 'x448'");
    CHECK_FAIL(latch_config_set_groups(cfg, ""), LATCH_ERR_INVALID_ARGUMENT, "empty");
    CHECK_FAIL(latch_config_set_groups(cfg, NULL), LATCH_ERR_INVALID_ARGUMENT, "NULL");
    CHECK_EQ(cfg->n_groups, 1);
    CHECK_EQ(cfg->groups[0], LATCH_GROUP_SECP256R1);
    CHECK_EQ(latch__group_by_name(cfg->prov, "P-384"), LATCH_GROUP_SECP384R1);
    CHECK_EQ(latch__group_by_name(cfg->prov, "nope"), 0);
    latch_config_free(cfg);
}

static void test_key_shares(void)
{
    latch_config *cfg = fresh();

    for (unsigned n = 0; n <= 3; n++) {
        CHECK_OK(latch_config_set_key_shares(cfg, n));
        CHECK_EQ(cfg->key_shares, n);
    }
    CHECK_FAIL(latch_config_set_key_shares(cfg, 4), LATCH_ERR_INVALID_ARGUMENT, "at most 3");
    CHECK_EQ(cfg->key_shares, 3);
    latch_config_free(cfg);
}

/* ---- Signature schemes ----------------------------------------------------------------------------- */

static void test_sigalgs(void)
{
    latch_config *cfg = fresh();

    CHECK_OK(latch_config_set_sigalgs(cfg, "ED25519:rsa_pss_rsae_sha384,ecdsa_secp256r1_sha256"));
    REQUIRE(cfg->n_sigalgs == 3);
    CHECK_EQ(cfg->sigalgs[0], LATCH_SIG_ED25519);
    CHECK_EQ(cfg->sigalgs[1], LATCH_SIG_RSA_PSS_RSAE_SHA384);
    CHECK_EQ(cfg->sigalgs[2], LATCH_SIG_ECDSA_SECP256R1_SHA256);
    CHECK_FAIL(latch_config_set_sigalgs(cfg, "ed25519:ed25519"), LATCH_ERR_INVALID_ARGUMENT, "'ed25519' listed twice");
    CHECK_FAIL(latch_config_set_sigalgs(cfg, "ed25519:rsa_pkcs1_sha1"), LATCH_ERR_INVALID_ARGUMENT,
               "unknown or unsupported signature scheme 'rsa_pkcs1_sha1'");
    CHECK_FAIL(latch_config_set_sigalgs(cfg, "ed448"), LATCH_ERR_INVALID_ARGUMENT, "'ed448'");
    CHECK_FAIL(latch_config_set_sigalgs(cfg, ","), LATCH_ERR_INVALID_ARGUMENT, "empty");
    CHECK_EQ(cfg->n_sigalgs, 3);
    /* Every scheme the provider has, by its RFC 8446 name. */
    CHECK_OK(latch_config_set_sigalgs(cfg, "ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384:ed25519:"
                                           "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:"
                                           "rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512:"
                                           "rsa_pkcs1_sha256:rsa_pkcs1_sha384:rsa_pkcs1_sha512"));
    CHECK_EQ(cfg->n_sigalgs, 12);
    latch_config_free(cfg);
}

/* ---- ALPN ----------------------------------------------------------------------------------------- */

static void test_alpn(void)
{
    static const uint8_t wire[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    latch_config *cfg = fresh();
    char name[300];
    char *big;

    CHECK_OK(latch_config_set_alpn(cfg, "h2,http/1.1"));
    CHECK_MEM(cfg->alpn_wire, cfg->alpn_len, wire, sizeof wire);
    /* ':' is not a separator in ALPN lists: it is part of the name. */
    CHECK_OK(latch_config_set_alpn(cfg, "a:b"));
    CHECK_EQ(cfg->alpn_len, 4);
    CHECK_EQ(cfg->alpn_wire[0], 3);
    /* A 255-byte name is the longest (RFC 7301 §3.1: opaque ProtocolName<1..2^8-1>). */
    memset(name, 'p', 255);
    name[255] = '\0';
    CHECK_OK(latch_config_set_alpn(cfg, name));
    CHECK_EQ(cfg->alpn_len, 256);
    CHECK_EQ(cfg->alpn_wire[0], 255);
    name[255] = 'p';
    name[256] = '\0';
    CHECK_FAIL(latch_config_set_alpn(cfg, name), LATCH_ERR_INVALID_ARGUMENT, "1 to 255 bytes");
    /* Empty names: leading, doubled or trailing separators. */
    CHECK_FAIL(latch_config_set_alpn(cfg, ",h2"), LATCH_ERR_INVALID_ARGUMENT, "1 to 255 bytes");
    CHECK_FAIL(latch_config_set_alpn(cfg, "h2,,http/1.1"), LATCH_ERR_INVALID_ARGUMENT, "'h2,,http/1.1'");
    CHECK_FAIL(latch_config_set_alpn(cfg, "h2,"), LATCH_ERR_INVALID_ARGUMENT, "ends with ','");
    CHECK_FAIL(latch_config_set_alpn(cfg, NULL), LATCH_ERR_INVALID_ARGUMENT, "NULL");
    /* More than the wire list holds. */
    big = malloc(3 * 201);
    REQUIRE(big != NULL);
    memset(big, 'x', 3 * 201);
    big[200] = big[401] = ',';
    big[602] = '\0';
    CHECK_FAIL(latch_config_set_alpn(cfg, big), LATCH_ERR_INVALID_ARGUMENT, "longer than 512 bytes");
    free(big);
    /* Rejections keep the last good list. */
    CHECK_EQ(cfg->alpn_len, 256);
    /* The empty list turns ALPN off. */
    CHECK_OK(latch_config_set_alpn(cfg, ""));
    CHECK_EQ(cfg->alpn_len, 0);
    latch_config_free(cfg);
}

/* The configured lists take effect: ALPN chosen by the server's order. */
static void test_alpn_negotiated(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    tpair p;

    REQUIRE_OK(latch_config_set_alpn(cc, "h2,http/1.1"));
    REQUIRE_OK(latch_config_set_alpn(sc, "http/1.1,h2"));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    REQUIRE(latch_conn_alpn(p.c) != NULL);
    CHECK(strcmp(latch_conn_alpn(p.c), "http/1.1") == 0);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* ---- Small setters ---------------------------------------------------------------------------------- */

static void on_trace(void *user, const latch_conn *c, const latch_trace_event *ev)
{
    (void)c;
    (void)ev;
    ++*(int *)user;
}

static void on_keylog(void *user, const latch_conn *c, const char *line)
{
    (void)c;
    if (strncmp(line, "CLIENT_HANDSHAKE_TRAFFIC_SECRET ", 32) == 0 ||
        strncmp(line, "SERVER_HANDSHAKE_TRAFFIC_SECRET ", 32) == 0 ||
        strncmp(line, "CLIENT_TRAFFIC_SECRET_0 ", 24) == 0 || strncmp(line, "SERVER_TRAFFIC_SECRET_0 ", 24) == 0 ||
        strncmp(line, "EXPORTER_SECRET ", 16) == 0) {
        ++*(int *)user;
    }
}

static int64_t future_clock(void *user)
{
    (void)user;
    return INT64_C(4102444800); /* 2100-01-01: every test certificate has expired */
}

static void test_client_auth_and_flags(void)
{
    latch_config *cfg = fresh();

    CHECK_OK(latch_config_set_client_auth(cfg, LATCH_CLIENT_AUTH_REQUIRE));
    CHECK_EQ(cfg->client_auth, LATCH_CLIENT_AUTH_REQUIRE);
    CHECK_OK(latch_config_set_client_auth(cfg, LATCH_CLIENT_AUTH_OPTIONAL));
    CHECK_EQ(cfg->client_auth, LATCH_CLIENT_AUTH_OPTIONAL);
    CHECK_FAIL(latch_config_set_client_auth(cfg, (latch_client_auth)3), LATCH_ERR_INVALID_ARGUMENT,
               "client authentication mode");
    CHECK_EQ(cfg->client_auth, LATCH_CLIENT_AUTH_OPTIONAL);
    CHECK_OK(latch_config_insecure_no_verify(cfg));
    CHECK(cfg->insecure_no_verify);
    CHECK_OK(latch_config_allow_psk_ke(cfg, true));
    CHECK(cfg->allow_psk_ke);
    CHECK_OK(latch_config_allow_psk_ke(cfg, false));
    CHECK(!cfg->allow_psk_ke);
    CHECK_OK(latch_config_set_early_data(cfg, 16384));
    CHECK_EQ(cfg->max_early_data, 16384);
    CHECK_OK(latch_config_set_early_data(cfg, 0));
    CHECK_EQ(cfg->max_early_data, 0);
    latch_config_free(cfg);
}

/* Trace, key log and clock callbacks are the ones connections call. */
static void test_callbacks(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    int traced = 0, logged = 0;
    tpair p;

    REQUIRE_OK(latch_config_set_trace(cc, on_trace, &traced));
    REQUIRE_OK(latch_config_set_keylog(sc, on_keylog, &logged));
    CHECK(cc->trace == on_trace && cc->trace_user == &traced);
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    CHECK(traced > 10);
    /* The five TLS 1.3 secrets of one handshake (NSS key log format). */
    CHECK_EQ(logged, 5);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);

    /* A clock in 2100: the server's certificate has expired. */
    cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_time(cc, future_clock, NULL));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_ERR(tpair_handshake(&p), LATCH_ERR_CERT_EXPIRED);
    tpair_free(&p);
    latch_config_free(cc);
    /* ... and the default clock is back after NULL. */
    cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_time(cc, future_clock, NULL));
    REQUIRE_OK(latch_config_set_time(cc, NULL, NULL));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* ---- Limits ------------------------------------------------------------------------------------------- */

static void test_limits(void)
{
    latch_config *cfg = fresh();

    CHECK_OK(latch_config_set_limit(cfg, LATCH_LIMIT_HANDSHAKE_MESSAGE, 1024));
    CHECK_EQ(cfg->max_hs_msg, 1024);
    CHECK_OK(latch_config_set_limit(cfg, LATCH_LIMIT_HANDSHAKE_MESSAGE, 1u << 24));
    CHECK_EQ(cfg->max_hs_msg, 1u << 24);
    CHECK_FAIL(latch_config_set_limit(cfg, LATCH_LIMIT_HANDSHAKE_MESSAGE, 1023), LATCH_ERR_INVALID_ARGUMENT,
               "[1024, 2^24]");
    CHECK_FAIL(latch_config_set_limit(cfg, LATCH_LIMIT_HANDSHAKE_MESSAGE, (1u << 24) + 1), LATCH_ERR_INVALID_ARGUMENT,
               "[1024, 2^24]");
    CHECK_EQ(cfg->max_hs_msg, 1u << 24);
    CHECK_OK(latch_config_set_limit(cfg, LATCH_LIMIT_CERT_CHAIN_LENGTH, 1));
    CHECK_OK(latch_config_set_limit(cfg, LATCH_LIMIT_CERT_CHAIN_LENGTH, 16));
    CHECK_EQ(cfg->max_chain_len, 16);
    CHECK_FAIL(latch_config_set_limit(cfg, LATCH_LIMIT_CERT_CHAIN_LENGTH, 17), LATCH_ERR_INVALID_ARGUMENT,
               "at most 16");
    CHECK_OK(latch_config_set_limit(cfg, LATCH_LIMIT_EMPTY_RECORDS, 1));
    CHECK_OK(latch_config_set_limit(cfg, LATCH_LIMIT_EMPTY_RECORDS, 1000000));
    CHECK_EQ(cfg->max_empty_records, 1000000);
    CHECK_FAIL(latch_config_set_limit(cfg, LATCH_LIMIT_EMPTY_RECORDS, 0), LATCH_ERR_INVALID_ARGUMENT, "at least 1");
    CHECK_FAIL(latch_config_set_limit(cfg, LATCH_LIMIT_CERT_CHAIN_LENGTH, 0), LATCH_ERR_INVALID_ARGUMENT,
               "at least 1");
    CHECK_FAIL(latch_config_set_limit(cfg, (latch_limit)99, 5), LATCH_ERR_INVALID_ARGUMENT, "unknown limit 99");
    latch_config_free(cfg);
}

/* The limits bite where they should. */
static void test_limits_enforced(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_RSA2048), *sc = tcfg_server(LATCH_KEY_RSA2048);
    tpair p;

    /* The RSA server's Certificate message is larger than 1024 bytes. */
    REQUIRE_OK(latch_config_set_limit(cc, LATCH_LIMIT_HANDSHAKE_MESSAGE, 1024));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_ERR(tpair_handshake(&p), LATCH_ERR_HANDSHAKE_TOO_LARGE);
    tpair_free(&p);
    latch_config_free(cc);

    /* A chain of leaf and CA is longer than 1. */
    cc = tcfg_client(LATCH_KEY_RSA2048);
    REQUIRE_OK(latch_config_set_limit(cc, LATCH_LIMIT_CERT_CHAIN_LENGTH, 1));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_ERR(tpair_handshake(&p), LATCH_ERR_CERT_CHAIN_TOO_LONG);
    tpair_free(&p);
    latch_config_free(cc);

    /* Two empty application data records in a row when one is allowed. */
    cc = tcfg_client(LATCH_KEY_RSA2048);
    REQUIRE_OK(latch_config_set_limit(cc, LATCH_LIMIT_EMPTY_RECORDS, 1));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(tpair_handshake(&p));
    REQUIRE_OK(latch__conn_send_record(p.s, LATCH_CT_APPLICATION_DATA, (const uint8_t *)"", 0));
    CHECK_OK(tpump(p.s, p.c));
    REQUIRE_OK(latch__conn_send_record(p.s, LATCH_CT_APPLICATION_DATA, (const uint8_t *)"", 0));
    CHECK_ERR(tpump(p.s, p.c), LATCH_ERR_TOO_MANY_EMPTY_RECORDS);
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* ---- Resumption settings ----------------------------------------------------------------------------------- */

static void test_tickets(void)
{
    latch_config *cfg = fresh();

    CHECK_OK(latch_config_set_tickets(cfg, 0, 1));
    CHECK_EQ(cfg->tickets, 0);
    CHECK_EQ(cfg->ticket_lifetime, 1);
    CHECK_OK(latch_config_set_tickets(cfg, 16, 604800));
    CHECK_EQ(cfg->tickets, 16);
    CHECK_EQ(cfg->ticket_lifetime, 604800);
    CHECK_EQ(cfg->ticket_keys.rotate, 604800); /* keys rotate once per lifetime */
    CHECK_FAIL(latch_config_set_tickets(cfg, 2, 0), LATCH_ERR_INVALID_ARGUMENT, "604800 seconds");
    CHECK_FAIL(latch_config_set_tickets(cfg, 2, 604801), LATCH_ERR_INVALID_ARGUMENT, "604800 seconds");
    CHECK_FAIL(latch_config_set_tickets(cfg, 17, 3600), LATCH_ERR_INVALID_ARGUMENT, "at most 16 tickets");
    CHECK_EQ(cfg->tickets, 16);
    CHECK_EQ(cfg->ticket_lifetime, 604800);
    latch_config_free(cfg);
}

/* How many tickets a client gets from a server configured so. */
static unsigned tickets_seen(latch_config *sc)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    unsigned n = 99;
    tpair p;

    if (tpair_new(&p, cc, sc, "localhost") == LATCH_OK && tpair_handshake(&p) == LATCH_OK) {
        n = p.c->tickets_received;
    }
    tpair_free(&p);
    latch_config_free(cc);
    return n;
}

static void test_tickets_sent(void)
{
    latch_config *sc = tcfg_server(LATCH_KEY_ECDSA_P256);

    CHECK_EQ(tickets_seen(sc), 2);
    latch_config_free(sc);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_tickets(sc, 3, 60));
    CHECK_EQ(tickets_seen(sc), 3);
    latch_config_free(sc);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_tickets(sc, 0, 60));
    CHECK_EQ(tickets_seen(sc), 0);
    latch_config_free(sc);
    sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_config_set_session_store(sc, LATCH_SESSIONS_OFF, 1));
    CHECK_EQ(tickets_seen(sc), 0);
    latch_config_free(sc);
}

static void test_session_store(void)
{
    latch_config *cfg = tcfg_server(LATCH_KEY_ECDSA_P256);
    latch_conn *s;

    CHECK_OK(latch_config_set_session_store(cfg, LATCH_SESSIONS_OFF, 1));
    CHECK_EQ(cfg->store, LATCH_SESSIONS_OFF);
    CHECK_OK(latch_config_set_session_store(cfg, LATCH_SESSIONS_TICKETS, 1u << 20));
    CHECK_EQ(cfg->cache_size, 1u << 20);
    CHECK_FAIL(latch_config_set_session_store(cfg, (latch_session_store)3, 10), LATCH_ERR_INVALID_ARGUMENT,
               "unknown session store");
    CHECK_FAIL(latch_config_set_session_store(cfg, LATCH_SESSIONS_CACHE, 0), LATCH_ERR_INVALID_ARGUMENT, "[1, 2^20]");
    CHECK_FAIL(latch_config_set_session_store(cfg, LATCH_SESSIONS_CACHE, (1u << 20) + 1), LATCH_ERR_INVALID_ARGUMENT,
               "[1, 2^20]");
    CHECK_EQ(cfg->store, LATCH_SESSIONS_TICKETS);
    /* A cache is made once, when a server first uses the config. */
    CHECK_OK(latch_config_set_session_store(cfg, LATCH_SESSIONS_CACHE, 5));
    CHECK(cfg->cache == NULL);
    REQUIRE_OK(latch_conn_new_server(cfg, &s));
    CHECK(cfg->cache != NULL);
    latch_conn_free(s);
    latch_config_free(cfg);
}

static void test_psks(void)
{
    static const uint8_t key[32] = {1, 2, 3};
    uint8_t big_id[LATCH_TICKET_MAX + 1];
    latch_config *cfg = fresh();

    memset(big_id, 'i', sizeof big_id);
    CHECK_OK(latch_config_add_psk(cfg, (const uint8_t *)"client-1", 8, key, 32, LATCH_TLS_AES_128_GCM_SHA256));
    REQUIRE(cfg->n_psks == 1);
    CHECK_MEM(cfg->psks[0].ticket, cfg->psks[0].ticket_len, "client-1", 8);
    CHECK_MEM(cfg->psks[0].secret.b, cfg->psks[0].secret.len, key, 32);
    CHECK_EQ(cfg->psks[0].suite, LATCH_TLS_AES_128_GCM_SHA256);
    CHECK(cfg->psks[0].external);
    /* Bounds: identity 1..2048 bytes, key 16..64 bytes. */
    CHECK_OK(latch_config_add_psk(cfg, big_id, LATCH_TICKET_MAX, key, 16, LATCH_TLS_AES_256_GCM_SHA384));
    CHECK_FAIL(latch_config_add_psk(cfg, big_id, 0, key, 32, 0x1301), LATCH_ERR_INVALID_ARGUMENT, "identity");
    CHECK_FAIL(latch_config_add_psk(cfg, big_id, sizeof big_id, key, 32, 0x1301), LATCH_ERR_INVALID_ARGUMENT,
               "1 to 2048 bytes");
    CHECK_FAIL(latch_config_add_psk(cfg, NULL, 4, key, 32, 0x1301), LATCH_ERR_INVALID_ARGUMENT, "identity");
    CHECK_FAIL(latch_config_add_psk(cfg, big_id, 4, key, 15, 0x1301), LATCH_ERR_INVALID_ARGUMENT, "16 to 64 bytes");
    CHECK_FAIL(latch_config_add_psk(cfg, big_id, 4, NULL, 32, 0x1301), LATCH_ERR_INVALID_ARGUMENT, "16 to 64 bytes");
    {
        uint8_t k65[65] = {0};

        CHECK_FAIL(latch_config_add_psk(cfg, big_id, 4, k65, 65, 0x1301), LATCH_ERR_INVALID_ARGUMENT, "16 to 64");
    }
    /* A TLS 1.3 suite: its hash is the PSK's. */
    CHECK_FAIL(latch_config_add_psk(cfg, big_id, 4, key, 32, LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
               LATCH_ERR_INVALID_ARGUMENT, "TLS 1.3 cipher suite");
    CHECK_FAIL(latch_config_add_psk(cfg, big_id, 4, key, 32, 0x1304), LATCH_ERR_INVALID_ARGUMENT, "TLS 1.3 cipher suite");
    CHECK_EQ(cfg->n_psks, 2);
    /* At most 8. */
    for (int i = 2; i < 8; i++) {
        CHECK_OK(latch_config_add_psk(cfg, (const uint8_t *)"id", 2, key, 32, 0x1301));
    }
    CHECK_FAIL(latch_config_add_psk(cfg, (const uint8_t *)"id", 2, key, 32, 0x1301), LATCH_ERR_INVALID_ARGUMENT,
               "at most 8");
    CHECK_EQ(cfg->n_psks, 8);
    /* The first ones survived the list's growth. */
    CHECK_MEM(cfg->psks[0].ticket, cfg->psks[0].ticket_len, "client-1", 8);
    CHECK_EQ(cfg->psks[1].ticket_len, LATCH_TICKET_MAX);
    latch_config_free(cfg);
}

/* ---- Freezing ---------------------------------------------------------------------------------------- */

static latch_err dummy_trace_setter(latch_config *cfg)
{
    return latch_config_set_trace(cfg, on_trace, NULL);
}

/* Every setter, with arguments that would otherwise be accepted. */
static void every_setter(latch_config *cfg, latch_err want, const char *needle, const char *dir)
{
    static const uint8_t key[32] = {0};
    const tpki *pki = tpki_get(LATCH_KEY_ECDSA_P256);
    char cert_path[512], key_path[512], ca_path[512];

    snprintf(cert_path, sizeof cert_path, "%s/server.pem", dir);
    snprintf(key_path, sizeof key_path, "%s/server.key", dir);
    snprintf(ca_path, sizeof ca_path, "%s/ca.pem", dir);
    CHECK_FAIL(latch_config_add_cert_file(cfg, cert_path, key_path), want, needle);
    CHECK_FAIL(latch_config_add_cert_mem(cfg, (const uint8_t *)pki->server, strlen(pki->server),
                                         (const uint8_t *)pki->server_key, strlen(pki->server_key)),
               want, needle);
    CHECK_FAIL(latch_config_load_ca_file(cfg, ca_path), want, needle);
    CHECK_FAIL(latch_config_load_ca_dir(cfg, dir), want, needle);
    CHECK_FAIL(latch_config_load_ca_mem(cfg, (const uint8_t *)pki->ca, strlen(pki->ca)), want, needle);
    CHECK_FAIL(latch_config_load_system_cas(cfg), want, needle);
    CHECK_FAIL(latch_config_set_versions(cfg, LATCH_TLS13, LATCH_TLS13), want, needle);
    CHECK_FAIL(latch_config_set_ciphers(cfg, "TLS_AES_128_GCM_SHA256"), want, needle);
    CHECK_FAIL(latch_config_set_groups(cfg, "x25519"), want, needle);
    CHECK_FAIL(latch_config_set_key_shares(cfg, 1), want, needle);
    CHECK_FAIL(latch_config_set_sigalgs(cfg, "ed25519"), want, needle);
    CHECK_FAIL(latch_config_set_alpn(cfg, "h2"), want, needle);
    CHECK_FAIL(latch_config_set_client_auth(cfg, LATCH_CLIENT_AUTH_REQUIRE), want, needle);
    CHECK_FAIL(latch_config_insecure_no_verify(cfg), want, needle);
    CHECK_FAIL(latch_config_set_tickets(cfg, 1, 60), want, needle);
    CHECK_FAIL(latch_config_set_session_store(cfg, LATCH_SESSIONS_CACHE, 10), want, needle);
    CHECK_FAIL(latch_config_allow_psk_ke(cfg, true), want, needle);
    CHECK_FAIL(latch_config_set_early_data(cfg, 100), want, needle);
    CHECK_FAIL(latch_config_add_psk(cfg, (const uint8_t *)"id", 2, key, 32, 0x1301), want, needle);
    CHECK_FAIL(dummy_trace_setter(cfg), want, needle);
    CHECK_FAIL(latch_config_set_keylog(cfg, on_keylog, NULL), want, needle);
    CHECK_FAIL(latch_config_set_time(cfg, future_clock, NULL), want, needle);
    CHECK_FAIL(latch_config_set_limit(cfg, LATCH_LIMIT_EMPTY_RECORDS, 5), want, needle);
}

static char pki_path[64];

static void remove_pki_dir(void)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", pki_path);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", pki_path);
    }
}

/* A directory holding a test PKI (latch_pki_generate), removed at exit. */
static const char *pki_dir(void)
{
    if (pki_path[0] == '\0') {
        snprintf(pki_path, sizeof pki_path, "/tmp/latch-config-test-%ld", (long)getpid());
        if (latch_pki_generate(pki_path, LATCH_KEY_ECDSA_P256) != LATCH_OK) {
            abort();
        }
        atexit(remove_pki_dir);
    }
    return pki_path;
}

static void test_frozen(void)
{
    latch_config *cfg = tcfg_client(LATCH_KEY_ECDSA_P256);
    latch_config *before = malloc(sizeof *before);
    latch_conn *c;

    REQUIRE(before != NULL);
    REQUIRE_OK(latch_conn_new_client(cfg, "localhost", &c));
    CHECK(atomic_load(&cfg->frozen));
    CHECK_EQ(atomic_load(&cfg->refs), 2);
    memcpy(before, cfg, sizeof *before);
    every_setter(cfg, LATCH_ERR_CONFIG_FROZEN, "can no longer change", pki_dir());
    /* Nothing moved. */
    CHECK_EQ(cfg->min_version, before->min_version);
    CHECK_EQ(cfg->n_suites, before->n_suites);
    CHECK_EQ(cfg->n_groups, before->n_groups);
    CHECK_EQ(cfg->key_shares, before->key_shares);
    CHECK_EQ(cfg->n_sigalgs, before->n_sigalgs);
    CHECK_EQ(cfg->alpn_len, before->alpn_len);
    CHECK_EQ(cfg->client_auth, before->client_auth);
    CHECK_EQ(cfg->insecure_no_verify, before->insecure_no_verify);
    CHECK_EQ(cfg->n_chains, before->n_chains);
    CHECK_EQ(cfg->n_psks, before->n_psks);
    CHECK_EQ(cfg->tickets, before->tickets);
    CHECK_EQ(cfg->store, before->store);
    CHECK(cfg->trace == before->trace && cfg->keylog == before->keylog && cfg->time == before->time);
    CHECK_EQ(cfg->max_empty_records, before->max_empty_records);
    CHECK_EQ(latch_trust_count(cfg->trust), latch_trust_count(before->trust));
    /* Frozen for good, even once the connection is gone. */
    latch_conn_free(c);
    CHECK_EQ(atomic_load(&cfg->refs), 1);
    CHECK_FAIL(latch_config_set_alpn(cfg, "h2"), LATCH_ERR_CONFIG_FROZEN, "can no longer change");
    latch_config_free(cfg);
    free(before);

    /* A server connection freezes too. */
    cfg = tcfg_server(LATCH_KEY_ECDSA_P256);
    REQUIRE_OK(latch_conn_new_server(cfg, &c));
    CHECK_FAIL(latch_config_set_groups(cfg, "x25519"), LATCH_ERR_CONFIG_FROZEN, "can no longer change");
    latch_conn_free(c);
    latch_config_free(cfg);
}

/* A NULL config is refused by every setter. */
static void test_null_config(void)
{
    every_setter(NULL, LATCH_ERR_INVALID_ARGUMENT, "NULL", pki_dir());
}

/* ---- Reference counting ------------------------------------------------------------------------------ */

static void test_refcount(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    const uint8_t msg[] = "still here";
    latch_conn *c2;
    tpair p;

    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    REQUIRE_OK(latch_conn_new_client(cc, "localhost", &c2));
    CHECK_EQ(atomic_load(&cc->refs), 3);
    CHECK_EQ(atomic_load(&sc->refs), 2);
    /* The application drops its references before the handshake even starts. */
    latch_config_free(cc);
    latch_config_free(sc);
    CHECK_EQ(atomic_load(&cc->refs), 2);
    CHECK_OK(tpair_handshake(&p));
    CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
    CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
    latch_conn_free(p.c);
    p.c = NULL;
    CHECK_EQ(atomic_load(&c2->cfg->refs), 1); /* c2 holds the last one */
    /* The last connections free the configs (ASan reports a leak or a use after free otherwise). */
    latch_conn_free(c2);
    latch_conn_free(p.s);
}

/* Connections made from many threads at once share one config. */
typedef struct hs_job {
    latch_config *cc, *sc;
    int ok;
} hs_job;

static void *hs_thread(void *arg)
{
    hs_job *j = arg;

    for (int i = 0; i < 5; i++) {
        tpair p;

        if (tpair_new(&p, j->cc, j->sc, "localhost") == LATCH_OK && tpair_handshake(&p) == LATCH_OK) {
            j->ok++;
        }
        tpair_free(&p);
    }
    return NULL;
}

static void test_shared_across_threads(void)
{
    latch_config *cc = tcfg_client(LATCH_KEY_ECDSA_P256), *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    pthread_t th[4];
    hs_job j[4];

    for (int i = 0; i < 4; i++) {
        j[i] = (hs_job){cc, sc, 0};
        REQUIRE(pthread_create(&th[i], NULL, hs_thread, &j[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK_EQ(j[i].ok, 5);
    }
    CHECK_EQ(atomic_load(&cc->refs), 1);
    CHECK_EQ(atomic_load(&sc->refs), 1);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* ---- Certificates and CAs from files ---------------------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0) {
        abort();
    }
}

static void test_cert_files(void)
{
    const char *dir = pki_dir();
    char cert[512], key[512], garbage[512], missing[512], client_key[512];
    latch_config *cfg = fresh();

    snprintf(cert, sizeof cert, "%s/server-chain.pem", dir);
    snprintf(key, sizeof key, "%s/server.key", dir);
    snprintf(client_key, sizeof client_key, "%s/client.key", dir);
    snprintf(garbage, sizeof garbage, "%s/garbage.pem", dir);
    snprintf(missing, sizeof missing, "%s/no-such-file.pem", dir);
    write_file(garbage, "this is not PEM\n-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n");

    CHECK_OK(latch_config_add_cert_file(cfg, cert, key));
    CHECK_EQ(cfg->n_chains, 1);
    CHECK_EQ(latch_chain_count(cfg->chains[0]), 2);
    /* Each failure names the file. */
    CHECK_FAIL(latch_config_add_cert_file(cfg, missing, key), LATCH_ERR_FILE_READ, "no-such-file.pem");
    CHECK_FAIL(latch_config_add_cert_file(cfg, cert, missing), LATCH_ERR_FILE_READ, "no-such-file.pem");
    CHECK_FAIL(latch_config_add_cert_file(cfg, garbage, key), LATCH_ERR_PEM_DECODE, "garbage.pem");
    CHECK_FAIL(latch_config_add_cert_file(cfg, cert, garbage), LATCH_ERR_PEM_DECODE, "garbage.pem");
    CHECK_FAIL(latch_config_add_cert_file(cfg, dir, key), LATCH_ERR_FILE_READ, "not a regular file");
    CHECK_FAIL(latch_config_add_cert_file(cfg, cert, client_key), LATCH_ERR_KEY_MISMATCH, "");
    CHECK_FAIL(latch_config_add_cert_file(cfg, NULL, key), LATCH_ERR_INVALID_ARGUMENT, "paths");
    CHECK_FAIL(latch_config_add_cert_mem(cfg, NULL, 0, NULL, 0), LATCH_ERR_INVALID_ARGUMENT, "required");
    CHECK_FAIL(latch_config_add_cert_mem(cfg, (const uint8_t *)"junk", 4, (const uint8_t *)"junk", 4),
               LATCH_ERR_PEM_DECODE, "");
    CHECK_EQ(cfg->n_chains, 1);
    /* At most 8 chains. */
    for (int i = 1; i < 8; i++) {
        CHECK_OK(latch_config_add_cert_file(cfg, cert, key));
    }
    CHECK_FAIL(latch_config_add_cert_file(cfg, cert, key), LATCH_ERR_INVALID_ARGUMENT, "at most 8 certificate chains");
    CHECK_EQ(cfg->n_chains, 8);
    latch_config_free(cfg);
}

static void test_ca_files(void)
{
    const char *dir = pki_dir();
    char ca[512], garbage[512], missing[512], empty_dir[512];
    latch_config *cfg = fresh();

    snprintf(ca, sizeof ca, "%s/ca.pem", dir);
    snprintf(garbage, sizeof garbage, "%s/garbage-ca.pem", dir);
    snprintf(missing, sizeof missing, "%s/missing-ca.pem", dir);
    snprintf(empty_dir, sizeof empty_dir, "%s/empty", dir);
    write_file(garbage, "no certificates in here\n");
    mkdir(empty_dir, 0700);

    CHECK_OK(latch_config_load_ca_file(cfg, ca));
    CHECK(cfg->cas_configured);
    CHECK_EQ(latch_trust_count(cfg->trust), 1);
    CHECK_FAIL(latch_config_load_ca_file(cfg, missing), LATCH_ERR_FILE_READ, "missing-ca.pem");
    CHECK_FAIL(latch_config_load_ca_file(cfg, garbage), LATCH_ERR_PEM_DECODE, "garbage-ca.pem");
    CHECK_FAIL(latch_config_load_ca_dir(cfg, empty_dir), LATCH_ERR_FILE_READ, "empty");
    CHECK_FAIL(latch_config_load_ca_mem(cfg, (const uint8_t *)"nothing", 7), LATCH_ERR_PEM_DECODE, "");
    CHECK_FAIL(latch_config_load_ca_file(cfg, NULL), LATCH_ERR_INVALID_ARGUMENT, "NULL");
    CHECK_EQ(latch_trust_count(cfg->trust), 1);
    latch_config_free(cfg);
}

/* A client with the CA from a file verifies the server. */
static void test_ca_file_verifies(void)
{
    const char *dir = pki_dir();
    char ca[512], cert[512], key[512];
    latch_config *cc = fresh(), *sc = fresh();
    tpair p;

    snprintf(ca, sizeof ca, "%s/ca.pem", dir);
    snprintf(cert, sizeof cert, "%s/server-chain.pem", dir);
    snprintf(key, sizeof key, "%s/server.key", dir);
    REQUIRE_OK(latch_config_load_ca_file(cc, ca));
    REQUIRE_OK(latch_config_add_cert_file(sc, cert, key));
    REQUIRE_OK(tpair_new(&p, cc, sc, "localhost"));
    CHECK_OK(tpair_handshake(&p));
    tpair_free(&p);
    latch_config_free(cc);
    latch_config_free(sc);
}

/* ---- The system store -------------------------------------------------------------------------------------- */

/* Run one handshake with a client config made by make_client; return its result. */
static latch_err handshake_with(latch_config *cc)
{
    latch_config *sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    tpair p;
    latch_err e = tpair_new(&p, cc, sc, "localhost");

    if (e == LATCH_OK) {
        e = tpair_handshake(&p);
    }
    tpair_free(&p);
    latch_config_free(sc);
    return e;
}

static void save_env(const char *name, char **saved)
{
    const char *v = getenv(name);

    *saved = v != NULL ? strdup(v) : NULL;
}

static void restore_env(const char *name, char *saved)
{
    if (saved != NULL) {
        setenv(name, saved, 1);
        free(saved);
    } else {
        unsetenv(name);
    }
}

static void test_system_store(void)
{
    char *file, *dirs;
    char ca[512], missing[512];
    latch_config *cc;

    /* The CA of the servers handshake_with() talks to. */
    snprintf(ca, sizeof ca, "%s/tpki-ca.pem", pki_dir());
    write_file(ca, tpki_get(LATCH_KEY_ECDSA_P256)->ca);
    snprintf(missing, sizeof missing, "%s/nowhere.pem", pki_dir());
    save_env("SSL_CERT_FILE", &file);
    save_env("SSL_CERT_DIR", &dirs);

    /* The real system store (libcrypto's default file and directory, with
     * SSL_CERT_FILE and SSL_CERT_DIR unset) does not know the test CA. */
    unsetenv("SSL_CERT_FILE");
    unsetenv("SSL_CERT_DIR");
    cc = fresh();
    {
        latch_conn *c = NULL;
        latch_err e = latch_conn_new_client(cc, "localhost", &c);

        latch_conn_free(c);
        if (e == LATCH_ERR_FILE_READ) {
            /* Only on a machine without ca-certificates; the cases below still run. */
            printf("note: no system CA store here (%s); skipping the default-store case\n", latch_last_error()->detail);
        } else {
            CHECK_ERR(handshake_with(cc), LATCH_ERR_CERT_UNKNOWN_CA);
            REQUIRE(cc->trust != NULL);
            CHECK(latch_trust_count(cc->trust) > 0); /* it was loaded, not empty */
            CHECK(!cc->cas_configured);
        }
    }
    latch_config_free(cc);

    /* Point the system store at the test CA: the same client now succeeds,
     * so the store really is what verifies. */
    setenv("SSL_CERT_FILE", ca, 1);
    unsetenv("SSL_CERT_DIR");
    cc = fresh();
    CHECK_OK(handshake_with(cc));
    CHECK_EQ(latch_trust_count(cc->trust), 1);
    latch_config_free(cc);

    /* Explicit latch_config_load_system_cas adds to configured CAs. */
    cc = fresh();
    REQUIRE_OK(latch_config_load_ca_mem(cc, (const uint8_t *)tpki_get(LATCH_KEY_RSA2048)->ca,
                                        strlen(tpki_get(LATCH_KEY_RSA2048)->ca)));
    CHECK_OK(latch_config_load_system_cas(cc));
    CHECK_EQ(latch_trust_count(cc->trust), 2);
    CHECK_OK(handshake_with(cc));
    latch_config_free(cc);

    /* A configured CA replaces the system store. */
    cc = tcfg_client(LATCH_KEY_RSA2048);
    CHECK_ERR(handshake_with(cc), LATCH_ERR_CERT_UNKNOWN_CA);
    latch_config_free(cc);

    /* A system store that cannot be read: the client cannot start. */
    setenv("SSL_CERT_FILE", missing, 1);
    cc = fresh();
    {
        latch_conn *c = NULL;

        CHECK_FAIL(latch_conn_new_client(cc, "localhost", &c), LATCH_ERR_FILE_READ, "nowhere.pem");
        CHECK(c == NULL);
        CHECK(!atomic_load(&cc->frozen)); /* not frozen by a failed start */
    }
    latch_config_free(cc);

    /* Without verification, the store is never loaded. */
    cc = fresh();
    REQUIRE_OK(latch_config_insecure_no_verify(cc));
    CHECK_OK(handshake_with(cc));
    CHECK(cc->trust == NULL);
    latch_config_free(cc);

    restore_env("SSL_CERT_FILE", file);
    restore_env("SSL_CERT_DIR", dirs);
}

static const latch_test cases[] = {
    TEST(test_defaults),
    TEST(test_new_rejects),
    TEST(test_new_allocator),
    TEST(test_versions),
    TEST(test_ciphers),
    TEST(test_ciphers_all),
    TEST(test_groups),
    TEST(test_key_shares),
    TEST(test_sigalgs),
    TEST(test_alpn),
    TEST(test_alpn_negotiated),
    TEST(test_client_auth_and_flags),
    TEST(test_callbacks),
    TEST(test_limits),
    TEST(test_limits_enforced),
    TEST(test_tickets),
    TEST(test_tickets_sent),
    TEST(test_session_store),
    TEST(test_psks),
    TEST(test_frozen),
    TEST(test_null_config),
    TEST(test_refcount),
    TEST(test_shared_across_threads),
    TEST(test_cert_files),
    TEST(test_ca_files),
    TEST(test_ca_file_verifies),
    TEST(test_system_store),
    {0},
};

LATCH_TEST_MAIN(cases)
