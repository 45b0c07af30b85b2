/* Shared fuzz support: findings, allocation accounting, input reading, and the engine harness. See fuzz.h. */
#include "fuzz.h"

#include "core/err.h"
#include "core/wipe.h"
#include "hs/keysched12.h"
#include "hs/keysched13.h"
#include "hs/ticket.h"
#include "provider/test/testprov.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Findings ---------------------------------------------------------------------- */

void fz_fail(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "FUZZ FINDING: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}

/* ---- Allocation accounting ------------------------------------------------------------ */

/* Each block carries its size in front, so a free with the wrong size (a
 * partial wipe, or a wipe past the end) is caught here. */
#define HDR 16

static size_t live, peak;

static void *count_alloc(void *user, size_t n)
{
    uint8_t *p;

    (void)user;
    FZ_ASSERT(n > 0 && n < ((size_t)1 << 30), "latch asked for %zu bytes", n);
    p = malloc(HDR + n);
    if (p == NULL) {
        return NULL;
    }
    memcpy(p, &n, sizeof n);
    live += n;
    if (live > peak) {
        peak = live;
    }
    return p + HDR;
}

static void count_free(void *user, void *ptr, size_t n)
{
    uint8_t *p = (uint8_t *)ptr - HDR;
    size_t had;

    (void)user;
    memcpy(&had, p, sizeof had);
    /* latch__alloc turns a request for 0 bytes into 1. */
    FZ_ASSERT(had == n || (n == 0 && had == 1), "latch freed a block of %zu bytes as %zu bytes", had, n);
    live -= had;
    free(p);
}

const latch_allocator fz_allocator = {count_alloc, count_free, NULL};

size_t fz_alloc_live(void)
{
    return live;
}

size_t fz_alloc_peak(void)
{
    return peak;
}

void fz_alloc_reset_peak(void)
{
    peak = live;
}

/* ---- Input ---------------------------------------------------------------------------------- */

uint8_t fz_u8(fz_in *in)
{
    uint8_t v;

    if (in->n == 0) {
        return 0;
    }
    v = in->p[0];
    in->p++;
    in->n--;
    return v;
}

uint16_t fz_u16(fz_in *in)
{
    uint16_t hi = fz_u8(in);

    return (uint16_t)(hi << 8 | fz_u8(in));
}

const uint8_t *fz_bytes(fz_in *in, size_t n, size_t *got)
{
    const uint8_t *p = in->p;

    if (n > in->n) {
        n = in->n;
    }
    in->p += n;
    in->n -= n;
    *got = n;
    return p;
}

/* ---- Configs ---------------------------------------------------------------------------------- */

#define SEED_CLIENT UINT64_C(0xC11E47)
#define SEED_SERVER UINT64_C(0x5E47E4)

static latch_testprov *tp;
static latch_config *configs[2][FZ_VARIANTS];

static int64_t fixed_clock(void *user)
{
    (void)user;
    return FZ_NOW;
}

static void keylog(void *user, const latch_conn *c, const char *line);

static void must(latch_err e, const char *what)
{
    FZ_ASSERT(e == LATCH_OK, "fuzz setup: %s: %s (%s)", what, latch_err_name(e), latch_last_error()->detail);
}

static const uint8_t *u8s(const char *s)
{
    return (const uint8_t *)s;
}

latch_config *fz_config(bool server, unsigned variant)
{
    latch_config **slot = &configs[server][variant % FZ_VARIANTS];
    latch_config *cfg;

    if (*slot != NULL) {
        return *slot;
    }
    if (tp == NULL) {
        tp = latch__testprov_new(0);
        FZ_ASSERT(tp != NULL, "fuzz setup: no test provider");
    }
    must(latch_config_new_ex(latch__testprov_provider(tp), &fz_allocator, &cfg), "config");
    must(latch_config_load_ca_mem(cfg, u8s(fz_ca_pem), strlen(fz_ca_pem)), "CA");
    must(latch_config_set_time(cfg, fixed_clock, NULL), "clock");
    must(latch_config_set_keylog(cfg, keylog, NULL), "key log");
    if (server) {
        must(latch_config_add_cert_mem(cfg, u8s(fz_server_chain_pem), strlen(fz_server_chain_pem),
                                       u8s(fz_server_key_pem), strlen(fz_server_key_pem)),
             "server chain");
        switch (variant & 3u) {
        case 1: must(latch_config_set_client_auth(cfg, LATCH_CLIENT_AUTH_OPTIONAL), "client auth"); break;
        case 2: must(latch_config_set_client_auth(cfg, LATCH_CLIENT_AUTH_REQUIRE), "client auth"); break;
        default: break;
        }
        if (variant & FZ_S_ALPN) {
            must(latch_config_set_alpn(cfg, "http/1.1,h2"), "ALPN");
        }
        if (variant & FZ_V_RSA) {
            must(latch_config_add_cert_mem(cfg, u8s(fz_rsa_chain_pem), strlen(fz_rsa_chain_pem),
                                           u8s(fz_rsa_key_pem), strlen(fz_rsa_key_pem)),
                 "RSA chain");
            /* No RSA-PSS: its salt comes from libcrypto, not the provider,
             * and a ServerKeyExchange signed differently on every run would
             * make a recorded client Finished stale. */
            must(latch_config_set_sigalgs(cfg, "ed25519:rsa_pkcs1_sha256:rsa_pkcs1_sha384:rsa_pkcs1_sha512"),
                 "sigalgs");
        }
        if (variant & FZ_S_NOSESS) {
            must(latch_config_set_session_store(cfg, LATCH_SESSIONS_OFF, 1), "sessions");
        } else {
            /* A fixed ticket key: a ticket this server issued in a recorded
             * handshake opens when the recording offers it back (keys made
             * on demand would come from whichever input sealed first). The
             * clock never moves, so the key never rotates. */
            static const uint8_t name[LATCH_TICKET_NAME_LEN] = "latch fuzz tkt";
            uint8_t key[32];

            memset(key, 0x7C, sizeof key);
            must(latch_ticket_keys_set(&cfg->ticket_keys, cfg->prov, name, key, FZ_NOW),
                 "ticket key");
        }
    } else {
        if (variant & FZ_C_ALPN) {
            must(latch_config_set_alpn(cfg, "h2,http/1.1"), "ALPN");
        }
        if (variant & FZ_C_CERT) {
            must(latch_config_add_cert_mem(cfg, u8s(fz_client_pem), strlen(fz_client_pem), u8s(fz_client_key_pem),
                                           strlen(fz_client_key_pem)),
                 "client chain");
        }
        if (variant & FZ_C_ONESHARE) {
            must(latch_config_set_key_shares(cfg, 1), "key shares");
        }
        if (variant & FZ_V_RSA) {
            must(latch_config_load_ca_mem(cfg, u8s(fz_rsa_ca_pem), strlen(fz_rsa_ca_pem)), "RSA CA");
        }
    }
    if (variant & FZ_V_TLS12) {
        must(latch_config_set_versions(cfg, LATCH_TLS12, LATCH_TLS12), "versions");
    }
    if (variant & FZ_V_RSA) {
        must(latch_config_enable_legacy_rsa_kx(cfg), "RSA key transport");
    }
    if (variant & FZ_V_SUITES) {
        static const char *const suites[2][4] = {
            {"", "TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",
             "TLS_AES_256_GCM_SHA384:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384",
             "TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"},
            {"", "TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256",
             "TLS_AES_256_GCM_SHA384:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:AES256-GCM-SHA384",
             "TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"},
        };
        unsigned family = (variant & FZ_V_SUITES) >> FZ_V_SUITE_SHIFT;

        must(latch_config_set_ciphers(cfg, suites[(variant & FZ_V_RSA) != 0][family]), "ciphers");
    }
    *slot = cfg;
    return cfg;
}

/* ---- The peer's keys ---------------------------------------------------------------------------- */

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    return -1;
}

/* "LABEL <client random> <secret>": the secret's bytes. */
static void parse_secret(const char *line, latch_secret *s)
{
    const char *p = strchr(line, ' ');
    uint8_t b[LATCH_SECRET_MAX];
    size_t n = 0;

    p = p != NULL ? strchr(p + 1, ' ') : NULL;
    FZ_ASSERT(p != NULL, "malformed key log line");
    for (p++; p[0] != '\0' && p[1] != '\0' && n < sizeof b; p += 2) {
        int hi = hexval(p[0]), lo = hexval(p[1]);

        FZ_ASSERT(hi >= 0 && lo >= 0, "non-hex secret in the key log");
        b[n++] = (uint8_t)(hi << 4 | lo);
    }
    latch_secret_set(s, b, n);
    latch_wipe(b, sizeof b);
}

/* The engine logs its read secrets, which are the peer's write secrets. */
static void keylog(void *user, const latch_conn *c, const char *line)
{
    fz_engine *e = latch_conn_user(c);
    const char *hs = e != NULL && e->server ? "CLIENT_HANDSHAKE_TRAFFIC_SECRET " : "SERVER_HANDSHAKE_TRAFFIC_SECRET ";
    const char *ap = e != NULL && e->server ? "CLIENT_TRAFFIC_SECRET_0 " : "SERVER_TRAFFIC_SECRET_0 ";

    (void)user;
    if (e == NULL) {
        return;
    }
    if (strncmp(line, hs, strlen(hs)) == 0) {
        parse_secret(line, &e->hs);
        e->have_hs = true;
    } else if (strncmp(line, ap, strlen(ap)) == 0) {
        parse_secret(line, &e->ap);
        e->have_ap = true;
    } else if (strncmp(line, "CLIENT_RANDOM ", 14) == 0) {
        /* TLS 1.2: the master secret, both directions' keys come from it. */
        parse_secret(line, &e->master);
        e->have_master = true;
    }
}

static void install(fz_engine *e, const latch_secret *secret)
{
    const latch_conn *c = e->c;
    uint8_t key[LATCH_AEAD_MAX_KEY];

    if (e->ctx != NULL) {
        e->aead->destroy(e->ctx);
        e->ctx = NULL;
    }
    FZ_ASSERT(c->aead != NULL && c->hash != NULL, "keys logged before a suite was chosen");
    e->aead = c->aead;
    must(latch_ks13_traffic_keys(c->hash, c->aead, secret, key, e->iv), "traffic keys");
    must(c->aead->create(c->aead, key, true, &e->ctx), "AEAD context");
    latch_wipe(key, sizeof key);
    e->seq = 0;
}

/* The peer's TLS 1.2 write key and fixed IV, cut from the key block (RFC 5246 §6.3). */
static void keys12(fz_engine *e, uint8_t key[LATCH_AEAD_MAX_KEY], uint8_t iv[LATCH_AEAD_NONCE_LEN], size_t *iv_len)
{
    const latch_conn *c = e->c;
    latch_keys12 k;

    FZ_ASSERT(c->aead != NULL && c->hash != NULL, "a TLS 1.2 master secret before a suite was chosen");
    *iv_len = c->aead->id == LATCH_AEAD_CHACHA20_POLY1305 ? 12 : 4;
    must(latch_ks12_keys(c->hash, &e->master, c->client_random, c->server_random, c->aead->key_len, *iv_len, &k),
         "TLS 1.2 keys");
    /* The peer writes with the other side's keys: a client's if the engine is the server. */
    memcpy(key, e->server ? k.client_key : k.server_key, c->aead->key_len);
    memset(iv, 0, LATCH_AEAD_NONCE_LEN);
    memcpy(iv, e->server ? k.client_iv : k.server_iv, *iv_len);
    latch_wipe(&k, sizeof k);
}

static void install12(fz_engine *e)
{
    uint8_t key[LATCH_AEAD_MAX_KEY];

    if (e->ctx != NULL) {
        e->aead->destroy(e->ctx);
        e->ctx = NULL;
    }
    e->aead = e->c->aead;
    keys12(e, key, e->iv, &e->iv_len);
    must(e->aead->create(e->aead, key, true, &e->ctx), "AEAD context");
    latch_wipe(key, sizeof key);
    e->seq = 0;
}

/* The protection the peer uses for its next record: 0 none, 1 handshake,
 * 2 application (TLS 1.3), 3 the TLS 1.2 key block (after its CCS). */
static int select_key(fz_engine *e)
{
    int want = 0;

    if (e->peer_ccs) {
        if (e->epoch != 3) {
            install12(e);
            e->epoch = 3;
        }
        return 3;
    }
    if (e->have_hs) {
        want = 1;
    }
    if (e->peer_finished && e->have_ap) {
        want = 2;
    }
    if (want != e->epoch) {
        install(e, want == 1 ? &e->hs : &e->ap);
        e->epoch = want;
    }
    return e->epoch;
}

/* After a protected handshake record: the peer's Finished switches it to its
 * application key; a KeyUpdate advances that key (RFC 8446 §4.6.3). */
static void note_handshake(fz_engine *e, const uint8_t *p, size_t n)
{
    bool update = false;

    while (n >= 4) {
        uint8_t type = p[0];
        size_t len = (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];

        if (type == LATCH_HS_FINISHED && e->epoch == 1) {
            e->peer_finished = true;
        } else if (type == LATCH_HS_KEY_UPDATE && e->epoch == 2) {
            update = true;
        }
        if (len > n - 4) {
            break;
        }
        p += 4 + len;
        n -= 4 + len;
    }
    if (update && e->c->hash != NULL && latch_ks13_update_secret(e->c->hash, &e->ap) == LATCH_OK) {
        e->key_updates++;
        install(e, &e->ap);
    }
}

static void put_hdr(uint8_t *out, uint8_t type, size_t len)
{
    out[0] = type;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)(len >> 8);
    out[4] = (uint8_t)len;
}

/* TLS 1.2 additional_data (RFC 5246 §6.2.3.3): seq_num + type + version + length. */
static void aad12(uint8_t aad[13], uint64_t seq, uint8_t type, const uint8_t version[2], size_t len)
{
    for (size_t i = 0; i < 8; i++) {
        aad[i] = (uint8_t)(seq >> (56 - 8 * i));
    }
    aad[8] = type;
    aad[9] = version[0];
    aad[10] = version[1];
    aad[11] = (uint8_t)(len >> 8);
    aad[12] = (uint8_t)len;
}

/* The per-record nonce: AES-GCM salt || explicit (RFC 5288 §3), or ChaCha20's iv XOR seq (RFC 7905 §2). */
static void nonce12(const fz_engine *e, const uint8_t *iv, const uint8_t explicit_part[8], uint64_t seq,
                    uint8_t nonce[LATCH_AEAD_NONCE_LEN])
{
    memcpy(nonce, iv, LATCH_AEAD_NONCE_LEN);
    if (e->iv_len == 4) {
        memcpy(nonce + 4, explicit_part, 8);
        return;
    }
    for (size_t i = 0; i < 8; i++) {
        nonce[LATCH_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(seq >> (8 * i));
    }
}

/* A record under the peer's TLS 1.2 key: header, explicit nonce (AES-GCM), ciphertext, tag. */
static size_t wire12(fz_engine *e, unsigned prot, uint8_t type, const uint8_t *payload, size_t len, uint8_t *out)
{
    static const uint8_t v12[2] = {3, 3};
    size_t ex = e->iv_len == 4 ? 8 : 0;
    uint8_t explicit_part[8], nonce[LATCH_AEAD_NONCE_LEN], aad[13];

    /* latch sends the sequence number as the explicit nonce; any other value is as valid. */
    for (size_t i = 0; i < 8; i++) {
        explicit_part[i] = (uint8_t)(e->seq >> (56 - 8 * i));
    }
    if (prot == FZ_PROT_PAD && ex > 0 && len >= 8) {
        memcpy(explicit_part, payload, 8);
        payload += 8;
        len -= 8;
    }
    if (ex + len + e->aead->tag_len > 0xFFFF) {
        len = 0xFFFF - ex - e->aead->tag_len;
    }
    put_hdr(out, type, ex + len + e->aead->tag_len);
    memcpy(out + 5, explicit_part, ex);
    memcpy(out + 5 + ex, payload, len);
    aad12(aad, e->seq, type, v12, len);
    nonce12(e, e->iv, explicit_part, e->seq, nonce);
    must(e->aead->seal(e->ctx, nonce, aad, sizeof aad, out + 5 + ex, len, out + 5 + ex + len),
         "sealing a peer TLS 1.2 record");
    e->seq++;
    return 5 + ex + len + e->aead->tag_len;
}

/* For the recorder: open a TLS 1.2 record the peer sent (the type is the record's own). */
static bool open12(fz_engine *e, const uint8_t *rec, size_t rec_len, uint8_t *type, uint8_t *plain, size_t *len)
{
    latch_aead_ctx *ctx = NULL;
    uint8_t key[LATCH_AEAD_MAX_KEY], iv[LATCH_AEAD_NONCE_LEN], nonce[LATCH_AEAD_NONCE_LEN], aad[13];
    size_t iv_len, ex = e->iv_len == 4 ? 8 : 0, body;
    bool ok;

    if (rec_len < 5 + ex + e->aead->tag_len) {
        return false;
    }
    body = rec_len - 5 - ex - e->aead->tag_len;
    keys12(e, key, iv, &iv_len);
    must(e->aead->create(e->aead, key, false, &ctx), "AEAD context");
    aad12(aad, e->seq, rec[0], rec + 1, body);
    nonce12(e, iv, rec + 5, e->seq, nonce);
    memcpy(plain, rec + 5 + ex, body);
    ok = e->aead->open(ctx, nonce, aad, sizeof aad, plain, body, rec + 5 + ex + body) == LATCH_OK;
    e->aead->destroy(ctx);
    latch_wipe(key, sizeof key);
    *type = rec[0];
    *len = ok ? body : 0;
    return ok;
}

size_t fz_engine_wire(fz_engine *e, uint8_t ctl, uint8_t type, const uint8_t *payload, size_t len, uint8_t *out,
                      size_t cap)
{
    unsigned prot = ctl & FZ_PROT_MASK;
    uint8_t nonce[LATCH_AEAD_NONCE_LEN];
    size_t pad = 0, inner;
    bool has_type = true;

    FZ_ASSERT(cap >= len + 512 && len <= 0xFFFF, "wire buffer too small");
    if (prot == FZ_PROT_RAW) {
        memcpy(out, payload, len);
        return len;
    }
    if (prot == FZ_PROT_CLEAR || select_key(e) == 0) {
        put_hdr(out, type, len);
        memcpy(out + 5, payload, len);
        /* TLS 1.2 (RFC 5246 §7.1): after its ChangeCipherSpec the peer
         * writes under the pending keys, which the engine has derived once
         * it logged the master secret. */
        if (prot != FZ_PROT_CLEAR && type == LATCH_CT_CHANGE_CIPHER_SPEC && e->have_master &&
            e->c->version == LATCH_TLS12) {
            e->peer_ccs = true;
        }
        return 5 + len;
    }
    if (e->epoch == 3) {
        return wire12(e, prot, type, payload, len, out);
    }
    if (prot == FZ_PROT_PAD) {
        if (len > 0) {
            pad = payload[0];
            payload++;
            len--;
        }
        has_type = type != 0;
    }
    /* TLSInnerPlaintext (RFC 8446 §5.2): content || type || zeros; the
     * record length is 16 bits, so the content is cut to fit. */
    if (len + 1 + pad + e->aead->tag_len > 0xFFFF) {
        len = 0xFFFF - 1 - pad - e->aead->tag_len;
    }
    inner = len + (has_type ? 1 : 0) + pad;
    put_hdr(out, LATCH_CT_APPLICATION_DATA, inner + e->aead->tag_len);
    memcpy(out + 5, payload, len);
    if (has_type) {
        out[5 + len] = type;
    }
    memset(out + 5 + len + (has_type ? 1 : 0), 0, pad);
    memcpy(nonce, e->iv, sizeof nonce);
    for (size_t i = 0; i < 8; i++) {
        nonce[LATCH_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(e->seq >> (8 * i));
    }
    must(e->aead->seal(e->ctx, nonce, out, 5, out + 5, inner, out + 5 + inner), "sealing a peer record");
    e->seq++;
    if (has_type && type == LATCH_CT_HANDSHAKE) {
        note_handshake(e, payload, len);
    }
    return 5 + inner + e->aead->tag_len;
}

bool fz_engine_open_peer(fz_engine *e, const uint8_t *rec, size_t rec_len, uint8_t *type, uint8_t *plain,
                         size_t *len)
{
    latch_aead_ctx *ctx = NULL;
    const latch_secret *s;
    uint8_t key[LATCH_AEAD_MAX_KEY], iv[LATCH_AEAD_NONCE_LEN];
    size_t body;
    bool ok = false;

    *len = 0;
    if (select_key(e) == 3) {
        return open12(e, rec, rec_len, type, plain, len);
    }
    if (e->epoch == 0 || rec_len < 5 + 16 + 1) {
        return false;
    }
    s = e->epoch == 1 ? &e->hs : &e->ap;
    body = rec_len - 5 - e->aead->tag_len;
    must(latch_ks13_traffic_keys(e->c->hash, e->aead, s, key, iv), "traffic keys");
    must(e->aead->create(e->aead, key, false, &ctx), "AEAD context");
    for (size_t i = 0; i < 8; i++) {
        iv[LATCH_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(e->seq >> (8 * i));
    }
    memcpy(plain, rec + 5, body);
    if (e->aead->open(ctx, iv, rec, 5, plain, body, rec + 5 + body) == LATCH_OK) {
        while (body > 0 && plain[body - 1] == 0) {
            body--;
        }
        if (body > 0) {
            *type = plain[body - 1];
            *len = body - 1;
            ok = true;
        }
    }
    e->aead->destroy(ctx);
    latch_wipe(key, sizeof key);
    return ok;
}

/* ---- Driving the engine ------------------------------------------------------------------------------ */

/* Bytes of its own memory a connection may hold at once: record buffers,
 * the largest handshake message, its handshake state. Anything beyond means
 * the peer found a way to make latch grow without bound. */
#define MAX_CONN_BYTES ((size_t)1 << 20)

static size_t baseline;

void fz_engine_start(fz_engine *e, bool server, unsigned variant)
{
    latch_config *cfg = fz_config(server, variant);
    latch_err err;

    memset(e, 0, sizeof *e);
    e->server = server;
    latch__testprov_reseed(tp, server ? SEED_SERVER : SEED_CLIENT);
    baseline = fz_alloc_live();
    fz_alloc_reset_peak();
    if (server) {
        err = latch_conn_new_server(cfg, &e->c);
    } else {
        err = latch_conn_new_client(cfg, "localhost", &e->c);
    }
    must(err, "new connection");
    latch_conn_set_user(e->c, e);
}

void fz_engine_offer(fz_engine *e, const uint8_t *session, size_t len)
{
    /* Not a check: refused bytes (DECODE, a session for another version) leave the connection alone. */
    latch_err err = latch_conn_set_session(e->c, session, len);

    FZ_ASSERT(err == LATCH_OK || latch_conn_error(e->c)->code == LATCH_OK, "a refused session failed the connection");
}

static void check_memory(void)
{
    FZ_ASSERT(fz_alloc_peak() - baseline <= MAX_CONN_BYTES, "a connection held %zu bytes",
              fz_alloc_peak() - baseline);
}

void fz_engine_finish(fz_engine *e)
{
    latch_conn_free(e->c);
    e->c = NULL;
    if (e->ctx != NULL) {
        e->aead->destroy(e->ctx);
    }
    latch_secret_wipe(&e->hs);
    latch_secret_wipe(&e->ap);
    latch_secret_wipe(&e->master);
    check_memory();
    /* Everything the connection allocated came back. */
    FZ_ASSERT(fz_alloc_live() == baseline, "a freed connection kept %zu bytes", fz_alloc_live() - baseline);
}

static bool is_failure(latch_err err)
{
    return err != LATCH_OK && latch_err_class(err) != LATCH_CLASS_WANT && err != LATCH_ERR_CLOSE_NOTIFY;
}

/* After a call returned err: a failure must be the sticky error, reported by every later call. */
static void check_result(fz_engine *e, latch_err err, const char *call)
{
    const latch_error_info *ei = latch_conn_error(e->c);
    unsigned st = latch_conn_state(e->c);
    size_t used = 99;
    uint8_t byte = 0;

    if (!is_failure(err)) {
        FZ_ASSERT(ei->code == LATCH_OK || err == ei->code, "%s returned %s after the connection failed with %s", call,
                  latch_err_name(err), latch_err_name(ei->code));
        return;
    }
    if (ei->code == LATCH_OK) {
        /* A usage error (BAD_STATE, CLOSED) leaves the connection alone. */
        FZ_ASSERT(latch_err_class(err) == LATCH_CLASS_USAGE || err == LATCH_ERR_CLOSED,
                  "%s failed with %s, but the connection records no error", call, latch_err_name(err));
        return;
    }
    FZ_ASSERT(err == ei->code, "%s returned %s, the connection says %s", call, latch_err_name(err),
              latch_err_name(ei->code));
    FZ_ASSERT((st & (LATCH_STATE_FAILED | LATCH_STATE_CLOSED)) == (LATCH_STATE_FAILED | LATCH_STATE_CLOSED),
              "failed connection in state 0x%x", st);
    FZ_ASSERT(!(st & (LATCH_STATE_WANT_INPUT | LATCH_STATE_CAN_WRITE | LATCH_STATE_HAS_APP_DATA)),
              "failed connection still offers 0x%x", st);
    /* The alert sent is the one the code maps to (or none, if it could not be sent). */
    if (err != LATCH_ERR_PEER_ALERT) {
        FZ_ASSERT(ei->alert == LATCH_ALERT_NONE || ei->alert == (uint8_t)latch_err_alert(err),
                  "%s sent alert %u, but %s maps to %u", latch_err_name(err), ei->alert, latch_err_name(err),
                  (unsigned)latch_err_alert(err));
    }
    FZ_ASSERT(latch_conn_feed(e->c, &byte, 1, &used) == err && used == 0, "feed after %s is not sticky",
              latch_err_name(err));
    FZ_ASSERT(latch_conn_write_app(e->c, &byte, 1, &used) == err && used == 0, "write after %s is not sticky",
              latch_err_name(err));
}

/* The handshake may only complete with every check passed. */
static void check_done(fz_engine *e, unsigned variant)
{
    const latch_conn *c = e->c;

    if (!(latch_conn_state(c) & LATCH_STATE_HANDSHAKE_DONE)) {
        return;
    }
    FZ_ASSERT((c->version == LATCH_TLS13 || c->version == LATCH_TLS12) && c->suite != NULL,
              "connected without a version and suite");
    FZ_ASSERT(!(variant & FZ_V_TLS12) || c->version == LATCH_TLS12, "a TLS 1.2-only config connected with TLS 1.3");
    FZ_ASSERT(c->proofs & LATCH_PROOF_FIN, "connected without the peer's Finished");
    if (!e->server && latch_conn_resumed(c)) {
        /* A resumed session: the Finished proves the peer knows its secret. */
        FZ_ASSERT(c->proofs & LATCH_PROOF_PSK, "client resumed without the session's proof");
    } else if (!e->server) {
        /* TLS 1.2 RSA key transport: the Finished shows the server's key (only it could decrypt the premaster). */
        bool rsa_kx = c->version == LATCH_TLS12 && c->suite->kx == LATCH_SUITE_KX_RSA;

        FZ_ASSERT(latch_conn_verify_result(c) == LATCH_OK && latch_conn_peer_cert_count(c) >= 1,
                  "client connected to a server whose certificate did not verify");
        FZ_ASSERT((c->proofs & LATCH_PROOF_CERT) && (rsa_kx || (c->proofs & LATCH_PROOF_CV)),
                  "client connected without the server's certificate proofs");
    } else if ((variant & 3u) == 2) {
        FZ_ASSERT(latch_conn_verify_result(c) == LATCH_OK && (c->proofs & LATCH_PROOF_CV),
                  "server requiring a client certificate connected without one");
    }
}

static void read_all(fz_engine *e)
{
    uint8_t buf[7];

    for (int guard = 0;; guard++) {
        size_t n = 0;
        latch_err err = latch_conn_read_app(e->c, buf, sizeof buf, &n);

        FZ_ASSERT(n <= sizeof buf, "read_app overran");
        check_result(e, err, "read_app");
        if (err != LATCH_OK) {
            return;
        }
        FZ_ASSERT(n > 0, "read_app returned OK with no data");
        FZ_ASSERT(guard < 100000, "read_app never runs dry");
    }
}

void (*fz_output_hook)(const uint8_t *p, size_t n);

void fz_engine_drain(fz_engine *e)
{
    const uint8_t *d;
    size_t n;

    for (int i = 0; i < 4; i++) {
        must(latch_conn_output(e->c, &d, &n), "output");
        if (n == 0) {
            return;
        }
        /* A partial send first, then the rest. */
        if (n > 1 && i == 0) {
            n /= 2;
        }
        if (fz_output_hook != NULL) {
            fz_output_hook(d, n);
        }
        latch_conn_output_done(e->c, n);
    }
}

/* Deliver p[0..n) completely, reading application data as it comes. */
static void feed_all(fz_engine *e, const uint8_t *p, size_t n, bool zcopy)
{
    while (n > 0) {
        unsigned st = latch_conn_state(e->c);
        size_t used = 0;
        latch_err err;

        if (zcopy) {
            uint8_t *buf;
            size_t cap;

            err = latch_conn_input_buffer(e->c, &buf, &cap);
            check_result(e, err, "input_buffer");
            if (err != LATCH_OK || cap == 0) {
                bool blocked = (st & LATCH_STATE_HAS_OUTPUT) && !(st & LATCH_STATE_WANT_INPUT);

                FZ_ASSERT(err != LATCH_OK || (st & (LATCH_STATE_HAS_APP_DATA | LATCH_STATE_CLOSED)) || blocked,
                          "input_buffer has no room, yet nothing waits (state 0x%x)", st);
                if (err != LATCH_OK || (st & LATCH_STATE_CLOSED)) {
                    return;
                }
                if (st & LATCH_STATE_HAS_APP_DATA) {
                    read_all(e);
                } else {
                    fz_engine_drain(e);
                }
                continue;
            }
            used = cap < n ? cap : n;
            memcpy(buf, p, used);
            err = latch_conn_input_done(e->c, used);
        } else {
            err = latch_conn_feed(e->c, p, n, &used);
            FZ_ASSERT(used <= n, "feed used more than it was given");
        }
        check_result(e, err, zcopy ? "input_done" : "feed");
        p += used;
        n -= used;
        if (err != LATCH_OK) {
            return; /* failed, or the peer closed */
        }
        if (used == 0) {
            unsigned now = latch_conn_state(e->c);

            /* Data to read, or (backpressure) output to send first. */
            FZ_ASSERT((now & LATCH_STATE_HAS_APP_DATA) ||
                          ((now & LATCH_STATE_HAS_OUTPUT) && !(now & LATCH_STATE_WANT_INPUT)),
                      "feed took nothing, yet nothing waits (state 0x%x)", now);
            if (!(now & LATCH_STATE_HAS_APP_DATA)) {
                fz_engine_drain(e);
            }
        }
        read_all(e);
    }
}

bool fz_engine_deliver(fz_engine *e, uint8_t ctl, const uint8_t *wire, size_t n)
{
    static const uint8_t app[] = "fuzz says hello";
    bool zcopy = (ctl & FZ_ZCOPY) != 0;
    latch_err err;
    size_t used;

    if ((ctl & FZ_SPLIT) && n >= 3) {
        feed_all(e, wire, 1, zcopy);
        feed_all(e, wire + 1, n / 2 - 1, zcopy);
        feed_all(e, wire + n / 2, n - n / 2, zcopy);
    } else {
        feed_all(e, wire, n, zcopy);
    }
    read_all(e);
    if ((ctl & FZ_WRITE) && (latch_conn_state(e->c) & LATCH_STATE_CAN_WRITE)) {
        err = latch_conn_write_app(e->c, app, sizeof app, &used);
        check_result(e, err, "write_app");
        FZ_ASSERT(err != LATCH_OK || used == sizeof app, "write_app took %zu of %zu bytes", used, sizeof app);
    }
    if (ctl & FZ_KEYUPD) {
        check_result(e, latch_conn_key_update(e->c, true), "key_update");
    }
    if (ctl & FZ_CLOSE) {
        check_result(e, latch_conn_close(e->c), "close");
    }
    if (!(ctl & FZ_HOLD)) {
        fz_engine_drain(e);
    }
    check_memory();
    return !(latch_conn_state(e->c) & LATCH_STATE_CLOSED);
}

void fz_engine_run(bool server, const uint8_t *data, size_t size)
{
    static uint8_t wire[0xFFFF + 1024];
    fz_in in = {data, size};
    unsigned variant = fz_u8(&in) % FZ_VARIANTS;
    fz_engine e;
    bool alive = true;

    fz_engine_start(&e, server, variant);
    if (!server && (variant & FZ_C_SESSION)) {
        size_t got;
        const uint8_t *session = fz_bytes(&in, fz_u16(&in), &got);

        fz_engine_offer(&e, session, got);
    }
    fz_engine_drain(&e); /* a client's ClientHello */
    while (alive && in.n > 0) {
        uint8_t ctl = fz_u8(&in), type = fz_u8(&in);
        uint16_t len = fz_u16(&in);
        size_t got, n;
        const uint8_t *payload = fz_bytes(&in, len, &got);

        n = fz_engine_wire(&e, ctl, type, payload, got, wire, sizeof wire);
        alive = fz_engine_deliver(&e, ctl, wire, n);
        check_done(&e, variant);
    }
    if (getenv("FZ_VERBOSE") != NULL) {
        char why[512];

        (void)latch_conn_error_string(e.c, why, sizeof why);
        fprintf(stderr, "%s variant %u: TLS %x, state 0x%02x%s, peer key updates %llu: %s\n",
                server ? "server" : "client", variant, e.c->version, latch_conn_state(e.c),
                latch_conn_resumed(e.c) ? " (resumed)" : "", (unsigned long long)e.key_updates, why);
    }
    if (alive && !(latch_conn_state(e.c) & LATCH_STATE_FAILED)) {
        check_result(&e, latch_conn_close(e.c), "close");
        fz_engine_drain(&e);
    }
    fz_engine_finish(&e);
}

/* ---- Parser targets ------------------------------------------------------------------------------------ */

unsigned fz_touch(latch_rd r)
{
    volatile unsigned sum = 0;

    FZ_ASSERT(r.len == 0 || r.p != NULL, "a non-empty view with a NULL pointer");
    for (size_t i = 0; i < r.len; i++) {
        sum += r.p[i];
    }
    return sum;
}

static void touch_u16s(latch_u16s l)
{
    FZ_ASSERT(l.r.len % 2 == 0, "a u16 list of odd length");
    for (size_t i = 0; i < latch_u16s_count(l); i++) {
        (void)latch_u16s_at(l, i);
    }
}

void fz_check_failure(latch_err e)
{
    const latch_errloc *l = latch__err_last();

    if (e == LATCH_OK) {
        return;
    }
    FZ_ASSERT(latch_err_class(e) != LATCH_CLASS_WANT, "a parser asked for more input: %s", latch_err_name(e));
    FZ_ASSERT(e != LATCH_ERR_INTERNAL, "a parser failed with an internal error: %s", l->detail);
    FZ_ASSERT(l->code == e && l->file != NULL, "%s returned without a recorded failure site", latch_err_name(e));
}

void fz_parse_exts(const latch_exts *x, unsigned ctx)
{
    for (unsigned id = 0; id < LATCH_X__COUNT; id++) {
        latch_rd d = x->data[id], v;
        latch_u16s l;
        uint16_t u;
        uint32_t u32;
        latch_err e = LATCH_OK;

        if (!latch_exts_has(x, (latch_ext_id)id)) {
            FZ_ASSERT(d.len == 0, "data for an absent extension");
            continue;
        }
        FZ_ASSERT((latch_ext_by_id((latch_ext_id)id)->contexts & ctx) != 0, "%s accepted in a message it may not be in",
                  latch_ext_by_id((latch_ext_id)id)->name);
        (void)fz_touch(d);
        latch__err_clear();
        switch ((latch_ext_id)id) {
        case LATCH_X_SERVER_NAME:
            e = ctx == LATCH_CTX_CH ? latch_ext_server_name_parse(d, &v) : latch_ext_empty_parse(d);
            if (e == LATCH_OK && ctx == LATCH_CTX_CH) {
                (void)fz_touch(v);
                FZ_ASSERT(v.len == 0 || latch_ext_host_name_check(v) == LATCH_OK, "an SNI name that fails its check");
            }
            break;
        case LATCH_X_SUPPORTED_GROUPS:
            if ((e = latch_ext_groups_parse(d, &l)) == LATCH_OK) {
                touch_u16s(l);
            }
            break;
        case LATCH_X_SIGNATURE_ALGORITHMS:
        case LATCH_X_SIGNATURE_ALGORITHMS_CERT:
            if ((e = latch_ext_sigalgs_parse(d, &l)) == LATCH_OK) {
                touch_u16s(l);
            }
            break;
        case LATCH_X_SUPPORTED_VERSIONS:
            if (ctx == LATCH_CTX_CH) {
                if ((e = latch_ext_versions_ch_parse(d, &l)) == LATCH_OK) {
                    touch_u16s(l);
                }
            } else {
                e = latch_ext_versions_sh_parse(d, &u);
            }
            break;
        case LATCH_X_KEY_SHARE:
            if (ctx == LATCH_CTX_CH) {
                static latch_key_shares ks;

                if ((e = latch_ext_key_share_ch_parse(d, &ks)) == LATCH_OK) {
                    FZ_ASSERT(ks.n <= LATCH_MAX_KEY_SHARES, "too many key shares");
                    for (size_t i = 0; i < ks.n; i++) {
                        (void)fz_touch(ks.e[i].key_exchange);
                    }
                }
            } else if (ctx == LATCH_CTX_HRR) {
                e = latch_ext_key_share_hrr_parse(d, &u);
            } else {
                latch_key_share k;

                if ((e = latch_ext_key_share_sh_parse(d, &k)) == LATCH_OK) {
                    (void)fz_touch(k.key_exchange);
                }
            }
            break;
        case LATCH_X_ALPN:
            if (ctx == LATCH_CTX_CH) {
                if ((e = latch_ext_alpn_parse(d, &v)) == LATCH_OK) {
                    latch_rd it = v, proto;
                    size_t n = 0;

                    while (latch_ext_alpn_next(&it, &proto)) {
                        FZ_ASSERT(proto.len > 0, "an empty ALPN name from a validated list");
                        (void)fz_touch(proto);
                        n++;
                    }
                    FZ_ASSERT(n == latch_ext_alpn_count(v.p, v.len), "ALPN count and iteration disagree");
                }
            } else if ((e = latch_ext_alpn_parse_one(d, &v)) == LATCH_OK) {
                (void)fz_touch(v);
            }
            break;
        case LATCH_X_PSK_KEY_EXCHANGE_MODES:
            if ((e = latch_ext_psk_modes_parse(d, &v)) == LATCH_OK) {
                (void)fz_touch(v);
            }
            break;
        case LATCH_X_PRE_SHARED_KEY:
            if (ctx == LATCH_CTX_CH) {
                static latch_offered_psks psks;

                if ((e = latch_ext_psk_ch_parse(d, &psks)) == LATCH_OK) {
                    for (size_t i = 0; i < psks.n; i++) {
                        (void)fz_touch(psks.e[i].identity);
                        (void)fz_touch(psks.e[i].binder);
                    }
                    FZ_ASSERT(psks.binders_len <= d.len, "binders longer than the extension");
                }
            } else {
                e = latch_ext_psk_sh_parse(d, &u);
            }
            break;
        case LATCH_X_EARLY_DATA:
            e = ctx == LATCH_CTX_NST ? latch_ext_early_data_nst_parse(d, &u32) : latch_ext_empty_parse(d);
            break;
        case LATCH_X_COOKIE:
            if ((e = latch_ext_cookie_parse(d, &v)) == LATCH_OK) {
                (void)fz_touch(v);
            }
            break;
        case LATCH_X_CERTIFICATE_AUTHORITIES:
            if ((e = latch_ext_cas_parse(d, &v)) == LATCH_OK) {
                latch_rd it = v, dn;

                while (latch_ext_cas_next(&it, &dn)) {
                    FZ_ASSERT(dn.len > 0, "an empty DN from a validated list");
                    (void)fz_touch(dn);
                }
            }
            break;
        case LATCH_X_RECORD_SIZE_LIMIT:
            e = latch_ext_record_size_limit_parse(d, &u);
            FZ_ASSERT(e != LATCH_OK || u >= 64, "a record_size_limit below 64 accepted");
            break;
        case LATCH_X_EC_POINT_FORMATS: e = latch_ext_point_formats_parse(d); break;
        case LATCH_X_RENEGOTIATION_INFO:
            if ((e = latch_ext_reneg_parse(d, &v)) == LATCH_OK) {
                (void)fz_touch(v);
            }
            break;
        case LATCH_X_POST_HANDSHAKE_AUTH:
        case LATCH_X_EXTENDED_MASTER_SECRET:
        case LATCH_X_ENCRYPT_THEN_MAC: e = latch_ext_empty_parse(d); break;
        case LATCH_X_MAX_FRAGMENT_LENGTH:
        case LATCH_X_STATUS_REQUEST:
        case LATCH_X_USE_SRTP:
        case LATCH_X_HEARTBEAT:
        case LATCH_X_SCT:
        case LATCH_X_CLIENT_CERT_TYPE:
        case LATCH_X_SERVER_CERT_TYPE:
        case LATCH_X_PADDING:
        case LATCH_X_SESSION_TICKET:
        case LATCH_X_OID_FILTERS:
        case LATCH_X__COUNT: break;
        }
        fz_check_failure(e);
    }
}
