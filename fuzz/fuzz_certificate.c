/*
 * latch_certificate_parse (src/msg/certificate.c), TLS 1.3 or 1.2 form by
 * the first byte; a parsed message is rebuilt and must parse to the same
 * certificates.
 */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[1 << 20];
    static latch_certificate ct, again;
    fz_in in = {data, size};
    bool tls13 = (fz_u8(&in) & 1) == 0;
    latch_wr w;
    latch_err e;

    latch__err_clear();
    e = latch_certificate_parse(latch_rd_make(in.p, in.n), tls13, &ct);
    fz_check_failure(e);
    if (e != LATCH_OK) {
        return 0;
    }
    FZ_ASSERT(ct.n <= LATCH_MAX_CHAIN_CERTS, "more certificates than the named limit");
    FZ_ASSERT(tls13 || ct.request_context.len == 0, "a TLS 1.2 Certificate with a context");
    (void)fz_touch(ct.request_context);
    for (size_t i = 0; i < ct.n; i++) {
        FZ_ASSERT(ct.certs[i].len >= 1 && ct.certs[i].len <= LATCH_MAX_CERT_SIZE, "certificate size out of bounds");
        (void)fz_touch(ct.certs[i]);
    }
    /* Round trip (certificate extensions are dropped by the builder, so compare the certificates). */
    latch_wr_init(&w, buf, sizeof buf);
    e = latch_certificate_build(&w, tls13, ct.request_context.p, ct.request_context.len, ct.certs, ct.n);
    FZ_ASSERT(e == LATCH_OK && latch_wr_finish(&w) == LATCH_OK, "cannot rebuild a parsed Certificate: %s",
              latch_err_name(e));
    e = latch_certificate_parse(latch_rd_make(buf + 4, latch_wr_len(&w) - 4), tls13, &again);
    FZ_ASSERT(e == LATCH_OK && again.n == ct.n, "a rebuilt Certificate does not parse back");
    for (size_t i = 0; i < ct.n; i++) {
        FZ_ASSERT(again.certs[i].len == ct.certs[i].len &&
                      memcmp(again.certs[i].p, ct.certs[i].p, ct.certs[i].len) == 0,
                  "certificate %zu changed in the round trip", i);
    }
    return 0;
}
