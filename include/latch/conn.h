/*
 * latch/conn.h - a TLS connection, sans I/O.
 *
 * A connection never reads or writes a socket. The application moves bytes:
 *
 *   - bytes that arrived from the peer go in with latch_conn_feed() (or, to
 *     avoid a copy, latch_conn_input_buffer() + latch_conn_input_done());
 *   - bytes to send to the peer come out of latch_conn_output(), and the
 *     application reports how many it sent with latch_conn_output_done();
 *   - application data is written with latch_conn_write_app() and read with
 *     latch_conn_read_app().
 *
 * latch_conn_state() says what the connection needs next. A minimal loop:
 *
 *   for (;;) {
 *       unsigned st = latch_conn_state(c);
 *       if (st & LATCH_STATE_HAS_OUTPUT) { send what latch_conn_output() gives; output_done(); continue; }
 *       if (st & LATCH_STATE_CLOSED) break;
 *       if (st & LATCH_STATE_HAS_APP_DATA) { latch_conn_read_app(...); continue; }
 *       if (st & LATCH_STATE_WANT_INPUT) { recv(); latch_conn_feed(...); }
 *   }
 *
 * src/io's latch_fd_* functions (latch/io.h) implement such loops over
 * blocking and non-blocking sockets.
 *
 * Errors are sticky: after the first failure every call returns the same
 * code, and the fatal alert (if any) waits in the output; send it before
 * closing the socket. latch_conn_error() says where and why.
 *
 * Thread safety: a connection is used by one thread at a time.
 * Output pointers stay valid until the next call on the connection.
 */
#ifndef LATCH_CONN_H
#define LATCH_CONN_H

#include <latch/config.h>
#include <latch/error.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * \brief Start a client connection.
 * \param cfg the config (frozen by this call; the connection holds a reference).
 * \param server_name the server's DNS name or IP address literal: sent as SNI
 * (names only, RFC 6066) and checked against the server's certificate. NULL is
 * allowed only with latch_config_insecure_no_verify. Copied.
 * \param out receives the connection; the ClientHello is ready in its output.
 * \return LATCH_OK, LATCH_ERR_INVALID_ARGUMENT (bad name), LATCH_ERR_NO_MEMORY,
 * a CRYPTO-class error, or LATCH_ERR_USAGE-class errors for an unusable config.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_new_client(latch_config *cfg, const char *server_name,
                                                           latch_conn **out);

/**
 * \brief Start a server connection; it waits for a ClientHello.
 * \return LATCH_OK, LATCH_ERR_NO_CERTIFICATE (no chain configured),
 * LATCH_ERR_NO_MEMORY.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_new_server(latch_config *cfg, latch_conn **out);

/**
 * \brief Client: offer a session saved from an earlier connection
 * (latch_conn_session), so the server may resume it without a full
 * handshake. Call before the first latch_conn_output/feed (the ClientHello is
 * built then). A session that has expired, or is for another protocol
 * version, is silently not offered; if the server declines it, a full
 * handshake follows.
 * \return LATCH_OK; LATCH_ERR_DECODE (not session bytes);
 * LATCH_ERR_BAD_STATE (too late, or a server connection).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_set_session(latch_conn *c, const uint8_t *session, size_t len);

/**
 * \brief Client: the session to resume this connection later, as bytes (the
 * newest ticket the server sent). The bytes contain the resumption secret:
 * store them as carefully as a password. Sessions arrive after the
 * handshake (TLS 1.3 NewSessionTicket), so read some data first.
 *
 * TLS 1.2: the session exists as soon as the handshake completes, if the
 * server gave it a session id or a ticket (RFC 5077) and the handshake used
 * extended_master_secret (RFC 7627: sessions without it are never kept or
 * offered). latch_conn_set_session offers it again (the ticket, or the
 * session id) to a server of the same name, for a cipher suite still
 * configured; a resumed connection can export its session again.
 * \param len receives the length (also on LATCH_ERR_BUFFER_TOO_SMALL).
 * \return LATCH_OK; LATCH_ERR_BAD_STATE (no ticket received yet);
 * LATCH_ERR_BUFFER_TOO_SMALL.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_session(const latch_conn *c, uint8_t *buf, size_t cap, size_t *len);

/**
 * \brief Client: data to send as 0-RTT early data (RFC 8446 §2.3), before
 * the handshake completes. Call after latch_conn_set_session and before the
 * first latch_conn_output/feed; data is copied. It is sent only if the
 * session allows early data of this size; if the server rejects it (or it was
 * not sent), latch sends it again as ordinary data once the handshake is
 * done, so the peer receives it exactly once either way. Early data can be
 * replayed by an attacker to a server that does not defend against it: send
 * only requests that are safe to repeat.
 * \return LATCH_OK; LATCH_ERR_BAD_STATE (too late, a server, or called twice);
 * LATCH_ERR_INVALID_ARGUMENT (empty, or over 16 KiB).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_write_early(latch_conn *c, const uint8_t *data, size_t len);

/** What became of 0-RTT early data. */
typedef enum latch_early_status {
    LATCH_EARLY_NONE = 0,  /**< none was sent (client) or offered (server) */
    LATCH_EARLY_ACCEPTED,  /**< the server accepted it */
    LATCH_EARLY_REJECTED   /**< the server declined it (a client sends it again after the handshake) */
} latch_early_status;

/** \brief The fate of 0-RTT data on this connection (final once the handshake is done). */
LATCH_API latch_early_status latch_conn_early_status(const latch_conn *c);

/** \brief Whether the handshake resumed a session (or used an external PSK) instead of certificates. */
LATCH_API bool latch_conn_resumed(const latch_conn *c);

/**
 * \brief Keying material exporter (RFC 8446 §7.5 for TLS 1.3, RFC 5705 for
 * TLS 1.2): len bytes bound to this connection, a label and an optional
 * context, which both ends compute alike (e.g. for channel binding). In TLS
 * 1.3 a NULL context and an empty one give the same output; in TLS 1.2 they
 * differ, as RFC 5705 says.
 * \return LATCH_OK; LATCH_ERR_BAD_STATE before the handshake completes;
 * LATCH_ERR_INVALID_ARGUMENT (TLS 1.3: label empty or over 249 bytes,
 * context over 255 bytes, len over 255 * hash length; TLS 1.2: empty or
 * reserved label such as "master secret", context over 65535 bytes).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_export_keying_material(const latch_conn *c, const char *label,
                                                                       const uint8_t *context, size_t context_len,
                                                                       uint8_t *out, size_t len);

/** \brief Free a connection, wiping every secret; NULL-safe. Does not send close_notify. */
LATCH_API void latch_conn_free(latch_conn *c);

/** \brief Attach an application pointer (returned by latch_conn_user). */
LATCH_API void latch_conn_set_user(latch_conn *c, void *user);
LATCH_API void *latch_conn_user(const latch_conn *c);

/* ---- State ---------------------------------------------------------------- */

#define LATCH_STATE_WANT_INPUT 0x01u     /**< needs bytes from the peer (not while too much output waits) */
#define LATCH_STATE_HAS_OUTPUT 0x02u     /**< has bytes to send */
#define LATCH_STATE_CAN_WRITE 0x04u      /**< latch_conn_write_app will accept data */
#define LATCH_STATE_HAS_APP_DATA 0x08u   /**< latch_conn_read_app will return data */
#define LATCH_STATE_HANDSHAKE_DONE 0x10u /**< the handshake completed */
#define LATCH_STATE_CLOSED 0x20u         /**< no more data will arrive (close_notify, or failed) */
#define LATCH_STATE_FAILED 0x40u         /**< a fatal error occurred (see latch_conn_error) */
#define LATCH_STATE_EARLY_DATA 0x80u     /**< server: the data waiting to be read arrived as 0-RTT early data */

/** \brief The LATCH_STATE_* flags. */
LATCH_API unsigned latch_conn_state(const latch_conn *c);

/* ---- Moving bytes ----------------------------------------------------------- */

/**
 * \brief Give the connection bytes received from the peer.
 *
 * Processes as much as it can: whole records are decrypted and handled as
 * they complete. Stops early (with *used < len) when decrypted application
 * data waits to be read: read it, then feed the rest. Also stops while more
 * than two records' worth of output waits to be sent (backpressure: a peer
 * that makes latch answer, and never reads, cannot grow the output without
 * bound): send it, then feed the rest.
 * \param used receives how many bytes were taken.
 * \return LATCH_OK, or the connection's error (a fatal alert may be waiting
 * in the output: send it). LATCH_ERR_CLOSE_NOTIFY once the peer closed.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_feed(latch_conn *c, const uint8_t *data, size_t len, size_t *used);

/**
 * \brief Zero-copy input: where the next bytes from the peer may be written.
 * \param buf receives a pointer into the connection's input buffer.
 * \param cap receives how many bytes may be written there (never more than
 * the rest of the current record, so it may be small; 0 when data waits to
 * be read first, or too much output waits to be sent first).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_input_buffer(latch_conn *c, uint8_t **buf, size_t *cap);

/** \brief Process n bytes written into the buffer from latch_conn_input_buffer. */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_input_done(latch_conn *c, size_t n);

/**
 * \brief The bytes waiting to be sent to the peer.
 * \param data receives a pointer (valid until the next call on c), len the
 * count (0 if nothing waits).
 * \return LATCH_OK (also after a failure, so the alert can be sent).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_output(latch_conn *c, const uint8_t **data, size_t *len);

/**
 * \brief Report that n of the bytes from latch_conn_output were sent.
 * Records that were held back because too much output waited (see
 * latch_conn_feed) are processed here once the output has room; a failure
 * there becomes the connection's error (see latch_conn_state).
 */
LATCH_API void latch_conn_output_done(latch_conn *c, size_t n);

/**
 * \brief Read decrypted application data.
 * \return LATCH_OK with *n > 0; LATCH_ERR_WANT_READ if none is waiting;
 * LATCH_ERR_CLOSE_NOTIFY once the peer closed cleanly; or the connection's
 * error.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_read_app(latch_conn *c, uint8_t *buf, size_t cap, size_t *n);

/**
 * \brief Zero-copy read: the decrypted application data that comes next,
 * where it lies in the connection's buffer, instead of a copy.
 *
 * *data points at the next *len bytes (one record's worth at most; early
 * data first). They stay valid and unchanged until the next call on c that
 * is not latch_conn_read_view; latch_conn_read_consume then says how many
 * the application has used. Reading the same bytes with latch_conn_read_app
 * instead is fine: both take from the same place.
 * \return LATCH_OK with *len > 0; otherwise what latch_conn_read_app would
 * return (LATCH_ERR_WANT_READ, LATCH_ERR_CLOSE_NOTIFY, the connection's
 * error), with *data NULL and *len 0.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_read_view(latch_conn *c, const uint8_t **data, size_t *len);

/**
 * \brief Mark the first n bytes of the latest latch_conn_read_view as used:
 * the next view or read starts after them.
 * \return LATCH_OK; LATCH_ERR_INVALID_ARGUMENT if n is more than that view
 * held; or the connection's error (processing what follows can find one).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_read_consume(latch_conn *c, size_t n);

/**
 * \brief Encrypt application data for the peer.
 * Takes as much as fits in the output buffer (at least one full record when
 * the output is empty) and reports it in *used.
 * \return LATCH_OK; LATCH_ERR_WANT_WRITE when the output must be drained
 * first (or, during the handshake, LATCH_ERR_WANT_READ when the handshake is
 * not done); LATCH_ERR_CLOSED after latch_conn_close; or the connection's
 * error.
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_write_app(latch_conn *c, const uint8_t *data, size_t len,
                                                          size_t *used);

/**
 * \brief Send close_notify (then send the output and close the socket, or
 * keep reading until the peer's close_notify).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_close(latch_conn *c);

/**
 * \brief TLS 1.3: update our sending keys (KeyUpdate), and ask the peer to
 * update theirs when request_peer is true. latch also does this by itself
 * before a key reaches its usage limit.
 * \return LATCH_OK, LATCH_ERR_BAD_STATE (handshake not done, or TLS 1.2).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_key_update(latch_conn *c, bool request_peer);

/**
 * \brief Server, TLS 1.3: ask the client for a certificate now, after the
 * handshake (post-handshake authentication, RFC 8446 §4.6.2). The client's
 * answer arrives with later input; application data keeps flowing. When it
 * has been processed, latch_conn_verify_result() and the peer certificate
 * calls describe the client's certificate. A client that sends none gets
 * certificate_required under LATCH_CLIENT_AUTH_REQUIRE; otherwise the result
 * is LATCH_ERR_NO_CERTIFICATE. latch clients answer such requests by
 * themselves when they have certificates configured (they offer
 * post_handshake_auth then).
 * \return LATCH_OK; LATCH_ERR_BAD_STATE (not an established TLS 1.3 server
 * connection, the client did not offer post_handshake_auth, or a request is
 * already outstanding).
 */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_request_client_cert(latch_conn *c);

/* ---- What was negotiated ------------------------------------------------------- */

LATCH_API bool latch_conn_is_server(const latch_conn *c);
/** \brief LATCH_TLS13 or LATCH_TLS12 once known, else 0. */
LATCH_API uint16_t latch_conn_version(const latch_conn *c);
/** \brief The IANA cipher suite once known, else 0. */
LATCH_API uint16_t latch_conn_cipher_suite(const latch_conn *c);
/**
 * \brief The group of this handshake's key exchange, else 0: also 0 for TLS
 * 1.2 RSA key transport and a resumed TLS 1.2 session (neither has one) and
 * for TLS 1.3 psk_ke.
 */
LATCH_API uint16_t latch_conn_group(const latch_conn *c);
/**
 * \brief The signature scheme the peer signed with, else 0: on a client the
 * server's (its CertificateVerify in TLS 1.3, its ServerKeyExchange in TLS
 * 1.2; none with RSA key transport), on a server the client's
 * CertificateVerify, if it sent a certificate.
 */
LATCH_API uint16_t latch_conn_peer_sigalg(const latch_conn *c);
/** \brief The signature scheme this endpoint signed with (same messages), else 0. */
LATCH_API uint16_t latch_conn_sigalg(const latch_conn *c);
/** \brief The ALPN protocol agreed, or NULL. */
LATCH_API const char *latch_conn_alpn(const latch_conn *c);
/** \brief Client: the name given to latch_conn_new_client; server: the SNI received. NULL if none. */
LATCH_API const char *latch_conn_server_name(const latch_conn *c);
/** \brief Whether a HelloRetryRequest took place. */
LATCH_API bool latch_conn_hrr(const latch_conn *c);

/** \brief The number of certificates the peer sent (leaf first). */
LATCH_API size_t latch_conn_peer_cert_count(const latch_conn *c);
/** \brief The DER bytes of the peer's certificate i (valid while c lives). */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_peer_cert(const latch_conn *c, size_t i, const uint8_t **der,
                                                          size_t *len);
/** \brief Subject, issuer and subjectAltNames of the peer's certificate i, as text. */
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_peer_cert_subject(const latch_conn *c, size_t i, char *buf,
                                                                  size_t cap);
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_peer_cert_issuer(const latch_conn *c, size_t i, char *buf,
                                                                 size_t cap);
LATCH_API LATCH_MUST_CHECK latch_err latch_conn_peer_cert_sans(const latch_conn *c, size_t i, char *buf,
                                                               size_t cap);
/**
 * \brief The outcome of verifying the peer's certificate chain: LATCH_OK, a
 * CERT-class code (only seen with latch_config_insecure_no_verify or an
 * optional client certificate), or LATCH_ERR_NO_CERTIFICATE if the peer sent
 * none; LATCH_ERR_BAD_STATE before the peer's certificate was processed.
 */
LATCH_API latch_err latch_conn_verify_result(const latch_conn *c);

/* ---- Errors --------------------------------------------------------------------- */

/** \brief The connection's first (sticky) failure; code LATCH_OK if none. Never NULL. */
LATCH_API const latch_error_info *latch_conn_error(const latch_conn *c);

/**
 * \brief A one-line description of the connection's failure, e.g.
 * "certificate does not match the expected name: certificate for 'a.example'
 * ... (sent alert bad_certificate)". Returns the length it needed (like
 * snprintf).
 */
LATCH_API size_t latch_conn_error_string(const latch_conn *c, char *buf, size_t cap);

/* ---- Names --------------------------------------------------------------------------- */

/** \brief "TLSv1.3", "TLSv1.2", ... or "unknown". */
LATCH_API const char *latch_version_name(uint16_t version);
/** \brief IANA name of a cipher suite, or "unknown". */
LATCH_API const char *latch_suite_name(uint16_t suite);
/** \brief Name of a group ("x25519"), or "unknown". */
LATCH_API const char *latch_group_name(uint16_t group);
/** \brief RFC 8446 name of a signature scheme, or "unknown". */
LATCH_API const char *latch_sigalg_name(uint16_t scheme);

#ifdef __cplusplus
}
#endif
#endif
