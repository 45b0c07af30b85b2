/*
 * Tests for the OpenSSL provider's signature schemes (src/provider/ossl/sig.c).
 * Keys are made with libcrypto directly; libcrypto also checks our signatures
 * with explicitly spelled-out parameters (and makes signatures for us to
 * check), so a scheme wired to the wrong padding, salt or hash cannot pass.
 */
#include "provider/ossl/ossl.h"
#include "harness.h"

#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Set while the tests run again on keys given latch__ossl_sign_prepare. */
static bool prepared_mode;

/* ---- Keys ------------------------------------------------------------------ */

enum { K_RSA, K_PSS, K_P256, K_P384, K_ED25519, NKEYS };

static const char *const key_names[NKEYS] = {"RSA-2048 (rsaEncryption)", "RSA-PSS-2048", "EC P-256", "EC P-384",
                                             "Ed25519"};
static EVP_PKEY *keys[NKEYS];
static EVP_PKEY *pubs[NKEYS]; /* the same keys, public half only (as from a certificate) */

static void free_keys(void)
{
    for (int i = 0; i < NKEYS; i++) {
        EVP_PKEY_free(keys[i]);
        EVP_PKEY_free(pubs[i]);
        keys[i] = pubs[i] = NULL;
    }
}

static EVP_PKEY *public_only(EVP_PKEY *k)
{
    unsigned char *der = NULL, *p;
    const unsigned char *q;
    int n = i2d_PUBKEY(k, &der);
    EVP_PKEY *pub;

    if (n <= 0) {
        return NULL;
    }
    p = der;
    q = p;
    pub = d2i_PUBKEY(NULL, &q, n);
    OPENSSL_free(der);
    return pub;
}

/* An id-RSASSA-PSS key without parameter restrictions (EVP_PKEY_Q_keygen takes no size for it). */
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

/* Generated once per run; freed at exit so LeakSanitizer stays quiet. */
static int have_keys(void)
{
    static int done;

    if (!done) {
        done = 1;
        atexit(free_keys);
        keys[K_RSA] = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
        keys[K_PSS] = rsa_pss_key(2048);
        keys[K_P256] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        keys[K_P384] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
        keys[K_ED25519] = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
        for (int i = 0; i < NKEYS; i++) {
            pubs[i] = keys[i] != NULL ? public_only(keys[i]) : NULL;
        }
    }
    for (int i = 0; i < NKEYS; i++) {
        if (keys[i] == NULL || pubs[i] == NULL) {
            fprintf(stderr, "cannot make a %s key\n", key_names[i]);
            return 0;
        }
    }
    return 1;
}

static const latch_pkey *pk(EVP_PKEY *k)
{
    return (const latch_pkey *)(const void *)k;
}

/* ---- The scheme table ------------------------------------------------------ */

typedef struct scheme_row {
    uint16_t scheme;
    uint8_t hash;
    uint8_t key_type;
    uint16_t group;
    bool tls13;
    const char *name;
    int key;        /* K_*: the key that fits */
    size_t sig_max; /* exact length for RSA and EdDSA; DER maximum for ECDSA */
} scheme_row;

/* RFC 8446 §4.2.3 names; the provider's order of preference. */
static const scheme_row rows[] = {
    {LATCH_SIG_ECDSA_SECP256R1_SHA256, LATCH_HASH_SHA256, LATCH_PKEY_EC, LATCH_GROUP_SECP256R1, true,
     "ecdsa_secp256r1_sha256", K_P256, 72},
    {LATCH_SIG_ECDSA_SECP384R1_SHA384, LATCH_HASH_SHA384, LATCH_PKEY_EC, LATCH_GROUP_SECP384R1, true,
     "ecdsa_secp384r1_sha384", K_P384, 104},
    {LATCH_SIG_ED25519, 0, LATCH_PKEY_ED25519, 0, true, "ed25519", K_ED25519, 64},
    {LATCH_SIG_RSA_PSS_RSAE_SHA256, LATCH_HASH_SHA256, LATCH_PKEY_RSA, 0, true, "rsa_pss_rsae_sha256", K_RSA, 256},
    {LATCH_SIG_RSA_PSS_RSAE_SHA384, LATCH_HASH_SHA384, LATCH_PKEY_RSA, 0, true, "rsa_pss_rsae_sha384", K_RSA, 256},
    {LATCH_SIG_RSA_PSS_RSAE_SHA512, LATCH_HASH_SHA512, LATCH_PKEY_RSA, 0, true, "rsa_pss_rsae_sha512", K_RSA, 256},
    {LATCH_SIG_RSA_PSS_PSS_SHA256, LATCH_HASH_SHA256, LATCH_PKEY_RSA_PSS, 0, true, "rsa_pss_pss_sha256", K_PSS, 256},
    {LATCH_SIG_RSA_PSS_PSS_SHA384, LATCH_HASH_SHA384, LATCH_PKEY_RSA_PSS, 0, true, "rsa_pss_pss_sha384", K_PSS, 256},
    {LATCH_SIG_RSA_PSS_PSS_SHA512, LATCH_HASH_SHA512, LATCH_PKEY_RSA_PSS, 0, true, "rsa_pss_pss_sha512", K_PSS, 256},
    /* RFC 8446 §4.2.3: PKCS#1 v1.5 only for certificates and TLS 1.2, never CertificateVerify. */
    {LATCH_SIG_RSA_PKCS1_SHA256, LATCH_HASH_SHA256, LATCH_PKEY_RSA, 0, false, "rsa_pkcs1_sha256", K_RSA, 256},
    {LATCH_SIG_RSA_PKCS1_SHA384, LATCH_HASH_SHA384, LATCH_PKEY_RSA, 0, false, "rsa_pkcs1_sha384", K_RSA, 256},
    {LATCH_SIG_RSA_PKCS1_SHA512, LATCH_HASH_SHA512, LATCH_PKEY_RSA, 0, false, "rsa_pkcs1_sha512", K_RSA, 256},
};

#define NROWS (sizeof rows / sizeof rows[0])

static const latch_sig_alg *sig(uint16_t scheme)
{
    for (size_t i = 0; latch__ossl_sig_table[i] != NULL; i++) {
        if (latch__ossl_sig_table[i]->scheme == scheme) {
            return latch__ossl_sig_table[i];
        }
    }
    return NULL;
}

static void test_table(void)
{
    size_t i;

    for (i = 0; latch__ossl_sig_table[i] != NULL; i++) {
        const latch_sig_alg *a = latch__ossl_sig_table[i];

        REQUIRE(i < NROWS);
        CHECK_EQ(a->scheme, rows[i].scheme);
        CHECK_EQ(a->hash, rows[i].hash);
        CHECK_EQ(a->key_type, rows[i].key_type);
        CHECK_EQ(a->group, rows[i].group);
        CHECK_EQ(a->tls13, rows[i].tls13);
        CHECK(strcmp(a->name, rows[i].name) == 0);
        CHECK(a->sign != NULL && a->verify != NULL);
    }
    CHECK_EQ(i, NROWS);
}

/* ---- Sign and verify ------------------------------------------------------- */

static const uint8_t msg[] = "TLS 1.3, server CertificateVerify\0 and then some transcript hash bytes";

/*
 * Every scheme signs with its key and verifies with the public half; a
 * changed message, a changed, shortened or lengthened signature and a key of
 * any other type give exactly LATCH_ERR_BAD_SIGNATURE.
 */
static void test_sign_verify(void)
{
    REQUIRE(have_keys());
    for (size_t i = 0; i < NROWS; i++) {
        const latch_sig_alg *alg = sig(rows[i].scheme);
        const latch_pkey *key = pk(keys[rows[i].key]), *pub = pk(pubs[rows[i].key]);
        uint8_t s[LATCH_SIG_MAX_LEN + 1], m[sizeof msg];
        size_t n = 0;
        int before = latch_test_failures;

        REQUIRE(alg != NULL);
        CHECK_OK(alg->sign(alg, key, msg, sizeof msg, s, sizeof s - 1, &n));
        if (rows[i].key == K_P256 || rows[i].key == K_P384) {
            CHECK(n >= 8 && n <= rows[i].sig_max);
        } else {
            CHECK_EQ(n, rows[i].sig_max);
        }
        CHECK_OK(alg->verify(alg, pub, msg, sizeof msg, s, n));
        CHECK_OK(alg->verify(alg, key, msg, sizeof msg, s, n));

        /* A changed message: each byte position of a few. */
        for (size_t j = 0; j < sizeof msg; j += 7) {
            memcpy(m, msg, sizeof msg);
            m[j] ^= 0x01;
            CHECK_ERR(alg->verify(alg, pub, m, sizeof m, s, n), LATCH_ERR_BAD_SIGNATURE);
        }
        CHECK_ERR(alg->verify(alg, pub, msg, sizeof msg - 1, s, n), LATCH_ERR_BAD_SIGNATURE);
        CHECK_ERR(alg->verify(alg, pub, msg, 0, s, n), LATCH_ERR_BAD_SIGNATURE);

        /* A changed signature: every byte. */
        for (size_t j = 0; j < n; j++) {
            s[j] ^= 0x10;
            CHECK_ERR(alg->verify(alg, pub, msg, sizeof msg, s, n), LATCH_ERR_BAD_SIGNATURE);
            s[j] ^= 0x10;
        }
        CHECK_ERR(alg->verify(alg, pub, msg, sizeof msg, s, n - 1), LATCH_ERR_BAD_SIGNATURE);
        s[n] = 0;
        CHECK_ERR(alg->verify(alg, pub, msg, sizeof msg, s, n + 1), LATCH_ERR_BAD_SIGNATURE);
        CHECK_ERR(alg->verify(alg, pub, msg, sizeof msg, s, 0), LATCH_ERR_BAD_SIGNATURE);
        CHECK_OK(alg->verify(alg, pub, msg, sizeof msg, s, n)); /* the original still verifies */

        /* Keys of any other type: refused for verifying (BAD_SIGNATURE) and signing (INVALID_ARGUMENT). */
        for (int k = 0; k < NKEYS; k++) {
            size_t n2 = 99;
            uint8_t s2[LATCH_SIG_MAX_LEN];

            if (k == rows[i].key || (rows[i].key_type == LATCH_PKEY_EC && (k == K_P256 || k == K_P384))) {
                continue;
            }
            CHECK_ERR(alg->verify(alg, pk(pubs[k]), msg, sizeof msg, s, n), LATCH_ERR_BAD_SIGNATURE);
            CHECK_ERR(alg->sign(alg, pk(keys[k]), msg, sizeof msg, s2, sizeof s2, &n2), LATCH_ERR_INVALID_ARGUMENT);
            CHECK_EQ(n2, 0);
        }
        CHECK_ERR(alg->verify(alg, NULL, msg, sizeof msg, s, n), LATCH_ERR_BAD_SIGNATURE);
        if (latch_test_failures != before) {
            fprintf(stderr, "  in %s\n", alg->name);
        }
    }
}

/* The other curve's key does not verify an ECDSA signature. */
static void test_ecdsa_other_curve(void)
{
    const latch_sig_alg *alg = sig(LATCH_SIG_ECDSA_SECP256R1_SHA256);
    uint8_t s[LATCH_SIG_MAX_LEN];
    size_t n = 0;

    REQUIRE(have_keys() && alg != NULL);
    REQUIRE_OK(alg->sign(alg, pk(keys[K_P256]), msg, sizeof msg, s, sizeof s, &n));
    CHECK_ERR(alg->verify(alg, pk(pubs[K_P384]), msg, sizeof msg, s, n), LATCH_ERR_BAD_SIGNATURE);
}

/* A buffer one byte short of the signature (or of its maximum size, for ECDSA) is refused. */
static void test_buffer_too_small(void)
{
    REQUIRE(have_keys());
    for (size_t i = 0; i < NROWS; i++) {
        const latch_sig_alg *alg = sig(rows[i].scheme);
        uint8_t s[LATCH_SIG_MAX_LEN];
        size_t n = 99;

        REQUIRE(alg != NULL);
        CHECK_ERR(alg->sign(alg, pk(keys[rows[i].key]), msg, sizeof msg, s, rows[i].sig_max - 1, &n),
                  LATCH_ERR_BUFFER_TOO_SMALL);
        CHECK_EQ(n, 0);
        CHECK_ERR(alg->sign(alg, pk(keys[rows[i].key]), msg, sizeof msg, s, 0, &n), LATCH_ERR_BUFFER_TOO_SMALL);
        CHECK_OK(alg->sign(alg, pk(keys[rows[i].key]), msg, sizeof msg, s, rows[i].sig_max, &n));
        CHECK(n > 0 && n <= rows[i].sig_max);
    }
}

/*
 * A peer's bad input must leave libcrypto's per-thread error queue as it was:
 * an application error queued before (the sentinel) survives, alone.
 */
static void sentinel_push(void)
{
    ERR_clear_error();
    ERR_raise(ERR_LIB_USER, 42);
}

static int sentinel_alone(void)
{
    unsigned long e = ERR_get_error();
    int ok = ERR_GET_LIB(e) == ERR_LIB_USER && ERR_GET_REASON(e) == 42 && ERR_peek_error() == 0;

    ERR_clear_error();
    return ok;
}

/* Bad signatures and unfit keys, for every scheme. */
static void test_verify_leaves_error_queue(void)
{
    REQUIRE(have_keys());
    for (size_t i = 0; i < NROWS; i++) {
        const latch_sig_alg *alg = sig(rows[i].scheme);
        uint8_t s[LATCH_SIG_MAX_LEN];
        size_t n = 0;

        REQUIRE(alg != NULL);
        REQUIRE_OK(alg->sign(alg, pk(keys[rows[i].key]), msg, sizeof msg, s, sizeof s, &n));
        s[n / 2] ^= 0x01;
        sentinel_push();
        CHECK_ERR(alg->verify(alg, pk(pubs[rows[i].key]), msg, sizeof msg, s, n), LATCH_ERR_BAD_SIGNATURE);
        CHECK(sentinel_alone());
        sentinel_push();
        CHECK_ERR(alg->verify(alg, pk(pubs[rows[i].key]), msg, sizeof msg, s, 3), LATCH_ERR_BAD_SIGNATURE);
        CHECK(sentinel_alone());
        sentinel_push();
        CHECK_ERR(alg->verify(alg, pk(pubs[(rows[i].key + 2) % NKEYS]), msg, sizeof msg, s, n),
                  LATCH_ERR_BAD_SIGNATURE);
        CHECK(sentinel_alone());
    }
}

/* ---- Against libcrypto, parameters spelled out ----------------------------- */

static const EVP_MD *md_of(uint8_t hash)
{
    switch (hash) {
    case LATCH_HASH_SHA256: return EVP_sha256();
    case LATCH_HASH_SHA384: return EVP_sha384();
    case LATCH_HASH_SHA512: return EVP_sha512();
    default: return NULL;
    }
}

static int is_pss(const scheme_row *r)
{
    return r->key_type == LATCH_PKEY_RSA_PSS || (r->key_type == LATCH_PKEY_RSA && r->tls13);
}

/*
 * Set up libcrypto for a scheme as RFC 8446 §4.2.3 defines it: the hash;
 * for PSS, MGF1 with the same hash and a salt as long as the digest (or
 * salt_len unless it is SALT_DIGEST, to make deviant signatures); PKCS#1
 * v1.5 padding for the pkcs1 schemes.
 */
#define SALT_DIGEST (-1000)

static EVP_MD_CTX *ref_ctx(const scheme_row *r, EVP_PKEY *key, int sign, int salt_len)
{
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    const EVP_MD *md = md_of(r->hash);
    int ok;

    if (mctx == NULL) {
        return NULL;
    }
    ok = sign ? EVP_DigestSignInit(mctx, &pctx, md, NULL, key) : EVP_DigestVerifyInit(mctx, &pctx, md, NULL, key);
    if (ok == 1 && is_pss(r)) {
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt_len != SALT_DIGEST ? salt_len : EVP_MD_get_size(md)) == 1;
    } else if (ok == 1 && r->key_type == LATCH_PKEY_RSA) {
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    }
    if (ok != 1) {
        EVP_MD_CTX_free(mctx);
        return NULL;
    }
    return mctx;
}

static int ref_verify(const scheme_row *r, EVP_PKEY *key, const uint8_t *s, size_t n)
{
    EVP_MD_CTX *mctx = ref_ctx(r, key, 0, SALT_DIGEST);
    int ok = mctx != NULL && EVP_DigestVerify(mctx, s, n, msg, sizeof msg) == 1;

    EVP_MD_CTX_free(mctx);
    return ok;
}

static size_t ref_sign(const scheme_row *r, EVP_PKEY *key, int salt_len, uint8_t *s, size_t cap)
{
    EVP_MD_CTX *mctx = ref_ctx(r, key, 1, salt_len);
    size_t n = cap;

    if (mctx == NULL || EVP_DigestSign(mctx, s, &n, msg, sizeof msg) != 1) {
        n = 0;
    }
    EVP_MD_CTX_free(mctx);
    return n;
}

static void test_interop_with_libcrypto(void)
{
    REQUIRE(have_keys());
    for (size_t i = 0; i < NROWS; i++) {
        const scheme_row *r = &rows[i];
        const latch_sig_alg *alg = sig(r->scheme);
        uint8_t s[LATCH_SIG_MAX_LEN];
        size_t n = 0;
        int before = latch_test_failures;

        REQUIRE(alg != NULL);
        /* Ours, checked by libcrypto. */
        REQUIRE_OK(alg->sign(alg, pk(keys[r->key]), msg, sizeof msg, s, sizeof s, &n));
        CHECK(ref_verify(r, pubs[r->key], s, n));
        /* libcrypto's, checked by ours. */
        n = ref_sign(r, keys[r->key], SALT_DIGEST, s, sizeof s);
        REQUIRE(n > 0);
        CHECK_OK(alg->verify(alg, pk(pubs[r->key]), msg, sizeof msg, s, n));
        if (is_pss(r)) {
            /* RFC 8446 §4.2.3: "The length of the Salt MUST be equal to the length of the digest algorithm." */
            n = ref_sign(r, keys[r->key], 0, s, sizeof s);
            REQUIRE(n > 0);
            CHECK_ERR(alg->verify(alg, pk(pubs[r->key]), msg, sizeof msg, s, n), LATCH_ERR_BAD_SIGNATURE);
            n = ref_sign(r, keys[r->key], RSA_PSS_SALTLEN_MAX, s, sizeof s);
            REQUIRE(n > 0);
            CHECK_ERR(alg->verify(alg, pk(pubs[r->key]), msg, sizeof msg, s, n), LATCH_ERR_BAD_SIGNATURE);
        }
        if (r->hash != 0) {
            /* The same key and padding with another hash: refused. */
            scheme_row other = *r;

            other.hash = r->hash == LATCH_HASH_SHA256 ? LATCH_HASH_SHA384 : LATCH_HASH_SHA256;
            n = ref_sign(&other, keys[r->key], SALT_DIGEST, s, sizeof s);
            REQUIRE(n > 0);
            CHECK_ERR(alg->verify(alg, pk(pubs[r->key]), msg, sizeof msg, s, n), LATCH_ERR_BAD_SIGNATURE);
        }
        if (latch_test_failures != before) {
            fprintf(stderr, "  in %s\n", alg->name);
        }
    }
}

/* An rsae PSS signature is not a PKCS#1 v1.5 one, nor the other way round. */
static void test_rsa_padding_not_interchangeable(void)
{
    const latch_sig_alg *pss = sig(LATCH_SIG_RSA_PSS_RSAE_SHA256), *pkcs1 = sig(LATCH_SIG_RSA_PKCS1_SHA256);
    uint8_t s[LATCH_SIG_MAX_LEN];
    size_t n = 0;

    REQUIRE(have_keys() && pss != NULL && pkcs1 != NULL);
    REQUIRE_OK(pss->sign(pss, pk(keys[K_RSA]), msg, sizeof msg, s, sizeof s, &n));
    CHECK_ERR(pkcs1->verify(pkcs1, pk(pubs[K_RSA]), msg, sizeof msg, s, n), LATCH_ERR_BAD_SIGNATURE);
    REQUIRE_OK(pkcs1->sign(pkcs1, pk(keys[K_RSA]), msg, sizeof msg, s, sizeof s, &n));
    CHECK_ERR(pss->verify(pss, pk(pubs[K_RSA]), msg, sizeof msg, s, n), LATCH_ERR_BAD_SIGNATURE);
}

/* ---- RFC 8032 §7.1 ---------------------------------------------------------- */

typedef struct ed_kat {
    const char *name, *secret, *public, *message, *signature;
} ed_kat;

static const ed_kat ed25519_kats[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
};

/* EdDSA is deterministic: sign must reproduce the RFC's signature byte for byte. */
static void test_ed25519_rfc8032(void)
{
    const latch_sig_alg *alg = sig(LATCH_SIG_ED25519);

    REQUIRE(alg != NULL);
    for (size_t i = 0; i < 2; i++) {
        const ed_kat *k = &ed25519_kats[i];
        uint8_t sk[32], want_pk[32], got_pk[32], m[8], want[64], s[LATCH_SIG_MAX_LEN];
        size_t m_len = latch_test_unhex(k->message, m, sizeof m), got_len = sizeof got_pk, n = 0;
        EVP_PKEY *key, *pub;
        int before = latch_test_failures;

        CHECK_EQ(latch_test_unhex(k->secret, sk, sizeof sk), 32);
        CHECK_EQ(latch_test_unhex(k->public, want_pk, sizeof want_pk), 32);
        CHECK_EQ(latch_test_unhex(k->signature, want, sizeof want), 64);
        key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, sk, 32);
        pub = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, want_pk, 32);
        REQUIRE(key != NULL && pub != NULL);
        CHECK(EVP_PKEY_get_raw_public_key(key, got_pk, &got_len) == 1);
        CHECK_MEM(got_pk, got_len, want_pk, 32);
        if (prepared_mode) {
            CHECK_OK(latch__ossl_sign_prepare(key));
        }

        CHECK_OK(alg->sign(alg, pk(key), m, m_len, s, sizeof s, &n));
        CHECK_MEM(s, n, want, 64);
        /* Again: with a prepared key, from a copy of the kept context. */
        CHECK_OK(alg->sign(alg, pk(key), m, m_len, s, sizeof s, &n));
        CHECK_MEM(s, n, want, 64);
        CHECK_OK(alg->verify(alg, pk(pub), m, m_len, want, 64));
        want[63] ^= 0x80;
        CHECK_ERR(alg->verify(alg, pk(pub), m, m_len, want, 64), LATCH_ERR_BAD_SIGNATURE);
        want[63] ^= 0x80;
        CHECK_ERR(alg->verify(alg, pk(pub), (const uint8_t *)"x", 1, want, 64), LATCH_ERR_BAD_SIGNATURE);
        CHECK_ERR(alg->sign(alg, pk(key), m, m_len, s, 63, &n), LATCH_ERR_BUFFER_TOO_SMALL);
        CHECK_EQ(latch__ossl_sign_kept(key), prepared_mode ? 1 : 0);
        latch__ossl_sign_unprepare(key);
        EVP_PKEY_free(key);
        EVP_PKEY_free(pub);
        if (latch_test_failures != before) {
            fprintf(stderr, "  in RFC 8032 7.1 %s\n", k->name);
        }
    }
    /* The vectors do not cross: TEST 1's signature under TEST 2's key. */
    {
        uint8_t pk2[32], s1[64];
        EVP_PKEY *pub;

        CHECK_EQ(latch_test_unhex(ed25519_kats[1].public, pk2, sizeof pk2), 32);
        CHECK_EQ(latch_test_unhex(ed25519_kats[0].signature, s1, sizeof s1), 64);
        pub = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk2, 32);
        REQUIRE(pub != NULL);
        CHECK_ERR(alg->verify(alg, pk(pub), NULL, 0, s1, 64), LATCH_ERR_BAD_SIGNATURE);
        EVP_PKEY_free(pub);
    }
}

/* ---- Prepared keys ----------------------------------------------------------- */

/*
 * Every test above again, on keys whose signing contexts are kept
 * (latch__ossl_sign_prepare): each signature then starts from a copy of a
 * context set up by an earlier one, which must give the same results
 * (libcrypto checks the PSS parameters, RFC 8032 the Ed25519 bytes).
 */
static void test_prepared(void)
{
    REQUIRE(have_keys());
    for (int k = 0; k < NKEYS; k++) {
        CHECK_EQ(latch__ossl_sign_kept(keys[k]), 0);
        REQUIRE_OK(latch__ossl_sign_prepare(keys[k]));
        REQUIRE_OK(latch__ossl_sign_prepare(keys[k])); /* twice is harmless */
    }
    CHECK_ERR(latch__ossl_sign_prepare(NULL), LATCH_ERR_INVALID_ARGUMENT);
    prepared_mode = true;
    test_sign_verify();
    test_ecdsa_other_curve();
    test_buffer_too_small();
    test_interop_with_libcrypto();
    test_rsa_padding_not_interchangeable();
    test_ed25519_rfc8032();
    prepared_mode = false;
    /* Each key kept a context for each scheme it signed with (one per slot
     * used; the tests sign one at a time, so one). */
    CHECK_EQ(latch__ossl_sign_kept(keys[K_P256]), 1);
    CHECK_EQ(latch__ossl_sign_kept(keys[K_P384]), 1);
    CHECK_EQ(latch__ossl_sign_kept(keys[K_RSA]), 6);
    CHECK_EQ(latch__ossl_sign_kept(keys[K_PSS]), 3);
    CHECK_EQ(latch__ossl_sign_kept(keys[K_ED25519]), 1);
    /* The public halves were never prepared: nothing kept, signing refused as before. */
    CHECK_EQ(latch__ossl_sign_kept(pubs[K_P256]), 0);
    for (int k = 0; k < NKEYS; k++) {
        latch__ossl_sign_unprepare(keys[k]);
        CHECK_EQ(latch__ossl_sign_kept(keys[k]), 0);
    }
    latch__ossl_sign_unprepare(NULL);
    /* Unprepared again, they sign as before. */
    test_sign_verify();
}

/* Threads sign with the same prepared keys at once; every signature verifies. */
#define SIG_THREADS 4
#define SIG_ROUNDS 12

typedef struct sig_job {
    int key;
    uint16_t scheme;
    size_t failures;
} sig_job;

static void *sig_worker(void *arg)
{
    sig_job *job = arg;
    const latch_sig_alg *alg = sig(job->scheme);

    for (size_t r = 0; r < SIG_ROUNDS; r++) {
        uint8_t s[LATCH_SIG_MAX_LEN];
        size_t n = 0;

        if (alg == NULL || alg->sign(alg, pk(keys[job->key]), msg, sizeof msg, s, sizeof s, &n) != LATCH_OK ||
            alg->verify(alg, pk(pubs[job->key]), msg, sizeof msg, s, n) != LATCH_OK) {
            job->failures++;
        }
    }
    return NULL;
}

static void test_prepared_threads(void)
{
    pthread_t th[SIG_THREADS * 2];
    sig_job jobs[SIG_THREADS * 2];

    REQUIRE(have_keys());
    REQUIRE_OK(latch__ossl_sign_prepare(keys[K_P256]));
    REQUIRE_OK(latch__ossl_sign_prepare(keys[K_RSA]));
    for (size_t i = 0; i < SIG_THREADS * 2; i++) {
        jobs[i].key = i % 2 == 0 ? K_P256 : K_RSA;
        jobs[i].scheme = i % 2 == 0 ? LATCH_SIG_ECDSA_SECP256R1_SHA256 : LATCH_SIG_RSA_PSS_RSAE_SHA256;
        jobs[i].failures = 0;
        REQUIRE(pthread_create(&th[i], NULL, sig_worker, &jobs[i]) == 0);
    }
    for (size_t i = 0; i < SIG_THREADS * 2; i++) {
        REQUIRE(pthread_join(th[i], NULL) == 0);
        CHECK_EQ(jobs[i].failures, 0);
    }
    /* Never more kept than there are slots (4 per scheme), at least one. */
    CHECK(latch__ossl_sign_kept(keys[K_P256]) >= 1 && latch__ossl_sign_kept(keys[K_P256]) <= 4);
    CHECK(latch__ossl_sign_kept(keys[K_RSA]) >= 1 && latch__ossl_sign_kept(keys[K_RSA]) <= 4);
    latch__ossl_sign_unprepare(keys[K_P256]);
    latch__ossl_sign_unprepare(keys[K_RSA]);
}

static const latch_test cases[] = {
    TEST(test_table),
    TEST(test_sign_verify),
    TEST(test_ecdsa_other_curve),
    TEST(test_buffer_too_small),
    TEST(test_verify_leaves_error_queue),
    TEST(test_interop_with_libcrypto),
    TEST(test_rsa_padding_not_interchangeable),
    TEST(test_ed25519_rfc8032),
    TEST(test_prepared),
    TEST(test_prepared_threads),
    {0},
};

LATCH_TEST_MAIN(cases)
