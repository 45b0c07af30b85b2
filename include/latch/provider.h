/*
 * latch/provider.h - the crypto provider interface.
 *
 * latch's protocol code performs no cryptography itself: it calls a provider,
 * a const struct of algorithm tables keyed by IANA numbers. The default
 * provider, latch_provider_openssl(), runs on OpenSSL 3's libcrypto and looks
 * every algorithm up once, the first time it is asked for; records and
 * handshakes never fetch. A provider is immutable and may be shared by any
 * number of threads, except where its random callback says otherwise (the
 * deterministic test provider is single-threaded).
 *
 * Conventions: lengths are in bytes; every function returning latch_err
 * returns LATCH_OK or a failure of class CRYPTO (or INVALID_ARGUMENT for a
 * length that does not fit the algorithm); outputs are undefined on failure.
 */
#ifndef LATCH_PROVIDER_H
#define LATCH_PROVIDER_H

#include <latch/error.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- IANA numbers ------------------------------------------------------- */

/** Protocol versions, as on the wire (RFC 8446 §4.2.1). */
#define LATCH_TLS10 0x0301
#define LATCH_TLS11 0x0302
#define LATCH_TLS12 0x0303
#define LATCH_TLS13 0x0304

/** TLS 1.3 cipher suites (RFC 8446 §B.4) and TLS 1.2 AEAD suites. */
#define LATCH_TLS_AES_128_GCM_SHA256 0x1301
#define LATCH_TLS_AES_256_GCM_SHA384 0x1302
#define LATCH_TLS_CHACHA20_POLY1305_SHA256 0x1303
#define LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 0xC02B
#define LATCH_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 0xC02C
#define LATCH_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 0xC02F
#define LATCH_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 0xC030
#define LATCH_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 0xCCA8
#define LATCH_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 0xCCA9
#define LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256 0x009C
#define LATCH_TLS_RSA_WITH_AES_256_GCM_SHA384 0x009D

/** Named groups (RFC 8446 §4.2.7). */
#define LATCH_GROUP_SECP256R1 0x0017
#define LATCH_GROUP_SECP384R1 0x0018
#define LATCH_GROUP_SECP521R1 0x0019
#define LATCH_GROUP_X25519 0x001D
#define LATCH_GROUP_X448 0x001E

/** Signature schemes (RFC 8446 §4.2.3). */
#define LATCH_SIG_RSA_PKCS1_SHA256 0x0401
#define LATCH_SIG_RSA_PKCS1_SHA384 0x0501
#define LATCH_SIG_RSA_PKCS1_SHA512 0x0601
#define LATCH_SIG_ECDSA_SECP256R1_SHA256 0x0403
#define LATCH_SIG_ECDSA_SECP384R1_SHA384 0x0503
#define LATCH_SIG_ECDSA_SECP521R1_SHA512 0x0603
#define LATCH_SIG_RSA_PSS_RSAE_SHA256 0x0804
#define LATCH_SIG_RSA_PSS_RSAE_SHA384 0x0805
#define LATCH_SIG_RSA_PSS_RSAE_SHA512 0x0806
#define LATCH_SIG_ED25519 0x0807
#define LATCH_SIG_ED448 0x0808
#define LATCH_SIG_RSA_PSS_PSS_SHA256 0x0809
#define LATCH_SIG_RSA_PSS_PSS_SHA384 0x080A
#define LATCH_SIG_RSA_PSS_PSS_SHA512 0x080B

/** Hash algorithms, numbered as TLS 1.2's HashAlgorithm (RFC 5246 §7.4.1.4.1). */
#define LATCH_HASH_SHA256 4
#define LATCH_HASH_SHA384 5
#define LATCH_HASH_SHA512 6

/** AEAD algorithms (latch's own numbering). */
#define LATCH_AEAD_AES_128_GCM 1
#define LATCH_AEAD_AES_256_GCM 2
#define LATCH_AEAD_CHACHA20_POLY1305 3

#define LATCH_HASH_MAX_LEN 64    /**< largest digest (SHA-512) */
#define LATCH_HASH_MAX_BLOCK 128 /**< largest block (SHA-384/512) */
#define LATCH_AEAD_MAX_KEY 32
#define LATCH_AEAD_NONCE_LEN 12
#define LATCH_AEAD_TAG_LEN 16
#define LATCH_KX_MAX_PUB 133   /**< an uncompressed P-521 point */
#define LATCH_KX_MAX_SECRET 66 /**< a P-521 shared secret */
#define LATCH_SIG_MAX_LEN 1024 /**< an 8192-bit RSA signature */

typedef struct latch_provider latch_provider;

/* ---- Hashes ------------------------------------------------------------- */

/**
 * Storage for a hash state. Providers keep their state in these bytes and
 * nowhere else, so copying the struct forks the hash (transcript snapshots,
 * HMAC pads) and dropping it needs no call (wipe it if it held secrets).
 */
#define LATCH_HASH_CTX_SIZE 256
typedef struct latch_hash_ctx {
    _Alignas(16) uint8_t opaque[LATCH_HASH_CTX_SIZE];
} latch_hash_ctx;

typedef struct latch_hash_alg {
    uint8_t id;         /**< LATCH_HASH_* */
    uint8_t digest_len; /**< output length */
    uint8_t block_len;  /**< block length (for HMAC) */
    const char *name;   /**< "SHA256" */
    void (*init)(latch_hash_ctx *ctx);
    void (*update)(latch_hash_ctx *ctx, const uint8_t *p, size_t n);
    /** Write digest_len bytes to out; ctx must be re-initialised before reuse. */
    void (*final)(latch_hash_ctx *ctx, uint8_t *out);
} latch_hash_alg;

/* ---- AEAD --------------------------------------------------------------- */

/** A keyed AEAD context for one direction (provider-defined). */
typedef struct latch_aead_ctx latch_aead_ctx;

typedef struct latch_aead_alg {
    uint8_t id;        /**< LATCH_AEAD_* */
    uint8_t key_len;   /**< 16 or 32 */
    uint8_t nonce_len; /**< always 12 */
    uint8_t tag_len;   /**< always 16 */
    const char *name;  /**< "AES-128-GCM" */
    /**
     * Records that may be protected under one key before it must be replaced
     * (RFC 8446 §5.5), with full-size records assumed; UINT64_MAX if none.
     */
    uint64_t confidentiality_limit;
    /** Failed decryptions tolerated under one key (relevant for DTLS/QUIC). */
    uint64_t integrity_limit;
    /** A context keyed with key[0..key_len) for sealing (encrypt) or opening. */
    LATCH_MUST_CHECK latch_err (*create)(const struct latch_aead_alg *alg, const uint8_t *key, bool encrypt,
                                         latch_aead_ctx **out);
    /** Replace the key of an existing context (same direction). */
    LATCH_MUST_CHECK latch_err (*rekey)(latch_aead_ctx *ctx, const uint8_t *key);
    /**
     * Encrypt buf[0..len) in place and write the tag to tag[0..tag_len).
     * tag may directly follow buf.
     */
    LATCH_MUST_CHECK latch_err (*seal)(latch_aead_ctx *ctx, const uint8_t nonce[12], const uint8_t *aad,
                                       size_t aad_len, uint8_t *buf, size_t len, uint8_t *tag);
    /**
     * Check the tag and decrypt buf[0..len) in place. On failure returns
     * LATCH_ERR_BAD_RECORD_MAC and the contents of buf are unspecified (the
     * caller must not use them).
     */
    LATCH_MUST_CHECK latch_err (*open)(latch_aead_ctx *ctx, const uint8_t nonce[12], const uint8_t *aad,
                                       size_t aad_len, uint8_t *buf, size_t len, const uint8_t *tag);
    /** Wipe and free; NULL-safe. */
    void (*destroy)(latch_aead_ctx *ctx);
} latch_aead_alg;

/* ---- Key exchange ------------------------------------------------------- */

/** An ephemeral private key (provider-defined). */
typedef struct latch_kx_key latch_kx_key;

typedef struct latch_kx_alg {
    uint16_t group;     /**< LATCH_GROUP_* */
    uint16_t pub_len;   /**< encoded public key (key_share) length */
    uint16_t secret_len; /**< shared secret length */
    const char *name;   /**< "x25519" */
    /** A fresh key pair; its public key goes to pub[0..pub_len). */
    LATCH_MUST_CHECK latch_err (*keygen)(const struct latch_kx_alg *alg, const latch_provider *prov,
                                         latch_kx_key **key, uint8_t *pub);
    /**
     * The shared secret with the peer's public key, written to
     * secret[0..secret_len). The peer key is validated (on the curve, not the
     * identity, exact length; an all-zero X25519 result is refused) and a
     * bad one gives LATCH_ERR_BAD_KEY_SHARE. The private key is destroyed
     * whatever the outcome.
     */
    LATCH_MUST_CHECK latch_err (*derive)(latch_kx_key *key, const uint8_t *peer, size_t peer_len,
                                         uint8_t *secret);
    /** Destroy a key that will not be used (NULL-safe). */
    void (*destroy)(latch_kx_key *key);
} latch_kx_alg;

/* ---- Signatures --------------------------------------------------------- */

/** A public or private key object (provider-defined; OpenSSL: EVP_PKEY). */
typedef struct latch_pkey latch_pkey;

#define LATCH_PKEY_RSA 1     /**< rsaEncryption */
#define LATCH_PKEY_RSA_PSS 2 /**< id-RSASSA-PSS */
#define LATCH_PKEY_EC 3
#define LATCH_PKEY_ED25519 4
#define LATCH_PKEY_ED448 5

typedef struct latch_pkey_info {
    uint8_t type;   /**< LATCH_PKEY_* */
    uint16_t group; /**< for EC keys: the curve as a LATCH_GROUP_*; else 0 */
    uint32_t bits;  /**< key size in bits */
} latch_pkey_info;

typedef struct latch_sig_alg {
    uint16_t scheme;  /**< LATCH_SIG_* */
    uint8_t hash;     /**< LATCH_HASH_* used, 0 for EdDSA */
    uint8_t key_type; /**< LATCH_PKEY_* the scheme needs */
    uint16_t group;   /**< for ECDSA in TLS 1.3: the curve bound to the scheme */
    bool tls13;       /**< allowed for TLS 1.3 CertificateVerify */
    const char *name; /**< "ecdsa_secp256r1_sha256" */
    /** Sign msg with key, writing at most cap bytes to sig. */
    LATCH_MUST_CHECK latch_err (*sign)(const struct latch_sig_alg *alg, const latch_pkey *key, const uint8_t *msg,
                                       size_t msg_len, uint8_t *sig, size_t cap, size_t *sig_len);
    /** LATCH_OK if sig is a valid signature of msg; else LATCH_ERR_BAD_SIGNATURE. */
    LATCH_MUST_CHECK latch_err (*verify)(const struct latch_sig_alg *alg, const latch_pkey *key,
                                         const uint8_t *msg, size_t msg_len, const uint8_t *sig, size_t sig_len);
} latch_sig_alg;

/* ---- The provider ------------------------------------------------------- */

struct latch_provider {
    const char *name;
    /** Fill out[0..n) with unpredictable bytes. */
    LATCH_MUST_CHECK latch_err (*random)(void *rng, uint8_t *out, size_t n);
    void *rng;
    /** NULL-terminated tables, in the provider's order of preference. */
    const latch_hash_alg *const *hash;
    const latch_aead_alg *const *aead;
    const latch_kx_alg *const *kx;
    const latch_sig_alg *const *sig;
    /** Describe a key (type, curve, size). */
    LATCH_MUST_CHECK latch_err (*pkey_info)(const latch_pkey *key, latch_pkey_info *info);

    /*
     * RSA key transport (TLS 1.2 TLS_RSA_WITH_* suites, RFC 5246 §7.4.7.1).
     * Both may be NULL: latch then never negotiates those suites.
     */

    /**
     * Client: encrypt msg[0..len) (the 48-byte premaster secret) to an
     * rsaEncryption public key with RSAES-PKCS1-v1_5, writing the ciphertext
     * (as long as the modulus) to out[0..cap) and its length to *out_len.
     * The padding's randomness may come from the implementation's own
     * generator rather than random() (libcrypto's, for the OpenSSL provider).
     * \return LATCH_OK; INVALID_ARGUMENT for a key that is not rsaEncryption;
     *         BUFFER_TOO_SMALL; CRYPTO.
     */
    LATCH_MUST_CHECK latch_err (*rsa_encrypt)(const latch_pkey *key, const uint8_t *msg, size_t len, uint8_t *out,
                                              size_t cap, size_t *out_len);

    /**
     * Server: decrypt an EncryptedPreMasterSecret as RFC 5246 §7.4.7.1
     * requires, leaving no Bleichenbacher oracle. premaster[0..48) receives
     * the decrypted value if the PKCS #1 v1.5 padding is valid, the
     * plaintext is 48 bytes and starts with client_version (the version the
     * client offered in its ClientHello); otherwise 48 random bytes. The
     * choice is made in constant time and the return value does not reveal
     * it: LATCH_OK whatever the ciphertext holds, including a ciphertext of
     * the wrong length. Failures are only for causes independent of the
     * ciphertext: INVALID_ARGUMENT (not an rsaEncryption private key),
     * NO_MEMORY, RANDOM.
     */
    LATCH_MUST_CHECK latch_err (*rsa_decrypt_tls)(const latch_pkey *key, const uint8_t *enc, size_t enc_len,
                                                  uint16_t client_version, uint8_t premaster[48]);
};

/**
 * \brief The OpenSSL 3 (libcrypto) provider, initialised on first use.
 * \return the provider, or NULL if libcrypto lacks an algorithm latch needs.
 * Thread-safe.
 */
LATCH_API const latch_provider *latch_provider_openssl(void);

/** \brief The hash with id \p id, or NULL. */
LATCH_API const latch_hash_alg *latch_provider_hash(const latch_provider *p, uint8_t id);
/** \brief The AEAD with id \p id, or NULL. */
LATCH_API const latch_aead_alg *latch_provider_aead(const latch_provider *p, uint8_t id);
/** \brief The key exchange for named group \p group, or NULL. */
LATCH_API const latch_kx_alg *latch_provider_kx(const latch_provider *p, uint16_t group);
/** \brief The signature scheme \p scheme, or NULL. */
LATCH_API const latch_sig_alg *latch_provider_sig(const latch_provider *p, uint16_t scheme);

#ifdef __cplusplus
}
#endif
#endif
