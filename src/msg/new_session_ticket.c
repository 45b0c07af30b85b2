/* NewSessionTicket (RFC 8446 §4.6.1). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

/* RFC 8446 §4.6.1: "Servers MUST NOT use any value greater than 604800
 * seconds (7 days)." */
#define MAX_LIFETIME 604800u

/*
 * RFC 8446 §4.6.1:
 *   struct {
 *       uint32 ticket_lifetime;
 *       uint32 ticket_age_add;
 *       opaque ticket_nonce<0..255>;
 *       opaque ticket<1..2^16-1>;
 *       Extension extensions<0..2^16-2>;
 *   } NewSessionTicket;
 */
latch_err latch_new_session_ticket_parse(latch_rd body, latch_new_session_ticket *nst)
{
    latch_rd exts;

    *nst = (latch_new_session_ticket){0};
    LATCH_TRY(latch_field_u32(&body, "NewSessionTicket.ticket_lifetime", &nst->lifetime));
    LATCH_TRY(latch_field_u32(&body, "NewSessionTicket.ticket_age_add", &nst->age_add));
    LATCH_TRY(latch_field_vec(&body, "NewSessionTicket.ticket_nonce", 1, 0, 255, &nst->nonce));
    LATCH_TRY(latch_field_vec(&body, "NewSessionTicket.ticket", 2, 1, 0xFFFF, &nst->ticket));
    LATCH_TRY(latch_field_vec(&body, "NewSessionTicket.extensions", 2, 0, 0xFFFE, &exts));
    LATCH_TRY(latch_field_end(&body, "NewSessionTicket"));
    LATCH_TRY(latch_exts_parse(exts, LATCH_CTX_NST, &nst->exts));
    if (latch_exts_has(&nst->exts, LATCH_X_EARLY_DATA)) {
        LATCH_TRY(latch_ext_early_data_nst_parse(nst->exts.data[LATCH_X_EARLY_DATA], &nst->max_early_data));
    }
    /* RFC 8446 §4.6.1: "Clients MUST NOT cache tickets for longer than 7
     * days"; a larger lifetime is a field out of its legal range. */
    if (nst->lifetime > MAX_LIFETIME) {
        return LATCH_FAIL(LATCH_ERR_ILLEGAL_PARAMETER, "NewSessionTicket.ticket_lifetime: %u s exceeds 7 days",
                          nst->lifetime);
    }
    return LATCH_OK;
}

latch_err latch_new_session_ticket_build(latch_wr *w, uint32_t lifetime, uint32_t age_add, const uint8_t *nonce,
                                         size_t nonce_len, const uint8_t *ticket, size_t ticket_len,
                                         uint32_t max_early_data)
{
    if (lifetime > MAX_LIFETIME) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "NewSessionTicket.ticket_lifetime: %u s exceeds 7 days",
                          lifetime);
    }
    if (nonce_len > 255 || (nonce == NULL && nonce_len > 0)) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "NewSessionTicket.ticket_nonce: %zu bytes (at most 255)",
                          nonce_len);
    }
    if (ticket == NULL || ticket_len < 1 || ticket_len > 0xFFFF) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "NewSessionTicket.ticket: %zu bytes (1..65535)", ticket_len);
    }
    latch_msg_open(w, LATCH_HS_NEW_SESSION_TICKET);
    latch_wr_u32(w, lifetime);
    latch_wr_u32(w, age_add);
    latch_wr_open(w, 1);
    latch_wr_bytes(w, nonce, nonce_len);
    latch_wr_close(w, 0, 255); /* ticket_nonce<0..255> */
    latch_wr_open(w, 2);
    latch_wr_bytes(w, ticket, ticket_len);
    latch_wr_close(w, 1, 0xFFFF); /* ticket<1..2^16-1> */
    latch_wr_open(w, 2);
    if (max_early_data > 0) {
        latch_ext_early_data_nst_build(w, max_early_data);
    }
    latch_wr_close(w, 0, 0xFFFE); /* extensions<0..2^16-2> */
    return latch_msg_finish(w, "NewSessionTicket");
}
