/* Tests for handshake message reassembly (src/record/hsframe.c). */
#include "record/hsframe.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

/* ---- A counting allocator that can be told to fail --------------------------------- */

typedef struct counter {
    size_t live;  /* bytes currently allocated */
    size_t calls; /* successful allocations */
    size_t fail_after; /* allocations allowed before failing; SIZE_MAX = never fail */
    bool freed_wiped;  /* every freed block was all zeros */
} counter;

static void *count_alloc(void *user, size_t n)
{
    counter *c = user;

    if (c->calls >= c->fail_after) {
        return NULL;
    }
    c->calls++;
    c->live += n;
    return malloc(n);
}

static void count_free(void *user, void *p, size_t n)
{
    counter *c = user;
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++) {
        if (b[i] != 0) {
            c->freed_wiped = false;
        }
    }
    c->live -= n;
    free(p);
}

static void counter_init(counter *c, latch_allocator *a)
{
    memset(c, 0, sizeof *c);
    c->fail_after = SIZE_MAX;
    c->freed_wiped = true;
    a->alloc = count_alloc;
    a->free = count_free;
    a->user = c;
}

/* ---- A handshake flight to cut into records ------------------------------------------ */

typedef struct msg {
    uint8_t type;
    size_t len;
} msg;

/* ClientHello-ish, an empty body (EndOfEarlyData), a large Certificate, a Finished. */
static const msg flight_msgs[] = {{1, 10}, {5, 0}, {11, 300}, {20, 32}};
#define NMSG (sizeof flight_msgs / sizeof flight_msgs[0])

static uint8_t flight[4 * NMSG + 10 + 0 + 300 + 32];
static size_t msg_off[NMSG];

static void build_flight(void)
{
    size_t o = 0;

    for (size_t i = 0; i < NMSG; i++) {
        msg_off[i] = o;
        flight[o++] = flight_msgs[i].type;
        flight[o++] = (uint8_t)(flight_msgs[i].len >> 16);
        flight[o++] = (uint8_t)(flight_msgs[i].len >> 8);
        flight[o++] = (uint8_t)flight_msgs[i].len;
        for (size_t j = 0; j < flight_msgs[i].len; j++) {
            flight[o++] = (uint8_t)(i * 40 + j + 1);
        }
    }
}

static size_t msg_end(size_t i)
{
    return msg_off[i] + 4 + flight_msgs[i].len;
}

/*
 * Feed the flight cut at the given record boundaries (cuts ascending, inside
 * (0, sizeof flight)) and check every message, its end-of-record flag, the
 * pending state, and that memory is back to zero at the end.
 */
static void run_cut(const size_t *cuts, size_t ncuts, latch_allocator *a, counter *c)
{
    latch_hsframe f;
    size_t start = 0, got = 0;

    latch_hsframe_init(&f, a, 0);
    CHECK(!latch_hsframe_pending(&f));
    for (size_t r = 0; r <= ncuts; r++) {
        size_t end = (r < ncuts) ? cuts[r] : sizeof flight;
        latch_hs_msg m;
        latch_err e;

        REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(flight + start, end - start)));
        CHECK(latch_hsframe_pending(&f));
        while ((e = latch_hsframe_next(&f, &m)) == LATCH_OK) {
            REQUIRE(got < NMSG);
            CHECK_EQ(m.type, flight_msgs[got].type);
            CHECK_MEM(m.body.p, m.body.len, flight + msg_off[got] + 4, flight_msgs[got].len);
            CHECK_MEM(m.whole.p, m.whole.len, flight + msg_off[got], 4 + flight_msgs[got].len);
            /* The message ends its record exactly when its last byte is the record's last byte. */
            CHECK_EQ(m.end_of_record, msg_end(got) == end);
            /* Whole inside this record: a view into the record itself, no copy. */
            if (msg_off[got] >= start) {
                CHECK(m.whole.p == flight + msg_off[got]);
            } else {
                CHECK(m.whole.p != flight + msg_off[got]);
            }
            CHECK_EQ(latch_hsframe_pending(&f), msg_end(got) != end);
            got++;
        }
        CHECK_ERR(e, LATCH_ERR_WANT_READ);
        /* Something is pending exactly when the record ended inside a message. */
        CHECK_EQ(latch_hsframe_pending(&f), got < NMSG && msg_off[got] < end);
        start = end;
    }
    CHECK_EQ(got, NMSG);
    CHECK(!latch_hsframe_pending(&f));
    CHECK_EQ(c->live, 0); /* the buffer is released once empty */
    latch_hsframe_cleanup(&f);
    CHECK_EQ(c->live, 0);
    CHECK(c->freed_wiped);
}

static void test_one_record(void)
{
    latch_allocator a;
    counter c;

    build_flight();
    counter_init(&c, &a);
    run_cut(NULL, 0, &a, &c);
    CHECK_EQ(c.calls, 0); /* several whole messages in one record: no allocation at all */
}

/* Two records, cut at every byte: inside headers, inside bodies, on message boundaries. */
static void test_two_records_every_cut(void)
{
    latch_allocator a;
    counter c;

    build_flight();
    for (size_t cut = 1; cut < sizeof flight; cut++) {
        counter_init(&c, &a);
        run_cut(&cut, 1, &a, &c);
    }
}

/* Three records: the Certificate spread over three records, and other pairs of cuts. */
static void test_three_records(void)
{
    latch_allocator a;
    counter c;

    build_flight();
    for (size_t x = 1; x < sizeof flight; x += 7) {
        for (size_t y = x + 1; y < sizeof flight; y += 13) {
            size_t cuts[2] = {x, y};

            counter_init(&c, &a);
            run_cut(cuts, 2, &a, &c);
        }
    }
    {
        size_t cuts[2] = {msg_off[2] + 2, msg_off[2] + 150}; /* header split, then body split */

        counter_init(&c, &a);
        run_cut(cuts, 2, &a, &c);
    }
}

/* Every byte in its own record. */
static void test_one_byte_records(void)
{
    static size_t cuts[sizeof flight - 1];
    latch_allocator a;
    counter c;

    build_flight();
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        cuts[i] = i + 1;
    }
    counter_init(&c, &a);
    run_cut(cuts, sizeof cuts / sizeof cuts[0], &a, &c);
}

/* A key change must fall on a record boundary: the flag says whether a message ended its record. */
static void test_end_of_record(void)
{
    static const uint8_t two[] = {20, 0, 0, 1, 0xAA, 2, 0, 0, 0};
    latch_hsframe f;
    latch_hs_msg m;

    latch_hsframe_init(&f, NULL, 0);
    REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(two, sizeof two)));
    REQUIRE_OK(latch_hsframe_next(&f, &m));
    CHECK_EQ(m.type, 20);
    CHECK(!m.end_of_record);
    CHECK(latch_hsframe_pending(&f));
    REQUIRE_OK(latch_hsframe_next(&f, &m));
    CHECK_EQ(m.type, 2);
    CHECK_EQ(m.body.len, 0);
    CHECK(m.end_of_record);
    CHECK(!latch_hsframe_pending(&f));
    CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_WANT_READ);
    CHECK(m.whole.p == NULL && m.whole.len == 0 && m.type == 0);
    CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_WANT_READ);
    latch_hsframe_cleanup(&f);
}

/* Truncated headers: 1, 2 and 3 bytes of a header, completed by the next record. */
static void test_truncated_headers(void)
{
    static const uint8_t m1[] = {8, 0, 0, 2, 0x11, 0x22};

    for (size_t cut = 1; cut < 4; cut++) {
        latch_allocator a;
        counter c;
        latch_hsframe f;
        latch_hs_msg m;

        counter_init(&c, &a);
        latch_hsframe_init(&f, &a, 0);
        REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(m1, cut)));
        CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_WANT_READ);
        CHECK(latch_hsframe_pending(&f));
        REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(m1 + cut, sizeof m1 - cut)));
        REQUIRE_OK(latch_hsframe_next(&f, &m));
        CHECK_EQ(m.type, 8);
        CHECK_MEM(m.body.p, m.body.len, m1 + 4, 2);
        CHECK(m.end_of_record);
        CHECK(!latch_hsframe_pending(&f));
        CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_WANT_READ);
        CHECK_EQ(c.live, 0);
        latch_hsframe_cleanup(&f);
    }
}

/* The size limit: refused as soon as a header announces more, before any of the body is buffered. */
static void test_size_limit(void)
{
    latch_allocator a;
    counter c;
    latch_hsframe f;
    latch_hs_msg m;
    uint8_t h[4] = {11, 0x01, 0x00, 0x01}; /* 65537 */

    counter_init(&c, &a);
    latch_hsframe_init(&f, &a, 0);
    CHECK_EQ(f.max_msg, LATCH_HS_MAX_MSG_DEFAULT);
    REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(h, 4)));
    CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_HANDSHAKE_TOO_LARGE);
    CHECK_EQ(c.calls, 0);
    latch_hsframe_cleanup(&f);

    /* Exactly the limit is accepted (and buffered, since the body follows later). */
    h[1] = 0x01;
    h[2] = 0x00;
    h[3] = 0x00; /* 65536 */
    latch_hsframe_init(&f, &a, 0);
    REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(h, 4)));
    CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_WANT_READ);
    CHECK_EQ(c.live, 4 + 65536);
    latch_hsframe_cleanup(&f);
    CHECK_EQ(c.live, 0);

    /* A configured limit, with the header split across records. */
    latch_hsframe_init(&f, &a, 100);
    h[1] = 0;
    h[2] = 0;
    h[3] = 101;
    REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(h, 2)));
    CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_WANT_READ);
    REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(h + 2, 2)));
    CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_HANDSHAKE_TOO_LARGE);
    latch_hsframe_cleanup(&f);
    CHECK_EQ(c.live, 0);

    /* Whole in one record, over the limit: still refused. */
    {
        static uint8_t big[4 + 101];

        big[0] = 11;
        big[3] = 101;
        latch_hsframe_init(&f, &a, 100);
        REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(big, sizeof big)));
        CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_HANDSHAKE_TOO_LARGE);
        big[3] = 100;
        latch_hsframe_cleanup(&f);
        latch_hsframe_init(&f, &a, 100);
        REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(big, 104)));
        CHECK_OK(latch_hsframe_next(&f, &m));
        CHECK_EQ(m.body.len, 100);
        latch_hsframe_cleanup(&f);
    }
    /* Limits above what a uint24 can say are clamped. */
    latch_hsframe_init(&f, &a, SIZE_MAX);
    CHECK_EQ(f.max_msg, LATCH_HS_MAX_MSG_LIMIT);
    latch_hsframe_cleanup(&f);
}

/* Empty handshake records are illegal; a record must be read out before the next one is fed. */
static void test_feed_rules(void)
{
    static const uint8_t two[] = {20, 0, 0, 0, 20, 0, 0, 0};
    latch_hsframe f;
    latch_hs_msg m;

    latch_hsframe_init(&f, NULL, 0);
    CHECK_ERR(latch_hsframe_feed(&f, latch_rd_make(two, 0)), LATCH_ERR_RECORD_EMPTY);
    CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_WANT_READ);
    REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(two, sizeof two)));
    REQUIRE_OK(latch_hsframe_next(&f, &m));
    CHECK_ERR(latch_hsframe_feed(&f, latch_rd_make(two, sizeof two)), LATCH_ERR_BAD_STATE);
    REQUIRE_OK(latch_hsframe_next(&f, &m));
    CHECK_OK(latch_hsframe_feed(&f, latch_rd_make(two, sizeof two)));
    latch_hsframe_cleanup(&f);
}

/* Allocation failure on the split path: NO_MEMORY, no byte lost, and the call can be repeated. */
static void test_alloc_failure(void)
{
    latch_allocator a;
    counter c;

    build_flight();
    /* The Certificate split in its body: one allocation needed. */
    {
        latch_hsframe f;
        latch_hs_msg m;
        size_t cut = msg_off[2] + 100;

        counter_init(&c, &a);
        c.fail_after = 0;
        latch_hsframe_init(&f, &a, 0);
        REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(flight, cut)));
        REQUIRE_OK(latch_hsframe_next(&f, &m)); /* whole messages need no memory */
        REQUIRE_OK(latch_hsframe_next(&f, &m));
        CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_NO_MEMORY);
        CHECK(m.whole.p == NULL);
        CHECK(latch_hsframe_pending(&f));
        CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_NO_MEMORY);
        c.fail_after = SIZE_MAX;
        CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_WANT_READ);
        REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(flight + cut, sizeof flight - cut)));
        REQUIRE_OK(latch_hsframe_next(&f, &m));
        CHECK_EQ(m.type, 11);
        CHECK_MEM(m.whole.p, m.whole.len, flight + msg_off[2], 4 + 300);
        REQUIRE_OK(latch_hsframe_next(&f, &m));
        CHECK_EQ(m.type, 20);
        CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_WANT_READ);
        latch_hsframe_cleanup(&f);
        CHECK_EQ(c.live, 0);
    }
    /* A header split across records: the second allocation (growing to the full message) fails. */
    {
        latch_hsframe f;
        latch_hs_msg m;
        size_t cut = msg_off[2] + 2;

        counter_init(&c, &a);
        c.fail_after = 1;
        latch_hsframe_init(&f, &a, 0);
        REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(flight, cut)));
        REQUIRE_OK(latch_hsframe_next(&f, &m));
        REQUIRE_OK(latch_hsframe_next(&f, &m));
        CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_WANT_READ);
        REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(flight + cut, sizeof flight - cut)));
        CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_NO_MEMORY);
        c.fail_after = SIZE_MAX;
        REQUIRE_OK(latch_hsframe_next(&f, &m));
        CHECK_MEM(m.whole.p, m.whole.len, flight + msg_off[2], 4 + 300);
        REQUIRE_OK(latch_hsframe_next(&f, &m));
        CHECK_MEM(m.whole.p, m.whole.len, flight + msg_off[3], 4 + 32);
        CHECK(m.end_of_record);
        CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_WANT_READ);
        CHECK_EQ(c.live, 0);
        latch_hsframe_cleanup(&f);
    }
}

/* Cleanup in the middle of a message frees and wipes the buffer. */
static void test_cleanup_mid_message(void)
{
    latch_allocator a;
    counter c;
    latch_hsframe f;
    latch_hs_msg m;

    build_flight();
    counter_init(&c, &a);
    latch_hsframe_init(&f, &a, 0);
    REQUIRE_OK(latch_hsframe_feed(&f, latch_rd_make(flight + msg_off[2], 50)));
    CHECK_ERR(latch_hsframe_next(&f, &m), LATCH_ERR_WANT_READ);
    CHECK(c.live > 0);
    latch_hsframe_cleanup(&f);
    CHECK_EQ(c.live, 0);
    CHECK(c.freed_wiped);
    CHECK(!latch_hsframe_pending(&f));
}

static const latch_test cases[] = {
    TEST(test_one_record),
    TEST(test_two_records_every_cut),
    TEST(test_three_records),
    TEST(test_one_byte_records),
    TEST(test_end_of_record),
    TEST(test_truncated_headers),
    TEST(test_size_limit),
    TEST(test_feed_rules),
    TEST(test_alloc_failure),
    TEST(test_cleanup_mid_message),
    {0},
};

LATCH_TEST_MAIN(cases)
