/*
 * Private keys: decoding from PEM or DER, and checking that latch can sign
 * with them. For src/x509/ only (libcrypto types).
 */
#ifndef LATCH_X509_KEY_H
#define LATCH_X509_KEY_H

#include <latch/alloc.h>
#include <latch/provider.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* The smallest RSA modulus latch accepts for its own keys (NIST SP 800-57:
 * 2048 bits for 112-bit security). */
#define LATCH_RSA_MIN_BITS 2048u

/** The latch view of a libcrypto key. */
static inline const latch_pkey *latch__pkey(const EVP_PKEY *pk)
{
    return (const latch_pkey *)(const void *)pk;
}

/**
 * Decode one private key from data[0..len): PEM with a "PRIVATE KEY"
 * (PKCS #8), "RSA PRIVATE KEY" or "EC PRIVATE KEY" block (other blocks, such
 * as certificates or "EC PARAMETERS", are skipped), or DER (PKCS #8 or the
 * traditional RSA / EC forms). name names the input in error details.
 * Decoded key bytes are wiped.
 *
 * \return LATCH_OK with *out (free with EVP_PKEY_free);
 *         LATCH_ERR_PEM_DECODE (empty, no key block, two key blocks, bad
 *         PEM, not a key); LATCH_ERR_UNSUPPORTED (an encrypted key);
 *         LATCH_ERR_NO_MEMORY.
 */
LATCH_MUST_CHECK latch_err latch__key_decode(const latch_allocator *a, const uint8_t *data, size_t len,
                                             const char *name, EVP_PKEY **out);

/**
 * Check that latch can use key pk (public or private) for TLS signatures: a
 * type and curve for which the OpenSSL provider has a signature scheme, and
 * RSA moduli of at least LATCH_RSA_MIN_BITS. what names the key in details.
 *
 * \return LATCH_OK with *info filled; LATCH_ERR_UNSUPPORTED (type, curve or
 *         size); LATCH_ERR_CRYPTO (the provider is unavailable).
 */
LATCH_MUST_CHECK latch_err latch__key_check(const EVP_PKEY *pk, const char *what, latch_pkey_info *info);

/** A short description of a key: "RSA-2048", "RSA-PSS-2048", "EC P-256", "Ed25519". */
void latch__key_describe(const latch_pkey_info *info, char *buf, size_t cap);

#endif
