/*
 * The handshake engine: state tables, the dispatcher, and the state a
 * handshake needs while it runs (struct latch_hs).
 *
 * Each role has one enum of states (both versions; RFC 8446 Appendix A names
 * for TLS 1.3) and one const table of edges {state, content type, message
 * type, handler, allowed next states, flags} (src/hs/client.c, server.c).
 * Only the dispatcher (machine.c) moves between states, in this order:
 *   1. find the edge for (state, content type, message type), or fail with
 *      unexpected_message;
 *   2. enforce the record-boundary flag;
 *   3. snapshot the transcript hash when the handler needs the hash before
 *      this message (CertificateVerify, Finished), then add the message to
 *      the transcript (unless the edge says the handler does it: hellos, or
 *      the message is not part of the transcript: post-handshake messages);
 *   4. call the handler;
 *   5. check that the state it returned is one the edge allows;
 *   6. entering a connected state, check the proof bits.
 */
#ifndef LATCH_HS_H
#define LATCH_HS_H

#include "conn.h"
#include "hs/keysched12.h"

/* Edge flags. */
#define LATCH_HSF_END_OF_RECORD 0x01u /* a key change follows: the message must end its record */
#define LATCH_HSF_OWN_TRANSCRIPT 0x02u /* the handler adds the message to the transcript itself */
#define LATCH_HSF_NO_TRANSCRIPT 0x04u  /* not part of the transcript (post-handshake) */
#define LATCH_HSF_PRIOR_HASH 0x08u     /* snapshot Hash(messages before this one) into hs->th_prior */

/* Handlers receive a latch_hs_msg (src/record/hsframe.h): type, body,
 * whole message (what the transcript hashes), and end_of_record. */

typedef latch_err (*latch_hs_handler)(latch_conn *c, const latch_hs_msg *m, uint8_t *next);

typedef struct latch_hs_edge {
    uint8_t state;
    uint8_t content_type; /* LATCH_CT_HANDSHAKE, or LATCH_CT_CHANGE_CIPHER_SPEC for TLS 1.2 */
    uint8_t hs_type;
    latch_hs_handler handler;
    uint64_t next; /* bit (1 << s) for each state s the handler may move to */
    uint8_t flags;
} latch_hs_edge;

typedef struct latch_hs_table {
    const char *role; /* "client" / "server" */
    const latch_hs_edge *edges; /* TLS 1.3 (and the common hello states) */
    size_t n_edges;
    const latch_hs_edge *edges12; /* TLS 1.2 (src/hs/client12.c, server12.c) */
    size_t n_edges12;
    const char *const *state_names; /* indexed by state */
    size_t n_states;
    uint64_t connected; /* states in which the handshake is complete */
    uint8_t required_proofs13; /* proofs that must hold on entering a TLS 1.3 connected state */
} latch_hs_table;

#define LATCH_S(s) (UINT64_C(1) << (s))

extern const latch_hs_table latch__client_table;
extern const latch_hs_table latch__server_table;

/* The TLS 1.2 edges (client12.c, server12.c), the edges12 of the tables. */
#define LATCH_CLIENT_EDGES12 12
#define LATCH_SERVER_EDGES12 8
extern const latch_hs_edge latch__client_edges12[LATCH_CLIENT_EDGES12];
extern const latch_hs_edge latch__server_edges12[LATCH_SERVER_EDGES12];

/** Dispatch one handshake-layer message (or a TLS 1.2 ChangeCipherSpec). */
LATCH_MUST_CHECK latch_err latch__hs_dispatch(latch_conn *c, uint8_t content_type, const latch_hs_msg *m);

/** The table of the connection's role. */
const latch_hs_table *latch__hs_table(const latch_conn *c);

/** The name of a state of the connection's role. */
const char *latch__hs_state_name(const latch_conn *c, uint8_t state);

/* ---- Handshake-time state ------------------------------------------------------ */

#define LATCH_HS_MAX_SHARES 3

struct latch_hs {
    latch_transcript th;
    uint8_t th_prior[LATCH_HASH_MAX_LEN]; /* Hash(messages before the current one) */
    latch_ks13 ks;
    latch_secret c_hs, s_hs; /* handshake traffic secrets */
    latch_secret c_ap, s_ap; /* application traffic secrets, until installed */

    /* Messages being sent: whole handshake messages, not yet in records. */
    uint8_t *out;
    size_t out_len, out_cap;

    /* Client. */
    uint16_t offered_versions[2];
    size_t n_offered_versions;
    uint16_t offered_suites[LATCH_MAX_SUITES + 1];
    size_t n_offered_suites;
    uint16_t share_groups[LATCH_HS_MAX_SHARES];
    latch_kx_key *share_keys[LATCH_HS_MAX_SHARES];
    size_t n_shares;
    uint8_t session_id[32];
    uint8_t session_id_len;
    uint16_t grease[2];
    uint8_t *cookie; /* from a HelloRetryRequest */
    size_t cookie_len;
    uint16_t hrr_suite;
    uint16_t hrr_group;
    bool sent_ccs; /* middlebox compatibility CCS already sent */
    bool cert_requested;
    bool sni_sent;
    bool alpn_offered;
    const latch_session *psk_session; /* client: the session or external PSK offered */
    latch_secret psk;                 /* the PSK of the offered / accepted session */
    uint8_t psk_hash;                 /* its hash (LATCH_HASH_*) */
    bool psk_offered;
    bool psk_dhe;                     /* psk_dhe_ke (else psk_ke) */
    bool early_offered;               /* client: early_data sent in the ClientHello */
    latch_secret c_e;                 /* client_early_traffic_secret */

    /* Server. */
    const latch_chain *chain; /* chosen identity (owned by the config) */
    uint8_t cookie_expect[32]; /* our HRR cookie, echoed in ClientHello2 */
    bool client_compat;        /* the client sent a legacy_session_id: answer with CCS */
    bool sni_matched;
    bool pha_offered;          /* the client sent post_handshake_auth */
    uint8_t cr_context[8];     /* certificate_request_context we sent, if any */
    size_t cr_context_len;
    latch_session psk_accepted; /* server: the session a PSK resumed */
    int psk_index;              /* its place in the client's list, -1 if none */

    /* TLS 1.2 (client12.c, server12.c, tls12.c). */
    latch_secret master;    /* master_secret */
    latch_keys12 keys;      /* write keys and IVs, until both directions are installed */
    bool ems;               /* extended_master_secret negotiated (RFC 7627) */
    bool ticket_expected;   /* client: the server will send a NewSessionTicket */
    bool compat_sid;        /* client: session_id is a random TLS 1.3 compatibility one */
    bool client_cert;       /* server: the client sent a certificate (a CertificateVerify follows) */
    uint16_t client_version; /* server: ClientHello.legacy_version, for the RSA premaster check */
    uint16_t kx_group;      /* ECDHE group of the ServerKeyExchange */
    latch_kx_key *kx_key;   /* server: its ECDHE key until the ClientKeyExchange */
    uint8_t peer_point[LATCH_KX_MAX_PUB]; /* client: the server's ECDHE public key */
    size_t peer_point_len;
    /* The handshake messages themselves, kept while a TLS 1.2
     * CertificateVerify may have to be signed or checked: RFC 5246 §7.4.8
     * signs handshake_messages, and the provider signs messages, not
     * digests (this also serves Ed25519, which has no pre-hash). */
    uint8_t *msgs;
    size_t msgs_len, msgs_cap;
    bool keep_msgs;
    /* TLS 1.2 sessions (RFC 5246 §7.3 session IDs, RFC 5077 tickets). */
    bool offer12;           /* client: c->session (TLS 1.2) is offered */
    bool issue_ticket;      /* server: a NewSessionTicket goes before our ChangeCipherSpec */
    uint8_t sid12[32];      /* the session id of this TLS 1.2 session (client: the server's; server: ours) */
    uint8_t sid12_len;
    uint8_t ticket12[LATCH_TICKET_MAX]; /* client: the ticket received */
    uint16_t ticket12_len;
    uint32_t ticket12_hint; /* its ticket_lifetime_hint */
    bool ticket12_received;
};

/** Client: check and keep the server name; the ClientHello waits for first use. */
LATCH_MUST_CHECK latch_err latch__client_init(latch_conn *c, const char *server_name);
/** Client: build and queue the ClientHello (first output/feed). */
LATCH_MUST_CHECK latch_err latch__client_start(latch_conn *c);
/** Server: wait for a ClientHello. */
LATCH_MUST_CHECK latch_err latch__server_start(latch_conn *c);

/** Allocate the handshake state and start the transcript. */
LATCH_MUST_CHECK latch_err latch__hs_new(latch_conn *c);
/** Free the handshake state, wiping every secret and destroying unused keys. */
void latch__hs_free(latch_conn *c);

/**
 * Append a handshake message built by `build` into hs->out, add it to the
 * transcript (unless no_transcript) and trace it. build writes the whole
 * message (header included) into the writer.
 */
typedef latch_err (*latch_hs_builder)(latch_conn *c, latch_wr *w, const void *arg);
LATCH_MUST_CHECK latch_err latch__hs_send(latch_conn *c, uint8_t type, latch_hs_builder build, const void *arg,
                                          bool no_transcript);

/**
 * Add a whole handshake message to the transcript and, while hs->keep_msgs,
 * to hs->msgs. Every message of the handshake goes through here.
 */
LATCH_MUST_CHECK latch_err latch__hs_transcript_add(latch_conn *c, const uint8_t *msg, size_t len);

/** Stop keeping handshake messages and free them. */
void latch__hs_drop_msgs(latch_conn *c);

/** Protect everything in hs->out under the current write keys and queue it. */
LATCH_MUST_CHECK latch_err latch__hs_flush(latch_conn *c);

/** Trace a received handshake message with a one-line summary (see trace.c). */
void latch__hs_trace_msg(latch_conn *c, bool sent, uint8_t type, latch_rd whole);

/* Shared TLS 1.3 pieces (tls13.c). */
LATCH_MUST_CHECK latch_err latch__tls13_handshake_keys(latch_conn *c, const uint8_t *dhe, size_t dhe_len);
LATCH_MUST_CHECK latch_err latch__tls13_app_secrets(latch_conn *c);
/** 0-RTT: the Early Secret from hs->psk and the early traffic keys (write: client, read: server). */
LATCH_MUST_CHECK latch_err latch__tls13_early_keys(latch_conn *c, bool write);
LATCH_MUST_CHECK latch_err latch__tls13_send_finished(latch_conn *c);
LATCH_MUST_CHECK latch_err latch__tls13_verify_finished(latch_conn *c, const latch_hs_msg *m);
LATCH_MUST_CHECK latch_err latch__tls13_send_cert_and_cv(latch_conn *c, const latch_chain *chain, uint16_t scheme,
                                                         const uint8_t *context, size_t context_len);
/** A peer's Certificate; context: what its certificate_request_context must be. */
LATCH_MUST_CHECK latch_err latch__tls13_recv_cert(latch_conn *c, const latch_hs_msg *m, const uint8_t *context,
                                                  size_t context_len, bool *empty);
/** A peer's CertificateVerify over transcript hash th (the messages before it). */
LATCH_MUST_CHECK latch_err latch__tls13_recv_cv(latch_conn *c, const latch_hs_msg *m, const uint16_t *allowed,
                                                size_t n_allowed, const uint8_t *th);
LATCH_MUST_CHECK latch_err latch__tls13_recv_key_update(latch_conn *c, const latch_hs_msg *m, uint8_t *next);
LATCH_MUST_CHECK latch_err latch__tls13_send_key_update(latch_conn *c, bool request);
/** The DER certificates of chain (NULL: none) into certs; returns how many. */
size_t latch__chain_certs(const latch_chain *chain, latch_rd certs[LATCH_MAX_CHAIN_CERTS]);
/**
 * A parsed Certificate message becomes c->peer (both versions): an empty one
 * is allowed only from a client (*empty set, verify_result NO_CERTIFICATE);
 * more certificates than the configured limit is CERT_CHAIN_TOO_LONG.
 */
LATCH_MUST_CHECK latch_err latch__take_peer_certs(latch_conn *c, const latch_certificate *ct, bool *empty);
/** Verify the peer chain in c->peer against the config, recording c->verify_result. */
LATCH_MUST_CHECK latch_err latch__verify_peer(latch_conn *c, bool peer_is_client);

/* Shared TLS 1.2 pieces (tls12.c). */
/** The client's ServerHello handler for a TLS 1.2 ServerHello (client12.c). */
LATCH_MUST_CHECK latch_err latch__client12_sh(latch_conn *c, const latch_server_hello *sh, const latch_hs_msg *m,
                                              uint8_t *next);
/** The server's ClientHello handler once TLS 1.2 is chosen (server12.c). */
LATCH_MUST_CHECK latch_err latch__server12_ch(latch_conn *c, const latch_client_hello *ch, const latch_hs_msg *m,
                                              uint8_t *next);
/** Client: whether c->session can be offered for TLS 1.2 resumption. */
bool latch__client12_can_offer(const latch_conn *c);
/** Whether a certificate key may authenticate a TLS 1.2 suite (type, and
 *  RSA size for key transport); on false *why names the reason. */
bool latch__tls12_key_fits_suite(const latch_suite *s, latch_pkey_info key, const char **why);
/** Send a Certificate in the TLS 1.2 form (chain NULL: an empty one). */
LATCH_MUST_CHECK latch_err latch__tls12_send_cert(latch_conn *c, const latch_chain *chain);
/** Receive a TLS 1.2 Certificate into c->peer and verify it. */
LATCH_MUST_CHECK latch_err latch__tls12_recv_cert(latch_conn *c, const latch_hs_msg *m, bool *empty);
/** master_secret (or the extended one) from the premaster, then the keys. */
LATCH_MUST_CHECK latch_err latch__tls12_master(latch_conn *c, const uint8_t *pms, size_t pms_len);
/** Sign hs->msgs[0..len) for a CertificateVerify and send it. */
LATCH_MUST_CHECK latch_err latch__tls12_send_cv(latch_conn *c, const latch_chain *chain, uint16_t scheme);
/** Check a CertificateVerify over hs->msgs, before this message. */
LATCH_MUST_CHECK latch_err latch__tls12_recv_cv(latch_conn *c, const latch_hs_msg *m);
/** Flush the flight, send ChangeCipherSpec, switch to the new write keys,
 *  send Finished and flush it. */
LATCH_MUST_CHECK latch_err latch__tls12_send_ccs_finished(latch_conn *c);
/** A ChangeCipherSpec from the peer: check it and switch to its keys. */
LATCH_MUST_CHECK latch_err latch__tls12_recv_ccs(latch_conn *c, const latch_hs_msg *m);
/** Check the peer's Finished (against hs->th_prior). */
LATCH_MUST_CHECK latch_err latch__tls12_verify_finished(latch_conn *c, const latch_hs_msg *m);

/** The ALPN answer of a server (EncryptedExtensions or a TLS 1.2 ServerHello), checked against our offer. */
LATCH_MUST_CHECK latch_err latch__client_take_alpn(latch_conn *c, latch_rd data);
/** The server's ALPN choice: our first protocol the client offered; empty if none. */
LATCH_MUST_CHECK latch_err latch__server_pick_alpn(latch_conn *c, const latch_client_hello *ch, latch_rd *alpn);
/** With latch_config_set_strict_sni: refuse a server name (from the ClientHello) no configured chain matches. */
LATCH_MUST_CHECK latch_err latch__server_check_name(latch_conn *c, latch_rd sni);

/* Negotiation helpers (negotiate.c). */
/** Can `chain`'s key sign with `scheme` in TLS 1.3? */
bool latch__sig_fits_key(const latch_sig_alg *alg, latch_pkey_info info, bool tls13);
/**
 * Pick the first scheme of the peer's list (peer order) that we allow, that
 * fits the key, and that the version permits; 0 if none.
 */
uint16_t latch__pick_sigalg(const latch_conn *c, latch_u16s peer, latch_pkey_info key, bool tls13);
/**
 * A client's certificate for a CertificateRequest (*out NULL: none, send an
 * empty Certificate; *scheme receives the scheme). Without a callback, the
 * first configured chain whose key can sign with a scheme in sigalgs (and
 * ours), whose key type is in cert_types (TLS 1.2; an empty view: no
 * constraint) and, when cas (a DistinguishedName list body) is not empty,
 * that one of those CAs issued. With the config's client_cert_cb, the
 * chain it chooses; HANDSHAKE_FAILURE if it chooses one that cannot answer.
 */
LATCH_MUST_CHECK latch_err latch__pick_client_chain_ex(latch_conn *c, latch_u16s sigalgs, latch_rd cas,
                                                       latch_rd cert_types, bool tls13, bool pha,
                                                       const latch_chain **out, uint16_t *scheme);
bool latch__u16_in(const uint16_t *list, size_t n, uint16_t v);
/**
 * Client: our chain for a TLS 1.3 CertificateRequest (latch__pick_client_chain_ex
 * on its signature_algorithms and certificate_authorities); NULL if none
 * (then an empty Certificate is sent).
 */
LATCH_MUST_CHECK latch_err latch__pick_client_chain(latch_conn *c, const latch_certificate_request *cr, bool pha,
                                                    const latch_chain **out, uint16_t *scheme);
/** The most CA names a server lists in a CertificateRequest. */
#define LATCH_CA_LIST_MAX 64
/**
 * Server: the CAs a CertificateRequest names (into cas[LATCH_CA_LIST_MAX],
 * count returned): the distinct subjects of our trust anchors when the
 * config sends a list, and all of them or none: none when there are more
 * than LATCH_CA_LIST_MAX or their encoding exceeds 2^16-1 bytes.
 */
size_t latch__cr_cas(const latch_conn *c, latch_rd *cas);
/**
 * Server: what a TLS 1.3 CertificateRequest lists: the signature schemes we
 * accept (into schemes[LATCH_MAX_SIGALGS], count returned) and the CAs
 * (latch__cr_cas, count in *n_cas).
 */
size_t latch__cr_lists(latch_conn *c, uint16_t *schemes, latch_rd *cas, size_t *n_cas);

#endif
