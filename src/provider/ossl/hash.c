/*
 * SHA-256/384/512 for the OpenSSL provider.
 *
 * These use libcrypto's low-level SHA functions (the same assembly the EVP
 * layer ends in) because their state is a plain struct: it lives inside
 * latch_hash_ctx, forks by copying, and costs no allocation or method lookup
 * per message. The functions are deprecated in OpenSSL 3 but remain part of
 * its API; we suppress the deprecation warning for this file only.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "provider/ossl/ossl.h"

#include <openssl/sha.h>

_Static_assert(sizeof(SHA256_CTX) <= LATCH_HASH_CTX_SIZE, "SHA256_CTX must fit latch_hash_ctx");
_Static_assert(sizeof(SHA512_CTX) <= LATCH_HASH_CTX_SIZE, "SHA512_CTX must fit latch_hash_ctx");

#define S256(c) ((SHA256_CTX *)(void *)(c)->opaque)
#define S512(c) ((SHA512_CTX *)(void *)(c)->opaque)

static void sha256_init(latch_hash_ctx *c)
{
    (void)SHA256_Init(S256(c));
}

static void sha256_update(latch_hash_ctx *c, const uint8_t *p, size_t n)
{
    (void)SHA256_Update(S256(c), p, n);
}

static void sha256_final(latch_hash_ctx *c, uint8_t *out)
{
    (void)SHA256_Final(out, S256(c));
}

static void sha384_init(latch_hash_ctx *c)
{
    (void)SHA384_Init(S512(c));
}

static void sha384_final(latch_hash_ctx *c, uint8_t *out)
{
    (void)SHA384_Final(out, S512(c));
}

static void sha512_init(latch_hash_ctx *c)
{
    (void)SHA512_Init(S512(c));
}

static void sha512_update(latch_hash_ctx *c, const uint8_t *p, size_t n)
{
    (void)SHA512_Update(S512(c), p, n);
}

static void sha512_final(latch_hash_ctx *c, uint8_t *out)
{
    (void)SHA512_Final(out, S512(c));
}

const latch_hash_alg latch__ossl_sha256 = {
    LATCH_HASH_SHA256, 32, 64, "SHA256", sha256_init, sha256_update, sha256_final,
};

const latch_hash_alg latch__ossl_sha384 = {
    LATCH_HASH_SHA384, 48, 128, "SHA384", sha384_init, sha512_update, sha384_final,
};

const latch_hash_alg latch__ossl_sha512 = {
    LATCH_HASH_SHA512, 64, 128, "SHA512", sha512_init, sha512_update, sha512_final,
};
