/* latch_new_session_ticket_parse (src/msg/new_session_ticket.c), its extensions, and a round trip. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[70000];
    latch_new_session_ticket nst, again;
    latch_wr w;
    latch_err e;

    latch__err_clear();
    e = latch_new_session_ticket_parse(latch_rd_make(data, size), &nst);
    fz_check_failure(e);
    if (e != LATCH_OK) {
        return 0;
    }
    FZ_ASSERT(nst.lifetime <= 604800, "a ticket lifetime over 7 days accepted");
    FZ_ASSERT(nst.ticket.len >= 1 && nst.nonce.len <= 255, "ticket or nonce out of bounds");
    (void)fz_touch(nst.nonce);
    (void)fz_touch(nst.ticket);
    fz_parse_exts(&nst.exts, LATCH_CTX_NST);
    latch_wr_init(&w, buf, sizeof buf);
    e = latch_new_session_ticket_build(&w, nst.lifetime, nst.age_add, nst.nonce.p, nst.nonce.len, nst.ticket.p,
                                       nst.ticket.len, nst.max_early_data);
    FZ_ASSERT(e == LATCH_OK && latch_wr_finish(&w) == LATCH_OK, "cannot rebuild a parsed NewSessionTicket");
    e = latch_new_session_ticket_parse(latch_rd_make(buf + 4, latch_wr_len(&w) - 4), &again);
    FZ_ASSERT(e == LATCH_OK && again.lifetime == nst.lifetime && again.age_add == nst.age_add &&
                  again.max_early_data == nst.max_early_data && again.ticket.len == nst.ticket.len &&
                  memcmp(again.ticket.p, nst.ticket.p, nst.ticket.len) == 0 && again.nonce.len == nst.nonce.len,
              "NewSessionTicket round trip");
    return 0;
}
