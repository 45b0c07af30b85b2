/*
 * The deterministic test provider, for known-answer tests and fuzzers.
 *
 * It is the OpenSSL provider with two things replaced:
 *
 * - random() is a stream fixed by a 64-bit seed: the concatenation of the
 *   blocks SHA-256(seed || counter), counter = 0, 1, 2, ... (both big-endian
 *   uint64), hashed with the provider's own SHA-256. Bytes queued with
 *   latch__testprov_push_random() come out first, so a test can replay a trace
 *   (RFC 8448's client random, then its x25519 private key).
 * - the key exchange table (x25519, secp256r1, secp384r1, in the OpenSSL
 *   provider's order) draws each private key from the provider's random():
 *   32 bytes for X25519, a big-endian scalar of the curve's size for the NIST
 *   curves, drawn again while it falls outside [1, n-1]. derive and destroy
 *   are the OpenSSL provider's.
 *
 * Hashes, AEADs, signatures and pkey_info are the OpenSSL provider's own.
 *
 * NOT THREAD-SAFE: random() and keygen advance the provider's state, so one
 * test provider must be used by one thread at a time (unlike
 * latch_provider_openssl()). Never use it outside tests: its "randomness" is
 * public.
 */
#ifndef LATCH_PROVIDER_TEST_TESTPROV_H
#define LATCH_PROVIDER_TEST_TESTPROV_H

#include <latch/provider.h>

typedef struct latch_testprov latch_testprov;

/**
 * A test provider whose stream starts at \p seed.
 * \return the provider, or NULL when out of memory or when libcrypto lacks an
 * algorithm (as latch_provider_openssl()).
 */
latch_testprov *latch__testprov_new(uint64_t seed);

/** Free the provider, wiping queued bytes and stream state; NULL-safe. */
void latch__testprov_free(latch_testprov *tp);

/**
 * The provider interface of \p tp; valid until latch__testprov_free(tp). Its
 * random() and kx keygen use tp's state.
 */
const latch_provider *latch__testprov_provider(latch_testprov *tp);

/**
 * Queue p[0..n) (copied) to be returned by the next random() calls before the
 * seeded stream, in order and split across calls as needed. Pushes append to
 * what is still queued. The stream is not advanced by queued bytes: once the
 * queue is drained it continues where it stood.
 * \return LATCH_ERR_INVALID_ARGUMENT for a NULL tp (or NULL p with n > 0),
 * LATCH_ERR_NO_MEMORY when the queue cannot grow.
 */
LATCH_MUST_CHECK latch_err latch__testprov_push_random(latch_testprov *tp, const uint8_t *p, size_t n);

/**
 * Restart \p tp as if it had just been made by latch__testprov_new(seed):
 * queued bytes are dropped (wiped) and the stream starts again at block 0.
 * A fuzzer reseeds one provider before each input, so that configs built on
 * it (which cannot change provider) replay the same handshake every time.
 * NULL-safe.
 */
void latch__testprov_reseed(latch_testprov *tp, uint64_t seed);

#endif
