/*
 * Named field reads: latch_rd calls that, on failure, record a detail naming
 * the wire field ("ClientHello.cipher_suites: length 3 outside <2..65534>").
 * Message and extension parsers read through these so that every decode
 * error says which field was wrong and how; the bounds passed are the RFC's
 * <min..max>, written at the call site.
 *
 * All return LATCH_OK or LATCH_ERR_DECODE, with the outputs zeroed and the
 * cursor unmoved on failure (as latch_rd does).
 */
#ifndef LATCH_MSG_FIELD_H
#define LATCH_MSG_FIELD_H

#include "core/rd.h"

LATCH_MUST_CHECK latch_err latch_field_u8(latch_rd *r, const char *what, uint8_t *v);
LATCH_MUST_CHECK latch_err latch_field_u16(latch_rd *r, const char *what, uint16_t *v);
LATCH_MUST_CHECK latch_err latch_field_u32(latch_rd *r, const char *what, uint32_t *v);
/** A fixed-size field copied into out[0..n). */
LATCH_MUST_CHECK latch_err latch_field_copy(latch_rd *r, const char *what, uint8_t *out, size_t n);
/** A fixed-size field taken as a view. */
LATCH_MUST_CHECK latch_err latch_field_bytes(latch_rd *r, const char *what, size_t n, latch_rd *view);
/** `opaque what<min..max>` with a len_bytes-byte (1, 2 or 3) length. */
LATCH_MUST_CHECK latch_err latch_field_vec(latch_rd *r, const char *what, unsigned len_bytes, size_t min,
                                           size_t max, latch_rd *sub);
/** The end of `what`: no bytes may be left. */
LATCH_MUST_CHECK latch_err latch_field_end(const latch_rd *r, const char *what);

#endif
