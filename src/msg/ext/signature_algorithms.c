/* signature_algorithms and signature_algorithms_cert (RFC 8446 §4.2.3). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.2.3:
 *   struct {
 *       SignatureScheme supported_signature_algorithms<2..2^16-2>;
 *   } SignatureSchemeList;
 */
latch_err latch_ext_sigalgs_parse(latch_rd data, latch_u16s *schemes)
{
    latch_u16s l;

    *schemes = (latch_u16s){{0}};
    LATCH_TRY(latch_u16s_read(&data, "signature_algorithms.supported_signature_algorithms", 2, 2, 0xFFFE, &l));
    LATCH_TRY(latch_field_end(&data, "signature_algorithms"));
    *schemes = l;
    return LATCH_OK;
}

void latch_ext_sigalgs_build(latch_wr *w, uint16_t code, const uint16_t *schemes, size_t n)
{
    latch_ext_u16_list_build(w, code, 2, 2, 0xFFFE, 0, schemes, n);
}
