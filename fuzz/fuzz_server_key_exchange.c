/* latch_server_key_exchange_parse (src/msg/server_key_exchange.c), the content it signs, and a round trip. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[70000];
    static const uint8_t client_random[32] = {0xC1}, server_random[32] = {0x5E};
    uint8_t content[LATCH_SKE_CONTENT_MAX], params[LATCH_SKE_PARAMS_MAX];
    latch_server_key_exchange ske, again;
    latch_wr w;
    latch_err e;
    size_t n;

    latch__err_clear();
    e = latch_server_key_exchange_parse(latch_rd_make(data, size), &ske);
    fz_check_failure(e);
    if (e != LATCH_OK) {
        return 0;
    }
    (void)fz_touch(ske.point);
    (void)fz_touch(ske.params);
    (void)fz_touch(ske.signature);
    /* ServerECDHParams: curve_type named_curve, namedcurve, point<1..2^8-1>. */
    FZ_ASSERT(ske.point.len >= 1 && ske.point.len <= 255, "ServerKeyExchange point of %zu bytes", ske.point.len);
    FZ_ASSERT(size >= 4 && data[0] == LATCH_EC_CURVE_TYPE_NAMED && ske.group == (uint16_t)(data[1] << 8 | data[2]),
              "a curve_type other than named_curve, or the wrong group");
    /* What the signature covers is exactly the params as received. */
    FZ_ASSERT(ske.params.p == data && ske.params.len == 4 + ske.point.len && ske.point.p == data + 4,
              "ServerKeyExchange params are not the bytes received");
    /* signed_params: scheme, then signature<0..2^16-1>, ending the body. */
    FZ_ASSERT(size == ske.params.len + 4 + ske.signature.len && ske.signature.len <= 0xFFFF,
              "ServerKeyExchange signature of %zu bytes in a body of %zu", ske.signature.len, size);
    FZ_ASSERT(ske.signature.len == 0 || ske.signature.p == data + (size - ske.signature.len),
              "ServerKeyExchange signature is not at the end of the body");
    FZ_ASSERT(ske.scheme == (uint16_t)(data[ske.params.len] << 8 | data[ske.params.len + 1]), "wrong scheme");
    n = latch_ske_content(client_random, server_random, ske.params, content, sizeof content);
    FZ_ASSERT(n == 64 + ske.params.len && memcmp(content + 64, ske.params.p, ske.params.len) == 0,
              "the signed content is not the randoms and the params");
    /* The params the signer writes are the params the verifier reads. */
    latch_wr_init(&w, params, sizeof params);
    latch_ske_params_build(&w, ske.group, ske.point.p, ske.point.len);
    FZ_ASSERT(latch_wr_finish(&w) == LATCH_OK && latch_wr_len(&w) == ske.params.len &&
                  memcmp(params, ske.params.p, ske.params.len) == 0,
              "ServerECDHParams rebuilt differ");
    /* The encoding is canonical: building the parsed fields gives back the body. */
    latch_wr_init(&w, buf, sizeof buf);
    e = latch_server_key_exchange_build(&w, ske.group, ske.point.p, ske.point.len, ske.scheme, ske.signature.p,
                                        ske.signature.len);
    FZ_ASSERT(e == LATCH_OK && latch_wr_finish(&w) == LATCH_OK, "cannot rebuild a parsed ServerKeyExchange");
    n = latch_wr_len(&w);
    FZ_ASSERT(n == 4 + size && buf[0] == LATCH_HS_SERVER_KEY_EXCHANGE &&
                  ((size_t)buf[1] << 16 | (size_t)buf[2] << 8 | buf[3]) == size && memcmp(buf + 4, data, size) == 0,
              "ServerKeyExchange rebuilt differs");
    e = latch_server_key_exchange_parse(latch_rd_make(buf + 4, n - 4), &again);
    FZ_ASSERT(e == LATCH_OK && again.group == ske.group && again.scheme == ske.scheme &&
                  again.point.len == ske.point.len && again.signature.len == ske.signature.len,
              "ServerKeyExchange round trip");
    return 0;
}
