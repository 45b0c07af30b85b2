/*
 * Trust anchors: the CA certificates a peer's chain must lead to.
 *
 * A store is filled once (from memory, a PEM bundle, an OpenSSL hashed
 * directory or the system's store), then only read: after that any number
 * of threads may verify against it at the same time. Certificates are loaded
 * eagerly (a hashed directory too), so the count and the subject list are
 * exact; duplicates are stored once. Anchors need not be self-signed: a chain
 * that reaches any anchor is trusted (partial chains, as in RFC 5280 §6.1.1,
 * where the trust anchor is a name and a key, not a certificate).
 */
#ifndef LATCH_X509_TRUST_H
#define LATCH_X509_TRUST_H

#include "core/rd.h"

#include <latch/error.h>
#include <stddef.h>
#include <stdint.h>

typedef struct latch_trust latch_trust;

/**
 * A new, empty store (free with latch_trust_free).
 * \return LATCH_OK; LATCH_ERR_INVALID_ARGUMENT (out NULL); LATCH_ERR_NO_MEMORY.
 */
LATCH_MUST_CHECK latch_err latch_trust_new(latch_trust **out);

/**
 * Add every CERTIFICATE block of pem[0..len) (other blocks are skipped).
 * All or nothing: on failure the store is unchanged.
 * \return LATCH_OK; LATCH_ERR_PEM_DECODE (empty, no CERTIFICATE block, bad
 *         PEM, a block that is not a certificate; the detail gives the line);
 *         LATCH_ERR_INVALID_ARGUMENT; LATCH_ERR_NO_MEMORY.
 */
LATCH_MUST_CHECK latch_err latch_trust_add_pem(latch_trust *t, const uint8_t *pem, size_t len);

/**
 * Add a PEM bundle file.
 * \return as latch_trust_add_pem, plus LATCH_ERR_FILE_READ.
 */
LATCH_MUST_CHECK latch_err latch_trust_add_file(latch_trust *t, const char *path);

/**
 * Add the certificates of an OpenSSL hashed directory (c_rehash /
 * openssl rehash): every file named HHHHHHHH.N (8 hex digits, a dot, a
 * number). CRL files (HHHHHHHH.rN) and other names are ignored.
 * All or nothing, as latch_trust_add_pem.
 * \return LATCH_OK; LATCH_ERR_FILE_READ (cannot open the directory or a
 *         file, or it holds no hashed certificate); LATCH_ERR_PEM_DECODE (a
 *         bad file, named in the detail); LATCH_ERR_NO_MEMORY.
 */
LATCH_MUST_CHECK latch_err latch_trust_add_dir(latch_trust *t, const char *path);

/**
 * Add the system's trust anchors: the file named by SSL_CERT_FILE and the
 * directories in SSL_CERT_DIR (colon-separated) when set (ignored in setuid
 * programs), else libcrypto's default file (on Debian
 * /usr/lib/ssl/cert.pem -> /etc/ssl/certs/ca-certificates.crt), else its
 * default directory.
 * \return LATCH_OK (at least one anchor was added); LATCH_ERR_FILE_READ
 *         (nothing found), or the errors of the file and directory loaders.
 */
LATCH_MUST_CHECK latch_err latch_trust_add_system(latch_trust *t);

/** Number of distinct anchors. */
size_t latch_trust_count(const latch_trust *t);

/**
 * Number of distinct subject names among the anchors (at most the number of
 * anchors: a renewed CA keeps its name), for certificate_authorities.
 */
size_t latch_trust_subject_count(const latch_trust *t);

/** DER subject DN i, in the order anchors were added; valid while t lives; empty if out of range. */
latch_rd latch_trust_subject(const latch_trust *t, size_t i);

/** Free the store (NULL-safe). */
void latch_trust_free(latch_trust *t);

/* For src/x509/verify.c: the libcrypto store (X509_STORE), owned by t. */
struct x509_store_st;
struct x509_store_st *latch__trust_store(const latch_trust *t);

#endif
