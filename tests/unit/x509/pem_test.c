/* Tests for PEM decoding (src/x509/pem.c). */
#include "x509/pem.h"

#include "core/err.h"
#include "harness.h"

#include <string.h>

/* Decode the single block of text; returns the code and fills blk. */
static latch_err one(const char *text, latch_pem_block *blk, bool *found)
{
    latch_pem_reader r;

    latch_pem_reader_init(&r, (const uint8_t *)text, strlen(text), "test");
    return latch_pem_next(&r, NULL, blk, found);
}

static void check_decodes(const char *body, const char *want)
{
    char text[256];
    latch_pem_block blk;
    bool found;

    snprintf(text, sizeof text, "-----BEGIN TEST-----\n%s\n-----END TEST-----\n", body);
    CHECK_OK(one(text, &blk, &found));
    CHECK(found);
    CHECK_MEM(blk.der, blk.der_len, (const uint8_t *)want, strlen(want));
    latch_pem_block_free(NULL, &blk);
}

/* RFC 4648 §10 test vectors. */
static void test_rfc4648_vectors(void)
{
    check_decodes("Zg==", "f");
    check_decodes("Zm8=", "fo");
    check_decodes("Zm9v", "foo");
    check_decodes("Zm9vYg==", "foob");
    check_decodes("Zm9vYmE=", "fooba");
    check_decodes("Zm9vYmFy", "foobar");
}

/* The whole alphabet decodes to the 6-bit values 0..63 in order. */
static void test_alphabet(void)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint8_t want[48];
    char text[200];
    latch_pem_block blk;
    bool found;

    for (unsigned g = 0; g < 16; g++) {
        uint32_t v = (4 * g) << 18 | (4 * g + 1) << 12 | (4 * g + 2) << 6 | (4 * g + 3);

        want[3 * g] = (uint8_t)(v >> 16);
        want[3 * g + 1] = (uint8_t)(v >> 8);
        want[3 * g + 2] = (uint8_t)v;
    }
    snprintf(text, sizeof text, "-----BEGIN X-----\n%s\n-----END X-----", alphabet);
    CHECK_OK(one(text, &blk, &found));
    CHECK_MEM(blk.der, blk.der_len, want, sizeof want);
    latch_pem_block_free(NULL, &blk);
}

/* Explanatory text, CRLF, indentation, blank lines, several blocks. */
static void test_layout_and_several_blocks(void)
{
    const char *text = "Subject: whatever\r\n"
                       "  -----BEGIN ONE-----  \r\n"
                       "Zm9v\r\n"
                       "\r\n"
                       "  YmFy \r\n"
                       "-----END ONE-----\r\n"
                       "between\n"
                       "-----BEGIN TWO-----\n"
                       "Zg==\n"
                       "-----END TWO-----"; /* no final newline */
    latch_pem_reader r;
    latch_pem_block blk;
    bool found;

    latch_pem_reader_init(&r, (const uint8_t *)text, strlen(text), "test");
    CHECK_OK(latch_pem_next(&r, NULL, &blk, &found));
    REQUIRE(found);
    CHECK(strcmp(blk.label, "ONE") == 0);
    CHECK_EQ(blk.line, 2);
    CHECK_MEM(blk.der, blk.der_len, (const uint8_t *)"foobar", 6);
    latch_pem_block_free(NULL, &blk);
    latch_pem_block_free(NULL, &blk); /* idempotent */

    CHECK_OK(latch_pem_next(&r, NULL, &blk, &found));
    REQUIRE(found);
    CHECK(strcmp(blk.label, "TWO") == 0);
    CHECK_EQ(blk.line, 8);
    CHECK_MEM(blk.der, blk.der_len, (const uint8_t *)"f", 1);
    latch_pem_block_free(NULL, &blk);

    CHECK_OK(latch_pem_next(&r, NULL, &blk, &found));
    CHECK(!found);
}

static void check_bad(const char *text, const char *detail)
{
    latch_pem_block blk;
    bool found = true;

    CHECK_ERR(one(text, &blk, &found), LATCH_ERR_PEM_DECODE);
    CHECK(!found);
    CHECK(blk.der == NULL);
    if (strstr(latch__err_last()->detail, detail) == NULL) {
        latch_test_fail(__FILE__, __LINE__, "detail \"%s\" lacks \"%s\"", latch__err_last()->detail, detail);
    }
}

static void test_errors(void)
{
    check_bad("-----BEGIN A-----\nZm9v\n", "has no END line");
    check_bad("-----BEGIN A-----\nZm9v\n-----END B-----\n", "END label 'B' does not match BEGIN label 'A'");
    check_bad("-----BEGIN A-----\nZm9v\nZm#v\n-----END A-----\n", "line 3: invalid base64 character '#'");
    check_bad("-----BEGIN A-----\nZm9vY\n-----END A-----\n", "not a multiple of 4");
    check_bad("-----BEGIN A-----\nZ=9v\n-----END A-----\n", "misplaced '=' padding");
    check_bad("-----BEGIN A-----\nZm==Zm9v\n-----END A-----\n", "misplaced '=' padding");
    check_bad("-----BEGIN A-----\nZm9=\nZm9v\n-----END A-----\n", "misplaced '=' padding");
    check_bad("-----BEGIN A-----\n-----END A-----\n", "is empty");
    check_bad("-----BEGIN A-----\n\n\n-----END A-----\n", "is empty");
    check_bad("text\n-----END A-----\n", "END line without a BEGIN line");
    check_bad("-----BEGIN A-----\nZm9v\n-----BEGIN B-----\nZm9v\n-----END B-----\n", "BEGIN line inside");
    check_bad("-----BEGIN A\nZm9v\n-----END A-----\n", "malformed PEM BEGIN line");
    check_bad("-----BEGIN A-----\nZm9v\n-----END A\n", "malformed PEM END line");
    check_bad("-----BEGIN AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-----\nZm9v\n"
              "-----END AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-----\n",
              "label longer than 64");
    check_bad("-----BEGIN A-----\nZm9\x01\n-----END A-----\n", "invalid base64 character '?'");
    check_bad("-----BEGIN A-----\nZm\xc3\xa9\n-----END A-----\n", "invalid base64 character");
}

/* "=" and "==" in the last group only; and a label of exactly 64 characters is fine. */
static void test_padding_positions_and_long_label(void)
{
    latch_pem_block blk;
    bool found;

    check_decodes("Zm9v\nZm8=", "foofo");
    check_decodes("Zm9v Zg==", "foof");
    CHECK_OK(one("-----BEGIN AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-----\nZm9v\n"
                 "-----END AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-----\n",
                 &blk, &found));
    CHECK(found && strlen(blk.label) == 64);
    latch_pem_block_free(NULL, &blk);
}

/* No BEGIN line at all: nothing found, no error. */
static void test_no_block(void)
{
    latch_pem_block blk;
    bool found = true;

    CHECK_OK(one("", &blk, &found));
    CHECK(!found);
    CHECK_OK(one("just some text\nand more\n", &blk, &found));
    CHECK(!found);
}

/* RFC 1421 headers of a traditional encrypted key. */
static void test_encrypted_headers(void)
{
    latch_pem_block blk;
    bool found;

    CHECK_OK(one("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233\n\n"
                 "Zm9v\n-----END EC PRIVATE KEY-----\n",
                 &blk, &found));
    CHECK(found && blk.encrypted);
    CHECK(blk.der == NULL);
    latch_pem_block_free(NULL, &blk);
}

/* Every truncation of a block: before a complete BEGIN marker nothing is
 * found; from there until the END line is complete it is an error; after
 * that it decodes. */
static void test_truncation_every_byte(void)
{
    const char *text = "-----BEGIN CERTIFICATE-----\nZm9vYmFy\nZm9vYg==\n-----END CERTIFICATE-----\n";
    size_t full = strlen(text);
    size_t begin_prefix = strlen("-----BEGIN C"); /* "-----BEGIN " alone is trimmed to no marker */
    size_t end_complete = full - 1; /* without the final newline */

    for (size_t n = 0; n <= full; n++) {
        latch_pem_reader r;
        latch_pem_block blk;
        bool found = false;
        latch_err e;

        latch_pem_reader_init(&r, (const uint8_t *)text, n, "test");
        e = latch_pem_next(&r, NULL, &blk, &found);
        if (n < begin_prefix) {
            CHECK_OK(e);
            CHECK(!found);
        } else if (n < end_complete) {
            if (e != LATCH_ERR_PEM_DECODE) {
                latch_test_fail(__FILE__, __LINE__, "prefix %zu: %s", n, latch_err_name(e));
            }
        } else {
            CHECK_OK(e);
            CHECK(found);
            CHECK_MEM(blk.der, blk.der_len, (const uint8_t *)"foobarfoob", 10);
        }
        latch_pem_block_free(NULL, &blk);
    }
}

static void test_detect(void)
{
    const uint8_t der[] = {0x30, 0x03, 0x02, 0x01, 0x00};

    CHECK(latch_pem_detect((const uint8_t *)"x\n-----BEGIN A-----\n", 20));
    CHECK(!latch_pem_detect(der, sizeof der));
    CHECK(!latch_pem_detect((const uint8_t *)"-----BEGIN", 10));
    CHECK(!latch_pem_detect(NULL, 0));
}

static const latch_test cases[] = {
    TEST(test_rfc4648_vectors),
    TEST(test_alphabet),
    TEST(test_layout_and_several_blocks),
    TEST(test_errors),
    TEST(test_padding_positions_and_long_label),
    TEST(test_no_block),
    TEST(test_encrypted_headers),
    TEST(test_truncation_every_byte),
    TEST(test_detect),
    {0},
};

LATCH_TEST_MAIN(cases)
