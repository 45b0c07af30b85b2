/* Tests for Finished (src/msg/finished.c). */
#include "msg_test_util.h"

static latch_rd g_vd;
static size_t g_len;
static const uint8_t *b_vd;
static size_t b_len;

static latch_err parse(latch_rd body)
{
    return latch_finished_parse(body, g_len, &g_vd);
}

static latch_err build(latch_wr *w)
{
    return latch_finished_build(w, b_vd, b_len);
}

/* RFC 8448 §3: the server's Finished carries the "finished" value computed
 * just before it. */
static void test_rfc8448(void)
{
    const uint8_t *msg;
    size_t len, fin_len;
    latch_rd body = rfc_msg(3, "server", "construct a Finished", "Finished", 0, LATCH_HS_FINISHED, &msg, &len);
    const uint8_t *fin = rfc8448(3, "server", "calculate finished", "finished", 0, &fin_len);
    static uint8_t copy[64];

    g_len = 32;
    REQUIRE_OK(latch_finished_parse(body, 32, &g_vd));
    CHECK_MEM(g_vd.p, g_vd.len, fin, fin_len);
    CHECK_TRUNCATIONS(parse, body.p, body.len, NO_OK_PREFIX);
    b_vd = fin;
    b_len = fin_len;
    memcpy(copy, msg, len);
    CHECK_BUILD_CAPS(build, copy, len);

    /* The client's, too. */
    body = rfc_msg(3, "client", "construct a Finished", "Finished", 0, LATCH_HS_FINISHED, &msg, &len);
    fin = rfc8448(3, "client", "calculate finished", "finished", 0, &fin_len);
    REQUIRE_OK(latch_finished_parse(body, 32, &g_vd));
    CHECK_MEM(g_vd.p, g_vd.len, fin, fin_len);
}

static void test_lengths(void)
{
    uint8_t vd[48] = {1};
    latch_wr w;
    uint8_t buf[64];

    /* Exactly verify_len: SHA-384 suites have 48 bytes, TLS 1.2 has 12. */
    g_len = 48;
    CHECK_OK(parse_exact(parse, vd, 48));
    CHECK_ERR(parse_exact(parse, vd, 32), LATCH_ERR_DECODE);
    CHECK_DETAIL("Finished.verify_data: 32 bytes, expected 48");
    g_len = 12;
    CHECK_OK(parse_exact(parse, vd, 12));
    CHECK_ERR(parse_exact(parse, vd, 13), LATCH_ERR_DECODE);
    CHECK_ERR(parse_exact(parse, vd, 11), LATCH_ERR_DECODE);
    CHECK(g_vd.p == NULL && g_vd.len == 0);
    latch_wr_init(&w, buf, sizeof buf);
    CHECK_ERR(latch_finished_build(&w, vd, 0), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_finished_build(&w, vd, LATCH_HASH_MAX_LEN + 1), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(latch_wr_len(&w), 0);
    CHECK_OK(latch_finished_build(&w, vd, 12));
    CHECK_MEM(buf, 4, (const uint8_t *)"\x14\x00\x00\x0c", 4);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_lengths),
    {0},
};

LATCH_TEST_MAIN(cases)
