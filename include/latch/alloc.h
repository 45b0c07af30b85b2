/*
 * latch/alloc.h - the allocator hook.
 *
 * latch's own code never calls malloc: every allocation goes through a
 * latch_allocator, taken from the config (or the default, which uses the C
 * library). Memory given back is wiped first. libcrypto's own allocations are
 * not routed through this hook (use CRYPTO_set_mem_functions for those).
 */
#ifndef LATCH_ALLOC_H
#define LATCH_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct latch_allocator {
    /** Return n bytes aligned for any type, or NULL. */
    void *(*alloc)(void *user, size_t n);
    /** Release p, which came from alloc with size n (already wiped). */
    void (*free)(void *user, void *p, size_t n);
    /** Passed to both callbacks. */
    void *user;
} latch_allocator;

#ifdef __cplusplus
}
#endif
#endif
