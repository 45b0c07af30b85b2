/*
 * Record framing, the limits shared by every version, sequence numbers and
 * the dispatch to protect13.c / protect12.c. See record.h.
 */
#include "record/record.h"

#include "core/err.h"
#include "core/wipe.h"
#include "core/wr.h"
#include "record/protect.h"

#include <string.h>

/* ---- Header ---------------------------------------------------------------- */

/*
 * Bytes that start another protocol's traffic, so that a TLS port reached by
 * plain HTTP (or an HTTP port reached by TLS) says so instead of "bad record
 * type". Four bytes are enough to tell.
 */
static const struct {
    char start[5];
    const char *what;
} not_tls[] = {
    {"GET ", "an HTTP request (GET)"},    {"POST", "an HTTP request (POST)"},
    {"HEAD", "an HTTP request (HEAD)"},   {"PUT ", "an HTTP request (PUT)"},
    {"DELE", "an HTTP request (DELETE)"}, {"OPTI", "an HTTP request (OPTIONS)"},
    {"PATC", "an HTTP request (PATCH)"},  {"CONN", "an HTTP proxy request (CONNECT)"},
    {"TRAC", "an HTTP request (TRACE)"},  {"HTTP", "an HTTP response"},
};

/*
 * struct {
 *     ContentType type;
 *     ProtocolVersion legacy_record_version;
 *     uint16 length;
 *     opaque fragment[TLSPlaintext.length];
 * } TLSPlaintext;                                     (RFC 8446 §5.1)
 */
latch_err latch_rec_header(const uint8_t *p, size_t avail, size_t max_len, latch_rec_hdr *h)
{
    latch_rd r = latch_rd_make(p, avail);
    latch_rd peek = r;
    uint8_t start[4];
    uint8_t type;
    uint16_t version, len;

    memset(h, 0, sizeof *h);
    if (latch_rd_left(&r) < LATCH_REC_HDR_LEN) {
        return LATCH_ERR_WANT_READ;
    }
    LATCH_TRY(latch_rd_copy(&peek, start, sizeof start));
    for (size_t i = 0; i < sizeof not_tls / sizeof not_tls[0]; i++) {
        if (memcmp(start, not_tls[i].start, sizeof start) == 0) {
            return LATCH_FAIL(LATCH_ERR_NOT_TLS, "the peer sent %s, not a TLS record: is it speaking plain HTTP?",
                              not_tls[i].what);
        }
    }
    LATCH_TRY(latch_rd_u8(&r, &type));
    LATCH_TRY(latch_rd_u16(&r, &version));
    LATCH_TRY(latch_rd_u16(&r, &len));
    if (type < LATCH_CT_CHANGE_CIPHER_SPEC || type > LATCH_CT_APPLICATION_DATA) {
        /* RFC 8446 §5: "If a TLS implementation receives an unexpected record type, it MUST terminate". */
        return LATCH_FAIL(LATCH_ERR_RECORD_BAD_TYPE, "record content type %u is not one of 20..23", type);
    }
    if ((version >> 8) != 3) {
        /* Every SSL 3.0 / TLS version has major 3; the minor is ignored (RFC 8446 §5.1). */
        return LATCH_FAIL(LATCH_ERR_RECORD_BAD_VERSION, "record version 0x%04x does not have major version 3",
                          version);
    }
    if (len > max_len) {
        /* RFC 8446 §5.1, §5.2; RFC 5246 §6.2.1-6.2.3: "MUST NOT exceed ... record_overflow". */
        return LATCH_FAIL(LATCH_ERR_RECORD_OVERFLOW, "record length %u exceeds the limit of %zu for this state", len,
                          max_len);
    }
    h->type = type;
    h->version = version;
    h->len = len;
    return LATCH_OK;
}

/* ---- Per content type rules ------------------------------------------------ */

latch_err latch_rec_check_content(uint8_t type, latch_rd content)
{
    uint8_t ccs = 0;

    switch (type) {
    case LATCH_CT_HANDSHAKE:
        /* RFC 8446 §5.1: "Implementations MUST NOT send zero-length fragments of Handshake types". */
        LATCH_ENSURE(!latch_rd_empty(&content), LATCH_ERR_RECORD_EMPTY, "empty handshake record");
        return LATCH_OK;
    case LATCH_CT_ALERT:
        /* RFC 8446 §5.4: no zero-length Alert records (unexpected_message). */
        LATCH_ENSURE(!latch_rd_empty(&content), LATCH_ERR_RECORD_EMPTY, "empty alert record");
        /* RFC 8446 §5.1: "a record with an Alert type MUST contain exactly one message". */
        LATCH_ENSURE(latch_rd_left(&content) == 2, LATCH_ERR_DECODE,
                     "an alert record must carry exactly one 2-byte alert");
        return LATCH_OK;
    case LATCH_CT_CHANGE_CIPHER_SPEC:
        /* RFC 8446 §5: "a single byte value 0x01 ... any other change_cipher_spec value ... MUST abort with
         * unexpected_message"; RFC 5246 §7.1 defines the same single byte. */
        LATCH_ENSURE(latch_rd_left(&content) == 1 && latch_rd_u8(&content, &ccs) == LATCH_OK && ccs == 1,
                     LATCH_ERR_UNEXPECTED_MESSAGE, "change_cipher_spec record is not the single byte 0x01");
        return LATCH_OK;
    case LATCH_CT_APPLICATION_DATA:
        /* RFC 8446 §5.4: may be empty (cover traffic); latch_rec_empty_note bounds runs of them. */
        return LATCH_OK;
    default:
        return LATCH_FAIL(LATCH_ERR_RECORD_BAD_TYPE, "record content type %u is not one of 20..23", type);
    }
}

void latch_rec_empty_init(latch_rec_empty *e, uint32_t max)
{
    e->count = 0;
    e->max = (max == 0) ? LATCH_MAX_EMPTY_RECORDS_DEFAULT : max;
}

latch_err latch_rec_empty_note(latch_rec_empty *e, size_t content_len)
{
    if (content_len > 0) {
        e->count = 0;
        return LATCH_OK;
    }
    if (e->count < UINT32_MAX) {
        e->count++;
    }
    if (e->count > e->max) {
        return LATCH_FAIL(LATCH_ERR_TOO_MANY_EMPTY_RECORDS, "%u empty records in a row (the limit is %u)", e->count,
                          e->max);
    }
    return LATCH_OK;
}

/* ---- Keys -------------------------------------------------------------------- */

static latch_err dir_install(latch_rec_dir *d, latch_prot mode, const latch_aead_alg *aead, const uint8_t *key,
                             const uint8_t *iv, size_t iv_len, bool encrypt)
{
    latch_err e;

    if (d->ctx != NULL && d->aead == aead && d->encrypt == encrypt) {
        /* KeyUpdate keeps the algorithm and direction: re-key, no new context. */
        e = aead->rekey(d->ctx, key);
    } else {
        if (d->ctx != NULL) {
            d->aead->destroy(d->ctx);
            d->ctx = NULL;
        }
        e = aead->create(aead, key, encrypt, &d->ctx);
    }
    if (e != LATCH_OK) {
        latch_rec_dir_clear(d);
        return LATCH_FAIL(e, "the crypto provider could not install a %s key", aead->name);
    }
    d->mode = mode;
    d->aead = aead;
    d->encrypt = encrypt;
    latch_wipe(d->iv, sizeof d->iv);
    memcpy(d->iv, iv, iv_len);
    d->iv_len = (uint8_t)iv_len;
    /* RFC 8446 §5.3: "Each sequence number is set to zero ... whenever the key is changed". */
    d->seq = 0;
    d->limit = aead->confidentiality_limit;
    return LATCH_OK;
}

static latch_err check_aead(latch_rec_dir *d, const latch_aead_alg *aead, const uint8_t *key, const uint8_t *iv)
{
    if (d == NULL) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "no record direction given");
    }
    if (aead == NULL || key == NULL || iv == NULL) {
        latch_rec_dir_clear(d);
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "record keys need an AEAD, a key and an IV");
    }
    /* RFC 8446 §5.3 and RFC 5288 §3 both build a 12-byte nonce; tags above 16 do not fit our buffers. */
    if (aead->nonce_len != LATCH_AEAD_NONCE_LEN || aead->tag_len == 0 || aead->tag_len > LATCH_AEAD_TAG_LEN) {
        latch_rec_dir_clear(d);
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "AEAD %s does not have a 12-byte nonce and a tag of at most 16",
                          aead->name);
    }
    return LATCH_OK;
}

latch_err latch_rec_dir_set13(latch_rec_dir *d, const latch_aead_alg *aead, const uint8_t *key, const uint8_t iv[12],
                              bool encrypt)
{
    LATCH_TRY(check_aead(d, aead, key, iv));
    LATCH_TRY(dir_install(d, LATCH_PROT_TLS13, aead, key, iv, LATCH_AEAD_NONCE_LEN, encrypt));
    return LATCH_OK;
}

latch_err latch_rec_dir_set12(latch_rec_dir *d, const latch_aead_alg *aead, const uint8_t *key, const uint8_t *iv,
                              size_t iv_len, bool encrypt)
{
    size_t want;

    LATCH_TRY(check_aead(d, aead, key, iv));
    switch (aead->id) {
    case LATCH_AEAD_AES_128_GCM:
    case LATCH_AEAD_AES_256_GCM:
        want = 4; /* RFC 5288 §3: the 4-byte salt is the implicit part of the nonce */
        break;
    case LATCH_AEAD_CHACHA20_POLY1305:
        want = 12; /* RFC 7905 §2: a 12-byte IV XORed with the sequence number */
        break;
    default:
        latch_rec_dir_clear(d);
        return LATCH_FAIL(LATCH_ERR_UNSUPPORTED, "AEAD %s has no TLS 1.2 record construction", aead->name);
    }
    if (iv_len != want) {
        latch_rec_dir_clear(d);
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "TLS 1.2 %s needs a %zu-byte IV, got %zu", aead->name, want,
                          iv_len);
    }
    LATCH_TRY(dir_install(d, LATCH_PROT_TLS12, aead, key, iv, iv_len, encrypt));
    return LATCH_OK;
}

void latch_rec_dir_clear(latch_rec_dir *d)
{
    if (d == NULL) {
        return;
    }
    if (d->ctx != NULL && d->aead != NULL) {
        d->aead->destroy(d->ctx);
    }
    latch_wipe(d, sizeof *d);
}

/* ---- Layout helpers ------------------------------------------------------------ */

uint16_t latch__rec_version(const latch_rec_dir *d)
{
    return (d->version == 0) ? LATCH_REC_VERSION_TLS12 : d->version;
}

void latch__rec_nonce_xor(const latch_rec_dir *d, uint8_t nonce[LATCH_AEAD_NONCE_LEN])
{
    /* RFC 8446 §5.3: the sequence number in network byte order, padded on the left to the IV length, XOR the IV. */
    memcpy(nonce, d->iv, LATCH_AEAD_NONCE_LEN);
    for (size_t i = 0; i < 8; i++) {
        nonce[LATCH_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(d->seq >> (8 * i));
    }
}

void latch__rec_put_hdr(uint8_t *buf, uint8_t type, uint16_t version, size_t len)
{
    latch_wr w;

    latch_wr_init(&w, buf, LATCH_REC_HDR_LEN);
    latch_wr_u8(&w, type);
    latch_wr_u16(&w, version);
    latch_wr_u16(&w, (uint16_t)len); /* callers keep len <= 2^14 + 2048 */
}

static bool explicit_nonce(const latch_rec_dir *d)
{
    return d->mode == LATCH_PROT_TLS12 && d->iv_len == 4;
}

size_t latch_rec_prefix(const latch_rec_dir *d)
{
    return LATCH_REC_HDR_LEN + (explicit_nonce(d) ? LATCH_REC_EXPLICIT_NONCE_LEN : 0);
}

size_t latch_rec_suffix(const latch_rec_dir *d, size_t pad)
{
    switch (d->mode) {
    case LATCH_PROT_NONE:
        return 0;
    case LATCH_PROT_TLS13:
        if (pad > LATCH_REC_MAX_INNER13) {
            return SIZE_MAX; /* never fits: latch_rec_seal refuses such padding */
        }
        return 1 + pad + d->aead->tag_len;
    case LATCH_PROT_TLS12:
        return d->aead->tag_len;
    }
    return SIZE_MAX;
}

/* ---- Seal and open --------------------------------------------------------------- */

static bool known_type(uint8_t type)
{
    return type >= LATCH_CT_CHANGE_CIPHER_SPEC && type <= LATCH_CT_APPLICATION_DATA;
}

/* Sequence number and key-limit checks before a protected record is sealed or opened. */
static latch_err check_seq(const latch_rec_dir *d)
{
    /* RFC 8446 §5.3: "If a TLS implementation would need to wrap a sequence number, it MUST either rekey or
     * terminate the connection"; RFC 5246 §6.1: sequence numbers "may not exceed 2^64-1". UINT64_MAX is kept
     * unused so that seq never wraps to a used nonce. */
    LATCH_ENSURE(d->seq != UINT64_MAX, LATCH_ERR_SEQUENCE_EXHAUSTED,
                 "the record sequence number would wrap: the key must be updated");
    return LATCH_OK;
}

latch_err latch_rec_seal(latch_rec_dir *d, uint8_t type, uint8_t *buf, size_t plain_len, size_t pad, size_t cap,
                         size_t *rec_len)
{
    LATCH_ENSURE(rec_len != NULL, LATCH_ERR_INVALID_ARGUMENT, "no place for the record length");
    *rec_len = 0;
    LATCH_ENSURE(d != NULL && buf != NULL, LATCH_ERR_INVALID_ARGUMENT, "no record direction or buffer given");
    LATCH_ENSURE(known_type(type), LATCH_ERR_INVALID_ARGUMENT, "cannot seal a record of an unknown content type");
    /* RFC 8446 §5.1 / RFC 5246 §6.2.1: a fragment carries at most 2^14 bytes. */
    LATCH_ENSURE(plain_len <= LATCH_REC_MAX_PLAIN, LATCH_ERR_INVALID_ARGUMENT,
                 "record plaintext longer than 2^14 bytes");
    /* RFC 8446 §5.4: "Implementations MUST NOT send Handshake and Alert records that have a zero-length
     * TLSInnerPlaintext.content". */
    LATCH_ENSURE(plain_len > 0 || type == LATCH_CT_APPLICATION_DATA, LATCH_ERR_INVALID_ARGUMENT,
                 "handshake, alert and change_cipher_spec records must not be empty");
    switch (d->mode) {
    case LATCH_PROT_NONE:
        /* RFC 8446 §5.1: "Application Data records MUST NOT be written to the wire unprotected". */
        LATCH_ENSURE(type != LATCH_CT_APPLICATION_DATA, LATCH_ERR_INVALID_ARGUMENT,
                     "application data cannot be sent before record protection is on");
        LATCH_ENSURE(pad == 0, LATCH_ERR_INVALID_ARGUMENT, "records in the clear cannot be padded");
        LATCH_ENSURE(cap >= LATCH_REC_HDR_LEN && cap - LATCH_REC_HDR_LEN >= plain_len, LATCH_ERR_BUFFER_TOO_SMALL,
                     "the output buffer cannot hold the record");
        latch__rec_put_hdr(buf, type, latch__rec_version(d), plain_len);
        *rec_len = LATCH_REC_HDR_LEN + plain_len;
        return LATCH_OK;
    case LATCH_PROT_TLS13:
        /* RFC 8446 §5.4: "the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1 octets". */
        LATCH_ENSURE(pad <= LATCH_REC_MAX_INNER13 - 1 - plain_len, LATCH_ERR_INVALID_ARGUMENT,
                     "content, type and padding exceed 2^14 + 1 bytes");
        LATCH_TRY(check_seq(d));
        LATCH_ENSURE(d->limit > 0, LATCH_ERR_KEY_LIMIT,
                     "the key has protected as many records as its AEAD allows (RFC 8446 §5.5): update it");
        LATCH_TRY(latch__rec_seal13(d, type, buf, plain_len, pad, cap, rec_len));
        break;
    case LATCH_PROT_TLS12:
        LATCH_ENSURE(pad == 0, LATCH_ERR_INVALID_ARGUMENT, "TLS 1.2 records cannot be padded");
        LATCH_TRY(check_seq(d));
        LATCH_ENSURE(d->limit > 0, LATCH_ERR_KEY_LIMIT,
                     "the key has protected as many records as its AEAD allows: the connection must close");
        LATCH_TRY(latch__rec_seal12(d, type, buf, plain_len, cap, rec_len));
        break;
    default:
        return LATCH_FAIL(LATCH_ERR_BAD_STATE, "record direction in an unknown mode %d", (int)d->mode);
    }
    d->seq++;
    d->limit--;
    return LATCH_OK;
}

static size_t max_body(const latch_rec_dir *d)
{
    switch (d->mode) {
    case LATCH_PROT_NONE: return LATCH_REC_MAX_PLAIN;
    case LATCH_PROT_TLS13: return LATCH_REC_MAX_CIPHER13;
    case LATCH_PROT_TLS12: return LATCH_REC_MAX_CIPHER12;
    }
    return 0;
}

latch_err latch_rec_open(latch_rec_dir *d, uint8_t *rec, size_t rec_len, uint8_t *type, latch_rd *plain)
{
    latch_rec_hdr h;
    latch_rd r;

    LATCH_ENSURE(type != NULL && plain != NULL, LATCH_ERR_INVALID_ARGUMENT, "no place for the record content");
    *type = 0;
    *plain = latch_rd_make(NULL, 0);
    LATCH_ENSURE(d != NULL && rec != NULL, LATCH_ERR_INVALID_ARGUMENT, "no record direction or record given");
    LATCH_ENSURE(d->mode == LATCH_PROT_NONE || d->mode == LATCH_PROT_TLS13 || d->mode == LATCH_PROT_TLS12,
                 LATCH_ERR_BAD_STATE, "record direction in an unknown mode");
    LATCH_ENSURE(rec_len >= LATCH_REC_HDR_LEN, LATCH_ERR_INVALID_ARGUMENT,
                 "the record buffer is shorter than a record header");
    LATCH_TRY(latch_rec_header(rec, rec_len, max_body(d), &h));
    LATCH_ENSURE(rec_len == LATCH_REC_HDR_LEN + (size_t)h.len, LATCH_ERR_INVALID_ARGUMENT,
                 "the record buffer does not hold exactly one record");
    switch (d->mode) {
    case LATCH_PROT_NONE:
        /* RFC 8446 §5.1: application data is never sent unprotected. The caller filters records it skips
         * (rejected 0-RTT) before this call. */
        LATCH_ENSURE(h.type != LATCH_CT_APPLICATION_DATA, LATCH_ERR_UNEXPECTED_RECORD,
                     "application data record before record protection is on");
        r = latch_rd_make(rec, rec_len);
        LATCH_TRY(latch_rd_skip(&r, LATCH_REC_HDR_LEN));
        *type = h.type;
        *plain = r;
        return LATCH_OK;
    case LATCH_PROT_TLS13:
        LATCH_TRY(check_seq(d));
        LATCH_TRY(latch__rec_open13(d, &h, rec, type, plain));
        break;
    case LATCH_PROT_TLS12:
        LATCH_TRY(check_seq(d));
        LATCH_TRY(latch__rec_open12(d, &h, rec, type, plain));
        break;
    }
    d->seq++;
    return LATCH_OK;
}
