/* CertificateVerify (RFC 8446 §4.4.3). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.4.3:
 *   struct {
 *       SignatureScheme algorithm;
 *       opaque signature<0..2^16-1>;
 *   } CertificateVerify;
 */
latch_err latch_certificate_verify_parse(latch_rd body, latch_certificate_verify *cv)
{
    *cv = (latch_certificate_verify){0};
    LATCH_TRY(latch_field_u16(&body, "CertificateVerify.algorithm", &cv->scheme));
    LATCH_TRY(latch_field_vec(&body, "CertificateVerify.signature", 2, 0, 0xFFFF, &cv->signature));
    LATCH_TRY(latch_field_end(&body, "CertificateVerify"));
    return LATCH_OK;
}

latch_err latch_certificate_verify_build(latch_wr *w, uint16_t scheme, const uint8_t *sig, size_t sig_len)
{
    if (sig_len > 0xFFFF || (sig == NULL && sig_len > 0)) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "CertificateVerify.signature: %zu bytes (at most 65535)",
                          sig_len);
    }
    latch_msg_open(w, LATCH_HS_CERTIFICATE_VERIFY);
    latch_wr_u16(w, scheme);
    latch_wr_open(w, 2);
    latch_wr_bytes(w, sig, sig_len);
    latch_wr_close(w, 0, 0xFFFF); /* signature<0..2^16-1> */
    return latch_msg_finish(w, "CertificateVerify");
}

/*
 * RFC 8446 §4.4.3: "The digital signature is then computed over the
 * concatenation of:
 *   -  A string that consists of octet 32 (0x20) repeated 64 times
 *   -  The context string
 *   -  A single 0 byte which serves as the separator
 *   -  The content to be signed"
 * with the context "TLS 1.3, server CertificateVerify" or
 * "TLS 1.3, client CertificateVerify".
 */
size_t latch_cv_content(bool server, const uint8_t *th, size_t th_len, uint8_t *out)
{
    static const char server_ctx[] = "TLS 1.3, server CertificateVerify";
    static const char client_ctx[] = "TLS 1.3, client CertificateVerify";
    const char *ctx = server ? server_ctx : client_ctx;
    latch_wr w;

    if (th_len > LATCH_HASH_MAX_LEN) {
        return 0;
    }
    latch_wr_init(&w, out, LATCH_CV_CONTENT_MAX);
    for (int i = 0; i < 64; i++) {
        latch_wr_u8(&w, 0x20);
    }
    latch_wr_bytes(&w, (const uint8_t *)ctx, sizeof server_ctx - 1);
    latch_wr_u8(&w, 0);
    latch_wr_bytes(&w, th, th_len);
    return latch_wr_finish(&w) == LATCH_OK ? latch_wr_len(&w) : 0;
}
