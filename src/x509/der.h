/*
 * DER certificates through libcrypto, for src/x509/ only (it includes
 * <openssl/x509.h>; the handshake code sees latch_chain and latch_peer).
 */
#ifndef LATCH_X509_DER_H
#define LATCH_X509_DER_H

#include "core/rd.h"

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

/* Where the names are in a certificate, found without decoding it. */
typedef struct latch_cert_view {
    latch_rd issuer;  /* the issuer Name, tag and length included */
    latch_rd subject; /* the subject Name, tag and length included */
} latch_cert_view;

/**
 * Walk der[0..len) as an X.509 certificate (RFC 5280 §4.1) without decoding
 * its fields: a SEQUENCE filling the input exactly, holding a TBSCertificate
 * SEQUENCE, an AlgorithmIdentifier SEQUENCE and a BIT STRING and nothing
 * more; the TBSCertificate holding, in order, an optional [0] version, an
 * INTEGER, a SEQUENCE, the issuer SEQUENCE, a SEQUENCE, the subject
 * SEQUENCE, a SEQUENCE, then only the optional [1], [2] and [3] fields, once
 * each, in that order. Definite lengths only. Bytes that pass may still be
 * refused by d2i_X509 (which decodes everything); bytes that fail may still
 * be accepted by it (BER). False if the shape is wrong.
 */
bool latch__der_cert_view(const uint8_t *der, size_t len, latch_cert_view *v);

/**
 * x's notBefore and notAfter as seconds since the epoch; false if either
 * cannot be read.
 */
bool latch__cert_times(const X509 *x, int64_t *not_before, int64_t *not_after);

/**
 * Narrow the open interval (*lo, *hi) to the times around now at which x's
 * validity stays what it is at now: valid (strictly between notBefore and
 * notAfter: the interval between them), expired (after notAfter: from
 * notAfter on) or not yet valid (before notBefore: up to notBefore). Times
 * are seconds since the epoch. The bounds themselves are left out, so that
 * libcrypto's own rule for a time equal to a bound never matters.
 * \return false if a time cannot be read or now equals one of them.
 */
bool latch__cert_window(const X509 *x, int64_t now, int64_t *lo, int64_t *hi);

#endif
