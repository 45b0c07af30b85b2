/*
 * Tests for the TLS 1.3 key schedule (src/hs/keysched13.c): stage order,
 * label and length limits, and each helper against an independent
 * computation (HkdfLabel bytes written out by hand here, fed to the HKDF
 * primitives directly). The full RFC 8448 traces are replayed in
 * tests/kat/rfc8448_keysched_test.c.
 */
#include "core/err.h"
#include "harness.h"
#include "hs/keysched13.h"
#include "provider/hkdf.h"
#include "rfc8448.h"

#include <stdlib.h>
#include <string.h>

static const latch_hash_alg *hash_alg(uint8_t id)
{
    const latch_hash_alg *h = latch_provider_hash(latch_provider_openssl(), id);

    if (h == NULL) {
        fprintf(stderr, "provider lacks hash %u\n", id);
        abort();
    }
    return h;
}

static const latch_aead_alg *aead_alg(uint8_t id)
{
    const latch_aead_alg *a = latch_provider_aead(latch_provider_openssl(), id);

    if (a == NULL) {
        fprintf(stderr, "provider lacks AEAD %u\n", id);
        abort();
    }
    return a;
}

/* HkdfLabel written byte by byte (RFC 8446 §7.1), independently of latch_wr. */
static size_t hkdf_label(uint8_t *out, size_t length, const uint8_t *label, size_t label_len, const uint8_t *ctx,
                         size_t ctx_len)
{
    size_t n = 0;

    out[n++] = (uint8_t)(length >> 8);
    out[n++] = (uint8_t)(length & 0xFF);
    out[n++] = (uint8_t)(6 + label_len);
    memcpy(out + n, "tls13 ", 6);
    n += 6;
    memcpy(out + n, label, label_len);
    n += label_len;
    out[n++] = (uint8_t)ctx_len;
    if (ctx_len > 0) {
        memcpy(out + n, ctx, ctx_len);
    }
    return n + ctx_len;
}

/* HKDF-Expand-Label computed the independent way. */
static void ref_expand_label(const latch_hash_alg *h, const uint8_t *secret, size_t secret_len, const char *label,
                             const uint8_t *ctx, size_t ctx_len, uint8_t *out, size_t out_len)
{
    uint8_t info[520];
    size_t n = hkdf_label(info, out_len, (const uint8_t *)label, strlen(label), ctx, ctx_len);

    if (latch_hkdf_expand(h, secret, secret_len, info, n, out, out_len) != LATCH_OK) {
        abort();
    }
}

static void ref_hash(const latch_hash_alg *h, const uint8_t *p, size_t n, uint8_t *out)
{
    latch_hash_ctx c;

    h->init(&c);
    h->update(&c, p, n);
    h->final(&c, out);
}

static bool all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++) {
        if (b[i] != 0) {
            return false;
        }
    }
    return true;
}

/* ---- stage order ------------------------------------------------------- */

static void test_stage_order(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    uint8_t th[32] = {0};
    latch_ks13 ks;
    latch_secret s;

    latch_ks13_init(&ks, h);
    CHECK_EQ(ks.stage, LATCH_KS13_NONE);
    CHECK_ERR(latch_ks13_handshake(&ks, NULL, 0), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_ks13_master(&ks), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_ks13_derive(&ks, LATCH_KS13_C_E_TRAFFIC, th, &s), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_ks13_binder_key(&ks, true, &s), LATCH_ERR_INTERNAL);
    CHECK_EQ(ks.stage, LATCH_KS13_NONE);

    REQUIRE_OK(latch_ks13_early(&ks, NULL, 0));
    CHECK_EQ(ks.stage, LATCH_KS13_EARLY);
    CHECK_ERR(latch_ks13_early(&ks, NULL, 0), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_ks13_master(&ks), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_ks13_derive(&ks, LATCH_KS13_C_HS_TRAFFIC, th, &s), LATCH_ERR_INTERNAL);
    CHECK(strstr(latch__err_last()->detail, "c hs traffic") != NULL);
    CHECK_ERR(latch_ks13_derive(&ks, LATCH_KS13_RES_MASTER, th, &s), LATCH_ERR_INTERNAL);
    CHECK_OK(latch_ks13_derive(&ks, LATCH_KS13_C_E_TRAFFIC, th, &s));
    CHECK_OK(latch_ks13_derive(&ks, LATCH_KS13_E_EXP_MASTER, th, &s));
    CHECK_OK(latch_ks13_binder_key(&ks, false, &s));

    REQUIRE_OK(latch_ks13_handshake(&ks, NULL, 0));
    CHECK_EQ(ks.stage, LATCH_KS13_HANDSHAKE);
    CHECK_ERR(latch_ks13_handshake(&ks, NULL, 0), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_ks13_early(&ks, NULL, 0), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_ks13_derive(&ks, LATCH_KS13_C_E_TRAFFIC, th, &s), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_ks13_binder_key(&ks, true, &s), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_ks13_derive(&ks, LATCH_KS13_C_AP_TRAFFIC, th, &s), LATCH_ERR_INTERNAL);
    CHECK_OK(latch_ks13_derive(&ks, LATCH_KS13_C_HS_TRAFFIC, th, &s));
    CHECK_OK(latch_ks13_derive(&ks, LATCH_KS13_S_HS_TRAFFIC, th, &s));

    REQUIRE_OK(latch_ks13_master(&ks));
    CHECK_EQ(ks.stage, LATCH_KS13_MASTER);
    CHECK_ERR(latch_ks13_master(&ks), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_ks13_handshake(&ks, NULL, 0), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_ks13_derive(&ks, LATCH_KS13_S_HS_TRAFFIC, th, &s), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_ks13_binder_key(&ks, false, &s), LATCH_ERR_INTERNAL);
    CHECK_OK(latch_ks13_derive(&ks, LATCH_KS13_C_AP_TRAFFIC, th, &s));
    CHECK_OK(latch_ks13_derive(&ks, LATCH_KS13_S_AP_TRAFFIC, th, &s));
    CHECK_OK(latch_ks13_derive(&ks, LATCH_KS13_EXP_MASTER, th, &s));
    CHECK_OK(latch_ks13_derive(&ks, LATCH_KS13_RES_MASTER, th, &s));

    /* Wiped: back to NONE, nothing left, nothing derivable. */
    latch_ks13_wipe(&ks);
    CHECK_EQ(ks.stage, LATCH_KS13_NONE);
    CHECK(all_zero(&ks.secret, sizeof ks.secret));
    CHECK_ERR(latch_ks13_derive(&ks, LATCH_KS13_RES_MASTER, th, &s), LATCH_ERR_INTERNAL);
    latch_secret_wipe(&s);
}

/* A failed derivation leaves no stale secret in *out, and the stage is
 * unchanged by a failed transition. */
static void test_failure_wipes_output(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    uint8_t th[32] = {0};
    latch_ks13 ks;
    latch_secret s;

    latch_ks13_init(&ks, h);
    REQUIRE_OK(latch_ks13_early(&ks, NULL, 0));
    memset(&s, 0xAB, sizeof s);
    CHECK_ERR(latch_ks13_derive(&ks, LATCH_KS13_C_HS_TRAFFIC, th, &s), LATCH_ERR_INTERNAL);
    CHECK(all_zero(&s, sizeof s));

    memset(&s, 0xAB, sizeof s);
    CHECK_ERR(latch_ks13_derive(&ks, LATCH_KS13_C_E_TRAFFIC, NULL, &s), LATCH_ERR_INTERNAL); /* needs th */
    CHECK(all_zero(&s, sizeof s));
    memset(&s, 0xAB, sizeof s);
    CHECK_ERR(latch_ks13_derive(&ks, LATCH_KS13_EXT_BINDER, th, &s), LATCH_ERR_INTERNAL); /* takes "" */
    CHECK(all_zero(&s, sizeof s));
    CHECK_ERR(latch_ks13_derive(&ks, LATCH_KS13_LABEL__COUNT, th, &s), LATCH_ERR_INTERNAL);

    CHECK_ERR(latch_ks13_handshake(&ks, NULL, 5), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(ks.stage, LATCH_KS13_EARLY);
    latch_ks13_wipe(&ks);

    latch_ks13_init(&ks, h);
    CHECK_ERR(latch_ks13_early(&ks, NULL, 3), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(ks.stage, LATCH_KS13_NONE);
    latch_ks13_init(&ks, NULL);
    CHECK_ERR(latch_ks13_early(&ks, NULL, 0), LATCH_ERR_INTERNAL);
}

/* The whole schedule under SHA-384, against the RFC 8446 §7.1 formulas
 * evaluated with the HKDF primitives and hand-written HkdfLabels. */
static void test_sha384_schedule_independent(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA384);
    uint8_t zeros[48] = {0}, eh[48], psk[40], dhe[48], th[48];
    uint8_t early[48], derived[48], hs[48], master[48], want[48];
    latch_ks13 ks;
    latch_secret s;

    for (size_t i = 0; i < sizeof psk; i++) {
        psk[i] = (uint8_t)(0xA0 + i);
    }
    for (size_t i = 0; i < sizeof dhe; i++) {
        dhe[i] = (uint8_t)(3 * i + 1);
    }
    for (size_t i = 0; i < sizeof th; i++) {
        th[i] = (uint8_t)(0xFF - i);
    }
    ref_hash(h, NULL, 0, eh);
    latch_hkdf_extract(h, zeros, 48, psk, sizeof psk, early);
    ref_expand_label(h, early, 48, "derived", eh, 48, derived, 48);
    latch_hkdf_extract(h, derived, 48, dhe, sizeof dhe, hs);
    ref_expand_label(h, hs, 48, "derived", eh, 48, derived, 48);
    latch_hkdf_extract(h, derived, 48, zeros, 48, master);

    latch_ks13_init(&ks, h);
    REQUIRE_OK(latch_ks13_early(&ks, psk, sizeof psk));
    CHECK_MEM(ks.secret.b, ks.secret.len, early, 48);
    REQUIRE_OK(latch_ks13_binder_key(&ks, true, &s));
    ref_expand_label(h, early, 48, "ext binder", eh, 48, want, 48);
    CHECK_MEM(s.b, s.len, want, 48);
    REQUIRE_OK(latch_ks13_binder_key(&ks, false, &s));
    ref_expand_label(h, early, 48, "res binder", eh, 48, want, 48);
    CHECK_MEM(s.b, s.len, want, 48);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_C_E_TRAFFIC, th, &s));
    ref_expand_label(h, early, 48, "c e traffic", th, 48, want, 48);
    CHECK_MEM(s.b, s.len, want, 48);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_E_EXP_MASTER, th, &s));
    ref_expand_label(h, early, 48, "e exp master", th, 48, want, 48);
    CHECK_MEM(s.b, s.len, want, 48);

    REQUIRE_OK(latch_ks13_handshake(&ks, dhe, sizeof dhe));
    CHECK_MEM(ks.secret.b, ks.secret.len, hs, 48);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_C_HS_TRAFFIC, th, &s));
    ref_expand_label(h, hs, 48, "c hs traffic", th, 48, want, 48);
    CHECK_MEM(s.b, s.len, want, 48);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_S_HS_TRAFFIC, th, &s));
    ref_expand_label(h, hs, 48, "s hs traffic", th, 48, want, 48);
    CHECK_MEM(s.b, s.len, want, 48);

    REQUIRE_OK(latch_ks13_master(&ks));
    CHECK_MEM(ks.secret.b, ks.secret.len, master, 48);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_C_AP_TRAFFIC, th, &s));
    ref_expand_label(h, master, 48, "c ap traffic", th, 48, want, 48);
    CHECK_MEM(s.b, s.len, want, 48);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_S_AP_TRAFFIC, th, &s));
    ref_expand_label(h, master, 48, "s ap traffic", th, 48, want, 48);
    CHECK_MEM(s.b, s.len, want, 48);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_EXP_MASTER, th, &s));
    ref_expand_label(h, master, 48, "exp master", th, 48, want, 48);
    CHECK_MEM(s.b, s.len, want, 48);
    REQUIRE_OK(latch_ks13_derive(&ks, LATCH_KS13_RES_MASTER, th, &s));
    ref_expand_label(h, master, 48, "res master", th, 48, want, 48);
    CHECK_MEM(s.b, s.len, want, 48);
    latch_ks13_wipe(&ks);
}

/*
 * psk_ke / no-PSK: NULL inputs are Hash.length zeros (RFC 8446 §7.1). A NULL
 * PSK takes the precomputed Early Secret and "derived" salt; a PSK of zeros
 * takes the generic HKDF path, so both constants are recomputed here for
 * each hash the suites use.
 */
static void test_zero_inputs(void)
{
    static const uint8_t hash_ids[] = {LATCH_HASH_SHA256, LATCH_HASH_SHA384};
    uint8_t zeros[48] = {0};
    uint8_t dhe[48];

    for (size_t i = 0; i < sizeof dhe; i++) {
        dhe[i] = (uint8_t)(0xa5 ^ i);
    }
    for (size_t k = 0; k < sizeof hash_ids; k++) {
        const latch_hash_alg *h = hash_alg(hash_ids[k]);
        latch_ks13 a, b;

        latch_ks13_init(&a, h);
        latch_ks13_init(&b, h);
        REQUIRE_OK(latch_ks13_early(&a, NULL, 0));
        REQUIRE_OK(latch_ks13_early(&b, zeros, h->digest_len));
        CHECK(a.zero_psk && !b.zero_psk);
        CHECK_MEM(a.secret.b, a.secret.len, b.secret.b, b.secret.len);
        /* A real (EC)DHE secret: the salt is the only thing that differs in path. */
        REQUIRE_OK(latch_ks13_handshake(&a, dhe, h->digest_len));
        REQUIRE_OK(latch_ks13_handshake(&b, dhe, h->digest_len));
        CHECK_MEM(a.secret.b, a.secret.len, b.secret.b, b.secret.len);
        REQUIRE_OK(latch_ks13_master(&a));
        REQUIRE_OK(latch_ks13_master(&b));
        CHECK_MEM(a.secret.b, a.secret.len, b.secret.b, b.secret.len);
        /* NULL (EC)DHE input equals zeros too. */
        latch_ks13_init(&a, h);
        latch_ks13_init(&b, h);
        REQUIRE_OK(latch_ks13_early(&a, NULL, 0));
        REQUIRE_OK(latch_ks13_early(&b, NULL, 0));
        REQUIRE_OK(latch_ks13_handshake(&a, NULL, 0));
        REQUIRE_OK(latch_ks13_handshake(&b, zeros, h->digest_len));
        CHECK_MEM(a.secret.b, a.secret.len, b.secret.b, b.secret.len);
        latch_ks13_wipe(&a);
        latch_ks13_wipe(&b);
    }
    /* RFC 8448 §3 "extract secret early": HKDF-Extract(0, 0) with SHA-256. */
    {
        latch_ks13 a;
        size_t n;
        const uint8_t *want = rfc8448(3, "server", "extract secret \"early\"", "secret", 0, &n);

        latch_ks13_init(&a, hash_alg(LATCH_HASH_SHA256));
        REQUIRE_OK(latch_ks13_early(&a, NULL, 0));
        CHECK_MEM(a.secret.b, a.secret.len, want, n);
        latch_ks13_wipe(&a);
    }
}

/* ---- HKDF-Expand-Label -------------------------------------------------- */

static void test_expand_label_limits(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    uint8_t secret[32], ctx[256], out[255 * 32 + 1], want[255 * 32];
    char label[251];

    for (size_t i = 0; i < sizeof secret; i++) {
        secret[i] = (uint8_t)i;
    }
    memset(ctx, 0x5C, sizeof ctx);
    memset(label, 'x', sizeof label);

    /* Label: 1..249 bytes, so that "tls13 " + Label is 7..255 (RFC 8446 §7.1). */
    CHECK_ERR(latch_hkdf_expand_label(h, secret, 32, "", NULL, 0, out, 32), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_hkdf_expand_label(h, secret, 32, NULL, NULL, 0, out, 32), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_OK(latch_hkdf_expand_label(h, secret, 32, "k", NULL, 0, out, 32));
    ref_expand_label(h, secret, 32, "k", NULL, 0, want, 32);
    CHECK_MEM(out, 32, want, 32);

    label[249] = '\0';
    CHECK_OK(latch_hkdf_expand_label(h, secret, 32, label, NULL, 0, out, 32));
    ref_expand_label(h, secret, 32, label, NULL, 0, want, 32);
    CHECK_MEM(out, 32, want, 32);
    label[249] = 'x';
    label[250] = '\0';
    CHECK_ERR(latch_hkdf_expand_label(h, secret, 32, label, NULL, 0, out, 32), LATCH_ERR_INVALID_ARGUMENT);

    /* Context: 0..255 bytes. */
    CHECK_OK(latch_hkdf_expand_label(h, secret, 32, "ctx", ctx, 255, out, 32));
    ref_expand_label(h, secret, 32, "ctx", ctx, 255, want, 32);
    CHECK_MEM(out, 32, want, 32);
    CHECK_ERR(latch_hkdf_expand_label(h, secret, 32, "ctx", ctx, 256, out, 32), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_hkdf_expand_label(h, secret, 32, "ctx", NULL, 1, out, 32), LATCH_ERR_INVALID_ARGUMENT);

    /* Length: up to 255 * Hash.length (RFC 5869 §2.3). */
    CHECK_OK(latch_hkdf_expand_label(h, secret, 32, "long", NULL, 0, out, 255 * 32));
    ref_expand_label(h, secret, 32, "long", NULL, 0, want, 255 * 32);
    CHECK_MEM(out, 255 * 32, want, 255 * 32);
    CHECK_ERR(latch_hkdf_expand_label(h, secret, 32, "long", NULL, 0, out, 255 * 32 + 1),
              LATCH_ERR_INVALID_ARGUMENT);
    CHECK_OK(latch_hkdf_expand_label(h, secret, 32, "zero", NULL, 0, out, 0));
}

/* RFC 8448 §3 "derive write traffic keys for handshake data": HkdfLabel
 * "key" and "iv" with an empty context, byte for byte against the RFC. */
static void test_expand_label_rfc8448(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    const char *step = "derive write traffic keys for handshake data";
    size_t prk_len, key_len, iv_len;
    const uint8_t *prk = rfc8448(3, "server", step, "PRK", 0, &prk_len);
    const uint8_t *key = rfc8448(3, "server", step, "key expanded", 0, &key_len);
    const uint8_t *iv = rfc8448(3, "server", step, "iv expanded", 0, &iv_len);
    uint8_t out[32];

    REQUIRE_OK(latch_hkdf_expand_label(h, prk, prk_len, "key", NULL, 0, out, key_len));
    CHECK_MEM(out, key_len, key, key_len);
    REQUIRE_OK(latch_hkdf_expand_label(h, prk, prk_len, "iv", NULL, 0, out, iv_len));
    CHECK_MEM(out, iv_len, iv, iv_len);
}

/* ---- traffic keys, Finished, KeyUpdate, resumption ------------------------ */

static void test_traffic_keys(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA384);
    const latch_aead_alg *aes256 = aead_alg(LATCH_AEAD_AES_256_GCM);
    uint8_t key[32], iv[12], want_key[32], want_iv[12];
    latch_secret s;

    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < 48; i++) {
        s.b[i] = (uint8_t)(i * 7);
    }
    s.len = 48;
    REQUIRE_OK(latch_ks13_traffic_keys(h, aes256, &s, key, iv));
    ref_expand_label(h, s.b, 48, "key", NULL, 0, want_key, 32);
    ref_expand_label(h, s.b, 48, "iv", NULL, 0, want_iv, 12);
    CHECK_MEM(key, 32, want_key, 32);
    CHECK_MEM(iv, 12, want_iv, 12);

    /* A SHA-256-sized secret under a SHA-384 suite is a caller bug. */
    s.len = 32;
    memset(key, 0xEE, sizeof key);
    memset(iv, 0xEE, sizeof iv);
    CHECK_ERR(latch_ks13_traffic_keys(h, aes256, &s, key, iv), LATCH_ERR_INTERNAL);
    CHECK(all_zero(key, sizeof key));
    CHECK(all_zero(iv, sizeof iv));
}

static void test_finished(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    uint8_t th[32], fk[32], want[32], got[32];
    latch_secret base;

    memset(&base, 0, sizeof base);
    for (size_t i = 0; i < 32; i++) {
        base.b[i] = (uint8_t)(0x40 + i);
        th[i] = (uint8_t)(i ^ 0x55);
    }
    base.len = 32;
    /* RFC 8446 §4.4.4. */
    ref_expand_label(h, base.b, 32, "finished", NULL, 0, fk, 32);
    latch_hmac_oneshot(h, fk, 32, th, 32, want);
    REQUIRE_OK(latch_ks13_finished(h, &base, th, got));
    CHECK_MEM(got, 32, want, 32);

    base.len = 48;
    CHECK_ERR(latch_ks13_finished(h, &base, th, got), LATCH_ERR_INTERNAL);
}

static void test_update_secret(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    uint8_t want[32];
    latch_secret s;

    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < 32; i++) {
        s.b[i] = (uint8_t)(200 - i);
    }
    s.len = 32;
    /* RFC 8446 §7.2, twice: each generation is derived from the previous one. */
    for (int gen = 0; gen < 2; gen++) {
        ref_expand_label(h, s.b, 32, "traffic upd", NULL, 0, want, 32);
        REQUIRE_OK(latch_ks13_update_secret(h, &s));
        CHECK_MEM(s.b, s.len, want, 32);
    }
    s.len = 31;
    CHECK_ERR(latch_ks13_update_secret(h, &s), LATCH_ERR_INTERNAL);
    CHECK(all_zero(&s, sizeof s));
}

static void test_resumption_psk(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    uint8_t nonce[256], want[32];
    latch_secret res, psk;

    memset(&res, 0, sizeof res);
    memset(nonce, 0x11, sizeof nonce);
    res.len = 32;
    res.b[0] = 1;
    REQUIRE_OK(latch_ks13_resumption_psk(h, &res, nonce, 255, &psk));
    ref_expand_label(h, res.b, 32, "resumption", nonce, 255, want, 32);
    CHECK_MEM(psk.b, psk.len, want, 32);
    REQUIRE_OK(latch_ks13_resumption_psk(h, &res, NULL, 0, &psk));
    ref_expand_label(h, res.b, 32, "resumption", NULL, 0, want, 32);
    CHECK_MEM(psk.b, psk.len, want, 32);
    /* RFC 8446 §4.6.1: opaque ticket_nonce<0..255>. */
    CHECK_ERR(latch_ks13_resumption_psk(h, &res, nonce, 256, &psk), LATCH_ERR_INVALID_ARGUMENT);
    CHECK(all_zero(&psk, sizeof psk));
    res.len = 48;
    CHECK_ERR(latch_ks13_resumption_psk(h, &res, nonce, 2, &psk), LATCH_ERR_INTERNAL);
}

/* ---- exporter (RFC 8446 §7.5) --------------------------------------------- */

/* The exporter master secret of RFC 8448 §3 ("derive secret tls13 exp master"). */
static latch_secret rfc8448_exp_master(void)
{
    latch_secret s;
    size_t n;
    const uint8_t *p = rfc8448(3, "server", "derive secret \"tls13 exp master\"", "expanded", 0, &n);

    latch_secret_set(&s, p, n);
    return s;
}

/* TLS-Exporter the independent way: Derive-Secret with a hand-written
 * HkdfLabel, then the "exporter" expansion over Hash(context). */
static void ref_export(const latch_hash_alg *h, const latch_secret *em, const char *label, const uint8_t *ctx,
                       size_t ctx_len, uint8_t *out, size_t out_len)
{
    uint8_t eh[64], ch[64], derived[64];

    ref_hash(h, NULL, 0, eh);
    ref_hash(h, ctx, ctx_len, ch);
    ref_expand_label(h, em->b, em->len, label, eh, h->digest_len, derived, h->digest_len);
    ref_expand_label(h, derived, h->digest_len, "exporter", ch, h->digest_len, out, out_len);
}

static void test_export_independent(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    latch_secret em = rfc8448_exp_master();
    const char *label = "EXPORTER-latch test";
    const uint8_t ctx[] = "context value";
    uint8_t out[100], want[100];

    REQUIRE_OK(latch_ks13_export(h, &em, (const uint8_t *)label, strlen(label), ctx, sizeof ctx - 1, out, 32));
    ref_export(h, &em, label, ctx, sizeof ctx - 1, want, 32);
    CHECK_MEM(out, 32, want, 32);
    REQUIRE_OK(latch_ks13_export(h, &em, (const uint8_t *)label, strlen(label), ctx, sizeof ctx - 1, out, 100));
    ref_export(h, &em, label, ctx, sizeof ctx - 1, want, 100);
    CHECK_MEM(out, 100, want, 100);
}

/*
 * Known answers from a third implementation: OpenSSL 3.0's TLS13-KDF
 * (HKDF-Expand-Label), run from the command line on the RFC 8448 §3
 * exporter master secret EM = 319b2e43...cdb999d9 and H0 = SHA-256(""):
 *
 *   S=$(openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt mode:EXPAND_ONLY \
 *       -kdfopt hexkey:$EM -kdfopt "prefix:tls13 " -kdfopt "label:EXPORTER-latch test" \
 *       -kdfopt hexdata:$H0 TLS13-KDF)
 *   openssl kdf -keylen $L -kdfopt digest:SHA256 -kdfopt mode:EXPAND_ONLY -kdfopt hexkey:$S \
 *       -kdfopt "prefix:tls13 " -kdfopt label:exporter -kdfopt hexdata:$(SHA-256 of context) TLS13-KDF
 *
 * (The same command reproduces RFC 8448's "c hs traffic" secret.)
 */
static void test_export_openssl_vectors(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    latch_secret em = rfc8448_exp_master();
    const uint8_t *label = (const uint8_t *)"EXPORTER-latch test";
    const uint8_t ctx[] = "context value";
    uint8_t out[100];
    size_t n;
    const uint8_t *want;

    REQUIRE_OK(latch_ks13_export(h, &em, label, 19, ctx, sizeof ctx - 1, out, 32));
    want = latch_test_hexbuf("f59bb9fe14696eace02f14863bc914c00fe5bb7cddf46f4e5d5e18afc967376c", &n);
    CHECK_MEM(out, 32, want, n);

    REQUIRE_OK(latch_ks13_export(h, &em, label, 19, NULL, 0, out, 32));
    want = latch_test_hexbuf("d775d2f7494263ab25f64da78b493a53a79466d437e2bd41d66af5da9dc77546", &n);
    CHECK_MEM(out, 32, want, n);

    REQUIRE_OK(latch_ks13_export(h, &em, label, 19, ctx, sizeof ctx - 1, out, 100));
    want = latch_test_hexbuf("ba5e62b92120fc1ad304860214791725cffd7f5b5c77af2ef6139655dab507f2"
                             "c40d98ba5f213be3acb0da74c10806230cccd1135fe74d240c407cb0019e6aab"
                             "f3700200258a35490a732a4967e5fe5bfaa7823cf2e47ceefeacc1de57edf40b"
                             "4816c835",
                             &n);
    CHECK_MEM(out, 100, want, n);
}

static void test_export_separation(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    latch_secret em = rfc8448_exp_master(), other = em;
    const uint8_t *a = (const uint8_t *)"EXPORTER-a", *b = (const uint8_t *)"EXPORTER-b";
    const uint8_t c1[] = {1}, c2[] = {2};
    uint8_t base[32], x[32], empty_ctx[32];

    REQUIRE_OK(latch_ks13_export(h, &em, a, 10, c1, 1, base, 32));
    REQUIRE_OK(latch_ks13_export(h, &em, b, 10, c1, 1, x, 32)); /* another label */
    CHECK(memcmp(base, x, 32) != 0);
    REQUIRE_OK(latch_ks13_export(h, &em, a, 10, c2, 1, x, 32)); /* another context */
    CHECK(memcmp(base, x, 32) != 0);
    REQUIRE_OK(latch_ks13_export(h, &em, a, 9, c1, 1, x, 32)); /* a label prefix */
    CHECK(memcmp(base, x, 32) != 0);
    other.b[31] ^= 1; /* another secret */
    REQUIRE_OK(latch_ks13_export(h, &other, a, 10, c1, 1, x, 32));
    CHECK(memcmp(base, x, 32) != 0);
    /* A shorter output is not a prefix of a longer one (the length is in HkdfLabel). */
    REQUIRE_OK(latch_ks13_export(h, &em, a, 10, c1, 1, x, 16));
    CHECK(memcmp(base, x, 16) != 0);
    /* RFC 8446 §7.5: no context and an empty context are the same. */
    REQUIRE_OK(latch_ks13_export(h, &em, a, 10, NULL, 0, x, 32));
    REQUIRE_OK(latch_ks13_export(h, &em, a, 10, c1, 0, empty_ctx, 32));
    CHECK_MEM(x, 32, empty_ctx, 32);
}

static void test_export_limits(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    latch_secret em = rfc8448_exp_master();
    uint8_t label[250], out[255 * 32 + 1];

    memset(label, 'L', sizeof label);
    CHECK_OK(latch_ks13_export(h, &em, label, 1, NULL, 0, out, 32));
    CHECK_OK(latch_ks13_export(h, &em, label, 249, NULL, 0, out, 32));
    CHECK_ERR(latch_ks13_export(h, &em, label, 250, NULL, 0, out, 32), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_ks13_export(h, &em, label, 0, NULL, 0, out, 32), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_ks13_export(h, &em, NULL, 5, NULL, 0, out, 32), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_ks13_export(h, &em, label, 5, NULL, 4, out, 32), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_OK(latch_ks13_export(h, &em, label, 5, NULL, 0, out, 255 * 32));
    memset(out, 0xEE, 32);
    CHECK_ERR(latch_ks13_export(h, &em, label, 5, NULL, 0, out, 255 * 32 + 1), LATCH_ERR_INVALID_ARGUMENT);
    CHECK(all_zero(out, 32));
    em.len = 48;
    CHECK_ERR(latch_ks13_export(h, &em, label, 5, NULL, 0, out, 32), LATCH_ERR_INTERNAL);
}

static void test_label_str(void)
{
    CHECK(strcmp(latch_ks13_label_str(LATCH_KS13_C_HS_TRAFFIC), "c hs traffic") == 0);
    CHECK(strcmp(latch_ks13_label_str(LATCH_KS13_RES_BINDER), "res binder") == 0);
    CHECK(strcmp(latch_ks13_label_str(LATCH_KS13_LABEL__COUNT), "?") == 0);
    for (int i = 0; i < LATCH_KS13_LABEL__COUNT; i++) {
        CHECK(strlen(latch_ks13_label_str((latch_ks13_label)i)) >= 9);
    }
}

static const latch_test cases[] = {
    TEST(test_stage_order),
    TEST(test_failure_wipes_output),
    TEST(test_sha384_schedule_independent),
    TEST(test_zero_inputs),
    TEST(test_expand_label_limits),
    TEST(test_expand_label_rfc8448),
    TEST(test_traffic_keys),
    TEST(test_finished),
    TEST(test_update_secret),
    TEST(test_resumption_psk),
    TEST(test_export_independent),
    TEST(test_export_openssl_vectors),
    TEST(test_export_separation),
    TEST(test_export_limits),
    TEST(test_label_str),
    {0},
};

LATCH_TEST_MAIN(cases)
