/*
 * The session cache: a ring of entries in insertion order (the oldest is
 * evicted first), searched linearly (it is bounded). Sessions are kept
 * encoded (without ticket bytes), at most 1 KiB each, and wiped when dropped.
 */
#include "hs/cache.h"

#include "core/alloc.h"
#include "core/err.h"

#include <pthread.h>
#include <string.h>

typedef struct entry {
    uint8_t id[LATCH_CACHE_ID_MAX];
    uint8_t id_len;
    bool used;
    uint16_t len;
    uint8_t enc[1024]; /* encoded session (no ticket) */
} entry;

struct latch_cache {
    latch_allocator alloc;
    pthread_mutex_t lock;
    entry *ring;
    size_t cap;
    size_t next; /* where the next entry goes (the oldest when full) */
    size_t count;
};

latch_err latch_cache_new(const latch_allocator *a, size_t capacity, latch_cache **out)
{
    latch_cache *c;

    *out = NULL;
    LATCH_ENSURE(capacity >= 1 && capacity <= (1u << 20), LATCH_ERR_INVALID_ARGUMENT,
                 "the session cache holds 1 to 2^20 sessions");
    if (a == NULL) {
        a = latch__default_allocator();
    }
    c = latch__alloc(a, sizeof *c);
    LATCH_ENSURE(c != NULL, LATCH_ERR_NO_MEMORY, "allocating the session cache");
    c->alloc = *a;
    c->ring = latch__alloc(a, capacity * sizeof *c->ring);
    if (c->ring == NULL || pthread_mutex_init(&c->lock, NULL) != 0) {
        latch__free(a, c->ring, capacity * sizeof *c->ring);
        latch__free(a, c, sizeof *c);
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "allocating the session cache");
    }
    c->cap = capacity;
    *out = c;
    return LATCH_OK;
}

void latch_cache_free(latch_cache *c)
{
    latch_allocator a;

    if (c == NULL) {
        return;
    }
    a = c->alloc;
    pthread_mutex_destroy(&c->lock);
    latch__free(&a, c->ring, c->cap * sizeof *c->ring); /* wipes every session */
    latch__free(&a, c, sizeof *c);
}

/* The entry with this id, or NULL (under the lock). A linear scan: the
 * cache is bounded, and ids are compared only by length and bytes. */
static entry *find(latch_cache *c, const uint8_t *id, size_t id_len)
{
    for (size_t i = 0; i < c->cap; i++) {
        entry *e = &c->ring[i];

        if (e->used && e->id_len == id_len && memcmp(e->id, id, id_len) == 0) {
            return e;
        }
    }
    return NULL;
}

static void drop(latch_cache *c, entry *e)
{
    latch_wipe(e, sizeof *e);
    c->count--;
}

latch_err latch_cache_put(latch_cache *c, const uint8_t *id, size_t id_len, const latch_session *s)
{
    entry tmp, *e;
    latch_wr w;

    LATCH_ENSURE(id_len >= 1 && id_len <= LATCH_CACHE_ID_MAX, LATCH_ERR_INVALID_ARGUMENT, "cache ids are 1 to 32 bytes");
    memset(&tmp, 0, sizeof tmp);
    latch_wr_init(&w, tmp.enc, sizeof tmp.enc);
    if (latch_session_encode(s, false, &w) != LATCH_OK) {
        latch_wipe(&tmp, sizeof tmp);
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "session too large for the cache");
    }
    memcpy(tmp.id, id, id_len);
    tmp.id_len = (uint8_t)id_len;
    tmp.len = (uint16_t)latch_wr_len(&w);
    tmp.used = true;
    if (pthread_mutex_lock(&c->lock) != 0) {
        latch_wipe(&tmp, sizeof tmp);
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "pthread_mutex_lock failed");
    }
    e = find(c, id, id_len);
    if (e == NULL) {
        e = &c->ring[c->next];
        if (e->used) {
            drop(c, e); /* evict the oldest */
        }
        c->next = (c->next + 1) % c->cap;
    } else {
        drop(c, e);
    }
    *e = tmp;
    c->count++;
    pthread_mutex_unlock(&c->lock);
    latch_wipe(&tmp, sizeof tmp);
    return LATCH_OK;
}

latch_err latch_cache_get(latch_cache *c, const uint8_t *id, size_t id_len, int64_t now, bool take,
                          latch_session *out)
{
    latch_err res = LATCH_ERR_BAD_PSK;
    entry *e;

    memset(out, 0, sizeof *out);
    if (id_len < 1 || id_len > LATCH_CACHE_ID_MAX) {
        return LATCH_ERR_BAD_PSK;
    }
    if (pthread_mutex_lock(&c->lock) != 0) {
        return LATCH_ERR_INTERNAL;
    }
    e = find(c, id, id_len);
    if (e != NULL) {
        if (latch_session_decode(latch_rd_make(e->enc, e->len), out) == LATCH_OK && latch_session_fresh(out, now)) {
            res = LATCH_OK;
        } else {
            latch_session_wipe(out);
            take = true; /* expired: drop it */
        }
        if (take) {
            drop(c, e);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return res;
}

size_t latch_cache_count(latch_cache *c)
{
    size_t n;

    pthread_mutex_lock(&c->lock);
    n = c->count;
    pthread_mutex_unlock(&c->lock);
    return n;
}
