/* cookie (RFC 8446 §4.2.2). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.2.2:
 *   struct {
 *       opaque cookie<1..2^16-1>;
 *   } Cookie;
 */
latch_err latch_ext_cookie_parse(latch_rd data, latch_rd *cookie)
{
    latch_rd c;

    *cookie = (latch_rd){0};
    LATCH_TRY(latch_field_vec(&data, "cookie.cookie", 2, 1, 0xFFFF, &c));
    LATCH_TRY(latch_field_end(&data, "cookie"));
    *cookie = c;
    return LATCH_OK;
}

void latch_ext_cookie_build(latch_wr *w, const uint8_t *cookie, size_t len)
{
    latch_wr_u16(w, LATCH_EXT_COOKIE);
    latch_wr_open(w, 2);
    latch_wr_open(w, 2);
    latch_wr_bytes(w, cookie, len);
    latch_wr_close(w, 1, 0xFFFF); /* cookie<1..2^16-1> */
    latch_wr_close(w, 0, 0xFFFF);
}
