/*
 * Tests for latch_selftest() (src/hs/selftest.c): it passes, it reports every
 * value in order, each reported value is the one in the RFC 8448 text (so
 * the arrays embedded in the library were copied right), and it fails, naming
 * the right value, when an input is altered.
 */
#include "core/err.h"
#include "harness.h"
#include "hs/selftest.h"
#include "rfc8448.h"

#include <string.h>

#define MAX_REPORTS 40

typedef struct reports {
    int n;
    char label[MAX_REPORTS][64];
    uint8_t value[MAX_REPORTS][64];
    size_t len[MAX_REPORTS];
} reports;

static void collect(void *user, const char *label, const uint8_t *value, size_t len)
{
    reports *r = user;

    if (r->n < MAX_REPORTS && len <= sizeof r->value[0]) {
        snprintf(r->label[r->n], sizeof r->label[0], "%s", label);
        memcpy(r->value[r->n], value, len);
        r->len[r->n] = len;
    }
    r->n++;
}

/* What the self-test reports, in order, and where RFC 8448 §3 prints it. */
static const struct {
    const char *label, *role, *step, *field;
} expected[] = {
    {"early secret", "server", "extract secret \"early\"", "secret"},
    {"handshake secret", "server", "extract secret \"handshake\"", "secret"},
    {"transcript hash ClientHello..ServerHello", "server", "derive secret \"tls13 c hs traffic\"", "hash"},
    {"c hs traffic", "server", "derive secret \"tls13 c hs traffic\"", "expanded"},
    {"s hs traffic", "server", "derive secret \"tls13 s hs traffic\"", "expanded"},
    {"server handshake key", "server", "derive write traffic keys for handshake data", "key expanded"},
    {"server handshake iv", "server", "derive write traffic keys for handshake data", "iv expanded"},
    {"client handshake key", "server", "derive read traffic keys for handshake data", "key expanded"},
    {"client handshake iv", "server", "derive read traffic keys for handshake data", "iv expanded"},
    {"master secret", "server", "extract secret \"master\"", "secret"},
    {"server finished_key", "server", "calculate finished \"tls13 finished\"", "expanded"},
    {"server verify_data", "server", "calculate finished \"tls13 finished\"", "finished"},
    {"transcript hash ClientHello..server Finished", "server", "derive secret \"tls13 c ap traffic\"", "hash"},
    {"c ap traffic", "server", "derive secret \"tls13 c ap traffic\"", "expanded"},
    {"s ap traffic", "server", "derive secret \"tls13 s ap traffic\"", "expanded"},
    {"exp master", "server", "derive secret \"tls13 exp master\"", "expanded"},
    {"server application key", "server", "derive write traffic keys for application data", "key expanded"},
    {"server application iv", "server", "derive write traffic keys for application data", "iv expanded"},
    {"client application key", "client", "derive write traffic keys for application data", "key expanded"},
    {"client application iv", "client", "derive write traffic keys for application data", "iv expanded"},
    {"client finished_key", "client", "calculate finished \"tls13 finished\"", "expanded"},
    {"client verify_data", "client", "calculate finished \"tls13 finished\"", "finished"},
    {"transcript hash ClientHello..client Finished", "client", "derive secret \"tls13 res master\"", "hash"},
    {"res master", "client", "derive secret \"tls13 res master\"", "expanded"},
    {"resumption PSK", "server", "generate resumption secret \"tls13 resumption\"", "expanded"},
};

#define NEXPECTED ((int)(sizeof expected / sizeof expected[0]))

static int find_label(const char *label)
{
    for (int i = 0; i < NEXPECTED; i++) {
        if (strcmp(expected[i].label, label) == 0) {
            return i;
        }
    }
    return -1;
}

static void test_passes_and_reports_rfc_values(void)
{
    reports r;

    memset(&r, 0, sizeof r);
    CHECK_OK(latch_selftest(collect, &r));
    CHECK_EQ(r.n, NEXPECTED);
    for (int i = 0; i < r.n && i < NEXPECTED; i++) {
        size_t n;
        const uint8_t *want = rfc8448(3, expected[i].role, expected[i].step, expected[i].field, 0, &n);

        if (strcmp(r.label[i], expected[i].label) != 0) {
            latch_test_fail(__FILE__, __LINE__, "report %d is '%s', expected '%s'", i, r.label[i],
                            expected[i].label);
        }
        CHECK_MEM(r.value[i], r.len[i], want, n);
    }
}

static void test_null_report(void)
{
    CHECK_OK(latch_selftest(NULL, NULL));
}

/* Run on altered inputs: the run fails at `first_bad`, after reporting it,
 * and everything reported before it still matched. */
static void expect_failure_at(const latch__selftest_input *in, const char *first_bad)
{
    reports r;
    int bad = find_label(first_bad);

    REQUIRE(bad >= 0);
    memset(&r, 0, sizeof r);
    latch__err_clear();
    CHECK_ERR(latch__selftest_run(in, collect, &r), LATCH_ERR_INTERNAL);
    CHECK(strstr(latch__err_last()->detail, first_bad) != NULL);
    CHECK_EQ(r.n, bad + 1);
    for (int i = 0; i < r.n && i < NEXPECTED; i++) {
        CHECK(strcmp(r.label[i], expected[i].label) == 0);
    }
}

static void test_altered_inputs_fail(void)
{
    const latch__selftest_input *rfc = latch__selftest_rfc8448();
    latch__selftest_input in;
    uint8_t dhe[32], cert[445], ch[196], nonce[2];

    REQUIRE(rfc->dhe_len == sizeof dhe && rfc->certificate_len == sizeof cert);
    REQUIRE(rfc->client_hello_len == sizeof ch && rfc->ticket_nonce_len == sizeof nonce);

    in = *rfc;
    memcpy(dhe, rfc->dhe, sizeof dhe);
    dhe[31] ^= 0x01;
    in.dhe = dhe;
    expect_failure_at(&in, "handshake secret");

    /* The random in the ClientHello changes nothing but the transcript. */
    in = *rfc;
    memcpy(ch, rfc->client_hello, sizeof ch);
    ch[10] ^= 0x80;
    in.client_hello = ch;
    expect_failure_at(&in, "transcript hash ClientHello..ServerHello");

    /* The certificate enters the key schedule only through the Finished MAC. */
    in = *rfc;
    memcpy(cert, rfc->certificate, sizeof cert);
    cert[200] ^= 0x01;
    in.certificate = cert;
    expect_failure_at(&in, "server verify_data");

    in = *rfc;
    memcpy(nonce, rfc->ticket_nonce, sizeof nonce);
    nonce[1] = 1;
    in.ticket_nonce = nonce;
    expect_failure_at(&in, "resumption PSK");
}

/* A malformed message is an input error caught by the transcript. */
static void test_malformed_input(void)
{
    latch__selftest_input in = *latch__selftest_rfc8448();

    in.server_hello_len--;
    latch__err_clear();
    CHECK_ERR(latch__selftest_run(&in, NULL, NULL), LATCH_ERR_INTERNAL);
    CHECK(strstr(latch__err_last()->detail, "transcript") != NULL);
}

static const latch_test cases[] = {
    TEST(test_passes_and_reports_rfc_values),
    TEST(test_null_report),
    TEST(test_altered_inputs_fail),
    TEST(test_malformed_input),
    {0},
};

LATCH_TEST_MAIN(cases)
