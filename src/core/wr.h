/*
 * latch_wr: a writer into a caller-owned fixed buffer.
 *
 * Errors are sticky: after the first failure (no room, a vector over its
 * maximum, an unbalanced close) every call does nothing, and latch_wr_finish()
 * returns the error. Length-prefixed vectors are opened with a placeholder of
 * 0xFF bytes, so an interrupted encoding can never read as a shorter valid
 * structure, and the length is patched and range-checked on close.
 */
#ifndef LATCH_CORE_WR_H
#define LATCH_CORE_WR_H

#include <latch/error.h>
#include <stddef.h>
#include <stdint.h>

#define LATCH_WR_MAX_DEPTH 8

typedef struct latch_wr {
    uint8_t *buf;
    size_t cap;
    size_t len;
    latch_err err;
    unsigned depth;
    size_t open_at[LATCH_WR_MAX_DEPTH];    /* offset of each open length field */
    unsigned open_len[LATCH_WR_MAX_DEPTH]; /* its size in bytes */
} latch_wr;

/** Start writing into buf[0..cap). */
void latch_wr_init(latch_wr *w, uint8_t *buf, size_t cap);

void latch_wr_u8(latch_wr *w, uint8_t v);
void latch_wr_u16(latch_wr *w, uint16_t v);
void latch_wr_u24(latch_wr *w, uint32_t v);
void latch_wr_u32(latch_wr *w, uint32_t v);
void latch_wr_u64(latch_wr *w, uint64_t v);
void latch_wr_bytes(latch_wr *w, const uint8_t *p, size_t n);
void latch_wr_zeros(latch_wr *w, size_t n);

/**
 * Reserve n bytes and return a pointer to them (NULL after an error), for
 * producers that write in place (signatures, key shares). The caller must
 * fill them before the buffer is used.
 */
uint8_t *latch_wr_reserve(latch_wr *w, size_t n);

/** Give back the last n bytes of a reservation that turned out shorter. */
void latch_wr_unreserve(latch_wr *w, size_t n);

/** Open a vector with a len_bytes-byte (1, 2 or 3) length prefix. */
void latch_wr_open(latch_wr *w, unsigned len_bytes);

/** Close the innermost open vector; its body must lie in [min, max]. */
void latch_wr_close(latch_wr *w, size_t min, size_t max);

/** Bytes written so far. */
static inline size_t latch_wr_len(const latch_wr *w)
{
    return w->len;
}

/** LATCH_OK if everything fit and every vector was closed. */
LATCH_MUST_CHECK latch_err latch_wr_finish(const latch_wr *w);

#endif
