/*
 * The states of each role, both versions (RFC 8446 Appendix A names for TLS
 * 1.3). One enum per role so that one table per role can name them all; the
 * TLS 1.3 edges live in client.c / server.c, the TLS 1.2 edges in
 * client12.c / server12.c.
 */
#ifndef LATCH_HS_STATES_H
#define LATCH_HS_STATES_H

enum latch_client_state {
    C_START,
    C_WAIT_SH,
    C13_WAIT_EE,
    C13_WAIT_CERT_CR,
    C13_WAIT_CERT,
    C13_WAIT_CV,
    C13_WAIT_FINISHED,
    C13_CONNECTED,
    C__COUNT
};

enum latch_server_state {
    S_START,
    S13_WAIT_CH2,
    S13_WAIT_EOED,
    S13_WAIT_CERT,
    S13_WAIT_CV,
    S13_WAIT_FINISHED,
    S13_CONNECTED,
    S13_PHA_WAIT_CERT, /* post-handshake authentication (RFC 8446 §4.6.2) */
    S13_PHA_WAIT_CV,
    S13_PHA_WAIT_FINISHED,
    S__COUNT
};

#endif
