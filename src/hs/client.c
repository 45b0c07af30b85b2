/*
 * The client: its state table, the ClientHello for both versions, and the
 * TLS 1.3 handlers (RFC 8446 §2 and Appendix A.1). A TLS 1.2 ServerHello is
 * handed to client12.c, whose edges complete the table.
 *
 *                      START --send ClientHello--> WAIT_SH
 *   WAIT_SH     --HelloRetryRequest / send ClientHello2--> WAIT_SH
 *   WAIT_SH     --ServerHello--> WAIT_EE
 *   WAIT_EE     --EncryptedExtensions--> WAIT_CERT_CR
 *   WAIT_CERT_CR --CertificateRequest--> WAIT_CERT
 *   WAIT_CERT_CR, WAIT_CERT --Certificate--> WAIT_CV
 *   WAIT_CV     --CertificateVerify--> WAIT_FINISHED
 *   WAIT_FINISHED --Finished / send [Certificate, CertificateVerify,]
 *                   Finished--> CONNECTED
 *   CONNECTED   --NewSessionTicket, KeyUpdate--> CONNECTED
 */
#include "hs/hs.h"
#include "hs/pha.h"
#include "hs/states.h"

#include "core/alloc.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>


static const char *const state_names[C__COUNT] = {
    "START",          "WAIT_SH",           "WAIT_EE",          "WAIT_CERT_CR",    "WAIT_CERT",
    "WAIT_CV",        "WAIT_FINISHED",     "CONNECTED",        "1.2 WAIT_CERT",   "1.2 WAIT_SKE",
    "1.2 WAIT_CR_DONE", "1.2 WAIT_DONE",   "1.2 WAIT_NST",     "1.2 WAIT_CCS",    "1.2 WAIT_FINISHED",
    "1.2 CONNECTED",  "1.2 RESUME_WAIT_NST", "1.2 RESUME_WAIT_CCS", "1.2 RESUME_WAIT_FINISHED",
};

static bool offers(const latch_hs *hs, uint16_t version)
{
    return latch__u16_in(hs->offered_versions, hs->n_offered_versions, version);
}

/* Extensions we may have offered, by LATCH_X bit, filled as the ClientHello is built. */
static uint32_t offered_mask(const latch_conn *c)
{
    const latch_hs *hs = c->hs;
    uint32_t m = LATCH_XBIT(LATCH_X_SUPPORTED_VERSIONS) | LATCH_XBIT(LATCH_X_KEY_SHARE) |
                 LATCH_XBIT(LATCH_X_SUPPORTED_GROUPS) | LATCH_XBIT(LATCH_X_SIGNATURE_ALGORITHMS) |
                 LATCH_XBIT(LATCH_X_PSK_KEY_EXCHANGE_MODES) | LATCH_XBIT(LATCH_X_COOKIE);

    if (hs->sni_sent) {
        m |= LATCH_XBIT(LATCH_X_SERVER_NAME);
    }
    if (hs->alpn_offered) {
        m |= LATCH_XBIT(LATCH_X_ALPN);
    }
    if (hs->psk_offered) {
        m |= LATCH_XBIT(LATCH_X_PRE_SHARED_KEY);
    }
    if (hs->early_offered) {
        m |= LATCH_XBIT(LATCH_X_EARLY_DATA);
    }
    if (offers(hs, LATCH_TLS12)) {
        m |= LATCH_XBIT(LATCH_X_EXTENDED_MASTER_SECRET) | LATCH_XBIT(LATCH_X_RENEGOTIATION_INFO) |
             LATCH_XBIT(LATCH_X_EC_POINT_FORMATS) | LATCH_XBIT(LATCH_X_SESSION_TICKET);
    }
    return m;
}

/* ---- ClientHello ------------------------------------------------------------------ */

static latch_err build_with_psk(latch_conn *c, latch_wr *w, latch_client_hello_out *ch);
static latch_err send_early(latch_conn *c);

typedef struct ch_arg {
    const uint8_t *pubs[LATCH_HS_MAX_SHARES];
    size_t pub_lens[LATCH_HS_MAX_SHARES];
} ch_arg;

static latch_err build_client_hello(latch_conn *c, latch_wr *w, const void *arg)
{
    const ch_arg *a = arg;
    const latch_config *cfg = c->cfg;
    latch_hs *hs = c->hs;
    latch_client_hello_out ch;
    latch_key_share shares[LATCH_HS_MAX_SHARES];
    static const uint8_t psk_modes[] = {LATCH_PSK_DHE_KE};

    memset(&ch, 0, sizeof ch);
    ch.legacy_version = LATCH_TLS12;
    memcpy(ch.random, c->client_random, 32);
    ch.session_id = hs->session_id;
    ch.session_id_len = hs->session_id_len;
    ch.suites = hs->offered_suites;
    ch.n_suites = hs->n_offered_suites;
    /* A TLS 1.2-only ClientHello is a plain one: no supported_versions
     * (RFC 8446 §4.2.1 makes it the TLS 1.3 marker), key_share or PSK modes. */
    if (offers(hs, LATCH_TLS13)) {
        ch.versions = hs->offered_versions;
        ch.n_versions = hs->n_offered_versions;
        ch.key_share_ext = true;
        ch.psk_modes = psk_modes;
        ch.n_psk_modes = sizeof psk_modes;
    }
    /* RFC 7627, RFC 5746, RFC 8422 §5.1.2, RFC 5077: the TLS 1.2 extensions. */
    ch.tls12 = offers(hs, LATCH_TLS12);
    if (hs->offer12 && c->session->ticket_len > 0) {
        /* RFC 5077 §3.2: the ticket to resume, in session_ticket. */
        ch.session_ticket = c->session->ticket;
        ch.session_ticket_len = c->session->ticket_len;
    }
    ch.groups = cfg->groups;
    ch.n_groups = cfg->n_groups;
    for (size_t i = 0; i < hs->n_shares; i++) {
        shares[i].group = hs->share_groups[i];
        shares[i].key_exchange = latch_rd_make(a->pubs[i], a->pub_lens[i]);
    }
    ch.shares = shares;
    ch.n_shares = hs->n_shares;
    ch.sigalgs = cfg->sigalgs;
    ch.n_sigalgs = cfg->n_sigalgs;
    /* RFC 8446 §4.2.3: the schemes we accept in certificates, which are the
     * same (chain verification refuses SHA-1 and short RSA keys itself). */
    ch.sigalgs_cert = cfg->sigalgs;
    ch.n_sigalgs_cert = cfg->n_sigalgs;
    ch.server_name = hs->sni_sent ? c->server_name : NULL;
    if (hs->alpn_offered) {
        ch.alpn_wire = cfg->alpn_wire;
        ch.alpn_len = cfg->alpn_len;
    }
    ch.cookie = hs->cookie;
    ch.cookie_len = hs->cookie_len;
    ch.grease = hs->grease[0];
    ch.grease2 = hs->grease[1];
    ch.no_grease_share = c->did_hrr;
    ch.early_data = hs->early_offered;
    /* A client with certificates lets the server ask for one later (§4.2.6). */
    ch.post_handshake_auth = cfg->n_chains > 0 && offers(hs, LATCH_TLS13);
    if (hs->psk_session == NULL) {
        return latch_client_hello_build(w, &ch);
    }
    return build_with_psk(c, w, &ch);
}

/*
 * A ClientHello offering a PSK (RFC 8446 §4.2.11): pre_shared_key goes last
 * with a zeroed binder, then the binder is computed over the transcript so
 * far and this ClientHello truncated before the binders (§4.2.11.2), and
 * written in place.
 */
static latch_err build_with_psk(latch_conn *c, latch_wr *w, latch_client_hello_out *ch)
{
    latch_hs *hs = c->hs;
    const latch_session *ps = hs->psk_session;
    const latch_hash_alg *h = latch_provider_hash(c->prov, hs->psk_hash);
    static const uint8_t modes_dhe[] = {LATCH_PSK_DHE_KE};
    /* A client that allows psk_ke asks for it first (the server takes the
     * first mode it accepts). */
    static const uint8_t modes_both[] = {LATCH_PSK_KE, LATCH_PSK_DHE_KE};
    uint8_t zero[LATCH_HASH_MAX_LEN] = {0}, th[LATCH_HASH_MAX_LEN], binder[LATCH_HASH_MAX_LEN];
    latch_psk_identity id;
    latch_secret bk;
    latch_ks13 ks;
    size_t start = latch_wr_len(w), len, blen;
    uint32_t age = 0;
    latch_err e;

    LATCH_ENSURE(h != NULL, LATCH_ERR_INTERNAL, "PSK hash missing from the provider");
    if (!ps->external) {
        /* §4.2.11.1: the ticket's age in milliseconds, plus ticket_age_add. */
        int64_t secs = latch__config_now(c->cfg) - ps->issued;

        age = (uint32_t)((uint64_t)(secs > 0 ? secs : 0) * 1000u) + ps->age_add;
    }
    memset(&id, 0, sizeof id);
    id.identity = latch_rd_make(ps->ticket, ps->ticket_len);
    id.obfuscated_ticket_age = age;
    id.binder = latch_rd_make(zero, h->digest_len);
    ch->psks = &id;
    ch->n_psks = 1;
    ch->psk_modes = c->cfg->allow_psk_ke ? modes_both : modes_dhe;
    ch->n_psk_modes = c->cfg->allow_psk_ke ? 2 : 1;
    LATCH_TRY(latch_client_hello_build(w, ch));
    len = latch_wr_len(w) - start;
    blen = latch_client_hello_binders_len(ch);
    LATCH_ENSURE(blen < len, LATCH_ERR_INTERNAL, "binders longer than the ClientHello");
    latch_ks13_init(&ks, h);
    e = latch_ks13_early(&ks, hs->psk.b, hs->psk.len);
    if (e == LATCH_OK) {
        e = latch_ks13_binder_key(&ks, ps->external, &bk);
    }
    if (e == LATCH_OK) {
        e = latch_transcript_hash_as(&hs->th, hs->psk_hash, w->buf + start, len - blen, th);
    }
    if (e == LATCH_OK) {
        e = latch_ks13_finished(h, &bk, th, binder);
    }
    if (e == LATCH_OK) {
        memcpy(w->buf + start + len - h->digest_len, binder, h->digest_len);
    }
    latch_ks13_wipe(&ks);
    latch_secret_wipe(&bk);
    latch_wipe(binder, sizeof binder);
    hs->psk_offered = e == LATCH_OK;
    return e;
}

/*
 * 0-RTT (RFC 8446 §2.3): right after the ClientHello, the compatibility CCS
 * (D.4), then the early data under client_early_traffic_secret, with the
 * session's cipher suite.
 */
static latch_err send_early(latch_conn *c)
{
    latch_hs *hs = c->hs;
    const latch_suite *s = latch_suite_by_id(hs->psk_session->suite);

    LATCH_ENSURE(s != NULL, LATCH_ERR_INTERNAL, "session suite unknown");
    c->hash = latch_provider_hash(c->prov, s->hash);
    c->aead = latch_provider_aead(c->prov, s->aead);
    LATCH_ENSURE(c->hash != NULL && c->aead != NULL, LATCH_ERR_INTERNAL, "session suite missing from the provider");
    LATCH_TRY(latch__conn_send_ccs(c));
    hs->sent_ccs = true;
    LATCH_TRY(latch__tls13_early_keys(c, true));
    for (size_t off = 0; off < c->early_len; off += LATCH_REC_MAX_PLAIN) {
        size_t n = c->early_len - off < LATCH_REC_MAX_PLAIN ? c->early_len - off : LATCH_REC_MAX_PLAIN;

        LATCH_TRY(latch__conn_send_record(c, LATCH_CT_APPLICATION_DATA, c->early_buf + off, n));
        latch__conn_trace(c, LATCH_TRACE_APP_DATA, true, 0, "early data", n, "%zu bytes of 0-RTT data", n);
    }
    return LATCH_OK;
}

/* Generate key shares for the groups in hs->share_groups[0..n). */
static latch_err make_shares(latch_conn *c, uint8_t pubs[][LATCH_KX_MAX_PUB], ch_arg *a)
{
    latch_hs *hs = c->hs;

    for (size_t i = 0; i < hs->n_shares; i++) {
        const latch_kx_alg *kx = latch_provider_kx(c->prov, hs->share_groups[i]);

        LATCH_ENSURE(kx != NULL, LATCH_ERR_UNSUPPORTED, "the provider lacks a configured group");
        LATCH_TRY(kx->keygen(kx, c->prov, &hs->share_keys[i], pubs[i]));
        a->pubs[i] = pubs[i];
        a->pub_lens[i] = kx->pub_len;
    }
    return LATCH_OK;
}

static void destroy_shares(latch_conn *c)
{
    latch_hs *hs = c->hs;

    for (size_t i = 0; i < hs->n_shares; i++) {
        const latch_kx_alg *kx = latch_provider_kx(c->prov, hs->share_groups[i]);

        if (kx != NULL && hs->share_keys[i] != NULL) {
            kx->destroy(hs->share_keys[i]);
        }
        hs->share_keys[i] = NULL;
    }
    hs->n_shares = 0;
}

static bool is_ip_literal(const char *s)
{
    uint8_t buf[16];

    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static latch_err check_host(const char *name)
{
    size_t n = strlen(name);

    LATCH_ENSURE(n > 0 && n < 254, LATCH_ERR_INVALID_ARGUMENT, "the server name must be 1 to 253 bytes");
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];

        LATCH_ENSURE(ch > 0x20 && ch < 0x7F, LATCH_ERR_INVALID_ARGUMENT,
                     "the server name must be printable ASCII (use the A-label of an IDN)");
    }
    return LATCH_OK;
}

latch_err latch__client_init(latch_conn *c, const char *server_name)
{
    const latch_config *cfg = c->cfg;

    if (server_name == NULL) {
        LATCH_ENSURE(cfg->insecure_no_verify, LATCH_ERR_INVALID_ARGUMENT,
                     "a server name is needed to verify the server's certificate");
    } else {
        size_t n = strlen(server_name);

        LATCH_TRY(check_host(server_name));
        /* A trailing dot names the same host; SNI must not carry it (RFC 6066 §3). */
        if (server_name[n - 1] == '.') {
            n--;
        }
        LATCH_TRY(latch__conn_set_str(c, &c->server_name, (const uint8_t *)server_name, n));
    }
    c->client_pending = true;
    return LATCH_OK;
}

/* Which PSK to offer, if any: the session set with latch_conn_set_session
 * (a TLS 1.3 ticket, still fresh, for a suite hash we offer), else the first
 * external PSK of the config. */
static void choose_psk(latch_conn *c)
{
    latch_hs *hs = c->hs;
    const latch_session *cand[1 + 8];
    size_t n = 0;

    if (c->session != NULL && c->session->version == LATCH_TLS13 &&
        latch_session_fresh(c->session, latch__config_now(c->cfg)) && c->session->ticket_len > 0) {
        cand[n++] = c->session;
    }
    for (size_t i = 0; i < c->cfg->n_psks; i++) {
        cand[n++] = &c->cfg->psks[i];
    }
    for (size_t i = 0; i < n; i++) {
        const latch_suite *ps = latch_suite_by_id(cand[i]->suite);

        if (ps == NULL) {
            continue;
        }
        for (size_t j = 0; j < hs->n_offered_suites; j++) {
            const latch_suite *os = latch_suite_by_id(hs->offered_suites[j]);

            if (os != NULL && os->hash == ps->hash) {
                hs->psk_session = cand[i];
                hs->psk_hash = ps->hash;
                latch_secret_set(&hs->psk, cand[i]->secret.b, cand[i]->secret.len);
                return;
            }
        }
    }
}

latch_err latch__client_start(latch_conn *c)
{
    const latch_config *cfg = c->cfg;
    uint8_t pubs[LATCH_HS_MAX_SHARES][LATCH_KX_MAX_PUB];
    uint8_t gr[2], rnd[32 + 32 + 2];
    size_t n_rnd;
    bool resume12_sid, fresh_sid;
    ch_arg a;
    latch_hs *hs;

    memset(&a, 0, sizeof a);
    c->client_pending = false;
    LATCH_TRY(latch__hs_new(c));
    hs = c->hs;
    /* supported_versions lists the newest first (RFC 8446 §4.2.1). */
    if (cfg->max_version >= LATCH_TLS13) {
        hs->offered_versions[hs->n_offered_versions++] = LATCH_TLS13;
    }
    if (cfg->min_version <= LATCH_TLS12) {
        hs->offered_versions[hs->n_offered_versions++] = LATCH_TLS12;
    }
    for (size_t i = 0; i < cfg->n_suites; i++) {
        const latch_suite *s = latch_suite_by_id(cfg->suites[i]);

        if (s == NULL || !offers(hs, s->version) || latch_provider_aead(c->prov, s->aead) == NULL) {
            continue;
        }
        /* RSA key transport only when switched on and the provider has it. */
        if (s->kx == LATCH_SUITE_KX_RSA && (!cfg->legacy_rsa_kx || c->prov->rsa_encrypt == NULL)) {
            continue;
        }
        hs->offered_suites[hs->n_offered_suites++] = s->id;
    }
    LATCH_ENSURE(hs->n_offered_suites > 0, LATCH_ERR_NO_SHARED_CIPHER,
                 "no cipher suite of the allowed versions is configured");
    hs->offer12 = latch__client12_can_offer(c);
    resume12_sid = hs->offer12 && c->session->ticket_len == 0;
    fresh_sid = !resume12_sid && (offers(hs, LATCH_TLS13) || hs->offer12);
    /* The client random, a fresh session id if one is needed, and the GREASE
     * seed, in that order, in one draw: each draw from libcrypto 3.0's DRBG
     * costs about a microsecond, a few percent of a resumed handshake. */
    n_rnd = 32 + (fresh_sid ? 32u : 0u) + sizeof gr;
    LATCH_TRY(c->prov->random(c->prov->rng, rnd, n_rnd));
    memcpy(c->client_random, rnd, 32);
    memcpy(gr, rnd + n_rnd - sizeof gr, sizeof gr);
    if (resume12_sid) {
        /* RFC 5246 §7.4.1.2: the id of the session to resume (RFC 8446
         * D.4 lets it double as the TLS 1.3 compatibility id). */
        memcpy(hs->session_id, c->session->sid, c->session->sid_len);
        hs->session_id_len = c->session->sid_len;
    } else if (fresh_sid) {
        /* RFC 8446 D.4: middlebox compatibility mode, a fresh 32-byte
         * session id; with a TLS 1.2 ticket, RFC 5077 §3.4's random id that
         * a server echoes when it accepts the ticket. */
        hs->session_id_len = 32;
        hs->compat_sid = !hs->offer12;
        memcpy(hs->session_id, rnd + 32, 32);
    }
    /* A TLS 1.2 CertificateVerify signs the handshake messages: keep them
     * if we might have to send one. */
    hs->keep_msgs = offers(hs, LATCH_TLS12) && cfg->n_chains > 0;
    /* RFC 8701: two distinct GREASE values 0x?A?A. */
    hs->grease[0] = (uint16_t)(0x0A0A | ((gr[0] & 0xF0) << 8) | (gr[0] & 0xF0));
    hs->grease[1] = (uint16_t)(0x0A0A | (((gr[0] + 0x10) & 0xF0) << 8) | ((gr[0] + 0x10) & 0xF0));
    hs->sni_sent = c->server_name != NULL && c->server_name[0] != '\0' && !is_ip_literal(c->server_name);
    hs->alpn_offered = cfg->alpn_len > 0;
    for (size_t i = 0; offers(hs, LATCH_TLS13) && i < cfg->n_groups && hs->n_shares < cfg->key_shares &&
                       i < LATCH_HS_MAX_SHARES;
         i++) {
        hs->share_groups[hs->n_shares++] = cfg->groups[i];
    }
    choose_psk(c);
    /* RFC 8446 §4.2.10: 0-RTT with the first (only) PSK, if its ticket allows this much. */
    hs->early_offered = c->early_len > 0 && hs->psk_session != NULL && !hs->psk_session->external &&
                        hs->psk_session->max_early_data >= c->early_len;
    LATCH_TRY(make_shares(c, pubs, &a));
    LATCH_TRY(latch__hs_send(c, LATCH_HS_CLIENT_HELLO, build_client_hello, &a, false));
    LATCH_TRY(latch__hs_flush(c));
    c->wr.version = LATCH_TLS12;
    c->state = C_WAIT_SH;
    if (hs->early_offered) {
        LATCH_TRY(send_early(c));
    }
    return LATCH_OK;
}

/* ---- ServerHello and HelloRetryRequest ---------------------------------------------- */

/* Checks common to ServerHello and HelloRetryRequest (RFC 8446 §4.1.3). */
static latch_err check_hello(latch_conn *c, const latch_server_hello *sh, const latch_suite **suite)
{
    latch_hs *hs = c->hs;
    const latch_suite *s;

    LATCH_ENSURE(sh->session_id.len == hs->session_id_len &&
                     memcmp(sh->session_id.p, hs->session_id, hs->session_id_len) == 0,
                 LATCH_ERR_ILLEGAL_PARAMETER, "ServerHello.legacy_session_id_echo differs from our session id");
    s = latch_suite_by_id(sh->cipher_suite);
    LATCH_ENSURE(s != NULL && s->version == LATCH_TLS13 &&
                     latch__u16_in(hs->offered_suites, hs->n_offered_suites, sh->cipher_suite),
                 LATCH_ERR_ILLEGAL_PARAMETER, "the server chose a cipher suite we did not offer");
    LATCH_ENSURE(sh->compression_method == 0, LATCH_ERR_ILLEGAL_PARAMETER,
                 "ServerHello.legacy_compression_method must be 0");
    LATCH_ENSURE((sh->exts.present & ~offered_mask(c)) == 0, LATCH_ERR_UNSUPPORTED_EXTENSION,
                 "the server answered with an extension we did not offer");
    if (c->did_hrr) {
        /* RFC 8446 §4.1.4: the suite must not change after a HelloRetryRequest. */
        LATCH_ENSURE(s->id == hs->hrr_suite, LATCH_ERR_ILLEGAL_PARAMETER,
                     "ServerHello's cipher suite differs from the HelloRetryRequest's");
    }
    *suite = s;
    return LATCH_OK;
}

static latch_err use_suite(latch_conn *c, const latch_suite *s)
{
    c->suite = s;
    c->hash = latch_provider_hash(c->prov, s->hash);
    c->aead = latch_provider_aead(c->prov, s->aead);
    LATCH_ENSURE(c->hash != NULL && c->aead != NULL, LATCH_ERR_INTERNAL, "suite algorithms missing from provider");
    if (latch_transcript_alg(&c->hs->th) == NULL) {
        LATCH_TRY(latch_transcript_select(&c->hs->th, s->hash));
    }
    return LATCH_OK;
}

static latch_err client_hrr(latch_conn *c, const latch_server_hello *sh, const latch_hs_msg *m, uint8_t *next)
{
    const latch_config *cfg = c->cfg;
    latch_hs *hs = c->hs;
    uint8_t pubs[LATCH_HS_MAX_SHARES][LATCH_KX_MAX_PUB];
    const latch_suite *s;
    uint16_t group = 0;
    ch_arg a;

    LATCH_ENSURE(!c->did_hrr, LATCH_ERR_UNEXPECTED_MESSAGE, "a second HelloRetryRequest (RFC 8446 §4.1.4)");
    LATCH_TRY(check_hello(c, sh, &s));
    if (latch_exts_has(&sh->exts, LATCH_X_KEY_SHARE)) {
        LATCH_TRY(latch_ext_key_share_hrr_parse(sh->exts.data[LATCH_X_KEY_SHARE], &group));
        /* RFC 8446 §4.2.8: a group we support, and not one we already sent. */
        LATCH_ENSURE(latch__u16_in(cfg->groups, cfg->n_groups, group), LATCH_ERR_ILLEGAL_PARAMETER,
                     "HelloRetryRequest asks for a group we did not offer");
        LATCH_ENSURE(!latch__u16_in(hs->share_groups, hs->n_shares, group), LATCH_ERR_ILLEGAL_PARAMETER,
                     "HelloRetryRequest asks for a group we already sent a key share for");
    }
    if (latch_exts_has(&sh->exts, LATCH_X_COOKIE)) {
        latch_rd cookie;

        LATCH_TRY(latch_ext_cookie_parse(sh->exts.data[LATCH_X_COOKIE], &cookie));
        hs->cookie = latch__alloc(c->alloc, cookie.len);
        LATCH_ENSURE(hs->cookie != NULL, LATCH_ERR_NO_MEMORY, "allocating the HRR cookie");
        memcpy(hs->cookie, cookie.p, cookie.len);
        hs->cookie_len = cookie.len;
    }
    /* RFC 8446 §4.1.4: a HelloRetryRequest that would not change the ClientHello is illegal. */
    LATCH_ENSURE(group != 0 || hs->cookie != NULL, LATCH_ERR_ILLEGAL_PARAMETER,
                 "HelloRetryRequest asks for nothing new");
    LATCH_TRY(use_suite(c, s));
    latch__hs_drop_msgs(c); /* TLS 1.3 from here on */
    /* §4.4.1: ClientHello1 becomes message_hash(Hash(ClientHello1)). */
    LATCH_TRY(latch_transcript_hrr(&hs->th));
    LATCH_TRY(latch__hs_transcript_add(c, m->whole.p, m->whole.len));
    c->did_hrr = true;
    hs->hrr_suite = s->id;
    hs->hrr_group = group;
    if (hs->early_offered) {
        /* §4.2.10: no early data after a HelloRetryRequest; back to the clear
         * for the second ClientHello. */
        hs->early_offered = false;
        c->early = LATCH_EARLY_REJECTED;
        latch_rec_dir_clear(&c->wr);
        c->wr.version = LATCH_TLS12;
        latch_ks13_wipe(&hs->ks);
    }
    latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "retry", 0, "the server asks for a new ClientHello%s%s%s",
                      group != 0 ? " with a key share for " : "", group != 0 ? latch_group_name(group) : "",
                      hs->cookie != NULL ? " (and echoes a cookie)" : "");
    if (group != 0) {
        destroy_shares(c);
        hs->share_groups[0] = group;
        hs->n_shares = 1;
    }
    memset(&a, 0, sizeof a);
    LATCH_TRY(make_shares(c, pubs, &a));
    if (!hs->sent_ccs && hs->session_id_len > 0) {
        LATCH_TRY(latch__conn_send_ccs(c));
        hs->sent_ccs = true;
    }
    LATCH_TRY(latch__hs_send(c, LATCH_HS_CLIENT_HELLO, build_client_hello, &a, false));
    LATCH_TRY(latch__hs_flush(c));
    *next = C_WAIT_SH;
    return LATCH_OK;
}

static latch_err client_sh13(latch_conn *c, const latch_server_hello *sh, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    const latch_suite *s;
    const latch_kx_alg *kx;
    latch_key_share share;
    uint8_t secret[LATCH_KX_MAX_SECRET];
    size_t idx = hs->n_shares;
    latch_err e;

    LATCH_TRY(check_hello(c, sh, &s));
    if (latch_exts_has(&sh->exts, LATCH_X_PRE_SHARED_KEY)) {
        uint16_t sel;

        LATCH_TRY(latch_ext_psk_sh_parse(sh->exts.data[LATCH_X_PRE_SHARED_KEY], &sel));
        /* RFC 8446 §4.2.11: an identity we offered, with a suite of its hash. */
        LATCH_ENSURE(sel == 0, LATCH_ERR_ILLEGAL_PARAMETER, "ServerHello selects a PSK identity we did not offer");
        LATCH_ENSURE(s->hash == hs->psk_hash, LATCH_ERR_ILLEGAL_PARAMETER,
                     "ServerHello resumes with a suite whose hash differs from the PSK's");
        c->resumed = true;
        c->proofs |= LATCH_PROOF_PSK;
    }
    if (c->resumed && !latch_exts_has(&sh->exts, LATCH_X_KEY_SHARE)) {
        /* psk_ke: no (EC)DHE, allowed only if we offered it. */
        LATCH_ENSURE(c->cfg->allow_psk_ke, LATCH_ERR_MISSING_EXTENSION,
                     "ServerHello resumes without key_share but we offered only psk_dhe_ke");
        LATCH_TRY(use_suite(c, s));
        LATCH_TRY(latch_transcript_add(&hs->th, m->whole.p, m->whole.len));
        memcpy(c->server_random, sh->random, 32);
        c->version = LATCH_TLS13;
        destroy_shares(c);
        latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "resumption", 0,
                          "the server resumes the session (psk_ke: no new key exchange)");
        LATCH_TRY(latch__tls13_handshake_keys(c, NULL, 0));
        *next = C13_WAIT_EE;
        return LATCH_OK;
    }
    LATCH_ENSURE(latch_exts_has(&sh->exts, LATCH_X_KEY_SHARE), LATCH_ERR_MISSING_EXTENSION,
                 "ServerHello without key_share");
    LATCH_TRY(latch_ext_key_share_sh_parse(sh->exts.data[LATCH_X_KEY_SHARE], &share));
    for (size_t i = 0; i < hs->n_shares; i++) {
        if (hs->share_groups[i] == share.group) {
            idx = i;
        }
    }
    LATCH_ENSURE(idx < hs->n_shares, LATCH_ERR_ILLEGAL_PARAMETER,
                 "ServerHello's key share is for a group we sent no share for");
    LATCH_TRY(use_suite(c, s));
    latch__hs_drop_msgs(c); /* TLS 1.3 from here on */
    LATCH_TRY(latch__hs_transcript_add(c, m->whole.p, m->whole.len));
    memcpy(c->server_random, sh->random, 32);
    c->version = LATCH_TLS13;
    c->group = share.group;
    kx = latch_provider_kx(c->prov, share.group);
    LATCH_ENSURE(kx != NULL, LATCH_ERR_INTERNAL, "key share group missing from the provider");
    e = kx->derive(hs->share_keys[idx], share.key_exchange.p, share.key_exchange.len, secret);
    hs->share_keys[idx] = NULL; /* consumed */
    destroy_shares(c);
    if (e == LATCH_OK) {
        latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "key exchange", 0,
                          "%s shared secret computed; handshake keys derived%s", kx->name,
                          c->resumed ? " (resuming the session: psk_dhe_ke)" : "");
        e = latch__tls13_handshake_keys(c, secret, kx->secret_len);
    } else {
        e = LATCH_FAIL(e, "the server's %s key share is invalid", kx->name);
    }
    latch_wipe(secret, sizeof secret);
    LATCH_TRY(e);
    *next = C13_WAIT_EE;
    return LATCH_OK;
}

static latch_err client_sh(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    latch_server_hello sh;
    uint16_t v;

    LATCH_TRY(latch_server_hello_parse(m->body, &sh));
    if (latch_exts_has(&sh.exts, LATCH_X_SUPPORTED_VERSIONS)) {
        LATCH_TRY(latch_ext_versions_sh_parse(sh.exts.data[LATCH_X_SUPPORTED_VERSIONS], &v));
        /* RFC 8446 §4.2.1: a version we did not offer, or below 1.3, is illegal here. */
        LATCH_ENSURE(v == LATCH_TLS13 && offers(hs, LATCH_TLS13), LATCH_ERR_ILLEGAL_PARAMETER,
                     "ServerHello.supported_versions selects a version we did not offer");
        LATCH_ENSURE(sh.legacy_version == LATCH_TLS12, LATCH_ERR_ILLEGAL_PARAMETER,
                     "a TLS 1.3 ServerHello must carry legacy_version 0x0303");
        return sh.is_hrr ? client_hrr(c, &sh, m, next) : client_sh13(c, &sh, m, next);
    }
    /* RFC 8446 §4.1.3: a client that offered TLS 1.3 and gets an older
     * ServerHello checks the downgrade sentinel before anything else:
     * "DOWNGRD" then 01 (TLS 1.2) or 00 (older). A TLS 1.2-only client
     * never offered 1.3, so a 1.3-capable server rightly set it. */
    if (offers(hs, LATCH_TLS13) && memcmp(sh.random + 24, "DOWNGRD", 7) == 0 &&
        (sh.random[31] == 0 || sh.random[31] == 1)) {
        return LATCH_FAIL(LATCH_ERR_DOWNGRADE,
                          "the server supports TLS 1.3 but answered with %s: someone removed TLS 1.3 from our offer",
                          latch_version_name(sh.legacy_version));
    }
    if (sh.legacy_version < LATCH_TLS12) {
        return LATCH_FAIL(LATCH_ERR_PROTOCOL_VERSION,
                          "the server chose %s; latch refuses SSL 3.0, TLS 1.0 and TLS 1.1",
                          latch_version_name(sh.legacy_version));
    }
    LATCH_ENSURE(sh.legacy_version == LATCH_TLS12, LATCH_ERR_PROTOCOL_VERSION,
                 "the ServerHello names a version above TLS 1.2 without supported_versions");
    if (!offers(hs, LATCH_TLS12)) {
        return LATCH_FAIL(LATCH_ERR_PROTOCOL_VERSION,
                          "the server chose TLS 1.2, which this configuration does not allow (TLS 1.3 only)");
    }
    /* RFC 8446 §4.1.3: "a client MUST abort with illegal_parameter if
     * legacy_session_id_echo" does not match; a TLS 1.2 server that echoes
     * our random compatibility id pretends to resume a session we never had. */
    LATCH_ENSURE(!(hs->compat_sid && sh.session_id.len == hs->session_id_len &&
                   memcmp(sh.session_id.p, hs->session_id, hs->session_id_len) == 0),
                 LATCH_ERR_ILLEGAL_PARAMETER, "the TLS 1.2 server echoed our random TLS 1.3 compatibility session id");
    destroy_shares(c); /* TLS 1.3 key shares are no use in TLS 1.2 */
    return latch__client12_sh(c, &sh, m, next);
}

/* ---- EncryptedExtensions ----------------------------------------------------------- */

static latch_err client_ee(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_encrypted_extensions ee;
    uint32_t allowed = offered_mask(c);

    LATCH_TRY(latch_encrypted_extensions_parse(m->body, &ee));
    LATCH_ENSURE((ee.exts.present & ~allowed) == 0, LATCH_ERR_UNSUPPORTED_EXTENSION,
                 "EncryptedExtensions carries an extension we did not offer");
    if (latch_exts_has(&ee.exts, LATCH_X_SERVER_NAME)) {
        LATCH_TRY(latch_ext_empty_parse(ee.exts.data[LATCH_X_SERVER_NAME]));
    }
    if (c->hs->early_offered) {
        if (latch_exts_has(&ee.exts, LATCH_X_EARLY_DATA)) {
            LATCH_TRY(latch_ext_empty_parse(ee.exts.data[LATCH_X_EARLY_DATA]));
            c->early = LATCH_EARLY_ACCEPTED;
        } else {
            /* Declined: write with the handshake keys from now on. */
            c->early = LATCH_EARLY_REJECTED;
            c->hs->early_offered = false;
            LATCH_TRY(latch__conn_set_keys13(c, true, &c->hs->c_hs, "handshake"));
        }
        latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "early data", 0, "the server %s the 0-RTT data",
                          c->early == LATCH_EARLY_ACCEPTED ? "accepted" : "declined");
    }
    if (latch_exts_has(&ee.exts, LATCH_X_ALPN)) {
        LATCH_TRY(latch__client_take_alpn(c, ee.exts.data[LATCH_X_ALPN]));
    }
    /* A resumed handshake authenticates with the PSK: no certificates. */
    *next = c->resumed ? C13_WAIT_FINISHED : C13_WAIT_CERT_CR;
    return LATCH_OK;
}

latch_err latch__client_take_alpn(latch_conn *c, latch_rd data)
{
    latch_rd proto, it = latch_rd_make(c->cfg->alpn_wire, c->cfg->alpn_len), ours;
    bool found = false;

    LATCH_TRY(latch_ext_alpn_parse_one(data, &proto));
    while (latch_ext_alpn_next(&it, &ours)) {
        found = found || (ours.len == proto.len && memcmp(ours.p, proto.p, proto.len) == 0);
    }
    /* RFC 7301 §3.2: the server's choice must be one we offered. */
    LATCH_ENSURE(found, LATCH_ERR_ILLEGAL_PARAMETER, "the server chose an ALPN protocol we did not offer");
    return latch__conn_set_str(c, &c->alpn, proto.p, proto.len);
}

/* ---- Server authentication --------------------------------------------------------- */

static latch_err client_cert(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    bool empty;

    LATCH_TRY(latch__tls13_recv_cert(c, m, NULL, 0, &empty));
    *next = C13_WAIT_CV;
    return LATCH_OK;
}

static latch_err client_cr(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    latch_certificate_request cr;

    LATCH_TRY(latch_certificate_request_parse(m->body, &cr));
    /* RFC 8446 §4.3.2: in the handshake the context is empty. */
    LATCH_ENSURE(cr.request_context.len == 0, LATCH_ERR_ILLEGAL_PARAMETER,
                 "CertificateRequest in the handshake with a non-empty context");
    hs->cert_requested = true;
    LATCH_TRY(latch__pick_client_chain(c, &cr, false, &hs->chain, &c->sigalg));
    latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "client certificate", 0, "%s",
                      hs->chain != NULL ? "the server asks for a certificate; we have one that fits"
                                        : "the server asks for a certificate; none fits, we will send an empty one");
    *next = C13_WAIT_CERT;
    return LATCH_OK;
}

static latch_err client_cv(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    LATCH_TRY(latch__tls13_recv_cv(c, m, c->cfg->sigalgs, c->cfg->n_sigalgs, c->hs->th_prior));
    *next = C13_WAIT_FINISHED;
    return LATCH_OK;
}

static latch_err build_eoed(latch_conn *c, latch_wr *w, const void *arg)
{
    (void)c;
    (void)arg;
    return latch_empty_msg_build(w, LATCH_HS_END_OF_EARLY_DATA);
}

static latch_err client_fin(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    uint8_t th[LATCH_HASH_MAX_LEN];

    LATCH_TRY(latch__tls13_verify_finished(c, m));
    if (c->resumed) {
        /* The server proved it holds the PSK; the certificate was checked when
         * the session was made (if it was: --insecure sessions say so). */
        c->verify_result = hs->psk_session->external || hs->psk_session->verified ? LATCH_OK
                                                                                   : LATCH_ERR_CERT_UNKNOWN;
    }
    LATCH_TRY(latch__tls13_app_secrets(c));
    LATCH_TRY(latch__conn_set_keys13(c, false, &hs->s_ap, "application"));
    if (!hs->sent_ccs && hs->session_id_len > 0) {
        LATCH_TRY(latch__conn_send_ccs(c));
        hs->sent_ccs = true;
    }
    if (hs->early_offered) {
        /* §4.5: EndOfEarlyData, still under the early keys, then the handshake keys. */
        LATCH_TRY(latch__hs_send(c, LATCH_HS_END_OF_EARLY_DATA, build_eoed, NULL, false));
        LATCH_TRY(latch__hs_flush(c));
        LATCH_TRY(latch__conn_set_keys13(c, true, &hs->c_hs, "handshake"));
        hs->early_offered = false;
    }
    if (hs->cert_requested) {
        LATCH_TRY(latch__tls13_send_cert_and_cv(c, hs->chain, c->sigalg, NULL, 0));
        if (hs->chain == NULL) {
            c->sigalg = 0;
        }
    }
    LATCH_TRY(latch__tls13_send_finished(c));
    LATCH_TRY(latch__hs_flush(c));
    LATCH_TRY(latch__conn_set_keys13(c, true, &hs->c_ap, "application"));
    /* Early data the server did not take goes again, as ordinary data. */
    if (c->early_len > 0 && c->early != LATCH_EARLY_ACCEPTED) {
        for (size_t off = 0; off < c->early_len; off += LATCH_REC_MAX_PLAIN) {
            size_t n = c->early_len - off < LATCH_REC_MAX_PLAIN ? c->early_len - off : LATCH_REC_MAX_PLAIN;

            LATCH_TRY(latch__conn_send_record(c, LATCH_CT_APPLICATION_DATA, c->early_buf + off, n));
        }
    }
    /* RFC 8446 §7.1: resumption_master_secret hashes through the client Finished. */
    LATCH_TRY(latch_transcript_hash(&hs->th, th));
    LATCH_TRY(latch_ks13_derive(&hs->ks, LATCH_KS13_RES_MASTER, th, &c->resumption_secret));
    if (c->cfg->n_chains > 0) {
        LATCH_TRY(latch__pha_save(c));
    }
    *next = C13_CONNECTED;
    return LATCH_OK;
}

/* ---- After the handshake ------------------------------------------------------------- */

static latch_err client_nst(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_new_session_ticket nst;

    latch_session *s;
    latch_err e;

    LATCH_TRY(latch_new_session_ticket_parse(m->body, &nst));
    *next = c->state;
    if (nst.ticket.len > LATCH_TICKET_MAX) {
        return LATCH_OK; /* larger than we keep: ignore it */
    }
    s = c->session != NULL ? c->session : latch__alloc(c->alloc, sizeof *s);
    LATCH_ENSURE(s != NULL, LATCH_ERR_NO_MEMORY, "allocating the session");
    c->session = s;
    latch_session_wipe(s);
    s->version = LATCH_TLS13;
    s->suite = c->suite->id;
    /* RFC 8446 §4.6.1: the PSK is derived from resumption_master_secret and the nonce. */
    e = latch_ks13_resumption_psk(c->hash, &c->resumption_secret, nst.nonce.p, nst.nonce.len, &s->secret);
    if (e != LATCH_OK) {
        latch_session_wipe(s);
        return e;
    }
    s->issued = latch__config_now(c->cfg);
    s->lifetime = nst.lifetime;
    s->age_add = nst.age_add;
    s->max_early_data = nst.max_early_data;
    s->verified = c->verify_result == LATCH_OK;
    latch__conn_session_names(c, s);
    memcpy(s->ticket, nst.ticket.p, nst.ticket.len);
    s->ticket_len = (uint16_t)nst.ticket.len;
    c->tickets_received++;
    return LATCH_OK;
}

static latch_err client_key_update(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    return latch__tls13_recv_key_update(c, m, next);
}

/* ---- The table ------------------------------------------------------------------------ */

#define HS LATCH_CT_HANDSHAKE

static const latch_hs_edge edges[] = {
    {C_WAIT_SH, HS, LATCH_HS_SERVER_HELLO, client_sh,
     LATCH_S(C_WAIT_SH) | LATCH_S(C13_WAIT_EE) | LATCH_S(C12_WAIT_CERT) | LATCH_S(C12_RESUME_WAIT_NST) |
         LATCH_S(C12_RESUME_WAIT_CCS),
     LATCH_HSF_OWN_TRANSCRIPT},
    {C13_WAIT_EE, HS, LATCH_HS_ENCRYPTED_EXTENSIONS, client_ee, LATCH_S(C13_WAIT_CERT_CR) | LATCH_S(C13_WAIT_FINISHED),
     0},
    {C13_WAIT_CERT_CR, HS, LATCH_HS_CERTIFICATE, client_cert, LATCH_S(C13_WAIT_CV), 0},
    {C13_WAIT_CERT_CR, HS, LATCH_HS_CERTIFICATE_REQUEST, client_cr, LATCH_S(C13_WAIT_CERT), 0},
    {C13_WAIT_CERT, HS, LATCH_HS_CERTIFICATE, client_cert, LATCH_S(C13_WAIT_CV), 0},
    {C13_WAIT_CV, HS, LATCH_HS_CERTIFICATE_VERIFY, client_cv, LATCH_S(C13_WAIT_FINISHED), LATCH_HSF_PRIOR_HASH},
    {C13_WAIT_FINISHED, HS, LATCH_HS_FINISHED, client_fin, LATCH_S(C13_CONNECTED),
     LATCH_HSF_PRIOR_HASH | LATCH_HSF_END_OF_RECORD},
    {C13_CONNECTED, HS, LATCH_HS_NEW_SESSION_TICKET, client_nst, LATCH_S(C13_CONNECTED), LATCH_HSF_NO_TRANSCRIPT},
    {C13_CONNECTED, HS, LATCH_HS_KEY_UPDATE, client_key_update, LATCH_S(C13_CONNECTED),
     LATCH_HSF_NO_TRANSCRIPT | LATCH_HSF_END_OF_RECORD},
    {C13_CONNECTED, HS, LATCH_HS_CERTIFICATE_REQUEST, latch__pha_client_cr, LATCH_S(C13_CONNECTED),
     LATCH_HSF_NO_TRANSCRIPT},
};

const latch_hs_table latch__client_table = {
    "client",
    edges,
    sizeof edges / sizeof edges[0],
    latch__client_edges12,
    LATCH_CLIENT_EDGES12,
    state_names,
    C__COUNT,
    LATCH_S(C13_CONNECTED) | LATCH_S(C12_CONNECTED),
    LATCH_PROOF_CERT | LATCH_PROOF_CV | LATCH_PROOF_FIN,
};
