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
#define CT_SEGMENT 64 /* blocks per segment: the masks of a segment fit on the stack */

/* 32 bytes as four words: one AVX2 register, or two SSE2 ones (the compiler splits them). */
typedef uint64_t ct_v4 __attribute__((vector_size(32)));

/* On x86-64 with glibc (ifuncs) the scan is built twice, for AVX2 and the
 * baseline, and the loader picks one by the CPU: never by the data. */
#if defined(__x86_64__) && defined(__GLIBC__)
#define CT_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CT_CLONES
#endif

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

/* The OR of a block's words. */
static inline uint64_t block_or(const uint8_t *p)
{
    ct_v4 a0 = {0, 0, 0, 0}, a1 = {0, 0, 0, 0}, a2 = {0, 0, 0, 0}, a3 = {0, 0, 0, 0}, x;

    for (size_t i = 0; i < CT_BLOCK; i += 128) {
        memcpy(&x, p + i, sizeof x);
        a0 |= x;
        memcpy(&x, p + i + 32, sizeof x);
        a1 |= x;
        memcpy(&x, p + i + 64, sizeof x);
        a2 |= x;
        memcpy(&x, p + i + 96, sizeof x);
        a3 |= x;
    }
    a0 |= a1 | a2 | a3;
    return a0[0] | a0[1] | a0[2] | a0[3];
}

/*
 * One segment of nb whole blocks at p (nb <= CT_SEGMENT), numbered from
 * first: if one holds a non-zero byte, *blk becomes 1 + the global index of
 * the last such block and sel its words; else both stay. No branch and no
 * address depends on the data: pass 1 ORs each block and keeps a mask per
 * block (all ones for the last non-zero one); pass 2 reads every block
 * again, 128 bytes at a time across all blocks into registers, keeping the
 * words of the masked one. Built twice, for AVX2 and for the baseline, and
 * chosen once at load time by the CPU (not by the data).
 */
CT_CLONES static void scan_segment(const uint8_t *p, size_t nb, size_t first, size_t *blk, uint64_t *sel)
{
    uint64_t masks[CT_SEGMENT], nz[CT_SEGMENT], later = 0, m;
    size_t last = 0;

    for (size_t b = 0; b < nb; b++) {
        nz[b] = nonzero64(block_or(p + CT_BLOCK * b));
        last = (last & ~(size_t)nz[b]) | ((first + b + 1) & (size_t)nz[b]);
    }
    /* The last non-zero block: non-zero, and no non-zero block after it. */
    for (size_t b = nb; b-- > 0;) {
        masks[b] = nz[b] & ~later;
        later |= nz[b];
    }
    for (size_t i = 0; i < CT_BLOCK; i += 128) {
        ct_v4 a0 = {0, 0, 0, 0}, a1 = {0, 0, 0, 0}, a2 = {0, 0, 0, 0}, a3 = {0, 0, 0, 0}, x, mv;

        for (size_t b = 0; b < nb; b++) {
            const uint8_t *q = p + CT_BLOCK * b + i;

            mv = (ct_v4){masks[b], masks[b], masks[b], masks[b]};
            memcpy(&x, q, sizeof x);
            a0 |= x & mv;
            memcpy(&x, q + 32, sizeof x);
            a1 |= x & mv;
            memcpy(&x, q + 64, sizeof x);
            a2 |= x & mv;
            memcpy(&x, q + 96, sizeof x);
            a3 |= x & mv;
        }
        /* Keep the segment's block only if it has one (later != 0). */
        for (size_t k = 0; k < 4; k++) {
            sel[i / 8 + k] = (sel[i / 8 + k] & ~later) | (a0[k] & later);
            sel[i / 8 + 4 + k] = (sel[i / 8 + 4 + k] & ~later) | (a1[k] & later);
            sel[i / 8 + 8 + k] = (sel[i / 8 + 8 + k] & ~later) | (a2[k] & later);
            sel[i / 8 + 12 + k] = (sel[i / 8 + 12 + k] & ~later) | (a3[k] & later);
        }
    }
    m = later;
    *blk = (*blk & ~(size_t)m) | (last & (size_t)m);
    latch_wipe(nz, sizeof nz);
    latch_wipe(masks, sizeof masks); /* which block held the last byte: as secret as the padding */
}

size_t latch_ct_last_nonzero(const uint8_t *p, size_t n)
{
    size_t nblocks = n / CT_BLOCK, tail = n % CT_BLOCK, blk = 0, res;
    uint64_t sel[CT_WORDS];
    uint8_t tb[CT_BLOCK];

    /*
     * Segment by segment (the segmentation depends on n only), then the
     * tail (n % block bytes) as a zero-padded block of its own: 1 + the
     * index of the last block holding a non-zero byte, and that block's
     * words, found without a branch or an address that depends on the
     * data (the block index is as secret as the padding length). Every
     * byte is read twice. Then the byte within the block.
     */
    memset(sel, 0, sizeof sel);
    for (size_t b = 0; b < nblocks; b += CT_SEGMENT) {
        size_t nb = nblocks - b < CT_SEGMENT ? nblocks - b : CT_SEGMENT;

        scan_segment(p + CT_BLOCK * b, nb, b, &blk, sel);
    }
    memset(tb, 0, sizeof tb);
    if (tail > 0) { /* depends on n only */
        memcpy(tb, p + CT_BLOCK * nblocks, tail);
        scan_segment(tb, 1, nblocks, &blk, sel);
        latch_wipe(tb, tail);
    }
    res = last_in_block(sel);
    latch_wipe(sel, sizeof sel);
    /* blk == 0: no non-zero byte at all (and res is 0 then too). */
    return (CT_BLOCK * (blk - 1) + res) & (size_t)nonzero64(blk) & (size_t)nonzero64(res);
}
