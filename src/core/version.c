/* The library version. */
#include <latch/latch.h>

const char *latch_version(void)
{
    return "0.1.0";
}
