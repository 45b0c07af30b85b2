/*
 * Byte-level helpers for tests that look at or tamper with what a
 * connection sends: drain its output, cut it into records, find a
 * handshake message in plaintext records, feed records back one by one.
 * Header-only (static inline), like msg_test_util.h.
 */
#ifndef LATCH_TEST_WIRE_H
#define LATCH_TEST_WIRE_H

#include <latch/latch.h>
#include <stdlib.h>
#include <string.h>

#define WIRE_MAX 65536
#define WIRE_MAX_RECORDS 32

typedef struct wire {
    uint8_t b[WIRE_MAX];
    size_t n;
    size_t rec_off[WIRE_MAX_RECORDS]; /* offset of each record's header */
    size_t rec_len[WIRE_MAX_RECORDS]; /* body length of each record */
    size_t n_recs;
} wire;

/* Take everything c has to send (aborts if it does not fit). */
static inline void wire_drain(latch_conn *c, wire *w)
{
    const uint8_t *d;
    size_t n;

    w->n = 0;
    w->n_recs = 0;
    for (;;) {
        if (latch_conn_output(c, &d, &n) != LATCH_OK || n == 0) {
            break;
        }
        if (w->n + n > sizeof w->b) {
            abort();
        }
        memcpy(w->b + w->n, d, n);
        w->n += n;
        latch_conn_output_done(c, n);
    }
    for (size_t off = 0; off + 5 <= w->n && w->n_recs < WIRE_MAX_RECORDS;) {
        size_t len = (size_t)w->b[off + 3] << 8 | w->b[off + 4];

        w->rec_off[w->n_recs] = off;
        w->rec_len[w->n_recs] = len;
        w->n_recs++;
        off += 5 + len;
    }
}

static inline uint8_t wire_type(const wire *w, size_t i)
{
    return w->b[w->rec_off[i]];
}

static inline uint8_t *wire_body(wire *w, size_t i)
{
    return w->b + w->rec_off[i] + 5;
}

/* Feed records [from, to) to c; returns the feed result. */
static inline latch_err wire_feed(latch_conn *c, const wire *w, size_t from, size_t to)
{
    size_t start = w->rec_off[from], end = to < w->n_recs ? w->rec_off[to] : w->n, used;

    return latch_conn_feed(c, w->b + start, end - start, &used);
}

/* The offset in w->b of the first handshake message of type t in the
 * plaintext handshake records (its 4-byte header), or 0 if none. */
static inline size_t wire_find_msg(const wire *w, uint8_t t)
{
    for (size_t i = 0; i < w->n_recs; i++) {
        size_t off = w->rec_off[i] + 5, end = off + w->rec_len[i];

        if (w->b[w->rec_off[i]] != 22) {
            continue;
        }
        while (off + 4 <= end) {
            size_t len = (size_t)w->b[off + 1] << 16 | (size_t)w->b[off + 2] << 8 | w->b[off + 3];

            if (w->b[off] == t) {
                return off;
            }
            off += 4 + len;
        }
    }
    return 0;
}

/* Wrap a handshake message (or any payload) in one plaintext record. */
static inline size_t wire_record(uint8_t type, const uint8_t *p, size_t n, uint8_t *out)
{
    out[0] = type;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)(n >> 8);
    out[4] = (uint8_t)n;
    memcpy(out + 5, p, n);
    return n + 5;
}

#endif
