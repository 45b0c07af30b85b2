/*
 * Signature schemes for the OpenSSL provider (RFC 8446 §4.2.3): ECDSA with
 * P-256/P-384, RSASSA-PSS with rsaEncryption keys (rsae) and with RSA-PSS keys
 * (pss), Ed25519, and RSASSA-PKCS1-v1_5 (for TLS 1.2 and certificates only).
 */
#include "provider/ossl/ossl.h"

#include "core/ct.h"
#include "core/err.h"

#include <openssl/err.h>
#include <openssl/rsa.h>
#include <pthread.h>
#include <stdatomic.h>

static int key_fits(const latch_sig_alg *alg, const EVP_PKEY *pk)
{
    switch (alg->key_type) {
    case LATCH_PKEY_RSA: return EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA;
    case LATCH_PKEY_RSA_PSS: return EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA_PSS;
    case LATCH_PKEY_EC: return EVP_PKEY_get_base_id(pk) == EVP_PKEY_EC;
    case LATCH_PKEY_ED25519: return EVP_PKEY_get_base_id(pk) == EVP_PKEY_ED25519;
    default: return 0;
    }
}

static int is_pss(const latch_sig_alg *alg)
{
    return (alg->scheme >= LATCH_SIG_RSA_PSS_RSAE_SHA256 && alg->scheme <= LATCH_SIG_RSA_PSS_RSAE_SHA512) ||
           (alg->scheme >= LATCH_SIG_RSA_PSS_PSS_SHA256 && alg->scheme <= LATCH_SIG_RSA_PSS_PSS_SHA512);
}

/* Set up md/pctx for a scheme; returns the EVP_MD_CTX or NULL. */
static EVP_MD_CTX *start(const latch_sig_alg *alg, const latch_pkey *key, int sign)
{
    EVP_PKEY *pk = (EVP_PKEY *)(void *)(uintptr_t)key;
    const EVP_MD *md = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    EVP_MD_CTX *mctx;
    int ok;

    if (pk == NULL || !key_fits(alg, pk)) {
        return NULL;
    }
    if (alg->hash != 0) {
        md = latch__ossl_md(alg->hash);
        if (md == NULL) {
            return NULL;
        }
    }
    mctx = EVP_MD_CTX_new();
    if (mctx == NULL) {
        return NULL;
    }
    ok = sign ? EVP_DigestSignInit(mctx, &pctx, md, NULL, pk) : EVP_DigestVerifyInit(mctx, &pctx, md, NULL, pk);
    if (ok == 1 && is_pss(alg)) {
        /* RFC 8446 §4.2.3: the salt is as long as the digest; MGF1 uses the same hash. */
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1;
    } else if (ok == 1 && alg->key_type == LATCH_PKEY_RSA) {
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    }
    if (ok != 1) {
        EVP_MD_CTX_free(mctx);
        return NULL;
    }
    return mctx;
}

/*
 * Signing contexts kept with a key (latch__ossl_sign_prepare). Setting up a
 * signature (fetching the implementation, building the contexts, the PSS
 * parameters) costs about 3 µs of an ECDSA P-256 signature's 23 here. So a
 * key keeps set-up contexts (templates), hanging off the EVP_PKEY through
 * libcrypto's ex_data, one row of slots per scheme of the table below,
 * filled on first use:
 *   - for the schemes that sign a digest (ECDSA, RSA-PSS, PKCS #1), an
 *     EVP_PKEY_CTX ready for EVP_PKEY_sign, used as is: latch hashes the
 *     message itself (low-level SHA-2, no context to allocate) and signs the
 *     digest. EVP_DigestSign would copy the context's key state twice per
 *     signature (once to start from the template, once more inside
 *     EVP_DigestSignFinal), about 5 µs with a P-256 key;
 *   - for Ed25519, which signs the message itself (PureEdDSA), an
 *     EVP_MD_CTX copied for each signature.
 * A template is only ever used by the thread that took it out of its slot
 * (atomic exchanges, as in kx.c), so no two threads touch one at the same
 * time; when every slot is empty (more concurrent signatures than slots, or
 * the first signature) a thread sets up a new one, and when every slot is
 * full it frees it.
 */
#define SIGN_SCHEMES 12
#define SIGN_SLOTS 4

typedef struct sign_prep {
    _Atomic(void *) ready[SIGN_SCHEMES][SIGN_SLOTS]; /* EVP_PKEY_CTX or (Ed25519) EVP_MD_CTX */
} sign_prep;

static int prep_index = -1;
static pthread_once_t prep_once = PTHREAD_ONCE_INIT;

static void prep_index_new(void)
{
    prep_index = EVP_PKEY_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

static sign_prep *prep_of(const EVP_PKEY *pk)
{
    if (prep_index < 0) {
        return NULL; /* nothing was ever prepared */
    }
    return EVP_PKEY_get_ex_data(pk, prep_index);
}

/* The row of alg in latch__ossl_sig_table, or SIGN_SCHEMES if it is not there. */
static size_t scheme_row(const latch_sig_alg *alg)
{
    size_t i;

    for (i = 0; i < SIGN_SCHEMES && latch__ossl_sig_table[i] != NULL; i++) {
        if (latch__ossl_sig_table[i] == alg) {
            return i;
        }
    }
    return SIGN_SCHEMES;
}

/* Whether the scheme signs a digest latch computes (all but Ed25519). */
static int signs_digest(const latch_sig_alg *alg)
{
    return alg->hash != 0;
}

static void tmpl_free(const latch_sig_alg *alg, void *t)
{
    if (signs_digest(alg)) {
        EVP_PKEY_CTX_free(t);
    } else {
        EVP_MD_CTX_free(t);
    }
}

static void *prep_take(sign_prep *prep, size_t row)
{
    for (size_t i = 0; i < SIGN_SLOTS; i++) {
        void *t = atomic_exchange_explicit(&prep->ready[row][i], NULL, memory_order_acquire);

        if (t != NULL) {
            return t;
        }
    }
    return NULL;
}

static void prep_put(sign_prep *prep, size_t row, void *t)
{
    for (size_t i = 0; i < SIGN_SLOTS; i++) {
        void *empty = NULL;

        if (atomic_compare_exchange_strong_explicit(&prep->ready[row][i], &empty, t, memory_order_release,
                                                    memory_order_relaxed)) {
            return;
        }
    }
    tmpl_free(latch__ossl_sig_table[row], t);
}

latch_err latch__ossl_sign_prepare(EVP_PKEY *pk)
{
    sign_prep *prep;

    LATCH_ENSURE(pk != NULL, LATCH_ERR_INVALID_ARGUMENT, "no key to prepare");
    if (pthread_once(&prep_once, prep_index_new) != 0 || prep_index < 0) {
        ERR_clear_error();
        return LATCH_FAIL(LATCH_ERR_CRYPTO, "no libcrypto ex_data index for signing contexts");
    }
    if (prep_of(pk) != NULL) {
        return LATCH_OK;
    }
    prep = OPENSSL_zalloc(sizeof *prep);
    LATCH_ENSURE(prep != NULL, LATCH_ERR_NO_MEMORY, "no memory for signing contexts");
    if (EVP_PKEY_set_ex_data(pk, prep_index, prep) != 1) {
        OPENSSL_free(prep);
        ERR_clear_error();
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "cannot attach signing contexts to a key");
    }
    return LATCH_OK;
}

void latch__ossl_sign_unprepare(EVP_PKEY *pk)
{
    sign_prep *prep = pk != NULL ? prep_of(pk) : NULL;

    if (prep == NULL) {
        return;
    }
    (void)EVP_PKEY_set_ex_data(pk, prep_index, NULL);
    for (size_t r = 0; r < SIGN_SCHEMES; r++) {
        for (size_t i = 0; i < SIGN_SLOTS; i++) {
            void *t = atomic_exchange_explicit(&prep->ready[r][i], NULL, memory_order_acquire);

            if (t != NULL) {
                tmpl_free(latch__ossl_sig_table[r], t);
            }
        }
    }
    OPENSSL_free(prep);
}

size_t latch__ossl_sign_kept(const EVP_PKEY *pk)
{
    sign_prep *prep = pk != NULL ? prep_of(pk) : NULL;
    size_t n = 0;

    for (size_t r = 0; prep != NULL && r < SIGN_SCHEMES; r++) {
        for (size_t i = 0; i < SIGN_SLOTS; i++) {
            n += atomic_load_explicit(&prep->ready[r][i], memory_order_relaxed) != NULL;
        }
    }
    return n;
}

/* An EVP_PKEY_CTX ready to sign digests for alg (not Ed25519), or NULL. */
static EVP_PKEY_CTX *start_digest_sign(const latch_sig_alg *alg, EVP_PKEY *pk)
{
    const EVP_MD *md = latch__ossl_md(alg->hash);
    EVP_PKEY_CTX *c = md != NULL ? EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL) : NULL;
    int ok = c != NULL && EVP_PKEY_sign_init(c) == 1 && EVP_PKEY_CTX_set_signature_md(c, md) == 1;

    if (ok && is_pss(alg)) {
        /* RFC 8446 §4.2.3: the salt is as long as the digest; MGF1 uses the same hash. */
        ok = EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(c, RSA_PSS_SALTLEN_DIGEST) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(c, md) == 1;
    } else if (ok && alg->key_type == LATCH_PKEY_RSA) {
        ok = EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1;
    }
    if (!ok) {
        EVP_PKEY_CTX_free(c);
        return NULL;
    }
    return c;
}

/* The digest of msg under alg's hash (the provider's low-level SHA-2). */
static int digest_of(const latch_sig_alg *alg, const uint8_t *msg, size_t msg_len, uint8_t *d, size_t *d_len)
{
    for (size_t i = 0; latch__ossl_hash_table[i] != NULL; i++) {
        const latch_hash_alg *h = latch__ossl_hash_table[i];

        if (h->id == alg->hash) {
            latch_hash_ctx c;

            h->init(&c);
            h->update(&c, msg, msg_len);
            h->final(&c, d);
            *d_len = h->digest_len;
            return 1;
        }
    }
    return 0;
}

static latch_err sig_sign(const latch_sig_alg *alg, const latch_pkey *key, const uint8_t *msg, size_t msg_len,
                          uint8_t *sig, size_t cap, size_t *sig_len)
{
    EVP_PKEY *pk = (EVP_PKEY *)(void *)(uintptr_t)key;
    sign_prep *prep;
    size_t row, n = cap, d_len = 0;
    uint8_t d[LATCH_HASH_MAX_LEN];
    void *tmpl = NULL;
    int max, ok;

    *sig_len = 0;
    /* Tell the caller's mistake (a key unfit for the scheme) from a libcrypto failure. */
    LATCH_ENSURE(pk != NULL && key_fits(alg, pk), LATCH_ERR_INVALID_ARGUMENT,
                 "the key's type does not fit the signature scheme");
    /* The largest signature the key makes (ECDSA's DER maximum, the RSA
     * modulus size), without asking libcrypto to sign once just for it. */
    max = EVP_PKEY_get_size(pk);
    if (max <= 0) {
        return LATCH_FAIL(LATCH_ERR_CRYPTO, "cannot tell the signature size of %s", alg->name);
    }
    if ((size_t)max > cap) {
        return LATCH_ERR_BUFFER_TOO_SMALL;
    }
    if (signs_digest(alg) && !digest_of(alg, msg, msg_len, d, &d_len)) {
        return LATCH_FAIL(LATCH_ERR_CRYPTO, "no hash for %s", alg->name);
    }
    prep = prep_of(pk);
    row = scheme_row(alg);
    if (prep != NULL && row < SIGN_SCHEMES) {
        tmpl = prep_take(prep, row);
    }
    if (tmpl == NULL) {
        tmpl = signs_digest(alg) ? (void *)start_digest_sign(alg, pk) : (void *)start(alg, key, 1);
        if (tmpl == NULL) {
            return LATCH_FAIL(LATCH_ERR_CRYPTO, "cannot set up %s signing", alg->name);
        }
    }
    if (signs_digest(alg)) {
        ok = EVP_PKEY_sign(tmpl, sig, &n, d, d_len) == 1;
    } else {
        /* Ed25519: sign with a copy and keep the template; if it cannot be copied, sign with it and let it go. */
        EVP_MD_CTX *mctx = EVP_MD_CTX_new();

        if (mctx == NULL || EVP_MD_CTX_copy_ex(mctx, tmpl) != 1) {
            EVP_MD_CTX_free(mctx);
            ERR_clear_error();
            mctx = tmpl;
            tmpl = NULL;
        }
        ok = EVP_DigestSign(mctx, sig, &n, msg, msg_len) == 1;
        if (mctx != tmpl) {
            EVP_MD_CTX_free(mctx);
        }
    }
    if (tmpl != NULL) {
        /* Kept for the next signature if the key is prepared and the context did not fail. */
        if (ok && prep != NULL && row < SIGN_SCHEMES) {
            prep_put(prep, row, tmpl);
        } else {
            tmpl_free(alg, tmpl);
        }
    }
    if (!ok || n > cap) {
        return LATCH_FAIL(LATCH_ERR_CRYPTO, "%s signing failed", alg->name);
    }
    /* A signature goes on the wire: public, whatever it was computed from. */
    LATCH_CT_PUBLIC(&n, sizeof n);
    LATCH_CT_PUBLIC(sig, n);
    *sig_len = n;
    return LATCH_OK;
}

static latch_err sig_verify(const latch_sig_alg *alg, const latch_pkey *key, const uint8_t *msg, size_t msg_len,
                            const uint8_t *sig, size_t sig_len)
{
    EVP_MD_CTX *mctx;
    int ok = 0;

    /* A bad signature is the peer's doing: leave libcrypto's error queue as we found it (see kx.c). */
    ERR_set_mark();
    mctx = start(alg, key, 0);
    if (mctx != NULL) {
        ok = EVP_DigestVerify(mctx, sig, sig_len, msg, msg_len);
        EVP_MD_CTX_free(mctx);
    }
    (void)ERR_pop_to_mark();
    return ok == 1 ? LATCH_OK : LATCH_ERR_BAD_SIGNATURE;
}

#define SIG(var, scheme, hash, ktype, group, tls13, name) \
    static const latch_sig_alg var = {scheme, hash, ktype, group, tls13, name, sig_sign, sig_verify}

SIG(ecdsa_p256, LATCH_SIG_ECDSA_SECP256R1_SHA256, LATCH_HASH_SHA256, LATCH_PKEY_EC, LATCH_GROUP_SECP256R1, true,
    "ecdsa_secp256r1_sha256");
SIG(ecdsa_p384, LATCH_SIG_ECDSA_SECP384R1_SHA384, LATCH_HASH_SHA384, LATCH_PKEY_EC, LATCH_GROUP_SECP384R1, true,
    "ecdsa_secp384r1_sha384");
SIG(ed25519, LATCH_SIG_ED25519, 0, LATCH_PKEY_ED25519, 0, true, "ed25519");
SIG(pss_rsae256, LATCH_SIG_RSA_PSS_RSAE_SHA256, LATCH_HASH_SHA256, LATCH_PKEY_RSA, 0, true, "rsa_pss_rsae_sha256");
SIG(pss_rsae384, LATCH_SIG_RSA_PSS_RSAE_SHA384, LATCH_HASH_SHA384, LATCH_PKEY_RSA, 0, true, "rsa_pss_rsae_sha384");
SIG(pss_rsae512, LATCH_SIG_RSA_PSS_RSAE_SHA512, LATCH_HASH_SHA512, LATCH_PKEY_RSA, 0, true, "rsa_pss_rsae_sha512");
SIG(pss_pss256, LATCH_SIG_RSA_PSS_PSS_SHA256, LATCH_HASH_SHA256, LATCH_PKEY_RSA_PSS, 0, true, "rsa_pss_pss_sha256");
SIG(pss_pss384, LATCH_SIG_RSA_PSS_PSS_SHA384, LATCH_HASH_SHA384, LATCH_PKEY_RSA_PSS, 0, true, "rsa_pss_pss_sha384");
SIG(pss_pss512, LATCH_SIG_RSA_PSS_PSS_SHA512, LATCH_HASH_SHA512, LATCH_PKEY_RSA_PSS, 0, true, "rsa_pss_pss_sha512");
SIG(pkcs1_256, LATCH_SIG_RSA_PKCS1_SHA256, LATCH_HASH_SHA256, LATCH_PKEY_RSA, 0, false, "rsa_pkcs1_sha256");
SIG(pkcs1_384, LATCH_SIG_RSA_PKCS1_SHA384, LATCH_HASH_SHA384, LATCH_PKEY_RSA, 0, false, "rsa_pkcs1_sha384");
SIG(pkcs1_512, LATCH_SIG_RSA_PKCS1_SHA512, LATCH_HASH_SHA512, LATCH_PKEY_RSA, 0, false, "rsa_pkcs1_sha512");

/* Our order of preference: fast and strong first. */
const latch_sig_alg *const latch__ossl_sig_table[] = {
    &ecdsa_p256, &ecdsa_p384, &ed25519, &pss_rsae256, &pss_rsae384, &pss_rsae512,
    &pss_pss256, &pss_pss384, &pss_pss512, &pkcs1_256, &pkcs1_384, &pkcs1_512, NULL,
};
_Static_assert(sizeof latch__ossl_sig_table / sizeof latch__ossl_sig_table[0] == SIGN_SCHEMES + 1,
               "one row of kept signing contexts per scheme of the table");
