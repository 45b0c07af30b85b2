/*
 * latch/io.h - driving a connection over a file descriptor.
 *
 * These functions move bytes between a latch_conn and a socket (or any fd
 * that read/write work on), using only the public sans-IO calls. They work
 * with blocking and non-blocking descriptors alike:
 *
 *   - blocking: each call returns when its job is done or failed;
 *   - non-blocking: a call returns LATCH_ERR_WANT_READ or LATCH_ERR_WANT_WRITE
 *     when the descriptor would block; wait until it is readable (POLLIN) or
 *     writable (POLLOUT) and make the same call again.
 *
 * They never close the descriptor. SIGPIPE is avoided with MSG_NOSIGNAL on
 * sockets. An application with its own event loop can skip this file and
 * call the sans-IO API directly.
 */
#ifndef LATCH_IO_H
#define LATCH_IO_H

#include <latch/conn.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * \brief Run the handshake to completion.
 * \return LATCH_OK once it is done; WANT_READ / WANT_WRITE (non-blocking);
 * LATCH_ERR_IO (errno in the detail) or LATCH_ERR_TRUNCATED if the transport
 * failed or ended; or the connection's error (the fatal alert has been sent,
 * as far as the descriptor allowed).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_fd_handshake(latch_conn *c, int fd);

/**
 * \brief Read application data (running the handshake first if needed).
 * \param n receives the bytes read (> 0 on LATCH_OK).
 * \return LATCH_OK; LATCH_ERR_CLOSE_NOTIFY when the peer closed cleanly;
 * LATCH_ERR_TRUNCATED when the transport ended without close_notify; WANT_*;
 * or an error.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_fd_read(latch_conn *c, int fd, void *buf, size_t cap, size_t *n);

/**
 * \brief Write application data (running the handshake first if needed).
 * Blocking: returns when all of it was handed to the descriptor.
 * Non-blocking: *n tells how much was taken; call again with the rest.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_fd_write(latch_conn *c, int fd, const void *buf, size_t len, size_t *n);

/** \brief Send whatever output waits (alerts, KeyUpdates, records). */
LATCH_API LATCH_MUST_CHECK latch_err latch_fd_flush(latch_conn *c, int fd);

/** \brief Send close_notify and flush it. Does not wait for the peer's. */
LATCH_API LATCH_MUST_CHECK latch_err latch_fd_close(latch_conn *c, int fd);

#ifdef __cplusplus
}
#endif
#endif
