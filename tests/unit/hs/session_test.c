/* Session encoding (src/hs/session.c). */
#include "harness.h"

#include "hs/session.h"

#include <latch/provider.h>
#include <stdint.h>
#include <string.h>

static latch_session sample(void)
{
    latch_session s;

    memset(&s, 0, sizeof s);
    s.version = LATCH_TLS13;
    s.suite = LATCH_TLS_AES_128_GCM_SHA256;
    memset(s.secret.b, 0x5A, 32);
    s.secret.len = 32;
    s.issued = 1700000000;
    s.lifetime = 7200;
    s.age_add = 0xDEADBEEF;
    s.max_early_data = 16384;
    s.verified = true;
    memcpy(s.alpn, "h2", 2);
    s.alpn_len = 2;
    memcpy(s.sni, "example.com", 11);
    s.sni_len = 11;
    memset(s.ticket, 0xAB, 200);
    s.ticket_len = 200;
    return s;
}

static void test_round_trip(void)
{
    latch_session s = sample(), t;
    uint8_t buf[LATCH_SESSION_ENCODED_MAX];
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    REQUIRE_OK(latch_session_encode(&s, true, &w));
    REQUIRE_OK(latch_session_decode(latch_rd_make(buf, latch_wr_len(&w)), &t));
    CHECK_EQ(t.version, s.version);
    CHECK_EQ(t.suite, s.suite);
    CHECK_MEM(t.secret.b, t.secret.len, s.secret.b, s.secret.len);
    CHECK_EQ(t.issued, s.issued);
    CHECK_EQ(t.lifetime, 7200);
    CHECK(t.age_add == 0xDEADBEEF);
    CHECK_EQ(t.max_early_data, 16384);
    CHECK(t.verified && !t.external && !t.ems);
    CHECK_MEM(t.alpn, t.alpn_len, "h2", 2);
    CHECK_MEM(t.sni, t.sni_len, "example.com", 11);
    CHECK_MEM(t.ticket, t.ticket_len, s.ticket, 200);
    /* Without the ticket. */
    latch_wr_init(&w, buf, sizeof buf);
    REQUIRE_OK(latch_session_encode(&s, false, &w));
    REQUIRE_OK(latch_session_decode(latch_rd_make(buf, latch_wr_len(&w)), &t));
    CHECK_EQ(t.ticket_len, 0);
}

/* Every truncation, a trailing byte, a bad magic and bad flags are refused,
 * and a refused decode leaves no secret behind. */
static void test_malformed(void)
{
    latch_session s = sample(), t;
    uint8_t buf[LATCH_SESSION_ENCODED_MAX + 1];
    size_t n;
    latch_wr w;

    latch_wr_init(&w, buf, sizeof buf);
    REQUIRE_OK(latch_session_encode(&s, true, &w));
    n = latch_wr_len(&w);
    for (size_t i = 0; i < n; i++) {
        CHECK_ERR(latch_session_decode(latch_rd_make(buf, i), &t), LATCH_ERR_DECODE);
        CHECK_EQ(t.secret.len, 0);
        CHECK_EQ(t.secret.b[0], 0);
    }
    buf[n] = 0;
    CHECK_ERR(latch_session_decode(latch_rd_make(buf, n + 1), &t), LATCH_ERR_DECODE);
    buf[0] ^= 1;
    CHECK_ERR(latch_session_decode(latch_rd_make(buf, n), &t), LATCH_ERR_DECODE);
    buf[0] ^= 1;
    buf[4] = 0x03; /* version 0x0302: not one latch resumes */
    buf[5] = 0x02;
    CHECK_ERR(latch_session_decode(latch_rd_make(buf, n), &t), LATCH_ERR_DECODE);
}

static void test_fresh(void)
{
    latch_session s = sample();

    CHECK(latch_session_fresh(&s, s.issued));
    CHECK(latch_session_fresh(&s, s.issued + 7199));
    CHECK(!latch_session_fresh(&s, s.issued + 7200));
    CHECK(!latch_session_fresh(&s, s.issued - 3600)); /* issued in the future */
    s.external = true;
    CHECK(latch_session_fresh(&s, 0));
    latch_session_wipe(&s);
    CHECK(!latch_session_fresh(&s, 0));
}

/* Issue times out of range (the fuzzers found one that made the age
 * arithmetic overflow) are refused when decoding, and never fresh. */
static void test_time_range(void)
{
    static const int64_t bad[] = {INT64_MIN, -9223372035106039808, -1, LATCH_TIME_MAX + 1, INT64_MAX};
    latch_session s = sample(), t;
    uint8_t buf[LATCH_SESSION_ENCODED_MAX];
    latch_wr w;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s.issued = bad[i];
        latch_wr_init(&w, buf, sizeof buf);
        REQUIRE_OK(latch_session_encode(&s, true, &w));
        CHECK_ERR(latch_session_decode(latch_rd_make(buf, latch_wr_len(&w)), &t), LATCH_ERR_DECODE);
        CHECK(!latch_session_fresh(&s, 1748736000));
        CHECK(!latch_session_fresh(&s, bad[i]));
    }
    s.issued = LATCH_TIME_MAX;
    latch_wr_init(&w, buf, sizeof buf);
    REQUIRE_OK(latch_session_encode(&s, true, &w));
    REQUIRE_OK(latch_session_decode(latch_rd_make(buf, latch_wr_len(&w)), &t));
    CHECK(latch_session_fresh(&t, LATCH_TIME_MAX));
    CHECK(!latch_session_fresh(&t, INT64_MIN));
    CHECK(!latch_session_fresh(&t, INT64_MAX));
}

static const latch_test cases[] = {
    TEST(test_time_range),
    TEST(test_round_trip),
    TEST(test_malformed),
    TEST(test_fresh),
    {0},
};

LATCH_TEST_MAIN(cases)
