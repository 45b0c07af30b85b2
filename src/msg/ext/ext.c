/*
 * The extension table, the extension block parser and u16 lists.
 * See ext.h.
 */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

#include <stddef.h>

#define CH LATCH_CTX_CH
#define SH LATCH_CTX_SH
#define HRR LATCH_CTX_HRR
#define EE LATCH_CTX_EE
#define CT LATCH_CTX_CT
#define CR LATCH_CTX_CR
#define NST LATCH_CTX_NST
#define SH12 LATCH_CTX_SH12

/*
 * RFC 8446 §4.2: the TLS 1.3 column is copied from the RFC's table. Added:
 * record_size_limit (RFC 8449 §4: CH, and the server's answer in EE, or in
 * the ServerHello below TLS 1.3); the TLS 1.2-only extensions in CH and the
 * TLS 1.2 ServerHello (RFC 8422 §5.1.2, RFC 7627 §5.1, RFC 5077 §3.2,
 * RFC 5746 §3.6, RFC 7366 §2); and the extensions RFC 6066, 7301, 6962, 6520,
 * 5764 and 7250 let a TLS 1.2 server answer in its ServerHello.
 * Sorted by id, so that by_id is an index.
 */
static const latch_ext_info table[LATCH_X__COUNT] = {
    {LATCH_EXT_SERVER_NAME, LATCH_X_SERVER_NAME, "server_name", CH | EE | SH12},
    {LATCH_EXT_MAX_FRAGMENT_LENGTH, LATCH_X_MAX_FRAGMENT_LENGTH, "max_fragment_length", CH | EE | SH12},
    {LATCH_EXT_STATUS_REQUEST, LATCH_X_STATUS_REQUEST, "status_request", CH | CR | CT | SH12},
    {LATCH_EXT_SUPPORTED_GROUPS, LATCH_X_SUPPORTED_GROUPS, "supported_groups", CH | EE},
    {LATCH_EXT_EC_POINT_FORMATS, LATCH_X_EC_POINT_FORMATS, "ec_point_formats", CH | SH12},
    {LATCH_EXT_SIGNATURE_ALGORITHMS, LATCH_X_SIGNATURE_ALGORITHMS, "signature_algorithms", CH | CR},
    {LATCH_EXT_USE_SRTP, LATCH_X_USE_SRTP, "use_srtp", CH | EE | SH12},
    {LATCH_EXT_HEARTBEAT, LATCH_X_HEARTBEAT, "heartbeat", CH | EE | SH12},
    {LATCH_EXT_ALPN, LATCH_X_ALPN, "application_layer_protocol_negotiation", CH | EE | SH12},
    {LATCH_EXT_SCT, LATCH_X_SCT, "signed_certificate_timestamp", CH | CR | CT | SH12},
    {LATCH_EXT_CLIENT_CERT_TYPE, LATCH_X_CLIENT_CERT_TYPE, "client_certificate_type", CH | EE | SH12},
    {LATCH_EXT_SERVER_CERT_TYPE, LATCH_X_SERVER_CERT_TYPE, "server_certificate_type", CH | EE | SH12},
    {LATCH_EXT_PADDING, LATCH_X_PADDING, "padding", CH},
    {LATCH_EXT_ENCRYPT_THEN_MAC, LATCH_X_ENCRYPT_THEN_MAC, "encrypt_then_mac", CH | SH12},
    {LATCH_EXT_EXTENDED_MASTER_SECRET, LATCH_X_EXTENDED_MASTER_SECRET, "extended_master_secret", CH | SH12},
    {LATCH_EXT_RECORD_SIZE_LIMIT, LATCH_X_RECORD_SIZE_LIMIT, "record_size_limit", CH | EE | SH12},
    {LATCH_EXT_SESSION_TICKET, LATCH_X_SESSION_TICKET, "session_ticket", CH | SH12},
    {LATCH_EXT_PRE_SHARED_KEY, LATCH_X_PRE_SHARED_KEY, "pre_shared_key", CH | SH},
    {LATCH_EXT_EARLY_DATA, LATCH_X_EARLY_DATA, "early_data", CH | EE | NST},
    {LATCH_EXT_SUPPORTED_VERSIONS, LATCH_X_SUPPORTED_VERSIONS, "supported_versions", CH | SH | HRR},
    {LATCH_EXT_COOKIE, LATCH_X_COOKIE, "cookie", CH | HRR},
    {LATCH_EXT_PSK_KEY_EXCHANGE_MODES, LATCH_X_PSK_KEY_EXCHANGE_MODES, "psk_key_exchange_modes", CH},
    {LATCH_EXT_CERTIFICATE_AUTHORITIES, LATCH_X_CERTIFICATE_AUTHORITIES, "certificate_authorities", CH | CR},
    {LATCH_EXT_OID_FILTERS, LATCH_X_OID_FILTERS, "oid_filters", CR},
    {LATCH_EXT_POST_HANDSHAKE_AUTH, LATCH_X_POST_HANDSHAKE_AUTH, "post_handshake_auth", CH},
    {LATCH_EXT_SIGNATURE_ALGORITHMS_CERT, LATCH_X_SIGNATURE_ALGORITHMS_CERT, "signature_algorithms_cert", CH | CR},
    {LATCH_EXT_KEY_SHARE, LATCH_X_KEY_SHARE, "key_share", CH | SH | HRR},
    {LATCH_EXT_RENEGOTIATION_INFO, LATCH_X_RENEGOTIATION_INFO, "renegotiation_info", CH | SH12},
};

const latch_ext_info *latch_ext_lookup(uint16_t code)
{
    for (size_t i = 0; i < LATCH_X__COUNT; i++) {
        if (table[i].code == code) {
            return &table[i];
        }
    }
    return NULL;
}

const latch_ext_info *latch_ext_by_id(latch_ext_id id)
{
    if ((unsigned)id >= (unsigned)LATCH_X__COUNT) {
        return NULL;
    }
    return &table[id];
}

const char *latch_ext_name(uint16_t code)
{
    const latch_ext_info *x = latch_ext_lookup(code);

    return (x == NULL) ? "unknown" : x->name;
}

bool latch_ext_is_grease(uint16_t v)
{
    /* RFC 8701 §2: {0x0A0A, 0x1A1A, ..., 0xFAFA}. */
    return (v & 0x0F0Fu) == 0x0A0Au && (v >> 8) == (v & 0xFFu);
}

static const char *ctx_name(unsigned ctx)
{
    switch (ctx) {
    case LATCH_CTX_CH: return "ClientHello";
    case LATCH_CTX_SH: return "ServerHello";
    case LATCH_CTX_HRR: return "HelloRetryRequest";
    case LATCH_CTX_EE: return "EncryptedExtensions";
    case LATCH_CTX_CT: return "CertificateEntry";
    case LATCH_CTX_CR: return "CertificateRequest";
    case LATCH_CTX_NST: return "NewSessionTicket";
    case LATCH_CTX_SH12: return "ServerHello (TLS 1.2)";
    default: return "?";
    }
}

/*
 * RFC 8446 §4.2:
 *   struct {
 *       ExtensionType extension_type;
 *       opaque extension_data<0..2^16-1>;
 *   } Extension;
 */
latch_err latch_exts_parse(latch_rd block, unsigned ctx, latch_exts *out)
{
    uint16_t seen[LATCH_MAX_EXTENSIONS];
    const char *where = ctx_name(ctx);
    bool responding = (ctx & (LATCH_CTX_SH | LATCH_CTX_HRR | LATCH_CTX_EE | LATCH_CTX_SH12)) != 0;
    latch_rd r = block;
    latch_exts t = {0};

    *out = (latch_exts){0};
    LATCH_ENSURE(ctx != 0 && (ctx & (ctx - 1)) == 0 && ctx <= LATCH_CTX_SH12, LATCH_ERR_INTERNAL,
                 "extension block parsed without a single message context");
    while (!latch_rd_empty(&r)) {
        uint16_t code;
        latch_rd data;
        const latch_ext_info *x;

        if (latch_rd_u16(&r, &code) != LATCH_OK) {
            return LATCH_FAIL(LATCH_ERR_DECODE, "%s.extensions: truncated extension_type", where);
        }
        if (latch_rd_vec(&r, 2, 0, 0xFFFF, &data) != LATCH_OK) {
            return LATCH_FAIL(LATCH_ERR_DECODE, "%s.extensions: extension_data of %s (%u) overruns the block",
                              where, latch_ext_name(code), code);
        }
        if (t.count == LATCH_MAX_EXTENSIONS) {
            return LATCH_FAIL(LATCH_ERR_DECODE, "%s.extensions: more than %d extensions", where,
                              LATCH_MAX_EXTENSIONS);
        }
        for (uint16_t i = 0; i < t.count; i++) {
            if (seen[i] == code) {
                /* RFC 8446 §4.2: "There MUST NOT be more than one extension of
                 * the same type in a given extension block." */
                return LATCH_FAIL(LATCH_ERR_DUPLICATE_EXTENSION, "%s.extensions: %s (%u) appears twice", where,
                                  latch_ext_name(code), code);
            }
        }
        if (ctx == LATCH_CTX_CH && t.count > 0 && t.last_code == LATCH_EXT_PRE_SHARED_KEY) {
            /* RFC 8446 §4.2.11: pre_shared_key "MUST be the last extension in
             * the ClientHello"; servers MUST check it (illegal_parameter). */
            return LATCH_FAIL(LATCH_ERR_ILLEGAL_PARAMETER, "ClientHello.extensions: %s (%u) follows pre_shared_key",
                              latch_ext_name(code), code);
        }
        seen[t.count] = code;
        t.count++;
        t.last_code = code;

        x = latch_ext_lookup(code);
        if (x == NULL) {
            if (responding) {
                /* RFC 8446 §4.2: a response may carry only what was offered,
                 * and latch offers nothing it does not recognise. */
                return LATCH_FAIL(LATCH_ERR_UNSUPPORTED_EXTENSION, "%s.extensions: unrequested extension %u",
                                  where, code);
            }
            continue; /* RFC 8446 §4.1.2, §4.3.2, §4.6.1: ignore unknown ones */
        }
        if ((x->contexts & ctx) == 0) {
            /* RFC 8446 §4.2: a recognised extension "not specified for the
             * message in which it appears" -> illegal_parameter. */
            return LATCH_FAIL(LATCH_ERR_ILLEGAL_PARAMETER, "%s.extensions: %s is not allowed in this message",
                              where, x->name);
        }
        t.present |= LATCH_XBIT(x->id);
        t.data[x->id] = data;
    }
    *out = t;
    return LATCH_OK;
}

bool latch_u16s_contains(latch_u16s l, uint16_t v)
{
    size_t n = latch_u16s_count(l);

    for (size_t i = 0; i < n; i++) {
        if (latch_u16s_at(l, i) == v) {
            return true;
        }
    }
    return false;
}

latch_err latch_u16s_read(latch_rd *r, const char *what, unsigned len_bytes, size_t min, size_t max,
                          latch_u16s *out)
{
    latch_rd save = *r, body;

    out->r = (latch_rd){0};
    LATCH_TRY(latch_field_vec(r, what, len_bytes, min, max, &body));
    if (body.len % 2 != 0) {
        *r = save;
        return LATCH_FAIL(LATCH_ERR_DECODE, "%s: odd length %zu", what, body.len);
    }
    out->r = body;
    return LATCH_OK;
}

latch_err latch_u16s_parse(latch_rd r, unsigned len_bytes, size_t min, size_t max, latch_u16s *out)
{
    LATCH_TRY(latch_u16s_read(&r, "u16 list", len_bytes, min, max, out));
    if (latch_rd_end(&r) != LATCH_OK) {
        out->r = (latch_rd){0};
        return LATCH_FAIL(LATCH_ERR_DECODE, "u16 list: %zu trailing bytes", latch_rd_left(&r));
    }
    return LATCH_OK;
}

void latch_ext_u16_list_build(latch_wr *w, uint16_t code, unsigned len_bytes, size_t min, size_t max,
                              uint16_t grease, const uint16_t *v, size_t n)
{
    latch_wr_u16(w, code);
    latch_wr_open(w, 2);
    latch_wr_open(w, len_bytes);
    if (grease != 0) {
        latch_wr_u16(w, grease);
    }
    for (size_t i = 0; i < n; i++) {
        latch_wr_u16(w, v[i]);
    }
    latch_wr_close(w, min, max);
    latch_wr_close(w, 0, 0xFFFF);
}

void latch_ext_empty_build(latch_wr *w, uint16_t code)
{
    latch_wr_u16(w, code);
    latch_wr_u16(w, 0);
}

void latch_ext_opaque_build(latch_wr *w, uint16_t code, const uint8_t *data, size_t len)
{
    latch_wr_u16(w, code);
    latch_wr_open(w, 2);
    latch_wr_bytes(w, data, len);
    latch_wr_close(w, 0, 0xFFFF);
}

latch_err latch_ext_empty_parse(latch_rd data)
{
    LATCH_ENSURE(latch_rd_empty(&data), LATCH_ERR_DECODE, "extension: extension_data must be empty");
    return LATCH_OK;
}
