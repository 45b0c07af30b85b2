/*
 * Constant-time helpers. Secrets (MACs, Finished, binders, padding, RSA
 * premaster handling) are compared and selected only through these, so that
 * no branch or memory index depends on secret data in latch's own code.
 */
#ifndef LATCH_CORE_CT_H
#define LATCH_CORE_CT_H

#include <stddef.h>
#include <stdint.h>

/** 1 if a[0..n) == b[0..n), else 0; time depends on n only. */
int latch_ct_eq(const void *a, const void *b, size_t n);

/** All ones if x == 0, else 0. */
uint32_t latch_ct_is_zero(uint32_t x);

/** All ones if a == b, else 0. */
uint32_t latch_ct_eq32(uint32_t a, uint32_t b);

/** All ones if a < b, else 0. */
uint32_t latch_ct_lt32(uint32_t a, uint32_t b);

/** dst[i] = mask ? src[i] : dst[i], for mask all ones or all zeros. */
void latch_ct_select(uint8_t *dst, const uint8_t *src, size_t n, uint32_t mask);

/**
 * 1 + the index of the last non-zero byte of p[0..n), or 0 if all are zero;
 * time depends on n only. Finds the content type behind TLS 1.3 record
 * padding (RFC 8446 §5.4) without revealing the padding length.
 */
size_t latch_ct_last_nonzero(const uint8_t *p, size_t n);

#endif
