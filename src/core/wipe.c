/* Secret wiping. See wipe.h. */
#include "core/wipe.h"

#include <string.h>

/* Calling memset through a volatile pointer keeps the compiler from proving
 * the store dead and dropping it. */
static void *(*const volatile memset_v)(void *, int, size_t) = memset;

void latch_wipe(void *p, size_t n)
{
    if (p != NULL && n > 0) {
        memset_v(p, 0, n);
    }
}

void latch_secret_wipe(latch_secret *s)
{
    latch_wipe(s, sizeof *s);
}

void latch_secret_set(latch_secret *s, const uint8_t *p, size_t n)
{
    latch_secret_wipe(s);
    if (n > LATCH_SECRET_MAX) {
        n = LATCH_SECRET_MAX;
    }
    memcpy(s->b, p, n);
    s->len = (uint8_t)n;
}
