/*
 * Our own certificate chain and private key (a server's identity, or a
 * client's for mutual TLS): loaded once from PEM or DER, checked, then sent
 * as is in Certificate messages and used to sign CertificateVerify.
 *
 * A latch_chain is immutable after loading and may be shared by any number of
 * threads and connections.
 */
#ifndef LATCH_X509_CERT_H
#define LATCH_X509_CERT_H

#include "core/rd.h"

#include <latch/alloc.h>
#include <latch/provider.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most certificates in a configured chain (leaf and intermediates). */
#define LATCH_CHAIN_MAX_CERTS 10

typedef struct latch_chain latch_chain;

/**
 * Load a chain and its private key.
 *
 * \param a    allocator for the chain (NULL: the default); copied, so the
 *             struct need not outlive the call, but its callbacks and user
 *             pointer must outlive the chain.
 * \param cert PEM (one or more CERTIFICATE blocks, leaf first; other blocks
 *             are skipped) or one DER certificate. Borrowed.
 * \param key  PEM ("PRIVATE KEY" PKCS #8, "RSA PRIVATE KEY", "EC PRIVATE
 *             KEY"; other blocks skipped, so a combined file works) or DER.
 *             Borrowed; the decoded bytes are wiped.
 * \param out  the new chain, to free with latch_chain_free; NULL on failure.
 * \return LATCH_OK;
 *         LATCH_ERR_PEM_DECODE (empty input, no CERTIFICATE block, bad PEM or
 *           base64, a block or DER that is not a certificate / key, trailing
 *           bytes), with the block's line in the detail;
 *         LATCH_ERR_CERT_CHAIN_TOO_LONG (more than LATCH_CHAIN_MAX_CERTS);
 *         LATCH_ERR_UNSUPPORTED (encrypted key, RSA under 2048 bits, a key
 *           type or curve without a signature scheme);
 *         LATCH_ERR_KEY_MISMATCH (the key is not the leaf's);
 *         LATCH_ERR_INVALID_ARGUMENT (NULL pointers); LATCH_ERR_NO_MEMORY;
 *         LATCH_ERR_CRYPTO (the OpenSSL provider is unavailable).
 */
LATCH_MUST_CHECK latch_err latch_chain_load(const latch_allocator *a, const uint8_t *cert, size_t cert_len,
                                            const uint8_t *key, size_t key_len, latch_chain **out);

/**
 * latch_chain_load on the contents of two files (they may be the same file).
 * Error details name the file.
 * \return as latch_chain_load, plus LATCH_ERR_FILE_READ (cannot open or read,
 *         with the path and the reason).
 */
LATCH_MUST_CHECK latch_err latch_chain_load_files(const latch_allocator *a, const char *cert_path,
                                                  const char *key_path, latch_chain **out);

/** Free a chain (NULL-safe); the private key is freed by libcrypto, which clears it. */
void latch_chain_free(latch_chain *c);

/** Number of certificates (>= 1). */
size_t latch_chain_count(const latch_chain *c);

/** DER of certificate i (leaf = 0), valid while c lives; empty if i is out of range. */
latch_rd latch_chain_der(const latch_chain *c, size_t i);

/** The private key (an EVP_PKEY for the OpenSSL provider), valid while c lives. */
const latch_pkey *latch_chain_key(const latch_chain *c);

/** Type, curve and size of the key. */
latch_pkey_info latch_chain_key_info(const latch_chain *c);

/**
 * True if the leaf's subjectAltName matches host, a DNS name (dNSName
 * entries; wildcards only as a whole leftmost label, RFC 6125 §6.4.3) or an IP
 * literal (iPAddress entries). Never matches the subject CN. For choosing a
 * chain by SNI.
 */
bool latch_chain_matches_name(const latch_chain *c, const char *host);

/**
 * True if any certificate of the chain was issued by one of the n DER
 * distinguished names dns[] (compared as X.509 names, not as bytes), i.e. the
 * chain leads to a CA the peer listed in certificate_authorities (RFC 8446
 * §4.2.4). Malformed names are ignored.
 */
bool latch_chain_issued_by_any(const latch_chain *c, const latch_rd *dns, size_t n);

/**
 * The subject of certificate i in RFC 2253 form, into buf[0..cap)
 * (NUL-terminated, truncated if needed).
 * \return LATCH_OK; LATCH_ERR_BUFFER_TOO_SMALL; LATCH_ERR_INVALID_ARGUMENT
 *         (i out of range, cap 0).
 */
LATCH_MUST_CHECK latch_err latch_chain_subject(const latch_chain *c, size_t i, char *buf, size_t cap);

/** latch_chain_load with names for the two inputs in error details. */
LATCH_MUST_CHECK latch_err latch__chain_load_named(const latch_allocator *a, const uint8_t *cert, size_t cert_len,
                                                   const char *cert_name, const uint8_t *key, size_t key_len,
                                                   const char *key_name, latch_chain **out);

/**
 * A DER-encoded DistinguishedName (as in certificate_authorities) as RFC 2253
 * text, into buf[0..cap). LATCH_ERR_DECODE if it is not a valid Name.
 */
LATCH_MUST_CHECK latch_err latch_x509_dn_string(latch_rd der, char *buf, size_t cap);

#endif
