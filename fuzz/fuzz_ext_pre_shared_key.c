/* pre_shared_key (src/msg/ext/pre_shared_key.c): OfferedPsks or selected_identity; offers round-trip. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static latch_offered_psks psks, again;
    static uint8_t buf[70000];
    fz_in in = {data, size};
    uint8_t sel = fz_u8(&in);
    latch_rd d = latch_rd_make(in.p, in.n);
    latch_err e;

    latch__err_clear();
    if (sel & 1) {
        uint16_t id;

        e = latch_ext_psk_sh_parse(d, &id);
        FZ_ASSERT((e == LATCH_OK) == (in.n == 2), "selected_identity length check");
        fz_check_failure(e);
        return 0;
    }
    e = latch_ext_psk_ch_parse(d, &psks);
    fz_check_failure(e);
    if (e != LATCH_OK) {
        FZ_ASSERT(psks.n == 0, "a failed parse left identities");
        return 0;
    }
    FZ_ASSERT(psks.n >= 1 && psks.n <= LATCH_MAX_PSK_IDENTITIES, "identity count out of bounds");
    FZ_ASSERT(psks.binders_len == latch_ext_psk_binders_len(psks.e, psks.n), "binders_len disagrees");
    FZ_ASSERT(psks.binders_len <= in.n, "binders longer than the extension");
    /* The binders are the extension's last bytes. */
    {
        size_t off = in.n - psks.binders_len + 2;

        for (size_t i = 0; i < psks.n; i++) {
            FZ_ASSERT(psks.e[i].binder.len >= 32 && psks.e[i].identity.len >= 1, "binder or identity too short");
            FZ_ASSERT(psks.e[i].binder.p == in.p + off + 1, "binder %zu is not where binders_len says", i);
            off += 1 + psks.e[i].binder.len;
            (void)fz_touch(psks.e[i].identity);
        }
        FZ_ASSERT(off == in.n, "binders do not end the extension");
    }
    /* The builder writes the same identities and binder lengths (zeroed binders). */
    {
        latch_wr w;

        latch_wr_init(&w, buf, sizeof buf);
        latch_ext_psk_ch_build(&w, psks.e, psks.n);
        FZ_ASSERT(latch_wr_finish(&w) == LATCH_OK, "cannot rebuild parsed PSK offers");
        e = latch_ext_psk_ch_parse(latch_rd_make(buf + 4, latch_wr_len(&w) - 4), &again);
        FZ_ASSERT(e == LATCH_OK && again.n == psks.n && again.binders_len == psks.binders_len, "PSK round trip");
        for (size_t i = 0; i < psks.n; i++) {
            FZ_ASSERT(again.e[i].identity.len == psks.e[i].identity.len &&
                          memcmp(again.e[i].identity.p, psks.e[i].identity.p, psks.e[i].identity.len) == 0 &&
                          again.e[i].obfuscated_ticket_age == psks.e[i].obfuscated_ticket_age,
                      "PSK identity %zu changed in the round trip", i);
        }
    }
    return 0;
}
