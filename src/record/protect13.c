/*
 * TLS 1.3 record protection (RFC 8446 §5.2-5.4):
 *
 *   struct {
 *       opaque content[TLSPlaintext.length];
 *       ContentType type;
 *       uint8 zeros[length_of_padding];
 *   } TLSInnerPlaintext;
 *
 *   struct {
 *       ContentType opaque_type = application_data; -- 23
 *       ProtocolVersion legacy_record_version = 0x0303;
 *       uint16 length;
 *       opaque encrypted_record[TLSCiphertext.length];
 *   } TLSCiphertext;
 *
 * additional_data is the 5-byte header; nonce = iv XOR seq (§5.3).
 * record.c has checked the arguments, seq and the key limit.
 */
#include "core/ct.h"
#include "core/err.h"
#include "core/wipe.h"
#include "core/wr.h"
#include "record/protect.h"

latch_err latch__rec_seal13(latch_rec_dir *d, uint8_t type, uint8_t *buf, size_t plain_len, size_t pad, size_t cap,
                            size_t *rec_len)
{
    size_t inner_len = plain_len + 1 + pad; /* <= 2^14 + 1: record.c checked */
    size_t body_len = inner_len + d->aead->tag_len;
    uint8_t nonce[LATCH_AEAD_NONCE_LEN];
    uint8_t *inner = buf + LATCH_REC_HDR_LEN; /* our own output buffer: offsets checked against cap below */
    latch_wr w;
    latch_err e;

    LATCH_ENSURE(cap >= LATCH_REC_HDR_LEN && cap - LATCH_REC_HDR_LEN >= body_len, LATCH_ERR_BUFFER_TOO_SMALL,
                 "the output buffer cannot hold the protected record");
    /* The inner type, then "Implementations MUST set the padding octets to all zeros" (§5.4). */
    latch_wr_init(&w, inner + plain_len, 1 + pad);
    latch_wr_u8(&w, type);
    latch_wr_zeros(&w, pad);
    LATCH_TRY(latch_wr_finish(&w));
    /* §5.2: the outer type is always application_data and the version 0x0303, whatever d->version says. */
    latch__rec_put_hdr(buf, LATCH_CT_APPLICATION_DATA, LATCH_REC_VERSION_TLS12, body_len);
    latch__rec_nonce_xor(d, nonce);
    e = d->aead->seal(d->ctx, nonce, buf, LATCH_REC_HDR_LEN, inner, inner_len, inner + inner_len);
    latch_wipe(nonce, sizeof nonce);
    if (e != LATCH_OK) {
        return LATCH_FAIL(e, "%s failed to seal a TLS 1.3 record", d->aead->name);
    }
    LATCH_CT_PUBLIC(buf, LATCH_REC_HDR_LEN + body_len); /* it goes on the wire */
    *rec_len = LATCH_REC_HDR_LEN + body_len;
    return LATCH_OK;
}

latch_err latch__rec_open13(latch_rec_dir *d, const latch_rec_hdr *h, uint8_t *rec, uint8_t *type, latch_rd *plain)
{
    size_t tag_len = d->aead->tag_len;
    uint8_t *body = rec + LATCH_REC_HDR_LEN; /* record.c checked that rec holds 5 + h->len bytes */
    uint8_t nonce[LATCH_AEAD_NONCE_LEN];
    size_t inner_len, pos;
    uint8_t inner_type;
    latch_rd r, content;
    latch_err e;

    /* §5.2: "The outer opaque_type field of a TLSCiphertext record is always set to the value 23". A plaintext
     * change_cipher_spec (§5) is the caller's to let through before calling here. */
    if (h->type != LATCH_CT_APPLICATION_DATA) {
        return LATCH_FAIL(LATCH_ERR_UNEXPECTED_RECORD, "record of type %u where a protected TLS 1.3 record (23) "
                          "was expected", h->type);
    }
    /* A record too short for the tag cannot authenticate: "If the decryption fails ... bad_record_mac" (§5.2). */
    LATCH_ENSURE(h->len >= tag_len, LATCH_ERR_BAD_RECORD_MAC, "protected record shorter than its authentication tag");
    inner_len = h->len - tag_len;
    /* §5.4: "the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1 octets" (record_overflow, §6.2). */
    if (inner_len > LATCH_REC_MAX_INNER13) {
        return LATCH_FAIL(LATCH_ERR_RECORD_OVERFLOW, "protected record of %zu plaintext bytes exceeds 2^14 + 1",
                          inner_len);
    }
    latch__rec_nonce_xor(d, nonce);
    e = d->aead->open(d->ctx, nonce, rec, LATCH_REC_HDR_LEN, body, inner_len, body + inner_len);
    latch_wipe(nonce, sizeof nonce);
    if (e != LATCH_OK) {
        latch_wipe(body, h->len); /* no unauthenticated plaintext stays in the buffer */
        if (e == LATCH_ERR_BAD_RECORD_MAC) {
            return LATCH_FAIL(e, "TLS 1.3 record %llu failed authentication", (unsigned long long)d->seq);
        }
        return LATCH_FAIL(e, "%s failed to open a TLS 1.3 record", d->aead->name);
    }
    /* §5.4: scan from the end for the first non-zero octet, the content type; in constant time, so the padding
     * length does not leak through timing. */
    pos = latch_ct_last_nonzero(body, inner_len);
    /* Authenticated and scanned: the content, its length and its type are the
     * peer's message from here on, and latch acts on them as it must; only the
     * scan above had to hide the padding length. */
    LATCH_CT_PUBLIC(&pos, sizeof pos);
    LATCH_CT_PUBLIC(body, pos);
    if (pos == 0) {
        latch_wipe(body, h->len);
        /* §5.4: "If a receiving implementation does not find a non-zero octet ... unexpected_message". */
        return LATCH_FAIL(LATCH_ERR_RECORD_NO_CONTENT_TYPE, "TLS 1.3 record plaintext of %zu bytes is all padding",
                          inner_len);
    }
    r = latch_rd_make(body, pos);
    LATCH_TRY(latch_rd_bytes(&r, pos - 1, &content));
    LATCH_TRY(latch_rd_u8(&r, &inner_type));
    switch (inner_type) {
    case LATCH_CT_ALERT:
    case LATCH_CT_HANDSHAKE:
    case LATCH_CT_APPLICATION_DATA:
        break;
    case LATCH_CT_CHANGE_CIPHER_SPEC:
        latch_wipe(body, h->len);
        /* §5: "An implementation ... which receives a protected change_cipher_spec record MUST abort the
         * handshake with an unexpected_message alert". */
        return LATCH_FAIL(LATCH_ERR_UNEXPECTED_RECORD, "protected change_cipher_spec record");
    default:
        latch_wipe(body, h->len);
        return LATCH_FAIL(LATCH_ERR_RECORD_BAD_TYPE, "protected record with inner content type %u", inner_type);
    }
    *type = inner_type;
    *plain = content;
    return LATCH_OK;
}
