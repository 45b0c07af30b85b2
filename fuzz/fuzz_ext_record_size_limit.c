/* record_size_limit (src/msg/ext/record_size_limit.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint16_t limit = 0;
    latch_err e;

    latch__err_clear();
    e = latch_ext_record_size_limit_parse(latch_rd_make(data, size), &limit);
    fz_check_failure(e);
    FZ_ASSERT((e == LATCH_OK) == (size == 2 && (data[0] << 8 | data[1]) >= 64), "record_size_limit check");
    return 0;
}
