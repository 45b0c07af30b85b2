/*
 * The benchmark's certificates, minted once at start with latch_cert_mint and
 * loaded into both stacks: per key type, a CA and a "localhost" server
 * certificate issued by it (the same key type throughout, so an RSA run
 * verifies an RSA chain).
 */
#include "bench.h"

#include <string.h>

static bench_pki pkis[BENCH_KEYS];

static void mint(const latch_cert_spec *spec, const char *icert, const char *ikey, char *cert, char *key)
{
    latch_err e = latch_cert_mint(spec, icert, ikey, cert, BENCH_PEM_MAX, key, BENCH_PEM_MAX);

    if (e != LATCH_OK) {
        bench_die("minting a certificate: %s (%s)", latch_err_name(e), latch_last_error()->detail);
    }
}

static void make(bench_pki *p, latch_key_type type)
{
    static const char *const dns[] = {BENCH_HOST};
    static const char *const ips[] = {"127.0.0.1"};
    latch_cert_spec spec;
    size_t la, lc;

    memset(&spec, 0, sizeof spec);
    spec.key_type = type;
    spec.common_name = "latch bench CA";
    spec.is_ca = true;
    spec.path_len = -1;
    mint(&spec, NULL, NULL, p->ca, p->ca_key);

    memset(&spec, 0, sizeof spec);
    spec.key_type = type;
    spec.common_name = BENCH_HOST;
    spec.dns_names = dns;
    spec.n_dns = 1;
    spec.ips = ips;
    spec.n_ips = 1;
    spec.server_auth = true;
    mint(&spec, p->ca, p->ca_key, p->leaf, p->key);

    la = strlen(p->leaf);
    lc = strlen(p->ca);
    memcpy(p->chain, p->leaf, la);
    memcpy(p->chain + la, p->ca, lc + 1);
}

void bench_pki_init(void)
{
    make(&pkis[BENCH_KEY_ECDSA_P256], LATCH_KEY_ECDSA_P256);
    make(&pkis[BENCH_KEY_RSA2048], LATCH_KEY_RSA2048);
}

const bench_pki *bench_pki_get(bench_key k)
{
    return &pkis[k];
}

const char *bench_key_name(bench_key k)
{
    return k == BENCH_KEY_ECDSA_P256 ? "ECDSA P-256" : "RSA-2048";
}
