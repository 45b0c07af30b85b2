/*
 * latch_client_key_exchange_parse (src/msg/client_key_exchange.c) in both
 * forms, and a round trip. Input: a selector byte (bit 0: 1 the RSA form,
 * EncryptedPreMasterSecret; 0 the ECDHE form, ECPoint), then the body.
 */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[70000];
    latch_rd x, again;
    latch_wr w;
    latch_err e;
    bool rsa;
    size_t n, hdr;

    if (size < 1) {
        return 0;
    }
    rsa = (data[0] & 1) != 0;
    data++;
    size--;
    hdr = rsa ? 2 : 1;
    latch__err_clear();
    e = latch_client_key_exchange_parse(latch_rd_make(data, size), rsa, &x);
    fz_check_failure(e);
    if (e != LATCH_OK) {
        FZ_ASSERT(x.p == NULL && x.len == 0, "a failed ClientKeyExchange parse left a view");
        return 0;
    }
    (void)fz_touch(x);
    /* RSA: opaque<0..2^16-1>; ECDHE: point<1..2^8-1>; either fills the body. */
    FZ_ASSERT(rsa ? x.len <= 0xFFFF : x.len >= 1 && x.len <= 255, "ClientKeyExchange %s of %zu bytes",
              rsa ? "ciphertext" : "point", x.len);
    FZ_ASSERT(size == hdr + x.len && (x.len == 0 || x.p == data + hdr), "ClientKeyExchange view is not the body");
    latch_wr_init(&w, buf, sizeof buf);
    e = latch_client_key_exchange_build(&w, rsa, x.p, x.len);
    FZ_ASSERT(e == LATCH_OK && latch_wr_finish(&w) == LATCH_OK, "cannot rebuild a parsed ClientKeyExchange");
    n = latch_wr_len(&w);
    FZ_ASSERT(n == 4 + size && buf[0] == LATCH_HS_CLIENT_KEY_EXCHANGE &&
                  ((size_t)buf[1] << 16 | (size_t)buf[2] << 8 | buf[3]) == size && memcmp(buf + 4, data, size) == 0,
              "ClientKeyExchange rebuilt differs");
    e = latch_client_key_exchange_parse(latch_rd_make(buf + 4, n - 4), rsa, &again);
    FZ_ASSERT(e == LATCH_OK && again.len == x.len, "ClientKeyExchange round trip");
    return 0;
}
