/*
 * latch client: connect, handshake, print what was negotiated, then copy
 * stdin to the connection and the connection to stdout until both sides
 * have closed.
 */
#include "tool.h"

#include <latch/io.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: latch client HOST:PORT [options]\n"
            "\n"
            "Connects, handshakes, prints a summary to stderr (version, suite, group, signature\n"
            "scheme, ALPN, the server's chain and whether it verified), then copies stdin to the\n"
            "connection and the connection to stdout. At the end of stdin it sends close_notify\n"
            "and waits for the server's. Exit status 0 only after a verified handshake and a\n"
            "clean close.\n"
            "\n"
            "options:\n"
            "  --ca FILE            trust the CAs in FILE (default: the system store)\n"
            "  --capath DIR         trust the CAs in an OpenSSL hashed directory\n"
            "  --servername NAME    the name to send (SNI) and verify (default: HOST)\n"
            "  --cert FILE --key FILE\n"
            "                       a client certificate chain and key (repeatable)\n"
            "  --alpn LIST          ALPN protocols to offer, e.g. h2,http/1.1\n"
            "  --tls1.3             TLS 1.3 only\n"
            "  --tls1.2             TLS 1.2 only (default: TLS 1.3 or 1.2, by negotiation)\n"
            "  --ciphers LIST       cipher suites, ':'-separated (IANA or OpenSSL names), e.g.\n"
            "                       TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256\n"
            "  --legacy-rsa-kx      allow TLS 1.2 RSA key transport (AES128-GCM-SHA256,\n"
            "                       AES256-GCM-SHA384): no forward secrecy, off by default\n"
            "  --groups LIST        key exchange groups, e.g. x25519:secp256r1\n"
            "  --sigalgs LIST       signature schemes, e.g. ecdsa_secp256r1_sha256\n"
            "  --insecure, -k       do NOT verify the server's certificate (testing only)\n"
            "  --keylog FILE        append NSS key log lines (SSLKEYLOGFILE format) to FILE\n"
            "  --trace              draw the handshake as a sequence diagram on stderr\n"
            "  --sess-out FILE      save the session (the server's newest ticket) to FILE at the end\n"
            "  --sess-in FILE       offer the session saved in FILE (resumption)\n"
            "  --early-data FILE    send FILE as 0-RTT early data (needs --sess-in and a server\n"
            "                       that allows it); sent again as ordinary data if declined\n"
            "  --reconnect          read stdin first, then connect twice, sending it each time;\n"
            "                       the second connection resumes the first's session\n"
            "  --keymatexport LABEL print keying material exported with LABEL (RFC 8446 §7.5 / RFC 5705)\n"
            "  --keymatexportlen N  how many bytes to export (default 20)\n"
            "  --key-update         after the handshake, update our keys and ask the server to\n"
            "                       update its own (TLS 1.3 KeyUpdate)\n"
            "  --quiet              no summary\n");
}

/* Read a whole file (at most cap bytes); -1 on error. */
static long read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    if (f == NULL) {
        fprintf(stderr, "latch client: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    n = fread(buf, 1, cap, f);
    if (ferror(f) || (n == cap && fgetc(f) != EOF)) {
        fprintf(stderr, "latch client: %s is unreadable or too large\n", path);
        fclose(f);
        return -1;
    }
    fclose(f);
    return (long)n;
}

static int save_session(const latch_conn *c, const char *path)
{
    uint8_t buf[8192];
    size_t n;
    latch_err e = latch_conn_session(c, buf, sizeof buf, &n);
    FILE *f;

    if (e != LATCH_OK) {
        tool_err("client", "--sess-out", e);
        return 1;
    }
    f = fopen(path, "wb");
    if (f == NULL || fwrite(buf, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "latch client: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

static int split_host_port(char *arg, char **host, char **port)
{
    char *colon;

    if (arg[0] == '[') {
        char *end = strchr(arg, ']');

        if (end == NULL || end[1] != ':') {
            return -1;
        }
        *end = '\0';
        *host = arg + 1;
        *port = end + 2;
        return 0;
    }
    colon = strrchr(arg, ':');
    if (colon == NULL || colon == arg || colon[1] == '\0') {
        return -1;
    }
    *colon = '\0';
    *host = arg;
    *port = colon + 1;
    return 0;
}

static int connect_to(const char *host, const char *port)
{
    struct addrinfo hints, *res, *ai;
    int fd = -1, rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "latch client: %s:%s: %s\n", host, port, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        close(fd);
        fd = -1;
    }
    if (fd < 0) {
        fprintf(stderr, "latch client: cannot connect to %s:%s: %s\n", host, port, strerror(errno));
    }
    freeaddrinfo(res);
    return fd;
}

static int conn_failed(const latch_conn *c, const char *when, latch_err e)
{
    char buf[600];

    if (latch_conn_error(c)->code != LATCH_OK) {
        latch_conn_error_string(c, buf, sizeof buf);
        fprintf(stderr, "latch client: %s: %s\n", when, buf);
    } else {
        tool_err("client", when, e);
    }
    return 1;
}

/* Copy stdin <-> connection until both directions are closed. */
static int relay(latch_conn *c, int fd, bool *clean)
{
    uint8_t in[16384], out[16384];
    size_t pend_off = 0, pend_len = 0;
    bool stdin_eof = false, peer_closed = false, sent_close = false;

    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    *clean = false;
    while (!(peer_closed && sent_close)) {
        struct pollfd p[2];
        nfds_t np = 1;
        latch_err e;

        p[0].fd = fd;
        p[0].events = (short)((peer_closed ? 0 : POLLIN) |
                              ((latch_conn_state(c) & LATCH_STATE_HAS_OUTPUT) || pend_len > 0 ? POLLOUT : 0));
        p[1].fd = STDIN_FILENO;
        p[1].events = POLLIN;
        if (!stdin_eof && pend_len == 0) {
            np = 2;
        }
        if (p[0].events == 0 && np == 1) {
            break;
        }
        if (poll(p, np, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("latch client: poll");
            return 1;
        }
        if (np == 2 && (p[1].revents & (POLLIN | POLLHUP))) {
            ssize_t r = read(STDIN_FILENO, in, sizeof in);

            if (r <= 0) {
                stdin_eof = true;
                e = latch_fd_close(c, fd);
                if (e != LATCH_OK && e != LATCH_ERR_WANT_WRITE) {
                    return conn_failed(c, "closing", e);
                }
                sent_close = true;
            } else {
                pend_off = 0;
                pend_len = (size_t)r;
            }
        }
        if (pend_len > 0) {
            size_t n = 0;

            e = latch_fd_write(c, fd, in + pend_off, pend_len, &n);
            pend_off += n;
            pend_len -= n;
            if (e != LATCH_OK && e != LATCH_ERR_WANT_WRITE) {
                return conn_failed(c, "sending", e);
            }
        } else if (latch_conn_state(c) & LATCH_STATE_HAS_OUTPUT) {
            e = latch_fd_flush(c, fd);
            if (e != LATCH_OK && e != LATCH_ERR_WANT_WRITE) {
                return conn_failed(c, "sending", e);
            }
        }
        while (!peer_closed) {
            size_t n = 0;

            e = latch_fd_read(c, fd, out, sizeof out, &n);
            if (e == LATCH_OK) {
                if (fwrite(out, 1, n, stdout) != n) {
                    perror("latch client: stdout");
                    return 1;
                }
                fflush(stdout);
                continue;
            }
            if (e == LATCH_ERR_CLOSE_NOTIFY) {
                peer_closed = true;
                *clean = true;
                if (!sent_close) {
                    /* The server is done: answer its close_notify, stop sending stdin. */
                    if (latch_fd_close(c, fd) == LATCH_OK) {
                        sent_close = true;
                    }
                    stdin_eof = true;
                    sent_close = true;
                }
                break;
            }
            if (e == LATCH_ERR_WANT_READ || e == LATCH_ERR_WANT_WRITE) {
                break;
            }
            if (e == LATCH_ERR_TRUNCATED) {
                fprintf(stderr, "latch client: the server closed the connection without close_notify\n");
                return 1;
            }
            return conn_failed(c, "receiving", e);
        }
    }
    return 0;
}

/* --reconnect: the data is sent; close our side and read until the server closes. */
static int relay_rest(latch_conn *c, int fd, bool *clean)
{
    uint8_t out[16384];
    latch_err e = latch_fd_close(c, fd);

    *clean = false;
    if (e != LATCH_OK) {
        return conn_failed(c, "closing", e);
    }
    for (;;) {
        size_t n = 0;

        e = latch_fd_read(c, fd, out, sizeof out, &n);
        if (e == LATCH_OK) {
            if (fwrite(out, 1, n, stdout) != n) {
                return 1;
            }
            continue;
        }
        fflush(stdout);
        if (e == LATCH_ERR_CLOSE_NOTIFY) {
            *clean = true;
            return 0;
        }
        if (e == LATCH_ERR_TRUNCATED) {
            fprintf(stderr, "latch client: the server closed the connection without close_notify\n");
            return 1;
        }
        return conn_failed(c, "receiving", e);
    }
}

int cmd_client(int argc, char **argv)
{
    tool_opts o;
    char *target = NULL, *host, *port;
    const char *servername = NULL, *sess_out = NULL, *sess_in = NULL, *early_file = NULL;
    bool quiet = false, clean = false, reconnect = false, key_update = false;
    const char *export_label = NULL;
    unsigned long export_len = 20;
    static uint8_t early[16384], sess[8192], input[1 << 20];
    long early_len = 0, sess_len = 0, input_len = 0;
    latch_config *cfg;
    latch_conn *c = NULL;
    latch_err e;
    int fd = -1, rc = 1;

    memset(&o, 0, sizeof o);
    for (int i = 1; i < argc; i++) {
        int r = tool_common_opt(&o, argc, argv, &i);

        if (r < 0) {
            return 2;
        }
        if (r > 0) {
            continue;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--servername") == 0 && i + 1 < argc) {
            servername = argv[++i];
        } else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
            quiet = true;
        } else if (strcmp(argv[i], "--sess-out") == 0 && i + 1 < argc) {
            sess_out = argv[++i];
        } else if (strcmp(argv[i], "--sess-in") == 0 && i + 1 < argc) {
            sess_in = argv[++i];
        } else if (strcmp(argv[i], "--early-data") == 0 && i + 1 < argc) {
            early_file = argv[++i];
        } else if (strcmp(argv[i], "--reconnect") == 0) {
            reconnect = true;
        } else if (strcmp(argv[i], "--keymatexport") == 0 && i + 1 < argc) {
            export_label = argv[++i];
        } else if (strcmp(argv[i], "--keymatexportlen") == 0 && i + 1 < argc) {
            export_len = strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--key-update") == 0) {
            key_update = true;
        } else if (argv[i][0] != '-' && target == NULL) {
            target = argv[i];
        } else {
            fprintf(stderr, "latch client: unknown option '%s' (see --help)\n", argv[i]);
            return 2;
        }
    }
    if (o.verify_client != NULL || o.no_ca_list) {
        fprintf(stderr, "latch client: %s is a server option\n", o.no_ca_list ? "--no-ca-list" : "--verify-client");
        return 2;
    }
    if (target == NULL || split_host_port(target, &host, &port) != 0) {
        fprintf(stderr, "latch client: give the server as HOST:PORT (see --help)\n");
        return 2;
    }
    if (servername == NULL) {
        servername = host;
    }
    if (early_file != NULL && sess_in == NULL && !reconnect) {
        fprintf(stderr, "latch client: --early-data needs a session (--sess-in or --reconnect)\n");
        return 2;
    }
    if (sess_in != NULL && (sess_len = read_file(sess_in, sess, sizeof sess)) < 0) {
        return 1;
    }
    if (early_file != NULL && (early_len = read_file(early_file, early, sizeof early)) <= 0) {
        fprintf(stderr, "latch client: %s: early data must be 1 to 16384 bytes\n", early_file);
        return 1;
    }
    if (reconnect) {
        size_t got;

        while ((got = fread(input + input_len, 1, sizeof input - (size_t)input_len, stdin)) > 0) {
            input_len += (long)got;
        }
    }
    cfg = tool_config(&o, false);
    if (cfg == NULL) {
        return 1;
    }
    for (int round = 0; round < (reconnect ? 2 : 1); round++) {
        if (c != NULL) {
            /* Keep the first connection's session for the second. */
            size_t n = 0;

            if (latch_conn_session(c, sess, sizeof sess, &n) == LATCH_OK) {
                sess_len = (long)n;
            } else {
                fprintf(stderr, "latch client: the server gave no session to resume (no ticket; in TLS 1.2, no "
                                "session id either, or no extended master secret)\n");
            }
            latch_conn_free(c);
            c = NULL;
            close(fd);
        }
        fd = connect_to(host, port);
        if (fd < 0) {
            goto out;
        }
        e = latch_conn_new_client(cfg, servername, &c);
        if (e == LATCH_OK && sess_len > 0) {
            e = latch_conn_set_session(c, sess, (size_t)sess_len);
        }
        if (e == LATCH_OK && early_len > 0 && sess_len > 0) {
            e = latch_conn_write_early(c, early, (size_t)early_len);
        }
        if (e != LATCH_OK) {
            tool_err("client", "starting the connection", e);
            goto out;
        }
        e = latch_fd_handshake(c, fd);
        if (e != LATCH_OK) {
            conn_failed(c, "handshake failed", e);
            goto out;
        }
        if (!quiet) {
            fprintf(stderr, "latch client: connected to %s:%s%s\n", host, port,
                    reconnect ? (round == 0 ? " (first connection)" : " (second connection)") : "");
            tool_summary(stderr, c);
            if (sess_len > 0) {
                fprintf(stderr, "  resumed    %s\n", latch_conn_resumed(c) ? "yes" : "no (full handshake)");
            }
            if (early_len > 0 && sess_len > 0) {
                fprintf(stderr, "  early data %s\n",
                        latch_conn_early_status(c) == LATCH_EARLY_ACCEPTED   ? "accepted (0-RTT)"
                        : latch_conn_early_status(c) == LATCH_EARLY_REJECTED ? "declined, sent again after the handshake"
                                                                             : "not sent (the session does not allow it)");
            }
        }
        if (export_label != NULL) {
            uint8_t km[512];

            if (export_len == 0 || export_len > sizeof km) {
                fprintf(stderr, "latch client: --keymatexportlen must be 1 to %zu\n", sizeof km);
                goto out;
            }
            e = latch_conn_export_keying_material(c, export_label, NULL, 0, km, export_len);
            if (e != LATCH_OK) {
                tool_err("client", "--keymatexport", e);
                goto out;
            }
            fprintf(stderr, "  exported   ");
            for (unsigned long k = 0; k < export_len; k++) {
                fprintf(stderr, "%02X", km[k]);
            }
            fprintf(stderr, " (label \"%s\", no context)\n", export_label);
        }
        if (key_update) {
            e = latch_conn_key_update(c, true);
            if (e == LATCH_OK) {
                e = latch_fd_flush(c, fd);
            }
            if (e != LATCH_OK) {
                rc = conn_failed(c, "key update", e);
                goto out;
            }
            if (!quiet) {
                fprintf(stderr, "latch client: sent KeyUpdate (update_requested)\n");
            }
        }
        if (reconnect) {
            size_t n = 0;

            e = latch_fd_write(c, fd, input, (size_t)input_len, &n);
            if (e != LATCH_OK) {
                rc = conn_failed(c, "sending", e);
                goto out;
            }
            rc = relay_rest(c, fd, &clean);
        } else {
            rc = relay(c, fd, &clean);
        }
        if (rc != 0) {
            goto out;
        }
    }
    if (sess_out != NULL && save_session(c, sess_out) != 0) {
        rc = 1;
        goto out;
    }
    if (rc == 0 && !clean) {
        fprintf(stderr, "latch client: the connection did not close cleanly\n");
        rc = 1;
    }
    if (rc == 0 && latch_conn_verify_result(c) != LATCH_OK) {
        fprintf(stderr, "latch client: the server's certificate was not verified (--insecure): %s\n",
                latch_err_str(latch_conn_verify_result(c)));
        rc = 3;
    }
out:
    latch_conn_free(c);
    latch_config_free(cfg);
    if (fd >= 0) {
        close(fd);
    }
    return rc;
}
