/*
 * Trace summaries: one line with the salient fields of each handshake
 * message, for the trace callback (the `latch` tool draws them as a sequence
 * diagram). Messages are re-parsed from their wire bytes, so the trace shows
 * what was really sent or received. Nothing here runs unless a trace
 * callback is configured.
 */
#include "hs/hs.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct sbuf {
    char *p;
    size_t cap, len;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->len >= b->cap) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n > 0) {
        b->len += (size_t)n;
        if (b->len > b->cap) {
            b->len = b->cap;
        }
    }
}

static bool is_grease(uint16_t v)
{
    return (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF);
}

/* A code point by name, or in hex when latch has no name for it. */
static void put_code(sbuf *b, const char *sep, const char *(*name)(uint16_t), uint16_t v)
{
    if (strcmp(name(v), "unknown") == 0) {
        put(b, "%s0x%04x", sep, v);
    } else {
        put(b, "%s%s", sep, name(v));
    }
}

static void put_u16s(sbuf *b, latch_u16s l, const char *(*name)(uint16_t))
{
    size_t shown = 0;

    for (size_t i = 0; i < latch_u16s_count(l); i++) {
        uint16_t v = latch_u16s_at(l, i);

        if (is_grease(v)) {
            continue;
        }
        put_code(b, shown++ ? ", " : "", name, v);
    }
}

static const char *version_short(uint16_t v)
{
    return latch_version_name(v);
}

static void put_alpn(sbuf *b, latch_rd list)
{
    latch_rd it = list, proto;
    size_t n = 0;

    while (latch_ext_alpn_next(&it, &proto)) {
        put(b, "%s%.*s", n++ ? "," : "", (int)proto.len, (const char *)proto.p);
    }
}

static void sum_client_hello(sbuf *b, latch_rd body)
{
    latch_client_hello ch;
    latch_u16s l;
    latch_key_shares ks;
    latch_rd r;

    if (latch_client_hello_parse(body, &ch) != LATCH_OK) {
        put(b, "(malformed)");
        return;
    }
    if (latch_exts_has(&ch.exts, LATCH_X_SUPPORTED_VERSIONS) &&
        latch_ext_versions_ch_parse(ch.exts.data[LATCH_X_SUPPORTED_VERSIONS], &l) == LATCH_OK) {
        put(b, "versions ");
        put_u16s(b, l, version_short);
    } else {
        put(b, "version %s", latch_version_name(ch.legacy_version));
    }
    put(b, "; suites ");
    put_u16s(b, ch.cipher_suites, latch_suite_name);
    if (latch_exts_has(&ch.exts, LATCH_X_SUPPORTED_GROUPS) &&
        latch_ext_groups_parse(ch.exts.data[LATCH_X_SUPPORTED_GROUPS], &l) == LATCH_OK) {
        put(b, "; groups ");
        put_u16s(b, l, latch_group_name);
    }
    if (latch_exts_has(&ch.exts, LATCH_X_KEY_SHARE) &&
        latch_ext_key_share_ch_parse(ch.exts.data[LATCH_X_KEY_SHARE], &ks) == LATCH_OK) {
        size_t shown = 0;

        put(b, "; key shares ");
        for (size_t i = 0; i < ks.n; i++) {
            if (!is_grease(ks.e[i].group)) {
                put_code(b, shown++ ? ", " : "", latch_group_name, ks.e[i].group);
            }
        }
        if (shown == 0) {
            put(b, "none");
        }
    }
    if (latch_exts_has(&ch.exts, LATCH_X_SIGNATURE_ALGORITHMS) &&
        latch_ext_sigalgs_parse(ch.exts.data[LATCH_X_SIGNATURE_ALGORITHMS], &l) == LATCH_OK) {
        size_t real = 0;

        for (size_t i = 0; i < latch_u16s_count(l); i++) {
            real += is_grease(latch_u16s_at(l, i)) ? 0 : 1;
        }
        put(b, "; %zu signature schemes", real);
    }
    if (latch_exts_has(&ch.exts, LATCH_X_SERVER_NAME) &&
        latch_ext_server_name_parse(ch.exts.data[LATCH_X_SERVER_NAME], &r) == LATCH_OK) {
        put(b, "; SNI %.*s", (int)r.len, (const char *)r.p);
    }
    if (latch_exts_has(&ch.exts, LATCH_X_ALPN) && latch_ext_alpn_parse(ch.exts.data[LATCH_X_ALPN], &r) == LATCH_OK) {
        put(b, "; ALPN ");
        put_alpn(b, r);
    }
    if (latch_exts_has(&ch.exts, LATCH_X_COOKIE)) {
        put(b, "; cookie");
    }
    if (latch_exts_has(&ch.exts, LATCH_X_SESSION_TICKET) && ch.exts.data[LATCH_X_SESSION_TICKET].len > 0) {
        put(b, "; a TLS 1.2 session ticket to resume (%zu bytes)", ch.exts.data[LATCH_X_SESSION_TICKET].len);
    }
    if (latch_exts_has(&ch.exts, LATCH_X_PRE_SHARED_KEY)) {
        put(b, "; a PSK to resume");
    }
}

static void sum_server_hello(sbuf *b, latch_rd body)
{
    latch_server_hello sh;
    uint16_t v = 0, g = 0;
    latch_key_share ks;

    if (latch_server_hello_parse(body, &sh) != LATCH_OK) {
        put(b, "(malformed)");
        return;
    }
    if (latch_exts_has(&sh.exts, LATCH_X_SUPPORTED_VERSIONS) &&
        latch_ext_versions_sh_parse(sh.exts.data[LATCH_X_SUPPORTED_VERSIONS], &v) != LATCH_OK) {
        v = 0;
    }
    put_code(b, "", latch_version_name, v != 0 ? v : sh.legacy_version);
    put_code(b, ", ", latch_suite_name, sh.cipher_suite);
    if (sh.is_hrr) {
        if (latch_exts_has(&sh.exts, LATCH_X_KEY_SHARE) &&
            latch_ext_key_share_hrr_parse(sh.exts.data[LATCH_X_KEY_SHARE], &g) == LATCH_OK) {
            put_code(b, "; retry with a ", latch_group_name, g);
            put(b, " key share");
        }
        if (latch_exts_has(&sh.exts, LATCH_X_COOKIE)) {
            put(b, "; cookie");
        }
    } else if (latch_exts_has(&sh.exts, LATCH_X_KEY_SHARE) &&
               latch_ext_key_share_sh_parse(sh.exts.data[LATCH_X_KEY_SHARE], &ks) == LATCH_OK) {
        put_code(b, "; key share ", latch_group_name, ks.group);
    }
}

static void sum_ee(sbuf *b, latch_rd body)
{
    latch_encrypted_extensions ee;
    latch_rd proto;
    size_t n = 0;

    if (latch_encrypted_extensions_parse(body, &ee) != LATCH_OK) {
        put(b, "(malformed)");
        return;
    }
    for (int id = 0; id < LATCH_X__COUNT; id++) {
        if (!latch_exts_has(&ee.exts, (latch_ext_id)id)) {
            continue;
        }
        put(b, "%s%s", n++ ? ", " : "", latch_ext_by_id((latch_ext_id)id)->name);
        if (id == LATCH_X_ALPN && latch_ext_alpn_parse_one(ee.exts.data[id], &proto) == LATCH_OK) {
            put(b, " %.*s", (int)proto.len, (const char *)proto.p);
        }
    }
    if (n == 0) {
        put(b, "no extensions");
    }
}

static void sum_certificate(sbuf *b, latch_rd body, bool tls13)
{
    latch_certificate ct;
    const uint8_t *der[LATCH_MAX_CHAIN_CERTS];
    size_t len[LATCH_MAX_CHAIN_CERTS];
    latch_peer *p = NULL;
    char subj[256], iss[256];

    if (latch_certificate_parse(body, tls13, &ct) != LATCH_OK) {
        put(b, "(malformed)");
        return;
    }
    if (ct.n == 0) {
        put(b, "empty (no certificate)");
        return;
    }
    for (size_t i = 0; i < ct.n; i++) {
        der[i] = ct.certs[i].p;
        len[i] = ct.certs[i].len;
    }
    put(b, "%zu certificate%s", ct.n, ct.n == 1 ? "" : "s");
    if (latch_peer_new(der, len, ct.n, &p) == LATCH_OK && latch_peer_subject(p, 0, subj, sizeof subj) == LATCH_OK &&
        latch_peer_issuer(p, 0, iss, sizeof iss) == LATCH_OK) {
        put(b, ": %s, issued by %s", subj, iss);
    }
    latch_peer_free(p);
}

static void put_cas(sbuf *b, latch_rd list)
{
    latch_rd it = list, dn;
    size_t n = 0;

    while (latch_ext_cas_next(&it, &dn)) {
        char name[256];

        if (latch_x509_dn_string(dn, name, sizeof name) == LATCH_OK) {
            put(b, "%s%s", n == 0 ? "; accepted CAs: " : " | ", name);
        }
        n++;
    }
    if (n == 0) {
        put(b, "; any CA");
    }
}

static void sum_cr(sbuf *b, latch_rd body)
{
    latch_certificate_request cr;
    latch_rd list;

    if (latch_certificate_request_parse(body, &cr) != LATCH_OK) {
        put(b, "(malformed)");
        return;
    }
    put(b, "%zu signature schemes", latch_u16s_count(cr.sigalgs));
    if (!latch_exts_has(&cr.exts, LATCH_X_CERTIFICATE_AUTHORITIES) ||
        latch_ext_cas_parse(cr.exts.data[LATCH_X_CERTIFICATE_AUTHORITIES], &list) != LATCH_OK) {
        list = (latch_rd){0};
    }
    put_cas(b, list);
}

static void sum_cr12(sbuf *b, latch_rd body)
{
    latch_certificate_request12 cr;

    if (latch_certificate_request12_parse(body, &cr) != LATCH_OK) {
        put(b, "(malformed)");
        return;
    }
    put(b, "certificate types");
    for (size_t i = 0; i < cr.cert_types.len; i++) {
        uint8_t t = cr.cert_types.p[i];

        put(b, "%s%s", i == 0 ? " " : ", ",
            t == LATCH_CERT_TYPE_RSA_SIGN ? "rsa_sign" : t == LATCH_CERT_TYPE_ECDSA_SIGN ? "ecdsa_sign" : "other");
    }
    put(b, "; %zu signature schemes", latch_u16s_count(cr.sigalgs));
    put_cas(b, cr.cas);
}

static void sum_ske(sbuf *b, latch_rd body)
{
    latch_server_key_exchange ske;

    if (latch_server_key_exchange_parse(body, &ske) != LATCH_OK) {
        put(b, "(malformed)");
        return;
    }
    put(b, "ECDHE %s public key (%zu bytes), signed with %s", latch_group_name(ske.group), ske.point.len,
        latch_sigalg_name(ske.scheme));
}

static void sum_cke(const latch_conn *c, sbuf *b, latch_rd body)
{
    bool rsa = c->suite != NULL && c->suite->kx == LATCH_SUITE_KX_RSA;
    latch_rd x;

    if (latch_client_key_exchange_parse(body, rsa, &x) != LATCH_OK) {
        put(b, "(malformed)");
        return;
    }
    if (rsa) {
        put(b, "the premaster secret, RSA-encrypted (%zu bytes)", x.len);
    } else {
        put(b, "ECDHE %s public key (%zu bytes)", latch_group_name(c->group), x.len);
    }
}

static void summarize(const latch_conn *c, sbuf *b, uint8_t type, latch_rd whole)
{
    bool tls12 = c->version == LATCH_TLS12;
    latch_rd body = whole;
    uint8_t t;
    uint32_t len;
    uint16_t scheme;
    latch_certificate_verify cv;
    latch_new_session_ticket nst;
    uint8_t ku;

    if (latch_rd_u8(&body, &t) != LATCH_OK || latch_rd_u24(&body, &len) != LATCH_OK) {
        put(b, "(truncated)");
        return;
    }
    switch (type) {
    case LATCH_HS_CLIENT_HELLO: sum_client_hello(b, body); break;
    case LATCH_HS_SERVER_HELLO: sum_server_hello(b, body); break;
    case LATCH_HS_ENCRYPTED_EXTENSIONS: sum_ee(b, body); break;
    case LATCH_HS_CERTIFICATE: sum_certificate(b, body, !tls12); break;
    case LATCH_HS_CERTIFICATE_REQUEST:
        if (tls12) {
            sum_cr12(b, body);
        } else {
            sum_cr(b, body);
        }
        break;
    case LATCH_HS_SERVER_KEY_EXCHANGE: sum_ske(b, body); break;
    case LATCH_HS_CLIENT_KEY_EXCHANGE: sum_cke(c, b, body); break;
    case LATCH_HS_SERVER_HELLO_DONE: put(b, "the server's hello is complete"); break;
    case LATCH_HS_HELLO_REQUEST: put(b, "a request to renegotiate"); break;
    case LATCH_HS_CERTIFICATE_VERIFY:
        if (latch_certificate_verify_parse(body, &cv) == LATCH_OK) {
            scheme = cv.scheme;
            put_code(b, "", latch_sigalg_name, scheme);
            put(b, " signature, %zu bytes", cv.signature.len);
        } else {
            put(b, "(malformed)");
        }
        break;
    case LATCH_HS_FINISHED: put(b, "verify_data, %zu bytes", body.len); break;
    case LATCH_HS_NEW_SESSION_TICKET:
        if (tls12) {
            uint32_t hint;
            latch_rd ticket;

            if (latch_new_session_ticket12_parse(body, &hint, &ticket) == LATCH_OK) {
                put(b, "ticket of %zu bytes, lifetime hint %u s", ticket.len, hint);
            }
        } else if (latch_new_session_ticket_parse(body, &nst) == LATCH_OK) {
            put(b, "ticket of %zu bytes, lifetime %u s", nst.ticket.len, nst.lifetime);
        } else {
            put(b, "(malformed)");
        }
        break;
    case LATCH_HS_KEY_UPDATE:
        if (latch_key_update_parse(body, &ku) == LATCH_OK) {
            put(b, "%s", ku ? "update_requested" : "update_not_requested");
        } else {
            put(b, "(malformed)");
        }
        break;
    default: put(b, "%u bytes", len); break;
    }
}

void latch__hs_trace_msg(latch_conn *c, bool sent, uint8_t type, latch_rd whole)
{
    char line[900];
    sbuf b = {line, sizeof line, 0};

    if (!latch__conn_tracing(c)) {
        return;
    }
    line[0] = '\0';
    summarize(c, &b, type, whole);
    latch__conn_trace(c, LATCH_TRACE_HANDSHAKE, sent, type, latch_hs_name(type), whole.len, "%s", line);
}
