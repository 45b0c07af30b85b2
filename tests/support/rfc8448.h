/*
 * Reader for the RFC 8448 trace file (tests/kat/data/rfc8448.txt, the RFC's
 * own text). It extracts every labelled byte string, such as
 *
 *   {server}  derive secret "tls13 s hs traffic":
 *      expanded (32 octets):  b6 7b 7d 69 ...
 *
 * as (section, role, step, field) -> bytes, so known-answer tests compare
 * against the RFC itself instead of hand-copied vectors.
 */
#ifndef LATCH_TEST_RFC8448_H
#define LATCH_TEST_RFC8448_H

#include <stddef.h>
#include <stdint.h>

/**
 * The nth (0-based) field named `field` in a step of section `section`
 * (3 = simple 1-RTT, 4 = resumed 0-RTT, 5 = HelloRetryRequest, 6 = client
 * authentication, 7 = compatibility mode) whose role is `role` ("client" or
 * "server") and whose title starts with `step`. Aborts the test program when
 * not found, so a typo cannot make a test pass vacuously.
 */
const uint8_t *rfc8448(int section, const char *role, const char *step, const char *field, int nth, size_t *len);

/** Like rfc8448() but returns NULL instead of aborting. */
const uint8_t *rfc8448_try(int section, const char *role, const char *step, const char *field, int nth,
                           size_t *len);

#endif
