/* supported_versions (RFC 8446 §4.2.1). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.2.1:
 *   struct {
 *       select (Handshake.msg_type) {
 *           case client_hello:
 *                ProtocolVersion versions<2..254>;
 *
 *           case server_hello: (and HelloRetryRequest)
 *                ProtocolVersion selected_version;
 *       };
 *   } SupportedVersions;
 */
latch_err latch_ext_versions_ch_parse(latch_rd data, latch_u16s *versions)
{
    latch_u16s l;

    *versions = (latch_u16s){{0}};
    LATCH_TRY(latch_u16s_read(&data, "supported_versions.versions", 1, 2, 254, &l));
    LATCH_TRY(latch_field_end(&data, "supported_versions"));
    *versions = l;
    return LATCH_OK;
}

latch_err latch_ext_versions_sh_parse(latch_rd data, uint16_t *selected)
{
    uint16_t v;

    *selected = 0;
    LATCH_TRY(latch_field_u16(&data, "supported_versions.selected_version", &v));
    LATCH_TRY(latch_field_end(&data, "supported_versions"));
    *selected = v;
    return LATCH_OK;
}

void latch_ext_versions_ch_build(latch_wr *w, const uint16_t *versions, size_t n)
{
    latch_ext_u16_list_build(w, LATCH_EXT_SUPPORTED_VERSIONS, 1, 2, 254, 0, versions, n);
}

void latch_ext_versions_sh_build(latch_wr *w, uint16_t selected)
{
    latch_wr_u16(w, LATCH_EXT_SUPPORTED_VERSIONS);
    latch_wr_open(w, 2);
    latch_wr_u16(w, selected);
    latch_wr_close(w, 2, 2);
}
