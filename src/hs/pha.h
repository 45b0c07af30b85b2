/*
 * TLS 1.3 post-handshake client authentication (RFC 8446 §4.6.2): a client
 * that offered post_handshake_auth may be asked for a certificate at any
 * time after the handshake. Each exchange hashes the main handshake's
 * transcript (kept from the end of the handshake), the CertificateRequest,
 * Certificate and CertificateVerify; the Finished key comes from the
 * client's current application traffic secret.
 */
#ifndef LATCH_HS_PHA_H
#define LATCH_HS_PHA_H

#include "hs/hs.h"

typedef struct latch_pha {
    latch_transcript main; /* Hash(ClientHello .. client Finished) */
    latch_transcript cur;  /* main + this exchange so far */
    uint8_t context[16];   /* certificate_request_context of the pending request */
    size_t context_len;
    bool pending;          /* server: a request is outstanding */
} latch_pha;

/** Keep the transcript for later requests (end of a handshake where PHA is possible). */
LATCH_MUST_CHECK latch_err latch__pha_save(latch_conn *c);
void latch__pha_free(latch_conn *c);

/* Handlers for the state tables. */
LATCH_MUST_CHECK latch_err latch__pha_client_cr(latch_conn *c, const latch_hs_msg *m, uint8_t *next);
LATCH_MUST_CHECK latch_err latch__pha_server_cert(latch_conn *c, const latch_hs_msg *m, uint8_t *next);
LATCH_MUST_CHECK latch_err latch__pha_server_cv(latch_conn *c, const latch_hs_msg *m, uint8_t *next);
LATCH_MUST_CHECK latch_err latch__pha_server_fin(latch_conn *c, const latch_hs_msg *m, uint8_t *next);

#endif
