/* The benchmark's clock. See bench.h. */
#include "bench.h"

#include <stdlib.h>
#include <time.h>

static clockid_t clock_id = CLOCK_THREAD_CPUTIME_ID;
static uint64_t overhead;

uint64_t bench_now(void)
{
    struct timespec ts;

    clock_gettime(clock_id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x > y) - (x < y);
}

void bench_clock_init(bool wall)
{
    enum { N = 2001 };
    static uint64_t d[N];

    clock_id = wall ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID;
    /*
     * A span costs one clock read (the end of one read to the end of the
     * next): about 0.5 us for the thread CPU clock, a system call on this
     * kernel, 20 ns for the monotonic one (vDSO). Handshakes are timed call
     * by call, 4 to 6 spans per side, so this is subtracted. The median of
     * many back-to-back pairs is the estimate.
     */
    for (int i = 0; i < N; i++) {
        uint64_t a = bench_now();

        d[i] = bench_now() - a;
    }
    qsort(d, N, sizeof d[0], cmp_u64);
    overhead = d[N / 2];
}

const char *bench_clock_name(void)
{
    return clock_id == CLOCK_MONOTONIC ? "CLOCK_MONOTONIC" : "CLOCK_THREAD_CPUTIME_ID";
}

uint64_t bench_clock_overhead(void)
{
    return overhead;
}
