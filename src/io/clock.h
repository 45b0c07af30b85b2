/* The default clock (a platform file: the core never reads the time itself). */
#ifndef LATCH_IO_CLOCK_H
#define LATCH_IO_CLOCK_H

#include <stdint.h>

/** time(NULL), as a latch_time_cb. */
int64_t latch__default_time(void *user);

#endif
