/*
 * Private key decoding and the key/certificate match (src/x509/key.c): the
 * fixed server chain with a fuzzed key, PEM or DER.
 */
#include "fuzz.h"

#include "x509/cert.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    latch_chain *ch = NULL;
    latch_err e;

    latch__err_clear();
    e = latch_chain_load(&fz_allocator, (const uint8_t *)fz_server_chain_pem, strlen(fz_server_chain_pem), data,
                         size, &ch);
    fz_check_failure(e);
    /* Only the server's own key fits its certificate. */
    FZ_ASSERT(e == LATCH_OK || e == LATCH_ERR_PEM_DECODE || e == LATCH_ERR_KEY_MISMATCH ||
                  e == LATCH_ERR_UNSUPPORTED || e == LATCH_ERR_NO_MEMORY,
              "a key load failed with %s", latch_err_name(e));
    latch_chain_free(ch);
    return 0;
}
