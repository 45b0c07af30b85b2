/* Tests for the fixed-buffer writer (src/core/wr.c). */
#include "core/wr.h"
#include "harness.h"

static void test_integers(void)
{
    uint8_t buf[32];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    latch_wr_u8(&w, 0x01);
    latch_wr_u16(&w, 0x0203);
    latch_wr_u24(&w, 0x040506);
    latch_wr_u32(&w, 0x0708090A);
    latch_wr_u64(&w, UINT64_C(0x0B0C0D0E0F101112));
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w),
              latch_test_hexbuf("01 0203 040506 0708090A 0B0C0D0E0F101112", NULL), 18);
}

static void test_overflow_is_sticky(void)
{
    uint8_t buf[3];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    latch_wr_u16(&w, 0x0102);
    latch_wr_u16(&w, 0x0304); /* does not fit */
    latch_wr_u8(&w, 0x05);    /* would fit, but the writer is failed */
    CHECK_EQ(latch_wr_len(&w), 2);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK(latch_wr_reserve(&w, 1) == NULL);
}

static void test_nested_vectors(void)
{
    uint8_t buf[32];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    latch_wr_open(&w, 2);
    latch_wr_u8(&w, 0xAA);
    latch_wr_open(&w, 1);
    latch_wr_bytes(&w, (const uint8_t *)"xyz", 3);
    latch_wr_close(&w, 1, 255);
    latch_wr_open(&w, 3);
    latch_wr_close(&w, 0, 0xFFFFFF);
    latch_wr_close(&w, 0, 0xFFFF);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), latch_test_hexbuf("0008 AA 03 78797A 000000", NULL), 10);
}

static void test_close_checks_range(void)
{
    uint8_t buf[16];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    latch_wr_open(&w, 1);
    latch_wr_close(&w, 1, 10); /* empty where <1..10> */
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL);

    latch_wr_init(&w, buf, sizeof buf);
    latch_wr_open(&w, 1);
    latch_wr_zeros(&w, 5);
    latch_wr_close(&w, 0, 4);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL);
}

/* An interrupted encoding leaves the 0xFF placeholder, never a short length. */
static void test_placeholder_and_unclosed(void)
{
    uint8_t buf[4];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    latch_wr_open(&w, 2);
    latch_wr_u8(&w, 1);
    CHECK_EQ(buf[0], 0xFF);
    CHECK_EQ(buf[1], 0xFF);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL); /* still open */
    latch_wr_bytes(&w, (const uint8_t *)"abcd", 4);      /* overflows */
    latch_wr_close(&w, 0, 0xFFFF);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ(buf[0], 0xFF);
}

static void test_unbalanced_close(void)
{
    uint8_t buf[4];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    latch_wr_close(&w, 0, 10);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL);
}

static void test_depth_limit(void)
{
    uint8_t buf[64];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    for (int i = 0; i < LATCH_WR_MAX_DEPTH; i++) {
        latch_wr_open(&w, 1);
    }
    CHECK_OK(w.err);
    latch_wr_open(&w, 1);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL);
}

static void test_reserve(void)
{
    uint8_t buf[8];
    latch_wr w;
    uint8_t *p;

    latch_wr_init(&w, buf, sizeof buf);
    latch_wr_open(&w, 1);
    p = latch_wr_reserve(&w, 6);
    REQUIRE(p != NULL);
    p[0] = 0x11;
    p[1] = 0x22;
    latch_wr_unreserve(&w, 4); /* only 2 of 6 used */
    latch_wr_close(&w, 0, 255);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), latch_test_hexbuf("02 1122", NULL), 3);
    latch_wr_open(&w, 2);
    latch_wr_u8(&w, 0x33);
    latch_wr_unreserve(&w, 2); /* would cut into the open length field */
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL);
}

static void test_u24_range(void)
{
    uint8_t buf[4];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    latch_wr_u24(&w, 0x1000000);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL);
}

static const latch_test cases[] = {
    TEST(test_integers),
    TEST(test_overflow_is_sticky),
    TEST(test_nested_vectors),
    TEST(test_close_checks_range),
    TEST(test_placeholder_and_unclosed),
    TEST(test_unbalanced_close),
    TEST(test_depth_limit),
    TEST(test_reserve),
    TEST(test_u24_range),
    {0},
};

LATCH_TEST_MAIN(cases)
