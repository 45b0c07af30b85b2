/*
 * latch server: many concurrent connections on non-blocking sockets with
 * epoll. Each connection echoes what it receives (--echo, the default) or
 * answers an HTTP request with a page describing what was negotiated (--www).
 */
#define _GNU_SOURCE 1 /* accept4 */

#include "tool.h"

#include <latch/io.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define REQ_MAX 8192

typedef struct sconn {
    int fd;
    latch_conn *c;
    char peer[80];
    bool reported;
    bool closing;
    uint8_t *pend; /* echo data waiting to be written */
    size_t pend_len, pend_cap;
    char req[REQ_MAX];
    size_t req_len;
    double deadline; /* monotonic seconds: handshake or idle limit (--timeout); 0 = none */
    struct sconn *prev, *next;
} sconn;

typedef struct server {
    latch_config *cfg;
    int lfd, ep;
    bool www;
    size_t live, max_conns;
    long accept_limit; /* exit after this many connections (0 = never) */
    long finished;
    double timeout; /* --timeout seconds (0 = never) */
    sconn *conns;   /* every live connection, for the timeout sweep */
} server;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: latch server --cert FILE --key FILE [options]\n"
            "\n"
            "Serves TLS on --port (default 4433), many connections at once. Each connection\n"
            "echoes what it receives (--echo, the default), or answers any HTTP request with a\n"
            "page showing what was negotiated (--www). One line per connection on stderr.\n"
            "\n"
            "options:\n"
            "  --cert FILE --key FILE   a certificate chain (leaf first) and its key; repeat for\n"
            "                           several (chosen by SNI and the client's signature schemes)\n"
            "  --host ADDR              address to listen on (default: all)\n"
            "  --port N                 port (default 4433; 0 picks a free one, printed on stderr)\n"
            "  --www | --echo           what to do with the data\n"
            "  --ca FILE                CAs for client certificates\n"
            "  --verify-client MODE     none, optional or require a client certificate\n"
            "  --no-ca-list             do not name the accepted CAs in the certificate request\n"
            "  --strict-sni             refuse (unrecognized_name) a server name no --cert matches,\n"
            "                           instead of serving the first --cert\n"
            "  --alpn LIST              ALPN protocols we accept, in our order of preference\n"
            "  --tls1.3                 TLS 1.3 only\n"
            "  --tls1.2                 TLS 1.2 only (default: TLS 1.3 or 1.2, by negotiation)\n"
            "  --ciphers LIST --groups LIST --sigalgs LIST\n"
            "                           algorithms, as for latch client\n"
            "  --legacy-rsa-kx          also accept TLS 1.2 RSA key transport (no forward secrecy)\n"
            "  --early-data             accept 0-RTT early data (up to 16 KiB) from resuming clients\n"
            "  --session-cache          keep sessions in a cache (single-use tickets) instead of\n"
            "                           stateless tickets\n"
            "  --no-tickets             no session resumption\n"
            "  --max-conns N            most simultaneous connections (default 1024)\n"
            "  --timeout SECS           close a connection whose handshake is not done SECS seconds\n"
            "                           after it was accepted, or that stays idle SECS seconds\n"
            "                           (default 60; 0 = never)\n"
            "  --accept N               exit after N connections (for scripts)\n"
            "  --keylog FILE            append NSS key log lines to FILE\n"
            "  --trace                  draw every handshake on stderr\n");
}

static int listen_on(const char *host, const char *port)
{
    struct addrinfo hints, *res, *ai;
    int fd = -1, one = 1, rc;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char h[NI_MAXHOST], p[NI_MAXSERV];

    memset(&hints, 0, sizeof hints);
    hints.ai_family = host == NULL ? AF_INET6 : AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0 && host == NULL) {
        hints.ai_family = AF_INET;
        rc = getaddrinfo(host, port, &hints, &res);
    }
    if (rc != 0) {
        fprintf(stderr, "latch server: %s:%s: %s\n", host ? host : "*", port, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        int zero = 0;

        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd < 0) {
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (ai->ai_family == AF_INET6) {
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        }
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 128) == 0) {
            break;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        fprintf(stderr, "latch server: cannot listen on %s:%s: %s\n", host ? host : "*", port, strerror(errno));
        return -1;
    }
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
        getnameinfo((struct sockaddr *)&ss, sl, h, sizeof h, p, sizeof p, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
        fprintf(stderr, "latch server: listening on %s port %s\n", h, p);
    }
    return fd;
}

static void conn_close(server *s, sconn *sc, const char *why)
{
    if (why != NULL) {
        fprintf(stderr, "latch server: [%s] %s\n", sc->peer, why);
    }
    epoll_ctl(s->ep, EPOLL_CTL_DEL, sc->fd, NULL);
    close(sc->fd);
    if (sc->prev != NULL) {
        sc->prev->next = sc->next;
    } else {
        s->conns = sc->next;
    }
    if (sc->next != NULL) {
        sc->next->prev = sc->prev;
    }
    latch_conn_free(sc->c);
    free(sc->pend);
    free(sc);
    s->live--;
    s->finished++;
}

static void report(sconn *sc)
{
    const latch_conn *c = sc->c;
    char subj[256] = "";

    if (latch_conn_peer_cert_count(c) > 0 && latch_conn_peer_cert_subject(c, 0, subj, sizeof subj) != LATCH_OK) {
        subj[0] = '\0';
    }
    fprintf(stderr, "latch server: [%s] %s %s %s%s%s%s%s%s%s%s\n", sc->peer, latch_version_name(latch_conn_version(c)),
            latch_suite_name(latch_conn_cipher_suite(c)), tool_kx_name(c), latch_conn_resumed(c) ? " resumed" : "",
            latch_conn_early_status(c) == LATCH_EARLY_ACCEPTED   ? " early-data=accepted"
            : latch_conn_early_status(c) == LATCH_EARLY_REJECTED ? " early-data=declined"
                                                                 : "",
            latch_conn_alpn(c) ? " alpn=" : "", latch_conn_alpn(c) ? latch_conn_alpn(c) : "",
            latch_conn_server_name(c) ? " sni=" : "", latch_conn_server_name(c) ? latch_conn_server_name(c) : "",
            subj[0] ? " client-cert=verified" : "");
    if (subj[0]) {
        fprintf(stderr, "latch server: [%s] client certificate: %s\n", sc->peer, subj);
    }
    sc->reported = true;
}

static void www_page(sconn *sc, char *out, size_t cap)
{
    const latch_conn *c = sc->c;
    char body[4096], subj[256], iss[256];
    size_t n = 0;
    latch_err v = latch_conn_verify_result(c);

#define ADD(...) n += (size_t)snprintf(body + n, n < sizeof body ? sizeof body - n : 0, __VA_ARGS__)
    ADD("latch server\n\n");
    ADD("protocol:          %s\n", latch_version_name(latch_conn_version(c)));
    ADD("cipher suite:      %s\n", latch_suite_name(latch_conn_cipher_suite(c)));
    ADD("key exchange:      %s%s\n", tool_kx_name(c),
        latch_conn_hrr(c) ? " (after HelloRetryRequest)" : "");
    ADD("server signature:  %s\n",
        latch_conn_sigalg(c) != 0 ? latch_sigalg_name(latch_conn_sigalg(c)) : "none (RSA key transport)");
    ADD("ALPN:              %s\n", latch_conn_alpn(c) ? latch_conn_alpn(c) : "(none)");
    ADD("SNI:               %s\n", latch_conn_server_name(c) ? latch_conn_server_name(c) : "(none)");
    if (latch_conn_peer_cert_count(c) > 0 && latch_conn_peer_cert_subject(c, 0, subj, sizeof subj) == LATCH_OK &&
        latch_conn_peer_cert_issuer(c, 0, iss, sizeof iss) == LATCH_OK) {
        ADD("client certificate: %s\n", subj);
        ADD("  issued by:        %s\n", iss);
        ADD("  verified:         %s\n", v == LATCH_OK ? "yes" : latch_err_str(v));
        ADD("  client signature: %s\n", latch_sigalg_name(latch_conn_peer_sigalg(c)));
    } else {
        ADD("client certificate: none\n");
    }
#undef ADD
    if (n >= sizeof body) {
        n = sizeof body - 1;
    }
    snprintf(out, cap,
             "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%.*s", n,
             (int)n, body);
}

static bool queue(sconn *sc, const uint8_t *p, size_t n)
{
    if (sc->pend_len + n > sc->pend_cap) {
        size_t cap = (sc->pend_len + n) * 2;
        uint8_t *nb = realloc(sc->pend, cap);

        if (nb == NULL) {
            return false;
        }
        sc->pend = nb;
        sc->pend_cap = cap;
    }
    memcpy(sc->pend + sc->pend_len, p, n);
    sc->pend_len += n;
    return true;
}

/* Advance one connection as far as its socket allows. Returns false once closed. */
static bool drive(server *s, sconn *sc)
{
    uint8_t buf[16384];
    latch_err e;
    char why[700], err[600];

    e = latch_fd_handshake(sc->c, sc->fd);
    if (e == LATCH_ERR_WANT_READ || e == LATCH_ERR_WANT_WRITE) {
        return true;
    }
    if (e != LATCH_OK) {
        if (latch_conn_error(sc->c)->code != LATCH_OK) {
            latch_conn_error_string(sc->c, err, sizeof err);
            snprintf(why, sizeof why, "handshake failed: %.600s", err);
        } else {
            snprintf(why, sizeof why, "handshake failed: %s", latch_err_str(e));
        }
        conn_close(s, sc, why);
        return false;
    }
    if (!sc->reported) {
        report(sc);
    }
    /* Send what is pending first. */
    while (sc->pend_len > 0) {
        size_t n = 0;

        e = latch_fd_write(sc->c, sc->fd, sc->pend, sc->pend_len, &n);
        memmove(sc->pend, sc->pend + n, sc->pend_len - n);
        sc->pend_len -= n;
        if (e == LATCH_ERR_WANT_WRITE) {
            return true;
        }
        if (e != LATCH_OK) {
            conn_close(s, sc, "sending failed");
            return false;
        }
    }
    if (sc->closing) {
        e = latch_fd_flush(sc->c, sc->fd);
        if (e == LATCH_ERR_WANT_WRITE) {
            return true;
        }
        conn_close(s, sc, NULL);
        return false;
    }
    for (;;) {
        size_t n = 0;

        e = latch_fd_read(sc->c, sc->fd, buf, sizeof buf, &n);
        if (e == LATCH_ERR_WANT_READ || e == LATCH_ERR_WANT_WRITE) {
            return true;
        }
        if (e == LATCH_ERR_CLOSE_NOTIFY) {
            LATCH_IGNORE(latch_fd_close(sc->c, sc->fd));
            conn_close(s, sc, NULL);
            return false;
        }
        if (e != LATCH_OK) {
            if (latch_conn_error(sc->c)->code != LATCH_OK) {
                latch_conn_error_string(sc->c, why, sizeof why);
                conn_close(s, sc, why);
            } else {
                conn_close(s, sc, e == LATCH_ERR_TRUNCATED ? "closed without close_notify" : latch_err_str(e));
            }
            return false;
        }
        if (!s->www) {
            if (!queue(sc, buf, n)) {
                conn_close(s, sc, "out of memory");
                return false;
            }
            return drive(s, sc);
        }
        if (sc->req_len + n > sizeof sc->req - 1) {
            n = sizeof sc->req - 1 - sc->req_len;
        }
        memcpy(sc->req + sc->req_len, buf, n);
        sc->req_len += n;
        sc->req[sc->req_len] = '\0';
        if (strstr(sc->req, "\r\n\r\n") != NULL || strstr(sc->req, "\n\n") != NULL ||
            sc->req_len == sizeof sc->req - 1) {
            char page[6000];

            www_page(sc, page, sizeof page);
            if (!queue(sc, (const uint8_t *)page, strlen(page))) {
                conn_close(s, sc, "out of memory");
                return false;
            }
            sc->closing = true;
            while (sc->pend_len > 0) {
                size_t w = 0;

                e = latch_fd_write(sc->c, sc->fd, sc->pend, sc->pend_len, &w);
                memmove(sc->pend, sc->pend + w, sc->pend_len - w);
                sc->pend_len -= w;
                if (e != LATCH_OK) {
                    break;
                }
            }
            if (sc->pend_len == 0) {
                LATCH_IGNORE(latch_conn_close(sc->c));
            }
            return drive(s, sc);
        }
    }
}

static void set_interest(server *s, sconn *sc)
{
    struct epoll_event ev;

    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    if ((latch_conn_state(sc->c) & LATCH_STATE_HAS_OUTPUT) || sc->pend_len > 0) {
        ev.events |= EPOLLOUT;
    }
    ev.data.ptr = sc;
    epoll_ctl(s->ep, EPOLL_CTL_MOD, sc->fd, &ev);
}

/* Close the connections past their deadline (--timeout). */
static void sweep(server *s)
{
    double now = now_s();
    sconn *sc = s->conns;

    while (sc != NULL) {
        sconn *next = sc->next;

        if (sc->deadline > 0 && now >= sc->deadline) {
            char why[96];

            snprintf(why, sizeof why, "%s for %g s: closing (--timeout)",
                     (latch_conn_state(sc->c) & LATCH_STATE_HANDSHAKE_DONE) ? "idle" : "no handshake", s->timeout);
            conn_close(s, sc, why);
        }
        sc = next;
    }
}

static void accept_all(server *s)
{
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        char h[NI_MAXHOST], p[NI_MAXSERV];
        struct epoll_event ev;
        sconn *sc;
        latch_err e;
        int fd = accept4(s->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);

        if (fd < 0) {
            return;
        }
        if (s->live >= s->max_conns) {
            fprintf(stderr, "latch server: refusing a connection: %zu connections already (--max-conns)\n", s->live);
            close(fd);
            continue;
        }
        sc = calloc(1, sizeof *sc);
        if (sc == NULL) {
            close(fd);
            continue;
        }
        sc->fd = fd;
        if (getnameinfo((struct sockaddr *)&ss, sl, h, sizeof h, p, sizeof p, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
            snprintf(sc->peer, sizeof sc->peer, "%.60s:%.10s", h, p);
        }
        e = latch_conn_new_server(s->cfg, &sc->c);
        if (e != LATCH_OK) {
            tool_err("server", "new connection", e);
            close(fd);
            free(sc);
            continue;
        }
        memset(&ev, 0, sizeof ev);
        ev.events = EPOLLIN;
        ev.data.ptr = sc;
        epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev);
        /* The handshake must be done by then, however slowly the peer trickles bytes. */
        sc->deadline = s->timeout > 0 ? now_s() + s->timeout : 0;
        sc->next = s->conns;
        if (s->conns != NULL) {
            s->conns->prev = sc;
        }
        s->conns = sc;
        s->live++;
    }
}

int cmd_server(int argc, char **argv)
{
    tool_opts o;
    server s;
    const char *host = NULL, *port = "4433";
    struct epoll_event ev, events[64];
    bool early_data = false, strict_sni = false;
    latch_session_store store = LATCH_SESSIONS_TICKETS;
    latch_err e;
    int rc = 1;

    memset(&o, 0, sizeof o);
    memset(&s, 0, sizeof s);
    s.max_conns = 1024;
    s.timeout = 60;
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
        } else if (strcmp(argv[i], "--www") == 0) {
            s.www = true;
        } else if (strcmp(argv[i], "--echo") == 0) {
            s.www = false;
        } else if (strcmp(argv[i], "--host") == 0 && i + 1 < argc) {
            host = argv[++i];
        } else if ((strcmp(argv[i], "--port") == 0 || strcmp(argv[i], "-p") == 0) && i + 1 < argc) {
            port = argv[++i];
        } else if (strcmp(argv[i], "--max-conns") == 0 && i + 1 < argc) {
            s.max_conns = (size_t)strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
            char *end;

            s.timeout = strtod(argv[++i], &end);
            if (*end != '\0' || !(s.timeout >= 0 && s.timeout <= 86400)) {
                fprintf(stderr, "latch server: --timeout takes seconds, 0 to 86400\n");
                return 2;
            }
        } else if (strcmp(argv[i], "--accept") == 0 && i + 1 < argc) {
            s.accept_limit = strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--early-data") == 0) {
            early_data = true;
        } else if (strcmp(argv[i], "--strict-sni") == 0) {
            strict_sni = true;
        } else if (strcmp(argv[i], "--session-cache") == 0) {
            store = LATCH_SESSIONS_CACHE;
        } else if (strcmp(argv[i], "--no-tickets") == 0) {
            store = LATCH_SESSIONS_OFF;
        } else {
            fprintf(stderr, "latch server: unknown option '%s' (see --help)\n", argv[i]);
            return 2;
        }
    }
    if (o.n_certs == 0) {
        fprintf(stderr, "latch server: needs --cert FILE --key FILE (try 'latch certs DIR' for a test PKI)\n");
        return 2;
    }
    if (o.insecure) {
        fprintf(stderr, "latch server: --insecure is a client option\n");
        return 2;
    }
    s.cfg = tool_config(&o, true);
    if (s.cfg == NULL) {
        return 1;
    }
    if ((e = latch_config_set_session_store(s.cfg, store, 4096)) != LATCH_OK ||
        (early_data && (e = latch_config_set_early_data(s.cfg, 16384)) != LATCH_OK) ||
        (strict_sni && (e = latch_config_set_strict_sni(s.cfg, true)) != LATCH_OK)) {
        tool_err("server", "settings", e);
        latch_config_free(s.cfg);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    s.lfd = listen_on(host, port);
    s.ep = epoll_create1(EPOLL_CLOEXEC);
    if (s.lfd < 0 || s.ep < 0) {
        goto out;
    }
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.ptr = NULL;
    epoll_ctl(s.ep, EPOLL_CTL_ADD, s.lfd, &ev);
    while (!stop && (s.accept_limit == 0 || s.finished < s.accept_limit)) {
        /* With a timeout, wake up at least once a second to sweep. */
        int n = epoll_wait(s.ep, events, 64, s.timeout > 0 ? 1000 : -1);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("latch server: epoll_wait");
            goto out;
        }
        for (int i = 0; i < n; i++) {
            sconn *sc = events[i].data.ptr;

            if (sc == NULL) {
                accept_all(&s);
                continue;
            }
            if (drive(&s, sc)) {
                set_interest(&s, sc);
                /* Once established, the limit is on idleness: any traffic restarts it. */
                if (s.timeout > 0 && (latch_conn_state(sc->c) & LATCH_STATE_HANDSHAKE_DONE)) {
                    sc->deadline = now_s() + s.timeout;
                }
            }
        }
        if (s.timeout > 0) {
            sweep(&s);
        }
    }
    rc = 0;
out:
    if (s.lfd >= 0) {
        close(s.lfd);
    }
    if (s.ep >= 0) {
        close(s.ep);
    }
    latch_config_free(s.cfg);
    return rc;
}
