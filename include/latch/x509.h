/*
 * latch/x509.h - minting test certificates.
 *
 * A small certificate factory for tests, demos and the `latch certs` command:
 * a complete test PKI in a directory with one call, or single certificates
 * with full control over the fields that matter to TLS (names, CA bit, path
 * length, key usage, extended key usage, validity). The certificates are
 * X.509 v3, with a random 128-bit serial number, subject and authority key
 * identifiers, and signatures by the issuer's key (SHA-256, SHA-384 for P-384
 * issuers, Ed25519 for Ed25519 issuers, RSASSA-PSS for RSA-PSS issuers).
 *
 * These are NOT for production: the keys are written unencrypted, and there is
 * no revocation. All functions are thread-safe.
 */
#ifndef LATCH_X509_PUBLIC_H
#define LATCH_X509_PUBLIC_H

#include <latch/error.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Key types for minted certificates. */
typedef enum latch_key_type {
    LATCH_KEY_ECDSA_P256 = 0, /**< EC key on P-256 (secp256r1) */
    LATCH_KEY_ECDSA_P384,     /**< EC key on P-384 (secp384r1) */
    LATCH_KEY_RSA2048,        /**< rsaEncryption, 2048 bits */
    LATCH_KEY_RSA3072,        /**< rsaEncryption, 3072 bits */
    LATCH_KEY_RSA4096,        /**< rsaEncryption, 4096 bits (slow to generate) */
    LATCH_KEY_ED25519,        /**< Ed25519 (RFC 8410) */
    LATCH_KEY_RSA_PSS2048     /**< id-RSASSA-PSS, 2048 bits (RFC 4055) */
} latch_key_type;

/** \brief The name of a key type ("ecdsa-p256", "rsa2048", ...), or NULL if unknown. */
LATCH_API const char *latch_key_type_name(latch_key_type type);

/**
 * \brief The key type named \p name ("ecdsa-p256" or "p256", "ecdsa-p384" or
 * "p384", "rsa2048", "rsa3072", "rsa4096", "ed25519", "rsa-pss2048";
 * case-insensitive), for command-line tools.
 * \return LATCH_OK; LATCH_ERR_UNSUPPORTED for an unknown name;
 *         LATCH_ERR_INVALID_ARGUMENT if a pointer is NULL.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_key_type_from_name(const char *name, latch_key_type *type);

/**
 * \brief Write a complete test PKI into a directory.
 *
 * Files written (existing ones are replaced; keys get mode 0600):
 * - ca.pem, ca.key: a self-signed CA, CN "latch test CA" and 8 random hex digits
 *   (so that two test PKIs never share a CA name);
 * - server.pem: the server certificate alone (the CA is NOT included),
 *   CN "localhost", SANs DNS:localhost, IP:127.0.0.1, IP:::1, EKU serverAuth;
 * - server-chain.pem: the server certificate, then the CA certificate;
 * - server.key;
 * - client.pem, client.key: CN "latch test client", EKU clientAuth.
 * All keys are of \p type; the validity is from one day ago to 365 days from
 * now (by the system clock).
 *
 * \param dir   the directory, created (with its parents) if missing.
 * \param type  the key type of all three keys.
 * \return LATCH_OK;
 *         LATCH_ERR_INVALID_ARGUMENT (dir NULL or empty);
 *         LATCH_ERR_UNSUPPORTED (unknown key type);
 *         LATCH_ERR_FILE_WRITE (cannot create the directory or a file; the
 *           detail names it and gives the reason);
 *         LATCH_ERR_CRYPTO (key generation or signing failed);
 *         LATCH_ERR_NO_MEMORY.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_pki_generate(const char *dir, latch_key_type type);

/** What latch_cert_mint puts in a certificate. */
typedef struct latch_cert_spec {
    /** Type of the new certificate's key. */
    latch_key_type key_type;
    /** Subject CN (UTF-8); required, non-empty. */
    const char *common_name;
    /** SAN dNSName entries (wildcards such as "*.example.com" allowed). */
    const char *const *dns_names;
    size_t n_dns;
    /** SAN iPAddress entries, as IPv4 ("192.0.2.1") or IPv6 ("2001:db8::1") text. */
    const char *const *ips;
    size_t n_ips;
    /**
     * basicConstraints (always present, critical): cA = is_ca. For a CA,
     * path_len >= 0 sets pathLenConstraint, path_len < 0 leaves it out
     * (unlimited). NOTE: a zero-initialised spec has path_len 0, i.e. a CA
     * that may only issue end-entity certificates; set -1 for no limit.
     * Ignored when is_ca is false.
     */
    bool is_ca;
    int path_len;
    /** extendedKeyUsage: serverAuth and/or clientAuth; both false: no EKU extension. */
    bool server_auth, client_auth;
    /**
     * Deliberately wrong keyUsage, for negative tests: a leaf gets only
     * keyCertSign (no digitalSignature), a CA gets only digitalSignature (no
     * keyCertSign). Normally (false) a leaf gets digitalSignature (plus
     * keyEncipherment for rsaEncryption keys) and a CA keyCertSign and cRLSign.
     */
    bool key_usage_wrong;
    /**
     * Validity, in seconds since the epoch. When both are 0: from one day ago
     * to 365 days from now. not_after must not be before not_before.
     */
    int64_t not_before, not_after;
} latch_cert_spec;

/**
 * \brief Mint one certificate and its new key pair, as PEM.
 *
 * \param spec            what to put in the certificate (borrowed).
 * \param issuer_cert_pem the issuer's certificate (PEM, NUL-terminated), or
 *                        NULL for a self-signed certificate.
 * \param issuer_key_pem  the issuer's private key (PEM, NUL-terminated),
 *                        or NULL; must be NULL exactly when issuer_cert_pem
 *                        is. Must match issuer_cert_pem.
 * \param cert_pem        receives the certificate ("-----BEGIN CERTIFICATE-----
 *                        ..."), NUL-terminated; cert_cap bytes. 4096 bytes
 *                        are enough for every key type with a few names.
 * \param key_pem         receives the new private key, unencrypted PKCS #8
 *                        ("-----BEGIN PRIVATE KEY-----"), NUL-terminated;
 *                        key_cap bytes (RSA-4096 needs about 3300 bytes).
 *                        Wiped on failure.
 * \return LATCH_OK;
 *         LATCH_ERR_INVALID_ARGUMENT (NULL spec, output or common name, only
 *           one of the issuer pointers, not_after before not_before, a bad
 *           IP address or DNS name, n_dns / n_ips with a NULL array);
 *         LATCH_ERR_UNSUPPORTED (unknown key type);
 *         LATCH_ERR_PEM_DECODE (the issuer certificate or key does not parse);
 *         LATCH_ERR_KEY_MISMATCH (the issuer key is not the issuer certificate's);
 *         LATCH_ERR_BUFFER_TOO_SMALL (cert_cap or key_cap too small; the
 *           buffers then hold empty strings);
 *         LATCH_ERR_CRYPTO (key generation or signing failed);
 *         LATCH_ERR_NO_MEMORY.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_cert_mint(const latch_cert_spec *spec, const char *issuer_cert_pem,
                                                     const char *issuer_key_pem, char *cert_pem, size_t cert_cap,
                                                     char *key_pem, size_t key_cap);

#ifdef __cplusplus
}
#endif
#endif
