/* psk_key_exchange_modes (src/msg/ext/psk_key_exchange_modes.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_rd modes;
    latch_err e;

    latch__err_clear();
    e = latch_ext_psk_modes_parse(latch_rd_make(data, size), &modes);
    fz_check_failure(e);
    FZ_ASSERT(e != LATCH_OK || (modes.len >= 1 && modes.len + 1 == size), "bad ke_modes accepted");
    (void)fz_touch(modes);
    return 0;
}
