/* latch_empty_msg_parse (src/msg/empty.c): only an empty body passes. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_err e;

    latch__err_clear();
    e = latch_empty_msg_parse(latch_rd_make(data, size));
    fz_check_failure(e);
    FZ_ASSERT((e == LATCH_OK) == (size == 0), "empty message check wrong for %zu bytes", size);
    return 0;
}
