/*
 * The library version (src/core/version.c): "MAJOR.MINOR.PATCH", and the
 * same as the version CMake builds (project(latch VERSION ...), passed in by
 * tests/CMakeLists.txt as LATCH_PROJECT_VERSION), so the two cannot drift.
 */
#include "harness.h"

#include <latch/latch.h>

#include <string.h>

#ifndef LATCH_PROJECT_VERSION
#error "tests/CMakeLists.txt must define LATCH_PROJECT_VERSION"
#endif

/* One decimal component without a leading zero ("0" itself is fine); returns
 * the characters read, 0 if none. */
static size_t number(const char *s)
{
    size_t n = 0;

    while (s[n] >= '0' && s[n] <= '9') {
        n++;
    }
    if (n > 1 && s[0] == '0') {
        return 0;
    }
    return n;
}

/* True if v is exactly MAJOR.MINOR.PATCH. */
static int is_semver(const char *v)
{
    for (int part = 0; part < 3; part++) {
        size_t n = number(v);

        if (n == 0) {
            return 0;
        }
        v += n;
        if (part < 2) {
            if (*v != '.') {
                return 0;
            }
            v++;
        }
    }
    return *v == '\0';
}

static void test_format(void)
{
    const char *v = latch_version();

    REQUIRE(v != NULL);
    CHECK(is_semver(v));
    /* The checker itself. */
    CHECK(is_semver("0.1.0"));
    CHECK(is_semver("10.20.30"));
    CHECK(!is_semver("0.1"));
    CHECK(!is_semver("0.1.0.1"));
    CHECK(!is_semver("0.01.0"));
    CHECK(!is_semver("0.1.0-rc1"));
    CHECK(!is_semver("v0.1.0"));
    CHECK(!is_semver(""));
}

static void test_matches_cmake(void)
{
    if (strcmp(latch_version(), LATCH_PROJECT_VERSION) != 0) {
        latch_test_fail(__FILE__, __LINE__, "latch_version() is \"%s\" but CMakeLists.txt says \"%s\"",
                        latch_version(), LATCH_PROJECT_VERSION);
    }
    CHECK(is_semver(LATCH_PROJECT_VERSION));
}

/* A constant string: the same pointer every time, safe to keep. */
static void test_stable(void)
{
    CHECK(latch_version() == latch_version());
}

static const latch_test cases[] = {
    TEST(test_format),
    TEST(test_matches_cmake),
    TEST(test_stable),
    {0},
};

LATCH_TEST_MAIN(cases)
