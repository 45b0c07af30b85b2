/*
 * Draw trace events as a sequence diagram in the terminal:
 *
 *     client                                                   server
 *       |-- ClientHello (239 bytes) ---------------------------->|
 *       |     versions TLSv1.3; suites ...; key shares x25519
 *       |     > proposes versions and algorithms, and starts the key exchange
 *       |<------------------------------ ServerHello (90 bytes) --|
 */
#include "tool.h"

#include <string.h>

#define WIDTH 62 /* columns between the two lifelines */
#define WRAP 100

/* Handshake message types (RFC 8446 §4), for the explanations. */
enum {
    HS_CLIENT_HELLO = 1,
    HS_SERVER_HELLO = 2,
    HS_NEW_SESSION_TICKET = 4,
    HS_END_OF_EARLY_DATA = 5,
    HS_ENCRYPTED_EXTENSIONS = 8,
    HS_CERTIFICATE = 11,
    HS_CERTIFICATE_REQUEST = 13,
    HS_CERTIFICATE_VERIFY = 15,
    HS_FINISHED = 20,
    HS_KEY_UPDATE = 24
};

void tool_trace_init(tool_trace *t, FILE *out, bool explain)
{
    memset(t, 0, sizeof *t);
    t->out = out;
    t->explain = explain;
}

static const char *explain(const latch_trace_event *ev)
{
    bool client = ev->from_client;

    switch (ev->kind) {
    case LATCH_TRACE_HANDSHAKE:
        switch (ev->hs_type) {
        case HS_CLIENT_HELLO:
            return "proposes versions and algorithms, and sends key shares to start the key exchange";
        case HS_SERVER_HELLO:
            return "picks from the client's lists and answers the key exchange: both sides now share a secret";
        case HS_ENCRYPTED_EXTENSIONS:
            return "the server's other answers (such as ALPN), already encrypted with the handshake keys";
        case HS_CERTIFICATE_REQUEST:
            return "asks the client for a certificate, naming the signature schemes and CAs it accepts";
        case HS_CERTIFICATE:
            return client ? "the client's certificate chain, for the server to check against its client CAs"
                          : "the server's certificate chain: who it is, vouched for by a CA";
        case HS_CERTIFICATE_VERIFY:
            return "a signature over the handshake so far: proof of holding the certificate's private key";
        case HS_FINISHED:
            return "a MAC over the whole handshake: proves both sides saw the same messages and keys";
        case HS_NEW_SESSION_TICKET: return "a ticket the client may use to resume without a full handshake";
        case HS_KEY_UPDATE: return "switches to fresh traffic keys";
        case HS_END_OF_EARLY_DATA: return "ends the 0-RTT data";
        default: return NULL;
        }
    case LATCH_TRACE_APP_DATA: return "application data, encrypted with the application traffic keys";
    case LATCH_TRACE_ALERT:
        return ev->hs_type == 0 ? "an orderly end: no more data will follow (truncation would be detected)"
                                : "a fatal alert: the handshake or connection is aborted";
    case LATCH_TRACE_CCS: return "a dummy ChangeCipherSpec that keeps old middleboxes happy (RFC 8446 D.4)";
    case LATCH_TRACE_KEYS:
    case LATCH_TRACE_CHECK: return NULL;
    }
    return NULL;
}

static void wrapped(FILE *f, const char *prefix, const char *text)
{
    size_t n = strlen(text), col = 0;

    while (col < n) {
        size_t take = n - col, brk;

        if (take > WRAP) {
            take = WRAP;
            brk = take;
            while (brk > 20 && text[col + brk] != ' ') {
                brk--;
            }
            if (brk > 20) {
                take = brk;
            }
        }
        fprintf(f, "%s%.*s\n", prefix, (int)take, text + col);
        col += take;
        while (col < n && text[col] == ' ') {
            col++;
        }
    }
}

static void arrow(FILE *f, bool from_client, const char *label)
{
    char line[WIDTH + 64];
    size_t len = strlen(label), fill;

    if (len > WIDTH - 8) {
        len = WIDTH - 8;
    }
    fill = WIDTH - 5 - len;
    if (from_client) {
        snprintf(line, sizeof line, "|-- %.*s ", (int)len, label);
        for (size_t i = 0; i < fill - 1; i++) {
            strcat(line, "-");
        }
        strcat(line, ">|");
    } else {
        snprintf(line, sizeof line, "|<");
        for (size_t i = 0; i < fill - 1; i++) {
            strcat(line, "-");
        }
        snprintf(line + strlen(line), sizeof line - strlen(line), " %.*s --|", (int)len, label);
    }
    fprintf(f, "    %s\n", line);
}

void tool_trace_cb(void *user, const latch_conn *c, const latch_trace_event *ev)
{
    tool_trace *t = user;
    FILE *f = t->out;
    const char *who = latch_conn_is_server(c) ? "server" : "client";
    char label[128];
    const char *why;

    if (t->left == NULL) {
        fprintf(f, "\n    client%*sserver\n", WIDTH - 9, "");
        t->left = "client";
    }
    switch (ev->kind) {
    case LATCH_TRACE_HANDSHAKE:
    case LATCH_TRACE_APP_DATA:
    case LATCH_TRACE_ALERT:
    case LATCH_TRACE_CCS:
        /* In the demo both ends trace: draw each message once, when sent. */
        if (t->explain && !ev->sent) {
            return;
        }
        snprintf(label, sizeof label, "%s (%zu byte%s)", ev->name, ev->length, ev->length == 1 ? "" : "s");
        arrow(f, ev->from_client, label);
        if (ev->summary[0] != '\0') {
            wrapped(f, "    |     ", ev->summary);
        }
        if (t->explain && (why = explain(ev)) != NULL) {
            wrapped(f, "    |     > ", why);
        }
        break;
    case LATCH_TRACE_KEYS:
        if (!ev->sent) {
            return; /* one line per key change: the sending side's */
        }
        snprintf(label, sizeof label, "[%s] %s", who, ev->summary);
        wrapped(f, "    |  ", label);
        break;
    case LATCH_TRACE_CHECK: {
        char line[1200];

        snprintf(line, sizeof line, "[%s] %s: %s", who, ev->name, ev->summary);
        wrapped(f, "    |  ", line);
        break;
    }
    }
    fflush(f);
}
