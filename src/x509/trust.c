/* Trust anchors. See trust.h. */
#define _GNU_SOURCE /* secure_getenv */
#include "x509/trust.h"

#include "core/alloc.h"
#include "core/err.h"
#include "x509/der.h"
#include "x509/file.h"
#include "x509/pem.h"

#include <dirent.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct latch_trust {
    X509_STORE *store;
    X509 **anchors; /* distinct certificates, in the order added */
    size_t n, cap;
    size_t *subjects; /* indexes into anchors of the first anchor with each distinct subject */
    size_t n_subjects;
};

latch_err latch_trust_new(latch_trust **out)
{
    latch_trust *t;

    LATCH_ENSURE(out != NULL, LATCH_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    t = latch__alloc(NULL, sizeof *t);
    LATCH_ENSURE(t != NULL, LATCH_ERR_NO_MEMORY, "no memory for a trust store");
    t->store = X509_STORE_new();
    if (t->store == NULL) {
        latch__free(NULL, t, sizeof *t);
        ERR_clear_error();
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for an X509_STORE");
    }
    *out = t;
    return LATCH_OK;
}

void latch_trust_free(latch_trust *t)
{
    if (t == NULL) {
        return;
    }
    for (size_t i = 0; i < t->n; i++) {
        X509_free(t->anchors[i]);
    }
    latch__free(NULL, t->anchors, t->cap * sizeof *t->anchors);
    latch__free(NULL, t->subjects, t->cap * sizeof *t->subjects);
    X509_STORE_free(t->store);
    latch__free(NULL, t, sizeof *t);
}

/* Room for `more` further anchors. */
static latch_err reserve(latch_trust *t, size_t more)
{
    size_t cap = t->cap;
    X509 **anchors;
    size_t *subjects;

    if (t->n + more <= t->cap) {
        return LATCH_OK;
    }
    while (cap < t->n + more) {
        cap = cap == 0 ? 64 : cap * 2;
    }
    anchors = latch__alloc(NULL, cap * sizeof *anchors);
    subjects = latch__alloc(NULL, cap * sizeof *subjects);
    if (anchors == NULL || subjects == NULL) {
        latch__free(NULL, anchors, cap * sizeof *anchors);
        latch__free(NULL, subjects, cap * sizeof *subjects);
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for %zu trust anchors", cap);
    }
    if (t->n > 0) {
        memcpy(anchors, t->anchors, t->n * sizeof *anchors);
        memcpy(subjects, t->subjects, t->n_subjects * sizeof *subjects);
    }
    latch__free(NULL, t->anchors, t->cap * sizeof *t->anchors);
    latch__free(NULL, t->subjects, t->cap * sizeof *t->subjects);
    t->anchors = anchors;
    t->subjects = subjects;
    t->cap = cap;
    return LATCH_OK;
}

/* Add the parsed certificates of a batch (ownership stays with the batch). */
static latch_err commit(latch_trust *t, STACK_OF(X509) *batch)
{
    int count = sk_X509_num(batch);

    LATCH_TRY(reserve(t, (size_t)count));
    for (int k = 0; k < count; k++) {
        X509 *x = sk_X509_value(batch, k);
        bool dup = false, same_subject = false;

        for (size_t i = 0; i < t->n && !dup; i++) {
            dup = X509_cmp(t->anchors[i], x) == 0;
        }
        if (dup) {
            continue;
        }
        if (X509_STORE_add_cert(t->store, x) != 1 || !X509_up_ref(x)) {
            ERR_clear_error();
            return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "cannot add a certificate to the X509_STORE");
        }
        for (size_t s = 0; s < t->n_subjects && !same_subject; s++) {
            same_subject = X509_NAME_cmp(X509_get_subject_name(t->anchors[t->subjects[s]]),
                                         X509_get_subject_name(x)) == 0;
        }
        if (!same_subject) {
            t->subjects[t->n_subjects++] = t->n;
        }
        t->anchors[t->n++] = x;
    }
    return LATCH_OK;
}

/* Parse the certificates of a PEM text into batch. */
static latch_err parse_pem(STACK_OF(X509) *batch, const uint8_t *pem, size_t len, const char *name)
{
    latch_pem_reader r;
    latch_pem_block blk;
    int before = sk_X509_num(batch);
    bool found;

    LATCH_ENSURE(pem != NULL || len == 0, LATCH_ERR_INVALID_ARGUMENT, "the PEM pointer is NULL");
    if (len == 0) {
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s is empty", name);
    }
    latch_pem_reader_init(&r, pem, len, name);
    for (;;) {
        char why[160];
        X509 *x;

        LATCH_TRY(latch_pem_next(&r, NULL, &blk, &found));
        if (!found) {
            break;
        }
        if (strcmp(blk.label, "CERTIFICATE") != 0) {
            latch_pem_block_free(NULL, &blk);
            continue;
        }
        x = latch__der_cert(blk.der, blk.der_len, why, sizeof why);
        latch_pem_block_free(NULL, &blk);
        if (x == NULL) {
            return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s line %u: %s", name, blk.line, why);
        }
        if (sk_X509_push(batch, x) <= 0) {
            X509_free(x);
            return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for a certificate list");
        }
    }
    if (sk_X509_num(batch) == before) {
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s has no '-----BEGIN CERTIFICATE-----' block", name);
    }
    return LATCH_OK;
}

static latch_err add_pem_named(latch_trust *t, const uint8_t *pem, size_t len, const char *name)
{
    STACK_OF(X509) *batch;
    latch_err e;

    LATCH_ENSURE(t != NULL, LATCH_ERR_INVALID_ARGUMENT, "the trust store is NULL");
    batch = sk_X509_new_null();
    LATCH_ENSURE(batch != NULL, LATCH_ERR_NO_MEMORY, "no memory for a certificate list");
    e = parse_pem(batch, pem, len, name);
    if (e == LATCH_OK) {
        e = commit(t, batch);
    }
    sk_X509_pop_free(batch, X509_free);
    LATCH_TRY(e);
    return LATCH_OK;
}

latch_err latch_trust_add_pem(latch_trust *t, const uint8_t *pem, size_t len)
{
    return add_pem_named(t, pem, len, "the trust anchor PEM data");
}

/* Read and parse one PEM file into batch. */
static latch_err parse_file(STACK_OF(X509) *batch, const char *path)
{
    uint8_t *buf;
    size_t len, cap;
    char name[200];
    latch_err e;

    LATCH_TRY(latch__file_read(NULL, path, &buf, &len, &cap));
    snprintf(name, sizeof name, "'%.180s'", path);
    e = parse_pem(batch, buf, len, name);
    latch__free(NULL, buf, cap);
    LATCH_TRY(e);
    return LATCH_OK;
}

latch_err latch_trust_add_file(latch_trust *t, const char *path)
{
    STACK_OF(X509) *batch;
    latch_err e;

    LATCH_ENSURE(t != NULL && path != NULL, LATCH_ERR_INVALID_ARGUMENT, "the trust store or path is NULL");
    batch = sk_X509_new_null();
    LATCH_ENSURE(batch != NULL, LATCH_ERR_NO_MEMORY, "no memory for a certificate list");
    e = parse_file(batch, path);
    if (e == LATCH_OK) {
        e = commit(t, batch);
    }
    sk_X509_pop_free(batch, X509_free);
    LATCH_TRY(e);
    return LATCH_OK;
}

/* "HHHHHHHH.N": the names c_rehash gives certificates (CRLs are .rN). */
static bool hashed_name(const char *s)
{
    size_t n = strlen(s);

    if (n < 10 || n > 19 || s[8] != '.') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = i < 8 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) : i == 8 || (c >= '0' && c <= '9');

        if (!ok) {
            return false;
        }
    }
    return true;
}

typedef struct name_list {
    char (*v)[20];
    size_t n, cap;
} name_list;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The hashed file names of dir, sorted (so loading order is reproducible). */
static latch_err list_dir(const char *dir, name_list *names)
{
    DIR *d = opendir(dir);
    struct dirent *ent;

    memset(names, 0, sizeof *names);
    if (d == NULL) {
        return LATCH_FAIL(LATCH_ERR_FILE_READ, "cannot open the directory '%.160s'", dir);
    }
    while ((ent = readdir(d)) != NULL) {
        if (!hashed_name(ent->d_name)) {
            continue;
        }
        if (names->n == names->cap) {
            size_t cap = names->cap == 0 ? 256 : names->cap * 2;
            char(*v)[20] = latch__alloc(NULL, cap * sizeof *v);

            if (v == NULL) {
                closedir(d);
                latch__free(NULL, names->v, names->cap * sizeof *names->v);
                return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory to list '%.160s'", dir);
            }
            if (names->n > 0) {
                memcpy(v, names->v, names->n * sizeof *v);
            }
            latch__free(NULL, names->v, names->cap * sizeof *names->v);
            names->v = v;
            names->cap = cap;
        }
        /* hashed_name() bounded the length to 19. */
        memcpy(names->v[names->n], ent->d_name, strlen(ent->d_name) + 1);
        names->n++;
    }
    closedir(d);
    if (names->n > 1) {
        qsort(names->v, names->n, sizeof names->v[0], cmp_names);
    }
    return LATCH_OK;
}

latch_err latch_trust_add_dir(latch_trust *t, const char *path)
{
    STACK_OF(X509) *batch;
    name_list names;
    latch_err e = LATCH_OK;

    LATCH_ENSURE(t != NULL && path != NULL, LATCH_ERR_INVALID_ARGUMENT, "the trust store or path is NULL");
    LATCH_TRY(list_dir(path, &names));
    if (names.n == 0) {
        return LATCH_FAIL(LATCH_ERR_FILE_READ,
                          "'%.160s' has no hashed certificate files (HHHHHHHH.0; run openssl rehash)", path);
    }
    batch = sk_X509_new_null();
    if (batch == NULL) {
        latch__free(NULL, names.v, names.cap * sizeof *names.v);
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for a certificate list");
    }
    for (size_t i = 0; i < names.n && e == LATCH_OK; i++) {
        char file[4096];

        snprintf(file, sizeof file, "%s/%s", path, names.v[i]);
        e = parse_file(batch, file);
    }
    if (e == LATCH_OK) {
        e = commit(t, batch);
    }
    sk_X509_pop_free(batch, X509_free);
    latch__free(NULL, names.v, names.cap * sizeof *names.v);
    LATCH_TRY(e);
    return LATCH_OK;
}

latch_err latch_trust_add_system(latch_trust *t)
{
    /* secure_getenv: a setuid program must not take its anchors from the
     * invoking user's environment. */
    const char *file = secure_getenv(X509_get_default_cert_file_env());
    const char *dirs = secure_getenv(X509_get_default_cert_dir_env());
    size_t before;

    LATCH_ENSURE(t != NULL, LATCH_ERR_INVALID_ARGUMENT, "the trust store is NULL");
    before = t->n;
    if ((file != NULL && file[0] != '\0') || (dirs != NULL && dirs[0] != '\0')) {
        if (file != NULL && file[0] != '\0') {
            LATCH_TRY(latch_trust_add_file(t, file));
        }
        while (dirs != NULL && dirs[0] != '\0') {
            const char *colon = strchr(dirs, ':');
            size_t n = colon != NULL ? (size_t)(colon - dirs) : strlen(dirs);
            char dir[4096];

            if (n > 0 && n < sizeof dir) {
                memcpy(dir, dirs, n);
                dir[n] = '\0';
                LATCH_TRY(latch_trust_add_dir(t, dir));
            }
            dirs = colon != NULL ? colon + 1 : NULL;
        }
    } else if (latch_trust_add_file(t, X509_get_default_cert_file()) != LATCH_OK) {
        latch__err_clear();
        LATCH_TRY(latch_trust_add_dir(t, X509_get_default_cert_dir()));
    }
    if (t->n == before) {
        return LATCH_FAIL(LATCH_ERR_FILE_READ, "no system trust anchors were found (%s, %s)",
                          X509_get_default_cert_file(), X509_get_default_cert_dir());
    }
    return LATCH_OK;
}

size_t latch_trust_count(const latch_trust *t)
{
    return t != NULL ? t->n : 0;
}

size_t latch_trust_subject_count(const latch_trust *t)
{
    return t != NULL ? t->n_subjects : 0;
}

latch_rd latch_trust_subject(const latch_trust *t, size_t i)
{
    const uint8_t *der;
    size_t len;

    if (t == NULL || i >= t->n_subjects ||
        !latch__der_name(X509_get_subject_name(t->anchors[t->subjects[i]]), &der, &len)) {
        return latch_rd_make(NULL, 0);
    }
    return latch_rd_make(der, len);
}

struct x509_store_st *latch__trust_store(const latch_trust *t)
{
    return t != NULL ? t->store : NULL;
}
