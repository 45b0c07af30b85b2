/* psk_key_exchange_modes (RFC 8446 §4.2.9). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.2.9:
 *   enum { psk_ke(0), psk_dhe_ke(1), (255) } PskKeyExchangeMode;
 *
 *   struct {
 *       PskKeyExchangeMode ke_modes<1..255>;
 *   } PskKeyExchangeModes;
 */
latch_err latch_ext_psk_modes_parse(latch_rd data, latch_rd *modes)
{
    latch_rd m;

    *modes = (latch_rd){0};
    LATCH_TRY(latch_field_vec(&data, "psk_key_exchange_modes.ke_modes", 1, 1, 255, &m));
    LATCH_TRY(latch_field_end(&data, "psk_key_exchange_modes"));
    *modes = m;
    return LATCH_OK;
}

void latch_ext_psk_modes_build(latch_wr *w, const uint8_t *modes, size_t n)
{
    latch_wr_u16(w, LATCH_EXT_PSK_KEY_EXCHANGE_MODES);
    latch_wr_open(w, 2);
    latch_wr_open(w, 1);
    latch_wr_bytes(w, modes, n);
    latch_wr_close(w, 1, 255);
    latch_wr_close(w, 0, 0xFFFF);
}
