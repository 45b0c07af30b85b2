/* latch_key_update_parse (src/msg/key_update.c): exactly one byte, 0 or 1. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t req = 0xFF;
    latch_err e;

    latch__err_clear();
    e = latch_key_update_parse(latch_rd_make(data, size), &req);
    fz_check_failure(e);
    FZ_ASSERT((e == LATCH_OK) == (size == 1 && data[0] <= 1), "KeyUpdate accepted wrongly");
    FZ_ASSERT(e != LATCH_OK || req == data[0], "KeyUpdate request_update misread");
    return 0;
}
