/* Internal allocation through the configured latch_allocator. */
#ifndef LATCH_CORE_ALLOC_H
#define LATCH_CORE_ALLOC_H

#include <latch/alloc.h>
#include <stddef.h>

/** The C library allocator. */
const latch_allocator *latch__default_allocator(void);

/** n zeroed bytes from a (or the default when a is NULL); NULL on failure. */
void *latch__alloc(const latch_allocator *a, size_t n);

/** Wipe p[0..n) and give it back; NULL-safe. */
void latch__free(const latch_allocator *a, void *p, size_t n);

/**
 * n bytes, not zeroed: for record buffers, which are always written before
 * they are read (zeroing 18 KiB per record costs more than the record's
 * framing).
 */
void *latch__alloc_uninit(const latch_allocator *a, size_t n);

/** Give back p (n bytes) after wiping only p[0..used), the part that held data. */
void latch__free_used(const latch_allocator *a, void *p, size_t n, size_t used);

#endif
