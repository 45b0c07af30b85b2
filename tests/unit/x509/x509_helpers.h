/*
 * Helpers shared by the X.509 tests: minting certificates through the public
 * latch_cert_mint, temporary directories, files, and fixed test data under
 * tests/unit/x509/data/ (see its README).
 */
#ifndef LATCH_TEST_X509_HELPERS_H
#define LATCH_TEST_X509_HELPERS_H

#include "core/err.h"
#include "core/rd.h"
#include "harness.h"
#include "x509/pem.h"

#include <latch/x509.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PEM_MAX 8192

typedef struct minted_pem {
    char cert[PEM_MAX];
    char key[PEM_MAX];
} minted_pem;

/* A spec with defaults: P-256, no names, not a CA, no EKU, valid
 * [nb, na]. */
static inline latch_cert_spec spec_make(const char *cn, int64_t nb, int64_t na)
{
    latch_cert_spec s;

    memset(&s, 0, sizeof s);
    s.key_type = LATCH_KEY_ECDSA_P256;
    s.common_name = cn;
    s.path_len = -1;
    s.not_before = nb;
    s.not_after = na;
    return s;
}

/* Mint spec, signed by issuer (NULL: self-signed). */
static inline latch_err mint(const latch_cert_spec *spec, const minted_pem *issuer, minted_pem *out)
{
    return latch_cert_mint(spec, issuer != NULL ? issuer->cert : NULL, issuer != NULL ? issuer->key : NULL,
                           out->cert, sizeof out->cert, out->key, sizeof out->key);
}

/* The detail of the last recorded error (for checks on its wording). */
static inline const char *last_detail(void)
{
    return latch__err_last()->detail;
}

#define CHECK_DETAIL(substr)                                                                       \
    do {                                                                                           \
        if (strstr(last_detail(), (substr)) == NULL) {                                             \
            latch_test_fail(__FILE__, __LINE__, "detail \"%s\" lacks \"%s\"", last_detail(), (substr)); \
        }                                                                                          \
    } while (0)

/* DER of the n-th (0-based) block of a PEM string, into out[0..cap). Returns
 * its length, or 0 if there is no such block. */
static inline size_t pem_to_der(const char *pem, size_t n, uint8_t *out, size_t cap)
{
    latch_pem_reader r;
    latch_pem_block blk;
    bool found;
    size_t len = 0;

    latch_pem_reader_init(&r, (const uint8_t *)pem, strlen(pem), "test");
    for (size_t i = 0;; i++) {
        if (latch_pem_next(&r, NULL, &blk, &found) != LATCH_OK || !found) {
            return 0;
        }
        if (i == n) {
            break;
        }
        latch_pem_block_free(NULL, &blk);
    }
    if (blk.der_len <= cap) {
        memcpy(out, blk.der, blk.der_len);
        len = blk.der_len;
    }
    latch_pem_block_free(NULL, &blk);
    return len;
}

/* A fresh temporary directory; path receives its name. */
static inline int tmpdir_make(char *path, size_t cap)
{
    const char *base = getenv("TMPDIR");

    snprintf(path, cap, "%s/latch-x509-XXXXXX", base != NULL && base[0] != '\0' ? base : "/tmp");
    return mkdtemp(path) != NULL ? 0 : -1;
}

/* rm -r (no symlinks followed). */
static inline void tmpdir_remove(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *ent;

    while (d != NULL && (ent = readdir(d)) != NULL) {
        char sub[1024];
        struct stat st;

        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) {
            continue;
        }
        if (snprintf(sub, sizeof sub, "%s/%s", path, ent->d_name) >= (int)sizeof sub) {
            continue;
        }
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
            tmpdir_remove(sub);
        } else {
            (void)unlink(sub);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    (void)rmdir(path);
}

static inline int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok;

    if (f == NULL) {
        return -1;
    }
    ok = fwrite(data, 1, len, f) == len;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

/* Read a whole file into a malloc'ed, NUL-terminated buffer (NULL on failure). */
static inline char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
        if (len != NULL) {
            *len = (size_t)n;
        }
    }
    return buf;
}

/* A file of tests/unit/x509/data/, found through $LATCH_SRC. */
static inline char *data_file(const char *name, size_t *len)
{
    const char *src = getenv("LATCH_SRC");
    char path[1024];

    snprintf(path, sizeof path, "%s/tests/unit/x509/data/%s", src != NULL ? src : ".", name);
    return read_text(path, len);
}

static inline void data_path(const char *name, char *path, size_t cap)
{
    const char *src = getenv("LATCH_SRC");

    snprintf(path, cap, "%s/tests/unit/x509/data/%s", src != NULL ? src : ".", name);
}

#endif
