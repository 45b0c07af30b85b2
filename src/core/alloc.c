/* Allocation through the configured hook. See alloc.h. */
#include "core/alloc.h"

#include "core/wipe.h"

#include <stdlib.h>
#include <string.h>

static void *libc_alloc(void *user, size_t n)
{
    (void)user;
    return malloc(n);
}

static void libc_free(void *user, void *p, size_t n)
{
    (void)user;
    (void)n;
    free(p);
}

static const latch_allocator libc_allocator = {libc_alloc, libc_free, NULL};

const latch_allocator *latch__default_allocator(void)
{
    return &libc_allocator;
}

void *latch__alloc(const latch_allocator *a, size_t n)
{
    void *p;

    if (a == NULL) {
        a = &libc_allocator;
    }
    if (n == 0) {
        n = 1;
    }
    p = a->alloc(a->user, n);
    if (p != NULL) {
        memset(p, 0, n);
    }
    return p;
}

void *latch__alloc_uninit(const latch_allocator *a, size_t n)
{
    if (a == NULL) {
        a = &libc_allocator;
    }
    return a->alloc(a->user, n == 0 ? 1 : n);
}

void latch__free_used(const latch_allocator *a, void *p, size_t n, size_t used)
{
    if (p == NULL) {
        return;
    }
    if (a == NULL) {
        a = &libc_allocator;
    }
    latch_wipe(p, used < n ? used : n);
    a->free(a->user, p, n);
}

void latch__free(const latch_allocator *a, void *p, size_t n)
{
    if (p == NULL) {
        return;
    }
    if (a == NULL) {
        a = &libc_allocator;
    }
    latch_wipe(p, n);
    a->free(a->user, p, n);
}
