/* ClientKeyExchange (RFC 5246 §7.4.7; RFC 8422 §5.7). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 5246 §7.4.7:
 *   struct {
 *       select (KeyExchangeAlgorithm) {
 *           case rsa:
 *               EncryptedPreMasterSecret;
 *           ...
 *       } exchange_keys;
 *   } ClientKeyExchange;
 *
 * §7.4.7.1: struct { public-key-encrypted PreMasterSecret pre_master_secret; }
 * EncryptedPreMasterSecret; in TLS 1.0 and later the RSA-encrypted value
 * carries a two-byte length (§4.7: "public-key-encrypted data is
 * represented as an opaque vector <0..2^16-1>").
 *
 * RFC 8422 §5.7 (ECDHE, no fixed ECDH): ClientECDiffieHellmanPublic holds
 *   ECPoint ecdh_Yc;   with   struct { opaque point <1..2^8-1>; } ECPoint;
 */
latch_err latch_client_key_exchange_parse(latch_rd body, bool rsa, latch_rd *exchange)
{
    latch_rd v;

    *exchange = (latch_rd){0};
    if (rsa) {
        LATCH_TRY(latch_field_vec(&body, "ClientKeyExchange.encrypted_pre_master_secret", 2, 0, 0xFFFF, &v));
    } else {
        LATCH_TRY(latch_field_vec(&body, "ClientKeyExchange.ecdh_Yc.point", 1, 1, 0xFF, &v));
    }
    LATCH_TRY(latch_field_end(&body, "ClientKeyExchange"));
    *exchange = v;
    return LATCH_OK;
}

latch_err latch_client_key_exchange_build(latch_wr *w, bool rsa, const uint8_t *p, size_t len)
{
    if (rsa ? (len > 0xFFFF || (p == NULL && len > 0)) : (p == NULL || len < 1 || len > 0xFF)) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "ClientKeyExchange.%s: %zu bytes (%s)",
                          rsa ? "encrypted_pre_master_secret" : "ecdh_Yc.point", len, rsa ? "0..65535" : "1..255");
    }
    latch_msg_open(w, LATCH_HS_CLIENT_KEY_EXCHANGE);
    latch_wr_open(w, rsa ? 2 : 1);
    latch_wr_bytes(w, p, len);
    if (rsa) {
        latch_wr_close(w, 0, 0xFFFF); /* <0..2^16-1> */
    } else {
        latch_wr_close(w, 1, 0xFF); /* point<1..2^8-1> */
    }
    return latch_msg_finish(w, "ClientKeyExchange");
}
