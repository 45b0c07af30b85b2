/* certificate_authorities (RFC 8446 §4.2.4). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.2.4:
 *   opaque DistinguishedName<1..2^16-1>;
 *
 *   struct {
 *       DistinguishedName authorities<3..2^16-1>;
 *   } CertificateAuthoritiesExtension;
 */
latch_err latch_ext_cas_parse(latch_rd data, latch_rd *list)
{
    latch_rd l, it;

    *list = (latch_rd){0};
    LATCH_TRY(latch_field_vec(&data, "certificate_authorities.authorities", 2, 3, 0xFFFF, &l));
    LATCH_TRY(latch_field_end(&data, "certificate_authorities"));
    it = l;
    while (!latch_rd_empty(&it)) {
        latch_rd dn;

        LATCH_TRY(latch_field_vec(&it, "certificate_authorities.DistinguishedName", 2, 1, 0xFFFF, &dn));
    }
    *list = l;
    return LATCH_OK;
}

bool latch_ext_cas_next(latch_rd *it, latch_rd *dn)
{
    if (latch_rd_empty(it) || latch_rd_vec(it, 2, 1, 0xFFFF, dn) != LATCH_OK) {
        *dn = (latch_rd){0};
        return false;
    }
    return true;
}

void latch_ext_cas_build(latch_wr *w, const latch_rd *dns, size_t n)
{
    latch_wr_u16(w, LATCH_EXT_CERTIFICATE_AUTHORITIES);
    latch_wr_open(w, 2);
    latch_wr_open(w, 2);
    for (size_t i = 0; i < n; i++) {
        latch_wr_open(w, 2);
        latch_wr_bytes(w, dns[i].p, dns[i].len);
        latch_wr_close(w, 1, 0xFFFF); /* DistinguishedName<1..2^16-1> */
    }
    latch_wr_close(w, 3, 0xFFFF); /* authorities<3..2^16-1> */
    latch_wr_close(w, 0, 0xFFFF);
}
