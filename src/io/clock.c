/* The default clock. */
#include "io/clock.h"

#include <time.h>

int64_t latch__default_time(void *user)
{
    (void)user;
    return (int64_t)time(NULL);
}
