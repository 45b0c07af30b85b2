/* CertificateRequest (RFC 8446 §4.3.2). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.3.2:
 *   struct {
 *       opaque certificate_request_context<0..2^8-1>;
 *       Extension extensions<2..2^16-1>;
 *   } CertificateRequest;
 */
latch_err latch_certificate_request_parse(latch_rd body, latch_certificate_request *cr)
{
    latch_rd exts;

    *cr = (latch_certificate_request){0};
    LATCH_TRY(latch_field_vec(&body, "CertificateRequest.certificate_request_context", 1, 0, 0xFF,
                              &cr->request_context));
    LATCH_TRY(latch_field_vec(&body, "CertificateRequest.extensions", 2, 2, 0xFFFF, &exts));
    LATCH_TRY(latch_field_end(&body, "CertificateRequest"));
    LATCH_TRY(latch_exts_parse(exts, LATCH_CTX_CR, &cr->exts));
    /* RFC 8446 §4.3.2: "The "signature_algorithms" extension MUST be
     * specified"; §4.2: a missing mandatory extension -> missing_extension. */
    LATCH_ENSURE(latch_exts_has(&cr->exts, LATCH_X_SIGNATURE_ALGORITHMS), LATCH_ERR_MISSING_EXTENSION,
                 "CertificateRequest: no signature_algorithms extension");
    LATCH_TRY(latch_ext_sigalgs_parse(cr->exts.data[LATCH_X_SIGNATURE_ALGORITHMS], &cr->sigalgs));
    return LATCH_OK;
}

latch_err latch_certificate_request_build(latch_wr *w, const latch_certificate_request_out *cr)
{
    size_t cas_len = 0;

    if (cr->context_len > 0xFF || (cr->context == NULL && cr->context_len > 0)) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT,
                          "CertificateRequest.certificate_request_context: %zu bytes (at most 255)", cr->context_len);
    }
    if (cr->n_sigalgs == 0 || cr->n_sigalgs > 0x3FFF) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "signature_algorithms: %zu schemes (1..16383)", cr->n_sigalgs);
    }
    for (size_t i = 0; i < cr->n_cas; i++) {
        if (cr->cas[i].len < 1 || cr->cas[i].len > 0xFFFF) {
            return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "certificate_authorities: name %zu has %zu bytes", i,
                              cr->cas[i].len);
        }
        cas_len += 2 + cr->cas[i].len;
    }
    /* The block holds 6 + 2n bytes of signature_algorithms and 6 + cas_len
     * of certificate_authorities. */
    if (cas_len > 0xFFFF - 12 - 2 * cr->n_sigalgs) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "certificate_authorities: %zu bytes overflow the block",
                          cas_len);
    }
    latch_msg_open(w, LATCH_HS_CERTIFICATE_REQUEST);
    latch_wr_open(w, 1);
    latch_wr_bytes(w, cr->context, cr->context_len);
    latch_wr_close(w, 0, 0xFF); /* certificate_request_context<0..2^8-1> */
    latch_wr_open(w, 2);
    latch_ext_sigalgs_build(w, LATCH_EXT_SIGNATURE_ALGORITHMS, cr->sigalgs, cr->n_sigalgs);
    if (cr->n_cas > 0) {
        latch_ext_cas_build(w, cr->cas, cr->n_cas);
    }
    latch_wr_close(w, 2, 0xFFFF); /* extensions<2..2^16-1> */
    return latch_msg_finish(w, "CertificateRequest");
}
