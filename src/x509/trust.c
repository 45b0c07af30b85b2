/* Trust anchors. See trust.h. */
#define _GNU_SOURCE /* secure_getenv */
#include "x509/trust.h"

#include "core/alloc.h"
#include "core/err.h"
#include "provider/ossl/ossl.h"
#include "x509/der.h"
#include "x509/file.h"
#include "x509/pem.h"

#include <dirent.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What identifies an anchor's encoding: its length and SHA-256 (of i2d_X509). */
typedef struct anchor_id {
    size_t der_len;
    uint8_t digest[32];
} anchor_id;

/* A verified chain (trust.h). used == 0: an empty slot. */
typedef struct cache_entry {
    uint64_t used; /* the cache clock at the last hit or insertion, for replacing the least recent */
    uint8_t *der;
    size_t der_len;
    size_t *lens;
    size_t n;
    bool client_cert, allow_key_encipherment_only;
    unsigned max_depth;
    int64_t lo, hi;
    X509 *leaf;
    STACK_OF(X509) *path;
    latch_pkey_info info;
} cache_entry;

/* The number of slots, as a variable: LATCH_TRUST_CACHE_MAX may be 0 (nothing remembered). */
static const size_t cache_slots = LATCH_TRUST_CACHE_MAX;

/* The mutable part of a store that verification may change through a const pointer. */
typedef struct chain_cache {
    pthread_mutex_t lock;
    cache_entry *e; /* cache_slots slots, allocated at the first insertion */
    uint64_t clock;
    size_t hits;
} chain_cache;

struct latch_trust {
    X509_STORE *store;
    X509 **anchors; /* distinct certificates, in the order added */
    anchor_id *ids; /* parallel to anchors */
    size_t n, cap;
    size_t *subjects; /* indexes into anchors of the first anchor with each distinct subject */
    size_t n_subjects;
    int64_t *bounds; /* every anchor's notBefore and notAfter, sorted */
    size_t n_bounds;
    bool bounds_unreadable; /* some anchor's validity could not be read (or no memory): no windows */
    chain_cache *cache;
};

static void entry_clear(cache_entry *e)
{
    X509_free(e->leaf);
    sk_X509_pop_free(e->path, X509_free);
    latch__free(NULL, e->der, e->der_len);
    latch__free(NULL, e->lens, e->n * sizeof *e->lens);
    memset(e, 0, sizeof *e);
}

/* Forget every verified chain (the anchors changed). */
static void cache_clear(chain_cache *c)
{
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; c->e != NULL && i < cache_slots; i++) {
        entry_clear(&c->e[i]);
    }
    pthread_mutex_unlock(&c->lock);
}

latch_err latch_trust_new(latch_trust **out)
{
    latch_trust *t;

    LATCH_ENSURE(out != NULL, LATCH_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    t = latch__alloc(NULL, sizeof *t);
    LATCH_ENSURE(t != NULL, LATCH_ERR_NO_MEMORY, "no memory for a trust store");
    t->cache = latch__alloc(NULL, sizeof *t->cache);
    if (t->cache == NULL || pthread_mutex_init(&t->cache->lock, NULL) != 0) {
        latch__free(NULL, t->cache, sizeof *t->cache);
        latch__free(NULL, t, sizeof *t);
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for a trust store");
    }
    t->store = X509_STORE_new();
    if (t->store == NULL) {
        pthread_mutex_destroy(&t->cache->lock);
        latch__free(NULL, t->cache, sizeof *t->cache);
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
    cache_clear(t->cache);
    latch__free(NULL, t->cache->e, cache_slots * sizeof *t->cache->e);
    pthread_mutex_destroy(&t->cache->lock);
    latch__free(NULL, t->cache, sizeof *t->cache);
    latch__free(NULL, t->anchors, t->cap * sizeof *t->anchors);
    latch__free(NULL, t->ids, t->cap * sizeof *t->ids);
    latch__free(NULL, t->subjects, t->cap * sizeof *t->subjects);
    latch__free(NULL, t->bounds, t->n_bounds * sizeof *t->bounds);
    X509_STORE_free(t->store);
    latch__free(NULL, t, sizeof *t);
}

/* Room for `more` further anchors. */
static latch_err reserve(latch_trust *t, size_t more)
{
    size_t cap = t->cap;
    X509 **anchors;
    anchor_id *ids;
    size_t *subjects;

    if (t->n + more <= t->cap) {
        return LATCH_OK;
    }
    while (cap < t->n + more) {
        cap = cap == 0 ? 64 : cap * 2;
    }
    anchors = latch__alloc(NULL, cap * sizeof *anchors);
    ids = latch__alloc(NULL, cap * sizeof *ids);
    subjects = latch__alloc(NULL, cap * sizeof *subjects);
    if (anchors == NULL || ids == NULL || subjects == NULL) {
        latch__free(NULL, anchors, cap * sizeof *anchors);
        latch__free(NULL, ids, cap * sizeof *ids);
        latch__free(NULL, subjects, cap * sizeof *subjects);
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for %zu trust anchors", cap);
    }
    if (t->n > 0) {
        memcpy(anchors, t->anchors, t->n * sizeof *anchors);
        memcpy(ids, t->ids, t->n * sizeof *ids);
        memcpy(subjects, t->subjects, t->n_subjects * sizeof *subjects);
    }
    latch__free(NULL, t->anchors, t->cap * sizeof *t->anchors);
    latch__free(NULL, t->ids, t->cap * sizeof *t->ids);
    latch__free(NULL, t->subjects, t->cap * sizeof *t->subjects);
    t->anchors = anchors;
    t->ids = ids;
    t->subjects = subjects;
    t->cap = cap;
    return LATCH_OK;
}

static bool sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
    const EVP_MD *md = latch__ossl_md(LATCH_HASH_SHA256);
    unsigned len = 0;

    if (md == NULL || EVP_Digest(p, n, out, &len, md, NULL) != 1 || len != 32) {
        ERR_clear_error();
        return false;
    }
    return true;
}

/* The DER encoding of x, allocated by libcrypto (OPENSSL_free it), or NULL. */
static uint8_t *encode(const X509 *x, size_t *len)
{
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);

    if (n <= 0) {
        ERR_clear_error();
        return NULL;
    }
    *len = (size_t)n;
    return der;
}

/* Length and digest of an anchor's encoding; an all-zero id (which no encoding has) if it cannot be made. */
static anchor_id identify(const X509 *x)
{
    anchor_id id;
    size_t len = 0;
    uint8_t *der = encode(x, &len);

    memset(&id, 0, sizeof id);
    if (der != NULL && sha256(der, len, id.digest)) {
        id.der_len = len;
    }
    OPENSSL_free(der);
    return id;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* The sorted validity bounds of all anchors, for latch__trust_window. */
static void rebuild_bounds(latch_trust *t)
{
    size_t k = 0;

    latch__free(NULL, t->bounds, t->n_bounds * sizeof *t->bounds);
    t->n_bounds = 0;
    t->bounds = latch__alloc(NULL, 2 * t->n * sizeof *t->bounds);
    t->bounds_unreadable = t->bounds == NULL;
    for (size_t i = 0; t->bounds != NULL && i < t->n; i++) {
        int64_t nb, na;

        if (!latch__cert_times(t->anchors[i], &nb, &na)) {
            t->bounds_unreadable = true;
            break;
        }
        t->bounds[k++] = nb;
        t->bounds[k++] = na;
    }
    if (t->bounds != NULL) {
        t->n_bounds = 2 * t->n;
        qsort(t->bounds, k, sizeof *t->bounds, cmp_i64);
    }
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
        t->ids[t->n] = identify(x);
        t->anchors[t->n++] = x;
    }
    rebuild_bounds(t);
    /* Chains verified before may verify differently with more anchors. */
    cache_clear(t->cache);
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

/* ---- Verified chains ------------------------------------------------------------ */

static bool same_key(const cache_entry *e, const latch_cache_key *k)
{
    return e->used != 0 && e->n == k->n && e->der_len == k->der_len && e->client_cert == k->client_cert &&
           e->allow_key_encipherment_only == k->allow_key_encipherment_only && e->max_depth == k->max_depth &&
           memcmp(e->lens, k->lens, k->n * sizeof *k->lens) == 0 && memcmp(e->der, k->der, k->der_len) == 0;
}

bool latch__trust_cache_get(const latch_trust *t, const latch_cache_key *k, int64_t now, X509 **leaf,
                            STACK_OF(X509) **path, latch_pkey_info *info)
{
    chain_cache *c;
    bool hit = false;

    *leaf = NULL;
    *path = NULL;
    if (t == NULL || k == NULL || k->n == 0 || k->der_len == 0) {
        return false;
    }
    c = t->cache;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; c->e != NULL && i < cache_slots; i++) {
        cache_entry *e = &c->e[i];

        if (!same_key(e, k)) {
            continue;
        }
        if (e->lo < now && now < e->hi) {
            *path = X509_chain_up_ref(e->path);
            if (*path != NULL && X509_up_ref(e->leaf) == 1) {
                *leaf = e->leaf;
                *info = e->info;
                e->used = ++c->clock;
                c->hits++;
                hit = true;
            } else {
                sk_X509_pop_free(*path, X509_free);
                *path = NULL;
            }
        }
        break;
    }
    pthread_mutex_unlock(&c->lock);
    if (!hit) {
        ERR_clear_error();
    }
    return hit;
}

void latch__trust_cache_put(const latch_trust *t, const latch_cache_key *k, int64_t lo, int64_t hi, X509 *leaf,
                            STACK_OF(X509) *path, latch_pkey_info info)
{
    chain_cache *c;
    cache_entry fresh, *slot = NULL;

    if (cache_slots == 0 || t == NULL || k == NULL || k->n == 0 || k->der_len == 0 || leaf == NULL ||
        path == NULL || !(lo < hi)) {
        return;
    }
    /* Everything the entry needs, made before taking the lock. */
    memset(&fresh, 0, sizeof fresh);
    fresh.der = latch__alloc(NULL, k->der_len);
    fresh.lens = latch__alloc(NULL, k->n * sizeof *k->lens);
    fresh.path = X509_chain_up_ref(path);
    if (fresh.der == NULL || fresh.lens == NULL || fresh.path == NULL || X509_up_ref(leaf) != 1) {
        sk_X509_pop_free(fresh.path, X509_free);
        latch__free(NULL, fresh.der, k->der_len);
        latch__free(NULL, fresh.lens, k->n * sizeof *k->lens);
        ERR_clear_error();
        return;
    }
    fresh.leaf = leaf;
    memcpy(fresh.der, k->der, k->der_len);
    memcpy(fresh.lens, k->lens, k->n * sizeof *k->lens);
    fresh.der_len = k->der_len;
    fresh.n = k->n;
    fresh.client_cert = k->client_cert;
    fresh.allow_key_encipherment_only = k->allow_key_encipherment_only;
    fresh.max_depth = k->max_depth;
    fresh.lo = lo;
    fresh.hi = hi;
    fresh.info = info;

    c = t->cache;
    pthread_mutex_lock(&c->lock);
    if (c->e == NULL) {
        c->e = latch__alloc(NULL, cache_slots * sizeof *c->e);
    }
    for (size_t i = 0; c->e != NULL && i < cache_slots; i++) {
        cache_entry *e = &c->e[i];

        if (same_key(e, k)) {
            slot = e; /* the same chain again (its window had passed, or two threads verified it at once) */
            break;
        }
        if (slot == NULL || e->used < slot->used) {
            slot = e; /* an empty slot (used 0), else the least recently used */
        }
    }
    if (slot != NULL) {
        entry_clear(slot);
        fresh.used = ++c->clock;
        *slot = fresh;
        memset(&fresh, 0, sizeof fresh);
    }
    pthread_mutex_unlock(&c->lock);
    entry_clear(&fresh); /* not stored (no memory for the slots) */
}

void latch__trust_cache_stats(const latch_trust *t, size_t *entries, size_t *hits)
{
    *entries = 0;
    *hits = 0;
    if (t == NULL) {
        return;
    }
    pthread_mutex_lock(&t->cache->lock);
    for (size_t i = 0; t->cache->e != NULL && i < cache_slots; i++) {
        *entries += t->cache->e[i].used != 0;
    }
    *hits = t->cache->hits;
    pthread_mutex_unlock(&t->cache->lock);
}

X509 *latch__trust_anchor_by_der(const latch_trust *t, const uint8_t *der, size_t len)
{
    uint8_t digest[32];
    bool hashed = false;

    if (t == NULL || der == NULL || len == 0) {
        return NULL;
    }
    for (size_t i = 0; i < t->n; i++) {
        uint8_t *enc;
        size_t enc_len = 0;
        bool same;

        if (t->ids[i].der_len != len) {
            continue;
        }
        if (!hashed) {
            if (!sha256(der, len, digest)) {
                return NULL;
            }
            hashed = true;
        }
        if (memcmp(digest, t->ids[i].digest, sizeof digest) != 0) {
            continue;
        }
        /* The digests agree: compare the bytes themselves, so that the answer never rests on SHA-256. */
        enc = encode(t->anchors[i], &enc_len);
        same = enc != NULL && enc_len == len && memcmp(enc, der, len) == 0;
        OPENSSL_free(enc);
        if (same && X509_up_ref(t->anchors[i]) == 1) {
            return t->anchors[i];
        }
    }
    ERR_clear_error();
    return NULL;
}

bool latch__trust_window(const latch_trust *t, int64_t now, int64_t *lo, int64_t *hi)
{
    size_t a = 0, b;

    if (t == NULL || t->bounds_unreadable) {
        return false;
    }
    /* The first bound not below now: a, by bisection over bounds[0..n_bounds). */
    b = t->n_bounds;
    while (a < b) {
        size_t mid = a + (b - a) / 2;

        if (t->bounds[mid] < now) {
            a = mid + 1;
        } else {
            b = mid;
        }
    }
    if (a < t->n_bounds && t->bounds[a] == now) {
        return false;
    }
    if (a > 0 && t->bounds[a - 1] > *lo) {
        *lo = t->bounds[a - 1];
    }
    if (a < t->n_bounds && t->bounds[a] < *hi) {
        *hi = t->bounds[a];
    }
    return true;
}
