/* ec_point_formats (RFC 8422 §5.1.2). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8422 §5.1.2:
 *   enum {
 *       uncompressed (0),
 *       deprecated (1..2),
 *       reserved (248..255)
 *   } ECPointFormat;
 *   struct {
 *       ECPointFormat ec_point_format_list<1..2^8-1>
 *   } ECPointFormatList;
 */
latch_err latch_ext_point_formats_parse(latch_rd data)
{
    latch_rd list;
    bool uncompressed = false;

    LATCH_TRY(latch_field_vec(&data, "ec_point_formats.ec_point_format_list", 1, 1, 0xFF, &list));
    LATCH_TRY(latch_field_end(&data, "ec_point_formats"));
    while (!latch_rd_empty(&list)) {
        uint8_t f;

        LATCH_TRY(latch_rd_u8(&list, &f));
        uncompressed = uncompressed || f == 0;
    }
    /* RFC 8422 §5.1.2: without "uncompressed" the peer "MUST abort the
     * handshake and return an illegal_parameter alert". */
    LATCH_ENSURE(uncompressed, LATCH_ERR_ILLEGAL_PARAMETER,
                 "ec_point_formats: the list lacks the uncompressed format");
    return LATCH_OK;
}

void latch_ext_point_formats_build(latch_wr *w)
{
    latch_wr_u16(w, LATCH_EXT_EC_POINT_FORMATS);
    latch_wr_open(w, 2);
    latch_wr_open(w, 1);
    latch_wr_u8(w, 0); /* uncompressed, the only format RFC 8422 §5.1.2 keeps */
    latch_wr_close(w, 1, 0xFF);
    latch_wr_close(w, 0, 0xFFFF);
}
