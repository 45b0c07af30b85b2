/*
 * HMAC (RFC 2104) and HKDF (RFC 5869), generic over any latch_hash_alg.
 *
 * HMAC keeps the inner and outer hash states precomputed from the key, so a
 * key used for many MACs (HKDF-Expand, the TLS 1.2 PRF) hashes its pads once.
 */
#ifndef LATCH_PROVIDER_HKDF_H
#define LATCH_PROVIDER_HKDF_H

#include <latch/provider.h>

typedef struct latch_hmac {
    const latch_hash_alg *hash;
    latch_hash_ctx inner; /* running: key^ipad || message so far */
    latch_hash_ctx outer; /* key^opad, waiting for the inner digest */
} latch_hmac;

/** Key an HMAC. Keys longer than the block are hashed first (RFC 2104). */
void latch_hmac_init(latch_hmac *h, const latch_hash_alg *hash, const uint8_t *key, size_t key_len);
void latch_hmac_update(latch_hmac *h, const uint8_t *p, size_t n);
/** Write hash->digest_len bytes to out and wipe the state. */
void latch_hmac_final(latch_hmac *h, uint8_t *out);
/** Wipe without producing output. */
void latch_hmac_wipe(latch_hmac *h);

/** One-shot HMAC. */
void latch_hmac_oneshot(const latch_hash_alg *hash, const uint8_t *key, size_t key_len, const uint8_t *msg,
                size_t msg_len, uint8_t *out);

/** HKDF-Extract(salt, ikm) -> prk[0..digest_len). A NULL/empty salt means digest_len zeros. */
void latch_hkdf_extract(const latch_hash_alg *hash, const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
                        size_t ikm_len, uint8_t *prk);

/**
 * HKDF-Expand(prk, info, len) -> out[0..len). len must be at most
 * 255 * digest_len, else LATCH_ERR_INVALID_ARGUMENT.
 */
LATCH_MUST_CHECK latch_err latch_hkdf_expand(const latch_hash_alg *hash, const uint8_t *prk, size_t prk_len,
                                             const uint8_t *info, size_t info_len, uint8_t *out, size_t len);

/**
 * HKDF-Expand with the PRK already keyed into an HMAC (latch_hmac_init with
 * the PRK as key), for several expansions of one PRK: each saves hashing
 * the two pads. keyed is not changed. Same limit and errors as
 * latch_hkdf_expand.
 */
LATCH_MUST_CHECK latch_err latch_hkdf_expand_keyed(const latch_hmac *keyed, const uint8_t *info, size_t info_len,
                                                   uint8_t *out, size_t len);

#endif
