/*
 * OpenSSL 3's libssl behind the benchmark's stack interface (bench.h).
 *
 * Set up to do the same work as latch: the same single suite and group, the
 * same certificate chain (leaf then CA, given explicitly, so the server never
 * builds it), the client verifying against the same CA with the host name
 * checked (SSL_VERIFY_PEER, SSL_set1_host, SNI), no session tickets and no
 * session cache unless the scenario resumes. Everything else is OpenSSL's
 * default (middlebox compatibility on, as in latch; read-ahead off).
 *
 * The transport is one BIO per connection, like the socket BIO of
 * SSL_set_fd: its write copies into the outgoing channel, its read copies out
 * of the incoming one.
 */
#include "bench.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct octx {
    SSL_CTX *server, *client;
} octx;

struct bench_ep {
    SSL *ssl;
    bench_chan *in, *out;
    char err[256];
};

/* ---- The channel BIO ----------------------------------------------------------- */

static BIO_METHOD *chan_method;

static int chan_bio_write(BIO *b, const char *p, size_t n, size_t *written)
{
    bench_ep *e = BIO_get_data(b);

    bench_chan_put(e->out, (const uint8_t *)p, n);
    *written = n;
    return 1;
}

static int chan_bio_read(BIO *b, char *p, size_t n, size_t *got)
{
    bench_ep *e = BIO_get_data(b);

    BIO_clear_retry_flags(b);
    if (bench_chan_len(e->in) == 0) {
        BIO_set_retry_read(b);
        *got = 0;
        return 0;
    }
    *got = bench_chan_get(e->in, (uint8_t *)p, n);
    return 1;
}

static long chan_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    bench_ep *e = BIO_get_data(b);

    (void)num;
    (void)ptr;
    switch (cmd) {
    case BIO_CTRL_FLUSH: return 1;
    case BIO_CTRL_PENDING: return e != NULL ? (long)bench_chan_len(e->in) : 0;
    case BIO_CTRL_WPENDING: return 0;
    default: return 0;
    }
}

static int chan_bio_create(BIO *b)
{
    BIO_set_init(b, 1);
    return 1;
}

static const BIO_METHOD *chan_bio_method(void)
{
    if (chan_method == NULL) {
        chan_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "bench channel");
        if (chan_method == NULL || BIO_meth_set_write_ex(chan_method, chan_bio_write) != 1 ||
            BIO_meth_set_read_ex(chan_method, chan_bio_read) != 1 ||
            BIO_meth_set_ctrl(chan_method, chan_bio_ctrl) != 1 ||
            BIO_meth_set_create(chan_method, chan_bio_create) != 1) {
            bench_die("cannot make the channel BIO method");
        }
    }
    return chan_method;
}

/* ---- Contexts --------------------------------------------------------------------- */

static void ossl_die(const char *what)
{
    char buf[256];

    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    bench_die("OpenSSL: %s: %s", what, buf);
}

static const char *group_name(uint16_t group)
{
    switch (group) {
    case LATCH_GROUP_X25519: return "X25519";
    case LATCH_GROUP_SECP256R1: return "P-256";
    case LATCH_GROUP_SECP384R1: return "P-384";
    default: return "?";
    }
}

static SSL_CTX *ctx_common(const bench_scenario *sc, bool server)
{
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    int v = sc->version == LATCH_TLS13 ? TLS1_3_VERSION : TLS1_2_VERSION;
    int ok;

    if (ctx == NULL) {
        ossl_die("SSL_CTX_new");
    }
    ok = SSL_CTX_set_min_proto_version(ctx, v) == 1 && SSL_CTX_set_max_proto_version(ctx, v) == 1;
    if (ok && sc->version == LATCH_TLS13) {
        ok = SSL_CTX_set_ciphersuites(ctx, sc->suite) == 1;
    } else if (ok) {
        ok = SSL_CTX_set_cipher_list(ctx, sc->suite) == 1;
    }
    if (ok) {
        char groups[64];

        snprintf(groups, sizeof groups, "%s%s%s", group_name(sc->group), sc->group2 != 0 ? ":" : "",
                 sc->group2 != 0 ? group_name(sc->group2) : "");
        ok = SSL_CTX_set1_groups_list(ctx, groups) == 1;
    }
    if (!ok) {
        ossl_die("configuring the context");
    }
    if (sc->release_buffers) {
        SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    }
    if (!sc->tickets) {
        /* Full handshakes: no ticket to issue, nothing to cache (latch does neither yet). */
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
        if (SSL_CTX_set_num_tickets(ctx, 0) != 1) {
            ossl_die("SSL_CTX_set_num_tickets");
        }
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    } else {
        /* One stateless ticket per connection, nothing cached on the server. */
        if (SSL_CTX_set_num_tickets(ctx, 1) != 1) {
            ossl_die("SSL_CTX_set_num_tickets");
        }
        SSL_CTX_set_session_cache_mode(ctx, server ? SSL_SESS_CACHE_OFF : SSL_SESS_CACHE_CLIENT);
    }
    return ctx;
}

static X509 *pem_cert(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    X509 *x = b != NULL ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

    BIO_free(b);
    if (x == NULL) {
        ossl_die("reading a certificate");
    }
    return x;
}

static void *o_ctx_new(const bench_scenario *sc, const char **why)
{
    const bench_pki *pki = bench_pki_get(sc->key);
    octx *x = calloc(1, sizeof *x);
    X509 *leaf, *ca;
    EVP_PKEY *key;
    BIO *b;

    (void)why;
    if (x == NULL) {
        bench_die("out of memory");
    }
    x->server = ctx_common(sc, true);
    x->client = ctx_common(sc, false);

    leaf = pem_cert(pki->leaf);
    ca = pem_cert(pki->ca);
    b = BIO_new_mem_buf(pki->key, -1);
    key = b != NULL ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    if (key == NULL) {
        ossl_die("reading the server key");
    }
    /* The chain is given whole (leaf, CA), as latch's is: no chain building per handshake. */
    if (SSL_CTX_use_certificate(x->server, leaf) != 1 || SSL_CTX_add1_chain_cert(x->server, ca) != 1 ||
        SSL_CTX_use_PrivateKey(x->server, key) != 1 || SSL_CTX_check_private_key(x->server) != 1) {
        ossl_die("loading the server chain");
    }
    SSL_CTX_set_mode(x->server, SSL_MODE_NO_AUTO_CHAIN);

    SSL_CTX_set_verify(x->client, SSL_VERIFY_PEER, NULL);
    if (X509_STORE_add_cert(SSL_CTX_get_cert_store(x->client), ca) != 1) {
        ossl_die("trusting the CA");
    }
    X509_free(leaf);
    X509_free(ca);
    EVP_PKEY_free(key);
    return x;
}

static void o_ctx_free(void *ctx)
{
    octx *x = ctx;

    if (x != NULL) {
        SSL_CTX_free(x->server);
        SSL_CTX_free(x->client);
        free(x);
    }
}

/* ---- Connections --------------------------------------------------------------------- */

static bench_ep *ep_new(SSL_CTX *ctx, bench_chan *in, bench_chan *out)
{
    bench_ep *e = calloc(1, sizeof *e); /* the application's wrapper: not counted */
    BIO *b;

    if (e == NULL) {
        bench_die("out of memory");
    }
    e->in = in;
    e->out = out;
    e->ssl = SSL_new(ctx);
    b = BIO_new(chan_bio_method());
    if (e->ssl == NULL || b == NULL) {
        ossl_die("SSL_new");
    }
    BIO_set_data(b, e);
    SSL_set_bio(e->ssl, b, b); /* one reference, for both directions */
    return e;
}

static bench_ep *o_client_new(void *ctx, bench_chan *in, bench_chan *out, void *session)
{
    octx *x = ctx;
    bench_ep *e = ep_new(x->client, in, out);

    SSL_set_connect_state(e->ssl);
    if (SSL_set_tlsext_host_name(e->ssl, BENCH_HOST) != 1 || SSL_set1_host(e->ssl, BENCH_HOST) != 1) {
        ossl_die("setting the host name");
    }
    if (session != NULL && SSL_set_session(e->ssl, session) != 1) {
        ossl_die("SSL_set_session");
    }
    return e;
}

static bench_ep *o_server_new(void *ctx, bench_chan *in, bench_chan *out)
{
    octx *x = ctx;
    bench_ep *e = ep_new(x->server, in, out);

    SSL_set_accept_state(e->ssl);
    return e;
}

static void note(bench_ep *e, int ret)
{
    int code = SSL_get_error(e->ssl, ret);
    unsigned long l = ERR_get_error();
    char buf[200] = "";

    if (l != 0) {
        ERR_error_string_n(l, buf, sizeof buf);
    }
    snprintf(e->err, sizeof e->err, "SSL_get_error %d: %s (verify: %s)", code, buf,
             X509_verify_cert_error_string(SSL_get_verify_result(e->ssl)));
    ERR_clear_error();
}

static int o_handshake(bench_ep *e)
{
    int r = SSL_do_handshake(e->ssl);

    if (r == 1) {
        return 1;
    }
    if (SSL_get_error(e->ssl, r) == SSL_ERROR_WANT_READ) {
        return 0;
    }
    note(e, r);
    return -1;
}

static int o_write(bench_ep *e, const uint8_t *p, size_t n)
{
    size_t done = 0;

    while (done < n) {
        size_t w = 0;
        int r = SSL_write_ex(e->ssl, p + done, n - done, &w);

        if (r != 1) {
            note(e, r);
            return -1;
        }
        done += w;
    }
    return 0;
}

static long o_read(bench_ep *e, uint8_t *buf, size_t cap)
{
    size_t n = 0;
    int r = SSL_read_ex(e->ssl, buf, cap, &n);

    if (r == 1) {
        return (long)n;
    }
    if (SSL_get_error(e->ssl, r) == SSL_ERROR_WANT_READ) {
        return 0;
    }
    note(e, r);
    return -1;
}

static uint16_t group_id(long nid)
{
    switch (nid) {
    case NID_X25519: return LATCH_GROUP_X25519;
    case NID_X9_62_prime256v1: return LATCH_GROUP_SECP256R1;
    case NID_secp384r1: return LATCH_GROUP_SECP384R1;
    default: return 0;
    }
}

static uint16_t sigalg_id(int pknid, int hnid)
{
    if (hnid != NID_sha256) {
        return 0;
    }
    switch (pknid) {
    case NID_X9_62_id_ecPublicKey: return LATCH_SIG_ECDSA_SECP256R1_SHA256;
    case NID_rsassaPss: return LATCH_SIG_RSA_PSS_RSAE_SHA256;
    case NID_rsaEncryption: return LATCH_SIG_RSA_PKCS1_SHA256;
    default: return 0;
    }
}

static bool o_negotiated(bench_ep *e, bench_negotiated *out)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(e->ssl);
    int pknid = 0, hnid = 0;

    out->version = (uint16_t)SSL_version(e->ssl);
    out->suite = c != NULL ? SSL_CIPHER_get_protocol_id(c) : 0;
    out->group = group_id(SSL_get_negotiated_group(e->ssl));
    if (SSL_is_server(e->ssl)) {
        (void)SSL_get_signature_type_nid(e->ssl, &pknid);
        (void)SSL_get_signature_nid(e->ssl, &hnid);
    } else {
        (void)SSL_get_peer_signature_type_nid(e->ssl, &pknid);
        (void)SSL_get_peer_signature_nid(e->ssl, &hnid);
    }
    out->sigalg = sigalg_id(pknid, hnid);
    out->resumed = SSL_session_reused(e->ssl) == 1;
    return true;
}

static void *o_session_get(bench_ep *e)
{
    uint8_t b;
    size_t n;
    SSL_SESSION *s;

    /* Read what follows the handshake (TLS 1.3 tickets come after it). */
    if (SSL_read_ex(e->ssl, &b, 1, &n) != 1 && SSL_get_error(e->ssl, 0) != SSL_ERROR_WANT_READ) {
        note(e, 0);
        return NULL;
    }
    s = SSL_get1_session(e->ssl);
    if (s != NULL && SSL_SESSION_is_resumable(s) != 1) {
        SSL_SESSION_free(s);
        s = NULL;
    }
    return s;
}

static void o_session_free(void *session)
{
    SSL_SESSION_free(session);
}

static void o_free(bench_ep *e)
{
    if (e != NULL) {
        /*
         * Closed as after a close_notify exchange, without sending one (latch
         * frees without one too). Freeing a connection that was not shut
         * down would make OpenSSL mark its session not resumable.
         */
        SSL_set_shutdown(e->ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
        SSL_free(e->ssl);
        free(e);
    }
}

static const char *o_error(bench_ep *e)
{
    return e->err;
}

const bench_stack bench_openssl = {
    "OpenSSL",
    o_ctx_new,
    o_ctx_free,
    o_client_new,
    o_server_new,
    o_handshake,
    o_write,
    o_read,
    o_negotiated,
    o_session_get,
    o_session_free,
    o_free,
    o_error,
    NULL, /* SSL_read always copies */
};
