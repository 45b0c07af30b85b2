/* Negotiation policy shared by the roles: which signature scheme fits a key. */
#include "hs/hs.h"

#include <string.h>

bool latch__u16_in(const uint16_t *list, size_t n, uint16_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i] == v) {
            return true;
        }
    }
    return false;
}

bool latch__sig_fits_key(const latch_sig_alg *alg, latch_pkey_info info, bool tls13)
{
    if (alg->key_type != info.type) {
        return false;
    }
    if (tls13 && !alg->tls13) {
        return false; /* RFC 8446 §4.2.3: no RSASSA-PKCS1-v1_5 in CertificateVerify */
    }
    /* RFC 8446 §4.2.3: in TLS 1.3 an ECDSA scheme names its curve. */
    if (tls13 && info.type == LATCH_PKEY_EC && alg->group != info.group) {
        return false;
    }
    return true;
}

static uint16_t first_fit(const latch_conn *c, latch_u16s peer, latch_pkey_info key, bool tls13)
{
    const latch_config *cfg = c->cfg;

    for (size_t i = 0; i < latch_u16s_count(peer); i++) {
        uint16_t s = latch_u16s_at(peer, i);
        const latch_sig_alg *alg;

        if (!latch__u16_in(cfg->sigalgs, cfg->n_sigalgs, s)) {
            continue;
        }
        alg = latch_provider_sig(c->prov, s);
        if (alg != NULL && latch__sig_fits_key(alg, key, tls13)) {
            return s;
        }
    }
    return 0;
}

uint16_t latch__pick_sigalg(const latch_conn *c, latch_u16s peer, latch_pkey_info key, bool tls13)
{
    uint16_t s = first_fit(c, peer, key, true);

    /* TLS 1.2 lets any ECDSA key sign with any hash (RFC 5246 §7.4.1.4.1);
     * still prefer the scheme that names the key's own curve, as TLS 1.3
     * must, so that a P-384 key signs with SHA-384. Then RSASSA-PKCS1-v1_5,
     * which TLS 1.2 allows. */
    if (s == 0 && !tls13) {
        s = first_fit(c, peer, key, false);
    }
    return s;
}

/* RFC 5246 §7.4.4 and RFC 8422 §5.5: the ClientCertificateType a key needs. */
static uint8_t cert_type_of(latch_pkey_info key)
{
    switch (key.type) {
    case LATCH_PKEY_RSA:
    case LATCH_PKEY_RSA_PSS: return LATCH_CERT_TYPE_RSA_SIGN;
    case LATCH_PKEY_EC:
    case LATCH_PKEY_ED25519:
    case LATCH_PKEY_ED448: return LATCH_CERT_TYPE_ECDSA_SIGN;
    default: return 0;
    }
}

/* Does one of the CAs in the DistinguishedName list body cas issue a certificate of ch? */
static bool issued_by_listed(const latch_chain *ch, latch_rd cas)
{
    latch_rd dns[32], it = cas, dn;
    size_t n = 0;

    /* In batches, so that a list of any length is considered in full. */
    while (latch_ext_cas_next(&it, &dn)) {
        dns[n++] = dn;
        if (n == sizeof dns / sizeof dns[0]) {
            if (latch_chain_issued_by_any(ch, dns, n)) {
                return true;
            }
            n = 0;
        }
    }
    return n > 0 && latch_chain_issued_by_any(ch, dns, n);
}

/* The application's choice (cfg->client_cert_cb) among the chains; usable[i]: chain i can answer. */
static latch_err app_choice(latch_conn *c, latch_u16s sigalgs, latch_rd cas, bool tls13, bool pha,
                            const bool *usable, int suggested, int *pick)
{
    const latch_config *cfg = c->cfg;
    uint16_t algs[64];
    latch_dn dns[256];
    latch_cert_request req;
    latch_rd it = cas, dn;
    int got;

    memset(&req, 0, sizeof req);
    req.version = tls13 ? LATCH_TLS13 : LATCH_TLS12;
    req.post_handshake = pha;
    for (size_t i = 0; i < latch_u16s_count(sigalgs) && req.n_sigalgs < 64; i++) {
        algs[req.n_sigalgs++] = latch_u16s_at(sigalgs, i);
    }
    req.sigalgs = algs;
    while (req.n_cas < 256 && latch_ext_cas_next(&it, &dn)) {
        dns[req.n_cas].der = dn.p;
        dns[req.n_cas].len = dn.len;
        req.n_cas++;
    }
    req.cas = dns;
    req.usable = usable;
    req.n_chains = cfg->n_chains;
    req.suggested = suggested;
    got = cfg->client_cert_cb(cfg->client_cert_user, c, &req);
    if (got < -1 || got >= (int)cfg->n_chains) {
        return LATCH_FAIL(LATCH_ERR_HANDSHAKE_FAILURE,
                          "the client certificate callback chose chain %d, but %zu are configured", got,
                          cfg->n_chains);
    }
    if (got >= 0 && !usable[got]) {
        return LATCH_FAIL(LATCH_ERR_HANDSHAKE_FAILURE,
                          "the client certificate callback chose chain %d, which cannot answer this request (no "
                          "signature scheme the server accepts fits its key, or its key type was not asked for)",
                          got);
    }
    *pick = got;
    return LATCH_OK;
}

latch_err latch__pick_client_chain_ex(latch_conn *c, latch_u16s sigalgs, latch_rd cas, latch_rd cert_types,
                                      bool tls13, bool pha, const latch_chain **out, uint16_t *scheme)
{
    const latch_config *cfg = c->cfg;
    uint16_t schemes[LATCH_MAX_CHAINS];
    bool usable[LATCH_MAX_CHAINS];
    int pick = -1;

    *out = NULL;
    *scheme = 0;
    for (size_t i = 0; i < cfg->n_chains; i++) {
        latch_pkey_info key = latch_chain_key_info(cfg->chains[i]);

        schemes[i] = latch__pick_sigalg(c, sigalgs, key, tls13);
        usable[i] = schemes[i] != 0 && (cert_types.len == 0 || latch_cert_types_has(cert_types, cert_type_of(key)));
        if (pick < 0 && usable[i] && (cas.len == 0 || issued_by_listed(cfg->chains[i], cas))) {
            pick = (int)i;
        }
    }
    if (cfg->client_cert_cb != NULL) {
        LATCH_TRY(app_choice(c, sigalgs, cas, tls13, pha, usable, pick, &pick));
    }
    if (pick >= 0) {
        *out = cfg->chains[pick];
        *scheme = schemes[pick];
    }
    return LATCH_OK;
}

/* Pick our certificate for a TLS 1.3 CertificateRequest: by its
 * signature_algorithms and certificate_authorities. */
latch_err latch__pick_client_chain(latch_conn *c, const latch_certificate_request *cr, bool pha,
                                   const latch_chain **out, uint16_t *scheme)
{
    latch_rd list = {0};

    if (latch_exts_has(&cr->exts, LATCH_X_CERTIFICATE_AUTHORITIES) &&
        latch_ext_cas_parse(cr->exts.data[LATCH_X_CERTIFICATE_AUTHORITIES], &list) != LATCH_OK) {
        list = (latch_rd){0};
    }
    return latch__pick_client_chain_ex(c, cr->sigalgs, list, (latch_rd){0}, true, pha, out, scheme);
}

size_t latch__cr_cas(const latch_conn *c, latch_rd *cas)
{
    const latch_config *cfg = c->cfg;
    size_t total, bytes = 0;

    if (!cfg->send_ca_list || cfg->trust == NULL) {
        return 0;
    }
    total = latch_trust_subject_count(cfg->trust);
    if (total > LATCH_CA_LIST_MAX) {
        return 0; /* all or none: a partial list would turn clients away from CAs we trust */
    }
    for (size_t i = 0; i < total; i++) {
        cas[i] = latch_trust_subject(cfg->trust, i);
        bytes += 2 + cas[i].len;
    }
    /* RFC 8446 §4.2.4 / RFC 5246 §7.4.4: DistinguishedName authorities<3..2^16-1>,
     * inside an extension (TLS 1.3) whose own data is at most 2^16-1 bytes. */
    return bytes + 2 <= 0xFFFF ? total : 0;
}

size_t latch__cr_lists(latch_conn *c, uint16_t *schemes, latch_rd *cas, size_t *n_cas)
{
    const latch_config *cfg = c->cfg;
    size_t n = 0;

    for (size_t i = 0; i < cfg->n_sigalgs; i++) {
        const latch_sig_alg *alg = latch_provider_sig(c->prov, cfg->sigalgs[i]);

        if (alg != NULL && alg->tls13) {
            schemes[n++] = cfg->sigalgs[i];
        }
    }
    *n_cas = latch__cr_cas(c, cas);
    return n;
}
