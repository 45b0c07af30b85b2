/* Tests for TLS 1.3 record protection (src/record/protect13.c), through latch_rec_seal / latch_rec_open. */
#include "record/record.h"
#include "rectest.h"

#define BIG (LATCH_REC_BUF_MAX + 64)

static uint8_t buf[BIG], ref[BIG], inner[BIG];

static void pair13(const latch_aead_alg *a, latch_rec_dir *tx, latch_rec_dir *rx)
{
    memset(tx, 0, sizeof *tx);
    memset(rx, 0, sizeof *rx);
    if (latch_rec_dir_set13(tx, a, test_key, test_iv, true) != LATCH_OK ||
        latch_rec_dir_set13(rx, a, test_key, test_iv, false) != LATCH_OK) {
        fprintf(stderr, "cannot key %s\n", a->name);
        abort();
    }
}

/* Seal content[0..n) of the given type with pad, into buf. */
static latch_err seal(latch_rec_dir *d, uint8_t type, const uint8_t *content, size_t n, size_t pad, size_t *rec_len)
{
    memcpy(buf + latch_rec_prefix(d), content, n);
    return latch_rec_seal(d, type, buf, n, pad, sizeof buf, rec_len);
}

/* Every AEAD, every content type, sizes 0..2^14 and padding 0..N: what is sealed opens to the same content. */
static void test_round_trips(void)
{
    static const size_t sizes[] = {0, 1, 2, 15, 16, 17, 100, 1000, 4096, 16383, 16384};
    static const uint8_t types[] = {LATCH_CT_APPLICATION_DATA, LATCH_CT_HANDSHAKE, LATCH_CT_ALERT};
    static uint8_t content[LATCH_REC_MAX_PLAIN];

    fill_pattern(content, sizeof content, 3);
    for (size_t ai = 0; ai < sizeof aead_ids; ai++) {
        const latch_aead_alg *a = aead_by_id(aead_ids[ai]);
        latch_rec_dir tx, rx;
        uint64_t n = 0;

        pair13(a, &tx, &rx);
        CHECK_EQ(latch_rec_prefix(&tx), 5);
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            for (size_t ti = 0; ti < sizeof types; ti++) {
                for (size_t pad = 0; pad <= 33; pad += (pad < 17 ? 1 : 16)) {
                    size_t len = sizes[si], rec_len;
                    uint8_t type = 0;
                    latch_rd plain;

                    if ((len == 0 && types[ti] != LATCH_CT_APPLICATION_DATA) || len + 1 + pad > 16385) {
                        continue;
                    }
                    REQUIRE_OK(seal(&tx, types[ti], content, len, pad, &rec_len));
                    CHECK_EQ(rec_len, 5 + len + latch_rec_suffix(&tx, pad));
                    CHECK_EQ(rec_len, 5 + len + 1 + pad + 16);
                    CHECK_EQ(buf[0], LATCH_CT_APPLICATION_DATA); /* the outer type hides the real one */
                    CHECK_EQ(buf[1], 3);
                    CHECK_EQ(buf[2], 3);
                    CHECK_EQ((size_t)(buf[3] << 8 | buf[4]), rec_len - 5);
                    REQUIRE_OK(latch_rec_open(&rx, buf, rec_len, &type, &plain));
                    CHECK_EQ(type, types[ti]);
                    CHECK_MEM(plain.p, plain.len, content, len);
                    n++;
                    CHECK(tx.seq == n && rx.seq == n);
                }
            }
        }
        CHECK(tx.limit == a->confidentiality_limit - n);
        latch_rec_dir_clear(&tx);
        latch_rec_dir_clear(&rx);
    }
}

/* The sealed record equals an independent construction from RFC 8446 §5.2-5.4 (nonce = iv XOR seq across all
 * eight sequence bytes, AAD = header, TLSInnerPlaintext = content || type || zeros), for every AEAD. */
static void test_matches_reference(void)
{
    static const uint64_t seqs[] = {0, 1, 0x0102030405060708ull, UINT64_MAX - 1};
    uint8_t content[40];

    fill_pattern(content, sizeof content, 9);
    for (size_t ai = 0; ai < sizeof aead_ids; ai++) {
        const latch_aead_alg *a = aead_by_id(aead_ids[ai]);

        for (size_t si = 0; si < sizeof seqs / sizeof seqs[0]; si++) {
            for (size_t pad = 0; pad < 4; pad++) {
                latch_rec_dir d = {0};
                size_t rec_len, ref_len;

                REQUIRE_OK(latch_rec_dir_set13(&d, a, test_key, test_iv, true));
                d.seq = seqs[si];
                d.version = LATCH_REC_VERSION_TLS10; /* ignored: protected records always say 0x0303 */
                REQUIRE_OK(seal(&d, LATCH_CT_HANDSHAKE, content, sizeof content, pad, &rec_len));
                memcpy(inner, content, sizeof content);
                inner[sizeof content] = LATCH_CT_HANDSHAKE;
                memset(inner + sizeof content + 1, 0, pad);
                ref_len = raw_rec13(a, test_key, test_iv, seqs[si], LATCH_CT_APPLICATION_DATA, inner,
                                    sizeof content + 1 + pad, ref);
                CHECK_MEM(buf, rec_len, ref, ref_len);
                latch_rec_dir_clear(&d);
            }
        }
    }
}

/* Content that itself ends in zero bytes keeps them: only the zeros after the type are padding. */
static void test_content_with_trailing_zeros(void)
{
    const latch_aead_alg *a = aead_by_id(LATCH_AEAD_AES_128_GCM);
    const uint8_t content[] = {'a', 0, 0, 0};
    latch_rec_dir tx, rx;
    size_t rec_len;
    uint8_t type;
    latch_rd plain;

    pair13(a, &tx, &rx);
    REQUIRE_OK(seal(&tx, LATCH_CT_APPLICATION_DATA, content, sizeof content, 7, &rec_len));
    REQUIRE_OK(latch_rec_open(&rx, buf, rec_len, &type, &plain));
    CHECK_EQ(type, LATCH_CT_APPLICATION_DATA);
    CHECK_MEM(plain.p, plain.len, content, sizeof content);
    latch_rec_dir_clear(&tx);
    latch_rec_dir_clear(&rx);
}

/* Seal-side limits at their edges (RFC 8446 §5.1, §5.4). */
static void test_seal_limits(void)
{
    const latch_aead_alg *a = aead_by_id(LATCH_AEAD_CHACHA20_POLY1305);
    latch_rec_dir d = {0};
    size_t rec_len = 99;

    REQUIRE_OK(latch_rec_dir_set13(&d, a, test_key, test_iv, true));
    memset(buf, 0x5a, sizeof buf);
    /* 2^14 of content fits, with no padding. */
    CHECK_OK(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 16384, 0, sizeof buf, &rec_len));
    CHECK_EQ(rec_len, 5 + 16384 + 1 + 16);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 16385, 0, sizeof buf, &rec_len),
              LATCH_ERR_INVALID_ARGUMENT);
    CHECK_EQ(rec_len, 0);
    /* TLSInnerPlaintext at most 2^14 + 1: content + type + padding. */
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 16384, 1, sizeof buf, &rec_len),
              LATCH_ERR_INVALID_ARGUMENT);
    CHECK_OK(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 100, 16284, sizeof buf, &rec_len));
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 100, 16285, sizeof buf, &rec_len),
              LATCH_ERR_INVALID_ARGUMENT);
    CHECK_OK(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 0, 16384, sizeof buf, &rec_len));
    CHECK_EQ(rec_len, 5 + 16385 + 16);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 0, 16385, sizeof buf, &rec_len),
              LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 0, SIZE_MAX, sizeof buf, &rec_len),
              LATCH_ERR_INVALID_ARGUMENT);
    CHECK(latch_rec_suffix(&d, SIZE_MAX) == SIZE_MAX);
    /* The whole record must fit in cap: exactly enough works, one byte less does not. */
    CHECK_OK(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 10, 3, 5 + 10 + 1 + 3 + 16, &rec_len));
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 10, 3, 5 + 10 + 1 + 3 + 16 - 1, &rec_len),
              LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 10, 0, 4, &rec_len), LATCH_ERR_BUFFER_TOO_SMALL);
    /* Empty handshake and alert records are never sent (§5.4); empty application data is fine. */
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 0, 0, sizeof buf, &rec_len), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_seal(&d, LATCH_CT_ALERT, buf, 0, 5, sizeof buf, &rec_len), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_OK(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 0, 0, sizeof buf, &rec_len));
    CHECK_ERR(latch_rec_seal(&d, 24, buf, 1, 0, sizeof buf, &rec_len), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_seal(&d, 0, buf, 1, 0, sizeof buf, &rec_len), LATCH_ERR_INVALID_ARGUMENT);
    /* Failed seals used no sequence number: 5 records were sealed. */
    CHECK(d.seq == 5);
    latch_rec_dir_clear(&d);
}

/* Open-side limits at their edges: ciphertext 2^14 + 256 (§5.2), TLSInnerPlaintext 2^14 + 1 (§5.4). */
static void test_open_limits(void)
{
    const latch_aead_alg *a = aead_by_id(LATCH_AEAD_AES_256_GCM);
    latch_rec_dir rx = {0};
    size_t n;
    uint8_t type;
    latch_rd plain;

    REQUIRE_OK(latch_rec_dir_set13(&rx, a, test_key, test_iv, false));
    /* Inner plaintext of exactly 2^14 + 1: 2^14 of content and the type. */
    fill_pattern(inner, 16384, 1);
    inner[16384] = LATCH_CT_APPLICATION_DATA;
    n = raw_rec13(a, test_key, test_iv, 0, LATCH_CT_APPLICATION_DATA, inner, 16385, buf);
    CHECK_OK(latch_rec_open(&rx, buf, n, &type, &plain));
    CHECK_EQ(plain.len, 16384);
    /* 2^14 + 2, validly encrypted (content 2^14 + 1, or content 2^14 with a padding byte): record_overflow. */
    fill_pattern(inner, 16385, 1);
    inner[16385] = LATCH_CT_APPLICATION_DATA;
    n = raw_rec13(a, test_key, test_iv, 1, LATCH_CT_APPLICATION_DATA, inner, 16386, buf);
    CHECK_ERR(latch_rec_open(&rx, buf, n, &type, &plain), LATCH_ERR_RECORD_OVERFLOW);
    inner[16384] = LATCH_CT_APPLICATION_DATA;
    inner[16385] = 0;
    n = raw_rec13(a, test_key, test_iv, 1, LATCH_CT_APPLICATION_DATA, inner, 16386, buf);
    CHECK_ERR(latch_rec_open(&rx, buf, n, &type, &plain), LATCH_ERR_RECORD_OVERFLOW);
    /* Ciphertext length: 2^14 + 256 passes the header (then the inner length fails), 2^14 + 257 does not. */
    memset(buf, 0, sizeof buf);
    buf[0] = LATCH_CT_APPLICATION_DATA;
    buf[1] = buf[2] = 3;
    put16(buf + 3, 16384 + 256);
    CHECK_ERR(latch_rec_open(&rx, buf, 5 + 16384 + 256, &type, &plain), LATCH_ERR_RECORD_OVERFLOW);
    put16(buf + 3, 16384 + 257);
    CHECK_ERR(latch_rec_open(&rx, buf, 5 + 16384 + 257, &type, &plain), LATCH_ERR_RECORD_OVERFLOW);
    CHECK(rx.seq == 1);
    latch_rec_dir_clear(&rx);
}

/* Every single-bit flip in header, ciphertext or tag, a wrong key and a wrong sequence number: bad_record_mac
 * (or the header error the flip creates), with seq unchanged and the body wiped. */
static void test_tampering(void)
{
    for (size_t ai = 0; ai < sizeof aead_ids; ai++) {
        const latch_aead_alg *a = aead_by_id(aead_ids[ai]);
        latch_rec_dir tx, rx, wrong = {0};
        uint8_t content[20], good[64], type;
        size_t rec_len;
        latch_rd plain;

        fill_pattern(content, sizeof content, 5);
        pair13(a, &tx, &rx);
        REQUIRE_OK(seal(&tx, LATCH_CT_HANDSHAKE, content, sizeof content, 2, &rec_len));
        REQUIRE(rec_len <= sizeof good);
        memcpy(good, buf, rec_len);
        for (size_t i = 0; i < rec_len; i++) {
            for (int bit = 0; bit < 8; bit++) {
                latch_err want = LATCH_ERR_BAD_RECORD_MAC;

                memcpy(buf, good, rec_len);
                buf[i] ^= (uint8_t)(1 << bit);
                if (i == 0) {
                    want = (buf[0] >= 20 && buf[0] <= 23) ? LATCH_ERR_UNEXPECTED_RECORD : LATCH_ERR_RECORD_BAD_TYPE;
                } else if (i == 1) {
                    want = LATCH_ERR_RECORD_BAD_VERSION;
                } else if (i == 3 || i == 4) {
                    want = ((size_t)(buf[3] << 8 | buf[4]) > LATCH_REC_MAX_CIPHER13) ? LATCH_ERR_RECORD_OVERFLOW
                                                                                    : LATCH_ERR_INVALID_ARGUMENT;
                }
                CHECK_ERR(latch_rec_open(&rx, buf, rec_len, &type, &plain), want);
                CHECK(type == 0 && plain.len == 0);
                if (want == LATCH_ERR_BAD_RECORD_MAC) {
                    CHECK(all_zero(buf + 5, rec_len - 5)); /* no unauthenticated plaintext left */
                }
            }
        }
        CHECK(rx.seq == 0);
        /* Wrong sequence number, either way. */
        memcpy(buf, good, rec_len);
        rx.seq = 1;
        CHECK_ERR(latch_rec_open(&rx, buf, rec_len, &type, &plain), LATCH_ERR_BAD_RECORD_MAC);
        CHECK(rx.seq == 1);
        /* Wrong key. */
        REQUIRE_OK(latch_rec_dir_set13(&wrong, a, other_key, test_iv, false));
        memcpy(buf, good, rec_len);
        CHECK_ERR(latch_rec_open(&wrong, buf, rec_len, &type, &plain), LATCH_ERR_BAD_RECORD_MAC);
        /* Wrong IV. */
        REQUIRE_OK(latch_rec_dir_set13(&wrong, a, test_key, test_key, false));
        memcpy(buf, good, rec_len);
        CHECK_ERR(latch_rec_open(&wrong, buf, rec_len, &type, &plain), LATCH_ERR_BAD_RECORD_MAC);
        /* The untouched record still opens at the right number. */
        rx.seq = 0;
        memcpy(buf, good, rec_len);
        CHECK_OK(latch_rec_open(&rx, buf, rec_len, &type, &plain));
        CHECK_MEM(plain.p, plain.len, content, sizeof content);
        latch_rec_dir_clear(&tx);
        latch_rec_dir_clear(&rx);
        latch_rec_dir_clear(&wrong);
    }
}

/* Bodies too short for a tag cannot authenticate; a tag-only body is an empty TLSInnerPlaintext. */
static void test_truncated(void)
{
    const latch_aead_alg *a = aead_by_id(LATCH_AEAD_AES_128_GCM);
    latch_rec_dir rx = {0};
    uint8_t type;
    latch_rd plain;
    size_t n;

    REQUIRE_OK(latch_rec_dir_set13(&rx, a, test_key, test_iv, false));
    for (size_t body = 0; body < 16; body++) {
        memset(buf, 0x42, sizeof buf);
        buf[0] = LATCH_CT_APPLICATION_DATA;
        buf[1] = buf[2] = 3;
        put16(buf + 3, (unsigned)body);
        CHECK_ERR(latch_rec_open(&rx, buf, 5 + body, &type, &plain), LATCH_ERR_BAD_RECORD_MAC);
    }
    n = raw_rec13(a, test_key, test_iv, 0, LATCH_CT_APPLICATION_DATA, inner, 0, buf);
    CHECK_EQ(n, 5 + 16);
    CHECK_ERR(latch_rec_open(&rx, buf, n, &type, &plain), LATCH_ERR_RECORD_NO_CONTENT_TYPE);
    /* A valid record cut short, or with a byte too many, is not one record. */
    inner[0] = 'x';
    inner[1] = LATCH_CT_APPLICATION_DATA;
    n = raw_rec13(a, test_key, test_iv, 0, LATCH_CT_APPLICATION_DATA, inner, 2, buf);
    for (size_t cut = 0; cut < n; cut++) {
        CHECK_ERR(latch_rec_open(&rx, buf, cut, &type, &plain), LATCH_ERR_INVALID_ARGUMENT);
    }
    CHECK_ERR(latch_rec_open(&rx, buf, n + 1, &type, &plain), LATCH_ERR_INVALID_ARGUMENT);
    CHECK(rx.seq == 0);
    CHECK_OK(latch_rec_open(&rx, buf, n, &type, &plain));
    latch_rec_dir_clear(&rx);
}

/* A plaintext of zeros only (any length) has no content type (§5.4). */
static void test_padding_only(void)
{
    const latch_aead_alg *a = aead_by_id(LATCH_AEAD_CHACHA20_POLY1305);
    latch_rec_dir rx = {0};
    uint8_t type;
    latch_rd plain;

    REQUIRE_OK(latch_rec_dir_set13(&rx, a, test_key, test_iv, false));
    for (size_t len = 1; len <= 300; len += (len < 20 ? 1 : 70)) {
        size_t n;

        memset(inner, 0, len);
        n = raw_rec13(a, test_key, test_iv, 0, LATCH_CT_APPLICATION_DATA, inner, len, buf);
        CHECK_ERR(latch_rec_open(&rx, buf, n, &type, &plain), LATCH_ERR_RECORD_NO_CONTENT_TYPE);
        CHECK(rx.seq == 0);
    }
    memset(inner, 0, 16385);
    CHECK_ERR(latch_rec_open(&rx, buf, raw_rec13(a, test_key, test_iv, 0, 23, inner, 16385, buf), &type, &plain),
              LATCH_ERR_RECORD_NO_CONTENT_TYPE);
    latch_rec_dir_clear(&rx);
}

/* Inner types: 21-23 pass, a protected change_cipher_spec is unexpected (§5), anything else unknown. */
static void test_inner_types(void)
{
    const latch_aead_alg *a = aead_by_id(LATCH_AEAD_AES_128_GCM);
    latch_rec_dir rx = {0};

    REQUIRE_OK(latch_rec_dir_set13(&rx, a, test_key, test_iv, false));
    for (unsigned t = 1; t < 256; t++) {
        latch_err want = LATCH_ERR_RECORD_BAD_TYPE;
        uint8_t type;
        latch_rd plain;
        size_t n;

        if (t == LATCH_CT_ALERT || t == LATCH_CT_HANDSHAKE || t == LATCH_CT_APPLICATION_DATA) {
            want = LATCH_OK;
        } else if (t == LATCH_CT_CHANGE_CIPHER_SPEC) {
            want = LATCH_ERR_UNEXPECTED_RECORD;
        }
        inner[0] = 1;
        inner[1] = 0;
        inner[2] = (uint8_t)t;
        inner[3] = 0;
        n = raw_rec13(a, test_key, test_iv, rx.seq, LATCH_CT_APPLICATION_DATA, inner, 4, buf);
        CHECK_ERR(latch_rec_open(&rx, buf, n, &type, &plain), want);
        if (want == LATCH_OK) {
            CHECK_EQ(type, t);
            CHECK_EQ(plain.len, 2);
        }
    }
    CHECK(rx.seq == 3);
    latch_rec_dir_clear(&rx);
}

/* The outer type of a protected record must be application_data; a validly encrypted record under another
 * outer type is still refused before decryption. */
static void test_outer_type(void)
{
    const latch_aead_alg *a = aead_by_id(LATCH_AEAD_AES_128_GCM);
    latch_rec_dir rx = {0};
    uint8_t type;
    latch_rd plain;

    REQUIRE_OK(latch_rec_dir_set13(&rx, a, test_key, test_iv, false));
    inner[0] = 1;
    inner[1] = 1;
    inner[2] = LATCH_CT_HANDSHAKE;
    for (uint8_t t = LATCH_CT_CHANGE_CIPHER_SPEC; t < LATCH_CT_APPLICATION_DATA; t++) {
        size_t n = raw_rec13(a, test_key, test_iv, 0, t, inner, 3, buf);

        CHECK_ERR(latch_rec_open(&rx, buf, n, &type, &plain), LATCH_ERR_UNEXPECTED_RECORD);
    }
    CHECK(rx.seq == 0);
    latch_rec_dir_clear(&rx);
}

static const latch_test cases[] = {
    TEST(test_round_trips),
    TEST(test_matches_reference),
    TEST(test_content_with_trailing_zeros),
    TEST(test_seal_limits),
    TEST(test_open_limits),
    TEST(test_tampering),
    TEST(test_truncated),
    TEST(test_padding_only),
    TEST(test_inner_types),
    TEST(test_outer_type),
    {0},
};

LATCH_TEST_MAIN(cases)
