/* Named field reads. See field.h. */
#include "msg/field.h"

#include "core/err.h"

static latch_err truncated(const latch_rd *r, const char *what, size_t need)
{
    return LATCH_FAIL(LATCH_ERR_DECODE, "%s: truncated (%zu of %zu bytes)", what, latch_rd_left(r), need);
}

latch_err latch_field_u8(latch_rd *r, const char *what, uint8_t *v)
{
    if (latch_rd_u8(r, v) != LATCH_OK) {
        return truncated(r, what, 1);
    }
    return LATCH_OK;
}

latch_err latch_field_u16(latch_rd *r, const char *what, uint16_t *v)
{
    if (latch_rd_u16(r, v) != LATCH_OK) {
        return truncated(r, what, 2);
    }
    return LATCH_OK;
}

latch_err latch_field_u32(latch_rd *r, const char *what, uint32_t *v)
{
    if (latch_rd_u32(r, v) != LATCH_OK) {
        return truncated(r, what, 4);
    }
    return LATCH_OK;
}

latch_err latch_field_copy(latch_rd *r, const char *what, uint8_t *out, size_t n)
{
    if (latch_rd_copy(r, out, n) != LATCH_OK) {
        return truncated(r, what, n);
    }
    return LATCH_OK;
}

latch_err latch_field_bytes(latch_rd *r, const char *what, size_t n, latch_rd *view)
{
    if (latch_rd_bytes(r, n, view) != LATCH_OK) {
        return truncated(r, what, n);
    }
    return LATCH_OK;
}

latch_err latch_field_vec(latch_rd *r, const char *what, unsigned len_bytes, size_t min, size_t max,
                          latch_rd *sub)
{
    latch_rd peek = *r;
    uint32_t n = 0;
    latch_err e;

    if (latch_rd_vec(r, len_bytes, min, max, sub) == LATCH_OK) {
        return LATCH_OK;
    }
    /* Say which of the three ways the vector was wrong. */
    switch (len_bytes) {
    case 1: {
        uint8_t v;
        e = latch_rd_u8(&peek, &v);
        n = v;
        break;
    }
    case 2: {
        uint16_t v;
        e = latch_rd_u16(&peek, &v);
        n = v;
        break;
    }
    case 3:
        e = latch_rd_u24(&peek, &n);
        break;
    default:
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "%s: %u-byte length prefix", what, len_bytes);
    }
    if (e != LATCH_OK) {
        return LATCH_FAIL(LATCH_ERR_DECODE, "%s: truncated length", what);
    }
    if (n < min || n > max) {
        return LATCH_FAIL(LATCH_ERR_DECODE, "%s: length %u outside <%zu..%zu>", what, (unsigned)n, min, max);
    }
    return LATCH_FAIL(LATCH_ERR_DECODE, "%s: length %u but only %zu bytes follow", what, (unsigned)n,
                      latch_rd_left(&peek));
}

latch_err latch_field_end(const latch_rd *r, const char *what)
{
    if (latch_rd_end(r) != LATCH_OK) {
        return LATCH_FAIL(LATCH_ERR_DECODE, "%s: %zu trailing bytes", what, latch_rd_left(r));
    }
    return LATCH_OK;
}
