/*
 * The peer's certificate chain: parsing the DER certificates of a
 * Certificate message, verifying them against trust anchors (RFC 5280 path
 * validation by libcrypto's X509_verify_cert), and describing them.
 *
 * A latch_peer belongs to one connection (one thread at a time); the trust
 * store it is verified against may be shared.
 */
#ifndef LATCH_X509_VERIFY_H
#define LATCH_X509_VERIFY_H

#include "core/rd.h"
#include "x509/trust.h"

#include <latch/alloc.h>
#include <latch/provider.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most certificates a peer may send (leaf, intermediates, extras). */
#define LATCH_PEER_MAX_CERTS 32
/* The default for latch_verify_params.max_depth when it is 0. */
#define LATCH_VERIFY_DEFAULT_DEPTH 10

typedef struct latch_verify_params {
    /** DNS name or IP literal (v4 or v6, no brackets) to match against the
     *  leaf's subjectAltName; NULL: no name check. */
    const char *host;
    /** true: the peer is a client (EKU clientAuth), else a server (serverAuth). */
    bool client_cert;
    /** Seconds since the epoch for the validity checks; must not be 0. */
    int64_t now;
    /** Longest accepted path, counting the leaf and the trust anchor
     *  (0: LATCH_VERIFY_DEFAULT_DEPTH). */
    unsigned max_depth;
    /** Accept a leaf whose keyUsage lacks digitalSignature if it has
     *  keyEncipherment: only for TLS 1.2 RSA key transport. By default
     *  (false) a keyUsage extension must allow signing, as RFC 8446 §4.4.2.2
     *  requires. */
    bool allow_key_encipherment_only;
} latch_verify_params;

typedef struct latch_peer latch_peer;

/**
 * Take the peer's certificates (DER, leaf first, as in a Certificate
 * message; PEM is not accepted). The bytes are copied: der[] may be freed
 * after the call. They are not decoded yet (that is done when needed, once):
 * here each is only checked to have the shape of a DER certificate. One that
 * has the shape but that libcrypto still refuses is reported by
 * latch_peer_verify, with the same code and detail as here, and makes the
 * accessors below fail (or latch_peer_key return NULL).
 *
 * \param der, der_len  n certificates.
 * \param out           the new peer (free with latch_peer_free); NULL on failure.
 * \return LATCH_OK;
 *         LATCH_ERR_DECODE (n == 0, an empty certificate);
 *         LATCH_ERR_CERT_TOO_LARGE (a certificate over LATCH_CERT_MAX_LEN);
 *         LATCH_ERR_CERT_CHAIN_TOO_LONG (n > LATCH_PEER_MAX_CERTS);
 *         LATCH_ERR_CERT_BAD (not DER X.509, trailing bytes), with the
 *           index and reason in the detail;
 *         LATCH_ERR_CERT_UNSUPPORTED (the leaf, if it had to be decoded
 *           here, has a public key libcrypto cannot decode);
 *         LATCH_ERR_INVALID_ARGUMENT (NULL pointers); LATCH_ERR_NO_MEMORY.
 */
LATCH_MUST_CHECK latch_err latch_peer_new(const uint8_t *const *der, const size_t *der_len, size_t n,
                                          latch_peer **out);

/**
 * latch_peer_new with the peer's memory (one block: the struct and the
 * certificates' bytes) from allocator a (NULL: the default), such as the
 * config's, so that it is counted with the connection's. a is copied; its
 * callbacks and user pointer must outlive the peer. libcrypto's objects
 * (decoded certificates) come from libcrypto's allocator as always.
 */
LATCH_MUST_CHECK latch_err latch_peer_new_ex(const latch_allocator *a, const uint8_t *const *der,
                                             const size_t *der_len, size_t n, latch_peer **out);

/**
 * Verify the chain: build a path from the leaf through the peer's other
 * certificates (untrusted, in any order, unrelated ones ignored) to an anchor
 * of t, check signatures, validity at vp->now, basic constraints and path
 * lengths, key usage and extended key usage for the role, the name, and the
 * depth. The error's detail names the certificate (its subject) and the reason.
 *
 * Keys below 112-bit security (RSA under 2048 bits) and signatures with
 * SHA-1 or MD5 are refused (libcrypto security level 2).
 *
 * t remembers the chains that verified (trust.h): the same certificates,
 * byte for byte, verified again for the same purpose and depth limit, at a
 * time when none of them and none of t's anchors has become valid or invalid
 * since, are accepted without decoding or path validation (the host name is
 * still checked against the leaf). Anything else is verified in full, so the
 * answer is always the one a full verification gives.
 *
 * \return LATCH_OK (the peer is verified; latch_peer_verified() is true);
 *         LATCH_ERR_CERT_UNKNOWN_CA (no path to an anchor);
 *         LATCH_ERR_CERT_EXPIRED; LATCH_ERR_CERT_NOT_YET_VALID;
 *         LATCH_ERR_CERT_NAME_MISMATCH (the detail lists the SANs);
 *         LATCH_ERR_CERT_BAD_USAGE (keyUsage, extendedKeyUsage, a non-CA
 *           issuer, pathLenConstraint, name constraints);
 *         LATCH_ERR_CERT_CHAIN_TOO_LONG (path longer than max_depth);
 *         LATCH_ERR_CERT_BAD (bad signature, malformed fields, a certificate
 *           libcrypto cannot decode);
 *         LATCH_ERR_CERT_UNSUPPORTED (unknown critical extension, weak key
 *           or signature algorithm, a leaf key libcrypto cannot decode);
 *         LATCH_ERR_CERT_REVOKED; LATCH_ERR_CERT_UNKNOWN (any other failure);
 *         LATCH_ERR_INVALID_ARGUMENT (NULL, now == 0, empty host);
 *         LATCH_ERR_NO_MEMORY.
 */
LATCH_MUST_CHECK latch_err latch_peer_verify(latch_peer *p, const latch_trust *t, const latch_verify_params *vp);

/** True after a successful latch_peer_verify. */
bool latch_peer_verified(const latch_peer *p);

/**
 * The leaf's public key (an EVP_PKEY for the OpenSSL provider), valid while p
 * lives; NULL if the leaf cannot be decoded.
 */
const latch_pkey *latch_peer_key(const latch_peer *p);

/** Type, curve and size of the leaf's key (all zero if latch does not know the type). */
latch_pkey_info latch_peer_key_info(const latch_peer *p);

/** Number of certificates the peer sent. */
size_t latch_peer_count(const latch_peer *p);

/** DER of certificate i as the peer sent it (leaf = 0), valid while p lives; empty if out of range. */
latch_rd latch_peer_der(const latch_peer *p, size_t i);

/**
 * Text about certificate i, into buf[0..cap), always NUL-terminated when
 * cap > 0 (truncated on BUFFER_TOO_SMALL):
 * - subject / issuer: RFC 2253 ("CN=example.com,O=Example"), non-ASCII
 *   bytes escaped;
 * - sans: "DNS:a.example, IP:192.0.2.1, IP:2001:db8::1" ("" if none),
 *   unusual bytes escaped as \xHH.
 * \return LATCH_OK; LATCH_ERR_BUFFER_TOO_SMALL; LATCH_ERR_INVALID_ARGUMENT
 *         (i out of range, NULL buf, cap 0); LATCH_ERR_CERT_BAD (libcrypto
 *         cannot decode certificate i); LATCH_ERR_NO_MEMORY.
 */
LATCH_MUST_CHECK latch_err latch_peer_subject(const latch_peer *p, size_t i, char *buf, size_t cap);
LATCH_MUST_CHECK latch_err latch_peer_issuer(const latch_peer *p, size_t i, char *buf, size_t cap);
LATCH_MUST_CHECK latch_err latch_peer_sans(const latch_peer *p, size_t i, char *buf, size_t cap);

/**
 * After a successful verify: the validated path, leaf (0) to trust anchor
 * (count - 1), which may differ from what the peer sent (order, extras, the
 * anchor itself). 0 before verification.
 */
size_t latch_peer_path_count(const latch_peer *p);

/** Subject of path certificate i, as latch_peer_subject. */
LATCH_MUST_CHECK latch_err latch_peer_path_subject(const latch_peer *p, size_t i, char *buf, size_t cap);

/** Free (NULL-safe). */
void latch_peer_free(latch_peer *p);

#endif
