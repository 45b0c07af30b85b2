/* certificate_authorities (src/msg/ext/certificate_authorities.c), each name also read as an X.509 Name. */
#include "fuzz.h"

#include "x509/cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_rd list;
    latch_err e;

    latch__err_clear();
    e = latch_ext_cas_parse(latch_rd_make(data, size), &list);
    fz_check_failure(e);
    if (e == LATCH_OK) {
        latch_rd it = list, dn;
        size_t n = 0;

        while (latch_ext_cas_next(&it, &dn)) {
            char text[512];

            FZ_ASSERT(dn.len >= 1, "an empty DistinguishedName accepted");
            latch__err_clear();
            fz_check_failure(latch_x509_dn_string(dn, text, sizeof text));
            n++;
        }
        FZ_ASSERT(n >= 1 && it.len == 0, "certificate_authorities iteration did not consume the list");
    }
    return 0;
}
