/* Tests for early_data (src/msg/ext/early_data.c). */
#include "../msg_test_util.h"

static latch_err parse(latch_rd data)
{
    uint32_t v;

    return latch_ext_early_data_nst_parse(data, &v);
}

/* RFC 8448 §3: the NewSessionTicket allows 1024 bytes of early data. */
static void test_rfc8448(void)
{
    static latch_new_session_ticket nst;
    const uint8_t want[] = {0x00, 0x2a, 0x00, 0x04, 0x00, 0x00, 0x04, 0x00};
    latch_rd data;
    uint32_t max = 0;
    uint8_t buf[16];
    latch_wr w;

    REQUIRE_OK(latch_new_session_ticket_parse(rfc_msg(3, "server", "construct a NewSessionTicket", "NewSessionTicket",
                                                      0, LATCH_HS_NEW_SESSION_TICKET, NULL, NULL),
                                              &nst));
    REQUIRE(latch_exts_has(&nst.exts, LATCH_X_EARLY_DATA));
    data = nst.exts.data[LATCH_X_EARLY_DATA];
    CHECK_OK(latch_ext_early_data_nst_parse(data, &max));
    CHECK_EQ(max, 1024);
    CHECK_TRUNCATIONS(parse, data.p, data.len, NO_OK_PREFIX);
    latch_wr_init(&w, buf, sizeof buf);
    latch_ext_early_data_nst_build(&w, 1024);
    CHECK_OK(latch_wr_finish(&w));
    CHECK_MEM(buf, latch_wr_len(&w), want, sizeof want);
    CHECK_ERR(parse(latch_rd_make(NULL, 0)), LATCH_ERR_DECODE);
    CHECK_DETAIL("early_data.max_early_data_size: truncated");
}

/* RFC 8448 §4: early_data is empty in the ClientHello and in EE. */
static void test_empty_forms(void)
{
    latch_rd data = rfc_ch_ext(4, 0, LATCH_X_EARLY_DATA);

    CHECK_EQ(data.len, 0);
    CHECK_OK(latch_ext_empty_parse(data));
}

static const latch_test cases[] = {
    TEST(test_rfc8448),
    TEST(test_empty_forms),
    {0},
};

LATCH_TEST_MAIN(cases)
