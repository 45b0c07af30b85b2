/*
 * Helpers shared by the message and extension tests (header-only: every
 * function is static inline, so a test uses what it needs).
 *
 * Parsers are always run on a heap copy of exactly the bytes under test, so
 * that AddressSanitizer reports any read past the end of a truncated input.
 */
#ifndef LATCH_TEST_MSG_UTIL_H
#define LATCH_TEST_MSG_UTIL_H

#include "core/err.h"
#include "harness.h"
#include "msg/msg.h"
#include "rfc8448.h"

#include <stdlib.h>
#include <string.h>

/* A parser under test, wrapped to take only the body. */
typedef latch_err (*body_parser)(latch_rd body);

/* A builder under test, wrapped to take only the writer. */
typedef latch_err (*msg_builder)(latch_wr *w);

static inline uint8_t *util_dup(const uint8_t *p, size_t n)
{
    uint8_t *c = calloc(1, n == 0 ? 1 : n);

    if (c == NULL) {
        abort();
    }
    if (n > 0) {
        memcpy(c, p, n);
    }
    return c;
}

/* Run f on a heap copy of p[0..n). */
static inline latch_err parse_exact(body_parser f, const uint8_t *p, size_t n)
{
    uint8_t *c = util_dup(p, n);
    latch_err e = f(latch_rd_make(c, n));

    free(c);
    return e;
}

/* Run f on p[0..n) followed by one 0x00 byte. */
static inline latch_err parse_trailing(body_parser f, const uint8_t *p, size_t n)
{
    uint8_t *c = malloc(n + 1);
    latch_err e;

    if (c == NULL) {
        abort();
    }
    if (n > 0) {
        memcpy(c, p, n);
    }
    c[n] = 0;
    e = f(latch_rd_make(c, n + 1));
    free(c);
    return e;
}

#define NO_OK_PREFIX ((size_t)-1)

/*
 * The truncation catalogue: every proper prefix fails with DECODE (except
 * the one of length ok_prefix, which a TLS 1.2 message without extensions
 * makes valid), the whole input parses, and one trailing byte is DECODE.
 */
static inline void check_truncations(const char *file, int line, body_parser f, const uint8_t *p, size_t n,
                                     size_t ok_prefix)
{
    for (size_t i = 0; i < n; i++) {
        latch_err want = (i == ok_prefix) ? LATCH_OK : LATCH_ERR_DECODE;
        latch_err got = parse_exact(f, p, i);

        if (got != want) {
            latch_test_fail(file, line, "prefix of %zu/%zu bytes: %s, expected %s", i, n, latch_err_name(got),
                            latch_err_name(want));
        }
    }
    if (parse_exact(f, p, n) != LATCH_OK) {
        latch_test_fail(file, line, "the whole input (%zu bytes) does not parse: %s", n,
                        latch__err_last()->detail);
    }
    if (parse_trailing(f, p, n) != LATCH_ERR_DECODE) {
        latch_test_fail(file, line, "a trailing byte is not DECODE");
    }
}

#define CHECK_TRUNCATIONS(f, p, n, ok_prefix) check_truncations(__FILE__, __LINE__, (f), (p), (n), (ok_prefix))

/* The last failure's detail contains `s` (details must name the field). */
#define CHECK_DETAIL(s)                                                                                    \
    do {                                                                                                   \
        if (strstr(latch__err_last()->detail, (s)) == NULL) {                                              \
            latch_test_fail(__FILE__, __LINE__, "detail \"%s\" lacks \"%s\"", latch__err_last()->detail, (s)); \
        }                                                                                                  \
    } while (0)

/*
 * Build into buffers of every size below the full one (BUFFER_TOO_SMALL),
 * then into one of the full size, which must reproduce `want`.
 */
static inline void check_build_caps(const char *file, int line, msg_builder b, const uint8_t *want, size_t want_len)
{
    for (size_t cap = 0; cap <= want_len; cap++) {
        uint8_t *buf = malloc(cap == 0 ? 1 : cap);
        latch_wr w;
        latch_err e;

        if (buf == NULL) {
            abort();
        }
        latch_wr_init(&w, buf, cap);
        e = b(&w);
        if (cap < want_len && e != LATCH_ERR_BUFFER_TOO_SMALL) {
            latch_test_fail(file, line, "cap %zu/%zu: %s, expected BUFFER_TOO_SMALL", cap, want_len, latch_err_name(e));
        }
        if (cap == want_len) {
            if (e != LATCH_OK) {
                latch_test_fail(file, line, "cap %zu: %s", cap, latch_err_name(e));
            } else {
                latch_test_check_mem(file, line, "built message", buf, latch_wr_len(&w), want, want_len);
            }
        }
        free(buf);
    }
}

#define CHECK_BUILD_CAPS(b, want, want_len) check_build_caps(__FILE__, __LINE__, (b), (want), (want_len))

/* Build into a large buffer; returns the length (0 on failure, reported). */
static inline size_t build_into(const char *file, int line, msg_builder b, uint8_t *buf, size_t cap)
{
    latch_wr w;
    latch_err e;

    latch_wr_init(&w, buf, cap);
    e = b(&w);
    if (e != LATCH_OK) {
        latch_test_fail(file, line, "build: %s (%s)", latch_err_name(e), latch__err_last()->detail);
        return 0;
    }
    return latch_wr_len(&w);
}

#define BUILD_INTO(b, buf, cap) build_into(__FILE__, __LINE__, (b), (buf), (cap))

/* The body of a whole handshake message, after checking its 4-byte header. */
static inline latch_rd msg_body(const char *file, int line, const uint8_t *msg, size_t len, uint8_t type)
{
    latch_rd r = latch_rd_make(msg, len), body = {0};
    uint8_t t = 0;
    uint32_t n = 0;

    if (latch_rd_u8(&r, &t) != LATCH_OK || latch_rd_u24(&r, &n) != LATCH_OK || t != type ||
        latch_rd_bytes(&r, n, &body) != LATCH_OK || latch_rd_end(&r) != LATCH_OK) {
        latch_test_fail(file, line, "not a %s message of consistent length", latch_hs_name(type));
        return (latch_rd){0};
    }
    return body;
}

#define MSG_BODY(msg, len, type) msg_body(__FILE__, __LINE__, (msg), (len), (type))

/* A whole handshake message from the RFC 8448 traces, and its body. */
static inline latch_rd rfc_msg(int section, const char *role, const char *step, const char *field, int nth,
                               uint8_t type, const uint8_t **whole, size_t *whole_len)
{
    size_t len;
    const uint8_t *p = rfc8448(section, role, step, field, nth, &len);

    if (whole != NULL) {
        *whole = p;
        *whole_len = len;
    }
    return msg_body(__FILE__, __LINE__, p, len, type);
}

/* The extension_data of extension `id` in a ClientHello (nth in its step)
 * or ServerHello of the RFC 8448 traces, found with the message parsers. */
static inline latch_rd rfc_ch_ext(int section, int nth, latch_ext_id id)
{
    static latch_client_hello ch;
    /* §4 labels the binder-less prefix "ClientHello"; the whole message is
     * the payload of the record that carries it. */
    latch_rd body = (section == 4)
                        ? rfc_msg(4, "client", "send handshake record", "payload", nth, LATCH_HS_CLIENT_HELLO, NULL, NULL)
                        : rfc_msg(section, "client", "construct a ClientHello", "ClientHello", nth,
                                  LATCH_HS_CLIENT_HELLO, NULL, NULL);

    if (latch_client_hello_parse(body, &ch) != LATCH_OK || !latch_exts_has(&ch.exts, id)) {
        latch_test_fail(__FILE__, __LINE__, "RFC 8448 §%d ClientHello %d lacks extension %d", section, nth, id);
        return (latch_rd){0};
    }
    return ch.exts.data[id];
}

static inline latch_rd rfc_sh_ext(int section, int nth, latch_ext_id id)
{
    static latch_server_hello sh;
    latch_rd body = rfc_msg(section, "server", "construct a ServerHello", "ServerHello", nth, LATCH_HS_SERVER_HELLO,
                            NULL, NULL);

    if (latch_server_hello_parse(body, &sh) != LATCH_OK || !latch_exts_has(&sh.exts, id)) {
        latch_test_fail(__FILE__, __LINE__, "RFC 8448 §%d ServerHello %d lacks extension %d", section, nth, id);
        return (latch_rd){0};
    }
    return sh.exts.data[id];
}

/* Big-endian patching of test inputs. */
static inline void put16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void put24(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 16);
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)v;
}

/* A growing byte string for assembling test inputs. */
typedef struct tbuf {
    uint8_t b[140000];
    size_t n;
} tbuf;

static inline void tb_u8(tbuf *t, unsigned v)
{
    t->b[t->n++] = (uint8_t)v;
}

static inline void tb_u16(tbuf *t, size_t v)
{
    put16(t->b + t->n, v);
    t->n += 2;
}

static inline void tb_u24(tbuf *t, size_t v)
{
    put24(t->b + t->n, v);
    t->n += 3;
}

static inline void tb_u32(tbuf *t, uint32_t v)
{
    tb_u16(t, v >> 16);
    tb_u16(t, v & 0xFFFF);
}

static inline void tb_bytes(tbuf *t, const void *p, size_t n)
{
    if (n > 0) {
        memcpy(t->b + t->n, p, n);
    }
    t->n += n;
}

static inline void tb_fill(tbuf *t, uint8_t v, size_t n)
{
    memset(t->b + t->n, v, n);
    t->n += n;
}

/* An extension: type, 2-byte length, data. */
static inline void tb_ext(tbuf *t, uint16_t code, const void *data, size_t n)
{
    tb_u16(t, code);
    tb_u16(t, n);
    tb_bytes(t, data, n);
}

#endif
