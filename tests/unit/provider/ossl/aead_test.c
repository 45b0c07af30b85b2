/*
 * Tests for the OpenSSL provider's AEADs (src/provider/ossl/aead.c): the GCM
 * spec's test cases (McGrew and Viega, "The Galois/Counter Mode of Operation",
 * Appendix B, as used in NIST's GCM validation) and RFC 8439 §2.8.2.
 */
#include "provider/ossl/ossl.h"
#include "harness.h"

#include <openssl/err.h>

#include <string.h>

#define GCM_P                                                                                                  \
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5" \
    "aa0de657ba637b39"
#define GCM_A "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_IV "cafebabefacedbaddecaf888"
#define GCM_K "feffe9928665731c6d6a8f9467308308"

typedef struct aead_kat {
    const char *name;
    const latch_aead_alg *alg;
    const char *key, *nonce, *aad, *pt, *ct, *tag;
} aead_kat;

static const aead_kat kats[] = {
    {"GCM Test Case 1 (AES-128, empty)", &latch__ossl_aes128gcm, "00000000000000000000000000000000",
     "000000000000000000000000", "", "", "", "58e2fccefa7e3061367f1d57a4e7455a"},
    {"GCM Test Case 2 (AES-128)", &latch__ossl_aes128gcm, "00000000000000000000000000000000",
     "000000000000000000000000", "", "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
     "ab6e47d42cec13bdf53a67b21257bddf"},
    {"GCM Test Case 4 (AES-128, AAD)", &latch__ossl_aes128gcm, GCM_K, GCM_IV, GCM_A, GCM_P,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a"
     "0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
    {"GCM Test Case 13 (AES-256, empty)", &latch__ossl_aes256gcm,
     "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "", "",
     "530f8afbc74536b9a963b4f1c4cb738b"},
    {"GCM Test Case 14 (AES-256)", &latch__ossl_aes256gcm,
     "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "",
     "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"GCM Test Case 16 (AES-256, AAD)", &latch__ossl_aes256gcm, GCM_K GCM_K, GCM_IV, GCM_A, GCM_P,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e63"
     "93ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
    /* RFC 8439 §2.8.2: "Ladies and Gentlemen of the class of '99: ..." */
    {"RFC 8439 2.8.2 (ChaCha20-Poly1305)", &latch__ossl_chacha20poly1305,
     "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", "070000004041424344454647",
     "50515253c0c1c2c3c4c5c6c7",
     "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
     "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
     "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
     "637265656e20776f756c642062652069742e",
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
     "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
     "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
     "3ff4def08e4b7a9de576d26586cec64b6116",
     "1ae10b594f09e26a7e902ecbd0600691"},
};

#define NKATS (sizeof kats / sizeof kats[0])

typedef struct vec {
    uint8_t key[32], nonce[12], aad[64], pt[128], ct[128], tag[16];
    size_t key_len, nonce_len, aad_len, pt_len, ct_len, tag_len;
} vec;

static void load(const aead_kat *k, vec *v)
{
    v->key_len = latch_test_unhex(k->key, v->key, sizeof v->key);
    v->nonce_len = latch_test_unhex(k->nonce, v->nonce, sizeof v->nonce);
    v->aad_len = latch_test_unhex(k->aad, v->aad, sizeof v->aad);
    v->pt_len = latch_test_unhex(k->pt, v->pt, sizeof v->pt);
    v->ct_len = latch_test_unhex(k->ct, v->ct, sizeof v->ct);
    v->tag_len = latch_test_unhex(k->tag, v->tag, sizeof v->tag);
}

static void test_parameters(void)
{
    const latch_aead_alg *all[] = {&latch__ossl_aes128gcm, &latch__ossl_aes256gcm, &latch__ossl_chacha20poly1305};

    CHECK_EQ(latch__ossl_aes128gcm.id, LATCH_AEAD_AES_128_GCM);
    CHECK_EQ(latch__ossl_aes128gcm.key_len, 16);
    CHECK(strcmp(latch__ossl_aes128gcm.name, "AES-128-GCM") == 0);
    CHECK_EQ(latch__ossl_aes256gcm.id, LATCH_AEAD_AES_256_GCM);
    CHECK_EQ(latch__ossl_aes256gcm.key_len, 32);
    CHECK(strcmp(latch__ossl_aes256gcm.name, "AES-256-GCM") == 0);
    CHECK_EQ(latch__ossl_chacha20poly1305.id, LATCH_AEAD_CHACHA20_POLY1305);
    CHECK_EQ(latch__ossl_chacha20poly1305.key_len, 32);
    CHECK(strcmp(latch__ossl_chacha20poly1305.name, "ChaCha20-Poly1305") == 0);
    for (size_t i = 0; i < 3; i++) {
        CHECK_EQ(all[i]->nonce_len, LATCH_AEAD_NONCE_LEN);
        CHECK_EQ(all[i]->tag_len, LATCH_AEAD_TAG_LEN);
        CHECK(all[i]->key_len <= LATCH_AEAD_MAX_KEY);
        CHECK(all[i]->integrity_limit > 0);
    }
    /* RFC 8446 §5.5: AES-GCM up to 2^24.5 full-size records per key. */
    CHECK(latch__ossl_aes128gcm.confidentiality_limit == UINT64_C(23726566));
    CHECK(latch__ossl_aes256gcm.confidentiality_limit == UINT64_C(23726566));
    CHECK(latch__ossl_chacha20poly1305.confidentiality_limit == UINT64_MAX);
}

/* Each vector seals to the published ciphertext and tag, in place, and opens back. */
static void test_known_answers(void)
{
    for (size_t i = 0; i < NKATS; i++) {
        const aead_kat *k = &kats[i];
        const latch_aead_alg *alg = k->alg;
        latch_aead_ctx *seal = NULL, *open = NULL;
        uint8_t buf[128], tag[16];
        vec v;
        int before = latch_test_failures;

        load(k, &v);
        REQUIRE(v.key_len == alg->key_len && v.nonce_len == 12 && v.tag_len == 16 && v.ct_len == v.pt_len);
        REQUIRE_OK(alg->create(alg, v.key, true, &seal));
        REQUIRE_OK(alg->create(alg, v.key, false, &open));

        memcpy(buf, v.pt, v.pt_len);
        CHECK_OK(alg->seal(seal, v.nonce, v.aad, v.aad_len, buf, v.pt_len, tag));
        CHECK_MEM(buf, v.pt_len, v.ct, v.ct_len);
        CHECK_MEM(tag, 16, v.tag, 16);

        CHECK_OK(alg->open(open, v.nonce, v.aad, v.aad_len, buf, v.pt_len, tag));
        CHECK_MEM(buf, v.pt_len, v.pt, v.pt_len);

        /* The same context serves the next record (here: the same one again). */
        CHECK_OK(alg->open(open, v.nonce, v.aad, v.aad_len, v.ct, v.ct_len, v.tag));
        CHECK_MEM(v.ct, v.ct_len, v.pt, v.pt_len);

        alg->destroy(seal);
        alg->destroy(open);
        if (latch_test_failures != before) {
            fprintf(stderr, "  in %s\n", k->name);
        }
    }
}

/* "tag may directly follow buf": a record laid out as ciphertext || tag. */
static void test_tag_after_buffer(void)
{
    for (size_t i = 0; i < NKATS; i++) {
        const latch_aead_alg *alg = kats[i].alg;
        latch_aead_ctx *seal = NULL, *open = NULL;
        uint8_t rec[128 + 16];
        vec v;

        load(&kats[i], &v);
        REQUIRE_OK(alg->create(alg, v.key, true, &seal));
        REQUIRE_OK(alg->create(alg, v.key, false, &open));
        memcpy(rec, v.pt, v.pt_len);
        CHECK_OK(alg->seal(seal, v.nonce, v.aad, v.aad_len, rec, v.pt_len, rec + v.pt_len));
        CHECK_MEM(rec, v.pt_len, v.ct, v.ct_len);
        CHECK_MEM(rec + v.pt_len, 16, v.tag, 16);
        CHECK_OK(alg->open(open, v.nonce, v.aad, v.aad_len, rec, v.pt_len, rec + v.pt_len));
        CHECK_MEM(rec, v.pt_len, v.pt, v.pt_len);
        alg->destroy(seal);
        alg->destroy(open);
    }
}

/*
 * Any flipped bit in the tag, the ciphertext or the AAD, or a different
 * nonce, gives exactly LATCH_ERR_BAD_RECORD_MAC; afterwards the context still
 * opens the genuine record.
 */
static void test_tampering(void)
{
    for (size_t i = 0; i < NKATS; i++) {
        const latch_aead_alg *alg = kats[i].alg;
        latch_aead_ctx *open = NULL;
        uint8_t buf[128], tag[16], aad[64], nonce[12];
        vec v;
        int before = latch_test_failures;

        load(&kats[i], &v);
        REQUIRE_OK(alg->create(alg, v.key, false, &open));
        ERR_clear_error();
        for (size_t b = 0; b < 8 * 16; b++) {
            memcpy(buf, v.ct, v.ct_len);
            memcpy(tag, v.tag, 16);
            tag[b / 8] ^= (uint8_t)(1u << (b % 8));
            CHECK_ERR(alg->open(open, v.nonce, v.aad, v.aad_len, buf, v.ct_len, tag), LATCH_ERR_BAD_RECORD_MAC);
        }
        CHECK(ERR_peek_error() == 0); /* a forged record leaves nothing in libcrypto's error queue */
        for (size_t j = 0; j < v.ct_len; j++) {
            memcpy(buf, v.ct, v.ct_len);
            buf[j] ^= (uint8_t)(1u << (j % 8));
            CHECK_ERR(alg->open(open, v.nonce, v.aad, v.aad_len, buf, v.ct_len, v.tag), LATCH_ERR_BAD_RECORD_MAC);
        }
        for (size_t j = 0; j < v.aad_len; j++) {
            memcpy(buf, v.ct, v.ct_len);
            memcpy(aad, v.aad, v.aad_len);
            aad[j] ^= (uint8_t)(0x80u >> (j % 8));
            CHECK_ERR(alg->open(open, v.nonce, aad, v.aad_len, buf, v.ct_len, v.tag), LATCH_ERR_BAD_RECORD_MAC);
        }
        /* AAD added, removed or shortened. */
        memcpy(buf, v.ct, v.ct_len);
        if (v.aad_len == 0) {
            CHECK_ERR(alg->open(open, v.nonce, (const uint8_t *)"x", 1, buf, v.ct_len, v.tag),
                      LATCH_ERR_BAD_RECORD_MAC);
        } else {
            CHECK_ERR(alg->open(open, v.nonce, v.aad, v.aad_len - 1, buf, v.ct_len, v.tag),
                      LATCH_ERR_BAD_RECORD_MAC);
            memcpy(buf, v.ct, v.ct_len);
            CHECK_ERR(alg->open(open, v.nonce, NULL, 0, buf, v.ct_len, v.tag), LATCH_ERR_BAD_RECORD_MAC);
        }
        /* A truncated ciphertext. */
        if (v.ct_len > 0) {
            memcpy(buf, v.ct, v.ct_len);
            CHECK_ERR(alg->open(open, v.nonce, v.aad, v.aad_len, buf, v.ct_len - 1, v.tag),
                      LATCH_ERR_BAD_RECORD_MAC);
        }
        for (size_t j = 0; j < 12; j++) {
            memcpy(buf, v.ct, v.ct_len);
            memcpy(nonce, v.nonce, 12);
            nonce[j] ^= 1;
            CHECK_ERR(alg->open(open, nonce, v.aad, v.aad_len, buf, v.ct_len, v.tag), LATCH_ERR_BAD_RECORD_MAC);
        }
        memcpy(buf, v.ct, v.ct_len);
        CHECK_OK(alg->open(open, v.nonce, v.aad, v.aad_len, buf, v.ct_len, v.tag));
        CHECK_MEM(buf, v.ct_len, v.pt, v.pt_len);
        alg->destroy(open);
        if (latch_test_failures != before) {
            fprintf(stderr, "  in %s\n", kats[i].name);
        }
    }
}

/* Empty plaintext (a record of only AAD): round trip, and the tag still binds the AAD. */
static void test_empty_plaintext(void)
{
    const latch_aead_alg *all[] = {&latch__ossl_aes128gcm, &latch__ossl_aes256gcm, &latch__ossl_chacha20poly1305};
    static const uint8_t key[32] = {1, 2, 3};
    static const uint8_t nonce[12] = {9};
    static const uint8_t aad[5] = {0x17, 0x03, 0x03, 0x00, 0x10};

    for (size_t i = 0; i < 3; i++) {
        const latch_aead_alg *alg = all[i];
        latch_aead_ctx *seal = NULL, *open = NULL;
        uint8_t tag[16], buf[1] = {0x5A};

        REQUIRE_OK(alg->create(alg, key, true, &seal));
        REQUIRE_OK(alg->create(alg, key, false, &open));
        CHECK_OK(alg->seal(seal, nonce, aad, sizeof aad, buf, 0, tag));
        CHECK_EQ(buf[0], 0x5A);
        CHECK_OK(alg->open(open, nonce, aad, sizeof aad, buf, 0, tag));
        CHECK_ERR(alg->open(open, nonce, aad, sizeof aad - 1, buf, 0, tag), LATCH_ERR_BAD_RECORD_MAC);
        tag[15] ^= 0x01;
        CHECK_ERR(alg->open(open, nonce, aad, sizeof aad, buf, 0, tag), LATCH_ERR_BAD_RECORD_MAC);
        /* Neither AAD nor plaintext. */
        CHECK_OK(alg->seal(seal, nonce, NULL, 0, buf, 0, tag));
        CHECK_OK(alg->open(open, nonce, NULL, 0, buf, 0, tag));
        alg->destroy(seal);
        alg->destroy(open);
    }
}

/* rekey() swaps the key of a live context: after it, the new key's vector comes out. */
static void test_rekey(void)
{
    static const uint8_t other_key[32] = {0xde, 0xad, 0xbe, 0xef};

    for (size_t i = 0; i < NKATS; i++) {
        const latch_aead_alg *alg = kats[i].alg;
        latch_aead_ctx *seal = NULL, *open = NULL;
        uint8_t buf[128], tag[16];
        vec v;

        load(&kats[i], &v);
        REQUIRE_OK(alg->create(alg, other_key, true, &seal));
        REQUIRE_OK(alg->create(alg, other_key, false, &open));
        /* Under the old key the vector does not come out, nor open. */
        memcpy(buf, v.pt, v.pt_len);
        CHECK_OK(alg->seal(seal, v.nonce, v.aad, v.aad_len, buf, v.pt_len, tag));
        CHECK(memcmp(tag, v.tag, 16) != 0);
        memcpy(buf, v.ct, v.ct_len);
        CHECK_ERR(alg->open(open, v.nonce, v.aad, v.aad_len, buf, v.ct_len, v.tag), LATCH_ERR_BAD_RECORD_MAC);

        CHECK_OK(alg->rekey(seal, v.key));
        CHECK_OK(alg->rekey(open, v.key));
        memcpy(buf, v.pt, v.pt_len);
        CHECK_OK(alg->seal(seal, v.nonce, v.aad, v.aad_len, buf, v.pt_len, tag));
        CHECK_MEM(buf, v.pt_len, v.ct, v.ct_len);
        CHECK_MEM(tag, 16, v.tag, 16);
        CHECK_OK(alg->open(open, v.nonce, v.aad, v.aad_len, buf, v.ct_len, tag));
        CHECK_MEM(buf, v.ct_len, v.pt, v.pt_len);

        /* And back: the old key no longer opens what the new one sealed. */
        CHECK_OK(alg->rekey(open, other_key));
        memcpy(buf, v.ct, v.ct_len);
        CHECK_ERR(alg->open(open, v.nonce, v.aad, v.aad_len, buf, v.ct_len, v.tag), LATCH_ERR_BAD_RECORD_MAC);
        alg->destroy(seal);
        alg->destroy(open);
    }
}

/* A context keyed for one direction refuses the other and leaves the buffer alone. */
static void test_wrong_direction(void)
{
    for (size_t i = 0; i < NKATS; i++) {
        const latch_aead_alg *alg = kats[i].alg;
        latch_aead_ctx *seal = NULL, *open = NULL;
        uint8_t buf[128], tag[16];
        vec v;

        load(&kats[i], &v);
        REQUIRE_OK(alg->create(alg, v.key, true, &seal));
        REQUIRE_OK(alg->create(alg, v.key, false, &open));
        memcpy(buf, v.pt, v.pt_len);
        CHECK_ERR(alg->seal(open, v.nonce, v.aad, v.aad_len, buf, v.pt_len, tag), LATCH_ERR_INVALID_ARGUMENT);
        CHECK_MEM(buf, v.pt_len, v.pt, v.pt_len);
        memcpy(buf, v.ct, v.ct_len);
        CHECK_ERR(alg->open(seal, v.nonce, v.aad, v.aad_len, buf, v.ct_len, v.tag), LATCH_ERR_INVALID_ARGUMENT);
        CHECK_MEM(buf, v.ct_len, v.ct, v.ct_len);
        /* Both still work in their own direction. */
        memcpy(buf, v.pt, v.pt_len);
        CHECK_OK(alg->seal(seal, v.nonce, v.aad, v.aad_len, buf, v.pt_len, tag));
        CHECK_MEM(tag, 16, v.tag, 16);
        CHECK_OK(alg->open(open, v.nonce, v.aad, v.aad_len, buf, v.pt_len, tag));
        CHECK_MEM(buf, v.pt_len, v.pt, v.pt_len);
        alg->destroy(seal);
        alg->destroy(open);
    }
}

/* A large record (the TLS maximum) round-trips, and a context outlives many records. */
static void test_many_records(void)
{
    static uint8_t buf[16384 + 256], copy[sizeof buf];
    const latch_aead_alg *alg = &latch__ossl_chacha20poly1305;
    static const uint8_t key[32] = {7};
    latch_aead_ctx *seal = NULL, *open = NULL;
    uint8_t nonce[12] = {0}, tag[16];

    for (size_t i = 0; i < sizeof buf; i++) {
        buf[i] = (uint8_t)(i * 31 + 7);
    }
    memcpy(copy, buf, sizeof buf);
    REQUIRE_OK(alg->create(alg, key, true, &seal));
    REQUIRE_OK(alg->create(alg, key, false, &open));
    for (uint8_t seq = 0; seq < 20; seq++) {
        nonce[11] = seq;
        CHECK_OK(alg->seal(seal, nonce, &seq, 1, buf, sizeof buf, tag));
        CHECK(memcmp(buf, copy, sizeof buf) != 0);
        CHECK_OK(alg->open(open, nonce, &seq, 1, buf, sizeof buf, tag));
        CHECK(memcmp(buf, copy, sizeof buf) == 0);
    }
    alg->destroy(seal);
    alg->destroy(open);
    alg->destroy(NULL); /* NULL-safe */
}

static const latch_test cases[] = {
    TEST(test_parameters),
    TEST(test_known_answers),
    TEST(test_tag_after_buffer),
    TEST(test_tampering),
    TEST(test_empty_plaintext),
    TEST(test_rekey),
    TEST(test_wrong_direction),
    TEST(test_many_records),
    {0},
};

LATCH_TEST_MAIN(cases)
