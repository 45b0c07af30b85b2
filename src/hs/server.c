/*
 * The server: its state table and the TLS 1.3 handlers (RFC 8446 §2 and
 * Appendix A.2).
 *
 *   START    --ClientHello / send HelloRetryRequest--> WAIT_CH2
 *   START, WAIT_CH2 --ClientHello / send ServerHello, EncryptedExtensions,
 *              [CertificateRequest,] Certificate, CertificateVerify,
 *              Finished--> WAIT_CERT (client auth) or WAIT_FINISHED
 *   WAIT_CERT --Certificate--> WAIT_CV (or WAIT_FINISHED if empty)
 *   WAIT_CV  --CertificateVerify--> WAIT_FINISHED
 *   WAIT_FINISHED --Finished--> CONNECTED
 *   CONNECTED --KeyUpdate--> CONNECTED
 *
 * Selection follows the client's order of preference among what the
 * server's config allows (DESIGN.md): cipher suite, then the key share
 * group (a HelloRetryRequest when no offered share is usable), then a
 * certificate chain and signature scheme that the client accepts.
 */
#include "hs/hs.h"
#include "hs/states.h"

#include <string.h>


static const char *const state_names[S__COUNT] = {
    "START", "WAIT_CH2", "WAIT_CERT", "WAIT_CV", "WAIT_FINISHED", "CONNECTED",
};

latch_err latch__server_start(latch_conn *c);

latch_err latch__server_start(latch_conn *c)
{
    LATCH_TRY(latch__hs_new(c));
    c->wr.version = LATCH_TLS12;
    c->state = S_START;
    return LATCH_OK;
}

/* What the server decided from a ClientHello. */
typedef struct choice {
    const latch_suite *suite;
    uint16_t group;          /* the key exchange group */
    const latch_key_share *share; /* the client's share for it, NULL: HelloRetryRequest */
    const latch_chain *chain;
    uint16_t scheme;
    latch_rd alpn; /* chosen protocol, empty if none */
    latch_rd sni;  /* host name, empty if none */
    latch_key_shares shares;
} choice;

static latch_err pick_version(latch_conn *c, const latch_client_hello *ch)
{
    const latch_config *cfg = c->cfg;
    latch_u16s versions;

    if (latch_exts_has(&ch->exts, LATCH_X_SUPPORTED_VERSIONS)) {
        LATCH_TRY(latch_ext_versions_ch_parse(ch->exts.data[LATCH_X_SUPPORTED_VERSIONS], &versions));
        /* RFC 8446 §4.2.1: supported_versions alone decides; legacy_version is ignored. */
        if (cfg->max_version >= LATCH_TLS13 && latch_u16s_contains(versions, LATCH_TLS13)) {
            return LATCH_OK;
        }
        return LATCH_FAIL(LATCH_ERR_PROTOCOL_VERSION, "the client offers no version this server accepts (%s%s)",
                          latch_u16s_contains(versions, LATCH_TLS12) ? "TLS 1.2" : "only versions below TLS 1.2",
                          latch_u16s_contains(versions, LATCH_TLS12) ? " is not implemented yet" : "");
    }
    if (ch->legacy_version < LATCH_TLS12) {
        return LATCH_FAIL(LATCH_ERR_PROTOCOL_VERSION,
                          "the client speaks only %s; latch refuses SSL 3.0, TLS 1.0 and TLS 1.1",
                          latch_version_name(ch->legacy_version));
    }
    return LATCH_FAIL(LATCH_ERR_PROTOCOL_VERSION, "the client offers TLS 1.2 only, which this server does not speak yet");
}

static latch_err pick_suite(latch_conn *c, const latch_client_hello *ch, choice *out)
{
    const latch_config *cfg = c->cfg;

    for (size_t i = 0; i < latch_u16s_count(ch->cipher_suites); i++) {
        uint16_t id = latch_u16s_at(ch->cipher_suites, i);
        const latch_suite *s = latch_suite_by_id(id);

        if (s != NULL && s->version == LATCH_TLS13 && latch__u16_in(cfg->suites, cfg->n_suites, id) &&
            latch_provider_aead(c->prov, s->aead) != NULL) {
            out->suite = s;
            return LATCH_OK;
        }
    }
    return LATCH_FAIL(LATCH_ERR_NO_SHARED_CIPHER, "none of the client's %zu cipher suites is enabled here",
                      latch_u16s_count(ch->cipher_suites));
}

static latch_err pick_group(latch_conn *c, const latch_client_hello *ch, choice *out)
{
    const latch_config *cfg = c->cfg;
    latch_u16s groups;

    /* RFC 8446 §9.2: key_share needs supported_groups, and vice versa. */
    LATCH_ENSURE(latch_exts_has(&ch->exts, LATCH_X_SUPPORTED_GROUPS) && latch_exts_has(&ch->exts, LATCH_X_KEY_SHARE),
                 LATCH_ERR_MISSING_EXTENSION, "a TLS 1.3 ClientHello without PSK needs supported_groups and key_share");
    LATCH_TRY(latch_ext_groups_parse(ch->exts.data[LATCH_X_SUPPORTED_GROUPS], &groups));
    LATCH_TRY(latch_ext_key_share_ch_parse(ch->exts.data[LATCH_X_KEY_SHARE], &out->shares));
    for (size_t i = 0; i < out->shares.n; i++) {
        const latch_key_share *ks = &out->shares.e[i];

        /* §4.2.8: every share must be for a group listed in supported_groups. */
        LATCH_ENSURE(latch_u16s_contains(groups, ks->group), LATCH_ERR_ILLEGAL_PARAMETER,
                     "a key share for a group missing from supported_groups");
    }
    for (size_t i = 0; i < out->shares.n; i++) {
        const latch_key_share *ks = &out->shares.e[i];

        if (latch__u16_in(cfg->groups, cfg->n_groups, ks->group) && latch_provider_kx(c->prov, ks->group) != NULL) {
            out->group = ks->group;
            out->share = ks;
            return LATCH_OK;
        }
    }
    for (size_t i = 0; i < latch_u16s_count(groups); i++) {
        uint16_t g = latch_u16s_at(groups, i);

        if (latch__u16_in(cfg->groups, cfg->n_groups, g) && latch_provider_kx(c->prov, g) != NULL) {
            out->group = g;
            out->share = NULL;
            return LATCH_OK;
        }
    }
    return LATCH_FAIL(LATCH_ERR_NO_SHARED_GROUP, "none of the client's %zu groups is enabled here",
                      latch_u16s_count(groups));
}

static latch_err pick_chain(latch_conn *c, const latch_client_hello *ch, choice *out)
{
    const latch_config *cfg = c->cfg;
    char host[256];
    latch_u16s sigalgs;

    LATCH_ENSURE(latch_exts_has(&ch->exts, LATCH_X_SIGNATURE_ALGORITHMS), LATCH_ERR_MISSING_EXTENSION,
                 "a ClientHello for certificate authentication needs signature_algorithms (RFC 8446 §9.2)");
    LATCH_TRY(latch_ext_sigalgs_parse(ch->exts.data[LATCH_X_SIGNATURE_ALGORITHMS], &sigalgs));
    host[0] = '\0';
    if (out->sni.len > 0) {
        memcpy(host, out->sni.p, out->sni.len);
        host[out->sni.len] = '\0';
    }
    /* First a chain for the requested name, then any chain (the default). */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < cfg->n_chains; i++) {
            const latch_chain *chain = cfg->chains[i];
            uint16_t s;

            if (pass == 0 && (host[0] == '\0' || !latch_chain_matches_name(chain, host))) {
                continue;
            }
            s = latch__pick_sigalg(c, sigalgs, latch_chain_key_info(chain), true);
            if (s != 0) {
                out->chain = chain;
                out->scheme = s;
                c->hs->sni_matched = pass == 0;
                return LATCH_OK;
            }
        }
    }
    return LATCH_FAIL(LATCH_ERR_NO_SHARED_SIGALG,
                      "no configured certificate can sign with a scheme the client accepts (%zu offered)",
                      latch_u16s_count(sigalgs));
}

static latch_err pick_alpn(latch_conn *c, const latch_client_hello *ch, choice *out)
{
    const latch_config *cfg = c->cfg;
    latch_rd list, ours = latch_rd_make(cfg->alpn_wire, cfg->alpn_len), mine;

    out->alpn = latch_rd_make(NULL, 0);
    if (!latch_exts_has(&ch->exts, LATCH_X_ALPN)) {
        return LATCH_OK;
    }
    LATCH_TRY(latch_ext_alpn_parse(ch->exts.data[LATCH_X_ALPN], &list));
    if (cfg->alpn_len == 0) {
        return LATCH_OK; /* we do not use ALPN: ignore the offer */
    }
    /* Our order of preference among the client's offers. */
    while (latch_ext_alpn_next(&ours, &mine)) {
        latch_rd it = list, theirs;

        while (latch_ext_alpn_next(&it, &theirs)) {
            if (theirs.len == mine.len && memcmp(theirs.p, mine.p, mine.len) == 0) {
                out->alpn = mine;
                return LATCH_OK;
            }
        }
    }
    /* RFC 7301 §3.2: no protocol in common. */
    return LATCH_FAIL(LATCH_ERR_NO_APPLICATION_PROTOCOL, "the client's ALPN protocols are not among ours");
}

static latch_err negotiate(latch_conn *c, const latch_client_hello *ch, choice *out)
{
    memset(out, 0, sizeof *out);
    LATCH_TRY(pick_version(c, ch));
    /* RFC 8446 §4.1.2: exactly one compression method, null. */
    LATCH_ENSURE(ch->compression_methods.len == 1 && ch->compression_methods.p[0] == 0, LATCH_ERR_ILLEGAL_PARAMETER,
                 "a TLS 1.3 ClientHello must offer only the null compression method");
    if (latch_exts_has(&ch->exts, LATCH_X_SERVER_NAME)) {
        LATCH_TRY(latch_ext_server_name_parse(ch->exts.data[LATCH_X_SERVER_NAME], &out->sni));
    }
    LATCH_TRY(pick_suite(c, ch, out));
    LATCH_TRY(pick_group(c, ch, out));
    LATCH_TRY(pick_chain(c, ch, out));
    LATCH_TRY(pick_alpn(c, ch, out));
    return LATCH_OK;
}

static latch_err use_choice(latch_conn *c, const choice *ch)
{
    c->suite = ch->suite;
    c->hash = latch_provider_hash(c->prov, ch->suite->hash);
    c->aead = latch_provider_aead(c->prov, ch->suite->aead);
    LATCH_ENSURE(c->hash != NULL && c->aead != NULL, LATCH_ERR_INTERNAL, "suite algorithms missing from provider");
    c->version = LATCH_TLS13;
    c->group = ch->group;
    if (ch->sni.len > 0) {
        memcpy(c->server_name, ch->sni.p, ch->sni.len);
        c->server_name[ch->sni.len] = '\0';
    }
    if (ch->alpn.len > 0) {
        memcpy(c->alpn, ch->alpn.p, ch->alpn.len);
        c->alpn[ch->alpn.len] = '\0';
    }
    if (latch_transcript_alg(&c->hs->th) == NULL) {
        LATCH_TRY(latch_transcript_select(&c->hs->th, ch->suite->hash));
    }
    return LATCH_OK;
}

/* ---- HelloRetryRequest --------------------------------------------------------------- */

typedef struct sh_arg {
    latch_server_hello_out sh;
} sh_arg;

static latch_err build_server_hello(latch_conn *c, latch_wr *w, const void *arg)
{
    (void)c;
    return latch_server_hello_build(w, &((const sh_arg *)arg)->sh);
}

static latch_err send_hrr(latch_conn *c, const latch_client_hello *ch, const choice *cho, const latch_hs_msg *m,
                          uint8_t *next)
{
    latch_hs *hs = c->hs;
    sh_arg a;

    LATCH_TRY(use_choice(c, cho));
    LATCH_TRY(latch_transcript_add(&hs->th, m->whole.p, m->whole.len));
    LATCH_TRY(latch_transcript_hrr(&hs->th));
    /* A cookie the client must echo: it proves the second ClientHello answers ours. */
    LATCH_TRY(c->prov->random(c->prov->rng, hs->cookie_expect, sizeof hs->cookie_expect));
    memset(&a, 0, sizeof a);
    a.sh.legacy_version = LATCH_TLS12;
    a.sh.session_id = ch->session_id.p;
    a.sh.session_id_len = ch->session_id.len;
    a.sh.cipher_suite = cho->suite->id;
    a.sh.hrr = true;
    a.sh.selected_version = LATCH_TLS13;
    a.sh.group = cho->group;
    a.sh.cookie = hs->cookie_expect;
    a.sh.cookie_len = sizeof hs->cookie_expect;
    a.sh.psk_identity = -1;
    LATCH_TRY(latch__hs_send(c, LATCH_HS_SERVER_HELLO, build_server_hello, &a, false));
    LATCH_TRY(latch__hs_flush(c));
    if (ch->session_id.len > 0) {
        LATCH_TRY(latch__conn_send_ccs(c));
        hs->sent_ccs = true;
    }
    /* An empty legacy_session_id (no middlebox compatibility) is a NULL view: nothing to copy. */
    if (ch->session_id.len > 0) {
        memcpy(hs->session_id, ch->session_id.p, ch->session_id.len);
    }
    hs->session_id_len = (uint8_t)ch->session_id.len;
    memcpy(c->client_random, ch->random, 32);
    c->did_hrr = true;
    hs->hrr_suite = cho->suite->id;
    hs->hrr_group = cho->group;
    latch__conn_trace(c, LATCH_TRACE_CHECK, true, 0, "retry", 0,
                      "no usable key share: asking the client for a %s share", latch_group_name(cho->group));
    *next = S13_WAIT_CH2;
    return LATCH_OK;
}

/* ---- The server's flight ------------------------------------------------------------- */

static latch_err build_ee(latch_conn *c, latch_wr *w, const void *arg)
{
    latch_encrypted_extensions_out ee;

    (void)arg;
    memset(&ee, 0, sizeof ee);
    ee.server_name_ack = c->hs->sni_matched;
    if (c->alpn[0] != '\0') {
        uint8_t *wire = c->hs->out; /* unused: ALPN is written from alpn_buf below */

        (void)wire;
    }
    if (c->alpn[0] != '\0') {
        static _Thread_local uint8_t alpn_buf[256];
        size_t n = strlen(c->alpn);

        alpn_buf[0] = (uint8_t)n;
        memcpy(alpn_buf + 1, c->alpn, n);
        ee.alpn_wire = alpn_buf;
        ee.alpn_len = n + 1;
    }
    return latch_encrypted_extensions_build(w, &ee);
}

static latch_err build_cr(latch_conn *c, latch_wr *w, const void *arg)
{
    const latch_config *cfg = c->cfg;
    latch_certificate_request_out cr;
    uint16_t schemes[LATCH_MAX_SIGALGS];
    latch_rd cas[64];
    size_t n = 0, n_cas = 0;

    (void)arg;
    for (size_t i = 0; i < cfg->n_sigalgs; i++) {
        const latch_sig_alg *alg = latch_provider_sig(c->prov, cfg->sigalgs[i]);

        if (alg != NULL && alg->tls13) {
            schemes[n++] = cfg->sigalgs[i];
        }
    }
    if (cfg->trust != NULL) {
        size_t total = latch_trust_subject_count(cfg->trust);

        for (size_t i = 0; i < total && n_cas < 64; i++) {
            cas[n_cas++] = latch_trust_subject(cfg->trust, i);
        }
    }
    memset(&cr, 0, sizeof cr);
    cr.sigalgs = schemes;
    cr.n_sigalgs = n;
    cr.cas = cas;
    cr.n_cas = n_cas;
    return latch_certificate_request_build(w, &cr);
}

static latch_err send_flight(latch_conn *c, const latch_client_hello *ch, const choice *cho, uint8_t *next)
{
    latch_hs *hs = c->hs;
    const latch_kx_alg *kx = latch_provider_kx(c->prov, cho->group);
    latch_kx_key *key = NULL;
    uint8_t pub[LATCH_KX_MAX_PUB], secret[LATCH_KX_MAX_SECRET];
    sh_arg a;
    latch_err e;

    LATCH_ENSURE(kx != NULL, LATCH_ERR_INTERNAL, "chosen group missing from the provider");
    LATCH_TRY(c->prov->random(c->prov->rng, c->server_random, 32));
    memcpy(c->client_random, ch->random, 32);
    LATCH_TRY(kx->keygen(kx, c->prov, &key, pub));
    e = kx->derive(key, cho->share->key_exchange.p, cho->share->key_exchange.len, secret);
    if (e != LATCH_OK) {
        latch_wipe(secret, sizeof secret);
        return LATCH_FAIL(e, "the client's %s key share is invalid", kx->name);
    }
    memset(&a, 0, sizeof a);
    a.sh.legacy_version = LATCH_TLS12;
    memcpy(a.sh.random, c->server_random, 32);
    a.sh.session_id = ch->session_id.p;
    a.sh.session_id_len = ch->session_id.len;
    a.sh.cipher_suite = cho->suite->id;
    a.sh.selected_version = LATCH_TLS13;
    a.sh.group = cho->group;
    a.sh.pub = pub;
    a.sh.pub_len = kx->pub_len;
    a.sh.psk_identity = -1;
    e = latch__hs_send(c, LATCH_HS_SERVER_HELLO, build_server_hello, &a, false);
    if (e == LATCH_OK) {
        e = latch__hs_flush(c);
    }
    /* RFC 8446 D.4: answer a compatibility-mode client with a CCS after our first message. */
    if (e == LATCH_OK && ch->session_id.len > 0 && !hs->sent_ccs) {
        e = latch__conn_send_ccs(c);
        hs->sent_ccs = true;
    }
    if (e == LATCH_OK) {
        latch__conn_trace(c, LATCH_TRACE_CHECK, true, 0, "key exchange", 0,
                          "%s shared secret computed; handshake keys derived", kx->name);
        e = latch__tls13_handshake_keys(c, secret, kx->secret_len);
    }
    latch_wipe(secret, sizeof secret);
    LATCH_TRY(e);
    /* RFC 8446 §4.2.10: 0-RTT we do not accept is skipped, not fatal. */
    c->skip_early = latch_exts_has(&ch->exts, LATCH_X_EARLY_DATA);

    LATCH_TRY(latch__hs_send(c, LATCH_HS_ENCRYPTED_EXTENSIONS, build_ee, NULL, false));
    if (c->cfg->client_auth != LATCH_CLIENT_AUTH_NONE) {
        LATCH_TRY(latch__hs_send(c, LATCH_HS_CERTIFICATE_REQUEST, build_cr, NULL, false));
        hs->cert_requested = true;
    }
    LATCH_TRY(latch__tls13_send_cert_and_cv(c, cho->chain, cho->scheme, NULL, 0));
    LATCH_TRY(latch__tls13_send_finished(c));
    LATCH_TRY(latch__hs_flush(c));
    LATCH_TRY(latch__tls13_app_secrets(c));
    LATCH_TRY(latch__conn_set_keys13(c, true, &hs->s_ap, "application"));
    *next = hs->cert_requested ? S13_WAIT_CERT : S13_WAIT_FINISHED;
    return LATCH_OK;
}

static latch_err server_ch(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_client_hello ch;
    choice cho;

    LATCH_TRY(latch_client_hello_parse(m->body, &ch));
    LATCH_TRY(negotiate(c, &ch, &cho));
    if (cho.share == NULL) {
        return send_hrr(c, &ch, &cho, m, next);
    }
    if (ch.session_id.len > 0) {
        memcpy(c->hs->session_id, ch.session_id.p, ch.session_id.len);
    }
    c->hs->session_id_len = (uint8_t)ch.session_id.len;
    c->hs->chain = cho.chain;
    LATCH_TRY(use_choice(c, &cho));
    LATCH_TRY(latch_transcript_add(&c->hs->th, m->whole.p, m->whole.len));
    return send_flight(c, &ch, &cho, next);
}

static latch_err server_ch2(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    latch_client_hello ch;
    latch_rd cookie;
    choice cho;

    LATCH_TRY(latch_client_hello_parse(m->body, &ch));
    /* RFC 8446 §4.1.2: the second ClientHello repeats the first but for the
     * key share and the cookie. */
    LATCH_ENSURE(memcmp(ch.random, c->client_random, 32) == 0 && ch.session_id.len == hs->session_id_len &&
                     (hs->session_id_len == 0 || memcmp(ch.session_id.p, hs->session_id, hs->session_id_len) == 0),
                 LATCH_ERR_ILLEGAL_PARAMETER, "the second ClientHello changed its random or session id");
    LATCH_ENSURE(latch_exts_has(&ch.exts, LATCH_X_COOKIE), LATCH_ERR_MISSING_EXTENSION,
                 "the second ClientHello does not echo our cookie");
    LATCH_TRY(latch_ext_cookie_parse(ch.exts.data[LATCH_X_COOKIE], &cookie));
    LATCH_ENSURE(cookie.len == sizeof hs->cookie_expect && memcmp(cookie.p, hs->cookie_expect, cookie.len) == 0,
                 LATCH_ERR_ILLEGAL_PARAMETER, "the second ClientHello echoes a different cookie");
    LATCH_TRY(negotiate(c, &ch, &cho));
    LATCH_ENSURE(cho.suite->id == hs->hrr_suite, LATCH_ERR_ILLEGAL_PARAMETER,
                 "the second ClientHello leads to another cipher suite");
    LATCH_ENSURE(cho.shares.n == 1 && cho.share != NULL && cho.group == hs->hrr_group, LATCH_ERR_ILLEGAL_PARAMETER,
                 "the second ClientHello must carry exactly one key share, for the group we asked for");
    hs->chain = cho.chain;
    LATCH_TRY(use_choice(c, &cho));
    LATCH_TRY(latch_transcript_add(&hs->th, m->whole.p, m->whole.len));
    return send_flight(c, &ch, &cho, next);
}

/* ---- Client authentication ------------------------------------------------------------ */

static latch_err server_cert(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    bool empty;

    LATCH_TRY(latch__tls13_recv_cert(c, m, &empty));
    if (empty) {
        /* RFC 8446 §4.4.2.4: a server that requires a certificate answers an
         * empty one with certificate_required. */
        LATCH_ENSURE(c->cfg->client_auth != LATCH_CLIENT_AUTH_REQUIRE, LATCH_ERR_CERTIFICATE_REQUIRED,
                     "the client sent no certificate and this server requires one");
        latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "no client certificate", 0,
                          "the client sent none; allowed (verification is optional)");
        *next = S13_WAIT_FINISHED;
        return LATCH_OK;
    }
    *next = S13_WAIT_CV;
    return LATCH_OK;
}

static latch_err server_cv(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    LATCH_TRY(latch__tls13_recv_cv(c, m, c->cfg->sigalgs, c->cfg->n_sigalgs));
    *next = S13_WAIT_FINISHED;
    return LATCH_OK;
}

static latch_err server_fin(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    uint8_t th[LATCH_HASH_MAX_LEN];

    LATCH_TRY(latch__tls13_verify_finished(c, m));
    LATCH_TRY(latch__conn_set_keys13(c, false, &hs->c_ap, "application"));
    /* RFC 8446 §7.1: resumption_master_secret hashes through the client Finished. */
    LATCH_TRY(latch_transcript_hash(&hs->th, th));
    LATCH_TRY(latch_ks13_derive(&hs->ks, LATCH_KS13_RES_MASTER, th, &c->resumption_secret));
    *next = S13_CONNECTED;
    return LATCH_OK;
}

static latch_err server_key_update(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    return latch__tls13_recv_key_update(c, m, next);
}

/* ---- The table ------------------------------------------------------------------------ */

#define HS LATCH_CT_HANDSHAKE

static const latch_hs_edge edges[] = {
    {S_START, HS, LATCH_HS_CLIENT_HELLO, server_ch,
     LATCH_S(S13_WAIT_CH2) | LATCH_S(S13_WAIT_CERT) | LATCH_S(S13_WAIT_FINISHED),
     LATCH_HSF_OWN_TRANSCRIPT | LATCH_HSF_END_OF_RECORD},
    {S13_WAIT_CH2, HS, LATCH_HS_CLIENT_HELLO, server_ch2, LATCH_S(S13_WAIT_CERT) | LATCH_S(S13_WAIT_FINISHED),
     LATCH_HSF_OWN_TRANSCRIPT | LATCH_HSF_END_OF_RECORD},
    {S13_WAIT_CERT, HS, LATCH_HS_CERTIFICATE, server_cert, LATCH_S(S13_WAIT_CV) | LATCH_S(S13_WAIT_FINISHED), 0},
    {S13_WAIT_CV, HS, LATCH_HS_CERTIFICATE_VERIFY, server_cv, LATCH_S(S13_WAIT_FINISHED), LATCH_HSF_PRIOR_HASH},
    {S13_WAIT_FINISHED, HS, LATCH_HS_FINISHED, server_fin, LATCH_S(S13_CONNECTED),
     LATCH_HSF_PRIOR_HASH | LATCH_HSF_END_OF_RECORD},
    {S13_CONNECTED, HS, LATCH_HS_KEY_UPDATE, server_key_update, LATCH_S(S13_CONNECTED),
     LATCH_HSF_NO_TRANSCRIPT | LATCH_HSF_END_OF_RECORD},
};

const latch_hs_table latch__server_table = {
    "server",
    edges,
    sizeof edges / sizeof edges[0],
    NULL,
    0,
    state_names,
    S__COUNT,
    LATCH_S(S13_CONNECTED),
    LATCH_PROOF_CERT | LATCH_PROOF_CV | LATCH_PROOF_FIN,
};
