/*
 * The server: its state table, version negotiation, and the TLS 1.3
 * handlers (RFC 8446 §2 and Appendix A.2). A ClientHello that leads to
 * TLS 1.2 is handed to server12.c, whose edges complete the table.
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
#include "hs/pha.h"
#include "hs/states.h"

#include "core/ct.h"

#include <string.h>


static const char *const state_names[S__COUNT] = {
    "START",         "WAIT_CH2",          "WAIT_EOED",       "WAIT_CERT",
    "WAIT_CV",       "WAIT_FINISHED",     "CONNECTED",       "PHA_WAIT_CERT",
    "PHA_WAIT_CV",   "PHA_WAIT_FINISHED", "1.2 WAIT_CERT",   "1.2 WAIT_CKE",
    "1.2 WAIT_CV",   "1.2 WAIT_CCS",      "1.2 WAIT_FINISHED", "1.2 CONNECTED",
    "1.2 RESUME_WAIT_CCS", "1.2 RESUME_WAIT_FINISHED",
};

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
    int psk;       /* index of the accepted PSK identity, -1 if none */
    bool psk_dhe;  /* psk_dhe_ke (else psk_ke) */
    uint32_t psk_age;  /* the client's obfuscated_ticket_age for it */
    uint8_t binder_tag[LATCH_REPLAY_TAG]; /* the start of its binder (anti-replay) */
} choice;

/* RFC 7507 §2: TLS_FALLBACK_SCSV, sent by a client retrying with a lower version. */
#define TLS_FALLBACK_SCSV 0x5600

static latch_err pick_version(latch_conn *c, const latch_client_hello *ch, uint16_t *version)
{
    const latch_config *cfg = c->cfg;
    latch_u16s versions;

    *version = 0;
    if (latch_exts_has(&ch->exts, LATCH_X_SUPPORTED_VERSIONS)) {
        LATCH_TRY(latch_ext_versions_ch_parse(ch->exts.data[LATCH_X_SUPPORTED_VERSIONS], &versions));
        /* RFC 8446 §4.2.1: supported_versions alone decides; legacy_version is ignored. */
        if (cfg->max_version >= LATCH_TLS13 && latch_u16s_contains(versions, LATCH_TLS13)) {
            *version = LATCH_TLS13;
        } else if (cfg->min_version <= LATCH_TLS12 && latch_u16s_contains(versions, LATCH_TLS12)) {
            *version = LATCH_TLS12;
        } else if (latch_u16s_contains(versions, LATCH_TLS12) || latch_u16s_contains(versions, LATCH_TLS13)) {
            return LATCH_FAIL(LATCH_ERR_PROTOCOL_VERSION, "the client offers %s, which this server does not allow",
                              latch_u16s_contains(versions, LATCH_TLS13) ? "TLS 1.3 only" : "TLS 1.2 only");
        } else {
            return LATCH_FAIL(LATCH_ERR_PROTOCOL_VERSION,
                              "the client offers only versions below TLS 1.2; latch refuses SSL 3.0, TLS 1.0 and "
                              "TLS 1.1");
        }
    } else if (ch->legacy_version < LATCH_TLS12) {
        return LATCH_FAIL(LATCH_ERR_PROTOCOL_VERSION,
                          "the client speaks only %s; latch refuses SSL 3.0, TLS 1.0 and TLS 1.1",
                          latch_version_name(ch->legacy_version));
    } else if (cfg->min_version <= LATCH_TLS12) {
        /* RFC 5246 Appendix E.1: a client_version of 1.2 or above without
         * supported_versions means the client speaks TLS 1.2. */
        *version = LATCH_TLS12;
    } else {
        return LATCH_FAIL(LATCH_ERR_PROTOCOL_VERSION,
                          "the client offers TLS 1.2 only, and this server requires TLS 1.3");
    }
    /* RFC 7507 §3: a fallback retry to a version below our best is an attack
     * (or a broken network): refuse it. */
    LATCH_ENSURE(!(latch_u16s_contains(ch->cipher_suites, TLS_FALLBACK_SCSV) && *version < cfg->max_version),
                 LATCH_ERR_INAPPROPRIATE_FALLBACK,
                 "the client fell back to TLS 1.2 (TLS_FALLBACK_SCSV) but this server speaks TLS 1.3");
    return LATCH_OK;
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

latch_err latch__server_check_name(latch_conn *c, latch_rd sni)
{
    const latch_config *cfg = c->cfg;
    char host[256];

    if (!cfg->strict_sni || sni.len == 0) {
        return LATCH_OK;
    }
    /* latch_ext_server_name_parse keeps names to 255 bytes. */
    LATCH_ENSURE(sni.len < sizeof host, LATCH_ERR_INTERNAL, "server name longer than the parser allows");
    memcpy(host, sni.p, sni.len);
    host[sni.len] = '\0';
    for (size_t i = 0; i < cfg->n_chains; i++) {
        if (latch_chain_matches_name(cfg->chains[i], host)) {
            return LATCH_OK;
        }
    }
    /* RFC 6066 §3: the server "MAY ... send an "unrecognized_name" alert", fatal here. */
    return LATCH_FAIL(LATCH_ERR_UNRECOGNIZED_NAME, "no certificate for the server name \"%.100s\" (strict SNI)", host);
}

latch_err latch__server_pick_alpn(latch_conn *c, const latch_client_hello *ch, latch_rd *alpn)
{
    const latch_config *cfg = c->cfg;
    latch_rd list, ours = latch_rd_make(cfg->alpn_wire, cfg->alpn_len), mine;

    *alpn = latch_rd_make(NULL, 0);
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
                *alpn = mine;
                return LATCH_OK;
            }
        }
    }
    /* RFC 7301 §3.2: no protocol in common. */
    return LATCH_FAIL(LATCH_ERR_NO_APPLICATION_PROTOCOL, "the client's ALPN protocols are not among ours");
}

/* Find the session behind a PSK identity: an external PSK, a ticket we
 * sealed, or a cache entry (taken: each resumes once). */
static bool find_psk(latch_conn *c, latch_rd identity, latch_session *s)
{
    latch_config *cfg = c->cfg;

    for (size_t i = 0; i < cfg->n_psks; i++) {
        if (cfg->psks[i].ticket_len == identity.len && memcmp(cfg->psks[i].ticket, identity.p, identity.len) == 0) {
            *s = cfg->psks[i];
            return true;
        }
    }
    switch (cfg->store) {
    case LATCH_SESSIONS_TICKETS:
        return latch_ticket_open(c->prov, &cfg->ticket_keys, identity.p, identity.len, s) == LATCH_OK;
    case LATCH_SESSIONS_CACHE:
        return cfg->cache != NULL &&
               latch_cache_get(cfg->cache, identity.p, identity.len, latch__config_now(cfg), true, s) == LATCH_OK;
    case LATCH_SESSIONS_OFF: return false;
    }
    return false;
}

/* A client suite with the PSK's hash, in the client's order, that we allow. */
static const latch_suite *suite_for_hash(latch_conn *c, const latch_client_hello *ch, uint8_t hash)
{
    for (size_t i = 0; i < latch_u16s_count(ch->cipher_suites); i++) {
        uint16_t id = latch_u16s_at(ch->cipher_suites, i);
        const latch_suite *s = latch_suite_by_id(id);

        if (s != NULL && s->version == LATCH_TLS13 && s->hash == hash &&
            latch__u16_in(c->cfg->suites, c->cfg->n_suites, id) && latch_provider_aead(c->prov, s->aead) != NULL) {
            return s;
        }
    }
    return NULL;
}

/*
 * RFC 8446 §4.2.11: take the first offered PSK we know, that is fresh, of a
 * hash the client's suites allow, in a key exchange mode both accept; its
 * binder must verify (a wrong binder aborts the handshake).
 */
static latch_err pick_psk(latch_conn *c, const latch_client_hello *ch, const latch_hs_msg *m, choice *out)
{
    latch_config *cfg = c->cfg;
    latch_hs *hs = c->hs;
    latch_offered_psks offered;
    latch_rd modes;
    bool dhe = false, ke = false;

    out->psk = -1;
    if (!latch_exts_has(&ch->exts, LATCH_X_PRE_SHARED_KEY) ||
        (cfg->store == LATCH_SESSIONS_OFF && cfg->n_psks == 0)) {
        return LATCH_OK;
    }
    /* §4.2.9: a PSK offer needs psk_key_exchange_modes. */
    LATCH_ENSURE(latch_exts_has(&ch->exts, LATCH_X_PSK_KEY_EXCHANGE_MODES), LATCH_ERR_MISSING_EXTENSION,
                 "pre_shared_key without psk_key_exchange_modes");
    LATCH_TRY(latch_ext_psk_modes_parse(ch->exts.data[LATCH_X_PSK_KEY_EXCHANGE_MODES], &modes));
    /* The client's first mode that we accept (psk_ke only if allowed). */
    for (size_t i = 0; i < modes.len && !dhe && !ke; i++) {
        dhe = modes.p[i] == LATCH_PSK_DHE_KE;
        ke = modes.p[i] == LATCH_PSK_KE && cfg->allow_psk_ke;
    }
    LATCH_TRY(latch_ext_psk_ch_parse(ch->exts.data[LATCH_X_PRE_SHARED_KEY], &offered));
    /* A server that wants client certificates does not resume: the session
     * carries no client identity. */
    if ((!dhe && !ke) || cfg->client_auth != LATCH_CLIENT_AUTH_NONE) {
        return LATCH_OK;
    }
    for (size_t i = 0; i < offered.n; i++) {
        const latch_suite *suite, *ps;
        const latch_hash_alg *h;
        uint8_t th[LATCH_HASH_MAX_LEN], expect[LATCH_HASH_MAX_LEN];
        latch_secret bk;
        latch_ks13 ks;
        latch_session *s = &hs->psk_accepted;
        latch_err e;
        int ok;

        if (!find_psk(c, offered.e[i].identity, s)) {
            continue;
        }
        ps = latch_suite_by_id(s->suite);
        suite = ps != NULL ? suite_for_hash(c, ch, ps->hash) : NULL;
        if (s->version != LATCH_TLS13 || !latch_session_fresh(s, latch__config_now(cfg)) || suite == NULL ||
            (c->did_hrr && suite->id != hs->hrr_suite)) {
            latch_session_wipe(s);
            continue;
        }
        h = latch_provider_hash(c->prov, suite->hash);
        LATCH_ENSURE(h != NULL && offered.e[i].binder.len == h->digest_len, LATCH_ERR_ILLEGAL_PARAMETER,
                     "a PSK binder whose length differs from the hash's");
        /* §4.2.11.2: the binder MACs the transcript with this ClientHello cut
         * before the binders list. */
        latch_ks13_init(&ks, h);
        e = latch_ks13_early(&ks, s->secret.b, s->secret.len);
        if (e == LATCH_OK) {
            e = latch_ks13_binder_key(&ks, s->external, &bk);
        }
        if (e == LATCH_OK) {
            e = latch_transcript_hash_as(&hs->th, suite->hash, m->whole.p, m->whole.len - offered.binders_len, th);
        }
        if (e == LATCH_OK) {
            e = latch_ks13_finished(h, &bk, th, expect);
        }
        ok = e == LATCH_OK && latch_ct_eq(expect, offered.e[i].binder.p, h->digest_len);
        latch_ks13_wipe(&ks);
        latch_secret_wipe(&bk);
        latch_wipe(expect, sizeof expect);
        LATCH_TRY(e);
        if (!ok) {
            latch_session_wipe(s);
            return LATCH_FAIL(LATCH_ERR_BAD_PSK, "the PSK binder of identity %zu does not verify", i);
        }
        out->suite = suite;
        out->psk = (int)i;
        out->psk_dhe = dhe;
        out->psk_age = offered.e[i].obfuscated_ticket_age;
        memcpy(out->binder_tag, offered.e[i].binder.p, LATCH_REPLAY_TAG);
        latch_secret_set(&hs->psk, s->secret.b, s->secret.len);
        return LATCH_OK;
    }
    return LATCH_OK;
}

static latch_err negotiate(latch_conn *c, const latch_client_hello *ch, choice *out, const latch_hs_msg *m)
{
    memset(out, 0, sizeof *out);
    c->hs->pha_offered = latch_exts_has(&ch->exts, LATCH_X_POST_HANDSHAKE_AUTH);
    /* RFC 8446 §4.1.2: exactly one compression method, null. */
    LATCH_ENSURE(ch->compression_methods.len == 1 && ch->compression_methods.p[0] == 0, LATCH_ERR_ILLEGAL_PARAMETER,
                 "a TLS 1.3 ClientHello must offer only the null compression method");
    if (latch_exts_has(&ch->exts, LATCH_X_SERVER_NAME)) {
        LATCH_TRY(latch_ext_server_name_parse(ch->exts.data[LATCH_X_SERVER_NAME], &out->sni));
    }
    LATCH_TRY(latch__server_check_name(c, out->sni));
    LATCH_TRY(pick_suite(c, ch, out));
    LATCH_TRY(pick_psk(c, ch, m, out));
    if (out->psk < 0 || out->psk_dhe) {
        LATCH_TRY(pick_group(c, ch, out));
    }
    if (out->psk < 0) {
        LATCH_TRY(pick_chain(c, ch, out));
    }
    LATCH_TRY(latch__server_pick_alpn(c, ch, &out->alpn));
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
        LATCH_TRY(latch__conn_set_str(c, &c->server_name, ch->sni.p, ch->sni.len));
    }
    if (ch->alpn.len > 0) {
        LATCH_TRY(latch__conn_set_str(c, &c->alpn, ch->alpn.p, ch->alpn.len));
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
    LATCH_TRY(latch__hs_transcript_add(c, m->whole.p, m->whole.len));
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
    uint8_t alpn_buf[256];

    (void)arg;
    memset(&ee, 0, sizeof ee);
    ee.server_name_ack = c->hs->sni_matched;
    ee.early_data = c->early == LATCH_EARLY_ACCEPTED;
    if (c->alpn != NULL) {
        /* The protocol_name_list with the one name we chose. */
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
    latch_certificate_request_out cr;
    uint16_t schemes[LATCH_MAX_SIGALGS];
    latch_rd cas[LATCH_CA_LIST_MAX];
    size_t n_cas = 0;

    (void)arg;
    memset(&cr, 0, sizeof cr);
    cr.sigalgs = schemes;
    cr.n_sigalgs = latch__cr_lists(c, schemes, cas, &n_cas);
    cr.cas = cas;
    cr.n_cas = n_cas;
    return latch_certificate_request_build(w, &cr);
}

/*
 * RFC 8446 §4.2.10 and §8: accept 0-RTT only for the first PSK identity, a
 * resumption ticket that allows it, the very suite and ALPN of the session,
 * no HelloRetryRequest, a ticket age that matches ours within 10 seconds,
 * and a ClientHello not seen before (single-use cache entries, or the
 * recorded binders for stateless tickets).
 */
static bool accept_early(latch_conn *c, const latch_client_hello *ch, const choice *cho)
{
    latch_config *cfg = c->cfg;
    const latch_session *s = &c->hs->psk_accepted;
    int64_t now = latch__config_now(cfg);
    int64_t client_ms, server_ms;

    if (!latch_exts_has(&ch->exts, LATCH_X_EARLY_DATA) || cfg->max_early_data == 0 || cho->psk != 0 ||
        s->external || s->max_early_data == 0 || c->did_hrr || s->suite != cho->suite->id ||
        s->alpn_len != cho->alpn.len || (s->alpn_len > 0 && memcmp(s->alpn, cho->alpn.p, s->alpn_len) != 0)) {
        return false;
    }
    client_ms = (int64_t)(uint32_t)(cho->psk_age - s->age_add);
    server_ms = (now - s->issued) * 1000;
    if (client_ms - server_ms > 10000 || server_ms - client_ms > 10000) {
        return false;
    }
    if (cfg->store == LATCH_SESSIONS_CACHE) {
        return true; /* the entry was taken: this ticket cannot come again */
    }
    return latch_replay_check(&cfg->replay, cho->binder_tag, now, s->issued + (int64_t)s->lifetime + 10);
}

static latch_err send_flight(latch_conn *c, const latch_client_hello *ch, const choice *cho, uint8_t *next)
{
    latch_hs *hs = c->hs;
    const latch_kx_alg *kx = latch_provider_kx(c->prov, cho->group);
    latch_kx_key *key = NULL;
    uint8_t pub[LATCH_KX_MAX_PUB], secret[LATCH_KX_MAX_SECRET];
    sh_arg a;
    latch_err e;

    bool dhe = cho->psk < 0 || cho->psk_dhe;

    LATCH_TRY(c->prov->random(c->prov->rng, c->server_random, 32));
    memcpy(c->client_random, ch->random, 32);
    if (cho->psk >= 0) {
        c->resumed = true;
        c->proofs |= LATCH_PROOF_PSK;
    }
    if (latch_exts_has(&ch->exts, LATCH_X_EARLY_DATA)) {
        c->early = cho->psk >= 0 && accept_early(c, ch, cho) ? LATCH_EARLY_ACCEPTED : LATCH_EARLY_REJECTED;
        latch__conn_trace(c, LATCH_TRACE_CHECK, true, 0, "early data", 0, "%s the client's 0-RTT data",
                          c->early == LATCH_EARLY_ACCEPTED ? "accepting" : "declining");
    }
    if (c->early == LATCH_EARLY_ACCEPTED) {
        /* Early keys from Hash(ClientHello), before the ServerHello joins the transcript. */
        LATCH_TRY(latch__tls13_early_keys(c, false));
        c->early_reading = true;
    }
    if (dhe) {
        LATCH_ENSURE(kx != NULL, LATCH_ERR_INTERNAL, "chosen group missing from the provider");
        LATCH_TRY(kx->keygen(kx, c->prov, &key, pub));
        e = kx->derive(key, cho->share->key_exchange.p, cho->share->key_exchange.len, secret);
        if (e != LATCH_OK) {
            latch_wipe(secret, sizeof secret);
            return LATCH_FAIL(e, "the client's %s key share is invalid", kx->name);
        }
    } else {
        c->group = 0;
    }
    memset(&a, 0, sizeof a);
    a.sh.legacy_version = LATCH_TLS12;
    memcpy(a.sh.random, c->server_random, 32);
    a.sh.session_id = ch->session_id.p;
    a.sh.session_id_len = ch->session_id.len;
    a.sh.cipher_suite = cho->suite->id;
    a.sh.selected_version = LATCH_TLS13;
    if (dhe) {
        a.sh.group = cho->group;
        a.sh.pub = pub;
        a.sh.pub_len = kx->pub_len;
    }
    a.sh.psk_identity = cho->psk;
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
        latch__conn_trace(c, LATCH_TRACE_CHECK, true, 0, "key exchange", 0, "%s%s%s", dhe ? kx->name : "",
                          dhe ? " shared secret computed; handshake keys derived" : "handshake keys derived from the PSK",
                          cho->psk >= 0 ? (dhe ? " (resuming: psk_dhe_ke)" : " (resuming: psk_ke)") : "");
        e = latch__tls13_handshake_keys(c, dhe ? secret : NULL, dhe ? kx->secret_len : 0);
    }
    latch_wipe(secret, sizeof secret);
    LATCH_TRY(e);
    /* RFC 8446 §4.2.10: 0-RTT we do not accept is skipped, not fatal. */
    c->skip_early = c->early == LATCH_EARLY_REJECTED;

    LATCH_TRY(latch__hs_send(c, LATCH_HS_ENCRYPTED_EXTENSIONS, build_ee, NULL, false));
    /* RFC 8446 §4.3.2: no CertificateRequest, Certificate or
     * CertificateVerify when the PSK authenticates. */
    if (cho->psk < 0) {
        if (c->cfg->client_auth != LATCH_CLIENT_AUTH_NONE) {
            LATCH_TRY(latch__hs_send(c, LATCH_HS_CERTIFICATE_REQUEST, build_cr, NULL, false));
            hs->cert_requested = true;
        }
        LATCH_TRY(latch__tls13_send_cert_and_cv(c, cho->chain, cho->scheme, NULL, 0));
    }
    LATCH_TRY(latch__tls13_send_finished(c));
    LATCH_TRY(latch__hs_flush(c));
    LATCH_TRY(latch__tls13_app_secrets(c));
    LATCH_TRY(latch__conn_set_keys13(c, true, &hs->s_ap, "application"));
    *next = c->early == LATCH_EARLY_ACCEPTED ? S13_WAIT_EOED : hs->cert_requested ? S13_WAIT_CERT : S13_WAIT_FINISHED;
    return LATCH_OK;
}

/* §4.5: EndOfEarlyData ends the 0-RTT data; the client's handshake keys follow. */
static latch_err server_eoed(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    LATCH_TRY(latch_empty_msg_parse(m->body));
    c->early_reading = false;
    LATCH_TRY(latch__conn_set_keys13(c, false, &c->hs->c_hs, "handshake"));
    *next = S13_WAIT_FINISHED;
    return LATCH_OK;
}

static latch_err server_ch(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_client_hello ch;
    uint16_t version;
    choice cho;

    LATCH_TRY(latch_client_hello_parse(m->body, &ch));
    LATCH_TRY(pick_version(c, &ch, &version));
    if (version == LATCH_TLS12) {
        return latch__server12_ch(c, &ch, m, next);
    }
    LATCH_TRY(negotiate(c, &ch, &cho, m));
    if (cho.share == NULL && (cho.psk < 0 || cho.psk_dhe)) {
        /* The PSK (if any) is checked again on the second ClientHello. */
        latch_session_wipe(&c->hs->psk_accepted);
        return send_hrr(c, &ch, &cho, m, next);
    }
    if (ch.session_id.len > 0) {
        memcpy(c->hs->session_id, ch.session_id.p, ch.session_id.len);
    }
    c->hs->session_id_len = (uint8_t)ch.session_id.len;
    c->hs->chain = cho.chain;
    LATCH_TRY(use_choice(c, &cho));
    LATCH_TRY(latch__hs_transcript_add(c, m->whole.p, m->whole.len));
    return send_flight(c, &ch, &cho, next);
}

static latch_err server_ch2(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    latch_hs *hs = c->hs;
    latch_client_hello ch;
    latch_rd cookie;
    uint16_t version;
    choice cho;

    LATCH_TRY(latch_client_hello_parse(m->body, &ch));
    LATCH_TRY(pick_version(c, &ch, &version));
    /* RFC 8446 §4.1.4: the HelloRetryRequest fixed TLS 1.3. */
    LATCH_ENSURE(version == LATCH_TLS13, LATCH_ERR_ILLEGAL_PARAMETER,
                 "the second ClientHello no longer offers TLS 1.3");
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
    LATCH_TRY(negotiate(c, &ch, &cho, m));
    LATCH_ENSURE(cho.suite->id == hs->hrr_suite, LATCH_ERR_ILLEGAL_PARAMETER,
                 "the second ClientHello leads to another cipher suite");
    LATCH_ENSURE(latch_exts_has(&ch.exts, LATCH_X_KEY_SHARE) && cho.shares.n == 1 && cho.shares.e[0].group == hs->hrr_group &&
                     cho.share != NULL,
                 LATCH_ERR_ILLEGAL_PARAMETER,
                 "the second ClientHello must carry exactly one key share, for the group we asked for");
    hs->chain = cho.chain;
    LATCH_TRY(use_choice(c, &cho));
    LATCH_TRY(latch__hs_transcript_add(c, m->whole.p, m->whole.len));
    return send_flight(c, &ch, &cho, next);
}

/* ---- Client authentication ------------------------------------------------------------ */

static latch_err server_cert(latch_conn *c, const latch_hs_msg *m, uint8_t *next)
{
    bool empty;

    LATCH_TRY(latch__tls13_recv_cert(c, m, c->hs->cr_context, c->hs->cr_context_len, &empty));
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
    LATCH_TRY(latch__tls13_recv_cv(c, m, c->cfg->sigalgs, c->cfg->n_sigalgs, c->hs->th_prior));
    *next = S13_WAIT_FINISHED;
    return LATCH_OK;
}

/* One NewSessionTicket (RFC 8446 §4.6.1). */
typedef struct nst_arg {
    uint32_t lifetime, age_add, max_early;
    const uint8_t *nonce, *ticket;
    size_t nonce_len, ticket_len;
} nst_arg;

static latch_err build_nst(latch_conn *c, latch_wr *w, const void *arg)
{
    const nst_arg *a = arg;

    (void)c;
    return latch_new_session_ticket_build(w, a->lifetime, a->age_add, a->nonce, a->nonce_len, a->ticket,
                                          a->ticket_len, a->max_early);
}

static latch_err send_ticket(latch_conn *c, uint8_t index)
{
    latch_config *cfg = c->cfg;
    latch_session s;
    uint8_t ticket[LATCH_TICKET_MAX], nonce[1] = {index};
    size_t tlen = 0;
    nst_arg a;
    latch_err e;

    memset(&s, 0, sizeof s);
    s.version = LATCH_TLS13;
    s.suite = c->suite->id;
    s.issued = latch__config_now(cfg);
    s.lifetime = cfg->ticket_lifetime;
    s.max_early_data = cfg->max_early_data;
    latch__conn_session_names(c, &s);
    e = c->prov->random(c->prov->rng, (uint8_t *)&s.age_add, sizeof s.age_add);
    if (e == LATCH_OK) {
        e = latch_ks13_resumption_psk(c->hash, &c->resumption_secret, nonce, sizeof nonce, &s.secret);
    }
    if (e == LATCH_OK && cfg->store == LATCH_SESSIONS_CACHE) {
        /* The ticket is only a handle into our cache. */
        tlen = 32;
        e = c->prov->random(c->prov->rng, ticket, tlen);
        if (e == LATCH_OK) {
            e = latch_cache_put(cfg->cache, ticket, tlen, &s);
        }
    } else if (e == LATCH_OK) {
        e = latch_ticket_seal(c->prov, &cfg->ticket_keys, s.issued, &s, ticket, sizeof ticket, &tlen);
    }
    a.age_add = s.age_add; /* public: sent in the clear inside the encrypted NST */
    latch_session_wipe(&s);
    LATCH_TRY(e);
    a.lifetime = cfg->ticket_lifetime;
    a.max_early = cfg->max_early_data;
    a.nonce = nonce;
    a.nonce_len = sizeof nonce;
    a.ticket = ticket;
    a.ticket_len = tlen;
    return latch__hs_send(c, LATCH_HS_NEW_SESSION_TICKET, build_nst, &a, true);
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
    if (hs->pha_offered) {
        LATCH_TRY(latch__pha_save(c));
    }
    if (c->cfg->store != LATCH_SESSIONS_OFF && c->cfg->client_auth == LATCH_CLIENT_AUTH_NONE) {
        /* After a resumption, one ticket replaces the one the client used (see latch_config_set_tickets). */
        unsigned n = c->resumed && c->cfg->tickets > 1 ? 1 : c->cfg->tickets;

        for (unsigned i = 0; i < n; i++) {
            LATCH_TRY(send_ticket(c, (uint8_t)i));
        }
        LATCH_TRY(latch__hs_flush(c));
    }
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
     LATCH_S(S13_WAIT_CH2) | LATCH_S(S13_WAIT_EOED) | LATCH_S(S13_WAIT_CERT) | LATCH_S(S13_WAIT_FINISHED) |
         LATCH_S(S12_WAIT_CERT) | LATCH_S(S12_WAIT_CKE) | LATCH_S(S12_RESUME_WAIT_CCS),
     LATCH_HSF_OWN_TRANSCRIPT | LATCH_HSF_END_OF_RECORD},
    {S13_WAIT_CH2, HS, LATCH_HS_CLIENT_HELLO, server_ch2, LATCH_S(S13_WAIT_CERT) | LATCH_S(S13_WAIT_FINISHED),
     LATCH_HSF_OWN_TRANSCRIPT | LATCH_HSF_END_OF_RECORD},
    {S13_WAIT_EOED, HS, LATCH_HS_END_OF_EARLY_DATA, server_eoed, LATCH_S(S13_WAIT_FINISHED), LATCH_HSF_END_OF_RECORD},
    {S13_WAIT_CERT, HS, LATCH_HS_CERTIFICATE, server_cert, LATCH_S(S13_WAIT_CV) | LATCH_S(S13_WAIT_FINISHED), 0},
    {S13_WAIT_CV, HS, LATCH_HS_CERTIFICATE_VERIFY, server_cv, LATCH_S(S13_WAIT_FINISHED), LATCH_HSF_PRIOR_HASH},
    {S13_WAIT_FINISHED, HS, LATCH_HS_FINISHED, server_fin, LATCH_S(S13_CONNECTED),
     LATCH_HSF_PRIOR_HASH | LATCH_HSF_END_OF_RECORD},
    {S13_CONNECTED, HS, LATCH_HS_KEY_UPDATE, server_key_update, LATCH_S(S13_CONNECTED),
     LATCH_HSF_NO_TRANSCRIPT | LATCH_HSF_END_OF_RECORD},
    /* Post-handshake authentication, after latch_conn_request_client_cert. */
    {S13_PHA_WAIT_CERT, HS, LATCH_HS_CERTIFICATE, latch__pha_server_cert,
     LATCH_S(S13_PHA_WAIT_CV) | LATCH_S(S13_PHA_WAIT_FINISHED), LATCH_HSF_NO_TRANSCRIPT},
    {S13_PHA_WAIT_CV, HS, LATCH_HS_CERTIFICATE_VERIFY, latch__pha_server_cv, LATCH_S(S13_PHA_WAIT_FINISHED),
     LATCH_HSF_NO_TRANSCRIPT},
    {S13_PHA_WAIT_FINISHED, HS, LATCH_HS_FINISHED, latch__pha_server_fin, LATCH_S(S13_CONNECTED),
     LATCH_HSF_NO_TRANSCRIPT},
    {S13_PHA_WAIT_CERT, HS, LATCH_HS_KEY_UPDATE, server_key_update, LATCH_S(S13_PHA_WAIT_CERT),
     LATCH_HSF_NO_TRANSCRIPT | LATCH_HSF_END_OF_RECORD},
};

const latch_hs_table latch__server_table = {
    "server",
    edges,
    sizeof edges / sizeof edges[0],
    latch__server_edges12,
    LATCH_SERVER_EDGES12,
    state_names,
    S__COUNT,
    LATCH_S(S13_CONNECTED) | LATCH_S(S13_PHA_WAIT_CERT) | LATCH_S(S13_PHA_WAIT_CV) | LATCH_S(S13_PHA_WAIT_FINISHED) |
        LATCH_S(S12_CONNECTED),
    LATCH_PROOF_CERT | LATCH_PROOF_CV | LATCH_PROOF_FIN,
};
