/*
 * The record layer: framing (RFC 8446 §5.1, RFC 5246 §6.2), AEAD record
 * protection for TLS 1.3 (RFC 8446 §5.2-5.5) and TLS 1.2 (RFC 5246 §6.2.3.3,
 * RFC 5288, RFC 7905), sequence numbers and the size and usage limits.
 *
 * The connection owns the network buffers. Incoming: it collects one complete
 * record (header + body) in its input buffer and calls latch_rec_open(),
 * which decrypts in place and returns a view of the plaintext inside that
 * buffer. Outgoing: it writes the plaintext at latch_rec_prefix() bytes into
 * its output buffer, leaves latch_rec_suffix() bytes free behind it, and
 * calls latch_rec_seal(), which writes the header and encrypts in place.
 * Nothing here allocates (the AEAD context is created by the provider when a
 * key is installed, never per record).
 *
 * What the caller still decides, because it needs the connection's state:
 *   - which max_len to pass to latch_rec_header() (plaintext or protected);
 *   - the TLS 1.3 middlebox exemption: a plaintext change_cipher_spec record
 *     may arrive while protection is on (RFC 8446 §5), and 0-RTT records a
 *     server skips; filter them before latch_rec_open();
 *   - that handshake records are not interleaved with others while a message
 *     is partly received (latch_hsframe_pending(), RFC 8446 §5.1);
 *   - per content type length rules (latch_rec_check_content()) and the
 *     empty-record bound (latch_rec_empty_note()).
 */
#ifndef LATCH_RECORD_RECORD_H
#define LATCH_RECORD_RECORD_H

#include "core/rd.h"

#include <latch/provider.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ContentType (RFC 8446 §5.1). */
enum {
    LATCH_CT_CHANGE_CIPHER_SPEC = 20,
    LATCH_CT_ALERT = 21,
    LATCH_CT_HANDSHAKE = 22,
    LATCH_CT_APPLICATION_DATA = 23
};

#define LATCH_REC_HDR_LEN 5
#define LATCH_REC_MAX_PLAIN 16384                  /* 2^14, RFC 8446 §5.1, RFC 5246 §6.2.1 */
#define LATCH_REC_MAX_INNER13 (16384 + 1)          /* TLSInnerPlaintext, RFC 8446 §5.4 */
#define LATCH_REC_MAX_CIPHER13 (16384 + 256)       /* RFC 8446 §5.2 */
#define LATCH_REC_MAX_CIPHER12 (16384 + 2048)      /* RFC 5246 §6.2.3 */
#define LATCH_REC_BUF_MAX (LATCH_REC_HDR_LEN + LATCH_REC_MAX_CIPHER12) /* one record, any version */

/* The record version of every protected record, and of plaintext ones unless latch_rec_dir.version says
 * otherwise (RFC 8446 §5.1, §5.2). */
#define LATCH_REC_VERSION_TLS12 0x0303
/* Allowed for an initial ClientHello in the clear (RFC 8446 §5.1): set latch_rec_dir.version to it. */
#define LATCH_REC_VERSION_TLS10 0x0301

/* TLS 1.2 GCM: bytes of explicit nonce in front of the ciphertext (RFC 5288 §3). */
#define LATCH_REC_EXPLICIT_NONCE_LEN 8

/** A parsed record header (TLSPlaintext / TLSCiphertext without the fragment). */
typedef struct latch_rec_hdr {
    uint8_t type;
    uint16_t version;
    uint16_t len;
} latch_rec_hdr;

/**
 * Parse the 5-byte record header at p[0..avail).
 *
 * \return LATCH_OK and *h filled;
 *   LATCH_ERR_WANT_READ if avail < 5;
 *   LATCH_ERR_NOT_TLS if the bytes are plainly another protocol (an HTTP
 *     request or response: the detail says which);
 *   LATCH_ERR_RECORD_BAD_TYPE for a content type other than 20..23;
 *   LATCH_ERR_RECORD_BAD_VERSION for a major version other than 3 (the minor
 *     version is not checked: RFC 8446 §5.1 says to ignore it);
 *   LATCH_ERR_RECORD_OVERFLOW if the length is above max_len, which the
 *     caller picks for the current state (LATCH_REC_MAX_PLAIN before
 *     protection, LATCH_REC_MAX_CIPHER13 / LATCH_REC_MAX_CIPHER12 after).
 * On failure *h is zeroed.
 */
LATCH_MUST_CHECK latch_err latch_rec_header(const uint8_t *p, size_t avail, size_t max_len, latch_rec_hdr *h);

/**
 * Length rules per content type for a record's plaintext content (after
 * decryption and, in 1.3, padding removal):
 *   handshake: not empty (RFC 8446 §5.1, §5.4)            -> RECORD_EMPTY
 *   alert: exactly one 2-byte alert (RFC 8446 §5.1, §5.4)   -> RECORD_EMPTY if empty, else DECODE
 *   change_cipher_spec: exactly the byte 0x01 (RFC 8446 §5, RFC 5246 §7.1)
 *                                                           -> UNEXPECTED_MESSAGE
 *   application_data: any length, including 0 (bound runs with latch_rec_empty_note()).
 * Any other type gives LATCH_ERR_RECORD_BAD_TYPE.
 */
LATCH_MUST_CHECK latch_err latch_rec_check_content(uint8_t type, latch_rd content);

/* Consecutive empty records a connection accepts before it gives up. Empty
 * application data records are legal (RFC 8446 §5.4: cover traffic), but an
 * endless stream of them would keep a reader busy without progress. */
#define LATCH_MAX_EMPTY_RECORDS_DEFAULT 32

typedef struct latch_rec_empty {
    uint32_t count; /* empty records in a row so far */
    uint32_t max;   /* the most allowed in a row */
} latch_rec_empty;

/** Start counting; max 0 means LATCH_MAX_EMPTY_RECORDS_DEFAULT. */
void latch_rec_empty_init(latch_rec_empty *e, uint32_t max);

/**
 * Note a record whose content had content_len bytes: a non-empty record
 * resets the run, an empty one extends it.
 * \return LATCH_ERR_TOO_MANY_EMPTY_RECORDS when the run exceeds max.
 */
LATCH_MUST_CHECK latch_err latch_rec_empty_note(latch_rec_empty *e, size_t content_len);

/* ---- Protection ---------------------------------------------------------- */

typedef enum latch_prot {
    LATCH_PROT_NONE = 0, /* plaintext records (before keys exist) */
    LATCH_PROT_TLS13,    /* RFC 8446 §5.2 */
    LATCH_PROT_TLS12     /* RFC 5246 §6.2.3.3 with RFC 5288 (GCM) or RFC 7905 (ChaCha20-Poly1305) */
} latch_prot;

/**
 * Protection state for one direction. Zero-initialised it is a valid
 * plaintext direction (mode NONE, record version 0x0303). Install keys with
 * latch_rec_dir_set13/12 and always end with latch_rec_dir_clear.
 */
typedef struct latch_rec_dir {
    latch_prot mode;
    const latch_aead_alg *aead;
    latch_aead_ctx *ctx;
    uint8_t iv[12];   /* 1.3 and 1.2 ChaCha20: the 12-byte static IV; 1.2 GCM: the 4-byte salt */
    uint8_t iv_len;   /* 12, or 4 for 1.2 GCM */
    bool encrypt;     /* ctx seals (true) or opens (false) */
    uint16_t version; /* version of records sealed in the clear, 0 meaning 0x0303 (protected: always 0x0303) */
    uint64_t seq;     /* next sequence number; UINT64_MAX is never used, so seq cannot wrap */
    uint64_t limit;   /* records this key may still seal (aead->confidentiality_limit) */
} latch_rec_dir;
/* The limit counts sealed records only: how much the peer encrypts under its
 * key is the peer's to bound (RFC 8446 §5.5), and a TLS 1.2 peer cannot even
 * re-key; refusing its records would only break long connections. */

/**
 * Install TLS 1.3 keys (RFC 8446 §7.3): key[0..aead->key_len) and the
 * 12-byte static IV. Resets seq to 0 and limit to the AEAD's confidentiality
 * limit; keeps the version field. An existing key is replaced (the provider
 * context is re-keyed when the AEAD and the direction are unchanged).
 * \return LATCH_OK; LATCH_ERR_INVALID_ARGUMENT for a NULL argument or an AEAD
 *   whose nonce is not 12 bytes; a provider error (CRYPTO, NO_MEMORY,
 *   UNSUPPORTED). On failure the direction is cleared (mode NONE): it never
 *   keeps a half-installed key.
 */
LATCH_MUST_CHECK latch_err latch_rec_dir_set13(latch_rec_dir *d, const latch_aead_alg *aead, const uint8_t *key,
                                               const uint8_t iv[12], bool encrypt);

/**
 * Install TLS 1.2 AEAD keys from the key block (RFC 5246 §6.3): for AES-GCM
 * the 4-byte salt (client/server_write_IV, RFC 5288 §3), for
 * ChaCha20-Poly1305 the 12-byte IV (RFC 7905 §2). Resets seq to 0.
 * \return as latch_rec_dir_set13; INVALID_ARGUMENT also for a wrong iv_len.
 */
LATCH_MUST_CHECK latch_err latch_rec_dir_set12(latch_rec_dir *d, const latch_aead_alg *aead, const uint8_t *key,
                                               const uint8_t *iv, size_t iv_len, bool encrypt);

/** Destroy the AEAD context, wipe the IV and all state; mode NONE. NULL-safe. */
void latch_rec_dir_clear(latch_rec_dir *d);

/**
 * Bytes in front of the plaintext in a sealed record: the header (5), plus
 * the explicit nonce (8) for TLS 1.2 GCM.
 */
size_t latch_rec_prefix(const latch_rec_dir *d);

/**
 * The most bytes a sealed record adds behind plain_len bytes of plaintext:
 * 0 in the clear, 1 (inner type) + pad + tag in 1.3, the tag in 1.2.
 */
size_t latch_rec_suffix(const latch_rec_dir *d, size_t pad);

/**
 * Seal one record in place. buf[prefix .. prefix + plain_len) holds the
 * plaintext (prefix = latch_rec_prefix(d)); the function writes the header
 * in front, then in 1.3 appends the inner type, pad zero bytes and the tag
 * (TLSInnerPlaintext, RFC 8446 §5.2), in 1.2 GCM writes the explicit nonce
 * (the 8-byte sequence number, RFC 5288 §3) and appends the tag, in 1.2
 * ChaCha20-Poly1305 appends the tag, and in mode NONE adds nothing. The
 * record is buf[0 .. *rec_len).
 *
 * \param type the content type (1.3: the inner type; the outer one is 23).
 * \param pad  zero bytes of 1.3 padding (RFC 8446 §5.4); must be 0 otherwise.
 * \param cap  bytes available at buf.
 * \return LATCH_OK;
 *   LATCH_ERR_INVALID_ARGUMENT for an unknown type, an empty handshake or
 *     alert record (RFC 8446 §5.4), application data in the clear (§5.1),
 *     plain_len > 2^14, (1.3) plain_len + 1 + pad > 2^14 + 1, or pad != 0
 *     outside 1.3;
 *   LATCH_ERR_BUFFER_TOO_SMALL if the record would not fit in cap;
 *   LATCH_ERR_SEQUENCE_EXHAUSTED if seq would wrap (RFC 8446 §5.3; a nonce
 *     is never reused);
 *   LATCH_ERR_KEY_LIMIT when the key's confidentiality limit is used up
 *     (RFC 8446 §5.5: update the key or close);
 *   a provider error (CRYPTO).
 * seq and limit change only on success.
 */
LATCH_MUST_CHECK latch_err latch_rec_seal(latch_rec_dir *d, uint8_t type, uint8_t *buf, size_t plain_len,
                                          size_t pad, size_t cap, size_t *rec_len);

/**
 * Open one complete record rec[0 .. rec_len) (header + body) in place.
 * On success *type is the content type (1.3: the inner type) and *plain a
 * view of the content inside rec (valid as long as rec is).
 *
 * \return LATCH_OK;
 *   LATCH_ERR_INVALID_ARGUMENT if rec_len is not 5 + the header's length
 *     (the caller passes exactly one complete record);
 *   the header errors of latch_rec_header() (RECORD_OVERFLOW above the
 *     mode's limit: 2^14 in the clear, 2^14 + 256 in 1.3, 2^14 + 2048 in 1.2);
 *   LATCH_ERR_UNEXPECTED_RECORD for application data in the clear, a 1.3
 *     record whose outer type is not application_data, or a 1.3 record whose
 *     inner type is change_cipher_spec (RFC 8446 §5);
 *   LATCH_ERR_BAD_RECORD_MAC if authentication fails or the record is too
 *     short to hold a tag (RFC 8446 §5.2);
 *   LATCH_ERR_RECORD_OVERFLOW if the plaintext exceeds 2^14 (1.2) or the
 *     TLSInnerPlaintext exceeds 2^14 + 1 (1.3, RFC 8446 §5.4);
 *   LATCH_ERR_RECORD_NO_CONTENT_TYPE if a 1.3 plaintext is all zeros;
 *   LATCH_ERR_RECORD_BAD_TYPE for an unknown inner type;
 *   LATCH_ERR_SEQUENCE_EXHAUSTED if seq would wrap.
 * seq advances only on success. On failure the outputs are zeroed, and if
 * decryption was attempted the body of rec is wiped (no unauthenticated
 * plaintext is left behind).
 */
LATCH_MUST_CHECK latch_err latch_rec_open(latch_rec_dir *d, uint8_t *rec, size_t rec_len, uint8_t *type,
                                          latch_rd *plain);

#endif
