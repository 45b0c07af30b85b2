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

static void key_drop(latch_ticket_key *key)
{
    if (key->aead != NULL) {
        key->aead->destroy(key->seal);
        key->aead->destroy(key->open);
    }
    latch_wipe(key, sizeof *key);
}

void latch_ticket_keys_cleanup(latch_ticket_keys *k)
{
    pthread_mutex_destroy(&k->lock);
    key_drop(&k->cur);
    key_drop(&k->prev);
}

static const latch_aead_alg *ticket_aead(const latch_provider *prov)
{
    return latch_provider_aead(prov, LATCH_AEAD_AES_256_GCM);
}

/* Make a key whose name and secret are filled in usable: its sealing and
 * opening contexts, its time. On failure the key is wiped. */
static latch_err key_ready(latch_ticket_key *key, const latch_aead_alg *aead, int64_t now)
{
    latch_err e;

    key->aead = aead;
    e = aead->create(aead, key->key, true, &key->seal);
    if (e == LATCH_OK) {
        e = aead->create(aead, key->key, false, &key->open);
    }
    if (e != LATCH_OK) {
        key_drop(key);
        return LATCH_FAIL(e, "cannot key the ticket key's %s contexts", aead->name);
    }
    key->created = now;
    key->set = true;
    return LATCH_OK;
}

/* A fresh key (into a zeroed *key): its name, its secret, and its contexts. */
static latch_err new_key(const latch_provider *prov, latch_ticket_key *key, int64_t now)
{
    const latch_aead_alg *aead = ticket_aead(prov);
    latch_err e;

    LATCH_ENSURE(aead != NULL, LATCH_ERR_UNSUPPORTED, "the provider lacks AES-256-GCM for tickets");
    LATCH_TRY(prov->random(prov->rng, key->name, sizeof key->name));
    e = prov->random(prov->rng, key->key, sizeof key->key);
    if (e != LATCH_OK) {
        key_drop(key);
        return e;
    }
    return key_ready(key, aead, now);
}

latch_err latch_ticket_keys_set(latch_ticket_keys *k, const latch_provider *prov, const uint8_t *name,
                                const uint8_t *key, int64_t now)
{
    const latch_aead_alg *aead = ticket_aead(prov);
    latch_ticket_key nk;

    LATCH_ENSURE(aead != NULL, LATCH_ERR_UNSUPPORTED, "the provider lacks AES-256-GCM for tickets");
    memset(&nk, 0, sizeof nk);
    memcpy(nk.name, name, sizeof nk.name);
    memcpy(nk.key, key, sizeof nk.key);
    LATCH_TRY(key_ready(&nk, aead, now));
    if (pthread_mutex_lock(&k->lock) != 0) {
        key_drop(&nk);
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "pthread_mutex_lock failed");
    }
    key_drop(&k->prev);
    key_drop(&k->cur);
    k->cur = nk;
    pthread_mutex_unlock(&k->lock);
    latch_wipe(&nk, sizeof nk);
    return LATCH_OK;
}

latch_err latch_ticket_seal(const latch_provider *prov, latch_ticket_keys *k, int64_t now, const latch_session *s,
                            uint8_t *out, size_t cap, size_t *len)
{
    latch_ticket_key *key = &k->cur;
    latch_wr w;
    size_t body;
    latch_err e = LATCH_OK;

    *len = 0;
    LATCH_ENSURE(cap > LATCH_TICKET_OVERHEAD, LATCH_ERR_BUFFER_TOO_SMALL, "no room for a ticket");
    latch_wr_init(&w, out + LATCH_TICKET_NAME_LEN + LATCH_AEAD_NONCE_LEN, cap - LATCH_TICKET_OVERHEAD);
    e = latch_session_encode(s, false, &w);
    if (e != LATCH_OK) {
        latch_wipe(w.buf, cap - LATCH_TICKET_OVERHEAD); /* the secret may be in what was written */
        return e;
    }
    body = latch_wr_len(&w);
    if (pthread_mutex_lock(&k->lock) != 0) {
        latch_wipe(w.buf, body);
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "pthread_mutex_lock failed");
    }
    if (!key->set || now - key->created >= (int64_t)k->rotate || now < key->created) {
        key_drop(&k->prev);
        k->prev = k->cur;
        memset(&k->cur, 0, sizeof k->cur);
        e = new_key(prov, &k->cur, now);
    }
    if (e == LATCH_OK) {
        memcpy(out, key->name, LATCH_TICKET_NAME_LEN);
        e = prov->random(prov->rng, out + LATCH_TICKET_NAME_LEN, LATCH_AEAD_NONCE_LEN);
    }
    if (e == LATCH_OK) {
        e = key->aead->seal(key->seal, out + LATCH_TICKET_NAME_LEN, key->name, LATCH_TICKET_NAME_LEN, w.buf, body,
                            w.buf + body);
    }
    pthread_mutex_unlock(&k->lock);
    if (e != LATCH_OK) {
        latch_wipe(w.buf, body); /* the session's secret, in the clear */
        return e;
    }
    *len = LATCH_TICKET_OVERHEAD + body;
    return LATCH_OK;
}

latch_err latch_ticket_open(const latch_provider *prov, latch_ticket_keys *k, const uint8_t *t, size_t n,
                            latch_session *s)
{
    const latch_ticket_key *key = NULL;
    uint8_t buf[LATCH_SESSION_ENCODED_MAX];
    size_t body;
    latch_err e = LATCH_ERR_BAD_PSK;

    (void)prov; /* the key's contexts came from the provider that made it */
    memset(s, 0, sizeof *s);
    if (n <= LATCH_TICKET_OVERHEAD || n - LATCH_TICKET_OVERHEAD > sizeof buf) {
        return LATCH_ERR_BAD_PSK;
    }
    body = n - LATCH_TICKET_OVERHEAD;
    memcpy(buf, t + LATCH_TICKET_NAME_LEN + LATCH_AEAD_NONCE_LEN, body);
    if (pthread_mutex_lock(&k->lock) != 0) {
        latch_wipe(buf, body);
        return LATCH_ERR_INTERNAL;
    }
    /* Key names are random and public: comparing them in plain time is fine. */
    if (k->cur.set && memcmp(k->cur.name, t, LATCH_TICKET_NAME_LEN) == 0) {
        key = &k->cur;
    } else if (k->prev.set && memcmp(k->prev.name, t, LATCH_TICKET_NAME_LEN) == 0) {
        key = &k->prev;
    }
    if (key != NULL && key->aead->open(key->open, t + LATCH_TICKET_NAME_LEN, key->name, LATCH_TICKET_NAME_LEN, buf,
                                       body, t + n - LATCH_AEAD_TAG_LEN) == LATCH_OK) {
        e = LATCH_OK;
    }
    pthread_mutex_unlock(&k->lock);
    if (e == LATCH_OK && latch_session_decode(latch_rd_make(buf, body), s) != LATCH_OK) {
        e = LATCH_ERR_BAD_PSK;
    }
    latch_wipe(buf, sizeof buf);
    if (e != LATCH_OK) {
        latch_session_wipe(s);
    }
    return e;
}
