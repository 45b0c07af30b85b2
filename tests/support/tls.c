/* In-memory TLS test support. See tls.h. */
#include "tls.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static tpki *cache[8];

/* out = a || b, both fitting in TPEM_MAX (aborts otherwise). */
static void concat(char *out, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);

    if (la + lb + 1 > TPEM_MAX) {
        abort();
    }
    memcpy(out, a, la);
    memcpy(out + la, b, lb + 1);
}

static void die(const char *what, latch_err e)
{
    fprintf(stderr, "test support: %s: %s (%s)\n", what, latch_err_name(e), latch_last_error()->detail);
    abort();
}

static void mint(const latch_cert_spec *spec, const char *icert, const char *ikey, char *cert, char *key)
{
    latch_err e = latch_cert_mint(spec, icert, ikey, cert, TPEM_MAX, key, TPEM_MAX);

    if (e != LATCH_OK) {
        die("minting a certificate", e);
    }
}

/*
 * LATCH_TEST_PKI_CACHE=dir keeps each minted PKI in dir/tpki-<type>.pem and
 * reuses it: key generation dominates the tests' time under valgrind (an RSA
 * key takes minutes there), so tests/valgrind.sh mints once, natively, and
 * every test under valgrind reads the same files. Without it, every process
 * mints its own.
 */
#define TPKI_SEP "--- latch test PKI ---\n"

static char *tpki_field(tpki *p, int i)
{
    char *fields[6] = {p->ca, p->ca_key, p->server, p->server_key, p->client, p->client_key};

    return fields[i];
}

static bool tpki_load(latch_key_type type, tpki *p)
{
    const char *dir = getenv("LATCH_TEST_PKI_CACHE");
    static char text[6 * TPEM_MAX];
    char path[512], *cur = text;
    size_t n;
    FILE *f;

    if (dir == NULL) {
        return false;
    }
    snprintf(path, sizeof path, "%s/tpki-%d.pem", dir, (int)type);
    f = fopen(path, "rb");
    if (f == NULL) {
        return false;
    }
    n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    for (int i = 0; i < 6; i++) {
        char *end = strstr(cur, TPKI_SEP);

        if (end == NULL || (size_t)(end - cur) >= TPEM_MAX) {
            return false;
        }
        memcpy(tpki_field(p, i), cur, (size_t)(end - cur));
        tpki_field(p, i)[end - cur] = '\0';
        cur = end + strlen(TPKI_SEP);
    }
    return true;
}

static void tpki_store(latch_key_type type, tpki *p)
{
    const char *dir = getenv("LATCH_TEST_PKI_CACHE");
    char path[512], tmp[540];
    FILE *f;

    if (dir == NULL) {
        return;
    }
    snprintf(path, sizeof path, "%s/tpki-%d.pem", dir, (int)type);
    snprintf(tmp, sizeof tmp, "%s.%ld", path, (long)getpid());
    f = fopen(tmp, "wb");
    if (f == NULL) {
        return;
    }
    for (int i = 0; i < 6; i++) {
        fputs(tpki_field(p, i), f);
        fputs(TPKI_SEP, f);
    }
    if (fclose(f) == 0) {
        rename(tmp, path); /* atomic: parallel tests never read half a file */
    }
}

const tpki *tpki_get(latch_key_type type)
{
    static const char *const dns[] = {"localhost", "*.test.example"};
    static const char *const ips[] = {"127.0.0.1", "::1"};
    latch_cert_spec spec;
    char leaf[TPEM_MAX];
    tpki *p;

    if ((unsigned)type < 8 && cache[type] != NULL) {
        return cache[type];
    }
    p = calloc(1, sizeof *p);
    if (p == NULL) {
        abort();
    }
    p->type = type;
    /* Each key type's CA has its own name, so CA lists tell them apart
     * (set before the cache load: tests read it either way). */
    snprintf(p->ca_name, sizeof p->ca_name, "latch test CA %s", latch_key_type_name(type));
    if (tpki_load(type, p)) {
        if ((unsigned)type < 8) {
            cache[type] = p;
        }
        return p;
    }
    memset(&spec, 0, sizeof spec);
    spec.key_type = type;
    spec.common_name = p->ca_name;
    spec.is_ca = true;
    spec.path_len = -1;
    mint(&spec, NULL, NULL, p->ca, p->ca_key);

    memset(&spec, 0, sizeof spec);
    spec.key_type = type;
    spec.common_name = "localhost";
    spec.dns_names = dns;
    spec.n_dns = 2;
    spec.ips = ips;
    spec.n_ips = 2;
    spec.server_auth = true;
    mint(&spec, p->ca, p->ca_key, leaf, p->server_key);
    concat(p->server, leaf, p->ca);

    memset(&spec, 0, sizeof spec);
    spec.key_type = type;
    spec.common_name = "test client";
    spec.client_auth = true;
    mint(&spec, p->ca, p->ca_key, p->client, p->client_key);
    tpki_store(type, p);
    if ((unsigned)type < 8) {
        cache[type] = p;
    }
    return p;
}

void tpki_leaf(latch_key_type ca_type, const latch_cert_spec *spec, char *cert, char *key)
{
    const tpki *p = tpki_get(ca_type);
    char leaf[TPEM_MAX];

    mint(spec, p->ca, p->ca_key, leaf, key);
    concat(cert, leaf, p->ca);
}

latch_config *tcfg_server(latch_key_type type)
{
    const tpki *p = tpki_get(type);
    latch_config *cfg;
    latch_err e;

    if ((e = latch_config_new(&cfg)) != LATCH_OK) {
        die("config", e);
    }
    e = latch_config_add_cert_mem(cfg, (const uint8_t *)p->server, strlen(p->server),
                                  (const uint8_t *)p->server_key, strlen(p->server_key));
    if (e != LATCH_OK) {
        die("server chain", e);
    }
    return cfg;
}

latch_config *tcfg_client(latch_key_type ca_type)
{
    const tpki *p = tpki_get(ca_type);
    latch_config *cfg;
    latch_err e;

    if ((e = latch_config_new(&cfg)) != LATCH_OK) {
        die("config", e);
    }
    if ((e = latch_config_load_ca_mem(cfg, (const uint8_t *)p->ca, strlen(p->ca))) != LATCH_OK) {
        die("client CA", e);
    }
    return cfg;
}

latch_err tpair_new(tpair *p, latch_config *ccfg, latch_config *scfg, const char *name)
{
    latch_err e;

    memset(p, 0, sizeof *p);
    e = latch_conn_new_server(scfg, &p->s);
    if (e != LATCH_OK) {
        return e;
    }
    return latch_conn_new_client(ccfg, name, &p->c);
}

latch_err tpump(latch_conn *from, latch_conn *to)
{
    const uint8_t *d;
    size_t n, used;
    latch_err e;

    for (;;) {
        e = latch_conn_output(from, &d, &n);
        if (e != LATCH_OK || n == 0) {
            return e;
        }
        e = latch_conn_feed(to, d, n, &used);
        latch_conn_output_done(from, used);
        if (e != LATCH_OK || used < n) {
            return e;
        }
    }
}

latch_err tpair_handshake(tpair *p)
{
    for (int i = 0; i < 16; i++) {
        unsigned cs, ss;

        p->se = tpump(p->c, p->s);
        p->ce = tpump(p->s, p->c);
        cs = latch_conn_state(p->c);
        ss = latch_conn_state(p->s);
        if ((cs & LATCH_STATE_FAILED) || (ss & LATCH_STATE_FAILED)) {
            /* Let the alert reach the other side, as on a real network. */
            LATCH_IGNORE(tpump(p->c, p->s));
            LATCH_IGNORE(tpump(p->s, p->c));
            return latch_conn_error(p->c)->code != LATCH_OK ? latch_conn_error(p->c)->code
                                                             : latch_conn_error(p->s)->code;
        }
        if ((cs & ss & LATCH_STATE_HANDSHAKE_DONE) && !(cs & LATCH_STATE_HAS_OUTPUT) &&
            !(ss & LATCH_STATE_HAS_OUTPUT)) {
            return LATCH_OK;
        }
    }
    return LATCH_ERR_INTERNAL;
}

int tpair_roundtrip(latch_conn *from, latch_conn *to, const uint8_t *msg, size_t len)
{
    uint8_t *got = malloc(len + 1);
    size_t sent = 0, recvd = 0;
    int rc = -1;

    if (got == NULL) {
        return -1;
    }
    for (int guard = 0; recvd < len && guard < 1000000; guard++) {
        const uint8_t *d;
        size_t n, used = 0;
        latch_err e;

        if (sent < len) {
            e = latch_conn_write_app(from, msg + sent, len - sent, &used);
            if (e != LATCH_OK && e != LATCH_ERR_WANT_WRITE) {
                goto out;
            }
            sent += used;
        }
        if (latch_conn_output(from, &d, &n) != LATCH_OK) {
            goto out;
        }
        if (n > 0) {
            e = latch_conn_feed(to, d, n, &used);
            latch_conn_output_done(from, used);
            if (e != LATCH_OK) {
                goto out;
            }
        }
        for (;;) {
            size_t r = 0;

            if (latch_conn_read_app(to, got + recvd, len - recvd + 1, &r) != LATCH_OK) {
                break;
            }
            recvd += r;
            if (recvd > len) {
                goto out; /* more than was sent */
            }
        }
    }
    rc = (recvd == len && (len == 0 || memcmp(got, msg, len) == 0)) ? 0 : -1;
out:
    free(got);
    return rc;
}

void tpair_free(tpair *p)
{
    latch_conn_free(p->c);
    latch_conn_free(p->s);
    memset(p, 0, sizeof *p);
}
