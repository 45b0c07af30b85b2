/*
 * Key exchange for the OpenSSL provider: X25519, secp256r1, secp384r1.
 *
 * Public keys travel as RFC 8446 §4.2.8.2 says: X25519 as 32 raw bytes, the
 * NIST curves as an uncompressed point (0x04 || X || Y), nothing else.
 */
#include "provider/ossl/ossl.h"

#include "core/ct.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <stdatomic.h>
#include <string.h>

struct latch_kx_key {
    const latch_kx_alg *alg;
    EVP_PKEY *pkey;
    EVP_PKEY_CTX *dctx; /* X25519: a derive context for pkey, made with it (see x25519_key) */
};

static int is_x25519(const latch_kx_alg *alg)
{
    return alg->group == LATCH_GROUP_X25519;
}

static const char *curve_name(const latch_kx_alg *alg)
{
    switch (alg->group) {
    case LATCH_GROUP_SECP256R1: return "P-256";
    case LATCH_GROUP_SECP384R1: return "P-384";
    default: return NULL;
    }
}

static latch_err wrap(const latch_kx_alg *alg, EVP_PKEY *pkey, latch_kx_key **key, uint8_t *pub)
{
    latch_kx_key *k;
    size_t n = alg->pub_len;

    /* The NIST curves' keys (X25519's are made by x25519_key). */
    if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pub, alg->pub_len, &n) != 1 ||
        n != alg->pub_len || pub[0] != 0x04) {
        EVP_PKEY_free(pkey);
        return LATCH_ERR_CRYPTO;
    }
    k = OPENSSL_zalloc(sizeof *k);
    if (k == NULL) {
        EVP_PKEY_free(pkey);
        return LATCH_ERR_NO_MEMORY;
    }
    k->alg = alg;
    k->pkey = pkey;
    *key = k;
    return LATCH_OK;
}

/*
 * Keygen contexts (P-256, P-384) and X25519 import contexts (see
 * x25519_key), kept for reuse. EVP_PKEY_Q_keygen fetches the key
 * management and builds and initialises a context on every call: for P-256
 * that setup costs more than the keygen itself (about 27 µs against 12 µs
 * with a reused context, measured here; X25519 about 2 µs of 40).
 *
 * An EVP_PKEY_CTX must not be used by two threads at once, so a context is
 * taken out of a slot for one keygen and put back afterwards, with atomic
 * exchanges: no lock (nothing to go wrong across fork()), no per-thread
 * state to clean up. When every slot of the group is empty (more concurrent
 * keygens than slots) a thread makes a new context; when every slot is full
 * it frees the one it used. The slots live as long as the process, like the
 * algorithms ossl.c fetches once. A context holds no key and no randomness
 * (libcrypto's DRBG is per thread and reseeds after fork()).
 */
#define KX_GEN_SLOTS 8
#define KX_GROUPS 3
static _Atomic(EVP_PKEY_CTX *) gen_slots[KX_GROUPS][KX_GEN_SLOTS];

static size_t group_index(const latch_kx_alg *alg)
{
    switch (alg->group) {
    case LATCH_GROUP_SECP256R1: return 1;
    case LATCH_GROUP_SECP384R1: return 2;
    default: return 0; /* X25519 */
    }
}

static EVP_PKEY_CTX *gen_ctx_new(const latch_kx_alg *alg)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, is_x25519(alg) ? "X25519" : "EC", NULL);

    if (ctx == NULL || (is_x25519(alg) && EVP_PKEY_fromdata_init(ctx) != 1) ||
        (!is_x25519(alg) && (EVP_PKEY_keygen_init(ctx) != 1 ||
                             EVP_PKEY_CTX_set_group_name(ctx, curve_name(alg)) != 1))) {
        EVP_PKEY_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

static EVP_PKEY_CTX *gen_ctx_take(const latch_kx_alg *alg)
{
    _Atomic(EVP_PKEY_CTX *) *slots = gen_slots[group_index(alg)];

    for (size_t i = 0; i < KX_GEN_SLOTS; i++) {
        EVP_PKEY_CTX *ctx = atomic_exchange_explicit(&slots[i], NULL, memory_order_acquire);

        if (ctx != NULL) {
            return ctx;
        }
    }
    return gen_ctx_new(alg);
}

static void gen_ctx_put(const latch_kx_alg *alg, EVP_PKEY_CTX *ctx)
{
    _Atomic(EVP_PKEY_CTX *) *slots = gen_slots[group_index(alg)];

    for (size_t i = 0; i < KX_GEN_SLOTS; i++) {
        EVP_PKEY_CTX *empty = NULL;

        if (atomic_compare_exchange_strong_explicit(&slots[i], &empty, ctx, memory_order_release,
                                                    memory_order_relaxed)) {
            return;
        }
    }
    EVP_PKEY_CTX_free(ctx);
}

/*
 * An X25519 key from its 32 private bytes. Any 32 bytes are a private key
 * (RFC 7748 §5: X25519 clamps them itself) and the public key is
 * X25519(priv, 9) (§6.1). libcrypto 3.0 computes the public key of a key it
 * generates or imports with generic fixed-base C code, about 38 µs here,
 * while its X25519 function proper, the Montgomery ladder (in assembly on
 * x86-64), takes about 32 µs. So the key is imported with a placeholder
 * public value, all zeros, which nothing reads (a derivation uses only our
 * private key and the peer's public key), and the real public key is
 * computed as X25519(priv, 9) by a derive context that the key keeps for its
 * exchange: one context per key instead of two. About 6 µs less per
 * handshake and side.
 */
static latch_err x25519_key(const latch_kx_alg *alg, const uint8_t *priv, latch_kx_key **key, uint8_t *pub)
{
    const latch_ossl_algs *a = latch__ossl_algs();
    uint8_t placeholder[32] = {0};
    OSSL_PARAM params[3];
    EVP_PKEY_CTX *ictx, *dctx = NULL;
    EVP_PKEY *pkey = NULL;
    latch_kx_key *k = NULL;
    size_t n = alg->pub_len;

    *key = NULL;
    if (a == NULL || alg->pub_len != sizeof placeholder) {
        return LATCH_ERR_CRYPTO;
    }
    ictx = gen_ctx_take(alg);
    if (ictx == NULL) {
        return LATCH_ERR_CRYPTO;
    }
    params[0] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PRIV_KEY, (void *)(uintptr_t)priv, 32);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, placeholder, sizeof placeholder);
    params[2] = OSSL_PARAM_construct_end();
    if (EVP_PKEY_fromdata(ictx, &pkey, EVP_PKEY_KEYPAIR, params) != 1) {
        EVP_PKEY_CTX_free(ictx); /* not put back in an unknown state */
        return LATCH_ERR_CRYPTO;
    }
    gen_ctx_put(alg, ictx);
    dctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    k = OPENSSL_zalloc(sizeof *k);
    if (dctx == NULL || k == NULL || EVP_PKEY_derive_init(dctx) != 1 ||
        EVP_PKEY_derive_set_peer_ex(dctx, a->x25519_base, 0) != 1 || EVP_PKEY_derive(dctx, pub, &n) != 1 ||
        n != alg->pub_len) {
        latch_err e = k == NULL ? LATCH_ERR_NO_MEMORY : LATCH_ERR_CRYPTO;

        EVP_PKEY_CTX_free(dctx);
        EVP_PKEY_free(pkey);
        OPENSSL_free(k);
        return e;
    }
    k->alg = alg;
    k->pkey = pkey;
    k->dctx = dctx;
    *key = k;
    return LATCH_OK;
}

static latch_err kx_keygen(const latch_kx_alg *alg, const latch_provider *prov, latch_kx_key **key, uint8_t *pub)
{
    EVP_PKEY_CTX *ctx;
    EVP_PKEY *pkey = NULL;
    int ok;

    (void)prov; /* libcrypto draws from its own DRBG */
    *key = NULL;
    if (is_x25519(alg)) {
        uint8_t priv[32];
        latch_err e;

        /* The private DRBG, which libcrypto's own keygen would use. */
        if (RAND_priv_bytes(priv, sizeof priv) != 1) {
            return LATCH_ERR_RANDOM;
        }
        e = x25519_key(alg, priv, key, pub);
        OPENSSL_cleanse(priv, sizeof priv);
        return e;
    }
    ctx = gen_ctx_take(alg);
    if (ctx == NULL) {
        return LATCH_ERR_CRYPTO;
    }
    ok = EVP_PKEY_keygen(ctx, &pkey);
    if (ok != 1) {
        /* Do not put back a context in an unknown state. */
        EVP_PKEY_CTX_free(ctx);
        EVP_PKEY_free(pkey);
        return LATCH_ERR_CRYPTO;
    }
    gen_ctx_put(alg, ctx);
    return wrap(alg, pkey, key, pub);
}

void latch__ossl_kx_destroy(latch_kx_key *key)
{
    if (key == NULL) {
        return;
    }
    EVP_PKEY_CTX_free(key->dctx);
    EVP_PKEY_free(key->pkey); /* libcrypto cleanses private key material */
    OPENSSL_clear_free(key, sizeof *key);
}

/*
 * X25519 peer keys, kept for reuse in slots like the contexts above: a new
 * EVP_PKEY costs about 2.5 µs in libcrypto 3.0 (mostly looking up the key
 * type's names), replacing the 32 bytes of a kept one 0.04 µs. A key is
 * taken out of a slot for one derivation and put back once the derive
 * context that referenced it is freed, so no two threads ever share one.
 */
static _Atomic(EVP_PKEY *) x25519_peer_slots[KX_GEN_SLOTS];

static EVP_PKEY *x25519_peer_take(const uint8_t *peer)
{
    for (size_t i = 0; i < KX_GEN_SLOTS; i++) {
        EVP_PKEY *pk = atomic_exchange_explicit(&x25519_peer_slots[i], NULL, memory_order_acquire);

        if (pk != NULL) {
            if (EVP_PKEY_set1_encoded_public_key(pk, peer, 32) != 1) {
                EVP_PKEY_free(pk);
                return NULL;
            }
            return pk;
        }
    }
    return EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer, 32);
}

static void x25519_peer_put(EVP_PKEY *pk)
{
    for (size_t i = 0; pk != NULL && i < KX_GEN_SLOTS; i++) {
        EVP_PKEY *empty = NULL;

        if (atomic_compare_exchange_strong_explicit(&x25519_peer_slots[i], &empty, pk, memory_order_release,
                                                    memory_order_relaxed)) {
            return;
        }
    }
    EVP_PKEY_free(pk);
}

/*
 * The peer's public key: for X25519 a kept key (above); for the NIST
 * curves a new key of the same type and group as ours, copying our key's
 * parameters (no name lookup, unlike EVP_PKEY_new_raw_public_key, which
 * fetches the key management every time: 1.3 us against 2.9 us here), then
 * the encoded point.
 */
static EVP_PKEY *peer_key(const latch_kx_alg *alg, const EVP_PKEY *own, const uint8_t *peer, size_t peer_len)
{
    EVP_PKEY *pk;

    if (peer_len != alg->pub_len) {
        return NULL;
    }
    if (is_x25519(alg)) {
        return x25519_peer_take(peer);
    }
    /* RFC 8446 §4.2.8.2: only the uncompressed form, legacy_form = 4. */
    if (peer[0] != 0x04) {
        return NULL;
    }
    pk = EVP_PKEY_new();
    if (pk == NULL || EVP_PKEY_copy_parameters(pk, own) != 1 ||
        EVP_PKEY_set1_encoded_public_key(pk, peer, peer_len) != 1) {
        EVP_PKEY_free(pk);
        return NULL;
    }
    return pk;
}

latch_err latch__ossl_kx_derive(latch_kx_key *key, const uint8_t *peer, size_t peer_len, uint8_t *secret)
{
    static const uint8_t zeros[LATCH_KX_MAX_SECRET];
    const latch_kx_alg *alg;
    EVP_PKEY *pk;
    EVP_PKEY_CTX *ctx = NULL;
    size_t n;
    latch_err e = LATCH_ERR_BAD_KEY_SHARE;

    if (key == NULL) {
        return LATCH_ERR_INVALID_ARGUMENT;
    }
    alg = key->alg;
    n = alg->secret_len;
    /*
     * A bad key share is the peer's doing and is answered with our own code;
     * libcrypto's errors for it are dropped (ERR_pop_to_mark below) so that
     * the thread's error queue is left as we found it, or the application's
     * next OpenSSL call (libssl's SSL_get_error, say) would see them.
     */
    ERR_set_mark();
    pk = peer_key(alg, key->pkey, peer, peer_len);
    if (pk == NULL) {
        goto out;
    }
    ctx = key->dctx; /* X25519: the context that computed our public key */
    key->dctx = NULL;
    if (ctx == NULL) {
        ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
        if (ctx == NULL || EVP_PKEY_derive_init(ctx) != 1) {
            e = LATCH_ERR_CRYPTO;
            goto out;
        }
    }
    /*
     * validate_peer = 0: peer_key() has already done every check RFC 8446
     * §4.2.8.2 asks for. For the NIST curves: the exact length and the
     * uncompressed form (checked there), coordinates below p and the point on
     * the curve (EVP_PKEY_set1_encoded_public_key refuses anything else), and
     * not the point at infinity (0x04 || X || Y cannot encode it). P-256 and
     * P-384 have cofactor 1, so every such point generates the whole group;
     * libcrypto's full check would only add a scalar multiplication by the
     * group order (about 45 µs for P-256 here) to prove it again. For X25519
     * any 32 bytes are a public key (RFC 7748 §5); the low-order points are
     * caught by the all-zero check below, and libcrypto's X25519 check tests
     * nothing more than the key's presence.
     */
    if (EVP_PKEY_derive_set_peer_ex(ctx, pk, 0) != 1) {
        goto out;
    }
    if (EVP_PKEY_derive(ctx, secret, &n) != 1 || n != alg->secret_len) {
        goto out;
    }
    /* Where latch's secrets are born: everything derived inherits the mark. */
    LATCH_CT_SECRET(secret, n);
    /* RFC 7748 §6.1 / RFC 8446 §7.4.2: refuse an all-zero X25519 result. */
    if (latch_ct_eq(secret, zeros, n)) {
        OPENSSL_cleanse(secret, n);
        goto out;
    }
    e = LATCH_OK;
out:
    EVP_PKEY_CTX_free(ctx); /* drops its reference to pk */
    if (is_x25519(alg)) {
        x25519_peer_put(pk);
    } else {
        EVP_PKEY_free(pk);
    }
    latch__ossl_kx_destroy(key);
    (void)ERR_pop_to_mark();
    return e;
}

latch_err latch__ossl_kx_from_private(const latch_kx_alg *alg, const uint8_t *priv, size_t priv_len,
                                      latch_kx_key **key, uint8_t *pub)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EC_GROUP *group = NULL;
    EC_POINT *point = NULL;
    BIGNUM *d = NULL;
    uint8_t enc[LATCH_KX_MAX_PUB];
    size_t enc_len;
    latch_err e = LATCH_ERR_CRYPTO;

    *key = NULL;
    if (is_x25519(alg)) {
        if (priv_len != 32) {
            return LATCH_ERR_INVALID_ARGUMENT;
        }
        return x25519_key(alg, priv, key, pub);
    }
    if (curve_name(alg) == NULL || priv_len != (size_t)(alg->pub_len - 1) / 2) {
        return LATCH_ERR_INVALID_ARGUMENT;
    }
    group = EC_GROUP_new_by_curve_name(alg->group == LATCH_GROUP_SECP256R1 ? NID_X9_62_prime256v1 : NID_secp384r1);
    /* A secure BIGNUM makes OSSL_PARAM_BLD put the scalar in secure memory,
     * which OSSL_PARAM_free cleanses; a plain one would leave it in freed heap. */
    d = BN_secure_new();
    point = group != NULL ? EC_POINT_new(group) : NULL;
    if (group == NULL || d == NULL || point == NULL || BN_bin2bn(priv, (int)priv_len, d) == NULL) {
        goto out;
    }
    if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(group)) >= 0) {
        e = LATCH_ERR_INVALID_ARGUMENT;
        goto out;
    }
    if (EC_POINT_mul(group, point, d, NULL, NULL, NULL) != 1) {
        goto out;
    }
    enc_len = EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, enc, sizeof enc, NULL);
    if (enc_len != alg->pub_len) {
        goto out;
    }
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL || OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve_name(alg), 0) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, enc, enc_len) != 1) {
        goto out;
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params) != 1) {
        goto out;
    }
    e = wrap(alg, pkey, key, pub);
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EC_POINT_free(point);
    BN_clear_free(d);
    EC_GROUP_free(group);
    OPENSSL_cleanse(enc, sizeof enc);
    return e;
}

static const latch_kx_alg kx_x25519 = {
    LATCH_GROUP_X25519, 32, 32, "x25519", kx_keygen, latch__ossl_kx_derive, latch__ossl_kx_destroy,
};

static const latch_kx_alg kx_p256 = {
    LATCH_GROUP_SECP256R1, 65, 32, "secp256r1", kx_keygen, latch__ossl_kx_derive, latch__ossl_kx_destroy,
};

static const latch_kx_alg kx_p384 = {
    LATCH_GROUP_SECP384R1, 97, 48, "secp384r1", kx_keygen, latch__ossl_kx_derive, latch__ossl_kx_destroy,
};

const latch_kx_alg *const latch__ossl_kx_table[] = {&kx_x25519, &kx_p256, &kx_p384, NULL};
