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

#endif
