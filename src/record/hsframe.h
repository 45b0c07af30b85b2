/*
 * Handshake message framing (RFC 8446 §4, §5.1; RFC 5246 §7.4):
 *
 *   struct {
 *       HandshakeType msg_type;    -- one byte
 *       uint24 length;             -- bytes in body
 *       select (msg_type) { ... } body;
 *   } Handshake;
 *
 * A handshake message may span several records and several may share one.
 * The reassembler takes the plaintext of each handshake record in turn
 * (latch_hsframe_feed) and yields complete messages (latch_hsframe_next).
 * A message that lies whole inside the current record is returned as a view
 * into that record, without a copy; only a message that crosses a record
 * boundary is copied, into a buffer allocated through the latch_allocator
 * and released as soon as the message has been consumed, so an idle
 * connection holds no handshake memory.
 *
 * Typical use, per handshake record:
 *
 *   LATCH_TRY(latch_hsframe_feed(&f, plain));
 *   while ((e = latch_hsframe_next(&f, &m)) == LATCH_OK) { handle m; }
 *   if (e != LATCH_ERR_WANT_READ) return e;
 *
 * The caller enforces two record-boundary rules with what this reports
 * (RFC 8446 §5.1): a key change must follow a message with m.end_of_record
 * set and no latch_hsframe_pending(); and no record of another type may
 * arrive while latch_hsframe_pending() (handshake messages are not
 * interleaved with other records).
 */
#ifndef LATCH_RECORD_HSFRAME_H
#define LATCH_RECORD_HSFRAME_H

#include "core/rd.h"

#include <latch/alloc.h>
#include <latch/error.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LATCH_HS_HDR_LEN 4
/* The largest handshake message body accepted unless configured otherwise:
 * enough for a certificate chain of a few large certificates. */
#define LATCH_HS_MAX_MSG_DEFAULT 65536
/* A uint24 length cannot announce more. */
#define LATCH_HS_MAX_MSG_LIMIT 0xFFFFFFu

typedef struct latch_hsframe {
    const latch_allocator *alloc; /* NULL: the default allocator */
    size_t max_msg;               /* largest body length accepted */
    latch_rd rec;                 /* unread rest of the current record */
    uint8_t *buf;                 /* a message that crosses records, or NULL */
    size_t buf_cap;               /* bytes allocated at buf */
    size_t buf_len;               /* bytes of the message in buf so far */
    bool buf_done;                /* buf holds a message already returned */
} latch_hsframe;

/** A handshake message. The views stay valid until the next call on the framer. */
typedef struct latch_hs_msg {
    uint8_t type;        /* HandshakeType */
    latch_rd body;       /* the body, length bytes */
    latch_rd whole;      /* header and body, as hashed into the transcript */
    bool end_of_record;  /* the message ended exactly at the end of its record */
} latch_hs_msg;

/**
 * Initialise. alloc NULL means the default allocator; max_msg 0 means
 * LATCH_HS_MAX_MSG_DEFAULT (values above 2^24 - 1 act as 2^24 - 1). Holds
 * no memory until a message crosses a record boundary.
 */
void latch_hsframe_init(latch_hsframe *f, const latch_allocator *alloc, size_t max_msg);

/** Release the buffer (wiped) and forget everything. */
void latch_hsframe_cleanup(latch_hsframe *f);

/**
 * Take the plaintext of the next handshake record. The bytes are borrowed
 * until latch_hsframe_next returns LATCH_ERR_WANT_READ (or an error).
 * \return LATCH_OK;
 *   LATCH_ERR_RECORD_EMPTY for an empty record (RFC 8446 §5.1: "Implementations
 *     MUST NOT send zero-length fragments of Handshake types");
 *   LATCH_ERR_BAD_STATE if the previous record was not read to its end.
 */
LATCH_MUST_CHECK latch_err latch_hsframe_feed(latch_hsframe *f, latch_rd plain);

/**
 * The next complete message.
 * \return LATCH_OK and *m;
 *   LATCH_ERR_WANT_READ when the current record is used up (any partial
 *     message has been buffered; feed the next record);
 *   LATCH_ERR_HANDSHAKE_TOO_LARGE as soon as a header announces a body
 *     longer than max_msg;
 *   LATCH_ERR_NO_MEMORY if the buffer for a partial message cannot be had
 *     (no byte is lost: the call may be repeated).
 * On failure *m is zeroed.
 */
LATCH_MUST_CHECK latch_err latch_hsframe_next(latch_hsframe *f, latch_hs_msg *m);

/**
 * True when bytes of a handshake message not yet returned are held: a
 * partial message in the buffer or unread bytes of the current record. A key
 * change or a record of another type at that point is a protocol error for
 * the caller (RFC 8446 §5.1).
 */
bool latch_hsframe_pending(const latch_hsframe *f);

#endif
