/* The TLS 1.2 key schedule. See keysched12.h. */
#include "hs/keysched12.h"

#include "core/err.h"
#include "hs/prf12.h"

#include <string.h>

latch_err latch_ks12_master(const latch_hash_alg *hash, const uint8_t *pms, size_t pms_len,
                            const uint8_t client_random[32], const uint8_t server_random[32], latch_secret *master)
{
    uint8_t ms[LATCH_MASTER_SECRET_LEN];
    latch_err e;

    LATCH_ENSURE(pms != NULL && client_random != NULL && server_random != NULL && master != NULL,
                 LATCH_ERR_INVALID_ARGUMENT, "master secret: missing input");
    /* RFC 5246 §8.1: PRF(pre_master_secret, "master secret",
     * ClientHello.random + ServerHello.random)[0..47]. */
    e = latch_prf12(hash, pms, pms_len, "master secret", client_random, 32, server_random, 32, ms, sizeof ms);
    if (e == LATCH_OK) {
        latch_secret_set(master, ms, sizeof ms);
    }
    latch_wipe(ms, sizeof ms);
    return e;
}

latch_err latch_ks12_ems(const latch_hash_alg *hash, const uint8_t *pms, size_t pms_len, const uint8_t *session_hash,
                         size_t hash_len, latch_secret *master)
{
    uint8_t ms[LATCH_MASTER_SECRET_LEN];
    latch_err e;

    LATCH_ENSURE(pms != NULL && session_hash != NULL && master != NULL, LATCH_ERR_INVALID_ARGUMENT,
                 "extended master secret: missing input");
    /* RFC 7627 §4: PRF(pre_master_secret, "extended master secret",
     * session_hash)[0..47]. */
    e = latch_prf12(hash, pms, pms_len, "extended master secret", session_hash, hash_len, NULL, 0, ms, sizeof ms);
    if (e == LATCH_OK) {
        latch_secret_set(master, ms, sizeof ms);
    }
    latch_wipe(ms, sizeof ms);
    return e;
}

latch_err latch_ks12_key_block(const latch_hash_alg *hash, const latch_secret *master,
                               const uint8_t client_random[32], const uint8_t server_random[32], uint8_t *out,
                               size_t len)
{
    LATCH_ENSURE(master != NULL && master->len == LATCH_MASTER_SECRET_LEN && client_random != NULL &&
                     server_random != NULL,
                 LATCH_ERR_INVALID_ARGUMENT, "key block: a 48-byte master secret and both randoms are required");
    /* RFC 5246 §6.3: PRF(SecurityParameters.master_secret, "key expansion",
     * SecurityParameters.server_random + SecurityParameters.client_random). */
    return latch_prf12(hash, master->b, master->len, "key expansion", server_random, 32, client_random, 32, out,
                       len);
}

latch_err latch_ks12_keys(const latch_hash_alg *hash, const latch_secret *master, const uint8_t client_random[32],
                          const uint8_t server_random[32], size_t key_len, size_t iv_len, latch_keys12 *out)
{
    uint8_t kb[2 * LATCH_AEAD_MAX_KEY + 2 * LATCH_AEAD_NONCE_LEN];
    latch_err e;

    memset(out, 0, sizeof *out);
    LATCH_ENSURE(key_len > 0 && key_len <= LATCH_AEAD_MAX_KEY && (iv_len == 4 || iv_len == 12),
                 LATCH_ERR_INVALID_ARGUMENT, "key block: unsupported key or IV length");
    e = latch_ks12_key_block(hash, master, client_random, server_random, kb, 2 * key_len + 2 * iv_len);
    if (e == LATCH_OK) {
        /* RFC 5246 §6.3: client_write_MAC_key[0], server_write_MAC_key[0]
         * (empty for AEAD), client_write_key, server_write_key,
         * client_write_IV, server_write_IV. */
        memcpy(out->client_key, kb, key_len);
        memcpy(out->server_key, kb + key_len, key_len);
        memcpy(out->client_iv, kb + 2 * key_len, iv_len);
        memcpy(out->server_iv, kb + 2 * key_len + iv_len, iv_len);
        out->key_len = (uint8_t)key_len;
        out->iv_len = (uint8_t)iv_len;
    }
    latch_wipe(kb, sizeof kb);
    return e;
}

latch_err latch_ks12_finished(const latch_hash_alg *hash, const latch_secret *master, bool client,
                              const uint8_t *handshake_hash, uint8_t out[LATCH_FINISHED12_LEN])
{
    LATCH_ENSURE(hash != NULL && master != NULL && master->len == LATCH_MASTER_SECRET_LEN && handshake_hash != NULL,
                 LATCH_ERR_INVALID_ARGUMENT, "Finished: a 48-byte master secret and the handshake hash are required");
    /* RFC 5246 §7.4.9: PRF(master_secret, finished_label,
     * Hash(handshake_messages))[0..verify_data_length-1]. */
    return latch_prf12(hash, master->b, master->len, client ? "client finished" : "server finished", handshake_hash,
                       hash->digest_len, NULL, 0, out, LATCH_FINISHED12_LEN);
}
