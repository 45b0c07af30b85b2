/*
 * Secrets: a fixed-size type for key-schedule secrets, and wiping that the
 * compiler cannot elide. Wipe on free, on every error path, after each
 * key-schedule step once the previous secret is no longer needed, and before
 * a buffer is reused (STYLE.md §8).
 */
#ifndef LATCH_CORE_WIPE_H
#define LATCH_CORE_WIPE_H

#include <stddef.h>
#include <stdint.h>

#define LATCH_SECRET_MAX 64

typedef struct latch_secret {
    uint8_t b[LATCH_SECRET_MAX];
    uint8_t len;
} latch_secret;

/** Overwrite p[0..n) with zeros; never optimised away. */
void latch_wipe(void *p, size_t n);

/** Wipe a secret and set its length to 0. */
void latch_secret_wipe(latch_secret *s);

/** Set a secret from bytes (n <= LATCH_SECRET_MAX), wiping the old value. */
void latch_secret_set(latch_secret *s, const uint8_t *p, size_t n);

#endif
