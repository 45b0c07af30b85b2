/*
 * Loading a certificate chain and its private key (src/x509/cert.c, key.c,
 * pem.c, der.c: latch_config_add_cert_mem's path). Input: a 2-byte length,
 * that many bytes of certificate data (PEM or DER), then the key (PEM or
 * DER). A loaded chain answers every query without fault.
 */
#include "fuzz.h"

#include "x509/cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = {data, size};
    size_t cert_len, key_len, base = fz_alloc_live();
    const uint8_t *cert = fz_bytes(&in, fz_u16(&in), &cert_len);
    const uint8_t *key = fz_bytes(&in, in.n, &key_len);
    latch_chain *ch = NULL;
    latch_err e;

    latch__err_clear();
    e = latch_chain_load(&fz_allocator, cert, cert_len, key, key_len, &ch);
    fz_check_failure(e);
    FZ_ASSERT((e == LATCH_OK) == (ch != NULL), "chain output and result disagree");
    if (ch != NULL) {
        size_t n = latch_chain_count(ch);
        char buf[512];

        FZ_ASSERT(n >= 1 && n <= LATCH_CHAIN_MAX_CERTS, "chain of %zu certificates", n);
        for (size_t i = 0; i < n; i++) {
            latch_rd der = latch_chain_der(ch, i);

            FZ_ASSERT(der.len > 0, "an empty certificate in a loaded chain");
            (void)fz_touch(der);
            LATCH_IGNORE(latch_chain_subject(ch, i, buf, sizeof buf));
        }
        FZ_ASSERT(latch_chain_der(ch, n).len == 0, "a certificate past the end");
        (void)latch_chain_key_info(ch);
        (void)latch_chain_matches_name(ch, "localhost");
        (void)latch_chain_matches_name(ch, "127.0.0.1");
        {
            latch_rd none = latch_rd_make((const uint8_t *)"\x30\x00", 2);

            (void)latch_chain_issued_by_any(ch, &none, 1);
        }
        latch_chain_free(ch);
    }
    FZ_ASSERT(fz_alloc_live() == base, "chain loading leaked %zu bytes", fz_alloc_live() - base);
    return 0;
}
