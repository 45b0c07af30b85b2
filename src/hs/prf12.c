/* The TLS 1.2 PRF. See prf12.h. */
#include "hs/prf12.h"

#include "core/err.h"
#include "core/wipe.h"
#include "provider/hkdf.h"

#include <string.h>

/* Feed label + seed1 + seed2, the PRF's "seed" of P_hash (RFC 5246 §5). */
static void feed_seed(latch_hmac *h, const char *label, size_t label_len, const uint8_t *s1, size_t n1,
                      const uint8_t *s2, size_t n2)
{
    latch_hmac_update(h, (const uint8_t *)label, label_len);
    latch_hmac_update(h, s1, n1);
    latch_hmac_update(h, s2, n2);
}

latch_err latch_prf12(const latch_hash_alg *hash, const uint8_t *secret, size_t secret_len, const char *label,
                      const uint8_t *seed1, size_t seed1_len, const uint8_t *seed2, size_t seed2_len, uint8_t *out,
                      size_t out_len)
{
    latch_hmac keyed, h;
    uint8_t a[LATCH_HASH_MAX_LEN], block[LATCH_HASH_MAX_LEN];
    size_t dl, label_len, done = 0;

    LATCH_ENSURE(hash != NULL && label != NULL && (out != NULL || out_len == 0), LATCH_ERR_INVALID_ARGUMENT,
                 "PRF: hash, label and output are required");
    LATCH_ENSURE((seed1 != NULL || seed1_len == 0) && (seed2 != NULL || seed2_len == 0) &&
                     (secret != NULL || secret_len == 0),
                 LATCH_ERR_INVALID_ARGUMENT, "PRF: a NULL secret or seed with a non-zero length");
    dl = hash->digest_len;
    label_len = strlen(label);
    /* The secret keys every HMAC below: hash its pads once and fork. */
    latch_hmac_init(&keyed, hash, secret, secret_len);
    /* A(1) = HMAC(secret, A(0)), A(0) = seed. */
    h = keyed;
    feed_seed(&h, label, label_len, seed1, seed1_len, seed2, seed2_len);
    latch_hmac_final(&h, a);
    while (done < out_len) {
        size_t take = out_len - done < dl ? out_len - done : dl;

        /* HMAC(secret, A(i) + seed) is the next block of output. */
        h = keyed;
        latch_hmac_update(&h, a, dl);
        feed_seed(&h, label, label_len, seed1, seed1_len, seed2, seed2_len);
        latch_hmac_final(&h, block);
        memcpy(out + done, block, take);
        done += take;
        if (done < out_len) {
            /* A(i+1) = HMAC(secret, A(i)). */
            h = keyed;
            latch_hmac_update(&h, a, dl);
            latch_hmac_final(&h, a);
        }
    }
    latch_hmac_wipe(&keyed);
    latch_wipe(a, sizeof a);
    latch_wipe(block, sizeof block);
    return LATCH_OK;
}
