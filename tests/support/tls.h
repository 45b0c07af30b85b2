/*
 * In-memory TLS test support: a per-process test PKI for each key type
 * (minted once), configs built from it, and a client/server pair whose bytes
 * move through memory.
 */
#ifndef LATCH_TEST_TLS_H
#define LATCH_TEST_TLS_H

#include <latch/latch.h>

#define TPEM_MAX 16384

typedef struct tpki {
    latch_key_type type;
    char ca_name[64];
    char ca[TPEM_MAX], ca_key[TPEM_MAX];
    char server[TPEM_MAX], server_key[TPEM_MAX]; /* leaf then CA; localhost, 127.0.0.1 */
    char client[TPEM_MAX], client_key[TPEM_MAX]; /* CN "test client", clientAuth */
} tpki;

/** The test PKI for a key type (minted on first use; aborts on failure). */
const tpki *tpki_get(latch_key_type type);

/** Mint a leaf from spec, issued by tpki_get(ca_type)'s CA; out gets leaf+CA. Aborts on failure. */
void tpki_leaf(latch_key_type ca_type, const latch_cert_spec *spec, char *cert, char *key);

/** A server config with the PKI's server chain. */
latch_config *tcfg_server(latch_key_type type);
/** A client config trusting the PKI's CA (of ca_type). */
latch_config *tcfg_client(latch_key_type ca_type);

typedef struct tpair {
    latch_conn *c, *s;
    latch_err ce, se; /* last error seen on each side */
} tpair;

/** Create both connections (the client for `name`). */
latch_err tpair_new(tpair *p, latch_config *ccfg, latch_config *scfg, const char *name);
/** Move bytes both ways until both handshakes are done, one fails, or nothing moves. */
latch_err tpair_handshake(tpair *p);
/** Move what `from` has to send into `to`; returns to's feed result. */
latch_err tpump(latch_conn *from, latch_conn *to);
/** Send msg from one side and check the other reads exactly it. Returns 0 on success. */
int tpair_roundtrip(latch_conn *from, latch_conn *to, const uint8_t *msg, size_t len);
void tpair_free(tpair *p);

#endif
