/* Tests for ClientHello (src/msg/client_hello.c). */
#include "msg_test_util.h"

static latch_client_hello g_ch;
static tbuf t;
static uint8_t out[70000];

static latch_err parse(latch_rd body)
{
    return latch_client_hello_parse(body, &g_ch);
}

/* ---- A ClientHello rebuilt from its parsed form -------------------------- */

/* Storage for a latch_client_hello_out filled from a parsed ClientHello. */
typedef struct ch_store {
    latch_client_hello_out o;
    uint16_t suites[64], versions[16], groups[32], sigalgs[64], sigalgs_cert[64];
    latch_key_shares shares;
    latch_offered_psks psks;
    char host[256];
    uint8_t modes[8];
} ch_store;

static void u16s_copy(latch_u16s l, uint16_t *dst, size_t cap, size_t *n)
{
    *n = latch_u16s_count(l);
    REQUIRE(*n <= cap);
    for (size_t i = 0; i < *n; i++) {
        dst[i] = latch_u16s_at(l, i);
    }
}

/* Express a parsed ClientHello as builder input, failing on any extension
 * the builder cannot produce. */
static void from_parsed(const latch_client_hello *ch, size_t msg_len, ch_store *s)
{
    const latch_exts *e = &ch->exts;
    latch_client_hello_out *o = &s->o;
    uint32_t handled = 0;
    latch_rd v;

    memset(s, 0, sizeof *s);
    o->legacy_version = ch->legacy_version;
    memcpy(o->random, ch->random, 32);
    o->session_id = ch->session_id.p;
    o->session_id_len = ch->session_id.len;
    u16s_copy(ch->cipher_suites, s->suites, 64, &o->n_suites);
    o->suites = s->suites;
    REQUIRE(ch->compression_methods.len == 1 && ch->compression_methods.p[0] == 0);
#define HANDLE(id) (latch_exts_has(e, (id)) && (handled |= LATCH_XBIT(id)) != 0)
    if (HANDLE(LATCH_X_SERVER_NAME)) {
        REQUIRE_OK(latch_ext_server_name_parse(e->data[LATCH_X_SERVER_NAME], &v));
        memcpy(s->host, v.p, v.len);
        o->server_name = s->host;
    }
    if (HANDLE(LATCH_X_RENEGOTIATION_INFO)) {
        REQUIRE_OK(latch_ext_reneg_parse(e->data[LATCH_X_RENEGOTIATION_INFO], &v));
        REQUIRE(v.len == 0);
        o->reneg_info = true;
    }
    if (HANDLE(LATCH_X_SUPPORTED_GROUPS)) {
        latch_u16s l;

        REQUIRE_OK(latch_ext_groups_parse(e->data[LATCH_X_SUPPORTED_GROUPS], &l));
        u16s_copy(l, s->groups, 32, &o->n_groups);
        o->groups = s->groups;
    }
    if (HANDLE(LATCH_X_SESSION_TICKET)) {
        o->session_ticket_ext = true;
        o->session_ticket = e->data[LATCH_X_SESSION_TICKET].p;
        o->session_ticket_len = e->data[LATCH_X_SESSION_TICKET].len;
    }
    if (HANDLE(LATCH_X_KEY_SHARE)) {
        REQUIRE_OK(latch_ext_key_share_ch_parse(e->data[LATCH_X_KEY_SHARE], &s->shares));
        o->shares = s->shares.e;
        o->n_shares = s->shares.n;
        o->key_share_ext = true;
    }
    if (HANDLE(LATCH_X_EARLY_DATA)) {
        o->early_data = true;
    }
    if (HANDLE(LATCH_X_SUPPORTED_VERSIONS)) {
        latch_u16s l;

        REQUIRE_OK(latch_ext_versions_ch_parse(e->data[LATCH_X_SUPPORTED_VERSIONS], &l));
        u16s_copy(l, s->versions, 16, &o->n_versions);
        o->versions = s->versions;
    }
    if (HANDLE(LATCH_X_SIGNATURE_ALGORITHMS)) {
        latch_u16s l;

        REQUIRE_OK(latch_ext_sigalgs_parse(e->data[LATCH_X_SIGNATURE_ALGORITHMS], &l));
        u16s_copy(l, s->sigalgs, 64, &o->n_sigalgs);
        o->sigalgs = s->sigalgs;
    }
    if (HANDLE(LATCH_X_SIGNATURE_ALGORITHMS_CERT)) {
        latch_u16s l;

        REQUIRE_OK(latch_ext_sigalgs_parse(e->data[LATCH_X_SIGNATURE_ALGORITHMS_CERT], &l));
        u16s_copy(l, s->sigalgs_cert, 64, &o->n_sigalgs_cert);
        o->sigalgs_cert = s->sigalgs_cert;
    }
    if (HANDLE(LATCH_X_COOKIE)) {
        REQUIRE_OK(latch_ext_cookie_parse(e->data[LATCH_X_COOKIE], &v));
        o->cookie = v.p;
        o->cookie_len = v.len;
    }
    if (HANDLE(LATCH_X_PSK_KEY_EXCHANGE_MODES)) {
        REQUIRE_OK(latch_ext_psk_modes_parse(e->data[LATCH_X_PSK_KEY_EXCHANGE_MODES], &v));
        REQUIRE(v.len <= sizeof s->modes);
        memcpy(s->modes, v.p, v.len);
        o->psk_modes = s->modes;
        o->n_psk_modes = v.len;
    }
    if (HANDLE(LATCH_X_POST_HANDSHAKE_AUTH)) {
        o->post_handshake_auth = true;
    }
    if (HANDLE(LATCH_X_RECORD_SIZE_LIMIT)) {
        REQUIRE_OK(latch_ext_record_size_limit_parse(e->data[LATCH_X_RECORD_SIZE_LIMIT], &o->record_size_limit));
    }
    if (HANDLE(LATCH_X_PADDING)) {
        o->pad_to = msg_len;
    }
    if (HANDLE(LATCH_X_PRE_SHARED_KEY)) {
        REQUIRE_OK(latch_ext_psk_ch_parse(e->data[LATCH_X_PRE_SHARED_KEY], &s->psks));
        o->psks = s->psks.e;
        o->n_psks = s->psks.n;
    }
#undef HANDLE
    CHECK_EQ(e->present & ~handled, 0);
    CHECK_EQ(e->count, __builtin_popcount(e->present)); /* no unknown ones */
}

static ch_store store;

static latch_err build_store(latch_wr *w)
{
    return latch_client_hello_build(w, &store.o);
}

/* Every ClientHello of RFC 8448 parses, and rebuilding it from its fields
 * gives the RFC's bytes (binders aside: they are patched in afterwards, as
 * the caller would). */
static void check_rfc_ch(int section, const char *step, const char *field, int nth, size_t want_exts)
{
    const uint8_t *msg;
    size_t len, n, binders;
    latch_rd body = rfc_msg(section, "client", step, field, nth, LATCH_HS_CLIENT_HELLO, &msg, &len);

    REQUIRE_OK(latch_client_hello_parse(body, &g_ch));
    CHECK_EQ(g_ch.legacy_version, LATCH_TLS12);
    CHECK_EQ(g_ch.exts.count, want_exts);
    from_parsed(&g_ch, len, &store);
    n = BUILD_INTO(build_store, out, sizeof out);
    REQUIRE(n == len);
    binders = latch_client_hello_binders_len(&store.o);
    CHECK_MEM(out, len - binders, msg, len - binders);
    for (size_t i = 0; i < store.o.n_psks; i++) {
        /* The lengths are in place; the binder bytes are zeros. */
        CHECK_EQ(out[len - binders + 2], store.o.psks[i].binder.len);
        CHECK_EQ(out[len - binders + 3], 0);
    }
    if (binders == 0) {
        CHECK_BUILD_CAPS(build_store, msg, len);
    }
}

static void test_rfc8448_all(void)
{
    check_rfc_ch(3, "construct a ClientHello", "ClientHello", 0, 9);
    check_rfc_ch(4, "send handshake record", "payload", 0, 11);
    check_rfc_ch(5, "construct a ClientHello", "ClientHello", 0, 8);
    check_rfc_ch(5, "construct a ClientHello", "ClientHello", 1, 10);
    check_rfc_ch(6, "construct a ClientHello", "ClientHello", 0, 8);
    check_rfc_ch(7, "construct a ClientHello", "ClientHello", 0, 8);
}

/* RFC 8448 §3, field by field. */
static void test_rfc8448_fields(void)
{
    const uint8_t *msg;
    size_t len;
    latch_rd body = rfc_msg(3, "client", "construct a ClientHello", "ClientHello", 0, LATCH_HS_CLIENT_HELLO, &msg, &len);
    uint32_t want = LATCH_XBIT(LATCH_X_SERVER_NAME) | LATCH_XBIT(LATCH_X_RENEGOTIATION_INFO) |
                    LATCH_XBIT(LATCH_X_SUPPORTED_GROUPS) | LATCH_XBIT(LATCH_X_SESSION_TICKET) |
                    LATCH_XBIT(LATCH_X_KEY_SHARE) | LATCH_XBIT(LATCH_X_SUPPORTED_VERSIONS) |
                    LATCH_XBIT(LATCH_X_SIGNATURE_ALGORITHMS) | LATCH_XBIT(LATCH_X_PSK_KEY_EXCHANGE_MODES) |
                    LATCH_XBIT(LATCH_X_RECORD_SIZE_LIMIT);

    REQUIRE_OK(latch_client_hello_parse(body, &g_ch));
    CHECK_EQ(len, 196);
    CHECK_EQ(g_ch.legacy_version, 0x0303);
    CHECK_MEM(g_ch.random, 32, msg + 6, 32);
    CHECK_EQ(g_ch.random[0], 0x66);
    CHECK_EQ(g_ch.random[31], 0xc4);
    CHECK_EQ(g_ch.session_id.len, 0);
    CHECK_EQ(latch_u16s_count(g_ch.cipher_suites), 3);
    CHECK_EQ(latch_u16s_at(g_ch.cipher_suites, 0), LATCH_TLS_AES_128_GCM_SHA256);
    CHECK_EQ(latch_u16s_at(g_ch.cipher_suites, 1), LATCH_TLS_CHACHA20_POLY1305_SHA256);
    CHECK_EQ(latch_u16s_at(g_ch.cipher_suites, 2), LATCH_TLS_AES_256_GCM_SHA384);
    CHECK_MEM(g_ch.compression_methods.p, g_ch.compression_methods.len, (const uint8_t *)"\x00", 1);
    CHECK_EQ(g_ch.exts.present, want);
    CHECK_EQ(g_ch.exts.count, 9);
    CHECK_EQ(g_ch.exts.last_code, LATCH_EXT_RECORD_SIZE_LIMIT);

    /* §7 (compatibility mode): a 32-byte legacy_session_id. */
    body = rfc_msg(7, "client", "construct a ClientHello", "ClientHello", 0, LATCH_HS_CLIENT_HELLO, NULL, NULL);
    REQUIRE_OK(latch_client_hello_parse(body, &g_ch));
    CHECK_EQ(g_ch.session_id.len, 32);
}

/* RFC 8448 §4: build with zeroed binders, hash up to message length minus
 * latch_client_hello_binders_len, patch in the binder: the RFC's record. */
static void test_rfc8448_psk_binders(void)
{
    size_t len, prefix_len, binder_len, n, bl;
    const uint8_t *payload = rfc8448(4, "client", "send handshake record", "payload", 0, &len);
    const uint8_t *prefix = rfc8448(4, "client", "calculate PSK binder", "ClientHello prefix", 0, &prefix_len);
    const uint8_t *binder = rfc8448(4, "client", "calculate PSK binder", "finished", 0, &binder_len);

    REQUIRE_OK(latch_client_hello_parse(MSG_BODY(payload, len, LATCH_HS_CLIENT_HELLO), &g_ch));
    from_parsed(&g_ch, len, &store);
    n = BUILD_INTO(build_store, out, sizeof out);
    REQUIRE(n == 512);
    bl = latch_client_hello_binders_len(&store.o);
    CHECK_EQ(bl, 35);
    /* What the caller hashes is the RFC's "ClientHello prefix". */
    CHECK_MEM(out, n - bl, prefix, prefix_len);
    /* The binders vector: length 33, one binder of 32 bytes. */
    CHECK_MEM(out + n - bl, 3, (const uint8_t *)"\x00\x21\x20", 3);
    memcpy(out + n - bl + 3, binder, binder_len);
    CHECK_MEM(out, n, payload, len);
    CHECK_EQ(store.o.pad_to, 512);
}

/* ---- The malformed-input catalogue ---------------------------------------- */

/* Offsets in the body of the RFC 8448 §3 ClientHello. */
#define OFF_SID 34
#define OFF_SUITES 35
#define OFF_COMP 43
#define OFF_EXTS 45

static const uint8_t *rfc3(size_t *len)
{
    latch_rd body = rfc_msg(3, "client", "construct a ClientHello", "ClientHello", 0, LATCH_HS_CLIENT_HELLO, NULL, NULL);

    *len = body.len;
    return body.p;
}

static void test_truncation(void)
{
    size_t len;
    const uint8_t *body = rfc3(&len);

    /* Every prefix is DECODE except the one that ends with the compression
     * methods: a TLS 1.2 ClientHello without extensions. */
    CHECK_TRUNCATIONS(parse, body, len, OFF_EXTS);
    CHECK_OK(parse_exact(parse, body, OFF_EXTS));
    CHECK_EQ(g_ch.exts.count, 0);
    CHECK_ERR(parse_exact(parse, body, OFF_EXTS + 1), LATCH_ERR_DECODE);
    CHECK_DETAIL("ClientHello.extensions: truncated length");
    CHECK_ERR(parse_exact(parse, body, 20), LATCH_ERR_DECODE);
    CHECK_DETAIL("ClientHello.random: truncated");
}

/* Copy the §3 body into t for mutation. */
static void mut3(void)
{
    size_t len;
    const uint8_t *body = rfc3(&len);

    t.n = 0;
    tb_bytes(&t, body, len);
}

static void test_lengths(void)
{
    static const struct {
        size_t off;
        unsigned bytes;
        const char *field;
    } f[] = {
        {OFF_SID, 1, "ClientHello.legacy_session_id"},
        {OFF_SUITES, 2, "ClientHello.cipher_suites"},
        {OFF_COMP, 1, "ClientHello.legacy_compression_methods"},
        {OFF_EXTS, 2, "ClientHello"},
    };

    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        for (int d = -1; d <= 1; d += 2) {
            size_t v;

            mut3();
            v = (f[i].bytes == 1) ? t.b[f[i].off] : (size_t)(t.b[f[i].off] << 8 | t.b[f[i].off + 1]);
            v = (size_t)((long)v + d);
            if (f[i].bytes == 1) {
                t.b[f[i].off] = (uint8_t)v;
            } else {
                put16(t.b + f[i].off, v);
            }
            /* The damage shows where the next field stops making sense. */
            if (latch_client_hello_parse(latch_rd_make(t.b, t.n), &g_ch) != LATCH_ERR_DECODE) {
                latch_test_fail(__FILE__, __LINE__, "%s %+d: not DECODE", f[i].field, d);
            }
        }
    }
}

/* Assemble a ClientHello body: sid, suites, compression, then an optional
 * extension block taken from x (NULL: none). */
static void ch_body(size_t sid_len, size_t suites_len, size_t comp_len, const tbuf *x)
{
    t.n = 0;
    tb_u16(&t, 0x0303);
    tb_fill(&t, 0x11, 32);
    tb_u8(&t, (unsigned)sid_len);
    tb_fill(&t, 0x22, sid_len);
    tb_u16(&t, suites_len);
    for (size_t i = 0; i < suites_len / 2; i++) {
        tb_u16(&t, 0x1301 + i);
    }
    tb_fill(&t, 0x13, suites_len % 2);
    tb_u8(&t, (unsigned)comp_len);
    tb_fill(&t, 0, comp_len);
    if (x != NULL) {
        tb_u16(&t, x->n);
        tb_bytes(&t, x->b, x->n);
    }
}

static tbuf x;

static void test_fields(void)
{
    static uint8_t big[2 + 0x10000 + 64];

    ch_body(32, 2, 1, NULL);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    CHECK_EQ(g_ch.session_id.len, 32);
    ch_body(33, 2, 1, NULL);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("ClientHello.legacy_session_id: length 33 outside <0..32>");
    ch_body(0, 0, 1, NULL);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("ClientHello.cipher_suites: length 0 outside <2..65534>");
    ch_body(0, 3, 1, NULL);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("ClientHello.cipher_suites: odd length 3");
    ch_body(0, 2, 0, NULL);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    CHECK_DETAIL("ClientHello.legacy_compression_methods: length 0 outside <1..255>");
    ch_body(0, 2, 255, NULL);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    /* An empty extension block is legal in TLS 1.2 (see msg.h). */
    x.n = 0;
    ch_body(0, 2, 1, &x);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    CHECK_EQ(g_ch.exts.count, 0);
    /* cipher_suites<2..2^16-2>: 65534 is the most, 65535 is over. */
    ch_body(0, 2, 1, NULL);
    memcpy(big, t.b, 35);
    put16(big + 35, 0xFFFE);
    big[35 + 2 + 0xFFFE] = 1;
    big[35 + 2 + 0xFFFE + 1] = 0;
    CHECK_OK(parse_exact(parse, big, 35 + 2 + 0xFFFE + 2));
    CHECK_EQ(latch_u16s_count(g_ch.cipher_suites), 0x7FFF);
    put16(big + 35, 0xFFFF);
    CHECK_ERR(parse_exact(parse, big, 35 + 2 + 0xFFFF + 2), LATCH_ERR_DECODE);
    CHECK_DETAIL("length 65535 outside <2..65534>");
}

static void test_extensions(void)
{
    /* Duplicates, recognised and not. */
    x.n = 0;
    tb_ext(&x, LATCH_EXT_SUPPORTED_VERSIONS, "\x02\x03\x04", 3);
    tb_ext(&x, LATCH_EXT_SUPPORTED_VERSIONS, "\x02\x03\x04", 3);
    ch_body(0, 2, 1, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DUPLICATE_EXTENSION);
    x.n = 0;
    tb_ext(&x, 0x7777, NULL, 0);
    tb_ext(&x, 0x7777, NULL, 0);
    ch_body(0, 2, 1, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DUPLICATE_EXTENSION);
    /* Unknown ones are ignored. */
    x.n = 0;
    tb_ext(&x, 0x7777, "abc", 3);
    tb_ext(&x, 0x0A0A, NULL, 0);
    ch_body(0, 2, 1, &x);
    CHECK_OK(parse_exact(parse, t.b, t.n));
    CHECK_EQ(g_ch.exts.count, 2);
    CHECK_EQ(g_ch.exts.present, 0);
    /* Not allowed in a ClientHello (RFC 8446 §4.2: CR only). */
    x.n = 0;
    tb_ext(&x, LATCH_EXT_OID_FILTERS, "\x00\x00", 2);
    ch_body(0, 2, 1, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    CHECK_DETAIL("oid_filters is not allowed");
    /* pre_shared_key not last. */
    x.n = 0;
    tb_ext(&x, LATCH_EXT_PRE_SHARED_KEY, "\x00", 1);
    tb_ext(&x, LATCH_EXT_EARLY_DATA, NULL, 0);
    ch_body(0, 2, 1, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_ILLEGAL_PARAMETER);
    /* Too many. */
    x.n = 0;
    for (unsigned i = 0; i <= LATCH_MAX_EXTENSIONS; i++) {
        tb_ext(&x, (uint16_t)(0x3000 + i), NULL, 0);
    }
    ch_body(0, 2, 1, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
    /* An extension length one too long, at the end of the block. */
    x.n = 0;
    tb_ext(&x, LATCH_EXT_EARLY_DATA, NULL, 0);
    put16(x.b + 2, 1);
    ch_body(0, 2, 1, &x);
    CHECK_ERR(parse_exact(parse, t.b, t.n), LATCH_ERR_DECODE);
}

/* ---- Building --------------------------------------------------------------- */

static const uint16_t suites[] = {LATCH_TLS_AES_128_GCM_SHA256, LATCH_TLS_CHACHA20_POLY1305_SHA256};
static const uint16_t versions[] = {LATCH_TLS13, LATCH_TLS12};
static const uint16_t groups[] = {LATCH_GROUP_X25519, LATCH_GROUP_SECP256R1};
static const uint16_t sigalgs[] = {LATCH_SIG_ECDSA_SECP256R1_SHA256, LATCH_SIG_RSA_PSS_RSAE_SHA256};
static const uint8_t pub[32] = {1, 2, 3};
static const uint8_t modes[] = {LATCH_PSK_DHE_KE};
static const uint8_t alpn[] = {0x02, 'h', '2', 0x08, 'h', 't', 't', 'p', '/', '1', '.', '1'};
static const uint8_t sid[32] = {0x5A};
static const uint8_t ticket[] = {0xAA, 0xBB, 0xCC};
static latch_key_share share = {LATCH_GROUP_X25519, {pub, sizeof pub}};
static latch_psk_identity psk[2] = {{{(const uint8_t *)"ticket-one", 10}, 1000, {NULL, 32}},
                                    {{(const uint8_t *)"ticket-two", 10}, 2000, {NULL, 48}}};
static latch_client_hello_out cho;

static latch_err build_cho(latch_wr *w)
{
    return latch_client_hello_build(w, &cho);
}

static void full_out(void)
{
    memset(&cho, 0, sizeof cho);
    cho.legacy_version = LATCH_TLS12;
    memset(cho.random, 0x42, 32);
    cho.session_id = sid;
    cho.session_id_len = sizeof sid;
    cho.suites = suites;
    cho.n_suites = 2;
    cho.versions = versions;
    cho.n_versions = 2;
    cho.groups = groups;
    cho.n_groups = 2;
    cho.shares = &share;
    cho.n_shares = 1;
    cho.sigalgs = sigalgs;
    cho.n_sigalgs = 2;
    cho.sigalgs_cert = sigalgs;
    cho.n_sigalgs_cert = 1;
    cho.server_name = "example.com";
    cho.alpn_wire = alpn;
    cho.alpn_len = sizeof alpn;
    cho.psk_modes = modes;
    cho.n_psk_modes = 1;
    cho.cookie = (const uint8_t *)"cookie!";
    cho.cookie_len = 7;
    cho.post_handshake_auth = true;
    cho.early_data = true;
    cho.tls12 = true;
    cho.session_ticket = ticket;
    cho.session_ticket_len = sizeof ticket;
    cho.record_size_limit = 4096;
    cho.psks = psk;
    cho.n_psks = 2;
}

/* The code points of a built ClientHello's extensions, in order. */
static size_t ext_order(const uint8_t *msg, size_t len, uint16_t *codes, latch_rd *datas)
{
    latch_rd body = MSG_BODY(msg, len, LATCH_HS_CLIENT_HELLO), r, v;
    size_t n = 0;
    uint16_t code;

    if (latch_client_hello_parse(body, &g_ch) != LATCH_OK) {
        latch_test_fail(__FILE__, __LINE__, "built ClientHello does not parse: %s", latch__err_last()->detail);
        return 0;
    }
    /* Walk the block again to see the order (the parser keeps the set). */
    {
        size_t off = (size_t)(g_ch.compression_methods.p + g_ch.compression_methods.len - msg) + 2;

        if (off >= len) {
            return 0;
        }
        r = latch_rd_make(msg + off, len - off);
    }
    while (latch_rd_u16(&r, &code) == LATCH_OK && latch_rd_vec(&r, 2, 0, 0xFFFF, &v) == LATCH_OK) {
        codes[n] = code;
        datas[n] = v;
        n++;
    }
    return n;
}

static void test_round_trip_full(void)
{
    uint16_t codes[64];
    latch_rd datas[64], v;
    latch_u16s l;
    static latch_key_shares ks;
    static latch_offered_psks op;
    size_t n, ne;
    const uint16_t want[] = {
        LATCH_EXT_SERVER_NAME,          LATCH_EXT_EXTENDED_MASTER_SECRET,
        LATCH_EXT_RENEGOTIATION_INFO,   LATCH_EXT_SUPPORTED_GROUPS,
        LATCH_EXT_EC_POINT_FORMATS,     LATCH_EXT_SESSION_TICKET,
        LATCH_EXT_ALPN,                 LATCH_EXT_KEY_SHARE,
        LATCH_EXT_EARLY_DATA,           LATCH_EXT_SUPPORTED_VERSIONS,
        LATCH_EXT_SIGNATURE_ALGORITHMS, LATCH_EXT_SIGNATURE_ALGORITHMS_CERT,
        LATCH_EXT_COOKIE,               LATCH_EXT_PSK_KEY_EXCHANGE_MODES,
        LATCH_EXT_POST_HANDSHAKE_AUTH,  LATCH_EXT_RECORD_SIZE_LIMIT,
        LATCH_EXT_PRE_SHARED_KEY,
    };

    full_out();
    n = BUILD_INTO(build_cho, out, sizeof out);
    REQUIRE(n > 0);
    ne = ext_order(out, n, codes, datas);
    REQUIRE(ne == sizeof want / sizeof want[0]);
    for (size_t i = 0; i < ne; i++) {
        CHECK_EQ(codes[i], want[i]);
    }
    /* The parsed struct and every extension's content. */
    CHECK_EQ(g_ch.legacy_version, LATCH_TLS12);
    CHECK_EQ(g_ch.random[17], 0x42);
    CHECK_MEM(g_ch.session_id.p, g_ch.session_id.len, sid, sizeof sid);
    CHECK_EQ(latch_u16s_count(g_ch.cipher_suites), 2);
    CHECK_EQ(latch_u16s_at(g_ch.cipher_suites, 1), LATCH_TLS_CHACHA20_POLY1305_SHA256);
    CHECK_OK(latch_ext_server_name_parse(g_ch.exts.data[LATCH_X_SERVER_NAME], &v));
    CHECK_MEM(v.p, v.len, (const uint8_t *)"example.com", 11);
    CHECK_OK(latch_ext_empty_parse(g_ch.exts.data[LATCH_X_EXTENDED_MASTER_SECRET]));
    CHECK_OK(latch_ext_reneg_parse(g_ch.exts.data[LATCH_X_RENEGOTIATION_INFO], &v));
    CHECK_EQ(v.len, 0);
    CHECK_OK(latch_ext_groups_parse(g_ch.exts.data[LATCH_X_SUPPORTED_GROUPS], &l));
    CHECK_EQ(latch_u16s_at(l, 1), LATCH_GROUP_SECP256R1);
    CHECK_OK(latch_ext_point_formats_parse(g_ch.exts.data[LATCH_X_EC_POINT_FORMATS]));
    CHECK_MEM(g_ch.exts.data[LATCH_X_SESSION_TICKET].p, g_ch.exts.data[LATCH_X_SESSION_TICKET].len, ticket,
              sizeof ticket);
    CHECK_OK(latch_ext_alpn_parse(g_ch.exts.data[LATCH_X_ALPN], &v));
    CHECK_MEM(v.p, v.len, alpn, sizeof alpn);
    CHECK_OK(latch_ext_key_share_ch_parse(g_ch.exts.data[LATCH_X_KEY_SHARE], &ks));
    CHECK_EQ(ks.n, 1);
    CHECK_MEM(ks.e[0].key_exchange.p, ks.e[0].key_exchange.len, pub, sizeof pub);
    CHECK_OK(latch_ext_empty_parse(g_ch.exts.data[LATCH_X_EARLY_DATA]));
    CHECK_OK(latch_ext_versions_ch_parse(g_ch.exts.data[LATCH_X_SUPPORTED_VERSIONS], &l));
    CHECK_EQ(latch_u16s_count(l), 2);
    CHECK_OK(latch_ext_sigalgs_parse(g_ch.exts.data[LATCH_X_SIGNATURE_ALGORITHMS], &l));
    CHECK_EQ(latch_u16s_count(l), 2);
    CHECK_OK(latch_ext_sigalgs_parse(g_ch.exts.data[LATCH_X_SIGNATURE_ALGORITHMS_CERT], &l));
    CHECK_EQ(latch_u16s_count(l), 1);
    CHECK_OK(latch_ext_cookie_parse(g_ch.exts.data[LATCH_X_COOKIE], &v));
    CHECK_MEM(v.p, v.len, (const uint8_t *)"cookie!", 7);
    CHECK_OK(latch_ext_psk_modes_parse(g_ch.exts.data[LATCH_X_PSK_KEY_EXCHANGE_MODES], &v));
    CHECK_MEM(v.p, v.len, modes, 1);
    CHECK_OK(latch_ext_empty_parse(g_ch.exts.data[LATCH_X_POST_HANDSHAKE_AUTH]));
    {
        uint16_t rsl;

        CHECK_OK(latch_ext_record_size_limit_parse(g_ch.exts.data[LATCH_X_RECORD_SIZE_LIMIT], &rsl));
        CHECK_EQ(rsl, 4096);
    }
    CHECK_OK(latch_ext_psk_ch_parse(g_ch.exts.data[LATCH_X_PRE_SHARED_KEY], &op));
    CHECK_EQ(op.n, 2);
    CHECK_MEM(op.e[1].identity.p, op.e[1].identity.len, (const uint8_t *)"ticket-two", 10);
    CHECK_EQ(op.e[1].obfuscated_ticket_age, 2000);
    CHECK_EQ(op.e[1].binder.len, 48);
    CHECK_EQ(op.binders_len, latch_client_hello_binders_len(&cho));
    CHECK_EQ(op.binders_len, 2 + 33 + 49);
    /* The binders are the message's last bytes. */
    CHECK(op.e[1].binder.p + 48 == out + n);
    CHECK(op.e[0].binder.p - 1 - 2 == out + n - op.binders_len);

    /* Short buffers. */
    {
        static uint8_t copy[2048];

        memcpy(copy, out, n);
        CHECK_BUILD_CAPS(build_cho, copy, n);
    }
}

/* RFC 8701: GREASE in the suites, groups + share, versions, schemes, and two
 * extensions. */
static void test_grease(void)
{
    uint16_t codes[64];
    latch_rd datas[64];
    latch_u16s l;
    static latch_key_shares ks;
    size_t n, ne;

    full_out();
    cho.grease = 0x4A4A;
    cho.grease2 = 0xBABA;
    n = BUILD_INTO(build_cho, out, sizeof out);
    REQUIRE(n > 0);
    ne = ext_order(out, n, codes, datas);
    REQUIRE(ne == 19);
    CHECK_EQ(latch_u16s_count(g_ch.cipher_suites), 3);
    CHECK_EQ(latch_u16s_at(g_ch.cipher_suites, 0), 0x4A4A);
    CHECK_EQ(latch_u16s_at(g_ch.cipher_suites, 1), LATCH_TLS_AES_128_GCM_SHA256);
    /* First: an empty GREASE extension. */
    CHECK_EQ(codes[0], 0x4A4A);
    CHECK_EQ(datas[0].len, 0);
    /* Last but pre_shared_key: the second GREASE extension with one zero byte. */
    CHECK_EQ(codes[ne - 2], 0xBABA);
    CHECK_MEM(datas[ne - 2].p, datas[ne - 2].len, (const uint8_t *)"\x00", 1);
    CHECK_EQ(codes[ne - 1], LATCH_EXT_PRE_SHARED_KEY);
    CHECK_OK(latch_ext_groups_parse(g_ch.exts.data[LATCH_X_SUPPORTED_GROUPS], &l));
    CHECK_EQ(latch_u16s_count(l), 3);
    CHECK_EQ(latch_u16s_at(l, 0), 0x4A4A);
    CHECK_OK(latch_ext_key_share_ch_parse(g_ch.exts.data[LATCH_X_KEY_SHARE], &ks));
    REQUIRE(ks.n == 2);
    CHECK_EQ(ks.e[0].group, 0x4A4A);
    CHECK_MEM(ks.e[0].key_exchange.p, ks.e[0].key_exchange.len, (const uint8_t *)"\x00", 1);
    CHECK_EQ(ks.e[1].group, LATCH_GROUP_X25519);
    CHECK_OK(latch_ext_versions_ch_parse(g_ch.exts.data[LATCH_X_SUPPORTED_VERSIONS], &l));
    CHECK_EQ(latch_u16s_count(l), 3);
    CHECK_EQ(latch_u16s_at(l, 0), 0x4A4A);
    CHECK_OK(latch_ext_sigalgs_parse(g_ch.exts.data[LATCH_X_SIGNATURE_ALGORITHMS], &l));
    CHECK_EQ(latch_u16s_count(l), 3);
    CHECK_EQ(latch_u16s_at(l, 0), 0x4A4A);
    /* signature_algorithms_cert is left alone. */
    CHECK_OK(latch_ext_sigalgs_parse(g_ch.exts.data[LATCH_X_SIGNATURE_ALGORITHMS_CERT], &l));
    CHECK_EQ(latch_u16s_count(l), 1);

    /* Without a key share list, the GREASE share still goes out when key_share is sent. */
    full_out();
    cho.n_shares = 0;
    cho.key_share_ext = true;
    cho.grease = 0x0A0A;
    cho.n_psks = 0;
    n = BUILD_INTO(build_cho, out, sizeof out);
    ext_order(out, n, codes, datas);
    CHECK_OK(latch_ext_key_share_ch_parse(g_ch.exts.data[LATCH_X_KEY_SHARE], &ks));
    CHECK_EQ(ks.n, 1);
    CHECK_EQ(ks.e[0].group, 0x0A0A);
    /* Without psk, GREASE 2 is last. */
    full_out();
    cho.n_psks = 0;
    cho.grease2 = 0x1A1A;
    n = BUILD_INTO(build_cho, out, sizeof out);
    ne = ext_order(out, n, codes, datas);
    CHECK_EQ(codes[ne - 1], 0x1A1A);
}

static void test_padding(void)
{
    uint16_t codes[64];
    latch_rd datas[64];
    size_t n0, n, ne;

    full_out();
    cho.n_psks = 0;
    n0 = BUILD_INTO(build_cho, out, sizeof out);
    /* Shorter than the message: no padding. */
    cho.pad_to = n0;
    CHECK_EQ(BUILD_INTO(build_cho, out, sizeof out), n0);
    CHECK(!latch_exts_has(&g_ch.exts, LATCH_X_PADDING));
    /* 1..3 bytes short: the smallest padding extension (4 bytes) overshoots;
     * 4 bytes short: an empty one lands exactly. */
    for (size_t d = 1; d <= 4; d++) {
        cho.pad_to = n0 + d;
        n = BUILD_INTO(build_cho, out, sizeof out);
        CHECK_EQ(n, n0 + 4);
        ext_order(out, n, codes, datas);
        CHECK(latch_exts_has(&g_ch.exts, LATCH_X_PADDING));
        CHECK_EQ(g_ch.exts.data[LATCH_X_PADDING].len, 0);
    }
    for (size_t target = n0 + 5; target < n0 + 600; target += 97) {
        cho.pad_to = target;
        CHECK_EQ(BUILD_INTO(build_cho, out, sizeof out), target);
    }
    /* With pre_shared_key and GREASE 2 after it, the whole message lands on
     * pad_to and pre_shared_key stays last. */
    full_out();
    cho.grease2 = 0xCACA;
    cho.pad_to = 1024;
    n = BUILD_INTO(build_cho, out, sizeof out);
    CHECK_EQ(n, 1024);
    ne = ext_order(out, n, codes, datas);
    REQUIRE(ne >= 3);
    CHECK_EQ(codes[ne - 3], LATCH_EXT_PADDING);
    CHECK_EQ(codes[ne - 2], 0xCACA);
    CHECK_EQ(codes[ne - 1], LATCH_EXT_PRE_SHARED_KEY);
    for (size_t i = 0; i < datas[ne - 3].len; i++) {
        CHECK_EQ(datas[ne - 3].p[i], 0);
    }
    /* Padding the block past 2^16-1: refused, nothing written. */
    {
        latch_wr w;

        cho.pad_to = 70000;
        latch_wr_init(&w, out, sizeof out);
        CHECK_ERR(latch_client_hello_build(&w, &cho), LATCH_ERR_INVALID_ARGUMENT);
        CHECK_DETAIL("pad_to 70000");
        CHECK_EQ(latch_wr_len(&w), 0);
        CHECK_OK(latch_wr_finish(&w));
    }
}

static void test_minimal(void)
{
    size_t n;
    const uint16_t one = 0x009C;

    memset(&cho, 0, sizeof cho);
    cho.legacy_version = LATCH_TLS12;
    cho.suites = &one;
    cho.n_suites = 1;
    n = BUILD_INTO(build_cho, out, sizeof out);
    /* type, length, version, random, sid, suites, compression: no block. */
    CHECK_EQ(n, 4 + 2 + 32 + 1 + 4 + 2);
    REQUIRE_OK(latch_client_hello_parse(MSG_BODY(out, n, LATCH_HS_CLIENT_HELLO), &g_ch));
    CHECK_EQ(g_ch.exts.count, 0);
    CHECK_EQ(latch_client_hello_binders_len(&cho), 0);
    /* TLS 1.2 only: EMS, renegotiation_info, ec_point_formats, session_ticket. */
    cho.tls12 = true;
    n = BUILD_INTO(build_cho, out, sizeof out);
    REQUIRE_OK(latch_client_hello_parse(MSG_BODY(out, n, LATCH_HS_CLIENT_HELLO), &g_ch));
    CHECK_EQ(g_ch.exts.present,
             LATCH_XBIT(LATCH_X_EXTENDED_MASTER_SECRET) | LATCH_XBIT(LATCH_X_RENEGOTIATION_INFO) |
                 LATCH_XBIT(LATCH_X_EC_POINT_FORMATS) | LATCH_XBIT(LATCH_X_SESSION_TICKET));
    CHECK_EQ(g_ch.exts.data[LATCH_X_SESSION_TICKET].len, 0);
}

static void test_invalid_arguments(void)
{
    latch_wr w;
    latch_psk_identity bad_psk[9];

#define BAD(stmt, detail)                                                          \
    do {                                                                           \
        full_out();                                                                \
        stmt;                                                                      \
        latch_wr_init(&w, out, sizeof out);                                        \
        CHECK_ERR(latch_client_hello_build(&w, &cho), LATCH_ERR_INVALID_ARGUMENT); \
        CHECK_DETAIL(detail);                                                      \
        CHECK_EQ(latch_wr_len(&w), 0);                                             \
    } while (0)
    BAD(cho.n_suites = 0, "cipher_suites");
    BAD(cho.session_id_len = 33, "legacy_session_id");
    BAD(cho.session_id = NULL, "legacy_session_id");
    BAD(cho.server_name = "10.0.0.1", "server_name");
    BAD(cho.server_name = "example.com.", "server_name");
    BAD(cho.server_name = "", "server_name");
    BAD(cho.alpn_len = 4, "alpn_wire");
    BAD((cho.alpn_wire = (const uint8_t *)"\x00\x02h2", cho.alpn_len = 4), "alpn_wire");
    BAD(cho.cookie_len = 0, "cookie");
    BAD(cho.record_size_limit = 63, "record_size_limit");
    BAD(cho.grease = 0x1234, "grease");
    BAD((cho.grease = 0x0A0A, cho.grease2 = 0x0A0A), "grease2");
    BAD(cho.grease2 = 0x0B0B, "grease2");
    BAD(cho.n_versions = 128, "supported_versions");
    BAD(cho.n_psk_modes = 256, "psk_key_exchange_modes");
    BAD(psk[1].binder.len = 31, "binder 1 has 31 bytes");
    psk[1].binder.len = 48;
    BAD(psk[0].binder.len = 256, "binder 0 has 256 bytes");
    psk[0].binder.len = 32;
    BAD(psk[0].identity.len = 0, "identity 0 has 0 bytes");
    psk[0].identity.len = 10;
    for (size_t i = 0; i < 9; i++) {
        bad_psk[i] = psk[0];
    }
    BAD((cho.psks = bad_psk, cho.n_psks = 9), "9 identities");
    {
        latch_key_share empty_share = {LATCH_GROUP_X25519, {NULL, 0}};

        BAD(cho.shares = &empty_share, "key_share: share 0 has 0 bytes");
    }
#undef BAD
    /* A writer already failed stays failed. */
    full_out();
    latch_wr_init(&w, out, 0);
    latch_wr_u8(&w, 1);
    CHECK_ERR(latch_client_hello_build(&w, &cho), LATCH_ERR_BUFFER_TOO_SMALL);
}

static const latch_test cases[] = {
    TEST(test_rfc8448_all),
    TEST(test_rfc8448_fields),
    TEST(test_rfc8448_psk_binders),
    TEST(test_truncation),
    TEST(test_lengths),
    TEST(test_fields),
    TEST(test_extensions),
    TEST(test_round_trip_full),
    TEST(test_grease),
    TEST(test_padding),
    TEST(test_minimal),
    TEST(test_invalid_arguments),
    {0},
};

LATCH_TEST_MAIN(cases)
