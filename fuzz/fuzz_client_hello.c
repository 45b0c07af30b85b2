/* latch_client_hello_parse (src/msg/client_hello.c), then every extension in it as a server reads them. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_client_hello ch;
    latch_err e;

    latch__err_clear();
    e = latch_client_hello_parse(latch_rd_make(data, size), &ch);
    fz_check_failure(e);
    if (e != LATCH_OK) {
        return 0;
    }
    FZ_ASSERT(ch.session_id.len <= 32, "legacy_session_id over 32 bytes");
    FZ_ASSERT(ch.cipher_suites.r.len >= 2 && ch.cipher_suites.r.len % 2 == 0, "bad cipher_suites length");
    FZ_ASSERT(ch.compression_methods.len >= 1, "empty legacy_compression_methods");
    (void)fz_touch(ch.session_id);
    (void)fz_touch(ch.cipher_suites.r);
    (void)fz_touch(ch.compression_methods);
    fz_parse_exts(&ch.exts, LATCH_CTX_CH);
    return 0;
}
