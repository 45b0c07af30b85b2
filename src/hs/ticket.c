/* Stateless session tickets. See ticket.h. */
#include "hs/ticket.h"

#include "core/err.h"

#include <string.h>

latch_err latch_ticket_keys_init(latch_ticket_keys *k, uint32_t rotate)
{
    memset(k, 0, sizeof *k);
    k->rotate = rotate;
    LATCH_ENSURE(pthread_mutex_init(&k->lock, NULL) == 0, LATCH_ERR_INTERNAL, "pthread_mutex_init failed");
    return LATCH_OK;
}

void latch_ticket_keys_cleanup(latch_ticket_keys *k)
{
    pthread_mutex_destroy(&k->lock);
    latch_wipe(&k->cur, sizeof k->cur);
    latch_wipe(&k->prev, sizeof k->prev);
}

static latch_err new_key(const latch_provider *prov, latch_ticket_key *key, int64_t now)
{
    LATCH_TRY(prov->random(prov->rng, key->name, sizeof key->name));
    LATCH_TRY(prov->random(prov->rng, key->key, sizeof key->key));
    key->created = now;
    key->set = true;
    return LATCH_OK;
}

static const latch_aead_alg *ticket_aead(const latch_provider *prov)
{
    return latch_provider_aead(prov, LATCH_AEAD_AES_256_GCM);
}

/* One AEAD operation with a copy of the key (taken under the lock). */
static latch_err run(const latch_provider *prov, const uint8_t key[32], bool seal, const uint8_t *nonce,
                     const uint8_t *name, uint8_t *buf, size_t len, uint8_t *tag_out, const uint8_t *tag_in)
{
    const latch_aead_alg *aead = ticket_aead(prov);
    latch_aead_ctx *ctx = NULL;
    latch_err e;

    LATCH_ENSURE(aead != NULL, LATCH_ERR_UNSUPPORTED, "the provider lacks AES-256-GCM for tickets");
    LATCH_TRY(aead->create(aead, key, seal, &ctx));
    e = seal ? aead->seal(ctx, nonce, name, LATCH_TICKET_NAME_LEN, buf, len, tag_out)
             : aead->open(ctx, nonce, name, LATCH_TICKET_NAME_LEN, buf, len, tag_in);
    aead->destroy(ctx);
    return e;
}

latch_err latch_ticket_seal(const latch_provider *prov, latch_ticket_keys *k, int64_t now, const latch_session *s,
                            uint8_t *out, size_t cap, size_t *len)
{
    latch_ticket_key key;
    latch_wr w;
    size_t body;
    latch_err e = LATCH_OK;

    *len = 0;
    if (pthread_mutex_lock(&k->lock) != 0) {
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "pthread_mutex_lock failed");
    }
    if (!k->cur.set || now - k->cur.created >= (int64_t)k->rotate || now < k->cur.created) {
        k->prev = k->cur;
        e = new_key(prov, &k->cur, now);
    }
    key = k->cur;
    pthread_mutex_unlock(&k->lock);
    LATCH_TRY(e);
    LATCH_ENSURE(cap > LATCH_TICKET_OVERHEAD, LATCH_ERR_BUFFER_TOO_SMALL, "no room for a ticket");
    memcpy(out, key.name, LATCH_TICKET_NAME_LEN);
    e = prov->random(prov->rng, out + LATCH_TICKET_NAME_LEN, LATCH_AEAD_NONCE_LEN);
    if (e == LATCH_OK) {
        latch_wr_init(&w, out + LATCH_TICKET_NAME_LEN + LATCH_AEAD_NONCE_LEN, cap - LATCH_TICKET_OVERHEAD);
        e = latch_session_encode(s, false, &w);
    }
    if (e == LATCH_OK) {
        body = latch_wr_len(&w);
        e = run(prov, key.key, true, out + LATCH_TICKET_NAME_LEN, key.name, w.buf, body, w.buf + body, NULL);
        *len = LATCH_TICKET_OVERHEAD + body;
    }
    latch_wipe(&key, sizeof key);
    return e;
}

latch_err latch_ticket_open(const latch_provider *prov, latch_ticket_keys *k, const uint8_t *t, size_t n,
                            latch_session *s)
{
    latch_ticket_key key;
    uint8_t buf[LATCH_SESSION_ENCODED_MAX];
    size_t body;
    latch_err e = LATCH_ERR_BAD_PSK;

    memset(s, 0, sizeof *s);
    if (n <= LATCH_TICKET_OVERHEAD || n - LATCH_TICKET_OVERHEAD > sizeof buf) {
        return LATCH_ERR_BAD_PSK;
    }
    memset(&key, 0, sizeof key);
    if (pthread_mutex_lock(&k->lock) != 0) {
        return LATCH_ERR_INTERNAL;
    }
    /* Key names are random and public: comparing them in plain time is fine. */
    if (k->cur.set && memcmp(k->cur.name, t, LATCH_TICKET_NAME_LEN) == 0) {
        key = k->cur;
    } else if (k->prev.set && memcmp(k->prev.name, t, LATCH_TICKET_NAME_LEN) == 0) {
        key = k->prev;
    }
    pthread_mutex_unlock(&k->lock);
    if (!key.set) {
        return LATCH_ERR_BAD_PSK;
    }
    body = n - LATCH_TICKET_OVERHEAD;
    memcpy(buf, t + LATCH_TICKET_NAME_LEN + LATCH_AEAD_NONCE_LEN, body);
    if (run(prov, key.key, false, t + LATCH_TICKET_NAME_LEN, key.name, buf, body, NULL, t + n - LATCH_AEAD_TAG_LEN) ==
            LATCH_OK &&
        latch_session_decode(latch_rd_make(buf, body), s) == LATCH_OK) {
        e = LATCH_OK;
    }
    latch_wipe(buf, sizeof buf);
    latch_wipe(&key, sizeof key);
    if (e != LATCH_OK) {
        latch_session_wipe(s);
    }
    return e;
}
