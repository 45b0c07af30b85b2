/*
 * Internal to src/record/: the per-version protection functions that
 * latch_rec_seal / latch_rec_open dispatch to once record.c has checked the
 * arguments, the size limits common to all versions, the sequence number and
 * the key limit. They neither read nor advance seq; record.c does both.
 */
#ifndef LATCH_RECORD_PROTECT_H
#define LATCH_RECORD_PROTECT_H

#include "record/record.h"

/** The record version a direction writes (its version field, 0 meaning 0x0303). */
uint16_t latch__rec_version(const latch_rec_dir *d);

/** The per-record nonce iv XOR seq (RFC 8446 §5.3, RFC 7905 §2); needs a 12-byte IV. */
void latch__rec_nonce_xor(const latch_rec_dir *d, uint8_t nonce[LATCH_AEAD_NONCE_LEN]);

/** Write a record header at buf[0..5). */
void latch__rec_put_hdr(uint8_t *buf, uint8_t type, uint16_t version, size_t len);

/*
 * Seal: buf[prefix .. prefix + plain_len) holds the plaintext; the arguments
 * are already checked against the content limits (plain_len <= 2^14,
 * 1.3 inner length <= 2^14 + 1). They check cap themselves.
 */
LATCH_MUST_CHECK latch_err latch__rec_seal13(latch_rec_dir *d, uint8_t type, uint8_t *buf, size_t plain_len,
                                             size_t pad, size_t cap, size_t *rec_len);
LATCH_MUST_CHECK latch_err latch__rec_seal12(latch_rec_dir *d, uint8_t type, uint8_t *buf, size_t plain_len,
                                             size_t cap, size_t *rec_len);

/*
 * Open: rec[0..5) is a header already parsed into *h (with the mode's length
 * limit) and rec[5 .. 5 + h->len) the body. They wipe the body when
 * authentication fails.
 */
LATCH_MUST_CHECK latch_err latch__rec_open13(latch_rec_dir *d, const latch_rec_hdr *h, uint8_t *rec, uint8_t *type,
                                             latch_rd *plain);
LATCH_MUST_CHECK latch_err latch__rec_open12(latch_rec_dir *d, const latch_rec_hdr *h, uint8_t *rec, uint8_t *type,
                                             latch_rd *plain);

#endif
