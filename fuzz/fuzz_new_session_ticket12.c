/* latch_new_session_ticket12_parse (src/msg/new_session_ticket12.c, RFC 5077 form) and a round trip. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[70000];
    uint32_t hint, hint2;
    latch_rd ticket, again;
    latch_wr w;
    latch_err e;
    size_t n;

    latch__err_clear();
    e = latch_new_session_ticket12_parse(latch_rd_make(data, size), &hint, &ticket);
    fz_check_failure(e);
    if (e != LATCH_OK) {
        FZ_ASSERT(hint == 0 && ticket.p == NULL && ticket.len == 0, "a failed NewSessionTicket parse left output");
        return 0;
    }
    (void)fz_touch(ticket);
    /* ticket_lifetime_hint, then ticket<0..2^16-1> (empty allowed: RFC 5077 §3.3), filling the body. */
    FZ_ASSERT(ticket.len <= 0xFFFF && size == 6 + ticket.len && (ticket.len == 0 || ticket.p == data + 6),
              "NewSessionTicket ticket of %zu bytes in a body of %zu", ticket.len, size);
    FZ_ASSERT(hint == ((uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 | data[3]),
              "wrong ticket_lifetime_hint");
    latch_wr_init(&w, buf, sizeof buf);
    e = latch_new_session_ticket12_build(&w, hint, ticket.p, ticket.len);
    FZ_ASSERT(e == LATCH_OK && latch_wr_finish(&w) == LATCH_OK, "cannot rebuild a parsed NewSessionTicket");
    n = latch_wr_len(&w);
    FZ_ASSERT(n == 4 + size && buf[0] == LATCH_HS_NEW_SESSION_TICKET &&
                  ((size_t)buf[1] << 16 | (size_t)buf[2] << 8 | buf[3]) == size && memcmp(buf + 4, data, size) == 0,
              "NewSessionTicket rebuilt differs");
    e = latch_new_session_ticket12_parse(latch_rd_make(buf + 4, n - 4), &hint2, &again);
    FZ_ASSERT(e == LATCH_OK && hint2 == hint && again.len == ticket.len, "NewSessionTicket round trip");
    return 0;
}
