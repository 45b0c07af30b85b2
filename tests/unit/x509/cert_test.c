/* Tests for our own certificate chain and key (src/x509/cert.c). */
#include "x509/cert.h"

#include "provider/ossl/ossl.h"

#include "x509/trust.h"
#include "x509_helpers.h"

static minted_pem ca, inter, leaf, other;
static char chain_pem[3 * PEM_MAX];
static char dir[256];

static void setup(void)
{
    static const char *const dns[] = {"www.example.com", "*.example.net"};
    static const char *const ips[] = {"192.0.2.10"};
    latch_cert_spec cs = spec_make("Cert Test CA", 0, 0);
    latch_cert_spec is = spec_make("Cert Test Intermediate", 0, 0);
    latch_cert_spec ls = spec_make("www.example.com", 0, 0);

    if (ca.cert[0] != '\0') {
        return;
    }
    cs.is_ca = true;
    is.is_ca = true;
    ls.dns_names = dns;
    ls.n_dns = 2;
    ls.ips = ips;
    ls.n_ips = 1;
    ls.server_auth = true;
    if (mint(&cs, NULL, &ca) != LATCH_OK || mint(&is, &ca, &inter) != LATCH_OK || mint(&ls, &inter, &leaf) != LATCH_OK ||
        mint(&ls, &inter, &other) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "cannot mint the test chain: %s", last_detail());
        return;
    }
    snprintf(chain_pem, sizeof chain_pem, "%s%s", leaf.cert, inter.cert);
}

static latch_err load_str(const char *cert, const char *key, latch_chain **c)
{
    return latch_chain_load(NULL, (const uint8_t *)cert, strlen(cert), (const uint8_t *)key, strlen(key), c);
}

static void test_load_pem_chain(void)
{
    uint8_t der[4096];
    latch_chain *c = NULL;
    latch_pkey_info info;
    latch_rd r;
    size_t n;
    char buf[128];

    setup();
    REQUIRE_OK(load_str(chain_pem, leaf.key, &c));
    CHECK_EQ(latch_chain_count(c), 2);
    /* The DER we will send is exactly what the PEM held. */
    for (size_t i = 0; i < 2; i++) {
        n = pem_to_der(chain_pem, i, der, sizeof der);
        r = latch_chain_der(c, i);
        CHECK_MEM(r.p, r.len, der, n);
    }
    r = latch_chain_der(c, 2);
    CHECK(r.p == NULL && r.len == 0);
    CHECK(latch_chain_key(c) != NULL);
    info = latch_chain_key_info(c);
    CHECK_EQ(info.type, LATCH_PKEY_EC);
    CHECK_EQ(info.group, LATCH_GROUP_SECP256R1);
    CHECK_EQ(info.bits, 256);
    CHECK_OK(latch_chain_subject(c, 0, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=www.example.com") == 0);
    CHECK_OK(latch_chain_subject(c, 1, buf, sizeof buf));
    CHECK(strcmp(buf, "CN=Cert Test Intermediate") == 0);
    CHECK_ERR(latch_chain_subject(c, 2, buf, sizeof buf), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_chain_subject(c, 0, buf, 5), LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK(strcmp(buf, "CN=w") == 0);
    latch_chain_free(c);
    latch_chain_free(NULL);
    CHECK_EQ(latch_chain_count(NULL), 0);
}

/* One DER certificate and a DER (PKCS #8) key. */
static void test_load_der(void)
{
    uint8_t cert[4096], key[4096];
    size_t cert_len, key_len;
    latch_chain *c = NULL;
    latch_rd r;

    setup();
    cert_len = pem_to_der(leaf.cert, 0, cert, sizeof cert);
    key_len = pem_to_der(leaf.key, 0, key, sizeof key);
    REQUIRE(cert_len > 0 && key_len > 0);
    REQUIRE_OK(latch_chain_load(NULL, cert, cert_len, key, key_len, &c));
    CHECK_EQ(latch_chain_count(c), 1);
    r = latch_chain_der(c, 0);
    CHECK_MEM(r.p, r.len, cert, cert_len);
    latch_chain_free(c);

    /* A trailing byte after the DER certificate or key. */
    cert[cert_len] = 0;
    CHECK_ERR(latch_chain_load(NULL, cert, cert_len + 1, key, key_len, &c), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("1 trailing bytes");
    CHECK(c == NULL);
    key[key_len] = 0;
    CHECK_ERR(latch_chain_load(NULL, cert, cert_len, key, key_len + 1, &c), LATCH_ERR_PEM_DECODE);
    /* Every truncation of the DER certificate. */
    for (size_t n = 1; n < cert_len; n++) {
        latch_err e = latch_chain_load(NULL, cert, n, key, key_len, &c);

        if (e != LATCH_ERR_PEM_DECODE) {
            latch_test_fail(__FILE__, __LINE__, "DER cut at %zu: %s", n, latch_err_name(e));
        }
    }
}

/* Keys in traditional forms, made by the openssl tool (data/README). */
static void test_traditional_keys(void)
{
    static const char *const pairs[][2] = {
        {"rsa_trad.crt", "rsa_trad.pem"}, /* RSA PRIVATE KEY */
        {"ec_trad.crt", "ec_trad.pem"},   /* EC PARAMETERS + EC PRIVATE KEY */
    };

    for (size_t i = 0; i < 2; i++) {
        char *cert = data_file(pairs[i][0], NULL), *key = data_file(pairs[i][1], NULL);
        latch_chain *c = NULL;

        REQUIRE(cert != NULL && key != NULL);
        CHECK_OK(load_str(cert, key, &c));
        CHECK_EQ(latch_chain_key_info(c).type, i == 0 ? LATCH_PKEY_RSA : LATCH_PKEY_EC);
        latch_chain_free(c);
        free(cert);
        free(key);
    }
}

static void test_key_mismatch(void)
{
    latch_chain *c = NULL;
    char *rsa_key;

    setup();
    CHECK_ERR(load_str(chain_pem, other.key, &c), LATCH_ERR_KEY_MISMATCH);
    CHECK(c == NULL);
    CHECK_DETAIL("does not match certificate 'www.example.com'");
    CHECK_ERR(load_str(chain_pem, inter.key, &c), LATCH_ERR_KEY_MISMATCH); /* the intermediate's key */
    rsa_key = data_file("rsa_trad.pem", NULL);
    REQUIRE(rsa_key != NULL);
    CHECK_ERR(load_str(chain_pem, rsa_key, &c), LATCH_ERR_KEY_MISMATCH);
    CHECK_DETAIL("(RSA-2048) does not match");
    CHECK_DETAIL("(EC P-256)");
    free(rsa_key);
}

static void test_rsa1024_refused(void)
{
    char *cert = data_file("rsa1024.crt", NULL), *key = data_file("rsa1024.pem", NULL);
    latch_chain *c = NULL;

    REQUIRE(cert != NULL && key != NULL);
    CHECK_ERR(load_str(cert, key, &c), LATCH_ERR_UNSUPPORTED);
    CHECK_DETAIL("1024-bit RSA key; latch requires at least 2048 bits");
    CHECK(c == NULL);
    free(cert);
    free(key);
}

static void test_encrypted_keys_refused(void)
{
    char *cert = data_file("ec_trad.crt", NULL);
    char *k1 = data_file("ec_enc.pem", NULL), *k2 = data_file("ec_trad_enc.pem", NULL);
    latch_chain *c = NULL;

    REQUIRE(cert != NULL && k1 != NULL && k2 != NULL);
    CHECK_ERR(load_str(cert, k1, &c), LATCH_ERR_UNSUPPORTED);
    CHECK_DETAIL("encrypted");
    CHECK_ERR(load_str(cert, k2, &c), LATCH_ERR_UNSUPPORTED);
    CHECK_DETAIL("line 1: the private key is encrypted");
    free(cert);
    free(k1);
    free(k2);
}

static void test_bad_inputs(void)
{
    char truncated[PEM_MAX];
    char two_keys[2 * PEM_MAX];
    latch_chain *c = NULL;
    size_t n;

    setup();
    /* Garbage, in place of the certificate and of the key. */
    CHECK_ERR(load_str("hello world", leaf.key, &c), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("neither PEM");
    CHECK_ERR(load_str(leaf.cert, "hello world", &c), LATCH_ERR_PEM_DECODE);
    CHECK_ERR(latch_chain_load(NULL, (const uint8_t *)"\x30\x03\x02\x01\x00", 5, (const uint8_t *)leaf.key,
                               strlen(leaf.key), &c),
              LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("not a DER X.509 certificate");
    /* Empty. */
    CHECK_ERR(load_str("", leaf.key, &c), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("is empty");
    CHECK_ERR(load_str(leaf.cert, "", &c), LATCH_ERR_PEM_DECODE);
    /* Truncated PEM: cut in the middle of the base64 text. */
    n = strlen(leaf.cert) / 2;
    memcpy(truncated, leaf.cert, n);
    truncated[n] = '\0';
    CHECK_ERR(load_str(truncated, leaf.key, &c), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("has no END line");
    /* A key file with the certificate but no key. */
    CHECK_ERR(load_str(leaf.cert, leaf.cert, &c), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("(found: CERTIFICATE)");
    /* A certificate file with only a key. */
    CHECK_ERR(load_str(leaf.key, leaf.key, &c), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("no '-----BEGIN CERTIFICATE-----' block");
    /* Two keys. */
    snprintf(two_keys, sizeof two_keys, "%s%s", leaf.key, leaf.key);
    CHECK_ERR(load_str(leaf.cert, two_keys, &c), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("more than one private key (lines 1 and 6)");
    /* A CERTIFICATE block that holds a key. */
    {
        const char *body = strchr(leaf.key, '\n') + 1;
        int body_len = (int)(strstr(leaf.key, "-----END") - body);

        snprintf(two_keys, sizeof two_keys, "-----BEGIN CERTIFICATE-----\n%.*s-----END CERTIFICATE-----\n", body_len,
                 body);
        CHECK_ERR(load_str(two_keys, leaf.key, &c), LATCH_ERR_PEM_DECODE);
        CHECK_DETAIL("line 1: certificate 1: not a DER X.509 certificate");
    }
    CHECK(c == NULL);
    /* NULL arguments. */
    CHECK_ERR(latch_chain_load(NULL, NULL, 5, (const uint8_t *)leaf.key, strlen(leaf.key), &c),
              LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_chain_load(NULL, (const uint8_t *)leaf.cert, strlen(leaf.cert), (const uint8_t *)leaf.key,
                               strlen(leaf.key), NULL),
              LATCH_ERR_INVALID_ARGUMENT);
}

/* More than LATCH_CHAIN_MAX_CERTS certificates. */
static void test_too_many_certs(void)
{
    static char many[(LATCH_CHAIN_MAX_CERTS + 1) * PEM_MAX];
    latch_chain *c = NULL;
    size_t off = 0;

    setup();
    for (int i = 0; i <= LATCH_CHAIN_MAX_CERTS; i++) {
        off += (size_t)snprintf(many + off, sizeof many - off, "%s", i == 0 ? leaf.cert : inter.cert);
    }
    CHECK_ERR(load_str(many, leaf.key, &c), LATCH_ERR_CERT_CHAIN_TOO_LONG);
    /* Exactly the maximum is fine. */
    many[off - strlen(inter.cert)] = '\0';
    CHECK_OK(load_str(many, leaf.key, &c));
    CHECK_EQ(latch_chain_count(c), LATCH_CHAIN_MAX_CERTS);
    latch_chain_free(c);
}

static void test_files(void)
{
    char cert_path[300], key_path[300], both_path[300], empty_path[300];
    char both[4 * PEM_MAX];
    latch_chain *c = NULL;

    setup();
    REQUIRE(tmpdir_make(dir, sizeof dir) == 0);
    snprintf(cert_path, sizeof cert_path, "%s/chain.pem", dir);
    snprintf(key_path, sizeof key_path, "%s/key.pem", dir);
    snprintf(both_path, sizeof both_path, "%s/both.pem", dir);
    snprintf(empty_path, sizeof empty_path, "%s/empty.pem", dir);
    snprintf(both, sizeof both, "%s%s", leaf.key, chain_pem);
    REQUIRE(write_file(cert_path, chain_pem, strlen(chain_pem)) == 0);
    REQUIRE(write_file(key_path, leaf.key, strlen(leaf.key)) == 0);
    REQUIRE(write_file(both_path, both, strlen(both)) == 0);
    REQUIRE(write_file(empty_path, "", 0) == 0);

    CHECK_OK(latch_chain_load_files(NULL, cert_path, key_path, &c));
    CHECK_EQ(latch_chain_count(c), 2);
    latch_chain_free(c);
    /* One file with the key and the chain. */
    CHECK_OK(latch_chain_load_files(NULL, both_path, both_path, &c));
    CHECK_EQ(latch_chain_count(c), 2);
    latch_chain_free(c);

    CHECK_ERR(latch_chain_load_files(NULL, empty_path, key_path, &c), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("empty.pem' is empty");
    CHECK_ERR(latch_chain_load_files(NULL, cert_path, empty_path, &c), LATCH_ERR_PEM_DECODE);
    CHECK_ERR(latch_chain_load_files(NULL, "/nonexistent/x.pem", key_path, &c), LATCH_ERR_FILE_READ);
    CHECK_DETAIL("cannot open '/nonexistent/x.pem'");
    CHECK_ERR(latch_chain_load_files(NULL, cert_path, "/nonexistent/k.pem", &c), LATCH_ERR_FILE_READ);
    CHECK_ERR(latch_chain_load_files(NULL, dir, key_path, &c), LATCH_ERR_FILE_READ);
    CHECK_DETAIL("not a regular file");
    CHECK_ERR(latch_chain_load_files(NULL, cert_path, other.key, &c), LATCH_ERR_FILE_READ);
    CHECK(c == NULL);
    tmpdir_remove(dir);
}

static void test_matches_name(void)
{
    latch_chain *c = NULL;
    char *cert, *key;

    setup();
    REQUIRE_OK(load_str(chain_pem, leaf.key, &c));
    CHECK(latch_chain_matches_name(c, "www.example.com"));
    CHECK(latch_chain_matches_name(c, "WWW.EXAMPLE.COM"));
    CHECK(latch_chain_matches_name(c, "www.example.com."));
    CHECK(!latch_chain_matches_name(c, "example.com"));
    CHECK(latch_chain_matches_name(c, "a.example.net"));
    CHECK(!latch_chain_matches_name(c, "a.b.example.net"));
    CHECK(!latch_chain_matches_name(c, "example.net"));
    CHECK(!latch_chain_matches_name(c, "*.example.net"));
    CHECK(latch_chain_matches_name(c, "192.0.2.10"));
    CHECK(!latch_chain_matches_name(c, "192.0.2.11"));
    CHECK(!latch_chain_matches_name(c, ""));
    CHECK(!latch_chain_matches_name(c, NULL));
    CHECK(!latch_chain_matches_name(NULL, "www.example.com"));
    latch_chain_free(c);

    /* A CN without SANs is never matched. */
    cert = data_file("ec_trad.crt", NULL);
    key = data_file("ec_trad.pem", NULL);
    REQUIRE(cert != NULL && key != NULL);
    REQUIRE_OK(load_str(cert, key, &c));
    CHECK(!latch_chain_matches_name(c, "ec trad"));
    latch_chain_free(c);
    free(cert);
    free(key);
}

/* The chain's key keeps its signing contexts set up (latch__ossl_sign_prepare) until the chain is freed. */
static void test_key_prepared(void)
{
    const latch_provider *prov = latch_provider_openssl();
    const latch_sig_alg *alg;
    latch_chain *c = NULL;
    uint8_t sig[LATCH_SIG_MAX_LEN];
    size_t n = 0;

    setup();
    REQUIRE(prov != NULL);
    alg = latch_provider_sig(prov, LATCH_SIG_ECDSA_SECP256R1_SHA256);
    REQUIRE(alg != NULL);
    REQUIRE_OK(load_str(chain_pem, leaf.key, &c));
    CHECK_EQ(latch__ossl_sign_kept((const EVP_PKEY *)(const void *)latch_chain_key(c)), 0);
    for (int i = 0; i < 3; i++) {
        CHECK_OK(alg->sign(alg, latch_chain_key(c), (const uint8_t *)"content", 7, sig, sizeof sig, &n));
        CHECK_OK(alg->verify(alg, latch_chain_key(c), (const uint8_t *)"content", 7, sig, n));
    }
    CHECK_EQ(latch__ossl_sign_kept((const EVP_PKEY *)(const void *)latch_chain_key(c)), 1);
    latch_chain_free(c); /* LeakSanitizer: the kept context and the key are freed */
}

static void test_issued_by_any(void)
{
    latch_chain *c = NULL;
    latch_trust *t = NULL;
    latch_rd dns[3];
    const uint8_t junk[] = {0x30, 0x03, 0x01, 0x01, 0xFF};

    setup();
    REQUIRE_OK(latch_trust_new(&t));
    REQUIRE_OK(latch_trust_add_pem(t, (const uint8_t *)ca.cert, strlen(ca.cert)));
    REQUIRE_OK(latch_trust_add_pem(t, (const uint8_t *)inter.cert, strlen(inter.cert)));
    REQUIRE_OK(latch_trust_add_pem(t, (const uint8_t *)leaf.cert, strlen(leaf.cert)));
    REQUIRE(latch_trust_subject_count(t) == 3);
    REQUIRE_OK(load_str(chain_pem, leaf.key, &c));

    dns[0] = latch_trust_subject(t, 0); /* the CA: issuer of the top certificate */
    CHECK(latch_chain_issued_by_any(c, dns, 1));
    dns[0] = latch_trust_subject(t, 1); /* the intermediate: issuer of the leaf */
    CHECK(latch_chain_issued_by_any(c, dns, 1));
    dns[0] = latch_trust_subject(t, 2); /* the leaf's own name issued nothing */
    CHECK(!latch_chain_issued_by_any(c, dns, 1));
    dns[0] = latch_rd_make(junk, sizeof junk);
    dns[1] = latch_rd_make(NULL, 0);
    dns[2] = latch_trust_subject(t, 0);
    CHECK(!latch_chain_issued_by_any(c, dns, 2)); /* malformed names are skipped */
    CHECK(latch_chain_issued_by_any(c, dns, 3));
    CHECK(!latch_chain_issued_by_any(c, dns, 0));
    CHECK(!latch_chain_issued_by_any(c, NULL, 1));
    latch_chain_free(c);

    /* Only the leaf: its issuer still counts. */
    REQUIRE_OK(load_str(leaf.cert, leaf.key, &c));
    dns[0] = latch_trust_subject(t, 1);
    CHECK(latch_chain_issued_by_any(c, dns, 1));
    dns[0] = latch_trust_subject(t, 0);
    CHECK(!latch_chain_issued_by_any(c, dns, 1));
    latch_chain_free(c);
    latch_trust_free(t);
}

/* A counting allocator: everything the chain takes it gives back, with the
 * same sizes. */
typedef struct counting {
    size_t live_blocks, live_bytes, total;
} counting;

static void *count_alloc(void *user, size_t n)
{
    counting *k = user;

    k->live_blocks++;
    k->live_bytes += n;
    k->total++;
    return malloc(n);
}

static void count_free(void *user, void *p, size_t n)
{
    counting *k = user;

    k->live_blocks--;
    k->live_bytes -= n;
    free(p);
}

static void test_allocator(void)
{
    counting k = {0, 0, 0};
    latch_allocator a = {count_alloc, count_free, &k};
    latch_chain *c = NULL;

    setup();
    REQUIRE_OK(latch_chain_load(&a, (const uint8_t *)chain_pem, strlen(chain_pem), (const uint8_t *)leaf.key,
                                strlen(leaf.key), &c));
    CHECK(k.total >= 3);
    /* The chain, its two DER copies, and the leaf's decoded names (entries and bytes). */
    CHECK_EQ(k.live_blocks, 5);
    latch_chain_free(c);
    CHECK_EQ(k.live_blocks, 0);
    CHECK_EQ(k.live_bytes, 0);
    /* Failures give everything back too. */
    CHECK_ERR(latch_chain_load(&a, (const uint8_t *)chain_pem, strlen(chain_pem), (const uint8_t *)other.key,
                               strlen(other.key), &c),
              LATCH_ERR_KEY_MISMATCH);
    CHECK_EQ(k.live_blocks, 0);
    CHECK_EQ(k.live_bytes, 0);
}

static const latch_test cases[] = {
    TEST(test_load_pem_chain),
    TEST(test_load_der),
    TEST(test_traditional_keys),
    TEST(test_key_mismatch),
    TEST(test_rsa1024_refused),
    TEST(test_encrypted_keys_refused),
    TEST(test_bad_inputs),
    TEST(test_too_many_certs),
    TEST(test_files),
    TEST(test_matches_name),
    TEST(test_key_prepared),
    TEST(test_issued_by_any),
    TEST(test_allocator),
    {0},
};

LATCH_TEST_MAIN(cases)
