/* Tests for the error table and the failure record (src/core/err.c). */
#include "core/err.h"
#include "harness.h"

#include <string.h>

static void test_table(void)
{
    CHECK(strcmp(latch_err_str(LATCH_OK), "success") == 0);
    CHECK_EQ(latch_err_class(LATCH_OK), LATCH_CLASS_NONE);
    CHECK_EQ(latch_err_class(LATCH_ERR_WANT_READ), LATCH_CLASS_WANT);
    CHECK_EQ(latch_err_class(LATCH_ERR_DECODE), LATCH_CLASS_DECODE);
    CHECK_EQ(latch_err_alert(LATCH_ERR_DECODE), LATCH_ALERT_DECODE_ERROR);
    CHECK_EQ(latch_err_alert(LATCH_ERR_BAD_RECORD_MAC), LATCH_ALERT_BAD_RECORD_MAC);
    CHECK_EQ(latch_err_alert(LATCH_ERR_CERT_EXPIRED), LATCH_ALERT_CERTIFICATE_EXPIRED);
    CHECK_EQ(latch_err_alert(LATCH_ERR_CERT_UNKNOWN_CA), LATCH_ALERT_UNKNOWN_CA);
    CHECK_EQ(latch_err_alert(LATCH_ERR_WANT_READ), LATCH_ALERT_NONE);
    CHECK(strcmp(latch_err_name(LATCH_ERR_CERT_EXPIRED), "CERT_EXPIRED") == 0);
    CHECK(strcmp(latch_alert_str(LATCH_ALERT_CERTIFICATE_REQUIRED), "certificate_required") == 0);
    CHECK(strcmp(latch_alert_str(200), "unknown") == 0);
    /* Out-of-range codes do not read outside the table. */
    CHECK_EQ(latch_err_class((latch_err)9999), LATCH_CLASS_INTERNAL);
}

/* Every code has a name, a text and a class. */
static void test_every_code_described(void)
{
    for (int i = 1; i < LATCH_ERR__COUNT; i++) {
        latch_err e = (latch_err)i;

        CHECK(latch_err_name(e) != NULL && latch_err_name(e)[0] != '\0');
        CHECK(latch_err_str(e) != NULL && latch_err_str(e)[0] != '\0');
        CHECK(latch_err_class(e) != LATCH_CLASS_NONE);
    }
}

static latch_err inner(int x)
{
    LATCH_ENSURE(x > 0, LATCH_ERR_ILLEGAL_PARAMETER, "x must be positive");
    return LATCH_OK;
}

static latch_err outer(int x)
{
    LATCH_TRY(inner(x));
    return LATCH_OK;
}

static latch_err formatted(const char *name)
{
    return LATCH_FAIL(LATCH_ERR_CERT_NAME_MISMATCH, "certificate does not match '%s'", name);
}

static latch_err want(void)
{
    LATCH_TRY(LATCH_ERR_WANT_READ);
    return LATCH_OK;
}

static void test_record_innermost(void)
{
    const latch_errloc *l = latch__err_last();

    latch__err_clear();
    CHECK_ERR(outer(0), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_EQ(l->code, LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK(strcmp(l->detail, "x must be positive") == 0);
    CHECK(strstr(l->file, "err_test.c") != NULL);
    CHECK(l->line > 0);

    CHECK_OK(outer(1));
    CHECK_ERR(formatted("example.com"), LATCH_ERR_CERT_NAME_MISMATCH);
    CHECK(strcmp(l->detail, "certificate does not match 'example.com'") == 0);

    latch__err_clear();
    CHECK_ERR(want(), LATCH_ERR_WANT_READ); /* WANT is not recorded */
    CHECK_EQ(l->code, LATCH_OK);
}

/* A code passing through TRY without a deeper record gets TRY's location. */
static latch_err raw_decode(void)
{
    return LATCH_ERR_DECODE;
}

static latch_err parse_field(void)
{
    LATCH_TRY(raw_decode());
    return LATCH_OK;
}

static void test_pass_records_location(void)
{
    const latch_errloc *l = latch__err_last();

    latch__err_clear();
    CHECK_ERR(parse_field(), LATCH_ERR_DECODE);
    CHECK_EQ(l->code, LATCH_ERR_DECODE);
    CHECK(strstr(l->file, "err_test.c") != NULL);
}

static const latch_test cases[] = {
    TEST(test_table),
    TEST(test_every_code_described),
    TEST(test_record_innermost),
    TEST(test_pass_records_location),
    {0},
};

LATCH_TEST_MAIN(cases)
