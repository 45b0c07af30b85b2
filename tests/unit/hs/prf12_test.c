/*
 * Tests for the TLS 1.2 PRF (src/hs/prf12.c).
 *
 * Known answers: the P_SHA256 and P_SHA384 vectors posted to the IETF TLS
 * working group list, https://www.ietf.org/mail-archive/web/tls/current/msg03416.html
 * ("Generating 100 bytes of pseudo-randomness using TLS1.2PRF-SHA256" and
 * "... 148 bytes ... TLS1.2PRF-SHA384"), reused by BearSSL's test_crypto.c,
 * GnuTLS's tests/tls12-prf.c and Bouncy Castle among others.
 */
#include "core/err.h"
#include "harness.h"
#include "hs/prf12.h"

#include <stdlib.h>
#include <string.h>

static const latch_hash_alg *hash_alg(uint8_t id)
{
    const latch_hash_alg *h = latch_provider_hash(latch_provider_openssl(), id);

    if (h == NULL) {
        fprintf(stderr, "provider lacks hash %u\n", id);
        abort();
    }
    return h;
}

static void test_sha256_vector(void)
{
    size_t sl, dl, wl;
    const uint8_t *secret = latch_test_hexbuf("9bbe436ba940f017b17652849a71db35", &sl);
    const uint8_t *seed = latch_test_hexbuf("a0ba9f936cda311827a6f796ffd5198c", &dl);
    const uint8_t *want = latch_test_hexbuf("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
                                            "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
                                            "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
                                            "87347b66",
                                            &wl);
    uint8_t out[100];

    REQUIRE(wl == 100);
    CHECK_OK(latch_prf12(hash_alg(LATCH_HASH_SHA256), secret, sl, "test label", seed, dl, NULL, 0, out, 100));
    CHECK_MEM(out, 100, want, wl);
    /* The seed may come in two parts, split anywhere. */
    for (size_t cut = 0; cut <= dl; cut++) {
        memset(out, 0, sizeof out);
        CHECK_OK(latch_prf12(hash_alg(LATCH_HASH_SHA256), secret, sl, "test label", seed, cut, seed + cut, dl - cut,
                             out, 100));
        CHECK_MEM(out, 100, want, wl);
    }
    /* A shorter output is a prefix: every length, including a partial block. */
    for (size_t n = 0; n <= 100; n++) {
        uint8_t part[101];

        memset(part, 0xAA, sizeof part);
        CHECK_OK(latch_prf12(hash_alg(LATCH_HASH_SHA256), secret, sl, "test label", seed, dl, NULL, 0, part, n));
        CHECK_MEM(part, n, want, n);
        CHECK_EQ(part[n], 0xAA); /* nothing written past n */
    }
}

static void test_sha384_vector(void)
{
    size_t sl, dl, wl;
    const uint8_t *secret = latch_test_hexbuf("b80b733d6ceefcdc71566ea48e5567df", &sl);
    const uint8_t *seed = latch_test_hexbuf("cd665cf6a8447dd6ff8b27555edb7465", &dl);
    const uint8_t *want = latch_test_hexbuf(
        "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0"
        "e534cb400fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d9184259b"
        "5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e0990703d73"
        "e56f",
        &wl);
    uint8_t out[148];

    REQUIRE(wl == 148);
    CHECK_OK(latch_prf12(hash_alg(LATCH_HASH_SHA384), secret, sl, "test label", seed, dl, NULL, 0, out, 148));
    CHECK_MEM(out, 148, want, wl);
    /* The other hash gives something else entirely. */
    CHECK_OK(latch_prf12(hash_alg(LATCH_HASH_SHA256), secret, sl, "test label", seed, dl, NULL, 0, out, 148));
    CHECK(memcmp(out, want, 16) != 0);
}

/* A secret longer than the hash block is hashed first (HMAC, RFC 2104):
 * the PRF must accept it (RSA premasters are 48 bytes, but ECDHE P-521
 * secrets and EMS inputs vary). Checked against the same vector with the
 * secret pre-hashed, which HMAC defines as equivalent. */
static void test_long_secret(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    uint8_t secret[100], hashed[32], a[40], b[40];
    latch_hash_ctx ctx;

    for (size_t i = 0; i < sizeof secret; i++) {
        secret[i] = (uint8_t)i;
    }
    h->init(&ctx);
    h->update(&ctx, secret, sizeof secret);
    h->final(&ctx, hashed);
    CHECK_OK(latch_prf12(h, secret, sizeof secret, "x", (const uint8_t *)"seed", 4, NULL, 0, a, sizeof a));
    CHECK_OK(latch_prf12(h, hashed, sizeof hashed, "x", (const uint8_t *)"seed", 4, NULL, 0, b, sizeof b));
    CHECK_MEM(a, sizeof a, b, sizeof b);
}

static void test_arguments(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    uint8_t out[12];

    CHECK_ERR(latch_prf12(NULL, out, 1, "l", NULL, 0, NULL, 0, out, 12), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_prf12(h, out, 1, NULL, NULL, 0, NULL, 0, out, 12), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_prf12(h, out, 1, "l", NULL, 0, NULL, 0, NULL, 12), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_prf12(h, out, 1, "l", NULL, 3, NULL, 0, out, 12), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_prf12(h, out, 1, "l", NULL, 0, NULL, 3, out, 12), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_prf12(h, NULL, 1, "l", NULL, 0, NULL, 0, out, 12), LATCH_ERR_INVALID_ARGUMENT);
    /* Empty secret and seed are legal (P_hash is defined for them). */
    CHECK_OK(latch_prf12(h, NULL, 0, "", NULL, 0, NULL, 0, out, 12));
    CHECK_OK(latch_prf12(h, NULL, 0, "", NULL, 0, NULL, 0, NULL, 0));
}

static const latch_test cases[] = {
    TEST(test_sha256_vector),
    TEST(test_sha384_vector),
    TEST(test_long_secret),
    TEST(test_arguments),
    {0},
};

LATCH_TEST_MAIN(cases)
