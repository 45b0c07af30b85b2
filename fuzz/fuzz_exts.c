/*
 * The extension block (latch_exts_parse, src/msg/ext/ext.c) for a message
 * context chosen by the first byte, then every extension's own parser; also
 * latch_u16s_parse, latch_ext_empty_parse and the table lookups.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static latch_exts x;
    fz_in in = {data, size};
    uint8_t sel = fz_u8(&in);
    unsigned ctx = 1u << (sel & 7);
    latch_rd block = latch_rd_make(in.p, in.n);
    latch_u16s l;
    latch_err e;

    latch__err_clear();
    e = latch_exts_parse(block, ctx, &x);
    fz_check_failure(e);
    if (e != LATCH_OK) {
        FZ_ASSERT(x.present == 0 && x.count == 0, "a failed block parse left output behind");
    } else {
        FZ_ASSERT(x.count <= LATCH_MAX_EXTENSIONS, "more extensions than the named limit");
        fz_parse_exts(&x, ctx);
    }
    /* The generic pieces, on the same bytes. */
    latch__err_clear();
    e = latch_u16s_parse(block, 1 + (sel >> 7), 0, 0xFFFF, &l);
    fz_check_failure(e);
    FZ_ASSERT(e == LATCH_OK || l.r.len == 0, "a failed u16 list parse left a view");
    fz_check_failure(latch_ext_empty_parse(block));
    if (in.n >= 2) {
        uint16_t code = (uint16_t)(in.p[0] << 8 | in.p[1]);
        const latch_ext_info *info = latch_ext_lookup(code);

        FZ_ASSERT(info == NULL || (info->code == code && latch_ext_by_id(info->id) == info), "extension table lookup");
        (void)latch_ext_name(code);
        (void)latch_ext_is_grease(code);
    }
    return 0;
}
