/*
 * The server's TLS 1.2 handlers and edges (RFC 5246 §7.3, RFC 8422,
 * RFC 7627, RFC 5746, RFC 7507). server.c's ClientHello handler hands a
 * ClientHello here once version negotiation chose TLS 1.2.
 *
 *   START --ClientHello / send ServerHello, Certificate,
 *           [ServerKeyExchange,] [CertificateRequest,] ServerHelloDone-->
 *           WAIT_CERT (client auth) or WAIT_CKE
 *   WAIT_CERT --Certificate--> WAIT_CKE
 *   WAIT_CKE --ClientKeyExchange--> WAIT_CV (a client certificate came) or WAIT_CCS
 *   WAIT_CV  --CertificateVerify--> WAIT_CCS
 *   WAIT_CCS --ChangeCipherSpec--> WAIT_FINISHED
 *   WAIT_FINISHED --Finished / send ChangeCipherSpec, Finished--> CONNECTED
 *   CONNECTED --ClientHello--> refused: no_renegotiation
 *
 * Resumption (RFC 5246 §7.3; RFC 5077): a ClientHello with a ticket we
 * sealed (stateless tickets, the default store) or the id of a session in
 * our cache (LATCH_SESSIONS_CACHE), fresh, made with extended_master_secret
 * and offering it again (RFC 7627 §5.3), for a suite the client still
 * offers and the same server name (RFC 6066 §3):
 *   START --ClientHello / send ServerHello, ChangeCipherSpec, Finished--> RESUME_WAIT_CCS
 *   RESUME_WAIT_CCS --ChangeCipherSpec--> RESUME_WAIT_FINISHED
 *   RESUME_WAIT_FINISHED --Finished--> CONNECTED
 * A full handshake with EMS makes a resumable session: a NewSessionTicket
 * before our ChangeCipherSpec for a client that sent session_ticket, or a
 * session id and a cache entry. Servers that ask for client certificates do
 * not resume (the session carries no client identity), as in TLS 1.3.
 *
 * Selection follows the client's order of preference among what the
 * config allows: the first suite for which we have a group (ECDHE), and a
 * certificate whose key fits the suite and can sign with a scheme the
 * client accepts (or, for RSA key transport, an RSA key).
 */
#include "hs/hs.h"
#include "hs/states.h"

#include "hs/cache.h"
#include "hs/ticket.h"

#include <string.h>

/* RFC 5746 §3.3: TLS_EMPTY_RENEGOTIATION_INFO_SCSV. */
#define RENEGOTIATION_INFO_SCSV 0x00FF

/* RFC 8446 §4.1.3: the last 8 bytes of a TLS 1.3 server's random when it
 * negotiates TLS 1.2. */
static const uint8_t downgrade12[8] = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01};

typedef struct choice12 {
    const latch_suite *suite;
    uint16_t group;
    const latch_chain *chain;
    uint16_t scheme; /* for the ServerKeyExchange; 0 for RSA key transport */
    latch_rd alpn;
    latch_rd sni;
    bool reneg;         /* the client signalled RFC 5746 */
    bool point_formats; /* the client sent ec_point_formats */
} choice12;

/* ---- Negotiation --------------------------------------------------------------------- */

static latch_err check_hello(latch_conn *c, const latch_client_hello *ch, choice12 *out)
{
    bool null_compression = false;

    /* RFC 5246 §7.4.1.2: the list "MUST contain ... CompressionMethod.null";
     * we choose it. */
    for (size_t i = 0; i < ch->compression_methods.len; i++) {
        null_compression = null_compression || ch->compression_methods.p[i] == 0;
    }
    LATCH_ENSURE(null_compression, LATCH_ERR_ILLEGAL_PARAMETER, "the ClientHello lacks the null compression method");
    if (latch_exts_has(&ch->exts, LATCH_X_RENEGOTIATION_INFO)) {
        latch_rd ri;

        LATCH_TRY(latch_ext_reneg_parse(ch->exts.data[LATCH_X_RENEGOTIATION_INFO], &ri));
        /* RFC 5746 §3.6: on an initial handshake it must be empty. */
        LATCH_ENSURE(ri.len == 0, LATCH_ERR_HANDSHAKE_FAILURE,
                     "renegotiation_info is not empty on an initial handshake (RFC 5746 §3.6)");
        out->reneg = true;
    }
    out->reneg = out->reneg || latch_u16s_contains(ch->cipher_suites, RENEGOTIATION_INFO_SCSV);
    if (latch_exts_has(&ch->exts, LATCH_X_EC_POINT_FORMATS)) {
        /* RFC 8422 §5.1.2: it must list uncompressed (illegal_parameter otherwise). */
        LATCH_TRY(latch_ext_point_formats_parse(ch->exts.data[LATCH_X_EC_POINT_FORMATS]));
        out->point_formats = true;
    }
    if (latch_exts_has(&ch->exts, LATCH_X_EXTENDED_MASTER_SECRET)) {
        LATCH_TRY(latch_ext_empty_parse(ch->exts.data[LATCH_X_EXTENDED_MASTER_SECRET]));
        c->hs->ems = true;
    }
    if (latch_exts_has(&ch->exts, LATCH_X_SERVER_NAME)) {
        LATCH_TRY(latch_ext_server_name_parse(ch->exts.data[LATCH_X_SERVER_NAME], &out->sni));
    }
    return latch__server_check_name(c, out->sni);
}

/* The ECDHE group: the client's first that we allow. Without
 * supported_groups, RFC 8422 §4 lets the server choose: P-256 if allowed
 * (what such old clients know), else our first. */
static uint16_t pick_group(latch_conn *c, bool have_groups, latch_u16s groups)
{
    const latch_config *cfg = c->cfg;

    if (!have_groups) {
        if (latch__u16_in(cfg->groups, cfg->n_groups, LATCH_GROUP_SECP256R1)) {
            return LATCH_GROUP_SECP256R1;
        }
        return cfg->groups[0];
    }
    for (size_t i = 0; i < latch_u16s_count(groups); i++) {
        uint16_t g = latch_u16s_at(groups, i);

        if (latch__u16_in(cfg->groups, cfg->n_groups, g) && latch_provider_kx(c->prov, g) != NULL) {
            return g;
        }
    }
    return 0;
}

/* A chain for suite s: the requested name first, then any; its key must
 * fit the suite and, for ECDHE, sign with a scheme the client accepts. */
static bool pick_chain(latch_conn *c, const latch_suite *s, latch_u16s sigalgs, latch_u16s groups, const char *host,
                       choice12 *out)
{
    const latch_config *cfg = c->cfg;
    const char *why;

    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < cfg->n_chains; i++) {
            const latch_chain *chain = cfg->chains[i];
            latch_pkey_info key = latch_chain_key_info(chain);
            uint16_t scheme = 0;

            if (pass == 0 && (host[0] == '\0' || !latch_chain_matches_name(chain, host))) {
                continue;
            }
            if (!latch__tls12_key_fits_suite(s, key, &why)) {
                continue;
            }
            /* RFC 4492 §5.3 (kept by RFC 8422): "the public key in the
             * server's certificate MUST respect the client's choice of
             * elliptic curves". */
            if (key.type == LATCH_PKEY_EC && groups.r.p != NULL && !latch_u16s_contains(groups, key.group)) {
                continue;
            }
            if (s->kx == LATCH_SUITE_KX_ECDHE) {
                /* RFC 5246 §7.4.1.4.1: without signature_algorithms the
                 * client means SHA-1, which latch does not sign with. */
                scheme = sigalgs.r.p != NULL ? latch__pick_sigalg(c, sigalgs, key, false) : 0;
                if (scheme == 0) {
                    continue;
                }
            }
            out->chain = chain;
            out->scheme = scheme;
            c->hs->sni_matched = pass == 0;
            return true;
        }
    }
    return false;
}

static latch_err negotiate(latch_conn *c, const latch_client_hello *ch, choice12 *out)
{
    const latch_config *cfg = c->cfg;
    latch_u16s groups = {0}, sigalgs = {0};
    bool have_groups = latch_exts_has(&ch->exts, LATCH_X_SUPPORTED_GROUPS);
    bool have_sigalgs = latch_exts_has(&ch->exts, LATCH_X_SIGNATURE_ALGORITHMS);
    bool common_suite = false, common_group = false;
    char host[256];

    if (have_groups) {
        LATCH_TRY(latch_ext_groups_parse(ch->exts.data[LATCH_X_SUPPORTED_GROUPS], &groups));
    }
    if (have_sigalgs) {
        LATCH_TRY(latch_ext_sigalgs_parse(ch->exts.data[LATCH_X_SIGNATURE_ALGORITHMS], &sigalgs));
    }
    host[0] = '\0';
    if (out->sni.len > 0) {
        memcpy(host, out->sni.p, out->sni.len);
        host[out->sni.len] = '\0';
    }
    for (size_t i = 0; i < latch_u16s_count(ch->cipher_suites); i++) {
        uint16_t id = latch_u16s_at(ch->cipher_suites, i);
        const latch_suite *s = latch_suite_by_id(id);
        uint16_t group = 0;

        if (s == NULL || s->version != LATCH_TLS12 || !latch__u16_in(cfg->suites, cfg->n_suites, id) ||
            latch_provider_aead(c->prov, s->aead) == NULL) {
            continue;
        }
        /* RSA key transport is off unless switched on (and the provider has it). */
        if (s->kx == LATCH_SUITE_KX_RSA && (!cfg->legacy_rsa_kx || c->prov->rsa_decrypt_tls == NULL)) {
            continue;
        }
        common_suite = true;
        if (s->kx == LATCH_SUITE_KX_ECDHE) {
            group = pick_group(c, have_groups, groups);
            if (group == 0) {
                continue;
            }
            common_group = true;
        }
        if (pick_chain(c, s, sigalgs, groups, host, out)) {
            out->suite = s;
            out->group = group;
            return latch__server_pick_alpn(c, ch, &out->alpn);
        }
    }
    if (!common_suite) {
        return LATCH_FAIL(LATCH_ERR_NO_SHARED_CIPHER,
                          "none of the client's %zu cipher suites is enabled here for TLS 1.2",
                          latch_u16s_count(ch->cipher_suites));
    }
    if (!common_group && !(cfg->legacy_rsa_kx)) {
        return LATCH_FAIL(LATCH_ERR_NO_SHARED_GROUP, "none of the client's groups is enabled here");
    }
    return LATCH_FAIL(LATCH_ERR_NO_SHARED_SIGALG,
                      "no configured certificate fits a TLS 1.2 suite the client offers (its key type, an ECDSA "
                      "curve the client lists, a signature scheme it accepts)");
}

/* ---- The server's flight --------------------------------------------------------------- */

typedef struct sh_arg {
    latch_server_hello_out sh;
} sh_arg;

static latch_err build_sh(latch_conn *c, latch_wr *w, const void *arg)
{
    (void)c;
    return latch_server_hello_build(w, &((const sh_arg *)arg)->sh);
}

typedef struct ske_arg {
    uint16_t group;
    const uint8_t *pub;
    size_t pub_len;
    uint16_t scheme;
    const uint8_t *sig;
    size_t sig_len;
} ske_arg;

static latch_err build_ske(latch_conn *c, latch_wr *w, const void *arg)
{
    const ske_arg *a = arg;

    (void)c;
    return latch_server_key_exchange_build(w, a->group, a->pub, a->pub_len, a->scheme, a->sig, a->sig_len);
}

static latch_err build_cr(latch_conn *c, latch_wr *w, const void *arg)
{
    static const uint8_t types[] = {LATCH_CERT_TYPE_RSA_SIGN, LATCH_CERT_TYPE_ECDSA_SIGN};
    const latch_config *cfg = c->cfg;
    latch_certificate_request12_out cr;
    uint16_t schemes[LATCH_MAX_SIGALGS];
    latch_rd cas[LATCH_CA_LIST_MAX];
    size_t n = 0, n_cas;

    (void)arg;
    /* Every scheme we accept works in TLS 1.2: the CertificateVerify is
     * checked over the kept handshake messages, whatever its hash. */
    for (size_t i = 0; i < cfg->n_sigalgs; i++) {
        if (latch_provider_sig(c->prov, cfg->sigalgs[i]) != NULL) {
            schemes[n++] = cfg->sigalgs[i];
        }
    }
    /* The CAs that issue client certificates, as in TLS 1.3 (RFC 5246 §7.4.4). */
    n_cas = latch__cr_cas(c, cas);
    memset(&cr, 0, sizeof cr);
    cr.types = types;
    cr.n_types = sizeof types;
    cr.sigalgs = schemes;
    cr.n_sigalgs = n;
    cr.cas = cas;
    cr.n_cas = n_cas;
    return latch_certificate_request12_build(w, &cr);
}

static latch_err build_done(latch_conn *c, latch_wr *w, const void *arg)
{
    (void)c;
    (void)arg;
    return latch_empty_msg_build(w, LATCH_HS_SERVER_HELLO_DONE);
}

static latch_err send_ske(latch_conn *c, const choice12 *cho)
{
    latch_hs *hs = c->hs;
    const latch_kx_alg *kx = latch_provider_kx(c->prov, cho->group);
    const latch_sig_alg *alg = latch_provider_sig(c->prov, cho->scheme);
    uint8_t pub[LATCH_KX_MAX_PUB], params[LATCH_SKE_PARAMS_MAX], content[LATCH_SKE_CONTENT_MAX];
    uint8_t sig[LATCH_SIG_MAX_LEN];
    size_t clen, slen;
    latch_wr w;
    ske_arg a;

    LATCH_ENSURE(kx != NULL && alg != NULL, LATCH_ERR_INTERNAL, "chosen group or scheme missing from the provider");
    LATCH_TRY(kx->keygen(kx, c->prov, &hs->kx_key, pub));
    hs->kx_group = cho->group;
    /* RFC 8422 §5.4: sign client_random + server_random + ServerECDHParams. */
    latch_wr_init(&w, params, sizeof params);
    latch_ske_params_build(&w, cho->group, pub, kx->pub_len);
    LATCH_TRY(latch_wr_finish(&w));
    clen = latch_ske_content(c->client_random, c->server_random, latch_rd_make(params, latch_wr_len(&w)), content,
                             sizeof content);
    LATCH_ENSURE(clen > 0, LATCH_ERR_INTERNAL, "ServerKeyExchange content does not fit");
    LATCH_TRY(alg->sign(alg, latch_chain_key(cho->chain), content, clen, sig, sizeof sig, &slen));
    a.group = cho->group;
    a.pub = pub;
    a.pub_len = kx->pub_len;
    a.scheme = cho->scheme;
    a.sig = sig;
    a.sig_len = slen;
    LATCH_TRY(latch__hs_send(c, LATCH_HS_SERVER_KEY_EXCHANGE, build_ske, &a, false));
    c->sigalg = cho->scheme;
    return LATCH_OK;
}

/* ---- Resumption ------------------------------------------------------------------------ */

/* Whether this server makes resumable TLS 1.2 sessions at all. */
static bool resumable(const latch_conn *c)
{
    return c->cfg->store != LATCH_SESSIONS_OFF && c->cfg->client_auth == LATCH_CLIENT_AUTH_NONE;
}

/*
 * The session the client asks to resume, if we accept it: *found says so.
 * A session made with EMS offered without it is fatal (RFC 7627 §5.3);
 * anything else wrong just means a full handshake.
 */
static latch_err find_session(latch_conn *c, const latch_client_hello *ch, const choice12 *cho, latch_session *s,
                              bool *found)
{
    latch_config *cfg = c->cfg;
    const latch_suite *suite;
    latch_rd ticket = {0};

    *found = false;
    if (!resumable(c)) {
        return LATCH_OK;
    }
    if (latch_exts_has(&ch->exts, LATCH_X_SESSION_TICKET)) {
        ticket = ch->exts.data[LATCH_X_SESSION_TICKET];
    }
    if (cfg->store == LATCH_SESSIONS_TICKETS && ticket.len > 0) {
        /* RFC 5077 §3.2: the whole extension_data is the ticket. */
        *found = latch_ticket_open(c->prov, &cfg->ticket_keys, ticket.p, ticket.len, s) == LATCH_OK;
    } else if (cfg->store == LATCH_SESSIONS_CACHE && cfg->cache != NULL && ch->session_id.len > 0) {
        *found = latch_cache_get(cfg->cache, ch->session_id.p, ch->session_id.len, latch__config_now(cfg), false, s) ==
                 LATCH_OK;
    }
    if (!*found) {
        return LATCH_OK;
    }
    *found = false;
    if (s->version != LATCH_TLS12 || s->external || !latch_session_fresh(s, latch__config_now(cfg))) {
        return LATCH_OK;
    }
    /* RFC 7627 §5.3: "If the original session used the "extended_master_secret"
     * extension but the new ClientHello does not contain it, the server MUST
     * abort the abbreviated handshake." */
    LATCH_ENSURE(!s->ems || c->hs->ems, LATCH_ERR_HANDSHAKE_FAILURE,
                 "the client resumes a session made with extended_master_secret without offering it (RFC 7627 §5.3)");
    if (!s->ems) {
        return LATCH_OK; /* never made by latch: such sessions are not kept */
    }
    suite = latch_suite_by_id(s->suite);
    if (suite == NULL || suite->version != LATCH_TLS12 || !latch_u16s_contains(ch->cipher_suites, s->suite) ||
        !latch__u16_in(cfg->suites, cfg->n_suites, s->suite) ||
        (suite->kx == LATCH_SUITE_KX_RSA && !cfg->legacy_rsa_kx)) {
        return LATCH_OK;
    }
    /* RFC 6066 §3: not for another server name. */
    if (s->sni_len != cho->sni.len || (s->sni_len > 0 && memcmp(s->sni, cho->sni.p, s->sni_len) != 0)) {
        return LATCH_OK;
    }
    *found = true;
    return LATCH_OK;
}

/* The session a full handshake made, as the server keeps it. */
static void make_session(const latch_conn *c, latch_session *s)
{
    memset(s, 0, sizeof *s);
    s->version = LATCH_TLS12;
    s->suite = c->suite->id;
    latch_secret_set(&s->secret, c->hs->master.b, c->hs->master.len);
    s->issued = latch__config_now(c->cfg);
    s->lifetime = c->cfg->ticket_lifetime;
    s->ems = true;
    latch__conn_session_names(c, s);
}

typedef struct nst_arg {
    uint32_t hint;
    const uint8_t *ticket;
    size_t len;
} nst_arg;

static latch_err build_nst(latch_conn *c, latch_wr *w, const void *arg)
{
    const nst_arg *a = arg;

    (void)c;
    return latch_new_session_ticket12_build(w, a->hint, a->ticket, a->len);
}

/* RFC 5077 §3.3: the ticket, sealed under our ticket keys (ticket.h). */
static latch_err send_ticket(latch_conn *c)
{
    latch_session s;
    uint8_t ticket[LATCH_TICKET_MAX];
    size_t len = 0;
    nst_arg a;
    latch_err e;

    make_session(c, &s);
    e = latch_ticket_seal(c->prov, &c->cfg->ticket_keys, s.issued, &s, ticket, sizeof ticket, &len);
    latch_session_wipe(&s);
    LATCH_TRY(e);
    a.hint = c->cfg->ticket_lifetime;
    a.ticket = ticket;
    a.len = len;
    return latch__hs_send(c, LATCH_HS_NEW_SESSION_TICKET, build_nst, &a, false);
}

static latch_err use_choice(latch_conn *c, const choice12 *cho)
{
    c->version = LATCH_TLS12;
    c->suite = cho->suite;
    c->hash = latch_provider_hash(c->prov, cho->suite->hash);
    c->aead = latch_provider_aead(c->prov, cho->suite->aead);
    LATCH_ENSURE(c->hash != NULL && c->aead != NULL, LATCH_ERR_INTERNAL, "suite algorithms missing from provider");
    c->group = cho->group;
    c->hs->chain = cho->chain;
    if (cho->sni.len > 0) {
        LATCH_TRY(latch__conn_set_str(c, &c->server_name, cho->sni.p, cho->sni.len));
    }
    if (cho->alpn.len > 0) {
        LATCH_TRY(latch__conn_set_str(c, &c->alpn, cho->alpn.p, cho->alpn.len));
    }
    return latch_transcript_select(&c->hs->th, cho->suite->hash);
}

/* The server's half of the abbreviated handshake (RFC 5246 §7.3): it
 * finishes first. */
static latch_err resume(latch_conn *c, const latch_client_hello *ch, choice12 *cho, latch_session *s,
                        const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    uint8_t alpn_wire[256];
    sh_arg a;

    cho->suite = latch_suite_by_id(s->suite);
    LATCH_TRY(latch__server_pick_alpn(c, ch, &cho->alpn));
    LATCH_TRY(use_choice(c, cho));
    memcpy(c->client_random, ch->random, 32);
    LATCH_TRY(c->prov->random(c->prov->rng, c->server_random, 32));
    if (c->cfg->max_version >= LATCH_TLS13) {
        memcpy(c->server_random + 24, downgrade12, sizeof downgrade12); /* RFC 8446 §4.1.3 */
    }
    LATCH_TRY(latch__hs_transcript_add(c, m->whole.p, m->whole.len));
    latch_secret_set(&hs->master, s->secret.b, s->secret.len);
    latch__conn_keylog(c, "CLIENT_RANDOM", &hs->master);
    LATCH_TRY(latch_ks12_keys(c->hash, &hs->master, c->client_random, c->server_random, c->aead->key_len,
                              c->aead->id == LATCH_AEAD_CHACHA20_POLY1305 ? 12 : 4, &hs->keys));
    c->resumed = true;
    c->proofs |= LATCH_PROOF_PSK;
    memset(&a, 0, sizeof a);
    a.sh.legacy_version = LATCH_TLS12;
    memcpy(a.sh.random, c->server_random, 32);
    /* RFC 5246 §7.4.1.3 and RFC 5077 §3.4: echo the client's session id. */
    a.sh.session_id = ch->session_id.p;
    a.sh.session_id_len = ch->session_id.len;
    a.sh.cipher_suite = cho->suite->id;
    a.sh.psk_identity = -1;
    a.sh.ems = true;
    a.sh.reneg_info = cho->reneg;
    a.sh.point_formats = cho->point_formats && cho->suite->kx == LATCH_SUITE_KX_ECDHE;
    if (cho->alpn.len > 0) {
        alpn_wire[0] = (uint8_t)cho->alpn.len;
        memcpy(alpn_wire + 1, cho->alpn.p, cho->alpn.len);
        a.sh.alpn_wire = alpn_wire;
        a.sh.alpn_len = cho->alpn.len + 1;
    }
    LATCH_TRY(latch__hs_send(c, LATCH_HS_SERVER_HELLO, build_sh, &a, false));
    latch__conn_trace(c, LATCH_TRACE_CHECK, true, 0, "resumed", 0,
                      "resuming a saved TLS 1.2 session (%s): no certificate, no key exchange",
                      c->cfg->store == LATCH_SESSIONS_CACHE ? "found by its session id" : "from its ticket");
    LATCH_TRY(latch__tls12_send_ccs_finished(c));
    *next = S12_RESUME_WAIT_CCS;
    return LATCH_OK;
}

latch_err latch__server12_ch(latch_conn *c, const latch_client_hello *ch, const latch_hs_msg *m, uint8_t *next)
{
    const latch_config *cfg = c->cfg;
    latch_hs *hs = c->hs;
    uint8_t alpn_wire[256];
    latch_session s;
    choice12 cho;
    sh_arg a;
    bool found;
    latch_err e;

    memset(&cho, 0, sizeof cho);
    LATCH_TRY(check_hello(c, ch, &cho));
    e = find_session(c, ch, &cho, &s, &found);
    if (e == LATCH_OK && found) {
        e = resume(c, ch, &cho, &s, m, next);
    }
    latch_session_wipe(&s);
    if (e != LATCH_OK || found) {
        return e;
    }
    LATCH_TRY(negotiate(c, ch, &cho));
    LATCH_TRY(use_choice(c, &cho));
    memcpy(c->client_random, ch->random, 32);
    hs->client_version = ch->legacy_version;
    LATCH_TRY(c->prov->random(c->prov->rng, c->server_random, 32));
    if (cfg->max_version >= LATCH_TLS13) {
        /* RFC 8446 §4.1.3: a TLS 1.3 server negotiating TLS 1.2 "MUST set
         * the last 8 bytes of their Random value to the bytes
         * 44 4F 57 4E 47 52 44 01", so that a TLS 1.3 client detects the downgrade. */
        memcpy(c->server_random + 24, downgrade12, sizeof downgrade12);
    }
    /* A TLS 1.2 CertificateVerify signs the handshake messages: keep them
     * from the ClientHello on if we will ask for a certificate. */
    hs->keep_msgs = cfg->client_auth != LATCH_CLIENT_AUTH_NONE;
    LATCH_TRY(latch__hs_transcript_add(c, m->whole.p, m->whole.len));

    memset(&a, 0, sizeof a);
    a.sh.legacy_version = LATCH_TLS12;
    memcpy(a.sh.random, c->server_random, 32);
    a.sh.cipher_suite = cho.suite->id;
    a.sh.psk_identity = -1;
    a.sh.ems = hs->ems;
    a.sh.reneg_info = cho.reneg;
    /* RFC 8422 §5.2: answer ec_point_formats when an ECC suite is chosen. */
    a.sh.point_formats = cho.point_formats && cho.suite->kx == LATCH_SUITE_KX_ECDHE;
    a.sh.server_name_ack = hs->sni_matched;
    if (resumable(c) && hs->ems) {
        /* RFC 7627 §5.3: only sessions with EMS are resumable. A client
         * that sent session_ticket gets a ticket (RFC 5077 §3.2); with the
         * cache, the session gets an id (RFC 5246 §7.4.1.3). */
        if (cfg->store == LATCH_SESSIONS_TICKETS && latch_exts_has(&ch->exts, LATCH_X_SESSION_TICKET)) {
            a.sh.session_ticket = true;
            hs->issue_ticket = true;
        } else if (cfg->store == LATCH_SESSIONS_CACHE) {
            LATCH_TRY(c->prov->random(c->prov->rng, hs->sid12, sizeof hs->sid12));
            hs->sid12_len = sizeof hs->sid12;
            a.sh.session_id = hs->sid12;
            a.sh.session_id_len = hs->sid12_len;
        }
    }
    if (cho.alpn.len > 0) {
        alpn_wire[0] = (uint8_t)cho.alpn.len;
        memcpy(alpn_wire + 1, cho.alpn.p, cho.alpn.len);
        a.sh.alpn_wire = alpn_wire;
        a.sh.alpn_len = cho.alpn.len + 1;
    }
    LATCH_TRY(latch__hs_send(c, LATCH_HS_SERVER_HELLO, build_sh, &a, false));
    latch__conn_trace(c, LATCH_TRACE_CHECK, true, 0, "version", 0, "TLS 1.2 with %s%s", cho.suite->name,
                      cfg->max_version >= LATCH_TLS13 ? "; the random carries the downgrade sentinel (RFC 8446 §4.1.3)"
                                                      : "");
    LATCH_TRY(latch__tls12_send_cert(c, cho.chain));
    if (cho.suite->kx == LATCH_SUITE_KX_ECDHE) {
        LATCH_TRY(send_ske(c, &cho));
    }
    if (cfg->client_auth != LATCH_CLIENT_AUTH_NONE) {
        LATCH_TRY(latch__hs_send(c, LATCH_HS_CERTIFICATE_REQUEST, build_cr, NULL, false));
        hs->cert_requested = true;
    }
    LATCH_TRY(latch__hs_send(c, LATCH_HS_SERVER_HELLO_DONE, build_done, NULL, false));
    LATCH_TRY(latch__hs_flush(c));
    *next = hs->cert_requested ? S12_WAIT_CERT : S12_WAIT_CKE;
    return LATCH_OK;
}

/* ---- The client's flight ----------------------------------------------------------------- */

static latch_err server12_cert(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    bool empty;

    LATCH_TRY(latch__tls12_recv_cert(c, m, &empty));
    if (empty) {
        /* RFC 5246 §7.4.6: "If client authentication is required by the
         * server for the handshake to continue, it may respond with a fatal
         * handshake_failure alert" (TLS 1.2 has no certificate_required). */
        LATCH_ENSURE(c->cfg->client_auth != LATCH_CLIENT_AUTH_REQUIRE, LATCH_ERR_HANDSHAKE_FAILURE,
                     "the client sent no certificate and this server requires one");
        latch__hs_drop_msgs(c);
        latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "no client certificate", 0,
                          "the client sent none; allowed (verification is optional)");
    } else {
        c->hs->client_cert = true;
    }
    *next = S12_WAIT_CKE;
    return LATCH_OK;
}

static latch_err server12_cke(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    bool rsa = c->suite->kx == LATCH_SUITE_KX_RSA;
    uint8_t pms[LATCH_KX_MAX_SECRET > 48 ? LATCH_KX_MAX_SECRET : 48];
    size_t pms_len;
    latch_rd x;
    latch_err e;

    LATCH_TRY(latch_client_key_exchange_parse(m->body, rsa, &x));
    if (rsa) {
        /* RFC 5246 §7.4.7.1: the provider's decryption hides every failure
         * (padding, length, version) behind a random premaster, in
         * constant time; a wrong one surfaces only as Finished records
         * that fail to authenticate, exactly as a forged Finished does. */
        LATCH_ENSURE(c->prov->rsa_decrypt_tls != NULL, LATCH_ERR_INTERNAL, "the provider has no RSA key transport");
        e = c->prov->rsa_decrypt_tls(latch_chain_key(hs->chain), x.p, x.len, hs->client_version, pms);
        pms_len = LATCH_PREMASTER_RSA_LEN;
        latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "premaster secret", 0,
                          "decrypted with the certificate's private key (RFC 5246 §7.4.7.1: nothing here tells a "
                          "bad ciphertext from a good one)");
    } else {
        const latch_kx_alg *kx = latch_provider_kx(c->prov, hs->kx_group);

        LATCH_ENSURE(kx != NULL && hs->kx_key != NULL, LATCH_ERR_INTERNAL, "no ECDHE key for the ClientKeyExchange");
        e = kx->derive(hs->kx_key, x.p, x.len, pms);
        hs->kx_key = NULL; /* consumed */
        pms_len = kx->secret_len;
        if (e != LATCH_OK) {
            e = LATCH_FAIL(e, "the client's %s key is invalid", kx->name);
        } else {
            latch__conn_trace(c, LATCH_TRACE_CHECK, false, 0, "key exchange", 0,
                              "%s shared secret computed: it is the premaster secret", kx->name);
        }
    }
    if (e == LATCH_OK) {
        e = latch__tls12_master(c, pms, pms_len);
    }
    latch_wipe(pms, sizeof pms);
    LATCH_TRY(e);
    *next = hs->client_cert ? S12_WAIT_CV : S12_WAIT_CCS;
    return LATCH_OK;
}

static latch_err server12_cv(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    LATCH_TRY(latch__tls12_recv_cv(c, m));
    latch__hs_drop_msgs(c);
    *next = S12_WAIT_CCS;
    return LATCH_OK;
}

static latch_err server12_ccs(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    LATCH_TRY(latch__tls12_recv_ccs(c, m));
    *next = c->state == S12_RESUME_WAIT_CCS ? S12_RESUME_WAIT_FINISHED : S12_WAIT_FINISHED;
    return LATCH_OK;
}

static latch_err server12_fin(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;

    LATCH_TRY(latch__tls12_verify_finished(c, m));
    if (c->state == S12_RESUME_WAIT_FINISHED) {
        *next = S12_CONNECTED; /* we finished first */
        return LATCH_OK;
    }
    if (hs->issue_ticket) {
        LATCH_TRY(send_ticket(c));
    }
    LATCH_TRY(latch__tls12_send_ccs_finished(c));
    if (hs->sid12_len > 0 && c->cfg->cache != NULL) {
        /* The client's Finished verified: the session exists. */
        latch_session s;
        latch_err e;

        make_session(c, &s);
        e = latch_cache_put(c->cfg->cache, hs->sid12, hs->sid12_len, &s);
        latch_session_wipe(&s);
        LATCH_TRY(e);
    }
    *next = S12_CONNECTED;
    return LATCH_OK;
}

/* RFC 5746 §4.4 / RFC 5246 §7.2.2: latch never renegotiates. */
static latch_err server12_renegotiate(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    (void)c;
    (void)m;
    (void)next;
    return LATCH_FAIL(LATCH_ERR_RENEGOTIATION_REFUSED,
                      "the client tried to renegotiate; latch does not support renegotiation");
}

/* ---- The edges ----------------------------------------------------------------------------- */

#define HS LATCH_CT_HANDSHAKE
#define CCS LATCH_CT_CHANGE_CIPHER_SPEC

const latch_hs_edge latch__server_edges12[LATCH_SERVER_EDGES12] = {
    {S12_WAIT_CERT, HS, LATCH_HS_CERTIFICATE, server12_cert, LATCH_S(S12_WAIT_CKE), 0},
    {S12_WAIT_CKE, HS, LATCH_HS_CLIENT_KEY_EXCHANGE, server12_cke, LATCH_S(S12_WAIT_CV) | LATCH_S(S12_WAIT_CCS), 0},
    {S12_WAIT_CV, HS, LATCH_HS_CERTIFICATE_VERIFY, server12_cv, LATCH_S(S12_WAIT_CCS), 0},
    {S12_WAIT_CCS, CCS, 0, server12_ccs, LATCH_S(S12_WAIT_FINISHED), 0},
    {S12_WAIT_FINISHED, HS, LATCH_HS_FINISHED, server12_fin, LATCH_S(S12_CONNECTED), LATCH_HSF_PRIOR_HASH},
    {S12_RESUME_WAIT_CCS, CCS, 0, server12_ccs, LATCH_S(S12_RESUME_WAIT_FINISHED), 0},
    {S12_RESUME_WAIT_FINISHED, HS, LATCH_HS_FINISHED, server12_fin, LATCH_S(S12_CONNECTED), LATCH_HSF_PRIOR_HASH},
    {S12_CONNECTED, HS, LATCH_HS_CLIENT_HELLO, server12_renegotiate, LATCH_S(S12_CONNECTED), LATCH_HSF_NO_TRANSCRIPT},
};
