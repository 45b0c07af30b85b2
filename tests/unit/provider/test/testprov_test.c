/* Tests for the deterministic test provider (src/provider/test/testprov.c). */
#include "provider/test/testprov.h"

#include "harness.h"
#include "rfc8448.h"

#include <openssl/sha.h>
#include <string.h>

static latch_testprov *make(uint64_t seed)
{
    latch_testprov *tp = latch__testprov_new(seed);

    if (tp == NULL) {
        latch_test_fail(__FILE__, __LINE__, "latch__testprov_new(%llu) failed", (unsigned long long)seed);
    }
    return tp;
}

static latch_err draw(latch_testprov *tp, uint8_t *out, size_t n)
{
    const latch_provider *p = latch__testprov_provider(tp);

    return p->random(p->rng, out, n);
}

/* The first n bytes of a fresh provider's stream for seed. */
static void stream(uint64_t seed, uint8_t *out, size_t n)
{
    latch_testprov *tp = make(seed);

    memset(out, 0, n);
    if (tp != NULL) {
        CHECK_OK(draw(tp, out, n));
        latch__testprov_free(tp);
    }
}

/* ---- Tables -------------------------------------------------------------------- */

static void test_tables(void)
{
    latch_testprov *tp = make(1);
    const latch_provider *p, *o = latch_provider_openssl();
    size_t i;

    REQUIRE(tp != NULL && o != NULL);
    p = latch__testprov_provider(tp);
    REQUIRE(p != NULL);
    CHECK(strcmp(p->name, "test") == 0);
    CHECK(p->rng != NULL);
    CHECK(p->random != o->random);
    CHECK(p->hash == o->hash);
    CHECK(p->aead == o->aead);
    CHECK(p->sig == o->sig);
    CHECK(p->pkey_info == o->pkey_info);
    /* Same key exchange groups, lengths, names and order; own keygen, OpenSSL's derive and destroy. */
    for (i = 0; o->kx[i] != NULL; i++) {
        REQUIRE(p->kx[i] != NULL);
        CHECK_EQ(p->kx[i]->group, o->kx[i]->group);
        CHECK_EQ(p->kx[i]->pub_len, o->kx[i]->pub_len);
        CHECK_EQ(p->kx[i]->secret_len, o->kx[i]->secret_len);
        CHECK(strcmp(p->kx[i]->name, o->kx[i]->name) == 0);
        CHECK(p->kx[i]->keygen != o->kx[i]->keygen);
        CHECK(p->kx[i]->derive == o->kx[i]->derive);
        CHECK(p->kx[i]->destroy == o->kx[i]->destroy);
    }
    CHECK(p->kx[i] == NULL);
    CHECK(latch_provider_kx(p, LATCH_GROUP_X25519) == p->kx[0]);
    latch__testprov_free(tp);
    latch__testprov_free(NULL);
    CHECK(latch__testprov_provider(NULL) == NULL);
}

/* ---- The seeded stream ----------------------------------------------------------- */

static void test_same_seed_same_bytes(void)
{
    uint8_t a[300], b[300], c[300], z[300];

    stream(42, a, sizeof a);
    stream(42, b, sizeof b);
    stream(43, c, sizeof c);
    stream(0, z, sizeof z);
    CHECK_MEM(a, sizeof a, b, sizeof b);
    CHECK(memcmp(a, c, sizeof a) != 0);
    CHECK(memcmp(a, z, sizeof a) != 0);
    CHECK(memcmp(a, (const uint8_t[32]){0}, 32) != 0);
    /* Seeds differing only in the high bits differ too (the whole seed is hashed). */
    stream(UINT64_C(42) | (UINT64_C(1) << 63), c, sizeof c);
    CHECK(memcmp(a, c, sizeof a) != 0);
}

/*
 * The stream is pinned down, so that known-answer tests built on it never
 * shift silently: SHA-256(seed || counter) blocks, both as big-endian
 * uint64, computed here with libcrypto's own SHA256().
 */
static void test_stream_definition(void)
{
    const uint64_t seed = UINT64_C(0x0123456789abcdef);
    uint8_t got[32 * 3], want[32 * 3], in[16];

    stream(seed, got, sizeof got);
    for (uint64_t ctr = 0; ctr < 3; ctr++) {
        for (int i = 0; i < 8; i++) {
            in[i] = (uint8_t)(seed >> (56 - 8 * i));
            in[8 + i] = (uint8_t)(ctr >> (56 - 8 * i));
        }
        SHA256(in, sizeof in, want + 32 * ctr);
    }
    CHECK_MEM(got, sizeof got, want, sizeof want);
}

/* Bytes come out the same however the draws are split. */
static void test_stream_split(void)
{
    static const size_t splits[] = {1, 31, 0, 33, 32, 64, 3, 100, 36};
    uint8_t want[300], got[300];
    latch_testprov *tp = make(7);
    size_t off = 0;

    REQUIRE(tp != NULL);
    stream(7, want, sizeof want);
    for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
        CHECK_OK(draw(tp, got + off, splits[i]));
        off += splits[i];
    }
    REQUIRE(off == sizeof got);
    CHECK_MEM(got, sizeof got, want, sizeof want);
    latch__testprov_free(tp);
}

/* Reseeding restarts the stream exactly, drops queued bytes, and may switch seeds. */
static void test_reseed(void)
{
    static const uint8_t pushed[5] = {1, 2, 3, 4, 5};
    uint8_t want7[100], want9[100], got[100];
    latch_testprov *tp = make(7);

    REQUIRE(tp != NULL);
    stream(7, want7, sizeof want7);
    stream(9, want9, sizeof want9);
    CHECK_OK(draw(tp, got, 45));
    CHECK_OK(latch__testprov_push_random(tp, pushed, sizeof pushed));
    latch__testprov_reseed(tp, 7);
    CHECK_OK(draw(tp, got, sizeof got));
    CHECK_MEM(got, sizeof got, want7, sizeof want7);
    latch__testprov_reseed(tp, 9);
    CHECK_OK(draw(tp, got, sizeof got));
    CHECK_MEM(got, sizeof got, want9, sizeof want9);
    /* Pushing still works after a reseed, and comes first. */
    latch__testprov_reseed(tp, 7);
    CHECK_OK(latch__testprov_push_random(tp, pushed, sizeof pushed));
    CHECK_OK(draw(tp, got, 5 + 10));
    CHECK_MEM(got, 5, pushed, sizeof pushed);
    CHECK_MEM(got + 5, 10, want7, 10);
    latch__testprov_reseed(NULL, 1);
    latch__testprov_free(tp);
}

/* ---- Pushed bytes --------------------------------------------------------------- */

/* Queued bytes come first, in order, split across draws; then the stream starts at its beginning. */
static void test_push_first(void)
{
    latch_testprov *tp = make(5);
    uint8_t s[64], got[16];

    REQUIRE(tp != NULL);
    stream(5, s, sizeof s);
    CHECK_OK(latch__testprov_push_random(tp, (const uint8_t *)"abc", 3));
    CHECK_OK(latch__testprov_push_random(tp, (const uint8_t *)"defg", 4));
    CHECK_OK(latch__testprov_push_random(tp, NULL, 0));
    CHECK_OK(draw(tp, got, 2));
    CHECK_MEM(got, 2, "ab", 2);
    CHECK_OK(draw(tp, got, 3));
    CHECK_MEM(got, 3, "cde", 3);
    CHECK_OK(draw(tp, got, 4)); /* the rest of the queue, then the stream */
    CHECK_MEM(got, 2, "fg", 2);
    CHECK_MEM(got + 2, 2, s, 2);
    CHECK_OK(draw(tp, got, 10));
    CHECK_MEM(got, 10, s + 2, 10);

    /* Pushing in mid-stream: the queue first again, then the stream goes on where it stood. */
    CHECK_OK(latch__testprov_push_random(tp, (const uint8_t *)"XY", 2));
    CHECK_OK(draw(tp, got, 5));
    CHECK_MEM(got, 2, "XY", 2);
    CHECK_MEM(got + 2, 3, s + 12, 3);
    latch__testprov_free(tp);
}

/* A push while bytes are still queued appends to them; a big push grows the queue. */
static void test_push_append_and_grow(void)
{
    static uint8_t big[10000], got[10000];
    latch_testprov *tp = make(9);
    uint8_t s[8], small[4];

    REQUIRE(tp != NULL);
    stream(9, s, sizeof s);
    for (size_t i = 0; i < sizeof big; i++) {
        big[i] = (uint8_t)(i ^ (i >> 8));
    }
    CHECK_OK(latch__testprov_push_random(tp, big, 100));
    CHECK_OK(draw(tp, got, 60));
    CHECK_OK(latch__testprov_push_random(tp, big + 100, sizeof big - 100)); /* 40 still queued */
    CHECK_OK(draw(tp, got + 60, sizeof big - 60));
    CHECK_MEM(got, sizeof big, big, sizeof big);
    CHECK_OK(draw(tp, small, 4));
    CHECK_MEM(small, 4, s, 4);

    /* Many small pushes, drained in odd pieces. */
    for (size_t i = 0; i < 1000; i++) {
        CHECK_OK(latch__testprov_push_random(tp, big + 7 * i, 7));
    }
    for (size_t off = 0; off < 7000; off += 13) {
        CHECK_OK(draw(tp, got + off, 7000 - off < 13 ? 7000 - off : 13));
    }
    CHECK_MEM(got, 7000, big, 7000);
    CHECK_OK(draw(tp, small, 4));
    CHECK_MEM(small, 4, s + 4, 4);
    latch__testprov_free(tp); /* nothing queued left: nothing to leak */

    /* Freeing with bytes still queued releases them too (LSan). */
    tp = make(9);
    REQUIRE(tp != NULL);
    CHECK_OK(latch__testprov_push_random(tp, big, sizeof big));
    latch__testprov_free(tp);
}

static void test_push_bad_arguments(void)
{
    latch_testprov *tp = make(1);

    REQUIRE(tp != NULL);
    CHECK_ERR(latch__testprov_push_random(NULL, (const uint8_t *)"a", 1), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__testprov_push_random(tp, NULL, 1), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_OK(latch__testprov_push_random(tp, NULL, 0));
    latch__testprov_free(tp);
}

/* ---- Key exchange ------------------------------------------------------------- */

/*
 * RFC 8448 §3 replayed: with the client random and then the client's x25519
 * private key queued, the client draws its random and makes its key share;
 * the public key is the RFC's, and deriving with the server's public key
 * gives the (EC)DHE secret the RFC feeds into "extract secret handshake".
 */
static void test_rfc8448_client_x25519(void)
{
    size_t priv_len, pub_len, spub_len, ikm_len, ch_len;
    const uint8_t *priv = rfc8448(3, "client", "create an ephemeral x25519 key pair", "private key", 0, &priv_len);
    const uint8_t *pub = rfc8448(3, "client", "create an ephemeral x25519 key pair", "public key", 0, &pub_len);
    const uint8_t *spub = rfc8448(3, "server", "create an ephemeral x25519 key pair", "public key", 0, &spub_len);
    const uint8_t *ikm = rfc8448(3, "server", "extract secret \"handshake\"", "IKM", 0, &ikm_len);
    const uint8_t *ch = rfc8448(3, "client", "construct a ClientHello handshake message", "ClientHello", 0, &ch_len);
    latch_testprov *tp = make(1);
    const latch_provider *p;
    const latch_kx_alg *alg;
    latch_kx_key *key = NULL;
    uint8_t random[32], got_pub[32], secret[32];

    REQUIRE(tp != NULL);
    REQUIRE(priv_len == 32 && pub_len == 32 && spub_len == 32 && ikm_len == 32 && ch_len > 38);
    p = latch__testprov_provider(tp);
    alg = latch_provider_kx(p, LATCH_GROUP_X25519);
    REQUIRE(alg != NULL);

    /* ClientHello: msg_type(1) length(3) legacy_version(2) random(32) ... */
    CHECK_OK(latch__testprov_push_random(tp, ch + 6, 32));
    CHECK_OK(latch__testprov_push_random(tp, priv, 32));
    CHECK_OK(p->random(p->rng, random, 32));
    CHECK_MEM(random, 32, ch + 6, 32);
    REQUIRE_OK(alg->keygen(alg, p, &key, got_pub));
    CHECK_MEM(got_pub, 32, pub, 32);
    memset(secret, 0, sizeof secret);
    CHECK_OK(alg->derive(key, spub, spub_len, secret));
    CHECK_MEM(secret, 32, ikm, 32);
    latch__testprov_free(tp);
}

/* The server's side of the same exchange. */
static void test_rfc8448_server_x25519(void)
{
    size_t priv_len, pub_len, cpub_len, ikm_len;
    const uint8_t *priv = rfc8448(3, "server", "create an ephemeral x25519 key pair", "private key", 0, &priv_len);
    const uint8_t *pub = rfc8448(3, "server", "create an ephemeral x25519 key pair", "public key", 0, &pub_len);
    const uint8_t *cpub = rfc8448(3, "client", "create an ephemeral x25519 key pair", "public key", 0, &cpub_len);
    const uint8_t *ikm = rfc8448(3, "server", "extract secret \"handshake\"", "IKM", 0, &ikm_len);
    latch_testprov *tp = make(2);
    const latch_provider *p;
    const latch_kx_alg *alg;
    latch_kx_key *key = NULL;
    uint8_t got_pub[32], secret[32];

    REQUIRE(tp != NULL);
    REQUIRE(priv_len == 32 && pub_len == 32 && cpub_len == 32 && ikm_len == 32);
    p = latch__testprov_provider(tp);
    alg = latch_provider_kx(p, LATCH_GROUP_X25519);
    REQUIRE(alg != NULL);
    CHECK_OK(latch__testprov_push_random(tp, priv, 32));
    REQUIRE_OK(alg->keygen(alg, p, &key, got_pub));
    CHECK_MEM(got_pub, 32, pub, 32);
    CHECK_OK(alg->derive(key, cpub, cpub_len, secret));
    CHECK_MEM(secret, 32, ikm, 32);
    latch__testprov_free(tp);
}

/*
 * NIST keygen draws a scalar of the curve's size and draws again while it is
 * outside [1, n-1]: with all-ones (>= n) and zero queued before scalar 1,
 * the key is the one of scalar 1, whose public key is the base point G.
 * Exactly those bytes are consumed: the stream is still at its start.
 */
static void test_nist_keygen_redraws(void)
{
    static const struct {
        uint16_t group;
        size_t len;
        const char *g;
    } curves[] = {
        {LATCH_GROUP_SECP256R1, 32,
         "04 6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
         "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"},
        {LATCH_GROUP_SECP384R1, 48,
         "04 aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7"
         "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f"},
    };

    for (size_t c = 0; c < 2; c++) {
        latch_testprov *tp = make(3);
        const latch_provider *p;
        const latch_kx_alg *alg;
        latch_kx_key *key = NULL;
        uint8_t ones[48], zeros[48], one[48], g[LATCH_KX_MAX_PUB], pub[LATCH_KX_MAX_PUB], s[8], got[8];
        size_t g_len = latch_test_unhex(curves[c].g, g, sizeof g);

        REQUIRE(tp != NULL);
        p = latch__testprov_provider(tp);
        alg = latch_provider_kx(p, curves[c].group);
        REQUIRE(alg != NULL && g_len == alg->pub_len);
        memset(ones, 0xFF, sizeof ones);
        memset(zeros, 0, sizeof zeros);
        memset(one, 0, sizeof one);
        one[curves[c].len - 1] = 1;
        CHECK_OK(latch__testprov_push_random(tp, ones, curves[c].len));
        CHECK_OK(latch__testprov_push_random(tp, zeros, curves[c].len));
        CHECK_OK(latch__testprov_push_random(tp, one, curves[c].len));
        REQUIRE_OK(alg->keygen(alg, p, &key, pub));
        CHECK_MEM(pub, alg->pub_len, g, g_len);
        alg->destroy(key);
        stream(3, s, sizeof s);
        CHECK_OK(p->random(p->rng, got, sizeof got));
        CHECK_MEM(got, sizeof got, s, sizeof s);
        latch__testprov_free(tp);
    }
}

/* Same seed, same key pairs; different seed, different ones; and the keys work with each other. */
static void test_keygen_deterministic(void)
{
    latch_testprov *a = make(11), *b = make(11), *c = make(12);

    REQUIRE(a != NULL && b != NULL && c != NULL);
    for (size_t i = 0; i < 3; i++) {
        const latch_provider *pa = latch__testprov_provider(a), *pb = latch__testprov_provider(b),
                             *pc = latch__testprov_provider(c);
        const latch_kx_alg *alg = pa->kx[i];
        latch_kx_key *ka = NULL, *kb = NULL, *kc = NULL;
        uint8_t puba[LATCH_KX_MAX_PUB], pubb[LATCH_KX_MAX_PUB], pubc[LATCH_KX_MAX_PUB];
        uint8_t sa[LATCH_KX_MAX_SECRET], sc[LATCH_KX_MAX_SECRET];

        REQUIRE(alg != NULL);
        REQUIRE_OK(alg->keygen(alg, pa, &ka, puba));
        REQUIRE_OK(alg->keygen(alg, pb, &kb, pubb));
        REQUIRE_OK(alg->keygen(alg, pc, &kc, pubc));
        CHECK_MEM(puba, alg->pub_len, pubb, alg->pub_len);
        CHECK(memcmp(puba, pubc, alg->pub_len) != 0);
        alg->destroy(kb);
        CHECK_OK(alg->derive(ka, pubc, alg->pub_len, sa));
        CHECK_OK(alg->derive(kc, puba, alg->pub_len, sc));
        CHECK_MEM(sa, alg->secret_len, sc, alg->secret_len);
        /* A bad peer key is refused as by the OpenSSL provider, and the key is consumed. */
        REQUIRE_OK(alg->keygen(alg, pc, &kc, pubc)); /* c only, so that a and b stay in step */
        CHECK_ERR(alg->derive(kc, pubc, alg->pub_len - 1, sc), LATCH_ERR_BAD_KEY_SHARE);
    }
    latch__testprov_free(a);
    latch__testprov_free(b);
    latch__testprov_free(c);
}

/* keygen draws from the provider it is given, which a test can swap for a broken one. */
static latch_err zero_random(void *rng, uint8_t *out, size_t n)
{
    (*(int *)rng)++;
    memset(out, 0, n);
    return LATCH_OK;
}

static latch_err failing_random(void *rng, uint8_t *out, size_t n)
{
    (void)rng;
    (void)out;
    (void)n;
    return LATCH_ERR_RANDOM;
}

static void test_keygen_broken_random(void)
{
    latch_testprov *tp = make(1);
    const latch_provider *p;
    latch_provider zero, failing;
    int calls = 0;
    uint8_t pub[LATCH_KX_MAX_PUB];

    REQUIRE(tp != NULL);
    p = latch__testprov_provider(tp);
    zero = *p;
    zero.random = zero_random;
    zero.rng = &calls;
    failing = *p;
    failing.random = failing_random;
    for (size_t i = 0; p->kx[i] != NULL; i++) {
        const latch_kx_alg *alg = p->kx[i];
        latch_kx_key *key = (latch_kx_key *)(uintptr_t)1;

        calls = 0;
        if (alg->group == LATCH_GROUP_X25519) {
            /* Any 32 bytes are an X25519 private key (RFC 7748 §5 clamps them). */
            CHECK_OK(alg->keygen(alg, &zero, &key, pub));
            CHECK_EQ(calls, 1);
            alg->destroy(key);
        } else {
            /* Scalar 0 forever: keygen gives up rather than spin. */
            CHECK_ERR(alg->keygen(alg, &zero, &key, pub), LATCH_ERR_RANDOM);
            CHECK(calls > 1);
            CHECK(key == NULL);
        }
        key = (latch_kx_key *)(uintptr_t)1;
        CHECK_ERR(alg->keygen(alg, &failing, &key, pub), LATCH_ERR_RANDOM);
        CHECK(key == NULL);
        CHECK_ERR(alg->keygen(alg, NULL, &key, pub), LATCH_ERR_INVALID_ARGUMENT);
        CHECK(key == NULL);
    }
    latch__testprov_free(tp);
}

static const latch_test cases[] = {
    TEST(test_tables),
    TEST(test_same_seed_same_bytes),
    TEST(test_stream_definition),
    TEST(test_stream_split),
    TEST(test_reseed),
    TEST(test_push_first),
    TEST(test_push_append_and_grow),
    TEST(test_push_bad_arguments),
    TEST(test_rfc8448_client_x25519),
    TEST(test_rfc8448_server_x25519),
    TEST(test_nist_keygen_redraws),
    TEST(test_keygen_deterministic),
    TEST(test_keygen_broken_random),
    {0},
};

LATCH_TEST_MAIN(cases)
