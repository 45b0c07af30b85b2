/* Stateless tickets (src/hs/ticket.c): sealing, opening, tampering, rotation. */
#include "harness.h"

#include "hs/ticket.h"

#include <string.h>

static latch_session sample(void)
{
    latch_session s;

    memset(&s, 0, sizeof s);
    s.version = LATCH_TLS13;
    s.suite = LATCH_TLS_AES_256_GCM_SHA384;
    memset(s.secret.b, 0x11, 48);
    s.secret.len = 48;
    s.issued = 1000;
    s.lifetime = 100;
    return s;
}

static void test_seal_open(void)
{
    const latch_provider *p = latch_provider_openssl();
    latch_ticket_keys k;
    latch_session s = sample(), t;
    uint8_t tk[LATCH_TICKET_MAX], tk2[LATCH_TICKET_MAX];
    size_t n, n2;

    REQUIRE_OK(latch_ticket_keys_init(&k, 100));
    REQUIRE_OK(latch_ticket_seal(p, &k, 1000, &s, tk, sizeof tk, &n));
    CHECK(n > LATCH_TICKET_OVERHEAD);
    REQUIRE_OK(latch_ticket_open(p, &k, tk, n, &t));
    CHECK_MEM(t.secret.b, t.secret.len, s.secret.b, 48);
    CHECK_EQ(t.suite, s.suite);
    /* Two seals of the same session differ (fresh nonce) and the secret is not in clear. */
    REQUIRE_OK(latch_ticket_seal(p, &k, 1001, &s, tk2, sizeof tk2, &n2));
    CHECK(n2 == n && memcmp(tk, tk2, n) != 0);
    for (size_t i = 0; i + 48 <= n; i++) {
        CHECK(memcmp(tk + i, s.secret.b, 8) != 0);
    }
    /* Any flipped byte, a truncation or an extension is refused. */
    for (size_t i = 0; i < n; i++) {
        tk[i] ^= 0x80;
        CHECK_ERR(latch_ticket_open(p, &k, tk, n, &t), LATCH_ERR_BAD_PSK);
        CHECK_EQ(t.secret.len, 0);
        tk[i] ^= 0x80;
    }
    CHECK_ERR(latch_ticket_open(p, &k, tk, n - 1, &t), LATCH_ERR_BAD_PSK);
    CHECK_ERR(latch_ticket_open(p, &k, tk, 10, &t), LATCH_ERR_BAD_PSK);
    /* The key's contexts outlive those failures: both tickets still open. */
    REQUIRE_OK(latch_ticket_open(p, &k, tk, n, &t));
    CHECK_MEM(t.secret.b, t.secret.len, s.secret.b, 48);
    CHECK_OK(latch_ticket_open(p, &k, tk2, n2, &t));
    latch_ticket_keys_cleanup(&k);
}

/* A buffer too small for the session: every size fails, and none leaves
 * the session's secret in it. */
static void test_too_small(void)
{
    const latch_provider *p = latch_provider_openssl();
    latch_ticket_keys k;
    latch_session s = sample();
    uint8_t tk[LATCH_TICKET_MAX];
    size_t n, full;

    REQUIRE_OK(latch_ticket_keys_init(&k, 100));
    REQUIRE_OK(latch_ticket_seal(p, &k, 1000, &s, tk, sizeof tk, &full));
    for (size_t cap = 0; cap < full; cap++) {
        memset(tk, 0xEE, sizeof tk);
        CHECK(latch_ticket_seal(p, &k, 1000, &s, tk, cap, &n) != LATCH_OK);
        CHECK_EQ(n, 0);
        for (size_t i = 0; i + 4 <= sizeof tk; i++) {
            if (memcmp(tk + i, s.secret.b, 4) == 0) {
                latch_test_fail(__FILE__, __LINE__, "secret bytes left at %zu with cap %zu", i, cap);
                break;
            }
        }
    }
    latch_ticket_keys_cleanup(&k);
}

/* A ticket opens under the current and the previous key, not older ones;
 * another server's keys do not open it. */
static void test_rotation(void)
{
    const latch_provider *p = latch_provider_openssl();
    latch_ticket_keys k, other;
    latch_session s = sample(), t;
    uint8_t tk[LATCH_TICKET_MAX], tk2[LATCH_TICKET_MAX];
    size_t n, n2;

    REQUIRE_OK(latch_ticket_keys_init(&k, 100));
    REQUIRE_OK(latch_ticket_keys_init(&other, 100));
    REQUIRE_OK(latch_ticket_seal(p, &k, 1000, &s, tk, sizeof tk, &n));
    REQUIRE_OK(latch_ticket_seal(p, &other, 1000, &s, tk2, sizeof tk2, &n2));
    CHECK_ERR(latch_ticket_open(p, &k, tk2, n2, &t), LATCH_ERR_BAD_PSK);
    REQUIRE_OK(latch_ticket_seal(p, &k, 1100, &s, tk2, sizeof tk2, &n2)); /* rotates */
    CHECK_OK(latch_ticket_open(p, &k, tk, n, &t));                        /* previous key */
    CHECK_OK(latch_ticket_open(p, &k, tk2, n2, &t));
    REQUIRE_OK(latch_ticket_seal(p, &k, 1200, &s, tk2, sizeof tk2, &n2)); /* rotates again */
    CHECK_ERR(latch_ticket_open(p, &k, tk, n, &t), LATCH_ERR_BAD_PSK);    /* two keys ago */
    latch_ticket_keys_cleanup(&k);
    latch_ticket_keys_cleanup(&other);
}

/* A key set by hand: two key stores holding the same key open each other's
 * tickets, and setting it drops the keys before it. */
static void test_fixed_key(void)
{
    const latch_provider *p = latch_provider_openssl();
    static const uint8_t name[LATCH_TICKET_NAME_LEN] = "fixed ticket key";
    uint8_t key[32], tk[LATCH_TICKET_MAX], tk2[LATCH_TICKET_MAX];
    latch_ticket_keys a, b;
    latch_session s = sample(), t;
    size_t n, n2;

    memset(key, 0x5A, sizeof key);
    REQUIRE_OK(latch_ticket_keys_init(&a, 100));
    REQUIRE_OK(latch_ticket_keys_init(&b, 100));
    REQUIRE_OK(latch_ticket_seal(p, &a, 1000, &s, tk2, sizeof tk2, &n2)); /* under a random key */
    REQUIRE_OK(latch_ticket_keys_set(&a, p, name, key, 1000));
    REQUIRE_OK(latch_ticket_keys_set(&b, p, name, key, 1000));
    CHECK_ERR(latch_ticket_open(p, &a, tk2, n2, &t), LATCH_ERR_BAD_PSK); /* that key is gone */
    REQUIRE_OK(latch_ticket_seal(p, &a, 1010, &s, tk, sizeof tk, &n));
    CHECK_MEM(tk, LATCH_TICKET_NAME_LEN, name, sizeof name);
    REQUIRE_OK(latch_ticket_open(p, &b, tk, n, &t));
    CHECK_MEM(t.secret.b, t.secret.len, s.secret.b, 48);
    latch_ticket_keys_cleanup(&a);
    latch_ticket_keys_cleanup(&b);
}

static const latch_test cases[] = {
    TEST(test_fixed_key),
    TEST(test_too_small),
    TEST(test_seal_open),
    TEST(test_rotation),
    {0},
};

LATCH_TEST_MAIN(cases)
