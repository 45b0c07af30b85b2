/* latch_certificate_verify_parse (src/msg/certificate_verify.c), with a round trip. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[70000];
    latch_certificate_verify cv, again;
    latch_wr w;
    latch_err e;

    latch__err_clear();
    e = latch_certificate_verify_parse(latch_rd_make(data, size), &cv);
    fz_check_failure(e);
    if (e != LATCH_OK) {
        return 0;
    }
    (void)fz_touch(cv.signature);
    latch_wr_init(&w, buf, sizeof buf);
    FZ_ASSERT(latch_certificate_verify_build(&w, cv.scheme, cv.signature.p, cv.signature.len) == LATCH_OK &&
                  latch_wr_finish(&w) == LATCH_OK,
              "cannot rebuild a parsed CertificateVerify");
    FZ_ASSERT(latch_wr_len(&w) == size + 4 && memcmp(buf + 4, data, size) == 0,
              "a CertificateVerify does not rebuild to the same bytes");
    e = latch_certificate_verify_parse(latch_rd_make(buf + 4, size), &again);
    FZ_ASSERT(e == LATCH_OK && again.scheme == cv.scheme, "a rebuilt CertificateVerify does not parse back");
    return 0;
}
