/*
 * PEM decoding (src/x509/pem.c) block by block, and the same text loaded as
 * a trust store (src/x509/trust.c, latch_config_load_ca_mem's path).
 */
#include "fuzz.h"

#include "x509/pem.h"
#include "x509/trust.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t base = fz_alloc_live();
    latch_pem_reader r;
    latch_trust *t = NULL;
    latch_err e = LATCH_OK;
    bool found = true;

    latch_pem_reader_init(&r, data, size, "'fuzz'");
    (void)latch_pem_detect(data, size);
    for (int i = 0; i < 1000 && e == LATCH_OK && found; i++) {
        latch_pem_block blk;

        memset(&blk, 0, sizeof blk);
        latch__err_clear();
        e = latch_pem_next(&r, &fz_allocator, &blk, &found);
        fz_check_failure(e);
        if (e == LATCH_OK && found) {
            FZ_ASSERT(memchr(blk.label, '\0', sizeof blk.label) != NULL, "label not NUL-terminated");
            /* An encrypted block (RFC 1421 headers) comes back without a body, for its reader to refuse. */
            FZ_ASSERT(blk.der_len <= blk.der_cap && (blk.der_len > 0 || blk.encrypted), "decoded body out of its buffer");
            (void)fz_touch(latch_rd_make(blk.der, blk.der_len));
            /* Base64 gives at most 3 bytes per 4 characters of input. */
            FZ_ASSERT(blk.der_len <= size * 3 / 4, "more bytes decoded than the text can hold");
        }
        latch_pem_block_free(&fz_allocator, &blk);
        latch_pem_block_free(&fz_allocator, &blk); /* idempotent */
    }
    FZ_ASSERT(fz_alloc_live() == base, "PEM decoding leaked %zu bytes", fz_alloc_live() - base);
    if (latch_trust_new(&t) == LATCH_OK) {
        latch__err_clear();
        e = latch_trust_add_pem(t, data, size);
        fz_check_failure(e);
        FZ_ASSERT(e != LATCH_OK || latch_trust_count(t) > 0, "a trust store load succeeded with no certificate");
        for (size_t i = 0; i < latch_trust_subject_count(t); i++) {
            (void)fz_touch(latch_trust_subject(t, i));
        }
        latch_trust_free(t);
    }
    return 0;
}
