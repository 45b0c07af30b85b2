/*
 * Heap accounting. See bench.h.
 *
 * Each block carries a 16-byte header with its size and owner, so a free
 * (which libcrypto makes without a size) can be charged back. Both stacks pay
 * this header and the few additions on every allocation, in every run; the
 * figures reported are the bytes the libraries asked for, without the header
 * or malloc's own overhead.
 */
#include "bench.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

int bench_owner;
bench_heap bench_heaps[BENCH_OWNERS];

typedef struct hdr {
    uint64_t size;
    uint32_t owner, src;
} hdr;

_Static_assert(sizeof(hdr) == 16, "the header keeps blocks 16-byte aligned");

static void charge(int owner, int src, int64_t delta, bool is_alloc)
{
    bench_heap *h = &bench_heaps[owner];

    h->cur[src] += delta;
    h->total += delta;
    if (h->total > h->peak) {
        h->peak = h->total;
    }
    if (is_alloc) {
        h->allocs++;
    }
}

static void *count_alloc(size_t n, int src)
{
    hdr *h = malloc(sizeof(hdr) + n);

    if (h == NULL) {
        return NULL;
    }
    h->size = n;
    h->owner = (uint32_t)bench_owner;
    h->src = (uint32_t)src;
    charge(bench_owner, src, (int64_t)n, true);
    return h + 1;
}

static void count_free(void *p)
{
    hdr *h;

    if (p == NULL) {
        return;
    }
    h = (hdr *)p - 1;
    charge((int)h->owner, (int)h->src, -(int64_t)h->size, false);
    free(h);
}

static void *crypto_malloc_cb(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return count_alloc(n, BENCH_SRC_LIBCRYPTO);
}

static void *crypto_realloc_cb(void *p, size_t n, const char *file, int line)
{
    hdr *h, *nh;

    (void)file;
    (void)line;
    if (p == NULL) {
        return count_alloc(n, BENCH_SRC_LIBCRYPTO);
    }
    h = (hdr *)p - 1;
    /* The block stays with its first owner; only the size changes. */
    charge((int)h->owner, (int)h->src, -(int64_t)h->size, false);
    nh = realloc(h, sizeof(hdr) + n);
    if (nh == NULL) {
        charge((int)h->owner, (int)h->src, (int64_t)h->size, false);
        return NULL;
    }
    nh->size = n;
    charge((int)nh->owner, (int)nh->src, (int64_t)n, true);
    return nh + 1;
}

static void crypto_free_cb(void *p, const char *file, int line)
{
    (void)file;
    (void)line;
    count_free(p);
}

bool bench_heap_install(void)
{
    return CRYPTO_set_mem_functions(crypto_malloc_cb, crypto_realloc_cb, crypto_free_cb) == 1;
}

static void *latch_alloc_cb(void *user, size_t n)
{
    (void)user;
    return count_alloc(n, BENCH_SRC_LATCH);
}

static void latch_free_cb(void *user, void *p, size_t n)
{
    (void)user;
    (void)n;
    count_free(p);
}

const latch_allocator bench_latch_allocator = {latch_alloc_cb, latch_free_cb, NULL};

void bench_heap_mark(int owner)
{
    bench_heaps[owner].peak = bench_heaps[owner].total;
}
