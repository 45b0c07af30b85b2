/*
 * The cipher suites latch knows: one const table keyed by IANA id
 * (RFC 8446 §B.4 for TLS 1.3; RFC 5288, RFC 5289 and RFC 7905 for the TLS 1.2
 * AEAD suites). Each row says what the suite fixes: the AEAD, the hash (the
 * HKDF hash in 1.3, the PRF hash in 1.2) and, in TLS 1.2 only, the key
 * exchange and the server's authentication. TLS 1.3 suites leave those two
 * to the supported_groups and signature_algorithms extensions.
 */
#ifndef LATCH_HS_SUITES_H
#define LATCH_HS_SUITES_H

#include <latch/provider.h>
#include <stddef.h>
#include <stdint.h>


/** Key exchange fixed by a suite. */
typedef enum latch_suite_kx {
    LATCH_SUITE_KX_ANY = 0, /**< TLS 1.3: negotiated by supported_groups / key_share */
    LATCH_SUITE_KX_ECDHE,   /**< TLS 1.2 ECDHE (RFC 8422) */
    LATCH_SUITE_KX_RSA      /**< TLS 1.2 RSA key transport (RFC 5246 §7.4.7.1) */
} latch_suite_kx;

/** Server authentication fixed by a suite. */
typedef enum latch_suite_auth {
    LATCH_SUITE_AUTH_ANY = 0, /**< TLS 1.3: negotiated by signature_algorithms */
    LATCH_SUITE_AUTH_ECDSA,   /**< TLS 1.2: an ECDSA certificate */
    LATCH_SUITE_AUTH_RSA      /**< TLS 1.2: an RSA certificate */
} latch_suite_auth;

typedef struct latch_suite {
    uint16_t id;           /**< IANA value, e.g. 0x1301 (LATCH_TLS_*) */
    uint16_t version;      /**< LATCH_TLS13 or LATCH_TLS12 */
    const char *name;      /**< IANA name, "TLS_AES_128_GCM_SHA256" */
    const char *ossl_name; /**< OpenSSL's name, "ECDHE-ECDSA-AES128-GCM-SHA256" (the IANA name for 1.3) */
    uint8_t aead;          /**< LATCH_AEAD_* */
    uint8_t hash;          /**< LATCH_HASH_*: HKDF hash (1.3) or PRF hash (1.2) */
    uint8_t kx;            /**< latch_suite_kx */
    uint8_t auth;          /**< latch_suite_auth */
} latch_suite;

/** The suite with IANA id \p id, or NULL if latch does not know it. */
const latch_suite *latch_suite_by_id(uint16_t id);

/**
 * The suite named \p name, by its IANA or its OpenSSL name, in any letter
 * case ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ecdhe-rsa-aes128-gcm-sha256");
 * NULL if none.
 */
const latch_suite *latch_suite_by_name(const char *name);

/** Every known suite, TLS 1.3 first; *n receives the count. */
const latch_suite *latch_suite_all(size_t *n);

/**
 * The default preference order for \p version, as IANA ids; *n receives the
 * count (0, and NULL returned, for an unknown version). TLS 1.3: AES-128-GCM,
 * AES-256-GCM, ChaCha20-Poly1305. TLS 1.2: ECDHE only, ECDSA before RSA at
 * each strength, AES-128-GCM, AES-256-GCM, then ChaCha20-Poly1305; the RSA
 * key-transport suites are known but off by default (no forward secrecy).
 */
const uint16_t *latch_suite_default_order(uint16_t version, size_t *n);

#endif
