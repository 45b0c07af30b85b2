/* The in-memory transport. See bench.h. */
#include "bench.h"

#include <stdlib.h>
#include <string.h>

void bench_chan_init(bench_chan *c)
{
    memset(c, 0, sizeof *c);
}

void bench_chan_free(bench_chan *c)
{
    free(c->buf);
    memset(c, 0, sizeof *c);
}

void bench_chan_reset(bench_chan *c)
{
    c->head = c->tail = 0;
}

size_t bench_chan_len(const bench_chan *c)
{
    return c->tail - c->head;
}

const uint8_t *bench_chan_data(const bench_chan *c)
{
    return c->buf + c->head;
}

void bench_chan_consume(bench_chan *c, size_t n)
{
    c->head += n;
    if (c->head >= c->tail) {
        c->head = c->tail = 0;
    }
}

void bench_chan_put(bench_chan *c, const uint8_t *p, size_t n)
{
    if (c->cap - c->tail < n) {
        size_t len = c->tail - c->head;

        if (c->head > 0) {
            memmove(c->buf, c->buf + c->head, len);
            c->head = 0;
            c->tail = len;
        }
        if (c->cap - c->tail < n) {
            /* Grows during warm-up only: the batches are the same size every time. */
            size_t want = c->cap < 65536 ? 65536 : c->cap;
            uint8_t *nb;

            while (want - c->tail < n) {
                want *= 2;
            }
            nb = realloc(c->buf, want);
            if (nb == NULL) {
                bench_die("out of memory growing a channel to %zu bytes", want);
            }
            c->buf = nb;
            c->cap = want;
        }
    }
    memcpy(c->buf + c->tail, p, n);
    c->tail += n;
}

size_t bench_chan_get(bench_chan *c, uint8_t *out, size_t cap)
{
    size_t n = bench_chan_len(c);

    if (n > cap) {
        n = cap;
    }
    memcpy(out, c->buf + c->head, n);
    bench_chan_consume(c, n);
    return n;
}
