/* DER certificates through libcrypto. See der.h. */
#include "x509/der.h"

#include <openssl/err.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char *latch__ossl_why(char *buf, size_t cap, const char *fallback)
{
    unsigned long e = ERR_peek_last_error();
    const char *reason = e != 0 ? ERR_reason_error_string(e) : NULL;

    snprintf(buf, cap, "%s", reason != NULL ? reason : fallback);
    ERR_clear_error();
    return buf;
}

X509 *latch__der_cert(const uint8_t *der, size_t len, char *why, size_t cap)
{
    const unsigned char *p = der;
    X509 *x;

    if (len == 0) {
        snprintf(why, cap, "it is empty");
        return NULL;
    }
    if (len > LATCH_CERT_MAX_LEN) {
        snprintf(why, cap, "it is %zu bytes long, more than the limit of %u", len, LATCH_CERT_MAX_LEN);
        return NULL;
    }
    /* libcrypto's d2i takes a long length; len is bounded above. */
    x = d2i_X509(NULL, &p, (long)len);
    if (x == NULL) {
        char reason[96];

        snprintf(why, cap, "not a DER X.509 certificate (%s)", latch__ossl_why(reason, sizeof reason, "malformed"));
        return NULL;
    }
    if ((size_t)(p - der) != len) {
        snprintf(why, cap, "%zu trailing bytes after the certificate", len - (size_t)(p - der));
        X509_free(x);
        return NULL;
    }
    return x;
}

bool latch__der_name(const X509_NAME *name, const uint8_t **der, size_t *len)
{
    const unsigned char *p = NULL;
    size_t n = 0;

    *der = NULL;
    *len = 0;
    if (name == NULL || X509_NAME_get0_der(name, &p, &n) != 1) {
        ERR_clear_error();
        return false;
    }
    *der = p;
    *len = n;
    return true;
}

/* ---- A certificate's shape ------------------------------------------------------ */

/* DER tags (X.690 §8.1.2): universal INTEGER, BIT STRING, SEQUENCE; context-specific [n]. */
#define TAG_INTEGER 0x02
#define TAG_BIT_STRING 0x03
#define TAG_SEQUENCE 0x30
#define TAG_CTX_CONSTRUCTED 0xA0
#define TAG_CTX_PRIMITIVE 0x80

/* The tag of the next element, without consuming it; 0 at the end. */
static uint8_t peek_tag(const latch_rd *r)
{
    latch_rd tmp = *r;
    uint8_t tag;

    return latch_rd_u8(&tmp, &tag) == LATCH_OK ? tag : 0;
}

/*
 * One element with tag `tag` (X.690 §8.1): its contents into *content and,
 * if whole is not NULL, the whole element (tag, length and contents) into
 * *whole. Definite lengths of up to three bytes (a certificate is at most
 * 64 KiB); the indefinite form (0x80) is BER, not DER.
 */
static bool element(latch_rd *r, uint8_t tag, latch_rd *content, latch_rd *whole)
{
    latch_rd start = *r;
    uint8_t got, first;
    size_t len = 0;

    if (latch_rd_u8(r, &got) != LATCH_OK || got != tag || latch_rd_u8(r, &first) != LATCH_OK) {
        return false;
    }
    if (first < 0x80) {
        len = first;
    } else {
        size_t nbytes = first & 0x7Fu;

        if (nbytes == 0 || nbytes > 3) {
            return false;
        }
        for (size_t i = 0; i < nbytes; i++) {
            uint8_t b;

            if (latch_rd_u8(r, &b) != LATCH_OK) {
                return false;
            }
            len = (len << 8) | b;
        }
    }
    if (latch_rd_bytes(r, len, content) != LATCH_OK) {
        return false;
    }
    return whole == NULL || latch_rd_bytes(&start, start.len - r->len, whole) == LATCH_OK;
}

/*
 * RFC 5280 §4.1:
 *   Certificate ::= SEQUENCE { tbsCertificate TBSCertificate,
 *        signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1,
 *        serialNumber CertificateSerialNumber, signature AlgorithmIdentifier,
 *        issuer Name, validity Validity, subject Name,
 *        subjectPublicKeyInfo SubjectPublicKeyInfo,
 *        issuerUniqueID [1] IMPLICIT UniqueIdentifier OPTIONAL,
 *        subjectUniqueID [2] IMPLICIT UniqueIdentifier OPTIONAL,
 *        extensions [3] EXPLICIT Extensions OPTIONAL }
 */
bool latch__der_cert_view(const uint8_t *der, size_t len, latch_cert_view *v)
{
    latch_rd r = latch_rd_make(der, len), cert, tbs, skip;

    memset(v, 0, sizeof *v);
    if (!element(&r, TAG_SEQUENCE, &cert, NULL) || !latch_rd_empty(&r)) {
        return false;
    }
    if (!element(&cert, TAG_SEQUENCE, &tbs, NULL) || !element(&cert, TAG_SEQUENCE, &skip, NULL) ||
        !element(&cert, TAG_BIT_STRING, &skip, NULL) || !latch_rd_empty(&cert)) {
        return false;
    }
    if (peek_tag(&tbs) == TAG_CTX_CONSTRUCTED && !element(&tbs, TAG_CTX_CONSTRUCTED, &skip, NULL)) {
        return false;
    }
    if (!element(&tbs, TAG_INTEGER, &skip, NULL) || !element(&tbs, TAG_SEQUENCE, &skip, NULL) ||
        !element(&tbs, TAG_SEQUENCE, &skip, &v->issuer) || !element(&tbs, TAG_SEQUENCE, &skip, NULL) ||
        !element(&tbs, TAG_SEQUENCE, &skip, &v->subject) || !element(&tbs, TAG_SEQUENCE, &skip, NULL)) {
        memset(v, 0, sizeof *v);
        return false;
    }
    /* [1] and [2] are IMPLICIT BIT STRINGs (primitive in DER), [3] EXPLICIT. */
    for (uint8_t n = 1; n <= 3; n++) {
        uint8_t prim = (uint8_t)(TAG_CTX_PRIMITIVE | n), cons = (uint8_t)(TAG_CTX_CONSTRUCTED | n);
        uint8_t t = peek_tag(&tbs);

        if ((t == prim && n != 3 && !element(&tbs, prim, &skip, NULL)) ||
            (t == cons && !element(&tbs, cons, &skip, NULL))) {
            memset(v, 0, sizeof *v);
            return false;
        }
    }
    if (!latch_rd_empty(&tbs)) {
        memset(v, 0, sizeof *v);
        return false;
    }
    return true;
}

/* ---- Validity ---------------------------------------------------------------- */

static bool epoch_of(const ASN1_TIME *t, int64_t *out)
{
    struct tm tm;
    time_t s;

    /* ASN1_TIME_to_tm(NULL, ...) would give the current time. */
    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
        ERR_clear_error();
        return false;
    }
    s = timegm(&tm);
    if (s == (time_t)-1) {
        return false; /* an error, or one second before the epoch: either way, no answer */
    }
    *out = (int64_t)s;
    return true;
}

bool latch__cert_times(const X509 *x, int64_t *not_before, int64_t *not_after)
{
    return x != NULL && epoch_of(X509_get0_notBefore(x), not_before) && epoch_of(X509_get0_notAfter(x), not_after);
}

bool latch__cert_window(const X509 *x, int64_t now, int64_t *lo, int64_t *hi)
{
    int64_t nb, na;

    if (!latch__cert_times(x, &nb, &na)) {
        return false;
    }
    if (now > nb && now < na) {
        *lo = nb > *lo ? nb : *lo;
        *hi = na < *hi ? na : *hi;
    } else if (now < nb) {
        *hi = nb < *hi ? nb : *hi;
    } else if (now > na) {
        *lo = na > *lo ? na : *lo;
    } else {
        return false;
    }
    return true;
}
