/*
 * The latch benchmark: latch and OpenSSL's libssl driven in one process, in
 * memory, on the same libcrypto, alternating run by run (see main.c for the
 * metrics and docs/PERFORMANCE.md for what they mean).
 *
 * The two stacks sit behind one interface (bench_stack), so every
 * measurement loop in run.c is written once and drives both the same way.
 * Bytes travel through bench_chan buffers: each stack copies a record into
 * the channel when it sends and out of it when it receives, as it would
 * copy into and out of a socket, so neither stack gets a cheaper transport.
 */
#ifndef LATCH_BENCH_H
#define LATCH_BENCH_H

#include <latch/latch.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Clock (clock.c) ------------------------------------------------------ */

/**
 * Choose the clock: CLOCK_THREAD_CPUTIME_ID (default: CPU time of this
 * thread, so other processes on a shared machine do not inflate it) or
 * CLOCK_MONOTONIC (wall). Measures the cost of reading it, which
 * bench_span_end subtracts from every span.
 */
void bench_clock_init(bool wall);
const char *bench_clock_name(void);
/** Nanoseconds on the chosen clock. */
uint64_t bench_now(void);
/** What one begin/end pair costs by itself, in ns (subtracted from spans). */
uint64_t bench_clock_overhead(void);

/* ---- Heap accounting (heap.c) ----------------------------------------------- */

/*
 * Every allocation of both stacks goes through one counting allocator:
 * libcrypto's and libssl's through CRYPTO_set_mem_functions, latch's own
 * through its allocator hook (bench_latch_allocator). An allocation is
 * charged to whoever is running when it is made (bench_owner, set by the
 * harness around every call on a connection) and released from the same
 * owner's account when freed; since a connection frees only what it
 * allocated, an owner's balance is what its connection holds.
 */
enum { BENCH_OWNER_NONE = 0, BENCH_OWNER_CLIENT = 1, BENCH_OWNER_SERVER = 2, BENCH_OWNERS = 3 };
enum { BENCH_SRC_LIBCRYPTO = 0, BENCH_SRC_LATCH = 1, BENCH_SRCS = 2 };

typedef struct bench_heap {
    int64_t cur[BENCH_SRCS]; /* bytes held, by where they were allocated */
    int64_t total;           /* cur[0] + cur[1] */
    int64_t peak;            /* highest total since bench_heap_mark */
    uint64_t allocs;         /* allocations made (malloc + realloc) */
} bench_heap;

extern int bench_owner;
extern bench_heap bench_heaps[BENCH_OWNERS];

/** Install the counting allocator in libcrypto; must run before anything else touches libcrypto. */
bool bench_heap_install(void);
/** The latch allocator hook that counts into the same accounts. */
extern const latch_allocator bench_latch_allocator;
/** Start a new peak window for owner: peak = current total. */
void bench_heap_mark(int owner);

/* ---- Channels (chan.c) -------------------------------------------------------- */

/** One direction of the in-memory transport: a growable byte queue. */
typedef struct bench_chan {
    uint8_t *buf;
    size_t cap, head, tail;
} bench_chan;

void bench_chan_init(bench_chan *c);
void bench_chan_free(bench_chan *c);
void bench_chan_reset(bench_chan *c);
size_t bench_chan_len(const bench_chan *c);
const uint8_t *bench_chan_data(const bench_chan *c);
void bench_chan_consume(bench_chan *c, size_t n);
/** Append n bytes (the "send" copy). */
void bench_chan_put(bench_chan *c, const uint8_t *p, size_t n);
/** Copy up to cap bytes out and consume them (the "receive" copy); returns the count. */
size_t bench_chan_get(bench_chan *c, uint8_t *out, size_t cap);

/* ---- Test PKI (pki.c) --------------------------------------------------------------- */

typedef enum bench_key { BENCH_KEY_ECDSA_P256 = 0, BENCH_KEY_RSA2048, BENCH_KEYS } bench_key;

#define BENCH_PEM_MAX 8192

typedef struct bench_pki {
    char ca[BENCH_PEM_MAX], ca_key[BENCH_PEM_MAX];
    char leaf[BENCH_PEM_MAX];   /* the server certificate alone */
    char chain[2 * BENCH_PEM_MAX]; /* the server certificate, then the CA */
    char key[BENCH_PEM_MAX];    /* the server's private key */
} bench_pki;

/** Mint both PKIs (a CA and a "localhost" server certificate per key type); aborts on failure. */
void bench_pki_init(void);
const bench_pki *bench_pki_get(bench_key k);
const char *bench_key_name(bench_key k);

/* ---- Scenarios and stacks -------------------------------------------------------------- */

#define BENCH_HOST "localhost"

typedef struct bench_scenario {
    const char *id;        /* metric name part: "x25519_ecdsa_p256" */
    uint16_t version;      /* LATCH_TLS13 or LATCH_TLS12 */
    const char *suite;     /* a name both stacks accept (IANA for 1.3, OpenSSL's for 1.2) */
    uint16_t suite_id;     /* what must be negotiated */
    uint16_t group;        /* LATCH_GROUP_*: the group both sides prefer, which must be negotiated */
    uint16_t group2;       /* a second group offered after it, or 0 (TLS 1.2: see main.c) */
    bench_key key;         /* the server's certificate */
    uint16_t sigalg;       /* what the server must sign with */
    bool tickets;          /* the server issues a session ticket (resumption scenarios) */
    bool release_buffers;  /* OpenSSL only: SSL_MODE_RELEASE_BUFFERS */
    bool zero_copy_read;   /* latch only: read with latch_conn_read_view / read_consume, no copy out */
} bench_scenario;

/** What a handshake negotiated, for the sanity check before timing. */
typedef struct bench_negotiated {
    uint16_t version, suite, group, sigalg;
    bool resumed;
} bench_negotiated;

typedef struct bench_ep bench_ep;

typedef struct bench_stack {
    const char *name;
    /** Set up (certificates, trust, policy) for sc; NULL with *why if this stack cannot run it. */
    void *(*ctx_new)(const bench_scenario *sc, const char **why);
    void (*ctx_free)(void *ctx);
    /** A client that will read from in and write to out; session NULL: full handshake. */
    bench_ep *(*client_new)(void *ctx, bench_chan *in, bench_chan *out, void *session);
    bench_ep *(*server_new)(void *ctx, bench_chan *in, bench_chan *out);
    /** Consume what waits in `in`, write what is due to `out`: 1 done, 0 wants input, -1 failed. */
    int (*handshake)(bench_ep *e);
    /** Write all n bytes as application data (16 KiB or less: one record). 0 or -1. */
    int (*write)(bench_ep *e, const uint8_t *p, size_t n);
    /** Read application data: > 0 bytes, 0 nothing waiting in `in`, -1 failed. */
    long (*read)(bench_ep *e, uint8_t *buf, size_t cap);
    bool (*negotiated)(bench_ep *e, bench_negotiated *out);
    /**
     * Client: process what the server sent after its handshake (tickets) and
     * return a session to resume, or NULL. NULL pointer: the stack cannot
     * resume yet (the resumption metrics print n/a).
     */
    void *(*session_get)(bench_ep *e);
    void (*session_free)(void *session);
    void (*free)(bench_ep *e);
    /** The last failure, for messages. */
    const char *(*error)(bench_ep *e);
    /**
     * Read up to cap bytes of application data in place, without copying them
     * out (latch_conn_read_view): > 0, 0, -1 as read. NULL: the stack has no
     * such call.
     */
    long (*read_in_place)(bench_ep *e, size_t cap);
} bench_stack;

extern const bench_stack bench_latch;
extern const bench_stack bench_openssl;

/* ---- Measurements (run.c) ---------------------------------------------------------------- */

/** Both sides of a measurement: index 0 the client, 1 the server. */
enum { BENCH_CLIENT = 0, BENCH_SERVER = 1 };

/**
 * One handshake with an application-data round trip, checking what was
 * negotiated against the scenario. With *session (resumption scenarios) it
 * resumes it and replaces it with the new ticket's session. false: *why says
 * what went wrong.
 */
bool bench_probe(const bench_stack *st, void *ctx, const bench_scenario *sc, void **session, char *why,
                 size_t cap);

/** n handshakes (resumed when *session), adding each side's time in ns to ns[2]. */
bool bench_handshakes(const bench_stack *st, void *ctx, const bench_scenario *sc, unsigned n, void **session,
                      double ns[2], char *why, size_t cap);

/**
 * On one established connection, batches x per_batch writes of rec bytes
 * from client to server; ns[0] gets the time spent sending (writes), ns[1]
 * receiving (reads).
 */
bool bench_transfer(const bench_stack *st, void *ctx, const bench_scenario *sc, size_t rec, unsigned per_batch,
                    unsigned batches, double ns[2], char *why, size_t cap);

/** Heap held per connection, in bytes, per side. */
typedef struct bench_mem {
    int64_t peak[2];        /* highest during the handshake */
    int64_t established[2]; /* right after it */
    int64_t idle[2];        /* after a 1 KiB request and response, everything read and sent */
    int64_t idle_own[2];    /* of idle: allocated through latch's hook (0 for OpenSSL) */
    int64_t after_free[2];  /* after freeing the connection: should be 0 */
    uint64_t allocs[2];     /* allocations made during the handshake */
} bench_mem;

bool bench_memory(const bench_stack *st, void *ctx, const bench_scenario *sc, bench_mem *out, char *why,
                  size_t cap);


/* ---- Crypto floor (floor.c) ---------------------------------------------------------------- */

/** Sizes of one handshake's messages, taken from a real latch handshake of the scenario. */
typedef struct bench_hs_sizes {
    size_t ch, sh, ee, cert, cv, fin; /* handshake messages, header included */
} bench_hs_sizes;

/** latch: the sizes of a full handshake's messages for sc (through the trace hook). */
bool bench_latch_hs_sizes(const bench_scenario *sc, bench_hs_sizes *out);

#define BENCH_FLOOR_PARTS 6

typedef struct bench_floor {
    /* ns per handshake: key share, signature, transcript, key schedule, record keys+AEAD, random */
    double part_ns[BENCH_FLOOR_PARTS];
    double total_ns;
} bench_floor;

extern const char *const bench_floor_part_names[BENCH_FLOOR_PARTS];

/** Prepare the floor for a scenario (keys, contexts); false if it cannot be measured. */
void *bench_floor_new(const bench_scenario *sc, const bench_hs_sizes *sz);
/** Run n server (or client) handshakes' worth of crypto, adding the time of each part. */
bool bench_floor_run(void *f, bool server, unsigned n, bench_floor *out);
void bench_floor_free(void *f);

/* ---- Small helpers (main.c) -------------------------------------------------------------------- */

void bench_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
