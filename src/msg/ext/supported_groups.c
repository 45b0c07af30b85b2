/* supported_groups (RFC 8446 §4.2.7, RFC 8422 §5.1.1). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.2.7:
 *   struct {
 *       NamedGroup named_group_list<2..2^16-1>;
 *   } NamedGroupList;
 */
latch_err latch_ext_groups_parse(latch_rd data, latch_u16s *groups)
{
    latch_u16s l;

    *groups = (latch_u16s){{0}};
    LATCH_TRY(latch_u16s_read(&data, "supported_groups.named_group_list", 2, 2, 0xFFFF, &l));
    LATCH_TRY(latch_field_end(&data, "supported_groups"));
    *groups = l;
    return LATCH_OK;
}

void latch_ext_groups_build(latch_wr *w, const uint16_t *groups, size_t n)
{
    latch_ext_u16_list_build(w, LATCH_EXT_SUPPORTED_GROUPS, 2, 2, 0xFFFF, 0, groups, n);
}
