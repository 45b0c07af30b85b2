/* Whole-file reads and writes for certificates and keys. See file.h. */
#include "x509/file.h"

#include "core/alloc.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The reason for errno e, thread-safely (XSI strerror_r). */
static const char *why(int e, char *buf, size_t cap)
{
    if (strerror_r(e, buf, cap) != 0) {
        snprintf(buf, cap, "error %d", e);
    }
    return buf;
}

latch_err latch__file_read(const latch_allocator *a, const char *path, uint8_t **buf, size_t *len, size_t *cap)
{
    char reason[128];
    struct stat st;
    uint8_t *p;
    size_t want, got = 0;
    int fd, e;

    *buf = NULL;
    *len = 0;
    *cap = 0;
    LATCH_ENSURE(path != NULL && path[0] != '\0', LATCH_ERR_INVALID_ARGUMENT, "the file path is NULL or empty");
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        e = errno;
        return LATCH_FAIL(LATCH_ERR_FILE_READ, "cannot open '%.160s': %s", path, why(e, reason, sizeof reason));
    }
    if (fstat(fd, &st) != 0) {
        e = errno;
        close(fd);
        return LATCH_FAIL(LATCH_ERR_FILE_READ, "cannot stat '%.160s': %s", path, why(e, reason, sizeof reason));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return LATCH_FAIL(LATCH_ERR_FILE_READ, "'%.160s' is not a regular file", path);
    }
    if (st.st_size < 0 || (unsigned long long)st.st_size > LATCH_FILE_MAX) {
        close(fd);
        return LATCH_FAIL(LATCH_ERR_FILE_READ, "'%.160s' is larger than %u bytes", path, LATCH_FILE_MAX);
    }
    want = (size_t)st.st_size;
    p = latch__alloc(a, want + 1);
    if (p == NULL) {
        close(fd);
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory to read '%.160s' (%zu bytes)", path, want);
    }
    /* Read up to one byte more than stat said, to notice a file that grew. */
    while (got <= want) {
        ssize_t n = read(fd, p + got, want + 1 - got);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            e = errno;
            close(fd);
            latch__free(a, p, want + 1);
            return LATCH_FAIL(LATCH_ERR_FILE_READ, "cannot read '%.160s': %s", path, why(e, reason, sizeof reason));
        }
        if (n == 0) {
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    if (got > want) {
        latch__free(a, p, want + 1);
        return LATCH_FAIL(LATCH_ERR_FILE_READ, "'%.160s' changed while it was read", path);
    }
    *buf = p;
    *len = got;
    *cap = want + 1;
    return LATCH_OK;
}

latch_err latch__file_write(const char *path, const void *data, size_t len, unsigned mode)
{
    const uint8_t *p = data;
    char reason[128];
    size_t done = 0;
    int fd, e;

    LATCH_ENSURE(path != NULL && path[0] != '\0', LATCH_ERR_INVALID_ARGUMENT, "the file path is NULL or empty");
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode);
    if (fd < 0) {
        e = errno;
        return LATCH_FAIL(LATCH_ERR_FILE_WRITE, "cannot create '%.160s': %s", path, why(e, reason, sizeof reason));
    }
    /* An existing file keeps its old mode through O_CREAT: set it. */
    if (fchmod(fd, (mode_t)mode) != 0) {
        e = errno;
        close(fd);
        return LATCH_FAIL(LATCH_ERR_FILE_WRITE, "cannot chmod '%.160s': %s", path, why(e, reason, sizeof reason));
    }
    while (done < len) {
        ssize_t n = write(fd, p + done, len - done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            e = n < 0 ? errno : EIO;
            close(fd);
            return LATCH_FAIL(LATCH_ERR_FILE_WRITE, "cannot write '%.160s': %s", path,
                              why(e, reason, sizeof reason));
        }
        done += (size_t)n;
    }
    if (close(fd) != 0) {
        e = errno;
        return LATCH_FAIL(LATCH_ERR_FILE_WRITE, "cannot close '%.160s': %s", path, why(e, reason, sizeof reason));
    }
    return LATCH_OK;
}

latch_err latch__file_mkdirs(const char *dir)
{
    char path[PATH_MAX];
    char reason[128];
    size_t n;
    struct stat st;

    LATCH_ENSURE(dir != NULL && dir[0] != '\0', LATCH_ERR_INVALID_ARGUMENT, "the directory path is NULL or empty");
    n = strlen(dir);
    LATCH_ENSURE(n < sizeof path, LATCH_ERR_INVALID_ARGUMENT, "the directory path is too long");
    memcpy(path, dir, n + 1);
    /* Create each prefix ending before a '/', then the whole path. */
    for (size_t i = 1; i <= n; i++) {
        if (i < n && path[i] != '/') {
            continue;
        }
        path[i] = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            int e = errno;

            return LATCH_FAIL(LATCH_ERR_FILE_WRITE, "cannot create the directory '%.160s': %s", path,
                              why(e, reason, sizeof reason));
        }
        if (i < n) {
            path[i] = '/';
        }
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return LATCH_FAIL(LATCH_ERR_FILE_WRITE, "'%.160s' exists and is not a directory", dir);
    }
    return LATCH_OK;
}
