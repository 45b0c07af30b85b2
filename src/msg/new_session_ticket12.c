/* NewSessionTicket in its TLS 1.2 form (RFC 5077 §3.3). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 5077 §3.3:
 *   struct {
 *       uint32 ticket_lifetime_hint;
 *       opaque ticket<0..2^16-1>;
 *   } NewSessionTicket;
 *
 * An empty ticket is legal: "If the server determines that it does not want
 * to include a ticket after it has included the SessionTicket extension in
 * the ServerHello, then it sends a zero-length ticket".
 */
latch_err latch_new_session_ticket12_parse(latch_rd body, uint32_t *lifetime_hint, latch_rd *ticket)
{
    uint32_t hint;
    latch_rd t;

    *lifetime_hint = 0;
    *ticket = (latch_rd){0};
    LATCH_TRY(latch_field_u32(&body, "NewSessionTicket.ticket_lifetime_hint", &hint));
    LATCH_TRY(latch_field_vec(&body, "NewSessionTicket.ticket", 2, 0, 0xFFFF, &t));
    LATCH_TRY(latch_field_end(&body, "NewSessionTicket"));
    *lifetime_hint = hint;
    *ticket = t;
    return LATCH_OK;
}

latch_err latch_new_session_ticket12_build(latch_wr *w, uint32_t lifetime_hint, const uint8_t *ticket, size_t len)
{
    if (len > 0xFFFF || (ticket == NULL && len > 0)) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "NewSessionTicket.ticket: %zu bytes (at most 65535)", len);
    }
    latch_msg_open(w, LATCH_HS_NEW_SESSION_TICKET);
    latch_wr_u32(w, lifetime_hint);
    latch_wr_open(w, 2);
    latch_wr_bytes(w, ticket, len);
    latch_wr_close(w, 0, 0xFFFF); /* ticket<0..2^16-1> */
    return latch_msg_finish(w, "NewSessionTicket");
}
