/* ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4; RFC 5246 §7.4.1.3). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

#include <string.h>

/* RFC 8446 §4.1.3: SHA-256("HelloRetryRequest"). */
const uint8_t latch_hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

/* Whether a (not yet validated) extension block names `code`; a malformed
 * block answers from what precedes the damage, and the real parse that
 * follows reports it. */
static bool block_has(latch_rd block, uint16_t code)
{
    while (!latch_rd_empty(&block)) {
        uint16_t type;
        latch_rd data;

        if (latch_rd_u16(&block, &type) != LATCH_OK || latch_rd_vec(&block, 2, 0, 0xFFFF, &data) != LATCH_OK) {
            return false;
        }
        if (type == code) {
            return true;
        }
    }
    return false;
}

/*
 * RFC 8446 §4.1.3:
 *   struct {
 *       ProtocolVersion legacy_version = 0x0303;    -- TLS v1.2
 *       Random random;
 *       opaque legacy_session_id_echo<0..32>;
 *       CipherSuite cipher_suite;
 *       uint8 legacy_compression_method = 0;
 *       Extension extensions<6..2^16-1>;
 *   } ServerHello;
 *
 * RFC 5246 §7.4.1.3: the same fields, with
 *       select (extensions_present) {
 *           case false: struct {};
 *           case true:  Extension extensions<0..2^16-1>;
 *       };
 */
latch_err latch_server_hello_parse(latch_rd body, latch_server_hello *sh)
{
    latch_rd exts;
    unsigned ctx;

    memset(sh, 0, sizeof *sh);
    LATCH_TRY(latch_field_u16(&body, "ServerHello.legacy_version", &sh->legacy_version));
    LATCH_TRY(latch_field_copy(&body, "ServerHello.random", sh->random, sizeof sh->random));
    LATCH_TRY(latch_field_vec(&body, "ServerHello.legacy_session_id_echo", 1, 0, 32, &sh->session_id));
    LATCH_TRY(latch_field_u16(&body, "ServerHello.cipher_suite", &sh->cipher_suite));
    LATCH_TRY(latch_field_u8(&body, "ServerHello.legacy_compression_method", &sh->compression_method));
    /* RFC 8446 §4.1.3: the random of a HelloRetryRequest is this constant. */
    sh->is_hrr = memcmp(sh->random, latch_hrr_random, sizeof latch_hrr_random) == 0;
    if (latch_rd_empty(&body) && !sh->is_hrr) {
        return LATCH_OK; /* RFC 5246 §7.4.1.3: a TLS 1.2 ServerHello without extensions */
    }
    if (sh->is_hrr) {
        /* RFC 8446 §4.1.4: a HelloRetryRequest carries supported_versions,
         * so its block has at least the 6 bytes of the ServerHello syntax. */
        LATCH_TRY(latch_field_vec(&body, "HelloRetryRequest.extensions", 2, 6, 0xFFFF, &exts));
        ctx = LATCH_CTX_HRR;
    } else {
        LATCH_TRY(latch_field_vec(&body, "ServerHello.extensions", 2, 0, 0xFFFF, &exts));
        /* RFC 8446 §4.1.3: supported_versions is what makes it TLS 1.3; a
         * TLS 1.3 block always holds it, hence its <6..2^16-1>. */
        ctx = block_has(exts, LATCH_EXT_SUPPORTED_VERSIONS) ? LATCH_CTX_SH : LATCH_CTX_SH12;
    }
    LATCH_TRY(latch_field_end(&body, "ServerHello"));
    LATCH_TRY(latch_exts_parse(exts, ctx, &sh->exts));
    return LATCH_OK;
}

#define BAD(...) LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, __VA_ARGS__)

static bool tls12_exts(const latch_server_hello_out *sh)
{
    return sh->ems || sh->reneg_info || sh->point_formats || sh->session_ticket || sh->alpn_wire != NULL ||
           sh->server_name_ack;
}

static latch_err check(const latch_server_hello_out *sh)
{
    if (sh->session_id_len > 32 || (sh->session_id == NULL && sh->session_id_len > 0)) {
        return BAD("ServerHello.legacy_session_id_echo: %zu bytes (at most 32)", sh->session_id_len);
    }
    if (sh->group != 0 && !sh->hrr && (sh->pub_len < 1 || sh->pub_len > 0xFFFF)) {
        return BAD("key_share.server_share: %zu bytes (1..65535)", sh->pub_len);
    }
    if (sh->cookie != NULL && (!sh->hrr || sh->cookie_len < 1 || sh->cookie_len > 0xFFFF)) {
        return BAD("cookie: only in a HelloRetryRequest, 1..65535 bytes (got %zu)", sh->cookie_len);
    }
    if (sh->psk_identity >= 0 && (sh->hrr || sh->psk_identity > 0xFFFF)) {
        return BAD("pre_shared_key: selected_identity %d (0..65535, not in a HelloRetryRequest)", sh->psk_identity);
    }
    if (tls12_exts(sh) && (sh->selected_version != 0 || sh->hrr)) {
        return BAD("ServerHello: TLS 1.2 extensions in a TLS 1.3 ServerHello or HelloRetryRequest");
    }
    if (sh->selected_version == 0 && (sh->group != 0 || sh->psk_identity >= 0)) {
        /* Without supported_versions it is a TLS 1.2 ServerHello, where
         * key_share and pre_shared_key do not exist. */
        return BAD("ServerHello: key_share or pre_shared_key without selected_version (TLS 1.3)");
    }
    if (sh->hrr && sh->selected_version == 0) {
        /* RFC 8446 §4.1.4: the HRR "MUST contain the supported_versions extension". */
        return BAD("HelloRetryRequest: selected_version is required");
    }
    if (sh->alpn_wire != NULL && latch_ext_alpn_count(sh->alpn_wire, sh->alpn_len) != 1) {
        return BAD("application_layer_protocol_negotiation: the answer must hold exactly one name");
    }
    return LATCH_OK;
}

latch_err latch_server_hello_build(latch_wr *w, const latch_server_hello_out *sh)
{
    const char *what = sh->hrr ? "HelloRetryRequest" : "ServerHello";
    const latch_wr saved = *w; /* to take back a block that turns out too big */
    size_t exts_at;

    LATCH_TRY(check(sh));
    latch_msg_open(w, LATCH_HS_SERVER_HELLO);
    latch_wr_u16(w, sh->legacy_version);
    latch_wr_bytes(w, sh->hrr ? latch_hrr_random : sh->random, 32);
    latch_wr_open(w, 1);
    latch_wr_bytes(w, sh->session_id, sh->session_id_len);
    latch_wr_close(w, 0, 32); /* legacy_session_id_echo<0..32> */
    latch_wr_u16(w, sh->cipher_suite);
    latch_wr_u8(w, 0); /* legacy_compression_method */
    if (sh->psk_identity < 0 && sh->group == 0 && sh->cookie == NULL && sh->selected_version == 0 &&
        !tls12_exts(sh)) {
        return latch_msg_finish(w, what); /* RFC 5246 §7.4.1.3: no extensions */
    }
    latch_wr_open(w, 2);
    exts_at = latch_wr_len(w);
    if (sh->psk_identity >= 0) {
        latch_ext_psk_sh_build(w, (uint16_t)sh->psk_identity);
    }
    if (sh->group != 0) {
        if (sh->hrr) {
            latch_ext_key_share_hrr_build(w, sh->group);
        } else {
            latch_ext_key_share_sh_build(w, sh->group, sh->pub, sh->pub_len);
        }
    }
    if (sh->cookie != NULL) {
        latch_ext_cookie_build(w, sh->cookie, sh->cookie_len);
    }
    if (sh->selected_version != 0) {
        latch_ext_versions_sh_build(w, sh->selected_version);
    }
    if (sh->reneg_info) {
        latch_ext_reneg_build(w, NULL, 0);
    }
    if (sh->ems) {
        latch_ext_empty_build(w, LATCH_EXT_EXTENDED_MASTER_SECRET);
    }
    if (sh->point_formats) {
        latch_ext_point_formats_build(w);
    }
    if (sh->session_ticket) {
        latch_ext_empty_build(w, LATCH_EXT_SESSION_TICKET);
    }
    if (sh->server_name_ack) {
        latch_ext_empty_build(w, LATCH_EXT_SERVER_NAME);
    }
    if (sh->alpn_wire != NULL) {
        latch_ext_alpn_build(w, sh->alpn_wire, sh->alpn_len);
    }
    if (w->err == LATCH_OK && latch_wr_len(w) - exts_at > 0xFFFF) {
        size_t n = latch_wr_len(w) - exts_at;

        *w = saved; /* a share near 64 KiB leaves no room for the other extensions */
        return BAD("%s.extensions: %zu bytes (at most 65535)", what, n);
    }
    latch_wr_close(w, 0, 0xFFFF);
    return latch_msg_finish(w, what);
}
