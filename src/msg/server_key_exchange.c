/* ServerKeyExchange for ECDHE (RFC 8422 §5.4; RFC 5246 §7.4.3). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8422 §5.4:
 *   enum { deprecated (1..2), named_curve (3), reserved(248..255) } ECCurveType;
 *
 *   struct {
 *       ECCurveType    curve_type;
 *       select (curve_type) {
 *           case named_curve:
 *               NamedCurve namedcurve;
 *       };
 *   } ECParameters;
 *
 *   struct {
 *       opaque point <1..2^8-1>;
 *   } ECPoint;
 *
 *   struct {
 *       ECParameters    curve_params;
 *       ECPoint         public;
 *   } ServerECDHParams;
 *
 *   select (KeyExchangeAlgorithm) {
 *       case ec_diffie_hellman:
 *           ServerECDHParams    params;
 *           Signature           signed_params;
 *   } ServerKeyExchange;
 *
 * RFC 5246 §4.7 and §7.4.1.4.1: the signature is a digitally-signed element,
 *   struct {
 *       SignatureAndHashAlgorithm algorithm;
 *       opaque signature<0..2^16-1>;
 *   } DigitallySigned;
 * (SignatureAndHashAlgorithm is the two bytes of a SignatureScheme.)
 */
latch_err latch_server_key_exchange_parse(latch_rd body, latch_server_key_exchange *ske)
{
    latch_rd start = body;
    uint8_t curve_type;

    *ske = (latch_server_key_exchange){0};
    LATCH_TRY(latch_field_u8(&body, "ServerKeyExchange.curve_params.curve_type", &curve_type));
    /* RFC 8422 §5.4: explicit curves are deprecated; only named_curve is legal. */
    LATCH_ENSURE(curve_type == LATCH_EC_CURVE_TYPE_NAMED, LATCH_ERR_ILLEGAL_PARAMETER,
                 "ServerKeyExchange.curve_params.curve_type is not named_curve (RFC 8422 §5.4)");
    LATCH_TRY(latch_field_u16(&body, "ServerKeyExchange.curve_params.namedcurve", &ske->group));
    LATCH_TRY(latch_field_vec(&body, "ServerKeyExchange.public.point", 1, 1, 0xFF, &ske->point));
    /* What the signature covers (after the two randoms): the params as sent. */
    ske->params = latch_rd_make(start.p, 4 + ske->point.len);
    LATCH_TRY(latch_field_u16(&body, "ServerKeyExchange.signed_params.algorithm", &ske->scheme));
    LATCH_TRY(latch_field_vec(&body, "ServerKeyExchange.signed_params.signature", 2, 0, 0xFFFF, &ske->signature));
    LATCH_TRY(latch_field_end(&body, "ServerKeyExchange"));
    return LATCH_OK;
}

void latch_ske_params_build(latch_wr *w, uint16_t group, const uint8_t *point, size_t point_len)
{
    latch_wr_u8(w, LATCH_EC_CURVE_TYPE_NAMED);
    latch_wr_u16(w, group);
    latch_wr_open(w, 1);
    latch_wr_bytes(w, point, point_len);
    latch_wr_close(w, 1, 0xFF); /* point<1..2^8-1> */
}

latch_err latch_server_key_exchange_build(latch_wr *w, uint16_t group, const uint8_t *point, size_t point_len,
                                          uint16_t scheme, const uint8_t *sig, size_t sig_len)
{
    if (point == NULL || point_len < 1 || point_len > 0xFF) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "ServerKeyExchange.public.point: %zu bytes (1..255)",
                          point_len);
    }
    if (sig_len > 0xFFFF || (sig == NULL && sig_len > 0)) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "ServerKeyExchange.signed_params.signature: %zu bytes",
                          sig_len);
    }
    latch_msg_open(w, LATCH_HS_SERVER_KEY_EXCHANGE);
    latch_ske_params_build(w, group, point, point_len);
    latch_wr_u16(w, scheme);
    latch_wr_open(w, 2);
    latch_wr_bytes(w, sig, sig_len);
    latch_wr_close(w, 0, 0xFFFF); /* signature<0..2^16-1> */
    return latch_msg_finish(w, "ServerKeyExchange");
}

/*
 * RFC 8422 §5.4:
 *   signed_params: A hash of the params, with the signature appropriate
 *   to that hash applied. ...
 *     ServerKeyExchange.signed_params.sha_hash
 *         SHA(ClientHello.random + ServerHello.random +
 *                                           ServerKeyExchange.params);
 * (RFC 5246 §7.4.3 has the same concatenation, signed with the
 * negotiated SignatureAndHashAlgorithm.)
 */
size_t latch_ske_content(const uint8_t client_random[32], const uint8_t server_random[32], latch_rd params,
                         uint8_t *out, size_t cap)
{
    latch_wr w;

    latch_wr_init(&w, out, cap);
    latch_wr_bytes(&w, client_random, 32);
    latch_wr_bytes(&w, server_random, 32);
    latch_wr_bytes(&w, params.p, params.len);
    return latch_wr_finish(&w) == LATCH_OK ? latch_wr_len(&w) : 0;
}
