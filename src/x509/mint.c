/*
 * Minting test certificates (RFC 5280 profile). See <latch/x509.h> and mint.h.
 */
#include "x509/mint.h"

#include "core/err.h"
#include "core/wipe.h"
#include "x509/der.h"
#include "x509/key.h"
#include "x509/pem.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DAY 86400

static const struct {
    latch_key_type type;
    const char *name;
    const char *alias;
} key_names[] = {
    {LATCH_KEY_ECDSA_P256, "ecdsa-p256", "p256"}, {LATCH_KEY_ECDSA_P384, "ecdsa-p384", "p384"},
    {LATCH_KEY_RSA2048, "rsa2048", "rsa"},        {LATCH_KEY_RSA3072, "rsa3072", NULL},
    {LATCH_KEY_RSA4096, "rsa4096", NULL},         {LATCH_KEY_ED25519, "ed25519", NULL},
    {LATCH_KEY_RSA_PSS2048, "rsa-pss2048", "rsa-pss"},
};

const char *latch_key_type_name(latch_key_type type)
{
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
        if (key_names[i].type == type) {
            return key_names[i].name;
        }
    }
    return NULL;
}

latch_err latch_key_type_from_name(const char *name, latch_key_type *type)
{
    LATCH_ENSURE(name != NULL && type != NULL, LATCH_ERR_INVALID_ARGUMENT, "the key type name is NULL");
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
        if (strcasecmp(name, key_names[i].name) == 0 ||
            (key_names[i].alias != NULL && strcasecmp(name, key_names[i].alias) == 0)) {
            *type = key_names[i].type;
            return LATCH_OK;
        }
    }
    return LATCH_FAIL(LATCH_ERR_UNSUPPORTED,
                      "unknown key type '%.40s' (use ecdsa-p256, ecdsa-p384, rsa2048, rsa3072, rsa4096, ed25519 or "
                      "rsa-pss2048)",
                      name);
}

/* EVP_PKEY_Q_keygen takes a size only for "RSA": RSA-PSS goes the long way. */
static EVP_PKEY *keygen_rsa_pss(unsigned bits)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL);
    EVP_PKEY *pk = NULL;

    if (ctx == NULL || EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) != 1 ||
        EVP_PKEY_generate(ctx, &pk) != 1) {
        EVP_PKEY_free(pk);
        pk = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return pk;
}

static latch_err keygen(latch_key_type type, EVP_PKEY **out)
{
    char reason[96];

    switch (type) {
    case LATCH_KEY_ECDSA_P256: *out = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"); break;
    case LATCH_KEY_ECDSA_P384: *out = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"); break;
    case LATCH_KEY_RSA2048: *out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048); break;
    case LATCH_KEY_RSA3072: *out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072); break;
    case LATCH_KEY_RSA4096: *out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)4096); break;
    case LATCH_KEY_ED25519: *out = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"); break;
    case LATCH_KEY_RSA_PSS2048: *out = keygen_rsa_pss(2048); break;
    default: *out = NULL; return LATCH_FAIL(LATCH_ERR_UNSUPPORTED, "unknown key type %d", (int)type);
    }
    if (*out == NULL) {
        return LATCH_FAIL(LATCH_ERR_CRYPTO, "cannot generate a %s key (%s)", latch_key_type_name(type),
                          latch__ossl_why(reason, sizeof reason, "key generation failed"));
    }
    return LATCH_OK;
}

/* The digest for signatures by key: matched to the curve for ECDSA (as TLS
 * 1.3 binds them), none for EdDSA, SHA-256 for RSA. */
static const EVP_MD *digest_for(const EVP_PKEY *key)
{
    int id = EVP_PKEY_get_base_id(key);

    if (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) {
        return NULL;
    }
    if (id == EVP_PKEY_EC && EVP_PKEY_get_bits(key) > 384) {
        return EVP_sha512();
    }
    if (id == EVP_PKEY_EC && EVP_PKEY_get_bits(key) > 256) {
        return EVP_sha384();
    }
    return EVP_sha256();
}

static latch_err sign(X509 *x, EVP_PKEY *key)
{
    const EVP_MD *md = digest_for(key);
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    char reason[96];
    int ok;

    LATCH_ENSURE(mctx != NULL, LATCH_ERR_NO_MEMORY, "no memory for a signing context");
    ok = EVP_DigestSignInit(mctx, &pctx, md, NULL, key) == 1;
    if (ok && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA_PSS) {
        /* RFC 4055 §3.1 parameters as TLS 1.3 uses them (RFC 8446 §4.2.3):
         * MGF1 with the same hash, salt as long as the digest. */
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1;
    }
    ok = ok && X509_sign_ctx(x, mctx) > 0;
    EVP_MD_CTX_free(mctx);
    if (!ok) {
        return LATCH_FAIL(LATCH_ERR_CRYPTO, "cannot sign the certificate (%s)",
                          latch__ossl_why(reason, sizeof reason, "signing failed"));
    }
    return LATCH_OK;
}

static latch_err add_ext(X509 *x, X509V3_CTX *v3, int nid, const char *value)
{
    X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, v3, nid, value);
    char reason[96];
    int ok = ext != NULL && X509_add_ext(x, ext, -1) == 1;

    X509_EXTENSION_free(ext);
    if (!ok) {
        return LATCH_FAIL(LATCH_ERR_CRYPTO, "cannot add the %s extension '%s' (%s)", OBJ_nid2sn(nid), value,
                          latch__ossl_why(reason, sizeof reason, "bad extension"));
    }
    return LATCH_OK;
}

/* RFC 5280 §4.2.1.6 subjectAltName from the spec's DNS names and IPs. */
static latch_err add_san(X509 *x, const latch_cert_spec *spec)
{
    GENERAL_NAMES *names = GENERAL_NAMES_new();
    latch_err e = LATCH_OK;

    LATCH_ENSURE(names != NULL, LATCH_ERR_NO_MEMORY, "no memory for a subjectAltName");
    for (size_t i = 0; i < spec->n_dns && e == LATCH_OK; i++) {
        const char *dns = spec->dns_names[i];
        GENERAL_NAME *g = GENERAL_NAME_new();
        ASN1_IA5STRING *s = ASN1_IA5STRING_new();

        if (g == NULL || s == NULL || ASN1_STRING_set(s, dns, (int)strlen(dns)) != 1) {
            e = LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for a dNSName");
        }
        if (e == LATCH_OK) {
            GENERAL_NAME_set0_value(g, GEN_DNS, s);
            s = NULL;
            if (sk_GENERAL_NAME_push(names, g) <= 0) {
                e = LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for a dNSName");
            } else {
                g = NULL;
            }
        }
        ASN1_IA5STRING_free(s);
        GENERAL_NAME_free(g);
    }
    for (size_t i = 0; i < spec->n_ips && e == LATCH_OK; i++) {
        ASN1_OCTET_STRING *ip = a2i_IPADDRESS(spec->ips[i]);
        GENERAL_NAME *g = ip != NULL ? GENERAL_NAME_new() : NULL;

        if (ip == NULL) {
            e = LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "'%.60s' is not an IPv4 or IPv6 address", spec->ips[i]);
        } else if (g == NULL) {
            e = LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for an iPAddress");
        } else {
            GENERAL_NAME_set0_value(g, GEN_IPADD, ip);
            ip = NULL;
            if (sk_GENERAL_NAME_push(names, g) <= 0) {
                e = LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for an iPAddress");
            } else {
                g = NULL;
            }
        }
        ASN1_OCTET_STRING_free(ip);
        GENERAL_NAME_free(g);
    }
    if (e == LATCH_OK && sk_GENERAL_NAME_num(names) > 0 &&
        X509_add1_ext_i2d(x, NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT) != 1) {
        e = LATCH_FAIL(LATCH_ERR_NO_MEMORY, "cannot add the subjectAltName extension");
    }
    GENERAL_NAMES_free(names);
    ERR_clear_error();
    return e;
}

static latch_err check_spec(const latch_cert_spec *spec, int64_t *nb, int64_t *na, int64_t now)
{
    LATCH_ENSURE(spec->common_name != NULL && spec->common_name[0] != '\0', LATCH_ERR_INVALID_ARGUMENT,
                 "the certificate spec has no common name");
    LATCH_ENSURE(spec->n_dns == 0 || spec->dns_names != NULL, LATCH_ERR_INVALID_ARGUMENT,
                 "n_dns is not 0 but dns_names is NULL");
    LATCH_ENSURE(spec->n_ips == 0 || spec->ips != NULL, LATCH_ERR_INVALID_ARGUMENT, "n_ips is not 0 but ips is NULL");
    for (size_t i = 0; i < spec->n_dns; i++) {
        const char *d = spec->dns_names[i];

        LATCH_ENSURE(d != NULL && d[0] != '\0', LATCH_ERR_INVALID_ARGUMENT, "a DNS name of the spec is NULL or empty");
        for (const char *c = d; *c != '\0'; c++) {
            /* IA5String, and nothing a reader could misparse. */
            if (*c <= 0x20 || *c >= 0x7F) {
                return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "the DNS name '%.60s' has a character outside "
                                  "printable ASCII", d);
            }
        }
    }
    for (size_t i = 0; i < spec->n_ips; i++) {
        LATCH_ENSURE(spec->ips[i] != NULL, LATCH_ERR_INVALID_ARGUMENT, "an IP address of the spec is NULL");
    }
    if (spec->not_before == 0 && spec->not_after == 0) {
        *nb = now - DAY;
        *na = now + 365 * (int64_t)DAY;
    } else {
        *nb = spec->not_before;
        *na = spec->not_after;
    }
    if (*na < *nb) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "not_after (%lld) is before not_before (%lld)", (long long)*na,
                          (long long)*nb);
    }
    LATCH_ENSURE(latch_key_type_name(spec->key_type) != NULL, LATCH_ERR_UNSUPPORTED, "unknown key type");
    return LATCH_OK;
}

/* A positive, non-zero 128-bit serial number (RFC 5280 §4.1.2.2: at most
 * 20 octets; CA/B Forum: at least 64 random bits). */
static latch_err set_serial(X509 *x)
{
    uint8_t b[16];
    BIGNUM *bn;
    int ok;

    LATCH_ENSURE(RAND_bytes(b, sizeof b) == 1, LATCH_ERR_RANDOM, "RAND_bytes failed for a serial number");
    b[0] = (uint8_t)((b[0] & 0x7F) | 0x40);
    bn = BN_bin2bn(b, sizeof b, NULL);
    ok = bn != NULL && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
    BN_free(bn);
    LATCH_ENSURE(ok, LATCH_ERR_NO_MEMORY, "cannot set the serial number");
    return LATCH_OK;
}

static latch_err build(X509 *x, const latch_cert_spec *spec, X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *key,
                       int64_t nb, int64_t na)
{
    X509_NAME *subject = X509_get_subject_name(x);
    bool rsa = EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA;
    X509V3_CTX v3;
    char bc[48];
    const char *ku;

    LATCH_ENSURE(X509_set_version(x, X509_VERSION_3) == 1, LATCH_ERR_NO_MEMORY, "cannot set the version");
    LATCH_TRY(set_serial(x));
    LATCH_ENSURE(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, (const unsigned char *)spec->common_name,
                                            -1, -1, 0) == 1,
                 LATCH_ERR_INVALID_ARGUMENT, "the common name is not valid UTF-8 or is too long (64 characters)");
    LATCH_ENSURE(X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) : subject) == 1,
                 LATCH_ERR_NO_MEMORY, "cannot set the issuer name");
    LATCH_ENSURE(ASN1_TIME_set(X509_getm_notBefore(x), (time_t)nb) != NULL &&
                     ASN1_TIME_set(X509_getm_notAfter(x), (time_t)na) != NULL,
                 LATCH_ERR_INVALID_ARGUMENT, "the validity times cannot be encoded");
    LATCH_ENSURE(X509_set_pubkey(x, key) == 1, LATCH_ERR_NO_MEMORY, "cannot set the public key");

    X509V3_set_ctx(&v3, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
    if (spec->is_ca && spec->path_len >= 0) {
        snprintf(bc, sizeof bc, "critical,CA:TRUE,pathlen:%d", spec->path_len);
    } else {
        snprintf(bc, sizeof bc, "critical,CA:%s", spec->is_ca ? "TRUE" : "FALSE");
    }
    LATCH_TRY(add_ext(x, &v3, NID_basic_constraints, bc));
    if (spec->is_ca) {
        ku = spec->key_usage_wrong ? "critical,digitalSignature" : "critical,keyCertSign,cRLSign";
    } else if (spec->key_usage_wrong) {
        ku = "critical,keyCertSign";
    } else {
        ku = rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature";
    }
    LATCH_TRY(add_ext(x, &v3, NID_key_usage, ku));
    if (spec->server_auth || spec->client_auth) {
        LATCH_TRY(add_ext(x, &v3, NID_ext_key_usage,
                          spec->server_auth && spec->client_auth ? "serverAuth,clientAuth"
                          : spec->server_auth                    ? "serverAuth"
                                                                 : "clientAuth"));
    }
    LATCH_TRY(add_san(x, spec));
    LATCH_TRY(add_ext(x, &v3, NID_subject_key_identifier, "hash"));
    if (issuer != NULL) {
        LATCH_TRY(add_ext(x, &v3, NID_authority_key_identifier, "keyid:always"));
    }
    LATCH_TRY(sign(x, issuer_key != NULL ? issuer_key : key));
    return LATCH_OK;
}

latch_err latch__mint(const latch_cert_spec *spec, X509 *issuer, EVP_PKEY *issuer_key, int64_t now, X509 **cert,
                      EVP_PKEY **key)
{
    int64_t nb = 0, na = 0;
    latch_err e;

    *cert = NULL;
    *key = NULL;
    LATCH_ENSURE(spec != NULL, LATCH_ERR_INVALID_ARGUMENT, "the certificate spec is NULL");
    LATCH_ENSURE((issuer == NULL) == (issuer_key == NULL), LATCH_ERR_INVALID_ARGUMENT,
                 "give both the issuer certificate and its key, or neither");
    LATCH_TRY(check_spec(spec, &nb, &na, now));
    LATCH_TRY(keygen(spec->key_type, key));
    *cert = X509_new();
    e = *cert != NULL ? build(*cert, spec, issuer, issuer_key, *key, nb, na)
                      : LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for a certificate");
    if (e != LATCH_OK) {
        X509_free(*cert);
        EVP_PKEY_free(*key);
        *cert = NULL;
        *key = NULL;
        ERR_clear_error();
        return latch__pass(e, __FILE__, __LINE__);
    }
    return LATCH_OK;
}

/* Copy a memory BIO's contents into buf as a C string. */
static latch_err bio_out(BIO *bio, char *buf, size_t cap, size_t *len, const char *what)
{
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);

    *len = 0;
    if (n < 0 || (size_t)n + 1 > cap) {
        if (cap > 0) {
            buf[0] = '\0';
        }
        return LATCH_FAIL(LATCH_ERR_BUFFER_TOO_SMALL, "the %s PEM needs %ld bytes, the buffer has %zu", what, n + 1,
                          cap);
    }
    memcpy(buf, data, (size_t)n);
    buf[n] = '\0';
    *len = (size_t)n;
    return LATCH_OK;
}

latch_err latch__mint_cert_pem(X509 *x, char *buf, size_t cap, size_t *len)
{
    BIO *bio = BIO_new(BIO_s_mem());
    latch_err e;

    *len = 0;
    if (bio == NULL || PEM_write_bio_X509(bio, x) != 1) {
        BIO_free(bio);
        ERR_clear_error();
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "cannot write a certificate as PEM");
    }
    e = bio_out(bio, buf, cap, len, "certificate");
    BIO_free(bio);
    LATCH_TRY(e);
    return LATCH_OK;
}

latch_err latch__mint_key_pem(EVP_PKEY *k, char *buf, size_t cap, size_t *len)
{
    /* The secure-heap BIO clears its buffer when freed. */
    BIO *bio = BIO_new(BIO_s_secmem());
    latch_err e;

    *len = 0;
    if (bio == NULL || PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL) != 1) {
        BIO_free(bio);
        ERR_clear_error();
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "cannot write a private key as PEM");
    }
    e = bio_out(bio, buf, cap, len, "private key");
    BIO_free(bio);
    LATCH_TRY(e);
    return LATCH_OK;
}

/* The first certificate of a PEM string. */
static latch_err issuer_cert(const char *pem, X509 **out)
{
    latch_pem_reader r;
    latch_pem_block blk;
    bool found;
    char why[160];

    *out = NULL;
    latch_pem_reader_init(&r, (const uint8_t *)pem, strlen(pem), "the issuer certificate");
    for (;;) {
        LATCH_TRY(latch_pem_next(&r, NULL, &blk, &found));
        LATCH_ENSURE(found, LATCH_ERR_PEM_DECODE, "the issuer certificate has no CERTIFICATE block");
        if (strcmp(blk.label, "CERTIFICATE") == 0) {
            break;
        }
        latch_pem_block_free(NULL, &blk);
    }
    *out = latch__der_cert(blk.der, blk.der_len, why, sizeof why);
    latch_pem_block_free(NULL, &blk);
    if (*out == NULL) {
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "the issuer certificate: %s", why);
    }
    return LATCH_OK;
}

latch_err latch_cert_mint(const latch_cert_spec *spec, const char *issuer_cert_pem, const char *issuer_key_pem,
                          char *cert_pem, size_t cert_cap, char *key_pem, size_t key_cap)
{
    X509 *issuer = NULL, *cert = NULL;
    EVP_PKEY *issuer_key = NULL, *key = NULL;
    size_t len;
    latch_err e;

    latch__err_clear();
    LATCH_ENSURE(cert_pem != NULL && key_pem != NULL && cert_cap > 0 && key_cap > 0, LATCH_ERR_INVALID_ARGUMENT,
                 "the output buffers are NULL or empty");
    cert_pem[0] = '\0';
    key_pem[0] = '\0';
    LATCH_ENSURE(spec != NULL, LATCH_ERR_INVALID_ARGUMENT, "the certificate spec is NULL");
    LATCH_ENSURE((issuer_cert_pem == NULL) == (issuer_key_pem == NULL), LATCH_ERR_INVALID_ARGUMENT,
                 "give both the issuer certificate and its key, or neither");
    if (issuer_cert_pem != NULL) {
        LATCH_TRY(issuer_cert(issuer_cert_pem, &issuer));
        e = latch__key_decode(NULL, (const uint8_t *)issuer_key_pem, strlen(issuer_key_pem), "the issuer key",
                              &issuer_key);
        if (e == LATCH_OK && EVP_PKEY_eq(X509_get0_pubkey(issuer), issuer_key) != 1) {
            e = LATCH_FAIL(LATCH_ERR_KEY_MISMATCH, "the issuer key does not match the issuer certificate");
        }
        if (e != LATCH_OK) {
            goto done;
        }
    }
    e = latch__mint(spec, issuer, issuer_key, (int64_t)time(NULL), &cert, &key);
    if (e == LATCH_OK) {
        e = latch__mint_cert_pem(cert, cert_pem, cert_cap, &len);
    }
    if (e == LATCH_OK) {
        e = latch__mint_key_pem(key, key_pem, key_cap, &len);
    }
    if (e != LATCH_OK) {
        cert_pem[0] = '\0';
        latch_wipe(key_pem, key_cap);
    }

done:
    X509_free(issuer);
    X509_free(cert);
    EVP_PKEY_free(issuer_key);
    EVP_PKEY_free(key);
    ERR_clear_error();
    LATCH_TRY(e);
    return LATCH_OK;
}
