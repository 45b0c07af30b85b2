/* early_data in NewSessionTicket (src/msg/ext/early_data.c): a uint32. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t max = 0;
    latch_err e;

    latch__err_clear();
    e = latch_ext_early_data_nst_parse(latch_rd_make(data, size), &max);
    fz_check_failure(e);
    FZ_ASSERT((e == LATCH_OK) == (size == 4), "max_early_data_size length check");
    FZ_ASSERT(e != LATCH_OK ||
                  max == ((uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 | data[3]),
              "max_early_data_size misread");
    return 0;
}
