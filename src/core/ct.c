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

#define CT_BLOCK 256 /* bytes ORed together per masked select in the scan */
#define CT_WORDS (CT_BLOCK / 8)

/* The last non-zero byte of a block of words, as 1 + its index, or 0. */
static size_t last_in_block(const uint64_t *words)
{
    uint64_t last = 0;
    size_t base = 0, off = 0;
    uint8_t w[8];

    for (size_t i = 0; i < CT_WORDS; i++) {
        keep_nonzero(words[i], 8 * i, &last, &base);
    }
    /* Within that word, in memory order (whatever the host byte order). */
    memcpy(w, &last, sizeof w);
    for (size_t j = 0; j < sizeof w; j++) {
        /* All ones when w[j] != 0: w + 0xFF carries into bit 8 exactly then. */
        size_t nz = (size_t)0 - (((size_t)w[j] + 0xFFu) >> 8);

        off = (off & ~nz) | ((j + 1) & nz);
    }
    latch_wipe(w, sizeof w);
    return (base - 1 + off) & (size_t)nonzero64(base);
}

/* The OR of a block's words: four independent accumulators, no copy. */
static uint64_t block_or(const uint8_t *p)
{
    uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, x;

    for (size_t i = 0; i < CT_BLOCK; i += 32) {
        memcpy(&x, p + i, sizeof x);
        a0 |= x;
        memcpy(&x, p + i + 8, sizeof x);
        a1 |= x;
        memcpy(&x, p + i + 16, sizeof x);
        a2 |= x;
        memcpy(&x, p + i + 24, sizeof x);
        a3 |= x;
    }
    return a0 | a1 | a2 | a3;
}

/* acc |= the block's words & m (m all ones or all zeros). */
static void gather_block(uint64_t *acc, const uint8_t *p, uint64_t m)
{
    uint64_t x;

    for (size_t i = 0; i < CT_WORDS; i++) {
        memcpy(&x, p + 8 * i, sizeof x);
        acc[i] |= x & m;
    }
}

size_t latch_ct_last_nonzero(const uint8_t *p, size_t n)
{
    size_t nblocks = n / CT_BLOCK, tail = n % CT_BLOCK, blk = 0, res;
    uint64_t sel[CT_WORDS];
    uint8_t tb[CT_BLOCK];
    uint64_t m;

    /*
     * Pass 1, a block at a time with no branch on the data: remember 1 + the
     * index of the last block holding a non-zero byte. The tail (n % block
     * bytes) is a zero-padded block of its own.
     */
    for (size_t b = 0; b < nblocks; b++) {
        m = nonzero64(block_or(p + CT_BLOCK * b));
        blk = (blk & ~(size_t)m) | ((b + 1) & (size_t)m);
    }
    memset(tb, 0, sizeof tb);
    if (tail > 0) { /* depends on n only */
        memcpy(tb, p + CT_BLOCK * nblocks, tail);
        m = nonzero64(block_or(tb));
        blk = (blk & ~(size_t)m) | ((nblocks + 1) & (size_t)m);
    }
    /*
     * Pass 2: gather that block by masks from every block, so that no
     * address depends on where the data ends (the block index is as secret
     * as the padding length); then find the byte within it. This reads the
     * record twice, where indexing the block directly would read it once:
     * about half a microsecond per 16 KiB record, the price of not telling
     * a cache observer the padding length to the nearest 256 bytes.
     */
    memset(sel, 0, sizeof sel);
    for (size_t b = 0; b < nblocks; b++) {
        gather_block(sel, p + CT_BLOCK * b, ~nonzero64((uint64_t)(blk ^ (b + 1))));
    }
    gather_block(sel, tb, ~nonzero64((uint64_t)(blk ^ (nblocks + 1))));
    res = last_in_block(sel);
    latch_wipe(sel, sizeof sel);
    if (tail > 0) {
        latch_wipe(tb, tail);
    }
    /* blk == 0: no non-zero byte at all (and res is 0 then too). */
    return (CT_BLOCK * (blk - 1) + res) & (size_t)nonzero64(blk) & (size_t)nonzero64(res);
}
