/* The config's internals, shared by config.c, conn.c and src/hs/. */
#ifndef LATCH_CONFIG_INT_H
#define LATCH_CONFIG_INT_H

#include <latch/config.h>

#include "hs/cache.h"
#include "hs/replay.h"
#include "hs/ticket.h"
#include "x509/cert.h"
#include "x509/trust.h"

#include <pthread.h>
#include <stdatomic.h>

#define LATCH_MAX_SUITES 16
#define LATCH_MAX_GROUPS 8
#define LATCH_MAX_SIGALGS 16
#define LATCH_MAX_CHAINS 8
#define LATCH_ALPN_WIRE_MAX 512

struct latch_config {
    atomic_int refs;
    atomic_bool frozen;
    pthread_mutex_t freeze_lock;
    const latch_provider *prov;
    latch_allocator alloc;

    uint16_t min_version, max_version;
    uint16_t suites[LATCH_MAX_SUITES]; /* both versions, in preference order */
    size_t n_suites;
    uint16_t groups[LATCH_MAX_GROUPS];
    size_t n_groups;
    unsigned key_shares;
    uint16_t sigalgs[LATCH_MAX_SIGALGS];
    size_t n_sigalgs;
    uint8_t alpn_wire[LATCH_ALPN_WIRE_MAX]; /* protocol_name_list body */
    size_t alpn_len;
    latch_client_auth client_auth;
    bool send_ca_list;             /* name the client CAs in CertificateRequest */
    bool strict_sni;               /* refuse a server_name no chain matches (unrecognized_name) */
    latch_client_cert_cb client_cert_cb;
    void *client_cert_user;
    bool insecure_no_verify;
    bool legacy_rsa_kx;

    latch_chain *chains[LATCH_MAX_CHAINS];
    size_t n_chains;
    latch_trust *trust;   /* NULL until a CA is configured (or system store loaded at freeze) */
    bool cas_configured;  /* the application chose trust anchors */

    latch_trace_cb trace;
    void *trace_user;
    latch_keylog_cb keylog;
    void *keylog_user;
    latch_time_cb time;
    void *time_user;

    /* Resumption. */
    unsigned tickets;          /* NewSessionTickets a server sends after a TLS 1.3 handshake */
    uint32_t ticket_lifetime;  /* seconds */
    latch_session_store store; /* how a server keeps sessions */
    size_t cache_size;
    latch_ticket_keys ticket_keys;
    latch_cache *cache;        /* server sessions (LATCH_SESSIONS_CACHE), made at freeze */
    bool allow_psk_ke;
    uint32_t max_early_data;
    latch_replay replay;       /* 0-RTT ClientHello recording (stateless tickets) */
    latch_session *psks;       /* external PSKs (identity in sid/ticket fields) */
    size_t n_psks;

    size_t max_hs_msg;
    size_t max_chain_len;
    size_t max_chain_bytes;
    size_t max_empty_records;
};

/** Freeze (first connection): load the default trust store for clients; take a reference. */
LATCH_MUST_CHECK latch_err latch__config_acquire(latch_config *cfg, bool client);
/** Drop a connection's reference. */
void latch__config_release(latch_config *cfg);
/** The group named `name` ("x25519", "P-256", ...), or 0. */
uint16_t latch__group_by_name(const latch_provider *prov, const char *name);

/** Current time through the config's clock. */
int64_t latch__config_now(const latch_config *cfg);

#endif
