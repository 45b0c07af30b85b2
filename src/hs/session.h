/*
 * Sessions: what a connection remembers so that a later one can resume it,
 * in both versions, and how it travels.
 *
 * - latch_session is the in-memory form.
 * - latch_session_encode/decode give a versioned, bounds-checked binary form
 *   used inside server tickets, in the server cache, and for the client's
 *   exported sessions (latch_conn_session_export). Exported bytes hold the
 *   resumption secret: whoever has them can resume the session.
 * - Tickets (ticket.h) seal an encoded session under the server's rotating
 *   ticket keys; the cache (cache.h) keeps sessions on the server instead.
 */
#ifndef LATCH_HS_SESSION_H
#define LATCH_HS_SESSION_H

#include "core/rd.h"
#include "core/wipe.h"
#include "core/wr.h"

#include <latch/error.h>
#include <latch/provider.h>
#include <stdbool.h>
#include <stdint.h>

#define LATCH_TICKET_MAX 2048   /* largest ticket a client keeps (named limit) */
#define LATCH_SESSION_ID_MAX 32 /* TLS 1.2 session id */
#define LATCH_SESSION_ENCODED_MAX (LATCH_TICKET_MAX + 1024)
/* Times latch works with, in seconds since the epoch: 0 to 2^40 (the year
 * 36812). Clocks are clamped to it and sessions issued outside it are
 * refused, so that no sum or difference of times (ages in milliseconds
 * included) can overflow. */
#define LATCH_TIME_MAX ((int64_t)1 << 40)

typedef struct latch_session {
    uint16_t version; /* LATCH_TLS13 or LATCH_TLS12 */
    uint16_t suite;   /* the cipher suite it was established with */
    /* TLS 1.3: the PSK derived for this ticket (RFC 8446 §4.6.1);
     * TLS 1.2: the master secret. */
    latch_secret secret;
    int64_t issued;            /* when the ticket was issued (seconds since the epoch) */
    uint32_t lifetime;         /* seconds the session may be resumed for */
    uint32_t age_add;          /* TLS 1.3 ticket_age_add */
    uint32_t max_early_data;   /* TLS 1.3: 0-RTT bytes the server accepts, 0 = none */
    bool ems;                  /* TLS 1.2: the session used extended_master_secret */
    bool external;             /* an external PSK (not resumption) */
    bool verified;             /* the peer's certificate verified when the session was made */
    uint8_t alpn_len;
    char alpn[255];            /* the ALPN protocol agreed (0-RTT must agree again) */
    uint8_t sni_len;
    char sni[255];             /* the server name it was established for */
    uint8_t sid_len;
    uint8_t sid[LATCH_SESSION_ID_MAX]; /* TLS 1.2 session id */
    uint16_t ticket_len;
    uint8_t ticket[LATCH_TICKET_MAX]; /* client side: the ticket to offer */
} latch_session;

/** Serialize s (the ticket bytes included when include_ticket). */
LATCH_MUST_CHECK latch_err latch_session_encode(const latch_session *s, bool include_ticket, latch_wr *w);

/** Parse bytes made by latch_session_encode; LATCH_ERR_DECODE on anything else. */
LATCH_MUST_CHECK latch_err latch_session_decode(latch_rd r, latch_session *s);

/** Whether s may still be resumed at time now. */
bool latch_session_fresh(const latch_session *s, int64_t now);

/** Wipe (the secret included). */
void latch_session_wipe(latch_session *s);

#endif
