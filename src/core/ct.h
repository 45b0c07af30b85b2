/*
 * Constant-time helpers. Secrets (MACs, Finished, binders, padding, RSA
 * premaster handling) are compared and selected only through these, so that
 * no branch or memory index depends on secret data in latch's own code.
 */
#ifndef LATCH_CORE_CT_H
#define LATCH_CORE_CT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Secret marking for the constant-time check (tests/ct/, `make ct`), after
 * ctgrind: in a build with LATCH_CT_VALGRIND defined, LATCH_CT_SECRET makes
 * memory "undefined" for valgrind's memcheck, which then reports every
 * branch and every memory index computed from it; LATCH_CT_PUBLIC marks a
 * value the protocol makes public (a comparison's verdict, an authenticated
 * record's content, bytes about to go on the wire), so that using it is not
 * reported. In every other build both are no-ops.
 *
 * Where secrets are born: the (EC)DHE shared secret (provider/ossl/kx.c)
 * and the TLS 1.2 RSA premaster (provider/ossl/rsa_kx.c);
 * everything derived from them (handshake and traffic secrets, keys, IVs,
 * Finished values, decrypted records) inherits the mark. Where they become
 * public: latch_ct_eq's result; a TLS 1.3 record's content type and length
 * once the padding scan is done and the record is authenticated
 * (record/protect13.c), a TLS 1.2 record's content once authenticated
 * (record/protect12.c); sealed records and signatures (they go on the wire).
 */
#ifdef LATCH_CT_VALGRIND
#include <valgrind/memcheck.h>
#define LATCH_CT_SECRET(p, n) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (n)))
#define LATCH_CT_PUBLIC(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define LATCH_CT_SECRET(p, n) ((void)(p), (void)(n))
#define LATCH_CT_PUBLIC(p, n) ((void)(p), (void)(n))
#endif

/** 1 if a[0..n) == b[0..n), else 0; time depends on n only. The result is
 *  public (LATCH_CT_PUBLIC): callers branch on it, never on the bytes. */
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
