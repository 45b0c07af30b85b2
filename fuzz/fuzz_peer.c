/*
 * A peer's certificate list (src/x509/verify.c, name.c, der.c): parsed,
 * verified against the fixed CA for "localhost" at the fuzz clock, and
 * described (subject, issuer, names, key). Input: a selector byte, then
 * certificates as 2-byte length + DER. The raw input is also read as a
 * DistinguishedName.
 */
#include "fuzz.h"

#include "x509/cert.h"
#include "x509/trust.h"
#include "x509/verify.h"

#include <string.h>

static latch_trust *trust;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *der[LATCH_PEER_MAX_CERTS + 2];
    size_t len[LATCH_PEER_MAX_CERTS + 2], n = 0;
    fz_in in = {data, size};
    uint8_t sel = fz_u8(&in);
    latch_peer *p = NULL;
    latch_verify_params vp;
    char buf[1024];
    latch_err e;

    if (trust == NULL) {
        FZ_ASSERT(latch_trust_new(&trust) == LATCH_OK &&
                      latch_trust_add_pem(trust, (const uint8_t *)fz_ca_pem, strlen(fz_ca_pem)) == LATCH_OK,
                  "fuzz setup: trust store");
    }
    latch__err_clear();
    fz_check_failure(latch_x509_dn_string(latch_rd_make(in.p, in.n), buf, sizeof buf));
    while (in.n > 0 && n < sizeof der / sizeof der[0]) {
        der[n] = fz_bytes(&in, fz_u16(&in), &len[n]);
        n++;
    }
    latch__err_clear();
    e = latch_peer_new(der, len, n, &p);
    fz_check_failure(e);
    FZ_ASSERT((e == LATCH_OK) == (p != NULL), "peer output and result disagree");
    if (p == NULL) {
        return 0;
    }
    FZ_ASSERT(latch_peer_count(p) == n, "peer holds %zu of %zu certificates", latch_peer_count(p), n);
    for (size_t i = 0; i < n; i++) {
        latch_rd d = latch_peer_der(p, i);

        FZ_ASSERT(d.len == len[i] && memcmp(d.p, der[i], len[i]) == 0, "peer certificate %zu changed", i);
        LATCH_IGNORE(latch_peer_subject(p, i, buf, sizeof buf));
        LATCH_IGNORE(latch_peer_issuer(p, i, buf, sizeof buf));
        LATCH_IGNORE(latch_peer_sans(p, i, buf, sizeof buf));
        LATCH_IGNORE(latch_peer_subject(p, i, buf, 1 + (sel >> 4))); /* tiny buffers truncate safely */
    }
    (void)latch_peer_key_info(p);
    memset(&vp, 0, sizeof vp);
    vp.host = (sel & 1) ? "127.0.0.1" : "localhost";
    vp.client_cert = (sel & 2) != 0;
    vp.now = FZ_NOW;
    vp.max_depth = (sel >> 2) & 3;
    latch__err_clear();
    e = latch_peer_verify(p, trust, &vp);
    fz_check_failure(e);
    FZ_ASSERT(e == LATCH_OK || latch_err_class(e) == LATCH_CLASS_CERT || e == LATCH_ERR_NO_MEMORY,
              "verification failed with a non-certificate error %s", latch_err_name(e));
    FZ_ASSERT(latch_peer_verified(p) == (e == LATCH_OK), "verified flag disagrees");
    for (size_t i = 0; i < latch_peer_path_count(p); i++) {
        LATCH_IGNORE(latch_peer_path_subject(p, i, buf, sizeof buf));
    }
    latch_peer_free(p);
    return 0;
}
