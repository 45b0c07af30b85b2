/* latch_encrypted_extensions_parse (src/msg/encrypted_extensions.c) and its extensions. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_encrypted_extensions ee;
    latch_err e;

    latch__err_clear();
    e = latch_encrypted_extensions_parse(latch_rd_make(data, size), &ee);
    fz_check_failure(e);
    if (e == LATCH_OK) {
        fz_parse_exts(&ee.exts, LATCH_CTX_EE);
    }
    return 0;
}
