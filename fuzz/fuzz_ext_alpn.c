/* application_layer_protocol_negotiation (src/msg/ext/alpn.c): list, single name, iteration and count agree. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_rd d = latch_rd_make(data, size), list, one;
    latch_err e, e1;
    size_t n = 0, counted;

    latch__err_clear();
    e = latch_ext_alpn_parse(d, &list);
    fz_check_failure(e);
    if (e == LATCH_OK) {
        latch_rd it = list, proto;

        while (latch_ext_alpn_next(&it, &proto)) {
            FZ_ASSERT(proto.len >= 1 && proto.len <= 255, "an ALPN name out of bounds");
            (void)fz_touch(proto);
            n++;
        }
        FZ_ASSERT(n >= 1, "an empty ALPN list accepted");
    }
    counted = size >= 2 ? latch_ext_alpn_count(data + 2, size - 2) : 0;
    FZ_ASSERT(e != LATCH_OK || counted == n, "latch_ext_alpn_count says %zu, iteration %zu", counted, n);
    latch__err_clear();
    e1 = latch_ext_alpn_parse_one(d, &one);
    fz_check_failure(e1);
    FZ_ASSERT(e1 != LATCH_OK || (e == LATCH_OK && n == 1), "parse_one accepted what the list parser did not");
    FZ_ASSERT(e1 == LATCH_OK || e != LATCH_OK || n != 1, "parse_one refused a one-name list");
    return 0;
}
