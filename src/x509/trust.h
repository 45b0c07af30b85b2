/*
 * Trust anchors: the CA certificates a peer's chain must lead to.
 *
 * A store is filled once (from memory, a PEM bundle, an OpenSSL hashed
 * directory or the system's store), then only read: after that any number
 * of threads may verify against it at the same time (the verified chains it
 * remembers, below, are behind a mutex of their own). Certificates are loaded
 * eagerly (a hashed directory too), so the count and the subject list are
 * exact; duplicates are stored once. Anchors need not be self-signed: a chain
 * that reaches any anchor is trusted (partial chains, as in RFC 5280 §6.1.1,
 * where the trust anchor is a name and a key, not a certificate).
 */
#ifndef LATCH_X509_TRUST_H
#define LATCH_X509_TRUST_H

#include "core/rd.h"

#include <latch/error.h>
#include <latch/provider.h>
#include <stdbool.h>
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

/*
 * ---- For src/x509/verify.c: verified chains, remembered ----------------------
 *
 * A store remembers the chains verified against it (latch_peer_verify), so
 * that the same certificates verified again for the same purpose skip
 * decoding and path validation. An entry is found only by the exact bytes of
 * every certificate as the peer sent them, in the same order, and the same
 * verification parameters (the purpose, the depth limit, whether keyUsage
 * keyEncipherment alone is enough); and only at a time inside the window the
 * entry was stored with, within which every certificate that path building
 * could look at (the ones sent and every anchor) is as valid or invalid as
 * it was. The host name is not part of the key: the caller checks it
 * against the leaf. Adding anchors forgets every entry. Bounded
 * (LATCH_TRUST_CACHE_MAX entries, the least recently used replaced);
 * thread-safe (one mutex, held for a lookup or an insertion, never while
 * verifying).
 */
#ifndef LATCH_TRUST_CACHE_MAX
#define LATCH_TRUST_CACHE_MAX 32
#endif

struct x509_st;
struct stack_st_X509;

typedef struct latch_cache_key {
    const uint8_t *der; /* the certificates back to back, leaf first */
    size_t der_len;
    const size_t *lens; /* their lengths */
    size_t n;
    bool client_cert;
    bool allow_key_encipherment_only;
    unsigned max_depth;
} latch_cache_key;

/**
 * The entry for k, if there is one and now lies strictly inside its window:
 * then *leaf and *path receive new references (free with X509_free and
 * sk_X509_pop_free) and *info the leaf key's description.
 */
bool latch__trust_cache_get(const latch_trust *t, const latch_cache_key *k, int64_t now, struct x509_st **leaf,
                            struct stack_st_X509 **path, latch_pkey_info *info);

/**
 * Remember that k verified, with this leaf and validated path (both are
 * referenced, not taken), for the times strictly between lo and hi.
 * Replaces an entry with the same key. Does nothing when memory runs out or
 * the cache is disabled (LATCH_TRUST_CACHE_MAX 0).
 */
void latch__trust_cache_put(const latch_trust *t, const latch_cache_key *k, int64_t lo, int64_t hi,
                            struct x509_st *leaf, struct stack_st_X509 *path, latch_pkey_info info);

/** For tests: entries held now, and lookups that hit since the store was made. */
void latch__trust_cache_stats(const latch_trust *t, size_t *entries, size_t *hits);

/**
 * The anchor whose DER encoding is exactly der[0..len), with a new reference
 * (X509_free it), or NULL: a peer's certificate that is byte for byte an
 * anchor need not be decoded again.
 */
struct x509_st *latch__trust_anchor_by_der(const latch_trust *t, const uint8_t *der, size_t len);

/**
 * Narrow the open interval (*lo, *hi) to the times around now at which no
 * anchor changes from valid to invalid or back (latch__cert_window for all
 * of them at once: path building may look at any anchor). False if now is
 * one of their notBefore or notAfter times, or if some anchor's validity
 * could not be read when it was added.
 */
bool latch__trust_window(const latch_trust *t, int64_t now, int64_t *lo, int64_t *hi);

#endif
