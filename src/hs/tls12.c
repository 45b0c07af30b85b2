/*
 * TLS 1.2 pieces shared by client and server: certificates in the 1.2 form,
 * the master secret and keys, CertificateVerify over the handshake
 * messages, ChangeCipherSpec and Finished.
 */
#include "hs/hs.h"

#include "core/ct.h"

#include <string.h>

/* Largest RSA modulus latch accepts for key transport (its signatures too:
 * LATCH_SIG_MAX_LEN). */
#define RSA_KX_MAX_BITS (8 * LATCH_SIG_MAX_LEN)
/* Smallest: as for RSA certificates of our own (src/x509/cert.c). */
#define RSA_KX_MIN_BITS 2048

bool latch__tls12_key_fits_suite(const latch_suite *s, latch_pkey_info key, const char **why)
{
    switch ((latch_suite_auth)s->auth) {
    case LATCH_SUITE_AUTH_ECDSA:
        /* RFC 8422 §5.3: ECDHE_ECDSA needs an ECDSA- or EdDSA-capable key. */
        if (key.type == LATCH_PKEY_EC || key.type == LATCH_PKEY_ED25519) {
            return true;
        }
        *why = "an ECDHE_ECDSA suite needs an ECDSA or EdDSA certificate";
        return false;
    case LATCH_SUITE_AUTH_RSA:
        if (s->kx == LATCH_SUITE_KX_RSA) {
            /* RFC 5246 §7.4.2: key transport needs an rsaEncryption key
             * (an RSA-PSS key may only sign). */
            if (key.type != LATCH_PKEY_RSA) {
                *why = "RSA key transport needs an rsaEncryption certificate key";
                return false;
            }
            if (key.bits < RSA_KX_MIN_BITS || key.bits > RSA_KX_MAX_BITS) {
                *why = "the RSA key for key transport is outside 2048..8192 bits";
                return false;
            }
            return true;
        }
        if (key.type == LATCH_PKEY_RSA || key.type == LATCH_PKEY_RSA_PSS) {
            return true;
        }
        *why = "an ECDHE_RSA suite needs an RSA certificate";
        return false;
    case LATCH_SUITE_AUTH_ANY: break;
    }
    *why = "not a TLS 1.2 suite";
    return false;
}

/* ---- Certificate (RFC 5246 §7.4.2, §7.4.6) ----------------------------------------- */

typedef struct cert_arg {
    const latch_chain *chain;
} cert_arg;

static latch_err build_certificate(latch_conn *c, latch_wr *w, const void *arg)
{
    const cert_arg *a = arg;
    latch_rd certs[LATCH_MAX_CHAIN_CERTS];
    size_t n = latch__chain_certs(a->chain, certs);

    (void)c;
    return latch_certificate_build(w, false, NULL, 0, certs, n);
}

latch_err latch__tls12_send_cert(latch_conn *c, const latch_chain *chain)
{
    cert_arg a = {chain};

    return latch__hs_send(c, LATCH_HS_CERTIFICATE, build_certificate, &a, false);
}

latch_err latch__tls12_recv_cert(latch_conn *c, const latch_hs_msg *m, bool *empty)
{
    latch_certificate ct;
    const char *why = "";

    *empty = false;
    LATCH_TRY(latch_certificate_parse(m->body, false, &ct));
    LATCH_TRY(latch__take_peer_certs(c, &ct, empty));
    if (*empty) {
        return LATCH_OK;
    }
    if (!c->is_server && !latch__tls12_key_fits_suite(c->suite, latch_peer_key_info(c->peer), &why)) {
        /* The client checks the key against the suite before anything
         * else: its type, and for key transport its size (RFC 5246 §7.4.2). */
        return LATCH_FAIL(LATCH_ERR_CERT_UNSUPPORTED, "%s (%s certificate key of %u bits)", why,
                          latch_peer_key_info(c->peer).type == LATCH_PKEY_RSA ? "an RSA" : "another",
                          (unsigned)latch_peer_key_info(c->peer).bits);
    }
    return latch__verify_peer(c, c->is_server);
}

/* ---- Keys (RFC 5246 §8.1, §6.3; RFC 7627 §4) ----------------------------------------- */

latch_err latch__tls12_master(latch_conn *c, const uint8_t *pms, size_t pms_len)
{
    latch_hs *hs = c->hs;
    uint8_t session_hash[LATCH_HASH_MAX_LEN];
    size_t iv_len = c->aead->id == LATCH_AEAD_CHACHA20_POLY1305 ? 12 : 4;

    if (hs->ems) {
        /* RFC 7627 §3: session_hash = Hash(handshake messages through the
         * ClientKeyExchange), which the transcript holds right now. */
        LATCH_TRY(latch_transcript_hash(&hs->th, session_hash));
        LATCH_TRY(latch_ks12_ems(c->hash, pms, pms_len, session_hash, c->hash->digest_len, &hs->master));
    } else {
        LATCH_TRY(latch_ks12_master(c->hash, pms, pms_len, c->client_random, c->server_random, &hs->master));
    }
    latch__conn_keylog(c, "CLIENT_RANDOM", &hs->master);
    /* RFC 5705 exporters read the master secret after the handshake. */
    latch_secret_set(&c->exporter_secret, hs->master.b, hs->master.len);
    LATCH_TRY(latch_ks12_keys(c->hash, &hs->master, c->client_random, c->server_random, c->aead->key_len, iv_len,
                              &hs->keys));
    latch__conn_trace(c, LATCH_TRACE_CHECK, true, 0, "keys", 0,
                      "%s master secret and session keys derived from the premaster secret and both randoms",
                      hs->ems ? "extended (RFC 7627)" : "classic");
    return LATCH_OK;
}

/* ---- CertificateVerify (RFC 5246 §7.4.8) ----------------------------------------------- */

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

latch_err latch__tls12_send_cv(latch_conn *c, const latch_chain *chain, uint16_t scheme)
{
    latch_hs *hs = c->hs;
    const latch_sig_alg *alg = latch_provider_sig(c->prov, scheme);
    uint8_t sig[LATCH_SIG_MAX_LEN];
    size_t slen;
    cv_arg a;

    LATCH_ENSURE(alg != NULL && hs->keep_msgs, LATCH_ERR_INTERNAL, "CertificateVerify without its scheme or messages");
    /* RFC 5246 §7.4.8: digitally-signed struct { opaque handshake_messages[...]; },
     * all messages sent or received so far, starting at the ClientHello. */
    LATCH_TRY(alg->sign(alg, latch_chain_key(chain), hs->msgs, hs->msgs_len, sig, sizeof sig, &slen));
    a.scheme = scheme;
    a.sig = sig;
    a.len = slen;
    LATCH_TRY(latch__hs_send(c, LATCH_HS_CERTIFICATE_VERIFY, build_cv, &a, false));
    c->sigalg = scheme;
    return LATCH_OK;
}

latch_err latch__tls12_recv_cv(latch_conn *c, const latch_hs_msg *m)
{
    const latch_config *cfg = c->cfg;
    latch_hs *hs = c->hs;
    latch_certificate_verify cv;
    const latch_sig_alg *alg;

    LATCH_TRY(latch_certificate_verify_parse(m->body, &cv));
    alg = latch_provider_sig(c->prov, cv.scheme);
    /* RFC 5246 §7.4.8: the pair "MUST be one of those present in the
     * supported_signature_algorithms field of the CertificateRequest". */
    LATCH_ENSURE(alg != NULL && latch__u16_in(cfg->sigalgs, cfg->n_sigalgs, cv.scheme), LATCH_ERR_ILLEGAL_PARAMETER,
                 "CertificateVerify uses a signature scheme we did not request");
    LATCH_ENSURE(latch__sig_fits_key(alg, latch_peer_key_info(c->peer), false), LATCH_ERR_ILLEGAL_PARAMETER,
                 "CertificateVerify's signature scheme does not fit the certificate's key");
    /* The dispatcher has already kept this message: sign what came before. */
    LATCH_ENSURE(hs->keep_msgs && hs->msgs_len >= m->whole.len, LATCH_ERR_INTERNAL,
                 "the handshake messages were not kept for CertificateVerify");
    if (alg->verify(alg, latch_peer_key(c->peer), hs->msgs, hs->msgs_len - m->whole.len, cv.signature.p,
                    cv.signature.len) != LATCH_OK) {
        return LATCH_FAIL(LATCH_ERR_BAD_SIGNATURE, "the client's CertificateVerify signature (%s) does not verify",
                          alg->name);
    }
    c->peer_sigalg = cv.scheme;
    c->proofs |= LATCH_PROOF_CV;
    latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "CertificateVerify verified", 0,
                      "the client holds the certificate's private key (%s signature over the handshake messages)",
                      alg->name);
    return LATCH_OK;
}

/* ---- ChangeCipherSpec and Finished (RFC 5246 §7.1, §7.4.9) ------------------------------ */

typedef struct fin_arg {
    const uint8_t *vd;
} fin_arg;

static latch_err build_finished(latch_conn *c, latch_wr *w, const void *arg)
{
    (void)c;
    return latch_finished_build(w, ((const fin_arg *)arg)->vd, LATCH_FINISHED12_LEN);
}

latch_err latch__tls12_send_ccs_finished(latch_conn *c)
{
    latch_hs *hs = c->hs;
    const latch_keys12 *k = &hs->keys;
    uint8_t th[LATCH_HASH_MAX_LEN], vd[LATCH_FINISHED12_LEN];
    fin_arg f = {vd};
    latch_err e;

    LATCH_TRY(latch__hs_flush(c));
    LATCH_TRY(latch__conn_send_ccs(c));
    LATCH_TRY(latch__conn_set_keys12(c, true, c->is_server ? k->server_key : k->client_key,
                                     c->is_server ? k->server_iv : k->client_iv, k->iv_len));
    LATCH_TRY(latch_transcript_hash(&hs->th, th));
    LATCH_TRY(latch_ks12_finished(c->hash, &hs->master, !c->is_server, th, vd));
    e = latch__hs_send(c, LATCH_HS_FINISHED, build_finished, &f, false);
    latch_wipe(vd, sizeof vd);
    LATCH_TRY(e);
    return latch__hs_flush(c);
}

latch_err latch__tls12_recv_ccs(latch_conn *c, const latch_hs_msg *m)
{
    const latch_keys12 *k = &c->hs->keys;
    latch_rd body = m->body;
    uint8_t v;

    /* RFC 5246 §7.1: struct { enum { change_cipher_spec(1), (255) } type; }. */
    LATCH_ENSURE(latch_rd_u8(&body, &v) == LATCH_OK && v == 1 && latch_rd_empty(&body), LATCH_ERR_DECODE,
                 "ChangeCipherSpec must be the single byte 0x01");
    latch__conn_trace(c, LATCH_TRACE_CCS, false, 0, "ChangeCipherSpec", 1, "what follows is protected by the new keys");
    return latch__conn_set_keys12(c, false, c->is_server ? k->client_key : k->server_key,
                                  c->is_server ? k->client_iv : k->server_iv, k->iv_len);
}

latch_err latch__tls12_verify_finished(latch_conn *c, const latch_hs_msg *m)
{
    latch_hs *hs = c->hs;
    uint8_t expect[LATCH_FINISHED12_LEN];
    latch_rd vd;
    int ok;

    LATCH_TRY(latch_finished_parse(m->body, LATCH_FINISHED12_LEN, &vd));
    /* th_prior: Hash(handshake_messages) up to, not including, this Finished. */
    LATCH_TRY(latch_ks12_finished(c->hash, &hs->master, c->is_server, hs->th_prior, expect));
    ok = latch_ct_eq(expect, vd.p, LATCH_FINISHED12_LEN);
    latch_wipe(expect, sizeof expect);
    LATCH_ENSURE(ok, LATCH_ERR_BAD_FINISHED, "the peer's Finished does not match the handshake transcript");
    c->proofs |= LATCH_PROOF_FIN;
    latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "Finished verified", 0,
                      "the %s saw the same handshake and holds the same master secret",
                      c->is_server ? "client" : "server");
    return LATCH_OK;
}
