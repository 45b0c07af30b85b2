/*
 * Stateless session tickets (RFC 5077 §4's recommended construction, with an
 * AEAD): the server seals an encoded session under a ticket key only it
 * knows and hands the sealed bytes to the client as its ticket.
 *
 *   ticket = key_name[16] || nonce[12] || AES-256-GCM(key, nonce, aad = key_name,
 *                                                      session encoding) || tag[16]
 *
 * Keys rotate: a new key every `rotate` seconds; tickets sealed under the
 * previous key still open, older ones do not. Keys live in the config, are
 * shared by its connections (under a mutex) and are wiped with it. Each key
 * keeps a sealing and an opening AEAD context, keyed once when the key is
 * made and used only under the mutex: keying an AES-256-GCM context for
 * every ticket cost about 2% of a resumed handshake.
 */
#ifndef LATCH_HS_TICKET_H
#define LATCH_HS_TICKET_H

#include "hs/session.h"

#include <latch/provider.h>
#include <pthread.h>

#define LATCH_TICKET_NAME_LEN 16
#define LATCH_TICKET_OVERHEAD (LATCH_TICKET_NAME_LEN + LATCH_AEAD_NONCE_LEN + LATCH_AEAD_TAG_LEN)

typedef struct latch_ticket_key {
    uint8_t name[LATCH_TICKET_NAME_LEN];
    uint8_t key[32];
    int64_t created;
    bool set;
    const latch_aead_alg *aead; /* made seal and open */
    latch_aead_ctx *seal, *open;
} latch_ticket_key;

typedef struct latch_ticket_keys {
    pthread_mutex_t lock;
    latch_ticket_key cur, prev;
    uint32_t rotate; /* seconds between keys */
} latch_ticket_keys;

LATCH_MUST_CHECK latch_err latch_ticket_keys_init(latch_ticket_keys *k, uint32_t rotate);
void latch_ticket_keys_cleanup(latch_ticket_keys *k);

/**
 * Make name/key (16 and 32 bytes) the current key, as if made at `now`, and
 * forget the others: for a fixed key (the fuzzers use one).
 */
LATCH_MUST_CHECK latch_err latch_ticket_keys_set(latch_ticket_keys *k, const latch_provider *prov,
                                                 const uint8_t *name, const uint8_t *key, int64_t now);

/** Seal s (without its ticket field) into out[0..cap), rotating keys as needed. */
LATCH_MUST_CHECK latch_err latch_ticket_seal(const latch_provider *prov, latch_ticket_keys *k, int64_t now,
                                             const latch_session *s, uint8_t *out, size_t cap, size_t *len);

/**
 * Open a ticket. Any failure (unknown or expired key, forged or corrupted
 * bytes) gives LATCH_ERR_BAD_PSK with *s wiped: the caller treats the
 * ticket as unknown, which is not fatal.
 */
LATCH_MUST_CHECK latch_err latch_ticket_open(const latch_provider *prov, latch_ticket_keys *k, const uint8_t *t,
                                             size_t n, latch_session *s);

#endif
