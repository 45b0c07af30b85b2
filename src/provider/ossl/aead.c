/*
 * AEAD for the OpenSSL provider: AES-128-GCM, AES-256-GCM and
 * ChaCha20-Poly1305 through EVP, with the cipher fetched once. A context is
 * keyed once per traffic key; each record only sets the nonce.
 */
#include "provider/ossl/ossl.h"

#include <limits.h>
#include <openssl/crypto.h>

struct latch_aead_ctx {
    EVP_CIPHER_CTX *evp;
    const latch_aead_alg *alg;
    int encrypt;
};

static const EVP_CIPHER *cipher_for(const latch_aead_alg *alg)
{
    const latch_ossl_algs *a = latch__ossl_algs();

    if (a == NULL) {
        return NULL;
    }
    switch (alg->id) {
    case LATCH_AEAD_AES_128_GCM: return a->aes128gcm;
    case LATCH_AEAD_AES_256_GCM: return a->aes256gcm;
    case LATCH_AEAD_CHACHA20_POLY1305: return a->chacha20poly1305;
    default: return NULL;
    }
}

static latch_err aead_rekey(latch_aead_ctx *ctx, const uint8_t *key)
{
    if (EVP_CipherInit_ex2(ctx->evp, NULL, key, NULL, ctx->encrypt, NULL) != 1) {
        return LATCH_ERR_CRYPTO;
    }
    return LATCH_OK;
}

static latch_err aead_create(const latch_aead_alg *alg, const uint8_t *key, bool encrypt, latch_aead_ctx **out)
{
    const EVP_CIPHER *cipher = cipher_for(alg);
    latch_aead_ctx *ctx;

    *out = NULL;
    if (cipher == NULL) {
        return LATCH_ERR_UNSUPPORTED;
    }
    ctx = OPENSSL_zalloc(sizeof *ctx);
    if (ctx == NULL) {
        return LATCH_ERR_NO_MEMORY;
    }
    ctx->alg = alg;
    ctx->encrypt = encrypt ? 1 : 0;
    ctx->evp = EVP_CIPHER_CTX_new();
    if (ctx->evp == NULL || EVP_CipherInit_ex2(ctx->evp, cipher, key, NULL, ctx->encrypt, NULL) != 1) {
        EVP_CIPHER_CTX_free(ctx->evp);
        OPENSSL_free(ctx);
        return LATCH_ERR_CRYPTO;
    }
    *out = ctx;
    return LATCH_OK;
}

static latch_err aead_seal(latch_aead_ctx *ctx, const uint8_t nonce[12], const uint8_t *aad, size_t aad_len,
                           uint8_t *buf, size_t len, uint8_t *tag)
{
    int n = 0, fin = 0;

    if (!ctx->encrypt || len > INT_MAX || aad_len > INT_MAX) {
        return LATCH_ERR_INVALID_ARGUMENT;
    }
    if (EVP_CipherInit_ex2(ctx->evp, NULL, NULL, nonce, 1, NULL) != 1 ||
        (aad_len > 0 && EVP_CipherUpdate(ctx->evp, NULL, &n, aad, (int)aad_len) != 1) ||
        (len > 0 && EVP_CipherUpdate(ctx->evp, buf, &n, buf, (int)len) != 1) ||
        EVP_CipherFinal_ex(ctx->evp, buf + (len > 0 ? (size_t)n : 0), &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx->evp, EVP_CTRL_AEAD_GET_TAG, (int)ctx->alg->tag_len, tag) != 1) {
        return LATCH_ERR_CRYPTO;
    }
    return LATCH_OK;
}

static latch_err aead_open(latch_aead_ctx *ctx, const uint8_t nonce[12], const uint8_t *aad, size_t aad_len,
                           uint8_t *buf, size_t len, const uint8_t *tag)
{
    int n = 0, fin = 0;

    if (ctx->encrypt || len > INT_MAX || aad_len > INT_MAX) {
        return LATCH_ERR_INVALID_ARGUMENT;
    }
    if (EVP_CipherInit_ex2(ctx->evp, NULL, NULL, nonce, 0, NULL) != 1 ||
        (aad_len > 0 && EVP_CipherUpdate(ctx->evp, NULL, &n, aad, (int)aad_len) != 1) ||
        (len > 0 && EVP_CipherUpdate(ctx->evp, buf, &n, buf, (int)len) != 1) ||
        EVP_CIPHER_CTX_ctrl(ctx->evp, EVP_CTRL_AEAD_SET_TAG, (int)ctx->alg->tag_len, (void *)(uintptr_t)tag) != 1) {
        return LATCH_ERR_CRYPTO;
    }
    if (EVP_CipherFinal_ex(ctx->evp, buf + (len > 0 ? (size_t)n : 0), &fin) != 1) {
        return LATCH_ERR_BAD_RECORD_MAC;
    }
    return LATCH_OK;
}

static void aead_destroy(latch_aead_ctx *ctx)
{
    if (ctx == NULL) {
        return;
    }
    EVP_CIPHER_CTX_free(ctx->evp); /* frees and cleanses the key schedule */
    OPENSSL_clear_free(ctx, sizeof *ctx);
}

/*
 * Limits (RFC 8446 §5.5 and the AEAD limits analysis it cites): AES-GCM may
 * protect 2^24.5 full-size records under one key; ChaCha20-Poly1305 has no
 * practical confidentiality limit (more than 2^64 records).
 */
#define AES_GCM_LIMIT UINT64_C(23726566) /* floor(2^24.5) */

const latch_aead_alg latch__ossl_aes128gcm = {
    LATCH_AEAD_AES_128_GCM, 16, 12, 16, "AES-128-GCM", AES_GCM_LIMIT, UINT64_C(1) << 36,
    aead_create, aead_rekey, aead_seal, aead_open, aead_destroy,
};

const latch_aead_alg latch__ossl_aes256gcm = {
    LATCH_AEAD_AES_256_GCM, 32, 12, 16, "AES-256-GCM", AES_GCM_LIMIT, UINT64_C(1) << 36,
    aead_create, aead_rekey, aead_seal, aead_open, aead_destroy,
};

const latch_aead_alg latch__ossl_chacha20poly1305 = {
    LATCH_AEAD_CHACHA20_POLY1305, 32, 12, 16, "ChaCha20-Poly1305", UINT64_MAX, UINT64_C(1) << 36,
    aead_create, aead_rekey, aead_seal, aead_open, aead_destroy,
};
