/*
 * Tests for record framing, limits, sequence numbers and key handling
 * (src/record/record.c): header parsing, per type content rules, the empty
 * record counter, plaintext records, key installation, and the sequence and
 * key-limit guards of both protected modes.
 */
#include "core/err.h"
#include "record/record.h"
#include "rectest.h"

#include <string.h>

static uint8_t buf[LATCH_REC_BUF_MAX + 64];

static void hdr(uint8_t *p, uint8_t type, unsigned version, unsigned len)
{
    p[0] = type;
    put16(p + 1, version);
    put16(p + 3, len);
}

static bool h_is_zero(const latch_rec_hdr *h)
{
    return h->type == 0 && h->version == 0 && h->len == 0;
}

/* ---- latch_rec_header ---------------------------------------------------------- */

static void test_header_ok(void)
{
    static const unsigned versions[] = {0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x03ff};
    uint8_t p[5];
    latch_rec_hdr h;

    for (uint8_t t = LATCH_CT_CHANGE_CIPHER_SPEC; t <= LATCH_CT_APPLICATION_DATA; t++) {
        for (size_t v = 0; v < sizeof versions / sizeof versions[0]; v++) {
            hdr(p, t, versions[v], 0x1234);
            CHECK_OK(latch_rec_header(p, sizeof p, 0xFFFF, &h));
            CHECK_EQ(h.type, t);
            CHECK_EQ(h.version, versions[v]); /* any minor version: RFC 8446 §5.1 says to ignore it */
            CHECK_EQ(h.len, 0x1234);
        }
    }
    /* More bytes than the header (the body follows) are fine. */
    hdr(buf, LATCH_CT_HANDSHAKE, 0x0303, 3);
    CHECK_OK(latch_rec_header(buf, 100, LATCH_REC_MAX_PLAIN, &h));
    CHECK_EQ(h.len, 3);
}

static void test_header_want_read(void)
{
    uint8_t p[5];
    latch_rec_hdr h;

    hdr(p, LATCH_CT_HANDSHAKE, 0x0301, 100);
    for (size_t n = 0; n < 5; n++) {
        CHECK_ERR(latch_rec_header(p, n, LATCH_REC_MAX_PLAIN, &h), LATCH_ERR_WANT_READ);
        CHECK(h_is_zero(&h));
    }
    CHECK_ERR(latch_rec_header(NULL, 0, LATCH_REC_MAX_PLAIN, &h), LATCH_ERR_WANT_READ);
    /* Even bytes that are not TLS at all wait for a whole header first. */
    CHECK_ERR(latch_rec_header((const uint8_t *)"GET ", 4, LATCH_REC_MAX_PLAIN, &h), LATCH_ERR_WANT_READ);
}

static void test_header_bad_type(void)
{
    uint8_t p[5];
    latch_rec_hdr h;

    for (unsigned t = 0; t < 256; t++) {
        if (t >= 20 && t <= 23) {
            continue;
        }
        hdr(p, (uint8_t)t, 0x0303, 10);
        /* 'C', 'D', 'G', 'H', 'O', 'P', 'T' start HTTP words, but not with 0x03 0x03 behind them. */
        CHECK_ERR(latch_rec_header(p, sizeof p, LATCH_REC_MAX_PLAIN, &h), LATCH_ERR_RECORD_BAD_TYPE);
        CHECK(h_is_zero(&h));
    }
}

static void test_header_bad_version(void)
{
    static const unsigned versions[] = {0x0000, 0x0103, 0x0203, 0x0403, 0xfe03, 0xfefd, 0xff03};
    uint8_t p[5];
    latch_rec_hdr h;

    for (size_t v = 0; v < sizeof versions / sizeof versions[0]; v++) {
        hdr(p, LATCH_CT_HANDSHAKE, versions[v], 10);
        CHECK_ERR(latch_rec_header(p, sizeof p, LATCH_REC_MAX_PLAIN, &h), LATCH_ERR_RECORD_BAD_VERSION);
        CHECK(h_is_zero(&h));
    }
}

static void test_header_overflow(void)
{
    static const size_t limits[] = {LATCH_REC_MAX_PLAIN, LATCH_REC_MAX_CIPHER13, LATCH_REC_MAX_CIPHER12, 0, 100};
    uint8_t p[5];
    latch_rec_hdr h;

    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        hdr(p, LATCH_CT_APPLICATION_DATA, 0x0303, (unsigned)limits[i]);
        CHECK_OK(latch_rec_header(p, sizeof p, limits[i], &h));
        CHECK_EQ(h.len, limits[i]);
        hdr(p, LATCH_CT_APPLICATION_DATA, 0x0303, (unsigned)limits[i] + 1);
        CHECK_ERR(latch_rec_header(p, sizeof p, limits[i], &h), LATCH_ERR_RECORD_OVERFLOW);
        CHECK(h_is_zero(&h));
    }
    hdr(p, LATCH_CT_APPLICATION_DATA, 0x0303, 0xFFFF);
    CHECK_ERR(latch_rec_header(p, sizeof p, LATCH_REC_MAX_CIPHER12, &h), LATCH_ERR_RECORD_OVERFLOW);
}

/* Plain HTTP on a TLS port (and a TLS client on an HTTP port) is named as such. */
static void test_header_not_tls(void)
{
    static const struct {
        const char *bytes;
        const char *detail;
    } cases[] = {
        {"GET / HTTP/1.1\r\n", "HTTP request (GET)"},
        {"POST /x HTTP/1.1\r\n", "HTTP request (POST)"},
        {"HEAD / HTTP/1.0\r\n", "HTTP request (HEAD)"},
        {"PUT /a HTTP/1.1\r\n", "HTTP request (PUT)"},
        {"DELETE /a HTTP/1.1\r\n", "HTTP request (DELETE)"},
        {"OPTIONS * HTTP/1.1\r\n", "HTTP request (OPTIONS)"},
        {"PATCH /a HTTP/1.1\r\n", "HTTP request (PATCH)"},
        {"CONNECT example.com:443 HTTP/1.1\r\n", "HTTP proxy request (CONNECT)"},
        {"TRACE / HTTP/1.1\r\n", "HTTP request (TRACE)"},
        {"HTTP/1.1 400 Bad Request\r\n", "HTTP response"},
        {"GET /", "HTTP request (GET)"}, /* exactly a header's worth */
    };
    latch_rec_hdr h;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = cases[i].bytes;

        latch__err_clear();
        CHECK_ERR(latch_rec_header((const uint8_t *)s, strlen(s), LATCH_REC_MAX_PLAIN, &h), LATCH_ERR_NOT_TLS);
        CHECK(h_is_zero(&h));
        CHECK(latch__err_last()->code == LATCH_ERR_NOT_TLS);
        CHECK(strstr(latch__err_last()->detail, cases[i].detail) != NULL);
    }
    /* Near misses are ordinary bad records. */
    CHECK_ERR(latch_rec_header((const uint8_t *)"GETX /", 6, LATCH_REC_MAX_PLAIN, &h), LATCH_ERR_RECORD_BAD_TYPE);
    CHECK_ERR(latch_rec_header((const uint8_t *)"get / ", 6, LATCH_REC_MAX_PLAIN, &h), LATCH_ERR_RECORD_BAD_TYPE);
    CHECK_ERR(latch_rec_header((const uint8_t *)"\x16GET ", 5, LATCH_REC_MAX_PLAIN, &h),
              LATCH_ERR_RECORD_BAD_VERSION);
}

/* ---- Content rules and the empty-record counter ------------------------------------- */

static void test_check_content(void)
{
    static const uint8_t b[4] = {1, 0, 0, 0};

    CHECK_OK(latch_rec_check_content(LATCH_CT_HANDSHAKE, latch_rd_make(b, 1)));
    CHECK_ERR(latch_rec_check_content(LATCH_CT_HANDSHAKE, latch_rd_make(b, 0)), LATCH_ERR_RECORD_EMPTY);
    CHECK_OK(latch_rec_check_content(LATCH_CT_ALERT, latch_rd_make(b, 2)));
    CHECK_ERR(latch_rec_check_content(LATCH_CT_ALERT, latch_rd_make(b, 0)), LATCH_ERR_RECORD_EMPTY);
    CHECK_ERR(latch_rec_check_content(LATCH_CT_ALERT, latch_rd_make(b, 1)), LATCH_ERR_DECODE);
    CHECK_ERR(latch_rec_check_content(LATCH_CT_ALERT, latch_rd_make(b, 3)), LATCH_ERR_DECODE);
    CHECK_ERR(latch_rec_check_content(LATCH_CT_ALERT, latch_rd_make(b, 4)), LATCH_ERR_DECODE);
    CHECK_OK(latch_rec_check_content(LATCH_CT_CHANGE_CIPHER_SPEC, latch_rd_make(b, 1)));
    CHECK_ERR(latch_rec_check_content(LATCH_CT_CHANGE_CIPHER_SPEC, latch_rd_make(b, 0)),
              LATCH_ERR_UNEXPECTED_MESSAGE);
    CHECK_ERR(latch_rec_check_content(LATCH_CT_CHANGE_CIPHER_SPEC, latch_rd_make(b, 2)),
              LATCH_ERR_UNEXPECTED_MESSAGE);
    CHECK_ERR(latch_rec_check_content(LATCH_CT_CHANGE_CIPHER_SPEC, latch_rd_make(b + 1, 1)),
              LATCH_ERR_UNEXPECTED_MESSAGE);
    CHECK_OK(latch_rec_check_content(LATCH_CT_APPLICATION_DATA, latch_rd_make(b, 0)));
    CHECK_OK(latch_rec_check_content(LATCH_CT_APPLICATION_DATA, latch_rd_make(b, 4)));
    CHECK_ERR(latch_rec_check_content(0, latch_rd_make(b, 1)), LATCH_ERR_RECORD_BAD_TYPE);
    CHECK_ERR(latch_rec_check_content(24, latch_rd_make(b, 1)), LATCH_ERR_RECORD_BAD_TYPE);
}

static void test_empty_counter(void)
{
    latch_rec_empty e;

    latch_rec_empty_init(&e, 0);
    CHECK_EQ(e.max, LATCH_MAX_EMPTY_RECORDS_DEFAULT);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < LATCH_MAX_EMPTY_RECORDS_DEFAULT; i++) {
            CHECK_OK(latch_rec_empty_note(&e, 0));
        }
        CHECK_OK(latch_rec_empty_note(&e, 1)); /* a non-empty record ends the run */
    }
    for (int i = 0; i < LATCH_MAX_EMPTY_RECORDS_DEFAULT; i++) {
        CHECK_OK(latch_rec_empty_note(&e, 0));
    }
    CHECK_ERR(latch_rec_empty_note(&e, 0), LATCH_ERR_TOO_MANY_EMPTY_RECORDS);
    CHECK_ERR(latch_rec_empty_note(&e, 0), LATCH_ERR_TOO_MANY_EMPTY_RECORDS);

    latch_rec_empty_init(&e, 2);
    CHECK_OK(latch_rec_empty_note(&e, 0));
    CHECK_OK(latch_rec_empty_note(&e, 0));
    CHECK_ERR(latch_rec_empty_note(&e, 0), LATCH_ERR_TOO_MANY_EMPTY_RECORDS);
    e.count = UINT32_MAX; /* saturates, never wraps back to "fine" */
    CHECK_ERR(latch_rec_empty_note(&e, 0), LATCH_ERR_TOO_MANY_EMPTY_RECORDS);
}

/* ---- Plaintext records ------------------------------------------------------------- */

static void test_plaintext_seal(void)
{
    latch_rec_dir d = {0};
    size_t rec_len = 7;
    static const uint8_t ch_hdr[5] = {0x16, 0x03, 0x01, 0x00, 0x03};

    CHECK_EQ(latch_rec_prefix(&d), 5);
    CHECK_EQ(latch_rec_suffix(&d, 0), 0);
    memcpy(buf + 5, "abc", 3);
    CHECK_OK(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 3, 0, sizeof buf, &rec_len));
    CHECK_EQ(rec_len, 8);
    CHECK_MEM(buf, 5, (const uint8_t *)"\x16\x03\x03\x00\x03", 5);
    CHECK_MEM(buf + 5, 3, (const uint8_t *)"abc", 3);
    /* An initial ClientHello may say 0x0301 (RFC 8446 §5.1). */
    d.version = LATCH_REC_VERSION_TLS10;
    CHECK_OK(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 3, 0, 8, &rec_len));
    CHECK_MEM(buf, 5, ch_hdr, 5);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 3, 0, 7, &rec_len), LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ(rec_len, 0);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 3, 0, 4, &rec_len), LATCH_ERR_BUFFER_TOO_SMALL);
    /* 2^14 fits, 2^14 + 1 does not. */
    CHECK_OK(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 16384, 0, sizeof buf, &rec_len));
    CHECK_EQ(buf[3] << 8 | buf[4], 16384);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 16385, 0, sizeof buf, &rec_len),
              LATCH_ERR_INVALID_ARGUMENT);
    /* Never application data in the clear, no padding, no empty handshake or alert, no unknown type. */
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 3, 0, sizeof buf, &rec_len),
              LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 3, 1, sizeof buf, &rec_len), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 0, 0, sizeof buf, &rec_len), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_ALERT, buf, 0, 0, sizeof buf, &rec_len), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_seal(&d, 19, buf, 3, 0, sizeof buf, &rec_len), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, NULL, 3, 0, sizeof buf, &rec_len), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_seal(NULL, LATCH_CT_HANDSHAKE, buf, 3, 0, sizeof buf, &rec_len), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 3, 0, sizeof buf, NULL), LATCH_ERR_INVALID_ARGUMENT);
    CHECK(d.seq == 0); /* plaintext records use no sequence number */
}

static void test_plaintext_open(void)
{
    latch_rec_dir d = {0};
    uint8_t type = 99;
    latch_rd plain;

    hdr(buf, LATCH_CT_HANDSHAKE, 0x0301, 3);
    memcpy(buf + 5, "xyz", 3);
    CHECK_OK(latch_rec_open(&d, buf, 8, &type, &plain));
    CHECK_EQ(type, LATCH_CT_HANDSHAKE);
    CHECK_MEM(plain.p, plain.len, (const uint8_t *)"xyz", 3);
    CHECK(plain.p == buf + 5); /* a view, no copy */
    /* One complete record exactly. */
    for (size_t n = 0; n < 8; n++) {
        CHECK_ERR(latch_rec_open(&d, buf, n, &type, &plain), LATCH_ERR_INVALID_ARGUMENT);
        CHECK(type == 0 && plain.len == 0);
    }
    CHECK_ERR(latch_rec_open(&d, buf, 9, &type, &plain), LATCH_ERR_INVALID_ARGUMENT);
    /* Application data is never in the clear. */
    hdr(buf, LATCH_CT_APPLICATION_DATA, 0x0303, 3);
    CHECK_ERR(latch_rec_open(&d, buf, 8, &type, &plain), LATCH_ERR_UNEXPECTED_RECORD);
    /* Plaintext limit 2^14 (RFC 8446 §5.1). */
    hdr(buf, LATCH_CT_HANDSHAKE, 0x0303, 16384);
    CHECK_OK(latch_rec_open(&d, buf, 5 + 16384, &type, &plain));
    CHECK_EQ(plain.len, 16384);
    hdr(buf, LATCH_CT_HANDSHAKE, 0x0303, 16385);
    CHECK_ERR(latch_rec_open(&d, buf, 5 + 16385, &type, &plain), LATCH_ERR_RECORD_OVERFLOW);
    /* Header errors come through. */
    hdr(buf, 0x80, 0x0303, 3);
    CHECK_ERR(latch_rec_open(&d, buf, 8, &type, &plain), LATCH_ERR_RECORD_BAD_TYPE);
    hdr(buf, LATCH_CT_ALERT, 0x0203, 3);
    CHECK_ERR(latch_rec_open(&d, buf, 8, &type, &plain), LATCH_ERR_RECORD_BAD_VERSION);
    memcpy(buf, "POST /", 6);
    CHECK_ERR(latch_rec_open(&d, buf, 8, &type, &plain), LATCH_ERR_NOT_TLS);
    CHECK_ERR(latch_rec_open(&d, buf, 8, NULL, &plain), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_open(NULL, buf, 8, &type, &plain), LATCH_ERR_INVALID_ARGUMENT);
    CHECK(d.seq == 0);
}

/* ---- Keys ---------------------------------------------------------------------------- */

/* A provider AEAD that refuses to create contexts, and one with a nonce TLS cannot use. */
static latch_err failing_create(const latch_aead_alg *alg, const uint8_t *key, bool encrypt, latch_aead_ctx **out)
{
    (void)alg;
    (void)key;
    (void)encrypt;
    *out = NULL;
    return LATCH_ERR_CRYPTO;
}

static void test_dir_set_and_clear(void)
{
    const latch_aead_alg *gcm = aead_by_id(LATCH_AEAD_AES_128_GCM);
    const latch_aead_alg *chacha = aead_by_id(LATCH_AEAD_CHACHA20_POLY1305);
    latch_aead_alg broken = *gcm, odd_nonce = *gcm, odd_id = *gcm;
    latch_rec_dir d = {0};
    latch_aead_ctx *ctx;
    static const uint8_t zero[sizeof d] = {0};

    REQUIRE_OK(latch_rec_dir_set13(&d, gcm, test_key, test_iv, true));
    CHECK(d.mode == LATCH_PROT_TLS13 && d.aead == gcm && d.ctx != NULL && d.encrypt);
    CHECK_MEM(d.iv, 12, test_iv, 12);
    CHECK(d.seq == 0 && d.limit == gcm->confidentiality_limit);
    /* A new key for the same AEAD and direction (KeyUpdate) re-keys the context and restarts the count. */
    ctx = d.ctx;
    d.seq = 77;
    d.limit = 3;
    REQUIRE_OK(latch_rec_dir_set13(&d, gcm, other_key, test_key, true));
    CHECK(d.ctx == ctx && d.seq == 0 && d.limit == gcm->confidentiality_limit);
    CHECK_MEM(d.iv, 12, test_key, 12);
    /* Another AEAD or direction gets a fresh context. */
    REQUIRE_OK(latch_rec_dir_set13(&d, chacha, test_key, test_iv, false));
    CHECK(d.aead == chacha && !d.encrypt && d.limit == chacha->confidentiality_limit);
    /* Clearing wipes everything. */
    latch_rec_dir_clear(&d);
    CHECK_MEM(&d, sizeof d, zero, sizeof d);
    latch_rec_dir_clear(&d);
    latch_rec_dir_clear(NULL);

    /* Failures leave no half-installed key behind. */
    REQUIRE_OK(latch_rec_dir_set13(&d, gcm, test_key, test_iv, true));
    CHECK_ERR(latch_rec_dir_set13(&d, NULL, test_key, test_iv, true), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_MEM(&d, sizeof d, zero, sizeof d);
    CHECK_ERR(latch_rec_dir_set13(&d, gcm, NULL, test_iv, true), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_dir_set13(&d, gcm, test_key, NULL, true), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_dir_set13(NULL, gcm, test_key, test_iv, true), LATCH_ERR_INVALID_ARGUMENT);
    broken.create = failing_create;
    REQUIRE_OK(latch_rec_dir_set13(&d, gcm, test_key, test_iv, true));
    CHECK_ERR(latch_rec_dir_set13(&d, &broken, test_key, test_iv, true), LATCH_ERR_CRYPTO);
    CHECK(d.mode == LATCH_PROT_NONE && d.ctx == NULL);
    odd_nonce.nonce_len = 8;
    CHECK_ERR(latch_rec_dir_set13(&d, &odd_nonce, test_key, test_iv, true), LATCH_ERR_INVALID_ARGUMENT);
    odd_id.id = 99;
    CHECK_ERR(latch_rec_dir_set12(&d, &odd_id, test_key, test_iv, 12, true), LATCH_ERR_UNSUPPORTED);
    CHECK_MEM(&d, sizeof d, zero, sizeof d);
}

/* ---- Sequence numbers and key limits ------------------------------------------------------ */

typedef latch_err (*set_fn)(latch_rec_dir *d, const latch_aead_alg *a, bool encrypt);

static latch_err set13(latch_rec_dir *d, const latch_aead_alg *a, bool encrypt)
{
    return latch_rec_dir_set13(d, a, test_key, test_iv, encrypt);
}

static latch_err set12(latch_rec_dir *d, const latch_aead_alg *a, bool encrypt)
{
    return latch_rec_dir_set12(d, a, test_key, test_iv, iv12_len(a), encrypt);
}

static size_t seal_one(latch_rec_dir *d, latch_err *e)
{
    size_t rec_len = 0;

    memcpy(buf + latch_rec_prefix(d), "hello", 5);
    *e = latch_rec_seal(d, LATCH_CT_APPLICATION_DATA, buf, 5, 0, sizeof buf, &rec_len);
    return rec_len;
}

/* RFC 8446 §5.3 / RFC 5246 §6.1: sequence numbers never wrap. The last number used is 2^64 - 2. */
static void test_sequence_exhaustion(void)
{
    static const set_fn sets[] = {set13, set12};

    for (size_t si = 0; si < 2; si++) {
        for (size_t ai = 0; ai < sizeof aead_ids; ai++) {
            const latch_aead_alg *a = aead_by_id(aead_ids[ai]);
            latch_rec_dir tx = {0}, rx = {0};
            uint8_t type;
            latch_rd plain;
            latch_err e;
            size_t n;

            REQUIRE_OK(sets[si](&tx, a, true));
            REQUIRE_OK(sets[si](&rx, a, false));
            tx.seq = rx.seq = UINT64_MAX - 1;
            n = seal_one(&tx, &e);
            CHECK_OK(e);
            CHECK(tx.seq == UINT64_MAX);
            CHECK_OK(latch_rec_open(&rx, buf, n, &type, &plain));
            CHECK_MEM(plain.p, plain.len, (const uint8_t *)"hello", 5);
            CHECK(rx.seq == UINT64_MAX);
            /* Nothing more under this key, either way. */
            (void)seal_one(&tx, &e);
            CHECK_ERR(e, LATCH_ERR_SEQUENCE_EXHAUSTED);
            CHECK(tx.seq == UINT64_MAX);
            CHECK_ERR(latch_rec_open(&rx, buf, n, &type, &plain), LATCH_ERR_SEQUENCE_EXHAUSTED);
            CHECK(rx.seq == UINT64_MAX);
            /* A new key starts again at 0. */
            REQUIRE_OK(sets[si](&tx, a, true));
            (void)seal_one(&tx, &e);
            CHECK_OK(e);
            CHECK(tx.seq == 1);
            latch_rec_dir_clear(&tx);
            latch_rec_dir_clear(&rx);
        }
    }
}

/* RFC 8446 §5.5: once the key has protected its limit of records, sealing stops until a new key. */
static void test_key_limit(void)
{
    static const set_fn sets[] = {set13, set12};

    for (size_t si = 0; si < 2; si++) {
        const latch_aead_alg *a = aead_by_id(LATCH_AEAD_AES_128_GCM);
        latch_rec_dir tx = {0};
        latch_err e;

        REQUIRE_OK(sets[si](&tx, a, true));
        CHECK(tx.limit == a->confidentiality_limit);
        tx.limit = 2;
        (void)seal_one(&tx, &e);
        CHECK_OK(e);
        (void)seal_one(&tx, &e);
        CHECK_OK(e);
        CHECK(tx.limit == 0 && tx.seq == 2);
        (void)seal_one(&tx, &e);
        CHECK_ERR(e, LATCH_ERR_KEY_LIMIT);
        CHECK(tx.limit == 0 && tx.seq == 2);
        REQUIRE_OK(sets[si](&tx, a, true));
        (void)seal_one(&tx, &e);
        CHECK_OK(e);
        latch_rec_dir_clear(&tx);
    }
}

/* A direction in a state no function sets is refused, not misread. */
static void test_unknown_mode(void)
{
    latch_rec_dir d = {0};
    size_t rec_len;
    uint8_t type;
    latch_rd plain;

    d.mode = (latch_prot)7;
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 3, 0, sizeof buf, &rec_len), LATCH_ERR_BAD_STATE);
    hdr(buf, LATCH_CT_HANDSHAKE, 0x0303, 3);
    CHECK_ERR(latch_rec_open(&d, buf, 8, &type, &plain), LATCH_ERR_BAD_STATE);
}

static const latch_test cases[] = {
    TEST(test_header_ok),
    TEST(test_header_want_read),
    TEST(test_header_bad_type),
    TEST(test_header_bad_version),
    TEST(test_header_overflow),
    TEST(test_header_not_tls),
    TEST(test_check_content),
    TEST(test_empty_counter),
    TEST(test_plaintext_seal),
    TEST(test_plaintext_open),
    TEST(test_dir_set_and_clear),
    TEST(test_sequence_exhaustion),
    TEST(test_key_limit),
    TEST(test_unknown_mode),
    {0},
};

LATCH_TEST_MAIN(cases)
