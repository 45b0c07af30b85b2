/*
 * Tests for the OpenSSL provider object (src/provider/ossl/ossl.c): the
 * one-time algorithm fetch, the tables, RAND_bytes as random(), and
 * pkey_info for every key type.
 */
#include "provider/ossl/ossl.h"
#include "harness.h"

#include <openssl/rsa.h>
#include <string.h>

static void test_provider_object(void)
{
    const latch_provider *p = latch_provider_openssl();

    REQUIRE(p != NULL);
    CHECK(p == latch_provider_openssl()); /* one object, made once */
    CHECK(strcmp(p->name, "openssl") == 0);
    CHECK(p->random == latch__ossl_random);
    CHECK(p->hash == latch__ossl_hash_table);
    CHECK(p->aead == latch__ossl_aead_table);
    CHECK(p->kx == latch__ossl_kx_table);
    CHECK(p->sig == latch__ossl_sig_table);
    CHECK(p->pkey_info == latch__ossl_pkey_info);

    /* Preference order. */
    CHECK(p->hash[0] == &latch__ossl_sha256 && p->hash[1] == &latch__ossl_sha384 &&
          p->hash[2] == &latch__ossl_sha512 && p->hash[3] == NULL);
    CHECK(p->aead[0] == &latch__ossl_aes128gcm && p->aead[1] == &latch__ossl_aes256gcm &&
          p->aead[2] == &latch__ossl_chacha20poly1305 && p->aead[3] == NULL);
    REQUIRE(p->kx[0] != NULL && p->kx[1] != NULL && p->kx[2] != NULL);
    CHECK(p->kx[0]->group == LATCH_GROUP_X25519 && p->kx[1]->group == LATCH_GROUP_SECP256R1 &&
          p->kx[2]->group == LATCH_GROUP_SECP384R1 && p->kx[3] == NULL);
}

static void test_algs_fetched_once(void)
{
    const latch_ossl_algs *a = latch__ossl_algs();

    REQUIRE(a != NULL);
    CHECK(a == latch__ossl_algs());
    CHECK(a->aes128gcm != NULL && a->aes256gcm != NULL && a->chacha20poly1305 != NULL);
    CHECK(a->sha256 != NULL && a->sha384 != NULL && a->sha512 != NULL);
    CHECK(EVP_CIPHER_get_key_length(a->aes128gcm) == 16);
    CHECK(EVP_CIPHER_get_key_length(a->aes256gcm) == 32);
    CHECK(EVP_CIPHER_get_key_length(a->chacha20poly1305) == 32);

    CHECK(latch__ossl_md(LATCH_HASH_SHA256) == a->sha256);
    CHECK(latch__ossl_md(LATCH_HASH_SHA384) == a->sha384);
    CHECK(latch__ossl_md(LATCH_HASH_SHA512) == a->sha512);
    CHECK(EVP_MD_get_size(latch__ossl_md(LATCH_HASH_SHA384)) == 48);
    CHECK(latch__ossl_md(0) == NULL);
    CHECK(latch__ossl_md(2) == NULL); /* TLS 1.2's SHA-1 */
    CHECK(latch__ossl_md(7) == NULL);
    CHECK(latch__ossl_md(255) == NULL);
}

/* random() fills exactly what is asked, and two draws differ. */
static void test_random(void)
{
    uint8_t a[64 + 1], b[64];

    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    CHECK_OK(latch__ossl_random(NULL, a, 64));
    CHECK_OK(latch__ossl_random(NULL, b, 64));
    CHECK(memcmp(a, b, 64) != 0);
    CHECK(memcmp(a, (const uint8_t[64]){0}, 64) != 0);
    CHECK_EQ(a[64], 0);
    CHECK_OK(latch__ossl_random(NULL, a, 0));
}

/* ---- pkey_info --------------------------------------------------------------- */

static EVP_PKEY *rsa_pss_key(unsigned bits)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL);
    EVP_PKEY *k = NULL;

    if (ctx == NULL || EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) != 1 ||
        EVP_PKEY_generate(ctx, &k) != 1) {
        k = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return k;
}

static void expect_info(EVP_PKEY *k, const char *what, uint8_t type, uint16_t group, uint32_t bits)
{
    latch_pkey_info info;
    int before = latch_test_failures;

    if (k == NULL) {
        latch_test_fail(__FILE__, __LINE__, "cannot make a %s key", what);
        return;
    }
    memset(&info, 0xAA, sizeof info);
    CHECK_OK(latch__ossl_pkey_info((const latch_pkey *)(const void *)k, &info));
    CHECK_EQ(info.type, type);
    CHECK_EQ(info.group, group);
    CHECK_EQ(info.bits, bits);
    if (latch_test_failures != before) {
        fprintf(stderr, "  for a %s key\n", what);
    }
    EVP_PKEY_free(k);
}

static void test_pkey_info(void)
{
    /* Key sizes: the modulus for RSA, the field for EC, the key encoding for EdDSA (RFC 8032: 256 and 456 bits). */
    expect_info(EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048), "RSA-2048", LATCH_PKEY_RSA, 0, 2048);
    expect_info(EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024), "RSA-1024", LATCH_PKEY_RSA, 0, 1024);
    expect_info(rsa_pss_key(2048), "RSA-PSS-2048", LATCH_PKEY_RSA_PSS, 0, 2048);
    expect_info(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), "P-256", LATCH_PKEY_EC, LATCH_GROUP_SECP256R1, 256);
    expect_info(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"), "P-384", LATCH_PKEY_EC, LATCH_GROUP_SECP384R1, 384);
    expect_info(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521"), "P-521", LATCH_PKEY_EC, LATCH_GROUP_SECP521R1, 521);
    expect_info(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "prime256v1"), "prime256v1", LATCH_PKEY_EC,
                LATCH_GROUP_SECP256R1, 256);
    expect_info(EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), "Ed25519", LATCH_PKEY_ED25519, 0, 256);
    expect_info(EVP_PKEY_Q_keygen(NULL, NULL, "ED448"), "Ed448", LATCH_PKEY_ED448, 0, 456);
}

/* Keys latch cannot sign or verify with are described as unsupported, never guessed. */
static void test_pkey_info_unsupported(void)
{
    const char *curves[] = {"secp256k1", "brainpoolP256r1"};
    EVP_PKEY *k;
    latch_pkey_info info;

    k = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
    REQUIRE(k != NULL);
    CHECK_ERR(latch__ossl_pkey_info((const latch_pkey *)(const void *)k, &info), LATCH_ERR_UNSUPPORTED);
    EVP_PKEY_free(k);
    for (size_t i = 0; i < 2; i++) {
        k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curves[i]);
        REQUIRE(k != NULL);
        CHECK_ERR(latch__ossl_pkey_info((const latch_pkey *)(const void *)k, &info), LATCH_ERR_UNSUPPORTED);
        EVP_PKEY_free(k);
    }
    memset(&info, 0xAA, sizeof info);
    CHECK_ERR(latch__ossl_pkey_info(NULL, &info), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(info.type, 0);
    CHECK_EQ(info.bits, 0);
}

static const latch_test cases[] = {
    TEST(test_provider_object),
    TEST(test_algs_fetched_once),
    TEST(test_random),
    TEST(test_pkey_info),
    TEST(test_pkey_info_unsupported),
    {0},
};

LATCH_TEST_MAIN(cases)
