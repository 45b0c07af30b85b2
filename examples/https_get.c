/*
 * https_get: fetch a page over TLS with latch, verifying the server against
 * the system's trusted CAs.
 *
 *   https_get example.com /           (port 443)
 *   https_get localhost:4433 / ca.pem (trust ca.pem instead)
 *
 * Build: cc https_get.c $(pkg-config --cflags --libs latch) -o https_get
 */
#include <latch/latch.h>

#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int dial(const char *host, const char *port)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *ai;
    int fd = -1;

    if (getaddrinfo(host, port, &hints, &res) != 0) {
        return -1;
    }
    for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

int main(int argc, char **argv)
{
    char host[256], req[512], buf[4096], err[512];
    const char *port = "443", *path = argc > 2 ? argv[2] : "/";
    latch_config *cfg = NULL;
    latch_conn *c = NULL;
    latch_err e;
    size_t n;
    int fd;

    if (argc < 2) {
        fprintf(stderr, "usage: https_get HOST[:PORT] [PATH] [CA-FILE]\n");
        return 2;
    }
    snprintf(host, sizeof host, "%s", argv[1]);
    if (strchr(host, ':') != NULL) {
        port = strchr(host, ':') + 1;
        *strchr(host, ':') = '\0';
    }
    /* 1. A config: by default it trusts the system's CA store. */
    e = latch_config_new(&cfg);
    if (e == LATCH_OK && argc > 3) {
        e = latch_config_load_ca_file(cfg, argv[3]);
    }
    if (e == LATCH_OK) {
        e = latch_config_set_alpn(cfg, "http/1.1");
    }
    /* 2. A TCP connection, and a TLS client over it for this host name. */
    fd = dial(host, port);
    if (e == LATCH_OK && fd < 0) {
        fprintf(stderr, "https_get: cannot connect to %s:%s\n", host, port);
        return 1;
    }
    if (e == LATCH_OK) {
        e = latch_conn_new_client(cfg, host, &c);
    }
    /* 3. Handshake (the certificate is verified for `host`), request, response. */
    if (e == LATCH_OK) {
        e = latch_fd_handshake(c, fd);
    }
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host);
    if (e == LATCH_OK) {
        e = latch_fd_write(c, fd, req, strlen(req), &n);
    }
    while (e == LATCH_OK && (e = latch_fd_read(c, fd, buf, sizeof buf, &n)) == LATCH_OK) {
        fwrite(buf, 1, n, stdout);
    }
    /* 4. A clean end is the server's close_notify; anything else says why. */
    if (e == LATCH_ERR_CLOSE_NOTIFY) {
        e = LATCH_OK;
        LATCH_IGNORE(latch_fd_close(c, fd));
    } else {
        if (c != NULL && latch_conn_error(c)->code != LATCH_OK) {
            latch_conn_error_string(c, err, sizeof err);
        } else {
            snprintf(err, sizeof err, "%s: %s", latch_err_str(e), latch_last_error()->detail);
        }
        fprintf(stderr, "https_get: %s\n", err);
    }
    latch_conn_free(c);
    latch_config_free(cfg);
    if (fd >= 0) {
        close(fd);
    }
    return e == LATCH_OK ? 0 : 1;
}
