/* Fixed-buffer writer with sticky errors. See wr.h. */
#include "core/wr.h"

#include <string.h>

void latch_wr_init(latch_wr *w, uint8_t *buf, size_t cap)
{
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = (buf == NULL) ? 0 : cap;
}

static uint8_t *room(latch_wr *w, size_t n)
{
    uint8_t *p;

    if (w->err != LATCH_OK) {
        return NULL;
    }
    if (w->cap - w->len < n) {
        w->err = LATCH_ERR_BUFFER_TOO_SMALL;
        return NULL;
    }
    p = w->buf + w->len;
    w->len += n;
    return p;
}

static void put_be(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        p[n - 1 - i] = (uint8_t)(v >> (8 * i));
    }
}

static void wr_be(latch_wr *w, uint64_t v, unsigned n)
{
    uint8_t *p = room(w, n);

    if (p != NULL) {
        put_be(p, v, n);
    }
}

void latch_wr_u8(latch_wr *w, uint8_t v)
{
    wr_be(w, v, 1);
}

void latch_wr_u16(latch_wr *w, uint16_t v)
{
    wr_be(w, v, 2);
}

void latch_wr_u24(latch_wr *w, uint32_t v)
{
    if (v > 0xFFFFFFu) {
        if (w->err == LATCH_OK) {
            w->err = LATCH_ERR_INTERNAL;
        }
        return;
    }
    wr_be(w, v, 3);
}

void latch_wr_u32(latch_wr *w, uint32_t v)
{
    wr_be(w, v, 4);
}

void latch_wr_u64(latch_wr *w, uint64_t v)
{
    wr_be(w, v, 8);
}

void latch_wr_bytes(latch_wr *w, const uint8_t *p, size_t n)
{
    uint8_t *d;

    if (n == 0) {
        return;
    }
    d = room(w, n);
    if (d != NULL) {
        memmove(d, p, n);
    }
}

void latch_wr_zeros(latch_wr *w, size_t n)
{
    uint8_t *d = room(w, n);

    if (d != NULL && n > 0) {
        memset(d, 0, n);
    }
}

uint8_t *latch_wr_reserve(latch_wr *w, size_t n)
{
    return room(w, n);
}

void latch_wr_unreserve(latch_wr *w, size_t n)
{
    if (w->err != LATCH_OK) {
        return;
    }
    if (n > w->len || (w->depth > 0 && w->len - n < w->open_at[w->depth - 1] + w->open_len[w->depth - 1])) {
        w->err = LATCH_ERR_INTERNAL;
        return;
    }
    w->len -= n;
}

void latch_wr_open(latch_wr *w, unsigned len_bytes)
{
    uint8_t *p;

    if (w->err != LATCH_OK) {
        return;
    }
    if (len_bytes < 1 || len_bytes > 3 || w->depth == LATCH_WR_MAX_DEPTH) {
        w->err = LATCH_ERR_INTERNAL;
        return;
    }
    p = room(w, len_bytes);
    if (p == NULL) {
        return;
    }
    memset(p, 0xFF, len_bytes);
    w->open_at[w->depth] = (size_t)(p - w->buf);
    w->open_len[w->depth] = len_bytes;
    w->depth++;
}

void latch_wr_close(latch_wr *w, size_t min, size_t max)
{
    size_t at, body;
    unsigned n;
    uint64_t field_max;

    if (w->err != LATCH_OK) {
        return;
    }
    if (w->depth == 0) {
        w->err = LATCH_ERR_INTERNAL;
        return;
    }
    w->depth--;
    at = w->open_at[w->depth];
    n = w->open_len[w->depth];
    body = w->len - at - n;
    field_max = (UINT64_C(1) << (8 * n)) - 1;
    if (body < min || body > max || (uint64_t)body > field_max) {
        w->err = LATCH_ERR_INTERNAL;
        return;
    }
    put_be(w->buf + at, body, n);
}

latch_err latch_wr_finish(const latch_wr *w)
{
    if (w->err != LATCH_OK) {
        return w->err;
    }
    return (w->depth == 0) ? LATCH_OK : LATCH_ERR_INTERNAL;
}
