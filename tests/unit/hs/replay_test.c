/*
 * 0-RTT anti-replay (src/hs/replay.c, RFC 8446 §8.2 "ClientHello
 * recording"): a tag is fresh once; seen again before it expires it is a
 * replay; after it expires it is fresh again; a store full of live entries
 * refuses everything new (refusing early data is always safe); so does a
 * store that cannot allocate its slots.
 */
#include "harness.h"

#include "core/alloc.h"
#include "hs/replay.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void tag_of(uint32_t n, uint8_t tag[LATCH_REPLAY_TAG])
{
    memset(tag, 0xA5, LATCH_REPLAY_TAG);
    tag[0] = (uint8_t)(n >> 24);
    tag[1] = (uint8_t)(n >> 16);
    tag[2] = (uint8_t)(n >> 8);
    tag[3] = (uint8_t)n;
}

static void test_fresh_then_replay(void)
{
    latch_replay r;
    uint8_t a[LATCH_REPLAY_TAG], b[LATCH_REPLAY_TAG];

    REQUIRE_OK(latch_replay_init(&r, latch__default_allocator()));
    tag_of(1, a);
    tag_of(2, b);
    CHECK(latch_replay_check(&r, a, 1000, 1010));
    /* The same ClientHello again, anywhere inside its window: a replay. */
    CHECK(!latch_replay_check(&r, a, 1000, 1010));
    CHECK(!latch_replay_check(&r, a, 1009, 1019));
    /* Another one is fresh, and then a replay too. */
    CHECK(latch_replay_check(&r, b, 1001, 1011));
    CHECK(!latch_replay_check(&r, b, 1002, 1012));
    /* Every byte of the tag counts: differ only in the last one. */
    memcpy(b, a, sizeof a);
    b[LATCH_REPLAY_TAG - 1] ^= 1;
    CHECK(latch_replay_check(&r, b, 1003, 1013));
    latch_replay_cleanup(&r);
}

static void test_expiry(void)
{
    latch_replay r;
    uint8_t a[LATCH_REPLAY_TAG];

    REQUIRE_OK(latch_replay_init(&r, latch__default_allocator()));
    tag_of(7, a);
    CHECK(latch_replay_check(&r, a, 100, 160));
    CHECK(!latch_replay_check(&r, a, 159, 219)); /* last second of the window */
    /* At its expiry time the entry is gone: the tag is fresh (and recorded anew). */
    CHECK(latch_replay_check(&r, a, 160, 220));
    CHECK(!latch_replay_check(&r, a, 161, 221));
    CHECK(latch_replay_check(&r, a, 500, 560));
    latch_replay_cleanup(&r);
}

/* LATCH_REPLAY_SLOTS live entries fill the store: anything new is refused
 * until entries expire; old entries are still recognised as replays. */
static void test_full_store_refuses(void)
{
    latch_replay r;
    uint8_t t[LATCH_REPLAY_TAG];
    size_t fresh = 0;

    REQUIRE_OK(latch_replay_init(&r, latch__default_allocator()));
    for (uint32_t i = 0; i < LATCH_REPLAY_SLOTS; i++) {
        tag_of(i, t);
        fresh += latch_replay_check(&r, t, 1000, 2000) ? 1 : 0;
    }
    CHECK_EQ(fresh, LATCH_REPLAY_SLOTS);
    tag_of(LATCH_REPLAY_SLOTS, t);
    CHECK(!latch_replay_check(&r, t, 1000, 2000)); /* full: refused, not forgotten */
    CHECK(!latch_replay_check(&r, t, 1999, 2999));
    tag_of(0, t);
    CHECK(!latch_replay_check(&r, t, 1500, 2500)); /* still a replay */
    tag_of(LATCH_REPLAY_SLOTS - 1, t);
    CHECK(!latch_replay_check(&r, t, 1500, 2500));
    /* Once they expire, room comes back. */
    tag_of(LATCH_REPLAY_SLOTS, t);
    CHECK(latch_replay_check(&r, t, 2000, 3000));
    tag_of(LATCH_REPLAY_SLOTS + 1, t);
    CHECK(latch_replay_check(&r, t, 2000, 3000));
    latch_replay_cleanup(&r);
}

/* Entries with different windows: only the expired ones make room. */
static void test_partial_expiry(void)
{
    latch_replay r;
    uint8_t t[LATCH_REPLAY_TAG];

    REQUIRE_OK(latch_replay_init(&r, latch__default_allocator()));
    for (uint32_t i = 0; i < LATCH_REPLAY_SLOTS; i++) {
        tag_of(i, t);
        /* One entry in four is short-lived. */
        CHECK(latch_replay_check(&r, t, 1000, i % 4 == 0 ? 1100 : 5000));
    }
    for (uint32_t i = 0; i < LATCH_REPLAY_SLOTS / 4; i++) {
        tag_of(100000 + i, t);
        CHECK(latch_replay_check(&r, t, 1200, 1300));
    }
    tag_of(200000, t);
    CHECK(!latch_replay_check(&r, t, 1200, 1300)); /* full again */
    tag_of(1, t);
    CHECK(!latch_replay_check(&r, t, 1200, 1300)); /* a long-lived entry survived */
    latch_replay_cleanup(&r);
}

static void *no_alloc(void *user, size_t n)
{
    (void)n;
    ++*(int *)user;
    return NULL;
}

static void no_free(void *user, void *p, size_t n)
{
    (void)user;
    (void)p;
    (void)n;
}

/* Without memory for the slots, nothing is fresh (early data is refused). */
static void test_no_memory_refuses(void)
{
    int calls = 0;
    latch_allocator a = {no_alloc, no_free, &calls};
    latch_replay r;
    uint8_t t[LATCH_REPLAY_TAG];

    REQUIRE_OK(latch_replay_init(&r, &a));
    CHECK_EQ(calls, 0); /* slots come on first use */
    tag_of(1, t);
    CHECK(!latch_replay_check(&r, t, 1, 2));
    CHECK(!latch_replay_check(&r, t, 1, 2));
    CHECK(calls >= 1);
    latch_replay_cleanup(&r);
}

/* Many threads, distinct tags: each is fresh exactly once. */
typedef struct worker {
    latch_replay *r;
    uint32_t base;
    int fresh_first, fresh_second;
} worker;

static void *run_worker(void *arg)
{
    worker *w = arg;
    uint8_t t[LATCH_REPLAY_TAG];

    for (uint32_t i = 0; i < 200; i++) {
        tag_of(w->base + i, t);
        w->fresh_first += latch_replay_check(w->r, t, 10, 100) ? 1 : 0;
    }
    for (uint32_t i = 0; i < 200; i++) {
        tag_of(w->base + i, t);
        w->fresh_second += latch_replay_check(w->r, t, 11, 101) ? 1 : 0;
    }
    return NULL;
}

static void test_threads(void)
{
    latch_replay r;
    pthread_t th[4];
    worker w[4];

    REQUIRE_OK(latch_replay_init(&r, latch__default_allocator()));
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){&r, (uint32_t)i * 1000u, 0, 0};
        REQUIRE(pthread_create(&th[i], NULL, run_worker, &w[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK_EQ(w[i].fresh_first, 200);
        CHECK_EQ(w[i].fresh_second, 0);
    }
    latch_replay_cleanup(&r);
}

static const latch_test cases[] = {
    TEST(test_fresh_then_replay),
    TEST(test_expiry),
    TEST(test_full_store_refuses),
    TEST(test_partial_expiry),
    TEST(test_no_memory_refuses),
    TEST(test_threads),
    {0},
};

LATCH_TEST_MAIN(cases)
