/*
 * The fd driver: loops of the public sans-IO calls over read/write. It uses
 * nothing from inside the library (STYLE.md §3), so an application can
 * write its own the same way.
 */
#include <latch/io.h>

#include "core/err.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static ssize_t out_fd(int fd, const uint8_t *p, size_t n)
{
    ssize_t r = send(fd, p, n, MSG_NOSIGNAL);

    if (r < 0 && errno == ENOTSOCK) {
        r = write(fd, p, n);
    }
    return r;
}

static ssize_t in_fd(int fd, uint8_t *p, size_t n)
{
    ssize_t r = recv(fd, p, n, 0);

    if (r < 0 && errno == ENOTSOCK) {
        r = read(fd, p, n);
    }
    return r;
}

latch_err latch_fd_flush(latch_conn *c, int fd)
{
    for (;;) {
        const uint8_t *p;
        size_t n;
        ssize_t w;

        LATCH_TRY(latch_conn_output(c, &p, &n));
        if (n == 0) {
            return LATCH_OK;
        }
        w = out_fd(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return LATCH_ERR_WANT_WRITE;
            }
            return LATCH_FAIL(LATCH_ERR_IO, "sending: %s", strerror(errno));
        }
        latch_conn_output_done(c, (size_t)w);
    }
}

/* Read once from fd into the connection. */
static latch_err pump_in(latch_conn *c, int fd)
{
    uint8_t *buf;
    size_t cap;
    ssize_t r;

    LATCH_TRY(latch_conn_input_buffer(c, &buf, &cap));
    if (cap == 0) {
        return LATCH_OK;
    }
    do {
        r = in_fd(fd, buf, cap);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return LATCH_ERR_WANT_READ;
        }
        return LATCH_FAIL(LATCH_ERR_IO, "receiving: %s", strerror(errno));
    }
    if (r == 0) {
        return LATCH_FAIL(LATCH_ERR_TRUNCATED, "the peer closed the transport without close_notify");
    }
    return latch_conn_input_done(c, (size_t)r);
}

/* After a failure, try to deliver the fatal alert, then report the error. */
static latch_err failed(latch_conn *c, int fd, latch_err e)
{
    if (latch_conn_state(c) & LATCH_STATE_HAS_OUTPUT) {
        LATCH_IGNORE(latch_fd_flush(c, fd));
    }
    return e;
}

latch_err latch_fd_handshake(latch_conn *c, int fd)
{
    for (;;) {
        unsigned st;
        latch_err e = latch_fd_flush(c, fd);

        if (e != LATCH_OK) {
            return e;
        }
        st = latch_conn_state(c);
        if (st & LATCH_STATE_FAILED) {
            return latch_conn_error(c)->code;
        }
        if (st & LATCH_STATE_HANDSHAKE_DONE) {
            return LATCH_OK;
        }
        if (st & LATCH_STATE_CLOSED) {
            return LATCH_ERR_CLOSE_NOTIFY;
        }
        e = pump_in(c, fd);
        if (e != LATCH_OK && e != LATCH_ERR_CLOSE_NOTIFY) {
            return failed(c, fd, e);
        }
    }
}

latch_err latch_fd_read(latch_conn *c, int fd, void *buf, size_t cap, size_t *n)
{
    *n = 0;
    LATCH_TRY(latch_fd_handshake(c, fd));
    for (;;) {
        latch_err e = latch_conn_read_app(c, buf, cap, n);

        if (e != LATCH_ERR_WANT_READ) {
            /* Answers the read caused (a KeyUpdate reply) go out now. */
            latch_err f = latch_fd_flush(c, fd);

            return e != LATCH_OK ? failed(c, fd, e) : (f == LATCH_ERR_WANT_WRITE ? LATCH_OK : f);
        }
        e = latch_fd_flush(c, fd);
        if (e != LATCH_OK) {
            return e;
        }
        e = pump_in(c, fd);
        if (e != LATCH_OK && e != LATCH_ERR_CLOSE_NOTIFY) {
            return failed(c, fd, e);
        }
    }
}

latch_err latch_fd_write(latch_conn *c, int fd, const void *buf, size_t len, size_t *n)
{
    const uint8_t *p = buf;

    *n = 0;
    LATCH_TRY(latch_fd_handshake(c, fd));
    while (*n < len) {
        size_t used = 0;
        latch_err e = latch_conn_write_app(c, p + *n, len - *n, &used);

        *n += used;
        if (e != LATCH_OK && e != LATCH_ERR_WANT_WRITE) {
            return failed(c, fd, e);
        }
        e = latch_fd_flush(c, fd);
        if (e != LATCH_OK) {
            return e;
        }
    }
    return LATCH_OK;
}

latch_err latch_fd_close(latch_conn *c, int fd)
{
    LATCH_TRY(latch_conn_close(c));
    return latch_fd_flush(c, fd);
}
