/* Negotiation policy shared by the roles: which signature scheme fits a key. */
#include "hs/hs.h"

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

const latch_chain *latch__pick_client_chain_ex(const latch_conn *c, latch_u16s sigalgs, latch_rd cas,
                                               latch_rd cert_types, bool tls13, uint16_t *scheme)
{
    const latch_config *cfg = c->cfg;
    latch_rd dns[64], it = cas, dn;
    size_t n_dns = 0;

    *scheme = 0;
    while (n_dns < 64 && latch_ext_cas_next(&it, &dn)) {
        dns[n_dns++] = dn;
    }
    for (size_t i = 0; i < cfg->n_chains; i++) {
        const latch_chain *ch = cfg->chains[i];
        latch_pkey_info key = latch_chain_key_info(ch);
        uint16_t s = latch__pick_sigalg(c, sigalgs, key, tls13);

        if (s == 0 || (cert_types.len > 0 && !latch_cert_types_has(cert_types, cert_type_of(key)))) {
            continue;
        }
        if (n_dns == 0 || latch_chain_issued_by_any(ch, dns, n_dns)) {
            *scheme = s;
            return ch;
        }
    }
    return NULL;
}

/* Pick our certificate for a TLS 1.3 CertificateRequest: the first chain
 * whose key can sign with a scheme the server accepts and, if the server
 * named CAs, that one of them issued. */
const latch_chain *latch__pick_client_chain(latch_conn *c, const latch_certificate_request *cr, uint16_t *scheme)
{
    latch_rd list = {0};

    if (latch_exts_has(&cr->exts, LATCH_X_CERTIFICATE_AUTHORITIES) &&
        latch_ext_cas_parse(cr->exts.data[LATCH_X_CERTIFICATE_AUTHORITIES], &list) != LATCH_OK) {
        list = (latch_rd){0};
    }
    return latch__pick_client_chain_ex(c, cr->sigalgs, list, (latch_rd){0}, true, scheme);
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
    *n_cas = 0;
    if (cfg->trust != NULL) {
        size_t total = latch_trust_subject_count(cfg->trust);

        for (size_t i = 0; i < total && *n_cas < 64; i++) {
            cas[(*n_cas)++] = latch_trust_subject(cfg->trust, i);
        }
    }
    return n;
}
