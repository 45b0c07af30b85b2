/* Constant-time helpers. See ct.h. */
#include "core/ct.h"

int latch_ct_eq(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = a;
    const volatile uint8_t *y = b;
    uint32_t acc = 0;

    for (size_t i = 0; i < n; i++) {
        acc |= (uint32_t)(x[i] ^ y[i]);
    }
    return (int)(latch_ct_is_zero(acc) & 1u);
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
