/* The shared configuration. See include/latch/config.h. */
#include "config.h"

#include "core/alloc.h"
#include "core/err.h"
#include "hs/suites.h"
#include "io/clock.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>


static const uint16_t default_groups[] = {LATCH_GROUP_X25519, LATCH_GROUP_SECP256R1, LATCH_GROUP_SECP384R1};

static const uint16_t default_sigalgs[] = {
    LATCH_SIG_ECDSA_SECP256R1_SHA256, LATCH_SIG_ECDSA_SECP384R1_SHA384, LATCH_SIG_ED25519,
    LATCH_SIG_RSA_PSS_RSAE_SHA256,    LATCH_SIG_RSA_PSS_RSAE_SHA384,    LATCH_SIG_RSA_PSS_RSAE_SHA512,
    LATCH_SIG_RSA_PSS_PSS_SHA256,     LATCH_SIG_RSA_PSS_PSS_SHA384,     LATCH_SIG_RSA_PSS_PSS_SHA512,
    LATCH_SIG_RSA_PKCS1_SHA256,       LATCH_SIG_RSA_PKCS1_SHA384,       LATCH_SIG_RSA_PKCS1_SHA512,
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The default suites, from the suite table's own orders: TLS 1.3 first
 * (AES-GCM before ChaCha20, as AES-NI machines prefer), then the TLS 1.2
 * ECDHE AEAD suites, then the RSA key transport suites, which stay inactive
 * unless latch_config_enable_legacy_rsa_kx() switches them on.
 */
static void default_suites(latch_config *cfg)
{
    size_t n13, n12, all;
    const uint16_t *o13 = latch_suite_default_order(LATCH_TLS13, &n13);
    const uint16_t *o12 = latch_suite_default_order(LATCH_TLS12, &n12);
    const latch_suite *s = latch_suite_all(&all);

    cfg->n_suites = 0;
    for (size_t i = 0; i < n13 && cfg->n_suites < LATCH_MAX_SUITES; i++) {
        cfg->suites[cfg->n_suites++] = o13[i];
    }
    for (size_t i = 0; i < n12 && cfg->n_suites < LATCH_MAX_SUITES; i++) {
        cfg->suites[cfg->n_suites++] = o12[i];
    }
    for (size_t i = 0; i < all && cfg->n_suites < LATCH_MAX_SUITES; i++) {
        if (s[i].kx == LATCH_SUITE_KX_RSA) {
            cfg->suites[cfg->n_suites++] = s[i].id;
        }
    }
}

latch_err latch_config_new(latch_config **out)
{
    return latch_config_new_ex(NULL, NULL, out);
}

latch_err latch_config_new_ex(const latch_provider *prov, const latch_allocator *alloc, latch_config **out)
{
    latch_config *cfg;

    latch__err_clear();
    LATCH_ENSURE(out != NULL, LATCH_ERR_INVALID_ARGUMENT, "out must not be NULL");
    *out = NULL;
    if (prov == NULL) {
        prov = latch_provider_openssl();
        LATCH_ENSURE(prov != NULL, LATCH_ERR_UNSUPPORTED,
                     "libcrypto lacks an algorithm latch needs (AES-GCM, ChaCha20-Poly1305 or SHA-2)");
    }
    if (alloc == NULL) {
        alloc = latch__default_allocator();
    }
    LATCH_ENSURE(alloc->alloc != NULL && alloc->free != NULL, LATCH_ERR_INVALID_ARGUMENT,
                 "the allocator needs both alloc and free");
    cfg = latch__alloc(alloc, sizeof *cfg);
    LATCH_ENSURE(cfg != NULL, LATCH_ERR_NO_MEMORY, "allocating the config");
    atomic_init(&cfg->refs, 1);
    atomic_init(&cfg->frozen, false);
    if (pthread_mutex_init(&cfg->freeze_lock, NULL) != 0) {
        latch__free(alloc, cfg, sizeof *cfg);
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "pthread_mutex_init failed");
    }
    cfg->prov = prov;
    cfg->alloc = *alloc;
    cfg->min_version = LATCH_TLS12;
    cfg->max_version = LATCH_TLS13;
    default_suites(cfg);
    memcpy(cfg->groups, default_groups, sizeof default_groups);
    cfg->n_groups = COUNT(default_groups);
    cfg->key_shares = 2;
    cfg->send_ca_list = true;
    memcpy(cfg->sigalgs, default_sigalgs, sizeof default_sigalgs);
    cfg->n_sigalgs = COUNT(default_sigalgs);
    cfg->time = latch__default_time;
    cfg->tickets = 2;
    cfg->ticket_lifetime = 7200;
    cfg->store = LATCH_SESSIONS_TICKETS;
    cfg->cache_size = 1024;
    if (latch_ticket_keys_init(&cfg->ticket_keys, cfg->ticket_lifetime) != LATCH_OK) {
        pthread_mutex_destroy(&cfg->freeze_lock);
        latch__free(alloc, cfg, sizeof *cfg);
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "initialising the ticket keys");
    }
    if (latch_replay_init(&cfg->replay, &cfg->alloc) != LATCH_OK) {
        latch_ticket_keys_cleanup(&cfg->ticket_keys);
        pthread_mutex_destroy(&cfg->freeze_lock);
        latch__free(alloc, cfg, sizeof *cfg);
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "initialising the replay store");
    }
    cfg->max_hs_msg = 65536;
    cfg->max_chain_len = 10;
    cfg->max_chain_bytes = 65536;
    cfg->max_empty_records = 32;
    *out = cfg;
    return LATCH_OK;
}

static void config_destroy(latch_config *cfg)
{
    latch_allocator alloc = cfg->alloc;

    for (size_t i = 0; i < cfg->n_chains; i++) {
        latch_chain_free(cfg->chains[i]);
    }
    latch_trust_free(cfg->trust);
    latch_cache_free(cfg->cache);
    latch_ticket_keys_cleanup(&cfg->ticket_keys);
    latch_replay_cleanup(&cfg->replay);
    latch__free(&alloc, cfg->psks, cfg->n_psks * sizeof *cfg->psks);
    pthread_mutex_destroy(&cfg->freeze_lock);
    latch__free(&alloc, cfg, sizeof *cfg);
}

void latch_config_free(latch_config *cfg)
{
    latch__config_release(cfg);
}

void latch__config_release(latch_config *cfg)
{
    if (cfg != NULL && atomic_fetch_sub(&cfg->refs, 1) == 1) {
        config_destroy(cfg);
    }
}

latch_err latch__config_acquire(latch_config *cfg, bool client)
{
    latch_err e = LATCH_OK;

    LATCH_ENSURE(cfg != NULL, LATCH_ERR_INVALID_ARGUMENT, "config must not be NULL");
    if (pthread_mutex_lock(&cfg->freeze_lock) != 0) {
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "pthread_mutex_lock failed");
    }
    /* A client with no configured anchors verifies against the system store. */
    if (client && cfg->trust == NULL && !cfg->insecure_no_verify) {
        e = latch_trust_new(&cfg->trust);
        if (e == LATCH_OK) {
            e = latch_trust_add_system(cfg->trust);
            if (e != LATCH_OK) {
                latch_trust_free(cfg->trust);
                cfg->trust = NULL;
            }
        }
    }
    /* A server keeping sessions in a cache makes it once, shared by all. */
    if (e == LATCH_OK && !client && cfg->store == LATCH_SESSIONS_CACHE && cfg->cache == NULL) {
        e = latch_cache_new(&cfg->alloc, cfg->cache_size, &cfg->cache);
    }
    if (e == LATCH_OK) {
        atomic_store(&cfg->frozen, true);
        atomic_fetch_add(&cfg->refs, 1);
    }
    pthread_mutex_unlock(&cfg->freeze_lock);
    return e;
}

int64_t latch__config_now(const latch_config *cfg)
{
    int64_t t = cfg->time(cfg->time_user);

    /* An application's clock may return anything: keep it where time arithmetic cannot overflow. */
    return t < 0 ? 0 : t > LATCH_TIME_MAX ? LATCH_TIME_MAX : t;
}

static latch_err writable(latch_config *cfg)
{
    latch__err_clear();
    LATCH_ENSURE(cfg != NULL, LATCH_ERR_INVALID_ARGUMENT, "config must not be NULL");
    LATCH_ENSURE(!atomic_load(&cfg->frozen), LATCH_ERR_CONFIG_FROZEN,
                 "the config is used by a connection and can no longer change");
    return LATCH_OK;
}

/* ---- Identity ------------------------------------------------------------- */

static latch_err add_chain(latch_config *cfg, latch_chain *ch)
{
    if (cfg->n_chains == LATCH_MAX_CHAINS) {
        latch_chain_free(ch);
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "at most %d certificate chains per config", LATCH_MAX_CHAINS);
    }
    cfg->chains[cfg->n_chains++] = ch;
    return LATCH_OK;
}

latch_err latch_config_add_cert_file(latch_config *cfg, const char *cert_path, const char *key_path)
{
    latch_chain *ch;

    LATCH_TRY(writable(cfg));
    LATCH_ENSURE(cert_path != NULL && key_path != NULL, LATCH_ERR_INVALID_ARGUMENT,
                 "certificate and key paths are required");
    LATCH_TRY(latch_chain_load_files(&cfg->alloc, cert_path, key_path, &ch));
    return add_chain(cfg, ch);
}

latch_err latch_config_add_cert_mem(latch_config *cfg, const uint8_t *cert, size_t cert_len, const uint8_t *key,
                                    size_t key_len)
{
    latch_chain *ch;

    LATCH_TRY(writable(cfg));
    LATCH_ENSURE(cert != NULL && key != NULL, LATCH_ERR_INVALID_ARGUMENT, "certificate and key are required");
    LATCH_TRY(latch_chain_load(&cfg->alloc, cert, cert_len, key, key_len, &ch));
    return add_chain(cfg, ch);
}

/* ---- Trust ------------------------------------------------------------------ */

static latch_err trust(latch_config *cfg)
{
    LATCH_TRY(writable(cfg));
    if (cfg->trust == NULL) {
        LATCH_TRY(latch_trust_new(&cfg->trust));
    }
    cfg->cas_configured = true;
    return LATCH_OK;
}

latch_err latch_config_load_ca_file(latch_config *cfg, const char *path)
{
    LATCH_TRY(trust(cfg));
    LATCH_ENSURE(path != NULL, LATCH_ERR_INVALID_ARGUMENT, "path must not be NULL");
    return latch_trust_add_file(cfg->trust, path);
}

latch_err latch_config_load_ca_dir(latch_config *cfg, const char *path)
{
    LATCH_TRY(trust(cfg));
    LATCH_ENSURE(path != NULL, LATCH_ERR_INVALID_ARGUMENT, "path must not be NULL");
    return latch_trust_add_dir(cfg->trust, path);
}

latch_err latch_config_load_ca_mem(latch_config *cfg, const uint8_t *pem, size_t len)
{
    LATCH_TRY(trust(cfg));
    LATCH_ENSURE(pem != NULL, LATCH_ERR_INVALID_ARGUMENT, "pem must not be NULL");
    return latch_trust_add_pem(cfg->trust, pem, len);
}

latch_err latch_config_load_system_cas(latch_config *cfg)
{
    LATCH_TRY(trust(cfg));
    return latch_trust_add_system(cfg->trust);
}

/* ---- Policy -------------------------------------------------------------------- */

latch_err latch_config_set_versions(latch_config *cfg, uint16_t min, uint16_t max)
{
    LATCH_TRY(writable(cfg));
    LATCH_ENSURE((min == LATCH_TLS12 || min == LATCH_TLS13) && (max == LATCH_TLS12 || max == LATCH_TLS13),
                 LATCH_ERR_INVALID_ARGUMENT, "versions must be LATCH_TLS12 or LATCH_TLS13");
    LATCH_ENSURE(min <= max, LATCH_ERR_INVALID_ARGUMENT, "the minimum version is above the maximum");
    cfg->min_version = min;
    cfg->max_version = max;
    return LATCH_OK;
}

/*
 * Split a ':' or ',' separated list and call item() on each name. Names are
 * copied into a bounded buffer, so an over-long name is an error, not a
 * truncation.
 */
static latch_err each_name(const char *list, latch_err (*item)(void *ctx, const char *name), void *ctx)
{
    char name[64];
    size_t n = 0;

    LATCH_ENSURE(list != NULL, LATCH_ERR_INVALID_ARGUMENT, "list must not be NULL");
    for (const char *p = list;; p++) {
        if (*p == ':' || *p == ',' || *p == '\0') {
            if (n > 0) {
                name[n] = '\0';
                LATCH_TRY(item(ctx, name));
                n = 0;
            }
            if (*p == '\0') {
                break;
            }
            continue;
        }
        if (*p == ' ') {
            continue;
        }
        if (n + 1 >= sizeof name) {
            return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "name too long in list '%.60s'", list);
        }
        name[n++] = *p;
    }
    return LATCH_OK;
}

typedef struct u16_list {
    uint16_t *v;
    size_t n, cap;
    const char *what;
    latch_config *cfg;
} u16_list;

static latch_err push_unique(u16_list *l, uint16_t v, const char *name)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i] == v) {
            return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "%s '%s' listed twice", l->what, name);
        }
    }
    if (l->n == l->cap) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "too many %ss (at most %zu)", l->what, l->cap);
    }
    l->v[l->n++] = v;
    return LATCH_OK;
}

static latch_err suite_item(void *ctx, const char *name)
{
    u16_list *l = ctx;
    const latch_suite *s = latch_suite_by_name(name);

    if (s == NULL) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "unknown cipher suite '%s'", name);
    }
    if (s->kx == LATCH_SUITE_KX_RSA && !l->cfg->legacy_rsa_kx) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT,
                          "'%s' uses RSA key transport, which needs latch_config_enable_legacy_rsa_kx", name);
    }
    return push_unique(l, s->id, name);
}

latch_err latch_config_set_ciphers(latch_config *cfg, const char *list)
{
    uint16_t v[LATCH_MAX_SUITES];
    u16_list l = {v, 0, LATCH_MAX_SUITES, "cipher suite", cfg};

    LATCH_TRY(writable(cfg));
    LATCH_TRY(each_name(list, suite_item, &l));
    LATCH_ENSURE(l.n > 0, LATCH_ERR_INVALID_ARGUMENT, "the cipher suite list is empty");
    memcpy(cfg->suites, v, l.n * sizeof v[0]);
    cfg->n_suites = l.n;
    return LATCH_OK;
}

uint16_t latch__group_by_name(const latch_provider *prov, const char *name)
{
    static const struct {
        const char *alias;
        uint16_t group;
    } aliases[] = {
        {"X25519", LATCH_GROUP_X25519},      {"P-256", LATCH_GROUP_SECP256R1}, {"prime256v1", LATCH_GROUP_SECP256R1},
        {"P-384", LATCH_GROUP_SECP384R1},
    };

    for (size_t i = 0; i < COUNT(aliases); i++) {
        if (strcasecmp(name, aliases[i].alias) == 0) {
            return aliases[i].group;
        }
    }
    for (size_t i = 0; prov->kx[i] != NULL; i++) {
        if (strcasecmp(name, prov->kx[i]->name) == 0) {
            return prov->kx[i]->group;
        }
    }
    return 0;
}

static latch_err group_item(void *ctx, const char *name)
{
    u16_list *l = ctx;
    uint16_t g = latch__group_by_name(l->cfg->prov, name);

    if (g == 0) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "unknown or unsupported group '%s'", name);
    }
    return push_unique(l, g, name);
}

latch_err latch_config_set_groups(latch_config *cfg, const char *list)
{
    uint16_t v[LATCH_MAX_GROUPS];
    u16_list l = {v, 0, LATCH_MAX_GROUPS, "group", cfg};

    LATCH_TRY(writable(cfg));
    LATCH_TRY(each_name(list, group_item, &l));
    LATCH_ENSURE(l.n > 0, LATCH_ERR_INVALID_ARGUMENT, "the group list is empty");
    memcpy(cfg->groups, v, l.n * sizeof v[0]);
    cfg->n_groups = l.n;
    return LATCH_OK;
}

latch_err latch_config_set_key_shares(latch_config *cfg, unsigned n)
{
    LATCH_TRY(writable(cfg));
    LATCH_ENSURE(n <= 3, LATCH_ERR_INVALID_ARGUMENT, "at most 3 key shares");
    cfg->key_shares = n;
    return LATCH_OK;
}

static latch_err sigalg_item(void *ctx, const char *name)
{
    u16_list *l = ctx;
    const latch_provider *prov = l->cfg->prov;

    for (size_t i = 0; prov->sig[i] != NULL; i++) {
        if (strcasecmp(name, prov->sig[i]->name) == 0) {
            return push_unique(l, prov->sig[i]->scheme, name);
        }
    }
    return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "unknown or unsupported signature scheme '%s'", name);
}

latch_err latch_config_set_sigalgs(latch_config *cfg, const char *list)
{
    uint16_t v[LATCH_MAX_SIGALGS];
    u16_list l = {v, 0, LATCH_MAX_SIGALGS, "signature scheme", cfg};

    LATCH_TRY(writable(cfg));
    LATCH_TRY(each_name(list, sigalg_item, &l));
    LATCH_ENSURE(l.n > 0, LATCH_ERR_INVALID_ARGUMENT, "the signature scheme list is empty");
    memcpy(cfg->sigalgs, v, l.n * sizeof v[0]);
    cfg->n_sigalgs = l.n;
    return LATCH_OK;
}

latch_err latch_config_set_alpn(latch_config *cfg, const char *list)
{
    uint8_t wire[LATCH_ALPN_WIRE_MAX];
    size_t len = 0;
    const char *p;

    LATCH_TRY(writable(cfg));
    LATCH_ENSURE(list != NULL, LATCH_ERR_INVALID_ARGUMENT, "list must not be NULL");
    p = list;
    while (*p != '\0') {
        size_t n = strcspn(p, ",");

        /* RFC 7301 §3.1: ProtocolName opaque<1..2^8-1>. */
        if (n == 0 || n > 255) {
            return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "ALPN names must be 1 to 255 bytes ('%.60s')", list);
        }
        if (len + 1 + n > sizeof wire) {
            return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "ALPN list longer than %zu bytes", sizeof wire);
        }
        wire[len++] = (uint8_t)n;
        memcpy(wire + len, p, n);
        len += n;
        p += n;
        if (*p == ',') {
            p++;
            LATCH_ENSURE(*p != '\0', LATCH_ERR_INVALID_ARGUMENT, "ALPN list ends with ','");
        }
    }
    memcpy(cfg->alpn_wire, wire, len);
    cfg->alpn_len = len;
    return LATCH_OK;
}

latch_err latch_config_set_client_auth(latch_config *cfg, latch_client_auth mode)
{
    LATCH_TRY(writable(cfg));
    LATCH_ENSURE(mode == LATCH_CLIENT_AUTH_NONE || mode == LATCH_CLIENT_AUTH_OPTIONAL ||
                     mode == LATCH_CLIENT_AUTH_REQUIRE,
                 LATCH_ERR_INVALID_ARGUMENT, "unknown client authentication mode");
    cfg->client_auth = mode;
    return LATCH_OK;
}

latch_err latch_config_set_client_ca_list(latch_config *cfg, bool send)
{
    LATCH_TRY(writable(cfg));
    cfg->send_ca_list = send;
    return LATCH_OK;
}

latch_err latch_config_set_strict_sni(latch_config *cfg, bool strict)
{
    LATCH_TRY(writable(cfg));
    cfg->strict_sni = strict;
    return LATCH_OK;
}

latch_err latch_config_set_client_cert_cb(latch_config *cfg, latch_client_cert_cb cb, void *user)
{
    LATCH_TRY(writable(cfg));
    cfg->client_cert_cb = cb;
    cfg->client_cert_user = user;
    return LATCH_OK;
}

latch_err latch_config_enable_legacy_rsa_kx(latch_config *cfg)
{
    LATCH_TRY(writable(cfg));
    LATCH_ENSURE(cfg->prov->rsa_encrypt != NULL && cfg->prov->rsa_decrypt_tls != NULL, LATCH_ERR_UNSUPPORTED,
                 "the crypto provider has no RSA key transport");
    cfg->legacy_rsa_kx = true;
    return LATCH_OK;
}

latch_err latch_config_insecure_no_verify(latch_config *cfg)
{
    LATCH_TRY(writable(cfg));
    cfg->insecure_no_verify = true;
    return LATCH_OK;
}

latch_err latch_config_set_trace(latch_config *cfg, latch_trace_cb cb, void *user)
{
    LATCH_TRY(writable(cfg));
    cfg->trace = cb;
    cfg->trace_user = user;
    return LATCH_OK;
}

latch_err latch_config_set_keylog(latch_config *cfg, latch_keylog_cb cb, void *user)
{
    LATCH_TRY(writable(cfg));
    cfg->keylog = cb;
    cfg->keylog_user = user;
    return LATCH_OK;
}

latch_err latch_config_set_time(latch_config *cfg, latch_time_cb cb, void *user)
{
    LATCH_TRY(writable(cfg));
    cfg->time = cb != NULL ? cb : latch__default_time;
    cfg->time_user = cb != NULL ? user : NULL;
    return LATCH_OK;
}

latch_err latch_config_set_limit(latch_config *cfg, latch_limit which, size_t value)
{
    LATCH_TRY(writable(cfg));
    LATCH_ENSURE(value >= 1, LATCH_ERR_INVALID_ARGUMENT, "limits must be at least 1");
    switch (which) {
    case LATCH_LIMIT_HANDSHAKE_MESSAGE:
        LATCH_ENSURE(value >= 1024 && value <= (1u << 24), LATCH_ERR_INVALID_ARGUMENT,
                     "the handshake message limit must lie in [1024, 2^24]");
        cfg->max_hs_msg = value;
        return LATCH_OK;
    case LATCH_LIMIT_CERT_CHAIN_LENGTH:
        LATCH_ENSURE(value <= 16, LATCH_ERR_INVALID_ARGUMENT, "the chain length limit is at most 16");
        cfg->max_chain_len = value;
        return LATCH_OK;
    case LATCH_LIMIT_EMPTY_RECORDS:
        cfg->max_empty_records = value;
        return LATCH_OK;
    case LATCH_LIMIT_CERT_CHAIN_BYTES:
        LATCH_ENSURE(value <= (1u << 24), LATCH_ERR_INVALID_ARGUMENT, "the chain size limit is at most 2^24");
        cfg->max_chain_bytes = value;
        return LATCH_OK;
    }
    return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "unknown limit %d", (int)which);
}

/* ---- Resumption ---------------------------------------------------------------- */

latch_err latch_config_set_tickets(latch_config *cfg, unsigned count, uint32_t lifetime)
{
    LATCH_TRY(writable(cfg));
    /* RFC 8446 §4.6.1: ticket_lifetime at most 7 days. */
    LATCH_ENSURE(lifetime >= 1 && lifetime <= 604800, LATCH_ERR_INVALID_ARGUMENT,
                 "ticket lifetimes are 1 to 604800 seconds (7 days)");
    LATCH_ENSURE(count <= 16, LATCH_ERR_INVALID_ARGUMENT, "at most 16 tickets per connection");
    cfg->tickets = count;
    cfg->ticket_lifetime = lifetime;
    cfg->ticket_keys.rotate = lifetime;
    return LATCH_OK;
}

latch_err latch_config_set_session_store(latch_config *cfg, latch_session_store mode, size_t cache_size)
{
    LATCH_TRY(writable(cfg));
    LATCH_ENSURE(mode == LATCH_SESSIONS_TICKETS || mode == LATCH_SESSIONS_CACHE || mode == LATCH_SESSIONS_OFF,
                 LATCH_ERR_INVALID_ARGUMENT, "unknown session store");
    LATCH_ENSURE(cache_size >= 1 && cache_size <= (1u << 20), LATCH_ERR_INVALID_ARGUMENT,
                 "the cache size must lie in [1, 2^20]");
    cfg->store = mode;
    cfg->cache_size = cache_size;
    return LATCH_OK;
}

latch_err latch_config_allow_psk_ke(latch_config *cfg, bool allow)
{
    LATCH_TRY(writable(cfg));
    cfg->allow_psk_ke = allow;
    return LATCH_OK;
}

latch_err latch_config_set_early_data(latch_config *cfg, uint32_t max_size)
{
    LATCH_TRY(writable(cfg));
    cfg->max_early_data = max_size;
    return LATCH_OK;
}

latch_err latch_config_add_psk(latch_config *cfg, const uint8_t *identity, size_t id_len, const uint8_t *key,
                               size_t key_len, uint16_t suite)
{
    const latch_suite *s = latch_suite_by_id(suite);
    latch_session *n, *psk;

    LATCH_TRY(writable(cfg));
    LATCH_ENSURE(identity != NULL && id_len >= 1 && id_len <= LATCH_TICKET_MAX, LATCH_ERR_INVALID_ARGUMENT,
                 "a PSK identity is 1 to 2048 bytes");
    LATCH_ENSURE(key != NULL && key_len >= 16 && key_len <= LATCH_SECRET_MAX, LATCH_ERR_INVALID_ARGUMENT,
                 "a PSK is 16 to 64 bytes");
    LATCH_ENSURE(s != NULL && s->version == LATCH_TLS13, LATCH_ERR_INVALID_ARGUMENT,
                 "an external PSK is tied to a TLS 1.3 cipher suite");
    LATCH_ENSURE(cfg->n_psks < 8, LATCH_ERR_INVALID_ARGUMENT, "at most 8 external PSKs");
    n = latch__alloc(&cfg->alloc, (cfg->n_psks + 1) * sizeof *n);
    LATCH_ENSURE(n != NULL, LATCH_ERR_NO_MEMORY, "allocating the PSK list");
    if (cfg->n_psks > 0) {
        memcpy(n, cfg->psks, cfg->n_psks * sizeof *n);
    }
    latch__free(&cfg->alloc, cfg->psks, cfg->n_psks * sizeof *n);
    cfg->psks = n;
    psk = &n[cfg->n_psks++];
    psk->version = LATCH_TLS13;
    psk->suite = suite;
    psk->external = true;
    latch_secret_set(&psk->secret, key, key_len);
    psk->lifetime = UINT32_MAX;
    memcpy(psk->ticket, identity, id_len);
    psk->ticket_len = (uint16_t)id_len;
    return LATCH_OK;
}
