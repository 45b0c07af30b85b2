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

uint16_t latch__pick_sigalg(const latch_conn *c, latch_u16s peer, latch_pkey_info key, bool tls13)
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
