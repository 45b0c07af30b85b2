/*
 * The TLS 1.2 key schedule, on the PRF of prf12.h:
 *
 *   pre_master_secret (ECDHE shared secret, or the 48 bytes the client
 *   encrypted to the server's RSA key)
 *        |
 *        v
 *   master_secret = PRF(pms, "master secret",
 *                       ClientHello.random + ServerHello.random)[0..47]
 *     or, with extended_master_secret (RFC 7627 §4):
 *   master_secret = PRF(pms, "extended master secret", session_hash)[0..47]
 *        |
 *        +-> key_block = PRF(master_secret, "key expansion",
 *        |                   server_random + client_random)      (RFC 5246 §6.3)
 *        |     = client_write_key, server_write_key,
 *        |       client_write_IV, server_write_IV  (AEAD suites: no MAC keys)
 *        |
 *        +-> verify_data = PRF(master_secret, finished_label,
 *                              Hash(handshake_messages))[0..11]  (RFC 5246 §7.4.9)
 *
 * session_hash is the transcript hash (the suite's PRF hash) through the
 * ClientKeyExchange. Every function writes secrets only to its outputs and
 * wipes its temporaries.
 */
#ifndef LATCH_HS_KEYSCHED12_H
#define LATCH_HS_KEYSCHED12_H

#include "core/wipe.h"

#include <latch/provider.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LATCH_MASTER_SECRET_LEN 48 /* RFC 5246 §8.1 */
#define LATCH_FINISHED12_LEN 12    /* verify_data_length, RFC 5246 §7.4.9 */
#define LATCH_PREMASTER_RSA_LEN 48 /* RFC 5246 §7.4.7.1 */

/**
 * master_secret from the pre-master secret and the two hello randoms
 * (RFC 5246 §8.1). master->len is set to 48.
 * \return LATCH_OK; LATCH_ERR_INVALID_ARGUMENT for NULL arguments.
 */
LATCH_MUST_CHECK latch_err latch_ks12_master(const latch_hash_alg *hash, const uint8_t *pms, size_t pms_len,
                                             const uint8_t client_random[32], const uint8_t server_random[32],
                                             latch_secret *master);

/**
 * The extended master secret (RFC 7627 §4) from the pre-master secret and
 * session_hash[0..hash_len) (the transcript hash through ClientKeyExchange).
 * \return as latch_ks12_master.
 */
LATCH_MUST_CHECK latch_err latch_ks12_ems(const latch_hash_alg *hash, const uint8_t *pms, size_t pms_len,
                                          const uint8_t *session_hash, size_t hash_len, latch_secret *master);

/**
 * key_block[0..len) (RFC 5246 §6.3). Note the order of the randoms: the
 * server's first, unlike the master secret's seed.
 * \return LATCH_OK; LATCH_ERR_INVALID_ARGUMENT for NULL arguments or a
 *         master secret that is not 48 bytes.
 */
LATCH_MUST_CHECK latch_err latch_ks12_key_block(const latch_hash_alg *hash, const latch_secret *master,
                                                const uint8_t client_random[32], const uint8_t server_random[32],
                                                uint8_t *out, size_t len);

/** The write keys and IVs of an AEAD suite, cut from the key block. */
typedef struct latch_keys12 {
    uint8_t client_key[LATCH_AEAD_MAX_KEY];
    uint8_t server_key[LATCH_AEAD_MAX_KEY];
    uint8_t client_iv[LATCH_AEAD_NONCE_LEN];
    uint8_t server_iv[LATCH_AEAD_NONCE_LEN];
    uint8_t key_len; /* the AEAD's key length */
    uint8_t iv_len;  /* fixed_iv_length: 4 for AES-GCM (RFC 5288 §3), 12 for ChaCha20-Poly1305 (RFC 7905 §2) */
} latch_keys12;

/**
 * Derive the keys of an AEAD suite: key_len bytes of key each way, then
 * iv_len bytes of IV each way, in the key block's order (RFC 5246 §6.3;
 * the MAC keys are empty for AEAD ciphers).
 * \return LATCH_OK; LATCH_ERR_INVALID_ARGUMENT for a key_len above
 *         LATCH_AEAD_MAX_KEY or an iv_len other than 4 or 12. Wipe *out with
 *         latch_wipe once the keys are installed.
 */
LATCH_MUST_CHECK latch_err latch_ks12_keys(const latch_hash_alg *hash, const latch_secret *master,
                                           const uint8_t client_random[32], const uint8_t server_random[32],
                                           size_t key_len, size_t iv_len, latch_keys12 *out);

/**
 * Finished.verify_data (RFC 5246 §7.4.9): PRF(master_secret, "client
 * finished" or "server finished", handshake_hash)[0..11], with
 * handshake_hash[0..hash->digest_len).
 * \return as latch_ks12_key_block.
 */
LATCH_MUST_CHECK latch_err latch_ks12_finished(const latch_hash_alg *hash, const latch_secret *master,
                                               bool client, const uint8_t *handshake_hash,
                                               uint8_t out[LATCH_FINISHED12_LEN]);

#endif
