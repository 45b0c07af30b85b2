/* HMAC and HKDF over the provider's hashes. See hkdf.h. */
#include "provider/hkdf.h"

#include "core/wipe.h"

#include <string.h>

void latch_hmac_init(latch_hmac *h, const latch_hash_alg *hash, const uint8_t *key, size_t key_len)
{
    uint8_t pad[LATCH_HASH_MAX_BLOCK];
    uint8_t kh[LATCH_HASH_MAX_LEN];
    size_t bl = hash->block_len;

    h->hash = hash;
    if (key_len > bl) {
        hash->init(&h->inner);
        hash->update(&h->inner, key, key_len);
        hash->final(&h->inner, kh);
        key = kh;
        key_len = hash->digest_len;
    }
    memset(pad, 0x36, bl);
    for (size_t i = 0; i < key_len; i++) {
        pad[i] ^= key[i];
    }
    hash->init(&h->inner);
    hash->update(&h->inner, pad, bl);
    for (size_t i = 0; i < bl; i++) {
        pad[i] ^= 0x36 ^ 0x5c;
    }
    hash->init(&h->outer);
    hash->update(&h->outer, pad, bl);
    latch_wipe(pad, sizeof pad);
    latch_wipe(kh, sizeof kh);
}

void latch_hmac_update(latch_hmac *h, const uint8_t *p, size_t n)
{
    h->hash->update(&h->inner, p, n);
}

void latch_hmac_final(latch_hmac *h, uint8_t *out)
{
    uint8_t d[LATCH_HASH_MAX_LEN];

    h->hash->final(&h->inner, d);
    h->hash->update(&h->outer, d, h->hash->digest_len);
    h->hash->final(&h->outer, out);
    latch_wipe(d, sizeof d);
    latch_hmac_wipe(h);
}

void latch_hmac_wipe(latch_hmac *h)
{
    latch_wipe(&h->inner, sizeof h->inner);
    latch_wipe(&h->outer, sizeof h->outer);
}

void latch_hmac_oneshot(const latch_hash_alg *hash, const uint8_t *key, size_t key_len, const uint8_t *msg,
                size_t msg_len, uint8_t *out)
{
    latch_hmac h;

    latch_hmac_init(&h, hash, key, key_len);
    latch_hmac_update(&h, msg, msg_len);
    latch_hmac_final(&h, out);
}

void latch_hkdf_extract(const latch_hash_alg *hash, const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
                        size_t ikm_len, uint8_t *prk)
{
    static const uint8_t zeros[LATCH_HASH_MAX_LEN];

    if (salt == NULL || salt_len == 0) {
        salt = zeros;
        salt_len = hash->digest_len;
    }
    latch_hmac_oneshot(hash, salt, salt_len, ikm, ikm_len, prk);
}

latch_err latch_hkdf_expand_keyed(const latch_hmac *keyed, const uint8_t *info, size_t info_len, uint8_t *out,
                                  size_t len)
{
    latch_hmac h;
    uint8_t t[LATCH_HASH_MAX_LEN];
    size_t dl = keyed->hash->digest_len, done = 0, tlen = 0;
    uint8_t counter = 1;

    if (len > 255 * dl) {
        return LATCH_ERR_INVALID_ARGUMENT;
    }
    while (done < len) {
        size_t take;

        h = *keyed;
        latch_hmac_update(&h, t, tlen);
        latch_hmac_update(&h, info, info_len);
        latch_hmac_update(&h, &counter, 1);
        latch_hmac_final(&h, t);
        tlen = dl;
        take = (len - done < dl) ? len - done : dl;
        memcpy(out + done, t, take);
        done += take;
        counter++;
    }
    latch_wipe(t, sizeof t);
    return LATCH_OK;
}

latch_err latch_hkdf_expand(const latch_hash_alg *hash, const uint8_t *prk, size_t prk_len, const uint8_t *info,
                            size_t info_len, uint8_t *out, size_t len)
{
    latch_hmac keyed;
    latch_err e;

    if (len > 255 * (size_t)hash->digest_len) {
        return LATCH_ERR_INVALID_ARGUMENT;
    }
    latch_hmac_init(&keyed, hash, prk, prk_len);
    e = latch_hkdf_expand_keyed(&keyed, info, info_len, out, len);
    latch_hmac_wipe(&keyed);
    return e;
}
