/* Bounds-checked reader. See rd.h. */
#include "core/rd.h"

#include <string.h>

latch_rd latch_rd_make(const uint8_t *p, size_t len)
{
    latch_rd r;

    r.p = (len == 0) ? NULL : p;
    r.len = (p == NULL) ? 0 : len;
    return r;
}

static latch_err rd_be(latch_rd *r, size_t n, uint64_t *v)
{
    uint64_t x = 0;

    *v = 0;
    if (r->len < n) {
        return LATCH_ERR_DECODE;
    }
    for (size_t i = 0; i < n; i++) {
        x = (x << 8) | r->p[i];
    }
    r->p += n;
    r->len -= n;
    *v = x;
    return LATCH_OK;
}

latch_err latch_rd_u8(latch_rd *r, uint8_t *v)
{
    uint64_t x;
    latch_err e = rd_be(r, 1, &x);

    *v = (uint8_t)x;
    return e;
}

latch_err latch_rd_u16(latch_rd *r, uint16_t *v)
{
    uint64_t x;
    latch_err e = rd_be(r, 2, &x);

    *v = (uint16_t)x;
    return e;
}

latch_err latch_rd_u24(latch_rd *r, uint32_t *v)
{
    uint64_t x;
    latch_err e = rd_be(r, 3, &x);

    *v = (uint32_t)x;
    return e;
}

latch_err latch_rd_u32(latch_rd *r, uint32_t *v)
{
    uint64_t x;
    latch_err e = rd_be(r, 4, &x);

    *v = (uint32_t)x;
    return e;
}

latch_err latch_rd_u64(latch_rd *r, uint64_t *v)
{
    return rd_be(r, 8, v);
}

latch_err latch_rd_bytes(latch_rd *r, size_t n, latch_rd *view)
{
    view->p = NULL;
    view->len = 0;
    if (r->len < n) {
        return LATCH_ERR_DECODE;
    }
    view->p = (n == 0) ? NULL : r->p;
    view->len = n;
    r->p += n;
    r->len -= n;
    return LATCH_OK;
}

latch_err latch_rd_copy(latch_rd *r, uint8_t *out, size_t n)
{
    if (r->len < n) {
        if (n > 0) {
            memset(out, 0, n);
        }
        return LATCH_ERR_DECODE;
    }
    if (n > 0) {
        memcpy(out, r->p, n);
    }
    r->p += n;
    r->len -= n;
    return LATCH_OK;
}

latch_err latch_rd_skip(latch_rd *r, size_t n)
{
    if (r->len < n) {
        return LATCH_ERR_DECODE;
    }
    r->p += n;
    r->len -= n;
    return LATCH_OK;
}

latch_err latch_rd_vec(latch_rd *r, unsigned len_bytes, size_t min, size_t max, latch_rd *sub)
{
    latch_rd save = *r;
    uint64_t n;

    sub->p = NULL;
    sub->len = 0;
    if (len_bytes < 1 || len_bytes > 3) {
        return LATCH_ERR_DECODE;
    }
    if (rd_be(r, len_bytes, &n) != LATCH_OK || n < min || n > max || n > r->len) {
        *r = save;
        return LATCH_ERR_DECODE;
    }
    return latch_rd_bytes(r, (size_t)n, sub);
}

latch_err latch_rd_end(const latch_rd *r)
{
    return (r->len == 0) ? LATCH_OK : LATCH_ERR_DECODE;
}
