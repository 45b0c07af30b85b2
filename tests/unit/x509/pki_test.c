/* Tests for latch_pki_generate (src/x509/pki.c). */
#include "x509/cert.h"
#include "x509/trust.h"
#include "x509/verify.h"
#include "x509_helpers.h"

#include <time.h>

static char dir[256];

static size_t count_blocks(const char *pem)
{
    size_t n = 0;

    for (const char *p = pem; (p = strstr(p, "-----BEGIN CERTIFICATE-----")) != NULL; p++) {
        n++;
    }
    return n;
}

static mode_t mode_of(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? (st.st_mode & 0777) : 0;
}

/* Verify the certificates of chain_file against ca_file. */
static latch_err verify_file(const char *chain_file, const char *ca_file, const char *host, bool client)
{
    char *pem = read_text(chain_file, NULL);
    uint8_t der[2][4096];
    const uint8_t *ders[2] = {der[0], der[1]};
    size_t lens[2], n = 0;
    latch_verify_params vp = {host, client, (int64_t)time(NULL), 10, false};
    latch_trust *t = NULL;
    latch_peer *p = NULL;
    latch_err e;

    if (pem == NULL) {
        return LATCH_ERR_FILE_READ;
    }
    while (n < 2 && (lens[n] = pem_to_der(pem, n, der[n], sizeof der[n])) > 0) {
        n++;
    }
    free(pem);
    e = latch_trust_new(&t);
    if (e == LATCH_OK) {
        e = latch_trust_add_file(t, ca_file);
    }
    if (e == LATCH_OK) {
        e = latch_peer_new(ders, lens, n, &p);
    }
    if (e == LATCH_OK) {
        e = latch_peer_verify(p, t, &vp);
    }
    latch_peer_free(p);
    latch_trust_free(t);
    return e;
}

static void check_pki(const char *d, latch_key_type type, uint8_t pkey_type)
{
    static const char *const files[] = {"ca.pem", "ca.key", "server.pem", "server-chain.pem",
                                        "server.key", "client.pem", "client.key"};
    char path[7][600], *text;
    latch_chain *c = NULL;
    char buf[128];

    for (size_t i = 0; i < 7; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", d, files[i]);
    }
    /* Certificates are readable, keys only by their owner. */
    CHECK_EQ(mode_of(path[0]), 0644);
    CHECK_EQ(mode_of(path[1]), 0600);
    CHECK_EQ(mode_of(path[4]), 0600);
    CHECK_EQ(mode_of(path[6]), 0600);

    text = read_text(path[2], NULL);
    REQUIRE(text != NULL);
    CHECK_EQ(count_blocks(text), 1); /* server.pem: the leaf alone */
    free(text);
    text = read_text(path[3], NULL);
    REQUIRE(text != NULL);
    CHECK_EQ(count_blocks(text), 2); /* server-chain.pem: leaf, then CA */
    free(text);

    /* The server chain loads with its key, and names the server. */
    REQUIRE_OK(latch_chain_load_files(NULL, path[3], path[4], &c));
    CHECK_EQ(latch_chain_count(c), 2);
    CHECK_EQ(latch_chain_key_info(c).type, pkey_type);
    CHECK(latch_chain_matches_name(c, "localhost"));
    CHECK(latch_chain_matches_name(c, "127.0.0.1"));
    CHECK(latch_chain_matches_name(c, "::1"));
    CHECK(!latch_chain_matches_name(c, "example.com"));
    CHECK_OK(latch_chain_subject(c, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=localhost") == 0);
    CHECK_OK(latch_chain_subject(c, 1, buf, sizeof buf));
    CHECK(strncmp(buf, "CN=latch test CA ", 17) == 0 && strlen(buf) == 25);
    latch_chain_free(c);
    REQUIRE_OK(latch_chain_load_files(NULL, path[5], path[6], &c));
    CHECK_OK(latch_chain_subject(c, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=latch test client") == 0);
    latch_chain_free(c);
    REQUIRE_OK(latch_chain_load_files(NULL, path[0], path[1], &c));
    latch_chain_free(c);
    /* Keys are not interchangeable. */
    CHECK_ERR(latch_chain_load_files(NULL, path[2], path[6], &c), LATCH_ERR_KEY_MISMATCH);

    /* Chains verify against ca.pem for their purpose only. */
    CHECK_OK(verify_file(path[3], path[0], "localhost", false));
    CHECK_OK(verify_file(path[2], path[0], "127.0.0.1", false));
    CHECK_OK(verify_file(path[2], path[0], "::1", false));
    CHECK_ERR(verify_file(path[2], path[0], "localhost.localdomain", false), LATCH_ERR_CERT_NAME_MISMATCH);
    CHECK_ERR(verify_file(path[2], path[0], NULL, true), LATCH_ERR_CERT_BAD_USAGE);
    CHECK_OK(verify_file(path[5], path[0], NULL, true));
    CHECK_ERR(verify_file(path[5], path[0], NULL, false), LATCH_ERR_CERT_BAD_USAGE);
    (void)type;
}

static void test_generate(void)
{
    char sub[600];

    REQUIRE(tmpdir_make(dir, sizeof dir) == 0);
    /* Missing parents are created. */
    snprintf(sub, sizeof sub, "%s/a/b/pki", dir);
    REQUIRE_OK(latch_pki_generate(sub, LATCH_KEY_ECDSA_P256));
    check_pki(sub, LATCH_KEY_ECDSA_P256, LATCH_PKEY_EC);
    /* Again in the same place, with another key type: files are replaced. */
    REQUIRE_OK(latch_pki_generate(sub, LATCH_KEY_ED25519));
    check_pki(sub, LATCH_KEY_ED25519, LATCH_PKEY_ED25519);
    tmpdir_remove(dir);
}

static void test_generate_rsa(void)
{
    REQUIRE(tmpdir_make(dir, sizeof dir) == 0);
    REQUIRE_OK(latch_pki_generate(dir, LATCH_KEY_RSA2048));
    check_pki(dir, LATCH_KEY_RSA2048, LATCH_PKEY_RSA);
    tmpdir_remove(dir);
}

/* An existing key file with loose permissions is tightened. */
static void test_key_mode_tightened(void)
{
    char path[600];

    REQUIRE(tmpdir_make(dir, sizeof dir) == 0);
    snprintf(path, sizeof path, "%s/server.key", dir);
    REQUIRE(write_file(path, "old", 3) == 0);
    REQUIRE(chmod(path, 0666) == 0);
    REQUIRE_OK(latch_pki_generate(dir, LATCH_KEY_ECDSA_P256));
    CHECK_EQ(mode_of(path), 0600);
    tmpdir_remove(dir);
}

static void test_errors(void)
{
    char path[600];

    CHECK_ERR(latch_pki_generate(NULL, LATCH_KEY_ECDSA_P256), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_pki_generate("", LATCH_KEY_ECDSA_P256), LATCH_ERR_INVALID_ARGUMENT);
    REQUIRE(tmpdir_make(dir, sizeof dir) == 0);
    CHECK_ERR(latch_pki_generate(dir, (latch_key_type)77), LATCH_ERR_UNSUPPORTED);
    /* A directory path through a regular file. */
    snprintf(path, sizeof path, "%s/file", dir);
    REQUIRE(write_file(path, "x", 1) == 0);
    CHECK_ERR(latch_pki_generate(path, LATCH_KEY_ECDSA_P256), LATCH_ERR_FILE_WRITE);
    snprintf(path, sizeof path, "%s/file/sub", dir);
    CHECK_ERR(latch_pki_generate(path, LATCH_KEY_ECDSA_P256), LATCH_ERR_FILE_WRITE);
    CHECK_DETAIL("cannot create the directory");
    /* An unwritable directory (unless we are root, who may write anyway). */
    if (geteuid() != 0) {
        snprintf(path, sizeof path, "%s/ro", dir);
        REQUIRE(mkdir(path, 0500) == 0);
        CHECK_ERR(latch_pki_generate(path, LATCH_KEY_ECDSA_P256), LATCH_ERR_FILE_WRITE);
        CHECK_DETAIL("ca.pem");
        (void)chmod(path, 0700);
    }
    tmpdir_remove(dir);
}

static const latch_test cases[] = {
    TEST(test_generate),
    TEST(test_generate_rsa),
    TEST(test_key_mode_tightened),
    TEST(test_errors),
    {0},
};

LATCH_TEST_MAIN(cases)
