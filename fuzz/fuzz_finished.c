/* latch_finished_parse (src/msg/finished.c): the length comes from the first byte (32, 48 or anything). */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t lens[4] = {32, 48, 64, 0};
    fz_in in = {data, size};
    uint8_t sel = fz_u8(&in);
    size_t want = lens[sel & 3] != 0 ? lens[sel & 3] : sel;
    uint8_t buf[300];
    latch_rd vd;
    latch_wr w;
    latch_err e;

    latch__err_clear();
    e = latch_finished_parse(latch_rd_make(in.p, in.n), want, &vd);
    fz_check_failure(e);
    FZ_ASSERT((e == LATCH_OK) == (in.n == want), "Finished of %zu bytes %s for %zu", in.n,
              e == LATCH_OK ? "accepted" : "refused", want);
    if (e != LATCH_OK) {
        return 0;
    }
    FZ_ASSERT(vd.len == want && vd.p == in.p, "verify_data is not the body");
    latch_wr_init(&w, buf, sizeof buf);
    if (latch_finished_build(&w, vd.p, vd.len) == LATCH_OK && latch_wr_finish(&w) == LATCH_OK) {
        FZ_ASSERT(latch_wr_len(&w) == want + 4 && memcmp(buf + 4, in.p, want) == 0, "Finished round trip");
    }
    return 0;
}
