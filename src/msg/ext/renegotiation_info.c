/* renegotiation_info (RFC 5746 §3.2). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 5746 §3.2:
 *   struct {
 *       opaque renegotiated_connection<0..255>;
 *   } RenegotiationInfo;
 */
latch_err latch_ext_reneg_parse(latch_rd data, latch_rd *verify_data)
{
    latch_rd v;

    *verify_data = (latch_rd){0};
    LATCH_TRY(latch_field_vec(&data, "renegotiation_info.renegotiated_connection", 1, 0, 255, &v));
    LATCH_TRY(latch_field_end(&data, "renegotiation_info"));
    *verify_data = v;
    return LATCH_OK;
}

void latch_ext_reneg_build(latch_wr *w, const uint8_t *verify_data, size_t len)
{
    latch_wr_u16(w, LATCH_EXT_RENEGOTIATION_INFO);
    latch_wr_open(w, 2);
    latch_wr_open(w, 1);
    latch_wr_bytes(w, verify_data, len);
    latch_wr_close(w, 0, 255);
    latch_wr_close(w, 0, 0xFFFF);
}
