/* Tests for the named field reads (src/msg/field.c). */
#include "msg/field.h"

#include "msg_test_util.h"

static void test_scalars(void)
{
    const uint8_t d[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
    latch_rd r = latch_rd_make(d, sizeof d);
    uint8_t a;
    uint16_t b;
    uint32_t c;

    CHECK_OK(latch_field_u8(&r, "X.a", &a));
    CHECK_EQ(a, 1);
    CHECK_OK(latch_field_u16(&r, "X.b", &b));
    CHECK_EQ(b, 0x0203);
    CHECK_OK(latch_field_u32(&r, "X.c", &c));
    CHECK_EQ(c, 0x04050607);
    CHECK_ERR(latch_field_u8(&r, "X.d", &a), LATCH_ERR_DECODE);
    CHECK_DETAIL("X.d: truncated");
    CHECK_OK(latch_field_end(&r, "X"));

    r = latch_rd_make(d, 3);
    CHECK_ERR(latch_field_u32(&r, "Y.u32", &c), LATCH_ERR_DECODE);
    CHECK_DETAIL("Y.u32: truncated (3 of 4 bytes)");
    CHECK_EQ(c, 0);
    CHECK_EQ(latch_rd_left(&r), 3); /* unmoved */
    CHECK_ERR(latch_field_u16(&r, "Y.u16", &b), LATCH_OK);
    CHECK_ERR(latch_field_u16(&r, "Y.u16", &b), LATCH_ERR_DECODE);
    CHECK_ERR(latch_field_end(&r, "Y"), LATCH_ERR_DECODE);
    CHECK_DETAIL("Y: 1 trailing bytes");
}

static void test_copy_and_bytes(void)
{
    const uint8_t d[] = {9, 8, 7};
    latch_rd r = latch_rd_make(d, sizeof d), v;
    uint8_t out[4] = {0xAA, 0xAA, 0xAA, 0xAA};

    CHECK_ERR(latch_field_copy(&r, "Z.random", out, 4), LATCH_ERR_DECODE);
    CHECK_DETAIL("Z.random: truncated (3 of 4 bytes)");
    CHECK(out[0] == 0 && out[3] == 0);
    CHECK_OK(latch_field_copy(&r, "Z.random", out, 2));
    CHECK(out[0] == 9 && out[1] == 8);
    CHECK_ERR(latch_field_bytes(&r, "Z.v", 2, &v), LATCH_ERR_DECODE);
    CHECK(v.p == NULL && v.len == 0);
    CHECK_OK(latch_field_bytes(&r, "Z.v", 1, &v));
    CHECK_EQ(v.len, 1);
    CHECK_EQ(v.p[0], 7);
}

/* The three ways a vector fails, each with its own detail. */
static void test_vec_details(void)
{
    const uint8_t ok[] = {0x00, 0x02, 0xAA, 0xBB};
    const uint8_t short_len[] = {0x00};
    const uint8_t out_of_range[] = {0x00, 0x01, 0xAA};
    const uint8_t overrun[] = {0x00, 0x03, 0xAA, 0xBB};
    const uint8_t u24[] = {0x00, 0x00, 0x02, 0x01, 0x02};
    latch_rd r, sub;

    r = latch_rd_make(ok, sizeof ok);
    CHECK_OK(latch_field_vec(&r, "V.ok", 2, 2, 10, &sub));
    CHECK_EQ(sub.len, 2);
    CHECK_OK(latch_field_end(&r, "V"));

    r = latch_rd_make(short_len, sizeof short_len);
    CHECK_ERR(latch_field_vec(&r, "V.a", 2, 0, 10, &sub), LATCH_ERR_DECODE);
    CHECK_DETAIL("V.a: truncated length");
    CHECK_EQ(latch_rd_left(&r), 1);

    r = latch_rd_make(out_of_range, sizeof out_of_range);
    CHECK_ERR(latch_field_vec(&r, "V.b", 2, 2, 10, &sub), LATCH_ERR_DECODE);
    CHECK_DETAIL("V.b: length 1 outside <2..10>");

    r = latch_rd_make(overrun, sizeof overrun);
    CHECK_ERR(latch_field_vec(&r, "V.c", 2, 0, 10, &sub), LATCH_ERR_DECODE);
    CHECK_DETAIL("V.c: length 3 but only 2 bytes follow");
    CHECK(sub.p == NULL && sub.len == 0);
    CHECK_EQ(latch_rd_left(&r), sizeof overrun);

    r = latch_rd_make(u24, sizeof u24);
    CHECK_OK(latch_field_vec(&r, "V.d", 3, 1, 0xFFFFFF, &sub));
    CHECK_EQ(sub.len, 2);
    r = latch_rd_make(u24, 2);
    CHECK_ERR(latch_field_vec(&r, "V.e", 3, 1, 0xFFFFFF, &sub), LATCH_ERR_DECODE);
    CHECK_DETAIL("V.e: truncated length");
    r = latch_rd_make(u24, 1);
    CHECK_ERR(latch_field_vec(&r, "V.f", 1, 1, 255, &sub), LATCH_ERR_DECODE);
    CHECK_DETAIL("V.f: length 0 outside <1..255>");

    r = latch_rd_make(ok, sizeof ok);
    CHECK_ERR(latch_field_vec(&r, "V.g", 4, 0, 10, &sub), LATCH_ERR_INTERNAL);
}

static const latch_test cases[] = {
    TEST(test_scalars),
    TEST(test_copy_and_bytes),
    TEST(test_vec_details),
    {0},
};

LATCH_TEST_MAIN(cases)
