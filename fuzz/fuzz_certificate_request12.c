/*
 * latch_certificate_request12_parse (src/msg/certificate_request12.c, the
 * TLS 1.2 form), its CA list through latch_ext_cas_next, and a round trip.
 */
#include "fuzz.h"

#include <string.h>

/* certificate_authorities<0..2^16-1> holds at most this many DistinguishedName<1..2^16-1>. */
#define MAX_DNS (0xFFFF / 3)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[1 << 18];
    static latch_rd dns[MAX_DNS];
    static uint16_t schemes[0x7FFF];
    latch_certificate_request12 cr, again;
    latch_certificate_request12_out out;
    latch_rd it, dn;
    size_t n_dns = 0, n_schemes, dn_bytes = 0, n;
    latch_wr w;
    latch_err e;

    latch__err_clear();
    e = latch_certificate_request12_parse(latch_rd_make(data, size), &cr);
    fz_check_failure(e);
    if (e != LATCH_OK) {
        return 0;
    }
    (void)fz_touch(cr.cert_types);
    (void)fz_touch(cr.sigalgs.r);
    (void)fz_touch(cr.cas);
    /* certificate_types<1..2^8-1>; supported_signature_algorithms, two bytes each, not empty. */
    FZ_ASSERT(cr.cert_types.len >= 1 && cr.cert_types.len <= 255, "%zu certificate_types", cr.cert_types.len);
    FZ_ASSERT(cr.sigalgs.r.len >= 2 && cr.sigalgs.r.len <= 0xFFFE && cr.sigalgs.r.len % 2 == 0,
              "supported_signature_algorithms of %zu bytes", cr.sigalgs.r.len);
    FZ_ASSERT(cr.cas.len <= 0xFFFF, "certificate_authorities of %zu bytes", cr.cas.len);
    FZ_ASSERT(size == 1 + cr.cert_types.len + 2 + cr.sigalgs.r.len + 2 + cr.cas.len,
              "CertificateRequest fields do not fill the body");
    for (size_t i = 0; i < cr.cert_types.len; i++) {
        FZ_ASSERT(latch_cert_types_has(cr.cert_types, cr.cert_types.p[i]), "a listed certificate type not found");
    }
    n_schemes = latch_u16s_count(cr.sigalgs);
    for (size_t i = 0; i < n_schemes; i++) {
        schemes[i] = latch_u16s_at(cr.sigalgs, i);
    }
    /* The parser checked every name, so iterating must walk the whole list. */
    it = cr.cas;
    while (latch_ext_cas_next(&it, &dn)) {
        (void)fz_touch(dn);
        FZ_ASSERT(dn.len >= 1 && dn.len <= 0xFFFF && n_dns < MAX_DNS, "a DistinguishedName of %zu bytes", dn.len);
        dns[n_dns++] = dn;
        dn_bytes += 2 + dn.len;
    }
    FZ_ASSERT(latch_rd_empty(&it) && dn_bytes == cr.cas.len,
              "latch_ext_cas_next stopped %zu bytes before the end of a list the parser accepted", latch_rd_left(&it));
    /* Building the parsed fields gives back the body. */
    out = (latch_certificate_request12_out){cr.cert_types.p, cr.cert_types.len, schemes, n_schemes, dns, n_dns};
    latch_wr_init(&w, buf, sizeof buf);
    e = latch_certificate_request12_build(&w, &out);
    FZ_ASSERT(e == LATCH_OK && latch_wr_finish(&w) == LATCH_OK, "cannot rebuild a parsed CertificateRequest");
    n = latch_wr_len(&w);
    FZ_ASSERT(n == 4 + size && buf[0] == LATCH_HS_CERTIFICATE_REQUEST &&
                  ((size_t)buf[1] << 16 | (size_t)buf[2] << 8 | buf[3]) == size && memcmp(buf + 4, data, size) == 0,
              "CertificateRequest rebuilt differs");
    e = latch_certificate_request12_parse(latch_rd_make(buf + 4, n - 4), &again);
    FZ_ASSERT(e == LATCH_OK && again.cert_types.len == cr.cert_types.len && again.sigalgs.r.len == cr.sigalgs.r.len &&
                  again.cas.len == cr.cas.len,
              "CertificateRequest round trip");
    return 0;
}
