/*
 * The fd driver (src/io/fd.c) over socketpairs: blocking client and server in
 * two threads (handshake, read, write, close_notify both ways, 1 MiB each
 * way), a non-blocking pair driven by poll() in one thread (WANT_READ and
 * WANT_WRITE returned, then resumed), a peer that closes the socket without
 * close_notify (TRUNCATED), and writes and reads on dead descriptors (IO,
 * with the errno text in the detail).
 */
#include "harness.h"
#include "tls.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MIB (1024u * 1024u)

typedef struct pairfd {
    latch_config *cc, *sc;
    latch_conn *c, *s;
    int fc, fs; /* client's and server's ends */
} pairfd;

static int pair_open(pairfd *p)
{
    int sv[2];

    memset(p, 0, sizeof *p);
    p->fc = p->fs = -1;
    p->cc = tcfg_client(LATCH_KEY_ECDSA_P256);
    p->sc = tcfg_server(LATCH_KEY_ECDSA_P256);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        return -1;
    }
    p->fc = sv[0];
    p->fs = sv[1];
    if (latch_conn_new_server(p->sc, &p->s) != LATCH_OK || latch_conn_new_client(p->cc, "localhost", &p->c) != LATCH_OK) {
        return -1;
    }
    return 0;
}

static void pair_close(pairfd *p)
{
    latch_conn_free(p->c);
    latch_conn_free(p->s);
    latch_config_free(p->cc);
    latch_config_free(p->sc);
    if (p->fc >= 0) {
        close(p->fc);
    }
    if (p->fs >= 0) {
        close(p->fs);
    }
}

static void fill(uint8_t *b, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        b[i] = (uint8_t)(seed >> 16);
    }
}

/* Read exactly n bytes (blocking); returns the first non-OK code, or OK. */
static latch_err read_all(latch_conn *c, int fd, uint8_t *buf, size_t n)
{
    size_t got = 0;

    while (got < n) {
        size_t r = 0;
        latch_err e = latch_fd_read(c, fd, buf + got, n - got, &r);

        if (e != LATCH_OK) {
            return e;
        }
        got += r;
    }
    return LATCH_OK;
}

/* ---- Blocking, two threads ------------------------------------------------------------ */

typedef struct server_job {
    pairfd *p;
    latch_err hs, rd_hello, wr_reply, rd_big, wr_big, rd_close, close;
    uint8_t hello[5];
} server_job;

static void *server_main(void *arg)
{
    server_job *j = arg;
    pairfd *p = j->p;
    uint8_t *big = malloc(MIB);
    uint8_t one;
    size_t n;

    j->hs = latch_fd_handshake(p->s, p->fs);
    j->rd_hello = read_all(p->s, p->fs, j->hello, sizeof j->hello);
    j->wr_reply = latch_fd_write(p->s, p->fs, "world", 5, &n);
    /* 1 MiB in, the same 1 MiB back. */
    j->rd_big = big != NULL ? read_all(p->s, p->fs, big, MIB) : LATCH_ERR_NO_MEMORY;
    j->wr_big = big != NULL ? latch_fd_write(p->s, p->fs, big, MIB, &n) : LATCH_ERR_NO_MEMORY;
    if (j->wr_big == LATCH_OK && n != MIB) {
        j->wr_big = LATCH_ERR_INTERNAL;
    }
    /* The client closes first; we see its close_notify, then send ours. */
    j->rd_close = latch_fd_read(p->s, p->fs, &one, 1, &n);
    j->close = latch_fd_close(p->s, p->fs);
    free(big);
    return NULL;
}

static void test_blocking_two_threads(void)
{
    pairfd p;
    server_job j;
    pthread_t th;
    uint8_t reply[5], one;
    uint8_t *out = malloc(MIB), *back = malloc(MIB);
    size_t n = 0;

    REQUIRE(out != NULL && back != NULL);
    REQUIRE(pair_open(&p) == 0);
    memset(&j, 0, sizeof j);
    j.p = &p;
    REQUIRE(pthread_create(&th, NULL, server_main, &j) == 0);

    /* The first write runs the handshake. */
    CHECK_OK(latch_fd_write(p.c, p.fc, "hello", 5, &n));
    CHECK_EQ(n, 5);
    CHECK(latch_conn_state(p.c) & LATCH_STATE_HANDSHAKE_DONE);
    CHECK_OK(read_all(p.c, p.fc, reply, sizeof reply));
    CHECK_MEM(reply, 5, "world", 5);
    /* 1 MiB round trip (many records each way). */
    fill(out, MIB, 42);
    CHECK_OK(latch_fd_write(p.c, p.fc, out, MIB, &n));
    CHECK_EQ(n, MIB);
    CHECK_OK(read_all(p.c, p.fc, back, MIB));
    CHECK(memcmp(out, back, MIB) == 0);
    /* close_notify both ways. */
    CHECK_OK(latch_fd_close(p.c, p.fc));
    CHECK_ERR(latch_fd_read(p.c, p.fc, &one, 1, &n), LATCH_ERR_CLOSE_NOTIFY);
    CHECK_EQ(n, 0);
    /* Nothing more may be written after our close_notify. */
    CHECK_ERR(latch_fd_write(p.c, p.fc, "late", 4, &n), LATCH_ERR_CLOSED);

    pthread_join(th, NULL);
    CHECK_OK(j.hs);
    CHECK_OK(j.rd_hello);
    CHECK_MEM(j.hello, 5, "hello", 5);
    CHECK_OK(j.wr_reply);
    CHECK_OK(j.rd_big);
    CHECK_OK(j.wr_big);
    CHECK_ERR(j.rd_close, LATCH_ERR_CLOSE_NOTIFY);
    CHECK_OK(j.close);
    CHECK(latch_conn_state(p.c) & LATCH_STATE_CLOSED);
    CHECK(latch_conn_state(p.s) & LATCH_STATE_CLOSED);
    pair_close(&p);
    free(out);
    free(back);
}

/* ---- Non-blocking, one thread, poll() ----------------------------------------------------- */

static void nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0) {
        abort();
    }
}

/* Wait until fd is ready for what `want` asks (WANT_READ: POLLIN, WANT_WRITE: POLLOUT). */
static short events_for(latch_err want)
{
    return want == LATCH_ERR_WANT_WRITE ? POLLOUT : want == LATCH_ERR_WANT_READ ? POLLIN : 0;
}

static bool wait_both(int fc, latch_err wc, int fs, latch_err ws)
{
    struct pollfd pf[2] = {{fc, events_for(wc), 0}, {fs, events_for(ws), 0}};

    return poll(pf, 2, 5000) > 0;
}

static void test_nonblocking_poll(void)
{
    pairfd p;
    latch_err ec = LATCH_ERR_WANT_READ, es = LATCH_ERR_WANT_READ;
    size_t want_read = 0, want_write = 0, sent = 0, got = 0;
    const size_t total = 4 * MIB;
    uint8_t *out = malloc(total), *in = malloc(total);
    int small = 16384;

    REQUIRE(out != NULL && in != NULL);
    REQUIRE(pair_open(&p) == 0);
    nonblock(p.fc);
    nonblock(p.fs);
    /* Small socket buffers, so writes block early. */
    (void)setsockopt(p.fc, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    (void)setsockopt(p.fs, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);

    /* The handshake, each side called again whenever its fd is ready. */
    for (int round = 0; round < 1000 && (ec != LATCH_OK || es != LATCH_OK); round++) {
        if (ec != LATCH_OK) {
            ec = latch_fd_handshake(p.c, p.fc);
            want_read += ec == LATCH_ERR_WANT_READ;
            want_write += ec == LATCH_ERR_WANT_WRITE;
        }
        if (es != LATCH_OK) {
            es = latch_fd_handshake(p.s, p.fs);
            want_read += es == LATCH_ERR_WANT_READ;
            want_write += es == LATCH_ERR_WANT_WRITE;
        }
        REQUIRE(ec == LATCH_OK || ec == LATCH_ERR_WANT_READ || ec == LATCH_ERR_WANT_WRITE);
        REQUIRE(es == LATCH_OK || es == LATCH_ERR_WANT_READ || es == LATCH_ERR_WANT_WRITE);
        if (ec != LATCH_OK && es != LATCH_OK) {
            REQUIRE(wait_both(p.fc, ec, p.fs, es));
        }
    }
    CHECK_OK(ec);
    CHECK_OK(es);
    CHECK(want_read > 0); /* the client waited for the server's flight at least */

    /* 4 MiB through small buffers: the writer must hear WANT_WRITE and resume. */
    fill(out, total, 7);
    ec = es = LATCH_OK;
    for (int round = 0; round < 1000000 && got < total; round++) {
        size_t n = 0;

        if (sent < total) {
            ec = latch_fd_write(p.c, p.fc, out + sent, total - sent, &n);
            REQUIRE(ec == LATCH_OK || ec == LATCH_ERR_WANT_WRITE);
            sent += n;
            want_write += ec == LATCH_ERR_WANT_WRITE;
        } else if (ec != LATCH_OK) {
            /* All taken, but records still wait in the connection: flush them. */
            ec = latch_fd_flush(p.c, p.fc);
            REQUIRE(ec == LATCH_OK || ec == LATCH_ERR_WANT_WRITE);
        }
        n = 0;
        es = latch_fd_read(p.s, p.fs, in + got, total - got, &n);
        REQUIRE(es == LATCH_OK || es == LATCH_ERR_WANT_READ || es == LATCH_ERR_WANT_WRITE);
        got += n;
        if (ec != LATCH_OK && es != LATCH_OK) {
            REQUIRE(wait_both(p.fc, ec, p.fs, es));
        }
    }
    CHECK_EQ(sent, total);
    CHECK_EQ(got, total);
    CHECK(memcmp(out, in, total) == 0);
    CHECK(want_write > 0);
    pair_close(&p);
    free(out);
    free(in);
}

/* ---- Transport failures -------------------------------------------------------------------- */

typedef struct hs_job {
    latch_conn *c;
    int fd;
    latch_err e;
} hs_job;

static void *hs_main(void *arg)
{
    hs_job *j = arg;

    j->e = latch_fd_handshake(j->c, j->fd);
    return NULL;
}

/* A connected pair (blocking), the server handshaken in a thread. */
static int connected(pairfd *p)
{
    hs_job j;
    pthread_t th;
    latch_err e;

    if (pair_open(p) != 0) {
        return -1;
    }
    j.c = p->s;
    j.fd = p->fs;
    if (pthread_create(&th, NULL, hs_main, &j) != 0) {
        return -1;
    }
    e = latch_fd_handshake(p->c, p->fc);
    pthread_join(th, NULL);
    return e == LATCH_OK && j.e == LATCH_OK ? 0 : -1;
}

static void test_truncated(void)
{
    pairfd p;
    uint8_t buf[16];
    size_t n = 99;

    /* After the handshake: the server's socket goes away without close_notify. */
    REQUIRE(connected(&p) == 0);
    close(p.fs);
    p.fs = -1;
    CHECK_ERR(latch_fd_read(p.c, p.fc, buf, sizeof buf, &n), LATCH_ERR_TRUNCATED);
    CHECK_EQ(n, 0);
    CHECK_ERR(latch_last_error()->code, LATCH_ERR_TRUNCATED);
    CHECK(strstr(latch_last_error()->detail, "close_notify") != NULL);
    /* Still truncated if asked again (not mistaken for a clean close). */
    CHECK_ERR(latch_fd_read(p.c, p.fc, buf, sizeof buf, &n), LATCH_ERR_TRUNCATED);
    pair_close(&p);

    /* During the handshake: the ClientHello goes out, then the peer vanishes. */
    REQUIRE(pair_open(&p) == 0);
    close(p.fs);
    p.fs = -1;
    {
        latch_err e = latch_fd_handshake(p.c, p.fc);

        /* Sending the ClientHello to a closed peer fails first (EPIPE) on
         * some kernels; otherwise reading finds the end of the stream. */
        CHECK(e == LATCH_ERR_TRUNCATED || e == LATCH_ERR_IO);
    }
    pair_close(&p);

    /* The server reads half a ClientHello, then the end. */
    REQUIRE(pair_open(&p) == 0);
    {
        const uint8_t *d;
        size_t len;

        REQUIRE_OK(latch_conn_output(p.c, &d, &len));
        REQUIRE(len > 10);
        REQUIRE(write(p.fc, d, len / 2) == (ssize_t)(len / 2));
        shutdown(p.fc, SHUT_WR);
        CHECK_ERR(latch_fd_handshake(p.s, p.fs), LATCH_ERR_TRUNCATED);
        CHECK(!(latch_conn_state(p.s) & LATCH_STATE_HANDSHAKE_DONE));
    }
    pair_close(&p);
}

static void test_write_on_closed_socket(void)
{
    pairfd p;
    char want[128];
    size_t n = 99;

    REQUIRE(connected(&p) == 0);
    close(p.fs);
    p.fs = -1;
    /* AF_UNIX stream: sending to a closed peer is EPIPE (no SIGPIPE: MSG_NOSIGNAL). */
    CHECK_ERR(latch_fd_write(p.c, p.fc, "data", 4, &n), LATCH_ERR_IO);
    CHECK_ERR(latch_last_error()->code, LATCH_ERR_IO);
    snprintf(want, sizeof want, "sending: %s", strerror(EPIPE));
    if (strcmp(latch_last_error()->detail, want) != 0) {
        latch_test_fail(__FILE__, __LINE__, "detail \"%s\", expected \"%s\"", latch_last_error()->detail, want);
    }
    CHECK(latch_last_error()->file != NULL && strstr(latch_last_error()->file, "io/fd.c") != NULL);
    pair_close(&p);
}

static void test_bad_descriptor(void)
{
    pairfd p;
    char want[128];
    uint8_t buf[8];
    size_t n;

    REQUIRE(pair_open(&p) == 0);
    /* Nothing can be sent on -1: the ClientHello flush fails with EBADF. */
    CHECK_ERR(latch_fd_handshake(p.c, -1), LATCH_ERR_IO);
    snprintf(want, sizeof want, "sending: %s", strerror(EBADF));
    CHECK(strcmp(latch_last_error()->detail, want) == 0);
    /* A server has nothing to send first: reading fails. */
    CHECK_ERR(latch_fd_read(p.s, -1, buf, sizeof buf, &n), LATCH_ERR_IO);
    snprintf(want, sizeof want, "receiving: %s", strerror(EBADF));
    CHECK(strcmp(latch_last_error()->detail, want) == 0);
    /* Nothing waiting: flush is a no-op that succeeds, whatever the fd. */
    CHECK_OK(latch_fd_flush(p.s, -1));
    pair_close(&p);
}

/* A handshake failure travels as an alert through the socket. */
static void test_failure_alert_delivered(void)
{
    pairfd p;
    hs_job j;
    pthread_t th;

    REQUIRE(pair_open(&p) == 0);
    latch_conn_free(p.c);
    latch_config_free(p.cc);
    p.cc = tcfg_client(LATCH_KEY_RSA2048); /* trusts another CA */
    REQUIRE_OK(latch_conn_new_client(p.cc, "localhost", &p.c));
    j.c = p.s;
    j.fd = p.fs;
    REQUIRE(pthread_create(&th, NULL, hs_main, &j) == 0);
    CHECK_ERR(latch_fd_handshake(p.c, p.fc), LATCH_ERR_CERT_UNKNOWN_CA);
    pthread_join(th, NULL);
    CHECK_ERR(j.e, LATCH_ERR_PEER_ALERT);
    CHECK_EQ(latch_conn_error(p.s)->alert, LATCH_ALERT_UNKNOWN_CA);
    pair_close(&p);
}

static const latch_test cases[] = {
    TEST(test_blocking_two_threads),
    TEST(test_nonblocking_poll),
    TEST(test_truncated),
    TEST(test_write_on_closed_socket),
    TEST(test_bad_descriptor),
    TEST(test_failure_alert_delivered),
    {0},
};

LATCH_TEST_MAIN(cases)
