/* KeyUpdate (RFC 8446 §4.6.3). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.6.3:
 *   enum {
 *       update_not_requested(0), update_requested(1), (255)
 *   } KeyUpdateRequest;
 *
 *   struct {
 *       KeyUpdateRequest request_update;
 *   } KeyUpdate;
 */
latch_err latch_key_update_parse(latch_rd body, uint8_t *request_update)
{
    uint8_t v;

    *request_update = 0;
    LATCH_TRY(latch_field_u8(&body, "KeyUpdate.request_update", &v));
    LATCH_TRY(latch_field_end(&body, "KeyUpdate"));
    /* RFC 8446 §4.6.3: "If an implementation receives any other value, it
     * MUST terminate the connection with an "illegal_parameter" alert." */
    if (v != LATCH_KEY_UPDATE_NOT_REQUESTED && v != LATCH_KEY_UPDATE_REQUESTED) {
        return LATCH_FAIL(LATCH_ERR_ILLEGAL_PARAMETER, "KeyUpdate.request_update: %u is neither 0 nor 1", v);
    }
    *request_update = v;
    return LATCH_OK;
}

latch_err latch_key_update_build(latch_wr *w, uint8_t request_update)
{
    if (request_update != LATCH_KEY_UPDATE_NOT_REQUESTED && request_update != LATCH_KEY_UPDATE_REQUESTED) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "KeyUpdate.request_update: %u is neither 0 nor 1",
                          request_update);
    }
    latch_msg_open(w, LATCH_HS_KEY_UPDATE);
    latch_wr_u8(w, request_update);
    return latch_msg_finish(w, "KeyUpdate");
}
