/* Options, config building and summaries shared by the tool's commands. */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

static const char *need_arg(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "latch: %s needs an argument\n", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

int tool_common_opt(tool_opts *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    const char **dst = NULL;

    if (strcmp(a, "--ca") == 0 || strcmp(a, "--CAfile") == 0 || strcmp(a, "--cacert") == 0) {
        dst = &o->ca_file;
    } else if (strcmp(a, "--capath") == 0 || strcmp(a, "--ca-dir") == 0) {
        dst = &o->ca_dir;
    } else if (strcmp(a, "--alpn") == 0) {
        dst = &o->alpn;
    } else if (strcmp(a, "--ciphers") == 0 || strcmp(a, "--cipher") == 0 || strcmp(a, "--ciphersuites") == 0) {
        dst = &o->ciphers;
    } else if (strcmp(a, "--groups") == 0 || strcmp(a, "--curves") == 0) {
        dst = &o->groups;
    } else if (strcmp(a, "--sigalgs") == 0) {
        dst = &o->sigalgs;
    } else if (strcmp(a, "--keylog") == 0) {
        dst = &o->keylog;
    } else if (strcmp(a, "--verify-client") == 0) {
        dst = &o->verify_client;
    } else if (strcmp(a, "--cert") == 0) {
        if (o->n_certs == TOOL_MAX_CERTS) {
            fprintf(stderr, "latch: at most %d certificates\n", TOOL_MAX_CERTS);
            return -1;
        }
        dst = &o->certs[o->n_certs++];
    } else if (strcmp(a, "--key") == 0) {
        if (o->n_keys == TOOL_MAX_CERTS) {
            fprintf(stderr, "latch: at most %d keys\n", TOOL_MAX_CERTS);
            return -1;
        }
        dst = &o->keys[o->n_keys++];
    } else if (strcmp(a, "--tls1.2") == 0 || strcmp(a, "--tls1_2") == 0) {
        o->min_version = o->max_version = LATCH_TLS12;
        return 1;
    } else if (strcmp(a, "--tls1.3") == 0 || strcmp(a, "--tls1_3") == 0) {
        o->min_version = o->max_version = LATCH_TLS13;
        return 1;
    } else if (strcmp(a, "--legacy-rsa-kx") == 0) {
        o->legacy_rsa_kx = true;
        return 1;
    } else if (strcmp(a, "--no-ca-list") == 0) {
        o->no_ca_list = true;
        return 1;
    } else if (strcmp(a, "--insecure") == 0 || strcmp(a, "-k") == 0) {
        o->insecure = true;
        return 1;
    } else if (strcmp(a, "--trace") == 0) {
        o->trace = true;
        return 1;
    } else {
        return 0;
    }
    *dst = need_arg(argc, argv, i);
    return *dst == NULL ? -1 : 1;
}

void tool_err(const char *cmd, const char *what, latch_err e)
{
    const latch_error_info *ei = latch_last_error();

    if (ei->code == e && ei->detail[0] != '\0') {
        fprintf(stderr, "latch %s: %s: %s: %s\n", cmd, what, latch_err_str(e), ei->detail);
    } else {
        fprintf(stderr, "latch %s: %s: %s\n", cmd, what, latch_err_str(e));
    }
}

static void keylog_cb(void *user, const latch_conn *c, const char *line)
{
    FILE *f = user;

    (void)c;
    fprintf(f, "%s\n", line);
    fflush(f);
}

static tool_trace trace_state;

latch_config *tool_config(const tool_opts *o, bool server)
{
    const char *cmd = server ? "server" : "client";
    latch_config *cfg = NULL;
    latch_err e;

    e = latch_config_new(&cfg);
    if (e != LATCH_OK) {
        tool_err(cmd, "creating the config", e);
        return NULL;
    }
    if (o->n_certs != o->n_keys) {
        fprintf(stderr, "latch %s: each --cert needs a --key (got %d and %d)\n", cmd, o->n_certs, o->n_keys);
        goto fail;
    }
    for (int i = 0; i < o->n_certs; i++) {
        e = latch_config_add_cert_file(cfg, o->certs[i], o->keys[i]);
        if (e != LATCH_OK) {
            tool_err(cmd, o->certs[i], e);
            goto fail;
        }
    }
    if (o->ca_file != NULL && (e = latch_config_load_ca_file(cfg, o->ca_file)) != LATCH_OK) {
        tool_err(cmd, o->ca_file, e);
        goto fail;
    }
    if (o->ca_dir != NULL && (e = latch_config_load_ca_dir(cfg, o->ca_dir)) != LATCH_OK) {
        tool_err(cmd, o->ca_dir, e);
        goto fail;
    }
    if (o->min_version != 0 && (e = latch_config_set_versions(cfg, o->min_version, o->max_version)) != LATCH_OK) {
        tool_err(cmd, "versions", e);
        goto fail;
    }
    /* Before --ciphers, which accepts the RSA key transport names only after it. */
    if (o->legacy_rsa_kx) {
        fprintf(stderr, "latch %s: WARNING: --legacy-rsa-kx: TLS 1.2 RSA key transport is allowed; those sessions "
                        "have no forward secrecy\n",
                cmd);
        if ((e = latch_config_enable_legacy_rsa_kx(cfg)) != LATCH_OK) {
            tool_err(cmd, "--legacy-rsa-kx", e);
            goto fail;
        }
    }
    if (o->ciphers != NULL && (e = latch_config_set_ciphers(cfg, o->ciphers)) != LATCH_OK) {
        bool rsa_kx = strstr(latch_last_error()->detail, "RSA key transport") != NULL;

        tool_err(cmd, "--ciphers", e);
        if (rsa_kx) {
            fprintf(stderr, "latch %s: add --legacy-rsa-kx to allow RSA key transport (no forward secrecy)\n", cmd);
        }
        goto fail;
    }
    if (o->groups != NULL && (e = latch_config_set_groups(cfg, o->groups)) != LATCH_OK) {
        tool_err(cmd, "--groups", e);
        goto fail;
    }
    if (o->sigalgs != NULL && (e = latch_config_set_sigalgs(cfg, o->sigalgs)) != LATCH_OK) {
        tool_err(cmd, "--sigalgs", e);
        goto fail;
    }
    if (o->alpn != NULL && (e = latch_config_set_alpn(cfg, o->alpn)) != LATCH_OK) {
        tool_err(cmd, "--alpn", e);
        goto fail;
    }
    if (o->verify_client != NULL) {
        latch_client_auth mode;

        if (strcmp(o->verify_client, "optional") == 0) {
            mode = LATCH_CLIENT_AUTH_OPTIONAL;
        } else if (strcmp(o->verify_client, "require") == 0) {
            mode = LATCH_CLIENT_AUTH_REQUIRE;
        } else if (strcmp(o->verify_client, "none") == 0) {
            mode = LATCH_CLIENT_AUTH_NONE;
        } else {
            fprintf(stderr, "latch %s: --verify-client takes none, optional or require\n", cmd);
            goto fail;
        }
        if (mode != LATCH_CLIENT_AUTH_NONE && o->ca_file == NULL && o->ca_dir == NULL) {
            fprintf(stderr, "latch %s: --verify-client needs --ca with the CAs that issue client certificates\n", cmd);
            goto fail;
        }
        if ((e = latch_config_set_client_auth(cfg, mode)) != LATCH_OK) {
            tool_err(cmd, "--verify-client", e);
            goto fail;
        }
    }
    if (o->no_ca_list && (e = latch_config_set_client_ca_list(cfg, false)) != LATCH_OK) {
        tool_err(cmd, "--no-ca-list", e);
        goto fail;
    }
    if (o->insecure) {
        fprintf(stderr, "latch %s: WARNING: --insecure: the server's certificate is NOT verified; "
                        "anyone on the path can impersonate it\n",
                cmd);
        if ((e = latch_config_insecure_no_verify(cfg)) != LATCH_OK) {
            tool_err(cmd, "--insecure", e);
            goto fail;
        }
    }
    if (o->keylog != NULL) {
        FILE *f = fopen(o->keylog, "a");

        if (f == NULL) {
            fprintf(stderr, "latch %s: cannot open key log %s\n", cmd, o->keylog);
            goto fail;
        }
        fprintf(stderr, "latch %s: writing TLS secrets to %s (for Wireshark; keep it private)\n", cmd, o->keylog);
        if ((e = latch_config_set_keylog(cfg, keylog_cb, f)) != LATCH_OK) {
            tool_err(cmd, "--keylog", e);
            fclose(f);
            goto fail;
        }
    }
    if (o->trace) {
        tool_trace_init(&trace_state, stderr, false);
        if ((e = latch_config_set_trace(cfg, tool_trace_cb, &trace_state)) != LATCH_OK) {
            tool_err(cmd, "--trace", e);
            goto fail;
        }
    }
    return cfg;
fail:
    latch_config_free(cfg);
    return NULL;
}

const char *tool_kx_name(const latch_conn *c)
{
    if (latch_conn_group(c) != 0) {
        return latch_group_name(latch_conn_group(c));
    }
    if (latch_conn_resumed(c)) {
        return "no-dhe"; /* TLS 1.3 psk_ke, or a resumed TLS 1.2 session */
    }
    return latch_conn_version(c) == LATCH_TLS12 ? "RSA key transport" : "none";
}

void tool_summary(FILE *f, const latch_conn *c)
{
    size_t n = latch_conn_peer_cert_count(c);
    latch_err v = latch_conn_verify_result(c);
    char buf[512];

    fprintf(f, "  protocol   %s\n", latch_version_name(latch_conn_version(c)));
    fprintf(f, "  suite      %s\n", latch_suite_name(latch_conn_cipher_suite(c)));
    fprintf(f, "  group      %s%s\n", tool_kx_name(c),
            latch_conn_hrr(c) ? " (after HelloRetryRequest)" : "");
    if (latch_conn_peer_sigalg(c) != 0) {
        fprintf(f, "  peer sig   %s\n", latch_sigalg_name(latch_conn_peer_sigalg(c)));
    }
    if (latch_conn_sigalg(c) != 0) {
        fprintf(f, "  our sig    %s\n", latch_sigalg_name(latch_conn_sigalg(c)));
    }
    fprintf(f, "  ALPN       %s\n", latch_conn_alpn(c) != NULL ? latch_conn_alpn(c) : "(none)");
    if (latch_conn_server_name(c) != NULL) {
        fprintf(f, "  name       %s\n", latch_conn_server_name(c));
    }
    for (size_t i = 0; i < n; i++) {
        if (latch_conn_peer_cert_subject(c, i, buf, sizeof buf) == LATCH_OK) {
            fprintf(f, "  peer[%zu]    subject %s\n", i, buf);
        }
        if (latch_conn_peer_cert_issuer(c, i, buf, sizeof buf) == LATCH_OK) {
            fprintf(f, "             issuer  %s\n", buf);
        }
        if (i == 0 && latch_conn_peer_cert_sans(c, i, buf, sizeof buf) == LATCH_OK && buf[0] != '\0') {
            fprintf(f, "             names   %s\n", buf);
        }
    }
    if (n == 0) {
        fprintf(f, "  peer       no certificate\n");
    }
    if (v == LATCH_OK) {
        fprintf(f, "  verified   yes\n");
    } else if (v != LATCH_ERR_BAD_STATE && v != LATCH_ERR_NO_CERTIFICATE) {
        fprintf(f, "  verified   NO: %s\n", latch_err_str(v));
    }
}
