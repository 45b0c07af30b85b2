/* key_share (src/msg/ext/key_share.c): ClientHello, ServerHello or HelloRetryRequest form by the first byte. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static latch_key_shares ks;
    fz_in in = {data, size};
    uint8_t sel = fz_u8(&in) % 3;
    latch_rd d = latch_rd_make(in.p, in.n);
    latch_err e;

    latch__err_clear();
    if (sel == 0) {
        e = latch_ext_key_share_ch_parse(d, &ks);
        if (e == LATCH_OK) {
            FZ_ASSERT(ks.n <= LATCH_MAX_KEY_SHARES, "more key shares than the named limit");
            for (size_t i = 0; i < ks.n; i++) {
                FZ_ASSERT(ks.e[i].key_exchange.len >= 1, "an empty key_exchange accepted");
                (void)fz_touch(ks.e[i].key_exchange);
                for (size_t j = 0; j < i; j++) {
                    FZ_ASSERT(ks.e[j].group != ks.e[i].group, "two shares for one group accepted");
                }
            }
        } else {
            FZ_ASSERT(ks.n == 0, "a failed parse left shares");
        }
    } else if (sel == 1) {
        latch_key_share k;

        e = latch_ext_key_share_sh_parse(d, &k);
        FZ_ASSERT(e != LATCH_OK || k.key_exchange.len >= 1, "an empty server share accepted");
        if (e == LATCH_OK) {
            (void)fz_touch(k.key_exchange);
        }
    } else {
        uint16_t g;

        e = latch_ext_key_share_hrr_parse(d, &g);
        FZ_ASSERT((e == LATCH_OK) == (in.n == 2), "HRR selected_group length check");
    }
    fz_check_failure(e);
    return 0;
}
