/* Constant-time helpers. See ct.h. */
#include "core/ct.h"

#include "core/wipe.h"

#include <string.h>

int latch_ct_eq(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = a;
    const volatile uint8_t *y = b;
    uint32_t acc = 0;

    int eq;

    for (size_t i = 0; i < n; i++) {
        acc |= (uint32_t)(x[i] ^ y[i]);
    }
    eq = (int)(latch_ct_is_zero(acc) & 1u);
    /* The verdict is public: a MAC or Finished either matched or it did not. */
    LATCH_CT_PUBLIC(&eq, sizeof eq);
    return eq;
}

uint32_t latch_ct_is_zero(uint32_t x)
{
    /* (~x & (x - 1)) has its top bit set exactly when x == 0. */
    return (uint32_t)0 - ((~x & (x - 1u)) >> 31);
}

uint32_t latch_ct_eq32(uint32_t a, uint32_t b)
{
    return latch_ct_is_zero(a ^ b);
}

uint32_t latch_ct_lt32(uint32_t a, uint32_t b)
{
    /* The borrow of a - b, computed without a branch. */
    uint32_t borrow = (a ^ ((a ^ b) | ((a - b) ^ b))) >> 31;

    return (uint32_t)0 - borrow;
}

void latch_ct_select(uint8_t *dst, const uint8_t *src, size_t n, uint32_t mask)
{
    uint8_t m = (uint8_t)mask;

    for (size_t i = 0; i < n; i++) {
        dst[i] = (uint8_t)((src[i] & m) | (dst[i] & (uint8_t)~m));
    }
}

/* All ones if x != 0, else 0, without a branch. */
static uint64_t nonzero64(uint64_t x)
{
    return (uint64_t)0 - ((x | ((uint64_t)0 - x)) >> 63);
}

/* Remember x and 1 + its offset i if x is not zero. */
static inline void keep_nonzero(uint64_t x, size_t i, uint64_t *last, size_t *base)
{
    uint64_t m = nonzero64(x);

    *last = (*last & ~m) | (x & m);
    *base = (*base & ~(size_t)m) | ((i + 1) & (size_t)m);
}

size_t latch_ct_last_nonzero(const uint8_t *p, size_t n)
{
    uint64_t last = 0; /* the last non-zero 8-byte word */
    size_t base = 0;   /* 1 + its offset, 0 while none was seen */
    size_t off = 0;    /* 1 + index of the last non-zero byte within it */
    size_t full = n - n % 8;
    uint8_t w[8] = {0};
    uint64_t x;

    /* Word at a time: a 16 KiB record costs a fraction of its decryption. */
    for (size_t i = 0; i < full; i += 8) {
        memcpy(&x, p + i, sizeof x);
        keep_nonzero(x, i, &last, &base);
    }
    if (full < n) { /* the tail, zero-filled: depends on n only */
        memcpy(w, p + full, n - full);
        memcpy(&x, w, sizeof x);
        keep_nonzero(x, full, &last, &base);
    }
    /* Within that word, in memory order (whatever the host byte order). */
    memcpy(w, &last, sizeof w);
    for (size_t j = 0; j < sizeof w; j++) {
        /* All ones when w[j] != 0: w + 0xFF carries into bit 8 exactly then. */
        size_t nz = (size_t)0 - (((size_t)w[j] + 0xFFu) >> 8);

        off = (off & ~nz) | ((j + 1) & nz);
    }
    latch_wipe(w, sizeof w);
    /* base == 0 means no non-zero byte (and then off == 0 too). */
    return (base - 1 + off) & (size_t)nonzero64(base);
}
