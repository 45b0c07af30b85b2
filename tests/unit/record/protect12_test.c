/*
 * Tests for TLS 1.2 AEAD record protection (src/record/protect12.c), through
 * latch_rec_seal / latch_rec_open: AES-GCM per RFC 5288, ChaCha20-Poly1305 per
 * RFC 7905, both with the RFC 5246 §6.2.3.3 additional data.
 */
#include "record/record.h"
#include "rectest.h"

#define BIG (LATCH_REC_BUF_MAX + 64)

static uint8_t buf[BIG], ref[BIG];

static void pair12(const latch_aead_alg *a, latch_rec_dir *tx, latch_rec_dir *rx)
{
    memset(tx, 0, sizeof *tx);
    memset(rx, 0, sizeof *rx);
    if (latch_rec_dir_set12(tx, a, test_key, test_iv, iv12_len(a), true) != LATCH_OK ||
        latch_rec_dir_set12(rx, a, test_key, test_iv, iv12_len(a), false) != LATCH_OK) {
        fprintf(stderr, "cannot key %s\n", a->name);
        abort();
    }
}

static latch_err seal(latch_rec_dir *d, uint8_t type, const uint8_t *content, size_t n, size_t *rec_len)
{
    memcpy(buf + latch_rec_prefix(d), content, n);
    return latch_rec_seal(d, type, buf, n, 0, sizeof buf, rec_len);
}

static void test_keys(void)
{
    const latch_aead_alg *gcm = aead_by_id(LATCH_AEAD_AES_128_GCM);
    const latch_aead_alg *chacha = aead_by_id(LATCH_AEAD_CHACHA20_POLY1305);
    latch_rec_dir d = {0};

    /* GCM takes the 4-byte salt, ChaCha20-Poly1305 the 12-byte IV; nothing else. */
    CHECK_ERR(latch_rec_dir_set12(&d, gcm, test_key, test_iv, 12, true), LATCH_ERR_INVALID_ARGUMENT);
    CHECK(d.mode == LATCH_PROT_NONE && d.ctx == NULL);
    CHECK_ERR(latch_rec_dir_set12(&d, gcm, test_key, test_iv, 8, true), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_dir_set12(&d, chacha, test_key, test_iv, 4, true), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_dir_set12(&d, chacha, test_key, test_iv, 0, true), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_dir_set12(&d, gcm, NULL, test_iv, 4, true), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_rec_dir_set12(&d, gcm, test_key, NULL, 4, true), LATCH_ERR_INVALID_ARGUMENT);
    CHECK(d.mode == LATCH_PROT_NONE && d.ctx == NULL);
    REQUIRE_OK(latch_rec_dir_set12(&d, gcm, test_key, test_iv, 4, true));
    CHECK(d.mode == LATCH_PROT_TLS12 && d.iv_len == 4 && d.seq == 0);
    CHECK_EQ(latch_rec_prefix(&d), 5 + 8);
    CHECK_EQ(latch_rec_suffix(&d, 0), 16);
    REQUIRE_OK(latch_rec_dir_set12(&d, chacha, test_key, test_iv, 12, true));
    CHECK(d.mode == LATCH_PROT_TLS12 && d.iv_len == 12);
    CHECK_EQ(latch_rec_prefix(&d), 5);
    CHECK_EQ(latch_rec_suffix(&d, 0), 16);
    latch_rec_dir_clear(&d);
}

/* Every AEAD and content type, sizes 0..2^14: what is sealed opens to the same content. */
static void test_round_trips(void)
{
    static const size_t sizes[] = {0, 1, 2, 15, 16, 17, 100, 1000, 4096, 16383, 16384};
    static const uint8_t types[] = {LATCH_CT_APPLICATION_DATA, LATCH_CT_HANDSHAKE, LATCH_CT_ALERT,
                                    LATCH_CT_CHANGE_CIPHER_SPEC};
    static uint8_t content[LATCH_REC_MAX_PLAIN];

    fill_pattern(content, sizeof content, 4);
    for (size_t ai = 0; ai < sizeof aead_ids; ai++) {
        const latch_aead_alg *a = aead_by_id(aead_ids[ai]);
        latch_rec_dir tx, rx;
        uint64_t n = 0;

        pair12(a, &tx, &rx);
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            for (size_t ti = 0; ti < sizeof types; ti++) {
                size_t len = sizes[si], rec_len;
                uint8_t type = 0;
                latch_rd plain;

                if (len == 0 && types[ti] != LATCH_CT_APPLICATION_DATA) {
                    continue;
                }
                REQUIRE_OK(seal(&tx, types[ti], content, len, &rec_len));
                CHECK_EQ(rec_len, latch_rec_prefix(&tx) + len + latch_rec_suffix(&tx, 0));
                CHECK_EQ(buf[0], types[ti]); /* TLS 1.2 keeps the type in the clear */
                REQUIRE_OK(latch_rec_open(&rx, buf, rec_len, &type, &plain));
                CHECK_EQ(type, types[ti]);
                CHECK_MEM(plain.p, plain.len, content, len);
                n++;
                CHECK(tx.seq == n && rx.seq == n);
            }
        }
        latch_rec_dir_clear(&tx);
        latch_rec_dir_clear(&rx);
    }
}

/* The sealed record equals an independent construction from RFC 5246 §6.2.3.3 with RFC 5288 (explicit nonce =
 * the sequence number) or RFC 7905 (iv XOR seq). */
static void test_matches_reference(void)
{
    static const uint64_t seqs[] = {0, 1, 0x0102030405060708ull, UINT64_MAX - 1};
    uint8_t content[33];

    fill_pattern(content, sizeof content, 11);
    for (size_t ai = 0; ai < sizeof aead_ids; ai++) {
        const latch_aead_alg *a = aead_by_id(aead_ids[ai]);

        for (size_t si = 0; si < sizeof seqs / sizeof seqs[0]; si++) {
            latch_rec_dir d = {0};
            size_t rec_len, ref_len;

            REQUIRE_OK(latch_rec_dir_set12(&d, a, test_key, test_iv, iv12_len(a), true));
            d.seq = seqs[si];
            REQUIRE_OK(seal(&d, LATCH_CT_APPLICATION_DATA, content, sizeof content, &rec_len));
            ref_len = raw_rec12(a, test_key, test_iv, seqs[si], seqs[si], LATCH_CT_APPLICATION_DATA, 0x0303, 0x0303,
                                content, sizeof content, ref);
            CHECK_MEM(buf, rec_len, ref, ref_len);
            latch_rec_dir_clear(&d);
        }
    }
}

/* RFC 5288 lets the sender choose any distinct explicit nonce: a peer that does not use the sequence number
 * still opens, and the sequence number still counts in the AAD. */
static void test_foreign_explicit_nonce(void)
{
    const latch_aead_alg *a = aead_by_id(LATCH_AEAD_AES_256_GCM);
    latch_rec_dir rx = {0};
    uint8_t content[10], type;
    latch_rd plain;
    size_t n;

    fill_pattern(content, sizeof content, 2);
    REQUIRE_OK(latch_rec_dir_set12(&rx, a, test_key, test_iv, 4, false));
    n = raw_rec12(a, test_key, test_iv, 0, 0xdeadbeefcafef00dull, LATCH_CT_HANDSHAKE, 0x0303, 0x0303, content,
                  sizeof content, buf);
    CHECK_OK(latch_rec_open(&rx, buf, n, &type, &plain));
    CHECK_MEM(plain.p, plain.len, content, sizeof content);
    /* Same explicit nonce but the AAD sequence number of record 0 while we expect record 1: refused. */
    n = raw_rec12(a, test_key, test_iv, 0, 7, LATCH_CT_HANDSHAKE, 0x0303, 0x0303, content, sizeof content, buf);
    CHECK_ERR(latch_rec_open(&rx, buf, n, &type, &plain), LATCH_ERR_BAD_RECORD_MAC);
    CHECK(rx.seq == 1);
    latch_rec_dir_clear(&rx);
}

/* The record version is authenticated (it is in the AAD): a header that differs from the AAD fails. */
static void test_version_in_aad(void)
{
    for (size_t ai = 0; ai < sizeof aead_ids; ai++) {
        const latch_aead_alg *a = aead_by_id(aead_ids[ai]);
        latch_rec_dir rx = {0};
        uint8_t content[5] = {1, 2, 3, 4, 5}, type;
        latch_rd plain;
        size_t n;

        REQUIRE_OK(latch_rec_dir_set12(&rx, a, test_key, test_iv, iv12_len(a), false));
        n = raw_rec12(a, test_key, test_iv, 0, 0, LATCH_CT_APPLICATION_DATA, 0x0302, 0x0303, content, 5, buf);
        CHECK_ERR(latch_rec_open(&rx, buf, n, &type, &plain), LATCH_ERR_BAD_RECORD_MAC);
        /* Consistent header and AAD: the version itself is the caller's business. */
        n = raw_rec12(a, test_key, test_iv, 0, 0, LATCH_CT_APPLICATION_DATA, 0x0302, 0x0302, content, 5, buf);
        CHECK_OK(latch_rec_open(&rx, buf, n, &type, &plain));
        latch_rec_dir_clear(&rx);
    }
}

static void test_seal_limits(void)
{
    for (size_t ai = 0; ai < sizeof aead_ids; ai++) {
        const latch_aead_alg *a = aead_by_id(aead_ids[ai]);
        latch_rec_dir d = {0};
        size_t rec_len, need;

        REQUIRE_OK(latch_rec_dir_set12(&d, a, test_key, test_iv, iv12_len(a), true));
        CHECK_OK(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 16384, 0, sizeof buf, &rec_len));
        CHECK_EQ(rec_len, latch_rec_prefix(&d) + 16384 + 16);
        CHECK_ERR(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 16385, 0, sizeof buf, &rec_len),
                  LATCH_ERR_INVALID_ARGUMENT);
        /* No padding in TLS 1.2. */
        CHECK_ERR(latch_rec_seal(&d, LATCH_CT_APPLICATION_DATA, buf, 10, 1, sizeof buf, &rec_len),
                  LATCH_ERR_INVALID_ARGUMENT);
        need = latch_rec_prefix(&d) + 10 + 16;
        CHECK_OK(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 10, 0, need, &rec_len));
        CHECK_ERR(latch_rec_seal(&d, LATCH_CT_HANDSHAKE, buf, 10, 0, need - 1, &rec_len),
                  LATCH_ERR_BUFFER_TOO_SMALL);
        CHECK_ERR(latch_rec_seal(&d, LATCH_CT_ALERT, buf, 0, 0, sizeof buf, &rec_len), LATCH_ERR_INVALID_ARGUMENT);
        CHECK(d.seq == 2);
        latch_rec_dir_clear(&d);
    }
}

/* Open-side limits: plaintext 2^14 (RFC 5246 §6.2.1) and ciphertext 2^14 + 2048 (§6.2.3). */
static void test_open_limits(void)
{
    static uint8_t content[16385];

    fill_pattern(content, sizeof content, 8);
    for (size_t ai = 0; ai < sizeof aead_ids; ai++) {
        const latch_aead_alg *a = aead_by_id(aead_ids[ai]);
        latch_rec_dir rx = {0};
        uint8_t type;
        latch_rd plain;
        size_t n;

        REQUIRE_OK(latch_rec_dir_set12(&rx, a, test_key, test_iv, iv12_len(a), false));
        n = raw_rec12(a, test_key, test_iv, 0, 0, LATCH_CT_APPLICATION_DATA, 0x0303, 0x0303, content, 16384, buf);
        CHECK_OK(latch_rec_open(&rx, buf, n, &type, &plain));
        CHECK_EQ(plain.len, 16384);
        n = raw_rec12(a, test_key, test_iv, 1, 1, LATCH_CT_APPLICATION_DATA, 0x0303, 0x0303, content, 16385, buf);
        CHECK_ERR(latch_rec_open(&rx, buf, n, &type, &plain), LATCH_ERR_RECORD_OVERFLOW);
        memset(buf, 0, sizeof buf);
        buf[0] = LATCH_CT_APPLICATION_DATA;
        buf[1] = buf[2] = 3;
        put16(buf + 3, 16384 + 2048);
        CHECK_ERR(latch_rec_open(&rx, buf, 5 + 16384 + 2048, &type, &plain), LATCH_ERR_RECORD_OVERFLOW);
        put16(buf + 3, 16384 + 2049);
        CHECK_ERR(latch_rec_open(&rx, buf, 5 + 16384 + 2049, &type, &plain), LATCH_ERR_RECORD_OVERFLOW);
        CHECK(rx.seq == 1);
        latch_rec_dir_clear(&rx);
    }
}

/* Every single-bit flip, bodies too short, wrong sequence number, wrong key. */
static void test_tampering(void)
{
    for (size_t ai = 0; ai < sizeof aead_ids; ai++) {
        const latch_aead_alg *a = aead_by_id(aead_ids[ai]);
        size_t min_body = (iv12_len(a) == 4 ? 8 : 0) + 16;
        latch_rec_dir tx, rx, wrong = {0};
        uint8_t content[20], good[64], type;
        size_t rec_len;
        latch_rd plain;

        fill_pattern(content, sizeof content, 6);
        pair12(a, &tx, &rx);
        REQUIRE_OK(seal(&tx, LATCH_CT_APPLICATION_DATA, content, sizeof content, &rec_len));
        REQUIRE(rec_len <= sizeof good);
        memcpy(good, buf, rec_len);
        for (size_t i = 0; i < rec_len; i++) {
            for (int bit = 0; bit < 8; bit++) {
                latch_err want = LATCH_ERR_BAD_RECORD_MAC;

                memcpy(buf, good, rec_len);
                buf[i] ^= (uint8_t)(1 << bit);
                if (i == 0) {
                    /* The type is authenticated through the AAD. */
                    want = (buf[0] >= 20 && buf[0] <= 23) ? LATCH_ERR_BAD_RECORD_MAC : LATCH_ERR_RECORD_BAD_TYPE;
                } else if (i == 1) {
                    want = LATCH_ERR_RECORD_BAD_VERSION;
                } else if (i == 3 || i == 4) {
                    want = ((size_t)(buf[3] << 8 | buf[4]) > LATCH_REC_MAX_CIPHER12) ? LATCH_ERR_RECORD_OVERFLOW
                                                                                    : LATCH_ERR_INVALID_ARGUMENT;
                }
                CHECK_ERR(latch_rec_open(&rx, buf, rec_len, &type, &plain), want);
                CHECK(type == 0 && plain.len == 0);
                if (want == LATCH_ERR_BAD_RECORD_MAC) {
                    CHECK(all_zero(buf + 5, rec_len - 5));
                }
            }
        }
        CHECK(rx.seq == 0);
        for (size_t body = 0; body < min_body; body++) {
            memset(buf, 0x42, sizeof buf);
            buf[0] = LATCH_CT_APPLICATION_DATA;
            buf[1] = buf[2] = 3;
            put16(buf + 3, (unsigned)body);
            CHECK_ERR(latch_rec_open(&rx, buf, 5 + body, &type, &plain), LATCH_ERR_BAD_RECORD_MAC);
        }
        memcpy(buf, good, rec_len);
        rx.seq = 1;
        CHECK_ERR(latch_rec_open(&rx, buf, rec_len, &type, &plain), LATCH_ERR_BAD_RECORD_MAC);
        REQUIRE_OK(latch_rec_dir_set12(&wrong, a, other_key, test_iv, iv12_len(a), false));
        memcpy(buf, good, rec_len);
        CHECK_ERR(latch_rec_open(&wrong, buf, rec_len, &type, &plain), LATCH_ERR_BAD_RECORD_MAC);
        rx.seq = 0;
        memcpy(buf, good, rec_len);
        CHECK_OK(latch_rec_open(&rx, buf, rec_len, &type, &plain));
        CHECK_MEM(plain.p, plain.len, content, sizeof content);
        latch_rec_dir_clear(&tx);
        latch_rec_dir_clear(&rx);
        latch_rec_dir_clear(&wrong);
    }
}

static const latch_test cases[] = {
    TEST(test_keys),
    TEST(test_round_trips),
    TEST(test_matches_reference),
    TEST(test_foreign_explicit_nonce),
    TEST(test_version_in_aad),
    TEST(test_seal_limits),
    TEST(test_open_limits),
    TEST(test_tampering),
    {0},
};

LATCH_TEST_MAIN(cases)
