/*
 * The OpenSSL 3 provider's internals. Only src/provider/ossl/ (and src/x509/,
 * which hands key objects to libcrypto's verifier) include <openssl/...>.
 */
#ifndef LATCH_PROVIDER_OSSL_H
#define LATCH_PROVIDER_OSSL_H

#include <latch/provider.h>

#include <openssl/evp.h>

/* Algorithms looked up once by latch__ossl_init(). */
typedef struct latch_ossl_algs {
    EVP_CIPHER *aes128gcm;
    EVP_CIPHER *aes256gcm;
    EVP_CIPHER *chacha20poly1305;
    EVP_MD *sha256;
    EVP_MD *sha384;
    EVP_MD *sha512;
    EVP_PKEY *x25519_base; /* the X25519 base point, u = 9, as a public key (kx.c) */
} latch_ossl_algs;

/** The fetched algorithms, or NULL if one is missing. Thread-safe. */
const latch_ossl_algs *latch__ossl_algs(void);

/** The EVP_MD for a LATCH_HASH_* id (after latch__ossl_algs succeeded). */
const EVP_MD *latch__ossl_md(uint8_t hash_id);

extern const latch_hash_alg latch__ossl_sha256;
extern const latch_hash_alg latch__ossl_sha384;
extern const latch_hash_alg latch__ossl_sha512;

extern const latch_aead_alg latch__ossl_aes128gcm;
extern const latch_aead_alg latch__ossl_aes256gcm;
extern const latch_aead_alg latch__ossl_chacha20poly1305;

/* The provider's NULL-terminated tables: hashes and AEADs (ossl.c), key
 * exchange (kx.c) and signatures (sig.c). The deterministic test provider
 * (src/provider/test/) shares all but the key exchange table. */
extern const latch_hash_alg *const latch__ossl_hash_table[];
extern const latch_aead_alg *const latch__ossl_aead_table[];
extern const latch_kx_alg *const latch__ossl_kx_table[];
extern const latch_sig_alg *const latch__ossl_sig_table[];

/**
 * The derive and destroy of the OpenSSL key exchange, for any key made by
 * kx.c's keygen or by latch__ossl_kx_from_private (see latch_kx_alg).
 * Other providers whose kx tables only change keygen reuse them.
 */
LATCH_MUST_CHECK latch_err latch__ossl_kx_derive(latch_kx_key *key, const uint8_t *peer, size_t peer_len,
                                                 uint8_t *secret);
void latch__ossl_kx_destroy(latch_kx_key *key);

/**
 * Make a key-exchange key from given private key bytes instead of fresh
 * randomness: X25519 takes 32 bytes as is; the NIST curves take a big-endian
 * scalar of the curve's size, which must lie in [1, n-1]. Used by the
 * deterministic test provider; the public key goes to pub[0..pub_len).
 * The key remembers alg, whose group, pub_len and secret_len must be those
 * of the OpenSSL table's entry for the group.
 * \return LATCH_ERR_INVALID_ARGUMENT for a wrong length or a scalar out of
 * range (the caller may draw again), LATCH_ERR_CRYPTO or NO_MEMORY otherwise.
 */
LATCH_MUST_CHECK latch_err latch__ossl_kx_from_private(const latch_kx_alg *alg, const uint8_t *priv,
                                                       size_t priv_len, latch_kx_key **key, uint8_t *pub);

/**
 * Make signing with pk cheaper: libcrypto's per-signature setup (fetching the
 * implementation, building the contexts, the PSS parameters) is done once per
 * scheme and kept with the key, and each signature starts from a copy. For
 * keys that sign many times, such as a configured chain's key. Call it before
 * pk is shared with other threads; afterwards any number of threads may sign
 * with pk at once. latch__ossl_sign_unprepare must be called before the last
 * EVP_PKEY_free(pk): the kept contexts hold references to pk. Keys that were
 * not prepared sign as before. Preparing twice is harmless.
 * \return LATCH_OK; LATCH_ERR_INVALID_ARGUMENT (pk NULL); LATCH_ERR_NO_MEMORY;
 *         LATCH_ERR_CRYPTO.
 */
LATCH_MUST_CHECK latch_err latch__ossl_sign_prepare(EVP_PKEY *pk);

/** Free what latch__ossl_sign_prepare kept with pk (NULL-safe; no signature may be in progress). */
void latch__ossl_sign_unprepare(EVP_PKEY *pk);

/** For tests: how many set-up signing contexts are kept with pk now. */
size_t latch__ossl_sign_kept(const EVP_PKEY *pk);

/** RAND_bytes as a provider random callback. */
LATCH_MUST_CHECK latch_err latch__ossl_random(void *rng, uint8_t *out, size_t n);

/** rsa_encrypt and rsa_decrypt_tls of latch_provider (rsa_kx.c). */
LATCH_MUST_CHECK latch_err latch__ossl_rsa_encrypt(const latch_pkey *key, const uint8_t *msg, size_t len, uint8_t *out,
                                                   size_t cap, size_t *out_len);
LATCH_MUST_CHECK latch_err latch__ossl_rsa_decrypt_tls(const latch_pkey *key, const uint8_t *enc, size_t enc_len,
                                                       uint16_t client_version, uint8_t premaster[48]);

/** pkey_info for EVP_PKEY keys. */
LATCH_MUST_CHECK latch_err latch__ossl_pkey_info(const latch_pkey *key, latch_pkey_info *info);

#endif
