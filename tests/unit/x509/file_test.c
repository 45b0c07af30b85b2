/* Tests for whole-file reads and writes (src/x509/file.c). */
#include "x509/file.h"

#include "core/alloc.h"
#include "x509_helpers.h"

static char dir[256];

static void test_read(void)
{
    char path[600];
    uint8_t *buf = NULL;
    size_t len = 99, cap = 0;

    REQUIRE(tmpdir_make(dir, sizeof dir) == 0);
    snprintf(path, sizeof path, "%s/f.txt", dir);
    REQUIRE(write_file(path, "hello\nworld\n", 12) == 0);
    REQUIRE_OK(latch__file_read(NULL, path, &buf, &len, &cap));
    CHECK_MEM(buf, len, (const uint8_t *)"hello\nworld\n", 12);
    CHECK(cap >= len);
    latch__free(NULL, buf, cap);

    /* An empty file reads as zero bytes. */
    REQUIRE(write_file(path, "", 0) == 0);
    REQUIRE_OK(latch__file_read(NULL, path, &buf, &len, &cap));
    CHECK_EQ(len, 0);
    latch__free(NULL, buf, cap);
    tmpdir_remove(dir);
}

static void test_read_errors(void)
{
    uint8_t *buf = (uint8_t *)1;
    size_t len = 1, cap = 1;

    CHECK_ERR(latch__file_read(NULL, "/nonexistent/file.pem", &buf, &len, &cap), LATCH_ERR_FILE_READ);
    CHECK_DETAIL("cannot open '/nonexistent/file.pem': No such file or directory");
    CHECK(buf == NULL && len == 0 && cap == 0);
    CHECK_ERR(latch__file_read(NULL, "/", &buf, &len, &cap), LATCH_ERR_FILE_READ);
    CHECK_DETAIL("'/' is not a regular file");
    CHECK_ERR(latch__file_read(NULL, "/dev/null", &buf, &len, &cap), LATCH_ERR_FILE_READ);
    CHECK_ERR(latch__file_read(NULL, "", &buf, &len, &cap), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch__file_read(NULL, NULL, &buf, &len, &cap), LATCH_ERR_INVALID_ARGUMENT);
}

static void test_write_and_mode(void)
{
    char path[600];
    struct stat st;
    char *text;

    REQUIRE(tmpdir_make(dir, sizeof dir) == 0);
    snprintf(path, sizeof path, "%s/key.pem", dir);
    REQUIRE(write_file(path, "a much longer old content", 25) == 0);
    REQUIRE(chmod(path, 0644) == 0);
    CHECK_OK(latch__file_write(path, "new", 3, 0600));
    REQUIRE(stat(path, &st) == 0);
    CHECK_EQ(st.st_mode & 0777, 0600); /* tightened although the file existed */
    text = read_text(path, NULL);
    REQUIRE(text != NULL);
    CHECK(strcmp(text, "new") == 0); /* truncated */
    free(text);

    snprintf(path, sizeof path, "%s/missing/key.pem", dir);
    CHECK_ERR(latch__file_write(path, "x", 1, 0600), LATCH_ERR_FILE_WRITE);
    CHECK_DETAIL("cannot create");
    CHECK_DETAIL("No such file or directory");
    CHECK_ERR(latch__file_write(NULL, "x", 1, 0600), LATCH_ERR_INVALID_ARGUMENT);
    tmpdir_remove(dir);
}

static void test_mkdirs(void)
{
    char path[600];
    struct stat st;

    REQUIRE(tmpdir_make(dir, sizeof dir) == 0);
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    CHECK_OK(latch__file_mkdirs(path));
    CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK_OK(latch__file_mkdirs(path)); /* already there */
    snprintf(path, sizeof path, "%s/a/b/c/", dir);
    CHECK_OK(latch__file_mkdirs(path)); /* trailing slash */
    snprintf(path, sizeof path, "%s/f", dir);
    REQUIRE(write_file(path, "x", 1) == 0);
    CHECK_ERR(latch__file_mkdirs(path), LATCH_ERR_FILE_WRITE);
    CHECK_DETAIL("is not a directory");
    snprintf(path, sizeof path, "%s/f/g", dir);
    CHECK_ERR(latch__file_mkdirs(path), LATCH_ERR_FILE_WRITE);
    CHECK_ERR(latch__file_mkdirs(""), LATCH_ERR_INVALID_ARGUMENT);
    tmpdir_remove(dir);
}

static const latch_test cases[] = {
    TEST(test_read),
    TEST(test_read_errors),
    TEST(test_write_and_mode),
    TEST(test_mkdirs),
    {0},
};

LATCH_TEST_MAIN(cases)
