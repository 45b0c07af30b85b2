/* The cipher suite table. See suites.h. */
#include "hs/suites.h"

#include <stdbool.h>

#define ROW13(id, name, aead, hash) \
    {(id), LATCH_TLS13, (name), (name), (aead), (hash), LATCH_SUITE_KX_ANY, LATCH_SUITE_AUTH_ANY}
#define ROW12(id, name, ossl, aead, hash, kx, auth) \
    {(id), LATCH_TLS12, (name), (ossl), (aead), (hash), (kx), (auth)}

static const latch_suite suites[] = {
    /* RFC 8446 §B.4. */
    ROW13(LATCH_TLS_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256", LATCH_AEAD_AES_128_GCM, LATCH_HASH_SHA256),
    ROW13(LATCH_TLS_AES_256_GCM_SHA384, "TLS_AES_256_GCM_SHA384", LATCH_AEAD_AES_256_GCM, LATCH_HASH_SHA384),
    ROW13(LATCH_TLS_CHACHA20_POLY1305_SHA256, "TLS_CHACHA20_POLY1305_SHA256", LATCH_AEAD_CHACHA20_POLY1305,
          LATCH_HASH_SHA256),
    /* RFC 5289 §3.2 (ECDHE with AES-GCM). */
    ROW12(LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "ECDHE-ECDSA-AES128-GCM-SHA256", LATCH_AEAD_AES_128_GCM, LATCH_HASH_SHA256, LATCH_SUITE_KX_ECDHE,
          LATCH_SUITE_AUTH_ECDSA),
    ROW12(LATCH_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "ECDHE-ECDSA-AES256-GCM-SHA384", LATCH_AEAD_AES_256_GCM, LATCH_HASH_SHA384, LATCH_SUITE_KX_ECDHE,
          LATCH_SUITE_AUTH_ECDSA),
    ROW12(LATCH_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "ECDHE-RSA-AES128-GCM-SHA256", LATCH_AEAD_AES_128_GCM, LATCH_HASH_SHA256, LATCH_SUITE_KX_ECDHE,
          LATCH_SUITE_AUTH_RSA),
    ROW12(LATCH_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "ECDHE-RSA-AES256-GCM-SHA384", LATCH_AEAD_AES_256_GCM, LATCH_HASH_SHA384, LATCH_SUITE_KX_ECDHE,
          LATCH_SUITE_AUTH_RSA),
    /* RFC 7905 §2 (ChaCha20-Poly1305). */
    ROW12(LATCH_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
          "ECDHE-RSA-CHACHA20-POLY1305", LATCH_AEAD_CHACHA20_POLY1305, LATCH_HASH_SHA256, LATCH_SUITE_KX_ECDHE,
          LATCH_SUITE_AUTH_RSA),
    ROW12(LATCH_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "ECDHE-ECDSA-CHACHA20-POLY1305", LATCH_AEAD_CHACHA20_POLY1305, LATCH_HASH_SHA256, LATCH_SUITE_KX_ECDHE,
          LATCH_SUITE_AUTH_ECDSA),
    /* RFC 5288 §3 (RSA key transport with AES-GCM). */
    ROW12(LATCH_TLS_RSA_WITH_AES_128_GCM_SHA256, "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256",
          LATCH_AEAD_AES_128_GCM, LATCH_HASH_SHA256, LATCH_SUITE_KX_RSA, LATCH_SUITE_AUTH_RSA),
    ROW12(LATCH_TLS_RSA_WITH_AES_256_GCM_SHA384, "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384",
          LATCH_AEAD_AES_256_GCM, LATCH_HASH_SHA384, LATCH_SUITE_KX_RSA, LATCH_SUITE_AUTH_RSA),
};

#define NSUITES (sizeof suites / sizeof suites[0])

static const uint16_t default13[] = {
    LATCH_TLS_AES_128_GCM_SHA256,
    LATCH_TLS_AES_256_GCM_SHA384,
    LATCH_TLS_CHACHA20_POLY1305_SHA256,
};

static const uint16_t default12[] = {
    LATCH_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    LATCH_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    LATCH_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    LATCH_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    LATCH_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    LATCH_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
};

const latch_suite *latch_suite_by_id(uint16_t id)
{
    for (size_t i = 0; i < NSUITES; i++) {
        if (suites[i].id == id) {
            return &suites[i];
        }
    }
    return NULL;
}

/* ASCII case-insensitive equality, independent of the C locale. */
static bool name_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

        if (x >= 'A' && x <= 'Z') {
            x = (unsigned char)(x - 'A' + 'a');
        }
        if (y >= 'A' && y <= 'Z') {
            y = (unsigned char)(y - 'A' + 'a');
        }
        if (x != y) {
            return false;
        }
        if (x == '\0') {
            return true;
        }
    }
}

const latch_suite *latch_suite_by_name(const char *name)
{
    if (name == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < NSUITES; i++) {
        if (name_eq(name, suites[i].name) || name_eq(name, suites[i].ossl_name)) {
            return &suites[i];
        }
    }
    return NULL;
}

const latch_suite *latch_suite_all(size_t *n)
{
    *n = NSUITES;
    return suites;
}

const uint16_t *latch_suite_default_order(uint16_t version, size_t *n)
{
    switch (version) {
    case LATCH_TLS13:
        *n = sizeof default13 / sizeof default13[0];
        return default13;
    case LATCH_TLS12:
        *n = sizeof default12 / sizeof default12[0];
        return default12;
    default:
        *n = 0;
        return NULL;
    }
}
