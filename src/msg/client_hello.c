/* ClientHello (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

#include <string.h>

/*
 * RFC 8446 §4.1.2:
 *   uint16 ProtocolVersion;
 *   opaque Random[32];
 *
 *   uint8 CipherSuite[2];    -- Cryptographic suite selector
 *
 *   struct {
 *       ProtocolVersion legacy_version = 0x0303;    -- TLS v1.2
 *       Random random;
 *       opaque legacy_session_id<0..32>;
 *       CipherSuite cipher_suites<2..2^16-2>;
 *       opaque legacy_compression_methods<1..2^8-1>;
 *       Extension extensions<8..2^16-1>;
 *   } ClientHello;
 *
 * RFC 5246 §7.4.1.2 has the same fields, with
 *       select (extensions_present) {
 *           case false: struct {};
 *           case true:  Extension extensions<0..2^16-1>;
 *       };
 */
latch_err latch_client_hello_parse(latch_rd body, latch_client_hello *ch)
{
    latch_rd exts;

    memset(ch, 0, sizeof *ch);
    LATCH_TRY(latch_field_u16(&body, "ClientHello.legacy_version", &ch->legacy_version));
    LATCH_TRY(latch_field_copy(&body, "ClientHello.random", ch->random, sizeof ch->random));
    LATCH_TRY(latch_field_vec(&body, "ClientHello.legacy_session_id", 1, 0, 32, &ch->session_id));
    LATCH_TRY(latch_u16s_read(&body, "ClientHello.cipher_suites", 2, 2, 0xFFFE, &ch->cipher_suites));
    LATCH_TRY(latch_field_vec(&body, "ClientHello.legacy_compression_methods", 1, 1, 0xFF,
                              &ch->compression_methods));
    if (latch_rd_empty(&body)) {
        return LATCH_OK; /* RFC 5246 §7.4.1.2: no extensions */
    }
    /* <0..2^16-1> (RFC 5246), see msg.h. */
    LATCH_TRY(latch_field_vec(&body, "ClientHello.extensions", 2, 0, 0xFFFF, &exts));
    LATCH_TRY(latch_field_end(&body, "ClientHello"));
    LATCH_TRY(latch_exts_parse(exts, LATCH_CTX_CH, &ch->exts));
    return LATCH_OK;
}

/* ---- Building ------------------------------------------------------------ */

#define BAD(...) LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, __VA_ARGS__)

static size_t shares_len(const latch_client_hello_out *ch)
{
    size_t len = (ch->grease != 0) ? 5 : 0;

    for (size_t i = 0; i < ch->n_shares; i++) {
        len += 4 + ch->shares[i].key_exchange.len;
    }
    return len;
}

static size_t identities_len(const latch_client_hello_out *ch)
{
    size_t len = 0;

    for (size_t i = 0; i < ch->n_psks; i++) {
        len += 2 + ch->psks[i].identity.len + 4;
    }
    return len;
}

size_t latch_client_hello_binders_len(const latch_client_hello_out *ch)
{
    return (ch->n_psks == 0) ? 0 : latch_ext_psk_binders_len(ch->psks, ch->n_psks);
}

/* The bytes written after the padding extension: GREASE 2 and pre_shared_key. */
static size_t tail_len(const latch_client_hello_out *ch)
{
    size_t len = (ch->grease2 != 0) ? 5 : 0;

    if (ch->n_psks > 0) {
        len += 4 + 2 + identities_len(ch) + latch_client_hello_binders_len(ch);
    }
    return len;
}

static bool tls12_ticket(const latch_client_hello_out *ch)
{
    return ch->tls12 || ch->session_ticket_ext;
}

static bool has_exts(const latch_client_hello_out *ch)
{
    return ch->grease != 0 || ch->grease2 != 0 || ch->server_name != NULL || ch->tls12 || ch->reneg_info ||
           ch->session_ticket_ext || ch->n_groups > 0 || ch->alpn_wire != NULL || ch->n_shares > 0 ||
           ch->key_share_ext || ch->early_data || ch->n_versions > 0 || ch->n_sigalgs > 0 ||
           ch->n_sigalgs_cert > 0 || ch->cookie != NULL || ch->n_psk_modes > 0 || ch->post_handshake_auth ||
           ch->record_size_limit != 0 || ch->pad_to > 0 || ch->n_psks > 0;
}

/* Inputs are checked up front, so that nothing is written for a bad one and
 * no vector close can fail on its bounds. */
static latch_err check(const latch_client_hello_out *ch)
{
    size_t g = (ch->grease != 0) ? 1 : 0;

    if (ch->session_id_len > 32 || (ch->session_id == NULL && ch->session_id_len > 0)) {
        return BAD("ClientHello.legacy_session_id: %zu bytes (at most 32)", ch->session_id_len);
    }
    if (ch->n_suites == 0 || ch->n_suites + g > 0x7FFF) {
        return BAD("ClientHello.cipher_suites: %zu suites (1..32766)", ch->n_suites);
    }
    if (ch->grease != 0 && !latch_ext_is_grease(ch->grease)) {
        return BAD("ClientHello: grease 0x%04x is not an RFC 8701 GREASE value", ch->grease);
    }
    if (ch->grease2 != 0 && (!latch_ext_is_grease(ch->grease2) || ch->grease2 == ch->grease)) {
        return BAD("ClientHello: grease2 0x%04x is not a GREASE value different from grease", ch->grease2);
    }
    if (ch->n_versions > 0 && ch->n_versions + g > 127) {
        return BAD("supported_versions: %zu versions (at most 127 with GREASE)", ch->n_versions);
    }
    if (ch->n_groups > 0 && ch->n_groups + g > 0x7FFF) {
        return BAD("supported_groups: %zu groups", ch->n_groups);
    }
    for (size_t i = 0; i < ch->n_shares; i++) {
        if (ch->shares[i].key_exchange.len < 1 || ch->shares[i].key_exchange.len > 0xFFFF) {
            return BAD("key_share: share %zu has %zu bytes (1..65535)", i, ch->shares[i].key_exchange.len);
        }
    }
    if (shares_len(ch) > 0xFFFF) {
        return BAD("key_share.client_shares: %zu bytes (at most 65535)", shares_len(ch));
    }
    if (ch->n_sigalgs > 0 && ch->n_sigalgs + g > 0x7FFF) {
        return BAD("signature_algorithms: %zu schemes", ch->n_sigalgs);
    }
    if (ch->n_sigalgs_cert > 0x7FFF) {
        return BAD("signature_algorithms_cert: %zu schemes", ch->n_sigalgs_cert);
    }
    if (ch->server_name != NULL &&
        latch_ext_host_name_check(latch_rd_make((const uint8_t *)ch->server_name, strlen(ch->server_name))) !=
            LATCH_OK) {
        return BAD("server_name: \"%.64s\" is not a DNS host name", ch->server_name);
    }
    if (ch->alpn_wire != NULL && latch_ext_alpn_count(ch->alpn_wire, ch->alpn_len) == 0) {
        return BAD("application_layer_protocol_negotiation: alpn_wire is not a protocol_name_list body");
    }
    if (ch->n_psk_modes > 255) {
        return BAD("psk_key_exchange_modes: %zu modes (at most 255)", ch->n_psk_modes);
    }
    if (ch->cookie != NULL && (ch->cookie_len < 1 || ch->cookie_len > 0xFFFF)) {
        return BAD("cookie: %zu bytes (1..65535)", ch->cookie_len);
    }
    if (tls12_ticket(ch) && ch->session_ticket_len > 0xFFFF) {
        return BAD("session_ticket: %zu bytes", ch->session_ticket_len);
    }
    if (ch->record_size_limit != 0 && ch->record_size_limit < 64) {
        return BAD("record_size_limit: %u is below 64 (RFC 8449 §4)", ch->record_size_limit);
    }
    if (ch->n_psks > LATCH_MAX_PSK_IDENTITIES) {
        return BAD("pre_shared_key: %zu identities (at most %d)", ch->n_psks, LATCH_MAX_PSK_IDENTITIES);
    }
    for (size_t i = 0; i < ch->n_psks; i++) {
        if (ch->psks[i].identity.len < 1 || ch->psks[i].identity.len > 0xFFFF) {
            return BAD("pre_shared_key: identity %zu has %zu bytes (1..65535)", i, ch->psks[i].identity.len);
        }
        if (ch->psks[i].binder.len < 32 || ch->psks[i].binder.len > 255) {
            return BAD("pre_shared_key: binder %zu has %zu bytes (32..255)", i, ch->psks[i].binder.len);
        }
    }
    if (identities_len(ch) > 0xFFFF || latch_client_hello_binders_len(ch) > 0xFFFF + 2) {
        return BAD("pre_shared_key: the identities or binders exceed 65535 bytes");
    }
    return LATCH_OK;
}

latch_err latch_client_hello_build(latch_wr *w, const latch_client_hello_out *ch)
{
    static const uint8_t zero = 0;
    const latch_wr saved = *w; /* to take back a message that turns out too big */
    size_t start = latch_wr_len(w), exts_at;

    LATCH_TRY(check(ch));
    latch_msg_open(w, LATCH_HS_CLIENT_HELLO);
    latch_wr_u16(w, ch->legacy_version);
    latch_wr_bytes(w, ch->random, sizeof ch->random);
    latch_wr_open(w, 1);
    latch_wr_bytes(w, ch->session_id, ch->session_id_len);
    latch_wr_close(w, 0, 32); /* legacy_session_id<0..32> */
    latch_wr_open(w, 2);
    if (ch->grease != 0) {
        latch_wr_u16(w, ch->grease); /* RFC 8701 §3.1 */
    }
    for (size_t i = 0; i < ch->n_suites; i++) {
        latch_wr_u16(w, ch->suites[i]);
    }
    latch_wr_close(w, 2, 0xFFFE); /* cipher_suites<2..2^16-2> */
    /* RFC 8446 §4.1.2: "this vector MUST contain exactly one byte, set to
     * zero, which corresponds to the "null" compression method". */
    latch_wr_u8(w, 1);
    latch_wr_u8(w, 0);
    if (!has_exts(ch)) {
        return latch_msg_finish(w, "ClientHello");
    }

    latch_wr_open(w, 2);
    exts_at = latch_wr_len(w);
    if (ch->grease != 0) {
        latch_ext_empty_build(w, ch->grease); /* RFC 8701 §3.1 */
    }
    if (ch->server_name != NULL) {
        latch_ext_server_name_build(w, ch->server_name);
    }
    if (ch->tls12) {
        latch_ext_empty_build(w, LATCH_EXT_EXTENDED_MASTER_SECRET);
    }
    if (ch->tls12 || ch->reneg_info) {
        /* RFC 5746 §3.4: an empty renegotiated_connection on the first handshake. */
        latch_ext_reneg_build(w, NULL, 0);
    }
    if (ch->n_groups > 0) {
        latch_ext_u16_list_build(w, LATCH_EXT_SUPPORTED_GROUPS, 2, 2, 0xFFFF, ch->grease, ch->groups, ch->n_groups);
    }
    if (ch->tls12) {
        latch_ext_point_formats_build(w);
    }
    if (tls12_ticket(ch)) {
        latch_ext_opaque_build(w, LATCH_EXT_SESSION_TICKET, ch->session_ticket, ch->session_ticket_len);
    }
    if (ch->alpn_wire != NULL) {
        latch_ext_alpn_build(w, ch->alpn_wire, ch->alpn_len);
    }
    if (ch->n_shares > 0 || ch->key_share_ext) {
        latch_ext_key_share_ch_build_grease(w, ch->no_grease_share ? 0 : ch->grease, ch->shares, ch->n_shares);
    }
    if (ch->early_data) {
        latch_ext_empty_build(w, LATCH_EXT_EARLY_DATA);
    }
    if (ch->n_versions > 0) {
        latch_ext_u16_list_build(w, LATCH_EXT_SUPPORTED_VERSIONS, 1, 2, 254, ch->grease, ch->versions,
                                 ch->n_versions);
    }
    if (ch->n_sigalgs > 0) {
        latch_ext_u16_list_build(w, LATCH_EXT_SIGNATURE_ALGORITHMS, 2, 2, 0xFFFE, ch->grease, ch->sigalgs,
                                 ch->n_sigalgs);
    }
    if (ch->n_sigalgs_cert > 0) {
        latch_ext_sigalgs_build(w, LATCH_EXT_SIGNATURE_ALGORITHMS_CERT, ch->sigalgs_cert, ch->n_sigalgs_cert);
    }
    if (ch->cookie != NULL) {
        latch_ext_cookie_build(w, ch->cookie, ch->cookie_len);
    }
    if (ch->n_psk_modes > 0) {
        latch_ext_psk_modes_build(w, ch->psk_modes, ch->n_psk_modes);
    }
    if (ch->post_handshake_auth) {
        latch_ext_empty_build(w, LATCH_EXT_POST_HANDSHAKE_AUTH);
    }
    if (ch->record_size_limit != 0) {
        latch_ext_record_size_limit_build(w, ch->record_size_limit);
    }
    if (ch->pad_to > 0) {
        /* RFC 7685 §3: pad so that the whole message, with what follows the
         * padding, reaches pad_to (a 4-byte extension header at least). */
        size_t have = latch_wr_len(w) - start + tail_len(ch);

        if (have < ch->pad_to) {
            size_t pad = (ch->pad_to - have > 4) ? ch->pad_to - have - 4 : 0;

            if (latch_wr_len(w) - exts_at + 4 + pad + tail_len(ch) > 0xFFFF) {
                *w = saved;
                return BAD("ClientHello: pad_to %zu overflows the extension block", ch->pad_to);
            }
            latch_ext_padding_build(w, pad);
        }
    }
    if (ch->grease2 != 0) {
        latch_ext_opaque_build(w, ch->grease2, &zero, 1); /* RFC 8701 §3.1 */
    }
    if (ch->n_psks > 0) {
        /* RFC 8446 §4.2.11: "MUST be the last extension in the ClientHello". */
        latch_ext_psk_ch_build(w, ch->psks, ch->n_psks);
    }
    if (w->err == LATCH_OK && latch_wr_len(w) - exts_at > 0xFFFF) {
        size_t n = latch_wr_len(w) - exts_at;

        *w = saved;
        return BAD("ClientHello.extensions: %zu bytes (at most 65535)", n);
    }
    latch_wr_close(w, 0, 0xFFFF); /* extensions<0..2^16-1>, see the parser */
    return latch_msg_finish(w, "ClientHello");
}
