/* supported_groups (src/msg/ext/supported_groups.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_u16s l;
    latch_err e;

    latch__err_clear();
    e = latch_ext_groups_parse(latch_rd_make(data, size), &l);
    fz_check_failure(e);
    FZ_ASSERT(e != LATCH_OK || (l.r.len >= 2 && l.r.len % 2 == 0 && l.r.len + 2 == size), "bad groups list accepted");
    FZ_ASSERT(e == LATCH_OK || l.r.len == 0, "a failed parse left a view");
    (void)fz_touch(l.r);
    return 0;
}
