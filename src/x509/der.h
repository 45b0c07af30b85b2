/*
 * DER certificates through libcrypto, for src/x509/ only (it includes
 * <openssl/x509.h>; the handshake code sees latch_chain and latch_peer).
 */
#ifndef LATCH_X509_DER_H
#define LATCH_X509_DER_H

#include <latch/error.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

/* A certificate larger than this is refused (STYLE.md §5: every
 * peer-controlled size has a named limit). Real ones are 1-4 KiB. */
#define LATCH_CERT_MAX_LEN (64u * 1024u)

/**
 * libcrypto's reason for its most recent failure ("wrong tag", "too long"),
 * copied into buf (fallback when its queue is empty); the queue is cleared so
 * that no stale error leaks into a later call.
 */
const char *latch__ossl_why(char *buf, size_t cap, const char *fallback);

/**
 * Parse exactly one DER certificate from der[0..len): no trailing bytes.
 * \return the certificate (free with X509_free), or NULL with the reason in
 *         why[0..cap).
 */
X509 *latch__der_cert(const uint8_t *der, size_t len, char *why, size_t cap);

/**
 * The DER encoding of a certificate's subject or issuer name, as cached by
 * libcrypto (valid while the certificate lives). False if unavailable.
 */
bool latch__der_name(const X509_NAME *name, const uint8_t **der, size_t *len);

#endif
