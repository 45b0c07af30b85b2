/* The deterministic test provider. See testprov.h. */
#include "provider/test/testprov.h"

#include "core/alloc.h"
#include "core/err.h"
#include "core/wipe.h"
#include "provider/ossl/ossl.h"

#include <string.h>

#define BLOCK_LEN 32 /* one SHA-256 output per stream block */

/*
 * A NIST scalar outside [1, n-1] is drawn again. For P-256 and P-384 that
 * happens with probability below 2^-32 per draw, so hitting this bound means
 * the random source is broken (or a test queued that many bad scalars).
 */
#define MAX_DRAWS 64

struct latch_testprov {
    latch_provider prov; /* prov.rng points back to this struct */
    const latch_hash_alg *sha256;
    uint64_t seed;
    uint64_t counter;         /* index of the next stream block */
    uint8_t block[BLOCK_LEN]; /* current block; its first `used` bytes are spent */
    size_t used;
    uint8_t *queue; /* pushed bytes: queue[head..len) still to return */
    size_t head, len, cap;
};

static void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)(v & 0xFF);
        v >>= 8;
    }
}

/* The next stream block: SHA-256(seed || counter), both big-endian. */
static void next_block(latch_testprov *tp)
{
    uint8_t in[16];
    latch_hash_ctx ctx;

    put_be64(in, tp->seed);
    put_be64(in + 8, tp->counter);
    tp->sha256->init(&ctx);
    tp->sha256->update(&ctx, in, sizeof in);
    tp->sha256->final(&ctx, tp->block);
    latch_wipe(&ctx, sizeof ctx);
    tp->counter++;
    tp->used = 0;
}

static latch_err tp_random(void *rng, uint8_t *out, size_t n)
{
    latch_testprov *tp = rng;

    LATCH_ENSURE(tp != NULL, LATCH_ERR_INVALID_ARGUMENT, "test provider random() called without its state");
    LATCH_ENSURE(out != NULL || n == 0, LATCH_ERR_INVALID_ARGUMENT, "random() called with a NULL output");
    /* Queued bytes first; consumed ones are wiped (they may be private keys). */
    if (tp->head < tp->len) {
        size_t take = tp->len - tp->head < n ? tp->len - tp->head : n;

        memcpy(out, tp->queue + tp->head, take);
        latch_wipe(tp->queue + tp->head, take);
        tp->head += take;
        out += take;
        n -= take;
        if (tp->head == tp->len) {
            tp->head = tp->len = 0;
        }
    }
    while (n > 0) {
        size_t take;

        if (tp->used == BLOCK_LEN) {
            next_block(tp);
        }
        take = BLOCK_LEN - tp->used < n ? BLOCK_LEN - tp->used : n;
        memcpy(out, tp->block + tp->used, take);
        tp->used += take;
        out += take;
        n -= take;
    }
    return LATCH_OK;
}

latch_err latch__testprov_push_random(latch_testprov *tp, const uint8_t *p, size_t n)
{
    LATCH_ENSURE(tp != NULL, LATCH_ERR_INVALID_ARGUMENT, "push_random needs a test provider");
    LATCH_ENSURE(p != NULL || n == 0, LATCH_ERR_INVALID_ARGUMENT, "push_random got NULL bytes with a length");
    if (n == 0) {
        return LATCH_OK;
    }
    if (tp->cap - tp->len < n) {
        /* Grow (and compact): the still-queued bytes move to the front. */
        size_t pending = tp->len - tp->head;
        size_t cap = tp->cap > 64 ? tp->cap : 64;
        uint8_t *q;

        LATCH_ENSURE(n <= SIZE_MAX - pending, LATCH_ERR_NO_MEMORY, "random queue size overflows size_t");
        while (cap < pending + n) {
            LATCH_ENSURE(cap <= SIZE_MAX / 2, LATCH_ERR_NO_MEMORY, "random queue size overflows size_t");
            cap *= 2;
        }
        q = latch__alloc(NULL, cap);
        LATCH_ENSURE(q != NULL, LATCH_ERR_NO_MEMORY, "cannot grow the test provider's random queue");
        if (pending > 0) {
            memcpy(q, tp->queue + tp->head, pending);
        }
        latch__free(NULL, tp->queue, tp->cap); /* wipes what was queued */
        tp->queue = q;
        tp->cap = cap;
        tp->head = 0;
        tp->len = pending;
    }
    memcpy(tp->queue + tp->len, p, n);
    tp->len += n;
    return LATCH_OK;
}

/* Private key length: X25519 takes 32 bytes, NIST curves a scalar of the field size. */
static size_t private_len(const latch_kx_alg *alg)
{
    return alg->group == LATCH_GROUP_X25519 ? 32 : (size_t)(alg->pub_len - 1) / 2;
}

static latch_err tp_kx_keygen(const latch_kx_alg *alg, const latch_provider *prov, latch_kx_key **key,
                              uint8_t *pub)
{
    uint8_t priv[LATCH_KX_MAX_SECRET]; /* a scalar is never longer than the shared secret */
    size_t n = private_len(alg);

    *key = NULL;
    LATCH_ENSURE(prov != NULL && prov->random != NULL, LATCH_ERR_INVALID_ARGUMENT,
                 "test provider keygen needs the provider whose random() it draws from");
    LATCH_ENSURE(n <= sizeof priv, LATCH_ERR_INTERNAL, "private key longer than the keygen buffer");
    for (int draw = 0; draw < MAX_DRAWS; draw++) {
        latch_err e = prov->random(prov->rng, priv, n);

        if (e == LATCH_OK) {
            e = latch__ossl_kx_from_private(alg, priv, n, key, pub);
            if (e == LATCH_ERR_INVALID_ARGUMENT) {
                continue; /* a NIST scalar of 0 or >= n: draw again */
            }
        }
        latch_wipe(priv, sizeof priv);
        LATCH_TRY(e);
        return LATCH_OK;
    }
    latch_wipe(priv, sizeof priv);
    return LATCH_FAIL(LATCH_ERR_RANDOM, "no valid %s private key in %d draws from random()", alg->name, MAX_DRAWS);
}

/* Same groups, lengths, names and order as latch__ossl_kx_table (the tests check it). */
static const latch_kx_alg tp_x25519 = {
    LATCH_GROUP_X25519, 32, 32, "x25519", tp_kx_keygen, latch__ossl_kx_derive, latch__ossl_kx_destroy,
};

static const latch_kx_alg tp_p256 = {
    LATCH_GROUP_SECP256R1, 65, 32, "secp256r1", tp_kx_keygen, latch__ossl_kx_derive, latch__ossl_kx_destroy,
};

static const latch_kx_alg tp_p384 = {
    LATCH_GROUP_SECP384R1, 97, 48, "secp384r1", tp_kx_keygen, latch__ossl_kx_derive, latch__ossl_kx_destroy,
};

static const latch_kx_alg *const tp_kx_table[] = {&tp_x25519, &tp_p256, &tp_p384, NULL};

latch_testprov *latch__testprov_new(uint64_t seed)
{
    latch_testprov *tp;

    if (latch_provider_openssl() == NULL) {
        return NULL;
    }
    tp = latch__alloc(NULL, sizeof *tp);
    if (tp == NULL) {
        return NULL;
    }
    tp->prov.name = "test";
    tp->prov.random = tp_random;
    tp->prov.rng = tp;
    tp->prov.hash = latch__ossl_hash_table;
    tp->prov.aead = latch__ossl_aead_table;
    tp->prov.kx = tp_kx_table;
    tp->prov.sig = latch__ossl_sig_table;
    tp->prov.pkey_info = latch__ossl_pkey_info;
    tp->prov.rsa_encrypt = latch__ossl_rsa_encrypt;
    tp->prov.rsa_decrypt_tls = latch__ossl_rsa_decrypt_tls;
    tp->sha256 = latch_provider_hash(&tp->prov, LATCH_HASH_SHA256);
    tp->seed = seed;
    tp->counter = 0;
    tp->used = BLOCK_LEN; /* no block yet: the first byte computes block 0 */
    return tp;
}

void latch__testprov_reseed(latch_testprov *tp, uint64_t seed)
{
    if (tp == NULL) {
        return;
    }
    if (tp->queue != NULL) {
        latch_wipe(tp->queue, tp->cap);
    }
    tp->head = tp->len = 0;
    latch_wipe(tp->block, sizeof tp->block);
    tp->seed = seed;
    tp->counter = 0;
    tp->used = BLOCK_LEN; /* no block yet: the first byte computes block 0 */
}

void latch__testprov_free(latch_testprov *tp)
{
    if (tp == NULL) {
        return;
    }
    latch__free(NULL, tp->queue, tp->cap);
    latch__free(NULL, tp, sizeof *tp);
}

const latch_provider *latch__testprov_provider(latch_testprov *tp)
{
    return tp == NULL ? NULL : &tp->prov;
}
