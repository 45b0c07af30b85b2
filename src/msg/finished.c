/* Finished (RFC 8446 §4.4.4; RFC 5246 §7.4.9). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.4.4:
 *   struct {
 *       opaque verify_data[Hash.length];
 *   } Finished;
 *
 * RFC 5246 §7.4.9: opaque verify_data[verify_data_length] (12 bytes).
 */
latch_err latch_finished_parse(latch_rd body, size_t verify_len, latch_rd *verify_data)
{
    latch_rd v;

    *verify_data = (latch_rd){0};
    if (latch_rd_left(&body) != verify_len) {
        return LATCH_FAIL(LATCH_ERR_DECODE, "Finished.verify_data: %zu bytes, expected %zu", latch_rd_left(&body),
                          verify_len);
    }
    LATCH_TRY(latch_field_bytes(&body, "Finished.verify_data", verify_len, &v));
    LATCH_TRY(latch_field_end(&body, "Finished"));
    *verify_data = v;
    return LATCH_OK;
}

latch_err latch_finished_build(latch_wr *w, const uint8_t *verify_data, size_t len)
{
    if (len == 0 || len > LATCH_HASH_MAX_LEN || verify_data == NULL) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "Finished.verify_data: %zu bytes (1..%d)", len,
                          LATCH_HASH_MAX_LEN);
    }
    latch_msg_open(w, LATCH_HS_FINISHED);
    latch_wr_bytes(w, verify_data, len);
    return latch_msg_finish(w, "Finished");
}
