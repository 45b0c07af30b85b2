/*
 * Tests for the cipher suite table (src/hs/suites.c). The expected rows are
 * facts from the registries: IANA's TLS Cipher Suites registry (RFC 8446
 * §B.4, RFC 5288, RFC 5289, RFC 7905) and OpenSSL's names as printed by
 * `openssl ciphers -V` (OpenSSL 3.0).
 */
#include "harness.h"
#include "hs/suites.h"

#include <string.h>

typedef struct want_row {
    uint16_t id;
    const char *iana;
    const char *ossl;
    uint16_t version;
    uint8_t aead, hash, kx, auth;
} want_row;

static const want_row known[] = {
    {0x1301, "TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", 0x0304, LATCH_AEAD_AES_128_GCM, LATCH_HASH_SHA256,
     LATCH_SUITE_KX_ANY, LATCH_SUITE_AUTH_ANY},
    {0x1302, "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", 0x0304, LATCH_AEAD_AES_256_GCM, LATCH_HASH_SHA384,
     LATCH_SUITE_KX_ANY, LATCH_SUITE_AUTH_ANY},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256", 0x0304, LATCH_AEAD_CHACHA20_POLY1305,
     LATCH_HASH_SHA256, LATCH_SUITE_KX_ANY, LATCH_SUITE_AUTH_ANY},
    {0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", 0x0303,
     LATCH_AEAD_AES_128_GCM, LATCH_HASH_SHA256, LATCH_SUITE_KX_ECDHE, LATCH_SUITE_AUTH_ECDSA},
    {0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", 0x0303,
     LATCH_AEAD_AES_256_GCM, LATCH_HASH_SHA384, LATCH_SUITE_KX_ECDHE, LATCH_SUITE_AUTH_ECDSA},
    {0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", 0x0303, LATCH_AEAD_AES_128_GCM,
     LATCH_HASH_SHA256, LATCH_SUITE_KX_ECDHE, LATCH_SUITE_AUTH_RSA},
    {0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", 0x0303, LATCH_AEAD_AES_256_GCM,
     LATCH_HASH_SHA384, LATCH_SUITE_KX_ECDHE, LATCH_SUITE_AUTH_RSA},
    {0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305", 0x0303,
     LATCH_AEAD_CHACHA20_POLY1305, LATCH_HASH_SHA256, LATCH_SUITE_KX_ECDHE, LATCH_SUITE_AUTH_RSA},
    {0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305", 0x0303,
     LATCH_AEAD_CHACHA20_POLY1305, LATCH_HASH_SHA256, LATCH_SUITE_KX_ECDHE, LATCH_SUITE_AUTH_ECDSA},
    {0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", 0x0303, LATCH_AEAD_AES_128_GCM,
     LATCH_HASH_SHA256, LATCH_SUITE_KX_RSA, LATCH_SUITE_AUTH_RSA},
    {0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384", 0x0303, LATCH_AEAD_AES_256_GCM,
     LATCH_HASH_SHA384, LATCH_SUITE_KX_RSA, LATCH_SUITE_AUTH_RSA},
};

#define NKNOWN (sizeof known / sizeof known[0])

static void check_row(const latch_suite *s, const want_row *w)
{
    REQUIRE(s != NULL);
    CHECK_EQ(s->id, w->id);
    CHECK(strcmp(s->name, w->iana) == 0);
    CHECK(strcmp(s->ossl_name, w->ossl) == 0);
    CHECK_EQ(s->version, w->version);
    CHECK_EQ(s->aead, w->aead);
    CHECK_EQ(s->hash, w->hash);
    CHECK_EQ(s->kx, w->kx);
    CHECK_EQ(s->auth, w->auth);
}

static void test_by_id(void)
{
    for (size_t i = 0; i < NKNOWN; i++) {
        check_row(latch_suite_by_id(known[i].id), &known[i]);
    }
    /* The LATCH_TLS_* constants name these rows. */
    CHECK(latch_suite_by_id(LATCH_TLS_AES_128_GCM_SHA256) == latch_suite_by_id(0x1301));
    CHECK(latch_suite_by_id(LATCH_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256) == latch_suite_by_id(0xCCA9));
    CHECK(latch_suite_by_id(LATCH_TLS_RSA_WITH_AES_256_GCM_SHA384) == latch_suite_by_id(0x009D));
}

static void test_unknown_ids(void)
{
    /* Neighbours of known ids, CBC and signalling values, the extremes. */
    const uint16_t unknown[] = {0x0000, 0x1300, 0x1304, 0x1305, 0xC02A, 0xC02D, 0xC031, 0xCCA7, 0xCCAA,
                                0x009B, 0x009E, 0x002F, 0xC013, 0x00FF, 0x5600, 0xFFFF};

    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        CHECK(latch_suite_by_id(unknown[i]) == NULL);
    }
}

static void test_by_name(void)
{
    for (size_t i = 0; i < NKNOWN; i++) {
        CHECK(latch_suite_by_name(known[i].iana) == latch_suite_by_id(known[i].id));
        CHECK(latch_suite_by_name(known[i].ossl) == latch_suite_by_id(known[i].id));
    }
    /* Any letter case. */
    CHECK(latch_suite_by_name("tls_aes_256_gcm_sha384") == latch_suite_by_id(0x1302));
    CHECK(latch_suite_by_name("Tls_Chacha20_Poly1305_Sha256") == latch_suite_by_id(0x1303));
    CHECK(latch_suite_by_name("ecdhe-rsa-aes128-gcm-sha256") == latch_suite_by_id(0xC02F));
    CHECK(latch_suite_by_name("aes256-gcm-sha384") == latch_suite_by_id(0x009D));
    CHECK(latch_suite_by_name("tls_ecdhe_ecdsa_with_aes_128_gcm_sha256") == latch_suite_by_id(0xC02B));
}

static void test_unknown_names(void)
{
    const char *bad[] = {"",
                         " TLS_AES_128_GCM_SHA256",
                         "TLS_AES_128_GCM_SHA256 ",
                         "TLS_AES_128_GCM",
                         "TLS_AES_128_GCM_SHA2566",
                         "AES128-GCM-SHA256x",
                         "ECDHE-RSA-AES128-SHA256",
                         "ECDHE-RSA-AES128-SHA",
                         "TLS_RSA_WITH_AES_128_CBC_SHA",
                         "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
                         "TLS_AES_128_CCM_SHA256",
                         "TLS-AES-128-GCM-SHA256",
                         "ALL"};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(latch_suite_by_name(bad[i]) == NULL);
    }
    CHECK(latch_suite_by_name(NULL) == NULL);
}

/* The table itself: the expected rows, no more, ids and names unique, 1.3 first. */
static void test_table(void)
{
    size_t n;
    const latch_suite *all = latch_suite_all(&n);

    CHECK_EQ(n, NKNOWN);
    for (size_t i = 0; i < n; i++) {
        bool found = false;

        for (size_t k = 0; k < NKNOWN; k++) {
            found = found || known[k].id == all[i].id;
        }
        CHECK(found);
        for (size_t j = 0; j < i; j++) {
            CHECK(all[j].id != all[i].id);
            CHECK(strcmp(all[j].name, all[i].name) != 0);
            CHECK(strcmp(all[j].ossl_name, all[i].ossl_name) != 0);
        }
        if (i > 0 && all[i].version == LATCH_TLS13) {
            CHECK_EQ(all[i - 1].version, LATCH_TLS13);
        }
        /* TLS 1.3 suites fix neither key exchange nor authentication; 1.2 suites fix both. */
        CHECK((all[i].version == LATCH_TLS13) == (all[i].kx == LATCH_SUITE_KX_ANY));
        CHECK((all[i].version == LATCH_TLS13) == (all[i].auth == LATCH_SUITE_AUTH_ANY));
    }
}

static void test_default_order(void)
{
    const uint16_t want13[] = {0x1301, 0x1302, 0x1303};
    const uint16_t want12[] = {0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8};
    const uint16_t *ids;
    size_t n;

    ids = latch_suite_default_order(LATCH_TLS13, &n);
    REQUIRE(ids != NULL);
    CHECK_MEM(ids, n * sizeof *ids, want13, sizeof want13);
    CHECK(ids[0] != LATCH_TLS_CHACHA20_POLY1305_SHA256); /* ChaCha20 first is not the default */

    ids = latch_suite_default_order(LATCH_TLS12, &n);
    REQUIRE(ids != NULL);
    CHECK_MEM(ids, n * sizeof *ids, want12, sizeof want12);
    for (size_t i = 0; i < n; i++) {
        const latch_suite *s = latch_suite_by_id(ids[i]);

        REQUIRE(s != NULL);
        CHECK_EQ(s->version, LATCH_TLS12);
        CHECK(s->kx != LATCH_SUITE_KX_RSA); /* RSA key transport is off by default */
    }

    n = 99;
    CHECK(latch_suite_default_order(0x0302, &n) == NULL);
    CHECK_EQ(n, 0);
    CHECK(latch_suite_default_order(0x0305, &n) == NULL);
}

static const latch_test cases[] = {
    TEST(test_by_id),
    TEST(test_unknown_ids),
    TEST(test_by_name),
    TEST(test_unknown_names),
    TEST(test_table),
    TEST(test_default_order),
    {0},
};

LATCH_TEST_MAIN(cases)
