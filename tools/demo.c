/*
 * latch demo: a complete mutual-TLS handshake between a latch client and a
 * latch server in this process, over memory, drawn step by step; with
 * --tls1.2-rsa, the classic TLS 1.2 handshake with RSA key transport
 * instead, numbered as the textbook description goes.
 */
#include "tool.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Move everything one side has to send into the other side. */
static latch_err pump(latch_conn *from, latch_conn *to)
{
    const uint8_t *p;
    size_t n, used;
    latch_err e;

    for (;;) {
        e = latch_conn_output(from, &p, &n);
        if (e != LATCH_OK || n == 0) {
            return e;
        }
        e = latch_conn_feed(to, p, n, &used);
        latch_conn_output_done(from, used);
        if (e != LATCH_OK) {
            return e;
        }
        if (used < n) {
            return LATCH_OK; /* `to` holds application data to read first */
        }
    }
}

static int fail(const char *what, const latch_conn *c)
{
    char buf[512];

    latch_conn_error_string(c, buf, sizeof buf);
    fprintf(stderr, "latch demo: %s: %s\n", what, buf);
    return 1;
}

static int exchange(latch_conn *from, latch_conn *to, const char *msg, const char *who)
{
    uint8_t buf[256];
    size_t used, got;

    if (latch_conn_write_app(from, (const uint8_t *)msg, strlen(msg), &used) != LATCH_OK || used != strlen(msg)) {
        return fail("writing", from);
    }
    if (pump(from, to) != LATCH_OK) {
        return fail("delivering", to);
    }
    if (latch_conn_read_app(to, buf, sizeof buf - 1, &got) != LATCH_OK) {
        return fail("reading", to);
    }
    buf[got] = '\0';
    printf("    |     the %s reads: \"%s\"\n", who, (char *)buf);
    return 0;
}

static void cleanup_dir(const char *dir)
{
    static const char *const files[] = {"ca.pem", "ca.key", "server.pem", "server.key", "server-chain.pem",
                                        "client.pem", "client.key"};
    char path[512];

    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* The classic TLS 1.2 handshake: RSA key transport, server authentication only. */
static latch_err setup_tls12_rsa(latch_config *ccfg, latch_config *scfg)
{
    latch_err e;

    if ((e = latch_config_set_versions(ccfg, LATCH_TLS12, LATCH_TLS12)) != LATCH_OK ||
        (e = latch_config_set_versions(scfg, LATCH_TLS12, LATCH_TLS12)) != LATCH_OK ||
        (e = latch_config_enable_legacy_rsa_kx(ccfg)) != LATCH_OK ||
        (e = latch_config_enable_legacy_rsa_kx(scfg)) != LATCH_OK ||
        (e = latch_config_set_ciphers(ccfg, "TLS_RSA_WITH_AES_128_GCM_SHA256")) != LATCH_OK) {
        return e;
    }
    return LATCH_OK;
}

int cmd_demo(int argc, char **argv)
{
    char dir[] = "/tmp/latch-demo-XXXXXX", a[512], b[512];
    latch_config *ccfg = NULL, *scfg = NULL;
    latch_conn *cli = NULL, *srv = NULL;
    bool tls12_rsa = false;
    tool_trace tr;
    latch_err e;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: latch demo [--tls1.2-rsa]\n\n"
                   "Mints a throwaway PKI (a CA, a server certificate for localhost, a client\n"
                   "certificate) in a temporary directory, then runs a mutual-TLS 1.3 handshake\n"
                   "between a latch client and a latch server in this process, drawing every\n"
                   "message as a sequence diagram with a line on what it achieves, and sends one\n"
                   "encrypted message each way.\n"
                   "\n"
                   "  --tls1.2-rsa   instead, the classic TLS 1.2 handshake with RSA key transport\n"
                   "                 (an RSA PKI, server authentication only), numbered step by step\n"
                   "                 as the textbook description goes: client hello, server hello,\n"
                   "                 authentication, premaster secret, private key used, session\n"
                   "                 keys, client ready, server ready. RSA key transport has no\n"
                   "                 forward secrecy: latch keeps it off unless asked.\n");
            return 0;
        }
        if (strcmp(argv[i], "--tls1.2-rsa") == 0) {
            tls12_rsa = true;
            continue;
        }
        fprintf(stderr, "latch demo: unknown option '%s' (see --help)\n", argv[i]);
        return 2;
    }
    if (mkdtemp(dir) == NULL) {
        perror("latch demo: mkdtemp");
        return 1;
    }
    e = latch_pki_generate(dir, tls12_rsa ? LATCH_KEY_RSA2048 : LATCH_KEY_ECDSA_P256);
    if (e != LATCH_OK) {
        tool_err("demo", "minting the test PKI", e);
        goto out;
    }
    if (tls12_rsa) {
        printf("latch demo: a TLS 1.2 handshake with RSA key transport, in memory.\n"
               "A throwaway PKI is in %s: a CA and an RSA-2048 server certificate for\n"
               "'localhost'. The client makes up the premaster secret and encrypts it with the\n"
               "server's public key; whoever later steals that key can decrypt this session (no\n"
               "forward secrecy), which is why latch leaves RSA key transport off by default.\n",
               dir);
    } else {
        printf("latch demo: mutual TLS between a latch client and a latch server, in memory.\n"
               "A throwaway PKI is in %s: a CA, a server certificate for 'localhost'\n"
               "and a client certificate, both ECDSA P-256 and issued by the CA.\n",
               dir);
    }
    tool_trace_init(&tr, stdout, true);
    tr.classic = tls12_rsa;
    /* The server: its chain and key, and the CA that issues client certificates. */
    snprintf(a, sizeof a, "%s/server-chain.pem", dir);
    snprintf(b, sizeof b, "%s/server.key", dir);
    if ((e = latch_config_new(&scfg)) != LATCH_OK || (e = latch_config_add_cert_file(scfg, a, b)) != LATCH_OK) {
        tool_err("demo", "server config", e);
        goto out;
    }
    snprintf(a, sizeof a, "%s/ca.pem", dir);
    if ((e = latch_config_load_ca_file(scfg, a)) != LATCH_OK ||
        (!tls12_rsa && (e = latch_config_set_client_auth(scfg, LATCH_CLIENT_AUTH_REQUIRE)) != LATCH_OK) ||
        (e = latch_config_set_trace(scfg, tool_trace_cb, &tr)) != LATCH_OK) {
        tool_err("demo", "server config", e);
        goto out;
    }
    /* The client: the CA it trusts, and its own certificate. */
    snprintf(b, sizeof b, "%s/client.key", dir);
    if ((e = latch_config_new(&ccfg)) != LATCH_OK || (e = latch_config_load_ca_file(ccfg, a)) != LATCH_OK) {
        tool_err("demo", "client config", e);
        goto out;
    }
    snprintf(a, sizeof a, "%s/client.pem", dir);
    if ((!tls12_rsa && (e = latch_config_add_cert_file(ccfg, a, b)) != LATCH_OK) ||
        (tls12_rsa && (e = setup_tls12_rsa(ccfg, scfg)) != LATCH_OK) ||
        (e = latch_config_set_alpn(ccfg, "h2,http/1.1")) != LATCH_OK ||
        (e = latch_config_set_alpn(scfg, "http/1.1")) != LATCH_OK ||
        (e = latch_config_set_trace(ccfg, tool_trace_cb, &tr)) != LATCH_OK) {
        tool_err("demo", "client config", e);
        goto out;
    }
    if ((e = latch_conn_new_server(scfg, &srv)) != LATCH_OK) {
        tool_err("demo", "server connection", e);
        goto out;
    }
    if ((e = latch_conn_new_client(ccfg, "localhost", &cli)) != LATCH_OK) {
        tool_err("demo", "client connection", e);
        goto out;
    }
    /* The handshake: pass bytes back and forth until both are done. */
    for (int round = 0; round < 10; round++) {
        unsigned cs, ss;

        if (pump(cli, srv) != LATCH_OK) {
            rc = fail("server", srv);
            goto out;
        }
        if (pump(srv, cli) != LATCH_OK) {
            rc = fail("client", cli);
            goto out;
        }
        cs = latch_conn_state(cli);
        ss = latch_conn_state(srv);
        if ((cs & ss & LATCH_STATE_HANDSHAKE_DONE) && !(cs & LATCH_STATE_HAS_OUTPUT)) {
            break;
        }
    }
    if (!(latch_conn_state(cli) & latch_conn_state(srv) & LATCH_STATE_HANDSHAKE_DONE)) {
        fprintf(stderr, "latch demo: the handshake did not complete\n");
        goto out;
    }
    if (exchange(cli, srv, "hello from the client", "server") != 0 ||
        exchange(srv, cli, "hello from the server", "client") != 0) {
        goto out;
    }
    if (latch_conn_close(cli) != LATCH_OK || pump(cli, srv) != LATCH_ERR_CLOSE_NOTIFY ||
        latch_conn_close(srv) != LATCH_OK || pump(srv, cli) != LATCH_ERR_CLOSE_NOTIFY) {
        fprintf(stderr, "latch demo: closing failed\n");
        goto out;
    }
    printf("\nThe client's view:\n");
    tool_summary(stdout, cli);
    printf("\nThe server's view:\n");
    tool_summary(stdout, srv);
    if (tls12_rsa) {
        printf("\nThe client authenticated the server, both derived the session keys from a premaster\n"
               "secret only the server's private key could read, and they closed cleanly.\n");
    } else {
        printf("\nBoth sides authenticated each other, agreed on keys nobody else has, and closed cleanly.\n");
    }
    rc = 0;
out:
    latch_conn_free(cli);
    latch_conn_free(srv);
    latch_config_free(ccfg);
    latch_config_free(scfg);
    cleanup_dir(dir);
    return rc;
}

static void selftest_report(void *user, const char *label, const uint8_t *v, size_t n)
{
    (void)user;
    printf("  %-34s ", label);
    for (size_t i = 0; i < n; i++) {
        printf("%02x", v[i]);
    }
    printf("\n");
}

int cmd_selftest(int argc, char **argv)
{
    latch_err e;

    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: latch selftest\n\nRecomputes the TLS 1.3 key schedule of RFC 8448 section 3 and compares\n"
               "every secret, key and IV with the RFC's values.\n");
        return 0;
    }
    printf("RFC 8448 section 3 (simple 1-RTT handshake), as derived by this build:\n");
    e = latch_selftest(selftest_report, NULL);
    if (e != LATCH_OK) {
        tool_err("selftest", "FAILED", e);
        return 1;
    }
    printf("all values match RFC 8448\n");
    return 0;
}
