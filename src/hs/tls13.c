/*
 * TLS 1.3 pieces shared by client and server: the key schedule steps as the
 * handshake takes them, Finished, Certificate and CertificateVerify in both
 * directions, certificate verification, and KeyUpdate.
 */
#include "hs/hs.h"

#include "core/ct.h"

#include <string.h>

latch_err latch__tls13_handshake_keys(latch_conn *c, const uint8_t *dhe, size_t dhe_len)
{
    latch_hs *hs = c->hs;
    uint8_t th[LATCH_HASH_MAX_LEN];

    /* RFC 8446 §7.1: Early Secret (from the PSK, or zeros), then Handshake
     * Secret from (EC)DHE. 0-RTT already computed the Early Secret. */
    if (!(c->resumed && hs->ks.stage == LATCH_KS13_EARLY)) {
        latch_ks13_init(&hs->ks, c->hash);
        LATCH_TRY(c->resumed ? latch_ks13_early(&hs->ks, hs->psk.b, hs->psk.len) : latch_ks13_early(&hs->ks, NULL, 0));
    }
    LATCH_TRY(latch_ks13_handshake(&hs->ks, dhe, dhe_len));
    LATCH_TRY(latch_transcript_hash(&hs->th, th));
    LATCH_TRY(latch_ks13_derive(&hs->ks, LATCH_KS13_C_HS_TRAFFIC, th, &hs->c_hs));
    LATCH_TRY(latch_ks13_derive(&hs->ks, LATCH_KS13_S_HS_TRAFFIC, th, &hs->s_hs));
    latch__conn_keylog(c, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", &hs->c_hs);
    latch__conn_keylog(c, "SERVER_HANDSHAKE_TRAFFIC_SECRET", &hs->s_hs);
    /* While 0-RTT data flows, the client keeps writing (and the server
     * keeps reading) with the early keys until EndOfEarlyData. */
    if (!(c->is_server && c->early == LATCH_EARLY_ACCEPTED)) {
        LATCH_TRY(latch__conn_set_keys13(c, false, c->is_server ? &hs->c_hs : &hs->s_hs, "handshake"));
    }
    if (!(!c->is_server && hs->early_offered)) {
        LATCH_TRY(latch__conn_set_keys13(c, true, c->is_server ? &hs->s_hs : &hs->c_hs, "handshake"));
    }
    return LATCH_OK;
}

latch_err latch__tls13_early_keys(latch_conn *c, bool write)
{
    latch_hs *hs = c->hs;
    uint8_t th[LATCH_HASH_MAX_LEN];

    /* RFC 8446 §7.1: client_early_traffic_secret = Derive-Secret(Early
     * Secret, "c e traffic", ClientHello). */
    latch_ks13_init(&hs->ks, c->hash);
    LATCH_TRY(latch_ks13_early(&hs->ks, hs->psk.b, hs->psk.len));
    LATCH_TRY(latch_transcript_hash_as(&hs->th, c->hash->id, NULL, 0, th));
    LATCH_TRY(latch_ks13_derive(&hs->ks, LATCH_KS13_C_E_TRAFFIC, th, &hs->c_e));
    latch__conn_keylog(c, "CLIENT_EARLY_TRAFFIC_SECRET", &hs->c_e);
    return latch__conn_set_keys13(c, write, &hs->c_e, "early");
}

latch_err latch__tls13_app_secrets(latch_conn *c)
{
    latch_hs *hs = c->hs;
    uint8_t th[LATCH_HASH_MAX_LEN];

    /* RFC 8446 §7.1: Master Secret; the application secrets and the exporter
     * secret hash the transcript through the server's Finished. */
    LATCH_TRY(latch_ks13_master(&hs->ks));
    LATCH_TRY(latch_transcript_hash(&hs->th, th));
    LATCH_TRY(latch_ks13_derive(&hs->ks, LATCH_KS13_C_AP_TRAFFIC, th, &hs->c_ap));
    LATCH_TRY(latch_ks13_derive(&hs->ks, LATCH_KS13_S_AP_TRAFFIC, th, &hs->s_ap));
    LATCH_TRY(latch_ks13_derive(&hs->ks, LATCH_KS13_EXP_MASTER, th, &c->exporter_secret));
    latch__conn_keylog(c, "CLIENT_TRAFFIC_SECRET_0", &hs->c_ap);
    latch__conn_keylog(c, "SERVER_TRAFFIC_SECRET_0", &hs->s_ap);
    latch__conn_keylog(c, "EXPORTER_SECRET", &c->exporter_secret);
    return LATCH_OK;
}

/* ---- Finished (RFC 8446 §4.4.4) ------------------------------------------------ */

typedef struct fin_arg {
    const uint8_t *vd;
    size_t len;
} fin_arg;

static latch_err build_finished(latch_conn *c, latch_wr *w, const void *arg)
{
    const fin_arg *f = arg;

    (void)c;
    return latch_finished_build(w, f->vd, f->len);
}

latch_err latch__tls13_send_finished(latch_conn *c)
{
    latch_hs *hs = c->hs;
    uint8_t th[LATCH_HASH_MAX_LEN], vd[LATCH_HASH_MAX_LEN];
    fin_arg f = {vd, c->hash->digest_len};
    latch_err e;

    LATCH_TRY(latch_transcript_hash(&hs->th, th));
    LATCH_TRY(latch_ks13_finished(c->hash, c->is_server ? &hs->s_hs : &hs->c_hs, th, vd));
    e = latch__hs_send(c, LATCH_HS_FINISHED, build_finished, &f, false);
    latch_wipe(vd, sizeof vd);
    return e;
}

latch_err latch__tls13_verify_finished(latch_conn *c, const latch_hs_msg *m)
{
    latch_hs *hs = c->hs;
    uint8_t expect[LATCH_HASH_MAX_LEN];
    latch_rd vd;
    int ok;

    LATCH_TRY(latch_finished_parse(m->body, c->hash->digest_len, &vd));
    /* th_prior: the transcript up to, not including, this Finished. */
    LATCH_TRY(latch_ks13_finished(c->hash, c->is_server ? &hs->c_hs : &hs->s_hs, hs->th_prior, expect));
    ok = latch_ct_eq(expect, vd.p, vd.len);
    latch_wipe(expect, sizeof expect);
    LATCH_ENSURE(ok, LATCH_ERR_BAD_FINISHED, "the peer's Finished does not match the handshake transcript");
    c->proofs |= LATCH_PROOF_FIN;
    latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "Finished verified", 0,
                      "the %s saw the same handshake: its Finished MAC matches the transcript",
                      c->is_server ? "client" : "server");
    return LATCH_OK;
}

/* ---- Certificate and CertificateVerify ------------------------------------------ */

typedef struct cert_arg {
    const latch_chain *chain;
    const uint8_t *context;
    size_t context_len;
} cert_arg;

static latch_err build_certificate(latch_conn *c, latch_wr *w, const void *arg)
{
    const cert_arg *a = arg;
    latch_rd certs[LATCH_MAX_CHAIN_CERTS];
    size_t n = latch__chain_certs(a->chain, certs);

    (void)c;
    return latch_certificate_build(w, true, a->context, a->context_len, certs, n);
}

typedef struct cv_arg {
    uint16_t scheme;
    const uint8_t *sig;
    size_t len;
} cv_arg;

static latch_err build_cv(latch_conn *c, latch_wr *w, const void *arg)
{
    const cv_arg *a = arg;

    (void)c;
    return latch_certificate_verify_build(w, a->scheme, a->sig, a->len);
}

latch_err latch__tls13_send_cert_and_cv(latch_conn *c, const latch_chain *chain, uint16_t scheme,
                                        const uint8_t *context, size_t context_len)
{
    latch_hs *hs = c->hs;
    cert_arg ca = {chain, context, context_len};
    uint8_t th[LATCH_HASH_MAX_LEN], content[LATCH_CV_CONTENT_MAX], sig[LATCH_SIG_MAX_LEN];
    const latch_sig_alg *alg;
    size_t clen, slen;
    cv_arg cva;

    LATCH_TRY(latch__hs_send(c, LATCH_HS_CERTIFICATE, build_certificate, &ca, false));
    if (chain == NULL) {
        return LATCH_OK; /* an empty Certificate has no CertificateVerify */
    }
    alg = latch_provider_sig(c->prov, scheme);
    LATCH_ENSURE(alg != NULL, LATCH_ERR_INTERNAL, "chosen signature scheme missing from the provider");
    LATCH_TRY(latch_transcript_hash(&hs->th, th));
    clen = latch_cv_content(c->is_server, th, c->hash->digest_len, content);
    LATCH_TRY(alg->sign(alg, latch_chain_key(chain), content, clen, sig, sizeof sig, &slen));
    cva.scheme = scheme;
    cva.sig = sig;
    cva.len = slen;
    LATCH_TRY(latch__hs_send(c, LATCH_HS_CERTIFICATE_VERIFY, build_cv, &cva, false));
    c->sigalg = scheme;
    return LATCH_OK;
}

latch_err latch__verify_peer(latch_conn *c, bool peer_is_client)
{
    latch_verify_params vp;
    char subject[256] = "";
    latch_err e;

    memset(&vp, 0, sizeof vp);
    vp.host = peer_is_client ? NULL : latch_conn_server_name(c);
    vp.client_cert = peer_is_client;
    vp.now = latch__config_now(c->cfg);
    vp.max_depth = (unsigned)c->cfg->max_chain_len;
    /* RFC 5246 §7.4.2: for RSA key transport the server's key encrypts
     * rather than signs, so keyEncipherment alone is enough. */
    vp.allow_key_encipherment_only = !peer_is_client && c->version == LATCH_TLS12 && c->suite != NULL &&
                                     c->suite->kx == LATCH_SUITE_KX_RSA;
    /* The subject is only shown: format it only when it will be (decoding a
     * name costs microseconds per handshake). */
    if ((c->cfg->trust == NULL || vp.host == NULL || latch__conn_tracing(c)) &&
        latch_peer_subject(c->peer, 0, subject, sizeof subject) != LATCH_OK) {
        subject[0] = '\0';
    }
    if (c->cfg->trust == NULL) {
        e = LATCH_FAIL(LATCH_ERR_CERT_UNKNOWN_CA, "no trust anchors are configured to verify '%s'", subject);
    } else {
        e = latch_peer_verify(c->peer, c->cfg->trust, &vp);
    }
    c->verify_result = e;
    c->verify_done = true;
    if (e == LATCH_OK) {
        latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "certificate verified", 0,
                          "chain of %zu certificate(s) leads to a trusted CA; %s%s%s", latch_peer_count(c->peer),
                          vp.host != NULL ? "name matches '" : "subject ", vp.host != NULL ? vp.host : subject,
                          vp.host != NULL ? "'" : "");
        c->proofs |= LATCH_PROOF_CERT;
        return LATCH_OK;
    }
    if (!peer_is_client && c->cfg->insecure_no_verify) {
        latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "certificate NOT verified", 0,
                          "INSECURE: accepting it anyway (%s: %s)", latch_err_str(e), latch__err_last()->detail);
        c->proofs |= LATCH_PROOF_CERT;
        return LATCH_OK;
    }
    return e;
}

size_t latch__chain_certs(const latch_chain *chain, latch_rd certs[LATCH_MAX_CHAIN_CERTS])
{
    size_t n = chain != NULL ? latch_chain_count(chain) : 0;

    if (n > LATCH_MAX_CHAIN_CERTS) {
        n = LATCH_MAX_CHAIN_CERTS;
    }
    for (size_t i = 0; i < n; i++) {
        certs[i] = latch_chain_der(chain, i);
    }
    return n;
}

latch_err latch__take_peer_certs(latch_conn *c, const latch_certificate *ct, bool *empty)
{
    const uint8_t *der[LATCH_MAX_CHAIN_CERTS];
    size_t len[LATCH_MAX_CHAIN_CERTS];

    *empty = false;
    if (ct->n == 0) {
        /* RFC 8446 §4.4.2.4, RFC 5246 §7.4.2: a server always sends one. */
        LATCH_ENSURE(c->is_server, LATCH_ERR_DECODE, "the server sent an empty Certificate");
        *empty = true;
        c->verify_result = LATCH_ERR_NO_CERTIFICATE;
        return LATCH_OK;
    }
    LATCH_ENSURE(ct->n <= c->cfg->max_chain_len, LATCH_ERR_CERT_CHAIN_TOO_LONG,
                 "the peer sent more certificates than the configured limit");
    for (size_t i = 0; i < ct->n; i++) {
        der[i] = ct->certs[i].p;
        len[i] = ct->certs[i].len;
    }
    latch_peer_free(c->peer);
    c->peer = NULL;
    return latch_peer_new_ex(c->alloc, der, len, ct->n, &c->peer);
}

latch_err latch__tls13_recv_cert(latch_conn *c, const latch_hs_msg *m, const uint8_t *context, size_t context_len,
                                 bool *empty)
{
    latch_certificate ct;

    *empty = false;
    LATCH_TRY(latch_certificate_parse(m->body, true, &ct));
    /* RFC 8446 §4.4.2: the context is empty for server authentication and
     * echoes the CertificateRequest's for client authentication. */
    if (c->is_server) {
        LATCH_ENSURE(ct.request_context.len == context_len &&
                         (context_len == 0 || memcmp(ct.request_context.p, context, context_len) == 0),
                     LATCH_ERR_ILLEGAL_PARAMETER, "Certificate.certificate_request_context does not match the request");
    } else {
        LATCH_ENSURE(ct.request_context.len == 0, LATCH_ERR_ILLEGAL_PARAMETER,
                     "server Certificate with a non-empty certificate_request_context");
    }
    LATCH_TRY(latch__take_peer_certs(c, &ct, empty));
    return *empty ? LATCH_OK : latch__verify_peer(c, c->is_server);
}

latch_err latch__tls13_recv_cv(latch_conn *c, const latch_hs_msg *m, const uint16_t *allowed, size_t n_allowed,
                               const uint8_t *th)
{
    latch_certificate_verify cv;
    const latch_sig_alg *alg;
    uint8_t content[LATCH_CV_CONTENT_MAX];
    size_t clen;
    latch_pkey_info info;

    LATCH_TRY(latch_certificate_verify_parse(m->body, &cv));
    alg = latch_provider_sig(c->prov, cv.scheme);
    /* RFC 8446 §4.4.3: the scheme must be one we offered, allowed in TLS 1.3,
     * and fit the certificate's key. */
    LATCH_ENSURE(latch__u16_in(allowed, n_allowed, cv.scheme) && alg != NULL && alg->tls13,
                 LATCH_ERR_ILLEGAL_PARAMETER, "CertificateVerify uses a signature scheme that was not offered");
    info = latch_peer_key_info(c->peer);
    LATCH_ENSURE(latch__sig_fits_key(alg, info, true), LATCH_ERR_ILLEGAL_PARAMETER,
                 "CertificateVerify's signature scheme does not fit the certificate's key");
    clen = latch_cv_content(!c->is_server, th, c->hash->digest_len, content);
    if (alg->verify(alg, latch_peer_key(c->peer), content, clen, cv.signature.p, cv.signature.len) != LATCH_OK) {
        return LATCH_FAIL(LATCH_ERR_BAD_SIGNATURE, "the %s's CertificateVerify signature (%s) does not verify",
                          c->is_server ? "client" : "server", alg->name);
    }
    c->peer_sigalg = cv.scheme;
    c->proofs |= LATCH_PROOF_CV;
    latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "CertificateVerify verified", 0,
                      "the %s holds the certificate's private key (%s signature over the transcript)",
                      c->is_server ? "client" : "server", alg->name);
    return LATCH_OK;
}

/* ---- KeyUpdate (RFC 8446 §4.6.3) ----------------------------------------------------- */

latch_err latch__tls13_send_key_update(latch_conn *c, bool request)
{
    uint8_t buf[16];
    latch_wr w;
    latch_secret next;
    latch_err e;

    latch_wr_init(&w, buf, sizeof buf);
    LATCH_TRY(latch_key_update_build(&w, request ? LATCH_KEY_UPDATE_REQUESTED : LATCH_KEY_UPDATE_NOT_REQUESTED));
    LATCH_TRY(latch_wr_finish(&w));
    LATCH_TRY(latch__conn_send_record(c, LATCH_CT_HANDSHAKE, buf, latch_wr_len(&w)));
    latch__hs_trace_msg(c, true, LATCH_HS_KEY_UPDATE, latch_rd_make(buf, latch_wr_len(&w)));
    next = c->wr_secret;
    e = latch_ks13_update_secret(c->hash, &next);
    if (e == LATCH_OK) {
        e = latch__conn_set_keys13(c, true, &next, "updated application");
    }
    latch_secret_wipe(&next);
    c->key_update_pending = false;
    return e;
}

latch_err latch__tls13_recv_key_update(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    uint8_t request;
    latch_secret s;
    latch_err e;

    LATCH_TRY(latch_key_update_parse(m->body, &request));
    s = c->rd_secret;
    e = latch_ks13_update_secret(c->hash, &s);
    if (e == LATCH_OK) {
        e = latch__conn_set_keys13(c, false, &s, "updated application");
    }
    latch_secret_wipe(&s);
    LATCH_TRY(e);
    /* Answer a request before our next application data (we answer at once). */
    if (request == LATCH_KEY_UPDATE_REQUESTED && !c->sent_close) {
        LATCH_TRY(latch__tls13_send_key_update(c, false));
    }
    *next = c->state;
    return LATCH_OK;
}
