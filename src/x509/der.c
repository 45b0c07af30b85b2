/* DER certificates through libcrypto. See der.h. */
#include "x509/der.h"

#include <openssl/err.h>
#include <stdio.h>
#include <string.h>

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
