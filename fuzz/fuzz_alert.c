/* latch_alert_parse (src/msg/msg.c): two bytes, level 1 or 2. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t level = 0, desc = 0;
    latch_err e;

    latch__err_clear();
    e = latch_alert_parse(latch_rd_make(data, size), &level, &desc);
    fz_check_failure(e);
    FZ_ASSERT((e == LATCH_OK) == (size == 2 && (data[0] == 1 || data[0] == 2)), "alert check wrong");
    FZ_ASSERT(e != LATCH_OK || (level == data[0] && desc == data[1]), "alert misread");
    return 0;
}
