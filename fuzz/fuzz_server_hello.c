/* latch_server_hello_parse (src/msg/server_hello.c), then its extensions as a client reads them. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_server_hello sh;
    latch_err e;

    latch__err_clear();
    e = latch_server_hello_parse(latch_rd_make(data, size), &sh);
    fz_check_failure(e);
    if (e != LATCH_OK) {
        return 0;
    }
    FZ_ASSERT(sh.session_id.len <= 32, "legacy_session_id_echo over 32 bytes");
    FZ_ASSERT(sh.is_hrr == (memcmp(sh.random, latch_hrr_random, 32) == 0), "is_hrr disagrees with the random");
    (void)fz_touch(sh.session_id);
    if (sh.is_hrr) {
        fz_parse_exts(&sh.exts, LATCH_CTX_HRR);
    } else if (latch_exts_has(&sh.exts, LATCH_X_SUPPORTED_VERSIONS)) {
        fz_parse_exts(&sh.exts, LATCH_CTX_SH);
    } else {
        fz_parse_exts(&sh.exts, LATCH_CTX_SH12);
    }
    return 0;
}
