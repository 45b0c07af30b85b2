/* application_layer_protocol_negotiation (RFC 7301 §3.1). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 7301 §3.1:
 *   opaque ProtocolName<1..2^8-1>;
 *
 *   struct {
 *       ProtocolName protocol_name_list<2..2^16-1>
 *   } ProtocolNameList;
 */
latch_err latch_ext_alpn_parse(latch_rd data, latch_rd *list)
{
    latch_rd l, it;

    *list = (latch_rd){0};
    LATCH_TRY(latch_field_vec(&data, "application_layer_protocol_negotiation.protocol_name_list", 2, 2, 0xFFFF,
                              &l));
    LATCH_TRY(latch_field_end(&data, "application_layer_protocol_negotiation"));
    it = l;
    while (!latch_rd_empty(&it)) {
        latch_rd name;

        /* RFC 7301 §3.1: "Empty strings MUST NOT be included". */
        LATCH_TRY(latch_field_vec(&it, "application_layer_protocol_negotiation.ProtocolName", 1, 1, 0xFF, &name));
    }
    *list = l;
    return LATCH_OK;
}

latch_err latch_ext_alpn_parse_one(latch_rd data, latch_rd *proto)
{
    latch_rd list, name;

    *proto = (latch_rd){0};
    LATCH_TRY(latch_ext_alpn_parse(data, &list));
    LATCH_TRY(latch_field_vec(&list, "application_layer_protocol_negotiation.ProtocolName", 1, 1, 0xFF, &name));
    /* RFC 7301 §3.1: the server's "ProtocolNameList MUST contain exactly one
     * "ProtocolName"". */
    LATCH_ENSURE(latch_rd_empty(&list), LATCH_ERR_DECODE,
                 "application_layer_protocol_negotiation: the answer holds more than one name");
    *proto = name;
    return LATCH_OK;
}

bool latch_ext_alpn_next(latch_rd *it, latch_rd *proto)
{
    if (latch_rd_empty(it) || latch_rd_vec(it, 1, 1, 0xFF, proto) != LATCH_OK) {
        *proto = (latch_rd){0};
        return false;
    }
    return true;
}

size_t latch_ext_alpn_count(const uint8_t *wire_list, size_t len)
{
    latch_rd it = latch_rd_make(wire_list, len), name;
    size_t n = 0;

    if (len < 2 || len > 0xFFFF) {
        return 0;
    }
    while (latch_ext_alpn_next(&it, &name)) {
        n++;
    }
    return latch_rd_empty(&it) ? n : 0;
}

void latch_ext_alpn_build(latch_wr *w, const uint8_t *wire_list, size_t len)
{
    latch_wr_u16(w, LATCH_EXT_ALPN);
    latch_wr_open(w, 2);
    latch_wr_open(w, 2);
    latch_wr_bytes(w, wire_list, len);
    latch_wr_close(w, 2, 0xFFFF); /* protocol_name_list<2..2^16-1> */
    latch_wr_close(w, 0, 0xFFFF);
}
