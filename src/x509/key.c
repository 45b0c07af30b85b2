/* Private keys. See key.h. */
#include "x509/key.h"

#include "core/err.h"
#include "provider/ossl/ossl.h"
#include "x509/der.h"
#include "x509/pem.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

typedef enum key_form { FORM_PKCS8, FORM_RSA, FORM_EC, FORM_AUTO } key_form;

/* Decode exactly one DER key of the given form; NULL with why on failure. */
static EVP_PKEY *der_key(key_form form, const uint8_t *der, size_t len, char *why, size_t cap)
{
    const unsigned char *p = der;
    EVP_PKEY *pk = NULL;
    char reason[96];

    if (len == 0 || len > LATCH_CERT_MAX_LEN) {
        snprintf(why, cap, "a key of %zu bytes", len);
        return NULL;
    }
    switch (form) {
    case FORM_PKCS8: {
        /* RFC 5958 OneAsymmetricKey (PrivateKeyInfo). */
        PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);

        if (p8 != NULL) {
            pk = EVP_PKCS82PKEY(p8);
            PKCS8_PRIV_KEY_INFO_free(p8);
        }
        break;
    }
    case FORM_RSA: pk = d2i_PrivateKey(EVP_PKEY_RSA, NULL, &p, (long)len); break; /* RFC 8017 A.1.2 */
    case FORM_EC: pk = d2i_PrivateKey(EVP_PKEY_EC, NULL, &p, (long)len); break;   /* RFC 5915 §3 */
    case FORM_AUTO: pk = d2i_AutoPrivateKey(NULL, &p, (long)len); break;
    }
    if (pk == NULL) {
        snprintf(why, cap, "not a valid private key (%s)", latch__ossl_why(reason, sizeof reason, "malformed"));
        return NULL;
    }
    if ((size_t)(p - der) != len) {
        snprintf(why, cap, "%zu trailing bytes after the key", len - (size_t)(p - der));
        EVP_PKEY_free(pk);
        return NULL;
    }
    ERR_clear_error();
    return pk;
}

static bool key_label(const char *label, key_form *form)
{
    if (strcmp(label, "PRIVATE KEY") == 0) {
        *form = FORM_PKCS8;
    } else if (strcmp(label, "RSA PRIVATE KEY") == 0) {
        *form = FORM_RSA;
    } else if (strcmp(label, "EC PRIVATE KEY") == 0) {
        *form = FORM_EC;
    } else {
        return false;
    }
    return true;
}

static latch_err key_from_pem(const latch_allocator *a, const uint8_t *data, size_t len, const char *name,
                              EVP_PKEY **out)
{
    static const char hint[] = "decrypt it first, e.g. openssl pkey -in key.pem -out plain.pem";
    latch_pem_reader r;
    latch_pem_block blk;
    char seen[80] = "";
    unsigned key_line = 0;
    bool found;

    latch_pem_reader_init(&r, data, len, name);
    for (;;) {
        key_form form;
        char why[160];
        latch_err e = latch_pem_next(&r, a, &blk, &found);

        if (e != LATCH_OK) {
            EVP_PKEY_free(*out);
            *out = NULL;
            LATCH_TRY(e);
        }
        if (!found) {
            break;
        }
        if (strcmp(blk.label, "ENCRYPTED PRIVATE KEY") == 0 || (key_label(blk.label, &form) && blk.encrypted)) {
            unsigned line = blk.line;

            latch_pem_block_free(a, &blk);
            EVP_PKEY_free(*out);
            *out = NULL;
            return LATCH_FAIL(LATCH_ERR_UNSUPPORTED, "%s line %u: the private key is encrypted; %s", name, line,
                              hint);
        }
        if (!key_label(blk.label, &form)) {
            /* Certificates, EC PARAMETERS, ...: a combined file is fine. */
            if (strlen(seen) + strlen(blk.label) + 3 < sizeof seen) {
                if (seen[0] != '\0') {
                    strcat(seen, ", ");
                }
                strcat(seen, blk.label);
            }
            latch_pem_block_free(a, &blk);
            continue;
        }
        if (*out != NULL) {
            unsigned line = blk.line;

            latch_pem_block_free(a, &blk);
            EVP_PKEY_free(*out);
            *out = NULL;
            return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s: more than one private key (lines %u and %u)", name,
                              key_line, line);
        }
        *out = der_key(form, blk.der, blk.der_len, why, sizeof why);
        key_line = blk.line;
        latch_pem_block_free(a, &blk);
        if (*out == NULL) {
            return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s line %u: the '%s' block is %s", name, key_line, blk.label,
                              why);
        }
    }
    if (*out == NULL) {
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE,
                          "%s has no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block (found: %s)", name,
                          seen[0] != '\0' ? seen : "none");
    }
    return LATCH_OK;
}

latch_err latch__key_decode(const latch_allocator *a, const uint8_t *data, size_t len, const char *name,
                            EVP_PKEY **out)
{
    char why[160];

    *out = NULL;
    if (name == NULL) {
        name = "the private key";
    }
    LATCH_ENSURE(data != NULL || len == 0, LATCH_ERR_INVALID_ARGUMENT, "the key data pointer is NULL");
    if (len == 0) {
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s is empty", name);
    }
    if (latch_pem_detect(data, len)) {
        return key_from_pem(a, data, len, name, out);
    }
    if (data[0] != 0x30) {
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE,
                          "%s is neither PEM (no '-----BEGIN' line) nor DER (it does not start with a SEQUENCE)",
                          name);
    }
    *out = der_key(FORM_AUTO, data, len, why, sizeof why);
    if (*out == NULL) {
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s (DER) is %s", name, why);
    }
    return LATCH_OK;
}

void latch__key_describe(const latch_pkey_info *info, char *buf, size_t cap)
{
    switch (info->type) {
    case LATCH_PKEY_RSA: snprintf(buf, cap, "RSA-%u", info->bits); break;
    case LATCH_PKEY_RSA_PSS: snprintf(buf, cap, "RSA-PSS-%u", info->bits); break;
    case LATCH_PKEY_EC:
        snprintf(buf, cap, "EC %s",
                 info->group == LATCH_GROUP_SECP256R1   ? "P-256"
                 : info->group == LATCH_GROUP_SECP384R1 ? "P-384"
                 : info->group == LATCH_GROUP_SECP521R1 ? "P-521"
                                                        : "(unknown curve)");
        break;
    case LATCH_PKEY_ED25519: snprintf(buf, cap, "Ed25519"); break;
    case LATCH_PKEY_ED448: snprintf(buf, cap, "Ed448"); break;
    default: snprintf(buf, cap, "unknown key type"); break;
    }
}

latch_err latch__key_check(const EVP_PKEY *pk, const char *what, latch_pkey_info *info)
{
    const latch_provider *prov = latch_provider_openssl();
    char desc[32];
    bool signable = false;

    memset(info, 0, sizeof *info);
    LATCH_ENSURE(pk != NULL, LATCH_ERR_INVALID_ARGUMENT, "the key is NULL");
    LATCH_ENSURE(prov != NULL, LATCH_ERR_CRYPTO, "the OpenSSL provider is unavailable");
    if (latch__ossl_pkey_info(latch__pkey(pk), info) != LATCH_OK) {
        const char *type = EVP_PKEY_get0_type_name(pk);

        memset(info, 0, sizeof *info);
        return LATCH_FAIL(LATCH_ERR_UNSUPPORTED, "%s is of an unsupported type or curve (%s)", what,
                          type != NULL ? type : "unknown");
    }
    latch__key_describe(info, desc, sizeof desc);
    if ((info->type == LATCH_PKEY_RSA || info->type == LATCH_PKEY_RSA_PSS) && info->bits < LATCH_RSA_MIN_BITS) {
        return LATCH_FAIL(LATCH_ERR_UNSUPPORTED, "%s is a %u-bit RSA key; latch requires at least %u bits", what,
                          info->bits, LATCH_RSA_MIN_BITS);
    }
    for (const latch_sig_alg *const *s = prov->sig; *s != NULL; s++) {
        if ((*s)->key_type == info->type && (info->type != LATCH_PKEY_EC || (*s)->group == info->group)) {
            signable = true;
        }
    }
    if (!signable) {
        return LATCH_FAIL(LATCH_ERR_UNSUPPORTED, "%s is an %s key, for which latch has no signature scheme", what,
                          desc);
    }
    return LATCH_OK;
}
