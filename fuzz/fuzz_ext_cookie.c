/* cookie (src/msg/ext/cookie.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_rd cookie;
    latch_err e;

    latch__err_clear();
    e = latch_ext_cookie_parse(latch_rd_make(data, size), &cookie);
    fz_check_failure(e);
    FZ_ASSERT(e != LATCH_OK || (cookie.len >= 1 && cookie.len + 2 == size && cookie.p == data + 2),
              "bad cookie accepted");
    return 0;
}
