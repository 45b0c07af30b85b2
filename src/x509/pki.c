/* A complete test PKI in a directory. See latch_pki_generate in <latch/x509.h>. */
#include "core/alloc.h"
#include "core/err.h"
#include "core/wipe.h"
#include "x509/file.h"
#include "x509/mint.h"

#include <openssl/err.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PEM_CAP 8192 /* an RSA-4096 key is about 3.3 KB of PEM */

typedef struct minted {
    X509 *cert;
    EVP_PKEY *key;
    char cert_pem[PEM_CAP];
    char key_pem[PEM_CAP];
    size_t cert_len, key_len;
} minted;

static void minted_free(minted *m)
{
    X509_free(m->cert);
    EVP_PKEY_free(m->key);
    latch_wipe(m->key_pem, sizeof m->key_pem);
    m->cert = NULL;
    m->key = NULL;
}

static latch_err mint_one(const latch_cert_spec *spec, const minted *issuer, int64_t now, minted *out)
{
    LATCH_TRY(latch__mint(spec, issuer != NULL ? issuer->cert : NULL, issuer != NULL ? issuer->key : NULL, now,
                          &out->cert, &out->key));
    LATCH_TRY(latch__mint_cert_pem(out->cert, out->cert_pem, sizeof out->cert_pem, &out->cert_len));
    LATCH_TRY(latch__mint_key_pem(out->key, out->key_pem, sizeof out->key_pem, &out->key_len));
    return LATCH_OK;
}

static latch_err write_in(const char *dir, const char *name, const char *data, size_t len, unsigned mode)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);

    LATCH_ENSURE(n > 0 && (size_t)n < sizeof path, LATCH_ERR_INVALID_ARGUMENT, "the directory path is too long");
    LATCH_TRY(latch__file_write(path, data, len, mode));
    return LATCH_OK;
}

typedef struct pki {
    minted ca, server, client;
    char chain[2 * PEM_CAP];
} pki;

static latch_err generate(const char *dir, latch_key_type type, pki *k)
{
    minted *ca = &k->ca, *server = &k->server, *client = &k->client;
    static const char *const server_dns[] = {"localhost"};
    static const char *const server_ips[] = {"127.0.0.1", "::1"};
    int64_t now = (int64_t)time(NULL);
    latch_cert_spec ca_spec, server_spec, client_spec;
    unsigned char tag[4];
    char ca_name[64];

    /* Each test PKI's CA has its own name, so that CA lists (and error
     * messages) tell two of them apart. */
    if (RAND_bytes(tag, sizeof tag) != 1) {
        return LATCH_FAIL(LATCH_ERR_RANDOM, "no random bytes for the CA name");
    }
    snprintf(ca_name, sizeof ca_name, "latch test CA %02x%02x%02x%02x", tag[0], tag[1], tag[2], tag[3]);
    memset(&ca_spec, 0, sizeof ca_spec);
    ca_spec.key_type = type;
    ca_spec.common_name = ca_name;
    ca_spec.is_ca = true;
    ca_spec.path_len = -1;

    memset(&server_spec, 0, sizeof server_spec);
    server_spec.key_type = type;
    server_spec.common_name = "localhost";
    server_spec.dns_names = server_dns;
    server_spec.n_dns = 1;
    server_spec.ips = server_ips;
    server_spec.n_ips = 2;
    server_spec.server_auth = true;

    memset(&client_spec, 0, sizeof client_spec);
    client_spec.key_type = type;
    client_spec.common_name = "latch test client";
    client_spec.client_auth = true;

    LATCH_TRY(mint_one(&ca_spec, NULL, now, ca));
    LATCH_TRY(mint_one(&server_spec, ca, now, server));
    LATCH_TRY(mint_one(&client_spec, ca, now, client));

    memcpy(k->chain, server->cert_pem, server->cert_len);
    memcpy(k->chain + server->cert_len, ca->cert_pem, ca->cert_len);

    LATCH_TRY(latch__file_mkdirs(dir));
    LATCH_TRY(write_in(dir, "ca.pem", ca->cert_pem, ca->cert_len, 0644));
    LATCH_TRY(write_in(dir, "ca.key", ca->key_pem, ca->key_len, 0600));
    LATCH_TRY(write_in(dir, "server.pem", server->cert_pem, server->cert_len, 0644));
    LATCH_TRY(write_in(dir, "server-chain.pem", k->chain, server->cert_len + ca->cert_len, 0644));
    LATCH_TRY(write_in(dir, "server.key", server->key_pem, server->key_len, 0600));
    LATCH_TRY(write_in(dir, "client.pem", client->cert_pem, client->cert_len, 0644));
    LATCH_TRY(write_in(dir, "client.key", client->key_pem, client->key_len, 0600));
    return LATCH_OK;
}

latch_err latch_pki_generate(const char *dir, latch_key_type type)
{
    pki *k;
    latch_err e;

    latch__err_clear();
    LATCH_ENSURE(dir != NULL && dir[0] != '\0', LATCH_ERR_INVALID_ARGUMENT, "the directory is NULL or empty");
    /* About 64 KiB of PEM buffers: on the heap, not a caller's thread stack. */
    k = latch__alloc(NULL, sizeof *k);
    LATCH_ENSURE(k != NULL, LATCH_ERR_NO_MEMORY, "no memory to mint a PKI");
    e = generate(dir, type, k);
    minted_free(&k->ca);
    minted_free(&k->server);
    minted_free(&k->client);
    latch__free(NULL, k, sizeof *k); /* wipes the key PEMs */
    ERR_clear_error();
    LATCH_TRY(e);
    return LATCH_OK;
}
