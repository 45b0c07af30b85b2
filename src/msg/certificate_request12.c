/* CertificateRequest in its TLS 1.2 form (RFC 5246 §7.4.4; RFC 8422 §5.5). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 5246 §7.4.4:
 *   enum {
 *       rsa_sign(1), dss_sign(2), rsa_fixed_dh(3), dss_fixed_dh(4),
 *       rsa_ephemeral_dh_RESERVED(5), dss_ephemeral_dh_RESERVED(6),
 *       fortezza_dms_RESERVED(20), (255)
 *   } ClientCertificateType;
 *   (RFC 8422 §5.5 adds ecdsa_sign(64), rsa_fixed_ecdh(65), ecdsa_fixed_ecdh(66).)
 *
 *   opaque DistinguishedName<1..2^16-1>;
 *
 *   struct {
 *       ClientCertificateType certificate_types<1..2^8-1>;
 *       SignatureAndHashAlgorithm
 *         supported_signature_algorithms<2^16-1>;
 *       DistinguishedName certificate_authorities<0..2^16-1>;
 *   } CertificateRequest;
 *
 * supported_signature_algorithms is read as <2..2^16-2>: a list of two-byte
 * values, not empty (§7.4.1.4.1 gives the same vector that bound).
 */
latch_err latch_certificate_request12_parse(latch_rd body, latch_certificate_request12 *cr)
{
    latch_rd it;

    *cr = (latch_certificate_request12){0};
    LATCH_TRY(latch_field_vec(&body, "CertificateRequest.certificate_types", 1, 1, 0xFF, &cr->cert_types));
    LATCH_TRY(latch_u16s_read(&body, "CertificateRequest.supported_signature_algorithms", 2, 2, 0xFFFE,
                              &cr->sigalgs));
    LATCH_TRY(latch_field_vec(&body, "CertificateRequest.certificate_authorities", 2, 0, 0xFFFF, &cr->cas));
    LATCH_TRY(latch_field_end(&body, "CertificateRequest"));
    it = cr->cas;
    while (!latch_rd_empty(&it)) {
        latch_rd dn;

        LATCH_TRY(latch_field_vec(&it, "CertificateRequest.DistinguishedName", 2, 1, 0xFFFF, &dn));
    }
    return LATCH_OK;
}

bool latch_cert_types_has(latch_rd types, uint8_t type)
{
    for (size_t i = 0; i < types.len; i++) {
        if (types.p[i] == type) {
            return true;
        }
    }
    return false;
}

latch_err latch_certificate_request12_build(latch_wr *w, const latch_certificate_request12_out *cr)
{
    size_t cas_len = 0;

    if (cr->n_types < 1 || cr->n_types > 0xFF || cr->types == NULL) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "CertificateRequest.certificate_types: %zu types (1..255)",
                          cr->n_types);
    }
    if (cr->n_sigalgs < 1 || cr->n_sigalgs > 0x7FFF || cr->sigalgs == NULL) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT,
                          "CertificateRequest.supported_signature_algorithms: %zu schemes (1..32767)", cr->n_sigalgs);
    }
    for (size_t i = 0; i < cr->n_cas; i++) {
        if (cr->cas[i].p == NULL || cr->cas[i].len < 1 || cr->cas[i].len > 0xFFFF) {
            return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT,
                              "CertificateRequest.certificate_authorities: name %zu has %zu bytes", i, cr->cas[i].len);
        }
        cas_len += 2 + cr->cas[i].len;
    }
    if (cas_len > 0xFFFF) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "CertificateRequest.certificate_authorities: %zu bytes", cas_len);
    }
    latch_msg_open(w, LATCH_HS_CERTIFICATE_REQUEST);
    latch_wr_open(w, 1);
    latch_wr_bytes(w, cr->types, cr->n_types);
    latch_wr_close(w, 1, 0xFF); /* certificate_types<1..2^8-1> */
    latch_wr_open(w, 2);
    for (size_t i = 0; i < cr->n_sigalgs; i++) {
        latch_wr_u16(w, cr->sigalgs[i]);
    }
    latch_wr_close(w, 2, 0xFFFE); /* supported_signature_algorithms */
    latch_wr_open(w, 2);
    for (size_t i = 0; i < cr->n_cas; i++) {
        latch_wr_open(w, 2);
        latch_wr_bytes(w, cr->cas[i].p, cr->cas[i].len);
        latch_wr_close(w, 1, 0xFFFF); /* DistinguishedName<1..2^16-1> */
    }
    latch_wr_close(w, 0, 0xFFFF); /* certificate_authorities<0..2^16-1> */
    return latch_msg_finish(w, "CertificateRequest");
}
