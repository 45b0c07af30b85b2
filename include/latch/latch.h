/*
 * latch/latch.h - the umbrella header: include this one.
 *
 * Conventions, once for the whole API:
 * - Every fallible function returns a latch_err (<latch/error.h>); LATCH_OK
 *   is 0. Codes of class LATCH_CLASS_WANT (WANT_READ, WANT_WRITE) are not
 *   failures: do the I/O they ask for and call again. Results are marked
 *   warn_unused_result: ignoring one is a compile-time warning.
 * - After a failure, latch_last_error() (and for connections the sticky
 *   latch_conn_error()) tells where and why, with a specific sentence.
 * - Pointer arguments are borrowed for the duration of the call unless the
 *   documentation says "retained" or "ownership transfers"; strings are
 *   copied.
 * - Objects come from latch_T_new* and go back with latch_T_free, which
 *   accepts NULL and wipes secrets.
 * - A latch_config may be shared by many threads once a connection uses it;
 *   a latch_conn is used by one thread at a time.
 *
 * Headers: config.h (shared settings), conn.h (a connection, sans I/O),
 * io.h (driving a connection over a socket), error.h, x509.h (test PKI),
 * provider.h (the crypto provider interface), alloc.h (the allocator hook).
 */
#ifndef LATCH_LATCH_H
#define LATCH_LATCH_H

#include <latch/alloc.h>
#include <latch/config.h>
#include <latch/conn.h>
#include <latch/error.h>
#include <latch/io.h>
#include <latch/provider.h>
#include <latch/x509.h>

#ifdef __cplusplus
extern "C" {
#endif

/** \brief The library version, "MAJOR.MINOR.PATCH". */
LATCH_API const char *latch_version(void);

/**
 * \brief Run the built-in known-answer self-test of the TLS 1.3 key schedule.
 *
 * Replays the key schedule of RFC 8448 §3 (simple 1-RTT handshake,
 * TLS_AES_128_GCM_SHA256, X25519) on inputs embedded in the library: the
 * ClientHello, ServerHello, EncryptedExtensions, Certificate and
 * CertificateVerify messages are hashed through the transcript, the Finished
 * messages are built from the verify_data computed on the way, and the X25519
 * shared secret is the RFC's. Every derived value (early, handshake and
 * master secrets; the transcript hashes; the handshake and application
 * traffic secrets with their keys and IVs; both finished keys and
 * verify_data; the exporter and resumption master secrets; the ticket PSK) is
 * compared with the value printed in the RFC. No files are read; the crypto
 * comes from latch_provider_openssl().
 *
 * \param report  called with each (label, value) as it is computed, before it
 *                is compared, so the last value reported on failure is the one
 *                that differed; label is a short English name such as
 *                "c hs traffic" and value holds len bytes; both live only for
 *                the call. May be NULL.
 * \param user    passed to report unchanged.
 * \return LATCH_OK when every value matches; LATCH_ERR_INTERNAL at the first
 *         mismatch (the recorded error detail names the value);
 *         LATCH_ERR_CRYPTO if libcrypto lacks SHA-256 or AES-128-GCM.
 *
 * Thread-safe; the values reported are public test vectors, not secrets of
 * any connection.
 */
LATCH_API latch_err latch_selftest(void (*report)(void *user, const char *label, const uint8_t *value, size_t len),
                                   void *user);

#ifdef __cplusplus
}
#endif
#endif
