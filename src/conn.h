/*
 * The connection's internals, shared by conn.c (the public sans-IO API and
 * the record dispatch) and src/hs/ (the handshake state machines).
 *
 * Memory: a connection allocates its record buffers when it first needs
 * them and its handshake state (struct latch_hs) for the handshake only; the
 * handshake state is freed when the handshake completes, and the record
 * buffers are released whenever they are empty after the handshake, so an
 * idle established connection holds little more than this struct.
 */
#ifndef LATCH_CONN_INT_H
#define LATCH_CONN_INT_H

#include <latch/conn.h>

#include "config.h"
#include "core/err.h"
#include "core/wipe.h"
#include "hs/keysched13.h"
#include "hs/session.h"
#include "hs/suites.h"
#include "hs/transcript.h"
#include "msg/msg.h"
#include "record/hsframe.h"
#include "record/record.h"
#include "x509/verify.h"

typedef struct latch_hs latch_hs;

/* Proof bits (STYLE.md §4): set only inside the verifying functions. */
#define LATCH_PROOF_CERT 0x01u /* the peer's certificate chain is acceptable */
#define LATCH_PROOF_CV 0x02u   /* the peer proved it holds the certificate's key */
#define LATCH_PROOF_FIN 0x04u  /* the peer's Finished matched the transcript */
#define LATCH_PROOF_PSK 0x08u  /* the peer proved knowledge of the PSK (binder) */

struct latch_conn {
    latch_config *cfg;
    const latch_provider *prov;
    const latch_allocator *alloc;
    void *user;
    bool is_server;

    /* The first failure sticks. */
    latch_err err;
    latch_error_info errinfo;
    char *err_detail; /* allocated on failure */
    const char *alert_hint; /* what a fatal alert received most likely means, or NULL */

    /* Record protection, one state per direction. */
    latch_rec_dir rd;
    latch_rec_dir wr;

    /* Input: records from the peer, in[in_head..in_len); several may wait
     * (read-ahead), each is decrypted in place when it is complete. */
    uint8_t *in;
    size_t in_cap;
    size_t in_head;
    size_t in_len;
    size_t in_hwm;   /* the most bytes `in` has held: what to wipe when it goes */
    size_t app_off;  /* decrypted application data waiting in `in` */
    size_t app_len;
    latch_hsframe hsf;
    size_t empty_records;
    size_t early_skipped; /* bytes of rejected 0-RTT data skipped */
    bool skip_early;      /* the client offered 0-RTT that we did not accept */

    /* Output: records waiting to be sent, out[out_head..out_tail). */
    uint8_t *out;
    size_t out_cap;
    size_t out_head;
    size_t out_tail;

    /* Handshake. */
    latch_hs *hs;     /* NULL once the handshake is over */
    uint8_t state;    /* a state of the role's table (src/hs/client.c, server.c) */
    uint8_t proofs;   /* LATCH_PROOF_* */
    bool handshake_done;
    bool sent_close;
    bool recv_close;

    /* What was negotiated. */
    uint16_t version;
    const latch_suite *suite;
    const latch_hash_alg *hash;
    const latch_aead_alg *aead;
    uint16_t group;
    uint16_t sigalg;
    uint16_t peer_sigalg;
    bool did_hrr;
    char *server_name; /* NULL if none; allocated to size */
    char *alpn;        /* NULL if none; allocated to size */
    uint8_t client_random[32];
    uint8_t server_random[32];

    /* The peer's certificates and what verifying them said. */
    latch_peer *peer;
    latch_err verify_result;
    bool verify_done;

    /* TLS 1.3 secrets kept after the handshake. */
    latch_secret rd_secret; /* current read traffic secret (KeyUpdate) */
    latch_secret wr_secret; /* current write traffic secret */
    latch_secret exporter_secret;
    latch_secret resumption_secret;
    bool key_update_pending; /* we owe the peer a KeyUpdate (it asked) */

    /* Resumption. */
    bool client_pending;    /* client: the ClientHello is built on first use */
    bool resumed;           /* this handshake used a PSK */
    latch_session *session; /* client: session to offer, then the newest ticket received */
    unsigned tickets_received;
    struct latch_pha *pha;  /* post-handshake authentication state, if possible */

    /* 0-RTT. */
    latch_early_status early;
    uint8_t *early_buf;     /* client: early data to send (or resend) */
    size_t early_len;
    bool early_reading;     /* server: application data now is early data */
    size_t early_received;
    uint8_t *early_in;      /* server: early data not yet read (read before later data) */
    size_t early_in_off, early_in_len, early_in_cap;
};

/* ---- Names ---------------------------------------------------------------------- */

/** Keep n bytes of p as *dst (a NUL-terminated copy, replacing any old one). */
LATCH_MUST_CHECK latch_err latch__conn_set_str(latch_conn *c, char **dst, const uint8_t *p, size_t n);

/** s gets the connection's ALPN protocol and server name. */
void latch__conn_session_names(const latch_conn *c, latch_session *s);

/** p, or "" for NULL. */
static inline const char *latch__str(const char *p)
{
    return p != NULL ? p : "";
}

/* ---- Failing -------------------------------------------------------------------- */

/**
 * Make e the connection's sticky error (if none yet), copying where it was
 * recorded, and queue the fatal alert derived from it. Returns the sticky
 * error. WANT codes pass through untouched.
 */
latch_err latch__conn_fail(latch_conn *c, latch_err e);

/** Record that the peer sent a fatal alert. */
latch_err latch__conn_peer_alert(latch_conn *c, uint8_t level, uint8_t desc);

/* ---- Output --------------------------------------------------------------------- */

/** Protect and queue one record of `type` carrying data[0..len) (len <= 2^14). */
LATCH_MUST_CHECK latch_err latch__conn_send_record(latch_conn *c, uint8_t type, const uint8_t *data, size_t len);

/** Queue a ChangeCipherSpec record (always in the clear). */
LATCH_MUST_CHECK latch_err latch__conn_send_ccs(latch_conn *c);

/** Queue an alert record under the current write protection. */
LATCH_MUST_CHECK latch_err latch__conn_send_alert(latch_conn *c, uint8_t level, uint8_t desc);

/* ---- Keys ------------------------------------------------------------------------- */

/**
 * Install TLS 1.3 traffic keys derived from `secret` for one direction
 * (write = true: what we send), and keep the secret for KeyUpdate when keep.
 */
LATCH_MUST_CHECK latch_err latch__conn_set_keys13(latch_conn *c, bool write, const latch_secret *secret,
                                                  const char *what);

/**
 * Install TLS 1.2 AEAD keys for one direction (write = true: what we send):
 * key[0..aead->key_len) and the fixed IV (4 bytes for AES-GCM, 12 for
 * ChaCha20-Poly1305).
 */
LATCH_MUST_CHECK latch_err latch__conn_set_keys12(latch_conn *c, bool write, const uint8_t *key, const uint8_t *iv,
                                                  size_t iv_len);

/** Emit a key log line "<label> <client random> <secret>" if key logging is on. */
void latch__conn_keylog(latch_conn *c, const char *label, const latch_secret *secret);

/* ---- Trace --------------------------------------------------------------------------- */

/** Report an event to the trace callback, if any (summary is printf-formatted). */
void latch__conn_trace(latch_conn *c, latch_trace_kind kind, bool sent, uint8_t code, const char *name,
                       size_t length, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static inline bool latch__conn_tracing(const latch_conn *c)
{
    return c->cfg->trace != NULL;
}

#endif
