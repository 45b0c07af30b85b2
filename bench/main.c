/*
 * latch-bench: latch against OpenSSL 3's libssl, in one process, in memory,
 * on the same libcrypto (the project's issue 7).
 *
 *   1. TLS 1.3 full handshakes per second, server CPU and client CPU apart:
 *      X25519 + ECDSA P-256, X25519 + RSA-2048, secp256r1 + ECDSA P-256.
 *   2. TLS 1.3 resumed handshakes; TLS 1.2 ECDHE-ECDSA full handshakes and
 *      ticket resumptions.
 *   3. Bulk throughput, 16 KiB writes, sending and receiving apart, for each
 *      TLS 1.3 suite and one TLS 1.2 suite.
 *   4. Small writes: 100-byte writes, each its own record.
 *   5. Heap held per connection, client and server: peak during the
 *      handshake, once established, idle after a request and a response;
 *      OpenSSL with and without SSL_MODE_RELEASE_BUFFERS.
 *   6. The crypto floor of a handshake (floor.c) and each stack's time over it.
 *
 * Every figure is the median of at least five repetitions; each repetition
 * runs latch and OpenSSL back to back, alternating which goes first. The
 * output is a table for people, then one line per metric for machines:
 *   METRIC <name> latch=X openssl=Y ratio=Z      (ratio > 1: latch is better)
 */
#include "bench.h"

#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef BENCH_BUILD_TYPE
#define BENCH_BUILD_TYPE "unknown"
#endif

#define MAX_REPS 64
#define MAX_ROWS 96

void bench_die(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fprintf(stderr, "latch-bench: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

/* ---- Options --------------------------------------------------------------------- */

static struct {
    unsigned reps;
    double batch_s; /* CPU seconds per stack per repetition, roughly */
    double bulk_mib;
    bool wall;
    const char *only;
    const char *profile; /* run one workload on one stack, for perf or callgrind */
    const char *stack;
    double seconds;
    const char *suite;
    unsigned batch; /* handshakes (or transfer batches) per profiling round */
} opt = {7, 0.25, 64, false, NULL, NULL, "latch", 5, "TLS_AES_128_GCM_SHA256", 100};

static bool want(const char *section)
{
    size_t n = strlen(section);

    if (opt.only == NULL) {
        return true;
    }
    for (const char *p = opt.only; *p != '\0';) {
        size_t len = strcspn(p, ",");

        if (len == n && strncmp(p, section, n) == 0) {
            return true;
        }
        p += len;
        if (*p == ',') {
            p++;
        }
    }
    return false;
}

/* ---- Rows ------------------------------------------------------------------------ */

typedef enum unit { U_PER_S, U_MIB_S, U_BYTES, U_COUNT, U_TIMES } unit;

typedef struct row {
    char metric[80];
    char label[128];
    unit unit;
    bool higher_better;
    bool heading; /* a section title, not a metric */
    double v[2][MAX_REPS];
    unsigned n[2];
    char na[2][96];
} row;

enum { L = 0, O = 1 }; /* latch, OpenSSL */

static row rows[MAX_ROWS];
static unsigned nrows;

static row *heading(const char *title)
{
    row *r = &rows[nrows++];

    memset(r, 0, sizeof *r);
    r->heading = true;
    snprintf(r->label, sizeof r->label, "%s", title);
    return r;
}

static row *add_row(const char *metric, const char *label, unit u, bool higher_better)
{
    row *r;

    if (nrows == MAX_ROWS) {
        bench_die("too many rows");
    }
    r = &rows[nrows++];
    memset(r, 0, sizeof *r);
    snprintf(r->metric, sizeof r->metric, "%s", metric);
    snprintf(r->label, sizeof r->label, "%s", label);
    r->unit = u;
    r->higher_better = higher_better;
    return r;
}

static void put(row *r, int who, double v)
{
    if (r->n[who] < MAX_REPS) {
        r->v[who][r->n[who]++] = v;
    }
}

static void set_na(row *r, int who, const char *why)
{
    snprintf(r->na[who], sizeof r->na[who], "%s", why);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(const double *v, unsigned n)
{
    double t[MAX_REPS];

    if (n == 0) {
        return 0;
    }
    memcpy(t, v, n * sizeof *v);
    qsort(t, n, sizeof *t, cmp_d);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static bool has(const row *r, int who)
{
    return r->n[who] > 0 && r->na[who][0] == '\0';
}

static double med(const row *r, int who)
{
    return median(r->v[who], r->n[who]);
}

/* Half the range, as a percentage of the median: how noisy the repetitions were. */
static double spread(const row *r, int who)
{
    double lo = r->v[who][0], hi = r->v[who][0], m = med(r, who);

    for (unsigned i = 1; i < r->n[who]; i++) {
        lo = r->v[who][i] < lo ? r->v[who][i] : lo;
        hi = r->v[who][i] > hi ? r->v[who][i] : hi;
    }
    return m > 0 ? 50 * (hi - lo) / m : 0;
}

/*
 * latch against OpenSSL, > 1 when latch is better. Both stacks run in every
 * repetition, under the same load, so the ratio is the median of the
 * per-repetition ratios (a paired comparison), not the ratio of medians.
 */
static bool ratio_of(const row *r, double *out)
{
    double q[MAX_REPS];

    if (!has(r, L) || !has(r, O)) {
        return false;
    }
    if (r->n[L] != r->n[O]) {
        double l = med(r, L), o = med(r, O);

        if (l <= 0 || o <= 0) {
            return false;
        }
        *out = r->higher_better ? l / o : o / l;
        return true;
    }
    for (unsigned i = 0; i < r->n[L]; i++) {
        double l = r->v[L][i], o = r->v[O][i];

        if (l <= 0 || o <= 0) {
            return false;
        }
        q[i] = r->higher_better ? l / o : o / l;
    }
    *out = median(q, r->n[L]);
    return true;
}

static void fmt_value(const row *r, int who, char *buf, size_t cap)
{
    double m;

    if (!has(r, who)) {
        snprintf(buf, cap, "n/a");
        return;
    }
    m = med(r, who);
    switch (r->unit) {
    case U_PER_S: snprintf(buf, cap, "%.0f/s", m); break;
    case U_MIB_S: snprintf(buf, cap, "%.0f MiB/s", m); break;
    case U_BYTES: snprintf(buf, cap, "%.0f B", m); break;
    case U_COUNT: snprintf(buf, cap, "%.0f", m); break;
    case U_TIMES: snprintf(buf, cap, "%.2fx", m); break;
    }
    if (r->n[who] > 1 && r->unit != U_BYTES && r->unit != U_COUNT) {
        size_t len = strlen(buf);

        snprintf(buf + len, cap - len, " ±%.0f%%", spread(r, who));
    }
}

static void fmt_machine(const row *r, int who, char *buf, size_t cap)
{
    if (!has(r, who)) {
        snprintf(buf, cap, "n/a");
    } else if (r->unit == U_TIMES) {
        snprintf(buf, cap, "%.3f", med(r, who));
    } else if (r->unit == U_MIB_S) {
        snprintf(buf, cap, "%.1f", med(r, who));
    } else {
        snprintf(buf, cap, "%.0f", med(r, who));
    }
}

static void print_table(void)
{
    printf("\n%-58s %20s %20s %8s\n", "", "latch", "OpenSSL", "ratio");
    for (unsigned i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        char a[64], b[64], c[32];
        double q;

        if (r->heading) {
            printf("\n%s\n", r->label);
            continue;
        }
        fmt_value(r, L, a, sizeof a);
        fmt_value(r, O, b, sizeof b);
        if (ratio_of(r, &q)) {
            snprintf(c, sizeof c, "%.2f", q);
        } else {
            snprintf(c, sizeof c, "n/a");
        }
        printf("  %-56s %20s %20s %8s", r->label, a, b, c);
        if (r->na[L][0] != '\0') {
            printf("   latch: n/a (%s)", r->na[L]);
        }
        if (r->na[O][0] != '\0') {
            printf("   OpenSSL: n/a (%s)", r->na[O]);
        }
        putchar('\n');
    }
}

static void print_metrics(void)
{
    putchar('\n');
    for (unsigned i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        char a[32], b[32], c[32];
        double q;

        if (r->heading) {
            continue;
        }
        fmt_machine(r, L, a, sizeof a);
        fmt_machine(r, O, b, sizeof b);
        if (ratio_of(r, &q)) {
            snprintf(c, sizeof c, "%.3f", q);
        } else {
            snprintf(c, sizeof c, "n/a");
        }
        printf("METRIC %s latch=%s openssl=%s ratio=%s\n", r->metric, a, b, c);
    }
}

static row *find(const char *metric)
{
    for (unsigned i = 0; i < nrows; i++) {
        if (!rows[i].heading && strcmp(rows[i].metric, metric) == 0) {
            return &rows[i];
        }
    }
    return NULL;
}

/* ---- Scenarios ----------------------------------------------------------------------- */

static const bench_scenario sc_ecdsa = {"x25519_ecdsa_p256", LATCH_TLS13, "TLS_AES_128_GCM_SHA256",
                                        LATCH_TLS_AES_128_GCM_SHA256, LATCH_GROUP_X25519, 0, BENCH_KEY_ECDSA_P256,
                                        LATCH_SIG_ECDSA_SECP256R1_SHA256, false, false, false};
static const bench_scenario sc_rsa = {"x25519_rsa2048", LATCH_TLS13, "TLS_AES_128_GCM_SHA256",
                                      LATCH_TLS_AES_128_GCM_SHA256, LATCH_GROUP_X25519, 0, BENCH_KEY_RSA2048,
                                      LATCH_SIG_RSA_PSS_RSAE_SHA256, false, false, false};
static const bench_scenario sc_p256 = {"p256_ecdsa_p256", LATCH_TLS13, "TLS_AES_128_GCM_SHA256",
                                       LATCH_TLS_AES_128_GCM_SHA256, LATCH_GROUP_SECP256R1, 0, BENCH_KEY_ECDSA_P256,
                                       LATCH_SIG_ECDSA_SECP256R1_SHA256, false, false, false};
/*
 * TLS 1.2: ECDHE over X25519, but secp256r1 offered too, because in TLS 1.2
 * the client's supported_groups also bounds the curve of an ECDSA
 * certificate (RFC 4492 §5.1; OpenSSL enforces it) and ours is on P-256.
 */
static const bench_scenario sc_12 = {"tls12_ecdhe_ecdsa", LATCH_TLS12, "ECDHE-ECDSA-AES128-GCM-SHA256",
                                     LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, LATCH_GROUP_X25519,
                                     LATCH_GROUP_SECP256R1, BENCH_KEY_ECDSA_P256, LATCH_SIG_ECDSA_SECP256R1_SHA256,
                                     false, false, false};

/* The reason a stack cannot run a scenario, for the table. */
static void not_available(row **rs, unsigned n, int who, const bench_stack *st, const bench_scenario *sc,
                          const char *why)
{
    fprintf(stderr, "latch-bench: %s, %s: %s\n", st->name, sc->id, why);
    for (unsigned i = 0; i < n; i++) {
        set_na(rs[i], who, "failed");
    }
}

typedef struct prepared {
    const bench_stack *st[2];
    void *ctx[2];
    void *session[2];
    bool ok[2];
} prepared;

/* Contexts and a probe handshake per stack; failures become n/a in rows. */
static void prepare(prepared *p, const bench_scenario *sc, row **rs, unsigned n)
{
    char why[512];

    p->st[L] = &bench_latch;
    p->st[O] = &bench_openssl;
    for (int w = 0; w < 2; w++) {
        const char *reason = "unknown";

        p->session[w] = NULL;
        p->ctx[w] = p->st[w]->ctx_new(sc, &reason);
        p->ok[w] = p->ctx[w] != NULL;
        if (!p->ok[w]) {
            not_available(rs, n, w, p->st[w], sc, reason);
            continue;
        }
        if (sc->tickets && p->st[w]->session_get == NULL) {
            not_available(rs, n, w, p->st[w], sc, "the stack cannot resume sessions");
            p->ok[w] = false;
            continue;
        }
        /* A full handshake (and for resumption, a resumed one too) that must negotiate exactly sc. */
        p->ok[w] = bench_probe(p->st[w], p->ctx[w], sc, sc->tickets ? &p->session[w] : NULL, why, sizeof why) &&
                   (!sc->tickets ||
                    bench_probe(p->st[w], p->ctx[w], sc, &p->session[w], why, sizeof why));
        if (!p->ok[w]) {
            not_available(rs, n, w, p->st[w], sc, why);
        }
    }
}

static void release(prepared *p)
{
    for (int w = 0; w < 2; w++) {
        if (p->session[w] != NULL) {
            p->st[w]->session_free(p->session[w]);
        }
        if (p->ctx[w] != NULL) {
            p->st[w]->ctx_free(p->ctx[w]);
        }
    }
}

/* Handshakes per turn, and transfer batches per turn, when the stacks take turns. */
#define HS_CHUNK 8
#define XFER_CHUNK 16

/* ---- 1 and 2: handshakes ------------------------------------------------------------------ */

/*
 * Per repetition, each stack's ns per handshake by side and, for the
 * full-handshake scenarios, the crypto floor measured in the same
 * repetition, so the ratio to the floor compares figures taken under the
 * same load (the machine is shared).
 */
typedef struct hs_times {
    double ns[2][2][MAX_REPS]; /* [stack][side][rep] */
    bool ok[2];
    bool has_floor;
    bench_hs_sizes sz;
    double floor_part[2][BENCH_FLOOR_PARTS][MAX_REPS]; /* [side][part][rep] */
    double floor_total[2][MAX_REPS];
} hs_times;

static void run_handshakes(const bench_scenario *sc, const char *metric, const char *label, hs_times *t,
                           bool with_floor)
{
    char name[80], text[96], why[512];
    row *rs[2];
    prepared p;
    unsigned n = 0;
    void *floor = NULL;

    snprintf(name, sizeof name, "%s_server_hs_per_s", metric);
    snprintf(text, sizeof text, "%s, server", label);
    rs[BENCH_SERVER] = add_row(name, text, U_PER_S, true);
    snprintf(name, sizeof name, "%s_client_hs_per_s", metric);
    snprintf(text, sizeof text, "%s, client", label);
    rs[BENCH_CLIENT] = add_row(name, text, U_PER_S, true);
    memset(t, 0, sizeof *t);
    prepare(&p, sc, rs, 2);
    if (with_floor && bench_latch_hs_sizes(sc, &t->sz)) {
        floor = bench_floor_new(sc, &t->sz);
    }
    if (floor != NULL) {
        bench_floor warm;

        (void)bench_floor_run(floor, true, 20, &warm);
    }

    /* Warm up each stack, and size the batches to about opt.batch_s of CPU per stack. */
    for (int w = 0; w < 2; w++) {
        double ns[2] = {0, 0};

        if (!p.ok[w]) {
            continue;
        }
        if (!bench_handshakes(p.st[w], p.ctx[w], sc, 20, sc->tickets ? &p.session[w] : NULL, ns, why, sizeof why)) {
            not_available(rs, 2, w, p.st[w], sc, why);
            p.ok[w] = false;
            continue;
        }
        double per = (ns[0] + ns[1]) / 20;
        unsigned k = (unsigned)(opt.batch_s * 1e9 / (per > 1 ? per : 1));

        if (n == 0 || k < n) {
            n = k;
        }
    }
    n = n < 10 ? 10 : n > 5000 ? 5000 : n;
    n = (n + HS_CHUNK - 1) / HS_CHUNK * HS_CHUNK;
    for (unsigned rep = 0; rep < opt.reps; rep++) {
        double acc[2][2] = {{0, 0}, {0, 0}};                 /* [stack][side] ns */
        double fpart[2][BENCH_FLOOR_PARTS] = {{0}}, fn[2] = {0, 0}; /* [side] ns sums, handshakes */

        /*
         * In chunks of a few handshakes, the stacks (and the floor) in
         * turn: a burst of load on the shared machine then hits both alike.
         */
        for (unsigned c = 0; c < n / HS_CHUNK; c++) {
            for (int i = 0; i < 2; i++) {
                int w = (int)((rep + c + (unsigned)i) % 2); /* alternate which stack goes first */

                if (p.ok[w] && !bench_handshakes(p.st[w], p.ctx[w], sc, HS_CHUNK,
                                                 sc->tickets ? &p.session[w] : NULL, acc[w], why, sizeof why)) {
                    not_available(rs, 2, w, p.st[w], sc, why);
                    p.ok[w] = false;
                }
            }
            for (int side = 0; side < 2 && floor != NULL; side++) {
                /* RSA signing dominates the server's floor: half as many keep the time balanced. */
                unsigned k = sc->key == BENCH_KEY_RSA2048 && side == BENCH_SERVER ? HS_CHUNK / 2 : HS_CHUNK;
                bench_floor f;

                if (!bench_floor_run(floor, side == BENCH_SERVER, k, &f)) {
                    bench_die("crypto floor failed for %s", sc->id);
                }
                for (int part = 0; part < BENCH_FLOOR_PARTS; part++) {
                    fpart[side][part] += f.part_ns[part] * k;
                }
                fn[side] += k;
            }
        }
        for (int w = 0; w < 2; w++) {
            if (!p.ok[w]) {
                continue;
            }
            put(rs[BENCH_CLIENT], w, n * 1e9 / acc[w][BENCH_CLIENT]);
            put(rs[BENCH_SERVER], w, n * 1e9 / acc[w][BENCH_SERVER]);
            t->ns[w][BENCH_CLIENT][rep] = acc[w][BENCH_CLIENT] / n;
            t->ns[w][BENCH_SERVER][rep] = acc[w][BENCH_SERVER] / n;
        }
        for (int side = 0; side < 2 && floor != NULL; side++) {
            t->floor_total[side][rep] = 0;
            for (int part = 0; part < BENCH_FLOOR_PARTS; part++) {
                t->floor_part[side][part][rep] = fpart[side][part] / fn[side];
                t->floor_total[side][rep] += t->floor_part[side][part][rep];
            }
        }
    }
    for (int w = 0; w < 2; w++) {
        t->ok[w] = p.ok[w] && rs[0]->n[w] == opt.reps && rs[1]->n[w] == opt.reps;
    }
    t->has_floor = floor != NULL;
    bench_floor_free(floor);
    release(&p);
    fprintf(stderr, "latch-bench: %s: %u handshakes per repetition\n", metric, n);
}

/* ---- 3 and 4: throughput ------------------------------------------------------------------------ */

/* recv_only: only the receiving row (the zero-copy read, whose sending side is the plain one). */
static void run_transfer(const bench_scenario *sc, const char *metric, const char *label, size_t rec,
                         unsigned per_batch, unsigned batches, bool per_write, bool recv_only)
{
    char name[80], text[112], why[512];
    row *rs[2], scratch;
    prepared p;
    unit u = per_write ? U_PER_S : U_MIB_S;
    double amount = per_write ? (double)per_batch * batches : (double)rec * per_batch * batches / 1048576.0;

    snprintf(name, sizeof name, "%s_send_%s", metric, per_write ? "writes_per_s" : "mib_per_s");
    snprintf(text, sizeof text, "%s, sending", label);
    memset(&scratch, 0, sizeof scratch);
    rs[0] = recv_only ? &scratch : add_row(name, text, u, true);
    snprintf(name, sizeof name, "%s_recv_%s", metric, per_write ? "writes_per_s" : "mib_per_s");
    snprintf(text, sizeof text, "%s, receiving", label);
    rs[1] = add_row(name, text, u, true);
    prepare(&p, sc, rs, 2);
    for (int w = 0; w < 2; w++) {
        double ns[2] = {0, 0};

        if (p.ok[w] && !bench_transfer(p.st[w], p.ctx[w], sc, rec, per_batch, batches / 8 + 1, ns, why, sizeof why)) {
            not_available(rs, 2, w, p.st[w], sc, why);
            p.ok[w] = false;
        }
    }
    for (unsigned rep = 0; rep < opt.reps; rep++) {
        double acc[2][2] = {{0, 0}, {0, 0}}; /* [stack][sending, receiving] ns */

        /* The stacks take turns, XFER_CHUNK batches at a time (a connection each). */
        for (unsigned c = 0; c < (batches + XFER_CHUNK - 1) / XFER_CHUNK; c++) {
            unsigned k = batches - c * XFER_CHUNK < XFER_CHUNK ? batches - c * XFER_CHUNK : XFER_CHUNK;

            for (int i = 0; i < 2; i++) {
                int w = (int)((rep + c + (unsigned)i) % 2);

                if (p.ok[w] && !bench_transfer(p.st[w], p.ctx[w], sc, rec, per_batch, k, acc[w], why, sizeof why)) {
                    not_available(rs, 2, w, p.st[w], sc, why);
                    p.ok[w] = false;
                }
            }
        }
        for (int w = 0; w < 2; w++) {
            if (p.ok[w]) {
                put(rs[0], w, amount * 1e9 / acc[w][0]);
                put(rs[1], w, amount * 1e9 / acc[w][1]);
            }
        }
    }
    release(&p);
}

/* ---- 5: memory --------------------------------------------------------------------------------------- */

static void run_memory(void)
{
    static const char *const side_name[2] = {"client", "server"};
    bench_scenario rb = sc_ecdsa;
    prepared p, q;
    bench_mem m[3][5]; /* latch, OpenSSL, OpenSSL with RELEASE_BUFFERS; repetitions */
    bool ok[3] = {false, false, false};
    row *rs[2][4], *rb_rows[2][3];
    char why[512], name[80], text[96];
    row *all[32];
    unsigned nall = 0;

    rb.release_buffers = true;
    for (int s = 0; s < 2; s++) {
        static const char *const phase[4] = {"peak during the handshake", "established", "idle",
                                              "allocations per handshake"};
        static const char *const key[4] = {"peak", "established", "idle", "allocs"};

        for (int k = 0; k < 4; k++) {
            snprintf(name, sizeof name, "mem_%s_%s_%s", side_name[s], key[k], k == 3 ? "count" : "bytes");
            snprintf(text, sizeof text, "%s: %s", side_name[s], phase[k]);
            rs[s][k] = all[nall++] = add_row(name, text, k == 3 ? U_COUNT : U_BYTES, false);
        }
        for (int k = 0; k < 3; k++) {
            snprintf(name, sizeof name, "mem_%s_%s_bytes_vs_release_buffers", side_name[s], key[k]);
            snprintf(text, sizeof text, "%s: %s (OpenSSL RELEASE_BUFFERS)", side_name[s], phase[k]);
            rb_rows[s][k] = all[nall++] = add_row(name, text, U_BYTES, false);
        }
    }
    prepare(&p, &sc_ecdsa, all, nall);
    prepare(&q, &rb, all, 0);
    for (int rep = 0; rep < 5; rep++) {
        for (int w = 0; w < 3; w++) {
            const bench_stack *st = w == 0 ? p.st[L] : p.st[O];
            void *ctx = w == 0 ? p.ctx[L] : w == 1 ? p.ctx[O] : q.ctx[O];
            bool ready = w == 0 ? p.ok[L] : w == 1 ? p.ok[O] : q.ok[O];

            if (!ready) {
                continue;
            }
            ok[w] = bench_memory(st, ctx, w == 2 ? &rb : &sc_ecdsa, &m[w][rep], why, sizeof why);
            if (!ok[w]) {
                bench_die("memory run: %s", why);
            }
        }
    }
    for (int s = 0; s < 2; s++) {
        for (int rep = 0; rep < 5; rep++) {
            for (int w = 0; w < 2; w++) {
                if (!ok[w]) {
                    continue;
                }
                put(rs[s][0], w, (double)m[w][rep].peak[s]);
                put(rs[s][1], w, (double)m[w][rep].established[s]);
                put(rs[s][2], w, (double)m[w][rep].idle[s]);
                put(rs[s][3], w, (double)m[w][rep].allocs[s]);
            }
            if (ok[0]) {
                put(rb_rows[s][0], L, (double)m[0][rep].peak[s]);
                put(rb_rows[s][1], L, (double)m[0][rep].established[s]);
                put(rb_rows[s][2], L, (double)m[0][rep].idle[s]);
            }
            if (ok[2]) {
                put(rb_rows[s][0], O, (double)m[2][rep].peak[s]);
                put(rb_rows[s][1], O, (double)m[2][rep].established[s]);
                put(rb_rows[s][2], O, (double)m[2][rep].idle[s]);
            }
        }
        if (ok[0]) {
            fprintf(stderr, "latch-bench: latch %s idle: %lld B, of which %lld through latch's hook, %lld in "
                            "libcrypto; after free: %lld B\n",
                    side_name[s], (long long)m[0][4].idle[s], (long long)m[0][4].idle_own[s],
                    (long long)(m[0][4].idle[s] - m[0][4].idle_own[s]), (long long)m[0][4].after_free[s]);
        }
        if (ok[1]) {
            fprintf(stderr, "latch-bench: OpenSSL %s after free: %lld B\n", side_name[s],
                    (long long)m[1][4].after_free[s]);
        }
    }
    release(&p);
    release(&q);
}

/* ---- 6: the crypto floor ------------------------------------------------------------------------------ */

static const hs_times *floor_t[3];
static const char *floor_label[3];
static unsigned nfloors;

static void print_floors(void)
{
    for (unsigned i = 0; i < nfloors; i++) {
        const hs_times *t = floor_t[i];
        const bench_hs_sizes *sz = &t->sz;

        printf("\nCrypto floor, %s (message sizes from latch: CH %zu, SH %zu, EE %zu, Certificate %zu, CV %zu, "
               "Finished %zu bytes)\n",
               floor_label[i], sz->ch, sz->sh, sz->ee, sz->cert, sz->cv, sz->fin);
        printf("  %-28s %10s %10s\n", "us per handshake (medians)", "server", "client");
        for (int k = 0; k < BENCH_FLOOR_PARTS; k++) {
            printf("  %-28s %10.1f %10.1f\n", bench_floor_part_names[k],
                   median(t->floor_part[BENCH_SERVER][k], opt.reps) / 1e3,
                   median(t->floor_part[BENCH_CLIENT][k], opt.reps) / 1e3);
        }
        printf("  %-28s %10.1f %10.1f\n", "floor (sum)", median(t->floor_total[BENCH_SERVER], opt.reps) / 1e3,
               median(t->floor_total[BENCH_CLIENT], opt.reps) / 1e3);
        for (int w = 0; w < 2; w++) {
            if (t->ok[w]) {
                printf("  %-28s %10.1f %10.1f\n", w == L ? "latch, whole handshake" : "OpenSSL, whole handshake",
                       median(t->ns[w][BENCH_SERVER], opt.reps) / 1e3,
                       median(t->ns[w][BENCH_CLIENT], opt.reps) / 1e3);
            }
        }
    }
}

/* Each stack's time per handshake over the floor of the same repetition; the median of those ratios. */
static void floor_rows(const char *metric, const char *label, const hs_times *t)
{
    char name[80], text[128];

    for (int s = 1; s >= 0; s--) {
        row *r;

        snprintf(name, sizeof name, "%s_%s_time_over_floor", metric, s == BENCH_SERVER ? "server" : "client");
        snprintf(text, sizeof text, "%s, %s CPU / crypto floor", label, s == BENCH_SERVER ? "server" : "client");
        r = add_row(name, text, U_TIMES, false);
        for (int w = 0; w < 2; w++) {
            if (!t->has_floor || !t->ok[w]) {
                set_na(r, w, t->has_floor ? "no handshake figure" : "floor not measured");
                continue;
            }
            for (unsigned rep = 0; rep < opt.reps; rep++) {
                put(r, w, t->ns[w][s][rep] / t->floor_total[s][rep]);
            }
        }
    }
    if (t->has_floor && nfloors < 3) {
        floor_t[nfloors] = t;
        floor_label[nfloors++] = label;
    }
}

/* ---- Targets ------------------------------------------------------------------------------------------------ */

static void target(const char *what, const char *metric, double goal, bool at_most, bool use_latch_value)
{
    row *r = find(metric);
    double v;
    bool known;

    if (r == NULL) {
        return;
    }
    if (use_latch_value) {
        known = has(r, L);
        v = known ? med(r, L) : 0;
    } else {
        known = ratio_of(r, &v);
    }
    if (!known) {
        printf("  %-66s %8s  (goal %s %.2f)\n", what, "n/a", at_most ? "<=" : ">=", goal);
        return;
    }
    printf("  %-66s %8.2f  (goal %s %.2f)  %s\n", what, v, at_most ? "<=" : ">=", goal,
           (at_most ? v <= goal : v >= goal) ? "met" : "NOT MET");
}

static void print_targets(void)
{
    printf("\nTargets (issue 7), from this run\n");
    target("server full handshake X25519+ECDSA, latch/OpenSSL", "hs13_full_x25519_ecdsa_p256_server_hs_per_s", 1.5,
           false, false);
    target("server full handshake X25519+ECDSA, latch CPU / crypto floor",
           "hs13_full_x25519_ecdsa_p256_server_time_over_floor", 1.15, true, true);
    target("client full handshake X25519+ECDSA (verifying), latch/OpenSSL",
           "hs13_full_x25519_ecdsa_p256_client_hs_per_s", 1.5, false, false);
    target("resumed handshake, server, latch/OpenSSL", "hs13_resume_x25519_server_hs_per_s", 2.0, false, false);
    target("resumed handshake, client, latch/OpenSSL", "hs13_resume_x25519_client_hs_per_s", 2.0, false, false);
    for (unsigned i = 0; i < nrows; i++) {
        if (!rows[i].heading && strncmp(rows[i].metric, "bulk", 4) == 0) {
            char what[128];

            snprintf(what, sizeof what, "%.100s, latch/OpenSSL", rows[i].label);
            target(what, rows[i].metric, 1.0, false, false);
        }
    }
    target("idle client heap, OpenSSL (RELEASE_BUFFERS) / latch", "mem_client_idle_bytes_vs_release_buffers", 4.0,
           false, false);
    target("idle server heap, OpenSSL (RELEASE_BUFFERS) / latch", "mem_server_idle_bytes_vs_release_buffers", 4.0,
           false, false);
}

/* ---- Main -------------------------------------------------------------------------------------------------------- */

static void print_machine(void)
{
    char model[256] = "unknown", line[512];
    struct utsname u;
    FILE *f = fopen("/proc/cpuinfo", "r");

    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "model name", 10) == 0) {
            char *c = strchr(line, ':');

            if (c != NULL) {
                snprintf(model, sizeof model, "%s", c + 2);
                model[strcspn(model, "\n")] = '\0';
            }
            break;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    if (uname(&u) != 0) {
        memset(&u, 0, sizeof u);
    }
    printf("latch-bench: latch %s against %s (libssl and libcrypto), in memory, one thread\n", latch_version(),
           OpenSSL_version(OPENSSL_VERSION));
    printf("machine: %s, %ld CPUs online, %s %s %s\n", model, sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release,
           u.machine);
    printf("build: %s, compiler %s; clock %s (a read costs %llu ns, subtracted per span); %u repetitions, "
           "medians (± half the range); ratio = median of the per-repetition ratios\n",
           BENCH_BUILD_TYPE, __VERSION__, bench_clock_name(), (unsigned long long)bench_clock_overhead(), opt.reps);
    if (strcmp(BENCH_BUILD_TYPE, "Release") != 0 && strcmp(BENCH_BUILD_TYPE, "RelWithDebInfo") != 0) {
        printf("WARNING: latch is not built optimised here (%s): its figures mean little\n", BENCH_BUILD_TYPE);
    }
}

/*
 * --profile: one workload on one stack, nothing else, for a profiler:
 *   hs     X25519 + ECDSA P-256 full handshakes
 *   rsa    X25519 + RSA-2048 full handshakes
 *   p256   secp256r1 + ECDSA P-256 full handshakes
 *   bulk   16 KiB writes, client to server (--suite picks the suite)
 *   small  100-byte writes
 *   resume TLS 1.3 resumed handshakes (psk_dhe_ke, X25519)
 * Each side's calls run inside side_client_* / side_server_* (run.c).
 */
static int run_profile(void)
{
    const bench_stack *st = strcmp(opt.stack, "openssl") == 0 ? &bench_openssl : &bench_latch;
    bench_scenario sc = strcmp(opt.profile, "rsa") == 0    ? sc_rsa
                        : strcmp(opt.profile, "p256") == 0 ? sc_p256
                                                           : sc_ecdsa;
    const char *reason = "unknown";
    char why[512];
    double ns[2] = {0, 0};
    unsigned rounds = 0;
    void *ctx, *session = NULL;

    if (strcmp(opt.profile, "bulk") == 0) {
        static const struct {
            const char *name;
            uint16_t id;
        } ids[] = {{"TLS_AES_128_GCM_SHA256", LATCH_TLS_AES_128_GCM_SHA256},
                   {"TLS_AES_256_GCM_SHA384", LATCH_TLS_AES_256_GCM_SHA384},
                   {"TLS_CHACHA20_POLY1305_SHA256", LATCH_TLS_CHACHA20_POLY1305_SHA256}};

        sc.suite_id = 0;
        for (size_t i = 0; i < 3; i++) {
            if (strcmp(opt.suite, ids[i].name) == 0) {
                sc.suite = ids[i].name;
                sc.suite_id = ids[i].id;
            }
        }
        if (sc.suite_id == 0) {
            bench_die("unknown TLS 1.3 suite %s", opt.suite);
        }
    }
    sc.tickets = strcmp(opt.profile, "resume") == 0;
    ctx = st->ctx_new(&sc, &reason);
    if (ctx == NULL) {
        bench_die("%s cannot run %s: %s", st->name, sc.id, reason);
    }
    if (sc.tickets && !bench_probe(st, ctx, &sc, &session, why, sizeof why)) {
        bench_die("%s cannot resume: %s", st->name, why);
    }
    do {
        bool ok;

        if (strcmp(opt.profile, "hs") == 0 || strcmp(opt.profile, "rsa") == 0 || strcmp(opt.profile, "p256") == 0) {
            ok = bench_handshakes(st, ctx, &sc, opt.batch, NULL, ns, why, sizeof why);
        } else if (sc.tickets) {
            ok = bench_handshakes(st, ctx, &sc, opt.batch, &session, ns, why, sizeof why);
        } else if (strcmp(opt.profile, "bulk") == 0) {
            ok = bench_transfer(st, ctx, &sc, 16384, 16, opt.batch, ns, why, sizeof why);
        } else if (strcmp(opt.profile, "small") == 0) {
            ok = bench_transfer(st, ctx, &sc, 100, 256, opt.batch, ns, why, sizeof why);
        } else {
            bench_die("unknown --profile workload %s", opt.profile);
        }
        if (!ok) {
            bench_die("%s", why);
        }
        rounds++;
    } while ((ns[0] + ns[1]) / 1e9 < opt.seconds);
    if (session != NULL) {
        st->session_free(session);
    }
    st->ctx_free(ctx);
    printf("%s, %s: %u rounds, client/sender %.3f s, server/receiver %.3f s\n", st->name, opt.profile, rounds,
           ns[0] / 1e9, ns[1] / 1e9);
    return 0;
}

static void usage(void)
{
    printf("usage: latch-bench [--reps N] [--quick] [--wall] [--only SECTIONS]\n"
           "  --reps N      repetitions per figure (default 7, at least 5)\n"
           "  --quick       5 repetitions, shorter batches (for a quick look; noisier)\n"
           "  --wall        time with CLOCK_MONOTONIC instead of the thread's CPU clock\n"
           "  --only LIST   comma-separated sections: hs, resume, tls12, bulk, small, mem, floor\n"
           "  --profile W [--stack latch|openssl] [--seconds S] [--batch N] [--suite NAME]\n"
           "                run one workload (hs, rsa, p256, bulk, small,\n"
           "                resume) on one stack, in rounds of N\n"
           "                handshakes or transfer batches (default 100), for at least S CPU seconds\n"
           "                (default 5; 0: one round), for perf or callgrind\n");
}

int main(int argc, char **argv)
{
    static hs_times t_ecdsa, t_rsa, t_p256, t_dummy;

    /* First, before anything touches libcrypto: count every allocation. */
    if (!bench_heap_install()) {
        bench_die("CRYPTO_set_mem_functions failed (libcrypto allocated before main?)");
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            opt.reps = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--quick") == 0) {
            opt.reps = 5;
            opt.batch_s = 0.08;
            opt.bulk_mib = 16;
        } else if (strcmp(argv[i], "--wall") == 0) {
            opt.wall = true;
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            opt.only = argv[++i];
        } else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc) {
            opt.profile = argv[++i];
        } else if (strcmp(argv[i], "--stack") == 0 && i + 1 < argc) {
            opt.stack = argv[++i];
        } else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            opt.seconds = strtod(argv[++i], NULL);
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            opt.batch = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--suite") == 0 && i + 1 < argc) {
            opt.suite = argv[++i];
        } else {
            usage();
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    if (opt.reps < 5 || opt.reps > MAX_REPS) {
        bench_die("--reps must be between 5 and %d", MAX_REPS);
    }
    bench_clock_init(opt.wall);
    bench_pki_init();
    if (opt.profile != NULL) {
        return run_profile();
    }
    print_machine();
    fflush(stdout);

    if (want("hs") || want("floor")) {
        heading("1. TLS 1.3 full handshakes per second (CPU of each side; TLS_AES_128_GCM_SHA256)");
        run_handshakes(&sc_ecdsa, "hs13_full_x25519_ecdsa_p256", "X25519, ECDSA P-256", &t_ecdsa, want("floor"));
        if (want("hs")) {
            run_handshakes(&sc_rsa, "hs13_full_x25519_rsa2048", "X25519, RSA-2048 (rsa_pss_rsae_sha256)", &t_rsa,
                           want("floor"));
            run_handshakes(&sc_p256, "hs13_full_p256_ecdsa_p256", "secp256r1, ECDSA P-256", &t_p256, want("floor"));
        }
    }
    if (want("resume") || want("tls12")) {
        heading("2. Resumption and TLS 1.2 handshakes per second");
        if (want("resume")) {
            bench_scenario r = sc_ecdsa;

            r.tickets = true;
            run_handshakes(&r, "hs13_resume_x25519", "TLS 1.3 resumed (psk_dhe_ke, X25519)", &t_dummy, false);
        }
        if (want("tls12")) {
            bench_scenario r = sc_12;

            run_handshakes(&r, "hs12_full_ecdhe_ecdsa", "TLS 1.2 ECDHE-ECDSA-AES128-GCM full (X25519)", &t_dummy,
                           false);
            r.tickets = true;
            run_handshakes(&r, "hs12_resume_ticket", "TLS 1.2 ticket resumption", &t_dummy, false);
        }
    }
    if (want("bulk")) {
        static const struct {
            const char *suite, *metric, *label;
            uint16_t id;
        } suites[] = {
            {"TLS_AES_128_GCM_SHA256", "bulk13_aes128gcm", "TLS 1.3 AES-128-GCM", LATCH_TLS_AES_128_GCM_SHA256},
            {"TLS_AES_256_GCM_SHA384", "bulk13_aes256gcm", "TLS 1.3 AES-256-GCM", LATCH_TLS_AES_256_GCM_SHA384},
            {"TLS_CHACHA20_POLY1305_SHA256", "bulk13_chacha20", "TLS 1.3 ChaCha20-Poly1305",
             LATCH_TLS_CHACHA20_POLY1305_SHA256},
        };
        unsigned batches = (unsigned)(opt.bulk_mib * 1048576 / (16384.0 * 16));

        heading("3. Bulk throughput, 16 KiB writes, client to server (CPU of the sending / receiving side)");
        for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
            bench_scenario s = sc_ecdsa;

            s.suite = suites[i].suite;
            s.suite_id = suites[i].id;
            run_transfer(&s, suites[i].metric, suites[i].label, 16384, 16, batches, false, false);
        }
        run_transfer(&sc_12, "bulk12_ecdhe_ecdsa_aes128gcm", "TLS 1.2 ECDHE-ECDSA-AES128-GCM", 16384, 16, batches,
                     false, false);
        {
            /* The same TLS 1.3 transfer, latch reading with latch_conn_read_view (no copy out);
             * OpenSSL has no such call and reads with SSL_read as above. */
            bench_scenario z = sc_ecdsa;

            z.zero_copy_read = true;
            run_transfer(&z, "bulk13_aes128gcm_zerocopy", "TLS 1.3 AES-128-GCM, latch zero-copy read", 16384, 16,
                         batches, false, true);
        }
    }
    if (want("small")) {
        heading("4. Small writes: 100-byte application writes, one record each (TLS 1.3 AES-128-GCM)");
        run_transfer(&sc_ecdsa, "small13_100b", "100-byte writes", 100, 256, opt.batch_s < 0.2 ? 100 : 300, true,
                     false);
    }
    if (want("mem")) {
        heading("5. Heap bytes per connection (TLS 1.3, X25519, ECDSA P-256; lower is better, ratio = OpenSSL/latch)");
        run_memory();
    }
    if (want("floor")) {
        heading("6. Time over the crypto floor (lower is better; ratio = OpenSSL/latch)");
        floor_rows("hs13_full_x25519_ecdsa_p256", "X25519, ECDSA P-256", &t_ecdsa);
        if (want("hs")) {
            floor_rows("hs13_full_x25519_rsa2048", "X25519, RSA-2048", &t_rsa);
            floor_rows("hs13_full_p256_ecdsa_p256", "secp256r1, ECDSA P-256", &t_p256);
        }
    }
    print_table();
    print_floors();
    print_targets();
    print_metrics();
    return 0;
}
