/* Printable names of versions, suites, groups and signature schemes. */
#include <latch/conn.h>

#include "hs/suites.h"

const char *latch_version_name(uint16_t version)
{
    switch (version) {
    case 0x0300: return "SSLv3";
    case 0x0301: return "TLSv1.0";
    case 0x0302: return "TLSv1.1";
    case 0x0303: return "TLSv1.2";
    case 0x0304: return "TLSv1.3";
    default: return "unknown";
    }
}

const char *latch_suite_name(uint16_t suite)
{
    const latch_suite *s = latch_suite_by_id(suite);

    return s != NULL ? s->name : "unknown";
}

const char *latch_group_name(uint16_t group)
{
    switch (group) {
    case LATCH_GROUP_SECP256R1: return "secp256r1";
    case LATCH_GROUP_SECP384R1: return "secp384r1";
    case LATCH_GROUP_SECP521R1: return "secp521r1";
    case LATCH_GROUP_X25519: return "x25519";
    case LATCH_GROUP_X448: return "x448";
    default: return "unknown";
    }
}

const char *latch_sigalg_name(uint16_t scheme)
{
    switch (scheme) {
    case LATCH_SIG_RSA_PKCS1_SHA256: return "rsa_pkcs1_sha256";
    case LATCH_SIG_RSA_PKCS1_SHA384: return "rsa_pkcs1_sha384";
    case LATCH_SIG_RSA_PKCS1_SHA512: return "rsa_pkcs1_sha512";
    case LATCH_SIG_ECDSA_SECP256R1_SHA256: return "ecdsa_secp256r1_sha256";
    case LATCH_SIG_ECDSA_SECP384R1_SHA384: return "ecdsa_secp384r1_sha384";
    case LATCH_SIG_ECDSA_SECP521R1_SHA512: return "ecdsa_secp521r1_sha512";
    case LATCH_SIG_RSA_PSS_RSAE_SHA256: return "rsa_pss_rsae_sha256";
    case LATCH_SIG_RSA_PSS_RSAE_SHA384: return "rsa_pss_rsae_sha384";
    case LATCH_SIG_RSA_PSS_RSAE_SHA512: return "rsa_pss_rsae_sha512";
    case LATCH_SIG_ED25519: return "ed25519";
    case LATCH_SIG_ED448: return "ed448";
    case LATCH_SIG_RSA_PSS_PSS_SHA256: return "rsa_pss_pss_sha256";
    case LATCH_SIG_RSA_PSS_PSS_SHA384: return "rsa_pss_pss_sha384";
    case LATCH_SIG_RSA_PSS_PSS_SHA512: return "rsa_pss_pss_sha512";
    case 0x0201: return "rsa_pkcs1_sha1";
    case 0x0203: return "ecdsa_sha1";
    default: return "unknown";
    }
}
