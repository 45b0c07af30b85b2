/* Tests for trust stores (src/x509/trust.c). */
#include "x509/trust.h"

#include "x509/cert.h"
#include "x509/verify.h"
#include "x509_helpers.h"

#include <openssl/x509.h>
#include <time.h>

static minted_pem ca1, ca2, ca1_renewed, leaf1;
static char dir[256];

static void setup(void)
{
    latch_cert_spec s = spec_make("Trust CA 1", 0, 0);
    latch_cert_spec l = spec_make("leaf", 0, 0);

    if (ca1.cert[0] != '\0') {
        return;
    }
    s.is_ca = true;
    if (mint(&s, NULL, &ca1) != LATCH_OK || mint(&s, NULL, &ca1_renewed) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "mint: %s", last_detail());
    }
    s.common_name = "Trust CA 2";
    if (mint(&s, NULL, &ca2) != LATCH_OK || mint(&l, &ca1, &leaf1) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "mint: %s", last_detail());
    }
}

static latch_err add(latch_trust *t, const char *pem)
{
    return latch_trust_add_pem(t, (const uint8_t *)pem, strlen(pem));
}

/* Does subject DN i of t name the issuer of leaf1? (checked through the
 * chain API, independently of how the store encodes it) */
static bool subject_issued_leaf1(const latch_trust *t, size_t i)
{
    latch_chain *c = NULL;
    latch_rd dn = latch_trust_subject(t, i);
    bool r;

    if (latch_chain_load(NULL, (const uint8_t *)leaf1.cert, strlen(leaf1.cert), (const uint8_t *)leaf1.key,
                         strlen(leaf1.key), &c) != LATCH_OK) {
        return false;
    }
    r = latch_chain_issued_by_any(c, &dn, 1);
    latch_chain_free(c);
    return r;
}

static void test_mem(void)
{
    char bundle[5 * PEM_MAX];
    latch_trust *t = NULL;
    latch_rd dn;

    setup();
    REQUIRE_OK(latch_trust_new(&t));
    CHECK_EQ(latch_trust_count(t), 0);
    CHECK_EQ(latch_trust_subject_count(t), 0);
    dn = latch_trust_subject(t, 0);
    CHECK(dn.p == NULL && dn.len == 0);

    /* A bundle with explanatory text, a key block (skipped) and a duplicate. */
    snprintf(bundle, sizeof bundle, "# my CAs\n%s\nsome text\n%s%s%s", ca1.cert, leaf1.key, ca2.cert, ca1.cert);
    REQUIRE_OK(add(t, bundle));
    CHECK_EQ(latch_trust_count(t), 2);
    CHECK_EQ(latch_trust_subject_count(t), 2);
    CHECK(subject_issued_leaf1(t, 0));
    CHECK(!subject_issued_leaf1(t, 1));
    dn = latch_trust_subject(t, 1);
    CHECK(dn.len > 2 && dn.p[0] == 0x30); /* a DER SEQUENCE */

    /* Adding the same again changes nothing; a renewed CA (same name, new
     * key) is a new anchor but not a new subject. */
    REQUIRE_OK(add(t, ca2.cert));
    CHECK_EQ(latch_trust_count(t), 2);
    REQUIRE_OK(add(t, ca1_renewed.cert));
    CHECK_EQ(latch_trust_count(t), 3);
    CHECK_EQ(latch_trust_subject_count(t), 2);
    latch_trust_free(t);
    latch_trust_free(NULL);
    CHECK_EQ(latch_trust_count(NULL), 0);
}

static void test_mem_errors(void)
{
    char bundle[3 * PEM_MAX];
    latch_trust *t = NULL;
    size_t n;

    setup();
    REQUIRE_OK(latch_trust_new(&t));
    CHECK_ERR(add(t, ""), LATCH_ERR_PEM_DECODE);
    CHECK_ERR(add(t, "no pem here"), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("no '-----BEGIN CERTIFICATE-----' block");
    CHECK_ERR(add(t, leaf1.key), LATCH_ERR_PEM_DECODE);
    CHECK_ERR(add(t, "-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\n"), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("line 1: not a DER X.509 certificate");
    CHECK_ERR(latch_trust_add_pem(t, NULL, 3), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_trust_add_pem(NULL, (const uint8_t *)ca1.cert, strlen(ca1.cert)), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_trust_new(NULL), LATCH_ERR_INVALID_ARGUMENT);

    /* All or nothing: a good certificate followed by a truncated one. */
    n = strlen(ca2.cert) / 2;
    snprintf(bundle, sizeof bundle, "%s%.*s", ca1.cert, (int)n, ca2.cert);
    CHECK_ERR(add(t, bundle), LATCH_ERR_PEM_DECODE);
    CHECK_EQ(latch_trust_count(t), 0);
    latch_trust_free(t);
}

static void test_file(void)
{
    char path[300], bundle[2 * PEM_MAX];
    latch_trust *t = NULL;

    setup();
    REQUIRE(tmpdir_make(dir, sizeof dir) == 0);
    snprintf(path, sizeof path, "%s/bundle.pem", dir);
    snprintf(bundle, sizeof bundle, "%s%s", ca1.cert, ca2.cert);
    REQUIRE(write_file(path, bundle, strlen(bundle)) == 0);
    REQUIRE_OK(latch_trust_new(&t));
    CHECK_OK(latch_trust_add_file(t, path));
    CHECK_EQ(latch_trust_count(t), 2);
    CHECK_ERR(latch_trust_add_file(t, "/nonexistent/bundle.pem"), LATCH_ERR_FILE_READ);
    CHECK_ERR(latch_trust_add_file(t, dir), LATCH_ERR_FILE_READ);
    REQUIRE(write_file(path, "", 0) == 0);
    CHECK_ERR(latch_trust_add_file(t, path), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("bundle.pem' is empty");
    CHECK_ERR(latch_trust_add_file(t, NULL), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(latch_trust_count(t), 2);
    latch_trust_free(t);
    tmpdir_remove(dir);
}

/* A c_rehash directory: HHHHHHHH.N files are loaded, other names ignored. */
static void test_dir(void)
{
    char path[600];
    latch_trust *t = NULL;

    setup();
    REQUIRE(tmpdir_make(dir, sizeof dir) == 0);
    snprintf(path, sizeof path, "%s/0a1b2c3d.0", dir);
    REQUIRE(write_file(path, ca1.cert, strlen(ca1.cert)) == 0);
    snprintf(path, sizeof path, "%s/0a1b2c3d.1", dir);
    REQUIRE(write_file(path, ca2.cert, strlen(ca2.cert)) == 0);
    snprintf(path, sizeof path, "%s/ffffffff.0", dir); /* a duplicate */
    REQUIRE(write_file(path, ca1.cert, strlen(ca1.cert)) == 0);
    /* Not hashed names, or CRLs: ignored even though they do not parse. */
    snprintf(path, sizeof path, "%s/README", dir);
    REQUIRE(write_file(path, "hello", 5) == 0);
    snprintf(path, sizeof path, "%s/0a1b2c3d.r0", dir);
    REQUIRE(write_file(path, "crl", 3) == 0);
    snprintf(path, sizeof path, "%s/0A1B2C3D.0", dir);
    REQUIRE(write_file(path, "upper", 5) == 0);
    snprintf(path, sizeof path, "%s/0a1b2c3.0", dir);
    REQUIRE(write_file(path, "short", 5) == 0);
    snprintf(path, sizeof path, "%s/extra.pem", dir);
    REQUIRE(write_file(path, ca1_renewed.cert, strlen(ca1_renewed.cert)) == 0);

    REQUIRE_OK(latch_trust_new(&t));
    CHECK_OK(latch_trust_add_dir(t, dir));
    CHECK_EQ(latch_trust_count(t), 2);

    /* A bad hashed file fails the whole directory, naming the file. */
    snprintf(path, sizeof path, "%s/12345678.0", dir);
    REQUIRE(write_file(path, "garbage", 7) == 0);
    CHECK_ERR(latch_trust_add_dir(t, dir), LATCH_ERR_PEM_DECODE);
    CHECK_DETAIL("12345678.0");
    CHECK_EQ(latch_trust_count(t), 2);

    CHECK_ERR(latch_trust_add_dir(t, "/nonexistent/dir"), LATCH_ERR_FILE_READ);
    tmpdir_remove(dir);
    REQUIRE(tmpdir_make(dir, sizeof dir) == 0);
    CHECK_ERR(latch_trust_add_dir(t, dir), LATCH_ERR_FILE_READ); /* empty */
    CHECK_DETAIL("no hashed certificate files");
    tmpdir_remove(dir);
    latch_trust_free(t);
}

/* The system store, and the variables that override it. */
static void test_system(void)
{
    char path[600];
    latch_trust *t = NULL;
    const char *old_file = getenv("SSL_CERT_FILE"), *old_dir = getenv("SSL_CERT_DIR");
    char saved_file[1024] = "", saved_dir[1024] = "";
    size_t n;

    setup();
    if (old_file != NULL) {
        snprintf(saved_file, sizeof saved_file, "%s", old_file);
    }
    if (old_dir != NULL) {
        snprintf(saved_dir, sizeof saved_dir, "%s", old_dir);
    }
    unsetenv("SSL_CERT_FILE");
    unsetenv("SSL_CERT_DIR");

    /* Debian's bundle (ca-certificates) has well over 100 anchors. */
    REQUIRE_OK(latch_trust_new(&t));
    CHECK_OK(latch_trust_add_system(t));
    CHECK(latch_trust_count(t) > 100);
    CHECK(latch_trust_subject_count(t) > 100);
    n = latch_trust_count(t);
    /* The hashed directory holds the same anchors. */
    CHECK_OK(latch_trust_add_dir(t, "/etc/ssl/certs"));
    CHECK_EQ(latch_trust_count(t), n);
    latch_trust_free(t);

    /* SSL_CERT_FILE replaces the default. */
    REQUIRE(tmpdir_make(dir, sizeof dir) == 0);
    snprintf(path, sizeof path, "%s/one.pem", dir);
    REQUIRE(write_file(path, ca1.cert, strlen(ca1.cert)) == 0);
    setenv("SSL_CERT_FILE", path, 1);
    REQUIRE_OK(latch_trust_new(&t));
    CHECK_OK(latch_trust_add_system(t));
    CHECK_EQ(latch_trust_count(t), 1);
    latch_trust_free(t);

    /* SSL_CERT_DIR, a colon-separated list. */
    unsetenv("SSL_CERT_FILE");
    snprintf(path, sizeof path, "%s/00000000.0", dir);
    REQUIRE(write_file(path, ca2.cert, strlen(ca2.cert)) == 0);
    snprintf(path, sizeof path, "%s:%s", dir, dir);
    setenv("SSL_CERT_DIR", path, 1);
    REQUIRE_OK(latch_trust_new(&t));
    CHECK_OK(latch_trust_add_system(t));
    CHECK_EQ(latch_trust_count(t), 1);
    latch_trust_free(t);

    /* A variable naming a missing file is an error, not a silent fallback. */
    unsetenv("SSL_CERT_DIR");
    setenv("SSL_CERT_FILE", "/nonexistent/ca.pem", 1);
    REQUIRE_OK(latch_trust_new(&t));
    CHECK_ERR(latch_trust_add_system(t), LATCH_ERR_FILE_READ);
    CHECK_EQ(latch_trust_count(t), 0);
    CHECK_ERR(latch_trust_add_system(NULL), LATCH_ERR_INVALID_ARGUMENT);
    latch_trust_free(t);
    tmpdir_remove(dir);

    unsetenv("SSL_CERT_FILE");
    if (saved_file[0] != '\0') {
        setenv("SSL_CERT_FILE", saved_file, 1);
    }
    if (saved_dir[0] != '\0') {
        setenv("SSL_CERT_DIR", saved_dir, 1);
    }
}

/* An anchor does not need to be self-signed (partial chains), and the store
 * may be used for several verifications. */
static void test_store_used_for_verification(void)
{
    uint8_t der[4096];
    const uint8_t *ders[1] = {der};
    size_t lens[1];
    latch_verify_params vp = {NULL, false, (int64_t)time(NULL), 10, false};
    latch_trust *t = NULL;
    latch_peer *p = NULL;

    setup();
    lens[0] = pem_to_der(leaf1.cert, 0, der, sizeof der);
    REQUIRE_OK(latch_peer_new(ders, lens, 1, &p));
    REQUIRE_OK(latch_trust_new(&t));
    REQUIRE_OK(add(t, ca2.cert));
    CHECK_ERR(latch_peer_verify(p, t, &vp), LATCH_ERR_CERT_UNKNOWN_CA);
    REQUIRE_OK(add(t, ca1.cert));
    CHECK_OK(latch_peer_verify(p, t, &vp));
    CHECK_OK(latch_peer_verify(p, t, &vp));
    latch_trust_free(t);

    /* The leaf itself as the anchor. */
    REQUIRE_OK(latch_trust_new(&t));
    REQUIRE_OK(add(t, leaf1.cert));
    CHECK_OK(latch_peer_verify(p, t, &vp));
    latch_trust_free(t);
    latch_peer_free(p);
}

/* A peer's certificate that is byte for byte an anchor is that anchor's object; nothing else is. */
static void test_anchor_by_der(void)
{
    uint8_t der1[4096], der2[4096], leaf[4096];
    size_t n1, n2, nl;
    latch_trust *t = NULL;
    X509 *x;

    setup();
    n1 = pem_to_der(ca1.cert, 0, der1, sizeof der1);
    n2 = pem_to_der(ca2.cert, 0, der2, sizeof der2);
    nl = pem_to_der(leaf1.cert, 0, leaf, sizeof leaf);
    REQUIRE(n1 > 0 && n2 > 0 && nl > 0);
    REQUIRE_OK(latch_trust_new(&t));
    CHECK(latch__trust_anchor_by_der(t, der1, n1) == NULL);
    REQUIRE_OK(add(t, ca1.cert));
    REQUIRE_OK(add(t, ca2.cert));
    x = latch__trust_anchor_by_der(t, der2, n2);
    REQUIRE(x != NULL);
    {
        unsigned char *enc = NULL;
        int len = i2d_X509(x, &enc);

        CHECK_MEM(enc, (size_t)len, der2, n2);
        OPENSSL_free(enc);
    }
    X509_free(x); /* a reference of its own: the store keeps its */
    x = latch__trust_anchor_by_der(t, der1, n1);
    CHECK(x != NULL);
    X509_free(x);
    /* Not an anchor; an anchor with one byte changed, cut short, or longer. */
    CHECK(latch__trust_anchor_by_der(t, leaf, nl) == NULL);
    der1[n1 - 1] ^= 1;
    CHECK(latch__trust_anchor_by_der(t, der1, n1) == NULL);
    der1[n1 - 1] ^= 1;
    CHECK(latch__trust_anchor_by_der(t, der1, n1 - 1) == NULL);
    der1[n1] = 0;
    CHECK(latch__trust_anchor_by_der(t, der1, n1 + 1) == NULL);
    CHECK(latch__trust_anchor_by_der(t, NULL, 0) == NULL);
    CHECK(latch__trust_anchor_by_der(NULL, der1, n1) == NULL);
    latch_trust_free(t);
}

/* The anchors' window: bounded by the nearest notBefore or notAfter of any anchor. */
static void test_window(void)
{
    const int64_t t0 = INT64_C(1750000000), day = 86400;
    latch_cert_spec a = spec_make("Window A", t0 - 10 * day, t0 + 10 * day);
    latch_cert_spec b = spec_make("Window B", t0 - 3 * day, t0 + 30 * day);
    minted_pem ma, mb;
    latch_trust *t = NULL;
    int64_t lo, hi;

    a.is_ca = true;
    b.is_ca = true;
    REQUIRE_OK(mint(&a, NULL, &ma));
    REQUIRE_OK(mint(&b, NULL, &mb));
    REQUIRE_OK(latch_trust_new(&t));
    lo = 5;
    hi = 7;
    CHECK(latch__trust_window(t, 6, &lo, &hi)); /* no anchors: unchanged */
    CHECK(lo == 5 && hi == 7);
    REQUIRE_OK(add(t, ma.cert));
    REQUIRE_OK(add(t, mb.cert));

    lo = INT64_MIN;
    hi = INT64_MAX;
    CHECK(latch__trust_window(t, t0, &lo, &hi));
    CHECK(lo == t0 - 3 * day && hi == t0 + 10 * day);
    lo = INT64_MIN;
    hi = INT64_MAX;
    CHECK(latch__trust_window(t, t0 - 20 * day, &lo, &hi)); /* before everything */
    CHECK(lo == INT64_MIN && hi == t0 - 10 * day);
    lo = INT64_MIN;
    hi = INT64_MAX;
    CHECK(latch__trust_window(t, t0 + 40 * day, &lo, &hi)); /* after everything */
    CHECK(lo == t0 + 30 * day && hi == INT64_MAX);
    lo = INT64_MIN;
    hi = INT64_MAX;
    CHECK(latch__trust_window(t, t0 + 20 * day, &lo, &hi)); /* A expired, B valid */
    CHECK(lo == t0 + 10 * day && hi == t0 + 30 * day);
    /* Narrower already: kept. */
    lo = t0 - day;
    hi = t0 + day;
    CHECK(latch__trust_window(t, t0, &lo, &hi));
    CHECK(lo == t0 - day && hi == t0 + day);
    /* On a bound: no window. */
    CHECK(!latch__trust_window(t, t0 + 10 * day, &lo, &hi));
    CHECK(!latch__trust_window(t, t0 - 3 * day, &lo, &hi));
    CHECK(!latch__trust_window(NULL, t0, &lo, &hi));
    latch_trust_free(t);
}

static const latch_test cases[] = {
    TEST(test_mem),
    TEST(test_mem_errors),
    TEST(test_file),
    TEST(test_dir),
    TEST(test_system),
    TEST(test_store_used_for_verification),
    TEST(test_anchor_by_der),
    TEST(test_window),
    {0},
};

LATCH_TEST_MAIN(cases)
