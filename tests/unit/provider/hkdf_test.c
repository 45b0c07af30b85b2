/* Tests for HMAC and HKDF (src/provider/hkdf.c): RFC 4231 and RFC 5869 vectors. */
#include "provider/hkdf.h"
#include "harness.h"

#include <string.h>

static const latch_hash_alg *hash(uint8_t id)
{
    return latch_provider_hash(latch_provider_openssl(), id);
}

/* ---- HMAC: RFC 4231 §4 ---------------------------------------------------- */

typedef struct hmac_case {
    const char *name;
    const char *key_hex; /* NULL: key_fill repeated key_len times */
    uint8_t key_fill;
    size_t key_len;
    const char *data; /* text, or NULL: data_fill repeated data_len times */
    uint8_t data_fill;
    size_t data_len;
    const char *sha256, *sha384, *sha512;
} hmac_case;

/* Test Case 5 (output truncated to 128 bits) is left out: truncation is the caller's business. */
static const hmac_case rfc4231[] = {
    {"4.2 Test Case 1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", 0, 0, "Hi There", 0, 0,
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
     "faea9ea9076ede7f4af152e8b2fa9cb6",
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
     "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
    {"4.3 Test Case 2 (key shorter than the output)", "4a656665", 0, 0, "what do ya want for nothing?", 0, 0,
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
     "8e2240ca5e69e2c78b3239ecfab21649",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
     "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
    {"4.4 Test Case 3", NULL, 0xaa, 20, NULL, 0xdd, 50,
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
     "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
     "2a5ab39dc13814b94e3ab6e101a34f27",
     "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
     "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
    {"4.5 Test Case 4", "0102030405060708090a0b0c0d0e0f10111213141516171819", 0, 0, NULL, 0xcd, 50,
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
     "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
     "6801dd23c4a7d679ccf8a386c674cffb",
     "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
     "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
    /* 131-byte keys: longer than the block of every hash, so hashed first. */
    {"4.7 Test Case 6 (key longer than the block)", NULL, 0xaa, 131,
     "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
     "0c2ef6ab4030fe8296248df163f44952",
     "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
     "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
    {"4.8 Test Case 7 (key and data longer than the block)", NULL, 0xaa, 131,
     "This is a test using a larger than block-size key and a larger than block-size data. The key needs to "
     "be hashed before being used by the HMAC algorithm.",
     0, 0, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
     "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
     "a678cc31e799176d3860e6110c46523e",
     "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
     "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
};

typedef struct bytes {
    uint8_t b[256];
    size_t len;
} bytes;

static void case_key(const hmac_case *c, bytes *key)
{
    if (c->key_hex != NULL) {
        key->len = latch_test_unhex(c->key_hex, key->b, sizeof key->b);
    } else {
        memset(key->b, c->key_fill, c->key_len);
        key->len = c->key_len;
    }
}

static void case_data(const hmac_case *c, bytes *data)
{
    if (c->data != NULL) {
        data->len = strlen(c->data);
        memcpy(data->b, c->data, data->len);
    } else {
        memset(data->b, c->data_fill, c->data_len);
        data->len = c->data_len;
    }
}

static void test_hmac_rfc4231(void)
{
    static const uint8_t ids[] = {LATCH_HASH_SHA256, LATCH_HASH_SHA384, LATCH_HASH_SHA512};

    for (size_t i = 0; i < sizeof rfc4231 / sizeof rfc4231[0]; i++) {
        const hmac_case *c = &rfc4231[i];
        const char *want_hex[] = {c->sha256, c->sha384, c->sha512};
        bytes key, data;

        case_key(c, &key);
        case_data(c, &data);
        for (size_t h = 0; h < 3; h++) {
            const latch_hash_alg *alg = hash(ids[h]);
            uint8_t want[LATCH_HASH_MAX_LEN], got[LATCH_HASH_MAX_LEN];
            size_t want_len = latch_test_unhex(want_hex[h], want, sizeof want);

            REQUIRE(alg != NULL);
            CHECK_EQ(want_len, alg->digest_len);
            int before = latch_test_failures;

            memset(got, 0, sizeof got);
            latch_hmac_oneshot(alg, key.b, key.len, data.b, data.len, got);
            CHECK_MEM(got, alg->digest_len, want, want_len);
            if (latch_test_failures != before) {
                fprintf(stderr, "  in RFC 4231 %s, %s\n", c->name, alg->name);
            }
        }
    }
}

/* Feeding the message in pieces, and forking a keyed HMAC by copying it, give the one-shot MAC. */
static void test_hmac_incremental_and_fork(void)
{
    const hmac_case *c = &rfc4231[5]; /* Test Case 7: data longer than two SHA-256 blocks */
    const latch_hash_alg *alg = hash(LATCH_HASH_SHA256);
    uint8_t want[32], got[32];
    bytes key, data;
    latch_hmac keyed, h;

    REQUIRE(alg != NULL);
    case_key(c, &key);
    case_data(c, &data);
    CHECK_EQ(latch_test_unhex(c->sha256, want, sizeof want), 32);

    for (size_t chunk = 1; chunk <= data.len; chunk += 13) {
        latch_hmac_init(&h, alg, key.b, key.len);
        for (size_t off = 0; off < data.len; off += chunk) {
            latch_hmac_update(&h, data.b + off, data.len - off < chunk ? data.len - off : chunk);
        }
        latch_hmac_final(&h, got);
        CHECK_MEM(got, 32, want, 32);
    }

    /* Key once, copy for each MAC (as HKDF-Expand and the TLS 1.2 PRF do). */
    latch_hmac_init(&keyed, alg, key.b, key.len);
    latch_hmac_update(&keyed, data.b, 10);
    for (int i = 0; i < 2; i++) {
        h = keyed;
        latch_hmac_update(&h, data.b + 10, data.len - 10);
        latch_hmac_final(&h, got);
        CHECK_MEM(got, 32, want, 32);
    }
    latch_hmac_wipe(&keyed);
    for (size_t i = 0; i < sizeof keyed.inner.opaque; i++) {
        CHECK_EQ(keyed.inner.opaque[i] | keyed.outer.opaque[i], 0);
    }
}

/* final() wipes the state it used. */
static void test_hmac_final_wipes(void)
{
    const latch_hash_alg *alg = hash(LATCH_HASH_SHA384);
    latch_hmac h;
    uint8_t out[48];
    int nonzero = 0;

    REQUIRE(alg != NULL);
    latch_hmac_init(&h, alg, (const uint8_t *)"Jefe", 4);
    latch_hmac_update(&h, (const uint8_t *)"x", 1);
    latch_hmac_final(&h, out);
    for (size_t i = 0; i < sizeof h.inner.opaque; i++) {
        nonzero |= h.inner.opaque[i] | h.outer.opaque[i];
    }
    CHECK_EQ(nonzero, 0);
}

/* ---- HKDF: RFC 5869 Appendix A (SHA-256) ---------------------------------- */

typedef struct hkdf_case {
    const char *name, *ikm, *salt, *info;
    size_t L;
    const char *prk, *okm;
} hkdf_case;

static const hkdf_case rfc5869[] = {
    {"A.1 Test Case 1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
     "f0f1f2f3f4f5f6f7f8f9", 42, "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
     "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
    {"A.2 Test Case 2 (longer inputs and outputs)",
     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
     "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
     "404142434445464748494a4b4c4d4e4f",
     "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
     "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
     "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
     "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
     "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
     "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     82, "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
     "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
     "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
     "cc30c58179ec3e87c14c01d5c1f3434f1d87"},
    {"A.3 Test Case 3 (zero-length salt and info)", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
     "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
     "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
};

static void test_hkdf_rfc5869(void)
{
    const latch_hash_alg *alg = hash(LATCH_HASH_SHA256);

    REQUIRE(alg != NULL);
    for (size_t i = 0; i < sizeof rfc5869 / sizeof rfc5869[0]; i++) {
        const hkdf_case *c = &rfc5869[i];
        bytes ikm, salt, info, want_prk, want_okm;
        uint8_t prk[32], okm[128];
        int before = latch_test_failures;

        ikm.len = latch_test_unhex(c->ikm, ikm.b, sizeof ikm.b);
        salt.len = latch_test_unhex(c->salt, salt.b, sizeof salt.b);
        info.len = latch_test_unhex(c->info, info.b, sizeof info.b);
        want_prk.len = latch_test_unhex(c->prk, want_prk.b, sizeof want_prk.b);
        want_okm.len = latch_test_unhex(c->okm, want_okm.b, sizeof want_okm.b);
        REQUIRE(want_okm.len == c->L);

        latch_hkdf_extract(alg, salt.b, salt.len, ikm.b, ikm.len, prk);
        CHECK_MEM(prk, sizeof prk, want_prk.b, want_prk.len);
        memset(okm, 0xEE, sizeof okm);
        CHECK_OK(latch_hkdf_expand(alg, prk, sizeof prk, info.b, info.len, okm, c->L));
        CHECK_MEM(okm, c->L, want_okm.b, want_okm.len);
        CHECK_EQ(okm[c->L], 0xEE); /* nothing written past len */
        if (latch_test_failures != before) {
            fprintf(stderr, "  in RFC 5869 %s\n", c->name);
        }
    }
}

/* A NULL salt means HashLen zeros, as an empty one does (RFC 5869 §2.2). */
static void test_hkdf_null_salt(void)
{
    const latch_hash_alg *alg = hash(LATCH_HASH_SHA256);
    const hkdf_case *c = &rfc5869[2];
    uint8_t ikm[22], want[32], prk[32];

    REQUIRE(alg != NULL);
    memset(ikm, 0x0b, sizeof ikm);
    CHECK_EQ(latch_test_unhex(c->prk, want, sizeof want), 32);
    latch_hkdf_extract(alg, NULL, 0, ikm, sizeof ikm, prk);
    CHECK_MEM(prk, 32, want, 32);
}

/*
 * RFC 5869 §2.3: L <= 255*HashLen. The longest output is accepted and starts
 * with the shorter one (T(1) || T(2) || ... does not depend on L); one byte
 * more is refused without touching the output.
 */
static void test_hkdf_expand_limit(void)
{
    static uint8_t out[255 * LATCH_HASH_MAX_LEN + 1];
    static const uint8_t ids[] = {LATCH_HASH_SHA256, LATCH_HASH_SHA384, LATCH_HASH_SHA512};
    const hkdf_case *c = &rfc5869[0];
    uint8_t prk[32], info[10], want[42];

    CHECK_EQ(latch_test_unhex(c->prk, prk, sizeof prk), 32);
    CHECK_EQ(latch_test_unhex(c->info, info, sizeof info), 10);
    CHECK_EQ(latch_test_unhex(c->okm, want, sizeof want), 42);

    CHECK_OK(latch_hkdf_expand(hash(LATCH_HASH_SHA256), prk, 32, info, 10, out, 255 * 32));
    CHECK_MEM(out, 42, want, 42);

    for (size_t i = 0; i < sizeof ids; i++) {
        const latch_hash_alg *alg = hash(ids[i]);
        size_t max;

        REQUIRE(alg != NULL);
        max = 255 * (size_t)alg->digest_len;
        CHECK_OK(latch_hkdf_expand(alg, prk, 32, info, 10, out, max));
        memset(out, 0xEE, sizeof out);
        CHECK_ERR(latch_hkdf_expand(alg, prk, 32, info, 10, out, max + 1), LATCH_ERR_INVALID_ARGUMENT);
        CHECK_EQ(out[0], 0xEE);
        CHECK_ERR(latch_hkdf_expand(alg, prk, 32, info, 10, out, SIZE_MAX), LATCH_ERR_INVALID_ARGUMENT);
    }
    /* L = 0 is allowed and writes nothing. */
    memset(out, 0xEE, 4);
    CHECK_OK(latch_hkdf_expand(hash(LATCH_HASH_SHA256), prk, 32, info, 10, out, 0));
    CHECK_EQ(out[0], 0xEE);
}

static const latch_test cases[] = {
    TEST(test_hmac_rfc4231),
    TEST(test_hmac_incremental_and_fork),
    TEST(test_hmac_final_wipes),
    TEST(test_hkdf_rfc5869),
    TEST(test_hkdf_null_salt),
    TEST(test_hkdf_expand_limit),
    {0},
};

LATCH_TEST_MAIN(cases)
