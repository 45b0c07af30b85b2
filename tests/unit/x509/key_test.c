/* Tests for private key decoding and checks (src/x509/key.c). */
#include "x509/key.h"

#include "x509_helpers.h"

static latch_err decode_str(const char *text, EVP_PKEY **pk)
{
    return latch__key_decode(NULL, (const uint8_t *)text, strlen(text), "'key.pem'", pk);
}

static latch_err check_file(const char *name, latch_pkey_info *info)
{
    char *text = data_file(name, NULL);
    EVP_PKEY *pk = NULL;
    latch_err e;

    if (text == NULL) {
        return LATCH_ERR_FILE_READ;
    }
    e = decode_str(text, &pk);
    free(text);
    if (e == LATCH_OK) {
        e = latch__key_check(pk, "the test key", info);
    }
    EVP_PKEY_free(pk);
    return e;
}

/* PKCS #8 PEM of every type latch mints, and its DER. */
static void test_pkcs8_every_type(void)
{
    for (int t = LATCH_KEY_ECDSA_P256; t <= LATCH_KEY_RSA_PSS2048; t++) {
        latch_cert_spec s = spec_make("k", 0, 0);
        minted_pem m;
        uint8_t der[4096];
        size_t len;
        EVP_PKEY *pk = NULL;
        latch_pkey_info info;

        if (t == LATCH_KEY_RSA4096 || t == LATCH_KEY_RSA3072) {
            continue; /* slow to generate; mint_test covers them */
        }
        s.key_type = (latch_key_type)t;
        REQUIRE_OK(mint(&s, NULL, &m));
        REQUIRE_OK(decode_str(m.key, &pk));
        CHECK_OK(latch__key_check(pk, "k", &info));
        EVP_PKEY_free(pk);
        len = pem_to_der(m.key, 0, der, sizeof der);
        REQUIRE(len > 0);
        CHECK_OK(latch__key_decode(NULL, der, len, "der", &pk));
        EVP_PKEY_free(pk);
        /* DER with a trailing byte, and every truncation of it. */
        der[len] = 0;
        CHECK_ERR(latch__key_decode(NULL, der, len + 1, "der", &pk), LATCH_ERR_PEM_DECODE);
        CHECK(pk == NULL);
        for (size_t n = 1; n < len; n++) {
            latch_err e;

            if (latch_test_under_valgrind() && n > 64 && n + 64 < len && n % 16 != 0) {
                continue; /* under valgrind: both ends and every 16th cut */
            }
            e = latch__key_decode(NULL, der, n, "der", &pk);

            if (e != LATCH_ERR_PEM_DECODE || pk != NULL) {
                latch_test_fail(__FILE__, __LINE__, "type %d cut at %zu: %s", t, n, latch_err_name(e));
                EVP_PKEY_free(pk);
            }
        }
    }
}

/* Traditional forms, as PEM and as DER (data/README). */
static void test_traditional(void)
{
    char *rsa = data_file("rsa_trad.pem", NULL), *ec = data_file("ec_trad.pem", NULL);
    uint8_t der[4096];
    size_t len;
    EVP_PKEY *pk = NULL;
    latch_pkey_info info;

    REQUIRE(rsa != NULL && ec != NULL);
    REQUIRE_OK(decode_str(rsa, &pk));
    CHECK_OK(latch__key_check(pk, "k", &info));
    CHECK_EQ(info.type, LATCH_PKEY_RSA);
    CHECK_EQ(info.bits, 2048);
    EVP_PKEY_free(pk);
    len = pem_to_der(rsa, 0, der, sizeof der);
    REQUIRE_OK(latch__key_decode(NULL, der, len, "der", &pk));
    EVP_PKEY_free(pk);

    /* "EC PARAMETERS" comes first and is skipped. */
    REQUIRE_OK(decode_str(ec, &pk));
    CHECK_OK(latch__key_check(pk, "k", &info));
    CHECK_EQ(info.type, LATCH_PKEY_EC);
    CHECK_EQ(info.group, LATCH_GROUP_SECP256R1);
    EVP_PKEY_free(pk);
    len = pem_to_der(ec, 1, der, sizeof der);
    REQUIRE_OK(latch__key_decode(NULL, der, len, "der", &pk));
    EVP_PKEY_free(pk);
    free(rsa);
    free(ec);
}

static void test_decode_errors(void)
{
    char *rsa = data_file("rsa_trad.pem", NULL), *enc = data_file("ec_enc.pem", NULL);
    char *trad_enc = data_file("ec_trad_enc.pem", NULL), *cert = data_file("rsa_trad.crt", NULL);
    char text[8192];
    EVP_PKEY *pk = NULL;

    REQUIRE(rsa != NULL && enc != NULL && trad_enc != NULL && cert != NULL);
    CHECK_ERR(decode_str("", &pk), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("'key.pem' is empty");
    CHECK_ERR(decode_str("secret", &pk), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("'key.pem' is neither PEM");
    CHECK_ERR(decode_str(enc, &pk), LATCH_ERR_UNSUPPORTED);
    CHECK_DETAIL("'key.pem' line 1: the private key is encrypted; decrypt it first");
    CHECK_ERR(decode_str(trad_enc, &pk), LATCH_ERR_UNSUPPORTED);
    CHECK_ERR(decode_str(cert, &pk), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("has no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block (found: CERTIFICATE)");
    /* Two keys. */
    snprintf(text, sizeof text, "%s%s", rsa, rsa);
    CHECK_ERR(decode_str(text, &pk), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("more than one private key (lines 1 and 28)");
    /* A key, then an encrypted one: refused, and nothing leaks. */
    snprintf(text, sizeof text, "%s%s", rsa, enc);
    CHECK_ERR(decode_str(text, &pk), LATCH_ERR_UNSUPPORTED);
    /* A key, then broken PEM. */
    snprintf(text, sizeof text, "%s-----BEGIN X-----\n", rsa);
    CHECK_ERR(decode_str(text, &pk), LATCH_ERR_PEM_DECODE);
    CHECK(pk == NULL);
    /* The RSA key under the EC label. */
    {
        const char *body = strchr(rsa, '\n') + 1;

        snprintf(text, sizeof text, "-----BEGIN EC PRIVATE KEY-----\n%.*s-----END EC PRIVATE KEY-----\n",
                 (int)(strstr(rsa, "-----END") - body), body);
    }
    CHECK_ERR(decode_str(text, &pk), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("line 1: the 'EC PRIVATE KEY' block is not a valid private key");
    CHECK_ERR(latch__key_decode(NULL, NULL, 4, "x", &pk), LATCH_ERR_INVALID_ARGUMENT);
    free(rsa);
    free(enc);
    free(trad_enc);
    free(cert);
}

static void test_check(void)
{
    latch_pkey_info info;
    char desc[32];

    CHECK_ERR(check_file("rsa1024.pem", &info), LATCH_ERR_UNSUPPORTED);
    CHECK_DETAIL("the test key is a 1024-bit RSA key; latch requires at least 2048 bits");
    CHECK_ERR(check_file("secp256k1.pem", &info), LATCH_ERR_UNSUPPORTED);
    CHECK_DETAIL("unsupported type or curve");
    CHECK_ERR(check_file("p521.pem", &info), LATCH_ERR_UNSUPPORTED);
    CHECK_DETAIL("EC P-521 key, for which latch has no signature scheme");
    CHECK_ERR(check_file("ed448.pem", &info), LATCH_ERR_UNSUPPORTED);
    CHECK_DETAIL("Ed448");
    CHECK_OK(check_file("rsa_trad.pem", &info));
    latch__key_describe(&info, desc, sizeof desc);
    CHECK(strcmp(desc, "RSA-2048") == 0);
    CHECK_OK(check_file("ec_trad.pem", &info));
    latch__key_describe(&info, desc, sizeof desc);
    CHECK(strcmp(desc, "EC P-256") == 0);
    CHECK_ERR(latch__key_check(NULL, "k", &info), LATCH_ERR_INVALID_ARGUMENT);
}

static void test_describe(void)
{
    latch_pkey_info info = {LATCH_PKEY_RSA_PSS, 0, 3072};
    char desc[32];

    latch__key_describe(&info, desc, sizeof desc);
    CHECK(strcmp(desc, "RSA-PSS-3072") == 0);
    info.type = LATCH_PKEY_EC;
    info.group = LATCH_GROUP_SECP384R1;
    latch__key_describe(&info, desc, sizeof desc);
    CHECK(strcmp(desc, "EC P-384") == 0);
    info.type = LATCH_PKEY_ED25519;
    latch__key_describe(&info, desc, sizeof desc);
    CHECK(strcmp(desc, "Ed25519") == 0);
    info.type = 0;
    latch__key_describe(&info, desc, sizeof desc);
    CHECK(strcmp(desc, "unknown key type") == 0);
}

static const latch_test cases[] = {
    TEST(test_pkcs8_every_type),
    TEST(test_traditional),
    TEST(test_decode_errors),
    TEST(test_check),
    TEST(test_describe),
    {0},
};

LATCH_TEST_MAIN(cases)
