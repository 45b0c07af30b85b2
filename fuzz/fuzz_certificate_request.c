/* latch_certificate_request_parse (src/msg/certificate_request.c) and its extensions. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_certificate_request cr;
    latch_err e;

    latch__err_clear();
    e = latch_certificate_request_parse(latch_rd_make(data, size), &cr);
    fz_check_failure(e);
    if (e != LATCH_OK) {
        return 0;
    }
    FZ_ASSERT(latch_exts_has(&cr.exts, LATCH_X_SIGNATURE_ALGORITHMS), "a CertificateRequest without signature_algorithms");
    FZ_ASSERT(cr.sigalgs.r.len >= 2 && cr.sigalgs.r.len % 2 == 0, "bad signature_algorithms list");
    (void)fz_touch(cr.request_context);
    fz_parse_exts(&cr.exts, LATCH_CTX_CR);
    return 0;
}
