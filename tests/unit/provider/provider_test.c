/* Tests for the provider table lookups (src/provider/provider.c). */
#include <latch/provider.h>

#include "harness.h"

#include <string.h>

static void test_openssl_lookups(void)
{
    const latch_provider *p = latch_provider_openssl();
    static const uint8_t hashes[] = {LATCH_HASH_SHA256, LATCH_HASH_SHA384, LATCH_HASH_SHA512};
    static const uint8_t aeads[] = {LATCH_AEAD_AES_128_GCM, LATCH_AEAD_AES_256_GCM, LATCH_AEAD_CHACHA20_POLY1305};
    static const uint16_t groups[] = {LATCH_GROUP_X25519, LATCH_GROUP_SECP256R1, LATCH_GROUP_SECP384R1};
    static const uint16_t schemes[] = {
        LATCH_SIG_ECDSA_SECP256R1_SHA256, LATCH_SIG_ECDSA_SECP384R1_SHA384, LATCH_SIG_ED25519,
        LATCH_SIG_RSA_PSS_RSAE_SHA256,    LATCH_SIG_RSA_PSS_RSAE_SHA384,    LATCH_SIG_RSA_PSS_RSAE_SHA512,
        LATCH_SIG_RSA_PSS_PSS_SHA256,     LATCH_SIG_RSA_PSS_PSS_SHA384,     LATCH_SIG_RSA_PSS_PSS_SHA512,
        LATCH_SIG_RSA_PKCS1_SHA256,       LATCH_SIG_RSA_PKCS1_SHA384,       LATCH_SIG_RSA_PKCS1_SHA512,
    };

    REQUIRE(p != NULL);
    for (size_t i = 0; i < sizeof hashes; i++) {
        const latch_hash_alg *h = latch_provider_hash(p, hashes[i]);

        REQUIRE(h != NULL);
        CHECK_EQ(h->id, hashes[i]);
    }
    for (size_t i = 0; i < sizeof aeads; i++) {
        const latch_aead_alg *a = latch_provider_aead(p, aeads[i]);

        REQUIRE(a != NULL);
        CHECK_EQ(a->id, aeads[i]);
    }
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        const latch_kx_alg *k = latch_provider_kx(p, groups[i]);

        REQUIRE(k != NULL);
        CHECK_EQ(k->group, groups[i]);
    }
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        const latch_sig_alg *s = latch_provider_sig(p, schemes[i]);

        REQUIRE(s != NULL);
        CHECK_EQ(s->scheme, schemes[i]);
    }
    CHECK(strcmp(latch_provider_hash(p, LATCH_HASH_SHA384)->name, "SHA384") == 0);
    CHECK(strcmp(latch_provider_aead(p, LATCH_AEAD_CHACHA20_POLY1305)->name, "ChaCha20-Poly1305") == 0);
    CHECK(strcmp(latch_provider_kx(p, LATCH_GROUP_SECP384R1)->name, "secp384r1") == 0);
    CHECK(strcmp(latch_provider_sig(p, LATCH_SIG_RSA_PSS_PSS_SHA384)->name, "rsa_pss_pss_sha384") == 0);
}

/* Ids the provider lacks (or that do not exist) give NULL. */
static void test_unknown_ids(void)
{
    const latch_provider *p = latch_provider_openssl();

    REQUIRE(p != NULL);
    CHECK(latch_provider_hash(p, 0) == NULL);
    CHECK(latch_provider_hash(p, 2) == NULL); /* SHA-1 */
    CHECK(latch_provider_hash(p, 7) == NULL);
    CHECK(latch_provider_hash(p, 255) == NULL);
    CHECK(latch_provider_aead(p, 0) == NULL);
    CHECK(latch_provider_aead(p, 4) == NULL);
    CHECK(latch_provider_aead(p, 255) == NULL);
    CHECK(latch_provider_kx(p, 0) == NULL);
    CHECK(latch_provider_kx(p, LATCH_GROUP_SECP521R1) == NULL);
    CHECK(latch_provider_kx(p, LATCH_GROUP_X448) == NULL);
    CHECK(latch_provider_kx(p, 0x0100) == NULL); /* ffdhe2048 */
    CHECK(latch_provider_kx(p, 0xFFFF) == NULL);
    CHECK(latch_provider_sig(p, 0) == NULL);
    CHECK(latch_provider_sig(p, LATCH_SIG_ECDSA_SECP521R1_SHA512) == NULL);
    CHECK(latch_provider_sig(p, LATCH_SIG_ED448) == NULL);
    CHECK(latch_provider_sig(p, 0x0201) == NULL); /* rsa_pkcs1_sha1 */
    CHECK(latch_provider_sig(p, 0xFFFF) == NULL);
    /* A cipher suite number is not an AEAD id, nor a group a scheme. */
    CHECK(latch_provider_sig(p, LATCH_GROUP_X25519) == NULL);
}

static void test_null_provider(void)
{
    CHECK(latch_provider_hash(NULL, LATCH_HASH_SHA256) == NULL);
    CHECK(latch_provider_aead(NULL, LATCH_AEAD_AES_128_GCM) == NULL);
    CHECK(latch_provider_kx(NULL, LATCH_GROUP_X25519) == NULL);
    CHECK(latch_provider_sig(NULL, LATCH_SIG_ED25519) == NULL);
}

/* Lookups walk any provider's tables: the first entry with the id wins, an empty table finds nothing. */
static const latch_hash_alg fake_a = {LATCH_HASH_SHA256, 32, 64, "first", NULL, NULL, NULL};
static const latch_hash_alg fake_b = {LATCH_HASH_SHA256, 32, 64, "second", NULL, NULL, NULL};
static const latch_hash_alg fake_c = {LATCH_HASH_SHA512, 64, 128, "third", NULL, NULL, NULL};
static const latch_hash_alg *const fake_hashes[] = {&fake_a, &fake_b, &fake_c, NULL};
static const latch_aead_alg *const no_aeads[] = {NULL};
static const latch_kx_alg *const no_kx[] = {NULL};
static const latch_sig_alg *const no_sigs[] = {NULL};

static void test_custom_tables(void)
{
    const latch_provider p = {"fake", NULL, NULL, fake_hashes, no_aeads, no_kx, no_sigs, NULL, NULL, NULL};

    CHECK(latch_provider_hash(&p, LATCH_HASH_SHA256) == &fake_a);
    CHECK(latch_provider_hash(&p, LATCH_HASH_SHA512) == &fake_c);
    CHECK(latch_provider_hash(&p, LATCH_HASH_SHA384) == NULL);
    CHECK(latch_provider_aead(&p, LATCH_AEAD_AES_128_GCM) == NULL);
    CHECK(latch_provider_kx(&p, LATCH_GROUP_X25519) == NULL);
    CHECK(latch_provider_sig(&p, LATCH_SIG_ED25519) == NULL);
}

static const latch_test cases[] = {
    TEST(test_openssl_lookups),
    TEST(test_unknown_ids),
    TEST(test_null_provider),
    TEST(test_custom_tables),
    {0},
};

LATCH_TEST_MAIN(cases)
