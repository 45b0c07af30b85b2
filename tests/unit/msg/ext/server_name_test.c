/* Tests for server_name (src/msg/ext/server_name.c). */
#include "../msg_test_util.h"

static tbuf t;

/* A ServerNameList with one host_name. */
static void sni(tbuf *b, const char *name, size_t len)
{
    b->n = 0;
    tb_u16(b, 3 + len);
    tb_u8(b, 0);
    tb_u16(b, len);
    tb_bytes(b, name, len);
}

static latch_err parse_sni(latch_rd data)
{
    latch_rd host;

    return latch_ext_server_name_parse(data, &host);
}

/* RFC 8448 §3: the ClientHello names "server". */
static void test_rfc8448(void)
{
    static const uint8_t ext[] = {0x00, 0x00, 0x00, 0x0b, 0x00, 0x09, 0x00, 0x00, 0x06,
                                  's',  'e',  'r',  'v',  'e',  'r'};
    uint8_t buf[32];
    latch_wr w;
    latch_rd host;

    CHECK_OK(latch_ext_server_name_parse(latch_rd_make(ext + 4, sizeof ext - 4), &host));
    CHECK_MEM(host.p, host.len, (const uint8_t *)"server", 6);
    CHECK_TRUNCATIONS(parse_sni, ext + 4, sizeof ext - 4, NO_OK_PREFIX);

    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_server_name_build(&w, "server");
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), ext, sizeof ext);
    for (size_t cap = 0; cap < sizeof ext; cap++) {
        latch_wr_init(&w, buf, cap);
        latch_ext_server_name_build(&w, "server");
        CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_BUFFER_TOO_SMALL);
    }
    /* An empty name breaks HostName<1..2^16-1>: the writer refuses. */
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_server_name_build(&w, "");
    CHECK_ERR(latch_wr_finish(&w), LATCH_ERR_INTERNAL);
}

static void test_good_names(void)
{
    static const char *good[] = {
        "example.com", "a", "localhost", "xn--bcher-kva.example", "a-b.c0m", "1.example", "123.456.789.com",
        "EXAMPLE.COM", "x.y.z.a1", "com.0xz",
    };
    char label63[80], name255[300];
    latch_rd host;

    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        sni(&t, good[i], strlen(good[i]));
        if (latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host) != LATCH_OK) {
            latch_test_fail(__FILE__, __LINE__, "\"%s\" rejected: %s", good[i], latch__err_last()->detail);
        }
        CHECK_MEM(host.p, host.len, (const uint8_t *)good[i], strlen(good[i]));
    }
    /* The limits: a 63-byte label, a 255-byte name. */
    memset(label63, 'a', 63);
    memcpy(label63 + 63, ".com", 5);
    sni(&t, label63, strlen(label63));
    CHECK_OK(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host));
    for (size_t i = 0; i < 255; i++) {
        name255[i] = (i % 4 == 3) ? '.' : 'b';
    }
    name255[254] = 'c';
    name255[255] = '\0';
    sni(&t, name255, 255);
    CHECK_OK(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host));
    CHECK_EQ(host.len, 255);
}

static void test_bad_names(void)
{
    static const struct {
        const char *name;
        size_t len;
        const char *why;
    } bad[] = {
        {"192.168.0.1", 11, "IP address literal"},
        {"127.1", 5, "IP address literal"},
        {"16909060", 8, "IP address literal"},
        {"0x7f.0.0.1", 10, "IP address literal"},
        {"0x7f000001", 10, "IP address literal"},
        {"example.0X1F", 12, "IP address literal"},
        {"::1", 3, "byte 0x3a"},
        {"[2001:db8::1]", 13, "byte 0x5b"},
        {"example.com.", 12, "trailing dot"},
        {".", 1, "empty label"},
        {".example.com", 12, "empty label"},
        {"a..b", 4, "empty label"},
        {"exa\0mple.com", 12, "byte 0x00"},
        {"exa_mple.com", 12, "byte 0x5f"},
        {"ex ample.com", 12, "byte 0x20"},
        {"caf\xc3\xa9.fr", 7, "byte 0xc3"},
        {"a/b", 3, "byte 0x2f"},
    };
    char label64[80], name256[300];
    latch_rd host;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sni(&t, bad[i].name, bad[i].len);
        CHECK_ERR(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host), LATCH_ERR_ILLEGAL_PARAMETER);
        CHECK_DETAIL("server_name.host_name");
        CHECK_DETAIL(bad[i].why);
        CHECK(host.p == NULL && host.len == 0);
        CHECK_ERR(latch_ext_host_name_check(latch_rd_make((const uint8_t *)bad[i].name, bad[i].len)),
                  LATCH_ERR_ILLEGAL_PARAMETER);
    }
    memset(label64, 'a', 64);
    memcpy(label64 + 64, ".com", 5);
    sni(&t, label64, strlen(label64));
    CHECK_ERR(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("label longer than 63");
    for (size_t i = 0; i < 256; i++) {
        name256[i] = (i % 4 == 3) ? '.' : 'b';
    }
    sni(&t, name256, 256);
    CHECK_ERR(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("length 256 outside 1..255");
    CHECK_ERR(latch_ext_host_name_check(latch_rd_make(NULL, 0)), LATCH_ERR_ILLEGAL_PARAMETER);
}

static void test_structure(void)
{
    latch_rd host;

    /* An empty HostName is the RFC's syntax: DECODE. */
    sni(&t, "", 0);
    CHECK_ERR(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host), LATCH_ERR_DECODE);
    CHECK_DETAIL("ServerName.host_name: length 0 outside <1..65535>");
    /* An empty list. */
    CHECK_ERR(latch_ext_server_name_parse(latch_rd_make((const uint8_t *)"\x00\x00", 2), &host), LATCH_ERR_DECODE);
    CHECK_DETAIL("server_name.server_name_list");
    /* Empty extension_data (that is the server's form, not the client's). */
    CHECK_ERR(latch_ext_server_name_parse(latch_rd_make(NULL, 0), &host), LATCH_ERR_DECODE);
    /* List length one too long, one too short. */
    sni(&t, "example.com", 11);
    put16(t.b, 15);
    CHECK_ERR(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host), LATCH_ERR_DECODE);
    put16(t.b, 13);
    CHECK_ERR(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host), LATCH_ERR_DECODE);
    /* Name length one too long, one too short. */
    sni(&t, "example.com", 11);
    put16(t.b + 3, 12);
    CHECK_ERR(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host), LATCH_ERR_DECODE);
    put16(t.b + 3, 10);
    CHECK_ERR(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host), LATCH_ERR_DECODE);
    /* A trailing byte after the list. */
    sni(&t, "example.com", 11);
    tb_u8(&t, 0);
    CHECK_ERR(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host), LATCH_ERR_DECODE);
    CHECK_DETAIL("server_name: 1 trailing bytes");
}

static void test_several_entries(void)
{
    latch_rd host;

    /* Two host_names: RFC 6066 §3 "MUST NOT". */
    t.n = 0;
    tb_u16(&t, 2 * (3 + 5));
    tb_u8(&t, 0);
    tb_u16(&t, 5);
    tb_bytes(&t, "a.com", 5);
    tb_u8(&t, 0);
    tb_u16(&t, 5);
    tb_bytes(&t, "b.com", 5);
    CHECK_ERR(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("more than one host_name");

    /* An unknown name type (16-bit length, RFC 6066 §3) is skipped. */
    t.n = 0;
    tb_u16(&t, (3 + 2) + (3 + 5));
    tb_u8(&t, 7);
    tb_u16(&t, 2);
    tb_bytes(&t, "zz", 2);
    tb_u8(&t, 0);
    tb_u16(&t, 5);
    tb_bytes(&t, "a.com", 5);
    CHECK_OK(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host));
    CHECK_MEM(host.p, host.len, (const uint8_t *)"a.com", 5);

    /* Only unknown types: no host name. */
    t.n = 0;
    tb_u16(&t, 3);
    tb_u8(&t, 1);
    tb_u16(&t, 0);
    CHECK_OK(latch_ext_server_name_parse(latch_rd_make(t.b, t.n), &host));
    CHECK_EQ(host.len, 0);
    /* ... truncated. */
    CHECK_ERR(latch_ext_server_name_parse(latch_rd_make(t.b, t.n - 1), &host), LATCH_ERR_DECODE);
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_good_names),
    TEST(test_bad_names),
    TEST(test_structure),
    TEST(test_several_entries),
    {0},
};

LATCH_TEST_MAIN(cases)
