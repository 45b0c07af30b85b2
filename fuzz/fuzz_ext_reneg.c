/* renegotiation_info (src/msg/ext/renegotiation_info.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_rd vd;
    latch_err e;

    latch__err_clear();
    e = latch_ext_reneg_parse(latch_rd_make(data, size), &vd);
    fz_check_failure(e);
    FZ_ASSERT(e != LATCH_OK || (size >= 1 && vd.len == data[0] && vd.len + 1 == size), "bad renegotiation_info");
    return 0;
}
