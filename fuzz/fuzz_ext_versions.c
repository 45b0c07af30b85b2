/* supported_versions (src/msg/ext/supported_versions.c): the ClientHello list or the selected version. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = {data, size};
    uint8_t sel = fz_u8(&in);
    latch_rd d = latch_rd_make(in.p, in.n);
    latch_err e;

    latch__err_clear();
    if (sel & 1) {
        uint16_t v = 0xFFFF;

        e = latch_ext_versions_sh_parse(d, &v);
        FZ_ASSERT((e == LATCH_OK) == (in.n == 2), "selected_version length check");
        FZ_ASSERT(e != LATCH_OK || v == (uint16_t)(in.p[0] << 8 | in.p[1]), "selected_version misread");
    } else {
        latch_u16s l;

        e = latch_ext_versions_ch_parse(d, &l);
        FZ_ASSERT(e != LATCH_OK || (l.r.len >= 2 && l.r.len <= 254 && l.r.len % 2 == 0), "bad versions list");
        (void)fz_touch(l.r);
    }
    fz_check_failure(e);
    return 0;
}
