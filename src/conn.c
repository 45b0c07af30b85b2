/*
 * The connection: the public sans-IO API, record input and dispatch, record
 * output, sticky errors. The handshake itself lives in src/hs/.
 */
#include "conn.h"

#include "core/alloc.h"
#include "core/ct.h"
#include "hs/hs.h"
#include "hs/pha.h"
#include "hs/prf12.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Most application data sealed per latch_conn_write_app call: two full
 * records, so one send() can carry both. */
#define WRITE_RECORDS_PER_CALL 2
/* Bytes of rejected 0-RTT data a server skips before giving up (RFC 8446
 * §4.2.10: up to the max_early_data_size it would accept; latch accepts none
 * yet, so it uses a fixed bound). */
#define MAX_EARLY_SKIP (16384 * 4)
/*
 * Backpressure: while more than this waits in the output, no further record
 * is read. Some records make latch answer (a KeyUpdate that requests one,
 * later a renegotiation refusal), so a peer that keeps sending them and
 * never reads would otherwise grow the output without bound. Two full
 * records: a whole handshake flight still goes out in one piece, since the
 * check comes before each record, never in the middle of one.
 */
#define OUTPUT_HIGH_WATER (2 * LATCH_REC_BUF_MAX)

/* ---- Errors ------------------------------------------------------------------ */

static void record_error(latch_conn *c, latch_err e)
{
    const latch_errloc *l = latch__err_last();

    c->err = e;
    c->errinfo.code = e;
    c->errinfo.alert = LATCH_ALERT_NONE;
    c->errinfo.file = NULL;
    c->errinfo.line = 0;
    c->errinfo.detail = "";
    if (l->code == e) {
        size_t n = strlen(l->detail);

        c->errinfo.file = l->file;
        c->errinfo.line = l->line;
        /* The detail is kept only once something failed (out of memory: none). */
        latch__free(c->alloc, c->err_detail, c->err_detail != NULL ? strlen(c->err_detail) + 1 : 0);
        c->err_detail = latch__alloc_uninit(c->alloc, n + 1);
        if (c->err_detail != NULL) {
            memcpy(c->err_detail, l->detail, n + 1);
            c->errinfo.detail = c->err_detail;
        }
    }
}

latch_err latch__conn_fail(latch_conn *c, latch_err e)
{
    latch_alert alert;

    if (e == LATCH_OK || latch_err_class(e) == LATCH_CLASS_WANT) {
        return e;
    }
    if (c->err != LATCH_OK) {
        return c->err;
    }
    record_error(c, e);
    alert = latch_err_alert(e);
    if (alert != LATCH_ALERT_NONE && !c->sent_close) {
        /* Best effort: if even the alert cannot be protected, there is nothing to send. */
        if (latch__conn_send_alert(c, LATCH_ALERT_LEVEL_FATAL, (uint8_t)alert) == LATCH_OK) {
            c->errinfo.alert = (uint8_t)alert;
        }
        c->sent_close = true;
    }
    latch__hs_free(c);
    latch_rec_dir_clear(&c->rd);
    latch_rec_dir_clear(&c->wr);
    c->app_len = 0;
    return c->err;
}

latch_err latch__conn_peer_alert(latch_conn *c, uint8_t level, uint8_t desc)
{
    latch_err e;

    (void)level;
    /* A server that asked for a certificate and got none refuses with
     * certificate_required (TLS 1.3) or handshake_failure (TLS 1.2, RFC
     * 5246 §7.4.6): tell the user what the alert most likely means. */
    if (!c->is_server && c->hs != NULL && c->hs->cert_requested && c->hs->chain == NULL &&
        (desc == LATCH_ALERT_CERTIFICATE_REQUIRED || desc == LATCH_ALERT_HANDSHAKE_FAILURE)) {
        c->alert_hint = "the server asked for a client certificate and none was configured that fits its request";
    }
    if (c->alert_hint != NULL) {
        e = LATCH_FAIL(LATCH_ERR_PEER_ALERT, "the peer sent a fatal %s alert (%u); %s", latch_alert_str(desc), desc,
                       c->alert_hint);
    } else {
        e = LATCH_FAIL(LATCH_ERR_PEER_ALERT, "the peer sent a fatal %s alert (%u)", latch_alert_str(desc), desc);
    }
    record_error(c, e);
    c->errinfo.alert = desc;
    c->sent_close = true; /* never answer a fatal alert */
    c->recv_close = true;
    latch__hs_free(c);
    latch_rec_dir_clear(&c->rd);
    latch_rec_dir_clear(&c->wr);
    return e;
}

const latch_error_info *latch_conn_error(const latch_conn *c)
{
    static const latch_error_info none = {LATCH_OK, LATCH_ALERT_NONE, NULL, 0, ""};

    if (c == NULL || c->err == LATCH_OK) {
        return &none;
    }
    return &c->errinfo;
}

size_t latch_conn_error_string(const latch_conn *c, char *buf, size_t cap)
{
    const latch_error_info *ei = latch_conn_error(c);
    char alert[64] = "";
    int n;

    if (ei->code == LATCH_OK) {
        n = snprintf(buf, cap, "no error");
        return n < 0 ? 0 : (size_t)n;
    }
    if (ei->code == LATCH_ERR_PEER_ALERT) {
        snprintf(alert, sizeof alert, " (received alert %s)", latch_alert_str(ei->alert));
    } else if (ei->alert != LATCH_ALERT_NONE) {
        snprintf(alert, sizeof alert, " (sent alert %s)", latch_alert_str(ei->alert));
    }
    if (ei->code == LATCH_ERR_PEER_ALERT) {
        n = snprintf(buf, cap, "the peer refused the connection%s%s%s", alert, c->alert_hint != NULL ? ": " : "",
                     c->alert_hint != NULL ? c->alert_hint : "");
    } else if (ei->detail[0] != '\0') {
        n = snprintf(buf, cap, "%s: %s%s", latch_err_str(ei->code), ei->detail, alert);
    } else {
        n = snprintf(buf, cap, "%s%s", latch_err_str(ei->code), alert);
    }
    return n < 0 ? 0 : (size_t)n;
}

/* ---- Trace and key log ------------------------------------------------------ */

void latch__conn_trace(latch_conn *c, latch_trace_kind kind, bool sent, uint8_t code, const char *name,
                       size_t length, const char *fmt, ...)
{
    char summary[1024];
    latch_trace_event ev;
    va_list ap;

    if (c->cfg->trace == NULL) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(summary, sizeof summary, fmt, ap);
    va_end(ap);
    ev.kind = kind;
    ev.sent = sent;
    ev.from_client = (sent != c->is_server);
    if (kind == LATCH_TRACE_CHECK || kind == LATCH_TRACE_KEYS) {
        ev.from_client = !c->is_server;
    }
    ev.hs_type = code;
    ev.name = name;
    ev.summary = summary;
    ev.length = length;
    c->cfg->trace(c->cfg->trace_user, c, &ev);
}

void latch__conn_keylog(latch_conn *c, const char *label, const latch_secret *secret)
{
    char line[64 + 2 * 32 + 2 * LATCH_SECRET_MAX + 4];
    size_t n;

    if (c->cfg->keylog == NULL) {
        return;
    }
    n = (size_t)snprintf(line, sizeof line, "%s ", label);
    for (size_t i = 0; i < 32; i++) {
        n += (size_t)snprintf(line + n, sizeof line - n, "%02x", c->client_random[i]);
    }
    line[n++] = ' ';
    for (size_t i = 0; i < secret->len; i++) {
        n += (size_t)snprintf(line + n, sizeof line - n, "%02x", secret->b[i]);
    }
    line[n] = '\0';
    c->cfg->keylog(c->cfg->keylog_user, c, line);
    latch_wipe(line, sizeof line);
}

/* ---- Buffers ------------------------------------------------------------------ */

static size_t out_pending(const latch_conn *c)
{
    return c->out_tail - c->out_head;
}

/* Too much output waits: read nothing more until it is sent. */
static bool output_blocked(const latch_conn *c)
{
    return out_pending(c) > OUTPUT_HIGH_WATER;
}

static latch_err in_alloc(latch_conn *c)
{
    if (c->in == NULL) {
        c->in = latch__alloc_uninit(c->alloc, LATCH_REC_BUF_MAX);
        c->in_hwm = 0;
        LATCH_ENSURE(c->in != NULL, LATCH_ERR_NO_MEMORY, "allocating the input record buffer");
        c->in_cap = LATCH_REC_BUF_MAX;
    }
    return LATCH_OK;
}

/* After the handshake, give the record buffers back whenever they are empty,
 * so an idle connection holds only its struct (and libcrypto's AEAD state). */
static void release_idle(latch_conn *c)
{
    if (!c->handshake_done) {
        return;
    }
    if (c->in != NULL && c->in_len == 0) {
        /* Wipe what held records (plaintext after decryption), not the rest. */
        latch__free_used(c->alloc, c->in, c->in_cap, c->in_hwm);
        c->in = NULL;
        c->in_cap = 0;
    }
    if (c->out != NULL && c->out_head == c->out_tail) {
        /* Only protected records were left here: nothing to wipe. */
        latch__free_used(c->alloc, c->out, c->out_cap, 0);
        c->out = NULL;
        c->out_cap = 0;
        c->out_head = c->out_tail = 0;
    }
}

/* Make room for n more bytes at out[out_tail]. */
static latch_err out_reserve(latch_conn *c, size_t n)
{
    size_t pending = c->out_tail - c->out_head;
    size_t want;
    uint8_t *nb;

    if (c->out_cap - c->out_tail >= n) {
        return LATCH_OK;
    }
    if (c->out_head > 0 && c->out_cap - pending >= n) {
        memmove(c->out, c->out + c->out_head, pending);
        c->out_head = 0;
        c->out_tail = pending;
        return LATCH_OK;
    }
    want = pending + n;
    if (want < 2 * c->out_cap) {
        want = 2 * c->out_cap;
    }
    if (want < 4096) {
        want = 4096;
    }
    nb = latch__alloc_uninit(c->alloc, want);
    LATCH_ENSURE(nb != NULL, LATCH_ERR_NO_MEMORY, "allocating the output buffer");
    if (pending > 0) {
        memcpy(nb, c->out + c->out_head, pending);
    }
    latch__free_used(c->alloc, c->out, c->out_cap, 0);
    c->out = nb;
    c->out_cap = want;
    c->out_head = 0;
    c->out_tail = pending;
    return LATCH_OK;
}

/* Seal the plaintext already placed at out[out_tail + prefix] as one record. */
static latch_err seal_in_place(latch_conn *c, latch_rec_dir *d, uint8_t type, size_t len)
{
    size_t rec_len;

    LATCH_TRY(latch_rec_seal(d, type, c->out + c->out_tail, len, 0, c->out_cap - c->out_tail, &rec_len));
    c->out_tail += rec_len;
    return LATCH_OK;
}

static latch_err send_with(latch_conn *c, latch_rec_dir *d, uint8_t type, const uint8_t *data, size_t len)
{
    size_t prefix = latch_rec_prefix(d);

    LATCH_ENSURE(len <= LATCH_REC_MAX_PLAIN, LATCH_ERR_INTERNAL, "record payload over 2^14 bytes");
    LATCH_TRY(out_reserve(c, prefix + len + latch_rec_suffix(d, 0)));
    if (len > 0) {
        memcpy(c->out + c->out_tail + prefix, data, len);
    }
    return seal_in_place(c, d, type, len);
}

latch_err latch__conn_send_record(latch_conn *c, uint8_t type, const uint8_t *data, size_t len)
{
    return send_with(c, &c->wr, type, data, len);
}

latch_err latch__conn_send_ccs(latch_conn *c)
{
    static const uint8_t one = 1;
    latch_rec_dir clear;

    /* RFC 8446 §5: the compatibility ChangeCipherSpec is never protected;
     * in TLS 1.2 it travels under the current (initial: null) write state. */
    memset(&clear, 0, sizeof clear);
    clear.mode = LATCH_PROT_NONE;
    LATCH_TRY(send_with(c, &clear, LATCH_CT_CHANGE_CIPHER_SPEC, &one, 1));
    latch__conn_trace(c, LATCH_TRACE_CCS, true, 0, "ChangeCipherSpec", 1, "%s",
                      c->version == LATCH_TLS12 ? "what follows is protected by the new keys (RFC 5246 §7.1)"
                                                : "middlebox compatibility (RFC 8446 D.4)");
    return LATCH_OK;
}

latch_err latch__conn_send_alert(latch_conn *c, uint8_t level, uint8_t desc)
{
    uint8_t body[2] = {level, desc};

    LATCH_TRY(latch__conn_send_record(c, LATCH_CT_ALERT, body, sizeof body));
    latch__conn_trace(c, LATCH_TRACE_ALERT, true, desc, latch_alert_str(desc), 2, "%s %s",
                      level == LATCH_ALERT_LEVEL_FATAL ? "fatal" : "warning", latch_alert_str(desc));
    return LATCH_OK;
}

latch_err latch__conn_set_keys13(latch_conn *c, bool write, const latch_secret *secret, const char *what)
{
    uint8_t key[LATCH_AEAD_MAX_KEY], iv[LATCH_AEAD_NONCE_LEN];
    latch_err e;

    /* RFC 8446 §5.1: a key change must fall on a record boundary; nothing
     * the peer sent under the old key may still be waiting. */
    LATCH_ENSURE(write || !latch_hsframe_pending(&c->hsf), LATCH_ERR_NOT_ON_RECORD_BOUNDARY,
                 "handshake data follows a message that changes the peer's keys");
    e = latch_ks13_traffic_keys(c->hash, c->aead, secret, key, iv);
    if (e == LATCH_OK) {
        e = latch_rec_dir_set13(write ? &c->wr : &c->rd, c->aead, key, iv, write);
    }
    latch_wipe(key, sizeof key);
    latch_wipe(iv, sizeof iv);
    LATCH_TRY(e);
    latch_secret_set(write ? &c->wr_secret : &c->rd_secret, secret->b, secret->len);
    latch__conn_trace(c, LATCH_TRACE_KEYS, write, 0, what, 0, "%s keys now protect what this side %s (%s)", what,
                      write ? "sends" : "receives", c->aead->name);
    return LATCH_OK;
}

latch_err latch__conn_set_keys12(latch_conn *c, bool write, const uint8_t *key, const uint8_t *iv, size_t iv_len)
{
    /* RFC 5246 §7.1: the ChangeCipherSpec record that precedes a read key
     * change is a record of its own, so no handshake data can straddle it;
     * check anyway, as for TLS 1.3. */
    LATCH_ENSURE(write || !latch_hsframe_pending(&c->hsf), LATCH_ERR_NOT_ON_RECORD_BOUNDARY,
                 "handshake data pending at a ChangeCipherSpec");
    LATCH_TRY(latch_rec_dir_set12(write ? &c->wr : &c->rd, c->aead, key, iv, iv_len, write));
    latch__conn_trace(c, LATCH_TRACE_KEYS, write, 0, "session keys", 0,
                      "the session keys now protect what this side %s (%s)", write ? "sends" : "receives",
                      c->aead->name);
    return LATCH_OK;
}

/* ---- Creating and freeing ------------------------------------------------------ */

static latch_err conn_new(latch_config *cfg, bool server, latch_conn **out)
{
    latch_conn *c;

    LATCH_ENSURE(out != NULL, LATCH_ERR_INVALID_ARGUMENT, "out must not be NULL");
    *out = NULL;
    LATCH_TRY(latch__config_acquire(cfg, !server));
    c = latch__alloc(&cfg->alloc, sizeof *c);
    if (c == NULL) {
        latch__config_release(cfg);
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "allocating the connection");
    }
    c->cfg = cfg;
    c->prov = cfg->prov;
    c->alloc = &cfg->alloc;
    c->is_server = server;
    c->verify_result = LATCH_ERR_BAD_STATE;
    c->wr.version = 0x0301; /* a first ClientHello goes out as 0x0301, for old middleboxes */
    latch_hsframe_init(&c->hsf, c->alloc, cfg->max_hs_msg);
    *out = c;
    return LATCH_OK;
}

latch_err latch_conn_new_client(latch_config *cfg, const char *server_name, latch_conn **out)
{
    latch_conn *c;
    latch_err e;

    latch__err_clear();
    LATCH_TRY(conn_new(cfg, false, &c));
    e = latch__client_init(c, server_name);
    if (e != LATCH_OK) {
        latch_conn_free(c);
        return e;
    }
    *out = c;
    return LATCH_OK;
}

latch_err latch_conn_new_server(latch_config *cfg, latch_conn **out)
{
    latch_conn *c;
    latch_err e;

    latch__err_clear();
    LATCH_ENSURE(cfg != NULL, LATCH_ERR_INVALID_ARGUMENT, "config must not be NULL");
    LATCH_ENSURE(cfg->n_chains > 0 || cfg->n_psks > 0, LATCH_ERR_NO_CERTIFICATE,
                 "a server needs a certificate chain and key (latch_config_add_cert_file) or a PSK");
    LATCH_TRY(conn_new(cfg, true, &c));
    e = latch__server_start(c);
    if (e != LATCH_OK) {
        latch_conn_free(c);
        return e;
    }
    *out = c;
    return LATCH_OK;
}

void latch_conn_free(latch_conn *c)
{
    latch_config *cfg;

    if (c == NULL) {
        return;
    }
    cfg = c->cfg;
    latch__hs_free(c);
    latch_hsframe_cleanup(&c->hsf);
    latch_rec_dir_clear(&c->rd);
    latch_rec_dir_clear(&c->wr);
    latch__free_used(c->alloc, c->in, c->in_cap, c->in_hwm);
    latch__free_used(c->alloc, c->out, c->out_cap, 0);
    latch_peer_free(c->peer);
    latch__pha_free(c);
    if (c->server_name != NULL) {
        latch__free(c->alloc, c->server_name, strlen(c->server_name) + 1);
    }
    if (c->alpn != NULL) {
        latch__free(c->alloc, c->alpn, strlen(c->alpn) + 1);
    }
    if (c->err_detail != NULL) {
        latch__free(c->alloc, c->err_detail, strlen(c->err_detail) + 1);
    }
    if (c->session != NULL) {
        latch__free(c->alloc, c->session, sizeof *c->session);
    }
    latch__free(c->alloc, c->early_buf, c->early_len);
    latch__free(c->alloc, c->early_in, c->early_in_cap);
    /* latch__free wipes the struct, secrets included. */
    latch__free(&cfg->alloc, c, sizeof *c);
    latch__config_release(cfg);
}

void latch_conn_set_user(latch_conn *c, void *user)
{
    c->user = user;
}

void *latch_conn_user(const latch_conn *c)
{
    return c->user;
}

/* ---- Input ------------------------------------------------------------------------ */

static latch_err handle_ccs(latch_conn *c, latch_rd body)
{
    uint8_t v;

    if (c->version == LATCH_TLS12 && c->hs != NULL) {
        latch_hs_msg m = {0, body, body, true};

        return latch__hs_dispatch(c, LATCH_CT_CHANGE_CIPHER_SPEC, &m);
    }
    /*
     * RFC 8446 §5: a ChangeCipherSpec with the single byte 0x01, received
     * after the first ClientHello and before the peer's Finished, is dropped;
     * any other ChangeCipherSpec is an unexpected_message.
     */
    LATCH_ENSURE(latch_rd_u8(&body, &v) == LATCH_OK && v == 1 && latch_rd_empty(&body),
                 LATCH_ERR_UNEXPECTED_RECORD, "ChangeCipherSpec must be the single byte 0x01");
    LATCH_ENSURE(!c->handshake_done && c->hs != NULL && !(c->is_server && c->state == 0),
                 LATCH_ERR_UNEXPECTED_RECORD,
                 c->version == LATCH_TLS12 ? "ChangeCipherSpec after the TLS 1.2 handshake"
                                           : "ChangeCipherSpec outside the TLS 1.3 handshake");
    /* A peer sends one (two at most, around a HelloRetryRequest); an endless
     * stream of them is records without progress, bounded like empty ones. */
    c->empty_records++;
    LATCH_ENSURE(c->empty_records <= c->cfg->max_empty_records, LATCH_ERR_TOO_MANY_EMPTY_RECORDS,
                 "too many ChangeCipherSpec records in a row");
    latch__conn_trace(c, LATCH_TRACE_CCS, false, 0, "ChangeCipherSpec", 1, "ignored (middlebox compatibility)");
    return LATCH_OK;
}

static latch_err handle_alert(latch_conn *c, latch_rd body)
{
    uint8_t level, desc;

    /* RFC 8446 §5.4: an empty alert record is an unexpected_message; §5.1:
     * exactly one alert per record (decode_error otherwise). */
    LATCH_TRY(latch_rec_check_content(LATCH_CT_ALERT, body));
    LATCH_TRY(latch_alert_parse(body, &level, &desc));
    latch__conn_trace(c, LATCH_TRACE_ALERT, false, desc, latch_alert_str(desc), 2, "%s %s",
                      level == LATCH_ALERT_LEVEL_FATAL ? "fatal" : "warning", latch_alert_str(desc));
    if (desc == LATCH_ALERT_CLOSE_NOTIFY) {
        c->recv_close = true;
        return LATCH_OK;
    }
    /* RFC 8446 §6.1: user_canceled is a warning (a close_notify follows);
     * ignored, and bounded like empty records so a stream of them ends. */
    if (desc == LATCH_ALERT_USER_CANCELED && level == LATCH_ALERT_LEVEL_WARNING) {
        c->empty_records++;
        LATCH_ENSURE(c->empty_records <= c->cfg->max_empty_records, LATCH_ERR_TOO_MANY_EMPTY_RECORDS,
                     "too many user_canceled alerts in a row");
        return LATCH_OK;
    }
    /* RFC 8446 §6: in TLS 1.3 every other alert is an error, whatever its
     * level. TLS 1.2 warnings are ignored (and bounded like empty records). */
    if (c->version == LATCH_TLS12 && level == LATCH_ALERT_LEVEL_WARNING) {
        c->empty_records++;
        LATCH_ENSURE(c->empty_records <= c->cfg->max_empty_records, LATCH_ERR_TOO_MANY_EMPTY_RECORDS,
                     "too many warning alerts in a row");
        return LATCH_OK;
    }
    return latch__conn_peer_alert(c, level, desc);
}

static latch_err handle_handshake(latch_conn *c, latch_rd plain)
{
    latch_err e;

    LATCH_TRY(latch_rec_check_content(LATCH_CT_HANDSHAKE, plain));
    LATCH_TRY(latch_hsframe_feed(&c->hsf, plain));
    for (;;) {
        latch_hs_msg m;

        e = latch_hsframe_next(&c->hsf, &m);
        if (e == LATCH_ERR_WANT_READ) {
            return LATCH_OK;
        }
        LATCH_TRY(e);
        /* The configured bound on a peer's chain, before any of it is parsed
         * (LATCH_LIMIT_CERT_CHAIN_BYTES: the whole Certificate message). */
        LATCH_ENSURE(m.type != LATCH_HS_CERTIFICATE || m.body.len <= c->cfg->max_chain_bytes,
                     LATCH_ERR_CERT_CHAIN_TOO_LARGE, "the peer's Certificate message exceeds the configured limit");
        LATCH_TRY(latch__hs_dispatch(c, LATCH_CT_HANDSHAKE, &m));
        if (c->err != LATCH_OK || c->recv_close) {
            return c->err;
        }
    }
}

static latch_err handle_app_data(latch_conn *c, latch_rd plain)
{
    LATCH_ENSURE(c->handshake_done || c->early_reading, LATCH_ERR_UNEXPECTED_RECORD,
                 "application data before the handshake completed");
    if (c->early_reading) {
        /* RFC 8446 §4.2.10: no more than max_early_data_size. */
        c->early_received += plain.len;
        LATCH_ENSURE(c->early_received <= c->cfg->max_early_data, LATCH_ERR_UNEXPECTED_MESSAGE,
                     "more 0-RTT data than max_early_data_size");
        /* Early data waits aside (bounded by max_early_data), so the
         * handshake goes on whether or not the application reads it now. */
        if (c->early_in == NULL) {
            c->early_in_cap = c->cfg->max_early_data;
            c->early_in = latch__alloc(c->alloc, c->early_in_cap);
            LATCH_ENSURE(c->early_in != NULL, LATCH_ERR_NO_MEMORY, "allocating the early data buffer");
        }
        memcpy(c->early_in + c->early_in_off + c->early_in_len, plain.p, plain.len);
        c->early_in_len += plain.len;
        latch__conn_trace(c, LATCH_TRACE_APP_DATA, false, 0, "early data", plain.len, "%zu bytes of 0-RTT data",
                          plain.len);
        return LATCH_OK;
    }
    if (plain.len == 0) {
        c->empty_records++;
        LATCH_ENSURE(c->empty_records <= c->cfg->max_empty_records, LATCH_ERR_TOO_MANY_EMPTY_RECORDS,
                     "too many empty application data records in a row");
        return LATCH_OK;
    }
    c->app_off = (size_t)(plain.p - c->in);
    c->app_len = plain.len;
    latch__conn_trace(c, LATCH_TRACE_APP_DATA, false, 0, "application data", plain.len, "%zu bytes", plain.len);
    return LATCH_OK;
}

/* Handle the complete record at rec[0..rec_len). */
static latch_err handle_record(latch_conn *c, uint8_t *rec, size_t rec_len, const latch_rec_hdr *h)
{
    latch_rd plain;
    uint8_t type;
    latch_err e;

    plain = latch_rd_make(rec + LATCH_REC_HDR_LEN, h->len);
    if (h->type == LATCH_CT_CHANGE_CIPHER_SPEC &&
        !(c->version == LATCH_TLS12 && c->rd.mode != LATCH_PROT_NONE)) {
        LATCH_ENSURE(!latch_hsframe_pending(&c->hsf), LATCH_ERR_UNEXPECTED_RECORD,
                     "ChangeCipherSpec in the middle of a handshake message");
        return handle_ccs(c, plain);
    }
    if (c->rd.mode == LATCH_PROT_NONE) {
        type = h->type;
        if (type == LATCH_CT_APPLICATION_DATA && c->skip_early) {
            /* After a HelloRetryRequest the client's 0-RTT records arrive
             * before its second ClientHello: skip them (RFC 8446 §4.2.10). */
            c->early_skipped += h->len;
            LATCH_ENSURE(c->early_skipped <= MAX_EARLY_SKIP, LATCH_ERR_UNEXPECTED_RECORD,
                         "too much early data before the second ClientHello");
            return LATCH_OK;
        }
        LATCH_ENSURE(type != LATCH_CT_APPLICATION_DATA, LATCH_ERR_UNEXPECTED_RECORD,
                     "application data before encryption was established");
    } else if (h->type == LATCH_CT_ALERT && c->rd.mode == LATCH_PROT_TLS13 && !c->handshake_done &&
               c->rd.seq == 0) {
        /* A peer that failed before installing its handshake keys sends its
         * alert in the clear; read it so the user learns why. */
        type = h->type;
    } else {
        e = latch_rec_open(&c->rd, rec, rec_len, &type, &plain);
        if (e == LATCH_ERR_BAD_RECORD_MAC && c->skip_early) {
            /* RFC 8446 §4.2.10: skip 0-RTT records we declined. */
            c->early_skipped += h->len;
            LATCH_ENSURE(c->early_skipped <= MAX_EARLY_SKIP, LATCH_ERR_BAD_RECORD_MAC,
                         "too much undecryptable early data");
            return LATCH_OK;
        }
        LATCH_TRY(e);
        c->skip_early = false;
    }
    /* RFC 8446 §5.1: handshake messages may not be interleaved with other records. */
    LATCH_ENSURE(type == LATCH_CT_HANDSHAKE || !latch_hsframe_pending(&c->hsf), LATCH_ERR_UNEXPECTED_RECORD,
                 "record of another type in the middle of a handshake message");
    if (plain.len > 0 && type != LATCH_CT_ALERT) {
        c->empty_records = 0;
    }
    switch (type) {
    case LATCH_CT_HANDSHAKE: return handle_handshake(c, plain);
    case LATCH_CT_ALERT: return handle_alert(c, plain);
    case LATCH_CT_APPLICATION_DATA: return handle_app_data(c, plain);
    case LATCH_CT_CHANGE_CIPHER_SPEC:
        /* Inside a protected TLS 1.3 record, or protected too early in TLS 1.2. */
        return LATCH_FAIL(LATCH_ERR_UNEXPECTED_RECORD, "protected ChangeCipherSpec record");
    default: return LATCH_FAIL(LATCH_ERR_RECORD_BAD_TYPE, "record of unknown content type %u", type);
    }
}

/*
 * Process every complete record waiting in `in`, stopping when decrypted
 * application data must be read first, or when the peer closed.
 */
static latch_err process_in(latch_conn *c)
{
    while (c->app_len == 0 && !c->recv_close && c->err == LATCH_OK && !output_blocked(c)) {
        size_t avail = c->in_len - c->in_head, max;
        latch_rec_hdr h;
        latch_err e;

        if (avail < LATCH_REC_HDR_LEN) {
            break;
        }
        /* RFC 8446 §5.1/§5.2 and RFC 5246 §6.2: plaintext at most 2^14,
         * protected at most 2^14 + 256 (1.3) or 2^14 + 2048 (1.2). */
        max = c->rd.mode == LATCH_PROT_NONE    ? LATCH_REC_MAX_PLAIN
              : c->rd.mode == LATCH_PROT_TLS13 ? LATCH_REC_MAX_CIPHER13
                                               : LATCH_REC_MAX_CIPHER12;
        e = latch_rec_header(c->in + c->in_head, avail, max, &h);
        LATCH_TRY(e);
        if (avail < LATCH_REC_HDR_LEN + (size_t)h.len) {
            break;
        }
        LATCH_TRY(handle_record(c, c->in + c->in_head, LATCH_REC_HDR_LEN + (size_t)h.len, &h));
        c->in_head += LATCH_REC_HDR_LEN + (size_t)h.len;
    }
    if (c->app_len == 0 && c->in_head == c->in_len) {
        c->in_head = c->in_len = 0;
    }
    return LATCH_OK;
}

/* Move a partial record to the front so the rest of it fits. */
static void in_compact(latch_conn *c)
{
    if (c->app_len == 0 && c->in_head > 0) {
        size_t n = c->in_len - c->in_head;

        memmove(c->in, c->in + c->in_head, n);
        c->in_head = 0;
        c->in_len = n;
    }
}

/* A client builds its ClientHello on first use, so that a session can be
 * set after creation. */
static latch_err ensure_started(latch_conn *c)
{
    latch_err e;

    if (!c->client_pending || c->err != LATCH_OK) {
        return c->err;
    }
    e = latch__client_start(c);
    return e == LATCH_OK ? LATCH_OK : latch__conn_fail(c, e);
}

static latch_err entry(latch_conn *c)
{
    latch__err_clear();
    LATCH_ENSURE(c != NULL, LATCH_ERR_INVALID_ARGUMENT, "connection must not be NULL");
    return ensure_started(c);
}

/* What feed/input_done return after processing. */
static latch_err input_result(latch_conn *c, latch_err e)
{
    if (e != LATCH_OK) {
        return latch__conn_fail(c, e);
    }
    if (c->err != LATCH_OK) {
        return c->err;
    }
    release_idle(c);
    if (c->recv_close && c->app_len == 0) {
        return LATCH_ERR_CLOSE_NOTIFY;
    }
    return LATCH_OK;
}

latch_err latch_conn_feed(latch_conn *c, const uint8_t *data, size_t len, size_t *used)
{
    size_t taken = 0;
    latch_err e = LATCH_OK;

    if (used != NULL) {
        *used = 0;
    }
    LATCH_TRY(entry(c));
    LATCH_ENSURE(used != NULL && (data != NULL || len == 0), LATCH_ERR_INVALID_ARGUMENT,
                 "data and used must not be NULL");
    while (taken < len && c->app_len == 0 && !c->recv_close && c->err == LATCH_OK && !output_blocked(c)) {
        size_t take;

        e = in_alloc(c);
        if (e != LATCH_OK) {
            break;
        }
        in_compact(c);
        take = c->in_cap - c->in_len;
        if (take > len - taken) {
            take = len - taken;
        }
        if (take == 0) {
            break; /* cannot happen: a full buffer always holds a complete record */
        }
        memcpy(c->in + c->in_len, data + taken, take);
        c->in_len += take;
        c->in_hwm = c->in_len > c->in_hwm ? c->in_len : c->in_hwm;
        taken += take;
        *used = taken;
        e = process_in(c);
        if (e != LATCH_OK) {
            break;
        }
    }
    return input_result(c, e);
}

latch_err latch_conn_input_buffer(latch_conn *c, uint8_t **buf, size_t *cap)
{
    latch_err e;

    *buf = NULL;
    *cap = 0;
    LATCH_TRY(entry(c));
    if (c->app_len > 0 || c->recv_close || output_blocked(c)) {
        return LATCH_OK;
    }
    e = in_alloc(c);
    if (e != LATCH_OK) {
        return latch__conn_fail(c, e);
    }
    in_compact(c);
    *buf = c->in + c->in_len;
    *cap = c->in_cap - c->in_len;
    return LATCH_OK;
}

latch_err latch_conn_input_done(latch_conn *c, size_t n)
{
    LATCH_TRY(entry(c));
    LATCH_ENSURE(c->in != NULL && n <= c->in_cap - c->in_len && c->app_len == 0, LATCH_ERR_INVALID_ARGUMENT,
                 "input_done without a matching input_buffer");
    c->in_len += n;
    c->in_hwm = c->in_len > c->in_hwm ? c->in_len : c->in_hwm;
    return input_result(c, process_in(c));
}

/* ---- Output ----------------------------------------------------------------------- */

latch_err latch_conn_output(latch_conn *c, const uint8_t **data, size_t *len)
{
    latch__err_clear();
    *data = NULL;
    *len = 0;
    LATCH_ENSURE(c != NULL, LATCH_ERR_INVALID_ARGUMENT, "connection must not be NULL");
    LATCH_IGNORE(ensure_started(c)); /* a failure leaves its alert in the output */
    if (c->out != NULL && c->out_tail > c->out_head) {
        *data = c->out + c->out_head;
        *len = c->out_tail - c->out_head;
    }
    return LATCH_OK;
}

void latch_conn_output_done(latch_conn *c, size_t n)
{
    if (c == NULL || c->out == NULL) {
        return;
    }
    if (n > c->out_tail - c->out_head) {
        n = c->out_tail - c->out_head;
    }
    c->out_head += n;
    if (c->out_head == c->out_tail) {
        c->out_head = c->out_tail = 0;
    }
    /* Records held back while too much output waited are read now: the
     * application may have nothing more to feed (the peer waits for us). */
    if (c->err == LATCH_OK && c->in_head < c->in_len && c->app_len == 0 && !output_blocked(c)) {
        latch_err e;

        latch__err_clear();
        e = process_in(c);
        if (e != LATCH_OK) {
            (void)latch__conn_fail(c, e);
        }
    }
    release_idle(c);
}

/* ---- Application data --------------------------------------------------------------- */

/* What read_app and read_view return when no application data waits. */
static latch_err nothing_to_read(const latch_conn *c)
{
    if (c->err != LATCH_OK) {
        return c->err;
    }
    if (c->recv_close) {
        return LATCH_ERR_CLOSE_NOTIFY;
    }
    return LATCH_ERR_WANT_READ;
}

latch_err latch_conn_read_app(latch_conn *c, uint8_t *buf, size_t cap, size_t *n)
{
    size_t done = 0;
    latch_err e;

    *n = 0;
    latch__err_clear();
    LATCH_ENSURE(c != NULL && (buf != NULL || cap == 0), LATCH_ERR_INVALID_ARGUMENT, "bad arguments");
    /* Early data first: it came first. */
    if (c->early_in_len > 0) {
        size_t take = cap < c->early_in_len ? cap : c->early_in_len;

        memcpy(buf, c->early_in + c->early_in_off, take);
        c->early_in_off += take;
        c->early_in_len -= take;
        *n = take;
        if (c->early_in_len == 0) {
            latch__free(c->alloc, c->early_in, c->early_in_cap);
            c->early_in = NULL;
            c->early_in_off = c->early_in_cap = 0;
        }
        return LATCH_OK;
    }
    /* Deliver from successive buffered records until buf is full. */
    while (done < cap && c->app_len > 0) {
        size_t take = cap - done < c->app_len ? cap - done : c->app_len;

        memcpy(buf + done, c->in + c->app_off, take);
        c->app_off += take;
        c->app_len -= take;
        done += take;
        if (c->app_len == 0) {
            e = process_in(c);
            if (e != LATCH_OK) {
                *n = done;
                return latch__conn_fail(c, e);
            }
        }
    }
    *n = done;
    release_idle(c);
    if (done > 0) {
        return LATCH_OK;
    }
    return nothing_to_read(c);
}

latch_err latch_conn_read_view(latch_conn *c, const uint8_t **data, size_t *len)
{
    LATCH_ENSURE(data != NULL && len != NULL, LATCH_ERR_INVALID_ARGUMENT, "data and len must not be NULL");
    *data = NULL;
    *len = 0;
    latch__err_clear();
    LATCH_ENSURE(c != NULL, LATCH_ERR_INVALID_ARGUMENT, "bad arguments");
    if (c->early_in_len > 0) {
        *data = c->early_in + c->early_in_off;
        *len = c->early_in_len;
        return LATCH_OK;
    }
    if (c->app_len > 0) {
        *data = c->in + c->app_off;
        *len = c->app_len;
        return LATCH_OK;
    }
    return nothing_to_read(c);
}

latch_err latch_conn_read_consume(latch_conn *c, size_t n)
{
    latch_err e;

    latch__err_clear();
    LATCH_ENSURE(c != NULL, LATCH_ERR_INVALID_ARGUMENT, "bad arguments");
    if (c->early_in_len > 0) {
        LATCH_ENSURE(n <= c->early_in_len, LATCH_ERR_INVALID_ARGUMENT,
                     "consuming more early data than latch_conn_read_view showed");
        c->early_in_off += n;
        c->early_in_len -= n;
        if (c->early_in_len == 0) {
            latch__free(c->alloc, c->early_in, c->early_in_cap);
            c->early_in = NULL;
            c->early_in_off = c->early_in_cap = 0;
        }
        return LATCH_OK;
    }
    LATCH_ENSURE(n <= c->app_len, LATCH_ERR_INVALID_ARGUMENT,
                 "consuming more application data than latch_conn_read_view showed");
    if (n == 0) {
        return LATCH_OK;
    }
    c->app_off += n;
    c->app_len -= n;
    if (c->app_len == 0) {
        e = process_in(c);
        if (e != LATCH_OK) {
            return latch__conn_fail(c, e);
        }
    }
    release_idle(c);
    return LATCH_OK;
}

latch_err latch_conn_write_app(latch_conn *c, const uint8_t *data, size_t len, size_t *used)
{
    size_t done = 0;
    latch_err e;

    *used = 0;
    LATCH_TRY(entry(c));
    LATCH_ENSURE(data != NULL || len == 0, LATCH_ERR_INVALID_ARGUMENT, "data must not be NULL");
    LATCH_ENSURE(!c->sent_close, LATCH_ERR_CLOSED, "latch_conn_close was called");
    if (!c->handshake_done) {
        return LATCH_ERR_WANT_READ;
    }
    if (out_pending(c) > LATCH_REC_MAX_PLAIN) {
        return LATCH_ERR_WANT_WRITE;
    }
    for (int i = 0; i < WRITE_RECORDS_PER_CALL && done < len; i++) {
        size_t chunk = len - done, prefix;

        if (chunk > LATCH_REC_MAX_PLAIN) {
            chunk = LATCH_REC_MAX_PLAIN;
        }
        /* RFC 8446 §5.5: change keys before the AEAD limit is reached. */
        if (c->version == LATCH_TLS13 && c->wr.limit < 2) {
            e = latch__tls13_send_key_update(c, false);
            if (e != LATCH_OK) {
                return latch__conn_fail(c, e);
            }
        }
        prefix = latch_rec_prefix(&c->wr);
        e = out_reserve(c, prefix + chunk + latch_rec_suffix(&c->wr, 0));
        if (e == LATCH_OK) {
            memcpy(c->out + c->out_tail + prefix, data + done, chunk);
            e = seal_in_place(c, &c->wr, LATCH_CT_APPLICATION_DATA, chunk);
        }
        if (e != LATCH_OK) {
            return latch__conn_fail(c, e);
        }
        latch__conn_trace(c, LATCH_TRACE_APP_DATA, true, 0, "application data", chunk, "%zu bytes", chunk);
        done += chunk;
    }
    *used = done;
    return LATCH_OK;
}

latch_err latch_conn_close(latch_conn *c)
{
    latch_err e;

    LATCH_TRY(entry(c));
    if (c->sent_close) {
        return LATCH_OK;
    }
    e = latch__conn_send_alert(c, LATCH_ALERT_LEVEL_WARNING, LATCH_ALERT_CLOSE_NOTIFY);
    if (e != LATCH_OK) {
        return latch__conn_fail(c, e);
    }
    c->sent_close = true;
    return LATCH_OK;
}

latch_err latch_conn_key_update(latch_conn *c, bool request_peer)
{
    latch_err e;

    LATCH_TRY(entry(c));
    LATCH_ENSURE(c->handshake_done && c->version == LATCH_TLS13 && !c->sent_close, LATCH_ERR_BAD_STATE,
                 "KeyUpdate needs an established TLS 1.3 connection");
    e = latch__tls13_send_key_update(c, request_peer);
    return e == LATCH_OK ? LATCH_OK : latch__conn_fail(c, e);
}

/* ---- State and information -------------------------------------------------------------- */

unsigned latch_conn_state(const latch_conn *c)
{
    unsigned st = 0;

    if (c == NULL) {
        return LATCH_STATE_CLOSED | LATCH_STATE_FAILED;
    }
    if ((c->out != NULL && c->out_tail > c->out_head) || c->client_pending) {
        st |= LATCH_STATE_HAS_OUTPUT;
    }
    if (c->app_len > 0 || c->early_in_len > 0) {
        st |= LATCH_STATE_HAS_APP_DATA;
    }
    if (c->early_in_len > 0) {
        st |= LATCH_STATE_EARLY_DATA;
    }
    if (c->handshake_done) {
        st |= LATCH_STATE_HANDSHAKE_DONE;
    }
    if (c->err != LATCH_OK) {
        st |= LATCH_STATE_FAILED | LATCH_STATE_CLOSED;
        return st;
    }
    if (c->recv_close) {
        st |= LATCH_STATE_CLOSED;
    } else if (c->app_len == 0 && !output_blocked(c)) {
        st |= LATCH_STATE_WANT_INPUT;
    }
    if (c->handshake_done && !c->sent_close && out_pending(c) <= LATCH_REC_MAX_PLAIN) {
        st |= LATCH_STATE_CAN_WRITE;
    }
    return st;
}

bool latch_conn_is_server(const latch_conn *c)
{
    return c->is_server;
}

uint16_t latch_conn_version(const latch_conn *c)
{
    return c->version;
}

uint16_t latch_conn_cipher_suite(const latch_conn *c)
{
    return c->suite != NULL ? c->suite->id : 0;
}

uint16_t latch_conn_group(const latch_conn *c)
{
    return c->group;
}

uint16_t latch_conn_peer_sigalg(const latch_conn *c)
{
    return c->peer_sigalg;
}

uint16_t latch_conn_sigalg(const latch_conn *c)
{
    return c->sigalg;
}

const char *latch_conn_alpn(const latch_conn *c)
{
    return c->alpn;
}

const char *latch_conn_server_name(const latch_conn *c)
{
    return c->server_name;
}

latch_err latch__conn_set_str(latch_conn *c, char **dst, const uint8_t *p, size_t n)
{
    char *s = latch__alloc_uninit(c->alloc, n + 1);

    LATCH_ENSURE(s != NULL, LATCH_ERR_NO_MEMORY, "allocating a name");
    if (n > 0) {
        memcpy(s, p, n);
    }
    s[n] = '\0';
    if (*dst != NULL) {
        latch__free(c->alloc, *dst, strlen(*dst) + 1);
    }
    *dst = s;
    return LATCH_OK;
}

void latch__conn_session_names(const latch_conn *c, latch_session *s)
{
    size_t a = strlen(latch__str(c->alpn)), n = strlen(latch__str(c->server_name));

    s->alpn_len = (uint8_t)(a < sizeof s->alpn ? a : sizeof s->alpn);
    memcpy(s->alpn, latch__str(c->alpn), s->alpn_len);
    s->sni_len = (uint8_t)(n < sizeof s->sni ? n : sizeof s->sni);
    memcpy(s->sni, latch__str(c->server_name), s->sni_len);
}

bool latch_conn_hrr(const latch_conn *c)
{
    return c->did_hrr;
}

size_t latch_conn_peer_cert_count(const latch_conn *c)
{
    return c->peer != NULL ? latch_peer_count(c->peer) : 0;
}

latch_err latch_conn_peer_cert(const latch_conn *c, size_t i, const uint8_t **der, size_t *len)
{
    latch_rd r;

    latch__err_clear();
    *der = NULL;
    *len = 0;
    LATCH_ENSURE(i < latch_conn_peer_cert_count(c), LATCH_ERR_INVALID_ARGUMENT, "no such peer certificate");
    r = latch_peer_der(c->peer, i);
    *der = r.p;
    *len = r.len;
    return LATCH_OK;
}

latch_err latch_conn_peer_cert_subject(const latch_conn *c, size_t i, char *buf, size_t cap)
{
    latch__err_clear();
    LATCH_ENSURE(i < latch_conn_peer_cert_count(c), LATCH_ERR_INVALID_ARGUMENT, "no such peer certificate");
    return latch_peer_subject(c->peer, i, buf, cap);
}

latch_err latch_conn_peer_cert_issuer(const latch_conn *c, size_t i, char *buf, size_t cap)
{
    latch__err_clear();
    LATCH_ENSURE(i < latch_conn_peer_cert_count(c), LATCH_ERR_INVALID_ARGUMENT, "no such peer certificate");
    return latch_peer_issuer(c->peer, i, buf, cap);
}

latch_err latch_conn_peer_cert_sans(const latch_conn *c, size_t i, char *buf, size_t cap)
{
    latch__err_clear();
    LATCH_ENSURE(i < latch_conn_peer_cert_count(c), LATCH_ERR_INVALID_ARGUMENT, "no such peer certificate");
    return latch_peer_sans(c->peer, i, buf, cap);
}

latch_err latch_conn_verify_result(const latch_conn *c)
{
    return c->verify_result;
}

const latch_error_info *latch_last_error(void)
{
    static _Thread_local latch_error_info info;
    const latch_errloc *l = latch__err_last();

    info.code = l->code;
    info.alert = l->code == LATCH_OK ? LATCH_ALERT_NONE : (uint8_t)latch_err_alert(l->code);
    info.file = l->file;
    info.line = l->line;
    info.detail = l->detail;
    return &info;
}

/* ---- Sessions and exporters ------------------------------------------------------------ */

latch_err latch_conn_set_session(latch_conn *c, const uint8_t *session, size_t len)
{
    latch_session *s;
    latch_err e;

    latch__err_clear();
    LATCH_ENSURE(c != NULL && session != NULL, LATCH_ERR_INVALID_ARGUMENT, "bad arguments");
    LATCH_ENSURE(!c->is_server && c->client_pending, LATCH_ERR_BAD_STATE,
                 "set the session on a client before its ClientHello goes out");
    s = c->session != NULL ? c->session : latch__alloc(c->alloc, sizeof *s);
    LATCH_ENSURE(s != NULL, LATCH_ERR_NO_MEMORY, "allocating the session");
    c->session = s;
    e = latch_session_decode(latch_rd_make(session, len), s);
    if (e != LATCH_OK) {
        latch__free(c->alloc, s, sizeof *s);
        c->session = NULL;
    }
    return e;
}

latch_err latch_conn_session(const latch_conn *c, uint8_t *buf, size_t cap, size_t *len)
{
    uint8_t tmp[LATCH_SESSION_ENCODED_MAX];
    latch_wr w;
    latch_err e;

    latch__err_clear();
    *len = 0;
    LATCH_ENSURE(c != NULL && !c->is_server, LATCH_ERR_INVALID_ARGUMENT, "sessions are exported by clients");
    LATCH_ENSURE(c->session != NULL && c->tickets_received > 0, LATCH_ERR_BAD_STATE,
                 "no session ticket has arrived yet (read some data after the handshake first)");
    latch_wr_init(&w, tmp, sizeof tmp);
    e = latch_session_encode(c->session, true, &w);
    if (e == LATCH_OK) {
        *len = latch_wr_len(&w);
        if (*len > cap) {
            e = LATCH_FAIL(LATCH_ERR_BUFFER_TOO_SMALL, "the session needs %zu bytes", *len);
        } else {
            memcpy(buf, tmp, *len);
        }
    }
    latch_wipe(tmp, sizeof tmp);
    return e;
}

bool latch_conn_resumed(const latch_conn *c)
{
    return c->resumed;
}

latch_err latch_conn_export_keying_material(const latch_conn *c, const char *label, const uint8_t *context,
                                            size_t context_len, uint8_t *out, size_t len)
{
    static const char *const reserved[] = {"client finished", "server finished", "master secret",
                                           "extended master secret", "key expansion"};
    uint8_t *seed2;
    size_t seed2_len;
    latch_err e;

    latch__err_clear();
    LATCH_ENSURE(c != NULL && label != NULL && out != NULL, LATCH_ERR_INVALID_ARGUMENT, "bad arguments");
    LATCH_ENSURE(c->handshake_done && c->err == LATCH_OK, LATCH_ERR_BAD_STATE,
                 "exporters need an established connection");
    LATCH_ENSURE(context != NULL || context_len == 0, LATCH_ERR_INVALID_ARGUMENT, "context is NULL");
    if (c->version == LATCH_TLS13) {
        /* RFC 8446 §7.5: TLS 1.3 treats an absent context as an empty one. */
        return latch_ks13_export(c->hash, &c->exporter_secret, (const uint8_t *)label, strlen(label),
                                 context != NULL ? context : (const uint8_t *)"", context_len, out, len);
    }
    /*
     * RFC 5705 §4: PRF(master_secret, label, client_random + server_random
     * [+ uint16 context length + context]); no context differs from an empty
     * one here, and labels must not be the PRF's own.
     */
    LATCH_ENSURE(label[0] != '\0', LATCH_ERR_INVALID_ARGUMENT, "the exporter label is empty");
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        LATCH_ENSURE(strcmp(label, reserved[i]) != 0, LATCH_ERR_INVALID_ARGUMENT,
                     "that label is reserved for TLS itself (RFC 5705 §4)");
    }
    LATCH_ENSURE(context_len <= 0xFFFF, LATCH_ERR_INVALID_ARGUMENT, "the context is at most 65535 bytes");
    seed2_len = context != NULL ? 64 + 2 + context_len : 64;
    seed2 = latch__alloc(c->alloc, seed2_len);
    LATCH_ENSURE(seed2 != NULL, LATCH_ERR_NO_MEMORY, "allocating the exporter seed");
    memcpy(seed2, c->client_random, 32);
    memcpy(seed2 + 32, c->server_random, 32);
    if (context != NULL) {
        seed2[64] = (uint8_t)(context_len >> 8);
        seed2[65] = (uint8_t)context_len;
        if (context_len > 0) {
            memcpy(seed2 + 66, context, context_len);
        }
    }
    e = latch_prf12(c->hash, c->exporter_secret.b, c->exporter_secret.len, label, seed2, seed2_len, NULL, 0, out,
                    len);
    latch__free(c->alloc, seed2, seed2_len);
    return e;
}

latch_err latch_conn_write_early(latch_conn *c, const uint8_t *data, size_t len)
{
    latch__err_clear();
    LATCH_ENSURE(c != NULL && data != NULL, LATCH_ERR_INVALID_ARGUMENT, "bad arguments");
    LATCH_ENSURE(!c->is_server && c->client_pending && c->early_buf == NULL, LATCH_ERR_BAD_STATE,
                 "early data is written once, by a client, before its ClientHello goes out");
    LATCH_ENSURE(len >= 1 && len <= LATCH_REC_MAX_PLAIN, LATCH_ERR_INVALID_ARGUMENT,
                 "early data is 1 to 16384 bytes");
    c->early_buf = latch__alloc(c->alloc, len);
    LATCH_ENSURE(c->early_buf != NULL, LATCH_ERR_NO_MEMORY, "allocating the early data");
    memcpy(c->early_buf, data, len);
    c->early_len = len;
    return LATCH_OK;
}

latch_early_status latch_conn_early_status(const latch_conn *c)
{
    return c->early;
}
