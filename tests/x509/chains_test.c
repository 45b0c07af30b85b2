/*
 * The data-driven chain tests: mints the certificates described in
 * tests/x509/chains.txt and checks every case's verification result (see the
 * file's header for the format).
 */
#include "../unit/x509/x509_helpers.h"
#include "core/err.h"
#include "harness.h"
#include "x509/trust.h"
#include "x509/verify.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define T0 INT64_C(1750000000)
#define DAY INT64_C(86400)
#define MAX_CERTS 96
#define MAX_TOKENS 24
#define MAX_LIST 8

typedef struct named_cert {
    char name[32];
    minted_pem pem;
    uint8_t der[4096];
    size_t der_len;
} named_cert;

static named_cert *certs; /* MAX_CERTS entries */
static size_t n_certs;
static int n_cases;

typedef struct token {
    char key[32];
    char value[256];
} token;

/* Split a line into key[=value] tokens; values may be "quoted". Returns the
 * count, or -1 on a syntax error. */
static int tokenize(const char *line, token *tok, int max)
{
    int n = 0;
    const char *p = line;

    for (;;) {
        size_t k = 0, v = 0;

        while (*p == ' ' || *p == '\t') {
            p++;
        }
        if (*p == '\0' || *p == '\n' || *p == '#') {
            return n;
        }
        if (n == max) {
            return -1;
        }
        memset(&tok[n], 0, sizeof tok[n]);
        while (*p != '\0' && *p != '=' && !isspace((unsigned char)*p)) {
            if (k + 1 >= sizeof tok[n].key) {
                return -1;
            }
            tok[n].key[k++] = *p++;
        }
        if (*p == '=') {
            p++;
            if (*p == '"') {
                p++;
                while (*p != '\0' && *p != '"') {
                    if (v + 1 >= sizeof tok[n].value) {
                        return -1;
                    }
                    tok[n].value[v++] = *p++;
                }
                if (*p != '"') {
                    return -1;
                }
                p++;
            } else {
                while (*p != '\0' && !isspace((unsigned char)*p)) {
                    if (v + 1 >= sizeof tok[n].value) {
                        return -1;
                    }
                    tok[n].value[v++] = *p++;
                }
            }
        }
        n++;
    }
}

/* Split "a,b,c" in place; returns the count (0 for ""). */
static size_t split_list(char *s, char **items, size_t max)
{
    size_t n = 0;

    if (*s == '\0') {
        return 0;
    }
    for (char *tok = strtok(s, ","); tok != NULL && n < max; tok = strtok(NULL, ",")) {
        items[n++] = tok;
    }
    return n;
}

static named_cert *find(const char *name)
{
    for (size_t i = 0; i < n_certs; i++) {
        if (strcmp(certs[i].name, name) == 0) {
            return &certs[i];
        }
    }
    return NULL;
}

/* "FROM..TO" in days relative to T0. */
static int parse_validity(const char *s, int64_t *nb, int64_t *na)
{
    long from, to;

    if (sscanf(s, "%ld..%ld", &from, &to) != 2) {
        return -1;
    }
    *nb = T0 + from * DAY;
    *na = T0 + to * DAY;
    return 0;
}

static void do_cert(const token *tok, int n, int lineno)
{
    latch_cert_spec spec = spec_make(tok[1].key, T0 - 30 * DAY, T0 + 365 * DAY);
    char dns_buf[256] = "", ip_buf[256] = "";
    char *dns[MAX_LIST], *ips[MAX_LIST];
    named_cert *issuer = NULL, *c;
    latch_err e;

    if (n < 2 || n_certs == MAX_CERTS || strlen(tok[1].key) >= sizeof certs[0].name || find(tok[1].key) != NULL) {
        latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: bad or duplicate cert line", lineno);
        return;
    }
    c = &certs[n_certs];
    snprintf(c->name, sizeof c->name, "%s", tok[1].key);
    for (int i = 2; i < n; i++) {
        const char *k = tok[i].key, *v = tok[i].value;

        if (strcmp(k, "issuer") == 0) {
            if (strcmp(v, "self") != 0 && (issuer = find(v)) == NULL) {
                latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: unknown issuer '%s'", lineno, v);
                return;
            }
        } else if (strcmp(k, "key") == 0) {
            if (latch_key_type_from_name(v, &spec.key_type) != LATCH_OK) {
                latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: unknown key type '%s'", lineno, v);
                return;
            }
        } else if (strcmp(k, "cn") == 0) {
            spec.common_name = v;
        } else if (strcmp(k, "ca") == 0) {
            spec.is_ca = true;
        } else if (strcmp(k, "pathlen") == 0) {
            spec.path_len = atoi(v);
        } else if (strcmp(k, "dns") == 0) {
            snprintf(dns_buf, sizeof dns_buf, "%s", v);
            spec.n_dns = split_list(dns_buf, dns, MAX_LIST);
            spec.dns_names = (const char *const *)dns;
        } else if (strcmp(k, "ip") == 0) {
            snprintf(ip_buf, sizeof ip_buf, "%s", v);
            spec.n_ips = split_list(ip_buf, ips, MAX_LIST);
            spec.ips = (const char *const *)ips;
        } else if (strcmp(k, "eku") == 0) {
            spec.server_auth = strcmp(v, "server") == 0 || strcmp(v, "both") == 0;
            spec.client_auth = strcmp(v, "client") == 0 || strcmp(v, "both") == 0;
        } else if (strcmp(k, "ku") == 0 && strcmp(v, "wrong") == 0) {
            spec.key_usage_wrong = true;
        } else if (strcmp(k, "valid") == 0) {
            if (parse_validity(v, &spec.not_before, &spec.not_after) != 0) {
                latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: bad validity '%s'", lineno, v);
                return;
            }
        } else {
            latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: unknown cert attribute '%s'", lineno, k);
            return;
        }
    }
    e = mint(&spec, issuer != NULL ? &issuer->pem : NULL, &c->pem);
    if (e != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: minting '%s' failed: %s (%s)", lineno, c->name,
                        latch_err_name(e), last_detail());
        return;
    }
    c->der_len = pem_to_der(c->pem.cert, 0, c->der, sizeof c->der);
    if (c->der_len == 0) {
        latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: cannot decode '%s'", lineno, c->name);
        return;
    }
    n_certs++;
}

static bool parse_expect(const char *v, latch_err *code)
{
    if (strcmp(v, "OK") == 0) {
        *code = LATCH_OK;
        return true;
    }
    for (int e = 1; e < (int)LATCH_ERR__COUNT; e++) {
        if (strcmp(latch_err_name((latch_err)e), v) == 0) {
            *code = (latch_err)e;
            return true;
        }
    }
    return false;
}

/* A store of the named certificates, or NULL. */
static latch_trust *make_store(char *const *names, size_t n)
{
    latch_trust *t = NULL;

    if (latch_trust_new(&t) != LATCH_OK) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        named_cert *c = find(names[i]);

        if (c == NULL || latch_trust_add_pem(t, (const uint8_t *)c->pem.cert, strlen(c->pem.cert)) != LATCH_OK) {
            latch_trust_free(t);
            return NULL;
        }
    }
    return t;
}

/* Verify against t from a fresh peer; the detail into detail[0..cap). */
static latch_err verify_in(latch_trust *t, const uint8_t *const *der, const size_t *len, size_t n,
                           const latch_verify_params *vp, char *detail, size_t cap)
{
    latch_peer *p = NULL;
    latch_err e;

    latch__err_clear();
    e = latch_peer_new(der, len, n, &p);
    if (e == LATCH_OK) {
        e = latch_peer_verify(p, t, vp);
    }
    snprintf(detail, cap, "%s", e != LATCH_OK ? last_detail() : "");
    latch_peer_free(p);
    return e;
}

static void do_case(const token *tok, int n, int lineno)
{
    char trust_buf[256] = "", chain_buf[256] = "";
    char *trust_names[MAX_LIST], *chain_names[MAX_LIST];
    size_t n_trust = 0, n_chain = 0;
    const char *name = n > 1 ? tok[1].key : "?", *detail = NULL;
    latch_verify_params vp = {NULL, false, T0, 10, false};
    latch_err want = LATCH_ERR__COUNT, got;
    uint8_t corrupted[4096];
    const uint8_t *der[MAX_LIST];
    size_t der_len[MAX_LIST];
    long corrupt = -1;
    latch_trust *t = NULL;
    latch_peer *p = NULL;
    bool have_trust = false, have_chain = false;

    for (int i = 2; i < n; i++) {
        const char *k = tok[i].key, *v = tok[i].value;

        if (strcmp(k, "trust") == 0) {
            snprintf(trust_buf, sizeof trust_buf, "%s", v);
            n_trust = split_list(trust_buf, trust_names, MAX_LIST);
            have_trust = true;
        } else if (strcmp(k, "chain") == 0) {
            snprintf(chain_buf, sizeof chain_buf, "%s", v);
            n_chain = split_list(chain_buf, chain_names, MAX_LIST);
            have_chain = true;
        } else if (strcmp(k, "host") == 0) {
            vp.host = v;
        } else if (strcmp(k, "purpose") == 0) {
            vp.client_cert = strcmp(v, "client") == 0;
        } else if (strcmp(k, "time") == 0) {
            vp.now = T0 + atol(v) * DAY;
        } else if (strcmp(k, "depth") == 0) {
            vp.max_depth = (unsigned)atoi(v);
        } else if (strcmp(k, "corrupt") == 0) {
            corrupt = atol(v);
        } else if (strcmp(k, "expect") == 0) {
            if (!parse_expect(v, &want)) {
                latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: unknown code '%s'", lineno, v);
                return;
            }
        } else if (strcmp(k, "detail") == 0) {
            detail = v;
        } else {
            latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: unknown case attribute '%s'", lineno, k);
            return;
        }
    }
    if (!have_trust || !have_chain || n_chain == 0 || want == LATCH_ERR__COUNT) {
        latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: case %s needs trust, chain and expect", lineno, name);
        return;
    }
    if (latch_trust_new(&t) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "latch_trust_new failed");
        return;
    }
    for (size_t i = 0; i < n_trust; i++) {
        named_cert *c = find(trust_names[i]);

        if (c == NULL || latch_trust_add_pem(t, (const uint8_t *)c->pem.cert, strlen(c->pem.cert)) != LATCH_OK) {
            latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: bad trust anchor '%s'", lineno, trust_names[i]);
            latch_trust_free(t);
            return;
        }
    }
    for (size_t i = 0; i < n_chain; i++) {
        named_cert *c = find(chain_names[i]);

        if (c == NULL) {
            latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: unknown certificate '%s'", lineno, chain_names[i]);
            latch_trust_free(t);
            return;
        }
        der[i] = c->der;
        der_len[i] = c->der_len;
        if ((long)i == corrupt) {
            memcpy(corrupted, c->der, c->der_len);
            corrupted[c->der_len - 1] ^= 0x01;
            der[i] = corrupted;
        }
    }
    latch__err_clear();
    got = latch_peer_new(der, der_len, n_chain, &p);
    if (got == LATCH_OK) {
        got = latch_peer_verify(p, t, &vp);
    }
    n_cases++;
    if (got != want) {
        latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: case %s: got %s, expected %s (detail: %s)", lineno, name,
                        latch_err_name(got), latch_err_name(want), last_detail());
    } else if (detail != NULL && strstr(last_detail(), detail) == NULL) {
        latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: case %s: detail \"%s\" lacks \"%s\"", lineno, name,
                        last_detail(), detail);
    } else {
        printf("  ok %-22s %s%s%s\n", name, latch_err_name(got), got != LATCH_OK ? ": " : "",
               got != LATCH_OK ? last_detail() : "");
    }
    if (got == LATCH_OK && !latch_peer_verified(p)) {
        latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: case %s: OK but not marked verified", lineno, name);
    }
    if (got != LATCH_OK && p != NULL && latch_peer_verified(p)) {
        latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: case %s: failed but marked verified", lineno, name);
    }
    latch_peer_free(p);
    p = NULL;

    /*
     * Again, with the same store: a chain that verified is now found among
     * the store's verified chains; the answer (code and detail) must not
     * change either way.
     */
    {
        char first[512];
        latch_err again;

        snprintf(first, sizeof first, "%s", got != LATCH_OK ? last_detail() : "");
        latch__err_clear();
        again = latch_peer_new(der, der_len, n_chain, &p);
        if (again == LATCH_OK) {
            again = latch_peer_verify(p, t, &vp);
        }
        if (again != got || (got != LATCH_OK && strcmp(first, last_detail()) != 0)) {
            latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: case %s: again: %s (%s), first %s (%s)", lineno,
                            name, latch_err_name(again), again != LATCH_OK ? last_detail() : "", latch_err_name(got),
                            first);
        }
        latch_peer_free(p);
    }

    /*
     * A chain the store now remembers, asked about with another host,
     * purpose, time or depth: the store must answer as one that never saw it.
     */
    if (got == LATCH_OK) {
        for (int v = 0; v < 5; v++) {
            latch_verify_params q = vp;
            char warm_detail[512], cold_detail[512];
            latch_err warm, cold;
            latch_trust *fresh = make_store(trust_names, n_trust);

            switch (v) {
            case 0: q.host = "unrelated.invalid"; break;
            case 1: q.client_cert = !vp.client_cert; break;
            case 2: q.now = vp.now + 4000 * DAY; break;
            case 3: q.now = vp.now - 4000 * DAY; break;
            default: q.max_depth = 2; break;
            }
            if (fresh == NULL) {
                latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: cannot make a fresh store", lineno);
                break;
            }
            warm = verify_in(t, der, der_len, n_chain, &q, warm_detail, sizeof warm_detail);
            cold = verify_in(fresh, der, der_len, n_chain, &q, cold_detail, sizeof cold_detail);
            if (warm != cold || strcmp(warm_detail, cold_detail) != 0) {
                latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: case %s, variant %d: remembered %s (%s), fresh %s (%s)",
                                lineno, name, v, latch_err_name(warm), warm_detail, latch_err_name(cold), cold_detail);
            }
            latch_trust_free(fresh);
        }
    }
    latch_trust_free(t);
}

static void test_chains_file(void)
{
    const char *src = getenv("LATCH_SRC");
    char path[1024], line[1024];
    int lineno = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/tests/x509/chains.txt", src != NULL ? src : ".");
    f = fopen(path, "r");
    REQUIRE(f != NULL);
    certs = calloc(MAX_CERTS, sizeof *certs);
    REQUIRE(certs != NULL);
    while (fgets(line, sizeof line, f) != NULL) {
        token tok[MAX_TOKENS];
        int n;

        lineno++;
        n = tokenize(line, tok, MAX_TOKENS);
        if (n < 0) {
            latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: syntax error", lineno);
            continue;
        }
        if (n == 0) {
            continue;
        }
        if (strcmp(tok[0].key, "cert") == 0) {
            do_cert(tok, n, lineno);
        } else if (strcmp(tok[0].key, "case") == 0) {
            do_case(tok, n, lineno);
        } else {
            latch_test_fail(__FILE__, __LINE__, "chains.txt:%d: unknown directive '%s'", lineno, tok[0].key);
        }
    }
    fclose(f);
    free(certs);
    certs = NULL;
    printf("  %zu certificates, %d cases\n", n_certs, n_cases);
    /* The file must not silently shrink. */
    CHECK(n_cases >= 80);
}

static const latch_test cases[] = {
    TEST(test_chains_file),
    {0},
};

LATCH_TEST_MAIN(cases)
