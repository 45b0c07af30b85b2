/* Tests for the bounds-checked reader (src/core/rd.c). */
#include "core/rd.h"
#include "harness.h"

#include <string.h>

static const uint8_t data[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};

static void test_integers(void)
{
    latch_rd r = latch_rd_make(data, sizeof data);
    uint8_t a;
    uint16_t b;
    uint32_t c, d;

    CHECK_OK(latch_rd_u8(&r, &a));
    CHECK_EQ(a, 0x01);
    CHECK_OK(latch_rd_u16(&r, &b));
    CHECK_EQ(b, 0x0203);
    CHECK_OK(latch_rd_u24(&r, &c));
    CHECK_EQ(c, 0x040506);
    CHECK_ERR(latch_rd_u32(&r, &d), LATCH_ERR_DECODE); /* 3 left */
    CHECK_EQ(d, 0);
    CHECK_EQ(latch_rd_left(&r), 3); /* a failed read does not move the cursor */
    CHECK_ERR(latch_rd_end(&r), LATCH_ERR_DECODE);
    CHECK_OK(latch_rd_skip(&r, 3));
    CHECK_OK(latch_rd_end(&r));
}

static void test_u64(void)
{
    latch_rd r = latch_rd_make(data, 8);
    uint64_t v;

    CHECK_OK(latch_rd_u64(&r, &v));
    CHECK(v == UINT64_C(0x0102030405060708));
    CHECK_ERR(latch_rd_u64(&r, &v), LATCH_ERR_DECODE);
    CHECK(v == 0);
}

/* Every integer read, truncated at every length, is rejected. */
static void test_truncation_every_byte(void)
{
    for (size_t n = 0; n < 4; n++) {
        latch_rd r = latch_rd_make(data, n);
        uint8_t a;
        uint16_t b;
        uint32_t c;

        if (n < 1) {
            CHECK_ERR(latch_rd_u8(&r, &a), LATCH_ERR_DECODE);
        }
        if (n < 2) {
            CHECK_ERR(latch_rd_u16(&r, &b), LATCH_ERR_DECODE);
        }
        if (n < 3) {
            CHECK_ERR(latch_rd_u24(&r, &c), LATCH_ERR_DECODE);
        }
        CHECK_ERR(latch_rd_u32(&r, &c), LATCH_ERR_DECODE);
        CHECK_EQ(latch_rd_left(&r), n);
    }
}

static void test_bytes_and_copy(void)
{
    latch_rd r = latch_rd_make(data, sizeof data);
    latch_rd v;
    uint8_t out[4] = {0xAA, 0xAA, 0xAA, 0xAA};

    CHECK_OK(latch_rd_bytes(&r, 2, &v));
    CHECK_MEM(v.p, v.len, data, 2);
    CHECK_OK(latch_rd_copy(&r, out, 4));
    CHECK_MEM(out, 4, data + 2, 4);
    CHECK_ERR(latch_rd_copy(&r, out, 4), LATCH_ERR_DECODE);
    CHECK(out[0] == 0 && out[1] == 0 && out[2] == 0 && out[3] == 0); /* outputs zeroed */
    CHECK_ERR(latch_rd_bytes(&r, 4, &v), LATCH_ERR_DECODE);
    CHECK(v.p == NULL && v.len == 0);
    CHECK_OK(latch_rd_bytes(&r, 0, &v));
    CHECK_EQ(v.len, 0);
    CHECK_ERR(latch_rd_skip(&r, 4), LATCH_ERR_DECODE);
}

/* opaque x<2..6> with a one-byte length. */
static void test_vec_ranges(void)
{
    const uint8_t ok[] = {3, 'a', 'b', 'c', 'z'};
    const uint8_t too_short[] = {1, 'a'};
    const uint8_t too_long[] = {7, 1, 2, 3, 4, 5, 6, 7};
    const uint8_t overrun[] = {5, 'a', 'b'};
    const uint8_t zero[] = {0};
    latch_rd r, sub;

    r = latch_rd_make(ok, sizeof ok);
    CHECK_OK(latch_rd_vec(&r, 1, 2, 6, &sub));
    CHECK_MEM(sub.p, sub.len, (const uint8_t *)"abc", 3);
    CHECK_EQ(latch_rd_left(&r), 1);
    CHECK_ERR(latch_rd_end(&r), LATCH_ERR_DECODE); /* trailing 'z' */

    r = latch_rd_make(too_short, sizeof too_short);
    CHECK_ERR(latch_rd_vec(&r, 1, 2, 6, &sub), LATCH_ERR_DECODE);
    CHECK_EQ(latch_rd_left(&r), sizeof too_short); /* cursor unchanged */
    CHECK(sub.p == NULL && sub.len == 0);

    r = latch_rd_make(too_long, sizeof too_long);
    CHECK_ERR(latch_rd_vec(&r, 1, 2, 6, &sub), LATCH_ERR_DECODE);

    r = latch_rd_make(overrun, sizeof overrun);
    CHECK_ERR(latch_rd_vec(&r, 1, 0, 255, &sub), LATCH_ERR_DECODE);

    r = latch_rd_make(zero, sizeof zero);
    CHECK_ERR(latch_rd_vec(&r, 1, 1, 255, &sub), LATCH_ERR_DECODE); /* empty where non-empty */
    r = latch_rd_make(zero, sizeof zero);
    CHECK_OK(latch_rd_vec(&r, 1, 0, 255, &sub));
    CHECK_EQ(sub.len, 0);
    CHECK_OK(latch_rd_end(&r));
}

/* Two- and three-byte length prefixes, and every truncation of a nested
 * structure: struct { uint16 a; opaque b<1..2^16-1>; opaque c<0..2^24-1>; } */
static latch_err parse_nested(latch_rd r)
{
    latch_rd b, c;
    uint16_t a;

    if (latch_rd_u16(&r, &a) != LATCH_OK || latch_rd_vec(&r, 2, 1, 0xFFFF, &b) != LATCH_OK ||
        latch_rd_vec(&r, 3, 0, 0xFFFFFF, &c) != LATCH_OK) {
        return LATCH_ERR_DECODE;
    }
    return latch_rd_end(&r);
}

static void test_nested_every_truncation(void)
{
    const uint8_t msg[] = {0x12, 0x34, 0x00, 0x02, 0xAA, 0xBB, 0x00, 0x00, 0x03, 0x01, 0x02, 0x03};
    uint8_t longer[sizeof msg + 1];

    CHECK_OK(parse_nested(latch_rd_make(msg, sizeof msg)));
    for (size_t n = 0; n < sizeof msg; n++) {
        CHECK_ERR(parse_nested(latch_rd_make(msg, n)), LATCH_ERR_DECODE);
    }
    memcpy(longer, msg, sizeof msg);
    longer[sizeof msg] = 0;
    CHECK_ERR(parse_nested(latch_rd_make(longer, sizeof longer)), LATCH_ERR_DECODE);
}

static void test_vec_bad_prefix_size(void)
{
    latch_rd r = latch_rd_make(data, sizeof data), sub;

    CHECK_ERR(latch_rd_vec(&r, 0, 0, 10, &sub), LATCH_ERR_DECODE);
    CHECK_ERR(latch_rd_vec(&r, 4, 0, 10, &sub), LATCH_ERR_DECODE);
}

static void test_null(void)
{
    latch_rd r = latch_rd_make(NULL, 5);
    uint8_t v;

    CHECK_EQ(latch_rd_left(&r), 0);
    CHECK_ERR(latch_rd_u8(&r, &v), LATCH_ERR_DECODE);
    CHECK_OK(latch_rd_end(&r));
}

static const latch_test cases[] = {
    TEST(test_integers),
    TEST(test_u64),
    TEST(test_truncation_every_byte),
    TEST(test_bytes_and_copy),
    TEST(test_vec_ranges),
    TEST(test_nested_every_truncation),
    TEST(test_vec_bad_prefix_size),
    TEST(test_null),
    {0},
};

LATCH_TEST_MAIN(cases)
