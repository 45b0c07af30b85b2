/* Tests for the extension table, the block parser and u16 lists (src/msg/ext/ext.c). */
#include "../msg_test_util.h"

#include <stdio.h>

#define TLS13_CTXS                                                                                         \
    (LATCH_CTX_CH | LATCH_CTX_SH | LATCH_CTX_HRR | LATCH_CTX_EE | LATCH_CTX_CT | LATCH_CTX_CR | LATCH_CTX_NST)

static const unsigned all_ctxs[] = {LATCH_CTX_CH, LATCH_CTX_SH, LATCH_CTX_HRR, LATCH_CTX_EE,
                                    LATCH_CTX_CT, LATCH_CTX_CR, LATCH_CTX_NST, LATCH_CTX_SH12};

static const latch_ext_info *by_name(const char *name)
{
    for (int i = 0; i < LATCH_X__COUNT; i++) {
        const latch_ext_info *x = latch_ext_by_id((latch_ext_id)i);

        if (strcmp(x->name, name) == 0) {
            return x;
        }
    }
    return NULL;
}

static unsigned ctx_of(const char *tok)
{
    static const struct {
        const char *s;
        unsigned ctx;
    } m[] = {{"CH", LATCH_CTX_CH}, {"SH", LATCH_CTX_SH}, {"HRR", LATCH_CTX_HRR}, {"EE", LATCH_CTX_EE},
             {"CT", LATCH_CTX_CT}, {"CR", LATCH_CTX_CR}, {"NST", LATCH_CTX_NST}};

    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        if (strcmp(tok, m[i].s) == 0) {
            return m[i].ctx;
        }
    }
    return 0;
}

/* The TLS 1.3 column of our table is the RFC 8446 §4.2 table, read from the
 * RFC's own text. */
static void test_table_matches_rfc8446(void)
{
    const char *src = getenv("LATCH_SRC");
    char path[1024], line[256];
    FILE *fp;
    int rows = 0;
    uint32_t listed = 0;

    snprintf(path, sizeof path, "%s/tests/unit/msg/ext/rfc8446_ext_table.txt", src ? src : ".");
    fp = fopen(path, "r");
    REQUIRE(fp != NULL);
    while (fgets(line, sizeof line, fp) != NULL) {
        char name[64], ctxs[64], *tok, *save = NULL;
        unsigned want = 0;
        const latch_ext_info *x;

        if (sscanf(line, "   | %63[a-z_] %*[^|]| %63[^|]|", name, ctxs) != 2) {
            continue;
        }
        for (tok = strtok_r(ctxs, ", ", &save); tok != NULL; tok = strtok_r(NULL, ", ", &save)) {
            unsigned c = ctx_of(tok);

            CHECK(c != 0);
            want |= c;
        }
        x = by_name(name);
        if (x == NULL) {
            latch_test_fail(__FILE__, __LINE__, "RFC 8446 extension %s is not in the table", name);
            continue;
        }
        if ((x->contexts & TLS13_CTXS) != want) {
            latch_test_fail(__FILE__, __LINE__, "%s: contexts 0x%02x, RFC 8446 says 0x%02x", name,
                            x->contexts & TLS13_CTXS, want);
        }
        listed |= LATCH_XBIT(x->id);
        rows++;
    }
    fclose(fp);
    CHECK_EQ(rows, 22);

    /* The rest come from other RFCs. record_size_limit: RFC 8449 §4 (CH, and
     * EE in TLS 1.3); the TLS 1.2-only ones only in the ClientHello. */
    for (int i = 0; i < LATCH_X__COUNT; i++) {
        const latch_ext_info *x = latch_ext_by_id((latch_ext_id)i);

        if ((listed & LATCH_XBIT(i)) != 0) {
            continue;
        }
        if (x->id == LATCH_X_RECORD_SIZE_LIMIT) {
            CHECK_EQ(x->contexts & TLS13_CTXS, LATCH_CTX_CH | LATCH_CTX_EE);
        } else {
            CHECK(x->id == LATCH_X_EC_POINT_FORMATS || x->id == LATCH_X_ENCRYPT_THEN_MAC ||
                  x->id == LATCH_X_EXTENDED_MASTER_SECRET || x->id == LATCH_X_SESSION_TICKET ||
                  x->id == LATCH_X_RENEGOTIATION_INFO);
            CHECK_EQ(x->contexts & TLS13_CTXS, LATCH_CTX_CH);
        }
    }
}

/* What a TLS 1.2 server may answer in its ServerHello. */
static void test_table_sh12(void)
{
    static const latch_ext_id sh12[] = {
        LATCH_X_SERVER_NAME,       LATCH_X_MAX_FRAGMENT_LENGTH, LATCH_X_STATUS_REQUEST,
        LATCH_X_EC_POINT_FORMATS,  LATCH_X_USE_SRTP,            LATCH_X_HEARTBEAT,
        LATCH_X_ALPN,              LATCH_X_SCT,                 LATCH_X_CLIENT_CERT_TYPE,
        LATCH_X_SERVER_CERT_TYPE,  LATCH_X_ENCRYPT_THEN_MAC,    LATCH_X_EXTENDED_MASTER_SECRET,
        LATCH_X_RECORD_SIZE_LIMIT, LATCH_X_SESSION_TICKET,      LATCH_X_RENEGOTIATION_INFO,
    };
    uint32_t want = 0;

    for (size_t i = 0; i < sizeof sh12 / sizeof sh12[0]; i++) {
        want |= LATCH_XBIT(sh12[i]);
    }
    for (int i = 0; i < LATCH_X__COUNT; i++) {
        const latch_ext_info *x = latch_ext_by_id((latch_ext_id)i);
        bool in = (x->contexts & LATCH_CTX_SH12) != 0;

        if (in != ((want & LATCH_XBIT(i)) != 0)) {
            latch_test_fail(__FILE__, __LINE__, "%s: SH12 %s", x->name, in ? "allowed" : "missing");
        }
    }
}

static void test_table_lookup(void)
{
    /* IANA code points (RFC 8446 §4.2 ExtensionType, RFC 5746 §6). */
    CHECK_EQ(latch_ext_lookup(0)->id, LATCH_X_SERVER_NAME);
    CHECK_EQ(latch_ext_lookup(43)->id, LATCH_X_SUPPORTED_VERSIONS);
    CHECK_EQ(latch_ext_lookup(51)->id, LATCH_X_KEY_SHARE);
    CHECK_EQ(latch_ext_lookup(0xFF01)->id, LATCH_X_RENEGOTIATION_INFO);
    CHECK(latch_ext_lookup(0x0A0A) == NULL);
    CHECK(latch_ext_lookup(52) == NULL);
    CHECK(strcmp(latch_ext_name(16), "application_layer_protocol_negotiation") == 0);
    CHECK(strcmp(latch_ext_name(41), "pre_shared_key") == 0);
    CHECK(strcmp(latch_ext_name(0x1234), "unknown") == 0);
    CHECK(latch_ext_by_id(LATCH_X__COUNT) == NULL);
    for (int i = 0; i < LATCH_X__COUNT; i++) {
        const latch_ext_info *x = latch_ext_by_id((latch_ext_id)i);

        REQUIRE(x != NULL);
        CHECK_EQ(x->id, i);
        CHECK(latch_ext_lookup(x->code) == x);
        CHECK(x->contexts != 0);
        for (int j = 0; j < i; j++) {
            CHECK(latch_ext_by_id((latch_ext_id)j)->code != x->code);
        }
    }
}

static void test_grease_values(void)
{
    int n = 0;

    for (unsigned v = 0; v <= 0xFFFF; v++) {
        if (latch_ext_is_grease((uint16_t)v)) {
            CHECK_EQ(v & 0x0F0F, 0x0A0A);
            CHECK_EQ(v >> 8, v & 0xFF);
            n++;
        }
    }
    CHECK_EQ(n, 16); /* RFC 8701 §2: 0x0A0A, 0x1A1A, ..., 0xFAFA */
    CHECK(latch_ext_is_grease(0x0A0A));
    CHECK(latch_ext_is_grease(0xFAFA));
    CHECK(!latch_ext_is_grease(0x0A1A));
}

static tbuf t;
static latch_exts ex;
static unsigned cur_ctx;

static latch_err parse_block(latch_rd b)
{
    return latch_exts_parse(b, cur_ctx, &ex);
}

/* Every recognised extension in every message: allowed by the table or
 * ILLEGAL_PARAMETER. */
static void test_every_ext_every_ctx(void)
{
    const uint8_t data[] = {0xDE, 0xAD};

    for (int i = 0; i < LATCH_X__COUNT; i++) {
        const latch_ext_info *x = latch_ext_by_id((latch_ext_id)i);

        for (size_t c = 0; c < sizeof all_ctxs / sizeof all_ctxs[0]; c++) {
            t.n = 0;
            if ((all_ctxs[c] & (LATCH_CTX_SH | LATCH_CTX_HRR | LATCH_CTX_EE | LATCH_CTX_SH12)) == 0) {
                tb_ext(&t, 0x1111, NULL, 0); /* ignored where unknown ones are allowed */
            }
            tb_ext(&t, x->code, data, sizeof data);
            if ((x->contexts & all_ctxs[c]) != 0) {
                CHECK_OK(latch_exts_parse(latch_rd_make(t.b, t.n), all_ctxs[c], &ex));
                CHECK(latch_exts_has(&ex, x->id));
                CHECK_EQ(ex.present, LATCH_XBIT(x->id));
                CHECK_MEM(ex.data[x->id].p, ex.data[x->id].len, data, sizeof data);
                CHECK_EQ(ex.last_code, x->code);
            } else {
                CHECK_ERR(latch_exts_parse(latch_rd_make(t.b, t.n), all_ctxs[c], &ex), LATCH_ERR_ILLEGAL_PARAMETER);
                CHECK_DETAIL(x->name);
                CHECK_EQ(ex.present, 0);
                CHECK_EQ(ex.count, 0);
            }
        }
    }
}

static void test_unknown(void)
{
    for (size_t c = 0; c < sizeof all_ctxs / sizeof all_ctxs[0]; c++) {
        bool response = (all_ctxs[c] & (LATCH_CTX_SH | LATCH_CTX_HRR | LATCH_CTX_EE | LATCH_CTX_SH12)) != 0;
        const uint16_t codes[] = {0x0A0A, 0x1234, 52, 0xFFFF};

        for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++) {
            t.n = 0;
            tb_ext(&t, codes[k], "x", 1);
            if (response) {
                CHECK_ERR(latch_exts_parse(latch_rd_make(t.b, t.n), all_ctxs[c], &ex),
                          LATCH_ERR_UNSUPPORTED_EXTENSION);
                CHECK_DETAIL("unrequested extension");
            } else {
                CHECK_OK(latch_exts_parse(latch_rd_make(t.b, t.n), all_ctxs[c], &ex));
                CHECK_EQ(ex.present, 0);
                CHECK_EQ(ex.count, 1);
                CHECK_EQ(ex.last_code, codes[k]);
            }
        }
    }
}

static void test_duplicates(void)
{
    /* Recognised, adjacent and apart. */
    t.n = 0;
    tb_ext(&t, LATCH_EXT_KEY_SHARE, NULL, 0);
    tb_ext(&t, LATCH_EXT_KEY_SHARE, NULL, 0);
    CHECK_ERR(latch_exts_parse(latch_rd_make(t.b, t.n), LATCH_CTX_CH, &ex), LATCH_ERR_DUPLICATE_EXTENSION);
    CHECK_DETAIL("key_share (51) appears twice");
    t.n = 0;
    tb_ext(&t, LATCH_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    tb_ext(&t, LATCH_EXT_KEY_SHARE, NULL, 0);
    tb_ext(&t, LATCH_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    CHECK_ERR(latch_exts_parse(latch_rd_make(t.b, t.n), LATCH_CTX_SH, &ex), LATCH_ERR_DUPLICATE_EXTENSION);
    /* Unrecognised ones too, in a context that otherwise ignores them. */
    t.n = 0;
    tb_ext(&t, 0x1234, NULL, 0);
    tb_ext(&t, LATCH_EXT_SERVER_NAME, NULL, 0);
    tb_ext(&t, 0x1234, "a", 1);
    CHECK_ERR(latch_exts_parse(latch_rd_make(t.b, t.n), LATCH_CTX_CH, &ex), LATCH_ERR_DUPLICATE_EXTENSION);
    CHECK_DETAIL("unknown (4660) appears twice");
    t.n = 0;
    tb_ext(&t, 0x0A0A, NULL, 0);
    tb_ext(&t, 0x0A0A, NULL, 0);
    CHECK_ERR(latch_exts_parse(latch_rd_make(t.b, t.n), LATCH_CTX_CR, &ex), LATCH_ERR_DUPLICATE_EXTENSION);
    /* Two different GREASE values are two different extensions. */
    t.n = 0;
    tb_ext(&t, 0x0A0A, NULL, 0);
    tb_ext(&t, 0x1A1A, NULL, 0);
    CHECK_OK(latch_exts_parse(latch_rd_make(t.b, t.n), LATCH_CTX_CH, &ex));
    CHECK_EQ(ex.count, 2);
}

static void test_psk_last(void)
{
    const uint8_t psk[] = {1, 2, 3};

    t.n = 0;
    tb_ext(&t, LATCH_EXT_SUPPORTED_VERSIONS, "\x02\x03\x04", 3);
    tb_ext(&t, LATCH_EXT_PRE_SHARED_KEY, psk, sizeof psk);
    CHECK_OK(latch_exts_parse(latch_rd_make(t.b, t.n), LATCH_CTX_CH, &ex));
    CHECK_EQ(ex.last_code, LATCH_EXT_PRE_SHARED_KEY);
    CHECK_MEM(ex.data[LATCH_X_PRE_SHARED_KEY].p, ex.data[LATCH_X_PRE_SHARED_KEY].len, psk, sizeof psk);

    /* Followed by a recognised or an unrecognised extension. */
    tb_ext(&t, LATCH_EXT_PADDING, NULL, 0);
    CHECK_ERR(latch_exts_parse(latch_rd_make(t.b, t.n), LATCH_CTX_CH, &ex), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("follows pre_shared_key");
    t.n -= 4;
    tb_ext(&t, 0x0A0A, NULL, 0);
    CHECK_ERR(latch_exts_parse(latch_rd_make(t.b, t.n), LATCH_CTX_CH, &ex), LATCH_ERR_ILLEGAL_PARAMETER);

    /* pre_shared_key may be anywhere in a ServerHello (RFC 8446 §4.2). */
    t.n = 0;
    tb_ext(&t, LATCH_EXT_PRE_SHARED_KEY, "\x00\x00", 2);
    tb_ext(&t, LATCH_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    CHECK_OK(latch_exts_parse(latch_rd_make(t.b, t.n), LATCH_CTX_SH, &ex));
    CHECK_EQ(ex.present, LATCH_XBIT(LATCH_X_PRE_SHARED_KEY) | LATCH_XBIT(LATCH_X_SUPPORTED_VERSIONS));
}

static void test_too_many(void)
{
    t.n = 0;
    for (unsigned i = 0; i < LATCH_MAX_EXTENSIONS; i++) {
        tb_ext(&t, (uint16_t)(0x2000 + i), NULL, 0);
    }
    CHECK_OK(latch_exts_parse(latch_rd_make(t.b, t.n), LATCH_CTX_CH, &ex));
    CHECK_EQ(ex.count, LATCH_MAX_EXTENSIONS);
    tb_ext(&t, 0x3000, NULL, 0);
    CHECK_ERR(latch_exts_parse(latch_rd_make(t.b, t.n), LATCH_CTX_CH, &ex), LATCH_ERR_DECODE);
    CHECK_DETAIL("more than 64 extensions");
    CHECK_EQ(ex.count, 0);
}

/* A block cut anywhere but between two extensions is DECODE; between two,
 * it is a shorter valid block. */
static void test_truncation(void)
{
    size_t bounds[4], nb = 0;

    t.n = 0;
    bounds[nb++] = t.n;
    tb_ext(&t, LATCH_EXT_SERVER_NAME, "\x00\x04\x00\x00\x01\x61", 6);
    bounds[nb++] = t.n;
    tb_ext(&t, LATCH_EXT_SUPPORTED_GROUPS, "\x00\x02\x00\x1d", 4);
    bounds[nb++] = t.n;
    tb_ext(&t, 0x4444, "\x01\x02\x03", 3);
    bounds[nb++] = t.n;
    cur_ctx = LATCH_CTX_CH;
    for (size_t i = 0; i <= t.n; i++) {
        bool boundary = false;

        for (size_t k = 0; k < nb; k++) {
            boundary = boundary || bounds[k] == i;
        }
        CHECK_ERR(parse_exact(parse_block, t.b, i), boundary ? LATCH_OK : LATCH_ERR_DECODE);
    }
    CHECK_ERR(parse_exact(parse_block, t.b, 1), LATCH_ERR_DECODE);
    CHECK_DETAIL("truncated extension_type");
    CHECK_ERR(parse_exact(parse_block, t.b, 5), LATCH_ERR_DECODE);
    CHECK_DETAIL("extension_data of server_name (0) overruns the block");
    /* One byte more in a length, one byte less. */
    t.b[3]++;
    CHECK_ERR(parse_exact(parse_block, t.b, t.n), LATCH_ERR_DECODE);
    t.b[3] -= 2;
    CHECK_ERR(parse_exact(parse_block, t.b, t.n), LATCH_ERR_DECODE);
}

static void test_bad_context(void)
{
    CHECK_ERR(latch_exts_parse(latch_rd_make(NULL, 0), 0, &ex), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_exts_parse(latch_rd_make(NULL, 0), LATCH_CTX_CH | LATCH_CTX_SH, &ex), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_exts_parse(latch_rd_make(NULL, 0), 0x100, &ex), LATCH_ERR_INTERNAL);
    CHECK_OK(latch_exts_parse(latch_rd_make(NULL, 0), LATCH_CTX_EE, &ex));
    CHECK_EQ(ex.count, 0);
}

static void test_u16s(void)
{
    const uint8_t ok[] = {0x00, 0x04, 0x13, 0x01, 0x13, 0x02};
    const uint8_t odd[] = {0x00, 0x03, 0x13, 0x01, 0x13};
    const uint8_t trail[] = {0x00, 0x02, 0x13, 0x01, 0x00};
    latch_u16s l;
    latch_rd r;

    CHECK_OK(latch_u16s_parse(latch_rd_make(ok, sizeof ok), 2, 2, 0xFFFE, &l));
    CHECK_EQ(latch_u16s_count(l), 2);
    CHECK_EQ(latch_u16s_at(l, 0), 0x1301);
    CHECK_EQ(latch_u16s_at(l, 1), 0x1302);
    CHECK(latch_u16s_contains(l, 0x1302));
    CHECK(!latch_u16s_contains(l, 0x1303));
    CHECK(!latch_u16s_contains(l, 0x0113)); /* not across entries */
    CHECK_ERR(latch_u16s_parse(latch_rd_make(odd, sizeof odd), 2, 2, 0xFFFE, &l), LATCH_ERR_DECODE);
    CHECK_DETAIL("odd length 3");
    CHECK_EQ(latch_u16s_count(l), 0);
    CHECK_ERR(latch_u16s_parse(latch_rd_make(trail, sizeof trail), 2, 2, 0xFFFE, &l), LATCH_ERR_DECODE);
    CHECK_ERR(latch_u16s_parse(latch_rd_make(ok, sizeof ok), 2, 6, 0xFFFE, &l), LATCH_ERR_DECODE);
    CHECK_ERR(latch_u16s_parse(latch_rd_make(ok, sizeof ok), 2, 2, 2, &l), LATCH_ERR_DECODE);
    CHECK_ERR(latch_u16s_parse(latch_rd_make(ok, 5), 2, 2, 0xFFFE, &l), LATCH_ERR_DECODE);

    /* From a cursor: the cursor stays put on failure. */
    r = latch_rd_make(odd, sizeof odd);
    CHECK_ERR(latch_u16s_read(&r, "Test.list", 2, 2, 0xFFFE, &l), LATCH_ERR_DECODE);
    CHECK_DETAIL("Test.list: odd length 3");
    CHECK_EQ(latch_rd_left(&r), sizeof odd);
    r = latch_rd_make(trail, sizeof trail);
    CHECK_OK(latch_u16s_read(&r, "Test.list", 2, 2, 0xFFFE, &l));
    CHECK_EQ(latch_rd_left(&r), 1);
}

static void test_builders(void)
{
    uint8_t buf[64];
    latch_wr w;
    const uint16_t v[] = {0x0304, 0x0303};
    const uint8_t with_grease[] = {0x00, 0x2B, 0x00, 0x07, 0x06, 0x3A, 0x3A, 0x03, 0x04, 0x03, 0x03};
    const uint8_t plain[] = {0x00, 0x0A, 0x00, 0x06, 0x00, 0x04, 0x03, 0x04, 0x03, 0x03};
    const uint8_t empty[] = {0xFF, 0x01, 0x00, 0x00};
    const uint8_t opaque[] = {0x00, 0x23, 0x00, 0x02, 0xAB, 0xCD};

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_u16_list_build(&w, LATCH_EXT_SUPPORTED_VERSIONS, 1, 2, 254, 0x3A3A, v, 2);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), with_grease, sizeof with_grease);

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_u16_list_build(&w, LATCH_EXT_SUPPORTED_GROUPS, 2, 2, 0xFFFF, 0, v, 2);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), plain, sizeof plain);

    /* An empty list breaks <2..>: the writer fails rather than encode it. */
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_u16_list_build(&w, LATCH_EXT_SUPPORTED_GROUPS, 2, 2, 0xFFFF, 0, v, 0);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL);

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_empty_build(&w, LATCH_EXT_RENEGOTIATION_INFO);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), empty, sizeof empty);

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_opaque_build(&w, LATCH_EXT_SESSION_TICKET, opaque + 4, 2);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), opaque, sizeof opaque);

    latch_wr_init(&w, buf, 3);
    latch_ext_empty_build(&w, LATCH_EXT_RENEGOTIATION_INFO);
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_BUFFER_TOO_SMALL);
}

static void test_empty_parse(void)
{
    CHECK_OK(latch_ext_empty_parse(latch_rd_make(NULL, 0)));
    CHECK_ERR(latch_ext_empty_parse(latch_rd_make((const uint8_t *)"\x00", 1)), LATCH_ERR_DECODE);
    CHECK_DETAIL("must be empty");
}

static const latch_test cases[] = {
    TEST(test_table_matches_rfc8446),
    TEST(test_table_sh12),
    TEST(test_table_lookup),
    TEST(test_grease_values),
    TEST(test_every_ext_every_ctx),
    TEST(test_unknown),
    TEST(test_duplicates),
    TEST(test_psk_last),
    TEST(test_too_many),
    TEST(test_truncation),
    TEST(test_bad_context),
    TEST(test_u16s),
    TEST(test_builders),
    TEST(test_empty_parse),
    {0},
};

LATCH_TEST_MAIN(cases)
