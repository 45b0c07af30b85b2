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

/* Handshake message types (RFC 8446 §4, RFC 5246 §7.4), for the explanations. */
enum {
    HS_HELLO_REQUEST = 0,
    HS_CLIENT_HELLO = 1,
    HS_SERVER_HELLO = 2,
    HS_NEW_SESSION_TICKET = 4,
    HS_END_OF_EARLY_DATA = 5,
    HS_ENCRYPTED_EXTENSIONS = 8,
    HS_CERTIFICATE = 11,
    HS_SERVER_KEY_EXCHANGE = 12,
    HS_CERTIFICATE_REQUEST = 13,
    HS_SERVER_HELLO_DONE = 14,
    HS_CERTIFICATE_VERIFY = 15,
    HS_CLIENT_KEY_EXCHANGE = 16,
    HS_FINISHED = 20,
    HS_KEY_UPDATE = 24
};

void tool_trace_init(tool_trace *t, FILE *out, bool explain)
{
    memset(t, 0, sizeof *t);
    t->out = out;
    t->explain = explain;
}

/* TLS 1.2 (RFC 5246 §7.3): the same messages mean other things, and more exist. */
static const char *explain12(const latch_conn *c, const latch_trace_event *ev)
{
    bool client = ev->from_client, rsa = latch_conn_group(c) == 0;

    switch (ev->hs_type) {
    case HS_CLIENT_HELLO:
        return "the versions and cipher suites the client can use, and the client random: 32 fresh random bytes";
    case HS_SERVER_HELLO:
        return "the server picks the version and the cipher suite, and sends the server random: 32 more fresh bytes";
    case HS_CERTIFICATE:
        return client ? "the client's certificate chain, for the server to check against its client CAs"
                      : "the server's certificate chain: its name and its public key, vouched for by a CA";
    case HS_SERVER_KEY_EXCHANGE:
        return "the server's ephemeral ECDHE public key, signed with its certificate's key over both randoms";
    case HS_CERTIFICATE_REQUEST:
        return "asks the client for a certificate, naming the certificate types, signature schemes and CAs it accepts";
    case HS_SERVER_HELLO_DONE: return "the server has said all it has to say; the client's turn";
    case HS_CLIENT_KEY_EXCHANGE:
        return rsa ? "the premaster secret, encrypted with the public key from the server's certificate: only the "
                     "server's private key can decrypt it"
                   : "the client's ephemeral ECDHE public key: with the server's, both sides compute the premaster "
                     "secret";
    case HS_CERTIFICATE_VERIFY:
        return "a signature over the handshake messages so far: proof of holding the certificate's private key";
    case HS_FINISHED:
        return "a MAC over the whole handshake, under the new session keys: proves both sides saw the same "
               "messages and derived the same keys";
    case HS_NEW_SESSION_TICKET: return "a ticket the client may show later to resume this session";
    case HS_HELLO_REQUEST: return "the server asks to renegotiate (latch never does)";
    default: return NULL;
    }
}

static const char *explain(const latch_conn *c, const latch_trace_event *ev)
{
    bool client = ev->from_client;

    if (latch_conn_version(c) == LATCH_TLS12 || (ev->kind == LATCH_TRACE_HANDSHAKE && ev->hs_type == HS_CLIENT_HELLO &&
                                                 latch_conn_version(c) == 0 && !latch_conn_is_server(c) &&
                                                 strstr(ev->summary, "TLSv1.3") == NULL)) {
        if (ev->kind == LATCH_TRACE_HANDSHAKE) {
            return explain12(c, ev);
        }
        if (ev->kind == LATCH_TRACE_CCS) {
            return "from the next record on, this side encrypts with the session keys";
        }
        if (ev->kind == LATCH_TRACE_APP_DATA) {
            return "application data, encrypted with the session keys";
        }
    }
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

/*
 * The classic description of a TLS 1.2 handshake with RSA key transport
 * (as textbooks and vendors tell it), step by step.
 */
static const char *const classic_steps[] = {
    NULL,
    "Client hello: the client offers its versions and cipher suites, and a client random",
    "Server hello: the server answers with the chosen suite, a server random and its certificate",
    "Authentication: the client checks the server's certificate with the CA that issued it",
    "The premaster secret: the client sends one more random secret, encrypted with the server's public key",
    "Private key used: the server, as the client's messages arrive, decrypts the premaster secret with its "
    "private key",
    "Session keys created: each side derives the same keys from the client random, the server random and the "
    "premaster secret",
    "Client is ready: the client switches to the session keys and sends its Finished message",
    "Server is ready: the server switches to the session keys and sends its Finished message",
    "Secure symmetric encryption achieved: application data flows under the session keys",
};

/* The step an event belongs to, 0 if none. */
static unsigned classic_step(const latch_trace_event *ev)
{
    switch (ev->kind) {
    case LATCH_TRACE_HANDSHAKE:
        if (!ev->sent) {
            return 0;
        }
        return ev->hs_type == HS_CLIENT_HELLO ? 1 : ev->hs_type == HS_SERVER_HELLO ? 2 : 0;
    case LATCH_TRACE_CHECK:
        if (strcmp(ev->name, "certificate verified") == 0 && ev->from_client) {
            return 3;
        }
        if (strcmp(ev->name, "premaster secret") == 0) {
            return ev->from_client ? 4 : 5;
        }
        return strcmp(ev->name, "keys") == 0 ? 6 : 0;
    case LATCH_TRACE_CCS:
        return ev->sent ? (ev->from_client ? 7 : 8) : 0;
    case LATCH_TRACE_APP_DATA: return ev->sent ? 9 : 0;
    case LATCH_TRACE_ALERT:
    case LATCH_TRACE_KEYS: return 0;
    }
    return 0;
}

void tool_trace_cb(void *user, const latch_conn *c, const latch_trace_event *ev)
{
    tool_trace *t = user;
    FILE *f = t->out;
    const char *who = latch_conn_is_server(c) ? "server" : "client";
    char label[128];
    const char *why;
    unsigned step;

    if (t->left == NULL) {
        fprintf(f, "\n    client%*sserver\n", WIDTH - 9, "");
        t->left = "client";
    }
    step = t->classic ? classic_step(ev) : 0;
    if (step != 0 && !(t->steps_shown & (1u << step))) {
        char heading[300];

        t->steps_shown |= 1u << step;
        snprintf(heading, sizeof heading, "Step %u. %s", step, classic_steps[step]);
        fprintf(f, "    |\n");
        wrapped(f, "    | ** ", heading);
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
        if (t->explain && (why = explain(c, ev)) != NULL) {
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
