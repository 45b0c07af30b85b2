/*
 * TLS 1.2 AEAD record protection (RFC 5246 §6.2.3.3):
 *
 *   struct {
 *       opaque nonce_explicit[SecurityParameters.record_iv_length];
 *       aead-ciphered struct {
 *           opaque content[TLSCompressed.length];
 *       };
 *   } GenericAEADCipher;
 *
 *   additional_data = seq_num + TLSCompressed.type +
 *                     TLSCompressed.version + TLSCompressed.length;
 *
 * AES-GCM (RFC 5288 §3): nonce = salt[4] || nonce_explicit[8], and we send
 * the sequence number as nonce_explicit ("The nonce_explicit MAY be the
 * 64-bit sequence number"), which is distinct for every record by
 * construction. ChaCha20-Poly1305 (RFC 7905 §2): no explicit nonce;
 * nonce = iv XOR seq as in TLS 1.3. Compression is always null, so
 * TLSCompressed is the plaintext. record.c has checked the arguments, seq
 * and the key limit.
 */
#include "core/ct.h"
#include "core/err.h"
#include "core/wipe.h"
#include "core/wr.h"
#include "record/protect.h"

#include <string.h>

static size_t explicit_len(const latch_rec_dir *d)
{
    return (d->iv_len == 4) ? LATCH_REC_EXPLICIT_NONCE_LEN : 0;
}

/* additional_data: seq_num(8) + type(1) + version(2) + length(2). */
static void make_aad(uint8_t aad[13], uint64_t seq, uint8_t type, uint16_t version, size_t len)
{
    latch_wr w;

    latch_wr_init(&w, aad, 13);
    latch_wr_u64(&w, seq);
    latch_wr_u8(&w, type);
    latch_wr_u16(&w, version);
    latch_wr_u16(&w, (uint16_t)len); /* <= 2^14: checked by the callers */
}

/* The 12-byte nonce from the direction's IV and the explicit part (GCM) or the sequence number (ChaCha). */
static void make_nonce(const latch_rec_dir *d, const uint8_t explicit_part[8], uint8_t nonce[LATCH_AEAD_NONCE_LEN])
{
    if (d->iv_len == 4) {
        memcpy(nonce, d->iv, 4);
        memcpy(nonce + 4, explicit_part, LATCH_REC_EXPLICIT_NONCE_LEN);
    } else {
        latch__rec_nonce_xor(d, nonce);
    }
}

latch_err latch__rec_seal12(latch_rec_dir *d, uint8_t type, uint8_t *buf, size_t plain_len, size_t cap,
                            size_t *rec_len)
{
    size_t ex = explicit_len(d);
    size_t body_len = ex + plain_len + d->aead->tag_len;
    uint8_t *plain = buf + LATCH_REC_HDR_LEN + ex; /* our own output buffer: offsets checked against cap below */
    uint8_t aad[13], explicit_part[LATCH_REC_EXPLICIT_NONCE_LEN], nonce[LATCH_AEAD_NONCE_LEN];
    latch_wr w;
    latch_err e;

    LATCH_ENSURE(cap >= LATCH_REC_HDR_LEN && cap - LATCH_REC_HDR_LEN >= body_len, LATCH_ERR_BUFFER_TOO_SMALL,
                 "the output buffer cannot hold the protected record");
    latch_wr_init(&w, explicit_part, sizeof explicit_part);
    latch_wr_u64(&w, d->seq);
    LATCH_TRY(latch_wr_finish(&w));
    latch__rec_put_hdr(buf, type, LATCH_REC_VERSION_TLS12, body_len);
    memcpy(buf + LATCH_REC_HDR_LEN, explicit_part, ex);
    make_aad(aad, d->seq, type, LATCH_REC_VERSION_TLS12, plain_len);
    make_nonce(d, explicit_part, nonce);
    e = d->aead->seal(d->ctx, nonce, aad, sizeof aad, plain, plain_len, plain + plain_len);
    latch_wipe(nonce, sizeof nonce);
    if (e != LATCH_OK) {
        return LATCH_FAIL(e, "%s failed to seal a TLS 1.2 record", d->aead->name);
    }
    LATCH_CT_PUBLIC(buf, LATCH_REC_HDR_LEN + body_len); /* it goes on the wire */
    *rec_len = LATCH_REC_HDR_LEN + body_len;
    return LATCH_OK;
}

latch_err latch__rec_open12(latch_rec_dir *d, const latch_rec_hdr *h, uint8_t *rec, uint8_t *type, latch_rd *plain)
{
    size_t ex = explicit_len(d);
    size_t tag_len = d->aead->tag_len;
    uint8_t *body = rec + LATCH_REC_HDR_LEN; /* record.c checked that rec holds 5 + h->len bytes */
    uint8_t aad[13], explicit_part[LATCH_REC_EXPLICIT_NONCE_LEN] = {0}, nonce[LATCH_AEAD_NONCE_LEN];
    size_t plain_len;
    latch_rd r, content;
    latch_err e;

    /* Too short for the explicit nonce and the tag: it cannot authenticate. */
    LATCH_ENSURE(h->len >= ex + tag_len, LATCH_ERR_BAD_RECORD_MAC,
                 "protected record shorter than its explicit nonce and authentication tag");
    plain_len = h->len - ex - tag_len;
    /* RFC 5246 §6.2.1: "The length MUST NOT exceed 2^14" (with null compression, TLSCompressed is TLSPlaintext). */
    if (plain_len > LATCH_REC_MAX_PLAIN) {
        return LATCH_FAIL(LATCH_ERR_RECORD_OVERFLOW, "protected record of %zu plaintext bytes exceeds 2^14",
                          plain_len);
    }
    r = latch_rd_make(body, h->len);
    LATCH_TRY(latch_rd_copy(&r, explicit_part, ex));
    LATCH_TRY(latch_rd_bytes(&r, plain_len, &content));
    /* The version in the AAD is the one the record carries, so a record whose version was altered fails. */
    make_aad(aad, d->seq, h->type, h->version, plain_len);
    make_nonce(d, explicit_part, nonce);
    e = d->aead->open(d->ctx, nonce, aad, sizeof aad, body + ex, plain_len, body + ex + plain_len);
    latch_wipe(nonce, sizeof nonce);
    if (e != LATCH_OK) {
        latch_wipe(body, h->len); /* no unauthenticated plaintext stays in the buffer */
        if (e == LATCH_ERR_BAD_RECORD_MAC) {
            return LATCH_FAIL(e, "TLS 1.2 record %llu failed authentication", (unsigned long long)d->seq);
        }
        return LATCH_FAIL(e, "%s failed to open a TLS 1.2 record", d->aead->name);
    }
    /* Authenticated: the content is the peer's message from here on. */
    LATCH_CT_PUBLIC(body + ex, plain_len);
    *type = h->type;
    *plain = content;
    return LATCH_OK;
}
