/* Our certificate chain and private key. See cert.h. */
#include "x509/cert.h"

#include "core/alloc.h"
#include "core/err.h"
#include "provider/ossl/ossl.h"
#include "x509/der.h"
#include "x509/file.h"
#include "x509/key.h"
#include "x509/name.h"
#include "x509/pem.h"

#include <openssl/err.h>
#include <stdio.h>
#include <string.h>

struct latch_chain {
    latch_allocator alloc;
    size_t n;
    X509 *x[LATCH_CHAIN_MAX_CERTS];
    uint8_t *der[LATCH_CHAIN_MAX_CERTS]; /* the bytes we send, exactly as loaded */
    size_t der_len[LATCH_CHAIN_MAX_CERTS];
    size_t der_cap[LATCH_CHAIN_MAX_CERTS];
    EVP_PKEY *key;
    latch_pkey_info key_info;
    latch_name_set leaf_names; /* for latch_chain_matches_name, decoded once */
};

void latch_chain_free(latch_chain *c)
{
    latch_allocator a;

    if (c == NULL) {
        return;
    }
    a = c->alloc;
    for (size_t i = 0; i < c->n; i++) {
        X509_free(c->x[i]);
        latch__free(&a, c->der[i], c->der_cap[i]);
    }
    latch__ossl_sign_unprepare(c->key);
    EVP_PKEY_free(c->key);
    latch__name_set_free(&a, &c->leaf_names);
    latch__free(&a, c, sizeof *c);
}

/* Append one DER certificate; takes ownership of der (allocated from c->alloc). */
static latch_err add_cert(latch_chain *c, uint8_t *der, size_t len, size_t cap, const char *name, unsigned line)
{
    char why[160];
    X509 *x;

    if (c->n == LATCH_CHAIN_MAX_CERTS) {
        latch__free(&c->alloc, der, cap);
        return LATCH_FAIL(LATCH_ERR_CERT_CHAIN_TOO_LONG, "%s has more than %d certificates", name,
                          LATCH_CHAIN_MAX_CERTS);
    }
    x = latch__der_cert(der, len, why, sizeof why);
    if (x == NULL) {
        latch__free(&c->alloc, der, cap);
        if (line == 0) {
            return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s (DER): %s", name, why);
        }
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s line %u: certificate %zu: %s", name, line, c->n + 1, why);
    }
    c->x[c->n] = x;
    c->der[c->n] = der;
    c->der_len[c->n] = len;
    c->der_cap[c->n] = cap;
    c->n++;
    return LATCH_OK;
}

static latch_err load_certs(latch_chain *c, const uint8_t *data, size_t len, const char *name)
{
    latch_pem_reader r;
    latch_pem_block blk;
    bool found;

    if (len == 0) {
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s is empty", name);
    }
    if (!latch_pem_detect(data, len)) {
        uint8_t *copy;

        if (data[0] != 0x30) {
            return LATCH_FAIL(LATCH_ERR_PEM_DECODE,
                              "%s is neither PEM (no '-----BEGIN' line) nor DER (it does not start with a SEQUENCE)",
                              name);
        }
        copy = latch__alloc(&c->alloc, len);
        LATCH_ENSURE(copy != NULL, LATCH_ERR_NO_MEMORY, "no memory for a certificate");
        memcpy(copy, data, len);
        return add_cert(c, copy, len, len, name, 0);
    }
    latch_pem_reader_init(&r, data, len, name);
    for (;;) {
        LATCH_TRY(latch_pem_next(&r, &c->alloc, &blk, &found));
        if (!found) {
            break;
        }
        if (strcmp(blk.label, "CERTIFICATE") != 0) {
            latch_pem_block_free(&c->alloc, &blk); /* a key in a combined file, ... */
            continue;
        }
        LATCH_TRY(add_cert(c, blk.der, blk.der_len, blk.der_cap, name, blk.line));
    }
    LATCH_ENSURE(c->n > 0, LATCH_ERR_PEM_DECODE, "no '-----BEGIN CERTIFICATE-----' block found");
    return LATCH_OK;
}

static latch_err load(latch_chain *c, const uint8_t *cert, size_t cert_len, const char *cert_name,
                      const uint8_t *key, size_t key_len, const char *key_name)
{
    char subject[96], want[32], got[32], what[200];
    latch_pkey_info leaf_info;
    EVP_PKEY *leaf_pub;

    LATCH_TRY(load_certs(c, cert, cert_len, cert_name));
    LATCH_TRY(latch__key_decode(&c->alloc, key, key_len, key_name, &c->key));
    snprintf(what, sizeof what, "the private key in %s", key_name);
    LATCH_TRY(latch__key_check(c->key, what, &c->key_info));

    leaf_pub = X509_get0_pubkey(c->x[0]);
    latch__name_primary(c->x[0], subject, sizeof subject);
    if (leaf_pub == NULL) {
        ERR_clear_error();
        return LATCH_FAIL(LATCH_ERR_UNSUPPORTED, "the public key of certificate '%s' in %s cannot be decoded",
                          subject, cert_name);
    }
    if (EVP_PKEY_eq(leaf_pub, c->key) != 1) {
        ERR_clear_error();
        latch__key_describe(&c->key_info, got, sizeof got);
        if (latch__key_check(leaf_pub, "the leaf key", &leaf_info) == LATCH_OK) {
            latch__key_describe(&leaf_info, want, sizeof want);
        } else {
            snprintf(want, sizeof want, "an unsupported key");
        }
        return LATCH_FAIL(LATCH_ERR_KEY_MISMATCH,
                          "the private key in %s (%s) does not match certificate '%s' in %s (%s)", key_name, got,
                          subject, cert_name, want);
    }
    /* The key signs every handshake, possibly in many threads: keep its
     * signing contexts set up (the chain is not shared yet). */
    LATCH_TRY(latch__ossl_sign_prepare(c->key));
    /* A server matches every ClientHello's server_name against the leaf. */
    LATCH_TRY(latch__name_set_load(&c->alloc, c->x[0], &c->leaf_names));
    return LATCH_OK;
}

latch_err latch__chain_load_named(const latch_allocator *a, const uint8_t *cert, size_t cert_len,
                                  const char *cert_name, const uint8_t *key, size_t key_len, const char *key_name,
                                  latch_chain **out)
{
    latch_chain *c;
    latch_err e;

    LATCH_ENSURE(out != NULL, LATCH_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    LATCH_ENSURE(cert != NULL || cert_len == 0, LATCH_ERR_INVALID_ARGUMENT, "the certificate pointer is NULL");
    LATCH_ENSURE(key != NULL || key_len == 0, LATCH_ERR_INVALID_ARGUMENT, "the key pointer is NULL");
    if (a == NULL) {
        a = latch__default_allocator();
    }
    c = latch__alloc(a, sizeof *c);
    LATCH_ENSURE(c != NULL, LATCH_ERR_NO_MEMORY, "no memory for a certificate chain");
    c->alloc = *a;
    e = load(c, cert, cert_len, cert_name != NULL ? cert_name : "the certificate data", key, key_len,
             key_name != NULL ? key_name : "the key data");
    if (e != LATCH_OK) {
        latch_chain_free(c);
        return latch__pass(e, __FILE__, __LINE__);
    }
    *out = c;
    return LATCH_OK;
}

latch_err latch_chain_load(const latch_allocator *a, const uint8_t *cert, size_t cert_len, const uint8_t *key,
                           size_t key_len, latch_chain **out)
{
    return latch__chain_load_named(a, cert, cert_len, NULL, key, key_len, NULL, out);
}

latch_err latch_chain_load_files(const latch_allocator *a, const char *cert_path, const char *key_path,
                                 latch_chain **out)
{
    uint8_t *cert = NULL, *key = NULL;
    size_t cert_len, cert_cap, key_len, key_cap;
    char cert_name[128], key_name[128];
    latch_err e;

    LATCH_ENSURE(out != NULL, LATCH_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    LATCH_ENSURE(cert_path != NULL && key_path != NULL, LATCH_ERR_INVALID_ARGUMENT, "a file path is NULL");
    LATCH_TRY(latch__file_read(a, cert_path, &cert, &cert_len, &cert_cap));
    e = latch__file_read(a, key_path, &key, &key_len, &key_cap);
    if (e == LATCH_OK) {
        snprintf(cert_name, sizeof cert_name, "'%.100s'", cert_path);
        snprintf(key_name, sizeof key_name, "'%.100s'", key_path);
        e = latch__chain_load_named(a, cert, cert_len, cert_name, key, key_len, key_name, out);
        latch__free(a, key, key_cap); /* wipes the key text */
    }
    latch__free(a, cert, cert_cap);
    LATCH_TRY(e);
    return LATCH_OK;
}

size_t latch_chain_count(const latch_chain *c)
{
    return c != NULL ? c->n : 0;
}

latch_rd latch_chain_der(const latch_chain *c, size_t i)
{
    if (c == NULL || i >= c->n) {
        return latch_rd_make(NULL, 0);
    }
    return latch_rd_make(c->der[i], c->der_len[i]);
}

const latch_pkey *latch_chain_key(const latch_chain *c)
{
    return c != NULL ? latch__pkey(c->key) : NULL;
}

latch_pkey_info latch_chain_key_info(const latch_chain *c)
{
    latch_pkey_info none = {0, 0, 0};

    return c != NULL ? c->key_info : none;
}

bool latch_chain_matches_name(const latch_chain *c, const char *host)
{
    return c != NULL && latch__name_set_matches(&c->leaf_names, host);
}

bool latch_chain_issued_by_any(const latch_chain *c, const latch_rd *dns, size_t n)
{
    bool hit = false;

    if (c == NULL || dns == NULL) {
        return false;
    }
    for (size_t j = 0; j < n && !hit; j++) {
        const unsigned char *p = dns[j].p;
        X509_NAME *name;

        if (dns[j].len == 0 || dns[j].len > LATCH_CERT_MAX_LEN) {
            continue;
        }
        name = d2i_X509_NAME(NULL, &p, (long)dns[j].len);
        if (name == NULL || (size_t)(p - dns[j].p) != dns[j].len) {
            X509_NAME_free(name);
            continue;
        }
        for (size_t i = 0; i < c->n && !hit; i++) {
            hit = X509_NAME_cmp(X509_get_issuer_name(c->x[i]), name) == 0;
        }
        X509_NAME_free(name);
    }
    ERR_clear_error();
    return hit;
}

latch_err latch_chain_subject(const latch_chain *c, size_t i, char *buf, size_t cap)
{
    LATCH_ENSURE(c != NULL && i < c->n, LATCH_ERR_INVALID_ARGUMENT, "no certificate at that index");
    LATCH_TRY(latch__name_dn(X509_get_subject_name(c->x[i]), buf, cap));
    return LATCH_OK;
}
