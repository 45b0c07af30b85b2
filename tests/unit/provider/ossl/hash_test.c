/* Tests for the OpenSSL provider's hashes (src/provider/ossl/hash.c): FIPS 180-4 examples. */
#include "provider/ossl/ossl.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#define MSG448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define MSG896                                                                                                   \
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrst" \
    "nopqrstu"

typedef struct hash_kat {
    const char *msg;
    const char *sha256, *sha384, *sha512;
} hash_kat;

/*
 * NIST's example values for FIPS 180-4 (SHA-256: "abc" and the 448-bit
 * two-block message; SHA-384/512: "abc" and the 896-bit message), plus the
 * empty string and, for each hash, the other example message.
 */
static const hash_kat kats[] = {
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
     "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
     "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
    {MSG448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
     "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b",
     "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
     "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"},
    {MSG896, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
     "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039",
     "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
     "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"},
};

/* One million 'a' (the long example of FIPS 180-2 / SHAVS). */
static const char *const million_a[3] = {
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
    "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985",
    ("e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
     "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"),
};

static const latch_hash_alg *const algs[3] = {&latch__ossl_sha256, &latch__ossl_sha384, &latch__ossl_sha512};

static const char *kat_hex(const hash_kat *k, size_t h)
{
    return h == 0 ? k->sha256 : h == 1 ? k->sha384 : k->sha512;
}

static void digest(const latch_hash_alg *alg, const void *p, size_t n, uint8_t *out)
{
    latch_hash_ctx ctx;

    alg->init(&ctx);
    alg->update(&ctx, p, n);
    alg->final(&ctx, out);
}

static void test_parameters(void)
{
    CHECK_EQ(latch__ossl_sha256.id, LATCH_HASH_SHA256);
    CHECK_EQ(latch__ossl_sha256.digest_len, 32);
    CHECK_EQ(latch__ossl_sha256.block_len, 64);
    CHECK(strcmp(latch__ossl_sha256.name, "SHA256") == 0);
    CHECK_EQ(latch__ossl_sha384.id, LATCH_HASH_SHA384);
    CHECK_EQ(latch__ossl_sha384.digest_len, 48);
    CHECK_EQ(latch__ossl_sha384.block_len, 128);
    CHECK(strcmp(latch__ossl_sha384.name, "SHA384") == 0);
    CHECK_EQ(latch__ossl_sha512.id, LATCH_HASH_SHA512);
    CHECK_EQ(latch__ossl_sha512.digest_len, 64);
    CHECK_EQ(latch__ossl_sha512.block_len, 128);
    CHECK(strcmp(latch__ossl_sha512.name, "SHA512") == 0);
    for (size_t h = 0; h < 3; h++) {
        CHECK(algs[h]->digest_len <= LATCH_HASH_MAX_LEN);
        CHECK(algs[h]->block_len <= LATCH_HASH_MAX_BLOCK);
    }
}

static void test_known_answers(void)
{
    for (size_t i = 0; i < sizeof kats / sizeof kats[0]; i++) {
        for (size_t h = 0; h < 3; h++) {
            uint8_t want[64], got[64 + 1];
            size_t want_len = latch_test_unhex(kat_hex(&kats[i], h), want, sizeof want);
            int before = latch_test_failures;

            CHECK_EQ(want_len, algs[h]->digest_len);
            got[algs[h]->digest_len] = 0xEE;
            digest(algs[h], kats[i].msg, strlen(kats[i].msg), got);
            CHECK_MEM(got, algs[h]->digest_len, want, want_len);
            CHECK_EQ(got[algs[h]->digest_len], 0xEE); /* exactly digest_len bytes written */
            if (latch_test_failures != before) {
                fprintf(stderr, "  in %s(\"%.8s...\", %zu bytes)\n", algs[h]->name, kats[i].msg,
                        strlen(kats[i].msg));
            }
        }
    }
}

/* Any split of the input into updates gives the one-shot digest (block boundaries included). */
static void test_incremental(void)
{
    const char *msg = MSG896;
    size_t len = strlen(msg);

    for (size_t h = 0; h < 3; h++) {
        uint8_t want[64], got[64];

        CHECK_EQ(latch_test_unhex(kat_hex(&kats[3], h), want, sizeof want), algs[h]->digest_len);
        for (size_t chunk = 1; chunk <= len; chunk++) {
            latch_hash_ctx ctx;

            algs[h]->init(&ctx);
            for (size_t off = 0; off < len; off += chunk) {
                algs[h]->update(&ctx, (const uint8_t *)msg + off, len - off < chunk ? len - off : chunk);
            }
            algs[h]->update(&ctx, NULL, 0); /* an empty update changes nothing */
            algs[h]->final(&ctx, got);
            CHECK_MEM(got, algs[h]->digest_len, want, algs[h]->digest_len);
        }
    }
}

/* One million 'a' fed in uneven pieces: many blocks, and the 64-bit length counter. */
static void test_million_a(void)
{
    uint8_t *buf = malloc(1000000);

    REQUIRE(buf != NULL);
    memset(buf, 'a', 1000000);
    for (size_t h = 0; h < 3; h++) {
        uint8_t want[64], got[64];
        latch_hash_ctx ctx;
        size_t off = 0, step = 1;

        CHECK_EQ(latch_test_unhex(million_a[h], want, sizeof want), algs[h]->digest_len);
        algs[h]->init(&ctx);
        while (off < 1000000) {
            size_t n = 1000000 - off < step ? 1000000 - off : step;

            algs[h]->update(&ctx, buf + off, n);
            off += n;
            step = step * 3 + 1;
        }
        algs[h]->final(&ctx, got);
        CHECK_MEM(got, algs[h]->digest_len, want, algs[h]->digest_len);
    }
    free(buf);
}

/*
 * Copying a latch_hash_ctx forks the hash (transcript snapshots): after
 * "abc" one copy finishes as SHA("abc") while the original goes on to the
 * 448-bit message, which starts with "abc". Neither disturbs the other.
 */
static void test_fork_by_copy(void)
{
    const char *rest = &MSG448[3];

    for (size_t h = 0; h < 3; h++) {
        uint8_t want_abc[64], want_448[64], got[64];
        latch_hash_ctx ctx, fork, fork2;

        CHECK_EQ(latch_test_unhex(kat_hex(&kats[0], h), want_abc, sizeof want_abc), algs[h]->digest_len);
        CHECK_EQ(latch_test_unhex(kat_hex(&kats[2], h), want_448, sizeof want_448), algs[h]->digest_len);
        algs[h]->init(&ctx);
        algs[h]->update(&ctx, (const uint8_t *)"abc", 3);
        fork = ctx;
        fork2 = ctx;
        algs[h]->update(&ctx, (const uint8_t *)rest, strlen(rest));
        algs[h]->final(&fork, got);
        CHECK_MEM(got, algs[h]->digest_len, want_abc, algs[h]->digest_len);
        algs[h]->final(&ctx, got);
        CHECK_MEM(got, algs[h]->digest_len, want_448, algs[h]->digest_len);
        algs[h]->update(&fork2, (const uint8_t *)rest, strlen(rest));
        algs[h]->final(&fork2, got);
        CHECK_MEM(got, algs[h]->digest_len, want_448, algs[h]->digest_len);
        /* A context is reusable after init. */
        algs[h]->init(&ctx);
        algs[h]->final(&ctx, got);
        CHECK_EQ(latch_test_unhex(kat_hex(&kats[1], h), want_abc, sizeof want_abc), algs[h]->digest_len);
        CHECK_MEM(got, algs[h]->digest_len, want_abc, algs[h]->digest_len);
    }
}

static const latch_test cases[] = {
    TEST(test_parameters),
    TEST(test_known_answers),
    TEST(test_incremental),
    TEST(test_million_a),
    TEST(test_fork_by_copy),
    {0},
};

LATCH_TEST_MAIN(cases)
