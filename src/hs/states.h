/*
 * The states of each role, both versions (RFC 8446 Appendix A names for TLS
 * 1.3; for TLS 1.2, named after the message awaited, RFC 5246 §7.3). One
 * enum per role so that one table per role can name them all; the TLS 1.3
 * edges live in client.c / server.c, the TLS 1.2 edges in client12.c /
 * server12.c. The hello states (START, WAIT_SH) are shared: the ServerHello
 * or ClientHello decides the version.
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
    C12_WAIT_CERT,      /* server Certificate */
    C12_WAIT_SKE,       /* ServerKeyExchange (ECDHE suites) */
    C12_WAIT_CR_DONE,   /* CertificateRequest or ServerHelloDone */
    C12_WAIT_DONE,      /* ServerHelloDone after a CertificateRequest */
    C12_WAIT_NST,       /* NewSessionTicket (the server said one follows) */
    C12_WAIT_CCS,       /* the server's ChangeCipherSpec */
    C12_WAIT_FINISHED,  /* the server's Finished */
    C12_CONNECTED,
    C12_RESUME_WAIT_NST, /* abbreviated handshake: NewSessionTicket before CCS */
    C12_RESUME_WAIT_CCS, /* abbreviated handshake: the server's CCS comes first */
    C12_RESUME_WAIT_FINISHED,
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
    S12_WAIT_CERT,      /* the client's Certificate (we sent a CertificateRequest) */
    S12_WAIT_CKE,       /* ClientKeyExchange */
    S12_WAIT_CV,        /* the client's CertificateVerify (it sent a certificate) */
    S12_WAIT_CCS,       /* the client's ChangeCipherSpec */
    S12_WAIT_FINISHED,  /* the client's Finished */
    S12_CONNECTED,
    S12_RESUME_WAIT_CCS, /* abbreviated handshake: the client's CCS after ours */
    S12_RESUME_WAIT_FINISHED,
    S__COUNT
};

#endif
