/* TLS 1.3 post-handshake client authentication. See pha.h. */
#include "hs/pha.h"

#include "core/alloc.h"
#include "core/ct.h"
#include "hs/states.h"

#include <string.h>

latch_err latch__pha_save(latch_conn *c)
{
    latch_pha *p = c->pha != NULL ? c->pha : latch__alloc(c->alloc, sizeof *p);

    LATCH_ENSURE(p != NULL, LATCH_ERR_NO_MEMORY, "allocating the post-handshake state");
    p->main = c->hs->th;
    c->pha = p;
    return LATCH_OK;
}

void latch__pha_free(latch_conn *c)
{
    latch__free(c->alloc, c->pha, sizeof *c->pha);
    c->pha = NULL;
}

/* Build a handshake message, hash it into t (if not NULL), send it under the
 * current write keys (in records of at most 2^14 bytes) and trace it. */
typedef latch_err (*pha_builder)(latch_wr *w, const void *arg);

static latch_err send_msg(latch_conn *c, latch_transcript *t, uint8_t type, pha_builder build, const void *arg)
{
    size_t cap = 65536, len, off;
    uint8_t *buf = latch__alloc(c->alloc, cap);
    latch_wr w;
    latch_err e;

    LATCH_ENSURE(buf != NULL, LATCH_ERR_NO_MEMORY, "allocating a post-handshake message");
    latch_wr_init(&w, buf, cap);
    e = build(&w, arg);
    if (e == LATCH_OK) {
        e = latch_wr_finish(&w);
    }
    len = latch_wr_len(&w);
    if (e == LATCH_OK && t != NULL) {
        e = latch_transcript_add(t, buf, len);
    }
    for (off = 0; e == LATCH_OK && off < len; off += LATCH_REC_MAX_PLAIN) {
        e = latch__conn_send_record(c, LATCH_CT_HANDSHAKE, buf + off,
                                    len - off < LATCH_REC_MAX_PLAIN ? len - off : LATCH_REC_MAX_PLAIN);
    }
    if (e == LATCH_OK) {
        latch__hs_trace_msg(c, true, type, latch_rd_make(buf, len));
    }
    latch__free(c->alloc, buf, cap);
    return e;
}

/* ---- Server ------------------------------------------------------------------------ */

typedef struct cr_arg {
    latch_certificate_request_out cr;
} cr_arg;

static latch_err build_cr(latch_wr *w, const void *arg)
{
    return latch_certificate_request_build(w, &((const cr_arg *)arg)->cr);
}

latch_err latch_conn_request_client_cert(latch_conn *c)
{
    uint16_t schemes[LATCH_MAX_SIGALGS];
    latch_rd cas[LATCH_CA_LIST_MAX];
    size_t n_cas = 0;
    cr_arg a;
    latch_pha *p;
    latch_err e;

    latch__err_clear();
    LATCH_ENSURE(c != NULL, LATCH_ERR_INVALID_ARGUMENT, "connection must not be NULL");
    LATCH_TRY(c->err);
    p = c->pha;
    LATCH_ENSURE(c->is_server && c->handshake_done && c->version == LATCH_TLS13 && !c->sent_close,
                 LATCH_ERR_BAD_STATE, "post-handshake authentication needs an established TLS 1.3 server connection");
    LATCH_ENSURE(p != NULL, LATCH_ERR_BAD_STATE, "the client did not offer post_handshake_auth");
    LATCH_ENSURE(!p->pending, LATCH_ERR_BAD_STATE, "a certificate request is already outstanding");
    memset(&a, 0, sizeof a);
    a.cr.sigalgs = schemes;
    a.cr.n_sigalgs = latch__cr_lists(c, schemes, cas, &n_cas);
    a.cr.cas = cas;
    a.cr.n_cas = n_cas;
    /* RFC 8446 §4.3.2: a fresh, unpredictable context for each request. */
    p->context_len = sizeof p->context;
    e = c->prov->random(c->prov->rng, p->context, p->context_len);
    a.cr.context = p->context;
    a.cr.context_len = p->context_len;
    p->cur = p->main;
    if (e == LATCH_OK) {
        e = send_msg(c, &p->cur, LATCH_HS_CERTIFICATE_REQUEST, build_cr, &a);
    }
    if (e != LATCH_OK) {
        return latch__conn_fail(c, e);
    }
    p->pending = true;
    c->verify_result = LATCH_ERR_BAD_STATE;
    /* An application request, like KeyUpdate: the table takes it from here. */
    c->state = S13_PHA_WAIT_CERT;
    return LATCH_OK;
}

latch_err latch__pha_server_cert(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_pha *p = c->pha;
    bool empty;

    LATCH_TRY(latch_transcript_add(&p->cur, m->whole.p, m->whole.len));
    LATCH_TRY(latch__tls13_recv_cert(c, m, p->context, p->context_len, &empty));
    if (empty) {
        /* RFC 8446 §4.4.2.4: a server that requires one answers certificate_required. */
        LATCH_ENSURE(c->cfg->client_auth != LATCH_CLIENT_AUTH_REQUIRE, LATCH_ERR_CERTIFICATE_REQUIRED,
                     "the client sent no certificate and this server requires one");
        *next = S13_PHA_WAIT_FINISHED;
        return LATCH_OK;
    }
    *next = S13_PHA_WAIT_CV;
    return LATCH_OK;
}

latch_err latch__pha_server_cv(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_pha *p = c->pha;
    uint8_t th[LATCH_HASH_MAX_LEN];

    LATCH_TRY(latch_transcript_hash(&p->cur, th));
    LATCH_TRY(latch__tls13_recv_cv(c, m, c->cfg->sigalgs, c->cfg->n_sigalgs, th));
    LATCH_TRY(latch_transcript_add(&p->cur, m->whole.p, m->whole.len));
    *next = S13_PHA_WAIT_FINISHED;
    return LATCH_OK;
}

latch_err latch__pha_server_fin(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_pha *p = c->pha;
    uint8_t th[LATCH_HASH_MAX_LEN], expect[LATCH_HASH_MAX_LEN];
    latch_rd vd;
    int ok;

    LATCH_TRY(latch_finished_parse(m->body, c->hash->digest_len, &vd));
    LATCH_TRY(latch_transcript_hash(&p->cur, th));
    /* §4.4: the Finished key comes from client_application_traffic_secret_N. */
    LATCH_TRY(latch_ks13_finished(c->hash, &c->rd_secret, th, expect));
    ok = latch_ct_eq(expect, vd.p, vd.len);
    latch_wipe(expect, sizeof expect);
    LATCH_ENSURE(ok, LATCH_ERR_BAD_FINISHED, "the client's post-handshake Finished does not match");
    p->pending = false;
    latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "post-handshake authentication", 0, "%s",
                      c->verify_result == LATCH_OK ? "the client proved its certificate"
                                                   : "the client answered without a certificate");
    *next = S13_CONNECTED;
    return LATCH_OK;
}

/* ---- Client ------------------------------------------------------------------------- */

typedef struct cert_arg {
    const latch_chain *chain;
    const uint8_t *context;
    size_t context_len;
} cert_arg;

static latch_err build_cert(latch_wr *w, const void *arg)
{
    const cert_arg *a = arg;
    latch_rd certs[LATCH_MAX_CHAIN_CERTS];
    size_t n = latch__chain_certs(a->chain, certs);

    return latch_certificate_build(w, true, a->context, a->context_len, certs, n);
}

typedef struct cv_arg {
    uint16_t scheme;
    const uint8_t *sig;
    size_t len;
} cv_arg;

static latch_err build_cv(latch_wr *w, const void *arg)
{
    const cv_arg *a = arg;

    return latch_certificate_verify_build(w, a->scheme, a->sig, a->len);
}

typedef struct fin_arg {
    const uint8_t *vd;
    size_t len;
} fin_arg;

static latch_err build_fin(latch_wr *w, const void *arg)
{
    const fin_arg *a = arg;

    return latch_finished_build(w, a->vd, a->len);
}

latch_err latch__pha_client_cr(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_pha *p = c->pha;
    latch_certificate_request cr;
    const latch_chain *chain;
    uint16_t scheme = 0;
    uint8_t th[LATCH_HASH_MAX_LEN], vd[LATCH_HASH_MAX_LEN];
    cert_arg ca;
    fin_arg fa;
    latch_err e;

    /* RFC 8446 §4.6.2: only a client that offered post_handshake_auth may be asked. */
    LATCH_ENSURE(p != NULL, LATCH_ERR_UNEXPECTED_MESSAGE,
                 "a post-handshake CertificateRequest, but we did not offer post_handshake_auth");
    LATCH_TRY(latch_certificate_request_parse(m->body, &cr));
    LATCH_ENSURE(cr.request_context.len > 0, LATCH_ERR_ILLEGAL_PARAMETER,
                 "a post-handshake CertificateRequest needs a certificate_request_context");
    p->cur = p->main;
    LATCH_TRY(latch_transcript_add(&p->cur, m->whole.p, m->whole.len));
    LATCH_TRY(latch__pick_client_chain(c, &cr, true, &chain, &scheme));
    ca.chain = chain;
    ca.context = cr.request_context.p;
    ca.context_len = cr.request_context.len;
    LATCH_TRY(send_msg(c, &p->cur, LATCH_HS_CERTIFICATE, build_cert, &ca));
    if (chain != NULL) {
        const latch_sig_alg *alg = latch_provider_sig(c->prov, scheme);
        uint8_t content[LATCH_CV_CONTENT_MAX], sig[LATCH_SIG_MAX_LEN];
        size_t clen, slen;
        cv_arg va;

        LATCH_ENSURE(alg != NULL, LATCH_ERR_INTERNAL, "chosen scheme missing from the provider");
        LATCH_TRY(latch_transcript_hash(&p->cur, th));
        clen = latch_cv_content(false, th, c->hash->digest_len, content);
        LATCH_TRY(alg->sign(alg, latch_chain_key(chain), content, clen, sig, sizeof sig, &slen));
        va.scheme = scheme;
        va.sig = sig;
        va.len = slen;
        LATCH_TRY(send_msg(c, &p->cur, LATCH_HS_CERTIFICATE_VERIFY, build_cv, &va));
    }
    LATCH_TRY(latch_transcript_hash(&p->cur, th));
    LATCH_TRY(latch_ks13_finished(c->hash, &c->wr_secret, th, vd));
    fa.vd = vd;
    fa.len = c->hash->digest_len;
    e = send_msg(c, NULL, LATCH_HS_FINISHED, build_fin, &fa);
    latch_wipe(vd, sizeof vd);
    LATCH_TRY(e);
    latch__conn_trace(c, LATCH_TRACE_CHECK, true, 0, "post-handshake authentication", 0, "%s",
                      chain != NULL ? "answered the server's request with our certificate"
                                    : "the server asked for a certificate; none fits, answered without one");
    *next = c->state;
    return LATCH_OK;
}
