/* Tests for the message framing, names and the alert parser (src/msg/msg.c). */
#include "msg_test_util.h"

static void test_names(void)
{
    CHECK(strcmp(latch_hs_name(LATCH_HS_CLIENT_HELLO), "ClientHello") == 0);
    CHECK(strcmp(latch_hs_name(LATCH_HS_SERVER_HELLO), "ServerHello") == 0);
    CHECK(strcmp(latch_hs_name(LATCH_HS_NEW_SESSION_TICKET), "NewSessionTicket") == 0);
    CHECK(strcmp(latch_hs_name(LATCH_HS_END_OF_EARLY_DATA), "EndOfEarlyData") == 0);
    CHECK(strcmp(latch_hs_name(LATCH_HS_ENCRYPTED_EXTENSIONS), "EncryptedExtensions") == 0);
    CHECK(strcmp(latch_hs_name(LATCH_HS_CERTIFICATE), "Certificate") == 0);
    CHECK(strcmp(latch_hs_name(LATCH_HS_CERTIFICATE_REQUEST), "CertificateRequest") == 0);
    CHECK(strcmp(latch_hs_name(LATCH_HS_CERTIFICATE_VERIFY), "CertificateVerify") == 0);
    CHECK(strcmp(latch_hs_name(LATCH_HS_FINISHED), "Finished") == 0);
    CHECK(strcmp(latch_hs_name(LATCH_HS_KEY_UPDATE), "KeyUpdate") == 0);
    CHECK(strcmp(latch_hs_name(LATCH_HS_SERVER_HELLO_DONE), "ServerHelloDone") == 0);
    CHECK(strcmp(latch_hs_name(LATCH_HS_MESSAGE_HASH), "message_hash") == 0);
    CHECK(strcmp(latch_hs_name(3), "unknown") == 0);
    CHECK(strcmp(latch_hs_name(255), "unknown") == 0);
}

/* RFC 8446 §4: msg_type, uint24 length, body. */
static void test_open_close(void)
{
    uint8_t buf[16];
    latch_wr w;
    const uint8_t want[] = {0x14, 0x00, 0x00, 0x03, 0xAA, 0xBB, 0xCC};

    latch_wr_init(&w, buf, sizeof buf);
    latch_msg_open(&w, LATCH_HS_FINISHED);
    latch_wr_bytes(&w, want + 4, 3);
    CHECK_OK(latch_msg_finish(&w, "Finished"));
    CHECK_MEM(buf, latch_wr_len(&w), want, sizeof want);

    /* An empty body. */
    latch_wr_init(&w, buf, sizeof buf);
    latch_msg_open(&w, LATCH_HS_END_OF_EARLY_DATA);
    latch_msg_close(&w);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), (const uint8_t *)"\x05\x00\x00\x00", 4);

    /* Too small: the error is reported with the message's name. */
    latch_wr_init(&w, buf, 5);
    latch_msg_open(&w, LATCH_HS_FINISHED);
    latch_wr_bytes(&w, want + 4, 3);
    CHECK_ERR(latch_msg_finish(&w, "Finished"), LATCH_ERR_BUFFER_TOO_SMALL);
    CHECK_DETAIL("Finished: the output buffer is too small");

    /* Closing without an open vector is an internal error, not success. */
    latch_wr_init(&w, buf, sizeof buf);
    CHECK_ERR(latch_msg_finish(&w, "Nothing"), LATCH_ERR_INTERNAL);
    CHECK_DETAIL("Nothing:");
}

static latch_err parse_alert(latch_rd body)
{
    uint8_t level, desc;

    return latch_alert_parse(body, &level, &desc);
}

static void test_alert(void)
{
    size_t len;
    const uint8_t *p = rfc8448(3, "client", "send alert record", "payload", 0, &len);
    const uint8_t fatal[] = {2, 40};
    const uint8_t level0[] = {0, 0};
    const uint8_t level3[] = {3, 0};
    const uint8_t level255[] = {255, 10};
    uint8_t level = 9, desc = 9;

    /* RFC 8448 §3: the client's close_notify is {warning(1), close_notify(0)}. */
    CHECK_OK(latch_alert_parse(latch_rd_make(p, len), &level, &desc));
    CHECK_EQ(level, LATCH_ALERT_LEVEL_WARNING);
    CHECK_EQ(desc, LATCH_ALERT_CLOSE_NOTIFY);
    CHECK_TRUNCATIONS(parse_alert, p, len, NO_OK_PREFIX);

    CHECK_OK(latch_alert_parse(latch_rd_make(fatal, 2), &level, &desc));
    CHECK_EQ(level, 2);
    CHECK_EQ(desc, 40);
    /* An unknown description is the caller's to judge. */
    CHECK_OK(latch_alert_parse(latch_rd_make((const uint8_t *)"\x02\xC8", 2), &level, &desc));
    CHECK_EQ(desc, 200);

    CHECK_ERR(latch_alert_parse(latch_rd_make(level3, 2), &level, &desc), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("Alert.level");
    CHECK(level == 0 && desc == 0);
    CHECK_ERR(latch_alert_parse(latch_rd_make(level0, 2), &level, &desc), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_ERR(latch_alert_parse(latch_rd_make(level255, 2), &level, &desc), LATCH_ERR_ILLEGAL_PARAMETER);

    /* Wrong lengths: DECODE, whatever the level. */
    CHECK_ERR(parse_exact(parse_alert, fatal, 1), LATCH_ERR_DECODE);
    CHECK_DETAIL("Alert.description: truncated");
    CHECK_ERR(parse_exact(parse_alert, (const uint8_t *)"\x02\x28\x00", 3), LATCH_ERR_DECODE);
    CHECK_DETAIL("Alert: 1 trailing bytes");
    CHECK_ERR(parse_exact(parse_alert, (const uint8_t *)"\x03\x28\x00", 3), LATCH_ERR_DECODE);
    CHECK_ERR(parse_exact(parse_alert, fatal, 0), LATCH_ERR_DECODE);
}

static const latch_test cases[] = {
    TEST(test_names),
    TEST(test_open_close),
    TEST(test_alert),
    {0},
};

LATCH_TEST_MAIN(cases)
