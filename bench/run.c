/*
 * The measurement loops, written once for both stacks (bench.h).
 *
 * Client and server run in one thread, so who runs when is ours to decide:
 * every call on a connection is a span charged to its side (time, and the
 * allocations it makes). A handshake is the client's and the server's calls
 * in turn, from creating the connection to freeing it.
 */
#include "bench.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct side {
    int owner;
    double ns;
} side;

static uint64_t span_begin(side *s)
{
    bench_owner = s->owner;
    return bench_now();
}

static void span_end(side *s, uint64_t t0)
{
    uint64_t d = bench_now() - t0, o = bench_clock_overhead();

    s->ns += (double)(d > o ? d - o : 0);
    bench_owner = BENCH_OWNER_NONE;
}

/* Run the statements as a span of side sd. */
#define ON(sd, ...)                          \
    do {                                     \
        uint64_t t0_ = span_begin(sd);       \
        __VA_ARGS__;                         \
        span_end(sd, t0_);                   \
    } while (0)

typedef struct pair {
    const bench_stack *st;
    void *ctx;
    bench_chan c2s, s2c;
    bench_ep *c, *s;
    side sd[2];
} pair;

static void pair_init(pair *p, const bench_stack *st, void *ctx)
{
    memset(p, 0, sizeof *p);
    p->st = st;
    p->ctx = ctx;
    bench_chan_init(&p->c2s);
    bench_chan_init(&p->s2c);
    p->sd[BENCH_CLIENT].owner = BENCH_OWNER_CLIENT;
    p->sd[BENCH_SERVER].owner = BENCH_OWNER_SERVER;
}

static void pair_cleanup(pair *p)
{
    bench_chan_free(&p->c2s);
    bench_chan_free(&p->s2c);
}

/*
 * Each side's calls go through its own functions (never inlined), so a
 * profile can be cut by side: callgrind --toggle-collect='side_server_*',
 * or perf report --parent='side_server_' (see docs/PERFORMANCE.md).
 */
#define NOINLINE __attribute__((noinline))

NOINLINE void side_client_open(pair *p, void *session);
NOINLINE void side_server_open(pair *p);
NOINLINE int side_client_step(pair *p);
NOINLINE int side_server_step(pair *p);
NOINLINE void side_client_close(pair *p);
NOINLINE void side_server_close(pair *p);
NOINLINE int side_client_send(pair *p, const uint8_t *data, size_t rec, unsigned n);
NOINLINE size_t side_server_recv(pair *p, uint8_t *buf, size_t cap, size_t want, bool in_place, long *last);

void side_client_open(pair *p, void *session)
{
    ON(&p->sd[BENCH_CLIENT], p->c = p->st->client_new(p->ctx, &p->s2c, &p->c2s, session));
}

void side_server_open(pair *p)
{
    ON(&p->sd[BENCH_SERVER], p->s = p->st->server_new(p->ctx, &p->c2s, &p->s2c));
}

int side_client_step(pair *p)
{
    int r;

    ON(&p->sd[BENCH_CLIENT], r = p->st->handshake(p->c));
    return r;
}

int side_server_step(pair *p)
{
    int r;

    ON(&p->sd[BENCH_SERVER], r = p->st->handshake(p->s));
    return r;
}

void side_client_close(pair *p)
{
    ON(&p->sd[BENCH_CLIENT], p->st->free(p->c));
    p->c = NULL;
}

void side_server_close(pair *p)
{
    ON(&p->sd[BENCH_SERVER], p->st->free(p->s));
    p->s = NULL;
}

/* n writes of rec bytes, each a record copied into the channel; 0 or -1. */
int side_client_send(pair *p, const uint8_t *data, size_t rec, unsigned n)
{
    int r = 0;

    ON(&p->sd[BENCH_CLIENT], for (unsigned i = 0; i < n && r == 0; i++) { r = p->st->write(p->c, data, rec); });
    return r;
}

/* Read until want bytes came (or nothing more waits); returns the count, *last the last read's result. */
size_t side_server_recv(pair *p, uint8_t *buf, size_t cap, size_t want, bool in_place, long *last)
{
    size_t got = 0;
    long k = 0;

    ON(&p->sd[BENCH_SERVER], while (got < want) {
        k = in_place ? p->st->read_in_place(p->s, cap) : p->st->read(p->s, buf, cap);
        if (k <= 0) {
            break;
        }
        got += (size_t)k;
    });
    *last = k;
    return got;
}

static void pair_open(pair *p, void *session)
{
    bench_chan_reset(&p->c2s);
    bench_chan_reset(&p->s2c);
    side_client_open(p, session);
    side_server_open(p);
}

static void pair_close(pair *p)
{
    side_client_close(p);
    side_server_close(p);
}

static bool fail(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool fail(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
    return false;
}

/* Client and server in turn until both are done. */
static bool pair_handshake(pair *p, char *why, size_t cap)
{
    int cd = 0, sdn = 0;

    for (int round = 0; round < 16 && !(cd == 1 && sdn == 1); round++) {
        if (cd != 1) {
            cd = side_client_step(p);
        }
        if (sdn != 1) {
            sdn = side_server_step(p);
        }
        if (cd < 0 || sdn < 0) {
            return fail(why, cap, "handshake failed: client: %s; server: %s", p->st->error(p->c),
                        p->st->error(p->s));
        }
    }
    if (cd != 1 || sdn != 1) {
        return fail(why, cap, "handshake did not finish");
    }
    return true;
}

/* Resumption: the client takes the ticket the server sent and keeps its session for next time. */
static bool take_session(pair *p, void **session, char *why, size_t cap)
{
    void *s;

    if (session == NULL) {
        return true;
    }
    ON(&p->sd[BENCH_CLIENT], s = p->st->session_get(p->c));
    if (s == NULL) {
        return fail(why, cap, "no resumable session after the handshake: %s", p->st->error(p->c));
    }
    if (*session != NULL) {
        ON(&p->sd[BENCH_CLIENT], p->st->session_free(*session));
    }
    *session = s;
    return true;
}

/* Send all n bytes from one side and read exactly them on the other. */
static bool exchange(pair *p, int from, const uint8_t *msg, size_t n, char *why, size_t cap)
{
    bench_ep *src = from == BENCH_CLIENT ? p->c : p->s, *dst = from == BENCH_CLIENT ? p->s : p->c;
    uint8_t buf[16384];
    size_t got = 0;
    int r;

    ON(&p->sd[from], r = p->st->write(src, msg, n));
    if (r != 0) {
        return fail(why, cap, "write failed: %s", p->st->error(src));
    }
    while (got < n) {
        long k;

        ON(&p->sd[1 - from], k = p->st->read(dst, buf, sizeof buf));
        if (k <= 0 || (size_t)k > n - got || memcmp(buf, msg + got, (size_t)k) != 0) {
            return fail(why, cap, "read failed or returned wrong data: %s", p->st->error(dst));
        }
        got += (size_t)k;
    }
    return true;
}

bool bench_probe(const bench_stack *st, void *ctx, const bench_scenario *sc, void **session, char *why, size_t cap)
{
    static const uint8_t hello[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    bool resuming = session != NULL && *session != NULL;
    pair p;
    bench_negotiated nc, ns;
    bool ok;

    pair_init(&p, st, ctx);
    pair_open(&p, session != NULL ? *session : NULL);
    ok = pair_handshake(&p, why, cap) && exchange(&p, BENCH_CLIENT, hello, sizeof hello - 1, why, cap) &&
         exchange(&p, BENCH_SERVER, hello, sizeof hello - 1, why, cap) && take_session(&p, session, why, cap);
    if (ok) {
        (void)st->negotiated(p.c, &nc);
        (void)st->negotiated(p.s, &ns);
        /* A resumed TLS 1.2 handshake has no key exchange: latch reports no
         * group, OpenSSL the one of the original handshake. */
        bool no_kx = resuming && sc->version == LATCH_TLS12;
        bool group_ok = (nc.group == sc->group || (no_kx && nc.group == 0)) &&
                        (ns.group == sc->group || (no_kx && ns.group == 0));

        if (nc.version != sc->version || ns.version != sc->version || nc.suite != sc->suite_id ||
            ns.suite != sc->suite_id || !group_ok) {
            snprintf(why, cap,
                     "negotiated version %04x/%04x, suite %04x/%04x, group %04x/%04x (client/server); "
                     "expected %04x, %04x, %04x",
                     nc.version, ns.version, nc.suite, ns.suite, nc.group, ns.group, sc->version, sc->suite_id,
                     sc->group);
            ok = false;
        } else if (!nc.resumed && (nc.sigalg != sc->sigalg || ns.sigalg != sc->sigalg)) {
            snprintf(why, cap, "signature scheme %04x/%04x (client/server), expected %04x", nc.sigalg, ns.sigalg,
                     sc->sigalg);
            ok = false;
        } else if (nc.resumed != resuming || ns.resumed != resuming) {
            snprintf(why, cap, "resumed: client %d, server %d, expected %d", nc.resumed, ns.resumed, resuming);
            ok = false;
        }
    }
    pair_close(&p);
    pair_cleanup(&p);
    return ok;
}

bool bench_handshakes(const bench_stack *st, void *ctx, const bench_scenario *sc, unsigned n, void **session,
                      double ns[2], char *why, size_t cap)
{
    pair p;
    bool ok = true;

    (void)sc;
    pair_init(&p, st, ctx);
    for (unsigned i = 0; i < n && ok; i++) {
        pair_open(&p, session != NULL ? *session : NULL);
        ok = pair_handshake(&p, why, cap) && take_session(&p, session, why, cap);
        pair_close(&p);
    }
    ns[BENCH_CLIENT] += p.sd[BENCH_CLIENT].ns;
    ns[BENCH_SERVER] += p.sd[BENCH_SERVER].ns;
    pair_cleanup(&p);
    return ok;
}

bool bench_transfer(const bench_stack *st, void *ctx, const bench_scenario *sc, size_t rec, unsigned per_batch,
                    unsigned batches, double ns[2], char *why, size_t cap)
{
    static uint8_t data[16384], buf[16384];
    pair p;
    bool ok;

    if (rec > sizeof data) {
        return fail(why, cap, "record size too large");
    }
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (uint8_t)(i * 7 + 1);
    }
    pair_init(&p, st, ctx);
    pair_open(&p, NULL);
    ok = pair_handshake(&p, why, cap);
    p.sd[BENCH_CLIENT].ns = p.sd[BENCH_SERVER].ns = 0;
    for (unsigned b = 0; b < batches && ok; b++) {
        size_t want = rec * per_batch, got;
        long k = 0;

        /* The client writes a batch (each write a record, copied into the channel)... */
        if (side_client_send(&p, data, rec, per_batch) != 0) {
            ok = fail(why, cap, "write failed: %s", st->error(p.c));
            break;
        }
        /* ...then the server reads it all, 16 KiB at a time. */
        got = side_server_recv(&p, buf, sizeof buf, want, sc->zero_copy_read && st->read_in_place != NULL, &k);
        if (got != want) {
            ok = fail(why, cap, "read %s: %s", k < 0 ? "failed" : "stalled", st->error(p.s));
        }
    }
    ns[BENCH_CLIENT] += p.sd[BENCH_CLIENT].ns;
    ns[BENCH_SERVER] += p.sd[BENCH_SERVER].ns;
    pair_close(&p);
    pair_cleanup(&p);
    return ok;
}

bool bench_memory(const bench_stack *st, void *ctx, const bench_scenario *sc, bench_mem *out, char *why, size_t cap)
{
    static uint8_t msg[1024];
    int64_t base[2], own_base[2];
    uint64_t allocs[2];
    pair p;
    bool ok;
    int owner[2] = {BENCH_OWNER_CLIENT, BENCH_OWNER_SERVER};

    (void)sc;
    memset(out, 0, sizeof *out);
    memset(msg, 'x', sizeof msg);
    pair_init(&p, st, ctx);
    for (int i = 0; i < 2; i++) {
        base[i] = bench_heaps[owner[i]].total;
        own_base[i] = bench_heaps[owner[i]].cur[BENCH_SRC_LATCH];
        allocs[i] = bench_heaps[owner[i]].allocs;
        bench_heap_mark(owner[i]);
    }
    pair_open(&p, NULL);
    ok = pair_handshake(&p, why, cap);
    for (int i = 0; i < 2 && ok; i++) {
        out->peak[i] = bench_heaps[owner[i]].peak - base[i];
        out->established[i] = bench_heaps[owner[i]].total - base[i];
        out->allocs[i] = bench_heaps[owner[i]].allocs - allocs[i];
    }
    ok = ok && exchange(&p, BENCH_CLIENT, msg, sizeof msg, why, cap) &&
         exchange(&p, BENCH_SERVER, msg, sizeof msg, why, cap);
    for (int i = 0; i < 2 && ok; i++) {
        out->idle[i] = bench_heaps[owner[i]].total - base[i];
        out->idle_own[i] = bench_heaps[owner[i]].cur[BENCH_SRC_LATCH] - own_base[i];
    }
    pair_close(&p);
    for (int i = 0; i < 2; i++) {
        out->after_free[i] = bench_heaps[owner[i]].total - base[i];
    }
    pair_cleanup(&p);
    return ok;
}
