/*
 * Signature schemes for the OpenSSL provider (RFC 8446 §4.2.3): ECDSA with
 * P-256/P-384, RSASSA-PSS with rsaEncryption keys (rsae) and with RSA-PSS keys
 * (pss), Ed25519, and RSASSA-PKCS1-v1_5 (for TLS 1.2 and certificates only).
 */
#include "provider/ossl/ossl.h"

#include "core/ct.h"
#include "core/err.h"

#include <openssl/err.h>
#include <openssl/rsa.h>

static int key_fits(const latch_sig_alg *alg, const EVP_PKEY *pk)
{
    switch (alg->key_type) {
    case LATCH_PKEY_RSA: return EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA;
    case LATCH_PKEY_RSA_PSS: return EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA_PSS;
    case LATCH_PKEY_EC: return EVP_PKEY_get_base_id(pk) == EVP_PKEY_EC;
    case LATCH_PKEY_ED25519: return EVP_PKEY_get_base_id(pk) == EVP_PKEY_ED25519;
    default: return 0;
    }
}

static int is_pss(const latch_sig_alg *alg)
{
    return (alg->scheme >= LATCH_SIG_RSA_PSS_RSAE_SHA256 && alg->scheme <= LATCH_SIG_RSA_PSS_RSAE_SHA512) ||
           (alg->scheme >= LATCH_SIG_RSA_PSS_PSS_SHA256 && alg->scheme <= LATCH_SIG_RSA_PSS_PSS_SHA512);
}

/* Set up md/pctx for a scheme; returns the EVP_MD_CTX or NULL. */
static EVP_MD_CTX *start(const latch_sig_alg *alg, const latch_pkey *key, int sign)
{
    EVP_PKEY *pk = (EVP_PKEY *)(void *)(uintptr_t)key;
    const EVP_MD *md = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    EVP_MD_CTX *mctx;
    int ok;

    if (pk == NULL || !key_fits(alg, pk)) {
        return NULL;
    }
    if (alg->hash != 0) {
        md = latch__ossl_md(alg->hash);
        if (md == NULL) {
            return NULL;
        }
    }
    mctx = EVP_MD_CTX_new();
    if (mctx == NULL) {
        return NULL;
    }
    ok = sign ? EVP_DigestSignInit(mctx, &pctx, md, NULL, pk) : EVP_DigestVerifyInit(mctx, &pctx, md, NULL, pk);
    if (ok == 1 && is_pss(alg)) {
        /* RFC 8446 §4.2.3: the salt is as long as the digest; MGF1 uses the same hash. */
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1;
    } else if (ok == 1 && alg->key_type == LATCH_PKEY_RSA) {
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    }
    if (ok != 1) {
        EVP_MD_CTX_free(mctx);
        return NULL;
    }
    return mctx;
}

static latch_err sig_sign(const latch_sig_alg *alg, const latch_pkey *key, const uint8_t *msg, size_t msg_len,
                          uint8_t *sig, size_t cap, size_t *sig_len)
{
    EVP_MD_CTX *mctx = start(alg, key, 1);
    size_t n = 0;
    latch_err e = LATCH_ERR_CRYPTO;

    *sig_len = 0;
    if (mctx == NULL) {
        /* Tell the caller's mistake (a key unfit for the scheme) from a libcrypto failure. */
        LATCH_ENSURE(key != NULL && key_fits(alg, (const EVP_PKEY *)(const void *)key), LATCH_ERR_INVALID_ARGUMENT,
                     "the key's type does not fit the signature scheme");
        return LATCH_FAIL(LATCH_ERR_CRYPTO, "cannot set up %s signing", alg->name);
    }
    if (EVP_DigestSign(mctx, NULL, &n, msg, msg_len) == 1) {
        if (n > cap) {
            e = LATCH_ERR_BUFFER_TOO_SMALL;
        } else if (EVP_DigestSign(mctx, sig, &n, msg, msg_len) == 1) {
            /* A signature goes on the wire: public, whatever it was computed from. */
            LATCH_CT_PUBLIC(&n, sizeof n);
            LATCH_CT_PUBLIC(sig, n);
            *sig_len = n;
            e = LATCH_OK;
        }
    }
    EVP_MD_CTX_free(mctx);
    return e;
}

static latch_err sig_verify(const latch_sig_alg *alg, const latch_pkey *key, const uint8_t *msg, size_t msg_len,
                            const uint8_t *sig, size_t sig_len)
{
    EVP_MD_CTX *mctx;
    int ok = 0;

    /* A bad signature is the peer's doing: leave libcrypto's error queue as we found it (see kx.c). */
    ERR_set_mark();
    mctx = start(alg, key, 0);
    if (mctx != NULL) {
        ok = EVP_DigestVerify(mctx, sig, sig_len, msg, msg_len);
        EVP_MD_CTX_free(mctx);
    }
    (void)ERR_pop_to_mark();
    return ok == 1 ? LATCH_OK : LATCH_ERR_BAD_SIGNATURE;
}

#define SIG(var, scheme, hash, ktype, group, tls13, name) \
    static const latch_sig_alg var = {scheme, hash, ktype, group, tls13, name, sig_sign, sig_verify}

SIG(ecdsa_p256, LATCH_SIG_ECDSA_SECP256R1_SHA256, LATCH_HASH_SHA256, LATCH_PKEY_EC, LATCH_GROUP_SECP256R1, true,
    "ecdsa_secp256r1_sha256");
SIG(ecdsa_p384, LATCH_SIG_ECDSA_SECP384R1_SHA384, LATCH_HASH_SHA384, LATCH_PKEY_EC, LATCH_GROUP_SECP384R1, true,
    "ecdsa_secp384r1_sha384");
SIG(ed25519, LATCH_SIG_ED25519, 0, LATCH_PKEY_ED25519, 0, true, "ed25519");
SIG(pss_rsae256, LATCH_SIG_RSA_PSS_RSAE_SHA256, LATCH_HASH_SHA256, LATCH_PKEY_RSA, 0, true, "rsa_pss_rsae_sha256");
SIG(pss_rsae384, LATCH_SIG_RSA_PSS_RSAE_SHA384, LATCH_HASH_SHA384, LATCH_PKEY_RSA, 0, true, "rsa_pss_rsae_sha384");
SIG(pss_rsae512, LATCH_SIG_RSA_PSS_RSAE_SHA512, LATCH_HASH_SHA512, LATCH_PKEY_RSA, 0, true, "rsa_pss_rsae_sha512");
SIG(pss_pss256, LATCH_SIG_RSA_PSS_PSS_SHA256, LATCH_HASH_SHA256, LATCH_PKEY_RSA_PSS, 0, true, "rsa_pss_pss_sha256");
SIG(pss_pss384, LATCH_SIG_RSA_PSS_PSS_SHA384, LATCH_HASH_SHA384, LATCH_PKEY_RSA_PSS, 0, true, "rsa_pss_pss_sha384");
SIG(pss_pss512, LATCH_SIG_RSA_PSS_PSS_SHA512, LATCH_HASH_SHA512, LATCH_PKEY_RSA_PSS, 0, true, "rsa_pss_pss_sha512");
SIG(pkcs1_256, LATCH_SIG_RSA_PKCS1_SHA256, LATCH_HASH_SHA256, LATCH_PKEY_RSA, 0, false, "rsa_pkcs1_sha256");
SIG(pkcs1_384, LATCH_SIG_RSA_PKCS1_SHA384, LATCH_HASH_SHA384, LATCH_PKEY_RSA, 0, false, "rsa_pkcs1_sha384");
SIG(pkcs1_512, LATCH_SIG_RSA_PKCS1_SHA512, LATCH_HASH_SHA512, LATCH_PKEY_RSA, 0, false, "rsa_pkcs1_sha512");

/* Our order of preference: fast and strong first. */
const latch_sig_alg *const latch__ossl_sig_table[] = {
    &ecdsa_p256, &ecdsa_p384, &ed25519, &pss_rsae256, &pss_rsae384, &pss_rsae512,
    &pss_pss256, &pss_pss384, &pss_pss512, &pkcs1_256, &pkcs1_384, &pkcs1_512, NULL,
};
