/*
 * The OpenSSL 3 provider: algorithm lookups done once, RAND_bytes, key
 * descriptions, and the provider object itself.
 */
#include "provider/ossl/ossl.h"

#include <limits.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <string.h>

static latch_ossl_algs algs;
static int algs_ok;
static pthread_once_t algs_once = PTHREAD_ONCE_INIT;

static void fetch_all(void)
{
    static const uint8_t x25519_u9[32] = {9}; /* RFC 7748 §4.1: the base point's u, little-endian */

    algs.aes128gcm = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
    algs.aes256gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
    algs.chacha20poly1305 = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL);
    algs.sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    algs.sha384 = EVP_MD_fetch(NULL, "SHA384", NULL);
    algs.sha512 = EVP_MD_fetch(NULL, "SHA512", NULL);
    algs.x25519_base = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, x25519_u9, sizeof x25519_u9);
    algs_ok = algs.aes128gcm != NULL && algs.aes256gcm != NULL && algs.chacha20poly1305 != NULL &&
              algs.sha256 != NULL && algs.sha384 != NULL && algs.sha512 != NULL && algs.x25519_base != NULL;
}

const latch_ossl_algs *latch__ossl_algs(void)
{
    if (pthread_once(&algs_once, fetch_all) != 0 || !algs_ok) {
        return NULL;
    }
    return &algs;
}

const EVP_MD *latch__ossl_md(uint8_t hash_id)
{
    const latch_ossl_algs *a = latch__ossl_algs();

    if (a == NULL) {
        return NULL;
    }
    switch (hash_id) {
    case LATCH_HASH_SHA256: return a->sha256;
    case LATCH_HASH_SHA384: return a->sha384;
    case LATCH_HASH_SHA512: return a->sha512;
    default: return NULL;
    }
}

latch_err latch__ossl_random(void *rng, uint8_t *out, size_t n)
{
    (void)rng;
    while (n > 0) {
        int chunk = (n > INT_MAX) ? INT_MAX : (int)n;

        if (RAND_bytes(out, chunk) != 1) {
            return LATCH_ERR_RANDOM;
        }
        out += chunk;
        n -= (size_t)chunk;
    }
    return LATCH_OK;
}

latch_err latch__ossl_pkey_info(const latch_pkey *key, latch_pkey_info *info)
{
    const EVP_PKEY *pk = (const EVP_PKEY *)(const void *)key;
    char group[64];
    size_t glen = 0;
    int bits;

    memset(info, 0, sizeof *info);
    if (pk == NULL) {
        return LATCH_ERR_INVALID_ARGUMENT;
    }
    bits = EVP_PKEY_get_bits(pk);
    info->bits = bits > 0 ? (uint32_t)bits : 0;
    switch (EVP_PKEY_get_base_id(pk)) {
    case EVP_PKEY_RSA: info->type = LATCH_PKEY_RSA; break;
    case EVP_PKEY_RSA_PSS: info->type = LATCH_PKEY_RSA_PSS; break;
    case EVP_PKEY_ED25519: info->type = LATCH_PKEY_ED25519; break;
    case EVP_PKEY_ED448: info->type = LATCH_PKEY_ED448; break;
    case EVP_PKEY_EC:
        info->type = LATCH_PKEY_EC;
        if (EVP_PKEY_get_group_name(pk, group, sizeof group, &glen) != 1) {
            return LATCH_ERR_UNSUPPORTED;
        }
        if (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0) {
            info->group = LATCH_GROUP_SECP256R1;
        } else if (strcmp(group, "secp384r1") == 0 || strcmp(group, "P-384") == 0) {
            info->group = LATCH_GROUP_SECP384R1;
        } else if (strcmp(group, "secp521r1") == 0 || strcmp(group, "P-521") == 0) {
            info->group = LATCH_GROUP_SECP521R1;
        } else {
            return LATCH_ERR_UNSUPPORTED;
        }
        break;
    default: return LATCH_ERR_UNSUPPORTED;
    }
    return LATCH_OK;
}

const latch_hash_alg *const latch__ossl_hash_table[] = {
    &latch__ossl_sha256, &latch__ossl_sha384, &latch__ossl_sha512, NULL,
};

const latch_aead_alg *const latch__ossl_aead_table[] = {
    &latch__ossl_aes128gcm, &latch__ossl_aes256gcm, &latch__ossl_chacha20poly1305, NULL,
};

static const latch_provider openssl_provider = {
    "openssl", latch__ossl_random, NULL, latch__ossl_hash_table, latch__ossl_aead_table,
    latch__ossl_kx_table, latch__ossl_sig_table, latch__ossl_pkey_info, latch__ossl_rsa_encrypt,
    latch__ossl_rsa_decrypt_tls,
};

const latch_provider *latch_provider_openssl(void)
{
    if (latch__ossl_algs() == NULL) {
        return NULL;
    }
    return &openssl_provider;
}
