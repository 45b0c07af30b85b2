/*
 * Printable names (src/hs/names.c): each code point latch names has its
 * registry name, written down here from the RFCs (not from our tables), and
 * every other 16-bit value is "unknown" (so GREASE values, RFC 8701, and
 * private-use code points never get a name).
 */
#include "harness.h"

#include <latch/latch.h>

#include <string.h>

typedef struct named {
    uint16_t v;
    const char *name;
} named;

/* Check f over the whole 16-bit range: the listed values by name, the rest "unknown". */
static void check_all(const char *what, const char *(*f)(uint16_t), const named *list, size_t n)
{
    for (uint32_t v = 0; v <= 0xFFFF; v++) {
        const char *want = "unknown";
        const char *got = f((uint16_t)v);

        for (size_t i = 0; i < n; i++) {
            if (list[i].v == v) {
                want = list[i].name;
            }
        }
        if (got == NULL || strcmp(got, want) != 0) {
            latch_test_fail(__FILE__, __LINE__, "%s(0x%04x) = \"%s\", expected \"%s\"", what, (unsigned)v,
                            got != NULL ? got : "(null)", want);
        }
    }
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * RFC 8446 §4.2.1 ("TLS 1.3 ... 0x0304"), RFC 5246 §6.2.1 ({3, 3} for TLS
 * 1.2), RFC 4346 ({3, 2}), RFC 2246 ({3, 1}), RFC 6101 ({3, 0}). The names
 * are the ones OpenSSL prints, which users know.
 */
static const named versions[] = {
    {0x0300, "SSLv3"}, {0x0301, "TLSv1.0"}, {0x0302, "TLSv1.1"}, {0x0303, "TLSv1.2"}, {0x0304, "TLSv1.3"},
};

/*
 * RFC 8446 §B.4:
 *   | TLS_AES_128_GCM_SHA256       | {0x13,0x01} |
 *   | TLS_AES_256_GCM_SHA384       | {0x13,0x02} |
 *   | TLS_CHACHA20_POLY1305_SHA256 | {0x13,0x03} |
 *   | TLS_AES_128_CCM_SHA256       | {0x13,0x04} |   (latch does not implement CCM: unknown)
 *   | TLS_AES_128_CCM_8_SHA256     | {0x13,0x05} |
 * RFC 5289 §3.2: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 {0xC0,0x2B},
 *   TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 {0xC0,0x2C},
 *   TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 {0xC0,0x2F},
 *   TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 {0xC0,0x30}.
 * RFC 7905 §2: TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 {0xCC,0xA8},
 *   TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 {0xCC,0xA9}.
 * RFC 5288 §3: TLS_RSA_WITH_AES_128_GCM_SHA256 {0x00,0x9C},
 *   TLS_RSA_WITH_AES_256_GCM_SHA384 {0x00,0x9D}.
 */
static const named suites[] = {
    {0x1301, "TLS_AES_128_GCM_SHA256"},
    {0x1302, "TLS_AES_256_GCM_SHA384"},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256"},
    {0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
};

/*
 * RFC 8446 §4.2.7:
 *   secp256r1(0x0017), secp384r1(0x0018), secp521r1(0x0019),
 *   x25519(0x001D), x448(0x001E),
 *   ffdhe2048(0x0100), ... ffdhe8192(0x0104)   (latch speaks no FFDHE: unknown, shown in hex)
 */
static const named groups[] = {
    {0x0017, "secp256r1"}, {0x0018, "secp384r1"}, {0x0019, "secp521r1"}, {0x001D, "x25519"}, {0x001E, "x448"},
};

/*
 * RFC 8446 §4.2.3 (SignatureScheme), every named value:
 *   rsa_pkcs1_sha256(0x0401), rsa_pkcs1_sha384(0x0501), rsa_pkcs1_sha512(0x0601),
 *   ecdsa_secp256r1_sha256(0x0403), ecdsa_secp384r1_sha384(0x0503), ecdsa_secp521r1_sha512(0x0603),
 *   rsa_pss_rsae_sha256(0x0804), rsa_pss_rsae_sha384(0x0805), rsa_pss_rsae_sha512(0x0806),
 *   ed25519(0x0807), ed448(0x0808),
 *   rsa_pss_pss_sha256(0x0809), rsa_pss_pss_sha384(0x080a), rsa_pss_pss_sha512(0x080b),
 *   rsa_pkcs1_sha1(0x0201), ecdsa_sha1(0x0203),
 *   private_use(0xFE00..0xFFFF)
 */
static const named sigalgs[] = {
    {0x0401, "rsa_pkcs1_sha256"},       {0x0501, "rsa_pkcs1_sha384"},       {0x0601, "rsa_pkcs1_sha512"},
    {0x0403, "ecdsa_secp256r1_sha256"}, {0x0503, "ecdsa_secp384r1_sha384"}, {0x0603, "ecdsa_secp521r1_sha512"},
    {0x0804, "rsa_pss_rsae_sha256"},    {0x0805, "rsa_pss_rsae_sha384"},    {0x0806, "rsa_pss_rsae_sha512"},
    {0x0807, "ed25519"},                {0x0808, "ed448"},                  {0x0809, "rsa_pss_pss_sha256"},
    {0x080A, "rsa_pss_pss_sha384"},     {0x080B, "rsa_pss_pss_sha512"},     {0x0201, "rsa_pkcs1_sha1"},
    {0x0203, "ecdsa_sha1"},
};

static void test_versions(void)
{
    check_all("latch_version_name", latch_version_name, versions, N(versions));
    /* The constants of the public header name the same values. */
    CHECK(strcmp(latch_version_name(LATCH_TLS13), "TLSv1.3") == 0);
    CHECK(strcmp(latch_version_name(LATCH_TLS12), "TLSv1.2") == 0);
}

static void test_suites(void)
{
    check_all("latch_suite_name", latch_suite_name, suites, N(suites));
    CHECK(strcmp(latch_suite_name(LATCH_TLS_CHACHA20_POLY1305_SHA256), "TLS_CHACHA20_POLY1305_SHA256") == 0);
    CHECK(strcmp(latch_suite_name(LATCH_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256),
                 "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256") == 0);
}

static void test_groups(void)
{
    check_all("latch_group_name", latch_group_name, groups, N(groups));
    CHECK(strcmp(latch_group_name(LATCH_GROUP_X25519), "x25519") == 0);
}

static void test_sigalgs(void)
{
    check_all("latch_sigalg_name", latch_sigalg_name, sigalgs, N(sigalgs));
    CHECK(strcmp(latch_sigalg_name(LATCH_SIG_RSA_PSS_PSS_SHA512), "rsa_pss_pss_sha512") == 0);
}

/* RFC 8701: GREASE values {0x?A,0x?A} are never names of anything. */
static void test_grease_unknown(void)
{
    for (unsigned i = 0; i < 16; i++) {
        uint16_t g = (uint16_t)((i << 12) | 0x0A00 | (i << 4) | 0x0A);

        CHECK(strcmp(latch_version_name(g), "unknown") == 0);
        CHECK(strcmp(latch_suite_name(g), "unknown") == 0);
        CHECK(strcmp(latch_group_name(g), "unknown") == 0);
        CHECK(strcmp(latch_sigalg_name(g), "unknown") == 0);
    }
}

static const latch_test cases[] = {
    TEST(test_versions),
    TEST(test_suites),
    TEST(test_groups),
    TEST(test_sigalgs),
    TEST(test_grease_unknown),
    {0},
};

LATCH_TEST_MAIN(cases)
