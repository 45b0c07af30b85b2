/* The TLS 1.3 key schedule (RFC 8446 §7). See keysched13.h. */
#include "hs/keysched13.h"

#include "core/err.h"
#include "core/wr.h"
#include "provider/hkdf.h"

#include <string.h>

/* RFC 8446 §7.1: opaque label<7..255> = "tls13 " + Label. */
#define TLS13_PREFIX "tls13 "
#define TLS13_PREFIX_LEN 6
#define LABEL_MIN (7 - TLS13_PREFIX_LEN)
#define LABEL_MAX (255 - TLS13_PREFIX_LEN)
#define CONTEXT_MAX 255
/* uint16 length + label<7..255> + context<0..255> */
#define HKDF_LABEL_MAX (2 + 1 + 255 + 1 + CONTEXT_MAX)

typedef struct label_row {
    const char *text;
    uint8_t stage;     /* the stage secret it is derived from */
    bool empty_ctx;    /* Derive-Secret(., label, "") */
} label_row;

/* RFC 8446 §7.1, the key schedule diagram: which secret each label hangs off. */
static const label_row label_table[LATCH_KS13_LABEL__COUNT] = {
    [LATCH_KS13_EXT_BINDER] = {"ext binder", LATCH_KS13_EARLY, true},
    [LATCH_KS13_RES_BINDER] = {"res binder", LATCH_KS13_EARLY, true},
    [LATCH_KS13_C_E_TRAFFIC] = {"c e traffic", LATCH_KS13_EARLY, false},
    [LATCH_KS13_E_EXP_MASTER] = {"e exp master", LATCH_KS13_EARLY, false},
    [LATCH_KS13_C_HS_TRAFFIC] = {"c hs traffic", LATCH_KS13_HANDSHAKE, false},
    [LATCH_KS13_S_HS_TRAFFIC] = {"s hs traffic", LATCH_KS13_HANDSHAKE, false},
    [LATCH_KS13_C_AP_TRAFFIC] = {"c ap traffic", LATCH_KS13_MASTER, false},
    [LATCH_KS13_S_AP_TRAFFIC] = {"s ap traffic", LATCH_KS13_MASTER, false},
    [LATCH_KS13_EXP_MASTER] = {"exp master", LATCH_KS13_MASTER, false},
    [LATCH_KS13_RES_MASTER] = {"res master", LATCH_KS13_MASTER, false},
};

static const char *stage_name(uint8_t stage)
{
    switch (stage) {
    case LATCH_KS13_NONE: return "none";
    case LATCH_KS13_EARLY: return "early";
    case LATCH_KS13_HANDSHAKE: return "handshake";
    case LATCH_KS13_MASTER: return "master";
    default: return "invalid";
    }
}

const char *latch_ks13_label_str(latch_ks13_label label)
{
    if ((unsigned)label >= (unsigned)LATCH_KS13_LABEL__COUNT) {
        return "?";
    }
    return label_table[label].text;
}

/* The shared core of HKDF-Expand-Label, over a label given as bytes (the
 * exporter's label comes from the application and need not be a C string). */
/* HkdfLabel (RFC 8446 §7.1) for label and context, into info[HKDF_LABEL_MAX]. */
static latch_err hkdf_label(const latch_hash_alg *h, const uint8_t *label, size_t label_len, const uint8_t *ctx,
                            size_t ctx_len, size_t out_len, uint8_t *info, size_t *info_len)
{
    latch_wr w;

    /* RFC 8446 §7.1: opaque label<7..255> = "tls13 " + Label. */
    LATCH_ENSURE(label != NULL && label_len >= LABEL_MIN && label_len <= LABEL_MAX, LATCH_ERR_INVALID_ARGUMENT,
                 "HKDF-Expand-Label label must be 1..249 bytes before the \"tls13 \" prefix");
    /* RFC 8446 §7.1: opaque context<0..255>. */
    LATCH_ENSURE(ctx_len <= CONTEXT_MAX && (ctx != NULL || ctx_len == 0), LATCH_ERR_INVALID_ARGUMENT,
                 "HKDF-Expand-Label context must be 0..255 bytes");
    /* RFC 5869 §2.3: L <= 255*HashLen; HkdfLabel.length is a uint16, which
     * 255 * 64 always fits. */
    LATCH_ENSURE(out_len <= 255u * h->digest_len, LATCH_ERR_INVALID_ARGUMENT,
                 "HKDF-Expand-Label output longer than 255 * Hash.length");

    latch_wr_init(&w, info, HKDF_LABEL_MAX);
    latch_wr_u16(&w, (uint16_t)out_len);
    latch_wr_open(&w, 1);
    latch_wr_bytes(&w, (const uint8_t *)TLS13_PREFIX, TLS13_PREFIX_LEN);
    latch_wr_bytes(&w, label, label_len);
    latch_wr_close(&w, 7, 255);
    latch_wr_open(&w, 1);
    latch_wr_bytes(&w, ctx, ctx_len);
    latch_wr_close(&w, 0, CONTEXT_MAX);
    LATCH_TRY(latch_wr_finish(&w));
    *info_len = latch_wr_len(&w);
    return LATCH_OK;
}

/* HKDF-Expand-Label with the secret already keyed into an HMAC. */
static latch_err expand_label_keyed(const latch_hmac *keyed, const uint8_t *label, size_t label_len,
                                    const uint8_t *ctx, size_t ctx_len, uint8_t *out, size_t out_len)
{
    uint8_t info[HKDF_LABEL_MAX];
    size_t info_len;

    LATCH_TRY(hkdf_label(keyed->hash, label, label_len, ctx, ctx_len, out_len, info, &info_len));
    return latch_hkdf_expand_keyed(keyed, info, info_len, out, out_len);
}

static latch_err expand_label(const latch_hash_alg *h, const uint8_t *secret, size_t secret_len,
                              const uint8_t *label, size_t label_len, const uint8_t *ctx, size_t ctx_len,
                              uint8_t *out, size_t out_len)
{
    uint8_t info[HKDF_LABEL_MAX];
    size_t info_len;

    LATCH_TRY(hkdf_label(h, label, label_len, ctx, ctx_len, out_len, info, &info_len));
    return latch_hkdf_expand(h, secret, secret_len, info, info_len, out, out_len);
}

latch_err latch_hkdf_expand_label(const latch_hash_alg *h, const uint8_t *secret, size_t secret_len,
                                  const char *label, const uint8_t *ctx, size_t ctx_len, uint8_t *out,
                                  size_t out_len)
{
    LATCH_ENSURE(label != NULL, LATCH_ERR_INVALID_ARGUMENT, "HKDF-Expand-Label without a label");
    return expand_label(h, secret, secret_len, (const uint8_t *)label, strlen(label), ctx, ctx_len, out,
                        out_len);
}

/* Hash("") for Derive-Secret(., label, ""). */
static void empty_hash(const latch_hash_alg *h, uint8_t *out)
{
    latch_hash_ctx c;

    h->init(&c);
    h->final(&c, out);
}

/* Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, th, Hash.length); through
 * keyed, an HMAC keyed with the secret, if not NULL. */
static latch_err derive_secret(const latch_hash_alg *h, const latch_secret *secret, const latch_hmac *keyed,
                               const uint8_t *label, size_t label_len, const uint8_t *th, latch_secret *out)
{
    latch_err e;

    latch_secret_wipe(out);
    if (keyed != NULL) {
        e = expand_label_keyed(keyed, label, label_len, th, h->digest_len, out->b, h->digest_len);
    } else {
        e = expand_label(h, secret->b, secret->len, label, label_len, th, h->digest_len, out->b, h->digest_len);
    }
    if (e != LATCH_OK) {
        latch_secret_wipe(out);
        return e;
    }
    out->len = h->digest_len;
    return LATCH_OK;
}

/* The stage secret changed: forget the HMAC keyed with the old one. */
static void unkey(latch_ks13 *ks)
{
    latch_hmac_wipe(&ks->keyed);
    ks->has_keyed = false;
}

/* The HMAC keyed with the stage secret, if there is one. */
static const latch_hmac *stage_keyed(const latch_ks13 *ks)
{
    return ks->has_keyed ? &ks->keyed : NULL;
}

void latch_ks13_init(latch_ks13 *ks, const latch_hash_alg *hash)
{
    latch_secret_wipe(&ks->secret);
    unkey(ks);
    ks->hash = hash;
    ks->stage = LATCH_KS13_NONE;
    ks->zero_psk = false;
}

/* HKDF-Extract(salt, ikm) becomes the new stage secret; the old one is wiped. */
static void extract_into(latch_ks13 *ks, const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                         uint8_t next)
{
    static const uint8_t zeros[LATCH_HASH_MAX_LEN];
    uint8_t prk[LATCH_HASH_MAX_LEN];

    if (ikm == NULL) {
        /* RFC 8446 §7.1: "If a given secret is not available, then the
         * 0-value consisting of a string of Hash.length bytes set to zeros is used." */
        ikm = zeros;
        ikm_len = ks->hash->digest_len;
    }
    latch_hkdf_extract(ks->hash, salt, salt_len, ikm, ikm_len, prk);
    latch_secret_set(&ks->secret, prk, ks->hash->digest_len);
    latch_wipe(prk, sizeof prk);
    /* The Handshake Secret is expanded three times, the Master Secret four: key an HMAC once for them. The
     * Early Secret is expanded once or twice (a binder key or the next salt; 0-RTT secrets), not worth it. */
    unkey(ks);
    if (next != LATCH_KS13_EARLY) {
        latch_hmac_init(&ks->keyed, ks->hash, ks->secret.b, ks->secret.len);
        ks->has_keyed = true;
    }
    ks->stage = next;
}

/*
 * Without a PSK, the Early Secret (HKDF-Extract(0, 0)) and the salt derived
 * from it for the Handshake Secret are the same for every connection: two
 * HMACs and a hash saved per handshake. Values for SHA-256 are RFC 8448 §3's;
 * tests/unit/hs/keysched13_test.c recomputes both through the generic path.
 */
typedef struct zero_psk_row {
    uint8_t hash_id;
    uint8_t len;
    uint8_t early[48];
    uint8_t derived[48];
} zero_psk_row;

static const zero_psk_row zero_psk[] = {
    {LATCH_HASH_SHA256, 32,
     {0x33, 0xad, 0x0a, 0x1c, 0x60, 0x7e, 0xc0, 0x3b, 0x09, 0xe6, 0xcd, 0x98, 0x93, 0x68, 0x0c, 0xe2,
      0x10, 0xad, 0xf3, 0x00, 0xaa, 0x1f, 0x26, 0x60, 0xe1, 0xb2, 0x2e, 0x10, 0xf1, 0x70, 0xf9, 0x2a},
     {0x6f, 0x26, 0x15, 0xa1, 0x08, 0xc7, 0x02, 0xc5, 0x67, 0x8f, 0x54, 0xfc, 0x9d, 0xba, 0xb6, 0x97,
      0x16, 0xc0, 0x76, 0x18, 0x9c, 0x48, 0x25, 0x0c, 0xeb, 0xea, 0xc3, 0x57, 0x6c, 0x36, 0x11, 0xba}},
    {LATCH_HASH_SHA384, 48,
     {0x7e, 0xe8, 0x20, 0x6f, 0x55, 0x70, 0x02, 0x3e, 0x6d, 0xc7, 0x51, 0x9e, 0xb1, 0x07, 0x3b, 0xc4,
      0xe7, 0x91, 0xad, 0x37, 0xb5, 0xc3, 0x82, 0xaa, 0x10, 0xba, 0x18, 0xe2, 0x35, 0x7e, 0x71, 0x69,
      0x71, 0xf9, 0x36, 0x2f, 0x2c, 0x2f, 0xe2, 0xa7, 0x6b, 0xfd, 0x78, 0xdf, 0xec, 0x4e, 0xa9, 0xb5},
     {0x15, 0x91, 0xda, 0xc5, 0xcb, 0xbf, 0x03, 0x30, 0xa4, 0xa8, 0x4d, 0xe9, 0xc7, 0x53, 0x33, 0x0e,
      0x92, 0xd0, 0x1f, 0x0a, 0x88, 0x21, 0x4b, 0x44, 0x64, 0x97, 0x2f, 0xd6, 0x68, 0x04, 0x9e, 0x93,
      0xe5, 0x2f, 0x2b, 0x16, 0xfa, 0xd9, 0x22, 0xfd, 0xc0, 0x58, 0x44, 0x78, 0x42, 0x8f, 0x28, 0x2b}},
};

static const zero_psk_row *zero_psk_for(const latch_hash_alg *h)
{
    for (size_t i = 0; i < sizeof zero_psk / sizeof zero_psk[0]; i++) {
        if (zero_psk[i].hash_id == h->id && zero_psk[i].len == h->digest_len) {
            return &zero_psk[i];
        }
    }
    return NULL;
}

/* Move from stage `from` to the next: salt = Derive-Secret(current, "derived", ""). */
static latch_err advance(latch_ks13 *ks, uint8_t from, const uint8_t *ikm, size_t ikm_len)
{
    static const char derived[] = "derived";
    uint8_t eh[LATCH_HASH_MAX_LEN];
    latch_secret salt;
    latch_err e;

    if (ks->stage != from) {
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "key schedule: cannot derive the %s secret from stage %s",
                          stage_name((uint8_t)(from + 1)), stage_name(ks->stage));
    }
    LATCH_ENSURE(ikm != NULL || ikm_len == 0, LATCH_ERR_INVALID_ARGUMENT,
                 "key schedule: NULL input secret with a non-zero length");
    if (from == LATCH_KS13_EARLY && ks->zero_psk && zero_psk_for(ks->hash) != NULL) {
        const zero_psk_row *z = zero_psk_for(ks->hash);

        latch_secret_set(&salt, z->derived, z->len);
    } else {
        empty_hash(ks->hash, eh);
        e = derive_secret(ks->hash, &ks->secret, stage_keyed(ks), (const uint8_t *)derived, sizeof derived - 1, eh,
                          &salt);
        if (e != LATCH_OK) {
            return e;
        }
    }
    extract_into(ks, salt.b, salt.len, ikm, ikm_len, (uint8_t)(from + 1));
    latch_secret_wipe(&salt);
    return LATCH_OK;
}

latch_err latch_ks13_early(latch_ks13 *ks, const uint8_t *psk, size_t psk_len)
{
    LATCH_ENSURE(ks->hash != NULL && ks->hash->digest_len <= LATCH_SECRET_MAX, LATCH_ERR_INTERNAL,
                 "key schedule used without a hash");
    if (ks->stage != LATCH_KS13_NONE) {
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "key schedule: early secret requested in stage %s",
                          stage_name(ks->stage));
    }
    LATCH_ENSURE(psk != NULL || psk_len == 0, LATCH_ERR_INVALID_ARGUMENT, "key schedule: NULL PSK with a length");
    ks->zero_psk = psk == NULL && zero_psk_for(ks->hash) != NULL;
    if (ks->zero_psk) {
        unkey(ks);
        latch_secret_set(&ks->secret, zero_psk_for(ks->hash)->early, ks->hash->digest_len);
        ks->stage = LATCH_KS13_EARLY;
        return LATCH_OK;
    }
    /* RFC 8446 §7.1: Early Secret = HKDF-Extract(salt = 0, IKM = PSK). */
    extract_into(ks, NULL, 0, psk, psk_len, LATCH_KS13_EARLY);
    return LATCH_OK;
}

latch_err latch_ks13_handshake(latch_ks13 *ks, const uint8_t *dhe, size_t dhe_len)
{
    return advance(ks, LATCH_KS13_EARLY, dhe, dhe_len);
}

latch_err latch_ks13_master(latch_ks13 *ks)
{
    return advance(ks, LATCH_KS13_HANDSHAKE, NULL, 0);
}

latch_err latch_ks13_derive(const latch_ks13 *ks, latch_ks13_label label, const uint8_t *th, latch_secret *out)
{
    uint8_t eh[LATCH_HASH_MAX_LEN];
    const label_row *row;

    latch_secret_wipe(out);
    LATCH_ENSURE((unsigned)label < (unsigned)LATCH_KS13_LABEL__COUNT, LATCH_ERR_INTERNAL,
                 "key schedule: unknown Derive-Secret label");
    row = &label_table[label];
    if (ks->stage != row->stage) {
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "key schedule: \"%s\" is derived from the %s secret, not in stage %s",
                          row->text, stage_name(row->stage), stage_name(ks->stage));
    }
    if (row->empty_ctx) {
        /* RFC 8446 §7.1: binder_key = Derive-Secret(., "ext binder" | "res binder", ""). */
        LATCH_ENSURE(th == NULL, LATCH_ERR_INTERNAL, "key schedule: binder keys take no transcript hash");
        empty_hash(ks->hash, eh);
        th = eh;
    } else {
        LATCH_ENSURE(th != NULL, LATCH_ERR_INTERNAL, "key schedule: Derive-Secret needs a transcript hash");
    }
    LATCH_TRY(derive_secret(ks->hash, &ks->secret, stage_keyed(ks), (const uint8_t *)row->text, strlen(row->text),
                            th, out));
    return LATCH_OK;
}

latch_err latch_ks13_binder_key(const latch_ks13 *ks, bool external, latch_secret *out)
{
    return latch_ks13_derive(ks, external ? LATCH_KS13_EXT_BINDER : LATCH_KS13_RES_BINDER, NULL, out);
}

latch_err latch_ks13_traffic_keys(const latch_hash_alg *h, const latch_aead_alg *aead, const latch_secret *traffic,
                                  uint8_t *key, uint8_t iv[LATCH_AEAD_NONCE_LEN])
{
    size_t key_len = aead->key_len <= LATCH_AEAD_MAX_KEY ? aead->key_len : LATCH_AEAD_MAX_KEY;
    latch_err e;

    if (traffic->len != h->digest_len) {
        e = LATCH_FAIL(LATCH_ERR_INTERNAL, "traffic keys: the traffic secret is %u bytes, not Hash.length",
                       (unsigned)traffic->len);
    } else if (aead->nonce_len != LATCH_AEAD_NONCE_LEN || aead->key_len > LATCH_AEAD_MAX_KEY) {
        e = LATCH_FAIL(LATCH_ERR_INTERNAL, "traffic keys: %s has no 12-byte nonce or too long a key", aead->name);
    } else {
        /* RFC 8446 §7.3: [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length),
         * [sender]_write_iv = HKDF-Expand-Label(Secret, "iv", "", iv_length). */
        latch_hmac keyed;

        latch_hmac_init(&keyed, h, traffic->b, traffic->len);
        e = expand_label_keyed(&keyed, (const uint8_t *)"key", 3, NULL, 0, key, key_len);
        if (e == LATCH_OK) {
            e = expand_label_keyed(&keyed, (const uint8_t *)"iv", 2, NULL, 0, iv, LATCH_AEAD_NONCE_LEN);
        }
        latch_hmac_wipe(&keyed);
    }
    if (e != LATCH_OK) {
        latch_wipe(key, key_len);
        latch_wipe(iv, LATCH_AEAD_NONCE_LEN);
    }
    return e;
}

latch_err latch_ks13_finished(const latch_hash_alg *h, const latch_secret *base_key, const uint8_t *th,
                              uint8_t *verify_data)
{
    uint8_t fk[LATCH_HASH_MAX_LEN];
    latch_err e;

    LATCH_ENSURE(base_key->len == h->digest_len, LATCH_ERR_INTERNAL,
                 "Finished: the base key is not Hash.length bytes");
    /* RFC 8446 §4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length). */
    e = latch_hkdf_expand_label(h, base_key->b, base_key->len, "finished", NULL, 0, fk, h->digest_len);
    if (e != LATCH_OK) {
        latch_wipe(fk, sizeof fk);
        return e;
    }
    /* verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*)). */
    latch_hmac_oneshot(h, fk, h->digest_len, th, h->digest_len, verify_data);
    latch_wipe(fk, sizeof fk);
    return LATCH_OK;
}

latch_err latch_ks13_update_secret(const latch_hash_alg *h, latch_secret *s)
{
    uint8_t next[LATCH_HASH_MAX_LEN];
    latch_err e;

    if (s->len != h->digest_len) {
        latch_secret_wipe(s);
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "KeyUpdate: the traffic secret is not Hash.length bytes");
    }
    /* RFC 8446 §7.2: application_traffic_secret_N+1 =
     *     HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length). */
    e = latch_hkdf_expand_label(h, s->b, s->len, "traffic upd", NULL, 0, next, h->digest_len);
    if (e == LATCH_OK) {
        latch_secret_set(s, next, h->digest_len);
    } else {
        latch_secret_wipe(s);
    }
    latch_wipe(next, sizeof next);
    return e;
}

latch_err latch_ks13_resumption_psk(const latch_hash_alg *h, const latch_secret *res_master, const uint8_t *nonce,
                                    size_t nonce_len, latch_secret *psk)
{
    latch_err e;

    latch_secret_wipe(psk);
    LATCH_ENSURE(res_master->len == h->digest_len, LATCH_ERR_INTERNAL,
                 "resumption PSK: the resumption master secret is not Hash.length bytes");
    /* RFC 8446 §4.6.1: opaque ticket_nonce<0..255>; the PSK is
     * HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length). */
    LATCH_ENSURE(nonce_len <= 255 && (nonce != NULL || nonce_len == 0), LATCH_ERR_INVALID_ARGUMENT,
                 "resumption PSK: ticket_nonce must be 0..255 bytes");
    e = latch_hkdf_expand_label(h, res_master->b, res_master->len, "resumption", nonce, nonce_len, psk->b,
                                h->digest_len);
    if (e != LATCH_OK) {
        latch_secret_wipe(psk);
        return e;
    }
    psk->len = h->digest_len;
    return LATCH_OK;
}

latch_err latch_ks13_export(const latch_hash_alg *h, const latch_secret *exporter_master, const uint8_t *label,
                            size_t label_len, const uint8_t *context, size_t context_len, uint8_t *out,
                            size_t out_len)
{
    uint8_t eh[LATCH_HASH_MAX_LEN], ch[LATCH_HASH_MAX_LEN];
    latch_secret derived;
    latch_hash_ctx c;
    latch_err e;

    latch_wipe(out, out_len);
    LATCH_ENSURE(exporter_master->len == h->digest_len, LATCH_ERR_INTERNAL,
                 "exporter: the exporter master secret is not Hash.length bytes");
    LATCH_ENSURE(label != NULL && label_len >= LABEL_MIN && label_len <= LABEL_MAX, LATCH_ERR_INVALID_ARGUMENT,
                 "exporter: the label must be 1..249 bytes");
    LATCH_ENSURE(context != NULL || context_len == 0, LATCH_ERR_INVALID_ARGUMENT,
                 "exporter: NULL context with a non-zero length");
    LATCH_ENSURE(out_len <= 255u * h->digest_len, LATCH_ERR_INVALID_ARGUMENT,
                 "exporter: output longer than 255 * Hash.length");

    /* RFC 8446 §7.5: TLS-Exporter(label, context_value, key_length) =
     *     HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter", Hash(context_value), key_length). */
    empty_hash(h, eh);
    e = derive_secret(h, exporter_master, NULL, label, label_len, eh, &derived);
    if (e != LATCH_OK) {
        return e;
    }
    h->init(&c);
    h->update(&c, context, context_len);
    h->final(&c, ch);
    e = expand_label(h, derived.b, derived.len, (const uint8_t *)"exporter", 8, ch, h->digest_len, out, out_len);
    latch_secret_wipe(&derived);
    if (e != LATCH_OK) {
        latch_wipe(out, out_len);
    }
    return e;
}

void latch_ks13_wipe(latch_ks13 *ks)
{
    latch_secret_wipe(&ks->secret);
    unkey(ks);
    ks->stage = LATCH_KS13_NONE;
}
