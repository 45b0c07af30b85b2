/*
 * Anti-replay for 0-RTT with stateless tickets (RFC 8446 §8.2, "ClientHello
 * recording"): a bounded, expiring set of values seen (a prefix of the PSK
 * binder, unique to each ClientHello). A value seen again within its window
 * is a replay; when the set is full of live entries, everything counts as a
 * replay (early data is then refused, which is always safe).
 */
#ifndef LATCH_HS_REPLAY_H
#define LATCH_HS_REPLAY_H

#include <latch/alloc.h>
#include <latch/error.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LATCH_REPLAY_SLOTS 4096 /* named limit: ClientHellos remembered at once */
#define LATCH_REPLAY_TAG 16

typedef struct latch_replay_slot {
    uint8_t tag[LATCH_REPLAY_TAG];
    int64_t expires;
} latch_replay_slot;

typedef struct latch_replay {
    const latch_allocator *alloc;
    pthread_mutex_t lock;
    latch_replay_slot *slots; /* allocated on first use */
    size_t next;
} latch_replay;

/** alloc is retained (it lives in the config); slots are allocated on first use. */
LATCH_MUST_CHECK latch_err latch_replay_init(latch_replay *r, const latch_allocator *alloc);
void latch_replay_cleanup(latch_replay *r);

/**
 * Record tag (LATCH_REPLAY_TAG bytes) until `expires`; true if it is fresh
 * (not seen and now remembered), false if it was seen or cannot be remembered.
 */
bool latch_replay_check(latch_replay *r, const uint8_t *tag, int64_t now, int64_t expires);

#endif
