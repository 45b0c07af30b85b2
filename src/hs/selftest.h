/*
 * The key-schedule self-test behind latch_selftest() (selftest.c), split so
 * that tests can feed it altered inputs and watch it fail.
 */
#ifndef LATCH_HS_SELFTEST_H
#define LATCH_HS_SELFTEST_H

#include <latch/latch.h>

/** The inputs the self-test replays: RFC 8448 §3 by default. */
typedef struct latch__selftest_input {
    const uint8_t *client_hello;
    size_t client_hello_len;
    const uint8_t *server_hello;
    size_t server_hello_len;
    const uint8_t *encrypted_extensions;
    size_t encrypted_extensions_len;
    const uint8_t *certificate;
    size_t certificate_len;
    const uint8_t *certificate_verify;
    size_t certificate_verify_len;
    const uint8_t *dhe; /* the (EC)DHE shared secret */
    size_t dhe_len;
    const uint8_t *ticket_nonce;
    size_t ticket_nonce_len;
} latch__selftest_input;

typedef void latch__selftest_report(void *user, const char *label, const uint8_t *value, size_t len);

/** The embedded RFC 8448 §3 inputs. */
const latch__selftest_input *latch__selftest_rfc8448(void);

/**
 * Run the key schedule on \p in and compare each value with the RFC 8448 §3
 * results; see latch_selftest() for report and the return codes.
 */
LATCH_MUST_CHECK latch_err latch__selftest_run(const latch__selftest_input *in, latch__selftest_report *report,
                                               void *user);

#endif
