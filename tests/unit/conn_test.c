/*
 * The connection (src/conn.c): the malformed-input catalogue at the record
 * and connection level, the named limits, and the sans-IO API's behaviours.
 *
 * A real peer runs the handshake; its records are opened with the secrets
 * the key log reports, cut into one message per record, and replayed by
 * hand, so the connection under test can be stopped in any state and sent
 * anything there. Every failure is checked the same way (check_failed): the
 * exact error, the exact alert in latch_conn_error(), the alert record in
 * the output (decrypted when keys are on), the error sticking to every later
 * call, and the state flags. Configs use a counting allocator, and each test
 * ends with everything latch allocated given back.
 */
#include "harness.h"
#include "tls.h"

#include "conn.h"
#include "core/wipe.h"
#include "core/wr.h"
#include "hs/keysched13.h"
#include "msg/msg.h"
#include "provider/test/testprov.h"
#include "record/protect.h"
#include "record/record.h"

#include <stdlib.h>
#include <string.h>

/* ---- Memory: a counting allocator ---------------------------------------------------- */

static size_t live;

static void *count_alloc(void *user, size_t n)
{
    uint8_t *p = malloc(16 + n);

    (void)user;
    if (p == NULL) {
        return NULL;
    }
    memcpy(p, &n, sizeof n);
    live += n;
    return p + 16;
}

static void count_free(void *user, void *ptr, size_t n)
{
    uint8_t *p = (uint8_t *)ptr - 16;
    size_t had;

    (void)user;
    (void)n;
    memcpy(&had, p, sizeof had);
    live -= had;
    free(p);
}

static const latch_allocator counting = {count_alloc, count_free, NULL};

/* ---- Secrets from the key log ------------------------------------------------------------ */

static struct {
    latch_secret c_hs, s_hs, c_ap, s_ap;
} K;

static void set_hex(latch_secret *s, const char *hex)
{
    uint8_t b[LATCH_SECRET_MAX];
    size_t n = latch_test_unhex(hex, b, sizeof b);

    if (n != (size_t)-1) {
        latch_secret_set(s, b, n);
    }
}

static void keylog(void *user, const latch_conn *c, const char *line)
{
    const char *secret = strrchr(line, ' ');

    (void)user;
    (void)c;
    if (secret == NULL) {
        return;
    }
    if (strncmp(line, "CLIENT_HANDSHAKE_TRAFFIC_SECRET ", 32) == 0) {
        set_hex(&K.c_hs, secret + 1);
    } else if (strncmp(line, "SERVER_HANDSHAKE_TRAFFIC_SECRET ", 32) == 0) {
        set_hex(&K.s_hs, secret + 1);
    } else if (strncmp(line, "CLIENT_TRAFFIC_SECRET_0 ", 24) == 0) {
        set_hex(&K.c_ap, secret + 1);
    } else if (strncmp(line, "SERVER_TRAFFIC_SECRET_0 ", 24) == 0) {
        set_hex(&K.s_ap, secret + 1);
    }
}

/* ---- Configs and pairs ------------------------------------------------------------------------- */

#define OPT_CLIENT_AUTH 0x01u /* the server requires a client certificate; the client has one */
#define OPT_HRR 0x02u         /* the client sends no key share: the server asks for one */
#define OPT_RSA 0x04u         /* the server's chain is RSA-2048 (bigger certificates) */
#define OPT_ED25519 0x08u     /* the server's chain is Ed25519 */

typedef struct pair {
    latch_config *cc, *sc;
    latch_conn *c, *s;
} pair;

static latch_config *config(bool server, unsigned opts)
{
    const tpki *pki = tpki_get(LATCH_KEY_ECDSA_P256);
    const tpki *rsa = tpki_get(LATCH_KEY_RSA2048);
    latch_config *cfg = NULL;

    if (latch_config_new_ex(NULL, &counting, &cfg) != LATCH_OK ||
        latch_config_load_ca_mem(cfg, (const uint8_t *)pki->ca, strlen(pki->ca)) != LATCH_OK ||
        latch_config_load_ca_mem(cfg, (const uint8_t *)rsa->ca, strlen(rsa->ca)) != LATCH_OK ||
        latch_config_set_keylog(cfg, keylog, NULL) != LATCH_OK) {
        abort();
    }
    if (latch_config_load_ca_mem(cfg, (const uint8_t *)tpki_get(LATCH_KEY_ED25519)->ca,
                                 strlen(tpki_get(LATCH_KEY_ED25519)->ca)) != LATCH_OK) {
        abort();
    }
    if (server && (opts & OPT_RSA)) {
        pki = rsa;
    }
    if (server && (opts & OPT_ED25519)) {
        pki = tpki_get(LATCH_KEY_ED25519);
    }
    if (server) {
        if (latch_config_add_cert_mem(cfg, (const uint8_t *)pki->server, strlen(pki->server),
                                      (const uint8_t *)pki->server_key, strlen(pki->server_key)) != LATCH_OK) {
            abort();
        }
        if ((opts & OPT_CLIENT_AUTH) && latch_config_set_client_auth(cfg, LATCH_CLIENT_AUTH_REQUIRE) != LATCH_OK) {
            abort();
        }
    } else {
        if ((opts & OPT_CLIENT_AUTH) &&
            latch_config_add_cert_mem(cfg, (const uint8_t *)pki->client, strlen(pki->client),
                                      (const uint8_t *)pki->client_key, strlen(pki->client_key)) != LATCH_OK) {
            abort();
        }
        if ((opts & OPT_HRR) && latch_config_set_key_shares(cfg, 0) != LATCH_OK) {
            abort();
        }
    }
    return cfg;
}

static void pair_new(pair *p, unsigned opts)
{
    memset(&K, 0, sizeof K);
    p->cc = config(false, opts);
    p->sc = config(true, opts);
    if (latch_conn_new_client(p->cc, "localhost", &p->c) != LATCH_OK || latch_conn_new_server(p->sc, &p->s) != LATCH_OK) {
        abort();
    }
}

/* Free everything; latch must have given back every byte it took. */
static void pair_free(pair *p)
{
    latch_conn_free(p->c);
    latch_conn_free(p->s);
    latch_config_free(p->cc);
    latch_config_free(p->sc);
    memset(p, 0, sizeof *p);
    CHECK_EQ(live, 0);
}

/* Drop whatever a connection has to send. */
static void drop_output(latch_conn *c)
{
    const uint8_t *d;
    size_t n;

    LATCH_IGNORE(latch_conn_output(c, &d, &n));
    latch_conn_output_done(c, n);
}

/* Feed everything (reading any application data that arrives); the last result. */
static latch_err feed(latch_conn *c, const uint8_t *p, size_t n)
{
    latch_err e = LATCH_OK;

    while (n > 0) {
        size_t used = 0;
        uint8_t sink[256];

        e = latch_conn_feed(c, p, n, &used);
        p += used;
        n -= used;
        if (e != LATCH_OK || used == 0) {
            while (latch_conn_read_app(c, sink, sizeof sink, &used) == LATCH_OK) {
            }
            if (e != LATCH_OK || !(latch_conn_state(c) & LATCH_STATE_WANT_INPUT)) {
                if (e != LATCH_OK) {
                    return e;
                }
                drop_output(c);
            }
        }
    }
    return e;
}

/* Run the handshake, stopping as soon as either side fails (its alert stays in its output). */
static latch_err handshake_until_failure(pair *p)
{
    for (int i = 0; i < 16; i++) {
        latch_err e = tpump(p->c, p->s);

        if (e == LATCH_OK) {
            e = tpump(p->s, p->c);
        }
        if (e != LATCH_OK) {
            return e;
        }
        if ((latch_conn_state(p->c) & latch_conn_state(p->s) & LATCH_STATE_HANDSHAKE_DONE) &&
            !(latch_conn_state(p->c) & LATCH_STATE_HAS_OUTPUT)) {
            return LATCH_OK;
        }
    }
    return LATCH_ERR_INTERNAL;
}

/* ---- Records by hand ------------------------------------------------------------------------------ */

/* A record in the clear. */
static size_t rec_clear(uint8_t *out, uint8_t type, const uint8_t *p, size_t n)
{
    out[0] = type;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)(n >> 8);
    out[4] = (uint8_t)n;
    if (n > 0) {
        memcpy(out + 5, p, n);
    }
    return 5 + n;
}

/* Seals records as one side, with a traffic secret and the suite of `ref`. */
typedef struct sealer {
    latch_rec_dir d;
    const latch_conn *ref;
    latch_secret secret;
} sealer;

static void sealer_set(sealer *w, const latch_conn *ref, const latch_secret *s)
{
    uint8_t key[LATCH_AEAD_MAX_KEY], iv[LATCH_AEAD_NONCE_LEN];

    latch_rec_dir_clear(&w->d);
    w->ref = ref;
    w->secret = *s;
    if (latch_ks13_traffic_keys(ref->hash, ref->aead, s, key, iv) != LATCH_OK ||
        latch_rec_dir_set13(&w->d, ref->aead, key, iv, true) != LATCH_OK) {
        abort();
    }
    latch_wipe(key, sizeof key);
}

/* The next application traffic secret (a KeyUpdate the sealer's side sent). */
static void sealer_update(sealer *w)
{
    latch_secret next = w->secret;

    if (latch_ks13_update_secret(w->ref->hash, &next) != LATCH_OK) {
        abort();
    }
    sealer_set(w, w->ref, &next);
}

/* A protected record: TLSInnerPlaintext = p[0..n) (content, type and padding as given). */
static size_t rec_inner(sealer *w, uint8_t *out, const uint8_t *inner, size_t n)
{
    uint8_t nonce[LATCH_AEAD_NONCE_LEN];
    size_t body = n + w->d.aead->tag_len;

    out[0] = LATCH_CT_APPLICATION_DATA;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)(body >> 8);
    out[4] = (uint8_t)body;
    memcpy(out + 5, inner, n);
    latch__rec_nonce_xor(&w->d, nonce);
    if (w->d.aead->seal(w->d.ctx, nonce, out, 5, out + 5, n, out + 5 + n) != LATCH_OK) {
        abort();
    }
    w->d.seq++;
    return 5 + body;
}

/* A protected record of `type` with content p[0..n). */
static size_t rec_sealed(sealer *w, uint8_t *out, uint8_t type, const uint8_t *p, size_t n)
{
    static uint8_t inner[LATCH_REC_MAX_INNER13 + 64];

    if (n > 0) {
        memcpy(inner, p, n);
    }
    inner[n] = type;
    return rec_inner(w, out, inner, n + 1);
}

/* Seal and feed one record; the connection's result. */
static latch_err send_sealed(latch_conn *c, sealer *w, uint8_t type, const uint8_t *p, size_t n)
{
    static uint8_t rec[LATCH_REC_BUF_MAX + 64];

    return feed(c, rec, rec_sealed(w, rec, type, p, n));
}

static latch_err send_clear(latch_conn *c, uint8_t type, const uint8_t *p, size_t n)
{
    static uint8_t rec[70000];

    return feed(c, rec, rec_clear(rec, type, p, n));
}

/* Open a record sent by a connection with secret s at sequence number seq. */
static bool open_rec(const latch_conn *ref, const latch_secret *s, uint64_t seq, const uint8_t *rec, size_t n,
                     uint8_t *type, uint8_t *plain, size_t *len)
{
    static uint8_t copy[LATCH_REC_BUF_MAX + 64];
    uint8_t key[LATCH_AEAD_MAX_KEY], iv[LATCH_AEAD_NONCE_LEN];
    latch_rec_dir d;
    latch_rd r;
    bool ok;

    memset(&d, 0, sizeof d);
    if (n > sizeof copy || latch_ks13_traffic_keys(ref->hash, ref->aead, s, key, iv) != LATCH_OK ||
        latch_rec_dir_set13(&d, ref->aead, key, iv, false) != LATCH_OK) {
        return false;
    }
    d.seq = seq;
    memcpy(copy, rec, n);
    ok = latch_rec_open(&d, copy, n, type, &r) == LATCH_OK;
    if (ok) {
        memcpy(plain, r.p, r.len);
        *len = r.len;
    }
    latch_rec_dir_clear(&d);
    latch_wipe(key, sizeof key);
    return ok;
}

/* A handshake message: type, 24-bit length, body. */
static size_t hs_msg(uint8_t *out, uint8_t type, const uint8_t *body, size_t n)
{
    out[0] = type;
    out[1] = (uint8_t)(n >> 16);
    out[2] = (uint8_t)(n >> 8);
    out[3] = (uint8_t)n;
    if (n > 0) {
        memcpy(out + 4, body, n);
    }
    return 4 + n;
}

/* ---- Checking a failure ------------------------------------------------------------------------------ */

/*
 * The connection failed with `want` and sent alert `alert` (or none): the
 * error record, the alert record at the end of the output (in the clear or
 * under the connection's current write key), the state, and the same error
 * from every later call.
 */
static void check_failed_at(const char *file, int line, latch_conn *c, latch_err want, int alert)
{
    const latch_error_info *ei = latch_conn_error(c);
    const uint8_t *d, *last = NULL;
    size_t n, last_len = 0, used = 7;
    unsigned st = latch_conn_state(c);
    uint8_t byte = 0, buf[16];

    if (ei->code != want) {
        latch_test_fail(file, line, "connection error %s, expected %s (%s)", latch_err_name(ei->code),
                        latch_err_name(want), ei->detail);
        return;
    }
    if (ei->alert != (alert < 0 ? LATCH_ALERT_NONE : alert) && want != LATCH_ERR_PEER_ALERT) {
        latch_test_fail(file, line, "alert %u recorded, expected %d", ei->alert, alert);
    }
    if ((st & (LATCH_STATE_FAILED | LATCH_STATE_CLOSED)) != (LATCH_STATE_FAILED | LATCH_STATE_CLOSED) ||
        (st & (LATCH_STATE_WANT_INPUT | LATCH_STATE_CAN_WRITE | LATCH_STATE_HAS_APP_DATA))) {
        latch_test_fail(file, line, "state 0x%x after a failure", st);
    }
    LATCH_IGNORE(latch_conn_output(c, &d, &n));
    /* The last record of the output. */
    for (size_t off = 0; off + 5 <= n;) {
        size_t len = 5 + ((size_t)d[off + 3] << 8 | d[off + 4]);

        last = d + off;
        last_len = len;
        off += len;
    }
    if (alert < 0 || want == LATCH_ERR_PEER_ALERT) {
        if (last != NULL && last[0] == LATCH_CT_ALERT) {
            latch_test_fail(file, line, "an alert was sent, none expected");
        }
    } else if (last == NULL) {
        latch_test_fail(file, line, "no alert record in the output");
    } else if (last[0] == LATCH_CT_ALERT) {
        if (last_len != 7 || last[5] != LATCH_ALERT_LEVEL_FATAL || last[6] != alert) {
            latch_test_fail(file, line, "clear alert record %02x %02x, expected fatal %d", last_len > 5 ? last[5] : 0,
                            last_len > 6 ? last[6] : 0, alert);
        }
    } else {
        /* Protected: under the last write secret, at some small sequence number. */
        bool found = false;

        for (uint64_t seq = 0; seq < 64 && !found; seq++) {
            uint8_t type, plain[64];
            size_t plen;

            if (last_len <= 64 && open_rec(c, &c->wr_secret, seq, last, last_len, &type, plain, &plen)) {
                found = true;
                if (type != LATCH_CT_ALERT || plen != 2 || plain[0] != LATCH_ALERT_LEVEL_FATAL || plain[1] != alert) {
                    latch_test_fail(file, line, "protected alert %u/%u, expected fatal %d", plen > 0 ? plain[0] : 0,
                                    plen > 1 ? plain[1] : 0, alert);
                }
            }
        }
        if (!found) {
            latch_test_fail(file, line, "the last output record does not open as an alert");
        }
    }
    /* Sticky. */
    if (latch_conn_feed(c, &byte, 1, &used) != want || used != 0 ||
        latch_conn_write_app(c, &byte, 1, &used) != want || used != 0 ||
        latch_conn_read_app(c, buf, sizeof buf, &used) != want || used != 0 || latch_conn_close(c) != want ||
        latch_conn_key_update(c, true) != want) {
        latch_test_fail(file, line, "%s is not sticky", latch_err_name(want));
    }
    {
        uint8_t *ib;
        size_t cap;

        if (latch_conn_input_buffer(c, &ib, &cap) != want || latch_conn_input_done(c, 0) != want) {
            latch_test_fail(file, line, "%s is not sticky for zero-copy input", latch_err_name(want));
        }
    }
}

#define CHECK_FAILED(c, want, alert) check_failed_at(__FILE__, __LINE__, (c), (want), (alert))

/* ---- Stopping a connection in any state --------------------------------------------------------------- */

/*
 * The connection under test replays: it runs on the deterministic provider
 * (reseeded for each connection) with an Ed25519 chain (deterministic
 * signatures), so its messages are the same every time, and the peer's
 * answer, recorded once from a real latch peer, fits every fresh connection.
 * The recorded answer is taken apart into plaintext messages, re-sealed one
 * per record with the peer's traffic secret (from the key log).
 */
#define DET_SEED UINT64_C(0x1A7C4)

static latch_testprov *tp;

static latch_config *det_config(bool server, unsigned opts)
{
    const tpki *ed = tpki_get(LATCH_KEY_ED25519), *p256 = tpki_get(LATCH_KEY_ECDSA_P256);
    latch_config *cfg = NULL;

    if (tp == NULL && (tp = latch__testprov_new(DET_SEED)) == NULL) {
        abort();
    }
    if (latch_config_new_ex(latch__testprov_provider(tp), &counting, &cfg) != LATCH_OK ||
        latch_config_load_ca_mem(cfg, (const uint8_t *)ed->ca, strlen(ed->ca)) != LATCH_OK ||
        latch_config_load_ca_mem(cfg, (const uint8_t *)p256->ca, strlen(p256->ca)) != LATCH_OK ||
        latch_config_set_keylog(cfg, keylog, NULL) != LATCH_OK) {
        abort();
    }
    if (server) {
        if (latch_config_add_cert_mem(cfg, (const uint8_t *)ed->server, strlen(ed->server),
                                      (const uint8_t *)ed->server_key, strlen(ed->server_key)) != LATCH_OK) {
            abort();
        }
        if ((opts & OPT_CLIENT_AUTH) && latch_config_set_client_auth(cfg, LATCH_CLIENT_AUTH_REQUIRE) != LATCH_OK) {
            abort();
        }
    } else if ((opts & OPT_CLIENT_AUTH) &&
               latch_config_add_cert_mem(cfg, (const uint8_t *)ed->client, strlen(ed->client),
                                         (const uint8_t *)ed->client_key, strlen(ed->client_key)) != LATCH_OK) {
        abort();
    }
    return cfg;
}

/* A fresh deterministic connection (always the same bytes out). */
static latch_conn *det_conn(latch_config *cfg, bool server)
{
    latch_conn *c = NULL;

    latch__testprov_reseed(tp, DET_SEED);
    if ((server ? latch_conn_new_server(cfg, &c) : latch_conn_new_client(cfg, "localhost", &c)) != LATCH_OK) {
        abort();
    }
    return c;
}

static void split_msgs(uint8_t *msgs, size_t total, size_t *off, size_t *len, size_t *n)
{
    *n = 0;
    for (size_t o = 0; o + 4 <= total && *n < 8;) {
        size_t l = 4 + ((size_t)msgs[o + 1] << 16 | (size_t)msgs[o + 2] << 8 | msgs[o + 3]);

        off[*n] = o;
        len[*n] = l;
        (*n)++;
        o += l;
    }
}

/* A peer's answer: its first record in the clear, then its protected handshake messages as plaintext. */
typedef struct answer {
    bool ready;
    uint8_t first[4096]; /* the ServerHello record (client under test) or the ClientHello record (server under test) */
    size_t first_len;
    uint8_t msgs[16384];
    size_t off[8], len[8], n;
} answer;

/* Take the peer's output apart: the first handshake record kept whole, the first protected one opened. */
static void take_apart(answer *a, latch_conn *from, const latch_secret *s)
{
    const uint8_t *d;
    size_t n, off = 0;

    LATCH_IGNORE(latch_conn_output(from, &d, &n));
    while (off + 5 <= n) {
        size_t rl = 5 + ((size_t)d[off + 3] << 8 | d[off + 4]);

        if (d[off] == LATCH_CT_HANDSHAKE && a->first_len == 0) {
            memcpy(a->first, d + off, rl);
            a->first_len = rl;
        } else if (d[off] == LATCH_CT_APPLICATION_DATA && a->n == 0) {
            uint8_t type;
            size_t len;

            if (!open_rec(from, s, 0, d + off, rl, &type, a->msgs, &len)) {
                abort();
            }
            split_msgs(a->msgs, len, a->off, a->len, &a->n);
        }
        off += rl;
    }
    drop_output(from);
}

static answer server_answers[2], client_answers[2];

/* What a real latch server sends a deterministic client (opts: client auth or not). */
static const answer *server_answer(unsigned opts)
{
    answer *a = &server_answers[opts & OPT_CLIENT_AUTH];
    latch_config *cc, *sc;
    latch_conn *c, *s;

    if (a->ready) {
        return a;
    }
    cc = det_config(false, opts);
    sc = config(true, opts | OPT_ED25519);
    c = det_conn(cc, false);
    if (latch_conn_new_server(sc, &s) != LATCH_OK || tpump(c, s) != LATCH_OK) {
        abort();
    }
    take_apart(a, s, &K.s_hs);
    a->ready = true;
    latch_conn_free(c);
    latch_conn_free(s);
    latch_config_free(cc);
    latch_config_free(sc);
    return a;
}

/* What a real latch client sends a deterministic server: its ClientHello, then its second flight. */
static const answer *client_answer(unsigned opts)
{
    answer *a = &client_answers[opts & OPT_CLIENT_AUTH];
    latch_config *cc, *sc;
    latch_conn *c, *s;
    const uint8_t *d;
    size_t n;

    if (a->ready) {
        return a;
    }
    sc = det_config(true, opts);
    cc = config(false, opts);
    s = det_conn(sc, true);
    if (latch_conn_new_client(cc, "localhost", &c) != LATCH_OK) {
        abort();
    }
    LATCH_IGNORE(latch_conn_output(c, &d, &n));
    memcpy(a->first, d, n);
    a->first_len = n;
    if (tpump(c, s) != LATCH_OK || tpump(s, c) != LATCH_OK) {
        abort();
    }
    take_apart(a, c, &K.c_hs);
    a->ready = true;
    latch_conn_free(c);
    latch_conn_free(s);
    latch_config_free(cc);
    latch_config_free(sc);
    return a;
}

/* A client under test, and the server's answer to replay at it. */
typedef struct cflight {
    pair p;
    uint8_t ch[4096]; /* the client's ClientHello record */
    size_t ch_len;
    uint8_t sh[4096];
    size_t sh_len;
    uint8_t msgs[16384];
    size_t off[8], len[8], n;
    sealer w;
} cflight;

static void cflight_start(cflight *f, unsigned opts)
{
    const answer *a = server_answer(opts);

    memset(f, 0, sizeof *f);
    memset(&K, 0, sizeof K);
    memcpy(f->sh, a->first, a->first_len);
    f->sh_len = a->first_len;
    memcpy(f->msgs, a->msgs, sizeof f->msgs);
    memcpy(f->off, a->off, sizeof f->off);
    memcpy(f->len, a->len, sizeof f->len);
    f->n = a->n;
    f->p.cc = det_config(false, opts);
    f->p.c = det_conn(f->p.cc, false);
    {
        const uint8_t *d;
        size_t n;

        LATCH_IGNORE(latch_conn_output(f->p.c, &d, &n));
        if (n > sizeof f->ch) {
            abort();
        }
        memcpy(f->ch, d, n);
        f->ch_len = n;
    }
    drop_output(f->p.c);
}

/* Feed the ServerHello and then the first k encrypted messages, one per record. */
static latch_err cflight_to(cflight *f, size_t k)
{
    latch_err e = feed(f->p.c, f->sh, f->sh_len);

    if (e != LATCH_OK) {
        return e;
    }
    sealer_set(&f->w, f->p.c, &K.s_hs);
    for (size_t i = 0; i < k && e == LATCH_OK; i++) {
        e = send_sealed(f->p.c, &f->w, LATCH_CT_HANDSHAKE, f->msgs + f->off[i], f->len[i]);
    }
    drop_output(f->p.c);
    return e;
}

/* The client connected; the sealer now writes as the server with its application secret. */
static void cflight_connect(cflight *f)
{
    if (cflight_to(f, f->n) != LATCH_OK || !(latch_conn_state(f->p.c) & LATCH_STATE_HANDSHAKE_DONE)) {
        abort();
    }
    sealer_set(&f->w, f->p.c, &K.s_ap);
}

static void cflight_free(cflight *f)
{
    latch_rec_dir_clear(&f->w.d);
    pair_free(&f->p);
}

/* A server under test that has answered the recorded ClientHello, and the client's second flight to replay. */
typedef struct sflight {
    pair p;
    uint8_t msgs[16384];
    size_t off[8], len[8], n;
    sealer w;
} sflight;

static void sflight_start(sflight *f, unsigned opts)
{
    const answer *a = client_answer(opts);

    memset(f, 0, sizeof *f);
    memset(&K, 0, sizeof K);
    memcpy(f->msgs, a->msgs, sizeof f->msgs);
    memcpy(f->off, a->off, sizeof f->off);
    memcpy(f->len, a->len, sizeof f->len);
    f->n = a->n;
    f->p.sc = det_config(true, opts);
    f->p.s = det_conn(f->p.sc, true);
    if (feed(f->p.s, a->first, a->first_len) != LATCH_OK) {
        abort();
    }
    drop_output(f->p.s);
    sealer_set(&f->w, f->p.s, &K.c_hs);
}

static latch_err sflight_to(sflight *f, size_t k)
{
    latch_err e = LATCH_OK;

    for (size_t i = 0; i < k && e == LATCH_OK; i++) {
        e = send_sealed(f->p.s, &f->w, LATCH_CT_HANDSHAKE, f->msgs + f->off[i], f->len[i]);
    }
    drop_output(f->p.s);
    return e;
}

static void sflight_connect(sflight *f)
{
    if (sflight_to(f, f->n) != LATCH_OK || !(latch_conn_state(f->p.s) & LATCH_STATE_HANDSHAKE_DONE)) {
        abort();
    }
    sealer_set(&f->w, f->p.s, &K.c_ap);
}

static void sflight_free(sflight *f)
{
    latch_rec_dir_clear(&f->w.d);
    pair_free(&f->p);
}

/* ---- Each unexpected message in each state ------------------------------------------------------------- */

static const uint8_t all_types[] = {
    LATCH_HS_HELLO_REQUEST,       LATCH_HS_CLIENT_HELLO,       LATCH_HS_SERVER_HELLO,
    LATCH_HS_NEW_SESSION_TICKET,  LATCH_HS_END_OF_EARLY_DATA,  LATCH_HS_ENCRYPTED_EXTENSIONS,
    LATCH_HS_CERTIFICATE,         LATCH_HS_SERVER_KEY_EXCHANGE, LATCH_HS_CERTIFICATE_REQUEST,
    LATCH_HS_SERVER_HELLO_DONE,   LATCH_HS_CERTIFICATE_VERIFY, LATCH_HS_CLIENT_KEY_EXCHANGE,
    LATCH_HS_FINISHED,            LATCH_HS_CERTIFICATE_STATUS, LATCH_HS_KEY_UPDATE,
    LATCH_HS_MESSAGE_HASH,        99,
};

static bool in_list(uint8_t t, const uint8_t *ok, size_t n)
{
    return memchr(ok, t, n) != NULL;
}

/* A client stopped after k of the server's encrypted messages (k < 0: before
 * the ServerHello), sent a message it does not expect there. */
static void client_state_catalogue(unsigned opts, int k, const uint8_t *expected, size_t n_expected)
{
    for (size_t i = 0; i < sizeof all_types; i++) {
        uint8_t t = all_types[i], msg[8];
        size_t len = hs_msg(msg, t, (const uint8_t *)"\0", 1);
        cflight f;
        latch_err e;

        if (in_list(t, expected, n_expected)) {
            continue;
        }
        cflight_start(&f, opts);
        if (k < 0) {
            e = send_clear(f.p.c, LATCH_CT_HANDSHAKE, msg, len);
        } else if ((size_t)k >= f.n) {
            cflight_connect(&f);
            e = send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, msg, len);
        } else {
            REQUIRE_OK(cflight_to(&f, (size_t)k));
            e = send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, msg, len);
        }
        if (e != LATCH_ERR_UNEXPECTED_MESSAGE) {
            latch_test_fail(__FILE__, __LINE__, "client state %d, message type %u: %s", k, t, latch_err_name(e));
        }
        CHECK_FAILED(f.p.c, LATCH_ERR_UNEXPECTED_MESSAGE, LATCH_ALERT_UNEXPECTED_MESSAGE);
        cflight_free(&f);
    }
}

static void test_client_unexpected_messages(void)
{
    static const uint8_t sh[] = {LATCH_HS_SERVER_HELLO}, ee[] = {LATCH_HS_ENCRYPTED_EXTENSIONS},
                         cert_cr[] = {LATCH_HS_CERTIFICATE, LATCH_HS_CERTIFICATE_REQUEST},
                         cert[] = {LATCH_HS_CERTIFICATE}, cv[] = {LATCH_HS_CERTIFICATE_VERIFY},
                         fin[] = {LATCH_HS_FINISHED},
                         connected[] = {LATCH_HS_NEW_SESSION_TICKET, LATCH_HS_KEY_UPDATE};

    client_state_catalogue(0, -1, sh, sizeof sh);                            /* WAIT_SH */
    client_state_catalogue(0, 0, ee, sizeof ee);                             /* WAIT_EE */
    client_state_catalogue(0, 1, cert_cr, sizeof cert_cr);                   /* WAIT_CERT_CR */
    client_state_catalogue(OPT_CLIENT_AUTH, 2, cert, sizeof cert);           /* WAIT_CERT (after CR) */
    client_state_catalogue(0, 2, cv, sizeof cv);                             /* WAIT_CV */
    client_state_catalogue(0, 3, fin, sizeof fin);                           /* WAIT_FINISHED */
    client_state_catalogue(0, 99, connected, sizeof connected);              /* CONNECTED */
}

/* A server stopped after k of the client's encrypted messages (k < 0: before
 * the ClientHello; opts OPT_HRR with k == -2: after its HelloRetryRequest). */
static void server_state_catalogue(unsigned opts, int k, const uint8_t *expected, size_t n_expected)
{
    for (size_t i = 0; i < sizeof all_types; i++) {
        uint8_t t = all_types[i], msg[8];
        size_t len = hs_msg(msg, t, (const uint8_t *)"\0", 1);
        latch_err e;

        if (in_list(t, expected, n_expected)) {
            continue;
        }
        if (k < 0) {
            pair p;

            pair_new(&p, opts);
            if (k == -2) {
                REQUIRE_OK(tpump(p.c, p.s)); /* ClientHello without a share: HelloRetryRequest */
                REQUIRE(latch_conn_hrr(p.s));
                drop_output(p.s);
            }
            e = send_clear(p.s, LATCH_CT_HANDSHAKE, msg, len);
            if (e != LATCH_ERR_UNEXPECTED_MESSAGE) {
                latch_test_fail(__FILE__, __LINE__, "server state %d, type %u: %s", k, t, latch_err_name(e));
            }
            CHECK_FAILED(p.s, LATCH_ERR_UNEXPECTED_MESSAGE, LATCH_ALERT_UNEXPECTED_MESSAGE);
            pair_free(&p);
        } else {
            sflight f;

            sflight_start(&f, opts);
            if ((size_t)k >= f.n) {
                sflight_connect(&f);
            } else {
                REQUIRE_OK(sflight_to(&f, (size_t)k));
            }
            e = send_sealed(f.p.s, &f.w, LATCH_CT_HANDSHAKE, msg, len);
            if (e != LATCH_ERR_UNEXPECTED_MESSAGE) {
                latch_test_fail(__FILE__, __LINE__, "server state %d, type %u: %s", k, t, latch_err_name(e));
            }
            CHECK_FAILED(f.p.s, LATCH_ERR_UNEXPECTED_MESSAGE, LATCH_ALERT_UNEXPECTED_MESSAGE);
            sflight_free(&f);
        }
    }
}

static void test_server_unexpected_messages(void)
{
    static const uint8_t ch[] = {LATCH_HS_CLIENT_HELLO}, cert[] = {LATCH_HS_CERTIFICATE},
                         cv[] = {LATCH_HS_CERTIFICATE_VERIFY}, fin[] = {LATCH_HS_FINISHED},
                         connected[] = {LATCH_HS_KEY_UPDATE};

    server_state_catalogue(0, -1, ch, sizeof ch);                  /* START */
    server_state_catalogue(OPT_HRR, -2, ch, sizeof ch);            /* WAIT_CH2 */
    server_state_catalogue(OPT_CLIENT_AUTH, 0, cert, sizeof cert); /* WAIT_CERT */
    server_state_catalogue(OPT_CLIENT_AUTH, 1, cv, sizeof cv);     /* WAIT_CV */
    server_state_catalogue(0, 0, fin, sizeof fin);                 /* WAIT_FINISHED */
    server_state_catalogue(0, 99, connected, sizeof connected);    /* CONNECTED */
}

/* The replayed flights themselves complete the handshake (the catalogue's baseline). */
static void test_replayed_flights_connect(void)
{
    cflight f;
    sflight g;

    cflight_start(&f, 0);
    CHECK_EQ(f.n, 4); /* EE, Certificate, CertificateVerify, Finished */
    cflight_connect(&f);
    CHECK(latch_conn_state(f.p.c) & LATCH_STATE_HANDSHAKE_DONE);
    cflight_free(&f);
    cflight_start(&f, OPT_CLIENT_AUTH);
    CHECK_EQ(f.n, 5); /* with CertificateRequest */
    cflight_connect(&f);
    CHECK(latch_conn_state(f.p.c) & LATCH_STATE_HANDSHAKE_DONE);
    cflight_free(&f);
    sflight_start(&g, OPT_CLIENT_AUTH);
    CHECK_EQ(g.n, 3); /* Certificate, CertificateVerify, Finished */
    sflight_connect(&g);
    CHECK(latch_conn_state(g.p.s) & LATCH_STATE_HANDSHAKE_DONE);
    sflight_free(&g);
}

/* ---- Records over the size limits ------------------------------------------------------------------------- */

static void test_record_overflow(void)
{
    static uint8_t rec[LATCH_REC_BUF_MAX + 64], inner[LATCH_REC_MAX_INNER13 + 2];
    uint8_t hdr[8] = {LATCH_CT_HANDSHAKE, 3, 3, (uint8_t)(16385 >> 8), (uint8_t)16385, 1, 0, 0};
    cflight f;
    pair p;

    /* Plaintext over 2^14 (RFC 8446 §5.1): refused on the header, before the body arrives. */
    pair_new(&p, 0);
    CHECK_ERR(feed(p.s, hdr, sizeof hdr), LATCH_ERR_RECORD_OVERFLOW);
    CHECK_FAILED(p.s, LATCH_ERR_RECORD_OVERFLOW, LATCH_ALERT_RECORD_OVERFLOW);
    CHECK_ERR(feed(p.c, hdr, sizeof hdr), LATCH_ERR_RECORD_OVERFLOW);
    CHECK_FAILED(p.c, LATCH_ERR_RECORD_OVERFLOW, LATCH_ALERT_RECORD_OVERFLOW);
    pair_free(&p);

    /* Exactly 2^14 in the clear is fine (a ClientHello cut short waits for more). */
    pair_new(&p, 0);
    hdr[3] = 0x40;
    hdr[4] = 0;
    CHECK_OK(feed(p.s, hdr, sizeof hdr));
    CHECK_EQ(latch_conn_error(p.s)->code, LATCH_OK);
    pair_free(&p);

    /* Protected over 2^14 + 256 (§5.2): refused on the header. */
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 0));
    hdr[0] = LATCH_CT_APPLICATION_DATA;
    hdr[3] = (uint8_t)((16384 + 257) >> 8);
    hdr[4] = (uint8_t)(16384 + 257);
    CHECK_ERR(feed(f.p.c, hdr, sizeof hdr), LATCH_ERR_RECORD_OVERFLOW);
    CHECK_FAILED(f.p.c, LATCH_ERR_RECORD_OVERFLOW, LATCH_ALERT_RECORD_OVERFLOW);
    cflight_free(&f);

    /* A TLSInnerPlaintext of 2^14 + 2 bytes (§5.4), inside the protected size limit. */
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 0));
    memset(inner, 0, sizeof inner);
    inner[0] = LATCH_CT_HANDSHAKE;
    CHECK_ERR(feed(f.p.c, rec, rec_inner(&f.w, rec, inner, LATCH_REC_MAX_INNER13 + 1)), LATCH_ERR_RECORD_OVERFLOW);
    CHECK_FAILED(f.p.c, LATCH_ERR_RECORD_OVERFLOW, LATCH_ALERT_RECORD_OVERFLOW);
    cflight_free(&f);

    /* After the handshake: 2^14 + 1 bytes of application data. */
    cflight_start(&f, 0);
    cflight_connect(&f);
    memset(inner, 'x', sizeof inner);
    inner[16385] = LATCH_CT_APPLICATION_DATA;
    CHECK_ERR(feed(f.p.c, rec, rec_inner(&f.w, rec, inner, 16386)), LATCH_ERR_RECORD_OVERFLOW);
    CHECK_FAILED(f.p.c, LATCH_ERR_RECORD_OVERFLOW, LATCH_ALERT_RECORD_OVERFLOW);
    cflight_free(&f);

    /* The largest legal record: 2^14 bytes of content and one byte of padding. */
    cflight_start(&f, 0);
    cflight_connect(&f);
    memset(inner, 'y', 16384);
    inner[16384] = LATCH_CT_APPLICATION_DATA;
    inner[16385] = 0;
    CHECK_OK(feed(f.p.c, rec, rec_inner(&f.w, rec, inner, LATCH_REC_MAX_INNER13 + 1 - 1)));
    CHECK_EQ(latch_conn_error(f.p.c)->code, LATCH_OK);
    cflight_free(&f);
}

/* ---- Alerts in the middle of the handshake ------------------------------------------------------------------ */

static void test_alerts_mid_handshake(void)
{
    static const uint8_t fatal[2] = {LATCH_ALERT_LEVEL_FATAL, LATCH_ALERT_HANDSHAKE_FAILURE},
                         warn_cert[2] = {LATCH_ALERT_LEVEL_WARNING, LATCH_ALERT_BAD_CERTIFICATE},
                         canceled[2] = {LATCH_ALERT_LEVEL_WARNING, LATCH_ALERT_USER_CANCELED},
                         close_notify[2] = {LATCH_ALERT_LEVEL_WARNING, LATCH_ALERT_CLOSE_NOTIFY},
                         bad_level[2] = {3, LATCH_ALERT_HANDSHAKE_FAILURE}, three[3] = {2, 40, 0};
    cflight f;
    sflight g;
    pair p;

    /* A fatal alert in the clear before the ServerHello: recorded, never answered. */
    pair_new(&p, 0);
    drop_output(p.c);
    CHECK_ERR(send_clear(p.c, LATCH_CT_ALERT, fatal, 2), LATCH_ERR_PEER_ALERT);
    CHECK_EQ(latch_conn_error(p.c)->alert, LATCH_ALERT_HANDSHAKE_FAILURE);
    CHECK_FAILED(p.c, LATCH_ERR_PEER_ALERT, -1);
    CHECK_ERR(send_clear(p.s, LATCH_CT_ALERT, fatal, 2), LATCH_ERR_PEER_ALERT);
    CHECK_FAILED(p.s, LATCH_ERR_PEER_ALERT, -1);
    pair_free(&p);

    /* Encrypted, after the ServerHello; and in the clear at that point (a server that failed before its keys). */
    for (int clear = 0; clear < 2; clear++) {
        cflight_start(&f, 0);
        REQUIRE_OK(cflight_to(&f, 1));
        CHECK_ERR(clear ? send_clear(f.p.c, LATCH_CT_ALERT, fatal, 2)
                        : send_sealed(f.p.c, &f.w, LATCH_CT_ALERT, fatal, 2),
                  clear ? LATCH_ERR_UNEXPECTED_RECORD : LATCH_ERR_PEER_ALERT);
        if (clear) {
            /* Only the first protected record may be a clear alert; one message was already protected. */
            CHECK_FAILED(f.p.c, LATCH_ERR_UNEXPECTED_RECORD, LATCH_ALERT_UNEXPECTED_MESSAGE);
        } else {
            CHECK_FAILED(f.p.c, LATCH_ERR_PEER_ALERT, -1);
        }
        cflight_free(&f);
    }
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 0));
    CHECK_ERR(send_clear(f.p.c, LATCH_CT_ALERT, fatal, 2), LATCH_ERR_PEER_ALERT);
    CHECK_EQ(latch_conn_error(f.p.c)->alert, LATCH_ALERT_HANDSHAKE_FAILURE);
    cflight_free(&f);

    /* RFC 8446 §6: a warning other than close_notify or user_canceled is an error in TLS 1.3. */
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 2));
    CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_ALERT, warn_cert, 2), LATCH_ERR_PEER_ALERT);
    CHECK_EQ(latch_conn_error(f.p.c)->alert, LATCH_ALERT_BAD_CERTIFICATE);
    CHECK_FAILED(f.p.c, LATCH_ERR_PEER_ALERT, -1);
    cflight_free(&f);

    /* user_canceled is a warning; the close_notify that follows ends the connection, not in error. */
    sflight_start(&g, 0);
    CHECK_OK(send_sealed(g.p.s, &g.w, LATCH_CT_ALERT, canceled, 2));
    CHECK_EQ(latch_conn_error(g.p.s)->code, LATCH_OK);
    CHECK_ERR(send_sealed(g.p.s, &g.w, LATCH_CT_ALERT, close_notify, 2), LATCH_ERR_CLOSE_NOTIFY);
    CHECK_EQ(latch_conn_error(g.p.s)->code, LATCH_OK);
    CHECK((latch_conn_state(g.p.s) & (LATCH_STATE_CLOSED | LATCH_STATE_FAILED | LATCH_STATE_HANDSHAKE_DONE)) ==
          LATCH_STATE_CLOSED);
    sflight_free(&g);

    /* Malformed alert records: an unknown level, an empty record (§5.4), three bytes (§5.1). */
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 0));
    CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_ALERT, bad_level, 2), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_FAILED(f.p.c, LATCH_ERR_ILLEGAL_PARAMETER, LATCH_ALERT_ILLEGAL_PARAMETER);
    cflight_free(&f);
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 0));
    CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_ALERT, NULL, 0), LATCH_ERR_RECORD_EMPTY);
    CHECK_FAILED(f.p.c, LATCH_ERR_RECORD_EMPTY, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);
    pair_new(&p, 0);
    CHECK_ERR(send_clear(p.s, LATCH_CT_ALERT, NULL, 0), LATCH_ERR_RECORD_EMPTY);
    CHECK_FAILED(p.s, LATCH_ERR_RECORD_EMPTY, LATCH_ALERT_UNEXPECTED_MESSAGE);
    CHECK_ERR(send_clear(p.c, LATCH_CT_ALERT, three, 3), LATCH_ERR_DECODE);
    CHECK_FAILED(p.c, LATCH_ERR_DECODE, LATCH_ALERT_DECODE_ERROR);
    pair_free(&p);

    /* The server, waiting for the client's Finished, gets a fatal alert. */
    sflight_start(&g, 0);
    CHECK_ERR(send_sealed(g.p.s, &g.w, LATCH_CT_ALERT, fatal, 2), LATCH_ERR_PEER_ALERT);
    CHECK_FAILED(g.p.s, LATCH_ERR_PEER_ALERT, -1);
    sflight_free(&g);
}

/* ---- ChangeCipherSpec at the wrong time ---------------------------------------------------------------------- */

static void test_ccs(void)
{
    static const uint8_t one = 1, two = 2, ones[2] = {1, 1};
    uint8_t half[512];
    cflight f;
    sflight g;
    pair p;

    /* Before the ClientHello (RFC 8446 §5: only after the first ClientHello). */
    pair_new(&p, 0);
    CHECK_ERR(send_clear(p.s, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1), LATCH_ERR_UNEXPECTED_RECORD);
    CHECK_FAILED(p.s, LATCH_ERR_UNEXPECTED_RECORD, LATCH_ALERT_UNEXPECTED_MESSAGE);
    pair_free(&p);

    /* In the handshake, the single byte 0x01 is dropped; anything else is refused. */
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 1));
    CHECK_OK(send_clear(f.p.c, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1));
    CHECK_OK(send_clear(f.p.c, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1));
    for (size_t i = 1; i < f.n; i++) {
        CHECK_OK(send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, f.msgs + f.off[i], f.len[i]));
    }
    CHECK(latch_conn_state(f.p.c) & LATCH_STATE_HANDSHAKE_DONE);
    cflight_free(&f);
    for (int bad = 0; bad < 3; bad++) {
        cflight_start(&f, 0);
        REQUIRE_OK(cflight_to(&f, 1));
        CHECK_ERR(send_clear(f.p.c, LATCH_CT_CHANGE_CIPHER_SPEC, bad == 0 ? &two : ones, bad == 2 ? 0 : bad == 1 ? 2 : 1),
                  LATCH_ERR_UNEXPECTED_RECORD);
        CHECK_FAILED(f.p.c, LATCH_ERR_UNEXPECTED_RECORD, LATCH_ALERT_UNEXPECTED_MESSAGE);
        cflight_free(&f);
    }

    /* Protected (inner type 20): unexpected_message (§5). */
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 1));
    CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1), LATCH_ERR_UNEXPECTED_RECORD);
    CHECK_FAILED(f.p.c, LATCH_ERR_UNEXPECTED_RECORD, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);

    /* In the middle of a handshake message. */
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 1));
    memcpy(half, f.msgs + f.off[1], 100);
    CHECK_OK(send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, half, 100));
    CHECK_ERR(send_clear(f.p.c, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1), LATCH_ERR_UNEXPECTED_RECORD);
    CHECK_FAILED(f.p.c, LATCH_ERR_UNEXPECTED_RECORD, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);

    /* After the handshake, on either side. */
    cflight_start(&f, 0);
    cflight_connect(&f);
    CHECK_ERR(send_clear(f.p.c, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1), LATCH_ERR_UNEXPECTED_RECORD);
    CHECK_FAILED(f.p.c, LATCH_ERR_UNEXPECTED_RECORD, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);
    sflight_start(&g, 0);
    sflight_connect(&g);
    CHECK_ERR(send_clear(g.p.s, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1), LATCH_ERR_UNEXPECTED_RECORD);
    CHECK_FAILED(g.p.s, LATCH_ERR_UNEXPECTED_RECORD, LATCH_ALERT_UNEXPECTED_MESSAGE);
    sflight_free(&g);

    /* A flood of them is bounded like empty records. */
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 0));
    for (int i = 0; i < 32; i++) {
        CHECK_OK(send_clear(f.p.c, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1));
    }
    CHECK_ERR(send_clear(f.p.c, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1), LATCH_ERR_TOO_MANY_EMPTY_RECORDS);
    CHECK_FAILED(f.p.c, LATCH_ERR_TOO_MANY_EMPTY_RECORDS, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);
}

/* ---- Empty records --------------------------------------------------------------------------------------------- */

static void test_empty_records(void)
{
    static const uint8_t x = 'x', zeros[20] = {0};
    cflight f;
    pair p;
    uint8_t buf[8];
    size_t n;

    /* A flood of empty application data records: 32 in a row pass, the 33rd fails. */
    cflight_start(&f, 0);
    cflight_connect(&f);
    for (int i = 0; i < 32; i++) {
        CHECK_OK(send_sealed(f.p.c, &f.w, LATCH_CT_APPLICATION_DATA, NULL, 0));
    }
    CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_APPLICATION_DATA, NULL, 0), LATCH_ERR_TOO_MANY_EMPTY_RECORDS);
    CHECK_FAILED(f.p.c, LATCH_ERR_TOO_MANY_EMPTY_RECORDS, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);

    /* Data in between resets the run. */
    cflight_start(&f, 0);
    cflight_connect(&f);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 32; i++) {
            CHECK_OK(send_sealed(f.p.c, &f.w, LATCH_CT_APPLICATION_DATA, NULL, 0));
        }
        CHECK_OK(send_sealed(f.p.c, &f.w, LATCH_CT_APPLICATION_DATA, &x, 1));
    }
    CHECK_EQ(latch_conn_error(f.p.c)->code, LATCH_OK);
    cflight_free(&f);

    /* Zero-length application data is legal (§5.4) and delivers nothing. */
    cflight_start(&f, 0);
    cflight_connect(&f);
    {
        static uint8_t rec[64];
        size_t len = rec_sealed(&f.w, rec, LATCH_CT_APPLICATION_DATA, NULL, 0), used;

        CHECK_OK(latch_conn_feed(f.p.c, rec, len, &used));
        CHECK_EQ(used, len);
        CHECK(!(latch_conn_state(f.p.c) & LATCH_STATE_HAS_APP_DATA));
        CHECK_ERR(latch_conn_read_app(f.p.c, buf, sizeof buf, &n), LATCH_ERR_WANT_READ);
        CHECK_EQ(n, 0);
        len = rec_sealed(&f.w, rec, LATCH_CT_APPLICATION_DATA, &x, 1);
        CHECK_OK(latch_conn_feed(f.p.c, rec, len, &used));
        CHECK_OK(latch_conn_read_app(f.p.c, buf, sizeof buf, &n));
        CHECK(n == 1 && buf[0] == 'x');
    }
    /* Writing zero bytes sends nothing. */
    drop_output(f.p.c);
    {
        size_t used = 9;
        const uint8_t *d;

        CHECK_OK(latch_conn_write_app(f.p.c, &x, 0, &used));
        CHECK_EQ(used, 0);
        CHECK_OK(latch_conn_output(f.p.c, &d, &n));
        CHECK_EQ(n, 0);
    }
    cflight_free(&f);

    /* An empty handshake record, protected or not (§5.1). */
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 0));
    CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, NULL, 0), LATCH_ERR_RECORD_EMPTY);
    CHECK_FAILED(f.p.c, LATCH_ERR_RECORD_EMPTY, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);
    pair_new(&p, 0);
    CHECK_ERR(send_clear(p.s, LATCH_CT_HANDSHAKE, NULL, 0), LATCH_ERR_RECORD_EMPTY);
    CHECK_FAILED(p.s, LATCH_ERR_RECORD_EMPTY, LATCH_ALERT_UNEXPECTED_MESSAGE);
    pair_free(&p);

    /* Application data, even empty, before the handshake is done; and in the clear. */
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 2));
    CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_APPLICATION_DATA, NULL, 0), LATCH_ERR_UNEXPECTED_RECORD);
    CHECK_FAILED(f.p.c, LATCH_ERR_UNEXPECTED_RECORD, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);
    pair_new(&p, 0);
    CHECK_ERR(send_clear(p.s, LATCH_CT_APPLICATION_DATA, &x, 1), LATCH_ERR_UNEXPECTED_RECORD);
    CHECK_FAILED(p.s, LATCH_ERR_UNEXPECTED_RECORD, LATCH_ALERT_UNEXPECTED_MESSAGE);
    pair_free(&p);

    /* All padding, no content type (§5.4). */
    cflight_start(&f, 0);
    cflight_connect(&f);
    {
        static uint8_t rec[64];

        CHECK_ERR(feed(f.p.c, rec, rec_inner(&f.w, rec, zeros, sizeof zeros)), LATCH_ERR_RECORD_NO_CONTENT_TYPE);
        CHECK_FAILED(f.p.c, LATCH_ERR_RECORD_NO_CONTENT_TYPE, LATCH_ALERT_UNEXPECTED_MESSAGE);
    }
    cflight_free(&f);
}

/* ---- Interleaving and record boundaries ------------------------------------------------------------------------ */

static void test_interleaved(void)
{
    static const uint8_t data = 'd', warn[2] = {LATCH_ALERT_LEVEL_WARNING, LATCH_ALERT_USER_CANCELED};
    uint8_t nst[128];
    size_t nst_len;
    cflight f;
    sflight g;
    latch_wr w;

    /* A handshake message split over two records with an alert between them (§5.1). */
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, 1));
    CHECK_OK(send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, f.msgs + f.off[1], 10));
    CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_ALERT, warn, 2), LATCH_ERR_UNEXPECTED_RECORD);
    CHECK_FAILED(f.p.c, LATCH_ERR_UNEXPECTED_RECORD, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);

    /* After the handshake: a NewSessionTicket split by application data. */
    latch_wr_init(&w, nst, sizeof nst);
    REQUIRE_OK(latch_new_session_ticket_build(&w, 3600, 1, (const uint8_t *)"n", 1, (const uint8_t *)"ticket", 6, 0));
    REQUIRE_OK(latch_wr_finish(&w));
    nst_len = latch_wr_len(&w);
    cflight_start(&f, 0);
    cflight_connect(&f);
    CHECK_OK(send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, nst, 3));
    CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_APPLICATION_DATA, &data, 1), LATCH_ERR_UNEXPECTED_RECORD);
    CHECK_FAILED(f.p.c, LATCH_ERR_UNEXPECTED_RECORD, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);
    /* The same ticket whole, or split over two handshake records, is fine. */
    cflight_start(&f, 0);
    cflight_connect(&f);
    CHECK_OK(send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, nst, nst_len));
    CHECK_OK(send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, nst, 3));
    CHECK_OK(send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, nst + 3, nst_len - 3));
    CHECK_EQ(latch_conn_error(f.p.c)->code, LATCH_OK);
    cflight_free(&f);

    /* The server: the client's Finished split by application data. */
    sflight_start(&g, 0);
    CHECK_OK(send_sealed(g.p.s, &g.w, LATCH_CT_HANDSHAKE, g.msgs + g.off[0], 5));
    CHECK_ERR(send_sealed(g.p.s, &g.w, LATCH_CT_APPLICATION_DATA, &data, 1), LATCH_ERR_UNEXPECTED_RECORD);
    CHECK_FAILED(g.p.s, LATCH_ERR_UNEXPECTED_RECORD, LATCH_ALERT_UNEXPECTED_MESSAGE);
    sflight_free(&g);
}

static void test_key_change_boundary(void)
{
    static uint8_t rec[4096], buf[4096];
    uint8_t ku[8];
    size_t ku_len = hs_msg(ku, LATCH_HS_KEY_UPDATE, (const uint8_t *)"\0", 1), n;
    cflight f;
    sflight g;
    pair p;

    /* ServerHello and EncryptedExtensions in one plaintext record (§5.1: the
     * ServerHello changes the keys, so it must end its record). */
    cflight_start(&f, 0);
    n = f.sh_len;
    memcpy(buf, f.sh, n);
    memcpy(buf + n, f.msgs, f.len[0]);
    n += f.len[0];
    buf[3] = (uint8_t)((n - 5) >> 8);
    buf[4] = (uint8_t)(n - 5);
    CHECK_ERR(feed(f.p.c, buf, n), LATCH_ERR_NOT_ON_RECORD_BOUNDARY);
    CHECK_FAILED(f.p.c, LATCH_ERR_NOT_ON_RECORD_BOUNDARY, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);

    /* The server's Finished followed by a KeyUpdate in the same record. */
    cflight_start(&f, 0);
    REQUIRE_OK(cflight_to(&f, f.n - 1));
    memcpy(buf, f.msgs + f.off[f.n - 1], f.len[f.n - 1]);
    memcpy(buf + f.len[f.n - 1], ku, ku_len);
    CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, buf, f.len[f.n - 1] + ku_len),
              LATCH_ERR_NOT_ON_RECORD_BOUNDARY);
    CHECK_FAILED(f.p.c, LATCH_ERR_NOT_ON_RECORD_BOUNDARY, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);

    /* A KeyUpdate followed by another message in its record. */
    cflight_start(&f, 0);
    cflight_connect(&f);
    memcpy(buf, ku, ku_len);
    memcpy(buf + ku_len, ku, ku_len);
    CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, buf, 2 * ku_len), LATCH_ERR_NOT_ON_RECORD_BOUNDARY);
    CHECK_FAILED(f.p.c, LATCH_ERR_NOT_ON_RECORD_BOUNDARY, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);

    /* The ClientHello followed by more handshake data in its record. */
    pair_new(&p, 0);
    {
        const uint8_t *d;

        REQUIRE_OK(latch_conn_output(p.c, &d, &n));
        REQUIRE(n + 8 < sizeof rec);
        memcpy(rec, d, n);
        memcpy(rec + n, ku, ku_len);
        n += ku_len;
        rec[3] = (uint8_t)((n - 5) >> 8);
        rec[4] = (uint8_t)(n - 5);
        CHECK_ERR(feed(p.s, rec, n), LATCH_ERR_NOT_ON_RECORD_BOUNDARY);
        CHECK_FAILED(p.s, LATCH_ERR_NOT_ON_RECORD_BOUNDARY, LATCH_ALERT_UNEXPECTED_MESSAGE);
    }
    pair_free(&p);

    /* The client's Finished followed by a KeyUpdate in the same record. */
    sflight_start(&g, 0);
    memcpy(buf, g.msgs + g.off[0], g.len[0]);
    memcpy(buf + g.len[0], ku, ku_len);
    CHECK_ERR(send_sealed(g.p.s, &g.w, LATCH_CT_HANDSHAKE, buf, g.len[0] + ku_len), LATCH_ERR_NOT_ON_RECORD_BOUNDARY);
    CHECK_FAILED(g.p.s, LATCH_ERR_NOT_ON_RECORD_BOUNDARY, LATCH_ALERT_UNEXPECTED_MESSAGE);
    sflight_free(&g);
}

/* ---- Malformed messages at the connection --------------------------------------------------------------------- */

static int alert_of(latch_err e)
{
    latch_alert a = latch_err_alert(e);

    return a == LATCH_ALERT_NONE ? -1 : (int)a;
}

/* What the message parser says about a body: the reference for the connection. */
static latch_err parse_as(uint8_t type, const uint8_t *body, size_t n)
{
    latch_rd r = latch_rd_make(body, n);

    switch (type) {
    case LATCH_HS_CLIENT_HELLO: {
        latch_client_hello ch;

        return latch_client_hello_parse(r, &ch);
    }
    case LATCH_HS_ENCRYPTED_EXTENSIONS: {
        latch_encrypted_extensions ee;

        return latch_encrypted_extensions_parse(r, &ee);
    }
    case LATCH_HS_CERTIFICATE: {
        static latch_certificate ct;

        return latch_certificate_parse(r, true, &ct);
    }
    case LATCH_HS_CERTIFICATE_REQUEST: {
        latch_certificate_request cr;

        return latch_certificate_request_parse(r, &cr);
    }
    case LATCH_HS_CERTIFICATE_VERIFY: {
        latch_certificate_verify cv;

        return latch_certificate_verify_parse(r, &cv);
    }
    case LATCH_HS_FINISHED: {
        latch_rd vd;

        return latch_finished_parse(r, 32, &vd);
    }
    default: return LATCH_ERR_INTERNAL;
    }
}

/*
 * Truncation at every byte, zero length included (the message's length
 * adjusted to what is left): each of the server's encrypted messages at the
 * client, and the ClientHello and each of the client's encrypted messages at
 * the server. The connection must fail exactly as the message parser does,
 * with that code's alert; a cut the parser accepts must still be refused.
 */
static void test_truncated_messages(void)
{
    static uint8_t msg[16384];
    size_t cases = 0;

    for (unsigned opts = 0; opts <= OPT_CLIENT_AUTH; opts += OPT_CLIENT_AUTH) {
        const answer *a = server_answer(opts);

        for (size_t i = 0; i < a->n; i++) {
            const uint8_t *m = a->msgs + a->off[i];

            for (size_t cut = 0; cut + 4 < a->len[i]; cut++) {
                latch_err want = parse_as(m[0], m + 4, cut), got;
                cflight f;

                cflight_start(&f, opts);
                REQUIRE_OK(cflight_to(&f, i));
                got = send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, msg, hs_msg(msg, m[0], m + 4, cut));
                if (want != LATCH_OK) {
                    if (got != want) {
                        latch_test_fail(__FILE__, __LINE__, "%s cut to %zu bytes: %s, the parser says %s",
                                        latch_hs_name(m[0]), cut, latch_err_name(got), latch_err_name(want));
                    }
                    CHECK_FAILED(f.p.c, want, alert_of(want));
                } else {
                    CHECK(got != LATCH_OK);
                    CHECK_FAILED(f.p.c, got, got == LATCH_ERR_PEER_ALERT ? -1 : alert_of(got));
                }
                cflight_free(&f);
                cases++;
            }
        }
    }
    for (unsigned opts = 0; opts <= OPT_CLIENT_AUTH; opts += OPT_CLIENT_AUTH) {
        const answer *a = client_answer(opts);
        const uint8_t *ch = a->first + 5;
        size_t ch_body = a->first_len - 9;

        /* The ClientHello. */
        for (size_t cut = 0; cut < ch_body; cut++) {
            latch_err want = parse_as(LATCH_HS_CLIENT_HELLO, ch + 4, cut), got;
            latch_config *sc = det_config(true, opts);
            latch_conn *s = det_conn(sc, true);

            got = send_clear(s, LATCH_CT_HANDSHAKE, msg, hs_msg(msg, LATCH_HS_CLIENT_HELLO, ch + 4, cut));
            if (want != LATCH_OK) {
                CHECK_ERR(got, want);
            } else {
                CHECK(got != LATCH_OK); /* without its extensions: no TLS 1.3 */
            }
            CHECK_FAILED(s, got, alert_of(got));
            latch_conn_free(s);
            latch_config_free(sc);
            CHECK_EQ(live, 0);
            cases++;
        }
        /* The client's encrypted messages. */
        for (size_t i = 0; i < a->n; i++) {
            const uint8_t *m = a->msgs + a->off[i];

            for (size_t cut = 0; cut + 4 < a->len[i]; cut++) {
                latch_err want = parse_as(m[0], m + 4, cut), got;
                sflight f;

                sflight_start(&f, opts);
                REQUIRE_OK(sflight_to(&f, i));
                got = send_sealed(f.p.s, &f.w, LATCH_CT_HANDSHAKE, msg, hs_msg(msg, m[0], m + 4, cut));
                if (want != LATCH_OK) {
                    CHECK_ERR(got, want);
                    CHECK_FAILED(f.p.s, want, alert_of(want));
                } else {
                    CHECK(got != LATCH_OK);
                    CHECK_FAILED(f.p.s, got, alert_of(got));
                }
                sflight_free(&f);
                cases++;
            }
        }
    }
    CHECK(cases > 1000);
}

/* Duplicate, misplaced, unknown and unoffered extensions; unknown versions. */
static void test_bad_extensions(void)
{
    static const struct {
        uint8_t body[32];
        size_t len;
        latch_err want;
        uint8_t alert;
    } ee[] = {
        /* server_name twice (RFC 8446 §4.2) */
        {{0, 8, 0, 0, 0, 0, 0, 0, 0, 0}, 10, LATCH_ERR_DUPLICATE_EXTENSION, LATCH_ALERT_ILLEGAL_PARAMETER},
        /* key_share belongs in ServerHello, not EncryptedExtensions (§4.2) */
        {{0, 4, 0, 51, 0, 0}, 6, LATCH_ERR_ILLEGAL_PARAMETER, LATCH_ALERT_ILLEGAL_PARAMETER},
        /* an extension latch does not know: never offered, so not allowed in an answer */
        {{0, 4, 0x77, 0x77, 0, 0}, 6, LATCH_ERR_UNSUPPORTED_EXTENSION, LATCH_ALERT_UNSUPPORTED_EXTENSION},
        /* ALPN the client did not offer (§4.2: "MUST NOT" respond with unsolicited extensions) */
        {{0, 11, 0, 16, 0, 7, 0, 5, 4, 't', 'e', 's', 't'}, 13, LATCH_ERR_UNSUPPORTED_EXTENSION,
         LATCH_ALERT_UNSUPPORTED_EXTENSION},
        /* an extension block longer than the message */
        {{0, 9, 0, 0, 0, 0}, 6, LATCH_ERR_DECODE, LATCH_ALERT_DECODE_ERROR},
    };
    uint8_t msg[64];

    for (size_t i = 0; i < sizeof ee / sizeof ee[0]; i++) {
        cflight f;

        cflight_start(&f, 0);
        REQUIRE_OK(cflight_to(&f, 0));
        CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_HANDSHAKE, msg,
                              hs_msg(msg, LATCH_HS_ENCRYPTED_EXTENSIONS, ee[i].body, ee[i].len)),
                  ee[i].want);
        CHECK_FAILED(f.p.c, ee[i].want, ee[i].alert);
        cflight_free(&f);
    }
}

/* The recorded ClientHello with extra extensions appended to its block, as a record. */
static size_t ch_plus(const answer *a, const uint8_t *extra, size_t n, uint8_t *out)
{
    static uint8_t body[4096], msg[4200];
    size_t blen = a->first_len - 9, pos = 34;

    memcpy(body, a->first + 9, blen);
    pos += 1 + body[pos];                                /* legacy_session_id */
    pos += 2 + ((size_t)body[pos] << 8 | body[pos + 1]); /* cipher_suites */
    pos += 1 + body[pos];                                /* legacy_compression_methods */
    {
        size_t ext = ((size_t)body[pos] << 8 | body[pos + 1]) + n;

        body[pos] = (uint8_t)(ext >> 8);
        body[pos + 1] = (uint8_t)ext;
    }
    memcpy(body + blen, extra, n);
    return rec_clear(out, LATCH_CT_HANDSHAKE, msg, hs_msg(msg, LATCH_HS_CLIENT_HELLO, body, blen + n));
}

static void test_bad_client_hello(void)
{
    static const struct {
        uint8_t extra[16];
        size_t len;
        latch_err want;
        uint8_t alert;
    } cases[] = {
        /* an unknown extension twice: duplicates are refused whether known or not (§4.2) */
        {{0x77, 0x77, 0, 0, 0x77, 0x77, 0, 0}, 8, LATCH_ERR_DUPLICATE_EXTENSION, LATCH_ALERT_ILLEGAL_PARAMETER},
        /* a second supported_versions */
        {{0, 43, 0, 3, 2, 3, 4}, 7, LATCH_ERR_DUPLICATE_EXTENSION, LATCH_ALERT_ILLEGAL_PARAMETER},
        /* oid_filters belongs in CertificateRequest only */
        {{0, 48, 0, 0}, 4, LATCH_ERR_ILLEGAL_PARAMETER, LATCH_ALERT_ILLEGAL_PARAMETER},
        /* an extension latch does not know is ignored in a ClientHello (RFC 8446 §4.1.2) */
        {{0x12, 0x34, 0, 0}, 4, LATCH_OK, 0},
    };
    static uint8_t rec[4300];
    const answer *a = client_answer(0);

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        latch_config *sc = det_config(true, 0);
        latch_conn *s = det_conn(sc, true);

        CHECK_ERR(feed(s, rec, ch_plus(a, cases[i].extra, cases[i].len, rec)), cases[i].want);
        if (cases[i].want != LATCH_OK) {
            CHECK_FAILED(s, cases[i].want, cases[i].alert);
        }
        latch_conn_free(s);
        latch_config_free(sc);
        CHECK_EQ(live, 0);
    }
}

/* Versions nobody should speak: refused with protocol_version, or illegal_parameter when a TLS 1.3 answer lies. */
static void test_unknown_versions(void)
{
    static const uint16_t suites[] = {LATCH_TLS_AES_128_GCM_SHA256}, groups[] = {LATCH_GROUP_X25519},
                          sigalgs[] = {LATCH_SIG_ED25519}, future[] = {0x0305, 0x7F1C}, ssl3 = 0x0300;
    static const uint8_t pub[32] = {9};
    static uint8_t rec[4096], msg[4096];
    latch_client_hello_out ch;
    latch_key_share share = {LATCH_GROUP_X25519, latch_rd_make(pub, sizeof pub)};
    latch_wr w;

    for (int v = 0; v < 3; v++) {
        latch_config *sc = det_config(true, 0);
        latch_conn *s;

        /* A TLS 1.2 ClientHello is refused only by a server that does not speak 1.2. */
        if (v == 1 && latch_config_set_versions(sc, LATCH_TLS13, LATCH_TLS13) != LATCH_OK) {
            abort();
        }
        s = det_conn(sc, true);
        memset(&ch, 0, sizeof ch);
        ch.legacy_version = v == 2 ? ssl3 : LATCH_TLS12;
        ch.suites = suites;
        ch.n_suites = 1;
        ch.groups = groups;
        ch.n_groups = 1;
        ch.shares = &share;
        ch.n_shares = 1;
        ch.key_share_ext = true;
        ch.sigalgs = sigalgs;
        ch.n_sigalgs = 1;
        ch.versions = future;
        ch.n_versions = v == 0 ? 2 : 0; /* only future versions; none (TLS 1.2, to a 1.3-only server); none and SSL 3.0 */
        latch_wr_init(&w, msg, sizeof msg);
        REQUIRE_OK(latch_client_hello_build(&w, &ch));
        REQUIRE_OK(latch_wr_finish(&w));
        CHECK_ERR(feed(s, rec, rec_clear(rec, LATCH_CT_HANDSHAKE, msg, latch_wr_len(&w))), LATCH_ERR_PROTOCOL_VERSION);
        CHECK_FAILED(s, LATCH_ERR_PROTOCOL_VERSION, LATCH_ALERT_PROTOCOL_VERSION);
        latch_conn_free(s);
        latch_config_free(sc);
        CHECK_EQ(live, 0);
    }
    /* A ServerHello selecting a version the client never offered. */
    for (int v = 0; v < 2; v++) {
        latch_server_hello_out sh;
        latch_client_hello parsed;
        cflight f;

        cflight_start(&f, 0);
        REQUIRE_OK(latch_client_hello_parse(latch_rd_make(f.ch + 9, f.ch_len - 9), &parsed));
        memset(&sh, 0, sizeof sh);
        sh.legacy_version = LATCH_TLS12;
        memset(sh.random, 0x42, 32);
        sh.session_id = parsed.session_id.p;
        sh.session_id_len = parsed.session_id.len;
        sh.cipher_suite = LATCH_TLS_AES_128_GCM_SHA256;
        sh.selected_version = v == 0 ? 0x0305 : 0x7F1C;
        sh.group = LATCH_GROUP_X25519;
        sh.pub = pub;
        sh.pub_len = sizeof pub;
        sh.psk_identity = -1;
        latch_wr_init(&w, msg, sizeof msg);
        REQUIRE_OK(latch_server_hello_build(&w, &sh));
        REQUIRE_OK(latch_wr_finish(&w));
        CHECK_ERR(feed(f.p.c, rec, rec_clear(rec, LATCH_CT_HANDSHAKE, msg, latch_wr_len(&w))),
                  LATCH_ERR_ILLEGAL_PARAMETER);
        CHECK_FAILED(f.p.c, LATCH_ERR_ILLEGAL_PARAMETER, LATCH_ALERT_ILLEGAL_PARAMETER);
        cflight_free(&f);
    }
}

/* ---- Named limits ------------------------------------------------------------------------------------------------- */

/* A pair whose config on one side gets a limit before its connection is made. */
static void pair_with_limit(pair *p, unsigned opts, bool server_side, latch_limit which, size_t value)
{
    pair_new(p, opts);
    if (server_side) {
        latch_conn_free(p->s);
        latch_config_free(p->sc);
        p->sc = config(true, opts);
        if (latch_config_set_limit(p->sc, which, value) != LATCH_OK || latch_conn_new_server(p->sc, &p->s) != LATCH_OK) {
            abort();
        }
    } else {
        latch_conn_free(p->c);
        latch_config_free(p->cc);
        p->cc = config(false, opts);
        if (latch_config_set_limit(p->cc, which, value) != LATCH_OK ||
            latch_conn_new_client(p->cc, "localhost", &p->c) != LATCH_OK) {
            abort();
        }
    }
}

static void test_limit_handshake_message(void)
{
    pair p;

    /* The server's Certificate (an RSA-2048 leaf and its CA, about 1.6 KiB) exceeds a 1 KiB limit. */
    pair_with_limit(&p, OPT_RSA, false, LATCH_LIMIT_HANDSHAKE_MESSAGE, 1024);
    CHECK_ERR(handshake_until_failure(&p), LATCH_ERR_HANDSHAKE_TOO_LARGE);
    CHECK_FAILED(p.c, LATCH_ERR_HANDSHAKE_TOO_LARGE, LATCH_ALERT_HANDSHAKE_FAILURE);
    CHECK(strstr(latch_conn_error(p.c)->detail, "1024") != NULL);
    pair_free(&p);
    /* 4 KiB is enough. */
    pair_with_limit(&p, OPT_RSA, false, LATCH_LIMIT_HANDSHAKE_MESSAGE, 4096);
    CHECK_OK(handshake_until_failure(&p));
    pair_free(&p);
}

static void test_limit_chain_length(void)
{
    pair p;

    /* The server sends leaf + CA. */
    pair_with_limit(&p, 0, false, LATCH_LIMIT_CERT_CHAIN_LENGTH, 1);
    CHECK_ERR(handshake_until_failure(&p), LATCH_ERR_CERT_CHAIN_TOO_LONG);
    CHECK_FAILED(p.c, LATCH_ERR_CERT_CHAIN_TOO_LONG, LATCH_ALERT_BAD_CERTIFICATE);
    pair_free(&p);
    pair_with_limit(&p, 0, false, LATCH_LIMIT_CERT_CHAIN_LENGTH, 2);
    CHECK_OK(handshake_until_failure(&p));
    pair_free(&p);
}

static void test_limit_chain_bytes(void)
{
    pair p;

    /* The server's chain is a few hundred bytes per certificate. */
    pair_with_limit(&p, 0, false, LATCH_LIMIT_CERT_CHAIN_BYTES, 300);
    CHECK_ERR(handshake_until_failure(&p), LATCH_ERR_CERT_CHAIN_TOO_LARGE);
    CHECK_FAILED(p.c, LATCH_ERR_CERT_CHAIN_TOO_LARGE, LATCH_ALERT_BAD_CERTIFICATE);
    pair_free(&p);
    /* The server applies it to client chains too. */
    pair_with_limit(&p, OPT_CLIENT_AUTH, true, LATCH_LIMIT_CERT_CHAIN_BYTES, 300);
    CHECK_ERR(handshake_until_failure(&p), LATCH_ERR_CERT_CHAIN_TOO_LARGE);
    CHECK_FAILED(p.s, LATCH_ERR_CERT_CHAIN_TOO_LARGE, LATCH_ALERT_BAD_CERTIFICATE);
    pair_free(&p);
    /* A limit the chain fits. */
    pair_with_limit(&p, 0, false, LATCH_LIMIT_CERT_CHAIN_BYTES, 4096);
    CHECK_OK(handshake_until_failure(&p));
    pair_free(&p);
}

static void test_limit_empty_records(void)
{
    sealer w;
    pair p;

    memset(&w, 0, sizeof w);
    pair_new(&p, 0);
    latch_conn_free(p.c);
    latch_config_free(p.cc);
    p.cc = config(false, 0);
    REQUIRE_OK(latch_config_set_limit(p.cc, LATCH_LIMIT_EMPTY_RECORDS, 3));
    REQUIRE_OK(latch_conn_new_client(p.cc, "localhost", &p.c));
    REQUIRE_OK(tpair_handshake(&(tpair){p.c, p.s, LATCH_OK, LATCH_OK}));
    sealer_set(&w, p.s, &K.s_ap);
    w.d.seq = p.s->wr.seq; /* the server's NewSessionTickets came first */
    for (int i = 0; i < 3; i++) {
        CHECK_OK(send_sealed(p.c, &w, LATCH_CT_APPLICATION_DATA, NULL, 0));
    }
    CHECK_ERR(send_sealed(p.c, &w, LATCH_CT_APPLICATION_DATA, NULL, 0), LATCH_ERR_TOO_MANY_EMPTY_RECORDS);
    CHECK_FAILED(p.c, LATCH_ERR_TOO_MANY_EMPTY_RECORDS, LATCH_ALERT_UNEXPECTED_MESSAGE);
    latch_rec_dir_clear(&w.d);
    pair_free(&p);
}

/* user_canceled warnings carry nothing either: bounded the same way. */
static void test_user_canceled_flood(void)
{
    static const uint8_t canceled[2] = {LATCH_ALERT_LEVEL_WARNING, LATCH_ALERT_USER_CANCELED};
    cflight f;

    cflight_start(&f, 0);
    cflight_connect(&f);
    for (int i = 0; i < 32; i++) {
        CHECK_OK(send_sealed(f.p.c, &f.w, LATCH_CT_ALERT, canceled, 2));
    }
    CHECK_ERR(send_sealed(f.p.c, &f.w, LATCH_CT_ALERT, canceled, 2), LATCH_ERR_TOO_MANY_EMPTY_RECORDS);
    CHECK_FAILED(f.p.c, LATCH_ERR_TOO_MANY_EMPTY_RECORDS, LATCH_ALERT_UNEXPECTED_MESSAGE);
    cflight_free(&f);
}

/*
 * The fixed limits (config.h says why they are not settings): more than 64
 * extensions in one block, more than 16 key shares in a ClientHello.
 */
static void test_fixed_limits(void)
{
    static const uint16_t versions[] = {LATCH_TLS13}, suites13[] = {LATCH_TLS_AES_128_GCM_SHA256},
                          sigalgs[] = {LATCH_SIG_ED25519};
    static uint8_t extra[65 * 4], rec[8192], msg[8192];
    static const uint8_t one = 1;
    const answer *a = client_answer(0);
    latch_key_share shares[17];
    uint16_t groups[17];
    latch_client_hello_out ch;
    size_t base = 0;
    latch_wr w;

    /* The recorded ClientHello has some extensions; unknown ones fill it to 64, then 65. */
    {
        latch_client_hello parsed;

        REQUIRE_OK(latch_client_hello_parse(latch_rd_make(a->first + 9, a->first_len - 9), &parsed));
        base = parsed.exts.count;
    }
    for (size_t total = 64; total <= 65; total++) {
        latch_config *sc = det_config(true, 0);
        latch_conn *s = det_conn(sc, true);
        size_t n = total - base;

        for (size_t i = 0; i < n; i++) {
            extra[4 * i] = 0x7A;
            extra[4 * i + 1] = (uint8_t)i; /* distinct unknown code points, empty */
            extra[4 * i + 2] = extra[4 * i + 3] = 0;
        }
        if (total == 64) {
            CHECK_OK(feed(s, rec, ch_plus(a, extra, 4 * n, rec)));
            CHECK_EQ(latch_conn_error(s)->code, LATCH_OK);
        } else {
            CHECK_ERR(feed(s, rec, ch_plus(a, extra, 4 * n, rec)), LATCH_ERR_DECODE);
            CHECK_FAILED(s, LATCH_ERR_DECODE, LATCH_ALERT_DECODE_ERROR);
            CHECK(strstr(latch_conn_error(s)->detail, "more than 64 extensions") != NULL);
        }
        latch_conn_free(s);
        latch_config_free(sc);
        CHECK_EQ(live, 0);
    }

    /* 16 key shares (none usable: a HelloRetryRequest), then 17. */
    for (size_t n = 16; n <= 17; n++) {
        latch_config *sc = det_config(true, 0);
        latch_conn *s = det_conn(sc, true);

        for (size_t i = 0; i < n; i++) {
            groups[i] = (uint16_t)(0x0101 + i);
            shares[i].group = groups[i];
            shares[i].key_exchange = latch_rd_make(&one, 1);
        }
        memset(&ch, 0, sizeof ch);
        ch.legacy_version = LATCH_TLS12;
        ch.suites = suites13;
        ch.n_suites = 1;
        ch.versions = versions;
        ch.n_versions = 1;
        {
            static uint16_t all[18];

            memcpy(all, groups, n * sizeof groups[0]);
            all[n] = LATCH_GROUP_X25519; /* listed, without a share: the server asks for one */
            ch.groups = all;
            ch.n_groups = n + 1;
        }
        ch.shares = shares;
        ch.n_shares = n;
        ch.key_share_ext = true;
        ch.sigalgs = sigalgs;
        ch.n_sigalgs = 1;
        latch_wr_init(&w, msg, sizeof msg);
        REQUIRE_OK(latch_client_hello_build(&w, &ch));
        REQUIRE_OK(latch_wr_finish(&w));
        if (n == 16) {
            CHECK_OK(feed(s, rec, rec_clear(rec, LATCH_CT_HANDSHAKE, msg, latch_wr_len(&w))));
            CHECK(latch_conn_hrr(s));
        } else {
            CHECK_ERR(feed(s, rec, rec_clear(rec, LATCH_CT_HANDSHAKE, msg, latch_wr_len(&w))),
                      LATCH_ERR_ILLEGAL_PARAMETER);
            CHECK_FAILED(s, LATCH_ERR_ILLEGAL_PARAMETER, LATCH_ALERT_ILLEGAL_PARAMETER);
            CHECK(strstr(latch_conn_error(s)->detail, "more than 16") != NULL);
        }
        latch_conn_free(s);
        latch_config_free(sc);
        CHECK_EQ(live, 0);
    }
}

/* The setter's ranges. */
static void test_limit_ranges(void)
{
    latch_config *cfg = config(false, 0);
    latch_conn *c;

    CHECK_ERR(latch_config_set_limit(cfg, LATCH_LIMIT_HANDSHAKE_MESSAGE, 1023), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_config_set_limit(cfg, LATCH_LIMIT_HANDSHAKE_MESSAGE, (1u << 24) + 1), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_OK(latch_config_set_limit(cfg, LATCH_LIMIT_HANDSHAKE_MESSAGE, 1u << 24));
    CHECK_ERR(latch_config_set_limit(cfg, LATCH_LIMIT_CERT_CHAIN_LENGTH, 0), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_config_set_limit(cfg, LATCH_LIMIT_CERT_CHAIN_LENGTH, 17), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_OK(latch_config_set_limit(cfg, LATCH_LIMIT_CERT_CHAIN_LENGTH, 16));
    CHECK_ERR(latch_config_set_limit(cfg, LATCH_LIMIT_CERT_CHAIN_BYTES, 0), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_config_set_limit(cfg, LATCH_LIMIT_CERT_CHAIN_BYTES, (1u << 24) + 1), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_OK(latch_config_set_limit(cfg, LATCH_LIMIT_CERT_CHAIN_BYTES, 1));
    CHECK_ERR(latch_config_set_limit(cfg, LATCH_LIMIT_EMPTY_RECORDS, 0), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_OK(latch_config_set_limit(cfg, LATCH_LIMIT_EMPTY_RECORDS, 1));
    CHECK_ERR(latch_config_set_limit(cfg, (latch_limit)99, 1), LATCH_ERR_INVALID_ARGUMENT);
    REQUIRE_OK(latch_conn_new_client(cfg, "localhost", &c));
    CHECK_ERR(latch_config_set_limit(cfg, LATCH_LIMIT_EMPTY_RECORDS, 5), LATCH_ERR_CONFIG_FROZEN);
    latch_conn_free(c);
    latch_config_free(cfg);
    CHECK_EQ(live, 0);
}

/* ---- The sans-IO API --------------------------------------------------------------------------------------------------- */

/* Move from -> to in pieces of `step` bytes, through feed or the zero-copy input. */
static latch_err move(latch_conn *from, latch_conn *to, size_t step, bool zcopy, size_t out_step)
{
    const uint8_t *d;
    size_t n;

    for (;;) {
        latch_err e;
        size_t take, used = 0;

        LATCH_IGNORE(latch_conn_output(from, &d, &n));
        if (n == 0) {
            return LATCH_OK;
        }
        take = n < step ? n : step;
        if (zcopy) {
            uint8_t *buf;
            size_t cap;

            if ((e = latch_conn_input_buffer(to, &buf, &cap)) != LATCH_OK) {
                return e;
            }
            if (cap == 0) {
                return LATCH_ERR_INTERNAL;
            }
            take = take < cap ? take : cap;
            memcpy(buf, d, take);
            e = latch_conn_input_done(to, take);
            used = take;
        } else {
            e = latch_conn_feed(to, d, take, &used);
        }
        if (e != LATCH_OK) {
            return e;
        }
        /* Partial sends: report what was "sent" in pieces of out_step. */
        for (size_t done = 0; done < used;) {
            size_t piece = used - done < out_step ? used - done : out_step;

            latch_conn_output_done(from, piece);
            done += piece;
        }
    }
}

static latch_err handshake_in_pieces(pair *p, size_t step, bool zcopy, size_t out_step)
{
    for (int i = 0; i < 8; i++) {
        latch_err e = move(p->c, p->s, step, zcopy, out_step);

        if (e == LATCH_OK) {
            e = move(p->s, p->c, step, zcopy, out_step);
        }
        if (e != LATCH_OK) {
            return e;
        }
        if ((latch_conn_state(p->c) & latch_conn_state(p->s) & LATCH_STATE_HANDSHAKE_DONE) &&
            !(latch_conn_state(p->c) & LATCH_STATE_HAS_OUTPUT)) {
            return LATCH_OK;
        }
    }
    return LATCH_ERR_INTERNAL;
}

static void test_byte_at_a_time(void)
{
    static const uint8_t msg[] = "one byte at a time";
    pair p;

    pair_new(&p, OPT_CLIENT_AUTH);
    CHECK_OK(handshake_in_pieces(&p, 1, false, 1));
    CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
    CHECK_EQ(tpair_roundtrip(p.s, p.c, msg, sizeof msg), 0);
    pair_free(&p);
    /* HelloRetryRequest too. */
    pair_new(&p, OPT_HRR);
    CHECK_OK(handshake_in_pieces(&p, 1, false, 3));
    CHECK(latch_conn_hrr(p.c));
    pair_free(&p);
}

static void test_zero_copy_input(void)
{
    static const uint8_t msg[] = "zero copy";
    pair p;

    pair_new(&p, 0);
    CHECK_OK(handshake_in_pieces(&p, 100, true, 7));
    CHECK_EQ(tpair_roundtrip(p.c, p.s, msg, sizeof msg), 0);
    pair_free(&p);
    pair_new(&p, OPT_CLIENT_AUTH);
    CHECK_OK(handshake_in_pieces(&p, 1, true, 1000));
    pair_free(&p);
    /* input_done without a buffer, or beyond it: a usage error, not a connection failure. */
    pair_new(&p, 0);
    {
        uint8_t *buf;
        size_t cap;

        CHECK_ERR(latch_conn_input_done(p.s, 1), LATCH_ERR_INVALID_ARGUMENT);
        REQUIRE_OK(latch_conn_input_buffer(p.s, &buf, &cap));
        CHECK(cap >= LATCH_REC_HDR_LEN + LATCH_REC_MAX_PLAIN);
        CHECK_ERR(latch_conn_input_done(p.s, cap + 1), LATCH_ERR_INVALID_ARGUMENT);
        CHECK_EQ(latch_conn_error(p.s)->code, LATCH_OK);
    }
    pair_free(&p);
}

static void test_state_flags(void)
{
    static const uint8_t msg[] = "hi";
    pair p;
    uint8_t buf[8];
    size_t n;

    pair_new(&p, 0);
    CHECK_EQ(latch_conn_state(p.c), LATCH_STATE_HAS_OUTPUT | LATCH_STATE_WANT_INPUT);
    CHECK_EQ(latch_conn_state(p.s), LATCH_STATE_WANT_INPUT);
    REQUIRE_OK(tpump(p.c, p.s));
    CHECK_EQ(latch_conn_state(p.c), LATCH_STATE_WANT_INPUT);
    CHECK_EQ(latch_conn_state(p.s), LATCH_STATE_HAS_OUTPUT | LATCH_STATE_WANT_INPUT);
    REQUIRE_OK(tpump(p.s, p.c));
    CHECK_EQ(latch_conn_state(p.c), LATCH_STATE_HAS_OUTPUT | LATCH_STATE_WANT_INPUT | LATCH_STATE_CAN_WRITE |
                                        LATCH_STATE_HANDSHAKE_DONE);
    REQUIRE_OK(tpump(p.c, p.s));
    /* The server's NewSessionTicket waits to be sent. */
    CHECK_EQ(latch_conn_state(p.s), LATCH_STATE_HAS_OUTPUT | LATCH_STATE_WANT_INPUT | LATCH_STATE_CAN_WRITE |
                                        LATCH_STATE_HANDSHAKE_DONE);
    /* Application data waiting: no input wanted until it is read. */
    REQUIRE_OK(latch_conn_write_app(p.s, msg, sizeof msg, &n));
    REQUIRE_OK(tpump(p.s, p.c));
    CHECK_EQ(latch_conn_state(p.c), LATCH_STATE_HAS_APP_DATA | LATCH_STATE_CAN_WRITE | LATCH_STATE_HANDSHAKE_DONE);
    REQUIRE_OK(latch_conn_read_app(p.c, buf, sizeof buf, &n));
    CHECK_EQ(latch_conn_state(p.c), LATCH_STATE_WANT_INPUT | LATCH_STATE_CAN_WRITE | LATCH_STATE_HANDSHAKE_DONE);
    /* Closing: no more writes; the peer sees CLOSED. */
    REQUIRE_OK(latch_conn_close(p.c));
    CHECK_EQ(latch_conn_state(p.c), LATCH_STATE_HAS_OUTPUT | LATCH_STATE_WANT_INPUT | LATCH_STATE_HANDSHAKE_DONE);
    CHECK_ERR(latch_conn_write_app(p.c, msg, 1, &n), LATCH_ERR_CLOSED);
    CHECK_ERR(tpump(p.c, p.s), LATCH_ERR_CLOSE_NOTIFY);
    CHECK_EQ(latch_conn_state(p.s), LATCH_STATE_CAN_WRITE | LATCH_STATE_HANDSHAKE_DONE | LATCH_STATE_CLOSED);
    CHECK_ERR(latch_conn_read_app(p.s, buf, sizeof buf, &n), LATCH_ERR_CLOSE_NOTIFY);
    pair_free(&p);
}

/* Everything `from` writes of data[0..n), in records of at most `chunk` bytes, collected as wire bytes. */
static size_t write_all(latch_conn *from, const uint8_t *data, size_t n, size_t chunk, uint8_t *wire, size_t cap)
{
    size_t sent = 0, len = 0, used;
    const uint8_t *d;
    size_t out;

    while (sent < n) {
        size_t take = n - sent < chunk ? n - sent : chunk;
        latch_err e = latch_conn_write_app(from, data + sent, take, &used);

        if (e != LATCH_OK && e != LATCH_ERR_WANT_WRITE) {
            abort();
        }
        sent += used;
        LATCH_IGNORE(latch_conn_output(from, &d, &out));
        if (len + out > cap) {
            abort();
        }
        memcpy(wire + len, d, out);
        len += out;
        latch_conn_output_done(from, out);
    }
    return len;
}

/* read_app fills a buffer across records, and small buffers drain one record in pieces. */
static void test_read_across_records(void)
{
    static uint8_t big[40000], got[40000], wire[60000];
    pair p;
    size_t n, len, fed = 0, total = 0;
    bool crossed = false;

    for (size_t i = 0; i < sizeof big; i++) {
        big[i] = (uint8_t)(i * 7 + i / 251);
    }
    pair_new(&p, 0);
    REQUIRE_OK(handshake_in_pieces(&p, 1 << 20, false, 1 << 20));
    len = write_all(p.s, big, sizeof big, 1000, wire, sizeof wire);
    while (total < sizeof big) {
        size_t used = 0, want = total < 100 ? 13 : sizeof got - total;
        latch_err e = latch_conn_read_app(p.c, got + total, want, &n);

        if (e == LATCH_ERR_WANT_READ) {
            REQUIRE(fed < len);
            REQUIRE_OK(latch_conn_feed(p.c, wire + fed, len - fed, &used));
            fed += used;
            continue;
        }
        REQUIRE_OK(e);
        CHECK(n <= want);
        crossed = crossed || n > 1000; /* more than one record's worth in one call */
        total += n;
    }
    CHECK(crossed);
    CHECK_EQ(fed, len);
    CHECK_MEM(got, sizeof got, big, sizeof big);
    CHECK_ERR(latch_conn_read_app(p.c, got, sizeof got, &n), LATCH_ERR_WANT_READ);
    pair_free(&p);
}

/* Zero-copy reads: the same bytes as read_app, in pieces, mixed with
 * read_app, across records; consume refuses more than the view held; after
 * the peer's close_notify, CLOSE_NOTIFY. */
static void test_read_view(void)
{
    static uint8_t big[40000], got[40000], wire[60000];
    pair p;
    size_t n, len, fed = 0, total = 0, views = 0;
    const uint8_t *d = NULL;

    for (size_t i = 0; i < sizeof big; i++) {
        big[i] = (uint8_t)(i * 13 + i / 253);
    }
    pair_new(&p, 0);
    REQUIRE_OK(handshake_in_pieces(&p, 1 << 20, false, 1 << 20));
    CHECK_ERR(latch_conn_read_view(p.c, &d, &n), LATCH_ERR_WANT_READ);
    CHECK(d == NULL && n == 0);
    len = write_all(p.s, big, sizeof big, 1000, wire, sizeof wire);
    while (total < sizeof big) {
        size_t used = 0;
        latch_err e = latch_conn_read_view(p.c, &d, &n);

        if (e == LATCH_ERR_WANT_READ) {
            REQUIRE(fed < len);
            REQUIRE_OK(latch_conn_feed(p.c, wire + fed, len - fed, &used));
            fed += used;
            continue;
        }
        REQUIRE_OK(e);
        REQUIRE(d != NULL && n > 0 && n <= sizeof big - total);
        CHECK_ERR(latch_conn_read_consume(p.c, n + 1), LATCH_ERR_INVALID_ARGUMENT);
        if (views % 3 == 1) {
            /* Half through the view, half through read_app. */
            size_t half = n / 2, m = 0;

            memcpy(got + total, d, half);
            REQUIRE_OK(latch_conn_read_consume(p.c, half));
            REQUIRE_OK(latch_conn_read_app(p.c, got + total + half, n - half, &m));
            REQUIRE(m == n - half);
        } else {
            memcpy(got + total, d, n);
            REQUIRE_OK(latch_conn_read_consume(p.c, n));
        }
        total += n;
        views++;
    }
    CHECK(views > 3);
    CHECK_EQ(fed, len);
    CHECK_MEM(got, sizeof got, big, sizeof big);
    CHECK_ERR(latch_conn_read_view(p.c, &d, &n), LATCH_ERR_WANT_READ);
    CHECK_OK(latch_conn_read_consume(p.c, 0));
    CHECK_ERR(latch_conn_read_consume(p.c, 1), LATCH_ERR_INVALID_ARGUMENT);
    /* The peer closes: the view says so. */
    REQUIRE_OK(latch_conn_close(p.s));
    (void)move(p.s, p.c, 1 << 20, false, 1 << 20);
    CHECK_ERR(latch_conn_read_view(p.c, &d, &n), LATCH_ERR_CLOSE_NOTIFY);
    CHECK_ERR(latch_conn_read_view(NULL, &d, &n), LATCH_ERR_INVALID_ARGUMENT);
    pair_free(&p);
}

/* feed stops when application data waits, and takes the rest once it is read. */
static void test_feed_stops_for_app_data(void)
{
    static uint8_t big[3 * LATCH_REC_MAX_PLAIN], wire[4 * LATCH_REC_BUF_MAX], got[100];
    pair p;
    size_t n, len, used;

    pair_new(&p, 0);
    REQUIRE_OK(handshake_in_pieces(&p, 1 << 20, false, 1 << 20));
    memset(big, 'z', sizeof big);
    len = write_all(p.s, big, sizeof big, sizeof big, wire, sizeof wire);
    CHECK_OK(latch_conn_feed(p.c, wire, len, &used));
    CHECK(used < len); /* the input buffer holds one full record and part of the next */
    CHECK(latch_conn_state(p.c) & LATCH_STATE_HAS_APP_DATA);
    CHECK(!(latch_conn_state(p.c) & LATCH_STATE_WANT_INPUT));
    CHECK_OK(latch_conn_read_app(p.c, got, sizeof got, &n));
    CHECK_EQ(n, sizeof got);
    pair_free(&p);
}

/* write_app when the output is full: WANT_WRITE until it is sent. */
static void test_write_when_output_full(void)
{
    static uint8_t big[100000];
    pair p;
    size_t n, total = 0;
    const uint8_t *d;
    size_t len;

    pair_new(&p, 0);
    REQUIRE_OK(handshake_in_pieces(&p, 1 << 20, false, 1 << 20));
    CHECK_OK(latch_conn_write_app(p.c, big, sizeof big, &n));
    CHECK_EQ(n, 2 * LATCH_REC_MAX_PLAIN);
    total = n;
    CHECK(!(latch_conn_state(p.c) & LATCH_STATE_CAN_WRITE));
    CHECK_ERR(latch_conn_write_app(p.c, big, sizeof big, &n), LATCH_ERR_WANT_WRITE);
    CHECK_EQ(n, 0);
    CHECK_EQ(latch_conn_error(p.c)->code, LATCH_OK); /* not a failure */
    /* Send part of it: still full; send the rest: writable again. */
    REQUIRE_OK(latch_conn_output(p.c, &d, &len));
    latch_conn_output_done(p.c, 100);
    CHECK_ERR(latch_conn_write_app(p.c, big, sizeof big, &n), LATCH_ERR_WANT_WRITE);
    LATCH_IGNORE(tpump(p.c, p.s));
    CHECK(latch_conn_state(p.c) & LATCH_STATE_CAN_WRITE);
    CHECK_OK(latch_conn_write_app(p.c, big + total, sizeof big - total, &n));
    CHECK(n > 0);
    pair_free(&p);
}

/*
 * Backpressure: a peer sends KeyUpdate requests and never reads our answers.
 * The output stops growing (feed takes no more, WANT_INPUT is off); once the
 * output is sent, the held-back records are processed by output_done.
 */
static void test_backpressure(void)
{
    static uint8_t wire[200000];
    uint8_t ku[8];
    size_t ku_len = hs_msg(ku, LATCH_HS_KEY_UPDATE, (const uint8_t *)"\1", 1), len = 0, used, max_out = 0, fed = 0;
    bool blocked = false;
    cflight f;
    const uint8_t *d;
    size_t n;

    cflight_start(&f, 0);
    cflight_connect(&f);
    for (int i = 0; i < 3000; i++) {
        len += rec_sealed(&f.w, wire + len, LATCH_CT_HANDSHAKE, ku, ku_len);
        sealer_update(&f.w);
    }
    while (fed < len) {
        CHECK_OK(latch_conn_feed(f.p.c, wire + fed, len - fed, &used));
        fed += used;
        REQUIRE_OK(latch_conn_output(f.p.c, &d, &n));
        if (n > max_out) {
            max_out = n;
        }
        if (used == 0) {
            blocked = true;
            /* Blocked on output, not on data. */
            CHECK((latch_conn_state(f.p.c) & (LATCH_STATE_WANT_INPUT | LATCH_STATE_HAS_OUTPUT)) ==
                  LATCH_STATE_HAS_OUTPUT);
            latch_conn_output_done(f.p.c, n);
        }
    }
    /* Whatever is still held back is processed as the output drains. */
    for (int i = 0; i < 100; i++) {
        REQUIRE_OK(latch_conn_output(f.p.c, &d, &n));
        if (n == 0) {
            break;
        }
        latch_conn_output_done(f.p.c, n);
    }
    CHECK(blocked);
    CHECK(max_out <= 2 * LATCH_REC_BUF_MAX + LATCH_REC_BUF_MAX);
    CHECK_EQ(latch_conn_error(f.p.c)->code, LATCH_OK);
    CHECK(latch_conn_state(f.p.c) & LATCH_STATE_WANT_INPUT);
    /* Still in step with the peer: a record under its 3001st key opens. */
    CHECK_OK(send_sealed(f.p.c, &f.w, LATCH_CT_APPLICATION_DATA, (const uint8_t *)"ok", 2));
    CHECK_EQ(latch_conn_error(f.p.c)->code, LATCH_OK);
    cflight_free(&f);
}

/* A partial record waits; a record split anywhere completes. */
static void test_partial_records(void)
{
    static const uint8_t msg[] = "split";
    uint8_t rec[64];
    size_t len = 0, used, n;
    uint8_t buf[16];

    for (size_t cut = 1; cut == 1 || cut < len; cut++) {
        cflight g;

        cflight_start(&g, 0);
        cflight_connect(&g);
        len = rec_sealed(&g.w, rec, LATCH_CT_APPLICATION_DATA, msg, sizeof msg);
        CHECK_OK(latch_conn_feed(g.p.c, rec, cut, &used));
        CHECK_EQ(used, cut);
        CHECK(!(latch_conn_state(g.p.c) & LATCH_STATE_HAS_APP_DATA));
        CHECK_OK(latch_conn_feed(g.p.c, rec + cut, len - cut, &used));
        CHECK_OK(latch_conn_read_app(g.p.c, buf, sizeof buf, &n));
        CHECK(n == sizeof msg && memcmp(buf, msg, n) == 0);
        cflight_free(&g);
    }
}

static const latch_test cases[] = {
    TEST(test_replayed_flights_connect),
    TEST(test_client_unexpected_messages),
    TEST(test_server_unexpected_messages),
    TEST(test_record_overflow),
    TEST(test_alerts_mid_handshake),
    TEST(test_ccs),
    TEST(test_empty_records),
    TEST(test_interleaved),
    TEST(test_key_change_boundary),
    TEST(test_truncated_messages),
    TEST(test_bad_extensions),
    TEST(test_bad_client_hello),
    TEST(test_unknown_versions),
    TEST(test_limit_handshake_message),
    TEST(test_limit_chain_length),
    TEST(test_limit_chain_bytes),
    TEST(test_limit_empty_records),
    TEST(test_user_canceled_flood),
    TEST(test_limit_ranges),
    TEST(test_fixed_limits),
    TEST(test_byte_at_a_time),
    TEST(test_zero_copy_input),
    TEST(test_state_flags),
    TEST(test_read_across_records),
    TEST(test_read_view),
    TEST(test_feed_stops_for_app_data),
    TEST(test_write_when_output_full),
    TEST(test_backpressure),
    TEST(test_partial_records),
    {0},
};

LATCH_TEST_MAIN(cases)
