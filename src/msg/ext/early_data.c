/* early_data (RFC 8446 §4.2.10). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.2.10:
 *   struct {} Empty;
 *
 *   struct {
 *       select (Handshake.msg_type) {
 *           case new_session_ticket:   uint32 max_early_data_size;
 *           case client_hello:         Empty;
 *           case encrypted_extensions: Empty;
 *       };
 *   } EarlyDataIndication;
 */
latch_err latch_ext_early_data_nst_parse(latch_rd data, uint32_t *max_size)
{
    uint32_t v;

    *max_size = 0;
    LATCH_TRY(latch_field_u32(&data, "early_data.max_early_data_size", &v));
    LATCH_TRY(latch_field_end(&data, "early_data"));
    *max_size = v;
    return LATCH_OK;
}

void latch_ext_early_data_nst_build(latch_wr *w, uint32_t max_size)
{
    latch_wr_u16(w, LATCH_EXT_EARLY_DATA);
    latch_wr_open(w, 2);
    latch_wr_u32(w, max_size);
    latch_wr_close(w, 4, 4);
}
