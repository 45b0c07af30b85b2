/* record_size_limit (RFC 8449 §4). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8449 §4:
 *   uint16 RecordSizeLimit;
 */
latch_err latch_ext_record_size_limit_parse(latch_rd data, uint16_t *limit)
{
    uint16_t v;

    *limit = 0;
    LATCH_TRY(latch_field_u16(&data, "record_size_limit.RecordSizeLimit", &v));
    LATCH_TRY(latch_field_end(&data, "record_size_limit"));
    /* RFC 8449 §4: "An endpoint MUST treat receipt of a smaller value as a
     * fatal error and generate an "illegal_parameter" alert." */
    if (v < 64) {
        return LATCH_FAIL(LATCH_ERR_ILLEGAL_PARAMETER, "record_size_limit: %u is below 64", v);
    }
    *limit = v;
    return LATCH_OK;
}

void latch_ext_record_size_limit_build(latch_wr *w, uint16_t limit)
{
    latch_wr_u16(w, LATCH_EXT_RECORD_SIZE_LIMIT);
    latch_wr_open(w, 2);
    latch_wr_u16(w, limit);
    latch_wr_close(w, 2, 2);
}
