/*
 * latch/config.h - configuration shared by many connections.
 *
 * A config holds what does not change from one connection to the next:
 * certificates and keys, trust anchors, protocol policy and callbacks. Build
 * it once, then create connections from it. The first connection freezes it:
 * from then on every setter returns LATCH_ERR_CONFIG_FROZEN, and the config
 * may be used from any number of threads at once (it is reference-counted:
 * each connection holds a reference, so latch_config_free may be called while
 * connections are still alive).
 *
 * Defaults are secure: TLS 1.3 and 1.2 (chosen by version negotiation);
 * AEAD suites only, and in TLS 1.2 ECDHE only (RSA key transport is off,
 * see latch_config_enable_legacy_rsa_kx); groups x25519, secp256r1,
 * secp384r1; server certificates verified against the system trust store
 * (/etc/ssl/certs/ca-certificates.crt on Debian) unless CA files or
 * directories are configured; no client certificates requested.
 *
 * Unless stated otherwise, setters return LATCH_OK, LATCH_ERR_CONFIG_FROZEN,
 * LATCH_ERR_INVALID_ARGUMENT (with a detail naming the bad item, see
 * latch_last_error()) or LATCH_ERR_NO_MEMORY. Strings and buffers passed in are
 * copied; the caller keeps ownership.
 */
#ifndef LATCH_CONFIG_H
#define LATCH_CONFIG_H

#include <latch/alloc.h>
#include <latch/error.h>
#include <latch/provider.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct latch_config latch_config;
typedef struct latch_conn latch_conn;

/**
 * \brief Create a config with the default provider (OpenSSL's libcrypto) and
 * the C library allocator.
 * \param out receives the config; the caller owns one reference.
 * \return LATCH_OK, LATCH_ERR_NO_MEMORY, or LATCH_ERR_UNSUPPORTED if libcrypto
 * lacks an algorithm latch needs.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_new(latch_config **out);

/**
 * \brief Create a config with a given crypto provider and allocator.
 * \param prov the provider (NULL = latch_provider_openssl()); retained until
 * the config's last reference is dropped.
 * \param alloc the allocator for everything latch allocates for this config
 * and its connections (NULL = the C library); copied.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_new_ex(const latch_provider *prov, const latch_allocator *alloc,
                                                         latch_config **out);

/** \brief Drop the caller's reference; the config is freed with its last connection. NULL-safe. */
LATCH_API void latch_config_free(latch_config *cfg);

/* ---- Identity: certificate chains and keys ---------------------------- */

/**
 * \brief Add a certificate chain and its private key, from PEM files.
 *
 * cert_path holds the leaf first, then intermediates (PEM); key_path the
 * private key (PEM, PKCS#8 or traditional). A server may add several chains
 * (for example ECDSA and RSA, or several names); for each connection it picks
 * the first whose names match the client's server_name and whose key can sign
 * with a scheme the client accepts. A client adds a chain to offer when a
 * server asks for a certificate.
 * \return LATCH_OK, LATCH_ERR_FILE_READ, LATCH_ERR_PEM_DECODE,
 * LATCH_ERR_KEY_MISMATCH (the key is not the leaf's), LATCH_ERR_UNSUPPORTED
 * (key type or size latch does not use, e.g. RSA below 2048 bits),
 * LATCH_ERR_CONFIG_FROZEN, LATCH_ERR_NO_MEMORY.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_add_cert_file(latch_config *cfg, const char *cert_path,
                                                                const char *key_path);

/** \brief As latch_config_add_cert_file, from memory (PEM or DER). */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_add_cert_mem(latch_config *cfg, const uint8_t *cert,
                                                               size_t cert_len, const uint8_t *key, size_t key_len);

/* ---- Trust anchors ------------------------------------------------------ */

/**
 * \brief Trust the CA certificates in a PEM file (for verifying servers, and
 * clients when client authentication is on). May be called several times.
 * Once any CA is configured, the system store is no longer used by default.
 * \return LATCH_OK, LATCH_ERR_FILE_READ, LATCH_ERR_PEM_DECODE (no certificate
 * in the file), LATCH_ERR_CONFIG_FROZEN, LATCH_ERR_NO_MEMORY.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_load_ca_file(latch_config *cfg, const char *path);

/** \brief Trust the CAs of an OpenSSL-style hashed directory (c_rehash), all read when called. */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_load_ca_dir(latch_config *cfg, const char *path);

/** \brief Trust the CAs in a PEM buffer. */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_load_ca_mem(latch_config *cfg, const uint8_t *pem, size_t len);

/**
 * \brief Trust the system store explicitly (SSL_CERT_FILE / SSL_CERT_DIR if
 * set, else /etc/ssl/certs/ca-certificates.crt), in addition to the others.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_load_system_cas(latch_config *cfg);

/* ---- Protocol policy ------------------------------------------------------ */

/**
 * \brief Allowed protocol versions, LATCH_TLS12 or LATCH_TLS13 each
 * (default: both).
 *
 * With both, a client offers TLS 1.3 and TLS 1.2 and a server answers a
 * TLS 1.2-only client in TLS 1.2. The protections of RFC 8446 §4.1.3 apply:
 * a server that allows TLS 1.3 marks its random when it negotiates TLS 1.2,
 * and a client that offered TLS 1.3 refuses such a ServerHello
 * (LATCH_ERR_DOWNGRADE, illegal_parameter): a network attacker cannot push
 * two TLS 1.3 peers down to TLS 1.2. A server refuses a client that signals
 * a fallback (TLS_FALLBACK_SCSV, RFC 7507) to below its best version
 * (LATCH_ERR_INAPPROPRIATE_FALLBACK).
 *
 * Anything older is never spoken: a peer offering only SSL 3.0, TLS 1.0 or
 * TLS 1.1 is refused with a protocol_version alert
 * (LATCH_ERR_PROTOCOL_VERSION, whose detail names the version).
 *
 * TLS 1.2 as latch speaks it: AEAD suites only; extended_master_secret
 * (RFC 7627) offered and accepted; renegotiation_info (RFC 5746) sent and
 * required of servers, but renegotiation itself is never done: a client
 * answers a HelloRequest with a no_renegotiation warning, a server refuses
 * a renegotiating ClientHello with a fatal no_renegotiation alert
 * (LATCH_ERR_RENEGOTIATION_REFUSED).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_versions(latch_config *cfg, uint16_t min, uint16_t max);

/**
 * \brief Cipher suites, in order of preference, separated by ':' or ','.
 * Names are IANA ("TLS_AES_128_GCM_SHA256") or OpenSSL
 * ("ECDHE-ECDSA-AES128-GCM-SHA256"), case-insensitive. TLS 1.3 and TLS 1.2
 * suites may be mixed; each version uses its own, in the order given. The
 * TLS 1.2 suites: ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE-ECDSA-AES256-GCM-SHA384,
 * ECDHE-ECDSA-CHACHA20-POLY1305 and the same three with ECDHE-RSA. The TLS
 * 1.2 RSA key transport suites (AES128-GCM-SHA256, AES256-GCM-SHA384) are
 * accepted only after latch_config_enable_legacy_rsa_kx.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_ciphers(latch_config *cfg, const char *list);

/**
 * \brief Key exchange groups in order of preference: "x25519", "secp256r1"
 * (also "P-256", "prime256v1"), "secp384r1" (also "P-384"), separated by ':'
 * or ','. A client sends key shares for the first two (see
 * latch_config_set_key_shares) and lets the server ask for another by
 * HelloRetryRequest. In TLS 1.2 the list also names the curves a client
 * accepts for a server's ECDSA certificate (RFC 4492 §5.3, RFC 8422): a
 * latch server picks only a certificate on one of them, and a client that
 * leaves out its server's curve (say x25519 alone against a P-256
 * certificate) gets no ECDHE_ECDSA suite.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_groups(latch_config *cfg, const char *list);

/** \brief How many key shares a client sends in its first ClientHello (0 to 3; default 2). */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_key_shares(latch_config *cfg, unsigned n);

/**
 * \brief Signature schemes accepted from the peer and used to sign, in order
 * of preference, by RFC 8446 name ("ecdsa_secp256r1_sha256",
 * "rsa_pss_rsae_sha256", "ed25519", ...), separated by ':' or ','.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_sigalgs(latch_config *cfg, const char *list);

/**
 * \brief ALPN protocols in order of preference, separated by ',' (e.g.
 * "h2,http/1.1"). A client offers them; a server picks the first of its own
 * list that the client offered, and refuses a client that offered ALPN with
 * none in common (no_application_protocol alert).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_alpn(latch_config *cfg, const char *list);

/** \brief Client authentication policy of a server. */
typedef enum latch_client_auth {
    LATCH_CLIENT_AUTH_NONE = 0, /**< do not ask (default) */
    LATCH_CLIENT_AUTH_OPTIONAL, /**< ask; verify a certificate if one is sent */
    LATCH_CLIENT_AUTH_REQUIRE   /**< ask; refuse a client without a valid certificate */
} latch_client_auth;

/** \brief Set the client authentication policy (server side). */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_client_auth(latch_config *cfg, latch_client_auth mode);

/**
 * \brief Whether a server's CertificateRequest names the CAs it accepts
 * (certificate_authorities: an extension in TLS 1.3, a field in TLS 1.2).
 * On by default: the subjects of the configured trust anchors, so that a
 * client with several certificates can pick one those CAs issued.
 *
 * Turn it off for very large CA sets, or to keep the list private; a client
 * then offers whatever certificate fits the signature schemes. latch never
 * sends part of a list (that would steer clients away from CAs it trusts):
 * with more than 64 distinct anchor names, or a list over the 65535 bytes
 * the wire allows, it sends none, as if this were off.
 * \return LATCH_OK, LATCH_ERR_CONFIG_FROZEN.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_client_ca_list(latch_config *cfg, bool send);

/**
 * \brief Server: refuse a ClientHello whose server_name matches none of the
 * configured chains, with a fatal unrecognized_name alert (RFC 6066 §3) and
 * LATCH_ERR_UNRECOGNIZED_NAME, instead of serving the first chain (the
 * default). A client that sends no server_name (one connecting by IP
 * address) still gets the first chain. Against cross-protocol redirection
 * (ALPACA) on servers that share a certificate with others; see
 * docs/SECURITY.md.
 * \return LATCH_OK, LATCH_ERR_CONFIG_FROZEN.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_strict_sni(latch_config *cfg, bool strict);

/** \brief A distinguished name as DER (a Name), pointing into a received message. */
typedef struct latch_dn {
    const uint8_t *der;
    size_t len;
} latch_dn;

/**
 * \brief What a server's CertificateRequest asks for, as a client certificate
 * callback sees it. Every pointer is valid only during the callback.
 */
typedef struct latch_cert_request {
    uint16_t version;        /**< LATCH_TLS13 or LATCH_TLS12 */
    bool post_handshake;     /**< a TLS 1.3 post-handshake request (latch_conn_request_client_cert) */
    const uint16_t *sigalgs; /**< the signature schemes the server accepts, in its order (at most 64 given) */
    size_t n_sigalgs;
    const latch_dn *cas;     /**< the CAs it names (at most 256 given); none: any CA */
    size_t n_cas;
    const bool *usable;      /**< usable[i]: chain i (in the order added) can answer this request */
    size_t n_chains;
    int suggested;           /**< latch's own choice (the first usable chain a named CA issued), or -1 */
} latch_cert_request;

/**
 * \brief Chooses a client's certificate chain for a CertificateRequest.
 * Returns the index of a configured chain (in the order of
 * latch_config_add_cert_*), or -1 to send no certificate. The chosen chain
 * must be usable[i]: choosing one that is not, or an index out of range,
 * fails the handshake (LATCH_ERR_HANDSHAKE_FAILURE, handshake_failure),
 * since the server could not accept its signature. Called on the thread
 * that drives the connection; it must not call back into c.
 */
typedef int (*latch_client_cert_cb)(void *user, const latch_conn *c, const latch_cert_request *req);

/**
 * \brief Let the application choose the client certificate (client side).
 * Without a callback latch chooses by itself: the first configured chain
 * whose key can sign with a scheme the server accepts and, when the server
 * names CAs, that one of them issued a certificate of the chain; none
 * fitting, it sends an empty Certificate.
 * \return LATCH_OK, LATCH_ERR_CONFIG_FROZEN.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_client_cert_cb(latch_config *cfg, latch_client_cert_cb cb,
                                                                     void *user);

/**
 * \brief Allow TLS 1.2 RSA key transport (TLS_RSA_WITH_AES_128_GCM_SHA256 and
 * TLS_RSA_WITH_AES_256_GCM_SHA384), for legacy peers that know nothing else.
 *
 * Off by default: these suites have no forward secrecy (whoever obtains the
 * server's RSA key later can decrypt recorded sessions). Once enabled, the
 * two suites of the default list become active, at the lowest preference,
 * and latch_config_set_ciphers accepts their names (call this first).
 *
 * A client encrypts a fresh 48-byte premaster secret to the server's
 * certificate key, which must be an rsaEncryption key of 2048 to 8192 bits
 * (else LATCH_ERR_CERT_UNSUPPORTED). A server decrypts it with the
 * provider's rsa_decrypt_tls, which leaves no padding oracle (RFC 5246
 * §7.4.7.1, the ROBOT / Bleichenbacher attacks): a malformed premaster is
 * replaced by a random one in constant time, and the handshake then fails
 * at the client's Finished record (bad_record_mac) exactly as a forged
 * Finished does, with the same code, alert and timing.
 * \return LATCH_OK, LATCH_ERR_CONFIG_FROZEN, LATCH_ERR_UNSUPPORTED (the
 * provider has no RSA key transport).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_enable_legacy_rsa_kx(latch_config *cfg);

/**
 * \brief INSECURE, for testing only: a client accepts any server certificate
 * (chain, validity, usage and name are not checked). The CertificateVerify
 * signature is still checked, so the peer must hold the certificate's key;
 * latch_conn_verify_result() reports what verification would have said.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_insecure_no_verify(latch_config *cfg);


/* ---- Resumption and pre-shared keys ------------------------------------------ */

/** How a server keeps the sessions it lets clients resume. */
typedef enum latch_session_store {
    LATCH_SESSIONS_TICKETS = 0, /**< stateless tickets sealed with AEAD under rotating keys (default) */
    LATCH_SESSIONS_CACHE,       /**< a bounded server cache; each ticket resumes once (no replay) */
    LATCH_SESSIONS_OFF          /**< no resumption */
} latch_session_store;

/**
 * \brief Server: how many NewSessionTickets to send after each full TLS 1.3
 * handshake (default 2, 0 for none) and how long they are valid (seconds,
 * default 7200, at most 604800 as RFC 8446 §4.6.1 allows). After a
 * resumption at most one is sent, replacing the ticket the client just used
 * (as OpenSSL does): clients that use each ticket once (RFC 8446 §C.4) keep
 * as many as they had. Ticket keys
 * rotate every `lifetime` seconds; a ticket opens under the current or the
 * previous key.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_tickets(latch_config *cfg, unsigned count, uint32_t lifetime);

/**
 * \brief Server: where sessions live (see latch_session_store); cache_size
 * bounds the cache (default 1024 sessions; the oldest goes first).
 *
 * TLS 1.2 (RFC 5246 §7.3 abbreviated handshakes): with tickets, a client
 * that sends the session_ticket extension gets a NewSessionTicket (RFC 5077)
 * sealed like the TLS 1.3 ones, valid for the ticket lifetime; with the
 * cache, each session gets a random 32-byte session id and stays in the
 * cache for the ticket lifetime (a TLS 1.2 session id may be resumed more
 * than once). Either way only sessions made with extended_master_secret
 * (RFC 7627) are resumable, a client that offers one without it is refused
 * (handshake_failure, RFC 7627 §5.3), a session resumes only for the same
 * server name (RFC 6066 §3), and servers that ask for client certificates
 * neither issue nor resume sessions.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_session_store(latch_config *cfg, latch_session_store mode,
                                                                    size_t cache_size);

/**
 * \brief Allow resumption without a fresh (EC)DHE exchange (psk_ke): faster,
 * but without forward secrecy for the resumed connection. Off by default
 * (psk_dhe_ke only). A client with it on asks for psk_ke first; a server
 * with it on takes the client's first mode.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_allow_psk_ke(latch_config *cfg, bool allow);

/**
 * \brief 0-RTT early data (RFC 8446 §2.3). Server: accept up to max_size
 * bytes of early data per connection (0 = refuse, the default) and say so in
 * its tickets; replays are refused (see latch_config_set_session_store).
 * Client: send data written with latch_conn_write_early when the session
 * allows it.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_early_data(latch_config *cfg, uint32_t max_size);

/**
 * \brief An external pre-shared key (RFC 8446 §4.2.11), for deployments
 * without certificates: both sides configure the same identity and key. A
 * client offers it (with psk_dhe_ke), a server accepts it. suite is the TLS
 * 1.3 cipher suite whose hash the key is for (LATCH_TLS_AES_128_GCM_SHA256
 * for SHA-256, ...). Up to 8 keys.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_add_psk(latch_config *cfg, const uint8_t *identity, size_t id_len,
                                                          const uint8_t *key, size_t key_len, uint16_t suite);

/* ---- Callbacks ---------------------------------------------------------------- */

/** What a trace event reports. */
typedef enum latch_trace_kind {
    LATCH_TRACE_HANDSHAKE, /**< a handshake message was sent or received */
    LATCH_TRACE_CCS,       /**< a ChangeCipherSpec record was sent or received */
    LATCH_TRACE_ALERT,     /**< an alert was sent or received */
    LATCH_TRACE_KEYS,      /**< new traffic keys took effect for one direction */
    LATCH_TRACE_CHECK,     /**< a check or decision: certificate verified, suite chosen, ... */
    LATCH_TRACE_APP_DATA   /**< application data was sent or received */
} latch_trace_kind;

/** One trace event. Pointers are valid only during the callback. */
typedef struct latch_trace_event {
    latch_trace_kind kind;
    bool sent;           /**< true: this endpoint sent it; false: received (CHECK/KEYS: this endpoint) */
    bool from_client;    /**< the sender is the client */
    uint8_t hs_type;     /**< handshake message type (HANDSHAKE) or alert description (ALERT) */
    const char *name;    /**< "ClientHello", "bad_certificate", "handshake keys", ... */
    const char *summary; /**< the salient fields, one line */
    size_t length;       /**< bytes on the wire (message or record payload) */
} latch_trace_event;

typedef void (*latch_trace_cb)(void *user, const latch_conn *c, const latch_trace_event *ev);

/** \brief Report every message, key change and check of every connection (user passed back). */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_trace(latch_config *cfg, latch_trace_cb cb, void *user);

/**
 * Key log callback: line is one NSS key log line without newline
 * ("CLIENT_HANDSHAKE_TRAFFIC_SECRET <client random> <secret>", ...), as
 * Wireshark reads from SSLKEYLOGFILE. Anyone holding these lines can decrypt
 * the traffic: use for debugging only.
 */
typedef void (*latch_keylog_cb)(void *user, const latch_conn *c, const char *line);

/** \brief Enable key logging. */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_keylog(latch_config *cfg, latch_keylog_cb cb, void *user);

/** The current time in seconds since the epoch. */
typedef int64_t (*latch_time_cb)(void *user);

/** \brief Replace the clock (certificate validity, ticket ages); default time().
 * Values below 0 or above 2^40 are taken as 0 and 2^40. */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_time(latch_config *cfg, latch_time_cb cb, void *user);

/* ---- Limits ---------------------------------------------------------------------- */

/**
 * Named limits on what a peer may make latch hold or do. Each has a default
 * that no legitimate peer comes near, its own error when a peer exceeds it,
 * and a setter (latch_config_set_limit) to tighten or relax it:
 *
 * - LATCH_LIMIT_HANDSHAKE_MESSAGE: the largest handshake message body, in
 *   bytes (default 65536, allowed 1024 to 2^24). Checked on the message's
 *   4-byte header, before any of it is buffered:
 *   LATCH_ERR_HANDSHAKE_TOO_LARGE (alert handshake_failure). This also bounds
 *   the memory a message split across records can take.
 * - LATCH_LIMIT_CERT_CHAIN_LENGTH: the most certificates in a peer's
 *   Certificate message, and the longest verified path (default 10, at most
 *   16): LATCH_ERR_CERT_CHAIN_TOO_LONG (bad_certificate).
 * - LATCH_LIMIT_CERT_CHAIN_BYTES: the largest Certificate message (the peer's
 *   chain with its framing and per-certificate extensions), in bytes (default
 *   65536, at most 2^24), checked before any certificate is parsed:
 *   LATCH_ERR_CERT_CHAIN_TOO_LARGE (bad_certificate). A server that accepts
 *   client certificates from strangers may want it low.
 * - LATCH_LIMIT_EMPTY_RECORDS: the most records in a row that carry nothing
 *   (empty application data, ignored ChangeCipherSpec records, user_canceled
 *   and TLS 1.2 warning alerts) (default 32): LATCH_ERR_TOO_MANY_EMPTY_RECORDS
 *   (unexpected_message).
 *
 * Fixed limits, not configurable because their tables are fixed-size and the
 * values are far above what any real peer sends (a browser's ClientHello has
 * about 20 extensions and 2 or 3 key shares), so a setting could only loosen
 * a bound that costs nothing to keep: at most 64 extensions in one block
 * (more: LATCH_ERR_DECODE, "more than 64 extensions"), 16 key shares in a
 * ClientHello (LATCH_ERR_ILLEGAL_PARAMETER), 8 PSK identities
 * (LATCH_ERR_ILLEGAL_PARAMETER), 32 certificates handed to verification and
 * 64 KiB for one certificate (LATCH_ERR_CERT_TOO_LARGE). Records are bounded
 * by the protocol (2^14 bytes of content, RFC 8446 §5.1): LATCH_ERR_RECORD_OVERFLOW.
 * While more than two records' worth of output waits to be sent, no further
 * input is read (see latch_conn_feed).
 */
typedef enum latch_limit {
    LATCH_LIMIT_HANDSHAKE_MESSAGE, /**< largest handshake message, bytes (default 65536) */
    LATCH_LIMIT_CERT_CHAIN_LENGTH, /**< most certificates in a peer's chain (default 10) */
    LATCH_LIMIT_EMPTY_RECORDS,     /**< most empty records in a row (default 32) */
    LATCH_LIMIT_CERT_CHAIN_BYTES   /**< largest peer Certificate message, bytes (default 65536) */
} latch_limit;

/**
 * \brief Set a limit (see latch_limit for each one's range and error).
 * \return LATCH_OK; LATCH_ERR_INVALID_ARGUMENT for a value outside the
 * limit's range or an unknown limit; LATCH_ERR_CONFIG_FROZEN.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_config_set_limit(latch_config *cfg, latch_limit which, size_t value);

#ifdef __cplusplus
}
#endif
#endif
