/*
 * RSA key transport for the OpenSSL provider (TLS 1.2, RFC 5246 §7.4.7.1):
 * the client encrypts the 48-byte premaster secret to the server's RSA key
 * with RSAES-PKCS1-v1_5, the server decrypts it without a padding oracle.
 *
 * The server side uses libcrypto's RSA_PKCS1_WITH_TLS_PADDING mode, which
 * implements RFC 5246 §7.4.7.1's countermeasure in constant time: it checks
 * the PKCS #1 padding, the length (48) and the version bytes (the client's
 * ClientHello.client_version) with masks, and returns either the decrypted
 * premaster or a random one, always 48 bytes and always "success". The only
 * failures left depend on public facts (a ciphertext not as long as the
 * modulus, or not below it; out of memory); even those are answered with a
 * random premaster here, so the caller has no outcome to branch on.
 */
#include "provider/ossl/ossl.h"

#include "core/ct.h"
#include "core/err.h"
#include "core/wipe.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#define PREMASTER_LEN 48

static EVP_PKEY *rsa_key(const latch_pkey *key)
{
    EVP_PKEY *pk = (EVP_PKEY *)(void *)(uintptr_t)key;

    return pk != NULL && EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA ? pk : NULL;
}

latch_err latch__ossl_rsa_encrypt(const latch_pkey *key, const uint8_t *msg, size_t len, uint8_t *out, size_t cap,
                                  size_t *out_len)
{
    EVP_PKEY *pk = rsa_key(key);
    EVP_PKEY_CTX *ctx;
    size_t n = 0;
    latch_err e = LATCH_ERR_CRYPTO;

    *out_len = 0;
    LATCH_ENSURE(pk != NULL, LATCH_ERR_INVALID_ARGUMENT, "RSA key transport needs an rsaEncryption key");
    LATCH_ENSURE(msg != NULL && out != NULL, LATCH_ERR_INVALID_ARGUMENT, "RSA encryption: missing buffer");
    ctx = EVP_PKEY_CTX_new(pk, NULL);
    if (ctx == NULL) {
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "allocating an RSA context");
    }
    /* RFC 5246 §7.4.7.1: RSAES-PKCS1-v1_5 (RFC 3447 §7.2). */
    if (EVP_PKEY_encrypt_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
        EVP_PKEY_encrypt(ctx, NULL, &n, msg, len) == 1) {
        if (n > cap) {
            e = LATCH_FAIL(LATCH_ERR_BUFFER_TOO_SMALL, "RSA ciphertext of %zu bytes does not fit in %zu", n, cap);
        } else if (EVP_PKEY_encrypt(ctx, out, &n, msg, len) == 1) {
            *out_len = n;
            e = LATCH_OK;
        } else {
            e = LATCH_FAIL(LATCH_ERR_CRYPTO, "RSA encryption of %zu bytes failed", len);
        }
    } else {
        e = LATCH_FAIL(LATCH_ERR_CRYPTO, "cannot set up RSA PKCS #1 v1.5 encryption");
    }
    EVP_PKEY_CTX_free(ctx);
    ERR_clear_error();
    return e;
}

latch_err latch__ossl_rsa_decrypt_tls(const latch_pkey *key, const uint8_t *enc, size_t enc_len,
                                      uint16_t client_version, uint8_t premaster[48])
{
    EVP_PKEY *pk = rsa_key(key);
    EVP_PKEY_CTX *ctx;
    uint8_t got[PREMASTER_LEN] = {0};
    size_t n = sizeof got;
    unsigned int version = client_version;
    OSSL_PARAM params[2];
    int ok;

    LATCH_ENSURE(pk != NULL, LATCH_ERR_INVALID_ARGUMENT, "RSA key transport needs an rsaEncryption key");
    LATCH_ENSURE(enc != NULL || enc_len == 0, LATCH_ERR_INVALID_ARGUMENT, "RSA decryption: missing ciphertext");
    /* RFC 5246 §7.4.7.1: "generate a string R of 46 random bytes" (we draw
     * all 48) before looking at the ciphertext, and use it unless the
     * decryption is right. */
    LATCH_TRY(latch__ossl_random(NULL, premaster, PREMASTER_LEN));
    ctx = EVP_PKEY_CTX_new(pk, NULL);
    if (ctx == NULL) {
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "allocating an RSA context");
    }
    /* Leave libcrypto's error queue as we found it: what happened inside
     * must not be observable, not even there. */
    ERR_set_mark();
    params[0] = OSSL_PARAM_construct_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, &version);
    params[1] = OSSL_PARAM_construct_end();
    ok = EVP_PKEY_decrypt_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_WITH_TLS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_params(ctx, params) == 1;
    /* With TLS padding, success does not depend on the plaintext: a bad
     * padding, length or version yields a random 48 bytes inside libcrypto,
     * in constant time. What can fail is public (the ciphertext's length or
     * size against the modulus). Either way we select, without a branch. */
    ok = ok && enc_len > 0 && EVP_PKEY_decrypt(ctx, got, &n, enc, enc_len) == 1 && n == PREMASTER_LEN;
    /* Where a TLS 1.2 RSA premaster is born (for `make ct`): from here on
     * neither the bytes nor the choice between them may steer a branch. */
    LATCH_CT_SECRET(got, sizeof got);
    latch_ct_select(premaster, got, PREMASTER_LEN, (uint32_t)0 - (uint32_t)(ok != 0));
    (void)ERR_pop_to_mark();
    EVP_PKEY_CTX_free(ctx);
    latch_wipe(got, sizeof got);
    return LATCH_OK;
}
