/*
 * The TLS 1.2 pseudorandom function (RFC 5246 §5):
 *
 *   P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) +
 *                          HMAC_hash(secret, A(2) + seed) + ...
 *   A(0) = seed, A(i) = HMAC_hash(secret, A(i-1))
 *   PRF(secret, label, seed) = P_<hash>(secret, label + seed)
 *
 * with the cipher suite's hash (SHA-256 for every suite latch knows, SHA-384
 * for the *_SHA384 suites, RFC 5288 §3 and RFC 5289 §3.2). The key schedule
 * built on it (master secret, extended master secret, key block, Finished)
 * is in keysched12.h.
 */
#ifndef LATCH_HS_PRF12_H
#define LATCH_HS_PRF12_H

#include <latch/provider.h>
#include <stddef.h>
#include <stdint.h>

/**
 * PRF(secret, label, seed1 + seed2) -> out[0..out_len).
 *
 * The seed is given in two parts so that callers need not concatenate the
 * two randoms (either part may be empty). Any output length is allowed: the
 * P_hash stream is simply cut, so a shorter output is a prefix of a longer
 * one.
 * \param label ASCII, without a terminating NUL on the wire (RFC 5246 §5).
 * \return LATCH_OK; LATCH_ERR_INVALID_ARGUMENT for a NULL hash, label or
 *         out, or a NULL seed part with a non-zero length.
 */
LATCH_MUST_CHECK latch_err latch_prf12(const latch_hash_alg *hash, const uint8_t *secret, size_t secret_len,
                                       const char *label, const uint8_t *seed1, size_t seed1_len,
                                       const uint8_t *seed2, size_t seed2_len, uint8_t *out, size_t out_len);

#endif
