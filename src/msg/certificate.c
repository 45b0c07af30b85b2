/* Certificate (RFC 8446 §4.4.2; RFC 5246 §7.4.2). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

/* One cert_data / ASN.1Cert, under the named limit. */
static latch_err read_cert(latch_rd *list, const char *what, latch_certificate *ct)
{
    latch_rd der;

    if (ct->n == LATCH_MAX_CHAIN_CERTS) {
        return LATCH_FAIL(LATCH_ERR_CERT_CHAIN_TOO_LONG, "Certificate: more than %d certificates",
                          LATCH_MAX_CHAIN_CERTS);
    }
    LATCH_TRY(latch_field_vec(list, what, 3, 1, 0xFFFFFF, &der));
    if (der.len > LATCH_MAX_CERT_SIZE) {
        return LATCH_FAIL(LATCH_ERR_CERT_TOO_LARGE, "%s: %zu bytes (latch accepts at most %d)", what, der.len,
                          LATCH_MAX_CERT_SIZE);
    }
    ct->certs[ct->n++] = der;
    return LATCH_OK;
}

/*
 * RFC 8446 §4.4.2:
 *   struct {
 *       select (certificate_type) {
 *           case RawPublicKey:
 *             -- From RFC 7250 ASN.1_subjectPublicKeyInfo
 *             opaque ASN1_subjectPublicKeyInfo<1..2^24-1>;
 *
 *           case X509:
 *             opaque cert_data<1..2^24-1>;
 *       };
 *       Extension extensions<0..2^16-1>;
 *   } CertificateEntry;
 *
 *   struct {
 *       opaque certificate_request_context<0..2^8-1>;
 *       CertificateEntry certificate_list<0..2^24-1>;
 *   } Certificate;
 *
 * RFC 5246 §7.4.2:
 *   opaque ASN.1Cert<1..2^24-1>;
 *
 *   struct {
 *       ASN.1Cert certificate_list<0..2^24-1>;
 *   } Certificate;
 */
latch_err latch_certificate_parse(latch_rd body, bool tls13, latch_certificate *ct)
{
    latch_rd list;

    ct->request_context = (latch_rd){0};
    ct->n = 0;
    if (tls13) {
        LATCH_TRY(latch_field_vec(&body, "Certificate.certificate_request_context", 1, 0, 0xFF,
                                  &ct->request_context));
    }
    LATCH_TRY(latch_field_vec(&body, "Certificate.certificate_list", 3, 0, 0xFFFFFF, &list));
    LATCH_TRY(latch_field_end(&body, "Certificate"));
    while (!latch_rd_empty(&list)) {
        if (tls13) {
            latch_rd exts;
            latch_exts parsed;

            LATCH_TRY(read_cert(&list, "CertificateEntry.cert_data", ct));
            LATCH_TRY(latch_field_vec(&list, "CertificateEntry.extensions", 2, 0, 0xFFFF, &exts));
            LATCH_TRY(latch_exts_parse(exts, LATCH_CTX_CT, &parsed));
        } else {
            LATCH_TRY(read_cert(&list, "Certificate.ASN.1Cert", ct));
        }
    }
    return LATCH_OK;
}

latch_err latch_certificate_build(latch_wr *w, bool tls13, const uint8_t *context, size_t context_len,
                                  const latch_rd *certs, size_t n)
{
    const char *what = "Certificate";

    if (context_len > 0xFF || (!tls13 && context_len > 0) || (context == NULL && context_len > 0)) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT,
                          "Certificate.certificate_request_context: %zu bytes (TLS 1.3 only, at most 255)",
                          context_len);
    }
    if (n > LATCH_MAX_CHAIN_CERTS) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "Certificate: %zu certificates (at most %d)", n,
                          LATCH_MAX_CHAIN_CERTS);
    }
    for (size_t i = 0; i < n; i++) {
        if (certs[i].len < 1 || certs[i].len > LATCH_MAX_CERT_SIZE) {
            return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "Certificate: certificate %zu has %zu bytes (1..%d)", i,
                              certs[i].len, LATCH_MAX_CERT_SIZE);
        }
    }
    latch_msg_open(w, LATCH_HS_CERTIFICATE);
    if (tls13) {
        latch_wr_open(w, 1);
        latch_wr_bytes(w, context, context_len);
        latch_wr_close(w, 0, 0xFF); /* certificate_request_context<0..2^8-1> */
    }
    latch_wr_open(w, 3);
    for (size_t i = 0; i < n; i++) {
        latch_wr_open(w, 3);
        latch_wr_bytes(w, certs[i].p, certs[i].len);
        latch_wr_close(w, 1, 0xFFFFFF); /* cert_data / ASN.1Cert <1..2^24-1> */
        if (tls13) {
            latch_wr_u16(w, 0); /* extensions<0..2^16-1>: none */
        }
    }
    latch_wr_close(w, 0, 0xFFFFFF); /* certificate_list<0..2^24-1> */
    return latch_msg_finish(w, what);
}
