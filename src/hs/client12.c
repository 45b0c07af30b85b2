/*
 * The client's TLS 1.2 edges and handlers (RFC 5246 §7.3, RFC 8422, RFC 7627,
 * RFC 5746, RFC 5077). client.c's ServerHello handler hands a TLS 1.2
 * ServerHello here once versions and the downgrade sentinel are checked.
 *
 *   WAIT_SH  --ServerHello--> WAIT_CERT
 *   WAIT_CERT --Certificate--> WAIT_SKE (ECDHE) or WAIT_CR_DONE (RSA key transport)
 *   WAIT_SKE --ServerKeyExchange--> WAIT_CR_DONE
 *   WAIT_CR_DONE --CertificateRequest--> WAIT_DONE
 *   WAIT_CR_DONE, WAIT_DONE --ServerHelloDone / send [Certificate,]
 *              ClientKeyExchange, [CertificateVerify,] ChangeCipherSpec,
 *              Finished--> WAIT_NST (a ticket was promised) or WAIT_CCS
 *   WAIT_NST --NewSessionTicket--> WAIT_CCS
 *   WAIT_CCS --ChangeCipherSpec--> WAIT_FINISHED
 *   WAIT_FINISHED --Finished--> CONNECTED
 *   CONNECTED --HelloRequest / warning no_renegotiation--> CONNECTED
 *
 * Resumption (RFC 5246 §7.3 abbreviated handshake; RFC 5077 §3.1): when the
 * ServerHello echoes the session id we offered with a saved session (its
 * own, or RFC 5077 §3.4's random one sent with a ticket):
 *   WAIT_SH --ServerHello--> RESUME_WAIT_NST (a new ticket follows) or RESUME_WAIT_CCS
 *   RESUME_WAIT_NST --NewSessionTicket--> RESUME_WAIT_CCS
 *   RESUME_WAIT_CCS --ChangeCipherSpec--> RESUME_WAIT_FINISHED
 *   RESUME_WAIT_FINISHED --Finished / send ChangeCipherSpec, Finished--> CONNECTED
 * Only sessions made with extended_master_secret are kept and offered
 * (RFC 7627 §5.3), and a resumption must use it again.
 *
 * Renegotiation is refused (RFC 5746 is implemented only so that a peer can
 * tell that we never renegotiate): a HelloRequest is answered with a
 * no_renegotiation warning and the connection goes on.
 */
#include "hs/hs.h"
#include "hs/states.h"

#include "core/alloc.h"

#include <string.h>

/* ---- ServerHello ------------------------------------------------------------------ */

static latch_err check_extensions(latch_conn *c, const latch_server_hello *sh)
{
    latch_hs *hs = c->hs;
    latch_rd ri;

    /* RFC 5746 §3.4: the client "MUST check if the "renegotiation_info"
     * extension is included in the ServerHello"; without it the server may
     * splice our handshake onto another (we refuse, as OpenSSL 3 does), and
     * on an initial handshake it must be empty. */
    LATCH_ENSURE(latch_exts_has(&sh->exts, LATCH_X_RENEGOTIATION_INFO), LATCH_ERR_HANDSHAKE_FAILURE,
                 "the TLS 1.2 server does not support secure renegotiation (RFC 5746 renegotiation_info)");
    LATCH_TRY(latch_ext_reneg_parse(sh->exts.data[LATCH_X_RENEGOTIATION_INFO], &ri));
    LATCH_ENSURE(ri.len == 0, LATCH_ERR_HANDSHAKE_FAILURE,
                 "renegotiation_info is not empty on an initial handshake (RFC 5746 §3.4)");
    if (latch_exts_has(&sh->exts, LATCH_X_EXTENDED_MASTER_SECRET)) {
        LATCH_TRY(latch_ext_empty_parse(sh->exts.data[LATCH_X_EXTENDED_MASTER_SECRET]));
        hs->ems = true;
    }
    if (latch_exts_has(&sh->exts, LATCH_X_EC_POINT_FORMATS)) {
        LATCH_TRY(latch_ext_point_formats_parse(sh->exts.data[LATCH_X_EC_POINT_FORMATS]));
    }
    if (latch_exts_has(&sh->exts, LATCH_X_SESSION_TICKET)) {
        /* RFC 5077 §3.2: empty, and a NewSessionTicket will follow. */
        LATCH_TRY(latch_ext_empty_parse(sh->exts.data[LATCH_X_SESSION_TICKET]));
        hs->ticket_expected = true;
    }
    if (latch_exts_has(&sh->exts, LATCH_X_SERVER_NAME)) {
        LATCH_TRY(latch_ext_empty_parse(sh->exts.data[LATCH_X_SERVER_NAME]));
    }
    if (latch_exts_has(&sh->exts, LATCH_X_ALPN)) {
        LATCH_TRY(latch__client_take_alpn(c, sh->exts.data[LATCH_X_ALPN]));
    }
    return LATCH_OK;
}

bool latch__client12_can_offer(const latch_conn *c)
{
    const latch_session *s = c->session;
    const latch_hs *hs = c->hs;

    /* A fresh TLS 1.2 session made with EMS (RFC 7627 §5.3), for a suite we
     * offer, and for this server name (RFC 6066 §3). */
    return s != NULL && s->version == LATCH_TLS12 && !s->external && s->ems &&
           latch_session_fresh(s, latch__config_now(c->cfg)) && (s->ticket_len > 0 || s->sid_len > 0) &&
           latch__u16_in(hs->offered_versions, hs->n_offered_versions, LATCH_TLS12) &&
           latch__u16_in(hs->offered_suites, hs->n_offered_suites, s->suite) && s->sni_len == strlen(latch__str(c->server_name)) &&
           memcmp(s->sni, latch__str(c->server_name), s->sni_len) == 0;
}

/* The server accepted the session we offered: the abbreviated handshake. */
static latch_err resume12(latch_conn *c, const latch_server_hello *sh, uint8_t *next)
{
    latch_hs *hs = c->hs;
    const latch_session *s = c->session;

    /* RFC 5246 §7.4.1.3: a resumed session keeps its cipher suite. */
    LATCH_ENSURE(sh->cipher_suite == s->suite, LATCH_ERR_ILLEGAL_PARAMETER,
                 "the server resumed the session with another cipher suite");
    /* RFC 7627 §5.3: "If the original session used the extension but the
     * new ServerHello does not contain the extension, the client MUST abort
     * the handshake". */
    LATCH_ENSURE(hs->ems, LATCH_ERR_HANDSHAKE_FAILURE,
                 "the server resumed a session made with extended_master_secret without it (RFC 7627 §5.3)");
    latch_secret_set(&hs->master, s->secret.b, s->secret.len);
    latch__conn_keylog(c, "CLIENT_RANDOM", &hs->master);
    LATCH_TRY(latch_ks12_keys(c->hash, &hs->master, c->client_random, c->server_random, c->aead->key_len,
                              c->aead->id == LATCH_AEAD_CHACHA20_POLY1305 ? 12 : 4, &hs->keys));
    c->resumed = true;
    c->proofs |= LATCH_PROOF_PSK;
    /* The certificate was checked when the session was made (if it was). */
    c->verify_result = s->verified ? LATCH_OK : LATCH_ERR_CERT_UNKNOWN;
    latch__hs_drop_msgs(c);
    latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "resumed", 0,
                      "the server resumes the saved session: new keys from its master secret and the fresh randoms, "
                      "no certificate, no key exchange");
    *next = hs->ticket_expected ? C12_RESUME_WAIT_NST : C12_RESUME_WAIT_CCS;
    return LATCH_OK;
}

/* Keep the session for latch_conn_session: after a full handshake with
 * EMS, if the server gave it an id or a ticket; after a resumption, with
 * the new ticket if one came. */
static latch_err keep_session(latch_conn *c)
{
    latch_hs *hs = c->hs;
    latch_session *s;

    if (!hs->ems || (hs->sid12_len == 0 && hs->ticket12_len == 0 && !c->resumed)) {
        return LATCH_OK; /* RFC 7627 §5.3: a session without EMS is not resumed */
    }
    if (c->resumed) {
        if (hs->ticket12_received && hs->ticket12_len > 0) {
            memcpy(c->session->ticket, hs->ticket12, hs->ticket12_len);
            c->session->ticket_len = hs->ticket12_len;
            c->session->issued = latch__config_now(c->cfg);
        }
        c->tickets_received++;
        return LATCH_OK;
    }
    s = c->session != NULL ? c->session : latch__alloc(c->alloc, sizeof *s);
    LATCH_ENSURE(s != NULL, LATCH_ERR_NO_MEMORY, "allocating the session");
    c->session = s;
    latch_session_wipe(s);
    s->version = LATCH_TLS12;
    s->suite = c->suite->id;
    latch_secret_set(&s->secret, hs->master.b, hs->master.len);
    s->ems = true;
    s->issued = latch__config_now(c->cfg);
    /* RFC 5077 §3.3: the hint, or our ticket lifetime for a session id. */
    s->lifetime = hs->ticket12_hint > 0 ? hs->ticket12_hint : c->cfg->ticket_lifetime;
    s->verified = c->verify_result == LATCH_OK;
    latch__conn_session_names(c, s);
    memcpy(s->sid, hs->sid12, hs->sid12_len);
    s->sid_len = hs->sid12_len;
    memcpy(s->ticket, hs->ticket12, hs->ticket12_len);
    s->ticket_len = hs->ticket12_len;
    c->tickets_received++;
    return LATCH_OK;
}

latch_err latch__client12_sh(latch_conn *c, const latch_server_hello *sh, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    const latch_suite *s = latch_suite_by_id(sh->cipher_suite);
    uint32_t offered = LATCH_XBIT(LATCH_X_EXTENDED_MASTER_SECRET) | LATCH_XBIT(LATCH_X_RENEGOTIATION_INFO) |
                       LATCH_XBIT(LATCH_X_EC_POINT_FORMATS) | LATCH_XBIT(LATCH_X_SESSION_TICKET);

    /* RFC 5246 §7.4.1.3: "a single cipher suite selected by the server from
     * the list in ClientHello.cipher_suites". */
    LATCH_ENSURE(s != NULL && s->version == LATCH_TLS12 &&
                     latch__u16_in(hs->offered_suites, hs->n_offered_suites, sh->cipher_suite),
                 LATCH_ERR_ILLEGAL_PARAMETER, "the server chose a TLS 1.2 cipher suite we did not offer");
    LATCH_ENSURE(sh->compression_method == 0, LATCH_ERR_ILLEGAL_PARAMETER,
                 "the server chose a compression method we did not offer (only null is)");
    if (hs->sni_sent) {
        offered |= LATCH_XBIT(LATCH_X_SERVER_NAME);
    }
    if (hs->alpn_offered) {
        offered |= LATCH_XBIT(LATCH_X_ALPN);
    }
    /* RFC 5246 §7.4.1.4: "the server MUST NOT send an extension ... that
     * did not appear in the corresponding ClientHello". */
    LATCH_ENSURE((sh->exts.present & ~offered) == 0, LATCH_ERR_UNSUPPORTED_EXTENSION,
                 "the TLS 1.2 ServerHello carries an extension we did not offer");
    LATCH_TRY(check_extensions(c, sh));
    c->version = LATCH_TLS12;
    c->suite = s;
    c->hash = latch_provider_hash(c->prov, s->hash);
    c->aead = latch_provider_aead(c->prov, s->aead);
    LATCH_ENSURE(c->hash != NULL && c->aead != NULL, LATCH_ERR_INTERNAL, "suite algorithms missing from provider");
    LATCH_TRY(latch_transcript_select(&hs->th, s->hash));
    LATCH_TRY(latch__hs_transcript_add(c, m->whole.p, m->whole.len));
    memcpy(c->server_random, sh->random, 32);
    latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "version", 0, "TLS 1.2 with %s; extended master secret %s",
                      s->name, hs->ems ? "on" : "OFF (RFC 7627 not supported by the server)");
    /* RFC 5246 §7.4.1.3 / RFC 5077 §3.4: the echo of our id resumes. */
    if (hs->offer12 && sh->session_id.len > 0 && sh->session_id.len == hs->session_id_len &&
        memcmp(sh->session_id.p, hs->session_id, hs->session_id_len) == 0) {
        return resume12(c, sh, next);
    }
    if (sh->session_id.len > 0) {
        memcpy(hs->sid12, sh->session_id.p, sh->session_id.len);
    }
    hs->sid12_len = (uint8_t)sh->session_id.len;
    *next = C12_WAIT_CERT;
    return LATCH_OK;
}

/* ---- Server authentication and key exchange ---------------------------------------- */

static latch_err client12_cert(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    bool empty;

    LATCH_TRY(latch__tls12_recv_cert(c, m, &empty));
    *next = c->suite->kx == LATCH_SUITE_KX_ECDHE ? C12_WAIT_SKE : C12_WAIT_CR_DONE;
    return LATCH_OK;
}

static latch_err client12_ske(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    const latch_config *cfg = c->cfg;
    latch_hs *hs = c->hs;
    latch_server_key_exchange ske;
    const latch_kx_alg *kx;
    const latch_sig_alg *alg;
    uint8_t content[LATCH_SKE_CONTENT_MAX];
    size_t clen;

    LATCH_TRY(latch_server_key_exchange_parse(m->body, &ske));
    kx = latch_provider_kx(c->prov, ske.group);
    /* RFC 8422 §5.4: the curve must be one the client listed. */
    LATCH_ENSURE(kx != NULL && latch__u16_in(cfg->groups, cfg->n_groups, ske.group), LATCH_ERR_ILLEGAL_PARAMETER,
                 "ServerKeyExchange names a group we did not offer");
    LATCH_ENSURE(ske.point.len == kx->pub_len, LATCH_ERR_BAD_KEY_SHARE,
                 "ServerKeyExchange's public key has the wrong length for its group");
    alg = latch_provider_sig(c->prov, ske.scheme);
    /* RFC 5246 §7.4.1.4.1: the signature must use a pair we offered in
     * signature_algorithms, and fit the certificate's key. */
    LATCH_ENSURE(alg != NULL && latch__u16_in(cfg->sigalgs, cfg->n_sigalgs, ske.scheme), LATCH_ERR_ILLEGAL_PARAMETER,
                 "ServerKeyExchange is signed with a scheme we did not offer");
    LATCH_ENSURE(latch__sig_fits_key(alg, latch_peer_key_info(c->peer), false), LATCH_ERR_ILLEGAL_PARAMETER,
                 "ServerKeyExchange's signature scheme does not fit the certificate's key");
    clen = latch_ske_content(c->client_random, c->server_random, ske.params, content, sizeof content);
    LATCH_ENSURE(clen > 0, LATCH_ERR_INTERNAL, "ServerKeyExchange content does not fit");
    if (alg->verify(alg, latch_peer_key(c->peer), content, clen, ske.signature.p, ske.signature.len) != LATCH_OK) {
        return LATCH_FAIL(LATCH_ERR_BAD_SIGNATURE, "the server's ServerKeyExchange signature (%s) does not verify",
                          alg->name);
    }
    c->peer_sigalg = ske.scheme;
    c->proofs |= LATCH_PROOF_CV;
    c->group = ske.group;
    hs->kx_group = ske.group;
    memcpy(hs->peer_point, ske.point.p, ske.point.len);
    hs->peer_point_len = ske.point.len;
    latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "ServerKeyExchange verified", 0,
                      "the server holds the certificate's key: its %s signature covers both randoms and its %s key",
                      alg->name, kx->name);
    *next = C12_WAIT_CR_DONE;
    return LATCH_OK;
}

static latch_err client12_cr(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    latch_certificate_request12 cr;

    LATCH_TRY(latch_certificate_request12_parse(m->body, &cr));
    hs->cert_requested = true;
    LATCH_TRY(latch__pick_client_chain_ex(c, cr.sigalgs, cr.cas, cr.cert_types, false, false, &hs->chain,
                                          &c->sigalg));
    latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "client certificate", 0, "%s",
                      hs->chain != NULL ? "the server asks for a certificate; we have one that fits"
                                        : "the server asks for a certificate; none fits, we will send an empty one");
    *next = C12_WAIT_DONE;
    return LATCH_OK;
}

/* ---- The client's flight ----------------------------------------------------------- */

typedef struct cke_arg {
    bool rsa;
    const uint8_t *p;
    size_t len;
} cke_arg;

static latch_err build_cke(latch_conn *c, latch_wr *w, const void *arg)
{
    const cke_arg *a = arg;

    (void)c;
    return latch_client_key_exchange_build(w, a->rsa, a->p, a->len);
}

/* ECDHE (RFC 8422 §5.7): our key for the server's group, and the shared secret. */
static latch_err ecdhe(latch_conn *c, uint8_t *pub, size_t *pub_len, uint8_t *pms, size_t *pms_len)
{
    latch_hs *hs = c->hs;
    const latch_kx_alg *kx = latch_provider_kx(c->prov, hs->kx_group);
    latch_kx_key *key = NULL;
    latch_err e;

    LATCH_ENSURE(kx != NULL, LATCH_ERR_INTERNAL, "ServerKeyExchange group missing from the provider");
    LATCH_TRY(kx->keygen(kx, c->prov, &key, pub));
    *pub_len = kx->pub_len;
    e = kx->derive(key, hs->peer_point, hs->peer_point_len, pms); /* consumes key */
    if (e != LATCH_OK) {
        return LATCH_FAIL(e, "the server's %s key is invalid", kx->name);
    }
    *pms_len = kx->secret_len;
    latch__conn_trace(c, LATCH_TRACE_CHECK, true, 0, "key exchange", 0,
                      "%s shared secret computed: it is the premaster secret", kx->name);
    return LATCH_OK;
}

/* RSA key transport (RFC 5246 §7.4.7.1): 48 bytes, the first two the
 * version we offered (ClientHello.legacy_version, 0x0303), encrypted to
 * the server's key. */
static latch_err rsa_premaster(latch_conn *c, uint8_t *ct, size_t cap, size_t *ct_len, uint8_t *pms, size_t *pms_len)
{
    LATCH_ENSURE(c->prov->rsa_encrypt != NULL, LATCH_ERR_UNSUPPORTED, "the provider has no RSA key transport");
    pms[0] = LATCH_TLS12 >> 8;
    pms[1] = LATCH_TLS12 & 0xFF;
    LATCH_TRY(c->prov->random(c->prov->rng, pms + 2, LATCH_PREMASTER_RSA_LEN - 2));
    *pms_len = LATCH_PREMASTER_RSA_LEN;
    LATCH_TRY(c->prov->rsa_encrypt(latch_peer_key(c->peer), pms, LATCH_PREMASTER_RSA_LEN, ct, cap, ct_len));
    latch__conn_trace(c, LATCH_TRACE_CHECK, true, 0, "premaster secret", 0,
                      "48 random bytes, encrypted with the server's RSA public key (%zu-byte ciphertext): only the "
                      "holder of the certificate's private key can read them",
                      *ct_len);
    return LATCH_OK;
}

static latch_err client12_done(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    uint8_t exch[LATCH_SIG_MAX_LEN], pms[LATCH_KX_MAX_SECRET > 48 ? LATCH_KX_MAX_SECRET : 48];
    size_t exch_len = 0, pms_len = 0;
    cke_arg a;
    latch_err e;

    LATCH_TRY(latch_empty_msg_parse(m->body));
    if (hs->cert_requested) {
        LATCH_TRY(latch__tls12_send_cert(c, hs->chain));
    }
    if (c->suite->kx == LATCH_SUITE_KX_RSA) {
        e = rsa_premaster(c, exch, sizeof exch, &exch_len, pms, &pms_len);
    } else {
        e = ecdhe(c, exch, &exch_len, pms, &pms_len);
    }
    if (e == LATCH_OK) {
        a.rsa = c->suite->kx == LATCH_SUITE_KX_RSA;
        a.p = exch;
        a.len = exch_len;
        e = latch__hs_send(c, LATCH_HS_CLIENT_KEY_EXCHANGE, build_cke, &a, false);
    }
    /* RFC 7627 §4: the session hash runs through the ClientKeyExchange. */
    if (e == LATCH_OK) {
        e = latch__tls12_master(c, pms, pms_len);
    }
    latch_wipe(pms, sizeof pms);
    LATCH_TRY(e);
    if (hs->cert_requested && hs->chain != NULL) {
        LATCH_TRY(latch__tls12_send_cv(c, hs->chain, c->sigalg));
    } else {
        c->sigalg = 0;
    }
    latch__hs_drop_msgs(c);
    LATCH_TRY(latch__tls12_send_ccs_finished(c));
    *next = hs->ticket_expected ? C12_WAIT_NST : C12_WAIT_CCS;
    return LATCH_OK;
}

/* ---- The server's finish ------------------------------------------------------------ */

static latch_err client12_nst(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    uint32_t hint;
    latch_rd ticket;

    LATCH_TRY(latch_new_session_ticket12_parse(m->body, &hint, &ticket));
    /* RFC 5077 §3.3: an empty ticket means none after all; one larger than
     * we keep is dropped. Either way the handshake goes on. */
    if (ticket.len <= sizeof hs->ticket12) {
        if (ticket.len > 0) {
            memcpy(hs->ticket12, ticket.p, ticket.len);
        }
        hs->ticket12_len = (uint16_t)ticket.len;
        hs->ticket12_hint = hint;
        hs->ticket12_received = true;
    }
    *next = c->state == C12_RESUME_WAIT_NST ? C12_RESUME_WAIT_CCS : C12_WAIT_CCS;
    return LATCH_OK;
}

static latch_err client12_ccs(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    LATCH_TRY(latch__tls12_recv_ccs(c, m));
    *next = c->state == C12_RESUME_WAIT_CCS ? C12_RESUME_WAIT_FINISHED : C12_WAIT_FINISHED;
    return LATCH_OK;
}

static latch_err client12_fin(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    LATCH_TRY(latch__tls12_verify_finished(c, m));
    if (c->state == C12_RESUME_WAIT_FINISHED) {
        /* RFC 5246 §7.3: in the abbreviated handshake the client finishes second. */
        LATCH_TRY(latch__tls12_send_ccs_finished(c));
    }
    LATCH_TRY(keep_session(c));
    *next = C12_CONNECTED;
    return LATCH_OK;
}

/* RFC 5746 §4.2 / RFC 5246 §7.2.2: decline with a no_renegotiation warning. */
static latch_err client12_hello_request(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    LATCH_TRY(latch_empty_msg_parse(m->body));
    latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "renegotiation", 0,
                      "the server asks to renegotiate; latch never does (a no_renegotiation warning answers)");
    if (!c->sent_close) {
        LATCH_TRY(latch__conn_send_alert(c, LATCH_ALERT_LEVEL_WARNING, LATCH_ALERT_NO_RENEGOTIATION));
    }
    *next = c->state;
    return LATCH_OK;
}

/* ---- The edges ---------------------------------------------------------------------- */

#define HS LATCH_CT_HANDSHAKE
#define CCS LATCH_CT_CHANGE_CIPHER_SPEC

const latch_hs_edge latch__client_edges12[LATCH_CLIENT_EDGES12] = {
    {C12_WAIT_CERT, HS, LATCH_HS_CERTIFICATE, client12_cert, LATCH_S(C12_WAIT_SKE) | LATCH_S(C12_WAIT_CR_DONE), 0},
    {C12_WAIT_SKE, HS, LATCH_HS_SERVER_KEY_EXCHANGE, client12_ske, LATCH_S(C12_WAIT_CR_DONE), 0},
    {C12_WAIT_CR_DONE, HS, LATCH_HS_CERTIFICATE_REQUEST, client12_cr, LATCH_S(C12_WAIT_DONE), 0},
    {C12_WAIT_CR_DONE, HS, LATCH_HS_SERVER_HELLO_DONE, client12_done, LATCH_S(C12_WAIT_NST) | LATCH_S(C12_WAIT_CCS),
     0},
    {C12_WAIT_DONE, HS, LATCH_HS_SERVER_HELLO_DONE, client12_done, LATCH_S(C12_WAIT_NST) | LATCH_S(C12_WAIT_CCS), 0},
    {C12_WAIT_NST, HS, LATCH_HS_NEW_SESSION_TICKET, client12_nst, LATCH_S(C12_WAIT_CCS), 0},
    {C12_WAIT_CCS, CCS, 0, client12_ccs, LATCH_S(C12_WAIT_FINISHED), 0},
    {C12_WAIT_FINISHED, HS, LATCH_HS_FINISHED, client12_fin, LATCH_S(C12_CONNECTED), LATCH_HSF_PRIOR_HASH},
    {C12_RESUME_WAIT_NST, HS, LATCH_HS_NEW_SESSION_TICKET, client12_nst, LATCH_S(C12_RESUME_WAIT_CCS), 0},
    {C12_RESUME_WAIT_CCS, CCS, 0, client12_ccs, LATCH_S(C12_RESUME_WAIT_FINISHED), 0},
    {C12_RESUME_WAIT_FINISHED, HS, LATCH_HS_FINISHED, client12_fin, LATCH_S(C12_CONNECTED), LATCH_HSF_PRIOR_HASH},
    {C12_CONNECTED, HS, LATCH_HS_HELLO_REQUEST, client12_hello_request, LATCH_S(C12_CONNECTED),
     LATCH_HSF_NO_TRANSCRIPT},
};
