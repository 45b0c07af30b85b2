/* Anti-replay for 0-RTT. See replay.h. */
#include "hs/replay.h"

#include "core/alloc.h"
#include "core/err.h"

#include <string.h>

latch_err latch_replay_init(latch_replay *r, const latch_allocator *alloc)
{
    memset(r, 0, sizeof *r);
    r->alloc = alloc;
    LATCH_ENSURE(pthread_mutex_init(&r->lock, NULL) == 0, LATCH_ERR_INTERNAL, "pthread_mutex_init failed");
    return LATCH_OK;
}

void latch_replay_cleanup(latch_replay *r)
{
    pthread_mutex_destroy(&r->lock);
    latch__free(r->alloc, r->slots, LATCH_REPLAY_SLOTS * sizeof *r->slots);
    r->slots = NULL;
}

bool latch_replay_check(latch_replay *r, const uint8_t *tag, int64_t now, int64_t expires)
{
    bool fresh = false;
    latch_replay_slot *free_slot = NULL;

    if (pthread_mutex_lock(&r->lock) != 0) {
        return false;
    }
    if (r->slots == NULL) {
        r->slots = latch__alloc(r->alloc, LATCH_REPLAY_SLOTS * sizeof *r->slots);
    }
    if (r->slots != NULL) {
        fresh = true;
        for (size_t i = 0; i < LATCH_REPLAY_SLOTS; i++) {
            latch_replay_slot *s = &r->slots[i];

            if (s->expires > now && memcmp(s->tag, tag, LATCH_REPLAY_TAG) == 0) {
                fresh = false; /* seen within its window: a replay */
                break;
            }
            if (s->expires <= now && free_slot == NULL) {
                free_slot = s;
            }
        }
        if (fresh && free_slot == NULL) {
            fresh = false; /* full of live entries: refuse rather than forget */
        }
        if (fresh) {
            memcpy(free_slot->tag, tag, LATCH_REPLAY_TAG);
            free_slot->expires = expires;
        }
    }
    pthread_mutex_unlock(&r->lock);
    return fresh;
}
