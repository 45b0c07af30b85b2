/*
 * Tests for the OpenSSL provider's key exchange (src/provider/ossl/kx.c):
 * RFC 7748 §6.1 X25519 vectors, NIST curve keys from known scalars, and
 * peer-key validation. Every derive() consumes its key, so the tests never
 * destroy a key after deriving: LeakSanitizer reports any path that forgets to.
 */
#include "provider/ossl/ossl.h"
#include "harness.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <pthread.h>
#include <string.h>

/* RFC 7748 §6.1. */
#define ALICE_PRIV "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
#define ALICE_PUB "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
#define BOB_PRIV "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
#define BOB_PUB "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
#define SHARED_K "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"

/* Curve constants (SEC 2 / FIPS 186-4 D.1.2): base point G, order n, field prime p. */
#define P256_GX "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
#define P256_GY "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
#define P256_N "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"
#define P256_P "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"
#define P384_GX "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7"
#define P384_GY "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f"
#define P384_N "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"
#define P384_P "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"

/*
 * A point with a small x coordinate on each curve, and x + p, which still
 * fits the field size: the same point with a coordinate that is not reduced.
 * The smallest x for which x^3 - 3x + b is a square mod p (y is its square
 * root, computed as (x^3 - 3x + b)^((p+1)/4) mod p, since p = 3 mod 4):
 * x = 5 on P-256, x = 2 on P-384.
 */
#define P256_SX "0000000000000000000000000000000000000000000000000000000000000005"
#define P256_SY "459243b9aa581806fe913bce99817ade11ca503c64d9a3c533415c083248fbcc"
#define P256_SX_PLUS_P "ffffffff00000001000000000000000000000001000000000000000000000004"
#define P384_SX "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002"
#define P384_SY "8cdeadbbd04911a3c1931e26df3fa6439dca9c7eb286fbd46fc319f0e2bb780232baf57825fc0c1912ada2fefe84024c"
#define P384_SX_PLUS_P "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff000000000000000100000001"

typedef struct curve {
    uint16_t group;
    size_t len; /* field / scalar size */
    const char *gx, *gy, *n, *p;
    const char *sx, *sy, *sx_plus_p;
} curve;

static const curve curves[] = {
    {LATCH_GROUP_SECP256R1, 32, P256_GX, P256_GY, P256_N, P256_P, P256_SX, P256_SY, P256_SX_PLUS_P},
    {LATCH_GROUP_SECP384R1, 48, P384_GX, P384_GY, P384_N, P384_P, P384_SX, P384_SY, P384_SX_PLUS_P},
};

static const latch_kx_alg *kx(uint16_t group)
{
    for (size_t i = 0; latch__ossl_kx_table[i] != NULL; i++) {
        if (latch__ossl_kx_table[i]->group == group) {
            return latch__ossl_kx_table[i];
        }
    }
    return NULL;
}

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = latch_test_unhex(hex, out, cap);

    if (n == (size_t)-1) {
        fprintf(stderr, "bad hex: %.40s\n", hex);
        abort();
    }
    return n;
}

/* The uncompressed encoding 04 || x || y. */
static size_t point(const curve *c, const char *x, const char *y, uint8_t *out)
{
    out[0] = 0x04;
    CHECK_EQ(unhex(x, out + 1, c->len), c->len);
    CHECK_EQ(unhex(y, out + 1 + c->len, c->len), c->len);
    return 1 + 2 * c->len;
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

static void test_table(void)
{
    static const struct {
        uint16_t group, pub_len, secret_len;
        const char *name;
    } want[] = {
        {LATCH_GROUP_X25519, 32, 32, "x25519"},
        {LATCH_GROUP_SECP256R1, 65, 32, "secp256r1"},
        {LATCH_GROUP_SECP384R1, 97, 48, "secp384r1"},
    };
    size_t i;

    for (i = 0; latch__ossl_kx_table[i] != NULL; i++) {
        const latch_kx_alg *a = latch__ossl_kx_table[i];

        REQUIRE(i < 3);
        CHECK_EQ(a->group, want[i].group);
        CHECK_EQ(a->pub_len, want[i].pub_len);
        CHECK_EQ(a->secret_len, want[i].secret_len);
        CHECK(strcmp(a->name, want[i].name) == 0);
        CHECK(a->pub_len <= LATCH_KX_MAX_PUB && a->secret_len <= LATCH_KX_MAX_SECRET);
        CHECK(a->keygen != NULL && a->derive == latch__ossl_kx_derive && a->destroy == latch__ossl_kx_destroy);
    }
    CHECK_EQ(i, 3);
}

/* RFC 7748 §6.1: both public keys from their private keys, and the shared secret both ways. */
static void test_x25519_rfc7748(void)
{
    const latch_kx_alg *alg = kx(LATCH_GROUP_X25519);
    uint8_t a_priv[32], a_pub[32], b_priv[32], b_pub[32], k[32], pub[32], secret[32];
    latch_kx_key *ka = NULL, *kb = NULL;

    REQUIRE(alg != NULL);
    unhex(ALICE_PRIV, a_priv, 32);
    unhex(ALICE_PUB, a_pub, 32);
    unhex(BOB_PRIV, b_priv, 32);
    unhex(BOB_PUB, b_pub, 32);
    unhex(SHARED_K, k, 32);

    REQUIRE_OK(latch__ossl_kx_from_private(alg, a_priv, 32, &ka, pub));
    CHECK_MEM(pub, 32, a_pub, 32);
    REQUIRE_OK(latch__ossl_kx_from_private(alg, b_priv, 32, &kb, pub));
    CHECK_MEM(pub, 32, b_pub, 32);

    memset(secret, 0, sizeof secret);
    CHECK_OK(alg->derive(ka, b_pub, 32, secret));
    CHECK_MEM(secret, 32, k, 32);
    memset(secret, 0, sizeof secret);
    CHECK_OK(alg->derive(kb, a_pub, 32, secret));
    CHECK_MEM(secret, 32, k, 32);
}

/*
 * A NIST key from scalar 1 has public key G, and from n-1 the point -G =
 * (Gx, p - Gy). Scalars 0, n and anything above are refused, as are wrong
 * lengths; the key pointer stays NULL.
 */
static void test_nist_from_private(void)
{
    for (size_t c = 0; c < 2; c++) {
        const curve *cv = &curves[c];
        const latch_kx_alg *alg = kx(cv->group);
        uint8_t scalar[49], pub[LATCH_KX_MAX_PUB], want[LATCH_KX_MAX_PUB], neg_y[48];
        latch_kx_key *key = NULL;
        BIGNUM *p = NULL, *gy = NULL, *y = NULL;

        REQUIRE(alg != NULL);
        memset(scalar, 0, sizeof scalar);
        scalar[cv->len - 1] = 1;
        REQUIRE_OK(latch__ossl_kx_from_private(alg, scalar, cv->len, &key, pub));
        CHECK_MEM(pub, alg->pub_len, want, point(cv, cv->gx, cv->gy, want));
        alg->destroy(key);

        /* -G: y = p - Gy, computed independently with libcrypto's BIGNUM. */
        CHECK(BN_hex2bn(&p, cv->p) > 0 && BN_hex2bn(&gy, cv->gy) > 0);
        y = BN_new();
        REQUIRE(y != NULL && BN_sub(y, p, gy) == 1 && BN_bn2binpad(y, neg_y, (int)cv->len) == (int)cv->len);
        BN_free(p);
        BN_free(gy);
        BN_free(y);
        unhex(cv->n, scalar, cv->len);
        scalar[cv->len - 1]--; /* n - 1 (n is odd) */
        REQUIRE_OK(latch__ossl_kx_from_private(alg, scalar, cv->len, &key, pub));
        point(cv, cv->gx, cv->gy, want);
        memcpy(want + 1 + cv->len, neg_y, cv->len);
        CHECK_MEM(pub, alg->pub_len, want, alg->pub_len);
        alg->destroy(key);

        /* n itself, 0, all ones: out of [1, n-1]. */
        unhex(cv->n, scalar, cv->len);
        key = (latch_kx_key *)(uintptr_t)1;
        CHECK_ERR(latch__ossl_kx_from_private(alg, scalar, cv->len, &key, pub), LATCH_ERR_INVALID_ARGUMENT);
        CHECK(key == NULL);
        memset(scalar, 0, sizeof scalar);
        CHECK_ERR(latch__ossl_kx_from_private(alg, scalar, cv->len, &key, pub), LATCH_ERR_INVALID_ARGUMENT);
        memset(scalar, 0xFF, sizeof scalar);
        CHECK_ERR(latch__ossl_kx_from_private(alg, scalar, cv->len, &key, pub), LATCH_ERR_INVALID_ARGUMENT);
        /* Wrong lengths, even for a valid value. */
        memset(scalar, 0, sizeof scalar);
        scalar[cv->len] = 1;
        CHECK_ERR(latch__ossl_kx_from_private(alg, scalar, cv->len + 1, &key, pub), LATCH_ERR_INVALID_ARGUMENT);
        CHECK_ERR(latch__ossl_kx_from_private(alg, scalar + 1, cv->len - 1, &key, pub), LATCH_ERR_INVALID_ARGUMENT);
        CHECK(key == NULL);
    }
}

static void test_from_private_bad_arguments(void)
{
    const latch_kx_alg *alg = kx(LATCH_GROUP_X25519);
    static const latch_kx_alg x448 = {LATCH_GROUP_X448, 56, 56, "x448", NULL, NULL, NULL};
    uint8_t priv[57] = {1}, pub[LATCH_KX_MAX_PUB];
    latch_kx_key *key = NULL;

    REQUIRE(alg != NULL);
    CHECK_ERR(latch__ossl_kx_from_private(alg, priv, 31, &key, pub), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__ossl_kx_from_private(alg, priv, 33, &key, pub), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__ossl_kx_from_private(alg, priv, 0, &key, pub), LATCH_ERR_INVALID_ARGUMENT);
    /* A group this provider does not implement. */
    CHECK_ERR(latch__ossl_kx_from_private(&x448, priv, 56, &key, pub), LATCH_ERR_INVALID_ARGUMENT);
    CHECK(key == NULL);
}

/*
 * Fresh key pairs agree both ways. With scalar 1 on one side, the shared
 * secret is the x coordinate of the other side's public key (RFC 8446
 * §7.4.2: the secret is the x coordinate of the ECDH result), an answer
 * known without trusting derive().
 */
static void test_nist_keygen_derive(void)
{
    const latch_provider *prov = latch_provider_openssl();

    REQUIRE(prov != NULL);
    for (size_t c = 0; c < 2; c++) {
        const latch_kx_alg *alg = kx(curves[c].group);
        uint8_t pa[LATCH_KX_MAX_PUB], pb[LATCH_KX_MAX_PUB], p1[LATCH_KX_MAX_PUB], sa[64], sb[64], one[48];
        latch_kx_key *ka = NULL, *kb = NULL, *k1 = NULL;
        size_t len = curves[c].len;

        REQUIRE(alg != NULL);
        REQUIRE_OK(alg->keygen(alg, prov, &ka, pa));
        REQUIRE_OK(alg->keygen(alg, prov, &kb, pb));
        CHECK_EQ(pa[0], 0x04);
        CHECK_EQ(pb[0], 0x04);
        CHECK(memcmp(pa, pb, alg->pub_len) != 0);
        memset(sa, 0, sizeof sa);
        memset(sb, 0xFF, sizeof sb);
        CHECK_OK(alg->derive(ka, pb, alg->pub_len, sa));
        CHECK_OK(alg->derive(kb, pa, alg->pub_len, sb));
        CHECK_MEM(sa, alg->secret_len, sb, alg->secret_len);
        CHECK_EQ(alg->secret_len, len);

        REQUIRE_OK(alg->keygen(alg, prov, &ka, pa));
        memset(one, 0, sizeof one);
        one[len - 1] = 1;
        REQUIRE_OK(latch__ossl_kx_from_private(alg, one, len, &k1, p1));
        CHECK_OK(alg->derive(k1, pa, alg->pub_len, sa));
        CHECK_MEM(sa, len, pa + 1, len);
        CHECK_OK(alg->derive(ka, p1, alg->pub_len, sb));
        CHECK_MEM(sb, len, pa + 1, len);
    }
}

static void test_x25519_keygen_derive(void)
{
    const latch_kx_alg *alg = kx(LATCH_GROUP_X25519);
    const latch_provider *prov = latch_provider_openssl();
    uint8_t pa[32], pb[32], sa[32], sb[32], zero[32] = {0};
    latch_kx_key *ka = NULL, *kb = NULL;

    REQUIRE(alg != NULL && prov != NULL);
    REQUIRE_OK(alg->keygen(alg, prov, &ka, pa));
    REQUIRE_OK(alg->keygen(alg, prov, &kb, pb));
    CHECK(memcmp(pa, pb, 32) != 0);
    CHECK_OK(alg->derive(ka, pb, 32, sa));
    CHECK_OK(alg->derive(kb, pa, 32, sb));
    CHECK_MEM(sa, 32, sb, 32);
    CHECK(memcmp(sa, zero, 32) != 0);
}

/* Keys that are never used are destroyed without deriving; destroy(NULL) is a no-op. */
static void test_destroy_unused(void)
{
    const latch_provider *prov = latch_provider_openssl();

    REQUIRE(prov != NULL);
    for (size_t i = 0; latch__ossl_kx_table[i] != NULL; i++) {
        const latch_kx_alg *alg = latch__ossl_kx_table[i];
        latch_kx_key *key = NULL;
        uint8_t pub[LATCH_KX_MAX_PUB];

        REQUIRE_OK(alg->keygen(alg, prov, &key, pub));
        CHECK(key != NULL);
        alg->destroy(key);
        alg->destroy(NULL);
    }
    CHECK_ERR(latch__ossl_kx_derive(NULL, NULL, 0, NULL), LATCH_ERR_INVALID_ARGUMENT);
}

/* Derive against a bad peer key: exactly LATCH_ERR_BAD_KEY_SHARE, and the key is gone (LSan). */
static void expect_bad_share(const latch_kx_alg *alg, const uint8_t *peer, size_t peer_len, const char *what)
{
    const latch_provider *prov = latch_provider_openssl();
    latch_kx_key *key = NULL;
    uint8_t pub[LATCH_KX_MAX_PUB], secret[LATCH_KX_MAX_SECRET];
    int before = latch_test_failures;

    REQUIRE_OK(alg->keygen(alg, prov, &key, pub));
    sentinel_push();
    CHECK_ERR(alg->derive(key, peer, peer_len, secret), LATCH_ERR_BAD_KEY_SHARE);
    CHECK(sentinel_alone());
    if (latch_test_failures != before) {
        fprintf(stderr, "  %s peer key: %s\n", alg->name, what);
    }
}

static void test_x25519_bad_peer(void)
{
    /*
     * Points of small order (RFC 7748 §6.1 tells to check for the all-zero
     * result): 0 and 1, the two points of order 8, and p-1, p, p+1
     * (non-canonical encodings of points of order 2, 4 and 1).
     */
    static const char *const low_order[] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };
    const latch_kx_alg *alg = kx(LATCH_GROUP_X25519);
    uint8_t peer[33];

    REQUIRE(alg != NULL);
    for (size_t i = 0; i < sizeof low_order / sizeof low_order[0]; i++) {
        unhex(low_order[i], peer, 32);
        expect_bad_share(alg, peer, 32, low_order[i]);
    }
    /* Bob's valid public key, truncated at every byte and with a byte appended. */
    unhex(BOB_PUB, peer, 32);
    peer[32] = 0;
    for (size_t len = 0; len < 32; len++) {
        expect_bad_share(alg, peer, len, "truncated");
    }
    expect_bad_share(alg, peer, 33, "33 bytes");
    /* The peer keys those failures left behind are reused (kx.c keeps them): agreement still works. */
    for (size_t i = 0; i < 12; i++) {
        test_x25519_keygen_derive();
    }
}

static void test_nist_bad_peer(void)
{
    for (size_t c = 0; c < 2; c++) {
        const curve *cv = &curves[c];
        const latch_kx_alg *alg = kx(cv->group);
        uint8_t g[LATCH_KX_MAX_PUB + 1], peer[LATCH_KX_MAX_PUB + 1];
        size_t n;

        REQUIRE(alg != NULL);
        n = point(cv, cv->gx, cv->gy, g);
        REQUIRE(n == alg->pub_len);
        g[n] = 0;

        /* The valid point G truncated at every byte, and with a byte appended. */
        for (size_t len = 0; len < n; len++) {
            expect_bad_share(alg, g, len, "G truncated");
        }
        expect_bad_share(alg, g, n + 1, "G and one byte more");
        expect_bad_share(alg, (const uint8_t *)"\x00", 1, "the point at infinity (00)");

        /* RFC 8446 §4.2.8.2: only the uncompressed form. Compressed points, at their length and padded. */
        memcpy(peer, g, n);
        peer[0] = (g[n - 1] & 1) ? 0x03 : 0x02; /* G's own compressed form: 02 + parity of y */
        expect_bad_share(alg, peer, 1 + cv->len, "compressed G");
        peer[0] ^= 1;
        expect_bad_share(alg, peer, 1 + cv->len, "compressed -G");
        peer[0] = 0x02;
        expect_bad_share(alg, peer, n, "full length with prefix 02");
        peer[0] = 0x03;
        expect_bad_share(alg, peer, n, "full length with prefix 03");
        peer[0] = 0x06; /* hybrid form (X9.62) */
        expect_bad_share(alg, peer, n, "hybrid form 06");
        peer[0] = 0x00;
        expect_bad_share(alg, peer, n, "prefix 00");

        /* Not on the curve: G with y + 1; x and y both zero; coordinates >= p. */
        memcpy(peer, g, n);
        peer[n - 1] ^= 0x01;
        expect_bad_share(alg, peer, n, "G with y changed (not on the curve)");
        memcpy(peer, g, n);
        peer[1] ^= 0x80;
        expect_bad_share(alg, peer, n, "G with x changed (not on the curve)");
        memset(peer, 0, n);
        peer[0] = 0x04;
        expect_bad_share(alg, peer, n, "(0, 0)");
        memset(peer, 0xFF, n);
        peer[0] = 0x04;
        expect_bad_share(alg, peer, n, "coordinates above p");
        memcpy(peer, g, n);
        unhex(cv->p, peer + 1, cv->len); /* (p, Gy): x not reduced */
        expect_bad_share(alg, peer, n, "x = p");

        /*
         * A point on the curve written with x + p instead of x: refused for
         * the encoding alone (derive does not ask libcrypto for its full
         * public key check, so this is what keeps non-reduced coordinates
         * out). First the same point reduced, which must be accepted, so that
         * the refusal cannot come from anything else.
         */
        REQUIRE(point(cv, cv->sx, cv->sy, peer) == n);
        {
            const latch_provider *prov = latch_provider_openssl();
            latch_kx_key *key = NULL;
            uint8_t pub[LATCH_KX_MAX_PUB], secret[LATCH_KX_MAX_SECRET];

            REQUIRE_OK(alg->keygen(alg, prov, &key, pub));
            CHECK_OK(alg->derive(key, peer, n, secret));
        }
        unhex(cv->sx_plus_p, peer + 1, cv->len);
        expect_bad_share(alg, peer, n, "a point with x + p for x");
    }
}

/* Keygen contexts are reused: every key must still be fresh. */
static void test_keygen_fresh(void)
{
    const latch_provider *prov = latch_provider_openssl();

    REQUIRE(prov != NULL);
    for (size_t i = 0; latch__ossl_kx_table[i] != NULL; i++) {
        const latch_kx_alg *alg = latch__ossl_kx_table[i];
        static uint8_t pubs[64][LATCH_KX_MAX_PUB];

        for (size_t k = 0; k < 64; k++) {
            latch_kx_key *key = NULL;

            REQUIRE_OK(alg->keygen(alg, prov, &key, pubs[k]));
            alg->destroy(key);
            for (size_t j = 0; j < k; j++) {
                if (memcmp(pubs[j], pubs[k], alg->pub_len) == 0) {
                    latch_test_fail(__FILE__, __LINE__, "%s: keys %zu and %zu are the same", alg->name, j, k);
                }
            }
        }
    }
}

/*
 * Several threads make keys and agree on secrets at the same time: the
 * shared keygen contexts are handed to one thread at a time (under the
 * sanitizers, this also checks they are neither lost nor freed twice).
 */
#define KX_THREADS 4
#define KX_ROUNDS 40

static void *kx_worker(void *arg)
{
    const latch_provider *prov = latch_provider_openssl();
    size_t *failures = arg;

    for (size_t r = 0; r < KX_ROUNDS; r++) {
        const latch_kx_alg *alg = latch__ossl_kx_table[r % 3];
        latch_kx_key *ka = NULL, *kb = NULL;
        uint8_t pa[LATCH_KX_MAX_PUB], pb[LATCH_KX_MAX_PUB], sa[LATCH_KX_MAX_SECRET], sb[LATCH_KX_MAX_SECRET];

        if (alg->keygen(alg, prov, &ka, pa) != LATCH_OK) {
            (*failures)++;
            continue;
        }
        if (alg->keygen(alg, prov, &kb, pb) != LATCH_OK) {
            alg->destroy(ka);
            (*failures)++;
            continue;
        }
        if (alg->derive(ka, pb, alg->pub_len, sa) != LATCH_OK || alg->derive(kb, pa, alg->pub_len, sb) != LATCH_OK ||
            memcmp(sa, sb, alg->secret_len) != 0 || memcmp(pa, pb, alg->pub_len) == 0) {
            (*failures)++;
        }
    }
    return NULL;
}

static void test_threads(void)
{
    pthread_t th[KX_THREADS];
    size_t failures[KX_THREADS] = {0};

    REQUIRE(latch_provider_openssl() != NULL);
    REQUIRE(latch__ossl_kx_table[0] != NULL && latch__ossl_kx_table[1] != NULL && latch__ossl_kx_table[2] != NULL);
    for (size_t i = 0; i < KX_THREADS; i++) {
        REQUIRE(pthread_create(&th[i], NULL, kx_worker, &failures[i]) == 0);
    }
    for (size_t i = 0; i < KX_THREADS; i++) {
        REQUIRE(pthread_join(th[i], NULL) == 0);
        CHECK_EQ(failures[i], 0);
    }
}

static const latch_test cases[] = {
    TEST(test_table),
    TEST(test_x25519_rfc7748),
    TEST(test_nist_from_private),
    TEST(test_from_private_bad_arguments),
    TEST(test_nist_keygen_derive),
    TEST(test_x25519_keygen_derive),
    TEST(test_destroy_unused),
    TEST(test_x25519_bad_peer),
    TEST(test_nist_bad_peer),
    TEST(test_keygen_fresh),
    TEST(test_threads),
    {0},
};

LATCH_TEST_MAIN(cases)
