/* padding (RFC 7685 §3). See ext.h. */
#include "msg/ext/ext.h"

/*
 * RFC 7685 §3: "The "extension_data" for the extension consists of an
 * arbitrary number of zero bytes."
 */
void latch_ext_padding_build(latch_wr *w, size_t len)
{
    latch_wr_u16(w, LATCH_EXT_PADDING);
    latch_wr_open(w, 2);
    latch_wr_zeros(w, len);
    latch_wr_close(w, 0, 0xFFFF);
}
