/*
 * Helpers for the record tests: the AEADs of the OpenSSL provider, fixed
 * keys, and reference record builders written straight from the RFC text,
 * independently of src/record/, so that tests can make records the record
 * layer would refuse to make (oversized, all padding, bad inner types,
 * foreign explicit nonces) and check sealed records against a second
 * construction.
 */
#ifndef LATCH_TEST_RECTEST_H
#define LATCH_TEST_RECTEST_H

#include "harness.h"

#include <latch/provider.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t test_key[32] = {
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
    0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
};
static const uint8_t other_key[32] = {1};
static const uint8_t test_iv[12] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab};

static const uint8_t aead_ids[] = {LATCH_AEAD_AES_128_GCM, LATCH_AEAD_AES_256_GCM, LATCH_AEAD_CHACHA20_POLY1305};

static inline const latch_aead_alg *aead_by_id(uint8_t id)
{
    const latch_aead_alg *a = latch_provider_aead(latch_provider_openssl(), id);

    if (a == NULL) {
        fprintf(stderr, "the OpenSSL provider has no AEAD %u\n", id);
        abort();
    }
    return a;
}

/* TLS 1.2 IV length: the 4-byte GCM salt (RFC 5288) or the 12-byte ChaCha20 IV (RFC 7905). */
static inline size_t iv12_len(const latch_aead_alg *a)
{
    return a->id == LATCH_AEAD_CHACHA20_POLY1305 ? 12 : 4;
}

static inline void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (56 - 8 * i));
    }
}

/* One-shot AEAD seal with the provider: buf[0..len) in place, tag after it. */
static inline void raw_seal(const latch_aead_alg *a, const uint8_t *key, const uint8_t nonce[12], const uint8_t *aad,
                            size_t aad_len, uint8_t *buf, size_t len)
{
    latch_aead_ctx *ctx = NULL;

    if (a->create(a, key, true, &ctx) != LATCH_OK ||
        a->seal(ctx, nonce, aad, aad_len, buf, len, buf + len) != LATCH_OK) {
        fprintf(stderr, "raw_seal failed\n");
        abort();
    }
    a->destroy(ctx);
}

/*
 * A TLS 1.3 record (RFC 8446 §5.2): header outer_type || 0x0303 || length,
 * then AEAD(key, iv XOR seq, header, inner). inner is the whole
 * TLSInnerPlaintext (content, type, zeros), given as is. Returns the length.
 */
static inline size_t raw_rec13(const latch_aead_alg *a, const uint8_t *key, const uint8_t iv[12], uint64_t seq,
                               uint8_t outer_type, const uint8_t *inner, size_t inner_len, uint8_t *out)
{
    uint8_t nonce[12], padded_seq[12] = {0};
    size_t body = inner_len + a->tag_len;

    put64(padded_seq + 4, seq);
    for (int i = 0; i < 12; i++) {
        nonce[i] = (uint8_t)(iv[i] ^ padded_seq[i]);
    }
    out[0] = outer_type;
    put16(out + 1, 0x0303);
    put16(out + 3, (unsigned)body);
    memmove(out + 5, inner, inner_len);
    raw_seal(a, key, nonce, out, 5, out + 5, inner_len);
    return 5 + body;
}

/*
 * A TLS 1.2 AEAD record (RFC 5246 §6.2.3.3): AAD = seq || type || aad_version
 * || plaintext length. GCM (RFC 5288): nonce = salt || explicit, explicit sent
 * in front of the ciphertext. ChaCha20-Poly1305 (RFC 7905): nonce = iv XOR
 * seq, nothing explicit. The header carries hdr_version.
 */
static inline size_t raw_rec12(const latch_aead_alg *a, const uint8_t *key, const uint8_t *iv, uint64_t seq,
                               uint64_t explicit_nonce, uint8_t type, unsigned hdr_version, unsigned aad_version,
                               const uint8_t *plain, size_t len, uint8_t *out)
{
    uint8_t nonce[12], aad[13];
    bool gcm = a->id != LATCH_AEAD_CHACHA20_POLY1305;
    size_t ex = gcm ? 8 : 0;

    if (gcm) {
        memcpy(nonce, iv, 4);
        put64(nonce + 4, explicit_nonce);
    } else {
        uint8_t padded_seq[12] = {0};

        put64(padded_seq + 4, seq);
        for (int i = 0; i < 12; i++) {
            nonce[i] = (uint8_t)(iv[i] ^ padded_seq[i]);
        }
    }
    put64(aad, seq);
    aad[8] = type;
    put16(aad + 9, aad_version);
    put16(aad + 11, (unsigned)len);
    out[0] = type;
    put16(out + 1, hdr_version);
    put16(out + 3, (unsigned)(ex + len + a->tag_len));
    memmove(out + 5 + ex, plain, len);
    if (gcm) {
        put64(out + 5, explicit_nonce);
    }
    raw_seal(a, key, nonce, aad, sizeof aad, out + 5 + ex, len);
    return 5 + ex + len + a->tag_len;
}

/* A deterministic byte pattern with no zero bytes (so stripped padding cannot hide in it). */
static inline void fill_pattern(uint8_t *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(1 + (i * 7 + seed) % 251);
    }
}

static inline bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return false;
        }
    }
    return true;
}

#endif
