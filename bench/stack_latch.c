/*
 * latch behind the benchmark's stack interface (bench.h), on its public
 * sans-I/O API only: bytes from the peer go in with latch_conn_feed (one copy,
 * as recv() into latch's input buffer would be), and what latch_conn_output
 * offers is copied into the channel (as send() would copy it).
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lctx {
    latch_config *server, *client;
} lctx;

struct bench_ep {
    latch_conn *c;
    bench_chan *in, *out;
    char err[256];
};

static latch_config *config(const bench_scenario *sc, const char **why)
{
    latch_config *cfg = NULL;
    latch_err e;

    /* Every allocation through the counting hook, in timed runs too: OpenSSL's go through the same counter. */
    e = latch_config_new_ex(NULL, &bench_latch_allocator, &cfg);
    if (e == LATCH_OK) {
        e = latch_config_set_versions(cfg, sc->version, sc->version);
    }
    if (e == LATCH_OK) {
        e = latch_config_set_ciphers(cfg, sc->suite);
    }
    if (e == LATCH_OK) {
        /* The same groups on both sides; in TLS 1.3 one, so each client sends one key share, as OpenSSL's does. */
        char groups[64];

        snprintf(groups, sizeof groups, "%s%s%s", latch_group_name(sc->group), sc->group2 != 0 ? ":" : "",
                 sc->group2 != 0 ? latch_group_name(sc->group2) : "");
        e = latch_config_set_groups(cfg, groups);
    }
    if (e != LATCH_OK) {
        static char msg[256];

        snprintf(msg, sizeof msg, "%s: %s", latch_err_name(e), latch_last_error()->detail);
        *why = msg;
        latch_config_free(cfg);
        return NULL;
    }
    return cfg;
}

static void *l_ctx_new(const bench_scenario *sc, const char **why)
{
    const bench_pki *pki = bench_pki_get(sc->key);
    lctx *x;
    latch_err e;

    x = calloc(1, sizeof *x);
    if (x == NULL) {
        bench_die("out of memory");
    }
    x->server = config(sc, why);
    x->client = config(sc, why);
    if (x->server == NULL || x->client == NULL) {
        latch_config_free(x->server);
        latch_config_free(x->client);
        free(x);
        return NULL;
    }
    e = latch_config_add_cert_mem(x->server, (const uint8_t *)pki->chain, strlen(pki->chain),
                                  (const uint8_t *)pki->key, strlen(pki->key));
    if (e == LATCH_OK) {
        /* The client verifies the chain against this CA and the name "localhost". */
        e = latch_config_load_ca_mem(x->client, (const uint8_t *)pki->ca, strlen(pki->ca));
    }
    /* Like the OpenSSL side: one ticket in resumption scenarios, none otherwise. */
    if (e == LATCH_OK) {
        e = sc->tickets ? latch_config_set_tickets(x->server, 1, 7200)
                        : latch_config_set_session_store(x->server, LATCH_SESSIONS_OFF, 1);
    }
    if (e != LATCH_OK) {
        bench_die("latch config: %s (%s)", latch_err_name(e), latch_last_error()->detail);
    }
    return x;
}

static void l_ctx_free(void *ctx)
{
    lctx *x = ctx;

    if (x != NULL) {
        latch_config_free(x->server);
        latch_config_free(x->client);
        free(x);
    }
}

static bench_ep *ep_new(bench_chan *in, bench_chan *out)
{
    /* The endpoint wrapper is the application's, not latch's: plain malloc, not counted. */
    bench_ep *e = calloc(1, sizeof *e);

    if (e == NULL) {
        bench_die("out of memory");
    }
    e->in = in;
    e->out = out;
    return e;
}

/* A saved session: the bytes latch_conn_session gives. */
typedef struct lsession {
    size_t len;
    uint8_t bytes[4096];
} lsession;

static bench_ep *l_client_new(void *ctx, bench_chan *in, bench_chan *out, void *session)
{
    lctx *x = ctx;
    bench_ep *e = ep_new(in, out);
    latch_err err;

    err = latch_conn_new_client(x->client, BENCH_HOST, &e->c);
    if (err == LATCH_OK && session != NULL) {
        const lsession *s = session;

        err = latch_conn_set_session(e->c, s->bytes, s->len);
    }
    if (err != LATCH_OK) {
        /* Reported by the first handshake step (a TLS 1.2-only client, before latch speaks TLS 1.2). */
        e->c = NULL;
        snprintf(e->err, sizeof e->err, "latch_conn_new_client: %s (%s)", latch_err_name(err),
                 latch_last_error()->detail);
    }
    return e;
}

static bench_ep *l_server_new(void *ctx, bench_chan *in, bench_chan *out)
{
    lctx *x = ctx;
    bench_ep *e = ep_new(in, out);
    latch_err err = latch_conn_new_server(x->server, &e->c);

    if (err != LATCH_OK) {
        e->c = NULL;
        snprintf(e->err, sizeof e->err, "latch_conn_new_server: %s (%s)", latch_err_name(err),
                 latch_last_error()->detail);
    }
    return e;
}

static void note(bench_ep *e)
{
    if (e->err[0] == '\0' && e->c != NULL) {
        (void)latch_conn_error_string(e->c, e->err, sizeof e->err);
    }
}

/* Send what latch has for the peer. */
static void pump_out(bench_ep *e)
{
    const uint8_t *d;
    size_t n;

    if (latch_conn_output(e->c, &d, &n) == LATCH_OK && n > 0) {
        bench_chan_put(e->out, d, n);
        latch_conn_output_done(e->c, n);
    }
}

/* Give latch what the peer sent, until it is all taken or application data waits. */
static int pump_in(bench_ep *e)
{
    while (bench_chan_len(e->in) > 0) {
        size_t used = 0;
        latch_err err = latch_conn_feed(e->c, bench_chan_data(e->in), bench_chan_len(e->in), &used);

        bench_chan_consume(e->in, used);
        if (err != LATCH_OK) {
            note(e);
            return -1;
        }
        if (used == 0) {
            break; /* application data waits to be read */
        }
    }
    return 0;
}

static int l_handshake(bench_ep *e)
{
    unsigned st;
    int r;

    if (e->c == NULL) {
        return -1; /* creating the connection failed: e->err says why */
    }
    r = pump_in(e);

    pump_out(e); /* a fatal alert too */
    st = latch_conn_state(e->c);
    if (r < 0 || (st & LATCH_STATE_FAILED)) {
        note(e);
        return -1;
    }
    return (st & LATCH_STATE_HANDSHAKE_DONE) ? 1 : 0;
}

static int l_write(bench_ep *e, const uint8_t *p, size_t n)
{
    size_t done = 0;

    while (done < n) {
        size_t used = 0;
        latch_err err = latch_conn_write_app(e->c, p + done, n - done, &used);

        if (err != LATCH_OK && err != LATCH_ERR_WANT_WRITE) {
            note(e);
            return -1;
        }
        pump_out(e);
        done += used;
    }
    return 0;
}

/* Up to cap bytes of application data without copying them: the view, then consume. */
static latch_err view_consume(latch_conn *c, uint8_t *buf, size_t cap, size_t *n)
{
    const uint8_t *d;
    size_t len;
    latch_err err = latch_conn_read_view(c, &d, &len);

    (void)buf;
    *n = 0;
    if (err == LATCH_OK) {
        *n = len < cap ? len : cap;
        err = latch_conn_read_consume(c, *n);
    }
    return err;
}

/* Read with latch_conn_read_app (a copy into buf) or, in place, with the view. */
static long read_with(bench_ep *e, uint8_t *buf, size_t cap,
                      latch_err (*take)(latch_conn *c, uint8_t *buf, size_t cap, size_t *n))
{
    for (;;) {
        size_t n = 0;
        latch_err err = take(e->c, buf, cap, &n);

        if (err == LATCH_OK) {
            return (long)n;
        }
        if (err != LATCH_ERR_WANT_READ) {
            note(e);
            return -1;
        }
        if (bench_chan_len(e->in) == 0) {
            return 0;
        }
        if (pump_in(e) < 0) {
            return -1;
        }
        pump_out(e); /* a KeyUpdate answer, say */
    }
}

static long l_read(bench_ep *e, uint8_t *buf, size_t cap)
{
    return read_with(e, buf, cap, latch_conn_read_app);
}

static long l_read_in_place(bench_ep *e, size_t cap)
{
    return read_with(e, NULL, cap, view_consume);
}

static bool l_negotiated(bench_ep *e, bench_negotiated *out)
{
    if (e->c == NULL) {
        return false;
    }
    out->version = latch_conn_version(e->c);
    out->suite = latch_conn_cipher_suite(e->c);
    out->group = latch_conn_group(e->c);
    out->sigalg = latch_conn_is_server(e->c) ? latch_conn_sigalg(e->c) : latch_conn_peer_sigalg(e->c);
    out->resumed = latch_conn_resumed(e->c);
    return true;
}

static void l_free(bench_ep *e)
{
    if (e != NULL) {
        latch_conn_free(e->c);
        free(e);
    }
}

static const char *l_error(bench_ep *e)
{
    note(e);
    return e->err;
}

static void *l_session_get(bench_ep *e)
{
    uint8_t b;
    lsession *s;

    /* Read what follows the handshake (TLS 1.3 tickets come after it). */
    if (l_read(e, &b, 1) < 0) {
        return NULL;
    }
    s = malloc(sizeof *s);
    if (s == NULL || latch_conn_session(e->c, s->bytes, sizeof s->bytes, &s->len) != LATCH_OK) {
        free(s);
        return NULL;
    }
    return s;
}

static void l_session_free(void *session)
{
    free(session);
}

const bench_stack bench_latch = {
    "latch",
    l_ctx_new,
    l_ctx_free,
    l_client_new,
    l_server_new,
    l_handshake,
    l_write,
    l_read,
    l_negotiated,
    l_session_get,
    l_session_free,
    l_free,
    l_error,
    l_read_in_place,
};

/* ---- Message sizes for the crypto floor ------------------------------------------------ */

static void size_trace(void *user, const latch_conn *c, const latch_trace_event *ev)
{
    bench_hs_sizes *sz = user;

    (void)c;
    if (ev->kind != LATCH_TRACE_HANDSHAKE) {
        return;
    }
    switch (ev->hs_type) {
    case 1: sz->ch = ev->length; break;
    case 2: sz->sh = ev->length; break;
    case 8: sz->ee = ev->length; break;
    case 11: sz->cert = ev->length; break;
    case 15: sz->cv = ev->length; break;
    case 20: sz->fin = ev->length; break;
    default: break;
    }
}

bool bench_latch_hs_sizes(const bench_scenario *sc, bench_hs_sizes *out)
{
    const char *why = NULL;
    lctx *x;
    bench_chan c2s, s2c;
    bench_ep *c, *s;
    bool ok = false;

    memset(out, 0, sizeof *out);
    x = l_ctx_new(sc, &why);
    if (x == NULL) {
        return false;
    }
    /* The server sees every message of the handshake, sent or received. */
    if (latch_config_set_trace(x->server, size_trace, out) != LATCH_OK) {
        l_ctx_free(x);
        return false;
    }
    bench_chan_init(&c2s);
    bench_chan_init(&s2c);
    c = l_client_new(x, &s2c, &c2s, NULL);
    s = l_server_new(x, &c2s, &s2c);
    for (int i = 0; i < 8 && !ok; i++) {
        int rc = l_handshake(c), rs = l_handshake(s);

        if (rc < 0 || rs < 0) {
            break;
        }
        ok = rc == 1 && rs == 1;
    }
    l_free(c);
    l_free(s);
    bench_chan_free(&c2s);
    bench_chan_free(&s2c);
    l_ctx_free(x);
    return ok && out->ch > 0 && out->sh > 0 && out->cert > 0 && out->cv > 0 && out->fin > 0;
}
