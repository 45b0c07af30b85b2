/*
 * The record layer (src/record/record.c, protect13.c, protect12.c) with
 * fixed keys. The first byte picks the protection (none, TLS 1.3, TLS 1.2),
 * the AEAD and the sequence number; the rest is a record. The target parses
 * the header, opens the record, and also seals the rest as plaintext and
 * opens it again (the round trip must give back the same content).
 */
#include "fuzz.h"

#include "record/record.h"

#include <string.h>

static const uint8_t aeads[3] = {LATCH_AEAD_AES_128_GCM, LATCH_AEAD_AES_256_GCM, LATCH_AEAD_CHACHA20_POLY1305};

static void set_keys(latch_rec_dir *d, latch_prot prot, const latch_aead_alg *aead, bool encrypt, uint64_t seq)
{
    static const uint8_t key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
    static const uint8_t iv[12] = {0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB};
    latch_err e = LATCH_OK;

    memset(d, 0, sizeof *d);
    if (prot == LATCH_PROT_TLS13) {
        e = latch_rec_dir_set13(d, aead, key, iv, encrypt);
    } else if (prot == LATCH_PROT_TLS12) {
        e = latch_rec_dir_set12(d, aead, key, iv, aead->id == LATCH_AEAD_CHACHA20_POLY1305 ? 12 : 4, encrypt);
    }
    FZ_ASSERT(e == LATCH_OK, "installing fixed keys: %s", latch_err_name(e));
    d->seq = seq;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return false;
        }
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t rec[LATCH_REC_BUF_MAX + 64], buf[LATCH_REC_BUF_MAX + 64];
    static const size_t max_for[3] = {LATCH_REC_MAX_PLAIN, LATCH_REC_MAX_CIPHER13, LATCH_REC_MAX_CIPHER12};
    fz_in in = {data, size};
    uint8_t sel = fz_u8(&in);
    latch_prot prot = (latch_prot)((sel & 3) % 3);
    const latch_aead_alg *aead = latch_provider_aead(latch_provider_openssl(), aeads[((sel >> 2) & 3) % 3]);
    uint64_t seq = (sel & 0x80) ? UINT64_MAX - ((sel >> 4) & 7) : (uint64_t)((sel >> 4) & 7);
    latch_rec_dir rd, wr;
    latch_rec_hdr h;
    latch_rd plain;
    uint8_t type;
    latch_err e;

    FZ_ASSERT(aead != NULL, "no AEAD");
    latch__err_clear();
    e = latch_rec_header(in.p, in.n, max_for[prot], &h);
    if (e != LATCH_OK) {
        FZ_ASSERT(h.type == 0 && h.len == 0 && h.version == 0, "a failed header parse left output");
        FZ_ASSERT(e == LATCH_ERR_WANT_READ || latch__err_last()->code == e, "header failure without a site");
    } else {
        FZ_ASSERT(h.len <= max_for[prot] && h.type >= 20 && h.type <= 23 && (h.version >> 8) == 3, "bad header");
    }
    if (e == LATCH_OK && in.n >= LATCH_REC_HDR_LEN + (size_t)h.len) {
        size_t rec_len = LATCH_REC_HDR_LEN + (size_t)h.len;

        set_keys(&rd, prot, aead, false, seq);
        memcpy(rec, in.p, rec_len);
        latch__err_clear();
        e = latch_rec_open(&rd, rec, rec_len, &type, &plain);
        fz_check_failure(e);
        if (e == LATCH_OK) {
            FZ_ASSERT(plain.p >= rec + LATCH_REC_HDR_LEN && plain.p + plain.len <= rec + rec_len, "view outside the record");
            FZ_ASSERT(plain.len <= LATCH_REC_MAX_PLAIN + (prot == LATCH_PROT_TLS13 ? 0u : 0u), "content over 2^14");
            FZ_ASSERT(rd.seq == seq + (prot == LATCH_PROT_NONE ? 0 : 1), "seq did not advance by one");
            latch__err_clear();
            fz_check_failure(latch_rec_check_content(type, plain));
        } else {
            FZ_ASSERT(type == 0 && plain.len == 0, "a failed open left output");
            FZ_ASSERT(rd.seq == seq, "seq advanced on a failure");
            size_t ex = prot == LATCH_PROT_TLS12 && aead->id != LATCH_AEAD_CHACHA20_POLY1305 ? 8 : 0;

            if (e == LATCH_ERR_BAD_RECORD_MAC && h.len >= ex + aead->tag_len) {
                /* Decryption was attempted: no unauthenticated plaintext is left in the buffer. */
                FZ_ASSERT(all_zero(rec + LATCH_REC_HDR_LEN, h.len), "a rejected record's body was not wiped");
            }
        }
        latch_rec_dir_clear(&rd);
    }
    /* Round trip: the rest of the input as the content of a record of type 20..23. */
    if (in.n >= 1) {
        uint8_t t = (uint8_t)(20 + in.p[0] % 4);
        size_t len = in.n - 1, pad = 0, prefix, rec_len = 0;

        if (len > LATCH_REC_MAX_PLAIN) {
            len = LATCH_REC_MAX_PLAIN;
        }
        if (prot == LATCH_PROT_TLS13 && len > 0) {
            pad = in.p[1] % 32;
            if (len + 1 + pad > LATCH_REC_MAX_INNER13) {
                pad = 0;
            }
        }
        set_keys(&wr, prot, aead, true, seq);
        set_keys(&rd, prot, aead, false, seq);
        prefix = latch_rec_prefix(&wr);
        memcpy(buf + prefix, in.p + 1, len);
        latch__err_clear();
        e = latch_rec_seal(&wr, t, buf, len, pad, sizeof buf, &rec_len);
        if (e == LATCH_OK) {
            latch_rec_hdr h2;

            FZ_ASSERT(latch_rec_header(buf, rec_len, max_for[prot], &h2) == LATCH_OK &&
                          rec_len == LATCH_REC_HDR_LEN + (size_t)h2.len,
                      "a sealed record does not parse");
            e = latch_rec_open(&rd, buf, rec_len, &type, &plain);
            if (t == LATCH_CT_CHANGE_CIPHER_SPEC && prot == LATCH_PROT_TLS13) {
                FZ_ASSERT(e == LATCH_ERR_UNEXPECTED_RECORD, "a protected TLS 1.3 CCS opened");
            } else {
                FZ_ASSERT(e == LATCH_OK, "a sealed record does not open: %s", latch_err_name(e));
                FZ_ASSERT(type == t && plain.len == len && (len == 0 || memcmp(plain.p, in.p + 1, len) == 0),
                          "the round trip changed the record");
            }
        } else {
            /* The only refusals: empty non-data content, application data in the clear, a used-up key. */
            FZ_ASSERT((e == LATCH_ERR_INVALID_ARGUMENT &&
                       ((len == 0 && t != LATCH_CT_APPLICATION_DATA) ||
                        (prot == LATCH_PROT_NONE && t == LATCH_CT_APPLICATION_DATA))) ||
                          (e == LATCH_ERR_SEQUENCE_EXHAUSTED && seq == UINT64_MAX),
                      "seal refused: %s", latch_err_name(e));
        }
        latch_rec_dir_clear(&wr);
        latch_rec_dir_clear(&rd);
    }
    return 0;
}
