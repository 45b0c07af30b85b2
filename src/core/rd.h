/*
 * latch_rd: a bounds-checked cursor over borrowed bytes. Every parser of peer
 * data reads through it; no other code does pointer arithmetic on wire data.
 *
 * On failure a function zeroes its outputs, leaves the cursor where it was,
 * and returns LATCH_ERR_DECODE (it does not record a location: the parser that
 * called it does, through LATCH_TRY). Views (latch_rd) borrow the same memory
 * and must not outlive it.
 */
#ifndef LATCH_CORE_RD_H
#define LATCH_CORE_RD_H

#include <latch/error.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct latch_rd {
    const uint8_t *p; /* next unread byte */
    size_t len;       /* bytes left */
} latch_rd;

/** A cursor over p[0..len). */
latch_rd latch_rd_make(const uint8_t *p, size_t len);

LATCH_MUST_CHECK latch_err latch_rd_u8(latch_rd *r, uint8_t *v);
LATCH_MUST_CHECK latch_err latch_rd_u16(latch_rd *r, uint16_t *v);
LATCH_MUST_CHECK latch_err latch_rd_u24(latch_rd *r, uint32_t *v);
LATCH_MUST_CHECK latch_err latch_rd_u32(latch_rd *r, uint32_t *v);
LATCH_MUST_CHECK latch_err latch_rd_u64(latch_rd *r, uint64_t *v);

/** Take the next n bytes as a view. */
LATCH_MUST_CHECK latch_err latch_rd_bytes(latch_rd *r, size_t n, latch_rd *view);

/** Copy the next n bytes into out. */
LATCH_MUST_CHECK latch_err latch_rd_copy(latch_rd *r, uint8_t *out, size_t n);

/** Skip n bytes. */
LATCH_MUST_CHECK latch_err latch_rd_skip(latch_rd *r, size_t n);

/**
 * Read a vector with a len_bytes-byte (1, 2 or 3) length prefix, as the RFC's
 * `opaque x<min..max>`: the length must lie in [min, max] and fit in what is
 * left. The body becomes *sub.
 */
LATCH_MUST_CHECK latch_err latch_rd_vec(latch_rd *r, unsigned len_bytes, size_t min, size_t max,
                                        latch_rd *sub);

/** LATCH_OK when no bytes are left; LATCH_ERR_DECODE on trailing bytes. */
LATCH_MUST_CHECK latch_err latch_rd_end(const latch_rd *r);

static inline size_t latch_rd_left(const latch_rd *r)
{
    return r->len;
}

static inline bool latch_rd_empty(const latch_rd *r)
{
    return r->len == 0;
}

#endif
