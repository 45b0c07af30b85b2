/* Messages with an empty body: EndOfEarlyData (RFC 8446 §4.5),
 * ServerHelloDone (RFC 5246 §7.4.5), HelloRequest (RFC 5246 §7.4.1.1). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.5:   struct {} EndOfEarlyData;
 * RFC 5246 §7.4.5: struct { } ServerHelloDone;
 */
latch_err latch_empty_msg_parse(latch_rd body)
{
    LATCH_TRY(latch_field_end(&body, "empty handshake message"));
    return LATCH_OK;
}

latch_err latch_empty_msg_build(latch_wr *w, uint8_t type)
{
    if (type != LATCH_HS_HELLO_REQUEST && type != LATCH_HS_END_OF_EARLY_DATA && type != LATCH_HS_SERVER_HELLO_DONE) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "%s (%u) is not an empty handshake message",
                          latch_hs_name(type), type);
    }
    latch_msg_open(w, type);
    return latch_msg_finish(w, latch_hs_name(type));
}
