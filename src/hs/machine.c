/*
 * The handshake dispatcher (see hs.h for the order of its steps), the
 * handshake-time state, and the path of outgoing handshake messages.
 */
#include "hs/hs.h"

#include "core/alloc.h"

#include <string.h>

const latch_hs_table *latch__hs_table(const latch_conn *c)
{
    return c->is_server ? &latch__server_table : &latch__client_table;
}

const char *latch__hs_state_name(const latch_conn *c, uint8_t state)
{
    const latch_hs_table *t = latch__hs_table(c);

    return state < t->n_states ? t->state_names[state] : "?";
}

static const latch_hs_edge *find_edge(const latch_hs_table *t, uint8_t state, uint8_t ct, uint8_t type)
{
    for (size_t i = 0; i < t->n_edges + t->n_edges12; i++) {
        const latch_hs_edge *e = i < t->n_edges ? &t->edges[i] : &t->edges12[i - t->n_edges];

        if (e->state == state && e->content_type == ct && (ct != LATCH_CT_HANDSHAKE || e->hs_type == type)) {
            return e;
        }
    }
    return NULL;
}

/*
 * TLS 1.2 proofs: the peer's Finished always; a server's certificate, and
 * its key shown by the signed ServerKeyExchange of an ECDHE suite (with RSA
 * key transport the key is shown by the Finished itself: only the key's
 * holder could decrypt the premaster it depends on); a client certificate
 * comes with its CertificateVerify. A resumed session (PSK bit) needs only
 * the Finished, which proves knowledge of its master secret.
 */
static uint8_t required_proofs12(const latch_conn *c)
{
    if (c->is_server) {
        return (c->proofs & LATCH_PROOF_CERT) ? LATCH_PROOF_FIN | LATCH_PROOF_CERT | LATCH_PROOF_CV : LATCH_PROOF_FIN;
    }
    if (c->suite != NULL && c->suite->kx == LATCH_SUITE_KX_RSA) {
        return LATCH_PROOF_FIN | LATCH_PROOF_CERT;
    }
    return LATCH_PROOF_FIN | LATCH_PROOF_CERT | LATCH_PROOF_CV;
}

latch_err latch__hs_dispatch(latch_conn *c, uint8_t ct, const latch_hs_msg *m)
{
    const latch_hs_table *t = latch__hs_table(c);
    const latch_hs_edge *edge;
    uint8_t next = 0xFF;

    /* 1. The table decides what may arrive now. */
    edge = find_edge(t, c->state, ct, m->type);
    if (edge == NULL) {
        if (ct == LATCH_CT_CHANGE_CIPHER_SPEC) {
            return LATCH_FAIL(LATCH_ERR_UNEXPECTED_MESSAGE, "ChangeCipherSpec in state %s",
                              latch__hs_state_name(c, c->state));
        }
        return LATCH_FAIL(LATCH_ERR_UNEXPECTED_MESSAGE, "%s (type %u) in state %s", latch_hs_name(m->type), m->type,
                          latch__hs_state_name(c, c->state));
    }
    /* 2. RFC 8446 §5.1: a message before a key change must end its record. */
    LATCH_ENSURE(!(edge->flags & LATCH_HSF_END_OF_RECORD) || m->end_of_record, LATCH_ERR_NOT_ON_RECORD_BOUNDARY,
                 "more data follows a handshake message that changes keys");
    if (ct == LATCH_CT_HANDSHAKE) {
        latch__hs_trace_msg(c, false, m->type, m->whole);
    }
    /* 3. The transcript. */
    if (c->hs != NULL && ct == LATCH_CT_HANDSHAKE &&
        !(edge->flags & (LATCH_HSF_OWN_TRANSCRIPT | LATCH_HSF_NO_TRANSCRIPT))) {
        if (edge->flags & LATCH_HSF_PRIOR_HASH) {
            LATCH_TRY(latch_transcript_hash(&c->hs->th, c->hs->th_prior));
        }
        LATCH_TRY(latch__hs_transcript_add(c, m->whole.p, m->whole.len));
    }
    /* 4. The handler validates and acts. */
    LATCH_TRY(edge->handler(c, m, &next));
    /* 5. It may only go where the table allows. */
    LATCH_ENSURE(next < t->n_states && (edge->next & LATCH_S(next)) != 0, LATCH_ERR_INTERNAL,
                 "handler returned a state its edge does not allow");
    /* 6. Entering a connected state needs every proof. */
    if ((t->connected & LATCH_S(next)) != 0 && !c->handshake_done) {
        uint8_t need = c->version == LATCH_TLS12 ? required_proofs12(c) : t->required_proofs13;

        if (c->is_server && !(c->proofs & LATCH_PROOF_CERT)) {
            need = LATCH_PROOF_FIN; /* no client certificate (policy allowed it) */
        }
        if (c->proofs & LATCH_PROOF_PSK) {
            need = LATCH_PROOF_FIN | LATCH_PROOF_PSK;
        }
        LATCH_ENSURE((c->proofs & need) == need, LATCH_ERR_INTERNAL,
                     "handshake reached the connected state without every proof");
        c->handshake_done = true;
        latch__hs_free(c);
    }
    c->state = next;
    return LATCH_OK;
}

/* ---- Handshake-time state ---------------------------------------------------- */

latch_err latch__hs_new(latch_conn *c)
{
    const latch_hash_alg *algs[2];

    c->hs = latch__alloc(c->alloc, sizeof *c->hs);
    LATCH_ENSURE(c->hs != NULL, LATCH_ERR_NO_MEMORY, "allocating the handshake state");
    algs[0] = latch_provider_hash(c->prov, LATCH_HASH_SHA256);
    algs[1] = latch_provider_hash(c->prov, LATCH_HASH_SHA384);
    LATCH_ENSURE(algs[0] != NULL && algs[1] != NULL, LATCH_ERR_UNSUPPORTED, "the provider lacks SHA-256 or SHA-384");
    LATCH_TRY(latch_transcript_init(&c->hs->th, algs, 2));
    return LATCH_OK;
}

void latch__hs_free(latch_conn *c)
{
    latch_hs *hs = c->hs;

    if (hs == NULL) {
        return;
    }
    for (size_t i = 0; i < hs->n_shares; i++) {
        const latch_kx_alg *kx = latch_provider_kx(c->prov, hs->share_groups[i]);

        if (kx != NULL && hs->share_keys[i] != NULL) {
            kx->destroy(hs->share_keys[i]);
        }
    }
    latch_ks13_wipe(&hs->ks);
    if (hs->kx_key != NULL) {
        const latch_kx_alg *kx = latch_provider_kx(c->prov, hs->kx_group);

        if (kx != NULL) {
            kx->destroy(hs->kx_key);
        }
    }
    latch__free(c->alloc, hs->msgs, hs->msgs_cap);
    latch__free(c->alloc, hs->out, hs->out_cap);
    latch__free(c->alloc, hs->cookie, hs->cookie_len);
    /* latch__free wipes: transcript state, secrets, everything. */
    latch__free(c->alloc, hs, sizeof *hs);
    c->hs = NULL;
}

static latch_err hs_out_reserve(latch_conn *c, size_t n)
{
    latch_hs *hs = c->hs;
    size_t want;
    uint8_t *nb;

    if (hs->out_cap - hs->out_len >= n) {
        return LATCH_OK;
    }
    want = hs->out_len + n;
    if (want < 2 * hs->out_cap) {
        want = 2 * hs->out_cap;
    }
    if (want < 2048) {
        want = 2048;
    }
    nb = latch__alloc(c->alloc, want);
    LATCH_ENSURE(nb != NULL, LATCH_ERR_NO_MEMORY, "allocating the handshake output");
    if (hs->out_len > 0) {
        memcpy(nb, hs->out, hs->out_len);
    }
    latch__free(c->alloc, hs->out, hs->out_cap);
    hs->out = nb;
    hs->out_cap = want;
    return LATCH_OK;
}

latch_err latch__hs_send(latch_conn *c, uint8_t type, latch_hs_builder build, const void *arg, bool no_transcript)
{
    latch_hs *hs = c->hs;
    size_t room = 1024;

    /* Build into the staging buffer, growing it until the message fits. */
    for (;;) {
        latch_wr w;
        latch_err e;

        LATCH_TRY(hs_out_reserve(c, room));
        latch_wr_init(&w, hs->out + hs->out_len, hs->out_cap - hs->out_len);
        e = build(c, &w, arg);
        if (e == LATCH_OK) {
            e = latch_wr_finish(&w);
        }
        if (e == LATCH_ERR_BUFFER_TOO_SMALL && room < (1u << 24)) {
            room *= 4;
            continue;
        }
        LATCH_TRY(e);
        LATCH_ENSURE(latch_wr_len(&w) >= LATCH_HS_HDR_LEN && w.buf[0] == type, LATCH_ERR_INTERNAL,
                     "builder wrote a different message type");
        if (!no_transcript) {
            LATCH_TRY(latch__hs_transcript_add(c, w.buf, latch_wr_len(&w)));
        }
        latch__hs_trace_msg(c, true, type, latch_rd_make(w.buf, latch_wr_len(&w)));
        hs->out_len += latch_wr_len(&w);
        return LATCH_OK;
    }
}

latch_err latch__hs_transcript_add(latch_conn *c, const uint8_t *msg, size_t len)
{
    latch_hs *hs = c->hs;

    LATCH_TRY(latch_transcript_add(&hs->th, msg, len));
    if (hs->keep_msgs) {
        if (hs->msgs_cap - hs->msgs_len < len) {
            size_t want = hs->msgs_len + len;
            uint8_t *nb;

            if (want < 2 * hs->msgs_cap) {
                want = 2 * hs->msgs_cap;
            }
            if (want < 4096) {
                want = 4096;
            }
            nb = latch__alloc(c->alloc, want);
            LATCH_ENSURE(nb != NULL, LATCH_ERR_NO_MEMORY, "allocating the handshake message copy");
            if (hs->msgs_len > 0) {
                memcpy(nb, hs->msgs, hs->msgs_len);
            }
            latch__free(c->alloc, hs->msgs, hs->msgs_cap);
            hs->msgs = nb;
            hs->msgs_cap = want;
        }
        memcpy(hs->msgs + hs->msgs_len, msg, len);
        hs->msgs_len += len;
    }
    return LATCH_OK;
}

void latch__hs_drop_msgs(latch_conn *c)
{
    latch_hs *hs = c->hs;

    latch__free(c->alloc, hs->msgs, hs->msgs_cap);
    hs->msgs = NULL;
    hs->msgs_len = hs->msgs_cap = 0;
    hs->keep_msgs = false;
}

latch_err latch__hs_flush(latch_conn *c)
{
    latch_hs *hs = c->hs;
    size_t off = 0;

    while (off < hs->out_len) {
        size_t n = hs->out_len - off;

        if (n > LATCH_REC_MAX_PLAIN) {
            n = LATCH_REC_MAX_PLAIN;
        }
        LATCH_TRY(latch__conn_send_record(c, LATCH_CT_HANDSHAKE, hs->out + off, n));
        off += n;
    }
    hs->out_len = 0;
    return LATCH_OK;
}
