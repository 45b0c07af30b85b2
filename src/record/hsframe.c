/*
 * Handshake message reassembly across records. See hsframe.h.
 *
 * Two paths: a message that lies whole in the current record is returned as
 * a view into it (no copy, no allocation: the common case); a message that
 * crosses a record boundary is gathered in f->buf, sized exactly to the
 * message once its header is known, and released (wiped) as soon as the
 * caller has consumed the message.
 */
#include "record/hsframe.h"

#include "core/alloc.h"
#include "core/err.h"

#include <string.h>

void latch_hsframe_init(latch_hsframe *f, const latch_allocator *alloc, size_t max_msg)
{
    memset(f, 0, sizeof *f);
    f->alloc = alloc;
    if (max_msg == 0) {
        max_msg = LATCH_HS_MAX_MSG_DEFAULT;
    }
    f->max_msg = (max_msg > LATCH_HS_MAX_MSG_LIMIT) ? LATCH_HS_MAX_MSG_LIMIT : max_msg;
}

static void buf_release(latch_hsframe *f)
{
    latch__free(f->alloc, f->buf, f->buf_cap);
    f->buf = NULL;
    f->buf_cap = 0;
    f->buf_len = 0;
    f->buf_done = false;
}

void latch_hsframe_cleanup(latch_hsframe *f)
{
    buf_release(f);
    memset(f, 0, sizeof *f);
}

/* Make room for need bytes in f->buf, keeping what is there. */
static latch_err buf_reserve(latch_hsframe *f, size_t need)
{
    uint8_t *nb;

    if (need <= f->buf_cap) {
        return LATCH_OK;
    }
    nb = latch__alloc(f->alloc, need);
    if (nb == NULL) {
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "cannot allocate %zu bytes for a handshake message", need);
    }
    if (f->buf_len > 0) {
        memcpy(nb, f->buf, f->buf_len);
    }
    latch__free(f->alloc, f->buf, f->buf_cap); /* wipes the old copy */
    f->buf = nb;
    f->buf_cap = need;
    return LATCH_OK;
}

/* Move up to n bytes of the current record into the buffer (which has room). */
static latch_err buf_take(latch_hsframe *f, size_t n)
{
    size_t left = latch_rd_left(&f->rec);

    if (n > left) {
        n = left;
    }
    LATCH_TRY(latch_rd_copy(&f->rec, f->buf + f->buf_len, n));
    f->buf_len += n;
    return LATCH_OK;
}

static latch_err check_len(const latch_hsframe *f, uint8_t type, uint32_t len)
{
    if (len > f->max_msg) {
        return LATCH_FAIL(LATCH_ERR_HANDSHAKE_TOO_LARGE,
                          "handshake message of type %u announces %lu bytes, more than the limit of %zu", type,
                          (unsigned long)len, f->max_msg);
    }
    return LATCH_OK;
}

/*
 * struct {
 *     HandshakeType msg_type;
 *     uint24 length;
 *     ...body...
 * } Handshake;                                  (RFC 8446 §4)
 *
 * Read the header at the start of r without consuming it.
 */
static latch_err peek_header(latch_rd r, uint8_t *type, uint32_t *len)
{
    LATCH_TRY(latch_rd_u8(&r, type));
    LATCH_TRY(latch_rd_u24(&r, len));
    return LATCH_OK;
}

/* Fill m from whole, a complete message whose header has been checked. */
static latch_err fill_msg(latch_hs_msg *m, latch_rd whole, bool end_of_record)
{
    latch_rd r = whole;
    uint32_t len;

    LATCH_TRY(latch_rd_u8(&r, &m->type));
    LATCH_TRY(latch_rd_u24(&r, &len));
    LATCH_TRY(latch_rd_bytes(&r, len, &m->body));
    LATCH_TRY(latch_rd_end(&r));
    m->whole = whole;
    m->end_of_record = end_of_record;
    return LATCH_OK;
}

latch_err latch_hsframe_feed(latch_hsframe *f, latch_rd plain)
{
    if (f->buf_done) {
        buf_release(f);
    }
    LATCH_ENSURE(latch_rd_empty(&f->rec), LATCH_ERR_BAD_STATE,
                 "a handshake record was fed before the previous one was read to its end");
    /* RFC 8446 §5.1: "Implementations MUST NOT send zero-length fragments of Handshake types". */
    LATCH_ENSURE(!latch_rd_empty(&plain), LATCH_ERR_RECORD_EMPTY, "empty handshake record");
    f->rec = plain;
    return LATCH_OK;
}

/* Continue a message that started in an earlier record. */
static latch_err next_buffered(latch_hsframe *f, latch_hs_msg *m)
{
    uint8_t type;
    uint32_t len;
    size_t total;

    if (f->buf_len < LATCH_HS_HDR_LEN) {
        LATCH_TRY(buf_take(f, LATCH_HS_HDR_LEN - f->buf_len));
        if (f->buf_len < LATCH_HS_HDR_LEN) {
            return LATCH_ERR_WANT_READ; /* the header itself spans records */
        }
    }
    LATCH_TRY(peek_header(latch_rd_make(f->buf, f->buf_len), &type, &len));
    LATCH_TRY(check_len(f, type, len));
    total = LATCH_HS_HDR_LEN + (size_t)len;
    LATCH_TRY(buf_reserve(f, total));
    LATCH_TRY(buf_take(f, total - f->buf_len));
    if (f->buf_len < total) {
        return LATCH_ERR_WANT_READ;
    }
    LATCH_TRY(fill_msg(m, latch_rd_make(f->buf, total), latch_rd_empty(&f->rec)));
    f->buf_done = true; /* released on the next call */
    return LATCH_OK;
}

latch_err latch_hsframe_next(latch_hsframe *f, latch_hs_msg *m)
{
    latch_err e;
    uint8_t type;
    uint32_t len;
    size_t need = LATCH_HS_HDR_LEN;
    latch_rd whole;

    memset(m, 0, sizeof *m);
    if (f->buf_done) {
        buf_release(f); /* the caller is done with the message it held */
    }
    if (f->buf_len > 0) {
        e = next_buffered(f, m);
    } else if (latch_rd_empty(&f->rec)) {
        return LATCH_ERR_WANT_READ;
    } else {
        if (latch_rd_left(&f->rec) >= LATCH_HS_HDR_LEN) {
            LATCH_TRY(peek_header(f->rec, &type, &len));
            /* Refuse an oversized message on its header, before buffering any of it. */
            LATCH_TRY(check_len(f, type, len));
            need = LATCH_HS_HDR_LEN + (size_t)len;
            if (latch_rd_left(&f->rec) >= need) {
                /* The common case: the whole message is in this record. Return a view, no copy. */
                LATCH_TRY(latch_rd_bytes(&f->rec, need, &whole));
                LATCH_TRY(fill_msg(m, whole, latch_rd_empty(&f->rec)));
                return LATCH_OK;
            }
        }
        /* The message continues in the next record: keep what we have (the rest of this record). */
        LATCH_TRY(buf_reserve(f, need));
        LATCH_TRY(buf_take(f, latch_rd_left(&f->rec)));
        return LATCH_ERR_WANT_READ;
    }
    if (e != LATCH_OK) {
        memset(m, 0, sizeof *m);
    }
    return e;
}

bool latch_hsframe_pending(const latch_hsframe *f)
{
    return (f->buf_len > 0 && !f->buf_done) || !latch_rd_empty(&f->rec);
}
