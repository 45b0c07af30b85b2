/*
 * Tests for RSA key transport in the OpenSSL provider
 * (src/provider/ossl/rsa_kx.c). libcrypto is the oracle: it decrypts what
 * we encrypt, and builds the good and bad ciphertexts we decrypt (bad
 * padding, bad length, bad version, with RSA_NO_PADDING for hand-made
 * blocks). Every bad one must give LATCH_OK and a premaster that is not the
 * attacker's plaintext and differs on each call (fresh randomness), exactly
 * as RFC 5246 §7.4.7.1 requires.
 */
#include "provider/ossl/ossl.h"
#include "harness.h"

#include <openssl/err.h>
#include <openssl/rsa.h>
#include <stdlib.h>
#include <string.h>

static EVP_PKEY *rsa, *ec;

static void free_keys(void)
{
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(ec);
}

static int have_keys(void)
{
    static int done;

    if (!done) {
        done = 1;
        atexit(free_keys);
        rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
        ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    }
    return rsa != NULL && ec != NULL;
}

static const latch_pkey *pk(EVP_PKEY *k)
{
    return (const latch_pkey *)(const void *)k;
}

/* Decrypt with libcrypto, PKCS #1 v1.5, as a reference. */
static size_t ref_decrypt(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(rsa, NULL);
    size_t n = cap;

    if (ctx == NULL || EVP_PKEY_decrypt_init(ctx) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
        EVP_PKEY_decrypt(ctx, out, &n, in, len) != 1) {
        n = 0;
    }
    EVP_PKEY_CTX_free(ctx);
    return n;
}

/* Encrypt with libcrypto, with the given padding (RSA_NO_PADDING: len = 256). */
static size_t ref_encrypt(int padding, const uint8_t *in, size_t len, uint8_t *out)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(rsa, NULL);
    size_t n = 256;

    if (ctx == NULL || EVP_PKEY_encrypt_init(ctx) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx, padding) != 1 ||
        EVP_PKEY_encrypt(ctx, out, &n, in, len) != 1) {
        n = 0;
    }
    EVP_PKEY_CTX_free(ctx);
    return n;
}

static void premaster(uint8_t pms[48], uint16_t version)
{
    pms[0] = (uint8_t)(version >> 8);
    pms[1] = (uint8_t)version;
    for (size_t i = 2; i < 48; i++) {
        pms[i] = (uint8_t)(i * 7 + 1);
    }
}

static void test_encrypt(void)
{
    uint8_t pms[48], ct[512], back[256];
    size_t n = 0;

    REQUIRE(have_keys());
    premaster(pms, 0x0303);
    CHECK_OK(latch__ossl_rsa_encrypt(pk(rsa), pms, 48, ct, sizeof ct, &n));
    CHECK_EQ(n, 256);
    CHECK_EQ(ref_decrypt(ct, n, back, sizeof back), 48);
    CHECK_MEM(back, 48, pms, 48);
    /* PKCS #1 v1.5 encryption is randomised. */
    {
        uint8_t ct2[256];
        size_t n2 = 0;

        CHECK_OK(latch__ossl_rsa_encrypt(pk(rsa), pms, 48, ct2, sizeof ct2, &n2));
        CHECK(n2 == 256 && memcmp(ct, ct2, 256) != 0);
    }
    CHECK_ERR(latch__ossl_rsa_encrypt(pk(rsa), pms, 48, ct, 255, &n), LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ(n, 0);
    CHECK_ERR(latch__ossl_rsa_encrypt(pk(ec), pms, 48, ct, sizeof ct, &n), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__ossl_rsa_encrypt(NULL, pms, 48, ct, sizeof ct, &n), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(ERR_peek_error(), 0);
}

static void test_decrypt_good(void)
{
    uint8_t pms[48], ct[256], out[48];
    size_t n;

    REQUIRE(have_keys());
    premaster(pms, 0x0303);
    n = ref_encrypt(RSA_PKCS1_PADDING, pms, 48, ct);
    REQUIRE(n == 256);
    CHECK_OK(latch__ossl_rsa_decrypt_tls(pk(rsa), ct, n, 0x0303, out));
    CHECK_MEM(out, 48, pms, 48);
    /* Our own encryption round-trips too. */
    REQUIRE_OK(latch__ossl_rsa_encrypt(pk(rsa), pms, 48, ct, sizeof ct, &n));
    CHECK_OK(latch__ossl_rsa_decrypt_tls(pk(rsa), ct, n, 0x0303, out));
    CHECK_MEM(out, 48, pms, 48);
}

/* Decrypt a bad ciphertext twice: LATCH_OK both times, neither output the
 * plaintext (when given), and the two outputs differ. */
static void check_rejected(const char *what, const uint8_t *ct, size_t n, uint16_t version, const uint8_t *plain)
{
    uint8_t a[48], b[48];

    if (latch__ossl_rsa_decrypt_tls(pk(rsa), ct, n, version, a) != LATCH_OK ||
        latch__ossl_rsa_decrypt_tls(pk(rsa), ct, n, version, b) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "%s: decryption reported an error (an oracle)", what);
        return;
    }
    if (memcmp(a, b, 48) == 0) {
        latch_test_fail(__FILE__, __LINE__, "%s: the same premaster twice: not a fresh random one", what);
    }
    if (plain != NULL && (memcmp(a, plain, 48) == 0 || memcmp(b, plain, 48) == 0)) {
        latch_test_fail(__FILE__, __LINE__, "%s: the bad plaintext came through", what);
    }
    if (ERR_peek_error() != 0) {
        latch_test_fail(__FILE__, __LINE__, "%s: libcrypto's error queue shows the failure", what);
        ERR_clear_error();
    }
}

static void test_decrypt_bad(void)
{
    uint8_t pms[48], block[256], ct[300];

    REQUIRE(have_keys());
    /* A wrong version: RFC 5246 §7.4.7.1 checks it with the padding. */
    premaster(pms, 0x0301);
    REQUIRE(ref_encrypt(RSA_PKCS1_PADDING, pms, 48, ct) == 256);
    check_rejected("version 0x0301 for client_version 0x0303", ct, 256, 0x0303, pms);
    /* ... which is the right one when the client offered TLS 1.0. */
    {
        uint8_t out[48];

        CHECK_OK(latch__ossl_rsa_decrypt_tls(pk(rsa), ct, 256, 0x0301, out));
        CHECK_MEM(out, 48, pms, 48);
    }
    /* A 47-byte and a 49-byte plaintext. */
    premaster(pms, 0x0303);
    REQUIRE(ref_encrypt(RSA_PKCS1_PADDING, pms, 47, ct) == 256);
    check_rejected("47-byte premaster", ct, 256, 0x0303, NULL);
    {
        uint8_t long_pms[49];

        memcpy(long_pms, pms, 48);
        long_pms[48] = 0;
        REQUIRE(ref_encrypt(RSA_PKCS1_PADDING, long_pms, 49, ct) == 256);
        check_rejected("49-byte premaster", ct, 256, 0x0303, NULL);
    }
    /* Hand-made blocks: 00 02 <nonzero padding> 00 <pms>, then each part broken. */
    memset(block, 0x5A, sizeof block);
    block[0] = 0x00;
    block[1] = 0x02;
    block[256 - 49] = 0x00;
    memcpy(block + 256 - 48, pms, 48);
    REQUIRE(ref_encrypt(RSA_NO_PADDING, block, 256, ct) == 256);
    {
        uint8_t out[48];

        CHECK_OK(latch__ossl_rsa_decrypt_tls(pk(rsa), ct, 256, 0x0303, out));
        CHECK_MEM(out, 48, pms, 48); /* the well-formed block is accepted */
    }
    block[1] = 0x01; /* block type 1 (signature padding) */
    REQUIRE(ref_encrypt(RSA_NO_PADDING, block, 256, ct) == 256);
    check_rejected("block type 01", ct, 256, 0x0303, pms);
    block[1] = 0x02;
    block[0] = 0x01; /* leading byte not zero (still below the modulus) */
    REQUIRE(ref_encrypt(RSA_NO_PADDING, block, 256, ct) == 256);
    check_rejected("leading byte 01", ct, 256, 0x0303, pms);
    block[0] = 0x00;
    block[256 - 49] = 0x5A; /* no zero separator at all */
    REQUIRE(ref_encrypt(RSA_NO_PADDING, block, 256, ct) == 256);
    check_rejected("no separator", ct, 256, 0x0303, pms);
    block[256 - 49] = 0x00;
    block[5] = 0x00; /* separator too early: padding shorter than 8 bytes, wrong length */
    REQUIRE(ref_encrypt(RSA_NO_PADDING, block, 256, ct) == 256);
    check_rejected("separator after 3 padding bytes", ct, 256, 0x0303, NULL);
    /* Public failures answer the same way: random bytes, LATCH_OK. */
    REQUIRE(ref_encrypt(RSA_PKCS1_PADDING, pms, 48, ct) == 256);
    check_rejected("ciphertext one byte short", ct, 255, 0x0303, pms);
    ct[256] = 0;
    check_rejected("ciphertext one byte long", ct, 257, 0x0303, pms);
    memset(ct, 0xFF, 256);
    check_rejected("ciphertext above the modulus", ct, 256, 0x0303, NULL);
    check_rejected("empty ciphertext", ct, 0, 0x0303, NULL);
}

static void test_decrypt_arguments(void)
{
    uint8_t out[48], ct[256] = {0};

    REQUIRE(have_keys());
    /* The key is configuration, not peer input: refusing it is no oracle. */
    CHECK_ERR(latch__ossl_rsa_decrypt_tls(pk(ec), ct, 256, 0x0303, out), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__ossl_rsa_decrypt_tls(NULL, ct, 256, 0x0303, out), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__ossl_rsa_decrypt_tls(pk(rsa), NULL, 256, 0x0303, out), LATCH_ERR_INVALID_ARGUMENT);
}

/* The provider object exposes both (and the test provider shares them). */
static void test_provider_table(void)
{
    const latch_provider *p = latch_provider_openssl();

    REQUIRE(p != NULL);
    CHECK(p->rsa_encrypt == latch__ossl_rsa_encrypt);
    CHECK(p->rsa_decrypt_tls == latch__ossl_rsa_decrypt_tls);
}

static const latch_test cases[] = {
    TEST(test_encrypt),
    TEST(test_decrypt_good),
    TEST(test_decrypt_bad),
    TEST(test_decrypt_arguments),
    TEST(test_provider_table),
    {0},
};

LATCH_TEST_MAIN(cases)
