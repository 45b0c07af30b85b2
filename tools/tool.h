/* Shared pieces of the latch tool. The tool uses only latch's public API. */
#ifndef LATCH_TOOL_H
#define LATCH_TOOL_H

#include <latch/latch.h>
#include <stdbool.h>
#include <stdio.h>

#define TOOL_MAX_CERTS 8

/* Options common to client and server. */
typedef struct tool_opts {
    const char *ca_file;
    const char *ca_dir;
    const char *certs[TOOL_MAX_CERTS];
    const char *keys[TOOL_MAX_CERTS];
    int n_certs, n_keys;
    const char *alpn;
    const char *ciphers;
    const char *groups;
    const char *sigalgs;
    const char *keylog;
    uint16_t min_version, max_version;
    bool insecure;
    bool trace;
    bool legacy_rsa_kx;
    bool no_ca_list; /* --no-ca-list: a server's CertificateRequest names no CAs */
    const char *verify_client; /* server: optional | require */
} tool_opts;

/* Parse a common option at argv[*i]; returns 1 if it was one, 0 if not, -1 on error. */
int tool_common_opt(tool_opts *o, int argc, char **argv, int *i);
/* Build a config from the options (client or server); prints the reason and returns NULL on failure. */
latch_config *tool_config(const tool_opts *o, bool server);
/* Print "latch <cmd>: <what>: <latch error text>" for the thread's last error. */
void tool_err(const char *cmd, const char *what, latch_err e);
/* The key exchange of a connection: its group, or "RSA key transport" (TLS 1.2). */
const char *tool_kx_name(const latch_conn *c);
/* Print the connection summary (version, suite, ..., peer chain, verification). */
void tool_summary(FILE *f, const latch_conn *c);

/* Sequence-diagram tracing. */
typedef struct tool_trace {
    FILE *out;
    bool explain; /* add the one-line "what this achieves" to each step */
    bool classic; /* also number the steps of the classic TLS 1.2 RSA handshake description */
    unsigned steps_shown; /* bit n: step n's heading was printed */
    const char *left, *right;
} tool_trace;
void tool_trace_init(tool_trace *t, FILE *out, bool explain);
void tool_trace_cb(void *user, const latch_conn *c, const latch_trace_event *ev);

int cmd_certs(int argc, char **argv);
int cmd_client(int argc, char **argv);
int cmd_server(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_selftest(int argc, char **argv);

#endif
