/*
 * The server's session cache: sessions kept on the server, found by an id
 * (a TLS 1.2 session id, or a TLS 1.3 ticket that is only a random handle).
 * Bounded (the oldest entry goes when it is full), expiring (by each
 * session's lifetime), safe to share between threads, and able to hand a
 * session out once only (single-use tickets defeat 0-RTT replay, RFC 8446
 * §8.1).
 */
#ifndef LATCH_HS_CACHE_H
#define LATCH_HS_CACHE_H

#include "hs/session.h"

#include <latch/alloc.h>

#define LATCH_CACHE_ID_MAX 32

typedef struct latch_cache latch_cache;

/** A cache of at most `capacity` sessions (capacity >= 1). */
LATCH_MUST_CHECK latch_err latch_cache_new(const latch_allocator *a, size_t capacity, latch_cache **out);
void latch_cache_free(latch_cache *c);

/** Keep s under id (1..32 bytes), replacing an entry with the same id. */
LATCH_MUST_CHECK latch_err latch_cache_put(latch_cache *c, const uint8_t *id, size_t id_len, const latch_session *s);

/**
 * Find the session under id, fresh at time now; remove it when take is true.
 * LATCH_ERR_BAD_PSK when absent or expired (expired entries are dropped).
 */
LATCH_MUST_CHECK latch_err latch_cache_get(latch_cache *c, const uint8_t *id, size_t id_len, int64_t now, bool take,
                                           latch_session *out);

/** Entries held now. */
size_t latch_cache_count(latch_cache *c);

#endif
