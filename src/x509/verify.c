/*
 * The peer's chain: parsing and verification. See verify.h.
 *
 * Path building and RFC 5280 §6 validation are libcrypto's
 * (X509_verify_cert); latch chooses the parameters (time, purpose, depth,
 * name, security level) and turns libcrypto's verdict into the most specific
 * latch code with a sentence that names the certificate and the reason.
 *
 * Most of a client's handshake used to go into d2i_X509 (OpenSSL 3.0 decodes
 * each certificate's public key through its decoder framework) and
 * X509_verify_cert. So certificates are decoded only when something needs
 * them, a certificate that is byte for byte a trust anchor is not decoded at
 * all, and a chain the trust store has verified before is taken from there
 * (trust.h) without either.
 */
#include "x509/verify.h"

#include "core/alloc.h"
#include "core/err.h"
#include "provider/ossl/ossl.h"
#include "x509/der.h"
#include "x509/key.h"
#include "x509/name.h"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* libcrypto security level for peer chains: 112-bit keys and signatures
 * (RSA >= 2048, no SHA-1 or MD5 signatures below the anchor). */
#define LATCH_VERIFY_AUTH_LEVEL 2

/*
 * One block from the allocator: this struct, then the arrays x, off and len
 * (n entries each), then the certificates' bytes.
 */
struct latch_peer {
    latch_allocator alloc;
    size_t block; /* its size */
    size_t n;
    /* The certificates as libcrypto objects, made on first use (a peer whose
     * chain is found among the trust store's verified chains never decodes
     * them), or the trust store's own object for one that is an anchor. */
    X509 **x;
    size_t *off, *len;
    uint8_t *der; /* the certificates as sent, back to back */
    size_t der_total;
    STACK_OF(X509) *path; /* the validated path, after a successful verify */
    bool verified;
    bool info_known; /* info describes x[0]'s key */
    latch_pkey_info info;
};

void latch_peer_free(latch_peer *p)
{
    latch_allocator a;

    if (p == NULL) {
        return;
    }
    for (size_t i = 0; i < p->n; i++) {
        X509_free(p->x[i]);
    }
    sk_X509_pop_free(p->path, X509_free);
    a = p->alloc;
    latch__free(&a, p, p->block);
}

/* The leaf's public key must be one libcrypto can use (RFC 8446 §4.4.2.2: it signs CertificateVerify). */
static latch_err check_leaf_key(const latch_peer *p)
{
    char subject[96], reason[96];

    if (X509_get0_pubkey(p->x[0]) != NULL) {
        return LATCH_OK;
    }
    latch__name_primary(p->x[0], subject, sizeof subject);
    return LATCH_FAIL(LATCH_ERR_CERT_UNSUPPORTED, "the public key of the peer's certificate '%s' cannot be used (%s)",
                      subject, latch__ossl_why(reason, sizeof reason, "unknown algorithm"));
}

/*
 * Certificate i decoded, on first use. Readers see the peer as const;
 * decoding it once changes nothing they can observe (a latch_peer is used by
 * one thread at a time).
 */
static latch_err decoded(const latch_peer *cp, size_t i, X509 **out)
{
    latch_peer *p = (latch_peer *)(uintptr_t)cp;
    char why[160];

    if (p->x[i] == NULL) {
        p->x[i] = latch__der_cert(p->der + p->off[i], p->len[i], why, sizeof why);
        if (p->x[i] == NULL) {
            return LATCH_FAIL(LATCH_ERR_CERT_BAD, "certificate %zu of the peer's chain: %s", i, why);
        }
    }
    *out = p->x[i];
    return LATCH_OK;
}

/* The inputs' sizes, checked; their sum into *total. */
static latch_err check_sizes(const uint8_t *const *der, const size_t *der_len, size_t n, size_t *total)
{
    *total = 0;
    for (size_t i = 0; i < n; i++) {
        LATCH_ENSURE(der[i] != NULL || der_len[i] == 0, LATCH_ERR_INVALID_ARGUMENT, "a certificate pointer is NULL");
        if (der_len[i] == 0) {
            /* RFC 8446 §4.4.2: opaque cert_data<1..2^24-1>. */
            return LATCH_FAIL(LATCH_ERR_DECODE, "certificate %zu of the peer's chain is empty", i);
        }
        if (der_len[i] > LATCH_CERT_MAX_LEN) {
            return LATCH_FAIL(LATCH_ERR_CERT_TOO_LARGE,
                              "certificate %zu of the peer's chain is %zu bytes long, more than the limit of %u", i,
                              der_len[i], LATCH_CERT_MAX_LEN);
        }
        *total += der_len[i];
    }
    return LATCH_OK;
}

static latch_err parse_all(latch_peer *p, const uint8_t *const *der, const size_t *der_len)
{
    size_t at = 0;

    for (size_t i = 0; i < p->n; i++) {
        memcpy(p->der + at, der[i], der_len[i]);
        p->off[i] = at;
        p->len[i] = der_len[i];
        at += der_len[i];
    }
    /*
     * Decoding waits until something needs it (d2i_X509 decodes the public
     * key through libcrypto's decoder framework, about 100 us a certificate
     * with OpenSSL 3.0). A certificate that does not even have the shape of
     * one is refused now, with libcrypto's reason; one that has the shape
     * but that libcrypto refuses is refused by latch_peer_verify (or gives no
     * key), with the same code and detail.
     */
    for (size_t i = 0; i < p->n; i++) {
        latch_cert_view v;
        X509 *x;

        if (!latch__der_cert_view(p->der + p->off[i], p->len[i], &v)) {
            LATCH_TRY(decoded(p, i, &x));
        }
    }
    if (p->x[0] != NULL) {
        LATCH_TRY(check_leaf_key(p));
    }
    return LATCH_OK;
}

latch_err latch_peer_new_ex(const latch_allocator *a, const uint8_t *const *der, const size_t *der_len, size_t n,
                            latch_peer **out)
{
    size_t total, block;
    latch_peer *p;
    uint8_t *mem;
    latch_err e;

    LATCH_ENSURE(out != NULL, LATCH_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    LATCH_ENSURE(n == 0 || (der != NULL && der_len != NULL), LATCH_ERR_INVALID_ARGUMENT,
                 "the certificate arrays are NULL");
    LATCH_ENSURE(n > 0, LATCH_ERR_DECODE, "the peer's certificate chain is empty");
    if (n > LATCH_PEER_MAX_CERTS) {
        return LATCH_FAIL(LATCH_ERR_CERT_CHAIN_TOO_LONG, "the peer sent %zu certificates, more than the limit of %d",
                          n, LATCH_PEER_MAX_CERTS);
    }
    LATCH_TRY(check_sizes(der, der_len, n, &total));
    if (a == NULL) {
        a = latch__default_allocator();
    }
    /* At most 32 certificates of 64 KiB each: no overflow. Every part is size_t-aligned. */
    block = sizeof *p + n * (sizeof *p->x + sizeof *p->off + sizeof *p->len) + total;
    p = latch__alloc(a, block);
    LATCH_ENSURE(p != NULL, LATCH_ERR_NO_MEMORY, "no memory for the peer's chain");
    mem = (uint8_t *)(p + 1);
    p->alloc = *a;
    p->block = block;
    p->n = n;
    p->x = (X509 **)(void *)mem;
    p->off = (size_t *)(void *)(mem + n * sizeof *p->x);
    p->len = p->off + n;
    p->der = (uint8_t *)(p->len + n);
    p->der_total = total;
    e = parse_all(p, der, der_len);
    if (e != LATCH_OK) {
        latch_peer_free(p);
        return latch__pass(e, __FILE__, __LINE__);
    }
    *out = p;
    return LATCH_OK;
}

latch_err latch_peer_new(const uint8_t *const *der, const size_t *der_len, size_t n, latch_peer **out)
{
    return latch_peer_new_ex(NULL, der, der_len, n, out);
}

/* ---- Verification ------------------------------------------------------- */

static void fmt_time(time_t t, char *buf, size_t cap)
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL || strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0) {
        snprintf(buf, cap, "%lld", (long long)t);
    }
}

static void fmt_asn1_time(const ASN1_TIME *at, char *buf, size_t cap)
{
    struct tm tm;

    if (at == NULL || ASN1_TIME_to_tm(at, &tm) != 1 || strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0) {
        snprintf(buf, cap, "(unreadable time)");
    }
}

/* A DN for a detail sentence: truncated, never failing. */
static void dn_short(const X509_NAME *name, char *buf, size_t cap)
{
    latch_err e = latch__name_dn(name, buf, cap);

    if (e == LATCH_ERR_BUFFER_TOO_SMALL && cap > 4) {
        memcpy(buf + cap - 4, "...", 4);
    } else if (e != LATCH_OK && cap > 0) {
        buf[0] = '\0';
    }
}

/* libcrypto's verification error -> the most specific latch code. */
static latch_err map_code(int err)
{
    switch (err) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
    case X509_V_ERR_PATH_LOOP: return LATCH_ERR_CERT_UNKNOWN_CA;
    case X509_V_ERR_CERT_HAS_EXPIRED: return LATCH_ERR_CERT_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID: return LATCH_ERR_CERT_NOT_YET_VALID;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
    case X509_V_ERR_EMAIL_MISMATCH: return LATCH_ERR_CERT_NAME_MISMATCH;
    case X509_V_ERR_INVALID_PURPOSE:
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_INVALID_NON_CA:
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
    case X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED:
    case X509_V_ERR_PROXY_CERTIFICATES_NOT_ALLOWED:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
    case X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE:
    case X509_V_ERR_PERMITTED_VIOLATION:
    case X509_V_ERR_EXCLUDED_VIOLATION:
    case X509_V_ERR_NO_EXPLICIT_POLICY:
    case X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA:
    case X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA:
    case X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN: return LATCH_ERR_CERT_BAD_USAGE;
    case X509_V_ERR_CERT_CHAIN_TOO_LONG: return LATCH_ERR_CERT_CHAIN_TOO_LONG;
    case X509_V_ERR_CERT_REVOKED: return LATCH_ERR_CERT_REVOKED;
    case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
    case X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE:
    case X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE:
    case X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX:
    case X509_V_ERR_UNSUPPORTED_NAME_SYNTAX:
    case X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM:
    case X509_V_ERR_EE_KEY_TOO_SMALL:
    case X509_V_ERR_CA_KEY_TOO_SMALL:
    case X509_V_ERR_CA_MD_TOO_WEAK:
    case X509_V_ERR_EC_KEY_EXPLICIT_PARAMS: return LATCH_ERR_CERT_UNSUPPORTED;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
    case X509_V_ERR_NO_ISSUER_PUBLIC_KEY:
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
    case X509_V_ERR_INVALID_EXTENSION:
    case X509_V_ERR_INVALID_POLICY_EXTENSION:
    case X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH:
    case X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY:
    case X509_V_ERR_AKID_SKID_MISMATCH:
    case X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH:
    case X509_V_ERR_ISSUER_NAME_EMPTY:
    case X509_V_ERR_EMPTY_SUBJECT_ALT_NAME:
    case X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3: return LATCH_ERR_CERT_BAD;
    case X509_V_ERR_OUT_OF_MEM: return LATCH_ERR_NO_MEMORY;
    default: return LATCH_ERR_CERT_UNKNOWN;
    }
}

/* Turn a libcrypto failure into a latch error with a detail sentence. */
static latch_err fail(X509_STORE_CTX *ctx, const latch_peer *p, const latch_verify_params *vp, int64_t now)
{
    int err = X509_STORE_CTX_get_error(ctx);
    int depth = X509_STORE_CTX_get_error_depth(ctx);
    X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
    latch_err code = map_code(err);
    const char *role = vp->client_cert ? "client" : "server";
    char subject[80], issuer[80], when[40], at[40];

    if (cur == NULL) {
        cur = p->x[0];
    }
    dn_short(X509_get_subject_name(cur), subject, sizeof subject);
    dn_short(X509_get_issuer_name(cur), issuer, sizeof issuer);
    fmt_time((time_t)now, at, sizeof at);

    switch (err) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH: {
        char primary[64], sans[96];

        latch__name_primary(p->x[0], primary, sizeof primary);
        if (latch__name_sans(p->x[0], sans, sizeof sans) == LATCH_ERR_BUFFER_TOO_SMALL) {
            memcpy(sans + sizeof sans - 4, "...", 4);
        }
        return LATCH_FAIL(code, "certificate for '%s' (SANs: %s) does not match the requested name '%.60s'", primary,
                          sans[0] != '\0' ? sans : "none", vp->host);
    }
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return LATCH_FAIL(code, "certificate '%s' was issued by '%s', which is neither a trust anchor nor in the chain",
                          subject, issuer);
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        return LATCH_FAIL(code, "certificate '%s' is self-signed and is not a trust anchor", subject);
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return LATCH_FAIL(code, "the chain ends at the self-signed certificate '%s', which is not a trust anchor",
                          subject);
    case X509_V_ERR_CERT_HAS_EXPIRED:
        fmt_asn1_time(X509_get0_notAfter(cur), when, sizeof when);
        return LATCH_FAIL(code, "certificate '%s' expired at %s (the time is %s)", subject, when, at);
    case X509_V_ERR_CERT_NOT_YET_VALID:
        fmt_asn1_time(X509_get0_notBefore(cur), when, sizeof when);
        return LATCH_FAIL(code, "certificate '%s' is not valid before %s (the time is %s)", subject, when, at);
    case X509_V_ERR_INVALID_PURPOSE:
        if (depth == 0) {
            return LATCH_FAIL(code,
                              "certificate '%s' is not valid for TLS %s authentication (its extendedKeyUsage or "
                              "keyUsage forbid it)",
                              subject, role);
        }
        return LATCH_FAIL(code, "CA certificate '%s' may not issue TLS %s certificates (its extendedKeyUsage forbids it)",
                          subject, role);
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA:
        if ((X509_get_extension_flags(cur) & EXFLAG_CA) == 0) {
            return LATCH_FAIL(code, "certificate '%s' issued another certificate but is not a CA (basicConstraints)",
                              subject);
        }
        if ((X509_get_key_usage(cur) & KU_KEY_CERT_SIGN) == 0) {
            return LATCH_FAIL(code, "certificate '%s' issued another certificate but its keyUsage lacks keyCertSign",
                              subject);
        }
        return LATCH_FAIL(code, "certificate '%s' is not a valid CA certificate", subject);
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
        return LATCH_FAIL(code, "certificate '%s' issued another certificate but its keyUsage lacks keyCertSign",
                          subject);
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
        return LATCH_FAIL(code, "the pathLenConstraint of CA certificate '%s' is exceeded", subject);
    case X509_V_ERR_CERT_CHAIN_TOO_LONG:
        return LATCH_FAIL(code, "the path to a trust anchor is longer than %u certificates (at '%s')",
                          vp->max_depth != 0 ? vp->max_depth : LATCH_VERIFY_DEFAULT_DEPTH, subject);
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        return LATCH_FAIL(code, "the signature on certificate '%s' by '%s' is invalid", subject, issuer);
    case X509_V_ERR_EE_KEY_TOO_SMALL:
    case X509_V_ERR_CA_KEY_TOO_SMALL:
        return LATCH_FAIL(code, "the key of certificate '%s' is too weak (less than 112-bit security)", subject);
    case X509_V_ERR_CA_MD_TOO_WEAK:
        return LATCH_FAIL(code, "certificate '%s' is signed with a weak digest (SHA-1 or MD5)", subject);
    default:
        return LATCH_FAIL(code, "certificate '%s' (depth %d): %s", subject, depth,
                          X509_verify_cert_error_string(err));
    }
}

/* RFC 8446 §4.4.2.2: "the certificate MUST allow the key to be used for
 * signing (i.e., the digitalSignature bit MUST be set if the Key Usage
 * extension is present)". libcrypto's SSL purposes also accept a leaf that
 * only allows key encipherment (TLS 1.2 RSA key transport). */
static latch_err check_leaf_signing(const latch_peer *p, const latch_verify_params *vp)
{
    uint32_t ku = X509_get_key_usage(p->x[0]);
    char subject[80];

    if (ku == UINT32_MAX || (ku & KU_DIGITAL_SIGNATURE) != 0) {
        return LATCH_OK; /* no keyUsage extension, or signing allowed */
    }
    if (vp->allow_key_encipherment_only && (ku & KU_KEY_ENCIPHERMENT) != 0) {
        return LATCH_OK;
    }
    dn_short(X509_get_subject_name(p->x[0]), subject, sizeof subject);
    return LATCH_FAIL(LATCH_ERR_CERT_BAD_USAGE, "the keyUsage of certificate '%s' does not allow digitalSignature",
                      subject);
}

static latch_err setup(X509_STORE_CTX *ctx, const latch_verify_params *vp, unsigned max_depth)
{
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    int purpose = vp->client_cert ? X509_PURPOSE_SSL_CLIENT : X509_PURPOSE_SSL_SERVER;
    char host[LATCH_HOST_MAX + 1];
    bool is_ip = false;
    int ok;

    if (vp->host != NULL) {
        LATCH_TRY(latch__name_host(vp->host, host, &is_ip));
    }

    X509_VERIFY_PARAM_set_time(param, (time_t)vp->now);
    /* libcrypto's depth counts the intermediates only: the leaf and the
     * anchor do not count. Paths shorter than 2 are checked afterwards. */
    X509_VERIFY_PARAM_set_depth(param, max_depth >= 2 ? (int)(max_depth - 2) : 0);
    X509_VERIFY_PARAM_set_auth_level(param, LATCH_VERIFY_AUTH_LEVEL);
    X509_VERIFY_PARAM_set_hostflags(param, LATCH_X509_HOST_FLAGS);
    ok = X509_STORE_CTX_set_purpose(ctx, purpose) == 1 &&
         X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN) == 1;
    if (ok && vp->host != NULL) {
        ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host) == 1 : X509_VERIFY_PARAM_set1_host(param, host, 0) == 1;
    }
    if (!ok) {
        char reason[96];

        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "cannot set up verification for '%.60s' (%s)",
                          vp->host != NULL ? vp->host : "", latch__ossl_why(reason, sizeof reason, "bad parameter"));
    }
    return LATCH_OK;
}

/* Every certificate decoded (one that is byte for byte a trust anchor is the anchor's object), the leaf's key usable. */
static latch_err decode_all(latch_peer *p, const latch_trust *t)
{
    for (size_t i = 0; i < p->n; i++) {
        X509 *x;

        if (p->x[i] == NULL) {
            p->x[i] = latch__trust_anchor_by_der(t, p->der + p->off[i], p->len[i]);
        }
        LATCH_TRY(decoded(p, i, &x));
    }
    LATCH_TRY(check_leaf_key(p));
    return LATCH_OK;
}

/* libcrypto's verification of the decoded chain (the path building and RFC 5280 §6 checks). */
static latch_err full_verify(latch_peer *p, const latch_trust *t, const latch_verify_params *vp, unsigned max_depth)
{
    STACK_OF(X509) *untrusted = NULL;
    X509_STORE_CTX *ctx = NULL;
    latch_err e = LATCH_OK;

    untrusted = sk_X509_new_null();
    ctx = X509_STORE_CTX_new();
    if (untrusted == NULL || ctx == NULL) {
        e = LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory to verify a chain");
        goto done;
    }
    for (size_t i = 1; i < p->n; i++) {
        if (sk_X509_push(untrusted, p->x[i]) <= 0) {
            e = LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory to verify a chain");
            goto done;
        }
    }
    if (X509_STORE_CTX_init(ctx, latch__trust_store(t), p->x[0], untrusted) != 1) {
        e = LATCH_FAIL(LATCH_ERR_NO_MEMORY, "cannot initialise an X509_STORE_CTX");
        goto done;
    }
    e = setup(ctx, vp, max_depth);
    if (e != LATCH_OK) {
        goto done;
    }
    if (X509_verify_cert(ctx) != 1) {
        e = fail(ctx, p, vp, vp->now);
        goto done;
    }
    p->path = X509_STORE_CTX_get1_chain(ctx);
    if (p->path == NULL) {
        e = LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for the validated path");
        goto done;
    }
    if ((size_t)sk_X509_num(p->path) > max_depth) {
        e = LATCH_FAIL(LATCH_ERR_CERT_CHAIN_TOO_LONG, "the path to a trust anchor has %d certificates, more than %u",
                       sk_X509_num(p->path), max_depth);
        goto done;
    }
    e = check_leaf_signing(p, vp);

done:
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted); /* the certificates belong to p */
    return e;
}

/*
 * The name check X509_verify_cert makes (with the parameters setup() gives
 * it), on a leaf from the trust store's verified chains.
 */
static bool leaf_matches(X509 *leaf, const char *host)
{
    char canon[LATCH_HOST_MAX + 1];
    bool is_ip;
    int r;

    if (latch__name_host(host, canon, &is_ip) != LATCH_OK) {
        latch__err_clear();
        return false;
    }
    if (is_ip) {
        r = X509_check_ip_asc(leaf, canon, 0);
    } else {
        r = X509_check_host(leaf, canon, strlen(canon), LATCH_X509_HOST_FLAGS, NULL);
    }
    ERR_clear_error();
    return r == 1;
}

/*
 * A chain the trust store verified before (trust.h says when that counts):
 * the leaf and the path come from there. Anything short of a full match (the
 * name included) is answered by a full verification instead, which also
 * gives the exact error.
 */
static bool verified_before(latch_peer *p, const latch_trust *t, const latch_verify_params *vp,
                            const latch_cache_key *k)
{
    X509 *leaf = NULL;
    STACK_OF(X509) *path = NULL;
    latch_pkey_info info;

    if (!latch__trust_cache_get(t, k, vp->now, &leaf, &path, &info)) {
        return false;
    }
    if (vp->host != NULL && !leaf_matches(leaf, vp->host)) {
        X509_free(leaf);
        sk_X509_pop_free(path, X509_free);
        return false;
    }
    if (p->x[0] == NULL) {
        p->x[0] = leaf; /* the same bytes, decoded once for every connection */
    } else {
        X509_free(leaf);
    }
    p->path = path;
    p->info = info;
    p->info_known = true;
    return true;
}

/*
 * Remember a chain that verified, for the times around vp->now at which
 * every certificate path building could have looked at (the ones sent and
 * the anchors) is as valid or invalid as now: within them, a full
 * verification would decide the same.
 */
static void remember(latch_peer *p, const latch_trust *t, const latch_verify_params *vp, const latch_cache_key *k)
{
    int64_t lo = INT64_MIN, hi = INT64_MAX;

    for (size_t i = 0; i < p->n; i++) {
        if (!latch__cert_window(p->x[i], vp->now, &lo, &hi)) {
            return;
        }
    }
    if (!latch__trust_window(t, vp->now, &lo, &hi) || !(lo < vp->now && vp->now < hi)) {
        return;
    }
    latch__trust_cache_put(t, k, lo, hi, p->x[0], p->path, latch_peer_key_info(p));
}

latch_err latch_peer_verify(latch_peer *p, const latch_trust *t, const latch_verify_params *vp)
{
    unsigned max_depth;
    latch_cache_key key;
    latch_err e;

    LATCH_ENSURE(p != NULL && t != NULL && vp != NULL, LATCH_ERR_INVALID_ARGUMENT,
                 "the peer, the trust store or the parameters are NULL");
    LATCH_ENSURE(vp->now != 0, LATCH_ERR_INVALID_ARGUMENT, "the verification time (now) is not set");
    LATCH_ENSURE(vp->host == NULL || vp->host[0] != '\0', LATCH_ERR_INVALID_ARGUMENT,
                 "the host to check is empty (use NULL for no name check)");
    p->verified = false;
    sk_X509_pop_free(p->path, X509_free);
    p->path = NULL;
    max_depth = vp->max_depth != 0 ? vp->max_depth : LATCH_VERIFY_DEFAULT_DEPTH;

    key.der = p->der;
    key.der_len = p->der_total;
    key.lens = p->len;
    key.n = p->n;
    key.client_cert = vp->client_cert;
    key.allow_key_encipherment_only = vp->allow_key_encipherment_only;
    key.max_depth = max_depth;
    if (verified_before(p, t, vp, &key)) {
        p->verified = true;
        return LATCH_OK;
    }

    e = decode_all(p, t);
    if (e == LATCH_OK) {
        e = full_verify(p, t, vp, max_depth);
    }
    if (e == LATCH_OK) {
        p->verified = true;
        remember(p, t, vp, &key);
    } else {
        sk_X509_pop_free(p->path, X509_free);
        p->path = NULL;
    }
    ERR_clear_error();
    return e;
}

/* ---- Accessors ------------------------------------------------------------ */

bool latch_peer_verified(const latch_peer *p)
{
    return p != NULL && p->verified;
}

const latch_pkey *latch_peer_key(const latch_peer *p)
{
    X509 *x = NULL;

    if (p == NULL) {
        return NULL;
    }
    if (p->x[0] == NULL && decoded(p, 0, &x) != LATCH_OK) {
        latch__err_clear(); /* no key: the caller reports what it was for */
        return NULL;
    }
    return latch__pkey(X509_get0_pubkey(p->x[0]));
}

latch_pkey_info latch_peer_key_info(const latch_peer *p)
{
    latch_peer *mp = (latch_peer *)(uintptr_t)p;
    latch_pkey_info info = {0, 0, 0};

    if (p == NULL) {
        return info;
    }
    if (!p->info_known) {
        if (latch__ossl_pkey_info(latch_peer_key(p), &mp->info) != LATCH_OK) {
            memset(&mp->info, 0, sizeof mp->info);
        }
        ERR_clear_error();
        mp->info_known = p->x[0] != NULL;
    }
    return p->info;
}

size_t latch_peer_count(const latch_peer *p)
{
    return p != NULL ? p->n : 0;
}

latch_rd latch_peer_der(const latch_peer *p, size_t i)
{
    if (p == NULL || i >= p->n) {
        return latch_rd_make(NULL, 0);
    }
    return latch_rd_make(p->der + p->off[i], p->len[i]);
}

static latch_err check_index(const latch_peer *p, size_t i, char *buf, size_t cap)
{
    LATCH_ENSURE(buf != NULL && cap > 0, LATCH_ERR_INVALID_ARGUMENT, "the output buffer is NULL or empty");
    buf[0] = '\0';
    LATCH_ENSURE(p != NULL && i < p->n, LATCH_ERR_INVALID_ARGUMENT, "no peer certificate at that index");
    return LATCH_OK;
}

/*
 * The subject or issuer of certificate i as text. Without decoding the
 * whole certificate when it has not been yet: the Name alone (d2i_X509_NAME,
 * the same decoder d2i_X509 uses for it), so that describing a peer costs
 * little.
 */
static latch_err name_text(const latch_peer *p, size_t i, bool subject, char *buf, size_t cap)
{
    latch_cert_view v;
    X509 *x = NULL;

    LATCH_TRY(check_index(p, i, buf, cap));
    if (p->x[i] == NULL && latch__der_cert_view(p->der + p->off[i], p->len[i], &v)) {
        latch_rd der = subject ? v.subject : v.issuer;
        const unsigned char *q = der.p;
        X509_NAME *name = d2i_X509_NAME(NULL, &q, (long)der.len);

        if (name != NULL && q == der.p + der.len) {
            latch_err e = latch__name_dn(name, buf, cap);

            X509_NAME_free(name);
            LATCH_TRY(e);
            return LATCH_OK;
        }
        X509_NAME_free(name);
        ERR_clear_error(); /* let the whole certificate's decoding give the reason */
    }
    LATCH_TRY(decoded(p, i, &x));
    LATCH_TRY(latch__name_dn(subject ? X509_get_subject_name(x) : X509_get_issuer_name(x), buf, cap));
    return LATCH_OK;
}

latch_err latch_peer_subject(const latch_peer *p, size_t i, char *buf, size_t cap)
{
    LATCH_TRY(name_text(p, i, true, buf, cap));
    return LATCH_OK;
}

latch_err latch_peer_issuer(const latch_peer *p, size_t i, char *buf, size_t cap)
{
    LATCH_TRY(name_text(p, i, false, buf, cap));
    return LATCH_OK;
}

latch_err latch_peer_sans(const latch_peer *p, size_t i, char *buf, size_t cap)
{
    X509 *x = NULL;

    LATCH_TRY(check_index(p, i, buf, cap));
    LATCH_TRY(decoded(p, i, &x));
    LATCH_TRY(latch__name_sans(x, buf, cap));
    return LATCH_OK;
}

size_t latch_peer_path_count(const latch_peer *p)
{
    return (p != NULL && p->path != NULL) ? (size_t)sk_X509_num(p->path) : 0;
}

latch_err latch_peer_path_subject(const latch_peer *p, size_t i, char *buf, size_t cap)
{
    LATCH_ENSURE(buf != NULL && cap > 0, LATCH_ERR_INVALID_ARGUMENT, "the output buffer is NULL or empty");
    buf[0] = '\0';
    LATCH_ENSURE(i < latch_peer_path_count(p), LATCH_ERR_INVALID_ARGUMENT, "no path certificate at that index");
    LATCH_TRY(latch__name_dn(X509_get_subject_name(sk_X509_value(p->path, (int)i)), buf, cap));
    return LATCH_OK;
}
