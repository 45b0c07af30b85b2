/*
 * The TLS 1.3 key schedule (RFC 8446 §7.1), its helpers (traffic keys §7.3,
 * Finished §4.4.4, PSK binders §4.2.11.2, KeyUpdate §7.2, resumption PSKs
 * §4.6.1) and the exporter (§7.5).
 *
 *              0
 *              |
 *              v
 *    PSK ->  HKDF-Extract = Early Secret        latch_ks13_early()
 *              |  +-> binder keys, c e traffic, e exp master
 *              v
 *        Derive-Secret(., "derived", "")
 *              |
 *              v
 *    (EC)DHE -> HKDF-Extract = Handshake Secret latch_ks13_handshake()
 *              |  +-> c hs traffic, s hs traffic
 *              v
 *        Derive-Secret(., "derived", "")
 *              |
 *              v
 *    0 -> HKDF-Extract = Master Secret          latch_ks13_master()
 *                 +-> c ap traffic, s ap traffic, exp master, res master
 *
 * A latch_ks13 holds only the current stage secret. The stages must be taken
 * in order, each exactly once; a secret is derived only from the stage that
 * the RFC derives it from (latch_ks13_derive checks the label against the
 * stage). Getting this wrong is a bug in latch, so it is reported as
 * LATCH_ERR_INTERNAL instead of producing a valid-looking wrong key. The
 * previous stage secret is wiped as soon as the next one exists.
 */
#ifndef LATCH_HS_KEYSCHED13_H
#define LATCH_HS_KEYSCHED13_H

#include "core/wipe.h"
#include "provider/hkdf.h"

#include <latch/provider.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Where a latch_ks13 stands; each function below names the stage it needs. */
typedef enum latch_ks13_stage {
    LATCH_KS13_NONE = 0,  /**< initialised (or wiped): only latch_ks13_early() */
    LATCH_KS13_EARLY,     /**< secret = Early Secret */
    LATCH_KS13_HANDSHAKE, /**< secret = Handshake Secret */
    LATCH_KS13_MASTER     /**< secret = Master Secret */
} latch_ks13_stage;

/**
 * The secrets Derive-Secret produces (RFC 8446 §7.1), named by their label
 * without the "tls13 " prefix. An enum rather than a string: a typo is a
 * compile error, and each label carries the stage it belongs to.
 */
typedef enum latch_ks13_label {
    LATCH_KS13_EXT_BINDER,   /**< "ext binder"   (early; context "") */
    LATCH_KS13_RES_BINDER,   /**< "res binder"   (early; context "") */
    LATCH_KS13_C_E_TRAFFIC,  /**< "c e traffic"  (early; ClientHello) */
    LATCH_KS13_E_EXP_MASTER, /**< "e exp master" (early; ClientHello) */
    LATCH_KS13_C_HS_TRAFFIC, /**< "c hs traffic" (handshake; ClientHello...ServerHello) */
    LATCH_KS13_S_HS_TRAFFIC, /**< "s hs traffic" (handshake; ClientHello...ServerHello) */
    LATCH_KS13_C_AP_TRAFFIC, /**< "c ap traffic" (master; ClientHello...server Finished) */
    LATCH_KS13_S_AP_TRAFFIC, /**< "s ap traffic" (master; ClientHello...server Finished) */
    LATCH_KS13_EXP_MASTER,   /**< "exp master"   (master; ClientHello...server Finished) */
    LATCH_KS13_RES_MASTER,   /**< "res master"   (master; ClientHello...client Finished) */
    LATCH_KS13_LABEL__COUNT
} latch_ks13_label;

typedef struct latch_ks13 {
    const latch_hash_alg *hash; /* the cipher suite's hash */
    latch_secret secret;        /* the current stage secret (hash->digest_len bytes) */
    latch_hmac keyed;           /* an HMAC keyed with secret, when has_keyed: each stage secret
                                 * is expanded 2 to 4 times, and its pads are hashed once */
    uint8_t stage;              /* a latch_ks13_stage */
    bool zero_psk;              /* no PSK: the Early Secret is a known constant */
    bool has_keyed;
} latch_ks13;

/** The label's text without "tls13 ", e.g. "c hs traffic"; "?" if out of range. */
const char *latch_ks13_label_str(latch_ks13_label label);

/** Start a key schedule with the suite's hash (stage NONE). Cannot fail. */
void latch_ks13_init(latch_ks13 *ks, const latch_hash_alg *hash);

/**
 * Early Secret = HKDF-Extract(0, PSK). psk NULL (with psk_len 0) means no PSK:
 * Hash.length zero bytes. Stage NONE -> EARLY.
 * \return LATCH_ERR_INTERNAL out of order or without a hash;
 *         LATCH_ERR_INVALID_ARGUMENT for a NULL psk with a non-zero length.
 */
LATCH_MUST_CHECK latch_err latch_ks13_early(latch_ks13 *ks, const uint8_t *psk, size_t psk_len);

/**
 * Handshake Secret = HKDF-Extract(Derive-Secret(Early, "derived", ""), DHE).
 * dhe NULL (with dhe_len 0) means psk_ke: Hash.length zero bytes.
 * Stage EARLY -> HANDSHAKE; the Early Secret is wiped.
 * \return LATCH_ERR_INTERNAL out of order; LATCH_ERR_INVALID_ARGUMENT for a
 *         NULL dhe with a non-zero length.
 */
LATCH_MUST_CHECK latch_err latch_ks13_handshake(latch_ks13 *ks, const uint8_t *dhe, size_t dhe_len);

/**
 * Master Secret = HKDF-Extract(Derive-Secret(Handshake, "derived", ""), 0).
 * Stage HANDSHAKE -> MASTER; the Handshake Secret is wiped.
 * \return LATCH_ERR_INTERNAL out of order.
 */
LATCH_MUST_CHECK latch_err latch_ks13_master(latch_ks13 *ks);

/**
 * Derive-Secret(current stage secret, label, Messages) into *out, where th is
 * Transcript-Hash(Messages) (hash->digest_len bytes). The binder labels use
 * the empty transcript (RFC 8446 §7.1: "ext binder"/"res binder" take "") and
 * must be given th == NULL; every other label needs th.
 * \return LATCH_ERR_INTERNAL if the label does not belong to the current
 *         stage, or th is missing / given where it is not used.
 *         *out is wiped on failure.
 */
LATCH_MUST_CHECK latch_err latch_ks13_derive(const latch_ks13 *ks, latch_ks13_label label, const uint8_t *th,
                                             latch_secret *out);

/**
 * binder_key (RFC 8446 §7.1): "ext binder" for external PSKs, "res binder"
 * for resumption PSKs. Stage EARLY. Same errors as latch_ks13_derive().
 */
LATCH_MUST_CHECK latch_err latch_ks13_binder_key(const latch_ks13 *ks, bool external, latch_secret *out);

/**
 * HKDF-Expand-Label(Secret, Label, Context, Length) (RFC 8446 §7.1):
 *
 *   struct {
 *       uint16 length = Length;
 *       opaque label<7..255> = "tls13 " + Label;
 *       opaque context<0..255> = Context;
 *   } HkdfLabel;
 *
 * label is a C string without the "tls13 " prefix (1..249 bytes).
 * \return LATCH_ERR_INVALID_ARGUMENT if the label or the context does not fit
 *         HkdfLabel, or out_len exceeds 255 * Hash.length.
 */
LATCH_MUST_CHECK latch_err latch_hkdf_expand_label(const latch_hash_alg *h, const uint8_t *secret, size_t secret_len,
                                                   const char *label, const uint8_t *ctx, size_t ctx_len,
                                                   uint8_t *out, size_t out_len);

/**
 * Traffic key and IV from a traffic secret (RFC 8446 §7.3):
 * key = HKDF-Expand-Label(Secret, "key", "", aead->key_len) and
 * iv = HKDF-Expand-Label(Secret, "iv", "", 12). key must hold aead->key_len
 * bytes. Both are wiped on failure.
 * \return LATCH_ERR_INTERNAL if the secret's length is not Hash.length or the
 *         AEAD's nonce is not 12 bytes.
 */
LATCH_MUST_CHECK latch_err latch_ks13_traffic_keys(const latch_hash_alg *h, const latch_aead_alg *aead,
                                                   const latch_secret *traffic, uint8_t *key,
                                                   uint8_t iv[LATCH_AEAD_NONCE_LEN]);

/**
 * Finished verify_data (RFC 8446 §4.4.4), also the PSK binder value (§4.2.11.2):
 *   finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
 *   verify_data  = HMAC(finished_key, th)
 * base_key is the handshake traffic secret of the sender (or the binder key);
 * th is the transcript hash (Hash.length bytes); verify_data receives
 * Hash.length bytes. Compare received values with latch_ct_eq().
 * \return LATCH_ERR_INTERNAL if base_key is not Hash.length bytes.
 */
LATCH_MUST_CHECK latch_err latch_ks13_finished(const latch_hash_alg *h, const latch_secret *base_key,
                                               const uint8_t *th, uint8_t *verify_data);

/**
 * KeyUpdate (RFC 8446 §7.2): replace *s, an application traffic secret, by
 * HKDF-Expand-Label(s, "traffic upd", "", Hash.length). The old value is wiped.
 * \return LATCH_ERR_INTERNAL if *s is not Hash.length bytes (then *s is wiped).
 */
LATCH_MUST_CHECK latch_err latch_ks13_update_secret(const latch_hash_alg *h, latch_secret *s);

/**
 * The PSK of a ticket (RFC 8446 §4.6.1):
 * HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length).
 * \return LATCH_ERR_INTERNAL for a res_master of the wrong length;
 *         LATCH_ERR_INVALID_ARGUMENT for a nonce over 255 bytes.
 */
LATCH_MUST_CHECK latch_err latch_ks13_resumption_psk(const latch_hash_alg *h, const latch_secret *res_master,
                                                     const uint8_t *nonce, size_t nonce_len, latch_secret *psk);

/**
 * TLS-Exporter(label, context_value, key_length) (RFC 8446 §7.5):
 *   HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter", Hash(context_value), key_length)
 * where Secret is the (early_)exporter_master_secret. TLS 1.3 does not tell
 * "no context" from an empty one, so context may be NULL with length 0.
 * The label is bytes chosen by the application (1..249 of them, the
 * "tls13 " prefix is added here).
 * \return LATCH_ERR_INVALID_ARGUMENT for a bad label length, a NULL context
 *         with a non-zero length, or out_len over 255 * Hash.length;
 *         LATCH_ERR_INTERNAL for a secret of the wrong length. out is wiped
 *         on failure.
 */
LATCH_MUST_CHECK latch_err latch_ks13_export(const latch_hash_alg *h, const latch_secret *exporter_master,
                                             const uint8_t *label, size_t label_len, const uint8_t *context,
                                             size_t context_len, uint8_t *out, size_t out_len);

/** Wipe the stage secret and go back to stage NONE (latch_ks13_init to reuse). */
void latch_ks13_wipe(latch_ks13 *ks);

#endif
