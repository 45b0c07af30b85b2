/* ec_point_formats (src/msg/ext/ec_point_formats.c): must list uncompressed. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_err e;

    latch__err_clear();
    e = latch_ext_point_formats_parse(latch_rd_make(data, size));
    fz_check_failure(e);
    FZ_ASSERT(e != LATCH_OK || (size >= 2 && data[0] == size - 1 && memchr(data + 1, 0, size - 1) != NULL),
              "ec_point_formats without uncompressed accepted");
    return 0;
}
