/*
 * Minting certificates (the engine behind latch_cert_mint and
 * latch_pki_generate in <latch/x509.h>). For src/x509/ only.
 */
#ifndef LATCH_X509_MINT_H
#define LATCH_X509_MINT_H

#include <latch/x509.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/**
 * Mint a certificate for spec with a fresh key, signed by issuer_key with
 * issuer as the issuer (both NULL: self-signed). now is the current time for
 * the default validity.
 * \return LATCH_OK with *cert and *key (free with X509_free / EVP_PKEY_free);
 *         the errors of latch_cert_mint.
 */
LATCH_MUST_CHECK latch_err latch__mint(const latch_cert_spec *spec, X509 *issuer, EVP_PKEY *issuer_key, int64_t now,
                                       X509 **cert, EVP_PKEY **key);

/**
 * x as PEM into buf[0..cap), NUL-terminated; *len excludes the NUL.
 * \return LATCH_OK; LATCH_ERR_BUFFER_TOO_SMALL (buf holds ""); LATCH_ERR_NO_MEMORY.
 */
LATCH_MUST_CHECK latch_err latch__mint_cert_pem(X509 *x, char *buf, size_t cap, size_t *len);

/** A private key as unencrypted PKCS #8 PEM, as latch__mint_cert_pem. */
LATCH_MUST_CHECK latch_err latch__mint_key_pem(EVP_PKEY *k, char *buf, size_t cap, size_t *len);

#endif
