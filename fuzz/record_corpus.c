/*
 * Records the seed corpora: `fuzz_record_corpus <fuzz/corpus>`.
 *
 * Engine targets: for each scenario, a real latch peer (OpenSSL provider,
 * the fixed PKI) talks to the fuzz harness's engine (deterministic provider,
 * fixed clock). Every record the peer sends becomes an item (fuzz.h): its
 * content type and plaintext, decrypted with the key the harness will use,
 * and the harness's own encryption of the item must give back the peer's
 * record byte for byte, so the recorded input replays the same handshake
 * through the fuzz target. What the engine sends goes to the peer as is.
 * The tls12-* scenarios do the same in TLS 1.2 (the harness seals under the
 * key block after the peer's ChangeCipherSpec); a scenario with `resume`
 * records a full handshake, then a second connection that resumes its
 * session (a client engine's input carries the session, FZ_C_SESSION; a
 * server engine opens the ticket with its fixed ticket key). A client
 * engine's RSA key transport is not recorded: libcrypto pads the premaster
 * with its own randomness, so the ClientKeyExchange would not replay.
 *
 * Parser targets: every handshake message, extension block, extension and
 * certificate seen in those handshakes, plus a few built here (a ticket, a
 * PSK offer, records sealed with the record target's fixed keys). The TLS
 * 1.2 message parsers get the messages of latch-to-latch TLS 1.2
 * handshakes, read in the clear before each side's ChangeCipherSpec.
 *
 * File names are content hashes, so re-recording adds no duplicates.
 */
#include "fuzz.h"

#include "core/rd.h"
#include "core/wr.h"
#include "record/record.h"
#include "x509/pem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *root;

/* ---- Writing seeds -------------------------------------------------------------------------------- */

/* Returns the file's hash (its name is seed-<hash>). */
static uint64_t seed2(const char *target, const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    char path[512];
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    FILE *f;

    for (size_t i = 0; i < an; i++) {
        h = (h ^ a[i]) * UINT64_C(0x100000001b3);
    }
    for (size_t i = 0; i < bn; i++) {
        h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    }
    snprintf(path, sizeof path, "%s/%s", root, target);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        fz_fail("cannot create %s", path);
    }
    snprintf(path, sizeof path, "%s/%s/seed-%016llx", root, target, (unsigned long long)h);
    f = fopen(path, "wb");
    FZ_ASSERT(f != NULL, "cannot write %s", path);
    FZ_ASSERT(fwrite(a, 1, an, f) == an && fwrite(b, 1, bn, f) == bn && fclose(f) == 0, "writing %s", path);
    return h;
}

static uint64_t seed(const char *target, const uint8_t *p, size_t n)
{
    return seed2(target, p, n, NULL, 0);
}

static void seed_sel(const char *target, uint8_t sel, const uint8_t *p, size_t n)
{
    (void)seed2(target, &sel, 1, p, n);
}

/* ---- Seeds from handshake messages ------------------------------------------------------------------- */

static unsigned ctx_bit(unsigned ctx)
{
    unsigned i = 0;

    while ((1u << i) != ctx) {
        i++;
    }
    return i;
}

/* An extension block (the vector body) found in a message of context ctx. */
static void seed_block(latch_rd block, unsigned ctx)
{
    latch_rd r = block;

    seed_sel("exts", (uint8_t)ctx_bit(ctx), block.p, block.len);
    while (latch_rd_left(&r) >= 4) {
        uint16_t code;
        latch_rd data;

        if (latch_rd_u16(&r, &code) != LATCH_OK || latch_rd_vec(&r, 2, 0, 0xFFFF, &data) != LATCH_OK) {
            return;
        }
        switch (code) {
        case LATCH_EXT_SERVER_NAME:
            if (ctx == LATCH_CTX_CH) {
                seed("ext_server_name", data.p, data.len);
            }
            break;
        case LATCH_EXT_SUPPORTED_GROUPS: seed("ext_groups", data.p, data.len); break;
        case LATCH_EXT_SIGNATURE_ALGORITHMS:
        case LATCH_EXT_SIGNATURE_ALGORITHMS_CERT: seed("ext_sigalgs", data.p, data.len); break;
        case LATCH_EXT_SUPPORTED_VERSIONS: seed_sel("ext_versions", ctx == LATCH_CTX_CH ? 0 : 1, data.p, data.len); break;
        case LATCH_EXT_KEY_SHARE:
            seed_sel("ext_key_share", ctx == LATCH_CTX_CH ? 0 : ctx == LATCH_CTX_SH ? 1 : 2, data.p, data.len);
            break;
        case LATCH_EXT_ALPN: seed("ext_alpn", data.p, data.len); break;
        case LATCH_EXT_PSK_KEY_EXCHANGE_MODES: seed("ext_psk_modes", data.p, data.len); break;
        case LATCH_EXT_COOKIE: seed("ext_cookie", data.p, data.len); break;
        case LATCH_EXT_CERTIFICATE_AUTHORITIES: seed("ext_cas", data.p, data.len); break;
        default: break;
        }
    }
}

/* Skip n fields of the given length-prefix sizes; false if the message is shorter. */
static bool skip_vec(latch_rd *r, unsigned len_bytes)
{
    latch_rd v;

    return latch_rd_vec(r, len_bytes, 0, SIZE_MAX, &v) == LATCH_OK;
}

static void seed_exts_at(latch_rd r, unsigned ctx)
{
    latch_rd block;

    if (latch_rd_vec(&r, 2, 0, 0xFFFF, &block) == LATCH_OK) {
        seed_block(block, ctx);
    }
}

/* One handshake message (header included) a peer sent. */
static void seed_message(const uint8_t *msg, size_t n)
{
    latch_rd r = latch_rd_make(msg, n), body;
    uint8_t type;
    uint32_t len;

    if (latch_rd_u8(&r, &type) != LATCH_OK || latch_rd_u24(&r, &len) != LATCH_OK ||
        latch_rd_bytes(&r, len, &body) != LATCH_OK) {
        return;
    }
    r = body;
    switch (type) {
    case LATCH_HS_CLIENT_HELLO:
        seed("client_hello", body.p, body.len);
        if (latch_rd_skip(&r, 34) == LATCH_OK && skip_vec(&r, 1) && skip_vec(&r, 2) && skip_vec(&r, 1)) {
            seed_exts_at(r, LATCH_CTX_CH);
        }
        break;
    case LATCH_HS_SERVER_HELLO: {
        bool hrr = body.len >= 34 && memcmp(body.p + 2, latch_hrr_random, 32) == 0;

        seed("server_hello", body.p, body.len);
        if (latch_rd_skip(&r, 34) == LATCH_OK && skip_vec(&r, 1) && latch_rd_skip(&r, 3) == LATCH_OK) {
            seed_exts_at(r, hrr ? LATCH_CTX_HRR : LATCH_CTX_SH);
        }
        break;
    }
    case LATCH_HS_ENCRYPTED_EXTENSIONS:
        seed("encrypted_extensions", body.p, body.len);
        seed_exts_at(r, LATCH_CTX_EE);
        break;
    case LATCH_HS_CERTIFICATE_REQUEST:
        seed("certificate_request", body.p, body.len);
        if (skip_vec(&r, 1)) {
            seed_exts_at(r, LATCH_CTX_CR);
        }
        break;
    case LATCH_HS_CERTIFICATE: {
        latch_rd list, cert;
        uint8_t peer[70000];
        latch_wr w;

        seed_sel("certificate", 0, body.p, body.len);
        /* The certificates, for the peer target: selector, then 2-byte length + DER each. */
        latch_wr_init(&w, peer, sizeof peer);
        latch_wr_u8(&w, 0);
        if (skip_vec(&r, 1) && latch_rd_vec(&r, 3, 0, 0xFFFFFF, &list) == LATCH_OK) {
            while (latch_rd_vec(&list, 3, 1, 0xFFFFFF, &cert) == LATCH_OK) {
                latch_rd exts = list;

                latch_wr_u16(&w, (uint16_t)cert.len);
                latch_wr_bytes(&w, cert.p, cert.len);
                if (!skip_vec(&list, 2)) {
                    break;
                }
                seed_exts_at(exts, LATCH_CTX_CT);
            }
        }
        if (latch_wr_finish(&w) == LATCH_OK && latch_wr_len(&w) > 1) {
            seed("peer", peer, latch_wr_len(&w));
        }
        break;
    }
    case LATCH_HS_CERTIFICATE_VERIFY: seed("certificate_verify", body.p, body.len); break;
    case LATCH_HS_FINISHED: seed_sel("finished", body.len == 48 ? 1 : 0, body.p, body.len); break;
    case LATCH_HS_KEY_UPDATE: seed("key_update", body.p, body.len); break;
    case LATCH_HS_NEW_SESSION_TICKET:
        seed("new_session_ticket", body.p, body.len);
        if (latch_rd_skip(&r, 8) == LATCH_OK && skip_vec(&r, 1) && skip_vec(&r, 2)) {
            seed_exts_at(r, LATCH_CTX_NST);
        }
        break;
    default: break;
    }
}

/* The handshake messages of a record's plaintext (records in these traces hold whole messages). */
static void seed_messages(const uint8_t *p, size_t n)
{
    while (n >= 4) {
        size_t len = 4 + ((size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3]);

        if (len > n) {
            return;
        }
        seed_message(p, len);
        p += len;
        n -= len;
    }
}

/* ---- Engine recordings --------------------------------------------------------------------------------- */

static latch_conn *peer;
static uint8_t *trace;
static size_t trace_len, trace_cap;
static uint8_t hsbytes[1 << 18]; /* the peer's handshake plaintext, for the hsframe seeds */
static size_t hs_len;

/* Feed bytes to a connection, reading application data to make room. */
static void feed_all(latch_conn *c, const uint8_t *p, size_t n)
{
    size_t used = 0;
    latch_err e = latch_conn_feed(c, p, n, &used);

    FZ_ASSERT(e == LATCH_OK || e == LATCH_ERR_CLOSE_NOTIFY || latch_conn_error(c)->code != LATCH_OK,
              "peer feed: %s", latch_err_name(e));
    while (used < n && e == LATCH_OK) {
        uint8_t buf[4096];
        size_t got = 0, more = 0;

        while (latch_conn_read_app(c, buf, sizeof buf, &got) == LATCH_OK) {
        }
        e = latch_conn_feed(c, p + used, n - used, &more);
        used += more;
    }
}

static void to_peer(const uint8_t *p, size_t n)
{
    feed_all(peer, p, n);
}

static void add_item(uint8_t ctl, uint8_t type, const uint8_t *p, size_t n)
{
    if (trace_len + 4 + n > trace_cap) {
        trace_cap = 2 * (trace_len + 4 + n);
        trace = realloc(trace, trace_cap);
        FZ_ASSERT(trace != NULL, "out of memory");
    }
    trace[trace_len++] = ctl;
    trace[trace_len++] = type;
    trace[trace_len++] = (uint8_t)(n >> 8);
    trace[trace_len++] = (uint8_t)n;
    memcpy(trace + trace_len, p, n);
    trace_len += n;
}

/* Deliver an item to the engine and record it. */
static void item(fz_engine *e, uint8_t ctl, uint8_t type, const uint8_t *p, size_t n, const uint8_t *expect,
                 size_t expect_len)
{
    static uint8_t wire[0xFFFF + 1024];
    size_t w = fz_engine_wire(e, ctl, type, p, n, wire, sizeof wire);

    /* A record in the clear may carry another legacy_record_version (0x0301
     * for a first ClientHello); the harness always writes 0x0303, which the
     * engine treats the same (RFC 8446 §5.1: only the major version counts). */
    FZ_ASSERT(expect == NULL || (w == expect_len && w >= 5 && wire[0] == expect[0] && wire[1] == expect[1] &&
                                 (wire[2] == expect[2] || expect[0] != LATCH_CT_APPLICATION_DATA) &&
                                 memcmp(wire + 3, expect + 3, w - 3) == 0),
              "the harness does not reproduce the peer's record (type %u, %zu bytes)", type, n);
    add_item(ctl, type, p, n);
    if (type == LATCH_CT_HANDSHAKE && hs_len + n <= sizeof hsbytes) {
        memcpy(hsbytes + hs_len, p, n);
        hs_len += n;
        seed_messages(p, n);
    }
    (void)fz_engine_deliver(e, ctl, wire, w);
}

/* Move the peer's records into the engine; returns whether anything moved. */
static bool from_peer(fz_engine *e, uint8_t *next_ctl)
{
    static uint8_t plain[0xFFFF];
    const uint8_t *d;
    size_t n;
    bool moved = false;

    FZ_ASSERT(latch_conn_output(peer, &d, &n) == LATCH_OK, "peer output");
    while (n >= 5) {
        size_t rec_len = 5 + ((size_t)d[3] << 8 | d[4]);
        uint8_t rec[LATCH_REC_BUF_MAX], type, ctl = *next_ctl;
        size_t len;

        FZ_ASSERT(rec_len <= n && rec_len <= sizeof rec, "peer output holds a partial record");
        memcpy(rec, d, rec_len);
        latch_conn_output_done(peer, rec_len);
        *next_ctl = 0;
        if (rec[0] != LATCH_CT_APPLICATION_DATA && !e->peer_ccs) {
            /* In the clear: before the peer has keys (AUTO; a TLS 1.2 peer's
             * CCS too, which switches the harness to the key block) or a
             * middlebox CCS / early alert (CLEAR). */
            ctl |= e->epoch == 0 && !e->have_hs ? FZ_PROT_AUTO : FZ_PROT_CLEAR;
            item(e, ctl, rec[0], rec + 5, rec_len - 5, rec, rec_len);
        } else {
            FZ_ASSERT(fz_engine_open_peer(e, rec, rec_len, &type, plain, &len), "cannot open the peer's record");
            item(e, ctl, type, plain, len, rec, rec_len);
        }
        moved = true;
        FZ_ASSERT(latch_conn_output(peer, &d, &n) == LATCH_OK, "peer output");
    }
    return moved;
}

static void on_engine_output(const uint8_t *p, size_t n)
{
    to_peer(p, n);
}

typedef struct scenario {
    const char *name;
    bool server;      /* the engine is the server (the peer a client) */
    unsigned variant; /* the engine's config variant */
    latch_config *(*peer_cfg)(void);
    const char *script; /* after the handshake; see run_step */
    bool tls12;         /* the engine must complete a TLS 1.2 handshake */
    bool resume;        /* then a second connection resumes the first one's session (a client
                           engine offers it: variant | FZ_C_SESSION), and must resume */
} scenario;

static void nst_item(fz_engine *e, uint32_t lifetime, uint32_t early)
{
    static const uint8_t ticket[40] = {0x7A, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    static const uint8_t nonce[2] = {0, 1};
    uint8_t msg[256];
    latch_wr w;

    latch_wr_init(&w, msg, sizeof msg);
    FZ_ASSERT(latch_new_session_ticket_build(&w, lifetime, 0x12345678, nonce, sizeof nonce, ticket, sizeof ticket,
                                             early) == LATCH_OK &&
                  latch_wr_finish(&w) == LATCH_OK,
              "building a ticket");
    item(e, FZ_PROT_AUTO, LATCH_CT_HANDSHAKE, msg, latch_wr_len(&w), NULL, 0);
}

/*
 * Script steps (one when everything is quiet): w the peer writes data; x the
 * next item also makes the engine write; u the next item also makes the
 * engine request a KeyUpdate; k the peer requests a KeyUpdate; n inject a
 * NewSessionTicket (client engine), N one allowing early data; c the peer
 * closes; h inject a TLS 1.2 HelloRequest (client engine), r inject the
 * peer's ClientHello again, a renegotiation (server engine).
 */
static void run_step(fz_engine *e, char step, uint8_t *next_ctl)
{
    static const uint8_t msg[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    size_t used;

    switch (step) {
    case 'w':
        FZ_ASSERT(latch_conn_write_app(peer, msg, sizeof msg - 1, &used) == LATCH_OK, "peer write");
        break;
    case 'x': *next_ctl |= FZ_WRITE; break;
    case 'u': *next_ctl |= FZ_KEYUPD; break;
    case 'k': FZ_ASSERT(latch_conn_key_update(peer, true) == LATCH_OK, "peer key update"); break;
    case 'n': nst_item(e, 7200, 0); break;
    case 'N': nst_item(e, 604800, 16384); break;
    case 'c': FZ_ASSERT(latch_conn_close(peer) == LATCH_OK, "peer close"); break;
    case 'h': {
        static const uint8_t hello_request[4] = {LATCH_HS_HELLO_REQUEST, 0, 0, 0};

        item(e, FZ_PROT_AUTO, LATCH_CT_HANDSHAKE, hello_request, sizeof hello_request, NULL, 0);
        break;
    }
    case 'r': {
        static uint8_t ch[1 << 16];
        size_t n = hs_len >= 4 ? 4 + ((size_t)hsbytes[1] << 16 | (size_t)hsbytes[2] << 8 | hsbytes[3]) : 0;

        FZ_ASSERT(n > 4 && n <= hs_len && n <= sizeof ch && hsbytes[0] == LATCH_HS_CLIENT_HELLO,
                  "no ClientHello to send again");
        memcpy(ch, hsbytes, n);
        item(e, FZ_PROT_AUTO, LATCH_CT_HANDSHAKE, ch, n, NULL, 0);
        break;
    }
    default: fz_fail("unknown script step %c", step);
    }
}

static void must(latch_err e, const char *what)
{
    FZ_ASSERT(e == LATCH_OK, "%s: %s (%s)", what, latch_err_name(e), latch_last_error()->detail);
}

static const uint8_t *u8s(const char *s)
{
    return (const uint8_t *)s;
}

/*
 * One recorded connection of scenario s with the peer config pc: the engine
 * on config variant `variant`, offering session[0..session_len) if given
 * (the peer client offers it to a server engine; a client engine's input
 * carries it). The session to resume later lands in keep[0..*keep_len) if
 * keep is not NULL.
 */
static void record_one(const scenario *s, latch_config *pc, unsigned variant, const uint8_t *session,
                       size_t session_len, uint8_t *keep, size_t *keep_len)
{
    char target[64];
    fz_engine e;
    const char *step = s->script;
    uint8_t next_ctl = 0;

    hs_len = 0;
    trace_len = 1;
    trace[0] = (uint8_t)variant;
    fz_output_hook = on_engine_output;
    fz_engine_start(&e, s->server, variant);
    if (s->server) {
        FZ_ASSERT(latch_conn_new_client(pc, "localhost", &peer) == LATCH_OK, "peer client");
        if (session != NULL) {
            must(latch_conn_set_session(peer, session, session_len), "peer session");
        }
    } else {
        FZ_ASSERT(latch_conn_new_server(pc, &peer) == LATCH_OK, "peer server");
        if (session != NULL) {
            FZ_ASSERT(variant & FZ_C_SESSION, "a client engine's session needs FZ_C_SESSION");
            trace[trace_len++] = (uint8_t)(session_len >> 8);
            trace[trace_len++] = (uint8_t)session_len;
            memcpy(trace + trace_len, session, session_len);
            trace_len += session_len;
            fz_engine_offer(&e, session, session_len);
        }
    }
    fz_engine_drain(&e);
    for (int guard = 0; guard < 200; guard++) {
        bool moved = from_peer(&e, &next_ctl);
        unsigned es = latch_conn_state(e.c), ps = latch_conn_state(peer);

        fz_engine_drain(&e);
        if (moved) {
            continue;
        }
        if ((es & LATCH_STATE_CLOSED) || (ps & LATCH_STATE_FAILED)) {
            break;
        }
        if ((es & ps & LATCH_STATE_HANDSHAKE_DONE) && *step != '\0') {
            run_step(&e, *step++, &next_ctl);
            continue;
        }
        break;
    }
    snprintf(target, sizeof target, "%s", s->server ? "server" : "client");
    fprintf(stderr, "%-7s %-24s %5zu bytes; engine %s%s%s, peer %s%s -> %s/seed-%016llx\n",
            s->server ? "server" : "client", s->name, trace_len, latch_err_name(latch_conn_error(e.c)->code),
            (latch_conn_state(e.c) & LATCH_STATE_HANDSHAKE_DONE)
                ? (latch_conn_version(e.c) == LATCH_TLS12 ? " (connected, TLS 1.2)" : " (connected)")
                : "",
            latch_conn_resumed(e.c) ? " (resumed)" : "", latch_err_name(latch_conn_error(peer)->code),
            (latch_conn_state(peer) & LATCH_STATE_HANDSHAKE_DONE) ? " (connected)" : "", target,
            (unsigned long long)seed(target, trace, trace_len));
    if (s->tls12) {
        FZ_ASSERT((latch_conn_state(e.c) & LATCH_STATE_HANDSHAKE_DONE) && latch_conn_version(e.c) == LATCH_TLS12,
                  "%s: the engine did not complete a TLS 1.2 handshake", s->name);
        FZ_ASSERT(latch_conn_resumed(e.c) == (session != NULL), "%s: the engine %s", s->name,
                  session != NULL ? "did not resume the session" : "resumed without a session");
    }
    if (keep != NULL) {
        FZ_ASSERT(latch_conn_session(s->server ? peer : e.c, keep, *keep_len, keep_len) == LATCH_OK,
                  "%s: no session to resume", s->name);
    }
    /* The peer's handshake stream, cut into records of a few sizes, for the reassembler. */
    for (unsigned cut = 0; cut < 3 && hs_len > 0; cut++) {
        static uint8_t hf[1 << 19];
        size_t o = 0, n = 1, chunk = cut == 0 ? 255 : cut == 1 ? 7 : 100;

        hf[0] = 0;
        while (o < hs_len && n + 1 + chunk < sizeof hf) {
            size_t take = hs_len - o < chunk ? hs_len - o : chunk;

            hf[n++] = (uint8_t)take;
            memcpy(hf + n, hsbytes + o, take);
            n += take;
            o += take;
        }
        seed("hsframe", hf, n);
    }
    latch_conn_free(peer);
    peer = NULL;
    fz_engine_finish(&e);
    fz_output_hook = NULL;
}

static void record(const scenario *s)
{
    static uint8_t session[8192];
    size_t session_len = sizeof session;
    latch_config *pc = s->peer_cfg();

    record_one(s, pc, s->variant, NULL, 0, s->resume ? session : NULL, &session_len);
    if (s->resume) {
        record_one(s, pc, s->server ? s->variant : s->variant | FZ_C_SESSION, session, session_len, NULL, NULL);
    }
    latch_config_free(pc);
}

/* ---- Peer configs -------------------------------------------------------------------------------------------- */

static latch_config *base(bool server)
{
    latch_config *c;

    must(latch_config_new(&c), "config");
    must(latch_config_load_ca_mem(c, u8s(fz_ca_pem), strlen(fz_ca_pem)), "CA");
    if (server) {
        must(latch_config_add_cert_mem(c, u8s(fz_server_chain_pem), strlen(fz_server_chain_pem),
                                       u8s(fz_server_key_pem), strlen(fz_server_key_pem)),
             "server chain");
    }
    return c;
}

static latch_config *srv_plain(void) { return base(true); }
static latch_config *srv_p384(void) { latch_config *c = base(true); must(latch_config_set_groups(c, "secp384r1"), "groups"); return c; }
static latch_config *srv_p256(void) { latch_config *c = base(true); must(latch_config_set_groups(c, "secp256r1"), "groups"); return c; }
static latch_config *srv_alpn(void) { latch_config *c = base(true); must(latch_config_set_alpn(c, "http/1.1,h2"), "alpn"); return c; }
static latch_config *srv_req(void) { latch_config *c = base(true); must(latch_config_set_client_auth(c, LATCH_CLIENT_AUTH_REQUIRE), "auth"); return c; }
static latch_config *srv_opt(void) { latch_config *c = base(true); must(latch_config_set_client_auth(c, LATCH_CLIENT_AUTH_OPTIONAL), "auth"); return c; }
static latch_config *srv_chacha(void) { latch_config *c = base(true); must(latch_config_set_ciphers(c, "TLS_CHACHA20_POLY1305_SHA256"), "ciphers"); return c; }
static latch_config *srv_aes256(void) { latch_config *c = base(true); must(latch_config_set_ciphers(c, "TLS_AES_256_GCM_SHA384"), "ciphers"); return c; }

static latch_config *cli_plain(void) { return base(false); }
static latch_config *cli_noshare(void) { latch_config *c = base(false); must(latch_config_set_key_shares(c, 0), "shares"); return c; }
static latch_config *cli_alpn(void) { latch_config *c = base(false); must(latch_config_set_alpn(c, "h2"), "alpn"); return c; }
static latch_config *cli_p384(void) { latch_config *c = base(false); must(latch_config_set_groups(c, "secp384r1,x25519"), "groups"); return c; }
static latch_config *cli_chacha(void) { latch_config *c = base(false); must(latch_config_set_ciphers(c, "TLS_CHACHA20_POLY1305_SHA256"), "ciphers"); return c; }
static latch_config *cli_cert(void)
{
    latch_config *c = base(false);

    must(latch_config_add_cert_mem(c, u8s(fz_client_pem), strlen(fz_client_pem), u8s(fz_client_key_pem),
                                   strlen(fz_client_key_pem)),
         "client chain");
    return c;
}

/* TLS 1.2 peers: the fixed Ed25519 PKI, or (rsa) the RSA server chain, which a client then trusts. */
static latch_config *base12(bool server, bool rsa)
{
    latch_config *c;

    must(latch_config_new(&c), "config");
    must(latch_config_set_versions(c, LATCH_TLS12, LATCH_TLS12), "versions");
    must(latch_config_load_ca_mem(c, u8s(fz_ca_pem), strlen(fz_ca_pem)), "CA");
    if (rsa) {
        must(latch_config_enable_legacy_rsa_kx(c), "RSA key transport");
        if (!server) {
            must(latch_config_load_ca_mem(c, u8s(fz_rsa_ca_pem), strlen(fz_rsa_ca_pem)), "RSA CA");
        }
    }
    if (server && rsa) {
        must(latch_config_add_cert_mem(c, u8s(fz_rsa_chain_pem), strlen(fz_rsa_chain_pem), u8s(fz_rsa_key_pem),
                                       strlen(fz_rsa_key_pem)),
             "RSA chain");
    } else if (server) {
        must(latch_config_add_cert_mem(c, u8s(fz_server_chain_pem), strlen(fz_server_chain_pem),
                                       u8s(fz_server_key_pem), strlen(fz_server_key_pem)),
             "server chain");
    }
    return c;
}

static latch_config *with_ciphers(latch_config *c, const char *list)
{
    must(latch_config_set_ciphers(c, list), "ciphers");
    return c;
}

static latch_config *with_client_cert(latch_config *c)
{
    must(latch_config_add_cert_mem(c, u8s(fz_client_pem), strlen(fz_client_pem), u8s(fz_client_key_pem),
                                   strlen(fz_client_key_pem)),
         "client chain");
    return c;
}

static latch_config *srv12(void) { return base12(true, false); }
static latch_config *srv12_rsa(void) { return with_ciphers(base12(true, true), "ECDHE-RSA-AES256-GCM-SHA384"); }
static latch_config *srv12_chacha(void) { return with_ciphers(base12(true, false), "ECDHE-ECDSA-CHACHA20-POLY1305"); }
static latch_config *srv12_req(void) { latch_config *c = base12(true, false); must(latch_config_set_client_auth(c, LATCH_CLIENT_AUTH_REQUIRE), "auth"); return c; }
static latch_config *srv12_cache(void) { latch_config *c = base12(true, false); must(latch_config_set_session_store(c, LATCH_SESSIONS_CACHE, 16), "cache"); return c; }
static latch_config *cli12(void) { return base12(false, false); }
static latch_config *cli12_rsa(void) { return with_ciphers(base12(false, true), "ECDHE-RSA-AES128-GCM-SHA256"); }
static latch_config *cli12_rsa_kx(void) { return with_ciphers(base12(false, true), "AES128-GCM-SHA256"); }
static latch_config *cli12_rsa_kx256(void) { return with_ciphers(base12(false, true), "AES256-GCM-SHA384"); }
static latch_config *cli12_chacha(void) { return with_ciphers(base12(false, false), "ECDHE-ECDSA-CHACHA20-POLY1305"); }
static latch_config *cli12_aes256(void) { return with_ciphers(base12(false, false), "ECDHE-ECDSA-AES256-GCM-SHA384"); }
static latch_config *cli12_cert(void) { return with_client_cert(base12(false, false)); }

static const scenario scenarios[] = {
    /* The engine is a client; the peer a latch server. */
    {"basic", false, 0, srv_plain, "wxkwc", false, false},
    {"hrr", false, 0, srv_p384, "wc", false, false},
    {"oneshare-hrr", false, FZ_C_ONESHARE, srv_p256, "w", false, false},
    {"alpn", false, FZ_C_ALPN, srv_alpn, "wc", false, false},
    {"client-auth", false, FZ_C_CERT, srv_req, "wxc", false, false},
    {"client-auth-empty", false, 0, srv_opt, "wc", false, false},
    {"cert-required", false, 0, srv_req, "", false, false},
    {"tickets", false, 0, srv_plain, "wxnN", false, false}, /* injected last: the peer does not count them */
    {"keyupdate", false, 0, srv_plain, "uwkwc", false, false},
    {"chacha", false, 0, srv_chacha, "wc", false, false},
    {"aes256", false, 0, srv_aes256, "wc", false, false},
    /* The engine is a server; the peer a latch client. */
    {"basic", true, 0, cli_plain, "wxkwc", false, false},
    {"hrr", true, 0, cli_noshare, "wc", false, false},
    {"alpn", true, FZ_S_ALPN, cli_alpn, "wc", false, false},
    {"client-auth-opt", true, 1, cli_cert, "wc", false, false},
    {"client-auth-req", true, 2, cli_cert, "wxc", false, false},
    {"client-auth-empty", true, 1, cli_plain, "wc", false, false},
    {"cert-missing", true, 2, cli_plain, "", false, false},
    {"keyupdate", true, 0, cli_plain, "uwkwc", false, false},
    {"p384", true, 0, cli_p384, "wc", false, false},
    {"chacha", true, 0, cli_chacha, "wc", false, false},
    /* TLS 1.2, the engine a client; the peer a latch server (Ed25519: ECDHE_ECDSA, or the RSA chain). */
    {"tls12-ecdhe-ed25519", false, FZ_V_TLS12, srv12, "wxwc", true, false},
    {"tls12-fallback", false, 0, srv12, "wc", true, false}, /* the engine offers 1.3 too */
    {"tls12-ecdhe-rsa", false, FZ_V_TLS12 | FZ_V_RSA, srv12_rsa, "wxc", true, false},
    {"tls12-chacha", false, FZ_V_TLS12, srv12_chacha, "wc", true, false},
    {"tls12-client-auth", false, FZ_V_TLS12 | FZ_C_CERT, srv12_req, "wxc", true, false},
    {"tls12-hello-request", false, FZ_V_TLS12, srv12, "wxh", true, false},
    {"tls12-ticket", false, FZ_V_TLS12, srv12, "wc", true, true},
    {"tls12-session-id", false, FZ_V_TLS12, srv12_cache, "wc", true, true},
    /* TLS 1.2, the engine a server (Ed25519 chain; with FZ_V_RSA also the RSA one); the peer a latch client. */
    {"tls12-ecdhe-ed25519", true, FZ_V_TLS12, cli12, "wxwc", true, false},
    {"tls12-negotiated", true, FZ_V_TLS12, cli_plain, "wc", true, false}, /* the peer offers 1.3 too */
    {"tls12-ecdhe-rsa", true, FZ_V_TLS12 | FZ_V_RSA, cli12_rsa, "wxc", true, false},
    {"tls12-rsa-kx", true, FZ_V_TLS12 | FZ_V_RSA, cli12_rsa_kx, "wxc", true, false},
    {"tls12-rsa-kx-aes256", true, FZ_V_TLS12 | FZ_V_RSA, cli12_rsa_kx256, "wc", true, false},
    {"tls12-chacha", true, FZ_V_TLS12, cli12_chacha, "wc", true, false},
    {"tls12-aes256", true, FZ_V_TLS12, cli12_aes256, "wc", true, false},
    {"tls12-client-auth-req", true, FZ_V_TLS12 | 2, cli12_cert, "wxc", true, false},
    {"tls12-client-auth-empty", true, FZ_V_TLS12 | 1, cli12, "wc", true, false},
    {"tls12-renegotiation", true, FZ_V_TLS12, cli12, "wr", true, false},
    {"tls12-ticket", true, FZ_V_TLS12, cli12, "wc", true, true},
};

/* ---- TLS 1.2 recordings ------------------------------------------------------------------------------------ */

/*
 * A TLS 1.2 handshake is in the clear up to each side's ChangeCipherSpec
 * (the server's NewSessionTicket comes just before its CCS), so a
 * latch-to-latch handshake in memory shows every TLS 1.2 message the
 * parser targets take. Both sides use the OpenSSL provider and
 * certificates minted here (these seeds need not replay anything).
 */

/* What one side sent in the clear: its handshake stream up to its CCS. */
typedef struct stream12 {
    uint8_t hs[1 << 17];
    size_t len;
    bool ccs;
} stream12;

static struct {
    char ca[8192], ca_key[8192];
    char ecdsa[8192], ecdsa_key[8192]; /* P-256, "localhost", serverAuth and clientAuth */
    char rsa[8192], rsa_key[8192];     /* rsaEncryption 2048 (RSA key transport needs one) */
} pki12;

static void mint12(void)
{
    static const char *const dns[] = {"localhost"};
    latch_cert_spec spec;

    memset(&spec, 0, sizeof spec);
    spec.key_type = LATCH_KEY_ECDSA_P256;
    spec.common_name = "latch TLS 1.2 seed CA";
    spec.is_ca = true;
    spec.path_len = 0;
    must(latch_cert_mint(&spec, NULL, NULL, pki12.ca, sizeof pki12.ca, pki12.ca_key, sizeof pki12.ca_key), "CA");
    memset(&spec, 0, sizeof spec);
    spec.key_type = LATCH_KEY_ECDSA_P256;
    spec.common_name = "localhost";
    spec.dns_names = dns;
    spec.n_dns = 1;
    spec.server_auth = spec.client_auth = true;
    must(latch_cert_mint(&spec, pki12.ca, pki12.ca_key, pki12.ecdsa, sizeof pki12.ecdsa, pki12.ecdsa_key,
                         sizeof pki12.ecdsa_key),
         "ECDSA leaf");
    spec.key_type = LATCH_KEY_RSA2048;
    must(latch_cert_mint(&spec, pki12.ca, pki12.ca_key, pki12.rsa, sizeof pki12.rsa, pki12.rsa_key,
                         sizeof pki12.rsa_key),
         "RSA leaf");
}

/* A TLS 1.2-only config trusting the seed CA, with leaf (and the CA) as its chain if not NULL. */
static latch_config *cfg12(const char *leaf, const char *key)
{
    static char chain[16384];
    latch_config *c;

    must(latch_config_new(&c), "config");
    must(latch_config_set_versions(c, LATCH_TLS12, LATCH_TLS12), "versions");
    must(latch_config_load_ca_mem(c, u8s(pki12.ca), strlen(pki12.ca)), "CA");
    if (leaf != NULL) {
        snprintf(chain, sizeof chain, "%s%s", leaf, pki12.ca);
        must(latch_config_add_cert_mem(c, u8s(chain), strlen(chain), u8s(key), strlen(key)), "chain");
    }
    return c;
}

/* ECDHE-ECDSA, the client certificate required: ServerKeyExchange, CertificateRequest, ClientKeyExchange. */
static void ecdsa_auth(latch_config *s, latch_config *c)
{
    must(latch_config_set_client_auth(s, LATCH_CLIENT_AUTH_REQUIRE), "auth");
    must(latch_config_add_cert_mem(c, u8s(pki12.ecdsa), strlen(pki12.ecdsa), u8s(pki12.ecdsa_key),
                                   strlen(pki12.ecdsa_key)),
         "client chain");
    must(latch_config_set_ciphers(c, "ECDHE-ECDSA-AES128-GCM-SHA256"), "ciphers");
}

/* ECDHE-ECDSA over P-384 (a 97-byte point); no client auth, so the server (tickets by default) issues one. */
static void ecdsa_ticket(latch_config *s, latch_config *c)
{
    (void)s;
    must(latch_config_set_groups(c, "secp384r1:secp256r1"), "groups");
    must(latch_config_set_ciphers(c, "ECDHE-ECDSA-AES256-GCM-SHA384"), "ciphers");
}

/* ECDHE-RSA (an RSA-PSS signature), a client certificate asked for but not sent. */
static void rsa_optional(latch_config *s, latch_config *c)
{
    must(latch_config_set_client_auth(s, LATCH_CLIENT_AUTH_OPTIONAL), "auth");
    must(latch_config_set_ciphers(c, "ECDHE-RSA-CHACHA20-POLY1305"), "ciphers");
}

/* RSA key transport, switched on both sides; a ticket too. */
static void rsa_kx(latch_config *s, latch_config *c)
{
    must(latch_config_enable_legacy_rsa_kx(s), "rsa kx");
    must(latch_config_enable_legacy_rsa_kx(c), "rsa kx");
    must(latch_config_set_ciphers(c, "AES128-GCM-SHA256"), "ciphers");
}

typedef struct scenario12 {
    const char *name;
    bool rsa_leaf; /* the server's certificate is the RSA one (else ECDSA) */
    bool rsa_kx;   /* the ClientKeyExchange is the RSA form */
    void (*setup)(latch_config *s, latch_config *c);
    unsigned expect; /* bit per handshake type that must appear in the clear */
} scenario12;

#define HS_BIT(t) (1u << (t))
#define SKE HS_BIT(LATCH_HS_SERVER_KEY_EXCHANGE)
#define CR HS_BIT(LATCH_HS_CERTIFICATE_REQUEST)
#define CKE HS_BIT(LATCH_HS_CLIENT_KEY_EXCHANGE)
#define NST HS_BIT(LATCH_HS_NEW_SESSION_TICKET)

static const scenario12 scenarios12[] = {
    {"ecdhe-ecdsa-client-auth", false, false, ecdsa_auth, SKE | CR | CKE},
    {"ecdhe-ecdsa-p384-ticket", false, false, ecdsa_ticket, SKE | CKE | NST},
    {"ecdhe-rsa-auth-optional", true, false, rsa_optional, SKE | CR | CKE},
    {"rsa-key-transport", true, true, rsa_kx, CKE | NST},
};

/* Note the records in p[0..n) that one side sends: its handshake bytes until its CCS. */
static void watch12(stream12 *st, const uint8_t *p, size_t n)
{
    while (n >= 5) {
        size_t len = (size_t)p[3] << 8 | p[4];

        FZ_ASSERT(5 + len <= n, "output holds a partial record");
        if (p[0] == LATCH_CT_CHANGE_CIPHER_SPEC) {
            st->ccs = true;
        } else if (p[0] == LATCH_CT_HANDSHAKE && !st->ccs) {
            FZ_ASSERT(st->len + len <= sizeof st->hs, "a TLS 1.2 handshake of over %zu bytes", sizeof st->hs);
            memcpy(st->hs + st->len, p + 5, len);
            st->len += len;
        }
        p += 5 + len;
        n -= 5 + len;
    }
}

/* Move what `from` has to send into `to`; returns whether anything moved. */
static bool pump12(latch_conn *from, latch_conn *to, stream12 *st)
{
    const uint8_t *d;
    size_t n;

    FZ_ASSERT(latch_conn_output(from, &d, &n) == LATCH_OK, "output");
    if (n == 0) {
        return false;
    }
    watch12(st, d, n);
    feed_all(to, d, n);
    latch_conn_output_done(from, n);
    return true;
}

/* Seed the TLS 1.2 parser targets with the messages of a stream; returns the HS_BIT set of what it held. */
static unsigned seed12(const stream12 *st, bool rsa_kx)
{
    latch_rd r = latch_rd_make(st->hs, st->len), body;
    unsigned seen = 0;
    uint8_t type;
    uint32_t len;

    while (latch_rd_u8(&r, &type) == LATCH_OK && latch_rd_u24(&r, &len) == LATCH_OK &&
           latch_rd_bytes(&r, len, &body) == LATCH_OK) {
        seen |= type < 32 ? HS_BIT(type) : 0;
        switch (type) {
        case LATCH_HS_SERVER_KEY_EXCHANGE: seed("server_key_exchange", body.p, body.len); break;
        /* The selector byte of fuzz_client_key_exchange: 1 the RSA form, 0 ECDHE. */
        case LATCH_HS_CLIENT_KEY_EXCHANGE: seed_sel("client_key_exchange", rsa_kx ? 1 : 0, body.p, body.len); break;
        case LATCH_HS_CERTIFICATE_REQUEST: seed("certificate_request12", body.p, body.len); break;
        case LATCH_HS_NEW_SESSION_TICKET: seed("new_session_ticket12", body.p, body.len); break;
        default: break;
        }
    }
    FZ_ASSERT(latch_rd_empty(&r), "a TLS 1.2 handshake stream that does not split into messages");
    return seen;
}

static void record12(const scenario12 *s)
{
    static stream12 from_client, from_server;
    latch_config *sc = cfg12(s->rsa_leaf ? pki12.rsa : pki12.ecdsa, s->rsa_leaf ? pki12.rsa_key : pki12.ecdsa_key);
    latch_config *cc = cfg12(NULL, NULL);
    latch_conn *c, *sv;
    unsigned seen;

    s->setup(sc, cc);
    from_client.len = from_server.len = 0;
    from_client.ccs = from_server.ccs = false;
    must(latch_conn_new_client(cc, "localhost", &c), "client");
    must(latch_conn_new_server(sc, &sv), "server");
    for (int guard = 0; guard < 50; guard++) {
        bool moved = pump12(c, sv, &from_client);

        moved = pump12(sv, c, &from_server) || moved;
        if (!moved) {
            break;
        }
    }
    FZ_ASSERT((latch_conn_state(c) & latch_conn_state(sv) & LATCH_STATE_HANDSHAKE_DONE) &&
                  latch_conn_version(c) == LATCH_TLS12,
              "TLS 1.2 %s: client %s, server %s", s->name, latch_err_name(latch_conn_error(c)->code),
              latch_err_name(latch_conn_error(sv)->code));
    seen = seed12(&from_server, s->rsa_kx) | seed12(&from_client, s->rsa_kx);
    fprintf(stderr, "tls12   %-22s %5zu + %zu bytes in the clear\n", s->name, from_client.len, from_server.len);
    FZ_ASSERT((seen & s->expect) == s->expect, "TLS 1.2 %s: messages %#x expected, %#x seen", s->name, s->expect,
              seen);
    latch_conn_free(c);
    latch_conn_free(sv);
    latch_config_free(cc);
    latch_config_free(sc);
}

static void tls12_seeds(void)
{
    mint12();
    for (size_t i = 0; i < sizeof scenarios12 / sizeof scenarios12[0]; i++) {
        record12(&scenarios12[i]);
    }
    /* Edge cases the handshakes above do not show: an empty ticket (RFC 5077
     * §3.3: the server changed its mind) and an empty RSA ciphertext. */
    seed("new_session_ticket12", (const uint8_t *)"\x00\x00\x1c\x20\x00\x00", 6);
    seed_sel("client_key_exchange", 1, (const uint8_t *)"\x00\x00", 2);
    /* A CertificateRequest naming three CAs (a latch server names those it trusts) and no CA at all. */
    {
        static const uint8_t types[] = {LATCH_CERT_TYPE_RSA_SIGN, 2, LATCH_CERT_TYPE_ECDSA_SIGN};
        static const uint16_t schemes[] = {LATCH_SIG_ED25519, LATCH_SIG_ECDSA_SECP256R1_SHA256,
                                           LATCH_SIG_RSA_PSS_RSAE_SHA256, LATCH_SIG_RSA_PKCS1_SHA256};
        static const uint8_t dn1[] = {0x30, 0x0B, 0x31, 0x09, 0x30, 0x07, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0C, 0x00};
        static const uint8_t dn2[] = {0x30, 0x00};
        uint8_t buf[256];
        latch_rd dns[3] = {latch_rd_make(dn1, sizeof dn1), latch_rd_make(dn2, sizeof dn2), latch_rd_make(dn1, 1)};
        latch_certificate_request12_out cr = {types, sizeof types, schemes, 4, dns, 3};
        latch_wr w;

        for (size_t n_cas = 0; n_cas <= 3; n_cas += 3) {
            cr.n_cas = n_cas;
            latch_wr_init(&w, buf, sizeof buf);
            must(latch_certificate_request12_build(&w, &cr), "CertificateRequest");
            must(latch_wr_finish(&w), "CertificateRequest");
            seed("certificate_request12", buf + 4, latch_wr_len(&w) - 4);
        }
    }
}

/* ---- Seeds built here ------------------------------------------------------------------------------------------- */

static void fixed_seeds(void)
{
    static const uint8_t aeads[3] = {LATCH_AEAD_AES_128_GCM, LATCH_AEAD_AES_256_GCM, LATCH_AEAD_CHACHA20_POLY1305};
    static const uint8_t key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
    static const uint8_t iv[12] = {0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB};
    static const uint8_t contents[][8] = {{1, 0, 0, 3, 3, 3, 3, 0}, {2, 40, 0, 0, 0, 0, 0, 0}, {'h', 'e', 'l', 'l', 'o', 0, 0, 0}};
    static const uint8_t types[3] = {LATCH_CT_HANDSHAKE, LATCH_CT_ALERT, LATCH_CT_APPLICATION_DATA};
    static const size_t lens[3] = {7, 2, 5};
    uint8_t buf[512];
    size_t n;

    /* Records sealed with the record target's fixed keys: selector (protection, AEAD), then the record. */
    for (unsigned prot = 0; prot < 3; prot++) {
        for (unsigned a = 0; a < 3; a++) {
            for (unsigned t = 0; t < 3; t++) {
                const latch_aead_alg *aead = latch_provider_aead(latch_provider_openssl(), aeads[a]);
                latch_rec_dir d;
                size_t pre;

                memset(&d, 0, sizeof d);
                if (prot == 1) {
                    must(latch_rec_dir_set13(&d, aead, key, iv, true), "keys");
                } else if (prot == 2) {
                    must(latch_rec_dir_set12(&d, aead, key, iv, a == 2 ? 12 : 4, true), "keys");
                } else if (types[t] == LATCH_CT_APPLICATION_DATA) {
                    continue;
                }
                pre = latch_rec_prefix(&d);
                memcpy(buf + pre, contents[t], lens[t]);
                must(latch_rec_seal(&d, types[t], buf, lens[t], 0, sizeof buf, &n), "seal");
                seed_sel("record", (uint8_t)(prot | a << 2), buf, n);
                latch_rec_dir_clear(&d);
            }
        }
    }
    /* A PSK offer (the client does not send one yet). */
    {
        static const uint8_t id[] = "ticket-identity", binder[32] = {0xB1};
        latch_psk_identity psk = {latch_rd_make(id, sizeof id - 1), 1234, latch_rd_make(binder, sizeof binder)};
        latch_wr w;

        latch_wr_init(&w, buf, sizeof buf);
        latch_ext_psk_ch_build(&w, &psk, 1);
        must(latch_wr_finish(&w), "psk");
        seed_sel("ext_pre_shared_key", 0, buf + 4, latch_wr_len(&w) - 4);
        seed_sel("ext_pre_shared_key", 1, (const uint8_t *)"\x00\x00", 2);
    }
    /* Over the fixed limits: 17 key shares, 9 PSK identities. */
    {
        latch_key_share shares[17];
        latch_psk_identity ids[9];
        static const uint8_t one = 1, id[] = "id", binder[32] = {0};
        latch_wr w;

        for (size_t i = 0; i < 17; i++) {
            shares[i].group = (uint16_t)(0x0101 + i);
            shares[i].key_exchange = latch_rd_make(&one, 1);
        }
        latch_wr_init(&w, buf, sizeof buf);
        latch_ext_key_share_ch_build(&w, shares, 17);
        must(latch_wr_finish(&w), "shares");
        seed_sel("ext_key_share", 0, buf + 4, latch_wr_len(&w) - 4);
        for (size_t i = 0; i < 9; i++) {
            ids[i].identity = latch_rd_make(id, 2);
            ids[i].obfuscated_ticket_age = (uint32_t)i;
            ids[i].binder = latch_rd_make(binder, sizeof binder);
        }
        latch_wr_init(&w, buf, sizeof buf);
        latch_ext_psk_ch_build(&w, ids, 9);
        if (latch_wr_finish(&w) == LATCH_OK) {
            seed_sel("ext_pre_shared_key", 0, buf + 4, latch_wr_len(&w) - 4);
        }
    }
    seed("ext_early_data", (const uint8_t *)"\x00\x00\x40\x00", 4);
    seed("ext_record_size_limit", (const uint8_t *)"\x40\x01", 2);
    seed("ext_point_formats", (const uint8_t *)"\x01\x00", 2);
    seed("ext_reneg", (const uint8_t *)"\x00", 1);
    seed("empty", NULL, 0);
    seed("alert", (const uint8_t *)"\x02\x28", 2);
    seed("alert", (const uint8_t *)"\x01\x00", 2);
    seed("key_update", (const uint8_t *)"\x01", 1);
    /* PEM and keys. */
    seed("pem", u8s(fz_server_chain_pem), strlen(fz_server_chain_pem));
    seed("pem", u8s(fz_client_key_pem), strlen(fz_client_key_pem));
    seed("key", u8s(fz_server_key_pem), strlen(fz_server_key_pem));
    seed("key", u8s(fz_client_key_pem), strlen(fz_client_key_pem));
    {
        size_t cl = strlen(fz_server_chain_pem);
        uint8_t hdr[2] = {(uint8_t)(cl >> 8), (uint8_t)cl};
        static uint8_t both[16384];

        memcpy(both, hdr, 2);
        memcpy(both + 2, fz_server_chain_pem, cl);
        memcpy(both + 2 + cl, fz_server_key_pem, strlen(fz_server_key_pem));
        seed("chain", both, 2 + cl + strlen(fz_server_key_pem));
    }
}

/* The first PEM block of text, as DER, into out (0 if none). */
static size_t pem_to_der(const char *text, const char *label, uint8_t *out, size_t cap)
{
    latch_pem_reader r;
    latch_pem_block b;
    bool found = true;
    size_t n = 0;

    latch_pem_reader_init(&r, u8s(text), strlen(text), "'seed'");
    while (found && n == 0) {
        memset(&b, 0, sizeof b);
        if (latch_pem_next(&r, NULL, &b, &found) != LATCH_OK) {
            break;
        }
        if (found && strcmp(b.label, label) == 0 && b.der_len <= cap) {
            memcpy(out, b.der, b.der_len);
            n = b.der_len;
        }
        latch_pem_block_free(NULL, &b);
    }
    return n;
}

/*
 * Chains of every key type latch uses (minted now: these seeds need not
 * replay anything), as PEM and DER, for the chain, key, pem and peer
 * targets; the fixed PKI alone is Ed25519 only.
 */
static void x509_seeds(void)
{
    static const latch_key_type types[] = {LATCH_KEY_ECDSA_P256, LATCH_KEY_ECDSA_P384, LATCH_KEY_RSA2048,
                                           LATCH_KEY_ED25519, LATCH_KEY_RSA_PSS2048};
    static const char *const dns[] = {"localhost", "*.example.com"};
    static const char *const ips[] = {"127.0.0.1", "::1"};

    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        static char ca[8192], ca_key[8192], leaf[8192], key[8192], chain[16384];
        static uint8_t buf[40000], der_leaf[4096], der_ca[4096], der_key[4096];
        size_t nl, nc, nk, n;
        latch_cert_spec spec;
        latch_wr w;

        memset(&spec, 0, sizeof spec);
        spec.key_type = types[i];
        spec.common_name = "seed CA";
        spec.is_ca = true;
        spec.path_len = 1;
        must(latch_cert_mint(&spec, NULL, NULL, ca, sizeof ca, ca_key, sizeof ca_key), "seed CA");
        memset(&spec, 0, sizeof spec);
        spec.key_type = types[i];
        spec.common_name = "localhost";
        spec.dns_names = dns;
        spec.n_dns = 2;
        spec.ips = ips;
        spec.n_ips = 2;
        spec.server_auth = spec.client_auth = true;
        must(latch_cert_mint(&spec, ca, ca_key, leaf, sizeof leaf, key, sizeof key), "seed leaf");
        snprintf(chain, sizeof chain, "%s%s", leaf, ca);
        nl = pem_to_der(leaf, "CERTIFICATE", der_leaf, sizeof der_leaf);
        nc = pem_to_der(ca, "CERTIFICATE", der_ca, sizeof der_ca);
        nk = pem_to_der(key, "PRIVATE KEY", der_key, sizeof der_key);
        seed("pem", u8s(chain), strlen(chain));
        seed("key", u8s(key), strlen(key));
        seed("key", der_key, nk);
        /* chain: 2-byte length, certificate data, key data; PEM and DER. */
        n = strlen(chain);
        buf[0] = (uint8_t)(n >> 8);
        buf[1] = (uint8_t)n;
        memcpy(buf + 2, chain, n);
        memcpy(buf + 2 + n, key, strlen(key));
        seed("chain", buf, 2 + n + strlen(key));
        buf[0] = (uint8_t)(nl >> 8);
        buf[1] = (uint8_t)nl;
        memcpy(buf + 2, der_leaf, nl);
        memcpy(buf + 2 + nl, der_key, nk);
        seed("chain", buf, 2 + nl + nk);
        /* peer: selector, then 2-byte length + DER per certificate. */
        latch_wr_init(&w, buf, sizeof buf);
        latch_wr_u8(&w, (uint8_t)i);
        latch_wr_u16(&w, (uint16_t)nl);
        latch_wr_bytes(&w, der_leaf, nl);
        latch_wr_u16(&w, (uint16_t)nc);
        latch_wr_bytes(&w, der_ca, nc);
        must(latch_wr_finish(&w), "peer seed");
        seed("peer", buf, latch_wr_len(&w));
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <corpus directory>\n", argv[0]);
        return 2;
    }
    root = argv[1];
    trace_cap = 1 << 20;
    trace = malloc(trace_cap);
    FZ_ASSERT(trace != NULL, "out of memory");
    if (mkdir(root, 0755) != 0 && errno != EEXIST) {
        fz_fail("cannot create %s", root);
    }
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        record(&scenarios[i]);
    }
    fixed_seeds();
    x509_seeds();
    tls12_seeds();
    free(trace);
    return 0;
}
