/*
 * The crypto floor of a TLS 1.3 full handshake: the libcrypto operations a
 * server (or client) cannot avoid, each done the cheapest way libcrypto's
 * public API allows, timed alone. Whatever a stack spends above this is the
 * protocol implementation's.
 *
 * Per handshake (TLS_AES_128_GCM_SHA256, no PSK), for the server:
 *   key share   keygen (X25519: see part_kx_x25519), the peer's public key
 *               decoded (on the curve), derive
 *   signature   SHA-256 of the CertificateVerify content, then sign it
 *   transcript  SHA-256 over every handshake message (sizes from a real latch
 *               handshake of the same scenario), with the four snapshots the
 *               key schedule and Finished need
 *   key sched   the HKDF steps (19 HMAC-SHA256: two extracts, four traffic
 *               secrets, "derived", eight key/iv, two finished keys, two
 *               Finished MACs), each secret expanded more than once keyed
 *               once (its pads hashed once); the early secret and the first
 *               "derived" are the same for every handshake without a PSK, so
 *               they are computed once, outside
 *   records     four AES-GCM key setups (handshake and application keys,
 *               both directions), sealing the server's flight as one record,
 *               opening the client's Finished
 *   random      the 32-byte server random
 * and for the client the same, except: verify the CertificateVerify and the
 * leaf certificate's signature (the CA is the trust anchor) instead of
 * signing, seal the Finished and open the server's flight, and draw 64
 * random bytes (random and legacy_session_id). The client's floor leaves out
 * decoding certificates and path validation logic: a client that caches a
 * verified chain can skip them.
 *
 * Contexts are made once and reused (EVP_PKEY_CTX for keygen and
 * signatures, EVP_CIPHER_CTX rekeyed); HMAC and SHA-256 use the low-level
 * SHA256_* functions, the same assembly without EVP dispatch. The per
 * handshake objects EVP cannot avoid (the ephemeral keys, the derive context)
 * are made and freed each time.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "bench.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#define NPEER 16
#define MSG_MAX 16384

const char *const bench_floor_part_names[BENCH_FLOOR_PARTS] = {
    "key share", "signature", "transcript hash", "key schedule (HKDF)", "record keys + AEAD", "random",
};

typedef struct fl {
    bench_hs_sizes sz;
    uint16_t group;
    EVP_PKEY_CTX *kgen;
    EVP_PKEY_CTX *kimport;   /* X25519: imports a private key (see part_kx) */
    EVP_PKEY *base, *peerkey; /* X25519: the base point; a peer key updated in place */
    uint8_t peer[NPEER][65];
    size_t peer_len;
    unsigned next_peer;
    EVP_PKEY_CTX *sign, *verify, *leaf_verify;
    uint8_t cv_sig[512], leaf_sig[512];
    size_t cv_sig_len, leaf_sig_len;
    uint8_t *tbs;
    size_t tbs_len;
    EVP_CIPHER_CTX *aead[4];
    uint8_t derived0[32], empty_hash[32];
    uint8_t key[4][16], iv[12];
    uint8_t sealed_sfl[MSG_MAX + 32], sealed_cfin[256];
    size_t sfl_len, cfin_len;
    uint8_t msg[MSG_MAX + 32], out[MSG_MAX + 32];
} fl;

/* HMAC-SHA256 with its pads hashed once, for a key used more than once. */
typedef struct keyed {
    SHA256_CTX in, out;
} keyed;

static void key_hmac(keyed *h, const uint8_t *key, size_t klen)
{
    uint8_t k[64] = {0}, pad[64];

    memcpy(k, key, klen); /* klen <= 32 throughout */
    for (int i = 0; i < 64; i++) {
        pad[i] = (uint8_t)(k[i] ^ 0x36);
    }
    SHA256_Init(&h->in);
    SHA256_Update(&h->in, pad, 64);
    for (int i = 0; i < 64; i++) {
        pad[i] = (uint8_t)(k[i] ^ 0x5c);
    }
    SHA256_Init(&h->out);
    SHA256_Update(&h->out, pad, 64);
}

static void keyed_mac(const keyed *h, const uint8_t *m, size_t mlen, uint8_t out[32])
{
    SHA256_CTX c = h->in;
    uint8_t inner[32];

    SHA256_Update(&c, m, mlen);
    SHA256_Final(inner, &c);
    c = h->out;
    SHA256_Update(&c, inner, 32);
    SHA256_Final(out, &c);
}

static void hmac(const uint8_t *key, size_t klen, const uint8_t *m, size_t mlen, uint8_t out[32])
{
    keyed h;

    key_hmac(&h, key, klen);
    keyed_mac(&h, m, mlen, out);
}

/* HKDF-Expand-Label (RFC 8446 §7.1) for outputs of at most one block, from a keyed secret. */
static void expand_label_k(const keyed *secret, const char *label, const uint8_t *ctx, size_t ctx_len,
                           uint8_t *out, size_t len)
{
    uint8_t info[2 + 1 + 6 + 32 + 1 + 32 + 1], t[32];
    size_t ll = strlen(label), n = 0;

    info[n++] = 0;
    info[n++] = (uint8_t)len;
    info[n++] = (uint8_t)(6 + ll);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, ll);
    n += ll;
    info[n++] = (uint8_t)ctx_len;
    if (ctx_len > 0) {
        memcpy(info + n, ctx, ctx_len);
        n += ctx_len;
    }
    info[n++] = 1;
    keyed_mac(secret, info, n, t);
    memcpy(out, t, len);
}

static void expand_label(const uint8_t secret[32], const char *label, const uint8_t *ctx, size_t ctx_len,
                         uint8_t *out, size_t len)
{
    keyed h;

    key_hmac(&h, secret, 32);
    expand_label_k(&h, label, ctx, ctx_len, out, len);
}

static EVP_PKEY *pem_key(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *k = b != NULL ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;

    BIO_free(b);
    return k;
}

static X509 *pem_x509(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    X509 *x = b != NULL ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

    BIO_free(b);
    return x;
}

/* A signing or verifying context set up for a TLS 1.3 scheme (or a certificate's PKCS #1 signature). */
static EVP_PKEY_CTX *sig_ctx(EVP_PKEY *k, bool sign, bool pss)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
    int ok;

    if (c == NULL) {
        return NULL;
    }
    ok = (sign ? EVP_PKEY_sign_init(c) : EVP_PKEY_verify_init(c)) == 1 &&
         EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) == 1;
    if (ok && EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA) {
        ok = pss ? EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PSS_PADDING) == 1 &&
                       EVP_PKEY_CTX_set_rsa_pss_saltlen(c, RSA_PSS_SALTLEN_DIGEST) == 1 &&
                       EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) == 1
                 : EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1;
    }
    if (!ok) {
        EVP_PKEY_CTX_free(c);
        return NULL;
    }
    return c;
}

static void cv_digest(const uint8_t th[32], bool server, uint8_t out[32])
{
    uint8_t content[64 + 34 + 32];
    const char *ctx = server ? "TLS 1.3, server CertificateVerify" : "TLS 1.3, client CertificateVerify";
    size_t n = strlen(ctx) + 1;

    memset(content, 0x20, 64);
    memcpy(content + 64, ctx, n);
    memcpy(content + 64 + n, th, 32);
    SHA256(content, 64 + n + 32, out);
}

static bool aead_seal(EVP_CIPHER_CTX *c, const uint8_t iv[12], const uint8_t *in, size_t len, uint8_t *out)
{
    uint8_t aad[5] = {23, 3, 3, (uint8_t)((len + 16) >> 8), (uint8_t)(len + 16)};
    int n = 0, f = 0;

    return EVP_CipherInit_ex2(c, NULL, NULL, iv, 1, NULL) == 1 && EVP_CipherUpdate(c, NULL, &n, aad, 5) == 1 &&
           EVP_CipherUpdate(c, out, &n, in, (int)len) == 1 && EVP_CipherFinal_ex(c, out + n, &f) == 1 &&
           EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, out + len) == 1;
}

static bool aead_open(EVP_CIPHER_CTX *c, const uint8_t iv[12], const uint8_t *in, size_t len, uint8_t *out)
{
    uint8_t aad[5] = {23, 3, 3, (uint8_t)(len >> 8), (uint8_t)len};
    int n = 0, f = 0;

    return len >= 16 && EVP_CipherInit_ex2(c, NULL, NULL, iv, 0, NULL) == 1 &&
           EVP_CipherUpdate(c, NULL, &n, aad, 5) == 1 && EVP_CipherUpdate(c, out, &n, in, (int)(len - 16)) == 1 &&
           EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16, (void *)(uintptr_t)(in + len - 16)) == 1 &&
           EVP_CipherFinal_ex(c, out + n, &f) == 1;
}

void bench_floor_free(void *p)
{
    fl *f = p;

    if (f == NULL) {
        return;
    }
    EVP_PKEY_CTX_free(f->kgen);
    EVP_PKEY_CTX_free(f->kimport);
    EVP_PKEY_free(f->base);
    EVP_PKEY_free(f->peerkey);
    EVP_PKEY_CTX_free(f->sign);
    EVP_PKEY_CTX_free(f->verify);
    EVP_PKEY_CTX_free(f->leaf_verify);
    for (int i = 0; i < 4; i++) {
        EVP_CIPHER_CTX_free(f->aead[i]);
    }
    OPENSSL_free(f->tbs);
    free(f);
}

static bool keygen_pub(fl *f, EVP_PKEY **k, uint8_t *pub, size_t *len)
{
    *k = NULL;
    *len = 65;
    if (EVP_PKEY_keygen(f->kgen, k) != 1) {
        return false;
    }
    if (f->group == LATCH_GROUP_X25519) {
        return EVP_PKEY_get_raw_public_key(*k, pub, len) == 1;
    }
    return EVP_PKEY_get_octet_string_param(*k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pub, 65, len) == 1;
}

static bool setup(fl *f, const bench_scenario *sc)
{
    const bench_pki *pki = bench_pki_get(sc->key);
    bool pss = sc->sigalg == LATCH_SIG_RSA_PSS_RSAE_SHA256;
    EVP_PKEY *key = pem_key(pki->key), *ca_key = pem_key(pki->ca_key);
    X509 *leaf = pem_x509(pki->leaf);
    const ASN1_BIT_STRING *lsig = NULL;
    uint8_t zeros[32] = {0}, early[32], th[32], d[32];
    unsigned char *tbs = NULL;
    int tbs_len;
    bool ok = false;

    if (key == NULL || ca_key == NULL || leaf == NULL) {
        goto out;
    }
    /* Key share: one keygen context, reused; peers' shares made in advance. */
    if (sc->group == LATCH_GROUP_X25519) {
        f->kgen = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL);
        ok = f->kgen != NULL && EVP_PKEY_keygen_init(f->kgen) == 1;
    } else {
        f->kgen = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
        ok = f->kgen != NULL && EVP_PKEY_keygen_init(f->kgen) == 1 &&
             EVP_PKEY_CTX_set_group_name(f->kgen, "P-256") == 1;
    }
    for (int i = 0; i < NPEER && ok; i++) {
        EVP_PKEY *k;

        ok = keygen_pub(f, &k, f->peer[i], &f->peer_len);
        EVP_PKEY_free(k);
    }
    if (ok && sc->group == LATCH_GROUP_X25519) {
        static const uint8_t u9[32] = {9};

        f->kimport = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL);
        f->base = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, u9, sizeof u9);
        f->peerkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, f->peer[0], 32);
        ok = f->kimport != NULL && EVP_PKEY_fromdata_init(f->kimport) == 1 && f->base != NULL && f->peerkey != NULL;
    }
    if (!ok) {
        goto out;
    }
    /* Signatures: the server's key signs; a valid signature for the client to verify. */
    f->sign = sig_ctx(key, true, pss);
    f->verify = sig_ctx(key, false, pss);
    f->cv_sig_len = sizeof f->cv_sig;
    memset(th, 0x5a, sizeof th);
    cv_digest(th, true, d);
    ok = f->sign != NULL && f->verify != NULL && EVP_PKEY_sign(f->sign, f->cv_sig, &f->cv_sig_len, d, 32) == 1;
    /* The leaf's own signature, by the CA, as the client checks it. */
    tbs_len = i2d_re_X509_tbs(leaf, &tbs);
    X509_get0_signature(&lsig, NULL, leaf);
    f->leaf_verify = sig_ctx(ca_key, false, false);
    ok = ok && tbs_len > 0 && lsig != NULL && (size_t)lsig->length <= sizeof f->leaf_sig && f->leaf_verify != NULL;
    if (!ok) {
        OPENSSL_free(tbs);
        goto out;
    }
    f->tbs = tbs;
    f->tbs_len = (size_t)tbs_len;
    memcpy(f->leaf_sig, lsig->data, (size_t)lsig->length);
    f->leaf_sig_len = (size_t)lsig->length;
    SHA256(f->tbs, f->tbs_len, d);
    ok = EVP_PKEY_verify(f->leaf_verify, f->leaf_sig, f->leaf_sig_len, d, 32) == 1;
    /* Key schedule constants. */
    SHA256(NULL, 0, f->empty_hash);
    hmac(zeros, 32, zeros, 32, early);
    expand_label(early, "derived", f->empty_hash, 32, f->derived0, 32);
    /* Record protection: four contexts with the cipher fetched once; sealed records to open. */
    for (int i = 0; i < 4 && ok; i++) {
        f->aead[i] = EVP_CIPHER_CTX_new();
        memset(f->key[i], 0x11 * (i + 1), 16);
        ok = f->aead[i] != NULL && EVP_CipherInit_ex2(f->aead[i], EVP_aes_128_gcm(), f->key[i], NULL, i % 2 == 0,
                                                      NULL) == 1;
    }
    memset(f->iv, 0x77, sizeof f->iv);
    RAND_bytes(f->msg, sizeof f->msg);
    f->sfl_len = f->sz.ee + f->sz.cert + f->sz.cv + f->sz.fin + 1;
    f->cfin_len = f->sz.fin + 1;
    ok = ok && f->sfl_len <= MSG_MAX && f->sz.ch <= MSG_MAX;
    if (ok) {
        /* aead[0] seals what aead[1] opens (both keyed with key[0] here), and aead[2] for aead[3]. */
        EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

        ok = c != NULL && EVP_CipherInit_ex2(c, EVP_aes_128_gcm(), f->key[1], NULL, 1, NULL) == 1 &&
             aead_seal(c, f->iv, f->msg, f->sfl_len, f->sealed_sfl) &&
             aead_seal(c, f->iv, f->msg, f->cfin_len, f->sealed_cfin);
        EVP_CIPHER_CTX_free(c);
    }
out:
    EVP_PKEY_free(key);
    EVP_PKEY_free(ca_key);
    X509_free(leaf);
    return ok;
}

void *bench_floor_new(const bench_scenario *sc, const bench_hs_sizes *sz)
{
    fl *f;

    if (sc->version != LATCH_TLS13 || sc->suite_id != LATCH_TLS_AES_128_GCM_SHA256) {
        return NULL;
    }
    f = calloc(1, sizeof *f);
    if (f == NULL) {
        return NULL;
    }
    f->sz = *sz;
    f->group = sc->group;
    if (!setup(f, sc)) {
        bench_floor_free(f);
        return NULL;
    }
    return f;
}

/*
 * X25519 the cheapest way libcrypto 3.0's public API allows: its keygen
 * computes the public key with generic fixed-base code, slower than its
 * X25519 ladder, so the private key is drawn and imported (with a
 * placeholder public value) and the public key computed as X25519(priv, 9)
 * by the derive context that then derives the secret; the peer's key is one
 * kept EVP_PKEY whose 32 bytes are replaced (a new EVP_PKEY costs more than
 * that in name lookups).
 */
static bool part_kx_x25519(fl *f)
{
    uint8_t priv[32], placeholder[32] = {0}, pub[32], secret[32];
    size_t n = sizeof pub;
    const uint8_t *peer = f->peer[f->next_peer++ % NPEER];
    OSSL_PARAM params[3];
    EVP_PKEY *k = NULL;
    EVP_PKEY_CTX *dc = NULL;
    bool ok = RAND_priv_bytes(priv, sizeof priv) == 1;

    params[0] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PRIV_KEY, priv, sizeof priv);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, placeholder, sizeof placeholder);
    params[2] = OSSL_PARAM_construct_end();
    ok = ok && EVP_PKEY_fromdata(f->kimport, &k, EVP_PKEY_KEYPAIR, params) == 1;
    dc = ok ? EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL) : NULL;
    ok = dc != NULL && EVP_PKEY_derive_init(dc) == 1 && EVP_PKEY_derive_set_peer_ex(dc, f->base, 0) == 1 &&
         EVP_PKEY_derive(dc, pub, &n) == 1;
    n = sizeof secret;
    ok = ok && EVP_PKEY_set1_encoded_public_key(f->peerkey, peer, 32) == 1 &&
         EVP_PKEY_derive_set_peer_ex(dc, f->peerkey, 0) == 1 && EVP_PKEY_derive(dc, secret, &n) == 1;
    EVP_PKEY_CTX_free(dc);
    EVP_PKEY_free(k);
    OPENSSL_cleanse(priv, sizeof priv);
    return ok;
}

static bool part_kx(fl *f)
{
    uint8_t pub[65], secret[32];
    size_t len, slen = sizeof secret;
    const uint8_t *peer = f->peer[f->next_peer++ % NPEER];
    EVP_PKEY *k, *pk = NULL;
    EVP_PKEY_CTX *dc = NULL;
    bool ok;

    if (f->group == LATCH_GROUP_X25519) {
        return part_kx_x25519(f);
    }
    ok = keygen_pub(f, &k, pub, &len);
    if (ok) {
        pk = EVP_PKEY_new();
        if (pk != NULL && (EVP_PKEY_copy_parameters(pk, k) != 1 ||
                           EVP_PKEY_set1_encoded_public_key(pk, peer, f->peer_len) != 1)) {
            EVP_PKEY_free(pk);
            pk = NULL;
        }
    }
    /*
     * validate_peer = 0: decoding the P-256 point already refused one off
     * the curve, which is all RFC 8446 §4.2.8.2 asks for a cofactor-1 curve;
     * the full check EVP adds multiplies the point by the group order, a
     * second scalar multiplication. X25519's derive refuses an all-zero
     * result by itself.
     */
    dc = pk != NULL ? EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL) : NULL;
    ok = dc != NULL && EVP_PKEY_derive_init(dc) == 1 && EVP_PKEY_derive_set_peer_ex(dc, pk, 0) == 1 &&
         EVP_PKEY_derive(dc, secret, &slen) == 1;
    EVP_PKEY_CTX_free(dc);
    EVP_PKEY_free(pk);
    EVP_PKEY_free(k);
    return ok;
}

static bool part_sig(fl *f, bool server)
{
    uint8_t th[32], d[32], sig[512];
    size_t n = sizeof sig;

    memset(th, 0x5a, sizeof th);
    cv_digest(th, true, d);
    if (server) {
        return EVP_PKEY_sign(f->sign, sig, &n, d, 32) == 1;
    }
    if (EVP_PKEY_verify(f->verify, f->cv_sig, f->cv_sig_len, d, 32) != 1) {
        return false;
    }
    SHA256(f->tbs, f->tbs_len, d);
    return EVP_PKEY_verify(f->leaf_verify, f->leaf_sig, f->leaf_sig_len, d, 32) == 1;
}

static void snap(const SHA256_CTX *c, uint8_t out[32])
{
    SHA256_CTX t = *c;

    SHA256_Final(out, &t);
}

static bool part_transcript(fl *f)
{
    const bench_hs_sizes *s = &f->sz;
    uint8_t h[4][32];
    SHA256_CTX c;

    SHA256_Init(&c);
    SHA256_Update(&c, f->msg, s->ch);
    SHA256_Update(&c, f->msg, s->sh);
    snap(&c, h[0]); /* handshake secrets */
    SHA256_Update(&c, f->msg, s->ee);
    SHA256_Update(&c, f->msg, s->cert);
    snap(&c, h[1]); /* CertificateVerify */
    SHA256_Update(&c, f->msg, s->cv);
    snap(&c, h[2]); /* server Finished */
    SHA256_Update(&c, f->msg, s->fin);
    snap(&c, h[3]); /* application secrets, client Finished */
    return true;
}

static bool part_schedule(fl *f)
{
    uint8_t ecdhe[32], th[32], hs[32], chs[32], shs[32], der[32], ms[32], cap[32], sap[32], zeros[32] = {0};
    uint8_t k[16], iv[12], fk[2][32], mac[32];
    const uint8_t *secs[4] = {shs, chs, sap, cap};
    keyed h;

    memset(ecdhe, 0x42, sizeof ecdhe);
    memset(th, 0x24, sizeof th);
    /* Each secret expanded more than once is keyed once. */
    hmac(f->derived0, 32, ecdhe, 32, hs);
    key_hmac(&h, hs, 32);
    expand_label_k(&h, "c hs traffic", th, 32, chs, 32);
    expand_label_k(&h, "s hs traffic", th, 32, shs, 32);
    expand_label_k(&h, "derived", f->empty_hash, 32, der, 32);
    hmac(der, 32, zeros, 32, ms);
    key_hmac(&h, ms, 32);
    expand_label_k(&h, "c ap traffic", th, 32, cap, 32);
    expand_label_k(&h, "s ap traffic", th, 32, sap, 32);
    for (int i = 0; i < 4; i++) {
        key_hmac(&h, secs[i], 32);
        expand_label_k(&h, "key", NULL, 0, k, sizeof k);
        expand_label_k(&h, "iv", NULL, 0, iv, sizeof iv);
        if (i < 2) {
            expand_label_k(&h, "finished", NULL, 0, fk[i], 32);
        }
    }
    hmac(fk[0], 32, th, 32, mac);
    hmac(fk[1], 32, th, 32, mac);
    return true;
}

static bool part_records(fl *f, bool server)
{
    bool ok = true;

    for (int i = 0; i < 4 && ok; i++) {
        ok = EVP_CipherInit_ex2(f->aead[i], NULL, f->key[i > 1 ? i : 1], NULL, i % 2 == 0, NULL) == 1;
    }
    /* aead[0] writes (our flight), aead[1] reads (the peer's), keyed with key[1] to match the sealed records. */
    if (server) {
        ok = ok && aead_seal(f->aead[0], f->iv, f->msg, f->sfl_len, f->out) &&
             aead_open(f->aead[1], f->iv, f->sealed_cfin, f->cfin_len + 16, f->out);
    } else {
        ok = ok && aead_seal(f->aead[0], f->iv, f->msg, f->cfin_len, f->out) &&
             aead_open(f->aead[1], f->iv, f->sealed_sfl, f->sfl_len + 16, f->out);
    }
    return ok;
}

static bool part_random(bool server)
{
    uint8_t r[32];

    return RAND_bytes(r, 32) == 1 && (server || RAND_bytes(r, 32) == 1);
}

bool bench_floor_run(void *p, bool server, unsigned n, bench_floor *out)
{
    fl *f = p;
    bool ok = true;

    memset(out, 0, sizeof *out);
    for (int part = 0; part < BENCH_FLOOR_PARTS && ok; part++) {
        uint64_t t0 = bench_now(), d, o;

        for (unsigned i = 0; i < n && ok; i++) {
            switch (part) {
            case 0: ok = part_kx(f); break;
            case 1: ok = part_sig(f, server); break;
            case 2: ok = part_transcript(f); break;
            case 3: ok = part_schedule(f); break;
            case 4: ok = part_records(f, server); break;
            default: ok = part_random(server); break;
            }
        }
        d = bench_now() - t0;
        o = bench_clock_overhead();

        out->part_ns[part] = (double)(d > o ? d - o : 0) / n;
        out->total_ns += out->part_ns[part];
    }
    return ok;
}
